/* aurae/client.h - the Aurae client library.
 *
 * Every Aurae tool talks to auraed through this library.  A connection
 * carries JSON-RPC 2.0, one message per line.  Results and parameters are
 * cJSON trees.
 *
 * Error contract (as in crun): a fallible function takes an
 * aurae_error_t *.  On failure it returns a negative value and fills the
 * error with an errno value, a stable code name ("NOT_FOUND" from the
 * server, or "UNAVAILABLE", "INVALID_ARGUMENT"... for local failures; ""
 * only when no code applies, such as out of memory) and a one-line
 * message.  On success it leaves the error
 * untouched.  Passing NULL for the error is allowed.
 *
 * Ownership: parameters passed to a call are borrowed; results returned
 * through cJSON ** belong to the caller (cJSON_Delete).  Descriptors
 * passed to a call are borrowed (the library sends copies); descriptors
 * received belong to the caller.
 *
 * A client is not thread-safe; use one per thread. */
#ifndef AURAE_CLIENT_H
#define AURAE_CLIENT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AURAE_CLIENT_VERSION	"0.1.0"
#define AURAE_PROTOCOL		1
/* Most descriptors one message can carry. */
#define AURAE_MAX_FDS		16

typedef struct aurae_error {
	int		 status;	/* errno value */
	char		 code[32];	/* "NOT_FOUND"..., or "" */
	char		 message[512];
	unsigned	 flags;		/* AURAE_ERR_* */
} aurae_error_t;

/* The command could not be executed (status holds its errno: ENOENT for
 * not found, EACCES for not executable). */
#define AURAE_ERR_EXEC	0x1

typedef struct aurae_client aurae_client_t;

/* A server message that is not the answer to a call: a notification. */
typedef void (*aurae_notify_fn)(const cJSON *message, void *userdata);

/* The address used when none is given: $AURAE_HOST, else the default
 * socket path.  Never NULL. */
const char	*aurae_default_address(void);

/* Connect.  address is a socket path, "unix:PATH", or NULL for
 * aurae_default_address().  Later transports ("ssh://...") plug in by
 * scheme.  On success *out owns the connection. */
int	aurae_connect(const char *address, aurae_client_t **out,
	    aurae_error_t *err);
/* Close and free; NULL is allowed. */
void	aurae_client_free(aurae_client_t *);

/* Call method with params (an object or NULL) and wait for the answer.
 * On success *result holds the result (may be a JSON null).  A JSON-RPC
 * error answer is a failure with the server's code and message.
 * Notifications that arrive meanwhile go to the notify callback. */
int	aurae_call(aurae_client_t *, const char *method, const cJSON *params,
	    cJSON **result, aurae_error_t *err);
/* As aurae_call, sending nsend descriptors with the request (its params
 * get "fds": nsend) and receiving up to maxrecv descriptors that come
 * with the answer (*nrecv says how many).  Needs a transport that passes
 * descriptors (local sockets). */
int	aurae_call_fds(aurae_client_t *, const char *method,
	    const cJSON *params, const int *send_fds, size_t nsend,
	    cJSON **result, int *recv_fds, size_t maxrecv, size_t *nrecv,
	    aurae_error_t *err);

/* aurae_call_fds in two halves, for a call whose descriptors carry a
 * stream the caller must feed or drain before the answer can come (a
 * file copy): aurae_start() sends the request with nsend descriptors and
 * returns at once with its id; aurae_finish() waits for the answer to id
 * (answers to other requests that arrive meanwhile are kept for their own
 * aurae_finish(), notifications go to the notify callback).  Several
 * calls may be in flight on one connection. */
int	aurae_start(aurae_client_t *, const char *method, const cJSON *params,
	    const int *send_fds, size_t nsend, long long *id,
	    aurae_error_t *err);
int	aurae_finish(aurae_client_t *, long long id, cJSON **result,
	    int *recv_fds, size_t maxrecv, size_t *nrecv, aurae_error_t *err);

/* Send a request without waiting; *id receives its id.  Pair with
 * aurae_recv() to pipeline. */
int	aurae_send(aurae_client_t *, const char *method, const cJSON *params,
	    long long *id, aurae_error_t *err);
/* Wait up to timeout_ms (-1: forever) for the next message of any kind.
 * Returns 1 with *message set (caller frees), 0 on timeout, or negative
 * (EOF is a failure with status ECONNRESET). */
int	aurae_recv(aurae_client_t *, cJSON **message, int timeout_ms,
	    aurae_error_t *err);

/* Where notifications go while a call waits (NULL: they are dropped). */
void	aurae_set_notify(aurae_client_t *, aurae_notify_fn, void *userdata);
/* Subscribe: call method (e.g. "events.subscribe"), then deliver every
 * following notification to fn until the server ends the stream (closes
 * the connection), which returns 0; a failure returns -1.  To stop
 * earlier, poll aurae_client_fd() and use aurae_recv() instead. */
int	aurae_subscribe(aurae_client_t *, const char *method,
	    const cJSON *params, aurae_notify_fn fn, void *userdata,
	    aurae_error_t *err);

/* Descriptor passing on the connection itself. */
int	aurae_send_fds(aurae_client_t *, const int *fds, size_t n,
	    aurae_error_t *err);

/* Raw line access, for bridges (aer dial-stdio) and tests: write bytes
 * exactly as given / read whatever arrives. */
int	aurae_write_raw(aurae_client_t *, const void *, size_t,
	    aurae_error_t *err);
long	aurae_read_raw(aurae_client_t *, void *, size_t, aurae_error_t *err);
/* Tell the server no more requests follow (half-close); answers still
 * arrive. */
int	aurae_close_write(aurae_client_t *, aurae_error_t *err);

/* The descriptor to poll for readability, or -1. */
int	aurae_client_fd(const aurae_client_t *);
/* Does the transport pass descriptors? */
int	aurae_client_can_pass_fds(const aurae_client_t *);

/* Negotiate with aurae.hello; *result gets the server's answer (may be
 * NULL to discard it). */
int	aurae_hello(aurae_client_t *, const char *client_name,
	    cJSON **result, aurae_error_t *err);

/* Fill err (never NULL-safe helpers are internal); exported for tools
 * that report their own failures in the same shape. */
void	aurae_error_set(aurae_error_t *err, int status, const char *code,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#ifdef __cplusplus
}
#endif

#endif
