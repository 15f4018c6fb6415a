/* cmd-shell.c - aer shell: a prompt that runs aer's commands.
 *
 * Each line is split into words with simple shell-like quoting and run as
 * "aer WORDS...": a fresh aer process per command (this very binary, from
 * /proc/self/exe), so that a command's exit(), its option state and any
 * crash stay out of the shell, and every command behaves exactly as it
 * does from sh.  The prompt uses readline's callback interface, with
 * Ctrl-C read from a signalfd: it clears the line, and while a command
 * runs it goes to the command (in the foreground process group) alone.
 * History lives in ~/.aurae_history: read at start, appended at exit,
 * kept to HISTORY_MAX lines.  Tab completes from `aer __complete`, as the
 * shell completion scripts do. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "aer.h"
#include "buf.h"
#include "i18n.h"

#define HISTORY_MAX	1000
#define SHELL_MAXWORDS	256

static const struct option_def shell_opts[] = { { OPT_END } };

static struct shell {
	char		 self[PATH_MAX];	/* this binary */
	const char	*format;		/* -o given to aer, or NULL */
	char		 histfile[PATH_MAX];
	int		 added;			/* history lines this session */
	int		 status;		/* of the last command */
	int		 done;
	char		*pending;		/* a line read, not yet run */
	int		 got_line;
	sigset_t	 oldmask;
	char		**matches;		/* completion candidates */
} sh;

/* Split line into words: blanks separate; '...' is literal; "..." allows
 * \" \\ \$ \`; a backslash outside quotes takes the next character; '#'
 * starting a word begins a comment.  Returns the number of words (the
 * array and its strings are malloc'd, NULL-terminated), or -1 for an
 * unterminated quote unless lenient (completion: the open word ends the
 * line). */
static int
split_words(const char *line, char ***out, int lenient)
{
	struct buf	 w = BUF_INIT;
	char		**v;
	const char	*p = line;
	int		 n = 0, inword, q;

	if ((v = calloc(SHELL_MAXWORDS + 1, sizeof *v)) == NULL)
		return -1;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		buf_reset(&w);
		inword = 1;
		while (inword && *p != '\0') {
			switch (*p) {
			case ' ': case '\t': case '\n':
				inword = 0;
				break;
			case '\'':
			case '"':
				q = *p++;
				while (*p != '\0' && *p != q) {
					if (q == '"' && *p == '\\' &&
					    strchr("\"\\$`", p[1]) && p[1])
						p++;
					buf_append(&w, p++, 1);
				}
				if (*p == '\0' && !lenient)
					goto bad;
				if (*p != '\0')
					p++;
				break;
			case '\\':
				if (p[1] != '\0')
					p++;
				/* FALLTHROUGH */
			default:
				buf_append(&w, p++, 1);
			}
		}
		if (n == SHELL_MAXWORDS)
			goto bad;
		buf_append(&w, "", 1);
		v[n++] = strdup(buf_head(&w));
	}
	buf_free(&w);
	*out = v;
	return n;
bad:
	buf_free(&w);
	while (n > 0)
		free(v[--n]);
	free(v);
	return -1;
}

/* Free a word array. */
static void
free_words(char **v)
{
	char	**p;

	for (p = v; p != NULL && *p != NULL; p++)
		free(*p);
	free(v);
}

/* Start "aer [-o FORMAT] WORDS..." as a child; out_fd >= 0 takes the
 * child's stdout (its stdin and stderr are then /dev/null).  Returns its
 * pid, or -1. */
static pid_t
spawn_aer(int n, char **words, int out_fd)
{
	char	*argv[SHELL_MAXWORDS + 4];
	pid_t	 pid;
	int	 i, k = 0, fd;

	argv[k++] = "aer";
	if (sh.format != NULL && out_fd < 0) {
		argv[k++] = "-o";
		argv[k++] = (char *)sh.format;
	}
	for (i = 0; i < n && i < SHELL_MAXWORDS; i++)
		argv[k++] = words[i];
	argv[k] = NULL;
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		fprintf(stderr, _("aer: fork: %s\n"), strerror(errno));
		return -1;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &sh.oldmask, NULL);
		if (out_fd >= 0) {
			dup2(out_fd, STDOUT_FILENO);
			if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
				dup2(fd, STDERR_FILENO);
				dup2(fd, STDIN_FILENO);
			}
		}
		execv(sh.self, argv);
		fprintf(stderr, _("aer: cannot run %s: %s\n"), sh.self,
		    strerror(errno));
		_exit(AER_EXIT_FAIL);
	}
	return pid;
}

