/* ascp.c - copy files into and out of cells, scp-like.
 *
 *	ascp [-r] [-p] [-a] [-L|-P] [-q] [-H ADDRESS] SRC... DST
 *
 * Either side may be CELL:PATH; "-" is a tar stream on stdin (as the
 * source, into a cell directory) or stdout (as the destination, of one
 * cell path), as with docker cp.  Directories need -r and follow cp -r's
 * rules: a destination directory that exists receives SRC's last
 * component, one that does not is created as a copy of SRC, and SRC/.
 * copies the contents.
 *
 * How the bytes travel (see docs/FILES.md):
 *   - a single regular file: its descriptor is passed to the daemon, or
 *     comes back from it, and is copied with copy_file_range into a
 *     temporary name, then renamed; no byte passes through JSON;
 *   - anything else: a tar stream (libarchive) through a pipe whose other
 *     end is passed to the daemon, which extracts it into, or archives it
 *     from, the cell's own view of the filesystem in a worker process.
 * Both directions treat the incoming archive as hostile (tar.h): the
 * daemon for what comes in from here, ascp for what comes out of the
 * cell.
 *
 * Exit status: 0; 1 when a copy failed (the others still run); 2 for a
 * usage error; 255 when auraed cannot be reached or the connection is
 * lost. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <aurae/client.h>

#include "config.h"
#include "copyspec.h"
#include "i18n.h"
#include "options.h"
#include "progress.h"
#include "tar.h"
#include "toolmain.h"

#define ASCP_FAIL	1
#define ASCP_USAGE	2
#define ASCP_LOST	255
#define PIPE_BYTES	(1024 * 1024)

static int		 o_recursive, o_preserve, o_archive, o_deref, o_noderef;
static int		 o_quiet, o_version;
static const char	*o_host;

static const struct option_def opts[] = {
	{ OPT_FLAG, 'r', "recursive", &o_recursive, NULL,
	  N_("copy directories recursively") },
	{ OPT_FLAG, 'p', "preserve", &o_preserve, NULL,
	  N_("keep modes, access and modification times") },
	{ OPT_FLAG, 'a', "archive", &o_archive, NULL,
	  N_("as -p, and keep numeric owners too") },
	{ OPT_FLAG, 'L', "dereference", &o_deref, NULL,
	  N_("follow every symbolic link") },
	{ OPT_FLAG, 'P', "no-dereference", &o_noderef, NULL,
	  N_("copy symbolic links as links (the default)") },
	{ OPT_FLAG, 'q', "quiet", &o_quiet, NULL,
	  N_("no progress meter") },
	{ OPT_STRING, 'H', "host", &o_host, "ADDRESS",
	  N_("daemon address (default $AURAE_HOST, else "
	  AURAE_DEFAULT_SOCKET ")"), "@file" },
	{ OPT_FLAG, 'V', "version", &o_version, NULL,
	  N_("print the version and exit") },
	{ OPT_END }
};

static const char usage_line[] = "ascp [-r] [-p] [-a] [-L|-P] [-q] "
    "[-H ADDRESS] SRC... DST\n"
    "       (SRC and DST: PATH, CELL:PATH, or - for a tar stream)";

static aurae_client_t	*clnt;
static int		 lost;		/* the connection failed */
static int		 show_progress;
static mode_t		 cur_umask;

/* What is known of a path on either side. */
struct xstat {
	int		 exists;
	mode_t		 mode;		/* with the type */
	off_t		 size;
	uid_t		 uid;
	gid_t		 gid;
	struct timespec	 atime, mtime;
};

