/* options.c - table-driven option parsing, help and completion data. */
#include "options.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* Append a borrowed string. */
void
strlist_push(struct strlist *l, const char *s)
{
	const char	**v;

	v = reallocarray(l->v, l->n + 1, sizeof *v);
	if (v == NULL) {
		perror("malloc");
		exit(125);
	}
	l->v = v;
	l->v[l->n++] = s;
}

/* Free the array, not the strings. */
void
strlist_free(struct strlist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Options that consume an argument. */
int
option_takes_arg(const struct option_def *o)
{
	switch (o->type) {
	case OPT_STRING:
	case OPT_INT:
	case OPT_LIST:
		return 1;
	case OPT_CALLBACK:
		return o->argh != NULL;
	default:
		return 0;
	}
}

/* Store one occurrence of an option. */
static int
option_apply(const struct option_def *o, const char *arg, void *ctx,
    const char *prog, const char *spelled)
{
	char	*end;
	long	 v;

	switch (o->type) {
	case OPT_FLAG:
		*(int *)o->value = 1;
		return 0;
	case OPT_COUNT:
		(*(int *)o->value)++;
		return 0;
	case OPT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPT_LIST:
		strlist_push(o->value, arg);
		return 0;
	case OPT_INT:
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno != 0 || end == arg || *end != '\0' ||
		    v < o->min || v > o->max) {
			fprintf(stderr, _("%s: option '%s' needs a number "
			    "from %ld to %ld, not '%s'\n"), prog, spelled,
			    o->min, o->max, arg);
			return -1;
		}
		*(long *)o->value = v;
		return 0;
	case OPT_CALLBACK:
		if (o->cb(o, arg, ctx) != 0)
			return -1;
		return 0;
	default:
		return -1;
	}
}

/* Look up a long option by name, accepting unambiguous prefixes. */
static const struct option_def *
find_long(const struct option_def *opts, const char *name, size_t len,
    int *ambiguous)
{
	const struct option_def	*o, *hit = NULL;
	int			 n = 0;

	*ambiguous = 0;
	if (len == 0)
		return NULL;	/* "--=x" names no option */
	for (o = opts; o->type != OPT_END; o++) {
		if (o->long_name == NULL || strncmp(o->long_name, name, len))
			continue;
		if (o->long_name[len] == '\0')
			return o;
		hit = o;
		n++;
	}
	if (n > 1) {
		*ambiguous = 1;
		return NULL;
	}
	return hit;
}

