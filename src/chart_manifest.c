/* permitsim: reading manifest.json for captions and the report's appendices
 * (json-glib), and its outputs brought up to date after a redraw. The
 * reader takes what it knows and ignores other members, so that the
 * manifest can grow; it accepts a list or a name-keyed object for
 * inputs, parameters and scenarios, and a number or a string for values.
 * A scenario's "titles" by language are optional: manifests written before
 * them give only "title". */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "chart_private.h"
#include "permitsim/error.h"
#include "json_text.h"

typedef struct {
  GPtrArray *diagnostics;
  const char *path;
} Ctx;

static void
bad_type (Ctx *c, const char *member, const char *expected)
{
  psim_diagnostics_add (c->diagnostics, c->path, 0, 0, PSIM_PROBLEM_SCHEMA, "'%s' should be %s", member, expected);
}

/* A scalar node as text ("" for null); NULL for arrays and objects. */
static char *
scalar_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  GType type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.10g", json_node_get_double (node)));
    }
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  return NULL;
}

/* The first of the given members that the object has, as text. */
static char *
member_text (Ctx *c, JsonObject *object, const char *const *names)
{
  for (const char *const *n = names; *n != NULL; n++)
    {
      JsonNode *node = json_object_get_member (object, *n);
      if (node == NULL)
        continue;
      char *text = scalar_text (node);
      if (text == NULL)
        bad_type (c, *n, "a string or a number");
      return text;
    }
  return NULL;
}

static char *
command_line_text (Ctx *c, JsonNode *node, const char *member)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      GString *s = g_string_new (NULL);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *arg = scalar_text (json_array_get_element (array, i));
          if (arg == NULL)
            continue;
          gboolean plain = *arg != '\0' && strpbrk (arg, " \t\n'\"\\$`*?[]{}()<>|&;#~") == NULL;
          g_autofree char *quoted = plain ? g_strdup (arg) : g_shell_quote (arg);
          g_string_append_printf (s, "%s%s", i > 0 ? " " : "", quoted);
        }
      return g_string_free (s, FALSE);
    }
  char *text = scalar_text (node);
  if (text == NULL)
    bad_type (c, member, "a string or a list of strings");
  return text;
}

static void
manifest_input_free (gpointer p)
{
  PsimChartManifestInput *in = p;
  g_free (in->path);
  g_free (in->sha256);
  g_free (in->role);
  g_free (in);
}

static void
manifest_param_free (gpointer p)
{
  PsimChartManifestParam *pa = p;
  g_free (pa->name);
  g_free (pa->value);
  g_free (pa->unit);
  g_free (pa->min);
  g_free (pa->max);
  g_free (pa->source);
  g_free (pa);
}

static void
manifest_scenario_free (gpointer p)
{
  PsimChartManifestScenario *s = p;
  g_free (s->name);
  g_free (s->title);
  for (int i = 0; i < s->n_titles; i++)
    {
      g_free (s->titles[i].lang);
      g_free (s->titles[i].text);
    }
  g_free (s->titles);
  g_free (s->description);
  g_free (s);
}

void
psim_chart_manifest_free (PsimChartManifest *m)
{
  if (m == NULL)
    return;
  g_free (m->version);
  g_free (m->command_line);
  g_free (m->seed);
  g_free (m->created);
  g_free (m->uncertainty);
  g_free (m->region);
  g_free (m->baseline);
  g_ptr_array_free (m->inputs, TRUE);
  g_ptr_array_free (m->parameters, TRUE);
  g_ptr_array_free (m->scenarios, TRUE);
  g_free (m);
}

/* Calls fn for each entry of a list of objects, or of a name-keyed object
 * (then with the key as the name); a list of strings gives names only. */
typedef void (*EntryFn) (Ctx *c, const char *key, JsonNode *node, gpointer out);

static void
each_entry (Ctx *c, JsonObject *root, const char *member, EntryFn fn, gpointer out)
{
  JsonNode *node = json_object_get_member (root, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        fn (c, NULL, json_array_get_element (array, i), out);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr (GList) names = json_object_get_members (object);
      for (GList *l = names; l != NULL; l = l->next)
        fn (c, l->data, json_object_get_member (object, l->data), out);
    }
  else
    bad_type (c, member, "a list or an object");
}

