/* Shared helpers for the CUnit test programs. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <stdlib.h>

static GPtrArray *scratch_dirs;

void
psim_test_add_suite (const char *suite_name, const PsimTestCase *cases)
{
  if (CU_get_registry () == NULL && CU_initialize_registry () != CUE_SUCCESS)
    g_error ("cannot initialise CUnit");
  CU_pSuite suite = CU_add_suite (suite_name, NULL, NULL);
  g_assert (suite != NULL);
  for (const PsimTestCase *c = cases; c->name != NULL; c++)
    g_assert (CU_add_test (suite, c->name, c->func) != NULL);
}

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
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

int
psim_test_run (void)
{
  CU_basic_set_mode (CU_BRM_VERBOSE);
  CU_basic_run_tests ();
  unsigned failed = CU_get_number_of_failures () + CU_get_number_of_tests_failed ();
  unsigned ran = CU_get_number_of_tests_run ();
  CU_cleanup_registry ();
  if (scratch_dirs != NULL)
    {
      for (guint i = 0; i < scratch_dirs->len; i++)
        remove_tree (g_ptr_array_index (scratch_dirs, i));
      g_ptr_array_free (scratch_dirs, TRUE);
      scratch_dirs = NULL;
    }
  if (ran == 0)
    return 1; /* a test program that ran nothing has failed */
  return failed == 0 ? 0 : 1;
}

const char *
psim_test_source_dir (void)
{
  const char *dir = g_getenv ("PSIM_SOURCE_DIR");
  return dir != NULL ? dir : ".";
}

char *
psim_test_path (const char *relative)
{
  return g_build_filename (psim_test_source_dir (), relative, NULL);
}

char *
psim_test_tmpdir (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("permitsim-test-XXXXXX", &error);
  g_assert_no_error (error);
  if (scratch_dirs == NULL)
    scratch_dirs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (scratch_dirs, g_strdup (dir));
  return dir;
}

const char *
psim_test_binary (void)
{
  const char *bin = g_getenv ("PSIM_BINARY");
  return bin != NULL ? bin : "build/permitsim";
}
