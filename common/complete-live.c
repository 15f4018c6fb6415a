/* complete-live.c - completion candidates from the daemon (live cell and
 * executable names).  Client side only: linked into the tools, never into
 * the daemon. */
#include <stdio.h>
#include <string.h>

#include <aurae/client.h>

#include "complete.h"

/* Print the names of listed things (cells.list's "cells" by "name",
 * executables.list's "executables" by "id") that start with prefix.
 * Completion must never hang or complain: failures print nothing. */
void
complete_live_names(FILE *fp, aurae_client_t *cl, const char *method,
    const char *member, const char *key, const char *prefix)
{
	cJSON		*res;
	const cJSON	*m, *n;
	size_t		 plen = strlen(prefix);

	if (aurae_call(cl, method, NULL, &res, NULL) < 0)
		return;
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(res, member)) {
		n = cJSON_GetObjectItemCaseSensitive(m, key);
		if (cJSON_IsString(n) && strncmp(n->valuestring, prefix,
		    plen) == 0)
			fprintf(fp, "%s\n", n->valuestring);
	}
	cJSON_Delete(res);
}
