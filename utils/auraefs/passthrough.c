/* passthrough.c - FUSE passthrough under libfuse 3.14 (see passthrough.h).
 *
 * The transport reads requests and writes replies exactly as libfuse's
 * own does, with two exceptions: it notes the INIT request (does the
 * kernel offer passthrough?) and amends two kinds of reply.  Only fields
 * libfuse 3.14 leaves zero are written, and only in replies whose size
 * is exactly that of the structure amended. */
#include "passthrough.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/capability.h>

/* From Linux 6.9's <linux/fuse.h> (7.40), newer than Debian 12's. */
#define PT_FLAGS2		(1U << (37 - 32))	/* FUSE_PASSTHROUGH */
#define PT_FOPEN		(1U << 7)		/* FOPEN_PASSTHROUGH */
#define PT_STACK_DEPTH		1	/* backing files: not stacked */
struct pt_backing_map {
	int32_t		 fd;
	uint32_t	 flags;
	uint64_t	 padding;
};
#define PT_IOC_BACKING_OPEN	_IOW(229, 1, struct pt_backing_map)
#define PT_IOC_BACKING_CLOSE	_IOW(229, 2, uint32_t)

#define PT_MAX_REPLY	512	/* an amended reply is smaller */

enum { PT_OFF, PT_PENDING, PT_ON };

static struct {
	atomic_int	 state;		/* PT_* */
	int		 devfd;		/* the session's /dev/fuse */
	atomic_int	 init_seen;
	uint64_t	 init_unique;	/* set before init_seen */
	int		 offered;	/* the kernel offers passthrough */
} pt = { PT_OFF, -1, 0, 0, 0 };

static __thread int	 armed;

/* Note the INIT request: its id, and whether the kernel offers
 * passthrough (FUSE_INIT_EXT with FUSE_PASSTHROUGH in flags2). */
static void
note_init(const void *buf, ssize_t len)
{
	const struct fuse_in_header	*in = buf;
	const struct fuse_init_in	*arg;

	if (len < (ssize_t)(sizeof *in + sizeof *arg) ||
	    in->opcode != FUSE_INIT)
		return;
	arg = (const struct fuse_init_in *)(in + 1);
	pt.offered = (arg->flags & FUSE_INIT_EXT) &&
	    (arg->flags2 & PT_FLAGS2);
	pt.init_unique = in->unique;
	atomic_store(&pt.init_seen, 1);
}

static ssize_t
pt_read(int fd, void *buf, size_t len, void *ud)
{
	ssize_t	 r;

	(void)ud;
	r = read(fd, buf, len);
	if (r > 0 && !atomic_load_explicit(&pt.init_seen,
	    memory_order_relaxed))
		note_init(buf, r);
	return r;
}

static ssize_t
pt_splice(int fdin, off_t *offin, int fdout, off_t *offout, size_t len,
    unsigned int flags, void *ud)
{
	(void)ud;
	return splice(fdin, offin, fdout, offout, len, flags);
}

/* Amend a copy of a reply in buf (len bytes, header first); 1 when
 * amended. */
static int
amend(char *buf, size_t len)
{
	struct fuse_out_header	*out = (struct fuse_out_header *)buf;
	struct fuse_init_out	*init;
	struct fuse_open_out	*open;

	if (out->error != 0)
		return 0;
	if (atomic_load(&pt.init_seen) && out->unique == pt.init_unique &&
	    atomic_load(&pt.state) == PT_PENDING &&
	    len == sizeof *out + sizeof *init) {
		init = (struct fuse_init_out *)(out + 1);
		if (!pt.offered || (init->flags & FUSE_WRITEBACK_CACHE)) {
			atomic_store(&pt.state, PT_OFF);
			return 0;
		}
		init->flags |= FUSE_INIT_EXT;
		init->flags2 |= PT_FLAGS2;
		init->unused[0] = PT_STACK_DEPTH;	/* max_stack_depth */
		atomic_store(&pt.state, PT_ON);
		return 1;
	}
	/* An open reply is the header and fuse_open_out; a create reply
	 * has fuse_entry_out between them. */
	if (armed != 0 && (len == sizeof *out + sizeof *open ||
	    len == sizeof *out + sizeof(struct fuse_entry_out) +
	    sizeof *open)) {
		open = (struct fuse_open_out *)(buf + len - sizeof *open);
		open->open_flags &= ~(uint32_t)(FOPEN_DIRECT_IO |
		    FOPEN_KEEP_CACHE);
		open->open_flags |= PT_FOPEN;
		open->padding = (uint32_t)armed;	/* backing_id */
		return 1;
	}
	return 0;
}

static ssize_t
pt_writev(int fd, struct iovec *iov, int count, void *ud)
{
	char	 buf[PT_MAX_REPLY];
	size_t	 len = 0;
	int	 i;

	(void)ud;
	if (atomic_load_explicit(&pt.state, memory_order_relaxed) == PT_OFF ||
	    (armed == 0 && atomic_load(&pt.state) == PT_ON))
		return writev(fd, iov, count);
	for (i = 0; i < count; i++) {
		if (iov[i].iov_len > sizeof buf - len)
			return writev(fd, iov, count);
		memcpy(buf + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	if (len < sizeof(struct fuse_out_header) || !amend(buf, len))
		return writev(fd, iov, count);
	return write(fd, buf, len);
}

/* See passthrough.h. */
int
passthrough_setup(struct fuse_session *se, int want)
{
	static const struct fuse_custom_io io = {
		.writev = pt_writev,
		.read = pt_read,
		.splice_receive = pt_splice,
		.splice_send = pt_splice,
	};
	int	 r;

	if (!want)
		return 0;
	pt.devfd = fuse_session_fd(se);
	atomic_store(&pt.state, PT_PENDING);
	if ((r = fuse_session_custom_io(se, &io, pt.devfd)) < 0) {
		atomic_store(&pt.state, PT_OFF);
		errno = -r;
		return -1;
	}
	return 0;
}

/* See passthrough.h. */
int
passthrough_expected(void)
{
	struct __user_cap_header_struct	 h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct	 c[2];

	if (atomic_load(&pt.state) != PT_PENDING || !pt.offered)
		return 0;
	if (syscall(SYS_capget, &h, c) < 0)
		return 0;
	return (c[CAP_SYS_ADMIN / 32].effective &
	    (1U << (CAP_SYS_ADMIN % 32))) != 0;
}

/* See passthrough.h. */
int
passthrough_register(int fd)
{
	struct pt_backing_map	 map;
	int			 id;

	if (atomic_load(&pt.state) != PT_ON)
		return 0;
	memset(&map, 0, sizeof map);
	map.fd = fd;
	if ((id = ioctl(pt.devfd, PT_IOC_BACKING_OPEN, &map)) > 0)
		return id;
	/* EPERM: no CAP_SYS_ADMIN, or the kernel refused passthrough at
	 * INIT; ENOTTY, EOPNOTSUPP: not built in; EINVAL: a map this
	 * kernel does not know.  Anything else (ELOOP: a stacked file
	 * system) is about this file only. */
	if (errno == EPERM || errno == ENOTTY || errno == EOPNOTSUPP ||
	    errno == EINVAL)
		atomic_store(&pt.state, PT_OFF);
	return 0;
}

/* See passthrough.h. */
void
passthrough_unregister(int id)
{
	uint32_t	 u = (uint32_t)id;

	if (id > 0)
		(void)ioctl(pt.devfd, PT_IOC_BACKING_CLOSE, &u);
}

/* See passthrough.h. */
void
passthrough_arm(int id)
{
	armed = id;
}
