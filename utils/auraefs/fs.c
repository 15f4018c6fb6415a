/* fs.c - the FUSE low-level operations of auraefs (see fs.h).
 *
 * Inodes: a node per (st_dev, st_ino) looked up, holding an O_PATH
 * descriptor and the kernel's lookup count; the FUSE inode number is the
 * node's address (the root is FUSE_ROOT_ID).  Nodes live in hash tables
 * (by inode, and by file handle if watched) under one mutex, and are
 * freed when the kernel forgets them.  Open files are descriptors in
 * fi->fh (with FH_BACKED when the kernel passes their I/O through,
 * passthrough.h); open directories are dir_handles. */
#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/fuse.h>

#include "changes.h"
#include "hashtab.h"
#include "i18n.h"
#include "linkclamp.h"
#include "passthrough.h"
#include "pathsafe.h"

#define DIRBUF		8192		/* bytes of a directory read at once */
#define MAX_MOUNTS	64		/* mounts with a handle descriptor */
#define MAX_DEPTH	4096
#define FD_WANT		1048576UL	/* descriptors (one per inode) */
#define MAX_WRITE	(1024 * 1024)	/* bytes in one FUSE write */
#define FUSE_HEADER	4096		/* libfuse's room for a header */
#define FH_BACKED	(1ULL << 32)	/* fi->fh: the file is passed through */
/* Entries and attributes of what is watched (changes.h) are kept until
 * they change; this only bounds what a lost change could leave. */
#define WATCHED_TIMEOUT	86400.0
#define FUSE_NOTIFY_INC_EPOCH_CODE 8	/* Linux 6.16 (not in 3.14's headers) */

struct node {
	struct node	*next;		/* chain in fs->byino */
	struct node	*hnext;		/* chain in fs->byhandle (if watched) */
	int		 fd;		/* O_PATH; -1 when let go (evict()) */
	int		 isdir;
	dev_t		 dev;
	ino_t		 ino;
	uint64_t	 nlookup;
	unsigned	 users;		/* operations using fd (node_use) */
	/* how to open it again once fd is let go (files only), and what
	 * changes name it by (changes.h); NULL: not made */
	struct file_handle *handle;
	int		 mnt_id;
	int		 watched;	/* its changes are seen (in byhandle) */
	/* the directory it was last looked up in (for readlink) */
	dev_t		 pdev;
	ino_t		 pino;
	/* what the last open saw, for keeping the page cache */
	struct timespec	 seen_mtime;
	off_t		 seen_size;
	/* the backing file of its passed-through opens (the kernel wants
	 * one per inode), and how many opens use it */
	int		 backing_id;
	unsigned	 backing_users;
	/* a watched directory whose last read ended at its end: that end's
	 * offset (0: not known) and fs->changes_told then (dir_at_end()) */
	off_t		 dir_end;
	unsigned	 dir_told;
};

/* A directory descriptor per mount seen, for open_by_handle_at: a handle
 * opened through the mount it was made on keeps that mount's flags. */
struct mount_fd {
	int		 mnt_id;
	int		 fd;
};

struct fs {
	pthread_mutex_t	 mu;
	struct node	 root;
	struct hashtab	 byino;		/* nodes by (dev, ino), but the root */
	struct hashtab	 byhandle;	/* watched nodes by handle, but the root */
	struct changes	*changes;	/* NULL: nothing is watched */
	struct fuse_session *se;	/* for notifications (fs_start) */
	struct fs_config cfg;
	atomic_int	 dead;
	/* node descriptors held, and when to let files' go (evict()) */
	size_t		 held, high, low, evict_at, cursor;
	int		 handles;	/* we may open_by_handle_at */
	int		 no_opendir;	/* the kernel caches directories */
	struct mount_fd	 mounts[MAX_MOUNTS];
	size_t		 nmounts;
	/* changes told to the kernel (changes.h callbacks), for the end of
	 * a directory known from its last read (node.dir_end) */
	atomic_uint	 changes_told;
};

/* A directory being read: its descriptor and the records of its last
 * getdents64, from pos on not yet taken. */
struct dir_handle {
	int		 fd;
	size_t		 len, pos;	/* bytes in buf; the next record */
	off_t		 offset;	/* where the next record is */
	char		 buf[DIRBUF];
};

/* A record of getdents64 (struct linux_dirent64). */
struct dir_record {
	uint64_t	 d_ino;
	int64_t		 d_off;		/* where the record after it is */
	unsigned short	 d_reclen;
	unsigned char	 d_type;
	char		 d_name[];
};

