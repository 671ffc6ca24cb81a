/* permitsim: the engine's inside (private to src/engine*.c and the tests).
 *
 * Workers live in flat arrays (structure of arrays), one entry per worker,
 * declared once in PSIM_WORKER_FIELDS; municipalities carry what is in force
 * this week and tables derived from it. engine.c runs the week and records;
 * engine_market.c holds policy events, entry, prices and new venues;
 * engine_week.c the week's pass over every worker (exits, who chooses, and
 * phases 4-9 of those who stay put); engine_tables.c this week's tables;
 * engine_choice.c the choice of workplace; engine_risk.c what happens to
 * workers where they work (enforcement, violence, reporting, care,
 * exploitation, trust).
 * docs/model.md explains the layout and the phases.
 */
#ifndef PSIM_ENGINE_INTERNAL_H
#define PSIM_ENGINE_INTERNAL_H

#include <math.h>
#include <stdint.h>
#include <string.h>

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

/* Worker serials: a slot in the top 10 bits, the entrant's number there in
 * the low 22. Slot m holds municipality m's first 2^22 - 1 entrants; the
 * slots no municipality uses take further entrants (slot m + k x the
 * number of municipalities for the k-th overflow of municipality m), so a
 * run with heavy turnover keeps numbering them while every run that never
 * overflows keeps the serials (and so the draws) it always had. The last
 * number of slot m < the number of municipalities names the municipality
 * itself as the subject of its own draws (entry counts). */
#define PSIM_SERIAL_MUNI_BITS 10
#define PSIM_SERIAL_INDEX_BITS 22
#define PSIM_MAX_MUNICIPALITIES (1 << PSIM_SERIAL_MUNI_BITS)
#define PSIM_MAX_ENTRANTS ((1u << PSIM_SERIAL_INDEX_BITS) - 1u)
#define PSIM_MUNI_SUBJECT(m) (((uint32_t) (m) << PSIM_SERIAL_INDEX_BITS) | PSIM_MAX_ENTRANTS)

/* Decisions: the third word of every random counter (see docs/model.md). */
typedef enum {
  PSIM_DRAW_ATTRIBUTES = 1, /* (serial, 0, ., 0..2): who a new worker is */
  PSIM_DRAW_ENTRY,          /* (municipality subject, week): rounding of the entrant count */
  PSIM_DRAW_WEEK,           /* (serial, week, ., 0): word 0 exit or reconsider; words 1-3
                               inspection, violence, test, exploitation (24 bits each)
                               (serial, week, ., 2): cause of a way out of exploitation */
  PSIM_DRAW_EVICT,          /* (serial, week): priority key when places close */
  PSIM_DRAW_CHOICE,         /* (serial, week, ., 0): first choice, second choice, destination,
                               priority key; (., 1): the same in the destination */
  PSIM_DRAW_ENFORCEMENT,    /* (serial, week): fine, eviction, outing, detection */
  PSIM_DRAW_VIOLENCE,       /* (serial, week): which types, given at least one */
  PSIM_DRAW_REPORT,         /* (serial, week, ., 0): report per type; 1: outcome per type;
                               2: detection of exploitation */
} PsimDraw;

/* The one block every worker draws each week, (serial, week, WEEK, 0), is
 * drawn in the week's pass (engine_week.c): word 0 decides exit and
 * reconsidering (one uniform); words 1-3 are phases 4-9's four 24-bit
 * uniforms, used at once by a worker who stays put and kept until after the
 * choice for one who chooses. An event of probability p happens when such a
 * uniform is below psim_below24 (p). */
#define PSIM_U24_BITS 24
static inline uint32_t psim_u_inspection (uint32_t a, uint32_t b, uint32_t c) { return a >> 8; }
static inline uint32_t psim_u_violence (uint32_t a, uint32_t b, uint32_t c) { return b >> 8; }
static inline uint32_t psim_u_care (uint32_t a, uint32_t b, uint32_t c) { return c >> 8; }
static inline uint32_t
psim_u_exploitation (uint32_t a, uint32_t b, uint32_t c)
{
  return ((a & 0xffu) << 16) | ((b & 0xffu) << 8) | (c & 0xffu);
}

