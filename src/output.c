/* permitsim: a whole run's output -- the tables, the manifest, the directory.
 *
 * Opens the tables in a staging directory, and at the end closes them (every
 * write checked), writes manifest.json with the hash of each table and only
 * then moves everything into place. Any failure discards the lot.
 */
#define _POSIX_C_SOURCE 200809L /* fsync, fileno, isatty */

#include "permitsim/output.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "permitsim/error.h"

struct _PsimOutput {
  PsimOutputDir *dir;
  PsimCsv *tables[PSIM_N_TABLES];
};

PsimOutput *
psim_output_open (const char *dir, gboolean weekly, GError **error)
{
  PsimOutputDir *od = psim_output_dir_begin (dir, error);
  if (od == NULL)
    return NULL;
  PsimOutput *out = g_new0 (PsimOutput, 1);
  out->dir = od;
  for (int t = 0; t < PSIM_N_TABLES; t++)
    {
      if (t == PSIM_TABLE_WEEKLY && !weekly)
        continue;
      g_autofree char *path = psim_output_dir_file (od, psim_table_file_name ((PsimTable) t));
      out->tables[t] = psim_csv_open (path, error);
      if (out->tables[t] == NULL)
        {
          psim_output_abort (out);
          return NULL;
        }
      psim_table_write_header (out->tables[t], (PsimTable) t);
    }
  return out;
}

PsimCsv *
psim_output_table (PsimOutput *out, PsimTable table)
{
  g_return_val_if_fail (out != NULL && (unsigned) table < PSIM_N_TABLES, NULL);
  return out->tables[table];
}

char *
psim_output_file (PsimOutput *out, const char *name)
{
  g_return_val_if_fail (out != NULL && name != NULL, NULL);
  return psim_output_dir_file (out->dir, name);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Every regular file staged so far, in name order (NULL-terminated). */
static GPtrArray *
staged_files (const char *staging, GError **error)
{
  GDir *dir = g_dir_open (staging, 0, error);
  if (dir == NULL)
    return NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (staging, name, NULL);
      if (strcmp (name, "manifest.json") != 0 && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return names;
}

void
psim_output_abort (PsimOutput *out)
{
  if (out == NULL)
    return;
  for (int t = 0; t < PSIM_N_TABLES; t++)
    psim_csv_discard (out->tables[t]);
  psim_output_dir_abort (out->dir);
  g_free (out);
}

static gboolean
write_text_file (const char *path, const char *text, GError **error)
{
  FILE *fp = fopen (path, "wb");
  if (fp == NULL)
    {
      int err = errno;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot create: %s", path, g_strerror (err));
      return FALSE;
    }
  gsize len = strlen (text);
  int err = 0;
  if (fwrite (text, 1, len, fp) != len)
    err = errno != 0 ? errno : EIO;
  if (fflush (fp) != 0 && err == 0)
    err = errno != 0 ? errno : EIO;
  if (err == 0 && fsync (fileno (fp)) != 0 && errno != EINVAL && errno != EROFS)
    err = errno;
  if (fclose (fp) != 0 && err == 0)
    err = errno != 0 ? errno : EIO;
  if (err != 0)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: write failed: %s", path, g_strerror (err));
      return FALSE;
    }
  return TRUE;
}

gboolean
psim_output_close_tables (PsimOutput *out, GError **error)
{
  g_return_val_if_fail (out != NULL, FALSE);
  gboolean ok = TRUE;
  for (int t = 0; t < PSIM_N_TABLES; t++)
    {
      if (out->tables[t] == NULL)
        continue;
      PsimCsv *csv = g_steal_pointer (&out->tables[t]);
      if (ok)
        ok = psim_csv_close (csv, error);
      else
        psim_csv_discard (csv);
    }
  return ok;
}

gboolean
psim_output_finish (PsimOutput *out, const PsimManifest *manifest, GError **error)
{
  g_return_val_if_fail (out != NULL && manifest != NULL, FALSE);
  gboolean ok = psim_output_close_tables (out, error);
  g_autoptr (GPtrArray) written = ok ? staged_files (psim_output_dir_staging (out->dir), error) : NULL;
  ok = ok && written != NULL;
  if (ok)
    {
      g_autofree char *json = psim_manifest_to_json (manifest, psim_output_dir_staging (out->dir),
                                                     (const char *const *) written->pdata, error);
      g_autofree char *path = psim_output_dir_file (out->dir, "manifest.json");
      ok = json != NULL && write_text_file (path, json, error);
    }
  if (!ok)
    {
      psim_output_abort (out);
      return FALSE;
    }
  ok = psim_output_dir_commit (g_steal_pointer (&out->dir), error);
  g_free (out);
  return ok;
}
