/* copyreq.h - the job auraed hands to its copy helper, and the answer.
 *
 * auraed checks the parameters of files.put and files.get, then hands the
 * work to aurae-copy (daemon/copy/), the only one of its programs that
 * links libarchive.  The helper gets, in one SCM_RIGHTS message on its
 * socket (COPY_SOCK_FD): the cell's root, the data descriptor, and a
 * memory file holding the request encoded here; it writes back exactly
 * one struct copy_result.
 *
 * Both ends come from one build and one machine, so the encoding is the
 * machine's own: a fixed header (struct copy_wire), then NUL-terminated
 * strings.  The decoder still checks every field, length and bound, and
 * that nothing follows the last string. */
#ifndef AURAE_COPYREQ_H
#define AURAE_COPYREQ_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "tar.h"

#define COPY_REQ_MAGIC		0x41435251	/* "ACRQ" */
#define COPY_REQ_VERSION	1
/* The helper's end of its socket to auraed. */
#define COPY_SOCK_FD		3
/* Most sources one files.get may name. */
#define COPY_MAX_SOURCES	256
/* Longest cell name carried (for messages only). */
#define COPY_CELL_MAX		255
/* Largest request: the header, a cell name, and every source's flag, path
 * and name at their longest. */
#define COPY_REQ_MAX		(sizeof(struct copy_wire) + COPY_CELL_MAX + \
	1 + COPY_MAX_SOURCES * (1 + 2 * PATH_MAX))

enum copy_op {
	COPY_PUT_TAR = 1,	/* extract the stream into path */
	COPY_PUT_FILE,		/* place the file as path/name */
	COPY_GET,		/* archive the sources into the stream */
};

/* One source of a get. */
struct copy_source {
	const char	*path;		/* in the cell's view */
	const char	*name;		/* a clean member name */
	int		 follow_top;
};

/* A job, decoded.  Strings point into the buffer it was decoded from (or
 * the caller's own, to encode); src is allocated by copyreq_decode(). */
struct copy_req {
	enum copy_op		 op;
	const char		*cell;		/* for messages */
	const char		*path;		/* put: the directory */
	const char		*name;		/* COPY_PUT_FILE: the file */
	struct file_meta	 meta;		/* COPY_PUT_FILE */
	struct tar_opts		 opts;		/* no progress callback */
	size_t			 nsrc;		/* COPY_GET */
	struct copy_source	*src;
};

/* The fixed header; the strings follow: cell, then for a put path and
 * name ("" for a stream), for a get per source one byte follow_top (0 or
 * 1), path and name. */
struct copy_wire {
	uint32_t	 magic;
	uint16_t	 version;
	uint16_t	 op;
	uint32_t	 flags;		/* COPY_F_* */
	uint32_t	 umask;
	uint32_t	 nsrc;
	uint32_t	 mode, uid, gid;
	uint32_t	 atime_nsec, mtime_nsec;
	int64_t		 atime, mtime;
	uint64_t	 max_entries, max_bytes;
};

#define COPY_F_KEEP_MODE	0x01
#define COPY_F_KEEP_TIMES	0x02
#define COPY_F_KEEP_OWNER	0x04
#define COPY_F_ALLOW_SPECIAL	0x08
#define COPY_F_FOLLOW		0x10
#define COPY_F_ALL		0x1f

/* What the helper writes on its socket: exactly one of these. */
struct copy_result {
	struct tar_stats	 st;
	struct tar_error	 err;
	int			 failed;
};

/* Encode req into a new buffer (*out, *outlen; the caller frees it).
 * Returns 0, or -1 with errno: EINVAL for a field out of range,
 * ENAMETOOLONG for a string too long, ENOMEM. */
int	copyreq_encode(const struct copy_req *, char **out, size_t *outlen);
/* Decode the len bytes at buf into *req, whose strings then point into
 * buf; free req->src once done.  Returns 0, or -1 with a reason in msg
 * (msglen bytes). */
int	copyreq_decode(const char *buf, size_t len, struct copy_req *,
	    char *msg, size_t msglen);

#endif
