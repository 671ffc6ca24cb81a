/* permitsim validate: checks input files and says what each one holds.
 *
 * Each FILE's kind is found from its root element. A region also checks its
 * parameter file and municipalities; scenarios are checked against the
 * region given with --region, else a region among the FILEs, else the
 * bundled one. Valid files get an "ok" line on stdout, every problem goes to
 * stderr as "path:line:col: error: message". */
#include "cli.h"

#include <stdio.h>

#include "permitsim/error.h"
#include "permitsim/loader.h"

typedef struct {
  GHashTable *done;  /* paths already validated */
  int invalid;       /* files that failed */
} Validation;

static const char *
plural (int n, const char *one, const char *many)
{
  return n == 1 ? one : many;
}

static void
print_problems (GPtrArray *diagnostics)
{
  for (guint i = 0; i < diagnostics->len; i++)
    {
      g_autofree char *line = psim_diagnostic_to_string (g_ptr_array_index (diagnostics, i));
      fprintf (stderr, "%s\n", line);
    }
}

static gboolean
first_time (Validation *v, const char *path)
{
  if (g_hash_table_contains (v->done, path))
    return FALSE;
  g_hash_table_add (v->done, g_strdup (path));
  return TRUE;
}

static void
say_municipality (const PsimMunicipality *m)
{
  printf ("%s: ok (municipality \"%s\", %d window %s, %d street %s, %d %s)\n", m->path, m->name,
          m->n_areas, plural (m->n_areas, "area", "areas"), m->n_zones,
          plural (m->n_zones, "zone", "zones"), m->n_events, plural (m->n_events, "event", "events"));
}

static void
validate_parameters (Validation *v, const char *path)
{
  if (!first_time (v, path))
    return;
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  g_autoptr (PsimParamSet) set = psim_param_set_load (path, diagnostics, NULL);
  if (set == NULL)
    {
      print_problems (diagnostics);
      v->invalid++;
      return;
    }
  printf ("%s: ok (parameters, %d of them)\n", path, (int) psim_param_count ());
}

static void
validate_municipality (Validation *v, const char *path)
{
  if (!first_time (v, path))
    return;
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  PsimMunicipality m;
  if (!psim_municipality_load (path, &m, diagnostics, NULL))
    {
      print_problems (diagnostics);
      v->invalid++;
      return;
    }
  say_municipality (&m);
  psim_municipality_clear (&m);
}

/* Validates a region with its municipalities and parameter file; returns it
 * when valid (for the scenarios), else NULL. */
static PsimRegion *
validate_region (Validation *v, const char *path)
{
  gboolean first = first_time (v, path);
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  PsimRegion *region = psim_region_load (path, diagnostics, NULL);
  if (region == NULL)
    {
      if (first)
        {
          print_problems (diagnostics);
          v->invalid++;
        }
      return NULL;
    }
  if (!first)
    return region;
  char from[11], to[11];
  psim_date_format (region->from, from);
  psim_date_format (region->to, to);
  printf ("%s: ok (region \"%s\", %d %s, %s to %s)\n", path, region->name,
          region->n_municipalities, plural (region->n_municipalities, "municipality", "municipalities"),
          from, to);
  for (int i = 0; i < region->n_municipalities; i++)
    if (first_time (v, region->municipalities[i].path))
      say_municipality (&region->municipalities[i]);
  if (region->parameters_path != NULL)
    validate_parameters (v, region->parameters_path);
  return region;
}

static void
validate_scenario (Validation *v, const char *path, const PsimRegion *region)
{
  if (!first_time (v, path))
    return;
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  g_autoptr (PsimScenario) sc = psim_scenario_load (path, region, diagnostics, NULL);
  if (sc == NULL)
    {
      print_problems (diagnostics);
      v->invalid++;
      return;
    }
  if (region != NULL)
    printf ("%s: ok (scenario \"%s\", %d %s, checked against region \"%s\")\n", path, sc->name,
            sc->n_changes, plural (sc->n_changes, "change", "changes"), region->name);
  else
    printf ("%s: ok (scenario \"%s\", %d %s; not checked against a region)\n", path, sc->name,
            sc->n_changes, plural (sc->n_changes, "change", "changes"));
}

