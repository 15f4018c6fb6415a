/* cmd-logs.c - aer logs: replay and follow executables' output. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aer.h"
#include "i18n.h"

static const char	*logs_since;
static long		 logs_tail = -1;
static int		 logs_follow;

static const struct option_def logs_opts[] = {
	{ OPT_FLAG, 'f', "follow", &logs_follow, NULL,
	  N_("keep printing new output until every executable followed has "
	  "exited") },
	{ OPT_STRING, 0, "since", &logs_since, "TIME",
	  N_("only lines from TIME on: unix seconds, RFC 3339 "
	  "(2024-05-01T10:00:00Z) or a duration ago (90s, 10m, 2h, 1d)") },
	{ OPT_INT, 'n', "tail", &logs_tail, "N",
	  N_("only the last N lines of the history"), NULL, NULL, 0,
	  100000000 },
	{ OPT_END }
};

/* Seconds of a duration such as 90s, 10m, 2h, 1d or 1h30m; -1 if s is not
 * one. */
static double
parse_duration(const char *s)
{
	double		 total = 0, v;
	char		*end;

	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		if (!isdigit((unsigned char)*s) && *s != '.')
			return -1;
		errno = 0;
		v = strtod(s, &end);
		if (errno != 0 || end == s)
			return -1;
		switch (*end) {
		case 's': break;
		case 'm': v *= 60; break;
		case 'h': v *= 3600; break;
		case 'd': v *= 86400; break;
		default: return -1;
		}
		total += v;
		s = end + 1;
	}
	return total;
}

/* Unix seconds of an RFC 3339 time (2024-05-01T10:00:00[.123][Z|+02:00]);
 * -1 if s is not one. */
static double
parse_rfc3339(const char *s)
{
	struct tm	 tm;
	const char	*p;
	char		*end;
	double		 frac = 0, t;
	int		 off = 0, hh, mm;

	memset(&tm, 0, sizeof tm);
	if ((p = strptime(s, "%Y-%m-%d", &tm)) == NULL)
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		if ((p = strptime(p + 1, "%H:%M:%S", &tm)) == NULL)
			return -1;
		if (*p == '.') {
			frac = strtod(p, &end);
			p = end;
		}
		if (*p == 'Z' || *p == 'z')
			p++;
		else if ((*p == '+' || *p == '-') && isdigit((unsigned char)
		    p[1]) && sscanf(p + 1, "%2d:%2d", &hh, &mm) == 2 &&
		    strlen(p) == 6) {
			off = (hh * 60 + mm) * 60 * (*p == '-' ? -1 : 1);
			p += 6;
		} else
			return -1;
	}
	if (*p != '\0')
		return -1;
	t = (double)timegm(&tm);
	return t - off + frac;
}

/* --since as unix seconds; -1 if it reads as none of the forms. */
static double
parse_since(const char *s)
{
	struct timespec	 now;
	char		*end;
	double		 v;

	errno = 0;
	v = strtod(s, &end);
	if (*s != '\0' && isdigit((unsigned char)*s) && *end == '\0' &&
	    errno == 0 && isfinite(v))
		return v;
	if ((v = parse_duration(s)) >= 0) {
		clock_gettime(CLOCK_REALTIME, &now);
		v = (double)now.tv_sec + (double)now.tv_nsec / 1e9 - v;
		return v < 0 ? 0 : v;
	}
	return parse_rfc3339(s);
}

/* Does name look like an executable's id, CELL.N? */
static int
is_exe_id(const char *name)
{
	const char	*dot = strrchr(name, '.');

	if (dot == NULL || dot == name || dot[1] == '\0')
		return 0;
	return strspn(dot + 1, "0123456789") == strlen(dot + 1);
}

/* Which stream was written last, to keep the order of stdout and stderr
 * lines when both go to one place. */
static FILE	*last_fp;

