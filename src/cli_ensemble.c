/* permitsim: what `run`, `compare`, `replay` and `sensitivity` share -- the
 * command line for the manifest, the region and its parameter file, the
 * ensemble options, the period, the ensemble's specification, and the
 * consumer that writes each finished replication. Moved here from the
 * commands unchanged in behaviour, so that they read and write in exactly the
 * same way. */
#include "cli_ensemble.h"

#include <stdio.h>
#include <string.h>

#include "permitsim/error.h"
#include "permitsim/loader.h"

GPtrArray *
psim_cli_command_line (int argc, char **argv)
{
  GPtrArray *cmdline = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (cmdline, g_strdup ("permitsim"));
  for (int i = 0; i < argc; i++)
    g_ptr_array_add (cmdline, g_strdup (argv[i]));
  g_ptr_array_add (cmdline, NULL);
  return cmdline;
}

int
psim_cli_check_ensemble (gint64 seed, int replications, int threads)
{
  if (seed < 0)
    return psim_cli_usage_error ("--seed must be 0 or more");
  if (replications < 1 || replications > PSIM_CLI_MAX_REPLICATIONS)
    return psim_cli_usage_error ("-n must be between 1 and 1000000");
  if (threads < 0)
    return psim_cli_usage_error ("--threads must be 1 or more");
  return PSIM_EXIT_OK;
}

int
psim_cli_check_years (int from, int to)
{
  if ((from != PSIM_CLI_YEAR_UNSET && (from < 1 || from > 9999))
      || (to != PSIM_CLI_YEAR_UNSET && (to < 1 || to > 9999)))
    return psim_cli_usage_error ("years must be between 1 and 9999");
  if (from != PSIM_CLI_YEAR_UNSET && to != PSIM_CLI_YEAR_UNSET && from > to)
    {
      g_autofree char *msg = g_strdup_printf ("--from %d is after --to %d", from, to);
      return psim_cli_usage_error (msg);
    }
  return PSIM_EXIT_OK;
}

char *
psim_cli_region_path (const char *given)
{
  if (g_file_test (given, G_FILE_TEST_EXISTS) || strchr (given, G_DIR_SEPARATOR) != NULL)
    return g_strdup (given);
  g_autofree char *datadir = psim_cli_datadir ();
  if (datadir != NULL)
    {
      char *bundled = g_build_filename (datadir, given, NULL);
      if (g_file_test (bundled, G_FILE_TEST_IS_REGULAR))
        return bundled;
      g_free (bundled);
    }
  return g_strdup (given);
}

int
psim_cli_load_region (const char *region_arg, const char *params_arg, PsimRegion **region_out,
                      PsimParamSet **params_out)
{
  GError *error = NULL;
  g_autofree char *region_path = psim_cli_region_path (region_arg);
  PsimRegion *region = psim_region_load (region_path, NULL, &error);
  if (region == NULL)
    return psim_cli_report_error (error);
  *region_out = region;

  const char *params_path = params_arg != NULL ? params_arg : region->parameters_path;
  if (params_path == NULL)
    return psim_cli_usage_error ("the region names no parameter file: give --parameters FILE");
  PsimParamSet *params = psim_param_set_load (params_path, NULL, &error);
  if (params == NULL)
    return psim_cli_report_error (error);
  *params_out = params;
  return PSIM_EXIT_OK;
}

static int
current_year (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  return g_date_time_get_year (now);
}

int
psim_cli_period (const PsimRegion *region, int from, int to, int *first_year, int *last_year)
{
  int region_first = region->from != PSIM_DATE_NONE ? psim_date_year (region->from) : current_year ();
  int region_last = region->to != PSIM_DATE_NONE ? psim_date_year (region->to) : current_year ();
  *first_year = from != PSIM_CLI_YEAR_UNSET ? from : region_first;
  *last_year = to != PSIM_CLI_YEAR_UNSET ? to : region_last;
  if (*first_year > *last_year)
    {
      g_autofree char *msg = g_strdup_printf ("the period %d-%d is empty (the region's runs %d-%d)",
                                              *first_year, *last_year, region_first, region_last);
      return psim_cli_usage_error (msg);
    }
  return PSIM_EXIT_OK;
}

void
psim_cli_ensemble_spec (PsimEnsembleSpec *spec, const PsimRegion *region, const PsimParamSet *params,
                        int first_year, int last_year, gint64 seed, int replications, int threads)
{
  psim_ensemble_spec_init (spec);
  spec->region = region;
  spec->params = params;
  spec->first_year = first_year;
  spec->last_year = last_year;
  spec->seed = (uint64_t) seed;
  spec->n_replications = (uint32_t) replications;
  spec->first = 0;
  spec->last = spec->n_replications;
  spec->n_threads = threads;
}

typedef struct {
  gboolean quiet;
  PsimProgress *progress;
} Readings;

static void
show_reading (guint done, guint total, gpointer data)
{
  Readings *r = data;
  if (r->progress == NULL)
    r->progress = psim_progress_new_for (total, !r->quiet, "readings of annual.csv for summary.csv");
  psim_progress_update (r->progress, done);
}

gboolean
psim_cli_write_summary (PsimOutput *out, gboolean quiet, GError **error)
{
  if (!psim_output_close_tables (out, error))
    return FALSE;
  g_autofree char *annual = psim_output_file (out, "annual.csv");
  g_autofree char *path = psim_output_file (out, "summary.csv");
  const char *files[] = { annual, NULL };
  Readings readings = { .quiet = quiet };
  PsimSummaryStats stats = { .on_reading = show_reading, .data = &readings };
  gboolean ok = psim_summary_write_annual (files, path, psim_summary_memory (), &stats, error);
  psim_progress_free (readings.progress);
  return ok;
}

gboolean
psim_cli_sink_consume (const PsimReplication *rep, gpointer user_data, GError **error)
{
  PsimCliSink *sink = user_data;
  const PsimRunResult *result = &rep->result;
  if (result->first_year != sink->first_year || result->n_years != sink->n_years)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                   "the simulation reported %d years from %d, not %d-%d", result->n_years,
                   result->first_year, sink->first_year, sink->first_year + sink->n_years - 1);
      return FALSE;
    }
  if (!psim_output_add_run (sink->out, sink->label, rep->replication, sink->region, result, error))
    return FALSE;
  if (sink->parameters != NULL)
    psim_parameters_csv_add (sink->parameters, rep);
  for (int y = 0; sink->totals != NULL && y < result->n_years; y++)
    {
      PsimTally t;
      psim_run_result_region (result, y, &t);
      psim_tally_add (&sink->totals[y], &t);
    }
  psim_progress_update (sink->progress, ++sink->done);
  if (sink->extra != NULL && sink->extra->consume != NULL)
    return sink->extra->consume (rep, sink->extra->user_data, error);
  return TRUE;
}
