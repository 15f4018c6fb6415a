/* rpc.c - JSON-RPC 2.0 request validation, dispatch and answers. */
#include "rpc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auraed.h"
#include "events.h"
#include "exe.h"
#include "logs.h"
#include "inline.h"
#include "jsonout.h"
#include "jsonscan.h"
#include "log.h"
#include "peer.h"

/* A JSON array of requests: the answers are collected and sent together
 * once every call in it has answered. */
struct rpc_batch {
	struct peer	*peer;
	cJSON		*answers;
	int		 pending;
};

#define RPC_MAX_BATCH	1000
#define RPC_METHOD_MAX	128	/* longer names take the general path */

/* The params of a request that has none (methods take them as const). */
static cJSON	 empty_params = { .type = cJSON_Object };

/* The scan may accept no more nesting than cJSON does. */
_Static_assert(JSONSCAN_MAX_DEPTH <= CJSON_NESTING_LIMIT,
    "jsonscan nests deeper than cJSON");

/* Serialise msg as one line and queue it, with descriptors if any. */
static void
send_json(struct peer *p, cJSON *msg, const int *fds, size_t nfds)
{
	static struct buf	 out;	/* reused: the loop is single-threaded */
	size_t			 i;

	buf_reset(&out);
	if (json_append(&out, msg) < 0 || buf_append(&out, "\n", 1) < 0) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		log_error("out of memory serialising an answer");
		return;
	}
	peer_send(p, buf_head(&out), buf_used(&out), fds, nfds);
	/* A huge answer does not keep its memory for ever. */
	if (out.alloc > 1024 * 1024)
		buf_free(&out);
}

/* Queue {"jsonrpc":"2.0","id":ID,"result":RESULT} and its descriptors;
 * id is the id's JSON text. */
static void
send_answer(struct peer *p, const char *id, const cJSON *result,
    const int *fds, size_t nfds)
{
	static struct buf	 out;	/* reused: the loop is single-threaded */
	size_t			 i;

	buf_reset(&out);
	if (buf_append(&out, "{\"jsonrpc\":\"2.0\",\"id\":", 22) < 0 ||
	    buf_append(&out, id, strlen(id)) < 0 ||
	    buf_append(&out, ",\"result\":", 10) < 0 ||
	    json_append(&out, result) < 0 || buf_append(&out, "}\n", 2) < 0) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		log_error("out of memory serialising an answer");
		return;
	}
	peer_send(p, buf_head(&out), buf_used(&out), fds, nfds);
	if (out.alloc > 1024 * 1024)
		buf_free(&out);
}

/* Append the text an answer gives for a parsed request id (NULL: null).
 * json_append() prints numbers so that they read back exactly (whole
 * numbers in full, others with 17 digits); an id that is not finite
 * (1e999) has no JSON text: the answer gets id null.  0, or -1 when out
 * of memory. */
static int
id_text(struct buf *b, const cJSON *id)
{
	if (id == NULL || (cJSON_IsNumber(id) && !isfinite(id->valuedouble)))
		return buf_append(b, "null", 4);
	return json_append(b, id);
}

/* Build {"jsonrpc":"2.0","id":..,"error":{..}}; id is the id's JSON text
 * (NULL: null). */
static cJSON *
error_object(const char *id, enum aurae_errcode code, const char *msg)
{
	cJSON	*o, *e, *d;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "jsonrpc", "2.0");
	cJSON_AddItemToObject(o, "id", cJSON_CreateRaw(id ? id : "null"));
	e = cJSON_AddObjectToObject(o, "error");
	cJSON_AddNumberToObject(e, "code", aurae_errcode_rpc(code));
	cJSON_AddStringToObject(e, "message", msg);
	d = cJSON_AddObjectToObject(e, "data");
	cJSON_AddStringToObject(d, "code", aurae_errcode_name(code));
	return o;
}

/* Queue a text-mode error status line. */
static void
send_text_error(struct peer *p, enum aurae_errcode code, const char *msg)
{
	struct buf	 b = BUF_INIT;
	const char	*c;

	buf_printf(&b, "ERR %s ", aurae_errcode_name(code));
	for (c = msg; *c; c++)	/* keep it one line */
		buf_append(&b, (*c == '\n' || *c == '\t') ? " " : c, 1);
	buf_append(&b, "\n", 1);
	peer_send(p, buf_head(&b), buf_used(&b), NULL, 0);
	buf_free(&b);
}

/* Deliver one finished answer object for call c: into its batch, or on
 * the wire. */
