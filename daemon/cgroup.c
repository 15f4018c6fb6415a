/* cgroup.c - hierarchy discovery, controller routing, limits and
 * membership; see cgroup.h. */
#include "cgroup.h"
#include "log.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define CG_MAX_HIER	8

static const char *const ctrl_names[CG__NCTRL] = {
	"cpu", "cpuset", "memory", "pids", "freezer", "cpuacct"
};

static struct cg_hier	 hiers[CG_MAX_HIER];
static size_t		 nhiers;
static struct cg_hier	*tracking;		/* v2 if present, else v1 */
static struct cg_hier	*route[CG__NCTRL];	/* controller -> hierarchy */
static char		 layout[1024];

static int	hier_used(const struct cg_hier *);

/* How a limit's value is checked and normalised. */
enum cg_kind { K_BYTES, K_INT, K_CPUMAX, K_CPULIST };

static const struct cg_limit {
	const char	*name;
	enum cg_ctrl	 ctrl;
	enum cg_kind	 kind;
	long long	 min, max;	/* K_INT bounds */
	int		 v1only;
} limits[] = {
	{ "cpu.weight",		CG_CPU,		K_INT,	1, 10000, 0 },
	{ "cpu.max",		CG_CPU,		K_CPUMAX, 0, 0, 0 },
	{ "cpu.shares",		CG_CPU,		K_INT,	2, 262144, 1 },
	{ "cpuset.cpus",	CG_CPUSET,	K_CPULIST, 0, 0, 0 },
	{ "cpuset.mems",	CG_CPUSET,	K_CPULIST, 0, 0, 0 },
	{ "memory.min",		CG_MEMORY,	K_BYTES, 0, 0, 0 },
	{ "memory.low",		CG_MEMORY,	K_BYTES, 0, 0, 0 },
	{ "memory.high",	CG_MEMORY,	K_BYTES, 0, 0, 0 },
	{ "memory.max",		CG_MEMORY,	K_BYTES, 0, 0, 0 },
	{ "memory.swap.max",	CG_MEMORY,	K_BYTES, 0, 0, 0 },
	{ "pids.max",		CG_PIDS,	K_INT,	1, 4194304, 0 },
};
#define NLIMITS (sizeof limits / sizeof limits[0])

/* Write v to dir/file. */
int
cg_write(const char *dir, const char *file, const char *v)
{
	char	 path[PATH_MAX];
	int	 fd, e;
	ssize_t	 n;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	/* O_TRUNC as a shell's '>' does: harmless on cgroupfs, and right on
	 * the plain files of the unit tests' fake tree. */
	if ((fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0)
		return -1;
	n = write(fd, v, strlen(v));
	e = errno;
	close(fd);
	errno = e;
	return n < 0 ? -1 : 0;
}

/* Read dir/file into out without the trailing newline. */
int
cg_read(const char *dir, const char *file, char *out, size_t len)
{
	char	 path[PATH_MAX];
	int	 fd, e;
	ssize_t	 n;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, out, len - 1);
	e = errno;
	close(fd);
	errno = e;
	if (n < 0)
		return -1;
	out[n] = '\0';
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
	return 0;
}

/* Directory of rel in hierarchy h. */
static void
hier_dir(const struct cg_hier *h, const char *rel, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", h->root, rel);
}

/* Add a hierarchy. */
static struct cg_hier *
add_hier(const struct cg_backend *be, const char *root, unsigned ctrls)
{
	struct cg_hier	*h;

	if (nhiers == CG_MAX_HIER || strlen(root) >= sizeof h->root)
		return NULL;
	h = &hiers[nhiers++];
	h->be = be;
	memcpy(h->root, root, strlen(root) + 1);
	h->ctrls = ctrls;
	return h;
}

