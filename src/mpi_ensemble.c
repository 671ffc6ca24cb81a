/* permitsim: an ensemble across MPI ranks (built with -DPERMITSIM_WITH_MPI=ON).
 *
 * The i-th replication of the slice belongs to rank i mod K. Every rank runs
 * its share on its own thread pool (ensemble.c); ranks other than 0 send each
 * finished replication to rank 0 as bytes (ensemble_wire.c), in their order,
 * and rank 0 takes the replications in slice order -- its own from its pool,
 * the others from the ranks that own them -- and alone calls the consumer.
 * Only the main thread calls MPI (MPI_THREAD_FUNNELED); it waits by polling
 * with short sleeps, so the compute threads keep the cores.
 */
#include "permitsim/ensemble.h"

#include <stdlib.h>
#include <string.h>

#include <mpi.h>

#include "permitsim/error.h"

#define TAG_RESULT 1
#define TAG_ERROR 2
#define POLL_MIN_US 50
#define POLL_MAX_US 2000
#define EXIT_CODE_ON_FAILURE 3
#define EXIT_SIGNAL_BASE 128 /* the shell's status for a signal: 128 + its number */

static gboolean mpi_started;
static int mpi_rank;
static int mpi_size = 1;
static int mpi_node_size = 1; /* ranks sharing this machine */
static volatile gboolean mpi_failed;

/* Launched by mpiexec (MPICH's Hydra, or another process manager)? A plain
 * run of the program does not start MPI at all. */
static gboolean
launched_by_mpiexec (void)
{
  static const char *const vars[] = {
    "PMI_RANK", "PMI_SIZE", "PMIX_RANK", "OMPI_COMM_WORLD_SIZE", "MPI_LOCALNRANKS",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (vars); i++)
    if (g_getenv (vars[i]) != NULL)
      return TRUE;
  return FALSE;
}

static void
mpi_at_exit (void)
{
  int finalized = 0;
  MPI_Finalized (&finalized);
  if (finalized)
    return;
  int sig = psim_interrupt_signal ();
  /* After Ctrl-C a rank other than 0 leaves the abort to rank 0, which
   * first removes its staging directory (an abort from here would kill it
   * before that); mpiexec passes the signal to every rank. */
  if (mpi_failed && mpi_size > 1 && (mpi_rank == 0 || sig == 0))
    {
      /* the other ranks may wait for us; after Ctrl-C the status says so as main()'s would */
      MPI_Abort (MPI_COMM_WORLD, sig != 0 ? EXIT_SIGNAL_BASE + sig : EXIT_CODE_ON_FAILURE);
    }
  else
    MPI_Finalize ();
}

