/* permitsim: building a PsimMunicipality from its validated file, and the
 * window walk through a timeline.
 *
 * Beyond the schema: area and zone ids unique and not "all" (the word that
 * means every area), an area closes after it opens, the gender and origin
 * mixes each sum to one, events in date order and naming areas and zones
 * that exist, and no closure of more windows than are open at that moment. */
#include "loader_internal.h"

#include <math.h>
#include <string.h>

#define MIX_TOLERANCE 1e-9

static void
read_mix (PsimLoadCtx *ctx, xmlNodePtr node, const char *const *names, int n, double *mix)
{
  double sum = 0.0;
  gboolean ok = TRUE;
  for (int i = 0; i < n; i++)
    {
      ok = psim_read_double (ctx, node, names[i], &mix[i]) && ok;
      sum += mix[i];
    }
  if (ok && fabs (sum - 1.0) > MIX_TOLERANCE)
    {
      GString *parts = g_string_new (NULL);
      for (int i = 0; i < n; i++)
        g_string_append_printf (parts, "%s%s %.10g", i == 0 ? "" : " + ", names[i], mix[i]);
      psim_load_report (ctx, psim_xml_line (node), 0, PSIM_PROBLEM_CONSISTENCY,
                        "the <%s> shares must add up to 1, but %s = %.10g",
                        (const char *) node->name, parts->str, sum);
      g_string_free (parts, TRUE);
    }
}

static void
read_sex_workers (PsimLoadCtx *ctx, xmlNodePtr node, PsimMunicipality *m)
{
  psim_read_int32 (ctx, node, "count", &m->sex_workers);
  static const char *const genders[PSIM_N_GENDERS] = { "female", "male", "trans" };
  static const char *const origins[PSIM_N_ORIGINS] = { "dutch", "eu", "non-eu-permit", "undocumented" };
  for (int g = 0; g < PSIM_N_GENDERS; g++)
    g_assert (strcmp (genders[g], psim_gender_name ((PsimGender) g)) == 0);
  for (int o = 0; o < PSIM_N_ORIGINS; o++)
    g_assert (strcmp (origins[o], psim_origin_name ((PsimOrigin) o)) == 0);
  for (xmlNodePtr n = psim_xml_element (node->children); n != NULL; n = psim_xml_element (n->next))
    {
      if (psim_xml_is (n, "gender"))
        read_mix (ctx, n, genders, PSIM_N_GENDERS, m->gender_mix);
      else if (psim_xml_is (n, "origin"))
        read_mix (ctx, n, origins, PSIM_N_ORIGINS, m->origin_mix);
    }
}

/* Reads id, name, opened and closed (shared by window areas and street zones). */
static void
read_place (PsimLoadCtx *ctx, xmlNodePtr node, const char *what, char **id, char **name,
            PsimDate *opened, PsimDate *closed)
{
  *id = psim_xml_attr (node, "id");
  *name = psim_xml_attr (node, "name");
  psim_read_date (ctx, node, "opened", opened);
  psim_read_date (ctx, node, "closed", closed);
  int line = psim_xml_line (node);
  g_autofree char *q = psim_diagnostic_quoted (*id);
  if (*id != NULL && strcmp (*id, "all") == 0)
    psim_load_report (ctx, line, 0, PSIM_PROBLEM_REFERENCE,
                      "%s id \"all\" is reserved (it means every %s in close and open "
                      "actions): choose another id", what, what);
  if (*opened != PSIM_DATE_NONE && *closed != PSIM_DATE_NONE && *closed <= *opened)
    {
      char a[11], b[11];
      psim_date_format (*opened, a);
      psim_date_format (*closed, b);
      psim_load_report (ctx, line, 0, PSIM_PROBLEM_DATE,
                        "%s %s closes before it opens (closed %s, opened %s)", what, q, b, a);
    }
}

/* Reports ids given twice among `n` items (read through id_of and line_of). */
static void
check_unique (PsimLoadCtx *ctx, const char *what, int n, char *(*id_of) (const void *, int),
              int (*line_of) (const void *, int), const void *items)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (int i = 0; i < n; i++)
    {
      const char *id = id_of (items, i);
      if (id == NULL)
        continue;
      gpointer first;
      if (g_hash_table_lookup_extended (seen, id, NULL, &first))
        {
          g_autofree char *q = psim_diagnostic_quoted (id);
          psim_load_report (ctx, line_of (items, i), 0, PSIM_PROBLEM_REFERENCE,
                            "%s id %s is used twice (first on line %d): ids must be unique "
                            "within a municipality", what, q, GPOINTER_TO_INT (first));
        }
      else
        g_hash_table_insert (seen, (gpointer) id, GINT_TO_POINTER (line_of (items, i)));
    }
}

