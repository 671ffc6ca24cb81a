/* permitsim: a streaming RFC 4180 CSV reader (see csvread.h). Strict where
 * strictness catches damaged files (a quote inside an unquoted field, text
 * after a closing quote, an unterminated quote, a NUL byte), lenient where
 * tools differ harmlessly (LF or CRLF, a final line end or not, a BOM). */
#include "csvread.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "permitsim/error.h"

#define PSIM_CSV_CHUNK 65536

struct _PsimCsvReader {
  char *name;
  FILE *file;            /* NULL when reading from memory */
  const char *data;      /* memory input */
  gsize length;
  gsize pos;
  char *buffer;          /* file input: the current chunk */
  gsize buffer_len;
  gboolean at_start;
  int line;              /* current line, from 1 */
  int record_line;       /* line of the last record's start */
  GPtrArray *fields;     /* char*, owned */
  GString *field;
};

static PsimCsvReader *
reader_new (const char *name)
{
  PsimCsvReader *r = g_new0 (PsimCsvReader, 1);
  r->name = g_strdup (name);
  r->line = 1;
  r->at_start = TRUE;
  r->fields = g_ptr_array_new_with_free_func (g_free);
  r->field = g_string_new (NULL);
  return r;
}

PsimCsvReader *
psim_csv_reader_open (const char *path, GError **error)
{
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    {
      int saved = errno;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s: error: cannot open: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  PsimCsvReader *r = reader_new (path);
  r->file = f;
  r->buffer = g_malloc (PSIM_CSV_CHUNK);
  return r;
}

PsimCsvReader *
psim_csv_reader_new_from_data (const char *data, gsize length, const char *name)
{
  PsimCsvReader *r = reader_new (name != NULL ? name : "<data>");
  r->data = data;
  r->length = length;
  return r;
}

void
psim_csv_reader_free (PsimCsvReader *r)
{
  if (r == NULL)
    return;
  if (r->file != NULL)
    fclose (r->file);
  g_free (r->buffer);
  g_free (r->name);
  g_ptr_array_free (r->fields, TRUE);
  g_string_free (r->field, TRUE);
  g_free (r);
}

/* The next byte without consuming it, or -1 at the end of the input. */
static int
peek (PsimCsvReader *r)
{
  if (r->pos >= r->length)
    {
      if (r->file == NULL)
        return -1;
      r->length = fread (r->buffer, 1, PSIM_CSV_CHUNK, r->file);
      r->data = r->buffer;
      r->pos = 0;
      if (r->length == 0)
        return -1;
    }
  return (unsigned char) r->data[r->pos];
}

static int
take (PsimCsvReader *r)
{
  int c = peek (r);
  if (c >= 0)
    r->pos++;
  if (c == '\n')
    r->line++;
  return c;
}

static gboolean
fail (PsimCsvReader *r, GError **error, int line, const char *message)
{
  g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s:%d: error: %s", r->name, line, message);
  return FALSE;
}

/* After a field: consumes what ends it. Returns 1 for a comma (another
 * field follows), 0 for a line end or the end of the input (the record is
 * complete), -1 on a syntax error. */
static int
take_separator (PsimCsvReader *r, GError **error)
{
  int c = peek (r);
  if (c < 0)
    return 0;
  take (r);
  if (c == ',')
    return 1;
  if (c == '\n')
    return 0;
  if (c == '\r' && peek (r) == '\n')
    {
      take (r);
      return 0;
    }
  if (c == '\r')
    fail (r, error, r->line, "a carriage return not followed by a line feed");
  else
    fail (r, error, r->line, "unexpected text after a closing quote");
  return -1;
}

gboolean
psim_csv_reader_next (PsimCsvReader *r, GError **error)
{
  g_return_val_if_fail (r != NULL, FALSE);
  g_ptr_array_set_size (r->fields, 0);

  if (r->at_start)
    {
      r->at_start = FALSE;
      if (peek (r) == 0xEF)
        {
          take (r);
          if (take (r) != 0xBB || take (r) != 0xBF)
            return fail (r, error, 1, "invalid UTF-8 at the start of the file");
        }
    }

  /* skip empty lines */
  for (;;)
    {
      int c = peek (r);
      if (c == '\n')
        take (r);
      else if (c == '\r')
        {
          take (r);
          if (peek (r) != '\n')
            return fail (r, error, r->line, "a carriage return not followed by a line feed");
        }
      else if (c < 0)
        return FALSE;
      else
        break;
    }

  r->record_line = r->line;
  for (;;)
    {
      g_string_truncate (r->field, 0);
      int c = peek (r);
      if (c == '"')
        {
          int quote_line = r->line;
          take (r);
          for (;;)
            {
              c = take (r);
              if (c < 0)
                return fail (r, error, quote_line, "unterminated quoted field (a \" opened here is never closed)");
              if (c == 0)
                return fail (r, error, r->line, "NUL byte in the file");
              if (c == '"')
                {
                  if (peek (r) != '"')
                    break;
                  take (r);
                }
              g_string_append_c (r->field, (char) c);
            }
        }
      else
        {
          while ((c = peek (r)) >= 0 && c != ',' && c != '\n' && c != '\r')
            {
              if (c == '"')
                return fail (r, error, r->line, "a quote inside an unquoted field (quote the whole field)");
              if (c == 0)
                return fail (r, error, r->line, "NUL byte in the file");
              g_string_append_c (r->field, (char) take (r));
            }
        }
      g_ptr_array_add (r->fields, g_strndup (r->field->str, r->field->len));
      int sep = take_separator (r, error);
      if (sep < 0)
        return FALSE;
      if (sep == 0)
        return TRUE;
    }
}

guint
psim_csv_reader_n_fields (const PsimCsvReader *r)
{
  return r->fields->len;
}

const char *
psim_csv_reader_field (const PsimCsvReader *r, guint index)
{
  g_return_val_if_fail (index < r->fields->len, NULL);
  return g_ptr_array_index (r->fields, index);
}

int
psim_csv_reader_line (const PsimCsvReader *r)
{
  return r->record_line;
}

const char *
psim_csv_reader_name (const PsimCsvReader *r)
{
  return r->name;
}
