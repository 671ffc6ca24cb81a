/* permitsim: `permitsim sensitivity` -- which parameters move the headline outcomes.
 *
 * Runs a Morris (default) or one-at-a-time design over the parameters'
 * ranges (sensitivity.h) on a short run of the bundled region, and writes
 * sensitivity.csv and manifest.json into an output directory that changes
 * only when everything was written (output.h); prints the most influential
 * parameters per outcome.
 */
#include "cli.h"
#include "cli_ensemble.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "permitsim/error.h"
#include "permitsim/loader.h"
#include "permitsim/sensitivity.h"

/* The headline outcomes: name, measure (read in the last year of the run). */
static const char *const default_outcomes[][2] = {
  { "illegal_share", "illegal/workers@ALL" },
  { "physical_12m", "physical_12m@ALL" },
  { "sexual_12m", "sexual_12m@ALL" },
  { "financial_12m", "financial_12m@ALL" },
  { "social_12m", "social_12m@ALL" },
  { "reported_12m", "reported_12m@ALL" },
  { "reporting_rate", "reporting_rate@ALL" },
};
#define SHOWN_PER_OUTCOME 8

static const char sensitivity_description[] =
  "Varies the behavioural parameters over their [min, max] ranges from the\n"
  "parameter file and measures how much each moves the headline outcomes in\n"
  "the last year of a short run of the bundled region (default: a 2-year\n"
  "burn-in, then 2013-2014): the illegal share of workers, the four 12-month violence\n"
  "prevalences, the share who reported to the police, and the reporting rate.\n"
  "\n"
  "--method morris (default): Morris elementary effects, R trajectories on a\n"
  "grid of P levels, R (k + 1) runs for k parameters; mu* ranks importance,\n"
  "mu gives the direction, sigma interactions and non-linearity. Effects are\n"
  "per whole range of a parameter. --method oat: each parameter at its min\n"
  "and its max, the others at the file's values (2k + 1 runs); mu is the\n"
  "difference. Every parameter with min < max is varied except run.*;\n"
  "--only narrows them by name prefix. Every run uses the same replications\n"
  "of the same seed (common random numbers).\n"
  "\n"
  "Writes sensitivity.csv (method, parameter, outcome, mu_star, mu, sigma,\n"
  "rank) and manifest.json (the command line, seed, period, inputs).\n"
  "\n"
  "Examples:\n"
  "  permitsim sensitivity --out sa\n"
  "  permitsim sensitivity --method oat --only violence.,report. --out sa-oat\n"
  "\n"
  "Exit status: 0 success, 1 usage error, 2 invalid input, 3 runtime or output failure,\n"
  "130 interrupted by Ctrl-C (143 by SIGTERM): nothing written.";

typedef struct {
  char *method;
  char *out;
  char *parameters;
  char *only;
  gint64 seed;
  int trajectories;
  int levels;
  int replications;
  int threads;
  int from, to;
  int burn_in;
  gboolean quiet;
} SensitivityOptions;

static void
show_progress (guint done, guint total, gpointer user_data)
{
  (void) user_data;
  fprintf (stderr, "\r[sensitivity] %u of %u %s\033[K", done, total,
           total == 1 ? "design" : "trajectories");
  fflush (stderr);
}

static int
compare_rank (gconstpointer a, gconstpointer b, gpointer data)
{
  const PsimSensitivity *s = ((gpointer *) data)[0];
  guint o = GPOINTER_TO_UINT (((gpointer *) data)[1]);
  guint x = *(const guint *) a, y = *(const guint *) b;
  return (int) psim_sensitivity_rank (s, x, o) - (int) psim_sensitivity_rank (s, y, o);
}

static void
print_table (const PsimSensitivity *s, const PsimSensitivitySpec *spec)
{
  g_autofree guint *order = g_new (guint, s->n_factors);
  for (guint o = 0; o < s->n_outcomes; o++)
    {
      for (guint f = 0; f < s->n_factors; f++)
        order[f] = f;
      gpointer data[2] = { (gpointer) s, GUINT_TO_POINTER (o) };
      g_qsort_with_data (order, (gint) s->n_factors, sizeof (guint), compare_rank, data);
      printf ("\n%s in %d (%s %.4f)\n", spec->outcome_names[o], spec->last_year,
              spec->method == PSIM_SENSITIVITY_OAT ? "at the file's values" : "mean over the runs",
              s->baseline[o]);
      printf ("  %4s  %-42s %10s %10s %10s\n", "rank", "parameter", "mu*", "mu", "sigma");
      for (guint i = 0; i < MIN (s->n_factors, SHOWN_PER_OUTCOME); i++)
        {
          gsize at = (gsize) order[i] * s->n_outcomes + o;
          char sigma[32] = "-";
          if (!isnan (s->sigma[at]))
            g_snprintf (sigma, sizeof sigma, "%.4f", s->sigma[at]);
          printf ("  %4u  %-42s %10.4f %10.4f %10s\n", i + 1,
                  psim_param_info (spec->factors[order[i]])->name, s->mu_star[at], s->mu[at], sigma);
        }
    }
}

