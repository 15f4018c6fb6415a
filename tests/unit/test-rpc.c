/* test-rpc.c - the JSON-RPC dispatcher and inline text mode, driven through
 * a detached peer (no socket: answers accumulate in the peer's wq). */
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/auraed.h"
#include "config.h"
#include "errcode.h"
#include "../../daemon/peer.h"
#include "../../daemon/rpc.h"
#include "tap.h"

/* auraed.c defines this in the daemon; the tests link without it. */
struct auraed_config cfg = {
	.max_line = 4096,
	.max_peer_buffer = 1024 * 1024,
	.max_conns_per_uid = 16,
	.aurae_gid = (gid_t)-1,
};

/* Everything the peer has queued, as a malloc'd string; the queue is
 * emptied. */
static char *
take_output(struct peer *p)
{
	size_t	 n = buf_used(&p->wq);
	char	*s = malloc(n + 1);

	if (n > 0)
		memcpy(s, buf_head(&p->wq), n);
	s[n] = '\0';
	buf_reset(&p->wq);
	return s;
}

/* Send one line (a newline is added) and return all output. */
static char *
text_out(struct peer *p, const char *line)
{
	peer_feed(p, line, strlen(line));
	peer_feed(p, "\n", 1);
	return take_output(p);
}

/* Send one line and parse the answer, which must be exactly one line of
 * JSON; NULL when there is none or it is not. */
static cJSON *
json_out(struct peer *p, const char *line)
{
	char	*s = text_out(p, line);
	size_t	 n = strlen(s);
	cJSON	*j = NULL;

	if (n > 0 && s[n - 1] == '\n' && memchr(s, '\n', n - 1) == NULL)
		j = cJSON_Parse(s);
	free(s);
	return j;
}

/* s with newlines and tabs shown as '|', for a test name (static). */
static const char *
oneline(const char *s)
{
	static char	 b[256];
	size_t		 i;

	for (i = 0; s[i] != '\0' && i < sizeof b - 1; i++)
		b[i] = (s[i] == '\n' || s[i] == '\t') ? '|' : s[i];
	b[i] = '\0';
	return b;
}

/* Member lookup through a dotted path ("error.data.code"). */
static const cJSON *
path(const cJSON *j, const char *dotted)
{
	char	 buf[128], *part, *save = NULL;

	snprintf(buf, sizeof buf, "%s", dotted);
	for (part = strtok_r(buf, ".", &save); part != NULL && j != NULL;
	    part = strtok_r(NULL, ".", &save))
		j = cJSON_GetObjectItemCaseSensitive(j, part);
	return j;
}

