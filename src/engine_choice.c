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

#define OPTION_MOVE PSIM_N_MODES
#define N_OPTIONS (PSIM_N_MODES + 1)

typedef struct {
  double value[N_OPTIONS];
  gboolean exists[N_OPTIONS];
  gboolean full[N_OPTIONS];
  gboolean registers[N_OPTIONS];
} PsimOptions;

/* The options of worker i where she is: every mode that exists there
 * and that she may take, and moving elsewhere (allow_move). `current` is the
 * mode she holds (PSIM_N_MODES for none): staying earns the stay bonus and
 * needs no free place. Where registration is required, a licensed option is
 * valued registered (at a privacy cost) or, where no one checks, evaded
 * (illegal), whichever is worth more to her. A municipal licence for
 * independent work is a registration wherever it is granted: the
 * municipality knows her by name and address (brochure, "Vergunningplicht
 * zelfstandige sekswerkers"; docs/levers.md). */
static void
evaluate_options (const PsimEngine *e, gsize i, int current, gboolean allow_move, PsimOptions *o)
{
  const PsimParams *p = e->params;
  const PsimWorkers *w = &e->workers;
  const PsimMuniRun *mr = &e->munis[w->muni[i]];
  double privacy = w->privacy[i] / 255.0, autonomy = w->autonomy[i] / 255.0;
  double risk_aversion = w->risk_aversion[i] / 255.0, trust = w->trust[i];
  unsigned status = psim_engine_status (e, i);

  for (int k = 0; k < N_OPTIONS; k++)
    {
      o->exists[k] = o->full[k] = o->registers[k] = FALSE;
      o->value[k] = 0.0;
    }
  for (int k = 0; k < PSIM_N_MODES; k++)
    {
      if (!psim_engine_mode_exists (mr, k) || !mr->may_take[k][status])
        continue;
      int s = mr->sector[k][status];
      double v = psim_engine_option_value (e, mr, k, s, privacy, autonomy, risk_aversion, trust);
      if ((mr->rules.registration || k == PSIM_MODE_INDEPENDENT_LICENSED)
          && (status & PSIM_STATUS_UNREGISTERED) && psim_policy_is_licensed_mode ((PsimMode) k)
          && !(status & (PSIM_STATUS_NO_RIGHT_TO_WORK | PSIM_STATUS_UNDER_AGE)))
        {
          unsigned registered = status & ~(unsigned) PSIM_STATUS_UNREGISTERED;
          double v_registered = psim_engine_option_value (e, mr, k, mr->sector[k][registered], privacy,
                                                          autonomy, risk_aversion, trust)
                                - privacy * p->registration_cost;
          if (!psim_policy_may_evade_registration ((PsimMode) k, &mr->rules) || v_registered >= v)
            {
              v = v_registered;
              o->registers[k] = TRUE;
            }
        }
      if (k == current)
        v += p->stay_bonus;
      o->exists[k] = TRUE;
      o->value[k] = v;
      o->full[k] = psim_policy_has_capacity ((PsimMode) k) && k != current
                   && mr->occupied[k] >= mr->places[k];
    }
  if (allow_move && e->n_munis > 1)
    {
      double elsewhere = e->logsum_weight - mr->destination_weight;
      if (elsewhere > e->logsum_weight * 1e-12 && elsewhere > 0.0)
        {
          o->exists[OPTION_MOVE] = TRUE;
          o->value[OPTION_MOVE] = log (elsewhere) - p->move_cost;
        }
    }
}

/* The option where `target` (in [0, total)) falls among the weights, skipping
 * full options when asked; the last eligible one on rounding. */
static int
walk_weights (const double *weight, const gboolean *full, gboolean skip_full, double target)
{
  int last = -1;
  for (int k = 0; k < N_OPTIONS; k++)
    {
      if (weight[k] <= 0.0 || (skip_full && full[k]))
        continue;
      last = k;
      if (target < weight[k])
        return k;
      target -= weight[k];
    }
  return last;
}