/* sensitivity.csv and manifest.json into the output directory, atomically. */
static gboolean
write_output (const char *dir, const PsimSensitivity *s, const PsimSensitivitySpec *spec,
              char **command_line, GError **error)
{
  PsimOutputDir *od = psim_output_dir_begin (dir, error);
  if (od == NULL)
    return FALSE;
  g_autofree char *csv = psim_output_dir_file (od, "sensitivity.csv");
  if (!psim_sensitivity_write_csv (s, spec, csv, error))
    {
      psim_output_dir_abort (od);
      return FALSE;
    }
  PsimManifest manifest = {
    .argv = command_line,
    .seed = spec->seed,
    .replications = spec->n_replications,
    .first_year = spec->first_year,
    .last_year = spec->last_year,
    .region = spec->region,
    .params = spec->params,
  };
  const char *const outputs[] = { "sensitivity.csv", NULL };
  g_autofree char *json = psim_manifest_to_json (&manifest, psim_output_dir_staging (od), outputs,
                                                 error);
  g_autofree char *path = psim_output_dir_file (od, "manifest.json");
  if (json == NULL || !g_file_set_contents (path, json, -1, error))
    {
      psim_output_dir_abort (od);
      return FALSE;
    }
  return psim_output_dir_commit (od, error);
}

static int
sensitivity (SensitivityOptions *opt, char **command_line)
{
  PsimSensitivityMethod method;
  if (opt->method == NULL || strcmp (opt->method, "morris") == 0)
    method = PSIM_SENSITIVITY_MORRIS;
  else if (strcmp (opt->method, "oat") == 0)
    method = PSIM_SENSITIVITY_OAT;
  else
    return psim_cli_usage_error ("--method is morris or oat");
  if (opt->seed < 0)
    return psim_cli_usage_error ("--seed must be 0 or more");
  if (opt->trajectories < 2 || opt->trajectories > 1000)
    return psim_cli_usage_error ("-r must be between 2 and 1000");
  if (opt->levels < 2 || opt->levels % 2 != 0 || opt->levels > 100)
    return psim_cli_usage_error ("--levels must be an even number from 2 to 100");
  if (opt->replications < 1 || opt->replications > 1000)
    return psim_cli_usage_error ("-n must be between 1 and 1000");
  if (opt->threads < 0)
    return psim_cli_usage_error ("--threads must be 1 or more");
  if (opt->from > opt->to)
    return psim_cli_usage_error ("--from is after --to");
  if (opt->burn_in < 0)
    return psim_cli_usage_error ("--burn-in must be 0 or more years");

  GError *error = NULL;
  g_autofree char *datadir = psim_cli_datadir ();
  if (datadir == NULL)
    return psim_cli_usage_error ("the bundled data folder was not found (set PERMITSIM_DATADIR)");
  g_autofree char *region_path = g_build_filename (datadir, "netherlands.xml", NULL);
  g_autoptr (PsimRegion) region = NULL;
  g_autoptr (PsimParamSet) params = NULL;
  int code = psim_cli_load_region (region_path, opt->parameters, &region, &params);
  if (code != PSIM_EXIT_OK)
    return code;
  /* a run setting, not a factor: every run of the design uses this burn-in */
  params->values.burn_in_years = opt->burn_in;
  /* how long a burn-in the engine can take (with the period and the maximum
   * age: its week stamps are 16 bits) is the engine's to say, before the
   * runs rather than by refusing every one of them */
  PsimRunSpec run = { .region = region, .params = &params->values, .first_year = opt->from, .last_year = opt->to };
  if (!psim_run_spec_check (&run, &error))
    {
      int refused = psim_cli_usage_error (error->message);
      g_error_free (error);
      return refused;
    }

  g_auto (GStrv) prefixes = opt->only != NULL ? g_strsplit (opt->only, ",", -1) : NULL;
  guint n_factors = 0;
  g_autofree gsize *factors = psim_sensitivity_default_factors (params, (const char *const *) prefixes,
                                                                &n_factors);
  if (n_factors == 0)
    return psim_cli_usage_error ("no parameter with min < max matches --only");

  guint n_outcomes = G_N_ELEMENTS (default_outcomes);
  g_autoptr (GPtrArray) measures = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_measure_free);
  const char *names[G_N_ELEMENTS (default_outcomes)];
  for (guint o = 0; o < n_outcomes; o++)
    {
      g_autofree char *text = g_strdup_printf ("%s:%d", default_outcomes[o][1], opt->to);
      PsimMeasure *m = psim_measure_parse (text, &error);
      g_assert_no_error (error); /* a fixed table: a failure is a programming error */
      g_ptr_array_add (measures, m);
      names[o] = default_outcomes[o][0];
    }

  PsimSensitivitySpec spec = {
    .region = region,
    .params = params,
    .outcomes = (PsimMeasure *const *) measures->pdata,
    .outcome_names = names,
    .n_outcomes = n_outcomes,
    .factors = factors,
    .n_factors = n_factors,
    .method = method,
    .trajectories = (guint) opt->trajectories,
    .levels = (guint) opt->levels,
    .first_year = opt->from,
    .last_year = opt->to,
    .seed = (uint64_t) opt->seed,
    .n_replications = (uint32_t) opt->replications,
    .n_threads = opt->threads,
  };
  if (!opt->quiet && isatty (STDERR_FILENO))
    spec.progress = show_progress;

  /* refuse a bad --out before the work, as `run` does */
  const char *out_dir = opt->out != NULL ? opt->out : "permitsim-sensitivity";
  PsimOutputDir *probe = psim_output_dir_begin (out_dir, &error);
  if (probe == NULL)
    return psim_cli_report_error (error);
  psim_output_dir_abort (probe);

  g_autoptr (PsimSensitivity) result = psim_sensitivity_run (&spec, &error);
  if (spec.progress != NULL)
    fprintf (stderr, "\r\033[K");
  if (result == NULL)
    return psim_cli_report_error (error);
  if (!write_output (out_dir, result, &spec, command_line, &error))
    return psim_cli_report_error (error);

  printf ("Sensitivity (%s) of %s: %u parameters, %u runs of %u replication%s, seed %"
          G_GINT64_FORMAT ", %d-%d after a %d-year burn-in",
          psim_sensitivity_method_name (method), region->name != NULL ? region->name : "region",
          n_factors, result->runs, spec.n_replications, spec.n_replications == 1 ? "" : "s",
          opt->seed, opt->from, opt->to, opt->burn_in);
  if (method == PSIM_SENSITIVITY_MORRIS)
    printf (", %d trajectories, %d levels", opt->trajectories, opt->levels);
  printf ("; %.0f s\n", result->seconds);
  if (result->failed > 0)
    printf ("%u run%s refused by the engine (parameters at the corners of their ranges): their "
            "effects are left out\n", result->failed, result->failed == 1 ? " was" : "s were");
  print_table (result, &spec);
  printf ("\nResults in %s%s (sensitivity.csv, manifest.json)\n", out_dir,
          g_str_has_suffix (out_dir, G_DIR_SEPARATOR_S) ? "" : G_DIR_SEPARATOR_S);
  return PSIM_EXIT_OK;
}

