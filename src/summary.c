/* permitsim: summary.csv -- mean, median and 5th/95th percentiles per metric.
 *
 * Keeps every replication's annual values per (scenario, year, municipality)
 * -- what annual.csv holds anyway, never weekly states -- and at the end
 * sorts each metric's values once to take type-7 quantiles. Values enter
 * either from a replication's tallies, rounded exactly as the annual.csv
 * writer rounds them (src/output_table.c), or from an annual.csv file, so
 * both routes give the same summary.
 *
 * From annual.csv files the memory is bounded whatever the number of
 * replications (psim_summary_write_annual): values are kept while they fit a
 * budget; past it the files are read again, once for each group of rows of
 * summary.csv whose values fit, and the groups written in turn.
 */
#include "permitsim/summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "permitsim/error.h"
#include "permitsim/output.h"
#include "permitsim/results.h"

double
psim_quantile_type7 (const double *sorted, gsize n, double p)
{
  if (n == 0 || sorted == NULL)
    return NAN;
  p = CLAMP (p, 0.0, 1.0);
  double h = (double) (n - 1) * p;
  gsize lo = (gsize) floor (h);
  if (lo >= n - 1)
    return sorted[n - 1];
  double frac = h - (double) lo;
  return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

typedef struct {
  guint scenario;      /* index in summary->scenarios */
  int year;
  guint municipality;  /* index in summary->municipalities */
  GArray *values;      /* double: psim_column_count() per replication, in the order added */
  guint64 rows;        /* rows added (kept or not) */
  guint group;         /* psim_summary_write_annual's pass that keeps its values */
} Cell;

/* Which rows' values are kept. */
enum { KEEP_ALL = -1, KEEP_NONE = -2 };

struct _PsimSummary {
  GPtrArray *scenarios;       /* char*, in order of first appearance */
  GPtrArray *municipalities;  /* char*, in order of first appearance */
  GHashTable *scenario_index; /* name -> index + 1 */
  GHashTable *muni_index;     /* name -> index + 1 */
  GPtrArray *cells;           /* Cell*, in order of first appearance */
  GHashTable *cell_index;     /* "s\x1fyear\x1fm" -> index + 1 */
  guint64 rows;
  int keep;                   /* KEEP_ALL, KEEP_NONE or a group: the cells whose values are kept */
  gboolean counting;          /* rows counted per cell (not when a file is read again) */
  guint64 budget;             /* bytes of values kept at most, 0 for no bound */
  guint64 kept_bytes;
  guint64 peak_bytes;         /* the most kept_bytes has been */
  gboolean over;              /* the budget was passed: the values were dropped */
};

static void
cell_free (gpointer data)
{
  Cell *cell = data;
  g_array_unref (cell->values);
  g_free (cell);
}

PsimSummary *
psim_summary_new (void)
{
  PsimSummary *s = g_new0 (PsimSummary, 1);
  s->scenarios = g_ptr_array_new_with_free_func (g_free);
  s->municipalities = g_ptr_array_new_with_free_func (g_free);
  s->scenario_index = g_hash_table_new (g_str_hash, g_str_equal);
  s->muni_index = g_hash_table_new (g_str_hash, g_str_equal);
  s->cells = g_ptr_array_new_with_free_func (cell_free);
  s->cell_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->keep = KEEP_ALL;
  s->counting = TRUE;
  return s;
}

void
psim_summary_free (PsimSummary *s)
{
  if (s == NULL)
    return;
  g_hash_table_unref (s->cell_index);
  g_ptr_array_unref (s->cells);
  g_hash_table_unref (s->muni_index);
  g_hash_table_unref (s->scenario_index);
  g_ptr_array_unref (s->municipalities);
  g_ptr_array_unref (s->scenarios);
  g_free (s);
}

guint64
psim_summary_rows (const PsimSummary *s)
{
  g_return_val_if_fail (s != NULL, 0);
  return s->rows;
}

/* The index of a name, added at the end when new. */
static guint
intern (GPtrArray *names, GHashTable *index, const char *name)
{
  gpointer found = g_hash_table_lookup (index, name);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  char *copy = g_strdup (name);
  g_ptr_array_add (names, copy);
  g_hash_table_insert (index, copy, GUINT_TO_POINTER (names->len));
  return names->len - 1;
}

void
psim_summary_add (PsimSummary *s, const char *scenario, int year, const char *municipality,
                  const double *values)
{
  g_return_if_fail (s != NULL && scenario != NULL && municipality != NULL && values != NULL);
  guint si = intern (s->scenarios, s->scenario_index, scenario);
  guint mi = intern (s->municipalities, s->muni_index, municipality);
  char key[64];
  g_snprintf (key, sizeof key, "%u\x1f%d\x1f%u", si, year, mi);
  gpointer found = g_hash_table_lookup (s->cell_index, key);
  Cell *cell;
  if (found != NULL)
    cell = g_ptr_array_index (s->cells, GPOINTER_TO_UINT (found) - 1);
  else
    {
      cell = g_new0 (Cell, 1);
      cell->scenario = si;
      cell->year = year;
      cell->municipality = mi;
      cell->values = g_array_new (FALSE, FALSE, sizeof (double));
      g_ptr_array_add (s->cells, cell);
      g_hash_table_insert (s->cell_index, g_strdup (key), GUINT_TO_POINTER (s->cells->len));
    }
  if (s->counting)
    {
      cell->rows++;
      s->rows++;
    }
  if (s->keep == KEEP_ALL || (s->keep >= 0 && cell->group == (guint) s->keep))
    {
      g_array_append_vals (cell->values, values, (guint) psim_column_count ());
      s->kept_bytes += psim_column_count () * sizeof (double);
      s->peak_bytes = MAX (s->peak_bytes, s->kept_bytes);
    }
  if (s->budget > 0 && s->keep == KEEP_ALL && s->kept_bytes > s->budget)
    {
      /* past the budget: no values now, the files are read again by groups */
      for (guint i = 0; i < s->cells->len; i++)
        {
          Cell *c = g_ptr_array_index (s->cells, i);
          g_array_unref (c->values); /* its memory given back, not only emptied */
          c->values = g_array_new (FALSE, FALSE, sizeof (double));
        }
      s->kept_bytes = 0;
      s->keep = KEEP_NONE;
      s->over = TRUE;
    }
}

/* A value as annual.csv holds it: counts rounded to integers, shares to 6
 * decimals, euros to 2 (the rules of psim_table_write_row()). */
static double
as_written (const PsimColumn *col, double v)
{
  if (!isfinite (v))
    return NAN;
  const char *format;
  switch (col->kind)
    {
    case PSIM_COLUMN_COUNT:
      return (double) llround (v);
    case PSIM_COLUMN_SHARE:
      format = "%.6f";
      break;
    case PSIM_COLUMN_EUROS:
    default:
      format = "%.2f";
      break;
    }
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 320];
  g_ascii_formatd (buf, sizeof buf, format, v);
  double w = g_ascii_strtod (buf, NULL);
  return w == 0.0 ? 0.0 : w; /* the writer prints -0.000000 as 0.000000 */
}

