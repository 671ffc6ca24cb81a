/* permitsim: building a PsimScenario and checking it against a region.
 *
 * A change names one municipality or none (then it applies to all of them,
 * and may name no area or zone but "all"). Given a region, each named
 * municipality must be in it, each area or zone in that municipality
 * (PsimAction.target is resolved; action_refs keep the ids as written), no
 * change may start before the region's period (after its end is allowed),
 * and no closure may remove more windows than are open then. Without a
 * region, named targets stay PSIM_TARGET_UNRESOLVED: such a scenario is for
 * checking, not for running.
 *
 * Titles: the one without xml:lang is the default, the others are kept by
 * language for charts and reports in that language. */
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
  g_autofree char *q = psim_diagnostic_quoted (name);
  g_autofree char *rq = psim_diagnostic_quoted (region->name);
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
        g_autofree char *q = psim_diagnostic_quoted (c->action_refs[k]);
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
      g_autofree char *rq = psim_diagnostic_quoted (region->name);
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

/* The titles as read, every one with its line, so that a language given
 * twice is found even when one of the two is blank. */
typedef struct {
  GArray *titles;    /* PsimTitle, with a language; text NULL when blank */
  char *default_text;
  int default_line;  /* 0: no default title yet */
} TitleReader;

/* Reads one <title>. Two titles for the same language (tags compared without
 * regard to case, as BCP 47 says) or two without one are refused: which of
 * them a chart showed would depend on their order in the file. */
static void
read_title (PsimLoadCtx *ctx, xmlNodePtr n, TitleReader *tr)
{
  int line = psim_xml_line (n);
  xmlChar *raw = xmlGetNsProp (n, (const xmlChar *) "lang", XML_XML_NAMESPACE);
  char *lang = raw != NULL ? g_strstrip (g_strdup ((const char *) raw)) : NULL;
  xmlFree (raw);
  if (lang != NULL && *lang == '\0') /* xml:lang="": no language given */
    g_clear_pointer (&lang, g_free);

  if (lang == NULL)
    {
      if (tr->default_line > 0)
        psim_load_report (ctx, line, 0, PSIM_PROBLEM_CONSISTENCY,
                          "<title> without xml:lang is given twice (first on line %d): give one "
                          "default title, and each other one with its language, as in "
                          "<title xml:lang=\"nl\">", tr->default_line);
      else
        {
          tr->default_line = line;
          tr->default_text = psim_xml_text (n);
        }
      return;
    }
  for (guint i = 0; i < tr->titles->len; i++)
    {
      const PsimTitle *t = &g_array_index (tr->titles, PsimTitle, i);
      if (g_ascii_strcasecmp (t->lang, lang) != 0)
        continue;
      g_autofree char *q = psim_diagnostic_quoted (lang);
      g_autofree char *first = psim_diagnostic_quoted (t->lang);
      gboolean same = strcmp (t->lang, lang) == 0;
      psim_load_report (ctx, line, 0, PSIM_PROBLEM_CONSISTENCY,
                        "<title xml:lang=%s> is given twice (first on line %d%s%s): give at most "
                        "one title per language", q, t->line, same ? "" : ", as ", same ? "" : first);
      g_free (lang);
      return;
    }
  PsimTitle t = { .lang = lang, .text = psim_xml_text (n), .line = line };
  g_array_append_val (tr->titles, t);
}

/* Moves the titles read into the scenario: blank ones are left out, and
 * without a default title the first with a language stands in. */
static void
finish_titles (TitleReader *tr, PsimScenario *sc)
{
  GArray *kept = g_array_new (FALSE, TRUE, sizeof (PsimTitle));
  for (guint i = 0; i < tr->titles->len; i++)
    {
      PsimTitle *t = &g_array_index (tr->titles, PsimTitle, i);
      if (t->text == NULL)
        g_free (t->lang);
      else
        g_array_append_val (kept, *t);
    }
  g_array_free (tr->titles, TRUE);
  sc->n_titles = (int) kept->len;
  sc->titles = (PsimTitle *) g_array_free (kept, FALSE);
  sc->title = tr->default_text;
  if (sc->title == NULL && sc->n_titles > 0)
    sc->title = g_strdup (sc->titles[0].text);
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
  TitleReader titles = { .titles = g_array_new (FALSE, TRUE, sizeof (PsimTitle)) };
  for (xmlNodePtr n = psim_xml_element (root->children); n != NULL; n = psim_xml_element (n->next))
    {
      if (psim_xml_is (n, "title"))
        read_title (ctx, n, &titles);
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
  finish_titles (&titles, sc);
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
