/* cmd-top.c - aer top: cells with their memory, pids and CPU use.
 *
 * On a terminal the view refreshes every second (clear screen, ANSI)
 * until q or Ctrl-C, and the terminal is restored; piped, or with -o json
 * or jsonl, it prints one snapshot and exits.  CPU% is the share of one
 * CPU used between two samples of the cell's cpu_usec: the first sample
 * is taken half a second before the first view. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "aer.h"
#include "i18n.h"

#define TOP_FIRST_MS	500	/* the first CPU sample's length */

static const char	*top_delay;
static long		 top_iterations;

static const struct option_def top_opts[] = {
	{ OPT_STRING, 'd', "delay", &top_delay, "SECONDS",
	  N_("time between refreshes on a terminal (default 1)") },
	{ OPT_INT, 'n', "iterations", &top_iterations, "N",
	  N_("on a terminal, stop after N refreshes"), NULL, NULL, 1,
	  1000000000 },
	{ OPT_END }
};

static const struct out_col top_cols[] = {
	{ "NAME", "name" },
	{ "STATE", "state" },
	{ "CPU%", "cpu_percent" },
	{ "MEMORY", "memory" },
	{ "PEAK", "memory_peak" },
	{ "PIDS", "pids" },
	{ "EXECUTABLES", "executables" },
	{ NULL, NULL }
};

/* One sample: the rows and when they were read (monotonic seconds). */
struct sample {
	cJSON	*rows;
	double	 t;
};

/* Monotonic seconds. */
static double
mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A number member, or -1. */
static double
num(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* A string member, or "-". */
static const char *
str(const cJSON *o, const char *key)
{
	const char	*v = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(o, key));

	return v != NULL ? v : "-";
}

/* Read every cell with its usage into s.  Returns 0, or -1 with err. */
static int
take_sample(aurae_client_t *c, struct sample *s, aurae_error_t *err)
{
	static const char *const keys[] = { "name", "state", "memory",
	    "memory_peak", "pids", "executables", "cpu_usec" };
	cJSON		*res, *p, *row;
	const cJSON	*cell, *v;
	size_t		 i;
	int		 r;

	/* One call: the list with usage numbers. */
	p = cJSON_CreateObject();
	cJSON_AddTrueToObject(p, "usage");
	r = aurae_call(c, "cells.list", p, &res, err);
	cJSON_Delete(p);
	if (r < 0)
		return -1;
	s->rows = cJSON_CreateArray();
	cJSON_ArrayForEach(cell, cJSON_GetObjectItemCaseSensitive(res,
	    "cells")) {
		row = cJSON_CreateObject();
		for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			v = cJSON_GetObjectItemCaseSensitive(cell, keys[i]);
			cJSON_AddItemToObject(row, keys[i], v ?
			    cJSON_Duplicate(v, 1) : cJSON_CreateNull());
		}
		cJSON_AddItemToArray(s->rows, row);
	}
	cJSON_Delete(res);
	s->t = mono();
	return 0;
}

/* Give each row of cur its cpu_percent from the same cell in prev. */
static void
add_cpu(struct sample *cur, const struct sample *prev)
{
	cJSON		*row;
	const cJSON	*old;
	double		 dt = cur->t - prev->t, a, b;

	cJSON_ArrayForEach(row, cur->rows) {
		b = num(row, "cpu_usec");
		a = -1;
		cJSON_ArrayForEach(old, prev->rows)
			if (strcmp(str(row, "name"), str(old, "name")) == 0) {
				a = num(old, "cpu_usec");
				break;
			}
		if (a < 0 || b < a || dt <= 0)
			cJSON_AddNullToObject(row, "cpu_percent");
		else
			cJSON_AddNumberToObject(row, "cpu_percent",
			    (double)(long long)((b - a) / (dt * 1e6) * 1000.0 +
			    0.5) / 10.0);
	}
}

/* Bytes for people: 512, 12.3K, 4.0M... */
static void
human(char *out, size_t len, double v)
{
	static const char	 units[] = "KMGTP";
	int			 u = -1;

	if (v < 0) {
		snprintf(out, len, "-");
		return;
	}
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(out, len, "%.0f", v);
	else
		snprintf(out, len, "%.1f%c", v, units[u]);
}