/* The string at a path, or NULL. */
static const char *
pstr(const cJSON *j, const char *dotted)
{
	const cJSON	*v = path(j, dotted);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The number at a path, or -1 when absent. */
static double
pnum(const cJSON *j, const char *dotted)
{
	const cJSON	*v = path(j, dotted);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* Check one error answer: 2.0, numeric code, string code, a message, and
 * an id of null (id_null) or present. */
static void
check_error(const cJSON *a, int rpc, const char *code, int id_null,
    const char *name)
{
	if (!ok(a != NULL, "%s: one JSON answer", name)) {
		ok(0, "%s: (no answer to check)", name);
		ok(0, "%s: (no answer to check)", name);
		ok(0, "%s: (no answer to check)", name);
		return;
	}
	ok(pstr(a, "jsonrpc") && strcmp(pstr(a, "jsonrpc"), "2.0") == 0 &&
	    path(a, "result") == NULL && pstr(a, "error.message") != NULL &&
	    *pstr(a, "error.message") != '\0',
	    "%s: a JSON-RPC 2.0 error with a message", name);
	ok(pnum(a, "error.code") == rpc && pstr(a, "error.data.code") &&
	    strcmp(pstr(a, "error.data.code"), code) == 0,
	    "%s: code %d %s (got %g %s)", name, rpc, code,
	    pnum(a, "error.code"), pstr(a, "error.data.code") ?
	    pstr(a, "error.data.code") : "(none)");
	if (id_null)
		ok(cJSON_IsNull(path(a, "id")), "%s: id is null", name);
	else
		ok(path(a, "id") != NULL && !cJSON_IsNull(path(a, "id")),
		    "%s: id is kept", name);
}

/* Valid requests and notifications. */
static void
test_valid(struct peer *p)
{
	cJSON	*a;
	char	*s;

	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":7,"
	    "\"method\":\"aurae.version\"}");
	ok(a != NULL, "aurae.version answers one JSON line");
	is_int(pnum(a, "id"), 7, "numeric id echoed");
	is_str(pstr(a, "jsonrpc"), "2.0", "jsonrpc 2.0");
	is_str(pstr(a, "result.server"), "auraed", "result.server");
	is_str(pstr(a, "result.version"), VERSION, "result.version");
	ok(path(a, "error") == NULL, "no error member");
	cJSON_Delete(a);

	a = json_out(p, "  {\"id\":\"abc\",\"method\":\"aurae.hello\","
	    "\"jsonrpc\":\"2.0\",\"params\":{\"protocol\":1,"
	    "\"client\":\"test\"}}  ");
	is_str(pstr(a, "id"), "abc", "string id echoed");
	is_int(pnum(a, "result.protocol"), AURAE_PROTOCOL_VERSION,
	    "hello: protocol");
	is_int(pnum(a, "result.limits.max_line"), cfg.max_line,
	    "hello: limits.max_line");
	cJSON_Delete(a);

	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":null,"
	    "\"method\":\"aurae.health\",\"params\":{}}");
	ok(a != NULL && cJSON_IsNull(path(a, "id")), "id null is answered");
	is_str(pstr(a, "result.status"), "SERVING", "health: SERVING");
	cJSON_Delete(a);

	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":1e3,"
	    "\"method\":\"aurae.version\"}\r");
	is_int(pnum(a, "id"), 1000, "CR LF line, exponent id");
	cJSON_Delete(a);

	s = text_out(p, "{\"jsonrpc\":\"2.0\",\"id\":9007199254740991,"
	    "\"method\":\"aurae.version\"}");
	ok(strstr(s, "\"id\":9007199254740991,") != NULL,
	    "id 2^53-1 keeps every digit (%s)", oneline(s));
	free(s);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":1e999,"
	    "\"method\":\"aurae.version\"}");
	ok(a != NULL, "an id that overflows a double: the answer is JSON");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":-1e999,"
	    "\"method\":\"no.such\"}");
	ok(a != NULL, "the same for an error answer");
	cJSON_Delete(a);

	s = text_out(p, "{\"jsonrpc\":\"2.0\",\"method\":\"aurae.version\"}");
	is_str(s, "", "notification: no output");
	free(s);
	s = text_out(p, "{\"jsonrpc\":\"2.0\",\"method\":\"no.such\"}");
	is_str(s, "", "notification of an unknown method: no output");
	free(s);
	s = text_out(p, "{\"jsonrpc\":\"2.0\",\"method\":\"aurae.hello\","
	    "\"params\":{\"bogus\":1}}");
	is_str(s, "", "failing notification: no output");
	free(s);
	s = text_out(p, "");
	is_str(s, "", "empty line: no output");
	free(s);
	s = text_out(p, " \t ");
	is_str(s, "", "blank line: no output");
	free(s);

	/* Two requests in one feed are answered in order. */
	s = text_out(p, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
	    "\"aurae.version\"}\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":"
	    "\"aurae.version\"}");
	ok(strncmp(s, "{\"jsonrpc\":\"2.0\",\"id\":1,", 24) == 0 &&
	    strstr(s, "}\n{\"jsonrpc\":\"2.0\",\"id\":2,") != NULL,
	    "two requests in one feed: two answers in order");
	free(s);
}

