/* permitsim: Ctrl-C and SIGTERM (see error.h).
 *
 * The handler only records the signal; the long loops (the engine's weeks,
 * the ensemble runner, the batch runner of calibration and sensitivity, the
 * wait for other MPI ranks, the commit of an output directory) look at it
 * and fail through their ordinary error path, which removes the staging
 * directory. After the first signal its default action is back, so a second
 * Ctrl-C ends the program at once.
 */
#define _POSIX_C_SOURCE 200809L /* sigaction */

#include "permitsim/error.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t interrupt_signal;

/* The outermost output directory being staged, as the user named it: `compare`
 * stages a run's output inside its own, and the message names the one the
 * user gave. Set and read on the main thread only. */
static const char *interrupt_output;

static void
on_signal (int sig)
{
  if (interrupt_signal == 0)
    interrupt_signal = sig;
}

void
psim_interrupt_install (void)
{
  static const int signals[] = { SIGINT, SIGTERM };
  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      struct sigaction old;
      /* ignored by whoever started us (nohup, a background job of a script): leave it so */
      if (sigaction (signals[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
        continue;
      struct sigaction sa;
      memset (&sa, 0, sizeof sa);
      sa.sa_handler = on_signal;
      sigemptyset (&sa.sa_mask);
      /* SA_RESETHAND: the second signal takes the default action (the program
       * ends at once); SA_RESTART: reads and writes under way are not cut short */
      sa.sa_flags = SA_RESETHAND | SA_RESTART;
      sigaction (signals[i], &sa, NULL);
    }
}

int
psim_interrupt_signal (void)
{
  return interrupt_signal;
}

gboolean
psim_interrupted (void)
{
  return interrupt_signal != 0;
}

gboolean
psim_interrupt_check (GError **error)
{
  if (interrupt_signal == 0)
    return FALSE;
  if (interrupt_output != NULL)
    g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                 "interrupted: nothing was written; %s is as it was", interrupt_output);
  else
    g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME, "interrupted: nothing was written");
  return TRUE;
}

void
psim_interrupt_output_begin (const char *dir)
{
  if (interrupt_output == NULL)
    interrupt_output = dir;
}

void
psim_interrupt_output_end (const char *dir)
{
  if (interrupt_output == dir)
    interrupt_output = NULL;
}
