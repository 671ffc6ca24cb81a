/* permitsim: an output directory that changes only when a run succeeded.
 *
 * Files are written into a staging directory created next to the target (so
 * that a rename moves them, on the same file system) and moved into place by
 * psim_output_dir_commit(). Into an existing output the previous files are
 * first hard-linked aside, so that a failure half-way through the renames is
 * rolled back and the old files come back byte for byte. A subdirectory (the
 * charts/ of a comparison) is committed the same way, file by file, so that
 * files of the user's own in it are left alone.
 */
#define _XOPEN_SOURCE 700 /* realpath, link, O_DIRECTORY, fsync */

#include "permitsim/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "permitsim/error.h"

const char *const psim_output_file_names[] = {
  "annual.csv", "weekly.csv", "groups.csv", "summary.csv", "parameters.csv", "targets.csv",
  "sensitivity.csv", "differences.csv", "manifest.json", "report.html",
  /* the charts that `compare` and `chart` write into charts/ (chart.c's names) */
  "charts/workers-by-sector.svg", "charts/workers-by-sector.png", "charts/workers-by-sector.pdf",
  "charts/violence.svg", "charts/violence.png", "charts/violence.pdf",
  "charts/reporting-testing.svg", "charts/reporting-testing.png", "charts/reporting-testing.pdf",
  "charts/exploitation.svg", "charts/exploitation.png", "charts/exploitation.pdf",
  "charts/places-waiting.svg", "charts/places-waiting.png", "charts/places-waiting.pdf",
  "charts/net-moves.svg", "charts/net-moves.png", "charts/net-moves.pdf",
  /* where earlier versions put them: `compare` beside the results, `chart`
   * its report in charts/. Known, so that a new output written over an old
   * one removes them rather than keep a second, stale copy. */
  "workers-by-sector.svg", "workers-by-sector.png", "workers-by-sector.pdf",
  "violence.svg", "violence.png", "violence.pdf",
  "reporting-testing.svg", "reporting-testing.png", "reporting-testing.pdf",
  "exploitation.svg", "exploitation.png", "exploitation.pdf",
  "places-waiting.svg", "places-waiting.png", "places-waiting.pdf",
  "net-moves.svg", "net-moves.png", "net-moves.pdf",
  "charts/report.html",
  NULL,
};

#define MANIFEST_NAME "manifest.json"
#define BACKUP_NAME ".previous"

struct _PsimOutputDir {
  char *given;   /* as the user wrote it, for messages */
  char *target;  /* absolute, symbolic links resolved when it exists */
  char *staging;
};

/* Removes a directory tree that this file created (never follows links). */
static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          GStatBuf st;
          if (g_lstat (child, &st) == 0 && S_ISDIR (st.st_mode))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static void
sync_dir (const char *path)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      (void) fsync (fd); /* best effort: not every file system syncs directories */
      close (fd);
    }
}

/* An existing target must be a directory that is empty or a previous output. */
static gboolean
check_existing (const char *given, const char *target, GError **error)
{
  GStatBuf st;
  if (g_stat (target, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: %s", given, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: exists and is not a directory", given);
      return FALSE;
    }
  GError *local = NULL;
  GDir *dir = g_dir_open (target, 0, &local);
  if (dir == NULL)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: %s", given, local->message);
      g_error_free (local);
      return FALSE;
    }
  gboolean empty = g_dir_read_name (dir) == NULL;
  g_dir_close (dir);
  g_autofree char *manifest = g_build_filename (target, MANIFEST_NAME, NULL);
  if (!empty && !g_file_test (manifest, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO,
                   "%s: not empty and not a permitsim output (it has no %s); "
                   "choose another output directory or empty this one",
                   given, MANIFEST_NAME);
      return FALSE;
    }
  return TRUE;
}

PsimOutputDir *
psim_output_dir_begin (const char *dir, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  if (*dir == '\0')
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "the output directory name is empty");
      return NULL;
    }
  g_autofree char *target = g_canonicalize_filename (dir, NULL);
  GStatBuf st;
  if (g_stat (target, &st) == 0)
    {
      char *real = realpath (target, NULL);
      if (real != NULL)
        {
          g_free (target);
          target = g_strdup (real);
          free (real);
        }
      if (!check_existing (dir, target, error))
        return NULL;
    }
  else if (errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: %s", dir, g_strerror (saved));
      return NULL;
    }

  g_autofree char *parent = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  if (strcmp (base, G_DIR_SEPARATOR_S) == 0 || strcmp (base, ".") == 0)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot be an output directory", dir);
      return NULL;
    }
  if (g_mkdir_with_parents (parent, 0777) != 0)
    {
      int saved = errno;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot create: %s", parent,
                   g_strerror (saved));
      return NULL;
    }
  g_autofree char *template_name = g_strdup_printf (".%s.tmp-XXXXXX", base);
  char *staging = g_build_filename (parent, template_name, NULL);
  if (g_mkdtemp_full (staging, 0777) == NULL)
    {
      int saved = errno;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot create a directory next to it: %s",
                   dir, g_strerror (saved));
      g_free (staging);
      return NULL;
    }
  PsimOutputDir *od = g_new0 (PsimOutputDir, 1);
  od->given = g_strdup (dir);
  od->target = g_steal_pointer (&target);
  od->staging = staging;
  psim_interrupt_output_begin (od->given);
  return od;
}

