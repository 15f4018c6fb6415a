/* options.h - table-driven command-line options (after git's parse-options).
 *
 * One table per command describes every option.  The same table parses
 * argv, prints --help, and feeds shell completion, so the three can never
 * drift apart.  A table ends with an OPT_END entry. */
#ifndef AURAE_OPTIONS_H
#define AURAE_OPTIONS_H

#include <stdio.h>

enum opt_type {
	OPT_END = 0,
	OPT_FLAG,	/* int *: set to 1 */
	OPT_COUNT,	/* int *: incremented each time (-v -v) */
	OPT_STRING,	/* const char **: last one wins */
	OPT_INT,	/* long *: decimal, range-checked against min/max */
	OPT_LIST,	/* struct strlist *: every occurrence appended */
	OPT_CALLBACK,	/* cb(opt, arg, ctx); arg NULL when has_arg == 0 */
};

struct option_def;
typedef int (*opt_cb)(const struct option_def *, const char *arg, void *ctx);

struct option_def {
	enum opt_type	 type;
	int		 short_name;	/* 0 for none */
	const char	*long_name;	/* NULL for none */
	void		*value;
	const char	*argh;		/* argument name in help; NULL: no arg */
	const char	*help;		/* untranslated; N_() marked */
	/* Completion of the argument: NULL (none), "@file", "@dir",
	 * "@cell", or a space-separated word list such as "table json". */
	const char	*complete;
	opt_cb		 cb;
	long		 min, max;	/* OPT_INT bounds */
};

/* A growable list of borrowed strings (argv elements). */
struct strlist {
	const char	**v;
	size_t		  n;
};

void	 strlist_push(struct strlist *, const char *);
void	 strlist_free(struct strlist *);

#define OPTIONS_HELP	-2
#define OPTIONS_ERROR	-1

/* Stop at the first non-option argument (commands that take a command line
 * of their own); otherwise options and operands may be interleaved and the
 * operands are moved to the end of argv in order. */
#define OPTIONS_STOP_AT_NONOPT	0x1

/* Parse argv[1..argc-1].  Returns the number n of operands, which are
 * moved to argv[1..n] in order (argv[n+1] becomes NULL), or OPTIONS_HELP when --help or -h was given, or OPTIONS_ERROR after printing
 * a one-line message "PROG: ..." to stderr.  "--" ends the options. */
int	 options_parse(const struct option_def *, int argc, char **argv,
	    int flags, void *ctx, const char *prog);
/* Print "usage: ..." lines and the option list. */
void	 options_usage(FILE *, const char *usage, const struct option_def *);
/* Find the option a word names ("--host", "-H", "--host=x"); NULL if none. */
const struct option_def *options_find(const struct option_def *,
	    const char *word);
/* Print every option spelling of the table that starts with prefix, one
 * per line; a NULL table prints the implicit --help. */
void	 options_complete_names(FILE *, const struct option_def *,
	    const char *prefix);
/* Does option need an argument? */
int	 option_takes_arg(const struct option_def *);

#endif
