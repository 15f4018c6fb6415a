/* complete.h - shell completion driven by the option and command tables.
 *
 * The completion scripts in completions/ are thin: they run
 * `TOOL __complete WORD...` with the words up to the cursor (the last one
 * possibly empty) and offer what it prints, one candidate per line.  A
 * first line "@file" or "@dir" asks the shell for file names instead.
 * Hints of the form "@name" (a cell, a method...) are resolved by the
 * tool's dynamic callback, which may ask the daemon. */
#ifndef AURAE_COMPLETE_H
#define AURAE_COMPLETE_H

#include <stdio.h>

#include "options.h"

struct complete_cmd {
	const char			*name;
	const struct option_def		*opts;
	const char			*operands;	/* hint, or NULL */
};

/* Print a hint's candidates that start with prefix; return 0 if handled. */
typedef int (*complete_dynamic_fn)(FILE *, const char *hint,
	    const char *prefix);

/* Complete words[nwords-1].  cmds (terminated by a NULL name) may be NULL
 * for a tool without subcommands, in which case operands is the hint for
 * its operands. */
void	complete_words(FILE *, const struct option_def *global,
	    const struct complete_cmd *cmds, const char *operands,
	    int nwords, char **words, complete_dynamic_fn);

struct aurae_client;
/* Print the names that start with prefix from a list method's answer
 * (e.g. "cells.list", member "cells", key "name").  Failures print
 * nothing: completion must never hang or complain. */
void	complete_live_names(FILE *, struct aurae_client *, const char *method,
	    const char *member, const char *key, const char *prefix);

/* Print the completion script of tool for shell ("bash", "zsh", "fish");
 * -1 for an unknown shell.  completions/ holds the output for each tool,
 * checked by the test suite against the binaries. */
int	complete_script(FILE *, const char *shell, const char *tool);

#endif
