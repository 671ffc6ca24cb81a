/* Tests for differences.csv (src/compare_diff.c): replications paired by
 * number whatever their row order, a replication the baseline lacks left
 * out, empty fields skipped, a scenario equal to the baseline giving exact
 * zeros, type-7 intervals, and malformed files refused with file and line;
 * and the comparison manifest's outputs (src/compare_manifest.c), the charts
 * by their path in charts/, and the alternatives' titles by language, which
 * the charts and the report then show in their own language. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "chart_private.h"
#include "permitsim/chart.h"
#include "permitsim/compare.h"
#include "permitsim/error.h"
#include "permitsim/loader.h"
#include "permitsim/output.h"
#include "permitsim/results.h"
#include "testutil.h"

/* One annual.csv row: every outcome 0 except the "column=value" pairs given
 * (value "" for an empty field), NULL-terminated. */
static void
add_row (GString *csv, const char *scenario, int replication, const char *municipality, ...)
{
  gsize n = psim_column_count ();
  g_autofree const char **values = g_new0 (const char *, n);
  va_list ap;
  va_start (ap, municipality);
  const char *pair;
  while ((pair = va_arg (ap, const char *)) != NULL)
    {
      const char *eq = strchr (pair, '=');
      g_autofree char *name = g_strndup (pair, (gsize) (eq - pair));
      gssize c = psim_column_lookup (name);
      g_assert (c >= 0);
      values[c] = eq + 1;
    }
  va_end (ap);
  g_string_append_printf (csv, "%s,%d,2020,%s", scenario, replication, municipality);
  for (gsize c = 0; c < n; c++)
    g_string_append_printf (csv, ",%s", values[c] != NULL ? values[c] : "0");
  g_string_append_c (csv, '\n');
}

static GString *
annual_header (void)
{
  g_autofree char *header = psim_table_header (PSIM_TABLE_ANNUAL);
  GString *csv = g_string_new (header);
  g_string_append_c (csv, '\n');
  return csv;
}

/* Writes the text as annual.csv in a scratch directory and returns
 * differences.csv (NULL on failure, error set). */
static char *
differences_of (const GString *annual, GError **error)
{
  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *in = g_build_filename (dir, "annual.csv", NULL);
  g_autofree char *out = g_build_filename (dir, "differences.csv", NULL);
  g_assert (g_file_set_contents (in, annual->str, (gssize) annual->len, NULL));
  if (!psim_compare_differences_write (in, PSIM_COMPARE_BASELINE, out, error))
    return NULL;
  char *text = NULL;
  g_assert (g_file_get_contents (out, &text, NULL, NULL));
  return text;
}

static gboolean
has_line (const char *text, const char *line)
{
  g_autofree char *needle = g_strconcat ("\n", line, "\n", NULL);
  return strstr (text, needle) != NULL;
}

