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
 *
 * The pass has two forms that give the same bytes: one worker at a time
 * (pass_worker), and, where the CPU has AVX-512, sixteen at a time for the
 * common week (a worker who stays put), with the rest left to pass_worker.
 * The tests run both on the same weeks and compare every field.
 */
#include "engine_internal.h"

#include <string.h>

#ifdef PSIM_HAVE_AVX512
#include <immintrin.h>
#endif

/* The pass's locals: its stores cannot change them. */
typedef struct {
  int week, shock, young_weeks, max_age_weeks, max_out_weeks;
  PsimMuniRun *munis;
  const uint16_t *muni;
  const uint8_t *mode, *kind;
  uint8_t *flags;
  const int16_t *birth_week, *career_start, *mode_since, *last_physical, *last_sexual, *last_sanction;
  float *trust;
  const uint32_t *u0, *u1, *u2, *u3; /* the chunk's weekly blocks, word by word */
  uint32_t *leavers, *applicants, *apply_week[3];
  uint32_t *busy, *busy_week[3];
  float *busy_trust;
  const uint64_t *exit_below;
  const uint64_t (*reconsider_below)[PSIM_N_RECONSIDER];
  uint64_t quiet_from[2][PSIM_N_RECONSIDER];
  uint8_t kind_status[PSIM_N_KINDS], kind_violence[PSIM_N_KINDS];
  float drift;
  gsize n_leavers, n_applicants, n_busy;
} Pass;

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
 * bound that ignores her protection), and she drifts at once (phase 9). The
 * others are listed and go through phases 4-9 in full at the chunk's end
 * (psim_engine_at_work_busy), while the chunk is still in the cache.
 *
 * Worker i, at j in the chunk. */
static inline void
pass_worker (Pass *p, gsize i, gsize j)
{
  unsigned f = p->flags[i], k = p->mode[i];
  unsigned out = k == PSIM_MODE_OUT;
  uint64_t u = p->u0[j];
  int week = p->week;
  int age = week - p->birth_week[i];
  /* phase 2. Most weeks of most workers: a uniform too high for anything
   * whatever her exit class, and no forced exit */
  if (G_UNLIKELY ((u < p->quiet_from[out][PSIM_RECONSIDER_FLAGS (f)]) | (age >= p->max_age_weeks) | out))
    {
      int violent = MAX (p->last_physical[i], p->last_sexual[i]);
      unsigned cls = (unsigned) (week - p->career_start[i] < PSIM_WEEKS_PER_YEAR)
                     | (unsigned) (week - violent < p->shock) << 1
                     | (unsigned) (week - p->last_sanction[i] < p->shock) << 2 | out << 3;
      unsigned forced = (unsigned) (age >= p->max_age_weeks)
                        | (out & (unsigned) (week - p->mode_since[i] > p->max_out_weeks));
      if (G_UNLIKELY (forced | (u < p->exit_below[cls])))
        {
          PsimMuniRun *mr = &p->munis[p->muni[i]];
          p->flags[i] = (uint8_t) (f | PSIM_WF_LEAVING);
          p->leavers[p->n_leavers++] = (uint32_t) i;
          mr->occupied[k]--;
          mr->population--;
          mr->week_exits++;
          return;
        }
      if (u < p->reconsider_below[cls][PSIM_RECONSIDER_FLAGS (f)])
        {
          p->apply_week[0][p->n_applicants] = p->u1[j];
          p->apply_week[1][p->n_applicants] = p->u2[j];
          p->apply_week[2][p->n_applicants] = p->u3[j];
          p->applicants[p->n_applicants++] = (uint32_t) i;
          return;
        }
    }

  /* phases 4-9 of one who stays put */
  const PsimMuniRun *mr = &p->munis[p->muni[i]];
  unsigned kd = p->kind[i];
  unsigned status = p->kind_status[kd] | (age < mr->min_age_weeks ? PSIM_STATUS_UNDER_AGE : 0u)
                    | ((~f & PSIM_WF_REGISTERED) ? PSIM_STATUS_UNREGISTERED : 0u);
  const PsimWorkBelow *t = mr->below_by_status[k][status] + p->kind_violence[kd]
                           + 2u * (age < p->young_weeks) + ((f & PSIM_WF_EXPLOITED) >> 1);
  uint32_t a = p->u1[j], b = p->u2[j], c = p->u3[j];
  /* everyone drifts now (phase 9); the busy get their trust back for phases
   * 4-8 and drift after them. Written for everyone, kept for the busy: no
   * branch, and the drift waits for nothing. */
  float target = mr->trust_target[f & PSIM_WF_REGISTERED];
  float old = p->trust[i];
  p->trust[i] = old + p->drift * (target - old);
  gsize n = p->n_busy;
  p->busy[n] = (uint32_t) i;
  p->busy_trust[n] = old;
  p->busy_week[0][n] = a;
  p->busy_week[1][n] = b;
  p->busy_week[2][n] = c;
  p->n_busy = n + psim_engine_busy (t, a, b, c);
}

