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

/* Live candidates: methods and commands. */
static int
dynamic(FILE *fp, const char *hint, const char *prefix)
{
	const struct aer_cmd *const	*c;
	aurae_client_t			*cl;
	cJSON				*res, *m, *n;
	size_t				 plen = strlen(prefix);

	if (strcmp(hint, "@command") == 0) {
		for (c = aer_cmds; *c != NULL; c++)
			if ((*c)->name[0] != '_' &&
			    strncmp((*c)->name, prefix, plen) == 0)
				fprintf(fp, "%s\n", (*c)->name);
		return 0;
	}
	if (strcmp(hint, "@method") == 0) {
		/* Completion must never hang or complain: quietly give up. */
		if (aurae_connect(NULL, &cl, NULL) < 0)
			return -1;
		if (aurae_call(cl, "aurae.methods", NULL, &res, NULL) == 0) {
			cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(
			    res, "methods")) {
				n = cJSON_GetObjectItemCaseSensitive(m, "name");
				if (cJSON_IsString(n) && strncmp(n->valuestring,
				    prefix, plen) == 0)
					fprintf(fp, "%s\n", n->valuestring);
			}
			cJSON_Delete(res);
		}
		aurae_client_free(cl);
		return 0;
	}
	return -1;
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
