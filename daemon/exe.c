/* exe.c - executables and the daemon's side of the init protocol. */
#include "exe.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "fdpass.h"
#include "cell.h"
#include "cellinit.h"
#include "events.h"
#include "log.h"
#include "logs.h"
#include "peer.h"
#include "rpc.h"

static void	exe_hangup(struct exe *);

/* Find "<cell>.<n>". */
struct exe *
exe_find(const char *id)
{
	const char	*dot = strrchr(id, '.');
	char		 cname[CELL_NAME_MAX + 1], *end;
	struct cell	*c;
	struct exe	*e;
	unsigned long long seq;

	if (dot == NULL || dot == id || (size_t)(dot - id) > CELL_NAME_MAX)
		return NULL;
	memcpy(cname, id, (size_t)(dot - id));
	cname[dot - id] = '\0';
	seq = strtoull(dot + 1, &end, 10);
	if (*end != '\0' || end == dot + 1 || (c = cell_find(cname)) == NULL)
		return NULL;
	TAILQ_FOREACH(e, &c->exes, entry)
		if (e->seq == seq)
			return e;
	return NULL;
}

/* Exit code and signal of a wait status as JSON members. */
static void
add_status(cJSON *o, int status)
{
	if (status < 0) {
		cJSON_AddNullToObject(o, "exit_code");
		cJSON_AddNullToObject(o, "signal");
	} else if (WIFSIGNALED(status)) {
		cJSON_AddNullToObject(o, "exit_code");
		cJSON_AddNumberToObject(o, "signal", WTERMSIG(status));
	} else {
		cJSON_AddNumberToObject(o, "exit_code", WEXITSTATUS(status));
		cJSON_AddNullToObject(o, "signal");
	}
}

/* The command line as one string, for tables. */
static void
add_command(cJSON *o, const cJSON *argv)
{
	struct buf	 b = BUF_INIT;
	const cJSON	*a;

	cJSON_ArrayForEach(a, argv) {
		if (buf_used(&b))
			buf_append(&b, " ", 1);
		if (cJSON_IsString(a))
			buf_printf(&b, "%s", a->valuestring);
	}
	buf_append(&b, "", 1);
	cJSON_AddStringToObject(o, "command", buf_head(&b) ? buf_head(&b) :
	    "");
	buf_free(&b);
}

/* See exe.h. */
cJSON *
exe_json(const struct exe *e)
{
	static const char *const states[] = { "starting", "running",
	    "exited" };
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", e->id);
	cJSON_AddStringToObject(o, "cell", e->cell->name);
	cJSON_AddStringToObject(o, "state", states[e->state]);
	if (e->pid > 0)
		cJSON_AddNumberToObject(o, "pid", e->pid);
	else
		cJSON_AddNullToObject(o, "pid");
	if (e->state == EXE_EXITED)
		add_status(o, e->status);
	else {
		cJSON_AddNullToObject(o, "exit_code");
		cJSON_AddNullToObject(o, "signal");
	}
	add_command(o, e->argv);
	cJSON_AddNumberToObject(o, "uid", (double)e->uid);
	cJSON_AddBoolToObject(o, "tty", e->tty);
	cJSON_AddBoolToObject(o, "session", e->attached != NULL);
	cJSON_AddNumberToObject(o, "started", (double)e->started / 1000.0);
	if (e->state == EXE_EXITED && e->exited > 0)
		cJSON_AddNumberToObject(o, "exited", (double)e->exited / 1000.0);
	cJSON_AddItemToObject(o, "argv", cJSON_Duplicate(e->argv, 1));
	return o;
}

/* Answer the waiters of e, which never started (a wait may be sent
 * before the start is answered: cellrun pipelines them). */
