/* permitsim: `permitsim compare` -- the baseline against each alternative.
 *
 * Loads the region and every alternative (refusing bad input before any file
 * is written), runs the baseline and each alternative through the ensemble
 * runner with the same seed and replication numbers, and stages everything in
 * one output directory: the tables and summary.csv (the run's writers,
 * through cli_ensemble.c), differences.csv and the comparison's manifest
 * (compare.h), then the charts and report.html (chart.h). The directory is
 * moved into place only when all of it succeeded.
 */
#include "cli.h"
#include "cli_ensemble.h"

#include <stdio.h>
#include <string.h>

#include "permitsim/chart.h"
#include "permitsim/compare.h"
#include "permitsim/error.h"
#include "permitsim/loader.h"
#include "permitsim/output.h"

/* Measured on 2 free cores: the baseline and two alternatives of the
 * bundled region over 2024-2032 take about 50 s at this N (docs/charts.md). */
#define DEFAULT_REPLICATIONS 20
/* Without --from/--to: from this many years before the first change of the
 * alternatives to this many after the year of the last one. */
#define YEARS_BEFORE_CHANGE 2
#define YEARS_AFTER_CHANGE 6
#define DEFAULT_OUT "permitsim-compare"

static const char compare_description[] =
  "Runs the baseline (the region as it is) and each alternative given with\n"
  "--scenario, with the same seed and the same replication numbers (common\n"
  "random numbers), so that replication r of an alternative differs from\n"
  "replication r of the baseline by the policy, not by chance. Each --scenario\n"
  "is one alternative compared with the baseline on its own -- unlike `permitsim\n"
  "run`, where several --scenario are applied together. To compare scenarios\n"
  "applied together, join their files with '+': --scenario a.xml+b.xml.\n"
  "\n"
  "Writes into the output directory:\n"
  "  annual.csv       as `permitsim run`, the scenario column holding\n"
  "                   'baseline' or the alternative's name\n"
  "  groups.csv       as `permitsim run`\n"
  "  summary.csv      as `permitsim run`: mean, median, 5th/95th percentile\n"
  "                   per scenario, year, municipality and metric\n"
  "  differences.csv  per alternative, year, municipality and metric: the\n"
  "                   mean, median and 5th/95th percentile of the paired\n"
  "                   differences alternative - baseline over the replications\n"
  "                   (diff_mean, diff_median, diff_p05, diff_p95)\n"
  "  manifest.json    version, command line, seed, N, the baseline, every\n"
  "                   alternative with its files and SHA-256, every output\n"
  "  report.html      one self-contained page: the comparison, the harm check\n"
  "                   (recommendation 4) and the charts\n"
  "  charts/          the charts: workers-by-sector.svg, violence.svg, ...\n"
  "                   (--format); `permitsim chart` redraws them in place\n"
  "docs/outputs.md and docs/charts.md document the files.\n"
  "\n"
  "Without --from and --to the period runs from two years before the\n"
  "alternatives' first change to six years after the year of their last (the\n"
  "region's own period when they change nothing); it may run past the end of\n"
  "the region's data, whose last state then holds. The report's tables and\n"
  "harm check are for the last year.\n"
  "\n"
  "The output directory changes only when everything succeeded. An existing\n"
  "one is used only if it is empty or holds a previous output (manifest.json).\n"
  "\n"
  "Examples:\n"
  "  permitsim compare netherlands.xml --scenario municipalities/scenarios/lift-maximum-policy.xml\n"
  "  permitsim compare municipalities/netherlands.xml \\\n"
  "      --scenario municipalities/scenarios/lift-maximum-policy.xml \\\n"
  "      --scenario municipalities/scenarios/decriminalisation.xml --out compare\n"
  "  permitsim compare netherlands.xml --scenario a.xml+b.xml -n 100 --lang en --format svg\n"
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
  int replications;
  int threads;
  char *lang;
  char *formats;
  gboolean quiet;
} CompareOptions;

/* What is compared: the baseline (no scenario) first, then the alternatives. */
typedef struct {
  GPtrArray *loaded;       /* PsimScenario*, owned, every file loaded */
  GPtrArray *groups;       /* GPtrArray* of PsimScenario* (not owned), per alternative */
  GArray *alternatives;    /* PsimCompareAlternative, baseline excluded */
} Plan;

static void
plan_clear (Plan *p)
{
  for (guint i = 0; p->alternatives != NULL && i < p->alternatives->len; i++)
    g_free (g_array_index (p->alternatives, PsimCompareAlternative, i).name);
  g_clear_pointer (&p->alternatives, g_array_unref);
  g_clear_pointer (&p->groups, g_ptr_array_unref);
  g_clear_pointer (&p->loaded, g_ptr_array_unref);
}

