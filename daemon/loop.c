/* loop.c - epoll event loop with signalfd and deferred frees. */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "log.h"

struct deferred {
	void		(*fn)(void *);
	void		*p;
	struct deferred	*next;
};

static int		 epfd = -1;
static int		 stopping;
static struct loop_watch sigwatch = { .fd = -1 };
static void		(*sigcb)(int);
static struct deferred	*deferred;

/* Create the epoll instance. */
int
loop_init(void)
{
	epfd = epoll_create1(EPOLL_CLOEXEC);
	return epfd < 0 ? -1 : 0;
}

/* Close the loop's own descriptors. */
void
loop_free(void)
{
	if (sigwatch.fd >= 0) {
		loop_del(&sigwatch);
		close(sigwatch.fd);
		sigwatch.fd = -1;
	}
	if (epfd >= 0)
		close(epfd);
	epfd = -1;
}

/* Register a watch. */
int
loop_add(struct loop_watch *w)
{
	struct epoll_event	 ev;

	memset(&ev, 0, sizeof ev);
	ev.events = w->events;
	ev.data.ptr = w;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, w->fd, &ev) < 0)
		return -1;
	w->active = 1;
	return 0;
}

/* Change the event mask of a watch. */
int
loop_mod(struct loop_watch *w, uint32_t events)
{
	struct epoll_event	 ev;

	if (!w->active || w->events == events) {
		w->events = events;
		return 0;
	}
	memset(&ev, 0, sizeof ev);
	ev.events = events;
	ev.data.ptr = w;
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, w->fd, &ev) < 0)
		return -1;
	w->events = events;
	return 0;
}

/* Remove a watch; its fd stays open (the owner closes it). */
void
loop_del(struct loop_watch *w)
{
	if (!w->active)
		return;
	epoll_ctl(epfd, EPOLL_CTL_DEL, w->fd, NULL);
	w->active = 0;
}

/* Read pending signals and hand each to the registered callback. */
static void
loop_signal_cb(struct loop_watch *w, uint32_t events)
{
	struct signalfd_siginfo	 si;

	while (read(w->fd, &si, sizeof si) == (ssize_t)sizeof si)
		sigcb((int)si.ssi_signo);
}

/* Block the signals in set and deliver them through the loop. */
int
loop_signals(const sigset_t *set, void (*cb)(int))
{
	if (sigprocmask(SIG_BLOCK, set, NULL) < 0)
		return -1;
	sigwatch.fd = signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigwatch.fd < 0)
		return -1;
	sigwatch.events = EPOLLIN;
	sigwatch.cb = loop_signal_cb;
	sigcb = cb;
	return loop_add(&sigwatch);
}

/* Queue fn(p) to run after the current batch. */
void
loop_defer_free(void (*fn)(void *), void *p)
{
	struct deferred	*d;

	if ((d = malloc(sizeof *d)) == NULL) {
		/* Leaking is safer than a use-after-free. */
		log_error("out of memory deferring a free");
		return;
	}
	d->fn = fn;
	d->p = p;
	d->next = deferred;
	deferred = d;
}

/* Run the deferred frees. */
static void
loop_run_deferred(void)
{
	struct deferred	*d;

	while ((d = deferred) != NULL) {
		deferred = d->next;
		d->fn(d->p);
		free(d);
	}
}

/* The loop proper. */
int
loop_run(void)
{
	struct epoll_event	 evs[64];
	struct loop_watch	*w;
	int			 n, i;

	stopping = 0;
	while (!stopping) {
		n = epoll_wait(epfd, evs, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_error("epoll_wait: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < n; i++) {
			w = evs[i].data.ptr;
			/* A watch removed earlier in this batch is skipped;
			 * its memory is alive until the deferred frees. */
			if (w->active)
				w->cb(w, evs[i].events);
		}
		loop_run_deferred();
	}
	loop_run_deferred();
	return 0;
}

/* Make loop_run() return after the current batch. */
void
loop_stop(void)
{
	stopping = 1;
}

/* Timer expiry: disarm, then call the user. */
static void
loop_timer_cb(struct loop_watch *w, uint32_t events)
{
	struct loop_timer	*t = w->data;
	uint64_t		 n;

	if (read(w->fd, &n, sizeof n) < 0 && errno == EAGAIN)
		return;
	loop_timer_stop(t);
	t->fn(t->arg);
}

/* Arm a one-shot timer. */
int
loop_timer_start(struct loop_timer *t, unsigned ms, void (*fn)(void *),
    void *arg)
{
	struct itimerspec	 its;

	loop_timer_stop(t);
	t->fn = fn;
	t->arg = arg;
	t->w.fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (t->w.fd < 0)
		return -1;
	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000 + 1;
	t->w.events = EPOLLIN;
	t->w.cb = loop_timer_cb;
	t->w.data = t;
	if (timerfd_settime(t->w.fd, 0, &its, NULL) < 0 ||
	    loop_add(&t->w) < 0) {
		close(t->w.fd);
		t->w.fd = -1;
		return -1;
	}
	return 0;
}

/* Disarm; safe on a timer that never started (fd 0 is never a timer: the
 * daemon's fd 0 is stdin or /dev/null). */
void
loop_timer_stop(struct loop_timer *t)
{
	if (t->w.fd <= 0)
		return;
	loop_del(&t->w);
	close(t->w.fd);
	t->w.fd = -1;
}
