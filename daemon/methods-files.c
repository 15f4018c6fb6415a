/* methods-files.c - files.stat, files.open, files.put, files.get: the
 * files of a cell, always resolved from outside the cell.
 *
 * Every path is resolved relative to the root of the cell's own view of
 * the filesystem (/proc/<init>/root, opened by the daemon) with
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS): ".." and absolute
 * symlinks stay inside it.  A relative path is taken from the cell's "/",
 * as docker cp does.  Nothing runs in the cell and nothing there is
 * needed (no tar, no shell).  Streams and files travel as descriptors
 * passed with the call; the copies themselves run in the copy helper
 * (copyjob.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auraed.h"
#include "cell.h"
#include "copyjob.h"
#include "methods.h"
#include "peer.h"
#include "rpc.h"
#include "storage.h"

/* The cell named by params.cell and the root of its view, or -1 after
 * answering. */
static int
cell_root(struct rpc_call *c, const cJSON *params, struct cell **out)
{
	const char	*name = NULL;
	struct cell	*cell;
	int		 fd;

	if (rpc_param_string(c, params, "cell", 1, &name) < 0)
		return -1;
	if ((cell = cell_find(name)) == NULL) {
		rpc_error(c, AE_NOT_FOUND, "no cell named '%s'", name);
		return -1;
	}
	if (cell->remove_started) {
		rpc_error(c, AE_UNAVAILABLE, "cell '%s' is being removed",
		    name);
		return -1;
	}
	if ((fd = copyjob_cell_root(cell)) < 0) {
		rpc_error(c, AE_UNAVAILABLE, "cannot reach the files of cell "
		    "'%s': %s", name, errno == ESRCH ? "its init is not "
		    "running" : strerror(errno));
		return -1;
	}
	*out = cell;
	return fd;
}

/* The name of a file type. */
static const char *
type_name(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG:	return "file";
	case S_IFDIR:	return "directory";
	case S_IFLNK:	return "symlink";
	case S_IFIFO:	return "fifo";
	case S_IFCHR:	return "char";
	case S_IFBLK:	return "block";
	case S_IFSOCK:	return "socket";
	}
	return "unknown";
}

/* A stat as JSON: type, size, mode (permission bits), uid, gid, mtime
 * and atime (seconds, with _nsec), and target for a symlink (read at fd,
 * an O_PATH descriptor of it). */
static cJSON *
stat_json(const struct stat *st, int fd)
{
	cJSON	*o = cJSON_CreateObject();
	char	 link[PATH_MAX];
	ssize_t	 n;

	cJSON_AddStringToObject(o, "type", type_name(st->st_mode));
	cJSON_AddNumberToObject(o, "size", (double)st->st_size);
	cJSON_AddNumberToObject(o, "mode", st->st_mode & 07777);
	cJSON_AddNumberToObject(o, "uid", st->st_uid);
	cJSON_AddNumberToObject(o, "gid", st->st_gid);
	cJSON_AddNumberToObject(o, "mtime", (double)st->st_mtim.tv_sec);
	cJSON_AddNumberToObject(o, "mtime_nsec", st->st_mtim.tv_nsec);
	cJSON_AddNumberToObject(o, "atime", (double)st->st_atim.tv_sec);
	cJSON_AddNumberToObject(o, "atime_nsec", st->st_atim.tv_nsec);
	if (S_ISLNK(st->st_mode) && fd >= 0 &&
	    (n = readlinkat(fd, "", link, sizeof link - 1)) >= 0) {
		link[n] = '\0';
		cJSON_AddStringToObject(o, "target", link);
	}
	return o;
}

/* Answer a failed resolution of path in cell. */
static void
path_error(struct rpc_call *c, const struct cell *cell, const char *path,
    int e)
{
	if (e == ENOENT)
		rpc_error(c, AE_NOT_FOUND, "%s:%s: no such file or directory",
		    cell->name, path);
	else if (e == ENOTDIR)
		rpc_error(c, AE_INVALID_ARGUMENT, "%s:%s: not a directory",
		    cell->name, path);
	else if (e == EACCES || e == EPERM)
		rpc_error(c, AE_PERMISSION_DENIED, "%s:%s: %s", cell->name,
		    path, strerror(e));
	else
		rpc_error(c, AE_INVALID_ARGUMENT, "%s:%s: %s", cell->name,
		    path, strerror(e));
}

