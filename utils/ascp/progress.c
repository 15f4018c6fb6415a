/* progress.c - the progress meter. */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* Monotonic seconds. */
static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* n bytes in at most 7 characters: "1023B", "12.3KB", "999MB". */
static void
human(char *buf, size_t len, double n)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB",
	    "PB" };
	int	 u = 0;

	while (n >= 1024 && u < 5) {
		n /= 1024;
		u++;
	}
	if (u == 0 || n >= 100)
		snprintf(buf, len, "%.0f%s", n, unit[u]);
	else
		snprintf(buf, len, "%.1f%s", n, unit[u]);
}

/* Draw the meter; final adds the elapsed time and a newline. */
static void
draw(struct progress *p, int final)
{
	struct winsize	 ws;
	char		 bytes[16], rate[16], eta[32], pct[8];
	double		 t = now(), el = t - p->start, r, left;
	int		 cols = 80, namew;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 40)
		cols = ws.ws_col;
	r = el > 0 ? (double)p->done / el : 0;
	human(bytes, sizeof bytes, (double)p->done);
	human(rate, sizeof rate, r);
	if (p->total > 0)
		snprintf(pct, sizeof pct, "%3d%%", (int)(p->done >= p->total ?
		    100 : (double)p->done * 100 / (double)p->total));
	else
		snprintf(pct, sizeof pct, "    ");
	if (final || p->total == 0 || r <= 0)
		snprintf(eta, sizeof eta, "%02d:%02d    ", (int)el / 60,
		    (int)el % 60);
	else {
		left = (double)(p->total > p->done ? p->total - p->done : 0) /
		    r;
		snprintf(eta, sizeof eta, "%02d:%02d ETA", (int)left / 60,
		    (int)left % 60);
	}
	namew = cols - 36;
	fprintf(stderr, "\r%-*.*s %s %7s %7s/s %s%s", namew, namew, p->name,
	    pct, bytes, rate, eta, final ? "\n" : "");
	fflush(stderr);
	p->last = t;
}

/* See progress.h. */
void
progress_start(struct progress *p, int on, const char *name, uint64_t total)
{
	memset(p, 0, sizeof *p);
	p->on = on;
	snprintf(p->name, sizeof p->name, "%s", name);
	p->total = total;
	p->start = p->last = now();
	if (p->on)
		draw(p, 0);
}

/* See progress.h. */
void
progress_update(struct progress *p, uint64_t done)
{
	p->done = done;
	if (p->on && now() - p->last >= 0.2)
		draw(p, 0);
}

/* See progress.h. */
void
progress_end(struct progress *p)
{
	if (p->on)
		draw(p, 1);
	p->on = 0;
}
