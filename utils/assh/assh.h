/* assh.h - assh: ssh-like sessions into cells. */
#ifndef ASSH_H
#define ASSH_H

#include <aurae/client.h>

#include "ttyescape.h"

/* ssh's statuses: the command's own, or 255 when the session could not be
 * set up or was lost. */
#define ASSH_FAIL	255

/* Run a session on a terminal made in the cell: params are the
 * executables.start parameters (without tty, which this adds).  Relays
 * between our terminal and the master until the command exits; restores
 * the terminal on every path.  Returns the exit status. */
int	pty_session(aurae_client_t *, cJSON *params, int escape,
	    const char *target);

#endif
