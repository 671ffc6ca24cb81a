/* permitsim: one replication, week by week (MODEL.md §4), and what it records.
 *
 * This file holds the week itself (psim_engine_step), the worker arrays, the
 * starting population, the tallies and the invariant checks. The phases live
 * in engine_market.c (policy events, entry and exit, prices), engine_tables.c
 * (this week's tables), engine_choice.c (choice) and engine_risk.c
 * (enforcement, violence, reporting, care, exploitation, trust).
 */
#include "engine_internal.h"

#include <math.h>
#include <string.h>

#include "permitsim/error.h"

G_STATIC_ASSERT (PSIM_WORKER_BYTES <= 64);
G_STATIC_ASSERT (PSIM_N_MODES <= UINT8_MAX);

/* ---------- groups ---------- */

/* Age bands of groups.csv (an output definition; psim_engine_age_band). */
static const char *const age_band_names[] = { "18-20", "21-24", "25-34", "35-49", "50+" };
G_STATIC_ASSERT (G_N_ELEMENTS (age_band_names) == PSIM_N_AGE_BANDS);
#define GROUP_ORIGIN_BASE PSIM_GROUP_ORIGIN_BASE
#define GROUP_AGE_BASE PSIM_GROUP_AGE_BASE
#define GROUP_WORKPLACE_BASE PSIM_GROUP_WORKPLACE_BASE

int
psim_group_count (void)
{
  return GROUP_WORKPLACE_BASE + PSIM_N_MODES;
}

PsimGroupType
psim_group_type (int group)
{
  g_return_val_if_fail (group >= 0 && group < psim_group_count (), PSIM_GROUP_TYPE_GENDER);
  if (group < GROUP_ORIGIN_BASE)
    return PSIM_GROUP_TYPE_GENDER;
  if (group < GROUP_AGE_BASE)
    return PSIM_GROUP_TYPE_ORIGIN;
  if (group < GROUP_WORKPLACE_BASE)
    return PSIM_GROUP_TYPE_AGE;
  return PSIM_GROUP_TYPE_WORKPLACE;
}

const char *
psim_group_type_name (PsimGroupType type)
{
  static const char *const names[PSIM_N_GROUP_TYPES] = { "gender", "origin", "age", "workplace" };
  return (unsigned) type < PSIM_N_GROUP_TYPES ? names[type] : "?";
}

const char *
psim_group_name (int group)
{
  g_return_val_if_fail (group >= 0 && group < psim_group_count (), "?");
  if (group < GROUP_ORIGIN_BASE)
    return psim_gender_name ((PsimGender) group);
  if (group < GROUP_AGE_BASE)
    return psim_origin_name ((PsimOrigin) (group - GROUP_ORIGIN_BASE));
  if (group < GROUP_WORKPLACE_BASE)
    return age_band_names[group - GROUP_AGE_BASE];
  return psim_mode_name ((PsimMode) (group - GROUP_WORKPLACE_BASE));
}

/* ---------- the calendar ---------- */

PsimDate
psim_engine_week_date (const PsimEngine *e, int week)
{
  /* the burn-in runs under the rules of the first reported week */
  int k = MAX (week - e->burn_in_weeks, 0);
  int year = e->spec->first_year + k / PSIM_WEEKS_PER_YEAR;
  int week_of_year = k % PSIM_WEEKS_PER_YEAR;
  if (week_of_year == PSIM_WEEKS_PER_YEAR - 1)
    return psim_date_from_ymd (year, 12, 31);
  return psim_date_from_ymd (year, 1, 1) + 7 * week_of_year + 6;
}

int
psim_engine_week_year (const PsimEngine *e, int week)
{
  int k = week - e->burn_in_weeks;
  return k < 0 ? -1 : k / PSIM_WEEKS_PER_YEAR;
}

/* ---------- worker arrays ---------- */

static void
workers_reserve (PsimWorkers *w, gsize n)
{
  if (n <= w->capacity)
    return;
  gsize cap = MAX (n, w->capacity + w->capacity / 2 + 64);
  /* PSIM_WORKER_SLACK entries more, so that the vector kernels may read a
   * whole 32-bit word at any worker's field */
#define PSIM_WORKER_FIELD_GROW(type, name) w->name = g_renew (type, w->name, cap + PSIM_WORKER_SLACK);
  PSIM_WORKER_FIELDS (PSIM_WORKER_FIELD_GROW)
#undef PSIM_WORKER_FIELD_GROW
  w->capacity = cap;
  w->last_violence[PSIM_VIOLENCE_PHYSICAL] = w->last_physical;
  w->last_violence[PSIM_VIOLENCE_SEXUAL] = w->last_sexual;
  w->last_violence[PSIM_VIOLENCE_FINANCIAL] = w->last_financial;
  w->last_violence[PSIM_VIOLENCE_SOCIAL] = w->last_social;
}

static void
workers_clear (PsimWorkers *w)
{
#define PSIM_WORKER_FIELD_FREE(type, name) g_free (w->name);
  PSIM_WORKER_FIELDS (PSIM_WORKER_FIELD_FREE)
#undef PSIM_WORKER_FIELD_FREE
  memset (w, 0, sizeof *w);
}

