/* runexec.c - start a command in a cell with our stdio, forward signals,
 * wait, map the outcome to an exit status (cellrun, aer exec). */
#include "runexec.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "i18n.h"

extern char **environ;

/* See runexec.h. */
cJSON *
runexec_env(const char *prog, const char *opt, const struct strlist *sets)
{
	cJSON	*arr = cJSON_CreateArray();
	char	**e;
	size_t	 i;

	for (e = environ; *e != NULL; e++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(*e));
	for (i = 0; sets != NULL && i < sets->n; i++) {
		if (strchr(sets->v[i], '=') == NULL || sets->v[i][0] == '=') {
			fprintf(stderr, _("%s: expected %s VAR=VALUE, not "
			    "'%s'\n"), prog, opt, sets->v[i]);
			cJSON_Delete(arr);
			return NULL;
		}
		runexec_env_set(arr, sets->v[i]);
	}
	return arr;
}

/* See runexec.h. */
void
runexec_env_set(cJSON *env, const char *kv)
{
	cJSON	*a;
	size_t	 n = strcspn(kv, "=") + 1;

	cJSON_ArrayForEach(a, env)
		if (cJSON_IsString(a) && strncmp(a->valuestring, kv, n) == 0) {
			cJSON_Delete(cJSON_DetachItemViaPointer(env, a));
			break;
		}
	cJSON_AddItemToArray(env, cJSON_CreateString(kv));
}

/* See runexec.h. */
int
runexec_status(const cJSON *r)
{
	const cJSON	*code = cJSON_GetObjectItemCaseSensitive(r, "exit_code");
	const cJSON	*sig = cJSON_GetObjectItemCaseSensitive(r, "signal");

	if (cJSON_IsNumber(code))
		return code->valueint;
	if (cJSON_IsNumber(sig))
		return 128 + sig->valueint;
	return RUNEXEC_FAIL;
}

/* See runexec.h. */
int
runexec_start_status(const aurae_error_t *err)
{
	if (!(err->flags & AURAE_ERR_EXEC))
		return RUNEXEC_FAIL;
	return err->status == ENOENT ? RUNEXEC_NOTFOUND : RUNEXEC_NOEXEC;
}

/* Send one signal to id over *sc, connecting it on first use. */
static void
forward(aurae_client_t **sc, const char *host, const char *id, int sig)
{
	cJSON	*p;

	/* A second connection: the first one waits for its answer. */
	if (*sc == NULL && aurae_connect(host, sc, NULL) < 0)
		return;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "id", id);
	cJSON_AddNumberToObject(p, "signal", sig);
	aurae_call(*sc, "executables.signal", p, NULL, NULL);
	cJSON_Delete(p);
}

/* Send executables.wait for id; its request id goes to *wid. */
static int
send_wait(aurae_client_t *c, const char *id, long long *wid,
    aurae_error_t *err)
{
	cJSON	*p = cJSON_CreateObject();
	int	 r;

	cJSON_AddStringToObject(p, "id", id);
	r = aurae_send(c, "executables.wait", p, wid, err);
	cJSON_Delete(p);
	return r;
}

/* Wait for the answer to the executables.wait request wid (for the
 * executable id), forwarding the signals read from sfd.  Answers already
 * received (stashed by aurae_finish(), or read with another) are taken
 * before polling.  Returns the wait result, or NULL on failure (err
 * set). */