/* Malformed requests. */
static void
test_invalid(struct peer *p)
{
	cJSON	*a;
	char	*s;

	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
	check_error(a, JSONRPC_PARSE_ERROR, "PARSE_ERROR", 1, "truncated JSON");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"aurae.version\"} x");
	check_error(a, JSONRPC_PARSE_ERROR, "PARSE_ERROR", 1,
	    "trailing garbage after the object");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"aurae.version\"}{}");
	check_error(a, JSONRPC_PARSE_ERROR, "PARSE_ERROR", 1,
	    "two objects on one line");
	cJSON_Delete(a);
	a = json_out(p, "[");
	check_error(a, JSONRPC_PARSE_ERROR, "PARSE_ERROR", 1, "lone [");
	cJSON_Delete(a);

	s = text_out(p, "42");
	ok(strncmp(s, "ERR METHOD_NOT_FOUND ", 21) == 0 &&
	    strchr(s, '\n') == s + strlen(s) - 1,
	    "42 is a text command: ERR METHOD_NOT_FOUND line (%s)",
	    oneline(s));
	free(s);

	a = json_out(p, "{\"jsonrpc\":\"1.0\",\"id\":1,"
	    "\"method\":\"aurae.version\"}");
	check_error(a, JSONRPC_INVALID_REQUEST, "INVALID_REQUEST", 0,
	    "jsonrpc 1.0");
	is_int(pnum(a, "id"), 1, "jsonrpc 1.0: id 1 kept");
	cJSON_Delete(a);
	a = json_out(p, "{\"id\":1,\"method\":\"aurae.version\"}");
	check_error(a, JSONRPC_INVALID_REQUEST, "INVALID_REQUEST", 0,
	    "jsonrpc missing");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":2}");
	check_error(a, JSONRPC_INVALID_REQUEST, "INVALID_REQUEST", 0,
	    "method missing");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":5}");
	check_error(a, JSONRPC_INVALID_REQUEST, "INVALID_REQUEST", 0,
	    "method not a string");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":[1],"
	    "\"method\":\"aurae.version\"}");
	check_error(a, JSONRPC_INVALID_REQUEST, "INVALID_REQUEST", 1,
	    "id an array");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":{},"
	    "\"method\":\"aurae.version\"}");
	check_error(a, JSONRPC_INVALID_REQUEST, "INVALID_REQUEST", 1,
	    "id an object");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":4,"
	    "\"method\":\"aurae.version\",\"params\":\"x\"}");
	check_error(a, JSONRPC_INVALID_REQUEST, "INVALID_REQUEST", 0,
	    "params a string");
	cJSON_Delete(a);

	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":5,"
	    "\"method\":\"no.such\"}");
	check_error(a, JSONRPC_METHOD_NOT_FOUND, "METHOD_NOT_FOUND", 0,
	    "unknown method");
	ok(pstr(a, "error.message") && strstr(pstr(a, "error.message"),
	    "no.such"), "the message names the method");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":6,"
	    "\"method\":\"aurae.version\",\"params\":[1]}");
	check_error(a, JSONRPC_INVALID_PARAMS, "INVALID_ARGUMENT", 0,
	    "params an array");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":7,"
	    "\"method\":\"aurae.hello\",\"params\":{\"protocl\":1}}");
	check_error(a, JSONRPC_INVALID_PARAMS, "INVALID_ARGUMENT", 0,
	    "unknown parameter");
	ok(pstr(a, "error.message") && strstr(pstr(a, "error.message"),
	    "protocl"), "the message names the parameter");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":8,"
	    "\"method\":\"aurae.hello\",\"params\":{\"protocol\":\"x\"}}");
	check_error(a, JSONRPC_INVALID_PARAMS, "INVALID_ARGUMENT", 0,
	    "protocol a string");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":9,"
	    "\"method\":\"aurae.hello\",\"params\":{\"protocol\":1.5}}");
	check_error(a, JSONRPC_INVALID_PARAMS, "INVALID_ARGUMENT", 0,
	    "protocol not an integer");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":10,"
	    "\"method\":\"aurae.hello\",\"params\":{\"protocol\":1e300}}");
	check_error(a, JSONRPC_INVALID_PARAMS, "INVALID_ARGUMENT", 0,
	    "protocol out of range");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":11,"
	    "\"method\":\"aurae.version\",\"params\":{\"fds\":2}}");
	check_error(a, JSONRPC_INVALID_PARAMS, "INVALID_ARGUMENT", 0,
	    "fds 2 with none queued");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":12,"
	    "\"method\":\"aurae.version\",\"params\":{\"fds\":-1}}");
	check_error(a, JSONRPC_INVALID_PARAMS, "INVALID_ARGUMENT", 0,
	    "fds negative");
	cJSON_Delete(a);
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":13,"
	    "\"method\":\"aurae.version\",\"params\":{\"fds\":0}}");
	ok(a != NULL && path(a, "result") != NULL, "fds 0 is fine");
	cJSON_Delete(a);
}

