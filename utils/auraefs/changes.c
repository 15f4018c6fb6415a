/* changes.c - changes made to the exported files by others (changes.h).
 *
 * One fanotify group (FAN_REPORT_FID | FAN_REPORT_DFID_NAME) with a
 * filesystem mark per filesystem of the export: every change on those
 * filesystems is read, whoever made it and wherever in the filesystem,
 * and those of files we never looked up simply find no node (fs.c).  An
 * event on a file carries its handle (FID) and its directory's handle
 * and name (DFID_NAME); an event on a directory's entries carries the
 * directory's handle and the name.  Events report the process that made
 * them, so auraefs's own (already known to the kernel) are left out. */
#include "changes.h"
#include "fanrecords.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/statfs.h>
#include <unistd.h>

#define MAX_FS		64		/* filesystems watched */
#define EVENTS_BUF	65536		/* bytes read at once */

/* What is watched: a directory entry made, removed or renamed (for
 * directories too), an inode's attributes or data. */
#define ENTRY_MASK	(FAN_CREATE | FAN_DELETE | FAN_MOVED_FROM | \
			    FAN_MOVED_TO)
#define WATCH_MASK	(ENTRY_MASK | FAN_ATTRIB | FAN_MODIFY | FAN_ONDIR)

struct watched_fs {
	dev_t		 dev;
	fsid_t		 fsid;
	int		 ok;		/* marked: its changes are seen */
};

struct changes {
	int			 fan;
	int			 stop[2];	/* a byte in stop[1]: end */
	pthread_mutex_t		 mu;
	struct watched_fs	 fs[MAX_FS];
	size_t			 nfs;
	const struct changes_ops *ops;
	void			*arg;
	pid_t			 self;
	pthread_t		 tid;
	int			 running;
};

/* See changes.h. */
struct changes *
changes_new(void)
{
	struct changes	*c;

	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	c->fan = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC |
	    FAN_REPORT_FID | FAN_REPORT_DFID_NAME, O_RDONLY | O_CLOEXEC);
	if (c->fan < 0) {
		free(c);
		return NULL;
	}
	if (pipe2(c->stop, O_CLOEXEC) < 0) {
		close(c->fan);
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	return c;
}

/* See changes.h. */
int
changes_watch(struct changes *c, int fd, dev_t dev)
{
	struct watched_fs	*w;
	struct statfs		 sf;
	char			 path[64];
	size_t			 i;
	int			 ok;

	pthread_mutex_lock(&c->mu);
	for (i = 0; i < c->nfs; i++)
		if (c->fs[i].dev == dev) {
			ok = c->fs[i].ok;
			pthread_mutex_unlock(&c->mu);
			return ok;
		}
	if (c->nfs == MAX_FS) {
		pthread_mutex_unlock(&c->mu);
		return 0;
	}
	w = &c->fs[c->nfs++];
	w->dev = dev;
	/* fanotify_mark takes no O_PATH descriptor, but its /proc link. */
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	w->ok = fstatfs(fd, &sf) == 0 &&
	    (sf.f_fsid.__val[0] != 0 || sf.f_fsid.__val[1] != 0) &&
	    fanotify_mark(c->fan, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
	    WATCH_MASK, AT_FDCWD, path) == 0;
	if (w->ok)
		w->fsid = sf.f_fsid;
	ok = w->ok;
	pthread_mutex_unlock(&c->mu);
	return ok;
}

/* The st_dev of the watched filesystem with fsid into *dev; 0 if there
 * is none. */
static int
dev_of(struct changes *c, const fsid_t *fsid, dev_t *dev)
{
	size_t	 i;
	int	 found = 0;

	pthread_mutex_lock(&c->mu);
	for (i = 0; i < c->nfs && !found; i++)
		if (c->fs[i].ok &&
		    memcmp(&c->fs[i].fsid, fsid, sizeof *fsid) == 0) {
			*dev = c->fs[i].dev;
			found = 1;
		}
	pthread_mutex_unlock(&c->mu);
	return found;
}

/* One event being handed over. */
struct event {
	struct changes	*c;
	unsigned long long mask;
};

/* fanrecords_each() callback: hand one record of an event to the
 * callbacks. */
static void
one_record(void *arg, const struct fanrecord *r)
{
	struct event	*e = arg;
	struct changes	*c = e->c;
	dev_t		 dev;

	if (!dev_of(c, (const fsid_t *)r->fsid, &dev))
		return;		/* a file system we do not watch */
	if (r->name == NULL || strcmp(r->name, ".") == 0)
		c->ops->inode(c->arg, dev, r->handle);
	else if (e->mask & ENTRY_MASK) {
		c->ops->entry(c->arg, dev, r->handle, r->name);
		c->ops->inode(c->arg, dev, r->handle);
	}
	/* else a change to a directory's child: its own FID record says. */
}

/* The thread: read events until told to stop. */
static void *
reader(void *arg)
{
	struct changes	*c = arg;
	struct fanotify_event_metadata m;
	struct pollfd	 pfd[2];
	const char	*ev;
	char		*buf;
	ssize_t		 len;
	size_t		 off;

	if ((buf = malloc(EVENTS_BUF)) == NULL)
		return NULL;
	pfd[0].fd = c->fan;
	pfd[0].events = POLLIN;
	pfd[1].fd = c->stop[0];
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents != 0)
			break;
		if ((len = read(c->fan, buf, EVENTS_BUF)) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			break;
		}
		off = 0;
		while ((ev = fanevent_next(buf, (size_t)len, &off, &m)) !=
		    NULL) {
			if (m.vers != FANOTIFY_METADATA_VERSION)
				continue;
			if (m.mask & FAN_Q_OVERFLOW)
				c->ops->lost(c->arg);
			else if (m.pid != c->self) {
				struct event	 e = { c, m.mask };

				(void)fanrecords_each(ev, m.event_len,
				    one_record, &e);
			}
		}
	}
	free(buf);
	return NULL;
}

/* See changes.h. */
int
changes_start(struct changes *c, const struct changes_ops *ops, void *arg)
{
	int	 err;

	c->ops = ops;
	c->arg = arg;
	c->self = getpid();
	if ((err = pthread_create(&c->tid, NULL, reader, c)) != 0) {
		errno = err;
		return -1;
	}
	c->running = 1;
	return 0;
}

/* See changes.h. */
void
changes_free(struct changes *c)
{
	if (c == NULL)
		return;
	if (c->running) {
		(void)!write(c->stop[1], "", 1);
		pthread_join(c->tid, NULL);
	}
	close(c->stop[0]);
	close(c->stop[1]);
	close(c->fan);
	pthread_mutex_destroy(&c->mu);
	free(c);
}