/* The threshold of a 24-bit uniform u for probability p: u < psim_below24 (p)
 * exactly when u / 2^24 < p. */
static inline uint32_t
psim_below24 (double p)
{
  double x = p * (double) (1u << PSIM_U24_BITS);
  if (!(x > 0.0))
    return 0;
  return x >= (double) (1u << PSIM_U24_BITS) ? 1u << PSIM_U24_BITS : (uint32_t) ceil (x);
}

/* Worker flags. */
enum {
  PSIM_WF_REGISTERED = 1u << 0,  /* registered with the municipality she works in */
  PSIM_WF_EXPLOITED = 1u << 1,   /* in an exploitative situation */
  PSIM_WF_WAITING = 1u << 2,     /* her first choice was a full licensed place */
  PSIM_WF_MUST_CHOOSE = 1u << 3, /* evicted, caught or displaced: chooses this week */
  PSIM_WF_LEAVING = 1u << 4,     /* leaves sex work this week (from phase 2 to the week's end) */
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
  X (uint8_t, kind)           /* PSIM_KIND (gender, origin) */                   \
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

/* Entries allocated past the capacity of every field (engine.c). */
#define PSIM_WORKER_SLACK 4

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

/* A worker's kind: gender x origin (fixed for her career), and what
 * follows from it: her standing before age and registration, and where her
 * rows of the thresholds below start. */
#define PSIM_N_KINDS (PSIM_N_GENDERS * PSIM_N_ORIGINS)
#define PSIM_KIND(gender, origin) ((gender) * PSIM_N_ORIGINS + (origin))

/* Thresholds of the 24-bit uniforms of phases 4-9 for one (mode, sector,
 * violence class, exploited): below them something may happen, so a worker
 * above all four only drifts in trust (the common week: four comparisons
 * with one record). */
typedef struct {
  uint32_t inspect;
  uint32_t violence; /* a bound of the chance of any incident: no protection, not inspected */
  uint32_t test;
  uint32_t exploit;  /* falling into exploitation, or (exploited) getting out */
} PsimWorkBelow;
/* Records per (mode, sector): [2 x violence class + exploited]. */
#define PSIM_N_WORK_ROWS (2 * PSIM_N_VIOLENCE_CLASSES)

/* The value of each mode to a worker in the choice, as a function of her
 * preferences and trust (the tables of the week, expanded):
 * base + risk_aversion x (risk + risk_trust x trust) + privacy x privacy
 * (+ autonomy x the mode's autonomy term). By mode, so that a worker's
 * options are valued in one loop without branches. */
typedef struct {
  double base[PSIM_N_MODES];
  double risk[PSIM_N_MODES];
  double risk_trust[PSIM_N_MODES];
  double privacy[PSIM_N_MODES];
} PsimValueTerms;

typedef enum {
  PSIM_OPTION_NONE,       /* not an option for her standing here */
  PSIM_OPTION_AS_IS,      /* taken as she is */
  PSIM_OPTION_REGISTERED, /* taken registered (she must register) */
  PSIM_OPTION_BETTER      /* registered or evading, whichever is worth more */
} PsimOptionHow;

typedef struct {
  PsimValueTerms as_is;
  PsimValueTerms registered;
  uint8_t how[PSIM_N_MODES]; /* PsimOptionHow */
} PsimOptionTerms;

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

