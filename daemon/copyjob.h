/* copyjob.h - file copies run in a forked worker process.
 *
 * Reading and writing a tar stream blocks, and a hostile archive is
 * parsed by libarchive; neither may happen on the event loop's thread or
 * in its address space.  A copy job forks a worker that keeps only the
 * cell's root, the data descriptor and a result pipe (every other
 * descriptor of the daemon is closed in it), runs the work, writes one
 * fixed-size result and exits.  The loop answers the call when the result
 * arrives.  Removing the cell kills its workers; the call is then answered
 * UNAVAILABLE.  A worker dies with the daemon (PR_SET_PDEATHSIG). */
#ifndef AURAED_COPYJOB_H
#define AURAED_COPYJOB_H

#include "tar.h"

struct cell;
struct rpc_call;

/* The work, run in the worker: rootfd is the cell's root, datafd the
 * stream or file of the call.  Returns 0, or -1 with *err set. */
typedef int (*copyjob_fn)(int rootfd, int datafd, const void *arg,
    struct tar_stats *, struct tar_error *);

/* Start fn(arg) for call on cell.  rootfd and datafd are taken (closed
 * in the daemon once the worker has them); arg is read only by the
 * worker, from its own copy of memory, so the caller may free it on
 * return.  The call is answered with {entries, bytes} or the error.
 * Returns 0, or -1 after answering the call. */
int	copyjob_start(struct rpc_call *, struct cell *, int rootfd,
	    int datafd, copyjob_fn, const void *arg);
/* The cell is being removed: kill its copies. */
void	copyjob_cell_removed(const struct cell *);
/* Open the root of the cell's view of the filesystem (O_PATH).  Returns
 * a descriptor, or -1 with errno (ESRCH: the cell has no init). */
int	copyjob_cell_root(const struct cell *);

#endif
