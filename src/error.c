/* permitsim: the error domain and the diagnostics list (see error.h). */
#include "permitsim/error.h"

#include <stdarg.h>

G_DEFINE_QUARK (permitsim-error-quark, psim_error)

void
psim_diagnostic_free (PsimDiagnostic *d)
{
  if (d == NULL)
    return;
  g_free (d->file);
  g_free (d->message);
  g_free (d);
}

GPtrArray *
psim_diagnostics_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) psim_diagnostic_free);
}

/* valid UTF-8, control characters escaped (but line breaks and tabs, with
 * `lines`), at most `max` characters (0: no limit) and, unless `lines`,
 * PSIM_DIAGNOSTIC_MAX bytes, with what was cut said; `quoted`: in double
 * quotes, with quotes and backslashes escaped */
static char *
escaped (const char *text, glong max, gboolean lines, gboolean quoted)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (quoted ? "\"" : NULL);
  glong n = 0;
  const char *p = valid;
  for (; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      if ((max > 0 && n >= max) || (!lines && out->len >= PSIM_DIAGNOSTIC_MAX - 40))
        break;
      gunichar c = g_utf8_get_char (p);
      if (quoted && (c == '"' || c == '\\'))
        g_string_append_c (out, '\\');
      if ((c < 0x20 || (c >= 0x7f && c < 0xa0)) && !(lines && (c == '\n' || c == '\t')))
        g_string_append_printf (out, "\\x%02x", (unsigned) c);
      else
        g_string_append_unichar (out, c);
    }
  if (*p != '\0')
    g_string_append_printf (out, quoted ? "...\" (%ld characters)" : "... (%ld characters)",
                            g_utf8_strlen (valid, -1));
  else if (quoted)
    g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

char *
psim_diagnostic_shown (const char *value)
{
  return escaped (value != NULL ? value : "", PSIM_SHOWN_MAX, FALSE, FALSE);
}

char *
psim_diagnostic_quoted (const char *value)
{
  return escaped (value != NULL ? value : "", PSIM_SHOWN_MAX, FALSE, TRUE);
}

char *
psim_error_printable (const char *message)
{
  return escaped (message != NULL ? message : "", 0, TRUE, FALSE);
}

void
psim_diagnostics_add (GPtrArray *diagnostics, const char *file, int line, int column,
                      PsimProblem problem, const char *format, ...)
{
  g_return_if_fail (diagnostics != NULL);
  PsimDiagnostic *d = g_new0 (PsimDiagnostic, 1);
  d->file = g_strdup (file != NULL ? file : "-");
  d->line = line > 0 ? line : 0;
  d->column = (line > 0 && column > 0) ? column : 0;
  d->problem = problem;
  va_list ap;
  va_start (ap, format);
  g_autofree char *message = g_strdup_vprintf (format, ap);
  va_end (ap);
  d->message = escaped (message, 0, FALSE, FALSE);
  g_ptr_array_add (diagnostics, d);
}

char *
psim_diagnostic_to_string (const PsimDiagnostic *d)
{
  if (d->line > 0 && d->column > 0)
    return g_strdup_printf ("%s:%d:%d: error: %s", d->file, d->line, d->column, d->message);
  if (d->line > 0)
    return g_strdup_printf ("%s:%d: error: %s", d->file, d->line, d->message);
  return g_strdup_printf ("%s: error: %s", d->file, d->message);
}

char *
psim_diagnostics_to_string (GPtrArray *diagnostics)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < diagnostics->len; i++)
    {
      g_autofree char *line = psim_diagnostic_to_string (g_ptr_array_index (diagnostics, i));
      if (i > 0)
        g_string_append_c (s, '\n');
      g_string_append (s, line);
    }
  return g_string_free (s, FALSE);
}

int
psim_error_exit_code (const GError *error)
{
  if (error == NULL)
    return 0;
  if (error->domain == PSIM_ERROR)
    switch ((PsimErrorCode) error->code)
      {
      case PSIM_ERROR_USAGE: return 1;
      case PSIM_ERROR_INVALID_INPUT: return 2;
      case PSIM_ERROR_IO: return 3;
      case PSIM_ERROR_RUNTIME: return 3;
      }
  if (error->domain == G_OPTION_ERROR)
    return 1;
  return 3;
}