/* The {cell, path, follow?} of files.stat and files.open: the cell's
 * root, or -1 after answering. */
static int
path_params(struct rpc_call *c, const cJSON *params, struct cell **cell,
    const char **path, int *follow)
{
	static const char *const keys[] = { "cell", "path", "follow", NULL };

	*path = NULL;
	*follow = 0;
	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_string(c, params, "path", 1, path) < 0 ||
	    rpc_param_bool(c, params, "follow", 0, follow) < 0)
		return -1;
	return cell_root(c, params, cell);
}

/* files.stat {cell, path, follow?} */
static void
m_stat(struct rpc_call *c, const cJSON *params)
{
	const char	*path;
	struct cell	*cell;
	struct stat	 st;
	int		 root, fd, follow;

	if ((root = path_params(c, params, &cell, &path, &follow)) < 0)
		return;
	fd = path_open(root, path, O_PATH, 0, PATH_IN_ROOT, !follow);
	if (fd < 0 || fstat(fd, &st) < 0) {
		path_error(c, cell, path, errno);
		if (fd >= 0)
			close(fd);
		close(root);
		return;
	}
	rpc_reply(c, stat_json(&st, fd));
	close(fd);
	close(root);
}

/* files.open {cell, path, follow?}: the regular file at path, opened for
 * reading, passed with the answer (its stat in the result). */
static void
m_open(struct rpc_call *c, const cJSON *params)
{
	const char	*path;
	struct cell	*cell;
	struct stat	 st;
	int		 root, fd, follow;

	if ((root = path_params(c, params, &cell, &path, &follow)) < 0)
		return;
	fd = path_open_regular(root, path, PATH_IN_ROOT, !follow, &st);
	close(root);
	if (fd < 0) {
		if (errno == EISDIR)
			rpc_error(c, AE_INVALID_ARGUMENT, "%s:%s: is a "
			    "directory", cell->name, path);
		else if (errno == EINVAL || errno == ELOOP)
			rpc_error(c, AE_INVALID_ARGUMENT, "%s:%s: not a regular "
			    "file", cell->name, path);
		else
			path_error(c, cell, path, errno);
		return;
	}
	rpc_reply_fds(c, stat_json(&st, -1), &fd, 1);
}

/* The copy options of a request: keep_mode, keep_times, keep_owner,
 * umask; the daemon's caps. */
static int
copy_opts(struct rpc_call *c, const cJSON *params, struct tar_opts *o)
{
	long long	 um = 022;

	memset(o, 0, sizeof *o);
	if (rpc_param_bool(c, params, "keep_mode", 0, &o->keep_mode) < 0 ||
	    rpc_param_bool(c, params, "keep_times", 0, &o->keep_times) < 0 ||
	    rpc_param_bool(c, params, "keep_owner", 0, &o->keep_owner) < 0 ||
	    rpc_param_bool(c, params, "follow", 0, &o->follow) < 0 ||
	    rpc_param_int(c, params, "umask", 0, 0, 0777, &um) < 0)
		return -1;
	o->umask = (mode_t)um;
	/* Devices, FIFOs and set-ID files only for root keeping owners. */
	o->allow_special = o->keep_owner && c->peer != NULL &&
	    c->peer->uid == 0;
	o->max_entries = cfg.copy_max_entries;
	o->max_bytes = cfg.copy_max_bytes;
	return 0;
}

/* The descriptor passed as "fd" (default 0), or -1 after answering. */
static int
data_fd(struct rpc_call *c, const cJSON *params)
{
	long long	 i = 0;
	int		 fd;

	if (rpc_param_int(c, params, "fd", 0, 0, FDPASS_MAX - 1, &i) < 0)
		return -1;
	if ((fd = rpc_call_take_fd(c, (size_t)i)) < 0)
		rpc_error(c, AE_INVALID_ARGUMENT, "%s needs a descriptor "
		    "passed with the call (a local connection)", c->method);
	return fd;
}

/* files.put {cell, path, name?, fd?, keep_mode?, keep_times?,
 * keep_owner?, umask?, mode?, uid?, gid?, mtime?, mtime_nsec?, atime?,
 * atime_nsec?}: without name, extract the tar stream read from the
 * descriptor into the directory path; with name, copy the regular file
 * passed as the descriptor into path/name with the metadata given. */
