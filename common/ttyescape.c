/* ttyescape.c - the escape state machine of interactive sessions. */
#include "ttyescape.h"

#include <string.h>

/* A new session starts at the beginning of a line. */
void
ttyescape_init(struct ttyescape *e, int ch)
{
	e->ch = ch;
	e->bol = 1;
	e->pending = 0;
}

/* See ttyescape.h. */
size_t
ttyescape_filter(struct ttyescape *e, const char *in, size_t n, char *out,
    size_t *used, enum ttyescape_action *action)
{
	size_t		 i, o = 0;
	unsigned char	 c;

	*action = TTYESC_NONE;
	for (i = 0; i < n; i++) {
		c = (unsigned char)in[i];
		if (e->pending) {
			e->pending = 0;
			switch (c) {
			case '.':
				*action = TTYESC_DISCONNECT;
				break;
			case '?':
				*action = TTYESC_HELP;
				break;
			case 0x1a:	/* ^Z */
				*action = TTYESC_SUSPEND;
				break;
			default:
				/* "~~" sends one; "~x" sends both. */
				if ((int)c != e->ch)
					out[o++] = (char)e->ch;
				out[o++] = (char)c;
				e->bol = c == '\r' || c == '\n';
				continue;
			}
			/* After a command, a new escape may follow at once. */
			e->bol = 1;
			*used = i + 1;
			return o;
		}
		if (e->bol && e->ch >= 0 && (int)c == e->ch) {
			e->pending = 1;
			continue;
		}
		out[o++] = (char)c;
		e->bol = c == '\r' || c == '\n';
	}
	*used = n;
	return o;
}

/* See ttyescape.h. */
int
ttyescape_parse(const char *s)
{
	if (strcmp(s, "none") == 0)
		return -1;
	if (s[0] == '^' && s[1] != '\0' && s[2] == '\0')
		return (unsigned char)s[1] & 0x1f;
	if (s[0] != '\0' && s[1] == '\0')
		return (unsigned char)s[0];
	return -2;
}
