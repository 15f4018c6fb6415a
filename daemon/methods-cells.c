/* methods-cells.c - cells.create, list, info, set, freeze, thaw, remove. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "cellinit.h"
#include "exe.h"
#include "cgroup.h"
#include "methods.h"
#include "rpc.h"
#include "storage.h"

/* Gather the limits of a request: the "limits" object and any other
 * members (text mode sends memory.max=64M as {"memory":{"max":"64M"}}).
 * Returns a new object, or NULL after answering the call. */
static cJSON *
request_limits(struct rpc_call *c, const cJSON *params)
{
	const cJSON	*m, *l;
	cJSON		*out = cJSON_CreateObject();

	cJSON_ArrayForEach(m, params) {
		if (strcmp(m->string, "name") == 0 ||
		    strcmp(m->string, "fds") == 0 ||
		    strcmp(m->string, "share") == 0 ||
		    strcmp(m->string, "root") == 0 ||
		    strcmp(m->string, "volumes") == 0)
			continue;
		if (strcmp(m->string, "limits") == 0) {
			if (!cJSON_IsObject(m)) {
				cJSON_Delete(out);
				rpc_error(c, AE_INVALID_ARGUMENT, "parameter "
				    "'limits' must be an object");
				return NULL;
			}
			cJSON_ArrayForEach(l, m)
				cJSON_AddItemToObject(out, l->string,
				    cJSON_Duplicate(l, 1));
			continue;
		}
		if (strcmp(m->string, "cpu") && strcmp(m->string, "cpuset") &&
		    strcmp(m->string, "memory") && strcmp(m->string, "pids") &&
		    strncmp(m->string, "cpu.", 4) &&
		    strncmp(m->string, "cpuset.", 7) &&
		    strncmp(m->string, "memory.", 7) &&
		    strncmp(m->string, "pids.", 5)) {
			cJSON_Delete(out);
			rpc_error(c, AE_INVALID_ARGUMENT, "unknown parameter "
			    "'%s' for %s", m->string, c->method);
			return NULL;
		}
		cJSON_AddItemToObject(out, m->string, cJSON_Duplicate(m, 1));
	}
	return out;
}

/* The cell named by params.name, or NULL after answering NOT_FOUND. */
static struct cell *
named_cell(struct rpc_call *c, const cJSON *params)
{
	const char	*name = NULL;
	struct cell	*cell;

	if (rpc_param_string(c, params, "name", 1, &name) < 0)
		return NULL;
	if ((cell = cell_find(name)) == NULL)
		rpc_error(c, AE_NOT_FOUND, "no cell named '%s'", name);
	return cell;
}

/* The namespaces to isolate: all but those in params.share (an array of
 * names, or a comma-separated string).  Returns -1 after answering. */
static int
request_ns(struct rpc_call *c, const cJSON *params, unsigned *ns)
{
	const cJSON	*sh = cJSON_GetObjectItemCaseSensitive(params, "share");
	const cJSON	*m;
	char		 word[32];
	const char	*p, *e;
	unsigned	 f;

	*ns = NS_ALL;
	if (sh == NULL || cJSON_IsNull(sh))
		return 0;
	if (cJSON_IsString(sh)) {
		for (p = sh->valuestring; *p; p = *e ? e + 1 : e) {
			e = p + strcspn(p, ",");
			snprintf(word, sizeof word, "%.*s", (int)(e - p), p);
			if ((f = cellinit_ns_flag(word)) == 0)
				goto bad;
			*ns &= ~f;
		}
		return 0;
	}
	if (!cJSON_IsArray(sh))
		goto bad;
	cJSON_ArrayForEach(m, sh) {
		if (!cJSON_IsString(m) ||
		    (f = cellinit_ns_flag(m->valuestring)) == 0)
			goto bad;
		*ns &= ~f;
	}
	return 0;
bad:
	rpc_error(c, AE_INVALID_ARGUMENT, "parameter 'share' must list "
	    "namespaces to share with the host: pid, mount, ipc, uts, net, "
	    "cgroup");
	return -1;
}

/* The volumes of params.volumes (an array of "NAME:/path[:ro]" or
 * {name, path, ro}), each looked up, into *out (malloc'd, *n of them).
 * Returns 0, or -1 after answering. */
static int
request_volumes(struct rpc_call *c, const cJSON *params,
    struct cell_volume **out, size_t *n)
{
	const cJSON		*arr, *m;
	struct cell_volume	*v;
	char			 msg[512];
	size_t			 i, k = 0;
	int			 code, len;

