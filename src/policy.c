/* permitsim: sectors, conditions and licensed places (see policy.h).
 *
 * The rules here are MODEL.md §2 and the brochure's chapter on municipal
 * policy ("Gemeentebeleid en vergunningenstelsel"): licensed work needs the
 * city's conditions, home work is unlicensed where allowed and illegal where
 * banned or licence-bound, street work outside a zone is illegal, and no
 * non-EU worker can get a work permit for sex work.
 */
#include "policy.h"

#include <math.h>

unsigned
psim_policy_origin_status (PsimOrigin origin)
{
  /* Non-EU migrants cannot get a work permit for sex work, with or without a
   * residence permit (brochure, "Mensenhandel"; MODEL.md §2). */
  return (origin == PSIM_ORIGIN_NON_EU_PERMIT || origin == PSIM_ORIGIN_UNDOCUMENTED)
           ? PSIM_STATUS_NO_RIGHT_TO_WORK
           : 0u;
}

void
psim_policy_effective_rules (const PsimRules *rules, PsimRules *out)
{
  *out = *rules;
  if (!rules->decriminalisation)
    return;
  /* New Zealand, Prostitution Reform Act 2003: no sex-work-specific rules;
   * only operators of larger brothels need a certificate (brochure,
   * "Volledige decriminalisering in Nieuw Zeeland"). The Act still bars
   * temporary migrants from sex work: the right-to-work condition stays. */
  for (int v = 0; v < PSIM_N_VENUES; v++)
    out->permit_cap[v] = PSIM_UNLIMITED;
  out->home_regime = PSIM_HOME_ALLOWED;
  out->registration = false;
  out->operator_intake = false;
  out->ggd_intake = false;
  out->minimum_age = PSIM_LEGAL_AGE;
  out->pimping_ban = false;
  out->client_criminalisation = false;
}

bool
psim_policy_is_licensed_mode (PsimMode mode)
{
  switch (mode)
    {
    case PSIM_MODE_WINDOW:
    case PSIM_MODE_CLUB:
    case PSIM_MODE_ESCORT_AGENCY:
    case PSIM_MODE_INDEPENDENT_LICENSED:
    case PSIM_MODE_STREET_ZONE:
      return true;
    default:
      return false;
    }
}

bool
psim_policy_has_capacity (PsimMode mode)
{
  return psim_policy_is_licensed_mode (mode);
}

/* The city's conditions for licensed work, given the rules. */
static bool
meets_conditions (const PsimRules *rules, unsigned status)
{
  if (status & (PSIM_STATUS_NO_RIGHT_TO_WORK | PSIM_STATUS_UNDER_AGE))
    return false;
  if (rules->registration && (status & PSIM_STATUS_UNREGISTERED))
    return false;
  return true;
}

PsimSector
psim_policy_sector (PsimMode mode, const PsimRules *rules, unsigned status)
{
  if (mode == PSIM_MODE_OUT || mode >= PSIM_N_MODES)
    return PSIM_N_SECTORS;
  /* no right to do this work: illegal whatever the mode (MODEL.md §2) */
  if (status & PSIM_STATUS_NO_RIGHT_TO_WORK)
    return PSIM_SECTOR_ILLEGAL;
  if (psim_policy_is_licensed_mode (mode))
    return meets_conditions (rules, status) ? PSIM_SECTOR_LICENSED : PSIM_SECTOR_ILLEGAL;
  if (mode == PSIM_MODE_STREET)
    /* outside a zone: illegal, unless decriminalised */
    return rules->decriminalisation ? PSIM_SECTOR_UNLICENSED : PSIM_SECTOR_ILLEGAL;
  /* home work (or independent escort) without a licence */
  switch (rules->home_regime)
    {
    case PSIM_HOME_ALLOWED:
    case PSIM_HOME_NON_COMMERCIAL:
      /* allowed or tolerated without a licence; "non-commercial" limits how
       * (no advertising, alone, at the own address): the engine lowers its
       * income and raises its isolation, but it stays legal */
      return PSIM_SECTOR_UNLICENSED;
    case PSIM_HOME_LICENCE_REQUIRED:
      /* the licensed version of home work is PSIM_MODE_INDEPENDENT_LICENSED */
    case PSIM_HOME_BANNED:
    default:
      return PSIM_SECTOR_ILLEGAL;
    }
}

bool
psim_policy_may_take (PsimMode mode, const PsimRules *rules, unsigned status)
{
  unsigned standing = status & (PSIM_STATUS_NO_RIGHT_TO_WORK | PSIM_STATUS_UNDER_AGE);
  switch (mode)
    {
    case PSIM_MODE_INDEPENDENT_LICENSED:
      /* the municipality itself grants the licence: a registration duty is
       * met by registering, the rest cannot be */
      return standing == 0;
    case PSIM_MODE_WINDOW:
    case PSIM_MODE_CLUB:
    case PSIM_MODE_ESCORT_AGENCY:
      /* operators as controllers: intake interviews turn away who does not
       * meet the conditions (brochure, "Exploitanten als controleurs") */
      return !rules->operator_intake || standing == 0;
    default:
      return mode < PSIM_N_MODES;
    }
}

bool
psim_policy_may_evade_registration (PsimMode mode, const PsimRules *rules)
{
  switch (mode)
    {
    case PSIM_MODE_WINDOW:
    case PSIM_MODE_CLUB:
    case PSIM_MODE_ESCORT_AGENCY:
      return !rules->operator_intake;
    case PSIM_MODE_STREET_ZONE:
      return true;
    default:
      return false;
    }
}

bool
psim_policy_is_inspected (PsimSector sector, const PsimRules *rules)
{
  if (sector == PSIM_SECTOR_ILLEGAL)
    return true;
  return sector == PSIM_SECTOR_UNLICENSED && !rules->decriminalisation;
}

static int32_t
places_of (double count, double per_unit)
{
  double places = floor (count * per_unit);
  return places >= (double) INT32_MAX ? INT32_MAX : (int32_t) places;
}

void
psim_policy_places (const PsimVenues *venues, int32_t zone_capacity, const PsimRules *rules,
                    const PsimParams *params, int32_t places[PSIM_N_MODES])
{
  for (int k = 0; k < PSIM_N_MODES; k++)
    places[k] = 0;
  places[PSIM_MODE_WINDOW] = places_of (venues->windows, params->workers_per_window);
  places[PSIM_MODE_CLUB] = places_of (venues->clubs, params->workers_per_club);
  places[PSIM_MODE_ESCORT_AGENCY] = places_of (venues->escort_agencies,
                                               params->workers_per_escort_agency);
  /* Independent licences are granted per year and valid for some years: the
   * stock at any time is the yearly grant times the years of validity. */
  double licences = (double) rules->independent_licences_per_year * params->independent_licence_years;
  if (rules->home_regime == PSIM_HOME_LICENCE_REQUIRED)
    licences += rules->home_licences;
  double independent = floor (licences * params->workers_per_independent_licence);
  /* mixed use: windows by night, workspace for independents by day */
  if (rules->mixed_use)
    independent += floor ((double) venues->windows * params->mixed_use_places_per_window);
  places[PSIM_MODE_INDEPENDENT_LICENSED] = independent >= (double) INT32_MAX ? INT32_MAX
                                                                             : (int32_t) independent;
  /* licences granted on demand: no limit (docs/levers.md) */
  if (rules->independent_licences_per_year == PSIM_UNLIMITED)
    places[PSIM_MODE_INDEPENDENT_LICENSED] = PSIM_UNLIMITED;
  places[PSIM_MODE_STREET_ZONE] = MAX (zone_capacity, 0);
}
