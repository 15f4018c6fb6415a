/* assh.c - ssh-like sessions into cells.
 *
 *	assh [-t|-tt|-T] [-n] [-e CHAR|none] [-l USER] [-E VAR=VALUE]...
 *	     [-w DIR] [-H ADDRESS] [USER@]CELL [--] [COMMAND [ARG...]]
 *
 * With no command it starts the user's login shell in the cell.  With a
 * command it runs that argv exactly as given: unlike ssh, no shell string
 * is joined, so `assh web ls -l "a b"` runs ls with two arguments.
 *
 * A terminal is made in the cell when stdin and stdout are both terminals
 * and there is no command, or with -t (-tt even without a local
 * terminal); -T never makes one (ssh's rules).  Without a terminal our
 * own stdin, stdout and stderr are passed to the command as descriptors:
 * separate streams, end of file delivered, nothing relayed.  Either way
 * the session is attached to our connection: when assh goes away, the
 * daemon hangs it up and kills it.
 *
 * Exit status: the command's, 128+n when it was killed by signal n, 126
 * or 127 when it cannot be executed or is not found, 255 when the session
 * could not be set up or was lost. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assh.h"
#include "toolmain.h"
#include "config.h"
#include "i18n.h"
#include "options.h"
#include "runexec.h"

#define DEFAULT_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:" \
			"/sbin:/bin"

static int		 o_tty, o_notty, o_nostdin, o_version;
static const char	*o_escape = "~", *o_user, *o_workdir, *o_host;
static struct strlist	 o_env;

static const struct option_def opts[] = {
	{ OPT_COUNT, 't', NULL, &o_tty, NULL,
	  N_("make a terminal even with a command (-tt: even without a local "
	  "terminal)") },
	{ OPT_FLAG, 'T', NULL, &o_notty, NULL, N_("never make a terminal") },
	{ OPT_FLAG, 'n', NULL, &o_nostdin, NULL,
	  N_("stdin from /dev/null") },
	{ OPT_STRING, 'e', NULL, &o_escape, "CHAR",
	  N_("escape character: one character, ^X, or none (default ~)"),
	  "none" },
	{ OPT_STRING, 'l', NULL, &o_user, "USER",
	  N_("the user to be in the cell (default root)"), NULL },
	{ OPT_LIST, 'E', "setenv", &o_env, "VAR=VALUE",
	  N_("set an environment variable (repeatable)") },
	{ OPT_STRING, 'w', "workdir", &o_workdir, "DIR",
	  N_("working directory (default: the user's home)"), "@dir" },
	{ OPT_STRING, 'H', "host", &o_host, "ADDRESS",
	  N_("daemon address (default $AURAE_HOST, else "
	  AURAE_DEFAULT_SOCKET ")"), "@file" },
	{ OPT_FLAG, 'V', "version", &o_version, NULL,
	  N_("print the version and exit") },
	{ OPT_END }
};

static const char usage_line[] = "assh [-t|-tt|-T] [-n] [-e CHAR|none] "
    "[-l USER] [-E VAR=VALUE]... [-w DIR] [USER@]CELL [--] "
    "[COMMAND [ARG...]]";

/* The session's environment, as a login would make it. */
static cJSON *
session_env(const struct passwd *pw, int tty)
{
	cJSON		*env = cJSON_CreateArray();
	const char	*term = getenv("TERM"), *lang = getenv("LANG");
	char		 kv[4200];
	size_t		 i;

	snprintf(kv, sizeof kv, "HOME=%s", pw->pw_dir);
	runexec_env_set(env, kv);
	snprintf(kv, sizeof kv, "USER=%s", pw->pw_name);
	runexec_env_set(env, kv);
	snprintf(kv, sizeof kv, "LOGNAME=%s", pw->pw_name);
	runexec_env_set(env, kv);
	snprintf(kv, sizeof kv, "SHELL=%s", pw->pw_shell && *pw->pw_shell ?
	    pw->pw_shell : "/bin/sh");
	runexec_env_set(env, kv);
	runexec_env_set(env, "PATH=" DEFAULT_PATH);
	if (tty && term != NULL) {
		snprintf(kv, sizeof kv, "TERM=%s", term);
		runexec_env_set(env, kv);
	}
	if (lang != NULL) {
		snprintf(kv, sizeof kv, "LANG=%s", lang);
		runexec_env_set(env, kv);
	}
	for (i = 0; i < o_env.n; i++)
		runexec_env_set(env, o_env.v[i]);
	return env;
}