static void
add_tally (PsimSummary *s, const char *scenario, int year, const char *municipality,
           const PsimTally *tally, double *values)
{
  for (gsize c = 0; c < psim_column_count (); c++)
    {
      const PsimColumn *col = psim_column (c);
      values[c] = as_written (col, col->value (tally));
    }
  psim_summary_add (s, scenario, year, municipality, values);
}

void
psim_summary_add_run (PsimSummary *s, const char *scenario, const PsimRegion *region,
                      const PsimRunResult *result)
{
  g_return_if_fail (s != NULL && region != NULL && result != NULL);
  g_return_if_fail (result->n_municipalities == region->n_municipalities);
  double *values = g_new (double, psim_column_count ());
  int n = result->n_municipalities;
  for (int y = 0; y < result->n_years; y++)
    {
      const PsimTally *row = &result->annual[(gsize) y * (gsize) n];
      PsimTally all = { 0 };
      for (int m = 0; m < n; m++)
        {
          add_tally (s, scenario, result->first_year + y, region->municipalities[m].name, &row[m],
                     values);
          psim_tally_add (&all, &row[m]); /* summed in region order, as the writer does */
        }
      add_tally (s, scenario, result->first_year + y, PSIM_OUTPUT_REGION_ROW, &all, values);
    }
  g_free (values);
}

/* ---------- reading annual.csv ---------- */

static const char *const annual_keys[] = { "scenario", "replication", "year", "municipality" };

