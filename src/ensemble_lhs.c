/* permitsim: Latin hypercube sampling of the uncertain parameters.
 *
 * For each parameter whose file gives min < max, the N replications of an
 * ensemble are dealt the N equal strata of [min, max] by a random permutation
 * (Fisher-Yates), and each takes a uniform point inside its stratum. Every
 * draw is a Philox block keyed by the seed with a counter that names what it
 * decides, so replication r's parameters depend only on (seed, N, r) and the
 * file: never on threads, ranks or which slice of the ensemble runs it.
 */
#include "permitsim/ensemble.h"

#include "permitsim/rng.h"

/* The fourth counter word of every draw made here ("LHS!"): the engine's key
 * derivation uses another one, so these counters never meet its blocks. */
#define LHS_DOMAIN 0x4c485321u
#define LHS_PERMUTATION 0u /* third counter word: 2 * attempt for the shuffle */
#define LHS_POINT 1u       /* third counter word: the point inside the stratum */

struct _PsimLhs {
  PsimParams base;      /* the file's values */
  uint32_t n;           /* N */
  uint32_t key[2];      /* the seed's two halves */
  gsize n_params;
  uint32_t **strata;    /* [param] -> N strata (NULL when the parameter is certain) */
  double *min;
  double *max;
};

gboolean
psim_param_is_uncertain (const PsimParamEntry *entry)
{
  g_return_val_if_fail (entry != NULL, FALSE);
  return entry->min < entry->max;
}

/* A uniform integer in [0, bound) from Philox: Lemire's multiply-and-reject,
 * taking words from the blocks (i, param, 2 * attempt, domain). */
static uint32_t
uniform_below (const PsimLhs *lhs, uint32_t i, uint32_t param, uint32_t bound)
{
  uint32_t threshold = (uint32_t) (-bound) % bound; /* 2^32 mod bound */
  for (uint32_t attempt = 0;; attempt++)
    {
      uint32_t ctr[4] = { i, param, LHS_PERMUTATION + 2 * attempt, LHS_DOMAIN };
      uint32_t words[4];
      psim_philox4x32_10 (ctr, lhs->key, words);
      for (int w = 0; w < 4; w++)
        {
          uint64_t m = (uint64_t) words[w] * (uint64_t) bound;
          if ((uint32_t) m >= threshold)
            return (uint32_t) (m >> 32);
        }
    }
}

PsimLhs *
psim_lhs_new (const PsimParamSet *set, uint64_t seed, uint32_t n_replications)
{
  g_return_val_if_fail (set != NULL && set->entries != NULL && n_replications >= 1, NULL);
  PsimLhs *lhs = g_new0 (PsimLhs, 1);
  lhs->base = set->values;
  lhs->n = n_replications;
  lhs->key[0] = (uint32_t) seed;
  lhs->key[1] = (uint32_t) (seed >> 32);
  lhs->n_params = psim_param_count ();
  lhs->strata = g_new0 (uint32_t *, lhs->n_params);
  lhs->min = g_new0 (double, lhs->n_params);
  lhs->max = g_new0 (double, lhs->n_params);
  for (gsize p = 0; p < lhs->n_params; p++)
    {
      const PsimParamEntry *e = &set->entries[p];
      lhs->min[p] = e->min;
      lhs->max[p] = e->max;
      if (!psim_param_is_uncertain (e))
        continue;
      uint32_t *perm = g_new (uint32_t, lhs->n);
      for (uint32_t i = 0; i < lhs->n; i++)
        perm[i] = i;
      for (uint32_t i = lhs->n - 1; i > 0; i--)
        {
          uint32_t j = uniform_below (lhs, i, (uint32_t) p, i + 1);
          uint32_t t = perm[i];
          perm[i] = perm[j];
          perm[j] = t;
        }
      lhs->strata[p] = perm;
    }
  return lhs;
}

void
psim_lhs_free (PsimLhs *lhs)
{
  if (lhs == NULL)
    return;
  for (gsize p = 0; p < lhs->n_params; p++)
    g_free (lhs->strata[p]);
  g_free (lhs->strata);
  g_free (lhs->min);
  g_free (lhs->max);
  g_free (lhs);
}

uint32_t
psim_lhs_stratum (const PsimLhs *lhs, gsize param, uint32_t replication)
{
  g_return_val_if_fail (lhs != NULL && param < lhs->n_params && replication < lhs->n, 0);
  return lhs->strata[param] != NULL ? lhs->strata[param][replication] : 0;
}

void
psim_lhs_sample (const PsimLhs *lhs, uint32_t replication, PsimParams *out)
{
  g_return_if_fail (lhs != NULL && out != NULL && replication < lhs->n);
  *out = lhs->base;
  for (gsize p = 0; p < lhs->n_params; p++)
    {
      if (lhs->strata[p] == NULL)
        continue;
      uint32_t ctr[4] = { replication, (uint32_t) p, LHS_POINT, LHS_DOMAIN };
      uint32_t words[4];
      psim_philox4x32_10 (ctr, lhs->key, words);
      double u = psim_rng_u01_53 (words[0], words[1]);
      double width = (lhs->max[p] - lhs->min[p]) / (double) lhs->n;
      double v = lhs->min[p] + ((double) lhs->strata[p][replication] + u) * width;
      psim_params_set (out, p, CLAMP (v, lhs->min[p], lhs->max[p]));
    }
}
