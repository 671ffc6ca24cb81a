/* permitsim: `permitsim replay` -- the Netherlands 1999-2022 against the record.
 *
 * Runs the bundled national region over its whole period through the same
 * path as `permitsim run` (tables, summary.csv, manifest.json, atomic output
 * directory), evaluates every target of the targets table on each
 * replication, writes targets.csv beside the other files and prints the
 * comparison: calibration targets (something was fitted to them) apart from
 * validation targets (nothing was).
 */
#include "cli.h"
#include "cli_ensemble.h"

#include <math.h>
#include <stdio.h>

#include "permitsim/error.h"
#include "permitsim/loader.h"
#include "permitsim/replay.h"

#define REPLAY_REGION "netherlands.xml"
#define REPLAY_TARGETS "targets.csv"
#define MAX_REPLICATIONS 100000
#define YEAR_UNSET G_MININT

static const char replay_description[] =
  "Runs the bundled region, the Netherlands 1999-2022, with its historical\n"
  "timeline, and sets the result beside the published figures of the targets\n"
  "table (municipalities/targets.csv). Writes into the output directory what\n"
  "`permitsim run` writes (annual.csv, groups.csv, summary.csv, manifest.json)\n"
  "and targets.csv: one row per published figure, with columns\n"
  "  target, role, source, published, model_median, model_p05, model_p95,\n"
  "  tolerance, pass\n"
  "role is calibration (a parameter or an input was fitted to the figure) or\n"
  "validation (nothing was). A value passes when the median over the\n"
  "replications is within the tolerance of the published figure; a direction\n"
  "(published \">0\", \"<1\") passes when the whole 5-95% band is beyond it.\n"
  "docs/validation.md explains every target and tolerance. --from and --to\n"
  "shorten the run (for a quick look): targets that read years outside it are\n"
  "listed with empty model values and an empty pass.\n"
  "\n"
  "The output directory changes only when the whole run succeeded (as for\n"
  "`permitsim run`).\n"
  "\n"
  "Examples:\n"
  "  permitsim replay\n"
  "  permitsim replay -n 20 --seed 3 --out replay\n"
  "\n"
  "Exit status: 0 success (whatever the targets' verdicts), 1 usage error,\n"
  "2 invalid input, 3 runtime or output failure, 130 interrupted by Ctrl-C (143 by\n"
  "SIGTERM): nothing written.";

typedef struct {
  char *out;
  char *parameters;
  char *targets;
  gint64 seed;
  int replications;
  int threads;
  int from, to;
  gboolean quiet;
} ReplayOptions;

/* The consumer and the extra file of the replay. */
typedef struct {
  PsimComparison *comparison;
} ReplaySink;

static gboolean
add_replication (const PsimReplication *rep, gpointer user_data, GError **error)
{
  (void) error;
  ReplaySink *sink = user_data;
  psim_comparison_add_run (sink->comparison, &rep->result);
  return TRUE;
}

static gboolean
write_targets (PsimOutput *out, gpointer user_data, GError **error)
{
  ReplaySink *sink = user_data;
  g_autofree char *path = psim_output_file (out, "targets.csv");
  return psim_comparison_write_csv (sink->comparison, path, error);
}

/* A number as the terminal table shows it: shares with 3 decimals, counts whole. */
static void
format_value (double v, double scale, char *buf, gsize size)
{
  if (isnan (v))
    g_strlcpy (buf, "-", size);
  else if (scale >= 100.0)
    g_snprintf (buf, size, "%.0f", v);
  else
    g_snprintf (buf, size, "%.3f", v);
}

