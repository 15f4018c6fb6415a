/* log.c - daemon logging. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

static int	log_syslog;
static int	log_verbose;
static int	log_quiet;	/* no info on stderr (detaching) */

/* Select stderr or syslog; verbose enables debug messages. */
void
log_open(int use_syslog, int verbose)
{
	log_syslog = use_syslog;
	log_verbose = verbose;
	if (log_syslog)
		openlog("auraed", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/* While a daemon is detaching its stderr is the user's terminal: only
 * warnings and errors belong there. */
void
log_set_quiet(int quiet)
{
	log_quiet = quiet;
}

/* SIGHUP: reconnect to syslog (a restarted syslogd gets a new socket). */
void
log_reopen(void)
{
	if (log_syslog) {
		closelog();
		openlog("auraed", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	}
}

/* Write one message; debug messages only with -v. */
void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info",
	    "debug" };
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO,
	    LOG_DEBUG };
	va_list		 ap;
	struct timespec	 ts;
	struct tm	 tm;
	char		 stamp[32];

	if ((lvl == LOG_LVL_DEBUG && !log_verbose) ||
	    (lvl == LOG_LVL_INFO && log_quiet && !log_syslog && !log_verbose))
		return;
	va_start(ap, fmt);
	if (log_syslog)
		vsyslog(prio[lvl], fmt, ap);
	else {
		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld auraed %s: ", stamp,
		    ts.tv_nsec / 1000000, names[lvl]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
