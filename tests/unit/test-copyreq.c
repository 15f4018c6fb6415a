/* test-copyreq.c - the job auraed hands to aurae-copy: every field survives
 * the round trip, and the decoder refuses what is malformed or out of
 * range instead of reading past its buffer. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copyreq.h"
#include "tap.h"

/* A put of a file with every field set. */
static void
put_file_req(struct copy_req *r)
{
	memset(r, 0, sizeof *r);
	r->op = COPY_PUT_FILE;
	r->cell = "web/a";
	r->path = "/srv/www";
	r->name = "index.html";
	r->meta.mode = 04755;
	r->meta.uid = 1000;
	r->meta.gid = 0xfffffffe;
	r->meta.mtime.tv_sec = -5;
	r->meta.mtime.tv_nsec = 999999999;
	r->meta.atime.tv_sec = 1LL << 40;
	r->meta.atime.tv_nsec = 1;
	r->opts.keep_mode = 1;
	r->opts.keep_owner = 1;
	r->opts.allow_special = 1;
	r->opts.umask = 027;
	r->opts.max_entries = 10;
	r->opts.max_bytes = 1ULL << 50;
}

/* Decode len bytes of a copy (so that a read past them is ASan's to see);
 * returns decode's result, the reason in msg. */
static int
decode_copy(const char *buf, size_t len, struct copy_req *r, char *msg,
    size_t msglen)
{
	char	*copy = malloc(len ? len : 1);
	int	 rv;

	memcpy(copy, buf, len);
	rv = copyreq_decode(copy, len, r, msg, msglen);
	free(r->src);
	r->src = NULL;
	free(copy);
	return rv;
}

/* The wire header of buf, modified by fn, must be refused. */
static void
refuse_header(const char *buf, size_t len, void (*fn)(struct copy_wire *),
    const char *what)
{
	struct copy_req	 r;
	struct copy_wire w;
	char		*copy = malloc(len), msg[256] = "";

	memcpy(copy, buf, len);
	memcpy(&w, copy, sizeof w);
	fn(&w);
	memcpy(copy, &w, sizeof w);
	ok(decode_copy(copy, len, &r, msg, sizeof msg) < 0, "refused: %s (%s)",
	    what, msg);
	free(copy);
}

static void bad_magic(struct copy_wire *w) { w->magic ^= 1; }
static void bad_version(struct copy_wire *w) { w->version++; }
static void bad_op(struct copy_wire *w) { w->op = 9; }
static void bad_flags(struct copy_wire *w) { w->flags |= 0x100; }
static void bad_umask(struct copy_wire *w) { w->umask = 01000; }
static void bad_mode(struct copy_wire *w) { w->mode = 010000; }
static void bad_uid(struct copy_wire *w) { w->uid = UINT32_MAX; }
static void bad_nsec(struct copy_wire *w) { w->mtime_nsec = 1000000000; }
static void bad_time(struct copy_wire *w) { w->atime = (1LL << 40) + 1; }
static void bad_nsrc(struct copy_wire *w) { w->nsrc = 1; }
static void tar_op(struct copy_wire *w) { w->op = COPY_PUT_TAR; }
static void many_src(struct copy_wire *w) { w->nsrc = COPY_MAX_SOURCES + 1; }