static gboolean
parse_number (const char *text, double *out)
{
  if (*text == '\0')
    {
      *out = NAN;
      return TRUE;
    }
  char *end = NULL;
  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

gboolean
psim_summary_add_annual_csv (PsimSummary *s, const char *path, GError **error)
{
  g_return_val_if_fail (s != NULL && path != NULL, FALSE);
  g_autoptr (PsimCsvReader) reader = psim_csv_reader_open (path, error);
  if (reader == NULL)
    return FALSE;
  GError *local = NULL;
  gsize n_keys = G_N_ELEMENTS (annual_keys);
  gsize n_cols = psim_column_count ();
  if (!psim_csv_reader_next (reader, &local))
    {
      if (local != NULL)
        g_propagate_error (error, local);
      else
        g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s: error: empty file", path);
      return FALSE;
    }
  gboolean header_ok = psim_csv_reader_n_fields (reader) == n_keys + n_cols;
  for (gsize i = 0; header_ok && i < n_keys + n_cols; i++)
    header_ok = strcmp (psim_csv_reader_field (reader, (guint) i),
                        i < n_keys ? annual_keys[i] : psim_column (i - n_keys)->name) == 0;
  if (!header_ok)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                   "%s:1: error: not the header of an annual.csv of this version of permitsim", path);
      return FALSE;
    }

  double *values = g_new (double, n_cols);
  gboolean ok = TRUE;
  while (ok && psim_csv_reader_next (reader, &local))
    {
      int line = psim_csv_reader_line (reader);
      if (psim_csv_reader_n_fields (reader) != n_keys + n_cols)
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                       "%s:%d: error: %u fields, expected %" G_GSIZE_FORMAT, path, line,
                       psim_csv_reader_n_fields (reader), n_keys + n_cols);
          ok = FALSE;
          break;
        }
      char *end = NULL;
      const char *year_text = psim_csv_reader_field (reader, 2);
      gint64 year = g_ascii_strtoll (year_text, &end, 10);
      if (end == year_text || *end != '\0' || year < 1 || year > 9999)
        {
          g_autofree char *shown = psim_diagnostic_shown (year_text);
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s:%d: error: bad year '%s'",
                       path, line, shown);
          ok = FALSE;
          break;
        }
      for (gsize c = 0; c < n_cols; c++)
        {
          const char *text = psim_csv_reader_field (reader, (guint) (n_keys + c));
          if (!parse_number (text, &values[c]))
            {
              g_autofree char *shown = psim_diagnostic_shown (text);
              g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                           "%s:%d: error: column %s: not a number: '%s'", path, line,
                           psim_column (c)->name, shown);
              ok = FALSE;
              break;
            }
        }
      if (ok)
        psim_summary_add (s, psim_csv_reader_field (reader, 0), (int) year,
                          psim_csv_reader_field (reader, 3), values);
    }
  g_free (values);
  if (ok && local != NULL)
    {
      g_propagate_error (error, local);
      ok = FALSE;
    }
  g_clear_error (&local);
  return ok;
}

/* ---------- writing summary.csv ---------- */

