/* cellinit.c - the sealed init image, cloning a cell's init into its
 * namespaces, and the control connection. */
#include "cellinit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auraed.h"
#include "cell.h"
#include "cgroup.h"
#include "config.h"
#include "fdpass.h"
#include "log.h"

static int	init_memfd = -1;
static int	main_policy = SCHED_OTHER;	/* the daemon's own */
static struct sched_param main_param;

static const struct {
	const char	*name;
	unsigned	 flag;
} ns_names[] = {
	{ "pid", NS_PID }, { "mount", NS_MNT }, { "mnt", NS_MNT },
	{ "ipc", NS_IPC }, { "uts", NS_UTS }, { "net", NS_NET },
	{ "network", NS_NET }, { "cgroup", NS_CGROUP },
};

/* Namespace flag of a name. */
unsigned
cellinit_ns_flag(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof ns_names / sizeof ns_names[0]; i++)
		if (strcmp(ns_names[i].name, name) == 0)
			return ns_names[i].flag;
	return 0;
}

/* Canonical name of a flag. */
const char *
cellinit_ns_name(unsigned flag)
{
	size_t	 i;

	for (i = 0; i < sizeof ns_names / sizeof ns_names[0]; i++)
		if (ns_names[i].flag == flag)
			return ns_names[i].name;
	return "?";
}

