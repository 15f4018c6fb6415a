/* fdpass.c - SCM_RIGHTS helpers. */
#include "fdpass.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Send bytes with attached descriptors, if any. */
ssize_t
fdpass_send(int sock, const void *p, size_t n, const int *fds, size_t nfds)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	union {
		char		b[CMSG_SPACE(sizeof(int) * FDPASS_MAX)];
		struct cmsghdr	align;
	} cbuf;

	if (nfds > FDPASS_MAX || (nfds > 0 && n == 0)) {
		errno = EINVAL;
		return -1;
	}
	if (nfds == 0)		/* cheaper: no message header to copy in */
		return send(sock, p, n, MSG_NOSIGNAL);
	memset(&msg, 0, sizeof msg);
	iov.iov_base = (void *)p;
	iov.iov_len = n;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (nfds > 0) {
		memset(&cbuf, 0, sizeof cbuf);
		msg.msg_control = cbuf.b;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL);
}

/* Receive bytes and any descriptors that come with them. */
ssize_t
fdpass_recv(int sock, void *p, size_t n, int *fds, size_t maxfds,
    size_t *nfds)
{
	return fdpass_recv_flags(sock, p, n, fds, maxfds, nfds, 0);
}

/* The same with extra flags for recvmsg(). */
ssize_t
fdpass_recv_flags(int sock, void *p, size_t n, int *fds, size_t maxfds,
    size_t *nfds, int flags)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	ssize_t		 r;
	size_t		 i, cnt;
	int		*data;
	union {
		char		b[CMSG_SPACE(sizeof(int) * FDPASS_MAX)];
		struct cmsghdr	align;
	} cbuf;

	*nfds = 0;
	memset(&msg, 0, sizeof msg);
	iov.iov_base = p;
	iov.iov_len = n;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.b;
	msg.msg_controllen = sizeof cbuf.b;
	r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | flags);
	if (r < 0)
		return -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		cnt = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		data = (int *)CMSG_DATA(cm);
		for (i = 0; i < cnt; i++) {
			if (*nfds < maxfds)
				fds[(*nfds)++] = data[i];
			else
				close(data[i]);
		}
	}
	/* A truncated control message lost descriptors: treat it as an error
	 * rather than silently handing out fewer than were sent. */
	if (msg.msg_flags & MSG_CTRUNC) {
		for (i = 0; i < *nfds; i++)
			close(fds[i]);
		*nfds = 0;
		errno = EMSGSIZE;
		return -1;
	}
	return r;
}
