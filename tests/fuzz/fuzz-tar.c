/* fuzz-tar.c - libFuzzer target for tar intake: the confined extractor
 * (common/tar-in.c) that the daemon runs on every archive sent into a
 * cell, and ascp on every archive that comes out of one.
 *
 * Each input is an archive (any format or compression libarchive reads)
 * extracted into BOX/dst, where BOX is a private directory holding a
 * canary file.  After each input the invariant is checked: BOX holds only
 * dst and the unchanged canary, so no entry was written outside the
 * destination; anything else aborts (a crash for the fuzzer).  dst is
 * emptied for the next input.  Caps are small so that inputs stay fast. */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tar.h"

static char	 box[] = "/tmp/aurae-fuzz-tar.XXXXXX";
static char	 dst[64];

/* nftw: remove everything below dst (and make it writable first). */
static int
rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	if (f->level == 0)
		return 0;
	if (flag == FTW_DP)
		return rmdir(p) < 0 ? -1 : 0;
	return unlink(p) < 0 ? -1 : 0;
}

/* nftw, before removing: give directories rwx so that removal works. */
static int
chmod_dirs(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)f;
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(p, 0700);
	(void)st;
	return 0;
}

/* BOX holds exactly "canary" (unchanged) and "dst". */
static void
check_box(void)
{
	struct dirent	*de;
	DIR		*d = opendir(box);
	char		 path[128], buf[16];
	int		 fd, n = 0;
	ssize_t		 r;

	if (d == NULL)
		abort();
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (strcmp(de->d_name, "dst") != 0 &&
		    strcmp(de->d_name, "canary") != 0) {
			fprintf(stderr, "escaped: %s/%s\n", box, de->d_name);
			abort();
		}
		n++;
	}
	closedir(d);
	snprintf(path, sizeof path, "%s/canary", box);
	if (n != 2 || (fd = open(path, O_RDONLY | O_NOFOLLOW)) < 0)
		abort();
	r = read(fd, buf, sizeof buf);
	close(fd);
	if (r != 7 || memcmp(buf, "canary\n", 7) != 0)
		abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 path[128];
	int	 fd;

	(void)argc;
	(void)argv;
	if (mkdtemp(box) == NULL)
		abort();
	snprintf(dst, sizeof dst, "%s/dst", box);
	snprintf(path, sizeof path, "%s/canary", box);
	if (mkdir(dst, 0755) < 0 ||
	    (fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0444)) < 0 ||
	    write(fd, "canary\n", 7) != 7)
		abort();
	close(fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tar_opts		 o;
	struct tar_stats	 st;
	struct tar_error	 err;
	int			 in, dfd;

	if ((in = memfd_create("fuzz-tar", MFD_CLOEXEC)) < 0)
		abort();
	if (size > 0 && write(in, data, size) != (ssize_t)size)
		abort();
	lseek(in, 0, SEEK_SET);
	if ((dfd = open(dst, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		abort();
	memset(&o, 0, sizeof o);
	o.keep_mode = 1;
	o.keep_times = 1;
	o.umask = 022;
	o.max_entries = 256;
	o.max_bytes = 1 << 20;
	memset(&st, 0, sizeof st);
	memset(&err, 0, sizeof err);
	if (tar_extract(in, dfd, &o, &st, &err) < 0 &&
	    (err.msg[0] == '\0' || strchr(err.msg, '\n') != NULL))
		abort();	/* every failure has a one-line message */
	close(dfd);
	close(in);
	check_box();
	nftw(dst, chmod_dirs, 16, FTW_PHYS);
	if (nftw(dst, rm_entry, 16, FTW_DEPTH | FTW_PHYS) < 0)
		abort();
	return 0;
}
