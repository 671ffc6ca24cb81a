/* permitsim: the behavioural parameters.
 *
 * One table, PSIM_PARAMETERS, lists every parameter the engine reads: its C
 * field, its name in municipalities/parameters.xml and its unit. The values,
 * ranges and sources live only in that file; the loader fills a PsimParams
 * from it and refuses a file that lacks a parameter, has an unknown one, or
 * gives a value outside its own [min, max]. No behavioural number is a C
 * literal anywhere else.
 */
#ifndef PERMITSIM_PARAMS_H
#define PERMITSIM_PARAMS_H

#include <glib.h>

G_BEGIN_DECLS

/* X (field, "name-in-file", "unit") */
#define PSIM_PARAMETERS(X) \
  /* capacity of licensed workplaces */ \
  X (workers_per_window, "capacity.workers-per-window", "workers per window") \
  X (workers_per_club, "capacity.workers-per-club", "workers per club") \
  X (workers_per_escort_agency, "capacity.workers-per-escort-agency", "workers per agency") \
  X (workers_per_independent_licence, "capacity.workers-per-independent-licence", "workers per licence")

typedef struct {
#define PSIM_PARAM_FIELD(field, name, unit) double field;
  PSIM_PARAMETERS (PSIM_PARAM_FIELD)
#undef PSIM_PARAM_FIELD
} PsimParams;

/* Static description of one parameter: name, unit, and where its value sits in PsimParams. */
typedef struct {
  const char *name;
  const char *unit;
  gsize offset;
} PsimParamInfo;

/* Range and source of one parameter as read from the file (same order as the table). */
typedef struct {
  double value;
  double min;
  double max;
  char *source;      /* a citation, or "assumption" */
  char *calibrated;  /* provenance of a fitted value, or NULL */
  char *description;
} PsimParamEntry;

typedef struct {
  PsimParams values;
  PsimParamEntry *entries; /* psim_param_count() of them, table order */
  char *path;
} PsimParamSet;

gsize psim_param_count (void);
const PsimParamInfo *psim_param_info (gsize index);
/* Index of a parameter by its file name, or -1. */
gssize psim_param_lookup (const char *name);
double psim_params_get (const PsimParams *params, gsize index);
void psim_params_set (PsimParams *params, gsize index, double value);

void psim_param_set_free (PsimParamSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimParamSet, psim_param_set_free)

G_END_DECLS

#endif /* PERMITSIM_PARAMS_H */