static void
test_pairs_by_replication_number (void)
{
  g_autoptr (GString) csv = annual_header ();
  add_row (csv, "baseline", 0, "ALL", "workers=10", "reporting_rate=", NULL);
  add_row (csv, "baseline", 1, "ALL", "workers=20", "reporting_rate=0.5", NULL);
  add_row (csv, "baseline", 2, "ALL", "workers=30", "reporting_rate=0.5", NULL);
  /* out of order, and a replication the baseline does not have */
  add_row (csv, "alt", 2, "ALL", "workers=33", "reporting_rate=0.6", NULL);
  add_row (csv, "alt", 7, "ALL", "workers=1000", "reporting_rate=0.9", NULL);
  add_row (csv, "alt", 0, "ALL", "workers=11", "reporting_rate=0.6", NULL);
  add_row (csv, "alt", 1, "ALL", "workers=22", "reporting_rate=0.6", "tested_12m=", NULL);
  GError *error = NULL;
  g_autofree char *text = differences_of (csv, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (text);
  CU_ASSERT (g_str_has_prefix (text, "scenario,year,municipality,metric,diff_mean,diff_median,diff_p05,diff_p95\n"));
  /* differences 1, 2, 3: R's quantile(c(1, 2, 3), c(0.05, 0.5, 0.95)) = 1.1, 2, 2.9 */
  CU_ASSERT (has_line (text, "alt,2020,ALL,workers,2.000,2.000,1.100,2.900"));
  /* the baseline's empty field leaves replication 0 out: 0.1 twice */
  CU_ASSERT (has_line (text, "alt,2020,ALL,reporting_rate,0.100000,0.100000,0.100000,0.100000"));
  /* the alternative's empty field leaves replication 1 out; all others are 0 */
  CU_ASSERT (has_line (text, "alt,2020,ALL,tested_12m,0.000000,0.000000,0.000000,0.000000"));
  /* one row per outcome column, and none for the baseline */
  gsize lines = 0;
  for (const char *p = text; *p != '\0'; p++)
    lines += *p == '\n';
  CU_ASSERT_EQUAL (lines, 1 + psim_column_count ());
  CU_ASSERT_PTR_NULL (strstr (text, "\nbaseline,"));
}

static void
test_identical_scenario_gives_zeros (void)
{
  g_autoptr (GString) csv = annual_header ();
  for (int r = 0; r < 3; r++)
    for (int s = 0; s < 2; s++)
      {
        g_autofree char *w = g_strdup_printf ("workers=%d", 100 + 7 * r);
        g_autofree char *rent = g_strdup_printf ("window_rent=%.2f", 150.25 + r);
        add_row (csv, s == 0 ? "baseline" : "same", r, "Teststad", w, rent, "physical_12m=0.123457",
                 "reporting_rate=", NULL);
      }
  GError *error = NULL;
  g_autofree char *text = differences_of (csv, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (text);
  CU_ASSERT (has_line (text, "same,2020,Teststad,workers,0.000,0.000,0.000,0.000"));
  CU_ASSERT (has_line (text, "same,2020,Teststad,window_rent,0.00,0.00,0.00,0.00"));
  CU_ASSERT (has_line (text, "same,2020,Teststad,physical_12m,0.000000,0.000000,0.000000,0.000000"));
  /* never defined in either: nothing pairs, four empty fields */
  CU_ASSERT (has_line (text, "same,2020,Teststad,reporting_rate,,,,"));
}

/* differences.csv in bounded memory: three alternatives and the baseline,
 * two municipalities and the region, three years, replications out of order
 * and one the baseline lacks; whatever the bound (every row of the file
 * read again for each unit, a few units a reading, all at once), the bytes
 * of one reading. A second row for a replication is found past the bound
 * as before it. */
static void
test_bounded_memory_same_bytes (void)
{
  g_autoptr (GString) csv = annual_header ();
  static const char *const scenarios[] = { "baseline", "a", "b", "c" };
  static const char *const places[] = { "Alpha", "Beta", "ALL" };
  for (int year = 2020; year <= 2022; year++)
    for (int s = 0; s < 4; s++)
      for (int r = 0; r < 7; r++)
        {
          int rep = (r * 3) % 7; /* 0, 3, 6, 2, 5, 1, 4 */
          if (s == 0 && rep == 5)
            continue;
          for (int m = 0; m < 3; m++)
            {
              g_autofree char *w = g_strdup_printf ("workers=%d", 100 + 13 * s + 7 * rep + m);
              g_autofree char *rent = g_strdup_printf ("window_rent=%.2f", 150.25 + rep * 1.5 - s);
              g_autofree char *p = g_strdup_printf ("physical_12m=%.6f", 0.5 + 0.01 * (rep + s + m));
              g_string_append (csv, "");
              GString *row = annual_header ();
              g_string_truncate (row, 0);
              add_row (row, scenarios[s], rep, places[m], w, rent, p, NULL);
              /* the year of add_row is 2020: set this one's */
              g_autofree char *year_text = g_strdup_printf (",%d,", year);
              char *at = strstr (row->str, ",2020,");
              g_assert (at != NULL);
              memcpy (at, year_text, strlen (year_text));
              g_string_append (csv, row->str);
              g_string_free (row, TRUE);
            }
        }
  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *in = g_build_filename (dir, "annual.csv", NULL);
  g_assert (g_file_set_contents (in, csv->str, (gssize) csv->len, NULL));
  guint64 row = psim_column_count () * sizeof (double) + 8;
  /* 27 units (3 alternatives x 3 years x 3 places), 7 rows an alternative's cell, 6 the baseline's */
  const struct {
    guint64 budget;
    guint readings;
  } cases[] = { { 0, 1 }, { 1, 1 + 27 }, { 13 * row, 1 + 27 }, { 26 * row, 1 + 14 }, { 10000 * row, 1 } };
  g_autofree char *want = NULL;
  for (gsize k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *name = g_strdup_printf ("differences-%" G_GSIZE_FORMAT ".csv", k);
      g_autofree char *out = g_build_filename (dir, name, NULL);
      guint readings = 0;
      GError *error = NULL;
      CU_ASSERT_TRUE (psim_compare_differences_write_within (in, PSIM_COMPARE_BASELINE, out, cases[k].budget,
                                                             &readings, &error));
      CU_ASSERT_PTR_NULL (error);
      g_clear_error (&error);
      CU_ASSERT_EQUAL (readings, cases[k].readings);
      if (readings != cases[k].readings)
        fprintf (stderr, "budget %" G_GUINT64_FORMAT ": %u readings\n", cases[k].budget, readings);
      g_autofree char *text = NULL;
      CU_ASSERT_TRUE_FATAL (g_file_get_contents (out, &text, NULL, NULL));
      if (k == 0)
        want = g_strdup (text);
      else
        CU_ASSERT_STRING_EQUAL (text, want);
    }
  CU_ASSERT (has_line (want, "c,2022,ALL,workers,39.000,39.000,39.000,39.000"));

  /* a second row for a replication, found in a later reading */
  g_string_append (csv, "c,3,2022,Beta");
  for (gsize c = 0; c < psim_column_count (); c++)
    g_string_append (csv, ",1");
  g_string_append_c (csv, '\n');
  g_assert (g_file_set_contents (in, csv->str, (gssize) csv->len, NULL));
  g_autofree char *never = g_build_filename (dir, "never.csv", NULL);
  GError *error = NULL;
  CU_ASSERT_FALSE (psim_compare_differences_write_within (in, PSIM_COMPARE_BASELINE, never, 1, NULL, &error));
  CU_ASSERT_TRUE (error != NULL && strstr (error->message, "scenario 'c', replication 3: a second row") != NULL);
  g_clear_error (&error);
  /* (what was written of `never` stays in the staging directory the
   * command then throws away, as before the bound) */
}

static void
test_bad_files (void)
{
  struct {
    const char *what;
    const char *expected; /* in the message */
  } cases[] = {
    { "header", "annual.csv:1: error" },
    { "number", "annual.csv:3: error: column workers: not a number: 'many'" },
    { "twice", "annual.csv:4: error: scenario 'alt', replication 0: a second row" },
    { "no baseline", "no rows for the baseline" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) csv = NULL;
      if (i == 0)
        csv = g_string_new ("scenario,replication,year,municipality,workers\nbaseline,0,2020,ALL,1\n");
      else
        {
          csv = annual_header ();
          add_row (csv, i == 3 ? "other" : "baseline", 0, "ALL", NULL);
          add_row (csv, "alt", 0, "ALL", i == 1 ? "workers=many" : "workers=1", NULL);
          add_row (csv, "alt", 0, "ALL", NULL);
        }
      GError *error = NULL;
      g_autofree char *text = differences_of (csv, &error);
      CU_ASSERT_PTR_NULL (text);
      CU_ASSERT_PTR_NOT_NULL_FATAL (error);
      CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT));
      if (strstr (error->message, cases[i].expected) == NULL)
        {
          fprintf (stderr, "%s: got '%s'\n", cases[i].what, error->message);
          CU_FAIL ("the message names the file, line and problem");
        }
      g_error_free (error);
    }
}

