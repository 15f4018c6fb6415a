/* rpcbench.c - round trips per second on a Unix socket that speaks
 * newline-delimited requests (auraed, or bench/echo-server).
 *
 * usage: rpcbench -s SOCKET [-c CONNS] [-w WINDOW] [-d SECONDS]
 *                 [-W WARMUP] [-m METHOD] [-P]
 *
 * CONNS connections (default 1) each keep WINDOW requests (default 1) in
 * flight: with -c 1 -w 1 that is sequential ping-pong, with -w 64 a
 * pipelined client, with -c 100 a hundred clients at once.  Every request
 * is the same line, {"jsonrpc":"2.0","id":1,"method":METHOD} (default
 * aurae.version); answers are counted by their newlines and not parsed,
 * so the client costs the same whichever server it measures.  After
 * WARMUP seconds (default 0.3) it counts for SECONDS (default 2) and
 * prints one line:
 *
 *     ANSWERS SECONDS ANSWERS_PER_SECOND
 *
 * -P (probe) sends one request, waits for its answer and exits 0: a
 * readiness check.  Exit status 1 on any failure. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct conn {
	int		 fd;
	unsigned long	 inflight;	/* requests sent, not answered */
	size_t		 unsent;	/* bytes of requests not yet written */
	size_t		 off;		/* offset in the request stream */
	uint32_t	 events;
};

static char		*pattern;	/* WINDOW+1 request lines */
static size_t		 linelen;
static unsigned long	 window = 1;
static int		 ep = -1;

/* Seconds on the monotonic clock. */
static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Print the usage and exit 2. */
static void
usage(void)
{
	fprintf(stderr, "usage: rpcbench -s SOCKET [-c CONNS] [-w WINDOW] "
	    "[-d SECONDS] [-W WARMUP] [-m METHOD] [-P]\n");
	exit(2);
}

