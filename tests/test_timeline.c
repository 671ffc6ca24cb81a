/* Tests for the timeline (src/timeline.c): what is in force in a municipality
 * on a date, built from small municipalities and scenarios made in C. */
#include "permitsim/timeline.h"
#include "testutil.h"

#include <string.h>

static PsimDate
D (const char *iso)
{
  PsimDate d = psim_date_parse (iso);
  g_assert (d != PSIM_DATE_NONE);
  return d;
}

/* ---------- building municipalities ---------- */

static void
muni_init (PsimMunicipality *m, const char *name)
{
  memset (m, 0, sizeof *m);
  m->name = g_strdup (name);
  m->cbs_code = g_strdup ("GM9999");
  m->sex_workers = 500;
  m->clubs = 10;
  m->escort_agencies = 4;
  psim_rules_init_defaults (&m->rules);
  m->rules.set = 0;
}

static int
add_area (PsimMunicipality *m, const char *id, int32_t windows, const char *opened, const char *closed)
{
  m->areas = g_renew (PsimWindowArea, m->areas, m->n_areas + 1);
  PsimWindowArea *a = &m->areas[m->n_areas];
  memset (a, 0, sizeof *a);
  a->id = g_strdup (id);
  a->name = g_strdup (id);
  a->windows = windows;
  a->opened = opened != NULL ? D (opened) : PSIM_DATE_NONE;
  a->closed = closed != NULL ? D (closed) : PSIM_DATE_NONE;
  return m->n_areas++;
}

static int
add_zone (PsimMunicipality *m, const char *id, int32_t capacity, const char *opened, const char *closed)
{
  m->zones = g_renew (PsimStreetZone, m->zones, m->n_zones + 1);
  PsimStreetZone *z = &m->zones[m->n_zones];
  memset (z, 0, sizeof *z);
  z->id = g_strdup (id);
  z->name = g_strdup (id);
  z->capacity = capacity;
  z->opened = opened != NULL ? D (opened) : PSIM_DATE_NONE;
  z->closed = closed != NULL ? D (closed) : PSIM_DATE_NONE;
  return m->n_zones++;
}

static PsimAction
act (PsimActionKind kind, int32_t target, int32_t count)
{
  PsimAction a;
  memset (&a, 0, sizeof a);
  a.kind = kind;
  a.target = target;
  a.count = count;
  return a;
}

static PsimAction
act_rules (uint32_t field, int32_t value)
{
  PsimAction a = act (PSIM_ACTION_RULES, PSIM_ALL, 0);
  psim_rules_init_defaults (&a.rules);
  a.rules.set = field;
  if (field == PSIM_RULE_MINIMUM_AGE)
    a.rules.minimum_age = value;
  else if (field == PSIM_RULE_CAP_WINDOW)
    a.rules.permit_cap[PSIM_VENUE_WINDOW] = value;
  else if (field == PSIM_RULE_HOME_WORK)
    a.rules.home_regime = (PsimHomeRegime) value;
  else if (field == PSIM_RULE_REGISTRATION)
    a.rules.registration = value != 0;
  else
    g_assert_not_reached ();
  return a;
}

/* Appends an event; events must be added in date order (the loader sorts). */
static void
add_event (PsimMunicipality *m, const char *date, PsimAction a)
{
  m->events = g_renew (PsimEvent, m->events, m->n_events + 1);
  PsimEvent *e = &m->events[m->n_events++];
  memset (e, 0, sizeof *e);
  e->date = D (date);
  e->actions = g_new (PsimAction, 1);
  e->actions[0] = a;
  e->n_actions = 1;
}

static PsimScenario *
scenario_new (const char *name)
{
  PsimScenario *s = g_new0 (PsimScenario, 1);
  s->name = g_strdup (name);
  return s;
}

/* A change of one action; `ref` is the area or zone id as written (or NULL). */
static void
add_change (PsimScenario *s, const char *from, const char *municipality, PsimAction a, const char *ref)
{
  s->changes = g_renew (PsimChange, s->changes, s->n_changes + 1);
  PsimChange *c = &s->changes[s->n_changes++];
  memset (c, 0, sizeof *c);
  c->from = D (from);
  c->municipality = g_strdup (municipality);
  c->actions = g_new (PsimAction, 1);
  c->actions[0] = a;
  c->action_refs = g_new0 (char *, 1);
  c->action_refs[0] = g_strdup (ref);
  c->n_actions = 1;
}

