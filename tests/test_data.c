/* Tests for the bundled data (municipalities/netherlands.xml and the files in nl/):
 * every file loads without a diagnostic, and the national totals and city
 * histories read through the timeline match the published figures the files
 * were built to reproduce (see docs/data.md). */
#include "permitsim/error.h"
#include "permitsim/loader.h"
#include "permitsim/timeline.h"
#include "testutil.h"

#include <string.h>

static PsimRegion *region;

static PsimDate
D (const char *iso)
{
  PsimDate d = psim_date_parse (iso);
  g_assert (d != PSIM_DATE_NONE);
  return d;
}

static const PsimMunicipality *
find (const char *name)
{
  for (int i = 0; region != NULL && i < region->n_municipalities; i++)
    if (strcmp (region->municipalities[i].name, name) == 0)
      return &region->municipalities[i];
  return NULL;
}

static int
find_area (const PsimMunicipality *m, const char *id)
{
  for (int i = 0; i < m->n_areas; i++)
    if (strcmp (m->areas[i].id, id) == 0)
      return i;
  return -1;
}

static void
print_diagnostics (GPtrArray *diagnostics)
{
  if (diagnostics->len > 0)
    {
      g_autofree char *text = psim_diagnostics_to_string (diagnostics);
      fprintf (stderr, "\n%s\n", text);
    }
}

typedef struct {
  int64_t windows, clubs, sex_workers;
} Totals;

static Totals
totals_at (const char *iso)
{
  Totals t = { 0, 0, 0 };
  PsimMuniState st;
  psim_muni_state_init (&st);
  for (int i = 0; i < region->n_municipalities; i++)
    {
      psim_muni_state_at (&st, &region->municipalities[i], &region->national_rules, NULL, 0, D (iso));
      t.windows += psim_muni_state_windows (&st);
      t.clubs += st.clubs;
      t.sex_workers += st.sex_workers;
    }
  psim_muni_state_clear (&st);
  return t;
}

static void
state_of (PsimMuniState *st, const char *name, const char *iso)
{
  const PsimMunicipality *m = find (name);
  g_assert (m != NULL);
  psim_muni_state_at (st, m, &region->national_rules, NULL, 0, D (iso));
}

/* ---------- loading ---------- */