  /* tables for this week, filled by psim_engine_prepare_rules () and
   * psim_engine_prepare_market () */
  uint8_t sector[PSIM_N_MODES][PSIM_N_STATUS]; /* PsimSector, PSIM_N_SECTORS for out */
  bool may_take[PSIM_N_MODES][PSIM_N_STATUS];
  float utility[PSIM_N_MODES][PSIM_N_SECTORS];     /* constant, income, fines, eviction */
  float risk[PSIM_N_MODES][PSIM_N_SECTORS];        /* expected incidents a week, before protection */
  float enforcement_privacy[PSIM_N_MODES][PSIM_N_SECTORS]; /* outing cost, times privacy */
  double sanction_chance[PSIM_N_MODES][PSIM_N_SECTORS];    /* inspection x sanction factor */
  PsimCell cell[PSIM_N_MODES][PSIM_N_SECTORS];
  /* phases 4-9, see PsimWorkBelow; [mode][PSIM_N_SECTORS]: out of work
   * (only the way out of exploitation) */
  PsimWorkBelow below[PSIM_N_MODES][PSIM_N_SECTORS + 1][PSIM_N_WORK_ROWS];
  const PsimWorkBelow *below_by_status[PSIM_N_MODES][PSIM_N_STATUS]; /* the records of each standing */
  gboolean bounds_known; /* below has been filled (parts are kept while their inputs stay) */
  PsimRules rules_prepared; /* the rules the tables of the rules were made for */
  float p_exploit_exit[PSIM_N_MODES];               /* own action, peers, outreach */
  uint32_t exploit_exit_below[PSIM_N_MODES];        /* the same as 24-bit thresholds */
  float p_detect_share[PSIM_N_MODES];               /* share of those exits that are detections */
  float trust_target[2];                            /* [registered] */
  double destination_weight;                        /* exp (value for an average mover) */
  PsimOptionTerms option[PSIM_N_STATUS];            /* the choice, by standing */
  gboolean may_move;                                /* some other municipality has room */
  double move_value;                                /* the value of moving from here */

  /* this week's counts (for the conservation check and the prices) */
  int32_t week_entries;
  int32_t week_exits;
  int32_t week_applied_full[PSIM_N_MODES]; /* applicants whose first choice was full */
} PsimMuniRun;

/* Workers per chunk of the passes over everyone (phase 2, phases 4-9):
 * blocks are drawn and scratch is filled a chunk at a time. */
#define PSIM_CHUNK 1024

/* Exit classes of phase 2 (bits: first career year, violence shock,
 * sanction shock, out of work) and the flags that set the chance to
 * reconsider (bits: waiting, must choose; PSIM_RECONSIDER_FLAGS (flags)). */
#define PSIM_N_EXIT_CLASSES 16
#define PSIM_N_RECONSIDER 4
#define PSIM_RECONSIDER_FLAGS(flags) (((flags) >> 2) & 3u)
G_STATIC_ASSERT (PSIM_WF_WAITING == 1u << 2 && PSIM_WF_MUST_CHOOSE == 1u << 3);

/* What the vector kernel of the week's pass reads (engine_week.c): the
 * records of PsimWorkBelow as flat tables, rebuilt each week from the
 * municipalities' tables. [m]: municipality; [k]: mode; [st]: standing; [s]:
 * sector, PSIM_N_SECTORS out of work; [r]: row (2 x violence class +
 * exploited). */
#define PSIM_SCREEN_SECTORS (PSIM_N_SECTORS + 1)
/* The vector kernels (AVX-512) are built on x86-64 with GCC or Clang and
 * run where the CPU has AVX-512 (PsimEngine.vector_pass). */
#if defined(__x86_64__) && defined(__GNUC__)
#define PSIM_HAVE_AVX512 1
#endif
typedef struct {
  int32_t *min_age_weeks; /* [m] */
  float *trust_target;    /* [m][registered] */
  int32_t *sector;        /* [m][k][st] */
  uint32_t *inspect;      /* [m][k][s] */
  uint32_t *test;         /* [m][k][s] */
  uint32_t *exploit;      /* [m][k][s][migrant][exploited] */
  uint32_t *violence;     /* [m][k][s][r] */
  /* for the busy workers' kernel (engine_risk.c) */
  float *hazard;          /* [m][k][s][t]: PsimCell.hazard (0 out of work) */
  double *report_base;    /* [m][s][registered][exploited], s < PSIM_N_SECTORS: report_odds_base
                             of the municipality's client criminalisation */
  /* at most PSIM_SCREEN_FEW municipalities: the tables by municipality
   * alone (held to PSIM_SCREEN_FEW and 2 x PSIM_SCREEN_FEW entries) and the
   * sectors, as sector_nibbles, fit in vector registers and are looked up by
   * permutes, not gathers */
  gboolean few_munis;
  uint32_t *sector_nibbles; /* [m][k], PSIM_SCREEN_FEW x 8: sector[m][k][st] in bits 4 st to 4 st + 3 */
} PsimScreen;
#define PSIM_SCREEN_FEW 16

