/* libFuzzer harness for the readers of a results directory (what `permitsim
 * chart DIR` and `compare` read back: annual.csv, summary.csv, manifest.json,
 * through psim_chart_data_load). The first byte of an input picks the file it
 * stands for; the other two are those of a small valid directory
 * (PSIM_FUZZ_RESULTS, default tests/data/results/with-summary). Beyond
 * crashes, leaks and undefined behaviour it traps when a load neither gives
 * data nor an error, or gives an error that is not valid UTF-8, is longer
 * than a page, or names no file of the directory. An input whose first byte
 * has its top bit set is also drawn as a chart and a report, when it loads.
 * Run it with scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "permitsim/chart.h"
#include "permitsim/error.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const names[] = { "annual.csv", "summary.csv", "manifest.json" };
enum { N_FILES = G_N_ELEMENTS (names) };

static char *dir;                 /* the directory each input is loaded from */
static GBytes *valid[N_FILES];    /* the valid files (NULL: none) */
static char *paths[N_FILES];

static void
put (int f, const void *bytes, gsize size)
{
  if (bytes == NULL)
    g_unlink (paths[f]);
  else if (!g_file_set_contents (paths[f], bytes, (gssize) size, NULL))
    abort ();
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  const char *from = g_getenv ("PSIM_FUZZ_RESULTS");
  if (from == NULL)
    from = "tests/data/results/with-summary";
  dir = g_dir_make_tmp ("permitsim-fuzz-XXXXXX", NULL);
  if (dir == NULL)
    abort ();
  for (int f = 0; f < N_FILES; f++)
    {
      g_autofree char *source = g_build_filename (from, names[f], NULL);
      char *text = NULL;
      gsize size = 0;
      if (g_file_get_contents (source, &text, &size, NULL))
        valid[f] = g_bytes_new_take (text, size);
      paths[f] = g_build_filename (dir, names[f], NULL);
      put (f, valid[f] != NULL ? g_bytes_get_data (valid[f], NULL) : NULL,
           valid[f] != NULL ? g_bytes_get_size (valid[f]) : 0);
    }
  return 0;
}

/* An error names the directory's path (a file in it, with line and column
 * after) and is readable. */
static gboolean
error_ok (const GError *error)
{
  return error != NULL && error->message != NULL && g_utf8_validate (error->message, -1, NULL)
         && strlen (error->message) <= 4096 && g_str_has_prefix (error->message, dir);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1 || size > 256 * 1024)
    return 0;
  int f = data[0] % N_FILES;
  gboolean draw = (data[0] & 0x80) != 0;
  put (f, data + 1, size - 1);

  GError *error = NULL;
  PsimChartData *d = psim_chart_data_load (dir, &error);
  if ((d == NULL) == (error == NULL))
    abort (); /* data, or an error: never both, never neither */
  if (d == NULL && !error_ok (error))
    abort ();
  g_clear_error (&error);
  if (d != NULL && draw)
    {
      /* the charts and the report: whatever the numbers, a drawing or an error */
      PsimChartOptions options = { PSIM_LANG_EN, 0, 0 };
      for (int chart = 0; chart < PSIM_N_CHARTS; chart++)
        if (psim_chart_available (d, (PsimChartId) chart))
          {
            GBytes *svg = psim_chart_render (d, (PsimChartId) chart, PSIM_CHART_FORMAT_SVG, &options, &error);
            if ((svg == NULL) == (error == NULL))
              abort ();
            g_clear_error (&error);
            g_clear_pointer (&svg, g_bytes_unref);
          }
      char *html = psim_report_html (d, &options, &error);
      if ((html == NULL) == (error == NULL))
        abort ();
      g_clear_error (&error);
      g_free (html);
    }
  if (d != NULL)
    psim_chart_data_free (d);

  /* back to the valid file for the next input */
  put (f, valid[f] != NULL ? g_bytes_get_data (valid[f], NULL) : NULL,
       valid[f] != NULL ? g_bytes_get_size (valid[f]) : 0);
  return 0;
}
