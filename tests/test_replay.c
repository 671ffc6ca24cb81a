/* Tests for replay (src/replay*.c): the bundled targets table is complete and
 * well-formed; broken tables are refused with every problem and its line;
 * measures compute what annual.csv and groups.csv show; verdicts follow the
 * rules; targets.csv has the documented header; the batch runner gives the
 * same numbers on one thread and on several. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csvread.h"
#include "permitsim/error.h"
#include "permitsim/loader.h"
#include "permitsim/replay.h"
#include "testutil.h"

static PsimTargetSet *
load_bundled_targets (void)
{
  g_autofree char *path = psim_test_path ("municipalities/targets.csv");
  GError *error = NULL;
  PsimTargetSet *set = psim_target_set_load (path, &error);
  if (set == NULL)
    fprintf (stderr, "%s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL (set);
  return set;
}

static const PsimTarget *
find_target (const PsimTargetSet *set, const char *name)
{
  for (guint i = 0; i < psim_target_set_size (set); i++)
    if (strcmp (psim_target_set_get (set, i)->name, name) == 0)
      return psim_target_set_get (set, i);
  return NULL;
}

/* ---------- the bundled table ---------- */

/* Read as a plain CSV (not through the loader): every row has every column,
 * nothing required is empty, roles and rules are from the documented sets. */
