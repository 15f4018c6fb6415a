/* copyreq.c - encoding and checked decoding of a copy helper's job. */
#include "copyreq.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pathsafe.h"

/* Bounds of the metadata of a placed file (those files.put accepts). */
#define META_TIME_MAX	(1LL << 40)
#define NSEC_MAX	999999999U

/* Copy the n bytes of s and a NUL to p; returns the byte after them. */
static char *
put_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	p[n] = '\0';
	return p + n + 1;
}

/* See copyreq.h. */
int
copyreq_encode(const struct copy_req *r, char **out, size_t *outlen)
{
	struct copy_wire	 w;
	const char		*name = r->name != NULL ? r->name : "";
	size_t			 len, i, lc, lp = 0, ln = 0;
	char			*buf, *p;

	*out = NULL;
	*outlen = 0;
	if (r->op != COPY_PUT_TAR && r->op != COPY_PUT_FILE &&
	    r->op != COPY_GET) {
		errno = EINVAL;
		return -1;
	}
	if ((r->op == COPY_GET) != (r->nsrc > 0) ||
	    r->nsrc > COPY_MAX_SOURCES) {
		errno = EINVAL;
		return -1;
	}
	if ((lc = strlen(r->cell)) > COPY_CELL_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	len = sizeof w + lc + 1;
	if (r->op != COPY_GET) {
		lp = strlen(r->path);
		ln = strlen(name);
		if (lp >= PATH_MAX || ln > NAME_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		len += lp + 1 + ln + 1;
	}
	for (i = 0; i < r->nsrc; i++) {
		if (strlen(r->src[i].path) >= PATH_MAX ||
		    strlen(r->src[i].name) >= PATH_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		len += 1 + strlen(r->src[i].path) + 1 +
		    strlen(r->src[i].name) + 1;
	}

	memset(&w, 0, sizeof w);
	w.magic = COPY_REQ_MAGIC;
	w.version = COPY_REQ_VERSION;
	w.op = (uint16_t)r->op;
	w.flags = (r->opts.keep_mode ? COPY_F_KEEP_MODE : 0) |
	    (r->opts.keep_times ? COPY_F_KEEP_TIMES : 0) |
	    (r->opts.keep_owner ? COPY_F_KEEP_OWNER : 0) |
	    (r->opts.allow_special ? COPY_F_ALLOW_SPECIAL : 0) |
	    (r->opts.follow ? COPY_F_FOLLOW : 0);
	w.umask = (uint32_t)r->opts.umask;
	w.nsrc = (uint32_t)r->nsrc;
	w.mode = (uint32_t)r->meta.mode;
	w.uid = (uint32_t)r->meta.uid;
	w.gid = (uint32_t)r->meta.gid;
	w.atime = (int64_t)r->meta.atime.tv_sec;
	w.atime_nsec = (uint32_t)r->meta.atime.tv_nsec;
	w.mtime = (int64_t)r->meta.mtime.tv_sec;
	w.mtime_nsec = (uint32_t)r->meta.mtime.tv_nsec;
	w.max_entries = r->opts.max_entries;
	w.max_bytes = r->opts.max_bytes;

	if ((buf = malloc(len)) == NULL)
		return -1;
	memcpy(buf, &w, sizeof w);
	p = put_str(buf + sizeof w, r->cell, lc);
	if (r->op != COPY_GET) {
		p = put_str(p, r->path, lp);
		p = put_str(p, name, ln);
	}
	for (i = 0; i < r->nsrc; i++) {
		*p++ = r->src[i].follow_top ? 1 : 0;
		p = put_str(p, r->src[i].path, strlen(r->src[i].path));
		p = put_str(p, r->src[i].name, strlen(r->src[i].name));
	}
	*out = buf;
	*outlen = len;
	return 0;
}

/* A decoding failure: the reason into msg; returns -1. */
static int
bad(char *msg, size_t msglen, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	return -1;
}

/* The NUL-terminated string at *p, shorter than max, not past end;
 * advances *p over it.  NULL when there is none. */
static const char *
get_str(const char **p, const char *end, size_t max)
{
	const char	*s = *p, *nul;

	if (s >= end || (nul = memchr(s, '\0', (size_t)(end - s))) == NULL ||
	    (size_t)(nul - s) >= max)
		return NULL;
	*p = nul + 1;
	return s;
}

/* See copyreq.h. */
int
copyreq_decode(const char *buf, size_t len, struct copy_req *r, char *msg,
    size_t msglen)
{
	struct copy_wire	 w;
	const char		*p, *end = buf + len;
	char			 clean[PATH_MAX];
	size_t			 i;

	memset(r, 0, sizeof *r);
	if (len < sizeof w || len > COPY_REQ_MAX)
		return bad(msg, msglen, "a request of %zu bytes", len);
	memcpy(&w, buf, sizeof w);
	if (w.magic != COPY_REQ_MAGIC || w.version != COPY_REQ_VERSION)
		return bad(msg, msglen, "a request of another version (magic "
		    "%#x, version %u; this helper speaks %u)", w.magic,
		    w.version, COPY_REQ_VERSION);
	if (w.op != COPY_PUT_TAR && w.op != COPY_PUT_FILE && w.op != COPY_GET)
		return bad(msg, msglen, "unknown operation %u", w.op);
	if ((w.flags & ~(uint32_t)COPY_F_ALL) != 0 || w.umask > 0777 ||
	    w.mode > 07777 || w.uid == UINT32_MAX || w.gid == UINT32_MAX ||
	    w.atime_nsec > NSEC_MAX || w.mtime_nsec > NSEC_MAX ||
	    w.atime < -META_TIME_MAX || w.atime > META_TIME_MAX ||
	    w.mtime < -META_TIME_MAX || w.mtime > META_TIME_MAX)
		return bad(msg, msglen, "a request with a field out of range");
	if ((w.op == COPY_GET) != (w.nsrc > 0) || w.nsrc > COPY_MAX_SOURCES)
		return bad(msg, msglen, "a request with %u sources", w.nsrc);

	r->op = (enum copy_op)w.op;
	r->opts.keep_mode = (w.flags & COPY_F_KEEP_MODE) != 0;
	r->opts.keep_times = (w.flags & COPY_F_KEEP_TIMES) != 0;
	r->opts.keep_owner = (w.flags & COPY_F_KEEP_OWNER) != 0;
	r->opts.allow_special = (w.flags & COPY_F_ALLOW_SPECIAL) != 0;
	r->opts.follow = (w.flags & COPY_F_FOLLOW) != 0;
	r->opts.umask = (mode_t)w.umask;
	r->opts.max_entries = w.max_entries;
	r->opts.max_bytes = w.max_bytes;
	r->meta.mode = (mode_t)w.mode;
	r->meta.uid = (uid_t)w.uid;
	r->meta.gid = (gid_t)w.gid;
	r->meta.atime.tv_sec = (time_t)w.atime;
	r->meta.atime.tv_nsec = (long)w.atime_nsec;
	r->meta.mtime.tv_sec = (time_t)w.mtime;
	r->meta.mtime.tv_nsec = (long)w.mtime_nsec;

	p = buf + sizeof w;
	if ((r->cell = get_str(&p, end, COPY_CELL_MAX + 1)) == NULL)
		return bad(msg, msglen, "a request without a cell name");
	if (r->op != COPY_GET) {
		if ((r->path = get_str(&p, end, PATH_MAX)) == NULL ||
		    (r->name = get_str(&p, end, NAME_MAX + 1)) == NULL)
			return bad(msg, msglen, "a put without a path and name");
		if ((r->op == COPY_PUT_TAR) != (*r->name == '\0') ||
		    strchr(r->name, '/') != NULL || strcmp(r->name, ".") == 0 ||
		    strcmp(r->name, "..") == 0)
			return bad(msg, msglen, "a put with a bad file name");
	} else {
		if ((r->src = calloc(w.nsrc, sizeof *r->src)) == NULL)
			return bad(msg, msglen, "out of memory");
		r->nsrc = w.nsrc;
		for (i = 0; i < r->nsrc; i++) {
			if (p >= end || (unsigned char)*p > 1)
				break;
			r->src[i].follow_top = *p++;
			if ((r->src[i].path = get_str(&p, end, PATH_MAX)) ==
			    NULL ||
			    (r->src[i].name = get_str(&p, end, PATH_MAX)) ==
			    NULL)
				break;
			/* A member name must already be clean. */
			if (path_member_clean(r->src[i].name, clean,
			    sizeof clean) < 0 ||
			    strcmp(clean, r->src[i].name) != 0)
				break;
		}
		if (i < r->nsrc) {
			free(r->src);
			r->src = NULL;
			r->nsrc = 0;
			return bad(msg, msglen, "a get with a bad source %zu",
			    i + 1);
		}
	}
	if (p != end) {
		free(r->src);
		r->src = NULL;
		r->nsrc = 0;
		return bad(msg, msglen, "a request with %zu bytes too many",
		    (size_t)(end - p));
	}
	return 0;
}
