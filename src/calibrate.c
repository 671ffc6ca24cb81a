/* permitsim: calibration by Nelder-Mead on the ensemble-mean loss.
 *
 * calibrate.h states the method. This file sets up the problem (which
 * parameters, on which scale, within which bounds), evaluates the loss
 * through the batch runner of replay.h (common random numbers), runs the
 * simplex search, and estimates each parameter's range within tolerance.
 * Writing the result into the parameter file is in calibrate_write.c.
 */
#include "permitsim/calibrate.h"

#include <math.h>
#include <string.h>

#include "permitsim/error.h"

/* Nelder-Mead coefficients (Nelder & Mead 1965; the usual choice). */
#define NM_REFLECT 1.0
#define NM_EXPAND 2.0
#define NM_CONTRACT 0.5
#define NM_SHRINK 0.5
/* Log-scale parameters with min 0 may go this many decades below their start. */
#define SEARCH_DECADES 6.0
/* The finite-difference step for the ranges, on the search scale. */
#define RANGE_STEP 0.05

void
psim_calibrate_spec_init (PsimCalibrateSpec *spec)
{
  g_return_if_fail (spec != NULL);
  memset (spec, 0, sizeof *spec);
  spec->seed = 1;
  spec->n_replications = 2;
  spec->budget = 150;
  spec->start_step = 0.2;
  spec->x_tolerance = 1e-3;
  spec->f_tolerance = 1e-3;
}

typedef struct {
  const PsimCalibrateSpec *spec;
  guint n;              /* parameters */
  gsize *param;
  gboolean *log_scale;
  double *lo, *hi;      /* bounds on the search scale */
  guint n_targets;
  guint *target;
  PsimMeasure **measures;
  PsimBatchSpec batch;
  guint evaluations;
  double best;
} Problem;

static void
problem_clear (Problem *p)
{
  g_free (p->param);
  g_free (p->log_scale);
  g_free (p->lo);
  g_free (p->hi);
  g_free (p->target);
  g_free (p->measures);
}

static double
to_value (const Problem *p, guint i, double z)
{
  const PsimParamEntry *e = &p->spec->params->entries[p->param[i]];
  double v = p->log_scale[i] ? exp (z) : z;
  return CLAMP (v, e->min, e->max);
}

static double
to_search (const Problem *p, guint i, double v)
{
  return p->log_scale[i] ? log (v) : v;
}

/* The parameter vector of point z: the file's values with the fitted ones replaced. */
static void
point_params (const Problem *p, const double *z, PsimParams *out)
{
  *out = p->spec->params->values;
  for (guint i = 0; i < p->n; i++)
    psim_params_set (out, p->param[i], to_value (p, i, z[i]));
}

static double
loss_of (const Problem *p, const double *means)
{
  double loss = 0.0;
  for (guint k = 0; k < p->n_targets; k++)
    {
      const PsimTarget *t = psim_target_set_get (p->spec->targets, p->target[k]);
      double d = (means[k] - t->published) / t->tolerance;
      if (isnan (d))
        return INFINITY;
      loss += d * d;
    }
  return loss;
}

/* Evaluates n_points points (rows of z, p->n each): their losses and, when
 * `means` is given, the targets' means (n_targets per point). */
static gboolean
evaluate (Problem *p, const double *z, guint n_points, double *losses, double *means_out,
          gboolean count, GError **error)
{
  g_autofree PsimParams *points = g_new (PsimParams, n_points);
  for (guint j = 0; j < n_points; j++)
    point_params (p, &z[(gsize) j * p->n], &points[j]);
  g_autofree double *means = g_new (double, (gsize) n_points * p->n_targets);
  if (!psim_batch_evaluate (&p->batch, points, n_points, p->measures, p->n_targets, means, NULL,
                            error))
    return FALSE;
  for (guint j = 0; j < n_points; j++)
    {
      double f = loss_of (p, &means[(gsize) j * p->n_targets]);
      if (losses != NULL)
        losses[j] = f;
      if (count)
        {
          p->evaluations++;
          p->best = MIN (p->best, f);
          if (p->spec->progress != NULL)
            p->spec->progress (p->evaluations, p->spec->budget, f, p->best, p->spec->progress_data);
        }
    }
  if (means_out != NULL)
    memcpy (means_out, means, sizeof (double) * n_points * p->n_targets);
  return TRUE;
}

