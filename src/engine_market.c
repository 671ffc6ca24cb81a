/* permitsim: the phases that change who works where by rule and by market
 * (MODEL.md §4, phases 1-3): policy events and evictions, entry, and the
 * prices and new venues of the licensed market. Exits are decided in the
 * week's pass (engine_week.c), the weekly tables are in engine_tables.c, the
 * choice of workplace in engine_choice.c.
 */
#include "engine_internal.h"

#include <math.h>
#include <string.h>

/* ---------- venues ---------- */

const PsimMode psim_engine_venue_mode[PSIM_N_VENUES] = {
  [PSIM_VENUE_WINDOW] = PSIM_MODE_WINDOW,
  [PSIM_VENUE_CLUB] = PSIM_MODE_CLUB,
  [PSIM_VENUE_ESCORT_AGENCY] = PSIM_MODE_ESCORT_AGENCY,
};

static int32_t *
venue_count (PsimVenues *venues, int v)
{
  switch (v)
    {
    case PSIM_VENUE_WINDOW:
      return &venues->windows;
    case PSIM_VENUE_CLUB:
      return &venues->clubs;
    default:
      return &venues->escort_agencies;
    }
}

static int32_t
venue_get (const PsimVenues *venues, int v)
{
  return v == PSIM_VENUE_WINDOW ? venues->windows
         : v == PSIM_VENUE_CLUB ? venues->clubs
                                : venues->escort_agencies;
}

int32_t
psim_engine_venues_total (const PsimMuniRun *mr, int v)
{
  return venue_get (&mr->timeline_venues, v) + venue_get (&mr->opened, v);
}

/* Whether a mode is an option in a municipality at all: modes with places
 * need some, or (venues) a lifted cap that still lets new ones open, in
 * which case applicants can queue for them. A cap of zero with no venues
 * licenses no one. */
gboolean
psim_engine_mode_exists (const PsimMuniRun *mr, int k)
{
  if (!psim_policy_has_capacity ((PsimMode) k) || mr->places[k] > 0)
    return TRUE;
  for (int v = 0; v < PSIM_N_VENUES; v++)
    if ((int) psim_engine_venue_mode[v] == k)
      return mr->room[v] > 0;
  return FALSE;
}

/* A cap that changes during the run sets the room for new venues: the new
 * cap minus the venues open then (none left when the cap is at or below
 * them; without limit when the cap is lifted). The starting caps leave no
 * room: the venues a file lists are the licensed ones, and closures under a
 * maximum policy free no licences (the brochure's "kunstmatig gesloten
 * markt"). */
static void
update_room (PsimMuniRun *mr, gboolean first)
{
  for (int v = 0; v < PSIM_N_VENUES; v++)
    {
      int32_t cap = mr->rules.permit_cap[v];
      if (!first && cap != mr->cap_seen[v])
        mr->room[v] = cap == PSIM_UNLIMITED ? PSIM_UNLIMITED
                                            : MAX (cap - psim_engine_venues_total (mr, v), 0);
      mr->cap_seen[v] = cap;
    }
}

/* ---------- 1. policy events ---------- */

/* Where a municipality has fewer places than workers in a mode (an area
 * closed, licences revoked), the surplus is evicted at random: the workers of
 * that mode are ordered by a random key and the first ones leave. They are
 * out of work and must choose again this week. */
static void
evict_surplus (PsimEngine *e)
{
  PsimWorkers *w = &e->workers;
  g_array_set_size (e->queue, 0);
  for (gsize i = 0; i < w->n; i++)
    {
      const PsimMuniRun *mr = &e->munis[w->muni[i]];
      int k = w->mode[i];
      if (!e->has_capacity[k] || mr->occupied[k] <= mr->places[k])
        continue;
      /* grouped by municipality and mode; the random part of the key below */
      PsimQueued q = { ((uint64_t) w->muni[i] << 35) | ((uint64_t) k << 32), w->serial[i], (uint32_t) i };
      g_array_append_val (e->queue, q);
    }
  /* in random order within a group: word 0 of each one's eviction block,
   * drawn together (the same words as one block at a time) */
  gsize n = e->queue->len;
  PsimQueued *queue = (PsimQueued *) (void *) e->queue->data;
  uint32_t *serials = g_new (uint32_t, 5 * n);
  uint32_t *const words[4] = { serials + n, serials + 2 * n, serials + 3 * n, serials + 4 * n };
  for (gsize q = 0; q < n; q++)
    serials[q] = queue[q].serial;
  psim_rng_blocks_planar (&e->key, serials, n, (uint32_t) e->week, PSIM_DRAW_EVICT, 0, words);
  for (gsize q = 0; q < n; q++)
    queue[q].key |= words[0][q];
  g_free (serials);
  PsimQueued *spare = g_new (PsimQueued, n);
  psim_engine_sort_queued (queue, n, spare);
  g_free (spare);
  for (gsize q = 0; q < n; q++)
    {
      gsize i = queue[q].index;
      PsimMuniRun *mr = &e->munis[w->muni[i]];
      if (mr->occupied[w->mode[i]] <= mr->places[w->mode[i]])
        continue;
      psim_engine_set_mode (e, i, PSIM_MODE_OUT);
      w->flags[i] |= PSIM_WF_MUST_CHOOSE;
    }
}

