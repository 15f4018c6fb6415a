/* tar-in.c - extracting a hostile tar stream into a directory descriptor,
 * and placing a single file (see tar.h for the rules). */
#include "tar.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define READ_BLOCK	(1024 * 1024)
#define COPY_CHUNK	(1024 * 1024)

/* A directory whose metadata is applied once everything inside it is
 * written (a read-only mode must not stop its own contents, and adding
 * entries changes the mtime). */
struct dir_fixup {
	char		*rel;
	mode_t		 mode;
	uid_t		 uid;
	gid_t		 gid;
	struct timespec	 ts[2];
	int		 created;
};

struct extract {
	int			 dstfd;
	const struct tar_opts	*o;
	struct tar_stats	*st;
	struct tar_error	*err;
	/* the parent directory of the last entry, kept open */
	char			 pdir[PATH_MAX];
	int			 pfd;
	struct dir_fixup	*dirs;
	size_t			 ndirs, adirs;
};

/* See tar.h. */
int
tar_fail(struct tar_error *err, enum aurae_errcode code, int sys,
    const char *fmt, ...)
{
	va_list	 ap;

	if (code == AE_OK) {
		switch (sys) {
		case ENOSPC:
		case EDQUOT:
		case EMFILE:
		case ENFILE:
		case ENOMEM:
			code = AE_RESOURCE_EXHAUSTED;
			break;
		case EACCES:
		case EPERM:
		case EROFS:
			code = AE_PERMISSION_DENIED;
			break;
		case ENOENT:
			code = AE_NOT_FOUND;
			break;
		case EEXIST:
		case EISDIR:
		case ENOTDIR:
		case ENOTEMPTY:
			code = AE_CONFLICT;
			break;
		case EXDEV:
		case ELOOP:
		case EINVAL:
		case ENAMETOOLONG:
			code = AE_INVALID_ARGUMENT;
			break;
		default:
			code = AE_INTERNAL;
		}
	}
	err->code = code;
	err->sys = sys;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* A reason for errno e in the words of a path that was refused: EXDEV
 * and ELOOP from openat2 mean a symlink or ".." tried to leave. */
static const char *
why(int e)
{
	if (e == EXDEV)
		return "it leads outside the destination";
	if (e == ELOOP)
		return "too many levels of symbolic links";
	return strerror(e);
}

/* A fresh temporary name for name in buf: ".NAME.aurae-XXXXXX". */
static void
temp_name(char *buf, size_t len, const char *name)
{
	static const char hex[] = "0123456789abcdef";
	uint32_t	 r = arc4random();
	char		 sfx[7];
	int		 i;

	for (i = 0; i < 6; i++, r >>= 4)
		sfx[i] = hex[r & 0xf];
	sfx[6] = '\0';
	snprintf(buf, len, ".%.200s.aurae-%s", name, sfx);
}

/* Apply owner, mode and times to the file open at fd (a directory or a
 * regular file).  Owner first: chown clears set-ID bits. */
static int
apply_meta_fd(int fd, const struct file_meta *m, const struct tar_opts *o)
{
	struct timespec	 ts[2];

	if (o->keep_owner && fchown(fd, m->uid, m->gid) < 0 &&
	    !(errno == EPERM && geteuid() != 0))
		return -1;
	if (fchmod(fd, o->keep_mode ? m->mode & 07777 :
	    m->mode & 07777 & ~o->umask) < 0)
		return -1;
	if (o->keep_times) {
		ts[0] = m->atime;
		ts[1] = m->mtime;
		if (futimens(fd, ts) < 0)
			return -1;
	}
	return 0;
}

/* Copy srcfd from its offset to EOF into dstfd; counts into st. */
static int
copy_data(int srcfd, int dstfd, const struct tar_opts *o,
    struct tar_stats *st)
{
	char		*buf = NULL;
	ssize_t		 n, w, off;
	int		 plain = 0;

	for (;;) {
		if (!plain) {
			n = copy_file_range(srcfd, NULL, dstfd, NULL,
			    COPY_CHUNK * 16, 0);
			if (n < 0 && (errno == EXDEV || errno == EINVAL ||
			    errno == ENOSYS || errno == EOPNOTSUPP ||
			    errno == EBADF)) {
				plain = 1;
				continue;
			}
		} else {
			if (buf == NULL && (buf = malloc(COPY_CHUNK)) == NULL)
				return -1;
			n = read(srcfd, buf, COPY_CHUNK);
			for (off = 0; n > 0 && off < n; off += w)
				if ((w = write(dstfd, buf + off,
				    (size_t)(n - off))) < 0) {
					free(buf);
					return -1;
				}
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		st->bytes += (uint64_t)n;
		if (o->max_bytes && st->bytes > o->max_bytes) {
			free(buf);
			errno = EFBIG;
			return -1;
		}
		if (o->progress)
			o->progress(st, o->progress_arg);
	}
	free(buf);
	return n < 0 ? -1 : 0;
}

/* See tar.h. */
int
tar_put_file(int dirfd, const char *name, int srcfd,
    const struct file_meta *m, const struct tar_opts *o,
    struct tar_stats *st, struct tar_error *err)
{
	char	 tmp[300];
	int	 fd, e;

	if (strchr(name, '/') != NULL || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0 || *name == '\0')
		return tar_fail(err, AE_INVALID_ARGUMENT, 0,
		    "'%s': not a plain file name", name);
	if (!o->allow_special && (m->mode & (S_ISUID | S_ISGID)) &&
	    o->keep_mode)
		return tar_fail(err, AE_PERMISSION_DENIED, 0, "'%s': "
		    "set-user-ID and set-group-ID files are only kept for "
		    "root with -a", name);
	do {
		temp_name(tmp, sizeof tmp, name);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
	} while (fd < 0 && errno == EEXIST);
	if (fd < 0)
		return tar_fail(err, AE_OK, errno, "cannot create '%s': %s",
		    name, strerror(errno));
	if (copy_data(srcfd, fd, o, st) < 0) {
		e = errno;
		close(fd);
		unlinkat(dirfd, tmp, 0);
		if (e == EFBIG)
			return tar_fail(err, AE_RESOURCE_EXHAUSTED, e, "'%s': "
			    "the copy is larger than the limit of %llu bytes",
			    name, (unsigned long long)o->max_bytes);
		return tar_fail(err, AE_OK, e, "cannot write '%s': %s", name,
		    strerror(e));
	}
	if (apply_meta_fd(fd, m, o) < 0 || close(fd) < 0) {
		e = errno;
		unlinkat(dirfd, tmp, 0);
		return tar_fail(err, AE_OK, e, "cannot write '%s': %s", name,
		    strerror(e));
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		e = errno;
		unlinkat(dirfd, tmp, 0);
		if (e == EISDIR)
			return tar_fail(err, AE_CONFLICT, e, "cannot overwrite "
			    "directory '%s' with a file", name);
		return tar_fail(err, AE_OK, e, "cannot write '%s': %s", name,
		    strerror(e));
	}
	st->entries++;
	return 0;
}

/* Make each missing level of dir (a clean relative path) below the
 * destination, mode 0755 & ~umask, opening every parent beneath it. */
static int
make_dirs(struct extract *x, const char *dir)
{
	char		 pre[PATH_MAX], pd[PATH_MAX];
	const char	*p, *e, *pb;
	int		 fd, pfd;

	for (p = dir; *p; p = *e ? e + 1 : e) {
		e = p + strcspn(p, "/");
		snprintf(pre, sizeof pre, "%.*s", (int)(e - dir), dir);
		fd = path_open(x->dstfd, pre, O_PATH | O_DIRECTORY, 0,
		    PATH_BENEATH, 0);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (errno != ENOENT ||
		    (pb = path_split(pre, pd, sizeof pd)) == NULL)
			return -1;
		pfd = path_open(x->dstfd, pd, O_PATH | O_DIRECTORY, 0,
		    PATH_BENEATH, 0);
		if (pfd < 0)
			return -1;
		if (mkdirat(pfd, pb, 0755 & ~x->o->umask) < 0 &&
		    errno != EEXIST) {
			close(pfd);
			return -1;
		}
		close(pfd);
	}
	return 0;
}

/* The parent directory of rel (a clean relative path) below the
 * destination, made if missing; kept open in x->pfd.  *base gets the
 * last component.  Returns its descriptor, or -1 with err set. */
static int
parent_dir(struct extract *x, const char *rel, const char **base)
{
	char		 dir[PATH_MAX];
	int		 fd;

	if ((*base = path_split(rel, dir, sizeof dir)) == NULL)
		return tar_fail(x->err, AE_INVALID_ARGUMENT, ENAMETOOLONG,
		    "'%s': name too long", rel);
	if (x->pfd >= 0 && strcmp(dir, x->pdir) == 0)
		return x->pfd;
	fd = path_open(x->dstfd, dir, O_PATH | O_DIRECTORY, 0, PATH_BENEATH, 0);
	if (fd < 0 && errno == ENOENT && make_dirs(x, dir) == 0)
		fd = path_open(x->dstfd, dir, O_PATH | O_DIRECTORY, 0,
		    PATH_BENEATH, 0);
	if (fd < 0)
		return tar_fail(x->err, AE_OK, errno, "cannot create '%s': "
		    "'%s': %s", rel, dir, why(errno));
	if (x->pfd >= 0)
		close(x->pfd);
	x->pfd = fd;
	snprintf(x->pdir, sizeof x->pdir, "%s", dir);
	return fd;
}

/* Remember a directory's metadata for the end. */
static int
add_fixup(struct extract *x, const char *rel, const struct file_meta *m,
    int created)
{
	struct dir_fixup	*d;

	if (x->ndirs == x->adirs) {
		size_t	 n = x->adirs ? x->adirs * 2 : 64;

		if ((d = reallocarray(x->dirs, n, sizeof *d)) == NULL)
			return tar_fail(x->err, AE_RESOURCE_EXHAUSTED, ENOMEM,
			    "out of memory");
		x->dirs = d;
		x->adirs = n;
	}
	d = &x->dirs[x->ndirs];
	if ((d->rel = strdup(rel)) == NULL)
		return tar_fail(x->err, AE_RESOURCE_EXHAUSTED, ENOMEM,
		    "out of memory");
	d->mode = m->mode;
	d->uid = m->uid;
	d->gid = m->gid;
	d->ts[0] = m->atime;
	d->ts[1] = m->mtime;
	d->created = created;
	x->ndirs++;
	return 0;
}

/* Apply the directories' metadata, deepest (latest) first. */
static int
apply_fixups(struct extract *x)
{
	struct file_meta	 m;
	struct dir_fixup	*d;
	int			 fd, r = 0;

	while (x->ndirs > 0) {
		d = &x->dirs[--x->ndirs];
		if (r == 0 && (d->created || x->o->keep_mode ||
		    x->o->keep_times || x->o->keep_owner)) {
			fd = path_open(x->dstfd, d->rel, O_RDONLY | O_DIRECTORY,
			    0, PATH_BENEATH, 1);
			m.mode = d->mode;
			m.uid = d->uid;
			m.gid = d->gid;
			m.atime = d->ts[0];
			m.mtime = d->ts[1];
			if (fd < 0 || apply_meta_fd(fd, &m, x->o) < 0)
				r = tar_fail(x->err, AE_OK, errno, "cannot set "
				    "the attributes of '%s': %s", d->rel,
				    why(errno));
			if (fd >= 0)
				close(fd);
		}
		free(d->rel);
	}
	return r;
}

/* Rename tmp over base in pfd (the last step of every non-directory). */
static int
commit(struct extract *x, int pfd, const char *tmp, const char *base,
    const char *rel)
{
	int	 e;

	if (renameat(pfd, tmp, pfd, base) == 0)
		return 0;
	e = errno;
	unlinkat(pfd, tmp, 0);
	if (e == EISDIR)
		return tar_fail(x->err, AE_CONFLICT, e, "cannot overwrite "
		    "directory '%s' with a non-directory", rel);
	return tar_fail(x->err, AE_OK, e, "cannot create '%s': %s", rel,
	    strerror(e));
}

/* Owner and times of a non-directory made at pfd/tmp (not followed). */
static int
meta_at(struct extract *x, int pfd, const char *tmp,
    const struct file_meta *m, int setmode)
{
	struct timespec	 ts[2];

	if (x->o->keep_owner && fchownat(pfd, tmp, m->uid, m->gid,
	    AT_SYMLINK_NOFOLLOW) < 0 && !(errno == EPERM && geteuid() != 0))
		return -1;
	if (setmode && fchmodat(pfd, tmp, x->o->keep_mode ? m->mode & 07777 :
	    m->mode & 07777 & ~x->o->umask, 0) < 0)
		return -1;
	if (x->o->keep_times) {
		ts[0] = m->atime;
		ts[1] = m->mtime;
		if (utimensat(pfd, tmp, ts, AT_SYMLINK_NOFOLLOW) < 0)
			return -1;
	}
	return 0;
}

/* Write the data of the current entry into fd (sparse holes kept). */
static int
entry_data(struct extract *x, struct archive *a, int fd, int64_t size,
    const char *rel)
{
	const void	*buf;
	size_t		 len;
	la_int64_t	 off, end = 0;
	ssize_t		 w;
	size_t		 done;
	int		 r;

	for (;;) {
		r = archive_read_data_block(a, &buf, &len, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN)
			return tar_fail(x->err, AE_INVALID_ARGUMENT, 0,
			    "'%s': bad archive: %s", rel,
			    archive_error_string(a));
		x->st->bytes += len;
		if (x->o->max_bytes && x->st->bytes > x->o->max_bytes)
			return tar_fail(x->err, AE_RESOURCE_EXHAUSTED, EFBIG,
			    "the archive holds more than the limit of %llu "
			    "bytes", (unsigned long long)x->o->max_bytes);
		for (done = 0; done < len; done += (size_t)w) {
			w = pwrite(fd, (const char *)buf + done, len - done,
			    off + (off_t)done);
			if (w < 0)
				return tar_fail(x->err, AE_OK, errno, "cannot "
				    "write '%s': %s", rel, strerror(errno));
		}
		if (off + (la_int64_t)len > end)
			end = off + (la_int64_t)len;
		if (x->o->progress)
			x->o->progress(x->st, x->o->progress_arg);
	}
	if (size > end && ftruncate(fd, size) < 0)
		return tar_fail(x->err, AE_OK, errno, "cannot write '%s': %s",
		    rel, strerror(errno));
	return 0;
}

/* Extract one entry (its header read).  Returns 0 or -1 with err set. */
static int
extract_entry(struct extract *x, struct archive *a, struct archive_entry *ae)
{
	char			 rel[PATH_MAX], lrel[PATH_MAX], ldir[PATH_MAX];
	char			 tmp[300];
	const char		*name, *base, *target, *lbase;
	struct file_meta	 m;
	mode_t			 type;
	int			 pfd, fd, lfd, r, e;

	if ((name = archive_entry_pathname(ae)) == NULL)
		return tar_fail(x->err, AE_INVALID_ARGUMENT, 0,
		    "an entry has no usable name");
	if (path_member_clean(name, rel, sizeof rel) < 0)
		return tar_fail(x->err, AE_INVALID_ARGUMENT, errno,
		    errno == ENAMETOOLONG ? "'%s': name too long" :
		    "'%s': absolute names and '..' are not accepted", name);
	type = archive_entry_filetype(ae);
	memset(&m, 0, sizeof m);
	m.mode = archive_entry_perm(ae);
	m.uid = (uid_t)archive_entry_uid(ae);
	m.gid = (gid_t)archive_entry_gid(ae);
	m.mtime.tv_sec = archive_entry_mtime(ae);
	m.mtime.tv_nsec = archive_entry_mtime_nsec(ae);
	if (archive_entry_atime_is_set(ae)) {
		m.atime.tv_sec = archive_entry_atime(ae);
		m.atime.tv_nsec = archive_entry_atime_nsec(ae);
	} else
		m.atime = m.mtime;
	/* Set-ID bits are refused when the archive's modes are to be kept;
	 * otherwise they are dropped, as cp drops them without -p. */
	if (!x->o->allow_special) {
		if ((m.mode & (S_ISUID | S_ISGID)) && type != AE_IFDIR &&
		    x->o->keep_mode)
			return tar_fail(x->err, AE_PERMISSION_DENIED, 0, "'%s': "
			    "set-user-ID and set-group-ID files are only kept "
			    "for root with -a", rel);
		m.mode &= ~(mode_t)(S_ISUID | S_ISGID);
	}
	if ((target = archive_entry_hardlink(ae)) != NULL)
		type = 0;
	else if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO) {
		if (!x->o->allow_special)
			return tar_fail(x->err, AE_PERMISSION_DENIED, 0, "'%s': "
			    "%s are only accepted for root with -a", rel,
			    type == AE_IFIFO ? "FIFOs" : "device nodes");
	} else if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)
		return tar_fail(x->err, AE_INVALID_ARGUMENT, 0, "'%s': this "
		    "kind of file is not accepted", rel);
	if (strcmp(rel, ".") == 0) {
		/* The destination itself: never replaced, never changed. */
		if (type != AE_IFDIR)
			return tar_fail(x->err, AE_INVALID_ARGUMENT, 0, "'%s': "
			    "names the destination itself", name);
		return 0;
	}
	if ((pfd = parent_dir(x, rel, &base)) < 0)
		return -1;
	if (type == AE_IFDIR) {
		if (mkdirat(pfd, base, 0700) == 0)
			return add_fixup(x, rel, &m, 1);
		if (errno != EEXIST)
			return tar_fail(x->err, AE_OK, errno, "cannot create "
			    "'%s': %s", rel, strerror(errno));
		fd = path_open(x->dstfd, rel, O_PATH | O_DIRECTORY, 0,
		    PATH_BENEATH, 0);
		if (fd < 0)
			return tar_fail(x->err, errno == ENOTDIR ? AE_CONFLICT :
			    AE_OK, errno, "cannot overwrite non-directory "
			    "'%s' with a directory%s%s", rel,
			    errno == ENOTDIR ? "" : ": ",
			    errno == ENOTDIR ? "" : why(errno));
		close(fd);
		return add_fixup(x, rel, &m, 0);
	}
	temp_name(tmp, sizeof tmp, base);
	switch (type) {
	case 0:		/* a hard link to an entry of the tree */
		if (path_member_clean(target, lrel, sizeof lrel) < 0 ||
		    strcmp(lrel, ".") == 0)
			return tar_fail(x->err, AE_INVALID_ARGUMENT, 0, "'%s': "
			    "hard link to '%s' leaves the destination", rel,
			    target);
		if ((lbase = path_split(lrel, ldir, sizeof ldir)) == NULL)
			return tar_fail(x->err, AE_INVALID_ARGUMENT, 0, "'%s': "
			    "name too long", target);
		lfd = path_open(x->dstfd, ldir, O_PATH | O_DIRECTORY, 0,
		    PATH_BENEATH, 0);
		if (lfd < 0)
			return tar_fail(x->err, AE_OK, errno, "'%s': hard link "
			    "to '%s': %s", rel, target, why(errno));
		r = linkat(lfd, lbase, pfd, tmp, 0);
		e = errno;
		close(lfd);
		if (r < 0)
			return tar_fail(x->err, AE_OK, e, "'%s': hard link to "
			    "'%s': %s", rel, target, strerror(e));
		break;
	case AE_IFLNK:
		if ((target = archive_entry_symlink(ae)) == NULL ||
		    strlen(target) >= PATH_MAX)
			return tar_fail(x->err, AE_INVALID_ARGUMENT, 0, "'%s': "
			    "bad symbolic link target", rel);
		if (symlinkat(target, pfd, tmp) < 0)
			return tar_fail(x->err, AE_OK, errno, "cannot create "
			    "'%s': %s", rel, strerror(errno));
		if (meta_at(x, pfd, tmp, &m, 0) < 0)
			goto fail_tmp;
		break;
	case AE_IFIFO:
	case AE_IFCHR:
	case AE_IFBLK:
		if (mknodat(pfd, tmp, type | 0600, archive_entry_rdev(ae)) < 0)
			return tar_fail(x->err, AE_OK, errno, "cannot create "
			    "'%s': %s", rel, strerror(errno));
		if (meta_at(x, pfd, tmp, &m, 1) < 0)
			goto fail_tmp;
		break;
	default:	/* AE_IFREG */
		fd = openat(pfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd < 0)
			return tar_fail(x->err, AE_OK, errno, "cannot create "
			    "'%s': %s", rel, strerror(errno));
		if (entry_data(x, a, fd, archive_entry_size_is_set(ae) ?
		    archive_entry_size(ae) : 0, rel) < 0) {
			close(fd);
			unlinkat(pfd, tmp, 0);
			return -1;
		}
		if (apply_meta_fd(fd, &m, x->o) < 0) {
			e = errno;
			close(fd);
			errno = e;
			goto fail_tmp;
		}
		if (close(fd) < 0)
			goto fail_tmp;
		break;
	}
	return commit(x, pfd, tmp, base, rel);
fail_tmp:
	e = errno;
	unlinkat(pfd, tmp, 0);
	return tar_fail(x->err, AE_OK, e, "cannot create '%s': %s", rel,
	    strerror(e));
}

