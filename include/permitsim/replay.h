/* permitsim: comparing runs with the published record.
 *
 * A target is one published figure the model is set beside: its role
 * (calibration -- a parameter or an input was fitted to it -- or validation
 * -- nothing was), the measure that computes the model's counterpart from a
 * run's tallies, a rule (within a tolerance, or above / below a threshold),
 * the published value and tolerance, and its source. The bundled table is
 * municipalities/targets.csv; docs/validation.md explains every row. This
 * module reads the table, evaluates measures on finished replications,
 * summarises them into targets.csv, and evaluates measures for many
 * parameter vectors at once (for calibrate.h and sensitivity.h).
 */
#ifndef PERMITSIM_REPLAY_H
#define PERMITSIM_REPLAY_H

#include <stdint.h>

#include <glib.h>

#include "permitsim/engine.h"
#include "permitsim/model.h"
#include "permitsim/params.h"

G_BEGIN_DECLS

/* ---------- measures ----------
 *
 *   measure := term [" - " term | " / " term]
 *   term    := sum ["/" sum] ["@" scope] ":" YEAR ["-" YEAR]
 *   sum     := field ("+" field)*
 *   scope   := "ALL" | MUNICIPALITY | "-" MUNICIPALITY | GROUPTYPE "=" GROUP ("+" GROUP)*
 *
 * A field is an outcome column of annual.csv (results.h) or ever_exploited.
 * A term is computed on the tally of its scope -- the region (ALL, the
 * default), one municipality, every municipality but one, or the sum of some
 * groups of groups.csv -- for each of its years, as the sum of its fields
 * (divided by the sum of its denominator's), then averaged over the years.
 * Two terms combine by difference or ratio. Examples:
 *   physical_12m@ALL:2017-2018
 *   street_zone+street/workers:2000
 *   moved_out@Utrecht:2013 / moved_out@Utrecht:2010-2012
 *   ever_exploited/workers@origin=eu+non-eu-permit+undocumented:2012 */
typedef struct _PsimMeasure PsimMeasure;

/* Parses a measure (PSIM_ERROR_INVALID_INPUT with the reason on failure). */
PsimMeasure *psim_measure_parse (const char *text, GError **error);
void psim_measure_free (PsimMeasure *measure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimMeasure, psim_measure_free)
const char *psim_measure_text (const PsimMeasure *measure);
/* The first and last year any of its terms reads. */
void psim_measure_years (const PsimMeasure *measure, int *first, int *last);
/* Resolves the municipalities it names against `region` (every other
 * scope needs none). FALSE when one is not there. */
gboolean psim_measure_bind (PsimMeasure *measure, const PsimRegion *region, GError **error);
/* The measure on one replication (bound to the region the run simulated).
 * NAN when a year lies outside the run or a denominator is zero. */
double psim_measure_eval (const PsimMeasure *measure, const PsimRunResult *result);

/* ---------- the targets table ---------- */

typedef enum {
  PSIM_TARGET_CALIBRATION,
  PSIM_TARGET_VALIDATION
} PsimTargetRole;

typedef enum {
  PSIM_TARGET_WITHIN, /* passes when |median - published| <= tolerance */
  PSIM_TARGET_ABOVE,  /* passes when p05 > published + tolerance */
  PSIM_TARGET_BELOW   /* passes when p95 < published - tolerance */
} PsimTargetRule;

/* Who fitted what to a calibration target. */
typedef enum {
  PSIM_FIT_NONE,      /* validation: nothing */
  PSIM_FIT_CALIBRATE, /* `permitsim calibrate` fits `parameter` to it */
  PSIM_FIT_HAND,      /* the parameters named were set by hand toward it */
  PSIM_FIT_DATA       /* an input of the bundled data was set from it */
} PsimTargetFit;

typedef struct {
  char *name;
  PsimTargetRole role;
  PsimTargetFit fitted_by;
  char **parameters;   /* NULL-terminated; for CALIBRATE exactly one */
  PsimMeasure *measure;
  PsimTargetRule rule;
  double published;
  double tolerance;
  char *source;
  char *justification;
  int line;            /* in the file, 0 when added in code */
} PsimTarget;

