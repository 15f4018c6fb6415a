/* cell.c - cell registry and persistence. */
#include "cell.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/epoll.h>
#include <signal.h>
#include <ftw.h>

#include "auraed.h"
#include "buf.h"
#include "cellinit.h"
#include "cgroup.h"
#include "copyjob.h"
#include "events.h"
#include "exe.h"
#include "rpc.h"
#include "errcode.h"
#include "log.h"
#include "logs.h"
#include "pool.h"

struct cell_list cells = TAILQ_HEAD_INITIALIZER(cells);

/* Each part a DNS label: 1 to 63 of [a-z0-9-], not starting or ending
 * with '-'. */
int
cell_name_valid(const char *name, char *msg, size_t len)
{
	const char	*p, *label = name;
	size_t		 n = strlen(name);

	if (n == 0 || n > CELL_NAME_MAX) {
		snprintf(msg, len, "cell name must be 1 to %d characters",
		    CELL_NAME_MAX);
		return -1;
	}
	for (p = name;; p++) {
		if (*p == '/' || *p == '\0') {
			if (p == label || p - label > 63 || *label == '-' ||
			    p[-1] == '-') {
				snprintf(msg, len, "invalid cell name '%.64s': "
				    "each '/'-separated part must be a DNS label "
				    "(1-63 of a-z, 0-9 and '-', not starting or "
				    "ending with '-')", name);
				return -1;
			}
			if (*p == '\0')
				return 0;
			label = p + 1;
			continue;
		}
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p)
		    && *p != '-') {
			snprintf(msg, len, "invalid cell name '%.64s': only "
			    "a-z, 0-9, '-' and '/' are allowed", name);
			return -1;
		}
	}
}

