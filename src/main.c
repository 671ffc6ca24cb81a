/* permitsim: the command line. Wiring only: each command lives in src/cli_*.c. */
#include "cli.h"

int
main (int argc, char **argv)
{
  return psim_cli_main (argc, argv);
}
