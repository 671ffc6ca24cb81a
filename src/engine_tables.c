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
        double share = MIN (p->club_share * mr->price[PSIM_VENUE_CLUB], p->max_operator_share);
        int32_t clubs = psim_engine_venues_total (mr, PSIM_VENUE_CLUB);
        /* clubs opened under a lifted cap are worker-run where that is
         * allowed: they take a fraction of the base share and no scarcity
         * mark-up (the monopoly rent is the existing operators'); the
         * average over the clubs (docs/levers.md) */
        if (mr->rules.worker_run && clubs > 0)
          {
            double run_by_workers = (double) mr->opened.clubs / clubs;
            share = (1.0 - run_by_workers) * share
                    + run_by_workers * MIN (p->club_share * p->worker_run_share_factor, share);
          }
        return gross * (1.0 - share);
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

/* The chance of any incident for a worker of each violence class with no
 * protection (violence.protection only lowers hazards), a little above, so
 * that rounding never cuts a real incident: the thresholds phases 4-9
 * compare first. */
static void
violence_bounds (const PsimEngine *e, const PsimCell *cell, PsimWorkBelow below[PSIM_N_WORK_ROWS])
{
  for (int c = 0; c < PSIM_N_VIOLENCE_CLASSES; c++)
    for (int x = 0; x < 2; x++)
      {
        double none = 1.0;
        for (int t = 0; t < PSIM_N_VIOLENCE; t++)
          none *= 1.0 - MIN ((double) cell->hazard[t] * e->class_violence[t][c]
                               * (x ? e->params->violence_exploited : 1.0), 1.0);
        below[2 * c + x].violence = psim_below24 (MIN ((1.0 - none) * (1.0 + 1e-6) + 1e-9, 1.0));
      }
}

/* psim_engine_option_value as terms in the worker's preferences and trust,
 * for mode k in `sector`, less privacy_cost x privacy. */
static void
value_terms (const PsimEngine *e, const PsimMuniRun *mr, int k, int sector, double privacy_cost,
             PsimValueTerms *t)
{
  const PsimParams *p = e->params;
  t->base[k] = mr->utility[k][k == PSIM_MODE_OUT ? 0 : sector];
  if (k == PSIM_MODE_OUT)
    {
      t->risk[k] = t->risk_trust[k] = t->privacy[k] = 0.0;
      return;
    }
  double risk = p->risk_weight * mr->risk[k][sector];
  t->risk[k] = -risk;
  t->risk_trust[k] = risk * p->violence_protection * psim_engine_police_access (p, sector);
  t->privacy[k] = -(double) mr->enforcement_privacy[k][sector] - privacy_cost;
}

/* The options of the choice for each standing (engine_choice.c): which
 * modes exist here and may be taken, and their value terms. Where
 * registration is required, an unregistered worker who meets the other
 * conditions values a licensed mode registered (at a privacy cost) or, where
 * no one checks, evaded (illegal), whichever is worth more to her. A
 * municipal licence for independent work is a registration wherever it is
 * granted: the municipality knows her by name and address (brochure,
 * "Vergunningplicht zelfstandige sekswerkers"; docs/levers.md). */
static void
prepare_options (const PsimEngine *e, PsimMuniRun *mr)
{
  for (int k = 0; k < PSIM_N_MODES; k++)
    {
      gboolean exists = psim_engine_mode_exists (mr, k);
      gboolean licensed = psim_policy_is_licensed_mode ((PsimMode) k);
      for (unsigned st = 0; st < PSIM_N_STATUS; st++)
        {
          PsimOptionTerms *o = &mr->option[st];
          o->how[k] = PSIM_OPTION_NONE;
          o->as_is.base[k] = o->as_is.risk[k] = o->as_is.risk_trust[k] = o->as_is.privacy[k] = 0.0;
          o->registered.base[k] = o->registered.risk[k] = 0.0;
          o->registered.risk_trust[k] = o->registered.privacy[k] = 0.0;
          if (!exists || !mr->may_take[k][st])
            continue;
          o->how[k] = PSIM_OPTION_AS_IS;
          value_terms (e, mr, k, mr->sector[k][st], 0.0, &o->as_is);
          if ((mr->rules.registration || k == PSIM_MODE_INDEPENDENT_LICENSED)
              && (st & PSIM_STATUS_UNREGISTERED) && licensed
              && !(st & (PSIM_STATUS_NO_RIGHT_TO_WORK | PSIM_STATUS_UNDER_AGE)))
            {
              unsigned registered = st & ~(unsigned) PSIM_STATUS_UNREGISTERED;
              value_terms (e, mr, k, mr->sector[k][registered], e->params->registration_cost,
                           &o->registered);
              o->how[k] = psim_policy_may_evade_registration ((PsimMode) k, &mr->rules)
                            ? PSIM_OPTION_BETTER
                            : PSIM_OPTION_REGISTERED;
            }
        }
    }
}