static PsimMuniState state;

static void
at (const PsimMunicipality *m, const PsimRules *national, PsimScenario *const *sc, int n_sc,
    const char *iso)
{
  psim_muni_state_at (&state, m, national, sc, n_sc, D (iso));
}

/* ---------- tests ---------- */

static void
test_windows_before_at_after_events (void)
{
  PsimMunicipality m;
  muni_init (&m, "Teststad");
  int a = add_area (&m, "centrum", 100, NULL, NULL);
  add_area (&m, "haven", 40, NULL, NULL);
  add_event (&m, "2010-01-01", act (PSIM_ACTION_CLOSE_WINDOWS, a, 30));
  add_event (&m, "2012-06-15", act (PSIM_ACTION_CLOSE_WINDOWS, a, PSIM_ALL));

  at (&m, NULL, NULL, 0, "2009-12-31");
  CU_ASSERT_EQUAL (state.n_areas, 2);
  CU_ASSERT_EQUAL (state.area_windows[0], 100);
  CU_ASSERT_EQUAL (psim_muni_state_windows (&state), 140);
  at (&m, NULL, NULL, 0, "2010-01-01"); /* in force from the start of its day */
  CU_ASSERT_EQUAL (state.area_windows[0], 70);
  at (&m, NULL, NULL, 0, "2012-06-14");
  CU_ASSERT_EQUAL (state.area_windows[0], 70);
  at (&m, NULL, NULL, 0, "2012-06-15");
  CU_ASSERT_EQUAL (state.area_windows[0], 0);
  CU_ASSERT_EQUAL (state.area_windows[1], 40); /* the other area untouched */
  CU_ASSERT_EQUAL (psim_muni_state_windows (&state), 40);
  /* going back in time gives the earlier state again: the fold starts afresh */
  at (&m, NULL, NULL, 0, "2000-01-01");
  CU_ASSERT_EQUAL (psim_muni_state_windows (&state), 140);
  psim_municipality_clear (&m);
}

static void
test_partial_closures_and_reopening (void)
{
  PsimMunicipality m;
  muni_init (&m, "Teststad");
  int a = add_area (&m, "zandpad", 143, NULL, NULL);
  int b = add_area (&m, "kade", 20, NULL, NULL);
  add_event (&m, "2013-04-01", act (PSIM_ACTION_CLOSE_WINDOWS, a, 24));
  add_event (&m, "2013-05-01", act (PSIM_ACTION_CLOSE_WINDOWS, a, 500)); /* more than left */
  add_event (&m, "2014-01-01", act (PSIM_ACTION_OPEN_WINDOWS, a, 10));
  add_event (&m, "2015-01-01", act (PSIM_ACTION_OPEN_WINDOWS, a, PSIM_ALL));
  add_event (&m, "2016-01-01", act (PSIM_ACTION_OPEN_WINDOWS, a, 7)); /* enlarges the area */
  add_event (&m, "2017-01-01", act (PSIM_ACTION_CLOSE_WINDOWS, PSIM_ALL, 5)); /* every area */
  add_event (&m, "2018-01-01", act (PSIM_ACTION_CLOSE_WINDOWS, PSIM_ALL, PSIM_ALL));
  add_event (&m, "2019-01-01", act (PSIM_ACTION_OPEN_WINDOWS, PSIM_ALL, PSIM_ALL));

  at (&m, NULL, NULL, 0, "2013-03-31");
  CU_ASSERT_EQUAL (state.area_windows[a], 143);
  at (&m, NULL, NULL, 0, "2013-04-01");
  CU_ASSERT_EQUAL (state.area_windows[a], 119);
  at (&m, NULL, NULL, 0, "2013-05-01");
  CU_ASSERT_EQUAL (state.area_windows[a], 0); /* never below zero */
  at (&m, NULL, NULL, 0, "2014-01-01");
  CU_ASSERT_EQUAL (state.area_windows[a], 10);
  at (&m, NULL, NULL, 0, "2015-01-01");
  CU_ASSERT_EQUAL (state.area_windows[a], 143); /* its own count */
  at (&m, NULL, NULL, 0, "2016-01-01");
  CU_ASSERT_EQUAL (state.area_windows[a], 150);
  at (&m, NULL, NULL, 0, "2017-01-01");
  CU_ASSERT_EQUAL (state.area_windows[a], 145);
  CU_ASSERT_EQUAL (state.area_windows[b], 15);
  at (&m, NULL, NULL, 0, "2018-01-01");
  CU_ASSERT_EQUAL (psim_muni_state_windows (&state), 0);
  at (&m, NULL, NULL, 0, "2019-01-01");
  CU_ASSERT_EQUAL (state.area_windows[a], 143);
  CU_ASSERT_EQUAL (state.area_windows[b], 20);
  psim_municipality_clear (&m);
}

