/* cmd-ls.c - aer ls [cells|executables] [KEY=VALUE...]: list what the
 * node runs.
 *
 * Without a kind, cells and executables come in one table (each cell
 * followed by its executables), with the name first and a KIND column, so
 * that `aer ls | grep web | cut -f1` gives names and -o json is one
 * array.  The columns of each view are stable: new ones are only ever
 * added at the end. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "aer.h"
#include "buf.h"
#include "i18n.h"
#include "signame.h"
#include "textcmd.h"

static const struct out_col cell_cols[] = {
	{ "NAME", "name" },
	{ "STATE", "state" },
	{ "PIDS", "pids" },
	{ "MEMORY", "memory" },
	{ "CREATED", "created" },
	{ NULL, NULL }
};

static const struct out_col exe_cols[] = {
	{ "ID", "id" },
	{ "CELL", "cell" },
	{ "STATE", "state" },
	{ "STATUS", "status" },
	{ "PID", "pid" },
	{ "STARTED", "started" },
	{ "COMMAND", "command" },
	{ NULL, NULL }
};

/* Sessions: who is in which cell, running what, since when. */
static const struct out_col session_cols[] = {
	{ "ID", "id" },
	{ "CELL", "cell" },
	{ "UID", "uid" },
	{ "TTY", "tty" },
	{ "PID", "pid" },
	{ "STARTED", "started" },
	{ "COMMAND", "command" },
	{ NULL, NULL }
};

static const struct out_col all_cols[] = {
	{ "NAME", "name" },
	{ "KIND", "kind" },
	{ "STATE", "state" },
	{ "STATUS", "status" },
	{ "PID", "pid" },
	{ "MEMORY", "memory" },
	{ "CREATED", "created" },
	{ "COMMAND", "command" },
	{ NULL, NULL }
};

enum { LS_ALL, LS_CELLS, LS_EXES };

/* Does row match every KEY=VALUE filter (compared as text)? */
static int
row_matches(const cJSON *row, int nf, char **filters)
{
	struct buf	 b = BUF_INIT;
	const cJSON	*v;
	const char	*eq;
	int		 i, ok = 1;

	for (i = 0; i < nf && ok; i++) {
		eq = strchr(filters[i], '=');
		buf_reset(&b);
		buf_printf(&b, "%.*s", (int)(eq - filters[i]), filters[i]);
		buf_append(&b, "", 1);
		v = cJSON_GetObjectItemCaseSensitive(row, buf_head(&b));
		buf_reset(&b);
		textcmd_cell(&b, v);
		buf_append(&b, "", 1);
		ok = strcmp(buf_head(&b), eq + 1) == 0;
	}
	buf_free(&b);
	return ok;
}

/* A time member as ISO 8601 UTC for people; JSON keeps the number. */
static void
humanize_time(cJSON *row, const char *key)
{
	cJSON		*c = cJSON_GetObjectItemCaseSensitive(row, key);
	char		 s[32];
	time_t		 t;
	struct tm	 tm;

	if (!cJSON_IsNumber(c))
		return;
	t = (time_t)c->valuedouble;
	gmtime_r(&t, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_ReplaceItemInObjectCaseSensitive(row, key, cJSON_CreateString(s));
}

/* An executable's status as text: its exit code, the name of the signal
 * that killed it (SIGKILL), or "-" while it runs. */
static void
add_status(cJSON *row)
{
	const cJSON	*code = cJSON_GetObjectItemCaseSensitive(row,
	    "exit_code");
	const cJSON	*sig = cJSON_GetObjectItemCaseSensitive(row, "signal");
	const char	*name;
	char		 s[32];

	if (cJSON_IsNumber(code))
		snprintf(s, sizeof s, "%d", code->valueint);
	else if (cJSON_IsNumber(sig) && (name = sig_name(sig->valueint)) !=
	    NULL)
		snprintf(s, sizeof s, "SIG%s", name);
	else if (cJSON_IsNumber(sig))
		snprintf(s, sizeof s, "SIG%d", sig->valueint);
	else
		snprintf(s, sizeof s, "-");
	cJSON_AddStringToObject(row, "status", s);
}

/* The rows of one kind, detached from res (which keeps the rest). */
static cJSON *
take_rows(cJSON *res, const char *key)
{
	cJSON	*arr = cJSON_DetachItemFromObjectCaseSensitive(res, key);

	return arr != NULL ? arr : cJSON_CreateArray();
}

/* Shape one row for its view: the combined view names every row and
 * gives it a kind (and a cell its own name as "cell", so that cell=web
 * lists the cell and its executables); tables get readable times. */
static void
shape(cJSON *row, int kind, int view, int table)
{
	cJSON	*m;

	if (kind == LS_EXES) {
		if (table || view == LS_ALL)
			add_status(row);
		if (view == LS_ALL) {
			cJSON_AddItemToObject(row, "name", cJSON_Duplicate(
			    cJSON_GetObjectItemCaseSensitive(row, "id"), 1));
			cJSON_AddStringToObject(row, "kind", "executable");
			/* One time column: when it started. */
			if (table)
				cJSON_AddItemToObject(row, "created",
				    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(
				    row, "started"), 1));
		}
	} else if (view == LS_ALL) {
		cJSON_AddStringToObject(row, "kind", "cell");
		cJSON_AddItemToObject(row, "cell", cJSON_Duplicate(
		    cJSON_GetObjectItemCaseSensitive(row, "name"), 1));
	}
	/* Name and kind first, for people reading JSON. */
	if (view == LS_ALL) {
		if ((m = cJSON_DetachItemFromObjectCaseSensitive(row, "kind")))
			cJSON_InsertItemInArray(row, 0, m);
		if ((m = cJSON_DetachItemFromObjectCaseSensitive(row, "name")))
			cJSON_InsertItemInArray(row, 0, m);
	}
	if (table) {
		humanize_time(row, "created");
		humanize_time(row, "started");
		humanize_time(row, "exited");
	}
}