void
psim_engine_policy_events (PsimEngine *e)
{
  const PsimRunSpec *spec = e->spec;
  PsimDate date = psim_engine_week_date (e, e->week);
  gboolean surplus = FALSE;
  for (int m = 0; m < e->n_munis; m++)
    {
      PsimMuniRun *mr = &e->munis[m];
      psim_muni_state_at (&mr->state, mr->source, &spec->region->national_rules, spec->scenarios,
                          spec->n_scenarios, date);
      psim_policy_effective_rules (&mr->state.rules, &mr->rules);
      mr->demand = MAX (mr->state.sex_workers, 0);
      mr->min_age_weeks = mr->rules.minimum_age * PSIM_WEEKS_PER_YEAR;
      mr->timeline_venues.windows = psim_muni_state_windows (&mr->state);
      mr->timeline_venues.clubs = mr->state.clubs;
      mr->timeline_venues.escort_agencies = mr->state.escort_agencies;
      update_room (mr, !e->caps_known);
      /* venues opened under a lifted cap stay open: a cap below the current
       * count closes nothing unless an event does (docs/model.md) */
      PsimVenues venues;
      for (int v = 0; v < PSIM_N_VENUES; v++)
        *venue_count (&venues, v) = psim_engine_venues_total (mr, v);
      psim_policy_places (&venues, psim_muni_state_zone_capacity (&mr->state, mr->source), &mr->rules,
                          e->params, mr->places);
      for (int k = 0; k < PSIM_N_MODES; k++)
        if (psim_policy_has_capacity ((PsimMode) k) && mr->occupied[k] > mr->places[k])
          surplus = TRUE;
    }
  e->caps_known = TRUE;
  if (surplus)
    evict_surplus (e);
}

/* ---------- 2. entry ---------- */

/* Exits, and who reconsiders, are decided in the week's pass
 * (engine_week.c). */
void
psim_engine_entry (PsimEngine *e)
{
  /* Supply follows demand: each week a share of the gap between the workers
   * a municipality's market supports and those present enters (and must
   * choose). Entry never exceeds the gap, so no policy raises numbers beyond
   * demand (New Zealand: decriminalisation did not increase the number of
   * workers). Nor does the waterbed: workers who moved can hold a
   * municipality above its own demand while the one they left has a gap, so
   * the gaps are refilled only as far as the region as a whole is below its
   * demand (each gap scaled by the region's gap over the sum of the gaps,
   * and the entrants of the week never more than the region's gap). */
  int32_t region_gap = 0, sum_of_gaps = 0;
  for (int m = 0; m < e->n_munis; m++)
    {
      const PsimMuniRun *mr = &e->munis[m];
      region_gap += mr->demand - mr->population;
      sum_of_gaps += MAX (mr->demand - mr->population, 0);
    }
  if (region_gap <= 0)
    return;
  double scale = MIN ((double) region_gap / sum_of_gaps, 1.0);
  for (int m = 0; m < e->n_munis && region_gap > 0; m++)
    {
      PsimMuniRun *mr = &e->munis[m];
      int32_t gap = mr->demand - mr->population;
      if (gap <= 0)
        continue;
      double expected = e->params->entry_gap_share * gap * scale;
      double whole = floor (expected);
      double u = psim_rng_uniform (&e->key, PSIM_MUNI_SUBJECT (m), (uint32_t) e->week, PSIM_DRAW_ENTRY, 0);
      int32_t n = MIN (MIN ((int32_t) whole + (u < expected - whole), gap), region_gap);
      int32_t added = psim_engine_add_workers (e, m, n, FALSE);
      mr->week_entries += added;
      region_gap -= added;
    }
}

/* ---------- 3. prices and new venues ---------- */

/* The cap makes the licensed market a closed one: the price of a place
 * (window rent, operator share) rises while applicants wait and falls while
 * places stand empty, within bounds. Where a lifted cap leaves room, new
 * venues open at a bounded rate while applicants wait; they take places from
 * next week on. */
void
psim_engine_prices (PsimEngine *e)
{
  const PsimParams *p = e->params;
  for (int m = 0; m < e->n_munis; m++)
    {
      PsimMuniRun *mr = &e->munis[m];
      for (int v = 0; v < PSIM_N_VENUES; v++)
        {
          int k = psim_engine_venue_mode[v];
          gboolean queue = mr->week_applied_full[k] > 0;
          if (queue)
            mr->price[v] *= 1.0 + p->price_rise;
          else if (mr->occupied[k] < mr->places[k])
            mr->price[v] *= 1.0 - p->price_fall;
          mr->price[v] = CLAMP (mr->price[v], p->price_min, p->price_max);

          /* progress toward the next venue accrues in the weeks someone
           * queued (and is kept in between) */
          if (!queue || mr->room[v] <= 0)
            continue;
          double minimum = v == PSIM_VENUE_WINDOW ? p->opening_min_windows : p->opening_min_venues;
          mr->opening_progress[v] += MAX (minimum, p->opening_share * psim_engine_venues_total (mr, v))
                                     / PSIM_WEEKS_PER_YEAR;
          /* (a year's worth of weekly steps may sum to a hair below 1) */
          while (mr->opening_progress[v] >= 1.0 - 1e-9 && mr->room[v] > 0)
            {
              (*venue_count (&mr->opened, v))++;
              if (mr->room[v] != PSIM_UNLIMITED)
                mr->room[v]--;
              mr->opening_progress[v] -= 1.0;
            }
        }
    }
}
