/* permitsim: the week's pass over every worker (MODEL.md §4, phases 2 and
 * 4-9).
 *
 * Each worker draws one block a week. Its word 0 decides, in phase 2,
 * whether her career ends and whether she reconsiders her workplace; words
 * 1-3 are the uniforms of phases 4-9. A worker who neither leaves nor
 * chooses this week keeps her workplace through phase 3, so her phases 4-9
 * are run here at once, while her fields are in the registers; those who
 * choose are listed and get theirs after the choice
 * (psim_engine_at_work_applicants, engine_risk.c). psim_engine_step
 * (engine.c) says why that is the same as running the phases in turn.
 */
#include "engine_internal.h"

#include <string.h>

/* A career ends with a weekly hazard (mean career length), raised in its
 * first year, for a while after a physical or sexual incident and after a
 * sanction, and while out of work (the exit class, see init_exit_tables in
 * engine.c); it ends for sure at the maximum age or after too long out. A
 * worker who stays reconsiders her workplace this week: always when
 * evicted, caught or displaced; otherwise with a weekly probability
 * (inertia), higher while waiting for a place or out of work. Nothing that
 * depends on changes before the choice phase, so both are decided from word
 * 0 of her weekly block. Leavers stay in the arrays, flagged, until the
 * week's end, so that the week's lists keep their indices.
 *
 * Phases 4-9 of one who stays put: to most workers nothing but the drift of
 * trust can happen this week (each of her four uniforms is above its
 * threshold for her mode, sector and class, psim_engine_busy; for violence a
 * bound that ignores her protection; out of work, only a way out of
 * exploitation can happen), and she drifts at once (phase 9). The others of
 * a chunk are listed and go through phases 4-9 in full at the chunk's end
 * (psim_engine_at_work_busy), while the chunk is still in the cache. */
