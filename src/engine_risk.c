/* permitsim: what happens to workers where they work (MODEL.md §4, phases 4-9).
 *
 * Enforcement, violence, reporting to the police, STI/HIV testing,
 * exploitation and trust. None of these phases looks at another worker, so
 * each worker in turn goes through phases 4 to 9 in MODEL.md's order: in the
 * week's pass (engine_week.c) for those who stay put, after the choice for
 * those who chose. Each reads the municipality's tables of the rules this
 * week (engine_tables.c) and the worker's own state, and draws from the
 * worker's own counter, so the same worker in the same week makes the same
 * draws in a scenario and its baseline.
 */
#include "engine_internal.h"

#include <math.h>
#include <string.h>
#ifdef PSIM_HAVE_AVX512
#include <immintrin.h>
#endif

/* What the phases of one worker share this week: her fields that they
 * change (mode, flags, trust) are held here and written back at the end,
 * so that a store to one of them does not make the others be read again. */
typedef struct {
  gsize i;
  gsize q; /* her place in the busy list: her VIOLENCE and REPORT (extra 0) blocks */
  const PsimMuniRun *mr;
  unsigned muni, mode, flags;
  float trust;
  unsigned cls;       /* violence class: gender x migrant x young */
  unsigned migrant;
  int groups[PSIM_N_GROUP_TYPES]; /* her groups (psim_engine_groups_of), workplace as it changes */
  PsimSector sector;  /* PSIM_N_SECTORS while out of work */
  PsimSector worked_as; /* the sector at the start of phase 4 */
  /* the 24-bit uniforms of her weekly block (words 1-3) */
  uint32_t u_inspection, u_violence, u_care, u_exploitation;
  gboolean inspected;
  unsigned incidents; /* bit per violence type, this week */
} PsimAtWork;

/* Adds n to a flow field of this week's tally of her municipality and groups. */
#define AT_FLOW_N(e, a, field, n)                                                \
  do                                                                             \
    {                                                                            \
      int n_ = (n);                                                              \
      (e)->week_muni[(a)->muni].field += n_;                                     \
      for (int t_ = 0; t_ < PSIM_N_GROUP_TYPES; t_++)                            \
        (e)->week_group[(a)->groups[t_]].field += n_;                            \
    }                                                                            \
  while (0)
#define AT_FLOW(e, a, field) AT_FLOW_N (e, a, field, 1)

static void
lower_trust (PsimAtWork *a, double amount)
{
  a->trust = (float) CLAMP (a->trust - amount, 0.0, 1.0);
}

/* Leaves the workplace and must choose again next week. Her place is
 * freed by psim_engine_vacate, after the choice. */
static void
lose_workplace (PsimEngine *e, PsimAtWork *a)
{
  g_assert (a->mode != PSIM_MODE_OUT);
  e->vacated[e->n_vacated++] = a->muni << 8 | a->mode;
  a->mode = PSIM_MODE_OUT;
  a->groups[PSIM_GROUP_TYPE_WORKPLACE] = PSIM_GROUP_WORKPLACE_BASE + PSIM_MODE_OUT;
  e->workers.mode_since[a->i] = (int16_t) e->week;
  a->flags |= PSIM_WF_MUST_CHOOSE;
  a->sector = PSIM_N_SECTORS;
}

/* Detection ends an exploitative situation (victim support follows). */
static void
detect_exploitation (PsimEngine *e, PsimAtWork *a)
{
  a->flags &= ~(unsigned) PSIM_WF_EXPLOITED;
  AT_FLOW (e, a, exploitation_detected);
  AT_FLOW (e, a, exploitation_exits);
}

/* ---------- 4. enforcement ---------- */

/* Inspections of unlicensed and illegal work, at the city's intensity times
 * the mode's visibility. An inspection lowers trust; its outcomes — a fine,
 * eviction from the home or workplace, forced outing — lower it more, force
 * a new choice, and raise the exit hazard for a while (brochure: "Werkt een
 * sekswerker toch thuis ... dan riskeert zij boetes, huisuitzetting en
 * gedwongen outing"). Unlicensed work is sanctioned only where it breaks the
 * conditions attached to it (enforcement.unlicensed-factor). */
static void
enforce (PsimEngine *e, PsimAtWork *a)
{
  const PsimParams *p = e->params;
  if (a->sector == PSIM_N_SECTORS || a->u_inspection >= a->mr->below[a->mode][a->sector][0].inspect)
    return;
  a->inspected = TRUE;
  AT_FLOW (e, a, inspections);
  lower_trust (a, p->inspection_trust_loss);

  uint32_t r[4];
  psim_rng_block (&e->key, e->workers.serial[a->i], (uint32_t) e->week, PSIM_DRAW_ENFORCEMENT, 0, r);
  double sanction = a->sector == PSIM_SECTOR_ILLEGAL ? 1.0 : p->unlicensed_sanction_factor;
  gboolean fined = psim_rng_u01_32 (r[0]) < p->fine_probability * sanction;
  gboolean evicted = psim_rng_u01_32 (r[1]) < p->eviction_probability * sanction;
  gboolean outed = psim_rng_u01_32 (r[2]) < p->outing_probability * sanction;
  if (fined)
    AT_FLOW (e, a, fines);
  if (evicted)
    AT_FLOW (e, a, evictions);
  if (outed)
    AT_FLOW (e, a, outings);
  if (fined || evicted || outed)
    {
      lower_trust (a, p->sanction_trust_loss);
      e->workers.last_sanction[a->i] = (int16_t) e->week;
      a->flags |= PSIM_WF_MUST_CHOOSE;
    }
  if ((a->flags & PSIM_WF_EXPLOITED) && psim_rng_u01_32 (r[3]) < p->detection_per_inspection)
    detect_exploitation (e, a);
  if (evicted || outed)
    lose_workplace (e, a);
}