/* Look a cell up. */
struct cell *
cell_find(const char *name)
{
	struct cell	*c;

	TAILQ_FOREACH(c, &cells, entry)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* Any cell named "<c>/..."? */
int
cell_has_children(const struct cell *c)
{
	struct cell	*o;
	size_t		 n = strlen(c->name);

	TAILQ_FOREACH(o, &cells, entry)
		if (strncmp(o->name, c->name, n) == 0 && o->name[n] == '/')
			return 1;
	return 0;
}

/* RUN_DIR/cells/<file name of the cell>. */
static void
state_path(const char *name, char *out, size_t len, const char *suffix)
{
	char	 enc[CELL_NAME_MAX + 1], *p;

	snprintf(enc, sizeof enc, "%s", name);
	for (p = enc; *p; p++)
		if (*p == '/')
			*p = '%';
	snprintf(out, len, "%s/cells/%s%s", cfg.run_dir, enc, suffix);
}

/* The volumes of c as an array of {name, path, ro}, with source (the
 * host directory) for the record. */
static cJSON *
volumes_json(const struct cell *c, int record)
{
	cJSON	*arr = cJSON_CreateArray(), *x;
	size_t	 i;

	for (i = 0; i < c->nvolumes; i++) {
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", c->volumes[i].name);
		cJSON_AddStringToObject(x, "path", c->volumes[i].path);
		cJSON_AddBoolToObject(x, "ro", c->volumes[i].ro);
		if (record)
			cJSON_AddStringToObject(x, "source",
			    c->volumes[i].source);
		cJSON_AddItemToArray(arr, x);
	}
	return arr;
}

/* Write the record atomically. */
int
cell_save(const struct cell *c)
{
	char	 path[PATH_MAX], tmp[PATH_MAX], dir[PATH_MAX], *s;
	cJSON	*o;
	int	 fd, r = -1;
	size_t	 n;

	snprintf(dir, sizeof dir, "%s/cells", cfg.run_dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	state_path(c->name, path, sizeof path, ".json");
	state_path(c->name, tmp, sizeof tmp, ".json.tmp");
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", c->name);
	cJSON_AddNumberToObject(o, "created", (double)c->created);
	cJSON_AddBoolToObject(o, "frozen", c->frozen);
	cJSON_AddItemToObject(o, "limits", cJSON_Duplicate(c->limits, 1));
	cJSON_AddNumberToObject(o, "ns", c->ns);
	if (c->root[0] != '\0')
		cJSON_AddStringToObject(o, "root", c->root);
	if (c->nvolumes > 0)
		cJSON_AddItemToObject(o, "volumes", volumes_json(c, 1));
	cJSON_AddNumberToObject(o, "next_seq", (double)c->next_seq);
	if (c->run_seq != 0)
		cJSON_AddNumberToObject(o, "run_seq", (double)c->run_seq);
	cJSON_AddNumberToObject(o, "init_pid", c->init_pid);
	{
		const struct exe	*e;
		cJSON			*arr, *x;

		/* Running executables, so that a restarted daemon knows
		 * their command lines; the init has the rest. */
		arr = cJSON_AddArrayToObject(o, "executables");
		TAILQ_FOREACH(e, &c->exes, entry) {
			if (e->state == EXE_EXITED)
				continue;
			x = cJSON_CreateObject();
			cJSON_AddNumberToObject(x, "seq", (double)e->seq);
			cJSON_AddItemToObject(x, "argv",
			    cJSON_Duplicate(e->argv, 1));
			cJSON_AddItemToArray(arr, x);
		}
	}
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (s == NULL)
		return -1;
	n = strlen(s);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		/* No fsync: the run directory is volatile (tmpfs) by design;
		 * the rename alone makes the record atomic for a daemon
		 * crash. */
		if (write(fd, s, n) == (ssize_t)n)
			r = 0;
		close(fd);
		if (r == 0 && rename(tmp, path) < 0)
			r = -1;
		if (r < 0)
			unlink(tmp);
	}
	cJSON_free(s);
	if (r < 0)
		log_error("cannot save cell %s: %s", c->name, strerror(errno));
	return r;
}

/* Flatten {"memory":{"max":"64M"}} and {"memory.max":64} alike into
 * name -> string pairs in out. */
static int
flatten(const cJSON *in, const char *prefix, cJSON *out, char *msg,
    size_t len)
{
	const cJSON	*m;
	char		 key[128], num[32];

	cJSON_ArrayForEach(m, in) {
		snprintf(key, sizeof key, "%s%s%s", prefix, *prefix ? "." : "",
		    m->string);
		if (cJSON_IsObject(m)) {
			if (flatten(m, key, out, msg, len) < 0)
				return -1;
		} else if (cJSON_IsString(m)) {
			cJSON_DeleteItemFromObjectCaseSensitive(out, key);
			cJSON_AddStringToObject(out, key, m->valuestring);
		} else if (cJSON_IsNumber(m) && m->valuedouble >= 0 &&
		    m->valuedouble == (double)(long long)m->valuedouble) {
			snprintf(num, sizeof num, "%lld",
			    (long long)m->valuedouble);
			cJSON_DeleteItemFromObjectCaseSensitive(out, key);
			cJSON_AddStringToObject(out, key, num);
		} else {
			snprintf(msg, len, "limit '%s' must be a string or a "
			    "non-negative integer", key);
			return -1;
		}
	}
	return 0;
}

/* Apply each limit in order; the first failure stops. */
static int
apply_limits(struct cell *c, const cJSON *flat, int *code, char *msg,
    size_t len)
{
	const cJSON	*m;
	int		 r;

	/* memory.max first: memory.swap.max depends on it on v1. */
	m = cJSON_GetObjectItemCaseSensitive(flat, "memory.max");
	if (m != NULL && (r = cgroup_set_limit(c->cgroup, "memory.max",
	    m->valuestring, msg, len)) < 0)
		goto fail;
	cJSON_ArrayForEach(m, flat) {
		if (strcmp(m->string, "memory.max") == 0)
			continue;
		if ((r = cgroup_set_limit(c->cgroup, m->string, m->valuestring,
		    msg, len)) < 0)
			goto fail;
	}
	return 0;
fail:
	*code = r == -1 ? AE_INVALID_ARGUMENT : r == -2 ? AE_UNIMPLEMENTED :
	    AE_INVALID_ARGUMENT;
	return -1;
}

/* Merge flat into the cell's recorded limits. */
static void
record_limits(struct cell *c, const cJSON *flat)
{
	const cJSON	*m;

	cJSON_ArrayForEach(m, flat) {
		cJSON_DeleteItemFromObjectCaseSensitive(c->limits, m->string);
		cJSON_AddStringToObject(c->limits, m->string, m->valuestring);
	}
}

/* After an OOM notification: report once the kill counter has moved (it
 * lags the notification), or as an OOM without kills after ~200 ms. */
static void
oom_check(void *arg)
{
	struct cell		*c = arg;
	unsigned long long	 n = c->oom_kills;
	cJSON			*ev;

	if ((cgroup_oom_kills(c->cgroup, &n) < 0 || n == c->oom_kills) &&
	    c->oom_tries >= 0 && ++c->oom_tries < 10) {
		loop_timer_start(&c->oom_timer, 20, oom_check, c);
		return;
	}
	/* No new kill: not an OOM kill (v1 also signals the eventfd when
	 * the cgroup goes away). */
	if (n == c->oom_kills)
		return;
	ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "cell", c->name);
	cJSON_AddNumberToObject(ev, "kills", (double)(n - c->oom_kills));
	cJSON_AddNumberToObject(ev, "total_kills", (double)n);
	log_info("cell %s: out of memory; %llu process(es) killed", c->name,
	    n - c->oom_kills);
	c->oom_kills = n;
	events_emit("cell.oom", ev);
}

