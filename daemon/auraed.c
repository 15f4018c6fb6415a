/* auraed.c - the Aurae daemon: options, start-up, signals, shutdown. */
#include "auraed.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cell.h"
#include "cellinit.h"
#include "cgroup.h"
#include "config.h"
#include "copyjob.h"
#include "i18n.h"
#include "log.h"
#include "logs.h"
#include "loop.h"
#include "options.h"
#include "peer.h"
#include "pool.h"
#include "server.h"
#include "storage.h"

#define AURAE_GROUP	"aurae"

struct auraed_config cfg = {
	.max_line = 1024 * 1024,
	.max_peer_buffer = 16 * 1024 * 1024,
	.copy_max_bytes = 1ULL << 40,
	.copy_max_entries = 10ULL << 20,
	.max_conns_per_uid = 1024,
	.aurae_gid = (gid_t)-1,
};

extern char **environ;

/* Look the socket group up, creating it (as a system group) when it is
 * missing.  Returns (gid_t)-1 when there is none: root-only access. */
static gid_t
socket_group(void)
{
	static char *const argv[] = { "groupadd", "--system", AURAE_GROUP,
	    NULL };
	struct group	*gr;
	pid_t		 pid;
	int		 st;

	if ((gr = getgrnam(AURAE_GROUP)) != NULL)
		return gr->gr_gid;
	if (geteuid() == 0 && posix_spawnp(&pid, "groupadd", NULL, NULL,
	    argv, environ) == 0 && waitpid(pid, &st, 0) == pid &&
	    WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
	    (gr = getgrnam(AURAE_GROUP)) != NULL) {
		log_info("created group %s (gid %u)", AURAE_GROUP,
		    (unsigned)gr->gr_gid);
		return gr->gr_gid;
	}
	log_warn("group %s does not exist and cannot be created; the socket "
	    "is root-only", AURAE_GROUP);
	return (gid_t)-1;
}

/* SIGHUP: read the configuration file again.  A file with an error
 * changes nothing. */
static void
reload_config(void)
{
	char	 msg[1024];

	if (storage_load(cfg.config_path, !cfg.config_explicit, msg,
	    sizeof msg) < 0) {
		log_error("%s; the configuration is unchanged", msg);
		return;
	}
	log_info("read %s: %zu configured volume%s", cfg.config_path,
	    storage_nconfigured(), storage_nconfigured() == 1 ? "" : "s");
}

/* Signals arrive here through the loop's signalfd. */
static void
on_signal(int signo)
{
	switch (signo) {
	case SIGTERM:
	case SIGINT:
		log_info("%s: shutting down", strsignal(signo));
		loop_stop();
		break;
	case SIGHUP:
		log_reopen();
		log_info("reopened logs");
		reload_config();
		break;
	case SIGCHLD:
		/* Cell inits started by this daemon; their exits are handled
		 * through their pidfds. */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		break;
	}
}

/* Create a directory with mode if it is missing.  A directory this call
 * creates gets group gid too (unless it is (gid_t)-1); an existing one is
 * the administrator's and is left alone. */
static int
ensure_dir(const char *dir, mode_t mode, gid_t gid)
{
	char	 tmp[PATH_MAX], *p;

	if (strlen(dir) >= sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(tmp, dir);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0)
		return errno == EEXIST ? 0 : -1;
	if ((gid != (gid_t)-1 && chown(tmp, 0, gid) < 0) ||
	    chmod(tmp, mode) < 0)	/* the umask may have masked bits */
		return -1;
	return 0;
}

/* Lock RUN_DIR/auraed.lock for as long as we live: two daemons must not
 * share a run directory (its cell records and init sockets), whatever
 * their sockets.  The descriptor stays open on purpose (CLOEXEC). */
static int
lock_run_dir(void)
{
	char	 path[PATH_MAX];
	int	 fd;

	snprintf(path, sizeof path, "%s/auraed.lock", cfg.run_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_error("%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		log_error("another auraed uses the run directory %s",
		    cfg.run_dir);
		close(fd);
		return -1;
	}
	return fd;
}

/* Write our pid to RUN_DIR/auraed.pid atomically. */
static void
write_pidfile(void)
{
	char	 path[PATH_MAX], tmp[PATH_MAX];
	FILE	*fp;

	snprintf(path, sizeof path, "%s/auraed.pid", cfg.run_dir);
	snprintf(tmp, sizeof tmp, "%s/.auraed.pid.tmp", cfg.run_dir);
	if ((fp = fopen(tmp, "we")) == NULL) {
		log_warn("%s: %s", tmp, strerror(errno));
		return;
	}
	fprintf(fp, "%d\n", (int)getpid());
	if (fclose(fp) != 0 || rename(tmp, path) < 0)
		log_warn("%s: %s", path, strerror(errno));
}

/* Detach from the terminal.  The parent returns only to exit: with 0 once
 * the child reports (through the pipe) that its socket is listening, or 1
 * when it failed.  The child returns the pipe's write end. */