static const char *const name_keys[] = { "name", "id", NULL };

static void
add_input (Ctx *c, const char *key, JsonNode *node, gpointer out)
{
  static const char *const path_keys[] = { "path", "file", "name", NULL };
  static const char *const hash_keys[] = { "sha256", "hash", "digest", NULL };
  PsimChartManifestInput *in = g_new0 (PsimChartManifestInput, 1);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      in->path = member_text (c, o, path_keys);
      in->sha256 = member_text (c, o, hash_keys);
      static const char *const role_keys[] = { "role", NULL };
      in->role = member_text (c, o, role_keys);
    }
  else
    in->sha256 = scalar_text (node); /* "path": "hash" */
  if (in->path == NULL && key != NULL)
    in->path = g_strdup (key);
  if (in->path == NULL)
    {
      bad_type (c, "inputs", "a list of objects with a path");
      manifest_input_free (in);
      return;
    }
  g_ptr_array_add (out, in);
}

static void
add_param (Ctx *c, const char *key, JsonNode *node, gpointer out)
{
  static const char *const value_keys[] = { "value", NULL };
  static const char *const unit_keys[] = { "unit", NULL };
  static const char *const min_keys[] = { "min", "minimum", NULL };
  static const char *const max_keys[] = { "max", "maximum", NULL };
  static const char *const source_keys[] = { "source", NULL };
  PsimChartManifestParam *p = g_new0 (PsimChartManifestParam, 1);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      p->name = member_text (c, o, name_keys);
      p->value = member_text (c, o, value_keys);
      p->unit = member_text (c, o, unit_keys);
      p->min = member_text (c, o, min_keys);
      p->max = member_text (c, o, max_keys);
      p->source = member_text (c, o, source_keys);
    }
  else
    p->value = scalar_text (node);
  if (p->name == NULL && key != NULL)
    p->name = g_strdup (key);
  if (p->name == NULL)
    {
      bad_type (c, "parameters", "a list of objects with a name");
      manifest_param_free (p);
      return;
    }
  g_ptr_array_add (out, p);
}

/* "titles": {"nl": "...", ...}, the scenario's titles by language. */
static void
read_titles (Ctx *c, JsonObject *o, PsimChartManifestScenario *s)
{
  JsonNode *node = json_object_get_member (o, "titles");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_type (c, "titles", "an object of titles by language");
      return;
    }
  JsonObject *object = json_node_get_object (node);
  g_autoptr (GList) langs = json_object_get_members (object);
  GArray *titles = g_array_new (FALSE, TRUE, sizeof (PsimTitle));
  for (GList *l = langs; l != NULL; l = l->next)
    {
      char *text = scalar_text (json_object_get_member (object, l->data));
      if (text == NULL)
        {
          bad_type (c, "titles", "an object of titles by language");
          break;
        }
      PsimTitle t = { .lang = g_strdup (l->data), .text = text };
      g_array_append_val (titles, t);
    }
  s->n_titles = (int) titles->len;
  s->titles = (PsimTitle *) g_array_free (titles, FALSE);
}

static void
add_scenario (Ctx *c, const char *key, JsonNode *node, gpointer out)
{
  static const char *const title_keys[] = { "title", NULL };
  static const char *const description_keys[] = { "description", NULL };
  PsimChartManifestScenario *s = g_new0 (PsimChartManifestScenario, 1);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      s->name = member_text (c, o, name_keys);
      s->title = member_text (c, o, title_keys);
      read_titles (c, o, s);
      s->description = member_text (c, o, description_keys);
    }
  else if (key == NULL)
    s->name = scalar_text (node);
  if (s->name == NULL && key != NULL)
    s->name = g_strdup (key);
  if (s->name == NULL)
    {
      bad_type (c, "scenarios", "a list of names or of objects with a name");
      manifest_scenario_free (s);
      return;
    }
  g_ptr_array_add (out, s);
}