/* ---------- 5. violence ---------- */

/* Four types, each a weekly hazard: base × mode × policy factors (the
 * municipality's table), × the worker's group factors (sexual and
 * social-emotional), × protection (falling with her trust and her sector's
 * access to the police), × exploitation. Social-emotional violence also comes
 * from institutions: an inspection adds its own chance of it. One uniform
 * decides whether any incident happens (compared first with a bound for her
 * class, so most weeks cost one comparison); only then a second block
 * decides which types, exactly (each conditional on "at least one" while
 * none has happened yet). */
static void
violence (PsimEngine *e, PsimAtWork *a)
{
  const PsimParams *p = e->params;
  gboolean working = a->sector != PSIM_N_SECTORS;
  if (!working && !a->inspected)
    return;
  double u = a->u_violence * (1.0 / (1u << PSIM_U24_BITS));
  double h[PSIM_N_VIOLENCE] = { 0.0 };
  if (working)
    {
      const PsimCell *cell = &a->mr->cell[a->mode][a->sector];
      unsigned exploited = (a->flags & PSIM_WF_EXPLOITED) != 0;
      if (!a->inspected && a->u_violence >= a->mr->below[a->mode][a->sector][2 * a->cls + exploited].violence)
        return; /* no incident, whatever her trust */
      double factor = 1.0 - p->violence_protection * a->trust * e->police_access[a->sector];
      if (exploited)
        factor *= p->violence_exploited;
      for (int t = 0; t < PSIM_N_VIOLENCE; t++)
        h[t] = MIN ((double) cell->hazard[t] * factor * e->class_violence[t][a->cls], 1.0);
    }
  /* an inspection that ended in eviction or outing still happened */
  if (a->inspected)
    h[PSIM_VIOLENCE_SOCIAL] = 1.0 - (1.0 - h[PSIM_VIOLENCE_SOCIAL]) * (1.0 - p->violence_per_inspection);
  /* tail[t]: the chance of no incident of types t and after (the first
   * one in pairs, so that it is ready sooner) */
  G_STATIC_ASSERT (PSIM_N_VIOLENCE == 4);
  double tail[PSIM_N_VIOLENCE];
  tail[3] = 1.0 - h[3];
  tail[2] = tail[3] * (1.0 - h[2]);
  tail[1] = tail[2] * (1.0 - h[1]);
  tail[0] = ((1.0 - h[0]) * (1.0 - h[1])) * tail[2];
  if (u >= 1.0 - tail[0])
    return;
  /* type t happens with h / (1 - tail[t]) while none has yet, then with h
   * (compared without the division; both answers first, for every type at
   * once): the first type to happen is the lowest bit of the first answers,
   * the types after it take the second */
  uint32_t *const *r = e->busy_draw[0];
  unsigned hit_first = 0, hit_after = 0;
  for (int t = 0; t < PSIM_N_VIOLENCE; t++)
    {
      double v = psim_rng_u01_32 (r[t][a->q]);
      hit_first |= (unsigned) (v * (1.0 - tail[t]) < h[t]) << t;
      hit_after |= (unsigned) (v < h[t]) << t;
    }
  unsigned first = hit_first & (0u - hit_first);
  unsigned incidents = first | (hit_after & ~((first << 1) - 1u));
  a->incidents = incidents;
  PsimWorkers *w = &e->workers;
  int16_t week = (int16_t) e->week;
  for (int t = 0; t < PSIM_N_VIOLENCE; t++)
    {
      /* read first, then a select: written as one statement GCC made it a
       * conditional store, a branch on which types happened */
      int16_t last = w->last_violence[t][a->i];
      w->last_violence[t][a->i] = (incidents >> t) & 1u ? week : last;
    }
  AT_FLOW_N (e, a, incidents, psim_engine_count4 (incidents));
}

/* ---------- 6. reporting ---------- */

/* Each incident is reported with a logistic probability that rises with
 * trust and falls with illegality, registration exposure, the fear of losing
 * anonymity (privacy sensitivity), client criminalisation and exploitation
 * (SoaAids 2018, in the brochure: "Angst voor aangifte vanwege verlies
 * anonimiteit"). A report taken seriously raises trust; one that costs the
 * worker her workplace or her anonymity lowers it, and she must choose again;
 * a dismissed one lowers it a little. A report by an exploited worker may
 * lead to detection. */