/* The filesystem of a request. */
static struct fs *
fs_of(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

/* The node of a FUSE inode number. */
static struct node *
node_of(fuse_req_t req, fuse_ino_t ino)
{
	if (ino == FUSE_ROOT_ID)
		return &fs_of(req)->root;
	return (struct node *)(uintptr_t)ino;
}

/* The O_PATH descriptor of a directory (never let go: see evict()). */
static int
dir_fd_of(fuse_req_t req, fuse_ino_t ino)
{
	return node_of(req, ino)->fd;
}

/* The descriptor of an open file. */
static int
file_fd(const struct fuse_file_info *fi)
{
	return (int)(fi->fh & ~FH_BACKED);
}

/* Refuse the request when the daemon is gone (ENOTCONN). */
static int
gone(fuse_req_t req)
{
	if (atomic_load(&fs_of(req)->dead)) {
		fuse_reply_err(req, ENOTCONN);
		return 1;
	}
	return 0;
}

/* Refuse a change to a read-only export (EROFS), or when gone. */
static int
no_write(fuse_req_t req)
{
	if (gone(req))
		return 1;
	if (fs_of(req)->cfg.readonly) {
		fuse_reply_err(req, EROFS);
		return 1;
	}
	return 0;
}

/* A name from the kernel must be one component. */
static int
bad_name(const char *name)
{
	return name[0] == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* Refuse a change that names name (EROFS, ENOTCONN, or EINVAL for a name
 * that is not one component). */
static int
no_write_name(fuse_req_t req, const char *name)
{
	if (no_write(req))
		return 1;
	if (bad_name(name)) {
		fuse_reply_err(req, EINVAL);
		return 1;
	}
	return 0;
}

/* "/proc/self/fd/N" of a descriptor. */
static const char *
procname(char *buf, size_t len, int fd)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
	return buf;
}

/* The hash of (dev, ino), for fs->byino. */
static uint64_t
ino_key(dev_t dev, ino_t ino)
{
	return (uint64_t)ino ^ ((uint64_t)dev << 40) ^ ((uint64_t)dev >> 24);
}

/* hashtab.h's hash of a node in fs->byino. */
static uint64_t
node_ino_key(const void *n)
{
	return ino_key(((const struct node *)n)->dev,
	    ((const struct node *)n)->ino);
}

/* The node of (dev, ino) in the hash table, or NULL; the lock is held. */
static struct node *
node_find(struct fs *fs, dev_t dev, ino_t ino)
{
	struct node	*n;

	for (n = hashtab_first(&fs->byino, ino_key(dev, ino)); n != NULL;
	    n = n->next)
		if (n->dev == dev && n->ino == ino)
			break;
	return n;
}

/* The hash of a file handle on dev, for fs->byhandle (FNV-1a). */
static uint64_t
handle_key(dev_t dev, const struct file_handle *h)
{
	uint64_t	 x = 1469598103934665603ULL ^ dev ^
			    ((uint64_t)(unsigned)h->handle_type << 32);
	unsigned	 i;

	for (i = 0; i < h->handle_bytes; i++)
		x = (x ^ h->f_handle[i]) * 1099511628211ULL;
	return x;
}

/* hashtab.h's hash of a node in fs->byhandle. */
static uint64_t
node_handle_key(const void *n)
{
	return handle_key(((const struct node *)n)->dev,
	    ((const struct node *)n)->handle);
}

/* The FUSE inode number of the watched node with handle h on dev into
 * *ino; 0 if there is none. */
static int
ino_of_handle(struct fs *fs, dev_t dev, const struct file_handle *h,
    fuse_ino_t *ino)
{
	struct node	*n;

	if (fs->root.watched && fs->root.dev == dev &&
	    fs->root.handle->handle_type == h->handle_type &&
	    fs->root.handle->handle_bytes == h->handle_bytes &&
	    memcmp(fs->root.handle->f_handle, h->f_handle,
	    h->handle_bytes) == 0) {
		*ino = FUSE_ROOT_ID;
		return 1;
	}
	pthread_mutex_lock(&fs->mu);
	for (n = hashtab_first(&fs->byhandle, handle_key(dev, h)); n != NULL;
	    n = n->hnext)
		if (n->dev == dev && n->handle->handle_type == h->handle_type &&
		    n->handle->handle_bytes == h->handle_bytes &&
		    memcmp(n->handle->f_handle, h->f_handle,
		    h->handle_bytes) == 0)
			break;
	if (n != NULL)
		*ino = (fuse_ino_t)(uintptr_t)n;
	pthread_mutex_unlock(&fs->mu);
	return n != NULL;
}

/* The descriptor of mount mnt_id for open_by_handle_at (an open
 * directory: it refuses O_PATH), or -1; the lock is held. */
static int
mount_fd(struct fs *fs, int mnt_id)
{
	size_t	 i;

	for (i = 0; i < fs->nmounts; i++)
		if (fs->mounts[i].mnt_id == mnt_id)
			return fs->mounts[i].fd;
	return -1;
}

/* Make n's file handle, so that evict() may let a file's descriptor go,
 * and so that changes to it are known (then n is watched); a directory
 * gives its mount a descriptor too (the first one seen on it).  Best
 * effort: a node without a handle keeps its descriptor, and is not
 * watched.  n is in use (node_use), or not yet in the tables. */
static void
node_handle(struct fs *fs, struct node *n)
{
	struct file_handle	*h, *fit;
	int			 mnt_id, fd, watched;

	if ((h = malloc(sizeof *h + MAX_HANDLE_SZ)) == NULL)
		return;
	h->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(n->fd, "", h, &mnt_id, AT_EMPTY_PATH) < 0) {
		free(h);
		return;
	}
	/* (Most handles are 8 to 20 bytes, not MAX_HANDLE_SZ.) */
	if ((fit = realloc(h, sizeof *h + h->handle_bytes)) != NULL)
		h = fit;
	watched = fs->changes != NULL &&
	    changes_watch(fs->changes, n->fd, n->dev);
	pthread_mutex_lock(&fs->mu);
	n->mnt_id = mnt_id;
	if (n->isdir && mount_fd(fs, mnt_id) < 0 &&
	    fs->nmounts < MAX_MOUNTS && (fd = openat(n->fd, ".",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fs->mounts[fs->nmounts].mnt_id = mnt_id;
		fs->mounts[fs->nmounts++].fd = fd;
	}
	n->handle = h;
	if (watched && n != &fs->root)
		hashtab_add(&fs->byhandle, n);
	n->watched = watched;
	pthread_mutex_unlock(&fs->mu);
}

/* Let idle files' descriptors go, down to fs->low, when more than
 * fs->high are held: the kernel keeps an inode (and so a node) for every
 * file it has seen, and RLIMIT_NOFILE may be far below that.  Only files
 * with a handle and a descriptor for their mount, and no operation using
 * them; directories keep theirs (they are the parents of every *at call,
 * used without the lock).  The lock is held. */
static void
evict(struct fs *fs)
{
	struct node	*n;
	size_t		 scanned;

	/* (Handles are made for watching too, but only opened again
	 * where we may.) */
	if (!fs->handles || fs->held <= fs->evict_at)
		return;
	for (scanned = 0; scanned < hashtab_chains(&fs->byino) &&
	    fs->held > fs->low; scanned++) {
		fs->cursor = (fs->cursor + 1) % hashtab_chains(&fs->byino);
		for (n = hashtab_chain(&fs->byino, fs->cursor); n != NULL;
		    n = n->next) {
			if (n->fd < 0 || n->isdir || n->users > 0 ||
			    n->handle == NULL || mount_fd(fs, n->mnt_id) < 0)
				continue;
			close(n->fd);
			n->fd = -1;
			fs->held--;
		}
	}
	/* When too little could go (directories, files in use), scan again
	 * only after some more are held, not on every operation. */
	fs->evict_at = fs->held > fs->low ? fs->held + 256 : fs->high;
	if (fs->evict_at < fs->high)
		fs->evict_at = fs->high;
}

/* Use ino's O_PATH descriptor for one operation: its own, opened again
 * from its handle if it was let go (ESTALE: the file is gone).  -1 with
 * errno; else node_done() after. */
static int
node_use(fuse_req_t req, fuse_ino_t ino)
{
	struct fs	*fs = fs_of(req);
	struct node	*n = node_of(req, ino);
	int		 fd, mfd;

	pthread_mutex_lock(&fs->mu);
	n->users++;
	if ((fd = n->fd) < 0) {
		mfd = mount_fd(fs, n->mnt_id);
		pthread_mutex_unlock(&fs->mu);
		fd = open_by_handle_at(mfd, n->handle, O_PATH | O_CLOEXEC);
		pthread_mutex_lock(&fs->mu);
		if (fd < 0) {
			n->users--;
		} else if (n->fd >= 0) {	/* another thread was first */
			close(fd);
			fd = n->fd;
		} else {
			n->fd = fd;
			fs->held++;
			evict(fs);
		}
	}
	pthread_mutex_unlock(&fs->mu);
	return fd;
}

/* The operation that called node_use() is done with n's descriptor. */
static void
node_done(struct fs *fs, struct node *n)
{
	pthread_mutex_lock(&fs->mu);
	n->users--;
	evict(fs);
	pthread_mutex_unlock(&fs->mu);
}

/* node_done() of a FUSE inode number. */
static void
ino_done(fuse_req_t req, fuse_ino_t ino)
{
	node_done(fs_of(req), node_of(req, ino));
}

/* Find or make the node of (st, fd) under the lock; takes fd (closed if a
 * node exists).  Adds one lookup.  NULL with errno on failure. */
static struct node *
node_get(struct fs *fs, const struct stat *st, int fd, const struct node *p)
{
	struct node	*n;
	int		 fresh = 0;

	pthread_mutex_lock(&fs->mu);
	if (st->st_dev == fs->root.dev && st->st_ino == fs->root.ino) {
		/* A link to the root from below: the root itself. */
		n = &fs->root;
		n->nlookup++;
		pthread_mutex_unlock(&fs->mu);
		close(fd);
		return n;
	}
	if ((n = node_find(fs, st->st_dev, st->st_ino)) != NULL) {
		close(fd);
	} else {
		if ((n = calloc(1, sizeof *n)) == NULL) {
			pthread_mutex_unlock(&fs->mu);
			close(fd);
			errno = ENOMEM;
			return NULL;
		}
		n->fd = fd;
		n->isdir = S_ISDIR(st->st_mode);
		n->mnt_id = -1;
		n->dev = st->st_dev;
		n->ino = st->st_ino;
		hashtab_add(&fs->byino, n);
		fs->held++;
		fresh = fs->handles || fs->changes != NULL;
	}
	n->nlookup++;
	if (p != NULL) {
		n->pdev = p->dev;
		n->pino = p->ino;
	}
	/* A new node's handle is made without the lock; in use meanwhile,
	 * its descriptor is left alone by evict(). */
	if (fresh)
		n->users++;
	pthread_mutex_unlock(&fs->mu);
	if (fresh) {
		node_handle(fs, n);
		node_done(fs, n);
	}
	return n;
}

/* The node of st if there is one, with one more lookup (and p as the
 * directory it was seen in); NULL otherwise. */
static struct node *
node_ref(struct fs *fs, const struct stat *st, const struct node *p)
{
	struct node	*n;

	pthread_mutex_lock(&fs->mu);
	if (st->st_dev == fs->root.dev && st->st_ino == fs->root.ino)
		n = &fs->root;
	else
		n = node_find(fs, st->st_dev, st->st_ino);
	if (n != NULL) {
		n->nlookup++;
		if (n != &fs->root) {
			n->pdev = p->dev;
			n->pino = p->ino;
		}
	}
	pthread_mutex_unlock(&fs->mu);
	return n;
}

/* Drop count lookups of n; free it at zero. */
static void
node_put(struct fs *fs, struct node *n, uint64_t count)
{
	pthread_mutex_lock(&fs->mu);
	n->nlookup = n->nlookup > count ? n->nlookup - count : 0;
	if (n->nlookup > 0 || n == &fs->root) {
		pthread_mutex_unlock(&fs->mu);
		return;
	}
	hashtab_remove(&fs->byino, n);
	if (n->watched)
		hashtab_remove(&fs->byhandle, n);
	if (n->fd >= 0) {
		close(n->fd);
		fs->held--;
	}
	pthread_mutex_unlock(&fs->mu);
	free(n->handle);
	free(n);
}

/* How long the kernel may keep n's attributes: until they change if n
 * is watched, else the configured timeout. */
static double
attr_timeout(const struct fs *fs, const struct node *n)
{
	return n->watched ? WATCHED_TIMEOUT : fs->cfg.timeout;
}

/* The timeouts of e, the entry of n in directory p (an entry changes
 * with its directory). */
static void
set_timeouts(const struct fs *fs, struct fuse_entry_param *e,
    const struct node *p, const struct node *n)
{
	e->attr_timeout = attr_timeout(fs, n);
	e->entry_timeout = attr_timeout(fs, p);
}

/* Look name up in parent: fill e.  Returns 0 or an errno.
 *
 * An inode we already hold (the kernel revalidating its entries, or
 * readdirplus) is found by a stat of the one component, not followed,
 * from the parent's descriptor: it only says which of our nodes the name
 * is now, and what it holds is unchanged.  Any other inode is reached with
 * path_open (PATH_BENEATH, O_NOFOLLOW) and becomes a new node; so is a
 * name just made (fresh), without the stat first. */
static int
do_lookup(fuse_req_t req, fuse_ino_t parent, const char *name,
    struct fuse_entry_param *e, int fresh)
{
	struct fs	*fs = fs_of(req);
	struct node	*p = node_of(req, parent), *n;
	int		 fd;

	memset(e, 0, sizeof *e);
	if (bad_name(name))
		return EINVAL;
	if (!fresh) {
		if (fstatat(p->fd, name, &e->attr, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT || errno == ENOTDIR)
				return errno;
		} else if ((n = node_ref(fs, &e->attr, p)) != NULL) {
			e->ino = n == &fs->root ? FUSE_ROOT_ID :
			    (fuse_ino_t)(uintptr_t)n;
			set_timeouts(fs, e, p, n);
			return 0;
		}
	}
	fd = path_open(p->fd, name, O_PATH, 0, PATH_BENEATH, 1);
	if (fd < 0)
		return errno;
	if (fstatat(fd, "", &e->attr, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0) {
		int	 err = errno;

		close(fd);
		return err;
	}
	if ((n = node_get(fs, &e->attr, fd, p)) == NULL)
		return errno;
	e->ino = n == &fs->root ? FUSE_ROOT_ID : (fuse_ino_t)(uintptr_t)n;
	set_timeouts(fs, e, p, n);
	return 0;
}

/* The largest write to take: MAX_WRITE, if a pipe can hold one whole
 * with its header page, else half of it.  libfuse splices a request
 * (moves its pages into a pipe, then into the file: one copy saved of
 * three) only into a pipe that holds it whole, and a process without
 * CAP_SYS_RESOURCE gets pipes of at most fs.pipe-max-size (1 MiB). */
static unsigned
max_write(void)
{
	int	 p[2], r;

	if (pipe2(p, O_CLOEXEC) < 0)
		return MAX_WRITE / 2;
	r = fcntl(p[0], F_SETPIPE_SZ, MAX_WRITE + FUSE_HEADER);
	close(p[0]);
	close(p[1]);
	return r >= MAX_WRITE + FUSE_HEADER ? MAX_WRITE : MAX_WRITE / 2;
}

/* Look name up in parent (fresh: just made by us) and answer the
 * request with its entry or the error. */
static void
reply_entry(fuse_req_t req, fuse_ino_t parent, const char *name, int fresh)
{
	struct fuse_entry_param	 e;
	int			 err;

	if ((err = do_lookup(req, parent, name, &e, fresh)) != 0)
		fuse_reply_err(req, err);
	else
		fuse_reply_entry(req, &e);
}

/* Ask for splice (reading requests only when writes will not pass
 * through), parallel directory operations and (-o writeback) the
 * writeback cache; never for export support. */
static void
op_init(void *ud, struct fuse_conn_info *conn)
{
	struct fs	*fs = ud;

	/* Splicing a request costs a second system call (into a pipe, then
	 * out of it), worth it only for the writes that pass through us. */
	if ((conn->capable & FUSE_CAP_SPLICE_READ) && !passthrough_expected())
		conn->want |= FUSE_CAP_SPLICE_READ;
	else
		conn->want &= ~(unsigned)FUSE_CAP_SPLICE_READ;
	if (conn->capable & FUSE_CAP_SPLICE_WRITE)
		conn->want |= FUSE_CAP_SPLICE_WRITE;
	if (conn->capable & FUSE_CAP_SPLICE_MOVE)
		conn->want |= FUSE_CAP_SPLICE_MOVE;
	if (fs->cfg.writeback && !fs->cfg.readonly &&
	    (conn->capable & FUSE_CAP_WRITEBACK_CACHE))
		conn->want |= FUSE_CAP_WRITEBACK_CACHE;
	else
		fs->cfg.writeback = 0;
	if (conn->capable & FUSE_CAP_PARALLEL_DIROPS)
		conn->want |= FUSE_CAP_PARALLEL_DIROPS;
	fs->no_opendir = fs->changes != NULL &&
	    (conn->capable & FUSE_CAP_NO_OPENDIR_SUPPORT);
	/* No FUSE_CAP_EXPORT_SUPPORT: the kernel then never looks ".." up
	 * through us. */
	conn->want &= ~(unsigned)FUSE_CAP_EXPORT_SUPPORT;
	conn->max_write = max_write();
	/* (The kernel keeps its own read-ahead, 128 KiB, below this:
	 * larger read requests were slower, not faster.) */
	conn->max_readahead = MAX_WRITE;
}

/* A name missing from a watched directory is answered as an entry of
 * node 0: the kernel remembers that it is not there (a negative entry)
 * until a change to the directory's names is told (changed_entry; the
 * kernel takes the directory's lock for that, so this answer cannot land
 * after it), and looking the name up again asks nothing (the kernel
 * still asks before an O_EXCL create or a rename onto it). */
static void
op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param	 e;
	int			 err;

	if (gone(req))
		return;
	if ((err = do_lookup(req, parent, name, &e, 0)) == 0)
		fuse_reply_entry(req, &e);
	else if (err == ENOENT && node_of(req, parent)->watched) {
		memset(&e, 0, sizeof e);
		e.entry_timeout = WATCHED_TIMEOUT;
		fuse_reply_entry(req, &e);
	} else
		fuse_reply_err(req, err);
}

static void
op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	node_put(fs_of(req), node_of(req, ino), nlookup);
	fuse_reply_none(req);
}

static void
op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *f)
{
	size_t	 i;

	for (i = 0; i < count; i++)
		node_put(fs_of(req), node_of(req, f[i].ino), f[i].nlookup);
	fuse_reply_none(req);
}

