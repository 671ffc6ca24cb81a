/* permitsim: loading from memory (private; no libxml2 types), for the
 * fuzzer and for tests that have the bytes of a file rather than the file. */
#ifndef PSIM_LOADER_DATA_H
#define PSIM_LOADER_DATA_H

#include <glib.h>

#include "permitsim/model.h"

G_BEGIN_DECLS

/* Detects the format of `data` (length bytes followed by a NUL) and runs its
 * loader, checking a scenario against `region` (may be NULL). `name` stands
 * for the file in messages and as the folder for a region's references.
 * Appends every problem to `diagnostics`, frees what it built and returns
 * TRUE when the input is valid. */
gboolean psim_loader_check_data (const char *name, const char *data, gsize length,
                                 const PsimRegion *region, GPtrArray *diagnostics);

G_END_DECLS

#endif /* PSIM_LOADER_DATA_H */
