/* test-copy.c - the pieces of ascp and the files service that stand
 * alone: member names, operand parsing, path splitting, and the confined
 * extractor and archive writer against a temporary directory. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "copyspec.h"
#include "pathsafe.h"
#include "tar.h"
#include "tap.h"

static char	 top[] = "/tmp/aurae-test-copy.XXXXXX";

/* Clean name, or "ERR". */
static const char *
clean(const char *in)
{
	static char	 out[64];

	if (path_member_clean(in, out, sizeof out) < 0)
		return "ERR";
	return out;
}

/* "WHERE cell path" of an operand. */
static const char *
spec(const char *arg)
{
	static const char *const w[] = { "local", "stream", "cell", "remote" };
	static char		 out[512];
	struct copy_spec	 sp;
	char			 msg[128];

	if (copy_spec_parse(arg, &sp, msg, sizeof msg) < 0)
		return "ERR";
	snprintf(out, sizeof out, "%s %s%s%s %s", w[sp.where], sp.node,
	    sp.node[0] ? "/" : "", sp.cell, sp.path);
	return out;
}

/* An archive in a temporary file, made by calling add() on a writer;
 * returns a descriptor positioned at its start. */
struct member {
	const char	*name;
	mode_t		 type;
	mode_t		 perm;
	const char	*data;		/* regular files */
	const char	*link;		/* symlink target or hard link */
	int		 hard;
};