static char *area_id (const void *items, int i) { return ((const PsimWindowArea *) items)[i].id; }
static int area_line (const void *items, int i) { return ((const PsimWindowArea *) items)[i].line; }
static char *zone_id (const void *items, int i) { return ((const PsimStreetZone *) items)[i].id; }
static int zone_line (const void *items, int i) { return ((const PsimStreetZone *) items)[i].line; }

/* The index of area or zone `ref` in m, or PSIM_TARGET_UNRESOLVED after
 * reporting it unknown. */
static int
resolve_target (PsimLoadCtx *ctx, const PsimMunicipality *m, PsimActionKind kind, const char *ref,
                int line)
{
  gboolean area = psim_action_targets_area (kind);
  int n = area ? m->n_areas : m->n_zones;
  for (int i = 0; i < n; i++)
    {
      const char *id = area ? m->areas[i].id : m->zones[i].id;
      if (id != NULL && strcmp (id, ref) == 0)
        return i;
    }
  if (!psim_load_wants_details (ctx))
    {
      psim_load_report (ctx, line, 0, PSIM_PROBLEM_REFERENCE, "unknown area or zone");
      return PSIM_TARGET_UNRESOLVED;
    }
  g_autofree const char **ids = g_new0 (const char *, n + 1);
  for (int k = 0; k < n; k++)
    ids[k] = area ? m->areas[k].id : m->zones[k].id;
  g_autofree char *q = psim_diagnostic_quoted (ref);
  g_autofree char *mq = psim_diagnostic_quoted (m->name);
  const char *close = psim_load_closest (ctx, ref, ids, n);
  GString *known = g_string_new (NULL);
  for (int k = 0; k < n && k < 20; k++)
    g_string_append_printf (known, "%s%s", k == 0 ? "" : ", ", ids[k]);
  if (n > 20)
    g_string_append (known, ", ...");
  psim_load_report (ctx, line, 0, PSIM_PROBLEM_REFERENCE,
                    "<%s> names %s %s, which municipality %s does not have%s%s%s (%s: %s)",
                    psim_action_element (kind), area ? "window area" : "street zone", q, mq,
                    close != NULL ? "; did you mean \"" : "", close != NULL ? close : "",
                    close != NULL ? "\"?" : "", area ? "its areas" : "its zones",
                    n > 0 ? known->str : "none");
  g_string_free (known, TRUE);
  return PSIM_TARGET_UNRESOLVED;
}

int
psim_loader_resolve_target (PsimLoadCtx *ctx, const PsimMunicipality *m, PsimActionKind kind,
                            const char *ref, int line)
{
  if (ref == NULL)
    return PSIM_ALL;
  if (strcmp (ref, "all") == 0)
    return PSIM_ALL;
  return resolve_target (ctx, m, kind, ref, line);
}

static void
read_event (PsimLoadCtx *ctx, xmlNodePtr node, PsimEvent *ev, char ***refs)
{
  ev->line = psim_xml_line (node);
  psim_read_date (ctx, node, "date", &ev->date);
  ev->source = psim_xml_attr (node, "source");
  psim_read_actions (ctx, node, &ev->actions, refs, &ev->n_actions);
}

static int
compare_events (gconstpointer a, gconstpointer b, gpointer unused)
{
  const PsimEvent *x = a, *y = b;
  return (x->date > y->date) - (x->date < y->date);
}