/* ---------- the vector form ---------- */

gboolean
psim_engine_vector_pass_available (void)
{
#ifdef PSIM_HAVE_AVX512
  return __builtin_cpu_supports ("avx512f") != 0;
#else
  return FALSE;
#endif
}

void
psim_engine_screen_alloc (PsimEngine *e)
{
  gsize m = (gsize) e->n_munis, mk = m * PSIM_N_MODES, cells = mk * PSIM_SCREEN_SECTORS;
  PsimScreen *s = &e->screen;
  s->few_munis = m <= PSIM_SCREEN_FEW;
  s->min_age_weeks = g_new0 (int32_t, MAX (m, (gsize) PSIM_SCREEN_FEW));
  s->trust_target = g_new0 (float, 2 * MAX (m, (gsize) PSIM_SCREEN_FEW));
  s->sector = g_new0 (int32_t, mk * PSIM_N_STATUS);
  s->sector_nibbles = g_new0 (uint32_t, PSIM_SCREEN_FEW * PSIM_N_MODES);
  s->inspect = g_new0 (uint32_t, cells);
  s->test = g_new0 (uint32_t, cells);
  s->exploit = g_new0 (uint32_t, cells * 4);
  s->violence = g_new0 (uint32_t, cells * PSIM_N_WORK_ROWS);
  s->hazard = g_new0 (float, cells * PSIM_N_VIOLENCE);
  s->report_base = g_new0 (double, m * PSIM_N_SECTORS * 4);
}

void
psim_engine_screen_free (PsimEngine *e)
{
  PsimScreen *s = &e->screen;
  g_free (s->min_age_weeks);
  g_free (s->trust_target);
  g_free (s->sector);
  g_free (s->sector_nibbles);
  g_free (s->inspect);
  g_free (s->test);
  g_free (s->exploit);
  g_free (s->violence);
  g_free (s->hazard);
  g_free (s->report_base);
  memset (s, 0, sizeof *s);
}

/* The flat tables, from the municipalities' records of this week. In a
 * record, the inspection and test thresholds are the same for every row and
 * the exploitation threshold depends only on migrant and exploited
 * (prepare_rules, engine_tables.c); the flat tables keep one of each. */
static void
screen_prepare (PsimEngine *e)
{
  PsimScreen *s = &e->screen;
  for (int m = 0; m < e->n_munis; m++)
    {
      const PsimMuniRun *mr = &e->munis[m];
      s->min_age_weeks[m] = mr->min_age_weeks;
      s->trust_target[2 * m] = mr->trust_target[0];
      s->trust_target[2 * m + 1] = mr->trust_target[1];
      for (int k = 0; k < PSIM_N_MODES; k++)
        {
          gsize mk = (gsize) m * PSIM_N_MODES + (gsize) k;
          uint32_t nibbles = 0;
          for (unsigned st = 0; st < PSIM_N_STATUS; st++)
            {
              s->sector[mk * PSIM_N_STATUS + st] = mr->sector[k][st];
              nibbles |= (uint32_t) mr->sector[k][st] << (4 * st);
            }
          if (s->few_munis)
            s->sector_nibbles[mk] = nibbles;
          for (int sec = 0; sec < PSIM_SCREEN_SECTORS; sec++)
            {
              gsize cell = mk * PSIM_SCREEN_SECTORS + (gsize) sec;
              const PsimWorkBelow *below = mr->below[k][sec];
              s->inspect[cell] = below[0].inspect;
              s->test[cell] = below[0].test;
              for (int migrant = 0; migrant < 2; migrant++)
                for (int exploited = 0; exploited < 2; exploited++)
                  s->exploit[cell * 4 + (gsize) (2 * migrant + exploited)] = below[4 * migrant + exploited].exploit;
              for (int r = 0; r < PSIM_N_WORK_ROWS; r++)
                s->violence[cell * PSIM_N_WORK_ROWS + (gsize) r] = below[r].violence;
              for (int t = 0; t < PSIM_N_VIOLENCE; t++)
                s->hazard[cell * PSIM_N_VIOLENCE + (gsize) t] = sec < PSIM_N_SECTORS ? mr->cell[k][sec].hazard[t] : 0.0f;
            }
        }
      for (int sec = 0; sec < PSIM_N_SECTORS; sec++)
        for (int registered = 0; registered < 2; registered++)
          for (int exploited = 0; exploited < 2; exploited++)
            s->report_base[(((gsize) m * PSIM_N_SECTORS + (gsize) sec) * 2 + (gsize) registered) * 2 + (gsize) exploited]
              = e->report_odds_base[sec][registered][mr->rules.client_criminalisation != 0][exploited];
    }
}