static void
test_area_and_zone_dates (void)
{
  PsimMunicipality m;
  muni_init (&m, "Teststad");
  int edison = add_area (&m, "edisonstraat", 108, NULL, "2003-12-31");
  int baek = add_area (&m, "baekelandplein", 24, "2005-01-01", NULL);
  int z1 = add_zone (&m, "oud", 35, "1997-01-01", "2001-01-01");
  int z2 = add_zone (&m, "nieuw", 30, "2001-01-01", NULL);
  /* an event on an area's own date comes after the date attribute */
  add_event (&m, "2005-01-01", act (PSIM_ACTION_CLOSE_WINDOWS, baek, 4));
  add_event (&m, "2010-01-01", act (PSIM_ACTION_CLOSE_STREET_ZONE, z2, 0));
  add_event (&m, "2011-01-01", act (PSIM_ACTION_OPEN_STREET_ZONE, PSIM_ALL, 0));

  at (&m, NULL, NULL, 0, "1996-06-01");
  CU_ASSERT_EQUAL (state.area_windows[edison], 108);
  CU_ASSERT_EQUAL (state.area_windows[baek], 0);
  CU_ASSERT_FALSE (state.zone_open[z1]); /* not yet opened */
  CU_ASSERT_EQUAL (psim_muni_state_zone_capacity (&state, &m), 0);
  at (&m, NULL, NULL, 0, "1999-01-01");
  CU_ASSERT_TRUE (state.zone_open[z1]);
  CU_ASSERT_FALSE (state.zone_open[z2]);
  CU_ASSERT_EQUAL (psim_muni_state_zone_capacity (&state, &m), 35);
  at (&m, NULL, NULL, 0, "2001-01-01"); /* one closes as the other opens */
  CU_ASSERT_FALSE (state.zone_open[z1]);
  CU_ASSERT_TRUE (state.zone_open[z2]);
  CU_ASSERT_EQUAL (psim_muni_state_zone_capacity (&state, &m), 30);
  at (&m, NULL, NULL, 0, "2003-12-30");
  CU_ASSERT_EQUAL (state.area_windows[edison], 108);
  at (&m, NULL, NULL, 0, "2003-12-31");
  CU_ASSERT_EQUAL (state.area_windows[edison], 0);
  CU_ASSERT_EQUAL (psim_muni_state_windows (&state), 0);
  at (&m, NULL, NULL, 0, "2005-01-01");
  CU_ASSERT_EQUAL (state.area_windows[baek], 20);
  at (&m, NULL, NULL, 0, "2010-01-01");
  CU_ASSERT_EQUAL (psim_muni_state_zone_capacity (&state, &m), 0);
  at (&m, NULL, NULL, 0, "2011-01-01"); /* every zone, also the one closed by its date */
  CU_ASSERT_EQUAL (psim_muni_state_zone_capacity (&state, &m), 65);
  psim_municipality_clear (&m);
}

