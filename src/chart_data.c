/* permitsim: loading a results directory for the charts and the report.
 * annual.csv gives one value per (scenario, replication, year, municipality);
 * we keep every outcome for the region ("ALL") and the net moves of each
 * municipality, in dense arrays indexed by replication, so that bands and
 * paired differences are a gather away. summary.csv, when present, supplies
 * the region's bands; manifest.json is read by chart_manifest.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_private.h"
#include "csvread.h"
#include "permitsim/error.h"
#include "permitsim/summary.h"

#define PSIM_MAX_ERRORS_PER_FILE 20
#define PSIM_MAX_YEAR_SPAN 1000

static const PsimMetric metrics[] = {
#define PSIM_METRIC_ROW(id, name, kind, label, unit) \
  { name, PSIM_KIND_##kind, PSIM_T_##label, PSIM_T_##unit },
  PSIM_METRICS (PSIM_METRIC_ROW)
#undef PSIM_METRIC_ROW
};
G_STATIC_ASSERT (G_N_ELEMENTS (metrics) == PSIM_N_METRICS);

const PsimMetric *
psim_metric (PsimMetricId id)
{
  g_return_val_if_fail ((int) id >= 0 && id < PSIM_N_METRICS, &metrics[0]);
  return &metrics[id];
}

/* (here, beside the metrics, so that the text table needs nothing of this file) */
const char *
psim_metric_label (PsimLang lang, PsimMetricId metric)
{
  const PsimMetric *m = psim_metric (metric);
  return m->label != PSIM_T_NONE ? psim_text (lang, m->label) : m->name;
}

int
psim_metric_lookup (const char *name)
{
  for (int m = 0; m < PSIM_N_METRICS; m++)
    if (strcmp (metrics[m].name, name) == 0)
      return m;
  return -1;
}

/* ---------- bands ---------- */

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

void
psim_band_compute (double *values, gsize n, PsimBand *out)
{
  gsize k = 0;
  double sum = 0;
  for (gsize i = 0; i < n; i++)
    if (!isnan (values[i]))
      {
        double v = values[i];
        values[i] = values[k];
        values[k++] = v;
        sum += v;
      }
  for (gsize i = k; i < n; i++)
    values[i] = NAN;
  qsort (values, k, sizeof (double), compare_doubles);
  out->n = (int) k;
  out->mean = k > 0 ? sum / (double) k : NAN;
  out->median = psim_quantile_type7 (values, k, 0.5);
  out->p05 = psim_quantile_type7 (values, k, 0.05);
  out->p95 = psim_quantile_type7 (values, k, 0.95);
}

/* ---------- diagnostics ---------- */

typedef struct {
  GPtrArray *diagnostics;
  const char *file;
  int count;
} Problems;

static void problem (Problems *p, int line, PsimProblem kind, const char *format, ...) G_GNUC_PRINTF (4, 5);

static void
problem (Problems *p, int line, PsimProblem kind, const char *format, ...)
{
  p->count++;
  if (p->count > PSIM_MAX_ERRORS_PER_FILE)
    return;
  va_list ap;
  va_start (ap, format);
  g_autofree char *message = g_strdup_vprintf (format, ap);
  va_end (ap);
  psim_diagnostics_add (p->diagnostics, p->file, line, 0, kind, "%s", message);
}

static gboolean
problems_to_error (Problems *p, GError **error)
{
  if (p->count == 0)
    return TRUE;
  if (p->count > PSIM_MAX_ERRORS_PER_FILE)
    psim_diagnostics_add (p->diagnostics, p->file, 0, 0, PSIM_PROBLEM_SYNTAX, "%d more problems not shown",
                          p->count - PSIM_MAX_ERRORS_PER_FILE);
  g_autofree char *text = psim_diagnostics_to_string (p->diagnostics);
  g_set_error_literal (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, text);
  return FALSE;
}

