/* Tests for the rules in force (src/policy.c): sectors by mode, rules and
 * standing; who may take what; licensed places; and the bundled cities. */
#include "permitsim/loader.h"
#include "permitsim/timeline.h"
#include "policy.h"
#include "testutil.h"

#include <string.h>

static PsimRules
rules_with (PsimHomeRegime home)
{
  PsimRules r;
  psim_rules_init_defaults (&r);
  r.home_regime = home;
  return r;
}

static const unsigned DUTCH_ADULT = PSIM_STATUS_UNREGISTERED; /* no right-to-work or age problem */

static void
test_licensed_modes_need_conditions (void)
{
  PsimRules r = rules_with (PSIM_HOME_ALLOWED);
  const PsimMode licensed[] = { PSIM_MODE_WINDOW, PSIM_MODE_CLUB, PSIM_MODE_ESCORT_AGENCY,
                                PSIM_MODE_INDEPENDENT_LICENSED, PSIM_MODE_STREET_ZONE };
  for (gsize j = 0; j < G_N_ELEMENTS (licensed); j++)
    {
      PsimMode k = licensed[j];
      CU_ASSERT_EQUAL (psim_policy_sector (k, &r, DUTCH_ADULT), PSIM_SECTOR_LICENSED);
      /* no right to work: illegal */
      CU_ASSERT_EQUAL (psim_policy_sector (k, &r, DUTCH_ADULT | PSIM_STATUS_NO_RIGHT_TO_WORK),
                       PSIM_SECTOR_ILLEGAL);
      /* under the city's minimum age: illegal */
      CU_ASSERT_EQUAL (psim_policy_sector (k, &r, DUTCH_ADULT | PSIM_STATUS_UNDER_AGE), PSIM_SECTOR_ILLEGAL);
      /* registration: licensed only when registered */
      r.registration = true;
      CU_ASSERT_EQUAL (psim_policy_sector (k, &r, DUTCH_ADULT), PSIM_SECTOR_ILLEGAL);
      CU_ASSERT_EQUAL (psim_policy_sector (k, &r, 0), PSIM_SECTOR_LICENSED);
      r.registration = false;
    }
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_OUT, &r, 0), PSIM_N_SECTORS);
}

static void
test_home_work_by_regime (void)
{
  PsimRules allowed = rules_with (PSIM_HOME_ALLOWED), noncomm = rules_with (PSIM_HOME_NON_COMMERCIAL);
  PsimRules licence = rules_with (PSIM_HOME_LICENCE_REQUIRED), banned = rules_with (PSIM_HOME_BANNED);
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_HOME, &allowed, DUTCH_ADULT), PSIM_SECTOR_UNLICENSED);
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_HOME, &noncomm, DUTCH_ADULT), PSIM_SECTOR_UNLICENSED);
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_HOME, &licence, DUTCH_ADULT), PSIM_SECTOR_ILLEGAL);
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_HOME, &banned, DUTCH_ADULT), PSIM_SECTOR_ILLEGAL);
  /* a migrant without a work permit is illegal at home too */
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_HOME, &allowed, PSIM_STATUS_NO_RIGHT_TO_WORK),
                   PSIM_SECTOR_ILLEGAL);
  /* street work outside a zone is illegal */
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_STREET, &allowed, DUTCH_ADULT), PSIM_SECTOR_ILLEGAL);
}

static void
test_origin_status (void)
{
  CU_ASSERT_EQUAL (psim_policy_origin_status (PSIM_ORIGIN_DUTCH), 0u);
  CU_ASSERT_EQUAL (psim_policy_origin_status (PSIM_ORIGIN_EU), 0u);
  CU_ASSERT_EQUAL (psim_policy_origin_status (PSIM_ORIGIN_NON_EU_PERMIT), (unsigned) PSIM_STATUS_NO_RIGHT_TO_WORK);
  CU_ASSERT_EQUAL (psim_policy_origin_status (PSIM_ORIGIN_UNDOCUMENTED), (unsigned) PSIM_STATUS_NO_RIGHT_TO_WORK);
}

/* Decriminalisation: no sex-work-specific rules; home and street work are
 * legal without a licence; the right to work still matters. */
