/* permitsim: one replication as a block of bytes.
 *
 * What a rank sends to rank 0, and what tests compare between runs: a small
 * header with the dimensions, the parameters the replication ran with, then
 * every tally as it is in memory. Both ends are the same program on the same
 * kind of machine, so the byte order is the machine's own.
 */
#include "permitsim/ensemble.h"

#include <string.h>

#include "permitsim/error.h"

#define WIRE_MAGIC 0x31525350u /* "PSR1" */

typedef struct {
  uint32_t magic;
  uint32_t replication;
  int32_t first_year;
  int32_t n_years;
  int32_t n_municipalities;
  int32_t n_groups;
  int32_t n_weeks;
  uint32_t n_params;
  uint32_t tally_size;
  uint32_t reserved;
} WireHeader;

GBytes *
psim_replication_serialize (const PsimReplication *rep)
{
  g_return_val_if_fail (rep != NULL, NULL);
  const PsimRunResult *r = &rep->result;
  WireHeader h = {
    .magic = WIRE_MAGIC,
    .replication = rep->replication,
    .first_year = r->first_year,
    .n_years = r->annual != NULL ? r->n_years : 0,
    .n_municipalities = r->n_municipalities,
    .n_groups = r->groups != NULL ? psim_group_count () : 0,
    .n_weeks = r->weekly != NULL ? r->n_weeks : 0,
    .n_params = (uint32_t) psim_param_count (),
    .tally_size = sizeof (PsimTally),
  };
  gsize n_annual = (gsize) h.n_years * (gsize) h.n_municipalities;
  gsize n_groups = (gsize) h.n_years * (gsize) h.n_groups;
  gsize n_weekly = (gsize) h.n_weeks * (gsize) h.n_municipalities;

  GByteArray *out = g_byte_array_sized_new ((guint) (sizeof h + h.n_params * sizeof (double)
                                                     + (n_annual + n_groups + n_weekly) * sizeof (PsimTally)
                                                     + (gsize) h.n_weeks * sizeof (PsimDate)));
  g_byte_array_append (out, (const guint8 *) &h, sizeof h);
  for (gsize i = 0; i < h.n_params; i++)
    {
      double v = psim_params_get (&rep->params, i);
      g_byte_array_append (out, (const guint8 *) &v, sizeof v);
    }
  if (n_annual > 0)
    g_byte_array_append (out, (const guint8 *) r->annual, (guint) (n_annual * sizeof (PsimTally)));
  if (n_groups > 0)
    g_byte_array_append (out, (const guint8 *) r->groups, (guint) (n_groups * sizeof (PsimTally)));
  if (h.n_weeks > 0)
    {
      if (r->week_start != NULL)
        g_byte_array_append (out, (const guint8 *) r->week_start,
                             (guint) ((gsize) h.n_weeks * sizeof (PsimDate)));
      else
        for (int32_t w = 0; w < h.n_weeks; w++)
          {
            PsimDate none = PSIM_DATE_NONE;
            g_byte_array_append (out, (const guint8 *) &none, sizeof none);
          }
      g_byte_array_append (out, (const guint8 *) r->weekly, (guint) (n_weekly * sizeof (PsimTally)));
    }
  return g_byte_array_free_to_bytes (out);
}

/* Copies `n` bytes from *p into dst (allocated when n > 0), advancing *p. */
static gpointer
take (const guint8 **p, gsize n)
{
  if (n == 0)
    return NULL;
  gpointer dst = g_malloc (n);
  memcpy (dst, *p, n);
  *p += n;
  return dst;
}

gboolean
psim_replication_deserialize (const void *data, gsize size, PsimReplication *out, GError **error)
{
  g_return_val_if_fail (data != NULL && out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  WireHeader h;
  if (size < sizeof h)
    goto bad;
  memcpy (&h, data, sizeof h);
  if (h.magic != WIRE_MAGIC || h.tally_size != sizeof (PsimTally)
      || h.n_params != psim_param_count () || h.n_years < 0 || h.n_municipalities < 0
      || h.n_groups < 0 || h.n_weeks < 0)
    goto bad;

  gsize n_annual = (gsize) h.n_years * (gsize) h.n_municipalities;
  gsize n_groups = (gsize) h.n_years * (gsize) h.n_groups;
  gsize n_weekly = (gsize) h.n_weeks * (gsize) h.n_municipalities;
  gsize want = sizeof h + h.n_params * sizeof (double)
               + (n_annual + n_groups + n_weekly) * sizeof (PsimTally)
               + (gsize) h.n_weeks * sizeof (PsimDate);
  if (want != size)
    goto bad;

  const guint8 *p = (const guint8 *) data + sizeof h;
  out->replication = h.replication;
  for (gsize i = 0; i < h.n_params; i++)
    {
      double v;
      memcpy (&v, p, sizeof v);
      p += sizeof v;
      psim_params_set (&out->params, i, v);
    }
  PsimRunResult *r = &out->result;
  r->first_year = h.first_year;
  r->n_years = h.n_years;
  r->n_municipalities = h.n_municipalities;
  r->annual = take (&p, n_annual * sizeof (PsimTally));
  r->groups = take (&p, n_groups * sizeof (PsimTally));
  r->n_weeks = h.n_weeks;
  r->week_start = take (&p, (gsize) h.n_weeks * sizeof (PsimDate));
  r->weekly = take (&p, n_weekly * sizeof (PsimTally));
  return TRUE;

bad:
  g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
               "a replication's bytes are damaged or come from another build (%" G_GSIZE_FORMAT " bytes)",
               size);
  return FALSE;
}
