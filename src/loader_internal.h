/* permitsim: the loader's private interface (src/loader*.c and the fuzzer).
 *
 * loader_xml.c reads a file with limits, parses it safely and validates it
 * against the embedded schema; loader_values.c reads typed attributes, rule
 * sets and actions from a validated tree; the format files build the model
 * structs and check what a schema cannot express. */
#ifndef PSIM_LOADER_INTERNAL_H
#define PSIM_LOADER_INTERNAL_H

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "loader_data.h"
#include "permitsim/error.h"
#include "permitsim/loader.h"

/* Larger input files are refused before parsing. */
#define PSIM_LOADER_MAX_FILE_SIZE (16 * 1024 * 1024)
/* At most this many problems are listed per file; the rest are counted. */
#define PSIM_LOADER_MAX_PROBLEMS 200
/* Longer attribute values or texts are refused before the schema (whose
 * longest type, "text", allows as many characters). */
#define PSIM_LOADER_MAX_VALUE 20000
/* Start tags with more attributes are refused before parsing (libxml2 2.9
 * checks attributes for duplicates in quadratic time). */
#define PSIM_LOADER_MAX_ATTRIBUTES 64
/* "Did you mean ...?" is searched for at most this many problems per file. */
#define PSIM_LOADER_MAX_SUGGESTIONS 20
/* Quoted values in messages are cut to this many characters (those of
 * psim_diagnostic_quoted, error.h). */
#define PSIM_LOADER_QUOTE_MAX PSIM_SHOWN_MAX
/* A target not yet resolved against a region (scenario loaded without one). */
#define PSIM_TARGET_UNRESOLVED (-2)

/* Where the problems of one file go. */
typedef struct {
  const char *path;        /* as shown in messages */
  GPtrArray *diagnostics;  /* PsimDiagnostic* (shared by the files of one load) */
  guint first;             /* index of this file's first diagnostic */
  guint reported;
  guint dropped;
  PsimProblem dropped_problem;
  guint suggestions;       /* "did you mean" searches made */
  gboolean io_failed;      /* the file itself could not be read */
} PsimLoadCtx;

void psim_load_ctx_init (PsimLoadCtx *ctx, const char *path, GPtrArray *diagnostics);
void psim_load_report (PsimLoadCtx *ctx, int line, int column, PsimProblem problem,
                       const char *format, ...) G_GNUC_PRINTF (5, 6);
gboolean psim_load_failed (const PsimLoadCtx *ctx);
/* FALSE once the file has PSIM_LOADER_MAX_PROBLEMS problems: further ones are
 * only counted, so skip composing their messages. */
gboolean psim_load_wants_details (const PsimLoadCtx *ctx);
/* Adds the "N more problems" note, and sets `error` when the file failed:
 * every diagnostic from ctx->first on, one per line. Returns TRUE if it did not fail. */
gboolean psim_load_finish (PsimLoadCtx *ctx, GError **error);

/* The closest of `candidates` to `name` (a likely typo), or NULL; only for
 * the first PSIM_LOADER_MAX_SUGGESTIONS calls per file. */
const char *psim_load_closest (PsimLoadCtx *ctx, const char *name, const char *const *candidates,
                               gsize n);

/* ---------- reading and parsing (loader_xml.c) ---------- */

/* Reads a regular file of at most PSIM_LOADER_MAX_FILE_SIZE bytes. */
gboolean psim_loader_read_file (PsimLoadCtx *ctx, char **data, gsize *length);

/* Refuses text libxml2 would read differently from a plain scan (encodings
 * other than UTF-8, UTF-16 and 8-bit ASCII-compatible ones) and start tags
 * with more than PSIM_LOADER_MAX_ATTRIBUTES attributes (loader_scan.c). */
gboolean psim_loader_look (PsimLoadCtx *ctx, const char *data, gsize length);

/* Parses `data` (NONET, no DTD, no entities, no XInclude), checks the root
 * element and namespace (against *format, or detects it into *format when
 * it is PSIM_FORMAT_UNKNOWN) and the embedded schema. With `root_only`, stops
 * after the root element's start tag and skips the schema: enough to tell
 * the format, in time that does not grow with the file. Returns the
 * document only when every step passed. */
