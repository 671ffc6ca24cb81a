/* Tests for the counter-based generator (src/rng.c): the Random123 known
 * answers, the batch form, the key derivation, and the distributions, each
 * checked statistically with a fixed seed and an explicit tolerance. */
#include <math.h>
#include <string.h>

#include "permitsim/rng.h"
#include "testutil.h"

/* Philox4x32-10 known answers (Random123 kat_vectors). */
static void
test_known_answers (void)
{
  static const struct {
    uint32_t ctr[4], key[2], out[4];
  } kat[] = {
    { { 0, 0, 0, 0 }, { 0, 0 }, { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 } },
    { { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff }, { 0xffffffff, 0xffffffff },
      { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd } },
    { { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344 }, { 0xa4093822, 0x299f31d0 },
      { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 } },
  };
  for (gsize v = 0; v < G_N_ELEMENTS (kat); v++)
    {
      uint32_t out[4];
      psim_philox4x32_10 (kat[v].ctr, kat[v].key, out);
      for (int j = 0; j < 4; j++)
        CU_ASSERT_EQUAL (out[j], kat[v].out[j]);
    }
}

/* psim_rng_block puts (subject, week, decision, extra) into the counter. */
static void
test_block_is_philox_of_counter (void)
{
  PsimRngKey key = { { 0xa4093822, 0x299f31d0 } };
  uint32_t out[4];
  psim_rng_block (&key, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, out);
  CU_ASSERT_EQUAL (out[0], 0xd16cfe09);
  CU_ASSERT_EQUAL (out[3], 0x24126ea1);
}

/* The batch form (vectorised, and its portable twin) gives the same words
 * as one call per subject, for counts that are and are not multiples of its
 * lane count. */
static void
test_blocks_match_block (void)
{
  PsimRngKey key;
  psim_rng_key_init (&key, 20240601, 3);
  uint32_t subjects[37];
  for (int i = 0; i < 37; i++)
    subjects[i] = (uint32_t) (i * 7919u + 13u);
  uint32_t batch[4 * 37];
  for (gsize n = 1; n <= 37; n += 12)
    {
      memset (batch, 0, sizeof batch);
      psim_rng_blocks (&key, subjects, n, 52, 9, 1, batch);
      uint32_t portable[4 * 37];
      psim_rng_blocks_portable (&key, subjects, n, 52, 9, 1, portable);
      for (gsize i = 0; i < n; i++)
        {
          uint32_t one[4];
          psim_rng_block (&key, subjects[i], 52, 9, 1, one);
          CU_ASSERT_EQUAL (memcmp (one, &batch[4 * i], sizeof one), 0);
          CU_ASSERT_EQUAL (memcmp (one, &portable[4 * i], sizeof one), 0);
        }
    }
}

/* The planar batch form gives the same words on every vector unit this CPU
 * has, for counts below, at and beyond each unit's step, and writes nothing
 * beyond the n-th entry. */
static void
test_planar_every_unit (void)
{
  PsimRngKey key;
  psim_rng_key_init (&key, 99, 7);
  enum { N = 75 };
  uint32_t subjects[N];
  for (int i = 0; i < N; i++)
    subjects[i] = (uint32_t) (i * 2654435761u);
  int units = 0;
  for (int u = PSIM_RNG_PORTABLE; u <= PSIM_RNG_AVX512; u++)
    for (gsize n = 0; n <= N; n += (n < 40 ? 1 : 7))
      {
        uint32_t buf[4][N + 1];
        memset (buf, 0xab, sizeof buf);
        uint32_t *const words[4] = { buf[0], buf[1], buf[2], buf[3] };
        if (!psim_rng_blocks_planar_with ((PsimRngVector) u, &key, subjects, n, 1234, 5, 2, words))
          break;
        units += n == 0;
        for (gsize i = 0; i < n; i++)
          {
            uint32_t one[4];
            psim_rng_block (&key, subjects[i], 1234, 5, 2, one);
            for (int j = 0; j < 4; j++)
              CU_ASSERT_EQUAL (buf[j][i], one[j]);
          }
        for (int j = 0; j < 4; j++)
          CU_ASSERT_EQUAL (buf[j][n], 0xabababab);
      }
  CU_ASSERT (units >= 1);
  /* the unit picked at run time is one of them */
  uint32_t a[4][N], b[4][N];
  uint32_t *const wa[4] = { a[0], a[1], a[2], a[3] }, *const wb[4] = { b[0], b[1], b[2], b[3] };
  psim_rng_blocks_planar (&key, subjects, N, 7, 8, 9, wa);
  CU_ASSERT_TRUE (psim_rng_blocks_planar_with (PSIM_RNG_PORTABLE, &key, subjects, N, 7, 8, 9, wb));
  CU_ASSERT_EQUAL (memcmp (a, b, sizeof a), 0);
  CU_ASSERT_STRING_NOT_EQUAL (psim_rng_vector_name (psim_rng_vector ()), "?");
}

