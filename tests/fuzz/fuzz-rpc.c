/* fuzz-rpc.c - libFuzzer target for the request path of the daemon: line
 * framing, JSON-RPC validation and dispatch, batches, the inline text
 * grammar, descriptor claims and the rendering of answers.
 *
 * Each input goes to a fresh detached peer in two feeds split at a point
 * derived from the data (to exercise framing across reads), then a newline
 * as at EOF; then the peer is closed and the calls held for a late answer
 * are answered.  ASan's leak check holds every path to freeing what it
 * allocates, and every descriptor handed to the peer must be closed.
 *
 * The method table is this file's own (it replaces daemon/methods.o, which
 * the linker then leaves out of the archive): the aurae.* methods, which
 * have no side effects, and fuzz.* methods that exercise the dispatcher's
 * other paths.  Methods that create cgroups or start processes must never
 * run under a fuzzer on the host. */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../daemon/auraed.h"
#include "../../daemon/methods.h"
#include "../../daemon/peer.h"
#include "../../daemon/rpc.h"

/* auraed.c defines this in the daemon; a small max_line reaches the
 * too-long path with small inputs. */
struct auraed_config cfg = {
	.max_line = 2048,
	.max_peer_buffer = 16 * 1024 * 1024,
	.max_conns_per_uid = 16,
	.aurae_gid = (gid_t)-1,
};

#define MAX_LATER	32

static struct rpc_call	*later[MAX_LATER];	/* answered after close */
static size_t		 nlater;

/* fuzz.echo: answer with the params (any JSON, rendered in text mode). */
static void
m_echo(struct rpc_call *c, const cJSON *params)
{
	rpc_reply(c, cJSON_Duplicate(params, 1));
}

/* fuzz.params {i?, b?, s?}: the parameter helpers. */
static void
m_params(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "i", "b", "s", NULL };
	long long	 i = 0;
	int		 b = 0;
	const char	*s = "";
	cJSON		*r;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_int(c, params, "i", 0, -5, 1LL << 40, &i) < 0 ||
	    rpc_param_bool(c, params, "b", 0, &b) < 0 ||
	    rpc_param_string(c, params, "s", b, &s) < 0)
		return;
	r = cJSON_CreateObject();
	cJSON_AddNumberToObject(r, "i", (double)i);
	cJSON_AddBoolToObject(r, "b", b);
	cJSON_AddStringToObject(r, "s", s);
	rpc_reply(c, r);
}

/* fuzz.fds {fds}: hand the claimed descriptors back with the answer. */
static void
m_fds(struct rpc_call *c, const cJSON *params)
{
	int	 fds[FDPASS_MAX], fd;
	size_t	 n = 0, i;

	(void)params;
	for (i = 0; i < c->nfds; i++)
		if ((fd = rpc_call_take_fd(c, i)) >= 0)
			fds[n++] = fd;
	rpc_reply_fds(c, cJSON_CreateObject(), fds, n);
}

/* fuzz.later: keep the call; it is answered after the peer has gone. */
static void
m_later(struct rpc_call *c, const cJSON *params)
{
	(void)params;
	if (nlater == MAX_LATER) {
		rpc_error(c, AE_RESOURCE_EXHAUSTED, "too many held calls");
		return;
	}
	later[nlater++] = c;
}

static const struct rpc_method methods_fuzz[] = {
	{ "fuzz.echo", m_echo, "answer with the params" },
	{ "fuzz.params", m_params, "parameter helpers" },
	{ "fuzz.fds", m_fds, "return the claimed descriptors" },
	{ "fuzz.later", m_later, "answer after the peer closed" },
	{ NULL, NULL, NULL }
};

static const struct rpc_method *const tables[] = {
	methods_aurae,
	methods_fuzz,
};

#define NTABLES (sizeof tables / sizeof tables[0])

/* Look a method up by name (replaces daemon/methods.c). */
const struct rpc_method *
methods_find(const char *name)
{
	const struct rpc_method	*m;
	size_t			 i;

	for (i = 0; i < NTABLES; i++)
		for (m = tables[i]; m->name != NULL; m++)
			if (strcmp(m->name, name) == 0)
				return m;
	return NULL;
}

/* Walk every method (replaces daemon/methods.c). */
const struct rpc_method *
methods_next(size_t *cursor)
{
	size_t	 t = *cursor >> 16, e = *cursor & 0xffff;

	while (t < NTABLES) {
		if (tables[t][e].name != NULL) {
			*cursor = (t << 16) | (e + 1);
			return &tables[t][e];
		}
		t++;
		e = 0;
	}
	*cursor = t << 16;
	return NULL;
}

/* Is every request line of the input JSON (first byte after blanks '{'
 * or '['), blank lines aside?  Then every answer line must be JSON too. */
static int
all_json_lines(const uint8_t *data, size_t size)
{
	size_t	 i = 0, end, n;

	while (i < size) {
		for (end = i; end < size && data[end] != '\n'; end++)
			;
		n = end;
		if (n > i && data[n - 1] == '\r')
			n--;
		while (i < n && (data[i] == ' ' || data[i] == '\t'))
			i++;
		if (i < n && data[i] != '\0' && data[i] != '{' &&
		    data[i] != '[')
			return 0;
		i = end + 1;
	}
	return 1;
}

/* Abort unless every line of the peer's output parses as JSON. */
static void
check_json_output(struct peer *p)
{
	const char	*s = buf_head(&p->wq), *nl, *end;
	char		*line;
	cJSON		*j;

	if (buf_used(&p->wq) == 0)
		return;
	end = s + buf_used(&p->wq);
	for (; s < end; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			abort();	/* an answer without its newline */
		line = strndup(s, (size_t)(nl - s));
		j = cJSON_ParseWithOpts(line, NULL, 1);
		if (j == NULL)
			abort();	/* an answer that is not JSON */
		cJSON_Delete(j);
		free(line);
	}
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* One input: feed it to a new peer in two parts, close the peer, answer
 * the held calls, and check that every descriptor given was closed. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct peer	*p;
	size_t		 split, nfds, i;
	int		 fds[3];

	if ((p = peer_create_detached()) == NULL)
		return 0;
	peer_ref(p);	/* the peer may close itself; keep it for us */
	split = size > 0 ? ((size_t)data[0] * 257u + data[size - 1]) %
	    (size + 1) : 0;
	nfds = size > 1 ? data[1] % 4 : 0;
	for (i = 0; i < nfds; i++) {
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fds[i] >= 0)
			p->fdq[p->nfdq++] = fds[i];
	}
	peer_feed(p, (const char *)data, split);
	if (!p->dead)
		peer_feed(p, (const char *)data + split, size - split);
	if (!p->dead && linereader_pending(&p->rd) > 0)
		peer_feed(p, "\n", 1);	/* EOF: answer a last open line */
	if (all_json_lines(data, size))
		check_json_output(p);
	peer_close(p);
	while (nlater > 0)
		rpc_reply(later[--nlater], cJSON_CreateString("late"));
	peer_unref(p);
	for (i = 0; i < nfds; i++) {
		if (fds[i] < 0)
			continue;
		if (fcntl(fds[i], F_GETFD) >= 0)
			abort();	/* a descriptor leaked */
	}
	return 0;
}
