/* cellrun.c - run a command in a fresh, limited cell (like systemd-run).
 *
 * cellrun creates a throwaway cell (or uses --cell), starts the command in
 * it with the caller's own stdin, stdout and stderr (passed to the daemon
 * as descriptors: no relay), forwards SIGINT, SIGTERM, SIGHUP, SIGQUIT,
 * SIGUSR1 and SIGUSR2, waits, removes the cell and exits with the
 * command's status: its exit code, 128+n when killed by signal n, 126 when
 * it cannot be executed, 127 when it is not found, 125 when cellrun or the
 * daemon fails.  Starting, forwarding, waiting and the status mapping are
 * common/runexec.c, shared with aer exec. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <aurae/client.h>

#include "toolmain.h"
#include "config.h"
#include "i18n.h"
#include "options.h"
#include "runexec.h"

#define EXIT_TOOL	RUNEXEC_FAIL
#define EXIT_USAGE	125

/* systemd-run property names and the cgroup limits they set. */
static const struct {
	const char	*prop;
	const char	*limit;
} props[] = {
	{ "MemoryMax", "memory.max" },
	{ "MemoryHigh", "memory.high" },
	{ "MemoryLow", "memory.low" },
	{ "MemoryMin", "memory.min" },
	{ "MemorySwapMax", "memory.swap.max" },
	{ "CPUQuota", "cpu.max" },
	{ "CPUWeight", "cpu.weight" },
	{ "CPUShares", "cpu.shares" },
	{ "TasksMax", "pids.max" },
	{ "AllowedCPUs", "cpuset.cpus" },
	{ "AllowedMemoryNodes", "cpuset.mems" },
};

static struct strlist	 o_props, o_env;
static const char	*o_cell, *o_host, *o_share, *o_workdir;
static long		 o_uid = -1, o_gid = -1;
static int		 o_keep, o_detach, o_wait, o_quiet, o_version;

static const struct option_def opts[] = {
	{ OPT_LIST, 'p', "property", &o_props, "NAME=VALUE",
	  N_("a resource limit: MemoryMax=, MemoryHigh=, CPUQuota=N%, "
	  "CPUWeight=, TasksMax=, AllowedCPUs=... or a cgroup file name "
	  "such as memory.max="),
	  "MemoryMax= MemoryHigh= MemoryLow= MemoryMin= MemorySwapMax= "
	  "CPUQuota= CPUWeight= CPUShares= TasksMax= AllowedCPUs= "
	  "AllowedMemoryNodes=" },
	{ OPT_STRING, 0, "cell", &o_cell, "NAME",
	  N_("run in this cell: an existing one is used and kept, a new one "
	  "is created"), "@cell" },
	{ OPT_FLAG, 0, "keep", &o_keep, NULL,
	  N_("keep the cell after the command exits") },
	{ OPT_LIST, 'E', "setenv", &o_env, "VAR=VALUE",
	  N_("set an environment variable (repeatable)") },
	{ OPT_INT, 0, "uid", &o_uid, "UID", N_("run as this numeric user id"),
	  NULL, NULL, 0, 0xfffffffe },
	{ OPT_INT, 0, "gid", &o_gid, "GID",
	  N_("run as this numeric group id"), NULL, NULL, 0, 0xfffffffe },
	{ OPT_STRING, 'w', "workdir", &o_workdir, "DIR",
	  N_("working directory (default: the current one)"), "@dir" },
	{ OPT_STRING, 0, "share", &o_share, "NS,...",
	  N_("namespaces to share with the host: pid, mount, ipc, uts, net, "
	  "cgroup"), "pid mount ipc uts net cgroup" },
	{ OPT_FLAG, 'd', "detach", &o_detach, NULL,
	  N_("start and print the executable's name; do not wait") },
	{ OPT_FLAG, 0, "wait", &o_wait, NULL,
	  N_("after exit, print wall time, CPU time and peak memory on "
	  "stderr") },
	{ OPT_FLAG, 'q', "quiet", &o_quiet, NULL,
	  N_("print nothing but errors") },
	{ OPT_STRING, 'H', "host", &o_host, "ADDRESS",
	  N_("daemon address (default $AURAE_HOST, else "
	  AURAE_DEFAULT_SOCKET ")"), "@file" },
	{ OPT_FLAG, 'V', "version", &o_version, NULL,
	  N_("print the version and exit") },
	{ OPT_END }
};

