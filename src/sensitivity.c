/* permitsim: Morris elementary effects and one-at-a-time sensitivity.
 *
 * sensitivity.h states the designs. This file draws them (Philox, keyed by
 * the seed), runs their points through the batch runner of replay.h, and
 * reduces the outcomes to mu*, mu and sigma per parameter and outcome.
 */
#include "permitsim/sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "permitsim/error.h"
#include "permitsim/output.h"
#include "permitsim/rng.h"

/* Decisions of the design's random numbers (the counter's third word). */
enum {
  DRAW_ORDER = 1, /* (trajectory, factor): the factor's place in the trajectory */
  DRAW_SIGN,      /* (trajectory, factor): up or down */
  DRAW_LEVEL      /* (trajectory, factor): the starting level */
};
/* The replication word of the design's key: far from any run's. */
#define DESIGN_STREAM 0xDE5u

const char *
psim_sensitivity_method_name (PsimSensitivityMethod method)
{
  return method == PSIM_SENSITIVITY_OAT ? "oat" : "morris";
}

void
psim_sensitivity_free (PsimSensitivity *s)
{
  if (s == NULL)
    return;
  g_free (s->mu_star);
  g_free (s->mu);
  g_free (s->sigma);
  g_free (s->baseline);
  g_free (s);
}

gsize *
psim_sensitivity_default_factors (const PsimParamSet *params, const char *const *prefixes,
                                  guint *n_factors)
{
  g_return_val_if_fail (params != NULL && n_factors != NULL, NULL);
  gsize *factors = g_new (gsize, psim_param_count ());
  guint n = 0;
  for (gsize i = 0; i < psim_param_count (); i++)
    {
      const char *name = psim_param_info (i)->name;
      const PsimParamEntry *e = &params->entries[i];
      if (!(e->min < e->max) || g_str_has_prefix (name, "run."))
        continue;
      gboolean wanted = prefixes == NULL || prefixes[0] == NULL;
      for (const char *const *p = prefixes; !wanted && *p != NULL; p++)
        wanted = g_str_has_prefix (name, *p);
      if (wanted)
        factors[n++] = i;
    }
  *n_factors = n;
  return factors;
}

/* A parameter vector: the file's values, with factor f at scaled position x[f]. */
static void
set_scaled (const PsimSensitivitySpec *spec, const double *x, PsimParams *out)
{
  *out = spec->params->values;
  for (guint f = 0; f < spec->n_factors; f++)
    {
      const PsimParamEntry *e = &spec->params->entries[spec->factors[f]];
      psim_params_set (out, spec->factors[f], e->min + x[f] * (e->max - e->min));
    }
}

typedef struct {
  guint index;
  double key;
} Ordered;

