/* permitsim: ensembles of replications.
 *
 * Runs replications [first, last) of an ensemble of N on a pool of threads
 * (and, in a build with MPI, on several processes) and hands each finished
 * replication to the caller in replication order, so that whatever the number
 * of threads or ranks the caller sees the same sequence as a one-by-one run.
 * At most a small window of results is alive at once. With parameter sampling
 * each replication draws the uncertain parameters by Latin hypercube.
 */
#ifndef PERMITSIM_ENSEMBLE_H
#define PERMITSIM_ENSEMBLE_H

#include <stdint.h>

#include <glib.h>

#include "permitsim/engine.h"
#include "permitsim/model.h"
#include "permitsim/output.h"
#include "permitsim/params.h"

G_BEGIN_DECLS

typedef struct {
  const PsimRegion *region;
  const PsimParamSet *params;     /* values, and [min, max] for sampling */
  PsimScenario *const *scenarios; /* applied in order; may be NULL */
  int n_scenarios;
  int first_year;
  int last_year;
  uint64_t seed;
  uint32_t n_replications;        /* N, the whole ensemble (>= 1): replications 0..N-1 */
  uint32_t first;                 /* the slice [first, last) to run */
  uint32_t last;
  int n_threads;                  /* <= 0: one per processor */
  gboolean sample_parameters;     /* Latin hypercube over the parameters with min < max */
  gboolean weekly;                /* also keep per-week tallies */
} PsimEnsembleSpec;

/* Fills the fields that have a default: the whole ensemble [0, N) and no sampling. */
void psim_ensemble_spec_init (PsimEnsembleSpec *spec);
/* Checks the spec (N >= 1, 0 <= first < last <= N, years in order). */
gboolean psim_ensemble_spec_check (const PsimEnsembleSpec *spec, GError **error);
/* The number of threads a spec asks for, once its default is resolved. */
int psim_ensemble_threads (const PsimEnsembleSpec *spec);

/* One finished replication: its number (PsimRunSpec.replication, and the
 * replication column of the files), the parameters it ran with, its tallies. */
typedef struct {
  uint32_t replication;
  PsimParams params;
  PsimRunResult result;
} PsimReplication;

void psim_replication_clear (PsimReplication *replication);

/* ---------- the ordered runner ---------- */

/* A pool working through the replications first + offset + k * stride
 * (k = 0, 1, ...) below last, delivering them in that order. Holds at most a window of
 * 2 x threads results at once. */
typedef struct _PsimEnsembleRunner PsimEnsembleRunner;

PsimEnsembleRunner *psim_ensemble_runner_new (const PsimEnsembleSpec *spec, uint32_t offset,
                                              uint32_t stride, GError **error);
/* Waits for the next replication in order and moves it into *out (clear it
 * after use). Returns FALSE at the end (error unset) or when a replication
 * failed (the first failure in order; error set). */
gboolean psim_ensemble_runner_next (PsimEnsembleRunner *runner, PsimReplication *out,
                                    GError **error);
/* The most results the runner ever held at once (finished or being computed). */
guint psim_ensemble_runner_peak (const PsimEnsembleRunner *runner);
/* Stops scheduling, waits for the replications in flight and frees them. */
void psim_ensemble_runner_free (PsimEnsembleRunner *runner);

/* Called for every replication of the slice, in order, on the calling thread.
 * The replication is cleared when the callback returns. */
typedef gboolean (*PsimEnsembleConsumer) (const PsimReplication *replication,
                                          gpointer user_data, GError **error);

typedef struct {
  guint replications;   /* consumed */
  guint peak_alive;     /* most results held at once (on this process) */
  double seconds;       /* wall time */
  int threads;
  int ranks;
} PsimEnsembleStats;

/* Runs the slice of the spec on this process's threads. stats may be NULL. */
gboolean psim_ensemble_run (const PsimEnsembleSpec *spec, PsimEnsembleConsumer consume,
                            gpointer user_data, PsimEnsembleStats *stats, GError **error);

/* ---------- several processes (MPI) ----------
 *
 * In a build with MPI support and a program started by mpiexec, the slice is
 * dealt round-robin to the ranks (the i-th replication of the slice to rank
 * i mod K); every rank computes its share on its own threads and sends the
 * results to rank 0, which alone calls the consumer, in order. Elsewhere
 * there is one rank and psim_ensemble_run_ranks() is psim_ensemble_run().
 * With MPI, threads default to the processors divided among the ranks of a node. */

