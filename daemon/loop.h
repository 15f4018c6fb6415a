/* loop.h - the daemon's single event loop (epoll + signalfd).
 *
 * Everything the daemon does runs from callbacks of this loop on one
 * thread.  A watch is owned by whoever registered it and must be removed
 * with loop_del() before it is freed; objects that may still be named by
 * events of the current batch are released with loop_defer_free(). */
#ifndef AURAED_LOOP_H
#define AURAED_LOOP_H

#include <signal.h>
#include <stdint.h>

struct loop_watch;
typedef void (*loop_cb)(struct loop_watch *, uint32_t events);

struct loop_watch {
	int		 fd;
	uint32_t	 events;	/* EPOLLIN, EPOLLOUT ... */
	loop_cb		 cb;
	void		*data;
	int		 active;
};

/* A one-shot timer (timerfd), owned by its user. */
struct loop_timer {
	struct loop_watch	 w;
	void			(*fn)(void *);
	void			*arg;
};

int	loop_init(void);
/* Call fn(arg) once after ms milliseconds; restarting re-arms it. */
int	loop_timer_start(struct loop_timer *, unsigned ms, void (*fn)(void *),
	    void *arg);
/* Disarm and release the timer's descriptor. */
void	loop_timer_stop(struct loop_timer *);
void	loop_free(void);
/* Register w (w->fd, w->events, w->cb must be set). */
int	loop_add(struct loop_watch *);
/* Change the events of a registered watch (no-op when unchanged). */
int	loop_mod(struct loop_watch *, uint32_t events);
void	loop_del(struct loop_watch *);
/* Deliver the signals in set through cb(signo) instead of handlers. */
int	loop_signals(const sigset_t *, void (*cb)(int signo));
/* Call fn(p) once the current batch of events is done. */
void	loop_defer_free(void (*fn)(void *), void *);
/* Run until loop_stop(); returns 0, or -1 on an epoll failure. */
int	loop_run(void);
void	loop_stop(void);

#endif