static void
test_counts (void)
{
  PsimMunicipality m;
  muni_init (&m, "Teststad");
  add_event (&m, "2001-01-01", act (PSIM_ACTION_SET_CLUBS, PSIM_ALL, 8));
  add_event (&m, "2002-01-01", act (PSIM_ACTION_SET_ESCORT_AGENCIES, PSIM_ALL, 2));
  add_event (&m, "2003-01-01", act (PSIM_ACTION_SET_SEX_WORKERS, PSIM_ALL, 450));
  add_event (&m, "2004-01-01", act (PSIM_ACTION_SET_CLUBS, PSIM_ALL, 0));

  at (&m, NULL, NULL, 0, "2000-12-31");
  CU_ASSERT_EQUAL (state.clubs, 10);
  CU_ASSERT_EQUAL (state.escort_agencies, 4);
  CU_ASSERT_EQUAL (state.sex_workers, 500);
  at (&m, NULL, NULL, 0, "2003-01-01");
  CU_ASSERT_EQUAL (state.clubs, 8);
  CU_ASSERT_EQUAL (state.escort_agencies, 2);
  CU_ASSERT_EQUAL (state.sex_workers, 450);
  at (&m, NULL, NULL, 0, "2030-01-01");
  CU_ASSERT_EQUAL (state.clubs, 0);
  CU_ASSERT_EQUAL (psim_muni_state_windows (&state), 0); /* no areas at all */
  CU_ASSERT_EQUAL (psim_muni_state_zone_capacity (&state, &m), 0);
  psim_municipality_clear (&m);
}

static void
test_rule_overlay (void)
{
  PsimRules national;
  psim_rules_init_defaults (&national);
  national.set = PSIM_RULE_MINIMUM_AGE | PSIM_RULE_HOME_WORK | PSIM_RULE_ENFORCEMENT
                 | PSIM_RULE_REGISTRATION;
  national.minimum_age = 18;
  national.home_regime = PSIM_HOME_BANNED;
  national.enforcement = 0.5;
  national.registration = FALSE;

  PsimMunicipality m;
  muni_init (&m, "Teststad");
  m.rules.set = PSIM_RULE_HOME_WORK | PSIM_RULE_REGISTRATION;
  m.rules.home_regime = PSIM_HOME_ALLOWED; /* municipal over national */
  m.rules.registration = TRUE;
  m.rules.minimum_age = 30; /* not marked set: must not apply */
  add_event (&m, "2013-01-01", act_rules (PSIM_RULE_MINIMUM_AGE, 21));
  add_event (&m, "2014-01-01", act_rules (PSIM_RULE_HOME_WORK, PSIM_HOME_LICENCE_REQUIRED));
  add_event (&m, "2017-02-27", act_rules (PSIM_RULE_REGISTRATION, 0));

  at (&m, &national, NULL, 0, "2012-12-31");
  CU_ASSERT_EQUAL (state.rules.minimum_age, 18);
  CU_ASSERT_EQUAL (state.rules.home_regime, PSIM_HOME_ALLOWED);
  CU_ASSERT_TRUE (state.rules.registration);
  CU_ASSERT_DOUBLE_EQUAL (state.rules.enforcement, 0.5, 1e-12); /* national kept */
  CU_ASSERT_EQUAL (state.rules.permit_cap[PSIM_VENUE_CLUB], PSIM_UNLIMITED); /* default */
  CU_ASSERT_EQUAL (state.rules.set, PSIM_RULE_ALL); /* every field in force */
  at (&m, &national, NULL, 0, "2013-01-01"); /* events over municipal */
  CU_ASSERT_EQUAL (state.rules.minimum_age, 21);
  at (&m, &national, NULL, 0, "2020-01-01");
  CU_ASSERT_EQUAL (state.rules.home_regime, PSIM_HOME_LICENCE_REQUIRED);
  CU_ASSERT_FALSE (state.rules.registration);
  CU_ASSERT_EQUAL (state.rules.minimum_age, 21);
  /* without national rules the defaults stand under the municipality's */
  at (&m, NULL, NULL, 0, "2000-01-01");
  CU_ASSERT_DOUBLE_EQUAL (state.rules.enforcement, 0.0, 1e-12);
  CU_ASSERT_EQUAL (state.rules.home_regime, PSIM_HOME_ALLOWED);
  psim_municipality_clear (&m);
}

