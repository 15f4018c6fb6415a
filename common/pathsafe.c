/* pathsafe.c - confined path resolution (openat2) and member names. */
#include "pathsafe.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* See pathsafe.h. */
int
path_open(int dirfd, const char *path, int flags, mode_t mode,
    enum path_scope scope, int nofollow)
{
	struct open_how	 how;

	if (*path == '\0')
		path = ".";
	if (scope == PATH_HOST)
		return openat(dirfd, path, flags | O_CLOEXEC |
		    (nofollow ? O_NOFOLLOW : 0), mode);
	memset(&how, 0, sizeof how);
	how.flags = (uint64_t)(flags | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
	if (flags & (O_CREAT | O_TMPFILE))
		how.mode = mode & 07777;	/* openat2 refuses type bits */
	how.resolve = RESOLVE_NO_MAGICLINKS | (scope == PATH_IN_ROOT ?
	    RESOLVE_IN_ROOT : RESOLVE_BENEATH);
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

/* See pathsafe.h. */
int
path_reopen(int opath_fd, int flags)
{
	char	 proc[64];

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", opath_fd);
	return open(proc, flags | O_CLOEXEC);
}

/* See pathsafe.h. */
int
path_open_regular(int dirfd, const char *path, enum path_scope scope,
    int nofollow, struct stat *st)
{
	int	 p, fd, e;

	if ((p = path_open(dirfd, path, O_PATH, 0, scope, nofollow)) < 0)
		return -1;
	if (fstat(p, st) < 0) {
		e = errno;
		close(p);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		close(p);
		errno = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	fd = path_reopen(p, O_RDONLY | O_NOCTTY);
	e = errno;
	close(p);
	errno = e;
	return fd;
}

/* See pathsafe.h. */
int
path_member_clean(const char *in, char *out, size_t len)
{
	const char	*p = in, *e;
	size_t		 o = 0, n;

	if (*in == '/') {
		errno = EPERM;
		return -1;
	}
	while (*p != '\0') {
		e = p + strcspn(p, "/");
		n = (size_t)(e - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			errno = EPERM;
			return -1;
		}
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (o + (o > 0) + n + 1 > len) {
				errno = ENAMETOOLONG;
				return -1;
			}
			if (o > 0)
				out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p = *e ? e + 1 : e;
	}
	if (o == 0) {
		if (len < 2) {
			errno = ENAMETOOLONG;
			return -1;
		}
		out[o++] = '.';
	}
	out[o] = '\0';
	return 0;
}

/* See pathsafe.h. */
const char *
path_split(const char *path, char *dbuf, size_t dlen)
{
	const char	*slash = strrchr(path, '/');
	size_t		 n;

	if (slash == NULL) {
		if (dlen < 2)
			return NULL;
		strcpy(dbuf, ".");
		return path;
	}
	n = (size_t)(slash - path);
	if (n + 1 > dlen)
		return NULL;
	memcpy(dbuf, path, n);
	dbuf[n] = '\0';
	return slash + 1;
}
