/* Tests for the column table (src/results.c) and the writers (src/output*.c):
 * the documented columns in order, derived values and zero denominators, CSV
 * quoting, locale-proof numbers, write errors, the atomic output directory
 * and manifest.json read back with json-glib. Tallies are built by hand. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "permitsim/error.h"
#include "permitsim/output.h"
#include "permitsim/results.h"
#include "permitsim/chart.h"
#include "testutil.h"

/* The outcome columns exactly as the documentation lists them. */
static const char *const documented_columns[] = {
  "workers", "licensed", "unlicensed", "illegal", "window", "club", "escort_agency",
  "independent_licensed", "home", "street_zone", "street", "licensed_places", "window_places",
  "club_places", "escort_agency_places", "independent_licences", "street_zone_places",
  "window_rent", "waiting", "moved_in", "moved_out", "physical_12m", "sexual_12m",
  "financial_12m", "social_12m", "incidents", "reports", "reporting_rate", "reported_12m",
  "tested_12m", "exploited", "exploitation_detected", "exploitation_exits", "inspections",
  "fines", "evictions", "outings",
};

#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* ---------- helpers ---------- */

static char *
read_file (const char *path)
{
  char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

static void
write_file (const char *path, const char *text)
{
  g_assert (g_file_set_contents (path, text, -1, NULL));
}

/* The value column `name` of a CSV row written for `tally` (no quoting in it). */
static char *
row_field (const char *row, gsize n_keys, const char *name)
{
  gssize col = psim_column_lookup (name);
  g_assert (col >= 0);
  g_auto (GStrv) fields = g_strsplit (row, ",", -1);
  if (g_strv_length (fields) != n_keys + psim_column_count ())
    return g_strdup_printf ("<%u fields>", g_strv_length (fields));
  return g_strdup (fields[n_keys + (gsize) col]);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Every file under dir/rel (rel NULL at the top) with its contents, sorted;
 * directories marked, their files named by their path under dir. */
static void
snapshot_into (GString *s, const char *dir, const char *rel)
{
  g_autofree char *path = rel != NULL ? g_build_filename (dir, rel, NULL) : g_strdup (dir);
  GDir *d = g_dir_open (path, 0, NULL);
  if (d == NULL)
    return;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, rel != NULL ? g_strconcat (rel, "/", name, NULL) : g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *child = g_build_filename (dir, n, NULL);
      g_string_append_printf (s, "[%s]", n);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          g_string_append (s, "<dir>\n");
          snapshot_into (s, dir, n);
          continue;
        }
      g_autofree char *text = read_file (child);
      g_string_append (s, text != NULL ? text : "<unreadable>");
      g_string_append_c (s, '\n');
    }
  g_ptr_array_free (names, TRUE);
}

/* Every file under dir, subdirectories included, with its contents. */
static char *
snapshot (const char *dir)
{
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return g_strdup ("<missing>");
  GString *s = g_string_new (NULL);
  snapshot_into (s, dir, NULL);
  return g_string_free (s, FALSE);
}

/* How many staging directories of `base` are left in `parent`. */
static int
count_staging (const char *parent, const char *base)
{
  g_autofree char *prefix = g_strdup_printf (".%s.tmp-", base);
  int n = 0;
  GDir *d = g_dir_open (parent, 0, NULL);
  g_assert (d != NULL);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  g_dir_close (d);
  return n;
}

static void
fill_tally (PsimTally *t)
{
  memset (t, 0, sizeof *t);
  t->workers = 200;
  t->sector[PSIM_SECTOR_LICENSED] = 120;
  t->sector[PSIM_SECTOR_UNLICENSED] = 50;
  t->sector[PSIM_SECTOR_ILLEGAL] = 30;
  t->mode[PSIM_MODE_WINDOW] = 60;
  t->mode[PSIM_MODE_CLUB] = 40;
  t->mode[PSIM_MODE_ESCORT_AGENCY] = 15;
  t->mode[PSIM_MODE_INDEPENDENT_LICENSED] = 3;
  t->mode[PSIM_MODE_HOME] = 70;
  t->mode[PSIM_MODE_STREET_ZONE] = 2;
  t->mode[PSIM_MODE_STREET] = 10;
  t->places[PSIM_MODE_WINDOW] = 80;
  t->places[PSIM_MODE_CLUB] = 45;
  t->places[PSIM_MODE_ESCORT_AGENCY] = 20;
  t->places[PSIM_MODE_INDEPENDENT_LICENSED] = 4;
  t->places[PSIM_MODE_STREET_ZONE] = 6;
  t->window_rent_sum = 80 * 612.5;
  t->window_rent_places = 80;
  t->waiting = 12;
  t->moved_in = 7;
  t->moved_out = 9;
  t->violence_12m[PSIM_VIOLENCE_PHYSICAL] = 20;
  t->violence_12m[PSIM_VIOLENCE_SEXUAL] = 10;
  t->violence_12m[PSIM_VIOLENCE_FINANCIAL] = 5;
  t->violence_12m[PSIM_VIOLENCE_SOCIAL] = 1;
  t->incidents = 12;
  t->reports = 3;
  t->reported_12m = 8;
  t->tested_12m = 150;
  t->exploited = 4;
  t->exploitation_detected = 1;
  t->exploitation_exits = 2;
  t->inspections = 33;
  t->fines = 5;
  t->evictions = 2;
  t->outings = 1;
}

/* ---------- the column table ---------- */

static void
test_columns_documented (void)
{
  CU_ASSERT_EQUAL_FATAL (psim_column_count (), G_N_ELEMENTS (documented_columns));
  for (gsize i = 0; i < G_N_ELEMENTS (documented_columns); i++)
    {
      CU_ASSERT_STRING_EQUAL (psim_column (i)->name, documented_columns[i]);
      CU_ASSERT_EQUAL (psim_column_lookup (documented_columns[i]), (gssize) i);
      CU_ASSERT (psim_column (i)->description != NULL && *psim_column (i)->description != '\0');
      CU_ASSERT (psim_column (i)->value != NULL);
    }
  CU_ASSERT_EQUAL (psim_column_lookup ("no_such_column"), -1);

  /* kinds: the shares, the rate, the rent; everything else is a count */
  for (gsize i = 0; i < psim_column_count (); i++)
    {
      const PsimColumn *c = psim_column (i);
      PsimColumnKind want = PSIM_COLUMN_COUNT;
      if (g_str_has_suffix (c->name, "_12m") || strcmp (c->name, "reporting_rate") == 0)
        want = PSIM_COLUMN_SHARE;
      else if (strcmp (c->name, "window_rent") == 0)
        want = PSIM_COLUMN_EUROS;
      CU_ASSERT_EQUAL (c->kind, want);
    }
}

