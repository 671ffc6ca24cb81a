/* permitsim: merging the output directories of ensemble slices.
 *
 * Reads each slice's manifest.json, checks that the slices are parts of one
 * ensemble and together cover it exactly once, then writes what one run of
 * the whole ensemble would have written: the tables row for row in
 * replication order (through the same CSV writer, so the same bytes),
 * summary.csv recomputed from the merged annual.csv, and a manifest that
 * says it was merged and from what. Staged like every output (output.h).
 */
#include "permitsim/ensemble.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "csvread.h"
#include "permitsim/error.h"
#include "permitsim/output.h"
#include "permitsim/summary.h"
#include "json_text.h"

typedef struct {
  char *dir;
  char *manifest_path;
  JsonNode *root;
  JsonObject *obj;   /* owned by root */
  gint64 n;          /* replications of the whole ensemble */
  gint64 from, to;   /* the slice, 0-based, half-open */
} Slice;

static void
slice_free (gpointer data)
{
  Slice *s = data;
  if (s->root != NULL)
    json_node_unref (s->root);
  g_free (s->dir);
  g_free (s->manifest_path);
  g_free (s);
}

static gboolean
invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  char *message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error_literal (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, message);
  g_free (message);
  return FALSE;
}

static gboolean
get_int (JsonObject *obj, const char *name, gint64 *out)
{
  JsonNode *node = json_object_get_member (obj, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static Slice *
load_slice (const char *dir, GError **error)
{
  Slice *s = g_new0 (Slice, 1);
  s->dir = g_strdup (dir);
  s->manifest_path = g_build_filename (dir, "manifest.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  GError *local = NULL;
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    invalid (error, "%s: error: not a directory", dir);
  else if (!json_parser_load_from_file (parser, s->manifest_path, &local))
    {
      invalid (error, "%s: error: cannot read the manifest of a run: %s", s->manifest_path,
               local->message);
      g_clear_error (&local);
    }
  else if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    invalid (error, "%s: error: not a permitsim manifest", s->manifest_path);
  else
    {
      s->root = json_node_copy (json_parser_get_root (parser));
      s->obj = json_node_get_object (s->root);
      JsonObject *range = json_object_has_member (s->obj, "replication_range")
                            ? json_object_get_object_member (s->obj, "replication_range")
                            : NULL;
      if (!get_int (s->obj, "replications", &s->n) || s->n < 1)
        invalid (error, "%s: error: no number of replications", s->manifest_path);
      else if (range == NULL || !get_int (range, "from", &s->from) || !get_int (range, "to", &s->to))
        invalid (error, "%s: error: no replication_range: not written by a permitsim that runs slices",
                 s->manifest_path);
      else if (s->from < 0 || s->from >= s->to || s->to > s->n)
        invalid (error, "%s: error: replication range %" G_GINT64_FORMAT ":%" G_GINT64_FORMAT
                        " is not part of 0:%" G_GINT64_FORMAT, s->manifest_path, s->from, s->to, s->n);
      else
        return s;
    }
  slice_free (s);
  return NULL;
}

/* A member as compact JSON text ("null" when missing). */
static char *
member_text (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);
  return node != NULL ? json_to_string (node, FALSE) : g_strdup ("null");
}

/* The inputs without their paths: role, name and SHA-256 of each file. */
static char *
inputs_text (JsonObject *obj)
{
  GString *text = g_string_new (NULL);
  JsonNode *node = json_object_get_member (obj, "inputs");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return g_string_free (text, FALSE);
  JsonArray *inputs = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonNode *item = json_array_get_element (inputs, i);
      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      JsonObject *o = json_node_get_object (item);
      static const char *const keys[] = { "role", "name", "sha256" };
      for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          g_autofree char *v = member_text (o, keys[k]);
          g_string_append_printf (text, "%s%s", v, k + 1 < G_N_ELEMENTS (keys) ? "," : ";");
        }
    }
  return g_string_free (text, FALSE);
}

