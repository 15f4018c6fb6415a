/* transport.h - how a client connection moves bytes (internal).
 *
 * A transport is chosen by the address's scheme.  It moves a byte stream
 * and, when can_pass_fds is set, descriptors riding on it.  The framing
 * and JSON-RPC live above, in client.c, so every transport speaks the same
 * protocol. */
#ifndef AURAE_TRANSPORT_H
#define AURAE_TRANSPORT_H

#include <stddef.h>

#include "aurae/client.h"

struct aurae_transport;

struct aurae_transport_ops {
	const char	*scheme;	/* "unix" */
	int		 can_pass_fds;
	/* Open a connection to rest (the address after "scheme:"). */
	int	(*open)(const char *rest, struct aurae_transport **,
		    aurae_error_t *);
	/* Write all n bytes, fds riding on the first; 0 or -1 (errno). */
	int	(*send)(struct aurae_transport *, const void *, size_t,
		    const int *fds, size_t nfds);
	/* Read up to n bytes; fds received are stored.  Bytes, 0 at EOF,
	 * -1 (errno). */
	long	(*recv)(struct aurae_transport *, void *, size_t, int *fds,
		    size_t maxfds, size_t *nfds);
	/* Half-close: no more bytes will be sent. */
	int	(*close_write)(struct aurae_transport *);
	/* Descriptor to poll for input. */
	int	(*pollfd)(struct aurae_transport *);
	void	(*close)(struct aurae_transport *);
};

struct aurae_transport {
	const struct aurae_transport_ops	*ops;
};

extern const struct aurae_transport_ops aurae_transport_unix;

#endif
