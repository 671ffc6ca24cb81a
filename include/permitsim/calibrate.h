/* permitsim: fitting behavioural parameters to the calibration targets.
 *
 * The method (docs/validation.md): Nelder-Mead simplex search on the
 * ensemble-mean loss
 *
 *     loss = sum over targets t of ((model mean_t - published_t) / tolerance_t)^2
 *
 * over the targets whose fitted_by is "calibrate", each of which names the
 * one parameter it identifies. Rates and hazards are searched on a log scale,
 * log-odds on their own; every value stays inside its [min, max] from the
 * parameter file. Every evaluation runs the same replications of the same
 * seed (common random numbers), so the loss is a deterministic function of
 * the parameters and the search is reproducible: the same inputs, seed,
 * replications and budget give the same fitted values, whatever the threads.
 * After the search, each parameter's range within tolerance is estimated
 * from one finite-difference step: the values for which the model's
 * targets of that parameter would stay within their tolerances, others held
 * at their fitted values (a local, one-at-a-time range, not a posterior).
 */
#ifndef PERMITSIM_CALIBRATE_H
#define PERMITSIM_CALIBRATE_H

#include <stdint.h>

#include <glib.h>

#include "permitsim/model.h"
#include "permitsim/params.h"
#include "permitsim/replay.h"

G_BEGIN_DECLS

/* Called after every evaluation of the loss (for a progress line). */
typedef void (*PsimCalibrateProgress) (guint evaluation, guint budget, double loss,
                                       double best, gpointer user_data);

typedef struct {
  const PsimRegion *region;
  const PsimParamSet *params;     /* starting values (its `values`), ranges (its entries) */
  const PsimTargetSet *targets;   /* bound to region; rows fitted_by calibrate are fitted */
  int first_year;                 /* the (shortened) run: burn-in, then first..last */
  int last_year;
  uint64_t seed;
  uint32_t n_replications;
  int n_threads;                  /* <= 0: one per processor */
  guint budget;                   /* at most this many loss evaluations in the search */
  double start_step;              /* initial simplex step on the search scale */
  double x_tolerance;             /* stop when the simplex is this small (search scale) ... */
  double f_tolerance;             /* ... and its losses differ by less than this */
  PsimCalibrateProgress progress; /* may be NULL */
  gpointer progress_data;
} PsimCalibrateSpec;

/* Defaults: 2 replications, budget 150, step 0.2, tolerances 1e-3 and 1e-3, seed 1. */
void psim_calibrate_spec_init (PsimCalibrateSpec *spec);

typedef struct {
  guint n_params;
  gsize *param;            /* index in the parameter table */
  double *start;           /* starting value (spec.params->values) */
  double *fitted;
  double *range_low;       /* within tolerance (see above); NAN when not estimated */
  double *range_high;
  char **targets_of;       /* per parameter: its target names, ", "-joined */

  guint n_targets;
  guint *target;           /* index in the target set */
  double *start_value;     /* model mean at the start */
  double *fitted_value;    /* model mean at the fitted values */

  double start_loss;
  double loss;
  guint evaluations;       /* of the search, without the range steps */
  gboolean converged;      /* stopped by the tolerances rather than the budget */
  double seconds;
} PsimCalibration;

void psim_calibration_free (PsimCalibration *calibration);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimCalibration, psim_calibration_free)

/* Checks the spec (targets to fit, their years inside the run, parameters
 * that can move) and runs the search. */
PsimCalibration *psim_calibrate_run (const PsimCalibrateSpec *spec, GError **error);

/* The parameters, as the parameter file holds them, with the fitted values
 * put in (for a check run). */
void psim_calibration_apply (const PsimCalibration *calibration, PsimParams *params);

/* The provenance written into the `calibrated` attribute of parameter i of
 * the calibration: targets, method, settings, date, range. Free with g_free. */
char *psim_calibration_provenance (const PsimCalibration *calibration, const PsimCalibrateSpec *spec,
                                   guint i, const char *date);

/* Writes the fitted values into the parameter file at `path`, by a text
 * edit that changes only the value and calibrated attributes of the fitted
 * parameters and leaves every other byte (comments, layout, other
 * attributes) as it was; the file is replaced atomically, and read back
 * (loaded and checked) before it replaces the old one. */
gboolean psim_calibration_write (const PsimCalibration *calibration, const PsimCalibrateSpec *spec,
                                 const char *path, const char *date, GError **error);

/* The value as the parameter file writes it: decimal notation (xs:decimal
 * has no exponent), at least 4 significant digits, no trailing zeros. */
char *psim_calibration_format_value (double value);

G_END_DECLS

#endif /* PERMITSIM_CALIBRATE_H */
