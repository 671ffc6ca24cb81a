/* permitsim: building a PsimScenario and checking it against a region.
 *
 * A change names one municipality or none (then it applies to all of them,
 * and may name no area or zone but "all"). Given a region, each named
 * municipality must be in it, each area or zone in that municipality
 * (PsimAction.target is resolved; action_refs keep the ids as written), no
 * change may start before the region's period (after its end is allowed),
 * and no closure may remove more windows than are open then. Without a
 * region, named targets stay PSIM_TARGET_UNRESOLVED: such a scenario is for
 * checking, not for running. */
#include "loader_internal.h"

#include <string.h>

static const PsimMunicipality *
find_municipality (PsimLoadCtx *ctx, const PsimRegion *region, const char *name, int line)
{
  for (int i = 0; i < region->n_municipalities; i++)
    if (region->municipalities[i].name != NULL && strcmp (region->municipalities[i].name, name) == 0)
      return &region->municipalities[i];
  g_autofree const char **names = g_new0 (const char *, region->n_municipalities + 1);
  for (int i = 0; i < region->n_municipalities; i++)
    names[i] = region->municipalities[i].name;
  const char *close = psim_load_closest (ctx, name, names, region->n_municipalities);
  g_autofree char *q = psim_load_quote (name);
  g_autofree char *rq = psim_load_quote (region->name);
  psim_load_report (ctx, line, 0, PSIM_PROBLEM_REFERENCE,
                    "<change municipality=%s>: region %s (%s) has no municipality of that "
                    "name%s%s%s", q, rq, region->path != NULL ? region->path : "",
                    close != NULL ? "; did you mean \"" : "", close != NULL ? close : "",
                    close != NULL ? "\"?" : "");
  return NULL;
}

static void
check_change (PsimLoadCtx *ctx, PsimChange *c, const PsimRegion *region)
{
  /* areas and zones are named per municipality */
  for (int k = 0; k < c->n_actions; k++)
    if (c->municipality == NULL && c->action_refs[k] != NULL && strcmp (c->action_refs[k], "all") != 0)
      {
        g_autofree char *q = psim_load_quote (c->action_refs[k]);
        gboolean area = psim_action_targets_area (c->actions[k].kind);
        psim_load_report (ctx, c->actions[k].line, 0, PSIM_PROBLEM_REFERENCE,
                          "<%s %s=%s> in a change for every municipality: name the "
                          "municipality with <change municipality=\"...\">, or use %s=\"all\"",
                          psim_action_element (c->actions[k].kind), area ? "area" : "zone", q,
                          area ? "area" : "zone");
      }
  if (region == NULL)
    return;

  /* A scenario may look past the end of the region's data (a projection:
   * runs go on with --to, the last state holding); it may not start before
   * the data begin. */
  if (region->from != PSIM_DATE_NONE && region->to != PSIM_DATE_NONE && c->from < region->from)
    {
      char d[11], a[11], b[11];
      psim_date_format (c->from, d);
      psim_date_format (region->from, a);
      psim_date_format (region->to, b);
      g_autofree char *rq = psim_load_quote (region->name);
      psim_load_report (ctx, c->line, 0, PSIM_PROBLEM_DATE,
                        "the change from %s lies outside the period of region %s (%s to %s)",
                        d, rq, a, b);
    }
  if (c->municipality == NULL)
    return;
  const PsimMunicipality *m = find_municipality (ctx, region, c->municipality, c->line);
  if (m == NULL)
    return;
  for (int k = 0; k < c->n_actions; k++)
    if (c->action_refs[k] != NULL)
      c->actions[k].target = psim_loader_resolve_target (ctx, m, c->actions[k].kind,
                                                         c->action_refs[k], c->actions[k].line);
}

PsimScenario *
psim_scenario_load_data (PsimLoadCtx *ctx, const char *data, gsize length, const PsimRegion *region)
{
  PsimFormat format = PSIM_FORMAT_SCENARIO;
  xmlDocPtr doc = psim_loader_parse (ctx, data, length, &format, FALSE);
  if (doc == NULL)
    return NULL;
  PsimScenario *sc = g_new0 (PsimScenario, 1);
  sc->path = g_strdup (ctx->path);
  xmlNodePtr root = xmlDocGetRootElement (doc);
  sc->name = psim_xml_attr (root, "name");
  GArray *changes = g_array_new (FALSE, TRUE, sizeof (PsimChange));
  for (xmlNodePtr n = psim_xml_element (root->children); n != NULL; n = psim_xml_element (n->next))
    {
      if (psim_xml_is (n, "title"))
        {
          g_free (sc->title);
          sc->title = psim_xml_text (n);
        }
      else if (psim_xml_is (n, "description"))
        {
          g_free (sc->description);
          sc->description = psim_xml_text (n);
        }
      else if (psim_xml_is (n, "change"))
        {
          PsimChange c = { .line = psim_xml_line (n) };
          psim_read_date (ctx, n, "from", &c.from);
          c.municipality = psim_xml_attr (n, "municipality");
          psim_read_actions (ctx, n, &c.actions, &c.action_refs, &c.n_actions);
          g_array_append_val (changes, c);
        }
    }
  sc->n_changes = (int) changes->len;
  sc->changes = (PsimChange *) g_array_free (changes, FALSE);
  for (int i = 0; i < sc->n_changes; i++)
    check_change (ctx, &sc->changes[i], region);

  if (region != NULL && !psim_load_failed (ctx))
    for (int i = 0; i < region->n_municipalities; i++)
      psim_loader_check_windows (NULL, &region->municipalities[i], ctx, sc);
  xmlFreeDoc (doc);
  return sc;
}