/* The memory controller signalled an OOM. */
static void
oom_cb(struct loop_watch *w, uint32_t events)
{
	struct cell	*c = w->data;
	char		 b[512];

	while (read(w->fd, b, sizeof b) > 0)
		;
	c->oom_tries = 0;
	loop_timer_start(&c->oom_timer, 5, oom_check, c);
}

/* Watch a cell's memory events (a pooled cell has its descriptor
 * already). */
static void
oom_watch(struct cell *c)
{
	if (c->oom_w.fd < 0) {
		if ((c->oom_w.fd = cgroup_oom_watch(c->cgroup)) < 0)
			return;
		cgroup_oom_kills(c->cgroup, &c->oom_kills);
	}
	c->oom_w.events = EPOLLIN;
	c->oom_w.cb = oom_cb;
	c->oom_w.data = c;
	if (loop_add(&c->oom_w) < 0) {
		close(c->oom_w.fd);
		c->oom_w.fd = -1;
	}
}

/* Name, cgroup and empty lists of a new record. */
static void
cell_init_fields(struct cell *c, const char *name)
{
	snprintf(c->name, sizeof c->name, "%s", name);
	snprintf(c->cgroup, sizeof c->cgroup, "%s/%s", cfg.cgroup_parent,
	    name);
	/* c->limits is made by the caller: the pool's worker makes cells
	 * with this, and cJSON stays on the loop's thread. */
	c->init_pidfd = -1;
	c->init_w.fd = -1;
	c->init_exit.fd = -1;
	c->oom_w.fd = -1;
	c->oom_timer.w.fd = -1;
	c->remove_timer.w.fd = -1;
	TAILQ_INIT(&c->pending);
	TAILQ_INIT(&c->exes);
}

/* See cell.h. */
struct cell *
cell_alloc(const char *name)
{
	struct cell	*c;

	if ((c = calloc(1, sizeof *c)) != NULL)
		cell_init_fields(c, name);
	return c;
}

/* See cell.h. */
void
cell_discard_record(struct cell *c)
{
	cJSON_Delete(c->limits);
	free(c->volumes);
	free(c);
}

/* See cell.h.  Thread-safe (the pool's worker uses it). */
void
cell_fresh_name(char *out, size_t len)
{
	unsigned	 r;

	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (unsigned)getpid() ^ (unsigned)time(NULL) ^
		    (unsigned)(uintptr_t)out;
	snprintf(out, len, "run-%08x", r);
}

/* Check a requested root directory and resolve it (realpath) into out,
 * PATH_MAX bytes: an absolute path of an existing directory, for a cell
 * with a mount namespace of its own.  Returns 0, or -1 with a message. */
