/* permitsim: the three result tables (annual.csv, weekly.csv, groups.csv).
 *
 * A table is its key columns (below) followed by every outcome column of the
 * column table in results.c. The header and each row are written by walking
 * the same two lists, so they cannot drift apart.
 */
#include "permitsim/output.h"

#include <math.h>

typedef enum {
  KEY_SCENARIO,
  KEY_REPLICATION,
  KEY_YEAR,
  KEY_WEEK_START,
  KEY_MUNICIPALITY,
  KEY_GROUP_TYPE,
  KEY_GROUP,
  KEY_END
} KeyField;

static const char *const key_names[KEY_END] = {
  "scenario", "replication", "year", "week_start", "municipality", "group_type", "group",
};

typedef struct {
  const char *file_name;
  KeyField keys[6]; /* KEY_END-terminated */
} TableInfo;

static const TableInfo tables[PSIM_N_TABLES] = {
  [PSIM_TABLE_ANNUAL] = { "annual.csv",
                          { KEY_SCENARIO, KEY_REPLICATION, KEY_YEAR, KEY_MUNICIPALITY, KEY_END } },
  [PSIM_TABLE_WEEKLY] = { "weekly.csv",
                          { KEY_SCENARIO, KEY_REPLICATION, KEY_YEAR, KEY_WEEK_START,
                            KEY_MUNICIPALITY, KEY_END } },
  [PSIM_TABLE_GROUPS] = { "groups.csv",
                          { KEY_SCENARIO, KEY_REPLICATION, KEY_YEAR, KEY_GROUP_TYPE, KEY_GROUP,
                            KEY_END } },
};

const char *
psim_table_file_name (PsimTable table)
{
  g_return_val_if_fail ((unsigned) table < PSIM_N_TABLES, NULL);
  return tables[table].file_name;
}

gsize
psim_table_key_count (PsimTable table)
{
  g_return_val_if_fail ((unsigned) table < PSIM_N_TABLES, 0);
  gsize n = 0;
  while (tables[table].keys[n] != KEY_END)
    n++;
  return n;
}

const char *
psim_table_key_name (PsimTable table, gsize index)
{
  g_return_val_if_fail (index < psim_table_key_count (table), NULL);
  return key_names[tables[table].keys[index]];
}

char *
psim_table_header (PsimTable table)
{
  g_return_val_if_fail ((unsigned) table < PSIM_N_TABLES, NULL);
  GString *line = g_string_new (NULL);
  gsize n_keys = psim_table_key_count (table);
  for (gsize i = 0; i < n_keys; i++)
    {
      if (i > 0)
        g_string_append_c (line, ',');
      psim_csv_quote (line, psim_table_key_name (table, i));
    }
  for (gsize i = 0; i < psim_column_count (); i++)
    {
      g_string_append_c (line, ',');
      psim_csv_quote (line, psim_column (i)->name);
    }
  return g_string_free (line, FALSE);
}

void
psim_table_write_header (PsimCsv *csv, PsimTable table)
{
  g_return_if_fail ((unsigned) table < PSIM_N_TABLES);
  gsize n_keys = psim_table_key_count (table);
  for (gsize i = 0; i < n_keys; i++)
    psim_csv_field (csv, psim_table_key_name (table, i));
  for (gsize i = 0; i < psim_column_count (); i++)
    psim_csv_field (csv, psim_column (i)->name);
  psim_csv_end_row (csv);
}

static void
write_key (PsimCsv *csv, KeyField field, const PsimRowKey *key)
{
  switch (field)
    {
    case KEY_SCENARIO:
      psim_csv_field (csv, key->scenario);
      break;
    case KEY_REPLICATION:
      psim_csv_field_int (csv, key->replication);
      break;
    case KEY_YEAR:
      psim_csv_field_int (csv, key->year);
      break;
    case KEY_WEEK_START:
      {
        char iso[11];
        psim_date_format (key->week_start, iso);
        psim_csv_field (csv, key->week_start > 0 ? iso : NULL);
      }
      break;
    case KEY_MUNICIPALITY:
      psim_csv_field (csv, key->municipality);
      break;
    case KEY_GROUP_TYPE:
      psim_csv_field (csv, key->group_type);
      break;
    case KEY_GROUP:
      psim_csv_field (csv, key->group);
      break;
    case KEY_END:
      g_assert_not_reached ();
    }
}

void
psim_table_write_row (PsimCsv *csv, PsimTable table, const PsimRowKey *key,
                      const PsimTally *tally)
{
  g_return_if_fail ((unsigned) table < PSIM_N_TABLES && key != NULL && tally != NULL);
  for (const KeyField *k = tables[table].keys; *k != KEY_END; k++)
    write_key (csv, *k, key);
  for (gsize i = 0; i < psim_column_count (); i++)
    {
      const PsimColumn *col = psim_column (i);
      double v = col->value (tally);
      switch (col->kind)
        {
        case PSIM_COLUMN_COUNT:
          if (isfinite (v))
            psim_csv_field_int (csv, (int64_t) llround (v));
          else
            psim_csv_field (csv, NULL);
          break;
        case PSIM_COLUMN_SHARE:
          psim_csv_field_number (csv, v, 6);
          break;
        case PSIM_COLUMN_EUROS:
          psim_csv_field_number (csv, v, 2);
          break;
        }
    }
  psim_csv_end_row (csv);
}
