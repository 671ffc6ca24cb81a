/* libFuzzer harness for `permitsim merge` (psim_ensemble_merge): two slices
 * of one ensemble (PSIM_FUZZ_SLICES holds them as 0/ and 1/, made by
 * scripts/fuzz.sh with `permitsim run --replication-range`), one of whose
 * files is the input: its first byte picks the slice (bit 0) and the file
 * (the rest, modulo the files: annual.csv, groups.csv, summary.csv,
 * manifest.json). Beyond crashes, leaks and undefined behaviour it traps when
 * a merge fails without an error, or with one that is not valid UTF-8, is
 * longer than a page, or names none of the directories; and when a merge
 * that fails leaves an output directory behind. Run it with scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "permitsim/ensemble.h"
#include "permitsim/error.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const names[] = { "annual.csv", "groups.csv", "summary.csv", "manifest.json" };
enum { N_FILES = G_N_ELEMENTS (names), N_SLICES = 2 };

static char *top;                            /* the scratch directory */
static char *slice_dir[N_SLICES], *out_dir;
static GBytes *valid[N_SLICES][N_FILES];     /* NULL: the slice has no such file */
static char *paths[N_SLICES][N_FILES];

static void
put (int s, int f, const void *bytes, gsize size)
{
  if (bytes == NULL)
    g_unlink (paths[s][f]);
  else if (!g_file_set_contents (paths[s][f], bytes, (gssize) size, NULL))
    abort ();
}

static void
restore (int s, int f)
{
  put (s, f, valid[s][f] != NULL ? g_bytes_get_data (valid[s][f], NULL) : NULL,
       valid[s][f] != NULL ? g_bytes_get_size (valid[s][f]) : 0);
}

/* Removes a directory of plain files (the merged output). */
static void
remove_output (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_dir_close (d);
  g_rmdir (dir);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  const char *from = g_getenv ("PSIM_FUZZ_SLICES");
  if (from == NULL)
    abort (); /* scripts/fuzz.sh makes the slices */
  top = g_dir_make_tmp ("permitsim-fuzz-merge-XXXXXX", NULL);
  if (top == NULL)
    abort ();
  out_dir = g_build_filename (top, "merged", NULL);
  for (int s = 0; s < N_SLICES; s++)
    {
      g_autofree char *name = g_strdup_printf ("%d", s);
      slice_dir[s] = g_build_filename (top, name, NULL);
      if (g_mkdir (slice_dir[s], 0700) != 0)
        abort ();
      for (int f = 0; f < N_FILES; f++)
        {
          g_autofree char *source = g_build_filename (from, name, names[f], NULL);
          char *text = NULL;
          gsize size = 0;
          if (g_file_get_contents (source, &text, &size, NULL))
            valid[s][f] = g_bytes_new_take (text, size);
          paths[s][f] = g_build_filename (slice_dir[s], names[f], NULL);
          restore (s, f);
        }
    }
  return 0;
}

static gboolean
error_ok (const GError *error)
{
  return error != NULL && error->message != NULL && g_utf8_validate (error->message, -1, NULL)
         && strlen (error->message) <= 4096 && strstr (error->message, top) != NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1 || size > 256 * 1024)
    return 0;
  int s = data[0] & 1, f = (data[0] >> 1) % N_FILES;
  put (s, f, data + 1, size - 1);

  const char *dirs[] = { slice_dir[0], slice_dir[1], NULL };
  char *command_line[] = { (char *) "permitsim", (char *) "merge", NULL };
  GError *error = NULL;
  gboolean ok = psim_ensemble_merge (dirs, out_dir, command_line, &error);
  if (ok != (error == NULL))
    abort ();
  if (!ok && (!error_ok (error) || g_file_test (out_dir, G_FILE_TEST_EXISTS)))
    abort (); /* a readable error, and nothing written */
  g_clear_error (&error);
  remove_output (out_dir);

  restore (s, f);
  return 0;
}
