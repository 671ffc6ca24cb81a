/* permitsim: the manifest.json of a comparison.
 *
 * The output module writes the manifest of a run (one stack of scenarios);
 * this file turns it into the manifest of a comparison -- the baseline, the
 * alternatives with their files, how the runs pair, every output file with
 * its SHA-256 -- keeping every other member (version, command line, seed,
 * inputs, parameters) exactly as the output module wrote it.
 */
#include "permitsim/compare.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "permitsim/error.h"
#include "permitsim/output.h"
#include "json_text.h"

/* "A + B" of the scenarios' titles (their names where a title is missing);
 * descriptions joined with a space. */
static char *
joined (const PsimCompareAlternative *alt, gboolean titles)
{
  GString *s = g_string_new (NULL);
  for (int i = 0; i < alt->n_scenarios; i++)
    {
      const PsimScenario *sc = alt->scenarios[i];
      const char *text = titles ? (sc->title != NULL && *sc->title != '\0' ? sc->title : sc->name)
                                : sc->description;
      if (text == NULL || *text == '\0')
        continue;
      if (s->len > 0)
        g_string_append (s, titles ? " + " : " ");
      g_string_append (s, text);
    }
  return g_string_free (s, FALSE);
}

/* The alternative's title for each language any of its scenarios has a
 * title in (as an object keyed by the tags as written, the first spelling
 * of a tag kept): the scenarios' titles in that language joined with " + ",
 * each falling back to its default title, then to its name. NULL when no
 * scenario has a title by language. */
static JsonObject *
titles_by_language (const PsimCompareAlternative *alt)
{
  JsonObject *o = NULL;
  g_autoptr (GPtrArray) langs = g_ptr_array_new ();
  for (int i = 0; i < alt->n_scenarios; i++)
    for (int k = 0; k < alt->scenarios[i]->n_titles; k++)
      {
        const char *lang = alt->scenarios[i]->titles[k].lang;
        gboolean seen = FALSE;
        for (guint j = 0; j < langs->len && !seen; j++)
          seen = g_ascii_strcasecmp (g_ptr_array_index (langs, j), lang) == 0;
        if (!seen)
          g_ptr_array_add (langs, (gpointer) lang);
      }
  for (guint j = 0; j < langs->len; j++)
    {
      const char *lang = g_ptr_array_index (langs, j);
      GString *s = g_string_new (NULL);
      for (int i = 0; i < alt->n_scenarios; i++)
        {
          const char *text = psim_scenario_title (alt->scenarios[i], lang);
          if (text == NULL || *text == '\0')
            continue;
          if (s->len > 0)
            g_string_append (s, " + ");
          g_string_append (s, text);
        }
      if (o == NULL)
        o = json_object_new ();
      json_object_set_string_member (o, lang, s->str);
      g_string_free (s, TRUE);
    }
  return o;
}

static JsonNode *
alternatives_node (const PsimCompareAlternative *alts, int n, GError **error)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  for (int a = 0; a < n; a++)
    {
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "name", alts[a].name);
      g_autofree char *title = joined (&alts[a], TRUE);
      g_autofree char *description = joined (&alts[a], FALSE);
      json_object_set_string_member (o, "title", title);
      JsonObject *titles = titles_by_language (&alts[a]);
      if (titles != NULL)
        json_object_set_object_member (o, "titles", titles);
      if (*description != '\0')
        json_object_set_string_member (o, "description", description);
      JsonArray *files = json_array_new ();
      for (int i = 0; i < alts[a].n_scenarios; i++)
        {
          const PsimScenario *sc = alts[a].scenarios[i];
          g_autofree char *hash = psim_file_sha256 (sc->path, error);
          if (hash == NULL)
            {
              json_array_unref (files);
              json_object_unref (o);
              json_node_unref (node);
              return NULL;
            }
          JsonObject *f = json_object_new ();
          json_object_set_string_member (f, "name", sc->name);
          json_object_set_string_member (f, "file", sc->path);
          json_object_set_string_member (f, "sha256", hash);
          json_array_add_object_element (files, f);
        }
      json_object_set_array_member (o, "files", files);
      json_array_add_object_element (array, o);
    }
  return node;
}

