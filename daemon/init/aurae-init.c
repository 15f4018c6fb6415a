/* aurae-init.c - PID 1 of a cell.
 *
 * Started by auraed inside the cell's namespaces and cgroup, from a sealed
 * memfd copy of this binary (so /proc/1/exe leads nowhere on the host),
 * with exactly these descriptors:
 *	0-2	/dev/null
 *	3	the listening control socket (SOCK_SEQPACKET)
 *	4	the cell's log directory
 *	6	for a cell with a root only (argv[2] INIT_ARG_PIVOT): where to
 *		report the pivot into it (init-proto.h)
 * It accepts one auraed connection at a time (only from outside its pid
 * namespace), starts executables on request, relays their output into
 * bounded log files, reaps every process, forwards SIGTERM, SIGINT,
 * SIGHUP, SIGUSR1 and SIGUSR2 to the executables, and keeps exit statuses
 * until auraed has been told.  It never exits on its own while the cell
 * exists: INIT_SHUTDOWN or SIGKILL (cgroup kill) ends it.
 *
 * Log files are in the CRI format, one record per line:
 *	2026-11-23T17:58:08.123456789Z stdout F text
 * where F marks a complete line and P a partial one (a line longer than
 * the relay buffer, or the last bytes before EOF without a newline).  Each
 * file is capped; at the cap it is renamed to NAME.1 (replacing the old
 * one) and a new file started, so an executable keeps at most twice the
 * cap. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <termios.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "init-proto.h"

#define CTL_LISTEN	3
#define LOG_DIRFD	4
#define LOG_CAP		(1024 * 1024)
#define RELAY_CHUNK	16384

struct exe {
	uint64_t	 id;
	pid_t		 pid;
	int		 running;
	int		 status;
	int		 forgotten;	/* auraed has recorded the exit */
	int		 out[2];	/* log relay pipes' read ends, or -1 */
	int		 logfd;
	off_t		 logsize;
	char		 partial[2];	/* a P record is pending per stream */
	int64_t		 started, exited;
};

static struct exe	*exes;
static size_t		 nexes;
static int		 ctl = -1;	/* the connected auraed */
static int		 epfd;

/* Milliseconds since the epoch. */
static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Send one message to auraed; dropped if it is not connected. */
static void
send_msg(struct init_hdr *h)
{
	if (ctl < 0)
		return;
	if (send(ctl, h, sizeof *h, MSG_NOSIGNAL) < 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, ctl, NULL);
		close(ctl);
		ctl = -1;
	}
}

/* One pass of kill_session(): signal every live (not zombie) process of
 * session sid.  Returns how many were signalled. */
