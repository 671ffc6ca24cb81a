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
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PSIM_RNG_X86 1
#include <immintrin.h>
#endif

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

/* ---------- many blocks at once ----------
 *
 * The engine draws one block for every worker every week: these loops are
 * the hottest in a run. Each kernel keeps the four words of a block in the
 * low halves of 64-bit vector lanes, so that one unsigned 32x32 -> 64-bit
 * vector multiply (which reads only those low halves) makes a round's
 * product and the garbage left in the high halves never matters; four
 * independent vectors are in flight to hide the multiply's latency. The
 * kernels are integer arithmetic, so every vector unit gives the same words
 * as psim_philox4x32_10 (the tests check each one the CPU has). Output is
 * planar: words[j][i] is word j of subject i's block. A batch shorter than a
 * kernel's width is padded, so no subject is ever drawn one at a time. */

/* Subjects per kernel step, at most. */
#define PSIM_RNG_MAX_STEP 32

typedef void (*PsimRngKernel) (const uint32_t *key, const uint32_t *subjects, uint32_t week,
                               uint32_t decision, uint32_t extra, uint32_t *const words[4],
                               gsize offset);

static void
kernel_portable (const uint32_t *key, const uint32_t *subjects, uint32_t week, uint32_t decision,
                 uint32_t extra, uint32_t *const words[4], gsize offset)
{
  for (gsize l = 0; l < 4; l++)
    {
      const uint32_t ctr[4] = { subjects[l], week, decision, extra };
      uint32_t out[4];
      psim_philox4x32_10 (ctr, key, out);
      for (int j = 0; j < 4; j++)
        words[j][offset + l] = out[j];
    }
}

#ifdef PSIM_RNG_X86
/* One round on four vectors (a..d) of one width: T the vector type, MUL the
 * unsigned 32x32 -> 64 multiply, SRL a 32-bit right shift of each 64-bit
 * lane, XOR. */
#define PSIM_VROUND(T, MUL, SRL, XOR, x0, x1, x2, x3, k0, k1)     \
  do                                                              \
    {                                                             \
      T p0_ = MUL (x0, m0);                                       \
      T p1_ = MUL (x2, m1);                                       \
      x0 = XOR (XOR (SRL (p1_), x1), k0);                         \
      x2 = XOR (XOR (SRL (p0_), x3), k1);                         \
      x1 = p1_;                                                   \
      x3 = p0_;                                                   \
    }                                                             \
  while (0)
#define PSIM_VROUNDS(T, SET1, MUL, SRL, XOR)                                 \
  uint32_t ka_ = key[0], kb_ = key[1];                                        \
  /* unrolled: the words' rotation is then a renaming, not register moves */ \
  _Pragma ("GCC unroll 10")                                                   \
  for (int r_ = 0; r_ < PHILOX_ROUNDS; r_++)                                  \
    {                                                                         \
      T k0 = SET1 (ka_), k1 = SET1 (kb_);                                     \
      PSIM_VROUND (T, MUL, SRL, XOR, a0, a1, a2, a3, k0, k1);                 \
      PSIM_VROUND (T, MUL, SRL, XOR, b0, b1, b2, b3, k0, k1);                 \
      PSIM_VROUND (T, MUL, SRL, XOR, c0, c1, c2, c3, k0, k1);                 \
      PSIM_VROUND (T, MUL, SRL, XOR, d0, d1, d2, d3, k0, k1);                 \
      ka_ += PHILOX_W0;                                                       \
      kb_ += PHILOX_W1;                                                       \
    }

/* SSE2 (every x86-64): 8 subjects a step, two per vector. */
#define PSIM_SSE_SRL(x) _mm_srli_epi64 (x, 32)
#define PSIM_SSE_PACK(x, y) \
  _mm_castps_si128 (_mm_shuffle_ps (_mm_castsi128_ps (x), _mm_castsi128_ps (y), 0x88))