/* Print "ascp: MESSAGE" and return ASCP_FAIL. */
static int __attribute__((format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list	 ap;

	fputs("ascp: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return ASCP_FAIL;
}

/* Report a daemon error; a lost connection makes the exit 255. */
static int
fail_rpc(const aurae_error_t *err)
{
	if (strcmp(err->code, "UNAVAILABLE") == 0 &&
	    (err->status == ECONNRESET || err->status == EPIPE))
		lost = 1;
	return fail("%s", err->message);
}

/* The copy options of this invocation for one side. */
static void
local_opts(struct tar_opts *o)
{
	memset(o, 0, sizeof *o);
	o->keep_mode = o_preserve || o_archive;
	o->keep_times = o_preserve || o_archive;
	o->keep_owner = o_archive;
	o->allow_special = o_archive && geteuid() == 0;
	o->follow = o_deref;
	o->umask = cur_umask;
}

/* The copy options as request members. */
static void
add_opts(cJSON *p)
{
	cJSON_AddBoolToObject(p, "keep_mode", o_preserve || o_archive);
	cJSON_AddBoolToObject(p, "keep_times", o_preserve || o_archive);
	cJSON_AddBoolToObject(p, "keep_owner", o_archive);
	cJSON_AddNumberToObject(p, "umask", cur_umask);
}

/* A number member of o, or 0. */
static double
num(const cJSON *o, const char *k)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* Fill x from a files.stat/files.open answer. */
static void
xstat_json(struct xstat *x, const cJSON *r)
{
	const cJSON	*t = cJSON_GetObjectItemCaseSensitive(r, "type");
	const char	*ty = cJSON_IsString(t) ? t->valuestring : "";

	memset(x, 0, sizeof *x);
	x->exists = 1;
	x->mode = (mode_t)num(r, "mode");
	if (strcmp(ty, "directory") == 0)
		x->mode |= S_IFDIR;
	else if (strcmp(ty, "symlink") == 0)
		x->mode |= S_IFLNK;
	else if (strcmp(ty, "file") == 0)
		x->mode |= S_IFREG;
	else
		x->mode |= S_IFIFO;	/* some other kind: the tar path */
	x->size = (off_t)num(r, "size");
	x->uid = (uid_t)num(r, "uid");
	x->gid = (gid_t)num(r, "gid");
	x->mtime.tv_sec = (time_t)num(r, "mtime");
	x->mtime.tv_nsec = (long)num(r, "mtime_nsec");
	x->atime.tv_sec = (time_t)num(r, "atime");
	x->atime.tv_nsec = (long)num(r, "atime_nsec");
}

/* Stat sp (either side); a missing path is exists = 0.  Returns 0, or
 * ASCP_FAIL after a message. */
static int
spec_stat(const struct copy_spec *sp, int follow, struct xstat *x)
{
	aurae_error_t	 err;
	struct stat	 st;
	cJSON		*p, *r = NULL;
	int		 rc;

	memset(x, 0, sizeof *x);
	if (sp->where == COPY_LOCAL) {
		if ((follow ? stat(sp->path, &st) : lstat(sp->path, &st)) < 0) {
			if (errno == ENOENT)
				return 0;
			return fail("%s: %s", sp->path, strerror(errno));
		}
		x->exists = 1;
		x->mode = st.st_mode;
		x->size = st.st_size;
		x->uid = st.st_uid;
		x->gid = st.st_gid;
		x->atime = st.st_atim;
		x->mtime = st.st_mtim;
		return 0;
	}
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "cell", sp->cell);
	cJSON_AddStringToObject(p, "path", sp->path);
	cJSON_AddBoolToObject(p, "follow", follow);
	rc = aurae_call(clnt, "files.stat", p, &r, &err);
	cJSON_Delete(p);
	if (rc < 0) {
		if (strcmp(err.code, "NOT_FOUND") == 0 &&
		    strstr(err.message, "no cell") == NULL)
			return 0;
		return fail_rpc(&err);
	}
	xstat_json(x, r);
	cJSON_Delete(r);
	return 0;
}

/* "CELL:PATH" or PATH, for messages. */
static const char *
spec_name(const struct copy_spec *sp, char *buf, size_t len)
{
	if (sp->where == COPY_CELL)
		snprintf(buf, len, "%s:%s", sp->cell, sp->path);
	else
		snprintf(buf, len, "%s", sp->path);
	return buf;
}

static uint64_t	walk_total;

/* nftw callback: add up regular files. */
static int
add_size(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)p;
	(void)f;
	if (flag == FTW_F && S_ISREG(st->st_mode))
		walk_total += (uint64_t)st->st_size;
	return 0;
}

/* Progress from a tar walk or extraction. */
static void
tar_progress(const struct tar_stats *st, void *arg)
{
	progress_update(arg, st->bytes);
}

/* Wait for call id while watching the shared offset of fd (a file the
 * daemon reads or writes) for the meter. */