	*out = NULL;
	*n = 0;
	arr = cJSON_GetObjectItemCaseSensitive(params, "volumes");
	if (arr == NULL || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr)) {
		rpc_error(c, AE_INVALID_ARGUMENT, "parameter 'volumes' must be "
		    "an array of \"NAME:/path[:ro]\" strings or {name, path, "
		    "ro} objects");
		return -1;
	}
	if ((len = cJSON_GetArraySize(arr)) == 0)
		return 0;
	if (len > CELL_VOLUMES_MAX) {
		rpc_error(c, AE_INVALID_ARGUMENT, "a cell may mount at most %d "
		    "volumes", CELL_VOLUMES_MAX);
		return -1;
	}
	if ((v = calloc((size_t)len, sizeof *v)) == NULL) {
		rpc_error(c, AE_RESOURCE_EXHAUSTED, "out of memory");
		return -1;
	}
	cJSON_ArrayForEach(m, arr) {
		if (storage_parse_mount(m, &v[k], &code, msg, sizeof msg) < 0) {
			free(v);
			rpc_error(c, (enum aurae_errcode)code, "%s", msg);
			return -1;
		}
		for (i = 0; i < k; i++)
			if (strcmp(v[i].path, v[k].path) == 0) {
				rpc_error(c, AE_INVALID_ARGUMENT, "two volumes "
				    "are mounted on %.200s", v[k].path);
				free(v);
				return -1;
			}
		k++;
	}
	*out = v;
	*n = k;
	return 0;
}

/* Create the cell that params (those of cells.create) describe.
 * root is an absolute path of a host directory the cell pivots into
 * (checked by cell_create()); every volume is looked up before anything
 * is made.  Returns the cell, or NULL after answering. */
static struct cell *
create_cell(struct rpc_call *c, const cJSON *params)
{
	const char		*name = NULL, *root = NULL;
	struct cell		*cell;
	struct cell_volume	*vols;
	cJSON			*limits;
	char			 msg[512];
	size_t			 nvols;
	int			 code = AE_INTERNAL;
	unsigned		 ns;

	/* Without a name the daemon picks one ("run-..."), as for
	 * cellrun's throwaway cells. */
	if (rpc_param_string(c, params, "name", 0, &name) < 0 ||
	    rpc_param_string(c, params, "root", 0, &root) < 0 ||
	    request_ns(c, params, &ns) < 0)
		return NULL;
	if ((limits = request_limits(c, params)) == NULL)
		return NULL;
	if (request_volumes(c, params, &vols, &nvols) < 0) {
		cJSON_Delete(limits);
		return NULL;
	}
	cell = cell_create(name, limits, ns, root, vols, nvols, &code, msg,
	    sizeof msg);
	free(vols);
	cJSON_Delete(limits);
	if (cell == NULL)
		rpc_error(c, (enum aurae_errcode)code, "%s", msg);
	return cell;
}

/* cells.create {name?, share?, root?, volumes?, limits?, <limit>...} */
static void
m_create(struct rpc_call *c, const cJSON *params)
{
	struct cell	*cell;

	if ((cell = create_cell(c, params)) != NULL) {
		cell_save(cell);
		rpc_reply(c, cell_json(cell, 1));
	}
}

/* cells.run {cell?: {cells.create's params}, argv, env?, ...
 * (executables.start's but cell)}: a cell made for one command, removed
 * (with what else runs in it) once that command has ended and the caller
 * has waited for it or disconnected.  The answer is executables.start's
 * and the cell's name; see exe_run(). */
static void
m_run(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "cell", "argv", "env", "cwd",
	    "cwd_optional", "uid", "gid", "stdin", "stdout", "stderr",
	    "setsid", "tty", "attach", NULL };
	static cJSON	 none = { .type = cJSON_Object };
	const cJSON	*spec;
	struct cell	*cell;
	struct exe_spec	 sp;

	if (rpc_params_only(c, params, keys) < 0)
		return;
	spec = cJSON_GetObjectItemCaseSensitive(params, "cell");
	if (spec == NULL || cJSON_IsNull(spec))
		spec = &none;
	else if (!cJSON_IsObject(spec)) {
		rpc_error(c, AE_INVALID_ARGUMENT, "parameter 'cell' must be an "
		    "object of cells.create parameters");
		return;
	}
	if (methods_exe_spec(c, params, &sp) < 0)
		return;
	if ((cell = create_cell(c, spec)) == NULL) {
		methods_exe_spec_close(&sp);
		return;
	}
	exe_run(cell, c, &sp);
}

/* cells.list {usage?}: every cell, parents before children; with usage,
 * also cpu_usec and memory_peak (for top-like views: one call, not one
 * per cell). */
static void
m_list(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "usage", NULL };
	struct cell		*cell;
	cJSON			*r, *arr, *o;
	int			 usage = 0;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_bool(c, params, "usage", 0, &usage) < 0)
		return;
	r = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(r, "cells");
	TAILQ_FOREACH(cell, &cells, entry) {
		o = cell_json(cell, 0);
		if (usage)
			cell_add_usage(cell, o);
		cJSON_AddItemToArray(arr, o);
	}
	rpc_reply(c, r);
}