static JsonNode *
comparison_node (const PsimCompareAlternative *alts, int n)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "baseline", PSIM_COMPARE_BASELINE);
  JsonArray *names = json_array_new ();
  for (int a = 0; a < n; a++)
    json_array_add_string_element (names, alts[a].name);
  json_object_set_array_member (o, "alternatives", names);
  json_object_set_string_member (o, "stacking",
                                 "each alternative is compared with the baseline on its own; "
                                 "scenarios joined with '+' in a name are applied together");
  json_object_set_string_member (o, "pairing",
                                 "every alternative ran with the baseline's seed and replication "
                                 "numbers (common random numbers); differences pair replications "
                                 "by number");
  json_object_set_string_member (o, "differences", "differences.csv");
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Adds every regular file under dir/rel (rel NULL at the top) to names, by
 * its path relative to dir ("charts/violence.svg"), leaving out the manifest
 * and hidden files. */
static gboolean
list_files (const char *dir, const char *rel, GPtrArray *names, GError **error)
{
  g_autofree char *path = rel != NULL ? g_build_filename (dir, rel, NULL) : g_strdup (dir);
  GError *local = NULL;
  GDir *d = g_dir_open (path, 0, &local);
  if (d == NULL)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s", local->message);
      g_error_free (local);
      return FALSE;
    }
  gboolean ok = TRUE;
  const char *name;
  while (ok && (name = g_dir_read_name (d)) != NULL)
    {
      if (name[0] == '.' || (rel == NULL && strcmp (name, "manifest.json") == 0))
        continue;
      g_autofree char *child = rel != NULL ? g_strconcat (rel, "/", name, NULL) : g_strdup (name);
      g_autofree char *child_path = g_build_filename (dir, child, NULL);
      if (g_file_test (child_path, G_FILE_TEST_IS_DIR))
        {
          if (!g_file_test (child_path, G_FILE_TEST_IS_SYMLINK)) /* no loops */
            ok = list_files (dir, child, names, error);
        }
      else if (g_file_test (child_path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_steal_pointer (&child));
    }
  g_dir_close (d);
  return ok;
}

/* Every regular file of dir but the manifest, those in its subdirectories
 * (charts/) by their relative path, in name order, with its SHA-256. */
static JsonNode *
outputs_node (const char *dir, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  if (!list_files (dir, NULL, names, error))
    return NULL;
  g_ptr_array_sort (names, compare_names);

  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, n, NULL);
      g_autofree char *hash = psim_file_sha256 (path, error);
      if (hash == NULL)
        {
          json_node_unref (node);
          return NULL;
        }
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "file", n);
      json_object_set_string_member (o, "sha256", hash);
      json_array_add_object_element (array, o);
    }
  return node;
}

gboolean
psim_compare_manifest_update (const char *manifest_path, const PsimCompareAlternative *alternatives,
                              int n_alternatives, const char *output_dir, GError **error)
{
  g_return_val_if_fail (manifest_path != NULL && output_dir != NULL, FALSE);
  g_return_val_if_fail (n_alternatives >= 0 && (alternatives != NULL || n_alternatives == 0), FALSE);
  g_autoptr (JsonParser) parser = json_parser_new ();
  GError *local = NULL;
  if (!json_parser_load_from_file (parser, manifest_path, &local))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME, "%s: %s", manifest_path, local->message);
      g_error_free (local);
      return FALSE;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME, "%s: not a JSON object", manifest_path);
      return FALSE;
    }
  JsonObject *m = json_node_get_object (root);

  JsonNode *scenarios = alternatives_node (alternatives, n_alternatives, error);
  if (scenarios == NULL)
    return FALSE;
  JsonNode *outputs = outputs_node (output_dir, error);
  if (outputs == NULL)
    {
      json_node_unref (scenarios);
      return FALSE;
    }
  if (json_object_has_member (m, "scenario"))
    json_object_remove_member (m, "scenario"); /* a run's stack label: no meaning here */
  json_object_set_string_member (m, "baseline", PSIM_COMPARE_BASELINE);
  json_object_set_member (m, "scenarios", scenarios);
  json_object_set_member (m, "comparison", comparison_node (alternatives, n_alternatives));
  json_object_set_member (m, "outputs", outputs);

  g_autofree char *with_newline = psim_json_text (root);
  if (!g_file_set_contents (manifest_path, with_newline, -1, &local))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s", local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}
