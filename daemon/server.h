/* server.h - the listening socket: creation, liveness check of an older
 * socket, access control and accept. */
#ifndef AURAED_SERVER_H
#define AURAED_SERVER_H

#include <sys/types.h>

/* Bind and listen on path.  Refuses (returns -1 with a logged reason) when
 * a live daemon answers there or the path is not a socket; replaces a
 * stale socket.  The directory is created 0750 root:group and the socket
 * made 0660 root:group, or 0600 when gid is (gid_t)-1. */
int	server_listen(const char *path, gid_t gid);
/* Stop accepting and remove the socket file. */
void	server_close(void);
/* Is the connecting peer allowed: root, or a member of gid (primary or
 * supplementary, as reported by SO_PEERCRED and SO_PEERGROUPS)? */
int	server_peer_allowed(int fd, uid_t *, gid_t *, pid_t *, gid_t gid);

#endif
