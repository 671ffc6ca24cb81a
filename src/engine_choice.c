/* permitsim: the choice of workplace (MODEL.md §4, phase 3).
 *
 * Applicants (drawn in phase 2; entrants and the evicted always) are served
 * in the order of a random key. Each compares every mode open to her in her
 * municipality, and moving elsewhere, in a multinomial logit over the values
 * of this week's tables; a full licensed place can be her first choice (she
 * joins the waiting list) but not what she gets.
 */
#include "engine_internal.h"

#include <math.h>
#include <string.h>

/* The options of worker i where she is: every mode that exists there and
 * that she may take (the week's option terms for her standing, see
 * prepare_options in engine_tables.c), and moving elsewhere (allow_move).
 * `current` is the mode she holds (PSIM_N_MODES for none): staying earns the
 * stay bonus and needs no free place. Every mode is valued (terms of modes
 * that are no option are zero), so the loop has no branch that depends on
 * the worker. */
static void
evaluate_options (const PsimEngine *e, gsize i, int current, gboolean allow_move, PsimChoiceOptions *o)
{
  const PsimWorkers *w = &e->workers;
  const PsimMuniRun *mr = &e->munis[w->muni[i]];
  double privacy = w->privacy[i] / 255.0, autonomy = w->autonomy[i] / 255.0;
  double risk_aversion = w->risk_aversion[i] / 255.0, trust = w->trust[i];
  double stay_bonus = e->params->stay_bonus;
  const PsimOptionTerms *t = &mr->option[psim_engine_status (e, i)];
  const PsimValueTerms *as = &t->as_is, *r = &t->registered;

  for (int k = 0; k < PSIM_N_MODES; k++)
    {
      double v_as = as->base[k] + risk_aversion * (as->risk[k] + as->risk_trust[k] * trust)
                    + privacy * as->privacy[k];
      double v_registered = r->base[k] + risk_aversion * (r->risk[k] + r->risk_trust[k] * trust)
                            + privacy * r->privacy[k];
      unsigned how = t->how[k];
      unsigned registers = (unsigned) (how == PSIM_OPTION_REGISTERED)
                           | ((unsigned) (how == PSIM_OPTION_BETTER) & (unsigned) (v_registered >= v_as));
      double v = (registers ? v_registered : v_as) + autonomy * e->autonomy_term[k]
                 + stay_bonus * (double) (k == current);
      o->value[k] = how == PSIM_OPTION_NONE ? -INFINITY : v;
      o->registers[k] = (uint8_t) registers;
      o->full[k] = (uint8_t) (e->has_capacity[k] & (k != current) & (mr->occupied[k] >= mr->places[k]));
    }
  o->value[PSIM_OPTION_MOVE] = allow_move && mr->may_move ? mr->move_value : -INFINITY;
  o->full[PSIM_OPTION_MOVE] = o->registers[PSIM_OPTION_MOVE] = 0;
}

/* The option where `target` (in [0, the last running sum)) falls: the
 * number of running sums at or below it, counted without a branch (an
 * option of weight 0 is never picked). */
static int
pick_option (const double *running, double target)
{
  int pick = 0;
  for (int k = 0; k < PSIM_N_OPTIONS - 1; k++)
    pick += running[k] <= target;
  return pick;
}

/* The second draw, among the open options, when the first choice is full
 * (`weight`: e to each value less the best). When the open options all lie
 * so far below a full one (more than 700 units of utility: extreme sampled
 * parameters can do that) that their weights against it round to zero, it
 * weighs them against the best of them instead -- the same logit, without
 * the underflow; otherwise it would fall past the last option. */
static int
sample_open (const PsimChoiceOptions *o, const double *weight, double u_open)
{
  double running[PSIM_N_OPTIONS], open = 0.0;
  for (int k = 0; k < PSIM_N_OPTIONS; k++)
    {
      open += o->full[k] ? 0.0 : weight[k];
      running[k] = open;
    }
  if (open == 0.0)
    {
      double best_open = -INFINITY;
      for (int k = 0; k < PSIM_N_OPTIONS; k++)
        best_open = o->full[k] ? best_open : MAX (best_open, o->value[k]);
      for (int k = 0; k < PSIM_N_OPTIONS; k++)
        {
          open += o->full[k] ? 0.0 : psim_engine_exp (o->value[k] - best_open);
          running[k] = open;
        }
    }
  return pick_option (running, u_open * open);
}