/* "outputs" lists every file written, those in charts/ by their path there,
 * in name order, each with its SHA-256; the manifest itself and hidden
 * (staged) files are not listed. */
static void
test_manifest_lists_charts_by_path (void)
{
  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *charts = g_build_filename (dir, PSIM_CHART_DIR, NULL);
  g_assert (g_mkdir (charts, 0755) == 0);
  static const char *const files[][2] = {
    { "manifest.json", "{\"seed\": 1, \"scenario\": \"baseline\"}" },
    { "annual.csv", "abc" },
    { "report.html", "" },
    { PSIM_CHART_DIR "/violence.svg", "abc" },
    { PSIM_CHART_DIR "/exploitation.png", "" },
    { PSIM_CHART_DIR "/.violence.pdf.XXXXXX", "staged" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i][0], NULL);
      g_assert (g_file_set_contents (path, files[i][1], -1, NULL));
    }
  g_autofree char *manifest = g_build_filename (dir, "manifest.json", NULL);
  GError *error = NULL;
  CU_ASSERT_TRUE_FATAL (psim_compare_manifest_update (manifest, NULL, 0, dir, &error));
  g_clear_error (&error);

  g_autoptr (JsonParser) parser = json_parser_new ();
  CU_ASSERT_TRUE_FATAL (json_parser_load_from_file (parser, manifest, NULL));
  JsonObject *m = json_node_get_object (json_parser_get_root (parser));
  CU_ASSERT_EQUAL (json_object_get_int_member (m, "seed"), 1); /* kept */
  CU_ASSERT_FALSE (json_object_has_member (m, "scenario"));
  JsonArray *outputs = json_object_get_array_member (m, "outputs");
  static const char *const expected[][2] = {
    { "annual.csv", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { "charts/exploitation.png", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { "charts/violence.svg", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { "report.html", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
  };
  CU_ASSERT_EQUAL_FATAL (json_array_get_length (outputs), G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *o = json_array_get_object_element (outputs, i);
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (o, "file"), expected[i][0]);
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (o, "sha256"), expected[i][1]);
    }
}

static PsimScenario *
load_scenario (const char *relative)
{
  g_autofree char *path = psim_test_path (relative);
  GError *error = NULL;
  PsimScenario *sc = psim_scenario_load (path, NULL, NULL, &error);
  g_assert_no_error (error);
  return sc;
}

/* A scenario file's titles by language reach the comparison's manifest (an
 * alternative of two scenarios joins them, each falling back to its default
 * title), and the charts and the report take the title in their language. */
static void
test_titles_by_language (void)
{
  g_autoptr (PsimScenario) harbour = load_scenario ("tests/data/valid/scenario-titles.xml");
  g_autoptr (PsimScenario) age = load_scenario ("tests/data/compare/keep-the-age.xml");
  PsimScenario *one[] = { harbour };
  PsimScenario *both[] = { harbour, age };
  const PsimCompareAlternative alts[] = {
    { "open-the-harbour", one, 1 },
    { "open-the-harbour+keep-the-age", both, 2 },
  };

  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *manifest = g_build_filename (dir, "manifest.json", NULL);
  g_assert (g_file_set_contents (manifest, "{\"seed\": 1, \"replications\": 2}", -1, NULL));
  GString *csv = annual_header ();
  static const char *const names[] = { "baseline", "open-the-harbour", "open-the-harbour+keep-the-age" };
  for (gsize n = 0; n < G_N_ELEMENTS (names); n++)
    for (int r = 0; r < 2; r++)
      add_row (csv, names[n], r, "ALL", "workers=100", "illegal=10", NULL);
  g_autofree char *annual = g_build_filename (dir, "annual.csv", NULL);
  g_assert (g_file_set_contents (annual, csv->str, (gssize) csv->len, NULL));
  g_string_free (csv, TRUE);
  GError *error = NULL;
  CU_ASSERT_TRUE_FATAL (psim_compare_manifest_update (manifest, alts, 2, dir, &error));

  /* the manifest: "title" as before, "titles" by language */
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    CU_ASSERT_TRUE_FATAL (json_parser_load_from_file (parser, manifest, NULL));
    JsonObject *m = json_node_get_object (json_parser_get_root (parser));
    JsonArray *scenarios = json_object_get_array_member (m, "scenarios");
    CU_ASSERT_EQUAL_FATAL (json_array_get_length (scenarios), 2);
    JsonObject *a = json_array_get_object_element (scenarios, 0);
    CU_ASSERT_STRING_EQUAL (json_object_get_string_member (a, "title"), "Open the harbour");
    JsonObject *ta = json_object_get_object_member (a, "titles");
    CU_ASSERT_PTR_NOT_NULL_FATAL (ta);
    CU_ASSERT_EQUAL (json_object_get_size (ta), 2);
    CU_ASSERT_STRING_EQUAL (json_object_get_string_member (ta, "nl"), "De haven weer open");
    CU_ASSERT_STRING_EQUAL (json_object_get_string_member (ta, "en-GB"), "Reopen the harbour quarter");
    JsonObject *b = json_array_get_object_element (scenarios, 1);
    CU_ASSERT_STRING_EQUAL (json_object_get_string_member (b, "title"), "Open the harbour + Keep the age");
    JsonObject *tb = json_object_get_object_member (b, "titles");
    CU_ASSERT_PTR_NOT_NULL_FATAL (tb);
    CU_ASSERT_STRING_EQUAL (json_object_get_string_member (tb, "nl"), "De haven weer open + Keep the age");
  }

  /* the charts and the report in Dutch and in English */
  g_autoptr (PsimChartData) d = psim_chart_data_load (dir, &error);
  CU_ASSERT_PTR_NULL (error);
  g_clear_error (&error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  CU_ASSERT_EQUAL_FATAL (psim_chart_data_n_scenarios (d), 3);
  g_autofree char *nl1 = psim_chart_scenario_text (d, 1, PSIM_LANG_NL);
  g_autofree char *nl2 = psim_chart_scenario_text (d, 2, PSIM_LANG_NL);
  g_autofree char *en1 = psim_chart_scenario_text (d, 1, PSIM_LANG_EN);
  g_autofree char *en2 = psim_chart_scenario_text (d, 2, PSIM_LANG_EN);
  CU_ASSERT_STRING_EQUAL (nl1, "De haven weer open");
  CU_ASSERT_STRING_EQUAL (nl2, "De haven weer open + Keep the age");
  CU_ASSERT_STRING_EQUAL (en1, "Reopen the harbour quarter"); /* en-GB serves en */
  CU_ASSERT_STRING_EQUAL (en2, "Reopen the harbour quarter + Keep the age");
  g_autofree char *caption = psim_chart_caption (d, PSIM_LANG_NL);
  CU_ASSERT_PTR_NOT_NULL (strstr (caption, "De haven weer open [open-the-harbour]"));
  CU_ASSERT_PTR_NULL (strstr (caption, "harbour quarter"));

  PsimChartOptions nl = { PSIM_LANG_NL, 0, 0 };
  g_autofree char *html = psim_report_html (d, &nl, &error);
  CU_ASSERT_PTR_NULL (error);
  g_clear_error (&error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (html);
  CU_ASSERT_PTR_NOT_NULL (strstr (html, "De haven weer open + Keep the age"));
  CU_ASSERT_PTR_NULL (strstr (html, "Open the harbour"));
  CU_ASSERT_PTR_NULL (strstr (html, "harbour quarter"));
}

int
main (void)
{
  static const PsimTestCase cases[] = {
    { "replications pair by number; gaps and empty fields left out", test_pairs_by_replication_number },
    { "a scenario equal to the baseline gives exact zeros", test_identical_scenario_gives_zeros },
    { "malformed annual.csv is refused with file and line", test_bad_files },
    { "bounded memory gives the same differences", test_bounded_memory_same_bytes },
    { "the manifest lists the charts by their path in charts/", test_manifest_lists_charts_by_path },
    { "titles by language reach the manifest, the charts and the report", test_titles_by_language },
    { NULL, NULL },
  };
  psim_test_add_suite ("compare", cases);
  return psim_test_run ();
}