static void
deliver(struct rpc_call *c, cJSON *answer, const int *fds, size_t nfds)
{
	struct rpc_batch	*b = c->batch;
	size_t			 i;

	if (b != NULL) {
		/* Descriptors cannot ride inside a batch answer. */
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		if (answer)
			cJSON_AddItemToArray(b->answers, answer);
		if (--b->pending == 0) {
			if (cJSON_GetArraySize(b->answers) > 0)
				send_json(b->peer, b->answers, NULL, 0);
			cJSON_Delete(b->answers);
			peer_unref(b->peer);
			free(b);
		}
		return;
	}
	if (answer) {
		send_json(c->peer, answer, fds, nfds);
		cJSON_Delete(answer);
	} else
		for (i = 0; i < nfds; i++)
			close(fds[i]);
}

/* Release a call and everything it still owns. */
static void
call_free(struct rpc_call *c)
{
	size_t	 i;

	for (i = 0; i < c->nfds; i++)
		if (c->fds[i] >= 0)
			close(c->fds[i]);
	if (c->id != c->idbuf)
		free(c->id);
	peer_idle(c->peer);
	peer_unref(c->peer);
	free(c);
}

/* Answer with a result, passing descriptors. */
void
rpc_reply_fds(struct rpc_call *c, cJSON *result, const int *fds, size_t nfds)
{
	struct buf	 b = BUF_INIT;
	cJSON		*o;
	size_t		 i;

	if (result == NULL)
		result = cJSON_CreateNull();
	if (nfds > 0 && c->batch != NULL) {
		/* A batch answer is one line: it cannot carry descriptors,
		 * so it must not announce any. */
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		fds = NULL;
		nfds = 0;
	}
	if (nfds > 0 && cJSON_IsObject(result))
		cJSON_AddNumberToObject(result, "fds", (double)nfds);
	if (c->text) {
		inline_format(&b, result);
		buf_append(&b, "OK\n", 3);
		peer_send(c->peer, buf_head(&b), buf_used(&b), fds, nfds);
		buf_free(&b);
		cJSON_Delete(result);
	} else if (c->id == NULL) {
		cJSON_Delete(result);
		deliver(c, NULL, fds, nfds);
	} else if (c->batch == NULL) {
		/* The common case, printed straight into the output buffer
		 * without building the envelope. */
		send_answer(c->peer, c->id, result, fds, nfds);
		cJSON_Delete(result);
	} else {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "jsonrpc", "2.0");
		cJSON_AddItemToObject(o, "id", cJSON_CreateRaw(c->id));
		cJSON_AddItemToObject(o, "result", result);
		deliver(c, o, fds, nfds);
	}
	call_free(c);
}

/* Answer with a result. */
void
rpc_reply(struct rpc_call *c, cJSON *result)
{
	rpc_reply_fds(c, result, NULL, 0);
}

/* Answer with an error, extra data merged into error.data. */
static void
error_v(struct rpc_call *c, enum aurae_errcode code, cJSON *data,
    const char *fmt, va_list ap)
{
	char	 msg[1024];
	cJSON	*o = NULL, *d, *m;

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (c->text)
		send_text_error(c->peer, code, msg);
	else if (c->id != NULL) {
		o = error_object(c->id, code, msg);
		d = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(o, "error"), "data");
		while (data != NULL && (m = data->child) != NULL)
			cJSON_AddItemToObject(d, m->string,
			    cJSON_DetachItemViaPointer(data, m));
		deliver(c, o, NULL, 0);
	} else
		deliver(c, NULL, NULL, 0);
	cJSON_Delete(data);
	call_free(c);
}

/* Answer with an error. */
void
rpc_error(struct rpc_call *c, enum aurae_errcode code, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	error_v(c, code, NULL, fmt, ap);
	va_end(ap);
}

/* Answer with an error and extra data. */
void
rpc_error_data(struct rpc_call *c, enum aurae_errcode code, cJSON *data,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	error_v(c, code, data, fmt, ap);
	va_end(ap);
}

/* Send an error that belongs to no call, b holding the JSON text of its
 * id (freed here). */
static void
send_error_id(struct peer *p, struct buf *b, enum aurae_errcode code,
    const char *msg)
{
	cJSON	*o;

	if (buf_append(b, "", 1) < 0) {
		log_error("out of memory answering an error");
		buf_free(b);
		return;
	}
	o = error_object(buf_head(b), code, msg);
	send_json(p, o, NULL, 0);
	cJSON_Delete(o);
	buf_free(b);
}

