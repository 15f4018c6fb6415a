/* cellinit.h - starting and talking to a cell's aurae-init.
 *
 * cellinit_prepare() copies the aurae-init binary into a sealed memfd once
 * at start-up; every cell's init is executed from it, so /proc/1/exe inside
 * a cell is an immutable anonymous file, never a host path.
 *
 * cellinit_start() clones the init into the cell's cgroup and new
 * namespaces (pid, mount with a private /proc, ipc, uts with the cell's
 * name as hostname, net with only loopback up, cgroup), minus those the
 * cell shares with the host. */
#ifndef AURAED_CELLINIT_H
#define AURAED_CELLINIT_H

#include <stddef.h>
#include <sys/types.h>

#include "init/init-proto.h"

struct cell;

/* Namespaces a cell can isolate; NS_ALL is the default. */
#define NS_PID		0x01
#define NS_MNT		0x02
#define NS_IPC		0x04
#define NS_UTS		0x08
#define NS_NET		0x10
#define NS_CGROUP	0x20
#define NS_ALL		0x3f

/* Parse a namespace name ("pid", "mount"/"mnt", ...); 0 if unknown. */
unsigned	 cellinit_ns_flag(const char *);
/* The names of the namespaces in flags, as a JSON-ready list. */
const char	*cellinit_ns_name(unsigned flag);
/* Load the init binary: path, or (NULL) next to auraed, then LIBEXECDIR.
 * Returns 0, or -1 with a logged reason. */
int		 cellinit_prepare(const char *path);
/* Start the init of c.  On success c->init_pid, c->init_pidfd and
 * c->init_fd (connected) are set. */
int		 cellinit_start(struct cell *, char *msg, size_t);
/* Reconnect to a running init after a daemon restart; -1 if it is gone. */
int		 cellinit_reconnect(struct cell *);
/* Send one message with descriptors; 0 or -1 (errno). */
int		 cellinit_send(struct cell *, const struct init_hdr *,
		    const void *data, size_t len, const int *fds, size_t nfds);
/* The control socket path of a cell. */
void		 cellinit_sock_path(const struct cell *, char *, size_t);
/* The log directory of a cell (STATE_DIR/logs/<cell>). */
void		 cellinit_log_dir(const char *cell, char *, size_t);

#endif
