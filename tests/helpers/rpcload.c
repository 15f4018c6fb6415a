/* rpcload.c - a load client for auraed: many connections, pipelined
 * JSON-RPC requests, every answer parsed and matched to its id.
 *
 * usage: rpcload -s SOCKET [-c CONNS] [-n REQS] [-w WINDOW] [-m METHOD]
 *                [-p PARAMS] [-t SECONDS] [-x] [-q]
 *
 * One process, non-blocking sockets and poll(2).  Each of CONNS
 * connections sends REQS requests, keeping at most WINDOW of them
 * unanswered.  Ids are unique across the run; even requests carry a
 * number, odd ones a string, so both kinds must come back intact.  Every
 * line received is parsed with cJSON and must be {"jsonrpc":"2.0","id":X,
 * "result":...} for an X this connection sent and has not seen answered.
 *
 * The summary goes to stdout.  Exit status: 0 when every request got
 * exactly one successful answer; 1 when one is missing, duplicated,
 * unknown, malformed or an error, or the time limit (-t, default 120 s)
 * passed; 2 for a usage error; 3 when a connection cannot be made.
 *
 * -x (stall) is the client that never reads: it writes REQS requests on
 * each connection as fast as the socket takes them and never reads an
 * answer.  It prints "stalled: ..." once writing has blocked (or all is
 * written), then waits.  When the server closes every connection it
 * prints "closed by server: ..." and exits 0; otherwise it runs until it
 * is killed or the time limit passes (exit 1). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "linereader.h"

#define MAX_ANSWER	(4u * 1024 * 1024)
#define READ_CHUNK	65536
#define MAX_REPORTS	10	/* problems described on stderr */

enum { REQ_UNSENT = 0, REQ_SENT, REQ_ANSWERED };

struct conn {
	int			 fd;
	unsigned		 index;
	unsigned long		 sent, answered;
	unsigned char		*state;		/* REQ_* per request */
	struct buf		 out;
	struct linereader	 in;
	int			 closed;	/* by us (done) or by the server */
	int			 eof;		/* the server closed it */
};

struct stats {
	unsigned long	 errors, duplicates, unknown, malformed;
	unsigned	 early_close;
	unsigned	 reports;
};

static const char	*sock_path, *method = "aurae.version", *params;
static unsigned long	 nconns = 1, nreqs = 1, window = 1;
static double		 time_limit = 120;
static int		 stall, quiet;
static struct stats	 st;

/* Print the usage and exit 2. */
static void
usage(void)
{
	fprintf(stderr, "usage: rpcload -s SOCKET [-c CONNS] [-n REQS] "
	    "[-w WINDOW] [-m METHOD] [-p PARAMS] [-t SECONDS] [-x] [-q]\n");
	exit(2);
}

/* Seconds on the monotonic clock. */
static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse a positive count. */
static unsigned long
count_arg(const char *s, unsigned long min)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end != '\0' || v < min || v > 100000000)
		usage();
	return v;
}

/* Describe one problem on stderr (only the first few). */
static void
report(const struct conn *c, const char *what, const char *line)
{
	if (st.reports++ >= MAX_REPORTS)
		return;
	fprintf(stderr, "rpcload: connection %u: %s%s%.200s\n", c->index,
	    what, line ? ": " : "", line ? line : "");
}

