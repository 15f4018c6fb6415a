/* storage.c - named storage volumes: configured, created, removed. */
#include "storage.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "auraed.h"
#include "cell.h"
#include "errcode.h"
#include "ini.h"
#include "log.h"
#include "loop.h"
#include "rpc.h"

/* Most entries a size walk visits before it gives up (size null). */
#define SIZE_WALK_MAX	100000

#define TRASH_PREFIX	".trash-"

/* The configured volumes, in the order of the file. */
static struct volume	*conf;
static size_t		 nconf;

/* A forced removal under way: the worker deleting a trash directory. */
struct rm_job {
	struct rpc_call		*call;		/* NULL: start-up clean-up */
	char			 name[VOLUME_NAME_MAX + 1];
	char			 trash[VOLUME_NAME_MAX + 32];
	pid_t			 pid;
	struct loop_watch	 w;
};

/* See storage.h.  The rules of one part of a cell name. */
int
storage_name_valid(const char *name, char *msg, size_t len)
{
	size_t	 n = strlen(name), i;

	if (n == 0 || n > VOLUME_NAME_MAX || name[0] == '-' ||
	    name[n - 1] == '-')
		goto bad;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) && name[i] != '-')
			goto bad;
	return 0;
bad:
	snprintf(msg, len, "invalid volume name '%.64s': it must be a DNS "
	    "label (1-63 of a-z, 0-9 and '-', not starting or ending with "
	    "'-')", name);
	return -1;
}

/* STATE_DIR/volumes into out. */
static void
volumes_dir(char *out, size_t len)
{
	snprintf(out, len, "%s/volumes", cfg.state_dir);
}

/* Open STATE_DIR/volumes (O_PATH), creating it (0700) when create is
 * set.  Returns a descriptor or -1 with errno. */
static int
volumes_open(int create)
{
	char	 dir[PATH_MAX];

	volumes_dir(dir, sizeof dir);
	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	return open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* The configured volume of that name, or NULL. */
static const struct volume *
conf_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < nconf; i++)
		if (strcmp(conf[i].name, name) == 0)
			return &conf[i];
	return NULL;
}

/* Is STATE_DIR/volumes/name a directory (not a symbolic link)? */
static int
created_exists(const char *name)
{
	char		 path[PATH_MAX];
	struct stat	 st;

	volumes_dir(path, sizeof path);
	if (strlcat(path, "/", sizeof path) >= sizeof path ||
	    strlcat(path, name, sizeof path) >= sizeof path)
		return 0;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* What storage_load() builds before it replaces the configured list. */
struct load_ctx {
	struct volume	*v;
	size_t		 n, cap;
};

/* ini_cb for auraed.conf: only [storage], NAME = /absolute/dir. */
static int
load_cb(void *arg, const char *section, const char *key, const char *value,
    char *msg, size_t len)
{
	struct load_ctx	*l = arg;
	struct volume	*nv;
	size_t		 i, n;

	if (strcmp(section, "storage") != 0) {
		snprintf(msg, len, "unknown section [%s] (known: [storage])",
		    section);
		return -1;
	}
	if (key == NULL)
		return 0;
	if (storage_name_valid(key, msg, len) < 0)
		return -1;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, key) == 0) {
			snprintf(msg, len, "volume '%s' is configured twice",
			    key);
			return -1;
		}
	n = strlen(value);
	while (n > 1 && value[n - 1] == '/')
		n--;
	if (value[0] != '/') {
		snprintf(msg, len, "volume '%s': '%.200s' is not an absolute "
		    "path", key, value);
		return -1;
	}
	if (n == 1) {
		snprintf(msg, len, "volume '%s': the host's root cannot be a "
		    "volume", key);
		return -1;
	}
	if (n >= PATH_MAX) {
		snprintf(msg, len, "volume '%s': the path is longer than %d "
		    "bytes", key, PATH_MAX - 1);
		return -1;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		if ((nv = reallocarray(l->v, l->cap, sizeof *nv)) == NULL) {
			snprintf(msg, len, "out of memory");
			return -1;
		}
		l->v = nv;
	}
	nv = &l->v[l->n++];
	memset(nv, 0, sizeof *nv);
	snprintf(nv->name, sizeof nv->name, "%s", key);
	memcpy(nv->path, value, n);
	nv->path[n] = '\0';
	nv->source = VOLUME_CONFIG;
	return 0;
}

