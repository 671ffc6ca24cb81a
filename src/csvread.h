/* permitsim: a small streaming reader for the CSV files permitsim writes
 * (RFC 4180: comma-separated, "double quotes" around fields that hold
 * commas, quotes or line breaks, "" for a quote inside them, CRLF or LF line
 * ends). It reads one record at a time, so a large annual.csv never sits in
 * memory as text. Private to the chart and report code. */
#ifndef PSIM_CSVREAD_H
#define PSIM_CSVREAD_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PsimCsvReader PsimCsvReader;

/* Opens a file. A missing or unreadable file is a PSIM_ERROR_INVALID_INPUT
 * error ("path: error: cannot open: ..."): for a results reader, a missing
 * results file is bad input. */
PsimCsvReader *psim_csv_reader_open (const char *path, GError **error);
/* Reads from memory (not copied: data must outlive the reader). name is used
 * in error messages. */
PsimCsvReader *psim_csv_reader_new_from_data (const char *data, gsize length, const char *name);
void psim_csv_reader_free (PsimCsvReader *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimCsvReader, psim_csv_reader_free)

/* Reads the next record. Returns TRUE when a record was read; FALSE at the
 * end of the input (error untouched) or on a syntax error (error set to
 * PSIM_ERROR_INVALID_INPUT, "name:line: error: ..."). Empty lines are
 * skipped. A UTF-8 byte-order mark at the start is skipped. */
gboolean psim_csv_reader_next (PsimCsvReader *reader, GError **error);

/* The fields of the last record read: valid until the next call. */
guint psim_csv_reader_n_fields (const PsimCsvReader *reader);
const char *psim_csv_reader_field (const PsimCsvReader *reader, guint index);
/* The line (from 1) on which the last record started. */
int psim_csv_reader_line (const PsimCsvReader *reader);
const char *psim_csv_reader_name (const PsimCsvReader *reader);

G_END_DECLS

#endif