/* Raise the descriptor limit: every connection is one. */
static void
raise_nofile(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Connect (blocking, so a full backlog waits rather than fails), then
 * switch to non-blocking.  Returns the fd or -1. */
static int
dial(void)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(sock_path) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, sock_path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Queue request number i of connection c. */
static void
queue_request(struct conn *c, unsigned long i)
{
	unsigned long	 id = (unsigned long)c->index * nreqs + i + 1;
	int		 r;

	if (i % 2 == 0)
		r = buf_printf(&c->out, "{\"jsonrpc\":\"2.0\",\"id\":%lu,"
		    "\"method\":\"%s\"%s%s}\n", id, method,
		    params ? ",\"params\":" : "", params ? params : "");
	else
		r = buf_printf(&c->out, "{\"jsonrpc\":\"2.0\",\"id\":\"r%lu\","
		    "\"method\":\"%s\"%s%s}\n", id, method,
		    params ? ",\"params\":" : "", params ? params : "");
	if (r < 0) {
		perror("rpcload");
		exit(1);
	}
	c->state[i] = REQ_SENT;
	c->sent++;
}

/* Fill the window (or, stalling, queue everything left a little at a
 * time). */
static void
fill(struct conn *c)
{
	while (c->sent < nreqs && (stall ? buf_used(&c->out) < READ_CHUNK :
	    c->sent - c->answered < window))
		queue_request(c, c->sent);
}

/* Close our side of a connection. */
static void
conn_close(struct conn *c)
{
	if (c->closed)
		return;
	close(c->fd);
	c->fd = -1;
	c->closed = 1;
}

/* Write what the socket takes.  Returns -1 when the server has gone. */
static int
conn_write(struct conn *c)
{
	ssize_t	 n;

	while (buf_used(&c->out) > 0) {
		n = send(c->fd, buf_head(&c->out), buf_used(&c->out),
		    MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			return -1;
		}
		buf_consume(&c->out, (size_t)n);
		if (!stall)
			continue;
		fill(c);
	}
	return 0;
}

/* Map an answer's id back to a request index of c; -1 if it is not one
 * of c's. */
static long
id_index(const struct conn *c, const cJSON *id)
{
	unsigned long	 v;
	char		*end;
	double		 d;

	if (cJSON_IsNumber(id)) {
		d = id->valuedouble;
		if (d < 1 || d != (double)(unsigned long)d)
			return -1;
		v = (unsigned long)d;
		if (((v - 1) % nreqs) % 2 != 0)
			return -1;	/* sent as a string */
	} else if (cJSON_IsString(id) && id->valuestring[0] == 'r') {
		errno = 0;
		v = strtoul(id->valuestring + 1, &end, 10);
		if (errno || *end != '\0' || end == id->valuestring + 1 ||
		    v < 1 || ((v - 1) % nreqs) % 2 != 1)
			return -1;
	} else
		return -1;
	v--;
	if (v / nreqs != c->index)
		return -1;
	return (long)(v % nreqs);
}

/* Check one answer line. */
static void
answer(struct conn *c, const char *line)
{
	const cJSON	*ver, *id, *res, *err;
	cJSON		*o;
	long		 i;

	if ((o = cJSON_Parse(line)) == NULL || !cJSON_IsObject(o)) {
		st.malformed++;
		report(c, "not a JSON object", line);
		cJSON_Delete(o);
		return;
	}
	ver = cJSON_GetObjectItemCaseSensitive(o, "jsonrpc");
	id = cJSON_GetObjectItemCaseSensitive(o, "id");
	res = cJSON_GetObjectItemCaseSensitive(o, "result");
	err = cJSON_GetObjectItemCaseSensitive(o, "error");
	if (!cJSON_IsString(ver) || strcmp(ver->valuestring, "2.0") != 0 ||
	    (res == NULL) == (err == NULL)) {
		st.malformed++;
		report(c, "not a JSON-RPC 2.0 answer", line);
	} else if ((i = id_index(c, id)) < 0 || c->state[i] == REQ_UNSENT) {
		st.unknown++;
		report(c, "answer to a request it never sent", line);
	} else if (c->state[i] == REQ_ANSWERED) {
		st.duplicates++;
		report(c, "second answer to one request", line);
	} else {
		c->state[i] = REQ_ANSWERED;
		c->answered++;
		if (err != NULL) {
			st.errors++;
			report(c, "error answer", line);
		}
	}
	cJSON_Delete(o);
}

/* Read and check what has arrived.  Returns -1 at end of stream. */
static int
conn_read(struct conn *c)
{
	char	*t, *line;
	size_t	 len;
	ssize_t	 n;
	int	 r;

	for (;;) {
		if ((t = buf_reserve(&c->in.in, READ_CHUNK)) == NULL) {
			perror("rpcload");
			exit(1);
		}
		n = recv(c->fd, t, READ_CHUNK, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			return -1;
		}
		if (n == 0)
			return -1;
		buf_commit(&c->in.in, (size_t)n);
		while ((r = linereader_next(&c->in, &line, &len)) ==
		    LINE_READY)
			answer(c, line);
		if (r == LINE_TOO_LONG) {
			st.malformed++;
			report(c, "answer line too long", NULL);
			return -1;
		}
		if (n < READ_CHUNK)
			return 0;
	}
}

/* The server closed c (or it failed). */
static void
conn_lost(struct conn *c)
{
	c->eof = 1;
	if (!stall && c->answered < nreqs) {
		st.early_close++;
		report(c, "closed by the server before every answer came",
		    NULL);
	}
	conn_close(c);
}

/* Stall mode's loop: write, never read, notice closes. */
static int
run_stall(struct conn *conns, struct pollfd *pfd, double deadline)
{
	unsigned long	 i, open, sent;
	int		 said = 0, n;

	for (;;) {
		open = sent = 0;
		for (i = 0; i < nconns; i++) {
			struct conn *c = &conns[i];

			sent += c->sent - (buf_used(&c->out) > 0);
			pfd[i].fd = c->closed ? -1 : c->fd;
			pfd[i].events = buf_used(&c->out) > 0 ? POLLOUT : 0;
			pfd[i].revents = 0;
			if (!c->closed)
				open++;
		}
		if (open == 0) {
			printf("closed by server: %lu of %lu connections, "
			    "after about %lu requests\n", nconns, nconns,
			    sent);
			return 0;
		}
		if (now() > deadline) {
			printf("time limit reached with %lu of %lu "
			    "connections open\n", open, nconns);
			return 1;
		}
		n = poll(pfd, nconns, 500);
		if (n < 0 && errno != EINTR) {
			perror("rpcload: poll");
			return 1;
		}
		if (n == 0 && !said) {
			/* Nothing could be written for half a second. */
			printf("stalled: about %lu requests written on %lu "
			    "connections\n", sent, nconns);
			fflush(stdout);
			said = 1;
		}
		for (i = 0; n > 0 && i < nconns; i++) {
			struct conn *c = &conns[i];

			if (pfd[i].revents & (POLLHUP | POLLERR | POLLNVAL))
				conn_lost(c);
			else if ((pfd[i].revents & POLLOUT) &&
			    conn_write(c) < 0)
				conn_lost(c);
		}
	}
}

/* The normal loop.  Returns when every connection is done or closed, or
 * at the deadline. */
static void
run_load(struct conn *conns, struct pollfd *pfd, double deadline)
{
	unsigned long	 i, open;
	int		 n;

	for (;;) {
		open = 0;
		for (i = 0; i < nconns; i++) {
			struct conn *c = &conns[i];

			pfd[i].fd = c->closed ? -1 : c->fd;
			pfd[i].events = POLLIN |
			    (buf_used(&c->out) > 0 ? POLLOUT : 0);
			pfd[i].revents = 0;
			if (!c->closed)
				open++;
		}
		if (open == 0 || now() > deadline)
			return;
		n = poll(pfd, nconns, 200);
		if (n < 0 && errno != EINTR) {
			perror("rpcload: poll");
			return;
		}
		for (i = 0; n > 0 && i < nconns; i++) {
			struct conn *c = &conns[i];

			if (c->closed || pfd[i].revents == 0)
				continue;
			if ((pfd[i].revents & POLLOUT) && conn_write(c) < 0) {
				conn_lost(c);
				continue;
			}
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) {
				if (conn_read(c) < 0) {
					conn_lost(c);
					continue;
				}
			}
			if (c->answered == nreqs) {
				conn_close(c);	/* done */
				continue;
			}
			fill(c);
			if (conn_write(c) < 0)
				conn_lost(c);
		}
	}
}

