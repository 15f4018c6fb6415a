/* auraefs.c - mount a cell's files or a node volume locally (FUSE 3).
 *
 *	auraefs [-fd] [-o OPTION[,...]] [-H ADDRESS] SOURCE MOUNTPOINT
 *	SOURCE:	CELL[:/PATH] | vol:NAME[:/PATH]
 *
 * The daemon hands over the exported root as a descriptor (files.root);
 * auraefs then serves the mount itself (fs.c), so reads and writes make
 * no daemon round trip.  It keeps its connection to the daemon open and
 * watches it: when the daemon goes away or the cell is removed, every
 * operation fails with ENOTCONN from then on, and nothing hangs.
 *
 * Exit status: 0 when unmounted cleanly; 1 when the mount could not be
 * made; 2 for a usage error; 255 when auraed cannot be reached. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <aurae/client.h>

#include "config.h"
#include "fs.h"
#include "i18n.h"
#include "options.h"
#include "passthrough.h"
#include "pathsafe.h"
#include "toolmain.h"

#define AURAEFS_FAIL	1
#define AURAEFS_USAGE	2
#define AURAEFS_LOST	255

static int		 o_foreground, o_debug, o_version;
static struct strlist	 o_opts;
static const char	*o_host;

static const struct option_def opts[] = {
	{ OPT_FLAG, 'f', "foreground", &o_foreground, NULL,
	  N_("stay in the foreground") },
	{ OPT_FLAG, 'd', "debug", &o_debug, NULL,
	  N_("print every FUSE request (implies -f)") },
	{ OPT_LIST, 'o', NULL, &o_opts, "OPTION[,...]",
	  N_("mount options: ro, allow_other, default_permissions, "
	  "auto_unmount, writeback, no_watch, timeout=SECONDS, ..."),
	  "ro allow_other default_permissions auto_unmount no_writeback "
	  "writeback passthrough no_passthrough watch no_watch timeout=" },
	{ OPT_STRING, 'H', "host", &o_host, "ADDRESS",
	  N_("daemon address (default $AURAE_HOST, else "
	  AURAE_DEFAULT_SOCKET ")"), "@file" },
	{ OPT_FLAG, 'V', "version", &o_version, NULL,
	  N_("print the version and exit") },
	{ OPT_END }
};

static const char usage_line[] = "auraefs [-fd] [-o OPTION[,...]] "
    "[-H ADDRESS] CELL[:/PATH] | vol:NAME[:/PATH] MOUNTPOINT";

/* What is mounted. */
struct source {
	char		 cell[254];
	char		 volume[254];
	const char	*path;		/* below the root; "/" */
};

/* The watcher's state. */
struct watch {
	aurae_client_t	*c;
	void		*fs;
	const char	*cell;
	atomic_int	 stopping;	/* we are unmounting: say nothing */
};

/* Parse SOURCE.  Returns 0, or a message and AURAEFS_USAGE (or
 * AURAEFS_LOST for a remote node). */
static int
parse_source(const char *arg, struct source *s)
{
	const char	*colon, *name = arg, *p;
	char		*dst;
	size_t		 n;

	memset(s, 0, sizeof *s);
	s->path = "/";
	dst = s->cell;
	if (strncmp(arg, "vol:", 4) == 0) {
		name = arg + 4;
		dst = s->volume;
	}
	colon = strchr(name, ':');
	n = colon ? (size_t)(colon - name) : strlen(name);
	if (n == 0 || n >= sizeof s->cell) {
		fprintf(stderr, _("auraefs: '%s': expected CELL[:/PATH] or "
		    "vol:NAME[:/PATH]\n"), arg);
		return AURAEFS_USAGE;
	}
	for (p = name; p < name + n; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '/' || *p == '@' || *p == '.' ||
		    *p == '[' || *p == ']')) {
			fprintf(stderr, _("auraefs: '%s': expected CELL[:/PATH] "
			    "or vol:NAME[:/PATH]\n"), arg);
			return AURAEFS_USAGE;
		}
	if (colon != NULL && colon[1] != '/' && colon[1] != '\0') {
		fprintf(stderr, _("auraefs: '%s': remote nodes need the ssh "
		    "transport, which this build does not have yet\n"), arg);
		return AURAEFS_LOST;
	}
	memcpy(dst, name, n);
	dst[n] = '\0';
	if (colon != NULL && colon[1] != '\0')
		s->path = colon + 1;
	return 0;
}

/* The watcher thread: the daemon's connection closing, or the cell's
 * removal, kills the filesystem. */
static void *
watcher(void *arg)
{
	struct watch	*w = arg;
	aurae_error_t	 err;
	const cJSON	*p, *cell, *type;
	cJSON		*msg;
	char		 why[512];

	for (;;) {
		if (aurae_recv(w->c, &msg, -1, &err) < 0) {
			fs_kill(w->fs, atomic_load(&w->stopping) ? NULL :
			    _("auraed closed the connection"));
			return NULL;
		}
		p = cJSON_GetObjectItemCaseSensitive(msg, "params");
		type = cJSON_GetObjectItemCaseSensitive(p, "type");
		cell = cJSON_GetObjectItemCaseSensitive(p, "cell");
		if (w->cell != NULL && cJSON_IsString(type) &&
		    strcmp(type->valuestring, "cell.removed") == 0 &&
		    cJSON_IsString(cell) &&
		    strcmp(cell->valuestring, w->cell) == 0) {
			snprintf(why, sizeof why, _("cell '%s' was removed"),
			    w->cell);
			fs_kill(w->fs, why);
			cJSON_Delete(msg);
			return NULL;
		}
		cJSON_Delete(msg);
	}
}

