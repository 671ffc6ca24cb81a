/* Tests of the XML loader: the valid fixtures read back exactly as written;
 * every kind of invalid or hostile input (tests/data/invalid, and big or
 * hostile files made here at run time) refused within a second with its
 * path, line and problem class; all problems of a file reported; loading
 * from several threads at once; the bundled data loads. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "permitsim/error.h"
#include "permitsim/loader.h"

#define ANY_LINE (-1)

static char *scratch;

static const char *
scratch_dir (void)
{
  if (scratch == NULL)
    scratch = psim_test_tmpdir ();
  return scratch;
}

static char *
scratch_path (const char *name)
{
  return g_build_filename (scratch_dir (), name, NULL);
}

static char *
fixture (const char *relative)
{
  g_autofree char *rel = g_build_filename ("tests", "data", relative, NULL);
  return psim_test_path (rel);
}

static void
write_file (const char *path, const char *data, gssize length)
{
  GError *error = NULL;
  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
}

static void
copy_file (const char *from, const char *to)
{
  char *data = NULL;
  gsize length = 0;
  GError *error = NULL;
  g_file_get_contents (from, &data, &length, &error);
  g_assert_no_error (error);
  write_file (to, data, (gssize) length);
  g_free (data);
}

/* ---------- a parameter file made from the model's own table ---------- */

typedef enum {
  PARAMS_OK,
  PARAMS_MISSING,      /* parameter `which` left out */
  PARAMS_UNKNOWN,      /* parameter `which` misspelt */
  PARAMS_OUT_OF_RANGE, /* value above max */
  PARAMS_DUPLICATE,    /* parameter `which` given again at the end */
  PARAMS_MIN_OVER_MAX,
  PARAMS_HUGE_DIGITS,  /* a 401-digit value: more than libxml2 (and a double) holds */
  PARAMS_WRONG_UNIT,
  PARAMS_NO_SOURCE,
  PARAMS_BEYOND_DOMAIN, /* a range beyond what the model can take (psim_param_domain) */
} ParamsFault;

/* Parameter i's test value and range, inside what the model can take for
 * it: i + 0.25 in [0, i + 1], moved above the domain's lower end, and scaled
 * into it when the domain is bounded. */
static void
test_param_values (gsize i, double *value, double *min, double *max)
{
  PsimParamDomain d;
  psim_param_domain (i, &d);
  double lo = isfinite (d.lo) ? d.lo + (d.lo_open ? 1.0 : 0.0) : 0.0;
  *min = lo;
  *max = isfinite (d.hi) ? d.hi : lo + (double) i + 1;
  *value = lo + (*max - lo) * ((double) i + 0.25) / ((double) i + 1);
}

/* Writes every parameter of PSIM_PARAMETERS, parameter i on line 4 + i with
 * the values of test_param_values, spoiling parameter `which` as `fault` says.
 * Returns the line where the problem is reported. */
static int
write_params (const char *path, ParamsFault fault, gsize which)
{
  GString *s = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<!-- made by tests/test_loader.c from the model's parameter table -->\n"
                             "<parameters xmlns=\"urn:permitsim:parameters:1\">\n");
  int line = 4, fault_line = 0, last_line = 3;
  gsize n = psim_param_count ();
  for (gsize i = 0; i < n; i++)
    {
      const PsimParamInfo *info = psim_param_info (i);
      g_autofree char *name = g_strdup (info->name);
      g_autofree char *unit = g_markup_escape_text (info->unit, -1);
      double v, lo, hi;
      test_param_values (i, &v, &lo, &hi);
      g_autofree char *value = g_strdup_printf ("%.17g", v);
      g_autofree char *min = g_strdup_printf ("%.17g", lo);
      g_autofree char *max = g_strdup_printf ("%.17g", hi);
      const char *source = "assumption";
      if (i == which)
        switch (fault)
          {
          case PARAMS_MISSING:
            continue;
          case PARAMS_UNKNOWN:
            name[strlen (name) - 1] = '\0'; /* drop the last letter: a typo */
            fault_line = line;
            break;
          case PARAMS_OUT_OF_RANGE:
            g_free (value);
            value = g_strdup_printf ("%.17g", hi + 0.5);
            fault_line = line;
            break;
          case PARAMS_MIN_OVER_MAX:
            g_free (min);
            min = g_strdup_printf ("%.17g", hi + 4);
            fault_line = line;
            break;
          case PARAMS_BEYOND_DOMAIN:
            {
              PsimParamDomain d;
              psim_param_domain (i, &d);
              g_free (min);
              g_free (max);
              /* past the bounded end, or down to an open lower end */
              min = g_strdup_printf ("%.17g", isfinite (d.hi) ? lo : d.lo);
              max = g_strdup_printf ("%.17g", isfinite (d.hi) ? d.hi + 2 : hi);
              fault_line = line;
              break;
            }
          case PARAMS_HUGE_DIGITS:
            g_free (value);
            value = g_strnfill (401, '9');
            g_free (max);
            max = g_strnfill (402, '9');
            fault_line = line;
            break;
          case PARAMS_WRONG_UNIT:
            g_free (unit);
            unit = g_strdup ("furlongs per fortnight");
            fault_line = line;
            break;
          case PARAMS_NO_SOURCE:
            source = "";
            fault_line = line;
            break;
          case PARAMS_OK:
          case PARAMS_DUPLICATE:
            break;
          }
      g_string_append_printf (s, "  <parameter name=\"%s\" value=\"%s\" unit=\"%s\" min=\"%s\" max=\"%s\" "
                                 "source=\"%s\"%s>Test parameter %" G_GSIZE_FORMAT ".</parameter>\n",
                              name, value, unit, min, max, source,
                              i == 0 ? " calibrated=\"calibrated: by hand\"" : "", i);
      last_line = line++;
    }
  if (fault == PARAMS_DUPLICATE)
    {
      g_string_append_printf (s, "  <parameter name=\"%s\" value=\"0\" unit=\"%s\" min=\"0\" max=\"1\" "
                                 "source=\"assumption\"/>\n",
                              psim_param_info (which)->name, psim_param_info (which)->unit);
      fault_line = line++;
    }
  if (fault == PARAMS_MISSING)
    fault_line = last_line;
  g_string_append (s, "</parameters>\n");
  write_file (path, s->str, (gssize) s->len);
  g_string_free (s, TRUE);
  return fault_line;
}

/* A copy of the valid region fixture with a generated parameter file, in
 * its own folder of the scratch area. Returns the region's path. */
static char *
region_with_parameters (void)
{
  g_autofree char *dir = scratch_path ("region");
  g_mkdir_with_parents (dir, 0700);
  const char *files[] = { "region.xml", "municipality.xml", "municipality-small.xml" };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *rel = g_build_filename ("valid", files[i], NULL);
      g_autofree char *from = fixture (rel);
      g_autofree char *to = g_build_filename (dir, files[i], NULL);
      copy_file (from, to);
    }
  g_autofree char *params = g_build_filename (dir, "parameters.xml", NULL);
  write_params (params, PARAMS_OK, 0);
  return g_build_filename (dir, "region.xml", NULL);
}

/* The valid region fixture (its parameter file is not needed to load it). */
static PsimRegion *
valid_region (void)
{
  g_autofree char *path = fixture ("valid/region.xml");
  GError *error = NULL;
  PsimRegion *region = psim_region_load (path, NULL, &error);
  g_assert_no_error (error);
  g_assert (region != NULL);
  return region;
}

/* ---------- round trips ---------- */

static PsimDate
ymd (int y, int m, int d)
{
  return psim_date_from_ymd (y, m, d);
}

typedef struct {
  PsimActionKind kind;
  int32_t target;
  int32_t count;
} ExpectedAction;

typedef struct {
  PsimDate date;
  int line;
  int n_actions;
  ExpectedAction actions[3];
} ExpectedEvent;

