/* permitsim: the command-line layer (private). Each command is a function
 * taking its own argv (argv[0] is the command name) and returning an exit
 * code; main() only dispatches. Exit codes: 0 ok, 1 usage, 2 invalid input,
 * 3 runtime or output failure (see the README). */
#ifndef PSIM_CLI_H
#define PSIM_CLI_H

#include <glib.h>

#include "permitsim/ensemble.h"
#include "permitsim/output.h"

#define PSIM_EXIT_OK 0
#define PSIM_EXIT_USAGE 1
#define PSIM_EXIT_INVALID 2
#define PSIM_EXIT_FAILURE 3

int psim_cli_main (int argc, char **argv);

/* Commands (src/cli_<name>.c). */
int psim_cmd_validate (int argc, char **argv);
int psim_cmd_run (int argc, char **argv);
int psim_cmd_compare (int argc, char **argv);
int psim_cmd_chart (int argc, char **argv);
int psim_cmd_merge (int argc, char **argv);
int psim_cmd_bench (int argc, char **argv);
int psim_cmd_summary (int argc, char **argv);
int psim_cmd_replay (int argc, char **argv);
int psim_cmd_calibrate (int argc, char **argv);
int psim_cmd_sensitivity (int argc, char **argv);

/* The folder of the bundled data: $PERMITSIM_DATADIR, else next to an
 * installed binary (../share/permitsim/municipalities), else the source tree
 * the binary was built from. Free with g_free; NULL if none exists. */
char *psim_cli_datadir (void);

/* Prints the error as "permitsim: <message>" (or the diagnostics as they
 * are) on stderr and returns its exit code. Frees the error. */
int psim_cli_report_error (GError *error);

/* What a command adds to the output of `permitsim run` (used by replay): a
 * look at each replication, in order, after its rows are written, and files
 * of its own, written into the staging directory before manifest.json so that
 * the manifest lists them. Either may be NULL. */
typedef struct {
  PsimEnsembleConsumer consume;
  gboolean (*write_files) (PsimOutput *out, gpointer user_data, GError **error);
  gpointer user_data;
} PsimCliRunExtra;

/* Runs the ensemble of `spec` (rank 0 of an MPI run) into `out`: the tables,
 * summary.csv, parameters.csv when sampling, the extra files, manifest.json;
 * adds the region's tally of each year, summed over the replications, into
 * totals (one zeroed entry per year). Consumes out. Returns the exit code
 * (the error printed). (src/cli_run.c) */
int psim_cli_simulate_and_write (PsimOutput *out, const PsimEnsembleSpec *spec,
                                 const PsimParamSet *params, const char *label, gboolean quiet,
                                 char **command_line, PsimTally *totals,
                                 const PsimCliRunExtra *extra);

/* "PRGNAME: message" and a pointer to --help on stderr (after
 * psim_cli_parse_options named the program): the one form of every usage
 * error (tests/cli/usage.sh); returns PSIM_EXIT_USAGE. */
int psim_cli_usage_error (const char *message);

/* A command's option parsing: names the program (prgname, "permitsim NAME",
 * used by --help and the messages), describes the command (parameter_string,
 * summary and description may each be NULL) and parses entries out of argv in
 * place, leaving argv[0] and the arguments. --help prints the help and exits 0
 * (GLib does). Returns PSIM_EXIT_OK, or PSIM_EXIT_USAGE after
 * psim_cli_usage_error with GLib's message. */
int psim_cli_parse_options (const char *prgname, const char *parameter_string, const char *summary,
                            const char *description, const GOptionEntry *entries, int *argc,
                            char ***argv);

#endif
