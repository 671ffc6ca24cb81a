/* permitsim: comparing alternatives with a baseline -- paired differences.
 *
 * `permitsim compare` runs the baseline and each alternative with the same
 * seed and replication numbers, so replication r of every alternative draws
 * the same random numbers as replication r of the baseline (common random
 * numbers) and d_r = outcome(alternative, r) - outcome(baseline, r) shows the
 * policy rather than chance. This module computes those differences from
 * annual.csv as written (differences.csv) and records the comparison in
 * manifest.json. The simulation itself is the ensemble runner's
 * (ensemble.h); the charts and the harm check are the chart library's.
 */
#ifndef PERMITSIM_COMPARE_H
#define PERMITSIM_COMPARE_H

#include <glib.h>

#include "permitsim/model.h"

G_BEGIN_DECLS

/* The scenario column of the baseline in a comparison. */
#define PSIM_COMPARE_BASELINE "baseline"

/* One alternative: the scenarios applied together (usually one), named in
 * annual.csv by their names joined with '+' (psim_scenario_label). */
typedef struct {
  char *name;
  PsimScenario *const *scenarios;
  int n_scenarios;
} PsimCompareAlternative;

/* Reads annual.csv (the header of this version: scenario, replication,
 * year, municipality, then the outcome columns of results.h) and writes
 * differences.csv: for every scenario other than `baseline`, in order of
 * first appearance, every year (ascending), municipality (in order of first
 * appearance, ALL included) and outcome column (in column order), one row
 *
 *   scenario,year,municipality,metric,diff_mean,diff_median,diff_p05,diff_p95
 *
 * over the replications that both the scenario and the baseline have, with a
 * value in both, paired by replication number: the mean, median and type-7
 * 5th/95th percentiles (psim_quantile_type7) of the differences. Counts are
 * written with 3 decimals, shares with 6 (a difference of shares, not
 * percentage points), euros with 2; the four fields are empty where no
 * replication pairs. A scenario identical to the baseline gives 0 everywhere.
 * A malformed annual.csv, or one without the baseline, is
 * PSIM_ERROR_INVALID_INPUT ("path:line: error: ..."). */
gboolean psim_compare_differences_write (const char *annual_csv, const char *baseline,
                                         const char *path, GError **error);
/* The same with at most `budget` bytes of annual.csv's rows in memory (0: no
 * bound; the function above gives psim_summary_memory()): past it the file
 * is read again for each group of differences.csv's rows that fits, with the
 * same bytes. `readings` (or NULL) gets how many times it was read. */
gboolean psim_compare_differences_write_within (const char *annual_csv, const char *baseline,
                                                const char *path, guint64 budget, guint *readings,
                                                GError **error);

/* Turns the manifest.json of a run of several alternatives into the
 * manifest of a comparison, in place: "baseline" names the baseline's
 * scenario column; "scenarios" lists the alternatives (name, title,
 * description and each scenario file with its SHA-256; the titles of
 * scenarios applied together joined with " + "); "comparison" says how the
 * runs pair; the run's single "scenario" label is removed; and "outputs" is
 * listed anew from the regular files in output_dir (manifest.json aside),
 * those in a subdirectory by their relative path ("charts/violence.svg"),
 * each with its SHA-256. Every other member is kept as it was. */
gboolean psim_compare_manifest_update (const char *manifest_path,
                                       const PsimCompareAlternative *alternatives,
                                       int n_alternatives, const char *output_dir,
                                       GError **error);

G_END_DECLS

#endif /* PERMITSIM_COMPARE_H */