/* Controllers named in a comma-separated option list. */
static unsigned
parse_ctrls(const char *opts, char sep)
{
	unsigned	 m = 0;
	const char	*p = opts, *e;
	size_t		 len;
	int		 i;

	while (*p) {
		e = strchr(p, sep);
		len = e ? (size_t)(e - p) : strlen(p);
		for (i = 0; i < CG__NCTRL; i++)
			if (strlen(ctrl_names[i]) == len &&
			    strncmp(p, ctrl_names[i], len) == 0)
				m |= 1u << i;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return m;
}

/* Read the mounts and fill hiers. */
static int
discover(void)
{
	FILE	*fp;
	char	 line[4096], *sep, mnt[512], fstype[64], src[256], opts[1024];
	char	 avail[512];
	unsigned m;
	struct cg_hier *h;

	if ((fp = fopen("/proc/self/mountinfo", "re")) == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS... - TYPE SRC SUPER */
		if (sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1)
			continue;
		if ((sep = strstr(line, " - ")) == NULL ||
		    sscanf(sep + 3, "%63s %255s %1023s", fstype, src,
		    opts) != 3)
			continue;
		if (strcmp(fstype, "cgroup2") == 0) {
			if (tracking != NULL && tracking->be == &cg_backend_v2)
				continue;	/* first one wins */
			m = 0;
			if (cg_read(mnt, "cgroup.controllers", avail,
			    sizeof avail) == 0)
				m = parse_ctrls(avail, ' ');
			if ((h = add_hier(&cg_backend_v2, mnt, m)) != NULL)
				tracking = h;
		} else if (strcmp(fstype, "cgroup") == 0) {
			m = parse_ctrls(opts, ',');
			if (m != 0)
				add_hier(&cg_backend_v1, mnt, m);
		}
	}
	fclose(fp);
	return 0;
}

/* Remount the hierarchy at root with the favordynmods option, keeping its
 * other mount and super options.  Task migration then costs ~0.2 ms
 * instead of an RCU grace period (0.3-15 ms measured here), for a little
 * more work at fork and exit system-wide; cgroup-v2.rst documents the
 * trade-off.  The lock it concerns is global, so one hierarchy
 * suffices. */
static void
favor_dynmods(const char *root)
{
	FILE		*fp;
	char		 line[4096], mnt[512], mopts[512], fstype[64], src[256];
	char		 sopts[1024], data[1200], *sep, *o, *save;
	unsigned long	 flags = MS_REMOUNT;

	if ((fp = fopen("/proc/self/mountinfo", "re")) == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (sscanf(line, "%*s %*s %*s %*s %511s %511s", mnt,
		    mopts) != 2 || strcmp(mnt, root) != 0 ||
		    (sep = strstr(line, " - ")) == NULL ||
		    sscanf(sep + 3, "%63s %255s %1023s", fstype, src,
		    sopts) != 3)
			continue;
		fclose(fp);
		if (strstr(sopts, "favordynmods") != NULL)
			return;
		for (o = strtok_r(mopts, ",", &save); o != NULL;
		    o = strtok_r(NULL, ",", &save)) {
			if (strcmp(o, "ro") == 0)
				flags |= MS_RDONLY;
			else if (strcmp(o, "nosuid") == 0)
				flags |= MS_NOSUID;
			else if (strcmp(o, "nodev") == 0)
				flags |= MS_NODEV;
			else if (strcmp(o, "noexec") == 0)
				flags |= MS_NOEXEC;
			else if (strcmp(o, "relatime") == 0)
				flags |= MS_RELATIME;
			else if (strcmp(o, "noatime") == 0)
				flags |= MS_NOATIME;
		}
		/* The super options, minus rw/ro, plus favordynmods. */
		data[0] = '\0';
		for (o = strtok_r(sopts, ",", &save); o != NULL;
		    o = strtok_r(NULL, ",", &save)) {
			if (strcmp(o, "rw") == 0 || strcmp(o, "ro") == 0)
				continue;
			strlcat(data, o, sizeof data);
			strlcat(data, ",", sizeof data);
		}
		strlcat(data, "favordynmods", sizeof data);
		if (mount(NULL, root, NULL, flags, data) < 0)
			log_warn("cannot remount %s with favordynmods (task "
			    "migration stays slow): %s", root, strerror(errno));
		else
			log_info("remounted %s with favordynmods", root);
		return;
	}
	fclose(fp);
}

/* Decide, once, where each controller lives, and make sure the "aurae"
 * parent exists everywhere with the controllers it needs. */
int
cgroup_init(const char *fake_root, const char *parent, int favor)
{
	struct cg_hier	*h;
	size_t		 i;
	int		 c, n = 0;
	char		 dir[PATH_MAX], sc[256];
	unsigned	 used = 0;

	nhiers = 0;
	tracking = NULL;
	memset(route, 0, sizeof route);
	if (fake_root != NULL) {
		tracking = add_hier(&cg_backend_v2, fake_root,
		    (1u << CG__NCTRL) - 1);
	} else if (discover() < 0)
		return -1;
	/* A controller bound to a v1 hierarchy is unavailable in v2. */
	for (i = 0; i < nhiers; i++)
		if (hiers[i].be == &cg_backend_v1)
			used |= hiers[i].ctrls;
	if (tracking && tracking->be == &cg_backend_v2)
		tracking->ctrls &= ~used;
	for (c = 0; c < CG__NCTRL; c++) {
		if (tracking && tracking->be == &cg_backend_v2 &&
		    (tracking->ctrls & (1u << c)))
			route[c] = tracking;
		else
			for (i = 0; i < nhiers; i++)
				if (hiers[i].be == &cg_backend_v1 &&
				    (hiers[i].ctrls & (1u << c)))
					route[c] = &hiers[i];
	}
	if (tracking == NULL) {
		/* Pure v1: track through the pids (or memory) hierarchy. */
		tracking = route[CG_PIDS] ? route[CG_PIDS] : route[CG_MEMORY];
		if (tracking == NULL)
			return -1;
	}
	if (favor && fake_root == NULL)
		favor_dynmods(tracking->root);
	/* The parent of every cell. */
	for (i = 0; i < nhiers; i++) {
		h = &hiers[i];
		if (!hier_used(h))
			continue;
		hier_dir(h, parent, dir, sizeof dir);
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -1;
		if (h->be == &cg_backend_v1 && route[CG_CPUSET] == h) {
			char	 v[256];

			/* A v1 cpuset child starts empty: seed the parent. */
			if (cg_read(h->root, "cpuset.cpus", v, sizeof v) == 0)
				cg_write(dir, "cpuset.cpus", v);
			if (cg_read(h->root, "cpuset.mems", v, sizeof v) == 0)
				cg_write(dir, "cpuset.mems", v);
		}
	}
	/* Enable the v2-routed controllers down to the cells. */
	if (tracking->be == &cg_backend_v2 && fake_root == NULL) {
		sc[0] = '\0';
		for (c = 0; c < CG__NCTRL; c++)
			if (route[c] == tracking && c != CG_FREEZER) {
				strlcat(sc, n++ ? " +" : "+", sizeof sc);
				strlcat(sc, ctrl_names[c], sizeof sc);
			}
		if (n > 0) {
			cg_write(tracking->root, "cgroup.subtree_control", sc);
			hier_dir(tracking, parent, dir, sizeof dir);
			cg_write(dir, "cgroup.subtree_control", sc);
		}
	}
	/* Describe the result for logs and aurae.health. */
	{
		char	 v1[128] = "", v2[128] = "";

		for (c = 0; c < CG__NCTRL; c++) {
			if (route[c] == NULL)
				continue;
			strlcat(route[c]->be->version == 2 ? v2 : v1,
			    ctrl_names[c], 128);
			strlcat(route[c]->be->version == 2 ? v2 : v1, " ", 128);
		}
		snprintf(layout, sizeof layout, "%s; tracking v%d at %s; v2: "
		    "%s; v1: %s", *v1 && *v2 ? "hybrid" : *v1 ? (tracking->be->
		    version == 2 ? "hybrid" : "v1") : "v2",
		    tracking->be->version, tracking->root, *v2 ? v2 : "-",
		    *v1 ? v1 : "-");
	}
	return 0;
}

/* Remove the parent directory from every hierarchy if it is empty. */
void
cgroup_cleanup_parent(const char *parent)
{
	char	 dir[PATH_MAX];
	size_t	 i;

	for (i = 0; i < nhiers; i++) {
		if (!hier_used(&hiers[i]))
			continue;
		hier_dir(&hiers[i], parent, dir, sizeof dir);
		rmdir(dir);
	}
}

/* See cgroup.h. */
const char *
cgroup_describe(void)
{
	return layout;
}

/* Is hierarchy h one a cell's cgroup must exist in? */
static int
hier_used(const struct cg_hier *h)
{
	int	 c;

	if (h == tracking)
		return 1;
	for (c = 0; c < CG__NCTRL; c++)
		if (route[c] == h)
			return 1;
	return 0;
}

/* Create rel everywhere. */
int
cgroup_create(const char *rel, char *msg, size_t len)
{
	char	 dir[PATH_MAX], parent[PATH_MAX], v[256], *slash;
	size_t	 i, j;

	for (i = 0; i < nhiers; i++) {
		if (!hier_used(&hiers[i]))
			continue;
		hier_dir(&hiers[i], rel, dir, sizeof dir);
		if (mkdir(dir, 0755) < 0) {
			snprintf(msg, len, "mkdir %s: %s", dir,
			    strerror(errno));
			for (j = 0; j < i; j++) {
				if (!hier_used(&hiers[j]))
					continue;
				hier_dir(&hiers[j], rel, dir, sizeof dir);
				rmdir(dir);
			}
			return -1;
		}
		if (hiers[i].be == &cg_backend_v1 &&
		    route[CG_CPUSET] == &hiers[i]) {
			snprintf(parent, sizeof parent, "%s", dir);
			if ((slash = strrchr(parent, '/')) != NULL)
				*slash = '\0';
			if (cg_read(parent, "cpuset.cpus", v, sizeof v) == 0)
				cg_write(dir, "cpuset.cpus", v);
			if (cg_read(parent, "cpuset.mems", v, sizeof v) == 0)
				cg_write(dir, "cpuset.mems", v);
		}
	}
	return 0;
}

/* Remove rel everywhere; the first failure is reported but every
 * hierarchy is tried. */
int
cgroup_destroy(const char *rel)
{
	char	 dir[PATH_MAX];
	size_t	 i;
	int	 r = 0, e = 0;

	for (i = 0; i < nhiers; i++) {
		if (!hier_used(&hiers[i]))
			continue;
		hier_dir(&hiers[i], rel, dir, sizeof dir);
		if (rmdir(dir) < 0 && errno != ENOENT && r == 0) {
			r = -1;
			e = errno;
		}
	}
	errno = e;
	return r;
}

/* Does the tracking directory exist? */
int
cgroup_exists(const char *rel)
{
	char		 dir[PATH_MAX];
	struct stat	 st;

	hier_dir(tracking, rel, dir, sizeof dir);
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Parse a byte count with an optional K, M, G or T suffix (powers of
 * 1024), or "max". */
static int
norm_bytes(const char *v, char *out, size_t len)
{
	unsigned long long	 n, mul = 1;
	char			*end;

	if (strcmp(v, "max") == 0) {
		snprintf(out, len, "max");
		return 0;
	}
	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case 'K': mul = 1ULL << 10; end++; break;
	case 'M': mul = 1ULL << 20; end++; break;
	case 'G': mul = 1ULL << 30; end++; break;
	case 'T': mul = 1ULL << 40; end++; break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || n > (1ULL << 62) / mul)
		return -1;
	snprintf(out, len, "%llu", n * mul);
	return 0;
}

/* Parse "QUOTA [PERIOD]" or "max [PERIOD]" (microseconds), or "N%"
 * (a share of one CPU per 100000 us period). */
static int
norm_cpumax(const char *v, char *out, size_t len)
{
	char		 q[32];
	long long	 quota = -1, period = 100000;
	char		*end;
	int		 n;

	n = sscanf(v, "%31s %lld", q, &period);
	if (n < 1 || period < 1000 || period > 1000000)
		return -1;
	if (strcmp(q, "max") != 0) {
		errno = 0;
		quota = strtoll(q, &end, 10);
		if (errno || end == q || quota < 0)
			return -1;
		if (*end == '%' && end[1] == '\0' && n == 1) {
			if (quota < 1 || quota > 100000)
				return -1;
			quota = quota * period / 100;
		} else if (*end != '\0')
			return -1;
		if (quota < 1000 || quota > (1LL << 40))
			return -1;
		snprintf(out, len, "%lld %lld", quota, period);
	} else
		snprintf(out, len, "max %lld", period);
	return 0;
}

/* A cpu list: digits, commas and ranges. */
static int
norm_cpulist(const char *v, char *out, size_t len)
{
	const char	*p;

	if (*v == '\0' || strlen(v) >= len)
		return -1;
	for (p = v; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != ',' && *p != '-')
			return -1;
	snprintf(out, len, "%s", v);
	return 0;
}

/* Find a limit by name. */
static const struct cg_limit *
find_limit(const char *name)
{
	size_t	 i;

	for (i = 0; i < NLIMITS; i++)
		if (strcmp(limits[i].name, name) == 0)
			return &limits[i];
	return NULL;
}

/* See cgroup.h. */
const char *const *
cgroup_limit_names(void)
{
	static const char	*names[NLIMITS + 1];
	size_t			 i;

	for (i = 0; i < NLIMITS; i++)
		names[i] = limits[i].name;
	names[NLIMITS] = NULL;
	return names;
}

/* Validate, normalise and apply one limit. */
int
cgroup_set_limit(const char *rel, const char *name, const char *value,
    char *msg, size_t len)
{
	const struct cg_limit	*l;
	const struct cg_hier	*h;
	char			 v[256], dir[PATH_MAX], *end;
	long long		 n;
	int			 r;

	if ((l = find_limit(name)) == NULL) {
		snprintf(msg, len, "unknown limit '%s'", name);
		return -1;
	}
	switch (l->kind) {
	case K_BYTES:
		r = norm_bytes(value, v, sizeof v);
		break;
	case K_CPUMAX:
		r = norm_cpumax(value, v, sizeof v);
		break;
	case K_CPULIST:
		r = norm_cpulist(value, v, sizeof v);
		break;
	case K_INT:
	default:
		if (strcmp(name, "pids.max") == 0 && strcmp(value, "max") == 0) {
			snprintf(v, sizeof v, "max");
			r = 0;
			break;
		}
		errno = 0;
		n = strtoll(value, &end, 10);
		r = (errno || end == value || *end || n < l->min ||
		    n > l->max) ? -1 : 0;
		snprintf(v, sizeof v, "%lld", n);
		break;
	}
	if (r < 0) {
		switch (l->kind) {
		case K_BYTES:
			snprintf(msg, len, "%s: '%s' is not a byte count "
			    "(e.g. 64M, 1G or max)", name, value);
			break;
		case K_CPUMAX:
			snprintf(msg, len, "%s: '%s' is not 'QUOTA PERIOD' "
			    "in microseconds (quota >= 1000, period 1000 to "
			    "1000000), 'max' or a percentage", name, value);
			break;
		case K_CPULIST:
			snprintf(msg, len, "%s: '%s' is not a CPU or node "
			    "list (e.g. 0-1,3)", name, value);
			break;
		default:
			snprintf(msg, len, "%s: '%s' is not an integer from "
			    "%lld to %lld", name, value, l->min, l->max);
		}
		return -1;
	}
	if ((h = route[l->ctrl]) == NULL) {
		snprintf(msg, len, "%s: the %s controller is not available on "
		    "this host", name, ctrl_names[l->ctrl]);
		return -2;
	}
	if (l->v1only && h->be->version != 1) {
		snprintf(msg, len, "%s is a cgroup v1 knob; the %s controller "
		    "is on cgroup v2 here: use cpu.weight", name,
		    ctrl_names[l->ctrl]);
		return -2;
	}
	hier_dir(h, rel, dir, sizeof dir);
	r = h->be->set_limit(h, dir, name, v, msg, len);
	if (r == -1) {
		snprintf(msg, len, "%s=%s: the kernel refused it: %s", name,
		    value, strerror(errno));
		return -3;
	}
	return r;
}

/* Read back a limit. */
int
cgroup_get_limit(const char *rel, const char *name, char *out, size_t len)
{
	const struct cg_limit	*l;
	const struct cg_hier	*h;
	char			 dir[PATH_MAX];

	if ((l = find_limit(name)) == NULL ||
	    (h = route[l->ctrl]) == NULL)
		return -1;
	if (l->v1only && h->be->version != 1)
		return -1;
	hier_dir(h, rel, dir, sizeof dir);
	return h->be->get_limit(h, dir, name, out, len);
}

/* Move pid into rel everywhere (tracking last, so that the process is
 * limited before it is counted). */
int
cgroup_add_pid(const char *rel, pid_t pid)
{
	char	 dir[PATH_MAX], v[32];
	size_t	 i;

	snprintf(v, sizeof v, "%d", (int)pid);
	for (i = 0; i < nhiers; i++) {
		if (!hier_used(&hiers[i]) || &hiers[i] == tracking)
			continue;
		hier_dir(&hiers[i], rel, dir, sizeof dir);
		if (cg_write(dir, "cgroup.procs", v) < 0)
			return -1;
	}
	hier_dir(tracking, rel, dir, sizeof dir);
	return cg_write(dir, "cgroup.procs", v);
}

/* Any process in rel or below? */
int
cgroup_populated(const char *rel)
{
	char	 dir[PATH_MAX], ev[512], *p;
	struct buf b = BUF_INIT;
	int	 r;

	hier_dir(tracking, rel, dir, sizeof dir);
	if (tracking->be->version == 2 &&
	    cg_read(dir, "cgroup.events", ev, sizeof ev) == 0 &&
	    (p = strstr(ev, "populated ")) != NULL)
		return p[10] == '1';
	/* v1: no populated flag; look at the procs of the whole subtree. */
	r = cgroup_procs(rel, &b) == 0 && buf_used(&b) > 0;
	buf_free(&b);
	return r;
}

/* Append the pids listed in dir/cgroup.procs and below. */
static int
procs_rec(const char *dir, struct buf *b, int depth)
{
	char		 path[PATH_MAX], chunk[4096];
	DIR		*d;
	struct dirent	*de;
	int		 fd;
	ssize_t		 n;

	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_append(b, chunk, (size_t)n);
	close(fd);
	if (depth > 32 || (d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		procs_rec(path, b, depth + 1);
	}
	closedir(d);
	return 0;
}

/* See cgroup.h. */
int
cgroup_procs(const char *rel, struct buf *b)
{
	char	 dir[PATH_MAX];

	hier_dir(tracking, rel, dir, sizeof dir);
	return procs_rec(dir, b, 0);
}

/* Signal every pid listed in b. */
static int
signal_all(struct buf *b, int sig)
{
	char	*p, *end;
	long	 pid;
	int	 n = 0;

	buf_append(b, "", 1);
	for (p = buf_head(b); *p; p = end) {
		pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 0 && kill((pid_t)pid, sig) == 0)
			n++;
	}
	return n;
}

/* See cgroup.h. */
int
cgroup_kill(const char *rel)
{
	char		 dir[PATH_MAX];
	struct buf	 b = BUF_INIT;
	int		 round, n;

	hier_dir(tracking, rel, dir, sizeof dir);
	if (tracking->be->version == 2 && cg_write(dir, "cgroup.kill",
	    "1") == 0)
		return 0;
	/* No cgroup.kill: freeze so nothing forks while we look, kill what
	 * is listed, thaw so the signals are delivered, and repeat. */
	for (round = 0; round < 16; round++) {
		cgroup_freeze(rel, 1);
		buf_reset(&b);
		cgroup_procs(rel, &b);
		n = signal_all(&b, SIGKILL);
		cgroup_freeze(rel, 0);
		if (n == 0)
			break;
	}
	buf_free(&b);
	return 0;
}

/* See cgroup.h. */
int
cgroup_freeze(const char *rel, int freeze)
{
	const struct cg_hier	*h = route[CG_FREEZER];
	char			 dir[PATH_MAX];

	if (h == NULL && tracking->be->version == 2)
		h = tracking;	/* cgroup.freeze is core in v2 */
	if (h == NULL) {
		errno = ENOTSUP;
		return -1;
	}
	hier_dir(h, rel, dir, sizeof dir);
	return h->be->freeze(h, dir, freeze);
}

/* usage_usec from cpu.stat in the v2 tracking hierarchy. */
static int
cpu_stat_usage(const char *rel, unsigned long long *out)
{
	char		 dir[PATH_MAX], st[1024], *p;

	if (tracking->be->version != 2)
		return -1;
	hier_dir(tracking, rel, dir, sizeof dir);
	if (cg_read(dir, "cpu.stat", st, sizeof st) < 0 ||
	    (p = strstr(st, "usage_usec ")) == NULL)
		return -1;
	*out = strtoull(p + 11, NULL, 10);
	return 0;
}

/* See cgroup.h. */
int
cgroup_stat(const char *rel, const char *what, unsigned long long *out)
{
	const struct cg_hier	*h;
	char			 dir[PATH_MAX], v[64];
	const char		*file;

	if (strcmp(what, "memory.current") == 0) {
		h = route[CG_MEMORY];
		file = h && h->be->version == 1 ? "memory.usage_in_bytes" :
		    "memory.current";
	} else if (strcmp(what, "memory.peak") == 0) {
		h = route[CG_MEMORY];
		file = h && h->be->version == 1 ?
		    "memory.max_usage_in_bytes" : "memory.peak";
	} else if (strcmp(what, "pids.current") == 0) {
		h = route[CG_PIDS];
		file = "pids.current";
	} else if (strcmp(what, "cpu.usage_usec") == 0) {
		if ((h = route[CG_CPUACCT]) != NULL && h->be->version == 1) {
			hier_dir(h, rel, dir, sizeof dir);
			if (cg_read(dir, "cpuacct.usage", v, sizeof v) < 0)
				return -1;
			*out = strtoull(v, NULL, 10) / 1000;
			return 0;
		}
		return cpu_stat_usage(rel, out);
	} else
		return -1;
	if (h == NULL)
		return -1;
	hier_dir(h, rel, dir, sizeof dir);
	if (cg_read(dir, file, v, sizeof v) < 0)
		return -1;
	*out = strtoull(v, NULL, 10);
	return 0;
}

/* See cgroup.h. */
int
cgroup_path(const char *rel, enum cg_ctrl c, char *out, size_t len)
{
	if (route[c] == NULL)
		return -1;
	hier_dir(route[c], rel, out, len);
	return 0;
}

/* See cgroup.h. */
int
cgroup_tracking_fd(const char *rel, int *fd)
{
	char	 dir[PATH_MAX];

	if (tracking->be->version != 2)
		return -1;
	hier_dir(tracking, rel, dir, sizeof dir);
	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return *fd < 0 ? -1 : 0;
}

/* See cgroup.h. */
int
cgroup_oom_watch(const char *rel)
{
	const struct cg_hier	*h = route[CG_MEMORY];
	char			 dir[PATH_MAX], path[PATH_MAX + 32], v[64];
	int			 efd, cfd;

	if (h == NULL)
		return -1;
	hier_dir(h, rel, dir, sizeof dir);
	if (h->be->version == 2) {
		if ((efd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
			return -1;
		snprintf(path, sizeof path, "%s/memory.events", dir);
		if (inotify_add_watch(efd, path, IN_MODIFY) < 0) {
			close(efd);
			return -1;
		}
		return efd;
	}
	if ((efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/memory.oom_control", dir);
	if ((cfd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		close(efd);
		return -1;
	}
	snprintf(v, sizeof v, "%d %d", efd, cfd);
	if (cg_write(dir, "cgroup.event_control", v) < 0) {
		close(cfd);
		close(efd);
		return -1;
	}
	close(cfd);
	return efd;
}

/* See cgroup.h. */
int
cgroup_oom_kills(const char *rel, unsigned long long *n)
{
	const struct cg_hier	*h = route[CG_MEMORY];
	char			 dir[PATH_MAX], v[1024], *p;

	if (h == NULL)
		return -1;
	hier_dir(h, rel, dir, sizeof dir);
	if (cg_read(dir, h->be->version == 2 ? "memory.events" :
	    "memory.oom_control", v, sizeof v) < 0 ||
	    (p = strstr(v, "oom_kill ")) == NULL)
		return -1;
	*n = strtoull(p + 9, NULL, 10);
	return 0;
}

/* See cgroup.h. */
int
cgroup_tracking_dir_fd(const char *rel, int *fd)
{
	char	 dir[PATH_MAX];

	hier_dir(tracking, rel, dir, sizeof dir);
	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return *fd < 0 ? -1 : 0;
}
