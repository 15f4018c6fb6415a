/* cgroup-v1.c - the legacy hierarchies backend.  Each v2 limit is written
 * to the v1 file with the same meaning; a limit with no such file is
 * refused (-2) rather than approximated. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroup.h"

/* v1 spells "no limit" as -1 and reads it back as a huge page-aligned
 * number. */
#define V1_UNLIMITED	9223372036854771712ULL

/* Translate a v2 limit to its v1 file(s). */
static int
v1_set_limit(const struct cg_hier *h, const char *dir, const char *name,
    const char *value, char *msg, size_t len)
{
	char			 q[32], v[64], cur[64];
	long long		 period;
	unsigned long long	 mem, swap;

	if (strcmp(name, "cpu.max") == 0) {
		if (sscanf(value, "%31s %lld", q, &period) != 2)
			return -1;
		snprintf(v, sizeof v, "%lld", period);
		if (cg_write(dir, "cpu.cfs_period_us", v) < 0)
			return -1;
		return cg_write(dir, "cpu.cfs_quota_us",
		    strcmp(q, "max") == 0 ? "-1" : q);
	}
	if (strcmp(name, "cpu.shares") == 0 ||
	    strcmp(name, "cpuset.cpus") == 0 ||
	    strcmp(name, "cpuset.mems") == 0 ||
	    strcmp(name, "pids.max") == 0)
		return cg_write(dir, name, value);
	if (strcmp(name, "memory.max") == 0)
		return cg_write(dir, "memory.limit_in_bytes",
		    strcmp(value, "max") == 0 ? "-1" : value);
	if (strcmp(name, "memory.swap.max") == 0) {
		/* v1 limits memory+swap together: the same meaning is
		 * memory.max + swap.max, so memory.max must be set first. */
		if (cg_read(dir, "memory.limit_in_bytes", cur, sizeof cur) < 0 ||
		    cg_read(dir, "memory.memsw.limit_in_bytes", v,
		    sizeof v) < 0) {
			snprintf(msg, len, "memory.swap.max: swap accounting "
			    "is off on this host (memory is cgroup v1 without "
			    "memsw)");
			return -2;
		}
		mem = strtoull(cur, NULL, 10);
		if (strcmp(value, "max") == 0)
			return cg_write(dir, "memory.memsw.limit_in_bytes",
			    "-1");
		if (mem >= V1_UNLIMITED) {
			snprintf(msg, len, "memory.swap.max needs memory.max "
			    "on this host (memory is cgroup v1)");
			return -2;
		}
		swap = strtoull(value, NULL, 10);
		snprintf(v, sizeof v, "%llu", mem + swap);
		return cg_write(dir, "memory.memsw.limit_in_bytes", v);
	}
	snprintf(msg, len, "%s has no cgroup v1 equivalent and the controller "
	    "is cgroup v1 on this host%s", name, strcmp(name, "cpu.weight") ==
	    0 ? "; use cpu.shares" : "");
	return -2;
}

/* Read a v1 value back in v2 form. */
static int
v1_get_limit(const struct cg_hier *h, const char *dir, const char *name,
    char *out, size_t len)
{
	char			 q[64], p[64], m[64];
	unsigned long long	 v;

	if (strcmp(name, "cpu.max") == 0) {
		if (cg_read(dir, "cpu.cfs_quota_us", q, sizeof q) < 0 ||
		    cg_read(dir, "cpu.cfs_period_us", p, sizeof p) < 0)
			return -1;
		snprintf(out, len, "%s %s", q[0] == '-' ? "max" : q, p);
		return 0;
	}
	if (strcmp(name, "memory.max") == 0 ||
	    strcmp(name, "memory.swap.max") == 0) {
		if (cg_read(dir, "memory.limit_in_bytes", m, sizeof m) < 0)
			return -1;
		if (strcmp(name, "memory.max") == 0) {
			v = strtoull(m, NULL, 10);
			if (v >= V1_UNLIMITED)
				snprintf(out, len, "max");
			else
				snprintf(out, len, "%llu", v);
			return 0;
		}
		if (cg_read(dir, "memory.memsw.limit_in_bytes", q,
		    sizeof q) < 0)
			return -1;
		v = strtoull(q, NULL, 10);
		if (v >= V1_UNLIMITED)
			snprintf(out, len, "max");
		else
			snprintf(out, len, "%llu", v - strtoull(m, NULL, 10));
		return 0;
	}
	if (strcmp(name, "cpu.shares") == 0 ||
	    strcmp(name, "cpuset.cpus") == 0 ||
	    strcmp(name, "cpuset.mems") == 0 ||
	    strcmp(name, "pids.max") == 0)
		return cg_read(dir, name, out, len);
	return -1;
}

/* freezer.state; waits (briefly) until the kernel reports FROZEN. */
static int
v1_freeze(const struct cg_hier *h, const char *dir, int freeze)
{
	struct timespec	 ts = { 0, 1000000 };
	char		 st[32];
	int		 i;

	if (cg_write(dir, "freezer.state", freeze ? "FROZEN" : "THAWED") < 0)
		return -1;
	for (i = 0; freeze && i < 1000; i++) {
		if (cg_read(dir, "freezer.state", st, sizeof st) == 0 &&
		    strcmp(st, "FROZEN") == 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	return 0;
}

const struct cg_backend cg_backend_v1 = {
	.version = 1,
	.set_limit = v1_set_limit,
	.get_limit = v1_get_limit,
	.freeze = v1_freeze,
};
