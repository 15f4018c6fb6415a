/* copyspec.h - the operands of ascp (and later auraefs): where a path is.
 *
 *	-			a tar stream on stdin or stdout
 *	CELL:PATH		PATH in cell CELL ("CELL:" is its "/")
 *	NODE:CELL:PATH		the same on a remote node
 *	anything else		a local path
 * As with scp, an operand is a cell's only when the text before its first
 * colon could be a cell name (a-z, 0-9, '-' and '/'): "./a:b" and "/a:b"
 * are local.  NODE is a host name, "user@host" or "[v6addr]". */
#ifndef AURAE_COPYSPEC_H
#define AURAE_COPYSPEC_H

#include <stddef.h>

enum copy_where {
	COPY_LOCAL,
	COPY_STREAM,
	COPY_CELL,
	COPY_REMOTE,
};

struct copy_spec {
	enum copy_where	 where;
	char		 node[256];	/* COPY_REMOTE */
	char		 cell[254];	/* COPY_CELL, COPY_REMOTE */
	const char	*path;		/* into the operand; "/" for "CELL:" */
};

/* Classify arg (which must outlive the spec).  Returns 0, or -1 with a
 * one-line message in msg (a cell or node name too long). */
int	copy_spec_parse(const char *arg, struct copy_spec *, char *msg,
	    size_t len);

/* Does path end in "/." (or is it ".")?  Then a directory's contents are
 * copied, not the directory (cp -r's rule). */
int	copy_path_is_contents(const char *path);
/* Does path end in '/'? */
int	copy_path_has_slash(const char *path);
/* The last component of path (trailing slashes ignored) into out; "/"
 * gives ".".  Returns out. */
char	*copy_path_base(const char *path, char *out, size_t len);
/* The directory part of path (trailing slashes ignored) into out: "."
 * when there is none, "/" for a top-level name.  Returns out. */
char	*copy_path_dir(const char *path, char *out, size_t len);

#endif