static void
report (PsimEngine *e, PsimAtWork *a)
{
  const PsimParams *p = e->params;
  if (a->incidents == 0)
    return;
  /* a worker evicted this week reports as what she was doing (she was
   * working or inspected: an incident needs either) */
  PsimSector s = a->worked_as;
  g_assert (s < PSIM_N_SECTORS);
  gboolean exploited = (a->flags & PSIM_WF_EXPLOITED) != 0;
  /* P(report) = 1 / (1 + e^-x), x = report.intercept + report.trust x trust
   * + report.anonymity-fear x privacy + the terms of her sector,
   * registration, client criminalisation and exploitation: the odds against,
   * e^-x, are the product of tabled factors (report_odds, engine.c); for a
   * social-emotional incident e^-report.social-emotional times them */
  uint32_t *const *r = e->busy_draw[1];
  double odds_fixed = e->report_odds_base[s][(a->flags & PSIM_WF_REGISTERED) != 0]
                                         [a->mr->rules.client_criminalisation][exploited]
                      * e->report_odds_privacy[e->workers.privacy[a->i]];
  /* Most incidents go unreported. First with the least odds against that
   * her trust could give (report_odds_trust_floor): a type whose uniform
   * fails even that is not reported whatever her trust (each step below
   * can only round up as its factors grow), and when none passes, the odds
   * of her own trust are never needed. */
  double floor_against = odds_fixed * e->report_odds_trust_floor;
  unsigned maybe = 0;
  for (int t = 0; t < PSIM_N_VIOLENCE; t++)
    {
      double against = t == PSIM_VIOLENCE_SOCIAL ? floor_against * e->report_social_odds : floor_against;
      maybe |= (unsigned) (psim_rng_u01_32 (r[t][a->q]) * (1.0 + against) < 1.0) << t;
    }
  if ((maybe & a->incidents) == 0)
    return;
  double odds_against = odds_fixed * psim_engine_report_odds_trust (e, a->trust);
  unsigned reported = 0;
  for (int t = 0; t < PSIM_N_VIOLENCE; t++)
    {
      /* u < 1 / (1 + odds against), without the division */
      double against = t == PSIM_VIOLENCE_SOCIAL ? odds_against * e->report_social_odds : odds_against;
      reported |= (unsigned) (psim_rng_u01_32 (r[t][a->q]) * (1.0 + against) < 1.0) << t;
    }
  reported &= a->incidents;
  if (reported == 0)
    return;
  AT_FLOW_N (e, a, reports, psim_engine_count4 (reported));

  uint32_t serial = e->workers.serial[a->i];
  uint32_t outcome[4];
  psim_rng_block (&e->key, serial, (uint32_t) e->week, PSIM_DRAW_REPORT, 1, outcome);
  double backfire = s == PSIM_SECTOR_ILLEGAL ? p->report_backfire_illegal
                    : s == PSIM_SECTOR_UNLICENSED ? p->report_backfire_unlicensed
                                                  : 0.0;
  gboolean lost = FALSE;
  for (int t = 0; t < PSIM_N_VIOLENCE; t++)
    {
      if (!(reported & (1u << t)))
        continue;
      double u = psim_rng_u01_32 (outcome[t]);
      if (u < p->report_taken_seriously)
        a->trust = (float) MIN (a->trust + p->report_trust_gain, 1.0);
      else if (u < p->report_taken_seriously + backfire)
        {
          lower_trust (a, p->report_backfire_trust_loss);
          lost = TRUE;
        }
      else
        lower_trust (a, p->report_dismissed_trust_loss);
    }
  e->workers.last_report[a->i] = (int16_t) e->week;
  if (exploited && psim_rng_uniform (&e->key, serial, (uint32_t) e->week, PSIM_DRAW_REPORT, 2) < p->detection_per_report)
    detect_exploitation (e, a);
  if (lost)
    {
      e->workers.last_sanction[a->i] = (int16_t) e->week;
      if (a->mode != PSIM_MODE_OUT)
        lose_workplace (e, a);
    }
}

/* ---------- 7. care ---------- */

/* A weekly STI/HIV test with the probability of the worker's mode and sector
 * in her municipality: lower with GGD registration and illegality, higher
 * with outreach and a sex-worker-led organisation. */
static void
care (PsimEngine *e, PsimAtWork *a)
{
  if (a->mode == PSIM_MODE_OUT)
    return;
  int16_t *last_test = &e->workers.last_test[a->i];
  *last_test = a->u_care < a->mr->below[a->mode][a->sector][0].test ? (int16_t) e->week : *last_test;
}

/* ---------- 8. exploitation ---------- */

/* Entry into exploitation: a weekly hazard rising with isolation, illegality,
 * migrant status and a pimping ban. Exit: by the worker's own action (most
 * get out themselves: Wagenaar et al. 2013) or detected by peers (where a
 * sex-worker-led organisation works) or outreach (in venues and zones);
 * detection through reports and inspections happens in those phases. */
static void
exploitation (PsimEngine *e, PsimAtWork *a)
{
  unsigned k = a->mode;
  uint32_t u = a->u_exploitation;
  if (a->flags & PSIM_WF_EXPLOITED)
    {
      if (u >= a->mr->exploit_exit_below[k])
        return;
      double cause = psim_rng_uniform (&e->key, e->workers.serial[a->i], (uint32_t) e->week, PSIM_DRAW_WEEK, 2);
      if (cause < a->mr->p_detect_share[k])
        detect_exploitation (e, a);
      else
        {
          a->flags &= ~(unsigned) PSIM_WF_EXPLOITED;
          AT_FLOW (e, a, exploitation_exits);
        }
      return;
    }
  if (k == PSIM_MODE_OUT)
    return;
  /* the entry threshold depends on her being a migrant only: the record
   * 2 x (2 x migrant) of her mode and sector (not young, not exploited) */
  if (u < a->mr->below[k][a->sector][4 * a->migrant].exploit)
    a->flags |= PSIM_WF_EXPLOITED | PSIM_WF_EVER_EXPLOITED;
}

/* ---------- 9. trust ---------- */

