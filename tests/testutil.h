/* Shared helpers for the CUnit test programs: running the registry, and
 * finding the source tree and a scratch directory. */
#ifndef PSIM_TESTUTIL_H
#define PSIM_TESTUTIL_H

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <glib.h>

typedef struct {
  const char *name;
  CU_TestFunc func;
} PsimTestCase;

/* Adds a suite of NULL-terminated cases to the registry (initialising it first if needed). */
void psim_test_add_suite (const char *suite_name, const PsimTestCase *cases);
/* Runs every registered suite in basic mode; returns the exit status (0 when all passed). */
int psim_test_run (void);

/* The source tree (PSIM_SOURCE_DIR, or the working directory). */
const char *psim_test_source_dir (void);
/* A path under the source tree; free with g_free. */
char *psim_test_path (const char *relative);
/* A fresh scratch directory, removed at exit. */
char *psim_test_tmpdir (void);
/* The permitsim binary (PSIM_BINARY), for tests that drive the program. */
const char *psim_test_binary (void);

#endif
