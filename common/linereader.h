/* linereader.h - bounded newline-delimited record reader (NDJSON framing).
 *
 * Bytes read from a stream are appended to lr->in; linereader_next() hands
 * out complete lines one at a time.  A line that grows past max bytes
 * without a newline is an error (LINE_TOO_LONG): the caller answers and
 * closes the connection, as Redis does, before any JSON parser sees it. */
#ifndef AURAE_LINEREADER_H
#define AURAE_LINEREADER_H

#include <stddef.h>

#include "buf.h"

struct linereader {
	struct buf	 in;
	size_t		 scanned;	/* bytes of in known to hold no '\n' */
	size_t		 max;		/* longest accepted line, without '\n' */
};

enum {
	LINE_TOO_LONG = -1,
	LINE_NEED_MORE = 0,
	LINE_READY = 1,
};

void	 linereader_init(struct linereader *, size_t max);
void	 linereader_free(struct linereader *);
/* Add n bytes of input; returns 0 or -1 (ENOMEM). */
int	 linereader_feed(struct linereader *, const void *, size_t);
/* Take the next complete line.  On LINE_READY *line points at a
 * NUL-terminated copy inside the reader (the newline and a trailing '\r' are
 * stripped), valid until the next feed or next call. */
int	 linereader_next(struct linereader *, char **line, size_t *len);
/* Is a complete line buffered? */
int	 linereader_has_line(const struct linereader *);
/* Bytes buffered that do not yet form a complete line. */
size_t	 linereader_pending(const struct linereader *);

#endif
