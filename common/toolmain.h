/* toolmain.h - what every single-command tool (cellrun, assh) does first.
 *
 * "TOOL __complete WORD..." prints completion candidates, "TOOL completion
 * SHELL" prints the completion script, then the options are parsed: --help
 * prints the usage and exits 0, --version prints the version, and a bad
 * option or a missing operand prints the usage and exits with the tool's
 * usage status.  One implementation, so the tools cannot drift. */
#ifndef AURAE_TOOLMAIN_H
#define AURAE_TOOLMAIN_H

#include "complete.h"
#include "options.h"

struct toolmain {
	const char		*name;		/* "cellrun" */
	const char		*usage;		/* the usage line */
	const struct option_def	*opts;
	const char		*operands;	/* completion hint */
	const int		*version;	/* the -V flag of opts */
	int			 usage_status;	/* exit status for bad usage */
	int			 interleave;	/* options may follow operands
						 * (sshfs style) */
};

/* Returns the number of operands (>= 1, moved to argv[1..]) to go on
 * with, or -1 when the tool is done and must return *status. */
int	toolmain_start(const struct toolmain *, int argc, char **argv,
	    int *status);
/* Completion hints answered from the daemon at $AURAE_HOST: "@cell". */
int	complete_live_cells(FILE *, const char *hint, const char *prefix);

#endif
