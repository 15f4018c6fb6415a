/* logs.c - logs.read: replay and follow CRI log files. */
#include "logs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auraed.h"
#include "buf.h"
#include "cell.h"
#include "cellinit.h"
#include "exe.h"
#include "log.h"
#include "methods.h"
#include "peer.h"
#include "rpc.h"

#define LOGS_MAX_LINES		100000	/* lines in one non-follow answer */
#define LOGS_READ_CHUNK		65536
#define LOGS_MAX_FILES		256

/* One log file a follower reads. */
struct lfile {
	unsigned long long	 seq;
	int			 fd;
	ino_t			 ino;
	struct buf		 part;	/* a line without its newline yet */
};

struct follower {
	struct peer		*peer;
	char			 cell[CELL_NAME_MAX + 1];
	unsigned long long	 only;		/* one executable, or 0 */
	int			 exited;	/* that executable is over */
	struct lfile		 files[LOGS_MAX_FILES];
	size_t			 nfiles;
	LIST_ENTRY(follower)	 entry;
};

static LIST_HEAD(, follower) followers = LIST_HEAD_INITIALIZER(followers);
static struct loop_watch	 inw = { .fd = -1 };
static struct loop_timer	 retry = { .w = { .fd = -1 } };

/* Split one CRI record into a JSON object; NULL if malformed. */
static cJSON *
parse_record(const char *id, const char *line)
{
	const char	*sp1, *sp2, *text;
	cJSON		*o;

	if ((sp1 = strchr(line, ' ')) == NULL ||
	    (sp2 = strchr(sp1 + 1, ' ')) == NULL || sp2[1] == '\0' ||
	    (sp2[2] != ' ' && sp2[2] != '\0'))
		return NULL;
	text = sp2[2] == ' ' ? sp2 + 3 : sp2 + 2;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", id);
	{
		char	 t[64];

		snprintf(t, sizeof t, "%.*s", (int)(sp1 - line), line);
		cJSON_AddStringToObject(o, "time", t);
	}
	cJSON_AddStringToObject(o, "stream", strncmp(sp1 + 1, "stderr", 6) ==
	    0 ? "stderr" : "stdout");
	cJSON_AddStringToObject(o, "text", text);
	cJSON_AddBoolToObject(o, "partial", sp2[1] == 'P');
	return o;
}

/* Is the record at line (RFC3339 with nanoseconds) at or after since? */
static int
after(const char *line, const char *since)
{
	return since == NULL || strncmp(line, since, strlen(since)) >= 0;
}

/* Open <dir>/<seq>.log<suffix>. */
static int
open_log(const char *cell, unsigned long long seq, const char *suffix)
{
	char	 dir[PATH_MAX], path[PATH_MAX + 64];

	cellinit_log_dir(cell, dir, sizeof dir);
	snprintf(path, sizeof path, "%s/%llu.log%s", dir, seq, suffix);
	return open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
}

/* Append every complete line of fd to out (an array), filtered by since;
 * the array is cut from the front to max lines. */
static void
read_lines(int fd, const char *id, const char *since, cJSON *out, int max)
{
	struct buf	 b = BUF_INIT;
	char		*t, *line, *nl;
	ssize_t		 n;
	cJSON		*r;

	for (;;) {
		if ((t = buf_reserve(&b, LOGS_READ_CHUNK)) == NULL)
			break;
		n = read(fd, t, LOGS_READ_CHUNK);
		if (n <= 0)
			break;
		buf_commit(&b, (size_t)n);
		while ((nl = memchr(buf_head(&b), '\n', buf_used(&b))) != NULL) {
			*nl = '\0';
			line = buf_head(&b);
			if (after(line, since) &&
			    (r = parse_record(id, line)) != NULL) {
				cJSON_AddItemToArray(out, r);
				if (cJSON_GetArraySize(out) > max)
					cJSON_DeleteItemFromArray(out, 0);
			}
			buf_consume(&b, (size_t)(nl - line) + 1);
		}
	}
	buf_free(&b);
}