/* Removes the week's leavers (indices ascending): from the highest down,
 * the last worker fills each gap (she is never a leaver: those above were
 * removed first). Nothing in a run depends on where a worker sits in the
 * arrays (every draw is keyed by her serial, every queue is ordered by key
 * and serial), so the order may change. */
void
psim_engine_remove_leavers (PsimEngine *e)
{
  PsimWorkers *w = &e->workers;
  for (gsize q = e->n_leavers; q-- > 0;)
    {
      gsize i = e->leavers[q];
      gsize last = --w->n;
      if (last == i)
        continue;
#define PSIM_WORKER_FIELD_MOVE(type, name) w->name[i] = w->name[last];
      PSIM_WORKER_FIELDS (PSIM_WORKER_FIELD_MOVE)
#undef PSIM_WORKER_FIELD_MOVE
    }
  e->n_leavers = 0;
}

void
psim_engine_set_mode (PsimEngine *e, gsize i, PsimMode mode)
{
  PsimWorkers *w = &e->workers;
  PsimMuniRun *mr = &e->munis[w->muni[i]];
  if (w->mode[i] == mode)
    return;
  mr->occupied[w->mode[i]]--;
  mr->occupied[mode]++;
  w->mode[i] = (uint8_t) mode;
  w->mode_since[i] = (int16_t) e->week;
}

/* The week's lists and the scratch indexed by worker follow the worker
 * arrays' capacity (every worker of a week fits). */
void
psim_engine_reserve_scratch (PsimEngine *e)
{
  gsize need = MAX (e->workers.capacity, (gsize) 1);
  if (need <= e->scratch_capacity)
    return;
  e->leavers = g_renew (uint32_t, e->leavers, need);
  e->applicants = g_renew (uint32_t, e->applicants, need);
  e->apply_serial = g_renew (uint32_t, e->apply_serial, need);
  e->apply_order = g_renew (uint32_t, e->apply_order, need);
  e->apply_spare = g_renew (uint32_t, e->apply_spare, need);
  for (int j = 0; j < 4; j++)
    e->apply_draw[j] = g_renew (uint32_t, e->apply_draw[j], need);
  for (int j = 0; j < 3; j++)
    e->apply_week[j] = g_renew (uint32_t, e->apply_week[j], need);
  e->vacated = g_renew (uint32_t, e->vacated, need);
  e->scratch_capacity = need;
}

static void
scratch_free (PsimEngine *e)
{
  g_free (e->leavers);
  g_free (e->applicants);
  g_free (e->apply_serial);
  g_free (e->apply_order);
  g_free (e->apply_spare);
  g_free (e->busy_index);
  g_free (e->busy_trust);
  g_free (e->busy_serial);
  g_free (e->vacated);
  for (int j = 0; j < 3; j++)
    {
      g_free (e->apply_week[j]);
      g_free (e->busy_week[j]);
    }
  for (int j = 0; j < 4; j++)
    {
      g_free (e->chunk_draws[j]);
      g_free (e->apply_draw[j]);
      for (int b = 0; b < 2; b++)
        g_free (e->busy_draw[b][j]);
    }
}

/* The eviction queue by key, then serial: never by array position. */
int
psim_engine_compare_queued (const void *a, const void *b)
{
  const PsimQueued *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->serial < y->serial ? -1 : x->serial > y->serial;
}

/* The order of psim_engine_compare_queued, by a stable radix sort of the
 * keys, 11 bits a pass over the bits the largest key has, then equal keys
 * (rare: the keys' low 32 bits are random) put in order of serial. A
 * closure queues every worker of a mode in a municipality, thousands at
 * once; a comparison sort of them took 2% of a national run. */
void
psim_engine_sort_queued (PsimQueued *queue, gsize n, PsimQueued *spare)
{
  enum { BITS = 11, BUCKETS = 1 << BITS };
  uint64_t all = 0;
  for (gsize q = 0; q < n; q++)
    all |= queue[q].key;
  PsimQueued *from = queue, *to = spare;
  for (int shift = 0; shift < 64 && (all >> shift) != 0; shift += BITS)
    {
      gsize count[BUCKETS] = { 0 };
      for (gsize q = 0; q < n; q++)
        count[(from[q].key >> shift) & (BUCKETS - 1)]++;
      gsize sum = 0;
      for (int b = 0; b < BUCKETS; b++)
        {
          gsize c = count[b];
          count[b] = sum;
          sum += c;
        }
      for (gsize q = 0; q < n; q++)
        to[count[(from[q].key >> shift) & (BUCKETS - 1)]++] = from[q];
      PsimQueued *t = from;
      from = to;
      to = t;
    }
  if (from != queue)
    memcpy (queue, from, n * sizeof *queue);
  for (gsize q = 1; q < n; q++)
    for (gsize j = q; j > 0 && queue[j - 1].key == queue[j].key && queue[j - 1].serial > queue[j].serial; j--)
      {
        PsimQueued t = queue[j];
        queue[j] = queue[j - 1];
        queue[j - 1] = t;
      }
}

/* Index of the category a uniform falls in, for shares that should sum to
 * one (normalised here; all zero means the first category). */
