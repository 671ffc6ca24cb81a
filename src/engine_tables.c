/* permitsim: this week's tables (MODEL.md §3-§8): for every municipality,
 * mode and sector, what an option is worth (income net of rent and the
 * operator's share, violence risk, enforcement cost, autonomy) and what a
 * week at work holds (violence hazards, inspection, testing and exploitation
 * chances), and what moving there is worth. Filled once a week, read by the
 * choice (engine_choice.c) and by phases 4-9 (engine_risk.c).
 */
#include "engine_internal.h"

#include <math.h>
#include <string.h>

/* The middle of the preference distributions (uniform on [0, 1]): the
 * preferences of the average mover. */
#define PSIM_PREFERENCE_MIDDLE 0.5
/* choice.income-weight is utility per this many euros a week */
#define PSIM_INCOME_UNIT_EUROS 100.0


static double
gross_income (const PsimParams *p, int k)
{
  switch (k)
    {
    case PSIM_MODE_WINDOW: return p->income_window;
    case PSIM_MODE_CLUB: return p->income_club;
    case PSIM_MODE_ESCORT_AGENCY: return p->income_escort_agency;
    case PSIM_MODE_INDEPENDENT_LICENSED: return p->income_independent_licensed;
    case PSIM_MODE_HOME: return p->income_home;
    case PSIM_MODE_STREET_ZONE: return p->income_street_zone;
    case PSIM_MODE_STREET: return p->income_street;
    default: return 0.0;
    }
}

static double
mode_constant (const PsimParams *p, int k)
{
  switch (k)
    {
    case PSIM_MODE_WINDOW: return p->asc_window;
    case PSIM_MODE_CLUB: return p->asc_club;
    case PSIM_MODE_ESCORT_AGENCY: return p->asc_escort_agency;
    case PSIM_MODE_INDEPENDENT_LICENSED: return p->asc_independent_licensed;
    case PSIM_MODE_HOME: return p->asc_home;
    case PSIM_MODE_STREET_ZONE: return p->asc_street_zone;
    case PSIM_MODE_STREET: return p->asc_street;
    default: return p->asc_out;
    }
}

static double
mode_violence (const PsimParams *p, int k)
{
  switch (k)
    {
    case PSIM_MODE_WINDOW: return p->violence_window;
    case PSIM_MODE_CLUB: return p->violence_club;
    case PSIM_MODE_ESCORT_AGENCY: return p->violence_escort_agency;
    case PSIM_MODE_INDEPENDENT_LICENSED: return p->violence_independent_licensed;
    case PSIM_MODE_HOME: return p->violence_home;
    case PSIM_MODE_STREET_ZONE: return p->violence_street_zone;
    case PSIM_MODE_STREET: return p->violence_street;
    default: return 0.0;
    }
}

static double
mode_visibility (const PsimParams *p, int k)
{
  switch (k)
    {
    case PSIM_MODE_WINDOW: return p->visibility_window;
    case PSIM_MODE_CLUB: return p->visibility_club;
    case PSIM_MODE_ESCORT_AGENCY: return p->visibility_escort_agency;
    case PSIM_MODE_INDEPENDENT_LICENSED: return p->visibility_independent_licensed;
    case PSIM_MODE_HOME: return p->visibility_home;
    case PSIM_MODE_STREET_ZONE: return p->visibility_street_zone;
    case PSIM_MODE_STREET: return p->visibility_street;
    default: return 0.0;
    }
}

/* Working without an operator: home, independent licence, street, zone
 * (full autonomy); a rented window (partly); clubs and agencies (none). */
double
psim_engine_mode_autonomy (const PsimParams *p, int k)
{
  switch (k)
    {
    case PSIM_MODE_INDEPENDENT_LICENSED:
    case PSIM_MODE_HOME:
    case PSIM_MODE_STREET_ZONE:
    case PSIM_MODE_STREET:
      return 1.0;
    case PSIM_MODE_WINDOW:
      return p->window_autonomy;
    default:
      return 0.0;
    }
}

/* Working alone, out of sight of colleagues: the modes where isolation
 * raises the risk of exploitation. */
static gboolean
mode_isolated (int k)
{
  return k == PSIM_MODE_INDEPENDENT_LICENSED || k == PSIM_MODE_HOME || k == PSIM_MODE_ESCORT_AGENCY
         || k == PSIM_MODE_STREET;
}