static void
test_bundled_table_well_formed (void)
{
  g_autofree char *path = psim_test_path ("municipalities/targets.csv");
  GError *error = NULL;
  g_autoptr (PsimCsvReader) reader = psim_csv_reader_open (path, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (reader);
  CU_ASSERT_TRUE_FATAL (psim_csv_reader_next (reader, &error));
  guint n_cols = g_strv_length ((char **) psim_target_columns);
  CU_ASSERT_EQUAL_FATAL (psim_csv_reader_n_fields (reader), n_cols);
  for (guint i = 0; i < n_cols; i++)
    CU_ASSERT_STRING_EQUAL (psim_csv_reader_field (reader, i), psim_target_columns[i]);
  guint rows = 0;
  while (psim_csv_reader_next (reader, &error))
    {
      rows++;
      CU_ASSERT_EQUAL_FATAL (psim_csv_reader_n_fields (reader), n_cols);
      const char *role = psim_csv_reader_field (reader, 1);
      CU_ASSERT (strcmp (role, "calibration") == 0 || strcmp (role, "validation") == 0);
      const char *rule = psim_csv_reader_field (reader, 5);
      CU_ASSERT (strcmp (rule, "within") == 0 || strcmp (rule, "above") == 0
                 || strcmp (rule, "below") == 0);
      for (guint c = 0; c < n_cols; c++)
        if (c != 2 && c != 3) /* fitted_by and parameter are empty for validation */
          CU_ASSERT (psim_csv_reader_field (reader, c)[0] != '\0');
      char *end = NULL;
      double tol = g_ascii_strtod (psim_csv_reader_field (reader, 7), &end);
      CU_ASSERT (*end == '\0' && tol >= 0 && isfinite (tol));
    }
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT (rows >= 20);
}

/* Through the loader: it loads, binds to the bundled region, reads only years
 * of the replayed period, holds the figures the replay must be compared with,
 * and no figure is both a calibration and a validation target. */
static void
test_bundled_table_complete (void)
{
  g_autoptr (PsimTargetSet) set = load_bundled_targets ();
  g_autofree char *region_path = psim_test_path ("municipalities/netherlands.xml");
  GError *error = NULL;
  g_autoptr (PsimRegion) region = psim_region_load (region_path, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (region);
  CU_ASSERT_TRUE (psim_target_set_bind (set, region, &error));
  CU_ASSERT_PTR_NULL (error);

  static const char *const calibration[] = {
    "physical_violence_12m", "sexual_violence_12m", "financial_violence_12m",
    "social_violence_12m", "reported_to_police_12m", "tested_12m", "worker_population_2000",
  };
  static const char *const validation[] = {
    "licensed_workers_fell_2000_2014", "unlicensed_workers_grew_2000_2014",
    "illegal_workers_grew_2000_2014", "utrecht_2013_moves_out", "utrecht_2013_others_gain",
    "ever_exploited_migrants",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (calibration); i++)
    {
      const PsimTarget *t = find_target (set, calibration[i]);
      CU_ASSERT_PTR_NOT_NULL_FATAL (t);
      CU_ASSERT_EQUAL (t->role, PSIM_TARGET_CALIBRATION);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (validation); i++)
    {
      const PsimTarget *t = find_target (set, validation[i]);
      CU_ASSERT_PTR_NOT_NULL_FATAL (t);
      CU_ASSERT_EQUAL (t->role, PSIM_TARGET_VALIDATION);
    }
  /* the published figures of the 2018 survey, as the project's list gives them */
  CU_ASSERT_DOUBLE_EQUAL (find_target (set, "physical_violence_12m")->published, 0.60, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (find_target (set, "sexual_violence_12m")->published, 0.78, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (find_target (set, "financial_violence_12m")->published, 0.58, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (find_target (set, "social_violence_12m")->published, 0.93, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (find_target (set, "reported_to_police_12m")->published, 0.20, 1e-12);

  guint fitted = 0;
  for (guint i = 0; i < psim_target_set_size (set); i++)
    {
      const PsimTarget *t = psim_target_set_get (set, i);
      int a, b;
      psim_measure_years (t->measure, &a, &b);
      CU_ASSERT (a >= 1999 && b <= 2022);
      if (t->role == PSIM_TARGET_VALIDATION)
        {
          CU_ASSERT (t->fitted_by == PSIM_FIT_NONE && t->parameters[0] == NULL);
        }
      else
        {
          CU_ASSERT (t->fitted_by != PSIM_FIT_NONE);
        }
      if (t->fitted_by == PSIM_FIT_CALIBRATE)
        {
          fitted++;
          CU_ASSERT (t->tolerance > 0 && t->rule == PSIM_TARGET_WITHIN);
        }
      /* no figure in both roles: neither the same name nor the same measure */
      for (guint j = 0; j < i; j++)
        {
          const PsimTarget *o = psim_target_set_get (set, j);
          CU_ASSERT (strcmp (o->name, t->name) != 0);
          if (o->role != t->role)
            {
              CU_ASSERT (strcmp (psim_measure_text (o->measure), psim_measure_text (t->measure)) != 0);
            }
        }
    }
  CU_ASSERT_EQUAL (fitted, 6);
}

/* ---------- broken tables ---------- */

#define HEADER "target,role,fitted_by,parameter,measure,rule,published,tolerance,source,justification\n"
#define GOOD "a,calibration,calibrate,violence.base.physical,physical_12m:2001,within,0.6,0.06,s,j\n"

typedef struct {
  const char *name;
  const char *text;   /* the table */
  const char *expect; /* in the message */
  int line;           /* the line reported (0: not checked) */
} BadTable;

static const BadTable bad_tables[] = {
  { "empty file", "", "empty file", 1 },
  { "wrong header", "target,role\n", "header must be exactly", 1 },
  { "missing column", HEADER "a,calibration,calibrate,violence.base.physical,physical_12m:2001,within,0.6,0.06,s\n",
    "9 fields, not 10", 2 },
  { "unknown role", HEADER "a,both,,,physical_12m:2001,within,0.6,0.06,s,j\n", "is not calibration or validation", 2 },
  { "validation with a fit", HEADER "a,validation,hand,violence.mode.window,physical_12m:2001,within,0.6,0.06,s,j\n",
    "a validation target has nothing fitted to it", 2 },
  { "calibration without a fit", HEADER "a,calibration,,,physical_12m:2001,within,0.6,0.06,s,j\n",
    "says what was fitted to it", 2 },
  { "calibrate with two parameters", HEADER "a,calibration,calibrate,violence.base.physical report.intercept,physical_12m:2001,within,0.6,0.06,s,j\n",
    "exactly one parameter", 2 },
  { "unknown parameter", HEADER "a,calibration,calibrate,violence.base.fysical,physical_12m:2001,within,0.6,0.06,s,j\n",
    "\"violence.base.fysical\" is not a parameter", 2 },
  { "calibrate to a direction", HEADER "a,calibration,calibrate,violence.base.physical,physical_12m:2001,above,0.6,0.06,s,j\n",
    "the rule must be within", 2 },
  { "undeclared tolerance", HEADER "a,calibration,hand,violence.mode.window,physical_12m:2001,within,0.6,,s,j\n",
    "tolerance \"\" is not a number >= 0 (declare one)", 2 },
  { "negative tolerance", HEADER "a,validation,,,physical_12m:2001,within,0.6,-0.1,s,j\n", "not a number >= 0", 2 },
  { "published not a number", HEADER "a,validation,,,physical_12m:2001,within,60%,0.1,s,j\n", "is not a number", 2 },
  { "no source", HEADER "a,validation,,,physical_12m:2001,within,0.6,0.1,,j\n", "no source", 2 },
  { "no justification", HEADER "a,validation,,,physical_12m:2001,within,0.6,0.1,s,\n", "no justification", 2 },
  { "unknown rule", HEADER "a,validation,,,physical_12m:2001,near,0.6,0.1,s,j\n", "is not within, above or below", 2 },
  { "unknown column in a measure", HEADER "a,validation,,,physcal_12m:2001,within,0.6,0.1,s,j\n",
    "\"physcal_12m\" is not an outcome column", 2 },
  { "no year", HEADER "a,validation,,,physical_12m,within,0.6,0.1,s,j\n", "gives no year", 2 },
  { "years out of order", HEADER "a,validation,,,physical_12m:2005-2001,within,0.6,0.1,s,j\n", "in order", 2 },
  { "unknown group", HEADER "a,validation,,,physical_12m@workplace=brothel:2001,within,0.6,0.1,s,j\n",
    "no group \"brothel\" of type \"workplace\"", 2 },
  { "three terms", HEADER "a,validation,,,workers:2001 - workers:2000 - workers:1999,above,0,0,s,j\n",
    "at most one", 2 },
  { "a name twice", HEADER GOOD "a,validation,,,workers:2001,within,1,1,s,j\n", "given twice (first on line 2)", 3 },
  { "a figure in both roles", HEADER GOOD "b,validation,,,physical_12m:2001,within,0.6,0.06,s,j\n",
    "a figure that calibrates cannot validate", 3 },
};

static void
test_bad_tables_refused (void)
{
  g_autofree char *dir = psim_test_tmpdir ();
  for (gsize i = 0; i < G_N_ELEMENTS (bad_tables); i++)
    {
      const BadTable *b = &bad_tables[i];
      g_autofree char *path = g_build_filename (dir, "targets.csv", NULL);
      CU_ASSERT_TRUE_FATAL (g_file_set_contents (path, b->text, -1, NULL));
      GError *error = NULL;
      PsimTargetSet *set = psim_target_set_load (path, &error);
      CU_ASSERT_PTR_NULL (set);
      if (set != NULL || error == NULL)
        {
          fprintf (stderr, "  table \"%s\" was accepted\n", b->name);
          psim_target_set_free (set);
          continue;
        }
      CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT));
      if (strstr (error->message, b->expect) == NULL)
        fprintf (stderr, "  table \"%s\": message \"%s\" lacks \"%s\"\n", b->name, error->message,
                 b->expect);
      CU_ASSERT_PTR_NOT_NULL (strstr (error->message, b->expect));
      g_autofree char *where = g_strdup_printf ("%s:%d: error:", path, b->line);
      CU_ASSERT_PTR_NOT_NULL (strstr (error->message, where));
      g_error_free (error);
    }
}

/* Every bad row of a file is reported, each with its own line; a good file loads. */
static void
test_every_problem_reported (void)
{
  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "targets.csv", NULL);
  const char *text = HEADER GOOD
    "b,validation,,,physcal_12m:2001,within,0.6,0.1,s,j\n"
    "c,validation,,,workers:2001,within,1,1,s,j\n"
    "d,sometimes,,,workers:2001,within,1,1,s,j\n";
  CU_ASSERT_TRUE_FATAL (g_file_set_contents (path, text, -1, NULL));
  GError *error = NULL;
  CU_ASSERT_PTR_NULL (psim_target_set_load (path, &error));
  CU_ASSERT_PTR_NOT_NULL_FATAL (error);
  g_autofree char *line3 = g_strdup_printf ("%s:3: error:", path);
  g_autofree char *line5 = g_strdup_printf ("%s:5: error:", path);
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, line3));
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, line5));
  g_clear_error (&error);

  const char *good = HEADER GOOD "c,validation,,,workers:2001,within,1,1,\"s, with a comma\",j\n";
  CU_ASSERT_TRUE_FATAL (g_file_set_contents (path, good, -1, NULL));
  g_autoptr (PsimTargetSet) set = psim_target_set_load (path, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (set);
  CU_ASSERT_EQUAL (psim_target_set_size (set), 2);
  CU_ASSERT_STRING_EQUAL (psim_target_set_get (set, 1)->source, "s, with a comma");
  CU_ASSERT_EQUAL (psim_target_set_get (set, 1)->line, 3);
}