static int
pick_share (const double *shares, int n, double u)
{
  double total = 0.0;
  for (int k = 0; k < n; k++)
    total += MAX (shares[k], 0.0);
  if (total <= 0.0)
    return 0;
  double target = u * total, cum = 0.0;
  for (int k = 0; k < n - 1; k++)
    {
      cum += MAX (shares[k], 0.0);
      if (target < cum)
        return k;
    }
  return n - 1;
}

static uint8_t
quantise (double u)
{
  return (uint8_t) MIN (floor (u * 256.0), 255.0);
}

/* Appends a new worker with this serial to municipality m, out of work and
 * choosing, from her attribute blocks a, b, c and (an entrant) her block of
 * this week. Her attributes depend only on her serial, so the same entrant
 * is the same person in a scenario and its baseline. Initial workers are
 * drawn partway through their careers. */
static void
add_drawn (PsimEngine *e, int m, gboolean initial, uint32_t serial, const uint32_t a[4], const uint32_t b[4],
           const uint32_t c[4], const uint32_t week[4])
{
  PsimWorkers *w = &e->workers;
  PsimMuniRun *mr = &e->munis[m];
  const PsimParams *p = e->params;
  workers_reserve (w, w->n + 1);
  gsize i = w->n++;

  w->serial[i] = serial;
  w->muni[i] = (uint16_t) m;
  w->mode[i] = PSIM_MODE_OUT;
  w->flags[i] = PSIM_WF_MUST_CHOOSE;
  w->gender[i] = (uint8_t) pick_share (mr->source->gender_mix, PSIM_N_GENDERS, psim_rng_u01_32 (a[0]));
  w->origin[i] = (uint8_t) pick_share (mr->source->origin_mix, PSIM_N_ORIGINS, psim_rng_u01_32 (a[1]));
  w->kind[i] = (uint8_t) PSIM_KIND (w->gender[i], w->origin[i]);

  /* age at entry: 18 plus an exponential excess (average starting age 28,
   * Daalder 2015); initial workers are some way into their careers. Both
   * are drawn below the maximum age, not cut off at it: a cut would put
   * the tail at the maximum age, to leave a week later and be replaced
   * (with a low maximum age and late starts, without end). */
  double max_years = p->max_age - PSIM_LEGAL_AGE;
  double entry_years = p->entry_age_above_18 > 0.0
                         ? p->entry_age_above_18
                             * psim_rng_exponential_below_tail (psim_rng_u01_32 (a[2]), e->entry_tail)
                         : 0.0;
  double career_years = 0.0;
  if (initial && p->career_years > 0.0)
    career_years = p->career_years
                   * psim_rng_exponential_below_from (psim_rng_u01_32 (a[3]),
                                                      (max_years - entry_years) / p->career_years);
  int age_weeks = (int) lround ((PSIM_LEGAL_AGE + entry_years + career_years) * PSIM_WEEKS_PER_YEAR);
  w->birth_week[i] = (int16_t) (e->week - MIN (age_weeks, e->max_age_weeks - 1));
  w->career_start[i] = (int16_t) (e->week - lround (career_years * PSIM_WEEKS_PER_YEAR));
  w->mode_since[i] = (int16_t) e->week;

  w->privacy[i] = quantise (psim_rng_u01_32 (b[0]));
  w->autonomy[i] = quantise (psim_rng_u01_32 (b[1]));
  w->risk_aversion[i] = quantise (psim_rng_u01_32 (b[2]));
  double z = psim_rng_normal_from (psim_rng_u01_53 (c[0], c[1]), psim_rng_u01_53 (c[2], c[3]));
  w->trust[i] = (float) CLAMP (p->trust_initial + p->trust_initial_sd * z, 0.0, 1.0);

  for (int t = 0; t < PSIM_N_VIOLENCE; t++)
    w->last_violence[t][i] = PSIM_WEEK_NEVER;
  w->last_report[i] = PSIM_WEEK_NEVER;
  w->last_test[i] = PSIM_WEEK_NEVER;
  w->last_sanction[i] = PSIM_WEEK_NEVER;
  /* an entrant chooses this week; she was not there when the week's pass
   * drew the weekly blocks, so she draws hers (words 1-3, for phases 4-9
   * after the choice). The starting population chooses in week 0. */
  if (!initial)
    {
      psim_engine_reserve_scratch (e);
      for (int j = 0; j < 3; j++)
        e->apply_week[j][e->n_applicants] = week[1 + j];
      e->applicants[e->n_applicants++] = (uint32_t) i;
    }

  mr->occupied[PSIM_MODE_OUT]++;
  mr->population++;
}

/* Appends up to n new workers to municipality m (add_drawn), their blocks
 * drawn together a batch at a time (the same words as one block at a time).
 * Returns how many it added: fewer than n only when the municipality has
 * handed out every serial (e->serials_exhausted). */