/* Where outreach workers and health services visit: venues and zones. */
static gboolean
mode_reached_by_outreach (int k)
{
  return k == PSIM_MODE_WINDOW || k == PSIM_MODE_CLUB || k == PSIM_MODE_STREET_ZONE;
}

/* Income net of rent and the operator's share. Scarcity shows in the price
 * index of each venue type; workers compare net incomes, so a dear place can
 * push them out of licensed work even while one is free. */
static double
net_income (const PsimEngine *e, const PsimMuniRun *mr, int k, double crowding)
{
  const PsimParams *p = e->params;
  double gross = gross_income (p, k) * crowding;
  if (mr->rules.client_criminalisation)
    gross *= p->client_criminalisation_income;
  switch (k)
    {
    case PSIM_MODE_WINDOW:
      return gross - p->window_rent * mr->price[PSIM_VENUE_WINDOW];
    case PSIM_MODE_CLUB:
      {
        double share = p->club_share * mr->price[PSIM_VENUE_CLUB];
        int32_t clubs = psim_engine_venues_total (mr, PSIM_VENUE_CLUB);
        /* clubs opened under a lifted cap are worker-run where that is allowed */
        if (mr->rules.worker_run && clubs > 0)
          share *= 1.0 - (1.0 - p->worker_run_share_factor) * mr->opened.clubs / (double) clubs;
        return gross * (1.0 - MIN (share, p->max_operator_share));
      }
    case PSIM_MODE_ESCORT_AGENCY:
      return gross * (1.0 - MIN (p->escort_agency_share * mr->price[PSIM_VENUE_ESCORT_AGENCY],
                                 p->max_operator_share));
    case PSIM_MODE_HOME:
      return mr->rules.home_regime == PSIM_HOME_NON_COMMERCIAL ? gross * p->non_commercial_income : gross;
    case PSIM_MODE_INDEPENDENT_LICENSED:
      {
        /* daytime workspace in windows (mixed use) is rented like a window
         * shift; licence holders who work elsewhere pay no rent: the average
         * over the places (docs/levers.md) */
        int32_t places = mr->places[PSIM_MODE_INDEPENDENT_LICENSED];
        if (!mr->rules.mixed_use || places <= 0 || places == PSIM_UNLIMITED)
          return gross;
        double workspace = floor ((double) psim_engine_venues_total (mr, PSIM_VENUE_WINDOW)
                                  * p->mixed_use_places_per_window);
        double share = MIN (workspace / places, 1.0);
        return gross - share * p->workspace_rent_factor * p->window_rent * mr->price[PSIM_VENUE_WINDOW];
      }
    default:
      return gross;
    }
}

/* Weekly violence hazard of one type in one mode and sector, before the
 * worker's own group, protection and exploitation factors. */
static double
violence_hazard (const PsimParams *p, const PsimRules *rules, int t, int k, int sector)
{
  double base = t == PSIM_VIOLENCE_PHYSICAL ? p->violence_physical
                : t == PSIM_VIOLENCE_SEXUAL ? p->violence_sexual
                : t == PSIM_VIOLENCE_FINANCIAL ? p->violence_financial
                                                : p->violence_social;
  double h = base * mode_violence (p, k);
  /* working outside the law: no screening of clients, no advertising in the
   * open, no help nearby (brochure, "Geen toegang tot het recht") */
  if (sector == PSIM_SECTOR_ILLEGAL)
    h *= p->violence_illegal;
  else if (sector == PSIM_SECTOR_UNLICENSED)
    h *= p->violence_unlicensed;
  /* client criminalisation rushes negotiations (Amnesty International 2016, Norway) */
  if (rules->client_criminalisation && (t == PSIM_VIOLENCE_PHYSICAL || t == PSIM_VIOLENCE_SEXUAL))
    h *= p->violence_client_criminalisation;
  /* a pimping ban makes drivers and security of unlicensed workers punishable */
  if (rules->pimping_ban && sector != PSIM_SECTOR_LICENSED && t != PSIM_VIOLENCE_SOCIAL)
    h *= p->violence_pimping_ban;
  /* non-commercial home work: no colleague allowed */
  if (k == PSIM_MODE_HOME && rules->home_regime == PSIM_HOME_NON_COMMERCIAL)
    h *= p->violence_non_commercial;
  return h;
}