static int
finish_watching(long long id, int fd, struct progress *pg, cJSON **res,
    aurae_error_t *err)
{
	struct pollfd	 pfd;
	off_t		 off;
	int		 r;

	pfd.fd = aurae_client_fd(clnt);
	pfd.events = POLLIN;
	while (pg->on && pfd.fd >= 0 && poll(&pfd, 1, 200) == 0)
		if ((off = lseek(fd, 0, SEEK_CUR)) >= 0)
			progress_update(pg, (uint64_t)off);
	r = aurae_finish(clnt, id, res, NULL, 0, NULL, err);
	if (r == 0 && (off = lseek(fd, 0, SEEK_CUR)) >= 0)
		pg->done = (uint64_t)off;
	return r;
}

/* Copy the regular file srcfd (metadata x) to DIR/NAME of dst's side. */
static int
put_file(int srcfd, const struct xstat *x, const struct copy_spec *dst,
    const char *dir, const char *name, const char *label)
{
	struct progress		 pg;
	struct tar_opts		 o;
	struct tar_stats	 ts;
	struct tar_error	 te;
	struct file_meta	 m;
	aurae_error_t		 err;
	long long		 id;
	cJSON			*p;
	int			 dfd, r;

	progress_start(&pg, show_progress, label, (uint64_t)x->size);
	if (dst->where == COPY_LOCAL) {
		if ((dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			return fail("%s: %s", dir, strerror(errno));
		local_opts(&o);
		o.progress = tar_progress;
		o.progress_arg = &pg;
		m.mode = x->mode & 07777;
		m.uid = x->uid;
		m.gid = x->gid;
		m.atime = x->atime;
		m.mtime = x->mtime;
		memset(&ts, 0, sizeof ts);
		r = tar_put_file(dfd, name, srcfd, &m, &o, &ts, &te);
		close(dfd);
		progress_end(&pg);
		return r < 0 ? fail("%s/%s: %s", dir, name, te.msg) : 0;
	}
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "cell", dst->cell);
	cJSON_AddStringToObject(p, "path", dir);
	cJSON_AddStringToObject(p, "name", name);
	cJSON_AddNumberToObject(p, "mode", x->mode & 07777);
	cJSON_AddNumberToObject(p, "uid", x->uid);
	cJSON_AddNumberToObject(p, "gid", x->gid);
	cJSON_AddNumberToObject(p, "mtime", (double)x->mtime.tv_sec);
	cJSON_AddNumberToObject(p, "mtime_nsec", x->mtime.tv_nsec);
	cJSON_AddNumberToObject(p, "atime", (double)x->atime.tv_sec);
	cJSON_AddNumberToObject(p, "atime_nsec", x->atime.tv_nsec);
	add_opts(p);
	r = aurae_start(clnt, "files.put", p, &srcfd, 1, &id, &err);
	cJSON_Delete(p);
	if (r == 0)
		r = finish_watching(id, srcfd, &pg, NULL, &err);
	progress_end(&pg);
	return r < 0 ? fail_rpc(&err) : 0;
}

/* Copy the regular file src (x) to DIR/NAME on dst's side. */
static int
copy_file(const struct copy_spec *src, const struct xstat *x, int follow,
    const struct copy_spec *dst, const char *dir, const char *name)
{
	aurae_error_t	 err;
	struct xstat	 fx;
	struct stat	 st;
	cJSON		*p, *r = NULL;
	char		 label[PATH_MAX + 300];
	int		 fd = -1, rc;
	size_t		 n;

	copy_path_base(src->path, label, sizeof label);
	if (src->where == COPY_LOCAL) {
		fd = path_open_regular(AT_FDCWD, src->path, PATH_HOST, !follow,
		    &st);
		if (fd < 0)
			return fail("%s: %s", src->path, strerror(errno));
		rc = put_file(fd, x, dst, dir, name, label);
		close(fd);
		return rc;
	}
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "cell", src->cell);
	cJSON_AddStringToObject(p, "path", src->path);
	cJSON_AddBoolToObject(p, "follow", follow);
	rc = aurae_call_fds(clnt, "files.open", p, NULL, 0, &r, &fd, 1, &n,
	    &err);
	cJSON_Delete(p);
	if (rc < 0)
		return fail_rpc(&err);
	xstat_json(&fx, r);
	cJSON_Delete(r);
	if (n != 1)
		return fail(_("%s: auraed sent no descriptor"),
		    spec_name(src, label, sizeof label));
	rc = put_file(fd, &fx, dst, dir, name, label);
	close(fd);
	return rc;
}

