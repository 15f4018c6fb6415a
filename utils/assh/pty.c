/* pty.c - assh's terminal session: raw mode, the relay, escapes, window
 * size.
 *
 * The daemon makes the pseudo-terminal inside the cell and hands us its
 * master, so the relay runs here, between two local descriptors: no byte
 * of the session crosses the daemon.  A window change is a local ioctl on
 * the master, made when SIGWINCH arrives: the size inside is right before
 * the program there can read it, with no message to race. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include "assh.h"
#include "i18n.h"
#include "runexec.h"

static struct termios	 saved;
static int		 raw_on;

/* Put our terminal back as we found it.  Safe to call twice, and from
 * atexit. */
static void
tty_restore(void)
{
	if (raw_on) {
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
		raw_on = 0;
	}
}

/* Raw mode on our terminal (ssh's settings). */
static int
tty_raw(void)
{
	struct termios	 t;

	if (tcgetattr(STDIN_FILENO, &saved) < 0)
		return -1;
	t = saved;
	t.c_iflag |= IGNPAR;
	t.c_iflag &= ~(ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXANY | IXOFF);
	t.c_lflag &= ~(ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHONL | IEXTEN);
	t.c_oflag &= ~OPOST;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &t) < 0)
		return -1;
	raw_on = 1;
	return 0;
}

/* Copy our window size to the master. */
static void
copy_winsize(int master)
{
	struct winsize	 ws;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(master, TIOCSWINSZ, &ws);
}

/* Write all of p to fd; -1 when the other side has gone. */
static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The escape help, in ssh's words. */
static void
escape_help(int ch)
{
	char	 e[3];

	snprintf(e, sizeof e, "%c", ch);
	fprintf(stderr, _("Supported escape sequences:\r\n"
	    " %s.   - terminate connection\r\n"
	    " %s^Z  - suspend assh\r\n"
	    " %s?   - this message\r\n"
	    " %s%s  - send the escape character by typing it twice\r\n"
	    "(Note that escapes are only recognized immediately after "
	    "newline.)\r\n"), e, e, e, e, e);
}

/* Stop ourselves (~^Z) with the terminal restored, and take raw mode back
 * when continued. */
static void
suspend(int master)
{
	tty_restore();
	fprintf(stderr, "\r\n");
	kill(getpid(), SIGTSTP);
	tty_raw();
	copy_winsize(master);
}