static void
print_role (const PsimTargetSet *set, const PsimComparison *c, PsimTargetRole role)
{
  guint passed = 0, total = 0, compared = 0;
  printf ("\n%s targets%s\n", role == PSIM_TARGET_CALIBRATION ? "Calibration" : "Validation",
          role == PSIM_TARGET_CALIBRATION ? " (something was fitted to them: agreement is "
                                            "expected, not evidence)"
                                          : " (nothing was fitted to them)");
  printf ("  %-34s %10s %10s %23s %8s  %s\n", "target", "published", "median", "5%-95%",
          "tol", "pass");
  for (guint i = 0; i < psim_target_set_size (set); i++)
    {
      const PsimTarget *t = psim_target_set_get (set, i);
      if (t->role != role)
        continue;
      PsimTargetResult r;
      psim_comparison_result (c, i, &r);
      double scale = MAX (fabs (t->published), fabs (r.median));
      char med[32], lo[32], hi[32], band[64], tol[32];
      format_value (r.median, scale, med, sizeof med);
      format_value (r.p05, scale, lo, sizeof lo);
      format_value (r.p95, scale, hi, sizeof hi);
      g_snprintf (band, sizeof band, "[%s, %s]", lo, hi);
      format_value (t->tolerance, scale, tol, sizeof tol);
      char published_value[32];
      format_value (t->published, scale, published_value, sizeof published_value);
      g_autofree char *published = t->rule == PSIM_TARGET_WITHIN ? g_strdup (published_value)
                                                                 : psim_target_published_text (t);
      const char *verdict = r.verdict == PSIM_VERDICT_PASS   ? "yes"
                            : r.verdict == PSIM_VERDICT_FAIL ? "NO"
                                                             : "-";
      printf ("  %-34s %10s %10s %23s %8s  %s\n", t->name, published, med, band, tol, verdict);
      total++;
      compared += r.verdict != PSIM_VERDICT_UNDEFINED;
      passed += r.verdict == PSIM_VERDICT_PASS;
    }
  if (compared == total)
    printf ("  %u of %u pass\n", passed, total);
  else
    printf ("  %u of the %u compared pass (%u not compared)\n", passed, compared, total - compared);
}

static void
print_sectors (const PsimTally *totals, int first_year, int n_years, double n)
{
  static const int shown[] = { 1999, 2000, 2005, 2010, 2013, 2014, 2018, 2022 };
  printf ("%6s %10s %10s %10s %10s\n", "year", "workers", "licensed", "unlicensed", "illegal");
  for (gsize k = 0; k < G_N_ELEMENTS (shown); k++)
    {
      int y = shown[k] - first_year;
      if (y < 0 || y >= n_years)
        continue;
      const PsimTally *t = &totals[y];
      printf ("%6d %10.0f %10.0f %10.0f %10.0f\n", shown[k], t->workers / n,
              t->sector[PSIM_SECTOR_LICENSED] / n, t->sector[PSIM_SECTOR_UNLICENSED] / n,
              t->sector[PSIM_SECTOR_ILLEGAL] / n);
    }
}

/* Targets that read years outside the period run: they cannot be compared. */
static guint
targets_outside (const PsimTargetSet *set, int first_year, int last_year)
{
  guint n = 0;
  for (guint i = 0; i < psim_target_set_size (set); i++)
    {
      int a, b;
      psim_measure_years (psim_target_set_get (set, i)->measure, &a, &b);
      n += a < first_year || b > last_year;
    }
  return n;
}

