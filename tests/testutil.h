/* Shared helpers for the CUnit test programs: running the registry,
 * finding the source tree and a scratch directory, and the fixtures the
 * engine and lever tests build in C. */
#ifndef PSIM_TESTUTIL_H
#define PSIM_TESTUTIL_H

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <glib.h>

#include "permitsim/engine.h"

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

/* ---------- fixtures: parameters and regions ---------- */

/* The bundled parameters (municipalities/parameters.xml), loaded on first use
 * and kept until psim_test_run returns; aborts when they do not load. */
const PsimParams *psim_test_bundled_params (void);
/* A fresh copy of the bundled parameter set for the caller to free (a fatal
 * test failure when it does not load). */
PsimParamSet *psim_test_load_params (void);
/* A region file under the source tree (a fatal test failure when it does not load). */
PsimRegion *psim_test_load_region (const char *relative);

/* An empty region from 1 January of first_year to 31 December of last_year,
 * whose national rules set everything at the defaults but for enforcement 0.5
 * and participation by informing. */
PsimRegion *psim_test_region_new (const char *name, int first_year, int last_year);
/* Adds a municipality with the given venues and home-work regime (the only
 * rule it sets) and returns its index (pointers into the array move). */
int psim_test_region_add (PsimRegion *r, const char *name, int32_t population, int32_t demand,
                          int32_t clubs, int32_t agencies, PsimHomeRegime home);
/* Adds a window area (named by its id) to municipality mi. */
void psim_test_add_area (PsimRegion *r, int mi, const char *id, int32_t windows);
/* Adds a street zone (named by its id) to municipality mi. */
void psim_test_add_zone (PsimRegion *r, int mi, const char *id, int32_t capacity);
/* Appends a one-action event to municipality mi (events must be added in
 * date order); the action targets everything and sets no rules until the
 * caller fills them. */
PsimAction *psim_test_add_event (PsimRegion *r, int mi, int year, int month, int day,
                                 PsimActionKind kind);
/* A scenario of one change for every municipality from 1 January of `year`,
 * with one action like psim_test_add_event's. */
PsimScenario *psim_test_scenario_new (const char *name, int year, PsimActionKind kind);

/* ---------- fixtures: runs ---------- */

/* A run specification without scenarios for replication 0. */
PsimRunSpec psim_test_spec (const PsimRegion *r, const PsimParams *p, int first_year,
                            int last_year, uint64_t seed);
/* Runs one replication; a fatal test failure (with the message) when it fails. */
void psim_test_engine_run (const PsimRunSpec *spec, PsimRunResult *result);

#endif
