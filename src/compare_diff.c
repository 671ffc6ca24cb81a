/* permitsim: differences.csv -- paired differences of each alternative with
 * the baseline, from annual.csv as written.
 *
 * Reading the written file (rather than the tallies in memory) means the
 * numbers are exactly those a reader recomputes from annual.csv in pandas or
 * R, and replications are paired by their number, not by the order they ran.
 */
#include "permitsim/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "permitsim/error.h"
#include "permitsim/output.h"
#include "permitsim/results.h"
#include "permitsim/summary.h"

static const char *const annual_keys[] = { "scenario", "replication", "year", "municipality" };

/* The rows of one (scenario, year, municipality): replication numbers in file
 * order and psim_column_count() values per replication (NAN: empty field). */
typedef struct {
  GArray *replications; /* guint32 */
  GArray *values;       /* double */
  GArray *lines;        /* int: the line of each row, for messages */
  guint64 rows;         /* rows read (kept or not) */
  gboolean needed;      /* its rows are kept in this reading (past the bound) */
} Cell;

typedef struct {
  const char *path;
  GPtrArray *scenarios;       /* char*, order of first appearance */
  GHashTable *scenario_index; /* name -> index + 1 */
  GPtrArray *municipalities;
  GHashTable *muni_index;
  GArray *years;              /* int, distinct, sorted at the end */
  GHashTable *year_seen;
  GHashTable *cells;          /* "s\x1fyear\x1fm" -> Cell* */
  /* memory: every row kept while they fit `budget` bytes (0: no bound);
   * past it none, and the file is read again for groups of rows of
   * differences.csv (psim_compare_differences_write_within) */
  guint64 budget;
  guint64 kept_bytes;
  gboolean keep_all;          /* else only the cells marked needed */
  gboolean counting;          /* rows counted per cell (the first reading) */
  gboolean over;
  guint passes;
} Table;

/* What a row kept costs: its values, replication number and line. */
static guint64
row_bytes (void)
{
  return psim_column_count () * sizeof (double) + sizeof (guint32) + sizeof (int);
}

static void
cell_empty (Cell *c)
{
  g_array_unref (c->values); /* its memory given back, not only emptied */
  c->values = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_unref (c->replications);
  c->replications = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_unref (c->lines);
  c->lines = g_array_new (FALSE, FALSE, sizeof (int));
}

static void
cell_free (gpointer p)
{
  Cell *c = p;
  g_array_unref (c->replications);
  g_array_unref (c->values);
  g_array_unref (c->lines);
  g_free (c);
}

static void
table_clear (Table *t)
{
  g_clear_pointer (&t->scenarios, g_ptr_array_unref);
  g_clear_pointer (&t->scenario_index, g_hash_table_unref);
  g_clear_pointer (&t->municipalities, g_ptr_array_unref);
  g_clear_pointer (&t->muni_index, g_hash_table_unref);
  g_clear_pointer (&t->years, g_array_unref);
  g_clear_pointer (&t->year_seen, g_hash_table_unref);
  g_clear_pointer (&t->cells, g_hash_table_unref);
}

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

static char *
cell_key (guint scenario, int year, guint municipality)
{
  return g_strdup_printf ("%u\x1f%d\x1f%u", scenario, year, municipality);
}

static Cell *
cell_get (Table *t, guint scenario, int year, guint municipality, gboolean create)
{
  g_autofree char *key = cell_key (scenario, year, municipality);
  Cell *cell = g_hash_table_lookup (t->cells, key);
  if (cell == NULL && create)
    {
      cell = g_new0 (Cell, 1);
      cell->replications = g_array_new (FALSE, FALSE, sizeof (guint32));
      cell->values = g_array_new (FALSE, FALSE, sizeof (double));
      cell->lines = g_array_new (FALSE, FALSE, sizeof (int));
      g_hash_table_insert (t->cells, g_steal_pointer (&key), cell);
    }
  return cell;
}

