/* copyjob.c - file copies run by the copy helper, aurae-copy. */
#include "copyjob.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cell.h"
#include "config.h"
#include "fdpass.h"
#include "log.h"
#include "loop.h"
#include "rpc.h"

extern char **environ;

/* The descriptors of a job, in the order the helper takes them. */
enum { JOB_ROOT, JOB_DATA, JOB_REQ, JOB_NFDS };

/* Lowest number for the helper's descriptor, above those a helper gets. */
#define HELPER_FD_MIN	10
/* How long a spare helper waits for a job before it is let go. */
#define SPARE_MS	10000

struct copy_job {
	struct rpc_call		*call;
	char			 cell[CELL_NAME_MAX + 1];
	pid_t			 pid;
	int			 cell_removed;
	struct loop_watch	 w;		/* the helper's socket */
	LIST_ENTRY(copy_job)	 entry;
};

static LIST_HEAD(, copy_job) jobs = LIST_HEAD_INITIALIZER(jobs);
/* The helper program (O_PATH), executed for every job. */
static int	 helper_fd = -1;

/* A helper started once a job is done, waiting for the next one: a job
 * that finds it is handed over at once, without paying for the exec and
 * the loading of libarchive's libraries (3-4 ms here).  Not kept past
 * SPARE_MS, so an idle daemon has none. */
static struct {
	pid_t			 pid;		/* -1: none */
	struct loop_watch	 w;		/* its socket */
	struct loop_timer	 t;
} spare = { .pid = -1, .w = { .fd = -1 } };