static void
test_municipality_roundtrip (void)
{
  g_autofree char *path = fixture ("valid/municipality.xml");
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  PsimMunicipality m;
  GError *error = NULL;
  CU_ASSERT_TRUE_FATAL (psim_municipality_load (path, &m, diagnostics, &error));
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_EQUAL (diagnostics->len, 0);

  CU_ASSERT_STRING_EQUAL (m.name, "Teststad");
  CU_ASSERT_STRING_EQUAL (m.cbs_code, "GM9991");
  CU_ASSERT_STRING_EQUAL (m.path, path);
  CU_ASSERT_EQUAL (m.population, 150000);
  CU_ASSERT_EQUAL (m.sex_workers, 400);
  const double gender[PSIM_N_GENDERS] = { 0.85, 0.10, 0.05 };
  const double origin[PSIM_N_ORIGINS] = { 0.4, 0.3, 0.2, 0.1 };
  for (int i = 0; i < PSIM_N_GENDERS; i++)
    CU_ASSERT_DOUBLE_EQUAL (m.gender_mix[i], gender[i], 1e-15);
  for (int i = 0; i < PSIM_N_ORIGINS; i++)
    CU_ASSERT_DOUBLE_EQUAL (m.origin_mix[i], origin[i], 1e-15);

  CU_ASSERT_EQUAL_FATAL (m.n_areas, 2);
  CU_ASSERT_STRING_EQUAL (m.areas[0].id, "haven");
  CU_ASSERT_STRING_EQUAL (m.areas[0].name, "Havenkwartier");
  CU_ASSERT_EQUAL (m.areas[0].windows, 60);
  CU_ASSERT_EQUAL (m.areas[0].opened, PSIM_DATE_NONE);
  CU_ASSERT_EQUAL (m.areas[0].closed, PSIM_DATE_NONE);
  CU_ASSERT_EQUAL (m.areas[0].line, 11);
  CU_ASSERT_STRING_EQUAL (m.areas[1].id, "gracht-2");
  CU_ASSERT_EQUAL (m.areas[1].windows, 25);
  CU_ASSERT_EQUAL (m.areas[1].opened, ymd (2003, 5, 1));
  CU_ASSERT_EQUAL (m.areas[1].closed, ymd (2012, 12, 31));
  CU_ASSERT_EQUAL (m.clubs, 7);
  CU_ASSERT_EQUAL (m.escort_agencies, 3);
  CU_ASSERT_EQUAL_FATAL (m.n_zones, 1);
  CU_ASSERT_STRING_EQUAL (m.zones[0].id, "tippel");
  CU_ASSERT_STRING_EQUAL (m.zones[0].name, "Industrieweg");
  CU_ASSERT_EQUAL (m.zones[0].capacity, 20);
  CU_ASSERT_EQUAL (m.zones[0].opened, ymd (1995, 1, 1));
  CU_ASSERT_EQUAL (m.zones[0].closed, ymd (2010, 6, 30));

  /* the starting rules: exactly the levers the file gives */
  CU_ASSERT_EQUAL (m.rules.set, PSIM_RULE_CAP_WINDOW | PSIM_RULE_CAP_CLUB | PSIM_RULE_HOME_WORK
                                  | PSIM_RULE_REGISTRATION | PSIM_RULE_MINIMUM_AGE
                                  | PSIM_RULE_ENFORCEMENT | PSIM_RULE_PARTICIPATION);
  CU_ASSERT_EQUAL (m.rules.permit_cap[PSIM_VENUE_WINDOW], 85);
  CU_ASSERT_EQUAL (m.rules.permit_cap[PSIM_VENUE_CLUB], PSIM_UNLIMITED);
  CU_ASSERT_EQUAL (m.rules.home_regime, PSIM_HOME_LICENCE_REQUIRED);
  CU_ASSERT_EQUAL (m.rules.home_licences, 2);
  CU_ASSERT_TRUE (m.rules.registration);
  CU_ASSERT_EQUAL (m.rules.minimum_age, 21);
  CU_ASSERT_DOUBLE_EQUAL (m.rules.enforcement, 1.25, 0.0);
  CU_ASSERT_EQUAL (m.rules.participation, PSIM_PARTICIPATION_CONSULT);

  const ExpectedEvent events[] = {
    { ymd (2001, 1, 1), 26, 2, { { PSIM_ACTION_RULES, PSIM_ALL, 0 }, { PSIM_ACTION_SET_CLUBS, PSIM_ALL, 6 } } },
    { ymd (2005, 3, 15), 32, 2, { { PSIM_ACTION_CLOSE_WINDOWS, 0, 20 }, { PSIM_ACTION_SET_SEX_WORKERS, PSIM_ALL, 380 } } },
    { ymd (2005, 3, 15), 36, 1, { { PSIM_ACTION_OPEN_WINDOWS, 0, 5 } } },
    { ymd (2010, 6, 30), 39, 2, { { PSIM_ACTION_CLOSE_STREET_ZONE, 0, PSIM_ALL },
                                  { PSIM_ACTION_SET_ESCORT_AGENCIES, PSIM_ALL, 2 } } },
    { ymd (2015, 1, 1), 43, 2, { { PSIM_ACTION_CLOSE_WINDOWS, PSIM_ALL, PSIM_ALL }, { PSIM_ACTION_RULES, PSIM_ALL, 0 } } },
    { ymd (2016, 7, 1), 47, 2, { { PSIM_ACTION_OPEN_WINDOWS, 0, PSIM_ALL }, { PSIM_ACTION_OPEN_STREET_ZONE, 0, PSIM_ALL } } },
  };
  CU_ASSERT_EQUAL_FATAL (m.n_events, (int) G_N_ELEMENTS (events));
  for (int e = 0; e < m.n_events; e++)
    {
      const PsimEvent *ev = &m.events[e];
      CU_ASSERT_EQUAL (ev->date, events[e].date);
      CU_ASSERT_EQUAL (ev->line, events[e].line);
      CU_ASSERT_EQUAL_FATAL (ev->n_actions, events[e].n_actions);
      for (int k = 0; k < ev->n_actions; k++)
        {
          CU_ASSERT_EQUAL (ev->actions[k].kind, events[e].actions[k].kind);
          CU_ASSERT_TRUE (ev->actions[k].line > ev->line);
          if (ev->actions[k].kind == PSIM_ACTION_RULES)
            continue;
          CU_ASSERT_EQUAL (ev->actions[k].count, events[e].actions[k].count);
          if (ev->actions[k].kind != PSIM_ACTION_SET_CLUBS && ev->actions[k].kind != PSIM_ACTION_SET_SEX_WORKERS
              && ev->actions[k].kind != PSIM_ACTION_SET_ESCORT_AGENCIES)
            CU_ASSERT_EQUAL (ev->actions[k].target, events[e].actions[k].target);
        }
    }
  CU_ASSERT_STRING_EQUAL (m.events[0].source, "made up");
  CU_ASSERT_PTR_NULL (m.events[1].source);
  const PsimRules *r0 = &m.events[0].actions[0].rules;
  CU_ASSERT_EQUAL (r0->set, PSIM_RULE_CAP_ESCORT_AGENCY | PSIM_RULE_PIMPING_BAN);
  CU_ASSERT_EQUAL (r0->permit_cap[PSIM_VENUE_ESCORT_AGENCY], 3);
  CU_ASSERT_TRUE (r0->pimping_ban);
  const PsimRules *r4 = &m.events[4].actions[1].rules;
  CU_ASSERT_EQUAL (r4->set, PSIM_RULE_SW_ORGANISATION);
  CU_ASSERT_TRUE (r4->sw_organisation);
  psim_municipality_clear (&m);
}

