/* Tests for the ensemble runner (src/ensemble*.c): the same bytes whatever
 * the number of threads and the same as one-by-one runs, slices that agree
 * with the whole, a bounded number of results alive at once, Latin hypercube
 * strata, and the byte form of a replication. Short period, few replications. */
#include <math.h>
#include <string.h>

#include "permitsim/ensemble.h"
#include "permitsim/error.h"
#include "permitsim/loader.h"
#include "testutil.h"

#define FIRST_YEAR 2000
#define LAST_YEAR 2001

static PsimRegion *region;
static PsimParamSet *params;

/* The bundled parameters with a one-year burn-in, fixed rather than sampled:
 * these tests are about ensembles, not the model, and must stay quick. */
static char *
quick_parameters (void)
{
  g_autofree char *bundled = psim_test_path ("municipalities/parameters.xml");
  g_autofree char *text = NULL;
  if (!g_file_get_contents (bundled, &text, NULL, NULL))
    return g_steal_pointer (&bundled); /* the loader reports it */
  g_autoptr (GRegex) re = g_regex_new ("(name=\"run\\.burn-in-years\" value=\")[^\"]*"
                                       "(\" unit=\"[^\"]*\" min=\")[^\"]*(\" max=\")[^\"]*\"",
                                       0, 0, NULL);
  g_autofree char *quick = g_regex_replace (re, text, -1, 0, "\\g<1>1\\g<2>1\\g<3>1\"", 0, NULL);
  g_autofree char *dir = psim_test_tmpdir ();
  char *path = g_build_filename (dir, "parameters.xml", NULL);
  g_assert (g_file_set_contents (path, quick, -1, NULL));
  return path;
}

static void
load_fixture (void)
{
  if (region != NULL)
    return;
  GError *error = NULL;
  g_autofree char *region_path = psim_test_path ("tests/data/valid/region.xml");
  g_autofree char *params_path = quick_parameters ();
  region = psim_region_load (region_path, NULL, &error);
  if (region == NULL)
    g_error ("%s", error->message);
  params = psim_param_set_load (params_path, NULL, &error);
  if (params == NULL)
    g_error ("%s", error->message);
}

static PsimEnsembleSpec
small_spec (uint32_t n, int threads)
{
  load_fixture ();
  PsimEnsembleSpec spec;
  psim_ensemble_spec_init (&spec);
  spec.region = region;
  spec.params = params;
  spec.first_year = FIRST_YEAR;
  spec.last_year = LAST_YEAR;
  spec.seed = 20240611;
  spec.n_replications = n;
  spec.first = 0;
  spec.last = n;
  spec.n_threads = threads;
  return spec;
}

/* Collects each replication's bytes, in the order delivered. */
static gboolean
collect (const PsimReplication *rep, gpointer user_data, GError **error)
{
  g_ptr_array_add (user_data, psim_replication_serialize (rep));
  return TRUE;
}

static GPtrArray *
run_collect (const PsimEnsembleSpec *spec, PsimEnsembleStats *stats)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GError *error = NULL;
  gboolean ok = psim_ensemble_run (spec, collect, out, stats, &error);
  if (!ok)
    g_printerr ("ensemble failed: %s\n", error != NULL ? error->message : "?");
  CU_ASSERT_FATAL (ok);
  return out;
}

static uint32_t
number_of (GBytes *bytes)
{
  PsimReplication rep;
  CU_ASSERT_FATAL (psim_replication_deserialize (g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), &rep, NULL));
  uint32_t r = rep.replication;
  psim_replication_clear (&rep);
  return r;
}

