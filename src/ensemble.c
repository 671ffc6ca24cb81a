/* permitsim: running replications on a pool of threads, in order.
 *
 * A runner keeps a window of at most 2 x threads replications in flight on a
 * GThreadPool and hands them back strictly in replication order (a small
 * reorder buffer), so whatever the number of threads the caller sees what a
 * one-by-one run gives, and memory does not grow with the number of
 * replications. Sampling of parameters is in ensemble_lhs.c, transport
 * between processes in mpi_ensemble.c.
 */
#include "permitsim/ensemble.h"

#include <string.h>

#include "permitsim/error.h"

/* How often a wait for a replication looks for Ctrl-C (psim_interrupt_check):
 * the workers do not wake it for that. */
#define INTERRUPT_POLL_US (100 * G_TIME_SPAN_MILLISECOND)

void
psim_ensemble_spec_init (PsimEnsembleSpec *spec)
{
  g_return_if_fail (spec != NULL);
  memset (spec, 0, sizeof *spec);
  spec->n_replications = 1;
  spec->first = 0;
  spec->last = 1;
}

gboolean
psim_ensemble_spec_check (const PsimEnsembleSpec *spec, GError **error)
{
  g_return_val_if_fail (spec != NULL, FALSE);
  if (spec->region == NULL || spec->params == NULL)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE, "an ensemble needs a region and parameters");
      return FALSE;
    }
  if (spec->n_replications < 1)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE, "the number of replications must be at least 1");
      return FALSE;
    }
  if (spec->first >= spec->last || spec->last > spec->n_replications)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE,
                   "replication range %u:%u is not a non-empty part of 0:%u", spec->first,
                   spec->last, spec->n_replications);
      return FALSE;
    }
  if (spec->first_year > spec->last_year)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE, "the period %d-%d ends before it starts",
                   spec->first_year, spec->last_year);
      return FALSE;
    }
  if (spec->n_scenarios > 0 && spec->scenarios == NULL)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE, "scenarios missing");
      return FALSE;
    }
  return TRUE;
}

int
psim_ensemble_threads (const PsimEnsembleSpec *spec)
{
  if (spec != NULL && spec->n_threads > 0)
    return spec->n_threads;
  return MAX (1, (int) g_get_num_processors ());
}

void
psim_replication_clear (PsimReplication *replication)
{
  if (replication == NULL)
    return;
  psim_run_result_clear (&replication->result);
  memset (replication, 0, sizeof *replication);
}

/* Replication r on the calling thread: its parameters (drawn when the
 * ensemble samples them), then the engine. */
static gboolean
run_one (const PsimEnsembleSpec *spec, const PsimLhs *lhs, uint32_t r, PsimReplication *out,
         GError **error)
{
  memset (out, 0, sizeof *out);
  out->replication = r;
  if (lhs != NULL)
    psim_lhs_sample (lhs, r, &out->params);
  else
    out->params = spec->params->values;

  PsimRunSpec run = {
    .region = spec->region,
    .params = &out->params,
    .scenarios = spec->scenarios,
    .n_scenarios = spec->n_scenarios,
    .first_year = spec->first_year,
    .last_year = spec->last_year,
    .seed = spec->seed,
    .replication = r,
    .weekly = spec->weekly,
  };
  GError *local = NULL;
  if (!psim_engine_run (&run, &out->result, &local))
    {
      psim_run_result_clear (&out->result);
      g_propagate_prefixed_error (error, local, "replication %u: ", r);
      return FALSE;
    }
  return TRUE;
}

/* ---------- the runner ---------- */

typedef struct {
  uint32_t replication;
  PsimReplication rep;
  gboolean done;   /* the worker finished (successfully or not) */
  GError *error;
} Slot;

struct _PsimEnsembleRunner {
  PsimEnsembleSpec spec;
  PsimLhs *lhs;           /* NULL without sampling */
  uint32_t start;         /* the replication of sequence index 0 */
  uint32_t stride;
  guint count;            /* replications in the sequence */
  guint window;
  Slot *slots;            /* [window], sequence index i in slots[i % window] */
  guint head;             /* next sequence index to hand out */
  guint submitted;        /* sequence indices below this were pushed to the pool */
  guint alive;            /* slots holding work or a result */
  guint peak;
  gboolean failed;
  gint cancel;            /* atomic: skip work not yet started */
  GThreadPool *pool;
  GMutex lock;
  GCond cond;
};

static void
runner_work (gpointer data, gpointer user_data)
{
  PsimEnsembleRunner *runner = user_data;
  Slot *slot = data;
  GError *error = NULL;
  if (g_atomic_int_get (&runner->cancel) || psim_interrupted ())
    g_set_error (&error, PSIM_ERROR, PSIM_ERROR_RUNTIME, "cancelled");
  else
    run_one (&runner->spec, runner->lhs, slot->replication, &slot->rep, &error);
  g_mutex_lock (&runner->lock);
  slot->error = error;
  slot->done = TRUE;
  g_cond_broadcast (&runner->cond);
  g_mutex_unlock (&runner->lock);
}

/* Pushes work until the window is full or the sequence ends. Called with the lock not held. */
static gboolean
runner_fill (PsimEnsembleRunner *runner, GError **error)
{
  while (runner->submitted < runner->count && runner->submitted < runner->head + runner->window)
    {
      guint i = runner->submitted;
      Slot *slot = &runner->slots[i % runner->window];
      memset (slot, 0, sizeof *slot);
      slot->replication = runner->start + i * runner->stride;
      g_mutex_lock (&runner->lock);
      runner->alive++;
      runner->peak = MAX (runner->peak, runner->alive);
      g_mutex_unlock (&runner->lock);
      runner->submitted++;
      if (!g_thread_pool_push (runner->pool, slot, error))
        {
          g_mutex_lock (&runner->lock);
          slot->done = TRUE;
          g_set_error (&slot->error, PSIM_ERROR, PSIM_ERROR_RUNTIME, "cannot start a thread");
          g_mutex_unlock (&runner->lock);
          return FALSE;
        }
    }
  return TRUE;
}

