/* cellinit.c - the sealed init image, cloning a cell's init into its
 * namespaces, and the control connection. */
#include "cellinit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
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

/* The step of child_setup() under way, for its error report (the cloned
 * child's own copy). */
static const char	*setup_what;
static char		 setup_path[PATH_MAX];

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

/* Octal escapes of a mountinfo field (\040 and the like), in place. */
static void
mountinfo_unescape(char *s)
{
	char	*w = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
			    (s[3] - '0'));
			s += 3;
		} else
			*w++ = *s;
	}
	*w = '\0';
}

/* Detach this (new) mount namespace's copies of auraefs mounts.  A cell
 * without a root of its own starts with a copy of the host's mounts;
 * a copy of a FUSE mount keeps its connection, and so its server, alive
 * after the host unmounts it (where the host's mounts are not shared,
 * nothing propagates), and the cell would see another cell's files
 * through it.  Runs in the child between fork and exec: no allocation,
 * no stdio.  Best effort: at most AUFS_MAX mounts. */
#define AUFS_MAX	64
static void
drop_auraefs_mounts(void)
{
	static char	 buf[65536], mps[AUFS_MAX][PATH_MAX];
	size_t		 len = 0, n = 0, i;
	ssize_t		 r;
	char		*line, *nl, *mp, *end, *sep;
	int		 fd, k;

	if ((fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)) < 0)
		return;
	for (;;) {
		r = read(fd, buf + len, sizeof buf - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		buf[len] = '\0';
		line = buf;
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ... - FSTYPE ... */
			for (k = 0, mp = line; k < 4 && mp != NULL; k++)
				if ((mp = strchr(mp, ' ')) != NULL)
					mp++;
			end = mp != NULL ? strchr(mp, ' ') : NULL;
			sep = strstr(line, " - ");
			if (end != NULL && sep != NULL &&
			    strncmp(sep + 3, "fuse.auraefs ", 13) == 0 &&
			    n < AUFS_MAX && (size_t)(end - mp) < PATH_MAX) {
				memcpy(mps[n], mp, (size_t)(end - mp));
				mps[n][end - mp] = '\0';
				mountinfo_unescape(mps[n++]);
			}
			line = nl + 1;
		}
		len -= (size_t)(line - buf);
		memmove(buf, line, len);
		if (len == sizeof buf - 1)	/* a line longer than buf */
			len = 0;
	}
	close(fd);
	for (i = n; i-- > 0; )
		(void)umount2(mps[i], MNT_DETACH);
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

/* Name the step about to run and put root followed by rel into
 * setup_path, which is returned; NULL (ENAMETOOLONG) when it does not
 * fit.  No stdio: this runs in the cloned child. */
static const char *
step_at(const char *what, const char *root, const char *rel)
{
	size_t	 a = strlen(root), b = strlen(rel);

	setup_what = what;
	if (a + b >= sizeof setup_path) {
		setup_path[0] = '\0';
		errno = ENAMETOOLONG;
		return NULL;
	}
	memcpy(setup_path, root, a);
	memcpy(setup_path + a, rel, b + 1);
	return setup_path;
}

/* Make root/rel a directory when it is missing; anything else than a
 * directory there (a symlink could lead a mount out of the root) is
 * ENOTDIR. */
