/* permitsim: what the commands that simulate share (run, compare, replay,
 * sensitivity), private to the command-line layer: the command line for the
 * manifest, finding and loading a region with its parameter file, checking the
 * ensemble options, the reported period, the ensemble's specification, and the
 * consumer that writes each finished replication into the output files.
 * Messages go to stderr prefixed with the command's program name (g_set_prgname). */
#ifndef PSIM_CLI_ENSEMBLE_H
#define PSIM_CLI_ENSEMBLE_H

#include <glib.h>

#include "cli.h"
#include "permitsim/ensemble.h"
#include "permitsim/summary.h"

#define PSIM_CLI_YEAR_UNSET G_MININT     /* --from / --to not given */
#define PSIM_CLI_MAX_REPLICATIONS 1000000

/* The command line as typed, for manifest.json: "permitsim", then the
 * command's argv (taken before option parsing changes it), NULL-terminated
 * so that ->pdata is a char **. */
GPtrArray *psim_cli_command_line (int argc, char **argv);

/* --seed, -n and --threads in range; 0, or the exit code (message printed). */
int psim_cli_check_ensemble (gint64 seed, int replications, int threads);
/* --from and --to (each possibly PSIM_CLI_YEAR_UNSET) in 1..9999 and in order. */
int psim_cli_check_years (int from, int to);

/* A region given by bare file name that is not in the working directory is
 * looked up in the bundled data folder. Free with g_free. */
char *psim_cli_region_path (const char *given);

/* Loads the region and the parameter file (params_arg, else the one the region
 * names). Returns 0, or the exit code with the diagnostics printed; *region is
 * set as soon as the region loaded (the caller frees it either way). */
int psim_cli_load_region (const char *region_arg, const char *params_arg, PsimRegion **region,
                          PsimParamSet **params);

/* The reported period: --from / --to where given, else the region's own
 * period (the current year for an open end). 0, or the exit code. */
int psim_cli_period (const PsimRegion *region, int from, int to, int *first_year, int *last_year);

/* The whole ensemble [0, N) of `replications` over first_year..last_year,
 * without scenarios or sampling (the options checked before). */
void psim_cli_ensemble_spec (PsimEnsembleSpec *spec, const PsimRegion *region,
                             const PsimParamSet *params, int first_year, int last_year,
                             gint64 seed, int replications, int threads);

/* What the consumer of an ensemble writes into (rank 0 only). */
typedef struct {
  PsimOutput *out;
  const PsimRegion *region;
  const char *label;       /* the scenario column */
  int first_year;
  int n_years;
  PsimTally *totals;       /* the region by year, summed over the replications; or NULL */
  PsimCsv *parameters;     /* parameters.csv, or NULL */
  PsimProgress *progress;  /* or NULL */
  guint done;              /* replications consumed, for the progress line */
  const PsimCliRunExtra *extra; /* a command's own look at each replication; or NULL */
} PsimCliSink;

/* A PsimEnsembleConsumer (user_data: a PsimCliSink): one finished
 * replication, in replication order, as rows of the open tables, a row of
 * parameters.csv, the region's tally per year, and then the extra consumer. */
gboolean psim_cli_sink_consume (const PsimReplication *replication, gpointer user_data,
                                GError **error);

/* Once every replication is in: closes the tables and writes summary.csv
 * from annual.csv, in bounded memory (psim_summary_write_annual with
 * psim_summary_memory()), with a progress line for the readings of
 * annual.csv past the first (on a terminal, unless `quiet`). */
gboolean psim_cli_write_summary (PsimOutput *out, gboolean quiet, GError **error);

#endif