/* Collects the fitted targets and their parameters, and checks them. */
static gboolean
problem_init (Problem *p, const PsimCalibrateSpec *spec, GError **error)
{
  memset (p, 0, sizeof *p);
  p->spec = spec;
  p->best = INFINITY;
  const PsimTargetSet *set = spec->targets;
  guint n_set = psim_target_set_size (set);
  p->target = g_new (guint, MAX (1u, n_set));
  p->measures = g_new (PsimMeasure *, MAX (1u, n_set));
  p->param = g_new (gsize, MAX (1u, n_set));
  for (guint i = 0; i < n_set; i++)
    {
      const PsimTarget *t = psim_target_set_get (set, i);
      if (t->fitted_by != PSIM_FIT_CALIBRATE)
        continue;
      int a, b;
      psim_measure_years (t->measure, &a, &b);
      if (a < spec->first_year || b > spec->last_year)
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE,
                       "target %s reads %d-%d, outside the calibration run %d-%d", t->name, a, b,
                       spec->first_year, spec->last_year);
          return FALSE;
        }
      p->target[p->n_targets] = i;
      p->measures[p->n_targets++] = t->measure;
      gsize param = (gsize) psim_param_lookup (t->parameters[0]);
      gboolean seen = FALSE;
      for (guint j = 0; j < p->n; j++)
        seen = seen || p->param[j] == param;
      if (!seen)
        p->param[p->n++] = param;
    }
  if (p->n_targets == 0)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                   "%s: no target has fitted_by calibrate: nothing to fit",
                   set->path != NULL ? set->path : "targets");
      return FALSE;
    }
  p->log_scale = g_new (gboolean, p->n);
  p->lo = g_new (double, p->n);
  p->hi = g_new (double, p->n);
  for (guint i = 0; i < p->n; i++)
    {
      const PsimParamEntry *e = &spec->params->entries[p->param[i]];
      const char *name = psim_param_info (p->param[i])->name;
      double start = psim_params_get (&spec->params->values, p->param[i]);
      if (!(e->min < e->max))
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                       "parameter %s has min = max = %g in %s: it cannot be fitted", name,
                       e->min, spec->params->path != NULL ? spec->params->path : "the file");
          return FALSE;
        }
      if (!(start >= e->min && start <= e->max))
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                       "parameter %s starts at %g, outside its range [%g, %g]", name, start,
                       e->min, e->max);
          return FALSE;
        }
      /* rates, hazards and probabilities on a log scale; log-odds and utilities as they are */
      const char *unit = psim_param_info (p->param[i])->unit;
      p->log_scale[i] = start > 0 && e->min >= 0 && strcmp (unit, "log-odds") != 0
                        && strcmp (unit, "utility") != 0;
      if (p->log_scale[i])
        {
          p->lo[i] = e->min > 0 ? log (e->min) : log (start) - SEARCH_DECADES * G_LN10;
          p->hi[i] = log (e->max);
        }
      else
        {
          p->lo[i] = e->min;
          p->hi[i] = e->max;
        }
    }
  p->batch = (PsimBatchSpec) {
    .region = spec->region,
    .first_year = spec->first_year,
    .last_year = spec->last_year,
    .seed = spec->seed,
    .n_replications = spec->n_replications,
    .n_threads = spec->n_threads,
  };
  return TRUE;
}

static void
clamp_point (const Problem *p, double *z)
{
  for (guint i = 0; i < p->n; i++)
    z[i] = CLAMP (z[i], p->lo[i], p->hi[i]);
}

/* Orders the simplex by loss, ties by vertex age (a stable insertion sort). */
static void
sort_simplex (guint n, double *x, double *f)
{
  g_autofree double *tmp = g_new (double, n);
  for (guint i = 1; i <= n; i++)
    for (guint j = i; j > 0 && f[j] < f[j - 1]; j--)
      {
        double tf = f[j];
        f[j] = f[j - 1];
        f[j - 1] = tf;
        memcpy (tmp, &x[j * n], sizeof (double) * n);
        memcpy (&x[j * n], &x[(j - 1) * n], sizeof (double) * n);
        memcpy (&x[(j - 1) * n], tmp, sizeof (double) * n);
      }
}

static gboolean
converged (const Problem *p, const double *x, const double *f)
{
  guint n = p->n;
  if (!(f[n] - f[0] < p->spec->f_tolerance))
    return FALSE;
  for (guint j = 1; j <= n; j++)
    for (guint i = 0; i < n; i++)
      if (fabs (x[j * n + i] - x[i]) > p->spec->x_tolerance)
        return FALSE;
  return TRUE;
}

