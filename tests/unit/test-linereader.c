/* test-linereader.c - the bounded NDJSON line reader (common/linereader.c). */
#include <stdlib.h>
#include <string.h>

#include "linereader.h"
#include "tap.h"

/* Feed a NUL-terminated string. */
static void
feed(struct linereader *lr, const char *s)
{
	linereader_feed(lr, s, strlen(s));
}

/* Take the next line and compare it with want (NULL: expect NEED_MORE). */
static void
expect_line(struct linereader *lr, const char *want, const char *name)
{
	char	*line = NULL;
	size_t	 len = 0;
	int	 r;

	r = linereader_next(lr, &line, &len);
	if (want == NULL) {
		is_int(r, LINE_NEED_MORE, "%s: no complete line", name);
		return;
	}
	if (!is_int(r, LINE_READY, "%s: line ready", name))
		return;
	is_str(line, want, "%s: content", name);
	is_int(len, strlen(want), "%s: length", name);
}

/* Lines that arrive in pieces, several at once, with CR LF, empty. */
static void
test_framing(void)
{
	struct linereader	 lr;

	linereader_init(&lr, 1024);
	expect_line(&lr, NULL, "empty reader");
	is_int(linereader_pending(&lr), 0, "nothing pending at start");

	feed(&lr, "{\"a\":");
	expect_line(&lr, NULL, "first half");
	is_int(linereader_pending(&lr), 5, "half a line is pending");
	feed(&lr, "1}\n");
	expect_line(&lr, "{\"a\":1}", "line split across two feeds");
	expect_line(&lr, NULL, "after split line");
	is_int(linereader_pending(&lr), 0, "nothing pending after the line");

	feed(&lr, "one\ntwo\nthree\nfour");
	expect_line(&lr, "one", "several lines, first");
	expect_line(&lr, "two", "several lines, second");
	expect_line(&lr, "three", "several lines, third");
	expect_line(&lr, NULL, "unterminated fourth waits");
	is_int(linereader_pending(&lr), 4, "the fourth is pending");
	feed(&lr, "\r\n");
	expect_line(&lr, "four", "CR LF stripped");

	feed(&lr, "\n\r\n\n");
	expect_line(&lr, "", "empty line");
	expect_line(&lr, "", "CR-only line is empty");
	expect_line(&lr, "", "another empty line");
	expect_line(&lr, NULL, "no more");

	feed(&lr, "a\rb\r\r\n");
	expect_line(&lr, "a\rb\r", "only one trailing CR is stripped");

	feed(&lr, "x");
	feed(&lr, "y");
	feed(&lr, "\n");
	expect_line(&lr, "xy", "three feeds, one line");
	linereader_free(&lr);
	is_int(linereader_pending(&lr), 0, "free empties the reader");
	expect_line(&lr, NULL, "freed reader has no line");
}

/* The cap: max bytes pass, max+1 without newline is refused. */
static void
test_cap(void)
{
	struct linereader	 lr;
	char			*big, *line;
	size_t			 len;
	const size_t		 max = 100;

	big = malloc(max + 3);
	memset(big, 'x', max + 2);
	big[max + 2] = '\0';

	linereader_init(&lr, max);
	linereader_feed(&lr, big, max);
	expect_line(&lr, NULL, "line of exactly max bytes, no newline yet");
	feed(&lr, "\n");
	ok(linereader_next(&lr, &line, &len) == LINE_READY && len == max,
	    "line of exactly max bytes passes");
	linereader_free(&lr);

	linereader_init(&lr, max);
	linereader_feed(&lr, big, max + 1);
	is_int(linereader_next(&lr, &line, &len), LINE_TOO_LONG,
	    "max+1 bytes without newline: LINE_TOO_LONG");
	is_int(linereader_next(&lr, &line, &len), LINE_TOO_LONG,
	    "still LINE_TOO_LONG when asked again");
	linereader_free(&lr);

	linereader_init(&lr, max);
	linereader_feed(&lr, big, max + 1);
	feed(&lr, "\n");
	is_int(linereader_next(&lr, &line, &len), LINE_TOO_LONG,
	    "max+1 bytes with newline in one feed: LINE_TOO_LONG");
	linereader_free(&lr);

	linereader_init(&lr, max);
	feed(&lr, "short\n");
	linereader_feed(&lr, big, max + 2);
	expect_line(&lr, "short", "a short line before a long one");
	is_int(linereader_next(&lr, &line, &len), LINE_TOO_LONG,
	    "then the long one is refused");
	linereader_free(&lr);
	free(big);
}

