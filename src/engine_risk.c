/* permitsim: what happens to workers where they work (MODEL.md §4, phases 4-9).
 *
 * Enforcement, violence, reporting to the police, STI/HIV testing,
 * exploitation and trust. None of these phases looks at another worker, so
 * they run as one pass: each worker in turn goes through phases 4 to 9 in
 * MODEL.md's order, which gives exactly what six passes would, at a sixth of
 * the memory traffic. Each reads the municipality's tables for this week
 * (engine_market.c) and the worker's own state, and draws from the worker's
 * own counter, so the same worker in the same week makes the same draws in a
 * scenario and its baseline.
 */
#include "engine_internal.h"

#include <math.h>

/* What the phases of one worker share this week. */
typedef struct {
  gsize i;
  const PsimMuniRun *mr;
  PsimSector sector;  /* PSIM_N_SECTORS while out of work */
  PsimSector worked_as; /* the sector at the start of phase 4 */
  const uint32_t *u;  /* the second weekly block: inspection, violence, test, exploitation */
  gboolean inspected;
  unsigned incidents; /* bit per violence type, this week */
} PsimAtWork;

static void
lower_trust (PsimWorkers *w, gsize i, double amount)
{
  w->trust[i] = (float) CLAMP (w->trust[i] - amount, 0.0, 1.0);
}

/* Leaves the workplace and must choose again next week. */
static void
lose_workplace (PsimEngine *e, PsimAtWork *a)
{
  psim_engine_set_mode (e, a->i, PSIM_MODE_OUT);
  e->workers.flags[a->i] |= PSIM_WF_MUST_CHOOSE;
  a->sector = PSIM_N_SECTORS;
}