/* The simplex search from z0; leaves the best point in z0 and its loss in *f0. */
static gboolean
nelder_mead (Problem *p, double *z0, double *f0, gboolean *done, GError **error)
{
  guint n = p->n;
  g_autofree double *x = g_new (double, (gsize) (n + 1) * n);
  g_autofree double *f = g_new (double, n + 1);
  g_autofree double *c = g_new (double, n);
  g_autofree double *xr = g_new (double, n);
  g_autofree double *xe = g_new (double, n);
  g_autofree double *xc = g_new (double, n);
  guint budget = p->spec->budget;

  /* the starting simplex: z0 and a step along each axis (backwards at an upper bound) */
  for (guint j = 0; j <= n; j++)
    {
      memcpy (&x[j * n], z0, sizeof (double) * n);
      if (j > 0)
        {
          double step = p->spec->start_step;
          if (z0[j - 1] + step > p->hi[j - 1])
            step = -step;
          x[j * n + j - 1] += step;
        }
      clamp_point (p, &x[j * n]);
    }
  if (!evaluate (p, x, n + 1, f, NULL, TRUE, error))
    return FALSE;
  *done = FALSE;

  while (p->evaluations < budget)
    {
      sort_simplex (n, x, f);
      if (converged (p, x, f))
        {
          *done = TRUE;
          break;
        }
      for (guint i = 0; i < n; i++)
        {
          c[i] = 0.0;
          for (guint j = 0; j < n; j++)
            c[i] += x[j * n + i] / n;
        }
      const double *worst = &x[n * n];
      for (guint i = 0; i < n; i++)
        xr[i] = c[i] + NM_REFLECT * (c[i] - worst[i]);
      clamp_point (p, xr);
      double fr;
      if (!evaluate (p, xr, 1, &fr, NULL, TRUE, error))
        return FALSE;

      if (fr < f[0])
        {
          for (guint i = 0; i < n; i++)
            xe[i] = c[i] + NM_EXPAND * (xr[i] - c[i]);
          clamp_point (p, xe);
          double fe = INFINITY;
          if (p->evaluations < budget && !evaluate (p, xe, 1, &fe, NULL, TRUE, error))
            return FALSE;
          gboolean take_e = fe < fr;
          memcpy (&x[n * n], take_e ? xe : xr, sizeof (double) * n);
          f[n] = take_e ? fe : fr;
          continue;
        }
      if (fr < f[n - 1])
        {
          memcpy (&x[n * n], xr, sizeof (double) * n);
          f[n] = fr;
          continue;
        }
      if (p->evaluations >= budget)
        break;
      gboolean outside = fr < f[n];
      for (guint i = 0; i < n; i++)
        xc[i] = outside ? c[i] + NM_CONTRACT * (xr[i] - c[i]) : c[i] + NM_CONTRACT * (worst[i] - c[i]);
      clamp_point (p, xc);
      double fc;
      if (!evaluate (p, xc, 1, &fc, NULL, TRUE, error))
        return FALSE;
      if (fc < (outside ? fr : f[n]))
        {
          memcpy (&x[n * n], xc, sizeof (double) * n);
          f[n] = fc;
          continue;
        }
      /* shrink toward the best vertex */
      if (p->evaluations + n > budget)
        break;
      for (guint j = 1; j <= n; j++)
        for (guint i = 0; i < n; i++)
          x[j * n + i] = x[i] + NM_SHRINK * (x[j * n + i] - x[i]);
      if (!evaluate (p, &x[n], n, &f[1], NULL, TRUE, error))
        return FALSE;
    }
  sort_simplex (n, x, f);
  memcpy (z0, x, sizeof (double) * n);
  *f0 = f[0];
  return TRUE;
}

/* For each parameter, the values that keep each of its targets within
 * tolerance on the line through the fitted point (one step of RANGE_STEP). */