/* An error outside any call. */
void
rpc_send_error(struct peer *p, const cJSON *id, int text,
    enum aurae_errcode code, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	char		 msg[1024];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (text)
		send_text_error(p, code, msg);
	else if (id_text(&b, id) < 0) {
		log_error("out of memory answering an error");
		buf_free(&b);
	} else
		send_error_id(p, &b, code, msg);
}

/* Push a notification. */
void
rpc_notify(struct peer *p, const char *method, cJSON *params)
{
	cJSON	*o;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "jsonrpc", "2.0");
	cJSON_AddStringToObject(o, "method", method);
	cJSON_AddItemToObject(o, "params", params ? params :
	    cJSON_CreateObject());
	send_json(p, o, NULL, 0);
	cJSON_Delete(o);
}

/* Hand a claimed descriptor to the handler. */
int
rpc_call_take_fd(struct rpc_call *c, size_t i)
{
	int	 fd;

	if (i >= c->nfds)
		return -1;
	fd = c->fds[i];
	c->fds[i] = -1;
	return fd;
}

/* Areas with subscriptions drop the peer's. */
void
rpc_peer_gone(struct peer *p)
{
	events_peer_gone(p);
	logs_peer_gone(p);
	exe_peer_gone(p);
}

/* Create a call bound to a peer; id is the text its answer carries
 * (idlen bytes, not NUL-terminated), NULL for none. */
static struct rpc_call *
call_new(struct peer *p, const char *id, size_t idlen, int text,
    struct rpc_batch *b, const char *method)
{
	struct rpc_call	*c;

	if ((c = malloc(sizeof *c)) == NULL)
		return NULL;
	c->id = NULL;
	if (id != NULL) {
		if (idlen < sizeof c->idbuf)
			c->id = c->idbuf;
		else if ((c->id = malloc(idlen + 1)) == NULL) {
			free(c);
			return NULL;
		}
		memcpy(c->id, id, idlen);
		c->id[idlen] = '\0';
	}
	c->peer = p;
	peer_ref(p);
	peer_busy(p);
	c->nfds = 0;
	c->text = text;
	c->batch = b;
	c->method = method;	/* the request's; replaced by the table's */
	if (b)
		b->pending++;
	return c;
}

/* Claim the descriptors a request announces with params.fds. */
static int
claim_fds(struct rpc_call *c, const cJSON *params)
{
	const cJSON	*n;
	double		 v;

	n = params ? cJSON_GetObjectItemCaseSensitive(params, "fds") : NULL;
	if (n == NULL)
		return 0;
	if (!cJSON_IsNumber(n) || (v = n->valuedouble) < 0 ||
	    v > FDPASS_MAX || v != (double)(int)v) {
		rpc_error(c, AE_INVALID_ARGUMENT, "'fds' must be an integer "
		    "from 0 to %d", FDPASS_MAX);
		return -1;
	}
	if (peer_take_fds(c->peer, c->fds, (size_t)v) < 0) {
		rpc_error(c, AE_INVALID_ARGUMENT, "request announces %d "
		    "descriptors but %zu arrived", (int)v, c->peer->nfdq);
		return -1;
	}
	c->nfds = (size_t)v;
	return 0;
}

/* Run one method on a validated request; id is the text of its answer's
 * id (idlen bytes), NULL for a notification. */
static void
dispatch(struct peer *p, const char *id, size_t idlen, int text,
    struct rpc_batch *b, const char *method, const cJSON *params)
{
	const struct rpc_method	*m;
	struct rpc_call		*c;
	struct buf		 idt = BUF_INIT;

	if ((c = call_new(p, id, idlen, text, b, method)) == NULL) {
		if (text)
			send_text_error(p, AE_RESOURCE_EXHAUSTED,
			    "out of memory");
		else if (buf_append(&idt, id ? id : "null", id ? idlen : 4)
		    == 0)
			send_error_id(p, &idt, AE_RESOURCE_EXHAUSTED,
			    "out of memory");
		return;
	}
	if (claim_fds(c, params) < 0)
		return;
	if ((m = methods_find(method)) == NULL) {
		rpc_error(c, AE_METHOD_NOT_FOUND, "unknown method '%s'",
		    method);
		return;
	}
	log_debug("peer %llu: %s", (unsigned long long)p->id, method);
	c->method = m->name;	/* the request outlives no call; the table does */
	m->fn(c, params);
}