/* One --scenario: a file, or files joined with '+' when no file has the whole name. */
static int
load_alternative (Plan *p, const char *arg, const PsimRegion *region)
{
  g_auto (GStrv) parts = g_file_test (arg, G_FILE_TEST_EXISTS) ? g_strdupv ((char *[]) { (char *) arg, NULL })
                                                               : g_strsplit (arg, "+", -1);
  GPtrArray *group = g_ptr_array_new ();
  g_ptr_array_add (p->groups, group);
  int code = PSIM_EXIT_OK;
  for (char **part = parts; *part != NULL; part++)
    {
      if (**part == '\0')
        {
          g_autofree char *msg = g_strdup_printf ("--scenario %s: an empty file name", arg);
          return psim_cli_usage_error (msg);
        }
      GError *error = NULL;
      PsimScenario *scenario = psim_scenario_load (*part, region, NULL, &error);
      if (scenario == NULL)
        {
          int c = psim_cli_report_error (error); /* and go on: report every bad file */
          code = MAX (code, c);
          continue;
        }
      g_ptr_array_add (p->loaded, scenario);
      g_ptr_array_add (group, scenario);
    }
  if (code != PSIM_EXIT_OK)
    return code;
  PsimCompareAlternative alt = {
    .name = psim_scenario_label ((PsimScenario *const *) group->pdata, (int) group->len),
    .scenarios = (PsimScenario *const *) group->pdata,
    .n_scenarios = (int) group->len,
  };
  g_array_append_val (p->alternatives, alt);
  return PSIM_EXIT_OK;
}

static int
load_plan (Plan *p, char **args, const PsimRegion *region)
{
  p->loaded = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_scenario_free);
  p->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  p->alternatives = g_array_new (FALSE, TRUE, sizeof (PsimCompareAlternative));
  int code = PSIM_EXIT_OK;
  for (char **a = args; *a != NULL; a++)
    {
      int c = load_alternative (p, *a, region);
      if (c == PSIM_EXIT_USAGE)
        return c;
      code = MAX (code, c);
    }
  if (code != PSIM_EXIT_OK)
    return code;
  /* each alternative needs its own name in the scenario column */
  for (guint i = 0; i < p->alternatives->len; i++)
    {
      const char *name = g_array_index (p->alternatives, PsimCompareAlternative, i).name;
      if (strcmp (name, PSIM_COMPARE_BASELINE) == 0)
        {
          g_autofree char *msg = g_strdup_printf (
            "--scenario %s: a scenario named '%s' cannot be told apart from the baseline; "
            "rename it in its file", args[i], name);
          return psim_cli_usage_error (msg);
        }
      for (guint j = 0; j < i; j++)
        if (strcmp (name, g_array_index (p->alternatives, PsimCompareAlternative, j).name) == 0)
          {
            g_autofree char *msg = g_strdup_printf (
              "--scenario %s: the alternative '%s' is given twice (each alternative needs its own name)",
              args[i], name);
            return psim_cli_usage_error (msg);
          }
    }
  return PSIM_EXIT_OK;
}

/* The default period: around the alternatives' changes, else the region's. */
static int
choose_period (const Plan *p, const PsimRegion *region, const CompareOptions *opt, int *first,
               int *last)
{
  int from = opt->from, to = opt->to;
  int earliest = G_MAXINT, latest = G_MININT;
  for (guint i = 0; i < p->loaded->len; i++)
    {
      const PsimScenario *s = g_ptr_array_index (p->loaded, i);
      for (int c = 0; c < s->n_changes; c++)
        {
          int year = psim_date_year (s->changes[c].from);
          earliest = MIN (earliest, year);
          latest = MAX (latest, year);
        }
    }
  if (earliest <= latest)
    {
      if (from == PSIM_CLI_YEAR_UNSET)
        from = MAX (1, earliest - YEARS_BEFORE_CHANGE);
      if (to == PSIM_CLI_YEAR_UNSET)
        to = MIN (9999, latest + YEARS_AFTER_CHANGE);
      if (from > to)
        {
          g_autofree char *msg = g_strdup_printf (
            "the period %d-%d is empty (the alternatives change things in %d-%d): give both --from and --to",
            from, to, earliest, latest);
          return psim_cli_usage_error (msg);
        }
    }
  return psim_cli_period (region, from, to, first, last);
}

