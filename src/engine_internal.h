/* permitsim: the engine's inside (private to src/engine*.c and the tests).
 *
 * Workers live in flat arrays (structure of arrays), one entry per worker,
 * declared once in PSIM_WORKER_FIELDS; municipalities carry what is in force
 * this week and tables derived from it. engine.c runs the week and records;
 * engine_market.c holds policy events, entry and exit, prices and new
 * venues; engine_tables.c this week's tables; engine_choice.c the choice of
 * workplace; engine_risk.c what happens to workers where they work
 * (enforcement, violence, reporting, care, exploitation, trust).
 * docs/model.md explains the layout and the phases.
 */
#ifndef PSIM_ENGINE_INTERNAL_H
#define PSIM_ENGINE_INTERNAL_H

#include <stdint.h>

#include "permitsim/engine.h"
#include "permitsim/rng.h"
#include "permitsim/timeline.h"
#include "policy.h"

G_BEGIN_DECLS

/* Structural constants (not behaviour): the calendar and the window of the
 * 12-month prevalences. A year is 52 weeks: week k of a year starts on
 * 1 January + 7k, and the last week runs to 31 December. */
#define PSIM_WEEKS_PER_YEAR 52
#define PSIM_WEEKS_12M 52
/* A week stamp that never happened. */
#define PSIM_WEEK_NEVER INT16_MIN

/* Worker serials: municipality of entry in the top 10 bits, the entrant's
 * number there in the low 22. The last number of each municipality names the
 * municipality itself as the subject of its own draws (entry counts). */
#define PSIM_SERIAL_MUNI_BITS 10
#define PSIM_SERIAL_INDEX_BITS 22
#define PSIM_MAX_MUNICIPALITIES (1 << PSIM_SERIAL_MUNI_BITS)
#define PSIM_MAX_ENTRANTS ((1u << PSIM_SERIAL_INDEX_BITS) - 1u)
#define PSIM_MUNI_SUBJECT(m) (((uint32_t) (m) << PSIM_SERIAL_INDEX_BITS) | PSIM_MAX_ENTRANTS)

/* Decisions: the third word of every random counter (see docs/model.md). */
typedef enum {
  PSIM_DRAW_ATTRIBUTES = 1, /* (serial, 0, ., 0..2): who a new worker is */
  PSIM_DRAW_ENTRY,          /* (municipality subject, week): rounding of the entrant count */
  PSIM_DRAW_WEEK,           /* (serial, week, ., 0): exit, reconsider, -, -
                               (serial, week, ., 1): inspection, violence, test, exploitation
                               (serial, week, ., 2): cause of a way out of exploitation */
  PSIM_DRAW_EVICT,          /* (serial, week): priority key when places close */
  PSIM_DRAW_CHOICE,         /* (serial, week, ., 0): first choice, second choice, destination,
                               priority key; (., 1): the same in the destination */
  PSIM_DRAW_ENFORCEMENT,    /* (serial, week): fine, eviction, outing, detection */
  PSIM_DRAW_VIOLENCE,       /* (serial, week): which types, given at least one */
  PSIM_DRAW_REPORT,         /* (serial, week, ., 0): report per type; 1: outcome per type;
                               2: detection of exploitation */
} PsimDraw;

/* Words of the two weekly blocks every worker draws. */
enum {
  PSIM_U_EXIT,               /* block 0 (phase 2) */
  PSIM_U_RECONSIDER,
  PSIM_U_INSPECTION = 0,     /* block 1 (phases 4-9) */
  PSIM_U_VIOLENCE,
  PSIM_U_CARE,
  PSIM_U_EXPLOITATION
};

/* Worker flags. */
enum {
  PSIM_WF_REGISTERED = 1u << 0,  /* registered with the municipality she works in */
  PSIM_WF_EXPLOITED = 1u << 1,   /* in an exploitative situation */
  PSIM_WF_WAITING = 1u << 2,     /* her first choice was a full licensed place */
  PSIM_WF_MUST_CHOOSE = 1u << 3, /* evicted, caught or displaced: chooses this week */
  PSIM_WF_LEAVING = 1u << 4,     /* leaves sex work this week (only during the exit phase) */
  PSIM_WF_APPLIES = 1u << 5,     /* reconsiders this week (drawn in phase 2, used in phase 3) */
  PSIM_WF_EVER_EXPLOITED = 1u << 6 /* has been in an exploitative situation in this run */
};

