/* cmd-call.c - aer call: send any method with raw parameters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aer.h"
#include "buf.h"
#include "i18n.h"
#include "textcmd.h"

/* Read all of stdin (bounded) into a NUL-terminated string. */
static char *
read_stdin(void)
{
	struct buf	 b = BUF_INIT;
	char		*t;
	size_t		 n;

	for (;;) {
		if ((t = buf_reserve(&b, 65536)) == NULL)
			break;
		n = fread(t, 1, 65536, stdin);
		buf_commit(&b, n);
		if (n == 0 || buf_used(&b) > 64u * 1024 * 1024)
			break;
	}
	buf_append(&b, "", 1);
	return buf_head(&b);	/* start is 0: nothing was consumed */
}

/* aer call METHOD [JSON | - | KEY=VALUE...]: print the raw result. */
static int
call_exec(struct aer *a, int argc, char **argv)
{
	aurae_error_t	 err;
	cJSON		*params = NULL, *res;
	char		 msg[256], *text = NULL;
	int		 r;

	if (argc < 1) {
		aer_usage(stderr, &cmd_call);
		return AER_EXIT_USAGE;
	}
	if (argc == 2 && (argv[2][0] == '{' || strcmp(argv[2], "-") == 0)) {
		if (strcmp(argv[2], "-") == 0)
			text = read_stdin();
		params = cJSON_Parse(text ? text : argv[2]);
		free(text);
		if (!cJSON_IsObject(params)) {
			fprintf(stderr, _("aer: parameters must be a JSON "
			    "object\n"));
			cJSON_Delete(params);
			return AER_EXIT_USAGE;
		}
	} else if (argc > 1 && textcmd_parse_words(argv + 2, argc - 1, &params,
	    msg, sizeof msg) < 0) {
		fprintf(stderr, "aer: %s\n", msg);
		return AER_EXIT_USAGE;
	}
	r = aurae_call(aer_client(a), argv[1], params, &res, &err);
	cJSON_Delete(params);
	if (r < 0)
		return aer_fail(&err);
	if (a->out.fmt == OUT_TABLE) {
		/* Raw means JSON; pretty on a terminal, compact in a pipe. */
		char	*s = a->out.tty ? cJSON_Print(res) :
		    cJSON_PrintUnformatted(res);

		if (s)
			printf("%s\n", s);
		free(s);
	} else
		output_object(&a->out, res);
	cJSON_Delete(res);
	return AER_EXIT_OK;
}

static const struct option_def call_opts[] = { { OPT_END } };

const struct aer_cmd cmd_call = {
	"call", "call METHOD [JSON | - | KEY=VALUE...]",
	N_("call a method with raw parameters and print the raw result"),
	call_opts, "@method", call_exec
};
