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

/* Multinomial logit: the first choice among every option (full ones too,
 * which is how the waiting list is known), then, when that is full, a second
 * draw among the open ones with the same weights. Out of work is always open.
 * When the open options all lie so far below a full one (more than 700 units
 * of utility: extreme sampled parameters can do that) that their weights
 * against it round to zero, the second draw weighs them against the best of
 * them instead -- the same logit, without the underflow; otherwise it would
 * fall past the last option. */
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
  double open = 0.0;
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

static void
choose (PsimEngine *e, gsize i, uint32_t d0, uint32_t d1, uint32_t d2)
{
  PsimWorkers *w = &e->workers;
  int m = w->muni[i];
  PsimChoiceOptions o;
  int first;
  evaluate_options (e, i, w->mode[i], TRUE, &o);
  int pick = psim_engine_sample_option (&o, psim_rng_u01_32 (d0), psim_rng_u01_32 (d1), &first);
  note_first_choice (e, i, m, &o, first);
  if (pick == PSIM_OPTION_MOVE)
    {
      int to = pick_destination (e, m, psim_rng_u01_32 (d2));
      move_worker (e, i, to);
      uint32_t there[4];
      psim_rng_block (&e->key, w->serial[i], (uint32_t) e->week, PSIM_DRAW_CHOICE, 1, there);
      evaluate_options (e, i, PSIM_N_MODES, FALSE, &o);
      pick = psim_engine_sample_option (&o, psim_rng_u01_32 (there[0]), psim_rng_u01_32 (there[1]), &first);
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