/* Print one line record: its text on its stream, or the record itself. */
static void
print_line(struct aer *a, const cJSON *line)
{
	const cJSON	*text = cJSON_GetObjectItemCaseSensitive(line, "text");
	const cJSON	*st = cJSON_GetObjectItemCaseSensitive(line, "stream");
	const cJSON	*partial = cJSON_GetObjectItemCaseSensitive(line,
	    "partial");
	FILE		*fp;
	char		*s;

	if (a->out.fmt != OUT_TABLE) {
		if ((s = cJSON_PrintUnformatted(line)) != NULL) {
			printf("%s\n", s);
			free(s);
		}
		return;
	}
	if (!cJSON_IsString(text))
		return;
	fp = cJSON_IsString(st) && strcmp(st->valuestring, "stderr") == 0 ?
	    stderr : stdout;
	if (last_fp != NULL && last_fp != fp)
		fflush(last_fp);
	last_fp = fp;
	fputs(text->valuestring, fp);
	if (!cJSON_IsTrue(partial))
		fputc('\n', fp);
}

/* While following: where lines go, and whether logs.end came. */
struct follow_ctx {
	struct aer	*a;
	int		 done;
};

/* Notification handler while following: print lines; note logs.end. */
static void
on_message(const cJSON *msg, void *ud)
{
	struct follow_ctx	*fc = ud;
	const cJSON		*m = cJSON_GetObjectItemCaseSensitive(msg,
	    "method");

	if (!cJSON_IsString(m))
		return;
	if (strcmp(m->valuestring, "logs.line") == 0) {
		print_line(fc->a, cJSON_GetObjectItemCaseSensitive(msg,
		    "params"));
		fflush(last_fp != NULL ? last_fp : stdout);
	} else if (strcmp(m->valuestring, "logs.end") == 0)
		fc->done = 1;
}

/* Follow: the answer, then logs.line notifications until logs.end. */
static int
follow(struct aer *a, aurae_client_t *c, const cJSON *p)
{
	struct follow_ctx	 fc = { a, 0 };
	aurae_error_t		 err;
	cJSON			*msg;
	int			 r;

	/* Lines sent before the answer are not lost. */
	aurae_set_notify(c, on_message, &fc);
	r = aurae_call(c, "logs.read", p, NULL, &err);
	aurae_set_notify(c, NULL, NULL);
	if (r < 0)
		return aer_fail(&err);
	while (!fc.done) {
		if (aurae_recv(c, &msg, -1, &err) < 0) {
			if (err.status == ECONNRESET)
				fprintf(stderr, _("aer: the daemon closed the "
				    "connection before the end of the logs\n"));
			else
				aer_fail(&err);
			return AER_EXIT_FAIL;
		}
		on_message(msg, &fc);
		cJSON_Delete(msg);
	}
	return AER_EXIT_OK;
}

/* aer logs [-f] [--since TIME] [-n N] ID|CELL */
static int
logs_exec(struct aer *a, int argc, char **argv)
{
	aurae_error_t	 err;
	cJSON		*p, *res;
	const cJSON	*line, *lines;
	double		 since = -1;
	int		 r;

	if (argc != 1) {
		aer_usage(stderr, &cmd_logs);
		return AER_EXIT_USAGE;
	}
	if (logs_since != NULL && (since = parse_since(logs_since)) < 0) {
		fprintf(stderr, _("aer: cannot read --since '%s' (use unix "
		    "seconds, RFC 3339 such as 2024-05-01T10:00:00Z, or a "
		    "duration such as 10m)\n"), logs_since);
		return AER_EXIT_USAGE;
	}
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, is_exe_id(argv[1]) ? "id" : "cell",
	    argv[1]);
	if (logs_tail >= 0)
		cJSON_AddNumberToObject(p, "tail", (double)logs_tail);
	if (since >= 0)
		cJSON_AddNumberToObject(p, "since", since);
	if (logs_follow) {
		cJSON_AddTrueToObject(p, "follow");
		r = follow(a, aer_client(a), p);
		cJSON_Delete(p);
		return r;
	}
	r = aurae_call(aer_client(a), "logs.read", p, &res, &err);
	cJSON_Delete(p);
	if (r < 0)
		return aer_fail(&err);
	lines = cJSON_GetObjectItemCaseSensitive(res, "lines");
	if (a->out.fmt == OUT_JSON)
		output_list(&a->out, NULL, lines);
	else
		cJSON_ArrayForEach(line, lines)
			print_line(a, line);
	cJSON_Delete(res);
	return AER_EXIT_OK;
}

const struct aer_cmd cmd_logs = {
	"logs", "logs [-f] [--since TIME] [-n N] ID|CELL",
	N_("print the output of an executable, or of every one in a cell"),
	logs_opts, "@target", logs_exec
};
