/* libFuzzer harness for the XML loader: each input is checked as whatever
 * format its root element names (municipality, region, scenario against the
 * test region, parameters), through the same code as a file read from disk.
 * Beyond crashes, leaks and undefined behaviour it traps when a message
 * breaks the loader's promises: valid UTF-8, short, naming the file.
 * Run it with scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "../../src/loader_data.h"
#include "permitsim/error.h"
#include "permitsim/loader.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The name the input goes by: a folder that does not exist, so that a
 * region's references resolve to nothing instead of to files of this machine. */
#define INPUT_NAME "/nonexistent-permitsim-fuzz/input.xml"

static PsimRegion *region;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  const char *path = g_getenv ("PSIM_FUZZ_REGION");
  region = psim_region_load (path != NULL ? path : "tests/data/valid/region.xml", NULL, NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > 1024 * 1024)
    return 0;
  char *copy = g_malloc (size + 1); /* as the file reader gives it: NUL after the data */
  memcpy (copy, data, size);
  copy[size] = '\0';
  GPtrArray *diagnostics = psim_diagnostics_new ();
  gboolean ok = psim_loader_check_data (INPUT_NAME, copy, size, region, diagnostics);
  if (ok != (diagnostics->len == 0))
    abort (); /* valid exactly when no problem was found */
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const PsimDiagnostic *d = g_ptr_array_index (diagnostics, i);
      if (d->message == NULL || !g_utf8_validate (d->message, -1, NULL) || strlen (d->message) > 1000
          || d->line < 0 || d->column < 0 || (d->column > 0 && d->line == 0))
        abort ();
      if (strcmp (d->file, INPUT_NAME) != 0 && !g_str_has_prefix (d->file, "/nonexistent-permitsim-fuzz/"))
        abort (); /* every problem is in the input or in a file it names */
    }
  g_ptr_array_unref (diagnostics);
  g_free (copy);
  return 0;
}
