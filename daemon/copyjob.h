/* copyjob.h - file copies run by the copy helper, aurae-copy.
 *
 * Reading and writing a tar stream blocks, and a hostile archive is
 * parsed by libarchive; neither may happen on the event loop's thread or
 * in the daemon's address space, and the daemon does not even map
 * libarchive (it costs an idle daemon about 3 MiB of shared libraries).
 * Each copy job runs in a process of its own, aurae-copy (daemon/copy/),
 * executed from the file opened at start-up: it gets the cell's root, the
 * data descriptor and the request (copyreq.h) on a socket that is the
 * only other descriptor it holds, does the work, writes one fixed-size
 * result and exits.  The loop answers the call when the result arrives.
 * Removing the cell kills its helpers; the call is then answered
 * UNAVAILABLE.  A helper dies with the daemon (PR_SET_PDEATHSIG). */
#ifndef AURAED_COPYJOB_H
#define AURAED_COPYJOB_H

#include "copyreq.h"

struct cell;
struct rpc_call;

/* Open the copy helper: aurae-copy beside auraed if there is one, else
 * LIBEXECDIR/aurae/aurae-copy.  Every job runs that same file, even once
 * the path names another (an upgrade renames a new one over it).
 * Returns 0, or -1 with a logged reason. */
int	copyjob_init(void);
/* Start the copy req for call on cell.  rootfd and datafd are taken
 * (closed in the daemon once the helper has them); req is encoded before
 * this returns, so the caller may free it then.  The call is answered
 * with {entries, bytes} or the error.  Returns 0, or -1 after answering
 * the call. */
int	copyjob_start(struct rpc_call *, struct cell *, int rootfd,
	    int datafd, const struct copy_req *);
/* The cell is being removed: kill its copies. */
void	copyjob_cell_removed(const struct cell *);
/* Open the root of the cell's view of the filesystem (O_PATH).  Returns
 * a descriptor, or -1 with errno (ESRCH: the cell has no init). */
int	copyjob_cell_root(const struct cell *);

#endif
