/* permitsim: the one-rank stand-in for src/mpi_ensemble.c.
 *
 * A build without MPI has exactly one rank: every process runs its slice on
 * its own threads. An MPI build compiles src/mpi_ensemble.c instead (see
 * CMakeLists.txt), which defines the same functions.
 */
#include "permitsim/ensemble.h"

#include "permitsim/error.h"

#ifndef PERMITSIM_WITH_MPI

int
psim_ensemble_rank (void)
{
  return 0;
}

int
psim_ensemble_n_ranks (void)
{
  return 1;
}

gboolean
psim_ensemble_have_mpi (void)
{
  return FALSE;
}

void
psim_ensemble_ranks_fail (void)
{
}

/* Started by mpiexec with several processes? Each would run the whole
 * ensemble and write the same files: refuse instead. */
static gboolean
several_processes (void)
{
  static const char *const vars[] = { "PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "MPI_LOCALNRANKS" };
  for (gsize i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      const char *v = g_getenv (vars[i]);
      if (v != NULL && g_ascii_strtoll (v, NULL, 10) > 1)
        return TRUE;
    }
  return FALSE;
}

gboolean
psim_ensemble_run_ranks (const PsimEnsembleSpec *spec, PsimEnsembleConsumer consume,
                         gpointer user_data, PsimEnsembleStats *stats, GError **error)
{
  if (several_processes ())
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE,
                   "this permitsim was built without MPI (-DPERMITSIM_WITH_MPI=ON): "
                   "run it without mpiexec, it uses every core through threads");
      return FALSE;
    }
  return psim_ensemble_run (spec, consume, user_data, stats, error);
}

#endif /* !PERMITSIM_WITH_MPI */