#ifdef PSIM_HAVE_AVX512
#include <immintrin.h>
/* min_age_weeks[m] and trust_target[2 m + registered] of sixteen lanes (the
 * lanes of `lanes`; the others are 0 by a gather, any table value by a
 * permute: the callers mask what they read with them). */
__attribute__ ((target ("avx512f"))) static inline __m512i
psim_screen_min_age (const PsimScreen *s, __mmask16 lanes, __m512i m)
{
  if (s->few_munis)
    return _mm512_permutexvar_epi32 (m, _mm512_loadu_si512 (s->min_age_weeks));
  return _mm512_mask_i32gather_epi32 (_mm512_setzero_si512 (), lanes, m, s->min_age_weeks, 4);
}

/* sector[m][k][status] of sixteen lanes (mk = 8 m + k); the lanes outside
 * `lanes` as for psim_screen_min_age. By permutes: the word of (m, k) among
 * 128 (four pairs of registers, chosen by bits 5 and 6 of mk), then the
 * status's 4 bits of it. */
__attribute__ ((target ("avx512f"))) static inline __m512i
psim_screen_sector (const PsimScreen *s, __mmask16 lanes, __m512i mk, __m512i status)
{
  if (s->few_munis)
    {
      const uint32_t *t = s->sector_nibbles;
      __m512i q[4];
      for (int j = 0; j < 4; j++)
        q[j] = _mm512_permutex2var_epi32 (_mm512_loadu_si512 (t + 32 * j), mk, _mm512_loadu_si512 (t + 32 * j + 16));
      __mmask16 b5 = _mm512_test_epi32_mask (mk, _mm512_set1_epi32 (32));
      __mmask16 b6 = _mm512_test_epi32_mask (mk, _mm512_set1_epi32 (64));
      __m512i word = _mm512_mask_blend_epi32 (b6, _mm512_mask_blend_epi32 (b5, q[0], q[1]),
                                              _mm512_mask_blend_epi32 (b5, q[2], q[3]));
      return _mm512_and_si512 (_mm512_srlv_epi32 (word, _mm512_slli_epi32 (status, 2)), _mm512_set1_epi32 (15));
    }
  __m512i at = _mm512_add_epi32 (_mm512_slli_epi32 (mk, 3), status);
  return _mm512_mask_i32gather_epi32 (_mm512_setzero_si512 (), lanes, at, s->sector, 4);
}

/* Writes from + lane for each lane of `lanes` to list, in order (the lanes a
 * vector kernel leaves to the one-worker code); returns how many. */
