/* Tests for summary.csv (src/summary.c): type-7 quantiles on vectors whose
 * answers R gives, the layout and order of the rows, undefined values, and
 * that summarising tallies as they come equals summarising the annual.csv
 * the writers made of them. */
#include <math.h>
#include <string.h>

#include "permitsim/error.h"
#include "permitsim/output.h"
#include "permitsim/results.h"
#include "permitsim/summary.h"
#include "testutil.h"

#define CLOSE(a, b) CU_ASSERT_DOUBLE_EQUAL ((a), (b), 1e-12)

/* R: quantile(x, c(0.05, 0.5, 0.95)) (type 7, the default) */
static void
test_quantile_known_vectors (void)
{
  double one_to_ten[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
  CLOSE (psim_quantile_type7 (one_to_ten, 10, 0.05), 1.45);
  CLOSE (psim_quantile_type7 (one_to_ten, 10, 0.5), 5.5);
  CLOSE (psim_quantile_type7 (one_to_ten, 10, 0.95), 9.55);
  CLOSE (psim_quantile_type7 (one_to_ten, 10, 0.0), 1.0);
  CLOSE (psim_quantile_type7 (one_to_ten, 10, 1.0), 10.0);

  /* x <- c(3.2, -1, 7, 7, 0.5), sorted */
  double five[5] = { -1, 0.5, 3.2, 7, 7 };
  CLOSE (psim_quantile_type7 (five, 5, 0.05), -0.7);
  CLOSE (psim_quantile_type7 (five, 5, 0.5), 3.2);
  CLOSE (psim_quantile_type7 (five, 5, 0.95), 7.0);
  CLOSE (psim_quantile_type7 (five, 5, 0.25), 0.5);

  double two[2] = { 1, 3 };
  CLOSE (psim_quantile_type7 (two, 2, 0.05), 1.1);
  CLOSE (psim_quantile_type7 (two, 2, 0.5), 2.0);
  CLOSE (psim_quantile_type7 (two, 2, 0.95), 2.9);

  double single = 42.5;
  CLOSE (psim_quantile_type7 (&single, 1, 0.05), 42.5);
  CLOSE (psim_quantile_type7 (&single, 1, 0.95), 42.5);
  CU_ASSERT (isnan (psim_quantile_type7 (NULL, 0, 0.5)));

  /* 1000 values 0..999: R gives 49.95, 499.5, 949.05 */
  double *many = g_new (double, 1000);
  for (int i = 0; i < 1000; i++)
    many[i] = i;
  CLOSE (psim_quantile_type7 (many, 1000, 0.05), 49.95);
  CLOSE (psim_quantile_type7 (many, 1000, 0.5), 499.5);
  CLOSE (psim_quantile_type7 (many, 1000, 0.95), 949.05);
  g_free (many);
}

static char **
read_lines (const char *path)
{
  g_autofree char *text = NULL;
  GError *error = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (path, &text, NULL, &error));
  return g_strsplit (text, "\n", -1);
}

/* Fills one annual row: every column value v, with the first (a count) set to `count`. */
static void
fill (double *values, double count, double share)
{
  for (gsize c = 0; c < psim_column_count (); c++)
    values[c] = psim_column (c)->kind == PSIM_COLUMN_SHARE ? share : count;
}

static void
test_write_layout_and_order (void)
{
  gsize n_cols = psim_column_count ();
  double *v = g_new (double, n_cols);
  g_autoptr (PsimSummary) s = psim_summary_new ();
  /* two replications, added with 2002 before 2001 and Beta before ALL */
  const double counts[2] = { 10, 13 };
  const double shares[2] = { 0.25, NAN };
  for (int r = 0; r < 2; r++)
    {
      fill (v, counts[r], shares[r]);
      psim_summary_add (s, "baseline", 2002, "Beta", v);
      psim_summary_add (s, "baseline", 2002, "ALL", v);
      fill (v, counts[r] + 100, NAN);
      psim_summary_add (s, "baseline", 2001, "Beta", v);
      psim_summary_add (s, "baseline", 2001, "ALL", v);
    }
  CU_ASSERT_EQUAL (psim_summary_rows (s), 8);
  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "summary.csv", NULL);
  GError *error = NULL;
  CU_ASSERT_FATAL (psim_summary_write (s, path, &error));
  g_auto (GStrv) lines = read_lines (path);
  CU_ASSERT_STRING_EQUAL (lines[0], "scenario,year,municipality,metric,mean,median,p05,p95");
  /* 4 cells x every column, then the empty string after the last '\n' */
  CU_ASSERT_EQUAL (g_strv_length (lines), 1 + 4 * n_cols + 1);

  gssize workers = psim_column_lookup ("workers");
  gssize tested = psim_column_lookup ("tested_12m");
  CU_ASSERT_FATAL (workers >= 0 && tested >= 0);
  /* cells in order: 2001 Beta, 2001 ALL, 2002 Beta, 2002 ALL; metrics in column order */
  CU_ASSERT_STRING_EQUAL (lines[1 + workers], "baseline,2001,Beta,workers,111.500,111.500,110.150,112.850");
  CU_ASSERT_STRING_EQUAL (lines[1 + n_cols + workers], "baseline,2001,ALL,workers,111.500,111.500,110.150,112.850");
  CU_ASSERT_STRING_EQUAL (lines[1 + 2 * n_cols + workers], "baseline,2002,Beta,workers,11.500,11.500,10.150,12.850");
  /* a share undefined in every replication: four empty fields */
  CU_ASSERT_STRING_EQUAL (lines[1 + tested], "baseline,2001,Beta,tested_12m,,,,");
  /* defined in one replication of two: statistics over that one */
  CU_ASSERT_STRING_EQUAL (lines[1 + 2 * n_cols + tested],
                          "baseline,2002,Beta,tested_12m,0.250000,0.250000,0.250000,0.250000");
  g_free (v);
}