/* json-glib says "path:line:col: Parse error: message"; we say it as a compiler does. */
static char *
parse_error_text (const char *path, const char *message)
{
  gsize plen = strlen (path);
  int line = 0, column = 0, consumed = 0;
  if (strncmp (message, path, plen) == 0 && message[plen] == ':'
      && sscanf (message + plen + 1, "%d:%d: %n", &line, &column, &consumed) == 2 && consumed > 0)
    {
      const char *rest = message + plen + 1 + consumed;
      if (g_str_has_prefix (rest, "Parse error: "))
        rest += strlen ("Parse error: ");
      return g_strdup_printf ("%s:%d:%d: error: %s", path, line, column, rest);
    }
  return g_strdup_printf ("%s: error: %s", path, message);
}

PsimChartManifest *
psim_chart_manifest_load (const char *path, GError **error)
{
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s: error: cannot open: %s", path,
                   g_file_test (path, G_FILE_TEST_EXISTS) ? "not a regular file" : "No such file or directory");
      return NULL;
    }
  g_autoptr (JsonParser) parser = json_parser_new ();
  GError *local = NULL;
  if (!json_parser_load_from_file (parser, path, &local))
    {
      g_autofree char *text = parse_error_text (path, local->message);
      g_error_free (local);
      g_set_error_literal (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, text);
      return NULL;
    }
  JsonNode *root_node = json_parser_get_root (parser);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s: error: the manifest is not a JSON object", path);
      return NULL;
    }
  JsonObject *root = json_node_get_object (root_node);
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  Ctx c = { diagnostics, path };

  PsimChartManifest *m = g_new0 (PsimChartManifest, 1);
  m->inputs = g_ptr_array_new_with_free_func (manifest_input_free);
  m->parameters = g_ptr_array_new_with_free_func (manifest_param_free);
  m->scenarios = g_ptr_array_new_with_free_func (manifest_scenario_free);

  static const char *const version_keys[] = { "version", "program_version", "permitsim_version", NULL };
  m->version = member_text (&c, root, version_keys);
  JsonNode *program = json_object_get_member (root, "program");
  if (m->version == NULL && program != NULL && JSON_NODE_HOLDS_OBJECT (program))
    {
      static const char *const keys[] = { "version", NULL };
      m->version = member_text (&c, json_node_get_object (program), keys);
    }

  static const char *const command_keys[] = { "command_line", "command", "argv", NULL };
  for (const char *const *k = command_keys; *k != NULL && m->command_line == NULL; k++)
    {
      JsonNode *node = json_object_get_member (root, *k);
      if (node != NULL)
        m->command_line = command_line_text (&c, node, *k);
    }

  static const char *const seed_keys[] = { "seed", NULL };
  m->seed = member_text (&c, root, seed_keys);
  static const char *const created_keys[] = { "created", "date", "timestamp", NULL };
  m->created = member_text (&c, root, created_keys);
  static const char *const uncertainty_keys[] = { "uncertainty", NULL };
  m->uncertainty = member_text (&c, root, uncertainty_keys);
  static const char *const baseline_keys[] = { "baseline", NULL };
  m->baseline = member_text (&c, root, baseline_keys);

  JsonNode *region = json_object_get_member (root, "region");
  if (region != NULL && JSON_NODE_HOLDS_OBJECT (region))
    {
      static const char *const keys[] = { "name", "path", NULL };
      m->region = member_text (&c, json_node_get_object (region), keys);
    }
  else if (region != NULL)
    {
      m->region = scalar_text (region);
      if (m->region == NULL)
        bad_type (&c, "region", "a string or an object");
    }

  JsonNode *reps = json_object_get_member (root, "replications");
  if (reps != NULL)
    {
      if (JSON_NODE_HOLDS_VALUE (reps) && json_node_get_value_type (reps) == G_TYPE_INT64
          && json_node_get_int (reps) >= 0 && json_node_get_int (reps) <= G_MAXINT)
        m->replications = (int) json_node_get_int (reps);
      else
        bad_type (&c, "replications", "a whole number >= 0");
    }

  each_entry (&c, root, "inputs", add_input, m->inputs);
  each_entry (&c, root, "parameters", add_param, m->parameters);
  each_entry (&c, root, "scenarios", add_scenario, m->scenarios);

  if (diagnostics->len > 0)
    {
      g_autofree char *text = psim_diagnostics_to_string (diagnostics);
      g_set_error_literal (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, text);
      psim_chart_manifest_free (m);
      return NULL;
    }
  return m;
}