static void
op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat	 st;
	int		 r, fd, err;

	if (gone(req))
		return;
	if (fi != NULL)
		r = fstat(file_fd(fi), &st);
	else if ((fd = node_use(req, ino)) < 0)
		r = -1;
	else {
		r = fstatat(fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
		err = errno;
		ino_done(req, ino);
		errno = err;
	}
	if (r < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_attr(req, &st, attr_timeout(fs_of(req),
		    node_of(req, ino)));
}

static void
op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int valid,
    struct fuse_file_info *fi)
{
	struct timespec	 tv[2];
	char		 pn[64];
	int		 fd, r = 0;

	if (no_write(req))
		return;
	if ((fd = node_use(req, ino)) < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	procname(pn, sizeof pn, fd);
	if (valid & FUSE_SET_ATTR_MODE)
		r = fi ? fchmod(file_fd(fi), attr->st_mode) :
		    chmod(pn, attr->st_mode);
	if (r == 0 && (valid & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)))
		r = fchownat(fd, "", (valid & FUSE_SET_ATTR_UID) ?
		    attr->st_uid : (uid_t)-1, (valid & FUSE_SET_ATTR_GID) ?
		    attr->st_gid : (gid_t)-1, AT_EMPTY_PATH |
		    AT_SYMLINK_NOFOLLOW);
	if (r == 0 && (valid & FUSE_SET_ATTR_SIZE))
		r = fi ? ftruncate(file_fd(fi), attr->st_size) :
		    truncate(pn, attr->st_size);
	if (r == 0 && (valid & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME))) {
		tv[0].tv_sec = tv[1].tv_sec = 0;
		tv[0].tv_nsec = tv[1].tv_nsec = UTIME_OMIT;
		if (valid & FUSE_SET_ATTR_ATIME_NOW)
			tv[0].tv_nsec = UTIME_NOW;
		else if (valid & FUSE_SET_ATTR_ATIME)
			tv[0] = attr->st_atim;
		if (valid & FUSE_SET_ATTR_MTIME_NOW)
			tv[1].tv_nsec = UTIME_NOW;
		else if (valid & FUSE_SET_ATTR_MTIME)
			tv[1] = attr->st_mtim;
		r = fi ? futimens(file_fd(fi), tv) : utimensat(AT_FDCWD, pn,
		    tv, 0);
	}
	if (r < 0) {
		r = errno;
		ino_done(req, ino);
		fuse_reply_err(req, r);
		return;
	}
	ino_done(req, ino);
	op_getattr(req, ino, fi);
}

