/* test-ttyescape.c - ssh-style escapes: only at a line's start, each
 * command, ~~, a disabled escape character, -e parsing. */
#include <string.h>

#include "ttyescape.h"
#include "tap.h"

/* Feed s in one piece; return the bytes to send (NUL-terminated). */
static const char *
feed(struct ttyescape *e, const char *s, size_t *used,
    enum ttyescape_action *a)
{
	static char	 out[256];
	size_t		 n;

	n = ttyescape_filter(e, s, strlen(s), out, used, a);
	out[n] = '\0';
	return out;
}

int
main(void)
{
	struct ttyescape	 e;
	enum ttyescape_action	 a;
	size_t			 used;

	ttyescape_init(&e, '~');
	is_str(feed(&e, "~.", &used, &a), "", "~. at the start sends nothing");
	ok(a == TTYESC_DISCONNECT && used == 2, "~. disconnects");

	ttyescape_init(&e, '~');
	is_str(feed(&e, "echo ~.x", &used, &a), "echo ~.x",
	    "~ in the middle of a line is plain text");
	ok(a == TTYESC_NONE && used == 8, "no action");

	is_str(feed(&e, "\r~?rest", &used, &a), "\r", "~? after CR");
	ok(a == TTYESC_HELP && used == 3, "~? asks for help and stops there");
	is_str(feed(&e, "~\x1a", &used, &a), "", "~^Z right after a command");
	ok(a == TTYESC_SUSPEND, "~^Z suspends");

	ttyescape_init(&e, '~');
	is_str(feed(&e, "~~x", &used, &a), "~x", "~~ sends one ~");
	ok(a == TTYESC_NONE, "no action for ~~");
	is_str(feed(&e, "\n~a", &used, &a), "\n~a", "~ then another key sends both");

	ttyescape_init(&e, '~');
	is_str(feed(&e, "~", &used, &a), "", "a lone ~ waits");
	is_str(feed(&e, ".", &used, &a), "", "... and . completes it");
	ok(a == TTYESC_DISCONNECT, "split across reads");

	ttyescape_init(&e, -1);
	is_str(feed(&e, "~.", &used, &a), "~.", "-e none: no escapes");
	ok(a == TTYESC_NONE, "no action with -e none");

	ttyescape_init(&e, '%');
	is_str(feed(&e, "~.%.", &used, &a), "~.%.", "another escape character");
	ttyescape_init(&e, '%');
	feed(&e, "%.", &used, &a);
	ok(a == TTYESC_DISCONNECT, "%%. disconnects with -e %%");

	is_int(ttyescape_parse("none"), -1, "-e none");
	is_int(ttyescape_parse("~"), '~', "-e ~");
	is_int(ttyescape_parse("^]"), 0x1d, "-e ^]");
	is_int(ttyescape_parse("ab"), -2, "-e ab is invalid");
	is_int(ttyescape_parse(""), -2, "-e '' is invalid");
	return done_testing();
}
