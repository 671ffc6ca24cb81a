/* permitsim: the simulation engine, one replication at a time.
 *
 * psim_engine_run() simulates a region week by week in the order of
 * MODEL.md §4 and records PsimTally counts per (year, municipality) and per
 * (year, group). A run depends only on its inputs, the seed and the
 * replication number: no global state, so replications may run on any
 * number of threads or MPI ranks and give the same bytes.
 */
#ifndef PERMITSIM_ENGINE_H
#define PERMITSIM_ENGINE_H

#include <stdint.h>

#include <glib.h>

#include "permitsim/model.h"
#include "permitsim/params.h"
#include "permitsim/results.h"

G_BEGIN_DECLS

/* Groups reported in groups.csv: each worker is counted once in each group type.
 * The workplace groups are the modes (window ... street, and out): stocks by the
 * mode at the year's end, flows by the mode in the week they happened, so that
 * violence by workplace can be set beside the surveys that report it. */
typedef enum {
  PSIM_GROUP_TYPE_GENDER,
  PSIM_GROUP_TYPE_ORIGIN,
  PSIM_GROUP_TYPE_AGE,
  PSIM_GROUP_TYPE_WORKPLACE,
  PSIM_N_GROUP_TYPES
} PsimGroupType;

/* Number of groups in all group types together, and each group's type and name
 * ("gender"/"female", "origin"/"undocumented", "age"/"18-20", "workplace"/"window", ...). */
int psim_group_count (void);
PsimGroupType psim_group_type (int group);
const char *psim_group_type_name (PsimGroupType type);
const char *psim_group_name (int group);

typedef struct {
  const PsimRegion *region;
  const PsimParams *params;
  PsimScenario *const *scenarios; /* applied in order; may be NULL */
  int n_scenarios;
  int first_year;                 /* reported period: 1 January first_year ... */
  int last_year;                  /* ... to the end of last_year */
  uint64_t seed;
  uint32_t replication;
  gboolean weekly;                /* also keep per-week tallies */
} PsimRunSpec;

typedef struct {
  int first_year;
  int n_years;
  int n_municipalities;
  PsimTally *annual;   /* [year * n_municipalities + municipality] */
  PsimTally *groups;   /* [year * psim_group_count () + group], whole region */
  int n_weeks;         /* when spec.weekly: 52 a year (a year is 52 weeks; the
                          last one runs to 31 December) */
  PsimDate *week_start; /* [week]: 1 January + 7 k for week k of a year */
  PsimTally *weekly;   /* [week * n_municipalities + municipality] */
} PsimRunResult;

/* Whether the engine can run `spec`: a region of 1 to
 * PSIM_MAX_MUNICIPALITIES municipalities, a period of years it can date, and
 * a burn-in, period and maximum age that fit its 16-bit week stamps. The
 * same check psim_engine_run makes first; commands that build many runs
 * from one spec (sensitivity) call it before the work. */
gboolean psim_run_spec_check (const PsimRunSpec *spec, GError **error);

/* Simulates one replication. On failure (inconsistent inputs the loader
 * could not catch, out of memory is fatal as in GLib) returns FALSE. */
gboolean psim_engine_run (const PsimRunSpec *spec, PsimRunResult *out, GError **error);
void psim_run_result_clear (PsimRunResult *result);

/* The region-wide tally of one year: the sum over municipalities. */
void psim_run_result_region (const PsimRunResult *result, int year_index, PsimTally *out);

G_END_DECLS

#endif /* PERMITSIM_ENGINE_H */