/* Trust drifts toward a target set by policy: participation of sex workers
 * and a sex-worker-led organisation raise it, registration (municipal or at
 * the GGD) lowers it; encounters moved it directly in the phases above. */
static void
drift_trust (PsimEngine *e, PsimAtWork *a)
{
  float target = a->mr->trust_target[(a->flags & PSIM_WF_REGISTERED) ? 1 : 0];
  a->trust += (float) e->params->trust_drift * (target - a->trust);
}

/* ---------- phases 4-9, worker by worker ---------- */

/* Phases 4-9 of one worker with something to happen, in MODEL.md's order
 * (ua, ub, uc: words 1-3 of her weekly block; trust: hers before the
 * week's drift). */
static void
at_work_in_full (PsimEngine *e, gsize i, uint32_t ua, uint32_t ub, uint32_t uc, gsize q, float trust)
{
  PsimWorkers *w = &e->workers;
  unsigned muni = w->muni[i], mode = w->mode[i], flags = w->flags[i], kind = w->kind[i];
  int age = e->week - w->birth_week[i];
  const PsimMuniRun *mr = &e->munis[muni];
  PsimAtWork a = {
    .i = i, .q = q, .mr = mr, .muni = muni, .mode = mode, .flags = flags, .trust = trust,
    .cls = e->kind_violence[kind] / 2u + (unsigned) (age < e->young_weeks),
    .migrant = w->origin[i] != PSIM_ORIGIN_DUTCH,
    .u_inspection = psim_u_inspection (ua, ub, uc), .u_violence = psim_u_violence (ua, ub, uc),
    .u_care = psim_u_care (ua, ub, uc), .u_exploitation = psim_u_exploitation (ua, ub, uc),
  };
  psim_engine_groups_of (e, i, a.groups);
  unsigned status = e->kind_status[kind] | (age < mr->min_age_weeks ? PSIM_STATUS_UNDER_AGE : 0u)
                    | ((flags & PSIM_WF_REGISTERED) ? 0u : PSIM_STATUS_UNREGISTERED);
  a.sector = mode == PSIM_MODE_OUT ? PSIM_N_SECTORS : (PsimSector) mr->sector[mode][status];
  a.worked_as = a.sector;
  enforce (e, &a);      /* 4 */
  violence (e, &a);     /* 5 */
  report (e, &a);       /* 6 */
  care (e, &a);         /* 7 */
  exploitation (e, &a); /* 8 */
  drift_trust (e, &a);  /* 9 */
  w->mode[i] = (uint8_t) a.mode;
  w->flags[i] = (uint8_t) a.flags;
  w->trust[i] = a.trust;
}

#ifdef PSIM_HAVE_AVX512
/* Sixteen busy workers from q (the lanes of `live`): the common busy week
 * -- at work, not inspected, neither falling into exploitation nor getting
 * out of it, her incidents decided and none of them reported even at the least odds
 * against that her trust could give -- is done here, lane by lane in the
 * arithmetic of violence (), report (), care () and drift_trust () (each
 * product, sum and conversion rounded as there: no fused multiply-add).
 * Returns the lanes that need at_work_in_full; nothing of theirs is
 * written here. The stores that cannot be vectors (16-bit stamps, the
 * tallies) are made lane by lane. */