static void
m_put(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "cell", "path", "name", "fd",
	    "keep_mode", "keep_times", "keep_owner", "umask", "follow", "mode",
	    "uid", "gid", "mtime", "mtime_nsec", "atime", "atime_nsec", NULL };
	struct copy_req	 req;
	const char	*path = NULL, *name = NULL;
	struct cell	*cell;
	long long	 mode = 0644, uid = 0, gid = 0, mt = 0, mtn = 0, at = 0;
	long long	 atn = 0;
	int		 root, fd;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_string(c, params, "path", 1, &path) < 0 ||
	    rpc_param_string(c, params, "name", 0, &name) < 0 ||
	    rpc_param_int(c, params, "mode", 0, 0, 07777, &mode) < 0 ||
	    rpc_param_int(c, params, "uid", 0, 0, 0xfffffffe, &uid) < 0 ||
	    rpc_param_int(c, params, "gid", 0, 0, 0xfffffffe, &gid) < 0 ||
	    rpc_param_int(c, params, "mtime", 0, -(1LL << 40), 1LL << 40,
	    &mt) < 0 ||
	    rpc_param_int(c, params, "mtime_nsec", 0, 0, 999999999, &mtn) < 0 ||
	    rpc_param_int(c, params, "atime", 0, -(1LL << 40), 1LL << 40,
	    &at) < 0 ||
	    rpc_param_int(c, params, "atime_nsec", 0, 0, 999999999, &atn) < 0)
		return;
	if (name != NULL && (*name == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    strlen(name) > NAME_MAX)) {
		rpc_error(c, AE_INVALID_ARGUMENT, "parameter 'name' must be one "
		    "file name, not '%s'", name);
		return;
	}
	if (strlen(path) >= PATH_MAX) {
		rpc_error(c, AE_INVALID_ARGUMENT, "parameter 'path' is too "
		    "long");
		return;
	}
	memset(&req, 0, sizeof req);
	if (copy_opts(c, params, &req.opts) < 0)
		return;
	if ((fd = data_fd(c, params)) < 0)
		return;
	if ((root = cell_root(c, params, &cell)) < 0) {
		close(fd);
		return;
	}
	req.op = name != NULL ? COPY_PUT_FILE : COPY_PUT_TAR;
	req.cell = cell->name;
	req.path = path;
	req.name = name;
	req.meta.mode = (mode_t)mode;
	req.meta.uid = (uid_t)uid;
	req.meta.gid = (gid_t)gid;
	req.meta.mtime.tv_sec = (time_t)mt;
	req.meta.mtime.tv_nsec = (long)mtn;
	req.meta.atime.tv_sec = (time_t)at;
	req.meta.atime.tv_nsec = (long)atn;
	copyjob_start(c, cell, root, fd, &req);
}

/* The sources of a files.get, their member names made here. */
struct get_args {
	size_t			 n;
	struct copy_source	 src[COPY_MAX_SOURCES];
	char			*name[COPY_MAX_SOURCES];
};

/* Free a get_args. */
static void
get_args_free(struct get_args *a)
{
	size_t	 i;

	for (i = 0; i < a->n; i++)
		free(a->name[i]);
	free(a);
}

/* files.get {cell, sources: [{path, name?, follow?}], follow?, fd?}: write
 * a tar stream of every source (recursively) to the descriptor; each
 * source becomes member name (default: its last component; "." puts a
 * directory's contents at the top).  follow (-L) follows every symlink;
 * a source's own follow only that source itself. */