static void
test_region_loads (void)
{
  g_autofree char *path = psim_test_path ("municipalities/netherlands.xml");
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  GError *error = NULL;
  region = psim_region_load (path, diagnostics, &error);
  print_diagnostics (diagnostics);
  CU_ASSERT_PTR_NOT_NULL_FATAL (region);
  CU_ASSERT_PTR_NULL (error);
  g_clear_error (&error);
  CU_ASSERT_EQUAL (diagnostics->len, 0);
  CU_ASSERT_STRING_EQUAL (region->name, "Nederland");
  CU_ASSERT_EQUAL (region->from, D ("1999-01-01"));
  CU_ASSERT_EQUAL (region->to, D ("2022-12-31"));
  CU_ASSERT_EQUAL (region->n_municipalities, 12);
  static const char *const names[] = {
    "Amsterdam", "Den Haag", "Rotterdam", "Utrecht", "Arnhem", "Alkmaar", "Groningen",
    "Eindhoven", "Nijmegen", "Leeuwarden", "Heerlen", "Overig Nederland",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    CU_ASSERT_PTR_NOT_NULL (find (names[i]));
}

static void
test_every_municipality_file_loads (void)
{
  g_autofree char *dir = psim_test_path ("municipalities/nl");
  GDir *d = g_dir_open (dir, 0, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  const char *name;
  int n = 0;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (!g_str_has_suffix (name, ".xml"))
        continue;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
      GError *error = NULL;
      PsimMunicipality m;
      memset (&m, 0, sizeof m);
      gboolean ok = psim_municipality_load (path, &m, diagnostics, &error);
      print_diagnostics (diagnostics);
      CU_ASSERT_TRUE (ok);
      CU_ASSERT_EQUAL (diagnostics->len, 0);
      g_clear_error (&error);
      psim_municipality_clear (&m);
      n++;
    }
  g_dir_close (d);
  CU_ASSERT_EQUAL (n, 12); /* and each is named by the region file */
}

/* ---------- national totals ---------- */

static void
test_national_windows (void)
{
  CU_ASSERT_PTR_NOT_NULL_FATAL (region);
  /* 2,096 registered windows in 1999 and 1,466 in 2009 (Wagenaar et al. 2013),
   * read on 1 July; the Poeldijksestraat (Den Haag) closed in March 1999 */
  CU_ASSERT_EQUAL (totals_at ("1999-07-01").windows, 2096);
  CU_ASSERT_EQUAL (totals_at ("2009-07-01").windows, 1466);
  /* the whole of each year, not only one day */
  CU_ASSERT_EQUAL (totals_at ("2000-12-31").windows, 2096);
  CU_ASSERT_EQUAL (totals_at ("2009-01-01").windows, 1466);
  CU_ASSERT_EQUAL (totals_at ("2009-12-31").windows, 1466);
  /* and they only fall afterwards: no source reports new windows */
  CU_ASSERT_TRUE (totals_at ("2022-07-01").windows <= 1466);
}

static void
test_national_clubs (void)
{
  CU_ASSERT_PTR_NOT_NULL_FATAL (region);
  /* about 800 clubs in 2000 and about 300 in 2014 (Jahnsen & Wagenaar 2018) */
  int64_t c2000 = totals_at ("2000-07-01").clubs;
  int64_t c2014 = totals_at ("2014-07-01").clubs;
  CU_ASSERT_TRUE (c2000 >= 720 && c2000 <= 880);
  CU_ASSERT_TRUE (c2014 >= 270 && c2014 <= 330);
  /* falling year by year in between */
  int64_t prev = c2000;
  for (int y = 2001; y <= 2014; y++)
    {
      char iso[11];
      g_snprintf (iso, sizeof iso, "%04d-07-01", y);
      int64_t c = totals_at (iso).clubs;
      CU_ASSERT_TRUE (c < prev);
      prev = c;
    }
}

static void
test_national_demand (void)
{
  CU_ASSERT_PTR_NOT_NULL_FATAL (region);
  /* ~20,000-30,000 sex workers (Van Mens & Van der Helm 2000) */
  int64_t start = totals_at ("1999-01-01").sex_workers;
  CU_ASSERT_TRUE (start >= 20000 && start <= 30000);
  int64_t end = totals_at ("2022-12-31").sex_workers;
  CU_ASSERT_TRUE (end >= 20000 && end <= 30000);
}

/* ---------- cities ---------- */

static void
test_utrecht_zandpad (void)
{
  const PsimMunicipality *m = find ("Utrecht");
  CU_ASSERT_PTR_NOT_NULL_FATAL (m);
  int z = find_area (m, "zandpad");
  CU_ASSERT_TRUE_FATAL (z >= 0);
  PsimMuniState st;
  psim_muni_state_init (&st);
  static const char *const before[] = { "1999-01-01", "2009-07-01", "2013-03-31" };
  for (gsize i = 0; i < G_N_ELEMENTS (before); i++)
    {
      state_of (&st, "Utrecht", before[i]);
      CU_ASSERT_EQUAL (st.area_windows[z], 143);
    }
  state_of (&st, "Utrecht", "2013-04-01"); /* six boats, 24 places */
  CU_ASSERT_EQUAL (st.area_windows[z], 119);
  static const char *const after[] = { "2013-07-01", "2014-01-01", "2022-12-31" };
  for (gsize i = 0; i < G_N_ELEMENTS (after); i++)
    {
      state_of (&st, "Utrecht", after[i]);
      CU_ASSERT_EQUAL (st.area_windows[z], 0);
    }
  psim_muni_state_clear (&st);
}

static void
test_den_haag_bans_home_work (void)
{
  PsimMuniState st;
  psim_muni_state_init (&st);
  static const char *const dates[] = { "1999-01-01", "2006-07-01", "2022-12-31" };
  for (gsize i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      state_of (&st, "Den Haag", dates[i]);
      CU_ASSERT_EQUAL (st.rules.home_regime, PSIM_HOME_BANNED);
      state_of (&st, "Rotterdam", dates[i]); /* allowed under conditions */
      CU_ASSERT_EQUAL (st.rules.home_regime, PSIM_HOME_ALLOWED);
    }
  psim_muni_state_clear (&st);
}

static void
test_minimum_age_21 (void)
{
  static const struct {
    const char *city, *before, *from;
  } cases[] = {
    { "Amsterdam", "2012-12-31", "2013-01-01" },
    { "Rotterdam", "2014-12-31", "2015-01-01" },
    { "Alkmaar", "2014-12-31", "2015-01-01" },
    { "Groningen", "2016-05-31", "2016-06-01" },
  };
  PsimMuniState st;
  psim_muni_state_init (&st);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      state_of (&st, cases[i].city, cases[i].before);
      CU_ASSERT_EQUAL (st.rules.minimum_age, 18);
      state_of (&st, cases[i].city, cases[i].from);
      CU_ASSERT_EQUAL (st.rules.minimum_age, 21);
    }
  state_of (&st, "Den Haag", "2022-12-31");
  CU_ASSERT_EQUAL (st.rules.minimum_age, 18);
  psim_muni_state_clear (&st);
}

/* The maximum policy: no caps before the brothel ban was lifted, and from
 * 1 October 2000 every municipality's caps equal what existed that day. */