int
psim_cmd_sensitivity (int argc, char **argv)
{
  SensitivityOptions opt = { .seed = 1, .trajectories = 4, .levels = 4, .replications = 1,
                             .from = 2013, .to = 2014, .burn_in = 2 };
  GOptionEntry entries[] = {
    { "method", 'm', 0, G_OPTION_ARG_STRING, &opt.method, "morris (default) or oat", "METHOD" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt.out,
      "output directory (default permitsim-sensitivity)", "DIR" },
    { "trajectories", 'r', 0, G_OPTION_ARG_INT, &opt.trajectories,
      "Morris trajectories (default 4)", "R" },
    { "levels", 0, 0, G_OPTION_ARG_INT, &opt.levels, "Morris grid levels, even (default 4)", "P" },
    { "replications", 'n', 0, G_OPTION_ARG_INT, &opt.replications,
      "replications per run (default 1)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opt.seed, "random seed, 0 or more (default 1)", "S" },
    { "from", 0, 0, G_OPTION_ARG_INT, &opt.from, "first year after the burn-in (default 2013)", "YEAR" },
    { "burn-in", 0, 0, G_OPTION_ARG_INT, &opt.burn_in,
      "years of burn-in before --from, for every run (default 2)", "YEARS" },
    { "to", 0, 0, G_OPTION_ARG_INT, &opt.to, "the year the outcomes are read (default 2014)", "YEAR" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &opt.only,
      "vary only parameters whose names start with these (comma-separated)", "PREFIXES" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &opt.threads, "threads (default: one per core)", "T" },
    { "parameters", 'p', 0, G_OPTION_ARG_FILENAME, &opt.parameters,
      "parameter file (default: the one the region names)", "FILE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt.quiet, "no progress line on a terminal", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GPtrArray) cmdline = psim_cli_command_line (argc, argv);

  int code = psim_cli_parse_options ("permitsim sensitivity", NULL,
                                     "Which parameters move the headline outcomes most.",
                                     sensitivity_description, entries, &argc, &argv);
  if (code == PSIM_EXIT_OK)
    {
      if (argc != 1)
        code = psim_cli_usage_error ("sensitivity takes no file arguments");
      else
        code = sensitivity (&opt, (char **) cmdline->pdata);
    }
  g_free (opt.method);
  g_free (opt.out);
  g_free (opt.parameters);
  g_free (opt.only);
  return code;
}