static int
root_check(const char *root, unsigned ns, char *out, char *msg, size_t len)
{
	struct stat	 st;

	if (root[0] != '/') {
		snprintf(msg, len, "root '%.200s' must be an absolute path",
		    root);
		return -1;
	}
	if (strlen(root) >= PATH_MAX) {
		snprintf(msg, len, "root must be shorter than %d bytes",
		    PATH_MAX);
		return -1;
	}
	if (stat(root, &st) < 0) {
		if (errno == ENOENT)
			snprintf(msg, len, "root '%.200s' does not exist", root);
		else
			snprintf(msg, len, "cannot use root '%.200s': %s", root,
			    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(msg, len, "root '%.200s' is not a directory", root);
		return -1;
	}
	if (!(ns & NS_MNT)) {
		snprintf(msg, len, "a cell with a root needs its own mount "
		    "namespace");
		return -1;
	}
	if (realpath(root, out) == NULL) {
		snprintf(msg, len, "cannot use root '%.200s': %s", root,
		    strerror(errno));
		return -1;
	}
	if (strcmp(out, "/") == 0) {
		snprintf(msg, len, "root '%.200s' is the host's own root; "
		    "leave root out instead", root);
		return -1;
	}
	return 0;
}

/* See cell.h. */
struct cell *
cell_create(const char *name, const cJSON *limits, unsigned ns,
    const char *root, const struct cell_volume *vols, size_t nvols,
    int *code, char *msg, size_t len)
{
	struct cell	*c;
	char		 parent[CELL_NAME_MAX + 1], *slash, namebuf[32];
	char		 rootbuf[PATH_MAX] = "";
	cJSON		*flat;
	int		 fresh;

	if ((fresh = name == NULL)) {
		cell_fresh_name(namebuf, sizeof namebuf);
		name = namebuf;
	}
	if (cell_name_valid(name, msg, len) < 0) {
		*code = AE_INVALID_ARGUMENT;
		return NULL;
	}
	if (cell_find(name) != NULL || pool_has(name)) {
		*code = AE_ALREADY_EXISTS;
		snprintf(msg, len, "cell '%s' already exists", name);
		return NULL;
	}
	snprintf(parent, sizeof parent, "%s", name);
	if ((slash = strrchr(parent, '/')) != NULL) {
		*slash = '\0';
		if (cell_find(parent) == NULL) {
			*code = AE_NOT_FOUND;
			snprintf(msg, len, "parent cell '%s' does not exist",
			    parent);
			return NULL;
		}
	}
	if (root != NULL && root_check(root, ns, rootbuf, msg, len) < 0) {
		*code = AE_INVALID_ARGUMENT;
		return NULL;
	}
	if (nvols > 0 && !(ns & NS_MNT)) {
		*code = AE_INVALID_ARGUMENT;
		snprintf(msg, len, "a cell with volumes needs its own mount "
		    "namespace");
		return NULL;
	}
	flat = cJSON_CreateObject();
	if (limits != NULL && flatten(limits, "", flat, msg, len) < 0) {
		cJSON_Delete(flat);
		*code = AE_INVALID_ARGUMENT;
		return NULL;
	}
	/* A throwaway cell comes from the pool when one is ready: all but the
	 * limits is done.  (Pooled cells have no root and no volumes.) */
	if (fresh && ns == NS_ALL && root == NULL && nvols == 0 &&
	    (c = pool_take()) != NULL) {
		c->created = time(NULL);
		c->limits = cJSON_CreateObject();
		if (apply_limits(c, flat, code, msg, len) < 0) {
			pool_discard(c);
			cJSON_Delete(flat);
			return NULL;
		}
		record_limits(c, flat);
		goto created;
	}
	if ((c = calloc(1, sizeof *c)) == NULL) {
		cJSON_Delete(flat);
		*code = AE_RESOURCE_EXHAUSTED;
		snprintf(msg, len, "out of memory");
		return NULL;
	}
	cell_init_fields(c, name);
	c->limits = cJSON_CreateObject();
	c->ns = ns;
	snprintf(c->root, sizeof c->root, "%s", rootbuf);
	if (nvols > 0) {
		if ((c->volumes = calloc(nvols, sizeof *vols)) == NULL) {
			*code = AE_RESOURCE_EXHAUSTED;
			snprintf(msg, len, "out of memory");
			goto fail;
		}
		memcpy(c->volumes, vols, nvols * sizeof *vols);
		c->nvolumes = nvols;
	}
	c->created = time(NULL);
	if (cgroup_create(c->cgroup, msg, len) < 0) {
		*code = errno == EEXIST ? AE_ALREADY_EXISTS : AE_INTERNAL;
		goto fail;
	}
	if (apply_limits(c, flat, code, msg, len) < 0) {
		cgroup_destroy(c->cgroup);
		goto fail;
	}
	record_limits(c, flat);
	if (cellinit_start(c, msg, len) < 0) {
		*code = AE_INTERNAL;
		cgroup_kill(c->cgroup);
		cgroup_destroy(c->cgroup);
		goto fail;
	}
created:
	cJSON_Delete(flat);
	TAILQ_INSERT_TAIL(&cells, c, entry);
	exe_attach_init(c, 0);
	oom_watch(c);
	log_info("cell %s created", c->name);
	{
		cJSON	*ev = cJSON_CreateObject();

		cJSON_AddStringToObject(ev, "cell", c->name);
		events_emit("cell.created", ev);
	}
	return c;
fail:
	cJSON_Delete(flat);
	cJSON_Delete(c->limits);
	free(c->volumes);
	free(c);
	return NULL;
}

/* See cell.h. */
int
cell_set_limits(struct cell *c, const cJSON *limits, int *code, char *msg,
    size_t len)
{
	cJSON	*flat = cJSON_CreateObject();
	int	 r;

	if (flatten(limits, "", flat, msg, len) < 0) {
		*code = AE_INVALID_ARGUMENT;
		cJSON_Delete(flat);
		return -1;
	}
	r = apply_limits(c, flat, code, msg, len);
	if (r == 0) {
		record_limits(c, flat);
		cell_save(c);
	}
	cJSON_Delete(flat);
	return r;
}

/* Free a cell record. */
static void
cell_free(struct cell *c)
{
	exe_free_all(c);
	loop_timer_stop(&c->remove_timer);
	loop_timer_stop(&c->oom_timer);
	if (c->oom_w.fd >= 0) {
		loop_del(&c->oom_w);
		close(c->oom_w.fd);
	}
	cJSON_Delete(c->limits);
	free(c->volumes);
	/* Its watches may still be named by events of this batch. */
	loop_defer_free(free, c);
}

/* Remove a directory tree (the cell's logs). */
static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* Everything is gone: drop the cgroup, the records and the logs. */
static void
remove_finish(struct cell *c)
{
	struct rpc_call	*call = c->removing;
	char		 path[PATH_MAX];
	cJSON		*ev;

	/* An OOM kill not yet reported is reported now, before the cgroup
	 * and its counters go. */
	if (c->oom_w.fd >= 0) {
		loop_timer_stop(&c->oom_timer);
		c->oom_tries = -1;
		oom_check(c);
	}
	/* Lazy: every process is gone, which is what the caller waits for
	 * (cellrun); it carries on while the rest is removed here, before
	 * the loop reads another request, so no request sees the cell
	 * half-removed. */
	if (c->remove_lazy && call != NULL) {
		rpc_reply(call, NULL);
		c->removing = call = NULL;
	}
	/* The same holds for a cells.run command's waits: its cell's
	 * removal is lazy. */
	if (c->remove_lazy)
		exe_answer_held(c);
	if (cgroup_destroy(c->cgroup) < 0) {
		c->removing = NULL;
		c->remove_started = 0;
		exe_answer_held(c);
		if (call != NULL)
			rpc_error(call, AE_INTERNAL, "cannot remove the cgroup "
			    "of '%s': %s", c->name, strerror(errno));
		else
			log_warn("cell %s: cannot remove its cgroup: %s; it "
			    "stays listed until removed again", c->name,
			    strerror(errno));
		return;
	}
	state_path(c->name, path, sizeof path, ".json");
	unlink(path);
	cellinit_sock_path(c, path, sizeof path);
	unlink(path);
	cellinit_log_dir(c->name, path, sizeof path);
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	exe_answer_held(c);
	exe_free_all(c);
	TAILQ_REMOVE(&cells, c, entry);
	log_info("cell %s removed", c->name);
	ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "cell", c->name);
	events_emit("cell.removed", ev);
	logs_cell_removed(c->name);
	if (call != NULL)
		rpc_reply(call, NULL);
	cell_free(c);
}