/* Answer a request that is not valid JSON-RPC with INVALID_REQUEST, id
 * being the text of the answer's id, through a call so that a batch
 * collects the answer. */
static void
invalid_request(struct peer *p, const char *id, size_t idlen,
    struct rpc_batch *b, const char *msg)
{
	struct rpc_call	*c;

	if ((c = call_new(p, id, idlen, 0, b, "")) != NULL)
		rpc_error(c, AE_INVALID_REQUEST, "%s", msg);
}

/* Validate one parsed JSON-RPC request object and dispatch it: the
 * general path, for batches and whatever the in-place reading of
 * rpc_handle_line() does not take. */
static void
handle_request(struct peer *p, const cJSON *req, struct rpc_batch *b)
{
	const cJSON	*id, *ver, *method, *params;
	struct rpc_call	*c;
	struct buf	 idt = BUF_INIT;
	const char	*msg;

	if (!cJSON_IsObject(req)) {
		invalid_request(p, "null", 4, b, "request must be a JSON "
		    "object");
		return;
	}
	id = cJSON_GetObjectItemCaseSensitive(req, "id");
	if (id != NULL && !cJSON_IsString(id) && !cJSON_IsNumber(id) &&
	    !cJSON_IsNull(id))
		id = NULL;	/* invalid: answered with id null below */
	if (id_text(&idt, id) < 0) {
		rpc_send_error(p, NULL, 0, AE_RESOURCE_EXHAUSTED,
		    "out of memory");
		buf_free(&idt);
		return;
	}
	ver = cJSON_GetObjectItemCaseSensitive(req, "jsonrpc");
	method = cJSON_GetObjectItemCaseSensitive(req, "method");
	params = cJSON_GetObjectItemCaseSensitive(req, "params");
	if (!cJSON_IsString(ver) || strcmp(ver->valuestring, "2.0") != 0 ||
	    !cJSON_IsString(method) || (params != NULL &&
	    !cJSON_IsObject(params) && !cJSON_IsArray(params)) ||
	    (cJSON_GetObjectItemCaseSensitive(req, "id") != NULL &&
	    id == NULL)) {
		if (!cJSON_IsString(ver) || strcmp(ver->valuestring, "2.0"))
			msg = "'jsonrpc' must be \"2.0\"";
		else if (method == NULL)
			msg = "'method' is missing";
		else if (!cJSON_IsString(method))
			msg = "'method' must be a string";
		else if (id == NULL && cJSON_GetObjectItemCaseSensitive(req,
		    "id") != NULL)
			msg = "'id' must be a string, a number or null";
		else
			msg = "'params' must be an object";
		invalid_request(p, buf_head(&idt), buf_used(&idt), b, msg);
	} else if (cJSON_IsArray(params)) {
		if ((c = call_new(p, id ? buf_head(&idt) : NULL,
		    buf_used(&idt), 0, b, method->valuestring)) != NULL)
			rpc_error(c, AE_INVALID_ARGUMENT, "positional params "
			    "are not supported; pass an object");
	} else {
		/* A request without "id" is a notification: run, do not
		 * answer. */
		dispatch(p, id ? buf_head(&idt) : NULL, buf_used(&idt), 0, b,
		    method->valuestring, params ? params : &empty_params);
	}
	buf_free(&idt);
}

/* Run every request of a batch, answering once all have answered. */
static void
handle_batch(struct peer *p, const cJSON *arr)
{
	struct rpc_batch	*b;
	const cJSON		*req;
	int			 n;

	n = cJSON_GetArraySize(arr);
	if (n == 0 || n > RPC_MAX_BATCH) {
		rpc_send_error(p, NULL, 0, AE_INVALID_REQUEST, n ? "a batch "
		    "holds at most %d requests" : "empty batch",
		    RPC_MAX_BATCH);
		return;
	}
	if ((b = calloc(1, sizeof *b)) == NULL) {
		rpc_send_error(p, NULL, 0, AE_RESOURCE_EXHAUSTED,
		    "out of memory");
		return;
	}
	b->peer = p;
	peer_ref(p);
	b->answers = cJSON_CreateArray();
	b->pending = 1;		/* held until every request is dispatched */
	cJSON_ArrayForEach(req, arr)
		handle_request(p, req, b);
	/* Release the hold through a dummy delivery. */
	{
		struct rpc_call dummy = { .batch = b };

		deliver(&dummy, NULL, NULL, 0);
	}
}

/* Does a request line hold a \u0000 escape?  cJSON would silently cut
 * the string short there, and every string the daemon takes is a C
 * string (a name, a path), so such a request is refused instead. */