/* Keys depend on both the seed and the replication, deterministically. */
static void
test_key_derivation (void)
{
  PsimRngKey a, b, c, d;
  psim_rng_key_init (&a, 1, 0);
  psim_rng_key_init (&b, 1, 0);
  psim_rng_key_init (&c, 1, 1);
  psim_rng_key_init (&d, 2, 0);
  CU_ASSERT_EQUAL (memcmp (&a, &b, sizeof a), 0);
  CU_ASSERT_NOT_EQUAL (memcmp (&a, &c, sizeof a), 0);
  CU_ASSERT_NOT_EQUAL (memcmp (&a, &d, sizeof a), 0);
  /* the high half of a 64-bit seed counts too */
  PsimRngKey e;
  psim_rng_key_init (&e, UINT64_C (1) | (UINT64_C (1) << 40), 0);
  CU_ASSERT_NOT_EQUAL (memcmp (&a, &e, sizeof a), 0);
}

/* Changing any one counter word changes about half of the output bits. */
static void
test_avalanche (void)
{
  PsimRngKey key;
  psim_rng_key_init (&key, 7, 0);
  double total = 0.0;
  int n = 0;
  for (uint32_t s = 0; s < 200; s++)
    {
      uint32_t base[4], other[4];
      psim_rng_block (&key, s, 10, 3, 0, base);
      for (int word = 0; word < 4; word++)
        {
          uint32_t c[4] = { s, 10, 3, 0 };
          c[word] ^= 1u << (s % 32);
          psim_rng_block (&key, c[0], c[1], c[2], c[3], other);
          int bits = 0;
          for (int j = 0; j < 4; j++)
            bits += __builtin_popcount (base[j] ^ other[j]);
          total += bits;
          n++;
        }
    }
  /* 128 bits, each flipping with probability 1/2: mean 64, sd 5.66 per
   * block, sd of the mean over 800 blocks 0.2; tolerance 1 bit (5 sd) */
  CU_ASSERT_DOUBLE_EQUAL (total / n, 64.0, 1.0);
}

/* Uniforms: in [0, 1); mean 1/2 and variance 1/12; flat over 20 bins
 * (chi-square). 200,000 draws with seed 12345. */