static void
kernel_sse2 (const uint32_t *key, const uint32_t *subjects, uint32_t week, uint32_t decision,
             uint32_t extra, uint32_t *const words[4], gsize offset)
{
  const __m128i m0 = _mm_set1_epi64x (PHILOX_M0), m1 = _mm_set1_epi64x (PHILOX_M1);
  const __m128i zero = _mm_setzero_si128 ();
  __m128i s = _mm_loadu_si128 ((const __m128i *) subjects);
  __m128i t = _mm_loadu_si128 ((const __m128i *) (subjects + 4));
  __m128i a0 = _mm_unpacklo_epi32 (s, zero), b0 = _mm_unpackhi_epi32 (s, zero);
  __m128i c0 = _mm_unpacklo_epi32 (t, zero), d0 = _mm_unpackhi_epi32 (t, zero);
  __m128i a1 = _mm_set1_epi64x (week), b1 = a1, c1 = a1, d1 = a1;
  __m128i a2 = _mm_set1_epi64x (decision), b2 = a2, c2 = a2, d2 = a2;
  __m128i a3 = _mm_set1_epi64x (extra), b3 = a3, c3 = a3, d3 = a3;
  PSIM_VROUNDS (__m128i, _mm_set1_epi64x, _mm_mul_epu32, PSIM_SSE_SRL, _mm_xor_si128)
#define PSIM_SSE_STORE(j, x, y, z, w)                                                      \
  _mm_storeu_si128 ((__m128i *) (words[j] + offset), PSIM_SSE_PACK (x, y));                \
  _mm_storeu_si128 ((__m128i *) (words[j] + offset + 4), PSIM_SSE_PACK (z, w))
  PSIM_SSE_STORE (0, a0, b0, c0, d0);
  PSIM_SSE_STORE (1, a1, b1, c1, d1);
  PSIM_SSE_STORE (2, a2, b2, c2, d2);
  PSIM_SSE_STORE (3, a3, b3, c3, d3);
#undef PSIM_SSE_STORE
}

/* AVX2: 16 subjects a step, four per vector. */
#define PSIM_AVX2_SRL(x) _mm256_srli_epi64 (x, 32)
#define PSIM_AVX2_PACK(x, y)                                                                   \
  _mm256_permute4x64_epi64 (                                                                   \
    _mm256_castps_si256 (_mm256_shuffle_ps (_mm256_castsi256_ps (x), _mm256_castsi256_ps (y), 0x88)), \
    0xD8)
__attribute__ ((target ("avx2"))) static void
kernel_avx2 (const uint32_t *key, const uint32_t *subjects, uint32_t week, uint32_t decision,
             uint32_t extra, uint32_t *const words[4], gsize offset)
{
  const __m256i m0 = _mm256_set1_epi64x (PHILOX_M0), m1 = _mm256_set1_epi64x (PHILOX_M1);
  __m256i a0 = _mm256_cvtepu32_epi64 (_mm_loadu_si128 ((const __m128i *) subjects));
  __m256i b0 = _mm256_cvtepu32_epi64 (_mm_loadu_si128 ((const __m128i *) (subjects + 4)));
  __m256i c0 = _mm256_cvtepu32_epi64 (_mm_loadu_si128 ((const __m128i *) (subjects + 8)));
  __m256i d0 = _mm256_cvtepu32_epi64 (_mm_loadu_si128 ((const __m128i *) (subjects + 12)));
  __m256i a1 = _mm256_set1_epi64x (week), b1 = a1, c1 = a1, d1 = a1;
  __m256i a2 = _mm256_set1_epi64x (decision), b2 = a2, c2 = a2, d2 = a2;
  __m256i a3 = _mm256_set1_epi64x (extra), b3 = a3, c3 = a3, d3 = a3;
  PSIM_VROUNDS (__m256i, _mm256_set1_epi64x, _mm256_mul_epu32, PSIM_AVX2_SRL, _mm256_xor_si256)
#define PSIM_AVX2_STORE(j, x, y, z, w)                                                     \
  _mm256_storeu_si256 ((__m256i *) (words[j] + offset), PSIM_AVX2_PACK (x, y));            \
  _mm256_storeu_si256 ((__m256i *) (words[j] + offset + 8), PSIM_AVX2_PACK (z, w))
  PSIM_AVX2_STORE (0, a0, b0, c0, d0);
  PSIM_AVX2_STORE (1, a1, b1, c1, d1);
  PSIM_AVX2_STORE (2, a2, b2, c2, d2);
  PSIM_AVX2_STORE (3, a3, b3, c3, d3);
#undef PSIM_AVX2_STORE
}

