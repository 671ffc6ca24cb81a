/* permitsim: `permitsim run` -- simulate a region and write the result files.
 *
 * Loads the region, its parameter file and any scenarios; opens the output
 * directory (staged, see output.h) before simulating so that a refused --out
 * fails at once; runs the replications through the ensemble runner
 * (ensemble.h: threads, and MPI ranks under mpiexec); writes the tables,
 * summary.csv, parameters.csv and manifest.json; then prints the region's
 * sectors by year.
 */
#define _POSIX_C_SOURCE 200809L /* fsync, fileno, isatty */

#include "cli.h"
#include "cli_ensemble.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "permitsim/engine.h"
#include "permitsim/ensemble.h"
#include "permitsim/error.h"
#include "permitsim/loader.h"
#include "permitsim/output.h"
#include "permitsim/summary.h"

#define YEAR_UNSET PSIM_CLI_YEAR_UNSET

static const char run_description[] =
  "Simulates the region week by week and writes into the output directory:\n"
  "  annual.csv     one row per scenario, replication, year and municipality,\n"
  "                 plus municipality ALL for the whole region\n"
  "  groups.csv     the whole region per year, by gender, origin, age group and\n"
  "                 workplace\n"
  "  weekly.csv     as annual.csv, one row per week (only with --weekly)\n"
  "  summary.csv    per scenario, year, municipality and metric: the mean,\n"
  "                 median and 5th/95th percentiles over the replications\n"
  "  parameters.csv the parameters of each replication (--sample-parameters)\n"
  "  manifest.json  version, command line, seed, every input file with its\n"
  "                 SHA-256, every parameter value used, and which uncertainty\n"
  "                 the intervals of summary.csv show\n"
  "The columns are documented in docs/outputs.md. Then prints the region's\n"
  "workers by sector and year (the mean over the replications).\n"
  "\n"
  "REGION.xml may also be the file name of a bundled region (netherlands.xml).\n"
  "The period defaults to the region's own; the parameter file to the one the\n"
  "region names. Scenarios are applied in the order given; the scenario column\n"
  "holds their names joined with '+', or 'baseline' without any.\n"
  "\n"
  "Replications are numbered 0 to N-1 (-n N) and run on --threads threads\n"
  "(default: one per core), or across the processes of `mpiexec -n K\n"
  "permitsim run ...` in a build with MPI; the same inputs, seed and N give\n"
  "the same bytes however they run. --replication-range A:B runs\n"
  "replications A to B-1 of the N; `permitsim merge` joins such slices. With\n"
  "--sample-parameters each replication draws every parameter whose range in\n"
  "the parameter file has min < max, by Latin hypercube over the N.\n"
  "\n"
  "The output directory changes only when the whole run succeeded. An existing\n"
  "one is used only if it is empty or holds a previous output (manifest.json):\n"
  "its result files are then replaced and any other file is left alone.\n"
  "\n"
  "Examples:\n"
  "  permitsim run municipalities/netherlands.xml\n"
  "  permitsim run municipalities/netherlands.xml --from 2012 --to 2014 --seed 7 --out out\n"
  "  permitsim run municipalities/netherlands.xml --scenario SCENARIO.xml --weekly\n"
  "  permitsim run netherlands.xml -n 1000 --sample-parameters --out ensemble\n"
  "  permitsim run netherlands.xml -n 1000 --replication-range 0:500 --out part1\n"
  "\n"
  "Exit status: 0 success, 1 usage error, 2 invalid input, 3 runtime or output failure,\n"
  "130 interrupted by Ctrl-C (143 by SIGTERM): nothing written.";

typedef struct {
  char **scenarios;
  int from;
  int to;
  gint64 seed;
  char *out;
  char *parameters;
  gboolean weekly;
  int replications;         /* N */
  int threads;              /* 0: one per core */
  char *range;              /* "A:B" */
  uint32_t first, last;     /* the range, parsed */
  gboolean sample_parameters;
  gboolean quiet;
} RunOptions;

/* "A:B" with 0 <= A < B <= n into [first, last); FALSE when it is not. */
static gboolean
parse_range (const char *text, uint32_t n, uint32_t *first, uint32_t *last)
{
  char *end = NULL;
  if (!g_ascii_isdigit (text[0]))
    return FALSE;
  guint64 a = g_ascii_strtoull (text, &end, 10);
  if (*end != ':' || !g_ascii_isdigit (end[1]))
    return FALSE;
  guint64 b = g_ascii_strtoull (end + 1, &end, 10);
  if (*end != '\0' || a >= b || b > n)
    return FALSE;
  *first = (uint32_t) a;
  *last = (uint32_t) b;
  return TRUE;
}