static void
test_threads_give_the_same_bytes (void)
{
  const uint32_t n = 5;
  PsimEnsembleSpec spec = small_spec (n, 1);
  g_autoptr (GPtrArray) one = run_collect (&spec, NULL);
  CU_ASSERT_EQUAL_FATAL (one->len, n);
  for (uint32_t i = 0; i < n; i++)
    CU_ASSERT_EQUAL (number_of (g_ptr_array_index (one, i)), i);
  /* replications differ from each other (the seed reaches the engine) */
  CU_ASSERT_FALSE (g_bytes_equal (g_ptr_array_index (one, 0), g_ptr_array_index (one, 1)));

  int threads[] = { 2, 4 };
  for (gsize t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      spec.n_threads = threads[t];
      PsimEnsembleStats stats = { 0 };
      g_autoptr (GPtrArray) many = run_collect (&spec, &stats);
      CU_ASSERT_EQUAL_FATAL (many->len, n);
      CU_ASSERT_EQUAL (stats.replications, n);
      CU_ASSERT_EQUAL (stats.threads, threads[t]);
      for (uint32_t i = 0; i < n; i++)
        CU_ASSERT (g_bytes_equal (g_ptr_array_index (one, i), g_ptr_array_index (many, i)));
    }

  /* one by one through the engine, as `run` did before ensembles */
  for (uint32_t i = 0; i < n; i++)
    {
      PsimReplication rep = { .replication = i, .params = params->values };
      PsimRunSpec run = {
        .region = region, .params = &params->values, .first_year = FIRST_YEAR,
        .last_year = LAST_YEAR, .seed = spec.seed, .replication = i,
      };
      CU_ASSERT_FATAL (psim_engine_run (&run, &rep.result, NULL));
      g_autoptr (GBytes) bytes = psim_replication_serialize (&rep);
      CU_ASSERT (g_bytes_equal (bytes, g_ptr_array_index (one, i)));
      psim_replication_clear (&rep);
    }
}

static void
test_slices_agree_with_the_whole (void)
{
  PsimEnsembleSpec whole = small_spec (5, 2);
  whole.sample_parameters = TRUE;
  g_autoptr (GPtrArray) all = run_collect (&whole, NULL);

  PsimEnsembleSpec a = whole, b = whole;
  a.last = 3;
  a.n_threads = 1;
  b.first = 3;
  b.n_threads = 3;
  g_autoptr (GPtrArray) part_a = run_collect (&a, NULL);
  g_autoptr (GPtrArray) part_b = run_collect (&b, NULL);
  CU_ASSERT_EQUAL_FATAL (part_a->len, 3);
  CU_ASSERT_EQUAL_FATAL (part_b->len, 2);
  for (guint i = 0; i < 3; i++)
    CU_ASSERT (g_bytes_equal (g_ptr_array_index (part_a, i), g_ptr_array_index (all, i)));
  for (guint i = 0; i < 2; i++)
    CU_ASSERT (g_bytes_equal (g_ptr_array_index (part_b, i), g_ptr_array_index (all, 3 + i)));
  CU_ASSERT_EQUAL (number_of (g_ptr_array_index (part_b, 0)), 3);
}

static void
test_runner_stride (void)
{
  PsimEnsembleSpec spec = small_spec (6, 2);
  GError *error = NULL;
  PsimEnsembleRunner *runner = psim_ensemble_runner_new (&spec, 1, 2, &error);
  CU_ASSERT_FATAL (runner != NULL);
  PsimReplication rep;
  uint32_t expect[] = { 1, 3, 5 };
  guint k = 0;
  while (psim_ensemble_runner_next (runner, &rep, &error))
    {
      CU_ASSERT_FATAL (k < G_N_ELEMENTS (expect));
      CU_ASSERT_EQUAL (rep.replication, expect[k]);
      k++;
      psim_replication_clear (&rep);
    }
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_EQUAL (k, 3);
  psim_ensemble_runner_free (runner);
}

/* The runner's count of results alive (computing or waiting for the
 * consumer) never passes its window, however many replications run. */
