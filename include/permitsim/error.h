/* permitsim: errors a caller can act on.
 *
 * Recoverable errors travel as GError in the PSIM_ERROR domain; only main()
 * turns them into exit codes (see the README). Problems found in an input
 * file are also collected one by one as PsimDiagnostic records, so that every
 * problem in a file is reported, not only the first.
 */
#ifndef PERMITSIM_ERROR_H
#define PERMITSIM_ERROR_H

#include <glib.h>

G_BEGIN_DECLS

#define PSIM_ERROR (psim_error_quark ())
GQuark psim_error_quark (void);

typedef enum {
  PSIM_ERROR_USAGE,         /* exit 1: the command line is wrong */
  PSIM_ERROR_INVALID_INPUT, /* exit 2: an input file is invalid */
  PSIM_ERROR_IO,            /* exit 3: reading or writing failed */
  PSIM_ERROR_RUNTIME        /* exit 3: anything else that went wrong while running */
} PsimErrorCode;

/* What kind of problem one diagnostic reports (tests assert on these). */
typedef enum {
  PSIM_PROBLEM_IO,          /* missing, unreadable, a directory, too large */
  PSIM_PROBLEM_SYNTAX,      /* not well-formed XML, bad encoding, truncated, empty */
  PSIM_PROBLEM_FORBIDDEN,   /* DOCTYPE, entities, XInclude or anything else refused for safety */
  PSIM_PROBLEM_SCHEMA,      /* does not follow the XSD: wrong root, namespace, element, value */
  PSIM_PROBLEM_RANGE,       /* a value outside what is allowed (negative, beyond its range) */
  PSIM_PROBLEM_REFERENCE,   /* an unknown or duplicate area, zone, municipality or parameter */
  PSIM_PROBLEM_DATE,        /* dates out of order or outside the period */
  PSIM_PROBLEM_CONSISTENCY  /* mixes that do not sum to one, closing more windows than exist, ... */
} PsimProblem;

typedef struct {
  char *file;
  int line;    /* 0 when unknown */
  int column;  /* 0 when unknown: never invented */
  PsimProblem problem;
  char *message;
} PsimDiagnostic;

void psim_diagnostic_free (PsimDiagnostic *diagnostic);
/* A GPtrArray of PsimDiagnostic*, owning them. */
GPtrArray *psim_diagnostics_new (void);
/* Adds a problem. The message is kept readable whatever the input put in
 * it: made valid UTF-8, control characters (a line break inside a quoted
 * CSV field, say) written as \xNN, and cut past PSIM_DIAGNOSTIC_MAX bytes. */
void psim_diagnostics_add (GPtrArray *diagnostics, const char *file, int line, int column,
                           PsimProblem problem, const char *format, ...) G_GNUC_PRINTF (6, 7);
#define PSIM_DIAGNOSTIC_MAX 1000
/* A value from an input as a message shows it: valid UTF-8, control
 * characters as \xNN, cut to PSIM_SHOWN_MAX characters with its length
 * said ("... (70000 characters)"). No quotes added. Free with g_free. */
#define PSIM_SHOWN_MAX 60
char *psim_diagnostic_shown (const char *value);
/* The same in double quotes, quotes and backslashes escaped:
 * "abc...\" (70000 characters)" when cut. The loader's form. */
char *psim_diagnostic_quoted (const char *value);
/* A message as it may go to a terminal, whatever an input put in it: valid
 * UTF-8, and every control character but the line breaks between problems
 * and tabs written as \xNN (so an escape sequence in a file cannot reach
 * the terminal). Free with g_free. */
char *psim_error_printable (const char *message);
/* "file:line:col: error: message", one per line, as a compiler prints them. */
char *psim_diagnostic_to_string (const PsimDiagnostic *diagnostic);
char *psim_diagnostics_to_string (GPtrArray *diagnostics);

/* Maps an error to the documented exit code (0 for NULL). */
int psim_error_exit_code (const GError *error);

/* Ctrl-C and SIGTERM (interrupt.c). psim_interrupt_install(), called by
 * main() before a command runs, makes the first SIGINT or SIGTERM only
 * record itself (a signal already ignored stays ignored); the second ends
 * the program at once. Long loops call psim_interrupt_check() and, when it
 * returns TRUE, fail with the error it set (PSIM_ERROR_RUNTIME, "interrupted:
 * nothing was written; DIR is as it was") through their ordinary error path,
 * which removes the staging directory. Worker threads may call
 * psim_interrupted() to skip work not yet started. */
void psim_interrupt_install (void);
/* The signal received (SIGINT, SIGTERM), or 0. */
int psim_interrupt_signal (void);
gboolean psim_interrupted (void);
/* TRUE, with *error set, once a signal was received; FALSE otherwise. Main thread. */
gboolean psim_interrupt_check (GError **error);
/* The output directory the message names: psim_output_dir_begin() and its
 * end (commit or abort) mark the one being staged (the outermost when they nest). */
void psim_interrupt_output_begin (const char *dir);
void psim_interrupt_output_end (const char *dir);

G_END_DECLS

#endif /* PERMITSIM_ERROR_H */
