/* pool.c - pre-made cells and their worker thread. */
#include "pool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auraed.h"
#include "cell.h"
#include "cellinit.h"
#include "cgroup.h"
#include "exe.h"
#include "log.h"
#include "loop.h"

#define POOL_PREFIX	"run-"
#define POOL_MAX	16

static pthread_t	 worker;
static int		 worker_running;
static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 cv = PTHREAD_COND_INITIALIZER;
static struct cell	*ready[POOL_MAX];	/* guarded by mu */
static size_t		 nready;		/* guarded by mu */
static unsigned		 want;
static int		 stopping;		/* guarded by mu */

/* Wait (bounded) until a cgroup has no process, then remove it. */
static void
destroy_cgroup(const char *rel)
{
	struct timespec	 ms = { 0, 1000000 };
	int		 i;

	cgroup_kill(rel);
	for (i = 0; i < 2000 && cgroup_populated(rel); i++)
		nanosleep(&ms, NULL);
	if (cgroup_destroy(rel) < 0)
		log_warn("cannot remove cgroup %s: %s", rel, strerror(errno));
}

/* rm -r of a log directory with no subdirectories. */
static void
remove_dir(const char *dir)
{
	char		 path[PATH_MAX];
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' || (de->d_name[1] != '\0' &&
		    strcmp(de->d_name, "..") != 0)) {
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			unlink(path);
		}
	closedir(d);
	rmdir(dir);
}

/* See pool.h. */
void
pool_discard(struct cell *c)
{
	char	 path[PATH_MAX];

	if (c->init_w.fd >= 0)
		close(c->init_w.fd);
	if (c->init_pid > 0) {
		kill(c->init_pid, SIGKILL);
		waitpid(c->init_pid, NULL, 0);
	}
	if (c->init_pidfd >= 0)
		close(c->init_pidfd);
	if (c->oom_w.fd >= 0)
		close(c->oom_w.fd);
	destroy_cgroup(c->cgroup);
	cellinit_sock_path(c, path, sizeof path);
	unlink(path);
	cellinit_log_dir(c->name, path, sizeof path);
	remove_dir(path);
	cell_discard_record(c);
}

/* Worker: make one pooled cell; NULL on failure. */
static struct cell *
make_one(void)
{
	struct cell	*c;
	char		 name[64], msg[512];

	cell_fresh_name(name, sizeof name);
	if ((c = cell_alloc(name)) == NULL)
		return NULL;
	c->ns = NS_ALL;
	if (cgroup_create(c->cgroup, msg, sizeof msg) < 0) {
		log_warn("pool: %s", msg);
		cell_discard_record(c);
		return NULL;
	}
	if (cellinit_start(c, msg, sizeof msg) < 0) {
		log_warn("pool: %s", msg);
		destroy_cgroup(c->cgroup);
		cell_discard_record(c);
		return NULL;
	}
	/* Its memory events are watched from the start (the loop adds the
	 * descriptor when the cell is taken): v1's registration costs the
	 * loop a dozen system calls otherwise. */
	if ((c->oom_w.fd = cgroup_oom_watch(c->cgroup)) >= 0)
		cgroup_oom_kills(c->cgroup, &c->oom_kills);
	return c;
}

/* The worker thread: keep the list full until told to stop. */
static void *
worker_main(void *arg)
{
	struct timespec		 backoff = { 1, 0 };
	struct sched_param	 sp = { 0 };
	struct cell		*c;

	/* Make cells only with CPU time nobody else wants, so that the
	 * refill never slows the requests it is meant to speed up.  The
	 * inits it clones take the daemon's policy back (cellinit.c). */
	if (sched_setscheduler(0, SCHED_IDLE, &sp) < 0)
		log_debug("pool: SCHED_IDLE: %s", strerror(errno));
	pthread_mutex_lock(&mu);
	while (!stopping) {
		if (nready >= want) {
			pthread_cond_wait(&cv, &mu);
			continue;
		}
		pthread_mutex_unlock(&mu);
		c = make_one();
		pthread_mutex_lock(&mu);
		if (c == NULL) {
			/* Do not spin on a persistent failure. */
			pthread_mutex_unlock(&mu);
			nanosleep(&backoff, NULL);
			pthread_mutex_lock(&mu);
			continue;
		}
		if (stopping) {
			pthread_mutex_unlock(&mu);
			pool_discard(c);
			pthread_mutex_lock(&mu);
			break;
		}
		ready[nready++] = c;
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

/* Remove the pooled cells a previous daemon left: cgroups under the
 * parent whose names have no cell record (their sockets and logs too). */
static void
cleanup_stale(void)
{
	char		 rel[PATH_MAX], path[PATH_MAX];
	DIR		*d;
	struct dirent	*de;
	int		 fd;

	if (cgroup_tracking_dir_fd(cfg.cgroup_parent, &fd) == 0 &&
	    (d = fdopendir(fd)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_type != DT_DIR ||
			    strncmp(de->d_name, POOL_PREFIX,
			    strlen(POOL_PREFIX)) != 0 ||
			    cell_find(de->d_name) != NULL)
				continue;
			snprintf(rel, sizeof rel, "%s/%s", cfg.cgroup_parent,
			    de->d_name);
			log_info("removing stale pooled cell %s", rel);
			destroy_cgroup(rel);
			snprintf(path, sizeof path, "%s/cells/%s.sock",
			    cfg.run_dir, de->d_name);
			unlink(path);
			snprintf(path, sizeof path, "%s/logs/%s",
			    cfg.state_dir, de->d_name);
			remove_dir(path);
		}
		closedir(d);
	}
}

/* See pool.h. */
int
pool_init(unsigned size)
{
	cleanup_stale();
	want = size > POOL_MAX ? POOL_MAX : size;
	if (want == 0)
		return 0;
	if (pthread_create(&worker, NULL, worker_main, NULL) != 0) {
		log_warn("pool: cannot start the worker; cells are made on "
		    "demand");
		want = 0;
		return -1;
	}
	worker_running = 1;
	return 0;
}

/* See pool.h. */
void
pool_shutdown(void)
{
	size_t	 i;

	if (!worker_running)
		return;
	pthread_mutex_lock(&mu);
	stopping = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(worker, NULL);
	worker_running = 0;
	for (i = 0; i < nready; i++)
		pool_discard(ready[i]);
	nready = 0;
}

/* See pool.h. */
struct cell *
pool_take(void)
{
	struct cell	*c = NULL;

	pthread_mutex_lock(&mu);
	if (nready > 0) {
		c = ready[0];
		memmove(ready, ready + 1, --nready * sizeof ready[0]);
		pthread_cond_signal(&cv);	/* make the next one */
	}
	pthread_mutex_unlock(&mu);
	if (c != NULL && (kill(c->init_pid, 0) < 0 || cell_find(c->name))) {
		pool_discard(c);
		return NULL;
	}
	return c;
}

/* See pool.h. */
int
pool_has(const char *name)
{
	size_t	 i;
	int	 r = 0;

	pthread_mutex_lock(&mu);
	for (i = 0; i < nready; i++)
		if (strcmp(ready[i]->name, name) == 0)
			r = 1;
	pthread_mutex_unlock(&mu);
	return r;
}
