/* Tests for the CSV reader (src/csvread.c), bands and quantiles, number
 * formatting, loading a results directory (src/chart_data.c,
 * src/chart_manifest.c) and the charts themselves (src/chart*.c): SVG that
 * libxml2 parses, PNG of the stated width and not blank, PDF that pdfinfo
 * reads. Fixtures: tests/data/results/ (made by its generate.py). */
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>

#include "chart_private.h"
#include "csvread.h"
#include "permitsim/chart.h"
#include "permitsim/error.h"
#include "permitsim/results.h"
#include "permitsim/summary.h"
#include "testutil.h"

#define CLOSE(a, b) (fabs ((a) - (b)) < 1e-9)

static PsimChartData *
load (const char *relative)
{
  g_autofree char *dir = psim_test_path (relative);
  GError *error = NULL;
  PsimChartData *d = psim_chart_data_load (dir, &error);
  if (error != NULL)
    fprintf (stderr, "%s\n", error->message);
  g_clear_error (&error);
  return d;
}

/* ---------- the CSV reader ---------- */

typedef struct {
  const char *data;
  int records;
  const char *last_fields; /* the last record's fields joined with '|' */
  int last_line;
} CsvCase;

static char *
joined (PsimCsvReader *r)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < psim_csv_reader_n_fields (r); i++)
    g_string_append_printf (s, "%s%s", i > 0 ? "|" : "", psim_csv_reader_field (r, i));
  return g_string_free (s, FALSE);
}

static void
test_csv_valid (void)
{
  static const CsvCase cases[] = {
    { "a,b\n1,2\n", 2, "1|2", 2 },
    { "a,b\r\n1,2\r\n", 2, "1|2", 2 },
    { "a,b\n1,2", 2, "1|2", 2 },                                  /* no final line end */
    { "\xef\xbb\xbf" "a,b\n1,2\n", 2, "1|2", 2 },                 /* byte-order mark */
    { "a,b\n\"x, y\",2\n", 2, "x, y|2", 2 },                      /* comma in quotes */
    { "a,b\n\"say \"\"hi\"\"\",2\n", 2, "say \"hi\"|2", 2 },      /* doubled quote */
    { "a,b\n\"two\nlines\",2\n3,4\n", 3, "3|4", 4 },              /* line break in quotes */
    { "a,b,c\n1,,\n", 2, "1||", 2 },                              /* empty fields */
    { "a\n\n\nb\n", 2, "b", 4 },                                  /* empty lines skipped */
    { "a,b\n\"\",\"\"\n", 2, "|", 2 },                            /* empty quoted fields */
    { "a,b\n\"x\r\ny\",z\r\n", 2, "x\r\ny|z", 2 },                /* CRLF inside quotes kept */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (PsimCsvReader) r = psim_csv_reader_new_from_data (cases[i].data, strlen (cases[i].data), "t.csv");
      GError *error = NULL;
      int n = 0;
      g_autofree char *last = NULL;
      int line = 0;
      while (psim_csv_reader_next (r, &error))
        {
          n++;
          g_free (last);
          last = joined (r);
          line = psim_csv_reader_line (r);
        }
      CU_ASSERT_PTR_NULL (error);
      CU_ASSERT_EQUAL (n, cases[i].records);
      CU_ASSERT_STRING_EQUAL (last != NULL ? last : "", cases[i].last_fields);
      CU_ASSERT_EQUAL (line, cases[i].last_line);
      if (n != cases[i].records || g_strcmp0 (last, cases[i].last_fields) != 0 || line != cases[i].last_line)
        fprintf (stderr, "case %zu: %d records, last '%s' on line %d\n", i, n, last, line);
      g_clear_error (&error);
    }
}

typedef struct {
  const char *data;
  const char *message; /* "t.csv:LINE: error: ..." prefix expected */
} CsvBad;

static void
test_csv_invalid (void)
{
  static const CsvBad cases[] = {
    { "a,b\n\"open,2\n3,4\n", "t.csv:2: error: unterminated quoted field" },
    { "a,b\n\"x\"y,2\n", "t.csv:2: error: unexpected text after a closing quote" },
    { "a,b\n1,x\"y\n", "t.csv:2: error: a quote inside an unquoted field" },
    { "a,b\n1,2\r3,4\n", "t.csv:2: error: a carriage return not followed by a line feed" },
    { "a,b\n1,2\n5,\0\n", "t.csv:3: error: NUL byte" },
  };
  static const gsize lengths[] = { 0, 0, 0, 0, 13 };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = lengths[i] > 0 ? lengths[i] : strlen (cases[i].data);
      g_autoptr (PsimCsvReader) r = psim_csv_reader_new_from_data (cases[i].data, len, "t.csv");
      GError *error = NULL;
      while (psim_csv_reader_next (r, &error))
        ;
      CU_ASSERT_PTR_NOT_NULL_FATAL (error);
      CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT));
      CU_ASSERT (g_str_has_prefix (error->message, cases[i].message));
      if (!g_str_has_prefix (error->message, cases[i].message))
        fprintf (stderr, "case %zu: got '%s'\n", i, error->message);
      g_error_free (error);
    }
}

static void
test_csv_reads_in_chunks (void)
{
  /* a file longer than the reader's 64 KiB buffer, with quoted fields and
   * CRLF line ends falling across the buffer boundaries */
  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "big.csv", NULL);
  GString *s = g_string_new ("name,value\r\n");
  for (int i = 0; i < 20000; i++)
    g_string_append_printf (s, "\"row, %d\",%d\r\n", i, i);
  CU_ASSERT_TRUE_FATAL (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  g_string_free (s, TRUE);
  GError *error = NULL;
  g_autoptr (PsimCsvReader) r = psim_csv_reader_open (path, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  CU_ASSERT_TRUE (psim_csv_reader_next (r, &error)); /* header */
  int n = 0;
  gboolean all_right = TRUE;
  while (psim_csv_reader_next (r, &error))
    {
      g_autofree char *want = g_strdup_printf ("row, %d", n);
      all_right = all_right && psim_csv_reader_n_fields (r) == 2
                  && strcmp (psim_csv_reader_field (r, 0), want) == 0
                  && atoi (psim_csv_reader_field (r, 1)) == n && psim_csv_reader_line (r) == n + 2;
      n++;
    }
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_EQUAL (n, 20000);
  CU_ASSERT_TRUE (all_right);

  g_autofree char *missing = g_build_filename (dir, "nope.csv", NULL);
  CU_ASSERT_PTR_NULL (psim_csv_reader_open (missing, &error));
  CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT));
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, "nope.csv: error: cannot open"));
  g_clear_error (&error);
}

