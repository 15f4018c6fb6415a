/* buf.h - a growable byte queue: append at the tail, consume from the head.
 *
 * Used for peer read buffers and write queues in the daemon and for the
 * client library's receive buffer.  A buf owns its storage; buf_free()
 * releases it.  Pointers returned by buf_head() stay valid until the next
 * append. */
#ifndef AURAE_BUF_H
#define AURAE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char	*data;
	size_t	 start;		/* offset of the first unconsumed byte */
	size_t	 len;		/* unconsumed bytes */
	size_t	 alloc;		/* bytes allocated at data */
};

#define BUF_INIT { NULL, 0, 0, 0 }

/* Append n bytes; returns 0, or -1 with errno ENOMEM.  (Inline below:
 * the fast path is a memcpy into room already there.) */
int	 buf_append_slow(struct buf *, const void *, size_t);
/* Append formatted text (no terminating NUL is counted). */
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vprintf(struct buf *, const char *, va_list);
/* Make room for at least n more bytes and return the tail pointer; the
 * caller writes up to n bytes there and then calls buf_commit(). */
char	*buf_reserve(struct buf *, size_t);
void	 buf_commit(struct buf *, size_t);
/* Drop n bytes from the head. */
void	 buf_consume(struct buf *, size_t);
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);

static inline char *
buf_head(const struct buf *b)
{
	return b->data != NULL ? b->data + b->start : NULL;
}

static inline size_t
buf_used(const struct buf *b)
{
	return b->len;
}

static inline int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (n <= b->alloc - b->start - b->len) {
		memcpy(b->data + b->start + b->len, p, n);
		b->len += n;
		return 0;
	}
	return buf_append_slow(b, p, n);
}

#endif