/* Start files.get of src (as member name) writing to fd. */
static int
start_get(const struct copy_spec *src, const char *name, int follow, int fd,
    long long *id, aurae_error_t *err)
{
	cJSON	*p, *s, *o;
	int	 r;

	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "cell", src->cell);
	s = cJSON_AddArrayToObject(p, "sources");
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "path", src->path);
	if (name != NULL)
		cJSON_AddStringToObject(o, "name", name);
	cJSON_AddBoolToObject(o, "follow", follow);
	cJSON_AddItemToArray(s, o);
	cJSON_AddBoolToObject(p, "follow", o_deref);
	r = aurae_start(clnt, "files.get", p, &fd, 1, id, err);
	cJSON_Delete(p);
	return r;
}

/* Start files.put of a tar stream read from fd into dir of cell. */
static int
start_put(const char *cell, const char *dir, int fd, int keep, long long *id,
    aurae_error_t *err)
{
	cJSON	*p;
	int	 r;

	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "cell", cell);
	cJSON_AddStringToObject(p, "path", dir);
	add_opts(p);
	if (keep) {
		/* A tar stream keeps what tar x keeps as root. */
		cJSON_ReplaceItemInObject(p, "keep_mode", cJSON_CreateTrue());
		cJSON_ReplaceItemInObject(p, "keep_times", cJSON_CreateTrue());
	}
	r = aurae_start(clnt, "files.put", p, &fd, 1, id, err);
	cJSON_Delete(p);
	return r;
}

/* A pipe for a tar stream, with a large buffer. */
static int
stream_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) < 0)
		return fail(_("cannot make a pipe: %s"), strerror(errno));
	fcntl(p[1], F_SETPIPE_SZ, PIPE_BYTES);
	return 0;
}