static void
fail_waiters(struct exe *e, const char *why)
{
	struct exe_waiter	*w;

	while ((w = TAILQ_FIRST(&e->waiters)) != NULL) {
		TAILQ_REMOVE(&e->waiters, w, entry);
		rpc_error(w->call, AE_NOT_FOUND, "%s did not start: %s", e->id,
		    why);
		free(w);
	}
}

/* Free one record (its waiters must have been answered). */
static void
exe_free(struct exe *e)
{
	if (e->attached != NULL)
		peer_unref(e->attached);
	cJSON_Delete(e->argv);
	free(e);
}

/* Keep at most EXE_KEEP_EXITED exited records per cell. */
static void
prune(struct cell *c)
{
	struct exe	*e, *next;

	for (e = TAILQ_FIRST(&c->exes); e != NULL && c->nexited >
	    EXE_KEEP_EXITED; e = next) {
		next = TAILQ_NEXT(e, entry);
		if (e->state != EXE_EXITED || !TAILQ_EMPTY(&e->waiters))
			continue;
		TAILQ_REMOVE(&c->exes, e, entry);
		c->nexited--;
		/* Its session goes with the record that ties it to a client:
		 * nothing of a session outlives what could end it. */
		if (e->attached != NULL)
			exe_hangup(e);
		exe_free(e);
	}
}

/* The wait answer. */
static cJSON *
wait_result(const struct exe *e)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", e->id);
	add_status(o, e->status);
	return o;
}

/* Tell the init exit seq of c is recorded (no answer comes). */
static void
forget_seq(struct cell *c, uint64_t seq)
{
	struct init_hdr	 h;

	memset(&h, 0, sizeof h);
	h.type = INIT_FORGET;
	h.id = seq;
	cellinit_send(c, &h, NULL, 0, NULL, 0);
}

/* Are the waits for e, which has exited, held until its cell is gone?
 * Those for the command of a cells.run cell are. */
static int
holds_waits(const struct exe *e)
{
	return e->seq == e->cell->run_seq;
}

/* Does a cells.run cell go now?  It goes once its command has ended (or
 * could not start) and its caller has waited for it or gone away: a
 * caller that waits always gets the status, however soon the command
 * ends.  The removal is lazy and answers the held waits
 * (exe_answer_held). */
static int
run_ends(struct cell *c)
{
	struct exe	*e;

	if (c->run_seq == 0)
		return 0;
	e = exe_find_seq(c, c->run_seq);
	return e == NULL || (e->state == EXE_EXITED &&
	    (!TAILQ_EMPTY(&e->waiters) || c->run_peer == NULL));
}

/* Remove a cells.run cell whose time has come (run_ends()). */
static void
run_check(struct cell *c)
{
	if (run_ends(c))
		cell_remove_soon(c);
}

/* Record an exit and tell waiters and subscribers. */
static void
exe_exited(struct exe *e, int status, int64_t when)
{
	struct exe_waiter	*w;
	cJSON			*ev;

	if (e->state == EXE_EXITED)
		return;
	e->state = EXE_EXITED;
	e->status = status;
	e->exited = when;
	/* An attached session stays tied to its client after its leader
	 * has exited: background jobs of the session may still run, and are
	 * killed when the client goes (exe_peer_gone), whichever of the two
	 * the daemon hears of first. */
	e->cell->nexited++;
	/* The waits for a cells.run command are answered once its cell is
	 * gone (exe_answer_held). */
	while (!holds_waits(e) && (w = TAILQ_FIRST(&e->waiters)) != NULL) {
		TAILQ_REMOVE(&e->waiters, w, entry);
		rpc_reply(w->call, wait_result(e));
		free(w);
	}
	ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "id", e->id);
	cJSON_AddStringToObject(ev, "cell", e->cell->name);
	add_status(ev, status);
	events_emit("executable.exited", ev);
	logs_exe_exited(e->cell, e->seq);
	/* Recorded (the saved state no longer lists it as running): the
	 * init may forget it.  Until then it would tell a restarted daemon
	 * again, so no exit is lost when we die with its message unread. */
	if (!holds_waits(e) || !run_ends(e->cell)) {
		if (cell_save(e->cell) == 0)
			forget_seq(e->cell, e->seq);
	}
	/* (A cells.run cell that goes now keeps its record as it was: the
	 * record goes with the cell, and until then the init still knows
	 * the exit.) */
	prune(e->cell);
	run_check(e->cell);
}