static const char usage_line[] = "cellrun [-p NAME=VALUE]... [--cell NAME] "
    "[--keep] [-E VAR=VALUE]... [--uid UID] [--gid GID] [-d] [--wait] [-q] "
    "[--] COMMAND [ARG...]";

/* Report a failure and return the tool's error status. */
static int
fail(const aurae_error_t *err)
{
	fprintf(stderr, "cellrun: %s\n", err->message);
	return EXIT_TOOL;
}

/* Translate -p NAME=VALUE into limits (consumes nothing). */
static int
build_limits(cJSON *limits)
{
	char		 name[64], val[128];
	const char	*eq, *limit;
	size_t		 i, j;
	long		 pct;
	char		*end;

	for (i = 0; i < o_props.n; i++) {
		eq = strchr(o_props.v[i], '=');
		if (eq == NULL || eq == o_props.v[i] ||
		    (size_t)(eq - o_props.v[i]) >= sizeof name) {
			fprintf(stderr, _("cellrun: expected -p NAME=VALUE, "
			    "not '%s'\n"), o_props.v[i]);
			return -1;
		}
		snprintf(name, sizeof name, "%.*s", (int)(eq - o_props.v[i]),
		    o_props.v[i]);
		limit = strchr(name, '.') ? name : NULL;
		for (j = 0; limit == NULL && j < sizeof props / sizeof props[0];
		    j++)
			if (strcmp(props[j].prop, name) == 0)
				limit = props[j].limit;
		if (limit == NULL) {
			fprintf(stderr, _("cellrun: unknown property '%s'\n"),
			    name);
			return -1;
		}
		snprintf(val, sizeof val, "%s", eq + 1);
		/* CPUQuota=N% is N percent of one CPU per 100 ms. */
		if (strcmp(name, "CPUQuota") == 0) {
			pct = strtol(eq + 1, &end, 10);
			if (end == eq + 1 || strcmp(end, "%") != 0 || pct < 1) {
				fprintf(stderr, _("cellrun: CPUQuota needs a "
				    "percentage such as 50%%, not '%s'\n"),
				    eq + 1);
				return -1;
			}
			snprintf(val, sizeof val, "%ld 100000", pct * 1000);
		}
		cJSON_DeleteItemFromObjectCaseSensitive(limits, limit);
		cJSON_AddStringToObject(limits, limit, val);
	}
	return 0;
}

/* Seconds since an arbitrary point. */
static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Print the --wait summary from the cell's numbers: those the wait of a
 * cells.run command carries (waited), else the cell's own. */
static void
summary(aurae_client_t *c, const char *cell, const cJSON *waited,
    double wall)
{
	cJSON		*p, *info = NULL;
	const cJSON	*cpu, *peak, *from = waited;

	/* (A cells.run cell is gone by now; its wait has the numbers.) */
	if (cJSON_GetObjectItemCaseSensitive(waited, "cpu_usec") == NULL &&
	    cell[0] != '\0') {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "name", cell);
		if (aurae_call(c, "cells.info", p, &info, NULL) == 0)
			from = info;
		cJSON_Delete(p);
	}
	cpu = cJSON_GetObjectItemCaseSensitive(from, "cpu_usec");
	peak = cJSON_GetObjectItemCaseSensitive(from, "memory_peak");
	fprintf(stderr, _("cellrun: wall time %.3fs"), wall);
	if (cJSON_IsNumber(cpu))
		fprintf(stderr, _(", CPU time %.3fs"), cpu->valuedouble / 1e6);
	if (cJSON_IsNumber(peak))
		fprintf(stderr, _(", peak memory %.1fM"),
		    peak->valuedouble / (1024.0 * 1024.0));
	fputc('\n', stderr);
	cJSON_Delete(info);
}

/* Remove the cell we created: answered once every process of it is gone
 * (lazy), its cgroup and files removed while we exit. */
static void
remove_cell(aurae_client_t *c, const char *cell)
{
	aurae_error_t	 err;
	cJSON		*p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "name", cell);
	cJSON_AddTrueToObject(p, "force");
	cJSON_AddTrueToObject(p, "lazy");
	if (aurae_call(c, "cells.remove", p, NULL, &err) < 0)
		fprintf(stderr, _("cellrun: cannot remove cell %s: %s\n"),
		    cell, err.message);
	cJSON_Delete(p);
}