__attribute__ ((target ("avx512f"))) static inline gsize
psim_list_lanes (uint32_t *list, unsigned lanes, gsize from)
{
  const __m512i iota = _mm512_setr_epi32 (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  _mm512_mask_compressstoreu_epi32 (list, (__mmask16) lanes, _mm512_add_epi32 (_mm512_set1_epi32 ((int) from), iota));
  return (gsize) __builtin_popcount (lanes);
}

__attribute__ ((target ("avx512f"))) static inline __m512
psim_screen_trust_target (const PsimScreen *s, __mmask16 lanes, __m512i m, __m512i registered)
{
  __m512i at = _mm512_add_epi32 (_mm512_slli_epi32 (m, 1), registered);
  if (s->few_munis)
    return _mm512_permutex2var_ps (_mm512_loadu_ps (s->trust_target), at, _mm512_loadu_ps (s->trust_target + 16));
  return _mm512_mask_i32gather_ps (_mm512_setzero_ps (), lanes, at, s->trust_target, 4);
}
#endif

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
  /* expm1 (-the entry age's limit), for psim_rng_exponential_below_tail:
   * the same for every entrant of a run (psim_engine_add_workers) */
  double entry_tail;
  double p_reconsider;
  /* phase 2: word 0 of the weekly block (as a 33-bit number) below
   * exit_below leaves; otherwise below reconsider_below reconsiders */
  uint64_t exit_below[PSIM_N_EXIT_CLASSES];
  uint64_t reconsider_below[PSIM_N_EXIT_CLASSES][PSIM_N_RECONSIDER];
  /* [out][PSIM_RECONSIDER_FLAGS]: the highest of those over the exit
   * classes; at or above it nothing happens (unless forced) */
  uint64_t quiet_from[2][PSIM_N_RECONSIDER];
  double autonomy_term[PSIM_N_MODES]; /* choice.autonomy-weight x the mode's autonomy */
  double report_social_odds;          /* exp (-report.social-emotional) */
  /* psim_engine_police_access, tabled (no branch), by sector; 1 past the
   * sectors, so that the row fills a vector register (the busy kernel's
   * permutes, engine_risk.c) */
  double police_access[8];
  /* the odds against reporting, e^-x, as factors (see report, engine_risk.c):
   * [sector][registered][client criminalisation][exploited] with the
   * intercept; [privacy] (0..255); trust at 1/256 steps, 0..1 */
  double report_odds_base[PSIM_N_SECTORS][2][2][2];
  double report_odds_privacy[256];
  double report_odds_trust[257];
  /* below psim_engine_report_odds_trust for any trust: the least of the
   * table less a margin far wider than the series' error */
  double report_odds_trust_floor;
  gboolean has_capacity[PSIM_N_MODES]; /* psim_policy_has_capacity, tabled */
  /* [type][class]: a type's factors for every class fill a vector register
   * (the busy kernel's permutes, engine_risk.c); classes past the last are 0 */
  float class_violence[PSIM_N_VIOLENCE][16];
  int32_t young_weeks;
  int32_t max_age_weeks;
  int32_t max_out_weeks;
  int32_t shock_weeks;
  uint8_t origin_status[PSIM_N_ORIGINS]; /* psim_policy_origin_status, tabled */
  uint8_t kind_status[PSIM_N_KINDS];     /* the same by kind */
  uint8_t kind_violence[PSIM_N_KINDS];   /* 2 x her violence class, less the young bit */

  /* the week's pass and the busy workers' phases 4-9 run their AVX-512
   * kernels (set when the CPU has it; the tests compare both ways) */
  gboolean vector_pass;
  PsimScreen screen;
  gboolean screen_stale; /* some municipality's tables of the rules were made again */

  gboolean serials_exhausted; /* a municipality ran out of serials: the run fails */
  gboolean caps_known;        /* the starting caps have been read */

  /* the lists of the week, from phase 2 to its end (indices do not change
   * in between: leavers stay in the arrays, flagged, until then): who
   * leaves, who chooses */
  uint32_t *leavers;
  uint32_t *applicants;
  gsize n_leavers, n_applicants;
  /* scratch: the eviction queue, the weekly blocks of a chunk, the
   * applicants' serials and blocks (scratch_capacity entries, like the
   * lists), the busy workers of a chunk in phases 4-9 with their blocks */
  GArray *queue;       /* PsimQueued */
  uint32_t *chunk_draws[4];
  gsize scratch_capacity;
  uint32_t *apply_serial, *apply_order, *apply_spare;
  uint32_t *apply_draw[4];
  uint32_t *apply_week[3]; /* words 1-3 of each applicant's weekly block */
  /* workplaces lost in phases 4-9 (municipality << 8 | mode): the places
   * stay taken until psim_engine_vacate, after the choice and the prices,
   * as if those phases ran after them for everyone (engine_week.c) */
  uint32_t *vacated;
  gsize n_vacated;
  uint32_t *busy_index, *busy_serial;
  float *busy_trust;
  uint32_t *busy_week[3];    /* words 1-3 of the busy workers' weekly blocks */
  uint32_t *busy_draw[2][4]; /* their VIOLENCE and REPORT (extra 0) blocks */
  double logsum_weight; /* sum of destination weights */

  /* this week's flows, per municipality and per group (stocks stay 0) */
  PsimTally *week_muni;
  PsimTally *week_group;

  PsimRunResult *result;
} PsimEngine;

