/* permitsim: a comparison's charts and report as files. All files of one
 * call (every chart into charts/, report.html beside it, and for a redraw
 * the manifest that lists them) are staged under temporary names and
 * renamed into place only when every one of them was written; the files they
 * replace are hard-linked aside first, so that a rename failing part-way
 * puts the earlier ones back and the directory is as it was. Above both
 * the charts (chart_output.c) and the report (report.c), which it puts
 * together. */
#define _XOPEN_SOURCE 700 /* link */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "chart_private.h"
#include "permitsim/error.h"

typedef struct {
  char *staged;
  char *final;
  char *kept; /* the file it replaces, linked aside until all are in place */
} Staged;

static void
staged_free (gpointer p)
{
  Staged *s = p;
  if (s->staged != NULL)
    g_unlink (s->staged); /* still there: not renamed, so a leftover */
  if (s->kept != NULL)
    g_unlink (s->kept);
  g_free (s->staged);
  g_free (s->final);
  g_free (s->kept);
  g_free (s);
}

/* Links what each staged file will replace to a name of its own beside it
 * (the entry itself: a symbolic link is kept as a link). Nothing there yet,
 * or a directory, keeps nothing: the rename creates the file, or fails. */
static gboolean
keep_replaced (GPtrArray *staged, GError **error)
{
  for (guint i = 0; i < staged->len; i++)
    {
      Staged *s = g_ptr_array_index (staged, i);
      GStatBuf st;
      if (g_lstat (s->final, &st) != 0 || S_ISDIR (st.st_mode))
        continue;
      g_autofree char *kept = g_strdup_printf ("%s.kept.XXXXXX", s->staged);
      int fd = g_mkstemp_full (kept, O_RDWR, 0600);
      if (fd >= 0)
        g_close (fd, NULL);
      /* the name is reserved; link() wants it free */
      if (fd < 0 || g_unlink (kept) != 0 || link (s->final, kept) != 0)
        {
          int err = errno;
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot keep the previous file while replacing it: %s",
                       s->final, g_strerror (err));
          return FALSE;
        }
      s->kept = g_steal_pointer (&kept);
    }
  return TRUE;
}

/* Renames every staged file into place; if one fails, those already renamed
 * get their previous file back (or go, if there was none). */
static gboolean
rename_all (GPtrArray *staged, GError **error)
{
  if (!keep_replaced (staged, error))
    return FALSE;
  for (guint i = 0; i < staged->len; i++)
    {
      Staged *s = g_ptr_array_index (staged, i);
      if (g_rename (s->staged, s->final) == 0)
        {
          g_clear_pointer (&s->staged, g_free);
          continue;
        }
      int err = errno;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot rename into place: %s", s->final, g_strerror (err));
      for (guint j = i; j > 0; j--)
        {
          Staged *back = g_ptr_array_index (staged, j - 1);
          if (back->kept == NULL)
            g_unlink (back->final);
          else if (g_rename (back->kept, back->final) != 0)
            /* not put back: left where it is (not removed), and named */
            g_prefix_error (error, "%s could not be put back, its previous version is %s; ", back->final, back->kept);
          g_clear_pointer (&back->kept, g_free);
        }
      return FALSE;
    }
  return TRUE;
}

/* Writes the bytes under a temporary name in outdir; `hashes`, when given,
 * gets their SHA-256 under `listed` (the file's path in the output
 * directory). */