static int
daemonize(void)
{
	int	 p[2], st;
	char	 c;
	pid_t	 pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &c, 1) == 1 && c == 'R')
			_exit(0);
		/* The child failed; its message is already on stderr. */
		waitpid(pid, &st, 0);
		_exit(1);
	}
	close(p[0]);
	setsid();
	if (chdir("/") < 0)
		_exit(1);
	return p[1];
}

/* Raise the descriptor limit to the hard limit: every client is an fd. */
static void
raise_nofile(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Parse a count with an optional K, M, G or T suffix (powers of 1024)
 * into an unsigned long long option. */
static int
opt_size(const struct option_def *o, const char *arg, void *ctx)
{
	char			*end;
	unsigned long long	 v;
	int			 shift = 0;

	(void)ctx;
	errno = 0;
	v = strtoull(arg, &end, 10);
	switch (*end) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	}
	if (errno || end == arg || *end != '\0' || *arg == '-' || v == 0 ||
	    v > (~0ULL >> shift)) {
		fprintf(stderr, _("auraed: --%s needs a positive count (K, M, "
		    "G or T allowed), not '%s'\n"), o->long_name, arg);
		return -1;
	}
	*(unsigned long long *)o->value = v << shift;
	return 0;
}

/* Parse a byte count for a limit option. */
static int
opt_bytes(const struct option_def *o, const char *arg, void *ctx)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end != '\0' || v < 1024 ||
	    v > (1ULL << 32)) {
		fprintf(stderr, _("auraed: --%s needs a byte count from 1024 "
		    "to 4294967296, not '%s'\n"), o->long_name, arg);
		return -1;
	}
	*(size_t *)o->value = (size_t)v;
	return 0;
}