/* The tables of the rules in force: sectors, what a week at work holds,
 * trust targets. Nothing in them depends on who is where: they are made
 * before the week's pass, which reads them. They are a function of the
 * rules (and of the run's parameters), so they are made again only when the
 * rules differ from those they were made for (compared byte by byte: a
 * difference in padding alone only costs a needless remake). Returns
 * whether they were made. */
static gboolean
prepare_rules (PsimEngine *e, PsimMuniRun *mr)
{
  const PsimParams *p = e->params;
  const PsimRules *rules = &mr->rules;
  if (mr->bounds_known && memcmp (rules, &mr->rules_prepared, sizeof *rules) == 0)
    return FALSE;
  memcpy (&mr->rules_prepared, rules, sizeof *rules);

  for (unsigned st = 0; st < PSIM_N_STATUS; st++)
    for (int k = 0; k < PSIM_N_MODES; k++)
      {
        mr->sector[k][st] = (uint8_t) psim_policy_sector ((PsimMode) k, rules, st);
        mr->may_take[k][st] = psim_policy_may_take ((PsimMode) k, rules, st);
        mr->below_by_status[k][st] = mr->below[k][mr->sector[k][st]];
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
      mr->exploit_exit_below[k] = psim_below24 (mr->p_exploit_exit[k]);
      mr->p_detect_share[k] = total > 0.0 ? (float) ((peer + outreach) / total) : 0.0f;
      /* out of work, only a way out of exploitation can happen */
      for (int r = 0; r < PSIM_N_WORK_ROWS; r++)
        mr->below[k][PSIM_N_SECTORS][r]
          = (PsimWorkBelow) { 0, 0, 0, (r & 1) ? mr->exploit_exit_below[k] : 0 };
    }

  for (int k = 0; k < PSIM_N_MODES; k++)
    for (int s = 0; s < PSIM_N_SECTORS; s++)
      {
        PsimCell *cell = &mr->cell[k][s];
        PsimWorkBelow *below = mr->below[k][s];
        if (k == PSIM_MODE_OUT)
          {
            mr->risk[k][s] = mr->enforcement_privacy[k][s] = 0.0f;
            mr->sanction_chance[k][s] = 0.0;
            memset (cell, 0, sizeof *cell);
            for (int r = 0; r < PSIM_N_WORK_ROWS; r++)
              below[r] = mr->below[k][PSIM_N_SECTORS][r];
            continue;
          }
        double risk = 0.0;
        float hazard_before[PSIM_N_VIOLENCE];
        memcpy (hazard_before, cell->hazard, sizeof hazard_before);
        for (int t = 0; t < PSIM_N_VIOLENCE; t++)
          {
            cell->hazard[t] = (float) violence_hazard (p, rules, t, k, s);
            risk += cell->hazard[t];
          }
        mr->risk[k][s] = (float) risk;
        /* the bounds depend on the hazards alone: kept while they stay */
        if (!mr->bounds_known || memcmp (hazard_before, cell->hazard, sizeof hazard_before) != 0)
          violence_bounds (e, cell, below);

        double inspect = psim_policy_is_inspected ((PsimSector) s, rules)
                           ? weekly_probability (rules->enforcement * mode_visibility (p, k))
                           : 0.0;
        /* sanctions hit illegal work fully; unlicensed work only where it
         * breaks the conditions attached to it */
        double sanction = s == PSIM_SECTOR_ILLEGAL      ? 1.0
                          : s == PSIM_SECTOR_UNLICENSED ? p->unlicensed_sanction_factor
                                                        : 0.0;
        cell->p_inspect = (float) inspect;
        mr->sanction_chance[k][s] = inspect * sanction;
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
        uint32_t inspect_below = psim_below24 (cell->p_inspect), test_below = psim_below24 (cell->p_test);
        uint32_t exploit_below[2] = { psim_below24 (cell->p_exploit[0]), psim_below24 (cell->p_exploit[1]) };
        /* records 0, 1 and 4 hold every value below: kept while they stay */
        if (mr->bounds_known && below[0].inspect == inspect_below && below[0].test == test_below
            && below[0].exploit == exploit_below[0] && below[4].exploit == exploit_below[1]
            && below[1].exploit == mr->exploit_exit_below[k])
          continue;
        for (int r = 0; r < PSIM_N_WORK_ROWS; r++)
          {
            int migrant = (r / 4) % 2; /* r = 2 (4 gender + 2 migrant + young) + exploited */
            below[r].inspect = inspect_below;
            below[r].test = test_below;
            below[r].exploit = (r & 1) ? mr->exploit_exit_below[k] : exploit_below[migrant];
          }
      }
  mr->bounds_known = TRUE;
  return TRUE;
}