const char *
psim_output_dir_staging (const PsimOutputDir *od)
{
  return od->staging;
}

const char *
psim_output_dir_target (const PsimOutputDir *od)
{
  return od->target;
}

char *
psim_output_dir_file (const PsimOutputDir *od, const char *name)
{
  return g_build_filename (od->staging, name, NULL);
}

static void
output_dir_free (PsimOutputDir *od)
{
  psim_interrupt_output_end (od->given);
  g_free (od->given);
  g_free (od->target);
  g_free (od->staging);
  g_free (od);
}

void
psim_output_dir_abort (PsimOutputDir *od)
{
  if (od == NULL)
    return;
  remove_tree (od->staging);
  output_dir_free (od);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Adds the files under staging/rel to `files` and the directories to `dirs`,
 * both by their path relative to the staging directory ("charts/violence.svg").
 * rel is NULL at the top, where the backup directory is left out. */
static gboolean
collect_staged (const char *staging, const char *rel, GPtrArray *files, GPtrArray *dirs,
                GError **error)
{
  g_autofree char *path = rel != NULL ? g_build_filename (staging, rel, NULL) : g_strdup (staging);
  GDir *dir = g_dir_open (path, 0, error);
  if (dir == NULL)
    return FALSE;
  gboolean ok = TRUE;
  const char *name;
  while (ok && (name = g_dir_read_name (dir)) != NULL)
    {
      if (rel == NULL && strcmp (name, BACKUP_NAME) == 0)
        continue;
      char *child = rel != NULL ? g_strconcat (rel, "/", name, NULL) : g_strdup (name);
      g_autofree char *child_path = g_build_filename (staging, child, NULL);
      GStatBuf st;
      if (g_lstat (child_path, &st) == 0 && S_ISDIR (st.st_mode))
        {
          g_ptr_array_add (dirs, child);
          ok = collect_staged (staging, child, files, dirs, error);
        }
      else
        g_ptr_array_add (files, child);
    }
  g_dir_close (dir);
  return ok;
}

/* The staged files (subdirectories' by their relative path) in a fixed order,
 * manifest.json last; the staged subdirectories into *dirs, parents first. */
static GPtrArray *
staged_names (const char *staging, GPtrArray **dirs, GError **error)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  *dirs = g_ptr_array_new_with_free_func (g_free);
  if (!collect_staged (staging, NULL, names, *dirs, error))
    {
      g_ptr_array_unref (names);
      g_clear_pointer (dirs, g_ptr_array_unref);
      return NULL;
    }
  g_ptr_array_sort (names, compare_names); /* a fixed order */
  g_ptr_array_sort (*dirs, compare_names); /* "charts" before "charts/x" */
  guint manifest;
  if (g_ptr_array_find_with_equal_func (names, MANIFEST_NAME, g_str_equal, &manifest))
    g_ptr_array_add (names, g_ptr_array_steal_index (names, manifest));
  return names;
}

/* Removes the directories a commit created in the target, deepest first
 * (each only if empty again). */
static void
remove_created (GPtrArray *created)
{
  for (guint i = created->len; i > 0; i--)
    g_rmdir (g_ptr_array_index (created, i - 1));
}

/* Makes every staged subdirectory exist in the target before any file is
 * moved, so that a file in the way fails the commit while nothing has
 * changed yet. The directories it makes are added to `created`. */
static gboolean
make_target_dirs (PsimOutputDir *od, GPtrArray *dirs, GPtrArray *created, GError **error)
{
  for (guint i = 0; i < dirs->len; i++)
    {
      g_autofree char *path = g_build_filename (od->target, g_ptr_array_index (dirs, i), NULL);
      GStatBuf st;
      if (g_stat (path, &st) == 0)
        {
          if (S_ISDIR (st.st_mode))
            continue;
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: exists and is not a directory", path);
          return FALSE;
        }
      if (errno != ENOENT || g_mkdir (path, 0777) != 0)
        {
          int err = errno;
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot create: %s", path, g_strerror (err));
          return FALSE;
        }
      g_ptr_array_add (created, g_steal_pointer (&path));
    }
  return TRUE;
}

/* Puts back every output file of the previous run from the backup, removes
 * the new files that had no previous version and the directories the commit
 * created. */