/* Poll until the init has exited and the cgroup is empty. */
static void
remove_poll(void *arg)
{
	struct cell	*c = arg;

	if (c->init_pid > 0 && c->init_pidfd < 0 && kill(c->init_pid, 0) < 0)
		c->init_pid = 0;	/* gone, and not ours to reap */
	if (c->init_pid == 0 && !cgroup_populated(c->cgroup)) {
		remove_finish(c);
		return;
	}
	if (++c->remove_tries % 50 == 0)
		cgroup_kill(c->cgroup);
	if (c->remove_tries > 2000) {
		struct rpc_call	*call = c->removing;

		c->removing = NULL;
		c->remove_started = 0;
		c->remove_tries = 0;
		exe_answer_held(c);
		if (call != NULL)
			rpc_error(call, AE_INTERNAL, "the processes of cell "
			    "'%s' did not exit", c->name);
		else
			log_warn("cell %s: its processes did not exit; it "
			    "stays listed until removed again", c->name);
		return;
	}
	/* Processes die within a millisecond or two; back off after. */
	loop_timer_start(&c->remove_timer, c->remove_tries < 20 ? 1 : 5,
	    remove_poll, c);
}

/* See cell.h. */
void
cell_remove_progress(struct cell *c)
{
	loop_timer_stop(&c->remove_timer);
	remove_poll(c);
}