static const char description[] =
  "Checks permitsim input files: municipalities, regions, scenarios and parameter\n"
  "files. The kind of each FILE is found from its root element. A region is checked\n"
  "together with its parameter file and every municipality it lists. A scenario is\n"
  "checked against a region: the one given with --region, else a region among the\n"
  "FILEs, else the bundled Netherlands region.\n"
  "\n"
  "Every file is checked against its schema (compiled into permitsim) and for what a\n"
  "schema cannot say: dates in order, areas and municipalities that exist, shares\n"
  "that add up to one, no closure of more windows than are open. Every problem is\n"
  "listed on standard error as FILE:LINE:COLUMN: error: MESSAGE; each valid file gets\n"
  "an \"ok\" line on standard output.\n"
  "\n"
  "Examples:\n"
  "  permitsim validate municipalities/netherlands.xml\n"
  "  permitsim validate municipalities/nl/utrecht.xml municipalities/parameters.xml\n"
  "  permitsim validate municipalities/scenarios/lift-maximum-policy.xml\n"
  "  permitsim validate --region municipalities/netherlands.xml my-scenario.xml\n"
  "\n"
  "Exit status: 0 every file is valid, 1 usage error, 2 a file is invalid or\n"
  "cannot be read.";

int
psim_cmd_validate (int argc, char **argv)
{
  g_autofree char *region_path = NULL;
  const GOptionEntry entries[] = {
    { "region", 'r', 0, G_OPTION_ARG_FILENAME, &region_path,
      "Check scenarios against this region file", "REGION.xml" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  int code = psim_cli_parse_options ("permitsim validate", "FILE...",
                                     "Check permitsim input files and report every problem.",
                                     description, entries, &argc, &argv);
  if (code != PSIM_EXIT_OK)
    return code;
  if (argc < 2)
    return psim_cli_usage_error ("give at least one FILE to check");

  Validation v = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL), 0 };
  int n_files = argc - 1;
  g_autofree PsimFormat *formats = g_new0 (PsimFormat, n_files);
  for (int i = 0; i < n_files; i++)
    {
      GError *error = NULL;
      formats[i] = psim_format_detect (argv[i + 1], &error);
      if (formats[i] == PSIM_FORMAT_UNKNOWN)
        {
          if (first_time (&v, argv[i + 1]))
            {
              fprintf (stderr, "%s\n", error != NULL ? error->message : "unknown file format");
              v.invalid++;
            }
        }
      g_clear_error (&error);
    }

  /* the region that scenarios are checked against */
  PsimRegion *scenario_region = NULL;
  gboolean have_scenarios = FALSE;
  for (int i = 0; i < n_files; i++)
    have_scenarios = have_scenarios || formats[i] == PSIM_FORMAT_SCENARIO;
  if (region_path != NULL)
    scenario_region = validate_region (&v, region_path);

  /* every file but the scenarios, in the order given */
  g_autoptr (GPtrArray) regions = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_region_free);
  for (int i = 0; i < n_files; i++)
    {
      const char *path = argv[i + 1];
      switch (formats[i])
        {
        case PSIM_FORMAT_MUNICIPALITY:
          validate_municipality (&v, path);
          break;
        case PSIM_FORMAT_PARAMETERS:
          validate_parameters (&v, path);
          break;
        case PSIM_FORMAT_REGION:
          {
            PsimRegion *r = validate_region (&v, path);
            if (r != NULL)
              g_ptr_array_add (regions, r);
            break;
          }
        case PSIM_FORMAT_SCENARIO:
        case PSIM_FORMAT_UNKNOWN:
          break;
        }
    }

  if (have_scenarios)
    {
      const PsimRegion *against = scenario_region;
      if (against == NULL && region_path == NULL && regions->len > 0)
        against = g_ptr_array_index (regions, 0);
      if (against == NULL && region_path == NULL)
        {
          g_autofree char *datadir = psim_cli_datadir ();
          g_autofree char *bundled = datadir != NULL ? g_build_filename (datadir, "netherlands.xml", NULL) : NULL;
          g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
          if (bundled != NULL)
            scenario_region = psim_region_load (bundled, diagnostics, NULL);
          if (scenario_region == NULL)
            {
              print_problems (diagnostics);
              fprintf (stderr, "permitsim validate: note: the bundled region %s cannot be loaded: "
                               "scenarios are checked without a region (give one with --region)\n",
                       bundled != NULL ? bundled : "(no data folder found)");
            }
          against = scenario_region;
        }
      for (int i = 0; i < n_files; i++)
        if (formats[i] == PSIM_FORMAT_SCENARIO)
          validate_scenario (&v, argv[i + 1], against);
    }
  psim_region_free (scenario_region);
  g_hash_table_destroy (v.done);
  return v.invalid > 0 ? PSIM_EXIT_INVALID : PSIM_EXIT_OK;
}