xmlDocPtr psim_loader_parse (PsimLoadCtx *ctx, const char *data, gsize length,
                             PsimFormat *format, gboolean root_only);

/* One libxml2 error in words a council officer understands (loader_messages.c):
 * element names without the file's own namespace `ns`, quoted values cut
 * short, the problem class from error.h. */
typedef struct {
  PsimProblem problem;
  char *text; /* g_free */
} PsimLoaderMessage;
void psim_loader_translate (const xmlError *err, const char *ns, PsimLoaderMessage *out);

const char *psim_format_namespace (PsimFormat format);
const char *psim_format_root_name (PsimFormat format);

/* ---------- reading values from a validated tree (loader_values.c) ---------- */

int psim_xml_line (xmlNodePtr node);
/* The next element sibling from `node` on (node itself if it is one), or NULL. */
xmlNodePtr psim_xml_element (xmlNodePtr node);
gboolean psim_xml_is (xmlNodePtr node, const char *name);
/* An attribute's value with surrounding white space removed (g_free), or NULL. */
char *psim_xml_attr (xmlNodePtr node, const char *name);
/* The element's text, trimmed, or NULL when blank (g_free). */
char *psim_xml_text (xmlNodePtr node);

/* Each returns FALSE (after reporting) when the attribute is present but
 * unusable; an absent attribute leaves *out alone and returns TRUE. */
gboolean psim_read_int32 (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, int32_t *out);
gboolean psim_read_int64 (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, int64_t *out);
gboolean psim_read_double (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, double *out);
gboolean psim_read_bool (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, bool *out);
gboolean psim_read_date (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, PsimDate *out);

/* Reads every lever element among the children of `parent` into `rules`
 * (which is reset to a partial, empty set). A lever given twice is an error. */
void psim_read_rules (PsimLoadCtx *ctx, xmlNodePtr parent, PsimRules *rules);

/* Reads the actions among the children of `parent` (an event or a change):
 * all levers become one PSIM_ACTION_RULES action at the first lever's place.
 * refs[i] is the area or zone id as written (or NULL); targets are left
 * PSIM_TARGET_UNRESOLVED, or PSIM_ALL for "all". */
void psim_read_actions (PsimLoadCtx *ctx, xmlNodePtr parent, PsimAction **actions,
                        char ***refs, int *n_actions);
/* "close-windows", ... as written in the files. */
const char *psim_action_element (PsimActionKind kind);
gboolean psim_action_targets_area (PsimActionKind kind);
gboolean psim_action_targets_zone (PsimActionKind kind);

/* ---------- checks across files ---------- */

/* The index in `m` of the area or zone `ref` that an action of `kind` names,
 * PSIM_ALL for NULL or "all", or PSIM_TARGET_UNRESOLVED after reporting it
 * unknown (with the closest id as a suggestion). */
int psim_loader_resolve_target (PsimLoadCtx *ctx, const PsimMunicipality *m, PsimActionKind kind,
                                const char *ref, int line);

/* Walks the window areas of `m` through its timeline (and, when `scenario`
 * is not NULL, that scenario's changes for `m`) in date order and reports
 * every closure of more windows than are open at that moment: problems in
 * the municipality's own timeline to `mctx` (may be NULL to skip them),
 * problems caused by the scenario to `sctx`. */
void psim_loader_check_windows (PsimLoadCtx *mctx, const PsimMunicipality *m,
                                PsimLoadCtx *sctx, const PsimScenario *scenario);

/* ---------- loading from memory (the public loaders and the fuzzer) ---------- */

gboolean psim_municipality_load_data (PsimLoadCtx *ctx, const char *data, gsize length,
                                      PsimMunicipality *out);
PsimRegion *psim_region_load_data (PsimLoadCtx *ctx, const char *data, gsize length);
PsimParamSet *psim_param_set_load_data (PsimLoadCtx *ctx, const char *data, gsize length);
PsimScenario *psim_scenario_load_data (PsimLoadCtx *ctx, const char *data, gsize length,
                                       const PsimRegion *region);
/* (psim_loader_check_data, which needs no libxml2 type, is in loader_data.h) */

#endif /* PSIM_LOADER_INTERNAL_H */