/* A long line arriving one byte at a time, asking after each byte. */
static void
test_byte_by_byte(void)
{
	struct linereader	 lr;
	const size_t		 n = 200000;
	char			*line;
	size_t			 i, len;
	int			 r, bad = 0, scan_ok = 1;

	linereader_init(&lr, n);
	for (i = 0; i < n; i++) {
		linereader_feed(&lr, (i % 7) ? "a" : "b", 1);
		r = linereader_next(&lr, &line, &len);
		if (r != LINE_NEED_MORE)
			bad++;
		if (lr.scanned != i + 1)
			scan_ok = 0;
	}
	is_int(bad, 0, "%zu bytes one at a time: never a line early", n);
	ok(scan_ok, "the reader remembers how far it has scanned");
	linereader_feed(&lr, "\n", 1);
	r = linereader_next(&lr, &line, &len);
	is_int(r, LINE_READY, "the newline completes it");
	is_int(len, n, "full length");
	ok(r == LINE_READY && line[0] == 'b' && line[1] == 'a' &&
	    line[7] == 'b' && line[n - 1] == ((n - 1) % 7 ? 'a' : 'b') &&
	    line[n] == '\0', "content intact and NUL-terminated");
	linereader_free(&lr);
}

/* NUL bytes are data: the length, not strlen, tells the line's size. */
static void
test_nul(void)
{
	struct linereader	 lr;
	char			*line;
	size_t			 len;

	linereader_init(&lr, 64);
	linereader_feed(&lr, "a\0b\0\nc\n", 7);
	is_int(linereader_next(&lr, &line, &len), LINE_READY,
	    "line with NUL bytes is ready");
	is_int(len, 4, "its length counts the NUL bytes");
	ok(memcmp(line, "a\0b\0", 5) == 0, "bytes kept, NUL-terminated");
	expect_line(&lr, "c", "the line after it");
	linereader_free(&lr);

	linereader_init(&lr, 3);
	linereader_feed(&lr, "\0\0\0\0", 4);
	is_int(linereader_next(&lr, &line, &len), LINE_TOO_LONG,
	    "NUL bytes count toward the cap");
	linereader_free(&lr);
}

/* A line stays valid until the next call or feed, even when the buffer
 * was fully consumed and later input reuses its storage. */
static void
test_pointer_contract(void)
{
	struct linereader	 lr;
	char			*l1, *l2;
	size_t			 n1, n2;

	linereader_init(&lr, 64);
	feed(&lr, "first\nsecond\n");
	linereader_next(&lr, &l1, &n1);
	is_str(l1, "first", "first line");
	linereader_next(&lr, &l2, &n2);
	is_str(l2, "second", "second line");
	is_int(linereader_pending(&lr), 0, "both consumed");
	is_str(l2, "second", "last line still valid after it was consumed");
	feed(&lr, "third\n");
	expect_line(&lr, "third", "new input after a full consume");
	expect_line(&lr, NULL, "then nothing");

	/* Compaction: partial consumption followed by a big append must
	 * keep the pending bytes intact. */
	feed(&lr, "aaaa\nbb");
	expect_line(&lr, "aaaa", "line before pending bytes");
	{
		char	 chunk[40];

		memset(chunk, 'c', sizeof chunk);
		linereader_feed(&lr, chunk, sizeof chunk);
	}
	feed(&lr, "\n");
	expect_line(&lr, "bbcccccccccccccccccccccccccccccccccccccccc",
	    "pending bytes survive a later append");
	linereader_free(&lr);
}

/* Run every group. */
int
main(void)
{
	test_framing();
	test_cap();
	test_byte_by_byte();
	test_nul();
	test_pointer_contract();
	return done_testing();
}