/* See cell.h. */
void
cell_remove(struct cell *c, struct rpc_call *call, int lazy)
{
	struct init_hdr	 h;

	c->remove_started = 1;
	c->removing = call;
	c->remove_lazy = lazy;
	c->remove_tries = 0;
	copyjob_cell_removed(c);
	if (c->frozen) {
		cgroup_freeze(c->cgroup, 0);
		c->frozen = 0;
	}
	memset(&h, 0, sizeof h);
	h.type = INIT_SHUTDOWN;
	if (cellinit_send(c, &h, NULL, 0, NULL, 0) < 0 && c->init_pid > 0)
		kill(c->init_pid, SIGKILL);
	cgroup_kill(c->cgroup);
	remove_poll(c);
}

/* The timer of cell_remove_soon(). */
static void
remove_soon(void *arg)
{
	struct cell	*c = arg;

	if (!c->remove_started)
		cell_remove(c, NULL, 1);
}

/* See cell.h. */
void
cell_remove_soon(struct cell *c)
{
	if (c->remove_started)
		return;
	if (loop_timer_start(&c->remove_timer, 0, remove_soon, c) < 0)
		log_warn("cell %s: cannot schedule its removal: %s", c->name,
		    strerror(errno));
}

/* The volumes of a saved record (they are mounted in the cell already);
 * bad members are skipped. */
static void
restore_volumes(struct cell *c, const cJSON *arr)
{
	const cJSON		*x;
	const char		*name, *path, *source;
	struct cell_volume	*v;
	int			 n;

	if (!cJSON_IsArray(arr) || (n = cJSON_GetArraySize(arr)) == 0 ||
	    n > CELL_VOLUMES_MAX ||
	    (c->volumes = calloc((size_t)n, sizeof *c->volumes)) == NULL)
		return;
	cJSON_ArrayForEach(x, arr) {
		name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x,
		    "name"));
		path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x,
		    "path"));
		source = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    x, "source"));
		if (name == NULL || path == NULL ||
		    strlen(name) > VOLUME_NAME_MAX || strlen(path) >= PATH_MAX)
			continue;
		v = &c->volumes[c->nvolumes++];
		snprintf(v->name, sizeof v->name, "%s", name);
		snprintf(v->path, sizeof v->path, "%s", path);
		if (source != NULL)
			snprintf(v->source, sizeof v->source, "%s", source);
		v->ro = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "ro"));
	}
}

/* Take the runtime part of a saved record: namespaces, root, volumes,
 * numbering, the init's pid and the running executables (state "starting"
 * until the init confirms them). */
