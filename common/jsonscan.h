/* jsonscan.h - read the top-level members of a JSON object in place.
 *
 * One bounded pass over the text checks that it is exactly one
 * well-formed JSON object and tells where the values of the members the
 * caller names are: spans of the text, nothing copied, nothing allocated.
 * The daemon reads a request's envelope ("jsonrpc", "id", "method",
 * "params") this way and gives only the params to cJSON.
 *
 * The grammar is RFC 8259's, with limits: at most JSONSCAN_MAX_DEPTH
 * nested arrays and objects (the object itself counts), numbers of at
 * most JSONSCAN_MAX_NUMBER bytes, and no control character outside the
 * four blanks between tokens (RFC 8259 forbids them in strings too).
 * UTF-8 is not checked.  What the scanner accepts, cJSON 1.7 accepts as
 * well and reads the same way; the converse does not hold, since cJSON is
 * laxer (leading zeros, "1.", raw control characters, other blanks,
 * invalid \u escapes read as NUL, longer nesting).  A caller that must
 * behave exactly as cJSON does therefore falls back to cJSON when a scan
 * fails: the scan is a fast path, never the judge of what is valid. */
#ifndef AURAE_JSONSCAN_H
#define AURAE_JSONSCAN_H

#include <stddef.h>

#define JSONSCAN_MAX_DEPTH	512	/* cJSON's limit is 1000 */
#define JSONSCAN_MAX_NUMBER	63	/* the most cJSON 1.7.15 reads */

enum jsonscan_type {
	JSONSCAN_ABSENT = 0,	/* no such member */
	JSONSCAN_NULL,
	JSONSCAN_FALSE,
	JSONSCAN_TRUE,
	JSONSCAN_NUMBER,
	JSONSCAN_STRING,
	JSONSCAN_ARRAY,
	JSONSCAN_OBJECT,
};

/* Where one member's value is: its whole text, a string with its quotes,
 * a container with its brackets. */
struct jsonscan_span {
	const char		*p;	/* NULL when absent */
	size_t			 len;
	enum jsonscan_type	 type;
	int			 escaped; /* a string holding a \ escape */
	int			 empty;	/* an array or object with no member */
};

/* Flags about the whole text, set in *flags by jsonscan_object(). */
#define JSONSCAN_NUL_ESCAPE	0x1	/* some string holds \u0000 */
#define JSONSCAN_KEY_ESCAPED	0x2	/* a top-level key holds an escape:
					 * it was not compared with names */

/* Scan s[0..n), which must be one JSON object with optional blanks
 * around it.  For each names[i], out[i] is the value of the first member
 * of that name (as cJSON_GetObjectItemCaseSensitive finds it), or type
 * JSONSCAN_ABSENT.  Returns 0, or -1 when the text is not well-formed or
 * exceeds a limit (out[] and *flags are then meaningless). */
int	jsonscan_object(const char *s, size_t n, const char *const *names,
	    struct jsonscan_span *out, size_t nnames, unsigned *flags);

#endif
