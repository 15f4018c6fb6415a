/* address.h - address parsing (internal). */
#ifndef AURAE_ADDRESS_H
#define AURAE_ADDRESS_H

#include "transport.h"

const struct aurae_transport_ops *address_transport(const char *,
	    const char **rest, aurae_error_t *);

#endif