typedef struct {
  GPtrArray *targets;  /* PsimTarget*, in file order */
  char *path;
} PsimTargetSet;

/* The column names of the targets table, in order. */
extern const char *const psim_target_columns[]; /* NULL-terminated */

PsimTargetSet *psim_target_set_new (void);
void psim_target_set_free (PsimTargetSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimTargetSet, psim_target_set_free)
/* Reads a targets table and checks every row: all columns present, a known
 * role and rule, fitted_by and parameter consistent with the role, known
 * parameter names, a measure that parses, finite numbers, a tolerance >= 0,
 * a source and a justification, no name twice and no measure in both roles.
 * Every problem is reported ("path:line: error: ..."), as
 * PSIM_ERROR_INVALID_INPUT. */
PsimTargetSet *psim_target_set_load (const char *path, GError **error);
/* Adds a row given as its column texts (in psim_target_columns order), with
 * the same checks; `line` is for messages. */
gboolean psim_target_set_add (PsimTargetSet *set, const char *const *fields, int line,
                              GError **error);
guint psim_target_set_size (const PsimTargetSet *set);
const PsimTarget *psim_target_set_get (const PsimTargetSet *set, guint index);
/* Binds every measure to the region. */
gboolean psim_target_set_bind (PsimTargetSet *set, const PsimRegion *region, GError **error);

const char *psim_target_role_name (PsimTargetRole role);  /* "calibration", "validation" */
const char *psim_target_fit_name (PsimTargetFit fit);     /* "", "calibrate", "hand", "data" */

/* ---------- comparing an ensemble with the targets ---------- */

typedef enum {
  PSIM_VERDICT_PASS,
  PSIM_VERDICT_FAIL,
  PSIM_VERDICT_UNDEFINED /* the model's value is undefined in every replication */
} PsimVerdict;

typedef struct {
  double median, p05, p95, mean; /* over the replications where it is defined */
  guint defined;                 /* replications where it is defined */
  PsimVerdict verdict;
} PsimTargetResult;

typedef struct _PsimComparison PsimComparison;

PsimComparison *psim_comparison_new (const PsimTargetSet *set);
void psim_comparison_free (PsimComparison *comparison);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimComparison, psim_comparison_free)
/* Evaluates every target's measure on one replication (the set is bound). */
void psim_comparison_add_run (PsimComparison *comparison, const PsimRunResult *result);
guint psim_comparison_runs (const PsimComparison *comparison);
/* One target's summary over the replications added so far. */
void psim_comparison_result (const PsimComparison *comparison, guint target, PsimTargetResult *out);
/* The published figure as targets.csv shows it: the number for a WITHIN
 * target, ">1" or "<0" for a threshold; free with g_free. */
char *psim_target_published_text (const PsimTarget *target);
/* Writes targets.csv: target, role, source, published, model_median,
 * model_p05, model_p95, tolerance, pass (true, false, or empty where the
 * model's value is undefined). */
gboolean psim_comparison_write_csv (const PsimComparison *comparison, const char *path,
                                    GError **error);

/* ---------- many parameter vectors at once ---------- */

typedef struct {
  const PsimRegion *region;
  int first_year;
  int last_year;
  uint64_t seed;
  uint32_t n_replications; /* replications 0..n-1 of every point: common random numbers */
  int n_threads;           /* <= 0: one per processor */
} PsimBatchSpec;

/* Runs every point with every replication on a pool of threads and
 * evaluates the bound measures: means[p * n_measures + k] is measure k at
 * point p, the mean over the replications (NAN where it is undefined in any).
 * The same spec and points give the same numbers whatever the threads. A
 * run that fails (parameters beyond what the engine can simulate) fails the
 * batch; or, when n_failed is given, leaves its point's means NAN and is
 * counted there. */
gboolean psim_batch_evaluate (const PsimBatchSpec *spec, const PsimParams *points, guint n_points,
                              PsimMeasure *const *measures, guint n_measures, double *means,
                              guint *n_failed, GError **error);

G_END_DECLS

#endif /* PERMITSIM_REPLAY_H */
