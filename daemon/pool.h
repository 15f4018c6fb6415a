/* pool.h - cells made ahead of time, so that creating one is a rename.
 *
 * Creating a cell costs a few milliseconds of kernel work: cgroup
 * directories in every hierarchy, a clone into six new namespaces, moving
 * the init into the v1 cgroups, mounting its /proc and /sys, and its exec.
 * The pool keeps --pool N such cells ready, with the names a throwaway
 * cell gets ("run-" and 8 hex digits), unlisted and unsaved until taken.
 * cells.create without a name, isolating every namespace (what cellrun
 * asks for) takes one and only applies the limits.  (Renaming a cgroup
 * would let named cells use the pool too, but cgroup v2 refuses rename.)
 *
 * One worker thread makes the cells and nothing else: it owns each new
 * struct cell until it hands it over through a mutex-protected list and
 * wakes the loop with an eventfd.  The main thread never blocks on it. */
#ifndef AURAED_POOL_H
#define AURAED_POOL_H

#include <stddef.h>

struct cell;

/* Remove cells a previous daemon left in its pool, then start the worker
 * keeping size cells ready (0: no pool).  Returns 0 or -1. */
int		 pool_init(unsigned size);
/* Kill a cell that never joined the registry and remove its cgroup,
 * socket and logs, waiting (at most 2 s) for its processes to go. */
void		 pool_discard(struct cell *);
/* Stop the worker and remove every pooled cell. */
void		 pool_shutdown(void);
/* A ready cell, or NULL when none is (the caller then makes one). */
struct cell	*pool_take(void);
/* Is name taken by a pooled cell? */
int		 pool_has(const char *name);

#endif
