/* permitsim: the text of a JSON document as every manifest is written. */
#ifndef PSIM_JSON_TEXT_H
#define PSIM_JSON_TEXT_H

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* `root` pretty-printed, indented by 2, with a final newline (output_manifest.c):
 * the one form of manifest.json, whichever command writes or rewrites it. */
char *psim_json_text (JsonNode *root);

G_END_DECLS

#endif /* PSIM_JSON_TEXT_H */
