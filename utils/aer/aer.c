/* aer.c - aer: list, inspect and control everything Aurae runs. */
#include "aer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "i18n.h"

const struct aer_cmd *const aer_cmds[] = {
	&cmd_call,
	&cmd_cell,
	&cmd_completion,
	&cmd_dial_stdio,
	&cmd_events,
	&cmd_exec,
	&cmd_health,
	&cmd_help,
	&cmd_kill,
	&cmd_logs,
	&cmd_ls,
	&cmd_shell,
	&cmd_storage,
	&cmd_top,
	&cmd_version,
	&cmd_wait,
	&cmd_complete,
	NULL
};

static const char	*g_host, *g_format;
static int		 g_headers, g_no_headers, g_version;

const struct option_def aer_global_opts[] = {
	{ OPT_STRING, 'H', "host", &g_host, "ADDRESS",
	  N_("daemon address: socket path or unix:PATH (default "
	  "$AURAE_HOST, else " AURAE_DEFAULT_SOCKET ")"), "@file" },
	{ OPT_STRING, 'o', "output", &g_format, "FORMAT",
	  N_("output format: table, json or jsonl"), "table json jsonl" },
	{ OPT_FLAG, 0, "headers", &g_headers, NULL,
	  N_("print column headers even when piped") },
	{ OPT_FLAG, 0, "no-headers", &g_no_headers, NULL,
	  N_("never print column headers") },
	{ OPT_FLAG, 'V', "version", &g_version, NULL,
	  N_("print the client version and exit") },
	{ OPT_END }
};

/* Look a command up by name. */
const struct aer_cmd *
aer_find(const char *name)
{
	const struct aer_cmd *const	*c;

	for (c = aer_cmds; *c != NULL; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

/* Connect on first use. */
aurae_client_t *
aer_client(struct aer *a)
{
	aurae_error_t	 err;

	if (a->client == NULL &&
	    aurae_connect(a->host, &a->client, &err) < 0)
		exit(aer_fail(&err));
	return a->client;
}

/* Report a failure. */
int
aer_fail(const aurae_error_t *err)
{
	fprintf(stderr, "aer: %s\n", err->message);
	return AER_EXIT_FAIL;
}

/* Usage of one command. */
void
aer_usage(FILE *fp, const struct aer_cmd *c)
{
	char	 line[256];

	snprintf(line, sizeof line, "aer %s", c->usage);
	options_usage(fp, line, c->opts);
}

/* The general usage and the command list. */
static void
usage(FILE *fp)
{
	const struct aer_cmd *const	*c;

	options_usage(fp, "aer [OPTIONS] COMMAND [ARGS...]", aer_global_opts);
	fprintf(fp, "\n%s\n", _("commands:"));
	for (c = aer_cmds; *c != NULL; c++)
		if ((*c)->name[0] != '_')
			fprintf(fp, "    %-14s %s\n", (*c)->name,
			    _((*c)->summary));
	fprintf(fp, "\n%s\n", _("Run 'aer help COMMAND' for the options of "
	    "a command; see aer(1)."));
}

/* aer help [COMMAND] */
static int
help_exec(struct aer *a, int argc, char **argv)
{
	const struct aer_cmd	*c;

	if (argc == 0) {
		usage(stdout);
		return AER_EXIT_OK;
	}
	if ((c = aer_find(argv[1])) == NULL) {
		fprintf(stderr, _("aer: unknown command '%s'\n"), argv[1]);
		return AER_EXIT_USAGE;
	}
	aer_usage(stdout, c);
	return AER_EXIT_OK;
}

static const struct option_def no_opts[] = { { OPT_END } };

/* A command's options followed by the global ones, so that
 * "aer ls -o json" works as well as "aer -o json ls". */
static const struct option_def *
merged_options(const struct option_def *cmd)
{
	static struct option_def	 all[128];
	size_t				 n = 0;
	const struct option_def		*o;

	for (o = cmd; o->type != OPT_END && n < 64; o++)
		all[n++] = *o;
	for (o = aer_global_opts; o->type != OPT_END && n < 127; o++)
		all[n++] = *o;
	all[n].type = OPT_END;
	return all;
}

const struct aer_cmd cmd_help = {
	"help", "help [COMMAND]", N_("show help for aer or a command"),
	no_opts, "@command", help_exec
};

int
main(int argc, char **argv)
{
	struct aer		 a;
	const struct aer_cmd	*c;
	int			 n, fmt = OUT_TABLE, r;

	aurae_i18n_init();
	memset(&a, 0, sizeof a);
	n = options_parse(aer_global_opts, argc, argv, OPTIONS_STOP_AT_NONOPT,
	    NULL, "aer");
	if (n == OPTIONS_HELP) {
		usage(stdout);
		return AER_EXIT_OK;
	}
	if (n == OPTIONS_ERROR) {
		fprintf(stderr, _("Run 'aer --help' for usage.\n"));
		return AER_EXIT_USAGE;
	}
	if (g_version) {
		printf("aer %s\n", VERSION);
		return AER_EXIT_OK;
	}
	if (n == 0) {
		/* "aer" alone on a terminal: the interactive shell. */
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
			a.host = g_host;
			return cmd_shell.exec(&a, 0, argv);
		}
		usage(stderr);
		return AER_EXIT_USAGE;
	}
	if ((c = aer_find(argv[1])) == NULL) {
		fprintf(stderr, _("aer: unknown command '%s'; run 'aer help' for "
		    "the list\n"), argv[1]);
		return AER_EXIT_USAGE;
	}
	argc = n;
	argv++;
	/* The command's own options; __complete takes its words raw. */
	if (c->exec != NULL && c->name[0] != '_') {
		n = options_parse(merged_options(c->opts), argc, argv, c->operands &&
		    strcmp(c->operands, "@argv") == 0 ? OPTIONS_STOP_AT_NONOPT :
		    0, NULL, "aer");
		if (n == OPTIONS_HELP) {
			aer_usage(stdout, c);
			return AER_EXIT_OK;
		}
		if (n == OPTIONS_ERROR) {
			aer_usage(stderr, c);
			return AER_EXIT_USAGE;
		}
		argc = n;
	} else
		argc--;
	if (g_format != NULL && (fmt = output_parse_format(g_format)) < 0) {
		fprintf(stderr, _("aer: unknown output format '%s' (use table, "
		    "json or jsonl)\n"), g_format);
		return AER_EXIT_USAGE;
	}
	output_init(&a.out, stdout, (enum out_format)fmt,
	    g_headers ? 1 : g_no_headers ? 0 : -1);
	a.host = g_host;
	r = c->exec(&a, argc, argv);
	if (fflush(stdout) != 0 && r == AER_EXIT_OK) {
		perror("aer: stdout");
		r = AER_EXIT_FAIL;
	}
	aurae_client_free(a.client);
	return r;
}