static void
test_smallest_municipality (void)
{
  g_autofree char *path = fixture ("valid/municipality-small.xml");
  PsimMunicipality m;
  CU_ASSERT_TRUE_FATAL (psim_municipality_load (path, &m, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (m.name, "Dorp");
  CU_ASSERT_EQUAL (m.sex_workers, 15);
  CU_ASSERT_EQUAL (m.n_areas + m.n_zones + m.n_events + m.clubs + m.escort_agencies, 0);
  CU_ASSERT_EQUAL (m.rules.set, 0);
  psim_municipality_clear (&m);
}

static char *make_encoded (const char *name, const char *encoding, const char *bom,
                           gsize bom_length, const char *town);

/* Files saved by other editors: UTF-16 (Windows "Unicode"), Latin-1. */
static void
test_other_encodings (void)
{
  const struct {
    const char *name, *encoding, *bom;
    gsize bom_length;
  } cases[] = {
    { "utf16le.xml", "UTF-16LE", "\xff\xfe", 2 },
    { "utf16be.xml", "UTF-16BE", "\xfe\xff", 2 },
    { "latin1.xml", "ISO-8859-1", "", 0 },
    { "utf8-bom.xml", "UTF-8", "\xef\xbb\xbf", 3 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = make_encoded (cases[i].name, cases[i].encoding, cases[i].bom,
                                            cases[i].bom_length, "Caf\xc3\xa9 's-Hertogenbosch");
      PsimMunicipality m;
      GError *error = NULL;
      gboolean ok = psim_municipality_load (path, &m, NULL, &error);
      if (!ok)
        fprintf (stderr, "\n%s: %s\n", cases[i].encoding, error->message);
      CU_ASSERT_TRUE_FATAL (ok);
      CU_ASSERT_STRING_EQUAL (m.name, "Caf\xc3\xa9 's-Hertogenbosch");
      CU_ASSERT_EQUAL (m.sex_workers, 15);
      CU_ASSERT_EQUAL (psim_format_detect (path, NULL), PSIM_FORMAT_MUNICIPALITY);
      psim_municipality_clear (&m);
    }
}

static void
test_region_roundtrip (void)
{
  g_autofree char *path = region_with_parameters ();
  g_autofree char *dir = g_path_get_dirname (path);
  GError *error = NULL;
  g_autoptr (PsimRegion) region = psim_region_load (path, NULL, &error);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (region);
  CU_ASSERT_STRING_EQUAL (region->name, "Testregio");
  CU_ASSERT_STRING_EQUAL (region->path, path);
  CU_ASSERT_EQUAL (region->from, ymd (2000, 1, 1));
  CU_ASSERT_EQUAL (region->to, ymd (2020, 12, 31));
  g_autofree char *params = g_build_filename (dir, "parameters.xml", NULL);
  CU_ASSERT_STRING_EQUAL (region->parameters_path, params);
  CU_ASSERT_EQUAL (region->national_rules.set, PSIM_RULE_CAP_WINDOW | PSIM_RULE_MINIMUM_AGE
                                                 | PSIM_RULE_DECRIMINALISATION | PSIM_RULE_WORKER_RUN);
  CU_ASSERT_EQUAL (region->national_rules.permit_cap[PSIM_VENUE_WINDOW], PSIM_UNLIMITED);
  CU_ASSERT_EQUAL (region->national_rules.minimum_age, 18);
  CU_ASSERT_FALSE (region->national_rules.decriminalisation);
  CU_ASSERT_TRUE (region->national_rules.worker_run);
  CU_ASSERT_EQUAL_FATAL (region->n_municipalities, 2);
  CU_ASSERT_STRING_EQUAL (region->municipalities[0].name, "Teststad");
  CU_ASSERT_STRING_EQUAL (region->municipalities[1].name, "Dorp");
  g_autofree char *m0 = g_build_filename (dir, "municipality.xml", NULL);
  CU_ASSERT_STRING_EQUAL (region->municipalities[0].path, m0);
  CU_ASSERT_EQUAL (region->municipalities[0].n_events, 6);

  /* the region does not read its parameter file; psim_param_set_load does */
  g_autoptr (PsimParamSet) set = psim_param_set_load (region->parameters_path, NULL, &error);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL (set);
}

static void
test_scenario_roundtrip (void)
{
  g_autoptr (PsimRegion) region = valid_region ();
  g_autofree char *path = fixture ("valid/scenario.xml");
  GError *error = NULL;
  g_autoptr (PsimScenario) sc = psim_scenario_load (path, region, NULL, &error);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  CU_ASSERT_STRING_EQUAL (sc->name, "reopen-the-harbour");
  CU_ASSERT_STRING_EQUAL (sc->title, "Reopen the harbour");
  CU_ASSERT_STRING_EQUAL (sc->description, "Lift the caps everywhere; reopen windows in Teststad.");
  CU_ASSERT_STRING_EQUAL (sc->path, path);
  CU_ASSERT_EQUAL_FATAL (sc->n_changes, 4);

  const PsimChange *c = &sc->changes[0];
  CU_ASSERT_EQUAL (c->from, ymd (2016, 1, 1));
  CU_ASSERT_PTR_NULL (c->municipality);
  CU_ASSERT_EQUAL (c->line, 6);
  CU_ASSERT_EQUAL_FATAL (c->n_actions, 1);
  CU_ASSERT_EQUAL (c->actions[0].kind, PSIM_ACTION_RULES);
  CU_ASSERT_EQUAL (c->actions[0].rules.set, PSIM_RULE_CAP_WINDOW | PSIM_RULE_CAP_CLUB | PSIM_RULE_HOME_WORK
                                               | PSIM_RULE_INDEPENDENT_LICENCES);
  CU_ASSERT_EQUAL (c->actions[0].rules.permit_cap[PSIM_VENUE_CLUB], PSIM_UNLIMITED);
  CU_ASSERT_EQUAL (c->actions[0].rules.independent_licences_per_year, PSIM_UNLIMITED);
  CU_ASSERT_EQUAL (c->actions[0].rules.home_regime, PSIM_HOME_ALLOWED);
  CU_ASSERT_PTR_NULL (c->action_refs[0]);

  c = &sc->changes[1];
  CU_ASSERT_EQUAL (c->from, ymd (2017, 1, 1));
  CU_ASSERT_STRING_EQUAL (c->municipality, "Teststad");
  CU_ASSERT_EQUAL_FATAL (c->n_actions, 3);
  CU_ASSERT_EQUAL (c->actions[0].kind, PSIM_ACTION_OPEN_WINDOWS);
  CU_ASSERT_EQUAL (c->actions[0].target, 0);
  CU_ASSERT_EQUAL (c->actions[0].count, 10);
  CU_ASSERT_STRING_EQUAL (c->action_refs[0], "haven");
  CU_ASSERT_EQUAL (c->actions[1].kind, PSIM_ACTION_CLOSE_WINDOWS);
  CU_ASSERT_EQUAL (c->actions[1].count, 5);
  CU_ASSERT_EQUAL (c->actions[2].kind, PSIM_ACTION_RULES);
  CU_ASSERT_EQUAL (c->actions[2].rules.set, PSIM_RULE_PARTICIPATION);
  CU_ASSERT_EQUAL (c->actions[2].rules.participation, PSIM_PARTICIPATION_SEX_WORKER_LED);

  c = &sc->changes[2];
  CU_ASSERT_EQUAL_FATAL (c->n_actions, 1);
  CU_ASSERT_EQUAL (c->actions[0].kind, PSIM_ACTION_CLOSE_STREET_ZONE);
  CU_ASSERT_EQUAL (c->actions[0].target, 0);
  CU_ASSERT_STRING_EQUAL (c->action_refs[0], "tippel");

  c = &sc->changes[3];
  CU_ASSERT_PTR_NULL (c->municipality);
  CU_ASSERT_EQUAL_FATAL (c->n_actions, 1);
  CU_ASSERT_EQUAL (c->actions[0].kind, PSIM_ACTION_CLOSE_WINDOWS);
  CU_ASSERT_EQUAL (c->actions[0].target, PSIM_ALL);
  CU_ASSERT_EQUAL (c->actions[0].count, PSIM_ALL);
  CU_ASSERT_STRING_EQUAL (c->action_refs[0], "all");

  /* without a region: the same scenario is valid, the ids are kept as written */
  g_autoptr (PsimScenario) alone = psim_scenario_load (path, NULL, NULL, &error);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (alone);
  CU_ASSERT_STRING_EQUAL (alone->changes[1].action_refs[0], "haven");
  CU_ASSERT_EQUAL (alone->changes[3].actions[0].target, PSIM_ALL);
}

/* Titles by language: the default kept as before, the others by tag; a
 * chart's language finds its title, else the default, else the name. */
static void
test_scenario_titles (void)
{
  g_autoptr (PsimRegion) region = valid_region ();
  GError *error = NULL;

  /* a default and two languages (and a blank German title, left out) */
  g_autofree char *path = fixture ("valid/scenario-titles.xml");
  g_autoptr (PsimScenario) sc = psim_scenario_load (path, region, NULL, &error);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  CU_ASSERT_STRING_EQUAL (sc->title, "Open the harbour");
  CU_ASSERT_EQUAL_FATAL (sc->n_titles, 2);
  CU_ASSERT_STRING_EQUAL (sc->titles[0].lang, "nl");
  CU_ASSERT_STRING_EQUAL (sc->titles[0].text, "De haven weer open");
  CU_ASSERT_EQUAL (sc->titles[0].line, 5);
  CU_ASSERT_STRING_EQUAL (sc->titles[1].lang, "en-GB");
  CU_ASSERT_STRING_EQUAL (sc->titles[1].text, "Reopen the harbour quarter");
  CU_ASSERT_STRING_EQUAL (psim_scenario_title (sc, "nl"), "De haven weer open");
  CU_ASSERT_STRING_EQUAL (psim_scenario_title (sc, "NL"), "De haven weer open");
  CU_ASSERT_STRING_EQUAL (psim_scenario_title (sc, "en"), "Reopen the harbour quarter");
  CU_ASSERT_STRING_EQUAL (psim_scenario_title (sc, "de"), "Open the harbour");
  CU_ASSERT_STRING_EQUAL (psim_scenario_title (sc, "fr"), "Open the harbour");
  CU_ASSERT_STRING_EQUAL (psim_scenario_title (sc, NULL), "Open the harbour");

  /* only a default title, as every file before titles by language */
  g_autofree char *plain_path = fixture ("valid/scenario.xml");
  g_autoptr (PsimScenario) plain = psim_scenario_load (plain_path, region, NULL, &error);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (plain);
  CU_ASSERT_STRING_EQUAL (plain->title, "Reopen the harbour");
  CU_ASSERT_EQUAL (plain->n_titles, 0);
  CU_ASSERT_PTR_NULL (plain->titles);
  CU_ASSERT_STRING_EQUAL (psim_scenario_title (plain, "nl"), "Reopen the harbour");
  CU_ASSERT_STRING_EQUAL (psim_scenario_title (plain, "en"), "Reopen the harbour");

  /* titles by language only: the first stands in as the default */
  static const char only_lang[] =
    "<scenario xmlns=\"urn:permitsim:scenario:1\" name=\"only-lang\">\n"
    "  <title xml:lang=\"nl\">Alleen Nederlands</title>\n"
    "  <title xml:lang=\"en\">English too</title>\n"
    "  <change from=\"2016-01-01\"><home-work regime=\"allowed\"/></change>\n"
    "</scenario>\n";
  g_autofree char *only_path = scratch_path ("titles-by-language-only.xml");
  write_file (only_path, only_lang, -1);
  g_autoptr (PsimScenario) only = psim_scenario_load (only_path, NULL, NULL, &error);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (only);
  CU_ASSERT_STRING_EQUAL (only->title, "Alleen Nederlands");
  CU_ASSERT_EQUAL (only->n_titles, 2);
  CU_ASSERT_STRING_EQUAL (psim_scenario_title (only, "en"), "English too");
  CU_ASSERT_STRING_EQUAL (psim_scenario_title (only, "fr"), "Alleen Nederlands");

  /* no title at all: the name */
  static const char untitled[] =
    "<scenario xmlns=\"urn:permitsim:scenario:1\" name=\"untitled\">\n"
    "  <change from=\"2016-01-01\"><home-work regime=\"allowed\"/></change>\n"
    "</scenario>\n";
  g_autofree char *untitled_path = scratch_path ("untitled.xml");
  write_file (untitled_path, untitled, -1);
  g_autoptr (PsimScenario) none = psim_scenario_load (untitled_path, NULL, NULL, &error);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (none);
  CU_ASSERT_PTR_NULL (none->title);
  CU_ASSERT_EQUAL (none->n_titles, 0);
  CU_ASSERT_STRING_EQUAL (psim_scenario_title (none, "nl"), "untitled");

  /* a language twice (whatever the case) and two defaults: refused, each
   * named by file and line with the line of the first */
  g_autofree char *dup_path = fixture ("invalid/semantic-scenario-duplicate-title.xml");
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  g_autoptr (PsimScenario) dup = psim_scenario_load (dup_path, region, diagnostics, &error);
  CU_ASSERT_PTR_NULL (dup);
  CU_ASSERT_TRUE_FATAL (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT));
  CU_ASSERT_EQUAL (diagnostics->len, 2);
  g_autofree char *want_lang = g_strdup_printf ("%s:6: error: <title xml:lang=\"NL\"> is given twice (first on "
                                                "line 5, as \"nl\"): give at most one title per language",
                                                dup_path);
  g_autofree char *want_default = g_strdup_printf ("%s:7: error: <title> without xml:lang is given twice (first "
                                                   "on line 4)", dup_path);
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, want_lang));
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, want_default));
  g_clear_error (&error);
}