static void
test_uniform_distribution (void)
{
  PsimRngKey key;
  psim_rng_key_init (&key, 12345, 0);
  enum { N = 200000, BINS = 20 };
  double sum = 0.0, sum2 = 0.0;
  int bins[BINS] = { 0 };
  gboolean below_32_bits = FALSE;
  for (uint32_t i = 0; i < N; i++)
    {
      double u = psim_rng_uniform (&key, i, 0, 1, 0);
      CU_ASSERT (u >= 0.0 && u < 1.0);
      sum += u;
      sum2 += u * u;
      bins[(int) (u * BINS)]++;
      /* 53 bits: some draws have bits below 2^-32 */
      double scaled = ldexp (u, 32);
      if (scaled != floor (scaled))
        below_32_bits = TRUE;
    }
  double mean = sum / N, var = sum2 / N - mean * mean;
  /* sd of the mean: sqrt(1/12/N) = 6.5e-4; tolerance 4 sd */
  CU_ASSERT_DOUBLE_EQUAL (mean, 0.5, 4 * sqrt (1.0 / 12.0 / N));
  /* sd of the variance estimate: sqrt(1/180/N) = 1.7e-4; tolerance 4 sd */
  CU_ASSERT_DOUBLE_EQUAL (var, 1.0 / 12.0, 4 * sqrt (1.0 / 180.0 / N));
  double chi2 = 0.0, expected = (double) N / BINS;
  for (int b = 0; b < BINS; b++)
    chi2 += (bins[b] - expected) * (bins[b] - expected) / expected;
  /* chi-square with 19 degrees of freedom: 43.8 is the 0.999 quantile */
  CU_ASSERT (chi2 < 43.8);
  CU_ASSERT (below_32_bits);

  /* the 32-bit and 53-bit conversions cover [0, 1) and never reach 1 */
  CU_ASSERT_EQUAL (psim_rng_u01_32 (0), 0.0);
  CU_ASSERT (psim_rng_u01_32 (UINT32_MAX) < 1.0);
  CU_ASSERT (psim_rng_u01_53 (UINT32_MAX, UINT32_MAX) < 1.0);
  CU_ASSERT_EQUAL (psim_rng_u01_53 (0, 0), 0.0);
}

/* Normal deviates: mean 0, variance 1, 5% beyond 1.96, symmetric. */
static void
test_normal_distribution (void)
{
  PsimRngKey key;
  psim_rng_key_init (&key, 777, 2);
  enum { N = 200000 };
  double sum = 0.0, sum2 = 0.0;
  int beyond = 0, positive = 0;
  for (uint32_t i = 0; i < N; i++)
    {
      double z = psim_rng_normal (&key, i, 5, 2, 0);
      CU_ASSERT (isfinite (z));
      sum += z;
      sum2 += z * z;
      beyond += fabs (z) > 1.959964;
      positive += z > 0.0;
    }
  double mean = sum / N, var = sum2 / N - mean * mean;
  CU_ASSERT_DOUBLE_EQUAL (mean, 0.0, 4 * sqrt (1.0 / N));        /* 4 sd: 0.0089 */
  CU_ASSERT_DOUBLE_EQUAL (var, 1.0, 4 * sqrt (2.0 / N));         /* 4 sd: 0.0126 */
  CU_ASSERT_DOUBLE_EQUAL ((double) beyond / N, 0.05, 4 * sqrt (0.05 * 0.95 / N)); /* 0.0019 */
  CU_ASSERT_DOUBLE_EQUAL ((double) positive / N, 0.5, 4 * sqrt (0.25 / N));
  /* the extreme uniforms give finite deviates */
  CU_ASSERT (isfinite (psim_rng_normal_from (0.0, 0.0)));
  CU_ASSERT (isfinite (psim_rng_normal_from (1.0 - ldexp (1.0, -53), 0.5)));
}

/* Exponential deviates: mean 1, P(X > 1) = 1/e. */
static void
test_exponential_distribution (void)
{
  PsimRngKey key;
  psim_rng_key_init (&key, 99, 0);
  enum { N = 200000 };
  double sum = 0.0;
  int above = 0;
  for (uint32_t i = 0; i < N; i++)
    {
      double x = psim_rng_exponential_from (psim_rng_uniform (&key, i, 1, 4, 0));
      CU_ASSERT (x >= 0.0 && isfinite (x));
      sum += x;
      above += x > 1.0;
    }
  CU_ASSERT_DOUBLE_EQUAL (sum / N, 1.0, 4 * sqrt (1.0 / N));     /* variance 1: 0.0089 */
  double p = exp (-1.0);
  CU_ASSERT_DOUBLE_EQUAL ((double) above / N, p, 4 * sqrt (p * (1 - p) / N));
}