/* Every per-worker field: X (type, name). At most 64 bytes a worker in all. */
#define PSIM_WORKER_FIELDS(X)                                                     \
  X (uint32_t, serial)        /* stable id, the subject of the worker's draws */  \
  X (uint16_t, muni)          /* municipality index in the region */             \
  X (uint8_t, mode)           /* PsimMode */                                     \
  X (uint8_t, flags)          /* PSIM_WF_* */                                    \
  X (uint8_t, gender)         /* PsimGender */                                   \
  X (uint8_t, origin)         /* PsimOrigin */                                   \
  X (uint8_t, privacy)        /* privacy sensitivity, 0..255 for 0..1 */         \
  X (uint8_t, autonomy)       /* autonomy preference, 0..255 */                  \
  X (uint8_t, risk_aversion)  /* risk aversion, 0..255 */                        \
  X (int16_t, birth_week)     /* week of birth (weeks since the burn-in began) */ \
  X (int16_t, career_start)   /* week she started sex work */                    \
  X (int16_t, mode_since)     /* week she took up her present mode */            \
  X (int16_t, last_physical)  /* last week of an incident of each type */        \
  X (int16_t, last_sexual)                                                       \
  X (int16_t, last_financial)                                                    \
  X (int16_t, last_social)                                                       \
  X (int16_t, last_report)    /* last week she reported an incident */           \
  X (int16_t, last_test)      /* last STI/HIV test */                            \
  X (int16_t, last_sanction)  /* last fine, eviction or outing (enforcement or report) */ \
  X (float, trust)            /* trust in the police, 0..1 */

#define PSIM_WORKER_FIELD_BYTES(type, name) + sizeof (type)
#define PSIM_WORKER_BYTES (0 PSIM_WORKER_FIELDS (PSIM_WORKER_FIELD_BYTES))

typedef struct {
  gsize n;        /* workers present (in sex work, including out between spells) */
  gsize capacity; /* allocated entries */
#define PSIM_WORKER_FIELD_DECL(type, name) type *name;
  PSIM_WORKER_FIELDS (PSIM_WORKER_FIELD_DECL)
#undef PSIM_WORKER_FIELD_DECL
  int16_t *last_violence[PSIM_N_VIOLENCE]; /* aliases of last_physical .. last_social */
} PsimWorkers;

/* Violence factor classes of a worker: gender x migrant x young. */
#define PSIM_N_VIOLENCE_CLASSES (PSIM_N_GENDERS * 2 * 2)

/* What a week at work holds for one (mode, sector) in a municipality:
 * 32 bytes, so that a municipality's cells stay in the first-level cache. */
typedef struct {
  float hazard[PSIM_N_VIOLENCE]; /* weekly, before the worker's own factors */
  float p_inspect;
  float p_test;
  float p_exploit[2]; /* [migrant] */
} PsimCell;

/* One municipality during a run. */
typedef struct {
  const PsimMunicipality *source;
  PsimMuniState state;       /* in force this week (timeline and scenarios) */
  PsimRules rules;           /* as they act (psim_policy_effective_rules) */
  int32_t demand;            /* workers the local market supports */
  PsimVenues timeline_venues; /* venues the timeline lists */
  PsimVenues opened;         /* venues opened since under a lifted cap */
  int32_t cap_seen[PSIM_N_VENUES]; /* the cap in force last week */
  int32_t room[PSIM_N_VENUES]; /* venues a lifted cap still lets open (PSIM_UNLIMITED) */
  double opening_progress[PSIM_N_VENUES];
  int32_t places[PSIM_N_MODES];   /* licensed places per mode */
  int32_t occupied[PSIM_N_MODES]; /* workers per mode (out included) */
  int32_t population;        /* workers attached here, out included */
  double price[PSIM_N_VENUES]; /* rent / operator share relative to the base */
  uint32_t entrants;         /* serials handed out so far */
  int32_t min_age_weeks;

  /* tables for this week, filled by psim_engine_prepare_week() */
  uint8_t sector[PSIM_N_MODES][PSIM_N_STATUS]; /* PsimSector, PSIM_N_SECTORS for out */
  bool may_take[PSIM_N_MODES][PSIM_N_STATUS];
  float utility[PSIM_N_MODES][PSIM_N_SECTORS];     /* constant, income, fines, eviction */
  float risk[PSIM_N_MODES][PSIM_N_SECTORS];        /* expected incidents a week, before protection */
  float enforcement_privacy[PSIM_N_MODES][PSIM_N_SECTORS]; /* outing cost, times privacy */
  PsimCell cell[PSIM_N_MODES][PSIM_N_SECTORS];
  /* an upper bound of the chance of any incident for a worker of each
   * violence class, [exploited]: with no protection, not inspected */
  float any_bound[PSIM_N_MODES][PSIM_N_SECTORS][PSIM_N_VIOLENCE_CLASSES][2];
  float p_exploit_exit[PSIM_N_MODES];               /* own action, peers, outreach */
  float p_detect_share[PSIM_N_MODES];               /* share of those exits that are detections */
  float trust_target[2];                            /* [registered] */
  double destination_weight;                        /* exp (value for an average mover) */

  /* this week's counts (for the conservation check and the prices) */
  int32_t week_entries;
  int32_t week_exits;
  int32_t week_applied_full[PSIM_N_MODES]; /* applicants whose first choice was full */
} PsimMuniRun;

