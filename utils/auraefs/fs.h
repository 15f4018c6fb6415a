/* fs.h - auraefs's FUSE low-level filesystem over a confined root.
 *
 * The daemon hands auraefs an O_PATH descriptor of the exported root (a
 * cell's view of its files, or a volume); from then on the data path
 * makes no daemon round trip.  Every inode is an O_PATH descriptor (a
 * file's may be let go and opened again from its handle), reached from
 * its parent one component at a time with openat2
 * (RESOLVE_BENEATH, O_NOFOLLOW): "." and ".." are refused, a symlink is
 * never followed here, and symlink targets are rewritten on readlink so
 * that the kernel's own resolution stays inside the mount too
 * (linkclamp.h).  All I/O is done with auraefs's own credentials.
 *
 * When the daemon goes away, or the cell is removed, fs_kill() makes
 * every later operation fail with ENOTCONN at once: nothing ever waits
 * for the daemon. */
#ifndef AURAEFS_FS_H
#define AURAEFS_FS_H

#define FUSE_USE_VERSION 34
#include <fuse_lowlevel.h>

struct fs_config {
	int		 rootfd;	/* O_PATH directory; owned by the fs */
	int		 readonly;
	int		 writeback;	/* kernel writeback cache */
	int		 passthrough;	/* kernel passthrough (passthrough.h) */
	int		 no_watch;	/* never watch for changes (changes.h) */
	double		 timeout;	/* attribute and entry cache, seconds,
					   where changes are not watched */
	int		 debug;
};

/* The operations, with their userdata made by fs_new(). */
extern const struct fuse_lowlevel_ops fs_ops;

/* The filesystem state for fuse_session_new()'s userdata.  Takes the
 * root descriptor.  NULL on failure (errno). */
void	*fs_new(const struct fs_config *);
void	 fs_free(void *);
/* Start and stop what runs beside the session's loop: after
 * fuse_daemonize(), and before fuse_session_destroy(). */
void	 fs_start(void *, struct fuse_session *);
void	 fs_stop(void *);
/* From now on every operation fails with ENOTCONN (thread-safe). */
void	 fs_kill(void *, const char *why);

#endif
