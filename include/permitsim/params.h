/* permitsim: the behavioural parameters.
 *
 * One table, PSIM_PARAMETERS, lists every parameter the engine reads: its C
 * field, its name in municipalities/parameters.xml and its unit. The values,
 * ranges and sources live only in that file; the loader fills a PsimParams
 * from it and refuses a file that lacks a parameter, has an unknown one, or
 * gives a value outside its own [min, max]. No behavioural number is a C
 * literal anywhere else.
 */
#ifndef PERMITSIM_PARAMS_H
#define PERMITSIM_PARAMS_H

#include <glib.h>

G_BEGIN_DECLS

/* X (field, "name-in-file", "unit"). docs/model.md gives each parameter's role
 * in the engine; the file gives its value, range, source and meaning. */
#define PSIM_PARAMETERS(X) \
  /* capacity of licensed workplaces */ \
  X (workers_per_window, "capacity.workers-per-window", "workers per window") \
  X (workers_per_club, "capacity.workers-per-club", "workers per club") \
  X (workers_per_escort_agency, "capacity.workers-per-escort-agency", "workers per agency") \
  X (workers_per_independent_licence, "capacity.workers-per-independent-licence", "workers per licence") \
  X (independent_licence_years, "capacity.independent-licence-years", "years") \
  X (mixed_use_places_per_window, "capacity.mixed-use-places-per-window", "workers per window") \
  /* new venues where a permit cap is lifted */ \
  X (opening_share, "venues.opening-share", "share of existing venues per year") \
  X (opening_min_windows, "venues.opening-min-windows", "windows per year") \
  X (opening_min_venues, "venues.opening-min-venues", "venues per year") \
  /* the run */ \
  X (burn_in_years, "run.burn-in-years", "years") \
  /* entry and exit */ \
  X (entry_gap_share, "entry.gap-share", "share of the gap per week") \
  X (entry_age_above_18, "entry.mean-age-above-18", "years") \
  X (career_years, "exit.mean-career-years", "years") \
  X (max_age, "exit.max-age", "years") \
  X (exit_first_year_factor, "exit.first-year-factor", "hazard ratio") \
  X (exit_violence_factor, "exit.violence-factor", "hazard ratio") \
  X (exit_sanction_factor, "exit.sanction-factor", "hazard ratio") \
  X (exit_shock_weeks, "exit.shock-weeks", "weeks") \
  X (exit_out_factor, "exit.out-factor", "hazard ratio") \
  X (max_out_weeks, "exit.max-out-weeks", "weeks") \
  /* choice of workplace */ \
  X (reconsider_rate, "choice.reconsider-rate", "per year") \
  X (waiting_reconsider, "choice.waiting-reconsider", "probability per week") \
  X (out_reconsider, "choice.out-reconsider", "probability per week") \
  X (stay_bonus, "choice.stay-bonus", "utility") \
  X (move_cost, "choice.move-cost", "utility") \
  X (income_weight, "choice.income-weight", "utility per 100 euros a week") \
  X (risk_weight, "choice.risk-weight", "utility per incident a week") \
  X (registration_cost, "choice.registration-cost", "utility") \
  X (eviction_cost, "choice.eviction-cost", "utility") \
  X (outing_cost, "choice.outing-cost", "utility") \
  X (autonomy_weight, "choice.autonomy-weight", "utility") \
  X (window_autonomy, "choice.window-autonomy", "share") \
  X (asc_window, "choice.constant.window", "utility") \
  X (asc_club, "choice.constant.club", "utility") \
  X (asc_escort_agency, "choice.constant.escort-agency", "utility") \
  X (asc_independent_licensed, "choice.constant.independent-licensed", "utility") \
  X (asc_home, "choice.constant.home", "utility") \
  X (asc_street_zone, "choice.constant.street-zone", "utility") \
  X (asc_street, "choice.constant.street", "utility") \
  X (asc_out, "choice.constant.out", "utility") \
  /* income and prices */ \
  X (income_window, "income.gross.window", "euros a week") \
  X (income_club, "income.gross.club", "euros a week") \
  X (income_escort_agency, "income.gross.escort-agency", "euros a week") \
  X (income_independent_licensed, "income.gross.independent-licensed", "euros a week") \
  X (income_home, "income.gross.home", "euros a week") \
  X (income_street_zone, "income.gross.street-zone", "euros a week") \
  X (income_street, "income.gross.street", "euros a week") \
  X (window_rent, "income.window-rent", "euros a week") \
  X (club_share, "income.operator-share.club", "share") \
  X (escort_agency_share, "income.operator-share.escort-agency", "share") \
  X (max_operator_share, "income.operator-share-max", "share") \
  X (worker_run_share_factor, "income.worker-run-share-factor", "ratio") \
  X (workspace_rent_factor, "income.workspace-rent-factor", "ratio") \
  X (non_commercial_income, "income.non-commercial-factor", "ratio") \
  X (client_criminalisation_income, "income.client-criminalisation-factor", "ratio") \
  X (crowding_elasticity, "income.crowding-elasticity", "elasticity") \
  X (price_rise, "price.rise", "share per week") \
  X (price_fall, "price.fall", "share per week") \
  X (price_min, "price.min", "ratio to base") \
  X (price_max, "price.max", "ratio to base") \
  /* enforcement */ \
  X (visibility_window, "enforcement.visibility.window", "ratio") \
  X (visibility_club, "enforcement.visibility.club", "ratio") \
  X (visibility_escort_agency, "enforcement.visibility.escort-agency", "ratio") \
  X (visibility_independent_licensed, "enforcement.visibility.independent-licensed", "ratio") \
  X (visibility_home, "enforcement.visibility.home", "ratio") \
  X (visibility_street_zone, "enforcement.visibility.street-zone", "ratio") \
  X (visibility_street, "enforcement.visibility.street", "ratio") \
  X (fine_probability, "enforcement.fine-probability", "probability per inspection") \
  X (eviction_probability, "enforcement.eviction-probability", "probability per inspection") \
  X (outing_probability, "enforcement.outing-probability", "probability per inspection") \
  X (unlicensed_sanction_factor, "enforcement.unlicensed-factor", "ratio") \
  X (fine_euros, "enforcement.fine", "euros") \
  X (inspection_trust_loss, "enforcement.trust-loss", "trust") \
  X (sanction_trust_loss, "enforcement.sanction-trust-loss", "trust") \
  /* violence */ \
  X (violence_physical, "violence.base.physical", "probability per week") \
  X (violence_sexual, "violence.base.sexual", "probability per week") \
  X (violence_financial, "violence.base.financial", "probability per week") \
  X (violence_social, "violence.base.social", "probability per week") \
  X (violence_window, "violence.mode.window", "hazard ratio") \
  X (violence_club, "violence.mode.club", "hazard ratio") \
  X (violence_escort_agency, "violence.mode.escort-agency", "hazard ratio") \
  X (violence_independent_licensed, "violence.mode.independent-licensed", "hazard ratio") \
  X (violence_home, "violence.mode.home", "hazard ratio") \
  X (violence_street_zone, "violence.mode.street-zone", "hazard ratio") \
  X (violence_street, "violence.mode.street", "hazard ratio") \
  X (violence_unlicensed, "violence.unlicensed-factor", "hazard ratio") \
  X (violence_illegal, "violence.illegal-factor", "hazard ratio") \
  X (violence_client_criminalisation, "violence.client-criminalisation-factor", "hazard ratio") \
  X (violence_pimping_ban, "violence.pimping-ban-factor", "hazard ratio") \
  X (violence_non_commercial, "violence.non-commercial-factor", "hazard ratio") \
  X (violence_protection, "violence.protection", "share") \
  X (police_access_unlicensed, "violence.police-access.unlicensed", "share") \
  X (police_access_illegal, "violence.police-access.illegal", "share") \
  X (young_age, "violence.young-age", "years") \
  X (violence_young, "violence.group.young", "hazard ratio") \
  X (violence_migrant, "violence.group.migrant", "hazard ratio") \
  X (violence_male, "violence.group.male", "hazard ratio") \
  X (violence_trans, "violence.group.trans", "hazard ratio") \
  X (violence_exploited, "violence.exploited-factor", "hazard ratio") \
  X (violence_per_inspection, "violence.institutional-per-inspection", "probability") \
  /* reporting to the police */ \
  X (report_intercept, "report.intercept", "log-odds") \
  X (report_trust, "report.trust", "log-odds per unit of trust") \
  X (report_unlicensed, "report.unlicensed", "log-odds") \
  X (report_illegal, "report.illegal", "log-odds") \
  X (report_registered, "report.registration-exposure", "log-odds") \
  X (report_anonymity, "report.anonymity-fear", "log-odds") \
  X (report_social, "report.social-emotional", "log-odds") \
  X (report_client_criminalisation, "report.client-criminalisation", "log-odds") \
  X (report_exploited, "report.exploited", "log-odds") \
  X (report_taken_seriously, "report.taken-seriously", "probability") \
  X (report_backfire_unlicensed, "report.backfire.unlicensed", "probability") \
  X (report_backfire_illegal, "report.backfire.illegal", "probability") \
  X (report_trust_gain, "report.trust-gain", "trust") \
  X (report_dismissed_trust_loss, "report.dismissed-trust-loss", "trust") \
  X (report_backfire_trust_loss, "report.backfire-trust-loss", "trust") \
  /* care */ \
  X (test_rate, "care.test-rate", "tests per year") \
  X (care_ggd_intake, "care.ggd-intake-factor", "ratio") \
  X (care_outreach, "care.outreach-factor", "ratio") \
  X (care_organisation, "care.organisation-factor", "ratio") \
  X (care_illegal, "care.illegal-factor", "ratio") \
  /* exploitation */ \
  X (exploitation_rate, "exploitation.entry-rate", "per year") \
  X (exploitation_isolation, "exploitation.isolation-factor", "hazard ratio") \
  X (exploitation_illegal, "exploitation.illegal-factor", "hazard ratio") \
  X (exploitation_migrant, "exploitation.migrant-factor", "hazard ratio") \
  X (exploitation_pimping_ban, "exploitation.pimping-ban-factor", "hazard ratio") \
  X (exploitation_self_exit, "exploitation.self-exit-rate", "per year") \
  X (detection_peer, "exploitation.peer-detection-rate", "per year") \
  X (detection_outreach, "exploitation.outreach-detection-rate", "per year") \
  X (detection_per_report, "exploitation.detection-per-report", "probability") \
  X (detection_per_inspection, "exploitation.detection-per-inspection", "probability") \
  /* trust in the police */ \
  X (trust_initial, "trust.initial-mean", "trust") \
  X (trust_initial_sd, "trust.initial-sd", "trust") \
  X (trust_target, "trust.target", "trust") \
  X (trust_participation, "trust.participation-step", "trust per level") \
  X (trust_organisation, "trust.organisation", "trust") \
  X (trust_decriminalisation, "trust.decriminalisation", "trust") \
  X (trust_registration, "trust.registration", "trust") \
  X (trust_ggd_intake, "trust.ggd-intake", "trust") \
  X (trust_drift, "trust.drift", "share per week")

