/* events.c - event subscribers and publication. */
#include "events.h"

#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include "methods.h"
#include "peer.h"
#include "rpc.h"

struct subscriber {
	struct peer		*peer;
	char			*filter;	/* type prefix, or NULL */
	LIST_ENTRY(subscriber)	 entry;
};

static LIST_HEAD(, subscriber) subscribers = LIST_HEAD_INITIALIZER(subscribers);

/* See events.h. */
void
events_emit(const char *type, cJSON *fields)
{
	struct subscriber	*s, *next;
	struct timespec		 ts;
	cJSON			*copy;

	clock_gettime(CLOCK_REALTIME, &ts);
	cJSON_AddStringToObject(fields, "type", type);
	cJSON_AddNumberToObject(fields, "time", (double)ts.tv_sec +
	    (double)(ts.tv_nsec / 1000000) / 1000.0);
	for (s = LIST_FIRST(&subscribers); s != NULL; s = next) {
		next = LIST_NEXT(s, entry);
		if (s->filter && strncmp(type, s->filter, strlen(s->filter)))
			continue;
		copy = cJSON_Duplicate(fields, 1);
		rpc_notify(s->peer, "events.event", copy);
	}
	cJSON_Delete(fields);
}

/* See events.h. */
void
events_peer_gone(struct peer *p)
{
	struct subscriber	*s, *next;

	for (s = LIST_FIRST(&subscribers); s != NULL; s = next) {
		next = LIST_NEXT(s, entry);
		if (s->peer != p)
			continue;
		LIST_REMOVE(s, entry);
		peer_idle(s->peer);
		peer_unref(s->peer);
		free(s->filter);
		free(s);
	}
}

/* events.subscribe {type?}: answer, then stream events.event
 * notifications on this connection until it closes. */
static void
m_subscribe(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "type", NULL };
	struct subscriber	*s;
	const char		*type = NULL;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_string(c, params, "type", 0, &type) < 0)
		return;
	if ((s = calloc(1, sizeof *s)) == NULL) {
		rpc_error(c, AE_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	s->peer = c->peer;
	peer_ref(s->peer);
	peer_busy(s->peer);
	s->filter = type ? strdup(type) : NULL;
	LIST_INSERT_HEAD(&subscribers, s, entry);
	rpc_reply(c, cJSON_CreateTrue());
}

const struct rpc_method methods_events[] = {
	{ "events.subscribe", m_subscribe, "stream events as notifications" },
	{ NULL, NULL, NULL }
};