/* Split the -o lists into ours (ro, writeback, no_writeback,
 * passthrough, no_passthrough, watch, no_watch, timeout=)
 * and the FUSE mount options, which go into *fuseopts (malloc'd). */
static int
mount_options(struct fs_config *fc, char **fuseopts, const char *fsname)
{
	char	*all = NULL, *tok, *save, *out, *end;
	size_t	 i, len = strlen(fsname) + 128;
	int	 allow_other = 0, defperm = 0;

	for (i = 0; i < o_opts.n; i++)
		len += strlen(o_opts.v[i]) + 1;
	if ((out = calloc(1, len)) == NULL || (all = calloc(1, len)) == NULL) {
		free(out);
		return -1;
	}
	for (i = 0; i < o_opts.n; i++) {
		strcat(all, o_opts.v[i]);
		strcat(all, ",");
	}
	/* Never a device or a set-ID program from a cell on the host. */
	snprintf(out, len, "nodev,nosuid,subtype=auraefs,fsname=%s", fsname);
	for (tok = strtok_r(all, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "writeback") == 0)
			fc->writeback = 1;
		else if (strcmp(tok, "no_writeback") == 0)
			fc->writeback = 0;
		else if (strcmp(tok, "passthrough") == 0)
			fc->passthrough = 1;
		else if (strcmp(tok, "no_passthrough") == 0)
			fc->passthrough = 0;
		else if (strcmp(tok, "watch") == 0)
			fc->no_watch = 0;
		else if (strcmp(tok, "no_watch") == 0)
			fc->no_watch = 1;
		else if (strncmp(tok, "timeout=", 8) == 0) {
			errno = 0;
			fc->timeout = strtod(tok + 8, &end);
			if (errno || *end != '\0' || fc->timeout < 0 ||
			    fc->timeout > 86400) {
				fprintf(stderr, _("auraefs: bad timeout '%s'\n"),
				    tok + 8);
				free(all);
				free(out);
				return -1;
			}
		} else if (strncmp(tok, "fsname=", 7) == 0 ||
		    strncmp(tok, "subtype=", 8) == 0 ||
		    strcmp(tok, "dev") == 0 || strcmp(tok, "suid") == 0) {
			fprintf(stderr, _("auraefs: option '%s' is not "
			    "allowed\n"), tok);
			free(all);
			free(out);
			return -1;
		} else {
			if (strcmp(tok, "ro") == 0)
				fc->readonly = 1;
			if (strcmp(tok, "allow_other") == 0)
				allow_other = 1;
			if (strcmp(tok, "default_permissions") == 0)
				defperm = 1;
			strcat(out, ",");
			strcat(out, tok);
		}
	}
	/* Others' requests run with our credentials: let the kernel check
	 * the permissions first. */
	if (allow_other && !defperm)
		strcat(out, ",default_permissions");
	free(all);
	*fuseopts = out;
	return 0;
}

/* The root to export: files.root's descriptor, then PATH below it. */
static int
export_root(aurae_client_t *c, const struct source *s, int *out)
{
	aurae_error_t	 err;
	cJSON		*p;
	size_t		 n = 0;
	int		 fd = -1, sub;

	p = cJSON_CreateObject();
	if (s->volume[0])
		cJSON_AddStringToObject(p, "volume", s->volume);
	else
		cJSON_AddStringToObject(p, "cell", s->cell);
	if (aurae_call_fds(c, "files.root", p, NULL, 0, NULL, &fd, 1, &n,
	    &err) < 0) {
		cJSON_Delete(p);
		fprintf(stderr, "auraefs: %s\n", err.message);
		return strcmp(err.code, "UNAVAILABLE") == 0 ? AURAEFS_LOST :
		    AURAEFS_FAIL;
	}
	cJSON_Delete(p);
	if (n != 1) {
		fprintf(stderr, _("auraefs: auraed sent no descriptor\n"));
		return AURAEFS_FAIL;
	}
	if (strcmp(s->path, "/") != 0) {
		sub = path_open(fd, s->path, O_PATH | O_DIRECTORY, 0,
		    PATH_IN_ROOT, 0);
		if (sub < 0) {
			fprintf(stderr, "auraefs: %s:%s: %s\n", s->volume[0] ?
			    s->volume : s->cell, s->path, strerror(errno));
			close(fd);
			return AURAEFS_FAIL;
		}
		close(fd);
		fd = sub;
	}
	*out = fd;
	return 0;
}

