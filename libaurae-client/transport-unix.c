/* transport-unix.c - the local Unix-socket transport, with SCM_RIGHTS. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fdpass.h"
#include "transport.h"

struct unix_transport {
	struct aurae_transport	 base;
	int			 fd;
};

/* Connect to the socket at path. */
static int
unix_open(const char *path, struct aurae_transport **out, aurae_error_t *err)
{
	struct sockaddr_un	 sun;
	struct unix_transport	*u;
	int			 fd, e;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (*path == '\0' || strlen(path) >= sizeof sun.sun_path) {
		aurae_error_set(err, EINVAL, "INVALID_ARGUMENT",
		    "invalid socket path '%s'", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		aurae_error_set(err, errno, "", "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		e = errno;
		close(fd);
		aurae_error_set(err, e, e == EACCES ? "PERMISSION_DENIED" :
		    "UNAVAILABLE", "cannot connect to %s: %s%s", path,
		    strerror(e), e == ENOENT || e == ECONNREFUSED ?
		    " (is auraed running?)" : e == EACCES ?
		    " (are you root or in group aurae?)" : "");
		return -1;
	}
	if ((u = calloc(1, sizeof *u)) == NULL) {
		close(fd);
		aurae_error_set(err, ENOMEM, "", "out of memory");
		return -1;
	}
	u->base.ops = &aurae_transport_unix;
	u->fd = fd;
	*out = &u->base;
	return 0;
}

/* Write everything, the descriptors going with the first chunk. */
static int
unix_send(struct aurae_transport *t, const void *p, size_t n, const int *fds,
    size_t nfds)
{
	struct unix_transport	*u = (struct unix_transport *)t;
	const char		*s = p;
	ssize_t			 r;

	while (n > 0) {
		r = fdpass_send(u->fd, s, n, fds, nfds);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		fds = NULL;
		nfds = 0;
		s += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Read what is there, collecting descriptors. */
static long
unix_recv(struct aurae_transport *t, void *p, size_t n, int *fds,
    size_t maxfds, size_t *nfds)
{
	struct unix_transport	*u = (struct unix_transport *)t;
	ssize_t			 r;

	do
		r = fdpass_recv(u->fd, p, n, fds, maxfds, nfds);
	while (r < 0 && errno == EINTR);
	return (long)r;
}

/* Shut down the sending side. */
static int
unix_close_write(struct aurae_transport *t)
{
	return shutdown(((struct unix_transport *)t)->fd, SHUT_WR);
}

/* The socket. */
static int
unix_pollfd(struct aurae_transport *t)
{
	return ((struct unix_transport *)t)->fd;
}

/* Close and free. */
static void
unix_close(struct aurae_transport *t)
{
	struct unix_transport	*u = (struct unix_transport *)t;

	close(u->fd);
	free(u);
}

const struct aurae_transport_ops aurae_transport_unix = {
	.scheme = "unix",
	.can_pass_fds = 1,
	.open = unix_open,
	.send = unix_send,
	.recv = unix_recv,
	.close_write = unix_close_write,
	.pollfd = unix_pollfd,
	.close = unix_close,
};
