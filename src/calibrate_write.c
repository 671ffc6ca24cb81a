/* permitsim: writing calibrated values into the parameter file.
 *
 * The parameter file is a document people read and annotate: its comments,
 * its layout and every attribute but two must survive a calibration. So the
 * file is edited as text: a small scanner walks the markup (skipping
 * comments, processing instructions and CDATA), finds the start tag of each
 * fitted <parameter>, and replaces the text of its value and calibrated
 * attributes (adding calibrated on a line of its own where it is missing).
 * The result is loaded and checked with the ordinary loader before it
 * atomically replaces the file.
 */
#include "permitsim/calibrate.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "permitsim/error.h"
#include "permitsim/loader.h"

/* Significant digits of a written value: far below the Monte Carlo noise of a fit. */
#define VALUE_DIGITS 5

char *
psim_calibration_format_value (double value)
{
  if (value == 0.0 || !isfinite (value))
    return g_strdup ("0");
  int magnitude = (int) floor (log10 (fabs (value)));
  int decimals = MAX (0, VALUE_DIGITS - 1 - magnitude);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char format[16];
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  g_ascii_formatd (buf, sizeof buf, format, value);
  if (strchr (buf, '.') != NULL)
    {
      char *end = buf + strlen (buf) - 1;
      while (*end == '0')
        *end-- = '\0';
      if (*end == '.')
        *end = '\0';
    }
  if (strcmp (buf, "-0") == 0)
    return g_strdup ("0");
  return g_strdup (buf);
}

char *
psim_calibration_provenance (const PsimCalibration *c, const PsimCalibrateSpec *spec, guint i,
                             const char *date)
{
  g_return_val_if_fail (c != NULL && spec != NULL && i < c->n_params, NULL);
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "permitsim calibrate %s: fitted to %s", date, c->targets_of[i]);
  for (guint k = 0; k < c->n_targets; k++)
    {
      const PsimTarget *t = psim_target_set_get (spec->targets, c->target[k]);
      if ((gsize) psim_param_lookup (t->parameters[0]) != c->param[i])
        continue;
      char pub[G_ASCII_DTOSTR_BUF_SIZE], tol[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_formatd (pub, sizeof pub, "%g", t->published);
      g_ascii_formatd (tol, sizeof tol, "%g", t->tolerance);
      g_string_append_printf (s, " (published %s, tolerance %s, model %.3f)", pub, tol,
                              c->fitted_value[k]);
    }
  g_string_append_printf (s, "; Nelder-Mead on the ensemble-mean loss, %u parameters jointly, "
                          "%u evaluations%s, loss %.3g; %s %d-%d after the burn-in, "
                          "%u replications, seed %" G_GUINT64_FORMAT,
                          c->n_params, c->evaluations, c->converged ? " (converged)" : " (budget)",
                          c->loss, spec->region->name != NULL ? spec->region->name : "region",
                          spec->first_year, spec->last_year, spec->n_replications, spec->seed);
  if (!isnan (c->range_low[i]))
    {
      g_autofree char *lo = psim_calibration_format_value (c->range_low[i]);
      g_autofree char *hi = psim_calibration_format_value (c->range_high[i]);
      g_string_append_printf (s, "; within tolerance for %s to %s (linearised, the others fixed)",
                              lo, hi);
    }
  return g_string_free (s, FALSE);
}

/* ---------- a minimal markup scanner ---------- */

typedef struct {
  gsize name_start, name_end;   /* attribute name */
  gsize value_start, value_end; /* between the quotes */
} Attr;

typedef struct {
  gsize position;   /* where the edit starts */
  gsize length;     /* bytes replaced */
  char *text;       /* what goes there */
} Edit;

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads the attributes of the start tag whose name ends at `p`; returns the
 * offset of its closing '>' or 0 when the tag is malformed. */