static gboolean
bad_field (GError **error, const char *path, int line, const char *what, const char *text)
{
  g_autofree char *shown = psim_diagnostic_shown (text);
  g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s:%d: error: %s '%s'", path, line,
               what, shown);
  return FALSE;
}

/* One data row into the table. */
static gboolean
add_row (Table *t, PsimCsvReader *reader, double *values, GError **error)
{
  gsize n_keys = G_N_ELEMENTS (annual_keys);
  gsize n_cols = psim_column_count ();
  int line = psim_csv_reader_line (reader);
  if (psim_csv_reader_n_fields (reader) != n_keys + n_cols)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                   "%s:%d: error: %u fields, expected %" G_GSIZE_FORMAT, t->path, line,
                   psim_csv_reader_n_fields (reader), n_keys + n_cols);
      return FALSE;
    }
  char *end = NULL;
  const char *rep_text = psim_csv_reader_field (reader, 1);
  guint64 rep = g_ascii_strtoull (rep_text, &end, 10);
  if (!g_ascii_isdigit (rep_text[0]) || *end != '\0' || rep > G_MAXUINT32)
    return bad_field (error, t->path, line, "bad replication", rep_text);
  const char *year_text = psim_csv_reader_field (reader, 2);
  gint64 year = g_ascii_strtoll (year_text, &end, 10);
  if (end == year_text || *end != '\0' || year < 1 || year > 9999)
    return bad_field (error, t->path, line, "bad year", year_text);
  for (gsize c = 0; c < n_cols; c++)
    {
      const char *text = psim_csv_reader_field (reader, (guint) (n_keys + c));
      if (*text == '\0')
        {
          values[c] = NAN;
          continue;
        }
      values[c] = g_ascii_strtod (text, &end);
      if (end == text || *end != '\0' || !isfinite (values[c]))
        {
          g_autofree char *what = g_strdup_printf ("column %s: not a number:", psim_column (c)->name);
          return bad_field (error, t->path, line, what, text);
        }
    }
  guint s = intern (t->scenarios, t->scenario_index, psim_csv_reader_field (reader, 0));
  guint m = intern (t->municipalities, t->muni_index, psim_csv_reader_field (reader, 3));
  if (!g_hash_table_contains (t->year_seen, GINT_TO_POINTER ((int) year)))
    {
      int y = (int) year;
      g_hash_table_add (t->year_seen, GINT_TO_POINTER (y));
      g_array_append_val (t->years, y);
    }
  Cell *cell = cell_get (t, s, (int) year, m, TRUE);
  if (t->counting)
    cell->rows++;
  if (t->keep_all || cell->needed)
    {
      guint32 r = (guint32) rep;
      g_array_append_val (cell->replications, r);
      g_array_append_vals (cell->values, values, (guint) n_cols);
      g_array_append_val (cell->lines, line);
      t->kept_bytes += row_bytes ();
    }
  if (t->keep_all && t->budget > 0 && t->kept_bytes > t->budget)
    {
      /* past the bound: nothing kept now; read again by groups */
      GHashTableIter iter;
      gpointer value;
      g_hash_table_iter_init (&iter, t->cells);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        cell_empty (value);
      t->kept_bytes = 0;
      t->keep_all = FALSE;
      t->over = TRUE;
    }
  return TRUE;
}