#ifdef PSIM_HAVE_AVX512
/* Sixteen workers from i (at j in the chunk): those who stay put and whose
 * phase 2 is quiet get pass_worker's phases 4-9 screening here (drift,
 * busy list); returns the mask of the others, for pass_worker. The same
 * integer tests and the same float arithmetic as pass_worker (a subtraction,
 * a product and a sum, each rounded: no fused multiply-add). */
__attribute__ ((target ("avx512f"))) static unsigned
pass_block_avx512 (Pass *p, const PsimScreen *s, const uint32_t *kind_tables, gsize i, gsize j)
{
  const __m512i iota = _mm512_setr_epi32 (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512i one = _mm512_set1_epi32 (1);
  __m512i f = _mm512_cvtepu8_epi32 (_mm_loadu_si128 ((const __m128i *) (p->flags + i)));
  __m512i k = _mm512_cvtepu8_epi32 (_mm_loadu_si128 ((const __m128i *) (p->mode + i)));
  __m512i kd = _mm512_cvtepu8_epi32 (_mm_loadu_si128 ((const __m128i *) (p->kind + i)));
  __m512i m = _mm512_cvtepu16_epi32 (_mm256_loadu_si256 ((const __m256i *) (p->muni + i)));
  __m512i birth = _mm512_cvtepi16_epi32 (_mm256_loadu_si256 ((const __m256i *) (p->birth_week + i)));
  __m512i age = _mm512_sub_epi32 (_mm512_set1_epi32 (p->week), birth);
  __m512i u = _mm512_loadu_si512 (p->u0 + j);

  /* phase 2 is quiet: u at or above quiet_from[out][flags], not too old, not out */
  __mmask16 out = _mm512_cmpeq_epi32_mask (k, _mm512_set1_epi32 (PSIM_MODE_OUT));
  __m512i q_index = _mm512_add_epi32 (_mm512_and_si512 (_mm512_srli_epi32 (f, 2), _mm512_set1_epi32 (3)),
                                      _mm512_maskz_mov_epi32 (out, _mm512_set1_epi32 (PSIM_N_RECONSIDER)));
  __m512i quiet_table = _mm512_loadu_si512 (&p->quiet_from[0][0]);
  __m512i q_lo = _mm512_permutexvar_epi64 (_mm512_cvtepu32_epi64 (_mm512_castsi512_si256 (q_index)), quiet_table);
  __m512i q_hi = _mm512_permutexvar_epi64 (_mm512_cvtepu32_epi64 (_mm512_extracti64x4_epi64 (q_index, 1)),
                                           quiet_table);
  __mmask8 low_lo = _mm512_cmplt_epu64_mask (_mm512_cvtepu32_epi64 (_mm512_castsi512_si256 (u)), q_lo);
  __mmask8 low_hi = _mm512_cmplt_epu64_mask (_mm512_cvtepu32_epi64 (_mm512_extracti64x4_epi64 (u, 1)), q_hi);
  __mmask16 slow = (__mmask16) (low_lo | (unsigned) low_hi << 8) | out
                   | _mm512_cmpge_epi32_mask (age, _mm512_set1_epi32 (p->max_age_weeks));
  __mmask16 put = (__mmask16) ~slow;
  if (put == 0)
    return slow;

  /* her standing, sector and row (pass_worker's t) */
  __m512i min_age = psim_screen_min_age (s, put, m);
  __m512i status = _mm512_permutexvar_epi32 (kd, _mm512_loadu_si512 (kind_tables));
  status = _mm512_mask_or_epi32 (status, _mm512_cmplt_epi32_mask (age, min_age), status,
                                 _mm512_set1_epi32 (PSIM_STATUS_UNDER_AGE));
  status = _mm512_mask_or_epi32 (status, _mm512_testn_epi32_mask (f, one), status,
                                 _mm512_set1_epi32 (PSIM_STATUS_UNREGISTERED));
  __m512i mk = _mm512_add_epi32 (_mm512_slli_epi32 (m, 3), k); /* PSIM_N_MODES == 8 */
  __m512i sector = psim_screen_sector (s, put, mk, status);
  __m512i cell = _mm512_add_epi32 (_mm512_slli_epi32 (mk, 2), sector); /* PSIM_SCREEN_SECTORS == 4 */
  __m512i violence_class = _mm512_permutexvar_epi32 (kd, _mm512_loadu_si512 (kind_tables + 16));
  __m512i exploited = _mm512_and_si512 (_mm512_srli_epi32 (f, 1), one);
  __m512i young = _mm512_maskz_mov_epi32 (_mm512_cmplt_epi32_mask (age, _mm512_set1_epi32 (p->young_weeks)),
                                          _mm512_set1_epi32 (2));
  __m512i row = _mm512_add_epi32 (_mm512_add_epi32 (violence_class, young), exploited);
  __m512i migrant2 = _mm512_and_si512 (_mm512_srli_epi32 (violence_class, 1), _mm512_set1_epi32 (2));

  __m512i zero = _mm512_setzero_si512 ();
  __m512i inspect = _mm512_mask_i32gather_epi32 (zero, put, cell, s->inspect, 4);
  __m512i test = _mm512_mask_i32gather_epi32 (zero, put, cell, s->test, 4);
  __m512i exploit = _mm512_mask_i32gather_epi32 (
    zero, put, _mm512_add_epi32 (_mm512_slli_epi32 (cell, 2), _mm512_add_epi32 (migrant2, exploited)), s->exploit, 4);
  __m512i violence = _mm512_mask_i32gather_epi32 (
    zero, put, _mm512_add_epi32 (_mm512_mullo_epi32 (cell, _mm512_set1_epi32 (PSIM_N_WORK_ROWS)), row),
    s->violence, 4);

  __m512i a = _mm512_loadu_si512 (p->u1 + j), b = _mm512_loadu_si512 (p->u2 + j), c = _mm512_loadu_si512 (p->u3 + j);
  __m512i low8 = _mm512_set1_epi32 (0xff);
  __m512i u_exploit = _mm512_or_si512 (
    _mm512_or_si512 (_mm512_slli_epi32 (_mm512_and_si512 (a, low8), 16), _mm512_slli_epi32 (_mm512_and_si512 (b, low8), 8)),
    _mm512_and_si512 (c, low8));
  __mmask16 busy = _mm512_cmplt_epu32_mask (_mm512_srli_epi32 (a, 8), inspect)
                   | _mm512_cmplt_epu32_mask (_mm512_srli_epi32 (b, 8), violence)
                   | _mm512_cmplt_epu32_mask (_mm512_srli_epi32 (c, 8), test)
                   | _mm512_cmplt_epu32_mask (u_exploit, exploit);
  busy &= put;

  /* the drift, for everyone who stays put */
  __m512 target = psim_screen_trust_target (s, put, m, _mm512_and_si512 (f, one));
  __m512 old = _mm512_loadu_ps (p->trust + i);
  __m512 drifted = _mm512_add_ps (old, _mm512_mul_ps (_mm512_set1_ps (p->drift), _mm512_sub_ps (target, old)));
  _mm512_mask_storeu_ps (p->trust + i, put, drifted);

  gsize n = p->n_busy;
  __m512i index = _mm512_add_epi32 (_mm512_set1_epi32 ((int) i), iota);
  _mm512_mask_compressstoreu_epi32 (p->busy + n, busy, index);
  _mm512_mask_compressstoreu_ps (p->busy_trust + n, busy, old);
  _mm512_mask_compressstoreu_epi32 (p->busy_week[0] + n, busy, a);
  _mm512_mask_compressstoreu_epi32 (p->busy_week[1] + n, busy, b);
  _mm512_mask_compressstoreu_epi32 (p->busy_week[2] + n, busy, c);
  p->n_busy = n + (gsize) __builtin_popcount (busy);
  return slow;
}

/* The blocks of sixteen of a chunk's first n workers (from base), then
 * pass_worker for the lanes they left, in order. Those lanes are listed
 * (slow, PSIM_CHUNK entries) rather than handled after each block: a branch
 * on which lanes a block left, taken or not at random, would keep the
 * processor from starting the next block's lookups before it knows. Their
 * busy entries come after the blocks', which changes nothing (the order of
 * the busy list is not an input of phases 4-9: the scalar form lists them in
 * yet another order, and the tests compare both forms). Returns how many
 * workers it did (the full blocks). */
__attribute__ ((target ("avx512f"))) static gsize
pass_chunk_avx512 (Pass *p, const PsimScreen *s, const uint32_t *kind_tables, gsize base, gsize n,
                   uint32_t *slow)
{
  gsize j = 0, n_slow = 0;
  for (; j + 16 <= n; j += 16)
    n_slow += psim_list_lanes (slow + n_slow, pass_block_avx512 (p, s, kind_tables, base + j, j), j);
  for (gsize q = 0; q < n_slow; q++)
    pass_worker (p, base + slow[q], slow[q]);
  return j;
}
#endif

void
psim_engine_week_pass (PsimEngine *e)
{
  PsimWorkers *w = &e->workers;
  psim_engine_reserve_scratch (e);
  Pass p = {
    .week = e->week, .shock = e->shock_weeks, .young_weeks = e->young_weeks,
    .max_age_weeks = e->max_age_weeks, .max_out_weeks = e->max_out_weeks,
    .munis = e->munis, .muni = w->muni, .mode = w->mode, .kind = w->kind, .flags = w->flags,
    .birth_week = w->birth_week, .career_start = w->career_start, .mode_since = w->mode_since,
    .last_physical = w->last_physical, .last_sexual = w->last_sexual, .last_sanction = w->last_sanction,
    .trust = w->trust,
    .u0 = e->chunk_draws[0], .u1 = e->chunk_draws[1], .u2 = e->chunk_draws[2], .u3 = e->chunk_draws[3],
    .leavers = e->leavers, .applicants = e->applicants,
    .apply_week = { e->apply_week[0], e->apply_week[1], e->apply_week[2] },
    .busy = e->busy_index, .busy_week = { e->busy_week[0], e->busy_week[1], e->busy_week[2] },
    .busy_trust = e->busy_trust,
    .exit_below = e->exit_below, .reconsider_below = e->reconsider_below,
    .drift = (float) e->params->trust_drift,
  };
  memcpy (p.quiet_from, e->quiet_from, sizeof p.quiet_from);
  memcpy (p.kind_status, e->kind_status, sizeof p.kind_status);
  memcpy (p.kind_violence, e->kind_violence, sizeof p.kind_violence);
  G_STATIC_ASSERT (PSIM_WF_REGISTERED == 1u && PSIM_WF_EXPLOITED == 2u);

#ifdef PSIM_HAVE_AVX512
  /* kind -> standing, kind -> 2 x violence class less the young bit */
  G_STATIC_ASSERT (PSIM_N_KINDS <= 16 && PSIM_N_MODES == 8 && PSIM_N_STATUS == 8 && PSIM_SCREEN_SECTORS == 4);
  G_STATIC_ASSERT (PSIM_N_RECONSIDER == 4);
  G_STATIC_ASSERT (PSIM_SCREEN_SECTORS <= 16 && PSIM_N_STATUS * 4 <= 32); /* sector_nibbles */
  uint32_t kind_tables[32] = { 0 };
  uint32_t slow[PSIM_CHUNK];
  gboolean vector = e->vector_pass;
  if (vector)
    {
      if (e->screen_stale)
        screen_prepare (e);
      e->screen_stale = FALSE;
      for (int kd = 0; kd < PSIM_N_KINDS; kd++)
        {
          kind_tables[kd] = e->kind_status[kd];
          kind_tables[16 + kd] = e->kind_violence[kd];
        }
    }
#endif

  const gsize n_workers = w->n;
  for (gsize base = 0; base < n_workers; base += PSIM_CHUNK)
    {
      gsize n = MIN ((gsize) PSIM_CHUNK, n_workers - base), j = 0;
      p.n_busy = 0;
      psim_rng_blocks_planar (&e->key, w->serial + base, n, (uint32_t) p.week, PSIM_DRAW_WEEK, 0, e->chunk_draws);
#ifdef PSIM_HAVE_AVX512
      if (vector)
        j = pass_chunk_avx512 (&p, &e->screen, kind_tables, base, n, slow);
#endif
      for (; j < n; j++)
        pass_worker (&p, base + j, j);
      if (p.n_busy > 0)
        psim_engine_at_work_busy (e, p.n_busy);
    }
  e->n_leavers = p.n_leavers;
  e->n_applicants = p.n_applicants;
}
