/* peer.c - client connections: framing, write queue, backpressure. */
#include "peer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auraed.h"
#include "log.h"
#include "rpc.h"

struct peer_list	peers = LIST_HEAD_INITIALIZER(peers);
static uint64_t		next_peer_id = 1;

#define PEER_READ_CHUNK		65536
#define PEER_READS_PER_EVENT	4

static void	peer_event(struct loop_watch *, uint32_t);
static void	peer_process(struct peer *);

/* Allocate and initialise the common part of a peer. */
static struct peer *
peer_alloc(void)
{
	struct peer	*p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	p->id = next_peer_id++;
	p->refs = 1;
	p->w.fd = -1;
	p->w.data = p;
	linereader_init(&p->rd, cfg.max_line);
	LIST_INSERT_HEAD(&peers, p, entry);
	return p;
}

/* Take over a connected, non-blocking socket. */
struct peer *
peer_create(int fd, uid_t uid, gid_t gid, pid_t pid)
{
	struct peer	*p;

	if ((p = peer_alloc()) == NULL) {
		close(fd);
		return NULL;
	}
	p->uid = uid;
	p->gid = gid;
	p->pid = pid;
	p->w.fd = fd;
	p->w.events = EPOLLIN;
	p->w.cb = peer_event;
	if (loop_add(&p->w) < 0) {
		log_error("epoll add: %s", strerror(errno));
		peer_close(p);
		return NULL;
	}
	log_debug("peer %llu: connected uid %u pid %d",
	    (unsigned long long)p->id, (unsigned)uid, (int)pid);
	return p;
}

/* A socketless peer for tests; it behaves as uid 0. */
struct peer *
peer_create_detached(void)
{
	struct peer	*p;

	if ((p = peer_alloc()) != NULL)
		p->detached = 1;
	return p;
}

/* Take a reference. */
void
peer_ref(struct peer *p)
{
	p->refs++;
}

/* Free what the peer owns; runs after the event batch. */
static void
peer_free(void *arg)
{
	struct peer	*p = arg;

	linereader_free(&p->rd);
	buf_free(&p->wq);
	free(p);
}

/* Drop a reference; the last one frees the peer after the current batch
 * (a detached peer at once: it has no events). */
void
peer_unref(struct peer *p)
{
	if (--p->refs > 0)
		return;
	if (p->detached)
		peer_free(p);
	else
		loop_defer_free(peer_free, p);
}

/* Close every descriptor queued in marks and the receive queue. */
static void
peer_drop_fds(struct peer *p)
{
	size_t	 i, j;

	for (i = 0; i < p->nfdq; i++)
		close(p->fdq[i]);
	p->nfdq = 0;
	for (i = 0; i < p->nmarks; i++)
		for (j = 0; j < p->marks[i].nfds; j++)
			close(p->marks[i].fds[j]);
	p->nmarks = 0;
}

/* Disconnect now.  Safe to call more than once. */
void
peer_close(struct peer *p)
{
	if (p->dead)
		return;
	p->dead = 1;
	log_debug("peer %llu: closed", (unsigned long long)p->id);
	if (p->w.fd >= 0) {
		loop_del(&p->w);
		close(p->w.fd);
		p->w.fd = -1;
	}
	peer_drop_fds(p);
	LIST_REMOVE(p, entry);
	rpc_peer_gone(p);
	peer_unref(p);
}

/* Write as much of the queue as the socket takes.  Returns 0, or -1 when
 * the connection failed. */
static int
peer_flush(struct peer *p)
{
	struct fdmark	*m;
	const int	*fds;
	size_t		 n, nfds, i;
	ssize_t		 r;

	if (p->detached)
		return 0;
	while (buf_used(&p->wq) > 0) {
		n = buf_used(&p->wq);
		fds = NULL;
		nfds = 0;
		if (p->nmarks > 0) {
			m = &p->marks[0];
			if (m->at == p->written) {
				fds = m->fds;
				nfds = m->nfds;
			} else if (m->at - p->written < n)
				n = (size_t)(m->at - p->written);
		}
		r = fdpass_send(p->w.fd, buf_head(&p->wq), n, fds, nfds);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			log_debug("peer %llu: write: %s",
			    (unsigned long long)p->id, strerror(errno));
			return -1;
		}
		if (nfds > 0) {
			/* The receiver holds its own copies now. */
			for (i = 0; i < nfds; i++)
				close(fds[i]);
			memmove(&p->marks[0], &p->marks[1],
			    (p->nmarks - 1) * sizeof p->marks[0]);
			p->nmarks--;
		}
		buf_consume(&p->wq, (size_t)r);
		p->written += (uint64_t)r;
	}
	return 0;
}