/* See storage.h. */
int
storage_load(const char *path, int missing_ok, char *msg, size_t len)
{
	struct load_ctx	 l = { NULL, 0, 0 };
	struct stat	 st;
	size_t		 i;

	if (ini_parse_file(path, missing_ok, load_cb, &l, msg, len) < 0) {
		free(l.v);
		return -1;
	}
	free(conf);
	conf = l.v;
	nconf = l.n;
	for (i = 0; i < nconf; i++) {
		if (stat(conf[i].path, &st) < 0)
			log_warn("volume %s: %s: %s", conf[i].name,
			    conf[i].path, strerror(errno));
		else if (!S_ISDIR(st.st_mode))
			log_warn("volume %s: %s is not a directory",
			    conf[i].name, conf[i].path);
		if (created_exists(conf[i].name))
			log_warn("volume %s: the configured one hides the one "
			    "created in %s/volumes", conf[i].name,
			    cfg.state_dir);
	}
	return 0;
}

/* See storage.h. */
size_t
storage_nconfigured(void)
{
	return nconf;
}

/* See storage.h. */
int
storage_find(const char *name, struct volume *v)
{
	const struct volume	*c;

	if ((c = conf_find(name)) != NULL) {
		*v = *c;
		return 0;
	}
	if (strlen(name) > VOLUME_NAME_MAX || !created_exists(name))
		return -1;
	memset(v, 0, sizeof *v);
	snprintf(v->name, sizeof v->name, "%s", name);
	volumes_dir(v->path, sizeof v->path);
	strlcat(v->path, "/", sizeof v->path);
	strlcat(v->path, name, sizeof v->path);
	v->source = VOLUME_CREATED;
	return 0;
}

/* See storage.h. */
int
storage_open(const struct volume *v)
{
	int	 dfd, fd, e;

	if (v->source == VOLUME_CONFIG)
		return open(v->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if ((dfd = volumes_open(0)) < 0)
		return -1;
	fd = openat(dfd, v->name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	e = errno;
	close(dfd);
	errno = e;
	return fd;
}

/* See storage.h. */
const char *
storage_user(const char *name)
{
	const struct cell	*c;
	size_t			 i;

	TAILQ_FOREACH(c, &cells, entry)
		for (i = 0; i < c->nvolumes; i++)
			if (strcmp(c->volumes[i].name, name) == 0)
				return c->name;
	return NULL;
}

/* The size walk's running totals (nftw has no argument). */
static unsigned long long	walk_bytes;
static unsigned long		walk_entries;

/* nftw callback: add an entry's blocks; stop past SIZE_WALK_MAX. */
static int
size_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)path;
	(void)flag;
	(void)f;
	if (++walk_entries > SIZE_WALK_MAX)
		return 1;
	walk_bytes += (unsigned long long)st->st_blocks * 512;
	return 0;
}

/* See storage.h. */
cJSON *
storage_volume_json(const struct volume *v, int usage)
{
	const struct cell	*c;
	cJSON			*o, *arr;
	size_t			 i;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", v->name);
	cJSON_AddStringToObject(o, "path", v->path);
	cJSON_AddStringToObject(o, "source", v->source == VOLUME_CONFIG ?
	    "config" : "created");
	arr = cJSON_AddArrayToObject(o, "cells");
	TAILQ_FOREACH(c, &cells, entry)
		for (i = 0; i < c->nvolumes; i++)
			if (strcmp(c->volumes[i].name, v->name) == 0) {
				cJSON_AddItemToArray(arr,
				    cJSON_CreateString(c->name));
				break;
			}
	if (!usage)
		return o;
	/* Space in use, as du counts it, without following links or
	 * crossing into other filesystems; null when the tree is too big
	 * to walk on the daemon's thread, or cannot be read. */
	walk_bytes = 0;
	walk_entries = 0;
	if (nftw(v->path, size_entry, 16, FTW_PHYS | FTW_MOUNT) == 0)
		cJSON_AddNumberToObject(o, "size", (double)walk_bytes);
	else
		cJSON_AddNullToObject(o, "size");
	return o;
}

/* Order volumes by name. */
static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct volume *)a)->name,
	    ((const struct volume *)b)->name);
}