/* See assh.h. */
int
pty_session(aurae_client_t *c, cJSON *params, int escape, const char *target)
{
	struct ttyescape	 esc;
	enum ttyescape_action	 act;
	struct signalfd_siginfo	 si;
	struct winsize		 ws;
	struct pollfd		 pfd[3];
	aurae_error_t		 err;
	sigset_t		 set;
	cJSON			*tty, *res, *msg, *p;
	const cJSON		*id, *e;
	char			 in[4096], out[4097], buf[16384];
	size_t			 n, used, off;
	ssize_t			 r;
	long long		 wid = 0;
	int			 master = -1, sfd, status = ASSH_FAIL, st;
	int			 in_open = 1, out_open = 1;
	size_t			 nfds;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0) {
		ws.ws_row = 24;
		ws.ws_col = 80;
	}
	tty = cJSON_AddObjectToObject(params, "tty");
	cJSON_AddNumberToObject(tty, "rows", ws.ws_row);
	cJSON_AddNumberToObject(tty, "cols", ws.ws_col);
	cJSON_AddTrueToObject(params, "attach");
	/* SIGWINCH and the signals that end us arrive through a signalfd;
	 * the terminal is restored on every way out. */
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (aurae_call_fds(c, "executables.start", params, NULL, 0, &res,
	    &master, 1, &nfds, &err) < 0) {
		fprintf(stderr, "assh: %s\n", err.message);
		st = runexec_start_status(&err);
		return st == RUNEXEC_FAIL ? ASSH_FAIL : st;
	}
	id = cJSON_GetObjectItemCaseSensitive(res, "id");
	if (nfds != 1 || !cJSON_IsString(id)) {
		fprintf(stderr, _("assh: the daemon sent no terminal\n"));
		cJSON_Delete(res);
		return ASSH_FAIL;
	}
	/* The exit status comes as the answer to this, read below. */
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "id", id->valuestring);
	st = aurae_send(c, "executables.wait", p, &wid, &err);
	cJSON_Delete(p);
	cJSON_Delete(res);
	if (st < 0) {
		fprintf(stderr, "assh: %s\n", err.message);
		close(master);
		return ASSH_FAIL;
	}
	/* Reads are driven by poll, and the last drain must not block on
	 * a terminal that a background process keeps open. */
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	atexit(tty_restore);
	if (isatty(STDIN_FILENO) && tty_raw() < 0) {
		fprintf(stderr, _("assh: cannot set the terminal: %s\n"),
		    strerror(errno));
		close(master);
		return ASSH_FAIL;
	}
	ttyescape_init(&esc, isatty(STDIN_FILENO) ? escape : -1);
	for (;;) {
		pfd[0].fd = in_open ? STDIN_FILENO : -1;
		pfd[0].events = POLLIN;
		pfd[1].fd = out_open ? master : -1;
		pfd[1].events = POLLIN;
		pfd[2].fd = aurae_client_fd(c);
		pfd[2].events = POLLIN;
		if (poll(pfd, 3, -1) < 0 && errno != EINTR)
			break;
		while (sfd >= 0 && read(sfd, &si, sizeof si) ==
		    (ssize_t)sizeof si) {
			if (si.ssi_signo == SIGWINCH) {
				copy_winsize(master);
				continue;
			}
			/* TERM, HUP (our terminal went), INT, QUIT: we end,
			 * and the daemon hangs the session up. */
			tty_restore();
			fprintf(stderr, _("assh: killed by signal %d\n"),
			    (int)si.ssi_signo);
			close(master);
			return ASSH_FAIL;
		}
		if (out_open && (pfd[1].revents & (POLLIN | POLLHUP |
		    POLLERR))) {
			r = read(master, buf, sizeof buf);
			/* EIO: every process has closed the terminal. */
			if (r <= 0 && errno != EINTR && errno != EAGAIN)
				out_open = 0;
			else if (r > 0 && write_all(STDOUT_FILENO, buf,
			    (size_t)r) < 0)
				out_open = 0;
		}
		if (in_open && (pfd[0].revents & (POLLIN | POLLHUP))) {
			r = read(STDIN_FILENO, in, sizeof in);
			if (r <= 0) {
				/* EOF: like ssh, send ^D, the terminal's
				 * end of file. */
				in_open = 0;
				if (write_all(master, "\004", 1) < 0)
					break;
				continue;
			}
			for (off = 0; off < (size_t)r; off += used) {
				n = ttyescape_filter(&esc, in + off,
				    (size_t)r - off, out, &used, &act);
				if (n > 0 && write_all(master, out, n) < 0)
					break;
				if (act == TTYESC_DISCONNECT) {
					tty_restore();
					fprintf(stderr, _("Connection to %s "
					    "closed.\n"), target);
					close(master);
					return ASSH_FAIL;
				}
				if (act == TTYESC_HELP)
					escape_help(escape);
				if (act == TTYESC_SUSPEND)
					suspend(master);
			}
		}
		if (pfd[2].revents) {
			if (aurae_recv(c, &msg, 0, &err) <= 0) {
				tty_restore();
				fprintf(stderr, _("assh: connection to the "
				    "daemon lost: %s\n"), err.message);
				close(master);
				return ASSH_FAIL;
			}
			e = cJSON_GetObjectItemCaseSensitive(msg, "id");
			if (cJSON_IsNumber(e) && e->valuedouble ==
			    (double)wid) {
				p = cJSON_GetObjectItemCaseSensitive(msg,
				    "result");
				status = p ? runexec_status(p) : ASSH_FAIL;
				cJSON_Delete(msg);
				/* Drain what the program wrote last. */
				while (out_open && (r = read(master, buf,
				    sizeof buf)) > 0)
					if (write_all(STDOUT_FILENO, buf,
					    (size_t)r) < 0)
						break;
				break;
			}
			cJSON_Delete(msg);
		}
	}
	tty_restore();
	close(master);
	return status;
}