static void
test_decriminalisation (void)
{
  PsimRules r = rules_with (PSIM_HOME_BANNED), eff;
  r.registration = true;
  r.minimum_age = 21;
  r.permit_cap[PSIM_VENUE_CLUB] = 0;
  r.pimping_ban = true;
  r.client_criminalisation = true;
  r.decriminalisation = true;
  psim_policy_effective_rules (&r, &eff);
  CU_ASSERT_EQUAL (eff.home_regime, PSIM_HOME_ALLOWED);
  CU_ASSERT_FALSE (eff.registration);
  CU_ASSERT_EQUAL (eff.minimum_age, PSIM_LEGAL_AGE);
  CU_ASSERT_EQUAL (eff.permit_cap[PSIM_VENUE_CLUB], PSIM_UNLIMITED);
  CU_ASSERT_FALSE (eff.pimping_ban);
  CU_ASSERT_FALSE (eff.client_criminalisation);
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_HOME, &eff, DUTCH_ADULT), PSIM_SECTOR_UNLICENSED);
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_STREET, &eff, DUTCH_ADULT), PSIM_SECTOR_UNLICENSED);
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_CLUB, &eff, DUTCH_ADULT), PSIM_SECTOR_LICENSED);
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_HOME, &eff, PSIM_STATUS_NO_RIGHT_TO_WORK), PSIM_SECTOR_ILLEGAL);
  CU_ASSERT_FALSE (psim_policy_is_inspected (PSIM_SECTOR_UNLICENSED, &eff));
  CU_ASSERT_TRUE (psim_policy_is_inspected (PSIM_SECTOR_ILLEGAL, &eff));
  /* without decriminalisation the rules pass through unchanged */
  r.decriminalisation = false;
  psim_policy_effective_rules (&r, &eff);
  CU_ASSERT_EQUAL (memcmp (&r, &eff, sizeof r), 0);
  CU_ASSERT_TRUE (psim_policy_is_inspected (PSIM_SECTOR_UNLICENSED, &eff));
  CU_ASSERT_FALSE (psim_policy_is_inspected (PSIM_SECTOR_LICENSED, &eff));
}

static void
test_may_take (void)
{
  PsimRules r = rules_with (PSIM_HOME_ALLOWED);
  unsigned migrant = PSIM_STATUS_NO_RIGHT_TO_WORK | PSIM_STATUS_UNREGISTERED;
  /* a municipal licence needs the right to work */
  CU_ASSERT_FALSE (psim_policy_may_take (PSIM_MODE_INDEPENDENT_LICENSED, &r, migrant));
  CU_ASSERT_TRUE (psim_policy_may_take (PSIM_MODE_INDEPENDENT_LICENSED, &r, DUTCH_ADULT));
  /* operators take anyone unless intake checks are in force */
  CU_ASSERT_TRUE (psim_policy_may_take (PSIM_MODE_CLUB, &r, migrant));
  CU_ASSERT_TRUE (psim_policy_may_evade_registration (PSIM_MODE_CLUB, &r));
  r.operator_intake = true;
  CU_ASSERT_FALSE (psim_policy_may_take (PSIM_MODE_CLUB, &r, migrant));
  CU_ASSERT_FALSE (psim_policy_may_take (PSIM_MODE_WINDOW, &r, DUTCH_ADULT | PSIM_STATUS_UNDER_AGE));
  CU_ASSERT_TRUE (psim_policy_may_take (PSIM_MODE_WINDOW, &r, DUTCH_ADULT));
  CU_ASSERT_FALSE (psim_policy_may_evade_registration (PSIM_MODE_CLUB, &r));
  CU_ASSERT_FALSE (psim_policy_may_evade_registration (PSIM_MODE_INDEPENDENT_LICENSED, &r));
  /* everyone can work at home or on the street (legally or not), or stop */
  CU_ASSERT_TRUE (psim_policy_may_take (PSIM_MODE_HOME, &r, migrant));
  CU_ASSERT_TRUE (psim_policy_may_take (PSIM_MODE_STREET, &r, migrant));
  CU_ASSERT_TRUE (psim_policy_may_take (PSIM_MODE_OUT, &r, migrant));
}