/* See storage.h. */
cJSON *
storage_list_json(int usage)
{
	struct volume	*all, *nv;
	struct dirent	*de;
	DIR		*d;
	char		 dir[PATH_MAX], msg[256];
	size_t		 n = 0, cap = nconf + 16, i;
	cJSON		*r, *arr;

	if ((all = calloc(cap, sizeof *all)) == NULL)
		return NULL;
	for (i = 0; i < nconf; i++)
		all[n++] = conf[i];
	volumes_dir(dir, sizeof dir);
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (storage_name_valid(de->d_name, msg, sizeof msg) <
			    0 || conf_find(de->d_name) != NULL ||
			    !created_exists(de->d_name))
				continue;
			if (n == cap) {
				nv = reallocarray(all, cap * 2, sizeof *all);
				if (nv == NULL)
					break;
				all = nv;
				cap *= 2;
			}
			storage_find(de->d_name, &all[n++]);
		}
		closedir(d);
	}
	qsort(all, n, sizeof *all, by_name);
	r = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(r, "volumes");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, storage_volume_json(&all[i], usage));
	free(all);
	return r;
}

/* See storage.h. */
int
storage_create(const char *name, struct volume *out, int *code, char *msg,
    size_t len)
{
	int	 dfd;

	if (storage_name_valid(name, msg, len) < 0) {
		*code = AE_INVALID_ARGUMENT;
		return -1;
	}
	if (conf_find(name) != NULL) {
		*code = AE_ALREADY_EXISTS;
		snprintf(msg, len, "volume '%s' already exists (configured)",
		    name);
		return -1;
	}
	if ((dfd = volumes_open(1)) < 0) {
		*code = AE_INTERNAL;
		snprintf(msg, len, "cannot open %s/volumes: %s", cfg.state_dir,
		    strerror(errno));
		return -1;
	}
	if (mkdirat(dfd, name, 0755) < 0) {
		*code = errno == EEXIST ? AE_ALREADY_EXISTS : AE_INTERNAL;
		if (errno == EEXIST)
			snprintf(msg, len, "volume '%s' already exists", name);
		else
			snprintf(msg, len, "cannot create volume '%s': %s",
			    name, strerror(errno));
		close(dfd);
		return -1;
	}
	/* The umask may have masked bits. */
	if (fchmodat(dfd, name, 0755, 0) < 0)
		log_warn("volume %s: chmod: %s", name, strerror(errno));
	close(dfd);
	storage_find(name, out);
	log_info("volume %s created", name);
	return 0;
}

/* In the worker: delete the trash directory below the volumes directory
 * vfd and write the errno of the outcome (0: done) on resfd.  Every
 * other descriptor of the daemon is closed first. */
static void __attribute__((noreturn))
rm_worker(int vfd, const char *trash, int resfd)
{
	sigset_t	 none;
	int		 fd, e = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "auraed-rm");
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if ((vfd = fcntl(vfd, F_DUPFD_CLOEXEC, 100)) < 0 ||
	    (resfd = fcntl(resfd, F_DUPFD_CLOEXEC, 100)) < 0 ||
	    dup3(vfd, 3, O_CLOEXEC) < 0 || dup3(resfd, 4, O_CLOEXEC) < 0)
		_exit(1);
	syscall(SYS_close_range, 5, ~0U, 0);
	fd = openat(3, trash, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0 || storage_rm_tree(fd) < 0)
		e = errno;
	if (fd >= 0)
		close(fd);
	if (e == 0 && unlinkat(3, trash, AT_REMOVEDIR) < 0)
		e = errno;
	if (write(4, &e, sizeof e) != (ssize_t)sizeof e)
		_exit(1);
	_exit(0);
}

/* The worker is done (or died): answer the call. */
static void
rm_done(struct loop_watch *w, uint32_t events)
{
	struct rm_job	*j = w->data;
	ssize_t		 n;
	int		 e = 0;

	(void)events;
	do
		n = read(w->fd, &e, sizeof e);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n != (ssize_t)sizeof e)
		e = -1;
	if (e == 0) {
		log_info("volume %s removed", j->name);
		if (j->call != NULL)
			rpc_reply(j->call, NULL);
	} else {
		log_error("cannot remove the files of volume %s (left in "
		    "%s/volumes/%s): %s", j->name, cfg.state_dir, j->trash,
		    e < 0 ? "the worker died" : strerror(e));
		if (j->call != NULL)
			rpc_error(j->call, AE_INTERNAL, "cannot remove the files "
			    "of volume '%s' (left in %s/volumes/%s): %s",
			    j->name, cfg.state_dir, j->trash, e < 0 ?
			    "the worker died" : e == ESTALE ? "the tree was "
			    "moved during the removal" : strerror(e));
	}
	loop_del(&j->w);
	close(j->w.fd);
	loop_defer_free(free, j);
}