static int
compare_ordered (const void *a, const void *b)
{
  const Ordered *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

/* One Morris trajectory: k + 1 points (rows of x, k each), the factor moved
 * at each step (order[s] for the step from point s to s + 1) and its sign. */
static void
morris_trajectory (const PsimSensitivitySpec *spec, const PsimRngKey *key, guint t, double *x,
                   guint *order, int *sign)
{
  guint k = spec->n_factors, p = spec->levels;
  double delta = (double) p / (2.0 * (p - 1));
  g_autofree Ordered *ord = g_new (Ordered, k);
  for (guint f = 0; f < k; f++)
    {
      ord[f].index = f;
      ord[f].key = psim_rng_uniform (key, t, f, DRAW_ORDER, 0);
      sign[f] = psim_rng_uniform (key, t, f, DRAW_SIGN, 0) < 0.5 ? 1 : -1;
      /* levels 0 .. p/2 - 1 go up by delta, levels p/2 .. p - 1 go down */
      guint level = (guint) (psim_rng_uniform (key, t, f, DRAW_LEVEL, 0) * (p / 2));
      level = MIN (level, p / 2 - 1);
      if (sign[f] < 0)
        level += p / 2;
      x[f] = (double) level / (p - 1);
    }
  qsort (ord, k, sizeof (Ordered), compare_ordered);
  for (guint s = 0; s < k; s++)
    {
      order[s] = ord[s].index;
      memcpy (&x[(s + 1) * k], &x[s * k], sizeof (double) * k);
      x[(s + 1) * k + order[s]] += sign[order[s]] * delta;
    }
}

static gboolean
run_morris (const PsimSensitivitySpec *spec, const PsimBatchSpec *batch, PsimSensitivity *s,
            GError **error)
{
  guint k = spec->n_factors, m = spec->n_outcomes, r = spec->trajectories;
  double delta = (double) spec->levels / (2.0 * (spec->levels - 1));
  PsimRngKey key;
  psim_rng_key_init (&key, spec->seed, DESIGN_STREAM);
  g_autofree double *x = g_new (double, (gsize) (k + 1) * k);
  g_autofree guint *order = g_new (guint, k);
  g_autofree int *sign = g_new (int, k);
  g_autofree PsimParams *points = g_new (PsimParams, k + 1);
  g_autofree double *y = g_new (double, (gsize) (k + 1) * m);
  /* elementary effects [trajectory][factor][outcome] */
  g_autofree double *ee = g_new (double, (gsize) r * k * m);
  g_autofree double *sum = g_new0 (double, m);
  g_autofree guint *count = g_new0 (guint, m);

  for (guint t = 0; t < r; t++)
    {
      morris_trajectory (spec, &key, t, x, order, sign);
      for (guint j = 0; j <= k; j++)
        set_scaled (spec, &x[j * k], &points[j]);
      guint failed = 0;
      if (!psim_batch_evaluate (batch, points, k + 1, spec->outcomes, m, y, &failed, error))
        return FALSE;
      s->runs += k + 1;
      s->failed += failed;
      for (guint j = 0; j <= k; j++)
        for (guint o = 0; o < m; o++)
          if (!isnan (y[j * m + o]))
            {
              sum[o] += y[j * m + o];
              count[o]++;
            }
      for (guint step = 0; step < k; step++)
        for (guint o = 0; o < m; o++)
          ee[((gsize) t * k + order[step]) * m + o]
            = (y[(step + 1) * m + o] - y[step * m + o]) / (sign[order[step]] * delta);
      if (spec->progress != NULL)
        spec->progress (t + 1, r, spec->progress_data);
    }

  for (guint f = 0; f < k; f++)
    for (guint o = 0; o < m; o++)
      {
        double sa = 0.0, ss = 0.0;
        guint n = 0;
        for (guint t = 0; t < r; t++)
          {
            double e = ee[((gsize) t * k + f) * m + o];
            if (isnan (e))
              continue;
            sa += fabs (e);
            ss += e;
            n++;
          }
        gsize at = (gsize) f * m + o;
        s->mu_star[at] = n > 0 ? sa / n : NAN;
        s->mu[at] = n > 0 ? ss / n : NAN;
        double var = 0.0;
        for (guint t = 0; t < r; t++)
          {
            double e = ee[((gsize) t * k + f) * m + o];
            if (!isnan (e))
              var += (e - s->mu[at]) * (e - s->mu[at]);
          }
        s->sigma[at] = n > 1 ? sqrt (var / (n - 1)) : NAN;
      }
  for (guint o = 0; o < m; o++)
    s->baseline[o] = count[o] > 0 ? sum[o] / count[o] : NAN;
  return TRUE;
}

static gboolean
run_oat (const PsimSensitivitySpec *spec, const PsimBatchSpec *batch, PsimSensitivity *s,
         GError **error)
{
  guint k = spec->n_factors, m = spec->n_outcomes;
  guint n_points = 2 * k + 1;
  g_autofree PsimParams *points = g_new (PsimParams, n_points);
  points[0] = spec->params->values;
  for (guint f = 0; f < k; f++)
    {
      const PsimParamEntry *e = &spec->params->entries[spec->factors[f]];
      points[1 + 2 * f] = spec->params->values;
      points[2 + 2 * f] = spec->params->values;
      psim_params_set (&points[1 + 2 * f], spec->factors[f], e->min);
      psim_params_set (&points[2 + 2 * f], spec->factors[f], e->max);
    }
  g_autofree double *y = g_new (double, (gsize) n_points * m);
  if (!psim_batch_evaluate (batch, points, n_points, spec->outcomes, m, y, &s->failed, error))
    return FALSE;
  s->runs = n_points;
  for (guint o = 0; o < m; o++)
    s->baseline[o] = y[o];
  for (guint f = 0; f < k; f++)
    for (guint o = 0; o < m; o++)
      {
        gsize at = (gsize) f * m + o;
        s->mu[at] = y[(2 + 2 * f) * m + o] - y[(1 + 2 * f) * m + o];
        s->mu_star[at] = fabs (s->mu[at]);
        s->sigma[at] = NAN;
      }
  if (spec->progress != NULL)
    spec->progress (1, 1, spec->progress_data);
  return TRUE;
}

PsimSensitivity *
psim_sensitivity_run (const PsimSensitivitySpec *spec, GError **error)
{
  g_return_val_if_fail (spec != NULL && spec->region != NULL && spec->params != NULL, NULL);
  if (spec->n_factors == 0 || spec->n_outcomes == 0)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE, "no parameters to vary or no outcomes");
      return NULL;
    }
  if (spec->method == PSIM_SENSITIVITY_MORRIS
      && (spec->trajectories < 2 || spec->levels < 2 || spec->levels % 2 != 0))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE,
                   "Morris needs at least 2 trajectories and an even number of levels (>= 2)");
      return NULL;
    }
  for (guint f = 0; f < spec->n_factors; f++)
    {
      const PsimParamEntry *e = &spec->params->entries[spec->factors[f]];
      if (!(e->min < e->max))
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE, "parameter %s has no range to vary",
                       psim_param_info (spec->factors[f])->name);
          return NULL;
        }
    }
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (PsimSensitivity) s = g_new0 (PsimSensitivity, 1);
  s->n_factors = spec->n_factors;
  s->n_outcomes = spec->n_outcomes;
  gsize n = (gsize) spec->n_factors * spec->n_outcomes;
  s->mu_star = g_new (double, n);
  s->mu = g_new (double, n);
  s->sigma = g_new (double, n);
  s->baseline = g_new (double, spec->n_outcomes);
  PsimBatchSpec batch = {
    .region = spec->region,
    .first_year = spec->first_year,
    .last_year = spec->last_year,
    .seed = spec->seed,
    .n_replications = MAX (1u, spec->n_replications),
    .n_threads = spec->n_threads,
  };
  gboolean ok = spec->method == PSIM_SENSITIVITY_OAT ? run_oat (spec, &batch, s, error)
                                                     : run_morris (spec, &batch, s, error);
  if (!ok)
    return NULL;
  s->seconds = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  return g_steal_pointer (&s);
}

