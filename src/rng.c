/* permitsim: Philox4x32-10 counter-based random numbers and the few
 * distributions the engine needs (uniform, normal, exponential).
 *
 * Why our own generator: libc rand() and GLib's g_random_* keep hidden state,
 * so results would depend on the order of calls; a counter-based generator
 * makes every draw a function of (seed, replication, subject, week, decision,
 * extra) alone. Reference: Salmon, Moraes, Dror & Shaw (2011), "Parallel
 * random numbers: as easy as 1, 2, 3", SC'11.
 */
#include "permitsim/rng.h"

#include <math.h>

#define PHILOX_M0 UINT32_C (0xD2511F53)
#define PHILOX_M1 UINT32_C (0xCD9E8D57)
#define PHILOX_W0 UINT32_C (0x9E3779B9) /* golden ratio */
#define PHILOX_W1 UINT32_C (0xBB67AE85) /* sqrt(3) - 1 */
#define PHILOX_ROUNDS 10

/* A tag in the key-derivation counter, so that derived keys are never the
 * output of an ordinary draw (the ASCII of "key!"). */
#define PSIM_RNG_KEY_TAG UINT32_C (0x6b657921)

/* One Philox round on (c0..c3) under (k0, k1). */
#define PHILOX_ROUND(c0, c1, c2, c3, k0, k1)                  \
  do                                                          \
    {                                                         \
      uint64_t p0_ = (uint64_t) PHILOX_M0 * (c0);             \
      uint64_t p1_ = (uint64_t) PHILOX_M1 * (c2);             \
      uint32_t n0_ = (uint32_t) (p1_ >> 32) ^ (c1) ^ (k0);    \
      uint32_t n2_ = (uint32_t) (p0_ >> 32) ^ (c3) ^ (k1);    \
      (c1) = (uint32_t) p1_;                                  \
      (c3) = (uint32_t) p0_;                                  \
      (c0) = n0_;                                             \
      (c2) = n2_;                                             \
    }                                                         \
  while (0)

