/* permitsim: the rules in force, read as what a worker may do where (private).
 *
 * MODEL.md §2: the sector (licensed, unlicensed, illegal) is not a property
 * of the workplace mode alone; it follows from the mode, the rules in force
 * and the worker's own standing (a right to do this work, the minimum age, a
 * registration where one is required). This module answers those questions
 * and turns a municipality's state on a date into licensed places. No state,
 * no randomness, no behavioural numbers beyond the parameters it is given.
 */
#ifndef PSIM_POLICY_H
#define PSIM_POLICY_H

#include <stdbool.h>

#include "permitsim/model.h"
#include "permitsim/params.h"
#include "permitsim/timeline.h"

G_BEGIN_DECLS

/* The national minimum age for sex work since 2000 (Wet opheffing
 * bordeelverbod): a legal constant, not a behavioural parameter. */
#define PSIM_LEGAL_AGE 18

/* What about the worker herself decides her sector: bits, combined. */
typedef enum {
  PSIM_STATUS_NO_RIGHT_TO_WORK = 1u << 0, /* non-EU (with or without a permit): no work permit for sex work */
  PSIM_STATUS_UNDER_AGE = 1u << 1,        /* younger than the city's minimum age */
  PSIM_STATUS_UNREGISTERED = 1u << 2,     /* not registered (matters only where registration is required) */
  PSIM_N_STATUS = 1u << 3
} PsimStatus;

/* The standing an origin gives: PSIM_STATUS_NO_RIGHT_TO_WORK for non-EU
 * workers with or without a residence permit, 0 otherwise. */
unsigned psim_policy_origin_status (PsimOrigin origin);

/* The rules as they act: under decriminalisation (New Zealand's model) every
 * sex-work-specific rule goes — no caps, home work allowed, no registration,
 * intake or city minimum age beyond the legal 18, no pimping ban or client
 * criminalisation — while what is not sex-work law stays (enforcement
 * against work without a right to work, participation, organisations). */
void psim_policy_effective_rules (const PsimRules *rules, PsimRules *out);

/* The sector of a worker with `status` working in `mode` under effective
 * `rules`. PSIM_MODE_OUT has no sector: returns PSIM_N_SECTORS. */
PsimSector psim_policy_sector (PsimMode mode, const PsimRules *rules, unsigned status);

/* Licensed-type modes: the ones that are licensed when the worker meets the
 * city's conditions (window, club, escort-agency, independent-licensed, street-zone). */
bool psim_policy_is_licensed_mode (PsimMode mode);

/* Modes with a limited number of places (the same five). */
bool psim_policy_has_capacity (PsimMode mode);

/* Whether a worker with `status` can take up `mode` at all (places aside):
 * a municipal licence (independent-licensed) needs the right to work and the
 * minimum age; with operator intake checks in force, operators of windows,
 * clubs and agencies turn away who does not meet the conditions. Everyone can
 * work at home, on the street or in a zone (legally or not) or stop. */
bool psim_policy_may_take (PsimMode mode, const PsimRules *rules, unsigned status);

/* Whether a worker with `status` can work in the licensed-type `mode`
 * without registering where registration is required (evading the duty,
 * which makes the work illegal): only where no one checks — not for a
 * municipal licence, not where operators run intake checks. */
bool psim_policy_may_evade_registration (PsimMode mode, const PsimRules *rules);

/* Whether inspections target workers in `sector`: illegal work always;
 * unlicensed work unless decriminalisation made it simply legal. */
bool psim_policy_is_inspected (PsimSector sector, const PsimRules *rules);

/* Venue counts: the timeline's, plus venues opened under a lifted cap. */
typedef struct {
  int32_t windows;
  int32_t clubs;
  int32_t escort_agencies;
} PsimVenues;

/* Licensed places per mode from the venues, the open street zones and the
 * licences the rules grant (places[mode], 0 for modes without places):
 * windows × workers per window; clubs × workers per club; agencies ×
 * workers per agency; independent licences (per year × years valid, plus
 * home-work licences where home work needs one, plus daytime workspace in
 * windows where mixed use is allowed) × workers per licence, or
 * PSIM_UNLIMITED where licences are granted on demand; open zones'
 * capacity. */
void psim_policy_places (const PsimVenues *venues, int32_t zone_capacity, const PsimRules *rules,
                         const PsimParams *params, int32_t places[PSIM_N_MODES]);

G_END_DECLS

#endif /* PSIM_POLICY_H */
