/* changes.h - changes made to the exported files by anybody but us.
 *
 * What auraefs does itself keeps the kernel's caches of the mount right;
 * a change made by anybody else (the cell, the host) is not seen by the
 * kernel's FUSE side at all.  changes watches every filesystem of the
 * export with fanotify (a filesystem mark, reporting file handles and
 * names), and hands each change made by another process to the
 * callbacks, which tell the kernel to forget what it cached.  So entries,
 * attributes and directory listings can be kept until they change
 * instead of for a second.  Needs CAP_SYS_ADMIN, and filesystems that
 * give file handles; what cannot be watched keeps short timeouts. */
#ifndef AURAEFS_CHANGES_H
#define AURAEFS_CHANGES_H

#include <fcntl.h>
#include <sys/types.h>

struct changes;

struct changes_ops {
	/* The object with handle h on filesystem dev changed: its
	 * attributes, its data, or (a directory) its entries. */
	void	(*inode)(void *arg, dev_t dev, const struct file_handle *h);
	/* The entry name of directory dir on dev was made, removed or
	 * renamed. */
	void	(*entry)(void *arg, dev_t dev, const struct file_handle *dir,
		    const char *name);
	/* Changes were lost (the kernel's queue overflowed): forget all. */
	void	(*lost)(void *arg);
};

/* A watcher with no filesystem yet; NULL with errno where fanotify
 * cannot report file handles here (no CAP_SYS_ADMIN, an old kernel). */
struct changes	*changes_new(void);
/* Watch the filesystem of fd (any descriptor, O_PATH too) whose st_dev
 * is dev, once per filesystem.  1 if its changes are seen, 0 if not.
 * Thread-safe. */
int		 changes_watch(struct changes *, int fd, dev_t dev);
/* Start handing changes to ops (in a thread of its own) from now on,
 * leaving out those made by this process.  0, or -1 with errno. */
int		 changes_start(struct changes *, const struct changes_ops *,
		    void *arg);
/* Stop (waits for the thread: no callback runs after) and free. */
void		 changes_free(struct changes *);

#endif
