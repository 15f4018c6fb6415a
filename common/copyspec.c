/* copyspec.c - classifying ascp operands and taking paths apart. */
#include "copyspec.h"

#include <stdio.h>
#include <string.h>

/* Could s[0..n) be a cell name?  Syntax only: the daemon validates. */
static int
cellish(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || s[0] == '/' || s[n - 1] == '/')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-' || s[i] == '/'))
			return 0;
	return 1;
}

/* Could s[0..n) be a node: [user@]host or [user@][v6]? */
static int
nodeish(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ' ' || s[i] == '\t')
			return 0;
	return 1;
}

/* See copyspec.h. */
int
copy_spec_parse(const char *arg, struct copy_spec *sp, char *msg, size_t len)
{
	const char	*c1, *c2, *rest;

	memset(sp, 0, sizeof *sp);
	sp->where = COPY_LOCAL;
	sp->path = arg;
	if (strcmp(arg, "-") == 0) {
		sp->where = COPY_STREAM;
		return 0;
	}
	if (arg[0] == '/' || strncmp(arg, "./", 2) == 0 ||
	    strncmp(arg, "../", 3) == 0)
		return 0;
	/* [v6]:CELL:PATH */
	if (arg[0] == '[' && (c1 = strstr(arg, "]:")) != NULL)
		c1++;
	else if ((c1 = strchr(arg, ':')) == NULL)
		return 0;
	rest = c1 + 1;
	c2 = strchr(rest, ':');
	if (c2 != NULL && cellish(rest, (size_t)(c2 - rest)) &&
	    nodeish(arg, (size_t)(c1 - arg))) {
		if ((size_t)(c1 - arg) >= sizeof sp->node ||
		    (size_t)(c2 - rest) >= sizeof sp->cell) {
			snprintf(msg, len, "'%s': node or cell name too long",
			    arg);
			return -1;
		}
		sp->where = COPY_REMOTE;
		snprintf(sp->node, sizeof sp->node, "%.*s", (int)(c1 - arg),
		    arg);
		snprintf(sp->cell, sizeof sp->cell, "%.*s", (int)(c2 - rest),
		    rest);
		sp->path = *(c2 + 1) ? c2 + 1 : "/";
		return 0;
	}
	if (!cellish(arg, (size_t)(c1 - arg)))
		return 0;
	if ((size_t)(c1 - arg) >= sizeof sp->cell) {
		snprintf(msg, len, "'%s': cell name too long", arg);
		return -1;
	}
	sp->where = COPY_CELL;
	snprintf(sp->cell, sizeof sp->cell, "%.*s", (int)(c1 - arg), arg);
	sp->path = *rest ? rest : "/";
	return 0;
}

/* See copyspec.h. */
int
copy_path_is_contents(const char *path)
{
	size_t	 n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 1 && path[0] == '.')
		return 1;
	return n >= 2 && path[n - 1] == '.' && path[n - 2] == '/';
}

/* See copyspec.h. */
int
copy_path_has_slash(const char *path)
{
	size_t	 n = strlen(path);

	return n > 0 && path[n - 1] == '/';
}

/* See copyspec.h. */
char *
copy_path_base(const char *path, char *out, size_t len)
{
	size_t		 n = strlen(path);
	const char	*b;

	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 1 && path[0] == '/') {
		snprintf(out, len, ".");
		return out;
	}
	for (b = path + n; b > path && b[-1] != '/'; b--)
		;
	snprintf(out, len, "%.*s", (int)(path + n - b), b);
	return out;
}

/* See copyspec.h. */
char *
copy_path_dir(const char *path, char *out, size_t len)
{
	size_t	 n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	if (n == 0) {
		snprintf(out, len, ".");
		return out;
	}
	while (n > 1 && path[n - 1] == '/')
		n--;
	snprintf(out, len, "%.*s", (int)n, path);
	return out;
}
