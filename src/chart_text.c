/* permitsim: looking up the translation table (chart_text.h), filling its
 * templates, and writing numbers the way each language writes them. No
 * user-visible word lives in this file: they all sit in chart_text.h. */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "chart_private.h"

static const char *const texts_en[] = {
#define PSIM_TEXT_EN(id, en, nl) en,
  PSIM_TEXTS (PSIM_TEXT_EN)
#undef PSIM_TEXT_EN
};

static const char *const texts_nl[] = {
#define PSIM_TEXT_NL(id, en, nl) nl,
  PSIM_TEXTS (PSIM_TEXT_NL)
#undef PSIM_TEXT_NL
};

G_STATIC_ASSERT (G_N_ELEMENTS (texts_en) == PSIM_N_TEXTS);
G_STATIC_ASSERT (G_N_ELEMENTS (texts_nl) == PSIM_N_TEXTS);

gboolean
psim_lang_from_string (const char *code, PsimLang *out)
{
  if (code == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (code, "nl") == 0)
    *out = PSIM_LANG_NL;
  else if (g_ascii_strcasecmp (code, "en") == 0)
    *out = PSIM_LANG_EN;
  else
    return FALSE;
  return TRUE;
}

const char *
psim_lang_code (PsimLang lang)
{
  return lang == PSIM_LANG_EN ? "en" : "nl";
}

const char *
psim_text (PsimLang lang, PsimTextId id)
{
  g_return_val_if_fail ((int) id >= 0 && id < PSIM_N_TEXTS, "");
  return lang == PSIM_LANG_EN ? texts_en[id] : texts_nl[id];
}

char *
psim_text_fill (const char *template_text, ...)
{
  /* collect the key/value pairs */
  GPtrArray *pairs = g_ptr_array_new ();
  va_list ap;
  va_start (ap, template_text);
  const char *key;
  while ((key = va_arg (ap, const char *)) != NULL)
    {
      g_ptr_array_add (pairs, (gpointer) key);
      g_ptr_array_add (pairs, (gpointer) va_arg (ap, const char *));
    }
  va_end (ap);

  GString *out = g_string_new (NULL);
  const char *p = template_text;
  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close = open != NULL ? strchr (open, '}') : NULL;
      if (open == NULL || close == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);
      gsize len = (gsize) (close - open - 1);
      gboolean found = FALSE;
      for (guint i = 0; i + 1 < pairs->len; i += 2)
        {
          const char *k = g_ptr_array_index (pairs, i);
          if (strlen (k) == len && strncmp (k, open + 1, len) == 0)
            {
              const char *v = g_ptr_array_index (pairs, i + 1);
              g_string_append (out, v != NULL ? v : "");
              found = TRUE;
              break;
            }
        }
      if (!found) /* not a placeholder we were given: keep it as written */
        g_string_append_len (out, open, close - open + 1);
      p = close + 1;
    }
  g_ptr_array_free (pairs, TRUE);
  return g_string_free (out, FALSE);
}

/* ---------- numbers ---------- */

#define MINUS "\xe2\x88\x92" /* U+2212 */

char *
psim_format_number (PsimLang lang, double value, int decimals, gboolean with_sign)
{
  if (!isfinite (value))
    return g_strdup ("\xe2\x80\x93"); /* an en dash: not defined */
  decimals = CLAMP (decimals, 0, 6);
  char format[8];
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (buf, sizeof buf, format, fabs (value));

  /* a value that rounds to zero has no sign */
  gboolean zero = TRUE;
  for (const char *c = buf; *c != '\0'; c++)
    if (*c >= '1' && *c <= '9')
      zero = FALSE;

  const char *dot = strchr (buf, '.');
  gsize int_len = dot != NULL ? (gsize) (dot - buf) : strlen (buf);
  const char *group = lang == PSIM_LANG_EN ? "," : ".";
  const char *point = lang == PSIM_LANG_EN ? "." : ",";

  GString *s = g_string_new (NULL);
  if (!zero && value < 0)
    g_string_append (s, MINUS);
  else if (!zero && with_sign)
    g_string_append_c (s, '+');
  for (gsize i = 0; i < int_len; i++)
    {
      g_string_append_c (s, buf[i]);
      gsize left = int_len - i - 1;
      if (int_len > 4 && left > 0 && left % 3 == 0)
        g_string_append (s, group);
    }
  if (dot != NULL)
    {
      g_string_append (s, point);
      g_string_append (s, dot + 1);
    }
  return g_string_free (s, FALSE);
}