/* Language tags match without regard to case, a regional tag its language. */
static void
test_lang_tag_match (void)
{
  CU_ASSERT_EQUAL (psim_lang_tag_match ("nl", "nl"), 2);
  CU_ASSERT_EQUAL (psim_lang_tag_match ("NL", "nl"), 2);
  CU_ASSERT_EQUAL (psim_lang_tag_match ("nl-BE", "nl"), 1);
  CU_ASSERT_EQUAL (psim_lang_tag_match ("nl", "nl-NL"), 1);
  CU_ASSERT_EQUAL (psim_lang_tag_match ("nl-be", "NL-BE"), 2);
  CU_ASSERT_EQUAL (psim_lang_tag_match ("nld", "nl"), 0);
  CU_ASSERT_EQUAL (psim_lang_tag_match ("n", "nl"), 0);
  CU_ASSERT_EQUAL (psim_lang_tag_match ("en", "nl"), 0);
  CU_ASSERT_EQUAL (psim_lang_tag_match ("", "nl"), 0);
  CU_ASSERT_EQUAL (psim_lang_tag_match (NULL, "nl"), 0);
  CU_ASSERT_EQUAL (psim_lang_tag_match ("nl", NULL), 0);

  /* an exact tag wins over a regional one, whatever comes first */
  const PsimTitle titles[] = {
    { "nl-BE", "Belgisch", 1 },
    { "nl", "Nederlands", 2 },
    { "en", "", 3 },
  };
  CU_ASSERT_STRING_EQUAL (psim_title_pick (titles, 3, "nl"), "Nederlands");
  CU_ASSERT_STRING_EQUAL (psim_title_pick (titles, 3, "nl-BE"), "Belgisch");
  CU_ASSERT_STRING_EQUAL (psim_title_pick (titles, 3, "nl-NL"), "Belgisch"); /* the first that shares "nl" */
  CU_ASSERT_PTR_NULL (psim_title_pick (titles, 3, "en"));                  /* blank: none */
  CU_ASSERT_PTR_NULL (psim_title_pick (titles, 3, "fr"));
  CU_ASSERT_PTR_NULL (psim_title_pick (NULL, 0, "nl"));
}

static void
test_parameters_roundtrip (void)
{
  g_autofree char *path = scratch_path ("parameters-ok.xml");
  write_params (path, PARAMS_OK, 0);
  GError *error = NULL;
  g_autoptr (PsimParamSet) set = psim_param_set_load (path, NULL, &error);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (set);
  CU_ASSERT_STRING_EQUAL (set->path, path);
  for (gsize i = 0; i < psim_param_count (); i++)
    {
      double value, min, max;
      test_param_values (i, &value, &min, &max);
      CU_ASSERT_DOUBLE_EQUAL (psim_params_get (&set->values, i), value, 0.0);
      CU_ASSERT_DOUBLE_EQUAL (set->entries[i].value, value, 0.0);
      CU_ASSERT_DOUBLE_EQUAL (set->entries[i].min, min, 0.0);
      CU_ASSERT_DOUBLE_EQUAL (set->entries[i].max, max, 0.0);
      CU_ASSERT_STRING_EQUAL (set->entries[i].source, "assumption");
      g_autofree char *text = g_strdup_printf ("Test parameter %" G_GSIZE_FORMAT ".", i);
      CU_ASSERT_STRING_EQUAL (set->entries[i].description, text);
      if (i == 0)
        {
          CU_ASSERT_STRING_EQUAL (set->entries[i].calibrated, "calibrated: by hand");
        }
      else
        {
          CU_ASSERT_PTR_NULL (set->entries[i].calibrated);
        }
    }
}