/* Copy the tree src (not a regular file) to DIR as member name. */
static int
copy_tree(const struct copy_spec *src, int follow,
    const struct copy_spec *dst, const char *dir, const char *name)
{
	struct progress		 pg;
	struct tar_writer	*w;
	struct tar_opts		 o;
	struct tar_stats	 ts;
	struct tar_error	 te;
	aurae_error_t		 err, err2;
	long long		 id, id2;
	char			 label[PATH_MAX + 300];
	int			 p[2], dfd, lr = 0, rr, rr2;

	if (stream_pipe(p) != 0)
		return ASCP_FAIL;
	local_opts(&o);
	memset(&ts, 0, sizeof ts);
	memset(&te, 0, sizeof te);
	walk_total = 0;
	if (show_progress && src->where == COPY_LOCAL)
		nftw(src->path, add_size, 64, o_deref ? 0 : FTW_PHYS);
	progress_start(&pg, show_progress, spec_name(src, label, sizeof label),
	    walk_total);
	o.progress = tar_progress;
	o.progress_arg = &pg;
	if (src->where == COPY_LOCAL) {
		/* Here -> cell: we write, the daemon extracts. */
		rr = start_put(dst->cell, dir, p[0], 0, &id, &err);
		close(p[0]);
		if (rr == 0) {
			if ((w = tar_writer_open(p[1], &o, &ts, &te)) == NULL)
				lr = -1;
			else {
				lr = tar_add(w, AT_FDCWD, PATH_HOST, src->path,
				    name, follow, &te);
				lr = tar_writer_close(w, lr < 0, lr < 0 ? NULL :
				    &te) < 0 ? -1 : lr;
			}
		}
		close(p[1]);
		if (rr == 0)
			rr = aurae_finish(clnt, id, NULL, NULL, 0, NULL, &err);
		progress_end(&pg);
		/* Our own failure first, unless it is the daemon's doing
		 * (a closed pipe). */
		if (lr < 0 && te.sys != EPIPE)
			return fail("%s", te.msg);
		return rr < 0 ? fail_rpc(&err) : lr < 0 ? fail("%s", te.msg) : 0;
	}
	rr = start_get(src, name, follow, p[1], &id, &err);
	close(p[1]);
	if (dst->where == COPY_CELL) {
		/* Cell -> cell: the daemon on both ends of our pipe. */
		rr2 = rr == 0 ? start_put(dst->cell, dir, p[0], 0, &id2, &err2) :
		    -1;
		close(p[0]);
		if (rr2 == 0)
			rr2 = aurae_finish(clnt, id2, NULL, NULL, 0, NULL, &err2);
		if (rr == 0)
			rr = aurae_finish(clnt, id, NULL, NULL, 0, NULL, &err);
		progress_end(&pg);
		if (rr < 0)
			return fail_rpc(&err);
		return rr2 < 0 ? fail_rpc(&err2) : 0;
	}
	/* Cell -> here: the daemon writes, we extract. */
	if (rr == 0) {
		if ((dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
			lr = tar_fail(&te, AE_OK, errno, "%s: %s", dir,
			    strerror(errno));
		} else {
			lr = tar_extract(p[0], dfd, &o, &ts, &te);
			close(dfd);
		}
	}
	close(p[0]);
	if (rr == 0)
		rr = aurae_finish(clnt, id, NULL, NULL, 0, NULL, &err);
	progress_end(&pg);
	/* The daemon's failure truncates our stream: its message first,
	 * unless it failed because we stopped reading. */
	if (rr < 0 && !(lr < 0 && strcmp(err.code, "UNAVAILABLE") == 0))
		return fail_rpc(&err);
	return lr < 0 ? fail("%s", te.msg) : rr < 0 ? fail_rpc(&err) : 0;
}

/* Copy one source to dst (dx: its status, nsrc: how many sources). */
static int
copy_one(const struct copy_spec *src, const struct copy_spec *dst,
    const struct xstat *dx)
{
	struct xstat	 sx;
	char		 dir[PATH_MAX], name[NAME_MAX + 1], label[PATH_MAX + 300];
	int		 follow, isdir;

	/* "link/" names what the link points to (POSIX), -L everything. */
	follow = o_deref || copy_path_has_slash(src->path);
	if (spec_stat(src, follow, &sx) != 0)
		return ASCP_FAIL;
	spec_name(src, label, sizeof label);
	if (!sx.exists)
		return fail(_("%s: no such file or directory"), label);
	isdir = S_ISDIR(sx.mode);
	if (isdir && !o_recursive)
		return fail(_("-r not specified; omitting directory '%s'"),
		    label);
	if (dx->exists && S_ISDIR(dx->mode)) {
		snprintf(dir, sizeof dir, "%s", dst->path);
		if (isdir && copy_path_is_contents(src->path))
			snprintf(name, sizeof name, ".");
		else
			copy_path_base(src->path, name, sizeof name);
	} else {
		if (dx->exists && isdir)
			return fail(_("cannot overwrite non-directory '%s' with "
			    "directory '%s'"), dst->path, label);
		if (!dx->exists && !isdir && copy_path_has_slash(dst->path))
			return fail(_("cannot create '%s': not a directory"),
			    spec_name(dst, label, sizeof label));
		copy_path_dir(dst->path, dir, sizeof dir);
		copy_path_base(dst->path, name, sizeof name);
	}
	if (strcmp(name, "..") == 0 || (strcmp(name, ".") == 0 && !isdir))
		return fail(_("cannot copy to '%s'"), dst->path);
	if (S_ISREG(sx.mode))
		return copy_file(src, &sx, follow, dst, dir, name);
	return copy_tree(src, follow, dst, dir, name);
}

/* ascp - CELL:DIR and ascp CELL:PATH -: tar streams on our stdio,
 * passed to the daemon as they are. */
static int
copy_stream(const struct copy_spec *src, const struct copy_spec *dst)
{
	aurae_error_t	 err;
	long long	 id;
	int		 r;

	if (src->where == COPY_STREAM) {
		if (isatty(STDIN_FILENO))
			return fail(_("refusing to read an archive from a "
			    "terminal"));
		r = start_put(dst->cell, dst->path, STDIN_FILENO, 1, &id, &err);
	} else {
		if (isatty(STDOUT_FILENO))
			return fail(_("refusing to write an archive to a "
			    "terminal"));
		r = start_get(src, NULL, o_deref ||
		    copy_path_has_slash(src->path), STDOUT_FILENO, &id, &err);
	}
	if (r == 0)
		r = aurae_finish(clnt, id, NULL, NULL, 0, NULL, &err);
	return r < 0 ? fail_rpc(&err) : 0;
}

int
main(int argc, char **argv)
{
	struct copy_spec	*sp;
	struct xstat		 dx;
	aurae_error_t		 err;
	char			 msg[512];
	int			 n, i, status = 0, cells = 0, locals = 0;

	static const struct toolmain tm = { "ascp", usage_line, opts, "@file",
	    &o_version, ASCP_USAGE };

	aurae_i18n_init();
	if ((n = toolmain_start(&tm, argc, argv, &status)) < 0)
		return status;
	if (n < 2) {
		options_usage(stderr, usage_line, opts);
		return ASCP_USAGE;
	}
	if (o_deref && o_noderef) {
		fprintf(stderr, _("ascp: -L and -P cannot be used together\n"));
		return ASCP_USAGE;
	}
	cur_umask = umask(022);
	umask(cur_umask);
	if ((sp = calloc((size_t)n, sizeof *sp)) == NULL)
		return ASCP_FAIL;
	for (i = 0; i < n; i++) {
		if (copy_spec_parse(argv[i + 1], &sp[i], msg, sizeof msg) < 0) {
			fprintf(stderr, "ascp: %s\n", msg);
			free(sp);
			return ASCP_USAGE;
		}
		if (sp[i].where == COPY_REMOTE) {
			fprintf(stderr, _("ascp: '%s': remote nodes need the "
			    "ssh transport, which this build does not have "
			    "yet\n"), argv[i + 1]);
			free(sp);
			return ASCP_LOST;
		}
		if (i < n - 1) {
			cells += sp[i].where == COPY_CELL;
			locals += sp[i].where == COPY_LOCAL;
		}
	}
	/* The shapes that make sense. */
	if ((sp[0].where == COPY_STREAM || sp[n - 1].where == COPY_STREAM) &&
	    (n != 2 || (sp[0].where == COPY_STREAM ? sp[1].where :
	    sp[0].where) != COPY_CELL)) {
		fprintf(stderr, _("ascp: '-' goes with exactly one CELL:PATH "
		    "on the other side\n"));
		free(sp);
		return ASCP_USAGE;
	}
	if (cells > 0 && locals > 0) {
		fprintf(stderr, _("ascp: sources must all be local or all in "
		    "cells\n"));
		free(sp);
		return ASCP_USAGE;
	}
	if (sp[0].where != COPY_STREAM && cells == 0 &&
	    sp[n - 1].where == COPY_LOCAL) {
		fprintf(stderr, _("ascp: neither side is in a cell (write "
		    "CELL:PATH; use cp for local copies)\n"));
		free(sp);
		return ASCP_USAGE;
	}
	show_progress = !o_quiet && isatty(STDERR_FILENO);
	if (aurae_connect(o_host, &clnt, &err) < 0) {
		fprintf(stderr, "ascp: %s\n", err.message);
		free(sp);
		return ASCP_LOST;
	}
	if (!aurae_client_can_pass_fds(clnt)) {
		fprintf(stderr, _("ascp: this connection cannot pass "
		    "descriptors\n"));
		status = ASCP_LOST;
		goto out;
	}
	if (sp[0].where == COPY_STREAM || sp[n - 1].where == COPY_STREAM) {
		status = copy_stream(&sp[0], &sp[1]);
		goto out;
	}
	if (spec_stat(&sp[n - 1], 1, &dx) != 0) {
		status = ASCP_FAIL;
		goto out;
	}
	if (n > 2 && !(dx.exists && S_ISDIR(dx.mode))) {
		fprintf(stderr, _("ascp: target '%s' is not a directory\n"),
		    spec_name(&sp[n - 1], msg, sizeof msg));
		status = ASCP_FAIL;
		goto out;
	}
	for (i = 0; i < n - 1 && !lost; i++)
		if (copy_one(&sp[i], &sp[n - 1], &dx) != 0)
			status = ASCP_FAIL;
out:
	aurae_client_free(clnt);
	free(sp);
	return lost ? ASCP_LOST : status;
}