static const char *
mount_point(const char *what, const char *root, const char *rel)
{
	struct stat	 st;
	const char	*p;

	if ((p = step_at(what, root, rel)) == NULL)
		return NULL;
	if (lstat(p, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return p;
		errno = ENOTDIR;
		return NULL;
	}
	if (errno != ENOENT || mkdir(p, 0755) < 0)
		return NULL;
	return p;
}

/* A fresh tmpfs on root/dev populated as runc does: the host's null,
 * zero, full, random, urandom and tty bound onto empty files (binds, not
 * mknod, so that this works in a user namespace too), a devpts of its
 * own with ptmx, the /proc/self/fd links and an empty shm. */
static int
dev_setup(const char *root)
{
	static const char *const devs[] = { "/dev/null", "/dev/zero",
	    "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty" };
	static const char *const links[][2] = {
		{ "pts/ptmx", "/dev/ptmx" }, { "/proc/self/fd", "/dev/fd" },
		{ "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" },
		{ "/proc/self/fd/2", "/dev/stderr" },
	};
	struct stat	 st;
	const char	*p;
	size_t		 i;
	int		 fd;

	if ((p = mount_point("mount a tmpfs on", root, "/dev")) == NULL ||
	    mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NOEXEC,
	    "mode=755,size=64k") < 0)
		return -1;
	for (i = 0; i < sizeof devs / sizeof devs[0]; i++) {
		/* A host without one (a minimal container) goes without. */
		if (stat(devs[i], &st) < 0 && errno == ENOENT)
			continue;
		if ((p = step_at("bind a device on", root, devs[i])) == NULL ||
		    (fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0666)) < 0)
			return -1;
		close(fd);
		if (mount(devs[i], p, NULL, MS_BIND, NULL) < 0)
			return -1;
	}
	if ((p = step_at("mount a devpts on", root, "/dev/pts")) == NULL ||
	    mkdir(p, 0755) < 0 || mount("devpts", p, "devpts", MS_NOSUID |
	    MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") < 0)
		return -1;
	for (i = 0; i < sizeof links / sizeof links[0]; i++)
		if ((p = step_at("create the symlink", root,
		    links[i][1])) == NULL || symlink(links[i][0], p) < 0)
			return -1;
	if ((p = step_at("mount a tmpfs on", root, "/dev/shm")) == NULL ||
	    mkdir(p, 01777) < 0 || mount("tmpfs", p, "tmpfs", MS_NOSUID |
	    MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k") < 0)
		return -1;
	return 0;
}

/* Prepare c->root to become the root of the cell's mount namespace:
 * bound onto itself, with a /proc, /dev and /sys of the cell's own (the
 * host's /proc and /sys when the pid or net namespace is shared), and
 * make it the working directory; the init pivots into it (see
 * INIT_ARG_PIVOT).  / is a slave already: the bind is one too, and the
 * pivot's detach of the host's tree never reaches the host. */
static int
root_setup(const struct cell *c)
{
	const char	*root = c->root, *p;

	step_at("bind-mount the root", root, "");
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -1;
	if ((p = mount_point("mount proc on", root, "/proc")) == NULL)
		return -1;
	if ((c->ns & NS_PID) ? mount("proc", p, "proc", MS_NOSUID |
	    MS_NODEV | MS_NOEXEC, NULL) < 0 : mount("/proc", p, NULL,
	    MS_BIND | MS_REC, NULL) < 0)
		return -1;
	if (dev_setup(root) < 0)
		return -1;
	/* A read-only sysfs of the cell's own network namespace, with the
	 * cell's cgroup as /sys/fs/cgroup. */
	if ((p = mount_point("mount sysfs on", root, "/sys")) == NULL)
		return -1;
	if (c->ns & NS_NET) {
		if (mount("sysfs", p, "sysfs", MS_NOSUID | MS_NODEV |
		    MS_NOEXEC | MS_RDONLY, NULL) < 0)
			return -1;
		if ((c->ns & NS_CGROUP) && (p = step_at("mount cgroup2 on",
		    root, "/sys/fs/cgroup")) != NULL)
			mount("cgroup2", p, "cgroup2", MS_NOSUID | MS_NODEV |
			    MS_NOEXEC | MS_RDONLY, NULL);
	} else if (mount("/sys", p, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -1;
	step_at("change directory to", root, "");
	if (chdir(root) < 0)
		return -1;
	setup_what = NULL;
	return 0;
}

/* Name the step "bind volume NAME on" for the volume v (no stdio). */
static void
volume_step(const struct cell_volume *v)
{
	static char	 what[VOLUME_NAME_MAX + 32];
	size_t		 n = strlen(v->name);

	memcpy(what, "bind volume ", 12);
	memcpy(what + 12, v->name, n);
	memcpy(what + 12 + n, " on", 4);
	setup_what = what;
}

/* Clone the directory of each volume of c into a detached mount
 * (open_tree), in the cell's mount namespace while the host's files are
 * all still in view, made read-only there for ":ro" (mount_setattr) so
 * that it is never writable in the cell, not even for an instant.
 * trees[i] receives the descriptor of volume i. */
static int
volumes_clone(const struct cell *c, int *trees)
{
	struct mount_attr	 attr;
	size_t			 i;

	for (i = 0; i < c->nvolumes; i++) {
		volume_step(&c->volumes[i]);
		step_at(setup_what, c->root, c->volumes[i].path);
		trees[i] = open_tree(AT_FDCWD, c->volumes[i].source,
		    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_SYMLINK_NOFOLLOW);
		if (trees[i] < 0)
			return -1;
		if (!c->volumes[i].ro)
			continue;
		memset(&attr, 0, sizeof attr);
		attr.attr_set = MOUNT_ATTR_RDONLY;
		if (mount_setattr(trees[i], "", AT_EMPTY_PATH, &attr,
		    sizeof attr) < 0)
			return -1;
	}
	return 0;
}

/* openat2(rootfd, path, O_PATH | O_DIRECTORY) resolved as if rootfd were
 * "/": ".." and symbolic links (absolute ones too) stay below it. */
static int
open_in_root(int rootfd, const char *path)
{
	struct open_how	 how;

	memset(&how, 0, sizeof how);
	how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

/* The directory path (absolute and clean: storage_path_clean()) below
 * rootfd, resolved inside it and made (0755) where it is missing, one
 * component at a time: a symbolic link in the cell's root is followed as
 * the cell would follow it, never out of the root.  Returns an O_PATH
 * descriptor, or -1 with errno (ENOTDIR when something else than a
 * directory is in the way). */
static int
mount_target(int rootfd, const char *path)
{
	char	 prefix[PATH_MAX];
	size_t	 n = 0, k;
	int	 cur, fd;

	if ((cur = open_in_root(rootfd, "/")) < 0)
		return -1;
	while (path[n] == '/') {
		k = strcspn(path + n + 1, "/");
		memcpy(prefix, path, n + 1 + k);
		prefix[n + 1 + k] = '\0';
		fd = open_in_root(rootfd, prefix);
		if (fd < 0 && errno == ENOENT) {
			/* cur is the parent, resolved in the root. */
			if (mkdirat(cur, prefix + n + 1, 0755) < 0 &&
			    errno != EEXIST) {
				close(cur);
				return -1;
			}
			fd = open_in_root(rootfd, prefix);
		}
		close(cur);
		if (fd < 0)
			return -1;
		cur = fd;
		n += 1 + k;
	}
	return cur;
}

/* Attach the detached mounts of volumes_clone() to their paths in the
 * cell: below its root (still at c->root, before the pivot) or below
 * the host's "/" (a cell without a root), creating the mount points.
 * Every tree is closed. */
static int
volumes_attach(const struct cell *c, int *trees)
{
	size_t	 i;
	int	 rootfd, fd, r = 0;

	step_at("open the root", c->root, "");
	if ((rootfd = open(c->root[0] != '\0' ? c->root : "/", O_PATH |
	    O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	for (i = 0; i < c->nvolumes && r == 0; i++) {
		volume_step(&c->volumes[i]);
		step_at(setup_what, c->root, c->volumes[i].path);
		if ((fd = mount_target(rootfd, c->volumes[i].path)) < 0) {
			r = -1;
			break;
		}
		if (move_mount(trees[i], "", fd, "", MOVE_MOUNT_F_EMPTY_PATH |
		    MOVE_MOUNT_T_EMPTY_PATH) < 0)
			r = -1;
		close(fd);
	}
	close(rootfd);
	for (i = 0; i < c->nvolumes; i++)
		close(trees[i]);
	if (r == 0)
		setup_what = NULL;
	return r;
}

/* Send what failed (errno e and the step) on errfd. */
static void
report_setup(int errfd, int e)
{
	struct init_setup_err	 se;
	size_t			 n = 0, k;

	memset(&se, 0, sizeof se);
	se.err = e;
	if (setup_what != NULL) {
		k = strlen(setup_what);
		k = k < sizeof se.step - 2 ? k : sizeof se.step - 2;
		memcpy(se.step, setup_what, k);
		n = k;
		if (setup_path[0] != '\0') {
			se.step[n++] = ' ';
			k = strlen(setup_path);
			k = k < sizeof se.step - 1 - n ? k :
			    sizeof se.step - 1 - n;
			memcpy(se.step + n, setup_path, k);
		}
	}
	if (write(errfd, &se, sizeof se) < 0)
		_exit(127);
}

/* In the cloned child: finish the namespaces (with c->root, pivot into
 * it) and exec the init.  Never returns; failures are reported on errfd
 * (struct init_setup_err) and exit 127. */
static void
child_setup(const struct cell *c, int go, int errfd, int lsock, int logfd)
{
	static char *const envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:"
	    "/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	char		*argv[] = { "aurae-init", (char *)c->name, NULL, NULL };
	const char	*leaf;
	char		 b;
	int		 e, nul, img, errfd2, rooted;
	int		 trees[CELL_VOLUMES_MAX];

	/* Wait until the parent has put us in every cgroup. */
	if (read(go, &b, 1) != 1)
		_exit(127);
	if (sched_getscheduler(0) != main_policy &&
	    sched_setscheduler(0, main_policy, &main_param) < 0)
		goto fail;
	/* The cgroup namespace's root is the cgroup we are in now. */
	if ((c->ns & NS_CGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		goto fail;
	/* A root needs a mount namespace of its own (cell_create()). */
	rooted = (c->ns & NS_MNT) && c->root[0] != '\0';
	/* Slaves of the host's mounts, as runc and bwrap make them: what
	 * the cell mounts or unmounts never reaches the host, but what the
	 * host unmounts (and mounts) below a shared mount reaches the cell.
	 * A private copy would keep a mount the host has taken away alive
	 * in every cell made while it was there, pooled ones too: a FUSE
	 * daemon would never see its connection end. */
	if ((c->ns & NS_MNT) &&
	    mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		goto fail;
	/* Volumes need NS_MNT (cell_create()); their sources are taken
	 * before the daemon's state is hidden. */
	if (c->nvolumes > 0 && volumes_clone(c, trees) < 0)
		goto fail;
	if (rooted) {
		if (root_setup(c) < 0)
			goto fail;
		argv[2] = INIT_ARG_PIVOT;
	} else if (c->ns & NS_MNT) {
		drop_auraefs_mounts();
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
	if ((c->ns & NS_MNT) && (c->ns & NS_NET) && !rooted) {
		if (mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV |
		    MS_NOEXEC | MS_RDONLY, NULL) < 0)
			goto fail;
		if (c->ns & NS_CGROUP)
			mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID |
			    MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL);
	}
	/* Last, so that nothing is mounted over a volume. */
	if (c->nvolumes > 0 && volumes_attach(c, trees) < 0)
		goto fail;
	/* Exactly 0-2 (/dev/null), 3 (control), 4 (logs), 5 (image, closed
	 * by exec), 6 (error pipe, closed by exec; INIT_SETUP_FD, kept, when
	 * the init has to pivot).  Everything is first moved above 100 so
	 * that no renumbering clobbers another. */
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
	    dup3(img, 5, O_CLOEXEC) < 0 ||
	    dup3(errfd2, INIT_SETUP_FD, rooted ? 0 : O_CLOEXEC) < 0)
		goto fail;
	errfd = INIT_SETUP_FD;
	syscall(SYS_close_range, INIT_SETUP_FD + 1, ~0U, 0);
	step_at("execute the cell init", "", "");
	syscall(SYS_execveat, 5, "", argv, envp, AT_EMPTY_PATH);
fail:
	e = errno;
	report_setup(errfd, e);
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
	struct init_setup_err	 se;
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
	/* EOF: the exec worked.  A struct init_setup_err: what failed. */
	n = read(err[0], &se, sizeof se);
	if (n == (ssize_t)sizeof se) {
		waitpid(pid, NULL, 0);
		se.step[sizeof se.step - 1] = '\0';
		if (se.step[0] != '\0')
			snprintf(msg, len, "cannot set up the cell: cannot %s: "
			    "%s", se.step, strerror(se.err));
		else
			snprintf(msg, len, "cannot set up the cell's "
			    "namespaces: %s", strerror(se.err));
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