guint
psim_sensitivity_rank (const PsimSensitivity *s, guint factor, guint outcome)
{
  g_return_val_if_fail (s != NULL && factor < s->n_factors && outcome < s->n_outcomes, 0);
  double v = s->mu_star[(gsize) factor * s->n_outcomes + outcome];
  guint rank = 1;
  for (guint f = 0; f < s->n_factors; f++)
    {
      double w = s->mu_star[(gsize) f * s->n_outcomes + outcome];
      if (isnan (v) ? !isnan (w) : (w > v || (w == v && f < factor)))
        rank++;
    }
  return rank;
}

gboolean
psim_sensitivity_write_csv (const PsimSensitivity *s, const PsimSensitivitySpec *spec,
                            const char *path, GError **error)
{
  g_return_val_if_fail (s != NULL && spec != NULL && path != NULL, FALSE);
  PsimCsv *csv = psim_csv_open (path, error);
  if (csv == NULL)
    return FALSE;
  static const char *const header[] = { "method", "parameter", "outcome", "mu_star", "mu",
                                        "sigma", "rank" };
  for (gsize i = 0; i < G_N_ELEMENTS (header); i++)
    psim_csv_field (csv, header[i]);
  psim_csv_end_row (csv);
  for (guint o = 0; o < s->n_outcomes; o++)
    for (guint f = 0; f < s->n_factors; f++)
      {
        gsize at = (gsize) f * s->n_outcomes + o;
        psim_csv_field (csv, psim_sensitivity_method_name (spec->method));
        psim_csv_field (csv, psim_param_info (spec->factors[f])->name);
        psim_csv_field (csv, spec->outcome_names[o]);
        psim_csv_field_number (csv, s->mu_star[at], 6);
        psim_csv_field_number (csv, s->mu[at], 6);
        psim_csv_field_number (csv, s->sigma[at], 6);
        psim_csv_field_int (csv, psim_sensitivity_rank (s, f, o));
        psim_csv_end_row (csv);
      }
  return psim_csv_close (csv, error);
}
