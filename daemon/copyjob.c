/* copyjob.c - file copies run in a forked worker process. */
#include "copyjob.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/queue.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cell.h"
#include "log.h"
#include "loop.h"
#include "rpc.h"

/* What a worker writes on its result pipe: exactly one of these. */
struct copy_result {
	struct tar_stats	 st;
	struct tar_error	 err;
	int			 failed;
};

struct copy_job {
	struct rpc_call		*call;
	char			 cell[CELL_NAME_MAX + 1];
	pid_t			 pid;
	int			 cell_removed;
	struct loop_watch	 w;		/* result pipe */
	LIST_ENTRY(copy_job)	 entry;
};

static LIST_HEAD(, copy_job) jobs = LIST_HEAD_INITIALIZER(jobs);

/* See copyjob.h. */
int
copyjob_cell_root(const struct cell *c)
{
	char	 path[64];
	int	 fd;

	if (c->init_pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	snprintf(path, sizeof path, "/proc/%d/root", (int)c->init_pid);
	if ((fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	/* The pid could have been reused: the init must still be alive
	 * now that the root is open. */
	if (c->init_pidfd >= 0 && syscall(SYS_pidfd_send_signal,
	    c->init_pidfd, 0, NULL, 0) < 0) {
		close(fd);
		errno = ESRCH;
		return -1;
	}
	return fd;
}

/* In the worker: keep rootfd, datafd and resfd as 3, 4 and 5, close
 * everything else, run the work, report, exit. */
static void __attribute__((noreturn))
worker(int rootfd, int datafd, int resfd, copyjob_fn fn, const void *arg)
{
	struct copy_result	 res;
	struct rlimit		 rl;
	sigset_t		 none;
	int			 r, fds[3] = { rootfd, datafd, resfd }, i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "auraed-copy");
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	for (i = 0; i < 3; i++)
		if ((fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 100)) < 0)
			_exit(1);
	for (i = 0; i < 3; i++)
		if (dup3(fds[i], 3 + i, O_CLOEXEC) < 0)
			_exit(1);
	syscall(SYS_close_range, 6, ~0U, 0);
	/* Deep trees keep one descriptor per level. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	memset(&res, 0, sizeof res);
	r = fn(3, 4, arg, &res.st, &res.err);
	res.failed = r < 0;
	close(4);
	if (write(5, &res, sizeof res) != (ssize_t)sizeof res)
		_exit(1);
	_exit(0);
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

/* The result pipe is readable: answer the call. */
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
		log_error("copy worker %d for cell %s died", (int)j->pid,
		    j->cell);
		rpc_error(j->call, AE_INTERNAL, "the copy worker died");
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
}

/* See copyjob.h. */
int
copyjob_start(struct rpc_call *call, struct cell *c, int rootfd, int datafd,
    copyjob_fn fn, const void *arg)
{
	struct copy_job	*j;
	int		 res[2];
	pid_t		 pid;

	if ((j = calloc(1, sizeof *j)) == NULL ||
	    pipe2(res, O_CLOEXEC) < 0) {
		free(j);
		close(rootfd);
		close(datafd);
		rpc_error(call, AE_RESOURCE_EXHAUSTED, "cannot start the copy: "
		    "%s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == 0) {
		close(res[0]);
		worker(rootfd, datafd, res[1], fn, arg);
	}
	close(res[1]);
	close(rootfd);
	close(datafd);
	if (pid < 0) {
		close(res[0]);
		free(j);
		rpc_error(call, AE_RESOURCE_EXHAUSTED, "cannot start the copy: "
		    "%s", strerror(errno));
		return -1;
	}
	j->call = call;
	j->pid = pid;
	snprintf(j->cell, sizeof j->cell, "%s", c->name);
	j->w.fd = res[0];
	j->w.events = EPOLLIN;
	j->w.cb = job_done;
	j->w.data = j;
	fcntl(res[0], F_SETFL, O_NONBLOCK);
	LIST_INSERT_HEAD(&jobs, j, entry);
	if (loop_add(&j->w) < 0) {
		kill(pid, SIGKILL);
		LIST_REMOVE(j, entry);
		close(res[0]);
		free(j);
		rpc_error(call, AE_INTERNAL, "cannot watch the copy: %s",
		    strerror(errno));
		return -1;
	}
	log_debug("cell %s: copy worker %d", c->name, (int)pid);
	return 0;
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