/* Every scenario file loaded, once, for the inputs of manifest.json. */
static PsimManifest
manifest_for (const PsimEnsembleSpec *spec, const Plan *p, char **command_line)
{
  PsimManifest m = {
    .argv = command_line,
    .seed = spec->seed,
    .replications = spec->n_replications,
    .sample_parameters = spec->sample_parameters,
    .first_year = spec->first_year,
    .last_year = spec->last_year,
    .region = spec->region,
    .params = spec->params,
    .scenarios = (PsimScenario *const *) p->loaded->pdata,
    .n_scenarios = (int) p->loaded->len,
  };
  return m;
}

/* The ensembles of the baseline and every alternative, one after another,
 * into the open output; the region's tally per alternative and year into
 * totals (n_years entries per alternative, baseline first). */
static gboolean
simulate (PsimOutput *out, const PsimEnsembleSpec *base, const Plan *p,
          gboolean quiet, PsimTally *totals, GError **error)
{
  int n_years = base->last_year - base->first_year + 1;
  guint n_runs = p->alternatives->len + 1;
  PsimCliSink sink = {
    .out = out,
    .region = base->region,
    .first_year = base->first_year,
    .n_years = n_years,
    .progress = psim_progress_new ((base->last - base->first) * n_runs, !quiet),
  };
  gboolean ok = TRUE;
  for (guint a = 0; ok && a < n_runs; a++)
    {
      PsimEnsembleSpec spec = *base;
      if (a == 0)
        sink.label = PSIM_COMPARE_BASELINE;
      else
        {
          const PsimCompareAlternative *alt = &g_array_index (p->alternatives, PsimCompareAlternative, a - 1);
          sink.label = alt->name;
          spec.scenarios = alt->scenarios;
          spec.n_scenarios = alt->n_scenarios;
        }
      sink.totals = &totals[(gsize) a * (gsize) n_years];
      ok = psim_ensemble_run_ranks (&spec, psim_cli_sink_consume, &sink, NULL, error);
    }
  psim_progress_free (sink.progress);
  return ok;
}

/* After the tables are in the staging directory: differences.csv, the
 * comparison's manifest, the charts (in charts/) and report.html, the
 * manifest again with the charts among the outputs. */
static gboolean
write_comparison (const char *staging, const Plan *p, const PsimChartOptions *chart_options,
                  int n_years, GString *harm, GError **error)
{
  g_autofree char *annual = g_build_filename (staging, "annual.csv", NULL);
  g_autofree char *differences = g_build_filename (staging, "differences.csv", NULL);
  g_autofree char *manifest = g_build_filename (staging, "manifest.json", NULL);
  const PsimCompareAlternative *alts = (const PsimCompareAlternative *) (void *) p->alternatives->data;
  int n_alts = (int) p->alternatives->len;
  if (!psim_compare_differences_write (annual, PSIM_COMPARE_BASELINE, differences, error)
      || !psim_compare_manifest_update (manifest, alts, n_alts, staging, error))
    return FALSE;
  g_autoptr (PsimChartData) data = psim_chart_data_load (staging, error);
  if (data == NULL || !psim_chart_write_all (data, chart_options, staging, NULL, error))
    return FALSE;

  /* the harm check of the last year, for the terminal (data: baseline first, then in run order) */
  for (int a = 0; a < n_alts; a++)
    {
      PsimHarmStatus status;
      g_autoptr (GArray) findings = psim_harm_check (data, a + 1, n_years - 1, &status);
      g_string_append_printf (harm, "  %s: ", alts[a].name);
      if (status == PSIM_HARM_NOT_ASSESSED)
        g_string_append (harm, "not assessed (fewer than two replications)");
      else if (findings->len == 0)
        g_string_append (harm, "nothing worse than the baseline beyond the uncertainty");
      else
        for (guint i = 0; i < findings->len; i++)
          g_string_append_printf (harm, "%s%s", i > 0 ? ", " : "worse: ",
                                  g_array_index (findings, PsimHarmFinding, i).rule->metric);
      g_string_append_c (harm, '\n');
    }
  return psim_compare_manifest_update (manifest, alts, n_alts, staging, error);
}