/* A number field: empty is "not defined" (NaN). FALSE when it is not a finite number. */
static gboolean
parse_number (const char *text, double *out)
{
  if (*text == '\0')
    {
      *out = NAN;
      return TRUE;
    }
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_int (const char *text, gint64 min, gint64 max, int *out)
{
  gint64 v;
  if (!g_ascii_string_to_signed (text, 10, min, max, &v, NULL))
    return FALSE;
  *out = (int) v;
  return TRUE;
}

static int
index_of (GPtrArray *names, const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (strcmp (g_ptr_array_index (names, i), name) == 0)
      return (int) i;
  return -1;
}

static int
intern (GPtrArray *names, const char *name)
{
  int i = index_of (names, name);
  if (i >= 0)
    return i;
  g_ptr_array_add (names, g_strdup (name));
  return (int) names->len - 1;
}

/* ---------- annual.csv ---------- */

enum { KEY_SCENARIO, KEY_REPLICATION, KEY_YEAR, KEY_MUNICIPALITY, N_KEYS };
static const char *const key_names[N_KEYS] = { "scenario", "replication", "year", "municipality" };

/* One row kept until the dimensions are known. */
typedef struct {
  int scenario;     /* file order */
  int replication;  /* as written */
  int year;
  int municipality; /* -1: the region */
  int line;
  gsize values;     /* region rows: offset into the value store */
  double net;       /* municipality rows */
} Row;

typedef struct {
  GArray *rows;          /* Row */
  GArray *values;        /* double, PSIM_N_CSV_METRICS per region row */
  GPtrArray *scenarios;  /* file order */
  GPtrArray *municipalities;
} Annual;

static gboolean
check_value (Problems *p, int line, const PsimMetric *m, const char *text, double *v)
{
  if (!parse_number (text, v))
    {
      g_autofree char *shown = psim_diagnostic_shown (text);
      problem (p, line, PSIM_PROBLEM_SYNTAX, "column '%s': '%s' is not a number", m->name, shown);
      return FALSE;
    }
  if (isnan (*v))
    return TRUE;
  if (m->kind == PSIM_KIND_SHARE && (*v < 0 || *v > 1))
    {
      g_autofree char *shown = psim_diagnostic_shown (text);
      problem (p, line, PSIM_PROBLEM_RANGE, "column '%s': %s is not a share in [0, 1]", m->name, shown);
      return FALSE;
    }
  if (*v < 0)
    {
      g_autofree char *shown = psim_diagnostic_shown (text);
      problem (p, line, PSIM_PROBLEM_RANGE, "column '%s': %s is negative", m->name, shown);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_annual (const char *path, Annual *a, GPtrArray *diagnostics, GError **error)
{
  g_autoptr (PsimCsvReader) csv = psim_csv_reader_open (path, error);
  if (csv == NULL)
    return FALSE;
  Problems p = { diagnostics, path, 0 };
  GError *local = NULL;
  if (!psim_csv_reader_next (csv, &local))
    {
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      problem (&p, 0, PSIM_PROBLEM_SYNTAX, "the file is empty (expected a header line)");
      return problems_to_error (&p, error);
    }

  guint n_columns = psim_csv_reader_n_fields (csv);
  int key_col[N_KEYS], metric_col[PSIM_N_CSV_METRICS];
  for (int k = 0; k < N_KEYS; k++)
    key_col[k] = -1;
  for (int m = 0; m < PSIM_N_CSV_METRICS; m++)
    metric_col[m] = -1;
  for (guint c = 0; c < n_columns; c++)
    {
      const char *name = psim_csv_reader_field (csv, c);
      for (int k = 0; k < N_KEYS; k++)
        if (strcmp (name, key_names[k]) == 0)
          key_col[k] = (int) c;
      int m = psim_metric_lookup (name);
      if (m >= 0 && m < PSIM_N_CSV_METRICS)
        metric_col[m] = (int) c; /* other columns: ignored */
    }
  GString *missing = g_string_new (NULL);
  for (int k = 0; k < N_KEYS; k++)
    if (key_col[k] < 0)
      g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", key_names[k]);
  for (int m = 0; m < PSIM_N_CSV_METRICS; m++)
    if (metric_col[m] < 0)
      g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", metrics[m].name);
  if (missing->len > 0)
    problem (&p, psim_csv_reader_line (csv), PSIM_PROBLEM_SCHEMA, "missing column(s): %s", missing->str);
  g_string_free (missing, TRUE);
  if (p.count > 0)
    return problems_to_error (&p, error);

  while (psim_csv_reader_next (csv, &local))
    {
      int line = psim_csv_reader_line (csv);
      if (psim_csv_reader_n_fields (csv) != n_columns)
        {
          problem (&p, line, PSIM_PROBLEM_SYNTAX, "%u fields, but the header has %u",
                   psim_csv_reader_n_fields (csv), n_columns);
          continue;
        }
      Row row = { 0 };
      row.line = line;
      const char *scenario = psim_csv_reader_field (csv, key_col[KEY_SCENARIO]);
      const char *replication = psim_csv_reader_field (csv, key_col[KEY_REPLICATION]);
      const char *year = psim_csv_reader_field (csv, key_col[KEY_YEAR]);
      const char *municipality = psim_csv_reader_field (csv, key_col[KEY_MUNICIPALITY]);
      gboolean ok = TRUE;
      if (*scenario == '\0')
        {
          problem (&p, line, PSIM_PROBLEM_SYNTAX, "empty scenario");
          ok = FALSE;
        }
      if (!parse_int (replication, 0, G_MAXINT32, &row.replication))
        {
          g_autofree char *shown = psim_diagnostic_shown (replication);
          problem (&p, line, PSIM_PROBLEM_SYNTAX, "replication '%s' is not a whole number >= 0", shown);
          ok = FALSE;
        }
      if (!parse_int (year, 1, 9999, &row.year))
        {
          g_autofree char *shown = psim_diagnostic_shown (year);
          problem (&p, line, PSIM_PROBLEM_SYNTAX, "year '%s' is not a year", shown);
          ok = FALSE;
        }
      if (*municipality == '\0')
        {
          problem (&p, line, PSIM_PROBLEM_SYNTAX, "empty municipality");
          ok = FALSE;
        }
      double values[PSIM_N_CSV_METRICS];
      for (int m = 0; m < PSIM_N_CSV_METRICS; m++)
        if (!check_value (&p, line, &metrics[m], psim_csv_reader_field (csv, metric_col[m]), &values[m]))
          ok = FALSE;
      if (!ok)
        continue;

      row.scenario = intern (a->scenarios, scenario);
      if (strcmp (municipality, "ALL") == 0)
        {
          row.municipality = -1;
          row.values = a->values->len;
          g_array_append_vals (a->values, values, PSIM_N_CSV_METRICS);
        }
      else
        {
          row.municipality = intern (a->municipalities, municipality);
          row.net = values[PSIM_M_MOVED_IN] - values[PSIM_M_MOVED_OUT];
        }
      g_array_append_val (a->rows, row);
    }
  if (local != NULL)
    {
      /* a syntax error ends the file: report it after what came before (the
       * reader's message already names the file and line) */
      GError *all = NULL;
      if (problems_to_error (&p, &all))
        g_propagate_error (error, local);
      else
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s\n%s", all->message, local->message);
          g_error_free (all);
          g_error_free (local);
        }
      return FALSE;
    }
  if (p.count == 0 && a->rows->len == 0)
    problem (&p, 0, PSIM_PROBLEM_SYNTAX, "no data rows");
  return problems_to_error (&p, error);
}

static int
compare_ints (const void *a, const void *b)
{
  int x = *(const int *) a, y = *(const int *) b;
  return (x > y) - (x < y);
}

/* Which scenario is the baseline: the manifest's "baseline", else one named
 * "baseline", else the first in annual.csv. */
static int
choose_baseline (GPtrArray *scenarios, const PsimChartManifest *manifest)
{
  if (manifest != NULL && manifest->baseline != NULL)
    {
      int i = index_of (scenarios, manifest->baseline);
      if (i >= 0)
        return i;
    }
  int i = index_of (scenarios, "baseline");
  return i >= 0 ? i : 0;
}

static gboolean
pack_annual (PsimChartData *d, Annual *a, const char *path, GError **error)
{
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  Problems p = { diagnostics, path, 0 };

  /* scenarios: baseline first */
  int n_s = (int) a->scenarios->len;
  int baseline = choose_baseline (a->scenarios, d->manifest);
  g_autofree int *order = g_new (int, n_s); /* file index -> our index */
  d->scenarios = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (d->scenarios, g_strdup (g_ptr_array_index (a->scenarios, baseline)));
  order[baseline] = 0;
  for (int s = 0; s < n_s; s++)
    if (s != baseline)
      {
        order[s] = (int) d->scenarios->len;
        g_ptr_array_add (d->scenarios, g_strdup (g_ptr_array_index (a->scenarios, s)));
      }

  /* replications and years */
  GArray *reps = g_array_new (FALSE, FALSE, sizeof (int));
  int first = G_MAXINT, last = G_MININT;
  gboolean any_region = FALSE;
  for (guint i = 0; i < a->rows->len; i++)
    {
      const Row *row = &g_array_index (a->rows, Row, i);
      g_array_append_val (reps, row->replication);
      first = MIN (first, row->year);
      last = MAX (last, row->year);
      any_region = any_region || row->municipality < 0;
    }
  g_array_sort (reps, compare_ints);
  int n_r = 0;
  for (guint i = 0; i < reps->len; i++)
    if (n_r == 0 || g_array_index (reps, int, i) != g_array_index (reps, int, n_r - 1))
      g_array_index (reps, int, n_r++) = g_array_index (reps, int, i);
  d->n_replications = n_r;
  d->replications = g_new (int, n_r);
  memcpy (d->replications, reps->data, sizeof (int) * (gsize) n_r);
  g_array_free (reps, TRUE);

  if (!any_region)
    {
      problem (&p, 0, PSIM_PROBLEM_CONSISTENCY, "no rows for the region (municipality \"ALL\")");
      return problems_to_error (&p, error);
    }
  if (last - first + 1 > PSIM_MAX_YEAR_SPAN)
    {
      problem (&p, 0, PSIM_PROBLEM_RANGE, "years %d to %d: more than %d years", first, last, PSIM_MAX_YEAR_SPAN);
      return problems_to_error (&p, error);
    }
  d->first_year = first;
  d->n_years = last - first + 1;
  d->municipalities = g_ptr_array_new_with_free_func (g_free);
  for (guint u = 0; u < a->municipalities->len; u++)
    g_ptr_array_add (d->municipalities, g_strdup (g_ptr_array_index (a->municipalities, u)));
  int n_u = (int) d->municipalities->len;
  int n_y = d->n_years;

  gsize n_region = (gsize) n_s * (gsize) n_y * (gsize) n_r;
  gsize n_net = n_region * (gsize) n_u;
  d->region = g_new (double, n_region * PSIM_N_METRICS);
  for (gsize i = 0; i < n_region * PSIM_N_METRICS; i++)
    d->region[i] = NAN;
  d->net_moves = g_new (double, MAX (n_net, 1));
  for (gsize i = 0; i < n_net; i++)
    d->net_moves[i] = NAN;
  /* the line of the row that filled each cell, to report duplicates */
  g_autofree int *seen_region = g_new0 (int, n_region);
  g_autofree int *seen_net = g_new0 (int, MAX (n_net, 1));

  for (guint i = 0; i < a->rows->len; i++)
    {
      const Row *row = &g_array_index (a->rows, Row, i);
      int *hit = bsearch (&row->replication, d->replications, (gsize) n_r, sizeof (int), compare_ints);
      gsize r = (gsize) (hit - d->replications);
      gsize cell = ((gsize) order[row->scenario] * (gsize) n_y + (gsize) (row->year - first)) * (gsize) n_r + r;
      if (row->municipality < 0)
        {
          if (seen_region[cell] != 0)
            {
              problem (&p, row->line, PSIM_PROBLEM_REFERENCE,
                       "duplicate row for scenario '%s', replication %d, year %d, ALL (first on line %d)",
                       (const char *) g_ptr_array_index (a->scenarios, row->scenario), row->replication,
                       row->year, seen_region[cell]);
              continue;
            }
          seen_region[cell] = row->line;
          double *out = d->region + cell * PSIM_N_METRICS;
          const double *in = &g_array_index (a->values, double, row->values);
          memcpy (out, in, sizeof (double) * PSIM_N_CSV_METRICS);
          out[PSIM_M_ILLEGAL_SHARE] = in[PSIM_M_WORKERS] > 0 ? in[PSIM_M_ILLEGAL] / in[PSIM_M_WORKERS] : NAN;
        }
      else
        {
          gsize ncell = (cell / (gsize) n_r * (gsize) n_u + (gsize) row->municipality) * (gsize) n_r + r;
          if (seen_net[ncell] != 0)
            {
              problem (&p, row->line, PSIM_PROBLEM_REFERENCE,
                       "duplicate row for scenario '%s', replication %d, year %d, municipality '%s' "
                       "(first on line %d)",
                       (const char *) g_ptr_array_index (a->scenarios, row->scenario), row->replication,
                       row->year, (const char *) g_ptr_array_index (a->municipalities, row->municipality),
                       seen_net[ncell]);
              continue;
            }
          seen_net[ncell] = row->line;
          d->net_moves[ncell] = row->net;
        }
    }
  return problems_to_error (&p, error);
}

/* ---------- summary.csv ---------- */

enum { SUM_SCENARIO, SUM_YEAR, SUM_MUNICIPALITY, SUM_METRIC, SUM_MEAN, SUM_MEDIAN, SUM_P05, SUM_P95, N_SUM };
static const char *const sum_names[N_SUM] = { "scenario", "year", "municipality", "metric",
                                              "mean", "median", "p05", "p95" };
/* Columns that, when not empty, mark a row as something other than the
 * scenario's own level (a comparison with the baseline, say): skipped. */
static const char *const comparison_columns[] = { "comparison", "versus", "vs", "relative_to", "contrast" };

static gboolean
read_summary (PsimChartData *d, const char *path, GError **error)
{
  g_autoptr (PsimCsvReader) csv = psim_csv_reader_open (path, error);
  if (csv == NULL)
    return FALSE;
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  Problems p = { diagnostics, path, 0 };
  GError *local = NULL;
  if (!psim_csv_reader_next (csv, &local))
    {
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      problem (&p, 0, PSIM_PROBLEM_SYNTAX, "the file is empty (expected a header line)");
      return problems_to_error (&p, error);
    }
  guint n_columns = psim_csv_reader_n_fields (csv);
  int col[N_SUM];
  GArray *skip_cols = g_array_new (FALSE, FALSE, sizeof (int));
  for (int k = 0; k < N_SUM; k++)
    col[k] = -1;
  for (guint c = 0; c < n_columns; c++)
    {
      const char *name = psim_csv_reader_field (csv, c);
      for (int k = 0; k < N_SUM; k++)
        if (strcmp (name, sum_names[k]) == 0)
          col[k] = (int) c;
      for (gsize k = 0; k < G_N_ELEMENTS (comparison_columns); k++)
        if (strcmp (name, comparison_columns[k]) == 0)
          {
            int ci = (int) c;
            g_array_append_val (skip_cols, ci);
          }
    }
  for (int k = 0; k < N_SUM; k++)
    if (col[k] < 0)
      problem (&p, 1, PSIM_PROBLEM_SCHEMA, "missing column '%s'", sum_names[k]);
  if (p.count > 0)
    {
      g_array_free (skip_cols, TRUE);
      return problems_to_error (&p, error);
    }

  gsize n_cells = (gsize) d->scenarios->len * (gsize) d->n_years * PSIM_N_METRICS;
  d->summary = g_new0 (PsimBand, n_cells);
  while (psim_csv_reader_next (csv, &local))
    {
      int line = psim_csv_reader_line (csv);
      if (psim_csv_reader_n_fields (csv) != n_columns)
        {
          problem (&p, line, PSIM_PROBLEM_SYNTAX, "%u fields, but the header has %u",
                   psim_csv_reader_n_fields (csv), n_columns);
          continue;
        }
      gboolean comparison = FALSE;
      for (guint k = 0; k < skip_cols->len; k++)
        if (*psim_csv_reader_field (csv, (guint) g_array_index (skip_cols, int, k)) != '\0')
          comparison = TRUE;
      const char *metric = psim_csv_reader_field (csv, col[SUM_METRIC]);
      int m = psim_metric_lookup (metric);
      if (comparison || m < 0 || strcmp (psim_csv_reader_field (csv, col[SUM_MUNICIPALITY]), "ALL") != 0)
        continue; /* other rows and outcomes: not ours */
      const char *scenario = psim_csv_reader_field (csv, col[SUM_SCENARIO]);
      int s = index_of (d->scenarios, scenario);
      if (s < 0)
        {
          g_autofree char *shown = psim_diagnostic_shown (scenario);
          problem (&p, line, PSIM_PROBLEM_REFERENCE, "scenario '%s' is not in annual.csv", shown);
          continue;
        }
      int year;
      const char *year_text = psim_csv_reader_field (csv, col[SUM_YEAR]);
      if (!parse_int (year_text, 1, 9999, &year))
        {
          g_autofree char *shown = psim_diagnostic_shown (year_text);
          problem (&p, line, PSIM_PROBLEM_SYNTAX, "year '%s' is not a year", shown);
          continue;
        }
      if (year < d->first_year || year >= d->first_year + d->n_years)
        {
          problem (&p, line, PSIM_PROBLEM_REFERENCE, "year %d is not in annual.csv", year);
          continue;
        }
      double v[4];
      gboolean ok = TRUE;
      for (int k = 0; k < 4; k++)
        {
          const char *text = psim_csv_reader_field (csv, col[SUM_MEAN + k]);
          if (!parse_number (text, &v[k]))
            {
              g_autofree char *shown = psim_diagnostic_shown (text);
              problem (&p, line, PSIM_PROBLEM_SYNTAX, "column '%s': '%s' is not a number", sum_names[SUM_MEAN + k],
                       shown);
              ok = FALSE;
            }
        }
      if (!ok)
        continue;
      if (!isnan (v[1]) && (isnan (v[2]) || isnan (v[3]) || v[2] > v[1] || v[1] > v[3]))
        {
          problem (&p, line, PSIM_PROBLEM_CONSISTENCY, "%s: p05 <= median <= p95 does not hold", metric);
          continue;
        }
      PsimBand *b = &d->summary[((gsize) s * (gsize) d->n_years + (gsize) (year - d->first_year)) * PSIM_N_METRICS
                                + (gsize) m];
      if (b->n > 0)
        continue; /* the first row for a key wins */
      if (isnan (v[1]))
        continue;
      b->mean = v[0];
      b->median = v[1];
      b->p05 = v[2];
      b->p95 = v[3];
      b->n = d->n_replications;
    }
  g_array_free (skip_cols, TRUE);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return problems_to_error (&p, error);
}

/* ---------- loading ---------- */

/* A scenario's title in the manifest for readers of `lang`: its title in
 * that language ("titles") where there is one, else its "title"; NULL when
 * the manifest has neither (older manifests have no "titles"). */
static const char *
manifest_title (const PsimChartManifest *m, const char *name, const char *lang)
{
  for (guint k = 0; k < m->scenarios->len; k++)
    {
      const PsimChartManifestScenario *ms = g_ptr_array_index (m->scenarios, k);
      if (strcmp (ms->name, name) != 0)
        continue;
      const char *title = psim_title_pick (ms->titles, ms->n_titles, lang);
      if (title != NULL)
        return title;
      if (ms->title != NULL && *ms->title != '\0')
        return ms->title;
    }
  return NULL;
}

/* A scenario's title from the manifest in `lang`; for scenarios applied
 * together ("lift-cap+open-zone") the titles joined with " + "; else the
 * name. */
static char *
scenario_label (const PsimChartManifest *m, const char *name, const char *lang)
{
  const char *title = manifest_title (m, name, lang);
  if (title != NULL)
    return g_strdup (title);
  g_auto (GStrv) parts = g_strsplit (name, "+", -1);
  if (g_strv_length (parts) < 2)
    return g_strdup (name);
  GString *joined = g_string_new (NULL);
  for (char **p = parts; *p != NULL; p++)
    {
      title = manifest_title (m, *p, lang);
      if (title == NULL)
        {
          g_string_free (joined, TRUE);
          return g_strdup (name);
        }
      g_string_append_printf (joined, "%s%s", joined->len > 0 ? " + " : "", title);
    }
  return g_string_free (joined, FALSE);
}

PsimChartData *
psim_chart_data_load (const char *dir, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s: error: not a results directory", dir);
      return NULL;
    }
  g_autoptr (PsimChartData) d = g_new0 (PsimChartData, 1);
  d->dir = g_strdup (dir);

  g_autofree char *manifest_path = g_build_filename (dir, "manifest.json", NULL);
  d->manifest = psim_chart_manifest_load (manifest_path, error);
  if (d->manifest == NULL)
    return NULL;

  g_autofree char *annual_path = g_build_filename (dir, "annual.csv", NULL);
  Annual a = { g_array_new (FALSE, FALSE, sizeof (Row)), g_array_new (FALSE, FALSE, sizeof (double)),
               g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  gboolean ok = read_annual (annual_path, &a, diagnostics, error) && pack_annual (d, &a, annual_path, error);
  g_array_free (a.rows, TRUE);
  g_array_free (a.values, TRUE);
  g_ptr_array_free (a.scenarios, TRUE);
  g_ptr_array_free (a.municipalities, TRUE);
  if (!ok)
    return NULL;

  g_autofree char *summary_path = g_build_filename (dir, "summary.csv", NULL);
  if (g_file_test (summary_path, G_FILE_TEST_EXISTS) && !read_summary (d, summary_path, error))
    return NULL;

  /* labels in every language: the manifest's titles where it gives them */
  for (int l = 0; l < PSIM_N_LANGS; l++)
    {
      d->scenario_labels[l] = g_ptr_array_new_with_free_func (g_free);
      for (guint s = 0; s < d->scenarios->len; s++)
        {
          const char *name = g_ptr_array_index (d->scenarios, s);
          g_ptr_array_add (d->scenario_labels[l], scenario_label (d->manifest, name, psim_lang_code ((PsimLang) l)));
        }
    }
  return g_steal_pointer (&d);
}

void
psim_chart_data_free (PsimChartData *d)
{
  if (d == NULL)
    return;
  g_free (d->dir);
  if (d->scenarios != NULL)
    g_ptr_array_free (d->scenarios, TRUE);
  for (int l = 0; l < PSIM_N_LANGS; l++)
    if (d->scenario_labels[l] != NULL)
      g_ptr_array_free (d->scenario_labels[l], TRUE);
  if (d->municipalities != NULL)
    g_ptr_array_free (d->municipalities, TRUE);
  g_free (d->replications);
  g_free (d->region);
  g_free (d->net_moves);
  g_free (d->summary);
  psim_chart_manifest_free (d->manifest);
  g_free (d);
}

/* ---------- access ---------- */

int
psim_chart_data_n_scenarios (const PsimChartData *d)
{
  return (int) d->scenarios->len;
}

const char *
psim_chart_data_scenario_name (const PsimChartData *d, int s)
{
  return g_ptr_array_index (d->scenarios, s);
}

const char *
psim_chart_data_scenario_label (const PsimChartData *d, int s, PsimLang lang)
{
  return g_ptr_array_index (d->scenario_labels[lang], s);
}

int
psim_chart_data_year (const PsimChartData *d, int year_index)
{
  return d->first_year + year_index;
}

gboolean
psim_chart_data_year_index (const PsimChartData *d, int year, int *out, GError **error)
{
  if (year == 0)
    {
      *out = d->n_years - 1;
      return TRUE;
    }
  if (year < d->first_year || year >= d->first_year + d->n_years)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE, "year %d is not in the results (%d to %d)", year,
                   d->first_year, d->first_year + d->n_years - 1);
      return FALSE;
    }
  *out = year - d->first_year;
  return TRUE;
}