/* Queue a pending request. */
static int
pending_push(struct cell *c, int type, struct rpc_call *call, struct exe *e)
{
	struct init_pending	*p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return -1;
	p->type = type;
	p->call = call;
	p->exe = e;
	TAILQ_INSERT_TAIL(&c->pending, p, entry);
	return 0;
}

/* Append a string array's items, NUL-terminated, to b; count them. */
static int
pack_strings(struct buf *b, const cJSON *arr, uint32_t *n)
{
	const cJSON	*a;

	*n = 0;
	cJSON_ArrayForEach(a, arr) {
		if (!cJSON_IsString(a))
			return -1;
		buf_append(b, a->valuestring, strlen(a->valuestring) + 1);
		(*n)++;
	}
	return 0;
}

/* See exe.h. */
void
exe_start(struct cell *c, struct rpc_call *call, const struct exe_spec *sp)
{
	struct init_hdr	 h;
	struct exe	*e;
	struct buf	 data = BUF_INIT;
	const cJSON	*argv = sp->argv, *env = sp->env;
	const char	*cwd = sp->cwd;
	int		 pass[3];
	size_t		 npass = 0, i;

	memset(&h, 0, sizeof h);
	h.type = INIT_SPAWN;
	h.uid = sp->uid;
	h.gid = sp->gid;
	for (i = 0; i < 3; i++)
		if (sp->fds[i] >= 0) {
			h.flags |= 1u << i;
			pass[npass++] = sp->fds[i];
		}
	/* A session of its own: an attached one is killed by session when
	 * its client goes (background jobs have their own groups). */
	if (sp->setsid || sp->attach)
		h.flags |= INIT_F_SETSID;
	if (sp->cwd_optional)
		h.flags |= INIT_F_CWD_OPTIONAL;
	if (sp->tty) {
		h.flags |= INIT_F_TTY;
		h.rows = (uint16_t)sp->rows;
		h.cols = (uint16_t)sp->cols;
	}
	if (pack_strings(&data, argv, &h.nargv) < 0 ||
	    (env && pack_strings(&data, env, &h.nenv) < 0)) {
		rpc_error(call, AE_INVALID_ARGUMENT, "argv and env must be "
		    "arrays of strings");
		goto out;
	}
	buf_append(&data, cwd ? cwd : "", strlen(cwd ? cwd : "") + 1);
	h.datalen = (uint32_t)buf_used(&data);
	if ((e = calloc(1, sizeof *e)) == NULL) {
		rpc_error(call, AE_RESOURCE_EXHAUSTED, "out of memory");
		goto out;
	}
	e->cell = c;
	e->seq = ++c->next_seq;
	snprintf(e->id, sizeof e->id, "%s.%llu", c->name,
	    (unsigned long long)e->seq);
	e->argv = cJSON_Duplicate(argv, 1);
	e->state = EXE_STARTING;
	e->status = -1;
	e->uid = sp->uid;
	e->tty = sp->tty;
	if (sp->attach) {
		e->attached = call->peer;
		peer_ref(e->attached);
	}
	TAILQ_INIT(&e->waiters);
	h.id = e->seq;
	if (cellinit_send(c, &h, buf_head(&data), buf_used(&data), pass,
	    npass) < 0 || pending_push(c, INIT_SPAWN, call, e) < 0) {
		rpc_error(call, errno == E2BIG ? AE_INVALID_ARGUMENT :
		    AE_UNAVAILABLE, "cannot start in cell '%s': %s", c->name,
		    errno == E2BIG ? "argv and env too large" :
		    strerror(errno));
		exe_free(e);
		goto out;
	}
	TAILQ_INSERT_TAIL(&c->exes, e, entry);
	cell_save(c);
out:
	for (i = 0; i < npass; i++)
		close(pass[i]);
	buf_free(&data);
}

