/* permitsim: the state of a municipality on a given date (see timeline.h).
 *
 * Folds the starting rules and workplaces, the areas' and zones' own opening
 * and closing dates, the municipality's timeline and the scenarios into what
 * is in force at the start of one day. No I/O and no allocation once the
 * state's arrays fit the municipality, so the engine can call it every week.
 */
#include "permitsim/timeline.h"

#include <string.h>

void
psim_muni_state_init (PsimMuniState *state)
{
  g_return_if_fail (state != NULL);
  memset (state, 0, sizeof *state);
  psim_rules_init_defaults (&state->rules);
}

void
psim_muni_state_clear (PsimMuniState *state)
{
  if (state == NULL)
    return;
  g_free (state->area_windows);
  g_free (state->zone_open);
  psim_muni_state_init (state);
}

/* ---------- actions ---------- */

/* The area (or zone) an action aims at in `m`: its index, PSIM_ALL for every
 * one, or TARGET_NONE when it names nothing here. A scenario written for all
 * municipalities names areas by id, and the same id has a different index
 * (or none) in each municipality, so scenario actions are resolved by the id
 * they were written with when there is one. */
#define TARGET_NONE (-2)

static int
resolve_target (const PsimAction *action, const char *ref, const PsimMunicipality *m,
                gboolean zone)
{
  if (action->target == PSIM_ALL)
    return PSIM_ALL; /* area="all" / zone="all", or built that way in C */
  if (ref != NULL)
    {
      if (zone)
        {
          for (int i = 0; i < m->n_zones; i++)
            if (g_strcmp0 (m->zones[i].id, ref) == 0)
              return i;
        }
      else
        {
          for (int i = 0; i < m->n_areas; i++)
            if (g_strcmp0 (m->areas[i].id, ref) == 0)
              return i;
        }
      return TARGET_NONE;
    }
  int n = zone ? m->n_zones : m->n_areas;
  return (action->target >= 0 && action->target < n) ? action->target : TARGET_NONE;
}

static void
close_windows (PsimMuniState *state, int area, int32_t count)
{
  if (count == PSIM_ALL || count >= state->area_windows[area])
    state->area_windows[area] = 0;
  else if (count > 0)
    state->area_windows[area] -= count;
}

/* count PSIM_ALL reopens the area with its own window count; a number adds
 * that many windows, with no ceiling: a scenario may enlarge an area. */
static void
open_windows (PsimMuniState *state, const PsimMunicipality *m, int area, int32_t count)
{
  if (count == PSIM_ALL)
    state->area_windows[area] = m->areas[area].windows;
  else if (count > 0)
    state->area_windows[area] = (int32_t) MIN ((int64_t) state->area_windows[area] + count,
                                               (int64_t) INT32_MAX);
}

static void
apply_action (PsimMuniState *state, const PsimMunicipality *m, const PsimAction *a,
              const char *ref)
{
  int t;
  switch (a->kind)
    {
    case PSIM_ACTION_RULES:
      psim_rules_apply (&state->rules, &a->rules);
      break;
    case PSIM_ACTION_CLOSE_WINDOWS:
    case PSIM_ACTION_OPEN_WINDOWS:
      t = resolve_target (a, ref, m, FALSE);
      if (t == TARGET_NONE)
        break;
      for (int i = 0; i < m->n_areas; i++)
        if (t == PSIM_ALL || t == i)
          {
            if (a->kind == PSIM_ACTION_CLOSE_WINDOWS)
              close_windows (state, i, a->count);
            else
              open_windows (state, m, i, a->count);
          }
      break;
    case PSIM_ACTION_CLOSE_STREET_ZONE:
    case PSIM_ACTION_OPEN_STREET_ZONE:
      t = resolve_target (a, ref, m, TRUE);
      if (t == TARGET_NONE)
        break;
      for (int i = 0; i < m->n_zones; i++)
        if (t == PSIM_ALL || t == i)
          state->zone_open[i] = (a->kind == PSIM_ACTION_OPEN_STREET_ZONE);
      break;
    case PSIM_ACTION_SET_CLUBS:
      state->clubs = MAX (a->count, 0);
      break;
    case PSIM_ACTION_SET_ESCORT_AGENCIES:
      state->escort_agencies = MAX (a->count, 0);
      break;
    case PSIM_ACTION_SET_SEX_WORKERS:
      state->sex_workers = MAX (a->count, 0);
      break;
    }
}

/* Does a scenario change apply to `m`? NULL: every municipality; otherwise
 * the one of that name. */
static gboolean
change_applies (const PsimChange *c, const PsimMunicipality *m)
{
  return c->municipality == NULL || g_strcmp0 (c->municipality, m->name) == 0;
}

/* ---------- the fold ---------- */

/* The earliest date after `after` and on or before `until` at which an area
 * or zone opens or closes or a scenario changes something in `m`;
 * PSIM_DATE_NONE when there is none. (The municipality's own events are
 * sorted and followed by index instead, so a long timeline costs one step
 * per event.) */