/* ---------- quantiles and bands ---------- */

static void
test_quantiles_match_r_type7 (void)
{
  /* R: quantile(1:10, c(.05, .5, .95)) -> 1.45 5.50 9.55 */
  double a[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
  CU_ASSERT (CLOSE (psim_quantile_type7 (a, 10, 0.05), 1.45));
  CU_ASSERT (CLOSE (psim_quantile_type7 (a, 10, 0.5), 5.5));
  CU_ASSERT (CLOSE (psim_quantile_type7 (a, 10, 0.95), 9.55));
  /* R: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), c(.05, .5, .95)) -> 1.00 3.50 7.95 */
  double b[] = { 3, 1, 4, 1, 5, 9, 2, 6 };
  PsimBand band;
  psim_band_compute (b, G_N_ELEMENTS (b), &band);
  CU_ASSERT_EQUAL (band.n, 8);
  CU_ASSERT (CLOSE (band.p05, 1.0));
  CU_ASSERT (CLOSE (band.median, 3.5));
  CU_ASSERT (CLOSE (band.p95, 7.95));
  CU_ASSERT (CLOSE (band.mean, 31.0 / 8));
  /* R: quantile(c(0.1, 0.7, 0.3), c(.05, .25, .95)) -> 0.12 0.20 0.66; NaN (NA) left out */
  double c[] = { 0.1, NAN, 0.7, 0.3, NAN };
  psim_band_compute (c, G_N_ELEMENTS (c), &band);
  CU_ASSERT_EQUAL (band.n, 3);
  CU_ASSERT (CLOSE (band.p05, 0.12));
  CU_ASSERT (CLOSE (psim_quantile_type7 (c, 3, 0.25), 0.2));
  CU_ASSERT (CLOSE (band.p95, 0.66));
  /* one value: every quantile is that value; none: NaN and n = 0 */
  double d[] = { 42 };
  psim_band_compute (d, 1, &band);
  CU_ASSERT (band.n == 1 && band.p05 == 42 && band.median == 42 && band.p95 == 42);
  double e[] = { NAN, NAN };
  psim_band_compute (e, 2, &band);
  CU_ASSERT (band.n == 0 && isnan (band.median) && isnan (band.p05));
}

/* ---------- words and numbers ---------- */

static void
test_numbers_per_language (void)
{
  g_autofree char *a = psim_format_number (PSIM_LANG_NL, 12345.678, 1, FALSE);
  CU_ASSERT_STRING_EQUAL (a, "12.345,7");
  g_autofree char *b = psim_format_number (PSIM_LANG_EN, 12345.678, 1, FALSE);
  CU_ASSERT_STRING_EQUAL (b, "12,345.7");
  g_autofree char *c = psim_format_number (PSIM_LANG_EN, -1234567, 0, FALSE);
  CU_ASSERT_STRING_EQUAL (c, "\xe2\x88\x92" "1,234,567");
  g_autofree char *d = psim_format_number (PSIM_LANG_NL, 1234, 0, FALSE); /* four digits: not grouped */
  CU_ASSERT_STRING_EQUAL (d, "1234");
  g_autofree char *e = psim_format_number (PSIM_LANG_EN, -0.004, 1, TRUE); /* rounds to zero: no sign */
  CU_ASSERT_STRING_EQUAL (e, "0.0");
  g_autofree char *f = psim_format_number (PSIM_LANG_EN, 3, 1, TRUE);
  CU_ASSERT_STRING_EQUAL (f, "+3.0");

  PsimBand band = { 0.8, 0.81, 0.78, 0.84, 10 };
  g_autofree char *g = psim_format_band (PSIM_LANG_EN, PSIM_KIND_SHARE, &band);
  CU_ASSERT_STRING_EQUAL (g, "81% (78\xe2\x80\x93" "84)");
  PsimBand diff = { 0.03, 0.03, 0.012, 0.048, 10 };
  g_autofree char *h = psim_format_difference_band (PSIM_LANG_NL, PSIM_KIND_SHARE, &diff);
  CU_ASSERT_STRING_EQUAL (h, "+3,0\xc2\xa0%-punt (+1,2\xc2\xa0%-punt tot +4,8\xc2\xa0%-punt)");

  g_autofree char *t = psim_text_fill ("{a} and {b}, {unknown}", "a", "x", "b", "y", NULL);
  CU_ASSERT_STRING_EQUAL (t, "x and y, {unknown}");

  PsimLang lang;
  CU_ASSERT_TRUE (psim_lang_from_string ("EN", &lang) && lang == PSIM_LANG_EN);
  CU_ASSERT_TRUE (psim_lang_from_string ("nl", &lang) && lang == PSIM_LANG_NL);
  CU_ASSERT_FALSE (psim_lang_from_string ("de", &lang));
  /* every text has both languages */
  for (int i = 1; i < PSIM_N_TEXTS; i++)
    {
      CU_ASSERT (*psim_text (PSIM_LANG_EN, (PsimTextId) i) != '\0');
      CU_ASSERT (*psim_text (PSIM_LANG_NL, (PsimTextId) i) != '\0');
    }
}

static void
test_formats_parse (void)
{
  unsigned f;
  GError *error = NULL;
  CU_ASSERT_TRUE (psim_chart_formats_parse ("svg,png,pdf", &f, &error));
  CU_ASSERT_EQUAL (f, PSIM_CHART_FORMAT_SVG | PSIM_CHART_FORMAT_PNG | PSIM_CHART_FORMAT_PDF);
  CU_ASSERT_TRUE (psim_chart_formats_parse (" PDF ", &f, &error));
  CU_ASSERT_EQUAL (f, PSIM_CHART_FORMAT_PDF);
  CU_ASSERT_FALSE (psim_chart_formats_parse ("svg,gif", &f, &error));
  CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_USAGE));
  CU_ASSERT_PTR_NOT_NULL (error != NULL ? strstr (error->message, "'gif'") : NULL);
  g_clear_error (&error);
  CU_ASSERT_FALSE (psim_chart_formats_parse ("", &f, &error));
  g_clear_error (&error);
}

