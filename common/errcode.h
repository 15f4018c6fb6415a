/* errcode.h - the stable error codes of the Aurae protocol.
 *
 * Every error the daemon sends carries one of these names in
 * error.data.code; clients and scripts match on the name, never on the
 * message.  The JSON-RPC numeric code and the tool exit status are derived
 * from the same table, so the three never disagree. */
#ifndef AURAE_ERRCODE_H
#define AURAE_ERRCODE_H

enum aurae_errcode {
	AE_OK = 0,
	AE_INVALID_ARGUMENT,
	AE_NOT_FOUND,
	AE_ALREADY_EXISTS,
	AE_PERMISSION_DENIED,
	AE_CONFLICT,
	AE_RESOURCE_EXHAUSTED,
	AE_UNAVAILABLE,
	AE_INTERNAL,
	AE_UNIMPLEMENTED,
	/* JSON-RPC's own failures, reported with their standard numbers. */
	AE_PARSE_ERROR,
	AE_INVALID_REQUEST,
	AE_METHOD_NOT_FOUND,
	AE__COUNT
};

/* JSON-RPC 2.0 reserved numbers. */
#define JSONRPC_PARSE_ERROR	 -32700
#define JSONRPC_INVALID_REQUEST	 -32600
#define JSONRPC_METHOD_NOT_FOUND -32601
#define JSONRPC_INVALID_PARAMS	 -32602
#define JSONRPC_INTERNAL_ERROR	 -32603
#define JSONRPC_SERVER_ERROR	 -32000

/* "NOT_FOUND" and so on; never NULL. */
const char		*aurae_errcode_name(enum aurae_errcode);
/* Reverse lookup; AE_INTERNAL for an unknown name. */
enum aurae_errcode	 aurae_errcode_from_name(const char *);
/* The JSON-RPC error.code number sent for this code. */
int			 aurae_errcode_rpc(enum aurae_errcode);
/* The errno a client reports for this code. */
int			 aurae_errcode_errno(enum aurae_errcode);

#endif