int32_t
psim_engine_add_workers (PsimEngine *e, int m, int32_t n, gboolean initial)
{
  enum { BATCH = 256 };
  PsimMuniRun *mr = &e->munis[m];
  int32_t added = 0;
  while (added < n)
    {
      uint32_t serial[BATCH], words[4][4][BATCH];
      gsize k = 0;
      for (; k < BATCH && added + (int32_t) k < n; k++)
        {
          uint32_t slot = (uint32_t) m + mr->entrants / PSIM_MAX_ENTRANTS * (uint32_t) e->n_munis;
          if (slot >= PSIM_MAX_MUNICIPALITIES)
            {
              e->serials_exhausted = TRUE;
              break;
            }
          serial[k] = (slot << PSIM_SERIAL_INDEX_BITS) | (mr->entrants++ % PSIM_MAX_ENTRANTS);
        }
      if (k == 0)
        break;
      /* blocks 0-2: her attributes; 3: her week (an entrant's) */
      for (int d = 0; d < 4; d++)
        {
          uint32_t *const planar[4] = { words[d][0], words[d][1], words[d][2], words[d][3] };
          if (d < 3)
            psim_rng_blocks_planar (&e->key, serial, k, 0, PSIM_DRAW_ATTRIBUTES, (uint32_t) d, planar);
          else if (!initial)
            psim_rng_blocks_planar (&e->key, serial, k, (uint32_t) e->week, PSIM_DRAW_WEEK, 0, planar);
        }
      for (gsize q = 0; q < k; q++)
        {
          uint32_t block[4][4];
          for (int d = 0; d < 4; d++)
            for (int j = 0; j < 4; j++)
              block[d][j] = initial && d == 3 ? 0 : words[d][j][q];
          add_drawn (e, m, initial, serial[q], block[0], block[1], block[2], block[3]);
        }
      added += (int32_t) k;
      if (e->serials_exhausted)
        break;
    }
  return added;
}

/* ---------- the week ---------- */

static void
begin_week (PsimEngine *e)
{
  memset (e->week_muni, 0, sizeof (PsimTally) * (gsize) e->n_munis);
  memset (e->week_group, 0, sizeof (PsimTally) * (gsize) psim_group_count ());
  for (int m = 0; m < e->n_munis; m++)
    {
      PsimMuniRun *mr = &e->munis[m];
      mr->week_entries = 0;
      mr->week_exits = 0;
      memset (mr->week_applied_full, 0, sizeof mr->week_applied_full);
    }
}

/* The phases of a week, in order. One table, so that `permitsim bench` can
 * time each phase of the very week psim_engine_step runs. */
static const struct {
  void (*run) (PsimEngine *e);
  const char *name;
} week_phases[PSIM_N_WEEK_PHASES] = {
  { psim_engine_policy_events, "1 policy events: closures, caps, bans, evictions" },
  { psim_engine_prepare_rules, "  the tables of the rules in force" },
  { psim_engine_week_pass, "2 the week's pass: careers end, who reconsiders; 4-9 of the others" },
  { psim_engine_entry, "2 entrants" },
  { psim_engine_prepare_market, "  what every option is worth this week" },
  [PSIM_WEEK_PHASE_CHOICE] = { psim_engine_choice, "3 the choice of workplace" },
  { psim_engine_prices, "  prices and new venues" },
  { psim_engine_at_work_applicants, "4-9 at work, for those who chose" },
  { psim_engine_vacate, "  workplaces lost in 4-9 free up" },
  { psim_engine_remove_leavers, "  leavers removed" },
  { psim_engine_record, "10 the week's tallies" },
};

/* One week, MODEL.md §4. Phases 4-9 of a worker read only her own state and
 * her municipality's tables of the rules, and change nothing another worker
 * reads before the week's end but the occupancy of places (which
 * psim_engine_vacate applies after the choice and the prices). So they run
 * in the same pass over the workers as phase 2 for those who do not choose
 * this week (their workplace cannot change in phase 3), and after the choice
 * for those who do: exactly what running the phases one after the other
 * for everyone gives, with one pass over the workers instead of two. */
void
psim_engine_step (PsimEngine *e)
{
  begin_week (e);
  for (int k = 0; k < PSIM_N_WEEK_PHASES; k++)
    week_phases[k].run (e);
  e->week++;
}

void
psim_engine_step_timed (PsimEngine *e, double (*clock) (void), double seconds[PSIM_N_WEEK_PHASES])
{
  begin_week (e);
  for (int k = 0; k < PSIM_N_WEEK_PHASES; k++)
    {
      double t0 = clock ();
      week_phases[k].run (e);
      seconds[k] += clock () - t0;
    }
  e->week++;
}

const char *
psim_engine_phase_name (int k)
{
  return k >= 0 && k < PSIM_N_WEEK_PHASES ? week_phases[k].name : NULL;
}

/* ---------- recording ---------- */

/* Adds the stocks of this week (workers by mode and sector, places, rents,
 * the waiting list, 12-month prevalences, exploitation) to one tally per
 * municipality and, when given, one per group. */