static void
test_scenario_order (void)
{
  PsimMunicipality m;
  muni_init (&m, "Teststad");
  add_event (&m, "2020-01-01", act_rules (PSIM_RULE_CAP_WINDOW, 100));
  add_event (&m, "2022-01-01", act_rules (PSIM_RULE_CAP_WINDOW, 90));

  PsimScenario *s1 = scenario_new ("half");
  add_change (s1, "2020-01-01", NULL, act_rules (PSIM_RULE_CAP_WINDOW, 50), NULL);
  PsimScenario *s2 = scenario_new ("seventy");
  add_change (s2, "2020-01-01", NULL, act_rules (PSIM_RULE_CAP_WINDOW, 70), NULL);
  add_change (s2, "2021-01-01", NULL, act_rules (PSIM_RULE_CAP_WINDOW, 60), NULL);
  add_change (s2, "2020-06-01", NULL, act_rules (PSIM_RULE_CAP_WINDOW, 65), NULL); /* not sorted */

  PsimScenario *s12[] = { s1, s2 };
  PsimScenario *s21[] = { s2, s1 };

  at (&m, NULL, NULL, 0, "2020-01-01");
  CU_ASSERT_EQUAL (state.rules.permit_cap[PSIM_VENUE_WINDOW], 100);
  /* same date: the municipality's event first, then the scenarios in the order given */
  at (&m, NULL, s12, 1, "2020-01-01");
  CU_ASSERT_EQUAL (state.rules.permit_cap[PSIM_VENUE_WINDOW], 50);
  at (&m, NULL, s12, 2, "2020-01-01");
  CU_ASSERT_EQUAL (state.rules.permit_cap[PSIM_VENUE_WINDOW], 70);
  at (&m, NULL, s21, 2, "2020-01-01");
  CU_ASSERT_EQUAL (state.rules.permit_cap[PSIM_VENUE_WINDOW], 50);
  /* dates come first: later changes win whichever file they are in */
  at (&m, NULL, s21, 2, "2020-06-01");
  CU_ASSERT_EQUAL (state.rules.permit_cap[PSIM_VENUE_WINDOW], 65);
  at (&m, NULL, s21, 2, "2021-06-01");
  CU_ASSERT_EQUAL (state.rules.permit_cap[PSIM_VENUE_WINDOW], 60);
  at (&m, NULL, s21, 2, "2022-01-01");
  CU_ASSERT_EQUAL (state.rules.permit_cap[PSIM_VENUE_WINDOW], 90);
  /* before the scenarios start they change nothing */
  at (&m, NULL, s12, 2, "2019-12-31");
  CU_ASSERT_EQUAL (state.rules.permit_cap[PSIM_VENUE_WINDOW], PSIM_UNLIMITED);

  psim_scenario_free (s1);
  psim_scenario_free (s2);
  psim_municipality_clear (&m);
}