/* How many levels below the root is directory (dev, ino)?  Walks ".."
 * up from its node; -1 when it is not below the root (moved out). */
static int
depth_of(struct fs *fs, dev_t dev, ino_t ino)
{
	struct node	*n;
	struct stat	 st;
	int		 fd, up, depth = 0;

	if (dev == fs->root.dev && ino == fs->root.ino)
		return 0;
	pthread_mutex_lock(&fs->mu);
	n = node_find(fs, dev, ino);
	fd = n != NULL ? dup(n->fd) : -1;
	pthread_mutex_unlock(&fs->mu);
	if (fd < 0)
		return -1;
	while (depth < MAX_DEPTH) {
		if ((up = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			break;
		close(fd);
		fd = up;
		depth++;
		if (fstat(fd, &st) < 0)
			break;
		if (st.st_dev == fs->root.dev && st.st_ino == fs->root.ino) {
			close(fd);
			return depth;
		}
		if (st.st_ino == ino && st.st_dev == dev)
			break;		/* the top of its filesystem */
		dev = st.st_dev;
		ino = st.st_ino;
	}
	close(fd);
	return -1;
}

static void
op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct fs	*fs = fs_of(req);
	struct node	*n = node_of(req, ino);
	char		 buf[PATH_MAX + 1], out[PATH_MAX + 1];
	ssize_t		 r;
	int		 depth, fd, err;

	if (gone(req))
		return;
	if ((fd = node_use(req, ino)) < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	r = readlinkat(fd, "", buf, sizeof buf);
	err = errno;
	ino_done(req, ino);
	if (r < 0) {
		fuse_reply_err(req, err);
		return;
	}
	if (r == (ssize_t)sizeof buf) {
		fuse_reply_err(req, ENAMETOOLONG);
		return;
	}
	buf[r] = '\0';
	if ((depth = depth_of(fs, n->pdev, n->pino)) < 0) {
		fuse_reply_err(req, EIO);
		return;
	}
	if (link_clamp(buf, (unsigned)depth, out, sizeof out) < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	fuse_reply_readlink(req, out);
}

/* Make name in parent (mknod, mkdir or symlink), then answer its entry. */
static void
make_node(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    dev_t rdev, const char *link)
{
	int			 pfd = dir_fd_of(req, parent), r;

	if (no_write_name(req, name))
		return;
	if (link != NULL)
		r = symlinkat(link, pfd, name);
	else if (S_ISDIR(mode))
		r = mkdirat(pfd, name, mode & 07777);
	else
		r = mknodat(pfd, name, mode, rdev);
	if (r < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	reply_entry(req, parent, name, 1);
}

static void
op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    dev_t rdev)
{
	make_node(req, parent, name, mode, rdev, NULL);
}

static void
op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	make_node(req, parent, name, S_IFDIR | mode, 0, NULL);
}

static void
op_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
    const char *name)
{
	make_node(req, parent, name, S_IFLNK, 0, link);
}

static void
op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t parent, const char *name)
{
	char			 pn[64];
	int			 fd, r;

	if (no_write_name(req, name))
		return;
	if ((fd = node_use(req, ino)) < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	r = linkat(AT_FDCWD, procname(pn, sizeof pn, fd),
	    dir_fd_of(req, parent), name, AT_SYMLINK_FOLLOW) < 0 ? errno : 0;
	ino_done(req, ino);
	if (r != 0) {
		fuse_reply_err(req, r);
		return;
	}
	reply_entry(req, parent, name, 0);
}

static void
op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	if (no_write_name(req, name))
		return;
	fuse_reply_err(req, unlinkat(dir_fd_of(req, parent), name, 0) < 0 ? errno :
	    0);
}

