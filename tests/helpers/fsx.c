/* fsx.c - a deterministic random-operation file checker (after fsx).
 *
 * usage: fsx [-v] [-N OPS] [-S SEED] [-l MAXLEN] [-o MAXOPLEN] FILE [MIRROR]
 *
 * FILE is created (or truncated) and OPS operations (default 10000) are
 * made on it, chosen by a seeded PRNG of our own (splitmix64), so that a
 * seed gives the same run everywhere: pwrite at any offset below MAXLEN
 * (default 256 KiB; beyond the end, which leaves a hole), pread, write
 * through an O_APPEND descriptor, ftruncate up and down, fallocate (plain,
 * and punching a hole with FALLOC_FL_KEEP_SIZE), reads and MAP_SHARED
 * writes through mmap (msync with MS_SYNC one time in four, else
 * MS_ASYNC: the pages then go with the next sync or close), fsync and
 * fdatasync (rarely: they are slow), close and reopen, fstat, and reading
 * the whole file back.  An operation moves at
 * most MAXOPLEN bytes (default 64 KiB).  The file is kept in memory as
 * well, and everything read is compared with it.
 *
 * An operation the filesystem does not support (fallocate modes failing
 * with EOPNOTSUPP, mmap with ENODEV) is noted once on stderr and not
 * tried again.
 *
 * MIRROR is the same file seen by another path (the directory under a
 * FUSE mount, say): after every close (at reopen points, and at the end)
 * it is read whole and compared with the model too, which shows that
 * what was written reached the other side.
 *
 * The bytes written depend on the operation's number and on their offset
 * in the file, so a byte misplaced or stale tells where it came from.
 *
 * On the first difference fsx prints the operation's number, what it
 * was, its offset and length, the first byte that differs (expected and
 * got) and the last 20 operations, and exits 1; a system call failing
 * also exits 1.  Otherwise it prints "fsx: N operations, seed S,
 * 0 mismatches" and exits 0.  A usage error exits 2.  -v prints every
 * operation. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/falloc.h>

#define HISTORY		20

enum op {
	OP_WRITE, OP_READ, OP_APPEND, OP_TRUNCATE, OP_FALLOCATE, OP_PUNCH,
	OP_MAPREAD, OP_MAPWRITE, OP_FSYNC, OP_FDATASYNC, OP_REOPEN, OP_FSTAT,
	OP_READALL, OP_COUNT
};

/* Per op: its name and its weight in 1000. */
static const struct {
	const char	*name;
	unsigned	 weight;
} ops[OP_COUNT] = {
	[OP_WRITE] =		{ "write", 290 },
	[OP_READ] =		{ "read", 290 },
	[OP_APPEND] =		{ "append", 60 },
	[OP_TRUNCATE] =		{ "truncate", 50 },
	[OP_FALLOCATE] =	{ "fallocate", 30 },
	[OP_PUNCH] =		{ "punch_hole", 30 },
	[OP_MAPREAD] =		{ "mapread", 80 },
	[OP_MAPWRITE] =		{ "mapwrite", 60 },
	[OP_FSYNC] =		{ "fsync", 3 },
	[OP_FDATASYNC] =	{ "fdatasync", 3 },
	[OP_REOPEN] =		{ "close/reopen", 10 },
	[OP_FSTAT] =		{ "fstat", 84 },
	[OP_READALL] =		{ "readall", 10 },
};

/* One operation done, for the history. */
struct record {
	unsigned long	 n;
	enum op		 op;
	off_t		 off;
	size_t		 len;
	/* The file's size after it (before it, for the one that failed). */
	off_t		 size;
};

static const char	*path, *mirror;
static unsigned long	 nops = 10000, opnum;
static uint64_t		 seed = 1, rng;
static size_t		 maxlen = 256 * 1024, maxoplen = 64 * 1024;
static int		 verbose;
/* The file, and the same file opened with O_APPEND. */
static int		 fd = -1, afd = -1;
static unsigned char	*model, *buf;
static off_t		 size;			/* the model's size */
static long		 pagesz;
static int		 no_falloc, no_punch, no_mmap;
static struct record	 history[HISTORY];
static unsigned long	 nhistory;

/* Print the usage and exit 2. */
static void
usage(void)
{
	fprintf(stderr, "usage: fsx [-v] [-N OPS] [-S SEED] [-l MAXLEN] "
	    "[-o MAXOPLEN] FILE [MIRROR]\n");
	exit(2);
}

