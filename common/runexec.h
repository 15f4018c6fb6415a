/* runexec.h - run a command in a cell as if it ran here: the caller's own
 * stdin, stdout and stderr, forwarded signals, and its exit status.
 *
 * cellrun and aer exec share this one implementation, so that both keep
 * the same exit status contract (docker's and ssh's):
 *
 *	the command's own exit code;
 *	128+n when it was killed by signal n;
 *	126 when it cannot be executed, 127 when it is not found;
 *	125 when the tool or the daemon fails.
 *
 * The descriptors are passed to the daemon (SCM_RIGHTS): the command
 * writes straight to the caller's terminal, pipe or file; nothing is
 * relayed.  This is pure client-side code on top of libaurae-client. */
#ifndef AURAE_RUNEXEC_H
#define AURAE_RUNEXEC_H

#include <aurae/client.h>
#include <stddef.h>

#include "options.h"

#define RUNEXEC_FAIL		125
#define RUNEXEC_NOEXEC		126
#define RUNEXEC_NOTFOUND	127

struct runexec {
	const char	*prog;		/* message prefix: "cellrun", "aer" */
	const char	*host;		/* address for the signal connection;
					 * NULL: the default */
	const char	*cell;		/* the cell to run in, unless run_cell */
	const cJSON	*run_cell;	/* non-NULL: cells.create parameters
					 * (borrowed) of a cell made for this
					 * command alone and removed by the
					 * daemon when it ends (cells.run); its
					 * wait is answered once the cell is
					 * gone */
	char *const	*argv;		/* the command line, NULL-terminated */
	const cJSON	*env;		/* array of "VAR=VALUE" (borrowed);
					 * NULL: the daemon's default */
	const char	*cwd;		/* NULL: the caller's working directory */
	int		 cwd_optional;	/* cwd is only a default: where the cell
					 * has no such directory (it has a root
					 * of its own), / (always so for NULL) */
	long		 uid, gid;	/* -1: not given */
	int		 detach;	/* pass no stdio (output goes to the
					 * cell's log) and do not wait */
	int		 attach;	/* the command ends with this connection
					 * (assh: no orphans) */
	int		 stdin_fd;	/* descriptor passed as stdin (0 unless
					 * set: assh -n passes /dev/null) */
	int		 fail_status;	/* status for a tool failure; 0 means
					 * RUNEXEC_FAIL (assh uses 255) */
	cJSON		**waited;	/* non-NULL: where the wait's answer
					 * goes (the caller frees it), NULL
					 * when there is none */
	const char	*expect_id;	/* the id the command will most likely
					 * get (a cell just made: "CELL.1"), or
					 * NULL: its wait is then sent with the
					 * start, one round trip fewer; a guess
					 * that proves wrong costs a wait more */
};

/* The caller's environment with each "VAR=VALUE" of sets on top (an
 * inherited VAR is replaced).  Returns a new array, or NULL after printing
 * "PROG: expected OPT VAR=VALUE, not '...'" for an element without '='. */
cJSON	*runexec_env(const char *prog, const char *opt,
	    const struct strlist *sets);

/* Set "VAR=VALUE" in an environment array, replacing an earlier VAR. */
void	 runexec_env_set(cJSON *env, const char *kv);

/* Start r->argv in r->cell (or in a cell of its own: r->run_cell) with the caller's descriptors 0-2 and, unless
 * r->detach, wait for it while forwarding SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, SIGUSR1 and SIGUSR2 to it (over a second connection, since c
 * is busy waiting).  Returns the exit status to pass on (see above), 0
 * with r->detach.  Once the command has started its id ("web.3") is
 * copied to id (idlen bytes; id may be NULL), so a caller that sets
 * id[0] = '\0' first can tell a failed start from a command's own 126 or
 * 127.  A failure is printed as "PROG: MESSAGE" on stderr.
 *
 * The forwarded signals stay blocked when it returns: one that arrives
 * after the command has exited must not kill the caller before it has
 * cleaned up (cellrun removes its cell).  Callers exit soon after. */
int	 runexec_run(aurae_client_t *c, const struct runexec *r, char *id,
	    size_t idlen);

/* The exit status for an executables.wait (or executables.list) record:
 * exit_code, or 128 + signal, or RUNEXEC_FAIL when it has neither. */
int	 runexec_status(const cJSON *);

/* The exit status for a failed executables.start: 126 or 127 for an exec
 * failure, else RUNEXEC_FAIL. */
int	 runexec_start_status(const aurae_error_t *);

#endif