/* Batches. */
static void
test_batch(struct peer *p)
{
	cJSON	*a;
	char	*s;

	a = json_out(p, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
	    "\"aurae.version\"},{\"jsonrpc\":\"2.0\",\"method\":"
	    "\"aurae.version\"},{\"jsonrpc\":\"2.0\",\"id\":\"b\",\"method\":"
	    "\"no.such\"}]");
	ok(cJSON_IsArray(a), "batch answer is an array");
	is_int(cJSON_GetArraySize(a), 2, "batch of 3 with a notification: "
	    "2 answers");
	is_int(pnum(cJSON_GetArrayItem(a, 0), "id"), 1, "first answer id 1");
	ok(path(cJSON_GetArrayItem(a, 0), "result") != NULL,
	    "first answer is a result");
	is_str(pstr(cJSON_GetArrayItem(a, 1), "id"), "b", "second answer id b");
	is_str(pstr(cJSON_GetArrayItem(a, 1), "error.data.code"),
	    "METHOD_NOT_FOUND", "second answer is METHOD_NOT_FOUND");
	cJSON_Delete(a);

	a = json_out(p, "[]");
	check_error(a, JSONRPC_INVALID_REQUEST, "INVALID_REQUEST", 1,
	    "empty batch");
	cJSON_Delete(a);

	a = json_out(p, "[1,\"x\"]");
	ok(cJSON_IsArray(a) && cJSON_GetArraySize(a) == 2,
	    "batch of non-objects: one answer each");
	check_error(cJSON_GetArrayItem(a, 0), JSONRPC_INVALID_REQUEST,
	    "INVALID_REQUEST", 1, "batch member 1");
	cJSON_Delete(a);

	s = text_out(p, "[{\"jsonrpc\":\"2.0\",\"method\":\"aurae.version\"},"
	    "{\"jsonrpc\":\"2.0\",\"method\":\"aurae.health\"}]");
	is_str(s, "", "batch of notifications only: no output");
	free(s);

	/* At most 1000 requests in a batch. */
	{
		char	 line[2 * 1001 + 2];
		int	 i;

		line[0] = '[';
		for (i = 0; i < 1001; i++) {
			line[1 + 2 * i] = '0';
			line[2 + 2 * i] = ',';
		}
		line[2 * 1001] = ']';
		line[2 * 1001 + 1] = '\0';
		a = json_out(p, line);
		check_error(a, JSONRPC_INVALID_REQUEST, "INVALID_REQUEST", 1,
		    "batch of 1001");
		cJSON_Delete(a);
		line[2 * 1000] = ']';
		line[2 * 1000 + 1] = '\0';
		a = json_out(p, line);
		is_int(cJSON_GetArraySize(a), 1000,
		    "batch of 1000: 1000 answers");
		cJSON_Delete(a);
	}
}

/* Descriptors queued on the peer: a request claims them with "fds", and
 * the call closes what its method did not take. */
static void
test_fds(struct peer *p)
{
	cJSON	*a;
	int	 fds[3], i;

	for (i = 0; i < 3; i++) {
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		p->fdq[p->nfdq++] = fds[i];
	}
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"aurae.version\",\"params\":{\"fds\":2}}");
	ok(a != NULL && path(a, "result") != NULL, "fds 2 with 3 queued");
	cJSON_Delete(a);
	is_int(p->nfdq, 1, "two descriptors claimed, one left");
	is_int(p->fdq[0], fds[2], "the oldest were claimed");
	ok(fcntl(fds[0], F_GETFD) < 0 && fcntl(fds[1], F_GETFD) < 0,
	    "the call closed the descriptors its method did not take");
	a = json_out(p, "{\"jsonrpc\":\"2.0\",\"id\":2,"
	    "\"method\":\"no.such\",\"params\":{\"fds\":1}}");
	check_error(a, JSONRPC_METHOD_NOT_FOUND, "METHOD_NOT_FOUND", 0,
	    "unknown method with fds");
	cJSON_Delete(a);
	ok(p->nfdq == 0 && fcntl(fds[2], F_GETFD) < 0,
	    "its descriptor is claimed and closed too");
}

