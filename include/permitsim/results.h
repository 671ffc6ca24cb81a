/* permitsim: what a simulation records.
 *
 * The engine adds counts into PsimTally records, one per (year, municipality)
 * and per (year, group); writers turn them into the documented CSV columns
 * (shares and rates are derived at write time, so tallies add up across
 * municipalities and replications without loss). No record here describes a
 * person: only counts of workers, events and places.
 */
#ifndef PERMITSIM_RESULTS_H
#define PERMITSIM_RESULTS_H

#include <stdint.h>

#include <glib.h>

#include "permitsim/model.h"

G_BEGIN_DECLS

typedef enum {
  PSIM_VIOLENCE_PHYSICAL,
  PSIM_VIOLENCE_SEXUAL,
  PSIM_VIOLENCE_FINANCIAL,
  PSIM_VIOLENCE_SOCIAL, /* social-emotional */
  PSIM_N_VIOLENCE
} PsimViolence;

const char *psim_violence_name (PsimViolence type); /* "physical", "sexual", "financial", "social" */

/* Counts for one year and one municipality (or the region, or a group).
 * Stocks (workers, places, waiting, exploited, *_12m) are taken at the last
 * week of the year; flows (moves, incidents, reports, detections, exits,
 * enforcement actions) are summed over the year's weeks. */
typedef struct {
  int64_t workers;                     /* active (mode != out) at year end */
  int64_t sector[PSIM_N_SECTORS];
  int64_t mode[PSIM_N_MODES];          /* the PSIM_MODE_OUT entry stays 0 */

  int64_t places[PSIM_N_MODES];        /* licensed places: window, club, escort-agency,
                                          independent-licensed (licences), street-zone */
  double window_rent_sum;              /* sum over window places of the weekly rent (euros) */
  int64_t window_rent_places;          /* the places in that sum */
  int64_t waiting;                     /* applicants for a licensed place not served */

  int64_t moved_in;
  int64_t moved_out;

  int64_t violence_12m[PSIM_N_VIOLENCE]; /* workers with >= 1 incident of the type in 52 weeks */
  int64_t incidents;                   /* incidents in the year, all types */
  int64_t reports;                     /* incidents reported to the police in the year */
  int64_t reported_12m;                /* workers with >= 1 report in 52 weeks */
  int64_t tested_12m;                  /* workers with >= 1 STI/HIV test in 52 weeks */

  int64_t exploited;                   /* workers in an exploitative situation at year end */
  int64_t ever_exploited;              /* workers at year end who were ever in one during their
                                          career (in the run); not an annual.csv column: replay
                                          compares it with the published ~10% (targets.csv) */
  int64_t exploitation_detected;
  int64_t exploitation_exits;          /* got out, by own action or after detection */

  int64_t inspections;
  int64_t fines;
  int64_t evictions;
  int64_t outings;
} PsimTally;

/* a += b, field by field */
void psim_tally_add (PsimTally *a, const PsimTally *b);

/* The outcome columns, in the order of annual.csv after its key columns
 * (scenario, replication, year, municipality). groups.csv uses the same
 * outcome columns after its own key columns. */
typedef enum {
  PSIM_COLUMN_COUNT,  /* an integer count */
  PSIM_COLUMN_SHARE,  /* a share in [0, 1] */
  PSIM_COLUMN_EUROS   /* an amount in euros */
} PsimColumnKind;

typedef struct {
  const char *name;
  PsimColumnKind kind;
  const char *description; /* one line, for the README and --help */
  double (*value) (const PsimTally *tally);
} PsimColumn;

gsize psim_column_count (void);
const PsimColumn *psim_column (gsize index);
/* Index by name, or -1. */
gssize psim_column_lookup (const char *name);

G_END_DECLS

#endif /* PERMITSIM_RESULTS_H */
