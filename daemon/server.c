/* server.c - listening socket and peer admission. */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "auraed.h"
#include "log.h"
#include "loop.h"
#include "peer.h"
#include "rpc.h"

static struct loop_watch	 lwatch = { .fd = -1 };
static char			*lpath;
static gid_t			 lgid;

/* Create the socket's directory (and parents) if missing.  Only a
 * directory we create gets our mode and group: an existing one is the
 * administrator's. */
static int
make_socket_dir(const char *path, gid_t gid)
{
	char	 dir[PATH_MAX], *slash;

	if (strlen(path) >= sizeof dir)
		return -1;
	strcpy(dir, path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0750) == 0) {
		if (chown(dir, 0, gid == (gid_t)-1 ? 0 : gid) < 0 ||
		    chmod(dir, gid == (gid_t)-1 ? 0700 : 0750) < 0)
			log_warn("%s: %s", dir, strerror(errno));
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	if (errno == ENOENT) {
		/* Parents first; they get plain 0755 like mkdir -p. */
		char	 parent[PATH_MAX], *p;

		strcpy(parent, dir);
		for (p = parent + 1; *p; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			if (mkdir(parent, 0755) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
		return make_socket_dir(path, gid);
	}
	return -1;
}

/* Probe an existing path: 1 when a daemon answers, 0 when it is a stale
 * socket (or absent), -1 when it is something else. */
static int
probe_existing(const char *path, const struct sockaddr_un *sun)
{
	struct stat	 st;
	int		 fd, r;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	r = connect(fd, (const struct sockaddr *)sun, sizeof *sun);
	close(fd);
	if (r == 0)
		return 1;
	if (errno == ECONNREFUSED) {
		log_info("removing stale socket %s", path);
		if (unlink(path) < 0 && errno != ENOENT)
			return -1;
		return 0;
	}
	return -1;
}

/* Answer a refused peer with one error line and close it. */
static void
refuse(int fd, const char *code, const char *msg)
{
	char	 line[512];
	int	 n;

	n = snprintf(line, sizeof line, "{\"jsonrpc\":\"2.0\",\"id\":null,"
	    "\"error\":{\"code\":-32000,\"message\":\"%s\",\"data\":"
	    "{\"code\":\"%s\"}}}\n", msg, code);
	if (n > 0 && (size_t)n < sizeof line)
		(void)send(fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
	close(fd);
}

/* Check SO_PEERCRED and SO_PEERGROUPS against gid.  The groups are read
 * into a small buffer first, and into one of the size the kernel asks
 * for only when they do not fit: NGROUPS_MAX of them on the stack would
 * be a 256 KiB frame, every page of it touched by the stack probes and
 * kept resident for the daemon's life. */
int
server_peer_allowed(int fd, uid_t *uid, gid_t *pgid, pid_t *pid, gid_t gid)
{
	struct ucred	 cr;
	socklen_t	 len = sizeof cr;
	gid_t		 few[64], *groups = few;
	socklen_t	 glen = sizeof few;
	size_t		 i;
	int		 ok = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return 0;
	*uid = cr.uid;
	*pgid = cr.gid;
	*pid = cr.pid;
	if (cr.uid == 0)
		return 1;
	if (gid == (gid_t)-1)
		return 0;
	if (cr.gid == gid)
		return 1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &glen) < 0) {
		/* ERANGE: glen is now the size needed. */
		if (errno != ERANGE || glen > NGROUPS_MAX * sizeof *groups ||
		    (groups = malloc(glen)) == NULL)
			return 0;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups,
		    &glen) < 0) {
			free(groups);
			return 0;
		}
	}
	for (i = 0; i < glen / sizeof groups[0]; i++)
		if (groups[i] == gid)
			ok = 1;
	if (groups != few)
		free(groups);
	return ok;
}

/* Accept every pending connection. */
static void
server_accept(struct loop_watch *w, uint32_t events)
{
	char	 msg[160];
	uid_t	 uid;
	gid_t	 gid;
	pid_t	 pid;
	int	 fd;

	for (;;) {
		fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN)
				log_warn("accept: %s", strerror(errno));
			return;
		}
		if (!server_peer_allowed(fd, &uid, &gid, &pid, lgid)) {
			log_warn("refused uid %u pid %d: not root and not in "
			    "the socket group", (unsigned)uid, (int)pid);
			snprintf(msg, sizeof msg, "permission denied: uid %u "
			    "is not root and not a member of group aurae",
			    (unsigned)uid);
			refuse(fd, "PERMISSION_DENIED", msg);
			continue;
		}
		if (peer_count_uid(uid) >= cfg.max_conns_per_uid) {
			log_warn("refused uid %u pid %d: %u connections",
			    (unsigned)uid, (int)pid, cfg.max_conns_per_uid);
			snprintf(msg, sizeof msg, "too many connections for "
			    "uid %u (limit %u)", (unsigned)uid,
			    cfg.max_conns_per_uid);
			refuse(fd, "RESOURCE_EXHAUSTED", msg);
			continue;
		}
		peer_create(fd, uid, gid, pid);
	}
}

/* See server.h. */
int
server_listen(const char *path, gid_t gid)
{
	struct sockaddr_un	 sun;
	mode_t			 old;
	int			 fd, r;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		log_error("socket path too long (at most %zu bytes): %s",
		    sizeof sun.sun_path - 1, path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if (make_socket_dir(path, gid) < 0) {
		log_error("cannot create the directory of %s: %s", path,
		    strerror(errno));
		return -1;
	}
	r = probe_existing(path, &sun);
	if (r == 1) {
		log_error("another auraed is already serving %s", path);
		return -1;
	}
	if (r < 0) {
		log_error("%s: %s", path, errno == EEXIST ?
		    "exists and is not a socket" : strerror(errno));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_error("socket: %s", strerror(errno));
		return -1;
	}
	/* The mode is right from the first instant: no window in which
	 * anyone could connect to a world-accessible socket. */
	old = umask(gid == (gid_t)-1 ? 0177 : 0117);
	r = bind(fd, (struct sockaddr *)&sun, sizeof sun);
	umask(old);
	if (r < 0) {
		log_error("bind %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (gid != (gid_t)-1 && chown(path, 0, gid) < 0)
		log_warn("chown %s: %s", path, strerror(errno));
	if (listen(fd, SOMAXCONN) < 0) {
		log_error("listen: %s", strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	lwatch.fd = fd;
	lwatch.events = EPOLLIN;
	lwatch.cb = server_accept;
	if (loop_add(&lwatch) < 0) {
		log_error("epoll: %s", strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	lpath = strdup(path);
	lgid = gid;
	return 0;
}

/* Stop listening and unlink the socket. */
void
server_close(void)
{
	if (lwatch.fd >= 0) {
		loop_del(&lwatch);
		close(lwatch.fd);
		lwatch.fd = -1;
	}
	if (lpath != NULL) {
		unlink(lpath);
		free(lpath);
		lpath = NULL;
	}
}