/* Multinomial logit: the first choice among every option (full ones too,
 * which is how the waiting list is known), then, when that is full, a second
 * draw among the open ones. Out of work is always open. */
static int
logit_draw (const PsimOptions *o, gboolean skip_full, double u)
{
  double best = -INFINITY;
  for (int k = 0; k < N_OPTIONS; k++)
    if (o->exists[k] && !(skip_full && o->full[k]))
      best = MAX (best, o->value[k]);
  double weight[N_OPTIONS], total = 0.0;
  for (int k = 0; k < N_OPTIONS; k++)
    {
      gboolean eligible = o->exists[k] && !(skip_full && o->full[k]);
      weight[k] = eligible ? exp (o->value[k] - best) : 0.0;
      total += weight[k];
    }
  return walk_weights (weight, o->full, skip_full, u * total);
}

static int
sample_option (const PsimOptions *o, double u_first, double u_open, int *first)
{
  *first = logit_draw (o, FALSE, u_first);
  if (!o->full[*first])
    return *first;
  return logit_draw (o, TRUE, u_open);
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
note_first_choice (PsimEngine *e, gsize i, int m, const PsimOptions *o, int first)
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
take_option (PsimEngine *e, gsize i, const PsimOptions *o, int k)
{
  if (o->registers[k])
    e->workers.flags[i] |= PSIM_WF_REGISTERED;
  psim_engine_set_mode (e, i, (PsimMode) k);
}

static void
choose (PsimEngine *e, gsize i, const uint32_t draw[4])
{
  PsimWorkers *w = &e->workers;
  int m = w->muni[i];
  PsimOptions o;
  int first;
  evaluate_options (e, i, w->mode[i], TRUE, &o);
  int pick = sample_option (&o, psim_rng_u01_32 (draw[0]), psim_rng_u01_32 (draw[1]), &first);
  note_first_choice (e, i, m, &o, first);
  if (pick == OPTION_MOVE)
    {
      int to = pick_destination (e, m, psim_rng_u01_32 (draw[2]));
      move_worker (e, i, to);
      uint32_t there[4];
      psim_rng_block (&e->key, w->serial[i], (uint32_t) e->week, PSIM_DRAW_CHOICE, 1, there);
      evaluate_options (e, i, PSIM_N_MODES, FALSE, &o);
      pick = sample_option (&o, psim_rng_u01_32 (there[0]), psim_rng_u01_32 (there[1]), &first);
      note_first_choice (e, i, to, &o, first);
    }
  take_option (e, i, &o, pick);
  w->flags[i] &= (uint8_t) ~PSIM_WF_MUST_CHOOSE;
}

/* The applicants of this week (drawn in phase 2; entrants and the evicted
 * always) are served in the order of a random key, so free places go to
 * them in random order. */
void
psim_engine_choice (PsimEngine *e)
{
  PsimWorkers *w = &e->workers;
  g_array_set_size (e->queue, 0);
  for (gsize i = 0; i < w->n; i++)
    {
      if (!(w->flags[i] & (PSIM_WF_MUST_CHOOSE | PSIM_WF_APPLIES)))
        continue;
      w->flags[i] &= (uint8_t) ~PSIM_WF_APPLIES;
      PsimQueued q = { 0, w->serial[i], (uint32_t) i, { 0 } };
      psim_rng_block (&e->key, w->serial[i], (uint32_t) e->week, PSIM_DRAW_CHOICE, 0, q.draw);
      q.key = q.draw[3];
      g_array_append_val (e->queue, q);
    }
  g_array_sort (e->queue, psim_engine_compare_queued);
  for (guint q = 0; q < e->queue->len; q++)
    {
      const PsimQueued *item = &g_array_index (e->queue, PsimQueued, q);
      choose (e, item->index, item->draw);
    }
}