/* Recompute the epoll interest set from the peer's state, and resume
 * processing when backpressure has eased. */
static void
peer_update(struct peer *p)
{
	uint32_t	 ev = 0;

	if (p->dead || p->detached)
		return;
	if (p->closing && buf_used(&p->wq) == 0) {
		peer_close(p);
		return;
	}
	if (p->paused && buf_used(&p->wq) < PEER_HIGH_WATER / 4) {
		p->paused = 0;
		peer_process(p);	/* lines already buffered */
		return;
	}
	/* Half-closed: done once every request has been read and answered
	 * and every answer written. */
	if (p->eof && !p->paused && p->busy == 0 && buf_used(&p->wq) == 0 &&
	    !linereader_has_line(&p->rd)) {
		peer_close(p);
		return;
	}
	if (!p->closing && !p->paused && !p->eof)
		ev |= EPOLLIN;
	if (buf_used(&p->wq) > 0)
		ev |= EPOLLOUT;
	if (loop_mod(&p->w, ev) < 0)
		peer_close(p);
}

/* Queue a message; see peer.h. */
void
peer_send(struct peer *p, const char *s, size_t n, const int *fds,
    size_t nfds)
{
	struct fdmark	*m;
	size_t		 i;

	if (p->dead || (nfds > 0 && p->nmarks == PEER_MAX_FDMARKS)) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		if (!p->dead) {
			log_warn("peer %llu: too many descriptor messages "
			    "queued", (unsigned long long)p->id);
			peer_close(p);
		}
		return;
	}
	if (nfds > 0) {
		m = &p->marks[p->nmarks++];
		m->at = p->written + buf_used(&p->wq);
		m->nfds = nfds;
		memcpy(m->fds, fds, nfds * sizeof *fds);
	}
	if (buf_append(&p->wq, s, n) < 0) {
		log_error("peer %llu: out of memory", (unsigned long long)p->id);
		peer_close(p);
		return;
	}
	if (!p->detached && buf_used(&p->wq) > cfg.max_peer_buffer) {
		log_warn("peer %llu: %zu bytes queued and not read; "
		    "disconnecting", (unsigned long long)p->id,
		    buf_used(&p->wq));
		peer_close(p);
		return;
	}
	if (!p->detached && !p->processing && buf_used(&p->wq) == n) {
		/* The queue was empty and no batch of requests is being
		 * answered: write at once.  During a batch the answers are
		 * written together when it ends. */
		if (peer_flush(p) < 0) {
			peer_close(p);
			return;
		}
	}
	/* During a batch, peer_process() updates the interest set once at
	 * its end: asking for EPOLLOUT here and dropping it after the flush
	 * would cost two epoll_ctl calls per request. */
	if (!p->processing)
		peer_update(p);
}

/* Handle every complete line that is buffered, unless backpressure
 * applies. */
static void
peer_process(struct peer *p)
{
	char	*line;
	size_t	 len;
	int	 r;

	peer_ref(p);
	p->processing++;
	while (!p->dead && !p->closing) {
		if (buf_used(&p->wq) >= PEER_HIGH_WATER) {
			p->paused = 1;
			break;
		}
		r = linereader_next(&p->rd, &line, &len);
		if (r == LINE_NEED_MORE)
			break;
		if (r == LINE_TOO_LONG) {
			rpc_send_error(p, NULL, 0, AE_RESOURCE_EXHAUSTED,
			    "request line exceeds %zu bytes; closing "
			    "connection", cfg.max_line);
			peer_close_after_flush(p);
			break;
		}
		rpc_handle_line(p, line, len);
	}
	p->processing--;
	if (!p->dead && !p->processing && peer_flush(p) < 0)
		peer_close(p);
	peer_update(p);
	peer_unref(p);
}

/* Feed bytes straight into the reader and process them. */
void
peer_feed(struct peer *p, const char *s, size_t n)
{
	if (linereader_feed(&p->rd, s, n) < 0) {
		peer_close(p);
		return;
	}
	peer_process(p);
}