/* The executable numbers that have logs in a cell, ascending. */
static size_t
cell_seqs(const char *cell, unsigned long long *seqs, size_t max)
{
	char			 dir[PATH_MAX], *end;
	DIR			*d;
	struct dirent		*de;
	size_t			 n = 0, i, j;
	unsigned long long	 v, t;

	cellinit_log_dir(cell, dir, sizeof dir);
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && n < max) {
		v = strtoull(de->d_name, &end, 10);
		if (end != de->d_name && strcmp(end, ".log") == 0)
			seqs[n++] = v;
	}
	closedir(d);
	for (i = 1; i < n; i++)		/* few: insertion sort */
		for (j = i; j > 0 && seqs[j - 1] > seqs[j]; j--) {
			t = seqs[j];
			seqs[j] = seqs[j - 1];
			seqs[j - 1] = t;
		}
	return n;
}

/* Order records by time (RFC3339 strings sort as times). */
static int
by_time(const void *a, const void *b)
{
	const cJSON	*x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;

	return strcmp(cJSON_GetObjectItemCaseSensitive(x, "time")->valuestring,
	    cJSON_GetObjectItemCaseSensitive(y, "time")->valuestring);
}

/* Replay the logs of cell (one seq, or all when only is 0) into out. */
static void
replay(const char *cell, unsigned long long only, const char *since,
    int tail, cJSON *out)
{
	unsigned long long	 seqs[LOGS_MAX_FILES];
	size_t			 n, i, k;
	char			 id[CELL_NAME_MAX + 32];
	cJSON			**v, *all, *it;
	int			 fd, m;

	if (only) {
		seqs[0] = only;
		n = 1;
	} else
		n = cell_seqs(cell, seqs, LOGS_MAX_FILES);
	all = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%s.%llu", cell, seqs[i]);
		if ((fd = open_log(cell, seqs[i], ".1")) >= 0) {
			read_lines(fd, id, since, all, LOGS_MAX_LINES);
			close(fd);
		}
		if ((fd = open_log(cell, seqs[i], "")) >= 0) {
			read_lines(fd, id, since, all, LOGS_MAX_LINES);
			close(fd);
		}
	}
	m = cJSON_GetArraySize(all);
	if (n > 1 && m > 1) {
		/* Several executables: interleave by time. */
		v = calloc((size_t)m, sizeof *v);
		k = 0;
		while ((it = all->child) != NULL && v != NULL)
			v[k++] = cJSON_DetachItemViaPointer(all, it);
		if (v != NULL) {
			qsort(v, k, sizeof *v, by_time);
			for (i = 0; i < k; i++)
				cJSON_AddItemToArray(all, v[i]);
			free(v);
		}
	}
	while (tail >= 0 && cJSON_GetArraySize(all) > tail)
		cJSON_DeleteItemFromArray(all, 0);
	while ((it = all->child) != NULL)
		cJSON_AddItemToArray(out, cJSON_DetachItemViaPointer(all, it));
	cJSON_Delete(all);
}

/* Remove and free a follower. */
static void
follower_free(struct follower *f)
{
	size_t	 i;

	LIST_REMOVE(f, entry);
	for (i = 0; i < f->nfiles; i++) {
		if (f->files[i].fd >= 0)
			close(f->files[i].fd);
		buf_free(&f->files[i].part);
	}
	peer_idle(f->peer);
	peer_unref(f->peer);
	free(f);
}

/* Send what one file holds beyond the follower's offset. */
static int
pump_file(struct follower *f, struct lfile *lf)
{
	char		 id[CELL_NAME_MAX + 32], *t, *nl, *line;
	struct stat	 st;
	ssize_t		 n;
	cJSON		*r;
	int		 fd;

	snprintf(id, sizeof id, "%s.%llu", f->cell, lf->seq);
	if (lf->fd < 0) {
		if ((lf->fd = open_log(f->cell, lf->seq, "")) < 0)
			return 0;
		fstat(lf->fd, &st);
		lf->ino = st.st_ino;
	}
	for (;;) {
		if (buf_used(&f->peer->wq) >= PEER_HIGH_WATER)
			return 1;	/* backpressure: come back later */
		if ((t = buf_reserve(&lf->part, LOGS_READ_CHUNK)) == NULL)
			return 0;
		n = read(lf->fd, t, LOGS_READ_CHUNK);
		if (n > 0) {
			buf_commit(&lf->part, (size_t)n);
			while ((nl = memchr(buf_head(&lf->part), '\n',
			    buf_used(&lf->part))) != NULL) {
				*nl = '\0';
				line = buf_head(&lf->part);
				if ((r = parse_record(id, line)) != NULL)
					rpc_notify(f->peer, "logs.line", r);
				buf_consume(&lf->part, (size_t)(nl - line) + 1);
			}
			continue;
		}
		/* At EOF: has the file been rotated under us? */
		fd = open_log(f->cell, lf->seq, "");
		if (fd >= 0 && fstat(fd, &st) == 0 && st.st_ino != lf->ino) {
			close(lf->fd);
			lf->fd = fd;
			lf->ino = st.st_ino;
			continue;
		}
		if (fd >= 0)
			close(fd);
		return 0;
	}
}

