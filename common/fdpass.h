/* fdpass.h - stream I/O that carries file descriptors (SCM_RIGHTS).
 *
 * Both directions of the local socket use these: a client hands its stdio
 * to the daemon, the daemon hands a PTY master or a confined directory back.
 * Received descriptors always arrive with O_CLOEXEC set. */
#ifndef AURAE_FDPASS_H
#define AURAE_FDPASS_H

#include <stddef.h>
#include <sys/types.h>

/* Most descriptors carried by one message, in either direction. */
#define FDPASS_MAX 16

/* sendmsg() n bytes of p with nfds descriptors attached to the first byte
 * (plain send() when there are none).  Returns bytes sent or -1 (errno).
 * Ownership of the fds stays with the caller.  SIGPIPE is never raised. */
ssize_t	fdpass_send(int sock, const void *p, size_t n, const int *fds,
	    size_t nfds);
/* recvmsg() up to n bytes; descriptors that arrive are stored in fds (up to
 * maxfds, the excess is closed) and counted in *nfds.  The caller owns the
 * received descriptors.  Returns bytes read, 0 at EOF, or -1 (errno). */
ssize_t	fdpass_recv(int sock, void *p, size_t n, int *fds, size_t maxfds,
	    size_t *nfds);
/* As fdpass_recv, with extra recvmsg() flags (MSG_DONTWAIT). */
ssize_t	fdpass_recv_flags(int sock, void *p, size_t n, int *fds,
	    size_t maxfds, size_t *nfds, int flags);

#endif