/* Workers per chunk of the passes that draw a weekly block for everyone
 * (phase 2, phases 4-9): the blocks are made a chunk at a time. */
#define PSIM_CHUNK 256

typedef struct {
  const PsimRunSpec *spec;
  const PsimParams *params;
  PsimRngKey key;
  int n_munis;
  PsimMuniRun *munis;
  PsimWorkers workers;

  int week;            /* weeks since the burn-in began */
  int burn_in_weeks;
  int total_weeks;

  /* weekly probabilities and thresholds that do not depend on a municipality */
  double p_exit;
  double p_exit_max;   /* p_exit with every multiplier: below it, look closer */
  double p_reconsider;
  float class_violence[PSIM_N_VIOLENCE_CLASSES][PSIM_N_VIOLENCE];
  int32_t young_weeks;
  int32_t max_age_weeks;
  int32_t max_out_weeks;
  int32_t shock_weeks;
  uint8_t origin_status[PSIM_N_ORIGINS]; /* psim_policy_origin_status, tabled */

  gboolean serials_exhausted; /* a municipality ran out of serials: the run fails */
  gboolean caps_known;        /* the starting caps have been read */

  /* scratch for the choice and eviction phases, and one weekly block of
   * draws for a chunk of workers */
  GArray *queue;       /* PsimQueued */
  uint32_t *chunk_draws;
  double logsum_weight; /* sum of destination weights */

  /* this week's flows, per municipality and per group (stocks stay 0) */
  PsimTally *week_muni;
  PsimTally *week_group;

  PsimRunResult *result;
} PsimEngine;

/* An applicant or evictee in priority order: by key, then serial (unique),
 * so that the order never depends on where a worker sits in the arrays. */
typedef struct {
  uint64_t key;
  uint32_t serial;
  uint32_t index;
  uint32_t draw[4]; /* the applicant's choice block (unused for evictions) */
} PsimQueued;

/* Creates an engine and its starting population (burn-in not yet run).
 * `result` receives the tallies; it is owned by the caller. */
PsimEngine *psim_engine_new (const PsimRunSpec *spec, PsimRunResult *result, GError **error);
void psim_engine_free (PsimEngine *engine);
/* Simulates one week (MODEL.md §4). */
void psim_engine_step (PsimEngine *engine);
/* Checks the invariants: places never exceeded, counts agree with the
 * workers, every field in range. FALSE with a message on the first breach. */
gboolean psim_engine_check (const PsimEngine *engine, GError **error);

/* The date this week's rules are read on (its last day), and its year index
 * in the reported period (negative during the burn-in). */
PsimDate psim_engine_week_date (const PsimEngine *engine, int week);
int psim_engine_week_year (const PsimEngine *engine, int week);