/* An entry of "outputs" by its "file"; order by file name, as written. */
static int
compare_output_entries (gconstpointer a, gconstpointer b)
{
  JsonObject *x = json_node_get_object (*(JsonNode *const *) a), *y = json_node_get_object (*(JsonNode *const *) b);
  return strcmp (json_object_get_string_member_with_default (x, "file", ""),
                 json_object_get_string_member_with_default (y, "file", ""));
}

gboolean
psim_chart_manifest_redrawn (const char *path, GHashTable *hashes, char *const *command_line, char **text,
                             GError **error)
{
  *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  GError *local = NULL;
  if (!json_parser_load_from_file (parser, path, &local))
    {
      g_autofree char *message = parse_error_text (path, local->message);
      g_set_error_literal (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, message);
      g_error_free (local);
      return FALSE;
    }
  JsonNode *root = json_parser_get_root (parser);
  JsonNode *outputs = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
                        ? json_object_get_member (json_node_get_object (root), "outputs")
                        : NULL;
  if (outputs == NULL)
    return TRUE; /* lists no files (written by hand): nothing to bring up to date */
  if (!JSON_NODE_HOLDS_ARRAY (outputs))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s: error: 'outputs' should be a list", path);
      return FALSE;
    }
  /* the entries of the files redrawn get their new SHA-256; files not
   * listed yet are added; then all in order of name */
  JsonArray *old = json_node_get_array (outputs);
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean changed = FALSE;
  for (guint i = 0; i < json_array_get_length (old); i++)
    {
      JsonNode *node = json_node_copy (json_array_get_element (old, i));
      if (!JSON_NODE_HOLDS_OBJECT (node)
          || json_object_get_string_member_with_default (json_node_get_object (node), "file", NULL) == NULL)
        {
          json_node_unref (node);
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                       "%s: error: 'outputs' entry %u should be an object with a \"file\"", path, i + 1);
          return FALSE;
        }
      JsonObject *o = json_node_get_object (node);
      const char *file = json_object_get_string_member (o, "file");
      const char *hash = g_hash_table_lookup (hashes, file);
      if (hash != NULL)
        {
          changed |= g_strcmp0 (json_object_get_string_member_with_default (o, "sha256", NULL), hash) != 0;
          json_object_set_string_member (o, "sha256", hash);
          g_hash_table_add (seen, (gpointer) file);
        }
      g_ptr_array_add (entries, node);
    }
  GHashTableIter it;
  gpointer file, hash;
  g_hash_table_iter_init (&it, hashes);
  while (g_hash_table_iter_next (&it, &file, &hash))
    if (!g_hash_table_contains (seen, file))
      {
        JsonObject *o = json_object_new ();
        json_object_set_string_member (o, "file", file);
        json_object_set_string_member (o, "sha256", hash);
        JsonNode *node = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (node, o);
        g_ptr_array_add (entries, node);
        changed = TRUE;
      }
  if (!changed)
    return TRUE; /* the same files as listed (a redraw with the same options): the manifest holds */
  g_ptr_array_sort (entries, compare_output_entries);
  JsonArray *now = json_array_new ();
  for (guint i = 0; i < entries->len; i++)
    json_array_add_element (now, json_node_ref (g_ptr_array_index (entries, i)));
  JsonObject *m = json_node_get_object (root);
  json_object_set_array_member (m, "outputs", now);
  /* how the charts and the report now in the directory were made */
  JsonArray *command = json_array_new ();
  for (char *const *arg = command_line; arg != NULL && *arg != NULL; arg++)
    json_array_add_string_element (command, *arg);
  json_object_set_array_member (m, "charts_command_line", command);

  *text = psim_json_text (root);
  return TRUE;
}