/* ---------- loading results ---------- */

static void
test_load_compare (void)
{
  g_autoptr (PsimChartData) d = load ("tests/data/results/compare");
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  CU_ASSERT_EQUAL (psim_chart_data_n_scenarios (d), 4);
  CU_ASSERT_STRING_EQUAL (psim_chart_data_scenario_name (d, 0), "baseline");
  CU_ASSERT_STRING_EQUAL (psim_chart_data_scenario_name (d, 3), "lift-cap");
  CU_ASSERT_STRING_EQUAL (psim_chart_data_scenario_label (d, 3, PSIM_LANG_EN), "Lift the maximum policy");
  CU_ASSERT_STRING_EQUAL (psim_chart_data_scenario_label (d, 0, PSIM_LANG_EN), "baseline"); /* no title given */
  /* a manifest without titles by language (as before them): the title in every language */
  CU_ASSERT_STRING_EQUAL (psim_chart_data_scenario_label (d, 3, PSIM_LANG_NL), "Lift the maximum policy");
  CU_ASSERT_EQUAL (d->n_replications, 8);
  CU_ASSERT_EQUAL (d->first_year, 2020);
  CU_ASSERT_EQUAL (d->n_years, 5);
  CU_ASSERT_EQUAL (d->municipalities->len, 3);
  CU_ASSERT_STRING_EQUAL (g_ptr_array_index (d->municipalities, 1), "Nuenen, Gerwen en Nederwetten");
  CU_ASSERT_STRING_EQUAL (d->manifest->seed, "20240501");
  CU_ASSERT_EQUAL (d->manifest->replications, 8);
  CU_ASSERT_EQUAL (d->manifest->inputs->len, 2);
  CU_ASSERT_EQUAL (d->manifest->parameters->len, 2);
  CU_ASSERT_PTR_NULL (d->summary);

  /* baseline, replication 0, 2020, ALL from the file: workers 1021, illegal 186 (read it back) */
  g_autofree char *path = psim_test_path ("tests/data/results/compare/annual.csv");
  g_autoptr (PsimCsvReader) r = psim_csv_reader_open (path, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  psim_csv_reader_next (r, NULL);
  double workers = NAN, illegal = NAN, sexual = NAN;
  while (psim_csv_reader_next (r, NULL))
    if (strcmp (psim_csv_reader_field (r, 0), "baseline") == 0 && strcmp (psim_csv_reader_field (r, 1), "0") == 0
        && strcmp (psim_csv_reader_field (r, 2), "2020") == 0 && strcmp (psim_csv_reader_field (r, 3), "ALL") == 0)
      {
        workers = g_ascii_strtod (psim_csv_reader_field (r, 4), NULL);
        illegal = g_ascii_strtod (psim_csv_reader_field (r, 7), NULL);
        sexual = g_ascii_strtod (psim_csv_reader_field (r, 4 + PSIM_M_SEXUAL_12M), NULL);
      }
  const double *cell = d->region; /* scenario 0, year 0, replication 0 */
  CU_ASSERT (CLOSE (cell[PSIM_M_WORKERS], workers));
  CU_ASSERT (CLOSE (cell[PSIM_M_SEXUAL_12M], sexual));
  CU_ASSERT (CLOSE (cell[PSIM_M_ILLEGAL_SHARE], illegal / workers));

  /* the band over replications agrees with psim_band_compute on the same values */
  double values[8];
  for (int k = 0; k < 8; k++)
    values[k] = d->region[(gsize) (4 * 8 + k) * PSIM_N_METRICS + PSIM_M_TESTED_12M]; /* year 4 */
  PsimBand want, got;
  psim_band_compute (values, 8, &want);
  psim_chart_data_band (d, 0, 4, PSIM_M_TESTED_12M, &got);
  CU_ASSERT (got.n == 8 && CLOSE (got.median, want.median) && CLOSE (got.p05, want.p05) && CLOSE (got.p95, want.p95));

  /* an empty field is "not defined": Arnhem has no window rent, which does not
   * touch the region; net moves of the region's municipalities sum to zero */
  double sum = 0;
  for (int u = 0; u < 3; u++)
    {
      PsimBand b;
      psim_chart_data_net_moves_band (d, 0, 0, u, &b);
      CU_ASSERT_EQUAL (b.n, 8);
      sum += d->net_moves[(gsize) u * 8]; /* scenario 0, year 0, replication 0 */
    }
  CU_ASSERT (fabs (sum) <= 2); /* rounded to whole workers per municipality */

  int year_index;
  GError *error = NULL;
  CU_ASSERT_TRUE (psim_chart_data_year_index (d, 0, &year_index, &error) && year_index == 4);
  CU_ASSERT_TRUE (psim_chart_data_year_index (d, 2021, &year_index, &error) && year_index == 1);
  CU_ASSERT_FALSE (psim_chart_data_year_index (d, 2019, &year_index, &error));
  CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_USAGE));
  g_clear_error (&error);
}