static double
weekly_probability (double rate_per_year)
{
  return -expm1 (-rate_per_year / PSIM_WEEKS_PER_YEAR);
}

double
psim_engine_option_value (const PsimEngine *e, const PsimMuniRun *mr, int k, int sector,
                          double privacy, double autonomy, double risk_aversion, double trust)
{
  const PsimParams *p = e->params;
  if (k == PSIM_MODE_OUT)
    return mr->utility[k][0];
  double protection = 1.0 - p->violence_protection * trust * psim_engine_police_access (p, sector);
  return mr->utility[k][sector] - p->risk_weight * risk_aversion * mr->risk[k][sector] * protection
         - privacy * mr->enforcement_privacy[k][sector]
         + p->autonomy_weight * autonomy * psim_engine_mode_autonomy (p, k);
}

static void
prepare_municipality (PsimEngine *e, PsimMuniRun *mr)
{
  const PsimParams *p = e->params;
  const PsimRules *rules = &mr->rules;
  /* more workers than the market supports share its income (those between
   * spells count: they are the supply waiting to work) */
  double crowding = pow ((mr->demand + 1.0) / (mr->population + 1.0), p->crowding_elasticity);

  for (unsigned st = 0; st < PSIM_N_STATUS; st++)
    for (int k = 0; k < PSIM_N_MODES; k++)
      {
        mr->sector[k][st] = (uint8_t) psim_policy_sector ((PsimMode) k, rules, st);
        mr->may_take[k][st] = psim_policy_may_take ((PsimMode) k, rules, st);
      }

  double trust_base = p->trust_target + p->trust_participation * rules->participation
                      + (rules->sw_organisation ? p->trust_organisation : 0.0)
                      + (rules->decriminalisation ? p->trust_decriminalisation : 0.0)
                      - (rules->ggd_intake ? p->trust_ggd_intake : 0.0);
  mr->trust_target[0] = (float) CLAMP (trust_base, 0.0, 1.0);
  mr->trust_target[1] = (float) CLAMP (trust_base - p->trust_registration, 0.0, 1.0);

  double peer = rules->sw_organisation ? p->detection_peer : 0.0;
  for (int k = 0; k < PSIM_N_MODES; k++)
    {
      double outreach = mode_reached_by_outreach (k) ? p->detection_outreach : 0.0;
      double total = p->exploitation_self_exit + peer + outreach;
      mr->p_exploit_exit[k] = (float) weekly_probability (total);
      mr->p_detect_share[k] = total > 0.0 ? (float) ((peer + outreach) / total) : 0.0f;
    }

  for (int k = 0; k < PSIM_N_MODES; k++)
    for (int s = 0; s < PSIM_N_SECTORS; s++)
      {
        PsimCell *cell = &mr->cell[k][s];
        if (k == PSIM_MODE_OUT)
          {
            mr->utility[k][s] = (float) p->asc_out;
            mr->risk[k][s] = mr->enforcement_privacy[k][s] = 0.0f;
            memset (cell, 0, sizeof *cell);
            continue;
          }
        double risk = 0.0;
        for (int t = 0; t < PSIM_N_VIOLENCE; t++)
          {
            cell->hazard[t] = (float) violence_hazard (p, rules, t, k, s);
            risk += cell->hazard[t];
          }
        mr->risk[k][s] = (float) risk;
        /* the chance of any incident for a worker of each class with no
         * protection (violence.protection only lowers hazards), a little
         * above, so that rounding never cuts a real incident */
        for (int c = 0; c < PSIM_N_VIOLENCE_CLASSES; c++)
          for (int x = 0; x < 2; x++)
            {
              double none = 1.0;
              for (int t = 0; t < PSIM_N_VIOLENCE; t++)
                none *= 1.0 - MIN ((double) cell->hazard[t] * e->class_violence[c][t]
                                     * (x ? p->violence_exploited : 1.0), 1.0);
              mr->any_bound[k][s][c][x] = (float) MIN ((1.0 - none) * (1.0 + 1e-6) + 1e-9, 1.0);
            }

        double inspect = psim_policy_is_inspected ((PsimSector) s, rules)
                           ? weekly_probability (rules->enforcement * mode_visibility (p, k))
                           : 0.0;
        /* sanctions hit illegal work fully; unlicensed work only where it
         * breaks the conditions attached to it */
        double sanction = s == PSIM_SECTOR_ILLEGAL      ? 1.0
                          : s == PSIM_SECTOR_UNLICENSED ? p->unlicensed_sanction_factor
                                                        : 0.0;
        cell->p_inspect = (float) inspect;
        double fines_and_evictions
          = p->income_weight * p->fine_probability * p->fine_euros / PSIM_INCOME_UNIT_EUROS
            + p->eviction_probability * p->eviction_cost;
        double income = p->income_weight * net_income (e, mr, k, crowding) / PSIM_INCOME_UNIT_EUROS;
        mr->utility[k][s] = (float) (mode_constant (p, k) + income - inspect * sanction * fines_and_evictions);
        mr->enforcement_privacy[k][s] = (float) (inspect * sanction * p->outing_probability * p->outing_cost);

        /* testing: anonymous care is used; registration at the GGD deters it
         * (brochure, "Verlies van anonimiteit leidt tot vermijden zorg") */
        double test = p->test_rate;
        if (rules->ggd_intake)
          test *= p->care_ggd_intake;
        if (mode_reached_by_outreach (k))
          test *= p->care_outreach;
        if (rules->sw_organisation)
          test *= p->care_organisation;
        if (s == PSIM_SECTOR_ILLEGAL)
          test *= p->care_illegal;
        cell->p_test = (float) weekly_probability (test);

        double exploit = p->exploitation_rate;
        if (mode_isolated (k))
          exploit *= p->exploitation_isolation;
        if (s == PSIM_SECTOR_ILLEGAL)
          exploit *= p->exploitation_illegal;
        if (rules->pimping_ban && s != PSIM_SECTOR_LICENSED)
          exploit *= p->exploitation_pimping_ban;
        cell->p_exploit[0] = (float) weekly_probability (exploit);
        cell->p_exploit[1] = (float) weekly_probability (exploit * p->exploitation_migrant);
      }
}