/* What must be equal for two slices to belong to one ensemble. */
static gboolean
check_same_ensemble (const Slice *first, const Slice *s, GError **error)
{
  static const char *const keys[] = {
    "program", "version", "seed", "replications", "years", "weekly", "region", "scenario",
    "sample_parameters", "parameters",
  };
  for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      g_autofree char *a = member_text (first->obj, keys[k]);
      g_autofree char *b = member_text (s->obj, keys[k]);
      if (strcmp (a, b) != 0)
        {
          if (strlen (a) > 60 || strlen (b) > 60)
            return invalid (error, "%s: error: not a slice of the same ensemble as %s: %s differ",
                            s->manifest_path, first->dir, keys[k]);
          return invalid (error, "%s: error: not a slice of the same ensemble as %s: %s is %s there, %s here",
                          s->manifest_path, first->dir, keys[k], a, b);
        }
    }
  g_autofree char *ia = inputs_text (first->obj);
  g_autofree char *ib = inputs_text (s->obj);
  if (strcmp (ia, ib) != 0)
    return invalid (error, "%s: error: not a slice of the same ensemble as %s: "
                           "the input files differ (by SHA-256)", s->manifest_path, first->dir);
  return TRUE;
}

static int
compare_slices (gconstpointer a, gconstpointer b)
{
  const Slice *x = *(Slice *const *) a;
  const Slice *y = *(Slice *const *) b;
  return (x->from > y->from) - (x->from < y->from);
}

/* Sorted by start: disjoint and covering 0..N-1. */
static gboolean
check_coverage (GPtrArray *slices, GError **error)
{
  gint64 n = ((Slice *) g_ptr_array_index (slices, 0))->n;
  gint64 next = 0;
  const Slice *prev = NULL;
  for (guint i = 0; i < slices->len; i++)
    {
      const Slice *s = g_ptr_array_index (slices, i);
      if (s->from < next)
        return invalid (error, "%s: error: replications %" G_GINT64_FORMAT ":%" G_GINT64_FORMAT
                               " overlap %s (%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ")",
                        s->manifest_path, s->from, s->to, prev->dir, prev->from, prev->to);
      if (s->from > next)
        return invalid (error, "%s: error: no slice holds replications %" G_GINT64_FORMAT
                               ":%" G_GINT64_FORMAT " of 0:%" G_GINT64_FORMAT,
                        s->manifest_path, next, s->from, n);
      next = s->to;
      prev = s;
    }
  if (next < n)
    return invalid (error, "%s: error: no slice holds replications %" G_GINT64_FORMAT
                           ":%" G_GINT64_FORMAT " of 0:%" G_GINT64_FORMAT,
                    prev->manifest_path, next, n, n);
  return TRUE;
}

/* The names in a manifest's "outputs" list, in order. */
static GPtrArray *
output_names (const Slice *s, GError **error)
{
  JsonNode *node = json_object_get_member (s->obj, "outputs");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      invalid (error, "%s: error: no list of outputs", s->manifest_path);
      return NULL;
    }
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  JsonArray *outputs = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (outputs); i++)
    {
      JsonNode *item = json_array_get_element (outputs, i);
      const char *file = JSON_NODE_HOLDS_OBJECT (item)
                           ? json_object_get_string_member_with_default (json_node_get_object (item), "file", NULL)
                           : NULL;
      if (file == NULL || strchr (file, '/') != NULL || file[0] == '.')
        {
          g_ptr_array_unref (names);
          invalid (error, "%s: error: a bad entry in the list of outputs", s->manifest_path);
          return NULL;
        }
      g_ptr_array_add (names, g_strdup (file));
    }
  return names;
}

/* Appends the data rows of one slice's table to `out` (header written by the
 * caller once), checking the header and that every row's replication lies in
 * the slice, in order. */