/* Exponential deviates conditioned below a limit: all below it, with the
 * conditional mean and tail; without a limit, the plain deviates. */
static void
test_exponential_below_a_limit (void)
{
  PsimRngKey key;
  psim_rng_key_init (&key, 98, 0);
  enum { N = 200000 };
  const double limit = 2.0, e_l = exp (-limit);
  double sum = 0.0, sum2 = 0.0;
  int above = 0, outside = 0;
  for (uint32_t i = 0; i < N; i++)
    {
      double u = psim_rng_uniform (&key, i, 1, 4, 0);
      double x = psim_rng_exponential_below_from (u, limit);
      outside += !(x >= 0.0 && x < limit);
      sum += x;
      sum2 += x * x;
      above += x > 1.0;
      if (i < 1000)
        CU_ASSERT_DOUBLE_EQUAL (psim_rng_exponential_below_from (u, INFINITY), psim_rng_exponential_from (u),
                                1e-15 * (1.0 + psim_rng_exponential_from (u)));
    }
  CU_ASSERT_EQUAL (outside, 0);
  double mean = 1.0 - limit * e_l / (1.0 - e_l); /* 0.687 */
  double sd = sqrt (sum2 / N - (sum / N) * (sum / N));
  CU_ASSERT_DOUBLE_EQUAL (sum / N, mean, 4 * sd / sqrt (N));
  double p = (exp (-1.0) - e_l) / (1.0 - e_l);
  CU_ASSERT_DOUBLE_EQUAL ((double) above / N, p, 4 * sqrt (p * (1 - p) / N));
  CU_ASSERT_EQUAL (psim_rng_exponential_below_from (0.5, 0.0), 0.0);
  CU_ASSERT (psim_rng_exponential_below_from (1.0 - ldexp (1.0, -32), limit) < limit);
}

/* Uniforms of neighbouring counters are uncorrelated (lag-1 over subjects,
 * and across the four words of a block). */
static void
test_no_correlation (void)
{
  PsimRngKey key;
  psim_rng_key_init (&key, 4242, 0);
  enum { N = 100000 };
  double prev = psim_rng_uniform (&key, 0, 3, 3, 0), cross = 0.0, words = 0.0;
  for (uint32_t i = 1; i <= N; i++)
    {
      double u = psim_rng_uniform (&key, i, 3, 3, 0);
      cross += (u - 0.5) * (prev - 0.5);
      prev = u;
      uint32_t w[4];
      psim_rng_block (&key, i, 3, 3, 1, w);
      words += (psim_rng_u01_32 (w[0]) - 0.5) * (psim_rng_u01_32 (w[1]) - 0.5);
    }
  /* correlation = mean product / (1/12); sd of the estimate 1/sqrt(N) = 0.0032 */
  CU_ASSERT_DOUBLE_EQUAL (cross / N * 12.0, 0.0, 4.0 / sqrt (N));
  CU_ASSERT_DOUBLE_EQUAL (words / N * 12.0, 0.0, 4.0 / sqrt (N));
}

int
main (void)
{
  static const PsimTestCase cases[] = {
    { "Philox4x32-10 known answers", test_known_answers },
    { "a block is Philox of (subject, week, decision, extra)", test_block_is_philox_of_counter },
    { "batch blocks equal single blocks", test_blocks_match_block },
    { "planar batches equal single blocks on every vector unit", test_planar_every_unit },
    { "keys from seed and replication", test_key_derivation },
    { "one counter bit changes half the output", test_avalanche },
    { "uniform: range, moments, flatness, 53 bits", test_uniform_distribution },
    { "normal: moments and tails", test_normal_distribution },
    { "exponential: mean and tail", test_exponential_distribution },
    { "exponential below a limit: range, mean and tail", test_exponential_below_a_limit },
    { "no correlation between neighbours", test_no_correlation },
    { NULL, NULL },
  };
  psim_test_add_suite ("rng", cases);
  return psim_test_run ();
}