static void
test_headers (void)
{
  g_autofree char *annual = psim_table_header (PSIM_TABLE_ANNUAL);
  CU_ASSERT_STRING_EQUAL (
    annual,
    "scenario,replication,year,municipality,workers,licensed,unlicensed,illegal,window,club,"
    "escort_agency,independent_licensed,home,street_zone,street,licensed_places,window_places,"
    "club_places,escort_agency_places,independent_licences,street_zone_places,window_rent,"
    "waiting,moved_in,moved_out,physical_12m,sexual_12m,financial_12m,social_12m,incidents,"
    "reports,reporting_rate,reported_12m,tested_12m,exploited,exploitation_detected,"
    "exploitation_exits,inspections,fines,evictions,outings");
  g_autofree char *weekly = psim_table_header (PSIM_TABLE_WEEKLY);
  CU_ASSERT (g_str_has_prefix (weekly, "scenario,replication,year,week_start,municipality,workers,"));
  CU_ASSERT_STRING_EQUAL (strstr (weekly, ",workers,"), strstr (annual, ",workers,"));
  g_autofree char *groups = psim_table_header (PSIM_TABLE_GROUPS);
  CU_ASSERT (g_str_has_prefix (groups, "scenario,replication,year,group_type,group,workers,"));
  CU_ASSERT_STRING_EQUAL (psim_table_file_name (PSIM_TABLE_ANNUAL), "annual.csv");
  CU_ASSERT_STRING_EQUAL (psim_table_file_name (PSIM_TABLE_WEEKLY), "weekly.csv");
  CU_ASSERT_STRING_EQUAL (psim_table_file_name (PSIM_TABLE_GROUPS), "groups.csv");
  CU_ASSERT_EQUAL (psim_table_key_count (PSIM_TABLE_ANNUAL), 4);
  CU_ASSERT_EQUAL (psim_table_key_count (PSIM_TABLE_WEEKLY), 5);
  CU_ASSERT_EQUAL (psim_table_key_count (PSIM_TABLE_GROUPS), 5);
}

static void
test_violence_names (void)
{
  CU_ASSERT_STRING_EQUAL (psim_violence_name (PSIM_VIOLENCE_PHYSICAL), "physical");
  CU_ASSERT_STRING_EQUAL (psim_violence_name (PSIM_VIOLENCE_SEXUAL), "sexual");
  CU_ASSERT_STRING_EQUAL (psim_violence_name (PSIM_VIOLENCE_FINANCIAL), "financial");
  CU_ASSERT_STRING_EQUAL (psim_violence_name (PSIM_VIOLENCE_SOCIAL), "social");
  CU_ASSERT_STRING_EQUAL (psim_violence_name ((PsimViolence) 42), "?");
}

static void
test_tally_add (void)
{
  PsimTally a, b;
  fill_tally (&a);
  fill_tally (&b);
  b.workers = 1;
  b.window_rent_sum = 0.5;
  b.outings = 10;
  b.violence_12m[PSIM_VIOLENCE_SOCIAL] = 4;
  psim_tally_add (&a, &b);
  CU_ASSERT_EQUAL (a.workers, 201);
  CU_ASSERT_EQUAL (a.sector[PSIM_SECTOR_ILLEGAL], 60);
  CU_ASSERT_EQUAL (a.mode[PSIM_MODE_STREET], 20);
  CU_ASSERT_EQUAL (a.places[PSIM_MODE_STREET_ZONE], 12);
  CU_ASSERT_DOUBLE_EQUAL (a.window_rent_sum, 80 * 612.5 + 0.5, 1e-9);
  CU_ASSERT_EQUAL (a.window_rent_places, 160);
  CU_ASSERT_EQUAL (a.violence_12m[PSIM_VIOLENCE_SOCIAL], 5);
  CU_ASSERT_EQUAL (a.violence_12m[PSIM_VIOLENCE_PHYSICAL], 40);
  CU_ASSERT_EQUAL (a.outings, 11);
  CU_ASSERT_EQUAL (a.exploitation_exits, 4);
  CU_ASSERT_EQUAL (a.tested_12m, 300);

  /* every field adds: a zero tally plus t is t, byte for byte */
  PsimTally zero = { 0 }, t;
  fill_tally (&t);
  psim_tally_add (&zero, &t);
  CU_ASSERT_EQUAL (memcmp (&zero, &t, sizeof t), 0);
}

static double
value (const char *name, const PsimTally *t)
{
  gssize i = psim_column_lookup (name);
  g_assert (i >= 0);
  return psim_column ((gsize) i)->value (t);
}