/* The value of working in a municipality for an average mover (Dutch,
 * adult, unregistered, middling preferences and trust): the log-sum over the
 * working options open there. The waterbed runs on it. */
static double
destination_value (const PsimEngine *e, const PsimMuniRun *mr)
{
  const PsimParams *p = e->params;
  unsigned st = PSIM_STATUS_UNREGISTERED;
  double mid = PSIM_PREFERENCE_MIDDLE;
  double values[PSIM_N_MODES], best = -INFINITY;
  int n = 0;
  for (int k = 0; k < PSIM_N_MODES; k++)
    {
      if (k == PSIM_MODE_OUT || !psim_engine_mode_exists (mr, k) || !mr->may_take[k][st])
        continue;
      if (psim_policy_has_capacity ((PsimMode) k) && mr->occupied[k] >= mr->places[k])
        continue;
      /* where registration is required she registers for licensed work; a
       * licence for independent work is a registration anywhere */
      gboolean registers = (mr->rules.registration || k == PSIM_MODE_INDEPENDENT_LICENSED)
                           && psim_policy_is_licensed_mode ((PsimMode) k);
      int s = mr->sector[k][registers ? 0u : st];
      double v = psim_engine_option_value (e, mr, k, s, mid, mid, mid, mr->trust_target[0]);
      if (registers)
        v -= mid * p->registration_cost;
      values[n++] = v;
      best = MAX (best, v);
    }
  if (n == 0)
    return -INFINITY;
  double sum = 0.0;
  for (int j = 0; j < n; j++)
    sum += exp (values[j] - best);
  return best + log (sum);
}

void
psim_engine_prepare_week (PsimEngine *e)
{
  for (int m = 0; m < e->n_munis; m++)
    prepare_municipality (e, &e->munis[m]);
  e->logsum_weight = 0.0;
  if (e->n_munis < 2)
    return;
  for (int m = 0; m < e->n_munis; m++)
    {
      double v = destination_value (e, &e->munis[m]);
      e->munis[m].destination_weight = isfinite (v) ? exp (v) : 0.0;
      e->logsum_weight += e->munis[m].destination_weight;
    }
}