/* Read what the socket has.  Returns 0, or -1 after closing the peer. */
static int
peer_read(struct peer *p)
{
	int	 fds[FDPASS_MAX];
	size_t	 nfds, i;
	ssize_t	 n;
	char	*t;
	int	 round;

	for (round = 0; round < PEER_READS_PER_EVENT; round++) {
		if ((t = buf_reserve(&p->rd.in, PEER_READ_CHUNK)) == NULL) {
			peer_close(p);
			return -1;
		}
		n = fdpass_recv(p->w.fd, t, PEER_READ_CHUNK, fds, FDPASS_MAX,
		    &nfds);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			if (errno == EMSGSIZE) {
				/* The kernel dropped descriptors: say so. */
				rpc_send_error(p, NULL, 0,
				    AE_RESOURCE_EXHAUSTED, "more than %d "
				    "descriptors in one message; closing "
				    "connection", FDPASS_MAX);
				peer_close_after_flush(p);
				return -1;
			}
			peer_close(p);
			return -1;
		}
		for (i = 0; i < nfds; i++) {
			if (p->nfdq < PEER_MAX_FDQ)
				p->fdq[p->nfdq++] = fds[i];
			else {
				close(fds[i]);
				rpc_send_error(p, NULL, 0,
				    AE_RESOURCE_EXHAUSTED, "more than %d "
				    "unclaimed descriptors; closing "
				    "connection", PEER_MAX_FDQ);
				peer_close_after_flush(p);
			}
		}
		if (n == 0) {
			/* EOF (a half-close): no more requests.  Answer every
			 * one already sent, even a last line with no newline,
			 * including those answered later; peer_update()
			 * closes once all is written. */
			if (linereader_pending(&p->rd) > 0 &&
			    !linereader_has_line(&p->rd))
				linereader_feed(&p->rd, "\n", 1);
			p->eof = 1;
			return 0;
		}
		buf_commit(&p->rd.in, (size_t)n);
		if (n < PEER_READ_CHUNK)
			break;
	}
	return 0;
}

/* Socket readiness. */
static void
peer_event(struct loop_watch *w, uint32_t events)
{
	struct peer	*p = w->data;

	peer_ref(p);
	if (p->eof && (events & (EPOLLHUP | EPOLLERR))) {
		/* Gone both ways: nobody is left to answer. */
		peer_close(p);
	} else if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		if (peer_read(p) == 0)
			peer_process(p);
	}
	if (!p->dead && (events & EPOLLOUT)) {
		if (peer_flush(p) < 0)
			peer_close(p);
		else
			peer_update(p);
	}
	peer_unref(p);
}

/* Stop reading and close once everything queued is written. */
void
peer_close_after_flush(struct peer *p)
{
	if (p->dead || p->closing)
		return;
	p->closing = 1;
	if (p->detached)
		return;
	if (peer_flush(p) < 0 || buf_used(&p->wq) == 0)
		peer_close(p);
	else
		peer_update(p);
}

/* Count work that will still answer. */
void
peer_busy(struct peer *p)
{
	p->busy++;
}

/* That work is done; a half-closed peer may now be finished. */
void
peer_idle(struct peer *p)
{
	if (p->busy > 0)
		p->busy--;
	if (p->busy == 0 && p->eof && !p->processing)
		peer_update(p);
}

/* Claim the oldest n received descriptors. */
int
peer_take_fds(struct peer *p, int *fds, size_t n)
{
	if (n > p->nfdq)
		return -1;
	memcpy(fds, p->fdq, n * sizeof *fds);
	memmove(p->fdq, p->fdq + n, (p->nfdq - n) * sizeof *fds);
	p->nfdq -= n;
	return 0;
}

/* Live connections of one uid. */
unsigned
peer_count_uid(uid_t uid)
{
	struct peer	*p;
	unsigned	 n = 0;

	LIST_FOREACH(p, &peers, entry)
		if (!p->detached && p->uid == uid)
			n++;
	return n;
}

/* Live connections. */
unsigned
peer_count(void)
{
	struct peer	*p;
	unsigned	 n = 0;

	LIST_FOREACH(p, &peers, entry)
		if (!p->detached)
			n++;
	return n;
}

/* Disconnect everyone. */
void
peer_close_all(void)
{
	while (!LIST_EMPTY(&peers))
		peer_close(LIST_FIRST(&peers));
}