/* Multinomial logit: the first choice among every option (full ones too,
 * which is how the waiting list is known), then, when that is full, a second
 * draw among the open ones with the same weights (sample_open). Out of work
 * is always open. */
int
psim_engine_sample_option (const PsimChoiceOptions *o, double u_first, double u_open, int *first)
{
  double best = o->value[0];
  for (int k = 1; k < PSIM_N_OPTIONS; k++)
    best = MAX (best, o->value[k]);
  /* the weights first (a loop the compiler may vectorise), then their sums */
  double weight[PSIM_N_OPTIONS], running[PSIM_N_OPTIONS], total = 0.0;
  for (int k = 0; k < PSIM_N_OPTIONS; k++)
    weight[k] = psim_engine_exp (o->value[k] - best);
  for (int k = 0; k < PSIM_N_OPTIONS; k++)
    {
      total += weight[k];
      running[k] = total;
    }
  *first = pick_option (running, u_first * total);
  if (!o->full[*first])
    return *first;
  return sample_open (o, weight, u_open);
}

#ifdef PSIM_HAVE_AVX512
/* ---------- the vector form (AVX2, four modes at a time) ----------
 *
 * The same operations as evaluate_options and psim_engine_sample_option, in
 * the same order, lane by lane: no fused multiply-add (the target is avx2
 * alone, so the compiler has none to contract into), and the running sums
 * still added one option after the other. So the same bytes: test_engine
 * draws from 200,000 random option sets with both forms, and steps engines
 * with and without it through the same weeks. Run where the week's pass runs
 * its AVX-512 form (every such CPU has AVX2). About 4% of the whole run on
 * the Intel development machine (docs/performance.md). */

/* psim_engine_exp of four values (the clamps as max and min: max_pd gives
 * its second operand, -700, for a NaN, as the scalar form's comparison does). */
__attribute__ ((target ("avx2"))) static inline __m256d
exp4_avx2 (__m256d x)
{
  const __m256d shifter = _mm256_set1_pd (0x1.8p52);
  __m256d xc = _mm256_min_pd (_mm256_max_pd (x, _mm256_set1_pd (-700.0)), _mm256_set1_pd (700.0));
  __m256d k = _mm256_add_pd (_mm256_mul_pd (xc, _mm256_set1_pd (0x1.71547652b82fep+5)), shifter);
  __m256d n = _mm256_sub_pd (k, shifter);
  __m256d r = _mm256_sub_pd (_mm256_sub_pd (xc, _mm256_mul_pd (n, _mm256_set1_pd (0x1.62e42ff000000p-6))),
                             _mm256_mul_pd (n, _mm256_set1_pd (-0x1.718432a1b0e26p-40)));
  __m256d r2 = _mm256_mul_pd (r, r);
  __m256d series = _mm256_add_pd (_mm256_add_pd (_mm256_set1_pd (1.0 / 2), _mm256_mul_pd (r, _mm256_set1_pd (1.0 / 6))),
                                  _mm256_mul_pd (r2, _mm256_set1_pd (1.0 / 24)));
  __m256d y = _mm256_add_pd (_mm256_add_pd (_mm256_set1_pd (1.0), r), _mm256_mul_pd (r2, series));
  __m128i whole = _mm256_cvttpd_epi32 (n);
  __m128i j = _mm_and_si128 (whole, _mm_set1_epi32 (31));
  y = _mm256_mul_pd (y, _mm256_i32gather_pd (psim_exp2_32nds, j, 8));
  __m256i m = _mm256_slli_epi64 (_mm256_cvtepi32_epi64 (_mm_srai_epi32 (_mm_sub_epi32 (whole, j), 5)), 52);
  y = _mm256_castsi256_pd (_mm256_add_epi64 (_mm256_castpd_si256 (y), m));
  return _mm256_and_pd (y, _mm256_cmp_pd (x, _mm256_set1_pd (-700.0), _CMP_GE_OQ));
}

