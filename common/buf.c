/* buf.c - growable byte queue. */
#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ensure n free bytes after the tail, compacting before growing. */
char *
buf_reserve(struct buf *b, size_t n)
{
	size_t	 need, nalloc;
	char	*p;

	if (b->start > 0 && b->start + b->len + n > b->alloc) {
		memmove(b->data, b->data + b->start, b->len);
		b->start = 0;
	}
	need = b->start + b->len + n;
	if (need < n) {
		errno = ENOMEM;
		return NULL;
	}
	if (need > b->alloc) {
		nalloc = b->alloc ? b->alloc : 4096;
		while (nalloc < need) {
			if (nalloc > ((size_t)-1) / 2) {
				errno = ENOMEM;
				return NULL;
			}
			nalloc *= 2;
		}
		if ((p = realloc(b->data, nalloc)) == NULL)
			return NULL;
		b->data = p;
		b->alloc = nalloc;
	}
	return b->data + b->start + b->len;
}

/* Account for n bytes written at the pointer buf_reserve() returned. */
void
buf_commit(struct buf *b, size_t n)
{
	b->len += n;
}

/* Append n bytes copied from p, growing the storage. */
int
buf_append_slow(struct buf *b, const void *p, size_t n)
{
	char	*t;

	if (n == 0)
		return 0;
	if ((t = buf_reserve(b, n)) == NULL)
		return -1;
	memcpy(t, p, n);
	b->len += n;
	return 0;
}

/* Append vprintf-formatted text. */
int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;
	char	*t;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -1;
	if ((t = buf_reserve(b, (size_t)n + 1)) == NULL)
		return -1;
	vsnprintf(t, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

/* Append printf-formatted text. */
int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 r;

	va_start(ap, fmt);
	r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

/* Drop n bytes from the head; the storage is kept for reuse. */
void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		b->start = b->len = 0;
		return;
	}
	b->start += n;
	b->len -= n;
}

/* Empty the queue, keeping its storage. */
void
buf_reset(struct buf *b)
{
	b->start = b->len = 0;
}

/* Release the storage; the buf may be reused after this. */
void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->start = b->len = b->alloc = 0;
}