static int
has_nul_escape(const char *s)
{
	const char	*b;

	for (b = strchr(s, '\\'); b != NULL; b = strchr(b + 2, '\\')) {
		if (strncmp(b + 1, "u0000", 5) == 0)
			return 1;
		if (b[1] == '\0')
			break;
	}
	return 0;
}

/* The members of a request's envelope, in the order given to the scan. */
enum { ENV_JSONRPC, ENV_ID, ENV_METHOD, ENV_PARAMS, ENV_N };

/* Does the answer carry this id as it was sent?  Yes for what id_text()
 * prints unchanged: null, a string without escapes, and a whole number of
 * at most 15 digits (exact as a double) other than -0. */
static int
id_verbatim(const struct jsonscan_span *v)
{
	size_t	 i = 0;

	switch (v->type) {
	case JSONSCAN_NULL:
		return 1;
	case JSONSCAN_STRING:
		return !v->escaped;
	case JSONSCAN_NUMBER:
		if (v->p[0] == '-')
			i++;
		if (v->len - i > 15 || (v->p[i] == '0' && i > 0))
			return 0;
		for (; i < v->len; i++)
			if (v->p[i] < '0' || v->p[i] > '9')
				return 0;
		return 1;
	default:
		return 0;
	}
}

/* Serve a request object s[0..n) read in place: one pass of jsonscan
 * finds the envelope's members, and only a non-empty params object goes
 * to cJSON.  This takes the requests that are valid and plain (no escapes
 * in the envelope, an id that needs no rewriting, params absent or an
 * object); it returns -1, having done nothing, for every other line, which
 * rpc_handle_line() then parses whole with cJSON, so that errors and odd
 * cases are answered exactly as they always were.  0 when served. */
static int
handle_inplace(struct peer *p, const char *s, size_t n)
{
	static const char *const names[ENV_N] = {
		"jsonrpc", "id", "method", "params"
	};
	struct jsonscan_span	 v[ENV_N];
	const struct jsonscan_span *ver = &v[ENV_JSONRPC], *id = &v[ENV_ID];
	const struct jsonscan_span *m = &v[ENV_METHOD], *pa = &v[ENV_PARAMS];
	const char		*end = NULL;
	char			 method[RPC_METHOD_MAX];
	cJSON			*params = NULL;
	unsigned		 flags;

	if (jsonscan_object(s, n, names, v, ENV_N, &flags) < 0 || flags != 0)
		return -1;	/* \u0000, or a key that must be decoded */
	if (ver->type != JSONSCAN_STRING || ver->len != 5 ||
	    memcmp(ver->p, "\"2.0\"", 5) != 0)
		return -1;
	if (m->type != JSONSCAN_STRING || m->escaped ||
	    m->len - 2 >= sizeof method)
		return -1;
	if (id->type != JSONSCAN_ABSENT && !id_verbatim(id))
		return -1;
	if (pa->type != JSONSCAN_ABSENT && pa->type != JSONSCAN_OBJECT)
		return -1;
	if (pa->type == JSONSCAN_OBJECT && !pa->empty) {
		params = cJSON_ParseWithLengthOpts(pa->p, pa->len, &end, 0);
		if (params == NULL || end != pa->p + pa->len) {
			cJSON_Delete(params);
			return -1;
		}
	}
	memcpy(method, m->p + 1, m->len - 2);
	method[m->len - 2] = '\0';
	/* Without "id" it is a notification: run, do not answer. */
	dispatch(p, id->p, id->len, 0, NULL, method,
	    params ? params : &empty_params);
	cJSON_Delete(params);
	return 0;
}