static void
test_scenario_scope (void)
{
  PsimMunicipality utrecht, arnhem;
  muni_init (&utrecht, "Utrecht");
  add_area (&utrecht, "kade", 10, NULL, NULL);
  add_area (&utrecht, "zandpad", 143, NULL, NULL);
  add_zone (&utrecht, "europalaan", 45, NULL, NULL);
  muni_init (&arnhem, "Arnhem");
  add_area (&arnhem, "zandpad", 50, NULL, NULL); /* same id, other index */
  add_area (&arnhem, "spijkerkwartier", 158, NULL, NULL);

  PsimScenario *s = scenario_new ("test");
  /* every municipality: the area is found by its id in each */
  add_change (s, "2014-01-01", NULL, act (PSIM_ACTION_CLOSE_WINDOWS, -2, 40), "zandpad");
  /* one municipality, by name */
  add_change (s, "2015-01-01", "Utrecht", act_rules (PSIM_RULE_MINIMUM_AGE, 21), NULL);
  add_change (s, "2015-01-01", "Utrecht", act (PSIM_ACTION_CLOSE_STREET_ZONE, -2, 0), "europalaan");
  /* an id that one municipality lacks does nothing there */
  add_change (s, "2016-01-01", NULL, act (PSIM_ACTION_CLOSE_WINDOWS, -2, PSIM_ALL), "kade");
  add_change (s, "2017-01-01", NULL, act (PSIM_ACTION_SET_CLUBS, PSIM_ALL, 3), NULL);
  PsimScenario *list[] = { s };

  at (&utrecht, NULL, list, 1, "2014-01-01");
  CU_ASSERT_EQUAL (state.area_windows[1], 103);
  CU_ASSERT_EQUAL (state.area_windows[0], 10);
  at (&arnhem, NULL, list, 1, "2014-01-01");
  CU_ASSERT_EQUAL (state.area_windows[0], 10);
  CU_ASSERT_EQUAL (state.area_windows[1], 158);

  at (&utrecht, NULL, list, 1, "2015-01-01");
  CU_ASSERT_EQUAL (state.rules.minimum_age, 21);
  CU_ASSERT_FALSE (state.zone_open[0]);
  at (&arnhem, NULL, list, 1, "2015-01-01");
  CU_ASSERT_EQUAL (state.rules.minimum_age, 18);

  at (&utrecht, NULL, list, 1, "2016-01-01");
  CU_ASSERT_EQUAL (state.area_windows[0], 0);
  at (&arnhem, NULL, list, 1, "2016-01-01");
  CU_ASSERT_EQUAL (psim_muni_state_windows (&state), 10 + 158);

  at (&utrecht, NULL, list, 1, "2017-01-01");
  CU_ASSERT_EQUAL (state.clubs, 3);
  at (&arnhem, NULL, list, 1, "2017-01-01");
  CU_ASSERT_EQUAL (state.clubs, 3);

  psim_scenario_free (s);
  psim_municipality_clear (&utrecht);
  psim_municipality_clear (&arnhem);
}

static void
test_state_reuse (void)
{
  PsimMunicipality big, small;
  muni_init (&big, "Groot");
  for (int i = 0; i < 5; i++)
    {
      char id[8];
      g_snprintf (id, sizeof id, "a%d", i);
      add_area (&big, id, 10 * (i + 1), NULL, NULL);
    }
  add_zone (&big, "z", 20, NULL, NULL);
  muni_init (&small, "Klein");
  add_area (&small, "a", 7, NULL, NULL);

  at (&big, NULL, NULL, 0, "2000-01-01");
  int32_t *arrays = state.area_windows;
  gboolean *zones = state.zone_open;
  for (int week = 0; week < 52 * 24; week++)
    psim_muni_state_at (&state, &big, NULL, NULL, 0, D ("1999-01-04") + 7 * week);
  CU_ASSERT_PTR_EQUAL (state.area_windows, arrays); /* same sizes: no new arrays */
  CU_ASSERT_PTR_EQUAL (state.zone_open, zones);
  CU_ASSERT_EQUAL (psim_muni_state_windows (&state), 150);

  at (&small, NULL, NULL, 0, "2000-01-01");
  CU_ASSERT_EQUAL (state.n_areas, 1);
  CU_ASSERT_EQUAL (state.n_zones, 0);
  CU_ASSERT_EQUAL (psim_muni_state_windows (&state), 7);
  CU_ASSERT_EQUAL (psim_muni_state_zone_capacity (&state, &small), 0);
  at (&big, NULL, NULL, 0, "2000-01-01");
  CU_ASSERT_EQUAL (psim_muni_state_windows (&state), 150);
  CU_ASSERT_EQUAL (psim_muni_state_zone_capacity (&state, &big), 20);

  psim_municipality_clear (&big);
  psim_municipality_clear (&small);
}

static int
clear_state (void)
{
  psim_muni_state_clear (&state);
  return 0;
}

int
main (void)
{
  static const PsimTestCase cases[] = {
    { "windows before, at and after events", test_windows_before_at_after_events },
    { "partial closures and reopening", test_partial_closures_and_reopening },
    { "areas' and zones' own dates", test_area_and_zone_dates },
    { "clubs, agencies and demand", test_counts },
    { "rules: national < municipal < events", test_rule_overlay },
    { "scenarios: order on one date", test_scenario_order },
    { "scenarios: all municipalities or one", test_scenario_scope },
    { "state arrays are reused", test_state_reuse },
    { NULL, NULL },
  };
  psim_muni_state_init (&state);
  psim_test_add_suite ("timeline", cases);
  int status = psim_test_run ();
  clear_state ();
  return status;
}
