/* client.c - connections, calls, notifications and descriptors. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "address.h"
#include "errcode.h"
#include "linereader.h"
#include "transport.h"

#include "aurae/client.h"

/* Largest answer accepted: long listings must fit. */
#define CLIENT_MAX_LINE		(256u * 1024 * 1024)
#define CLIENT_READ_CHUNK	65536
#define CLIENT_MAX_FDQ		64
#define CLIENT_MAX_STASH	4096

struct aurae_client {
	struct aurae_transport	*t;
	struct linereader	 rd;
	int			 fdq[CLIENT_MAX_FDQ];
	size_t			 nfdq;
	long long		 next_id;
	aurae_notify_fn		 notify;
	void			*notify_ud;
	cJSON			*stash;	/* answers read while waiting for
					 * another one */
};

/* Connect; see client.h. */
int
aurae_connect(const char *address, aurae_client_t **out, aurae_error_t *err)
{
	const struct aurae_transport_ops	*ops;
	const char				*rest;
	aurae_client_t				*c;

	if (address == NULL)
		address = aurae_default_address();
	if ((ops = address_transport(address, &rest, err)) == NULL)
		return -1;
	if ((c = calloc(1, sizeof *c)) == NULL) {
		aurae_error_set(err, ENOMEM, "", "out of memory");
		return -1;
	}
	if (ops->open(rest, &c->t, err) < 0) {
		free(c);
		return -1;
	}
	linereader_init(&c->rd, CLIENT_MAX_LINE);
	c->next_id = 1;
	c->stash = cJSON_CreateArray();
	*out = c;
	return 0;
}

/* Close the connection and every descriptor not handed out. */
void
aurae_client_free(aurae_client_t *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nfdq; i++)
		close(c->fdq[i]);
	c->t->ops->close(c->t);
	linereader_free(&c->rd);
	cJSON_Delete(c->stash);
	free(c);
}

/* Transport descriptor for poll(). */
int
aurae_client_fd(const aurae_client_t *c)
{
	return c->t->ops->pollfd(c->t);
}

/* Whether descriptors can be passed. */
int
aurae_client_can_pass_fds(const aurae_client_t *c)
{
	return c->t->ops->can_pass_fds;
}

/* Where notifications go. */
void
aurae_set_notify(aurae_client_t *c, aurae_notify_fn fn, void *ud)
{
	c->notify = fn;
	c->notify_ud = ud;
}