static void
test_single_replication (void)
{
  gsize n_cols = psim_column_count ();
  double *v = g_new (double, n_cols);
  fill (v, 7, 0.125);
  g_autoptr (PsimSummary) s = psim_summary_new ();
  psim_summary_add (s, "lift-cap", 2010, "Utrecht", v);
  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "summary.csv", NULL);
  CU_ASSERT_FATAL (psim_summary_write (s, path, NULL));
  g_auto (GStrv) lines = read_lines (path);
  gssize workers = psim_column_lookup ("workers");
  gssize rate = psim_column_lookup ("reporting_rate");
  CU_ASSERT_STRING_EQUAL (lines[1 + workers], "lift-cap,2010,Utrecht,workers,7.000,7.000,7.000,7.000");
  CU_ASSERT_STRING_EQUAL (lines[1 + rate],
                          "lift-cap,2010,Utrecht,reporting_rate,0.125000,0.125000,0.125000,0.125000");
  g_free (v);
}

/* A tally with values that exercise rounding: fractional rents, shares that
 * need more than 6 decimals, an undefined rent. */
static void
synthetic_tally (PsimTally *t, int seed)
{
  memset (t, 0, sizeof *t);
  t->workers = 300 + seed * 7;
  t->sector[PSIM_SECTOR_LICENSED] = 100 + seed;
  t->sector[PSIM_SECTOR_UNLICENSED] = 150;
  t->sector[PSIM_SECTOR_ILLEGAL] = t->workers - 250 - seed;
  t->mode[PSIM_MODE_WINDOW] = 40 + seed % 5;
  t->places[PSIM_MODE_WINDOW] = seed % 3 == 0 ? 0 : 60;
  t->window_rent_places = t->places[PSIM_MODE_WINDOW];
  t->window_rent_sum = t->window_rent_places * (101.0 / 3.0 + seed);
  t->violence_12m[PSIM_VIOLENCE_PHYSICAL] = 17 + seed % 11;
  t->incidents = 91 + seed;
  t->reports = 13 + seed % 4;
  t->tested_12m = 123 + seed;
  t->exploited = seed;
}

/* A region of two municipalities (the second's name needs quoting in CSV),
 * held in `munis`. */
static PsimRegion
two_towns (PsimMunicipality munis[2])
{
  memset (munis, 0, 2 * sizeof *munis);
  munis[0].name = (char *) "Alpha";
  munis[1].name = (char *) "Beta, the second";
  return (PsimRegion) { .name = (char *) "Test", .municipalities = munis, .n_municipalities = 2 };
}

