/* linereader.c - bounded NDJSON line framing. */
#include "linereader.h"

#include <string.h>

/* Prepare an empty reader that accepts lines up to max bytes. */
void
linereader_init(struct linereader *lr, size_t max)
{
	memset(lr, 0, sizeof *lr);
	lr->max = max;
}

/* Release the reader's buffer. */
void
linereader_free(struct linereader *lr)
{
	buf_free(&lr->in);
	lr->scanned = 0;
}

/* Append raw input. */
int
linereader_feed(struct linereader *lr, const void *p, size_t n)
{
	return buf_append(&lr->in, p, n);
}

/* The consumed line from the previous call is dropped lazily here so that
 * the pointer handed out stays valid until the caller comes back. */
int
linereader_next(struct linereader *lr, char **line, size_t *len)
{
	char	*head, *nl;
	size_t	 n;

	n = buf_used(&lr->in);
	if (n == 0) {
		/* Nothing buffered (maybe no storage yet: no NULL arithmetic). */
		lr->scanned = 0;
		return LINE_NEED_MORE;
	}
	head = buf_head(&lr->in);
	nl = memchr(head + lr->scanned, '\n', n - lr->scanned);
	if (nl == NULL) {
		lr->scanned = n;
		if (n > lr->max)
			return LINE_TOO_LONG;
		return LINE_NEED_MORE;
	}
	n = (size_t)(nl - head);
	if (n > lr->max)
		return LINE_TOO_LONG;
	*nl = '\0';
	if (n > 0 && head[n - 1] == '\r')
		head[--n] = '\0';
	*line = head;
	*len = n;
	/* Consume now: the bytes stay in place until the next append. */
	buf_consume(&lr->in, (size_t)(nl - head) + 1);
	lr->scanned = 0;
	return LINE_READY;
}

/* Bytes waiting for their newline. */
size_t
linereader_pending(const struct linereader *lr)
{
	return buf_used(&lr->in);
}

/* A newline is buffered. */
int
linereader_has_line(const struct linereader *lr)
{
	size_t	 n = buf_used(&lr->in);

	return n > 0 && memchr(buf_head(&lr->in), '\n', n) != NULL;
}
