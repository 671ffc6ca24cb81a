/* permitsim: reading the XML input files.
 *
 * The only part of permitsim that includes libxml2. Every file is parsed with
 * the network off, no DTD, no entity expansion and no XInclude, validated
 * against the schema compiled into the program, then checked for what a
 * schema cannot express (dates, references, sums). On failure a loader
 * returns NULL, appends every problem it found to `diagnostics` (if given)
 * and sets `error` (PSIM_ERROR_INVALID_INPUT or PSIM_ERROR_IO) with all of
 * them as "file:line:col: error: message" lines.
 */
#ifndef PERMITSIM_LOADER_H
#define PERMITSIM_LOADER_H

#include <glib.h>

#include "permitsim/model.h"
#include "permitsim/params.h"

G_BEGIN_DECLS

typedef enum {
  PSIM_FORMAT_UNKNOWN,
  PSIM_FORMAT_MUNICIPALITY,
  PSIM_FORMAT_REGION,
  PSIM_FORMAT_SCENARIO,
  PSIM_FORMAT_PARAMETERS
} PsimFormat;

/* Loads a region and every municipality it names (paths relative to the region file). */
PsimRegion *psim_region_load (const char *path, GPtrArray *diagnostics, GError **error);

/* Loads one municipality file on its own. */
gboolean psim_municipality_load (const char *path, PsimMunicipality *out,
                                 GPtrArray *diagnostics, GError **error);

/* Loads a parameter file: every parameter of PSIM_PARAMETERS exactly once,
 * each value inside its own [min, max]. */
PsimParamSet *psim_param_set_load (const char *path, GPtrArray *diagnostics, GError **error);

/* Loads a scenario and checks it against `region` (NULL: schema and dates
 * only): named municipalities, areas and zones must exist there. */
PsimScenario *psim_scenario_load (const char *path, const PsimRegion *region,
                                  GPtrArray *diagnostics, GError **error);

/* The format of a file, from its root element and namespace (for `validate`). */
PsimFormat psim_format_detect (const char *path, GError **error);

/* The schema text compiled into the program, by file name ("municipality.xsd"). */
const char *psim_schema_text (const char *name, gsize *length);

G_END_DECLS

#endif /* PERMITSIM_LOADER_H */