__attribute__ ((target ("avx512f"))) static unsigned
busy_block_avx512 (PsimEngine *e, gsize q, __mmask16 live, const uint32_t *kind_tables)
{
  /* the index arithmetic below (shifts, the 4 types at a cell's or class's row) */
  G_STATIC_ASSERT (PSIM_N_MODES == 8 && PSIM_N_STATUS == 8 && PSIM_SCREEN_SECTORS == 4 && PSIM_N_VIOLENCE == 4);
  PsimWorkers *w = &e->workers;
  const PsimScreen *s = &e->screen;
  const __m512i zero = _mm512_setzero_si512 (), one = _mm512_set1_epi32 (1);
  const __m512i low8 = _mm512_set1_epi32 (0xff), low16 = _mm512_set1_epi32 (0xffff);

  __m512i idx = _mm512_maskz_loadu_epi32 (live, e->busy_index + q);
  __m512i ua = _mm512_maskz_loadu_epi32 (live, e->busy_week[0] + q);
  __m512i ub = _mm512_maskz_loadu_epi32 (live, e->busy_week[1] + q);
  __m512i uc = _mm512_maskz_loadu_epi32 (live, e->busy_week[2] + q);
  __m512 trust = _mm512_maskz_loadu_ps (live, e->busy_trust + q);
  /* her fields: a 32-bit word at each (the arrays have PSIM_WORKER_SLACK) */
  __m512i m = _mm512_and_si512 (_mm512_mask_i32gather_epi32 (zero, live, idx, w->muni, 2), low16);
  __m512i k = _mm512_and_si512 (_mm512_mask_i32gather_epi32 (zero, live, idx, w->mode, 1), low8);
  __m512i f = _mm512_and_si512 (_mm512_mask_i32gather_epi32 (zero, live, idx, w->flags, 1), low8);
  __m512i kd = _mm512_and_si512 (_mm512_mask_i32gather_epi32 (zero, live, idx, w->kind, 1), low8);
  __m512i birth_word = _mm512_mask_i32gather_epi32 (zero, live, idx, w->birth_week, 2);
  __m512i birth = _mm512_srai_epi32 (_mm512_slli_epi32 (birth_word, 16), 16); /* int16, sign-extended */
  __m512i age = _mm512_sub_epi32 (_mm512_set1_epi32 (e->week), birth);

  /* standing, sector, cell (at_work_in_full) */
  __m512i min_age = psim_screen_min_age (s, live, m);
  __m512i status = _mm512_permutexvar_epi32 (kd, _mm512_loadu_si512 (kind_tables));
  status = _mm512_mask_or_epi32 (status, _mm512_cmplt_epi32_mask (age, min_age), status,
                                 _mm512_set1_epi32 (PSIM_STATUS_UNDER_AGE));
  __mmask16 unregistered = _mm512_testn_epi32_mask (f, one);
  status = _mm512_mask_or_epi32 (status, unregistered, status, _mm512_set1_epi32 (PSIM_STATUS_UNREGISTERED));
  __m512i mk = _mm512_add_epi32 (_mm512_slli_epi32 (m, 3), k); /* PSIM_N_MODES == 8 */
  __m512i sector = psim_screen_sector (s, live, mk, status);
  __m512i cell = _mm512_add_epi32 (_mm512_slli_epi32 (mk, 2), sector); /* PSIM_SCREEN_SECTORS == 4 */
  __m512i violence_class = _mm512_permutexvar_epi32 (kd, _mm512_loadu_si512 (kind_tables + 16));
  __m512i young = _mm512_maskz_mov_epi32 (_mm512_cmplt_epi32_mask (age, _mm512_set1_epi32 (e->young_weeks)),
                                          _mm512_set1_epi32 (2));
  __m512i exploited = _mm512_and_si512 (_mm512_srli_epi32 (f, 1), one);
  __m512i row = _mm512_add_epi32 (_mm512_add_epi32 (violence_class, young), exploited);
  __m512i migrant2 = _mm512_and_si512 (_mm512_srli_epi32 (violence_class, 1), _mm512_set1_epi32 (2));

  /* the common week, or at_work_in_full */
  __m512i u_exploit = _mm512_or_si512 (
    _mm512_or_si512 (_mm512_slli_epi32 (_mm512_and_si512 (ua, low8), 16), _mm512_slli_epi32 (_mm512_and_si512 (ub, low8), 8)),
    _mm512_and_si512 (uc, low8));
  __mmask16 working = _mm512_cmpneq_epi32_mask (k, _mm512_set1_epi32 (PSIM_MODE_OUT))
                      & _mm512_cmplt_epi32_mask (sector, _mm512_set1_epi32 (PSIM_N_SECTORS));
  __mmask16 fast = live & working;
  __m512i inspect = _mm512_mask_i32gather_epi32 (zero, fast, cell, s->inspect, 4);
  /* falling into exploitation, or for the exploited getting out */
  __m512i turn = _mm512_mask_i32gather_epi32 (
    zero, fast, _mm512_add_epi32 (_mm512_slli_epi32 (cell, 2), _mm512_add_epi32 (migrant2, exploited)), s->exploit, 4);
  fast &= _mm512_cmpge_epu32_mask (_mm512_srli_epi32 (ua, 8), inspect) & _mm512_cmpge_epu32_mask (u_exploit, turn);
  __mmask16 exploited_lanes = _mm512_test_epi32_mask (exploited, exploited);

  /* 5. violence: below the bound of her class, the hazards of her trust */
  __m512i u_violence = _mm512_srli_epi32 (ub, 8);
  __m512i bound = _mm512_mask_i32gather_epi32 (
    zero, live, _mm512_add_epi32 (_mm512_mullo_epi32 (cell, _mm512_set1_epi32 (PSIM_N_WORK_ROWS)), row), s->violence, 4);
  __mmask16 maybe_hit = fast & _mm512_cmplt_epu32_mask (u_violence, bound);
  __m512i incidents = zero;
  if (maybe_hit)
    {
      const PsimParams *p = e->params;
      __m512i cls = _mm512_srli_epi32 (row, 1);
      __m512 hazard[PSIM_N_VIOLENCE], group[PSIM_N_VIOLENCE];
      for (int t = 0; t < PSIM_N_VIOLENCE; t++)
        {
          __m512i tt = _mm512_set1_epi32 (t);
          hazard[t] = _mm512_mask_i32gather_ps (_mm512_setzero_ps (), live,
                                                _mm512_add_epi32 (_mm512_slli_epi32 (cell, 2), tt), s->hazard, 4);
          group[t] = _mm512_permutexvar_ps (cls, _mm512_loadu_ps (e->class_violence[t]));
        }
      __m512i which[PSIM_N_VIOLENCE]; /* the VIOLENCE block (masked: the lists end at PSIM_CHUNK) */
      for (int t = 0; t < PSIM_N_VIOLENCE; t++)
        which[t] = _mm512_maskz_loadu_epi32 (maybe_hit, e->busy_draw[0][t] + q);
      __mmask16 first_bits[PSIM_N_VIOLENCE] = { 0 }, after_bits[PSIM_N_VIOLENCE] = { 0 }, occurs = 0;
      for (int half = 0; half < 2; half++)
        {
          __mmask8 lanes = (__mmask8) (maybe_hit >> (8 * half));
          if (!lanes)
            continue;
#define HALF_I(v) (half ? _mm512_extracti64x4_epi64 ((v), 1) : _mm512_castsi512_si256 (v))
#define HALF_F(v) _mm256_castsi256_ps (HALF_I (_mm512_castps_si512 (v)))
          const __m512d ones = _mm512_set1_pd (1.0);
          __m512d access = _mm512_permutexvar_pd (_mm512_cvtepi32_epi64 (HALF_I (sector)),
                                                  _mm512_loadu_pd (e->police_access));
          __m512d factor = _mm512_sub_pd (
            ones, _mm512_mul_pd (_mm512_mul_pd (_mm512_set1_pd (p->violence_protection), _mm512_cvtps_pd (HALF_F (trust))),
                                 access));
          factor = _mm512_mask_mul_pd (factor, (__mmask8) (exploited_lanes >> (8 * half)), factor,
                                       _mm512_set1_pd (p->violence_exploited));
          __m512d h[PSIM_N_VIOLENCE], not_h[PSIM_N_VIOLENCE], tail[PSIM_N_VIOLENCE];
          for (int t = 0; t < PSIM_N_VIOLENCE; t++)
            {
              h[t] = _mm512_min_pd (_mm512_mul_pd (_mm512_mul_pd (_mm512_cvtps_pd (HALF_F (hazard[t])), factor),
                                                   _mm512_cvtps_pd (HALF_F (group[t]))),
                                    ones);
              not_h[t] = _mm512_sub_pd (ones, h[t]);
            }
          tail[3] = not_h[3];
          tail[2] = _mm512_mul_pd (tail[3], not_h[2]);
          tail[1] = _mm512_mul_pd (tail[2], not_h[1]);
          tail[0] = _mm512_mul_pd (_mm512_mul_pd (not_h[0], not_h[1]), tail[2]);
          __m512d u = _mm512_mul_pd (_mm512_cvtepu32_pd (HALF_I (u_violence)), _mm512_set1_pd (1.0 / (1u << PSIM_U24_BITS)));
          __mmask8 any = _mm512_mask_cmp_pd_mask (lanes, u, _mm512_sub_pd (ones, tail[0]), _CMP_LT_OQ);
          occurs |= (__mmask16) ((unsigned) any << (8 * half));
          for (int t = 0; t < PSIM_N_VIOLENCE; t++)
            {
              __m512d v = _mm512_mul_pd (_mm512_cvtepu32_pd (HALF_I (which[t])), _mm512_set1_pd (1.0 / 4294967296.0));
              __mmask8 hf = _mm512_mask_cmp_pd_mask (any, _mm512_mul_pd (v, _mm512_sub_pd (ones, tail[t])), h[t], _CMP_LT_OQ);
              __mmask8 ha = _mm512_mask_cmp_pd_mask (any, v, h[t], _CMP_LT_OQ);
              first_bits[t] |= (__mmask16) ((unsigned) hf << (8 * half));
              after_bits[t] |= (__mmask16) ((unsigned) ha << (8 * half));
            }
#undef HALF_F
#undef HALF_I
        }
      __m512i hit_first = zero, hit_after = zero;
      for (int t = 0; t < PSIM_N_VIOLENCE; t++)
        {
          hit_first = _mm512_mask_or_epi32 (hit_first, first_bits[t], hit_first, _mm512_set1_epi32(1 << t));
          hit_after = _mm512_mask_or_epi32 (hit_after, after_bits[t], hit_after, _mm512_set1_epi32 (1 << t));
        }
      __m512i first = _mm512_and_si512 (hit_first, _mm512_sub_epi32 (zero, hit_first));
      incidents = _mm512_maskz_or_epi32 (
        occurs, first, _mm512_andnot_si512 (_mm512_sub_epi32 (_mm512_slli_epi32 (first, 1), one), hit_after));

      /* 6. reporting: a lane with an incident reported goes to
       * at_work_in_full; most are decided by the floor of the odds against
       * that any trust could give */
      __mmask16 hit = _mm512_test_epi32_mask (incidents, incidents);
      if (hit)
        {
          __m512i privacy = _mm512_and_si512 (_mm512_mask_i32gather_epi32 (zero, hit, idx, w->privacy, 1), low8);
          __m512i base = _mm512_add_epi32 (
            _mm512_slli_epi32 (
              _mm512_add_epi32 (
                _mm512_slli_epi32 (_mm512_add_epi32 (_mm512_mullo_epi32 (m, _mm512_set1_epi32 (PSIM_N_SECTORS)), sector), 1),
                _mm512_and_si512 (f, one)),
              1),
            exploited);
          __mmask16 reporting = 0;
          __m512i reports[PSIM_N_VIOLENCE]; /* the REPORT block */
          for (int t = 0; t < PSIM_N_VIOLENCE; t++)
            reports[t] = _mm512_maskz_loadu_epi32 (hit, e->busy_draw[1][t] + q);
          for (int half = 0; half < 2; half++)
            {
              __mmask8 lanes = (__mmask8) (hit >> (8 * half));
              if (!lanes)
                continue;
              __m256i base_h = half ? _mm512_extracti64x4_epi64 (base, 1) : _mm512_castsi512_si256 (base);
              __m256i privacy_h = half ? _mm512_extracti64x4_epi64 (privacy, 1) : _mm512_castsi512_si256 (privacy);
              __m512d odds_fixed = _mm512_mul_pd (
                _mm512_mask_i32gather_pd (_mm512_setzero_pd (), lanes, base_h, s->report_base, 8),
                _mm512_mask_i32gather_pd (_mm512_setzero_pd (), lanes, privacy_h, e->report_odds_privacy, 8));
              __m512d floor_against = _mm512_mul_pd (odds_fixed, _mm512_set1_pd (e->report_odds_trust_floor));
              __m512d u[PSIM_N_VIOLENCE];
              __mmask8 incident[PSIM_N_VIOLENCE], maybe = 0;
              for (int t = 0; t < PSIM_N_VIOLENCE; t++)
                {
                  __m512d against = t == PSIM_VIOLENCE_SOCIAL
                                      ? _mm512_mul_pd (floor_against, _mm512_set1_pd (e->report_social_odds))
                                      : floor_against;
                  __m256i r = half ? _mm512_extracti64x4_epi64 (reports[t], 1) : _mm512_castsi512_si256 (reports[t]);
                  u[t] = _mm512_mul_pd (_mm512_cvtepu32_pd (r), _mm512_set1_pd (1.0 / 4294967296.0));
                  incident[t] = (__mmask8) (_mm512_test_epi32_mask (incidents, _mm512_set1_epi32 (1 << t)) >> (8 * half));
                  maybe |= incident[t] & _mm512_mask_cmp_pd_mask (lanes, _mm512_mul_pd (u[t], _mm512_add_pd (_mm512_set1_pd (1.0), against)),
                                                                  _mm512_set1_pd (1.0), _CMP_LT_OQ);
                }
              if (!maybe)
                continue;
              /* an incident that might be reported: the odds of her own trust
               * (psim_engine_report_odds_trust, the same operations), and only
               * a lane with one reported goes to at_work_in_full (a third of
               * those that might) */
              __m256 trust_h = half ? _mm256_castsi256_ps (_mm512_extracti64x4_epi64 (_mm512_castps_si512 (trust), 1))
                                    : _mm512_castps512_ps256 (trust);
              __m512d at = _mm512_mul_pd (
                _mm512_cvtps_pd (_mm256_min_ps (_mm256_max_ps (trust_h, _mm256_setzero_ps ()), _mm256_set1_ps (1.0f))),
                _mm512_set1_pd (256.0));
              __m256i step = _mm512_cvttpd_epi32 (at);
              __m512d y = _mm512_mul_pd (_mm512_set1_pd (-p->report_trust),
                                         _mm512_div_pd (_mm512_sub_pd (at, _mm512_cvtepi32_pd (step)), _mm512_set1_pd (256.0)));
              const __m512d c1 = _mm512_set1_pd (1.0);
              __m512d series = _mm512_add_pd (
                c1, _mm512_mul_pd (
                      y, _mm512_add_pd (
                           c1, _mm512_mul_pd (
                                 y, _mm512_add_pd (
                                      _mm512_set1_pd (1.0 / 2),
                                      _mm512_mul_pd (y, _mm512_add_pd (_mm512_set1_pd (1.0 / 6),
                                                                       _mm512_mul_pd (y, _mm512_set1_pd (1.0 / 24)))))))));
              __m512d odds_against = _mm512_mul_pd (
                odds_fixed,
                _mm512_mul_pd (_mm512_mask_i32gather_pd (c1, maybe, step, e->report_odds_trust, 8), series));
              __mmask8 reported = 0;
              for (int t = 0; t < PSIM_N_VIOLENCE; t++)
                {
                  __m512d against = t == PSIM_VIOLENCE_SOCIAL
                                      ? _mm512_mul_pd (odds_against, _mm512_set1_pd (e->report_social_odds))
                                      : odds_against;
                  reported |= incident[t] & _mm512_mask_cmp_pd_mask (maybe, _mm512_mul_pd (u[t], _mm512_add_pd (c1, against)),
                                                                     c1, _CMP_LT_OQ);
                }
              reporting |= (__mmask16) ((unsigned) reported << (8 * half));
            }
          fast &= ~reporting;
          incidents = _mm512_maskz_mov_epi32 (fast, incidents);
        }
    }

  /* 7. a test; 9. the drift of trust */
  __m512i test = _mm512_mask_i32gather_epi32 (zero, fast, cell, s->test, 4);
  __mmask16 tested = fast & _mm512_cmplt_epu32_mask (_mm512_srli_epi32 (uc, 8), test);
  __m512 target = psim_screen_trust_target (s, fast, m, _mm512_and_si512 (f, one));
  __m512 drifted = _mm512_add_ps (trust, _mm512_mul_ps (_mm512_set1_ps ((float) e->params->trust_drift),
                                                        _mm512_sub_ps (target, trust)));
  _mm512_mask_i32scatter_ps (w->trust, fast, idx, drifted, 4);

  /* the stamps and tallies, lane by lane, without a branch inside: which
   * stamps a lane sets is random, and branches on it were mispredicted
   * (a stamp not set is written back as it was; a lane only tested adds no
   * incidents) */
  __mmask16 stamp = tested | _mm512_test_epi32_mask (incidents, incidents);
  if (stamp)
    {
      uint32_t lane_index[16], lane_incidents[16];
      _mm512_storeu_si512 (lane_index, idx);
      _mm512_storeu_si512 (lane_incidents, incidents);
      int16_t week = (int16_t) e->week;
      for (unsigned rest = stamp; rest != 0; rest &= rest - 1)
        {
          unsigned lane = (unsigned) __builtin_ctz (rest);
          gsize i = lane_index[lane];
          unsigned bits = lane_incidents[lane];
          int16_t before = w->last_test[i];
          w->last_test[i] = (tested >> lane) & 1u ? week : before;
          for (int t = 0; t < PSIM_N_VIOLENCE; t++)
            {
              int16_t last = w->last_violence[t][i];
              w->last_violence[t][i] = (bits >> t) & 1u ? week : last;
            }
          PsimAtWork a = { .muni = w->muni[i] };
          psim_engine_groups_of (e, i, a.groups);
          AT_FLOW_N (e, &a, incidents, psim_engine_count4 (bits));
        }
    }
  return live & ~fast;
}
#endif

