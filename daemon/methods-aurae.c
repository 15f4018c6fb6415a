/* methods-aurae.c - aurae.hello, aurae.version, aurae.health and
 * aurae.methods: negotiation and introspection. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auraed.h"
#include "config.h"
#include "methods.h"
#include "peer.h"
#include "rpc.h"

/* What this daemon can do, for clients that negotiate. */
static const char *const features[] = {
	"inline-text",		/* text commands on the same socket */
	"batch",		/* JSON-RPC batches */
	"notifications",	/* server-to-client notifications */
	"fd-passing",		/* SCM_RIGHTS on local connections */
	NULL
};

/* The limits a client should respect. */
static cJSON *
limits_object(void)
{
	cJSON	*l = cJSON_CreateObject();

	cJSON_AddNumberToObject(l, "max_line", (double)cfg.max_line);
	cJSON_AddNumberToObject(l, "max_peer_buffer",
	    (double)cfg.max_peer_buffer);
	cJSON_AddNumberToObject(l, "max_conns_per_uid",
	    (double)cfg.max_conns_per_uid);
	cJSON_AddNumberToObject(l, "max_fds", FDPASS_MAX);
	return l;
}

/* aurae.hello {protocol?, client?}: agree on a protocol version.  The
 * server answers with the highest version it speaks that is not above the
 * client's; a client that never says hello gets version 1. */
static void
m_hello(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "protocol", "client",
	    "features", NULL };
	long long	 proto = AURAE_PROTOCOL_VERSION;
	const char	*client = NULL;
	cJSON		*r, *f;
	int		 i;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_int(c, params, "protocol", 0, 1, 1 << 30, &proto) < 0 ||
	    rpc_param_string(c, params, "client", 0, &client) < 0)
		return;
	if (proto > AURAE_PROTOCOL_VERSION)
		proto = AURAE_PROTOCOL_VERSION;
	r = cJSON_CreateObject();
	cJSON_AddNumberToObject(r, "protocol", (double)proto);
	cJSON_AddStringToObject(r, "server", "auraed");
	cJSON_AddStringToObject(r, "version", VERSION);
	f = cJSON_AddArrayToObject(r, "features");
	for (i = 0; features[i] != NULL; i++)
		cJSON_AddItemToArray(f, cJSON_CreateString(features[i]));
	cJSON_AddItemToObject(r, "limits", limits_object());
	rpc_reply(c, r);
}

/* aurae.version: the daemon's version and protocol. */
static void
m_version(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { NULL };
	cJSON	*r;

	if (rpc_params_only(c, params, keys) < 0)
		return;
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "server", "auraed");
	cJSON_AddStringToObject(r, "version", VERSION);
	cJSON_AddNumberToObject(r, "protocol", AURAE_PROTOCOL_VERSION);
	rpc_reply(c, r);
}

/* aurae.health: is the daemon serving, and a few vital numbers. */
static void
m_health(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { NULL };
	cJSON	*r;

	if (rpc_params_only(c, params, keys) < 0)
		return;
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "status", "SERVING");
	cJSON_AddNumberToObject(r, "pid", (double)getpid());
	cJSON_AddNumberToObject(r, "uptime",
	    (double)(time(NULL) - cfg.started));
	cJSON_AddNumberToObject(r, "connections", (double)peer_count());
	rpc_reply(c, r);
}

/* aurae.methods: every method with its one-line summary. */
static void
m_methods(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { NULL };
	const struct rpc_method	*m;
	size_t			 cur = 0;
	cJSON			*r, *arr, *o;

	if (rpc_params_only(c, params, keys) < 0)
		return;
	r = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(r, "methods");
	while ((m = methods_next(&cur)) != NULL) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", m->name);
		cJSON_AddStringToObject(o, "summary", m->summary);
		cJSON_AddItemToArray(arr, o);
	}
	rpc_reply(c, r);
}

const struct rpc_method methods_aurae[] = {
	{ "aurae.hello", m_hello, "negotiate the protocol version" },
	{ "aurae.version", m_version, "daemon version and protocol" },
	{ "aurae.health", m_health, "liveness and vital numbers" },
	{ "aurae.methods", m_methods, "list every method" },
	{ NULL, NULL, NULL }
};