static gboolean
read_annual (Table *t, const char *path, GError **error)
{
  g_autoptr (PsimCsvReader) reader = psim_csv_reader_open (path, error);
  if (reader == NULL)
    return FALSE;
  GError *local = NULL;
  if (!psim_csv_reader_next (reader, &local))
    {
      if (local != NULL)
        g_propagate_error (error, local);
      else
        g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s: error: empty file", path);
      return FALSE;
    }
  gsize n_keys = G_N_ELEMENTS (annual_keys);
  gsize n_cols = psim_column_count ();
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
  g_autofree double *values = g_new (double, n_cols);
  while (psim_csv_reader_next (reader, &local))
    if (!add_row (t, reader, values, error))
      return FALSE;
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

static int
compare_ints (const void *a, const void *b)
{
  int x = *(const int *) a, y = *(const int *) b;
  return (x > y) - (x < y);
}


/* Replication number -> row index in the baseline's cell; FALSE (error set)
 * when a replication appears twice. */
static gboolean
index_replications (const Table *t, const Cell *cell, GHashTable *index, const char *scenario,
                    GError **error)
{
  for (guint i = 0; i < cell->replications->len; i++)
    {
      guint32 r = g_array_index (cell->replications, guint32, i);
      if (!g_hash_table_insert (index, GUINT_TO_POINTER (r), GUINT_TO_POINTER (i + 1)))
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                       "%s:%d: error: scenario '%s', replication %u: a second row for the same "
                       "year and municipality",
                       t->path, g_array_index (cell->lines, int, i), scenario, r);
          return FALSE;
        }
    }
  return TRUE;
}

/* The rows of one (alternative, year, municipality): every outcome column. */
static gboolean
write_cell (PsimCsv *csv, const Table *t, const char *scenario, int year, const char *municipality,
            const Cell *alt, const Cell *base, double *diffs, GError **error)
{
  gsize n_cols = psim_column_count ();
  guint n_alt = alt->replications->len;
  g_autoptr (GHashTable) base_index = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GHashTable) alt_seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  if (base != NULL && !index_replications (t, base, base_index, PSIM_COMPARE_BASELINE, error))
    return FALSE;
  if (!index_replications (t, alt, alt_seen, scenario, error))
    return FALSE;

  const double *av = (const double *) (void *) alt->values->data;
  const double *bv = base != NULL ? (const double *) (void *) base->values->data : NULL;
  for (gsize c = 0; c < n_cols; c++)
    {
      gsize n = 0;
      double sum = 0.0;
      for (guint i = 0; i < n_alt; i++)
        {
          guint32 r = g_array_index (alt->replications, guint32, i);
          guint j = GPOINTER_TO_UINT (g_hash_table_lookup (base_index, GUINT_TO_POINTER (r)));
          if (j == 0)
            continue; /* the baseline has no such replication: nothing to pair with */
          double a = av[(gsize) i * n_cols + c], b = bv[(gsize) (j - 1) * n_cols + c];
          if (isnan (a) || isnan (b))
            continue;
          double d = a - b;
          sum += d; /* in the alternative's row order: the same bytes every time */
          diffs[n++] = d;
        }
      const PsimColumn *col = psim_column (c);
      psim_csv_field (csv, scenario);
      psim_csv_field_int (csv, year);
      psim_csv_field (csv, municipality);
      psim_csv_field (csv, col->name);
      psim_summary_write_stats (csv, diffs, n, sum, col->kind);
      psim_csv_end_row (csv);
    }
  return TRUE;
}

/* One group of rows of differences.csv: an alternative's (year,
 * municipality) and the baseline's cell it pairs with (or NULL). */
typedef struct {
  guint scenario;
  int year;
  guint municipality;
  Cell *alt;
  Cell *base;
} Unit;

/* Every unit, in the order of differences.csv. */
static GArray *
units_in_order (const Table *t, guint baseline)
{
  GArray *units = g_array_new (FALSE, FALSE, sizeof (Unit));
  for (guint s = 0; s < t->scenarios->len; s++)
    {
      if (s == baseline)
        continue;
      for (guint y = 0; y < t->years->len; y++)
        {
          int year = g_array_index (t->years, int, y);
          for (guint m = 0; m < t->municipalities->len; m++)
            {
              Cell *alt = cell_get ((Table *) t, s, year, m, FALSE);
              if (alt == NULL)
                continue;
              Unit u = { s, year, m, alt, cell_get ((Table *) t, baseline, year, m, FALSE) };
              g_array_append_val (units, u);
            }
        }
    }
  return units;
}

static gboolean
write_units (PsimCsv *csv, const Table *t, const Unit *units, guint n, double *diffs, GError **error)
{
  for (guint i = 0; i < n; i++)
    if (!write_cell (csv, t, g_ptr_array_index (t->scenarios, units[i].scenario), units[i].year,
                     g_ptr_array_index (t->municipalities, units[i].municipality), units[i].alt, units[i].base,
                     diffs, error))
      return FALSE;
  return TRUE;
}