/* Phases 4-9 in full for the busy workers of a chunk. Their VIOLENCE and
 * REPORT (extra 0) blocks are drawn together (whether used or not: a draw
 * that decides nothing changes nothing; the few who report draw the
 * outcome block, REPORT extra 1, on their own), then each goes through the
 * phases in turn. No phase looks at another worker, so the order does not
 * matter. */
void
psim_engine_at_work_busy (PsimEngine *e, gsize n_busy)
{
  PsimWorkers *w = &e->workers;
  const uint32_t *busy = e->busy_index;
  for (gsize q = 0; q < n_busy; q++)
    e->busy_serial[q] = w->serial[busy[q]];
  psim_rng_blocks_planar (&e->key, e->busy_serial, n_busy, (uint32_t) e->week, PSIM_DRAW_VIOLENCE, 0,
                          e->busy_draw[0]);
  psim_rng_blocks_planar (&e->key, e->busy_serial, n_busy, (uint32_t) e->week, PSIM_DRAW_REPORT, 0,
                          e->busy_draw[1]);
  gsize q = 0;
#ifdef PSIM_HAVE_AVX512
  if (e->vector_pass)
    {
      /* kind -> standing, kind -> 2 x violence class less the young bit */
      uint32_t kind_tables[32] = { 0 };
      for (int kd = 0; kd < PSIM_N_KINDS; kd++)
        {
          kind_tables[kd] = e->kind_status[kd];
          kind_tables[16 + kd] = e->kind_violence[kd];
        }
      /* the blocks first, then the lanes they left, listed (as in the
       * week's pass, engine_week.c: no branch after each block); the busy
       * list is a chunk's, so n_busy <= PSIM_CHUNK */
      uint32_t full[PSIM_CHUNK];
      gsize n_full = 0;
      G_STATIC_ASSERT (PSIM_CHUNK % 16 == 0);
      for (; q < n_busy; q += 16)
        {
          __mmask16 live = n_busy - q >= 16 ? 0xffffu : (__mmask16) ((1u << (n_busy - q)) - 1u);
          n_full += psim_list_lanes (full + n_full, busy_block_avx512 (e, q, live, kind_tables), q);
        }
      for (gsize k = 0; k < n_full; k++)
        {
          gsize r = full[k];
          at_work_in_full (e, busy[r], e->busy_week[0][r], e->busy_week[1][r], e->busy_week[2][r], r,
                           e->busy_trust[r]);
        }
      return;
    }
#endif
  for (; q < n_busy; q++)
    at_work_in_full (e, busy[q], e->busy_week[0][q], e->busy_week[1][q], e->busy_week[2][q], q, e->busy_trust[q]);
}