/* ---------- measures ---------- */

/* A hand-made result: 2 municipalities, years 2000-2002, every group. */
static void
fake_result (PsimRunResult *r)
{
  memset (r, 0, sizeof *r);
  r->first_year = 2000;
  r->n_years = 3;
  r->n_municipalities = 2;
  r->annual = g_new0 (PsimTally, 6);
  r->groups = g_new0 (PsimTally, 3 * (gsize) psim_group_count ());
  for (int y = 0; y < 3; y++)
    for (int m = 0; m < 2; m++)
      {
        PsimTally *t = &r->annual[y * 2 + m];
        t->workers = 100 * (m + 1) + 10 * y;       /* 100, 110, 120 | 200, 210, 220 */
        t->sector[PSIM_SECTOR_ILLEGAL] = 10 * (y + 1) * (m + 1);
        t->sector[PSIM_SECTOR_LICENSED] = t->workers - t->sector[PSIM_SECTOR_ILLEGAL];
        t->violence_12m[PSIM_VIOLENCE_PHYSICAL] = t->workers / 2;
        t->moved_out = 5 + y * m;
        t->ever_exploited = 3 * (m + 1);
      }
  /* groups: workers in window (the workplace group) and eu origin */
  int n_groups = psim_group_count ();
  for (int g = 0; g < n_groups; g++)
    for (int y = 0; y < 3; y++)
      {
        PsimTally *t = &r->groups[y * n_groups + g];
        t->workers = 10 + g;
        t->violence_12m[PSIM_VIOLENCE_PHYSICAL] = g;
        t->ever_exploited = 1;
      }
}

