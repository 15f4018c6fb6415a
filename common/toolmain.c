/* toolmain.c - the common start of single-command tools. */
#include "toolmain.h"

#include <stdio.h>
#include <string.h>

#include <aurae/client.h>

#include "config.h"

/* See toolmain.h. */
int
complete_live_cells(FILE *fp, const char *hint, const char *prefix)
{
	aurae_client_t	*c;

	if (strcmp(hint, "@cell") != 0 || aurae_connect(NULL, &c, NULL) < 0)
		return -1;
	complete_live_names(fp, c, "cells.list", "cells", "name", prefix);
	aurae_client_free(c);
	return 0;
}

/* See toolmain.h. */
int
toolmain_start(const struct toolmain *t, int argc, char **argv, int *status)
{
	int	 n;

	*status = 0;
	if (argc >= 2 && strcmp(argv[1], "__complete") == 0) {
		complete_words(stdout, t->opts, NULL, t->operands, argc - 2,
		    argv + 2, complete_live_cells);
		return -1;
	}
	if (argc == 3 && strcmp(argv[1], "completion") == 0 &&
	    complete_script(stdout, argv[2], t->name) == 0)
		return -1;
	n = options_parse(t->opts, argc, argv, t->interleave ? 0 :
	    OPTIONS_STOP_AT_NONOPT, NULL, t->name);
	if (n == OPTIONS_HELP) {
		options_usage(stdout, t->usage, t->opts);
		return -1;
	}
	if (n == OPTIONS_ERROR) {
		*status = t->usage_status;
		return -1;
	}
	if (*t->version) {
		printf("%s %s\n", t->name, VERSION);
		return -1;
	}
	if (n == 0) {
		options_usage(stderr, t->usage, t->opts);
		*status = t->usage_status;
		return -1;
	}
	return n;
}