/* Bring a follower up to date; send logs.end when it is over. */
static void
follower_poll(struct follower *f)
{
	unsigned long long	 seqs[LOGS_MAX_FILES];
	size_t			 i, j, n;
	int			 backlog = 0;

	if (f->only == 0) {
		/* New executables of the cell join the stream. */
		n = cell_seqs(f->cell, seqs, LOGS_MAX_FILES);
		for (i = 0; i < n; i++) {
			for (j = 0; j < f->nfiles; j++)
				if (f->files[j].seq == seqs[i])
					break;
			if (j == f->nfiles && f->nfiles < LOGS_MAX_FILES) {
				memset(&f->files[j], 0, sizeof f->files[j]);
				f->files[j].seq = seqs[i];
				f->files[j].fd = -1;
				f->nfiles++;
			}
		}
	}
	for (i = 0; i < f->nfiles; i++)
		backlog |= pump_file(f, &f->files[i]);
	if (backlog) {
		loop_timer_start(&retry, 50, logs_retry, NULL);
		return;
	}
	if (f->exited) {
		rpc_notify(f->peer, "logs.end", cJSON_CreateObject());
		follower_free(f);
	}
}

/* Retry every follower (after backpressure). */
void
logs_retry(void *arg)
{
	struct follower	*f, *next;

	for (f = LIST_FIRST(&followers); f != NULL; f = next) {
		next = LIST_NEXT(f, entry);
		follower_poll(f);
	}
}

/* inotify: a log directory changed. */
static void
inotify_cb(struct loop_watch *w, uint32_t events)
{
	char	 b[8192];

	/* Which directory does not matter much: few followers exist. */
	while (read(w->fd, b, sizeof b) > 0)
		;
	logs_retry(NULL);
}

/* See logs.h. */
int
logs_init(void)
{
	inw.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (inw.fd < 0)
		return -1;
	inw.events = EPOLLIN;
	inw.cb = inotify_cb;
	return loop_add(&inw);
}

/* See logs.h. */
void
logs_peer_gone(struct peer *p)
{
	struct follower	*f, *next;

	for (f = LIST_FIRST(&followers); f != NULL; f = next) {
		next = LIST_NEXT(f, entry);
		if (f->peer == p)
			follower_free(f);
	}
}

/* See logs.h. */
void
logs_exe_exited(const struct cell *c, unsigned long long seq)
{
	struct follower	*f, *next;

	for (f = LIST_FIRST(&followers); f != NULL; f = next) {
		next = LIST_NEXT(f, entry);
		if (f->only == seq && strcmp(f->cell, c->name) == 0) {
			f->exited = 1;
			follower_poll(f);
		}
	}
}

/* See logs.h. */
void
logs_cell_removed(const char *cell)
{
	struct follower	*f, *next;

	for (f = LIST_FIRST(&followers); f != NULL; f = next) {
		next = LIST_NEXT(f, entry);
		if (strcmp(f->cell, cell) == 0) {
			f->exited = 1;
			follower_poll(f);
		}
	}
}

/* Format a unix time as the RFC3339 prefix used in records. */
static void
since_string(double t, char *out, size_t len)
{
	time_t		 s = (time_t)t;
	struct tm	 tm;
	size_t		 n;

	gmtime_r(&s, &tm);
	n = strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, len - n, ".%09ldZ", (long)((t - (double)s) * 1e9));
}

