/* permitsim: summarising an ensemble -- summary.csv.
 *
 * Collects, for every (scenario, year, municipality) row of annual.csv, each
 * replication's value of every outcome column, exactly as annual.csv holds it
 * (counts as integers, shares to 6 decimals, euros to 2), and writes
 * summary.csv in long format: scenario, year, municipality, metric, mean,
 * median, p05, p95. Because the values are the written ones, summarising a
 * run as it goes and summarising its annual.csv afterwards (or the merged
 * annual.csv of several slices) give the same bytes.
 */
#ifndef PERMITSIM_SUMMARY_H
#define PERMITSIM_SUMMARY_H

#include <glib.h>

#include "permitsim/engine.h"
#include "permitsim/model.h"
#include "permitsim/results.h"

G_BEGIN_DECLS

/* The p-quantile (0 <= p <= 1) of n sorted values by linear interpolation
 * between order statistics: R's and NumPy's default (Hyndman and Fan type 7).
 * NAN when n is 0. */
double psim_quantile_type7 (const double *sorted, gsize n, double p);

/* Writes the mean (sum / n: the caller adds in a fixed order, so the bytes
 * never depend on how a run was split), median, 5th and 95th percentile of
 * the n values as four CSV fields, with the precision summary.csv uses for a
 * column of that kind; empty fields when n is 0. Sorts `values` in place.
 * Shared by summary.csv and compare's differences.csv. */
struct _PsimCsv;
void psim_summary_write_stats (struct _PsimCsv *csv, double *values, gsize n, double sum,
                               PsimColumnKind kind);

typedef struct _PsimSummary PsimSummary;

PsimSummary *psim_summary_new (void);
void psim_summary_free (PsimSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimSummary, psim_summary_free)

/* One row of annual.csv: its key and the psim_column_count() outcome values
 * in column order (NAN where annual.csv has an empty field). */
void psim_summary_add (PsimSummary *summary, const char *scenario, int year,
                       const char *municipality, const double *values);
/* Every annual.csv row of one replication (municipalities in region order,
 * then the whole region as PSIM_OUTPUT_REGION_ROW), values rounded as written. */
void psim_summary_add_run (PsimSummary *summary, const char *scenario, const PsimRegion *region,
                           const PsimRunResult *result);
/* Every row of an annual.csv file (its header must hold the outcome columns
 * of this version). PSIM_ERROR_INVALID_INPUT on a malformed file. */
gboolean psim_summary_add_annual_csv (PsimSummary *summary, const char *path, GError **error);

/* Rows added so far. */
guint64 psim_summary_rows (const PsimSummary *summary);

/* Writes summary.csv: for each scenario (in order of first appearance), year
 * (ascending) and municipality (in order of first appearance), one row per
 * outcome column in column order. Mean and quantiles are over the
 * replications where the value is defined; all four are empty where it never
 * is. Counts are written with 3 decimals, shares with 6, euros with 2. */
gboolean psim_summary_write (const PsimSummary *summary, const char *path, GError **error);

/* summary.csv of the annual.csv files (NULL-terminated, read in order: the
 * slices of a merge in replication order, or one run's file) with at most
 * `budget` bytes of values in memory (0: no bound), whatever the number of
 * replications: past the budget the files are read again, once per group of
 * summary.csv's rows whose values fit. The same bytes as psim_summary_write
 * of the same rows. PSIM_ERROR_INVALID_INPUT names a file and line. `stats`
 * (or NULL) gets how many times the files were read and the most bytes of
 * values held at once: at most the budget and a row, or the largest row of
 * summary.csv's cells when one alone is larger. */
typedef struct {
  /* in: called before each reading past the first and once after the
   * last (done = total), when the bound makes more than one; or NULL */
  void (*on_reading) (guint done, guint total, gpointer data);
  gpointer data;
  /* out */
  guint passes;
  guint64 peak_bytes;
} PsimSummaryStats;
gboolean psim_summary_write_annual (const char *const *annual, const char *path, guint64 budget,
                                    PsimSummaryStats *stats, GError **error);
/* The budget permitsim's commands give it: PERMITSIM_SUMMARY_MEMORY (bytes)
 * where set, else PSIM_SUMMARY_MEMORY. */
#define PSIM_SUMMARY_MEMORY (G_GUINT64_CONSTANT (256) << 20)
guint64 psim_summary_memory (void);

G_END_DECLS

#endif /* PERMITSIM_SUMMARY_H */
