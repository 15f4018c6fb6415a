/* cmd-ls.c - aer ls [cells] [KEY=VALUE...]: list what the node runs. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "aer.h"
#include "buf.h"
#include "i18n.h"
#include "textcmd.h"

static const struct out_col cell_cols[] = {
	{ "NAME", "name" },
	{ "STATE", "state" },
	{ "PIDS", "pids" },
	{ "MEMORY", "memory" },
	{ "CREATED", "created" },
	{ NULL, NULL }
};

/* Does row match every KEY=VALUE filter (compared as text)? */
static int
row_matches(const cJSON *row, int nf, char **filters)
{
	struct buf	 b = BUF_INIT;
	const char	*eq;
	int		 i, ok = 1;

	for (i = 0; i < nf && ok; i++) {
		eq = strchr(filters[i], '=');
		buf_reset(&b);
		buf_printf(&b, "%.*s", (int)(eq - filters[i]), filters[i]);
		buf_append(&b, "", 1);
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(row,
		    buf_head(&b));
		buf_reset(&b);
		textcmd_cell(&b, v);
		buf_append(&b, "", 1);
		ok = strcmp(buf_head(&b), eq + 1) == 0;
	}
	buf_free(&b);
	return ok;
}

/* Creation times as ISO 8601 UTC for people; JSON keeps the number. */
static void
humanize(cJSON *row)
{
	cJSON		*c = cJSON_GetObjectItemCaseSensitive(row, "created");
	char		 s[32];
	time_t		 t;
	struct tm	 tm;

	if (!cJSON_IsNumber(c))
		return;
	t = (time_t)c->valuedouble;
	gmtime_r(&t, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_ReplaceItemInObjectCaseSensitive(row, "created",
	    cJSON_CreateString(s));
}

/* aer ls [cells] [KEY=VALUE...] */
static int
ls_exec(struct aer *a, int argc, char **argv)
{
	aurae_error_t	 err;
	cJSON		*res, *out, *row, *next;
	int		 i = 1;

	if (argc >= 1 && strchr(argv[1], '=') == NULL) {
		if (strcmp(argv[1], "cells") != 0) {
			fprintf(stderr, _("aer: cannot list '%s' (known: "
			    "cells)\n"), argv[1]);
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
	if (aurae_call(aer_client(a), "cells.list", NULL, &res, &err) < 0)
		return aer_fail(&err);
	out = cJSON_CreateArray();
	row = cJSON_GetObjectItemCaseSensitive(res, "cells");
	for (row = row ? row->child : NULL; row != NULL; row = next) {
		next = row->next;
		if (!row_matches(row, argc - i + 1, argv + i))
			continue;
		row = cJSON_DetachItemViaPointer(cJSON_GetObjectItemCaseSensitive(
		    res, "cells"), row);
		if (a->out.fmt == OUT_TABLE)
			humanize(row);
		cJSON_AddItemToArray(out, row);
	}
	output_list(&a->out, cell_cols, out);
	cJSON_Delete(out);
	cJSON_Delete(res);
	return AER_EXIT_OK;
}

static const struct option_def ls_opts[] = { { OPT_END } };

const struct aer_cmd cmd_ls = {
	"ls", "ls [cells] [KEY=VALUE...]",
	N_("list cells, optionally filtered"), ls_opts, "cells", ls_exec
};
