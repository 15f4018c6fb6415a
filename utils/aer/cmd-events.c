/* cmd-events.c - aer events: stream the daemon's events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aer.h"
#include "buf.h"
#include "i18n.h"
#include "textcmd.h"

static const char	*events_type;

static const struct option_def events_opts[] = {
	{ OPT_STRING, 't', "type", &events_type, "PREFIX",
	  N_("only events whose type starts with PREFIX (cell., "
	  "executable.exited...)"),
	  "cell. cell.created cell.removed cell.oom executable. "
	  "executable.started executable.exited" },
	{ OPT_END }
};

/* Was -o given (before or after the command)?  The global table holds
 * where its value went. */
static int
format_given(void)
{
	const struct option_def	*o = options_find(aer_global_opts,
	    "--output");

	return o != NULL && *(const char *const *)o->value != NULL;
}

/* "2024-05-01T10:00:00.123Z" for unix seconds t. */
static void
iso_time(char *out, size_t len, double t)
{
	time_t		 s = (time_t)t;
	struct tm	 tm;
	size_t		 n;
	int		 ms;

	gmtime_r(&s, &tm);
	n = strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
	ms = (int)((t - (double)s) * 1000 + 0.5);
	snprintf(out + n, len - n, ".%03dZ", ms > 999 ? 999 : ms);
}

/* One event as a row: TIME TYPE CELL ID DETAIL, the detail being every
 * other member as KEY=VALUE. */
static void
print_row(struct output *o, const cJSON *ev)
{
	static const char *const keys[] = { "time", "type", "cell", "id" };
	struct buf	 b = BUF_INIT, d = BUF_INIT;
	const cJSON	*m;
	char		 t[40];
	size_t		 i;

	m = cJSON_GetObjectItemCaseSensitive(ev, "time");
	iso_time(t, sizeof t, cJSON_IsNumber(m) ? m->valuedouble : 0);
	cJSON_ArrayForEach(m, ev) {
		for (i = 0; i < 4; i++)
			if (strcmp(m->string, keys[i]) == 0)
				break;
		if (i < 4 || cJSON_IsNull(m))
			continue;
		if (buf_used(&d))
			buf_append(&d, " ", 1);
		buf_printf(&d, "%s=", m->string);
		textcmd_cell(&d, m);
	}
	buf_append(&d, "", 1);
	fprintf(o->fp, o->tty ? "%-24s  " : "%s\t", t);
	for (i = 1; i < 4; i++) {
		buf_reset(&b);
		textcmd_cell(&b, cJSON_GetObjectItemCaseSensitive(ev, keys[i]));
		buf_append(&b, "", 1);
		fprintf(o->fp, o->tty ? "%-*s  " : "%*s\t", o->tty ?
		    (i == 1 ? 18 : 14) : 0, buf_head(&b));
	}
	fprintf(o->fp, "%s\n", buf_head(&d));
	buf_free(&b);
	buf_free(&d);
}

/* Print each event as it comes, and flush it. */
static void
on_event(const cJSON *msg, void *ud)
{
	struct aer	*a = ud;
	const cJSON	*m = cJSON_GetObjectItemCaseSensitive(msg, "method");
	const cJSON	*ev = cJSON_GetObjectItemCaseSensitive(msg, "params");
	char		*s;

	if (!cJSON_IsString(m) || strcmp(m->valuestring, "events.event") != 0)
		return;
	if (a->out.fmt == OUT_TABLE)
		print_row(&a->out, ev);
	else if ((s = cJSON_PrintUnformatted(ev)) != NULL) {
		fprintf(a->out.fp, "%s\n", s);
		free(s);
	}
	fflush(a->out.fp);
}

/* aer events [--type PREFIX]: JSON lines, unless -o table asks for
 * columns; runs until interrupted or the daemon goes away. */
static int
events_exec(struct aer *a, int argc, char **argv)
{
	aurae_error_t	 err;
	cJSON		*p = NULL;
	int		 r;

	if (argc != 0) {
		aer_usage(stderr, &cmd_events);
		return AER_EXIT_USAGE;
	}
	if (!format_given())
		a->out.fmt = OUT_JSONL;
	if (a->out.fmt == OUT_TABLE && a->out.headers) {
		if (a->out.color)
			fputs("\033[1m", a->out.fp);
		fprintf(a->out.fp, a->out.tty ? "%-24s  %-18s  %-14s  %-14s  "
		    "%s" : "%s\t%s\t%s\t%s\t%s", "TIME", "TYPE", "CELL", "ID",
		    "DETAIL");
		if (a->out.color)
			fputs("\033[0m", a->out.fp);
		fputc('\n', a->out.fp);
		fflush(a->out.fp);
	}
	if (events_type != NULL) {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "type", events_type);
	}
	r = aurae_subscribe(aer_client(a), "events.subscribe", p, on_event, a,
	    &err);
	cJSON_Delete(p);
	if (r < 0)
		return aer_fail(&err);
	fprintf(stderr, _("aer: the daemon closed the event stream\n"));
	return AER_EXIT_FAIL;
}

const struct aer_cmd cmd_events = {
	"events", "events [--type PREFIX]",
	N_("print events as JSON lines as they happen"), events_opts, NULL,
	events_exec
};