/* logs.read {id | cell, tail?, since?, follow?} */
static void
m_read(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "id", "cell", "tail", "since",
	    "follow", NULL };
	const char		*id = NULL, *cname = NULL;
	const cJSON		*sv;
	char			 cellname[CELL_NAME_MAX + 1], since[64], dir[PATH_MAX];
	char			*end;
	const char		*dot;
	long long		 tail = -1;
	unsigned long long	 seq = 0;
	int			 follow = 0, fd;
	struct follower		*f;
	struct exe		*e;
	struct cell		*cell;
	cJSON			*r;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_string(c, params, "id", 0, &id) < 0 ||
	    rpc_param_string(c, params, "cell", 0, &cname) < 0 ||
	    rpc_param_int(c, params, "tail", 0, 0, LOGS_MAX_LINES, &tail) < 0 ||
	    rpc_param_bool(c, params, "follow", 0, &follow) < 0)
		return;
	sv = cJSON_GetObjectItemCaseSensitive(params, "since");
	since[0] = '\0';
	if (sv != NULL && !cJSON_IsNull(sv)) {
		if (!cJSON_IsNumber(sv) || sv->valuedouble < 0) {
			rpc_error(c, AE_INVALID_ARGUMENT, "parameter 'since' "
			    "must be unix seconds");
			return;
		}
		since_string(sv->valuedouble, since, sizeof since);
	}
	if ((id == NULL) == (cname == NULL)) {
		rpc_error(c, AE_INVALID_ARGUMENT, "give either 'id' (CELL.N) "
		    "or 'cell'");
		return;
	}
	if (id != NULL) {
		dot = strrchr(id, '.');
		if (dot == NULL || dot == id ||
		    (size_t)(dot - id) > CELL_NAME_MAX ||
		    (seq = strtoull(dot + 1, &end, 10)) == 0 || *end != '\0') {
			rpc_error(c, AE_INVALID_ARGUMENT, "'%s' is not an "
			    "executable name (CELL.N)", id);
			return;
		}
		snprintf(cellname, sizeof cellname, "%.*s", (int)(dot - id), id);
		if ((fd = open_log(cellname, seq, "")) < 0 && exe_find(id) ==
		    NULL) {
			rpc_error(c, AE_NOT_FOUND, "no logs for '%s'", id);
			return;
		}
		if (fd >= 0)
			close(fd);
	} else {
		snprintf(cellname, sizeof cellname, "%s", cname);
		if (cell_find(cname) == NULL) {
			rpc_error(c, AE_NOT_FOUND, "no cell named '%s'", cname);
			return;
		}
	}
	if (!follow) {
		r = cJSON_CreateObject();
		replay(cellname, seq, since[0] ? since : NULL, (int)tail,
		    cJSON_AddArrayToObject(r, "lines"));
		rpc_reply(c, r);
		return;
	}
	if ((f = calloc(1, sizeof *f)) == NULL) {
		rpc_error(c, AE_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	f->peer = c->peer;
	peer_ref(f->peer);
	peer_busy(f->peer);
	snprintf(f->cell, sizeof f->cell, "%s", cellname);
	f->only = seq;
	cell = cell_find(cellname);
	e = id ? exe_find(id) : NULL;
	f->exited = id ? (e == NULL || e->state == EXE_EXITED) : cell == NULL;
	LIST_INSERT_HEAD(&followers, f, entry);
	cellinit_log_dir(cellname, dir, sizeof dir);
	inotify_add_watch(inw.fd, dir, IN_MODIFY | IN_CREATE | IN_MOVED_TO);
	r = cJSON_CreateObject();
	cJSON_AddTrueToObject(r, "following");
	rpc_reply(c, r);
	/* History first (tail and since apply to it), then live lines. */
	r = cJSON_CreateArray();
	replay(cellname, seq, since[0] ? since : NULL, (int)tail, r);
	{
		cJSON	*it;

		while ((it = r->child) != NULL)
			rpc_notify(f->peer, "logs.line",
			    cJSON_DetachItemViaPointer(r, it));
	}
	cJSON_Delete(r);
	/* Start each file at its end: the history has been sent. */
	{
		unsigned long long	 seqs[LOGS_MAX_FILES];
		size_t			 n, i;
		struct stat		 st;

		n = seq ? 1 : cell_seqs(cellname, seqs, LOGS_MAX_FILES);
		if (seq)
			seqs[0] = seq;
		for (i = 0; i < n; i++) {
			f->files[i].seq = seqs[i];
			f->files[i].fd = open_log(cellname, seqs[i], "");
			if (f->files[i].fd >= 0 &&
			    fstat(f->files[i].fd, &st) == 0) {
				f->files[i].ino = st.st_ino;
				lseek(f->files[i].fd, 0, SEEK_END);
			}
		}
		f->nfiles = n;
	}
	follower_poll(f);
}

const struct rpc_method methods_logs[] = {
	{ "logs.read", m_read, "replay or follow executables' logs" },
	{ NULL, NULL, NULL }
};