int
main(int argc, char **argv)
{
	struct fuse_args	 args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_loop_config	 lc;
	struct fuse_session	*se = NULL;
	struct fs_config	 fc;
	struct source		 src;
	struct watch		 w;
	aurae_error_t		 err;
	aurae_client_t		*c = NULL;
	pthread_t		 tid;
	cJSON			*p;
	char			*fuseopts = NULL, fsname[600];
	void			*fs = NULL;
	int			 n, status, rootfd = -1, mounted = 0, watching = 0,
				 started = 0;

	static const struct toolmain tm = { "auraefs", usage_line, opts,
	    "@dir", &o_version, AURAEFS_USAGE, 1 };

	aurae_i18n_init();
	if ((n = toolmain_start(&tm, argc, argv, &status)) < 0)
		return status;
	if (n != 2) {
		options_usage(stderr, usage_line, opts);
		strlist_free(&o_opts);
		return AURAEFS_USAGE;
	}
	if ((status = parse_source(argv[1], &src)) != 0) {
		strlist_free(&o_opts);
		return status;
	}
	if (o_debug)
		o_foreground = 1;
	memset(&fc, 0, sizeof fc);
	/* No writeback cache by default: with it the kernel keeps its own
	 * idea of a file's size, and the cell's own appends would never
	 * show. */
	fc.writeback = 0;
	fc.passthrough = 1;
	fc.timeout = 1.0;
	fc.debug = o_debug;
	snprintf(fsname, sizeof fsname, "aurae:%s%s%s", src.volume[0] ?
	    "vol:" : "", src.volume[0] ? src.volume : src.cell,
	    strcmp(src.path, "/") ? src.path : "");
	/* fsname is a mount option: no commas in it. */
	for (char *q = fsname; *q; q++)
		if (*q == ',')
			*q = '_';
	if (mount_options(&fc, &fuseopts, fsname) < 0) {
		strlist_free(&o_opts);
		return AURAEFS_USAGE;
	}
	status = AURAEFS_FAIL;
	if (aurae_connect(o_host, &c, &err) < 0) {
		fprintf(stderr, "auraefs: %s\n", err.message);
		status = AURAEFS_LOST;
		goto out;
	}
	if ((status = export_root(c, &src, &rootfd)) != 0)
		goto out;
	status = AURAEFS_FAIL;
	/* Watch for the cell's removal on the same connection. */
	if (src.cell[0]) {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "type", "cell.removed");
		if (aurae_call(c, "events.subscribe", p, NULL, &err) < 0) {
			cJSON_Delete(p);
			fprintf(stderr, "auraefs: %s\n", err.message);
			goto out;
		}
		cJSON_Delete(p);
	}
	fc.rootfd = rootfd;
	if ((fs = fs_new(&fc)) == NULL) {
		fprintf(stderr, "auraefs: %s\n", strerror(errno));
		goto out;
	}
	rootfd = -1;
	if (fuse_opt_add_arg(&args, "auraefs") < 0 ||
	    fuse_opt_add_arg(&args, "-o") < 0 ||
	    fuse_opt_add_arg(&args, fuseopts) < 0 ||
	    (o_debug && fuse_opt_add_arg(&args, "-d") < 0))
		goto out;
	if ((se = fuse_session_new(&args, &fs_ops, sizeof fs_ops, fs)) ==
	    NULL)
		goto out;	/* libfuse said why */
	if (fuse_set_signal_handlers(se) < 0)
		goto out;
	if (fuse_session_mount(se, argv[2]) < 0)
		goto out;
	mounted = 1;
	/* The kernel passes reads and writes through to our descriptors
	 * where it can (never with the writeback cache). */
	if (passthrough_setup(se, fc.passthrough && !fc.writeback) < 0) {
		fprintf(stderr, "auraefs: %s\n", strerror(errno));
		goto out;
	}
	if (fuse_daemonize(o_foreground) < 0)
		goto out;
	fs_start(fs, se);
	started = 1;
	w.c = c;
	w.fs = fs;
	w.cell = src.cell[0] ? src.cell : NULL;
	atomic_init(&w.stopping, 0);
	if (pthread_create(&tid, NULL, watcher, &w) != 0)
		goto out;
	watching = 1;
	memset(&lc, 0, sizeof lc);
	lc.clone_fd = 1;
	lc.max_idle_threads = 16;
	status = fuse_session_loop_mt(se, &lc) == 0 ? 0 : AURAEFS_FAIL;
out:
	if (started)
		fs_stop(fs);	/* no notification from now on */
	if (se != NULL) {
		if (mounted)
			fuse_session_unmount(se);
		fuse_remove_signal_handlers(se);
		fuse_session_destroy(se);
	}
	fuse_opt_free_args(&args);
	/* Wake the watcher out of its read, and wait for it: then the
	 * connection and the filesystem are ours alone to free. */
	if (watching) {
		atomic_store(&w.stopping, 1);
		shutdown(aurae_client_fd(c), SHUT_RDWR);
		pthread_join(tid, NULL);
	}
	fs_free(fs);
	aurae_client_free(c);
	if (rootfd >= 0)
		close(rootfd);
	free(fuseopts);
	strlist_free(&o_opts);
	return status;
}