static void
mpi_start (void)
{
  static gsize once = 0;
  if (!g_once_init_enter (&once))
    return;
  if (launched_by_mpiexec ())
    {
      int provided = 0;
      MPI_Init_thread (NULL, NULL, MPI_THREAD_FUNNELED, &provided);
      MPI_Comm_rank (MPI_COMM_WORLD, &mpi_rank);
      MPI_Comm_size (MPI_COMM_WORLD, &mpi_size);
      MPI_Comm node;
      MPI_Comm_split_type (MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
      MPI_Comm_size (node, &mpi_node_size);
      MPI_Comm_free (&node);
      mpi_started = TRUE;
      atexit (mpi_at_exit);
    }
  g_once_init_leave (&once, 1);
}

int
psim_ensemble_rank (void)
{
  mpi_start ();
  return mpi_rank;
}

int
psim_ensemble_n_ranks (void)
{
  mpi_start ();
  return mpi_size;
}

gboolean
psim_ensemble_have_mpi (void)
{
  return TRUE;
}

void
psim_ensemble_ranks_fail (void)
{
  mpi_failed = TRUE;
}

/* Waits for a request by polling: a blocking MPI call spins on a core. */
static void
wait_request (MPI_Request *request)
{
  int done = 0;
  gulong pause = POLL_MIN_US;
  for (;;)
    {
      MPI_Test (request, &done, MPI_STATUS_IGNORE);
      if (done)
        return;
      g_usleep (pause);
      pause = MIN (pause * 2, POLL_MAX_US);
    }
}

/* Waits for a message from `source`; FALSE, with the error set, on Ctrl-C
 * (rank 0 then fails and aborts the other ranks at exit). */
static gboolean
probe (int source, MPI_Status *status, GError **error)
{
  int found = 0;
  gulong pause = POLL_MIN_US;
  for (;;)
    {
      MPI_Iprobe (source, MPI_ANY_TAG, MPI_COMM_WORLD, &found, status);
      if (found)
        return TRUE;
      if (psim_interrupt_check (error))
        return FALSE;
      g_usleep (pause);
      pause = MIN (pause * 2, POLL_MAX_US);
    }
}

static void
send_bytes (const void *data, gsize size, int tag)
{
  MPI_Request request;
  MPI_Isend (data, (int) size, MPI_BYTE, 0, tag, MPI_COMM_WORLD, &request);
  wait_request (&request);
}

/* A rank other than 0: compute the share, send every result to rank 0. */
static gboolean
run_worker (const PsimEnsembleSpec *spec, PsimEnsembleStats *stats, GError **error)
{
  GError *local = NULL;
  PsimEnsembleRunner *runner = psim_ensemble_runner_new (spec, (uint32_t) mpi_rank,
                                                         (uint32_t) mpi_size, &local);
  guint sent = 0;
  if (runner != NULL)
    {
      PsimReplication rep;
      while (psim_ensemble_runner_next (runner, &rep, &local))
        {
          uint32_t number = rep.replication;
          GBytes *bytes = psim_replication_serialize (&rep);
          psim_replication_clear (&rep);
          gsize size = 0;
          const void *data = g_bytes_get_data (bytes, &size);
          if (size > G_MAXINT)
            {
              g_set_error (&local, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                           "replication %u: %" G_GSIZE_FORMAT " bytes are too many for one message",
                           number, size);
              g_bytes_unref (bytes);
              break;
            }
          send_bytes (data, size, TAG_RESULT);
          g_bytes_unref (bytes);
          sent++;
        }
      if (stats != NULL)
        stats->peak_alive = psim_ensemble_runner_peak (runner);
      psim_ensemble_runner_free (runner);
    }
  if (local != NULL)
    {
      /* rank 0 reports it when it reaches this replication */
      g_autofree char *message = g_strdup_printf ("%s (on rank %d)", local->message, mpi_rank);
      send_bytes (message, strlen (message) + 1, TAG_ERROR);
      g_propagate_error (error, local);
      return FALSE;
    }
  if (stats != NULL)
    stats->replications = sent;
  return TRUE;
}

/* Rank 0: its own replications from its pool, the others' from the wire. */
static gboolean
run_root (const PsimEnsembleSpec *spec, PsimEnsembleConsumer consume, gpointer user_data,
          PsimEnsembleStats *stats, GError **error)
{
  PsimEnsembleRunner *runner = psim_ensemble_runner_new (spec, 0, (uint32_t) mpi_size, error);
  if (runner == NULL)
    return FALSE;
  guint count = spec->last - spec->first;
  guint consumed = 0;
  gboolean ok = TRUE;
  GError *local = NULL;
  for (guint i = 0; ok && i < count; i++)
    {
      int owner = (int) (i % (guint) mpi_size);
      uint32_t expected = spec->first + i;
      PsimReplication rep = { 0 };
      if (owner == 0)
        {
          ok = psim_ensemble_runner_next (runner, &rep, &local);
          if (!ok && local == NULL)
            g_set_error (&local, PSIM_ERROR, PSIM_ERROR_RUNTIME, "replication %u is missing", expected);
        }
      else
        {
          MPI_Status status;
          ok = probe (owner, &status, &local);
          if (ok)
            {
              int size = 0;
              MPI_Get_count (&status, MPI_BYTE, &size);
              char *buf = g_malloc ((gsize) MAX (size, 1));
              MPI_Recv (buf, size, MPI_BYTE, owner, status.MPI_TAG, MPI_COMM_WORLD,
                        MPI_STATUS_IGNORE);
              if (status.MPI_TAG == TAG_ERROR)
                {
                  buf[MAX (size, 1) - 1] = '\0';
                  g_set_error (&local, PSIM_ERROR, PSIM_ERROR_RUNTIME, "%s", buf);
                  ok = FALSE;
                }
              else
                ok = psim_replication_deserialize (buf, (gsize) size, &rep, &local);
              g_free (buf);
            }
        }
      if (ok && rep.replication != expected)
        {
          g_set_error (&local, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                       "rank %d sent replication %u where %u was due", owner, rep.replication,
                       expected);
          ok = FALSE;
        }
      if (ok)
        ok = consume (&rep, user_data, &local);
      psim_replication_clear (&rep);
      if (ok)
        consumed++;
    }
  if (stats != NULL)
    {
      stats->replications = consumed;
      stats->peak_alive = psim_ensemble_runner_peak (runner);
    }
  psim_ensemble_runner_free (runner);
  if (!ok)
    {
      mpi_failed = TRUE; /* the other ranks may be waiting to send: stop them at exit */
      g_propagate_error (error, local);
    }
  return ok;
}

gboolean
psim_ensemble_run_ranks (const PsimEnsembleSpec *spec, PsimEnsembleConsumer consume,
                         gpointer user_data, PsimEnsembleStats *stats, GError **error)
{
  g_return_val_if_fail (spec != NULL && consume != NULL, FALSE);
  mpi_start ();
  if (mpi_size <= 1)
    return psim_ensemble_run (spec, consume, user_data, stats, error);
  if (!psim_ensemble_spec_check (spec, error))
    return FALSE;

  PsimEnsembleSpec local = *spec;
  if (local.n_threads <= 0)
    local.n_threads = MAX (1, (int) g_get_num_processors () / MAX (1, mpi_node_size));
  gint64 t0 = g_get_monotonic_time ();
  PsimEnsembleStats s = { 0 };
  gboolean ok = mpi_rank == 0 ? run_root (&local, consume, user_data, &s, error)
                              : run_worker (&local, &s, error);
  s.seconds = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  s.threads = local.n_threads;
  s.ranks = mpi_size;
  if (stats != NULL)
    *stats = s;
  return ok;
}
