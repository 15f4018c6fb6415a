/* methods.c - the table of every method the daemon serves.
 *
 * Each area (aurae, cells, executables, ...) exports a table ending with a
 * NULL name; this file lists the tables.  Adding an area is one line. */
#include <string.h>

#include "methods.h"
#include "rpc.h"

static const struct rpc_method *const tables[] = {
	methods_aurae,
	methods_cells,
	methods_events,
	methods_executables,
	methods_files,
	methods_logs,
	methods_storage,
};

#define NTABLES (sizeof tables / sizeof tables[0])

/* Look a method up by name. */
const struct rpc_method *
methods_find(const char *name)
{
	const struct rpc_method	*m;
	size_t			 i;

	for (i = 0; i < NTABLES; i++)
		for (m = tables[i]; m->name != NULL; m++)
			if (strcmp(m->name, name) == 0)
				return m;
	return NULL;
}

/* Walk every method; the cursor packs table and entry indexes. */
const struct rpc_method *
methods_next(size_t *cursor)
{
	size_t	 t = *cursor >> 16, e = *cursor & 0xffff;

	while (t < NTABLES) {
		if (tables[t][e].name != NULL) {
			*cursor = (t << 16) | (e + 1);
			return &tables[t][e];
		}
		t++;
		e = 0;
	}
	*cursor = t << 16;
	return NULL;
}