static gsize
scan_attributes (const char *doc, gsize len, gsize p, GArray *attrs)
{
  while (p < len)
    {
      while (p < len && is_space (doc[p]))
        p++;
      if (p >= len)
        return 0;
      if (doc[p] == '>')
        return p;
      if (doc[p] == '/' && p + 1 < len && doc[p + 1] == '>')
        return p + 1;
      Attr a = { .name_start = p };
      while (p < len && !is_space (doc[p]) && doc[p] != '=' && doc[p] != '>')
        p++;
      a.name_end = p;
      while (p < len && is_space (doc[p]))
        p++;
      if (p >= len || doc[p] != '=')
        return 0;
      p++;
      while (p < len && is_space (doc[p]))
        p++;
      if (p >= len || (doc[p] != '"' && doc[p] != '\''))
        return 0;
      char quote = doc[p++];
      a.value_start = p;
      while (p < len && doc[p] != quote)
        p++;
      if (p >= len)
        return 0;
      a.value_end = p++;
      g_array_append_val (attrs, a);
    }
  return 0;
}

static gboolean
attr_is (const char *doc, const Attr *a, const char *name)
{
  gsize n = strlen (name);
  return a->name_end - a->name_start == n && memcmp (doc + a->name_start, name, n) == 0;
}

/* Skips a construct that starts at p and ends with `end`; returns the offset after it. */
static gsize
skip_until (const char *doc, gsize len, gsize p, const char *end)
{
  const char *hit = g_strstr_len (doc + p, (gssize) (len - p), end);
  return hit != NULL ? (gsize) (hit - doc) + strlen (end) : len;
}

/* The edits for one <parameter> start tag, if it is one of the fitted ones. */
static void
edit_tag (const char *doc, GArray *attrs, const PsimCalibration *c, const PsimCalibrateSpec *spec,
          const char *date, GArray *edits, int *found)
{
  const Attr *name = NULL, *value = NULL, *calibrated = NULL;
  for (guint k = 0; k < attrs->len; k++)
    {
      const Attr *a = &g_array_index (attrs, Attr, k);
      if (attr_is (doc, a, "name"))
        name = a;
      else if (attr_is (doc, a, "value"))
        value = a;
      else if (attr_is (doc, a, "calibrated"))
        calibrated = a;
    }
  if (name == NULL || value == NULL)
    return;
  g_autofree char *pname = g_strndup (doc + name->value_start, name->value_end - name->value_start);
  for (guint i = 0; i < c->n_params; i++)
    {
      if (strcmp (psim_param_info (c->param[i])->name, pname) != 0)
        continue;
      found[i]++;
      Edit v = { value->value_start, value->value_end - value->value_start,
                 psim_calibration_format_value (c->fitted[i]) };
      g_array_append_val (edits, v);
      g_autofree char *prov = psim_calibration_provenance (c, spec, i, date);
      char *escaped = g_markup_escape_text (prov, -1);
      if (calibrated != NULL)
        {
          Edit e = { calibrated->value_start, calibrated->value_end - calibrated->value_start, escaped };
          g_array_append_val (edits, e);
        }
      else
        {
          /* where the last attribute starts a line of its own, a line of the same
           * indentation before it (every old line stays whole); else at the end
           * of the tag's one line */
          const Attr *last = &g_array_index (attrs, Attr, attrs->len - 1);
          gsize line = last->name_start;
          while (line > 0 && (doc[line - 1] == ' ' || doc[line - 1] == '\t'))
            line--;
          Edit e;
          if (line > 0 && doc[line - 1] == '\n')
            e = (Edit) { last->name_start, 0,
                         g_strdup_printf ("calibrated=\"%s\"\n%.*s", escaped,
                                          (int) (last->name_start - line), doc + line) };
          else
            e = (Edit) { last->value_end + 1, 0, g_strdup_printf (" calibrated=\"%s\"", escaped) };
          g_free (escaped);
          g_array_append_val (edits, e);
        }
    }
}

static gint
compare_edits (gconstpointer a, gconstpointer b)
{
  const Edit *x = a, *y = b;
  return (x->position > y->position) - (x->position < y->position);
}