static void
op_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	if (no_write_name(req, name))
		return;
	fuse_reply_err(req, unlinkat(dir_fd_of(req, parent), name, AT_REMOVEDIR) <
	    0 ? errno : 0);
}

static void
op_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
    fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	if (no_write(req))
		return;
	if (bad_name(name) || bad_name(newname)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	fuse_reply_err(req, renameat2(dir_fd_of(req, parent), name,
	    dir_fd_of(req, newparent), newname, flags) < 0 ? errno : 0);
}

/* Keep the page cache when the file is as the last open left it. */
static void
cache_policy(struct fs *fs, struct node *n, int fd, struct fuse_file_info *fi)
{
	struct stat	 st;

	if (fstat(fd, &st) < 0)
		return;
	pthread_mutex_lock(&fs->mu);
	fi->keep_cache = st.st_size == n->seen_size &&
	    st.st_mtim.tv_sec == n->seen_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == n->seen_mtime.tv_nsec;
	n->seen_size = st.st_size;
	n->seen_mtime = st.st_mtim;
	pthread_mutex_unlock(&fs->mu);
}

/* The open flags to use: with the writeback cache the kernel reads
 * write-only files and does O_APPEND itself. */
static int
open_flags(struct fs *fs, int flags)
{
	if (fs->cfg.writeback) {
		if ((flags & O_ACCMODE) == O_WRONLY)
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		flags &= ~O_APPEND;
	}
	/* Only what open(2) itself takes: the kernel's own bits (such as
	 * FMODE_EXEC) would make openat2 fail with EINVAL. */
	flags &= O_ACCMODE | O_APPEND | O_TRUNC | O_EXCL | O_NONBLOCK |
	    O_DSYNC | O_SYNC | O_DIRECT | O_NOATIME | O_LARGEFILE | O_NOCTTY;
	return flags | O_CLOEXEC;
}

/* The backing file for an open of n through fd, shared with the other
 * open files of n (one per inode); 0 when the file is not passed
 * through.  Each nonzero return is undone by backing_put(). */
static int
backing_get(struct fs *fs, struct node *n, int fd)
{
	int	 id;

	pthread_mutex_lock(&fs->mu);
	if (n->backing_id == 0)
		n->backing_id = passthrough_register(fd);
	if ((id = n->backing_id) != 0)
		n->backing_users++;
	pthread_mutex_unlock(&fs->mu);
	return id;
}

/* One open of n's backing file is gone; the last one releases it. */
static void
backing_put(struct fs *fs, struct node *n)
{
	int	 id = 0;

	pthread_mutex_lock(&fs->mu);
	if (n->backing_users > 0 && --n->backing_users == 0) {
		id = n->backing_id;
		n->backing_id = 0;
	}
	pthread_mutex_unlock(&fs->mu);
	passthrough_unregister(id);
}

/* Answer an open of n (e NULL) or a create (e its entry) with fd as the
 * file: passed through where the kernel can, else served here.  Takes
 * fd. */
static void
reply_open(fuse_req_t req, struct node *n, int fd, struct fuse_file_info *fi,
    const struct fuse_entry_param *e)
{
	struct fs	*fs = fs_of(req);
	int		 id, r;

	id = backing_get(fs, n, fd);
	fi->fh = (uint64_t)fd | (id != 0 ? FH_BACKED : 0);
	/* No FLUSH at every close: a local file has no delayed error to
	 * report, and flock locks go with RELEASE.  (The kernel still
	 * flushes with the writeback cache.) */
	fi->noflush = 1;
	if (id == 0)
		cache_policy(fs, n, fd, fi);
	passthrough_arm(id);
	r = e != NULL ? fuse_reply_create(req, e, fi) : fuse_reply_open(req, fi);
	passthrough_arm(0);
	if (r != 0) {
		if (id != 0)
			backing_put(fs, n);
		close(fd);
	}
}

static void
op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct fs	*fs = fs_of(req);
	struct node	*n = node_of(req, ino);
	char		 pn[64];
	int		 fd, pfd, err;

	if (gone(req))
		return;
	if (fs->cfg.readonly && ((fi->flags & O_ACCMODE) != O_RDONLY ||
	    (fi->flags & O_TRUNC))) {
		fuse_reply_err(req, EROFS);
		return;
	}
	if ((pfd = node_use(req, ino)) < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	fd = open(procname(pn, sizeof pn, pfd), open_flags(fs, fi->flags));
	err = errno;
	ino_done(req, ino);
	if (fd < 0) {
		fuse_reply_err(req, err);
		return;
	}
	reply_open(req, n, fd, fi, NULL);
}

static void
op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    struct fuse_file_info *fi)
{
	struct fs		*fs = fs_of(req);
	struct fuse_entry_param	 e;
	int			 fd, err;

	if (no_write_name(req, name))
		return;
	fd = path_open(dir_fd_of(req, parent), name, open_flags(fs, fi->flags) |
	    O_CREAT, mode, PATH_BENEATH, 1);
	if (fd < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	if ((err = do_lookup(req, parent, name, &e, 1)) != 0) {
		close(fd);
		fuse_reply_err(req, err);
		return;
	}
	reply_open(req, node_of(req, e.ino), fd, fi, &e);
}

static void
op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	close(file_fd(fi));
	if (fi->fh & FH_BACKED)
		backing_put(fs_of(req), node_of(req, ino));
	fuse_reply_err(req, 0);
}

static void
op_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	int	 fd;

	(void)ino;
	if (gone(req))
		return;
	/* close() of a duplicate reports what close would (NFS-style
	 * delayed errors) without closing ours. */
	fd = dup(file_fd(fi));
	fuse_reply_err(req, fd < 0 || close(fd) < 0 ? errno : 0);
}

static void
op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
    struct fuse_file_info *fi)
{
	(void)ino;
	if (gone(req))
		return;
	fuse_reply_err(req, (datasync ? fdatasync(file_fd(fi)) :
	    fsync(file_fd(fi))) < 0 ? errno : 0);
}

