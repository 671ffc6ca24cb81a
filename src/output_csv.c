/* permitsim: a small RFC 4180 CSV writer (see output.h).
 *
 * Fields are quoted only when they must be; numbers are formatted with
 * g_ascii_formatd or integer formatting, so a locale with a decimal comma
 * changes nothing. Every write is checked: the first failure (ENOSPC, EIO,
 * ...) is kept and reported with the path when the file is closed.
 */
#define _POSIX_C_SOURCE 200809L /* fsync, fileno, isatty */

#include "permitsim/output.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "permitsim/error.h"

struct _PsimCsv {
  FILE *fp;
  char *path;
  int error;          /* first errno of a failed write, 0 while all is well */
  gboolean row_open;  /* a field was written on the current row */
  int64_t rows;
  GString *line;      /* the row being built */
};

PsimCsv *
psim_csv_open (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  FILE *fp = fopen (path, "wb");
  if (fp == NULL)
    {
      int saved = errno;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot create: %s", path,
                   g_strerror (saved));
      return NULL;
    }
  PsimCsv *csv = g_new0 (PsimCsv, 1);
  csv->fp = fp;
  csv->path = g_strdup (path);
  csv->line = g_string_sized_new (1024);
  return csv;
}

static gboolean
needs_quotes (const char *text)
{
  return strpbrk (text, ",\"\r\n") != NULL;
}

void
psim_csv_quote (GString *line, const char *text)
{
  if (text == NULL || !needs_quotes (text))
    {
      if (text != NULL)
        g_string_append (line, text);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static void
begin_field (PsimCsv *csv)
{
  if (csv->row_open)
    g_string_append_c (csv->line, ',');
  csv->row_open = TRUE;
}

void
psim_csv_field (PsimCsv *csv, const char *text)
{
  g_return_if_fail (csv != NULL);
  begin_field (csv);
  psim_csv_quote (csv->line, text);
}

void
psim_csv_field_int (PsimCsv *csv, int64_t value)
{
  g_return_if_fail (csv != NULL);
  begin_field (csv);
  g_string_append_printf (csv->line, "%" G_GINT64_FORMAT, (gint64) value);
}

void
psim_csv_field_number (PsimCsv *csv, double value, int decimals)
{
  g_return_if_fail (csv != NULL);
  g_return_if_fail (decimals >= 0 && decimals <= 17);
  begin_field (csv);
  if (!isfinite (value))
    return; /* an undefined value: an empty field, read as NaN / NA */
  char format[8];
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 320]; /* %f of a large double is long */
  g_ascii_formatd (buf, sizeof buf, format, value);
  if (buf[0] == '-' && strspn (buf + 1, "0.") == strlen (buf + 1))
    memmove (buf, buf + 1, strlen (buf)); /* -0.000000 -> 0.000000 */
  g_string_append (csv->line, buf);
}

void
psim_csv_end_row (PsimCsv *csv)
{
  g_return_if_fail (csv != NULL);
  g_string_append_c (csv->line, '\n');
  if (csv->error == 0 && fwrite (csv->line->str, 1, csv->line->len, csv->fp) != csv->line->len)
    csv->error = errno != 0 ? errno : EIO;
  g_string_truncate (csv->line, 0);
  csv->row_open = FALSE;
  csv->rows++;
}

int64_t
psim_csv_rows (const PsimCsv *csv)
{
  return csv->rows;
}

const char *
psim_csv_path (const PsimCsv *csv)
{
  return csv->path;
}

static void
csv_free (PsimCsv *csv)
{
  g_string_free (csv->line, TRUE);
  g_free (csv->path);
  g_free (csv);
}

gboolean
psim_csv_close (PsimCsv *csv, GError **error)
{
  g_return_val_if_fail (csv != NULL, FALSE);
  g_warn_if_fail (!csv->row_open); /* a row begun and never ended is a bug in the caller */
  int err = csv->error;
  errno = 0;
  if (fflush (csv->fp) != 0 && err == 0)
    err = errno != 0 ? errno : EIO;
  if (ferror (csv->fp) && err == 0)
    err = EIO;
  /* the data must be on disk before the file is renamed into place */
  if (err == 0 && fsync (fileno (csv->fp)) != 0 && errno != EINVAL && errno != EROFS)
    err = errno;
  if (fclose (csv->fp) != 0 && err == 0)
    err = errno != 0 ? errno : EIO;
  gboolean ok = err == 0;
  if (!ok)
    g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: write failed: %s", csv->path,
                 g_strerror (err));
  csv_free (csv);
  return ok;
}

void
psim_csv_discard (PsimCsv *csv)
{
  if (csv == NULL)
    return;
  fclose (csv->fp);
  csv_free (csv);
}