static void
print_result (const PsimRegion *region, const Plan *p, const PsimEnsembleSpec *spec,
              const PsimTally *totals, const char *harm, const char *out_dir)
{
  int n_years = spec->last_year - spec->first_year + 1;
  guint n_runs = p->alternatives->len + 1;
  int width = (int) strlen (PSIM_COMPARE_BASELINE);
  for (guint a = 0; a < p->alternatives->len; a++)
    width = MAX (width, (int) strlen (g_array_index (p->alternatives, PsimCompareAlternative, a).name));
  printf ("%s, %d-%d, seed %" G_GUINT64_FORMAT ", %u replications per scenario (paired)\n",
          region->name != NULL ? region->name : "region", spec->first_year, spec->last_year,
          spec->seed, spec->n_replications);
  printf ("%-*s %10s %10s %10s %10s %10s   (%d, mean)\n", width, "scenario", "workers", "licensed",
          "unlicensed", "illegal", "% illegal", spec->last_year);
  double n = spec->n_replications;
  for (guint a = 0; a < n_runs; a++)
    {
      const PsimTally *t = &totals[(gsize) a * (gsize) n_years + (gsize) (n_years - 1)];
      const char *name = a == 0 ? PSIM_COMPARE_BASELINE
                                : g_array_index (p->alternatives, PsimCompareAlternative, a - 1).name;
      char pct[32] = "-";
      if (t->workers > 0)
        g_snprintf (pct, sizeof pct, "%.1f",
                    100.0 * (double) t->sector[PSIM_SECTOR_ILLEGAL] / (double) t->workers);
      printf ("%-*s %10.0f %10.0f %10.0f %10.0f %10s\n", width, name, (double) t->workers / n,
              (double) t->sector[PSIM_SECTOR_LICENSED] / n, (double) t->sector[PSIM_SECTOR_UNLICENSED] / n,
              (double) t->sector[PSIM_SECTOR_ILLEGAL] / n, pct);
    }
  printf ("Harm check, %d (recommendation 4):\n%s", spec->last_year, harm);
  const char *sep = g_str_has_suffix (out_dir, G_DIR_SEPARATOR_S) ? "" : G_DIR_SEPARATOR_S;
  printf ("Results in %s%s (annual.csv, groups.csv, summary.csv, differences.csv, manifest.json)\n",
          out_dir, sep);
  printf ("Charts: %s%s%s%s\n", out_dir, sep, PSIM_CHART_DIR, G_DIR_SEPARATOR_S);
  printf ("Report: %s%sreport.html\n", out_dir, sep);
}

/* Everything after option parsing; returns the exit code. */
static int
compare (const char *region_arg, const CompareOptions *opt, char **command_line)
{
  int code = psim_cli_check_ensemble (opt->seed, opt->replications, opt->threads);
  if (code != PSIM_EXIT_OK)
    return code;
  code = psim_cli_check_years (opt->from, opt->to);
  if (code != PSIM_EXIT_OK)
    return code;
  if (opt->scenarios == NULL || opt->scenarios[0] == NULL)
    return psim_cli_usage_error ("give at least one --scenario FILE to compare with the baseline");
  PsimChartOptions chart_options = {
    .lang = PSIM_LANG_NL,
    .formats = PSIM_CHART_FORMAT_SVG | PSIM_CHART_FORMAT_PNG | PSIM_CHART_FORMAT_PDF,
  };
  if (opt->lang != NULL && !psim_lang_from_string (opt->lang, &chart_options.lang))
    {
      g_autofree char *msg = g_strdup_printf ("unknown language '%s' (use nl or en)", opt->lang);
      return psim_cli_usage_error (msg);
    }
  GError *error = NULL;
  if (opt->formats != NULL && !psim_chart_formats_parse (opt->formats, &chart_options.formats, &error))
    return psim_cli_report_error (error);

  g_autoptr (PsimRegion) region = NULL;
  g_autoptr (PsimParamSet) params = NULL;
  code = psim_cli_load_region (region_arg, opt->parameters, &region, &params);
  if (code != PSIM_EXIT_OK)
    return code;
  Plan plan = { 0 };
  code = load_plan (&plan, opt->scenarios, region);
  int first_year = 0, last_year = 0;
  if (code == PSIM_EXIT_OK)
    code = choose_period (&plan, region, opt, &first_year, &last_year);
  if (code != PSIM_EXIT_OK)
    {
      plan_clear (&plan);
      return code;
    }

  PsimEnsembleSpec spec;
  psim_cli_ensemble_spec (&spec, region, params, first_year, last_year, opt->seed, opt->replications,
                          opt->threads);
  guint n_runs = plan.alternatives->len + 1;

  if (psim_ensemble_rank () != 0)
    {
      /* a process of mpiexec other than rank 0: compute and send, scenario by scenario */
      gboolean ok = TRUE;
      for (guint a = 0; ok && a < n_runs; a++)
        {
          PsimEnsembleSpec s = spec;
          if (a > 0)
            {
              const PsimCompareAlternative *alt = &g_array_index (plan.alternatives, PsimCompareAlternative, a - 1);
              s.scenarios = alt->scenarios;
              s.n_scenarios = alt->n_scenarios;
            }
          ok = psim_ensemble_run_ranks (&s, psim_cli_sink_consume, NULL, NULL, &error);
        }
      g_clear_error (&error);
      plan_clear (&plan);
      return ok ? PSIM_EXIT_OK : PSIM_EXIT_FAILURE;
    }

  /* DIR is staged as a whole (od); the run's writers stage their own files
   * into it and move them there, then the comparison's files are added */
  const char *out_dir = opt->out != NULL ? opt->out : DEFAULT_OUT;
  PsimOutputDir *od = psim_output_dir_begin (out_dir, &error);
  if (od == NULL)
    {
      plan_clear (&plan);
      return psim_cli_report_error (error);
    }
  const char *staging = psim_output_dir_staging (od);
  int n_years = last_year - first_year + 1;
  g_autofree PsimTally *totals = g_new0 (PsimTally, (gsize) n_runs * (gsize) n_years);
  g_autoptr (GString) harm = g_string_new (NULL);
  PsimOutput *out = psim_output_open (staging, FALSE, &error);
  gboolean ok = out != NULL && simulate (out, &spec, &plan, opt->quiet, totals, &error);
  if (ok)
    ok = psim_cli_write_summary (out, opt->quiet, &error);
  if (ok)
    {
      PsimManifest manifest = manifest_for (&spec, &plan, command_line);
      ok = psim_output_finish (g_steal_pointer (&out), &manifest, &error);
    }
  psim_output_abort (out);
  ok = ok && write_comparison (staging, &plan, &chart_options, n_years, harm, &error);
  if (!ok)
    psim_output_dir_abort (od);
  else
    ok = psim_output_dir_commit (od, &error);
  if (ok)
    print_result (region, &plan, &spec, totals, harm->str, out_dir);
  plan_clear (&plan);
  return ok ? PSIM_EXIT_OK : psim_cli_report_error (error);
}