/* An evictee in priority order: by key, then serial (unique), so that the
 * order never depends on where a worker sits in the arrays. (Applicants are
 * sorted the same way, by sort_applicants in engine_choice.c.) */
typedef struct {
  uint64_t key;
  uint32_t serial;
  uint32_t index;
} PsimQueued;

/* Creates an engine and its starting population (burn-in not yet run).
 * `result` receives the tallies; it is owned by the caller. */
PsimEngine *psim_engine_new (const PsimRunSpec *spec, PsimRunResult *result, GError **error);
void psim_engine_free (PsimEngine *engine);
/* Simulates one week (MODEL.md §4). */
void psim_engine_step (PsimEngine *engine);
/* The same week, adding to seconds[k] the time phase k took by `clock`
 * (for `permitsim bench`); psim_engine_phase_name (k) names it. */
#define PSIM_N_WEEK_PHASES 11
#define PSIM_WEEK_PHASE_CHOICE 5 /* the choice's place in that order */
void psim_engine_step_timed (PsimEngine *engine, double (*clock) (void), double seconds[PSIM_N_WEEK_PHASES]);
const char *psim_engine_phase_name (int k);
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

/* e^(-report.trust x trust) for trust in [0, 1]: the table at the 1/256
 * step below, times e^-y for the rest (|y| <= report.trust / 256) by its
 * series to the 4th power (about 1e-10 relative for report.trust up to 5). */