static void
test_places (void)
{
  PsimParams p;
  memset (&p, 0, sizeof p);
  p.workers_per_window = 2.5;
  p.workers_per_club = 14;
  p.workers_per_escort_agency = 9;
  p.workers_per_independent_licence = 1;
  p.independent_licence_years = 5;
  p.mixed_use_places_per_window = 1;
  PsimRules r = rules_with (PSIM_HOME_LICENCE_REQUIRED);
  r.home_licences = 3;
  r.independent_licences_per_year = 2;
  PsimVenues v = { 101, 10, 4 };
  int32_t places[PSIM_N_MODES];
  psim_policy_places (&v, 45, &r, &p, places);
  CU_ASSERT_EQUAL (places[PSIM_MODE_WINDOW], 252); /* floor (101 x 2.5) */
  CU_ASSERT_EQUAL (places[PSIM_MODE_CLUB], 140);
  CU_ASSERT_EQUAL (places[PSIM_MODE_ESCORT_AGENCY], 36);
  CU_ASSERT_EQUAL (places[PSIM_MODE_INDEPENDENT_LICENSED], 13); /* 2 x 5 + 3 */
  CU_ASSERT_EQUAL (places[PSIM_MODE_STREET_ZONE], 45);
  CU_ASSERT_EQUAL (places[PSIM_MODE_HOME], 0);
  CU_ASSERT_EQUAL (places[PSIM_MODE_OUT], 0);
  r.mixed_use = true;
  psim_policy_places (&v, 0, &r, &p, places);
  CU_ASSERT_EQUAL (places[PSIM_MODE_INDEPENDENT_LICENSED], 13 + 101);
  CU_ASSERT_EQUAL (places[PSIM_MODE_STREET_ZONE], 0);
  /* home licences count only where home work needs a licence */
  r.mixed_use = false;
  r.home_regime = PSIM_HOME_BANNED;
  psim_policy_places (&v, 0, &r, &p, places);
  CU_ASSERT_EQUAL (places[PSIM_MODE_INDEPENDENT_LICENSED], 10);
}

static const PsimMunicipality *
find_municipality (const PsimRegion *region, const char *name)
{
  for (int m = 0; m < region->n_municipalities; m++)
    if (strcmp (region->municipalities[m].name, name) == 0)
      return &region->municipalities[m];
  return NULL;
}

/* The same home worker (Dutch, adult, not registered) is unlicensed in
 * Rotterdam (home work allowed under conditions) and illegal in Den Haag
 * (home work banned), read from the bundled files. */
static void
test_rotterdam_and_den_haag (void)
{
  g_autofree char *path = psim_test_path ("municipalities/netherlands.xml");
  GError *error = NULL;
  g_autoptr (PsimRegion) region = psim_region_load (path, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (region);
  const PsimMunicipality *rotterdam = find_municipality (region, "Rotterdam");
  const PsimMunicipality *den_haag = find_municipality (region, "Den Haag");
  CU_ASSERT_PTR_NOT_NULL_FATAL (rotterdam);
  CU_ASSERT_PTR_NOT_NULL_FATAL (den_haag);
  PsimDate date = psim_date_from_ymd (2010, 6, 1);
  PsimMuniState state;
  PsimRules rules;
  psim_muni_state_init (&state);

  psim_muni_state_at (&state, rotterdam, &region->national_rules, NULL, 0, date);
  psim_policy_effective_rules (&state.rules, &rules);
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_HOME, &rules, DUTCH_ADULT), PSIM_SECTOR_UNLICENSED);

  psim_muni_state_at (&state, den_haag, &region->national_rules, NULL, 0, date);
  psim_policy_effective_rules (&state.rules, &rules);
  CU_ASSERT_EQUAL (psim_policy_sector (PSIM_MODE_HOME, &rules, DUTCH_ADULT), PSIM_SECTOR_ILLEGAL);
  psim_muni_state_clear (&state);
}

int
main (void)
{
  static const PsimTestCase cases[] = {
    { "licensed modes need the city's conditions", test_licensed_modes_need_conditions },
    { "home work by regime; street outside a zone", test_home_work_by_regime },
    { "no work permit for non-EU migrants", test_origin_status },
    { "decriminalisation removes sex-work rules only", test_decriminalisation },
    { "who may take a mode (licences, operator intake)", test_may_take },
    { "licensed places from venues and licences", test_places },
    { "a home worker: unlicensed in Rotterdam, illegal in Den Haag", test_rotterdam_and_den_haag },
    { NULL, NULL },
  };
  psim_test_add_suite ("policy", cases);
  return psim_test_run ();
}