static gboolean
copy_rows (const Slice *s, const char *name, PsimCsv *out, char **header, GError **error)
{
  g_autofree char *path = g_build_filename (s->dir, name, NULL);
  g_autoptr (PsimCsvReader) reader = psim_csv_reader_open (path, error);
  if (reader == NULL)
    return FALSE;
  GError *local = NULL;
  if (!psim_csv_reader_next (reader, &local))
    {
      if (local != NULL)
        g_propagate_error (error, local);
      else
        invalid (error, "%s: error: empty file", path);
      return FALSE;
    }
  guint n_fields = psim_csv_reader_n_fields (reader);
  if (*header == NULL)
    {
      GString *h = g_string_new (NULL);
      for (guint i = 0; i < n_fields; i++)
        {
          if (i > 0)
            g_string_append_c (h, ',');
          psim_csv_quote (h, psim_csv_reader_field (reader, i));
          psim_csv_field (out, psim_csv_reader_field (reader, i));
        }
      psim_csv_end_row (out);
      *header = g_string_free (h, FALSE);
    }
  else
    {
      GString *h = g_string_new (NULL);
      for (guint i = 0; i < n_fields; i++)
        {
          if (i > 0)
            g_string_append_c (h, ',');
          psim_csv_quote (h, psim_csv_reader_field (reader, i));
        }
      gboolean same = strcmp (h->str, *header) == 0;
      g_string_free (h, TRUE);
      if (!same)
        return invalid (error, "%s:1: error: the header differs from the first slice's %s", path, name);
    }
  int rep_col = -1;
  g_auto (GStrv) columns = g_strsplit (*header, ",", -1);
  for (int i = 0; columns[i] != NULL; i++)
    if (strcmp (columns[i], "replication") == 0)
      rep_col = i;

  gint64 last_rep = -1;
  while (psim_csv_reader_next (reader, &local))
    {
      int line = psim_csv_reader_line (reader);
      if (psim_csv_reader_n_fields (reader) != n_fields)
        return invalid (error, "%s:%d: error: %u fields, expected %u", path, line,
                        psim_csv_reader_n_fields (reader), n_fields);
      if (rep_col >= 0)
        {
          const char *text = psim_csv_reader_field (reader, (guint) rep_col);
          char *end = NULL;
          gint64 r = g_ascii_strtoll (text, &end, 10);
          if (end == text || *end != '\0' || r < s->from || r >= s->to || r < last_rep)
            {
              g_autofree char *shown = psim_diagnostic_shown (text);
              return invalid (error, "%s:%d: error: replication '%s' does not belong here "
                                     "(the slice holds %" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ", in order)",
                              path, line, shown, s->from, s->to);
            }
          last_rep = r;
        }
      for (guint i = 0; i < n_fields; i++)
        psim_csv_field (out, psim_csv_reader_field (reader, i));
      psim_csv_end_row (out);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
range_node (gint64 from, gint64 to)
{
  JsonObject *o = json_object_new ();
  json_object_set_int_member (o, "from", from);
  json_object_set_int_member (o, "to", to);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

static JsonNode *
strv_node (char **strv)
{
  JsonArray *a = json_array_new ();
  for (char **p = strv; p != NULL && *p != NULL; p++)
    json_array_add_string_element (a, *p);
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, a);
  return node;
}

/* The first slice's manifest with the whole range, this command line, the
 * new outputs and where it came from. */
static char *
merged_manifest (GPtrArray *slices, GPtrArray *names, const char *staging, char **command_line,
                 GError **error)
{
  const Slice *first = g_ptr_array_index (slices, 0);
  g_autoptr (JsonNode) root = json_node_copy (first->root);
  JsonObject *obj = json_node_get_object (root);
  json_object_set_member (obj, "command_line", strv_node (command_line));
  json_object_set_member (obj, "replication_range", range_node (0, first->n));

  JsonArray *outputs = json_array_new ();
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (staging, name, NULL);
      g_autofree char *hash = psim_file_sha256 (path, error);
      if (hash == NULL)
        {
          json_array_unref (outputs);
          return NULL;
        }
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "file", name);
      json_object_set_string_member (o, "sha256", hash);
      json_array_add_object_element (outputs, o);
    }
  json_object_set_array_member (obj, "outputs", outputs);

  JsonArray *from = json_array_new ();
  for (guint i = 0; i < slices->len; i++)
    {
      const Slice *s = g_ptr_array_index (slices, i);
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "directory", s->dir);
      json_object_set_member (o, "replication_range", range_node (s->from, s->to));
      JsonNode *cl = json_object_get_member (s->obj, "command_line");
      json_object_set_member (o, "command_line", cl != NULL ? json_node_copy (cl) : json_node_new (JSON_NODE_NULL));
      json_array_add_object_element (from, o);
    }
  json_object_set_array_member (obj, "merged_from", from);

  return psim_json_text (root);
}

