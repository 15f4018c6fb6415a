/* events.h - the node's event stream (events.subscribe).
 *
 * Subscribed peers get a notification {"method":"events.event","params":
 * {"type":..., "time":..., ...}} for every event: cell.created,
 * cell.removed, executable.started, executable.exited, cell.oom.  A
 * subscriber that stops reading is disconnected by the peer's buffer
 * limit, so a slow reader never grows the daemon. */
#ifndef AURAED_EVENTS_H
#define AURAED_EVENTS_H

#include <cjson/cJSON.h>

struct peer;

/* Publish an event; fields is consumed and gets "type" and "time". */
void	events_emit(const char *type, cJSON *fields);
/* Drop the subscriptions of a peer that has gone. */
void	events_peer_gone(struct peer *);


#endif
