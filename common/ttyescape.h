/* ttyescape.h - ssh's escape sequences on an interactive session.
 *
 * The escape character (default '~') is recognised only at the start of a
 * line: after '\r' or '\n', or as the first byte of the session.  Then
 *	~.	disconnect
 *	~?	print the list of escapes
 *	~^Z	suspend the client
 *	~~	send one '~'
 * and the escape character followed by anything else sends both bytes. */
#ifndef AURAE_TTYESCAPE_H
#define AURAE_TTYESCAPE_H

#include <stddef.h>

enum ttyescape_action {
	TTYESC_NONE,
	TTYESC_DISCONNECT,
	TTYESC_HELP,
	TTYESC_SUSPEND,
};

struct ttyescape {
	int	 ch;		/* the escape character, or -1 for none */
	int	 bol;		/* at the beginning of a line */
	int	 pending;	/* the escape character was just typed */
};

/* Start in the state of a new session; ch -1 disables escapes. */
void	ttyescape_init(struct ttyescape *, int ch);
/* Filter up to n input bytes into out (room for n + 1 bytes).  Stops after
 * an escape command, reporting it in *action and the bytes it used in
 * *used; returns the number of bytes to send. */
size_t	ttyescape_filter(struct ttyescape *, const char *in, size_t n,
	    char *out, size_t *used, enum ttyescape_action *action);
/* Parse -e's argument: one character, "^X" for a control character, or
 * "none".  Returns the character, -1 for none, or -2 when invalid. */
int	ttyescape_parse(const char *);

#endif