/* The values of the options this week: income (crowding, prices) less the
 * expected fines and evictions, and the choice's terms. */
static void
prepare_market (PsimEngine *e, PsimMuniRun *mr)
{
  const PsimParams *p = e->params;
  /* more workers than the market supports share its income (those between
   * spells count: they are the supply waiting to work) */
  double crowding = pow ((mr->demand + 1.0) / (mr->population + 1.0), p->crowding_elasticity);
  double fines_and_evictions
    = p->income_weight * p->fine_probability * p->fine_euros / PSIM_INCOME_UNIT_EUROS
      + p->eviction_probability * p->eviction_cost;
  for (int k = 0; k < PSIM_N_MODES; k++)
    for (int s = 0; s < PSIM_N_SECTORS; s++)
      {
        if (k == PSIM_MODE_OUT)
          {
            mr->utility[k][s] = (float) p->asc_out;
            continue;
          }
        double income = p->income_weight * net_income (e, mr, k, crowding) / PSIM_INCOME_UNIT_EUROS;
        mr->utility[k][s] = (float) (mode_constant (p, k) + income - mr->sanction_chance[k][s] * fines_and_evictions);
      }
  prepare_options (e, mr);
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
psim_engine_prepare_rules (PsimEngine *e)
{
  for (int m = 0; m < e->n_munis; m++)
    if (prepare_rules (e, &e->munis[m]))
      e->screen_stale = TRUE;
}

void
psim_engine_prepare_market (PsimEngine *e)
{
  for (int m = 0; m < e->n_munis; m++)
    prepare_market (e, &e->munis[m]);
  e->logsum_weight = 0.0;
  if (e->n_munis < 2)
    {
      e->munis[0].may_move = FALSE; /* nowhere to go */
      return;
    }
  for (int m = 0; m < e->n_munis; m++)
    {
      double v = destination_value (e, &e->munis[m]);
      e->munis[m].destination_weight = isfinite (v) ? exp (v) : 0.0;
      e->logsum_weight += e->munis[m].destination_weight;
    }
  /* moving is worth the log-sum of the other municipalities' weights */
  for (int m = 0; m < e->n_munis; m++)
    {
      PsimMuniRun *mr = &e->munis[m];
      double elsewhere = e->logsum_weight - mr->destination_weight;
      mr->may_move = elsewhere > e->logsum_weight * 1e-12 && elsewhere > 0.0;
      mr->move_value = mr->may_move ? log (elsewhere) - e->params->move_cost : 0.0;
    }
}
