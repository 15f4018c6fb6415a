/* tar-out.c - writing a tar (pax) stream of a tree resolved in a root.
 *
 * The walk never follows a name by path: each directory is opened from
 * its parent's descriptor, one component at a time, with O_NOFOLLOW under
 * RESOLVE_BENEATH, and each file is opened O_PATH first and reopened only
 * once fstat has shown it is a regular file.  A symlink is archived as a
 * link; with follow (-L) it is resolved again from the root by its full
 * path under the root's scope, so it can never lead out of the root. */
#include "tar.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DATA_CHUNK	(1024 * 1024)
#define BLOCK_BYTES	(64 * 1024)
#define MAX_DEPTH	4096

struct tar_writer {
	struct archive			*a;
	struct archive_entry_linkresolver *lr;
	const struct tar_opts		*o;
	struct tar_stats		*st;
	char				*buf;
	int				 rootfd;
	enum path_scope			 scope;
	/* the directories being walked, for loop detection under -L */
	dev_t				 anc_dev[MAX_DEPTH];
	ino_t				 anc_ino[MAX_DEPTH];
	int				 depth;
	int				 outfd;
	int				 aborted;	/* write nothing more */
};

/* libarchive's write callback: all of buf to the output, or -1.  Once
 * the writer is aborted nothing more is written, so that the stream
 * stays truncated (no end-of-archive blocks: the reader must see an
 * error, not a shorter archive). */
static la_ssize_t
out_write(struct archive *a, void *ud, const void *buf, size_t n)
{
	struct tar_writer	*w = ud;
	size_t			 done = 0;
	ssize_t			 r;

	if (w->aborted) {
		archive_set_error(a, ECANCELED, "the copy was stopped");
		return -1;
	}
	while (done < n) {
		r = write(w->outfd, (const char *)buf + done, n - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			archive_set_error(a, errno, "%s", strerror(errno));
			return -1;
		}
		done += (size_t)r;
	}
	return (la_ssize_t)n;
}

/* See tar.h. */
struct tar_writer *
tar_writer_open(int outfd, const struct tar_opts *o, struct tar_stats *st,
    struct tar_error *err)
{
	struct tar_writer	*w;

	if ((w = calloc(1, sizeof *w)) == NULL ||
	    (w->buf = malloc(DATA_CHUNK)) == NULL ||
	    (w->a = archive_write_new()) == NULL ||
	    (w->lr = archive_entry_linkresolver_new()) == NULL) {
		if (w != NULL) {
			free(w->buf);
			if (w->a)
				archive_write_free(w->a);
			free(w);
		}
		tar_fail(err, AE_RESOURCE_EXHAUSTED, ENOMEM, "out of memory");
		return NULL;
	}
	w->o = o;
	w->st = st;
	archive_write_set_format_pax_restricted(w->a);
	archive_entry_linkresolver_set_strategy(w->lr, archive_format(w->a));
	archive_write_set_bytes_per_block(w->a, BLOCK_BYTES);
	archive_write_set_bytes_in_last_block(w->a, 1);
	w->outfd = outfd;
	if (archive_write_open2(w->a, w, NULL, out_write, NULL, NULL) !=
	    ARCHIVE_OK) {
		tar_fail(err, AE_INTERNAL, archive_errno(w->a), "cannot start "
		    "the archive: %s", archive_error_string(w->a));
		tar_writer_close(w, 1, NULL);
		return NULL;
	}
	return w;
}

/* Report a libarchive write failure (a closed pipe is the reader's
 * doing: UNAVAILABLE). */
static int
write_fail(struct tar_writer *w, struct tar_error *err, const char *name)
{
	int	 e = archive_errno(w->a);

	return tar_fail(err, e == EPIPE ? AE_UNAVAILABLE : AE_OK, e,
	    "cannot write the archive at '%s': %s", name,
	    archive_error_string(w->a) ? archive_error_string(w->a) :
	    strerror(e));
}

/* Write the data of the regular file fd (size bytes expected). */
static int
write_data(struct tar_writer *w, int fd, int64_t size, const char *name,
    struct tar_error *err)
{
	int64_t		 left = size;
	ssize_t		 n;