/* Shape a detached row and append it to out if it passes the filters;
 * else free it. */
static void
keep(cJSON *out, cJSON *row, int kind, int view, int table, int nf,
    char **filters)
{
	shape(row, kind, view, table);
	if (row_matches(row, nf, filters))
		cJSON_AddItemToArray(out, row);
	else
		cJSON_Delete(row);
}

/* aer ls [cells|executables] [KEY=VALUE...] */
static int
ls_exec(struct aer *a, int argc, char **argv)
{
	aurae_error_t	 err;
	cJSON		*cres = NULL, *eres = NULL, *cells, *exes, *out, *row,
			*next, *e, *enext;
	const cJSON	*cn, *ec;
	char		 cname[300];
	int		 i = 1, view = LS_ALL, table = a->out.fmt == OUT_TABLE;
	int		 sessions = 0;

	if (argc >= 1 && strchr(argv[1], '=') == NULL) {
		if (strcmp(argv[1], "cells") == 0 || strcmp(argv[1], "cell") ==
		    0)
			view = LS_CELLS;
		else if (strcmp(argv[1], "executables") == 0 ||
		    strcmp(argv[1], "exes") == 0)
			view = LS_EXES;
		else if (strcmp(argv[1], "sessions") == 0) {
			/* assh sessions: executables tied to a client. */
			view = LS_EXES;
			sessions = 1;
		} else {
			fprintf(stderr, _("aer: cannot list '%s' (known: "
			    "cells, executables, sessions)\n"), argv[1]);
			return AER_EXIT_USAGE;
		}
		i = 2;
	}
	for (int j = i; j <= argc; j++)
		if (strchr(argv[j], '=') == NULL || argv[j][0] == '=') {
			fprintf(stderr, _("aer: expected a KEY=VALUE filter, "
			    "not '%s'\n"), argv[j]);
			return AER_EXIT_USAGE;
		}
	if (view != LS_EXES && aurae_call(aer_client(a), "cells.list", NULL,
	    &cres, &err) < 0)
		return aer_fail(&err);
	if (view != LS_CELLS && aurae_call(aer_client(a), "executables.list",
	    NULL, &eres, &err) < 0) {
		cJSON_Delete(cres);
		return aer_fail(&err);
	}
	cells = cres ? take_rows(cres, "cells") : cJSON_CreateArray();
	exes = eres ? take_rows(eres, "executables") : cJSON_CreateArray();
	out = cJSON_CreateArray();
	/* Cells in the daemon's order, each followed by its executables
	 * in the combined view. */
	for (row = cells->child; row != NULL; row = next) {
		next = row->next;
		cn = cJSON_GetObjectItemCaseSensitive(row, "name");
		snprintf(cname, sizeof cname, "%s", cJSON_IsString(cn) ?
		    cn->valuestring : "");
		keep(out, cJSON_DetachItemViaPointer(cells, row), LS_CELLS,
		    view, table, argc - i + 1, argv + i);
		if (view != LS_ALL)
			continue;
		for (e = exes->child; e != NULL; e = enext) {
			enext = e->next;
			ec = cJSON_GetObjectItemCaseSensitive(e, "cell");
			if (!cJSON_IsString(ec) || strcmp(ec->valuestring,
			    cname) != 0)
				continue;
			keep(out, cJSON_DetachItemViaPointer(exes, e), LS_EXES,
			    view, table, argc - i + 1, argv + i);
		}
	}
	/* The executables left: all of them for "ls executables", those of
	 * a cell gone meanwhile otherwise. */
	for (e = exes->child; e != NULL; e = enext) {
		enext = e->next;
		if (sessions && (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		    e, "session")) || strcmp(cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(e, "state")) ?
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e,
		    "state")) : "", "running") != 0))
			continue;
		keep(out, cJSON_DetachItemViaPointer(exes, e), LS_EXES, view,
		    table, argc - i + 1, argv + i);
	}
	output_list(&a->out, view == LS_CELLS ? cell_cols : sessions ?
	    session_cols : view == LS_EXES ? exe_cols : all_cols, out);
	cJSON_Delete(out);
	cJSON_Delete(cells);
	cJSON_Delete(exes);
	cJSON_Delete(cres);
	cJSON_Delete(eres);
	return AER_EXIT_OK;
}

static const struct option_def ls_opts[] = { { OPT_END } };

const struct aer_cmd cmd_ls = {
	"ls", "ls [cells|executables|sessions] [KEY=VALUE...]",
	N_("list cells and executables, optionally filtered"), ls_opts,
	"cells executables sessions", ls_exec
};