static void
restore_runtime(struct cell *c, const cJSON *o)
{
	const cJSON	*x, *seq, *argv;
	struct exe	*e;

	x = cJSON_GetObjectItemCaseSensitive(o, "ns");
	c->ns = cJSON_IsNumber(x) ? (unsigned)x->valueint : NS_ALL;
	x = cJSON_GetObjectItemCaseSensitive(o, "root");
	if (cJSON_IsString(x) && x->valuestring[0] == '/' &&
	    strlen(x->valuestring) < sizeof c->root)
		snprintf(c->root, sizeof c->root, "%s", x->valuestring);
	restore_volumes(c, cJSON_GetObjectItemCaseSensitive(o, "volumes"));
	x = cJSON_GetObjectItemCaseSensitive(o, "next_seq");
	c->next_seq = cJSON_IsNumber(x) ? (uint64_t)x->valuedouble : 0;
	x = cJSON_GetObjectItemCaseSensitive(o, "run_seq");
	c->run_seq = cJSON_IsNumber(x) && x->valuedouble >= 1 &&
	    x->valuedouble <= (double)c->next_seq ?
	    (uint64_t)x->valuedouble : 0;
	x = cJSON_GetObjectItemCaseSensitive(o, "init_pid");
	c->init_pid = cJSON_IsNumber(x) ? (pid_t)x->valueint : 0;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(o,
	    "executables")) {
		seq = cJSON_GetObjectItemCaseSensitive(x, "seq");
		argv = cJSON_GetObjectItemCaseSensitive(x, "argv");
		if (!cJSON_IsNumber(seq) || !cJSON_IsArray(argv) ||
		    (e = calloc(1, sizeof *e)) == NULL)
			continue;
		e->cell = c;
		e->seq = (uint64_t)seq->valuedouble;
		snprintf(e->id, sizeof e->id, "%s.%llu", c->name,
		    (unsigned long long)e->seq);
		e->argv = cJSON_Duplicate(argv, 1);
		e->state = EXE_STARTING;
		e->status = -1;
		TAILQ_INIT(&e->waiters);
		TAILQ_INSERT_TAIL(&c->exes, e, entry);
	}
}

/* Compare record file names as cell names ('%' stands for '/'), so that
 * a parent sorts, and loads, before its children. */
static int
by_name(const void *a, const void *b)
{
	const char	*x = *(char *const *)a, *y = *(char *const *)b;

	for (; *x && *x == *y; x++, y++)
		;
	if (*x == '%' || *x == '.')
		return *y == '%' || *y == '.' ? (*x == '.' ? -1 : 1) : -1;
	if (*y == '%' || *y == '.')
		return 1;
	return (unsigned char)*x - (unsigned char)*y;
}

/* Most records cell_restore() reads, and the longest. */
#define RESTORE_MAX	4096
#define RECORD_MAX	65536

/* See cell.h.  The record and name buffers are on the heap: on the stack
 * their 100 KiB would be touched whole by the stack probes and stay
 * resident for the daemon's life; malloc touches only what is used. */
void
cell_restore(void)
{
	char		 dir[PATH_MAX], path[PATH_MAX], *text, **names;
	DIR		*d;
	struct dirent	*de;
	size_t		 n = 0, i, len;
	int		 fd;
	ssize_t		 r;
	cJSON		*o;
	const cJSON	*nm, *cr, *fr, *li;
	struct cell	*c;

	snprintf(dir, sizeof dir, "%s/cells", cfg.run_dir);
	if ((d = opendir(dir)) == NULL)
		return;
	names = malloc(RESTORE_MAX * sizeof *names);
	text = malloc(RECORD_MAX);
	if (names == NULL || text == NULL) {
		log_error("cannot restore the cells: out of memory");
		free(names);
		free(text);
		closedir(d);
		return;
	}
	while ((de = readdir(d)) != NULL && n < RESTORE_MAX) {
		len = strlen(de->d_name);
		if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], by_name);
	for (i = 0; i < n; i++) {
		r = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		free(names[i]);
		if (r < 0 || (size_t)r >= sizeof path ||
		    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		r = read(fd, text, RECORD_MAX - 1);
		close(fd);
		if (r <= 0)
			continue;
		text[r] = '\0';
		o = cJSON_Parse(text);
		nm = cJSON_GetObjectItemCaseSensitive(o, "name");
		cr = cJSON_GetObjectItemCaseSensitive(o, "created");
		fr = cJSON_GetObjectItemCaseSensitive(o, "frozen");
		li = cJSON_GetObjectItemCaseSensitive(o, "limits");
		if (!cJSON_IsString(nm) || cell_name_valid(nm->valuestring,
		    text, RECORD_MAX) < 0 || cell_find(nm->valuestring)) {
			log_warn("ignoring bad cell record %s", path);
			cJSON_Delete(o);
			continue;
		}
		if ((c = calloc(1, sizeof *c)) == NULL) {
			cJSON_Delete(o);
			continue;
		}
		cell_init_fields(c, nm->valuestring);
		c->created = cJSON_IsNumber(cr) ? (time_t)cr->valuedouble : 0;
		c->frozen = cJSON_IsTrue(fr);
		c->limits = cJSON_IsObject(li) ? cJSON_Duplicate(li, 1) :
		    cJSON_CreateObject();
		restore_runtime(c, o);
		cJSON_Delete(o);
		if (!cgroup_exists(c->cgroup)) {
			log_warn("cell %s: cgroup is gone; forgetting it",
			    c->name);
			unlink(path);
			cell_free(c);
			continue;
		}
		TAILQ_INSERT_TAIL(&cells, c, entry);
		oom_watch(c);
		if (cellinit_reconnect(c) < 0 || exe_attach_init(c, 1) < 0) {
			log_warn("cell %s: its init is gone", c->name);
			exe_detach_init(c, 1);
		}
		log_info("cell %s restored", c->name);
	}
	free(names);
	free(text);
}

