/* methods-executables.c - executables.start, list, wait and signal. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cell.h"
#include "exe.h"
#include "methods.h"
#include "rpc.h"
#include "signame.h"

/* Descriptor of a stream parameter: the index of a passed descriptor,
 * or -1 when absent.  Returns -2 after answering on a bad value. */
static int
stream_fd(struct rpc_call *c, const cJSON *params, const char *key)
{
	long long	 i = -1;
	int		 fd;

	if (rpc_param_int(c, params, key, 0, 0, FDPASS_MAX - 1, &i) < 0)
		return -2;
	if (i < 0)
		return -1;
	if ((fd = rpc_call_take_fd(c, (size_t)i)) < 0) {
		rpc_error(c, AE_INVALID_ARGUMENT, "'%s' names descriptor %lld "
		    "but it was not passed (or was used twice)", key, i);
		return -2;
	}
	return fd;
}

/* Read the parameters of a command to start (executables.start's, but
 * for cell) into *sp: stdin/stdout/stderr are indexes into the
 * descriptors passed with the request, taken here (the caller hands them
 * on to exe_start() or closes them).  Returns 0, or -1 after answering. */
int
methods_exe_spec(struct rpc_call *c, const cJSON *params, struct exe_spec *sp)
{
	const cJSON	*argv, *env, *tty, *m;
	const char	*cwd = NULL;
	long long	 uid = 0, gid = 0, rows = 24, cols = 80;
	int		 fds[3] = { -1, -1, -1 }, i, setsid = 0, attach = 0;
	int		 cwd_optional = 0;

	if (rpc_param_bool(c, params, "attach", 0, &attach) < 0 ||
	    rpc_param_string(c, params, "cwd", 0, &cwd) < 0 ||
	    rpc_param_bool(c, params, "cwd_optional", 0, &cwd_optional) < 0 ||
	    rpc_param_int(c, params, "uid", 0, 0, 0xfffffffe, &uid) < 0 ||
	    rpc_param_int(c, params, "gid", 0, 0, 0xfffffffe, &gid) < 0 ||
	    rpc_param_bool(c, params, "setsid", 0, &setsid) < 0)
		return -1;
	argv = cJSON_GetObjectItemCaseSensitive(params, "argv");
	env = cJSON_GetObjectItemCaseSensitive(params, "env");
	if (!cJSON_IsArray(argv) || cJSON_GetArraySize(argv) == 0)
		goto bad_argv;
	cJSON_ArrayForEach(m, argv)
		if (!cJSON_IsString(m))
			goto bad_argv;
	if (env != NULL && !cJSON_IsArray(env))
		goto bad_env;
	cJSON_ArrayForEach(m, env)
		if (!cJSON_IsString(m))
			goto bad_env;
	tty = cJSON_GetObjectItemCaseSensitive(params, "tty");
	if (cJSON_IsObject(tty)) {
		if (rpc_param_int(c, tty, "rows", 0, 1, 65535, &rows) < 0 ||
		    rpc_param_int(c, tty, "cols", 0, 1, 65535, &cols) < 0)
			return -1;
	} else if (tty != NULL && !cJSON_IsBool(tty) && !cJSON_IsNull(tty)) {
		rpc_error(c, AE_INVALID_ARGUMENT, "parameter 'tty' must be true "
		    "or {\"rows\": R, \"cols\": C}");
		return -1;
	}
	if ((cJSON_IsTrue(tty) || cJSON_IsObject(tty)) &&
	    (cJSON_GetObjectItemCaseSensitive(params, "stdin") ||
	    cJSON_GetObjectItemCaseSensitive(params, "stdout") ||
	    cJSON_GetObjectItemCaseSensitive(params, "stderr"))) {
		rpc_error(c, AE_INVALID_ARGUMENT, "a terminal is the command's "
		    "stdin, stdout and stderr: give either 'tty' or streams");
		return -1;
	}
	for (i = 0; i < 3; i++) {
		static const char *const names[] = { "stdin", "stdout",
		    "stderr" };

		if ((fds[i] = stream_fd(c, params, names[i])) == -2) {
			while (i-- > 0)
				if (fds[i] >= 0)
					close(fds[i]);
			return -1;
		}
	}
	memset(sp, 0, sizeof *sp);
	sp->argv = argv;
	sp->env = env;
	sp->cwd = cwd;
	sp->cwd_optional = cwd_optional;
	sp->uid = (uid_t)uid;
	sp->gid = (gid_t)gid;
	memcpy(sp->fds, fds, sizeof sp->fds);
	sp->setsid = setsid;
	sp->tty = cJSON_IsTrue(tty) || cJSON_IsObject(tty);
	sp->rows = (unsigned)rows;
	sp->cols = (unsigned)cols;
	sp->attach = attach;
	return 0;
bad_argv:
	rpc_error(c, AE_INVALID_ARGUMENT, "parameter 'argv' must be a "
	    "non-empty array of strings");
	return -1;
bad_env:
	rpc_error(c, AE_INVALID_ARGUMENT, "parameter 'env' must be an "
	    "array of \"NAME=value\" strings");
	return -1;
}