/* One table of value terms for four modes: base + a (risk + b trust) + c privacy. */
__attribute__ ((target ("avx2"))) static inline __m256d
value4_avx2 (const PsimValueTerms *t, int h, __m256d risk_aversion, __m256d trust, __m256d privacy)
{
  __m256d risk = _mm256_add_pd (_mm256_loadu_pd (t->risk + h), _mm256_mul_pd (_mm256_loadu_pd (t->risk_trust + h), trust));
  return _mm256_add_pd (_mm256_add_pd (_mm256_loadu_pd (t->base + h), _mm256_mul_pd (risk_aversion, risk)),
                        _mm256_mul_pd (privacy, _mm256_loadu_pd (t->privacy + h)));
}

__attribute__ ((target ("avx2"))) static void
evaluate_options_avx2 (const PsimEngine *e, gsize i, int current, gboolean allow_move, PsimChoiceOptions *o)
{
  G_STATIC_ASSERT (PSIM_N_MODES == 8);
  const PsimWorkers *w = &e->workers;
  const PsimMuniRun *mr = &e->munis[w->muni[i]];
  __m256d privacy = _mm256_set1_pd (w->privacy[i] / 255.0), autonomy = _mm256_set1_pd (w->autonomy[i] / 255.0);
  __m256d risk_aversion = _mm256_set1_pd (w->risk_aversion[i] / 255.0), trust = _mm256_set1_pd (w->trust[i]);
  __m256d stay_bonus = _mm256_set1_pd (e->params->stay_bonus);
  const PsimOptionTerms *t = &mr->option[psim_engine_status (e, i)];
  unsigned registers_bits = 0;
  for (int h = 0; h < PSIM_N_MODES; h += 4)
    {
      __m256d v_as = value4_avx2 (&t->as_is, h, risk_aversion, trust, privacy);
      __m256d v_registered = value4_avx2 (&t->registered, h, risk_aversion, trust, privacy);
      uint32_t how4;
      memcpy (&how4, t->how + h, sizeof how4);
      __m256i how = _mm256_cvtepu8_epi64 (_mm_cvtsi32_si128 ((int) how4));
      __m256d registers = _mm256_or_pd (
          _mm256_castsi256_pd (_mm256_cmpeq_epi64 (how, _mm256_set1_epi64x (PSIM_OPTION_REGISTERED))),
          _mm256_and_pd (_mm256_castsi256_pd (_mm256_cmpeq_epi64 (how, _mm256_set1_epi64x (PSIM_OPTION_BETTER))),
                         _mm256_cmp_pd (v_registered, v_as, _CMP_GE_OQ)));
      __m256i k = _mm256_add_epi64 (_mm256_set1_epi64x (h), _mm256_setr_epi64x (0, 1, 2, 3));
      __m256d stays = _mm256_and_pd (_mm256_castsi256_pd (_mm256_cmpeq_epi64 (k, _mm256_set1_epi64x (current))),
                                     _mm256_set1_pd (1.0));
      __m256d v = _mm256_add_pd (_mm256_add_pd (_mm256_blendv_pd (v_as, v_registered, registers),
                                                _mm256_mul_pd (autonomy, _mm256_loadu_pd (e->autonomy_term + h))),
                                 _mm256_mul_pd (stay_bonus, stays));
      __m256d none = _mm256_castsi256_pd (_mm256_cmpeq_epi64 (how, _mm256_set1_epi64x (PSIM_OPTION_NONE)));
      _mm256_storeu_pd (o->value + h, _mm256_blendv_pd (v, _mm256_set1_pd (-INFINITY), none));
      registers_bits |= (unsigned) _mm256_movemask_pd (registers) << h;
    }
  /* full: capacity counts, a place she does not hold, none free */
  G_STATIC_ASSERT (sizeof e->has_capacity[0] == 4 && sizeof mr->occupied[0] == 4);
  __m256i modes = _mm256_setr_epi32 (0, 1, 2, 3, 4, 5, 6, 7);
  __m256i full = _mm256_andnot_si256 (
      _mm256_or_si256 (_mm256_cmpeq_epi32 (_mm256_loadu_si256 ((const __m256i *) e->has_capacity), _mm256_setzero_si256 ()),
                       _mm256_or_si256 (_mm256_cmpeq_epi32 (modes, _mm256_set1_epi32 (current)),
                                        _mm256_cmpgt_epi32 (_mm256_loadu_si256 ((const __m256i *) mr->places),
                                                            _mm256_loadu_si256 ((const __m256i *) mr->occupied)))),
      _mm256_set1_epi32 (1));
  __m128i full16 = _mm_packs_epi32 (_mm256_castsi256_si128 (full), _mm256_extracti128_si256 (full, 1));
  _mm_storel_epi64 ((__m128i *) o->full, _mm_packs_epi16 (full16, full16));
  for (int k = 0; k < PSIM_N_MODES; k++)
    o->registers[k] = (uint8_t) ((registers_bits >> k) & 1u);
  o->value[PSIM_OPTION_MOVE] = allow_move && mr->may_move ? mr->move_value : -INFINITY;
  o->full[PSIM_OPTION_MOVE] = o->registers[PSIM_OPTION_MOVE] = 0;
}