gboolean
psim_municipality_load_data (PsimLoadCtx *ctx, const char *data, gsize length, PsimMunicipality *m)
{
  memset (m, 0, sizeof *m);
  PsimFormat format = PSIM_FORMAT_MUNICIPALITY;
  xmlDocPtr doc = psim_loader_parse (ctx, data, length, &format, FALSE);
  psim_read_rules (ctx, NULL, &m->rules);
  m->path = g_strdup (ctx->path);
  if (doc == NULL)
    return FALSE;
  xmlNodePtr root = xmlDocGetRootElement (doc);
  m->name = psim_xml_attr (root, "name");
  m->cbs_code = psim_xml_attr (root, "cbs-code");
  psim_read_int64 (ctx, root, "population", &m->population);

  GArray *areas = g_array_new (FALSE, TRUE, sizeof (PsimWindowArea));
  GArray *zones = g_array_new (FALSE, TRUE, sizeof (PsimStreetZone));
  GArray *events = g_array_new (FALSE, TRUE, sizeof (PsimEvent));
  GPtrArray *event_refs = g_ptr_array_new (); /* char ** per event */
  int sex_workers_line = psim_xml_line (root);

  for (xmlNodePtr n = psim_xml_element (root->children); n != NULL; n = psim_xml_element (n->next))
    {
      if (psim_xml_is (n, "sex-workers"))
        {
          read_sex_workers (ctx, n, m);
          sex_workers_line = psim_xml_line (n);
        }
      else if (psim_xml_is (n, "window-area"))
        {
          PsimWindowArea a = { .line = psim_xml_line (n) };
          read_place (ctx, n, "window area", &a.id, &a.name, &a.opened, &a.closed);
          psim_read_int32 (ctx, n, "windows", &a.windows);
          g_array_append_val (areas, a);
        }
      else if (psim_xml_is (n, "street-zone"))
        {
          PsimStreetZone z = { .line = psim_xml_line (n) };
          read_place (ctx, n, "street zone", &z.id, &z.name, &z.opened, &z.closed);
          psim_read_int32 (ctx, n, "capacity", &z.capacity);
          g_array_append_val (zones, z);
        }
      else if (psim_xml_is (n, "clubs"))
        psim_read_int32 (ctx, n, "count", &m->clubs);
      else if (psim_xml_is (n, "escort-agencies"))
        psim_read_int32 (ctx, n, "count", &m->escort_agencies);
      else if (psim_xml_is (n, "rules"))
        psim_read_rules (ctx, n, &m->rules);
      else if (psim_xml_is (n, "timeline"))
        for (xmlNodePtr e = psim_xml_element (n->children); e != NULL; e = psim_xml_element (e->next))
          {
            PsimEvent ev = { 0 };
            char **refs = NULL;
            read_event (ctx, e, &ev, &refs);
            g_array_append_val (events, ev);
            g_ptr_array_add (event_refs, refs);
          }
    }
  m->n_areas = (int) areas->len;
  m->areas = (PsimWindowArea *) g_array_free (areas, FALSE);
  m->n_zones = (int) zones->len;
  m->zones = (PsimStreetZone *) g_array_free (zones, FALSE);
  m->n_events = (int) events->len;
  m->events = (PsimEvent *) g_array_free (events, FALSE);

  check_unique (ctx, "window area", m->n_areas, area_id, area_line, m->areas);
  check_unique (ctx, "street zone", m->n_zones, zone_id, zone_line, m->zones);
  if (m->population >= 0 && m->sex_workers > m->population)
    psim_load_report (ctx, sex_workers_line, 0, PSIM_PROBLEM_CONSISTENCY,
                      "<sex-workers count=\"%d\"> is more than the population (%" G_GINT64_FORMAT ")",
                      m->sex_workers, (gint64) m->population);

  /* events: in date order as written; targets resolved */
  for (int i = 0; i < m->n_events; i++)
    {
      PsimEvent *ev = &m->events[i];
      if (i > 0 && ev->date < m->events[i - 1].date)
        {
          char a[11], b[11];
          psim_date_format (ev->date, a);
          psim_date_format (m->events[i - 1].date, b);
          psim_load_report (ctx, ev->line, 0, PSIM_PROBLEM_DATE,
                            "the event of %s comes after the event of %s (line %d): list the "
                            "timeline's events in date order", a, b, m->events[i - 1].line);
        }
      char **refs = g_ptr_array_index (event_refs, i);
      for (int k = 0; k < ev->n_actions; k++)
        {
          PsimAction *a = &ev->actions[k];
          if (refs != NULL && refs[k] != NULL)
            {
              a->target = psim_loader_resolve_target (ctx, m, a->kind, refs[k], a->line);
            }
        }
    }
  for (guint i = 0; i < event_refs->len; i++)
    {
      char **refs = g_ptr_array_index (event_refs, i);
      if (refs != NULL)
        for (int k = 0; k < m->events[i].n_actions; k++)
          g_free (refs[k]);
      g_free (refs);
    }
  g_ptr_array_free (event_refs, TRUE);
  /* stable: file order kept within a date (already sorted when valid) */
  g_qsort_with_data (m->events, m->n_events, sizeof (PsimEvent),
                     compare_events, NULL);

  if (!psim_load_failed (ctx))
    psim_loader_check_windows (ctx, m, NULL, NULL);
  xmlFreeDoc (doc);
  return !psim_load_failed (ctx);
}

/* ---------- the window walk ---------- */

enum { STEP_AREA_OPENS, STEP_AREA_CLOSES, STEP_ACTION };