static void
add_stocks (const PsimEngine *e, PsimTally *muni_rows, PsimTally *group_rows)
{
  const PsimWorkers *w = &e->workers;
  for (int m = 0; m < e->n_munis; m++)
    {
      const PsimMuniRun *mr = &e->munis[m];
      PsimTally *t = &muni_rows[m];
      for (int k = 0; k < PSIM_N_MODES; k++)
        if (psim_policy_has_capacity ((PsimMode) k))
          /* places without limit (licences on demand): the ones held */
          t->places[k] += mr->places[k] == PSIM_UNLIMITED ? mr->occupied[k] : mr->places[k];
      double rent = e->params->window_rent * mr->price[PSIM_VENUE_WINDOW];
      t->window_rent_sum += rent * mr->places[PSIM_MODE_WINDOW];
      t->window_rent_places += mr->places[PSIM_MODE_WINDOW];
    }
  for (gsize i = 0; i < w->n; i++)
    {
      int groups[PSIM_N_GROUP_TYPES];
      PsimTally *rows[1 + PSIM_N_GROUP_TYPES];
      int n_rows = 0;
      rows[n_rows++] = &muni_rows[w->muni[i]];
      if (group_rows != NULL)
        {
          psim_engine_groups_of (e, i, groups);
          for (int g = 0; g < PSIM_N_GROUP_TYPES; g++)
            rows[n_rows++] = &group_rows[groups[g]];
        }
      gboolean waiting = (w->flags[i] & PSIM_WF_WAITING) != 0;
      if (w->mode[i] == PSIM_MODE_OUT)
        {
          for (int r = 0; r < n_rows; r++)
            rows[r]->waiting += waiting;
          continue;
        }
      PsimSector s = psim_engine_sector (e, i);
      gboolean reported = psim_engine_within_12m (e, w->last_report[i]);
      gboolean tested = psim_engine_within_12m (e, w->last_test[i]);
      gboolean exploited = (w->flags[i] & PSIM_WF_EXPLOITED) != 0;
      gboolean ever_exploited = (w->flags[i] & PSIM_WF_EVER_EXPLOITED) != 0;
      for (int r = 0; r < n_rows; r++)
        {
          PsimTally *t = rows[r];
          t->workers++;
          t->sector[s]++;
          t->mode[w->mode[i]]++;
          t->waiting += waiting;
          for (int v = 0; v < PSIM_N_VIOLENCE; v++)
            t->violence_12m[v] += psim_engine_within_12m (e, w->last_violence[v][i]);
          t->reported_12m += reported;
          t->tested_12m += tested;
          t->exploited += exploited;
          t->ever_exploited += ever_exploited;
        }
    }
}

void
psim_engine_record (PsimEngine *e)
{
  PsimRunResult *r = e->result;
  int year = psim_engine_week_year (e, e->week);
  if (year < 0 || r == NULL)
    return;
  int n_groups = psim_group_count ();
  PsimTally *annual = &r->annual[(gsize) year * (gsize) e->n_munis];
  PsimTally *groups = &r->groups[(gsize) year * (gsize) n_groups];
  for (int m = 0; m < e->n_munis; m++)
    psim_tally_add (&annual[m], &e->week_muni[m]);
  for (int g = 0; g < n_groups; g++)
    psim_tally_add (&groups[g], &e->week_group[g]);
  int week_of_year = (e->week - e->burn_in_weeks) % PSIM_WEEKS_PER_YEAR;
  if (week_of_year == PSIM_WEEKS_PER_YEAR - 1)
    add_stocks (e, annual, groups);
  if (r->weekly != NULL)
    {
      int k = e->week - e->burn_in_weeks;
      PsimTally *row = &r->weekly[(gsize) k * (gsize) e->n_munis];
      memcpy (row, e->week_muni, sizeof (PsimTally) * (gsize) e->n_munis);
      add_stocks (e, row, NULL);
    }
}

/* ---------- set-up ---------- */

/* The group factors of violence: young, migrant, male and trans workers run
 * a higher risk of sexual and social-emotional violence (SoaAids 2018, in the
 * brochure: "Jonge sekswerkers, migranten sekswerkers die de taal niet
 * spreken, mannelijke en transsekswerkers lopen een verhoogd risico op
 * seksueel en sociaal emotioneel geweld"). One row per class
 * (gender x migrant x young, see psim_engine_violence_class). */
static void
init_violence_classes (PsimEngine *e)
{
  const PsimParams *p = e->params;
  for (int c = 0; c < PSIM_N_VIOLENCE_CLASSES; c++)
    {
      int gender = c / 4, migrant = (c / 2) % 2, young = c % 2;
      for (int t = 0; t < PSIM_N_VIOLENCE; t++)
        {
          double f = 1.0;
          if (t == PSIM_VIOLENCE_SEXUAL || t == PSIM_VIOLENCE_SOCIAL)
            {
              if (gender == PSIM_GENDER_MALE)
                f *= p->violence_male;
              else if (gender == PSIM_GENDER_TRANS)
                f *= p->violence_trans;
              if (migrant)
                f *= p->violence_migrant;
              if (young)
                f *= p->violence_young;
            }
          e->class_violence[t][c] = (float) f;
        }
    }
}

/* A threshold of a 32-bit word w for probability p: w < it exactly when
 * w / 2^32 < p (2^32: always). */
static uint64_t
below32 (double p)
{
  double x = p * 4294967296.0;
  if (!(x > 0.0))
    return 0;
  return x >= 4294967296.0 ? UINT64_C (1) << 32 : (uint64_t) ceil (x);
}