int
psim_cmd_compare (int argc, char **argv)
{
  CompareOptions opt = {
    .from = PSIM_CLI_YEAR_UNSET,
    .to = PSIM_CLI_YEAR_UNSET,
    .seed = 1,
    .replications = DEFAULT_REPLICATIONS,
  };
  GOptionEntry entries[] = {
    { "scenario", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt.scenarios,
      "an alternative to compare with the baseline (repeat for more; a.xml+b.xml applies both)",
      "FILE" },
    { "replications", 'n', 0, G_OPTION_ARG_INT, &opt.replications,
      "replications per scenario (default " G_STRINGIFY (DEFAULT_REPLICATIONS) ")", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opt.seed, "random seed, 0 or more (default 1)", "S" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &opt.threads, "threads (default: one per core)", "T" },
    { "from", 0, 0, G_OPTION_ARG_INT, &opt.from,
      "first year reported (default: two years before the first change)", "YEAR" },
    { "to", 0, 0, G_OPTION_ARG_INT, &opt.to,
      "last year reported (default: six years after the last change)", "YEAR" },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &opt.lang, "language of the charts and report: nl (default) or en",
      "nl|en" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &opt.formats, "chart formats (default: svg,png,pdf)",
      "svg,png,pdf" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt.out, "output directory (default " DEFAULT_OUT ")",
      "DIR" },
    { "parameters", 'p', 0, G_OPTION_ARG_FILENAME, &opt.parameters,
      "parameter file (default: the one the region names)", "FILE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt.quiet, "no progress line on a terminal", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };

  /* the command line as typed, for manifest.json */
  g_autoptr (GPtrArray) cmdline = psim_cli_command_line (argc, argv);

  int code = psim_cli_parse_options ("permitsim compare", "REGION.xml --scenario FILE...",
                                     "Compare alternatives with the baseline: paired ensembles, "
                                     "differences, charts and report.html.",
                                     compare_description, entries, &argc, &argv);
  if (code == PSIM_EXIT_OK)
    {
      if (argc != 2)
        code = psim_cli_usage_error (argc < 2 ? "no region file given" : "give exactly one region file");
      else
        code = compare (argv[1], &opt, (char **) cmdline->pdata);
    }
  g_strfreev (opt.scenarios);
  g_free (opt.out);
  g_free (opt.parameters);
  g_free (opt.lang);
  g_free (opt.formats);
  if (code != PSIM_EXIT_OK)
    psim_ensemble_ranks_fail (); /* under mpiexec: stop the other ranks rather than wait */
  return code;
}