static void
test_load_summary (void)
{
  g_autoptr (PsimChartData) d = load ("tests/data/results/with-summary");
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  CU_ASSERT_PTR_NOT_NULL (d->summary);
  CU_ASSERT_EQUAL (d->municipalities->len, 0);
  PsimBand b;
  /* 2031 (index 1): the summary's row wins */
  psim_chart_data_band (d, 0, 1, PSIM_M_SEXUAL_12M, &b);
  CU_ASSERT (CLOSE (b.median, 0.5) && CLOSE (b.p05, 0.4) && CLOSE (b.p95, 0.6));
  /* a row with a comparison marked is not the scenario's own level: skipped */
  psim_chart_data_band (d, 1, 1, PSIM_M_SEXUAL_12M, &b);
  CU_ASSERT (CLOSE (b.median, 0.45) && CLOSE (b.p05, 0.41) && CLOSE (b.p95, 0.49));
  /* an empty row, and outcomes or years the summary lacks: computed from annual.csv */
  PsimBand annual;
  psim_chart_data_band (d, 1, 1, PSIM_M_WAITING, &b);
  psim_chart_data_band_annual (d, 1, 1, PSIM_M_WAITING, &annual);
  CU_ASSERT (b.n == 3 && CLOSE (b.median, annual.median));
  psim_chart_data_band (d, 0, 0, PSIM_M_SEXUAL_12M, &b);
  psim_chart_data_band_annual (d, 0, 0, PSIM_M_SEXUAL_12M, &annual);
  CU_ASSERT (b.n == 3 && CLOSE (b.median, annual.median) && !CLOSE (b.median, 0.5));
  CU_ASSERT_FALSE (psim_chart_available (d, PSIM_CHART_NET_MOVES));
  CU_ASSERT_TRUE (psim_chart_available (d, PSIM_CHART_VIOLENCE));
}

typedef struct {
  const char *dir;
  const char *message; /* expected in the error, after the directory */
} BadDir;

static void
test_load_invalid (void)
{
  static const BadDir cases[] = {
    { "bad-number", "/annual.csv:4: error: column 'workers': 'abc' is not a number" },
    { "bad-share", "/annual.csv:3: error: column 'sexual_12m': 1.5 is not a share in [0, 1]" },
    { "bad-quote", "/annual.csv:3: error: unterminated quoted field" },
    { "missing-column", "/annual.csv:1: error: missing column(s): waiting" },
    { "short-row", "/annual.csv:3: error: 10 fields, but the header has 41" },
    { "duplicate-row", "/annual.csv:4: error: duplicate row for scenario 'baseline', replication 0, year 2020, ALL "
                       "(first on line 2)" },
    { "no-manifest", "/manifest.json: error: cannot open" },
    { "bad-manifest", "/manifest.json:3:14: error: " },
    { "missing-annual", "/annual.csv: error: cannot open" },
    { "bad-summary", "/summary.csv:3: error: illegal: p05 <= median <= p95 does not hold" },
    { "does-not-exist", ": error: not a results directory" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *rel = g_build_filename ("tests/data/results", cases[i].dir, NULL);
      g_autofree char *dir = psim_test_path (rel);
      GError *error = NULL;
      PsimChartData *d = psim_chart_data_load (dir, &error);
      CU_ASSERT_PTR_NULL (d);
      psim_chart_data_free (d);
      CU_ASSERT_PTR_NOT_NULL_FATAL (error);
      CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT));
      CU_ASSERT_EQUAL (psim_error_exit_code (error), 2);
      g_autofree char *want = g_strconcat (dir, cases[i].message, NULL);
      CU_ASSERT_PTR_NOT_NULL (strstr (error->message, want));
      if (strstr (error->message, want) == NULL)
        fprintf (stderr, "%s: got '%s'\n", cases[i].dir, error->message);
      g_error_free (error);
    }
}

/* A field that is no UTF-8, holds control characters (a line break inside
 * quotes) and runs to thousands of bytes is shown in the error readable: valid
 * UTF-8, on one line, the control characters as \xNN, cut to 60
 * characters with its length said. */
static void
test_load_error_shows_hostile_field (void)
{
  g_autofree char *src = psim_test_path ("tests/data/results/bad-number");
  g_autofree char *manifest_in = g_build_filename (src, "manifest.json", NULL);
  g_autofree char *annual_in = g_build_filename (src, "annual.csv", NULL);
  g_autofree char *manifest = NULL, *annual = NULL;
  gsize manifest_length = 0;
  g_assert (g_file_get_contents (manifest_in, &manifest, &manifest_length, NULL));
  g_assert (g_file_get_contents (annual_in, &annual, NULL, NULL));
  /* the header and the first row, whose workers (the fifth field) becomes hostile */
  g_auto (GStrv) lines = g_strsplit (annual, "\n", 3);
  g_auto (GStrv) fields = g_strsplit (lines[1], ",", -1);
  GString *hostile = g_string_new ("\"12\xff\xfe\n\x01");
  for (int k = 0; k < 5000; k++)
    g_string_append_c (hostile, '9');
  g_string_append_c (hostile, '"');
  g_free (fields[4]);
  fields[4] = g_string_free (hostile, FALSE);
  g_autofree char *row = g_strjoinv (",", fields);
  g_autofree char *text = g_strconcat (lines[0], "\n", row, "\n", NULL);

  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *manifest_out = g_build_filename (dir, "manifest.json", NULL);
  g_autofree char *annual_out = g_build_filename (dir, "annual.csv", NULL);
  g_assert (g_file_set_contents (manifest_out, manifest, (gssize) manifest_length, NULL));
  g_assert (g_file_set_contents (annual_out, text, -1, NULL));

  GError *error = NULL;
  PsimChartData *d = psim_chart_data_load (dir, &error);
  CU_ASSERT_PTR_NULL (d);
  psim_chart_data_free (d);
  CU_ASSERT_PTR_NOT_NULL_FATAL (error);
  CU_ASSERT_TRUE (g_utf8_validate (error->message, -1, NULL));
  CU_ASSERT_PTR_NULL (strchr (error->message, '\n'));
  CU_ASSERT_TRUE (strlen (error->message) < strlen (dir) + 200);
  g_autofree char *want = g_strconcat (annual_out, ":2: error: column 'workers': '12\xef\xbf\xbd\xef\xbf\xbd\\x0a\\x01",
                                       NULL);
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, want));
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, "... (5006 characters)' is not a number"));
  if (strstr (error->message, "(5006 characters)") == NULL)
    fprintf (stderr, "got '%s'\n", error->message);
  g_error_free (error);
}

/* A copy of tests/data/results/compare whose manifest gives the scenarios
 * `titles` (JSON, parsed into each scenario of that name as "titles"). */