static void
op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	struct fuse_bufvec	 buf = FUSE_BUFVEC_INIT(size);

	(void)ino;
	if (gone(req))
		return;
	buf.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
	buf.buf[0].fd = file_fd(fi);
	buf.buf[0].pos = off;
	fuse_reply_data(req, &buf, FUSE_BUF_SPLICE_MOVE);
}

static void
op_write_buf(fuse_req_t req, fuse_ino_t ino, struct fuse_bufvec *in,
    off_t off, struct fuse_file_info *fi)
{
	struct fuse_bufvec	 out = FUSE_BUFVEC_INIT(fuse_buf_size(in));
	ssize_t			 r;

	(void)ino;
	if (no_write(req))
		return;
	out.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
	out.buf[0].fd = file_fd(fi);
	out.buf[0].pos = off;
	r = fuse_buf_copy(&out, in, 0);
	if (r < 0)
		fuse_reply_err(req, (int)-r);
	else
		fuse_reply_write(req, (size_t)r);
}

/* Open directory ino for reading into d.  Returns 0 or an errno. */
static int
dir_open(fuse_req_t req, fuse_ino_t ino, struct dir_handle *d)
{
	d->len = d->pos = 0;
	d->offset = 0;
	d->fd = openat(dir_fd_of(req, ino), ".",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return d->fd < 0 ? errno : 0;
}

/* Read d from offset off on. */
static void
dir_seek(struct dir_handle *d, off_t off)
{
	if (off == d->offset)
		return;
	(void)lseek(d->fd, off, SEEK_SET);
	d->len = d->pos = 0;
	d->offset = off;
}

/* The next record of d, left in d until dir_take(); NULL at the end
 * (errno 0) or on an error (errno set). */
static const struct dir_record *
dir_peek(struct dir_handle *d)
{
	ssize_t	 r;

	if (d->pos >= d->len) {
		if ((r = getdents64(d->fd, d->buf, sizeof d->buf)) <= 0) {
			if (r == 0)
				errno = 0;
			return NULL;
		}
		d->len = (size_t)r;
		d->pos = 0;
	}
	return (const struct dir_record *)(void *)(d->buf + d->pos);
}

/* Take the record dir_peek() gave. */
static void
dir_take(struct dir_handle *d, const struct dir_record *r)
{
	d->offset = r->d_off;
	d->pos += r->d_reclen;
}

/* Is off the end of watched directory n, as its last read found, with
 * nothing changed since?  Then a read there finds nothing, and need not
 * open the directory (the kernel asks once more after each listing, to
 * find its end).  The end is forgotten either way: known once. */
static int
dir_at_end(struct fs *fs, struct node *n, off_t off)
{
	int	 r;

	pthread_mutex_lock(&fs->mu);
	r = n->dir_end != 0 && n->dir_end == off &&
	    n->dir_told == atomic_load(&fs->changes_told);
	n->dir_end = 0;
	pthread_mutex_unlock(&fs->mu);
	return r;
}

/* Note end (0: none) as the end of n's listing, found by a read that
 * began when fs->changes_told was told. */
static void
dir_end_note(struct fs *fs, struct node *n, off_t end, unsigned told)
{
	pthread_mutex_lock(&fs->mu);
	n->dir_end = end;
	n->dir_told = told;
	pthread_mutex_unlock(&fs->mu);
}

/* When changes are watched (changes.h) and the kernel lets us
 * (FUSE_CAP_NO_OPENDIR_SUPPORT), an opendir is refused with ENOSYS once:
 * the kernel then opens directories without asking, caches their entries
 * (as FOPEN_CACHE_DIR | FOPEN_KEEP_CACHE) until told they changed, and
 * every readdir opens the directory for itself (fi->fh is 0).  A walk
 * over cached directories makes no round trip. */
static void
op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct dir_handle	*d;
	int			 err;

	if (gone(req))
		return;
	if (fs_of(req)->no_opendir) {
		fuse_reply_err(req, ENOSYS);
		return;
	}
	if ((d = malloc(sizeof *d)) == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if ((err = dir_open(req, ino, d)) != 0) {
		fuse_reply_err(req, err);
		free(d);
		return;
	}
	fi->fh = (uint64_t)(uintptr_t)d;
	if (fuse_reply_open(req, fi) != 0) {
		close(d->fd);
		free(d);
	}
}

/* readdir and readdirplus: fill one buffer of entries from offset. */
static void
do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi, int plus)
{
	struct dir_handle	*d = (struct dir_handle *)(uintptr_t)fi->fh;
	struct dir_handle	 once;	/* for a directory opened without us */
	struct fs		*fs = fs_of(req);
	struct node		*dn = node_of(req, ino);
	const struct dir_record	*r;
	struct fuse_entry_param	 e;
	struct stat		 st;
	char			*buf, *p;
	size_t			 rem = size, n;
	unsigned		 told = 0;
	int			 err = 0, end = 0, forget;

	if (gone(req))
		return;
	if (d == NULL) {
		if (dn->watched && dir_at_end(fs, dn, off)) {
			fuse_reply_buf(req, NULL, 0);
			return;
		}
		told = atomic_load(&fs->changes_told);
		if ((err = dir_open(req, ino, &once)) != 0) {
			fuse_reply_err(req, err);
			return;
		}
		d = &once;
	}
	if ((buf = malloc(size)) == NULL) {
		fuse_reply_err(req, ENOMEM);
		if (d == &once)
			close(once.fd);
		return;
	}
	p = buf;
	dir_seek(d, off);
	for (;;) {
		if ((r = dir_peek(d)) == NULL) {
			err = errno;
			end = err == 0;
			break;
		}
		if (plus) {
			if (strcmp(r->d_name, ".") == 0 ||
			    strcmp(r->d_name, "..") == 0) {
				memset(&e, 0, sizeof e);
				e.attr.st_ino = r->d_ino;
				e.attr.st_mode = (mode_t)r->d_type << 12;
			} else if ((err = do_lookup(req, ino, r->d_name,
			    &e, 0)) != 0) {
				if (err == ENOENT) {	/* gone meanwhile */
					err = 0;
					dir_take(d, r);
					continue;
				}
				break;
			}
			n = fuse_add_direntry_plus(req, p, rem, r->d_name, &e,
			    r->d_off);
			if (n > rem) {
				if (e.ino != 0)
					node_put(fs, node_of(req, e.ino), 1);
				break;
			}
		} else {
			memset(&st, 0, sizeof st);
			st.st_ino = r->d_ino;
			st.st_mode = (mode_t)r->d_type << 12;
			n = fuse_add_direntry(req, p, rem, r->d_name, &st,
			    r->d_off);
			if (n > rem)
				break;
		}
		p += n;
		rem -= n;
		dir_take(d, r);
	}
	/* The kernel caches a directory whose changes we do not see too:
	 * have it read the directory again next time (once at its end: the
	 * cache is complete then). */
	forget = d == &once && err == 0 && rem == size && !dn->watched;
	if (d == &once && dn->watched)
		dir_end_note(fs, dn, end && rem < size ? d->offset : 0, told);
	/* An error can only be reported before any entry was added. */
	if (err != 0 && rem == size)
		fuse_reply_err(req, err);
	else
		fuse_reply_buf(req, buf, size - rem);
	free(buf);
	if (d == &once)
		close(once.fd);
	if (forget)
		fuse_lowlevel_notify_inval_inode(fs->se, ino, 0, 0);
}

