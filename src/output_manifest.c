/* permitsim: manifest.json -- what a run read, how it was asked for, what it wrote.
 *
 * Built with json-glib (correct escaping and locale-free numbers): the
 * program version, the command line, seed, replications, years, scenarios,
 * every input file with its SHA-256, every parameter value with its unit,
 * range and source, and the SHA-256 of each output table.
 */
#include "permitsim/output.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "config.h"
#include "json_text.h"
#include "permitsim/error.h"

char *
psim_scenario_label (PsimScenario *const *scenarios, int n_scenarios)
{
  if (n_scenarios <= 0 || scenarios == NULL)
    return g_strdup ("baseline");
  GString *label = g_string_new (NULL);
  for (int i = 0; i < n_scenarios; i++)
    {
      if (i > 0)
        g_string_append_c (label, '+');
      g_string_append (label, scenarios[i]->name != NULL ? scenarios[i]->name : "?");
    }
  return g_string_free (label, FALSE);
}

char *
psim_file_sha256 (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  FILE *fp = fopen (path, "rb");
  if (fp == NULL)
    {
      int err = errno;
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot read: %s", path, g_strerror (err));
      return NULL;
    }
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  guchar buf[65536];
  size_t n;
  while ((n = fread (buf, 1, sizeof buf, fp)) > 0)
    g_checksum_update (sum, buf, (gssize) n);
  gboolean failed = ferror (fp) != 0;
  fclose (fp);
  char *hex = NULL;
  if (failed)
    g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: read failed", path);
  else
    hex = g_strdup (g_checksum_get_string (sum));
  g_checksum_free (sum);
  return hex;
}

static void
add_string (JsonBuilder *b, const char *key, const char *value)
{
  json_builder_set_member_name (b, key);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *key, gint64 value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, value);
}

static void
add_double (JsonBuilder *b, const char *key, double value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_double_value (b, value);
}

/* One input file: role, optional name, path, SHA-256. Each path only once. */
static gboolean
add_input (JsonBuilder *b, GHashTable *seen, const char *role, const char *name,
           const char *path, GError **error)
{
  if (path == NULL || g_hash_table_contains (seen, path))
    return TRUE;
  g_autofree char *hash = psim_file_sha256 (path, error);
  if (hash == NULL)
    return FALSE;
  g_hash_table_add (seen, (gpointer) path);
  json_builder_begin_object (b);
  add_string (b, "role", role);
  if (name != NULL)
    add_string (b, "name", name);
  add_string (b, "file", path);
  add_string (b, "sha256", hash);
  json_builder_end_object (b);
  return TRUE;
}

static gboolean
add_inputs (JsonBuilder *b, const PsimManifest *m, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  json_builder_set_member_name (b, "inputs");
  json_builder_begin_array (b);
  gboolean ok = TRUE;
  if (m->region != NULL)
    {
      ok = add_input (b, seen, "region", m->region->name, m->region->path, error);
      for (int i = 0; ok && i < m->region->n_municipalities; i++)
        {
          const PsimMunicipality *mu = &m->region->municipalities[i];
          ok = add_input (b, seen, "municipality", mu->name, mu->path, error);
        }
    }
  if (ok && m->params != NULL)
    ok = add_input (b, seen, "parameters", NULL, m->params->path, error);
  for (int i = 0; ok && i < m->n_scenarios; i++)
    ok = add_input (b, seen, "scenario", m->scenarios[i]->name, m->scenarios[i]->path, error);
  json_builder_end_array (b);
  return ok;
}

static void
add_parameters (JsonBuilder *b, const PsimParamSet *set)
{
  json_builder_set_member_name (b, "parameters");
  json_builder_begin_array (b);
  for (gsize i = 0; set != NULL && i < psim_param_count (); i++)
    {
      const PsimParamInfo *info = psim_param_info (i);
      json_builder_begin_object (b);
      add_string (b, "name", info->name);
      add_double (b, "value", psim_params_get (&set->values, i));
      add_string (b, "unit", info->unit);
      if (set->entries != NULL)
        {
          const PsimParamEntry *e = &set->entries[i];
          add_double (b, "min", e->min);
          add_double (b, "max", e->max);
          add_string (b, "source", e->source);
          if (e->calibrated != NULL)
            add_string (b, "calibrated", e->calibrated);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static gboolean
add_outputs (JsonBuilder *b, const char *dir, const char *const *outputs, GError **error)
{
  json_builder_set_member_name (b, "outputs");
  json_builder_begin_array (b);
  for (const char *const *name = outputs; name != NULL && *name != NULL; name++)
    {
      g_autofree char *path = g_build_filename (dir, *name, NULL);
      g_autofree char *hash = psim_file_sha256 (path, error);
      if (hash == NULL)
        return FALSE;
      json_builder_begin_object (b);
      add_string (b, "file", *name);
      add_string (b, "sha256", hash);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return TRUE;
}

char *
psim_manifest_to_json (const PsimManifest *m, const char *output_dir,
                       const char *const *outputs, GError **error)
{
  g_return_val_if_fail (m != NULL, NULL);
  g_return_val_if_fail (m->seed <= (uint64_t) G_MAXINT64, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "program", "permitsim");
  add_string (b, "version", PSIM_VERSION);

  json_builder_set_member_name (b, "command_line");
  json_builder_begin_array (b);
  for (char **a = m->argv; a != NULL && *a != NULL; a++)
    json_builder_add_string_value (b, *a);
  json_builder_end_array (b);

  add_int (b, "seed", (gint64) m->seed);
  add_int (b, "replications", m->replications);
  gboolean whole = m->replication_from == 0 && m->replication_to == 0;
  json_builder_set_member_name (b, "replication_range");
  json_builder_begin_object (b);
  add_int (b, "from", whole ? 0 : m->replication_from);
  add_int (b, "to", whole ? m->replications : m->replication_to);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "sample_parameters");
  json_builder_add_boolean_value (b, m->sample_parameters);
  /* what the intervals of summary.csv show */
  add_string (b, "uncertainty", m->sample_parameters
                                  ? "stochastic and parametric (LHS over the ranges in parameters.xml)"
                                  : "stochastic only");
  json_builder_set_member_name (b, "years");
  json_builder_begin_object (b);
  add_int (b, "from", m->first_year);
  add_int (b, "to", m->last_year);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "weekly");
  json_builder_add_boolean_value (b, m->weekly);
  add_string (b, "region", m->region != NULL ? m->region->name : NULL);

  g_autofree char *label = psim_scenario_label (m->scenarios, m->n_scenarios);
  add_string (b, "scenario", label);
  json_builder_set_member_name (b, "scenarios");
  json_builder_begin_array (b);
  for (int i = 0; i < m->n_scenarios; i++)
    {
      const PsimScenario *s = m->scenarios[i];
      json_builder_begin_object (b);
      add_string (b, "name", s->name);
      add_string (b, "title", s->title);
      if (s->n_titles > 0) /* by language; left out when the file gives only a default */
        {
          json_builder_set_member_name (b, "titles");
          json_builder_begin_object (b);
          for (int k = 0; k < s->n_titles; k++)
            add_string (b, s->titles[k].lang, s->titles[k].text);
          json_builder_end_object (b);
        }
      add_string (b, "file", s->path);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (!add_inputs (b, m, error))
    return NULL;
  add_parameters (b, m->params);
  if (output_dir != NULL && !add_outputs (b, output_dir, outputs, error))
    return NULL;
  json_builder_end_object (b);

  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return psim_json_text (root);
}

char *
psim_json_text (JsonNode *root)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, root);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}