/* The file's text with the fitted parameters' attributes replaced. */
static char *
edited_text (const char *doc, gsize len, const PsimCalibration *c, const PsimCalibrateSpec *spec,
             const char *path, const char *date, GError **error)
{
  g_autoptr (GArray) edits = g_array_new (FALSE, FALSE, sizeof (Edit));
  g_autofree int *found = g_new0 (int, c->n_params);
  g_autoptr (GArray) attrs = g_array_new (FALSE, FALSE, sizeof (Attr));
  gsize p = 0;
  static const char tag[] = "<parameter";
  while (p < len)
    {
      if (doc[p] != '<')
        {
          p++;
          continue;
        }
      if (g_str_has_prefix (doc + p, "<!--"))
        p = skip_until (doc, len, p + 4, "-->");
      else if (g_str_has_prefix (doc + p, "<![CDATA["))
        p = skip_until (doc, len, p + 9, "]]>");
      else if (g_str_has_prefix (doc + p, "<?"))
        p = skip_until (doc, len, p + 2, "?>");
      else if (g_str_has_prefix (doc + p, tag) && p + sizeof tag - 1 < len
               && (is_space (doc[p + sizeof tag - 1]) || doc[p + sizeof tag - 1] == '>'))
        {
          g_array_set_size (attrs, 0);
          gsize end = scan_attributes (doc, len, p + sizeof tag - 1, attrs);
          if (end == 0)
            {
              g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                           "%s: a <parameter> tag could not be read", path);
              break;
            }
          edit_tag (doc, attrs, c, spec, date, edits, found);
          p = end + 1;
        }
      else
        p++;
    }
  for (guint i = 0; i < c->n_params && (error == NULL || *error == NULL); i++)
    if (found[i] != 1)
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                   "%s: parameter %s appears %d times, not once", path,
                   psim_param_info (c->param[i])->name, found[i]);
  char *result = NULL;
  if (error == NULL || *error == NULL)
    {
      g_array_sort (edits, compare_edits);
      GString *out = g_string_sized_new (len + 1024);
      gsize at = 0;
      for (guint k = 0; k < edits->len; k++)
        {
          const Edit *e = &g_array_index (edits, Edit, k);
          g_string_append_len (out, doc + at, (gssize) (e->position - at));
          g_string_append (out, e->text);
          at = e->position + e->length;
        }
      g_string_append_len (out, doc + at, (gssize) (len - at));
      result = g_string_free (out, FALSE);
    }
  for (guint k = 0; k < edits->len; k++)
    g_free (g_array_index (edits, Edit, k).text);
  return result;
}

gboolean
psim_calibration_write (const PsimCalibration *c, const PsimCalibrateSpec *spec, const char *path,
                        const char *date, GError **error)
{
  g_return_val_if_fail (c != NULL && spec != NULL && path != NULL && date != NULL, FALSE);
  g_autofree char *doc = NULL;
  gsize len = 0;
  GError *local = NULL;
  if (!g_file_get_contents (path, &doc, &len, &local))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s", local->message);
      g_error_free (local);
      return FALSE;
    }
  g_autofree char *text = edited_text (doc, len, c, spec, path, date, error);
  if (text == NULL)
    return FALSE;

  /* stage next to the file, check it, then move it into place */
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmpl = g_strdup_printf ("%s%s.%s.tmp-XXXXXX", dir, G_DIR_SEPARATOR_S, base);
  int fd = g_mkstemp (tmpl);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: %s", tmpl, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  gboolean ok = g_file_set_contents (tmpl, text, -1, &local);
  if (!ok)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s", local->message);
      g_error_free (local);
    }
  if (ok)
    {
      g_autoptr (PsimParamSet) check = psim_param_set_load (tmpl, NULL, &local);
      if (check == NULL)
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                       "the edited parameter file would not load, so %s is left as it was:\n%s",
                       path, local->message);
          g_error_free (local);
          ok = FALSE;
        }
      for (guint i = 0; ok && i < c->n_params; i++)
        {
          g_autofree char *written = psim_calibration_format_value (c->fitted[i]);
          if (check->entries[c->param[i]].value == g_ascii_strtod (written, NULL))
            continue;
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                       "parameter %s reads back as %.17g, not %s; %s is left as it was",
                       psim_param_info (c->param[i])->name, check->entries[c->param[i]].value,
                       written, path);
          ok = FALSE;
        }
    }
  if (ok && g_rename (tmpl, path) != 0)
    {
      int saved = errno;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot replace: %s", path,
                   g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmpl);
  return ok;
}