static PsimDate
next_other_change (const PsimMunicipality *m, PsimScenario *const *scenarios, int n_scenarios,
                   PsimDate after, PsimDate until)
{
  PsimDate best = PSIM_DATE_NONE;
#define CONSIDER(d)                                                              \
  do                                                                             \
    {                                                                            \
      PsimDate d_ = (d);                                                         \
      if (d_ != PSIM_DATE_NONE && d_ > after && d_ <= until                      \
          && (best == PSIM_DATE_NONE || d_ < best))                              \
        best = d_;                                                               \
    }                                                                            \
  while (0)
  for (int i = 0; i < m->n_areas; i++)
    {
      CONSIDER (m->areas[i].opened);
      CONSIDER (m->areas[i].closed);
    }
  for (int i = 0; i < m->n_zones; i++)
    {
      CONSIDER (m->zones[i].opened);
      CONSIDER (m->zones[i].closed);
    }
  for (int s = 0; s < n_scenarios; s++)
    if (scenarios[s] != NULL)
      for (int c = 0; c < scenarios[s]->n_changes; c++)
        if (change_applies (&scenarios[s]->changes[c], m))
          CONSIDER (scenarios[s]->changes[c].from);
#undef CONSIDER
  return best;
}

static void
apply_own_dates (PsimMuniState *state, const PsimMunicipality *m, PsimDate d)
{
  for (int i = 0; i < m->n_areas; i++)
    {
      if (m->areas[i].opened == d)
        state->area_windows[i] = m->areas[i].windows;
      if (m->areas[i].closed == d)
        state->area_windows[i] = 0;
    }
  for (int i = 0; i < m->n_zones; i++)
    {
      if (m->zones[i].opened == d)
        state->zone_open[i] = TRUE;
      if (m->zones[i].closed == d)
        state->zone_open[i] = FALSE;
    }
}

static void
apply_scenarios (PsimMuniState *state, const PsimMunicipality *m, PsimScenario *const *scenarios,
                 int n_scenarios, PsimDate d)
{
  for (int s = 0; s < n_scenarios; s++)
    {
      const PsimScenario *sc = scenarios[s];
      if (sc == NULL)
        continue;
      for (int c = 0; c < sc->n_changes; c++)
        {
          const PsimChange *ch = &sc->changes[c];
          if (ch->from != d || !change_applies (ch, m))
            continue;
          for (int a = 0; a < ch->n_actions; a++)
            apply_action (state, m, &ch->actions[a],
                          ch->action_refs != NULL ? ch->action_refs[a] : NULL);
        }
    }
}

void
psim_muni_state_at (PsimMuniState *state, const PsimMunicipality *m, const PsimRules *national,
                    PsimScenario *const *scenarios, int n_scenarios, PsimDate date)
{
  g_return_if_fail (state != NULL && m != NULL);
  g_return_if_fail (n_scenarios == 0 || scenarios != NULL);

  if (state->n_areas != m->n_areas)
    {
      state->area_windows = g_renew (int32_t, state->area_windows, m->n_areas);
      state->n_areas = m->n_areas;
    }
  if (state->n_zones != m->n_zones)
    {
      state->zone_open = g_renew (gboolean, state->zone_open, m->n_zones);
      state->n_zones = m->n_zones;
    }

  /* the start: national rules, then the municipality's own */
  psim_rules_init_defaults (&state->rules);
  if (national != NULL)
    psim_rules_apply (&state->rules, national);
  psim_rules_apply (&state->rules, &m->rules);
  state->rules.set = PSIM_RULE_ALL;
  state->clubs = m->clubs;
  state->escort_agencies = m->escort_agencies;
  state->sex_workers = m->sex_workers;
  /* an area or zone with an opening date is shut until then */
  for (int i = 0; i < m->n_areas; i++)
    state->area_windows[i] = m->areas[i].opened == PSIM_DATE_NONE ? m->areas[i].windows : 0;
  for (int i = 0; i < m->n_zones; i++)
    state->zone_open[i] = m->zones[i].opened == PSIM_DATE_NONE;

  /* then every dated change up to `date`, one date at a time: on each date the
   * areas' and zones' own dates, then the municipality's events in file
   * order, then each scenario's changes in the order given */
  int next_event = 0;
  PsimDate other = next_other_change (m, scenarios, n_scenarios, PSIM_DATE_NONE, date);
  for (;;)
    {
      PsimDate d = other;
      if (next_event < m->n_events && m->events[next_event].date <= date
          && (d == PSIM_DATE_NONE || m->events[next_event].date < d))
        d = m->events[next_event].date;
      if (d == PSIM_DATE_NONE)
        break;
      if (d == other)
        apply_own_dates (state, m, d);
      for (; next_event < m->n_events && m->events[next_event].date == d; next_event++)
        {
          const PsimEvent *e = &m->events[next_event];
          for (int a = 0; a < e->n_actions; a++)
            apply_action (state, m, &e->actions[a], NULL);
        }
      if (d == other)
        {
          apply_scenarios (state, m, scenarios, n_scenarios, d);
          other = next_other_change (m, scenarios, n_scenarios, d, date);
        }
    }
}

int32_t
psim_muni_state_windows (const PsimMuniState *state)
{
  g_return_val_if_fail (state != NULL, 0);
  int64_t total = 0;
  for (int i = 0; i < state->n_areas; i++)
    total += state->area_windows[i];
  return (int32_t) MIN (total, (int64_t) INT32_MAX);
}

int32_t
psim_muni_state_zone_capacity (const PsimMuniState *state, const PsimMunicipality *m)
{
  g_return_val_if_fail (state != NULL && m != NULL, 0);
  g_return_val_if_fail (state->n_zones == m->n_zones, 0);
  int64_t total = 0;
  for (int i = 0; i < m->n_zones; i++)
    if (state->zone_open[i])
      total += m->zones[i].capacity;
  return (int32_t) MIN (total, (int64_t) INT32_MAX);
}
