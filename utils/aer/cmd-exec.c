/* cmd-exec.c - aer exec: run a command in an existing cell, as if here. */
#include <stdio.h>
#include <string.h>

#include "aer.h"
#include "i18n.h"
#include "runexec.h"

static struct strlist	 exec_env;
static const char	*exec_workdir;
static long		 exec_uid = -1, exec_gid = -1;
static int		 exec_detach;

static const struct option_def exec_opts[] = {
	{ OPT_LIST, 'e', "env", &exec_env, "VAR=VALUE",
	  N_("set an environment variable (repeatable)") },
	{ OPT_STRING, 'w', "workdir", &exec_workdir, "DIR",
	  N_("working directory (default: the current one)"), "@dir" },
	{ OPT_INT, 'u', "uid", &exec_uid, "UID",
	  N_("run as this numeric user id"), NULL, NULL, 0, 0xfffffffe },
	{ OPT_INT, 'g', "gid", &exec_gid, "GID",
	  N_("run as this numeric group id"), NULL, NULL, 0, 0xfffffffe },
	{ OPT_FLAG, 'd', "detach", &exec_detach, NULL,
	  N_("start, print the executable's name and return; output goes "
	  "to the cell's log") },
	{ OPT_END }
};

/* aer exec [OPTIONS] CELL [--] COMMAND [ARG...]: the caller's stdio is
 * passed to the command, signals are forwarded, and the exit status is
 * the command's (runexec.h).  Options stop at CELL. */
static int
exec_exec(struct aer *a, int argc, char **argv)
{
	struct runexec	 rx;
	cJSON		*env;
	char		 id[320];
	int		 first = 2, status;

	if (argc >= 2 && strcmp(argv[2], "--") == 0)
		first = 3;
	if (argc < first) {
		aer_usage(stderr, &cmd_exec);
		return AER_EXIT_USAGE;
	}
	if ((env = runexec_env("aer", "-e", &exec_env)) == NULL)
		return AER_EXIT_USAGE;
	memset(&rx, 0, sizeof rx);
	rx.prog = "aer";
	rx.host = a->host;
	rx.cell = argv[1];
	rx.argv = argv + first;
	rx.env = env;
	rx.cwd = exec_workdir;
	rx.uid = exec_uid;
	rx.gid = exec_gid;
	rx.detach = exec_detach;
	id[0] = '\0';
	status = runexec_run(aer_client(a), &rx, id, sizeof id);
	cJSON_Delete(env);
	if (exec_detach && status == 0)
		printf("%s\n", id);
	return status;
}

const struct aer_cmd cmd_exec = {
	"exec", "exec [-e VAR=VALUE]... [-w DIR] [-u UID] [-g GID] [-d] CELL "
	"[--] COMMAND [ARG...]",
	N_("run a command in a cell with this terminal's stdio"), exec_opts,
	"@argv", exec_exec
};
