/* permitsim: `permitsim merge` -- combine the outputs of ensemble slices.
 *
 * Option parsing only; the checks and the merging are psim_ensemble_merge()
 * in src/ensemble_merge.c.
 */
#include "cli.h"

#include <stdio.h>

#include "permitsim/ensemble.h"
#include "permitsim/error.h"

static const char merge_description[] =
  "Each DIR is the output of `permitsim run ... -n N --replication-range A:B`.\n"
  "merge checks that they are slices of one ensemble -- the same program\n"
  "version, input files (by SHA-256), parameters, seed, N, period, scenarios,\n"
  "weekly output and parameter sampling -- and that their ranges are disjoint\n"
  "and together cover 0:N, then writes into --out exactly what one run of the\n"
  "whole ensemble writes: annual.csv, groups.csv, weekly.csv and\n"
  "parameters.csv row for row, summary.csv recomputed. manifest.json is the\n"
  "slices' own with the whole range, the merge command line, new output\n"
  "hashes and a list of the slices merged (\"merged_from\").\n"
  "\n"
  "Example:\n"
  "  permitsim run netherlands.xml -n 1000 --replication-range 0:500 --out part1\n"
  "  permitsim run netherlands.xml -n 1000 --replication-range 500:1000 --out part2\n"
  "  permitsim merge part1 part2 --out all\n"
  "\n"
  "Exit status: 0 success, 1 usage error, 2 the slices do not fit together or a\n"
  "file in them is damaged, 3 writing failed.";

int
psim_cmd_merge (int argc, char **argv)
{
  char *out = NULL;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "output directory (required)", "DIR" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GPtrArray) cmdline = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (cmdline, g_strdup ("permitsim"));
  for (int i = 0; i < argc; i++)
    g_ptr_array_add (cmdline, g_strdup (argv[i]));
  g_ptr_array_add (cmdline, NULL);

  int code = psim_cli_parse_options ("permitsim merge", "DIR...",
                                     "Merge the output directories of slices of one ensemble into one.",
                                     merge_description, entries, &argc, &argv);
  if (code == PSIM_EXIT_OK)
    {
      if (argc < 2)
        code = psim_cli_usage_error ("no directories given");
      else if (out == NULL)
        code = psim_cli_usage_error ("--out DIR is required");
      else
        {
          GError *error = NULL;
          g_autofree const char **dirs = g_new0 (const char *, (gsize) argc);
          for (int i = 1; i < argc; i++)
            dirs[i - 1] = argv[i];
          if (psim_ensemble_merge (dirs, out, (char **) cmdline->pdata, &error))
            {
              printf ("Merged %d slices into %s\n", argc - 1, out);
              code = PSIM_EXIT_OK;
            }
          else
            code = psim_cli_report_error (error);
        }
    }
  g_free (out);
  return code;
}