int
main(int argc, char **argv)
{
	struct conn	*conns;
	struct pollfd	*pfd;
	unsigned long	 i, total, answered = 0, missing;
	double		 t0, secs;
	int		 ch, bad;
	char		*end;
	cJSON		*p;

	while ((ch = getopt(argc, argv, "s:c:n:w:m:p:t:xq")) != -1) {
		switch (ch) {
		case 's':	sock_path = optarg; break;
		case 'c':	nconns = count_arg(optarg, 1); break;
		case 'n':	nreqs = count_arg(optarg, 0); break;
		case 'w':	window = count_arg(optarg, 1); break;
		case 'm':	method = optarg; break;
		case 'p':	params = optarg; break;
		case 't':
			time_limit = strtod(optarg, &end);
			if (*end != '\0' || end == optarg || time_limit <= 0)
				usage();
			break;
		case 'x':	stall = 1; break;
		case 'q':	quiet = 1; break;
		default:	usage();
		}
	}
	if (sock_path == NULL || optind != argc || strpbrk(method, "\"\\"))
		usage();
	if (params != NULL) {
		if (!cJSON_IsObject(p = cJSON_Parse(params))) {
			fprintf(stderr, "rpcload: -p needs a JSON object\n");
			exit(2);
		}
		cJSON_Delete(p);
	}
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();
	if ((conns = calloc(nconns, sizeof *conns)) == NULL ||
	    (pfd = calloc(nconns, sizeof *pfd)) == NULL) {
		perror("rpcload");
		return 1;
	}
	t0 = now();
	for (i = 0; i < nconns; i++) {
		struct conn *c = &conns[i];

		c->index = (unsigned)i;
		linereader_init(&c->in, MAX_ANSWER);
		if ((c->state = calloc(nreqs ? nreqs : 1, 1)) == NULL) {
			perror("rpcload");
			return 1;
		}
		if ((c->fd = dial()) < 0) {
			fprintf(stderr, "rpcload: connection %lu to %s: %s\n",
			    i, sock_path, strerror(errno));
			return 3;
		}
		fill(c);
		if (conn_write(c) < 0)
			conn_lost(c);
		if (!stall && nreqs == 0)
			conn_close(c);
	}
	if (stall) {
		bad = run_stall(conns, pfd, t0 + time_limit);
		goto out;
	}
	run_load(conns, pfd, t0 + time_limit);
	secs = now() - t0;

	total = nconns * nreqs;
	for (i = 0; i < nconns; i++)
		answered += conns[i].answered;
	missing = total - answered;
	bad = missing || st.errors || st.duplicates || st.unknown ||
	    st.malformed;
	if (!quiet || bad) {
		printf("rpcload: %lu connections x %lu requests, window %lu, "
		    "method %s\n", nconns, nreqs, window, method);
		printf("sent %lu, answered %lu, missing %lu, errors %lu, "
		    "duplicates %lu, unknown ids %lu, malformed %lu, "
		    "closed early %u\n", total, answered, missing, st.errors,
		    st.duplicates, st.unknown, st.malformed, st.early_close);
		printf("%.3f s, %.0f requests/s%s\n", secs,
		    secs > 0 ? (double)answered / secs : 0.0,
		    now() > t0 + time_limit ? " (time limit reached)" : "");
		printf("%s\n", bad ? "FAILED" : "OK");
	}
out:
	fflush(stdout);
	for (i = 0; i < nconns; i++) {
		conn_close(&conns[i]);
		free(conns[i].state);
		buf_free(&conns[i].out);
		linereader_free(&conns[i].in);
	}
	free(conns);
	free(pfd);
	return bad ? 1 : 0;
}