static gboolean
count_calls (const PsimReplication *rep, gpointer user_data, GError **error)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static void
test_memory_is_bounded (void)
{
  PsimEnsembleSpec spec = small_spec (12, 2);
  spec.last_year = FIRST_YEAR; /* one year is enough here */
  guint calls = 0;
  PsimEnsembleStats stats = { 0 };
  CU_ASSERT_FATAL (psim_ensemble_run (&spec, count_calls, &calls, &stats, NULL));
  CU_ASSERT_EQUAL (calls, 12);
  CU_ASSERT (stats.peak_alive >= 1);
  CU_ASSERT (stats.peak_alive <= 4); /* 2 x threads, not 12 */
}

static gboolean
fail_at_third (const PsimReplication *rep, gpointer user_data, GError **error)
{
  (*(guint *) user_data)++;
  if (rep->replication == 2)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "disk full at %u", rep->replication);
      return FALSE;
    }
  return TRUE;
}

static void
test_consumer_failure_stops (void)
{
  PsimEnsembleSpec spec = small_spec (8, 2);
  spec.last_year = FIRST_YEAR;
  guint calls = 0;
  GError *error = NULL;
  CU_ASSERT_FALSE (psim_ensemble_run (&spec, fail_at_third, &calls, NULL, &error));
  CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_IO));
  CU_ASSERT_EQUAL (calls, 3);
  g_clear_error (&error);

  spec.first = 5;
  spec.last = 4;
  CU_ASSERT_FALSE (psim_ensemble_run (&spec, fail_at_third, &calls, NULL, &error));
  CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_USAGE));
  g_clear_error (&error);
}

static void
test_sampled_parameters_in_ranges (void)
{
  PsimEnsembleSpec spec = small_spec (4, 2);
  spec.last_year = FIRST_YEAR;
  spec.sample_parameters = TRUE;
  g_autoptr (GPtrArray) runs = run_collect (&spec, NULL);
  gsize uncertain = 0;
  for (gsize p = 0; p < psim_param_count (); p++)
    uncertain += psim_param_is_uncertain (&params->entries[p]);
  CU_ASSERT_FATAL (uncertain > 0);
  for (guint i = 0; i < runs->len; i++)
    {
      PsimReplication rep;
      GBytes *bytes = g_ptr_array_index (runs, i);
      CU_ASSERT_FATAL (psim_replication_deserialize (g_bytes_get_data (bytes, NULL),
                                                     g_bytes_get_size (bytes), &rep, NULL));
      gsize moved = 0;
      for (gsize p = 0; p < psim_param_count (); p++)
        {
          const PsimParamEntry *e = &params->entries[p];
          double v = psim_params_get (&rep.params, p);
          CU_ASSERT (v >= e->min && v <= e->max);
          if (!psim_param_is_uncertain (e))
            CU_ASSERT_EQUAL (v, e->value);
          moved += v != e->value;
        }
      CU_ASSERT (moved > 0);
      psim_replication_clear (&rep);
    }
}

/* The run settings of the bundled file (the burn-in) are not uncertain
 * parameters: their range is min = max, so a sampled ensemble never varies
 * them, and there is at least one behavioural parameter it does vary. */
