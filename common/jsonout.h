/* jsonout.h - compact JSON text of a cJSON tree, appended to a buf.
 *
 * The daemon writes every answer and notification with it.  It produces
 * what cJSON_PrintUnformatted would, with two differences that matter on
 * the hot path: whole numbers (the common case: ids, pids, sizes) are
 * printed without a printf/scanf round trip, and the text goes straight
 * into the caller's buffer with no intermediate allocation.  Other numbers
 * use %.17g, which reads back exactly; NaN and infinities become null. */
#ifndef AURAE_JSONOUT_H
#define AURAE_JSONOUT_H

#include <cjson/cJSON.h>

#include "buf.h"

/* Append the text of v; 0, or -1 when out of memory. */
int	json_append(struct buf *, const cJSON *);

#endif
