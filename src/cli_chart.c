/* permitsim chart: re-draws the charts and report.html of an existing results
 * directory, without simulating, and brings its manifest's list of outputs
 * up to date. Wiring only: the work is in src/chart*.c and
 * src/report*.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_ensemble.h"
#include "permitsim/chart.h"
#include "permitsim/error.h"

int
psim_cmd_chart (int argc, char **argv)
{
  g_autofree char *lang_text = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *outdir = NULL;
  int year = 0;
  g_autoptr (GPtrArray) command_line = psim_cli_command_line (argc, argv); /* before parsing takes options out */
  GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang_text, "language of every label: nl (default) or en", "nl|en" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "chart formats (default: svg,png,pdf)", "svg,png,pdf" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &outdir,
      "write report.html and charts/ here instead of into DIR", "OUTDIR" },
    { "year", 0, 0, G_OPTION_ARG_INT, &year, "year of the one-year charts and of the report (default: the last)",
      "YEAR" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  int code = psim_cli_parse_options (
    "permitsim chart", "DIR",
    "Draws the comparison charts (SVG, PNG, PDF) and report.html from the results in\n"
    "DIR (annual.csv, manifest.json and, when present, summary.csv) without simulating.\n"
    "The charts go into DIR/charts/ and the report into DIR, where `permitsim compare`\n"
    "puts them, replacing the ones it wrote; DIR/manifest.json then lists their new\n"
    "SHA-256 and this command (charts_command_line).",
    "Exit status: 0 success, 1 usage error, 2 a missing or invalid results file,\n"
    "3 the output could not be written.\n",
    entries, &argc, &argv);
  if (code != PSIM_EXIT_OK)
    return code;
  if (argc != 2)
    return psim_cli_usage_error (argc < 2 ? "no results directory given" : "give exactly one results directory");

  PsimChartOptions options = { PSIM_LANG_NL, PSIM_CHART_FORMAT_SVG | PSIM_CHART_FORMAT_PNG | PSIM_CHART_FORMAT_PDF,
                               year };
  if (lang_text != NULL && !psim_lang_from_string (lang_text, &options.lang))
    {
      g_autofree char *msg = g_strdup_printf ("unknown language '%s' (use nl or en)", lang_text);
      return psim_cli_usage_error (msg);
    }
  GError *error = NULL;
  if (format_text != NULL && !psim_chart_formats_parse (format_text, &options.formats, &error))
    return psim_cli_report_error (error);

  const char *dir = argv[1];
  g_autoptr (PsimChartData) data = psim_chart_data_load (dir, &error);
  if (data == NULL)
    return psim_cli_report_error (error);
  const char *target = outdir != NULL ? outdir : dir;
  /* the manifest lists the files of its own directory: brought up to date
   * when the charts go there, not when they go elsewhere */
  g_autofree char *dir_path = g_canonicalize_filename (dir, NULL);
  g_autofree char *target_path = g_canonicalize_filename (target, NULL);
  gboolean in_place = strcmp (dir_path, target_path) == 0;
  if (!psim_chart_write_all (data, &options, target, in_place ? (char *const *) command_line->pdata : NULL, &error))
    return psim_cli_report_error (error);
  g_autofree char *chart_dir = g_build_filename (target, PSIM_CHART_DIR, NULL);
  g_autofree char *report = g_build_filename (target, "report.html", NULL);
  printf ("permitsim: charts written to %s%s, the report to %s\n", chart_dir, G_DIR_SEPARATOR_S, report);
  return PSIM_EXIT_OK;
}