/* The cell's state for its JSON: "active", "frozen", or "dead" when
 * there is no connection to its init, so nothing can start in it (the
 * init exited, was killed, or was gone when we were restarted).  A
 * static string. */
static const char *
cell_state(const struct cell *c)
{
	if (c->init_w.fd < 0 && !c->remove_started)
		return "dead";
	return c->frozen ? "frozen" : "active";
}

/* See cell.h. */
cJSON *
cell_json(const struct cell *c, int detail)
{
	const char *const	*n;
	unsigned long long	 v;
	char			 val[256];
	cJSON			*o, *l;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", c->name);
	cJSON_AddStringToObject(o, "state", cell_state(c));
	if (cgroup_stat(c->cgroup, "pids.current", &v) == 0)
		cJSON_AddNumberToObject(o, "pids", (double)v);
	else
		cJSON_AddNullToObject(o, "pids");
	if (cgroup_stat(c->cgroup, "memory.current", &v) == 0)
		cJSON_AddNumberToObject(o, "memory", (double)v);
	else
		cJSON_AddNullToObject(o, "memory");
	cJSON_AddNumberToObject(o, "executables",
	    exe_count(c, EXE_RUNNING) + exe_count(c, EXE_STARTING));
	cJSON_AddNumberToObject(o, "created", (double)c->created);
	if (c->root[0] != '\0')
		cJSON_AddStringToObject(o, "root", c->root);
	if (c->nvolumes > 0)
		cJSON_AddItemToObject(o, "volumes", volumes_json(c, 0));
	if (!detail)
		return o;
	{
		cJSON		*arr = cJSON_AddArrayToObject(o, "isolated");
		unsigned	 f;

		for (f = 1; f <= NS_CGROUP; f <<= 1)
			if (c->ns & f)
				cJSON_AddItemToArray(arr,
				    cJSON_CreateString(cellinit_ns_name(f)));
	}
	if (c->init_pid > 0)
		cJSON_AddNumberToObject(o, "init_pid", c->init_pid);
	cJSON_AddStringToObject(o, "cgroup", c->cgroup);
	cJSON_AddItemToObject(o, "requested", cJSON_Duplicate(c->limits, 1));
	l = cJSON_AddObjectToObject(o, "limits");
	for (n = cgroup_limit_names(); *n != NULL; n++)
		if (cgroup_get_limit(c->cgroup, *n, val, sizeof val) == 0)
			cJSON_AddStringToObject(l, *n, val);
	cell_add_usage(c, o);
	return o;
}

/* See cell.h. */
void
cell_add_usage(const struct cell *c, cJSON *o)
{
	unsigned long long	 v;

	if (cgroup_stat(c->cgroup, "cpu.usage_usec", &v) == 0)
		cJSON_AddNumberToObject(o, "cpu_usec", (double)v);
	if (cgroup_stat(c->cgroup, "memory.peak", &v) == 0)
		cJSON_AddNumberToObject(o, "memory_peak", (double)v);
}