void
psim_philox4x32_10 (const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  uint32_t k0 = key[0], k1 = key[1];
  /* the ten rounds written out: a loop with the key bump inside is not
   * unrolled at -O2 and runs at half the speed */
#define PHILOX_BUMPED_ROUND()                    \
  k0 += PHILOX_W0;                               \
  k1 += PHILOX_W1;                               \
  PHILOX_ROUND (c0, c1, c2, c3, k0, k1)
  PHILOX_ROUND (c0, c1, c2, c3, k0, k1);
  PHILOX_BUMPED_ROUND (); PHILOX_BUMPED_ROUND (); PHILOX_BUMPED_ROUND ();
  PHILOX_BUMPED_ROUND (); PHILOX_BUMPED_ROUND (); PHILOX_BUMPED_ROUND ();
  PHILOX_BUMPED_ROUND (); PHILOX_BUMPED_ROUND (); PHILOX_BUMPED_ROUND ();
#undef PHILOX_BUMPED_ROUND
  G_STATIC_ASSERT (PHILOX_ROUNDS == 10);
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

void
psim_rng_key_init (PsimRngKey *key, uint64_t seed, uint32_t replication)
{
  const uint32_t seed_key[2] = { (uint32_t) seed, (uint32_t) (seed >> 32) };
  const uint32_t ctr[4] = { replication, 0, 0, PSIM_RNG_KEY_TAG };
  uint32_t out[4];
  psim_philox4x32_10 (ctr, seed_key, out);
  key->k[0] = out[0];
  key->k[1] = out[1];
}

void
psim_rng_block (const PsimRngKey *key, uint32_t subject, uint32_t week, uint32_t decision,
                uint32_t extra, uint32_t out[4])
{
  const uint32_t ctr[4] = { subject, week, decision, extra };
  psim_philox4x32_10 (ctr, key->k, out);
}

/* Lanes processed together by psim_rng_blocks: the inner loops over lanes
 * have no dependencies, so the compiler turns them into vector multiplies;
 * the key schedule is computed once, outside them. */
#define PSIM_RNG_LANES 16

#define PSIM_RNG_BLOCKS_BODY                                                          \
  uint32_t ks0[PHILOX_ROUNDS], ks1[PHILOX_ROUNDS];                                     \
  ks0[0] = key->k[0];                                                                  \
  ks1[0] = key->k[1];                                                                  \
  for (int r = 1; r < PHILOX_ROUNDS; r++)                                              \
    {                                                                                  \
      ks0[r] = ks0[r - 1] + PHILOX_W0;                                                 \
      ks1[r] = ks1[r - 1] + PHILOX_W1;                                                 \
    }                                                                                  \
  uint32_t c0[PSIM_RNG_LANES], c1[PSIM_RNG_LANES], c2[PSIM_RNG_LANES], c3[PSIM_RNG_LANES]; \
  for (gsize base = 0; base < n; base += PSIM_RNG_LANES)                               \
    {                                                                                  \
      gsize lanes = MIN ((gsize) PSIM_RNG_LANES, n - base);                            \
      for (gsize l = 0; l < PSIM_RNG_LANES; l++)                                       \
        {                                                                              \
          c0[l] = l < lanes ? subjects[base + l] : 0;                                  \
          c1[l] = week;                                                                \
          c2[l] = decision;                                                            \
          c3[l] = extra;                                                               \
        }                                                                              \
      for (int r = 0; r < PHILOX_ROUNDS; r++)                                          \
        {                                                                              \
          uint32_t k0 = ks0[r], k1 = ks1[r];                                           \
          for (gsize l = 0; l < PSIM_RNG_LANES; l++)                                   \
            PHILOX_ROUND (c0[l], c1[l], c2[l], c3[l], k0, k1);                         \
        }                                                                              \
      for (gsize l = 0; l < lanes; l++)                                                \
        {                                                                              \
          uint32_t *o = out + 4 * (base + l);                                          \
          o[0] = c0[l];                                                                \
          o[1] = c1[l];                                                                \
          o[2] = c2[l];                                                                \
          o[3] = c3[l];                                                                \
        }                                                                              \
    }

void
psim_rng_blocks_portable (const PsimRngKey *key, const uint32_t *subjects, gsize n, uint32_t week,
                          uint32_t decision, uint32_t extra, uint32_t *out)
{
  PSIM_RNG_BLOCKS_BODY
}

/* On x86-64 the same loops compiled for AVX2 run about twice as fast (four
 * 32x32-bit products per instruction instead of two); the CPU is asked once.
 * Integer arithmetic: both give the same words. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PSIM_RNG_AVX2 1
__attribute__ ((target ("avx2"))) static void
blocks_avx2 (const PsimRngKey *key, const uint32_t *subjects, gsize n, uint32_t week,
             uint32_t decision, uint32_t extra, uint32_t *out)
{
  PSIM_RNG_BLOCKS_BODY
}
#endif

void
psim_rng_blocks (const PsimRngKey *key, const uint32_t *subjects, gsize n, uint32_t week,
                 uint32_t decision, uint32_t extra, uint32_t *out)
{
#ifdef PSIM_RNG_AVX2
  static int has_avx2 = -1; /* a benign race: every thread stores the same answer */
  if (has_avx2 < 0)
    {
      __builtin_cpu_init ();
      has_avx2 = __builtin_cpu_supports ("avx2") ? 1 : 0;
    }
  if (has_avx2)
    {
      blocks_avx2 (key, subjects, n, week, decision, extra, out);
      return;
    }
#endif
  psim_rng_blocks_portable (key, subjects, n, week, decision, extra, out);
}

double
psim_rng_uniform (const PsimRngKey *key, uint32_t subject, uint32_t week, uint32_t decision,
                  uint32_t extra)
{
  uint32_t w[4];
  psim_rng_block (key, subject, week, decision, extra, w);
  return psim_rng_u01_53 (w[0], w[1]);
}

double
psim_rng_normal_from (double u1, double u2)
{
  /* 1 - u1 is in (0, 1]: the logarithm is finite */
  double r = sqrt (-2.0 * log (1.0 - u1));
  return r * cos (2.0 * G_PI * u2);
}

double
psim_rng_normal (const PsimRngKey *key, uint32_t subject, uint32_t week, uint32_t decision,
                 uint32_t extra)
{
  uint32_t w[4];
  psim_rng_block (key, subject, week, decision, extra, w);
  return psim_rng_normal_from (psim_rng_u01_53 (w[0], w[1]), psim_rng_u01_53 (w[2], w[3]));
}

double
psim_rng_exponential_from (double u)
{
  return -log1p (-u);
}