/* The region's workers by sector and year: sums over the replications run, shown as means. */
static void
print_summary (const PsimRegion *region, const char *label, const RunOptions *opt,
               const PsimTally *totals, int first_year, int n_years, const char *out_dir)
{
  double n = opt->last - opt->first;
  printf ("%s, %s, seed %" G_GINT64_FORMAT, region->name != NULL ? region->name : "region",
          label, opt->seed);
  if (opt->replications > 1)
    printf (", mean of replications %u-%u of %d", opt->first, opt->last - 1, opt->replications);
  printf ("\n");
  printf ("%6s %10s %10s %10s %10s %10s\n", "year", "workers", "licensed", "unlicensed",
          "illegal", "% illegal");
  for (int y = 0; y < n_years; y++)
    {
      const PsimTally *t = &totals[y];
      char pct[32];
      if (t->workers > 0)
        g_snprintf (pct, sizeof pct, "%.1f",
                    100.0 * (double) t->sector[PSIM_SECTOR_ILLEGAL] / (double) t->workers);
      else
        g_strlcpy (pct, "-", sizeof pct);
      printf ("%6d %10.0f %10.0f %10.0f %10.0f %10s\n", first_year + y, (double) t->workers / n,
              (double) t->sector[PSIM_SECTOR_LICENSED] / n,
              (double) t->sector[PSIM_SECTOR_UNLICENSED] / n,
              (double) t->sector[PSIM_SECTOR_ILLEGAL] / n, pct);
    }
  printf ("Results in %s%s (annual.csv, groups.csv%s, summary.csv%s, manifest.json)\n", out_dir,
          g_str_has_suffix (out_dir, G_DIR_SEPARATOR_S) ? "" : G_DIR_SEPARATOR_S,
          opt->weekly ? ", weekly.csv" : "", opt->sample_parameters ? ", parameters.csv" : "");
}

/* Loads the region, the parameters and the scenarios; on failure returns the
 * exit code (diagnostics printed), else 0. */
static int
load_inputs (const char *region_arg, const RunOptions *opt, PsimRegion **region_out,
             PsimParamSet **params_out, GPtrArray *scenarios)
{
  GError *error = NULL;
  int code = psim_cli_load_region (region_arg, opt->parameters, region_out, params_out);
  if (code != PSIM_EXIT_OK)
    return code;
  const PsimRegion *region = *region_out;

  for (char **s = opt->scenarios; s != NULL && *s != NULL; s++)
    {
      PsimScenario *scenario = psim_scenario_load (*s, region, NULL, &error);
      if (scenario == NULL)
        return psim_cli_report_error (error);
      g_ptr_array_add (scenarios, scenario);
    }
  return PSIM_EXIT_OK;
}

int
psim_cli_simulate_and_write (PsimOutput *out, const PsimEnsembleSpec *spec,
                             const PsimParamSet *params, const char *label, gboolean quiet,
                             char **command_line, PsimTally *totals, const PsimCliRunExtra *extra)
{
  GError *error = NULL;
  PsimCliSink sink = {
    .out = out,
    .region = spec->region,
    .label = label,
    .first_year = spec->first_year,
    .n_years = spec->last_year - spec->first_year + 1,
    .totals = totals,
    .extra = extra,
  };
  gboolean ok = TRUE;
  if (spec->sample_parameters)
    {
      g_autofree char *path = psim_output_file (out, "parameters.csv");
      sink.parameters = psim_parameters_csv_open (path, &error);
      ok = sink.parameters != NULL;
    }
  if (ok)
    {
      sink.progress = psim_progress_new (spec->last - spec->first, !quiet);
      ok = psim_ensemble_run_ranks (spec, psim_cli_sink_consume, &sink, NULL, &error);
      psim_progress_free (sink.progress);
    }
  if (ok && sink.parameters != NULL)
    ok = psim_csv_close (g_steal_pointer (&sink.parameters), &error);
  if (ok)
    ok = psim_cli_write_summary (out, quiet, &error);
  if (ok && extra != NULL && extra->write_files != NULL)
    ok = extra->write_files (out, extra->user_data, &error);
  psim_csv_discard (sink.parameters);
  if (!ok)
    {
      psim_output_abort (out);
      return psim_cli_report_error (error);
    }

  PsimManifest manifest = {
    .argv = command_line,
    .seed = spec->seed,
    .replications = spec->n_replications,
    .replication_from = spec->first,
    .replication_to = spec->last,
    .sample_parameters = spec->sample_parameters,
    .first_year = spec->first_year,
    .last_year = spec->last_year,
    .weekly = spec->weekly,
    .region = spec->region,
    .params = params,
    .scenarios = spec->scenarios,
    .n_scenarios = spec->n_scenarios,
  };
  if (!psim_output_finish (out, &manifest, &error))
    return psim_cli_report_error (error);
  return PSIM_EXIT_OK;
}