static int
replay (ReplayOptions *opt, char **command_line)
{
  if (opt->seed < 0)
    return psim_cli_usage_error ("--seed must be 0 or more");
  if (opt->replications < 1 || opt->replications > MAX_REPLICATIONS)
    return psim_cli_usage_error ("-n must be between 1 and 100000");
  if (opt->threads < 0)
    return psim_cli_usage_error ("--threads must be 1 or more");

  GError *error = NULL;
  g_autofree char *datadir = psim_cli_datadir ();
  if (datadir == NULL)
    {
      fprintf (stderr, "permitsim replay: error: the bundled data folder was not found "
                       "(set PERMITSIM_DATADIR)\n");
      return PSIM_EXIT_FAILURE;
    }
  g_autofree char *region_path = g_build_filename (datadir, REPLAY_REGION, NULL);
  g_autofree char *targets_path = opt->targets != NULL ? g_strdup (opt->targets)
                                                       : g_build_filename (datadir, REPLAY_TARGETS, NULL);
  g_autoptr (PsimRegion) region = NULL;
  g_autoptr (PsimParamSet) params = NULL;
  int code = psim_cli_load_region (region_path, opt->parameters, &region, &params);
  if (code != PSIM_EXIT_OK)
    return code;
  g_autoptr (PsimTargetSet) targets = psim_target_set_load (targets_path, &error);
  if (targets == NULL)
    return psim_cli_report_error (error);
  int region_first = psim_date_year (region->from);
  int region_last = psim_date_year (region->to);
  int first_year = opt->from != YEAR_UNSET ? opt->from : region_first;
  int last_year = opt->to != YEAR_UNSET ? opt->to : region_last;
  if (first_year < region_first || last_year > region_last || first_year > last_year)
    {
      g_autofree char *msg = g_strdup_printf ("the period %d-%d is not inside the region's %d-%d",
                                              first_year, last_year, region_first, region_last);
      return psim_cli_usage_error (msg);
    }
  if (!psim_target_set_bind (targets, region, &error))
    return psim_cli_report_error (error);

  PsimEnsembleSpec spec;
  psim_cli_ensemble_spec (&spec, region, params, first_year, last_year, opt->seed, opt->replications,
                          opt->threads);

  if (psim_ensemble_rank () != 0)
    {
      gboolean ok = psim_ensemble_run_ranks (&spec, NULL, NULL, NULL, &error);
      g_clear_error (&error);
      return ok ? PSIM_EXIT_OK : PSIM_EXIT_FAILURE;
    }

  const char *out_dir = opt->out != NULL ? opt->out : "permitsim-replay";
  PsimOutput *out = psim_output_open (out_dir, FALSE, &error);
  if (out == NULL)
    return psim_cli_report_error (error);
  g_autoptr (PsimComparison) comparison = psim_comparison_new (targets);
  ReplaySink sink = { .comparison = comparison };
  PsimCliRunExtra extra = { .consume = add_replication, .write_files = write_targets, .user_data = &sink };
  int n_years = last_year - first_year + 1;
  g_autofree PsimTally *totals = g_new0 (PsimTally, n_years);
  code = psim_cli_simulate_and_write (out, &spec, params, "baseline", opt->quiet, command_line, totals,
                                      &extra);
  if (code != PSIM_EXIT_OK)
    return code;

  printf ("%s %d-%d, seed %" G_GINT64_FORMAT ", %d replication%s (means)\n",
          region->name != NULL ? region->name : "region", first_year, last_year, opt->seed,
          opt->replications, opt->replications == 1 ? "" : "s");
  print_sectors (totals, first_year, n_years, opt->replications);
  print_role (targets, comparison, PSIM_TARGET_CALIBRATION);
  print_role (targets, comparison, PSIM_TARGET_VALIDATION);
  guint outside = targets_outside (targets, first_year, last_year);
  if (outside > 0)
    printf ("(%u target%s read%s years outside %d-%d: not compared, pass left empty)\n", outside,
            outside == 1 ? "" : "s", outside == 1 ? "s" : "", first_year, last_year);
  printf ("\nResults in %s%s (annual.csv, groups.csv, summary.csv, targets.csv, manifest.json)\n",
          out_dir, g_str_has_suffix (out_dir, G_DIR_SEPARATOR_S) ? "" : G_DIR_SEPARATOR_S);
  return PSIM_EXIT_OK;
}

int
psim_cmd_replay (int argc, char **argv)
{
  ReplayOptions opt = { .seed = 1, .replications = 10, .from = YEAR_UNSET, .to = YEAR_UNSET };
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt.out,
      "output directory (default permitsim-replay)", "DIR" },
    { "replications", 'n', 0, G_OPTION_ARG_INT, &opt.replications,
      "replications (default 10)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opt.seed, "random seed, 0 or more (default 1)", "S" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &opt.threads, "threads (default: one per core)", "T" },
    { "from", 0, 0, G_OPTION_ARG_INT, &opt.from,
      "first year (default 1999; targets outside the period are not compared)", "YEAR" },
    { "to", 0, 0, G_OPTION_ARG_INT, &opt.to, "last year (default 2022)", "YEAR" },
    { "parameters", 'p', 0, G_OPTION_ARG_FILENAME, &opt.parameters,
      "parameter file (default: the one the region names)", "FILE" },
    { "targets", 0, 0, G_OPTION_ARG_FILENAME, &opt.targets,
      "targets table (default: the bundled targets.csv)", "FILE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt.quiet, "no progress line on a terminal", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GPtrArray) cmdline = psim_cli_command_line (argc, argv);

  int code = psim_cli_parse_options ("permitsim replay", NULL,
                                     "Replay the Netherlands 1999-2022 and compare it with "
                                     "the published figures.",
                                     replay_description, entries, &argc, &argv);
  if (code == PSIM_EXIT_OK)
    {
      if (argc != 1)
        code = psim_cli_usage_error ("replay takes no file arguments");
      else
        code = replay (&opt, (char **) cmdline->pdata);
    }
  g_free (opt.out);
  g_free (opt.parameters);
  g_free (opt.targets);
  if (code != PSIM_EXIT_OK)
    psim_ensemble_ranks_fail ();
  return code;
}