/* See methods.h. */
void
methods_exe_spec_close(struct exe_spec *sp)
{
	int	 i;

	for (i = 0; i < 3; i++)
		if (sp->fds[i] >= 0) {
			close(sp->fds[i]);
			sp->fds[i] = -1;
		}
}

/* executables.start {cell, argv, env?, cwd?, cwd_optional?, uid?, gid?,
 * stdin?, stdout?, stderr?, setsid?, tty?, attach?}: streams not given
 * go to the log (stdout, stderr) or /dev/null (stdin).  With
 * cwd_optional, a cwd the cell does not have (one with a root) means /.
 * tty {rows, cols} (or true) gives the command a terminal in the cell
 * whose master comes back with the answer.  With attach, the command is
 * hung up and killed when this connection closes. */
static void
m_start(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "cell", "argv", "env", "cwd",
	    "cwd_optional", "uid", "gid", "stdin", "stdout", "stderr",
	    "setsid", "tty", "attach", NULL };
	const char	*cname = NULL;
	struct cell	*cell;
	struct exe_spec	 sp;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_string(c, params, "cell", 1, &cname) < 0 ||
	    methods_exe_spec(c, params, &sp) < 0)
		return;
	if ((cell = cell_find(cname)) == NULL) {
		rpc_error(c, AE_NOT_FOUND, "no cell named '%s'", cname);
		methods_exe_spec_close(&sp);
		return;
	}
	if (cell->remove_started || cell->init_w.fd < 0) {
		rpc_error(c, AE_UNAVAILABLE, "cell '%s' %s", cname,
		    cell->remove_started ? "is being removed" : "has no init; "
		    "remove and create it again");
		methods_exe_spec_close(&sp);
		return;
	}
	exe_start(cell, c, &sp);
}

/* executables.list {cell?} */
static void
m_list(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "cell", NULL };
	const char	*cname = NULL;
	struct cell	*cell;
	struct exe	*e;
	cJSON		*r, *arr;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_string(c, params, "cell", 0, &cname) < 0)
		return;
	if (cname != NULL && cell_find(cname) == NULL) {
		rpc_error(c, AE_NOT_FOUND, "no cell named '%s'", cname);
		return;
	}
	r = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(r, "executables");
	TAILQ_FOREACH(cell, &cells, entry) {
		if (cname != NULL && strcmp(cname, cell->name) != 0)
			continue;
		TAILQ_FOREACH(e, &cell->exes, entry)
			cJSON_AddItemToArray(arr, exe_json(e));
	}
	rpc_reply(c, r);
}

/* The executable named by params.id, or NULL after answering. */
static struct exe *
named_exe(struct rpc_call *c, const cJSON *params)
{
	const char	*id = NULL;
	struct exe	*e;

	if (rpc_param_string(c, params, "id", 1, &id) < 0)
		return NULL;
	if ((e = exe_find(id)) == NULL)
		rpc_error(c, AE_NOT_FOUND, "no executable '%s' (names look "
		    "like CELL.N; see executables.list)", id);
	return e;
}

/* executables.wait {id}: answered when it exits. */
static void
m_wait(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "id", NULL };
	struct exe	*e;

	if (rpc_params_only(c, params, keys) < 0 ||
	    (e = named_exe(c, params)) == NULL)
		return;
	exe_wait(e, c);
}

/* executables.signal {id, signal}: a number or a name ("TERM",
 * "SIGTERM"); default SIGTERM. */
static void
m_signal(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "id", "signal", NULL };
	const cJSON	*s;
	struct exe	*e;
	int		 sig = SIGTERM;

	if (rpc_params_only(c, params, keys) < 0 ||
	    (e = named_exe(c, params)) == NULL)
		return;
	s = cJSON_GetObjectItemCaseSensitive(params, "signal");
	if (s != NULL && (sig = sig_parse_json(s)) <= 0) {
		rpc_error(c, AE_INVALID_ARGUMENT, "parameter 'signal' must be "
		    "a signal number from 1 to %d or a name like TERM", NSIG - 1);
		return;
	}
	exe_signal(e, sig, c);
}

const struct rpc_method methods_executables[] = {
	{ "executables.start", m_start, "run a command in a cell" },
	{ "executables.list", m_list, "list executables" },
	{ "executables.wait", m_wait, "wait for an executable to exit" },
	{ "executables.signal", m_signal, "send a signal to an executable" },
	{ NULL, NULL, NULL }
};