/* The next 64 random bits (splitmix64). */
static uint64_t
next64(void)
{
	uint64_t	 z;

	z = (rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* A random number below n (n > 0). */
static uint64_t
below(uint64_t n)
{
	return next64() % n;
}

/* A random length of 1 to max bytes, small ones more often. */
static size_t
random_len(size_t max)
{
	if (max == 0)
		return 0;
	if (below(4) == 0)
		return 1 + below(max < 16 ? max : 16);
	return 1 + below(max);
}

/* A random offset below max, on a page boundary now and then. */
static off_t
random_off(size_t max)
{
	off_t	 off;

	if (max == 0)
		return 0;
	off = (off_t)below(max);
	if (below(8) == 0)
		off -= off % pagesz;
	return off;
}

/* Parse a number of at least min (suffixes k and m). */
static uint64_t
number_arg(const char *s, uint64_t min)
{
	char		*end;
	uint64_t	 v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end == 'k' || *end == 'K') {
		v *= 1024;
		end++;
	} else if (*end == 'm' || *end == 'M') {
		v *= 1024 * 1024;
		end++;
	}
	if (errno || end == s || *end != '\0' || v < min)
		usage();
	return v;
}

/* Print one record of the history. */
static void
print_record(const struct record *r)
{
	fprintf(stderr, "  %8lu %-12s off 0x%jx len 0x%zx (size 0x%jx)\n",
	    r->n, ops[r->op].name, (intmax_t)r->off, r->len,
	    (intmax_t)r->size);
}

/* Print the last operations and exit 1. */
static void
die(void)
{
	unsigned long	 i, first;

	first = nhistory > HISTORY ? nhistory - HISTORY : 0;
	fprintf(stderr, "fsx: seed %" PRIu64 ", the last %lu operations:\n",
	    seed, nhistory - first);
	for (i = first; i < nhistory; i++)
		print_record(&history[i % HISTORY]);
	exit(1);
}

/* A system call failed during operation op: say so and die. */
static void
fail_sys(enum op op, const char *what, off_t off, size_t len)
{
	fprintf(stderr, "fsx: op %lu %s off 0x%jx len 0x%zx: %s: %s\n", opnum,
	    ops[op].name, (intmax_t)off, len, what, strerror(errno));
	die();
}

/* Record operation op (done, or about to be checked). */
static void
record(enum op op, off_t off, size_t len)
{
	struct record	*r = &history[nhistory++ % HISTORY];

	r->n = opnum;
	r->op = op;
	r->off = off;
	r->len = len;
	r->size = size;
}

/* Compare len bytes read at off (got) with the model; a difference is
 * reported as operation op's and ends the run. */
static void
check(enum op op, const char *where, off_t off, size_t len,
    const unsigned char *got)
{
	size_t	 i;

	if (memcmp(model + off, got, len) == 0)
		return;
	for (i = 0; i < len; i++)
		if (model[off + i] != got[i])
			break;
	fprintf(stderr, "fsx: MISMATCH at op %lu %s off 0x%jx len 0x%zx%s%s: "
	    "first difference at 0x%jx (op offset 0x%zx): expected 0x%02x, "
	    "got 0x%02x\n", opnum, ops[op].name, (intmax_t)off, len,
	    where ? " in " : "", where ? where : "", (intmax_t)(off + i), i,
	    model[off + i], got[i]);
	die();
}

/* A size seen (by fstat, or by reading to the end) must be the model's. */
static void
check_size(enum op op, const char *where, off_t seen)
{
	if (seen == size)
		return;
	fprintf(stderr, "fsx: MISMATCH at op %lu %s%s%s: size 0x%jx, "
	    "expected 0x%jx\n", opnum, ops[op].name, where ? " in " : "",
	    where ? where : "", (intmax_t)seen, (intmax_t)size);
	die();
}

/* Fill buf with this operation's bytes for the file range at off. */
static void
fill(off_t off, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(opnum * 7 + 1 +
		    (uint64_t)(off + (off_t)i) % 253);
}

/* pread until len bytes or the end of the file; returns the count. */
static size_t
read_full(int rfd, enum op op, unsigned char *dst, off_t off, size_t len)
{
	size_t	 done = 0;
	ssize_t	 r;

	while (done < len) {
		r = pread(rfd, dst + done, len - done, off + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			fail_sys(op, "pread", off, len);
		if (r == 0)
			break;
		done += (size_t)r;
	}
	return done;
}

/* Write all len bytes of buf to wfd (at off, or appending if off < 0). */
static void
write_full(int wfd, enum op op, off_t off, size_t len)
{
	size_t	 done = 0;
	ssize_t	 r;

	while (done < len) {
		if (off < 0)
			r = write(wfd, buf + done, len - done);
		else
			r = pwrite(wfd, buf + done, len - done,
			    off + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			fail_sys(op, off < 0 ? "write" : "pwrite", off, len);
		done += (size_t)r;
	}
}

/* Put len bytes of buf at off in the model, growing it. */
static void
model_write(off_t off, size_t len)
{
	memcpy(model + off, buf, len);
	if (off + (off_t)len > size)
		size = off + (off_t)len;
}

/* Set the model's size; what is cut off becomes zeros again, as a hole
 * made later will read. */
static void
model_truncate(off_t to)
{
	if (to < size)
		memset(model + to, 0, (size_t)(size - to));
	size = to;
}

/* Open the file and its O_APPEND twin. */
static void
open_file(int flags)
{
	if ((fd = open(path, O_RDWR | O_CLOEXEC | flags, 0644)) < 0)
		fail_sys(OP_REOPEN, path, 0, 0);
	if ((afd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0)
		fail_sys(OP_REOPEN, path, 0, 0);
}

/* Close both descriptors. */
static void
close_file(void)
{
	if (close(afd) < 0)
		fail_sys(OP_REOPEN, "close", 0, 0);
	if (close(fd) < 0)
		fail_sys(OP_REOPEN, "close", 0, 0);
	afd = fd = -1;
}

/* Read the whole of rfd and compare it, and its size, with the model. */
static void
check_whole(int rfd, enum op op, const char *where)
{
	struct stat	 st;
	size_t		 got;
	unsigned char	 extra;

	if (fstat(rfd, &st) < 0)
		fail_sys(op, "fstat", 0, 0);
	check_size(op, where, st.st_size);
	got = read_full(rfd, op, buf, 0, (size_t)size);
	check(op, where, 0, got, buf);
	if (got < (size_t)size)
		check_size(op, where ? where : "reading to the end",
		    (off_t)got);
	if (read_full(rfd, op, &extra, size, 1) != 0)
		check_size(op, where ? where : "reading to the end",
		    size + 1);
}

/* Compare the mirror with the model (the file is closed). */
static void
check_mirror(enum op op)
{
	int	 mfd;

	if (mirror == NULL)
		return;
	if ((mfd = open(mirror, O_RDONLY | O_CLOEXEC)) < 0)
		fail_sys(op, mirror, 0, 0);
	check_whole(mfd, op, mirror);
	close(mfd);
}

/* pwrite at any offset below maxlen (a hole beyond the end). */
static void
do_write(void)
{
	off_t	 off = random_off(maxlen);
	size_t	 len = random_len(maxlen - (size_t)off < maxoplen ?
	    maxlen - (size_t)off : maxoplen);

	fill(off, len);
	record(OP_WRITE, off, len);
	write_full(fd, OP_WRITE, off, len);
	model_write(off, len);
}

/* pread anywhere (beyond the end too) and compare. */
static void
do_read(void)
{
	off_t	 off = random_off(maxlen);
	size_t	 len = random_len(maxoplen), want, got;

	want = off >= size ? 0 : (size_t)(size - off) < len ?
	    (size_t)(size - off) : len;
	record(OP_READ, off, len);
	got = read_full(fd, OP_READ, buf, off, len);
	check(OP_READ, NULL, off, got < want ? got : want, buf);
	if (got != want)
		check_size(OP_READ, "a short or long read", off + (off_t)got);
}

/* write through the O_APPEND descriptor.  Returns 0 when there is no
 * room left. */
static int
do_append(void)
{
	size_t	 room = maxlen - (size_t)size, len;

	if (room == 0)
		return 0;
	len = random_len(room < maxoplen ? room : maxoplen);
	fill(size, len);
	record(OP_APPEND, size, len);
	write_full(afd, OP_APPEND, -1, len);
	model_write(size, len);
	return 1;
}

/* ftruncate up or down. */
static void
do_truncate(void)
{
	off_t	 to;

	/* Mostly near the current size, now and then anywhere. */
	if (below(3) == 0 || size == 0)
		to = (off_t)below(maxlen + 1);
	else
		to = (off_t)below((uint64_t)size + 1);
	if (ftruncate(fd, to) < 0)
		fail_sys(OP_TRUNCATE, "ftruncate", to, 0);
	model_truncate(to);
	record(OP_TRUNCATE, to, 0);
}

/* fallocate a range (growing the file with zeros).  Returns 0 when the
 * filesystem does not have it. */
static int
do_fallocate(void)
{
	off_t	 off = random_off(maxlen);
	size_t	 len = random_len(maxlen - (size_t)off < maxoplen ?
	    maxlen - (size_t)off : maxoplen);

	if (no_falloc)
		return 0;
	if (fallocate(fd, 0, off, (off_t)len) < 0) {
		if (errno == EOPNOTSUPP) {
			fprintf(stderr, "fsx: fallocate is not supported; "
			    "skipping it\n");
			no_falloc = 1;
			return 0;
		}
		fail_sys(OP_FALLOCATE, "fallocate", off, len);
	}
	if (off + (off_t)len > size)
		size = off + (off_t)len;
	record(OP_FALLOCATE, off, len);
	return 1;
}

/* Punch a hole inside the file, keeping its size.  Returns 0 when the
 * filesystem does not have it. */
static int
do_punch(void)
{
	off_t	 off, end;
	size_t	 len;

	if (no_punch || size == 0)
		return 0;
	off = random_off((size_t)size);
	len = random_len(maxoplen);
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off,
	    (off_t)len) < 0) {
		if (errno == EOPNOTSUPP) {
			fprintf(stderr, "fsx: punching holes is not "
			    "supported; skipping it\n");
			no_punch = 1;
			return 0;
		}
		fail_sys(OP_PUNCH, "fallocate", off, len);
	}
	end = off + (off_t)len < size ? off + (off_t)len : size;
	memset(model + off, 0, (size_t)(end - off));
	record(OP_PUNCH, off, len);
	return 1;
}

/* Map [off, off + len) of the file; *delta is off's place in the map.
 * NULL when mmap does not work on this file (then never tried again). */
static unsigned char *
map(enum op op, int prot, off_t off, size_t len, size_t *maplen,
    size_t *delta)
{
	off_t	 pg = off - off % pagesz;
	void	*p;

	*delta = (size_t)(off - pg);
	*maplen = *delta + len;
	p = mmap(NULL, *maplen, prot, MAP_SHARED, fd, pg);
	if (p == MAP_FAILED) {
		if (errno == ENODEV || errno == EOPNOTSUPP) {
			fprintf(stderr, "fsx: mmap does not work on %s; "
			    "skipping it\n", path);
			no_mmap = 1;
			return NULL;
		}
		fail_sys(op, "mmap", off, len);
	}
	return p;
}

/* Read a range inside the file through mmap and compare.  Returns 0 when
 * there is nothing to map or mmap does not work. */
static int
do_mapread(void)
{
	unsigned char	*p;
	off_t		 off;
	size_t		 len, maplen, delta;

	if (no_mmap || size == 0)
		return 0;
	off = random_off((size_t)size);
	len = random_len((size_t)(size - off) < maxoplen ?
	    (size_t)(size - off) : maxoplen);
	if ((p = map(OP_MAPREAD, PROT_READ, off, len, &maplen, &delta)) ==
	    NULL)
		return 0;
	record(OP_MAPREAD, off, len);
	memcpy(buf, p + delta, len);
	if (munmap(p, maplen) < 0)
		fail_sys(OP_MAPREAD, "munmap", off, len);
	check(OP_MAPREAD, NULL, off, len, buf);
	return 1;
}

/* Write a range through a MAP_SHARED mapping, growing the file first
 * with ftruncate if needed, then msync (MS_SYNC one time in four,
 * MS_ASYNC otherwise).  Returns 0 when mmap does not work. */
static int
do_mapwrite(void)
{
	unsigned char	*p;
	off_t		 off = random_off(maxlen);
	size_t		 len, maplen, delta;

	if (no_mmap)
		return 0;
	len = random_len(maxlen - (size_t)off < maxoplen ?
	    maxlen - (size_t)off : maxoplen);
	if (off + (off_t)len > size) {
		if (ftruncate(fd, off + (off_t)len) < 0)
			fail_sys(OP_MAPWRITE, "ftruncate", off, len);
		size = off + (off_t)len;
	}
	record(OP_MAPWRITE, off, len);
	if ((p = map(OP_MAPWRITE, PROT_READ | PROT_WRITE, off, len, &maplen,
	    &delta)) == NULL)
		return 1;	/* the ftruncate was done and recorded */
	fill(off, len);
	memcpy(p + delta, buf, len);
	/* MS_SYNC writes through to the file and syncs it (slow: about
	 * 2 ms on FUSE); otherwise the pages stay dirty until close. */
	if (msync(p, maplen, below(4) == 0 ? MS_SYNC : MS_ASYNC) < 0)
		fail_sys(OP_MAPWRITE, "msync", off, len);
	if (munmap(p, maplen) < 0)
		fail_sys(OP_MAPWRITE, "munmap", off, len);
	model_write(off, len);
	return 1;
}

/* Do one operation of the kind op; returns 0 if it could not be done
 * now (another is then chosen). */
static int
do_op(enum op op)
{
	struct stat	 st;

	switch (op) {
	case OP_WRITE:
		do_write();
		return 1;
	case OP_READ:
		do_read();
		return 1;
	case OP_APPEND:
		return do_append();
	case OP_TRUNCATE:
		do_truncate();
		return 1;
	case OP_FALLOCATE:
		return do_fallocate();
	case OP_PUNCH:
		return do_punch();
	case OP_MAPREAD:
		return do_mapread();
	case OP_MAPWRITE:
		return do_mapwrite();
	case OP_FSYNC:
	case OP_FDATASYNC:
		record(op, 0, 0);
		if ((op == OP_FSYNC ? fsync(fd) : fdatasync(fd)) < 0)
			fail_sys(op, ops[op].name, 0, 0);
		return 1;
	case OP_REOPEN:
		record(op, 0, 0);
		close_file();
		check_mirror(op);
		open_file(0);
		return 1;
	case OP_FSTAT:
		record(op, 0, 0);
		if (fstat(fd, &st) < 0)
			fail_sys(op, "fstat", 0, 0);
		check_size(op, NULL, st.st_size);
		return 1;
	case OP_READALL:
		record(op, 0, (size_t)size);
		check_whole(fd, op, NULL);
		return 1;
	case OP_COUNT:
		break;
	}
	abort();
}

/* Choose an operation by weight. */
static enum op
choose(void)
{
	unsigned	 r = (unsigned)below(1000), i;

	for (i = 0; i < OP_COUNT; i++) {
		if (r < ops[i].weight)
			return (enum op)i;
		r -= ops[i].weight;
	}
	return OP_READ;
}

int
main(int argc, char **argv)
{
	int	 ch;

	while ((ch = getopt(argc, argv, "N:S:l:o:v")) != -1) {
		switch (ch) {
		case 'N':
			nops = (unsigned long)number_arg(optarg, 0);
			break;
		case 'S':
			seed = number_arg(optarg, 0);
			break;
		case 'l':
			maxlen = (size_t)number_arg(optarg, 1);
			break;
		case 'o':
			maxoplen = (size_t)number_arg(optarg, 1);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2 || maxlen > 1024 * 1024 * 1024)
		usage();
	path = argv[0];
	mirror = argc == 2 ? argv[1] : NULL;
	if (maxoplen > maxlen)
		maxoplen = maxlen;
	pagesz = sysconf(_SC_PAGESIZE);
	rng = seed;
	/* The buffer takes a whole file (readall) or one operation. */
	if ((model = calloc(1, maxlen)) == NULL ||
	    (buf = malloc(maxlen + 1)) == NULL) {
		perror("fsx");
		return 1;
	}
	open_file(O_CREAT | O_TRUNC);
	for (opnum = 1; opnum <= nops; opnum++) {
		while (!do_op(choose()))
			;
		history[(nhistory - 1) % HISTORY].size = size;
		if (verbose)
			print_record(&history[(nhistory - 1) % HISTORY]);
	}
	opnum = nops;
	close_file();
	check_mirror(OP_REOPEN);
	open_file(0);
	check_whole(fd, OP_READALL, NULL);
	close_file();
	printf("fsx: %lu operations, seed %" PRIu64 ", 0 mismatches\n", nops,
	    seed);
	return 0;
}