/* Wait for a child; its exit status as a shell reports it. */
static int
reap(pid_t pid)
{
	int	 st;

	if (pid < 0)
		return AER_EXIT_FAIL;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return AER_EXIT_FAIL;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* Run one line.  "exit" and "quit" end the shell; a leading "aer" is
 * allowed. */
static void
run_line(const char *line)
{
	char	**w;
	int	  n, first = 0;

	if ((n = split_words(line, &w, 0)) < 0) {
		fprintf(stderr, _("aer: unterminated quote or too many "
		    "words\n"));
		sh.status = AER_EXIT_USAGE;
		return;
	}
	if (n > 0 && strcmp(w[0], "aer") == 0)
		first = 1;
	if (n == first) {
		free_words(w);
		return;
	}
	if (strcmp(w[first], "exit") == 0 || strcmp(w[first], "quit") == 0) {
		if (n > first + 1)
			sh.status = atoi(w[first + 1]) & 0xff;
		sh.done = 1;
	} else if (strcmp(w[first], "shell") == 0) {
		fprintf(stderr, _("aer: already in the shell\n"));
		sh.status = AER_EXIT_USAGE;
	} else
		sh.status = reap(spawn_aer(n - first, w + first, -1));
	free_words(w);
}

/* The history file: $HOME/.aurae_history. */
static void
history_path(void)
{
	const char	*home = getenv("HOME");
	struct passwd	*pw;

	if ((home == NULL || *home == '\0') && (pw = getpwuid(getuid())) !=
	    NULL)
		home = pw->pw_dir;
	if (home == NULL)
		return;
	snprintf(sh.histfile, sizeof sh.histfile, "%s/.aurae_history", home);
}

/* Append this session's lines, then cut the file to HISTORY_MAX. */
static void
history_save(void)
{
	struct stat	 st;
	int		 n = sh.added, r;

	if (sh.histfile[0] == '\0' || n == 0)
		return;
	if (n > history_length)
		n = history_length;
	if (stat(sh.histfile, &st) == 0)
		r = append_history(n, sh.histfile);
	else
		r = write_history(sh.histfile);
	if (r == 0)
		r = history_truncate_file(sh.histfile, HISTORY_MAX);
	if (r != 0)
		fprintf(stderr, _("aer: cannot write %s: %s\n"), sh.histfile,
		    strerror(r));
}

/* Completion candidates for the words before the cursor plus text, from
 * "aer __complete".  Sets sh.matches (NULL-terminated) or, when the
 * answer is @file or @dir, returns 1 to let readline complete files. */
static int
collect(const char *text, int start)
{
	char		*head, **w, *argv[SHELL_MAXWORDS + 2], *line;
	FILE		*fp;
	size_t		 cap = 0, nm = 0;
	ssize_t		 len;
	int		 pfd[2], n, k = 0, i, files = 0;
	pid_t		 pid;

	head = strndup(rl_line_buffer, (size_t)start);
	n = head ? split_words(head, &w, 1) : -1;
	free(head);
	if (n < 0)
		return 0;
	argv[k++] = "__complete";
	for (i = (n > 0 && strcmp(w[0], "aer") == 0); i < n && k <
	    SHELL_MAXWORDS; i++)
		argv[k++] = w[i];
	argv[k++] = (char *)text;
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		free_words(w);
		return 0;
	}
	/* Read as it runs: many names could fill the pipe. */
	pid = spawn_aer(k, argv, pfd[1]);
	close(pfd[1]);
	free_words(w);
	fp = fdopen(pfd[0], "r");
	line = NULL;
	while (fp != NULL && (len = getline(&line, &cap, fp)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (nm == 0 && (strcmp(line, "@file") == 0 ||
		    strcmp(line, "@dir") == 0)) {
			files = 1;
			break;
		}
		sh.matches = reallocarray(sh.matches, nm + 2,
		    sizeof *sh.matches);
		sh.matches[nm++] = strdup(line);
		sh.matches[nm] = NULL;
	}
	free(line);
	if (fp != NULL)
		fclose(fp);
	reap(pid);
	return files;
}

/* readline's generator over sh.matches. */
static char *
next_match(const char *text, int state)
{
	static size_t	 i;

	if (state == 0)
		i = 0;
	if (sh.matches == NULL || sh.matches[i] == NULL)
		return NULL;
	return strdup(sh.matches[i++]);
}

/* Tab: commands, options and live names, as in the shell scripts. */
static char **
shell_complete(const char *text, int start, int end)
{
	char	**r;

	free_words(sh.matches);
	sh.matches = NULL;
	if (collect(text, start))
		return NULL;	/* readline's file name completion */
	rl_attempted_completion_over = 1;
	r = rl_completion_matches(text, next_match);
	free_words(sh.matches);
	sh.matches = NULL;
	return r;
}

/* readline hands over a line (NULL at EOF).  Removing the handler here
 * keeps readline from drawing the next prompt before the command runs. */
static void
on_line(char *line)
{
	rl_callback_handler_remove();
	if (line == NULL) {
		sh.done = 1;
		printf("\n");
	}
	sh.pending = line;
	sh.got_line = 1;
}

/* Interactive: readline, history, completion, Ctrl-C clears the line. */
static void
interactive(void)
{
	struct signalfd_siginfo	 si;
	struct pollfd		 pfd[2];
	HIST_ENTRY		*last;
	sigset_t		 set;
	int			 sfd;

	history_path();
	using_history();
	stifle_history(HISTORY_MAX);
	if (sh.histfile[0] != '\0')
		read_history(sh.histfile);
	rl_readline_name = "aer";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_attempted_completion_function = shell_complete;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	rl_callback_handler_install("aer> ", on_line);
	while (!sh.done) {
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = sfd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents & POLLIN) {
			while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
				if (si.ssi_signo == SIGWINCH) {
					rl_resize_terminal();
					continue;
				}
				if (si.ssi_signo != SIGINT)
					continue;
				/* Like a shell: drop the line, new prompt. */
				rl_free_line_state();
				rl_callback_sigcleanup();
				rl_replace_line("", 0);
				rl_crlf();
				rl_on_new_line();
				rl_redisplay();
				sh.status = 130;
			}
		}
		if (pfd[0].revents)
			rl_callback_read_char();
		if (!sh.got_line)
			continue;
		sh.got_line = 0;
		if (sh.pending == NULL)
			break;
		/* The terminal is back to normal while a command runs. */
		if (sh.pending[0] != '\0') {
			last = history_length > 0 ? history_get(history_base +
			    history_length - 1) : NULL;
			if (last == NULL || strcmp(last->line, sh.pending) != 0) {
				add_history(sh.pending);
				sh.added++;
			}
			run_line(sh.pending);
		}
		free(sh.pending);
		sh.pending = NULL;
		/* A Ctrl-C meant for the command is not one for the prompt,
		 * which starts on a line of its own after the echoed ^C. */
		while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
			if (si.ssi_signo == SIGWINCH)
				rl_resize_terminal();
			else if (si.ssi_signo == SIGINT)
				putchar('\n');
		if (!sh.done)
			rl_callback_handler_install("aer> ", on_line);
	}
	rl_callback_handler_remove();
	close(sfd);
	history_save();
}

