/* cgroup.h - control groups on pure v2, pure v1 and hybrid hosts.
 *
 * A cell's cgroup is one relative path (e.g. "aurae/web/db") that exists in
 * several hierarchies at once: in the unified (v2) tree, which tracks the
 * processes (cgroup.procs, cgroup.kill, cgroup.events), and in each v1
 * hierarchy that holds a controller the unified tree lacks.  Each resource
 * controller is routed once, at start-up, to v2 if it is enabled there and
 * to v1 otherwise.  The two backends sit behind struct cg_backend (after
 * crun's cgroup managers).
 *
 * Limits are named by their v2 file and keep their kernel meaning.  A limit
 * with no faithful v1 equivalent (cpu.weight, memory.high...) is refused on
 * a v1-routed controller rather than rescaled; v1-only knobs (cpu.shares)
 * are accepted only there. */
#ifndef AURAED_CGROUP_H
#define AURAED_CGROUP_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

enum cg_ctrl {
	CG_CPU,
	CG_CPUSET,
	CG_MEMORY,
	CG_PIDS,
	CG_FREEZER,
	CG_CPUACCT,	/* v1 only: CPU usage (v2 has cpu.stat in core) */
	CG__NCTRL
};

struct cg_backend;

/* One mounted hierarchy. */
struct cg_hier {
	const struct cg_backend	*be;
	char			 root[256];	/* mount point */
	unsigned		 ctrls;		/* 1 << enum cg_ctrl */
};

struct cg_backend {
	int	 version;
	/* Write one limit (a v2 name and value, already validated) to the
	 * cgroup dir; -1 with errno, or -2 with msg when the limit has no
	 * equivalent on this backend. */
	int	(*set_limit)(const struct cg_hier *, const char *dir,
		    const char *name, const char *value, char *msg, size_t);
	/* Read a limit back as the kernel holds it, in v2 form. */
	int	(*get_limit)(const struct cg_hier *, const char *dir,
		    const char *name, char *out, size_t);
	/* Freeze (1) or thaw (0). */
	int	(*freeze)(const struct cg_hier *, const char *dir, int);
};

extern const struct cg_backend cg_backend_v1, cg_backend_v2;

/* Discover the hierarchies from /proc/self/mountinfo (or, for tests,
 * treat fake_root as a pure v2 mount) and create the parent cgroup of all
 * cells (e.g. "aurae") in each.  With favor, the tracking hierarchy is
 * remounted with favordynmods (fast task migration).  Returns 0, -1 if no
 * usable hierarchy exists. */
int		 cgroup_init(const char *fake_root, const char *parent,
		    int favor);
/* Remove the parent cgroup where it is empty (daemon shutdown). */
void		 cgroup_cleanup_parent(const char *parent);
/* A one-line description of the layout ("hybrid: v2 tracking; memory,
 * cpu, ... on v1"). */
const char	*cgroup_describe(void);
/* Create rel in every hierarchy (parents must exist).  On failure nothing
 * is left behind. */
int		 cgroup_create(const char *rel, char *msg, size_t);
/* Remove rel from every hierarchy; the cgroup must have no processes. */
int		 cgroup_destroy(const char *rel);
/* Does rel exist (in the tracking hierarchy)? */
int		 cgroup_exists(const char *rel);
/* Validate and apply name=value.  Returns 0; -1 with msg on a bad value
 * (INVALID_ARGUMENT); -2 with msg when unsupported here (UNIMPLEMENTED);
 * -3 with msg on a kernel refusal. */
int		 cgroup_set_limit(const char *rel, const char *name,
		    const char *value, char *msg, size_t);
/* Read a limit as the kernel holds it; -1 if unknown or unreadable. */
int		 cgroup_get_limit(const char *rel, const char *name, char *out,
		    size_t);
/* The names of every limit, NULL-terminated. */
const char *const *cgroup_limit_names(void);
/* Move pid into rel in every hierarchy. */
int		 cgroup_add_pid(const char *rel, pid_t);
/* Is any process left in rel (or below)? */
int		 cgroup_populated(const char *rel);
/* SIGKILL everything in rel and below (cgroup.kill where available, else
 * freeze, signal every pid, thaw, repeat). */
int		 cgroup_kill(const char *rel);
int		 cgroup_freeze(const char *rel, int freeze);
/* Append the pids of rel (tracking hierarchy) to b as text lines. */
int		 cgroup_procs(const char *rel, struct buf *b);
/* Usage numbers: memory.current, memory.peak, pids.current and
 * cpu.usage_usec. */
int		 cgroup_stat(const char *rel, const char *what,
		    unsigned long long *out);
/* The directory of rel in the hierarchy holding controller c (tests). */
int		 cgroup_path(const char *rel, enum cg_ctrl, char *out, size_t);

/* A descriptor that becomes readable when rel has an OOM event (v1: an
 * eventfd registered on memory.oom_control; v2: inotify on memory.events).
 * The caller owns it; after each wake-up it drains it (read) and asks
 * cgroup_oom_kills().  -1 when the memory controller is missing. */
int		 cgroup_oom_watch(const char *rel);
/* The number of processes the OOM killer has killed in rel. */
int		 cgroup_oom_kills(const char *rel, unsigned long long *);
/* Open rel's directory in the tracking hierarchy, whatever its version
 * (to list children). */
int		 cgroup_tracking_dir_fd(const char *rel, int *fd);
/* Open rel's directory in the v2 tracking hierarchy (for
 * CLONE_INTO_CGROUP); -1 when tracking is not v2. */
int		 cgroup_tracking_fd(const char *rel, int *fd);

/* Helpers shared by the backends. */
int		 cg_write(const char *dir, const char *file, const char *v);
int		 cg_read(const char *dir, const char *file, char *out, size_t);

#endif