static int
make_archive(const struct member *m, size_t n)
{
	struct archive		*a = archive_write_new();
	struct archive_entry	*e;
	char			 path[] = "/tmp/aurae-test-tar.XXXXXX";
	int			 fd = mkstemp(path);
	size_t			 i;

	unlink(path);
	archive_write_set_format_pax_restricted(a);
	archive_write_open_fd(a, fd);
	for (i = 0; i < n; i++) {
		e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_filetype(e, m[i].type);
		archive_entry_set_perm(e, m[i].perm);
		archive_entry_set_mtime(e, 1000000000, 0);
		if (m[i].hard)
			archive_entry_set_hardlink(e, m[i].link);
		else if (m[i].link)
			archive_entry_set_symlink(e, m[i].link);
		if (m[i].type == AE_IFCHR)
			archive_entry_set_rdev(e, makedev(1, 3));
		if (m[i].data)
			archive_entry_set_size(e, (la_int64_t)strlen(m[i].data));
		archive_write_header(a, e);
		if (m[i].data)
			archive_write_data(a, m[i].data, strlen(m[i].data));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* Extract members into a fresh directory dst (below top). */
static int
extract(const char *dst, const struct member *m, size_t n,
    const struct tar_opts *o, struct tar_error *err)
{
	struct tar_stats	 st;
	char			 path[256];
	int			 fd, dfd, r;

	snprintf(path, sizeof path, "%s/%s", top, dst);
	mkdir(path, 0755);
	dfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	fd = make_archive(m, n);
	memset(&st, 0, sizeof st);
	memset(err, 0, sizeof *err);
	r = tar_extract(fd, dfd, o, &st, err);
	close(fd);
	close(dfd);
	return r;
}

/* Does top/rel exist (not following a final symlink)? */
static int
exists(const char *rel)
{
	struct stat	 st;
	char		 path[256];

	snprintf(path, sizeof path, "%s/%s", top, rel);
	return lstat(path, &st) == 0;
}

/* The mode bits of top/rel, or -1. */
static int
mode_of(const char *rel)
{
	struct stat	 st;
	char		 path[256];

	snprintf(path, sizeof path, "%s/%s", top, rel);
	return lstat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static void
test_names(void)
{
	char	 d[64];

	is_str(clean("a/b"), "a/b", "plain name");
	is_str(clean("./a//b/"), "a/b", "./, // and trailing / dropped");
	is_str(clean("./"), ".", "the top itself");
	is_str(clean(""), ".", "empty is the top");
	is_str(clean("a/./b"), "a/b", ". components dropped");
	is_str(clean("/etc/passwd"), "ERR", "absolute refused");
	is_str(clean("../x"), "ERR", ".. refused");
	is_str(clean("a/../../x"), "ERR", "inner .. refused");
	is_str(clean("a/.."), "ERR", "trailing .. refused");
	is_str(clean("..."), "...", "... is a name");
	is_str(clean("a..b/..c"), "a..b/..c", "dots inside names are fine");
	is_str(path_split("a/b/c", d, sizeof d), "c", "split: last");
	is_str(d, "a/b", "split: directory");
	is_str(path_split("c", d, sizeof d), "c", "split: no slash");
	is_str(d, ".", "split: directory is .");
}

static void
test_specs(void)
{
	char	 b[64];

	is_str(spec("-"), "stream  -", "- is a stream");
	is_str(spec("web:/etc"), "cell web /etc", "CELL:PATH");
	is_str(spec("web:"), "cell web /", "CELL: is its root");
	is_str(spec("web:rel/x"), "cell web rel/x", "relative cell path");
	is_str(spec("parent/child:/x"), "cell parent/child /x",
	    "nested cell names");
	is_str(spec("./a:b"), "local  ./a:b", "./ makes it local");
	is_str(spec("/abs:x"), "local  /abs:x", "absolute is local");
	is_str(spec("Web:x"), "local  Web:x", "not a cell name: local");
	is_str(spec("file.txt"), "local  file.txt", "no colon: local");
	is_str(spec("node1:web:/x"), "remote node1/web /x", "NODE:CELL:PATH");
	is_str(spec("u@h:web:/x"), "remote u@h/web /x", "user@host");
	is_str(spec("[::1]:web:/x"), "remote [::1]/web /x", "[v6]:CELL:PATH");
	is_str(spec("web:/a:b"), "cell web /a:b", "a colon in the cell path");
	ok(copy_path_is_contents("dir/."), "dir/. is contents");
	ok(copy_path_is_contents("dir/./"), "dir/./ is contents");
	ok(copy_path_is_contents("."), ". is contents");
	ok(!copy_path_is_contents("dir/.x"), "dir/.x is not");
	ok(!copy_path_is_contents("dir"), "dir is not");
	is_str(copy_path_base("/a/b/", b, sizeof b), "b", "base, slash");
	is_str(copy_path_base("/", b, sizeof b), ".", "base of /");
	is_str(copy_path_base("x", b, sizeof b), "x", "base of x");
	is_str(copy_path_dir("/a/b/", b, sizeof b), "/a", "dir of /a/b/");
	is_str(copy_path_dir("/a", b, sizeof b), "/", "dir of /a");
	is_str(copy_path_dir("a", b, sizeof b), ".", "dir of a");
	is_str(copy_path_dir("a//b", b, sizeof b), "a", "dir of a//b");
}

static void
test_extract(void)
{
	struct tar_opts		 o;
	struct tar_error	 err;
	char			 path[256];
	int			 fd;

	memset(&o, 0, sizeof o);
	o.keep_mode = 1;
	o.umask = 022;
	{
		const struct member m[] = {
			{ "d/", AE_IFDIR, 0555 },
			{ "d/f", AE_IFREG, 0640, "data" },
			{ "d/l", AE_IFLNK, 0777, NULL, "/etc/passwd" },
			{ "d/h", AE_IFREG, 0640, NULL, "d/f", 1 },
		};
		ok(extract("ok", m, 4, &o, &err) == 0, "a plain tree: %s",
		    err.msg);
		is_int(mode_of("ok/d"), 0555, "a read-only directory, filled "
		    "first, its mode applied last");
		is_int(mode_of("ok/d/f"), 0640, "file mode kept");
		ok(exists("ok/d/l"), "an absolute symlink is just data");
		snprintf(path, sizeof path, "%s/ok/d/h", top);
		ok(access(path, F_OK) == 0, "a hard link inside the tree");
		snprintf(path, sizeof path, "%s/ok/d", top);
		chmod(path, 0755);
	}
	{
		const struct member m[] = {
			{ "l", AE_IFLNK, 0777, NULL, "/tmp" },
			{ "l/escaped", AE_IFREG, 0644, "x" },
		};
		ok(extract("abs", m, 2, &o, &err) < 0, "writing through an "
		    "absolute symlink fails");
		ok(strstr(err.msg, "outside the destination") != NULL,
		    "with its reason: %s", err.msg);
		ok(access("/tmp/escaped", F_OK) < 0, "and nothing escaped");
	}
	{
		const struct member m[] = {
			{ "a", AE_IFLNK, 0777, NULL, "b" },
			{ "b", AE_IFLNK, 0777, NULL, ".." },
			{ "a/escaped2", AE_IFREG, 0644, "x" },
		};
		ok(extract("hop", m, 3, &o, &err) < 0, "a two-hop chain out "
		    "fails");
		ok(!exists("escaped2"), "and nothing escaped");
	}
	{
		const struct member m[] = {
			{ "h", AE_IFREG, 0644, NULL, "../victim", 1 },
		};
		ok(extract("hard", m, 1, &o, &err) < 0 && err.code ==
		    AE_INVALID_ARGUMENT, "a hard link out refused: %s",
		    err.msg);
	}
	{
		const struct member m[] = { { "../up", AE_IFREG, 0644, "x" } };

		ok(extract("dotdot", m, 1, &o, &err) < 0 && !exists("up"),
		    "../ refused: %s", err.msg);
	}
	{
		const struct member m[] = { { "s", AE_IFREG, 04755, "x" } };

		ok(extract("suid", m, 1, &o, &err) < 0 &&
		    err.code == AE_PERMISSION_DENIED, "setuid refused when "
		    "keeping modes: %s", err.msg);
		o.keep_mode = 0;
		ok(extract("suid2", m, 1, &o, &err) == 0, "without -p ...");
		is_int(mode_of("suid2/s"), 0755, "... the bit is dropped and "
		    "the umask applied");
		o.keep_mode = 1;
		o.allow_special = 1;
		ok(extract("suid3", m, 1, &o, &err) == 0 &&
		    mode_of("suid3/s") == 04755, "kept when allowed");
		o.allow_special = 0;
	}
	{
		const struct member m[] = { { "null", AE_IFCHR, 0666 } };

		ok(extract("dev", m, 1, &o, &err) < 0 && !exists("dev/null"),
		    "a device node refused: %s", err.msg);
	}
	{
		const struct member m[] = {
			{ "f1", AE_IFREG, 0644, "1" }, { "f2", AE_IFREG, 0644,
			"2" }, { "f3", AE_IFREG, 0644, "3" },
		};
		o.max_entries = 2;
		ok(extract("cap", m, 3, &o, &err) < 0 &&
		    err.code == AE_RESOURCE_EXHAUSTED && !exists("cap/f3"),
		    "the entry cap: %s", err.msg);
		o.max_entries = 0;
		o.max_bytes = 2;
		ok(extract("capb", m, 3, &o, &err) < 0 &&
		    err.code == AE_RESOURCE_EXHAUSTED && !exists("capb/f3"),
		    "the byte cap: %s", err.msg);
		o.max_bytes = 0;
	}
	{
		const struct member m[] = {
			{ "x/", AE_IFDIR, 0755 },
			{ "x", AE_IFREG, 0644, "file over dir" },
		};
		ok(extract("over", m, 2, &o, &err) < 0 &&
		    err.code == AE_CONFLICT, "a file over a directory: %s",
		    err.msg);
	}
	/* Garbage is a clear error. */
	{
		struct tar_stats	 st;
		int			 p[2], dfd;

		ok(pipe(p) == 0 && write(p[1], "not an archive at all\n", 22)
		    == 22, "a pipe of garbage");
		close(p[1]);
		snprintf(path, sizeof path, "%s", top);
		dfd = open(path, O_PATH | O_DIRECTORY);
		memset(&st, 0, sizeof st);
		ok(tar_extract(p[0], dfd, &o, &st, &err) < 0 &&
		    err.code == AE_INVALID_ARGUMENT, "garbage: %s", err.msg);
		close(p[0]);
		close(dfd);
	}
	(void)fd;
}

static void
test_roundtrip(void)
{
	struct tar_writer	*w;
	struct tar_opts		 o;
	struct tar_stats	 st;
	struct tar_error	 err;
	char			 src[256], path[300];
	int			 p[2], dfd, r;

	snprintf(src, sizeof src, "%s/rt", top);
	mkdir(src, 0755);
	snprintf(path, sizeof path, "%s/a", src);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	snprintf(path, sizeof path, "%s/loop", src);
	ok(symlink(".", path) == 0, "a symlink loop");
	memset(&o, 0, sizeof o);
	memset(&st, 0, sizeof st);
	ok(pipe(p) == 0, "a pipe");
	w = tar_writer_open(p[1], &o, &st, &err);
	ok(w != NULL, "writer opened");
	r = tar_add(w, AT_FDCWD, PATH_HOST, src, "top", 0, &err);
	ok(r == 0, "a tree with a symlink loop archives without -L: %s",
	    err.msg);
	tar_writer_close(w, r < 0, &err);
	close(p[1]);
	snprintf(path, sizeof path, "%s/rt-out", top);
	mkdir(path, 0755);
	dfd = open(path, O_PATH | O_DIRECTORY);
	memset(&st, 0, sizeof st);
	o.keep_mode = 1;
	ok(tar_extract(p[0], dfd, &o, &st, &err) == 0, "and extracts: %s",
	    err.msg);
	close(p[0]);
	close(dfd);
	is_int(mode_of("rt-out/top/a"), 0600, "mode came through");
	ok(exists("rt-out/top/loop"), "the link came through");
	memset(&st, 0, sizeof st);
	o.follow = 1;
	ok(pipe(p) == 0, "another pipe");
	w = tar_writer_open(p[1], &o, &st, &err);
	r = tar_add(w, AT_FDCWD, PATH_HOST, src, "top", 0, &err);
	ok(r < 0 && err.code == AE_INVALID_ARGUMENT, "with -L the loop is "
	    "an error: %s", err.msg);
	tar_writer_close(w, 1, NULL);
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	char	 cmd[300];

	if (mkdtemp(top) == NULL)
		return 1;
	test_names();
	test_specs();
	test_extract();
	test_roundtrip();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	if (system(cmd) != 0)
		diag("cannot remove %s", top);
	return done_testing();
}