PsimEnsembleRunner *
psim_ensemble_runner_new (const PsimEnsembleSpec *spec, uint32_t offset, uint32_t stride,
                          GError **error)
{
  g_return_val_if_fail (spec != NULL && stride >= 1, NULL);
  if (!psim_ensemble_spec_check (spec, error))
    return NULL;

  PsimEnsembleRunner *runner = g_new0 (PsimEnsembleRunner, 1);
  runner->spec = *spec;
  runner->start = spec->first + offset;
  runner->stride = stride;
  uint32_t span = spec->last - spec->first;
  runner->count = offset < span ? (span - offset + stride - 1) / stride : 0;
  if (spec->sample_parameters)
    runner->lhs = psim_lhs_new (spec->params, spec->seed, spec->n_replications);

  int threads = psim_ensemble_threads (spec);
  threads = (int) MIN ((guint) threads, MAX (runner->count, 1u));
  runner->spec.n_threads = threads;
  runner->window = 2 * (guint) threads;
  runner->slots = g_new0 (Slot, runner->window);
  g_mutex_init (&runner->lock);
  g_cond_init (&runner->cond);
  runner->pool = g_thread_pool_new (runner_work, runner, threads, FALSE, error);
  if (runner->pool == NULL)
    {
      psim_ensemble_runner_free (runner);
      return NULL;
    }
  if (!runner_fill (runner, error))
    {
      psim_ensemble_runner_free (runner);
      return NULL;
    }
  return runner;
}

gboolean
psim_ensemble_runner_next (PsimEnsembleRunner *runner, PsimReplication *out, GError **error)
{
  g_return_val_if_fail (runner != NULL && out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  if (runner->failed || runner->head >= runner->count)
    return FALSE;

  Slot *slot = &runner->slots[runner->head % runner->window];
  g_mutex_lock (&runner->lock);
  while (!slot->done && !psim_interrupted ())
    g_cond_wait_until (&runner->cond, &runner->lock, g_get_monotonic_time () + INTERRUPT_POLL_US);
  g_mutex_unlock (&runner->lock);

  /* the replications under way finish in psim_ensemble_runner_free; the rest never start */
  if (psim_interrupt_check (error))
    {
      runner->failed = TRUE;
      g_atomic_int_set (&runner->cancel, 1);
      return FALSE;
    }
  if (slot->error != NULL)
    {
      runner->failed = TRUE;
      g_atomic_int_set (&runner->cancel, 1);
      g_propagate_error (error, slot->error);
      slot->error = NULL;
      return FALSE;
    }
  *out = slot->rep;
  memset (&slot->rep, 0, sizeof slot->rep);
  slot->done = FALSE;
  g_mutex_lock (&runner->lock);
  runner->alive--;
  g_mutex_unlock (&runner->lock);
  runner->head++;
  if (!runner_fill (runner, error))
    {
      runner->failed = TRUE;
      psim_replication_clear (out);
      return FALSE;
    }
  return TRUE;
}

guint
psim_ensemble_runner_peak (const PsimEnsembleRunner *runner)
{
  g_return_val_if_fail (runner != NULL, 0);
  return runner->peak;
}

void
psim_ensemble_runner_free (PsimEnsembleRunner *runner)
{
  if (runner == NULL)
    return;
  g_atomic_int_set (&runner->cancel, 1);
  if (runner->pool != NULL)
    g_thread_pool_free (runner->pool, FALSE, TRUE); /* waits for the work in flight */
  for (guint i = 0; i < runner->window; i++)
    {
      psim_replication_clear (&runner->slots[i].rep);
      g_clear_error (&runner->slots[i].error);
    }
  g_free (runner->slots);
  psim_lhs_free (runner->lhs);
  g_mutex_clear (&runner->lock);
  g_cond_clear (&runner->cond);
  g_free (runner);
}

/* ---------- a whole slice on this process ---------- */

gboolean
psim_ensemble_run (const PsimEnsembleSpec *spec, PsimEnsembleConsumer consume,
                   gpointer user_data, PsimEnsembleStats *stats, GError **error)
{
  g_return_val_if_fail (spec != NULL && consume != NULL, FALSE);
  gint64 t0 = g_get_monotonic_time ();
  PsimEnsembleRunner *runner = psim_ensemble_runner_new (spec, 0, 1, error);
  if (runner == NULL)
    return FALSE;

  guint consumed = 0;
  gboolean ok = TRUE;
  GError *local = NULL;
  PsimReplication rep;
  while (psim_ensemble_runner_next (runner, &rep, &local))
    {
      ok = consume (&rep, user_data, &local);
      psim_replication_clear (&rep);
      if (!ok)
        break;
      consumed++;
    }
  if (local != NULL)
    {
      ok = FALSE;
      g_propagate_error (error, local);
    }
  if (stats != NULL)
    {
      stats->replications = consumed;
      stats->peak_alive = psim_ensemble_runner_peak (runner);
      stats->seconds = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
      stats->threads = runner->spec.n_threads;
      stats->ranks = 1;
    }
  psim_ensemble_runner_free (runner);
  return ok;
}