static char *
results_with_titles (const char *const titles[][2], gsize n)
{
  char *dir = psim_test_tmpdir ();
  g_autofree char *src = psim_test_path ("tests/data/results/compare");
  g_autofree char *annual_in = g_build_filename (src, "annual.csv", NULL);
  g_autofree char *annual_out = g_build_filename (dir, "annual.csv", NULL);
  g_autofree char *text = NULL;
  gsize length = 0;
  g_assert (g_file_get_contents (annual_in, &text, &length, NULL));
  g_assert (g_file_set_contents (annual_out, text, (gssize) length, NULL));

  g_autofree char *manifest_in = g_build_filename (src, "manifest.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert (json_parser_load_from_file (parser, manifest_in, NULL));
  JsonArray *scenarios = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                       "scenarios");
  for (gsize i = 0; i < n; i++)
    for (guint k = 0; k < json_array_get_length (scenarios); k++)
      {
        JsonObject *o = json_array_get_object_element (scenarios, k);
        if (strcmp (json_object_get_string_member (o, "name"), titles[i][0]) != 0)
          continue;
        JsonNode *value = json_from_string (titles[i][1], NULL);
        g_assert (value != NULL);
        json_object_set_member (o, "titles", value);
      }
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, json_parser_get_root (parser));
  g_autofree char *manifest_out = g_build_filename (dir, "manifest.json", NULL);
  g_assert (json_generator_to_file (gen, manifest_out, NULL));
  return dir;
}

/* The scenarios' titles follow the chart's language where the manifest
 * gives one (a regional tag serving its language), else the default title. */
static void
test_titles_follow_language (void)
{
  static const char *const titles[][2] = {
    { "lift-cap", "{\"nl\": \"Maximumbeleid opgeheven\"}" },
    { "registration-duty", "{\"nl-NL\": \"Registratieplicht\", \"fr\": \"Enregistrement\"}" },
  };
  g_autofree char *dir = results_with_titles (titles, G_N_ELEMENTS (titles));
  GError *error = NULL;
  g_autoptr (PsimChartData) d = psim_chart_data_load (dir, &error);
  CU_ASSERT_PTR_NULL (error);
  g_clear_error (&error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  CU_ASSERT_STRING_EQUAL (psim_chart_data_scenario_name (d, 3), "lift-cap");
  CU_ASSERT_STRING_EQUAL (psim_chart_data_scenario_label (d, 3, PSIM_LANG_NL), "Maximumbeleid opgeheven");
  CU_ASSERT_STRING_EQUAL (psim_chart_data_scenario_label (d, 3, PSIM_LANG_EN), "Lift the maximum policy");
  CU_ASSERT_STRING_EQUAL (psim_chart_data_scenario_name (d, 1), "registration-duty");
  CU_ASSERT_STRING_EQUAL (psim_chart_data_scenario_label (d, 1, PSIM_LANG_NL), "Registratieplicht");
  CU_ASSERT_STRING_EQUAL (psim_chart_data_scenario_label (d, 1, PSIM_LANG_EN),
                          "Registration duty <with> \"intake\" & fines");
  CU_ASSERT_STRING_EQUAL (psim_chart_data_scenario_label (d, 2, PSIM_LANG_NL), "Same as the baseline");

  g_autofree char *nl = psim_chart_scenario_text (d, 3, PSIM_LANG_NL);
  CU_ASSERT_STRING_EQUAL (nl, "Maximumbeleid opgeheven");
  g_autofree char *caption_nl = psim_chart_caption (d, PSIM_LANG_NL);
  g_autofree char *caption_en = psim_chart_caption (d, PSIM_LANG_EN);
  CU_ASSERT_PTR_NOT_NULL (strstr (caption_nl, "Maximumbeleid opgeheven [lift-cap]"));
  CU_ASSERT_PTR_NULL (strstr (caption_nl, "Lift the maximum policy"));
  CU_ASSERT_PTR_NOT_NULL (strstr (caption_en, "Lift the maximum policy [lift-cap]"));
  CU_ASSERT_PTR_NULL (strstr (caption_en, "Maximumbeleid"));

  /* the Dutch legend draws the Dutch title: the drawing differs from the
   * one of the same results without titles by language (the text itself is
   * not searchable: cairo draws glyphs) */
  PsimChartOptions o_nl = { PSIM_LANG_NL, PSIM_CHART_FORMAT_PNG, 0 };
  g_autofree char *plain_dir = results_with_titles (NULL, 0);
  g_autoptr (PsimChartData) plain = psim_chart_data_load (plain_dir, &error);
  g_clear_error (&error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (plain);
  g_autoptr (GBytes) png = psim_chart_render (d, PSIM_CHART_EXPLOITATION, PSIM_CHART_FORMAT_PNG, &o_nl, NULL);
  g_autoptr (GBytes) png_plain = psim_chart_render (plain, PSIM_CHART_EXPLOITATION, PSIM_CHART_FORMAT_PNG, &o_nl, NULL);
  g_autoptr (GBytes) png_again = psim_chart_render (plain, PSIM_CHART_EXPLOITATION, PSIM_CHART_FORMAT_PNG, &o_nl, NULL);
  CU_ASSERT_FATAL (png != NULL && png_plain != NULL && png_again != NULL);
  CU_ASSERT_TRUE (g_bytes_equal (png_plain, png_again)); /* the comparison below means something */
  CU_ASSERT_FALSE (g_bytes_equal (png, png_plain));
  PsimChartOptions o_en = { PSIM_LANG_EN, PSIM_CHART_FORMAT_PNG, 0 };
  g_autoptr (GBytes) png_en = psim_chart_render (d, PSIM_CHART_EXPLOITATION, PSIM_CHART_FORMAT_PNG, &o_en, NULL);
  g_autoptr (GBytes) png_en_plain = psim_chart_render (plain, PSIM_CHART_EXPLOITATION, PSIM_CHART_FORMAT_PNG, &o_en,
                                                       NULL);
  CU_ASSERT_FATAL (png_en != NULL && png_en_plain != NULL);
  CU_ASSERT_TRUE (g_bytes_equal (png_en, png_en_plain)); /* no English titles given: the default ones */

  /* titles that are not an object of texts: refused, naming the member */
  static const char *const bad[][2] = { { "lift-cap", "[\"Maximumbeleid opgeheven\"]" } };
  g_autofree char *bad_dir = results_with_titles (bad, G_N_ELEMENTS (bad));
  PsimChartData *none = psim_chart_data_load (bad_dir, &error);
  CU_ASSERT_PTR_NULL (none);
  psim_chart_data_free (none);
  CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT));
  CU_ASSERT_PTR_NOT_NULL (error != NULL ? strstr (error->message, "'titles' should be an object") : NULL);
  g_clear_error (&error);
}