int
main(void)
{
	struct copy_source	 src[3] = {
		{ "/etc", "etc", 0 },
		{ "/var/log/", "logs/old", 1 },
		{ "", ".", 0 },
	};
	struct copy_req		 r, d;
	char			*buf, *big, msg[256];
	size_t			 len, i;
	char			 longpath[PATH_MAX + 1];

	/* A put of one file: every field comes back. */
	put_file_req(&r);
	ok(copyreq_encode(&r, &buf, &len) == 0, "encode a put of a file");
	ok(copyreq_decode(buf, len, &d, msg, sizeof msg) == 0,
	    "decode it back");
	ok(d.op == COPY_PUT_FILE && strcmp(d.cell, "web/a") == 0 &&
	    strcmp(d.path, "/srv/www") == 0 &&
	    strcmp(d.name, "index.html") == 0, "op, cell, path and name");
	ok(d.meta.mode == 04755 && d.meta.uid == 1000 &&
	    d.meta.gid == 0xfffffffe && d.meta.mtime.tv_sec == -5 &&
	    d.meta.mtime.tv_nsec == 999999999 &&
	    d.meta.atime.tv_sec == 1LL << 40 && d.meta.atime.tv_nsec == 1,
	    "the file's metadata");
	ok(d.opts.keep_mode && !d.opts.keep_times && d.opts.keep_owner &&
	    d.opts.allow_special && !d.opts.follow && d.opts.umask == 027 &&
	    d.opts.max_entries == 10 && d.opts.max_bytes == 1ULL << 50 &&
	    d.opts.progress == NULL, "the options");
	free(d.src);

	/* Every header field out of range, and short or long buffers. */
	refuse_header(buf, len, bad_magic, "another magic");
	refuse_header(buf, len, bad_version, "another version");
	refuse_header(buf, len, bad_op, "an unknown operation");
	refuse_header(buf, len, bad_flags, "an unknown flag");
	refuse_header(buf, len, bad_umask, "a umask above 0777");
	refuse_header(buf, len, bad_mode, "a mode above 07777");
	refuse_header(buf, len, bad_uid, "uid -1");
	refuse_header(buf, len, bad_nsec, "a second's worth of nanoseconds");
	refuse_header(buf, len, bad_time, "a time beyond 2^40");
	refuse_header(buf, len, bad_nsrc, "sources in a put");
	refuse_header(buf, len, tar_op, "a stream put with a file name");
	for (i = 0; i < len; i++)
		if (decode_copy(buf, i, &d, msg, sizeof msg) == 0)
			break;
	ok(i == len, "every truncation is refused (first accepted: %zu of "
	    "%zu)", i, len);
	big = malloc(len + 1);
	memcpy(big, buf, len);
	big[len] = 'x';
	ok(decode_copy(big, len + 1, &d, msg, sizeof msg) < 0,
	    "a byte after the last string is refused (%s)", msg);
	/* Without its last NUL, the name runs to the end of the buffer. */
	big[len - 1] = 'x';
	ok(decode_copy(big, len, &d, msg, sizeof msg) < 0,
	    "an unterminated string is refused (%s)", msg);
	free(big);
	free(buf);

	/* A stream put has an empty name. */
	put_file_req(&r);
	r.op = COPY_PUT_TAR;
	r.name = NULL;
	ok(copyreq_encode(&r, &buf, &len) == 0 &&
	    copyreq_decode(buf, len, &d, msg, sizeof msg) == 0 &&
	    d.op == COPY_PUT_TAR && strcmp(d.name, "") == 0,
	    "a stream put round trip");
	free(buf);

	/* A get: the sources in order, with their flags. */
	memset(&r, 0, sizeof r);
	r.op = COPY_GET;
	r.cell = "db";
	r.opts.follow = 1;
	r.opts.keep_times = 1;
	r.nsrc = 3;
	r.src = src;
	ok(copyreq_encode(&r, &buf, &len) == 0, "encode a get of 3 sources");
	ok(copyreq_decode(buf, len, &d, msg, sizeof msg) == 0 &&
	    d.op == COPY_GET && d.nsrc == 3 && d.opts.follow &&
	    d.opts.keep_times, "decode it back (%s)", msg);
	for (i = 0; i < 3 && d.src != NULL; i++)
		ok(strcmp(d.src[i].path, src[i].path) == 0 &&
		    strcmp(d.src[i].name, src[i].name) == 0 &&
		    d.src[i].follow_top == src[i].follow_top,
		    "source %zu: '%s' as '%s', follow %d", i + 1,
		    d.src[i].path, d.src[i].name, d.src[i].follow_top);
	free(d.src);
	refuse_header(buf, len, many_src, "more sources than the cap");
	for (i = 0; i < len; i++)
		if (decode_copy(buf, i, &d, msg, sizeof msg) == 0)
			break;
	ok(i == len, "every truncation of a get is refused");
	free(buf);

	/* Member names must already be clean; flags are 0 or 1. */
	src[1].name = "../up";
	ok(copyreq_encode(&r, &buf, &len) == 0 &&
	    decode_copy(buf, len, &d, msg, sizeof msg) < 0,
	    "a member name with '..' is refused (%s)", msg);
	free(buf);
	src[1].name = "logs//old";
	ok(copyreq_encode(&r, &buf, &len) == 0 &&
	    decode_copy(buf, len, &d, msg, sizeof msg) < 0,
	    "a member name that is not clean is refused (%s)", msg);
	free(buf);
	src[1].name = "logs/old";
	src[1].follow_top = 2;
	ok(copyreq_encode(&r, &buf, &len) == 0, "encode follow_top 2 as 1");
	ok(decode_copy(buf, len, &d, msg, sizeof msg) == 0,
	    "and it decodes");
	free(buf);

	/* The encoder refuses what cannot be sent. */
	memset(longpath, 'a', PATH_MAX);
	longpath[PATH_MAX] = '\0';
	src[0].path = longpath;
	errno = 0;
	ok(copyreq_encode(&r, &buf, &len) < 0 && errno == ENAMETOOLONG,
	    "a source path of PATH_MAX bytes is not encoded");
	put_file_req(&r);
	r.nsrc = 1;
	errno = 0;
	ok(copyreq_encode(&r, &buf, &len) < 0 && errno == EINVAL,
	    "a put with sources is not encoded");
	return done_testing();
}
