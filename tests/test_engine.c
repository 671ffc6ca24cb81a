/* Tests for the simulation engine (src/engine*.c): conservation of workers,
 * places never exceeded, closures that evict and displace, caps and bans,
 * enforcement and reporting, reproducibility and common random numbers, the
 * neutral violence hazards, and the Zandpad closure from the bundled data.
 * Fixtures are regions built in C, with the bundled parameter file. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"
#include "permitsim/loader.h"
#include "testutil.h"

/* ---------- fixtures ---------- */

/* The shared fixtures (testutil.h) under the names the tests use. */
#define bundled_params psim_test_bundled_params
#define add_area psim_test_add_area
#define add_zone psim_test_add_zone
#define add_event psim_test_add_event
#define spec_for psim_test_spec
#define run_ok psim_test_engine_run

/* A region for 2000-2004. */
static PsimRegion *
region_new (void)
{
  return psim_test_region_new ("fixture", 2000, 2004);
}

/* Adds a town of 100,000 and returns its index (pointers into the array move). */
static int
region_add (PsimRegion *r, const char *name, int32_t demand, int32_t clubs, int32_t agencies,
            PsimHomeRegime home)
{
  return psim_test_region_add (r, name, 100000, demand, clubs, agencies, home);
}

/* A one-change scenario for every municipality from a date. */
static PsimScenario *
scenario_new (int year, PsimActionKind kind)
{
  return psim_test_scenario_new ("fixture-scenario", year, kind);
}

/* Three cities with something changing every year: areas closing, clubs
 * going, a zone closing, a cap lifted, registration, licences. */
static PsimRegion *
three_cities (void)
{
  PsimRegion *r = region_new ();
  int a = region_add (r, "Aastad", 1200, 10, 5, PSIM_HOME_NON_COMMERCIAL);
  add_area (r, a, "centrum", 100);
  add_area (r, a, "haven", 60);
  add_zone (r, a, "zone", 30);
  int b = region_add (r, "Beedorp", 600, 5, 3, PSIM_HOME_BANNED);
  add_area (r, b, "ramen", 50);
  int c = region_add (r, "Ceeveen", 800, 8, 4, PSIM_HOME_LICENCE_REQUIRED);
  r->municipalities[c].rules.home_licences = 20;
  PsimAction *act = add_event (r, a, 2000, 10, 1, PSIM_ACTION_RULES);
  act->rules.set = PSIM_RULE_CAP_CLUB | PSIM_RULE_CAP_WINDOW;
  act->rules.permit_cap[PSIM_VENUE_CLUB] = 10;
  act->rules.permit_cap[PSIM_VENUE_WINDOW] = 160;
  act = add_event (r, a, 2001, 3, 1, PSIM_ACTION_CLOSE_WINDOWS);
  act->target = 0;
  add_event (r, a, 2001, 9, 1, PSIM_ACTION_CLOSE_STREET_ZONE);
  act = add_event (r, b, 2001, 1, 1, PSIM_ACTION_RULES);
  act->rules.set = PSIM_RULE_REGISTRATION | PSIM_RULE_CAP_CLUB;
  act->rules.registration = true;
  act->rules.permit_cap[PSIM_VENUE_CLUB] = PSIM_UNLIMITED;
  act = add_event (r, c, 2001, 6, 1, PSIM_ACTION_SET_CLUBS);
  act->count = 3;
  act = add_event (r, c, 2002, 1, 1, PSIM_ACTION_RULES);
  act->rules.set = PSIM_RULE_HOME_WORK;
  act->rules.home_regime = PSIM_HOME_LICENCE_REQUIRED;
  act->rules.home_licences = 5;
  return r;
}

static const PsimTally *
annual (const PsimRunResult *r, int year_index, int m)
{
  return &r->annual[(gsize) year_index * (gsize) r->n_municipalities + (gsize) m];
}

static int32_t
count_population (const PsimEngine *e, int m)
{
  int32_t n = 0;
  for (gsize i = 0; i < e->workers.n; i++)
    n += e->workers.muni[i] == m;
  return n;
}

static int32_t
count_mode (const PsimEngine *e, int m, PsimMode mode)
{
  int32_t n = 0;
  for (gsize i = 0; i < e->workers.n; i++)
    n += e->workers.muni[i] == m && e->workers.mode[i] == mode;
  return n;
}

/* ---------- conservation and places ---------- */

/* Every week: the invariants hold (no mode holds more workers than its
 * places; the engine's counts match the workers), and each municipality's
 * change in workers is exactly entries - exits + moves in - moves out. */