static int
kill_session_pass(pid_t sid, int sig)
{
	char		 path[64], st[512], *p, state;
	DIR		*d;
	struct dirent	*de;
	long		 pid, s;
	int		 fd, n = 0;
	ssize_t		 r;

	if ((d = opendir("/proc")) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		pid = strtol(de->d_name, &p, 10);
		if (*p != '\0' || pid <= 1)
			continue;
		snprintf(path, sizeof path, "/proc/%ld/stat", pid);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		r = read(fd, st, sizeof st - 1);
		close(fd);
		if (r <= 0)
			continue;
		st[r] = '\0';
		/* pid (comm) state ppid pgrp session ...; comm may hold
		 * spaces and parentheses, so start after the last ')'. */
		if ((p = strrchr(st, ')')) == NULL ||
		    sscanf(p + 1, " %c %*d %*d %ld", &state, &s) != 2 ||
		    s != sid || state == 'Z' || state == 'X')
			continue;
		if (kill((pid_t)pid, sig) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* Signal every process of session sid, as our /proc (the cell's own)
 * lists them.  For SIGKILL, passes repeat until one finds nobody alive
 * (bounded), so that a child forked while a pass ran is not missed.
 * Returns how many were signalled in the first pass. */
static int
kill_session(pid_t sid, int sig)
{
	struct timespec	 ms = { 0, 1000000 };
	int		 n, i;

	if (sid <= 1)
		return 0;
	n = kill_session_pass(sid, sig);
	if (sig != SIGKILL)
		return n;
	for (i = 0; i < 500 && kill_session_pass(sid, sig) > 0; i++)
		nanosleep(&ms, NULL);
	return n;
}

/* Send one message with a descriptor attached. */
static void
send_msg_fd(struct init_hdr *h, int fd)
{
	struct msghdr	 mh;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	union {
		char		b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	} cb;

	if (ctl < 0)
		return;
	memset(&mh, 0, sizeof mh);
	memset(&cb, 0, sizeof cb);
	iov.iov_base = h;
	iov.iov_len = sizeof *h;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cb.b;
	mh.msg_controllen = sizeof cb.b;
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	if (sendmsg(ctl, &mh, MSG_NOSIGNAL) < 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, ctl, NULL);
		close(ctl);
		ctl = -1;
	}
}

/* Find an executable by id. */
static struct exe *
find_exe(uint64_t id)
{
	size_t	 i;

	for (i = 0; i < nexes; i++)
		if (exes[i].id == id)
			return &exes[i];
	return NULL;
}

/* Report one exit to auraed. */
static void
report_exit(struct exe *e)
{
	struct init_hdr	 h;

	memset(&h, 0, sizeof h);
	h.type = INIT_EXITED;
	h.id = e->id;
	h.pid = e->pid;
	h.status = e->status;
	h.started = e->started;
	h.exited = e->exited;
	/* Kept until auraed says it has recorded it (INIT_FORGET): a
	 * daemon killed with the message unread gets it again with
	 * INIT_HELLO. */
	send_msg(&h);
}

/* Drop an exe record once it has exited, auraed has recorded that, and
 * its output is drained. */
static void
maybe_drop(struct exe *e)
{
	if (e->running || !e->forgotten || e->out[0] >= 0 || e->out[1] >= 0)
		return;
	if (e->logfd >= 0)
		close(e->logfd);
	*e = exes[--nexes];
}

/* Open (or reopen after rotation) the log file of e. */
static int
log_open(struct exe *e)
{
	char		 name[64];
	struct stat	 st;

	snprintf(name, sizeof name, "%llu.log", (unsigned long long)e->id);
	e->logfd = openat(LOG_DIRFD, name, O_WRONLY | O_CREAT | O_APPEND |
	    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (e->logfd < 0)
		return -1;
	e->logsize = fstat(e->logfd, &st) == 0 ? st.st_size : 0;
	return 0;
}

/* Append one record, rotating at the cap. */
static void
log_record(struct exe *e, int stream, const char *p, size_t n, int full)
{
	char		 head[96], name[64], old[64];
	struct timespec	 ts;
	struct tm	 tm;
	size_t		 hl;
	struct iovec	 iov[3];

	if (e->logfd < 0 && log_open(e) < 0)
		return;
	if (e->logsize + (off_t)n + 96 > LOG_CAP) {
		snprintf(name, sizeof name, "%llu.log",
		    (unsigned long long)e->id);
		snprintf(old, sizeof old, "%llu.log.1",
		    (unsigned long long)e->id);
		renameat(LOG_DIRFD, name, LOG_DIRFD, old);
		close(e->logfd);
		if (log_open(e) < 0)
			return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	hl = strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &tm);
	hl += (size_t)snprintf(head + hl, sizeof head - hl, ".%09ldZ %s %c ",
	    ts.tv_nsec, stream ? "stderr" : "stdout", full ? 'F' : 'P');
	iov[0].iov_base = head;
	iov[0].iov_len = hl;
	iov[1].iov_base = (void *)p;
	iov[1].iov_len = n;
	iov[2].iov_base = "\n";
	iov[2].iov_len = 1;
	if (writev(e->logfd, iov, 3) > 0)
		e->logsize += (off_t)(hl + n + 1);
}

/* Relay what a pipe holds into records, line by line.  Returns the bytes
 * read, 0 at EOF (the pipe is then closed) or -1 when nothing is there. */
static ssize_t
relay(struct exe *e, int stream)
{
	char	 b[RELAY_CHUNK], *p, *nl;
	ssize_t	 n;
	size_t	 left;

	n = read(e->out[stream], b, sizeof b);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return -1;
	if (n <= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, e->out[stream], NULL);
		close(e->out[stream]);
		e->out[stream] = -1;
		return 0;
	}
	for (p = b, left = (size_t)n; left > 0; ) {
		nl = memchr(p, '\n', left);
		if (nl == NULL) {
			log_record(e, stream, p, left, 0);
			break;
		}
		log_record(e, stream, p, (size_t)(nl - p), 1);
		left -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	return n;
}

/* Refuse TIOCSTI and TIOCLINUX (typing into a terminal's input) to this
 * process and its descendants: a session must not be able to inject
 * input into its own terminal, let alone anyone else's. */
static int
deny_tiocsti(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[1])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof f / sizeof f[0], f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* In the child: become the executable or die with errno on errpipe. */
static void
child_exec(const struct init_hdr *h, char **argv, char **envp,
    const char *cwd, const int *stdio, int errpipe)
{
	sigset_t	 all;
	int		 e[2], i, stage = INIT_STAGE_SETUP;

	/* Dispositions are the defaults already (main() resets them), so
	 * only the mask needs resetting. */
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (h->flags & (INIT_F_SETSID | INIT_F_TTY))
		setsid();
	else
		setpgid(0, 0);
	/* The terminal's slave becomes the controlling terminal. */
	if ((h->flags & INIT_F_TTY) && (ioctl(stdio[0], TIOCSCTTY, 0) < 0 ||
	    deny_tiocsti() < 0))
		goto fail;
	for (i = 0; i < 3; i++)
		if (dup2(stdio[i], i) < 0)
			goto fail;
	/* Only 0-2 and the error pipe (closed by exec) survive. */
	if (errpipe > 3)
		syscall(SYS_close_range, 3, errpipe - 1, 0);
	syscall(SYS_close_range, errpipe + 1, ~0U, 0);
	stage = INIT_STAGE_USER;
	if (setgroups(0, NULL) < 0 && h->uid != 0)
		goto fail;
	if (setgid(h->gid) < 0 || setuid(h->uid) < 0)
		goto fail;
	stage = INIT_STAGE_CWD;
	if (cwd[0] != '\0' && chdir(cwd) < 0 &&
	    (!(h->flags & INIT_F_CWD_OPTIONAL) || chdir("/") < 0))
		goto fail;
	stage = INIT_STAGE_EXEC;
	execvpe(argv[0], argv, envp);
fail:
	/* The stage and the errno, for a message that says what failed. */
	e[0] = stage;
	e[1] = errno;
	if (write(errpipe, e, sizeof e) < 0)
		_exit(127);
	_exit(127);
}

/* Split the data of a SPAWN into argv, envp and cwd (pointers into
 * data).  Returns 0, or -1 when malformed. */
static int
split_data(const struct init_hdr *h, char *data, size_t len, char ***argvp,
    char ***envpp, char **cwdp)
{
	char	**v, *p = data, *end = data + len;
	size_t	 i, n = (size_t)h->nargv + h->nenv + 2;

	if (h->nargv == 0 || h->nargv > 65536 || h->nenv > 65536 ||
	    len == 0 || data[len - 1] != '\0')
		return -1;
	if ((v = calloc(n, sizeof *v)) == NULL)
		return -1;
	for (i = 0; i < (size_t)h->nargv + h->nenv; i++) {
		if (p >= end)
			goto bad;
		/* argv then a NULL, then envp then a NULL. */
		v[i < h->nargv ? i : i + 1] = p;
		p += strlen(p) + 1;
	}
	if (p >= end)
		goto bad;
	*cwdp = p;
	*argvp = v;
	*envpp = v + h->nargv + 1;
	return 0;
bad:
	free(v);
	return -1;
}

/* Handle INIT_SPAWN. */
static void
do_spawn(struct init_hdr *h, char *data, size_t len, int *fds, size_t nfds)
{
	struct init_hdr	 r;
	struct exe	*e;
	struct epoll_event ev;
	char		**argv, **envp, *cwd;
	int		 stdio[3], pipes[2][2] = { { -1, -1 }, { -1, -1 } };
	int		 errp[2], err = 0, i, want, k = 0, master = -1, slave = -1;
	size_t		 used = 0;
	struct winsize	 ws;
	ssize_t		 n;
	pid_t		 pid;

	memset(&r, 0, sizeof r);
	r.type = INIT_SPAWNED;
	r.id = h->id;
	want = !!(h->flags & INIT_F_STDIN) + !!(h->flags & INIT_F_STDOUT) +
	    !!(h->flags & INIT_F_STDERR);
	if ((size_t)want != nfds || find_exe(h->id) != NULL ||
	    nexes >= INIT_MAX_EXES ||
	    split_data(h, data, len, &argv, &envp, &cwd) < 0) {
		r.err = find_exe(h->id) ? EEXIST : nexes >= INIT_MAX_EXES ?
		    EAGAIN : EINVAL;
		send_msg(&r);
		return;
	}
	/* A terminal: the slave is all three streams. */
	if (h->flags & INIT_F_TTY) {
		if (nfds != 0 || (master = posix_openpt(O_RDWR | O_NOCTTY |
		    O_CLOEXEC)) < 0 || grantpt(master) < 0 ||
		    unlockpt(master) < 0 || (slave = open(ptsname(master),
		    O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
			err = nfds != 0 ? EINVAL : errno;
			if (master >= 0)
				close(master);
			stdio[0] = -1;
			goto out;
		}
		memset(&ws, 0, sizeof ws);
		ws.ws_row = h->rows ? h->rows : 24;
		ws.ws_col = h->cols ? h->cols : 80;
		ioctl(master, TIOCSWINSZ, &ws);
		stdio[0] = stdio[1] = stdio[2] = slave;
		goto streams_done;
	}
	/* Standard streams: passed, or log pipes, or /dev/null. */
	for (i = 0; i < 3; i++) {
		if (h->flags & (1u << i)) {
			stdio[i] = fds[k++];
			used++;
			continue;
		}
		if (i == 0) {
			stdio[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
			continue;
		}
		if (pipe2(pipes[i - 1], O_CLOEXEC) < 0) {
			err = errno;
			goto out;
		}
		stdio[i] = pipes[i - 1][1];
	}
streams_done:
	if (pipe2(errp, O_CLOEXEC) < 0) {
		err = errno;
		goto out;
	}
	pid = fork();
	if (pid == 0)
		child_exec(h, argv, envp, cwd, stdio, errp[1]);
	close(errp[1]);
	if (pid < 0)
		err = errno;
	else {
		/* EOF means exec succeeded; else the stage and errno. */
		int	 se[2];

		do
			n = read(errp[0], se, sizeof se);
		while (n < 0 && errno == EINTR);
		if (n == (ssize_t)sizeof se) {
			r.status = se[0];
			err = se[1];
		}
	}
	close(errp[0]);
	if (err == 0) {
		exes = reallocarray(exes, nexes + 1, sizeof *exes);
		e = &exes[nexes++];
		memset(e, 0, sizeof *e);
		e->id = h->id;
		e->pid = pid;
		e->running = 1;
		e->logfd = -1;
		e->started = now_ms();
		for (i = 0; i < 2; i++) {
			e->out[i] = pipes[i][0];
			pipes[i][0] = -1;
			if (e->out[i] < 0)
				continue;
			fcntl(e->out[i], F_SETFL, O_NONBLOCK);
			ev.events = EPOLLIN;
			ev.data.u64 = ((uint64_t)(i + 1) << 32) | (uint64_t)e->id;
			epoll_ctl(epfd, EPOLL_CTL_ADD, e->out[i], &ev);
		}
		r.pid = pid;
		r.started = e->started;
	} else if (pid > 0)
		waitpid(pid, NULL, 0);	/* it exited 127 */
out:
	for (i = 0; i < 2; i++) {
		if (pipes[i][0] >= 0)
			close(pipes[i][0]);
		if (pipes[i][1] >= 0)
			close(pipes[i][1]);
	}
	if (slave >= 0)
		close(slave);
	else if (!(h->flags & INIT_F_STDIN) && stdio[0] >= 0)
		close(stdio[0]);
	for (i = 0; i < (int)used; i++)
		close(fds[i]);
	free(argv);
	r.err = err;
	if (err == 0 && master >= 0) {
		/* The master goes to auraed and on to the client; the init
		 * keeps no copy, so the session ends when the client lets
		 * go of it. */
		send_msg_fd(&r, master);
		close(master);
	} else {
		if (master >= 0)
			close(master);
		send_msg(&r);
	}
}

/* Handle one message from auraed. */
static void
handle_ctl(void)
{
	static char	 msg[INIT_MAX_MSG];
	struct init_hdr	 h, r;
	struct msghdr	 mh;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	struct exe	*e;
	union {
		char		b[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr	align;
	} cb;
	int		 fds[8];
	size_t		 nfds = 0, i;
	ssize_t		 n;

	memset(&mh, 0, sizeof mh);
	iov.iov_base = msg;
	iov.iov_len = sizeof msg;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cb.b;
	mh.msg_controllen = sizeof cb.b;
	n = recvmsg(ctl, &mh, MSG_CMSG_CLOEXEC);
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
			for (i = 0; i < (cm->cmsg_len - CMSG_LEN(0)) /
			    sizeof(int); i++) {
				int fd;

				memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int),
				    sizeof fd);
				if (nfds < 8)
					fds[nfds++] = fd;
				else
					close(fd);
			}
	if (n <= 0 || (size_t)n < sizeof h || (mh.msg_flags & MSG_TRUNC)) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		if (n == 0 || n < 0) {
			epoll_ctl(epfd, EPOLL_CTL_DEL, ctl, NULL);
			close(ctl);
			ctl = -1;
		}
		return;
	}
	memcpy(&h, msg, sizeof h);
	memset(&r, 0, sizeof r);
	r.id = h.id;
	switch (h.type) {
	case INIT_HELLO:
		for (i = 0; i < nexes; i++) {
			e = &exes[i];
			r.type = INIT_ENTRY;
			r.id = e->id;
			r.pid = e->pid;
			r.running = e->running;
			r.status = e->status;
			r.started = e->started;
			r.exited = e->exited;
			send_msg(&r);
		}
		memset(&r, 0, sizeof r);
		r.type = INIT_END;
		send_msg(&r);
		break;
	case INIT_FORGET:
		/* No answer: auraed has recorded this exit. */
		if ((e = find_exe(h.id)) != NULL && !e->running) {
			e->forgotten = 1;
			maybe_drop(e);
		}
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		break;
	case INIT_SPAWN:
		if (h.datalen != (size_t)n - sizeof h) {
			for (i = 0; i < nfds; i++)
				close(fds[i]);
			r.type = INIT_SPAWNED;
			r.err = EINVAL;
			send_msg(&r);
			break;
		}
		do_spawn(&h, msg + sizeof h, h.datalen, fds, nfds);
		break;
	case INIT_SIGNAL:
		r.type = INIT_RESULT;
		if (h.flags & INIT_F_SESSION)
			r.err = kill_session(h.pid, h.status) > 0 ? 0 : ESRCH;
		else if ((e = find_exe(h.id)) == NULL || !e->running)
			r.err = ESRCH;
		else if (kill(-e->pid, h.status) < 0 &&
		    kill(e->pid, h.status) < 0)
			r.err = errno;
		send_msg(&r);
		break;
	case INIT_SHUTDOWN:
		/* As PID 1, everything of the cell's pid namespace.  A
		 * subreaper in the host's (share pid) must never kill(-1),
		 * which would be every process of the host: only the groups
		 * of its executables; auraed kills the rest of the cgroup. */
		if (getpid() == 1)
			kill(-1, SIGKILL);
		else
			for (i = 0; i < nexes; i++)
				if (exes[i].running &&
				    kill(-exes[i].pid, SIGKILL) < 0)
					kill(exes[i].pid, SIGKILL);
		_exit(0);
	default:
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		r.type = INIT_RESULT;
		r.err = EINVAL;
		send_msg(&r);
	}
}

/* Accept auraed; a peer inside our pid namespace (pid != 0 as seen from
 * here) is a process of the cell and is refused. */
static void
handle_accept(void)
{
	struct epoll_event	 ev;
	struct ucred		 cr;
	socklen_t		 len = sizeof cr;
	int			 fd;

	fd = accept4(CTL_LISTEN, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 ||
	    (cr.pid != 0 && getpid() == 1) || cr.uid != 0) {
		close(fd);
		return;
	}
	if (ctl >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, ctl, NULL);
		close(ctl);
	}
	ctl = fd;
	ev.events = EPOLLIN;
	ev.data.u64 = 0;
	epoll_ctl(epfd, EPOLL_CTL_ADD, ctl, &ev);
}

/* Reap every child; report executables. */
static void
reap(void)
{
	struct exe	*e;
	size_t		 i;
	pid_t		 pid;
	int		 st, s;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < nexes; i++) {
			e = &exes[i];
			if (e->pid != pid || !e->running)
				continue;
			e->running = 0;
			e->status = st;
			e->exited = now_ms();
			/* What the process wrote before it exited is in the
			 * pipes now: log it before telling auraed, so that a
			 * reader who saw the exit sees all the output. */
			for (s = 0; s < 2; s++)
				while (e->out[s] >= 0 && relay(e, s) > 0)
					;
			report_exit(e);
			maybe_drop(e);
			break;
		}
	}
}

/* Pass a signal on to every running executable's process group. */
static void
forward(int sig)
{
	size_t	 i;

	for (i = 0; i < nexes; i++)
		if (exes[i].running && kill(-exes[i].pid, sig) < 0)
			kill(exes[i].pid, sig);
}

/* INIT_ARG_PIVOT: the working directory is the cell's root, its /proc,
 * /dev and /sys mounted; make it / and detach the host's tree.  With
 * pivot_root(".", ".") the old root ends up on top of the new one, where
 * it is detached (runc's way: no directory for it is needed).  Closes
 * INIT_SETUP_FD when done; a failure is reported there and ends the
 * init. */
static void
pivot(void)
{
	struct init_setup_err	 se;
	char			 root[256];

	if (getcwd(root, sizeof root) == NULL)
		snprintf(root, sizeof root, "the cell's root");
	if (syscall(SYS_pivot_root, ".", ".") == 0 &&
	    umount2(".", MNT_DETACH) == 0 && chdir("/") == 0) {
		close(INIT_SETUP_FD);
		return;
	}
	memset(&se, 0, sizeof se);
	se.err = errno;
	snprintf(se.step, sizeof se.step, "pivot_root into %s", root);
	if (write(INIT_SETUP_FD, &se, sizeof se) < 0)
		_exit(127);
	_exit(127);
}

int
main(int argc, char **argv)
{
	struct epoll_event	 ev, evs[32];
	struct signalfd_siginfo	 si;
	sigset_t		 set;
	struct exe		*e;
	int			 sfd, n, i, s;
	uint64_t		 tag;

	prctl(PR_SET_NAME, "aurae-init");
	prctl(PR_SET_DUMPABLE, 0);
	if (argc > 2 && strcmp(argv[2], INIT_ARG_PIVOT) == 0)
		pivot();
	/* Ignored signals survive exec: auraed started in the background of
	 * a shell ignores SIGINT, for one.  Every executable must start with
	 * the defaults, and a blocked but ignored signal would never reach
	 * the signalfd either. */
	for (i = 1; i < NSIG; i++)
		signal(i, SIG_DFL);
	if (getpid() != 1)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || epfd < 0 || fcntl(CTL_LISTEN, F_GETFD) < 0) {
		fprintf(stderr, "aurae-init: must be started by auraed\n");
		return 1;
	}
	fcntl(CTL_LISTEN, F_SETFD, FD_CLOEXEC);
	fcntl(LOG_DIRFD, F_SETFD, FD_CLOEXEC);
	ev.events = EPOLLIN;
	ev.data.u64 = UINT64_MAX;
	epoll_ctl(epfd, EPOLL_CTL_ADD, CTL_LISTEN, &ev);
	ev.data.u64 = UINT64_MAX - 1;
	epoll_ctl(epfd, EPOLL_CTL_ADD, sfd, &ev);
	for (;;) {
		n = epoll_wait(epfd, evs, 32, -1);
		for (i = 0; i < n; i++) {
			tag = evs[i].data.u64;
			if (tag == UINT64_MAX)
				handle_accept();
			else if (tag == UINT64_MAX - 1) {
				while (read(sfd, &si, sizeof si) ==
				    (ssize_t)sizeof si) {
					if (si.ssi_signo == SIGCHLD)
						reap();
					else
						forward((int)si.ssi_signo);
				}
			} else if (tag == 0) {
				if (ctl >= 0)
					handle_ctl();
			} else {
				s = (int)(tag >> 32) - 1;
				e = find_exe(tag & 0xffffffffu);
				if (e != NULL && e->out[s] >= 0 &&
				    relay(e, s) == 0)
					maybe_drop(e);
			}
		}
	}
}
