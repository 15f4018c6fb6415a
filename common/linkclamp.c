/* linkclamp.c - symlink targets confined to an exported root. */
#include "linkclamp.h"

#include <errno.h>
#include <string.h>

#define MAX_PARTS	2048

/* Append s[0..n) to out at *o, with a slash first unless at the start. */
static int
put(char *out, size_t len, size_t *o, const char *s, size_t n)
{
	if (*o + (*o > 0) + n + 1 > len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (*o > 0)
		out[(*o)++] = '/';
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
	return 0;
}

/* See linkclamp.h.  The walk keeps the target's own components on a
 * stack above u unknown ancestors of the link's directory (depth of them
 * for a relative target, none for an absolute one); ".." pops a known
 * component first, then an ancestor, and at the root does nothing. */
int
link_clamp(const char *target, unsigned depth, char *out, size_t len)
{
	const char	*p, *e, *part[MAX_PARTS];
	size_t		 plen[MAX_PARTS], n, np = 0, o = 0, i;
	unsigned	 u = target[0] == '/' ? 0 : depth;
	int		 above = target[0] == '/';

	for (p = target; *p; p = *e ? e + 1 : e) {
		e = p + strcspn(p, "/");
		n = (size_t)(e - p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (np > 0)
				np--;
			else if (u > 0)
				u--;
			else
				above = 1;
			continue;
		}
		if (np == MAX_PARTS) {
			errno = ENAMETOOLONG;
			return -1;
		}
		part[np] = p;
		plen[np++] = n;
	}
	if (!above) {
		/* It stays below the root: the link as it was written. */
		if (strlen(target) + 1 > len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(out, target);
		return 0;
	}
	if (len < 2) {
		errno = ENAMETOOLONG;
		return -1;
	}
	out[0] = '\0';
	for (i = u; i < depth; i++)
		if (put(out, len, &o, "..", 2) < 0)
			return -1;
	for (i = 0; i < np; i++)
		if (put(out, len, &o, part[i], plen[i]) < 0)
			return -1;
	if (o == 0)
		strcpy(out, ".");
	return 0;
}
