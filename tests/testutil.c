/* Shared helpers for the CUnit test programs. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "permitsim/loader.h"

static GPtrArray *scratch_dirs;
static PsimParamSet *bundled;

void
psim_test_add_suite (const char *suite_name, const PsimTestCase *cases)
{
  if (CU_get_registry () == NULL && CU_initialize_registry () != CUE_SUCCESS)
    g_error ("cannot initialise CUnit");
  CU_pSuite suite = CU_add_suite (suite_name, NULL, NULL);
  g_assert (suite != NULL);
  for (const PsimTestCase *c = cases; c->name != NULL; c++)
    g_assert (CU_add_test (suite, c->name, c->func) != NULL);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

int
psim_test_run (void)
{
  CU_basic_set_mode (CU_BRM_VERBOSE);
  CU_basic_run_tests ();
  unsigned failed = CU_get_number_of_failures () + CU_get_number_of_tests_failed ();
  unsigned ran = CU_get_number_of_tests_run ();
  CU_cleanup_registry ();
  if (scratch_dirs != NULL)
    {
      for (guint i = 0; i < scratch_dirs->len; i++)
        remove_tree (g_ptr_array_index (scratch_dirs, i));
      g_ptr_array_free (scratch_dirs, TRUE);
      scratch_dirs = NULL;
    }
  g_clear_pointer (&bundled, psim_param_set_free);
  if (ran == 0)
    return 1; /* a test program that ran nothing has failed */
  return failed == 0 ? 0 : 1;
}

const char *
psim_test_source_dir (void)
{
  const char *dir = g_getenv ("PSIM_SOURCE_DIR");
  return dir != NULL ? dir : ".";
}

char *
psim_test_path (const char *relative)
{
  return g_build_filename (psim_test_source_dir (), relative, NULL);
}

char *
psim_test_tmpdir (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("permitsim-test-XXXXXX", &error);
  g_assert_no_error (error);
  if (scratch_dirs == NULL)
    scratch_dirs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (scratch_dirs, g_strdup (dir));
  return dir;
}

const char *
psim_test_binary (void)
{
  const char *bin = g_getenv ("PSIM_BINARY");
  return bin != NULL ? bin : "build/permitsim";
}

/* ---------- fixtures: parameters and regions ---------- */

const PsimParams *
psim_test_bundled_params (void)
{
  if (bundled == NULL)
    {
      g_autofree char *path = psim_test_path ("municipalities/parameters.xml");
      GError *error = NULL;
      bundled = psim_param_set_load (path, NULL, &error);
      if (bundled == NULL)
        g_error ("cannot load the bundled parameters: %s", error->message);
    }
  return &bundled->values;
}