/* AVX-512F: 32 subjects a step, eight per vector. */
#define PSIM_AVX512_SRL(x) _mm512_srli_epi64 (x, 32)
__attribute__ ((target ("avx512f"))) static void
kernel_avx512 (const uint32_t *key, const uint32_t *subjects, uint32_t week, uint32_t decision,
               uint32_t extra, uint32_t *const words[4], gsize offset)
{
  const __m512i m0 = _mm512_set1_epi64 (PHILOX_M0), m1 = _mm512_set1_epi64 (PHILOX_M1);
  __m512i a0 = _mm512_cvtepu32_epi64 (_mm256_loadu_si256 ((const __m256i *) subjects));
  __m512i b0 = _mm512_cvtepu32_epi64 (_mm256_loadu_si256 ((const __m256i *) (subjects + 8)));
  __m512i c0 = _mm512_cvtepu32_epi64 (_mm256_loadu_si256 ((const __m256i *) (subjects + 16)));
  __m512i d0 = _mm512_cvtepu32_epi64 (_mm256_loadu_si256 ((const __m256i *) (subjects + 24)));
  __m512i a1 = _mm512_set1_epi64 (week), b1 = a1, c1 = a1, d1 = a1;
  __m512i a2 = _mm512_set1_epi64 (decision), b2 = a2, c2 = a2, d2 = a2;
  __m512i a3 = _mm512_set1_epi64 (extra), b3 = a3, c3 = a3, d3 = a3;
  PSIM_VROUNDS (__m512i, _mm512_set1_epi64, _mm512_mul_epu32, PSIM_AVX512_SRL, _mm512_xor_si512)
#define PSIM_AVX512_STORE(j, x, y, z, w)                                                        \
  _mm256_storeu_si256 ((__m256i *) (words[j] + offset), _mm512_cvtepi64_epi32 (x));            \
  _mm256_storeu_si256 ((__m256i *) (words[j] + offset + 8), _mm512_cvtepi64_epi32 (y));        \
  _mm256_storeu_si256 ((__m256i *) (words[j] + offset + 16), _mm512_cvtepi64_epi32 (z));       \
  _mm256_storeu_si256 ((__m256i *) (words[j] + offset + 24), _mm512_cvtepi64_epi32 (w))
  PSIM_AVX512_STORE (0, a0, b0, c0, d0);
  PSIM_AVX512_STORE (1, a1, b1, c1, d1);
  PSIM_AVX512_STORE (2, a2, b2, c2, d2);
  PSIM_AVX512_STORE (3, a3, b3, c3, d3);
#undef PSIM_AVX512_STORE
}
#endif

/* The kernel of a vector unit and its width; FALSE when this CPU lacks it. */
static gboolean
kernel_for (PsimRngVector unit, PsimRngKernel *kernel, gsize *width)
{
  switch (unit)
    {
    case PSIM_RNG_PORTABLE:
      *kernel = kernel_portable;
      *width = 4;
      return TRUE;
#ifdef PSIM_RNG_X86
    case PSIM_RNG_SSE2:
      *kernel = kernel_sse2;
      *width = 8;
      return TRUE;
    case PSIM_RNG_AVX2:
      __builtin_cpu_init ();
      *kernel = kernel_avx2;
      *width = 16;
      return __builtin_cpu_supports ("avx2") != 0;
    case PSIM_RNG_AVX512:
      __builtin_cpu_init ();
      *kernel = kernel_avx512;
      *width = 32;
      return __builtin_cpu_supports ("avx512f") != 0;
#endif
    default:
      return FALSE;
    }
}