int
psim_format_decimals (PsimMetricKind kind, const PsimBand *band)
{
  double m = band != NULL && band->n > 0 ? fabs (band->median) : 0;
  switch (kind)
    {
    case PSIM_KIND_SHARE:
      return m < 0.1 ? 1 : 0;
    case PSIM_KIND_EUROS:
      return 0;
    case PSIM_KIND_COUNT:
    default:
      return m < 10 && band != NULL && band->n > 0 && m != floor (m) ? 1 : 0;
    }
}

char *
psim_format_value (PsimLang lang, PsimMetricKind kind, double value, int decimals)
{
  if (!isfinite (value))
    return g_strdup ("\xe2\x80\x93");
  if (kind == PSIM_KIND_SHARE)
    {
      g_autofree char *n = psim_format_number (lang, value * 100, decimals, FALSE);
      return g_strconcat (n, "%", NULL);
    }
  g_autofree char *n = psim_format_number (lang, value, decimals, FALSE);
  if (kind == PSIM_KIND_EUROS)
    return g_strconcat ("\xe2\x82\xac\xc2\xa0", n, NULL); /* "€" and a no-break space */
  return g_steal_pointer (&n);
}

char *
psim_format_band (PsimLang lang, PsimMetricKind kind, const PsimBand *band)
{
  if (band->n == 0 || !isfinite (band->median))
    return g_strdup ("\xe2\x80\x93");
  int d = psim_format_decimals (kind, band);
  g_autofree char *mid = psim_format_value (lang, kind, band->median, d);
  double scale = kind == PSIM_KIND_SHARE ? 100 : 1;
  g_autofree char *lo = psim_format_number (lang, band->p05 * scale, d, FALSE);
  g_autofree char *hi = psim_format_number (lang, band->p95 * scale, d, FALSE);
  return g_strdup_printf ("%s (%s\xe2\x80\x93%s)", mid, lo, hi);
}

char *
psim_format_difference (PsimLang lang, PsimMetricKind kind, double value, int decimals)
{
  if (!isfinite (value))
    return g_strdup ("\xe2\x80\x93");
  if (kind == PSIM_KIND_SHARE)
    {
      g_autofree char *n = psim_format_number (lang, value * 100, decimals, TRUE);
      return g_strconcat (n, "\xc2\xa0", psim_text (lang, PSIM_T_PP), NULL);
    }
  g_autofree char *n = psim_format_number (lang, value, decimals, TRUE);
  if (kind == PSIM_KIND_EUROS)
    return g_strconcat (n, "\xc2\xa0\xe2\x82\xac", NULL);
  return g_steal_pointer (&n);
}

/* Decimals for a difference: shares to a tenth of a point, small counts to a tenth. */
static int
difference_decimals (PsimMetricKind kind, const PsimBand *band)
{
  if (kind == PSIM_KIND_SHARE)
    return 1;
  double span = fmax (fabs (band->p05), fabs (band->p95));
  return span < 10 ? 1 : 0;
}

char *
psim_format_difference_band (PsimLang lang, PsimMetricKind kind, const PsimBand *band)
{
  if (band->n == 0 || !isfinite (band->median))
    return g_strdup ("\xe2\x80\x93");
  int d = difference_decimals (kind, band);
  g_autofree char *mid = psim_format_difference (lang, kind, band->median, d);
  g_autofree char *lo = psim_format_difference (lang, kind, band->p05, d);
  g_autofree char *hi = psim_format_difference (lang, kind, band->p95, d);
  return g_strdup_printf ("%s (%s %s %s)", mid, lo, psim_text (lang, PSIM_T_TO), hi);
}
