/* exe.h - executables: processes a cell's init started for us.
 *
 * An executable is named "<cell>.<n>" ("web.3"): cell names have no dots,
 * so the name is unambiguous.  The daemon keeps a record per executable
 * while it runs and for the last EXE_KEEP_EXITED exits of each cell; the
 * init keeps exit statuses across a daemon restart until reported. */
#ifndef AURAED_EXE_H
#define AURAED_EXE_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>

#define EXE_KEEP_EXITED	64

struct cell;
struct rpc_call;

struct exe_waiter {
	struct rpc_call			*call;
	TAILQ_ENTRY(exe_waiter)		 entry;
};

/* What executables.start asked for. */
struct exe_spec {
	const cJSON	*argv;
	const cJSON	*env;		/* NULL: empty */
	const char	*cwd;		/* NULL: the init's (/) */
	int		 cwd_optional;	/* / where the cell has no cwd */
	uid_t		 uid;
	gid_t		 gid;
	int		 fds[3];	/* stdin, stdout, stderr; -1: not passed
					 * (consumed by exe_start) */
	int		 setsid;
	int		 tty;		/* a terminal; fds must all be -1 */
	unsigned	 rows, cols;
	int		 attach;	/* ends with the caller's connection */
};

struct peer;

struct exe {
	struct cell			*cell;
	uint64_t			 seq;
	char				 id[300];
	pid_t				 pid;		/* in the cell */
	int				 state;		/* EXE_* */
	int				 status;	/* wait status */
	int64_t				 started, exited;	/* ms */
	cJSON				*argv;
	uid_t				 uid;
	int				 tty;
	struct peer			*attached;	/* referenced */
	TAILQ_HEAD(, exe_waiter)	 waiters;
	TAILQ_ENTRY(exe)		 entry;
};

enum { EXE_STARTING, EXE_RUNNING, EXE_EXITED };

/* Find "<cell>.<n>". */
struct exe	*exe_find(const char *id);
/* Find executable n of c. */
struct exe	*exe_find_seq(struct cell *, uint64_t seq);
/* The executable as JSON. */
cJSON		*exe_json(const struct exe *);
/* Start spec in c; answers call when the init has started it (or
 * failed), passing a terminal's master along.  An attached executable is
 * hung up and killed when the caller's connection goes away. */
void		 exe_start(struct cell *, struct rpc_call *,
		    const struct exe_spec *);
/* A connection has gone: hang up and kill what was attached to it. */
void		 exe_peer_gone(struct peer *);
/* Signal a running executable; answers call. */
void		 exe_signal(struct exe *, int sig, struct rpc_call *);
/* Answer call when e has exited (at once if it has). */
void		 exe_wait(struct exe *, struct rpc_call *);
/* Connect the cell's init to the loop; hello asks it for its list. */
int		 exe_attach_init(struct cell *, int hello);
/* The init is gone or the cell is removed: every executable is over. */
void		 exe_detach_init(struct cell *, int killed);
/* Start sp in c, a cell made for it alone (cells.run): c goes once the
 * command has ended and the caller (call's peer) has waited for it or
 * gone; a wait for it is answered once c is gone, and so is the error of
 * a command that cannot start (then c goes at once). */
void		 exe_run(struct cell *, struct rpc_call *, struct exe_spec *);
/* The cell's removal has ended (it is gone, or it failed): answer what
 * was held for it, the waits for its exited executables and a cells.run
 * whose command could not start. */
void		 exe_answer_held(struct cell *);
/* Free every record of a cell. */
void		 exe_free_all(struct cell *);
/* Count executables of a cell in a state. */
unsigned	 exe_count(const struct cell *, int state);

#endif
