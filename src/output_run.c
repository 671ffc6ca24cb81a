/* permitsim: one replication's PsimRunResult as rows of the open tables.
 *
 * annual.csv and weekly.csv: per year (week) each municipality in region
 * order, then the region as municipality "ALL"; groups.csv: per year each
 * group of engine.h. Kept apart from output.c because it is the one part of
 * the writers that needs the engine's group names.
 */
#include "permitsim/output.h"

#include "permitsim/error.h"

static void
write_municipality_rows (PsimCsv *csv, PsimTable table, PsimRowKey *key,
                         const PsimRegion *region, const PsimTally *tallies, int n)
{
  PsimTally all = { 0 };
  for (int m = 0; m < n; m++)
    {
      key->municipality = region->municipalities[m].name;
      psim_table_write_row (csv, table, key, &tallies[m]);
      psim_tally_add (&all, &tallies[m]);
    }
  key->municipality = PSIM_OUTPUT_REGION_ROW;
  psim_table_write_row (csv, table, key, &all);
}

gboolean
psim_output_add_run (PsimOutput *out, const char *scenario, uint32_t replication,
                     const PsimRegion *region, const PsimRunResult *result, GError **error)
{
  g_return_val_if_fail (out != NULL && region != NULL && result != NULL, FALSE);
  int n_muni = result->n_municipalities;
  if (n_muni != region->n_municipalities)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                   "the simulation returned %d municipalities for a region of %d", n_muni,
                   region->n_municipalities);
      return FALSE;
    }
  PsimRowKey key = { .scenario = scenario, .replication = replication };

  PsimCsv *annual = psim_output_table (out, PSIM_TABLE_ANNUAL);
  for (int y = 0; annual != NULL && y < result->n_years; y++)
    {
      key.year = result->first_year + y;
      write_municipality_rows (annual, PSIM_TABLE_ANNUAL, &key, region,
                               &result->annual[(gsize) y * (gsize) n_muni], n_muni);
    }

  PsimCsv *weekly = psim_output_table (out, PSIM_TABLE_WEEKLY);
  if (weekly != NULL && result->n_weeks > 0 && (result->weekly == NULL || result->week_start == NULL))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME,
                   "weekly results were asked for but the simulation kept none");
      return FALSE;
    }
  for (int w = 0; weekly != NULL && w < result->n_weeks; w++)
    {
      key.week_start = result->week_start[w];
      key.year = psim_date_year (key.week_start);
      write_municipality_rows (weekly, PSIM_TABLE_WEEKLY, &key, region,
                               &result->weekly[(gsize) w * (gsize) n_muni], n_muni);
    }
  key.week_start = PSIM_DATE_NONE;
  key.municipality = NULL;

  PsimCsv *groups = psim_output_table (out, PSIM_TABLE_GROUPS);
  int n_groups = psim_group_count ();
  for (int y = 0; groups != NULL && result->groups != NULL && y < result->n_years; y++)
    {
      key.year = result->first_year + y;
      for (int g = 0; g < n_groups; g++)
        {
          key.group_type = psim_group_type_name (psim_group_type (g));
          key.group = psim_group_name (g);
          psim_table_write_row (groups, PSIM_TABLE_GROUPS, &key,
                                &result->groups[(gsize) y * (gsize) n_groups + (gsize) g]);
        }
    }
  return TRUE;
}