/* Phase 2 decides with one uniform u (word 0 of the weekly block) whether a
 * worker leaves (u < h, her exit hazard) and, if she stays, whether she
 * reconsiders (u < h + (1 - h) r, r her chance to reconsider): that is
 * P(leave) = h and P(reconsider | stay) = r, as with two independent draws.
 * h depends on four facts about her (the exit class), r on her state. */
static void
init_exit_tables (PsimEngine *e)
{
  const PsimParams *p = e->params;
  for (int c = 0; c < PSIM_N_EXIT_CLASSES; c++)
    {
      double h = e->p_exit;
      if (c & 1)
        h *= p->exit_first_year_factor;
      if (c & 2)
        h *= p->exit_violence_factor;
      if (c & 4)
        h *= p->exit_sanction_factor;
      if (c & 8)
        h *= p->exit_out_factor;
      h = MIN (h, 1.0);
      e->exit_below[c] = below32 (h);
      for (unsigned s = 0; s < PSIM_N_RECONSIDER; s++)
        {
          /* must choose: always; out of work; waiting for a place; working */
          unsigned flags = s << 2;
          double r = (flags & PSIM_WF_MUST_CHOOSE) ? 1.0
                     : (c & 8)                     ? p->out_reconsider
                     : (flags & PSIM_WF_WAITING)   ? p->waiting_reconsider
                                                   : e->p_reconsider;
          e->reconsider_below[c][s] = r >= 1.0 ? UINT64_C (1) << 32 : below32 (h + (1.0 - h) * r);
          e->quiet_from[c >> 3][s] = MAX (e->quiet_from[c >> 3][s],
                                          MAX (e->reconsider_below[c][s], e->exit_below[c]));
        }
    }
}

/* The odds against reporting an incident, e^-x with x the log-odds of
 * reporting (report, engine_risk.c), as three tabled factors. */
static void
init_report_odds (PsimEngine *e)
{
  const PsimParams *p = e->params;
  for (int s = 0; s < PSIM_N_SECTORS; s++)
    for (int registered = 0; registered < 2; registered++)
      for (int cc = 0; cc < 2; cc++)
        for (int exploited = 0; exploited < 2; exploited++)
          {
            double x = p->report_intercept;
            if (s == PSIM_SECTOR_UNLICENSED)
              x += p->report_unlicensed;
            else if (s == PSIM_SECTOR_ILLEGAL)
              x += p->report_illegal;
            if (registered)
              x += p->report_registered;
            if (cc)
              x += p->report_client_criminalisation;
            if (exploited)
              x += p->report_exploited;
            e->report_odds_base[s][registered][cc][exploited] = exp (-x);
          }
  for (int k = 0; k < 256; k++)
    e->report_odds_privacy[k] = exp (-p->report_anonymity * (k / 255.0));
  double least = INFINITY;
  for (int k = 0; k <= 256; k++)
    {
      e->report_odds_trust[k] = exp (-p->report_trust * (k / 256.0));
      least = MIN (least, e->report_odds_trust[k]);
    }
  /* psim_engine_report_odds_trust multiplies an entry by the series of e^y,
   * |y| <= |report.trust| / 256, whose error is below |y|^5 / 120 e^|y|
   * (doubled here, and a relative 1e-9 for rounding): a floor below it for
   * any trust (0 when the bound says nothing) */
  double y = fabs (p->report_trust) / 256.0;
  double series_floor = exp (-y) - 2.0 * pow (y, 5) / 120.0 * exp (y);
  e->report_odds_trust_floor = series_floor > 0.0 ? least * series_floor * (1.0 - 1e-9) : 0.0;
}

gboolean
psim_run_spec_check (const PsimRunSpec *spec, GError **error)
{
  if (spec == NULL || spec->region == NULL || spec->params == NULL)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME, "run: no region or no parameters given");
      return FALSE;
    }
  int n = spec->region->n_municipalities;
  if (n < 1 || n > PSIM_MAX_MUNICIPALITIES)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                   "run: region \"%s\" has %d municipalities (1 to %d can be simulated together)",
                   spec->region->name ? spec->region->name : "?", n, PSIM_MAX_MUNICIPALITIES);
      return FALSE;
    }
  if (spec->first_year < 1 || spec->last_year > 9998 || spec->first_year > spec->last_year)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME, "run: period %d-%d is empty or out of range",
                   spec->first_year, spec->last_year);
      return FALSE;
    }
  if (spec->n_scenarios < 0 || (spec->n_scenarios > 0 && spec->scenarios == NULL))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME, "run: scenarios missing");
      return FALSE;
    }
  /* week stamps are 16 bits: ages reach back max-age years before the start */
  double weeks = ((double) spec->params->burn_in_years + (spec->last_year - spec->first_year + 1)
                  + spec->params->max_age)
                 * PSIM_WEEKS_PER_YEAR;
  if (weeks >= (double) INT16_MAX)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                   "run: period %d-%d with %g burn-in years is too long to simulate: the burn-in and "
                   "the period together can be at most %d years (with exit.max-age at %g)",
                   spec->first_year, spec->last_year, spec->params->burn_in_years,
                   (int) ceil ((double) INT16_MAX / PSIM_WEEKS_PER_YEAR - spec->params->max_age) - 1,
                   spec->params->max_age);
      return FALSE;
    }
  return TRUE;
}