typedef struct {
#define PSIM_PARAM_FIELD(field, name, unit) double field;
  PSIM_PARAMETERS (PSIM_PARAM_FIELD)
#undef PSIM_PARAM_FIELD
} PsimParams;

/* Static description of one parameter: name, unit, and where its value sits in PsimParams. */
typedef struct {
  const char *name;
  const char *unit;
  gsize offset;
} PsimParamInfo;

/* Range and source of one parameter as read from the file (same order as the table). */
typedef struct {
  double value;
  double min;
  double max;
  char *source;      /* a citation, or "assumption" */
  char *calibrated;  /* provenance of a fitted value, or NULL */
  char *description;
} PsimParamEntry;

typedef struct {
  PsimParams values;
  PsimParamEntry *entries; /* psim_param_count() of them, table order */
  char *path;
} PsimParamSet;

gsize psim_param_count (void);
const PsimParamInfo *psim_param_info (gsize index);
/* What the model can take for a parameter, whatever a file says: by its unit
 * (a probability, a share or an amount of trust from 0 to 1; a utility or
 * log-odds any number; every other unit 0 or more) and, for exit.max-age,
 * above the legal age. A file's [min, max] must lie within it. */
typedef struct {
  double lo, hi;      /* -INFINITY, INFINITY: no bound */
  gboolean lo_open;   /* lo itself is not allowed */
  const char *what;   /* "a probability or share, from 0 to 1" */
} PsimParamDomain;
void psim_param_domain (gsize index, PsimParamDomain *out);

/* Index of a parameter by its file name, or -1. */
gssize psim_param_lookup (const char *name);
double psim_params_get (const PsimParams *params, gsize index);
void psim_params_set (PsimParams *params, gsize index, double value);

void psim_param_set_free (PsimParamSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimParamSet, psim_param_set_free)

G_END_DECLS

#endif /* PERMITSIM_PARAMS_H */