/* Draw one frame of the terminal view, cut to the window. */
static void
draw(const struct output *o, const cJSON *rows, int nrows)
{
	struct winsize	 ws;
	const cJSON	*row;
	char		 line[1024], mem[16], peak[16], cpu[16], tm[16];
	int		 width = 80, height = 24, n = 0;
	time_t		 now = time(NULL);
	struct tm	 lt;
	double		 v;

	if (ioctl(fileno(o->fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		width = ws.ws_col;
		height = ws.ws_row;
	}
	if (width >= (int)sizeof line)
		width = (int)sizeof line - 1;
	localtime_r(&now, &lt);
	strftime(tm, sizeof tm, "%H:%M:%S", &lt);
	fputs("\033[H\033[2J", o->fp);
	snprintf(line, sizeof line, _("aer top - %s - %d cells - q to quit"),
	    tm, nrows);
	fprintf(o->fp, "%.*s\n\n", width, line);
	snprintf(line, sizeof line, "%-24s %-8s %6s %9s %9s %6s %11s", "NAME",
	    "STATE", "CPU%", "MEMORY", "PEAK", "PIDS", "EXECUTABLES");
	fprintf(o->fp, "%s%.*s%s\n", o->color ? "\033[1m" : "", width, line,
	    o->color ? "\033[0m" : "");
	cJSON_ArrayForEach(row, rows) {
		if (n++ >= height - 4)
			break;
		human(mem, sizeof mem, num(row, "memory"));
		human(peak, sizeof peak, num(row, "memory_peak"));
		if ((v = num(row, "cpu_percent")) < 0)
			snprintf(cpu, sizeof cpu, "-");
		else
			snprintf(cpu, sizeof cpu, "%.1f", v);
		snprintf(line, sizeof line, "%-24s %-8s %6s %9s %9s %6.0f "
		    "%11.0f", str(row, "name"), str(row, "state"), cpu, mem,
		    peak, num(row, "pids"), num(row, "executables"));
		fprintf(o->fp, "%.*s\n", width, line);
	}
	fflush(o->fp);
}

/* Wait up to ms for q, Ctrl-C (or TERM, HUP) or a resize.  Returns 1 to
 * quit, 0 otherwise. */
static int
wait_key(int *kfd, int sfd, int ms)
{
	struct signalfd_siginfo	 si;
	struct pollfd		 pfd[2];
	double			 end = mono() + ms / 1000.0, left;
	char			 ch;

	for (;;) {
		left = end - mono();
		if (left <= 0)
			return 0;
		pfd[0].fd = sfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = *kfd;
		pfd[1].events = POLLIN;
		if (poll(pfd, *kfd >= 0 ? 2 : 1, (int)(left * 1000) + 1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (pfd[0].revents & POLLIN) {
			if (read(sfd, &si, sizeof si) == (ssize_t)sizeof si &&
			    si.ssi_signo == SIGWINCH)
				return 0;
			return 1;
		}
		if (*kfd >= 0 && pfd[1].revents) {
			if (read(*kfd, &ch, 1) != 1) {
				*kfd = -1;	/* no more keys: Ctrl-C still */
				continue;
			}
			if (ch == 'q' || ch == 'Q' || ch == 3)
				return 1;
			if (ch == ' ')
				return 0;	/* refresh now */
		}
	}
}

/* The refreshing view.  The terminal is put back as found on every
 * way out. */
static int
top_tty(struct aer *a, aurae_client_t *c, struct sample *prev, int delay_ms)
{
	struct termios	 saved, raw;
	struct sample	 cur;
	aurae_error_t	 err;
	sigset_t	 set, oset;
	int		 kfd = -1, sfd, quit = 0, r = AER_EXIT_OK, raw_set = 0;
	long		 frames = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGWINCH);
	sigprocmask(SIG_BLOCK, &set, &oset);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		raw = saved;
		raw.c_lflag &= ~(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
		kfd = STDIN_FILENO;
		raw_set = 1;
	}
	fputs("\033[?1049h\033[?25l", a->out.fp);	/* own screen, no cursor */
	quit = wait_key(&kfd, sfd, TOP_FIRST_MS);
	while (!quit) {
		if (take_sample(c, &cur, &err) < 0) {
			r = -1;
			break;
		}
		add_cpu(&cur, prev);
		draw(&a->out, cur.rows, cJSON_GetArraySize(cur.rows));
		cJSON_Delete(prev->rows);
		*prev = cur;
		if (top_iterations > 0 && ++frames >= top_iterations)
			break;
		quit = wait_key(&kfd, sfd, delay_ms);
	}
	fputs("\033[?25h\033[?1049l", a->out.fp);
	fflush(a->out.fp);
	if (raw_set)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	close(sfd);
	sigprocmask(SIG_SETMASK, &oset, NULL);
	if (r < 0)
		return aer_fail(&err);
	return r;
}

/* aer top [-d SECONDS] [-n N] */
static int
top_exec(struct aer *a, int argc, char **argv)
{
	struct sample	 prev, cur;
	aurae_error_t	 err;
	aurae_client_t	*c;
	double		 delay = 1;
	char		*end;
	int		 r;

	if (argc != 0) {
		aer_usage(stderr, &cmd_top);
		return AER_EXIT_USAGE;
	}
	if (top_delay != NULL && ((delay = strtod(top_delay, &end)) < 0.1 ||
	    *end != '\0' || end == top_delay || delay > 86400)) {
		fprintf(stderr, _("aer: --delay needs seconds from 0.1 to "
		    "86400, not '%s'\n"), top_delay);
		return AER_EXIT_USAGE;
	}
	c = aer_client(a);
	if (take_sample(c, &prev, &err) < 0)
		return aer_fail(&err);
	if (a->out.tty && a->out.fmt == OUT_TABLE) {
		r = top_tty(a, c, &prev, (int)(delay * 1000));
		cJSON_Delete(prev.rows);
		return r;
	}
	/* One snapshot: a short second sample gives CPU%. */
	poll(NULL, 0, TOP_FIRST_MS);
	if (take_sample(c, &cur, &err) < 0) {
		cJSON_Delete(prev.rows);
		return aer_fail(&err);
	}
	add_cpu(&cur, &prev);
	output_list(&a->out, top_cols, cur.rows);
	cJSON_Delete(prev.rows);
	cJSON_Delete(cur.rows);
	return AER_EXIT_OK;
}

const struct aer_cmd cmd_top = {
	"top", "top [-d SECONDS] [-n N]",
	N_("show cells' CPU, memory and pids; refreshing on a terminal"),
	top_opts, NULL, top_exec
};
