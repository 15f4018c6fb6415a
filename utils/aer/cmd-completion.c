/* cmd-completion.c - aer completion SHELL, and the hidden aer __complete
 * that the scripts call. */
#include <stdio.h>
#include <string.h>

#include "aer.h"
#include "complete.h"
#include "i18n.h"

/* aer completion bash|zsh|fish */
static int
completion_exec(struct aer *a, int argc, char **argv)
{
	if (argc != 1 || complete_script(stdout, argv[1], "aer") < 0) {
		aer_usage(stderr, &cmd_completion);
		return AER_EXIT_USAGE;
	}
	return AER_EXIT_OK;
}

/* What the words before the cursor say: the daemon to ask (-H) and the
 * position of the word under the cursor among the command's operands
 * (0 for the first), for hints that depend on it. */
static const char	*cur_host;
static int		 cur_operand;


/* Live candidates:
 *	@command	aer's commands
 *	@method		the daemon's methods
 *	@cell, @exe	cell names, executable ids; @target both
 *	@cell-verb	aer cell: a verb first, then cells
 *	@storage-verb	aer storage: a verb first, then volumes
 *	@argv		aer exec: a cell first, then the command's files */
static int
dynamic(FILE *fp, const char *hint, const char *prefix)
{
	const struct aer_cmd *const	*c;
	aurae_client_t			*cl;
	size_t				 plen = strlen(prefix);
	int				 cells = 0, exes = 0;

	if (strcmp(hint, "@command") == 0) {
		for (c = aer_cmds; *c != NULL; c++)
			if ((*c)->name[0] != '_' &&
			    strncmp((*c)->name, prefix, plen) == 0)
				fprintf(fp, "%s\n", (*c)->name);
		return 0;
	}
	if (strcmp(hint, "@cell-verb") == 0 && cur_operand == 0) {
		static const char *const verbs[] = { "create", "rm", "info",
		    "stats", "set", "freeze", "thaw", NULL };
		const char *const	*v;

		for (v = verbs; *v != NULL; v++)
			if (strncmp(*v, prefix, plen) == 0)
				fprintf(fp, "%s\n", *v);
		return 0;
	}
	if (strcmp(hint, "@storage-verb") == 0 && cur_operand == 0) {
		static const char *const verbs[] = { "ls", "create", "rm",
		    NULL };
		const char *const	*v;

		for (v = verbs; *v != NULL; v++)
			if (strncmp(*v, prefix, plen) == 0)
				fprintf(fp, "%s\n", *v);
		return 0;
	}
	if (strcmp(hint, "@argv") == 0 && cur_operand > 0) {
		fprintf(fp, "@file\n");
		return 0;
	}
	if (strcmp(hint, "@cell") == 0 || strcmp(hint, "@cell-verb") == 0 ||
	    strcmp(hint, "@argv") == 0)
		cells = 1;
	else if (strcmp(hint, "@exe") == 0)
		exes = 1;
	else if (strcmp(hint, "@target") == 0)
		cells = exes = 1;
	else if (strcmp(hint, "@method") != 0 &&
	    strcmp(hint, "@storage-verb") != 0)
		return -1;
	if (aurae_connect(cur_host, &cl, NULL) < 0)
		return -1;
	if (strcmp(hint, "@method") == 0)
		complete_live_names(fp, cl, "aurae.methods", "methods", "name", prefix);
	if (strcmp(hint, "@storage-verb") == 0)
		complete_live_names(fp, cl, "storage.list", "volumes", "name",
		    prefix);
	if (cells)
		complete_live_names(fp, cl, "cells.list", "cells", "name", prefix);
	if (exes)
		complete_live_names(fp, cl, "executables.list", "executables", "id",
		    prefix);
	aurae_client_free(cl);
	return 0;
}

/* Does option word w leave its argument to the next word? */
static int
arg_follows(const struct option_def *o, const char *w)
{
	if (o == NULL || !option_takes_arg(o) || strchr(w, '=') != NULL)
		return 0;
	return w[1] == '-' || w[2] == '\0';
}

/* Set cur_host and cur_operand from words[0..n-2]. */
static void
scan_words(int n, char **words)
{
	const struct aer_cmd		*cmd = NULL;
	const struct option_def		*o;
	int				 i, dashdash = 0;

	cur_operand = 0;
	for (i = 0; i < n - 1; i++) {
		if (dashdash) {
			cur_operand++;
			continue;
		}
		if (cmd != NULL && strcmp(words[i], "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (words[i][0] == '-' && words[i][1] != '\0') {
			o = cmd ? options_find(cmd->opts, words[i]) : NULL;
			if (o == NULL)
				o = options_find(aer_global_opts, words[i]);
			if (o != NULL && o == options_find(aer_global_opts,
			    "--host")) {
				if (arg_follows(o, words[i]) && i + 1 < n - 1)
					cur_host = words[i + 1];
				else if (strchr(words[i], '=') != NULL)
					cur_host = strchr(words[i], '=') + 1;
				else if (words[i][1] != '-')
					cur_host = words[i] + 2;
			}
			if (arg_follows(o, words[i]))
				i++;
			continue;
		}
		if (cmd == NULL) {
			if ((cmd = aer_find(words[i])) == NULL)
				return;
			continue;
		}
		cur_operand++;
	}
}

/* aer __complete WORD... (the words after "aer", the last being the one
 * under the cursor). */
static int
complete_exec(struct aer *a, int argc, char **argv)
{
	struct complete_cmd		 cmds[64];
	const struct aer_cmd *const	*c;
	size_t				 n = 0;

	for (c = aer_cmds; *c != NULL && n < 63; c++, n++) {
		cmds[n].name = (*c)->name;
		cmds[n].opts = (*c)->opts;
		cmds[n].operands = (*c)->operands;
	}
	cmds[n].name = NULL;
	if (argc == 0)
		return AER_EXIT_OK;
	scan_words(argc, argv + 1);
	complete_words(stdout, aer_global_opts, cmds, NULL, argc, argv + 1,
	    dynamic);
	return AER_EXIT_OK;
}

static const struct option_def completion_opts[] = { { OPT_END } };

const struct aer_cmd cmd_completion = {
	"completion", "completion bash|zsh|fish",
	N_("print a shell completion script"), completion_opts,
	"bash zsh fish", completion_exec
};

const struct aer_cmd cmd_complete = {
	"__complete", "__complete WORD...", N_("completion candidates"),
	completion_opts, NULL, complete_exec
};
