/* peer.h - one connected client of the daemon.
 *
 * A peer owns its socket, a bounded line reader, a write queue and the
 * descriptors the client sent that no request has claimed yet.  Output is
 * queued with peer_send(); EPOLLOUT is requested only while the queue is
 * non-empty.  Above the high-water mark the peer stops reading requests
 * (backpressure); past max_peer_buffer it is disconnected.
 *
 * Peers are reference counted: a request answered later (a wait, a
 * stream) holds a reference, and output to a peer that has gone is
 * dropped.  peer_close() unregisters and closes; the memory goes with the
 * last reference. */
#ifndef AURAED_PEER_H
#define AURAED_PEER_H

#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>

#include "buf.h"
#include "fdpass.h"
#include "linereader.h"
#include "loop.h"

#define PEER_HIGH_WATER		(1024 * 1024)
#define PEER_MAX_FDQ		64
#define PEER_MAX_FDMARKS	8

struct fdmark {
	uint64_t	 at;		/* stream offset the fds ride on */
	int		 fds[FDPASS_MAX];
	size_t		 nfds;
};

struct peer {
	struct loop_watch	 w;
	uint64_t		 id;
	uid_t			 uid;
	gid_t			 gid;
	pid_t			 pid;
	int			 refs;
	int			 dead;		/* closed; output dropped */
	int			 closing;	/* flush, then close */
	int			 paused;	/* not reading: backpressure */
	int			 detached;	/* no socket (unit tests) */
	int			 processing;	/* inside peer_process() */
	int			 eof;		/* the client half-closed */
	unsigned		 busy;		/* calls and streams still to
						 * be answered */
	struct linereader	 rd;
	struct buf		 wq;
	uint64_t		 written;	/* bytes sent so far */
	struct fdmark		 marks[PEER_MAX_FDMARKS];
	size_t			 nmarks;
	int			 fdq[PEER_MAX_FDQ];
	size_t			 nfdq;
	LIST_ENTRY(peer)	 entry;
};

LIST_HEAD(peer_list, peer);
extern struct peer_list peers;

/* Take ownership of a connected socket and start serving it. */
struct peer	*peer_create(int fd, uid_t, gid_t, pid_t);
/* A peer with no socket whose output accumulates in wq (tests, fuzzing). */
struct peer	*peer_create_detached(void);
void		 peer_ref(struct peer *);
void		 peer_unref(struct peer *);
/* Queue one message (a whole line including '\n'), with optional fds to
 * pass along with it; the peer dups nothing: it takes ownership of fds. */
void		 peer_send(struct peer *, const char *, size_t, const int *fds,
		    size_t nfds);
/* Feed bytes as if they had been read from the socket (tests, fuzzing). */
void		 peer_feed(struct peer *, const char *, size_t);
/* Stop reading; close once the queue is flushed (or at once if it cannot
 * be written without blocking). */
void		 peer_close_after_flush(struct peer *);
/* Work that will still write to the peer: a call answered later, a
 * subscription.  A half-closed peer stays open until it has none. */
void		 peer_busy(struct peer *);
void		 peer_idle(struct peer *);
void		 peer_close(struct peer *);
/* Move the oldest n received descriptors to fds; -1 if fewer are queued. */
int		 peer_take_fds(struct peer *, int *fds, size_t n);
unsigned	 peer_count_uid(uid_t);
unsigned	 peer_count(void);
/* Close every peer (shutdown). */
void		 peer_close_all(void);

#endif