/* cells.info {name}: the cell with its limits as the kernel holds them. */
static void
m_info(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "name", NULL };
	struct cell	*cell;

	if (rpc_params_only(c, params, keys) < 0 ||
	    (cell = named_cell(c, params)) == NULL)
		return;
	rpc_reply(c, cell_json(cell, 1));
}

/* cells.set {name, limits...}: change limits of a live cell. */
static void
m_set(struct rpc_call *c, const cJSON *params)
{
	struct cell	*cell;
	cJSON		*limits;
	char		 msg[512];
	int		 code = AE_INTERNAL;

	if (cJSON_GetObjectItemCaseSensitive(params, "share") != NULL) {
		rpc_error(c, AE_INVALID_ARGUMENT, "the namespaces of a cell are "
		    "fixed when it is created");
		return;
	}
	if (cJSON_GetObjectItemCaseSensitive(params, "root") != NULL) {
		rpc_error(c, AE_INVALID_ARGUMENT, "the root of a cell is fixed "
		    "when it is created");
		return;
	}
	if (cJSON_GetObjectItemCaseSensitive(params, "volumes") != NULL) {
		rpc_error(c, AE_INVALID_ARGUMENT, "the volumes of a cell are "
		    "fixed when it is created");
		return;
	}
	if ((cell = named_cell(c, params)) == NULL ||
	    (limits = request_limits(c, params)) == NULL)
		return;
	if (cell_set_limits(cell, limits, &code, msg, sizeof msg) < 0) {
		cJSON_Delete(limits);
		rpc_error(c, (enum aurae_errcode)code, "%s", msg);
		return;
	}
	cJSON_Delete(limits);
	rpc_reply(c, cell_json(cell, 1));
}

/* cells.freeze / cells.thaw {name} */
static void
freeze_thaw(struct rpc_call *c, const cJSON *params, int freeze)
{
	static const char *const keys[] = { "name", NULL };
	struct cell	*cell;

	if (rpc_params_only(c, params, keys) < 0 ||
	    (cell = named_cell(c, params)) == NULL)
		return;
	if (cgroup_freeze(cell->cgroup, freeze) < 0) {
		rpc_error(c, errno == ENOTSUP ? AE_UNIMPLEMENTED : AE_INTERNAL,
		    "cannot %s cell '%s': %s", freeze ? "freeze" : "thaw",
		    cell->name, strerror(errno));
		return;
	}
	cell->frozen = freeze;
	cell_save(cell);
	rpc_reply(c, cell_json(cell, 0));
}

static void
m_freeze(struct rpc_call *c, const cJSON *params)
{
	freeze_thaw(c, params, 1);
}

static void
m_thaw(struct rpc_call *c, const cJSON *params)
{
	freeze_thaw(c, params, 0);
}

/* cells.remove {name, force?, lazy?}: a cell with no children; with
 * running executables only when forced, which kills them.  Answered once
 * every process is gone and no cgroup is left; with lazy, once every
 * process is gone (the cgroup, record and logs go right after). */
static void
m_remove(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "name", "force", "lazy", NULL };
	struct cell	*cell;
	unsigned	 n;
	int		 force = 0, lazy = 0;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_bool(c, params, "force", 0, &force) < 0 ||
	    rpc_param_bool(c, params, "lazy", 0, &lazy) < 0 ||
	    (cell = named_cell(c, params)) == NULL)
		return;
	if (cell->remove_started) {
		rpc_error(c, AE_CONFLICT, "cell '%s' is being removed",
		    cell->name);
		return;
	}
	if (cell_has_children(cell)) {
		rpc_error(c, AE_CONFLICT, "cell '%s' has child cells; remove "
		    "them first", cell->name);
		return;
	}
	n = exe_count(cell, EXE_RUNNING) + exe_count(cell, EXE_STARTING);
	if (n > 0 && !force) {
		rpc_error(c, AE_CONFLICT, "cell '%s' has %u running "
		    "executable%s; stop %s or use force", cell->name, n,
		    n == 1 ? "" : "s", n == 1 ? "it" : "them");
		return;
	}
	cell_remove(cell, c, lazy);
}

const struct rpc_method methods_cells[] = {
	{ "cells.create", m_create, "create a cell with limits" },
	{ "cells.run", m_run, "run a command in a cell of its own, removed "
	    "when it ends" },
	{ "cells.list", m_list, "list cells" },
	{ "cells.info", m_info, "a cell's limits and usage" },
	{ "cells.set", m_set, "change a cell's limits" },
	{ "cells.freeze", m_freeze, "freeze every process of a cell" },
	{ "cells.thaw", m_thaw, "thaw a frozen cell" },
	{ "cells.remove", m_remove, "remove an empty cell" },
	{ NULL, NULL, NULL }
};
