/* Tests for the policy levers (MODEL.md §5) and the bundled scenarios in
 * municipalities/scenarios/: each lever acts through its mechanism and moves
 * the outcomes that mechanism implies, against a baseline run with the same
 * seed and replication numbers (common random numbers), with explicit
 * tolerances. Fixtures are small regions built in C (the bundled scenario
 * files are loaded against them) and, for the waterbed, the bundled region.
 * docs/levers.md describes each mechanism; PSIM_LEVERS_VERBOSE=1 prints
 * the values each test compares. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"
#include "permitsim/loader.h"
#include "testutil.h"

/* The reported years: 2025 before the scenarios (from 2026-01-01), then two
 * years under them; one burn-in year. */
#define FIRST_YEAR 2025
#define LAST_YEAR 2027
#define N_YEARS (LAST_YEAR - FIRST_YEAR + 1)
#define Y_BEFORE 0 /* 2025 */
#define Y_LAST 2   /* 2027 */
#define SEED 20260101u
#define REPS 2

/* ---------- fixtures ---------- */

/* The bundled parameters with a one-year burn-in (short runs). */
static PsimParams
test_params (void)
{
  PsimParams p = *psim_test_bundled_params ();
  p.burn_in_years = 1;
  return p;
}

static PsimRegion *
region_new (void)
{
  return psim_test_region_new ("levers", 2020, 2030);
}

/* Adds a city of a million under a maximum policy (caps at the venues it
 * has) and returns its index. */
static int
region_add (PsimRegion *r, const char *name, int32_t demand, int32_t windows, int32_t clubs,
            int32_t agencies, PsimHomeRegime home)
{
  int i = psim_test_region_add (r, name, 1000000, demand, clubs, agencies, home);
  if (windows > 0)
    psim_test_add_area (r, i, "ramen", windows);
  PsimMunicipality *m = &r->municipalities[i];
  m->rules.permit_cap[PSIM_VENUE_WINDOW] = windows;
  m->rules.permit_cap[PSIM_VENUE_CLUB] = clubs;
  m->rules.permit_cap[PSIM_VENUE_ESCORT_AGENCY] = agencies;
  m->rules.set |= PSIM_RULE_CAP_WINDOW | PSIM_RULE_CAP_CLUB | PSIM_RULE_CAP_ESCORT_AGENCY;
  return i;
}

/* A scenario built in C: one change for every municipality from 2026-01-01
 * with one action, whose rules (for PSIM_ACTION_RULES) the caller fills. */
static PsimScenario *
scenario_new (const char *name, PsimActionKind kind)
{
  return psim_test_scenario_new (name, 2026, kind);
}

static PsimRules *
scenario_rules (PsimScenario *s)
{
  return &s->changes[0].actions[0].rules;
}

/* A bundled scenario file, checked against `region`. */
static PsimScenario *
load_scenario (const char *name, const PsimRegion *region)
{
  g_autofree char *rel = g_strdup_printf ("municipalities/scenarios/%s.xml", name);
  g_autofree char *path = psim_test_path (rel);
  GError *error = NULL;
  PsimScenario *s = psim_scenario_load (path, region, NULL, &error);
  if (s == NULL)
    g_error ("cannot load %s: %s", rel, error->message);
  return s;
}

static PsimRunSpec
spec_for (const PsimRegion *r, const PsimParams *p, PsimScenario *const *scenarios, int n_scenarios,
          uint32_t replication)
{
  PsimRunSpec spec = psim_test_spec (r, p, FIRST_YEAR, LAST_YEAR, SEED);
  spec.scenarios = n_scenarios > 0 ? scenarios : NULL;
  spec.n_scenarios = n_scenarios;
  spec.replication = replication;
  return spec;
}

/* Region tallies per year, summed over replications 0..REPS-1: the same
 * seed and replication numbers for a scenario and its baseline. */
typedef struct {
  PsimTally year[N_YEARS];
} Outcome;

static void
run_reps (const PsimRegion *r, const PsimParams *p, PsimScenario *const *scenarios, int n_scenarios,
          Outcome *out)
{
  memset (out, 0, sizeof *out);
  for (uint32_t rep = 0; rep < REPS; rep++)
    {
      PsimRunSpec spec = spec_for (r, p, scenarios, n_scenarios, rep);
      PsimRunResult res;
      psim_test_engine_run (&spec, &res);
      for (int y = 0; y < N_YEARS; y++)
        {
          PsimTally t;
          psim_run_result_region (&res, y, &t);
          psim_tally_add (&out->year[y], &t);
        }
      psim_run_result_clear (&res);
    }
}

/* Runs baseline and scenario (common random numbers); the year before the
 * scenario starts must be the baseline's, byte for byte. */
static void
run_pair (const PsimRegion *r, const PsimParams *p, PsimScenario *const *scenarios, int n_scenarios,
          Outcome *base, Outcome *scen)
{
  run_reps (r, p, NULL, 0, base);
  run_reps (r, p, scenarios, n_scenarios, scen);
  CU_ASSERT_EQUAL (memcmp (&base->year[Y_BEFORE], &scen->year[Y_BEFORE], sizeof (PsimTally)), 0);
}

static double
share (int64_t part, int64_t whole)
{
  return whole > 0 ? (double) part / (double) whole : 0.0;
}

static double
reporting_rate (const PsimTally *t)
{
  return share (t->reports, t->incidents);
}

/* With PSIM_LEVERS_VERBOSE set, prints the two values a test compares
 * (baseline and scenario unless the label says otherwise), so that a
 * failure says by how much and a tolerance can be judged. */
static void
note (const char *what, double first, double second)
{
  if (g_getenv ("PSIM_LEVERS_VERBOSE") != NULL)
    fprintf (stderr, "  %s: %.4g | %.4g\n", what, first, second);
}

/* Steps a run to its end and hands back the engine (for the worker-level
 * checks); free with psim_engine_free. */
