/* cmd-dial-stdio.c - aer dial-stdio: bridge stdin and stdout to the
 * daemon's socket.  Run on a remote node over ssh, it is the fallback
 * transport; locally it is a socat replacement. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aer.h"
#include "i18n.h"

/* Write all of p to fd. */
static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy both ways until the daemon closes.  EOF on stdin half-closes the
 * connection so that answers still pending come back. */
static int
dial_exec(struct aer *a, int argc, char **argv)
{
	aurae_client_t	*c;
	aurae_error_t	 err;
	struct pollfd	 pfd[2];
	char		 b[65536];
	ssize_t		 n;
	long		 r;
	int		 in_open = 1;

	if (argc != 0) {
		aer_usage(stderr, &cmd_dial_stdio);
		return AER_EXIT_USAGE;
	}
	c = aer_client(a);
	for (;;) {
		pfd[0].fd = in_open ? STDIN_FILENO : -1;
		pfd[0].events = POLLIN;
		pfd[1].fd = aurae_client_fd(c);
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("aer: poll");
			return AER_EXIT_FAIL;
		}
		if (pfd[1].revents) {
			r = aurae_read_raw(c, b, sizeof b, &err);
			if (r < 0)
				return aer_fail(&err);
			if (r == 0)
				return AER_EXIT_OK;
			if (write_all(STDOUT_FILENO, b, (size_t)r) < 0)
				return AER_EXIT_OK;	/* reader went away */
		}
		if (in_open && pfd[0].revents) {
			n = read(STDIN_FILENO, b, sizeof b);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				in_open = 0;
				if (aurae_close_write(c, &err) < 0)
					return aer_fail(&err);
				continue;
			}
			if (aurae_write_raw(c, b, (size_t)n, &err) < 0)
				return aer_fail(&err);
		}
	}
}

static const struct option_def dial_opts[] = { { OPT_END } };

const struct aer_cmd cmd_dial_stdio = {
	"dial-stdio", "dial-stdio",
	N_("bridge stdin and stdout to the daemon socket"),
	dial_opts, NULL, dial_exec
};
