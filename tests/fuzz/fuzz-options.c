/* fuzz-options.c - libFuzzer target for command-line parsing: the
 * table-driven option parser (common/options.c) with every option type,
 * completion of the words, and ascp's operand grammar
 * (common/copyspec.c).  The input is split at NUL bytes into argv. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complete.h"
#include "copyspec.h"
#include "options.h"

#define MAX_ARGS	64

static int		 flag, count;
static const char	*str;
static long		 num;
static struct strlist	 list;

/* A callback that refuses "bad". */
static int
cb(const struct option_def *o, const char *arg, void *ctx)
{
	(void)o;
	(void)ctx;
	return arg != NULL && strcmp(arg, "bad") == 0 ? -1 : 0;
}

static const struct option_def opts[] = {
	{ OPT_FLAG, 'f', "flag", &flag, NULL, "a flag" },
	{ OPT_COUNT, 'v', "verbose", &count, NULL, "a count" },
	{ OPT_STRING, 's', "string", &str, "S", "a string", "a b c" },
	{ OPT_INT, 'n', "number", &num, "N", "a number", NULL, NULL, -5, 99 },
	{ OPT_LIST, 'l', "list", &list, "L", "a list", "@file" },
	{ OPT_CALLBACK, 'c', "call", NULL, "X", "a callback", NULL, cb },
	{ OPT_CALLBACK, 'z', "zero", NULL, NULL, "a callback without "
	  "argument", NULL, cb },
	{ OPT_END }
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct copy_spec	 sp;
	char			*buf, *argv[MAX_ARGS + 2], msg[256];
	int			 argc = 1, i;
	size_t			 at = 0, n;
	FILE			*devnull;

	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "fuzz";
	while (at <= size && argc <= MAX_ARGS) {
		argv[argc++] = buf + at;
		n = strlen(buf + at);
		at += n + 1;
	}
	argv[argc] = NULL;
	for (i = 1; i < argc; i++)
		copy_spec_parse(argv[i], &sp, msg, sizeof msg);
	devnull = fopen("/dev/null", "w");
	if (devnull != NULL) {
		complete_words(devnull, opts, NULL, "@file", argc - 1, argv + 1,
		    NULL);
		fclose(devnull);
	}
	flag = count = 0;
	str = NULL;
	num = 0;
	options_parse(opts, argc, argv, (size & 1) ? OPTIONS_STOP_AT_NONOPT : 0,
	    NULL, "fuzz");
	strlist_free(&list);
	memset(&list, 0, sizeof list);
	free(buf);
	return 0;
}