/* A worker's standing (PsimStatus bits) in her municipality this week, and her sector. */
static inline unsigned
psim_engine_status (const PsimEngine *e, gsize i)
{
  const PsimWorkers *w = &e->workers;
  const PsimMuniRun *mr = &e->munis[w->muni[i]];
  unsigned status = e->origin_status[w->origin[i]];
  if (e->week - w->birth_week[i] < mr->min_age_weeks)
    status |= PSIM_STATUS_UNDER_AGE;
  if (!(w->flags[i] & PSIM_WF_REGISTERED))
    status |= PSIM_STATUS_UNREGISTERED;
  return status;
}

static inline PsimSector
psim_engine_sector (const PsimEngine *e, gsize i)
{
  const PsimWorkers *w = &e->workers;
  return (PsimSector) e->munis[w->muni[i]].sector[w->mode[i]][psim_engine_status (e, i)];
}

/* Weeks since a stamp happened is within the last 12 months. */
static inline bool
psim_engine_within_12m (const PsimEngine *e, int16_t stamp)
{
  return e->week - (int) stamp < PSIM_WEEKS_12M;
}

/* How far a worker in `sector` can call the police: 1 when licensed, less
 * when unlicensed or illegal. */
static inline double
psim_engine_police_access (const PsimParams *p, int sector)
{
  return sector == PSIM_SECTOR_LICENSED ? 1.0
         : sector == PSIM_SECTOR_UNLICENSED ? p->police_access_unlicensed
                                            : p->police_access_illegal;
}

/* The groups (engine.h) a worker belongs to this week: gender, origin, age band. */
void psim_engine_groups_of (const PsimEngine *e, gsize i, int groups[PSIM_N_GROUP_TYPES]);

/* Adds 1 to a flow field of this week's tally of the worker's municipality and groups. */
#define PSIM_FLOW(e, i, field)                                                   \
  do                                                                             \
    {                                                                            \
      int groups_[PSIM_N_GROUP_TYPES];                                           \
      psim_engine_groups_of ((e), (i), groups_);                                 \
      (e)->week_muni[(e)->workers.muni[(i)]].field++;                            \
      for (int t_ = 0; t_ < PSIM_N_GROUP_TYPES; t_++)                            \
        (e)->week_group[groups_[t_]].field++;                                    \
    }                                                                            \
  while (0)

/* Worker arrays (engine.c). */
void psim_engine_set_mode (PsimEngine *e, gsize i, PsimMode mode);
gsize psim_engine_add_worker (PsimEngine *e, int m, gboolean initial);
void psim_engine_remove_leavers (PsimEngine *e);
/* Draws block `block` of this week (PSIM_DRAW_WEEK) for workers [from, from + n)
 * into e->chunk_draws; n <= PSIM_CHUNK. */
const uint32_t *psim_engine_draw_chunk (PsimEngine *e, gsize from, gsize n, uint32_t block);
int psim_engine_compare_queued (const void *a, const void *b);

/* Venues and options (engine_market.c): the mode of each venue type; the
 * venues of a type in a municipality (the timeline's plus those opened);
 * whether a mode is an option there at all. */
extern const PsimMode psim_engine_venue_mode[PSIM_N_VENUES];
int32_t psim_engine_venues_total (const PsimMuniRun *mr, int venue);
gboolean psim_engine_mode_exists (const PsimMuniRun *mr, int mode);

/* Values (engine_tables.c): how independent a mode is (0..1), and what an
 * option is worth this week to a worker with these preferences and trust. */
double psim_engine_mode_autonomy (const PsimParams *p, int mode);
double psim_engine_option_value (const PsimEngine *e, const PsimMuniRun *mr, int mode, int sector,
                                 double privacy, double autonomy, double risk_aversion, double trust);

/* The phases, in the order of MODEL.md §4. */
void psim_engine_policy_events (PsimEngine *e);   /* 1 (engine_market.c) */
void psim_engine_entry_exit (PsimEngine *e);      /* 2 (engine_market.c) */
void psim_engine_prepare_week (PsimEngine *e);    /*   this week's tables (engine_tables.c) */
void psim_engine_choice (PsimEngine *e);          /* 3 (engine_choice.c) */
void psim_engine_prices (PsimEngine *e);          /* 3, prices and new venues (engine_market.c) */
void psim_engine_at_work (PsimEngine *e);         /* 4-9 (engine_risk.c) */
void psim_engine_record (PsimEngine *e);          /* 10 (engine.c) */

G_END_DECLS

#endif /* PSIM_ENGINE_INTERNAL_H */
