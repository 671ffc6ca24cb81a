/* permitsim: `permitsim calibrate` -- fit parameters to the calibration targets.
 *
 * Loads the region (the bundled Netherlands by default), its parameter file
 * and the targets table; runs the search of calibrate.h on a shortened run
 * (burn-in, then --from to the last year a fitted target reads); prints the
 * fitted values beside the starting ones and the targets before and after;
 * with --write puts the values and their provenance into the parameter file.
 */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "permitsim/calibrate.h"
#include "permitsim/error.h"
#include "permitsim/loader.h"

#define YEAR_UNSET G_MININT

static const char calibrate_description[] =
  "Fits the parameters named by the targets whose fitted_by is \"calibrate\" in\n"
  "the targets table (by default: the four violence base rates to the 12-month\n"
  "prevalences of 2017-18, report.intercept to the share who reported to the\n"
  "police, care.test-rate to the share tested in a year) by Nelder-Mead on the\n"
  "ensemble-mean loss sum(((model - published) / tolerance)^2). Every evaluation\n"
  "runs the same replications of the same seed (common random numbers): the\n"
  "same inputs, seed, -n and budget give the same fitted values. The run is\n"
  "shortened: the burn-in, then --from (default 2010) to the last year a fitted\n"
  "target reads. docs/validation.md gives the method, its cost and its result.\n"
  "\n"
  "With --write the fitted values go into the parameter file: only their value\n"
  "and calibrated attributes change (calibrated says which targets, which\n"
  "method, which settings, when, and the range within tolerance); comments and\n"
  "everything else stay as they are.\n"
  "\n"
  "Examples:\n"
  "  permitsim calibrate\n"
  "  permitsim calibrate -n 2 --budget 120 --seed 1 --write\n"
  "\n"
  "Exit status: 0 success, 1 usage error, 2 invalid input, 3 runtime or output failure,\n"
  "130 interrupted by Ctrl-C (143 by SIGTERM): nothing written.";

typedef struct {
  char *region;
  char *parameters;
  char *targets;
  gint64 seed;
  int replications;
  int budget;
  int threads;
  int from, to;
  gboolean write;
  gboolean quiet;
} CalibrateOptions;

static void
show_progress (guint evaluation, guint budget, double loss, double best, gpointer user_data)
{
  (void) user_data;
  fprintf (stderr, "\r[calibrate] evaluation %u of at most %u  loss %.4g  best %.4g\033[K",
           evaluation, budget, loss, best);
  fflush (stderr);
}

static void
print_result (const PsimCalibration *cal, const PsimCalibrateSpec *spec)
{
  printf ("Nelder-Mead on the ensemble-mean loss: %u evaluations (%s), %.0f s; "
          "loss %.4g -> %.4g\n", cal->evaluations,
          cal->converged ? "converged" : "budget reached", cal->seconds, cal->start_loss, cal->loss);
  printf ("run %d-%d after the burn-in, %u replications, seed %" G_GUINT64_FORMAT "\n\n",
          spec->first_year, spec->last_year, spec->n_replications, spec->seed);
  printf ("  %-28s %12s %12s   %s\n", "parameter", "file", "fitted", "within tolerance");
  for (guint i = 0; i < cal->n_params; i++)
    {
      g_autofree char *start = psim_calibration_format_value (cal->start[i]);
      g_autofree char *fitted = psim_calibration_format_value (cal->fitted[i]);
      g_autofree char *lo = psim_calibration_format_value (cal->range_low[i]);
      g_autofree char *hi = psim_calibration_format_value (cal->range_high[i]);
      g_autofree char *range = isnan (cal->range_low[i]) ? g_strdup ("-")
                                                         : g_strdup_printf ("%s to %s", lo, hi);
      printf ("  %-28s %12s %12s   %s\n", psim_param_info (cal->param[i])->name, start, fitted,
              range);
    }
  printf ("\n  %-28s %10s %10s %10s %10s\n", "target", "published", "tolerance", "before", "after");
  for (guint k = 0; k < cal->n_targets; k++)
    {
      const PsimTarget *t = psim_target_set_get (spec->targets, cal->target[k]);
      printf ("  %-28s %10.3f %10.3f %10.3f %10.3f\n", t->name, t->published, t->tolerance,
              cal->start_value[k], cal->fitted_value[k]);
    }
}