PsimEngine *
psim_engine_new (const PsimRunSpec *spec, PsimRunResult *result, GError **error)
{
  if (!psim_run_spec_check (spec, error))
    return NULL;
  PsimEngine *e = g_new0 (PsimEngine, 1);
  const PsimRegion *region = spec->region;
  e->spec = spec;
  e->params = spec->params;
  e->n_munis = region->n_municipalities;
  psim_rng_key_init (&e->key, spec->seed, spec->replication);
  int n_years = spec->last_year - spec->first_year + 1;
  e->burn_in_weeks = (int) lround (e->params->burn_in_years) * PSIM_WEEKS_PER_YEAR;
  e->total_weeks = e->burn_in_weeks + n_years * PSIM_WEEKS_PER_YEAR;
  e->week = 0; /* the starting population's birth weeks are negative */
  const PsimParams *p = e->params;
  e->p_exit = -expm1 (-1.0 / (p->career_years * PSIM_WEEKS_PER_YEAR));
  if (p->entry_age_above_18 > 0.0)
    e->entry_tail = expm1 (-((p->max_age - PSIM_LEGAL_AGE) / p->entry_age_above_18));
  e->p_reconsider = -expm1 (-p->reconsider_rate / PSIM_WEEKS_PER_YEAR);
  init_exit_tables (e);
  for (int k = 0; k < PSIM_N_MODES; k++)
    e->autonomy_term[k] = p->autonomy_weight * psim_engine_mode_autonomy (p, k);
  e->report_social_odds = exp (-p->report_social);
  G_STATIC_ASSERT (PSIM_N_VIOLENCE_CLASSES <= 16 && PSIM_N_SECTORS < 8);
  for (int s = 0; s < 8; s++)
    e->police_access[s] = s < PSIM_N_SECTORS ? psim_engine_police_access (p, s) : 1.0;
  init_report_odds (e);
  for (int k = 0; k < PSIM_N_MODES; k++)
    e->has_capacity[k] = psim_policy_has_capacity ((PsimMode) k);
  e->young_weeks = (int32_t) lround (p->young_age * PSIM_WEEKS_PER_YEAR);
  e->max_age_weeks = (int32_t) lround (p->max_age * PSIM_WEEKS_PER_YEAR);
  e->max_out_weeks = (int32_t) lround (p->max_out_weeks);
  e->shock_weeks = (int32_t) lround (p->exit_shock_weeks);
  init_violence_classes (e);
  for (int o = 0; o < PSIM_N_ORIGINS; o++)
    e->origin_status[o] = (uint8_t) psim_policy_origin_status ((PsimOrigin) o);
  for (int g = 0; g < PSIM_N_GENDERS; g++)
    for (int o = 0; o < PSIM_N_ORIGINS; o++)
      {
        int migrant = o != PSIM_ORIGIN_DUTCH;
        e->kind_status[PSIM_KIND (g, o)] = e->origin_status[o];
        e->kind_violence[PSIM_KIND (g, o)] = (uint8_t) (2 * (g * 4 + migrant * 2));
      }
  e->busy_index = g_new (uint32_t, PSIM_CHUNK);
  e->busy_trust = g_new (float, PSIM_CHUNK);
  e->busy_serial = g_new (uint32_t, PSIM_CHUNK);
  for (int j = 0; j < 3; j++)
    e->busy_week[j] = g_new (uint32_t, PSIM_CHUNK);
  for (int j = 0; j < 4; j++)
    {
      e->chunk_draws[j] = g_new (uint32_t, PSIM_CHUNK);
      for (int b = 0; b < 2; b++)
        e->busy_draw[b][j] = g_new (uint32_t, PSIM_CHUNK);
    }
  e->queue = g_array_new (FALSE, FALSE, sizeof (PsimQueued));
  e->vector_pass = psim_engine_vector_pass_available ();
  psim_engine_screen_alloc (e);
  e->week_muni = g_new0 (PsimTally, e->n_munis);
  e->week_group = g_new0 (PsimTally, psim_group_count ());

  e->munis = g_new0 (PsimMuniRun, e->n_munis);
  for (int m = 0; m < e->n_munis; m++)
    {
      PsimMuniRun *mr = &e->munis[m];
      mr->source = &region->municipalities[m];
      psim_muni_state_init (&mr->state);
      for (int v = 0; v < PSIM_N_VENUES; v++)
        mr->price[v] = 1.0;
    }

  e->result = result;
  if (result != NULL)
    {
      memset (result, 0, sizeof *result);
      result->first_year = spec->first_year;
      result->n_years = n_years;
      result->n_municipalities = e->n_munis;
      result->annual = g_new0 (PsimTally, (gsize) n_years * (gsize) e->n_munis);
      result->groups = g_new0 (PsimTally, (gsize) n_years * (gsize) psim_group_count ());
      if (spec->weekly)
        {
          result->n_weeks = n_years * PSIM_WEEKS_PER_YEAR;
          result->week_start = g_new (PsimDate, result->n_weeks);
          result->weekly = g_new0 (PsimTally, (gsize) result->n_weeks * (gsize) e->n_munis);
          for (int k = 0; k < result->n_weeks; k++)
            result->week_start[k] = psim_date_from_ymd (spec->first_year + k / PSIM_WEEKS_PER_YEAR, 1, 1)
                                    + 7 * (k % PSIM_WEEKS_PER_YEAR);
        }
    }

  /* the starting population: the demand of the first reported week, every
   * worker out of work and choosing in week 0 (the burn-in allocates them) */
  psim_engine_policy_events (e);
  for (int m = 0; m < e->n_munis; m++)
    psim_engine_add_workers (e, m, e->munis[m].demand, TRUE);
  return e;
}