/* See copyjob.h. */
int
copyjob_cell_root(const struct cell *c)
{
	char	 path[64];
	int	 fd;

	/* Without a pidfd nothing says the pid is still the init's. */
	if (c->init_pid <= 0 || c->init_pidfd < 0) {
		errno = ESRCH;
		return -1;
	}
	snprintf(path, sizeof path, "/proc/%d/root", (int)c->init_pid);
	if ((fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			errno = ESRCH;	/* the init has gone */
		return -1;
	}
	/* The pid could have been reused: the init must still be alive
	 * now that the root is open. */
	if (syscall(SYS_pidfd_send_signal, c->init_pidfd, 0, NULL, 0) < 0) {
		close(fd);
		errno = ESRCH;
		return -1;
	}
	return fd;
}

/* See copyjob.h. */
int
copyjob_init(void)
{
	char		 self[PATH_MAX], cand[PATH_MAX], *slash;
	const char	*path = NULL;
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL)
			*slash = '\0';
		snprintf(cand, sizeof cand, "%.4000s/aurae-copy", self);
		if (access(cand, X_OK) == 0)
			path = cand;
	}
	if (path == NULL)
		path = LIBEXECDIR "/aurae/aurae-copy";
	if ((fd = open(path, O_PATH | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0 ||
	    !S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0) {
		if (fd >= 0) {
			close(fd);
			errno = EACCES;
		}
		log_error("cannot open the copy helper %s: %s", path,
		    strerror(errno));
		return -1;
	}
	/* Out of the way of the numbers a helper is given. */
	if ((helper_fd = fcntl(fd, F_DUPFD_CLOEXEC, HELPER_FD_MIN)) < 0) {
		log_error("cannot open the copy helper %s: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	log_debug("copy helper: %s", path);
	return 0;
}

/* Start a helper with sock as its COPY_SOCK_FD.  The child shares the
 * daemon's memory until its exec (vfork), so it makes system calls only;
 * the daemon's blocked signals stay blocked until the helper unblocks
 * them.  Returns the pid, or -1 with errno (also when the exec failed). */
static pid_t
helper_spawn(int sock)
{
	static char *const	 argv[] = { "aurae-copy", NULL };
	volatile int		 exec_errno = 0;
	pid_t			 pid;

	pid = vfork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (sock == COPY_SOCK_FD)
			fcntl(sock, F_SETFD, 0);
		else if (dup2(sock, COPY_SOCK_FD) < 0)
			goto fail;
		/* Nothing else of the daemon's, even without O_CLOEXEC. */
		syscall(SYS_close_range, COPY_SOCK_FD + 1, helper_fd - 1, 0);
		syscall(SYS_close_range, helper_fd + 1, ~0U, 0);
		syscall(SYS_execveat, helper_fd, "", argv, environ,
		    AT_EMPTY_PATH);
fail:
		exec_errno = errno;
		_exit(127);
	}
	if (pid < 0)
		return -1;
	if (exec_errno != 0) {
		errno = exec_errno;
		return -1;
	}
	return pid;
}

/* Let the spare go: closing its socket is its end of file, and it exits;
 * with kill, it is killed as well. */
static void
spare_drop(int kill_it)
{
	if (spare.pid < 0)
		return;
	loop_timer_stop(&spare.t);
	loop_del(&spare.w);
	close(spare.w.fd);
	if (kill_it)
		kill(spare.pid, SIGKILL);
	spare.w.fd = -1;
	spare.pid = -1;
}

/* The spare's socket woke before any job: it died.  (Unless the event
 * was for the spare before, taken earlier in this batch of events.) */
static void
spare_event(struct loop_watch *w, uint32_t events)
{
	char	 c;

	(void)events;
	if (recv(w->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) < 0 &&
	    errno == EAGAIN)
		return;
	log_debug("spare copy helper %d is gone", (int)spare.pid);
	spare_drop(1);
}

/* No job came in time. */
static void
spare_expire(void *arg)
{
	(void)arg;
	spare_drop(0);
}

/* Start a spare helper unless there is one.  Failing is harmless: the
 * next job starts its own. */
static void
spare_start(void)
{
	int	 sv[2];
	pid_t	 pid;

	if (spare.pid >= 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return;
	pid = helper_spawn(sv[1]);
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return;
	}
	spare.pid = pid;
	spare.w.fd = sv[0];
	spare.w.events = EPOLLIN;
	spare.w.cb = spare_event;
	spare.w.data = NULL;
	if (loop_add(&spare.w) < 0 ||
	    loop_timer_start(&spare.t, SPARE_MS, spare_expire, NULL) < 0)
		spare_drop(1);
}

/* A helper for a job: the spare if there is one (taken: *was_spare set),
 * else a new one.  Returns its pid and its socket in *sock, or -1 with
 * errno. */
static pid_t
helper_get(int *sock, int *was_spare)
{
	int	 sv[2];
	pid_t	 pid;

	*was_spare = spare.pid >= 0;
	if (*was_spare) {
		loop_timer_stop(&spare.t);
		loop_del(&spare.w);
		*sock = spare.w.fd;
		pid = spare.pid;
		spare.w.fd = -1;
		spare.pid = -1;
		return pid;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	if ((pid = helper_spawn(sv[1])) < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	close(sv[1]);
	*sock = sv[0];
	return pid;
}

/* A memory file holding req, encoded.  Returns it, or -1 with errno. */
static int
request_file(const struct copy_req *req)
{
	char	*buf;
	size_t	 len, off;
	ssize_t	 n;
	int	 fd, e;

	if (copyreq_encode(req, &buf, &len) < 0)
		return -1;
	if ((fd = memfd_create("aurae-copy-request", MFD_CLOEXEC)) < 0) {
		e = errno;
		free(buf);
		errno = e;
		return -1;
	}
	for (off = 0; off < len; off += (size_t)n)
		if ((n = write(fd, buf + off, len - off)) < 0 && errno != EINTR) {
			e = errno;
			close(fd);
			free(buf);
			errno = e;
			return -1;
		} else if (n < 0)
			n = 0;
	free(buf);
	return fd;
}

/* Free a finished job. */
static void
job_free(struct copy_job *j)
{
	loop_del(&j->w);
	close(j->w.fd);
	LIST_REMOVE(j, entry);
	free(j);
}

/* The helper's socket is readable: answer the call. */
static void
job_done(struct loop_watch *w, uint32_t events)
{
	struct copy_job		*j = w->data;
	struct copy_result	 res;
	cJSON			*o;
	ssize_t			 n;

	(void)events;
	do
		n = read(w->fd, &res, sizeof res);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return;
	if (j->cell_removed)
		rpc_error(j->call, AE_UNAVAILABLE, "cell '%s' was removed "
		    "during the copy", j->cell);
	else if (n != (ssize_t)sizeof res) {
		log_error("copy helper %d for cell %s died", (int)j->pid,
		    j->cell);
		rpc_error(j->call, AE_INTERNAL, "the copy helper died");
	} else if (res.failed) {
		res.err.msg[sizeof res.err.msg - 1] = '\0';
		if (res.err.code <= AE_OK || res.err.code >= AE__COUNT)
			res.err.code = AE_INTERNAL;
		rpc_error(j->call, res.err.code, "%s", res.err.msg);
	} else {
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "entries", (double)res.st.entries);
		cJSON_AddNumberToObject(o, "bytes", (double)res.st.bytes);
		rpc_reply(j->call, o);
	}
	job_free(j);
	/* After the answer, off the path of this call: the next copy
	 * (ascp's next operand, the next command of a script) finds a
	 * helper ready. */
	spare_start();
}

/* See copyjob.h. */
int
copyjob_start(struct rpc_call *call, struct cell *c, int rootfd, int datafd,
    const struct copy_req *req)
{
	struct copy_job	*j;
	int		 sock = -1, fds[JOB_NFDS], reqfd = -1, was_spare, e;
	pid_t		 pid = -1;

	if ((j = calloc(1, sizeof *j)) == NULL ||
	    (reqfd = request_file(req)) < 0 ||
	    (pid = helper_get(&sock, &was_spare)) < 0) {
		e = errno;
		rpc_error(call, e == ENAMETOOLONG || e == EINVAL ?
		    AE_INVALID_ARGUMENT : AE_RESOURCE_EXHAUSTED, "cannot start "
		    "the copy: %s", strerror(e));
		goto fail;
	}
	fds[JOB_ROOT] = rootfd;
	fds[JOB_DATA] = datafd;
	fds[JOB_REQ] = reqfd;
	while (fdpass_send(sock, "J", 1, fds, JOB_NFDS) != 1) {
		/* A spare that died unnoticed: once more with a new one. */
		e = errno;
		close(sock);
		sock = -1;
		kill(pid, SIGKILL);
		if (!was_spare || (pid = helper_get(&sock, &was_spare)) < 0) {
			pid = -1;
			rpc_error(call, AE_INTERNAL, "cannot hand the copy to "
			    "its helper: %s", strerror(e));
			goto fail;
		}
	}
	close(reqfd);
	close(rootfd);
	close(datafd);
	j->call = call;
	j->pid = pid;
	snprintf(j->cell, sizeof j->cell, "%s", c->name);
	j->w.fd = sock;
	j->w.events = EPOLLIN;
	j->w.cb = job_done;
	j->w.data = j;
	fcntl(sock, F_SETFL, O_NONBLOCK);
	LIST_INSERT_HEAD(&jobs, j, entry);
	if (loop_add(&j->w) < 0) {
		kill(pid, SIGKILL);
		LIST_REMOVE(j, entry);
		close(sock);
		free(j);
		rpc_error(call, AE_INTERNAL, "cannot watch the copy: %s",
		    strerror(errno));
		return -1;
	}
	log_debug("cell %s: copy helper %d%s", c->name, (int)pid,
	    was_spare ? " (the spare)" : "");
	return 0;

fail:
	if (pid > 0)
		kill(pid, SIGKILL);
	if (sock >= 0)
		close(sock);
	if (reqfd >= 0)
		close(reqfd);
	close(rootfd);
	close(datafd);
	free(j);
	return -1;
}

/* See copyjob.h. */
void
copyjob_cell_removed(const struct cell *c)
{
	struct copy_job	*j;

	LIST_FOREACH(j, &jobs, entry)
		if (strcmp(j->cell, c->name) == 0 && !j->cell_removed) {
			j->cell_removed = 1;
			kill(j->pid, SIGKILL);
		}
}
