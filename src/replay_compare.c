/* permitsim: an ensemble set beside the targets -- targets.csv.
 *
 * Collects every target's measure on each replication, then gives its
 * median and 5th/95th percentiles (type 7, as summary.csv) and the verdict
 * of the target's rule: a value passes when the median lies within the
 * tolerance of the published figure; a threshold passes only when the whole
 * 90% band of the replications lies beyond it, so that Monte Carlo noise
 * cannot carry a direction by chance.
 */
#include "permitsim/replay.h"

#include <math.h>
#include <stdlib.h>

#include "permitsim/ensemble.h"
#include "permitsim/output.h"
#include "permitsim/summary.h"

struct _PsimComparison {
  const PsimTargetSet *set;
  GArray **values; /* per target: double per replication (NAN where undefined) */
  guint runs;
};

PsimComparison *
psim_comparison_new (const PsimTargetSet *set)
{
  g_return_val_if_fail (set != NULL, NULL);
  PsimComparison *c = g_new0 (PsimComparison, 1);
  c->set = set;
  c->values = g_new0 (GArray *, MAX (1u, psim_target_set_size (set)));
  for (guint i = 0; i < psim_target_set_size (set); i++)
    c->values[i] = g_array_new (FALSE, FALSE, sizeof (double));
  return c;
}

void
psim_comparison_free (PsimComparison *c)
{
  if (c == NULL)
    return;
  for (guint i = 0; i < psim_target_set_size (c->set); i++)
    g_array_unref (c->values[i]);
  g_free (c->values);
  g_free (c);
}

void
psim_comparison_add_run (PsimComparison *c, const PsimRunResult *result)
{
  g_return_if_fail (c != NULL && result != NULL);
  for (guint i = 0; i < psim_target_set_size (c->set); i++)
    {
      double v = psim_measure_eval (psim_target_set_get (c->set, i)->measure, result);
      g_array_append_val (c->values[i], v);
    }
  c->runs++;
}

guint
psim_comparison_runs (const PsimComparison *c)
{
  g_return_val_if_fail (c != NULL, 0);
  return c->runs;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

void
psim_comparison_result (const PsimComparison *c, guint target, PsimTargetResult *out)
{
  g_return_if_fail (c != NULL && out != NULL && target < psim_target_set_size (c->set));
  const PsimTarget *t = psim_target_set_get (c->set, target);
  GArray *values = c->values[target];
  g_autofree double *sorted = g_new (double, MAX (1u, values->len));
  guint n = 0;
  double sum = 0.0;
  for (guint r = 0; r < values->len; r++)
    {
      double v = g_array_index (values, double, r);
      if (!isnan (v))
        {
          sorted[n++] = v;
          sum += v;
        }
    }
  qsort (sorted, n, sizeof (double), compare_doubles);
  out->defined = n;
  out->median = psim_quantile_type7 (sorted, n, 0.5);
  out->p05 = psim_quantile_type7 (sorted, n, 0.05);
  out->p95 = psim_quantile_type7 (sorted, n, 0.95);
  out->mean = n > 0 ? sum / n : NAN;
  if (n == 0)
    {
      out->verdict = PSIM_VERDICT_UNDEFINED;
      return;
    }
  gboolean pass;
  switch (t->rule)
    {
    case PSIM_TARGET_ABOVE:
      pass = out->p05 > t->published + t->tolerance;
      break;
    case PSIM_TARGET_BELOW:
      pass = out->p95 < t->published - t->tolerance;
      break;
    case PSIM_TARGET_WITHIN:
    default:
      pass = fabs (out->median - t->published) <= t->tolerance;
      break;
    }
  out->verdict = pass ? PSIM_VERDICT_PASS : PSIM_VERDICT_FAIL;
}

char *
psim_target_published_text (const PsimTarget *t)
{
  char number[32];
  psim_format_double (t->published, number);
  switch (t->rule)
    {
    case PSIM_TARGET_ABOVE:
      return g_strdup_printf (">%s", number);
    case PSIM_TARGET_BELOW:
      return g_strdup_printf ("<%s", number);
    case PSIM_TARGET_WITHIN:
    default:
      return g_strdup (number);
    }
}

/* Enough decimals for a share and for a count alike: 6, as annual.csv's shares. */
#define TARGET_DECIMALS 6

gboolean
psim_comparison_write_csv (const PsimComparison *c, const char *path, GError **error)
{
  g_return_val_if_fail (c != NULL && path != NULL, FALSE);
  PsimCsv *csv = psim_csv_open (path, error);
  if (csv == NULL)
    return FALSE;
  static const char *const header[] = {
    "target", "role", "source", "published", "model_median", "model_p05", "model_p95",
    "tolerance", "pass",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (header); i++)
    psim_csv_field (csv, header[i]);
  psim_csv_end_row (csv);
  for (guint i = 0; i < psim_target_set_size (c->set); i++)
    {
      const PsimTarget *t = psim_target_set_get (c->set, i);
      PsimTargetResult r;
      psim_comparison_result (c, i, &r);
      g_autofree char *published = psim_target_published_text (t);
      char tolerance[32];
      psim_format_double (t->tolerance, tolerance);
      psim_csv_field (csv, t->name);
      psim_csv_field (csv, psim_target_role_name (t->role));
      psim_csv_field (csv, t->source);
      psim_csv_field (csv, published);
      psim_csv_field_number (csv, r.median, TARGET_DECIMALS);
      psim_csv_field_number (csv, r.p05, TARGET_DECIMALS);
      psim_csv_field_number (csv, r.p95, TARGET_DECIMALS);
      psim_csv_field (csv, tolerance);
      psim_csv_field (csv, r.verdict == PSIM_VERDICT_PASS   ? "true"
                           : r.verdict == PSIM_VERDICT_FAIL ? "false"
                                                            : NULL);
      psim_csv_end_row (csv);
    }
  return psim_csv_close (csv, error);
}