PsimRngVector
psim_rng_vector (void)
{
  /* asked once; every thread that races here stores the same answer */
  static int chosen = -1;
  int unit = __atomic_load_n (&chosen, __ATOMIC_RELAXED);
  if (unit < 0)
    {
      PsimRngKernel kernel;
      gsize width;
      unit = PSIM_RNG_PORTABLE;
      for (int u = PSIM_RNG_AVX512; u > PSIM_RNG_PORTABLE; u--)
        if (kernel_for ((PsimRngVector) u, &kernel, &width))
          {
            unit = u;
            break;
          }
      __atomic_store_n (&chosen, unit, __ATOMIC_RELAXED);
    }
  return (PsimRngVector) unit;
}

const char *
psim_rng_vector_name (PsimRngVector unit)
{
  static const char *const names[] = { "portable", "SSE2", "AVX2", "AVX-512" };
  return (unsigned) unit < G_N_ELEMENTS (names) ? names[unit] : "?";
}

gboolean
psim_rng_blocks_planar_with (PsimRngVector unit, const PsimRngKey *key, const uint32_t *subjects,
                             gsize n, uint32_t week, uint32_t decision, uint32_t extra,
                             uint32_t *const words[4])
{
  PsimRngKernel kernel;
  gsize width;
  if (!kernel_for (unit, &kernel, &width))
    return FALSE;
  gsize i = 0;
  for (; i + width <= n; i += width)
    kernel (key->k, subjects + i, week, decision, extra, words, i);
  if (i < n)
    {
      /* the rest, padded to a whole step */
      uint32_t pad[PSIM_RNG_MAX_STEP] = { 0 };
      uint32_t out[4][PSIM_RNG_MAX_STEP];
      uint32_t *const tail[4] = { out[0], out[1], out[2], out[3] };
      memcpy (pad, subjects + i, (n - i) * sizeof *pad);
      kernel (key->k, pad, week, decision, extra, tail, 0);
      for (int j = 0; j < 4; j++)
        memcpy (words[j] + i, out[j], (n - i) * sizeof *pad);
    }
  return TRUE;
}

void
psim_rng_blocks_planar (const PsimRngKey *key, const uint32_t *subjects, gsize n, uint32_t week,
                        uint32_t decision, uint32_t extra, uint32_t *const words[4])
{
  psim_rng_blocks_planar_with (psim_rng_vector (), key, subjects, n, week, decision, extra, words);
}

/* The block-major forms: planar in steps of PSIM_RNG_MAX_STEP, interleaved. */
static void
blocks_interleaved (PsimRngVector unit, const PsimRngKey *key, const uint32_t *subjects, gsize n,
                    uint32_t week, uint32_t decision, uint32_t extra, uint32_t *out)
{
  uint32_t buf[4][PSIM_RNG_MAX_STEP];
  uint32_t *const words[4] = { buf[0], buf[1], buf[2], buf[3] };
  for (gsize base = 0; base < n; base += PSIM_RNG_MAX_STEP)
    {
      gsize m = MIN ((gsize) PSIM_RNG_MAX_STEP, n - base);
      psim_rng_blocks_planar_with (unit, key, subjects + base, m, week, decision, extra, words);
      for (gsize l = 0; l < m; l++)
        for (int j = 0; j < 4; j++)
          out[4 * (base + l) + (gsize) j] = buf[j][l];
    }
}

void
psim_rng_blocks_portable (const PsimRngKey *key, const uint32_t *subjects, gsize n, uint32_t week,
                          uint32_t decision, uint32_t extra, uint32_t *out)
{
  blocks_interleaved (PSIM_RNG_PORTABLE, key, subjects, n, week, decision, extra, out);
}

void
psim_rng_blocks (const PsimRngKey *key, const uint32_t *subjects, gsize n, uint32_t week,
                 uint32_t decision, uint32_t extra, uint32_t *out)
{
  blocks_interleaved (psim_rng_vector (), key, subjects, n, week, decision, extra, out);
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

double
psim_rng_exponential_below_from (double u, double limit)
{
  /* F(x) = (1 - e^-x) / (1 - e^-limit), so x = -ln (1 - u (1 - e^-limit)) */
  return psim_rng_exponential_below_tail (u, expm1 (-limit));
}

double
psim_rng_exponential_below_tail (double u, double tail)
{
  return -log1p (u * tail);
}