/* This process's rank and the number of ranks (starts MPI on first use when
 * launched by mpiexec). Only rank 0 writes anything. */
int psim_ensemble_rank (void);
int psim_ensemble_n_ranks (void);
gboolean psim_ensemble_have_mpi (void);
/* Runs the slice across all ranks; the consumer is called on rank 0 only. A
 * rank other than 0 returns TRUE once it has sent all its results. When
 * rank 0 fails, the other ranks are stopped at exit. */
gboolean psim_ensemble_run_ranks (const PsimEnsembleSpec *spec, PsimEnsembleConsumer consume,
                                  gpointer user_data, PsimEnsembleStats *stats, GError **error);
/* Marks this process as failed: at exit the other ranks are stopped rather than awaited. */
void psim_ensemble_ranks_fail (void);

/* ---------- a replication as bytes (for MPI, and for comparing runs) ---------- */

/* The replication number, parameters and every tally, in this machine's byte order. */
GBytes *psim_replication_serialize (const PsimReplication *replication);
gboolean psim_replication_deserialize (const void *data, gsize size, PsimReplication *out,
                                       GError **error);

/* ---------- Latin hypercube sampling ---------- */

/* A parameter is uncertain when its file gives min < max. */
gboolean psim_param_is_uncertain (const PsimParamEntry *entry);

/* The stratum design of an ensemble: for each uncertain parameter a random
 * permutation of the N strata of [min, max], drawn from Philox keyed by the
 * seed. Replication r gets stratum perm[p][r] of parameter p and a uniform
 * point in it, so its parameters depend only on (seed, N, r). */
typedef struct _PsimLhs PsimLhs;

PsimLhs *psim_lhs_new (const PsimParamSet *set, uint64_t seed, uint32_t n_replications);
void psim_lhs_free (PsimLhs *lhs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimLhs, psim_lhs_free)
/* The parameters of replication r: the file's values with the uncertain ones drawn. */
void psim_lhs_sample (const PsimLhs *lhs, uint32_t replication, PsimParams *out);
/* Which of the N strata replication r falls in for parameter `param` (table
 * order); 0 for a parameter that is not uncertain. */
uint32_t psim_lhs_stratum (const PsimLhs *lhs, gsize param, uint32_t replication);

/* ---------- parameters.csv and merging slices ---------- */

/* The fewest digits (15 to 17 significant) that read back as the same double. */
void psim_format_double (double value, char buf[static 32]);

/* Opens parameters.csv and writes its header: replication, then every
 * parameter name in table order. */
PsimCsv *psim_parameters_csv_open (const char *path, GError **error);
/* One row: the replication's number and the value of every parameter. */
void psim_parameters_csv_add (PsimCsv *csv, const PsimReplication *replication);

/* Combines output directories that each ran a slice of one ensemble (same
 * program version, inputs by SHA-256, seed, N, period, scenarios, sampling)
 * into out_dir, exactly as one run of the whole ensemble would have written
 * it: annual.csv, groups.csv, weekly.csv and parameters.csv row for row,
 * summary.csv recomputed, manifest.json with the merged range, new output
 * hashes, `command_line` (NULL-terminated) and the slices it came from.
 * Slices must be disjoint and cover 0..N-1 (given in any order). Slices that
 * do not fit together are PSIM_ERROR_INVALID_INPUT; nothing is written then. */
gboolean psim_ensemble_merge (const char *const *dirs, const char *out_dir,
                              char **command_line, GError **error);

/* ---------- progress on a terminal ---------- */

typedef struct _PsimProgress PsimProgress;

/* A progress line on stderr (replications done, rate, time left), drawn only
 * when `enabled` and stderr is a terminal; otherwise every call does nothing. */
PsimProgress *psim_progress_new (guint total, gboolean enabled);
/* The same for other work than replications: `what` names the units
 * ("readings of annual.csv"). */
PsimProgress *psim_progress_new_for (guint total, gboolean enabled, const char *what);
void psim_progress_update (PsimProgress *progress, guint done);
/* Clears the line. */
void psim_progress_free (PsimProgress *progress);

G_END_DECLS

#endif /* PERMITSIM_ENSEMBLE_H */