	while (left > 0) {
		n = read(fd, w->buf, left < DATA_CHUNK ? (size_t)left :
		    DATA_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return tar_fail(err, AE_OK, errno, "cannot read '%s': "
			    "%s", name, strerror(errno));
		if (n == 0) {
			/* Shrunk while being read: pad, as tar does, so
			 * that the stream stays well formed. */
			memset(w->buf, 0, DATA_CHUNK);
			n = left < DATA_CHUNK ? (ssize_t)left : DATA_CHUNK;
		}
		if (archive_write_data(w->a, w->buf, (size_t)n) < 0)
			return write_fail(w, err, name);
		left -= n;
		w->st->bytes += (uint64_t)n;
		if (w->o->max_bytes && w->st->bytes > w->o->max_bytes)
			return tar_fail(err, AE_RESOURCE_EXHAUSTED, EFBIG,
			    "'%s': the copy is larger than the limit of %llu "
			    "bytes", name, (unsigned long long)w->o->max_bytes);
		if (w->o->progress)
			w->o->progress(w->st, w->o->progress_arg);
	}
	return 0;
}

/* Write one header (and the data of a regular file at datafd). */
static int
emit(struct tar_writer *w, const char *name, const struct stat *st,
    const char *link, int datafd, struct tar_error *err)
{
	struct archive_entry	*ae, *spare = NULL;
	char			 dname[PATH_MAX + 2];
	int			 r = 0;

	if (w->o->max_entries && w->st->entries >= w->o->max_entries)
		return tar_fail(err, AE_RESOURCE_EXHAUSTED, 0, "more than the "
		    "limit of %llu entries", (unsigned long long)
		    w->o->max_entries);
	if ((ae = archive_entry_new()) == NULL)
		return tar_fail(err, AE_RESOURCE_EXHAUSTED, ENOMEM,
		    "out of memory");
	if (S_ISDIR(st->st_mode) && strcmp(name, ".") != 0) {
		snprintf(dname, sizeof dname, "%s/", name);
		archive_entry_set_pathname(ae, dname);
	} else
		archive_entry_set_pathname(ae, strcmp(name, ".") == 0 ? "./" :
		    name);
	archive_entry_copy_stat(ae, st);
	archive_entry_set_uname(ae, NULL);
	archive_entry_set_gname(ae, NULL);
	if (!S_ISREG(st->st_mode))
		archive_entry_set_size(ae, 0);
	if (link != NULL)
		archive_entry_set_symlink(ae, link);
	if (S_ISREG(st->st_mode) && st->st_nlink > 1)
		archive_entry_linkify(w->lr, &ae, &spare);
	if (ae != NULL) {
		if (archive_write_header(w->a, ae) < ARCHIVE_WARN)
			r = write_fail(w, err, name);
		else if (S_ISREG(st->st_mode) && datafd >= 0 &&
		    archive_entry_hardlink(ae) == NULL)
			r = write_data(w, datafd, st->st_size, name, err);
		archive_entry_free(ae);
	}
	if (spare != NULL)
		archive_entry_free(spare);
	if (r == 0)
		w->st->entries++;
	return r;
}

static int walk(struct tar_writer *, int pfd, const char *base,
    const char *path, const char *name, int follow, struct tar_error *);

/* Archive every entry of the directory dfd (opened O_RDONLY). */
static int
walk_dir(struct tar_writer *w, int dfd, const char *path, const char *name,
    struct tar_error *err)
{
	char		 cpath[PATH_MAX], cname[PATH_MAX];
	struct dirent	*de;
	DIR		*d;
	char		**names = NULL, **nn;
	size_t		 n = 0, alloc = 0, i;
	int		 r = 0, pfd;