int
main(int argc, char **argv)
{
	aurae_client_t	*c;
	aurae_error_t	 err;
	cJSON		*p, *limits, *env, *run_cell = NULL, *waited = NULL;
	char		 cell[300], id[320], first[320];
	int		 n, i, created = 0, status;
	struct runexec	 rx;
	double		 t0;

	static const struct toolmain tm = { "cellrun", usage_line, opts,
	    "@file", &o_version, EXIT_USAGE };

	/* No aurae_i18n_init(): the first message does it (i18n.h). */
	if ((n = toolmain_start(&tm, argc, argv, &status)) < 0)
		return status;
	if (o_detach && o_wait) {
		fprintf(stderr, _("cellrun: --detach and --wait exclude each "
		    "other\n"));
		return EXIT_USAGE;
	}
	/* Everything below leaves through "out", which frees what is held
	 * (the leak checker of make check-asan counts every byte). */
	c = NULL;
	env = NULL;
	status = EXIT_USAGE;
	limits = cJSON_CreateObject();
	if (build_limits(limits) < 0 || (env = runexec_env("cellrun", "-E",
	    &o_env)) == NULL)
		goto out;
	if (aurae_connect(o_host, &c, &err) < 0) {
		status = fail(&err);
		goto out;
	}
	/* The cell: an existing --cell is used as it is. */
	if (o_cell != NULL) {
		snprintf(cell, sizeof cell, "%s", o_cell);
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "name", cell);
		i = aurae_call(c, "cells.info", p, NULL, &err);
		cJSON_Delete(p);
		if (i == 0 && (o_props.n > 0 || o_share != NULL)) {
			fprintf(stderr, _("cellrun: cell %s exists; -p and "
			    "--share apply only to a new cell\n"), cell);
			goto out;
		}
		if (i < 0 && strcmp(err.code, "NOT_FOUND") != 0) {
			status = fail(&err);
			goto out;
		}
		created = i < 0;
	} else {
		/* No name: the daemon picks one ("run-..."), which lets it
		 * hand over a cell it made ahead of time. */
		cell[0] = '\0';
		created = 1;
	}
	/* A throwaway cell for a command waited for is made, run in and
	 * removed by one request (cells.run): fewer round trips, and the
	 * cell goes when the command ends even if cellrun is killed.  Its
	 * wait carries the cell's usage for --wait. */
	run_cell = NULL;
	if (created && !o_keep && !o_detach) {
		run_cell = cJSON_CreateObject();
		if (cell[0] != '\0')
			cJSON_AddStringToObject(run_cell, "name", cell);
		if (o_share != NULL)
			cJSON_AddStringToObject(run_cell, "share", o_share);
		cJSON_AddItemToObject(run_cell, "limits", limits);
		limits = NULL;
		created = 0;
	}
	if (created) {
		cJSON	*res;

		p = cJSON_CreateObject();
		if (cell[0] != '\0')
			cJSON_AddStringToObject(p, "name", cell);
		if (o_share != NULL)
			cJSON_AddStringToObject(p, "share", o_share);
		cJSON_AddItemToObject(p, "limits", limits);
		limits = NULL;
		i = aurae_call(c, "cells.create", p, &res, &err);
		cJSON_Delete(p);
		if (i < 0) {
			status = fail(&err);
			goto out;
		}
		snprintf(cell, sizeof cell, "%s", cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(res, "name")) ?
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(res,
		    "name")) : "");
		cJSON_Delete(res);
	}
	/* Start, forward signals, wait: shared with aer exec. */
	memset(&rx, 0, sizeof rx);
	rx.prog = "cellrun";
	rx.host = o_host;
	rx.cell = cell;
	rx.run_cell = run_cell;
	rx.waited = &waited;
	rx.argv = argv + 1;
	rx.env = env;
	rx.cwd = o_workdir;
	rx.uid = o_uid;
	rx.gid = o_gid;
	rx.detach = o_detach;
	/* The first command of a cell just made is CELL.1: its wait goes
	 * with the start. */
	if (created) {
		snprintf(first, sizeof first, "%s.1", cell);
		rx.expect_id = first;
	}
	id[0] = '\0';
	t0 = now();
	status = runexec_run(c, &rx, id, sizeof id);
	if (o_detach && status == 0) {
		if (!o_quiet)
			printf("%s\n", id);
		goto out;
	}
	/* No summary when the command did not even start. */
	if (o_wait && !o_quiet && id[0] != '\0')
		summary(c, cell, waited, now() - t0);
	if (created && !o_keep)
		remove_cell(c, cell);
out:
	cJSON_Delete(waited);
	cJSON_Delete(run_cell);
	cJSON_Delete(limits);
	cJSON_Delete(env);
	aurae_client_free(c);
	return status;
}