/* Start a worker deleting STATE_DIR/volumes/trash (vfd is that
 * directory; kept by the caller).  The call, when not NULL, is answered
 * now on failure or when the worker is done. */
static void
rm_start(struct rpc_call *call, int vfd, const char *name,
    const char *trash)
{
	struct rm_job	*j;
	int		 res[2];
	pid_t		 pid;

	if ((j = calloc(1, sizeof *j)) == NULL || pipe2(res, O_CLOEXEC) < 0) {
		free(j);
		if (call != NULL)
			rpc_error(call, AE_RESOURCE_EXHAUSTED, "cannot remove "
			    "volume '%s': %s", name, strerror(errno));
		return;
	}
	snprintf(j->name, sizeof j->name, "%s", name);
	snprintf(j->trash, sizeof j->trash, "%s", trash);
	if ((pid = fork()) == 0) {
		close(res[0]);
		rm_worker(vfd, j->trash, res[1]);
	}
	close(res[1]);
	if (pid < 0) {
		close(res[0]);
		free(j);
		if (call != NULL)
			rpc_error(call, AE_RESOURCE_EXHAUSTED, "cannot remove "
			    "volume '%s': %s", name, strerror(errno));
		return;
	}
	j->call = call;
	j->pid = pid;
	j->w.fd = res[0];
	j->w.events = EPOLLIN;
	j->w.cb = rm_done;
	j->w.data = j;
	fcntl(res[0], F_SETFL, O_NONBLOCK);
	if (loop_add(&j->w) < 0) {
		/* The worker goes on; nobody hears of it. */
		close(res[0]);
		free(j);
		if (call != NULL)
			rpc_error(call, AE_INTERNAL, "cannot watch the removal "
			    "of volume '%s': %s", name, strerror(errno));
		return;
	}
	log_debug("volume %s: removal worker %d", name, (int)pid);
}

/* See storage.h. */
void
storage_remove(struct rpc_call *call, const char *name, int force)
{
	char		 trash[VOLUME_NAME_MAX + 32], msg[256];
	const char	*user;
	unsigned	 r;
	int		 dfd;

	if (storage_name_valid(name, msg, sizeof msg) < 0) {
		rpc_error(call, AE_INVALID_ARGUMENT, "%s", msg);
		return;
	}
	if (conf_find(name) != NULL) {
		rpc_error(call, AE_PERMISSION_DENIED, "volume '%s' is "
		    "configured in %s; remove it there", name,
		    cfg.config_path);
		return;
	}
	if (!created_exists(name)) {
		rpc_error(call, AE_NOT_FOUND, "no volume named '%s'", name);
		return;
	}
	if ((user = storage_user(name)) != NULL) {
		rpc_error(call, AE_CONFLICT, "volume '%s' is used by cell '%s'",
		    name, user);
		return;
	}
	if ((dfd = volumes_open(0)) < 0) {
		rpc_error(call, AE_INTERNAL, "cannot open %s/volumes: %s",
		    cfg.state_dir, strerror(errno));
		return;
	}
	if (unlinkat(dfd, name, AT_REMOVEDIR) == 0) {
		close(dfd);
		log_info("volume %s removed", name);
		rpc_reply(call, NULL);
		return;
	}
	if (errno != ENOTEMPTY && errno != EEXIST) {
		rpc_error(call, errno == ENOENT ? AE_NOT_FOUND : AE_INTERNAL,
		    "cannot remove volume '%s': %s", name, strerror(errno));
		close(dfd);
		return;
	}
	if (!force) {
		close(dfd);
		rpc_error(call, AE_CONFLICT, "volume '%s' is not empty; use "
		    "force to remove its files too", name);
		return;
	}
	/* Out of the name space at once; the files go in a worker. */
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (unsigned)getpid() ^ (unsigned)time(NULL);
	snprintf(trash, sizeof trash, TRASH_PREFIX "%s-%08x", name, r);
	if (renameat(dfd, name, dfd, trash) < 0) {
		rpc_error(call, AE_INTERNAL, "cannot remove volume '%s': %s",
		    name, strerror(errno));
		close(dfd);
		return;
	}
	rm_start(call, dfd, name, trash);
	close(dfd);
}

