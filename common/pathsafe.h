/* pathsafe.h - confined path resolution and archive member names.
 *
 * Every path that comes from a cell, an archive or a client and is used
 * on a filesystem that another party controls goes through these:
 * openat2() with RESOLVE_IN_ROOT (a cell's view: ".." and absolute
 * symlinks stay inside the root) or RESOLVE_BENEATH (an extraction
 * directory: anything that would leave it fails with EXDEV), always with
 * RESOLVE_NO_MAGICLINKS, so /proc/<pid>/root style links are refused.
 * Every descriptor returned is O_CLOEXEC and belongs to the caller. */
#ifndef AURAE_PATHSAFE_H
#define AURAE_PATHSAFE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* How a path is confined. */
enum path_scope {
	PATH_IN_ROOT,	/* dirfd is "/": clamp, never escape */
	PATH_BENEATH,	/* dirfd is a boundary: refuse to cross it */
	PATH_HOST,	/* the caller's own files: plain openat() */
};

/* openat2(dirfd, path, flags | O_CLOEXEC, mode) confined by scope; with
 * nofollow the last component is not followed (O_NOFOLLOW semantics; with
 * O_PATH that opens a symlink itself).  Returns a descriptor, or -1 with
 * errno (EXDEV for an escape under PATH_BENEATH, ENOSYS when the kernel
 * has no openat2). */
int	path_open(int dirfd, const char *path, int flags, mode_t mode,
	    enum path_scope, int nofollow);

/* Open the regular file at path for reading without ever opening
 * anything else (no FIFO, device or socket is opened, not even for an
 * instant): O_PATH first, fstat, then a reopen through /proc/self/fd.
 * *st receives its status.  Returns a descriptor or -1 (EINVAL when it is
 * not a regular file). */
int	path_open_regular(int dirfd, const char *path, enum path_scope,
	    int nofollow, struct stat *st);

/* Reopen an O_PATH descriptor with flags (O_RDONLY, O_DIRECTORY...). */
int	path_reopen(int opath_fd, int flags);

/* Normalise an archive member name into out (len bytes): "./" prefixes,
 * empty and "." components and repeated or trailing slashes are dropped;
 * "" (the archive's top itself) becomes ".".  Refused with -1: an absolute
 * name, any ".." component, a name longer than len - 1.  Returns 0. */
int	path_member_clean(const char *in, char *out, size_t len);

/* Split a clean relative path at its last slash: *dir gets "." when there
 * is none.  dir is written into dbuf (dlen bytes); returns the last
 * component (a pointer into path), or NULL when it does not fit. */
const char *path_split(const char *path, char *dbuf, size_t dlen);

#endif