/* Copy path into a sealed memfd. */
static int
load_image(const char *path)
{
	struct stat	 st;
	off_t		 off = 0;
	ssize_t		 n;
	int		 in, mfd;

	if ((in = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(in);
		errno = ENOEXEC;
		return -1;
	}
	mfd = memfd_create("aurae-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0) {
		close(in);
		return -1;
	}
	while (off < st.st_size) {
		n = sendfile(mfd, in, &off, (size_t)(st.st_size - off));
		if (n <= 0) {
			close(in);
			close(mfd);
			errno = n == 0 ? EIO : errno;
			return -1;
		}
	}
	close(in);
	if (fchmod(mfd, 0555) < 0 || fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL |
	    F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
		close(mfd);
		return -1;
	}
	return mfd;
}

/* See cellinit.h. */
int
cellinit_prepare(const char *path)
{
	char	 self[PATH_MAX], cand[PATH_MAX], *slash;
	ssize_t	 n;

	if (path == NULL) {
		n = readlink("/proc/self/exe", self, sizeof self - 1);
		if (n > 0) {
			self[n] = '\0';
			if ((slash = strrchr(self, '/')) != NULL)
				*slash = '\0';
			snprintf(cand, sizeof cand, "%.4000s/aurae-init", self);
			if (access(cand, X_OK) == 0)
				path = cand;
		}
		if (path == NULL)
			path = LIBEXECDIR "/aurae/aurae-init";
	}
	/* Cells run with the daemon's policy, even when a lower-priority
	 * thread (the pool's) makes them. */
	if ((main_policy = sched_getscheduler(0)) < 0)
		main_policy = SCHED_OTHER;
	sched_getparam(0, &main_param);
	if ((init_memfd = load_image(path)) < 0) {
		log_error("cannot load the cell init %s: %s", path,
		    strerror(errno));
		return -1;
	}
	log_debug("cell init: %s", path);
	return 0;
}

/* The control socket of a cell. */
void
cellinit_sock_path(const struct cell *c, char *out, size_t len)
{
	char	 enc[CELL_NAME_MAX + 1], *p;

	snprintf(enc, sizeof enc, "%s", c->name);
	for (p = enc; *p; p++)
		if (*p == '/')
			*p = '%';
	snprintf(out, len, "%s/cells/%s.sock", cfg.run_dir, enc);
}

/* The log directory of a cell. */
void
cellinit_log_dir(const char *cell, char *out, size_t len)
{
	char	 enc[CELL_NAME_MAX + 1], *p;

	snprintf(enc, sizeof enc, "%s", cell);
	for (p = enc; *p; p++)
		if (*p == '/')
			*p = '%';
	snprintf(out, len, "%s/logs/%s", cfg.state_dir, enc);
}

/* mkdir -p with mode for the last component. */
static int
mkdirs(const char *path, mode_t mode)
{
	char	 tmp[PATH_MAX], *p;

	snprintf(tmp, sizeof tmp, "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Bring the loopback interface up in the current net namespace. */
static int
loopback_up(void)
{
	struct ifreq	 ifr;
	int		 s, r;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	r = ioctl(s, SIOCGIFFLAGS, &ifr);
	if (r == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return r;
}

/* In the cloned child: finish the namespaces and exec the init.  Never
 * returns; failures are reported as an errno on errfd and exit 127. */
static void
child_setup(const struct cell *c, int go, int errfd, int lsock, int logfd)
{
	static char *const envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:"
	    "/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	char		*argv[] = { "aurae-init", (char *)c->name, NULL };
	const char	*leaf;
	char		 b;
	int		 e, nul, img, errfd2;

	/* Wait until the parent has put us in every cgroup. */
	if (read(go, &b, 1) != 1)
		_exit(127);
	if (sched_getscheduler(0) != main_policy &&
	    sched_setscheduler(0, main_policy, &main_param) < 0)
		goto fail;
	/* The cgroup namespace's root is the cgroup we are in now. */
	if ((c->ns & NS_CGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		goto fail;
	if (c->ns & NS_MNT) {
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			goto fail;
		if ((c->ns & NS_PID) && mount("proc", "/proc", "proc",
		    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
			goto fail;
		/* Hide the daemon's state from the cell. */
		mount("tmpfs", cfg.run_dir, "tmpfs", MS_NOSUID | MS_NODEV |
		    MS_NOEXEC, "size=64k,mode=755");
		mount("tmpfs", cfg.state_dir, "tmpfs", MS_NOSUID | MS_NODEV |
		    MS_NOEXEC, "size=64k,mode=700");
	}
	if (c->ns & NS_UTS) {
		leaf = strrchr(c->name, '/');
		leaf = leaf ? leaf + 1 : c->name;
		if (sethostname(leaf, strlen(leaf)) < 0)
			goto fail;
	}
	if ((c->ns & NS_NET) && loopback_up() < 0)
		goto fail;
	/* A sysfs of the cell's own network namespace (read-only), with the
	 * cell's cgroup as /sys/fs/cgroup. */
	if ((c->ns & NS_MNT) && (c->ns & NS_NET)) {
		if (mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV |
		    MS_NOEXEC | MS_RDONLY, NULL) < 0)
			goto fail;
		if (c->ns & NS_CGROUP)
			mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID |
			    MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL);
	}
	/* Exactly 0-2 (/dev/null), 3 (control), 4 (logs), 5 (image, closed
	 * by exec), 6 (error pipe, closed by exec).  Everything is first
	 * moved above 100 so that no renumbering clobbers another. */
	nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	lsock = fcntl(lsock, F_DUPFD_CLOEXEC, 100);
	logfd = fcntl(logfd, F_DUPFD_CLOEXEC, 100);
	img = fcntl(init_memfd, F_DUPFD_CLOEXEC, 100);
	errfd2 = fcntl(errfd, F_DUPFD_CLOEXEC, 100);
	if (nul < 0 || lsock < 0 || logfd < 0 || img < 0 || errfd2 < 0)
		goto fail;
	errfd = errfd2;
	if (dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(nul, 2) < 0 ||
	    dup3(lsock, 3, 0) < 0 || dup3(logfd, 4, 0) < 0 ||
	    dup3(img, 5, O_CLOEXEC) < 0 || dup3(errfd2, 6, O_CLOEXEC) < 0)
		goto fail;
	errfd = 6;
	syscall(SYS_close_range, 7, ~0U, 0);
	syscall(SYS_execveat, 5, "", argv, envp, AT_EMPTY_PATH);
fail:
	e = errno;
	if (write(errfd, &e, sizeof e) < 0)
		_exit(127);
	_exit(127);
}

/* Connect a SEQPACKET socket to the init. */
static int
connect_init(const struct cell *c)
{
	struct sockaddr_un	 sun;
	struct timeval		 tv = { 2, 0 };
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	cellinit_sock_path(c, sun.sun_path, sizeof sun.sun_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* A stuck init must not stall the daemon for long. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* See cellinit.h. */
int
cellinit_start(struct cell *c, char *msg, size_t len)
{
	struct clone_args	 ca;
	struct sockaddr_un	 sun;
	char			 dir[PATH_MAX], logdir[PATH_MAX];
	int			 go[2] = { -1, -1 }, err[2] = { -1, -1 };
	int			 lsock = -1, logfd = -1, cgfd = -1, pidfd = -1;
	int			 e = 0, use_cgfd;
	ssize_t			 n;
	pid_t			 pid;

	if (init_memfd < 0) {
		snprintf(msg, len, "the cell init is not available");
		return -1;
	}
	snprintf(dir, sizeof dir, "%s/cells", cfg.run_dir);
	cellinit_log_dir(c->name, logdir, sizeof logdir);
	if (mkdirs(dir, 0700) < 0 || mkdirs(logdir, 0700) < 0) {
		snprintf(msg, len, "cannot create %s: %s", logdir,
		    strerror(errno));
		return -1;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	cellinit_sock_path(c, sun.sun_path, sizeof sun.sun_path);
	unlink(sun.sun_path);
	lsock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (lsock < 0 || bind(lsock, (struct sockaddr *)&sun, sizeof sun) < 0 ||
	    chmod(sun.sun_path, 0600) < 0 || listen(lsock, 4) < 0 ||
	    (logfd = open(logdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    pipe2(go, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		snprintf(msg, len, "cannot prepare the cell init: %s",
		    strerror(errno));
		goto fail;
	}
	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_PIDFD;
	ca.pidfd = (uint64_t)(uintptr_t)&pidfd;
	ca.exit_signal = SIGCHLD;
	if (c->ns & NS_PID)
		ca.flags |= CLONE_NEWPID;
	if (c->ns & NS_MNT)
		ca.flags |= CLONE_NEWNS;
	if (c->ns & NS_IPC)
		ca.flags |= CLONE_NEWIPC;
	if (c->ns & NS_UTS)
		ca.flags |= CLONE_NEWUTS;
	if (c->ns & NS_NET)
		ca.flags |= CLONE_NEWNET;
	/* Born in the tracking cgroup when it is v2: never counted
	 * elsewhere, even for an instant. */
	use_cgfd = cgroup_tracking_fd(c->cgroup, &cgfd) == 0;
	if (use_cgfd) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)cgfd;
	}
	pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	if (pid < 0 && use_cgfd && errno == EINVAL) {
		ca.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
		pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	}
	if (pid == 0) {
		close(go[1]);
		close(err[0]);
		child_setup(c, go[0], err[1], lsock, logfd);
	}
	if (pid < 0) {
		snprintf(msg, len, "cannot start the cell init: %s",
		    strerror(errno));
		goto fail;
	}
	close(go[0]);
	close(err[1]);
	go[0] = err[1] = -1;
	if (cgroup_add_pid(c->cgroup, pid) < 0) {
		e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		snprintf(msg, len, "cannot move the cell init into its cgroup: "
		    "%s", strerror(e));
		goto fail;
	}
	if (write(go[1], "g", 1) != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		snprintf(msg, len, "cannot start the cell init");
		goto fail;
	}
	/* EOF: the exec worked.  An int: the errno of what failed. */
	n = read(err[0], &e, sizeof e);
	if (n == (ssize_t)sizeof e) {
		waitpid(pid, NULL, 0);
		snprintf(msg, len, "cannot set up the cell's namespaces: %s",
		    strerror(e));
		goto fail;
	}
	c->init_pid = pid;
	c->init_pidfd = pidfd;
	pidfd = -1;
	close(go[1]);
	close(err[0]);
	close(lsock);
	close(logfd);
	if (cgfd >= 0)
		close(cgfd);
	if ((c->init_w.fd = connect_init(c)) < 0) {
		snprintf(msg, len, "cannot reach the cell init: %s",
		    strerror(errno));
		kill(pid, SIGKILL);
		return -1;
	}
	log_debug("cell %s: init pid %d", c->name, (int)pid);
	return 0;
fail:
	if (go[0] >= 0)
		close(go[0]);
	if (go[1] >= 0)
		close(go[1]);
	if (err[0] >= 0)
		close(err[0]);
	if (err[1] >= 0)
		close(err[1]);
	if (lsock >= 0)
		close(lsock);
	if (logfd >= 0)
		close(logfd);
	if (cgfd >= 0)
		close(cgfd);
	if (pidfd >= 0)
		close(pidfd);
	unlink(sun.sun_path);
	return -1;
}

/* See cellinit.h. */
int
cellinit_reconnect(struct cell *c)
{
	if (c->init_pid <= 0)
		return -1;
	c->init_pidfd = (int)syscall(SYS_pidfd_open, c->init_pid, 0);
	if (c->init_pidfd < 0)
		return -1;
	if ((c->init_w.fd = connect_init(c)) < 0) {
		close(c->init_pidfd);
		c->init_pidfd = -1;
		return -1;
	}
	return 0;
}

/* See cellinit.h. */
int
cellinit_send(struct cell *c, const struct init_hdr *h, const void *data,
    size_t len, const int *fds, size_t nfds)
{
	char	*msg;
	ssize_t	 r;

	if (c->init_w.fd < 0) {
		errno = ENOTCONN;
		return -1;
	}
	if (sizeof *h + len > INIT_MAX_MSG) {
		errno = E2BIG;
		return -1;
	}
	if ((msg = malloc(sizeof *h + len)) == NULL)
		return -1;
	memcpy(msg, h, sizeof *h);
	if (len)
		memcpy(msg + sizeof *h, data, len);
	r = fdpass_send(c->init_w.fd, msg, sizeof *h + len, fds, nfds);
	free(msg);
	return r < 0 ? -1 : 0;
}