int
main(int argc, char **argv)
{
	static char	 sockbuf[PATH_MAX];
	const char	*socket_path = NULL, *state_dir = AURAE_STATE_DIR;
	const char	*run_dir = NULL, *cgroup_parent = "aurae";
	const char	*init_path = NULL, *config_path = NULL;
	char		 msg[1024];
	long		 max_conns = 1024, pool_size = 2;
	int		 foreground = 0, verbose = 0, version = 0, n, ready;
	int		 no_favordynmods = 0;
	sigset_t	 set;
	const struct option_def opts[] = {
		{ OPT_STRING, 'c', "config", &config_path, "FILE",
		  N_("configuration file (default " AURAE_CONFIG_FILE "; "
		  "see auraed.conf(5))"), "@file" },
		{ OPT_STRING, 's', "socket", &socket_path, "PATH",
		  N_("listen on PATH (default RUN_DIR/aurae.sock)"), "@file" },
		{ OPT_STRING, 0, "state-dir", &state_dir, "DIR",
		  N_("persistent state (default " AURAE_STATE_DIR ")"),
		  "@dir" },
		{ OPT_STRING, 0, "run-dir", &run_dir, "DIR",
		  N_("volatile state (default " AURAE_RUN_DIR ")"), "@dir" },
		{ OPT_STRING, 0, "cgroup-parent", &cgroup_parent, "NAME",
		  N_("parent cgroup of every cell (default aurae)") },
		{ OPT_STRING, 0, "init", &init_path, "PATH",
		  N_("the cell init program (default: aurae-init beside "
		  "auraed, else " LIBEXECDIR "/aurae/aurae-init)"), "@file" },
		{ OPT_INT, 0, "pool", &pool_size, "N",
		  N_("cells kept ready for fast creation (default 2; 0: "
		  "none)"), NULL, NULL, 0, 16 },
		{ OPT_FLAG, 0, "no-favordynmods", &no_favordynmods, NULL,
		  N_("leave the cgroup mount options alone (cell creation is "
		  "then slower)") },
		{ OPT_FLAG, 'f', "foreground", &foreground, NULL,
		  N_("stay in the foreground and log to stderr") },
		{ OPT_COUNT, 'v', "verbose", &verbose, NULL,
		  N_("log debug messages") },
		{ OPT_CALLBACK, 0, "max-line", &cfg.max_line, "BYTES",
		  N_("longest request line (default 1048576)"), NULL,
		  opt_bytes },
		{ OPT_CALLBACK, 0, "max-peer-buffer", &cfg.max_peer_buffer,
		  "BYTES", N_("output queued per client before it is "
		  "dropped (default 16777216)"), NULL, opt_bytes },
		{ OPT_CALLBACK, 0, "copy-max-bytes", &cfg.copy_max_bytes,
		  "BYTES", N_("file data one copy may write (default 1T)"),
		  NULL, opt_size },
		{ OPT_CALLBACK, 0, "copy-max-entries", &cfg.copy_max_entries,
		  "N", N_("files one copy may create (default 10M)"), NULL,
		  opt_size },
		{ OPT_INT, 0, "max-conns-per-uid", &max_conns, "N",
		  N_("connections allowed per uid (default 1024)"), NULL,
		  NULL, 1, 1000000 },
		{ OPT_FLAG, 'V', "version", &version, NULL,
		  N_("print the version and exit") },
		{ OPT_END }
	};

	aurae_i18n_init();
	n = options_parse(opts, argc, argv, 0, NULL, "auraed");
	if (n == OPTIONS_HELP) {
		options_usage(stdout, "auraed [-fv] [--config FILE] "
		    "[--socket PATH] [--state-dir DIR] [--run-dir DIR]", opts);
		return 0;
	}
	if (n == OPTIONS_ERROR)
		return 2;
	if (n > 0) {
		fprintf(stderr, _("auraed: unexpected argument '%s'\n"),
		    argv[1]);
		return 2;
	}
	if (version) {
		printf("auraed %s\n", VERSION);
		return 0;
	}
	cfg.state_dir = state_dir;
	cfg.run_dir = run_dir ? run_dir : AURAE_RUN_DIR;
	if (socket_path == NULL) {
		if (run_dir == NULL)
			socket_path = AURAE_DEFAULT_SOCKET;
		else {
			snprintf(sockbuf, sizeof sockbuf, "%s/aurae.sock",
			    run_dir);
			socket_path = sockbuf;
		}
	}
	cfg.socket_path = socket_path;
	if (cell_name_valid(cgroup_parent, NULL, 0) < 0 ||
	    strchr(cgroup_parent, '/') != NULL) {
		fprintf(stderr, _("auraed: --cgroup-parent must be one DNS "
		    "label, not '%s'\n"), cgroup_parent);
		return 2;
	}
	cfg.cgroup_parent = cgroup_parent;
	cfg.max_conns_per_uid = (unsigned)max_conns;
	cfg.foreground = foreground;
	cfg.verbose = verbose;
	cfg.started = time(NULL);
	cfg.config_explicit = config_path != NULL;
	cfg.config_path = config_path ? config_path : AURAE_CONFIG_FILE;

	log_open(0, verbose);
	log_set_quiet(!foreground);
	/* Before detaching: a bad file is a usage error, on the terminal. */
	if (storage_load(cfg.config_path, !cfg.config_explicit, msg,
	    sizeof msg) < 0) {
		fprintf(stderr, "auraed: %s\n", msg);
		return 2;
	}
	ready = -1;
	if (!foreground && (ready = daemonize()) < 0) {
		log_error("cannot detach: %s", strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();
	cfg.aurae_gid = socket_group();
	/* The run directory holds the socket by default, so it gets the
	 * socket directory's mode: 0750 root:aurae (root-only without the
	 * group). */
	if (ensure_dir(cfg.run_dir, cfg.aurae_gid == (gid_t)-1 ? 0700 : 0750,
	    cfg.aurae_gid) < 0 ||
	    ensure_dir(cfg.state_dir, 0700, (gid_t)-1) < 0) {
		log_error("cannot create %s or %s: %s", cfg.run_dir,
		    cfg.state_dir, strerror(errno));
		return 1;
	}

	if (loop_init() < 0) {
		log_error("epoll: %s", strerror(errno));
		return 1;
	}
	if (logs_init() < 0) {
		log_error("inotify: %s", strerror(errno));
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	if (loop_signals(&set, on_signal) < 0) {
		log_error("signalfd: %s", strerror(errno));
		return 1;
	}
	if (server_listen(cfg.socket_path, cfg.aurae_gid) < 0)
		return 1;
	/* After the socket check, so that a second daemon on a live socket
	 * says so; this catches one on another socket but the same run
	 * directory. */
	if (lock_run_dir() < 0) {
		server_close();
		return 1;
	}
	/* Only now, so that a daemon refused above leaves no cgroup behind
	 * and changes no mount option. */
	if (cgroup_init(NULL, cfg.cgroup_parent, !no_favordynmods) < 0) {
		log_error("no usable cgroup hierarchy: %s", strerror(errno));
		server_close();
		return 1;
	}
	log_info("cgroups: %s", cgroup_describe());
	if (cellinit_prepare(init_path) < 0 || copyjob_init() < 0) {
		server_close();
		return 1;
	}
	/* Only the daemon holding the lock may talk to the cells' inits;
	 * connections queue in the backlog until the loop runs. */
	cell_restore();
	storage_init();
	pool_init((unsigned)pool_size);
	write_pidfile();
	log_info("auraed %s serving %s", VERSION, cfg.socket_path);
	if (ready >= 0) {
		/* From here on messages go to syslog. */
		log_open(1, verbose);
		n = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (n >= 0) {
			dup2(n, 0);
			dup2(n, 1);
			dup2(n, 2);
			if (n > 2)
				close(n);
		}
		if (write(ready, "R", 1) < 0)
			log_warn("readiness pipe: %s", strerror(errno));
		close(ready);
	}
	n = loop_run();
	peer_close_all();
	pool_shutdown();
	server_close();
	cgroup_cleanup_parent(cfg.cgroup_parent);
	{
		char	 path[PATH_MAX];

		snprintf(path, sizeof path, "%s/auraed.pid", cfg.run_dir);
		unlink(path);
	}
	loop_free();
	log_info("stopped");
	return n < 0 ? 1 : 0;
}
