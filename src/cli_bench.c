/* permitsim: `permitsim bench` -- how fast the engine runs on this machine,
 * and how far that is from what the hardware allows.
 *
 * Measures, for one region and period: nanoseconds per agent-week on one
 * thread (stepping the engine and counting the workers it holds each week)
 * and how they divide among the phases of the week; replications per second
 * on 1 and 2 threads (or, started by mpiexec, across the ranks), bytes of
 * state per worker and peak RSS; and, for the floor, the machine's
 * streaming-copy bandwidth and the cost of one Philox block. A measurement
 * tool: tests/cli/bench.sh checks that its figures are there and add up,
 * docs/performance.md records them.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "engine_internal.h"
#include "permitsim/ensemble.h"
#include "permitsim/error.h"
#include "permitsim/loader.h"
#include "permitsim/rng.h"

typedef struct {
  char **scenarios;
  char *parameters;
  int from;
  int to;
  int replications;
  gint64 seed;
  gboolean skip_hardware;
} BenchOptions;

static double
now_seconds (void)
{
  return (double) g_get_monotonic_time () / G_USEC_PER_SEC;
}

/* CPU time of the whole process (every thread), and of the calling thread:
 * against the wall clock they show whether other programs shared the cores. */
static double
process_cpu_seconds (void)
{
  struct rusage ru;
  if (getrusage (RUSAGE_SELF, &ru) != 0)
    return 0.0;
  return (double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double) ru.ru_stime.tv_sec
         + ru.ru_stime.tv_usec / 1e6;
}