/* See exe.h. */
void
exe_signal(struct exe *e, int sig, struct rpc_call *call)
{
	struct init_hdr	 h;

	if (e->state != EXE_RUNNING) {
		rpc_error(call, AE_CONFLICT, "%s is not running", e->id);
		return;
	}
	memset(&h, 0, sizeof h);
	h.type = INIT_SIGNAL;
	h.id = e->seq;
	h.status = sig;
	if (cellinit_send(e->cell, &h, NULL, 0, NULL, 0) < 0 ||
	    pending_push(e->cell, INIT_SIGNAL, call, e) < 0)
		rpc_error(call, AE_UNAVAILABLE, "cannot reach the init of "
		    "cell '%s': %s", e->cell->name, strerror(errno));
}

/* See exe.h. */
void
exe_wait(struct exe *e, struct rpc_call *call)
{
	struct exe_waiter	*w;

	if (e->state == EXE_EXITED && !holds_waits(e)) {
		rpc_reply(call, wait_result(e));
		return;
	}
	if ((w = calloc(1, sizeof *w)) == NULL) {
		rpc_error(call, AE_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	w->call = call;
	TAILQ_INSERT_TAIL(&e->waiters, w, entry);
	if (e->state == EXE_EXITED)
		run_check(e->cell);
}

/* See exe.h. */
struct exe *
exe_find_seq(struct cell *c, uint64_t seq)
{
	struct exe	*e;

	TAILQ_FOREACH(e, &c->exes, entry)
		if (e->seq == seq)
			return e;
	return NULL;
}

/* Answer a failed start with what failed.  Only a failed exec is the
 * command's fault (126, 127 for the tools): it carries errno and reason
 * "exec" in error.data. */
static void
spawn_error(struct rpc_call *call, int stage, int err, const char *cmd)
{
	cJSON	*data;

	switch (stage) {
	case INIT_STAGE_EXEC:
		data = cJSON_CreateObject();
		cJSON_AddNumberToObject(data, "errno", err);
		cJSON_AddStringToObject(data, "reason", "exec");
		rpc_error_data(call, err == ENOENT ? AE_NOT_FOUND :
		    err == EACCES || err == EPERM ?
		    AE_PERMISSION_DENIED : AE_INVALID_ARGUMENT, data,
		    "cannot execute '%s': %s", cmd, strerror(err));
		break;
	case INIT_STAGE_CWD:
		rpc_error(call, AE_INVALID_ARGUMENT, "cannot change to the "
		    "working directory: %s", strerror(err));
		break;
	case INIT_STAGE_USER:
		rpc_error(call, AE_PERMISSION_DENIED, "cannot switch to the "
		    "user and group: %s", strerror(err));
		break;
	default:
		rpc_error(call, err == EAGAIN ? AE_RESOURCE_EXHAUSTED :
		    AE_INTERNAL, "cannot start in the cell: %s",
		    strerror(err));
	}
}

/* The answer to the oldest pending request. */
static void
handle_reply(struct cell *c, const struct init_hdr *h, int fd)
{
	struct init_pending	*p = TAILQ_FIRST(&c->pending);
	struct exe		*e;
	cJSON			*r;
	const char		*cmd;

	if (p == NULL) {
		log_warn("cell %s: unexpected answer from init", c->name);
		if (fd >= 0)
			close(fd);
		return;
	}
	TAILQ_REMOVE(&c->pending, p, entry);
	e = p->exe;
	if (p->call == NULL) {
		/* A signal sent for a session whose client has gone. */
		if (fd >= 0)
			close(fd);
		free(p);
		return;
	}
	if (h->type == INIT_SPAWNED && p->type == INIT_SPAWN) {
		if (h->err != 0) {
			cmd = cJSON_GetArrayItem(e->argv, 0) ?
			    cJSON_GetArrayItem(e->argv, 0)->valuestring : "";
			TAILQ_REMOVE(&c->exes, e, entry);
			fail_waiters(e, strerror(h->err));
			if (e->seq == c->run_seq && c->run_failed == NULL) {
				/* cells.run: answered once the cell is gone. */
				c->run_failed = p->call;
				c->run_failed_stage = (int)h->status;
				c->run_failed_errno = h->err;
				snprintf(c->run_failed_cmd,
				    sizeof c->run_failed_cmd, "%s", cmd);
				cell_remove_soon(c);
			} else {
				spawn_error(p->call, (int)h->status, h->err,
				    cmd);
				/* The record listed it from the start on (a
				 * cells.run cell's goes with the cell). */
				cell_save(c);
			}
			exe_free(e);
		} else {
			e->state = EXE_RUNNING;
			e->pid = h->pid;
			e->started = h->started;
			r = cJSON_CreateObject();
			cJSON_AddStringToObject(r, "id", e->id);
			cJSON_AddNumberToObject(r, "pid", e->pid);
			if (e->seq == c->run_seq)
				cJSON_AddStringToObject(r, "cell", c->name);
			/* A terminal's master travels on to the client, which
			 * then owns the session's terminal. */
			if (fd >= 0)
				rpc_reply_fds(p->call, r, &fd, 1);
			else
				rpc_reply(p->call, r);
			fd = -1;
			r = cJSON_CreateObject();
			cJSON_AddStringToObject(r, "id", e->id);
			cJSON_AddStringToObject(r, "cell", c->name);
			cJSON_AddNumberToObject(r, "pid", e->pid);
			add_command(r, e->argv);
			events_emit("executable.started", r);
			/* No save: the record lists it since exe_start(),
			 * and nothing recorded has changed. */
		}
	} else if (h->type == INIT_RESULT && p->type == INIT_SIGNAL) {
		if (h->err == 0)
			rpc_reply(p->call, NULL);
		else
			rpc_error(p->call, h->err == ESRCH ? AE_CONFLICT :
			    AE_INVALID_ARGUMENT, "cannot signal %s: %s", e->id,
			    strerror(h->err));
	} else {
		log_warn("cell %s: init answered %u to request %d", c->name,
		    h->type, p->type);
		rpc_error(p->call, AE_INTERNAL, "the cell init answered out "
		    "of order");
	}
	if (fd >= 0)
		close(fd);
	free(p);
}

/* Messages from the init. */
static void
init_readable(struct loop_watch *w, uint32_t events)
{
	struct cell	*c = w->data;
	struct init_hdr	 h;
	struct exe	*e;
	ssize_t		 n;
	int		 fds[1], fd;
	size_t		 nfds;

	for (;;) {
		fd = -1;
		/* The socket blocks (for sends); reads must not. */
		n = fdpass_recv_flags(w->fd, &h, sizeof h, fds, 1, &nfds,
		    MSG_DONTWAIT);
		if (nfds == 1)
			fd = fds[0];
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			if (!c->remove_started)
				log_warn("cell %s: lost the connection to its "
				    "init", c->name);
			exe_detach_init(c, 0);
			return;
		}
		if ((size_t)n < sizeof h)
			continue;
		switch (h.type) {
		case INIT_SPAWNED:
		case INIT_RESULT:
			handle_reply(c, &h, fd);
			fd = -1;
			break;
		case INIT_EXITED:
			if ((e = exe_find_seq(c, h.id)) != NULL)
				exe_exited(e, h.status, h.exited);
			break;
		case INIT_ENTRY:
			if ((e = exe_find_seq(c, h.id)) == NULL) {
				/* An exit recorded before, whose INIT_FORGET
				 * was lost: let the init drop it now. */
				if (!h.running)
					forget_seq(c, h.id);
				break;
			}
			e->pid = h.pid;
			e->started = h.started;
			if (h.running)
				e->state = EXE_RUNNING;
			else {
				e->state = EXE_RUNNING;
				exe_exited(e, h.status, h.exited);
			}
			break;
		case INIT_END:
			/* Records the init no longer knows ended while no one
			 * listened: their status is lost. */
			TAILQ_FOREACH(e, &c->exes, entry)
				if (e->state == EXE_STARTING)
					exe_exited(e, -1, 0);
			/* A cells.run cell whose command ended while no one
			 * listened (or never started) goes now: its caller
			 * went with the daemon. */
			run_check(c);
			break;
		}
		if (fd >= 0)
			close(fd);	/* none expected with this message */
	}
}

/* The init process exited. */
static void
init_gone(struct loop_watch *w, uint32_t events)
{
	struct cell	*c = w->data;

	if (!c->remove_started)
		log_warn("cell %s: init exited", c->name);
	exe_detach_init(c, 1);
	if (c->remove_started)
		cell_remove_progress(c);	/* no need to wait for a poll */
}

/* See exe.h. */
int
exe_attach_init(struct cell *c, int hello)
{
	struct init_hdr	 h;

	c->init_w.events = EPOLLIN;
	c->init_w.cb = init_readable;
	c->init_w.data = c;
	if (loop_add(&c->init_w) < 0)
		return -1;
	if (c->init_pidfd >= 0) {
		c->init_exit.fd = c->init_pidfd;
		c->init_exit.events = EPOLLIN;
		c->init_exit.cb = init_gone;
		c->init_exit.data = c;
		loop_add(&c->init_exit);
	}
	if (hello) {
		memset(&h, 0, sizeof h);
		h.type = INIT_HELLO;
		return cellinit_send(c, &h, NULL, 0, NULL, 0);
	}
	return 0;
}

/* See exe.h. */
void
exe_detach_init(struct cell *c, int killed)
{
	struct init_pending	*p;
	struct exe		*e;

	if (c->init_w.fd >= 0) {
		loop_del(&c->init_w);
		close(c->init_w.fd);
		c->init_w.fd = -1;
	}
	if (killed && c->init_pidfd >= 0) {
		loop_del(&c->init_exit);
		close(c->init_pidfd);
		c->init_pidfd = -1;
		/* The pid is not ours to reap when we were restarted. */
		waitpid(c->init_pid, NULL, WNOHANG);
	}
	/* Forget the pid even when it had no pidfd (a restored cell whose
	 * init was gone): it may be some other process's by now. */
	if (killed)
		c->init_pid = 0;
	while ((p = TAILQ_FIRST(&c->pending)) != NULL) {
		TAILQ_REMOVE(&c->pending, p, entry);
		if (p->type == INIT_SPAWN) {
			TAILQ_REMOVE(&c->exes, p->exe, entry);
			fail_waiters(p->exe, "the init has gone");
			exe_free(p->exe);
		}
		if (p->call != NULL)
			rpc_error(p->call, AE_UNAVAILABLE, "the init of cell "
			    "'%s' has gone", c->name);
		free(p);
	}
	if (killed)
		TAILQ_FOREACH(e, &c->exes, entry)
			if (e->state != EXE_EXITED)
				exe_exited(e, SIGKILL, 0);
}

/* See exe.h. */
void
exe_free_all(struct cell *c)
{
	struct exe		*e;
	struct exe_waiter	*w;

	while ((e = TAILQ_FIRST(&c->exes)) != NULL) {
		TAILQ_REMOVE(&c->exes, e, entry);
		while ((w = TAILQ_FIRST(&e->waiters)) != NULL) {
			TAILQ_REMOVE(&e->waiters, w, entry);
			rpc_error(w->call, AE_NOT_FOUND, "cell '%s' was "
			    "removed", c->name);
			free(w);
		}
		exe_free(e);
	}
	c->nexited = 0;
	if (c->run_peer != NULL) {
		peer_unref(c->run_peer);
		c->run_peer = NULL;
	}
}

/* See exe.h. */
void
exe_run(struct cell *c, struct rpc_call *call, struct exe_spec *sp)
{
	uint64_t	 seq = c->next_seq + 1;	/* the number exe_start gives */

	c->run_seq = seq;
	c->run_peer = call->peer;
	peer_ref(c->run_peer);
	exe_start(c, call, sp);
	/* Refused before it reached the init (answered): nothing else will
	 * end the cell. */
	if (exe_find_seq(c, seq) == NULL)
		cell_remove_soon(c);
}

/* See exe.h. */
void
exe_answer_held(struct cell *c)
{
	struct exe		*e;
	struct exe_waiter	*w;
	struct rpc_call		*call;

	cJSON			*r;

	/* A cells.run command's wait also carries its cell's usage, read
	 * while the cgroup is still there (cellrun --wait). */
	TAILQ_FOREACH(e, &c->exes, entry)
		while (e->state == EXE_EXITED &&
		    (w = TAILQ_FIRST(&e->waiters)) != NULL) {
			TAILQ_REMOVE(&e->waiters, w, entry);
			r = wait_result(e);
			if (holds_waits(e))
				cell_add_usage(c, r);
			rpc_reply(w->call, r);
			free(w);
		}
	if ((call = c->run_failed) != NULL) {
		c->run_failed = NULL;
		spawn_error(call, c->run_failed_stage, c->run_failed_errno,
		    c->run_failed_cmd);
	}
}

/* See exe.h. */
unsigned
exe_count(const struct cell *c, int state)
{
	const struct exe	*e;
	unsigned		 n = 0;

	TAILQ_FOREACH(e, &c->exes, entry)
		if (e->state == state)
			n++;
	return n;
}

/* Send a signal to every process of an executable's session through its
 * init, answering nobody. */
static void
exe_kill(struct exe *e, int sig)
{
	struct init_hdr	 h;

	memset(&h, 0, sizeof h);
	h.type = INIT_SIGNAL;
	h.flags = INIT_F_SESSION;
	h.id = e->seq;
	h.pid = e->pid;
	h.status = sig;
	/* No record in the pending entry: nobody is answered, and the
	 * record may be freed before the init answers. */
	if (cellinit_send(e->cell, &h, NULL, 0, NULL, 0) == 0)
		pending_push(e->cell, INIT_SIGNAL, NULL, NULL);
}

/* Hang up an attached session and kill what is left of it: SIGHUP, as a
 * terminal hang-up would, SIGCONT for stopped jobs, then SIGKILL.  Even
 * when the leader has exited: its session's background jobs may not have
 * (the session id stays taken while any of them lives). */
static void
exe_hangup(struct exe *e)
{
	exe_kill(e, SIGHUP);
	exe_kill(e, SIGCONT);
	exe_kill(e, SIGKILL);
}

/* See exe.h: the sessions attached to p are hung up (exe_hangup), and
 * the cells.run cells it held may go. */
void
exe_peer_gone(struct peer *p)
{
	struct cell	*c;
	struct exe	*e;

	TAILQ_FOREACH(c, &cells, entry) {
		if (c->run_peer == p) {
			peer_unref(c->run_peer);
			c->run_peer = NULL;
			run_check(c);
		}
		TAILQ_FOREACH(e, &c->exes, entry) {
			if (e->attached != p)
				continue;
			peer_unref(e->attached);
			e->attached = NULL;
			if (e->state == EXE_STARTING || e->pid <= 0)
				continue;
			exe_hangup(e);
		}
	}
}
