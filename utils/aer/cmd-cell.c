/* cmd-cell.c - aer cell create|rm|info|stats|set|freeze|thaw NAME. */
#include <stdio.h>
#include <string.h>

#include "aer.h"
#include "i18n.h"

static struct strlist	 limit_args, volume_args;
static int		 force;
static const char	*root_dir;

/* -l KEY=VALUE, repeatable; -f; --root DIR; --volume NAME:/PATH[:ro],
 * repeatable. */
static const struct option_def cell_opts[] = {
	{ OPT_LIST, 'l', "limit", &limit_args, "KEY=VALUE",
	  N_("a cgroup limit, e.g. memory.max=64M (repeatable)"),
	  "memory.max= memory.high= memory.low= memory.min= memory.swap.max= "
	  "cpu.max= cpu.weight= cpu.shares= cpuset.cpus= cpuset.mems= "
	  "pids.max=" },
	{ OPT_FLAG, 'f', "force", &force, NULL,
	  N_("rm: kill what runs in the cell first") },
	{ OPT_STRING, 0, "root", &root_dir, "DIR",
	  N_("create: the cell's root directory (absolute)"), "@dir" },
	{ OPT_LIST, 0, "volume", &volume_args, "NAME:/PATH[:ro]",
	  N_("create: mount a storage volume in the cell (repeatable)") },
	{ OPT_END }
};

/* Build {"name":..,"root":..,"volumes":[..],"limits":{..}} from the
 * operands and the options. */
static cJSON *
cell_params(const char *name)
{
	cJSON	*p = cJSON_CreateObject(), *l, *v;
	size_t	 i;
	char	*eq;

	cJSON_AddStringToObject(p, "name", name);
	if (force)
		cJSON_AddTrueToObject(p, "force");
	if (root_dir != NULL)
		cJSON_AddStringToObject(p, "root", root_dir);
	if (volume_args.n > 0) {
		v = cJSON_AddArrayToObject(p, "volumes");
		for (i = 0; i < volume_args.n; i++)
			cJSON_AddItemToArray(v,
			    cJSON_CreateString(volume_args.v[i]));
	}
	if (limit_args.n == 0)
		return p;
	l = cJSON_AddObjectToObject(p, "limits");
	for (i = 0; i < limit_args.n; i++) {
		eq = strchr(limit_args.v[i], '=');
		if (eq == NULL || eq == limit_args.v[i]) {
			fprintf(stderr, _("aer: expected -l KEY=VALUE, not "
			    "'%s'\n"), limit_args.v[i]);
			cJSON_Delete(p);
			return NULL;
		}
		*eq = '\0';
		cJSON_AddStringToObject(l, limit_args.v[i], eq + 1);
		*eq = '=';
	}
	return p;
}

/* The usage members of a cells.info answer, for aer cell stats. */
static cJSON *
stats_of(const cJSON *info)
{
	static const char *const keys[] = { "name", "memory", "memory_peak",
	    "pids", "cpu_usec", "executables" };
	const cJSON	*v;
	cJSON		*o = cJSON_CreateObject();
	size_t		 i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		v = cJSON_GetObjectItemCaseSensitive(info, keys[i]);
		cJSON_AddItemToObject(o, keys[i], v != NULL ?
		    cJSON_Duplicate(v, 1) : cJSON_CreateNull());
	}
	return o;
}

/* Dispatch the subcommand to its method. */
static int
cell_exec(struct aer *a, int argc, char **argv)
{
	static const struct {
		const char	*verb, *method;
		int		 limits;
	} verbs[] = {
		{ "create", "cells.create", 1 },
		{ "rm", "cells.remove", 0 },
		{ "info", "cells.info", 0 },
		{ "stats", "cells.info", 0 },
		{ "set", "cells.set", 1 },
		{ "freeze", "cells.freeze", 0 },
		{ "thaw", "cells.thaw", 0 },
	};
	aurae_error_t	 err;
	cJSON		*p, *res;
	size_t		 i;
	int		 r, k, status = AER_EXIT_OK;

	if (argc < 2) {
		aer_usage(stderr, &cmd_cell);
		return AER_EXIT_USAGE;
	}
	for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (strcmp(verbs[i].verb, argv[1]) == 0)
			break;
	if (i == sizeof verbs / sizeof verbs[0]) {
		fprintf(stderr, _("aer: unknown cell command '%s'\n"), argv[1]);
		aer_usage(stderr, &cmd_cell);
		return AER_EXIT_USAGE;
	}
	if (!verbs[i].limits && limit_args.n > 0) {
		fprintf(stderr, _("aer: cell %s takes no limits\n"), argv[1]);
		return AER_EXIT_USAGE;
	}
	if (force && strcmp(argv[1], "rm") != 0) {
		fprintf(stderr, _("aer: only cell rm takes --force\n"));
		return AER_EXIT_USAGE;
	}
	if (root_dir != NULL && strcmp(argv[1], "create") != 0) {
		fprintf(stderr, _("aer: only cell create takes --root\n"));
		return AER_EXIT_USAGE;
	}
	if (volume_args.n > 0 && strcmp(argv[1], "create") != 0) {
		fprintf(stderr, _("aer: only cell create takes --volume\n"));
		return AER_EXIT_USAGE;
	}
	/* Several names act on each in turn, like rm(1). */
	for (k = 2; k <= argc; k++) {
		if ((p = cell_params(argv[k])) == NULL)
			return AER_EXIT_USAGE;
		r = aurae_call(aer_client(a), verbs[i].method, p, &res, &err);
		cJSON_Delete(p);
		if (r < 0) {
			status = aer_fail(&err);
			continue;
		}
		if (strcmp(argv[1], "stats") == 0) {
			p = stats_of(res);
			cJSON_Delete(res);
			res = p;
		}
		if (strcmp(argv[1], "info") == 0 ||
		    strcmp(argv[1], "stats") == 0 || (a->out.fmt != OUT_TABLE &&
		    !cJSON_IsNull(res)))
			output_object(&a->out, res);
		else if (strcmp(argv[1], "rm") != 0 && a->out.fmt == OUT_TABLE)
			printf("%s\n", argv[k]);
		cJSON_Delete(res);
	}
	return status;
}

const struct aer_cmd cmd_cell = {
	"cell", "cell create|rm|info|stats|set|freeze|thaw [-l KEY=VALUE]... "
	"[-f] [--root DIR] [--volume NAME:/PATH[:ro]]... NAME...",
	N_("create, inspect, change and remove cells"), cell_opts,
	"@cell-verb", cell_exec
};
