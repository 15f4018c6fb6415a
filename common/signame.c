/* signame.c - signal names. */
#include "signame.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char	*name;
	int		 sig;
} sigs[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "IO", SIGIO }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
};

/* See signame.h. */
int
sig_parse(const char *s)
{
	char	*end;
	long	 n;
	size_t	 i;

	if (*s >= '0' && *s <= '9') {
		n = strtol(s, &end, 10);
		return (*end == '\0' && n > 0 && n < NSIG) ? (int)n : -1;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (strcasecmp(sigs[i].name, s) == 0)
			return sigs[i].sig;
	return -1;
}

/* See signame.h. */
int
sig_parse_json(const cJSON *v)
{
	if (cJSON_IsString(v))
		return sig_parse(v->valuestring);
	if (cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble < NSIG &&
	    v->valuedouble == (double)(int)v->valuedouble)
		return (int)v->valuedouble;
	return -1;
}

/* See signame.h. */
const char *
sig_name(int sig)
{
	size_t	 i;

	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigs[i].sig == sig)
			return sigs[i].name;
	return NULL;
}