/* See tar.h. */
int
tar_extract(int infd, int dstfd, const struct tar_opts *o,
    struct tar_stats *st, struct tar_error *err)
{
	struct archive		*a;
	struct archive_entry	*ae;
	struct extract		 x;
	int			 r, ret = -1;

	memset(&x, 0, sizeof x);
	x.dstfd = dstfd;
	x.o = o;
	x.st = st;
	x.err = err;
	x.pfd = -1;
	if ((a = archive_read_new()) == NULL)
		return tar_fail(err, AE_RESOURCE_EXHAUSTED, ENOMEM,
		    "out of memory");
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_filter_all(a);
	if (archive_read_open_fd(a, infd, READ_BLOCK) != ARCHIVE_OK) {
		tar_fail(err, AE_INVALID_ARGUMENT, archive_errno(a),
		    "cannot read the archive: %s", archive_error_string(a));
		goto out;
	}
	for (;;) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			tar_fail(err, AE_INVALID_ARGUMENT, archive_errno(a),
			    "bad archive: %s", archive_error_string(a));
			goto out;
		}
		if (o->max_entries && st->entries >= o->max_entries) {
			tar_fail(err, AE_RESOURCE_EXHAUSTED, 0, "the archive "
			    "holds more than the limit of %llu entries",
			    (unsigned long long)o->max_entries);
			goto out;
		}
		if (extract_entry(&x, a, ae) < 0)
			goto out;
		st->entries++;
	}
	ret = 0;
out:
	if (x.pfd >= 0)
		close(x.pfd);
	if (apply_fixups(&x) < 0)
		ret = -1;
	free(x.dirs);
	archive_read_free(a);
	return ret;
}
