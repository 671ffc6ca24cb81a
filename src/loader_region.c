/* permitsim: building a PsimRegion and loading the municipalities it lists.
 *
 * File references are relative to the region file's folder and may not be
 * absolute or climb out of it with ".."; the parameter file is located here
 * but loaded by psim_param_set_load. Beyond the schema: the period runs
 * forward, municipality names are unique, and each municipality's events lie
 * inside the region's period. A file listed twice is an error (and is not
 * read twice). */
#include "loader_internal.h"

#include <string.h>

/* The path of `href` beside the region file, or NULL after reporting why not. */
static char *
resolve_href (PsimLoadCtx *ctx, xmlNodePtr node, const char *dir)
{
  g_autofree char *href = psim_xml_attr (node, "href");
  if (href == NULL)
    return NULL;
  g_autofree char *q = psim_diagnostic_quoted (href);
  int line = psim_xml_line (node);
  if (g_path_is_absolute (href) || strstr (href, "://") != NULL)
    {
      psim_load_report (ctx, line, 0, PSIM_PROBLEM_REFERENCE,
                        "<%s href=%s>: give a path relative to the region file's folder, "
                        "not an absolute path or a URL", (const char *) node->name, q);
      return NULL;
    }
  g_auto (GStrv) parts = g_strsplit (href, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (strcmp (parts[i], "..") == 0)
      {
        psim_load_report (ctx, line, 0, PSIM_PROBLEM_REFERENCE,
                          "<%s href=%s>: a path may not go up a folder (\"..\"): keep the "
                          "file in the region file's folder or below it",
                          (const char *) node->name, q);
        return NULL;
      }
  if (strcmp (dir, ".") == 0)
    return g_steal_pointer (&href);
  return g_build_filename (dir, href, NULL);
}

typedef struct {
  char *path;
  int line;
} MuniRef;

static void
load_municipalities (PsimLoadCtx *ctx, PsimRegion *region, GArray *refs)
{
  region->municipalities = g_new0 (PsimMunicipality, MAX (refs->len, 1));
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < refs->len; i++)
    {
      MuniRef *r = &g_array_index (refs, MuniRef, i);
      PsimMunicipality *m = &region->municipalities[region->n_municipalities];
      PsimLoadCtx mctx;
      psim_load_ctx_init (&mctx, r->path, ctx->diagnostics);
      char *data = NULL;
      gsize length = 0;
      gboolean ok = psim_loader_read_file (&mctx, &data, &length)
                    && psim_municipality_load_data (&mctx, data, length, m);
      g_free (data);
      psim_load_finish (&mctx, NULL);
      g_autofree char *q = psim_diagnostic_quoted (r->path);
      if (!ok)
        {
          psim_load_report (ctx, r->line, 0, PSIM_PROBLEM_REFERENCE,
                            mctx.io_failed ? "the municipality file %s cannot be read"
                                           : "the municipality file %s is not valid (its problems "
                                             "are listed with its name)", q);
          psim_municipality_clear (m);
          continue;
        }
      region->n_municipalities++;

      gpointer first;
      if (m->name != NULL && g_hash_table_lookup_extended (names, m->name, NULL, &first))
        {
          g_autofree char *nq = psim_diagnostic_quoted (m->name);
          const PsimMunicipality *other = &region->municipalities[GPOINTER_TO_INT (first)];
          g_autofree char *oq = psim_diagnostic_quoted (other->path);
          psim_load_report (ctx, r->line, 0, PSIM_PROBLEM_REFERENCE,
                            "two municipalities are named %s: %s and %s (names must be unique "
                            "in a region)", nq, oq, q);
        }
      else if (m->name != NULL)
        g_hash_table_insert (names, m->name, GINT_TO_POINTER (region->n_municipalities - 1));

      /* every event inside the region's period: reported in the municipality's file */
      if (region->from != PSIM_DATE_NONE && region->to != PSIM_DATE_NONE)
        for (int e = 0; e < m->n_events; e++)
          if (m->events[e].date < region->from || m->events[e].date > region->to)
            {
              char d[11], a[11], b[11];
              psim_date_format (m->events[e].date, d);
              psim_date_format (region->from, a);
              psim_date_format (region->to, b);
              psim_load_report (&mctx, m->events[e].line, 0, PSIM_PROBLEM_DATE,
                                "the event of %s lies outside the period of region \"%s\" "
                                "(%s to %s, in %s)", d, region->name != NULL ? region->name : "",
                                a, b, ctx->path);
            }
      psim_load_finish (&mctx, NULL);
    }
}

PsimRegion *
psim_region_load_data (PsimLoadCtx *ctx, const char *data, gsize length)
{
  PsimFormat format = PSIM_FORMAT_REGION;
  xmlDocPtr doc = psim_loader_parse (ctx, data, length, &format, FALSE);
  if (doc == NULL)
    return NULL;
  PsimRegion *region = g_new0 (PsimRegion, 1);
  region->path = g_strdup (ctx->path);
  psim_read_rules (ctx, NULL, &region->national_rules);
  xmlNodePtr root = xmlDocGetRootElement (doc);
  region->name = psim_xml_attr (root, "name");
  g_autofree char *dir = g_path_get_dirname (ctx->path);
  GArray *refs = g_array_new (FALSE, TRUE, sizeof (MuniRef));
  g_autoptr (GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal); /* path -> line */

  for (xmlNodePtr n = psim_xml_element (root->children); n != NULL; n = psim_xml_element (n->next))
    {
      if (psim_xml_is (n, "period"))
        {
          psim_read_date (ctx, n, "from", &region->from);
          psim_read_date (ctx, n, "to", &region->to);
          if (region->from != PSIM_DATE_NONE && region->to != PSIM_DATE_NONE
              && region->from >= region->to)
            {
              char a[11], b[11];
              psim_date_format (region->from, a);
              psim_date_format (region->to, b);
              psim_load_report (ctx, psim_xml_line (n), 0, PSIM_PROBLEM_DATE,
                                "the period must end after it starts (from %s, to %s)", a, b);
            }
        }
      else if (psim_xml_is (n, "parameters"))
        region->parameters_path = resolve_href (ctx, n, dir); /* read by psim_param_set_load */
      else if (psim_xml_is (n, "national-rules"))
        psim_read_rules (ctx, n, &region->national_rules);
      else if (psim_xml_is (n, "municipality"))
        {
          MuniRef r = { resolve_href (ctx, n, dir), psim_xml_line (n) };
          gpointer first;
          if (r.path != NULL && g_hash_table_lookup_extended (listed, r.path, NULL, &first))
            {
              g_autofree char *q = psim_diagnostic_quoted (r.path);
              psim_load_report (ctx, r.line, 0, PSIM_PROBLEM_REFERENCE,
                                "the municipality file %s is listed twice (first on line %d)", q,
                                GPOINTER_TO_INT (first));
              g_free (r.path);
            }
          else if (r.path != NULL)
            {
              g_array_append_val (refs, r);
              g_hash_table_insert (listed, r.path, GINT_TO_POINTER (r.line));
            }
        }
    }
  load_municipalities (ctx, region, refs);
  for (guint i = 0; i < refs->len; i++)
    g_free (g_array_index (refs, MuniRef, i).path);
  g_array_free (refs, TRUE);
  xmlFreeDoc (doc);
  return region;
}