typedef struct {
  PsimDate date;
  int group;   /* 0 area dates, 1 the municipality's events, 2 the scenario */
  int seq;     /* file order within the group */
  int kind;
  int area;
  const PsimAction *action;
  PsimLoadCtx *ctx; /* where a problem goes, or NULL */
} Step;

static int
compare_steps (gconstpointer a, gconstpointer b)
{
  const Step *x = a, *y = b;
  if (x->date != y->date)
    return (x->date > y->date) - (x->date < y->date);
  if (x->group != y->group)
    return x->group - y->group;
  return x->seq - y->seq;
}

static void
add_action_steps (GArray *steps, PsimDate date, int group, const PsimAction *actions, int n,
                  PsimLoadCtx *ctx)
{
  for (int k = 0; k < n; k++)
    if (psim_action_targets_area (actions[k].kind) && actions[k].target != PSIM_TARGET_UNRESOLVED)
      {
        Step s = { date, group, (int) steps->len, STEP_ACTION, actions[k].target, &actions[k], ctx };
        g_array_append_val (steps, s);
      }
}

void
psim_loader_check_windows (PsimLoadCtx *mctx, const PsimMunicipality *m, PsimLoadCtx *sctx,
                           const PsimScenario *scenario)
{
  if (m->n_areas == 0)
    return;
  GArray *steps = g_array_new (FALSE, TRUE, sizeof (Step));
  for (int i = 0; i < m->n_areas; i++)
    {
      if (m->areas[i].opened != PSIM_DATE_NONE)
        {
          Step s = { m->areas[i].opened, 0, (int) steps->len, STEP_AREA_OPENS, i, NULL, NULL };
          g_array_append_val (steps, s);
        }
      if (m->areas[i].closed != PSIM_DATE_NONE)
        {
          Step s = { m->areas[i].closed, 0, (int) steps->len, STEP_AREA_CLOSES, i, NULL, NULL };
          g_array_append_val (steps, s);
        }
    }
  for (int e = 0; e < m->n_events; e++)
    add_action_steps (steps, m->events[e].date, 1, m->events[e].actions, m->events[e].n_actions, mctx);
  if (scenario != NULL)
    for (int c = 0; c < scenario->n_changes; c++)
      {
        const PsimChange *ch = &scenario->changes[c];
        if (ch->municipality == NULL || (m->name != NULL && strcmp (ch->municipality, m->name) == 0))
          add_action_steps (steps, ch->from, 2, ch->actions, ch->n_actions, sctx);
      }
  g_array_sort (steps, compare_steps);

  g_autofree gint64 *open = g_new0 (gint64, MAX (m->n_areas, 1));
  for (int i = 0; i < m->n_areas; i++)
    open[i] = m->areas[i].opened == PSIM_DATE_NONE ? m->areas[i].windows : 0;

  for (guint k = 0; k < steps->len; k++)
    {
      const Step *s = &g_array_index (steps, Step, k);
      if (s->kind == STEP_AREA_OPENS)
        {
          open[s->area] = m->areas[s->area].windows;
          continue;
        }
      if (s->kind == STEP_AREA_CLOSES)
        {
          open[s->area] = 0;
          continue;
        }
      const PsimAction *a = s->action;
      int lo = a->target == PSIM_ALL ? 0 : a->target;
      int hi = a->target == PSIM_ALL ? m->n_areas : a->target + 1;
      for (int i = lo; i < hi && i < m->n_areas; i++)
        {
          if (a->kind == PSIM_ACTION_OPEN_WINDOWS)
            open[i] = a->count == PSIM_ALL ? m->areas[i].windows : open[i] + a->count;
          else if (a->count == PSIM_ALL)
            open[i] = 0;
          else if (a->count > open[i])
            {
              if (s->ctx != NULL)
                {
                  char d[11];
                  psim_date_format (s->date, d);
                  g_autofree char *q = psim_diagnostic_quoted (m->areas[i].id);
                  g_autofree char *mq = psim_diagnostic_quoted (m->name);
                  psim_load_report (s->ctx, a->line, 0, PSIM_PROBLEM_CONSISTENCY,
                                    "<close-windows> on %s closes %d %s in area %s of %s, "
                                    "but only %" G_GINT64_FORMAT " %s open then",
                                    d, a->count, a->count == 1 ? "window" : "windows", q, mq,
                                    open[i], open[i] == 1 ? "is" : "are");
                }
              open[i] = 0;
            }
          else
            open[i] -= a->count;
        }
    }
  g_array_free (steps, TRUE);
}