/* Not a terminal: read lines, run them; no prompt, no history. */
static void
batch(void)
{
	char	*line = NULL;
	size_t	 cap = 0;

	while (!sh.done && getline(&line, &cap, stdin) > 0)
		run_line(line);
	free(line);
}

/* aer shell */
static int
shell_exec(struct aer *a, int argc, char **argv)
{
	const struct option_def	*o;
	ssize_t			 n;

	if (argc != 0) {
		aer_usage(stderr, &cmd_shell);
		return AER_EXIT_USAGE;
	}
	if ((n = readlink("/proc/self/exe", sh.self, sizeof sh.self - 1)) <
	    0) {
		fprintf(stderr, _("aer: cannot find my own binary: %s\n"),
		    strerror(errno));
		return AER_EXIT_FAIL;
	}
	sh.self[n] = '\0';
	/* -H and -o given to aer apply to every command. */
	if (a->host != NULL)
		setenv("AURAE_HOST", a->host, 1);
	if ((o = options_find(aer_global_opts, "--output")) != NULL)
		sh.format = *(const char *const *)o->value;
	sigprocmask(SIG_SETMASK, NULL, &sh.oldmask);
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		interactive();
	else
		batch();
	return sh.status;
}

const struct aer_cmd cmd_shell = {
	"shell", "shell",
	N_("an interactive prompt with history and completion"), shell_opts, NULL, shell_exec
};
