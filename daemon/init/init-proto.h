/* init-proto.h - the messages between auraed and a cell's aurae-init.
 *
 * Every cell has an init: PID 1 of its pid namespace (or a subreaper when
 * the cell shares the host's), which starts executables on request, reaps
 * every process, forwards signals, relays output into bounded log files,
 * and remembers exit statuses until auraed has heard them.  It outlives
 * auraed: a restarted daemon reconnects to RUN_DIR/cells/<cell>.sock.
 *
 * The socket is SOCK_SEQPACKET, so each message is one datagram: a fixed
 * header, then datalen bytes of NUL-terminated strings (argv, then env,
 * then cwd), with descriptors attached by SCM_RIGHTS. */
#ifndef AURAE_INIT_PROTO_H
#define AURAE_INIT_PROTO_H

#include <stdint.h>

#define INIT_PROTO_VERSION	1
#define INIT_MAX_MSG		(256 * 1024)
#define INIT_MAX_EXES		4096

/* A cell with a root: auraed has mounted its /proc, /dev and /sys and
 * made the root the working directory; the init is started with this as
 * argv[2] and INIT_SETUP_FD open, and pivots into the root before
 * anything else.  (Only then: the init was loaded from the host, so the
 * root needs no libc nor loader of its own.)  It closes INIT_SETUP_FD
 * once done, or writes a struct init_setup_err on it and exits 127. */
#define INIT_ARG_PIVOT		"pivot"
#define INIT_SETUP_FD		6

/* What failed while setting a cell up, before or in the init. */
struct init_setup_err {
	int32_t		err;		/* errno */
	char		step[320];	/* "mount proc on /r/proc", or "" */
};

enum init_type {
	/* auraed -> init */
	INIT_HELLO = 1,		/* list every executable (INIT_ENTRY...) */
	INIT_SPAWN,		/* start argv; fds by flags; id chosen by auraed */
	INIT_SIGNAL,		/* status = signal number, to exe id */
	INIT_FORGET,		/* its exit is recorded: drop it (no answer) */
	INIT_SHUTDOWN,		/* kill everything and exit */
	/* init -> auraed */
	INIT_SPAWNED = 100,	/* pid set; or err set (errno) */
	INIT_EXITED,		/* status = wait status */
	INIT_ENTRY,		/* one executable: pid, state, status */
	INIT_END,		/* end of the INIT_ENTRY list */
	INIT_RESULT,		/* err: 0 or errno of a SIGNAL/FORGET */
};

/* Which standard streams arrive as descriptors with INIT_SPAWN, in this
 * order; the others go to the exe's log (out, err) or /dev/null (in). */
#define INIT_F_STDIN	0x1
#define INIT_F_STDOUT	0x2
#define INIT_F_STDERR	0x4
#define INIT_F_SETSID	0x8	/* new session (otherwise a new pgrp) */
/* A terminal: the init opens a pseudo-terminal in the cell, makes its
 * slave the controlling terminal and stdio of a new session, and returns
 * the master with INIT_SPAWNED.  rows and cols give its first size. */
#define INIT_F_TTY	0x10
/* INIT_SIGNAL to every process of the session whose leader is pid (the
 * executable was started with INIT_F_SETSID or INIT_F_TTY), running or
 * not, background jobs included: a client that has gone leaves nothing. */
#define INIT_F_SESSION	0x20
/* INIT_SPAWN: the cwd is only the caller's own directory (the tools'
 * default); where the cell has no such directory (a cell with a root)
 * the command starts in / instead of failing. */
#define INIT_F_CWD_OPTIONAL 0x40

/* What failed, in INIT_SPAWNED's status when err is set. */
enum init_stage {
	INIT_STAGE_SETUP = 0,	/* the terminal, descriptors, a fork */
	INIT_STAGE_USER,	/* setgroups, setgid, setuid */
	INIT_STAGE_CWD,		/* chdir */
	INIT_STAGE_EXEC,	/* execvpe: not found, not executable */
};

struct init_hdr {
	uint32_t	type;
	uint32_t	flags;
	uint64_t	id;		/* executable id within the cell */
	int32_t		pid;		/* in the cell's pid namespace */
	int32_t		status;		/* wait status, or signal number */
	int32_t		err;		/* errno, 0 for success */
	int32_t		running;	/* INIT_ENTRY: 1 running, 0 exited */
	uint32_t	uid;
	uint32_t	gid;
	uint32_t	nargv;
	uint32_t	nenv;
	uint32_t	datalen;
	uint16_t	rows;		/* INIT_F_TTY: window size */
	uint16_t	cols;
	int64_t		started;	/* unix time in ms */
	int64_t		exited;
};

#endif
