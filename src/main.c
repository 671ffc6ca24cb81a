/* permitsim: the command line. Wiring only: each command lives in src/cli_*.c. */
#include "cli.h"

#include "permitsim/error.h"

#define EXIT_SIGNAL_BASE 128 /* the shell's status for a signal: 128 + its number */

int
main (int argc, char **argv)
{
  /* Ctrl-C or SIGTERM makes a long command fail through its error path,
   * which removes its staging directory (interrupt.c) */
  psim_interrupt_install ();
  int code = psim_cli_main (argc, argv);
  int sig = psim_interrupt_signal ();
  /* a command that finished in spite of the signal keeps its status: its output is whole */
  if (sig != 0 && code != PSIM_EXIT_OK)
    return EXIT_SIGNAL_BASE + sig;
  return code;
}
