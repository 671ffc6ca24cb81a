/* permitsim: counter-based random numbers (Philox4x32-10).
 *
 * Philox4x32-10 (Salmon et al. 2011, the Random123 design) maps a 128-bit
 * counter and a 64-bit key to 128 random bits with no state in between. The
 * engine keys it by (seed, replication) and puts (subject, week, decision,
 * extra) into the counter, so every random decision in a run is a pure
 * function of what it decides: results do not depend on loop order, thread
 * count or MPI ranks, and a scenario draws the same numbers as its baseline
 * wherever it makes the same decisions (common random numbers). There is no
 * global generator.
 */
#ifndef PERMITSIM_RNG_H
#define PERMITSIM_RNG_H

#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

/* The key of one stream: one (seed, replication) pair. */
typedef struct {
  uint32_t k[2];
} PsimRngKey;

/* The raw block function: counter ctr under key → out. This is the published
 * algorithm with no changes (tests/test_rng.c checks the Random123 known answers). */
void psim_philox4x32_10 (const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* The key for (seed, replication): the first two output words of Philox under
 * the seed's two halves as key, with counter (replication, 0, 0, 0x6b657921).
 * Different replications of one seed get unrelated keys; with 64-bit keys two
 * (seed, replication) pairs collide with probability 2^-64. */
void psim_rng_key_init (PsimRngKey *key, uint64_t seed, uint32_t replication);

/* One block of four 32-bit words for the counter (subject, week, decision, extra). */
void psim_rng_block (const PsimRngKey *key, uint32_t subject, uint32_t week, uint32_t decision,
                     uint32_t extra, uint32_t out[4]);

/* The same for n subjects at once (counter (subjects[i], week, decision,
 * extra)), written planar: words[j][i] is word j of subject i's block. Uses
 * the widest vector unit of this CPU (picked at run time); integer
 * arithmetic, so it gives the same words as n calls of psim_rng_block on
 * any machine. */
void psim_rng_blocks_planar (const PsimRngKey *key, const uint32_t *subjects, gsize n,
                             uint32_t week, uint32_t decision, uint32_t extra,
                             uint32_t *const words[4]);
/* The same written block by block: out[4 * i + j]. */
void psim_rng_blocks (const PsimRngKey *key, const uint32_t *subjects, gsize n, uint32_t week,
                      uint32_t decision, uint32_t extra, uint32_t *out);
/* The same without CPU-specific code; the tests check that all give the same words. */
void psim_rng_blocks_portable (const PsimRngKey *key, const uint32_t *subjects, gsize n,
                               uint32_t week, uint32_t decision, uint32_t extra, uint32_t *out);

/* Vector units of the batch forms (x86-64: SSE2 always, AVX2 and AVX-512F
 * when the CPU has them; elsewhere the portable loop). */
typedef enum {
  PSIM_RNG_PORTABLE,
  PSIM_RNG_SSE2,
  PSIM_RNG_AVX2,
  PSIM_RNG_AVX512
} PsimRngVector;

/* The unit psim_rng_blocks_planar uses on this CPU, and its name. */
PsimRngVector psim_rng_vector (void);
const char *psim_rng_vector_name (PsimRngVector unit);
/* psim_rng_blocks_planar on a given unit; FALSE (nothing written) when this
 * CPU or build lacks it. For the tests and `permitsim bench`. */
gboolean psim_rng_blocks_planar_with (PsimRngVector unit, const PsimRngKey *key,
                                      const uint32_t *subjects, gsize n, uint32_t week,
                                      uint32_t decision, uint32_t extra, uint32_t *const words[4]);

/* A double in [0, 1) from one 32-bit word (resolution 2^-32: enough to
 * compare with a probability, and four of them come from one block). */
static inline double
psim_rng_u01_32 (uint32_t word)
{
  return (double) word * (1.0 / 4294967296.0);
}

/* A double in [0, 1) with 53 random bits from two words (every double of the
 * form k * 2^-53, each with probability 2^-53). */
static inline double
psim_rng_u01_53 (uint32_t hi, uint32_t lo)
{
  uint64_t bits = (((uint64_t) hi << 32) | lo) >> 11;
  return (double) bits * (1.0 / 9007199254740992.0);
}

/* A uniform double in [0, 1) with 53 bits for the counter (words 0 and 1 of its block). */
double psim_rng_uniform (const PsimRngKey *key, uint32_t subject, uint32_t week,
                         uint32_t decision, uint32_t extra);

/* A standard normal deviate for the counter (Box-Muller on the block's two
 * 53-bit uniforms; the second deviate of the pair is not used). */
double psim_rng_normal (const PsimRngKey *key, uint32_t subject, uint32_t week,
                        uint32_t decision, uint32_t extra);

/* Box-Muller from two uniforms in [0, 1): the first deviate. */
double psim_rng_normal_from (double u1, double u2);

/* An exponential deviate with mean 1 from a uniform u in [0, 1). */
double psim_rng_exponential_from (double u);
/* The same conditioned to lie below `limit` (> 0; INFINITY: the plain
 * deviate), by inverting the conditional distribution function: every
 * value of u maps inside the range, so no mass piles up at its end. */
double psim_rng_exponential_below_from (double u, double limit);
/* The same, given tail = expm1 (-limit) (for a limit used many times: the
 * same value, without the expm1 each time). */
double psim_rng_exponential_below_tail (double u, double tail);

G_END_DECLS

#endif /* PERMITSIM_RNG_H */