/* Entry point for every request line. */
void
rpc_handle_line(struct peer *p, char *line, size_t len)
{
	static const char nul_msg[] = "strings must not contain NUL (\\u0000)";
	const char	*parse_end = NULL;
	const cJSON	*id;
	cJSON		*req, *params = NULL;
	char		*s = line, *method = NULL, err[256];

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return;		/* blank lines are keep-alives */
	if (*s != '{' && *s != '[') {
		if (has_nul_escape(s)) {
			send_text_error(p, AE_INVALID_ARGUMENT, nul_msg);
			return;
		}
		if (textcmd_parse(s, &method, &params, err, sizeof err) < 0) {
			size_t	 w = strcspn(s, " \t");

			/* Name a wrong method before a wrong argument. */
			s[w] = '\0';
			if (methods_find(s) == NULL &&
			    strcmp(s, "help") != 0)
				rpc_send_error(p, NULL, 1, AE_METHOD_NOT_FOUND,
				    "unknown method '%.64s'", s);
			else
				send_text_error(p, AE_INVALID_ARGUMENT, err);
			return;
		}
		dispatch(p, NULL, 0, 1, NULL, method, params);
		free(method);
		cJSON_Delete(params);
		return;
	}
	if (*s == '{' && handle_inplace(p, s, len - (size_t)(s - line)) == 0)
		return;
	/* The length includes the NUL so that trailing garbage after the
	 * value is refused. */
	req = cJSON_ParseWithLengthOpts(s, len - (size_t)(s - line) + 1,
	    &parse_end, 1);
	if (req == NULL) {
		rpc_send_error(p, NULL, 0, AE_PARSE_ERROR, "invalid JSON "
		    "near byte %zu", parse_end ? (size_t)(parse_end - line) :
		    (size_t)0);
		return;
	}
	if (has_nul_escape(s)) {
		/* A notification gets no answer, as for any other error. */
		id = cJSON_IsObject(req) ?
		    cJSON_GetObjectItemCaseSensitive(req, "id") : NULL;
		if (!cJSON_IsObject(req) || id != NULL)
			rpc_send_error(p, cJSON_IsString(id) ||
			    cJSON_IsNumber(id) ? id : NULL, 0,
			    AE_INVALID_ARGUMENT, "%s", nul_msg);
		cJSON_Delete(req);
		return;
	}
	if (cJSON_IsArray(req))
		handle_batch(p, req);
	else
		handle_request(p, req, NULL);
	cJSON_Delete(req);
}

/* Answer INVALID_ARGUMENT for a parameter. */
static int
bad_param(struct rpc_call *c, const char *key, const char *want)
{
	rpc_error(c, AE_INVALID_ARGUMENT, "parameter '%s' must be %s", key,
	    want);
	return -1;
}

/* Fetch a string parameter. */
int
rpc_param_string(struct rpc_call *c, const cJSON *params, const char *key,
    int required, const char **out)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(params, key);

	if (v == NULL || cJSON_IsNull(v)) {
		if (required) {
			rpc_error(c, AE_INVALID_ARGUMENT, "parameter '%s' is "
			    "required", key);
			return -1;
		}
		return 0;
	}
	if (!cJSON_IsString(v))
		return bad_param(c, key, "a string");
	*out = v->valuestring;
	return 0;
}

/* Fetch an integer parameter within [min, max]. */
int
rpc_param_int(struct rpc_call *c, const cJSON *params, const char *key,
    int required, long long min, long long max, long long *out)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(params, key);
	char		 want[96];
	double		 d;

	if (v == NULL || cJSON_IsNull(v)) {
		if (required) {
			rpc_error(c, AE_INVALID_ARGUMENT, "parameter '%s' is "
			    "required", key);
			return -1;
		}
		return 0;
	}
	snprintf(want, sizeof want, "an integer from %lld to %lld", min, max);
	if (!cJSON_IsNumber(v))
		return bad_param(c, key, want);
	d = v->valuedouble;
	if (d != d || d < (double)min || d > (double)max ||
	    d != (double)(long long)d)
		return bad_param(c, key, want);
	*out = (long long)d;
	return 0;
}

/* Fetch a boolean parameter. */
int
rpc_param_bool(struct rpc_call *c, const cJSON *params, const char *key,
    int required, int *out)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(params, key);

	if (v == NULL || cJSON_IsNull(v)) {
		if (required) {
			rpc_error(c, AE_INVALID_ARGUMENT, "parameter '%s' is "
			    "required", key);
			return -1;
		}
		return 0;
	}
	if (!cJSON_IsBool(v))
		return bad_param(c, key, "true or false");
	*out = cJSON_IsTrue(v);
	return 0;
}

/* Reject unknown members ("fds" is always allowed). */
int
rpc_params_only(struct rpc_call *c, const cJSON *params,
    const char *const *keys)
{
	const cJSON		*m;
	const char *const	*k;

	cJSON_ArrayForEach(m, params) {
		if (strcmp(m->string, "fds") == 0)
			continue;
		for (k = keys; *k != NULL; k++)
			if (strcmp(*k, m->string) == 0)
				break;
		if (*k == NULL) {
			rpc_error(c, AE_INVALID_ARGUMENT, "unknown parameter "
			    "'%s' for %s", m->string, c->method);
			return -1;
		}
	}
	return 0;
}