static gboolean
merge_into (GPtrArray *slices, GPtrArray *names, PsimOutputDir *od, char **command_line,
            GError **error)
{
  const char *staging = psim_output_dir_staging (od);
  gboolean has_summary = FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      if (strcmp (name, "summary.csv") == 0)
        {
          has_summary = TRUE;
          continue;
        }
      if (!g_str_has_suffix (name, ".csv"))
        return invalid (error, "%s: error: cannot merge %s", ((Slice *) g_ptr_array_index (slices, 0))->manifest_path, name);
      g_autofree char *path = g_build_filename (staging, name, NULL);
      PsimCsv *out = psim_csv_open (path, error);
      if (out == NULL)
        return FALSE;
      g_autofree char *header = NULL;
      for (guint k = 0; k < slices->len; k++)
        if (!copy_rows (g_ptr_array_index (slices, k), name, out, &header, error))
          {
            psim_csv_discard (out);
            return FALSE;
          }
      if (!psim_csv_close (out, error))
        return FALSE;
    }
  if (has_summary)
    {
      /* from the slices' annual.csv in order, the rows of the merged one:
       * the same numbers in the same order, and a bad value is reported in
       * the slice's file, at its line */
      g_autoptr (GPtrArray) annual = g_ptr_array_new_with_free_func (g_free);
      for (guint k = 0; k < slices->len; k++)
        g_ptr_array_add (annual, g_build_filename (((Slice *) g_ptr_array_index (slices, k))->dir, "annual.csv", NULL));
      g_ptr_array_add (annual, NULL);
      g_autofree char *path = g_build_filename (staging, "summary.csv", NULL);
      if (!psim_summary_write_annual ((const char *const *) annual->pdata, path, psim_summary_memory (), NULL, error))
        return FALSE;
    }
  g_autofree char *json = merged_manifest (slices, names, staging, command_line, error);
  if (json == NULL)
    return FALSE;
  g_autofree char *manifest = g_build_filename (staging, "manifest.json", NULL);
  return g_file_set_contents (manifest, json, -1, error);
}

gboolean
psim_ensemble_merge (const char *const *dirs, const char *out_dir, char **command_line,
                     GError **error)
{
  g_return_val_if_fail (dirs != NULL && out_dir != NULL, FALSE);
  g_autoptr (GPtrArray) slices = g_ptr_array_new_with_free_func (slice_free);
  for (const char *const *d = dirs; *d != NULL; d++)
    {
      Slice *s = load_slice (*d, error);
      if (s == NULL)
        return FALSE;
      g_ptr_array_add (slices, s);
    }
  if (slices->len == 0)
    return invalid (error, "no slices to merge");
  const Slice *first = g_ptr_array_index (slices, 0);
  g_autoptr (GPtrArray) names = output_names (first, error);
  if (names == NULL)
    return FALSE;
  for (guint i = 1; i < slices->len; i++)
    {
      const Slice *s = g_ptr_array_index (slices, i);
      if (!check_same_ensemble (first, s, error))
        return FALSE;
      g_autoptr (GPtrArray) other = output_names (s, error);
      if (other == NULL)
        return FALSE;
      gboolean same = other->len == names->len;
      for (guint k = 0; same && k < names->len; k++)
        same = strcmp (g_ptr_array_index (names, k), g_ptr_array_index (other, k)) == 0;
      if (!same)
        return invalid (error, "%s: error: its output files differ from those of %s",
                        s->manifest_path, first->dir);
    }
  g_ptr_array_sort (slices, compare_slices);
  if (!check_coverage (slices, error))
    return FALSE;

  PsimOutputDir *od = psim_output_dir_begin (out_dir, error);
  if (od == NULL)
    return FALSE;
  if (!merge_into (slices, names, od, command_line, error))
    {
      psim_output_dir_abort (od);
      return FALSE;
    }
  return psim_output_dir_commit (od, error);
}