int
main(int argc, char **argv)
{
	aurae_client_t	*c = NULL;
	aurae_error_t	 err;
	struct passwd	*pw;
	struct runexec	 rx;
	cJSON		*p = NULL, *env = NULL, *args;
	char		 cell[300], user[64], *at, *shell_argv[3];
	int		 n, i, escape, want_tty, status = ASSH_FAIL, nul = -1;

	static const struct toolmain tm = { "assh", usage_line, opts, "@cell",
	    &o_version, ASSH_FAIL };

	aurae_i18n_init();
	if ((n = toolmain_start(&tm, argc, argv, &status)) < 0)
		return status;
	if ((escape = ttyescape_parse(o_escape)) == -2) {
		fprintf(stderr, _("assh: bad escape character '%s'\n"),
		    o_escape);
		return ASSH_FAIL;
	}
	for (i = 0; i < (int)o_env.n; i++)
		if (strchr(o_env.v[i], '=') == NULL) {
			fprintf(stderr, _("assh: expected -E VAR=VALUE, not "
			    "'%s'\n"), o_env.v[i]);
			return ASSH_FAIL;
		}
	/* [USER@]CELL; NODE:CELL needs the ssh transport. */
	snprintf(user, sizeof user, "%s", o_user ? o_user : "root");
	if ((at = strchr(argv[1], '@')) != NULL) {
		if (o_user == NULL)
			snprintf(user, sizeof user, "%.*s",
			    (int)(at - argv[1]), argv[1]);
		snprintf(cell, sizeof cell, "%s", at + 1);
	} else
		snprintf(cell, sizeof cell, "%s", argv[1]);
	if (strchr(cell, ':') != NULL) {
		fprintf(stderr, _("assh: '%s': remote nodes need the ssh "
		    "transport, which this build does not have yet\n"), cell);
		return ASSH_FAIL;
	}
	/* The cell sees the host's files for now, so its users are the
	 * host's. */
	if ((pw = getpwnam(user)) == NULL) {
		fprintf(stderr, _("assh: unknown user '%s' in cell '%s'\n"),
		    user, cell);
		return ASSH_FAIL;
	}
	/* The home directory, or / (with ssh's warning) when it is
	 * missing, as for nobody; the cell sees the host's files. */
	if (o_workdir == NULL && access(pw->pw_dir, X_OK) < 0) {
		fprintf(stderr, _("Could not chdir to home directory %s: %s\n"),
		    pw->pw_dir, strerror(errno));
		o_workdir = "/";
	}
	/* ssh's rules for a terminal. */
	want_tty = n == 1 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (o_tty >= 2)
		want_tty = 1;
	else if (o_tty == 1) {
		want_tty = isatty(STDIN_FILENO);
		if (!want_tty)
			fprintf(stderr, _("Pseudo-terminal will not be "
			    "allocated because stdin is not a terminal.\n"));
	}
	if (o_notty)
		want_tty = 0;
	if (aurae_connect(o_host, &c, &err) < 0) {
		fprintf(stderr, "assh: %s\n", err.message);
		return ASSH_FAIL;
	}
	env = session_env(pw, want_tty);
	/* The command: the argv given, or the user's login shell. */
	if (n == 1) {
		shell_argv[0] = pw->pw_shell && *pw->pw_shell ? pw->pw_shell :
		    "/bin/sh";
		shell_argv[1] = "-l";
		shell_argv[2] = NULL;
	}
	if (want_tty) {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "cell", cell);
		args = cJSON_AddArrayToObject(p, "argv");
		for (i = 0; n == 1 ? shell_argv[i] != NULL : i < n - 1; i++)
			cJSON_AddItemToArray(args, cJSON_CreateString(n == 1 ?
			    shell_argv[i] : argv[i + 2]));
		cJSON_AddItemToObject(p, "env", env);
		env = NULL;
		cJSON_AddStringToObject(p, "cwd", o_workdir ? o_workdir :
		    pw->pw_dir);
		/* The home may be missing in a cell with a root: then /. */
		if (o_workdir == NULL)
			cJSON_AddTrueToObject(p, "cwd_optional");
		cJSON_AddNumberToObject(p, "uid", pw->pw_uid);
		cJSON_AddNumberToObject(p, "gid", pw->pw_gid);
		status = pty_session(c, p, escape, cell);
		goto out;
	}
	if (o_nostdin && (nul = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "assh: /dev/null: %s\n", strerror(errno));
		goto out;
	}
	memset(&rx, 0, sizeof rx);
	rx.prog = "assh";
	rx.host = o_host;
	rx.cell = cell;
	rx.argv = n == 1 ? shell_argv : argv + 2;
	rx.env = env;
	rx.cwd = o_workdir ? o_workdir : pw->pw_dir;
	rx.cwd_optional = o_workdir == NULL;
	rx.uid = pw->pw_uid;
	rx.gid = pw->pw_gid;
	rx.attach = 1;
	rx.stdin_fd = nul >= 0 ? nul : STDIN_FILENO;
	rx.fail_status = ASSH_FAIL;
	status = runexec_run(c, &rx, NULL, 0);
out:
	if (nul >= 0)
		close(nul);
	cJSON_Delete(p);
	cJSON_Delete(env);
	aurae_client_free(c);
	return status;
}