static double
eval_text (const char *text, const PsimRegion *region, const PsimRunResult *r)
{
  GError *error = NULL;
  g_autoptr (PsimMeasure) m = psim_measure_parse (text, &error);
  if (m == NULL)
    fprintf (stderr, "%s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL (m);
  if (region != NULL)
    CU_ASSERT_TRUE_FATAL (psim_measure_bind (m, region, NULL));
  return psim_measure_eval (m, r);
}

static int
group_index (const char *type, const char *name)
{
  for (int g = 0; g < psim_group_count (); g++)
    if (strcmp (psim_group_type_name (psim_group_type (g)), type) == 0
        && strcmp (psim_group_name (g), name) == 0)
      return g;
  return -1;
}

static void
test_measures_compute_the_columns (void)
{
  PsimRunResult r;
  fake_result (&r);
  PsimMunicipality munis[2] = { { .name = (char *) "Aa" }, { .name = (char *) "Bee Dorp" } };
  PsimRegion region = { .name = (char *) "fake", .municipalities = munis, .n_municipalities = 2 };

  /* the region: sums over municipalities */
  CU_ASSERT_DOUBLE_EQUAL (eval_text ("workers@ALL:2000", NULL, &r), 300, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (eval_text ("workers:2000-2002", NULL, &r), (300 + 320 + 340) / 3.0, 1e-9);
  /* a share column is the share of the summed counts, as in annual.csv's ALL row */
  CU_ASSERT_DOUBLE_EQUAL (eval_text ("physical_12m:2001", NULL, &r), (55 + 105) / 320.0, 1e-9);
  /* a ratio of sums of count columns */
  CU_ASSERT_DOUBLE_EQUAL (eval_text ("illegal/workers:2002", NULL, &r), (30 + 60) / 340.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (eval_text ("licensed+illegal/workers:2002", NULL, &r), 1.0, 1e-12);
  /* one municipality (a name with a space), and every other one */
  CU_ASSERT_DOUBLE_EQUAL (eval_text ("workers@Bee Dorp:2001", &region, &r), 210, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (eval_text ("workers@-Bee Dorp:2001", &region, &r), 110, 1e-9);
  /* difference and ratio of two terms */
  CU_ASSERT_DOUBLE_EQUAL (eval_text ("workers:2002 - workers:2000", NULL, &r), 40, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (eval_text ("moved_out@Bee Dorp:2002 / moved_out@Bee Dorp:2000-2001", &region, &r),
                          7.0 / 5.5, 1e-12);
  /* ever_exploited, a tally with no column of its own */
  CU_ASSERT_DOUBLE_EQUAL (eval_text ("ever_exploited/workers:2000", NULL, &r), 9.0 / 300, 1e-12);
  /* groups: a sum of the groups named */
  int window = group_index ("workplace", "window");
  int eu = group_index ("origin", "eu"), undoc = group_index ("origin", "undocumented");
  CU_ASSERT_FATAL (window >= 0 && eu >= 0 && undoc >= 0);
  CU_ASSERT_DOUBLE_EQUAL (eval_text ("physical_12m@workplace=window:2001", NULL, &r),
                          (double) window / (10 + window), 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (eval_text ("ever_exploited/workers@origin=eu+undocumented:2000", NULL, &r),
                          2.0 / (20 + eu + undoc), 1e-12);
  /* undefined: a year outside the run, a zero denominator */
  CU_ASSERT (isnan (eval_text ("workers:2003", NULL, &r)));
  CU_ASSERT (isnan (eval_text ("workers:1999-2000", NULL, &r)));
  CU_ASSERT (isnan (eval_text ("workers/exploited:2000", NULL, &r)));

  /* a municipality the region lacks is refused when binding */
  GError *error = NULL;
  g_autoptr (PsimMeasure) m = psim_measure_parse ("workers@Cee:2000", &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (m);
  CU_ASSERT_FALSE (psim_measure_bind (m, &region, &error));
  CU_ASSERT (error != NULL && strstr (error->message, "no municipality \"Cee\"") != NULL);
  g_clear_error (&error);
  int a, b;
  g_autoptr (PsimMeasure) two = psim_measure_parse ("workers:2004 - workers:1999-2001", NULL);
  psim_measure_years (two, &a, &b);
  CU_ASSERT (a == 1999 && b == 2004);
  psim_run_result_clear (&r);
}

/* ---------- verdicts and targets.csv ---------- */

/* Three targets over results whose value is the replication's number 0..19
 * (through moved_out of the region in 2000): within, above and below. */
static void
test_verdicts_and_targets_csv (void)
{
  g_autoptr (PsimTargetSet) set = psim_target_set_new ();
  const char *rows[][10] = {
    { "mid", "validation", "", "", "moved_out:2000", "within", "10", "0.5", "s", "j" },
    { "far", "validation", "", "", "moved_out:2000 - workers:2000", "within", "100", "1", "s, t", "j" },
    { "up", "validation", "", "", "moved_out:2000 / workers:2000", "above", "0", "0", "s", "j" },
    { "up-margin", "validation", "", "", "workers:2000 - moved_out:2000", "above", "0", "1000", "s", "j" },
    { "down", "validation", "", "", "moved_out:2000 - workers:2000", "below", "-50", "0", "s", "j" },
    { "never", "validation", "", "", "moved_out:2010", "within", "1", "1", "s", "j" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    CU_ASSERT_TRUE_FATAL (psim_target_set_add (set, rows[i], (int) i + 2, NULL));
  g_autoptr (PsimComparison) c = psim_comparison_new (set);
  for (int rep = 0; rep < 20; rep++)
    {
      PsimRunResult r = { .first_year = 2000, .n_years = 1, .n_municipalities = 1 };
      r.annual = g_new0 (PsimTally, 1);
      r.annual[0].workers = 100;
      r.annual[0].moved_out = rep;
      psim_comparison_add_run (c, &r);
      psim_run_result_clear (&r);
    }
  CU_ASSERT_EQUAL (psim_comparison_runs (c), 20);
  PsimTargetResult res;
  psim_comparison_result (c, 0, &res);
  CU_ASSERT_DOUBLE_EQUAL (res.median, 9.5, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (res.p05, 0.95, 1e-12); /* type 7: 0.05 x 19 */
  CU_ASSERT_DOUBLE_EQUAL (res.p95, 18.05, 1e-12);
  CU_ASSERT_EQUAL (res.verdict, PSIM_VERDICT_PASS); /* |9.5 - 10| <= 0.5 */
  psim_comparison_result (c, 1, &res);
  CU_ASSERT_EQUAL (res.verdict, PSIM_VERDICT_FAIL);
  psim_comparison_result (c, 2, &res); /* p05 = 0.0095 > 0 */
  CU_ASSERT_EQUAL (res.verdict, PSIM_VERDICT_PASS);
  psim_comparison_result (c, 3, &res); /* the band must clear the margin too */
  CU_ASSERT_EQUAL (res.verdict, PSIM_VERDICT_FAIL);
  psim_comparison_result (c, 4, &res); /* p95 = -81.95 < -50 */
  CU_ASSERT_EQUAL (res.verdict, PSIM_VERDICT_PASS);
  psim_comparison_result (c, 5, &res);
  CU_ASSERT_EQUAL (res.verdict, PSIM_VERDICT_UNDEFINED);
  CU_ASSERT_EQUAL (res.defined, 0);

  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "targets.csv", NULL);
  CU_ASSERT_TRUE_FATAL (psim_comparison_write_csv (c, path, NULL));
  g_autofree char *text = NULL;
  CU_ASSERT_TRUE_FATAL (g_file_get_contents (path, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  CU_ASSERT_STRING_EQUAL (lines[0], "target,role,source,published,model_median,model_p05,"
                                    "model_p95,tolerance,pass");
  CU_ASSERT_STRING_EQUAL (lines[1], "mid,validation,s,10,9.500000,0.950000,18.050000,0.5,true");
  CU_ASSERT_STRING_EQUAL (lines[2], "far,validation,\"s, t\",100,-90.500000,-99.050000,-81.950000,1,false");
  CU_ASSERT_STRING_EQUAL (lines[3], "up,validation,s,>0,0.095000,0.009500,0.180500,0,true");
  CU_ASSERT_STRING_EQUAL (lines[5], "down,validation,s,<-50,-90.500000,-99.050000,-81.950000,0,true");
  CU_ASSERT_STRING_EQUAL (lines[6], "never,validation,s,1,,,,1,");
  CU_ASSERT_STRING_EQUAL (lines[7], "");
  CU_ASSERT_PTR_NULL (lines[8]);
}

/* ---------- the batch runner ---------- */

/* One thread or two, the same numbers; a point with twice the violence
 * hazard shows more violence (the points really differ); each point's mean
 * is the mean of its replications run one by one. */
static void
test_batch_same_on_any_threads (void)
{
  g_autoptr (PsimRegion) region = psim_test_load_region ("tests/data/replay/region.xml");
  g_autoptr (PsimParamSet) params = psim_test_load_params ();
  PsimParams points[2] = { params->values, params->values };
  points[0].burn_in_years = points[1].burn_in_years = 1;
  points[1].violence_physical *= 2;
  PsimMeasure *measures[2] = {
    psim_measure_parse ("physical_12m:2001", NULL),
    psim_measure_parse ("workers@Noordstad:2001", NULL),
  };
  CU_ASSERT_TRUE_FATAL (psim_measure_bind (measures[1], region, NULL));
  PsimBatchSpec spec = { .region = region, .first_year = 2000, .last_year = 2001, .seed = 5,
                         .n_replications = 2, .n_threads = 1 };
  double one[4], two[4];
  GError *error = NULL;
  CU_ASSERT_TRUE_FATAL (psim_batch_evaluate (&spec, points, 2, measures, 2, one, NULL, &error));
  spec.n_threads = 2;
  CU_ASSERT_TRUE_FATAL (psim_batch_evaluate (&spec, points, 2, measures, 2, two, NULL, &error));
  CU_ASSERT_EQUAL (memcmp (one, two, sizeof one), 0);
  CU_ASSERT (one[2] > one[0] + 0.05);
  CU_ASSERT (one[1] > 300 && one[1] <= 700);

  double sum = 0.0;
  for (uint32_t rep = 0; rep < 2; rep++)
    {
      PsimRunSpec run = { .region = region, .params = &points[1], .first_year = 2000,
                          .last_year = 2001, .seed = 5, .replication = rep };
      PsimRunResult r;
      CU_ASSERT_TRUE_FATAL (psim_engine_run (&run, &r, NULL));
      sum += psim_measure_eval (measures[0], &r);
      psim_run_result_clear (&r);
    }
  CU_ASSERT_DOUBLE_EQUAL (two[2], sum / 2, 1e-15);

  /* a point the engine refuses (a burn-in of 1,000 years): an error, or, when
   * failures are counted, undefined means for that point only */
  points[1].burn_in_years = 1000;
  CU_ASSERT_FALSE (psim_batch_evaluate (&spec, points, 2, measures, 2, two, NULL, &error));
  CU_ASSERT (error != NULL && strstr (error->message, "point 1, replication 0: ") != NULL);
  g_clear_error (&error);
  guint failed = 99;
  CU_ASSERT_TRUE (psim_batch_evaluate (&spec, points, 2, measures, 2, two, &failed, &error));
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_EQUAL (failed, 2);
  CU_ASSERT (two[0] == one[0] && two[1] == one[1] && isnan (two[2]) && isnan (two[3]));
  psim_measure_free (measures[0]);
  psim_measure_free (measures[1]);
}

int
main (void)
{
  static const PsimTestCase cases[] = {
    { "the bundled targets table is well-formed", test_bundled_table_well_formed },
    { "the bundled targets table is complete", test_bundled_table_complete },
    { "broken tables are refused with their line", test_bad_tables_refused },
    { "every problem of a table is reported", test_every_problem_reported },
    { "measures compute the columns of annual.csv and groups.csv", test_measures_compute_the_columns },
    { "verdicts follow the rules; targets.csv as documented", test_verdicts_and_targets_csv },
    { "the batch runner gives the same numbers on any threads", test_batch_same_on_any_threads },
    { NULL, NULL },
  };
  psim_test_add_suite ("replay", cases);
  return psim_test_run ();
}