static gboolean
stage (GPtrArray *staged, const char *outdir, const char *name, const void *bytes, gsize length,
       GHashTable *hashes, const char *listed, GError **error)
{
  if (hashes != NULL)
    g_hash_table_insert (hashes, g_strdup (listed),
                         g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes, length));
  g_autofree char *tmpl_name = g_strdup_printf (".%s.XXXXXX", name);
  g_autofree char *tmpl = g_build_filename (outdir, tmpl_name, NULL);
  int fd = g_mkstemp_full (tmpl, O_RDWR, 0644);
  if (fd < 0)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot create a file: %s", outdir, g_strerror (errno));
      return FALSE;
    }
  g_close (fd, NULL);
  Staged *s = g_new0 (Staged, 1);
  s->staged = g_strdup (tmpl);
  s->final = g_build_filename (outdir, name, NULL);
  g_ptr_array_add (staged, s);
  GError *local = NULL;
  if (!g_file_set_contents_full (tmpl, bytes, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s", local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}

/* Stages every chart in chart_dir and report.html in outdir (and, with a
 * command line, outdir's manifest.json with their new SHA-256 when there is
 * one), then renames them all into place. */
static gboolean
write_staged (const PsimChartData *data, const PsimChartOptions *options, const char *outdir,
              const char *chart_dir, char *const *command_line, GError **error)
{
  g_autofree char *manifest = g_build_filename (outdir, "manifest.json", NULL);
  g_autoptr (GHashTable) hashes = command_line != NULL && g_file_test (manifest, G_FILE_TEST_IS_REGULAR)
                                    ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free)
                                    : NULL;
  static const struct {
    PsimChartFormat format;
    const char *extension;
  } formats[] = { { PSIM_CHART_FORMAT_SVG, "svg" }, { PSIM_CHART_FORMAT_PNG, "png" }, { PSIM_CHART_FORMAT_PDF, "pdf" } };

  g_autoptr (GPtrArray) staged = g_ptr_array_new_with_free_func (staged_free);
  for (int chart = 0; chart < PSIM_N_CHARTS; chart++)
    {
      if (!psim_chart_available (data, (PsimChartId) chart))
        continue;
      for (gsize f = 0; f < G_N_ELEMENTS (formats); f++)
        {
          if ((options->formats & formats[f].format) == 0)
            continue;
          g_autoptr (GBytes) bytes = psim_chart_render (data, (PsimChartId) chart, formats[f].format, options, error);
          if (bytes == NULL)
            return FALSE;
          g_autofree char *name = g_strdup_printf ("%s.%s", psim_chart_file_stem ((PsimChartId) chart),
                                                  formats[f].extension);
          gsize length;
          const void *p = g_bytes_get_data (bytes, &length);
          g_autofree char *listed = g_strdup_printf ("%s/%s", PSIM_CHART_DIR, name);
          if (!stage (staged, chart_dir, name, p, length, hashes, listed, error))
            return FALSE;
        }
    }
  g_autofree char *html = psim_report_html (data, options, error);
  if (html == NULL)
    return FALSE;
  if (!stage (staged, outdir, "report.html", html, strlen (html), hashes, "report.html", error))
    return FALSE;
  if (hashes != NULL)
    {
      g_autofree char *text = NULL;
      if (!psim_chart_manifest_redrawn (manifest, hashes, command_line, &text, error)
          || (text != NULL && !stage (staged, outdir, "manifest.json", text, strlen (text), NULL, NULL, error)))
        return FALSE;
    }

  return rename_all (staged, error);
}

gboolean
psim_chart_write_all (const PsimChartData *data, const PsimChartOptions *options, const char *outdir,
                      char *const *manifest_command_line, GError **error)
{
  g_return_val_if_fail (data != NULL && options != NULL && outdir != NULL, FALSE);
  int year_index;
  if (!psim_chart_data_year_index (data, options->year, &year_index, error))
    return FALSE;
  /* the charts in a directory of their own, the report beside it: the layout
   * of `permitsim compare`, so that a redraw replaces its files */
  g_autofree char *chart_dir = g_build_filename (outdir, PSIM_CHART_DIR, NULL);
  gboolean had_outdir = g_file_test (outdir, G_FILE_TEST_IS_DIR);
  gboolean had_chart_dir = g_file_test (chart_dir, G_FILE_TEST_IS_DIR);
  if (g_mkdir_with_parents (chart_dir, 0755) != 0)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot create the directory: %s", chart_dir,
                   g_strerror (errno));
      return FALSE;
    }
  if (write_staged (data, options, outdir, chart_dir, manifest_command_line, error))
    return TRUE;
  /* the staged files are gone by now: a directory made for them goes too (if empty) */
  if (!had_chart_dir)
    g_rmdir (chart_dir);
  if (!had_outdir)
    g_rmdir (outdir);
  return FALSE;
}