static void
test_caps_frozen_in_2000 (void)
{
  CU_ASSERT_PTR_NOT_NULL_FATAL (region);
  PsimMuniState st;
  psim_muni_state_init (&st);
  for (int i = 0; i < region->n_municipalities; i++)
    {
      const PsimMunicipality *m = &region->municipalities[i];
      psim_muni_state_at (&st, m, &region->national_rules, NULL, 0, D ("2000-09-30"));
      CU_ASSERT_EQUAL (st.rules.permit_cap[PSIM_VENUE_WINDOW], PSIM_UNLIMITED);
      CU_ASSERT_EQUAL (st.rules.permit_cap[PSIM_VENUE_CLUB], PSIM_UNLIMITED);
      psim_muni_state_at (&st, m, &region->national_rules, NULL, 0, D ("2000-10-01"));
      CU_ASSERT_EQUAL (st.rules.permit_cap[PSIM_VENUE_WINDOW], psim_muni_state_windows (&st));
      CU_ASSERT_EQUAL (st.rules.permit_cap[PSIM_VENUE_CLUB], st.clubs);
      CU_ASSERT_EQUAL (st.rules.permit_cap[PSIM_VENUE_ESCORT_AGENCY], st.escort_agencies);
    }
  psim_muni_state_clear (&st);
}

/* Street zones: nine cities opened one; four were left in 2017 (Groningen,
 * Arnhem, Nijmegen, Utrecht; AD/Trouw 2017). */
static void
test_street_zones (void)
{
  CU_ASSERT_PTR_NOT_NULL_FATAL (region);
  int with_zone = 0;
  for (int i = 0; i < region->n_municipalities; i++)
    with_zone += region->municipalities[i].n_zones > 0;
  CU_ASSERT_EQUAL (with_zone, 9);

  static const char *const open_2017[] = { "Groningen", "Arnhem", "Nijmegen", "Utrecht" };
  PsimMuniState st;
  psim_muni_state_init (&st);
  for (int i = 0; i < region->n_municipalities; i++)
    {
      const PsimMunicipality *m = &region->municipalities[i];
      psim_muni_state_at (&st, m, &region->national_rules, NULL, 0, D ("2017-07-01"));
      gboolean expected = FALSE;
      for (gsize k = 0; k < G_N_ELEMENTS (open_2017); k++)
        expected |= strcmp (m->name, open_2017[k]) == 0;
      int open = 0;
      for (int z = 0; z < st.n_zones; z++)
        open += st.zone_open[z] ? 1 : 0;
      CU_ASSERT_EQUAL (open > 0, expected);
    }
  psim_muni_state_clear (&st);
}

/* `permitsim summary` shows the same history on one screen. */
static void
test_summary_command (void)
{
  const char *argv[] = { psim_test_binary (), "summary", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;
  GError *error = NULL;
  gboolean spawned = g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                   &err, &status, &error);
  CU_ASSERT_TRUE_FATAL (spawned);
  g_clear_error (&error);
  CU_ASSERT_TRUE (g_spawn_check_wait_status (status, NULL));
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  int n = 0;
  gboolean total_seen = FALSE;
  for (int i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0' && lines[i + 1] == NULL)
        break; /* after the last newline */
      n++;
      CU_ASSERT_TRUE (g_utf8_strlen (lines[i], -1) <= 100);
      if (g_str_has_prefix (lines[i], "total"))
        {
          total_seen = TRUE;
          /* 1999, 2000, 2006, 2009, 2014, 2022: windows, then clubs */
          CU_ASSERT_PTR_NOT_NULL (strstr (lines[i], " 2096 2096 "));
          CU_ASSERT_PTR_NOT_NULL (strstr (lines[i], " 1466 "));
          CU_ASSERT_PTR_NOT_NULL (strstr (lines[i], "|  800  800 "));
        }
      if (g_str_has_prefix (lines[i], "Den Haag") && strchr (lines[i], '|') == NULL)
        CU_ASSERT_PTR_NOT_NULL (strstr (lines[i], " B18")); /* rules row: home work banned */
    }
  CU_ASSERT_TRUE (total_seen);
  CU_ASSERT_TRUE (n > 12 && n <= 40);
}

int
main (void)
{
  static const PsimTestCase cases[] = {
    { "the region loads without diagnostics", test_region_loads },
    { "every municipality file loads on its own", test_every_municipality_file_loads },
    { "windows: 2,096 in 1999, 1,466 in 2009", test_national_windows },
    { "clubs: ~800 in 2000, ~300 in 2014", test_national_clubs },
    { "sex workers: 20,000-30,000", test_national_demand },
    { "Utrecht: the Zandpad closes in 2013", test_utrecht_zandpad },
    { "Den Haag bans home work", test_den_haag_bans_home_work },
    { "minimum age 21 where the sources say so", test_minimum_age_21 },
    { "caps frozen at the existing number in 2000", test_caps_frozen_in_2000 },
    { "street zones: nine cities, four left in 2017", test_street_zones },
    { "the summary command fits one screen", test_summary_command },
    { NULL, NULL },
  };
  psim_test_add_suite ("data", cases);
  int status = psim_test_run ();
  psim_region_free (region);
  return status;
}
