/* cmd-kill.c - aer kill: send a signal to executables. */
#include <stdio.h>

#include "aer.h"
#include "i18n.h"
#include "signame.h"

static const char	*kill_signal;

static const struct option_def kill_opts[] = {
	{ OPT_STRING, 's', "signal", &kill_signal, "SIGNAL",
	  N_("the signal, by name (TERM, SIGKILL) or number (default TERM)"),
	  "HUP INT QUIT KILL USR1 USR2 TERM CONT STOP TSTP WINCH" },
	{ OPT_END }
};

/* aer kill [-s SIGNAL] ID...: signal each in turn; 125 if any failed. */
static int
kill_exec(struct aer *a, int argc, char **argv)
{
	aurae_error_t	 err;
	cJSON		*p;
	int		 i, sig = 15, status = AER_EXIT_OK;

	if (argc < 1) {
		aer_usage(stderr, &cmd_kill);
		return AER_EXIT_USAGE;
	}
	if (kill_signal != NULL && (sig = sig_parse(kill_signal)) <= 0) {
		fprintf(stderr, _("aer: unknown signal '%s' (use a name such "
		    "as TERM or KILL, or a number)\n"), kill_signal);
		return AER_EXIT_USAGE;
	}
	for (i = 1; i <= argc; i++) {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "id", argv[i]);
		cJSON_AddNumberToObject(p, "signal", sig);
		if (aurae_call(aer_client(a), "executables.signal", p, NULL,
		    &err) < 0)
			status = aer_fail(&err);
		cJSON_Delete(p);
	}
	return status;
}

const struct aer_cmd cmd_kill = {
	"kill", "kill [-s SIGNAL] ID...",
	N_("send a signal to executables (default TERM)"), kill_opts, "@exe",
	kill_exec
};
