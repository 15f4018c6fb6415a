/* cgroup-v2.c - the unified hierarchy backend: limits are written to the
 * file of the same name. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"

/* Write name=value as is (values are normalised v2 syntax). */
static int
v2_set_limit(const struct cg_hier *h, const char *dir, const char *name,
    const char *value, char *msg, size_t len)
{
	return cg_write(dir, name, value);
}

/* Read name back. */
static int
v2_get_limit(const struct cg_hier *h, const char *dir, const char *name,
    char *out, size_t len)
{
	return cg_read(dir, name, out, len);
}

/* cgroup.freeze. */
static int
v2_freeze(const struct cg_hier *h, const char *dir, int freeze)
{
	return cg_write(dir, "cgroup.freeze", freeze ? "1" : "0");
}

const struct cg_backend cg_backend_v2 = {
	.version = 2,
	.set_limit = v2_set_limit,
	.get_limit = v2_get_limit,
	.freeze = v2_freeze,
};