static inline double
psim_engine_report_odds_trust (const PsimEngine *e, float trust)
{
  double v = (double) CLAMP (trust, 0.0f, 1.0f) * 256.0;
  int step = (int) v;
  double y = -e->params->report_trust * ((v - step) / 256.0);
  return e->report_odds_trust[step] * (1.0 + y * (1.0 + y * (1.0 / 2 + y * (1.0 / 6 + y * (1.0 / 24)))));
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

/* The groups (engine.h) a worker belongs to this week: gender, origin, age
 * band (groups.csv's bands: 18-20, 21-24, 25-34, 35-49, 50+), workplace. */
#define PSIM_GROUP_ORIGIN_BASE PSIM_N_GENDERS
#define PSIM_GROUP_AGE_BASE (PSIM_N_GENDERS + PSIM_N_ORIGINS)
#define PSIM_N_AGE_BANDS 5
#define PSIM_GROUP_WORKPLACE_BASE (PSIM_GROUP_AGE_BASE + PSIM_N_AGE_BANDS)
static inline int
psim_engine_age_band (int age_years)
{
  return (age_years >= 21) + (age_years >= 25) + (age_years >= 35) + (age_years >= 50);
}

static inline void
psim_engine_groups_of (const PsimEngine *e, gsize i, int groups[PSIM_N_GROUP_TYPES])
{
  const PsimWorkers *w = &e->workers;
  groups[PSIM_GROUP_TYPE_GENDER] = w->gender[i];
  groups[PSIM_GROUP_TYPE_ORIGIN] = PSIM_GROUP_ORIGIN_BASE + w->origin[i];
  groups[PSIM_GROUP_TYPE_AGE]
    = PSIM_GROUP_AGE_BASE + psim_engine_age_band ((e->week - w->birth_week[i]) / PSIM_WEEKS_PER_YEAR);
  groups[PSIM_GROUP_TYPE_WORKPLACE] = PSIM_GROUP_WORKPLACE_BASE + w->mode[i];
}

/* 2^(j/32), j = 0..31, correctly rounded (for psim_engine_exp). */
static const double psim_exp2_32nds[32] = {
  0x1.0000000000000p+0, 0x1.059b0d3158574p+0, 0x1.0b5586cf9890fp+0, 0x1.11301d0125b51p+0,
  0x1.172b83c7d517bp+0, 0x1.1d4873168b9aap+0, 0x1.2387a6e756238p+0, 0x1.29e9df51fdee1p+0,
  0x1.306fe0a31b715p+0, 0x1.371a7373aa9cbp+0, 0x1.3dea64c123422p+0, 0x1.44e086061892dp+0,
  0x1.4bfdad5362a27p+0, 0x1.5342b569d4f82p+0, 0x1.5ab07dd485429p+0, 0x1.6247eb03a5585p+0,
  0x1.6a09e667f3bcdp+0, 0x1.71f75e8ec5f74p+0, 0x1.7a11473eb0187p+0, 0x1.82589994cce13p+0,
  0x1.8ace5422aa0dbp+0, 0x1.93737b0cdc5e5p+0, 0x1.9c49182a3f090p+0, 0x1.a5503b23e255dp+0,
  0x1.ae89f995ad3adp+0, 0x1.b7f76f2fb5e47p+0, 0x1.c199bdd85529cp+0, 0x1.cb720dcef9069p+0,
  0x1.d5818dcfba487p+0, 0x1.dfc97337b9b5fp+0, 0x1.ea4afa2a490dap+0, 0x1.f50765b6e4540p+0,
};

/* e^x to about 1e-12 relative (0 below -700, e^700 above 700), for the
 * weights and odds of the choice and of reporting, where it costs a
 * fraction of libm's exp and has no branch: x = (32 m + j) ln 2 / 32 + r
 * with |r| <= ln 2 / 64, e^x = 2^m 2^(j/32) e^r, e^r by its Taylor series to
 * the 4th power. Plain double arithmetic (round to nearest) and a table of
 * constants: the same on every machine. */
static inline double
psim_engine_exp (double x)
{
  const double ln2_32_hi = 0x1.62e42ff000000p-6, ln2_32_lo = -0x1.718432a1b0e26p-40;
  const double shifter = 0x1.8p52; /* adding and taking it away rounds to an integer */
  double xc = x > -700.0 ? (x < 700.0 ? x : 700.0) : -700.0;
  double k = xc * 0x1.71547652b82fep+5 + shifter; /* round (32 x / ln 2) */
  double n = k - shifter;
  double r = (xc - n * ln2_32_hi) - n * ln2_32_lo;
  double r2 = r * r;
  double y = (1.0 + r) + r2 * ((1.0 / 2 + r * (1.0 / 6)) + r2 * (1.0 / 24));
  int32_t whole = (int32_t) n; /* round (32 x / ln 2), |.| < 2^15: exact */
  int32_t j = whole & 31;
  uint64_t y_bits;
  y *= psim_exp2_32nds[j];
  /* times 2^m (y is near 1: no overflow, no subnormal) */
  memcpy (&y_bits, &y, sizeof y_bits);
  y_bits += (uint64_t) (int64_t) ((whole - j) / 32) << 52;
  memcpy (&y, &y_bits, sizeof y);
  return x >= -700.0 ? y : 0.0;
}

/* The number of incident (report) bits set among the four types. */
static inline int
psim_engine_count4 (unsigned bits)
{
  return (int) (bits & 1u) + (int) ((bits >> 1) & 1u) + (int) ((bits >> 2) & 1u) + (int) ((bits >> 3) & 1u);
}

/* Adds n (1) to a flow field of this week's tally of the worker's municipality and groups. */
#define PSIM_FLOW_N(e, i, field, n)                                              \
  do                                                                             \
    {                                                                            \
      int groups_[PSIM_N_GROUP_TYPES];                                           \
      int n_ = (n);                                                              \
      psim_engine_groups_of ((e), (i), groups_);                                 \
      (e)->week_muni[(e)->workers.muni[(i)]].field += n_;                        \
      for (int t_ = 0; t_ < PSIM_N_GROUP_TYPES; t_++)                            \
        (e)->week_group[groups_[t_]].field += n_;                                \
    }                                                                            \
  while (0)
#define PSIM_FLOW(e, i, field) PSIM_FLOW_N (e, i, field, 1)

/* Worker arrays (engine.c). */
void psim_engine_set_mode (PsimEngine *e, gsize i, PsimMode mode);
int32_t psim_engine_add_workers (PsimEngine *e, int m, int32_t n, gboolean initial);
/* Removes the week's leavers (e->leavers, ascending). */
void psim_engine_remove_leavers (PsimEngine *e);
/* Makes the week's lists and scratch hold an entry per worker (allocated). */
void psim_engine_reserve_scratch (PsimEngine *e);
int psim_engine_compare_queued (const void *a, const void *b);
/* Sorts queue[0..n) in that order (`spare`: scratch of n). */
void psim_engine_sort_queued (PsimQueued *queue, gsize n, PsimQueued *spare);

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

/* Whether anything but the drift of trust can happen to a worker in phases
 * 4-9 this week: one of her four uniforms (words 1-3 of her weekly block)
 * is below its threshold in `t`, the record of her mode, standing, class
 * and exploitation (PsimWorkBelow). */
static inline unsigned
psim_engine_busy (const PsimWorkBelow *t, uint32_t a, uint32_t b, uint32_t c)
{
  return (unsigned) (psim_u_inspection (a, b, c) < t->inspect) | (unsigned) (psim_u_violence (a, b, c) < t->violence)
         | (unsigned) (psim_u_care (a, b, c) < t->test) | (unsigned) (psim_u_exploitation (a, b, c) < t->exploit);
}

/* The phases, in the order of MODEL.md §4 (psim_engine_step in engine.c
 * says how the passes are arranged). */
void psim_engine_policy_events (PsimEngine *e);   /* 1 (engine_market.c) */
void psim_engine_prepare_rules (PsimEngine *e);   /*   this week's tables of the rules (engine_tables.c) */
void psim_engine_week_pass (PsimEngine *e);       /* 2, exits and who chooses; 4-9 of the others (engine_week.c) */
gboolean psim_engine_vector_pass_available (void); /* the CPU runs the week pass's vector kernel */
void psim_engine_screen_alloc (PsimEngine *e);    /* the week pass's tables (engine_week.c) */
void psim_engine_screen_free (PsimEngine *e);
void psim_engine_entry (PsimEngine *e);           /* 2, entrants (engine_market.c) */
void psim_engine_prepare_market (PsimEngine *e);  /*   this week's values of the options (engine_tables.c) */
void psim_engine_choice (PsimEngine *e);          /* 3 (engine_choice.c) */
/* One choice's options: every mode, then moving elsewhere. The value of
 * each (-INFINITY where it is no option), whether it is a licensed place she
 * does not hold with none free, and whether taking it registers her. */
#define PSIM_OPTION_MOVE PSIM_N_MODES
#define PSIM_N_OPTIONS (PSIM_N_MODES + 1)
typedef struct {
  double value[PSIM_N_OPTIONS];
  uint8_t full[PSIM_N_OPTIONS];
  uint8_t registers[PSIM_N_OPTIONS];
} PsimChoiceOptions;
/* The logit's pick (an option that is not full) and, in *first, the first
 * choice, full or not, from two uniforms (engine_choice.c). */
int psim_engine_sample_option (const PsimChoiceOptions *o, double u_first, double u_open, int *first);
/* The same in the vector form the engine runs where the CPU has AVX-512 (the
 * scalar form elsewhere): for the test that the two agree. */
int psim_engine_sample_option_vector (const PsimChoiceOptions *o, double u_first, double u_open, int *first);
void psim_engine_prices (PsimEngine *e);          /* 3, prices and new venues (engine_market.c) */
void psim_engine_at_work_applicants (PsimEngine *e); /* 4-9 of those who chose (engine_risk.c) */
void psim_engine_vacate (PsimEngine *e);          /*   the workplaces lost in 4-9 free up (engine_risk.c) */
void psim_engine_record (PsimEngine *e);          /* 10 (engine.c) */
/* Phases 4-9 in full for the busy workers listed in e->busy_index (their
 * trust before this week's drift in e->busy_trust, words 1-3 in
 * e->busy_week), at most PSIM_CHUNK (engine_risk.c). */
void psim_engine_at_work_busy (PsimEngine *e, gsize n_busy);

G_END_DECLS

#endif /* PSIM_ENGINE_INTERNAL_H */