static double
thread_cpu_seconds (void)
{
  struct timespec ts;
  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0.0;
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static long
peak_rss_kib (void)
{
  struct rusage ru;
  return getrusage (RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

/* "model name" from /proc/cpuinfo and MemTotal from /proc/meminfo. */
static void
print_machine (void)
{
  g_autofree char *cpuinfo = NULL;
  g_autofree char *model = NULL;
  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    {
      char *line = strstr (cpuinfo, "model name");
      char *colon = line != NULL ? strchr (line, ':') : NULL;
      if (colon != NULL)
        model = g_strstrip (g_strndup (colon + 1, strcspn (colon + 1, "\n")));
    }
  g_autofree char *meminfo = NULL;
  long mem_kib = 0;
  if (g_file_get_contents ("/proc/meminfo", &meminfo, NULL, NULL))
    {
      char *line = strstr (meminfo, "MemTotal:");
      if (line != NULL)
        mem_kib = strtol (line + 9, NULL, 10);
    }
  printf ("machine: %s, %u cores, %.1f GiB RAM\n", model != NULL ? model : "unknown CPU",
          g_get_num_processors (), (double) mem_kib / (1024.0 * 1024.0));
}

/* Best streaming-copy bandwidth in bytes per second (read + write), over
 * arrays far larger than the caches. */
static double
copy_bandwidth (void)
{
  const gsize n = (gsize) 32 << 20; /* 32 Mi doubles: 256 MiB per array */
  double *a = g_new (double, n);
  double *b = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    {
      a[i] = (double) i;
      b[i] = 0.0;
    }
  double best = 0.0;
  for (int rep = 0; rep < 5; rep++)
    {
      double t0 = thread_cpu_seconds ();
      for (gsize i = 0; i < n; i++)
        b[i] = a[i];
      double dt = thread_cpu_seconds () - t0;
      if (b[n / 2 + (gsize) rep] != a[n / 2 + (gsize) rep])
        g_error ("copy failed");
      double rate = 2.0 * (double) (n * sizeof (double)) / dt;
      best = MAX (best, rate);
    }
  g_free (a);
  g_free (b);
  return best;
}

/* Nanoseconds per Philox4x32-10 block: one at a time, and in batches as the engine draws. */
static void
philox_cost (double *ns_single, double *ns_batch)
{
  uint32_t key[2] = { 0x12345678u, 0x9abcdef0u };
  uint32_t ctr[4] = { 0, 0, 0, 0 };
  uint32_t out[4];
  uint32_t sink = 0;
  const uint32_t n = 20u * 1000u * 1000u;
  double t0 = thread_cpu_seconds ();
  for (uint32_t i = 0; i < n; i++)
    {
      ctr[0] = i;
      psim_philox4x32_10 (ctr, key, out);
      sink ^= out[0] ^ out[3];
    }
  *ns_single = (thread_cpu_seconds () - t0) * 1e9 / n;

  PsimRngKey k;
  psim_rng_key_init (&k, 1, 1);
  const gsize batch = 4096;
  uint32_t *subjects = g_new (uint32_t, batch);
  uint32_t *words = g_new (uint32_t, 4 * batch);
  uint32_t *const planar[4] = { words, words + batch, words + 2 * batch, words + 3 * batch };
  for (gsize i = 0; i < batch; i++)
    subjects[i] = (uint32_t) i;
  const uint32_t rounds = n / (uint32_t) batch;
  t0 = thread_cpu_seconds ();
  for (uint32_t r = 0; r < rounds; r++)
    {
      psim_rng_blocks_planar (&k, subjects, batch, r, 1, 0, planar);
      sink ^= words[r % (4 * batch)];
    }
  *ns_batch = (thread_cpu_seconds () - t0) * 1e9 / ((double) rounds * (double) batch);
  g_free (subjects);
  g_free (words);
  if (sink == 0x5eed)
    printf (" "); /* keeps the loops from being optimised away */
}

/* One replication stepped on this thread. */
typedef struct {
  double seconds, cpu_seconds;            /* wall and CPU time, the engine's creation included */
  double agent_weeks;                     /* the workers held each week, summed (burn-in included) */
  double applicants;                      /* the choices made, summed over the weeks */
  gsize peak_workers;
  double phase_seconds[PSIM_N_WEEK_PHASES]; /* CPU time by phase of the week */
  double start_seconds;                   /* CPU time of the engine's creation (the starting population) */
} EngineTiming;

/* Steps one replication week by week on this thread, counting the workers
 * the engine holds each week; with `phases`, timing each phase of the week
 * as well (two reads of the thread's CPU clock a phase, a system call each:
 * about 1% of the national week, so the headline figure comes from a run
 * without them). */
static gboolean
time_engine (const PsimRunSpec *spec, gboolean phases, EngineTiming *timing, GError **error)
{
  PsimRunResult result = { 0 };
  memset (timing, 0, sizeof *timing);
  double t0 = now_seconds ();
  double c0 = thread_cpu_seconds ();
  PsimEngine *e = psim_engine_new (spec, &result, error);
  if (e == NULL)
    return FALSE;
  timing->start_seconds = thread_cpu_seconds () - c0;
  while (e->week < e->total_weeks)
    {
      timing->agent_weeks += (double) e->workers.n;
      timing->peak_workers = MAX (timing->peak_workers, e->workers.n);
      if (phases)
        psim_engine_step_timed (e, thread_cpu_seconds, timing->phase_seconds);
      else
        psim_engine_step (e);
      timing->applicants += (double) e->n_applicants;
    }
  psim_engine_free (e);
  timing->seconds = now_seconds () - t0;
  timing->cpu_seconds = thread_cpu_seconds () - c0;
  psim_run_result_clear (&result);
  return TRUE;
}

/* The phases' shares of the replication's CPU time, the largest first, then
 * the engine's creation; what they leave is the loop and the timer's own
 * reads. */
static void
print_phases (const EngineTiming *timing)
{
  int order[PSIM_N_WEEK_PHASES];
  for (int k = 0; k < PSIM_N_WEEK_PHASES; k++)
    order[k] = k;
  for (int a = 1; a < PSIM_N_WEEK_PHASES; a++) /* a handful: insertion sort */
    for (int b = a; b > 0 && timing->phase_seconds[order[b]] > timing->phase_seconds[order[b - 1]]; b--)
      {
        int t = order[b];
        order[b] = order[b - 1];
        order[b - 1] = t;
      }
  printf ("where the time goes (the same replication again, each phase timed: %.2f ns per agent-week "
          "in all; %.0f choices made):\n",
          timing->cpu_seconds * 1e9 / timing->agent_weeks, timing->applicants);
  printf ("  %6s  %13s  %s\n", "share", "ns/agent-week", "phase (MODEL.md section 4)");
  for (int j = 0; j < PSIM_N_WEEK_PHASES; j++)
    {
      int k = order[j];
      double sec = timing->phase_seconds[k];
      printf ("  %5.1f%%  %13.2f  %s", 100.0 * sec / timing->cpu_seconds, sec * 1e9 / timing->agent_weeks,
              psim_engine_phase_name (k));
      if (k == PSIM_WEEK_PHASE_CHOICE && timing->applicants > 0)
        printf (" (%.0f ns a choice)", sec * 1e9 / timing->applicants);
      printf ("\n");
    }
  printf ("  %5.1f%%  %13.2f  %s\n", 100.0 * timing->start_seconds / timing->cpu_seconds,
          timing->start_seconds * 1e9 / timing->agent_weeks, "  the starting population (before week 0)");
}

static gboolean
count_replication (const PsimReplication *rep, gpointer user_data, GError **error)
{
  (*(guint *) user_data)++;
  return TRUE;
}

/* Runs the ensemble; *cpu_share is the CPU time used over the wall time
 * (about the number of threads when nothing else ran). */
static gboolean
throughput (PsimEnsembleSpec *spec, int threads, gboolean ranks, PsimEnsembleStats *stats,
            double *cpu_share, GError **error)
{
  spec->n_threads = threads;
  guint seen = 0;
  double c0 = process_cpu_seconds ();
  gboolean ok = ranks ? psim_ensemble_run_ranks (spec, count_replication, &seen, stats, error)
                      : psim_ensemble_run (spec, count_replication, &seen, stats, error);
  if (cpu_share != NULL)
    *cpu_share = ok && stats->seconds > 0 ? (process_cpu_seconds () - c0) / stats->seconds : 0.0;
  return ok;
}

static int
bench (const char *region_arg, const BenchOptions *opt)
{
  GError *error = NULL;
  g_autofree char *region_path = NULL;
  if (g_file_test (region_arg, G_FILE_TEST_EXISTS) || strchr (region_arg, G_DIR_SEPARATOR) != NULL)
    region_path = g_strdup (region_arg);
  else
    {
      g_autofree char *datadir = psim_cli_datadir ();
      region_path = g_build_filename (datadir != NULL ? datadir : ".", region_arg, NULL);
    }
  g_autoptr (PsimRegion) region = psim_region_load (region_path, NULL, &error);
  if (region == NULL)
    return psim_cli_report_error (error);
  g_autoptr (PsimParamSet) params
    = psim_param_set_load (opt->parameters != NULL ? opt->parameters : region->parameters_path, NULL, &error);
  if (params == NULL)
    return psim_cli_report_error (error);
  g_autoptr (GPtrArray) scenarios = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_scenario_free);
  for (char **s = opt->scenarios; s != NULL && *s != NULL; s++)
    {
      PsimScenario *scenario = psim_scenario_load (*s, region, NULL, &error);
      if (scenario == NULL)
        return psim_cli_report_error (error);
      g_ptr_array_add (scenarios, scenario);
    }

  PsimEnsembleSpec spec;
  psim_ensemble_spec_init (&spec);
  spec.region = region;
  spec.params = params;
  spec.scenarios = scenarios->len > 0 ? (PsimScenario *const *) scenarios->pdata : NULL;
  spec.n_scenarios = (int) scenarios->len;
  spec.first_year = opt->from;
  spec.last_year = opt->to;
  spec.seed = (uint64_t) opt->seed;
  spec.n_replications = (uint32_t) opt->replications;
  spec.first = 0;
  spec.last = spec.n_replications;

  int rank = psim_ensemble_rank ();
  int n_ranks = psim_ensemble_n_ranks ();
  if (n_ranks > 1)
    {
      /* started by mpiexec: only the ensemble across the ranks */
      PsimEnsembleStats st = { 0 };
      double share = 0;
      if (!throughput (&spec, 0, TRUE, &st, &share, &error))
        {
          psim_ensemble_ranks_fail ();
          return rank == 0 ? psim_cli_report_error (error) : PSIM_EXIT_FAILURE;
        }
      if (rank == 0)
        printf ("%d MPI ranks x %d thread%s: %u replications in %.2f s = %.3f replications/s "
                "(rank 0 used %.2f CPUs)\n",
                st.ranks, st.threads, st.threads == 1 ? "" : "s", st.replications, st.seconds,
                st.replications / st.seconds, share);
      return PSIM_EXIT_OK;
    }

  print_machine ();
  printf ("region: %s, %d municipalities, %d-%d, %s, seed %" G_GINT64_FORMAT "\n",
          region->name != NULL ? region->name : region_path, region->n_municipalities, opt->from,
          opt->to, scenarios->len > 0 ? "with scenarios" : "baseline", opt->seed);

  PsimRunSpec run = {
    .region = region, .params = &params->values, .scenarios = spec.scenarios,
    .n_scenarios = spec.n_scenarios, .first_year = opt->from, .last_year = opt->to,
    .seed = spec.seed, .replication = 1,
  };
  EngineTiming timing, by_phase;
  if (!time_engine (&run, FALSE, &timing, &error) || !time_engine (&run, TRUE, &by_phase, &error))
    return psim_cli_report_error (error);
  double ns_per_aw = timing.cpu_seconds * 1e9 / timing.agent_weeks;
  gsize worker_bytes = PSIM_WORKER_BYTES; /* every per-worker field */
  printf ("one thread: %.0f agent-weeks (burn-in included) in %.3f s of CPU (%.3f s wall) = "
          "%.2f ns per agent-week\n", timing.agent_weeks, timing.cpu_seconds, timing.seconds, ns_per_aw);
  print_phases (&by_phase);
  printf ("worker state: %" G_GSIZE_FORMAT " bytes per worker (every per-worker field); "
          "%" G_GSIZE_FORMAT " workers at most = %.1f MiB per replication\n",
          worker_bytes, timing.peak_workers,
          (double) (worker_bytes * timing.peak_workers) / (1024.0 * 1024.0));

  PsimEnsembleStats one = { 0 }, two = { 0 };
  double share1 = 0, share2 = 0;
  if (!throughput (&spec, 1, FALSE, &one, &share1, &error)
      || !throughput (&spec, 2, FALSE, &two, &share2, &error))
    return psim_cli_report_error (error);
  double r1 = one.replications / one.seconds, r2 = two.replications / two.seconds;
  printf ("ensemble of %d: 1 thread %.3f replications/s (%.2f CPUs busy), 2 threads %.3f "
          "replications/s (%.2f CPUs busy): speed-up %.2fx; 1,000 replications on 2 threads: "
          "about %.0f s\n", opt->replications, r1, share1, r2, share2, r2 / r1, 1000.0 / r2);
  if (share2 < 1.8)
    printf ("note: the 2-thread run got %.2f CPUs: other programs were using the cores, so the "
            "wall-clock figures understate this machine\n", share2);
  printf ("peak RSS: %.1f MiB\n", (double) peak_rss_kib () / 1024.0);

  if (!opt->skip_hardware)
    {
      double bw = copy_bandwidth ();
      double ns_single = 0, ns_batch = 0;
      philox_cost (&ns_single, &ns_batch);
      double touched = 2.0 * (double) worker_bytes; /* each byte read and written once a week */
      printf ("memory bandwidth (streaming copy of 256 MiB, read + write, CPU time): %.1f GB/s\n",
              bw / 1e9);
      printf ("floor: %.0f bytes touched per agent-week (state read and written once) = "
              "%.3f ns per agent-week at that bandwidth\n", touched, touched / bw * 1e9);
      printf ("Philox4x32-10 (CPU time): %.2f ns per block alone, %.2f ns per block in batches of 4096 "
              "(%s); the engine draws one block per agent-week, so at least %.2f ns\n",
              ns_single, ns_batch, psim_rng_vector_name (psim_rng_vector ()), ns_batch);
      /* the two floors overlap (the state streams while the blocks are
       * computed), so the larger of them is the bound */
      double floor_ns = MAX (touched / bw * 1e9, ns_batch);
      printf ("so: %.2f ns per agent-week is %.1f times the larger floor (%.2f ns); the rest is the "
              "model's own work (the table above)\n", ns_per_aw, ns_per_aw / floor_ns, floor_ns);
    }
  return PSIM_EXIT_OK;
}

int
psim_cmd_bench (int argc, char **argv)
{
  BenchOptions opt = { .from = 2000, .to = 2030, .replications = 4, .seed = 1 };
  GOptionEntry entries[] = {
    { "scenario", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt.scenarios,
      "apply a scenario file (repeat to apply several)", "FILE" },
    { "parameters", 'p', 0, G_OPTION_ARG_FILENAME, &opt.parameters,
      "parameter file (default: the one the region names)", "FILE" },
    { "from", 0, 0, G_OPTION_ARG_INT, &opt.from, "first year (default 2000)", "YEAR" },
    { "to", 0, 0, G_OPTION_ARG_INT, &opt.to, "last year (default 2030)", "YEAR" },
    { "replications", 'n', 0, G_OPTION_ARG_INT, &opt.replications,
      "replications for the throughput figures (default 4)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opt.seed, "random seed (default 1)", "N" },
    { "no-hardware", 0, 0, G_OPTION_ARG_NONE, &opt.skip_hardware,
      "skip the bandwidth and Philox measurements", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  int code = psim_cli_parse_options (
    "permitsim bench", "[REGION.xml]",
    "Measure the engine on this machine (default region: netherlands.xml, 2000-2030).",
    "Prints nanoseconds per agent-week on one thread and where that time goes,\n"
    "phase by phase of the week (with the cost of one choice), replications per\n"
    "second on 1 and 2 threads, bytes of state per worker and peak RSS, then\n"
    "the floor: streaming-copy bandwidth and the cost of a Philox block. Started\n"
    "by `mpiexec -n K`, prints replications per second across the K ranks instead.\n"
    "It takes a while: it runs 2 + 2 x N replications. See docs/performance.md.",
    entries, &argc, &argv);
  if (code == PSIM_EXIT_OK)
    {
      if (argc > 2)
        code = psim_cli_usage_error ("give at most one region file");
      else if (opt.replications < 1)
        code = psim_cli_usage_error ("-n must be 1 or more");
      else if (opt.seed < 0)
        code = psim_cli_usage_error ("--seed must be 0 or more");
      else if (opt.from > opt.to)
        {
          g_autofree char *msg = g_strdup_printf ("--from %d is after --to %d", opt.from, opt.to);
          code = psim_cli_usage_error (msg);
        }
      else
        code = bench (argc == 2 ? argv[1] : "netherlands.xml", &opt);
    }
  g_strfreev (opt.scenarios);
  g_free (opt.parameters);
  return code;
}
