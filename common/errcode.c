/* errcode.c - the error code table. */
#include "errcode.h"

#include <errno.h>
#include <string.h>

static const struct {
	const char	*name;
	int		 rpc;
	int		 err;
} errcodes[AE__COUNT] = {
	[AE_OK]			= { "OK", 0, 0 },
	[AE_INVALID_ARGUMENT]	= { "INVALID_ARGUMENT", JSONRPC_INVALID_PARAMS, EINVAL },
	[AE_NOT_FOUND]		= { "NOT_FOUND", JSONRPC_SERVER_ERROR, ENOENT },
	[AE_ALREADY_EXISTS]	= { "ALREADY_EXISTS", JSONRPC_SERVER_ERROR, EEXIST },
	[AE_PERMISSION_DENIED]	= { "PERMISSION_DENIED", JSONRPC_SERVER_ERROR, EACCES },
	[AE_CONFLICT]		= { "CONFLICT", JSONRPC_SERVER_ERROR, EBUSY },
	[AE_RESOURCE_EXHAUSTED]	= { "RESOURCE_EXHAUSTED", JSONRPC_SERVER_ERROR, ENOSPC },
	[AE_UNAVAILABLE]	= { "UNAVAILABLE", JSONRPC_SERVER_ERROR, EAGAIN },
	[AE_INTERNAL]		= { "INTERNAL", JSONRPC_INTERNAL_ERROR, EIO },
	[AE_UNIMPLEMENTED]	= { "UNIMPLEMENTED", JSONRPC_SERVER_ERROR, ENOSYS },
	[AE_PARSE_ERROR]	= { "PARSE_ERROR", JSONRPC_PARSE_ERROR, EPROTO },
	[AE_INVALID_REQUEST]	= { "INVALID_REQUEST", JSONRPC_INVALID_REQUEST, EPROTO },
	[AE_METHOD_NOT_FOUND]	= { "METHOD_NOT_FOUND", JSONRPC_METHOD_NOT_FOUND, ENOSYS },
};

/* Name of a code. */
const char *
aurae_errcode_name(enum aurae_errcode c)
{
	if ((unsigned)c >= AE__COUNT)
		c = AE_INTERNAL;
	return errcodes[c].name;
}

/* Code of a name, AE_INTERNAL when unknown. */
enum aurae_errcode
aurae_errcode_from_name(const char *name)
{
	int	 i;

	if (name == NULL)
		return AE_INTERNAL;
	for (i = 0; i < AE__COUNT; i++)
		if (strcmp(errcodes[i].name, name) == 0)
			return (enum aurae_errcode)i;
	return AE_INTERNAL;
}

/* JSON-RPC number of a code. */
int
aurae_errcode_rpc(enum aurae_errcode c)
{
	if ((unsigned)c >= AE__COUNT)
		c = AE_INTERNAL;
	return errcodes[c].rpc;
}

/* errno equivalent of a code. */
int
aurae_errcode_errno(enum aurae_errcode c)
{
	if ((unsigned)c >= AE__COUNT)
		c = AE_INTERNAL;
	return errcodes[c].err;
}