static PsimEngine *
run_to_end (const PsimRunSpec *spec)
{
  GError *error = NULL;
  PsimEngine *e = psim_engine_new (spec, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  while (e->week < e->total_weeks)
    psim_engine_step (e);
  return e;
}

static gboolean
right_to_work (const PsimEngine *e, gsize i)
{
  return (e->origin_status[e->workers.origin[i]] & PSIM_STATUS_NO_RIGHT_TO_WORK) == 0;
}

/* ---------- the bundled scenario files ---------- */

static const char *const scenario_names[] = {
  "lift-maximum-policy", "allow-home-work", "license-independents", "mixed-use-workspace",
  "ggd-registration", "local-registration", "pimping-ban", "client-criminalisation",
  "decriminalisation", "collaborative-governance", "close-all-windows", "twelve-rules",
};

/* The rules the first change of a scenario sets (every bundled scenario has one change). */
static const PsimRules *
first_rules (const PsimScenario *s, int action)
{
  CU_ASSERT_FATAL (s->n_changes >= 1 && action < s->changes[0].n_actions);
  return &s->changes[0].actions[action].rules;
}

/* Every bundled scenario loads against the bundled region, has a title and a
 * description, starts on 2026-01-01 and sets the levers its comment names. */
static void
test_scenario_files (void)
{
  g_autofree char *path = psim_test_path ("municipalities/netherlands.xml");
  GError *error = NULL;
  g_autoptr (PsimRegion) nl = psim_region_load (path, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (nl);
  PsimDate start = psim_date_from_ymd (2026, 1, 1);
  for (gsize k = 0; k < G_N_ELEMENTS (scenario_names); k++)
    {
      g_autoptr (PsimScenario) s = load_scenario (scenario_names[k], nl);
      CU_ASSERT_STRING_EQUAL (s->name, scenario_names[k]);
      CU_ASSERT (s->title != NULL && strlen (s->title) > 5);
      CU_ASSERT (s->description != NULL && strlen (s->description) > 20);
      CU_ASSERT_EQUAL (s->n_changes, 1);
      CU_ASSERT_EQUAL (s->changes[0].from, start);
      /* the whole region, but for the Amsterdam stress test */
      if (strcmp (s->name, "close-all-windows") == 0)
        {
          CU_ASSERT_STRING_EQUAL (s->changes[0].municipality, "Amsterdam");
          CU_ASSERT_EQUAL (s->changes[0].actions[0].kind, PSIM_ACTION_CLOSE_WINDOWS);
          CU_ASSERT_EQUAL (s->changes[0].actions[0].target, PSIM_ALL);
          CU_ASSERT_EQUAL (s->changes[0].actions[0].count, PSIM_ALL);
        }
      else
        CU_ASSERT_PTR_NULL (s->changes[0].municipality);
    }

  /* what each sets */
  g_autoptr (PsimScenario) lift = load_scenario ("lift-maximum-policy", nl);
  const PsimRules *r = first_rules (lift, 0);
  for (int v = 0; v < PSIM_N_VENUES; v++)
    CU_ASSERT_EQUAL (r->permit_cap[v], PSIM_UNLIMITED);
  g_autoptr (PsimScenario) home = load_scenario ("allow-home-work", nl);
  CU_ASSERT_EQUAL (first_rules (home, 0)->home_regime, PSIM_HOME_ALLOWED);
  g_autoptr (PsimScenario) lic = load_scenario ("license-independents", nl);
  CU_ASSERT_TRUE (first_rules (lic, 0)->set & PSIM_RULE_INDEPENDENT_LICENCES);
  CU_ASSERT_EQUAL (first_rules (lic, 0)->independent_licences_per_year, PSIM_UNLIMITED);
  g_autoptr (PsimScenario) ggd = load_scenario ("ggd-registration", nl);
  PsimRules merged;
  psim_rules_init_defaults (&merged);
  merged.set = 0;
  for (int a = 0; a < ggd->changes[0].n_actions; a++)
    psim_rules_apply (&merged, first_rules (ggd, a));
  CU_ASSERT_TRUE (merged.ggd_intake && merged.registration);
  g_autoptr (PsimScenario) twelve = load_scenario ("twelve-rules", nl);
  psim_rules_init_defaults (&merged);
  merged.set = 0;
  for (int a = 0; a < twelve->changes[0].n_actions; a++)
    psim_rules_apply (&merged, first_rules (twelve, a));
  CU_ASSERT_EQUAL (merged.permit_cap[PSIM_VENUE_CLUB], PSIM_UNLIMITED);
  CU_ASSERT_EQUAL (merged.home_regime, PSIM_HOME_ALLOWED);
  CU_ASSERT_TRUE (merged.mixed_use && merged.worker_run && merged.sw_organisation);
  CU_ASSERT_FALSE (merged.registration || merged.ggd_intake || merged.pimping_ban
                   || merged.client_criminalisation || merged.decriminalisation);
  CU_ASSERT_EQUAL (merged.participation, PSIM_PARTICIPATION_EQUAL_PARTNERSHIP);
}

/* ---------- permit caps (the maximum policy) ---------- */

/* Krapstad: too few licensed places for the workers who want one, home work
 * banned. Lifting the caps (the bundled file) lets venues open while workers
 * queue: more licensed places, more licensed workers, fewer pushed into
 * illegal work. (The window rent stays near its ceiling while any queue is
 * left, so it is only printed.) */
static void
test_lift_caps_where_workers_wait (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  r->national_rules.enforcement = 2.0;
  region_add (r, "Krapstad", 1500, 60, 4, 2, PSIM_HOME_BANNED);
  g_autoptr (PsimScenario) lift = load_scenario ("lift-maximum-policy", r);
  PsimParams p = test_params ();
  Outcome base, scen;
  run_pair (r, &p, &lift, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  int64_t places_b = b->places[PSIM_MODE_WINDOW] + b->places[PSIM_MODE_CLUB] + b->places[PSIM_MODE_ESCORT_AGENCY];
  int64_t places_s = s->places[PSIM_MODE_WINDOW] + s->places[PSIM_MODE_CLUB] + s->places[PSIM_MODE_ESCORT_AGENCY];
  note ("venue places", places_b, places_s);
  note ("window places", b->places[PSIM_MODE_WINDOW], s->places[PSIM_MODE_WINDOW]);
  note ("club places", b->places[PSIM_MODE_CLUB], s->places[PSIM_MODE_CLUB]);
  note ("licensed", b->sector[PSIM_SECTOR_LICENSED], s->sector[PSIM_SECTOR_LICENSED]);
  note ("illegal", b->sector[PSIM_SECTOR_ILLEGAL], s->sector[PSIM_SECTOR_ILLEGAL]);
  note ("waiting", b->waiting, s->waiting);
  note ("window rent", b->window_rent_sum / b->window_rent_places, s->window_rent_sum / s->window_rent_places);
  /* the baseline has a queue: the lever has something to act on */
  CU_ASSERT (b->waiting > 10);
  /* new venues at a bounded rate: at least a year's minimum over the two
   * years (places open only in weeks when someone queues), at most two
   * years' worth of the larger of the minimum and the share */
  int64_t more_windows = s->places[PSIM_MODE_WINDOW] - b->places[PSIM_MODE_WINDOW];
  double per_year = MAX (p.opening_min_windows, p.opening_share * 60);
  CU_ASSERT (more_windows >= (int64_t) (REPS * p.opening_min_windows * p.workers_per_window));
  CU_ASSERT (more_windows <= (int64_t) (REPS * 2 * (per_year + 1) * p.workers_per_window));
  /* licensed up by at least 10%; at least half of the new licensed workers
   * would otherwise have worked illegally */
  int64_t more_licensed = s->sector[PSIM_SECTOR_LICENSED] - b->sector[PSIM_SECTOR_LICENSED];
  int64_t less_illegal = b->sector[PSIM_SECTOR_ILLEGAL] - s->sector[PSIM_SECTOR_ILLEGAL];
  CU_ASSERT (more_licensed > b->sector[PSIM_SECTOR_LICENSED] / 10);
  CU_ASSERT (less_illegal >= more_licensed / 2);
  /* and no more workers than the market supports */
  CU_ASSERT (s->workers <= (int64_t) REPS * 1500);
}

/* Ruimstad: more licensed places than workers, so nobody waits. Lifting the
 * caps opens nothing and changes little: the model can say a lever does not
 * help. Tolerance: licensed and illegal within 1% of the baseline. */
static void
test_lift_caps_where_nobody_waits (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Ruimstad", 600, 300, 40, 30, PSIM_HOME_BANNED);
  g_autoptr (PsimScenario) lift = load_scenario ("lift-maximum-policy", r);
  PsimParams p = test_params ();
  Outcome base, scen;
  run_pair (r, &p, &lift, 1, &base, &scen);
  for (int y = 0; y < N_YEARS; y++)
    {
      const PsimTally *b = &base.year[y], *s = &scen.year[y];
      CU_ASSERT_EQUAL (b->waiting, 0);
      CU_ASSERT_EQUAL (s->waiting, 0);
      for (int k = 0; k < PSIM_N_MODES; k++)
        CU_ASSERT_EQUAL (s->places[k], b->places[k]);
      CU_ASSERT_DOUBLE_EQUAL (s->sector[PSIM_SECTOR_LICENSED], b->sector[PSIM_SECTOR_LICENSED],
                              0.01 * b->sector[PSIM_SECTOR_LICENSED]);
      CU_ASSERT_DOUBLE_EQUAL (s->sector[PSIM_SECTOR_ILLEGAL], b->sector[PSIM_SECTOR_ILLEGAL],
                              0.01 * b->workers);
    }
}

/* Fewer clubs (a count set by an event, as the timeline does): the surplus
 * club workers are evicted and, with home work banned, more work illegally. */
static void
test_club_count (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Clubstad", 1200, 40, 40, 10, PSIM_HOME_BANNED);
  g_autoptr (PsimScenario) fewer = scenario_new ("fewer-clubs", PSIM_ACTION_SET_CLUBS);
  fewer->changes[0].actions[0].count = 10;
  PsimParams p = test_params ();
  Outcome base, scen;
  run_pair (r, &p, &fewer, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  CU_ASSERT_EQUAL (s->places[PSIM_MODE_CLUB], (int64_t) REPS * (int64_t) floor (10 * p.workers_per_club));
  CU_ASSERT (s->mode[PSIM_MODE_CLUB] <= s->places[PSIM_MODE_CLUB]);
  CU_ASSERT (s->mode[PSIM_MODE_CLUB] < b->mode[PSIM_MODE_CLUB] / 2);
  CU_ASSERT (s->sector[PSIM_SECTOR_ILLEGAL] > b->sector[PSIM_SECTOR_ILLEGAL] * 1.1);
}

/* ---------- home work ---------- */

/* Counts, at the end of a run, the home workers by right to work and sector. */
typedef struct {
  int home_rtw[PSIM_N_SECTORS];    /* with a right to do this work */
  int home_no_rtw[PSIM_N_SECTORS]; /* non-EU */
} HomeCount;

static void
count_home (const PsimEngine *e, HomeCount *c)
{
  memset (c, 0, sizeof *c);
  for (gsize i = 0; i < e->workers.n; i++)
    {
      if (e->workers.mode[i] != PSIM_MODE_HOME)
        continue;
      PsimSector s = psim_engine_sector (e, i);
      if (right_to_work (e, i))
        c->home_rtw[s]++;
      else
        c->home_no_rtw[s]++;
    }
}

/* Verbodstad bans home work. Allowing it (the bundled file): home workers
 * with a right to this work are unlicensed instead of illegal, non-EU home
 * workers stay illegal, and sanctions (fines, evictions) fall. */
static void
test_allow_home_work (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Verbodstad", 1500, 40, 8, 4, PSIM_HOME_BANNED);
  g_autoptr (PsimScenario) allow = load_scenario ("allow-home-work", r);
  PsimParams p = test_params ();
  HomeCount before, after;
  PsimRunSpec spec = spec_for (r, &p, NULL, 0, 0);
  PsimEngine *e = run_to_end (&spec);
  count_home (e, &before);
  psim_engine_free (e);
  spec = spec_for (r, &p, &allow, 1, 0);
  e = run_to_end (&spec);
  count_home (e, &after);
  CU_ASSERT_EQUAL (e->munis[0].sector[PSIM_MODE_HOME][0], PSIM_SECTOR_UNLICENSED);
  psim_engine_free (e);
  CU_ASSERT (before.home_rtw[PSIM_SECTOR_ILLEGAL] > 200);
  CU_ASSERT_EQUAL (before.home_rtw[PSIM_SECTOR_UNLICENSED], 0);
  CU_ASSERT (after.home_rtw[PSIM_SECTOR_UNLICENSED] > 200);
  CU_ASSERT_EQUAL (after.home_rtw[PSIM_SECTOR_ILLEGAL], 0);
  CU_ASSERT (after.home_no_rtw[PSIM_SECTOR_ILLEGAL] > 0);
  CU_ASSERT_EQUAL (after.home_no_rtw[PSIM_SECTOR_UNLICENSED], 0);

  Outcome base, scen;
  run_pair (r, &p, &allow, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  note ("illegal", b->sector[PSIM_SECTOR_ILLEGAL], s->sector[PSIM_SECTOR_ILLEGAL]);
  note ("fines + evictions", b->fines + b->evictions, s->fines + s->evictions);
  note ("reporting rate", reporting_rate (b), reporting_rate (s));
  CU_ASSERT (s->sector[PSIM_SECTOR_ILLEGAL] < b->sector[PSIM_SECTOR_ILLEGAL] * 0.7);
  CU_ASSERT (s->sector[PSIM_SECTOR_UNLICENSED] > b->sector[PSIM_SECTOR_UNLICENSED]);
  CU_ASSERT (s->fines + s->evictions < (b->fines + b->evictions) * 0.8);
  /* unlicensed work reports more than illegal work */
  CU_ASSERT (reporting_rate (s) > reporting_rate (b) * 1.05);
}

/* Non-commercial home work (tolerated, but no advertising and no colleague)
 * earns less and is more dangerous than free home work: allowing it fully
 * lowers the violence of home workers. */
static void
test_non_commercial_home_work (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Gedoogstad", 1500, 40, 8, 4, PSIM_HOME_NON_COMMERCIAL);
  g_autoptr (PsimScenario) allow = load_scenario ("allow-home-work", r);
  PsimParams p = test_params ();
  Outcome base, scen;
  run_pair (r, &p, &allow, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  note ("incidents per worker", share (b->incidents, b->workers), share (s->incidents, s->workers));
  note ("home", b->mode[PSIM_MODE_HOME], s->mode[PSIM_MODE_HOME]);
  note ("illegal", b->sector[PSIM_SECTOR_ILLEGAL], s->sector[PSIM_SECTOR_ILLEGAL]);
  note ("street", b->mode[PSIM_MODE_STREET], s->mode[PSIM_MODE_STREET]);
  note ("unlicensed", b->sector[PSIM_SECTOR_UNLICENSED], s->sector[PSIM_SECTOR_UNLICENSED]);
  /* home work is unlicensed either way; free home work pays better, so it
   * draws workers (from the street, illegal), and it is safer */
  CU_ASSERT (s->mode[PSIM_MODE_HOME] > b->mode[PSIM_MODE_HOME]);
  CU_ASSERT (s->sector[PSIM_SECTOR_UNLICENSED] > b->sector[PSIM_SECTOR_UNLICENSED]);
  CU_ASSERT (s->mode[PSIM_MODE_STREET] < b->mode[PSIM_MODE_STREET]);
  CU_ASSERT (share (s->incidents, s->workers) < share (b->incidents, b->workers) * 0.97);
}

/* ---------- licences for independent workers ---------- */

/* Licences on demand (the bundled file, per-year "unlimited") where home
 * work is banned: independent licensed work opens to every worker with a
 * right to work and never fills up; non-EU workers get none; a licence is a
 * registration, so those who take one are registered and less
 * privacy-sensitive than the eligible workers who do not. */
static void
test_licences_on_demand (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Verbodstad", 1500, 40, 8, 4, PSIM_HOME_BANNED);
  g_autoptr (PsimScenario) lic = load_scenario ("license-independents", r);
  PsimParams p = test_params ();
  PsimRunSpec spec = spec_for (r, &p, &lic, 1, 0);
  GError *error = NULL;
  PsimEngine *e = psim_engine_new (&spec, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  int full_weeks = 0;
  while (e->week < e->total_weeks)
    {
      psim_engine_step (e);
      const PsimMuniRun *mr = &e->munis[0];
      if (psim_engine_week_year (e, e->week - 1) >= 1) /* from 2026 */
        full_weeks += mr->occupied[PSIM_MODE_INDEPENDENT_LICENSED] >= mr->places[PSIM_MODE_INDEPENDENT_LICENSED];
    }
  CU_ASSERT_EQUAL (e->munis[0].places[PSIM_MODE_INDEPENDENT_LICENSED], PSIM_UNLIMITED);
  CU_ASSERT_EQUAL (full_weeks, 0);
  int holders = 0, holders_unregistered = 0, holders_no_rtw = 0, eligible_others = 0;
  double privacy_holders = 0.0, privacy_others = 0.0;
  for (gsize i = 0; i < e->workers.n; i++)
    {
      double privacy = e->workers.privacy[i] / 255.0;
      if (e->workers.mode[i] == PSIM_MODE_INDEPENDENT_LICENSED)
        {
          holders++;
          privacy_holders += privacy;
          holders_unregistered += !(e->workers.flags[i] & PSIM_WF_REGISTERED);
          holders_no_rtw += !right_to_work (e, i);
        }
      else if (e->workers.mode[i] != PSIM_MODE_OUT && right_to_work (e, i))
        {
          eligible_others++;
          privacy_others += privacy;
        }
    }
  psim_engine_free (e);
  note ("licence holders, other eligible workers", holders, eligible_others);
  note ("mean privacy: others, holders", privacy_others / MAX (eligible_others, 1), privacy_holders / MAX (holders, 1));
  CU_ASSERT (holders > 300);
  CU_ASSERT_EQUAL (holders_unregistered, 0);
  CU_ASSERT_EQUAL (holders_no_rtw, 0);
  CU_ASSERT (eligible_others > 50);
  CU_ASSERT (privacy_holders / holders < privacy_others / eligible_others - 0.05);

  /* against the baseline: licensed up, illegal down; the output counts the
   * licences held */
  Outcome base, scen;
  run_pair (r, &p, &lic, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  CU_ASSERT_EQUAL (s->places[PSIM_MODE_INDEPENDENT_LICENSED], s->mode[PSIM_MODE_INDEPENDENT_LICENSED]);
  CU_ASSERT (s->sector[PSIM_SECTOR_LICENSED] > b->sector[PSIM_SECTOR_LICENSED] * 1.5);
  CU_ASSERT (s->sector[PSIM_SECTOR_ILLEGAL] < b->sector[PSIM_SECTOR_ILLEGAL] * 0.7);
}

/* A fixed number of licences (10 a year, valid capacity.independent-licence-years)
 * fills up: workers queue for them, and fewer leave illegal work than with
 * licences on demand. */
static void
test_licences_on_paper (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Verbodstad", 1500, 40, 8, 4, PSIM_HOME_BANNED);
  g_autoptr (PsimScenario) ten = scenario_new ("ten-licences", PSIM_ACTION_RULES);
  scenario_rules (ten)->set = PSIM_RULE_INDEPENDENT_LICENCES;
  scenario_rules (ten)->independent_licences_per_year = 10;
  g_autoptr (PsimScenario) lic = load_scenario ("license-independents", r);
  PsimParams p = test_params ();
  Outcome base, few, all;
  run_pair (r, &p, &ten, 1, &base, &few);
  run_reps (r, &p, &lic, 1, &all);
  const PsimTally *b = &base.year[Y_LAST], *f = &few.year[Y_LAST], *a = &all.year[Y_LAST];
  int64_t places = (int64_t) floor (10 * p.independent_licence_years * p.workers_per_independent_licence);
  CU_ASSERT_EQUAL (f->places[PSIM_MODE_INDEPENDENT_LICENSED], REPS * places);
  CU_ASSERT_EQUAL (f->mode[PSIM_MODE_INDEPENDENT_LICENSED], REPS * places); /* full */
  CU_ASSERT (f->waiting > b->waiting);
  CU_ASSERT (f->sector[PSIM_SECTOR_ILLEGAL] < b->sector[PSIM_SECTOR_ILLEGAL]);
  CU_ASSERT (a->sector[PSIM_SECTOR_ILLEGAL] < f->sector[PSIM_SECTOR_ILLEGAL] * 0.8);
}

/* ---------- new organisational forms ---------- */

/* Mixed use (the bundled file): every open window adds daytime workspace for
 * independent workers; they take it, and licensed work grows. */
static void
test_mixed_use_workspace (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Raamstad", 1500, 120, 8, 4, PSIM_HOME_NON_COMMERCIAL);
  g_autoptr (PsimScenario) mixed = load_scenario ("mixed-use-workspace", r);
  PsimParams p = test_params ();
  Outcome base, scen;
  run_pair (r, &p, &mixed, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  int64_t workspace = (int64_t) floor (120 * p.mixed_use_places_per_window);
  note ("independent licensed", b->mode[PSIM_MODE_INDEPENDENT_LICENSED], s->mode[PSIM_MODE_INDEPENDENT_LICENSED]);
  note ("licensed", b->sector[PSIM_SECTOR_LICENSED], s->sector[PSIM_SECTOR_LICENSED]);
  CU_ASSERT_EQUAL (b->places[PSIM_MODE_INDEPENDENT_LICENSED], 0);
  CU_ASSERT_EQUAL (s->places[PSIM_MODE_INDEPENDENT_LICENSED], REPS * workspace);
  CU_ASSERT_EQUAL (s->places[PSIM_MODE_WINDOW], b->places[PSIM_MODE_WINDOW]); /* windows by night stay */
  CU_ASSERT (s->mode[PSIM_MODE_INDEPENDENT_LICENSED] > REPS * workspace / 2);
  CU_ASSERT (s->sector[PSIM_SECTOR_LICENSED] > b->sector[PSIM_SECTOR_LICENSED] + REPS * workspace / 3);
}

/* The daytime workspace is rented: the value of independent licensed work
 * falls with income.workspace-rent-factor by exactly the rent of its share
 * of the places (here all of them are workspace). */
static void
test_workspace_rent (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Raamstad", 800, 100, 4, 2, PSIM_HOME_NON_COMMERCIAL);
  r->municipalities[0].rules.mixed_use = true;
  r->municipalities[0].rules.set |= PSIM_RULE_MIXED_USE;
  double value[2];
  PsimParams p = test_params ();
  for (int k = 0; k < 2; k++)
    {
      p.workspace_rent_factor = k == 0 ? 0.5 : 1.5;
      PsimRunSpec spec = spec_for (r, &p, NULL, 0, 0);
      GError *error = NULL;
      PsimEngine *e = psim_engine_new (&spec, NULL, &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (e);
      psim_engine_prepare_rules (e);
  psim_engine_prepare_market (e);
      CU_ASSERT_EQUAL (e->munis[0].places[PSIM_MODE_INDEPENDENT_LICENSED], (int32_t) floor (100 * p.mixed_use_places_per_window));
      value[k] = e->munis[0].utility[PSIM_MODE_INDEPENDENT_LICENSED][PSIM_SECTOR_LICENSED];
      psim_engine_free (e);
    }
  double expected = p.income_weight * 1.0 * p.window_rent / 100.0; /* price index 1 at the start */
  CU_ASSERT_DOUBLE_EQUAL (value[0] - value[1], expected, 1e-4);
}

/* Worker-run venues need a licence like any other venue: allowed alone,
 * under a maximum policy, they change nothing at all. Stacked on the lifted
 * caps (a bundled file and a scenario built here, in order), the clubs that
 * open are worker-run and take a smaller share: a club place is worth more. */
static void
test_worker_run_venues (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  r->national_rules.enforcement = 2.0;
  region_add (r, "Krapstad", 1500, 30, 6, 2, PSIM_HOME_BANNED);
  g_autoptr (PsimScenario) worker_run = scenario_new ("worker-run", PSIM_ACTION_RULES);
  scenario_rules (worker_run)->set = PSIM_RULE_WORKER_RUN;
  scenario_rules (worker_run)->worker_run = true;
  g_autoptr (PsimScenario) lift = load_scenario ("lift-maximum-policy", r);
  PsimParams p = test_params ();
  Outcome base, alone;
  run_pair (r, &p, &worker_run, 1, &base, &alone);
  CU_ASSERT_EQUAL (memcmp (&base, &alone, sizeof base), 0);
  /* on lifted caps the clubs that open are worker-run: in the same state of
   * the run, a club place is worth more with worker-run venues allowed than
   * with the lever switched off */
  PsimScenario *stack[] = { lift, worker_run };
  PsimRunSpec spec = spec_for (r, &p, stack, 2, 0);
  PsimEngine *e = run_to_end (&spec);
  PsimMuniRun *mr = &e->munis[0];
  int32_t opened = mr->opened.clubs, clubs = psim_engine_venues_total (mr, PSIM_VENUE_CLUB);
  double price = mr->price[PSIM_VENUE_CLUB];
  double crowding = pow ((mr->demand + 1.0) / (mr->population + 1.0), p.crowding_elasticity);
  CU_ASSERT_TRUE (mr->rules.worker_run);
  psim_engine_prepare_rules (e);
  psim_engine_prepare_market (e);
  double value_worker_run = mr->utility[PSIM_MODE_CLUB][PSIM_SECTOR_LICENSED];
  mr->rules.worker_run = false;
  psim_engine_prepare_rules (e);
  psim_engine_prepare_market (e);
  double value_operators = mr->utility[PSIM_MODE_CLUB][PSIM_SECTOR_LICENSED];
  psim_engine_free (e);
  note ("clubs opened / all", opened, clubs);
  note ("club value: operators, worker-run", value_operators, value_worker_run);
  CU_ASSERT (opened >= 1);
  /* the clubs that opened take income.worker-run-share-factor of the base
   * share instead of the (marked-up) operator's share: the value of a club
   * place rises by the income weight times that difference, averaged over
   * the clubs, on the club income */
  double operator_share = MIN (p.club_share * price, p.max_operator_share);
  double lower = (operator_share - p.club_share * p.worker_run_share_factor) * opened / (double) clubs;
  double expected = p.income_weight * p.income_club * crowding * lower / 100.0;
  CU_ASSERT (expected > 0.1);
  CU_ASSERT_DOUBLE_EQUAL (value_worker_run - value_operators, expected, 1e-4);
}

/* ---------- registration, intake, minimum age ---------- */

/* At the end of a run: among workers with a right to work, by privacy
 * sensitivity (lowest and highest quarter), how many work licensed and
 * registered; and the mean trust of registered and unregistered workers. */
typedef struct {
  int n[2], registered_licensed[2];
  double trust_registered, trust_unregistered;
  int n_registered, n_unregistered;
  int venue_unregistered; /* in a window, club or agency, unregistered, with a right to work */
  int venue_no_rtw;       /* in a window, club or agency without a right to work */
} RegistrationCount;

static void
count_registration (const PsimEngine *e, RegistrationCount *c)
{
  memset (c, 0, sizeof *c);
  const PsimWorkers *w = &e->workers;
  for (gsize i = 0; i < w->n; i++)
    {
      if (w->mode[i] == PSIM_MODE_OUT)
        continue;
      gboolean registered = (w->flags[i] & PSIM_WF_REGISTERED) != 0;
      gboolean venue = w->mode[i] == PSIM_MODE_WINDOW || w->mode[i] == PSIM_MODE_CLUB
                       || w->mode[i] == PSIM_MODE_ESCORT_AGENCY;
      if (registered)
        {
          c->n_registered++;
          c->trust_registered += w->trust[i];
        }
      else
        {
          c->n_unregistered++;
          c->trust_unregistered += w->trust[i];
        }
      if (!right_to_work (e, i))
        {
          c->venue_no_rtw += venue;
          continue;
        }
      c->venue_unregistered += venue && !registered;
      int band = w->privacy[i] < 64 ? 0 : w->privacy[i] >= 192 ? 1 : -1;
      if (band < 0)
        continue;
      c->n[band]++;
      c->registered_licensed[band] += registered && psim_engine_sector (e, i) == PSIM_SECTOR_LICENSED;
    }
  if (c->n_registered > 0)
    c->trust_registered /= c->n_registered;
  if (c->n_unregistered > 0)
    c->trust_unregistered /= c->n_unregistered;
}

/* A local registration duty (the bundled file) in a city where operators do
 * not check: privacy-sensitive workers register far less than others, many
 * evade it in licensed venues (illegal work) or leave licensed work, and the
 * registered trust the police less. */
static void
test_local_registration (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Registerstad", 1500, 120, 20, 8, PSIM_HOME_NON_COMMERCIAL);
  g_autoptr (PsimScenario) reg = load_scenario ("local-registration", r);
  PsimParams p = test_params ();
  PsimRunSpec spec = spec_for (r, &p, &reg, 1, 0);
  PsimEngine *e = run_to_end (&spec);
  RegistrationCount c;
  count_registration (e, &c);
  psim_engine_free (e);
  double low = share (c.registered_licensed[0], c.n[0]), high = share (c.registered_licensed[1], c.n[1]);
  note ("registered and licensed: privacy low, high", low, high);
  note ("trust: unregistered, registered", c.trust_unregistered, c.trust_registered);
  CU_ASSERT (c.n[0] > 100 && c.n[1] > 100);
  CU_ASSERT (high < low * 0.8);
  CU_ASSERT (c.venue_unregistered > 0); /* evading: illegal work in a venue */
  CU_ASSERT (c.trust_registered < c.trust_unregistered - 0.03);

  Outcome base, scen;
  run_pair (r, &p, &reg, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  note ("licensed", b->sector[PSIM_SECTOR_LICENSED], s->sector[PSIM_SECTOR_LICENSED]);
  note ("illegal", b->sector[PSIM_SECTOR_ILLEGAL], s->sector[PSIM_SECTOR_ILLEGAL]);
  note ("reporting rate", reporting_rate (b), reporting_rate (s));
  CU_ASSERT (s->sector[PSIM_SECTOR_LICENSED] < b->sector[PSIM_SECTOR_LICENSED] * 0.9);
  CU_ASSERT (s->sector[PSIM_SECTOR_ILLEGAL] > b->sector[PSIM_SECTOR_ILLEGAL] * 1.1);
  CU_ASSERT (reporting_rate (s) < reporting_rate (b));
}

/* Operator intake interviews with the registration duty: operators turn away
 * who does not meet the conditions, so nobody evades the duty in a venue and
 * no worker without a right to work is in one. Without intake (the control)
 * both happen. */
static void
test_operator_intake (void)
{
  for (int intake = 0; intake <= 1; intake++)
    {
      g_autoptr (PsimRegion) r = region_new ();
      int m = region_add (r, "Intakestad", 1500, 120, 20, 8, PSIM_HOME_NON_COMMERCIAL);
      r->municipalities[m].rules.registration = true;
      r->municipalities[m].rules.operator_intake = intake;
      r->municipalities[m].rules.set |= PSIM_RULE_REGISTRATION | PSIM_RULE_OPERATOR_INTAKE;
      PsimParams p = test_params ();
      PsimRunSpec spec = spec_for (r, &p, NULL, 0, 0);
      PsimEngine *e = run_to_end (&spec);
      RegistrationCount c;
      count_registration (e, &c);
      psim_engine_free (e);
      if (intake)
        {
          CU_ASSERT_EQUAL (c.venue_unregistered, 0);
          CU_ASSERT_EQUAL (c.venue_no_rtw, 0);
        }
      else
        {
          CU_ASSERT (c.venue_unregistered > 0);
          CU_ASSERT (c.venue_no_rtw > 0);
        }
    }
}

/* National registration through GGD intake (the bundled file): care is no
 * longer anonymous, so the weekly chance of a test falls by exactly
 * care.ggd-intake-factor in every mode and sector, and fewer workers were
 * tested in the last 12 months; the registration duty comes with it. */
static void
test_ggd_registration (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Zorgstad", 1500, 120, 20, 8, PSIM_HOME_NON_COMMERCIAL);
  g_autoptr (PsimScenario) ggd = load_scenario ("ggd-registration", r);
  PsimParams p = test_params ();
  /* the tables: rates multiplied by the factor */
  PsimEngine *e[2];
  for (int k = 0; k < 2; k++)
    {
      PsimRunSpec spec = spec_for (r, &p, &ggd, k, 0);
      GError *error = NULL;
      e[k] = psim_engine_new (&spec, NULL, &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (e[k]);
      while (psim_engine_week_year (e[k], e[k]->week) < 1)
        psim_engine_step (e[k]);
      psim_engine_step (e[k]);
    }
  CU_ASSERT_TRUE (e[1]->munis[0].rules.ggd_intake);
  for (int mode = 0; mode < PSIM_MODE_OUT; mode++)
    for (int s = 0; s < PSIM_N_SECTORS; s++)
      {
        double rate0 = -log1p (-(double) e[0]->munis[0].cell[mode][s].p_test);
        double rate1 = -log1p (-(double) e[1]->munis[0].cell[mode][s].p_test);
        CU_ASSERT_DOUBLE_EQUAL (rate1 / rate0, p.care_ggd_intake, 1e-4);
      }
  psim_engine_free (e[0]);
  psim_engine_free (e[1]);

  Outcome base, scen;
  run_pair (r, &p, &ggd, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  double tested_b = share (b->tested_12m, b->workers), tested_s = share (s->tested_12m, s->workers);
  note ("tested in 12 months", tested_b, tested_s);
  CU_ASSERT (tested_s < tested_b * 0.8);
  CU_ASSERT (s->sector[PSIM_SECTOR_ILLEGAL] > b->sector[PSIM_SECTOR_ILLEGAL]);
}

/* A minimum age of 21: no worker under 21 works licensed, and more of them
 * work illegally than under the legal minimum of 18. */
static void
test_minimum_age (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Leeftijdstad", 3000, 200, 30, 10, PSIM_HOME_NON_COMMERCIAL);
  g_autoptr (PsimScenario) age = scenario_new ("minimum-age-21", PSIM_ACTION_RULES);
  scenario_rules (age)->set = PSIM_RULE_MINIMUM_AGE;
  scenario_rules (age)->minimum_age = 21;
  PsimParams p = test_params ();
  int young = -1;
  for (int g = 0; g < psim_group_count (); g++)
    if (strcmp (psim_group_name (g), "18-20") == 0)
      young = g;
  CU_ASSERT_FATAL (young >= 0);
  int64_t licensed[2] = { 0 }, illegal[2] = { 0 }, workers[2] = { 0 };
  for (int k = 0; k < 2; k++)
    for (uint32_t rep = 0; rep < REPS; rep++)
      {
        PsimRunSpec spec = spec_for (r, &p, &age, k, rep);
        PsimRunResult res;
        CU_ASSERT_TRUE_FATAL (psim_engine_run (&spec, &res, NULL));
        const PsimTally *t = &res.groups[(gsize) Y_LAST * (gsize) psim_group_count () + (gsize) young];
        licensed[k] += t->sector[PSIM_SECTOR_LICENSED];
        illegal[k] += t->sector[PSIM_SECTOR_ILLEGAL];
        workers[k] += t->workers;
        psim_run_result_clear (&res);
      }
  note ("18-20 licensed", licensed[0], licensed[1]);
  note ("18-20 illegal share", share (illegal[0], workers[0]), share (illegal[1], workers[1]));
  CU_ASSERT (workers[0] > 30 && workers[1] > 30);
  CU_ASSERT (licensed[0] > 0);
  CU_ASSERT_EQUAL (licensed[1], 0);
  CU_ASSERT (share (illegal[1], workers[1]) > share (illegal[0], workers[0]) + 0.1);
}

/* ---------- street zones and enforcement ---------- */

/* Closing a street zone: its workers go to the street (illegal) or
 * elsewhere; illegal work and incidents rise (opening a zone cut registered
 * sexual abuse and rape by 30-40%: Bisschop, Kastoryano & van der Klaauw). */
static void
test_street_zone (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  int m = region_add (r, "Tippelstad", 1500, 40, 8, 4, PSIM_HOME_BANNED);
  psim_test_add_zone (r, m, "zone", 150);
  g_autoptr (PsimScenario) close = scenario_new ("close-zone", PSIM_ACTION_CLOSE_STREET_ZONE);
  PsimParams p = test_params ();
  p.asc_street = p.asc_street_zone = 0.5; /* enough street work to see */
  Outcome base, scen;
  run_pair (r, &p, &close, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  note ("street zone, street", b->mode[PSIM_MODE_STREET_ZONE], b->mode[PSIM_MODE_STREET]);
  note ("street after", b->mode[PSIM_MODE_STREET], s->mode[PSIM_MODE_STREET]);
  note ("sexual 12m", b->violence_12m[PSIM_VIOLENCE_SEXUAL], s->violence_12m[PSIM_VIOLENCE_SEXUAL]);
  CU_ASSERT (b->mode[PSIM_MODE_STREET_ZONE] > REPS * 100);
  CU_ASSERT_EQUAL (s->mode[PSIM_MODE_STREET_ZONE], 0);
  CU_ASSERT_EQUAL (s->places[PSIM_MODE_STREET_ZONE], 0);
  note ("illegal", b->sector[PSIM_SECTOR_ILLEGAL], s->sector[PSIM_SECTOR_ILLEGAL]);
  /* the zone's workers lose licensed work: most of them work illegally now */
  int64_t zone = b->mode[PSIM_MODE_STREET_ZONE];
  CU_ASSERT (s->mode[PSIM_MODE_STREET] > b->mode[PSIM_MODE_STREET]);
  CU_ASSERT (s->sector[PSIM_SECTOR_ILLEGAL] > b->sector[PSIM_SECTOR_ILLEGAL] + zone / 2);
  CU_ASSERT (share (s->incidents, s->workers) > share (b->incidents, b->workers));
}

/* More inspections of unlicensed and illegal work: more fines and
 * evictions, lower trust, and a lower share of incidents reported. */
static void
test_enforcement (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Handhaafstad", 1500, 40, 8, 4, PSIM_HOME_BANNED);
  g_autoptr (PsimScenario) strict = scenario_new ("strict", PSIM_ACTION_RULES);
  scenario_rules (strict)->set = PSIM_RULE_ENFORCEMENT;
  scenario_rules (strict)->enforcement = 4.0;
  PsimParams p = test_params ();
  Outcome base, scen;
  run_pair (r, &p, &strict, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  note ("inspections", b->inspections, s->inspections);
  note ("reporting rate", reporting_rate (b), reporting_rate (s));
  /* eight times the intensity, on fewer illegal workers: at least four times the inspections */
  CU_ASSERT (s->inspections > 4 * b->inspections);
  CU_ASSERT (s->fines + s->evictions > 3 * (b->fines + b->evictions));
  CU_ASSERT (reporting_rate (s) < reporting_rate (b) * 0.95);
}

/* ---------- pimping ban and client criminalisation ---------- */

/* The pimping ban (the bundled file) takes drivers and security from
 * unlicensed and illegal workers: where everyone works at home, physical,
 * sexual and financial violence rise; where everyone works licensed, almost
 * nothing changes (the ban touches licensed work not at all). */
static void
test_pimping_ban (void)
{
  PsimParams p = test_params ();
  /* everyone at home (allowed: unlicensed), no venues */
  g_autoptr (PsimRegion) home = region_new ();
  region_add (home, "Thuisstad", 1500, 0, 0, 0, PSIM_HOME_ALLOWED);
  g_autoptr (PsimScenario) ban = load_scenario ("pimping-ban", home);
  PsimParams p_home = p;
  p_home.asc_street = -20.0;
  Outcome base, scen;
  run_pair (home, &p_home, &ban, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  for (int t = 0; t < PSIM_N_VIOLENCE; t++)
    note (psim_violence_name ((PsimViolence) t), share (b->violence_12m[t], b->workers),
          share (s->violence_12m[t], s->workers));
  note ("exploited", b->exploited, s->exploited);
  CU_ASSERT (share (s->violence_12m[PSIM_VIOLENCE_PHYSICAL], s->workers)
             > share (b->violence_12m[PSIM_VIOLENCE_PHYSICAL], b->workers) + 0.03);
  CU_ASSERT (share (s->violence_12m[PSIM_VIOLENCE_FINANCIAL], s->workers)
             > share (b->violence_12m[PSIM_VIOLENCE_FINANCIAL], b->workers) + 0.03);
  /* social-emotional violence is not the drivers' and guards' to prevent */
  CU_ASSERT_DOUBLE_EQUAL (share (s->violence_12m[PSIM_VIOLENCE_SOCIAL], s->workers),
                          share (b->violence_12m[PSIM_VIOLENCE_SOCIAL], b->workers), 0.02);
  CU_ASSERT (s->exploited > b->exploited);

  /* everyone licensed: plenty of places, everyone with a right to work, no
   * home or street work */
  g_autoptr (PsimRegion) lic = region_new ();
  region_add (lic, "Vergunstad", 800, 300, 40, 20, PSIM_HOME_BANNED);
  const double eu_only[PSIM_N_ORIGINS] = { 0.6, 0.4, 0.0, 0.0 }; /* all with a right to work */
  memcpy (lic->municipalities[0].origin_mix, eu_only, sizeof eu_only);
  g_autoptr (PsimScenario) ban2 = load_scenario ("pimping-ban", lic);
  PsimParams p_lic = p;
  p_lic.asc_street = p_lic.asc_home = -20.0; /* nobody works outside a venue */
  run_pair (lic, &p_lic, &ban2, 1, &base, &scen);
  b = &base.year[Y_LAST];
  s = &scen.year[Y_LAST];
  note ("licensed city: incidents per worker", share (b->incidents, b->workers), share (s->incidents, s->workers));
  note ("licensed city: licensed share", share (b->sector[PSIM_SECTOR_LICENSED], b->workers),
        share (s->sector[PSIM_SECTOR_LICENSED], s->workers));
  CU_ASSERT (share (b->sector[PSIM_SECTOR_LICENSED], b->workers) > 0.95);
  CU_ASSERT_DOUBLE_EQUAL (share (s->incidents, s->workers), share (b->incidents, b->workers),
                          0.02 * share (b->incidents, b->workers));
}

/* Client criminalisation (the bundled file): clients rush negotiations, so
 * physical and sexual violence rise in every sector; reporting a client
 * means losing business, so a smaller share of incidents is reported. */
static void
test_client_criminalisation (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Noordstad", 1500, 120, 20, 8, PSIM_HOME_NON_COMMERCIAL);
  g_autoptr (PsimScenario) nordic = load_scenario ("client-criminalisation", r);
  PsimParams p = test_params ();
  Outcome base, scen;
  run_pair (r, &p, &nordic, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  double phys_b = share (b->violence_12m[PSIM_VIOLENCE_PHYSICAL], b->workers);
  double phys_s = share (s->violence_12m[PSIM_VIOLENCE_PHYSICAL], s->workers);
  double fin_b = share (b->violence_12m[PSIM_VIOLENCE_FINANCIAL], b->workers);
  double fin_s = share (s->violence_12m[PSIM_VIOLENCE_FINANCIAL], s->workers);
  note ("physical 12m", phys_b, phys_s);
  note ("financial 12m", fin_b, fin_s);
  note ("reporting rate", reporting_rate (b), reporting_rate (s));
  CU_ASSERT (phys_s > phys_b + 0.04);
  CU_ASSERT (share (s->violence_12m[PSIM_VIOLENCE_SEXUAL], s->workers)
             > share (b->violence_12m[PSIM_VIOLENCE_SEXUAL], b->workers) + 0.02);
  CU_ASSERT_DOUBLE_EQUAL (fin_s, fin_b, 0.03);
  CU_ASSERT (reporting_rate (s) < reporting_rate (b) * 0.9);
  /* the demand is an input: no fewer workers */
  CU_ASSERT_DOUBLE_EQUAL (s->workers, b->workers, 0.03 * b->workers);
}

/* ---------- decriminalisation ---------- */

/* Decriminalisation (the bundled file) in two cities: home and street work
 * become legal, fewer work illegally and more incidents are reported; but it
 * adds no workers beyond what demand supports (New Zealand: the number stayed
 * about the same): the workers present never exceed the total demand, and
 * the active ones are no more than the baseline's (tolerance 2%). */
static void
test_decriminalisation (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Verbodstad", 1000, 40, 6, 3, PSIM_HOME_BANNED);
  region_add (r, "Gedoogstad", 800, 60, 6, 3, PSIM_HOME_NON_COMMERCIAL);
  g_autoptr (PsimScenario) decrim = load_scenario ("decriminalisation", r);
  PsimParams p = test_params ();
  int32_t demand = 1000 + 800, max_present = 0;
  int over = 0;
  PsimRunSpec spec = spec_for (r, &p, &decrim, 1, 0);
  GError *error = NULL;
  PsimEngine *e = psim_engine_new (&spec, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  while (e->week < e->total_weeks)
    {
      psim_engine_step (e);
      int32_t present = e->munis[0].population + e->munis[1].population;
      over += present > demand;
      max_present = MAX (max_present, present);
    }
  CU_ASSERT_TRUE (e->munis[0].rules.decriminalisation);
  CU_ASSERT_EQUAL (e->munis[0].sector[PSIM_MODE_HOME][0], PSIM_SECTOR_UNLICENSED);
  CU_ASSERT_EQUAL (e->munis[0].sector[PSIM_MODE_STREET][0], PSIM_SECTOR_UNLICENSED);
  psim_engine_free (e);
  CU_ASSERT_EQUAL (over, 0);
  CU_ASSERT (max_present > demand * 0.9); /* the bound was close: it was tested */

  Outcome base, scen;
  run_pair (r, &p, &decrim, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  note ("workers", b->workers, s->workers);
  note ("illegal", b->sector[PSIM_SECTOR_ILLEGAL], s->sector[PSIM_SECTOR_ILLEGAL]);
  note ("reporting rate", reporting_rate (b), reporting_rate (s));
  CU_ASSERT (s->workers <= b->workers * 1.02);
  CU_ASSERT (s->sector[PSIM_SECTOR_ILLEGAL] < b->sector[PSIM_SECTOR_ILLEGAL] * 0.6);
  CU_ASSERT (reporting_rate (s) > reporting_rate (b) * 1.2);
  CU_ASSERT (s->inspections < b->inspections);
}

/* ---------- participation ---------- */

/* Collaborative governance (the bundled file): shared decision-making and a
 * sex-worker-led organisation raise the trust target, so trust, the share of
 * incidents reported and testing rise; the rules do not change, so neither
 * do the sectors (tolerance 3%). */
static void
test_collaborative_governance (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Samenstad", 1500, 120, 20, 8, PSIM_HOME_NON_COMMERCIAL);
  g_autoptr (PsimScenario) collab = load_scenario ("collaborative-governance", r);
  PsimParams p = test_params ();
  double trust[2];
  for (int k = 0; k < 2; k++)
    {
      PsimRunSpec spec = spec_for (r, &p, &collab, k, 0);
      PsimEngine *e = run_to_end (&spec);
      double sum = 0.0;
      for (gsize i = 0; i < e->workers.n; i++)
        sum += e->workers.trust[i];
      trust[k] = sum / (double) e->workers.n;
      psim_engine_free (e);
    }
  note ("mean trust", trust[0], trust[1]);
  CU_ASSERT (trust[1] > trust[0] + 0.05);

  Outcome base, scen;
  run_pair (r, &p, &collab, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  note ("reporting rate", reporting_rate (b), reporting_rate (s));
  note ("reported 12m", share (b->reported_12m, b->workers), share (s->reported_12m, s->workers));
  CU_ASSERT (reporting_rate (s) > reporting_rate (b) * 1.15);
  CU_ASSERT (share (s->reported_12m, s->workers) > share (b->reported_12m, b->workers));
  CU_ASSERT (share (s->tested_12m, s->workers) > share (b->tested_12m, b->workers));
  for (int sec = 0; sec < PSIM_N_SECTORS; sec++)
    CU_ASSERT_DOUBLE_EQUAL (s->sector[sec], b->sector[sec], 0.03 * b->workers);
}

/* ---------- window areas ---------- */

/* Reopening a window area that closed in 2021 (a scenario built here): its
 * places come back and fill, and with home work banned fewer work illegally. */
static void
test_reopen_windows (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  int m = region_add (r, "Heropenstad", 1200, 100, 8, 4, PSIM_HOME_BANNED);
  r->municipalities[m].areas[0].closed = psim_date_from_ymd (2021, 1, 1);
  g_autoptr (PsimScenario) reopen = scenario_new ("reopen", PSIM_ACTION_OPEN_WINDOWS);
  reopen->changes[0].actions[0].target = 0;
  PsimParams p = test_params ();
  Outcome base, scen;
  run_pair (r, &p, &reopen, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  int64_t places = REPS * (int64_t) floor (100 * p.workers_per_window);
  CU_ASSERT_EQUAL (b->places[PSIM_MODE_WINDOW], 0);
  CU_ASSERT_EQUAL (s->places[PSIM_MODE_WINDOW], places);
  CU_ASSERT (s->mode[PSIM_MODE_WINDOW] > places / 2);
  CU_ASSERT (s->sector[PSIM_SECTOR_ILLEGAL] < b->sector[PSIM_SECTOR_ILLEGAL] - places / 4);
}

/* ---------- closures: the waterbed, on the bundled region ---------- */

static int
municipality_index (const PsimRegion *r, const char *name)
{
  for (int m = 0; m < r->n_municipalities; m++)
    if (strcmp (r->municipalities[m].name, name) == 0)
      return m;
  return -1;
}

/* Closing every window area of Amsterdam (the bundled stress test, on the
 * bundled region): that week no one works in an Amsterdam window; its window
 * workers choose again, and some move to other municipalities (the
 * waterbed); over the year more workers leave Amsterdam than in the
 * baseline, and the other cities' window places do not grow (their caps). */
static void
test_close_all_windows_waterbed (void)
{
  g_autofree char *path = psim_test_path ("municipalities/netherlands.xml");
  GError *error = NULL;
  g_autoptr (PsimRegion) nl = psim_region_load (path, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (nl);
  int ams = municipality_index (nl, "Amsterdam");
  CU_ASSERT_FATAL (ams >= 0);
  g_autoptr (PsimScenario) close = load_scenario ("close-all-windows", nl);
  PsimParams p = test_params ();
  PsimRunSpec spec;
  memset (&spec, 0, sizeof spec);
  spec.region = nl;
  spec.params = &p;
  spec.first_year = 2025;
  spec.last_year = 2026;
  spec.seed = SEED;
  PsimRunResult base, scen;
  CU_ASSERT_TRUE_FATAL (psim_engine_run (&spec, &base, &error));

  PsimScenario *list[] = { close };
  spec.scenarios = list;
  spec.n_scenarios = 1;
  PsimEngine *e = psim_engine_new (&spec, &scen, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  PsimDate closure = psim_date_from_ymd (2026, 1, 1);
  while (psim_engine_week_date (e, e->week) < closure)
    psim_engine_step (e);
  GHashTable *window_workers = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (gsize i = 0; i < e->workers.n; i++)
    if (e->workers.muni[i] == ams && e->workers.mode[i] == PSIM_MODE_WINDOW)
      g_hash_table_add (window_workers, GUINT_TO_POINTER (e->workers.serial[i]));
  int before = (int) g_hash_table_size (window_workers);
  psim_engine_step (e);
  CU_ASSERT_EQUAL (e->munis[ams].places[PSIM_MODE_WINDOW], 0);
  int in_windows = 0, elsewhere = 0, other_work = 0, out = 0, found = 0;
  for (gsize i = 0; i < e->workers.n; i++)
    {
      if (e->workers.muni[i] == ams && e->workers.mode[i] == PSIM_MODE_WINDOW)
        in_windows++;
      if (!g_hash_table_contains (window_workers, GUINT_TO_POINTER (e->workers.serial[i])))
        continue;
      found++;
      if (e->workers.muni[i] != ams)
        elsewhere++;
      else if (e->workers.mode[i] == PSIM_MODE_OUT)
        out++;
      else
        other_work++;
    }
  g_hash_table_unref (window_workers);
  note ("Amsterdam window workers before, out after", before, out);
  note ("moved elsewhere, other work in Amsterdam", elsewhere, other_work);
  CU_ASSERT (before > 300);
  CU_ASSERT_EQUAL (in_windows, 0);
  CU_ASSERT (elsewhere >= 10);                /* the waterbed */
  CU_ASSERT (other_work >= before / 10);      /* clubs, agencies, home work in Amsterdam */
  CU_ASSERT (found - elsewhere - other_work == out);
  CU_ASSERT (found >= before * 9 / 10);       /* few careers end in the week itself */
  while (e->week < e->total_weeks)
    psim_engine_step (e);
  psim_engine_free (e);

  /* 2026 against the baseline (same seed and replication) */
  int n = nl->n_municipalities;
  const PsimTally *b_ams = &base.annual[1 * n + ams], *s_ams = &scen.annual[1 * n + ams];
  note ("Amsterdam moved out in 2026", b_ams->moved_out, s_ams->moved_out);
  CU_ASSERT_EQUAL (s_ams->mode[PSIM_MODE_WINDOW], 0);
  CU_ASSERT (s_ams->moved_out > b_ams->moved_out + 50);
  int64_t moved_in_elsewhere_b = 0, moved_in_elsewhere_s = 0;
  for (int m = 0; m < n; m++)
    {
      if (m == ams)
        continue;
      CU_ASSERT_EQUAL (scen.annual[1 * n + m].places[PSIM_MODE_WINDOW], base.annual[1 * n + m].places[PSIM_MODE_WINDOW]);
      moved_in_elsewhere_b += base.annual[1 * n + m].moved_in;
      moved_in_elsewhere_s += scen.annual[1 * n + m].moved_in;
    }
  CU_ASSERT (moved_in_elsewhere_s > moved_in_elsewhere_b);
  /* 2025, before the closure, is the baseline's */
  CU_ASSERT_EQUAL (memcmp (&base.annual[ams], &scen.annual[ams], sizeof (PsimTally)), 0);
  psim_run_result_clear (&base);
  psim_run_result_clear (&scen);
}

/* ---------- scenarios stacked ---------- */

/* Scenarios apply in the order given, each lever the last one set: GGD
 * registration followed by the twelve rules (which switch registration and
 * GGD intake off) is exactly the twelve rules; the other order keeps the
 * registration and gives other results. */
static void
test_stacking_order (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  region_add (r, "Stapelstad", 1200, 80, 10, 4, PSIM_HOME_BANNED);
  g_autoptr (PsimScenario) ggd = load_scenario ("ggd-registration", r);
  g_autoptr (PsimScenario) twelve = load_scenario ("twelve-rules", r);
  PsimParams p = test_params ();
  Outcome alone, ggd_then_twelve, twelve_then_ggd;
  run_reps (r, &p, &twelve, 1, &alone);
  PsimScenario *order1[] = { ggd, twelve };
  run_reps (r, &p, order1, 2, &ggd_then_twelve);
  PsimScenario *order2[] = { twelve, ggd };
  run_reps (r, &p, order2, 2, &twelve_then_ggd);
  CU_ASSERT_EQUAL (memcmp (&alone, &ggd_then_twelve, sizeof alone), 0);
  CU_ASSERT_NOT_EQUAL (memcmp (&alone, &twelve_then_ggd, sizeof alone), 0);
  /* with GGD registration on top, fewer are tested */
  const PsimTally *a = &alone.year[Y_LAST], *g = &twelve_then_ggd.year[Y_LAST];
  CU_ASSERT (share (g->tested_12m, g->workers) < share (a->tested_12m, a->workers));
}

/* The twelve rules as a package, against the baseline: fewer illegal
 * workers, more reporting, more testing, less violence. */
static void
test_twelve_rules (void)
{
  g_autoptr (PsimRegion) r = region_new ();
  int m = region_add (r, "Regelstad", 1500, 80, 10, 4, PSIM_HOME_BANNED);
  r->municipalities[m].rules.registration = true;
  r->municipalities[m].rules.set |= PSIM_RULE_REGISTRATION;
  g_autoptr (PsimScenario) twelve = load_scenario ("twelve-rules", r);
  PsimParams p = test_params ();
  Outcome base, scen;
  run_pair (r, &p, &twelve, 1, &base, &scen);
  const PsimTally *b = &base.year[Y_LAST], *s = &scen.year[Y_LAST];
  note ("illegal", b->sector[PSIM_SECTOR_ILLEGAL], s->sector[PSIM_SECTOR_ILLEGAL]);
  note ("reporting rate", reporting_rate (b), reporting_rate (s));
  note ("incidents per worker", share (b->incidents, b->workers), share (s->incidents, s->workers));
  CU_ASSERT (s->sector[PSIM_SECTOR_ILLEGAL] < b->sector[PSIM_SECTOR_ILLEGAL] * 0.5);
  CU_ASSERT (reporting_rate (s) > reporting_rate (b) * 1.5);
  CU_ASSERT (share (s->tested_12m, s->workers) > share (b->tested_12m, b->workers));
  CU_ASSERT (share (s->incidents, s->workers) < share (b->incidents, b->workers) * 0.9);
  CU_ASSERT (s->workers <= b->workers * 1.02);
}

int
main (void)
{
  static const PsimTestCase cases[] = {
    { "every bundled scenario loads and sets its levers", test_scenario_files },
    { "lifting caps where workers wait: more licensed, fewer illegal", test_lift_caps_where_workers_wait },
    { "lifting caps where nobody waits changes little", test_lift_caps_where_nobody_waits },
    { "fewer clubs: club workers evicted, more illegal work", test_club_count },
    { "allowing home work: unlicensed instead of illegal", test_allow_home_work },
    { "non-commercial home work: poorer and more dangerous", test_non_commercial_home_work },
    { "licences on demand: no queue, privacy-sensitive workers decline", test_licences_on_demand },
    { "licences on paper: a fixed number fills up", test_licences_on_paper },
    { "mixed use: daytime workspace in windows for independents", test_mixed_use_workspace },
    { "mixed use: the workspace is rented", test_workspace_rent },
    { "worker-run venues: nothing alone, a better club place on lifted caps", test_worker_run_venues },
    { "local registration: privacy-sensitive workers leave licensed work", test_local_registration },
    { "operator intake: nobody evades registration in a venue", test_operator_intake },
    { "GGD registration: care no longer anonymous, fewer tests", test_ggd_registration },
    { "minimum age 21: no licensed work under 21", test_minimum_age },
    { "closing a street zone: more illegal street work", test_street_zone },
    { "more enforcement: more sanctions, less reporting", test_enforcement },
    { "pimping ban: more violence for unlicensed workers only", test_pimping_ban },
    { "client criminalisation: more violence, less reporting", test_client_criminalisation },
    { "decriminalisation: legal work, no workers beyond demand", test_decriminalisation },
    { "collaborative governance: more trust, more reporting", test_collaborative_governance },
    { "reopening a window area: places back, fewer illegal", test_reopen_windows },
    { "closing Amsterdam's windows: displaced, some to other cities", test_close_all_windows_waterbed },
    { "stacked scenarios apply in order", test_stacking_order },
    { "the twelve rules as a package", test_twelve_rules },
    { NULL, NULL },
  };
  psim_test_add_suite ("levers", cases);
  return psim_test_run ();
}