/* pick_option of the eight running sums of a and b (the ninth is never
 * passed: the draw falls below it). */
__attribute__ ((target ("avx2,popcnt"))) static inline int
pick8_avx2 (__m256d a, __m256d b, double target)
{
  __m256d t = _mm256_set1_pd (target);
  return __builtin_popcount ((unsigned) _mm256_movemask_pd (_mm256_cmp_pd (a, t, _CMP_LE_OQ))
                             | (unsigned) _mm256_movemask_pd (_mm256_cmp_pd (b, t, _CMP_LE_OQ)) << 4);
}

/* The running sums of the weights w (options 0-7) and w8 (moving), added one
 * option after the other as in psim_engine_sample_option, kept in registers: a vector
 * load of sums just stored one by one would wait for those stores. */
__attribute__ ((target ("avx2"))) static inline double
running_avx2 (__m256d w, __m256d v, double w8, __m256d *a, __m256d *b)
{
  double r0 = w[0], r1 = r0 + w[1], r2 = r1 + w[2], r3 = r2 + w[3];
  double r4 = r3 + v[0], r5 = r4 + v[1], r6 = r5 + v[2], r7 = r6 + v[3];
  *a = _mm256_setr_pd (r0, r1, r2, r3);
  *b = _mm256_setr_pd (r4, r5, r6, r7);
  return r7 + w8;
}

/* The weights of options 0-3 (h = 0) or 4-7 (h = 4) that are not full. */
__attribute__ ((target ("avx2"))) static inline __m256d
open4_avx2 (const PsimChoiceOptions *o, int h, __m256d w)
{
  uint32_t full4;
  memcpy (&full4, o->full + h, sizeof full4);
  __m256i full = _mm256_cvtepu8_epi64 (_mm_cvtsi32_si128 ((int) full4));
  return _mm256_andnot_pd (_mm256_castsi256_pd (_mm256_cmpgt_epi64 (full, _mm256_setzero_si256 ())), w);
}

__attribute__ ((target ("avx2,popcnt"))) static int
sample_option_avx2 (const PsimChoiceOptions *o, double u_first, double u_open, int *first)
{
  __m256d v0 = _mm256_loadu_pd (o->value), v1 = _mm256_loadu_pd (o->value + 4);
  __m256d m = _mm256_max_pd (v0, v1);
  __m128d m2 = _mm_max_pd (_mm256_castpd256_pd128 (m), _mm256_extractf128_pd (m, 1));
  double best = MAX (MAX (_mm_cvtsd_f64 (m2), _mm_cvtsd_f64 (_mm_unpackhi_pd (m2, m2))), o->value[PSIM_OPTION_MOVE]);
  __m256d b = _mm256_set1_pd (best);
  __m256d w0 = exp4_avx2 (_mm256_sub_pd (v0, b)), w1 = exp4_avx2 (_mm256_sub_pd (v1, b));
  double w8 = psim_engine_exp (o->value[PSIM_OPTION_MOVE] - best);
  __m256d ra, rb;
  double total = running_avx2 (w0, w1, w8, &ra, &rb);
  *first = pick8_avx2 (ra, rb, u_first * total);
  if (!o->full[*first])
    return *first;
  /* the first choice is full (often: the waiting lists): again among the open ones */
  double open = running_avx2 (open4_avx2 (o, 0, w0), open4_avx2 (o, 4, w1), o->full[PSIM_OPTION_MOVE] ? 0.0 : w8,
                              &ra, &rb);
  if (open == 0.0)
    {
      double weight[PSIM_N_OPTIONS];
      _mm256_storeu_pd (weight, w0);
      _mm256_storeu_pd (weight + 4, w1);
      weight[PSIM_OPTION_MOVE] = w8;
      return sample_open (o, weight, u_open);
    }
  return pick8_avx2 (ra, rb, u_open * open);
}
#endif

