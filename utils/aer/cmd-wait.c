/* cmd-wait.c - aer wait: wait for executables to exit. */
#include <stdio.h>

#include "aer.h"
#include "i18n.h"
#include "runexec.h"

static const struct out_col wait_cols[] = {
	{ "ID", "id" },
	{ "STATUS", "status" },
	{ NULL, NULL }
};

static const struct option_def wait_opts[] = { { OPT_END } };

/* aer wait ID...: wait for each in turn and print "ID<TAB>STATUS", the
 * status as a shell shows it (the exit code, or 128+n after signal n).
 * Exits with the last one's status, or 125 if any could not be waited
 * for. */
static int
wait_exec(struct aer *a, int argc, char **argv)
{
	aurae_error_t	 err;
	cJSON		*p, *res, *rows, *all;
	int		 i, st = AER_EXIT_OK, failed = 0;

	if (argc < 1) {
		aer_usage(stderr, &cmd_wait);
		return AER_EXIT_USAGE;
	}
	all = cJSON_CreateArray();
	for (i = 1; i <= argc; i++) {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "id", argv[i]);
		if (aurae_call(aer_client(a), "executables.wait", p, &res,
		    &err) < 0) {
			failed = aer_fail(&err);
			cJSON_Delete(p);
			continue;
		}
		cJSON_Delete(p);
		st = runexec_status(res);
		cJSON_AddNumberToObject(res, "status", st);
		/* -o json is one array at the end; otherwise each line as
		 * soon as it is known. */
		if (a->out.fmt == OUT_JSON) {
			cJSON_AddItemToArray(all, res);
			continue;
		}
		rows = cJSON_CreateArray();
		cJSON_AddItemToArray(rows, res);
		output_list(&a->out, wait_cols, rows);
		fflush(stdout);
		a->out.headers = 0;
		cJSON_Delete(rows);
	}
	if (a->out.fmt == OUT_JSON)
		output_list(&a->out, wait_cols, all);
	cJSON_Delete(all);
	return failed ? failed : st;
}

const struct aer_cmd cmd_wait = {
	"wait", "wait ID...",
	N_("wait for executables to exit; exit with the last one's status"),
	wait_opts, "@exe", wait_exec
};
