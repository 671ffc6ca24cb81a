/* permitsim: the state of a municipality on a given date.
 *
 * Folds a municipality's starting rules and workplaces, its dated timeline
 * and any scenarios into what is in force on one day: open windows per area,
 * open street zones, licensed clubs and agencies, the demand for workers and
 * the full rule set. Used by `summary` (by year) and by the engine (by week),
 * so that both read the same history the same way.
 *
 * Order: national rules, then the municipality's own <rules>, then every
 * event and scenario change dated on or before the day, by date; on the same
 * date the areas' and zones' own opened/closed dates come first, then the
 * municipality's events, then the scenarios in the order given, each in file
 * order. A scenario action that names an area or zone is resolved by that id
 * (action_refs) in each municipality it applies to, and does nothing where
 * the id does not exist.
 */
#ifndef PERMITSIM_TIMELINE_H
#define PERMITSIM_TIMELINE_H

#include <glib.h>

#include "permitsim/model.h"

G_BEGIN_DECLS

typedef struct {
  int32_t *area_windows; /* open windows per area (0 while closed); n_areas of them */
  int n_areas;
  gboolean *zone_open;   /* per street zone */
  int n_zones;
  int32_t clubs;
  int32_t escort_agencies;
  int32_t sex_workers;   /* workers the local market supports */
  PsimRules rules;       /* every field in force */
} PsimMuniState;

void psim_muni_state_init (PsimMuniState *state);
void psim_muni_state_clear (PsimMuniState *state);

/* Fills `state` with what is in force in `m` at the start of `date`.
 * `scenarios` may be NULL when n_scenarios is 0. Scenarios must have been
 * loaded against the region that holds `m`. */
void psim_muni_state_at (PsimMuniState *state, const PsimMunicipality *m,
                         const PsimRules *national, PsimScenario *const *scenarios,
                         int n_scenarios, PsimDate date);

/* Total open windows, and street-zone capacity open, in a state. */
int32_t psim_muni_state_windows (const PsimMuniState *state);
int32_t psim_muni_state_zone_capacity (const PsimMuniState *state, const PsimMunicipality *m);

G_END_DECLS

#endif /* PERMITSIM_TIMELINE_H */
