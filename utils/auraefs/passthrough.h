/* passthrough.h - the kernel's FUSE passthrough (Linux 6.9+) under a
 * libfuse that predates it.
 *
 * With passthrough, reads, writes and mmap of an open file go from the
 * kernel straight to a file auraefs opened (confined as every other
 * open), with no request to auraefs and no copy.  libfuse learned it in
 * 3.16; Debian 12 has 3.14, whose replies have no room for it.  The wire
 * protocol does: the INIT reply's flags2 and max_stack_depth, and the
 * OPEN reply's backing_id (a field 3.14 sends as zero padding).  So
 * auraefs installs its own transport (fuse_session_custom_io), which
 * writes libfuse's replies unchanged except for those fields.
 *
 * Passthrough needs CAP_SYS_ADMIN (FUSE_DEV_IOC_BACKING_OPEN) and no
 * writeback cache; without either, or on an older kernel, every call
 * here is a no-op and files are served through auraefs as before.
 *
 * One FUSE session per process: the state is global. */
#ifndef AURAEFS_PASSTHROUGH_H
#define AURAEFS_PASSTHROUGH_H

#include "fs.h"

/* Install the transport on se (after fuse_session_mount); want = 0
 * leaves libfuse's own.  0, or -1 with errno. */
int	 passthrough_setup(struct fuse_session *se, int want);

/* Will files' I/O most likely pass through?  Known from the INIT
 * request on (op_init): the kernel offers it, this process may register
 * backing files (CAP_SYS_ADMIN), and the transport is installed.  Then
 * requests are small (no writes) and need not be spliced. */
int	 passthrough_expected(void);

/* Register fd (an open regular file) as a backing file: its id, or 0
 * when passthrough is not available (the caller serves the file itself).
 * After a refusal that will not change (no capability, the kernel did
 * not agree), every later call returns 0 at once. */
int	 passthrough_register(int fd);

/* Release a backing id from passthrough_register(). */
void	 passthrough_unregister(int id);

/* The next open or create reply this thread sends carries backing id
 * (0: none); call with 0 again after the reply. */
void	 passthrough_arm(int id);

#endif
