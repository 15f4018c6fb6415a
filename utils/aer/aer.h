/* aer.h - the aer command: shared state and the command table.
 *
 * Each command lives in its own cmd-NAME.c with a descriptor (name,
 * usage, summary, options) and one exec function, as in tmux.  aer.c
 * parses the global options, finds the command, parses its options from
 * its table and calls exec with the operands in argv[1..argc]. */
#ifndef AER_H
#define AER_H

#include <aurae/client.h>

#include "options.h"
#include "output.h"

/* Exit statuses (aer(1), EXIT STATUS). */
#define AER_EXIT_OK	0
#define AER_EXIT_USAGE	2
#define AER_EXIT_FAIL	125

struct aer {
	const char	*host;		/* -H, or NULL for the default */
	struct output	 out;
	aurae_client_t	*client;	/* connected on first use */
};

struct aer_cmd {
	const char		*name;
	const char		*usage;		/* after "aer " */
	const char		*summary;	/* N_() */
	const struct option_def	*opts;
	const char		*operands;	/* completion hint */
	int			(*exec)(struct aer *, int argc, char **argv);
};

extern const struct aer_cmd cmd_call, cmd_cell, cmd_completion, cmd_ls, cmd_complete,
    cmd_dial_stdio, cmd_events, cmd_exec, cmd_health, cmd_help, cmd_kill,
    cmd_logs, cmd_shell, cmd_storage, cmd_top, cmd_version, cmd_wait;
extern const struct aer_cmd *const aer_cmds[];
extern const struct option_def aer_global_opts[];

/* The connection, opened on first use; prints the error and exits 125
 * when the daemon cannot be reached. */
aurae_client_t	*aer_client(struct aer *);
/* Print "aer: MESSAGE" for err and return AER_EXIT_FAIL. */
int		 aer_fail(const aurae_error_t *);
/* Print the usage of a command to fp. */
void		 aer_usage(FILE *, const struct aer_cmd *);
/* Find a command by name. */
const struct aer_cmd *aer_find(const char *);

#endif