static cJSON *
wait_forwarding(aurae_client_t *c, const char *host, const char *id,
    long long wid, int sfd, aurae_error_t *err)
{
	struct signalfd_siginfo	 si;
	struct pollfd		 pfd[2];
	aurae_client_t		*sc = NULL;
	cJSON			*msg, *res = NULL;
	const cJSON		*e;
	int			 r;

	for (;;) {
		if ((r = aurae_recv(c, &msg, 0, err)) < 0)
			break;
		if (r > 0) {
			e = cJSON_GetObjectItemCaseSensitive(msg, "id");
			if (!cJSON_IsNumber(e) || e->valuedouble != (double)wid) {
				cJSON_Delete(msg);
				continue;
			}
			if ((e = cJSON_GetObjectItemCaseSensitive(msg,
			    "error")) != NULL) {
				e = cJSON_GetObjectItemCaseSensitive(e,
				    "message");
				aurae_error_set(err, EIO, "", "%s",
				    cJSON_IsString(e) ? e->valuestring :
				    "wait failed");
			} else
				res = cJSON_DetachItemFromObjectCaseSensitive(
				    msg, "result");
			cJSON_Delete(msg);
			break;
		}
		pfd[0].fd = aurae_client_fd(c);
		pfd[0].events = POLLIN;
		pfd[1].fd = sfd;
		pfd[1].events = POLLIN;
		if (poll(pfd, sfd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			aurae_error_set(err, errno, "", "poll: %s",
			    strerror(errno));
			break;
		}
		if (sfd >= 0 && (pfd[1].revents & POLLIN))
			while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
				forward(&sc, host, id, (int)si.ssi_signo);
	}
	aurae_client_free(sc);
	return res;
}

/* The executables.start parameters for r. */
static cJSON *
start_params(const struct runexec *r)
{
	cJSON	*p, *args;
	char	 cwd[4096];
	size_t	 i;

	p = cJSON_CreateObject();
	if (r->run_cell != NULL)
		cJSON_AddItemToObject(p, "cell", cJSON_Duplicate(r->run_cell,
		    1));
	else
		cJSON_AddStringToObject(p, "cell", r->cell);
	args = cJSON_AddArrayToObject(p, "argv");
	for (i = 0; r->argv[i] != NULL; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(r->argv[i]));
	if (r->env != NULL)
		cJSON_AddItemToObject(p, "env", cJSON_Duplicate(r->env, 1));
	/* The caller's directory means nothing in a cell with a root of its
	 * own: the command then starts in / (cwd_optional). */
	if (r->cwd != NULL)
		cJSON_AddStringToObject(p, "cwd", r->cwd);
	else if (getcwd(cwd, sizeof cwd) != NULL)
		cJSON_AddStringToObject(p, "cwd", cwd);
	if (r->cwd == NULL || r->cwd_optional)
		cJSON_AddTrueToObject(p, "cwd_optional");
	if (r->uid >= 0)
		cJSON_AddNumberToObject(p, "uid", (double)r->uid);
	if (r->gid >= 0)
		cJSON_AddNumberToObject(p, "gid", (double)r->gid);
	if (r->attach)
		cJSON_AddTrueToObject(p, "attach");
	if (!r->detach) {
		cJSON_AddNumberToObject(p, "stdin", 0);
		cJSON_AddNumberToObject(p, "stdout", 1);
		cJSON_AddNumberToObject(p, "stderr", 2);
	}
	return p;
}

/* See runexec.h. */
int
runexec_run(aurae_client_t *c, const struct runexec *r, char *idout,
    size_t idlen)
{
	int			 fds[3] = { r->stdin_fd, 1, 2 };
	int			 fail = r->fail_status ? r->fail_status :
				    RUNEXEC_FAIL;
	aurae_error_t		 err;
	sigset_t		 set;
	cJSON			*p, *res;
	const cJSON		*id;
	const char		*ids;
	long long		 sid, wid = -1;
	int			 i, sfd, status;

	/* Signals to forward are taken before the command starts. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = r->detach ? -1 : signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	p = start_params(r);
	/* With a likely id, the wait goes out right behind the start: the
	 * daemon takes a wait for an executable still starting. */
	i = aurae_start(c, r->run_cell != NULL ? "cells.run" :
	    "executables.start", p, fds, r->detach ? 0 : 3, &sid, &err);
	if (i == 0 && !r->detach && r->expect_id != NULL)
		i = send_wait(c, r->expect_id, &wid, &err);
	if (i == 0)
		i = aurae_finish(c, sid, &res, NULL, 0, NULL, &err);
	cJSON_Delete(p);
	if (i < 0) {
		fprintf(stderr, "%s: %s\n", r->prog, err.message);
		if (sfd >= 0)
			close(sfd);
		status = runexec_start_status(&err);
		return status == RUNEXEC_FAIL ? fail : status;
	}
	id = cJSON_GetObjectItemCaseSensitive(res, "id");
	if (idout != NULL && idlen > 0)
		snprintf(idout, idlen, "%s", cJSON_IsString(id) ?
		    id->valuestring : "?");
	if (r->detach) {
		cJSON_Delete(res);
		return 0;
	}
	/* Our copies of 0-2 stay open: the command has its own.  A wrong
	 * guess (someone started a command in the cell first) is waited
	 * again, by the real id; the other answer is dropped. */
	ids = cJSON_IsString(id) ? id->valuestring : "";
	if ((wid < 0 || strcmp(ids, r->expect_id) != 0) &&
	    send_wait(c, ids, &wid, &err) < 0)
		p = NULL;
	else
		p = wait_forwarding(c, r->host, ids, wid, sfd, &err);
	cJSON_Delete(res);
	if (sfd >= 0)
		close(sfd);
	if (p == NULL) {
		fprintf(stderr, "%s: %s\n", r->prog, err.message);
		return fail;
	}
	status = runexec_status(p);
	if (r->waited != NULL)
		*r->waited = p;
	else
		cJSON_Delete(p);
	return status;
}