PsimParamSet *
psim_test_load_params (void)
{
  g_autofree char *path = psim_test_path ("municipalities/parameters.xml");
  GError *error = NULL;
  PsimParamSet *p = psim_param_set_load (path, NULL, &error);
  if (p == NULL)
    fprintf (stderr, "%s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL (p);
  return p;
}

PsimRegion *
psim_test_load_region (const char *relative)
{
  g_autofree char *path = psim_test_path (relative);
  GError *error = NULL;
  PsimRegion *r = psim_region_load (path, NULL, &error);
  if (r == NULL)
    fprintf (stderr, "%s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  return r;
}

PsimRegion *
psim_test_region_new (const char *name, int first_year, int last_year)
{
  PsimRegion *r = g_new0 (PsimRegion, 1);
  r->name = g_strdup (name);
  r->from = psim_date_from_ymd (first_year, 1, 1);
  r->to = psim_date_from_ymd (last_year, 12, 31);
  psim_rules_init_defaults (&r->national_rules);
  r->national_rules.enforcement = 0.5;
  r->national_rules.participation = PSIM_PARTICIPATION_INFORM;
  r->national_rules.set = PSIM_RULE_ALL;
  return r;
}

int
psim_test_region_add (PsimRegion *r, const char *name, int32_t population, int32_t demand,
                      int32_t clubs, int32_t agencies, PsimHomeRegime home)
{
  int i = r->n_municipalities++;
  r->municipalities = g_renew (PsimMunicipality, r->municipalities, r->n_municipalities);
  PsimMunicipality *m = &r->municipalities[i];
  memset (m, 0, sizeof *m);
  m->name = g_strdup (name);
  m->cbs_code = g_strdup ("GM0000");
  m->population = population;
  m->sex_workers = demand;
  const double gender[PSIM_N_GENDERS] = { 0.9, 0.05, 0.05 };
  const double origin[PSIM_N_ORIGINS] = { 0.5, 0.35, 0.1, 0.05 };
  memcpy (m->gender_mix, gender, sizeof gender);
  memcpy (m->origin_mix, origin, sizeof origin);
  m->clubs = clubs;
  m->escort_agencies = agencies;
  psim_rules_init_defaults (&m->rules);
  m->rules.home_regime = home;
  m->rules.set = PSIM_RULE_HOME_WORK;
  return i;
}

void
psim_test_add_area (PsimRegion *r, int mi, const char *id, int32_t windows)
{
  PsimMunicipality *m = &r->municipalities[mi];
  m->areas = g_renew (PsimWindowArea, m->areas, m->n_areas + 1);
  PsimWindowArea *a = &m->areas[m->n_areas++];
  memset (a, 0, sizeof *a);
  a->id = g_strdup (id);
  a->name = g_strdup (id);
  a->windows = windows;
}

void
psim_test_add_zone (PsimRegion *r, int mi, const char *id, int32_t capacity)
{
  PsimMunicipality *m = &r->municipalities[mi];
  m->zones = g_renew (PsimStreetZone, m->zones, m->n_zones + 1);
  PsimStreetZone *z = &m->zones[m->n_zones++];
  memset (z, 0, sizeof *z);
  z->id = g_strdup (id);
  z->name = g_strdup (id);
  z->capacity = capacity;
}

/* One action on every target (and every venue it counts) that sets no rules
 * until the caller fills them: what events and scenarios built here start from. */
static PsimAction *
one_action (PsimActionKind kind)
{
  PsimAction *a = g_new0 (PsimAction, 1);
  a->kind = kind;
  a->target = PSIM_ALL;
  a->count = PSIM_ALL;
  psim_rules_init_defaults (&a->rules);
  a->rules.set = 0;
  return a;
}

PsimAction *
psim_test_add_event (PsimRegion *r, int mi, int year, int month, int day, PsimActionKind kind)
{
  PsimMunicipality *m = &r->municipalities[mi];
  m->events = g_renew (PsimEvent, m->events, m->n_events + 1);
  PsimEvent *ev = &m->events[m->n_events++];
  memset (ev, 0, sizeof *ev);
  ev->date = psim_date_from_ymd (year, month, day);
  ev->n_actions = 1;
  ev->actions = one_action (kind);
  return &ev->actions[0];
}

PsimScenario *
psim_test_scenario_new (const char *name, int year, PsimActionKind kind)
{
  PsimScenario *s = g_new0 (PsimScenario, 1);
  s->name = g_strdup (name);
  s->n_changes = 1;
  s->changes = g_new0 (PsimChange, 1);
  s->changes[0].from = psim_date_from_ymd (year, 1, 1);
  s->changes[0].n_actions = 1;
  s->changes[0].actions = one_action (kind);
  return s;
}

/* ---------- fixtures: runs ---------- */

PsimRunSpec
psim_test_spec (const PsimRegion *r, const PsimParams *p, int first_year, int last_year,
                uint64_t seed)
{
  PsimRunSpec spec;
  memset (&spec, 0, sizeof spec);
  spec.region = r;
  spec.params = p;
  spec.first_year = first_year;
  spec.last_year = last_year;
  spec.seed = seed;
  return spec;
}

void
psim_test_engine_run (const PsimRunSpec *spec, PsimRunResult *result)
{
  GError *error = NULL;
  gboolean ok = psim_engine_run (spec, result, &error);
  if (!ok)
    fprintf (stderr, "run failed: %s\n", error->message);
  CU_ASSERT_TRUE_FATAL (ok);
}