static void
test_bundled_run_settings_are_fixed (void)
{
  GError *error = NULL;
  g_autofree char *path = psim_test_path ("municipalities/parameters.xml");
  g_autoptr (PsimParamSet) bundled = psim_param_set_load (path, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (bundled);
  gsize settings = 0, uncertain = 0;
  for (gsize p = 0; p < psim_param_count (); p++)
    {
      const PsimParamEntry *e = &bundled->entries[p];
      if (g_str_has_prefix (psim_param_info (p)->name, "run."))
        {
          settings++;
          CU_ASSERT_FALSE (psim_param_is_uncertain (e));
          CU_ASSERT_EQUAL (e->min, e->value);
          CU_ASSERT_EQUAL (e->max, e->value);
        }
      else
        uncertain += psim_param_is_uncertain (e);
    }
  CU_ASSERT (settings > 0);
  CU_ASSERT (uncertain > 0);

  g_autoptr (PsimLhs) lhs = psim_lhs_new (bundled, 5, 8);
  gssize burn_in = psim_param_lookup ("run.burn-in-years");
  CU_ASSERT_FATAL (burn_in >= 0);
  for (uint32_t i = 0; i < 8; i++)
    {
      PsimParams v;
      psim_lhs_sample (lhs, i, &v);
      CU_ASSERT_EQUAL (psim_params_get (&v, (gsize) burn_in), bundled->values.burn_in_years);
    }
}

/* ---------- Latin hypercube, on a made-up parameter set ---------- */

static PsimParamSet *
made_up_params (void)
{
  PsimParamSet *set = g_new0 (PsimParamSet, 1);
  set->entries = g_new0 (PsimParamEntry, psim_param_count ());
  for (gsize p = 0; p < psim_param_count (); p++)
    {
      PsimParamEntry *e = &set->entries[p];
      e->value = 1.0 + (double) p;
      e->min = p % 3 == 0 ? e->value : e->value - 0.5 - (double) (p % 7);
      e->max = p % 3 == 0 ? e->value : e->value + 2.0;
      psim_params_set (&set->values, p, e->value);
    }
  return set;
}

static void
test_lhs_one_sample_per_stratum (void)
{
  g_autoptr (PsimParamSet) set = made_up_params ();
  const uint32_t n = 37;
  g_autoptr (PsimLhs) lhs = psim_lhs_new (set, 99, n);
  gboolean *seen = g_new (gboolean, n);
  for (gsize p = 0; p < psim_param_count (); p++)
    {
      const PsimParamEntry *e = &set->entries[p];
      memset (seen, 0, n * sizeof *seen);
      double width = (e->max - e->min) / n;
      for (uint32_t i = 0; i < n; i++)
        {
          PsimParams v;
          psim_lhs_sample (lhs, i, &v);
          double x = psim_params_get (&v, p);
          if (!psim_param_is_uncertain (e))
            {
              CU_ASSERT_EQUAL (x, e->value);
              continue;
            }
          uint32_t k = psim_lhs_stratum (lhs, p, i);
          CU_ASSERT_FATAL (k < n);
          CU_ASSERT_FALSE (seen[k]); /* each stratum once */
          seen[k] = TRUE;
          CU_ASSERT (x >= e->min + k * width - 1e-12 && x <= e->min + (k + 1) * width + 1e-12);
          /* and the stratum is the one the value falls in */
          uint32_t where = (uint32_t) MIN ((double) (n - 1), floor ((x - e->min) / width));
          CU_ASSERT (where == k || fabs (x - (e->min + where * width)) < 1e-9
                     || fabs (x - (e->min + (where + 1) * width)) < 1e-9);
        }
      if (psim_param_is_uncertain (e))
        for (uint32_t k = 0; k < n; k++)
          CU_ASSERT (seen[k]);
    }
  g_free (seen);
}

static void
test_lhs_depends_on_seed_n_and_index_only (void)
{
  g_autoptr (PsimParamSet) set = made_up_params ();
  g_autoptr (PsimLhs) a = psim_lhs_new (set, 7, 20);
  g_autoptr (PsimLhs) b = psim_lhs_new (set, 7, 20);
  g_autoptr (PsimLhs) other_seed = psim_lhs_new (set, 8, 20);
  gboolean differs = FALSE;
  for (uint32_t i = 0; i < 20; i++)
    {
      PsimParams x, y, z;
      psim_lhs_sample (a, i, &x);
      psim_lhs_sample (b, i, &y);
      psim_lhs_sample (other_seed, i, &z);
      CU_ASSERT (memcmp (&x, &y, sizeof x) == 0);
      differs |= memcmp (&x, &z, sizeof x) != 0;
    }
  CU_ASSERT (differs);
  /* the strata are a shuffle, not the identity */
  gsize fixed = 0;
  for (uint32_t i = 0; i < 20; i++)
    fixed += psim_lhs_stratum (a, 1, i) == i;
  CU_ASSERT (fixed < 20);

  g_autoptr (PsimLhs) single = psim_lhs_new (set, 7, 1);
  PsimParams v;
  psim_lhs_sample (single, 0, &v);
  for (gsize p = 0; p < psim_param_count (); p++)
    CU_ASSERT (psim_params_get (&v, p) >= set->entries[p].min
               && psim_params_get (&v, p) <= set->entries[p].max);
}

static void
test_wire_round_trip (void)
{
  PsimReplication rep = { .replication = 17 };
  g_autoptr (PsimParamSet) set = made_up_params ();
  rep.params = set->values;
  PsimRunResult *r = &rep.result;
  r->first_year = 2003;
  r->n_years = 2;
  r->n_municipalities = 3;
  r->annual = g_new0 (PsimTally, 6);
  r->groups = g_new0 (PsimTally, 2 * psim_group_count ());
  for (int i = 0; i < 6; i++)
    {
      r->annual[i].workers = 100 + i;
      r->annual[i].window_rent_sum = 12.5 * i;
    }
  r->groups[1].incidents = 9;
  g_autoptr (GBytes) bytes = psim_replication_serialize (&rep);
  PsimReplication back;
  CU_ASSERT_FATAL (psim_replication_deserialize (g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), &back, NULL));
  CU_ASSERT_EQUAL (back.replication, 17);
  CU_ASSERT_EQUAL (back.result.n_years, 2);
  CU_ASSERT_EQUAL (back.result.annual[5].workers, 105);
  CU_ASSERT_EQUAL (back.result.groups[1].incidents, 9);
  CU_ASSERT (memcmp (&back.params, &rep.params, sizeof rep.params) == 0);
  g_autoptr (GBytes) again = psim_replication_serialize (&back);
  CU_ASSERT (g_bytes_equal (bytes, again));
  psim_replication_clear (&back);

  /* damaged bytes are refused, not read */
  GError *error = NULL;
  CU_ASSERT_FALSE (psim_replication_deserialize (g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes) - 1, &back, &error));
  CU_ASSERT (g_error_matches (error, PSIM_ERROR, PSIM_ERROR_RUNTIME));
  g_clear_error (&error);
  psim_replication_clear (&back);
  psim_replication_clear (&rep);
}