/* Report a system failure and exit 1. */
static void
die(const char *what)
{
	fprintf(stderr, "rpcbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Connect to path; blocking unless nonblock. */
static int
dial(const char *path, int nonblock)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		die(path);
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0)
		die(path);
	if (nonblock && fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		die("fcntl");
	return fd;
}

/* Count newlines in n bytes. */
static unsigned long
count_lines(const char *b, size_t n)
{
	const char	*p = b, *end = b + n;
	unsigned long	 k = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

/* Write as much of c's pending requests as the socket takes.  Returns 0,
 * or -1 on failure. */
static int
push(struct conn *c)
{
	ssize_t	 n;
	size_t	 start, len;

	while (c->unsent > 0) {
		start = c->off % linelen;
		len = c->unsent;
		if (len > window * linelen)
			len = window * linelen;
		n = send(c->fd, pattern + start, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			return -1;
		}
		c->unsent -= (size_t)n;
		c->off += (size_t)n;
	}
	return 0;
}

/* Queue k more requests on c. */
static void
refill(struct conn *c, unsigned long k)
{
	c->inflight += k;
	c->unsent += k * linelen;
}

/* One blocking connection: the least overhead for ping-pong. */
static unsigned long
run_one(const char *path, double warm, double secs, double *elapsed)
{
	struct conn	 c = { 0 };
	char		 b[65536];
	unsigned long	 k, counted = 0;
	double		 t, t0 = 0, tend;
	ssize_t		 n;
	int		 measuring = 0;

	c.fd = dial(path, 0);
	refill(&c, window);
	tend = now() + warm;
	for (;;) {
		if (push(&c) < 0)
			die("write");
		n = recv(c.fd, b, sizeof b, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ECONNRESET;
			die("read");
		}
		k = count_lines(b, (size_t)n);
		c.inflight -= k;
		if (measuring)
			counted += k;
		refill(&c, k);
		if (k > 0 && (t = now()) >= tend) {
			if (measuring) {
				*elapsed = t - t0;
				break;
			}
			measuring = 1;
			t0 = t;
			tend = t + secs;
		}
	}
	close(c.fd);
	return counted;
}

/* Many non-blocking connections under epoll. */
static unsigned long
run_many(const char *path, unsigned long nconns, double warm, double secs,
    double *elapsed)
{
	struct epoll_event	 evs[256], ev;
	struct conn		*conns, *c;
	char			 b[65536];
	unsigned long		 i, k, counted = 0;
	double			 t, t0 = 0, tend;
	ssize_t			 n;
	int			 nev, j, measuring = 0;

	if ((conns = calloc(nconns, sizeof *conns)) == NULL)
		die("calloc");
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		die("epoll_create1");
	for (i = 0; i < nconns; i++) {
		c = &conns[i];
		c->fd = dial(path, 1);
		c->events = ev.events = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0)
			die("epoll_ctl");
	}
	for (i = 0; i < nconns; i++) {
		refill(&conns[i], window);
		if (push(&conns[i]) < 0)
			die("write");
	}
	tend = now() + warm;
	for (;;) {
		nev = epoll_wait(ep, evs, 256, 1000);
		if (nev < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (j = 0; j < nev; j++) {
			c = evs[j].data.ptr;
			if (evs[j].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
				n = recv(c->fd, b, sizeof b, 0);
				if (n == 0 || (n < 0 && errno != EAGAIN &&
				    errno != EINTR)) {
					if (n == 0)
						errno = ECONNRESET;
					die("read");
				}
				if (n > 0) {
					k = count_lines(b, (size_t)n);
					c->inflight -= k;
					if (measuring)
						counted += k;
					refill(c, k);
				}
			}
			if (push(c) < 0)
				die("write");
			ev.events = EPOLLIN | (c->unsent ? EPOLLOUT : 0);
			if (ev.events != c->events) {
				ev.data.ptr = c;
				epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
				c->events = ev.events;
			}
		}
		if ((t = now()) >= tend) {
			if (measuring) {
				*elapsed = t - t0;
				break;
			}
			measuring = 1;
			t0 = t;
			tend = t + secs;
		}
	}
	for (i = 0; i < nconns; i++)
		close(conns[i].fd);
	free(conns);
	return counted;
}

/* -P: one round trip. */
static int
probe(const char *path)
{
	struct conn	 c = { 0 };
	char		 b[4096];
	ssize_t		 n;

	c.fd = dial(path, 0);
	refill(&c, 1);
	if (push(&c) < 0)
		die("write");
	while ((n = recv(c.fd, b, sizeof b, 0)) > 0)
		if (memchr(b, '\n', (size_t)n) != NULL)
			return 0;
	return 1;
}

int
main(int argc, char **argv)
{
	const char	*path = NULL, *method = "aurae.version";
	unsigned long	 nconns = 1, i, answers;
	double		 secs = 2, warm = 0.3, elapsed = 0;
	struct rlimit	 rl;
	char		*end, line[256];
	int		 ch, do_probe = 0;

	while ((ch = getopt(argc, argv, "s:c:w:d:W:m:P")) != -1) {
		switch (ch) {
		case 's':	path = optarg; break;
		case 'c':	nconns = strtoul(optarg, &end, 10); break;
		case 'w':	window = strtoul(optarg, &end, 10); break;
		case 'd':	secs = strtod(optarg, &end); break;
		case 'W':	warm = strtod(optarg, &end); break;
		case 'm':	method = optarg; break;
		case 'P':	do_probe = 1; break;
		default:	usage();
		}
	}
	if (path == NULL || optind != argc || nconns < 1 || window < 1 ||
	    window > 4096 || secs <= 0 || warm < 0 ||
	    strpbrk(method, "\"\\") != NULL)
		usage();
	signal(SIGPIPE, SIG_IGN);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	linelen = (size_t)snprintf(line, sizeof line,
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\"}\n", method);
	if (linelen >= sizeof line)
		usage();
	if ((pattern = malloc(linelen * (window + 1))) == NULL)
		die("malloc");
	for (i = 0; i <= window; i++)
		memcpy(pattern + i * linelen, line, linelen);
	if (do_probe)
		return probe(path);
	if (nconns == 1)
		answers = run_one(path, warm, secs, &elapsed);
	else
		answers = run_many(path, nconns, warm, secs, &elapsed);
	printf("%lu %.3f %.0f\n", answers, elapsed,
	    elapsed > 0 ? (double)answers / elapsed : 0.0);
	return 0;
}