static const double *
region_cell (const PsimChartData *d, int s, int y, int r)
{
  return d->region + (((gsize) s * (gsize) d->n_years + (gsize) y) * (gsize) d->n_replications + (gsize) r)
                         * PSIM_N_METRICS;
}

void
psim_chart_data_band_annual (const PsimChartData *d, int s, int y, PsimMetricId m, PsimBand *out)
{
  g_autofree double *v = g_new (double, MAX (d->n_replications, 1));
  for (int r = 0; r < d->n_replications; r++)
    v[r] = region_cell (d, s, y, r)[m];
  psim_band_compute (v, (gsize) d->n_replications, out);
}

void
psim_chart_data_band (const PsimChartData *d, int s, int y, PsimMetricId m, PsimBand *out)
{
  if (d->summary != NULL)
    {
      const PsimBand *b = &d->summary[((gsize) s * (gsize) d->n_years + (gsize) y) * PSIM_N_METRICS + (gsize) m];
      if (b->n > 0)
        {
          *out = *b;
          return;
        }
    }
  psim_chart_data_band_annual (d, s, y, m, out);
}

void
psim_chart_data_paired_difference (const PsimChartData *d, int s, int y, PsimMetricId m, PsimBand *out)
{
  g_autofree double *v = g_new (double, MAX (d->n_replications, 1));
  for (int r = 0; r < d->n_replications; r++)
    v[r] = region_cell (d, s, y, r)[m] - region_cell (d, 0, y, r)[m]; /* NaN when either is missing */
  psim_band_compute (v, (gsize) d->n_replications, out);
}

void
psim_chart_data_net_moves_band (const PsimChartData *d, int s, int y, int u, PsimBand *out)
{
  gsize n_u = d->municipalities->len;
  gsize base = (((gsize) s * (gsize) d->n_years + (gsize) y) * n_u + (gsize) u) * (gsize) d->n_replications;
  g_autofree double *v = g_new (double, MAX (d->n_replications, 1));
  memcpy (v, d->net_moves + base, sizeof (double) * (gsize) d->n_replications);
  psim_band_compute (v, (gsize) d->n_replications, out);
}
