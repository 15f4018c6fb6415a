/* aurae-copy.c - the copy helper: one files.put or files.get of a cell.
 *
 * auraed (copyjob.c) starts it from the file it opened at start-up, with
 * one socket to the daemon as descriptor COPY_SOCK_FD and no other of its
 * own.  A single message on the socket carries the job (copyreq.h): the
 * cell's root (an O_PATH directory), the data descriptor (a stream or a
 * regular file) and a memory file holding the request.  The helper does
 * the work, closes the data descriptor, writes one struct copy_result on
 * the socket and exits.  An end of file before any job means auraed does
 * not need it: it exits 0.
 *
 * This is the only program of the daemon's that links libarchive.  So the
 * daemon never maps libarchive and what it pulls in, and a hostile archive
 * is parsed in a fresh address space (its own layout, none of the
 * daemon's memory) that holds nothing but the descriptors of one job.
 * Every path is resolved in the cell's root (tar.h, pathsafe.h), as when
 * the daemon did this itself. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copyreq.h"
#include "fdpass.h"
#include "pathsafe.h"
#include "tar.h"

/* The descriptors of a job, in the order auraed attaches them. */
enum { JOB_ROOT, JOB_DATA, JOB_REQ, JOB_NFDS };

/* Extract the stream, or place the file, into the directory req->path. */
static int
put_work(int rootfd, int datafd, const struct copy_req *r,
    struct tar_stats *st, struct tar_error *err)
{
	int	 dfd, rv;

	dfd = path_open(rootfd, r->path, O_PATH | O_DIRECTORY, 0, PATH_IN_ROOT,
	    0);
	if (dfd < 0)
		return tar_fail(err, errno == ENOTDIR ? AE_INVALID_ARGUMENT :
		    AE_OK, errno, "%s:%s: %s", r->cell, r->path,
		    errno == ENOTDIR ? "not a directory" : strerror(errno));
	if (r->op == COPY_PUT_TAR)
		rv = tar_extract(datafd, dfd, &r->opts, st, err);
	else
		rv = tar_put_file(dfd, r->name, datafd, &r->meta, &r->opts, st,
		    err);
	close(dfd);
	return rv;
}

/* Archive every source into the stream datafd. */
static int
get_work(int rootfd, int datafd, const struct copy_req *r,
    struct tar_stats *st, struct tar_error *err)
{
	struct tar_writer	*w;
	size_t			 i;

	if ((w = tar_writer_open(datafd, &r->opts, st, err)) == NULL)
		return -1;
	for (i = 0; i < r->nsrc; i++)
		if (tar_add(w, rootfd, PATH_IN_ROOT, r->src[i].path,
		    r->src[i].name, r->src[i].follow_top, err) < 0) {
			tar_writer_close(w, 1, NULL);
			return -1;
		}
	return tar_writer_close(w, 0, err);
}

/* Read the request in the memory file fd into a new buffer.  Returns its
 * length, or -1 with a reason in err. */
static ssize_t
read_request(int fd, char **out, struct tar_error *err)
{
	struct stat	 st;
	size_t		 len, off;
	ssize_t		 n;
	char		*buf;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (size_t)st.st_size > COPY_REQ_MAX)
		return tar_fail(err, AE_INTERNAL, 0, "the copy helper got no "
		    "usable request");
	len = (size_t)st.st_size;
	if ((buf = malloc(len + 1)) == NULL)
		return tar_fail(err, AE_RESOURCE_EXHAUSTED, errno, "out of "
		    "memory");
	for (off = 0; off < len; off += (size_t)n)
		if ((n = pread(fd, buf + off, len - off, (off_t)off)) <= 0) {
			if (n < 0 && errno == EINTR) {
				n = 0;
				continue;
			}
			free(buf);
			return tar_fail(err, AE_INTERNAL, n < 0 ? errno : 0,
			    "cannot read the copy request: %s", n < 0 ?
			    strerror(errno) : "it is short");
		}
	*out = buf;
	return (ssize_t)len;
}

/* Run the job whose descriptors are fds (the request's is closed once
 * read, and set to -1); fills *res. */
static void
run_job(int *fds, struct copy_result *res)
{
	struct copy_req	 req;
	struct stat	 st;
	char		*buf = NULL, msg[256];
	ssize_t		 len;

	if (fstat(fds[JOB_ROOT], &st) < 0 || !S_ISDIR(st.st_mode)) {
		res->failed = 1;
		tar_fail(&res->err, AE_INTERNAL, 0, "the copy helper got no "
		    "cell root");
		return;
	}
	len = read_request(fds[JOB_REQ], &buf, &res->err);
	close(fds[JOB_REQ]);
	fds[JOB_REQ] = -1;
	if (len < 0) {
		res->failed = 1;
		return;
	}
	if (copyreq_decode(buf, (size_t)len, &req, msg, sizeof msg) < 0) {
		res->failed = 1;
		tar_fail(&res->err, AE_INTERNAL, 0, "the copy helper refused "
		    "%s", msg);
		free(buf);
		return;
	}
	if (req.op == COPY_GET)
		res->failed = get_work(fds[JOB_ROOT], fds[JOB_DATA], &req,
		    &res->st, &res->err) < 0;
	else
		res->failed = put_work(fds[JOB_ROOT], fds[JOB_DATA], &req,
		    &res->st, &res->err) < 0;
	free(req.src);
	free(buf);
}

int
main(void)
{
	struct copy_result	 res;
	struct rlimit		 rl;
	struct stat		 st;
	sigset_t		 none;
	size_t			 nfds = 0, i;
	ssize_t			 n;
	char			 tag;
	int			 fds[JOB_NFDS];

	/* Started from a descriptor, the kernel may name it after that. */
	prctl(PR_SET_NAME, "aurae-copy");
	if (fstat(COPY_SOCK_FD, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		fprintf(stderr, "aurae-copy: must be started by auraed\n");
		return 2;
	}
	/* Nothing this process starts (libarchive runs external
	 * decompressors) may hold the daemon's socket. */
	fcntl(COPY_SOCK_FD, F_SETFD, FD_CLOEXEC);
	/* What the daemon set, so that names convert as they did in it. */
	setlocale(LC_ALL, "");
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	/* Deep trees keep one descriptor per level. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}

	do
		n = fdpass_recv(COPY_SOCK_FD, &tag, 1, fds, JOB_NFDS, &nfds);
	while (n < 0 && errno == EINTR);
	if (n == 0 && nfds == 0)
		return 0;
	memset(&res, 0, sizeof res);
	if (n != 1 || nfds != JOB_NFDS) {
		res.failed = 1;
		tar_fail(&res.err, AE_INTERNAL, 0, "the copy helper got a job "
		    "with %zu descriptors", nfds);
	} else
		run_job(fds, &res);
	/* The peer of the stream sees its end before the answer. */
	for (i = 0; i < nfds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (send(COPY_SOCK_FD, &res, sizeof res, MSG_NOSIGNAL) !=
	    (ssize_t)sizeof res)
		return 1;
	return res.failed;
}