/* The municipality a mover goes to: in proportion to the destination
 * weights, her own excluded. */
static int
pick_destination (const PsimEngine *e, int from, double u)
{
  double target = u * (e->logsum_weight - e->munis[from].destination_weight);
  int last = from;
  for (int m = 0; m < e->n_munis; m++)
    {
      double wgt = e->munis[m].destination_weight;
      if (m == from || wgt <= 0.0)
        continue;
      last = m;
      if (target < wgt)
        return m;
      target -= wgt;
    }
  return last;
}

static void
note_first_choice (PsimEngine *e, gsize i, int m, const PsimChoiceOptions *o, int first)
{
  if (first < PSIM_N_MODES && o->full[first])
    {
      e->munis[m].week_applied_full[first]++;
      e->workers.flags[i] |= PSIM_WF_WAITING;
    }
  else
    e->workers.flags[i] &= (uint8_t) ~PSIM_WF_WAITING;
}

static void
move_worker (PsimEngine *e, gsize i, int to)
{
  PsimWorkers *w = &e->workers;
  PsimMuniRun *from = &e->munis[w->muni[i]], *dest = &e->munis[to];
  PSIM_FLOW (e, i, moved_out);
  from->occupied[w->mode[i]]--;
  from->population--;
  w->muni[i] = (uint16_t) to;
  w->mode[i] = PSIM_MODE_OUT;
  w->mode_since[i] = (int16_t) e->week;
  /* registration is municipal: a mover registers again where required */
  w->flags[i] &= (uint8_t) ~PSIM_WF_REGISTERED;
  dest->occupied[PSIM_MODE_OUT]++;
  dest->population++;
  PSIM_FLOW (e, i, moved_in);
}

static void
take_option (PsimEngine *e, gsize i, const PsimChoiceOptions *o, int k)
{
  if (o->registers[k])
    e->workers.flags[i] |= PSIM_WF_REGISTERED;
  psim_engine_set_mode (e, i, (PsimMode) k);
}

int
psim_engine_sample_option_vector (const PsimChoiceOptions *o, double u_first, double u_open, int *first)
{
#ifdef PSIM_HAVE_AVX512
  if (psim_engine_vector_pass_available ())
    return sample_option_avx2 (o, u_first, u_open, first);
#endif
  return psim_engine_sample_option (o, u_first, u_open, first);
}

/* The vector form where the CPU has it (and the engine was not told to step
 * without it), the one-option-at-a-time form otherwise. */
static inline void
evaluate (const PsimEngine *e, gsize i, int current, gboolean allow_move, PsimChoiceOptions *o)
{
#ifdef PSIM_HAVE_AVX512
  if (e->vector_pass)
    {
      evaluate_options_avx2 (e, i, current, allow_move, o);
      return;
    }
#endif
  evaluate_options (e, i, current, allow_move, o);
}

static inline int
sample (const PsimEngine *e, const PsimChoiceOptions *o, double u_first, double u_open, int *first)
{
#ifdef PSIM_HAVE_AVX512
  if (e->vector_pass)
    return sample_option_avx2 (o, u_first, u_open, first);
#endif
  (void) e;
  return psim_engine_sample_option (o, u_first, u_open, first);
}