/* See storage.h. */
void
storage_init(void)
{
	struct dirent	*de;
	DIR		*d;
	char		 dir[PATH_MAX], name[VOLUME_NAME_MAX + 1];
	const char	*p, *dash;
	int		 dfd;

	volumes_dir(dir, sizeof dir);
	if ((d = opendir(dir)) == NULL)
		return;
	if ((dfd = volumes_open(0)) < 0) {
		closedir(d);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, TRASH_PREFIX, strlen(TRASH_PREFIX)) !=
		    0 || strlen(de->d_name) >= VOLUME_NAME_MAX + 32)
			continue;
		p = de->d_name + strlen(TRASH_PREFIX);
		if ((dash = strrchr(p, '-')) == NULL || (size_t)(dash - p) >
		    VOLUME_NAME_MAX)
			continue;
		snprintf(name, sizeof name, "%.*s", (int)(dash - p), p);
		log_info("volume %s: deleting what a removal left in %s/%s",
		    name, dir, de->d_name);
		rm_start(NULL, dfd, name, de->d_name);
	}
	close(dfd);
	closedir(d);
}

/* See storage.h. */
int
storage_path_clean(const char *in, char *out, size_t len, char *msg,
    size_t msglen)
{
	const char	*p = in, *e;
	size_t		 o = 0, n;

	if (*in != '/') {
		snprintf(msg, msglen, "mount path '%.200s' must be absolute",
		    in);
		return -1;
	}
	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		e = p + strcspn(p, "/");
		n = (size_t)(e - p);
		if (n == 1 && *p == '.') {
			p = e;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			snprintf(msg, msglen, "mount path '%.200s' must not "
			    "hold '..'", in);
			return -1;
		}
		if (o + 1 + n >= len) {
			snprintf(msg, msglen, "mount path '%.64s...' is too "
			    "long", in);
			return -1;
		}
		out[o++] = '/';
		memcpy(out + o, p, n);
		o += n;
		p = e;
	}
	if (o == 0) {
		snprintf(msg, msglen, "a volume cannot be mounted on '/'");
		return -1;
	}
	out[o] = '\0';
	return 0;
}

/* See storage.h. */
int
storage_parse_mount(const cJSON *m, struct cell_volume *out, int *code,
    char *msg, size_t len)
{
	char		 spec[PATH_MAX + VOLUME_NAME_MAX + 8], *colon, *mode;
	const char	*name, *path;
	const cJSON	*x;
	struct volume	 v;
	struct stat	 st;
	int		 ro = 0;

	*code = AE_INVALID_ARGUMENT;
	memset(out, 0, sizeof *out);
	if (cJSON_IsString(m)) {
		if (strlen(m->valuestring) >= sizeof spec) {
			snprintf(msg, len, "volume '%.64s...' is too long",
			    m->valuestring);
			return -1;
		}
		snprintf(spec, sizeof spec, "%s", m->valuestring);
		if ((colon = strchr(spec, ':')) == NULL) {
			snprintf(msg, len, "volume '%.200s' must be "
			    "NAME:/path[:ro]", spec);
			return -1;
		}
		*colon = '\0';
		name = spec;
		path = colon + 1;
		if ((mode = strrchr(path, ':')) != NULL) {
			if (strcmp(mode, ":ro") == 0)
				ro = 1;
			else if (strcmp(mode, ":rw") != 0) {
				snprintf(msg, len, "volume '%.200s': the mode "
				    "after the path must be ro or rw",
				    m->valuestring);
				return -1;
			}
			*mode = '\0';
		}
	} else if (cJSON_IsObject(m)) {
		cJSON_ArrayForEach(x, m)
			if (strcmp(x->string, "name") != 0 &&
			    strcmp(x->string, "path") != 0 &&
			    strcmp(x->string, "ro") != 0) {
				snprintf(msg, len, "unknown member '%.64s' of a "
				    "volume (known: name, path, ro)", x->string);
				return -1;
			}
		x = cJSON_GetObjectItemCaseSensitive(m, "name");
		name = cJSON_GetStringValue(x);
		x = cJSON_GetObjectItemCaseSensitive(m, "path");
		path = cJSON_GetStringValue(x);
		if (name == NULL || path == NULL) {
			snprintf(msg, len, "a volume object needs the strings "
			    "'name' and 'path'");
			return -1;
		}
		x = cJSON_GetObjectItemCaseSensitive(m, "ro");
		if (x != NULL && !cJSON_IsBool(x)) {
			snprintf(msg, len, "member 'ro' of a volume must be "
			    "true or false");
			return -1;
		}
		ro = cJSON_IsTrue(x);
	} else {
		snprintf(msg, len, "each volume must be a string "
		    "\"NAME:/path[:ro]\" or an object {name, path, ro}");
		return -1;
	}
	if (storage_name_valid(name, msg, len) < 0 ||
	    storage_path_clean(path, out->path, sizeof out->path, msg,
	    len) < 0)
		return -1;
	if (storage_find(name, &v) < 0) {
		*code = AE_NOT_FOUND;
		snprintf(msg, len, "no volume named '%s'", name);
		return -1;
	}
	/* Resolved now, so that the cell's set-up follows no link. */
	*code = AE_UNAVAILABLE;
	if (stat(v.path, &st) < 0 || (S_ISDIR(st.st_mode) &&
	    realpath(v.path, out->source) == NULL)) {
		snprintf(msg, len, "volume '%s': %.200s: %s", name, v.path,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(msg, len, "volume '%s': %.200s is not a directory",
		    name, v.path);
		return -1;
	}
	strlcpy(out->name, name, sizeof out->name);
	out->ro = ro;
	return 0;
}

/* Identity of an open directory: device, inode and mount. */
struct dir_id {
	dev_t			 dev;
	ino_t			 ino;
	unsigned long long	 mnt;
};

/* Fill *id for fd.  Returns 0 or -1 with errno. */
static int
dir_id(int fd, struct dir_id *id)
{
	struct statx	 sx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &sx) < 0)
		return -1;
	id->dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
	id->ino = sx.stx_ino;
	id->mnt = (sx.stx_mask & STATX_MNT_ID) ? sx.stx_mnt_id : 0;
	return 0;
}

