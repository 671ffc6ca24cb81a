/* Tests for dates, names and rule sets (src/model.c). */
#include "permitsim/model.h"
#include "testutil.h"

static void
test_date_roundtrip (void)
{
  PsimDate d = psim_date_parse ("2013-07-01");
  CU_ASSERT (d != PSIM_DATE_NONE);
  char buf[11];
  psim_date_format (d, buf);
  CU_ASSERT_STRING_EQUAL (buf, "2013-07-01");
  CU_ASSERT_EQUAL (psim_date_year (d), 2013);
  CU_ASSERT_EQUAL (psim_date_parse ("2013-07-02") - d, 1);
  CU_ASSERT_EQUAL (psim_date_parse ("2013-02-30"), PSIM_DATE_NONE);
  CU_ASSERT_EQUAL (psim_date_parse ("2013-7-01"), PSIM_DATE_NONE);
  CU_ASSERT_EQUAL (psim_date_parse (""), PSIM_DATE_NONE);
  CU_ASSERT_EQUAL (psim_date_parse ("2016-02-29") + 1, psim_date_parse ("2016-03-01"));
}

static void
test_rules_apply_only_set_fields (void)
{
  PsimRules base, over;
  psim_rules_init_defaults (&base);
  psim_rules_init_defaults (&over);
  over.set = PSIM_RULE_MINIMUM_AGE | PSIM_RULE_CAP_CLUB;
  over.minimum_age = 21;
  over.permit_cap[PSIM_VENUE_CLUB] = 12;
  over.home_regime = PSIM_HOME_BANNED; /* not marked set: must not apply */
  psim_rules_apply (&base, &over);
  CU_ASSERT_EQUAL (base.minimum_age, 21);
  CU_ASSERT_EQUAL (base.permit_cap[PSIM_VENUE_CLUB], 12);
  CU_ASSERT_EQUAL (base.permit_cap[PSIM_VENUE_WINDOW], PSIM_UNLIMITED);
  CU_ASSERT_EQUAL (base.home_regime, PSIM_HOME_ALLOWED);
  CU_ASSERT_EQUAL (base.set, PSIM_RULE_MINIMUM_AGE | PSIM_RULE_CAP_CLUB);
}

static void
test_names (void)
{
  CU_ASSERT_STRING_EQUAL (psim_mode_name (PSIM_MODE_ESCORT_AGENCY), "escort-agency");
  CU_ASSERT_STRING_EQUAL (psim_sector_name (PSIM_SECTOR_ILLEGAL), "illegal");
  CU_ASSERT_STRING_EQUAL (psim_home_regime_name (PSIM_HOME_LICENCE_REQUIRED), "licence-required");
  CU_ASSERT_STRING_EQUAL (psim_origin_name (PSIM_ORIGIN_NON_EU_PERMIT), "non-eu-permit");
  CU_ASSERT_STRING_EQUAL (psim_mode_name ((PsimMode) 99), "?");
}

int
main (void)
{
  static const PsimTestCase cases[] = {
    { "date round trip and validity", test_date_roundtrip },
    { "rules: only set fields apply", test_rules_apply_only_set_fields },
    { "enum names", test_names },
    { NULL, NULL },
  };
  psim_test_add_suite ("model", cases);
  return psim_test_run ();
}
