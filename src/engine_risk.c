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
      const float *group = e->class_violence[a->cls];
      for (int t = 0; t < PSIM_N_VIOLENCE; t++)
        h[t] = MIN ((double) cell->hazard[t] * factor * group[t], 1.0);
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
    w->last_violence[t][a->i] = (incidents >> t) & 1u ? week : w->last_violence[t][a->i];
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
  for (gsize q = 0; q < n_busy; q++)
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
