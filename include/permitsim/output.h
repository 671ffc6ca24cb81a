/* permitsim: writing results -- CSV files, manifest.json, the output directory.
 *
 * Four layers, each usable on its own: a small RFC 4180 CSV writer that
 * checks every write; the three tables (annual.csv, weekly.csv, groups.csv)
 * whose header and rows both come from the column table of results.h; the
 * manifest that makes a run reproducible; and an output directory that is
 * staged next to its destination and moved into place only when everything
 * has been written. docs/outputs.md documents the files.
 */
#ifndef PERMITSIM_OUTPUT_H
#define PERMITSIM_OUTPUT_H

#include <stdint.h>

#include <glib.h>

#include "permitsim/engine.h"
#include "permitsim/model.h"
#include "permitsim/params.h"
#include "permitsim/results.h"

G_BEGIN_DECLS

/* ---------- CSV ---------- */

/* A CSV file being written: UTF-8, a comma between fields, '\n' after each
 * row, a field quoted only when it holds a comma, a double quote, '\r' or
 * '\n' (quotes doubled inside). Numbers never depend on the locale. The first
 * failed write is remembered and reported, with the path, by psim_csv_close(). */
typedef struct _PsimCsv PsimCsv;

PsimCsv *psim_csv_open (const char *path, GError **error);
void psim_csv_field (PsimCsv *csv, const char *text);         /* NULL writes an empty field */
void psim_csv_field_int (PsimCsv *csv, int64_t value);
/* A fixed number of decimals ("%.6f" for decimals 6); NAN or infinity writes an empty field. */
void psim_csv_field_number (PsimCsv *csv, double value, int decimals);
void psim_csv_end_row (PsimCsv *csv);
int64_t psim_csv_rows (const PsimCsv *csv);                   /* rows ended so far, header included */
const char *psim_csv_path (const PsimCsv *csv);
/* Flushes, syncs and closes the file, and frees csv. FALSE (PSIM_ERROR_IO,
 * "path: message") if any write, the flush, the sync or the close failed. */
gboolean psim_csv_close (PsimCsv *csv, GError **error);
/* Closes without checks and frees (on a failure path). NULL is fine. */
void psim_csv_discard (PsimCsv *csv);
/* Appends one field to `line` as psim_csv_field() would write it. */
void psim_csv_quote (GString *line, const char *text);

/* ---------- the tables ---------- */

typedef enum {
  PSIM_TABLE_ANNUAL, /* annual.csv: per scenario, replication, year, municipality (and ALL) */
  PSIM_TABLE_WEEKLY, /* weekly.csv: as annual, with week_start after year */
  PSIM_TABLE_GROUPS, /* groups.csv: whole region, per year and group */
  PSIM_N_TABLES
} PsimTable;

/* The municipality value of the rows that cover the whole region. */
#define PSIM_OUTPUT_REGION_ROW "ALL"

/* The key of one row; a table reads only the fields it has columns for. */
typedef struct {
  const char *scenario;
  uint32_t replication;
  int year;
  PsimDate week_start;      /* weekly */
  const char *municipality; /* annual, weekly */
  const char *group_type;   /* groups */
  const char *group;        /* groups */
} PsimRowKey;

const char *psim_table_file_name (PsimTable table); /* "annual.csv", ... */
/* The key columns that come before the outcome columns of results.h. */
gsize psim_table_key_count (PsimTable table);
const char *psim_table_key_name (PsimTable table, gsize index);
/* The header row as one line, without the '\n'; free with g_free. */
char *psim_table_header (PsimTable table);
void psim_table_write_header (PsimCsv *csv, PsimTable table);
/* Key columns, then every outcome column: counts as integers, shares with 6
 * decimals, euros with 2, an undefined ratio (zero denominator) empty. */
void psim_table_write_row (PsimCsv *csv, PsimTable table, const PsimRowKey *key,
                           const PsimTally *tally);

/* ---------- manifest.json ---------- */

/* What a run read and how it was asked for: enough to run it again. */
typedef struct {
  char **argv;                     /* the command line, NULL-terminated */
  uint64_t seed;                   /* at most G_MAXINT64 */
  uint32_t replications;           /* N, the whole ensemble */
  uint32_t replication_from;       /* the slice [from, to) of 0..N-1 this run wrote; */
  uint32_t replication_to;         /* both 0: the whole ensemble */
  gboolean sample_parameters;      /* parameters drawn per replication (Latin hypercube) */
  int first_year;
  int last_year;
  gboolean weekly;
  const PsimRegion *region;        /* its file and every municipality file are hashed */
  const PsimParamSet *params;      /* its file is hashed; every value is listed */
  PsimScenario *const *scenarios;  /* in the order applied */
  int n_scenarios;
} PsimManifest;