/* Detection ends an exploitative situation (victim support follows). */
static void
detect_exploitation (PsimEngine *e, gsize i)
{
  e->workers.flags[i] &= (uint8_t) ~PSIM_WF_EXPLOITED;
  PSIM_FLOW (e, i, exploitation_detected);
  PSIM_FLOW (e, i, exploitation_exits);
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
  PsimWorkers *w = &e->workers;
  const PsimParams *p = e->params;
  gsize i = a->i;
  if (a->sector == PSIM_N_SECTORS
      || psim_rng_u01_32 (a->u[PSIM_U_INSPECTION]) >= a->mr->cell[w->mode[i]][a->sector].p_inspect)
    return;
  a->inspected = TRUE;
  PSIM_FLOW (e, i, inspections);
  lower_trust (w, i, p->inspection_trust_loss);

  uint32_t r[4];
  psim_rng_block (&e->key, w->serial[i], (uint32_t) e->week, PSIM_DRAW_ENFORCEMENT, 0, r);
  double sanction = a->sector == PSIM_SECTOR_ILLEGAL ? 1.0 : p->unlicensed_sanction_factor;
  gboolean fined = psim_rng_u01_32 (r[0]) < p->fine_probability * sanction;
  gboolean evicted = psim_rng_u01_32 (r[1]) < p->eviction_probability * sanction;
  gboolean outed = psim_rng_u01_32 (r[2]) < p->outing_probability * sanction;
  if (fined)
    PSIM_FLOW (e, i, fines);
  if (evicted)
    PSIM_FLOW (e, i, evictions);
  if (outed)
    PSIM_FLOW (e, i, outings);
  if (fined || evicted || outed)
    {
      lower_trust (w, i, p->sanction_trust_loss);
      w->last_sanction[i] = (int16_t) e->week;
      w->flags[i] |= PSIM_WF_MUST_CHOOSE;
    }
  if ((w->flags[i] & PSIM_WF_EXPLOITED) && psim_rng_u01_32 (r[3]) < p->detection_per_inspection)
    detect_exploitation (e, i);
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
  PsimWorkers *w = &e->workers;
  const PsimParams *p = e->params;
  gsize i = a->i;
  gboolean working = a->sector != PSIM_N_SECTORS;
  if (!working && !a->inspected)
    return;
  double u = psim_rng_u01_32 (a->u[PSIM_U_VIOLENCE]);
  double h[PSIM_N_VIOLENCE] = { 0.0 }, none = 1.0;
  if (working)
    {
      const PsimCell *cell = &a->mr->cell[w->mode[i]][a->sector];
      int exploited = (w->flags[i] & PSIM_WF_EXPLOITED) != 0;
      int young = e->week - w->birth_week[i] < e->young_weeks;
      int migrant = w->origin[i] != PSIM_ORIGIN_DUTCH;
      int cls = w->gender[i] * 4 + migrant * 2 + young;
      if (!a->inspected && u >= a->mr->any_bound[w->mode[i]][a->sector][cls][exploited])
        return; /* no incident, whatever her trust */
      double factor = 1.0 - p->violence_protection * w->trust[i] * psim_engine_police_access (p, a->sector);
      if (exploited)
        factor *= p->violence_exploited;
      const float *group = e->class_violence[cls];
      for (int t = 0; t < PSIM_N_VIOLENCE; t++)
        h[t] = MIN ((double) cell->hazard[t] * factor * group[t], 1.0);
    }
  /* an inspection that ended in eviction or outing still happened */
  if (a->inspected)
    h[PSIM_VIOLENCE_SOCIAL] = 1.0 - (1.0 - h[PSIM_VIOLENCE_SOCIAL]) * (1.0 - p->violence_per_inspection);
  for (int t = 0; t < PSIM_N_VIOLENCE; t++)
    none *= 1.0 - h[t];
  if (u >= 1.0 - none)
    return;
  uint32_t r[4];
  psim_rng_block (&e->key, w->serial[i], (uint32_t) e->week, PSIM_DRAW_VIOLENCE, 0, r);
  double tail_none[PSIM_N_VIOLENCE + 1];
  tail_none[PSIM_N_VIOLENCE] = 1.0;
  for (int t = PSIM_N_VIOLENCE - 1; t >= 0; t--)
    tail_none[t] = tail_none[t + 1] * (1.0 - h[t]);
  gboolean need = TRUE;
  for (int t = 0; t < PSIM_N_VIOLENCE; t++)
    {
      double chance = need ? h[t] / (1.0 - tail_none[t]) : h[t];
      if (psim_rng_u01_32 (r[t]) < chance)
        {
          need = FALSE;
          a->incidents |= 1u << t;
          w->last_violence[t][i] = (int16_t) e->week;
          PSIM_FLOW (e, i, incidents);
        }
    }
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
  PsimWorkers *w = &e->workers;
  const PsimParams *p = e->params;
  gsize i = a->i;
  if (a->incidents == 0)
    return;
  /* a worker evicted this week reports as what she was doing */
  PsimSector s = a->worked_as;
  double logit = p->report_intercept + p->report_trust * w->trust[i]
                 + p->report_anonymity * (w->privacy[i] / 255.0);
  if (s == PSIM_SECTOR_UNLICENSED)
    logit += p->report_unlicensed;
  else if (s == PSIM_SECTOR_ILLEGAL)
    logit += p->report_illegal;
  if (w->flags[i] & PSIM_WF_REGISTERED)
    logit += p->report_registered;
  if (a->mr->rules.client_criminalisation)
    logit += p->report_client_criminalisation;
  gboolean exploited = (w->flags[i] & PSIM_WF_EXPLOITED) != 0;
  if (exploited)
    logit += p->report_exploited;

  uint32_t r[4];
  psim_rng_block (&e->key, w->serial[i], (uint32_t) e->week, PSIM_DRAW_REPORT, 0, r);
  unsigned reported = 0;
  for (int t = 0; t < PSIM_N_VIOLENCE; t++)
    {
      if (!(a->incidents & (1u << t)))
        continue;
      double x = logit + (t == PSIM_VIOLENCE_SOCIAL ? p->report_social : 0.0);
      if (psim_rng_u01_32 (r[t]) < 1.0 / (1.0 + exp (-x)))
        reported |= 1u << t;
    }
  if (reported == 0)
    return;

  uint32_t outcome[4];
  psim_rng_block (&e->key, w->serial[i], (uint32_t) e->week, PSIM_DRAW_REPORT, 1, outcome);
  double backfire = s == PSIM_SECTOR_ILLEGAL ? p->report_backfire_illegal
                    : s == PSIM_SECTOR_UNLICENSED ? p->report_backfire_unlicensed
                                                  : 0.0;
  gboolean lost = FALSE;
  for (int t = 0; t < PSIM_N_VIOLENCE; t++)
    {
      if (!(reported & (1u << t)))
        continue;
      PSIM_FLOW (e, i, reports);
      double u = psim_rng_u01_32 (outcome[t]);
      if (u < p->report_taken_seriously)
        w->trust[i] = (float) MIN (w->trust[i] + p->report_trust_gain, 1.0);
      else if (u < p->report_taken_seriously + backfire)
        {
          lower_trust (w, i, p->report_backfire_trust_loss);
          lost = TRUE;
        }
      else
        lower_trust (w, i, p->report_dismissed_trust_loss);
    }
  w->last_report[i] = (int16_t) e->week;
  if (exploited && psim_rng_uniform (&e->key, w->serial[i], (uint32_t) e->week, PSIM_DRAW_REPORT, 2)
                     < p->detection_per_report)
    detect_exploitation (e, i);
  if (lost)
    {
      w->last_sanction[i] = (int16_t) e->week;
      if (w->mode[i] != PSIM_MODE_OUT)
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
  PsimWorkers *w = &e->workers;
  gsize i = a->i;
  if (w->mode[i] == PSIM_MODE_OUT)
    return;
  if (psim_rng_u01_32 (a->u[PSIM_U_CARE]) < a->mr->cell[w->mode[i]][a->sector].p_test)
    w->last_test[i] = (int16_t) e->week;
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
  PsimWorkers *w = &e->workers;
  gsize i = a->i;
  int k = w->mode[i];
  double u = psim_rng_u01_32 (a->u[PSIM_U_EXPLOITATION]);
  if (w->flags[i] & PSIM_WF_EXPLOITED)
    {
      if (u >= a->mr->p_exploit_exit[k])
        return;
      double cause = psim_rng_uniform (&e->key, w->serial[i], (uint32_t) e->week, PSIM_DRAW_WEEK, 2);
      if (cause < a->mr->p_detect_share[k])
        detect_exploitation (e, i);
      else
        {
          w->flags[i] &= (uint8_t) ~PSIM_WF_EXPLOITED;
          PSIM_FLOW (e, i, exploitation_exits);
        }
      return;
    }
  if (k == PSIM_MODE_OUT)
    return;
  if (u < a->mr->cell[k][a->sector].p_exploit[w->origin[i] != PSIM_ORIGIN_DUTCH])
    w->flags[i] |= PSIM_WF_EXPLOITED | PSIM_WF_EVER_EXPLOITED;
}

/* ---------- 9. trust ---------- */

/* Trust drifts toward a target set by policy: participation of sex workers
 * and a sex-worker-led organisation raise it, registration (municipal or at
 * the GGD) lowers it; encounters moved it directly in the phases above. */
static void
drift_trust (PsimEngine *e, PsimAtWork *a)
{
  PsimWorkers *w = &e->workers;
  gsize i = a->i;
  float target = a->mr->trust_target[(w->flags[i] & PSIM_WF_REGISTERED) ? 1 : 0];
  w->trust[i] += (float) e->params->trust_drift * (target - w->trust[i]);
}

/* ---------- phases 4-9, worker by worker ---------- */

void
psim_engine_at_work (PsimEngine *e)
{
  PsimWorkers *w = &e->workers;
  for (gsize base = 0; base < w->n; base += PSIM_CHUNK)
    {
      gsize n = MIN ((gsize) PSIM_CHUNK, w->n - base);
      const uint32_t *u = psim_engine_draw_chunk (e, base, n, 1);
      for (gsize j = 0; j < n; j++)
        {
          PsimAtWork a = { .i = base + j, .mr = &e->munis[w->muni[base + j]], .u = u + 4 * j };
          a.sector = w->mode[a.i] == PSIM_MODE_OUT ? PSIM_N_SECTORS : psim_engine_sector (e, a.i);
          a.worked_as = a.sector;
          enforce (e, &a);      /* 4 */
          violence (e, &a);     /* 5 */
          report (e, &a);       /* 6 */
          care (e, &a);         /* 7 */
          exploitation (e, &a); /* 8 */
          drift_trust (e, &a);  /* 9 */
        }
    }
}