static void
op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	do_readdir(req, ino, size, off, fi, 0);
}

static void
op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	do_readdir(req, ino, size, off, fi, 1);
}

static void
op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct dir_handle	*d = (struct dir_handle *)(uintptr_t)fi->fh;

	(void)ino;
	if (d != NULL) {
		close(d->fd);
		free(d);
	}
	fuse_reply_err(req, 0);
}

static void
op_fsyncdir(fuse_req_t req, fuse_ino_t ino, int datasync,
    struct fuse_file_info *fi)
{
	struct dir_handle	*d = (struct dir_handle *)(uintptr_t)fi->fh;
	int			 fd, r;

	if (gone(req))
		return;
	if (d != NULL)
		fd = d->fd;
	else if ((fd = openat(dir_fd_of(req, ino), ".",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	r = datasync ? fdatasync(fd) : fsync(fd);
	fuse_reply_err(req, r < 0 ? errno : 0);
	if (d == NULL)
		close(fd);
}

static void
op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs	 sv;
	int		 fd, r;

	if (gone(req))
		return;
	if ((fd = node_use(req, ino)) < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	r = fstatvfs(fd, &sv) < 0 ? errno : 0;
	ino_done(req, ino);
	if (r != 0)
		fuse_reply_err(req, r);
	else
		fuse_reply_statfs(req, &sv);
}

static void
op_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	char	 pn[64];
	int	 fd, r;

	if (gone(req))
		return;
	if ((mask & W_OK) && fs_of(req)->cfg.readonly) {
		fuse_reply_err(req, EROFS);
		return;
	}
	if ((fd = node_use(req, ino)) < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	r = faccessat(AT_FDCWD, procname(pn, sizeof pn, fd), mask, 0) < 0 ?
	    errno : 0;
	ino_done(req, ino);
	fuse_reply_err(req, r);
}

static void
op_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t off,
    off_t len, struct fuse_file_info *fi)
{
	(void)ino;
	if (no_write(req))
		return;
	fuse_reply_err(req, fallocate(file_fd(fi), mode, off, len) < 0 ?
	    errno : 0);
}

static void
op_flock(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi, int op)
{
	(void)ino;
	if (gone(req))
		return;
	fuse_reply_err(req, flock(file_fd(fi), op) < 0 ? errno : 0);
}

static void
op_lseek(fuse_req_t req, fuse_ino_t ino, off_t off, int whence,
    struct fuse_file_info *fi)
{
	off_t	 r;

	(void)ino;
	if (gone(req))
		return;
	if ((r = lseek(file_fd(fi), off, whence)) < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_lseek(req, r);
}

static void
op_copy_file_range(fuse_req_t req, fuse_ino_t ino_in, off_t off_in,
    struct fuse_file_info *fi_in, fuse_ino_t ino_out, off_t off_out,
    struct fuse_file_info *fi_out, size_t len, int flags)
{
	ssize_t	 r;

	(void)ino_in;
	(void)ino_out;
	if (no_write(req))
		return;
	r = copy_file_range(file_fd(fi_in), &off_in, file_fd(fi_out), &off_out,
	    len, (unsigned)flags);
	if (r < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_write(req, (size_t)r);
}

/* getxattr (name set) or listxattr (name NULL) of ino, answered as FUSE
 * asks: the size needed when size is 0, else the bytes. */
static void
read_xattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	char	 pn[64], *v = NULL;
	ssize_t	 r;
	int	 fd, err;

	if (gone(req))
		return;
	if (size > 0 && (v = malloc(size)) == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if ((fd = node_use(req, ino)) < 0) {
		fuse_reply_err(req, errno);
		free(v);
		return;
	}
	procname(pn, sizeof pn, fd);
	r = name != NULL ? getxattr(pn, name, v, size) : listxattr(pn, v, size);
	err = errno;
	ino_done(req, ino);
	if (r < 0)
		fuse_reply_err(req, err);
	else if (size == 0)
		fuse_reply_xattr(req, (size_t)r);
	else
		fuse_reply_buf(req, v, (size_t)r);
	free(v);
}

static void
op_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	read_xattr(req, ino, name, size);
}

static void
op_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	read_xattr(req, ino, NULL, size);
}

/* setxattr (value set) or removexattr (value NULL) of ino. */
static void
write_xattr(fuse_req_t req, fuse_ino_t ino, const char *name,
    const char *value, size_t size, int flags)
{
	char	 pn[64];
	int	 fd, r;

	if (no_write(req))
		return;
	if ((fd = node_use(req, ino)) < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	procname(pn, sizeof pn, fd);
	r = (value != NULL ? setxattr(pn, name, value, size, flags) :
	    removexattr(pn, name)) < 0 ? errno : 0;
	ino_done(req, ino);
	fuse_reply_err(req, r);
}

static void
op_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name,
    const char *value, size_t size, int flags)
{
	write_xattr(req, ino, name, value, size, flags);
}

static void
op_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	write_xattr(req, ino, name, NULL, 0, 0);
}

const struct fuse_lowlevel_ops fs_ops = {
	.init = op_init,
	.lookup = op_lookup,
	.forget = op_forget,
	.forget_multi = op_forget_multi,
	.getattr = op_getattr,
	.setattr = op_setattr,
	.readlink = op_readlink,
	.mknod = op_mknod,
	.mkdir = op_mkdir,
	.symlink = op_symlink,
	.link = op_link,
	.unlink = op_unlink,
	.rmdir = op_rmdir,
	.rename = op_rename,
	.open = op_open,
	.create = op_create,
	.read = op_read,
	.write_buf = op_write_buf,
	.flush = op_flush,
	.release = op_release,
	.fsync = op_fsync,
	.opendir = op_opendir,
	.readdir = op_readdir,
	.readdirplus = op_readdirplus,
	.releasedir = op_releasedir,
	.fsyncdir = op_fsyncdir,
	.statfs = op_statfs,
	.access = op_access,
	.fallocate = op_fallocate,
	.flock = op_flock,
	.lseek = op_lseek,
	.copy_file_range = op_copy_file_range,
	.getxattr = op_getxattr,
	.listxattr = op_listxattr,
	.setxattr = op_setxattr,
	.removexattr = op_removexattr,
};

/* Every inode the kernel holds is one of our nodes until it forgets it
 * (a tar of 20,000 files holds as many), and a node holds a descriptor
 * unless evict() let it go: raise the soft limit on descriptors to the
 * hard one, and the hard one, where we may, to the system's
 * (fs.nr_open), up to FD_WANT.  Best effort. */
static void
raise_nofile(void)
{
	struct rlimit	 rl, up;
	FILE		*f;
	unsigned long	 max = 0;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if ((f = fopen("/proc/sys/fs/nr_open", "re")) != NULL) {
		if (fscanf(f, "%lu", &max) != 1)
			max = 0;
		fclose(f);
	}
	if (max > FD_WANT)
		max = FD_WANT;
	if (max > rl.rlim_max) {
		up.rlim_cur = up.rlim_max = max;
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			return;
	}
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* May we open files by handle here (CAP_DAC_READ_SEARCH, and a
 * filesystem that makes handles)?  Tried on the root itself. */
static int
may_open_handles(int rootfd)
{
	struct file_handle	*h;
	int			 mnt_id, dfd, fd = -1;

	if ((h = malloc(sizeof *h + MAX_HANDLE_SZ)) == NULL)
		return 0;
	h->handle_bytes = MAX_HANDLE_SZ;
	dfd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0 &&
	    name_to_handle_at(rootfd, "", h, &mnt_id, AT_EMPTY_PATH) == 0)
		fd = open_by_handle_at(dfd, h, O_PATH | O_CLOEXEC);
	free(h);
	if (dfd >= 0)
		close(dfd);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* See fs.h. */
void *
fs_new(const struct fs_config *cfg)
{
	struct fs	*fs;
	struct stat	 st;
	struct rlimit	 rl;
	size_t		 reserve;

	if (fstat(cfg->rootfd, &st) < 0)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	if ((fs = calloc(1, sizeof *fs)) == NULL)
		return NULL;
	if (hashtab_init(&fs->byino, offsetof(struct node, next),
	    node_ino_key) < 0 || hashtab_init(&fs->byhandle,
	    offsetof(struct node, hnext), node_handle_key) < 0) {
		hashtab_free(&fs->byino);
		free(fs);
		errno = ENOMEM;
		return NULL;
	}
	raise_nofile();
	pthread_mutex_init(&fs->mu, NULL);
	fs->cfg = *cfg;
	fs->root.fd = cfg->rootfd;
	fs->root.isdir = 1;
	fs->root.dev = st.st_dev;
	fs->root.ino = st.st_ino;
	fs->root.nlookup = 2;
	fs->handles = may_open_handles(cfg->rootfd);
	if (!cfg->no_watch)
		fs->changes = changes_new();
	if (fs->handles || fs->changes != NULL)
		node_handle(fs, &fs->root);
	/* Watching is all or nothing for the root's filesystem: directory
	 * caching (no_opendir) depends on it. */
	if (!fs->root.watched) {
		changes_free(fs->changes);
		fs->changes = NULL;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		rl.rlim_cur = FD_WANT;
	/* Room for open files, directories' handle descriptors, the
	 * daemon connection and libfuse's own. */
	reserve = rl.rlim_cur / 4 < 1024 ? rl.rlim_cur / 4 : 1024;
	fs->high = rl.rlim_cur - reserve;
	fs->low = fs->high - fs->high / 8;
	fs->evict_at = fs->high;
	return fs;
}

/* See fs.h. */
void
fs_free(void *p)
{
	struct fs	*fs = p;
	struct node	*n, *next;
	size_t		 i;

	if (fs == NULL)
		return;
	for (i = 0; i < hashtab_chains(&fs->byino); i++)
		for (n = hashtab_chain(&fs->byino, i); n != NULL; n = next) {
			next = n->next;
			if (n->fd >= 0)
				close(n->fd);
			free(n->handle);
			free(n);
		}
	hashtab_free(&fs->byino);
	hashtab_free(&fs->byhandle);
	changes_free(fs->changes);
	for (i = 0; i < fs->nmounts; i++)
		close(fs->mounts[i].fd);
	free(fs->root.handle);
	close(fs->root.fd);
	pthread_mutex_destroy(&fs->mu);
	free(fs);
}

/* changes.h callback: the kernel forgets the attributes and cached data
 * (or entries) of a watched node.  Called in the changes thread, never
 * in a request's: the kernel may wait for requests to end first. */
static void
changed_inode(void *arg, dev_t dev, const struct file_handle *h)
{
	struct fs	*fs = arg;
	fuse_ino_t	 ino;

	atomic_fetch_add(&fs->changes_told, 1);
	if (ino_of_handle(fs, dev, h, &ino))
		fuse_lowlevel_notify_inval_inode(fs->se, ino, 0, 0);
}

/* changes.h callback: the kernel forgets entry name of a watched
 * directory (it waits for lookups in the directory to end first, so none
 * can bring a stale one back). */
static void
changed_entry(void *arg, dev_t dev, const struct file_handle *dir,
    const char *name)
{
	struct fs	*fs = arg;
	fuse_ino_t	 ino;

	atomic_fetch_add(&fs->changes_told, 1);
	if (ino_of_handle(fs, dev, dir, &ino))
		fuse_lowlevel_notify_inval_entry(fs->se, ino, name,
		    strlen(name));
}

/* changes.h callback: changes were lost; the kernel forgets every entry
 * (a new epoch: Linux 6.16 and later), every node's attributes and
 * cached data.  Older kernels keep their entries: a warning says so. */
static void
changed_all(void *arg)
{
	struct fs	*fs = arg;
	struct fuse_out_header oh = { sizeof oh, FUSE_NOTIFY_INC_EPOCH_CODE,
			    0 };
	fuse_ino_t	*inos;
	struct node	*n;
	size_t		 i, k = 0, cap = 1024;

	atomic_fetch_add(&fs->changes_told, 1);
	if (write(fuse_session_fd(fs->se), &oh, sizeof oh) != sizeof oh)
		fprintf(stderr, _("auraefs: changes were lost; names may be "
		    "out of date for up to %.0f s\n"), WATCHED_TIMEOUT);
	fuse_lowlevel_notify_inval_inode(fs->se, FUSE_ROOT_ID, 0, 0);
	if ((inos = malloc(cap * sizeof *inos)) == NULL)
		return;
	pthread_mutex_lock(&fs->mu);
	for (i = 0; i < hashtab_chains(&fs->byhandle); i++)
		for (n = hashtab_chain(&fs->byhandle, i); n != NULL;
		    n = n->hnext) {
			if (k == cap) {
				fuse_ino_t *more = reallocarray(inos, 2 * cap,
				    sizeof *inos);

				if (more == NULL)
					goto full;
				inos = more;
				cap *= 2;
			}
			inos[k++] = (fuse_ino_t)(uintptr_t)n;
		}
full:
	pthread_mutex_unlock(&fs->mu);
	for (i = 0; i < k; i++)
		fuse_lowlevel_notify_inval_inode(fs->se, inos[i], 0, 0);
	free(inos);
}

static const struct changes_ops changed = {
	changed_inode, changed_entry, changed_all
};

/* See fs.h. */
void
fs_start(void *p, struct fuse_session *se)
{
	struct fs	*fs = p;

	fs->se = se;
	if (fs->changes != NULL && changes_start(fs->changes, &changed,
	    fs) < 0) {
		fprintf(stderr, "auraefs: %s\n", strerror(errno));
		fs_kill(fs, _("changes cannot be watched"));
	}
}

/* See fs.h. */
void
fs_stop(void *p)
{
	struct fs	*fs = p;

	changes_free(fs->changes);
	fs->changes = NULL;
}

/* See fs.h. */
void
fs_kill(void *p, const char *why)
{
	struct fs	*fs = p;

	if (!atomic_exchange(&fs->dead, 1) && why != NULL)
		fprintf(stderr, _("auraefs: %s; every operation now fails\n"),
		    why);
}
