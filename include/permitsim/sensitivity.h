/* permitsim: which parameters move the outcomes -- sensitivity analysis.
 *
 * Two designs over the parameters' [min, max] ranges from the parameter file,
 * each range scaled to [0, 1]:
 *
 * - Morris elementary effects (Morris 1991; Campolongo, Cariboni & Saltelli
 *   2007): r trajectories on a grid of p levels, each moving every factor
 *   once by delta = p / (2 (p - 1)) in a random order and direction. An
 *   elementary effect is the change of an outcome per unit of scaled range;
 *   mu* is the mean of their absolute values (the importance), mu their
 *   mean (the direction), sigma their standard deviation (interaction or
 *   non-linearity). Cost r (k + 1) runs for k factors.
 * - One at a time: every factor at its min and at its max, the others at the
 *   file's values; the effect is outcome(max) - outcome(min) (reported as mu,
 *   |mu| as mu*, no sigma). Cost 2k + 1 runs.
 *
 * A run the engine refuses (parameters at the corners of their ranges can
 * ask for more than it can simulate) leaves its outcomes undefined; the
 * effects through it are skipped and the runs counted.
 *
 * The design is drawn from Philox keyed by the seed, and every run uses
 * replications 0..n-1 of that seed (common random numbers): the same spec
 * gives the same table whatever the threads.
 */
#ifndef PERMITSIM_SENSITIVITY_H
#define PERMITSIM_SENSITIVITY_H

#include <stdint.h>

#include <glib.h>

#include "permitsim/model.h"
#include "permitsim/params.h"
#include "permitsim/replay.h"

G_BEGIN_DECLS

typedef enum {
  PSIM_SENSITIVITY_MORRIS,
  PSIM_SENSITIVITY_OAT
} PsimSensitivityMethod;

const char *psim_sensitivity_method_name (PsimSensitivityMethod method); /* "morris", "oat" */

/* Called after each batch of runs (a trajectory, or the one-at-a-time design). */
typedef void (*PsimSensitivityProgress) (guint done, guint total, gpointer user_data);

typedef struct {
  const PsimRegion *region;
  const PsimParamSet *params;
  PsimMeasure *const *outcomes;       /* bound to region */
  const char *const *outcome_names;
  guint n_outcomes;
  const gsize *factors;               /* parameters varied (each with min < max) */
  guint n_factors;
  PsimSensitivityMethod method;
  guint trajectories;                 /* Morris r */
  guint levels;                       /* Morris p, even, >= 2 */
  int first_year;
  int last_year;
  uint64_t seed;
  uint32_t n_replications;
  int n_threads;
  PsimSensitivityProgress progress;   /* may be NULL */
  gpointer progress_data;
} PsimSensitivitySpec;

typedef struct {
  guint n_factors;
  guint n_outcomes;
  double *mu_star;   /* [factor * n_outcomes + outcome] */
  double *mu;
  double *sigma;     /* NAN for one at a time */
  double *baseline;  /* [outcome]: at the file's values (one at a time), or the mean over every run (Morris) */
  guint runs;        /* parameter vectors run (each with n replications) */
  guint failed;      /* runs the engine refused (e.g. more entrants than it can number):
                        their outcomes are undefined and the effects through them skipped */
  double seconds;
} PsimSensitivity;

void psim_sensitivity_free (PsimSensitivity *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimSensitivity, psim_sensitivity_free)

/* The parameters a default analysis varies: every one with min < max except
 * the run settings (run.*); with `prefixes` (NULL-terminated, may be NULL)
 * only those whose name starts with one of them. Free with g_free. */
gsize *psim_sensitivity_default_factors (const PsimParamSet *params, const char *const *prefixes,
                                         guint *n_factors);

PsimSensitivity *psim_sensitivity_run (const PsimSensitivitySpec *spec, GError **error);

/* sensitivity.csv: method, parameter, outcome, mu_star, mu, sigma, rank (of
 * mu_star among the parameters, per outcome, 1 the largest). */
gboolean psim_sensitivity_write_csv (const PsimSensitivity *result, const PsimSensitivitySpec *spec,
                                     const char *path, GError **error);

/* The rank of factor f for outcome o (1 = largest mu*). */
guint psim_sensitivity_rank (const PsimSensitivity *result, guint factor, guint outcome);

G_END_DECLS

#endif /* PERMITSIM_SENSITIVITY_H */
