/* permitsim: adding tallies, and the one table of outcome columns.
 *
 * Every CSV file permitsim writes takes its outcome columns, their order,
 * their kind (count, share, euros) and their values from psim_columns[] below;
 * the writers in src/output*.c never name a column themselves. A derived value
 * whose denominator is zero is NAN, which the writers print as an empty field.
 */
#include "permitsim/results.h"

#include <math.h>
#include <string.h>

static const char *const violence_names[PSIM_N_VIOLENCE] = {
  "physical", "sexual", "financial", "social",
};

const char *
psim_violence_name (PsimViolence type)
{
  return (unsigned) type < G_N_ELEMENTS (violence_names) ? violence_names[type] : "?";
}

void
psim_tally_add (PsimTally *a, const PsimTally *b)
{
  g_return_if_fail (a != NULL && b != NULL);
  a->workers += b->workers;
  for (int i = 0; i < PSIM_N_SECTORS; i++)
    a->sector[i] += b->sector[i];
  for (int i = 0; i < PSIM_N_MODES; i++)
    {
      a->mode[i] += b->mode[i];
      a->places[i] += b->places[i];
    }
  a->window_rent_sum += b->window_rent_sum;
  a->window_rent_places += b->window_rent_places;
  a->waiting += b->waiting;
  a->moved_in += b->moved_in;
  a->moved_out += b->moved_out;
  for (int i = 0; i < PSIM_N_VIOLENCE; i++)
    a->violence_12m[i] += b->violence_12m[i];
  a->incidents += b->incidents;
  a->reports += b->reports;
  a->reported_12m += b->reported_12m;
  a->tested_12m += b->tested_12m;
  a->exploited += b->exploited;
  a->ever_exploited += b->ever_exploited;
  a->exploitation_detected += b->exploitation_detected;
  a->exploitation_exits += b->exploitation_exits;
  a->inspections += b->inspections;
  a->fines += b->fines;
  a->evictions += b->evictions;
  a->outings += b->outings;
}

/* ---------- value functions ---------- */

/* num / den, or NAN when den is zero (no workers, no incidents, no places). */
static double
ratio (double num, int64_t den)
{
  return den > 0 ? num / (double) den : NAN;
}

#define COUNT_FN(fn, expr) \
  static double fn (const PsimTally *t) { return (double) (expr); }

COUNT_FN (v_workers, t->workers)
COUNT_FN (v_licensed, t->sector[PSIM_SECTOR_LICENSED])
COUNT_FN (v_unlicensed, t->sector[PSIM_SECTOR_UNLICENSED])
COUNT_FN (v_illegal, t->sector[PSIM_SECTOR_ILLEGAL])
COUNT_FN (v_window, t->mode[PSIM_MODE_WINDOW])
COUNT_FN (v_club, t->mode[PSIM_MODE_CLUB])
COUNT_FN (v_escort_agency, t->mode[PSIM_MODE_ESCORT_AGENCY])
COUNT_FN (v_independent_licensed, t->mode[PSIM_MODE_INDEPENDENT_LICENSED])
COUNT_FN (v_home, t->mode[PSIM_MODE_HOME])
COUNT_FN (v_street_zone, t->mode[PSIM_MODE_STREET_ZONE])
COUNT_FN (v_street, t->mode[PSIM_MODE_STREET])
COUNT_FN (v_licensed_places, t->places[PSIM_MODE_WINDOW] + t->places[PSIM_MODE_CLUB]
                             + t->places[PSIM_MODE_ESCORT_AGENCY]
                             + t->places[PSIM_MODE_INDEPENDENT_LICENSED]
                             + t->places[PSIM_MODE_STREET_ZONE])
COUNT_FN (v_window_places, t->places[PSIM_MODE_WINDOW])
COUNT_FN (v_club_places, t->places[PSIM_MODE_CLUB])
COUNT_FN (v_escort_agency_places, t->places[PSIM_MODE_ESCORT_AGENCY])
COUNT_FN (v_independent_licences, t->places[PSIM_MODE_INDEPENDENT_LICENSED])
COUNT_FN (v_street_zone_places, t->places[PSIM_MODE_STREET_ZONE])
COUNT_FN (v_waiting, t->waiting)
COUNT_FN (v_moved_in, t->moved_in)
COUNT_FN (v_moved_out, t->moved_out)
COUNT_FN (v_incidents, t->incidents)
COUNT_FN (v_reports, t->reports)
COUNT_FN (v_exploited, t->exploited)
COUNT_FN (v_exploitation_detected, t->exploitation_detected)
COUNT_FN (v_exploitation_exits, t->exploitation_exits)
COUNT_FN (v_inspections, t->inspections)
COUNT_FN (v_fines, t->fines)
COUNT_FN (v_evictions, t->evictions)
COUNT_FN (v_outings, t->outings)

#undef COUNT_FN

