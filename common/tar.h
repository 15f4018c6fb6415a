/* tar.h - confined tar streams (libarchive) and single-file copies.
 *
 * The same code serves both ends of a copy: the daemon extracts into and
 * archives from a cell's view (a root descriptor of the cell, PATH_IN_ROOT),
 * and ascp does the same on the local side.  An incoming archive is
 * hostile input wherever it is read:
 *   - every entry is created relative to the destination directory's
 *     descriptor, its parent opened with RESOLVE_BENEATH, and the last
 *     component made under a temporary name, then renamed: nothing is
 *     ever written through a symlink, and nothing outside the destination
 *     is touched;
 *   - names that are absolute or hold "..", hard links that leave the
 *     tree, device nodes, FIFOs, sockets and set-user/group-ID bits are
 *     refused (the last three groups are allowed with allow_special,
 *     which callers grant only to root asking to keep owners);
 *   - the number of entries and the bytes of data are capped.
 * A refused entry fails the whole copy with a one-line message. */
#ifndef AURAE_TAR_H
#define AURAE_TAR_H

#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "errcode.h"
#include "pathsafe.h"

/* What went wrong: a protocol code, the errno behind it (0 for a policy
 * refusal) and a one-line message naming the entry. */
struct tar_error {
	enum aurae_errcode	 code;
	int			 sys;
	char			 msg[512];
};

/* Counters, updated as the copy goes (progress callbacks read them). */
struct tar_stats {
	uint64_t	 entries;
	uint64_t	 bytes;		/* file data */
};

typedef void (*tar_progress_fn)(const struct tar_stats *, void *arg);

struct tar_opts {
	int		 keep_mode;	/* archive's permission bits (else & ~umask) */
	int		 keep_times;	/* mtime, atime */
	int		 keep_owner;	/* numeric uid, gid (else the creator's) */
	int		 allow_special;	/* devices, FIFOs, setuid/setgid */
	int		 follow;	/* tar_add: follow every symlink (-L) */
	mode_t		 umask;
	uint64_t	 max_entries;	/* 0: no cap */
	uint64_t	 max_bytes;	/* 0: no cap */
	tar_progress_fn	 progress;
	void		*progress_arg;
};

/* The metadata of a single file copied without an archive. */
struct file_meta {
	mode_t		 mode;		/* permission bits */
	uid_t		 uid;
	gid_t		 gid;
	struct timespec	 atime, mtime;
};

/* Extract the tar stream read from infd (any compression libarchive
 * knows) into the directory dstfd.  Returns 0, or -1 with *err set; what
 * was completely extracted before a failure stays. */
int	tar_extract(int infd, int dstfd, const struct tar_opts *,
	    struct tar_stats *, struct tar_error *);

/* A tar (pax) stream being written to a descriptor. */
struct tar_writer;

/* Start writing a stream to outfd.  Returns NULL with *err set. */
struct tar_writer *tar_writer_open(int outfd, const struct tar_opts *,
	    struct tar_stats *, struct tar_error *);
/* Add path, resolved in rootfd under scope (PATH_HOST: plain paths), as
 * the archive member name (a clean relative name; "." puts the contents
 * of a directory at the top), recursively.  follow_top follows a symlink
 * named by path itself (the trailing-slash rule) even without
 * opts->follow.  Returns 0, or -1 with *err set. */
int	tar_add(struct tar_writer *, int rootfd, enum path_scope,
	    const char *path, const char *name, int follow_top,
	    struct tar_error *);
/* Finish the stream (end-of-archive blocks) and free the writer; with
 * abort, nothing more is written.  Returns 0, or -1 with *err set. */
int	tar_writer_close(struct tar_writer *, int abort, struct tar_error *);

/* Copy the regular file srcfd into directory dirfd as name (one
 * component): written under a temporary name with copy_file_range
 * (falling back to a read/write loop), metadata applied per opts from
 * meta, then renamed over name.  Reads srcfd from its current offset
 * to EOF, so a caller that shares the open file can watch the progress
 * with lseek().  Returns 0, or -1 with *err set and nothing left
 * behind. */
int	tar_put_file(int dirfd, const char *name, int srcfd,
	    const struct file_meta *, const struct tar_opts *,
	    struct tar_stats *, struct tar_error *);

/* Fill err; returns -1.  code AE_OK picks one from sys. */
int	tar_fail(struct tar_error *, enum aurae_errcode, int sys,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