/* Write raw bytes. */
int
aurae_write_raw(aurae_client_t *c, const void *p, size_t n,
    aurae_error_t *err)
{
	if (c->t->ops->send(c->t, p, n, NULL, 0) < 0) {
		aurae_error_set(err, errno, "UNAVAILABLE", "write to auraed: "
		    "%s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Half-close the connection. */
int
aurae_close_write(aurae_client_t *c, aurae_error_t *err)
{
	if (c->t->ops->close_write(c->t) < 0) {
		aurae_error_set(err, errno, "UNAVAILABLE", "shutdown: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Read raw bytes: what is buffered first, then the transport. */
long
aurae_read_raw(aurae_client_t *c, void *p, size_t n, aurae_error_t *err)
{
	size_t	 have = linereader_pending(&c->rd), nfds = 0, i;
	int	 fds[AURAE_MAX_FDS];
	long	 r;

	if (have > 0) {
		if (have > n)
			have = n;
		memcpy(p, buf_head(&c->rd.in), have);
		buf_consume(&c->rd.in, have);
		c->rd.scanned = 0;
		return (long)have;
	}
	r = c->t->ops->recv(c->t, p, n, fds, AURAE_MAX_FDS, &nfds);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	if (r < 0)
		aurae_error_set(err, errno, "UNAVAILABLE", "read from auraed: "
		    "%s", strerror(errno));
	return r;
}

/* Send the descriptors with a single newline (a keep-alive the server
 * ignores), to be claimed by the next request. */
int
aurae_send_fds(aurae_client_t *c, const int *fds, size_t n,
    aurae_error_t *err)
{
	if (!c->t->ops->can_pass_fds) {
		aurae_error_set(err, EOPNOTSUPP, "UNIMPLEMENTED", "this "
		    "connection cannot pass descriptors");
		return -1;
	}
	if (n > AURAE_MAX_FDS) {
		aurae_error_set(err, EINVAL, "INVALID_ARGUMENT", "at most %d "
		    "descriptors per message", AURAE_MAX_FDS);
		return -1;
	}
	if (c->t->ops->send(c->t, "\n", 1, fds, n) < 0) {
		aurae_error_set(err, errno, "UNAVAILABLE", "write to auraed: "
		    "%s", strerror(errno));
		return -1;
	}
	return 0;
}

static int	read_message(aurae_client_t *, cJSON **, int, aurae_error_t *);
static void	answer_error(const cJSON *, aurae_error_t *);

/* A write failed with EPIPE or ECONNRESET: the server may have refused the
 * connection (permission, connection limit) and closed it before the
 * request went out.  Its reason, an error with id null, is waiting to be
 * read: report that.  Returns 0 when there is none. */
static int
refusal(aurae_client_t *c, aurae_error_t *err)
{
	cJSON		*msg;
	const cJSON	*e;
	int		 found = 0;

	if (read_message(c, &msg, 1000, NULL) != 1)
		return 0;
	e = cJSON_GetObjectItemCaseSensitive(msg, "error");
	if (e != NULL && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(msg,
	    "id"))) {
		answer_error(e, err);
		found = 1;
	}
	cJSON_Delete(msg);
	return found;
}

/* Serialise and write one request with optional descriptors. */
static int
send_request(aurae_client_t *c, const char *method, const cJSON *params,
    const int *fds, size_t nfds, long long *id, aurae_error_t *err)
{
	cJSON	*req, *p;
	char	*s;
	size_t	 n;
	int	 r;

	if (nfds > 0 && !c->t->ops->can_pass_fds) {
		aurae_error_set(err, EOPNOTSUPP, "UNIMPLEMENTED", "this "
		    "connection cannot pass descriptors");
		return -1;
	}
	if (nfds > AURAE_MAX_FDS) {
		aurae_error_set(err, EINVAL, "INVALID_ARGUMENT", "at most %d "
		    "descriptors per message", AURAE_MAX_FDS);
		return -1;
	}
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "jsonrpc", "2.0");
	*id = c->next_id++;
	cJSON_AddNumberToObject(req, "id", (double)*id);
	cJSON_AddStringToObject(req, "method", method);
	if (params != NULL || nfds > 0) {
		p = params ? cJSON_Duplicate(params, 1) : cJSON_CreateObject();
		if (p == NULL || !cJSON_IsObject(p)) {
			cJSON_Delete(p);
			cJSON_Delete(req);
			aurae_error_set(err, EINVAL, "INVALID_ARGUMENT",
			    "params must be a JSON object");
			return -1;
		}
		if (nfds > 0) {
			cJSON_DeleteItemFromObjectCaseSensitive(p, "fds");
			cJSON_AddNumberToObject(p, "fds", (double)nfds);
		}
		cJSON_AddItemToObject(req, "params", p);
	}
	s = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	if (s == NULL) {
		aurae_error_set(err, ENOMEM, "", "out of memory");
		return -1;
	}
	n = strlen(s);
	s[n] = '\n';
	r = c->t->ops->send(c->t, s, n + 1, fds, nfds);
	free(s);
	if (r < 0) {
		r = errno;
		if ((r == EPIPE || r == ECONNRESET) && refusal(c, err))
			return -1;
		aurae_error_set(err, r, "UNAVAILABLE", "write to auraed: "
		    "%s", strerror(r));
		return -1;
	}
	return 0;
}

/* Send without waiting. */
int
aurae_send(aurae_client_t *c, const char *method, const cJSON *params,
    long long *id, aurae_error_t *err)
{
	return send_request(c, method, params, NULL, 0, id, err);
}

/* Read the next line off the wire and parse it.  1 with *msg, 0 on
 * timeout, -1 on error. */
static int
read_message(aurae_client_t *c, cJSON **msg, int timeout_ms,
    aurae_error_t *err)
{
	struct pollfd	 pfd;
	char		*line, *t;
	size_t		 len, nfds, i;
	int		 fds[AURAE_MAX_FDS], r;
	long		 n;

	for (;;) {
		r = linereader_next(&c->rd, &line, &len);
		if (r == LINE_TOO_LONG) {
			aurae_error_set(err, EMSGSIZE, "RESOURCE_EXHAUSTED",
			    "answer from auraed exceeds %u bytes",
			    CLIENT_MAX_LINE);
			return -1;
		}
		if (r == LINE_READY) {
			if (len == 0)
				continue;
			if ((*msg = cJSON_ParseWithLength(line, len)) == NULL) {
				aurae_error_set(err, EPROTO, "PARSE_ERROR",
				    "auraed sent invalid JSON");
				return -1;
			}
			return 1;
		}
		if (timeout_ms >= 0) {
			pfd.fd = c->t->ops->pollfd(c->t);
			pfd.events = POLLIN;
			do
				r = poll(&pfd, 1, timeout_ms);
			while (r < 0 && errno == EINTR);
			if (r == 0)
				return 0;
		}
		if ((t = buf_reserve(&c->rd.in, CLIENT_READ_CHUNK)) == NULL) {
			aurae_error_set(err, ENOMEM, "", "out of memory");
			return -1;
		}
		n = c->t->ops->recv(c->t, t, CLIENT_READ_CHUNK, fds,
		    AURAE_MAX_FDS, &nfds);
		for (i = 0; i < nfds; i++) {
			if (c->nfdq < CLIENT_MAX_FDQ)
				c->fdq[c->nfdq++] = fds[i];
			else
				close(fds[i]);
		}
		if (n < 0) {
			aurae_error_set(err, errno, "UNAVAILABLE", "read from "
			    "auraed: %s", strerror(errno));
			return -1;
		}
		if (n == 0) {
			aurae_error_set(err, ECONNRESET, "UNAVAILABLE",
			    "auraed closed the connection");
			return -1;
		}
		buf_commit(&c->rd.in, (size_t)n);
	}
}

/* Next message, stashed answers first. */
int
aurae_recv(aurae_client_t *c, cJSON **msg, int timeout_ms,
    aurae_error_t *err)
{
	if (cJSON_GetArraySize(c->stash) > 0) {
		*msg = cJSON_DetachItemFromArray(c->stash, 0);
		return 1;
	}
	return read_message(c, msg, timeout_ms, err);
}

/* Turn an error answer into err. */
static void
answer_error(const cJSON *e, aurae_error_t *err)
{
	const cJSON	*msg, *data, *code, *en, *reason;
	const char	*name;

	msg = cJSON_GetObjectItemCaseSensitive(e, "message");
	data = cJSON_GetObjectItemCaseSensitive(e, "data");
	code = data ? cJSON_GetObjectItemCaseSensitive(data, "code") : NULL;
	en = data ? cJSON_GetObjectItemCaseSensitive(data, "errno") : NULL;
	reason = data ? cJSON_GetObjectItemCaseSensitive(data, "reason") :
	    NULL;
	name = cJSON_IsString(code) ? code->valuestring : "INTERNAL";
	aurae_error_set(err, cJSON_IsNumber(en) ? en->valueint :
	    aurae_errcode_errno(aurae_errcode_from_name(name)),
	    name, "%s", cJSON_IsString(msg) ? msg->valuestring :
	    "unknown error");
	if (err != NULL && cJSON_IsString(reason) &&
	    strcmp(reason->valuestring, "exec") == 0)
		err->flags |= AURAE_ERR_EXEC;
}

/* Does msg answer request id?  An answer with id null is a connection-level
 * error that answers whatever is waiting. */
static int
answers(const cJSON *msg, long long id)
{
	const cJSON	*mid = cJSON_GetObjectItemCaseSensitive(msg, "id");

	if (cJSON_GetObjectItemCaseSensitive(msg, "method") != NULL)
		return 0;
	if (cJSON_IsNull(mid))
		return 1;
	return cJSON_IsNumber(mid) && mid->valuedouble == (double)id;
}

/* Move n received descriptors to the caller. */
static size_t
take_fds(aurae_client_t *c, size_t want, int *out, size_t max)
{
	size_t	 n = want < c->nfdq ? want : c->nfdq, i, given = 0;

	for (i = 0; i < n; i++) {
		if (given < max)
			out[given++] = c->fdq[i];
		else
			close(c->fdq[i]);
	}
	memmove(c->fdq, c->fdq + n, (c->nfdq - n) * sizeof c->fdq[0]);
	c->nfdq -= n;
	return given;
}

/* Send a request with descriptors; see client.h. */
int
aurae_start(aurae_client_t *c, const char *method, const cJSON *params,
    const int *send_fds, size_t nsend, long long *id, aurae_error_t *err)
{
	return send_request(c, method, params, send_fds, nsend, id, err);
}

/* The stashed answer to id, detached, or NULL. */
static cJSON *
stashed_answer(aurae_client_t *c, long long id)
{
	cJSON	*m;
	int	 i = 0;

	cJSON_ArrayForEach(m, c->stash) {
		if (answers(m, id))
			return cJSON_DetachItemFromArray(c->stash, i);
		i++;
	}
	return NULL;
}

/* Wait for the answer to id; see client.h. */
int
aurae_finish(aurae_client_t *c, long long id, cJSON **result, int *recv_fds,
    size_t maxrecv, size_t *nrecv, aurae_error_t *err)
{
	cJSON		*msg, *res, *e;
	const cJSON	*nf;
	size_t		 got = 0;
	int		 r;

	if (nrecv)
		*nrecv = 0;
	while ((msg = stashed_answer(c, id)) == NULL) {
		r = read_message(c, &msg, -1, err);
		if (r < 0)
			return -1;
		if (answers(msg, id))
			break;
		if (cJSON_GetObjectItemCaseSensitive(msg, "method")) {
			if (c->notify)
				c->notify(msg, c->notify_ud);
			cJSON_Delete(msg);
		} else if (cJSON_GetArraySize(c->stash) < CLIENT_MAX_STASH)
			cJSON_AddItemToArray(c->stash, msg);
		else
			cJSON_Delete(msg);
	}
	if ((e = cJSON_GetObjectItemCaseSensitive(msg, "error")) != NULL) {
		answer_error(e, err);
		cJSON_Delete(msg);
		return -1;
	}
	res = cJSON_DetachItemFromObjectCaseSensitive(msg, "result");
	cJSON_Delete(msg);
	if (res == NULL)
		res = cJSON_CreateNull();
	nf = cJSON_IsObject(res) ? cJSON_GetObjectItemCaseSensitive(res,
	    "fds") : NULL;
	if (cJSON_IsNumber(nf) && nf->valuedouble > 0)
		got = take_fds(c, (size_t)nf->valuedouble, recv_fds,
		    recv_fds ? maxrecv : 0);
	if (nrecv)
		*nrecv = got;
	if (result)
		*result = res;
	else
		cJSON_Delete(res);
	return 0;
}

/* Call with descriptors; see client.h. */
int
aurae_call_fds(aurae_client_t *c, const char *method, const cJSON *params,
    const int *send_fds, size_t nsend, cJSON **result, int *recv_fds,
    size_t maxrecv, size_t *nrecv, aurae_error_t *err)
{
	long long	 id;

	if (nrecv)
		*nrecv = 0;
	if (aurae_start(c, method, params, send_fds, nsend, &id, err) < 0)
		return -1;
	return aurae_finish(c, id, result, recv_fds, maxrecv, nrecv, err);
}

/* Plain call. */
int
aurae_call(aurae_client_t *c, const char *method, const cJSON *params,
    cJSON **result, aurae_error_t *err)
{
	return aurae_call_fds(c, method, params, NULL, 0, result, NULL, 0,
	    NULL, err);
}

/* Subscribe and pump notifications until the stream ends. */
int
aurae_subscribe(aurae_client_t *c, const char *method, const cJSON *params,
    aurae_notify_fn fn, void *ud, aurae_error_t *err)
{
	aurae_notify_fn	 ofn = c->notify;
	void		*oud = c->notify_ud;
	aurae_error_t	 e;
	cJSON		*msg;
	int		 r;

	aurae_set_notify(c, fn, ud);
	r = aurae_call(c, method, params, NULL, err);
	aurae_set_notify(c, ofn, oud);
	if (r < 0)
		return -1;
	for (;;) {
		if (aurae_recv(c, &msg, -1, &e) < 0) {
			/* The server closing the stream is its clean end. */
			if (e.status == ECONNRESET)
				return 0;
			if (err != NULL)
				*err = e;
			return -1;
		}
		if (cJSON_GetObjectItemCaseSensitive(msg, "method"))
			fn(msg, ud);
		cJSON_Delete(msg);
	}
}

/* aurae.hello. */
int
aurae_hello(aurae_client_t *c, const char *client_name, cJSON **result,
    aurae_error_t *err)
{
	cJSON	*p;
	int	 r;

	p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "protocol", AURAE_PROTOCOL);
	if (client_name)
		cJSON_AddStringToObject(p, "client", client_name);
	r = aurae_call(c, "aurae.hello", p, result, err);
	cJSON_Delete(p);
	return r;
}