/* ---------- the charts ---------- */

typedef struct {
  const guchar *data;
  gsize length;
  gsize pos;
} Reading;

static cairo_status_t
read_bytes (void *closure, unsigned char *out, unsigned int length)
{
  Reading *r = closure;
  if (r->pos + length > r->length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (out, r->data + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

/* Distinct colours in a PNG, or -1 if it does not load; its width in *width. */
static int
png_colours (const guchar *data, gsize length, int *width)
{
  Reading r = { data, length, 0 };
  cairo_surface_t *s = cairo_image_surface_create_from_png_stream (read_bytes, &r);
  if (cairo_surface_status (s) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (s);
      return -1;
    }
  *width = cairo_image_surface_get_width (s);
  int h = cairo_image_surface_get_height (s), stride = cairo_image_surface_get_stride (s);
  const unsigned char *px = cairo_image_surface_get_data (s);
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < *width; x++)
      {
        guint32 v = *(const guint32 *) (px + (gsize) y * (gsize) stride + (gsize) x * 4) & 0xffffff;
        g_hash_table_add (seen, GUINT_TO_POINTER (v + 1));
      }
  cairo_surface_destroy (s);
  return (int) g_hash_table_size (seen);
}

static gboolean
svg_well_formed (const guchar *data, gsize length)
{
  xmlDocPtr doc = xmlReadMemory ((const char *) data, (int) length, "chart.svg", NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL)
    return FALSE;
  xmlNodePtr root = xmlDocGetRootElement (doc);
  gboolean ok = root != NULL && xmlStrcmp (root->name, (const xmlChar *) "svg") == 0;
  xmlFreeDoc (doc);
  return ok;
}

static void
test_render_every_chart (void)
{
  g_autoptr (PsimChartData) d = load ("tests/data/results/compare");
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  for (int lang = 0; lang < PSIM_N_LANGS; lang++)
    for (int c = 0; c < PSIM_N_CHARTS; c++)
      {
        PsimChartOptions o = { (PsimLang) lang, 0, 0 };
        GError *error = NULL;
        g_autoptr (GBytes) svg = psim_chart_render (d, (PsimChartId) c, PSIM_CHART_FORMAT_SVG, &o, &error);
        g_autoptr (GBytes) png = psim_chart_render (d, (PsimChartId) c, PSIM_CHART_FORMAT_PNG, &o, &error);
        g_autoptr (GBytes) pdf = psim_chart_render (d, (PsimChartId) c, PSIM_CHART_FORMAT_PDF, &o, &error);
        CU_ASSERT_PTR_NULL (error);
        CU_ASSERT_FATAL (svg != NULL && png != NULL && pdf != NULL);
        gsize n;
        const guchar *p = g_bytes_get_data (svg, &n);
        CU_ASSERT_TRUE (svg_well_formed (p, n));
        p = g_bytes_get_data (png, &n);
        int width = 0;
        int colours = png_colours (p, n, &width);
        CU_ASSERT (width >= 1200);
        CU_ASSERT (colours > 50); /* text, lines, bands, hatching: far from blank */
        if (colours <= 50)
          fprintf (stderr, "%s: %d colours\n", psim_chart_file_stem ((PsimChartId) c), colours);
        p = g_bytes_get_data (pdf, &n);
        CU_ASSERT (n > 4 && memcmp (p, "%PDF", 4) == 0);
      }
}

static void
test_year_changes_one_year_charts (void)
{
  g_autoptr (PsimChartData) d = load ("tests/data/results/compare");
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  PsimChartOptions last = { PSIM_LANG_EN, 0, 0 }, first = { PSIM_LANG_EN, 0, 2020 }, bad = { PSIM_LANG_EN, 0, 1999 };
  g_autoptr (GBytes) a = psim_chart_render (d, PSIM_CHART_VIOLENCE, PSIM_CHART_FORMAT_PNG, &last, NULL);
  g_autoptr (GBytes) b = psim_chart_render (d, PSIM_CHART_VIOLENCE, PSIM_CHART_FORMAT_PNG, &first, NULL);
  CU_ASSERT_FATAL (a != NULL && b != NULL);
  CU_ASSERT_FALSE (g_bytes_equal (a, b));
  GError *error = NULL;
  CU_ASSERT_PTR_NULL (psim_chart_render (d, PSIM_CHART_VIOLENCE, PSIM_CHART_FORMAT_PNG, &bad, &error));
  CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_USAGE));
  g_clear_error (&error);
  /* the language changes the drawing */
  PsimChartOptions nl = { PSIM_LANG_NL, 0, 0 };
  g_autoptr (GBytes) c = psim_chart_render (d, PSIM_CHART_VIOLENCE, PSIM_CHART_FORMAT_PNG, &nl, NULL);
  CU_ASSERT_FALSE (c == NULL || g_bytes_equal (a, c));
}

/* ---------- the outcomes the charts know, against the results table ---------- */

/* Every outcome the charts and the report read from annual.csv is a column
 * of the table results.c writes, of the same kind and in the file's order;
 * the derived outcomes (computed by the charts) are not columns. A column
 * renamed in results.c and not here would otherwise only show up as
 * "missing column" when a user charts a real run. */