static int
compare_cells (gconstpointer a, gconstpointer b)
{
  const Cell *x = *(Cell *const *) a;
  const Cell *y = *(Cell *const *) b;
  if (x->scenario != y->scenario)
    return x->scenario < y->scenario ? -1 : 1;
  if (x->year != y->year)
    return x->year < y->year ? -1 : 1;
  if (x->municipality != y->municipality)
    return x->municipality < y->municipality ? -1 : 1;
  return 0;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* A mean of counts needs decimals a count does not. */
static int
decimals_of (PsimColumnKind kind)
{
  switch (kind)
    {
    case PSIM_COLUMN_COUNT:
      return 3;
    case PSIM_COLUMN_SHARE:
      return 6;
    case PSIM_COLUMN_EUROS:
    default:
      return 2;
    }
}

void
psim_summary_write_stats (PsimCsv *csv, double *values, gsize n, double sum, PsimColumnKind kind)
{
  qsort (values, n, sizeof (double), compare_doubles);
  int d = decimals_of (kind);
  psim_csv_field_number (csv, n > 0 ? sum / (double) n : NAN, d);
  psim_csv_field_number (csv, psim_quantile_type7 (values, n, 0.5), d);
  psim_csv_field_number (csv, psim_quantile_type7 (values, n, 0.05), d);
  psim_csv_field_number (csv, psim_quantile_type7 (values, n, 0.95), d);
}

/* The cells in the order of summary.csv's rows. */
static GPtrArray *
cells_in_order (const PsimSummary *s)
{
  GPtrArray *order = g_ptr_array_new ();
  for (guint i = 0; i < s->cells->len; i++)
    g_ptr_array_add (order, g_ptr_array_index (s->cells, i));
  g_ptr_array_sort (order, compare_cells);
  return order;
}

static void
write_header (PsimCsv *csv)
{
  static const char *const header[] = {
    "scenario", "year", "municipality", "metric", "mean", "median", "p05", "p95",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (header); i++)
    psim_csv_field (csv, header[i]);
  psim_csv_end_row (csv);
}

/* The rows of one cell (`sorted`: scratch, grown as needed). */
static void
write_cell (PsimCsv *csv, const PsimSummary *s, const Cell *cell, double **sorted, gsize *sorted_size)
{
  gsize n_cols = psim_column_count ();
  gsize n_reps = cell->values->len / n_cols;
  if (n_reps > *sorted_size)
    {
      *sorted_size = n_reps;
      *sorted = g_renew (double, *sorted, *sorted_size);
    }
  const double *v = (const double *) (void *) cell->values->data;
  for (gsize c = 0; c < n_cols; c++)
    {
      const PsimColumn *col = psim_column (c);
      gsize n = 0;
      double sum = 0.0;
      for (gsize r = 0; r < n_reps; r++)
        {
          double x = v[r * n_cols + c];
          if (isnan (x))
            continue;
          sum += x; /* in replication order: the same bytes however the run was split */
          (*sorted)[n++] = x;
        }
      psim_csv_field (csv, g_ptr_array_index (s->scenarios, cell->scenario));
      psim_csv_field_int (csv, cell->year);
      psim_csv_field (csv, g_ptr_array_index (s->municipalities, cell->municipality));
      psim_csv_field (csv, col->name);
      psim_summary_write_stats (csv, *sorted, n, sum, col->kind);
      psim_csv_end_row (csv);
    }
}

gboolean
psim_summary_write (const PsimSummary *s, const char *path, GError **error)
{
  g_return_val_if_fail (s != NULL && path != NULL, FALSE);
  g_return_val_if_fail (!s->over, FALSE);
  PsimCsv *csv = psim_csv_open (path, error);
  if (csv == NULL)
    return FALSE;
  write_header (csv);
  g_autoptr (GPtrArray) order = cells_in_order (s);
  double *sorted = NULL;
  gsize sorted_size = 0;
  for (guint i = 0; i < order->len; i++)
    write_cell (csv, s, g_ptr_array_index (order, i), &sorted, &sorted_size);
  g_free (sorted);
  return psim_csv_close (csv, error);
}

guint64
psim_summary_memory (void)
{
  const char *text = g_getenv ("PERMITSIM_SUMMARY_MEMORY");
  if (text != NULL && *text != '\0')
    {
      char *end = NULL;
      guint64 v = g_ascii_strtoull (text, &end, 10);
      if (end != text && *end == '\0' && v > 0)
        return v;
    }
  return PSIM_SUMMARY_MEMORY;
}

static gboolean
add_files (PsimSummary *s, const char *const *annual, GError **error)
{
  for (const char *const *p = annual; *p != NULL; p++)
    if (!psim_summary_add_annual_csv (s, *p, error))
      return FALSE;
  return TRUE;
}

gboolean
psim_summary_write_annual (const char *const *annual, const char *path, guint64 budget,
                           PsimSummaryStats *stats, GError **error)
{
  g_return_val_if_fail (annual != NULL && path != NULL, FALSE);
  PsimSummaryStats unused = { 0 };
  if (stats == NULL)
    stats = &unused;
  g_autoptr (PsimSummary) s = psim_summary_new ();
  s->budget = budget;
  stats->passes = 1;
  gboolean ok = add_files (s, annual, error);
  stats->peak_bytes = s->peak_bytes;
  if (!ok)
    return FALSE;
  if (!s->over)
    return psim_summary_write (s, path, error);

  /* the rows of summary.csv in groups whose values fit the budget (a cell
   * larger than the budget alone), each group's values read from the files
   * in a pass of its own and written before the next */
  g_autoptr (GPtrArray) order = cells_in_order (s);
  guint64 row_bytes = psim_column_count () * sizeof (double), in_group = 0;
  guint groups = 0;
  for (guint i = 0; i < order->len; i++)
    {
      Cell *cell = g_ptr_array_index (order, i);
      guint64 bytes = cell->rows * row_bytes;
      if (groups == 0 || (in_group > 0 && in_group + bytes > budget))
        {
          groups++;
          in_group = 0;
        }
      cell->group = groups - 1;
      in_group += bytes;
    }
  PsimCsv *csv = psim_csv_open (path, error);
  if (csv == NULL)
    return FALSE;
  write_header (csv);
  double *sorted = NULL;
  gsize sorted_size = 0;
  s->counting = FALSE;
  guint next = 0;
  for (guint g = 0; ok && g < groups; g++)
    {
      if (stats->on_reading != NULL)
        stats->on_reading (g, groups, stats->data);
      s->keep = (int) g;
      s->kept_bytes = 0;
      stats->passes++;
      ok = add_files (s, annual, error);
      stats->peak_bytes = MAX (stats->peak_bytes, s->peak_bytes);
      for (; ok && next < order->len && ((Cell *) g_ptr_array_index (order, next))->group == g; next++)
        {
          Cell *cell = g_ptr_array_index (order, next);
          write_cell (csv, s, cell, &sorted, &sorted_size);
          g_array_unref (cell->values);
          cell->values = g_array_new (FALSE, FALSE, sizeof (double));
        }
    }
  g_free (sorted);
  if (ok && stats->on_reading != NULL)
    stats->on_reading (groups, groups, stats->data);
  if (!ok)
    {
      psim_csv_discard (csv);
      return FALSE;
    }
  return psim_csv_close (csv, error);
}