static int
calibrate (CalibrateOptions *opt)
{
  if (opt->seed < 0)
    return psim_cli_usage_error ("--seed must be 0 or more");
  if (opt->replications < 1 || opt->replications > 1000)
    return psim_cli_usage_error ("-n must be between 1 and 1000");
  if (opt->budget < 1)
    return psim_cli_usage_error ("--budget must be 1 or more");
  if (opt->threads < 0)
    return psim_cli_usage_error ("--threads must be 1 or more");

  GError *error = NULL;
  g_autofree char *datadir = psim_cli_datadir ();
  g_autofree char *region_path = opt->region != NULL ? g_strdup (opt->region)
                                 : datadir != NULL ? g_build_filename (datadir, "netherlands.xml", NULL)
                                                   : NULL;
  g_autofree char *targets_path = opt->targets != NULL ? g_strdup (opt->targets)
                                  : datadir != NULL ? g_build_filename (datadir, "targets.csv", NULL)
                                                    : NULL;
  if (region_path == NULL || targets_path == NULL)
    return psim_cli_usage_error ("the bundled data folder was not found: give --region and --targets");
  g_autoptr (PsimRegion) region = psim_region_load (region_path, NULL, &error);
  if (region == NULL)
    return psim_cli_report_error (error);
  const char *params_path = opt->parameters != NULL ? opt->parameters : region->parameters_path;
  if (params_path == NULL)
    return psim_cli_usage_error ("the region names no parameter file: give --parameters FILE");
  g_autoptr (PsimParamSet) params = psim_param_set_load (params_path, NULL, &error);
  if (params == NULL)
    return psim_cli_report_error (error);
  g_autoptr (PsimTargetSet) targets = psim_target_set_load (targets_path, &error);
  if (targets == NULL || !psim_target_set_bind (targets, region, &error))
    return psim_cli_report_error (error);

  int last = opt->to;
  if (last == YEAR_UNSET)
    for (guint i = 0; i < psim_target_set_size (targets); i++)
      {
        const PsimTarget *t = psim_target_set_get (targets, i);
        int a, b;
        psim_measure_years (t->measure, &a, &b);
        if (t->fitted_by == PSIM_FIT_CALIBRATE)
          last = MAX (last, b);
      }
  if (last == YEAR_UNSET)
    last = opt->from;

  PsimCalibrateSpec spec;
  psim_calibrate_spec_init (&spec);
  spec.region = region;
  spec.params = params;
  spec.targets = targets;
  spec.first_year = opt->from;
  spec.last_year = last;
  spec.seed = (uint64_t) opt->seed;
  spec.n_replications = (uint32_t) opt->replications;
  spec.n_threads = opt->threads;
  spec.budget = (guint) opt->budget;
  if (!opt->quiet && isatty (STDERR_FILENO))
    spec.progress = show_progress;

  g_autoptr (PsimCalibration) cal = psim_calibrate_run (&spec, &error);
  if (spec.progress != NULL)
    fprintf (stderr, "\r\033[K");
  if (cal == NULL)
    return psim_cli_report_error (error);
  print_result (cal, &spec);

  if (opt->write)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
      if (!psim_calibration_write (cal, &spec, params_path, date, &error))
        return psim_cli_report_error (error);
      printf ("\nWrote %u fitted values and their provenance into %s\n", cal->n_params, params_path);
    }
  else
    printf ("\n(not written: --write puts the fitted values into %s)\n", params_path);
  return PSIM_EXIT_OK;
}

int
psim_cmd_calibrate (int argc, char **argv)
{
  CalibrateOptions opt = { .seed = 1, .replications = 2, .budget = 150, .from = 2010,
                           .to = YEAR_UNSET };
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opt.seed, "random seed, 0 or more (default 1)", "S" },
    { "replications", 'n', 0, G_OPTION_ARG_INT, &opt.replications,
      "replications per evaluation (default 2)", "N" },
    { "budget", 0, 0, G_OPTION_ARG_INT, &opt.budget,
      "most evaluations of the loss (default 150)", "K" },
    { "write", 0, 0, G_OPTION_ARG_NONE, &opt.write,
      "write the fitted values into the parameter file", NULL },
    { "from", 0, 0, G_OPTION_ARG_INT, &opt.from,
      "first year of the shortened run, after its burn-in (default 2010)", "YEAR" },
    { "to", 0, 0, G_OPTION_ARG_INT, &opt.to,
      "last year (default: the last a fitted target reads)", "YEAR" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &opt.threads, "threads (default: one per core)", "T" },
    { "region", 0, 0, G_OPTION_ARG_FILENAME, &opt.region,
      "region file (default: the bundled netherlands.xml)", "FILE" },
    { "parameters", 'p', 0, G_OPTION_ARG_FILENAME, &opt.parameters,
      "parameter file (default: the one the region names)", "FILE" },
    { "targets", 0, 0, G_OPTION_ARG_FILENAME, &opt.targets,
      "targets table (default: the bundled targets.csv)", "FILE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt.quiet, "no progress line on a terminal", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  int code = psim_cli_parse_options ("permitsim calibrate", NULL,
                                     "Fit behavioural parameters to the calibration targets.",
                                     calibrate_description, entries, &argc, &argv);
  if (code == PSIM_EXIT_OK)
    {
      if (argc != 1)
        code = psim_cli_usage_error ("calibrate takes no file arguments (see --region, --parameters)");
      else
        code = calibrate (&opt);
    }
  g_free (opt.region);
  g_free (opt.parameters);
  g_free (opt.targets);
  return code;
}