static void
choose (PsimEngine *e, gsize i, uint32_t d0, uint32_t d1, uint32_t d2)
{
  PsimWorkers *w = &e->workers;
  int m = w->muni[i];
  PsimChoiceOptions o;
  int first;
  evaluate (e, i, w->mode[i], TRUE, &o);
  int pick = sample (e, &o, psim_rng_u01_32 (d0), psim_rng_u01_32 (d1), &first);
  note_first_choice (e, i, m, &o, first);
  if (pick == PSIM_OPTION_MOVE)
    {
      int to = pick_destination (e, m, psim_rng_u01_32 (d2));
      move_worker (e, i, to);
      uint32_t there[4];
      psim_rng_block (&e->key, w->serial[i], (uint32_t) e->week, PSIM_DRAW_CHOICE, 1, there);
      evaluate (e, i, PSIM_N_MODES, FALSE, &o);
      pick = sample (e, &o, psim_rng_u01_32 (there[0]), psim_rng_u01_32 (there[1]), &first);
      note_first_choice (e, i, to, &o, first);
    }
  take_option (e, i, &o, pick);
  w->flags[i] &= (uint8_t) ~PSIM_WF_MUST_CHOOSE;
}

/* Sorts applicants 0..n-1 by (key, serial) into `order` (`spare` is
 * scratch of n entries): a stable radix sort on the 32-bit key in three
 * passes, then equal keys (rare) put in order of serial. */
static void
sort_applicants (const uint32_t *key, const uint32_t *serial, uint32_t n, uint32_t *order,
                 uint32_t *spare)
{
  enum { BITS = 11, BUCKETS = 1 << BITS };
  uint32_t count[3][BUCKETS];
  memset (count, 0, sizeof count);
  for (uint32_t a = 0; a < n; a++)
    {
      count[0][key[a] & (BUCKETS - 1)]++;
      count[1][(key[a] >> BITS) & (BUCKETS - 1)]++;
      count[2][key[a] >> (2 * BITS)]++;
    }
  for (int pass = 0; pass < 3; pass++)
    {
      uint32_t sum = 0;
      for (int b = 0; b < BUCKETS; b++)
        {
          uint32_t c = count[pass][b];
          count[pass][b] = sum;
          sum += c;
        }
    }
  /* passes: identity -> spare -> order -> spare; the last lands in `order` */
  for (uint32_t a = 0; a < n; a++)
    spare[count[0][key[a] & (BUCKETS - 1)]++] = a;
  for (uint32_t q = 0; q < n; q++)
    order[count[1][(key[spare[q]] >> BITS) & (BUCKETS - 1)]++] = spare[q];
  for (uint32_t q = 0; q < n; q++)
    spare[count[2][key[order[q]] >> (2 * BITS)]++] = order[q];
  memcpy (order, spare, n * sizeof *order);
  for (uint32_t q = 1; q < n; q++)
    for (uint32_t j = q; j > 0 && key[order[j - 1]] == key[order[j]]
                         && serial[order[j - 1]] > serial[order[j]];
         j--)
      {
        uint32_t t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
}

/* The applicants of this week (drawn in phase 2; entrants and the evicted
 * always) are served in the order of a random key (word 3 of their choice
 * block), ties broken by serial, so free places go to them in random order
 * and never by where they sit in the arrays. Their blocks are drawn
 * together. */
void
psim_engine_choice (PsimEngine *e)
{
  PsimWorkers *w = &e->workers;
  psim_engine_reserve_scratch (e);
  uint32_t n = (uint32_t) e->n_applicants;
  if (n == 0)
    return;
  for (uint32_t a = 0; a < n; a++)
    e->apply_serial[a] = w->serial[e->applicants[a]];
  psim_rng_blocks_planar (&e->key, e->apply_serial, n, (uint32_t) e->week, PSIM_DRAW_CHOICE, 0,
                          e->apply_draw);
  sort_applicants (e->apply_draw[3], e->apply_serial, n, e->apply_order, e->apply_spare);
  for (uint32_t q = 0; q < n; q++)
    {
      uint32_t a = e->apply_order[q];
      choose (e, e->applicants[a], e->apply_draw[0][a], e->apply_draw[1][a], e->apply_draw[2][a]);
    }
}
