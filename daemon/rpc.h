/* rpc.h - JSON-RPC 2.0 dispatch for the daemon.
 *
 * Every request line, JSON or inline text, becomes an rpc_call that is
 * handed to the method's handler.  A handler must answer each call exactly
 * once, now or later, with rpc_reply() or rpc_error(); both free the call.
 * A call answered later keeps its peer alive; if the peer has gone, the
 * answer is dropped.  Calls without an id (JSON-RPC notifications) are run
 * but their answer is not sent. */
#ifndef AURAED_RPC_H
#define AURAED_RPC_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "errcode.h"
#include "fdpass.h"

struct peer;
struct rpc_batch;

/* The id as its answer prints it; most fit in the call itself. */
#define RPC_ID_INLINE	32

struct rpc_call {
	struct peer		*peer;
	char			*id;		/* JSON text; NULL: no answer */
	char			 idbuf[RPC_ID_INLINE];
	int			 text;		/* inline text mode */
	struct rpc_batch	*batch;
	const char		*method;	/* the method table's name */
	int			 fds[FDPASS_MAX]; /* claimed with "fds": n */
	size_t			 nfds;
};

typedef void (*rpc_handler)(struct rpc_call *, const cJSON *params);

struct rpc_method {
	const char	*name;
	rpc_handler	 fn;
	const char	*summary;	/* one line, for aurae.methods */
};

/* Handle one request line (NUL-terminated, newline stripped). */
void	rpc_handle_line(struct peer *, char *line, size_t len);
/* Answer with result (consumed; NULL means null). */
void	rpc_reply(struct rpc_call *, cJSON *result);
/* Answer with result and pass nfds descriptors along; the result gets an
 * "fds" member with their count.  Takes ownership of the descriptors. */
void	rpc_reply_fds(struct rpc_call *, cJSON *result, const int *fds,
	    size_t nfds);
/* Answer with an error of the given code and a one-line message. */
void	rpc_error(struct rpc_call *, enum aurae_errcode, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* As rpc_error, with extra members (consumed) merged into error.data. */
void	rpc_error_data(struct rpc_call *, enum aurae_errcode, cJSON *data,
	    const char *, ...) __attribute__((format(printf, 4, 5)));
/* Send an error that belongs to no call (framing errors, limits). */
void	rpc_send_error(struct peer *, const cJSON *id, int text,
	    enum aurae_errcode, const char *, ...)
	    __attribute__((format(printf, 5, 6)));
/* Send a server notification {"method":..,"params":..}; params consumed. */
void	rpc_notify(struct peer *, const char *method, cJSON *params);
/* Take descriptor i of the call (-1 when out of range or taken). */
int	rpc_call_take_fd(struct rpc_call *, size_t i);
/* The peer is gone: areas drop subscriptions that name it. */
void	rpc_peer_gone(struct peer *);

/* Parameter helpers.  Each returns 0 with *out set (or left alone when the
 * key is absent and not required), or -1 after answering the call with
 * INVALID_ARGUMENT; the handler then just returns. */
int	rpc_param_string(struct rpc_call *, const cJSON *params,
	    const char *key, int required, const char **out);
int	rpc_param_int(struct rpc_call *, const cJSON *params, const char *key,
	    int required, long long min, long long max, long long *out);
int	rpc_param_bool(struct rpc_call *, const cJSON *params,
	    const char *key, int required, int *out);
/* Refuse members not named in keys (NULL-terminated): catches typos. */
int	rpc_params_only(struct rpc_call *, const cJSON *params,
	    const char *const *keys);

/* methods.c: the table of every method. */
const struct rpc_method	*methods_find(const char *);
/* Iterate: *cursor starts at 0; returns NULL at the end. */
const struct rpc_method	*methods_next(size_t *cursor);

#endif