static void
roll_back (PsimOutputDir *od, const char *backup, GPtrArray *moved, GPtrArray *created)
{
  for (const char *const *n = psim_output_file_names; *n != NULL; n++)
    {
      g_autofree char *saved = g_build_filename (backup, *n, NULL);
      g_autofree char *dest = g_build_filename (od->target, *n, NULL);
      if (g_file_test (saved, G_FILE_TEST_EXISTS))
        g_rename (saved, dest);
      else if (g_ptr_array_find_with_equal_func (moved, *n, g_str_equal, NULL))
        g_unlink (dest);
    }
  remove_created (created);
}

static gboolean
commit_into_existing (PsimOutputDir *od, GError **error)
{
  if (!check_existing (od->given, od->target, error))
    return FALSE;
  g_autoptr (GPtrArray) dirs = NULL;
  g_autoptr (GPtrArray) names = staged_names (od->staging, &dirs, error);
  if (names == NULL)
    return FALSE;

  /* keep the previous output files, as hard links, until the new ones are in place */
  g_autofree char *backup = g_build_filename (od->staging, BACKUP_NAME, NULL);
  if (g_mkdir (backup, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: %s", backup, g_strerror (saved));
      return FALSE;
    }
  for (const char *const *n = psim_output_file_names; *n != NULL; n++)
    {
      g_autofree char *old = g_build_filename (od->target, *n, NULL);
      g_autofree char *saved = g_build_filename (backup, *n, NULL);
      GStatBuf st;
      if (g_lstat (old, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      g_autofree char *saved_dir = g_path_get_dirname (saved);
      if (g_mkdir_with_parents (saved_dir, 0700) != 0 || link (old, saved) != 0)
        {
          int err = errno;
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO,
                       "%s: cannot keep the previous file while replacing it: %s", old,
                       g_strerror (err));
          return FALSE;
        }
    }

  g_autoptr (GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  if (!make_target_dirs (od, dirs, created, error))
    {
      remove_created (created);
      return FALSE;
    }
  g_autoptr (GPtrArray) moved = g_ptr_array_new ();
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      if (strcmp (name, MANIFEST_NAME) == 0)
        {
          /* before the manifest: drop output files of the previous run that this run did not write */
          for (const char *const *n = psim_output_file_names; *n != NULL; n++)
            {
              if (g_ptr_array_find_with_equal_func (names, *n, g_str_equal, NULL))
                continue;
              g_autofree char *stale = g_build_filename (od->target, *n, NULL);
              GStatBuf st;
              if (g_lstat (stale, &st) == 0 && S_ISREG (st.st_mode) && g_unlink (stale) != 0)
                {
                  int err = errno;
                  g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot remove: %s", stale,
                               g_strerror (err));
                  roll_back (od, backup, moved, created);
                  return FALSE;
                }
            }
        }
      g_autofree char *from = g_build_filename (od->staging, name, NULL);
      g_autofree char *to = g_build_filename (od->target, name, NULL);
      if (g_rename (from, to) != 0)
        {
          int err = errno;
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot move into place: %s", to,
                       g_strerror (err));
          roll_back (od, backup, moved, created);
          return FALSE;
        }
      g_ptr_array_add (moved, (gpointer) name);
    }

  /* a subdirectory of the previous output that this run wrote nothing into
   * (the charts/ of a comparison, under a plain run) goes when its files
   * went; one that still holds other files stays */
  for (const char *const *n = psim_output_file_names; *n != NULL; n++)
    {
      if (strchr (*n, '/') == NULL)
        continue;
      g_autofree char *sub = g_path_get_dirname (*n);
      if (!g_ptr_array_find_with_equal_func (dirs, sub, g_str_equal, NULL))
        {
          g_autofree char *path = g_build_filename (od->target, sub, NULL);
          g_rmdir (path);
        }
    }
  sync_dir (od->target);
  for (guint i = 0; i < dirs->len; i++)
    {
      g_autofree char *path = g_build_filename (od->target, g_ptr_array_index (dirs, i), NULL);
      sync_dir (path);
    }
  return TRUE;
}

gboolean
psim_output_dir_commit (PsimOutputDir *od, GError **error)
{
  g_return_val_if_fail (od != NULL, FALSE);
  /* an interrupted command writes nothing, however far it got */
  if (psim_interrupt_check (error))
    {
      psim_output_dir_abort (od);
      return FALSE;
    }
  gboolean ok;
  if (g_rename (od->staging, od->target) == 0)
    {
      /* the target did not exist: the staging directory simply becomes it */
      g_autofree char *parent = g_path_get_dirname (od->target);
      sync_dir (parent);
      output_dir_free (od);
      return TRUE;
    }
  int err = errno;
  if (err == EEXIST || err == ENOTEMPTY || err == EISDIR || err == ENOTDIR)
    ok = commit_into_existing (od, error);
  else
    {
      ok = FALSE;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot move into place: %s", od->given,
                   g_strerror (err));
    }
  psim_output_dir_abort (od);
  return ok;
}