static void
test_format_double (void)
{
  char buf[32];
  psim_format_double (0.1, buf);
  CU_ASSERT_STRING_EQUAL (buf, "0.1");
  psim_format_double (2.0, buf);
  CU_ASSERT_STRING_EQUAL (buf, "2");
  psim_format_double (1.0 / 3.0, buf);
  CU_ASSERT_EQUAL (g_ascii_strtod (buf, NULL), 1.0 / 3.0);
  psim_format_double (-1234.5e-12, buf);
  CU_ASSERT_EQUAL (g_ascii_strtod (buf, NULL), -1234.5e-12);
}

int
main (void)
{
  static const PsimTestCase cases[] = {
    { "1, 2 and 4 threads and one-by-one runs give the same bytes", test_threads_give_the_same_bytes },
    { "slices 0:3 and 3:5 equal the whole 0:5", test_slices_agree_with_the_whole },
    { "a runner with a stride delivers its share in order", test_runner_stride },
    { "results alive at once stay within the window", test_memory_is_bounded },
    { "a failing consumer stops the run; a bad range is refused", test_consumer_failure_stops },
    { "sampled parameters stay in their ranges", test_sampled_parameters_in_ranges },
    { "the bundled burn-in is a run setting, never sampled", test_bundled_run_settings_are_fixed },
    { "LHS: one sample in each of N strata", test_lhs_one_sample_per_stratum },
    { "LHS: depends on the seed, N and the index only", test_lhs_depends_on_seed_n_and_index_only },
    { "a replication survives its byte form", test_wire_round_trip },
    { "shortest round-trip doubles", test_format_double },
    { NULL, NULL },
  };
  psim_test_add_suite ("ensemble", cases);
  int code = psim_test_run ();
  psim_region_free (region);
  psim_param_set_free (params);
  return code;
}