/* "baseline", or the scenario names joined with "+"; free with g_free. */
char *psim_scenario_label (PsimScenario *const *scenarios, int n_scenarios);
/* The SHA-256 of a file as lower-case hex; free with g_free. */
char *psim_file_sha256 (const char *path, GError **error);
/* The manifest as JSON text. Files named in `outputs` (NULL-terminated, may
 * be NULL) are listed with their SHA-256, read from `output_dir`. */
char *psim_manifest_to_json (const PsimManifest *manifest, const char *output_dir,
                             const char *const *outputs, GError **error);

/* ---------- the output directory ---------- */

/* Files permitsim writes into an output directory, by their path in it
 * ("charts/violence.svg" for a file in a subdirectory): a run replaces those
 * of the previous output it writes over, and removes those it did not write.
 * A non-empty directory is used only if it holds manifest.json. */
extern const char *const psim_output_file_names[]; /* NULL-terminated */

/* Writes are staged in a fresh directory next to `dir` (".NAME.tmp-XXXXXX")
 * and moved into place by psim_output_dir_commit(). Refused (PSIM_ERROR_IO)
 * when `dir` is not a directory, or is a non-empty directory without
 * manifest.json. */
typedef struct _PsimOutputDir PsimOutputDir;

PsimOutputDir *psim_output_dir_begin (const char *dir, GError **error);
const char *psim_output_dir_staging (const PsimOutputDir *od);
const char *psim_output_dir_target (const PsimOutputDir *od);
/* A path in the staging directory; free with g_free. */
char *psim_output_dir_file (const PsimOutputDir *od, const char *name);
/* Moves the staged files into place and frees od. A missing `dir` becomes
 * the staging directory (one rename). Into an existing one each staged file,
 * those in staged subdirectories too, is renamed over its old version,
 * manifest.json last, and files of psim_output_file_names that this run did
 * not write are removed (and a subdirectory they leave empty); other files
 * are left alone. On failure the previous files are put back and the staging
 * directory is removed. After Ctrl-C or SIGTERM (psim_interrupt_check) it
 * moves nothing: it removes the staging directory and fails. */
gboolean psim_output_dir_commit (PsimOutputDir *od, GError **error);
/* Removes the staging directory and everything in it, and frees od. NULL is fine. */
void psim_output_dir_abort (PsimOutputDir *od);

/* ---------- a whole run's output ---------- */

typedef struct _PsimOutput PsimOutput;

/* Begins the directory and opens annual.csv, groups.csv (and weekly.csv)
 * with their headers. */
PsimOutput *psim_output_open (const char *dir, gboolean weekly, GError **error);
/* The open table, or NULL (weekly.csv when not asked for). */
PsimCsv *psim_output_table (PsimOutput *out, PsimTable table);
/* A path in the staging directory, for another file of the run (one of
 * psim_output_file_names, e.g. summary.csv); free with g_free. */
char *psim_output_file (PsimOutput *out, const char *name);
/* Appends one replication's rows to every open table: per year the
 * municipalities in region order, then ALL; per week the same; per year
 * every group of engine.h. */
gboolean psim_output_add_run (PsimOutput *out, const char *scenario, uint32_t replication,
                              const PsimRegion *region, const PsimRunResult *result,
                              GError **error);
/* Closes the tables, writes manifest.json (listing every file staged, in
 * name order, with its SHA-256) and commits the directory; frees out. On failure nothing is moved into
 * place and the staging directory is removed. */
/* Closes the tables written so far (annual.csv, groups.csv, weekly.csv), so
 * that they can be read back (summary.csv from annual.csv); no row can be
 * added after. */
gboolean psim_output_close_tables (PsimOutput *out, GError **error);
gboolean psim_output_finish (PsimOutput *out, const PsimManifest *manifest, GError **error);
/* Discards everything written; frees out. NULL is fine. */
void psim_output_abort (PsimOutput *out);

G_END_DECLS

#endif /* PERMITSIM_OUTPUT_H */
