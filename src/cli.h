/* permitsim: the command-line layer (private). Each command is a function
 * taking its own argv (argv[0] is the command name) and returning an exit
 * code; main() only dispatches. Exit codes: 0 ok, 1 usage, 2 invalid input,
 * 3 runtime or output failure (see the README). */
#ifndef PSIM_CLI_H
#define PSIM_CLI_H

#include <glib.h>

#define PSIM_EXIT_OK 0
#define PSIM_EXIT_USAGE 1
#define PSIM_EXIT_INVALID 2
#define PSIM_EXIT_FAILURE 3

int psim_cli_main (int argc, char **argv);

/* Commands (src/cli_<name>.c). */
int psim_cmd_validate (int argc, char **argv);
int psim_cmd_run (int argc, char **argv);

/* The folder of the bundled data: $PERMITSIM_DATADIR, else next to an
 * installed binary (../share/permitsim/municipalities), else the source tree
 * the binary was built from. Free with g_free; NULL if none exists. */
char *psim_cli_datadir (void);

/* Prints the error as "permitsim: <message>" (or the diagnostics as they
 * are) on stderr and returns its exit code. Frees the error. */
int psim_cli_report_error (GError *error);

/* Parses a command's options; on --help prints and returns FALSE with *exit_code 0,
 * on a usage error prints the message and returns FALSE with *exit_code 1. */
gboolean psim_cli_parse (GOptionContext *context, int *argc, char ***argv, int *exit_code);

#endif