	/* Read the whole listing first, so that only one descriptor per
	 * level stays open (an O_PATH one). */
	if ((pfd = dup(dfd)) < 0 || (d = fdopendir(pfd)) == NULL) {
		if (pfd >= 0)
			close(pfd);
		return tar_fail(err, AE_OK, errno, "cannot read '%s': %s", path,
		    strerror(errno));
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			if ((nn = reallocarray(names, alloc, sizeof *nn)) ==
			    NULL)
				goto nomem;
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto nomem;
		n++;
	}
	if (errno != 0)
		r = tar_fail(err, AE_OK, errno, "cannot read '%s': %s", path,
		    strerror(errno));
	closedir(d);
	d = NULL;
	for (i = 0; r == 0 && i < n; i++) {
		if ((size_t)snprintf(cpath, sizeof cpath, "%s%s%s", path,
		    path[strlen(path) - 1] == '/' ? "" : "/", names[i]) >=
		    sizeof cpath || (size_t)snprintf(cname, sizeof cname,
		    "%s%s%s", strcmp(name, ".") ? name : "", strcmp(name, ".") ?
		    "/" : "", names[i]) >= sizeof cname) {
			r = tar_fail(err, AE_INVALID_ARGUMENT, ENAMETOOLONG,
			    "'%s/%s': name too long", path, names[i]);
			break;
		}
		r = walk(w, dfd, names[i], cpath, cname, w->o->follow, err);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
nomem:
	closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return tar_fail(err, AE_RESOURCE_EXHAUSTED, ENOMEM, "out of memory");
}

/* Archive base (one component of the directory pfd, or a whole path when
 * pfd is the root) as member name; path is its full path in the root, for
 * messages and for following symlinks. */
static int
walk(struct tar_writer *w, int pfd, const char *base, const char *path,
    const char *name, int follow, struct tar_error *err)
{
	enum path_scope	 sc = pfd == w->rootfd ? w->scope : PATH_BENEATH;
	struct stat	 st;
	char		 link[PATH_MAX];
	ssize_t		 n;
	int		 p, fd = -1, r = 0, i;

	if (w->scope == PATH_HOST)
		sc = PATH_HOST;
	if ((p = path_open(pfd, base, O_PATH, 0, sc, 1)) < 0)
		return tar_fail(err, AE_OK, errno, "cannot open '%s': %s", path,
		    strerror(errno));
	if (fstat(p, &st) < 0) {
		r = tar_fail(err, AE_OK, errno, "cannot stat '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	if (S_ISLNK(st.st_mode) && follow) {
		/* Again from the root, by path: confined by the root. */
		close(p);
		if ((p = path_open(w->rootfd, path, O_PATH, 0, w->scope, 0)) < 0)
			return tar_fail(err, AE_OK, errno, "cannot follow '%s': "
			    "%s", path, strerror(errno));
		if (fstat(p, &st) < 0) {
			r = tar_fail(err, AE_OK, errno, "cannot stat '%s': %s",
			    path, strerror(errno));
			goto out;
		}
	}
	switch (st.st_mode & S_IFMT) {
	case S_IFLNK:
		if ((n = readlinkat(p, "", link, sizeof link - 1)) < 0) {
			r = tar_fail(err, AE_OK, errno, "cannot read link '%s': "
			    "%s", path, strerror(errno));
			goto out;
		}
		link[n] = '\0';
		r = emit(w, name, &st, link, -1, err);
		break;
	case S_IFREG:
		if ((fd = path_reopen(p, O_RDONLY | O_NOCTTY)) < 0) {
			r = tar_fail(err, AE_OK, errno, "cannot open '%s': %s",
			    path, strerror(errno));
			goto out;
		}
		r = emit(w, name, &st, NULL, fd, err);
		break;
	case S_IFDIR:
		for (i = 0; i < w->depth; i++)
			if (w->anc_dev[i] == st.st_dev &&
			    w->anc_ino[i] == st.st_ino) {
				r = tar_fail(err, AE_INVALID_ARGUMENT, ELOOP,
				    "'%s': a symbolic link loops back to a "
				    "directory above it", path);
				goto out;
			}
		if (w->depth == MAX_DEPTH) {
			r = tar_fail(err, AE_INVALID_ARGUMENT, ELOOP, "'%s': "
			    "directories nested too deep", path);
			goto out;
		}
		if ((fd = path_reopen(p, O_RDONLY | O_DIRECTORY)) < 0) {
			r = tar_fail(err, AE_OK, errno, "cannot open '%s': %s",
			    path, strerror(errno));
			goto out;
		}
		if ((r = emit(w, name, &st, NULL, -1, err)) < 0)
			goto out;
		w->anc_dev[w->depth] = st.st_dev;
		w->anc_ino[w->depth] = st.st_ino;
		w->depth++;
		r = walk_dir(w, fd, path, name, err);
		w->depth--;
		break;
	case S_IFSOCK:
		/* tar's rule: sockets are not archived. */
		break;
	default:	/* FIFOs and devices: headers only */
		r = emit(w, name, &st, NULL, -1, err);
	}
out:
	if (fd >= 0)
		close(fd);
	close(p);
	return r;
}

/* See tar.h. */
int
tar_add(struct tar_writer *w, int rootfd, enum path_scope scope,
    const char *path, const char *name, int follow_top,
    struct tar_error *err)
{
	w->rootfd = rootfd;
	w->scope = scope;
	w->depth = 0;
	return walk(w, rootfd, path, path, name, follow_top || w->o->follow,
	    err);
}

/* See tar.h. */
int
tar_writer_close(struct tar_writer *w, int abort, struct tar_error *err)
{
	struct archive_entry	*ae = NULL, *spare = NULL;
	int			 r = 0;

	if (w == NULL)
		return 0;
	if (!abort) {
		/* Entries the resolver still holds (none for tar). */
		archive_entry_linkify(w->lr, &ae, &spare);
		while (ae != NULL) {
			archive_write_header(w->a, ae);
			archive_entry_free(ae);
			ae = NULL;
			archive_entry_linkify(w->lr, &ae, &spare);
		}
		if (archive_write_close(w->a) != ARCHIVE_OK && err != NULL)
			r = write_fail(w, err, "the end");
	} else {
		/* Not archive_write_fail(): libarchive then leaks its output
		 * buffer.  A close whose every write fails frees it. */
		w->aborted = 1;
		archive_write_close(w->a);
	}
	archive_entry_linkresolver_free(w->lr);
	archive_write_free(w->a);
	free(w->buf);
	free(w);
	return r;
}
