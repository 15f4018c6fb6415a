/* ini.h - a small, strict INI reader (auraed.conf(5)).
 *
 * The grammar, exactly (auraed.conf(5) says the same):
 *
 *   - The text is lines ending with a newline (the last one may lack it);
 *     a line is at most INI_LINE_MAX bytes and no byte is NUL.
 *   - Blanks (space, tab) and a carriage return at either end of a line
 *     are ignored.
 *   - An empty line, or one whose first character is '#', is ignored
 *     (a comment takes a line of its own).
 *   - "[NAME]" starts a section: NAME is 1 to 63 of a-z, 0-9, '-' and
 *     '_', with no blank inside the brackets and nothing after them.  A
 *     section may appear more than once.
 *   - "KEY = VALUE" sets a key of the current section: KEY is the text
 *     before the first '=', VALUE the text after it, both without the
 *     blanks around them.  KEY is not empty and holds no blank; VALUE may
 *     be empty and is taken literally: no quotes, no escapes, no
 *     continuation lines, and a '#' in it is part of it.
 *   - Anything else, and a key before the first section, is an error.
 *
 * What a section or key means is the caller's business: the callback
 * sees each section header (key NULL) and each key in the order of the
 * file, and can refuse it with a message, which is then prefixed with
 * "FILE:LINE: ". */
#ifndef AURAE_INI_H
#define AURAE_INI_H

#include <stddef.h>

/* Longest line, in bytes, without its newline. */
#define INI_LINE_MAX	4096
/* Largest file ini_parse_file() reads. */
#define INI_FILE_MAX	(1024 * 1024)

/* Called for "[section]" with key and value NULL, and for each
 * "key = value" with the section it is in.  Returns 0, or -1 with a
 * one-line message in msg (len bytes) to stop the parse. */
typedef int (*ini_cb)(void *arg, const char *section, const char *key,
    const char *value, char *msg, size_t len);

/* Parse len bytes of text named name (for messages).  Returns 0, or -1
 * with msg set to "NAME:LINE: what is wrong" (from the grammar or from
 * cb). */
int	ini_parse(const char *name, const char *text, size_t len, ini_cb cb,
	    void *arg, char *msg, size_t msglen);
/* Read the regular file at path and parse it.  Returns 0; 1 when
 * missing_ok is set and there is no such file (cb is not called); or -1
 * with msg set ("PATH: No such file or directory", or as ini_parse()). */
int	ini_parse_file(const char *path, int missing_ok, ini_cb cb, void *arg,
	    char *msg, size_t msglen);

#endif