void
psim_engine_free (PsimEngine *e)
{
  if (e == NULL)
    return;
  for (int m = 0; m < e->n_munis; m++)
    psim_muni_state_clear (&e->munis[m].state);
  g_free (e->munis);
  workers_clear (&e->workers);
  g_array_unref (e->queue);
  scratch_free (e);
  psim_engine_screen_free (e);
  g_free (e->week_muni);
  g_free (e->week_group);
  g_free (e);
}

/* ---------- invariants ---------- */

gboolean
psim_engine_check (const PsimEngine *e, GError **error)
{
  const PsimWorkers *w = &e->workers;
  int32_t *occupied = g_new0 (int32_t, (gsize) e->n_munis * PSIM_N_MODES);
#define OCCUPIED(m, k) occupied[(gsize) (m) * PSIM_N_MODES + (gsize) (k)]
  gboolean ok = TRUE;
  for (gsize i = 0; i < w->n && ok; i++)
    {
      if (w->muni[i] >= e->n_munis || w->mode[i] >= PSIM_N_MODES || w->gender[i] >= PSIM_N_GENDERS
          || w->origin[i] >= PSIM_N_ORIGINS || !(w->trust[i] >= 0.0f && w->trust[i] <= 1.0f)
          || (w->flags[i] & PSIM_WF_LEAVING))
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME, "week %d: worker %u has a field out of range",
                       e->week, w->serial[i]);
          ok = FALSE;
          break;
        }
      OCCUPIED (w->muni[i], w->mode[i])++;
    }
  for (int m = 0; m < e->n_munis && ok; m++)
    {
      const PsimMuniRun *mr = &e->munis[m];
      int32_t population = 0;
      for (int k = 0; k < PSIM_N_MODES && ok; k++)
        {
          population += OCCUPIED (m, k);
          if (OCCUPIED (m, k) != mr->occupied[k])
            {
              g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                           "week %d: %s: %d workers in mode %s, the engine counts %d", e->week,
                           mr->source->name, OCCUPIED (m, k), psim_mode_name ((PsimMode) k), mr->occupied[k]);
              ok = FALSE;
            }
          else if (psim_policy_has_capacity ((PsimMode) k) && OCCUPIED (m, k) > mr->places[k])
            {
              g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                           "week %d: %s: %d workers in mode %s with %d places", e->week,
                           mr->source->name, OCCUPIED (m, k), psim_mode_name ((PsimMode) k), mr->places[k]);
              ok = FALSE;
            }
        }
      if (ok && population != mr->population)
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                       "week %d: %s: %d workers present, the engine counts %d", e->week,
                       mr->source->name, population, mr->population);
          ok = FALSE;
        }
    }
#undef OCCUPIED
  g_free (occupied);
  return ok;
}

/* ---------- the public entry points ---------- */

gboolean
psim_engine_run (const PsimRunSpec *spec, PsimRunResult *out, GError **error)
{
  g_return_val_if_fail (out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  PsimEngine *e = psim_engine_new (spec, out, error);
  if (e == NULL)
    return FALSE;
  /* after Ctrl-C or SIGTERM the run stops within a week; its caller reports
   * the interruption (psim_interrupt_check) */
  while (e->week < e->total_weeks && !psim_interrupted ())
    psim_engine_step (e);
  gboolean interrupted = e->week < e->total_weeks;
  gboolean ok = !interrupted && !e->serials_exhausted;
  if (interrupted)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME, "run: interrupted");
      psim_run_result_clear (out);
    }
  else if (!ok)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                   "run: more workers entered a municipality than a run can number: with these "
                   "parameters workers leave about as fast as they arrive (see the exit.* and "
                   "choice.* parameters), or the period is very long");
      psim_run_result_clear (out);
    }
  psim_engine_free (e);
  return ok;
}

void
psim_run_result_clear (PsimRunResult *result)
{
  if (result == NULL)
    return;
  g_free (result->annual);
  g_free (result->groups);
  g_free (result->week_start);
  g_free (result->weekly);
  memset (result, 0, sizeof *result);
}

void
psim_run_result_region (const PsimRunResult *result, int year_index, PsimTally *out)
{
  memset (out, 0, sizeof *out);
  g_return_if_fail (result != NULL && year_index >= 0 && year_index < result->n_years);
  for (int m = 0; m < result->n_municipalities; m++)
    psim_tally_add (out, &result->annual[(gsize) year_index * (gsize) result->n_municipalities + m]);
}
