/* address.c - turning an address into a transport. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "transport.h"

#include "address.h"

/* $AURAE_HOST, else the compiled-in socket. */
const char *
aurae_default_address(void)
{
	const char	*h = getenv("AURAE_HOST");

	return (h != NULL && *h != '\0') ? h : AURAE_DEFAULT_SOCKET;
}

/* Pick the transport for an address; *rest gets what it should open.
 * Returns NULL with err filled when the address is unusable. */
const struct aurae_transport_ops *
address_transport(const char *address, const char **rest,
    aurae_error_t *err)
{
	if (strncmp(address, "unix:", 5) == 0) {
		*rest = address + 5;
		return &aurae_transport_unix;
	}
	if (strncmp(address, "ssh://", 6) == 0) {
		aurae_error_set(err, EPROTONOSUPPORT, "UNIMPLEMENTED",
		    "the ssh transport is not available in this build: %s",
		    address);
		return NULL;
	}
	if (strchr(address, '/') != NULL || strncmp(address, "./", 2) == 0) {
		*rest = address;
		return &aurae_transport_unix;
	}
	aurae_error_set(err, EINVAL, "INVALID_ARGUMENT", "unsupported address "
	    "'%s' (use a socket path or unix:PATH)", address);
	return NULL;
}