static void
test_derived_values (void)
{
  PsimTally t;
  fill_tally (&t);
  CU_ASSERT_DOUBLE_EQUAL (value ("workers", &t), 200, 0);
  CU_ASSERT_DOUBLE_EQUAL (value ("illegal", &t), 30, 0);
  CU_ASSERT_DOUBLE_EQUAL (value ("home", &t), 70, 0);
  CU_ASSERT_DOUBLE_EQUAL (value ("licensed_places", &t), 80 + 45 + 20 + 4 + 6, 0);
  CU_ASSERT_DOUBLE_EQUAL (value ("independent_licences", &t), 4, 0);
  CU_ASSERT_DOUBLE_EQUAL (value ("street_zone_places", &t), 6, 0);
  CU_ASSERT_DOUBLE_EQUAL (value ("window_rent", &t), 612.5, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (value ("physical_12m", &t), 0.1, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (value ("sexual_12m", &t), 0.05, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (value ("financial_12m", &t), 0.025, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (value ("social_12m", &t), 0.005, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (value ("reporting_rate", &t), 0.25, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (value ("reported_12m", &t), 0.04, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (value ("tested_12m", &t), 0.75, 1e-12);

  /* zero denominators: undefined, not 0 and not a division by zero */
  PsimTally empty = { 0 };
  empty.incidents = 0;
  empty.reports = 0;
  empty.fines = 3;
  CU_ASSERT (isnan (value ("reporting_rate", &empty)));
  CU_ASSERT (isnan (value ("window_rent", &empty)));
  CU_ASSERT (isnan (value ("physical_12m", &empty)));
  CU_ASSERT (isnan (value ("tested_12m", &empty)));
  CU_ASSERT_DOUBLE_EQUAL (value ("workers", &empty), 0, 0);
  CU_ASSERT_DOUBLE_EQUAL (value ("fines", &empty), 3, 0);
}

/* A row as written to a file: counts as integers, shares %.6f, euros %.2f, NaN empty. */
static void
test_row_formatting (void)
{
  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "rows.csv", NULL);
  GError *error = NULL;
  PsimCsv *csv = psim_csv_open (path, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (csv);
  psim_table_write_header (csv, PSIM_TABLE_ANNUAL);
  PsimTally t, none = { 0 };
  fill_tally (&t);
  t.window_rent_sum = 451.0; /* 150.333... a place: rounded to cents */
  t.window_rent_places = 3;
  PsimRowKey key = { .scenario = "baseline", .replication = 0, .year = 2013, .municipality = "Utrecht" };
  psim_table_write_row (csv, PSIM_TABLE_ANNUAL, &key, &t);
  key.municipality = PSIM_OUTPUT_REGION_ROW;
  none.fines = 2;
  psim_table_write_row (csv, PSIM_TABLE_ANNUAL, &key, &none);
  CU_ASSERT_EQUAL (psim_csv_rows (csv), 3);
  CU_ASSERT_TRUE (psim_csv_close (csv, &error));
  CU_ASSERT_PTR_NULL (error);

  g_autofree char *text = read_file (path);
  CU_ASSERT_PTR_NOT_NULL_FATAL (text);
  CU_ASSERT (g_str_has_suffix (text, "\n"));
  CU_ASSERT_PTR_NULL (strchr (text, '\r'));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  CU_ASSERT_EQUAL_FATAL (g_strv_length (lines), 4); /* header, 2 rows, "" after the last \n */
  g_autofree char *header = psim_table_header (PSIM_TABLE_ANNUAL);
  CU_ASSERT_STRING_EQUAL (lines[0], header);
  CU_ASSERT (g_str_has_prefix (lines[1], "baseline,0,2013,Utrecht,200,120,50,30,60,40,15,3,70,2,10,155,80,"));

  struct { const char *column, *row1, *row2; } expect[] = {
    { "workers", "200", "0" },
    { "window_rent", "150.33", "" },
    { "physical_12m", "0.100000", "" },
    { "social_12m", "0.005000", "" },
    { "reporting_rate", "0.250000", "" },
    { "reported_12m", "0.040000", "" },
    { "tested_12m", "0.750000", "" },
    { "incidents", "12", "0" },
    { "fines", "5", "2" },
    { "outings", "1", "0" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      g_autofree char *f1 = row_field (lines[1], 4, expect[i].column);
      g_autofree char *f2 = row_field (lines[2], 4, expect[i].column);
      if (strcmp (f1, expect[i].row1) != 0 || strcmp (f2, expect[i].row2) != 0)
        printf ("\n  column %s: got '%s' and '%s', want '%s' and '%s'\n", expect[i].column, f1,
                f2, expect[i].row1, expect[i].row2);
      CU_ASSERT_STRING_EQUAL (f1, expect[i].row1);
      CU_ASSERT_STRING_EQUAL (f2, expect[i].row2);
    }
}

/* ---------- CSV ---------- */

static void
test_csv_quoting (void)
{
  struct { const char *in, *out; } cases[] = {
    { "Utrecht", "Utrecht" },
    { "Súdwest-Fryslân", "Súdwest-Fryslân" },
    { "Bergen (NH.)", "Bergen (NH.)" },
    { "Nuenen, Gerwen en Nederwetten", "\"Nuenen, Gerwen en Nederwetten\"" },
    { "De \"Wallen\"", "\"De \"\"Wallen\"\"\"" },
    { "two\nlines", "\"two\nlines\"" },
    { "cr\rhere", "\"cr\rhere\"" },
    { " spaced ", " spaced " },
    { "", "" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) s = g_string_new (NULL);
      psim_csv_quote (s, cases[i].in);
      CU_ASSERT_STRING_EQUAL (s->str, cases[i].out);
    }

  /* a whole file: fields joined by commas, rows ended by \n */
  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "q.csv", NULL);
  GError *error = NULL;
  PsimCsv *csv = psim_csv_open (path, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (csv);
  psim_csv_field (csv, "Nuenen, Gerwen en Nederwetten");
  psim_csv_field (csv, NULL);
  psim_csv_field_int (csv, -42);
  psim_csv_field_number (csv, NAN, 6);
  psim_csv_field_number (csv, -0.0000001, 6);
  psim_csv_field_number (csv, 1234567.125, 2);
  psim_csv_end_row (csv);
  psim_csv_field (csv, "say \"hi\"");
  psim_csv_end_row (csv);
  CU_ASSERT_TRUE (psim_csv_close (csv, &error));
  g_autofree char *text = read_file (path);
  CU_ASSERT_STRING_EQUAL (text, "\"Nuenen, Gerwen en Nederwetten\",,-42,,0.000000,1234567.12\n"
                                "\"say \"\"hi\"\"\"\n");
}

static void
test_numbers_ignore_locale (void)
{
  const char *nl = setlocale (LC_NUMERIC, "nl_NL.UTF-8");
  if (nl == NULL)
    nl = setlocale (LC_NUMERIC, "nl_NL.utf8");
  if (nl == NULL)
    {
      printf ("\n  SKIPPED: locale nl_NL.UTF-8 is not installed; numbers were not checked "
              "under a decimal-comma locale ");
      return;
    }
  char probe[32];
  g_snprintf (probe, sizeof probe, "%.1f", 0.5);
  CU_ASSERT_STRING_EQUAL (probe, "0,5"); /* the locale really has a decimal comma */

  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "nl.csv", NULL);
  GError *error = NULL;
  PsimCsv *csv = psim_csv_open (path, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (csv);
  psim_csv_field_number (csv, 0.25, 6);
  psim_csv_field_number (csv, 612.5, 2);
  psim_csv_field_int (csv, 1234567);
  psim_csv_end_row (csv);
  PsimTally t;
  fill_tally (&t);
  PsimRowKey key = { .scenario = "baseline", .year = 2014, .municipality = "Amsterdam" };
  psim_table_write_row (csv, PSIM_TABLE_ANNUAL, &key, &t);
  CU_ASSERT_TRUE (psim_csv_close (csv, &error));
  setlocale (LC_NUMERIC, "C");

  g_autofree char *text = read_file (path);
  CU_ASSERT (g_str_has_prefix (text, "0.250000,612.50,1234567\n"));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *rent = row_field (lines[1], 4, "window_rent");
  g_autofree char *rate = row_field (lines[1], 4, "reporting_rate");
  CU_ASSERT_STRING_EQUAL (rent, "612.50");
  CU_ASSERT_STRING_EQUAL (rate, "0.250000");
}

/* A full disk is reported, with the path, when the file is closed. */
static void
test_write_error_reported (void)
{
  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      printf ("\n  SKIPPED: /dev/full does not exist; a full disk was not simulated ");
      return;
    }
  GError *error = NULL;
  PsimCsv *csv = psim_csv_open ("/dev/full", &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (csv);
  PsimTally t;
  fill_tally (&t);
  PsimRowKey key = { .scenario = "baseline", .year = 2000, .municipality = "Utrecht" };
  for (int i = 0; i < 2000; i++) /* more than any stdio buffer */
    psim_table_write_row (csv, PSIM_TABLE_ANNUAL, &key, &t);
  CU_ASSERT_FALSE (psim_csv_close (csv, &error));
  CU_ASSERT_PTR_NOT_NULL_FATAL (error);
  CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_IO));
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, "/dev/full"));
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, g_strerror (ENOSPC)));
  g_clear_error (&error);

  /* one short row stays in the buffer until the file is flushed: still reported */
  csv = psim_csv_open ("/dev/full", &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (csv);
  psim_table_write_header (csv, PSIM_TABLE_GROUPS);
  CU_ASSERT_FALSE (psim_csv_close (csv, &error));
  CU_ASSERT (error != NULL && strstr (error->message, "/dev/full") != NULL);
  g_clear_error (&error);

  /* a file that cannot be created: the path is in the message */
  g_autofree char *dir = psim_test_tmpdir ();
  g_autofree char *bad = g_build_filename (dir, "missing", "annual.csv", NULL);
  CU_ASSERT_PTR_NULL (psim_csv_open (bad, &error));
  CU_ASSERT (error != NULL && strstr (error->message, bad) != NULL);
  g_clear_error (&error);
}

/* ---------- the output directory ---------- */

static void
test_dir_new (void)
{
  g_autofree char *parent = psim_test_tmpdir ();
  g_autofree char *target = g_build_filename (parent, "nested", "out", NULL);
  g_autofree char *nested = g_build_filename (parent, "nested", NULL);
  GError *error = NULL;
  PsimOutputDir *od = psim_output_dir_begin (target, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (od);
  CU_ASSERT_FALSE (g_file_test (target, G_FILE_TEST_EXISTS)); /* nothing visible yet */
  CU_ASSERT_EQUAL (count_staging (nested, "out"), 1);
  g_autofree char *f = psim_output_dir_file (od, "annual.csv");
  write_file (f, "a\n");
  CU_ASSERT_TRUE (psim_output_dir_commit (od, &error));
  CU_ASSERT_PTR_NULL (error);
  g_autofree char *snap = snapshot (target);
  CU_ASSERT_STRING_EQUAL (snap, "[annual.csv]a\n\n");
  CU_ASSERT_EQUAL (count_staging (nested, "out"), 0);
}

/* A previous output, a run that fails half-way: the directory is byte-identical after. */
static void
test_dir_failure_keeps_previous (void)
{
  g_autofree char *parent = psim_test_tmpdir ();
  g_autofree char *target = g_build_filename (parent, "out", NULL);
  g_assert (g_mkdir (target, 0755) == 0);
  g_autofree char *m = g_build_filename (target, "manifest.json", NULL);
  g_autofree char *a = g_build_filename (target, "annual.csv", NULL);
  g_autofree char *n = g_build_filename (target, "notes.txt", NULL);
  write_file (m, "{\"old\": true}\n");
  write_file (a, "old annual\n");
  write_file (n, "my notes\n");
  g_autofree char *before = snapshot (target);

  GError *error = NULL;
  PsimOutput *out = psim_output_open (target, TRUE, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (out);
  PsimTally t;
  fill_tally (&t);
  PsimRowKey key = { .scenario = "baseline", .year = 2000, .municipality = "Utrecht" };
  psim_table_write_row (psim_output_table (out, PSIM_TABLE_ANNUAL), PSIM_TABLE_ANNUAL, &key, &t);
  /* ... and the simulation fails here */
  psim_output_abort (out);

  g_autofree char *after = snapshot (target);
  CU_ASSERT_STRING_EQUAL (after, before);
  CU_ASSERT_EQUAL (count_staging (parent, "out"), 0);
}

/* A failure while moving files into place is rolled back. */
static void
test_dir_commit_rolls_back (void)
{
  g_autofree char *parent = psim_test_tmpdir ();
  g_autofree char *target = g_build_filename (parent, "out", NULL);
  g_assert (g_mkdir (target, 0755) == 0);
  g_autofree char *m = g_build_filename (target, "manifest.json", NULL);
  g_autofree char *a = g_build_filename (target, "annual.csv", NULL);
  g_autofree char *w = g_build_filename (target, "weekly.csv", NULL);
  g_autofree char *g = g_build_filename (target, "groups.csv", NULL);
  write_file (m, "{\"old\": true}\n");
  write_file (a, "old annual\n");
  write_file (w, "old weekly\n");
  g_assert (g_mkdir (g, 0755) == 0); /* a file cannot be renamed over this directory */
  g_autofree char *before = snapshot (target);

  GError *error = NULL;
  PsimOutputDir *od = psim_output_dir_begin (target, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (od);
  const char *names[] = { "annual.csv", "groups.csv", "manifest.json" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *f = psim_output_dir_file (od, names[i]);
      write_file (f, "new\n");
    }
  CU_ASSERT_FALSE (psim_output_dir_commit (od, &error));
  CU_ASSERT (error != NULL && strstr (error->message, "groups.csv") != NULL);
  g_clear_error (&error);
  g_autofree char *after = snapshot (target);
  CU_ASSERT_STRING_EQUAL (after, before);
  CU_ASSERT_EQUAL (count_staging (parent, "out"), 0);
}

/* A successful run over a previous output replaces its files and leaves the others. */
static void
test_dir_replaces_previous (void)
{
  g_autofree char *parent = psim_test_tmpdir ();
  g_autofree char *target = g_build_filename (parent, "out", NULL);
  g_assert (g_mkdir (target, 0755) == 0);
  const char *old[][2] = {
    { "manifest.json", "{}\n" }, { "annual.csv", "old\n" }, { "weekly.csv", "old weekly\n" },
    { "notes.txt", "mine\n" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (old); i++)
    {
      g_autofree char *f = g_build_filename (target, old[i][0], NULL);
      write_file (f, old[i][1]);
    }
  GError *error = NULL;
  PsimOutputDir *od = psim_output_dir_begin (target, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (od);
  const char *names[] = { "annual.csv", "groups.csv", "manifest.json" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *f = psim_output_dir_file (od, names[i]);
      write_file (f, names[i]);
    }
  CU_ASSERT_TRUE (psim_output_dir_commit (od, &error));
  CU_ASSERT_PTR_NULL (error);
  g_autofree char *after = snapshot (target);
  CU_ASSERT_STRING_EQUAL (after, "[annual.csv]annual.csv\n[groups.csv]groups.csv\n"
                                 "[manifest.json]manifest.json\n[notes.txt]mine\n\n");
  CU_ASSERT_EQUAL (count_staging (parent, "out"), 0);
}

/* Writes "path", "text" pairs under dir, making the subdirectories a path names. */
static void
write_tree (const char *dir, const char *const (*files)[2], gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *f = g_build_filename (dir, files[i][0], NULL);
      g_autofree char *parent = g_path_get_dirname (f);
      g_assert (g_mkdir_with_parents (parent, 0755) == 0);
      write_file (f, files[i][1]);
    }
}

/* A comparison over a previous one: the files of charts/ are replaced one by
 * one, a chart not drawn again is removed, the user's own file in charts/
 * stays, and charts an earlier version left beside the results go. */
static void
test_dir_subdirectory_replaces_previous (void)
{
  g_autofree char *parent = psim_test_tmpdir ();
  g_autofree char *target = g_build_filename (parent, "out", NULL);
  static const char *const old[][2] = {
    { "manifest.json", "{}" }, { "annual.csv", "old" }, { "violence.svg", "old, beside" },
    { "charts/violence.svg", "old svg" }, { "charts/violence.png", "old png" },
    { "charts/notes.txt", "mine" },
  };
  write_tree (target, old, G_N_ELEMENTS (old));
  GError *error = NULL;
  PsimOutputDir *od = psim_output_dir_begin (target, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (od);
  static const char *const staged[][2] = {
    { "annual.csv", "new" }, { "report.html", "report" }, { "charts/violence.svg", "new svg" },
    { "manifest.json", "manifest" },
  };
  write_tree (psim_output_dir_staging (od), staged, G_N_ELEMENTS (staged));
  CU_ASSERT_TRUE (psim_output_dir_commit (od, &error));
  CU_ASSERT_PTR_NULL (error);
  g_clear_error (&error);
  g_autofree char *after = snapshot (target);
  CU_ASSERT_STRING_EQUAL (after, "[annual.csv]new\n[charts]<dir>\n[charts/notes.txt]mine\n"
                                 "[charts/violence.svg]new svg\n[manifest.json]manifest\n"
                                 "[report.html]report\n");
  CU_ASSERT_EQUAL (count_staging (parent, "out"), 0);

  /* into a new directory: the whole tree in one step */
  g_autofree char *fresh = g_build_filename (parent, "fresh", NULL);
  od = psim_output_dir_begin (fresh, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (od);
  write_tree (psim_output_dir_staging (od), staged, G_N_ELEMENTS (staged));
  CU_ASSERT_TRUE (psim_output_dir_commit (od, &error));
  g_clear_error (&error);
  g_autofree char *made = snapshot (fresh);
  CU_ASSERT_STRING_EQUAL (made, "[annual.csv]new\n[charts]<dir>\n[charts/violence.svg]new svg\n"
                                "[manifest.json]manifest\n[report.html]report\n");
}

/* A plain run over a comparison: the charts and the report are not its own,
 * so they go, and charts/ with them unless it holds a file of the user's. */
static void
test_dir_run_over_comparison (void)
{
  g_autofree char *parent = psim_test_tmpdir ();
  static const char *const old[][2] = {
    { "manifest.json", "{}" }, { "annual.csv", "old" }, { "report.html", "report" },
    { "charts/violence.svg", "svg" }, { "charts/violence.pdf", "pdf" },
  };
  static const char *const staged[][2] = { { "annual.csv", "new" }, { "manifest.json", "manifest" } };
  for (int keep = 0; keep < 2; keep++)
    {
      g_autofree char *target = g_build_filename (parent, keep ? "kept" : "out", NULL);
      write_tree (target, old, G_N_ELEMENTS (old));
      if (keep)
        {
          static const char *const mine[][2] = { { "charts/notes.txt", "mine" } };
          write_tree (target, mine, G_N_ELEMENTS (mine));
        }
      GError *error = NULL;
      PsimOutputDir *od = psim_output_dir_begin (target, &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (od);
      write_tree (psim_output_dir_staging (od), staged, G_N_ELEMENTS (staged));
      CU_ASSERT_TRUE (psim_output_dir_commit (od, &error));
      g_clear_error (&error);
      g_autofree char *after = snapshot (target);
      CU_ASSERT_STRING_EQUAL (after, keep ? "[annual.csv]new\n[charts]<dir>\n[charts/notes.txt]mine\n"
                                            "[manifest.json]manifest\n"
                                          : "[annual.csv]new\n[manifest.json]manifest\n");
    }
}

/* A failure while committing a subdirectory changes nothing: a file in the
 * way of charts/, or a later file that cannot be moved after the charts were
 * (the old charts come back, a charts/ the commit made goes). */
static void
test_dir_subdirectory_rolls_back (void)
{
  g_autofree char *parent = psim_test_tmpdir ();
  static const char *const staged[][2] = {
    { "annual.csv", "new" }, { "charts/violence.svg", "new svg" }, { "groups.csv", "new" },
    { "manifest.json", "manifest" },
  };
  for (int c = 0; c < 3; c++)
    {
      g_autofree char *base = g_strdup_printf ("out%d", c);
      g_autofree char *target = g_build_filename (parent, base, NULL);
      static const char *const old[][2] = { { "manifest.json", "{}" }, { "annual.csv", "old" } };
      write_tree (target, old, G_N_ELEMENTS (old));
      g_autofree char *charts = g_build_filename (target, PSIM_CHART_DIR, NULL);
      g_autofree char *groups = g_build_filename (target, "groups.csv", NULL);
      if (c == 0)
        write_file (charts, "a file, not a directory"); /* nothing can go into it */
      else
        g_assert (g_mkdir (groups, 0755) == 0); /* a file cannot be renamed over this directory */
      if (c == 2)
        {
          static const char *const previous[][2] = { { "charts/violence.svg", "old svg" },
                                                     { "charts/notes.txt", "mine" } };
          write_tree (target, previous, G_N_ELEMENTS (previous));
        }
      g_autofree char *before = snapshot (target);
      GError *error = NULL;
      PsimOutputDir *od = psim_output_dir_begin (target, &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (od);
      write_tree (psim_output_dir_staging (od), staged, G_N_ELEMENTS (staged));
      CU_ASSERT_FALSE (psim_output_dir_commit (od, &error));
      const char *named = c == 0 ? charts : groups;
      CU_ASSERT (error != NULL && strstr (error->message, named) != NULL);
      g_clear_error (&error);
      g_autofree char *after = snapshot (target);
      CU_ASSERT_STRING_EQUAL (after, before);
      CU_ASSERT_EQUAL (count_staging (parent, base), 0);
    }
}

static void
test_dir_refuses_foreign (void)
{
  g_autofree char *parent = psim_test_tmpdir ();
  g_autofree char *target = g_build_filename (parent, "photos", NULL);
  g_assert (g_mkdir (target, 0755) == 0);
  g_autofree char *f = g_build_filename (target, "holiday.jpg", NULL);
  write_file (f, "not ours");
  g_autofree char *before = snapshot (target);
  GError *error = NULL;
  CU_ASSERT_PTR_NULL (psim_output_open (target, FALSE, &error));
  CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_IO));
  CU_ASSERT (error != NULL && strstr (error->message, target) != NULL
             && strstr (error->message, "manifest.json") != NULL);
  g_clear_error (&error);
  g_autofree char *after = snapshot (target);
  CU_ASSERT_STRING_EQUAL (after, before);
  CU_ASSERT_EQUAL (count_staging (parent, "photos"), 0);

  /* a regular file in the way */
  CU_ASSERT_PTR_NULL (psim_output_dir_begin (f, &error));
  CU_ASSERT (error != NULL && strstr (error->message, "not a directory") != NULL);
  g_clear_error (&error);

  /* an empty directory is fine */
  g_autofree char *empty = g_build_filename (parent, "empty", NULL);
  g_assert (g_mkdir (empty, 0755) == 0);
  PsimOutputDir *od = psim_output_dir_begin (empty, &error);
  CU_ASSERT_PTR_NOT_NULL (od);
  psim_output_dir_abort (od);
  CU_ASSERT (g_file_test (empty, G_FILE_TEST_IS_DIR));
  CU_ASSERT_EQUAL (count_staging (parent, "empty"), 0);
}

/* ---------- manifest.json ---------- */

typedef struct {
  char *dir;
  char *region_path, *muni_a, *muni_b, *params_path, *scen_path;
  PsimMunicipality munis[3];
  PsimRegion region;
  PsimParamSet params;
  PsimScenario scen[2];
  PsimScenario *scen_ptrs[2];
  char *argv[6];
} ManifestFixture;

static void
fixture_init (ManifestFixture *fx)
{
  memset (fx, 0, sizeof *fx);
  fx->dir = psim_test_tmpdir ();
  fx->region_path = g_build_filename (fx->dir, "region.xml", NULL);
  fx->muni_a = g_build_filename (fx->dir, "a.xml", NULL);
  fx->muni_b = g_build_filename (fx->dir, "b.xml", NULL);
  fx->params_path = g_build_filename (fx->dir, "parameters.xml", NULL);
  fx->scen_path = g_build_filename (fx->dir, "scenario.xml", NULL);
  write_file (fx->region_path, "abc");
  write_file (fx->muni_a, "");
  write_file (fx->muni_b, "abc");
  write_file (fx->params_path, "");
  write_file (fx->scen_path, "abc");

  fx->munis[0].name = "Nuenen, Gerwen en Nederwetten";
  fx->munis[0].path = fx->muni_a;
  fx->munis[1].name = "Utrecht";
  fx->munis[1].path = fx->muni_b;
  fx->munis[2].name = "Utrecht-bis"; /* same file as another: listed once */
  fx->munis[2].path = fx->muni_b;
  fx->region.name = "Test \"region\"";
  fx->region.path = fx->region_path;
  fx->region.municipalities = fx->munis;
  fx->region.n_municipalities = 3;

  fx->params.path = fx->params_path;
  fx->params.entries = g_new0 (PsimParamEntry, psim_param_count ());
  for (gsize i = 0; i < psim_param_count (); i++)
    {
      psim_params_set (&fx->params.values, i, 2.5 + (double) i);
      fx->params.entries[i].value = 2.5 + (double) i;
      fx->params.entries[i].min = 1;
      fx->params.entries[i].max = 10.25;
      fx->params.entries[i].source = i == 0 ? "assumption" : "Proud (2018), p. 12";
    }

  fx->scen[0].name = "lift-cap";
  fx->scen[0].title = "Lift the cap";
  fx->scen[0].path = fx->scen_path;
  fx->scen[1].name = "open-zone";
  fx->scen[1].title = "Open a zone";
  fx->scen[1].path = fx->scen_path;
  fx->scen_ptrs[0] = &fx->scen[0];
  fx->scen_ptrs[1] = &fx->scen[1];

  fx->argv[0] = "permitsim";
  fx->argv[1] = "run";
  fx->argv[2] = "region.xml";
  fx->argv[3] = "--out";
  fx->argv[4] = "dir with \"quotes\"\nand a newline, and ü";
  fx->argv[5] = NULL;
}

static void
fixture_clear (ManifestFixture *fx)
{
  g_free (fx->params.entries);
  g_free (fx->region_path);
  g_free (fx->muni_a);
  g_free (fx->muni_b);
  g_free (fx->params_path);
  g_free (fx->scen_path);
  g_free (fx->dir);
}

static PsimManifest
fixture_manifest (ManifestFixture *fx)
{
  PsimManifest m = {
    .argv = fx->argv,
    .seed = G_GUINT64_CONSTANT (9007199254740993), /* 2^53 + 1: must stay exact */
    .replications = 1,
    .first_year = 2012,
    .last_year = 2014,
    .weekly = FALSE,
    .region = &fx->region,
    .params = &fx->params,
    .scenarios = fx->scen_ptrs,
    .n_scenarios = 2,
  };
  return m;
}

static JsonObject *
find_input (JsonArray *inputs, const char *role, const char *file)
{
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonObject *o = json_array_get_object_element (inputs, i);
      if (strcmp (json_object_get_string_member (o, "role"), role) == 0
          && strcmp (json_object_get_string_member (o, "file"), file) == 0)
        return o;
    }
  return NULL;
}

static void
test_manifest_parses_back (void)
{
  ManifestFixture fx;
  fixture_init (&fx);
  PsimManifest m = fixture_manifest (&fx);
  GError *error = NULL;
  g_autofree char *json = psim_manifest_to_json (&m, NULL, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (json);

  g_autoptr (JsonParser) parser = json_parser_new ();
  CU_ASSERT_TRUE_FATAL (json_parser_load_from_data (parser, json, -1, &error));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (root, "program"), "permitsim");
  CU_ASSERT (strlen (json_object_get_string_member (root, "version")) > 0);
  CU_ASSERT_EQUAL (json_object_get_int_member (root, "seed"), G_GINT64_CONSTANT (9007199254740993));
  CU_ASSERT_EQUAL (json_object_get_int_member (root, "replications"), 1);
  JsonObject *range = json_object_get_object_member (root, "replication_range");
  CU_ASSERT_EQUAL (json_object_get_int_member (range, "from"), 0);
  CU_ASSERT_EQUAL (json_object_get_int_member (range, "to"), 1);
  CU_ASSERT_FALSE (json_object_get_boolean_member (root, "sample_parameters"));
  JsonObject *years = json_object_get_object_member (root, "years");
  CU_ASSERT_EQUAL (json_object_get_int_member (years, "from"), 2012);
  CU_ASSERT_EQUAL (json_object_get_int_member (years, "to"), 2014);
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (root, "scenario"), "lift-cap+open-zone");
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (root, "region"), "Test \"region\"");

  JsonArray *argv = json_object_get_array_member (root, "command_line");
  CU_ASSERT_EQUAL_FATAL (json_array_get_length (argv), 5);
  for (guint i = 0; i < 5; i++)
    CU_ASSERT_STRING_EQUAL (json_array_get_string_element (argv, i), fx.argv[i]);

  JsonArray *scen = json_object_get_array_member (root, "scenarios");
  CU_ASSERT_EQUAL_FATAL (json_array_get_length (scen), 2);
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (json_array_get_object_element (scen, 1),
                                                         "name"), "open-zone");

  /* every input file once, with its SHA-256 */
  JsonArray *inputs = json_object_get_array_member (root, "inputs");
  CU_ASSERT_EQUAL (json_array_get_length (inputs), 5); /* region, 2 municipality files, parameters, scenario */
  struct { const char *role, *file, *sha; } want[] = {
    { "region", fx.region_path, SHA256_ABC },
    { "municipality", fx.muni_a, SHA256_EMPTY },
    { "municipality", fx.muni_b, SHA256_ABC },
    { "parameters", fx.params_path, SHA256_EMPTY },
    { "scenario", fx.scen_path, SHA256_ABC },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    {
      JsonObject *o = find_input (inputs, want[i].role, want[i].file);
      CU_ASSERT_PTR_NOT_NULL (o);
      if (o != NULL)
        CU_ASSERT_STRING_EQUAL (json_object_get_string_member (o, "sha256"), want[i].sha);
    }
  JsonObject *ma = find_input (inputs, "municipality", fx.muni_a);
  if (ma != NULL)
    CU_ASSERT_STRING_EQUAL (json_object_get_string_member (ma, "name"),
                            "Nuenen, Gerwen en Nederwetten");

  /* every parameter, in table order, with value, unit, range and source */
  JsonArray *params = json_object_get_array_member (root, "parameters");
  CU_ASSERT_EQUAL_FATAL (json_array_get_length (params), psim_param_count ());
  for (guint i = 0; i < psim_param_count (); i++)
    {
      JsonObject *p = json_array_get_object_element (params, i);
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (p, "name"), psim_param_info (i)->name);
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (p, "unit"), psim_param_info (i)->unit);
      CU_ASSERT_DOUBLE_EQUAL (json_object_get_double_member (p, "value"), 2.5 + i, 0);
      CU_ASSERT_DOUBLE_EQUAL (json_object_get_double_member (p, "min"), 1, 0);
      CU_ASSERT_DOUBLE_EQUAL (json_object_get_double_member (p, "max"), 10.25, 0);
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (p, "source"),
                              i == 0 ? "assumption" : "Proud (2018), p. 12");
    }

  /* a missing input is an I/O error naming the file */
  g_unlink (fx.scen_path);
  g_autofree char *none = psim_manifest_to_json (&m, NULL, NULL, &error);
  CU_ASSERT_PTR_NULL (none);
  CU_ASSERT (error != NULL && strstr (error->message, fx.scen_path) != NULL);
  g_clear_error (&error);
  fixture_clear (&fx);
}

static void
test_scenario_label (void)
{
  PsimScenario a = { .name = "lift-cap" }, b = { .name = "ban-home" };
  PsimScenario *both[] = { &a, &b };
  g_autofree char *l0 = psim_scenario_label (NULL, 0);
  g_autofree char *l1 = psim_scenario_label (both, 1);
  g_autofree char *l2 = psim_scenario_label (both, 2);
  CU_ASSERT_STRING_EQUAL (l0, "baseline");
  CU_ASSERT_STRING_EQUAL (l1, "lift-cap");
  CU_ASSERT_STRING_EQUAL (l2, "lift-cap+ban-home");
}

/* ---------- a whole output: tables, manifest, directory ---------- */

static void
test_output_end_to_end (void)
{
  ManifestFixture fx;
  fixture_init (&fx);
  PsimManifest m = fixture_manifest (&fx);
  m.weekly = TRUE;
  g_autofree char *target = g_build_filename (fx.dir, "results", NULL);
  GError *error = NULL;
  PsimOutput *out = psim_output_open (target, TRUE, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (out);
  PsimTally t;
  fill_tally (&t);
  PsimRowKey key = { .scenario = "lift-cap+open-zone", .replication = 0, .year = 2012,
                     .municipality = "Nuenen, Gerwen en Nederwetten",
                     .week_start = psim_date_from_ymd (2012, 1, 2),
                     .group_type = "origin", .group = "non-eu-permit" };
  for (int tbl = 0; tbl < PSIM_N_TABLES; tbl++)
    psim_table_write_row (psim_output_table (out, (PsimTable) tbl), (PsimTable) tbl, &key, &t);
  g_autofree char *extra = psim_output_file (out, "summary.csv"); /* another writer's file */
  write_file (extra, "scenario\n");
  CU_ASSERT_TRUE_FATAL (psim_output_finish (out, &m, &error));
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_EQUAL (count_staging (fx.dir, "results"), 0);

  g_autofree char *weekly_path = g_build_filename (target, "weekly.csv", NULL);
  g_autofree char *weekly = read_file (weekly_path);
  CU_ASSERT_PTR_NOT_NULL_FATAL (weekly);
  CU_ASSERT_PTR_NOT_NULL (strstr (weekly, "\nlift-cap+open-zone,0,2012,2012-01-02,"
                                          "\"Nuenen, Gerwen en Nederwetten\",200,"));
  g_autofree char *groups_path = g_build_filename (target, "groups.csv", NULL);
  g_autofree char *groups = read_file (groups_path);
  CU_ASSERT_PTR_NOT_NULL (strstr (groups, "\nlift-cap+open-zone,0,2012,origin,non-eu-permit,200,"));

  /* the manifest lists each table with the SHA-256 of the file now in place */
  g_autofree char *manifest_path = g_build_filename (target, "manifest.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  CU_ASSERT_TRUE_FATAL (json_parser_load_from_file (parser, manifest_path, &error));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  CU_ASSERT_TRUE (json_object_get_boolean_member (root, "weekly"));
  JsonArray *outputs = json_object_get_array_member (root, "outputs");
  const char *const listed[] = { "annual.csv", "groups.csv", "summary.csv", "weekly.csv" };
  CU_ASSERT_EQUAL_FATAL (json_array_get_length (outputs), G_N_ELEMENTS (listed));
  for (guint i = 0; i < G_N_ELEMENTS (listed); i++)
    {
      JsonObject *o = json_array_get_object_element (outputs, i);
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (o, "file"), listed[i]);
      g_autofree char *path = g_build_filename (target, json_object_get_string_member (o, "file"), NULL);
      g_autofree char *sha = psim_file_sha256 (path, NULL);
      CU_ASSERT_PTR_NOT_NULL (sha);
      if (sha != NULL)
        CU_ASSERT_STRING_EQUAL (json_object_get_string_member (o, "sha256"), sha);
    }

  /* a second run into the same directory without --weekly: weekly.csv goes */
  out = psim_output_open (target, FALSE, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (out);
  CU_ASSERT_PTR_NULL (psim_output_table (out, PSIM_TABLE_WEEKLY));
  m.weekly = FALSE;
  CU_ASSERT_TRUE (psim_output_finish (out, &m, &error));
  CU_ASSERT_FALSE (g_file_test (weekly_path, G_FILE_TEST_EXISTS));
  g_autofree char *summary_path = g_build_filename (target, "summary.csv", NULL);
  CU_ASSERT_FALSE (g_file_test (summary_path, G_FILE_TEST_EXISTS));
  CU_ASSERT_TRUE (g_file_test (groups_path, G_FILE_TEST_IS_REGULAR));

  /* a run whose manifest cannot be written (an input vanished) changes nothing */
  g_autofree char *before = snapshot (target);
  out = psim_output_open (target, TRUE, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (out);
  g_unlink (fx.params_path);
  CU_ASSERT_FALSE (psim_output_finish (out, &m, &error));
  CU_ASSERT (error != NULL && strstr (error->message, fx.params_path) != NULL);
  g_clear_error (&error);
  g_autofree char *after = snapshot (target);
  CU_ASSERT_STRING_EQUAL (after, before);
  CU_ASSERT_EQUAL (count_staging (fx.dir, "results"), 0);
  fixture_clear (&fx);
}

/* ---------- docs/outputs.md documents every column ---------- */

static void
test_docs_list_every_column (void)
{
  g_autofree char *path = psim_test_path ("docs/outputs.md");
  g_autofree char *doc = read_file (path);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  for (gsize i = 0; i < psim_column_count (); i++)
    {
      g_autofree char *cell = g_strdup_printf ("| `%s` |", psim_column (i)->name);
      if (strstr (doc, cell) == NULL)
        printf ("\n  docs/outputs.md has no row for column %s ", psim_column (i)->name);
      CU_ASSERT_PTR_NOT_NULL (strstr (doc, cell));
    }
  for (int t = 0; t < PSIM_N_TABLES; t++)
    for (gsize k = 0; k < psim_table_key_count ((PsimTable) t); k++)
      {
        g_autofree char *cell = g_strdup_printf ("| `%s` |", psim_table_key_name ((PsimTable) t, k));
        CU_ASSERT_PTR_NOT_NULL (strstr (doc, cell));
      }
}

/* Every file a command writes into an output directory is one the directory
 * commit knows, so a later run replaces or removes it (the charts too, by
 * their path in charts/). */
static void
test_dir_knows_every_chart (void)
{
  static const char *const extensions[] = { "svg", "png", "pdf" };
  for (int c = 0; c < PSIM_N_CHARTS; c++)
    for (gsize e = 0; e < G_N_ELEMENTS (extensions); e++)
      {
        g_autofree char *name = g_strdup_printf ("%s/%s.%s", PSIM_CHART_DIR,
                                                 psim_chart_file_stem ((PsimChartId) c), extensions[e]);
        gboolean known = FALSE;
        for (const char *const *n = psim_output_file_names; *n != NULL; n++)
          known = known || strcmp (*n, name) == 0;
        if (!known)
          printf ("\n  output_dir.c does not know %s ", name);
        CU_ASSERT_TRUE (known);
      }
}

int
main (void)
{
  static const PsimTestCase columns[] = {
    { "the column table has the documented names in order", test_columns_documented },
    { "table headers are the documented ones", test_headers },
    { "violence type names", test_violence_names },
    { "tallies add field by field", test_tally_add },
    { "shares, rates and rent mean, zero denominators undefined", test_derived_values },
    { "docs/outputs.md documents every column", test_docs_list_every_column },
    { NULL, NULL },
  };
  static const PsimTestCase csv[] = {
    { "rows: counts, 6-decimal shares, 2-decimal euros, empty when undefined", test_row_formatting },
    { "RFC 4180 quoting only where needed", test_csv_quoting },
    { "numbers unaffected by a decimal-comma locale", test_numbers_ignore_locale },
    { "write errors reported with the path", test_write_error_reported },
    { NULL, NULL },
  };
  static const PsimTestCase dirs[] = {
    { "a new directory appears only at commit", test_dir_new },
    { "a failed run leaves the previous output byte-identical", test_dir_failure_keeps_previous },
    { "a failure while moving into place is rolled back", test_dir_commit_rolls_back },
    { "a run replaces its own files and keeps others", test_dir_replaces_previous },
    { "a subdirectory is replaced file by file, others' files kept", test_dir_subdirectory_replaces_previous },
    { "a run over a comparison removes its charts", test_dir_run_over_comparison },
    { "a failure in a subdirectory is rolled back", test_dir_subdirectory_rolls_back },
    { "a non-empty directory without manifest.json is refused", test_dir_refuses_foreign },
    { "the directory knows every chart file", test_dir_knows_every_chart },
    { NULL, NULL },
  };
  static const PsimTestCase manifest[] = {
    { "manifest.json parses back with the right hashes", test_manifest_parses_back },
    { "scenario label", test_scenario_label },
    { "tables, manifest and directory together", test_output_end_to_end },
    { NULL, NULL },
  };
  psim_test_add_suite ("columns", columns);
  psim_test_add_suite ("csv", csv);
  psim_test_add_suite ("output directory", dirs);
  psim_test_add_suite ("manifest", manifest);
  return psim_test_run ();
}