/* Inline text mode. */
static void
test_text(struct peer *p)
{
	char	*s, want[256];

	s = text_out(p, "aurae.version");
	snprintf(want, sizeof want, "server\tauraed\nversion\t%s\n"
	    "protocol\t%d\nOK\n", VERSION, AURAE_PROTOCOL_VERSION);
	is_str(s, want, "aurae.version: rows then OK");
	free(s);

	s = text_out(p, "help");
	ok(strncmp(s, "# name\tsummary\n", 15) == 0, "help: a header row");
	ok(strstr(s, "\naurae.hello\t") != NULL &&
	    strstr(s, "\naurae.version\t") != NULL &&
	    strstr(s, "\naurae.methods\t") != NULL, "help lists the methods");
	ok(strlen(s) >= 3 && strcmp(s + strlen(s) - 3, "OK\n") == 0,
	    "help ends with OK");
	free(s);

	s = text_out(p, "aurae.hello protocol=abc");
	ok(strncmp(s, "ERR INVALID_ARGUMENT ", 21) == 0 &&
	    strstr(s, "protocol") != NULL && strchr(s, '\n') == s +
	    strlen(s) - 1, "protocol=abc: one ERR INVALID_ARGUMENT line (%s)",
	    oneline(s));
	free(s);

	s = text_out(p, "aurae.hello client=\"abc");
	ok(strncmp(s, "ERR INVALID_ARGUMENT ", 21) == 0 &&
	    strstr(s, "quote") != NULL, "unterminated quote: ERR (%s)",
	    oneline(s));
	free(s);

	s = text_out(p, "no.such x=\"abc");
	ok(strncmp(s, "ERR METHOD_NOT_FOUND ", 21) == 0,
	    "unknown method with a bad argument: METHOD_NOT_FOUND first");
	free(s);

	s = text_out(p, "aurae.hello protocol:=1 client:=\"me\"");
	ok(strncmp(s, "protocol\t1\n", 11) == 0 &&
	    strcmp(s + strlen(s) - 3, "OK\n") == 0, "KEY:=JSON: accepted");
	free(s);

	s = text_out(p, "aurae.hello protocol:={");
	ok(strncmp(s, "ERR INVALID_ARGUMENT ", 21) == 0,
	    "KEY:=invalid JSON: ERR INVALID_ARGUMENT");
	free(s);

	s = text_out(p, "aurae.hello bogus=1");
	ok(strncmp(s, "ERR INVALID_ARGUMENT unknown parameter 'bogus'", 46)
	    == 0, "unknown parameter in text mode (%s)", oneline(s));
	free(s);

	s = text_out(p, "aurae.version fds=1");
	ok(strncmp(s, "ERR INVALID_ARGUMENT ", 21) == 0,
	    "text mode fds=1 with none queued: ERR");
	free(s);

	s = text_out(p, "\t aurae.version \r");
	ok(strncmp(s, "server\tauraed\n", 14) == 0,
	    "leading blanks and CR LF in text mode");
	free(s);
}

/* A line over the cap gets an error and the peer stops reading. */
static void
test_too_long(void)
{
	struct peer	*p;
	char		*big, *s;
	cJSON		*a;

	p = peer_create_detached();
	peer_ref(p);
	big = malloc(cfg.max_line + 2);
	memset(big, 'x', cfg.max_line + 1);
	big[cfg.max_line + 1] = '\0';
	peer_feed(p, big, cfg.max_line + 1);
	s = take_output(p);
	a = cJSON_Parse(s);
	check_error(a, JSONRPC_SERVER_ERROR, "RESOURCE_EXHAUSTED", 1,
	    "line over the cap");
	ok(p->closing, "the peer closes after the error");
	cJSON_Delete(a);
	free(s);
	s = text_out(p, "aurae.version");
	is_str(s, "", "nothing more is answered");
	free(s);
	free(big);
	peer_close(p);
	ok(p->dead, "closed");
	peer_unref(p);

	/* Exactly at the cap is fine. */
	p = peer_create_detached();
	big = malloc(cfg.max_line + 1);
	memset(big, ' ', cfg.max_line);
	memcpy(big + cfg.max_line - 13, "aurae.version", 13);
	big[cfg.max_line] = '\0';
	s = text_out(p, big);
	ok(strncmp(s, "server\tauraed\n", 14) == 0,
	    "a line of exactly max_line bytes is served");
	free(s);
	free(big);
	peer_close(p);
}

/* Run every group on fresh peers. */
int
main(void)
{
	struct peer	*p;

	p = peer_create_detached();
	ok(p != NULL && p->detached, "detached peer created");
	is_int(peer_count(), 0, "detached peers are not counted");
	test_valid(p);
	test_invalid(p);
	test_batch(p);
	test_text(p);
	test_fds(p);
	peer_close(p);
	test_too_long();
	ok(LIST_EMPTY(&peers), "every peer is gone");
	return done_testing();
}