/* Phases 4-9 of those who chose this week (the week's pass did the others):
 * as there, the drift of trust at once for everyone, the phases in full for
 * the busy, a chunk at a time. */
void
psim_engine_at_work_applicants (PsimEngine *e)
{
  PsimWorkers *w = &e->workers;
  const int week = e->week;
  const float drift = (float) e->params->trust_drift;
  const gsize n = e->n_applicants;
  for (gsize base = 0; base < n; base += PSIM_CHUNK)
    {
      gsize end = MIN (base + PSIM_CHUNK, n), n_busy = 0;
      for (gsize q = base; q < end; q++)
        {
          gsize i = e->applicants[q];
          const PsimMuniRun *mr = &e->munis[w->muni[i]];
          unsigned f = w->flags[i], kd = w->kind[i];
          int age = week - w->birth_week[i];
          const PsimWorkBelow *t = mr->below_by_status[w->mode[i]][psim_engine_status (e, i)]
                                   + e->kind_violence[kd] + 2u * (age < e->young_weeks)
                                   + ((f & PSIM_WF_EXPLOITED) >> 1);
          uint32_t a = e->apply_week[0][q], b = e->apply_week[1][q], c = e->apply_week[2][q];
          float old = w->trust[i];
          w->trust[i] = old + drift * (mr->trust_target[f & PSIM_WF_REGISTERED] - old);
          e->busy_index[n_busy] = (uint32_t) i;
          e->busy_trust[n_busy] = old;
          e->busy_week[0][n_busy] = a;
          e->busy_week[1][n_busy] = b;
          e->busy_week[2][n_busy] = c;
          n_busy += psim_engine_busy (t, a, b, c);
        }
      if (n_busy > 0)
        psim_engine_at_work_busy (e, n_busy);
    }
}

/* The places lost in phases 4-9 (evictions, outings, reports that cost a
 * workplace) free up now: after the choice and the prices, as when those
 * phases ran after them. */
void
psim_engine_vacate (PsimEngine *e)
{
  for (gsize q = 0; q < e->n_vacated; q++)
    {
      PsimMuniRun *mr = &e->munis[e->vacated[q] >> 8];
      mr->occupied[e->vacated[q] & 0xffu]--;
      mr->occupied[PSIM_MODE_OUT]++;
    }
  e->n_vacated = 0;
}
