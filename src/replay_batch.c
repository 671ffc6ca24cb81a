/* permitsim: many parameter vectors, each with a few replications, on threads.
 *
 * Calibration and sensitivity analysis need only a handful of numbers from
 * each run, for many parameter vectors. Each (point, replication) pair is one
 * task on a pool of threads; a task runs the engine, evaluates the measures
 * and frees the run at once, so memory stays at one run per thread. Every
 * point runs replications 0..n-1 of the same seed: common random numbers, so
 * that the difference between two points is the parameters' doing and not
 * the dice's. Results land in fixed slots and are averaged in replication
 * order: the numbers do not depend on the number of threads.
 */
#include "permitsim/replay.h"

#include <math.h>
#include <string.h>

#include "permitsim/error.h"

typedef struct {
  const PsimBatchSpec *spec;
  const PsimParams *points;
  PsimMeasure *const *measures;
  guint n_measures;
  double *values;      /* [(point * n_replications + replication) * n_measures + k] */
  GMutex lock;
  GError *error;       /* the first failure (by task number) */
  guint error_task;
  guint failed;        /* runs that failed */
} Batch;

static void
run_task (gpointer data, gpointer user_data)
{
  Batch *b = user_data;
  guint task = GPOINTER_TO_UINT (data) - 1;
  guint point = task / b->spec->n_replications;
  uint32_t replication = task % b->spec->n_replications;
  PsimRunSpec run = {
    .region = b->spec->region,
    .params = &b->points[point],
    .first_year = b->spec->first_year,
    .last_year = b->spec->last_year,
    .seed = b->spec->seed,
    .replication = replication,
  };
  PsimRunResult result;
  GError *error = NULL;
  double *slot = &b->values[(gsize) task * b->n_measures];
  if (psim_interrupted ())
    {
      /* after Ctrl-C the tasks not yet started are skipped; psim_batch_evaluate fails */
      for (guint k = 0; k < b->n_measures; k++)
        slot[k] = NAN;
      return;
    }
  if (!psim_engine_run (&run, &result, &error))
    {
      for (guint k = 0; k < b->n_measures; k++)
        slot[k] = NAN;
      g_mutex_lock (&b->lock);
      b->failed++;
      if (b->error == NULL || task < b->error_task)
        {
          g_clear_error (&b->error);
          b->error = error;
          b->error_task = task;
        }
      else
        g_error_free (error);
      g_mutex_unlock (&b->lock);
      return;
    }
  for (guint k = 0; k < b->n_measures; k++)
    slot[k] = psim_measure_eval (b->measures[k], &result);
  psim_run_result_clear (&result);
}

gboolean
psim_batch_evaluate (const PsimBatchSpec *spec, const PsimParams *points, guint n_points,
                     PsimMeasure *const *measures, guint n_measures, double *means,
                     guint *n_failed, GError **error)
{
  g_return_val_if_fail (spec != NULL && spec->region != NULL && points != NULL, FALSE);
  g_return_val_if_fail (spec->n_replications >= 1 && means != NULL, FALSE);
  if (n_failed != NULL)
    *n_failed = 0;
  if (n_points == 0 || n_measures == 0)
    return TRUE;
  guint n_tasks = n_points * spec->n_replications;
  Batch b = {
    .spec = spec,
    .points = points,
    .measures = measures,
    .n_measures = n_measures,
    .values = g_new (double, (gsize) n_tasks * n_measures),
  };
  g_mutex_init (&b.lock);
  int threads = spec->n_threads > 0 ? spec->n_threads : (int) g_get_num_processors ();
  threads = CLAMP (threads, 1, (int) n_tasks);
  if (threads == 1)
    for (guint t = 0; t < n_tasks; t++)
      run_task (GUINT_TO_POINTER (t + 1), &b);
  else
    {
      GThreadPool *pool = g_thread_pool_new (run_task, &b, threads, TRUE, NULL);
      for (guint t = 0; t < n_tasks; t++)
        g_thread_pool_push (pool, GUINT_TO_POINTER (t + 1), NULL);
      g_thread_pool_free (pool, FALSE, TRUE); /* waits for every task */
    }
  g_mutex_clear (&b.lock);
  if (psim_interrupt_check (error))
    {
      g_free (b.values);
      g_clear_error (&b.error);
      return FALSE;
    }

  for (guint p = 0; p < n_points; p++)
    for (guint k = 0; k < n_measures; k++)
      {
        double sum = 0.0;
        for (uint32_t r = 0; r < spec->n_replications; r++)
          sum += b.values[((gsize) p * spec->n_replications + r) * n_measures + k];
        means[(gsize) p * n_measures + k] = sum / spec->n_replications; /* NAN stays NAN */
      }
  g_free (b.values);
  if (n_failed != NULL)
    {
      *n_failed = b.failed;
      g_clear_error (&b.error);
    }
  if (b.error != NULL)
    {
      g_propagate_prefixed_error (error, b.error, "point %u, replication %u: ",
                                  b.error_task / spec->n_replications,
                                  b.error_task % spec->n_replications);
      return FALSE;
    }
  return TRUE;
}
