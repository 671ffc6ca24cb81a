/* permitsim: files compiled into the program (private).
 *
 * The build turns every schema in municipalities/schema/ into
 * build/generated/schemas.c (scripts/embed.cmake); each file is looked up by
 * its bare name. */
#ifndef PSIM_EMBEDDED_H
#define PSIM_EMBEDDED_H

#include <stddef.h>

/* The NUL-terminated text of an embedded file ("municipality.xsd"), its
 * length (without the NUL) in *length if not NULL; NULL when there is none. */
const char *psim_embedded_file (const char *name, size_t *length);

#endif /* PSIM_EMBEDDED_H */