/* Everything after option parsing; returns the exit code. */
static int
run (const char *region_arg, RunOptions *opt, char **command_line)
{
  int code = psim_cli_check_ensemble (opt->seed, opt->replications, opt->threads);
  if (code != PSIM_EXIT_OK)
    return code;
  opt->first = 0;
  opt->last = (uint32_t) opt->replications;
  if (opt->range != NULL
      && !parse_range (opt->range, (uint32_t) opt->replications, &opt->first, &opt->last))
    {
      g_autofree char *msg = g_strdup_printf (
        "--replication-range %s: give A:B with 0 <= A < B <= N (N = %d, from -n)", opt->range,
        opt->replications);
      return psim_cli_usage_error (msg);
    }
  code = psim_cli_check_years (opt->from, opt->to);
  if (code != PSIM_EXIT_OK)
    return code;

  g_autoptr (PsimRegion) region = NULL;
  g_autoptr (PsimParamSet) params = NULL;
  g_autoptr (GPtrArray) scenarios = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_scenario_free);
  code = load_inputs (region_arg, opt, &region, &params, scenarios);
  if (code != PSIM_EXIT_OK)
    return code;

  int first_year, last_year;
  code = psim_cli_period (region, opt->from, opt->to, &first_year, &last_year);
  if (code != PSIM_EXIT_OK)
    return code;

  PsimEnsembleSpec spec;
  psim_cli_ensemble_spec (&spec, region, params, first_year, last_year, opt->seed, opt->replications,
                          opt->threads);
  spec.scenarios = scenarios->len > 0 ? (PsimScenario *const *) scenarios->pdata : NULL;
  spec.n_scenarios = (int) scenarios->len;
  spec.first = opt->first;
  spec.last = opt->last;
  spec.sample_parameters = opt->sample_parameters;
  spec.weekly = opt->weekly;

  GError *error = NULL;
  if (psim_ensemble_rank () != 0)
    {
      /* a process of mpiexec other than rank 0: compute and send; rank 0
       * writes every file and reports every error */
      gboolean ok = psim_ensemble_run_ranks (&spec, psim_cli_sink_consume, NULL, NULL, &error);
      g_clear_error (&error);
      return ok ? PSIM_EXIT_OK : PSIM_EXIT_FAILURE;
    }

  const char *out_dir = opt->out != NULL ? opt->out : "permitsim-out";
  PsimOutput *out = psim_output_open (out_dir, opt->weekly, &error);
  if (out == NULL)
    return psim_cli_report_error (error);
  g_autofree char *label = psim_scenario_label ((PsimScenario *const *) scenarios->pdata,
                                                (int) scenarios->len);
  int n_years = last_year - first_year + 1;
  g_autofree PsimTally *totals = g_new0 (PsimTally, n_years);
  code = psim_cli_simulate_and_write (out, &spec, params, label, opt->quiet, command_line, totals,
                                      NULL);
  if (code == PSIM_EXIT_OK)
    print_summary (region, label, opt, totals, first_year, n_years, out_dir);
  return code;
}

int
psim_cmd_run (int argc, char **argv)
{
  RunOptions opt = { .from = YEAR_UNSET, .to = YEAR_UNSET, .seed = 1, .replications = 1 };
  GOptionEntry entries[] = {
    { "scenario", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt.scenarios,
      "apply a scenario file (repeat to apply several, in order)", "FILE" },
    { "from", 0, 0, G_OPTION_ARG_INT, &opt.from, "first year reported (default: the region's)", "YEAR" },
    { "to", 0, 0, G_OPTION_ARG_INT, &opt.to, "last year reported (default: the region's)", "YEAR" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opt.seed, "random seed, 0 or more (default 1)", "N" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt.out,
      "output directory (default permitsim-out)", "DIR" },
    { "weekly", 0, 0, G_OPTION_ARG_NONE, &opt.weekly, "also write weekly.csv", NULL },
    { "parameters", 'p', 0, G_OPTION_ARG_FILENAME, &opt.parameters,
      "parameter file (default: the one the region names)", "FILE" },
    { "replications", 'n', 0, G_OPTION_ARG_INT, &opt.replications,
      "replications in the ensemble (default 1)", "N" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &opt.threads,
      "threads (default: one per core; under mpiexec, the cores per rank)", "T" },
    { "replication-range", 0, 0, G_OPTION_ARG_STRING, &opt.range,
      "run only replications A to B-1 of the N (join the parts with `permitsim merge`)", "A:B" },
    { "sample-parameters", 0, 0, G_OPTION_ARG_NONE, &opt.sample_parameters,
      "draw the uncertain parameters per replication (Latin hypercube over their ranges)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt.quiet, "no progress line on a terminal", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };

  /* the command line as typed, for manifest.json */
  g_autoptr (GPtrArray) cmdline = psim_cli_command_line (argc, argv);

  int code = psim_cli_parse_options ("permitsim run", "REGION.xml",
                                     "Simulate a region (with scenarios) and write CSV results and a "
                                     "manifest.",
                                     run_description, entries, &argc, &argv);
  if (code == PSIM_EXIT_OK)
    {
      if (argc != 2)
        code = psim_cli_usage_error (argc < 2 ? "no region file given" : "give exactly one region file");
      else
        code = run (argv[1], &opt, (char **) cmdline->pdata);
    }
  g_strfreev (opt.scenarios);
  g_free (opt.out);
  g_free (opt.parameters);
  g_free (opt.range);
  if (code != PSIM_EXIT_OK)
    psim_ensemble_ranks_fail (); /* under mpiexec: stop the other ranks rather than wait */
  return code;
}