static void
test_format_detect (void)
{
  const struct {
    const char *file;
    PsimFormat format;
    const char *in_message;
  } cases[] = {
    { "valid/municipality.xml", PSIM_FORMAT_MUNICIPALITY, NULL },
    { "valid/region.xml", PSIM_FORMAT_REGION, NULL },
    { "valid/scenario.xml", PSIM_FORMAT_SCENARIO, NULL },
    { "invalid/schema-wrong-namespace.xml", PSIM_FORMAT_UNKNOWN,
      "expected xmlns=\"urn:permitsim:municipality:1\"" },
    { "invalid/schema-no-namespace.xml", PSIM_FORMAT_UNKNOWN, "has no namespace" },
    { "invalid/schema-wrong-root.xml", PSIM_FORMAT_UNKNOWN, "<town>" },
    { "invalid/syntax-empty.xml", PSIM_FORMAT_UNKNOWN, "empty" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = fixture (cases[i].file);
      GError *error = NULL;
      PsimFormat f = psim_format_detect (path, &error);
      CU_ASSERT_EQUAL (f, cases[i].format);
      if (cases[i].in_message == NULL)
        {
          CU_ASSERT_PTR_NULL (error);
        }
      else
        {
          CU_ASSERT_PTR_NOT_NULL_FATAL (error);
          CU_ASSERT_PTR_NOT_NULL (strstr (error->message, cases[i].in_message));
          CU_ASSERT_PTR_NOT_NULL (strstr (error->message, path));
          g_error_free (error);
        }
    }
  g_autofree char *params = scratch_path ("parameters-detect.xml");
  write_params (params, PARAMS_OK, 0);
  CU_ASSERT_EQUAL (psim_format_detect (params, NULL), PSIM_FORMAT_PARAMETERS);
}

static void
test_schema_text (void)
{
  const char *names[] = { "common.xsd", "municipality.xsd", "region.xsd", "scenario.xsd", "parameters.xsd",
                          "xml.xsd" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gsize length = 0;
      const char *text = psim_schema_text (names[i], &length);
      CU_ASSERT_PTR_NOT_NULL_FATAL (text);
      CU_ASSERT_EQUAL (strlen (text), length);
      CU_ASSERT_PTR_NOT_NULL (strstr (text, "http://www.w3.org/2001/XMLSchema"));
    }
  CU_ASSERT_PTR_NULL (psim_schema_text ("passwd", NULL));
  CU_ASSERT_PTR_NULL (psim_schema_text ("../common.xsd", NULL));
}

/* ---------- hostile and big inputs, made at run time ---------- */

static char *
make_binary (void)
{
  char *path = scratch_path ("binary.xml");
  GRand *rand = g_rand_new_with_seed (20240601);
  char buf[4096];
  for (gsize i = 0; i < sizeof buf; i++)
    buf[i] = (char) g_rand_int_range (rand, 0, 256);
  buf[0] = '\x89'; /* never starts like text */
  g_rand_free (rand);
  write_file (path, buf, sizeof buf);
  return path;
}

static const char muni_head[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<!-- made by tests/test_loader.c -->\n";

static char *
make_invalid_utf8 (void)
{
  char *path = scratch_path ("invalid-utf8.xml");
  g_autofree char *text = g_strdup_printf (
    "%s<municipality xmlns=\"urn:permitsim:municipality:1\" name=\"Caf\xff\xfe\" cbs-code=\"GM9993\" "
    "population=\"10\">\n  <sex-workers count=\"1\"/>\n</municipality>\n", muni_head);
  write_file (path, text, -1);
  return path;
}

/* A file cut short inside an element whose long name is not UTF-8: the
 * message quotes the name, each bad byte as a 3-byte replacement character
 * (found by the fuzzer: 1,598 bytes). */
static char *
make_long_unreadable_name (void)
{
  char *path = scratch_path ("long-unreadable-name.xml");
  g_autofree char *bad = g_strnfill (400, (char) 0xe5);
  g_autofree char *text = g_strdup_printf ("%s<municipality xmlns=\"urn:permitsim:municipality:1\" "
                                           "name=\"Lang\" cbs-code=\"GM9993\" population=\"10\">\n"
                                           "  <sex%s count=\"1\">\n", muni_head, bad);
  write_file (path, text, -1);
  return path;
}

static char *
make_deep (void)
{
  char *path = scratch_path ("deep.xml");
  GString *s = g_string_new (muni_head);
  g_string_append (s, "<municipality xmlns=\"urn:permitsim:municipality:1\" name=\"Diep\" "
                      "cbs-code=\"GM9993\" population=\"10\">\n<sex-workers count=\"1\"/>\n");
  for (int i = 0; i < 10000; i++)
    g_string_append (s, "<description>");
  for (int i = 0; i < 10000; i++)
    g_string_append (s, "</description>");
  g_string_append (s, "\n</municipality>\n");
  write_file (path, s->str, (gssize) s->len);
  g_string_free (s, TRUE);
  return path;
}

static char *
make_huge_attribute (void)
{
  char *path = scratch_path ("huge-attribute.xml");
  GString *s = g_string_new (muni_head);
  g_string_append (s, "<municipality xmlns=\"urn:permitsim:municipality:1\" name=\"");
  for (int i = 0; i < 5 * 1024 * 1024; i++)
    g_string_append_c (s, (char) ('a' + i % 26));
  g_string_append (s, "\" cbs-code=\"GM9993\" population=\"10\">\n  <sex-workers count=\"1\"/>\n</municipality>\n");
  write_file (path, s->str, (gssize) s->len);
  g_string_free (s, TRUE);
  return path;
}

/* 100,000 attributes on one element: libxml2 2.9 would check them for
 * duplicates pair by pair for many seconds */
static char *
make_many_attributes (void)
{
  char *path = scratch_path ("many-attributes.xml");
  GString *s = g_string_new (muni_head);
  g_string_append (s, "<municipality xmlns=\"urn:permitsim:municipality:1\"\n");
  for (int i = 0; i < 100000; i++)
    g_string_append_printf (s, " a%d=\"\"", i);
  g_string_append (s, " name=\"Veel\" cbs-code=\"GM9993\" population=\"10\">\n"
                      "  <sex-workers count=\"1\"/>\n</municipality>\n");
  write_file (path, s->str, (gssize) s->len);
  g_string_free (s, TRUE);
  return path;
}

/* The smallest municipality in the given encoding (with its declaration). */
static char *
make_encoded (const char *name, const char *encoding, const char *bom, gsize bom_length,
              const char *town)
{
  char *path = scratch_path (name);
  g_autofree char *text = g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"%s\"?>\n"
    "<municipality xmlns=\"urn:permitsim:municipality:1\" name=\"%s\" cbs-code=\"GM9992\" "
    "population=\"20000\">\n  <sex-workers count=\"15\"/>\n</municipality>\n", encoding, town);
  gsize written = 0;
  g_autofree char *converted = g_convert (text, -1, encoding, "UTF-8", NULL, &written, NULL);
  g_assert (converted != NULL);
  GString *s = g_string_new_len (bom, (gssize) bom_length);
  g_string_append_len (s, converted, (gssize) written);
  write_file (path, s->str, (gssize) s->len);
  g_string_free (s, TRUE);
  return path;
}

static char *
make_ebcdic (void)
{
  return make_encoded ("ebcdic.xml", "IBM037", "", 0, "Dorp");
}

/* UTF-16 with a byte-order mark, broken by a lone surrogate at the end */
static char *
make_broken_utf16 (void)
{
  g_autofree char *good = make_encoded ("utf16-good.xml", "UTF-16LE", "\xff\xfe", 2, "Dorp");
  char *path = scratch_path ("utf16-broken.xml");
  char *data = NULL;
  gsize length = 0;
  g_assert (g_file_get_contents (good, &data, &length, NULL));
  GString *s = g_string_new_len (data, (gssize) length);
  g_string_append_len (s, "\x00\xd8", 2);
  write_file (path, s->str, (gssize) s->len);
  g_string_free (s, TRUE);
  g_free (data);
  return path;
}

static char *
make_huge_document (void)
{
  char *path = scratch_path ("huge-document.xml");
  gsize size = 17 * 1024 * 1024;
  char *buf = g_malloc (size);
  memset (buf, ' ', size);
  memcpy (buf, muni_head, strlen (muni_head));
  write_file (path, buf, (gssize) size);
  g_free (buf);
  return path;
}

/* 600 window areas with the same id: 599 problems, listed up to the limit */
static char *
make_many_problems (void)
{
  char *path = scratch_path ("many-problems.xml");
  GString *s = g_string_new (muni_head);
  g_string_append (s, "<municipality xmlns=\"urn:permitsim:municipality:1\" name=\"Veel\" "
                      "cbs-code=\"GM9993\" population=\"10\">\n  <sex-workers count=\"1\"/>\n");
  for (int i = 0; i < 600; i++)
    g_string_append (s, "  <window-area id=\"a\" name=\"A\" windows=\"1\"/>\n");
  g_string_append (s, "</municipality>\n");
  write_file (path, s->str, (gssize) s->len);
  g_string_free (s, TRUE);
  return path;
}

static char *
make_params (ParamsFault fault, gsize which, const char *name, int *line)
{
  char *path = scratch_path (name);
  *line = write_params (path, fault, which);
  return path;
}

static int params_line;

static char *make_params_missing (void) { return make_params (PARAMS_MISSING, 0, "p-missing.xml", &params_line); }
static char *make_params_unknown (void) { return make_params (PARAMS_UNKNOWN, 0, "p-unknown.xml", &params_line); }
static char *make_params_out_of_range (void) { return make_params (PARAMS_OUT_OF_RANGE, psim_param_count () - 1, "p-range.xml", &params_line); }
static char *make_params_duplicate (void) { return make_params (PARAMS_DUPLICATE, 0, "p-duplicate.xml", &params_line); }
static char *make_params_min_over_max (void) { return make_params (PARAMS_MIN_OVER_MAX, 0, "p-minmax.xml", &params_line); }
static char *make_params_huge_digits (void) { return make_params (PARAMS_HUGE_DIGITS, 0, "p-digits.xml", &params_line); }
static char *make_params_wrong_unit (void) { return make_params (PARAMS_WRONG_UNIT, 0, "p-unit.xml", &params_line); }
static char *make_params_no_source (void) { return make_params (PARAMS_NO_SOURCE, 0, "p-source.xml", &params_line); }
static char *
make_params_probability_above_one (void)
{
  return make_params (PARAMS_BEYOND_DOMAIN, (gsize) psim_param_lookup ("choice.waiting-reconsider"), "p-prob.xml",
                      &params_line);
}
static char *
make_params_max_age_at_18 (void)
{
  return make_params (PARAMS_BEYOND_DOMAIN, (gsize) psim_param_lookup ("exit.max-age"), "p-age.xml", &params_line);
}

/* ---------- the table of invalid inputs ---------- */

typedef enum { LOAD_MUNICIPALITY, LOAD_REGION, LOAD_SCENARIO, LOAD_PARAMETERS } LoadKind;

#define LINE_FROM_GENERATOR (-2)

typedef struct {
  const char *file;      /* under tests/data, or NULL when `make` writes it */
  char *(*make) (void);
  LoadKind kind;
  PsimProblem problem;
  int line;              /* 0: no line; ANY_LINE; LINE_FROM_GENERATOR: params_line */
  const char *in_message; /* words the message must hold, or NULL */
  const char *problem_file; /* the file the problem is reported in, if not `file` */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  /* reading */
  { "invalid/does-not-exist.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_IO, 0, "no such file", NULL },
  { "invalid", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_IO, 0, "folder", NULL },
  { NULL, make_huge_document, LOAD_MUNICIPALITY, PSIM_PROBLEM_IO, 0, "too large", NULL },
  /* well-formedness and encoding */
  { "invalid/syntax-empty.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SYNTAX, 0, "empty", NULL },
  { "invalid/syntax-not-well-formed.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SYNTAX, 5, "window-area", NULL },
  { "invalid/syntax-truncated.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SYNTAX, 6, "cut short", NULL },
  { "invalid/syntax-wrong-encoding.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SYNTAX, 1, "UTF-16", NULL },
  { "invalid/syntax-unknown-encoding.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SYNTAX, 1, "KLINGON-8", NULL },
  { NULL, make_binary, LOAD_MUNICIPALITY, PSIM_PROBLEM_SYNTAX, ANY_LINE, NULL, NULL },
  { NULL, make_invalid_utf8, LOAD_MUNICIPALITY, PSIM_PROBLEM_SYNTAX, 3, "UTF-8", NULL },
  { NULL, make_long_unreadable_name, LOAD_MUNICIPALITY, PSIM_PROBLEM_SYNTAX, ANY_LINE, "cut short", NULL },
  /* refused for safety */
  { "invalid/forbidden-billion-laughs.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_FORBIDDEN, 2, "DOCTYPE", NULL },
  { "invalid/forbidden-xxe.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_FORBIDDEN, 2, "DOCTYPE", NULL },
  { "invalid/forbidden-external-dtd.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_FORBIDDEN, 2, "external DTD", NULL },
  { "invalid/forbidden-xinclude.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_FORBIDDEN, 5, "XInclude", NULL },
  { NULL, make_deep, LOAD_MUNICIPALITY, PSIM_PROBLEM_FORBIDDEN, 5, "nested too deeply", NULL },
  { NULL, make_many_attributes, LOAD_MUNICIPALITY, PSIM_PROBLEM_FORBIDDEN, 3, "100004 attributes", NULL },
  { NULL, make_ebcdic, LOAD_MUNICIPALITY, PSIM_PROBLEM_SYNTAX, ANY_LINE, "not an XML file", NULL },
  { NULL, make_broken_utf16, LOAD_MUNICIPALITY, PSIM_PROBLEM_SYNTAX, 0, "not valid UTF-16LE", NULL },
  /* schema */
  { "invalid/schema-wrong-root.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SCHEMA, 3, "<town>", NULL },
  { "invalid/schema-wrong-namespace.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SCHEMA, 3,
    "expected xmlns=\"urn:permitsim:municipality:1\"", NULL },
  { "invalid/schema-no-namespace.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SCHEMA, 3, "no namespace", NULL },
  { "valid/region.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SCHEMA, 4, "this is a region file", NULL },
  { "valid/municipality.xml", NULL, LOAD_SCENARIO, PSIM_PROBLEM_SCHEMA, 5, "expected a scenario file", NULL },
  { "invalid/schema-negative-count.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_RANGE, 5,
    "<window-area> attribute windows \"-3\" is too small: the smallest allowed value is 0", NULL },
  { "invalid/schema-overflow.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_RANGE, 4, "too large", NULL },
  { "invalid/schema-nan.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SCHEMA, 5, "\"NaN\"", NULL },
  { "invalid/schema-exponent.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SCHEMA, 6, "\"1e400\"", NULL },
  { "invalid/schema-inf.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SCHEMA, 5, "\"INF\"", NULL },
  { "invalid/schema-not-expected.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_SCHEMA, 6,
    "element <window-area> is not allowed here inside <municipality>", NULL },
  { NULL, make_huge_attribute, LOAD_MUNICIPALITY, PSIM_PROBLEM_SCHEMA, 3,
    "<municipality> attribute name is too long: 5242880 characters", NULL },
  /* what the schema cannot say: municipalities */
  { "invalid/semantic-unknown-area.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_REFERENCE, 8,
    "did you mean \"zandpad\"?", NULL },
  { "invalid/semantic-unknown-zone.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_REFERENCE, 8, "europalaan", NULL },
  { "invalid/semantic-close-too-many.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_CONSISTENCY, 11,
    "closes 15 windows", NULL },
  { "invalid/semantic-close-before-open.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_CONSISTENCY, 8,
    "only 0 are open", NULL },
  { "invalid/semantic-events-out-of-order.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_DATE, 9, "date order", NULL },
  { "invalid/semantic-closed-before-opened.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_DATE, 5,
    "closes before it opens", NULL },
  { "invalid/semantic-duplicate-ids.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_REFERENCE, 6, "first on line 5", NULL },
  { "invalid/semantic-area-all.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_REFERENCE, 5, "reserved", NULL },
  { "invalid/semantic-mix-sum.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_CONSISTENCY, 6, "add up to 1", NULL },
  { "invalid/semantic-lever-twice.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_CONSISTENCY, 8,
    "<permit-cap venue=\"club\"> is given twice", NULL },
  { "invalid/semantic-count-with-all.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_CONSISTENCY, 8, "leave out count", NULL },
  { "invalid/semantic-workers-over-population.xml", NULL, LOAD_MUNICIPALITY, PSIM_PROBLEM_CONSISTENCY, 4,
    "population", NULL },
  /* regions */
  { "invalid/semantic-region-outside-period.xml", NULL, LOAD_REGION, PSIM_PROBLEM_DATE, 6,
    "outside the period", "invalid/parts/early-event.xml" },
  { "invalid/semantic-region-period-reversed.xml", NULL, LOAD_REGION, PSIM_PROBLEM_DATE, 4, "end after", NULL },
  { "invalid/semantic-region-duplicate-names.xml", NULL, LOAD_REGION, PSIM_PROBLEM_REFERENCE, 7, "\"Kopie\"", NULL },
  { "invalid/semantic-region-same-file-twice.xml", NULL, LOAD_REGION, PSIM_PROBLEM_REFERENCE, 7,
    "listed twice (first on line 6)", NULL },
  { "invalid/semantic-region-dotdot.xml", NULL, LOAD_REGION, PSIM_PROBLEM_REFERENCE, 6, "\"..\"", NULL },
  { "invalid/semantic-region-missing-municipality.xml", NULL, LOAD_REGION, PSIM_PROBLEM_REFERENCE, 7,
    "cannot be read", NULL },
  { "invalid/semantic-region-missing-municipality.xml", NULL, LOAD_REGION, PSIM_PROBLEM_IO, 0,
    "no such file", "invalid/parts/nothere.xml" },
  { "invalid/semantic-region-invalid-municipality.xml", NULL, LOAD_REGION, PSIM_PROBLEM_REFERENCE, 6,
    "not valid", NULL },
  { "invalid/semantic-region-invalid-municipality.xml", NULL, LOAD_REGION, PSIM_PROBLEM_RANGE, 4,
    "too small", "invalid/parts/broken.xml" },
  { "valid/municipality.xml", NULL, LOAD_REGION, PSIM_PROBLEM_SCHEMA, 5, "expected a region file", NULL },
  /* scenarios, against tests/data/valid/region.xml */
  { "invalid/semantic-scenario-unknown-municipality.xml", NULL, LOAD_SCENARIO, PSIM_PROBLEM_REFERENCE, 4,
    "Testdorp", NULL },
  { "invalid/semantic-scenario-area-without-municipality.xml", NULL, LOAD_SCENARIO, PSIM_PROBLEM_REFERENCE, 5,
    "name the municipality", NULL },
  { "invalid/semantic-scenario-outside-period.xml", NULL, LOAD_SCENARIO, PSIM_PROBLEM_DATE, 4,
    "outside the period", NULL },
  { "invalid/semantic-scenario-unknown-area.xml", NULL, LOAD_SCENARIO, PSIM_PROBLEM_REFERENCE, 5, "centrum", NULL },
  { "invalid/semantic-scenario-close-too-many.xml", NULL, LOAD_SCENARIO, PSIM_PROBLEM_CONSISTENCY, 5,
    "closes 70 windows", NULL },
  { "invalid/schema-bad-language.xml", NULL, LOAD_SCENARIO, PSIM_PROBLEM_SCHEMA, 5,
    "<title> attribute xml:lang \"Nederlands (NL)\" is not valid: expected a language tag", NULL },
  { "invalid/semantic-scenario-duplicate-title.xml", NULL, LOAD_SCENARIO, PSIM_PROBLEM_CONSISTENCY, 6,
    "<title xml:lang=\"NL\"> is given twice (first on line 5", NULL },
  { "invalid/semantic-scenario-duplicate-title.xml", NULL, LOAD_SCENARIO, PSIM_PROBLEM_CONSISTENCY, 7,
    "<title> without xml:lang is given twice (first on line 4)", NULL },
  /* parameters, made from the model's table */
  { NULL, make_params_missing, LOAD_PARAMETERS, PSIM_PROBLEM_REFERENCE, LINE_FROM_GENERATOR, "is missing", NULL },
  { NULL, make_params_unknown, LOAD_PARAMETERS, PSIM_PROBLEM_REFERENCE, LINE_FROM_GENERATOR, "did you mean", NULL },
  { NULL, make_params_out_of_range, LOAD_PARAMETERS, PSIM_PROBLEM_RANGE, LINE_FROM_GENERATOR, "outside its range", NULL },
  { NULL, make_params_duplicate, LOAD_PARAMETERS, PSIM_PROBLEM_REFERENCE, LINE_FROM_GENERATOR, "given twice", NULL },
  { NULL, make_params_min_over_max, LOAD_PARAMETERS, PSIM_PROBLEM_RANGE, LINE_FROM_GENERATOR, "larger than max", NULL },
  { NULL, make_params_probability_above_one, LOAD_PARAMETERS, PSIM_PROBLEM_RANGE, LINE_FROM_GENERATOR, "from 0 to 1", NULL },
  { NULL, make_params_max_age_at_18, LOAD_PARAMETERS, PSIM_PROBLEM_RANGE, LINE_FROM_GENERATOR, "legal age of 18", NULL },
  { NULL, make_params_huge_digits, LOAD_PARAMETERS, PSIM_PROBLEM_SCHEMA, LINE_FROM_GENERATOR, "at most 24 digits", NULL },
  { NULL, make_params_wrong_unit, LOAD_PARAMETERS, PSIM_PROBLEM_CONSISTENCY, LINE_FROM_GENERATOR, "furlongs", NULL },
  { NULL, make_params_no_source, LOAD_PARAMETERS, PSIM_PROBLEM_SCHEMA, LINE_FROM_GENERATOR, "assumption", NULL },
  { NULL, make_many_problems, LOAD_MUNICIPALITY, PSIM_PROBLEM_REFERENCE, 0, "399 more problems", NULL },
};

/* Loads `path` with the loader of `kind`; TRUE when it was accepted. */
static gboolean
load (LoadKind kind, const char *path, const PsimRegion *region, GPtrArray *diagnostics, GError **error)
{
  switch (kind)
    {
    case LOAD_MUNICIPALITY:
      {
        PsimMunicipality m;
        gboolean ok = psim_municipality_load (path, &m, diagnostics, error);
        if (ok)
          psim_municipality_clear (&m);
        return ok;
      }
    case LOAD_REGION:
      {
        PsimRegion *r = psim_region_load (path, diagnostics, error);
        psim_region_free (r);
        return r != NULL;
      }
    case LOAD_SCENARIO:
      {
        PsimScenario *s = psim_scenario_load (path, region, diagnostics, error);
        psim_scenario_free (s);
        return s != NULL;
      }
    case LOAD_PARAMETERS:
      {
        PsimParamSet *p = psim_param_set_load (path, diagnostics, error);
        psim_param_set_free (p);
        return p != NULL;
      }
    }
  return FALSE;
}

static char **passwd_lines;

static void
check_invalid_case (const InvalidCase *c, const PsimRegion *region)
{
  g_autofree char *path = c->file != NULL ? fixture (c->file) : c->make ();
  g_autofree char *problem_path = c->problem_file != NULL ? fixture (c->problem_file) : g_strdup (path);
  int line = c->line == LINE_FROM_GENERATOR ? params_line : c->line;
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  GError *error = NULL;

  gint64 start = g_get_monotonic_time ();
  gboolean ok = load (c->kind, path, region, diagnostics, &error);
  gint64 elapsed = g_get_monotonic_time () - start;

  if (ok || error == NULL || diagnostics->len == 0 || elapsed >= G_USEC_PER_SEC)
    fprintf (stderr, "\n  case %s: accepted=%d, %u diagnostics, %.3f s\n", path, ok,
             diagnostics->len, elapsed / 1e6);
  CU_ASSERT_FALSE (ok);
  CU_ASSERT_TRUE (elapsed < G_USEC_PER_SEC);
  CU_ASSERT_PTR_NOT_NULL_FATAL (error);
  CU_ASSERT_EQUAL (error->domain, PSIM_ERROR);
  /* even an unreadable file is invalid input (exit 2): the user must fix it */
  CU_ASSERT_EQUAL (error->code, PSIM_ERROR_INVALID_INPUT);
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, path));
  CU_ASSERT_TRUE (diagnostics->len > 0);

  gboolean found = FALSE;
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const PsimDiagnostic *d = g_ptr_array_index (diagnostics, i);
      g_autofree char *text = psim_diagnostic_to_string (d);
      /* "path:line:col: error: ...": the path first, every line in the GError */
      CU_ASSERT_TRUE (g_str_has_prefix (text, d->file));
      CU_ASSERT_PTR_NOT_NULL (strstr (error->message, text));
      CU_ASSERT_PTR_NOT_NULL (strstr (text, ": error: "));
      /* never a large chunk of the input */
      CU_ASSERT_TRUE (strlen (d->message) < 1000);
      if (d->problem == c->problem && strcmp (d->file, problem_path) == 0
          && (line == ANY_LINE || d->line == line)
          && (c->in_message == NULL || strstr (d->message, c->in_message) != NULL))
        found = TRUE;
    }
  if (!found)
    fprintf (stderr, "\n  case %s: no problem %d at %s:%d with \"%s\"; got:\n%s\n", path, c->problem,
             problem_path, line, c->in_message != NULL ? c->in_message : "", error->message);
  CU_ASSERT_TRUE (found);

  /* no line of /etc/passwd ever shows in a message */
  for (gsize i = 0; passwd_lines != NULL && passwd_lines[i] != NULL; i++)
    if (strlen (passwd_lines[i]) >= 8)
      CU_ASSERT_PTR_NULL (strstr (error->message, passwd_lines[i]));
  g_error_free (error);
}

static void
test_invalid_inputs (void)
{
  g_autofree char *passwd = NULL;
  if (g_file_get_contents ("/etc/passwd", &passwd, NULL, NULL))
    passwd_lines = g_strsplit (passwd, "\n", -1);
  g_autoptr (PsimRegion) region = valid_region ();
  for (gsize i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    check_invalid_case (&invalid_cases[i], region);
  g_strfreev (passwd_lines);
  passwd_lines = NULL;
}

/* ---------- every problem of a file, in words a reader understands ---------- */

typedef struct {
  int line;
  PsimProblem problem;
  const char *in_message;
} ExpectedProblem;

static void
check_all_reported (const char *file, const ExpectedProblem *expected, gsize n)
{
  g_autofree char *path = fixture (file);
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  PsimMunicipality m;
  CU_ASSERT_FALSE (psim_municipality_load (path, &m, diagnostics, NULL));
  for (gsize k = 0; k < n; k++)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < diagnostics->len; i++)
        {
          const PsimDiagnostic *d = g_ptr_array_index (diagnostics, i);
          if (d->line == expected[k].line && d->problem == expected[k].problem
              && strstr (d->message, expected[k].in_message) != NULL)
            found = TRUE;
        }
      if (!found)
        {
          g_autofree char *all = psim_diagnostics_to_string (diagnostics);
          fprintf (stderr, "\n  %s: missing line %d \"%s\" in:\n%s\n", file, expected[k].line,
                   expected[k].in_message, all);
        }
      CU_ASSERT_TRUE (found);
    }
}

static void
test_all_schema_problems_reported (void)
{
  const ExpectedProblem expected[] = {
    { 3, PSIM_PROBLEM_SCHEMA, "<municipality> attribute cbs-code \"XX12\" is not in the expected form: GM followed by four digits" },
    { 4, PSIM_PROBLEM_RANGE, "<sex-workers> attribute count \"-1\" is too small" },
    { 5, PSIM_PROBLEM_SCHEMA, "<window-area> attribute id \"Bad Id\" is not in the expected form" },
    { 5, PSIM_PROBLEM_SCHEMA, "<window-area> has an attribute colour, which is not allowed here" },
    { 6, PSIM_PROBLEM_SCHEMA, "<window-area> attribute windows \"many\" is not valid: expected a whole number" },
    { 7, PSIM_PROBLEM_SCHEMA, "<street-zone> attribute opened \"2001-02-30\" is not valid: expected a date" },
  };
  check_all_reported ("invalid/schema-many-problems.xml", expected, G_N_ELEMENTS (expected));
}

static void
test_all_semantic_problems_reported (void)
{
  const ExpectedProblem expected[] = {
    { 5, PSIM_PROBLEM_CONSISTENCY, "the <gender> shares must add up to 1" },
    { 8, PSIM_PROBLEM_REFERENCE, "window area id \"a\" is used twice" },
    { 11, PSIM_PROBLEM_REFERENCE, "window area \"b\"" },
    { 13, PSIM_PROBLEM_DATE, "the event of 2004-01-01 comes after the event of 2005-01-01" },
    { 14, PSIM_PROBLEM_REFERENCE, "street zone \"z\"" },
  };
  check_all_reported ("invalid/semantic-many-problems.xml", expected, G_N_ELEMENTS (expected));
}

/* Syntax errors carry libxml2's column; schema errors have none, and none is invented. */
static void
test_columns (void)
{
  g_autofree char *bad = fixture ("invalid/syntax-not-well-formed.xml");
  g_autoptr (GPtrArray) d1 = psim_diagnostics_new ();
  PsimMunicipality m;
  CU_ASSERT_FALSE (psim_municipality_load (bad, &m, d1, NULL));
  CU_ASSERT_TRUE_FATAL (d1->len > 0);
  const PsimDiagnostic *d = g_ptr_array_index (d1, 0);
  CU_ASSERT_EQUAL (d->line, 5);
  CU_ASSERT_TRUE (d->column > 0);

  g_autofree char *schema = fixture ("invalid/schema-negative-count.xml");
  g_autoptr (GPtrArray) d2 = psim_diagnostics_new ();
  CU_ASSERT_FALSE (psim_municipality_load (schema, &m, d2, NULL));
  CU_ASSERT_TRUE_FATAL (d2->len > 0);
  d = g_ptr_array_index (d2, 0);
  CU_ASSERT_EQUAL (d->column, 0);
  g_autofree char *text = psim_diagnostic_to_string (d);
  g_autofree char *prefix = g_strdup_printf ("%s:5: error: ", schema);
  CU_ASSERT_TRUE (g_str_has_prefix (text, prefix));
}

/* ---------- from several threads at once ---------- */

static gpointer
load_repeatedly (gpointer data)
{
  const char *const *paths = data;
  int failures = 0;
  for (int round = 0; round < 10; round++)
    {
      PsimMunicipality m;
      if (!psim_municipality_load (paths[0], &m, NULL, NULL))
        failures++;
      else
        {
          if (m.n_events != 6)
            failures++;
          psim_municipality_clear (&m);
        }
      g_autoptr (GPtrArray) d = psim_diagnostics_new ();
      if (psim_municipality_load (paths[1], &m, d, NULL) || d->len == 0
          || ((PsimDiagnostic *) g_ptr_array_index (d, 0))->line != 5)
        failures++;
    }
  return GINT_TO_POINTER (failures);
}

static void
test_threads (void)
{
  g_autofree char *good = fixture ("valid/municipality.xml");
  g_autofree char *bad = fixture ("invalid/schema-negative-count.xml");
  const char *paths[] = { good, bad };
  GThread *threads[4];
  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("loader", load_repeatedly, paths);
  for (int i = 0; i < 4; i++)
    CU_ASSERT_EQUAL (GPOINTER_TO_INT (g_thread_join (threads[i])), 0);
}

/* ---------- the bundled data ---------- */

static void
test_bundled_data (void)
{
  g_autofree char *region_path = psim_test_path ("municipalities/netherlands.xml");
  if (!g_file_test (region_path, G_FILE_TEST_EXISTS))
    return; /* no bundled data in this tree */
  GError *error = NULL;
  g_autoptr (PsimRegion) region = psim_region_load (region_path, NULL, &error);
  if (error != NULL)
    fprintf (stderr, "\n%s\n", error->message);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (region);
  CU_ASSERT_TRUE (region->n_municipalities > 0);
  g_clear_error (&error);
  if (g_file_test (region->parameters_path, G_FILE_TEST_EXISTS)) /* the data may come later */
    {
      g_autoptr (PsimParamSet) params = psim_param_set_load (region->parameters_path, NULL, &error);
      if (error != NULL)
        fprintf (stderr, "\n%s\n", error->message);
      CU_ASSERT_PTR_NOT_NULL (params);
      g_clear_error (&error);
    }

  g_autofree char *dir = psim_test_path ("municipalities/scenarios");
  GDir *scenarios = g_dir_open (dir, 0, NULL);
  const char *name;
  while (scenarios != NULL && (name = g_dir_read_name (scenarios)) != NULL)
    {
      if (!g_str_has_suffix (name, ".xml"))
        continue;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (PsimScenario) sc = psim_scenario_load (path, region, NULL, &error);
      if (error != NULL)
        fprintf (stderr, "\n%s\n", error->message);
      CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
      g_clear_error (&error);
      /* a Dutch title for the default (Dutch) charts, beside the English default */
      const char *nl = psim_title_pick (sc->titles, sc->n_titles, "nl");
      if (nl == NULL || g_strcmp0 (nl, sc->title) == 0)
        fprintf (stderr, "\n%s: no Dutch title of its own\n", path);
      CU_ASSERT_PTR_NOT_NULL (nl);
      CU_ASSERT_PTR_NOT_NULL (sc->title);
      CU_ASSERT (g_strcmp0 (nl, sc->title) != 0);
    }
  if (scenarios != NULL)
    g_dir_close (scenarios);
}

/* How a value from an input shows in a message (error.c): valid UTF-8,
 * control characters (C1 too) as \xNN, cut to PSIM_SHOWN_MAX characters
 * with the length said; the loader's form in double quotes with quotes and
 * backslashes escaped; a message for the terminal keeps its line breaks and
 * tabs but no escape sequence. */
static void
test_values_shown_readably (void)
{
  g_autofree char *empty = psim_diagnostic_quoted (NULL);
  CU_ASSERT_STRING_EQUAL (empty, "\"\"");
  g_autofree char *q = psim_diagnostic_quoted ("a\"b\\c\x01\xff\xc2\x9b\xc3\xa9");
  CU_ASSERT_STRING_EQUAL (q, "\"a\\\"b\\\\c\\x01\xef\xbf\xbd\\x9b\xc3\xa9\"");
  g_autofree char *s = psim_diagnostic_shown ("a\"b\n");
  CU_ASSERT_STRING_EQUAL (s, "a\"b\\x0a");
  char long_value[101];
  memset (long_value, 'x', 100);
  long_value[100] = '\0';
  g_autofree char *lq = psim_diagnostic_quoted (long_value);
  g_autofree char *ls = psim_diagnostic_shown (long_value);
  g_autofree char *sixty = g_strnfill (PSIM_SHOWN_MAX, 'x');
  g_autofree char *want_q = g_strdup_printf ("\"%s...\" (100 characters)", sixty);
  g_autofree char *want_s = g_strdup_printf ("%s... (100 characters)", sixty);
  CU_ASSERT_STRING_EQUAL (lq, want_q);
  CU_ASSERT_STRING_EQUAL (ls, want_s);
  g_autofree char *t = psim_error_printable ("a.xml:1: error: \x1b[31mred\n\tb.xml:2: error: \xff");
  CU_ASSERT_STRING_EQUAL (t, "a.xml:1: error: \\x1b[31mred\n\tb.xml:2: error: \xef\xbf\xbd");
}

int
main (void)
{
  static const PsimTestCase roundtrip[] = {
    { "municipality read back as written", test_municipality_roundtrip },
    { "smallest municipality", test_smallest_municipality },
    { "UTF-16 and Latin-1 files", test_other_encodings },
    { "region read back as written", test_region_roundtrip },
    { "scenario read back as written", test_scenario_roundtrip },
    { "scenario titles by language", test_scenario_titles },
    { "language tags", test_lang_tag_match },
    { "parameters read back as written", test_parameters_roundtrip },
    { "format detection", test_format_detect },
    { "embedded schemas", test_schema_text },
    { NULL, NULL },
  };
  static const PsimTestCase invalid[] = {
    { "every invalid input refused, quickly, with path and line", test_invalid_inputs },
    { "every schema problem of a file reported", test_all_schema_problems_reported },
    { "every semantic problem of a file reported", test_all_semantic_problems_reported },
    { "columns only where known", test_columns },
    { "values from an input shown readably in messages", test_values_shown_readably },
    { NULL, NULL },
  };
  static const PsimTestCase other[] = {
    { "several threads", test_threads },
    { "bundled data loads", test_bundled_data },
    { NULL, NULL },
  };
  psim_test_add_suite ("loader: valid files", roundtrip);
  psim_test_add_suite ("loader: invalid files", invalid);
  psim_test_add_suite ("loader: threads and bundled data", other);
  int rc = psim_test_run ();
  g_free (scratch);
  return rc;
}