static void
test_metrics_are_result_columns (void)
{
  static const PsimMetricKind kinds[] = {
    [PSIM_COLUMN_COUNT] = PSIM_KIND_COUNT,
    [PSIM_COLUMN_SHARE] = PSIM_KIND_SHARE,
    [PSIM_COLUMN_EUROS] = PSIM_KIND_EUROS,
  };
  CU_ASSERT (PSIM_N_CSV_METRICS > 0 && PSIM_N_CSV_METRICS <= PSIM_N_METRICS);
  gssize previous = -1;
  for (int m = 0; m < PSIM_N_METRICS; m++)
    {
      const PsimMetric *metric = psim_metric ((PsimMetricId) m);
      CU_ASSERT_EQUAL (psim_metric_lookup (metric->name), m);
      gssize c = psim_column_lookup (metric->name);
      if (m >= PSIM_N_CSV_METRICS)
        {
          CU_ASSERT (c < 0);
          continue;
        }
      CU_ASSERT (c >= 0);
      if (c < 0)
        {
          fprintf (stderr, "\n  the charts' outcome %s is not a column of annual.csv (results.c) ", metric->name);
          continue;
        }
      CU_ASSERT_EQUAL (metric->kind, kinds[psim_column ((gsize) c)->kind]);
      CU_ASSERT (c > previous);
      previous = c;
    }
}

/* ---------- the year axis ---------- */

static gboolean
one_two_five (int k)
{
  while (k % 10 == 0)
    k /= 10;
  return k == 1 || k == 2 || k == 5;
}

/* The step before k in 1, 2, 5, 10, 20, 50, ... */
static int
smaller_step (int k)
{
  int scale = 1;
  while (k % 10 == 0)
    {
      k /= 10;
      scale *= 10;
    }
  return k == 5 ? 2 * scale : k == 2 ? scale : scale / 2;
}

/* The labels psim_chart_year_labels chooses, measured as drawn: their extents
 * never overlap (a gap between neighbours), the first year is always there
 * and the last whenever it fits beside the first, and they are every k-th
 * year from the first (k = 1, 2, 5, 10, ...), the fewest skipped that fit. */