static gboolean
estimate_ranges (Problem *p, const double *z, const double *means, PsimCalibration *cal,
                 GError **error)
{
  guint n = p->n;
  g_autofree double *steps = g_new (double, (gsize) n * n);
  for (guint j = 0; j < n; j++)
    {
      memcpy (&steps[j * n], z, sizeof (double) * n);
      double step = z[j] + RANGE_STEP <= p->hi[j] ? RANGE_STEP : -RANGE_STEP;
      steps[j * n + j] += step;
    }
  g_autofree double *stepped = g_new (double, (gsize) n * p->n_targets);
  if (!evaluate (p, steps, n, NULL, stepped, FALSE, error))
    return FALSE;
  for (guint j = 0; j < n; j++)
    {
      double step = steps[j * n + j] - z[j];
      double lo = p->lo[j], hi = p->hi[j];
      for (guint k = 0; k < p->n_targets; k++)
        {
          const PsimTarget *t = psim_target_set_get (p->spec->targets, p->target[k]);
          if ((gsize) psim_param_lookup (t->parameters[0]) != p->param[j])
            continue;
          double slope = (stepped[j * p->n_targets + k] - means[k]) / step;
          if (isnan (slope) || slope == 0.0)
            continue; /* no information: the bounds stand */
          double a = z[j] + (t->published - t->tolerance - means[k]) / slope;
          double b = z[j] + (t->published + t->tolerance - means[k]) / slope;
          lo = MAX (lo, MIN (a, b));
          hi = MIN (hi, MAX (a, b));
        }
      cal->range_low[j] = lo <= hi ? to_value (p, j, lo) : NAN;
      cal->range_high[j] = lo <= hi ? to_value (p, j, hi) : NAN;
    }
  return TRUE;
}

PsimCalibration *
psim_calibrate_run (const PsimCalibrateSpec *spec, GError **error)
{
  g_return_val_if_fail (spec != NULL && spec->region != NULL && spec->params != NULL
                        && spec->targets != NULL, NULL);
  if (spec->n_replications < 1 || spec->budget < 1 || spec->first_year > spec->last_year
      || !(spec->start_step > 0))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE,
                   "calibration needs at least one replication, a budget, a period in order "
                   "and a positive starting step");
      return NULL;
    }
  Problem p;
  if (!problem_init (&p, spec, error))
    {
      problem_clear (&p);
      return NULL;
    }
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (PsimCalibration) cal = g_new0 (PsimCalibration, 1);
  guint n = p.n;
  cal->n_params = n;
  cal->param = g_memdup2 (p.param, sizeof (gsize) * n);
  cal->start = g_new (double, n);
  cal->fitted = g_new (double, n);
  cal->range_low = g_new (double, n);
  cal->range_high = g_new (double, n);
  cal->targets_of = g_new0 (char *, n + 1);
  cal->n_targets = p.n_targets;
  cal->target = g_memdup2 (p.target, sizeof (guint) * p.n_targets);
  cal->start_value = g_new (double, p.n_targets);
  cal->fitted_value = g_new (double, p.n_targets);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new ();
      for (guint k = 0; k < p.n_targets; k++)
        {
          const PsimTarget *t = psim_target_set_get (spec->targets, p.target[k]);
          if ((gsize) psim_param_lookup (t->parameters[0]) == p.param[i])
            g_ptr_array_add (names, t->name);
        }
      g_ptr_array_add (names, NULL);
      cal->targets_of[i] = g_strjoinv (", ", (char **) names->pdata);
    }

  g_autofree double *z = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      cal->start[i] = psim_params_get (&spec->params->values, p.param[i]);
      z[i] = to_search (&p, i, cal->start[i]);
    }
  gboolean ok = evaluate (&p, z, 1, &cal->start_loss, cal->start_value, FALSE, error)
                && nelder_mead (&p, z, &cal->loss, &cal->converged, error);
  cal->evaluations = p.evaluations;
  if (ok)
    {
      /* the fitted values as the parameter file will hold them, so that a run
       * from the written file reproduces the values reported here */
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *text = psim_calibration_format_value (to_value (&p, i, z[i]));
          cal->fitted[i] = g_ascii_strtod (text, NULL);
          z[i] = to_search (&p, i, cal->fitted[i]);
        }
      ok = evaluate (&p, z, 1, &cal->loss, cal->fitted_value, FALSE, error)
           && estimate_ranges (&p, z, cal->fitted_value, cal, error);
    }
  problem_clear (&p);
  if (!ok)
    return NULL;
  cal->seconds = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  return g_steal_pointer (&cal);
}

void
psim_calibration_free (PsimCalibration *c)
{
  if (c == NULL)
    return;
  g_free (c->param);
  g_free (c->start);
  g_free (c->fitted);
  g_free (c->range_low);
  g_free (c->range_high);
  g_strfreev (c->targets_of);
  g_free (c->target);
  g_free (c->start_value);
  g_free (c->fitted_value);
  g_free (c);
}

void
psim_calibration_apply (const PsimCalibration *c, PsimParams *params)
{
  g_return_if_fail (c != NULL && params != NULL);
  for (guint i = 0; i < c->n_params; i++)
    psim_params_set (params, c->param[i], c->fitted[i]);
}
