/* echo-server.c - the baseline for bench/rpc.sh: a bare Unix-socket
 * server that answers every newline-terminated line with one fixed small
 * JSON line, and does nothing else.
 *
 * usage: echo-server SOCKET
 *
 * Single-threaded epoll with non-blocking sockets, like auraed, so the
 * difference the benchmark shows is the cost of auraed's framing, JSON
 * parsing, dispatch and answer building.  Input is never parsed: only
 * newlines are counted.  It runs until killed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* About the size of auraed's aurae.version answer. */
static const char reply[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":"
    "{\"server\":\"echo\",\"version\":\"0.0.0\",\"protocol\":1}}\n";
#define REPLY_LEN	(sizeof reply - 1)

struct conn {
	int	 fd;
	uint32_t events;	/* registered with epoll */
	char	*out;		/* answers not yet written */
	size_t	 outlen, outcap;
};

/* Append n replies to c's output. */
static int
queue_replies(struct conn *c, size_t n)
{
	size_t	 need = c->outlen + n * REPLY_LEN, i;
	char	*p;

	if (need > c->outcap) {
		size_t cap = c->outcap ? c->outcap : 4096;

		while (cap < need)
			cap *= 2;
		if ((p = realloc(c->out, cap)) == NULL)
			return -1;
		c->out = p;
		c->outcap = cap;
	}
	for (i = 0; i < n; i++) {
		memcpy(c->out + c->outlen, reply, REPLY_LEN);
		c->outlen += REPLY_LEN;
	}
	return 0;
}

/* Write what the socket takes.  -1 when the connection failed. */
static int
flush_out(struct conn *c)
{
	ssize_t	 n;
	size_t	 off = 0;

	while (off < c->outlen) {
		n = send(c->fd, c->out + off, c->outlen - off, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			return -1;
		}
		off += (size_t)n;
	}
	memmove(c->out, c->out + off, c->outlen - off);
	c->outlen -= off;
	return 0;
}

/* Close and free a connection. */
static void
conn_free(int ep, struct conn *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->out);
	free(c);
}

/* Read, answer each line, write. */
static void
conn_event(int ep, struct conn *c, uint32_t events)
{
	struct epoll_event	 ev;
	char			 b[65536], *p;
	ssize_t			 n;
	size_t			 lines;

	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		for (;;) {
			n = recv(c->fd, b, sizeof b, 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				break;
			if (n <= 0) {
				conn_free(ep, c);
				return;
			}
			lines = 0;
			for (p = b; (p = memchr(p, '\n', (size_t)(b + n - p)))
			    != NULL; p++)
				lines++;
			if (queue_replies(c, lines) < 0) {
				conn_free(ep, c);
				return;
			}
			if ((size_t)n < sizeof b)
				break;
		}
	}
	if (flush_out(c) < 0) {
		conn_free(ep, c);
		return;
	}
	ev.events = EPOLLIN | (c->outlen > 0 ? EPOLLOUT : 0);
	if (ev.events != c->events) {
		ev.data.ptr = c;
		epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
		c->events = ev.events;
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_un	 sun;
	struct epoll_event	 ev, evs[64];
	struct conn		*c;
	int			 lfd, ep, fd, n, i;

	if (argc != 2) {
		fprintf(stderr, "usage: echo-server SOCKET\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(argv[1]) >= sizeof sun.sun_path) {
		fprintf(stderr, "echo-server: socket path too long\n");
		return 1;
	}
	strcpy(sun.sun_path, argv[1]);
	unlink(argv[1]);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sun, sizeof sun) < 0 ||
	    listen(lfd, SOMAXCONN) < 0) {
		perror("echo-server");
		return 1;
	}
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		perror("echo-server: epoll");
		return 1;
	}
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;	/* the listener */
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	for (;;) {
		n = epoll_wait(ep, evs, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("echo-server: epoll_wait");
			return 1;
		}
		for (i = 0; i < n; i++) {
			if (evs[i].data.ptr != NULL) {
				conn_event(ep, evs[i].data.ptr, evs[i].events);
				continue;
			}
			while ((fd = accept4(lfd, NULL, NULL,
			    SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
				if ((c = calloc(1, sizeof *c)) == NULL) {
					close(fd);
					continue;
				}
				c->fd = fd;
				c->events = ev.events = EPOLLIN;
				ev.data.ptr = c;
				epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
			}
		}
	}
}