static void
test_year_labels_never_overlap (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  const double size = 15, gap = 10;
  static const struct {
    int first, last;
    double width;
    int expected; /* labels, or 0 for any */
  } cases[] = {
    { 2024, 2032, 240, 5 },  /* a panel of the three-panel chart over 2024-2032: every 2nd year */
    { 2024, 2032, 1000, 9 }, /* room for every year: none skipped */
    { 1999, 2030, 120, 0 },  /* narrow, many years */
    { 1999, 2022, 300, 0 },  /* the replay's period */
    { 1900, 2100, 500, 0 },
    { 2001, 2008, 200, 0 },  /* the last year off the regular step */
    { 2000, 2001, 60, 0 },   /* two years, hardly room */
    { 2000, 2010, 20, 1 },   /* not even the first and the last fit: the first alone */
    { 2020, 2020, 100, 1 },  /* one year */
  };
  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      int first = cases[c].first, last = cases[c].last;
      PsimPlotArea a = { 50, 20, cases[c].width, 200, first, last, 0, 1 };
      if (first == last) /* as the charts place one year: in the middle */
        a.x0 = first - 0.5, a.x1 = first + 0.5;
      g_autoptr (GArray) labels = psim_chart_year_labels (cr, &a, first, last, size, gap);
      CU_ASSERT_FATAL (labels->len >= 1);
      if (cases[c].expected > 0)
        CU_ASSERT_EQUAL (labels->len, (guint) cases[c].expected);
      const PsimYearLabel *l = (const PsimYearLabel *) (void *) labels->data;
      CU_ASSERT_EQUAL (l[0].year, first);
      for (guint i = 0; i < labels->len; i++)
        {
          /* the extent is the text as drawn, centred on its year */
          g_autofree char *text = g_strdup_printf ("%d", l[i].year);
          double w = psim_chart_text_width (cr, text, size, PSIM_FONT_REGULAR);
          CU_ASSERT (w > 0);
          CU_ASSERT_DOUBLE_EQUAL (l[i].x, psim_plot_x (&a, l[i].year), 1e-9);
          CU_ASSERT_DOUBLE_EQUAL (l[i].left, l[i].x - w / 2, 1e-9);
          CU_ASSERT_DOUBLE_EQUAL (l[i].right, l[i].x + w / 2, 1e-9);
          CU_ASSERT (l[i].year >= first && l[i].year <= last);
          if (i == 0)
            continue;
          CU_ASSERT (l[i].year > l[i - 1].year);
          CU_ASSERT (l[i].left - l[i - 1].right >= gap); /* never overlapping, never touching */
          if (l[i].left - l[i - 1].right < gap)
            fprintf (stderr, "\n  %d-%d in %g: %d and %d overlap ", first, last, cases[c].width, l[i - 1].year,
                     l[i].year);
        }
      /* the last year whenever it fits beside the first */
      g_autofree char *first_text = g_strdup_printf ("%d", first);
      g_autofree char *last_text = g_strdup_printf ("%d", last);
      double room = psim_plot_x (&a, last) - psim_plot_x (&a, first)
                    - psim_chart_text_width (cr, first_text, size, PSIM_FONT_REGULAR) / 2
                    - psim_chart_text_width (cr, last_text, size, PSIM_FONT_REGULAR) / 2;
      if (last > first && room >= gap)
        CU_ASSERT_EQUAL (l[labels->len - 1].year, last);
      /* a regular step from the first year; only the step into the last may be longer */
      if (labels->len >= 3)
        {
          int k = l[1].year - l[0].year;
          CU_ASSERT (one_two_five (k));
          for (guint i = 2; i + 1 < labels->len; i++)
            CU_ASSERT_EQUAL (l[i].year - l[i - 1].year, k);
          CU_ASSERT (l[labels->len - 1].year - l[labels->len - 2].year < 2 * k);
          /* the fewest skipped: every year at the next smaller step would not fit */
          if (k > 1)
            {
              int smaller = smaller_step (k);
              double step_x = psim_plot_x (&a, first + smaller) - psim_plot_x (&a, first);
              CU_ASSERT (step_x - (l[0].right - l[0].left) < gap);
            }
        }
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static int
count_files (const char *dir, const char *prefix)
{
  int n = 0;
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    n += g_str_has_prefix (name, prefix);
  if (d != NULL)
    g_dir_close (d);
  return n;
}

static void
test_write_all (void)
{
  g_autoptr (PsimChartData) d = load ("tests/data/results/compare");
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  g_autofree char *tmp = psim_test_tmpdir ();
  g_autofree char *dir = g_build_filename (tmp, "new", "results", NULL);
  /* the layout of `permitsim compare`: report.html in the directory, the charts in charts/ */
  g_autofree char *out = g_build_filename (dir, PSIM_CHART_DIR, NULL);
  PsimChartOptions o = { PSIM_LANG_NL, PSIM_CHART_FORMAT_SVG | PSIM_CHART_FORMAT_PNG | PSIM_CHART_FORMAT_PDF, 0 };
  GError *error = NULL;
  CU_ASSERT_TRUE (psim_chart_write_all (d, &o, dir, NULL, &error));
  CU_ASSERT_PTR_NULL (error);
  g_clear_error (&error);
  CU_ASSERT_EQUAL (count_files (dir, ""), 2);
  CU_ASSERT_EQUAL (count_files (dir, "report.html"), 1);
  CU_ASSERT_EQUAL (count_files (dir, PSIM_CHART_DIR), 1);
  CU_ASSERT_EQUAL (count_files (out, ""), PSIM_N_CHARTS * 3);
  CU_ASSERT_EQUAL (count_files (out, "report.html"), 0);
  CU_ASSERT_EQUAL (count_files (out, "."), 0); /* no staged file left behind */
  CU_ASSERT_EQUAL (count_files (dir, "."), 0);
  g_autofree char *pdfinfo_path = g_find_program_in_path ("pdfinfo");
  gboolean pdfinfo = pdfinfo_path != NULL;
  for (int c = 0; c < PSIM_N_CHARTS; c++)
    {
      g_autofree char *name = g_strdup_printf ("%s.pdf", psim_chart_file_stem ((PsimChartId) c));
      g_autofree char *path = g_build_filename (out, name, NULL);
      CU_ASSERT_TRUE (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      if (!pdfinfo)
        continue;
      char *argv[] = { "pdfinfo", path, NULL };
      g_autofree char *stdout_text = NULL;
      int status = -1;
      CU_ASSERT_TRUE (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                    &stdout_text, NULL, &status, NULL));
      CU_ASSERT_TRUE (g_spawn_check_wait_status (status, NULL));
      CU_ASSERT_PTR_NOT_NULL (stdout_text != NULL ? strstr (stdout_text, "Pages:") : NULL);
    }

  /* only the formats asked for; a bad year writes nothing */
  g_autofree char *dir2 = g_build_filename (tmp, "png-only", NULL);
  g_autofree char *out2 = g_build_filename (dir2, PSIM_CHART_DIR, NULL);
  PsimChartOptions png = { PSIM_LANG_EN, PSIM_CHART_FORMAT_PNG, 0 };
  CU_ASSERT_TRUE (psim_chart_write_all (d, &png, dir2, NULL, NULL));
  CU_ASSERT_EQUAL (count_files (out2, ""), PSIM_N_CHARTS);
  CU_ASSERT_EQUAL (count_files (out2, "."), 0);
  g_autofree char *out3 = g_build_filename (tmp, "bad-year", NULL);
  PsimChartOptions bad = { PSIM_LANG_EN, PSIM_CHART_FORMAT_PNG, 2100 };
  CU_ASSERT_FALSE (psim_chart_write_all (d, &bad, out3, NULL, &error));
  g_clear_error (&error);
  CU_ASSERT_FALSE (g_file_test (out3, G_FILE_TEST_EXISTS));

  /* the net-moves chart needs municipalities: left out, the rest written */
  g_autoptr (PsimChartData) s = load ("tests/data/results/with-summary");
  CU_ASSERT_PTR_NOT_NULL_FATAL (s);
  g_autofree char *dir4 = g_build_filename (tmp, "region-only", NULL);
  g_autofree char *out4 = g_build_filename (dir4, PSIM_CHART_DIR, NULL);
  CU_ASSERT_TRUE (psim_chart_write_all (s, &png, dir4, NULL, NULL));
  CU_ASSERT_EQUAL (count_files (out4, ""), PSIM_N_CHARTS - 1);
  CU_ASSERT_EQUAL (count_files (dir4, "report.html"), 1);
  CU_ASSERT_EQUAL (count_files (out4, "net-moves"), 0);
  CU_ASSERT_PTR_NULL (psim_chart_render (s, PSIM_CHART_NET_MOVES, PSIM_CHART_FORMAT_SVG, &png, &error));
  g_clear_error (&error);
}

int
main (void)
{
  static const PsimTestCase csv[] = {
    { "valid records: quotes, line ends, BOM, empty fields", test_csv_valid },
    { "invalid records name the line", test_csv_invalid },
    { "a file larger than the buffer", test_csv_reads_in_chunks },
    { NULL, NULL },
  };
  static const PsimTestCase numbers[] = {
    { "quantiles match R's type 7", test_quantiles_match_r_type7 },
    { "numbers, bands and templates per language", test_numbers_per_language },
    { "--format lists", test_formats_parse },
    { NULL, NULL },
  };
  static const PsimTestCase data[] = {
    { "a comparison directory", test_load_compare },
    { "summary.csv supplies bands where it has them", test_load_summary },
    { "broken results name file and line", test_load_invalid },
    { "an error shows a hostile field readably", test_load_error_shows_hostile_field },
    { "scenario titles follow the chart's language", test_titles_follow_language },
    { "every outcome read is a column of the results table", test_metrics_are_result_columns },
    { NULL, NULL },
  };
  static const PsimTestCase charts[] = {
    { "every chart in every format and language", test_render_every_chart },
    { "the year and the language change the drawing", test_year_changes_one_year_charts },
    { "writing all files", test_write_all },
    { "year labels never overlap, first and last kept", test_year_labels_never_overlap },
    { NULL, NULL },
  };
  psim_test_add_suite ("csv", csv);
  psim_test_add_suite ("numbers", numbers);
  psim_test_add_suite ("results", data);
  psim_test_add_suite ("charts", charts);
  return psim_test_run ();
}