static void
test_tallies_and_file_agree (void)
{
  PsimMunicipality munis[2];
  PsimRegion region = two_towns (munis);

  g_autofree char *root = psim_test_tmpdir ();
  g_autofree char *out_dir = g_build_filename (root, "out", NULL);
  GError *error = NULL;
  PsimOutput *out = psim_output_open (out_dir, FALSE, &error);
  CU_ASSERT_FATAL (out != NULL);

  g_autoptr (PsimSummary) direct = psim_summary_new ();
  int n_groups = psim_group_count ();
  for (uint32_t r = 1; r <= 5; r++)
    {
      PsimRunResult res = { .first_year = 2004, .n_years = 3, .n_municipalities = 2 };
      res.annual = g_new0 (PsimTally, 6);
      res.groups = g_new0 (PsimTally, 3 * n_groups);
      for (int i = 0; i < 6; i++)
        synthetic_tally (&res.annual[i], (int) r * 3 + i);
      CU_ASSERT_FATAL (psim_output_add_run (out, "baseline", r, &region, &res, &error));
      psim_summary_add_run (direct, "baseline", &region, &res);
      psim_run_result_clear (&res);
    }
  PsimManifest manifest = { .seed = 1, .replications = 5, .first_year = 2004, .last_year = 2006,
                            .region = &region };
  CU_ASSERT_FATAL (psim_output_finish (out, &manifest, &error));
  CU_ASSERT_EQUAL (psim_summary_rows (direct), 5 * 3 * 3);

  g_autoptr (PsimSummary) from_file = psim_summary_new ();
  g_autofree char *annual = g_build_filename (out_dir, "annual.csv", NULL);
  CU_ASSERT_FATAL (psim_summary_add_annual_csv (from_file, annual, &error));
  CU_ASSERT_EQUAL (psim_summary_rows (from_file), 5 * 3 * 3);

  g_autofree char *a = g_build_filename (root, "direct.csv", NULL);
  g_autofree char *b = g_build_filename (root, "from-file.csv", NULL);
  CU_ASSERT_FATAL (psim_summary_write (direct, a, NULL));
  CU_ASSERT_FATAL (psim_summary_write (from_file, b, NULL));
  g_autofree char *ta = NULL, *tb = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (a, &ta, NULL, NULL));
  CU_ASSERT_FATAL (g_file_get_contents (b, &tb, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (ta, tb);
  CU_ASSERT (strstr (ta, "\n\"baseline\",") == NULL); /* scenario not quoted needlessly */
  CU_ASSERT (strstr (ta, "baseline,2004,\"Beta, the second\",workers,") != NULL);
}

/* The summary of annual.csv files in bounded memory: however small the
 * budget (every row of summary.csv read in a pass of its own, a few at a
 * time, or all at once), the bytes of the summary kept whole in memory; a
 * bad value in the second file is named there, and nothing is written. */
static char *
write_annual (const char *root, const char *name, const PsimRegion *region, uint32_t from, uint32_t to,
              PsimSummary *direct)
{
  char *dir = g_build_filename (root, name, NULL);
  GError *error = NULL;
  PsimOutput *out = psim_output_open (dir, FALSE, &error);
  g_assert (out != NULL);
  int n_groups = psim_group_count ();
  for (int alt = 0; alt < 2; alt++)
    for (uint32_t r = from; r < to; r++)
      {
        const char *label = alt == 0 ? "baseline" : "alternative";
        PsimRunResult res = { .first_year = 2004, .n_years = 3, .n_municipalities = 2 };
        res.annual = g_new0 (PsimTally, 6);
        res.groups = g_new0 (PsimTally, 3 * n_groups);
        for (int i = 0; i < 6; i++)
          synthetic_tally (&res.annual[i], (int) r * 5 + i + 7 * alt);
        g_assert (psim_output_add_run (out, label, r, region, &res, &error));
        psim_summary_add_run (direct, label, region, &res);
        psim_run_result_clear (&res);
      }
  PsimManifest manifest = { .seed = 1, .replications = to, .first_year = 2004, .last_year = 2006, .region = region };
  g_assert (psim_output_finish (out, &manifest, &error));
  char *annual = g_build_filename (dir, "annual.csv", NULL);
  g_free (dir);
  return annual;
}

static void
test_bounded_memory_same_bytes (void)
{
  PsimMunicipality munis[2];
  PsimRegion region = two_towns (munis);
  g_autofree char *root = psim_test_tmpdir ();
  g_autoptr (PsimSummary) direct = psim_summary_new ();
  g_autofree char *first = write_annual (root, "first", &region, 0, 4, direct);
  g_autofree char *second = write_annual (root, "second", &region, 4, 9, direct);
  /* the rows of both files in order: the first's two scenarios, then the second's */
  g_autoptr (PsimSummary) ordered = psim_summary_new ();
  CU_ASSERT_FATAL (psim_summary_add_annual_csv (ordered, first, NULL)
                   && psim_summary_add_annual_csv (ordered, second, NULL));
  g_autofree char *want_path = g_build_filename (root, "want.csv", NULL);
  CU_ASSERT_FATAL (psim_summary_write (ordered, want_path, NULL));
  g_autofree char *want = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (want_path, &want, NULL, NULL));
  g_autofree char *direct_path = g_build_filename (root, "direct.csv", NULL);
  CU_ASSERT_FATAL (psim_summary_write (direct, direct_path, NULL));
  g_autofree char *from_tallies = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (direct_path, &from_tallies, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (from_tallies, want);

  /* one row of summary.csv's cells holds 9 replications' values */
  guint64 cell = 9 * psim_column_count () * sizeof (double);
  const guint64 budgets[] = { 0, 1, cell, 3 * cell + 5, 1000 * cell };
  const char *files[] = { first, second, NULL };
  for (gsize b = 0; b < G_N_ELEMENTS (budgets); b++)
    {
      g_autofree char *name = g_strdup_printf ("budget-%" G_GSIZE_FORMAT ".csv", b);
      g_autofree char *path = g_build_filename (root, name, NULL);
      GError *error = NULL;
      PsimSummaryStats stats = { 0 };
      CU_ASSERT_TRUE (psim_summary_write_annual (files, path, budgets[b], &stats, &error));
      CU_ASSERT_PTR_NULL (error);
      g_clear_error (&error);
      /* 18 cells (2 scenarios, 3 years, 2 municipalities and the region):
       * one pass when all fit, else one more per group; never more held
       * than the budget and a row, or one cell */
      guint64 row = psim_column_count () * sizeof (double);
      guint want_passes = budgets[b] == 0 || budgets[b] >= 18 * cell ? 1 : budgets[b] <= cell ? 19 : 1 + 6;
      CU_ASSERT_EQUAL (stats.passes, want_passes);
      CU_ASSERT_TRUE (budgets[b] == 0 ? stats.peak_bytes == 18 * cell
                                      : stats.peak_bytes <= MAX (budgets[b], cell) + row);
      g_autofree char *got = NULL;
      CU_ASSERT_TRUE_FATAL (g_file_get_contents (path, &got, NULL, NULL));
      CU_ASSERT_STRING_EQUAL (got, want);
    }

  /* a bad value in the second file, found in a later pass as in the first */
  g_autofree char *text = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (second, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_auto (GStrv) fields = g_strsplit (lines[2], ",", -1);
  g_free (fields[5]);
  fields[5] = g_strdup ("x9");
  g_free (lines[2]);
  lines[2] = g_strjoinv (",", fields);
  g_autofree char *broken = g_strjoinv ("\n", lines);
  CU_ASSERT_FATAL (g_file_set_contents (second, broken, -1, NULL));
  for (gsize b = 0; b < 2; b++)
    {
      g_autofree char *path = g_build_filename (root, "never.csv", NULL);
      GError *error = NULL;
      CU_ASSERT_FALSE (psim_summary_write_annual (files, path, b == 0 ? 0 : 1, NULL, &error));
      CU_ASSERT_TRUE (error != NULL && strstr (error->message, "second/annual.csv:3: error: column") != NULL);
      g_clear_error (&error);
      CU_ASSERT_FALSE (g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

static void
test_bad_annual_files (void)
{
  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *header = psim_table_header (PSIM_TABLE_ANNUAL);
  struct {
    const char *name;
    char *text;
  } cases[] = {
    { "wrong-header.csv", g_strdup ("scenario,replication,year,municipality,nothing\n") },
    { "short-row.csv", g_strdup_printf ("%s\nbaseline,1,2001,A,3\n", header) },
    { "bad-number.csv", NULL },
  };
  GString *bad = g_string_new (header);
  g_string_append (bad, "\nbaseline,1,2001,A");
  for (gsize c = 0; c < psim_column_count (); c++)
    g_string_append (bad, c == 2 ? ",x12" : ",1");
  g_string_append_c (bad, '\n');
  cases[2].text = g_string_free (bad, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].name, NULL);
      CU_ASSERT_FATAL (g_file_set_contents (path, cases[i].text, -1, NULL));
      g_autoptr (PsimSummary) s = psim_summary_new ();
      GError *error = NULL;
      CU_ASSERT_FALSE (psim_summary_add_annual_csv (s, path, &error));
      CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT));
      if (error != NULL)
        CU_ASSERT (strstr (error->message, cases[i].name) != NULL);
      g_clear_error (&error);
      g_free (cases[i].text);
    }
}

int
main (void)
{
  static const PsimTestCase cases[] = {
    { "type-7 quantiles on known vectors", test_quantile_known_vectors },
    { "summary.csv layout, order and undefined values", test_write_layout_and_order },
    { "one replication: p05 = p95 = the value", test_single_replication },
    { "tallies and their annual.csv give the same summary", test_tallies_and_file_agree },
    { "malformed annual.csv is refused", test_bad_annual_files },
    { "bounded memory gives the same bytes", test_bounded_memory_same_bytes },
    { NULL, NULL },
  };
  psim_test_add_suite ("summary", cases);
  return psim_test_run ();
}