static double v_window_rent (const PsimTally *t) { return ratio (t->window_rent_sum, t->window_rent_places); }
static double v_physical_12m (const PsimTally *t) { return ratio ((double) t->violence_12m[PSIM_VIOLENCE_PHYSICAL], t->workers); }
static double v_sexual_12m (const PsimTally *t) { return ratio ((double) t->violence_12m[PSIM_VIOLENCE_SEXUAL], t->workers); }
static double v_financial_12m (const PsimTally *t) { return ratio ((double) t->violence_12m[PSIM_VIOLENCE_FINANCIAL], t->workers); }
static double v_social_12m (const PsimTally *t) { return ratio ((double) t->violence_12m[PSIM_VIOLENCE_SOCIAL], t->workers); }
static double v_reporting_rate (const PsimTally *t) { return ratio ((double) t->reports, t->incidents); }
static double v_reported_12m (const PsimTally *t) { return ratio ((double) t->reported_12m, t->workers); }
static double v_tested_12m (const PsimTally *t) { return ratio ((double) t->tested_12m, t->workers); }

/* ---------- the table ---------- */

#define C PSIM_COLUMN_COUNT
#define S PSIM_COLUMN_SHARE
#define E PSIM_COLUMN_EUROS

static const PsimColumn psim_columns[] = {
  { "workers", C, "workers active at year end (stock)", v_workers },
  { "licensed", C, "workers in the licensed sector at year end (stock)", v_licensed },
  { "unlicensed", C, "workers in the unlicensed sector at year end (stock)", v_unlicensed },
  { "illegal", C, "workers in the illegal sector at year end (stock)", v_illegal },
  { "window", C, "workers renting a window at year end (stock)", v_window },
  { "club", C, "workers in a licensed club or private house at year end (stock)", v_club },
  { "escort_agency", C, "workers with a licensed escort agency at year end (stock)", v_escort_agency },
  { "independent_licensed", C, "independent workers holding a licence at year end (stock)", v_independent_licensed },
  { "home", C, "workers working from home without a licence at year end (stock)", v_home },
  { "street_zone", C, "workers in an open street zone at year end (stock)", v_street_zone },
  { "street", C, "workers on the street outside a zone at year end (stock)", v_street },
  { "licensed_places", C, "licensed places of all kinds at year end (stock)", v_licensed_places },
  { "window_places", C, "window places (open windows x workers per window) at year end (stock)", v_window_places },
  { "club_places", C, "club places at year end (stock)", v_club_places },
  { "escort_agency_places", C, "escort-agency places at year end (stock)", v_escort_agency_places },
  { "independent_licences", C, "licences for independent workers in force at year end (stock)", v_independent_licences },
  { "street_zone_places", C, "places in open street zones at year end (stock)", v_street_zone_places },
  { "window_rent", E, "mean weekly rent of a window place at year end, euros (stock; empty without window places)", v_window_rent },
  { "waiting", C, "applicants for a licensed place not served at year end (stock)", v_waiting },
  { "moved_in", C, "workers who moved in from another municipality during the year (flow)", v_moved_in },
  { "moved_out", C, "workers who moved out to another municipality during the year (flow)", v_moved_out },
  { "physical_12m", S, "share of workers with physical violence in the last 52 weeks (stock; empty without workers)", v_physical_12m },
  { "sexual_12m", S, "share of workers with sexual violence in the last 52 weeks (stock; empty without workers)", v_sexual_12m },
  { "financial_12m", S, "share of workers with financial violence in the last 52 weeks (stock; empty without workers)", v_financial_12m },
  { "social_12m", S, "share of workers with social-emotional violence in the last 52 weeks (stock; empty without workers)", v_social_12m },
  { "incidents", C, "violence incidents of all types during the year (flow)", v_incidents },
  { "reports", C, "incidents reported to the police during the year (flow)", v_reports },
  { "reporting_rate", S, "reports / incidents of the year (flow ratio; empty without incidents)", v_reporting_rate },
  { "reported_12m", S, "share of workers who reported to the police in the last 52 weeks (stock; empty without workers)", v_reported_12m },
  { "tested_12m", S, "share of workers tested for STI/HIV in the last 52 weeks (stock; empty without workers)", v_tested_12m },
  { "exploited", C, "workers in an exploitative situation at year end (stock)", v_exploited },
  { "exploitation_detected", C, "exploitative situations detected during the year (flow)", v_exploitation_detected },
  { "exploitation_exits", C, "workers who got out of exploitation during the year (flow)", v_exploitation_exits },
  { "inspections", C, "inspections of unlicensed and illegal workers during the year (flow)", v_inspections },
  { "fines", C, "fines during the year (flow)", v_fines },
  { "evictions", C, "evictions from a workplace or home during the year (flow)", v_evictions },
  { "outings", C, "forced outings during the year (flow)", v_outings },
};

#undef C
#undef S
#undef E

gsize
psim_column_count (void)
{
  return G_N_ELEMENTS (psim_columns);
}

const PsimColumn *
psim_column (gsize index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (psim_columns), NULL);
  return &psim_columns[index];
}

gssize
psim_column_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);
  for (gsize i = 0; i < G_N_ELEMENTS (psim_columns); i++)
    if (strcmp (psim_columns[i].name, name) == 0)
      return (gssize) i;
  return -1;
}