/* See storage.h.  Iterative, so that a deep tree (a cell can make one)
 * needs neither a deep stack nor a descriptor per level: each directory
 * is emptied in turn, entering the first subdirectory that is not empty,
 * and rescanned after coming back up. */
int
storage_rm_tree(int dirfd)
{
	struct dir_id	 top, here, sub_id, *up = NULL, *nup;
	struct dirent	*de;
	const char	*n;
	size_t		 depth = 0, cap = 0;
	DIR		*d;
	int		 fd, dfd, sub, entered, e;

	if ((fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -1;
	if (dir_id(fd, &top) < 0)
		goto fail;
	for (;;) {
		if ((dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) < 0)
			goto fail;
		if ((d = fdopendir(dfd)) == NULL) {
			e = errno;
			close(dfd);
			errno = e;
			goto fail;
		}
		entered = 0;
		for (;;) {
			errno = 0;
			if ((de = readdir(d)) == NULL) {
				if (errno != 0)
					goto fail_dir;
				break;
			}
			n = de->d_name;
			if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' &&
			    n[2] == '\0')))
				continue;
			if (unlinkat(fd, n, 0) == 0 || errno == ENOENT)
				continue;
			if (errno != EISDIR)
				goto fail_dir;
			if (unlinkat(fd, n, AT_REMOVEDIR) == 0 ||
			    errno == ENOENT)
				continue;
			if (errno != ENOTEMPTY && errno != EEXIST)
				goto fail_dir;
			sub = openat(fd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			    O_CLOEXEC);
			if (sub < 0)
				goto fail_dir;
			if (dir_id(sub, &sub_id) < 0 || dir_id(fd, &here) < 0) {
				e = errno;
				close(sub);
				errno = e;
				goto fail_dir;
			}
			if (sub_id.dev != top.dev || sub_id.mnt != top.mnt) {
				close(sub);
				errno = EXDEV;
				goto fail_dir;
			}
			if (depth == cap) {
				cap = cap ? cap * 2 : 64;
				if ((nup = reallocarray(up, cap, sizeof *up)) ==
				    NULL) {
					close(sub);
					errno = ENOMEM;
					goto fail_dir;
				}
				up = nup;
			}
			up[depth++] = here;
			close(fd);
			fd = sub;
			entered = 1;
			break;
		}
		closedir(d);
		if (entered)
			continue;
		if (depth == 0)
			break;
		/* Back up: only into the directory we came from. */
		if ((sub = openat(fd, "..", O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC)) < 0)
			goto fail;
		if (dir_id(sub, &sub_id) < 0 || sub_id.dev != up[depth - 1].dev ||
		    sub_id.ino != up[depth - 1].ino ||
		    sub_id.mnt != up[depth - 1].mnt) {
			close(sub);
			errno = ESTALE;
			goto fail;
		}
		depth--;
		close(fd);
		fd = sub;
	}
	close(fd);
	free(up);
	return 0;
fail_dir:
	e = errno;
	closedir(d);
	errno = e;
fail:
	e = errno;
	close(fd);
	free(up);
	errno = e;
	return -1;
}