static void
m_get(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "cell", "sources", "follow", "fd",
	    "keep_mode", "keep_times", "keep_owner", "umask", NULL };
	const cJSON	*srcs, *s;
	struct copy_req	 req;
	struct get_args	*a;
	struct cell	*cell;
	const char	*path, *name, *slash;
	char		 clean[PATH_MAX];
	int		 root, fd, follow;

	if (rpc_params_only(c, params, keys) < 0)
		return;
	srcs = cJSON_GetObjectItemCaseSensitive(params, "sources");
	if (!cJSON_IsArray(srcs) || cJSON_GetArraySize(srcs) < 1 ||
	    cJSON_GetArraySize(srcs) > COPY_MAX_SOURCES) {
		rpc_error(c, AE_INVALID_ARGUMENT, "parameter 'sources' must be "
		    "an array of 1 to %d {path, name?, follow?} objects",
		    COPY_MAX_SOURCES);
		return;
	}
	if ((a = calloc(1, sizeof *a)) == NULL) {
		rpc_error(c, AE_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	memset(&req, 0, sizeof req);
	if (copy_opts(c, params, &req.opts) < 0)
		goto out;
	cJSON_ArrayForEach(s, srcs) {
		path = name = NULL;
		follow = 0;
		if (!cJSON_IsObject(s) ||
		    rpc_param_string(c, s, "path", 1, &path) < 0 ||
		    rpc_param_string(c, s, "name", 0, &name) < 0 ||
		    rpc_param_bool(c, s, "follow", 0, &follow) < 0) {
			if (!cJSON_IsObject(s))
				rpc_error(c, AE_INVALID_ARGUMENT, "each source "
				    "must be an object {path, name?, follow?}");
			goto out;
		}
		if (strlen(path) >= PATH_MAX) {
			rpc_error(c, AE_INVALID_ARGUMENT, "source path '%.64s...' "
			    "is too long", path);
			goto out;
		}
		if (name == NULL) {
			/* The last component of path, as scp names it. */
			snprintf(clean, sizeof clean, "%s", path);
			while (strlen(clean) > 1 &&
			    clean[strlen(clean) - 1] == '/')
				clean[strlen(clean) - 1] = '\0';
			slash = strrchr(clean, '/');
			name = slash && slash[1] ? slash + 1 : clean;
			if (strcmp(name, "/") == 0)
				name = ".";
		}
		if (path_member_clean(name, clean, sizeof clean) < 0) {
			rpc_error(c, AE_INVALID_ARGUMENT, "source name '%s' must "
			    "be relative, without '..'", name);
			goto out;
		}
		if ((a->name[a->n] = strdup(clean)) == NULL) {
			rpc_error(c, AE_RESOURCE_EXHAUSTED, "out of memory");
			goto out;
		}
		a->src[a->n].path = path;
		a->src[a->n].name = a->name[a->n];
		a->src[a->n].follow_top = follow;
		a->n++;
	}
	if ((fd = data_fd(c, params)) < 0)
		goto out;
	if ((root = cell_root(c, params, &cell)) < 0) {
		close(fd);
		goto out;
	}
	req.op = COPY_GET;
	req.cell = cell->name;
	req.nsrc = a->n;
	req.src = a->src;
	copyjob_start(c, cell, root, fd, &req);
out:
	get_args_free(a);
}

/* files.root {cell | volume}: the root of the cell's view of the
 * filesystem, or the directory of a storage volume, as an O_PATH
 * directory descriptor passed with the answer, for a client that serves
 * the files itself (auraefs).  The client resolves every path from it
 * without leaving it (one component at a time, never following a
 * symlink, or with RESOLVE_IN_ROOT) and does its I/O with its own
 * credentials.  → {"cell":NAME} or {"volume":NAME} */
static void
m_root(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "cell", "volume", NULL };
	struct cell	*cell;
	struct volume	 v;
	const char	*name = NULL;
	cJSON		*o;
	int		 root;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_string(c, params, "volume", 0, &name) < 0)
		return;
	if ((name != NULL) == (cJSON_GetObjectItemCaseSensitive(params,
	    "cell") != NULL)) {
		rpc_error(c, AE_INVALID_ARGUMENT, "files.root needs exactly "
		    "one of 'cell' and 'volume'");
		return;
	}
	if (name == NULL) {
		if ((root = cell_root(c, params, &cell)) < 0)
			return;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "cell", cell->name);
		rpc_reply_fds(c, o, &root, 1);
		return;
	}
	if (storage_find(name, &v) < 0) {
		rpc_error(c, AE_NOT_FOUND, "no volume named '%s'", name);
		return;
	}
	if ((root = storage_open(&v)) < 0) {
		rpc_error(c, AE_UNAVAILABLE, "cannot open volume '%s' (%s): %s",
		    name, v.path, strerror(errno));
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "volume", v.name);
	rpc_reply_fds(c, o, &root, 1);
}

const struct rpc_method methods_files[] = {
	{ "files.root", m_root, "the root directory of a cell or a volume, "
	  "as a descriptor" },
	{ "files.stat", m_stat, "the status of a path in a cell" },
	{ "files.open", m_open, "open a regular file of a cell for reading" },
	{ "files.put", m_put, "write a tar stream or a file into a cell" },
	{ "files.get", m_get, "read paths of a cell as a tar stream" },
	{ NULL, NULL, NULL }
};
