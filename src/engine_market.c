/* permitsim: the phases that change who works where by rule and by market
 * (MODEL.md §4, phases 1-3): policy events and evictions, entry and exit,
 * and the prices and new venues of the licensed market. The weekly tables
 * are in engine_tables.c, the choice of workplace in engine_choice.c.
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
      if (!psim_policy_has_capacity ((PsimMode) k) || mr->occupied[k] <= mr->places[k])
        continue;
      uint32_t r[4];
      psim_rng_block (&e->key, w->serial[i], (uint32_t) e->week, PSIM_DRAW_EVICT, 0, r);
      /* grouped by municipality and mode, in random order within */
      PsimQueued q = { ((uint64_t) w->muni[i] << 35) | ((uint64_t) k << 32) | r[0], w->serial[i],
                       (uint32_t) i };
      g_array_append_val (e->queue, q);
    }
  g_array_sort (e->queue, psim_engine_compare_queued);
  for (guint q = 0; q < e->queue->len; q++)
    {
      gsize i = g_array_index (e->queue, PsimQueued, q).index;
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

/* ---------- 2. entry and exit ---------- */

/* A career ends with a weekly hazard (mean career length), raised in its
 * first year, for a while after a physical or sexual incident and after a
 * sanction, and while out of work (the exit class, see init_exit_tables in
 * engine.c); it ends for sure at the maximum age or after too long out. A
 * worker who stays reconsiders her workplace this week: always when
 * evicted, caught or displaced; otherwise with a weekly probability
 * (inertia), higher while waiting for a place or out of work. Nothing that
 * depends on changes before the choice phase, so both are decided here,
 * from word 0 of the worker's weekly block; words 1-3 are kept for phases
 * 4-9. Leavers stay in the arrays, flagged, until the week's end, so that
 * the week's lists keep their indices. */
void
psim_engine_entry_exit (PsimEngine *e)
{
  PsimWorkers *w = &e->workers;
  psim_engine_reserve_scratch (e);
  /* the pass reads these through locals: its stores cannot change them */
  const int week = e->week, shock = e->shock_weeks;
  const int max_age_weeks = e->max_age_weeks, max_out_weeks = e->max_out_weeks;
  const uint8_t *mode = w->mode;
  uint8_t *flags = w->flags;
  const int16_t *birth_week = w->birth_week, *career_start = w->career_start;
  const int16_t *mode_since = w->mode_since, *last_physical = w->last_physical;
  const int16_t *last_sexual = w->last_sexual, *last_sanction = w->last_sanction;
  const uint32_t *u0 = e->chunk_draws[0];
  uint32_t *leavers = e->leavers, *applicants = e->applicants;
  const uint64_t *exit_below = e->exit_below;
  const uint64_t (*reconsider_below)[PSIM_N_RECONSIDER] = e->reconsider_below;
  uint64_t quiet_from[2][PSIM_N_RECONSIDER];
  memcpy (quiet_from, e->quiet_from, sizeof quiet_from);
  gsize n_leavers = 0, n_applicants = 0;
  const gsize n_workers = w->n;
  for (gsize base = 0; base < n_workers; base += PSIM_CHUNK)
    {
      gsize n = MIN ((gsize) PSIM_CHUNK, n_workers - base);
      uint32_t *const words[4] = { e->chunk_draws[0], w->draw_a + base, w->draw_b + base, w->draw_c + base };
      psim_rng_blocks_planar (&e->key, w->serial + base, n, (uint32_t) week, PSIM_DRAW_WEEK, 0, words);
      for (gsize j = 0; j < n; j++)
        {
          gsize i = base + j;
          unsigned f = flags[i];
          unsigned out = mode[i] == PSIM_MODE_OUT;
          uint64_t u = u0[j];
          /* most weeks of most workers: a uniform too high for anything
           * whatever her exit class, and no forced exit */
          if (G_LIKELY ((u >= quiet_from[out][PSIM_RECONSIDER_FLAGS (f)])
                        & (week - birth_week[i] < max_age_weeks) & (out ^ 1u)))
            continue;
          int violent = MAX (last_physical[i], last_sexual[i]);
          unsigned cls = (unsigned) (week - career_start[i] < PSIM_WEEKS_PER_YEAR)
                         | (unsigned) (week - violent < shock) << 1
                         | (unsigned) (week - last_sanction[i] < shock) << 2 | out << 3;
          unsigned forced = (unsigned) (week - birth_week[i] >= max_age_weeks)
                            | (out & (unsigned) (week - mode_since[i] > max_out_weeks));
          if (G_UNLIKELY (forced | (u < exit_below[cls])))
            {
              PsimMuniRun *mr = &e->munis[w->muni[i]];
              flags[i] = (uint8_t) (f | PSIM_WF_LEAVING);
              leavers[n_leavers++] = (uint32_t) i;
              mr->occupied[mode[i]]--;
              mr->population--;
              mr->week_exits++;
              continue;
            }
          /* written for everyone, kept for applicants: no branch */
          applicants[n_applicants] = (uint32_t) i;
          n_applicants += u < reconsider_below[cls][PSIM_RECONSIDER_FLAGS (f)];
        }
    }
  e->n_leavers = n_leavers;
  e->n_applicants = n_applicants;

  /* Supply follows demand: each week a share of the gap between the workers
   * a municipality's market supports and those present enters (and must
   * choose). Entry never exceeds the gap, so no policy raises numbers beyond
   * demand (New Zealand: decriminalisation did not increase the number of
   * workers). */
  for (int m = 0; m < e->n_munis; m++)
    {
      PsimMuniRun *mr = &e->munis[m];
      int32_t gap = mr->demand - mr->population;
      if (gap <= 0)
        continue;
      double expected = e->params->entry_gap_share * gap;
      double whole = floor (expected);
      double u = psim_rng_uniform (&e->key, PSIM_MUNI_SUBJECT (m), (uint32_t) e->week, PSIM_DRAW_ENTRY, 0);
      int32_t n = MIN ((int32_t) whole + (u < expected - whole), gap);
      for (int32_t k = 0; k < n; k++)
        {
          if (psim_engine_add_worker (e, m, FALSE) == (gsize) -1)
            break;
          mr->week_entries++;
        }
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