static gboolean
write_differences (Table *t, guint baseline, const char *path, GError **error)
{
  PsimCsv *csv = psim_csv_open (path, error);
  if (csv == NULL)
    return FALSE;
  static const char *const header[] = {
    "scenario", "year", "municipality", "metric", "diff_mean", "diff_median", "diff_p05", "diff_p95",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (header); i++)
    psim_csv_field (csv, header[i]);
  psim_csv_end_row (csv);

  guint64 most = 1;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, t->cells);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    most = MAX (most, ((Cell *) value)->rows);
  g_autofree double *diffs = g_new (double, most);
  g_autoptr (GArray) units = units_in_order (t, baseline);
  const Unit *u = (const Unit *) (void *) units->data;

  gboolean ok = TRUE;
  if (!t->over)
    ok = write_units (csv, t, u, units->len, diffs, error);
  else
    {
      /* groups of units whose rows fit the bound (a unit alone when it
       * does not), each read from the file in a reading of its own */
      for (guint from = 0; ok && from < units->len;)
        {
          guint64 bytes = 0;
          guint to = from;
          for (; to < units->len; to++)
            {
              guint64 more = u[to].alt->rows * row_bytes ();
              gboolean base_new = u[to].base != NULL && !u[to].base->needed;
              if (base_new)
                more += u[to].base->rows * row_bytes ();
              if (to > from && bytes + more > t->budget)
                break;
              bytes += more;
              u[to].alt->needed = TRUE;
              if (u[to].base != NULL)
                u[to].base->needed = TRUE;
            }
          t->counting = FALSE;
          t->passes++;
          ok = read_annual (t, t->path, error) && write_units (csv, t, u + from, to - from, diffs, error);
          g_hash_table_iter_init (&iter, t->cells);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            {
              Cell *c = value;
              if (c->needed)
                cell_empty (c);
              c->needed = FALSE;
            }
          from = to;
        }
    }
  if (!ok)
    {
      psim_csv_discard (csv);
      return FALSE;
    }
  return psim_csv_close (csv, error);
}

gboolean
psim_compare_differences_write (const char *annual_csv, const char *baseline, const char *path,
                                GError **error)
{
  return psim_compare_differences_write_within (annual_csv, baseline, path, psim_summary_memory (), NULL, error);
}

gboolean
psim_compare_differences_write_within (const char *annual_csv, const char *baseline, const char *path,
                                       guint64 budget, guint *readings, GError **error)
{
  g_return_val_if_fail (annual_csv != NULL && baseline != NULL && path != NULL, FALSE);
  Table t = {
    .path = annual_csv,
    .budget = budget,
    .keep_all = TRUE,
    .counting = TRUE,
    .passes = 1,
    .scenarios = g_ptr_array_new_with_free_func (g_free),
    .scenario_index = g_hash_table_new (g_str_hash, g_str_equal),
    .municipalities = g_ptr_array_new_with_free_func (g_free),
    .muni_index = g_hash_table_new (g_str_hash, g_str_equal),
    .years = g_array_new (FALSE, FALSE, sizeof (int)),
    .year_seen = g_hash_table_new (g_direct_hash, g_direct_equal),
    .cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cell_free),
  };
  gboolean ok = read_annual (&t, annual_csv, error);
  gpointer found = ok ? g_hash_table_lookup (t.scenario_index, baseline) : NULL;
  if (ok && found == NULL)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                   "%s: error: no rows for the baseline (scenario '%s')", annual_csv, baseline);
      ok = FALSE;
    }
  if (ok)
    {
      g_array_sort (t.years, compare_ints);
      ok = write_differences (&t, GPOINTER_TO_UINT (found) - 1, path, error);
    }
  if (readings != NULL)
    *readings = t.passes;
  table_clear (&t);
  return ok;
}
