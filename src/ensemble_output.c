/* permitsim: parameters.csv -- the parameters each replication ran with.
 *
 * One row per replication: its number, then every parameter of the table in
 * table order, each written with the fewest digits that read back as the
 * same double, so a replication can be rerun with exactly its values.
 */
#include "permitsim/ensemble.h"

void
psim_format_double (double value, char buf[static 32])
{
  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, 32, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        return;
    }
}

PsimCsv *
psim_parameters_csv_open (const char *path, GError **error)
{
  PsimCsv *csv = psim_csv_open (path, error);
  if (csv == NULL)
    return NULL;
  psim_csv_field (csv, "replication");
  for (gsize i = 0; i < psim_param_count (); i++)
    psim_csv_field (csv, psim_param_info (i)->name);
  psim_csv_end_row (csv);
  return csv;
}

void
psim_parameters_csv_add (PsimCsv *csv, const PsimReplication *rep)
{
  g_return_if_fail (csv != NULL && rep != NULL);
  psim_csv_field_int (csv, rep->replication);
  for (gsize i = 0; i < psim_param_count (); i++)
    {
      char buf[32];
      psim_format_double (psim_params_get (&rep->params, i), buf);
      psim_csv_field (csv, buf);
    }
  psim_csv_end_row (csv);
}