/* Look up a short option. */
static const struct option_def *
find_short(const struct option_def *opts, int c)
{
	const struct option_def	*o;

	for (o = opts; o->type != OPT_END; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

/* Find the option a command-line word names. */
const struct option_def *
options_find(const struct option_def *opts, const char *word)
{
	const char	*eq;
	size_t		 len;
	int		 amb;

	if (word[0] != '-' || word[1] == '\0')
		return NULL;
	if (word[1] == '-') {
		eq = strchr(word + 2, '=');
		len = eq ? (size_t)(eq - (word + 2)) : strlen(word + 2);
		return find_long(opts, word + 2, len, &amb);
	}
	return find_short(opts, (unsigned char)word[strlen(word) - 1]);
}

/* Parse argv; see options.h for the contract. */
int
options_parse(const struct option_def *opts, int argc, char **argv,
    int flags, void *ctx, const char *prog)
{
	const struct option_def	*o;
	char			**operands;
	const char		*arg, *eq, *p;
	char			 spelled[3];
	int			 i, nops = 0, amb, j;
	size_t			 len;

	operands = calloc((size_t)argc + 1, sizeof *operands);
	if (operands == NULL) {
		perror("malloc");
		exit(125);
	}
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0') {
			if (flags & OPTIONS_STOP_AT_NONOPT)
				break;
			operands[nops++] = argv[i];
			continue;
		}
		if (arg[1] == '-') {
			if (strcmp(arg, "--help") == 0 &&
			    find_long(opts, "help", 4, &amb) == NULL)
				goto help;
			eq = strchr(arg + 2, '=');
			len = eq ? (size_t)(eq - (arg + 2)) : strlen(arg + 2);
			o = find_long(opts, arg + 2, len, &amb);
			if (o == NULL) {
				if (amb)
					fprintf(stderr, _("%s: ambiguous option "
					    "'%s'\n"), prog, arg);
				else
					fprintf(stderr, _("%s: unknown option "
					    "'%s'\n"), prog, arg);
				goto fail;
			}
			if (!option_takes_arg(o)) {
				if (eq != NULL) {
					fprintf(stderr, _("%s: option '--%s' "
					    "takes no argument\n"), prog,
					    o->long_name);
					goto fail;
				}
				if (option_apply(o, NULL, ctx, prog, arg))
					goto fail;
				continue;
			}
			if (eq != NULL)
				p = eq + 1;
			else if (i + 1 < argc)
				p = argv[++i];
			else {
				fprintf(stderr, _("%s: option '--%s' needs "
				    "an argument\n"), prog, o->long_name);
				goto fail;
			}
			if (option_apply(o, p, ctx, prog, arg))
				goto fail;
			continue;
		}
		/* A cluster of short options: -vf, -ojson, -o json. */
		for (j = 1; arg[j] != '\0'; j++) {
			spelled[0] = '-';
			spelled[1] = arg[j];
			spelled[2] = '\0';
			o = find_short(opts, (unsigned char)arg[j]);
			if (o == NULL) {
				if (arg[j] == 'h')
					goto help;
				fprintf(stderr, _("%s: unknown option '%s'\n"),
				    prog, spelled);
				goto fail;
			}
			if (!option_takes_arg(o)) {
				if (option_apply(o, NULL, ctx, prog, spelled))
					goto fail;
				continue;
			}
			if (arg[j + 1] != '\0')
				p = arg + j + 1;
			else if (i + 1 < argc)
				p = argv[++i];
			else {
				fprintf(stderr, _("%s: option '%s' needs an "
				    "argument\n"), prog, spelled);
				goto fail;
			}
			if (option_apply(o, p, ctx, prog, spelled))
				goto fail;
			break;
		}
	}
	/* Operands found among the options go first, in order, then the rest
	 * of argv from i. */
	{
		int	 rest = argc - i, k;
		char	**tail = argv + i;

		memmove(argv + 1 + nops, tail, (size_t)rest * sizeof *argv);
		for (k = 0; k < nops; k++)
			argv[1 + k] = operands[k];
		argv[1 + nops + rest] = NULL;
		free(operands);
		return nops + rest;
	}
help:
	free(operands);
	return OPTIONS_HELP;
fail:
	free(operands);
	return OPTIONS_ERROR;
}

/* Print the usage line(s) and an aligned option list. */
void
options_usage(FILE *fp, const char *usage, const struct option_def *opts)
{
	const struct option_def	*o;
	char			 lhs[96];
	int			 n;

	fprintf(fp, "%s%s\n", _("usage: "), usage);
	if (opts == NULL || opts->type == OPT_END)
		return;
	fputc('\n', fp);
	for (o = opts; o->type != OPT_END; o++) {
		n = 0;
		if (o->short_name)
			n += snprintf(lhs + n, sizeof lhs - n, "-%c%s",
			    o->short_name, o->long_name ? ", " : "");
		else
			n += snprintf(lhs + n, sizeof lhs - n, "    ");
		if (o->long_name)
			n += snprintf(lhs + n, sizeof lhs - n, "--%s",
			    o->long_name);
		if (option_takes_arg(o) && o->argh)
			snprintf(lhs + n, sizeof lhs - n, " %s", o->argh);
		fprintf(fp, "    %-26s %s\n", lhs, o->help ? _(o->help) : "");
	}
	fprintf(fp, "    %-26s %s\n", "-h, --help", _("show this help"));
}

/* Completion data: every spelling of every option matching prefix. */
void
options_complete_names(FILE *fp, const struct option_def *opts,
    const char *prefix)
{
	const struct option_def	*o;
	char			 w[64];
	size_t			 plen = strlen(prefix);

	for (o = opts; o != NULL && o->type != OPT_END; o++) {
		if (o->long_name) {
			snprintf(w, sizeof w, "--%s", o->long_name);
			if (strncmp(w, prefix, plen) == 0)
				fprintf(fp, "%s\n", w);
		}
		if (o->short_name && plen <= 2) {
			snprintf(w, sizeof w, "-%c", o->short_name);
			if (strncmp(w, prefix, plen) == 0 && plen > 0)
				fprintf(fp, "%s\n", w);
		}
	}
	/* --help is implicit in every table: offer it once, with the table
	 * that ends the list (see complete_words). */
	if (opts == NULL && strncmp("--help", prefix, plen) == 0)
		fprintf(fp, "--help\n");
}