static void
test_conservation_and_capacity (void)
{
  g_autoptr (PsimRegion) r = three_cities ();
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  PsimRunSpec spec = spec_for (r, &p, 2000, 2002, 11);
  PsimRunResult result;
  GError *error = NULL;
  PsimEngine *e = psim_engine_new (&spec, &result, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  int breaches = 0, unbalanced = 0, moves = 0, entries = 0, exits = 0, full_weeks = 0;
  int32_t before[3];
  while (e->week < e->total_weeks)
    {
      for (int m = 0; m < 3; m++)
        before[m] = count_population (e, m);
      psim_engine_step (e);
      if (!psim_engine_check (e, &error))
        {
          if (breaches++ == 0)
            fprintf (stderr, "%s\n", error->message);
          g_clear_error (&error);
        }
      for (int m = 0; m < 3; m++)
        {
          const PsimMuniRun *mr = &e->munis[m];
          const PsimTally *t = &e->week_muni[m];
          int32_t expected = before[m] + mr->week_entries - mr->week_exits + (int32_t) t->moved_in
                             - (int32_t) t->moved_out;
          unbalanced += count_population (e, m) != expected;
          moves += (int) t->moved_in;
          entries += mr->week_entries;
          exits += mr->week_exits;
          for (int k = 0; k < PSIM_N_MODES; k++)
            full_weeks += psim_policy_has_capacity ((PsimMode) k) && mr->places[k] > 0
                          && mr->occupied[k] == mr->places[k];
        }
    }
  CU_ASSERT_EQUAL (breaches, 0);
  CU_ASSERT_EQUAL (unbalanced, 0);
  /* the test means something: workers entered, left, moved, and places filled up */
  CU_ASSERT (entries > 100 && exits > 100 && moves > 10 && full_weeks > 100);

  /* and the check does catch a breach */
  e->munis[0].places[PSIM_MODE_CLUB] = 0;
  CU_ASSERT_FALSE (e->munis[0].occupied[PSIM_MODE_CLUB] > 0 && psim_engine_check (e, NULL));
  e->munis[0].population++;
  CU_ASSERT_FALSE (psim_engine_check (e, NULL));
  psim_engine_free (e);
  psim_run_result_clear (&result);
}

/* ---------- closures ---------- */

/* Closing a whole window area evicts its workers that very week; they choose
 * again: some move to another municipality (the waterbed), some stay in
 * other work, and none is left in the closed windows. */
static void
test_closure_evicts_and_displaces (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  int a = region_add (r, "Aastad", 900, 6, 3, PSIM_HOME_NON_COMMERCIAL);
  add_area (r, a, "gracht", 200);
  int b = region_add (r, "Beedorp", 900, 6, 3, PSIM_HOME_ALLOWED);
  add_area (r, b, "ramen", 120);
  add_event (r, a, 2001, 7, 1, PSIM_ACTION_CLOSE_WINDOWS);
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  PsimRunSpec spec = spec_for (r, &p, 2000, 2001, 5);
  GError *error = NULL;
  PsimEngine *e = psim_engine_new (&spec, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  PsimDate closure = psim_date_from_ymd (2001, 7, 1);
  while (psim_engine_week_date (e, e->week) < closure)
    psim_engine_step (e);
  /* the window workers of Aastad just before */
  GHashTable *was_there = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (gsize i = 0; i < e->workers.n; i++)
    if (e->workers.muni[i] == a && e->workers.mode[i] == PSIM_MODE_WINDOW)
      g_hash_table_add (was_there, GUINT_TO_POINTER (e->workers.serial[i]));
  guint before = g_hash_table_size (was_there);
  CU_ASSERT (before > 300);
  psim_engine_step (e);
  CU_ASSERT_EQUAL (e->munis[a].places[PSIM_MODE_WINDOW], 0);
  CU_ASSERT_EQUAL (count_mode (e, a, PSIM_MODE_WINDOW), 0);
  int moved = 0, other_work = 0, out = 0, gone = 0;
  GHashTable *found = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (gsize i = 0; i < e->workers.n; i++)
    {
      gpointer key = GUINT_TO_POINTER (e->workers.serial[i]);
      if (!g_hash_table_contains (was_there, key))
        continue;
      g_hash_table_add (found, key);
      if (e->workers.muni[i] == b)
        moved++;
      else if (e->workers.mode[i] == PSIM_MODE_OUT)
        out++;
      else
        other_work++;
    }
  gone = (int) before - (int) g_hash_table_size (found);
  CU_ASSERT (moved >= 5);                  /* the waterbed */
  CU_ASSERT (other_work >= 50);            /* home, clubs, street in Aastad */
  CU_ASSERT_EQUAL (moved + other_work + out + gone, (int) before);
  CU_ASSERT (e->week_muni[a].moved_out >= (int64_t) moved);
  g_hash_table_unref (found);
  g_hash_table_unref (was_there);
  psim_engine_free (e);
}

/* ---------- caps, licences, bans ---------- */

static int64_t
year_mode (const PsimRunResult *res, int y, PsimMode k)
{
  PsimTally t;
  psim_run_result_region (res, y, &t);
  return t.mode[k];
}

/* A cap of zero with no clubs licenses no one in a club; independent
 * licences granted at zero license no independent worker; home work that
 * needs a licence nobody gets is illegal for all. Lifting the cap to
 * unlimited (the control) lets clubs open at a bounded rate while workers
 * queue for them. */
static void
test_cap_of_zero_licenses_no_one (void)
{
  const PsimParams *p0 = bundled_params ();
  PsimParams p = *p0;
  p.burn_in_years = 1;
  for (int lifted = 0; lifted <= 1; lifted++)
    {
      g_autoptr (PsimRegion) r = region_new ();
      int m = region_add (r, "Nulstad", 600, 0, 0, PSIM_HOME_LICENCE_REQUIRED);
      PsimMunicipality *mu = &r->municipalities[m];
      mu->rules.home_licences = 0;
      mu->rules.independent_licences_per_year = 0;
      mu->rules.permit_cap[PSIM_VENUE_CLUB] = 0;
      mu->rules.set |= PSIM_RULE_CAP_CLUB | PSIM_RULE_INDEPENDENT_LICENCES;
      if (lifted)
        {
          PsimAction *act = add_event (r, m, 2001, 1, 1, PSIM_ACTION_RULES);
          act->rules.set = PSIM_RULE_CAP_CLUB;
          act->rules.permit_cap[PSIM_VENUE_CLUB] = PSIM_UNLIMITED;
        }
      PsimRunSpec spec = spec_for (r, &p, 2000, 2002, 3);
      PsimRunResult res;
      run_ok (&spec, &res);
      for (int y = 0; y < 3; y++)
        {
          const PsimTally *t = annual (&res, y, m);
          CU_ASSERT_EQUAL (t->mode[PSIM_MODE_INDEPENDENT_LICENSED], 0);
          CU_ASSERT_EQUAL (t->places[PSIM_MODE_INDEPENDENT_LICENSED], 0);
          CU_ASSERT (t->mode[PSIM_MODE_HOME] > 0);
          /* licence required, none granted: every home worker is illegal, so
           * the illegal sector holds at least the home workers */
          CU_ASSERT (t->sector[PSIM_SECTOR_ILLEGAL] >= t->mode[PSIM_MODE_HOME]);
          if (!lifted || y == 0)
            {
              CU_ASSERT_EQUAL (t->mode[PSIM_MODE_CLUB], 0);
              CU_ASSERT_EQUAL (t->places[PSIM_MODE_CLUB], 0);
            }
        }
      if (lifted)
        {
          /* clubs opened while workers queued, but no faster than the
           * bounded rate: from no clubs, venues.opening-min-venues a year
           * (the first opens after a year of queueing) */
          int64_t places_2002 = annual (&res, 2, m)->places[PSIM_MODE_CLUB];
          double per_club = floor (p.workers_per_club);
          CU_ASSERT (annual (&res, 1, m)->waiting > 0);
          CU_ASSERT (places_2002 > 0);
          CU_ASSERT (year_mode (&res, 2, PSIM_MODE_CLUB) > 0);
          CU_ASSERT (places_2002 <= 2 * MAX (p.opening_min_venues, 1.0) * per_club);
        }
      psim_run_result_clear (&res);
    }
}

/* Banning home work leaves no legal home work: every worker at home is in
 * the illegal sector. Allowing it (the control) makes home work of workers
 * with a right to work unlicensed. */
static void
test_home_ban (void)
{
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  for (int banned = 0; banned <= 1; banned++)
    {
      g_autoptr (PsimRegion) r = region_new ();
      int m = region_add (r, "Thuisstad", 800, 4, 2, banned ? PSIM_HOME_BANNED : PSIM_HOME_ALLOWED);
      add_area (r, m, "ramen", 30);
      PsimRunSpec spec = spec_for (r, &p, 2000, 2000, 8);
      GError *error = NULL;
      PsimEngine *e = psim_engine_new (&spec, NULL, &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (e);
      while (e->week < e->total_weeks)
        psim_engine_step (e);
      int home = 0, illegal = 0, unlicensed = 0;
      for (gsize i = 0; i < e->workers.n; i++)
        {
          if (e->workers.mode[i] != PSIM_MODE_HOME)
            continue;
          home++;
          PsimSector s = psim_engine_sector (e, i);
          illegal += s == PSIM_SECTOR_ILLEGAL;
          unlicensed += s == PSIM_SECTOR_UNLICENSED;
        }
      CU_ASSERT (home > 100);
      if (banned)
        {
          CU_ASSERT_EQUAL (illegal, home);
        }
      else
        {
          CU_ASSERT (unlicensed > home / 2 && illegal > 0); /* non-EU workers stay illegal */
        }
      psim_engine_free (e);
    }
}

/* ---------- enforcement and reporting ---------- */

/* Paired runs with the same seed, everyone in illegal home work: more
 * inspections mean fewer incidents reported (lower trust, fear of losing
 * the home) and fewer workers who reported in the last 12 months. */
static void
test_enforcement_lowers_reporting (void)
{
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  p.asc_street = -20.0; /* keep everyone at home */
  double rate[2], share[2];
  int64_t inspections[2];
  for (int high = 0; high <= 1; high++)
    {
      g_autoptr (PsimRegion) r = region_new ();
      r->national_rules.enforcement = high ? 6.0 : 0.0;
      region_add (r, "Verbodstad", 2000, 0, 0, PSIM_HOME_BANNED);
      PsimRunSpec spec = spec_for (r, &p, 2000, 2002, 21);
      PsimRunResult res;
      run_ok (&spec, &res);
      int64_t incidents = 0, reports = 0, reported = 0, workers = 0, illegal = 0;
      inspections[high] = 0;
      for (int y = 0; y < 3; y++)
        {
          const PsimTally *t = annual (&res, y, 0);
          incidents += t->incidents;
          reports += t->reports;
          reported += t->reported_12m;
          workers += t->workers;
          illegal += t->sector[PSIM_SECTOR_ILLEGAL];
          inspections[high] += t->inspections;
        }
      CU_ASSERT_EQUAL (illegal, workers);
      CU_ASSERT (incidents > 10000);
      rate[high] = (double) reports / (double) incidents;
      share[high] = (double) reported / (double) workers;
      psim_run_result_clear (&res);
    }
  CU_ASSERT_EQUAL (inspections[0], 0);
  CU_ASSERT (inspections[1] > 1000);
  CU_ASSERT (rate[1] < rate[0] * 0.9);
  CU_ASSERT (share[1] < share[0]);
}

/* ---------- reproducibility and common random numbers ---------- */

static gboolean
same_results (const PsimRunResult *a, const PsimRunResult *b)
{
  if (a->n_years != b->n_years || a->n_municipalities != b->n_municipalities || a->n_weeks != b->n_weeks)
    return FALSE;
  gsize n_annual = (gsize) a->n_years * (gsize) a->n_municipalities;
  gsize n_groups = (gsize) a->n_years * (gsize) psim_group_count ();
  gsize n_weekly = (gsize) a->n_weeks * (gsize) a->n_municipalities;
  return memcmp (a->annual, b->annual, n_annual * sizeof (PsimTally)) == 0
         && memcmp (a->groups, b->groups, n_groups * sizeof (PsimTally)) == 0
         && (n_weekly == 0 || memcmp (a->weekly, b->weekly, n_weekly * sizeof (PsimTally)) == 0);
}

/* The same seed and replication give the same bytes; another seed or
 * replication gives other results. */
static void
test_same_seed_identical (void)
{
  g_autoptr (PsimRegion) r = three_cities ();
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  PsimRunSpec spec = spec_for (r, &p, 2000, 2001, 77);
  spec.weekly = TRUE;
  PsimRunResult a, b, c, d;
  run_ok (&spec, &a);
  run_ok (&spec, &b);
  CU_ASSERT_TRUE (same_results (&a, &b));
  spec.seed = 78;
  run_ok (&spec, &c);
  CU_ASSERT_FALSE (same_results (&a, &c));
  spec.seed = 77;
  spec.replication = 1;
  run_ok (&spec, &d);
  CU_ASSERT_FALSE (same_results (&a, &d));
  psim_run_result_clear (&a);
  psim_run_result_clear (&b);
  psim_run_result_clear (&c);
  psim_run_result_clear (&d);
}

/* A scenario that changes nothing (rules set to the values in force, a club
 * count set to the count there is) gives the baseline's bytes; one that
 * changes something (the control) does not. */
static void
test_neutral_scenario_identical (void)
{
  g_autoptr (PsimRegion) r = three_cities ();
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  PsimRunSpec spec = spec_for (r, &p, 2000, 2002, 5);
  PsimRunResult base, same, other;
  run_ok (&spec, &base);

  g_autoptr (PsimScenario) neutral = scenario_new (2001, PSIM_ACTION_RULES);
  PsimRules *rules = &neutral->changes[0].actions[0].rules;
  rules->set = PSIM_RULE_ENFORCEMENT | PSIM_RULE_PARTICIPATION;
  rules->enforcement = r->national_rules.enforcement;
  rules->participation = r->national_rules.participation;
  PsimScenario *list[] = { neutral };
  spec.scenarios = list;
  spec.n_scenarios = 1;
  run_ok (&spec, &same);
  CU_ASSERT_TRUE (same_results (&base, &same));
  psim_run_result_clear (&same);

  /* the same, with the enforcement doubled: different results */
  rules->enforcement = 2.0 * r->national_rules.enforcement;
  run_ok (&spec, &other);
  CU_ASSERT_FALSE (same_results (&base, &other));
  /* and the years before the scenario starts are still the baseline's */
  CU_ASSERT_EQUAL (memcmp (annual (&base, 0, 0), annual (&other, 0, 0), sizeof (PsimTally)), 0);
  psim_run_result_clear (&other);
  psim_run_result_clear (&base);
}

/* ---------- violence ---------- */

/* With every modifier neutral (mode, sector and group factors 1, no
 * protection, no institutional violence, no exploitation effect, no exit
 * after violence), a worker at work for 52 weeks has had an incident of each
 * type with probability 1 - (1 - h)^52. Checked on the workers who worked
 * all of the last 52 weeks; tolerance 4 standard errors. */
static void
test_neutral_violence_prevalence (void)
{
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  p.violence_window = p.violence_club = p.violence_escort_agency = 1.0;
  p.violence_independent_licensed = p.violence_home = p.violence_street_zone = p.violence_street = 1.0;
  p.violence_unlicensed = p.violence_illegal = p.violence_client_criminalisation = 1.0;
  p.violence_pimping_ban = p.violence_non_commercial = 1.0;
  p.violence_protection = 0.0;
  p.violence_young = p.violence_migrant = p.violence_male = p.violence_trans = 1.0;
  p.violence_exploited = 1.0;
  p.violence_per_inspection = 0.0;
  p.exit_violence_factor = 1.0;
  p.asc_out = p.asc_street = -20.0;
  g_autoptr (PsimRegion) r = region_new ();
  r->national_rules.enforcement = 0.0;
  region_add (r, "Gelijkstad", 6000, 0, 0, PSIM_HOME_ALLOWED);
  PsimRunSpec spec = spec_for (r, &p, 2000, 2000, 123);
  GError *error = NULL;
  PsimEngine *e = psim_engine_new (&spec, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  while (e->week < e->total_weeks)
    psim_engine_step (e);
  int last = e->week - 1, n = 0, hit[PSIM_N_VIOLENCE] = { 0 };
  for (gsize i = 0; i < e->workers.n; i++)
    {
      if (e->workers.mode[i] != PSIM_MODE_HOME || e->workers.mode_since[i] > last - 51)
        continue;
      n++;
      for (int t = 0; t < PSIM_N_VIOLENCE; t++)
        hit[t] += e->workers.last_violence[t][i] > last - PSIM_WEEKS_12M;
    }
  CU_ASSERT (n > 4000);
  const double base[PSIM_N_VIOLENCE] = { p.violence_physical, p.violence_sexual, p.violence_financial,
                                         p.violence_social };
  for (int t = 0; t < PSIM_N_VIOLENCE; t++)
    {
      double h = (float) base[t]; /* the tables hold floats */
      double expected = 1.0 - pow (1.0 - h, 52);
      double se = sqrt (expected * (1.0 - expected) / n);
      double observed = (double) hit[t] / n;
      if (fabs (observed - expected) > 4 * se)
        fprintf (stderr, "%s: observed %.4f, expected %.4f (4 se = %.4f)\n",
                 psim_violence_name ((PsimViolence) t), observed, expected, 4 * se);
      CU_ASSERT_DOUBLE_EQUAL (observed, expected, 4 * se);
    }
  psim_engine_free (e);
}

/* ---------- demand ---------- */

/* Decriminalisation changes where and how people work, not how many: the
 * workers present never exceed the demand the market supports. */
static void
test_decriminalisation_does_not_add_workers (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  int m = region_add (r, "Vrijstad", 700, 5, 2, PSIM_HOME_BANNED);
  add_area (r, m, "ramen", 40);
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  g_autoptr (PsimScenario) decrim = scenario_new (2001, PSIM_ACTION_RULES);
  decrim->changes[0].actions[0].rules.set = PSIM_RULE_DECRIMINALISATION;
  decrim->changes[0].actions[0].rules.decriminalisation = true;
  PsimScenario *list[] = { decrim };
  PsimRunSpec spec = spec_for (r, &p, 2000, 2002, 9);
  spec.scenarios = list;
  spec.n_scenarios = 1;
  GError *error = NULL;
  PsimEngine *e = psim_engine_new (&spec, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  int over = 0;
  int32_t max_population = 0;
  while (e->week < e->total_weeks)
    {
      psim_engine_step (e);
      over += e->munis[m].population > e->munis[m].demand;
      max_population = MAX (max_population, e->munis[m].population);
    }
  CU_ASSERT_EQUAL (over, 0);
  CU_ASSERT (max_population > 600); /* the market is nearly full, so the bound was tested */
  /* and decriminalisation did act: home work is now legal */
  CU_ASSERT_TRUE (e->munis[m].rules.decriminalisation);
  CU_ASSERT_EQUAL (e->munis[m].sector[PSIM_MODE_HOME][PSIM_STATUS_UNREGISTERED], PSIM_SECTOR_UNLICENSED);
  psim_engine_free (e);
}

/* The starting population follows the municipality's gender and origin
 * mix (shares of the workers at the end of the first year, +-0.03). */
static void
test_population_follows_mix (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  int m = region_add (r, "Mengstad", 5000, 20, 10, PSIM_HOME_ALLOWED);
  const double gender[PSIM_N_GENDERS] = { 0.7, 0.2, 0.1 };
  const double origin[PSIM_N_ORIGINS] = { 0.4, 0.3, 0.2, 0.1 };
  memcpy (r->municipalities[m].gender_mix, gender, sizeof gender);
  memcpy (r->municipalities[m].origin_mix, origin, sizeof origin);
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  PsimRunSpec spec = spec_for (r, &p, 2000, 2000, 4);
  PsimRunResult res;
  run_ok (&spec, &res);
  double workers = (double) annual (&res, 0, m)->workers;
  CU_ASSERT (workers > 4000);
  for (int g = 0; g < psim_group_count (); g++)
    {
      double share = res.groups[g].workers / workers;
      if (psim_group_type (g) == PSIM_GROUP_TYPE_GENDER)
        {
          CU_ASSERT_DOUBLE_EQUAL (share, gender[g], 0.03);
        }
      else if (psim_group_type (g) == PSIM_GROUP_TYPE_ORIGIN)
        {
          CU_ASSERT_DOUBLE_EQUAL (share, origin[g - PSIM_N_GENDERS], 0.03);
        }
    }
  psim_run_result_clear (&res);
}

/* ---------- outputs ---------- */

/* Per-week tallies add up to the year's: flows summed, stocks as of the last
 * week; groups of each type add up to the region; names are as documented. */
static void
test_weekly_groups_and_region_add_up (void)
{
  g_autoptr (PsimRegion) r = three_cities ();
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  PsimRunSpec spec = spec_for (r, &p, 2000, 2001, 31);
  spec.weekly = TRUE;
  PsimRunResult res;
  run_ok (&spec, &res);
  CU_ASSERT_EQUAL (res.n_weeks, 2 * PSIM_WEEKS_PER_YEAR);
  CU_ASSERT_EQUAL (res.week_start[0], psim_date_from_ymd (2000, 1, 1));
  CU_ASSERT_EQUAL (res.week_start[PSIM_WEEKS_PER_YEAR], psim_date_from_ymd (2001, 1, 1));
  CU_ASSERT_EQUAL (res.week_start[1] - res.week_start[0], 7);
  int n_groups = psim_group_count ();
  for (int y = 0; y < 2; y++)
    {
      PsimTally region;
      psim_run_result_region (&res, y, &region);
      CU_ASSERT (region.workers > 2000 && region.incidents > 1000);
      for (int m = 0; m < res.n_municipalities; m++)
        {
          const PsimTally *year = annual (&res, y, m);
          int64_t incidents = 0, reports = 0, inspections = 0, moved_in = 0;
          for (int w = 0; w < PSIM_WEEKS_PER_YEAR; w++)
            {
              const PsimTally *week = &res.weekly[(gsize) (y * PSIM_WEEKS_PER_YEAR + w) * 3 + (gsize) m];
              incidents += week->incidents;
              reports += week->reports;
              inspections += week->inspections;
              moved_in += week->moved_in;
            }
          CU_ASSERT_EQUAL (incidents, year->incidents);
          CU_ASSERT_EQUAL (reports, year->reports);
          CU_ASSERT_EQUAL (inspections, year->inspections);
          CU_ASSERT_EQUAL (moved_in, year->moved_in);
          const PsimTally *last = &res.weekly[(gsize) (y * PSIM_WEEKS_PER_YEAR + 51) * 3 + (gsize) m];
          CU_ASSERT_EQUAL (last->workers, year->workers);
          CU_ASSERT_EQUAL (memcmp (last->sector, year->sector, sizeof last->sector), 0);
          CU_ASSERT_EQUAL (memcmp (last->violence_12m, year->violence_12m, sizeof last->violence_12m), 0);
          CU_ASSERT_EQUAL (last->places[PSIM_MODE_WINDOW], year->places[PSIM_MODE_WINDOW]);
        }
      for (int type = 0; type < PSIM_N_GROUP_TYPES; type++)
        {
          int64_t workers = 0, incidents = 0, illegal = 0, tested = 0;
          for (int g = 0; g < n_groups; g++)
            if (psim_group_type (g) == (PsimGroupType) type)
              {
                const PsimTally *t = &res.groups[(gsize) y * (gsize) n_groups + (gsize) g];
                workers += t->workers;
                incidents += t->incidents;
                illegal += t->sector[PSIM_SECTOR_ILLEGAL];
                tested += t->tested_12m;
              }
          CU_ASSERT_EQUAL (workers, region.workers);
          CU_ASSERT_EQUAL (incidents, region.incidents);
          CU_ASSERT_EQUAL (illegal, region.sector[PSIM_SECTOR_ILLEGAL]);
          CU_ASSERT_EQUAL (tested, region.tested_12m);
        }
    }
  CU_ASSERT_EQUAL (n_groups, 12 + PSIM_N_MODES); /* gender, origin, age, workplace */
  CU_ASSERT_STRING_EQUAL (psim_group_name (0), "female");
  CU_ASSERT_STRING_EQUAL (psim_group_type_name (psim_group_type (5)), "origin");
  CU_ASSERT_STRING_EQUAL (psim_group_name (6), "undocumented");
  CU_ASSERT_STRING_EQUAL (psim_group_name (7), "18-20");
  CU_ASSERT_STRING_EQUAL (psim_group_name (11), "50+");
  psim_run_result_clear (&res);
}

static void
test_invalid_spec (void)
{
  PsimRunResult res;
  GError *error = NULL;
  PsimRunSpec spec;
  memset (&spec, 0, sizeof spec);
  CU_ASSERT_FALSE (psim_engine_run (&spec, &res, &error));
  CU_ASSERT_PTR_NOT_NULL (error);
  g_clear_error (&error);
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Eenstad", 10, 0, 0, PSIM_HOME_ALLOWED);
  spec = spec_for (r, bundled_params (), 2005, 2001, 1);
  CU_ASSERT_FALSE (psim_engine_run (&spec, &res, &error));
  CU_ASSERT_PTR_NOT_NULL (error);
  g_clear_error (&error);
  spec = spec_for (r, bundled_params (), 1000, 1800, 1); /* too long for 16-bit week stamps */
  CU_ASSERT_FALSE (psim_engine_run (&spec, &res, &error));
  CU_ASSERT_PTR_NOT_NULL (error);
  g_clear_error (&error);
}

/* ---------- the bundled data: the Zandpad (Utrecht, July 2013) ---------- */

/* The bundled Netherlands, for the tests that step the national region. */
static PsimRegion *
bundled_region (void)
{
  g_autofree char *path = psim_test_path ("municipalities/netherlands.xml");
  return psim_region_load (path, NULL, NULL);
}

/* Closing the Zandpad on 1 July 2013 empties Utrecht's windows that week;
 * its window workers choose again, and some move to other municipalities. */
static void
test_zandpad_closure (void)
{
  GError *error = NULL;
  g_autoptr (PsimRegion) r = bundled_region ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  int utrecht = -1;
  for (int m = 0; m < r->n_municipalities; m++)
    if (strcmp (r->municipalities[m].name, "Utrecht") == 0)
      utrecht = m;
  CU_ASSERT_FATAL (utrecht >= 0);
  PsimParams p = *bundled_params ();
  p.burn_in_years = 2;
  PsimRunSpec spec = spec_for (r, &p, 2012, 2014, 2013);
  PsimRunResult res;
  PsimEngine *e = psim_engine_new (&spec, &res, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  PsimDate closure = psim_date_from_ymd (2013, 7, 1);
  while (psim_engine_week_date (e, e->week) < closure)
    psim_engine_step (e);
  GHashTable *zandpad = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (gsize i = 0; i < e->workers.n; i++)
    if (e->workers.muni[i] == utrecht && e->workers.mode[i] == PSIM_MODE_WINDOW)
      g_hash_table_add (zandpad, GUINT_TO_POINTER (e->workers.serial[i]));
  CU_ASSERT (g_hash_table_size (zandpad) > 200);
  psim_engine_step (e);
  CU_ASSERT_EQUAL (count_mode (e, utrecht, PSIM_MODE_WINDOW), 0);
  int elsewhere = 0;
  for (gsize i = 0; i < e->workers.n; i++)
    if (g_hash_table_contains (zandpad, GUINT_TO_POINTER (e->workers.serial[i]))
        && e->workers.muni[i] != utrecht)
      elsewhere++;
  CU_ASSERT (elsewhere >= 5);
  /* and the rest found other work in Utrecht or are out, choosing again */
  int home_or_street = count_mode (e, utrecht, PSIM_MODE_HOME) + count_mode (e, utrecht, PSIM_MODE_STREET);
  CU_ASSERT (home_or_street > 0);
  while (e->week < e->total_weeks)
    psim_engine_step (e);
  psim_engine_free (e);
  g_hash_table_unref (zandpad);

  const PsimTally *y2012 = annual (&res, 0, utrecht), *y2013 = annual (&res, 1, utrecht);
  CU_ASSERT (y2012->mode[PSIM_MODE_WINDOW] > 200);
  CU_ASSERT_EQUAL (y2013->mode[PSIM_MODE_WINDOW], 0);
  CU_ASSERT_EQUAL (y2013->places[PSIM_MODE_WINDOW], 0);
  /* Utrecht's balance of moves turns: more leave, fewer come */
  CU_ASSERT (y2013->moved_in - y2013->moved_out < y2012->moved_in - y2012->moved_out);
  CU_ASSERT (y2013->moved_out > y2012->moved_out);
  psim_run_result_clear (&res);
}

/* Moves between municipalities (the waterbed of the closures in Aastad)
 * push some above their own demand; entry refills the places they left only
 * as far as the region as a whole is below its demand, so no week holds
 * more workers in the region than its markets support. */
static void
test_moves_add_no_workers_to_the_region (void)
{
  g_autoptr (PsimRegion) r = three_cities ();
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  p.move_cost = 0.0; /* many moves */
  PsimRunSpec spec = spec_for (r, &p, 2000, 2003, 21);
  GError *error = NULL;
  PsimEngine *e = psim_engine_new (&spec, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  int over = 0, above_own = 0;
  int32_t most = 0, demand = 0;
  while (e->week < e->total_weeks)
    {
      psim_engine_step (e);
      int32_t population = 0;
      demand = 0;
      for (int m = 0; m < e->n_munis; m++)
        {
          population += e->munis[m].population;
          demand += e->munis[m].demand;
          above_own += e->munis[m].population > e->munis[m].demand;
        }
      over += population > demand;
      most = MAX (most, population);
    }
  CU_ASSERT_EQUAL (over, 0);
  CU_ASSERT (above_own > 0); /* moves did push some above their own demand */
  CU_ASSERT (most > demand * 95 / 100); /* and the region was nearly full: the bound was tested */
  psim_engine_free (e);
}

/* New workers are drawn younger than the maximum age. Cutting the draw off
 * at it instead put every late starter at the maximum age, to leave the
 * next week and be replaced: with a low maximum age and late starts (both
 * inside the parameters' ranges) the entrants of a week ran into the
 * thousands and a municipality ran out of serials. */
static void
test_entrants_below_max_age (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  int m = region_add (r, "Laatstad", 5000, 20, 10, PSIM_HOME_ALLOWED);
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  p.max_age = 45.0;
  p.entry_age_above_18 = 20.0;
  p.entry_gap_share = 1.0;
  PsimRunSpec spec = spec_for (r, &p, 2000, 2001, 5);
  GError *error = NULL;
  PsimEngine *e = psim_engine_new (&spec, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  int32_t entrants = 0, at_the_end = 0;
  while (e->week < e->total_weeks)
    {
      psim_engine_step (e);
      for (gsize i = 0; i < e->workers.n; i++)
        if (e->workers.career_start[i] == e->week - 1)
          {
            entrants++;
            at_the_end += e->workers.career_start[i] - e->workers.birth_week[i] >= e->max_age_weeks - 4;
          }
    }
  /* almost none start within four weeks of the maximum age (the draw puts
   * about 0.1% there; the cut put a third) */
  CU_ASSERT (at_the_end < entrants / 100);
  /* so entrants replace careers that ended, not a week's stay: in three
   * years fewer than the market's demand (the cut: 1.8 times it) */
  CU_ASSERT (entrants > 1000 && entrants < e->munis[m].demand);
  psim_engine_free (e);
}

/* A municipality whose entrants outrun the 2^22 - 1 serials of its slot
 * goes on in the slots no municipality uses: every serial stays unique
 * and none is a municipality's own subject; the run fails, cleanly, only
 * when every slot is used. (Seen under sampled parameters: entrants who
 * move on and leave within weeks, 1,800 a week for 30 years.) */
static void
test_serials_overflow_into_free_slots (void)
{
  g_autoptr (PsimRegion) r = three_cities ();
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  PsimRunSpec spec = spec_for (r, &p, 2000, 2000, 8);
  GError *error = NULL;
  PsimEngine *e = psim_engine_new (&spec, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  e->munis[1].entrants = PSIM_MAX_ENTRANTS - 2;
  for (int k = 0; k < 60; k++)
    psim_engine_step (e);
  CU_ASSERT_FALSE (e->serials_exhausted);
  CU_ASSERT (e->munis[1].entrants > PSIM_MAX_ENTRANTS + 10); /* the test crossed the end of the slot */
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  int in_overflow = 0;
  for (gsize i = 0; i < e->workers.n; i++)
    {
      uint32_t serial = e->workers.serial[i];
      CU_ASSERT_FALSE (g_hash_table_contains (seen, GUINT_TO_POINTER (serial)));
      g_hash_table_add (seen, GUINT_TO_POINTER (serial));
      for (int m = 0; m < e->n_munis; m++)
        CU_ASSERT_NOT_EQUAL (serial, PSIM_MUNI_SUBJECT (m));
      uint32_t slot = serial >> PSIM_SERIAL_INDEX_BITS;
      in_overflow += slot == 1u + (uint32_t) e->n_munis;
      CU_ASSERT (slot < (uint32_t) e->n_munis || slot == 1u + (uint32_t) e->n_munis); /* (she may have moved) */
    }
  CU_ASSERT (in_overflow > 0);
  g_autoptr (GError) check = NULL;
  CU_ASSERT_TRUE (psim_engine_check (e, &check));
  /* the last slot used: the next entrant has no serial */
  e->munis[1].entrants = (PSIM_MAX_MUNICIPALITIES - 1) / (uint32_t) e->n_munis * PSIM_MAX_ENTRANTS - 1;
  gsize before = e->workers.n;
  CU_ASSERT_EQUAL (psim_engine_add_workers (e, 1, 1, FALSE), 1);
  CU_ASSERT_FALSE (e->serials_exhausted);
  CU_ASSERT_EQUAL (psim_engine_add_workers (e, 1, 3, FALSE), 0);
  CU_ASSERT_TRUE (e->serials_exhausted);
  CU_ASSERT_EQUAL (e->workers.n, before + 1);
  /* a batch that runs out part-way adds those before the last serial */
  e->serials_exhausted = FALSE;
  e->munis[1].entrants = (PSIM_MAX_MUNICIPALITIES - 1) / (uint32_t) e->n_munis * PSIM_MAX_ENTRANTS - 2;
  CU_ASSERT_EQUAL (psim_engine_add_workers (e, 1, 5, FALSE), 2);
  CU_ASSERT_TRUE (e->serials_exhausted);
  CU_ASSERT_EQUAL (e->workers.n, before + 3);
  psim_engine_free (e);
}

/* ---------- the vector and scalar forms ---------- */

/* Engines on the bundled region, with the vector kernels (the week's pass,
 * the busy workers' phases 4-9) and without, stepped together through 2012
 * and 2013 (a closure in Utrecht, a minimum age raised in Amsterdam): after
 * every week, every worker field, the municipalities' counts and the week's
 * tallies agree to the byte. Two
 * vector engines: one looks up the tables by municipality with permutes (as
 * for any region of up to PSIM_SCREEN_FEW municipalities, this one too), the
 * other made to use the gathers of larger regions. Without AVX-512 all run
 * the scalar forms and the test says so. */
static gboolean
same_state (const PsimEngine *x, const PsimEngine *y)
{
  const PsimWorkers *a = &x->workers, *b = &y->workers;
  gboolean same = a->n == b->n;
#define SAME_FIELD(type, name) same = same && memcmp (a->name, b->name, a->n * sizeof (type)) == 0;
  PSIM_WORKER_FIELDS (SAME_FIELD)
#undef SAME_FIELD
  for (int m = 0; same && m < x->n_munis; m++)
    same = memcmp (x->munis[m].occupied, y->munis[m].occupied, sizeof x->munis[m].occupied) == 0
           && x->munis[m].population == y->munis[m].population
           && memcmp (&x->week_muni[m], &y->week_muni[m], sizeof (PsimTally)) == 0;
  return same && memcmp (x->week_group, y->week_group, sizeof (PsimTally) * (gsize) psim_group_count ()) == 0;
}

static void
test_vector_pass_matches_scalar (void)
{
  GError *error = NULL;
  g_autoptr (PsimRegion) r = bundled_region ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  PsimRunSpec spec = spec_for (r, &p, 2012, 2013, 17);
  PsimEngine *vec = psim_engine_new (&spec, NULL, &error);
  PsimEngine *gathers = psim_engine_new (&spec, NULL, &error);
  PsimEngine *one = psim_engine_new (&spec, NULL, &error);
  CU_ASSERT_FATAL (vec != NULL && gathers != NULL && one != NULL);
  if (!psim_engine_vector_pass_available ())
    fprintf (stderr, "\n  (no AVX-512 here: the engines run the scalar forms)\n");
  CU_ASSERT_TRUE (vec->screen.few_munis);
  gathers->screen.few_munis = FALSE;
  one->vector_pass = FALSE;
  gboolean same = TRUE;
  while (same && vec->week < vec->total_weeks)
    {
      psim_engine_step (vec);
      psim_engine_step (gathers);
      psim_engine_step (one);
      same = same_state (vec, one) && same_state (gathers, one);
      if (!same)
        fprintf (stderr, "\n  the vector and scalar forms differ in week %d\n", vec->week - 1);
    }
  CU_ASSERT_TRUE (same);
  CU_ASSERT_EQUAL (vec->week, vec->total_weeks);
  CU_ASSERT_TRUE (vec->workers.n > 20000);
  psim_engine_free (vec);
  psim_engine_free (gathers);
  psim_engine_free (one);
}

/* A region of more municipalities than the permutes hold (PSIM_SCREEN_FEW):
 * the vector engine takes the gathers by itself, and its tables indexed by
 * municipality reach past the sixteenth. Twenty towns with rules that differ
 * (home work, registration, a minimum age of 21, a closure and a cap lifted
 * in the towns past the sixteenth), stepped with and without the vector
 * kernels through 2000-2002: the same state after every week. */
static void
test_vector_pass_many_municipalities (void)
{
  PsimRegion *r = psim_test_region_new ("twenty", 2000, 2002);
  static const PsimHomeRegime homes[] = { PSIM_HOME_NON_COMMERCIAL, PSIM_HOME_BANNED, PSIM_HOME_LICENCE_REQUIRED };
  for (int m = 0; m < 20; m++)
    {
      g_autofree char *name = g_strdup_printf ("Town %d", m);
      int t = region_add (r, name, 60 + 7 * m, 2 + m % 4, 1 + m % 3, homes[m % 3]);
      if (m % 3 == 2)
        r->municipalities[t].rules.home_licences = 10;
      if (m % 2 == 0)
        add_area (r, t, "ramen", 20 + m);
      if (m % 5 == 1)
        add_zone (r, t, "zone", 15);
      if (m % 4 == 3)
        {
          r->municipalities[t].rules.set |= PSIM_RULE_REGISTRATION;
          r->municipalities[t].rules.registration = true;
        }
      if (m % 6 == 5)
        {
          r->municipalities[t].rules.set |= PSIM_RULE_MINIMUM_AGE;
          r->municipalities[t].rules.minimum_age = 21;
        }
    }
  PsimAction *act = add_event (r, 17, 2001, 4, 1, PSIM_ACTION_CLOSE_WINDOWS);
  act->target = 0;
  act = add_event (r, 18, 2001, 1, 1, PSIM_ACTION_RULES);
  act->rules.set = PSIM_RULE_CAP_CLUB | PSIM_RULE_HOME_WORK;
  act->rules.permit_cap[PSIM_VENUE_CLUB] = PSIM_UNLIMITED;
  act->rules.home_regime = PSIM_HOME_NON_COMMERCIAL;

  GError *error = NULL;
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  PsimRunSpec spec = spec_for (r, &p, 2000, 2002, 23);
  PsimEngine *vec = psim_engine_new (&spec, NULL, &error);
  PsimEngine *one = psim_engine_new (&spec, NULL, &error);
  CU_ASSERT_FATAL (vec != NULL && one != NULL);
  CU_ASSERT_FALSE (vec->screen.few_munis);
  one->vector_pass = FALSE;
  gboolean same = TRUE;
  while (same && vec->week < vec->total_weeks)
    {
      psim_engine_step (vec);
      psim_engine_step (one);
      same = same_state (vec, one);
      if (!same)
        fprintf (stderr, "\n  the vector and scalar forms differ in week %d\n", vec->week - 1);
    }
  CU_ASSERT_TRUE (same);
  CU_ASSERT_EQUAL (vec->week, vec->total_weeks);
  /* workers in the towns past the sixteenth, at work there */
  int past = 0;
  for (gsize i = 0; i < vec->workers.n; i++)
    past += vec->workers.muni[i] >= 16 && vec->workers.mode[i] != PSIM_MODE_OUT;
  CU_ASSERT_TRUE (past > 100);
  psim_engine_free (vec);
  psim_engine_free (one);
  psim_region_free (r);
}

#ifdef PSIM_HAVE_AVX512
/* The tables by municipality looked up by permutes give, for every
 * municipality, mode and standing, what the flat tables hold (and what the
 * gathers of larger regions read). The week's test above cannot tell a
 * wrong minimum age: in the bundled region it never changes the sector of a
 * worker the kernels handle. */
__attribute__ ((target ("avx512f"))) static void
check_screen_permutes (const PsimScreen *s, int n_munis)
{
  gboolean same = TRUE;
  int32_t got[16];
  float got_f[16];
  const __m512i iota = _mm512_setr_epi32 (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (int m0 = 0; m0 < n_munis; m0 += 16)
    {
      __m512i m = _mm512_min_epi32 (_mm512_add_epi32 (_mm512_set1_epi32 (m0), iota), _mm512_set1_epi32 (n_munis - 1));
      _mm512_storeu_si512 (got, psim_screen_min_age (s, 0xffff, m));
      for (int l = 0; l < 16; l++)
        same = same && got[l] == s->min_age_weeks[MIN (m0 + l, n_munis - 1)];
      for (int registered = 0; registered < 2; registered++)
        {
          _mm512_storeu_ps (got_f, psim_screen_trust_target (s, 0xffff, m, _mm512_set1_epi32 (registered)));
          for (int l = 0; l < 16; l++)
            same = same && got_f[l] == s->trust_target[2 * MIN (m0 + l, n_munis - 1) + registered];
        }
    }
  for (int mk0 = 0; mk0 < n_munis * PSIM_N_MODES; mk0 += 16)
    for (unsigned st = 0; st < PSIM_N_STATUS; st++)
      {
        __m512i mk = _mm512_add_epi32 (_mm512_set1_epi32 (mk0), iota);
        _mm512_storeu_si512 (got, psim_screen_sector (s, 0xffff, mk, _mm512_set1_epi32 ((int) st)));
        for (int l = 0; l < 16 && mk0 + l < n_munis * PSIM_N_MODES; l++)
          same = same && got[l] == s->sector[(mk0 + l) * PSIM_N_STATUS + (int) st];
      }
  CU_ASSERT_TRUE (same);
}
#endif

static void
test_screen_permutes_match_tables (void)
{
  GError *error = NULL;
  g_autoptr (PsimRegion) r = bundled_region ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  PsimParams p = *bundled_params ();
  p.burn_in_years = 1;
  /* 2013: Amsterdam's minimum age is 21, the others' 18 */
  PsimRunSpec spec = spec_for (r, &p, 2013, 2013, 3);
  PsimEngine *e = psim_engine_new (&spec, NULL, &error);
  CU_ASSERT_FATAL (e != NULL);
  if (!psim_engine_vector_pass_available ())
    {
      fprintf (stderr, "\n  (no AVX-512 here: nothing to compare)\n");
      psim_engine_free (e);
      return;
    }
#ifdef PSIM_HAVE_AVX512
  psim_engine_step (e); /* the week's pass makes the flat tables */
  CU_ASSERT_TRUE_FATAL (e->screen.few_munis);
  gboolean ages_differ = FALSE;
  for (int m = 1; m < e->n_munis; m++)
    ages_differ = ages_differ || e->screen.min_age_weeks[m] != e->screen.min_age_weeks[0];
  CU_ASSERT_TRUE (ages_differ); /* else a shifted lookup would go unseen here too */
  check_screen_permutes (&e->screen, e->n_munis);
#endif
  psim_engine_free (e);
}

/* ---------- the engine's arithmetic ---------- */

/* The second draw of the logit, when the first choice is full, is among the
 * open options. Seen under sampled parameters (crowding far above its
 * calibrated value): every open option more than 700 units of utility below
 * a full one, so that their weights against it rounded to zero and the draw
 * fell past the last option, a mode that does not exist. */
static void
test_choice_when_open_options_are_far_below (void)
{
  PsimChoiceOptions o = { 0 };
  const double value[PSIM_N_OPTIONS] = { -INFINITY, 53767.6, 35643.8, -INFINITY, 4102.96,
                                         56076.0, 41935.6, -13.551, -INFINITY };
  for (int k = 0; k < PSIM_N_OPTIONS; k++)
    o.value[k] = value[k];
  o.full[0] = o.full[3] = o.full[5] = 1;
  for (int draw = 0; draw < 64; draw++)
    {
      int first, pick = psim_engine_sample_option (&o, 0.5, draw / 64.0, &first);
      CU_ASSERT_EQUAL (first, 5);   /* the full one, by far the best */
      CU_ASSERT_EQUAL (pick, 1);    /* the best open one, by far */
    }
  /* open options close to each other keep their logit shares */
  o.value[2] = o.value[1];
  int picked[PSIM_N_OPTIONS] = { 0 }, first;
  for (int draw = 0; draw < 64; draw++)
    picked[psim_engine_sample_option (&o, 0.5, (draw + 0.5) / 64.0, &first)]++;
  CU_ASSERT_EQUAL (picked[1], 32);
  CU_ASSERT_EQUAL (picked[2], 32);
}

/* The vector form of the logit draws exactly what the scalar form draws,
 * over random option sets: values near each other and far apart, options
 * that do not exist (-INFINITY), full ones (the second draw), all open ones
 * far below a full one (the fallback), and uniforms at the ends. */
static void
test_choice_vector_form_draws_as_the_scalar_form (void)
{
  if (!psim_engine_vector_pass_available ())
    fprintf (stderr, "\n  (no AVX-512 here: both calls run the scalar form)\n");
  GRand *rand = g_rand_new_with_seed (29);
  int differ = 0, second_draws = 0, fallbacks = 0;
  for (int c = 0; c < 200000; c++)
    {
      PsimChoiceOptions o = { 0 };
      double spread = c % 3 == 0 ? 2.0 : c % 3 == 1 ? 40.0 : 2000.0;
      for (int k = 0; k < PSIM_N_OPTIONS; k++)
        {
          o.value[k] = g_rand_int_range (rand, 0, 6) == 0 ? -INFINITY : g_rand_double_range (rand, -spread, spread);
          o.full[k] = k < PSIM_N_MODES && g_rand_int_range (rand, 0, 3) == 0;
        }
      if (c % 50 == 0) /* every open option far below a full one */
        for (int k = 0; k < PSIM_N_OPTIONS; k++)
          o.value[k] = o.full[k] ? 1000.0 : o.value[k] - 3000.0;
      double u_first = c % 97 == 0 ? 0.0 : g_rand_double (rand);
      double u_open = c % 89 == 0 ? 0x1.fffffep-1 : g_rand_double (rand);
      int first_scalar, first_vector;
      int pick_scalar = psim_engine_sample_option (&o, u_first, u_open, &first_scalar);
      int pick_vector = psim_engine_sample_option_vector (&o, u_first, u_open, &first_vector);
      differ += pick_scalar != pick_vector || first_scalar != first_vector;
      second_draws += o.full[first_scalar];
      fallbacks += c % 50 == 0 && o.full[first_scalar];
    }
  g_rand_free (rand);
  CU_ASSERT_EQUAL (differ, 0);
  CU_ASSERT_TRUE (second_draws > 10000); /* the cases reach both draws */
  CU_ASSERT_TRUE (fallbacks > 100);
}

/* The radix sort of the eviction queue gives the order of its comparison:
 * by key (groups of municipality and mode in the high bits, a random word
 * below), then serial where keys tie -- checked with many ties, keys of
 * every width, and already sorted and reversed input. */
static void
test_eviction_queue_sorted_as_compared (void)
{
  GRand *rand = g_rand_new_with_seed (31);
  for (int c = 0; c < 200; c++)
    {
      gsize n = (gsize) g_rand_int_range (rand, 0, 3000);
      PsimQueued *radix = g_new (PsimQueued, n + 1), *sorted = g_new (PsimQueued, n + 1);
      PsimQueued *spare = g_new (PsimQueued, n + 1);
      int key_bits = c % 4 == 0 ? 3 : 40; /* few distinct keys: many ties */
      for (gsize q = 0; q < n; q++)
        {
          uint64_t key = ((uint64_t) g_rand_int (rand) << 32 | g_rand_int (rand)) & ((UINT64_C (1) << key_bits) - 1);
          /* serials unique, as in the engine (an odd multiplier permutes the 32-bit numbers) */
          radix[q] = (PsimQueued) { key, (uint32_t) q * 2654435761u, (uint32_t) q };
        }
      if (c % 7 == 1)
        qsort (radix, n, sizeof *radix, psim_engine_compare_queued);
      if (c % 7 == 2)
        for (gsize q = 0; q < n / 2; q++)
          {
            PsimQueued t = radix[q];
            radix[q] = radix[n - 1 - q];
            radix[n - 1 - q] = t;
          }
      memcpy (sorted, radix, n * sizeof *radix);
      qsort (sorted, n, sizeof *sorted, psim_engine_compare_queued);
      psim_engine_sort_queued (radix, n, spare);
      CU_ASSERT_TRUE (n == 0 || memcmp (radix, sorted, n * sizeof *radix) == 0);
      g_free (radix);
      g_free (sorted);
      g_free (spare);
    }
  g_rand_free (rand);
}

/* The exp of the choice's weights and of reporting's odds agrees with libm
 * to 1e-11 relative over the range it serves, is 0 below -700 and exactly 1
 * at 0; a 24-bit threshold decides exactly as comparing the uniform in
 * [0, 1) with the probability would. */
static void
test_fast_exp_and_thresholds (void)
{
  double worst = 0.0;
  for (double x = -700.0; x <= 700.0; x += 0.0137)
    worst = MAX (worst, fabs (psim_engine_exp (x) / exp (x) - 1.0));
  CU_ASSERT (worst < 1e-11);
  CU_ASSERT_EQUAL (psim_engine_exp (0.0), 1.0);
  CU_ASSERT_EQUAL (psim_engine_exp (-701.0), 0.0);
  CU_ASSERT_EQUAL (psim_engine_exp (-INFINITY), 0.0);
  const double p[] = { 0.0, 1e-9, 0.0024, 0.5, 1.0 / 3.0, 0.999999, 1.0, 1.5 };
  for (gsize k = 0; k < G_N_ELEMENTS (p); k++)
    {
      uint32_t below = psim_below24 (p[k]);
      for (uint32_t u = below > 2 ? below - 2 : 0; u < below + 2 && u < (1u << 24); u++)
        CU_ASSERT_EQUAL (u < below, u / 16777216.0 < p[k]);
    }
}

/* The floor of the odds against reporting that her trust can give, which
 * spares most incidents the odds of their worker's own trust (report,
 * engine_risk.c), is below those odds at every trust, for weights of trust
 * across and beyond the parameter's range; the floor is never far below. */
static void
test_report_trust_floor (void)
{
  g_autoptr (PsimRegion) r = three_cities ();
  const double weights[] = { 0.0, 0.5, 2.0, 6.0, -3.0, 40.0, 300.0 };
  for (gsize k = 0; k < G_N_ELEMENTS (weights); k++)
    {
      PsimParams p = *bundled_params ();
      p.report_trust = weights[k];
      PsimRunSpec spec = spec_for (r, &p, 2000, 2000, 3);
      GError *error = NULL;
      PsimEngine *e = psim_engine_new (&spec, NULL, &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (e);
      double least = INFINITY;
      for (int step = 0; step <= 1 << 16; step++)
        {
          float trust = (float) step / (float) (1 << 16);
          least = MIN (least, psim_engine_report_odds_trust (e, trust));
          least = MIN (least, psim_engine_report_odds_trust (e, nextafterf (trust, 0.0f)));
        }
      least = MIN (least, psim_engine_report_odds_trust (e, -1.0f));
      least = MIN (least, psim_engine_report_odds_trust (e, 2.0f));
      CU_ASSERT (e->report_odds_trust_floor <= least);
      if (fabs (weights[k]) <= 6.0)
        CU_ASSERT (e->report_odds_trust_floor >= least * 0.97);
      psim_engine_free (e);
    }
}

int
main (void)
{
  static const PsimTestCase cases[] = {
    { "workers conserved, places never exceeded, every week", test_conservation_and_capacity },
    { "closing an area evicts and displaces (waterbed)", test_closure_evicts_and_displaces },
    { "a cap of zero licenses no one; a lifted cap opens venues slowly", test_cap_of_zero_licenses_no_one },
    { "a home-work ban leaves no legal home work", test_home_ban },
    { "more enforcement lowers reporting (paired runs)", test_enforcement_lowers_reporting },
    { "same seed, same bytes; other seed, other results", test_same_seed_identical },
    { "a scenario that changes nothing changes no byte", test_neutral_scenario_identical },
    { "neutral violence: 12-month prevalence 1-(1-h)^52", test_neutral_violence_prevalence },
    { "decriminalisation adds no workers beyond demand", test_decriminalisation_does_not_add_workers },
    { "the population follows the municipality's mix", test_population_follows_mix },
    { "weekly, group and region tallies add up", test_weekly_groups_and_region_add_up },
    { "invalid run specifications are refused", test_invalid_spec },
    { "the Zandpad closure (Utrecht, July 2013)", test_zandpad_closure },
    { "moves between municipalities add no workers to the region", test_moves_add_no_workers_to_the_region },
    { "new workers are drawn younger than the maximum age", test_entrants_below_max_age },
    { "serials beyond a municipality's slot go on in free slots", test_serials_overflow_into_free_slots },
    { "the vector kernels give the scalar forms' bytes", test_vector_pass_matches_scalar },
    { "vector and scalar forms agree past sixteen municipalities", test_vector_pass_many_municipalities },
    { "the tables by municipality read by permutes hold what the flat tables hold",
      test_screen_permutes_match_tables },
    { "a full first choice leaves a draw among the open options, however far below", test_choice_when_open_options_are_far_below },
    { "the logit's vector form draws what its scalar form draws", test_choice_vector_form_draws_as_the_scalar_form },
    { "the eviction queue's radix sort orders as its comparison", test_eviction_queue_sorted_as_compared },
    { "fast exp and 24-bit thresholds", test_fast_exp_and_thresholds },
    { "the floor of the odds against reporting holds at every trust", test_report_trust_floor },
    { NULL, NULL },
  };
  psim_test_add_suite ("engine", cases);
  return psim_test_run ();
}