void
psim_engine_week_pass (PsimEngine *e)
{
  PsimWorkers *w = &e->workers;
  psim_engine_reserve_scratch (e);
  /* the pass reads these through locals: its stores cannot change them */
  const int week = e->week, shock = e->shock_weeks, young_weeks = e->young_weeks;
  const int max_age_weeks = e->max_age_weeks, max_out_weeks = e->max_out_weeks;
  PsimMuniRun *const munis = e->munis;
  const uint16_t *muni = w->muni;
  const uint8_t *mode = w->mode, *kind = w->kind;
  uint8_t *flags = w->flags;
  const int16_t *birth_week = w->birth_week, *career_start = w->career_start;
  const int16_t *mode_since = w->mode_since, *last_physical = w->last_physical;
  const int16_t *last_sexual = w->last_sexual, *last_sanction = w->last_sanction;
  float *trust = w->trust;
  const uint32_t *u0 = e->chunk_draws[0], *u1 = e->chunk_draws[1];
  const uint32_t *u2 = e->chunk_draws[2], *u3 = e->chunk_draws[3];
  uint32_t *leavers = e->leavers, *applicants = e->applicants;
  uint32_t *apply_week[3] = { e->apply_week[0], e->apply_week[1], e->apply_week[2] };
  uint32_t *busy = e->busy_index, *busy_week[3] = { e->busy_week[0], e->busy_week[1], e->busy_week[2] };
  float *busy_trust = e->busy_trust;
  const uint64_t *exit_below = e->exit_below;
  const uint64_t (*reconsider_below)[PSIM_N_RECONSIDER] = e->reconsider_below;
  uint64_t quiet_from[2][PSIM_N_RECONSIDER];
  memcpy (quiet_from, e->quiet_from, sizeof quiet_from);
  uint8_t kind_status[PSIM_N_KINDS], kind_violence[PSIM_N_KINDS];
  memcpy (kind_status, e->kind_status, sizeof kind_status);
  memcpy (kind_violence, e->kind_violence, sizeof kind_violence);
  const float drift = (float) e->params->trust_drift;
  G_STATIC_ASSERT (PSIM_WF_REGISTERED == 1u && PSIM_WF_EXPLOITED == 2u);

  gsize n_leavers = 0, n_applicants = 0;
  const gsize n_workers = w->n;
  for (gsize base = 0; base < n_workers; base += PSIM_CHUNK)
    {
      gsize n = MIN ((gsize) PSIM_CHUNK, n_workers - base), n_busy = 0;
      psim_rng_blocks_planar (&e->key, w->serial + base, n, (uint32_t) week, PSIM_DRAW_WEEK, 0,
                              e->chunk_draws);
      for (gsize j = 0; j < n; j++)
        {
          gsize i = base + j;
          unsigned f = flags[i], k = mode[i];
          unsigned out = k == PSIM_MODE_OUT;
          uint64_t u = u0[j];
          int age = week - birth_week[i];
          /* phase 2. Most weeks of most workers: a uniform too high for
           * anything whatever her exit class, and no forced exit */
          if (G_UNLIKELY ((u < quiet_from[out][PSIM_RECONSIDER_FLAGS (f)]) | (age >= max_age_weeks) | out))
            {
              int violent = MAX (last_physical[i], last_sexual[i]);
              unsigned cls = (unsigned) (week - career_start[i] < PSIM_WEEKS_PER_YEAR)
                             | (unsigned) (week - violent < shock) << 1
                             | (unsigned) (week - last_sanction[i] < shock) << 2 | out << 3;
              unsigned forced = (unsigned) (age >= max_age_weeks)
                                | (out & (unsigned) (week - mode_since[i] > max_out_weeks));
              if (G_UNLIKELY (forced | (u < exit_below[cls])))
                {
                  PsimMuniRun *mr = &munis[muni[i]];
                  flags[i] = (uint8_t) (f | PSIM_WF_LEAVING);
                  leavers[n_leavers++] = (uint32_t) i;
                  mr->occupied[k]--;
                  mr->population--;
                  mr->week_exits++;
                  continue;
                }
              if (u < reconsider_below[cls][PSIM_RECONSIDER_FLAGS (f)])
                {
                  apply_week[0][n_applicants] = u1[j];
                  apply_week[1][n_applicants] = u2[j];
                  apply_week[2][n_applicants] = u3[j];
                  applicants[n_applicants++] = (uint32_t) i;
                  continue;
                }
            }

          /* phases 4-9 of one who stays put */
          const PsimMuniRun *mr = &munis[muni[i]];
          unsigned kd = kind[i];
          unsigned status = kind_status[kd] | (age < mr->min_age_weeks ? PSIM_STATUS_UNDER_AGE : 0u)
                            | ((~f & PSIM_WF_REGISTERED) ? PSIM_STATUS_UNREGISTERED : 0u);
          const PsimWorkBelow *t = mr->below_by_status[k][status] + kind_violence[kd] + 2u * (age < young_weeks)
                                   + ((f & PSIM_WF_EXPLOITED) >> 1);
          uint32_t a = u1[j], b = u2[j], c = u3[j];
          /* everyone drifts now (phase 9); the busy get their trust back
           * for phases 4-8 and drift after them. Written for everyone, kept
           * for the busy: no branch, and the drift waits for nothing. */
          float target = mr->trust_target[f & PSIM_WF_REGISTERED];
          float old = trust[i];
          trust[i] = old + drift * (target - old);
          busy[n_busy] = (uint32_t) i;
          busy_trust[n_busy] = old;
          busy_week[0][n_busy] = a;
          busy_week[1][n_busy] = b;
          busy_week[2][n_busy] = c;
          n_busy += psim_engine_busy (t, a, b, c);
        }
      if (n_busy > 0)
        psim_engine_at_work_busy (e, n_busy);
    }
  e->n_leavers = n_leavers;
  e->n_applicants = n_applicants;
}
