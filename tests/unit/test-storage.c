/* test-storage.c - the INI grammar (common/ini.c), the [storage] section
 * of auraed.conf (storage_load), volume names and mount paths, and the
 * safe tree removal (storage_rm_tree) in a temporary directory. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auraed.h"
#include "ini.h"
#include "storage.h"
#include "tap.h"

struct auraed_config cfg;

static char	 got[4096];	/* what the callback saw, one item a line */
static char	 msg[1024];
static char	 tmp[256];

/* Record each callback as "[section]" or "section.key=value|". */
static int
record(void *arg, const char *section, const char *key, const char *value,
    char *m, size_t len)
{
	size_t	 n = strlen(got);

	(void)arg;
	if (key != NULL && strcmp(key, "refuse") == 0) {
		snprintf(m, len, "refused %s", value);
		return -1;
	}
	if (key == NULL)
		snprintf(got + n, sizeof got - n, "[%s]", section);
	else
		snprintf(got + n, sizeof got - n, "%s.%s=%s|", section, key,
		    value);
	return 0;
}

/* Parse text; compare what was seen (on success) or the message. */
static void
parse_is(const char *text, int want_rc, const char *want, const char *name)
{
	int	 rc;

	got[0] = msg[0] = '\0';
	rc = ini_parse("f.conf", text, strlen(text), record, NULL, msg,
	    sizeof msg);
	is_int(rc, want_rc, "%s: result", name);
	is_str(rc == 0 ? got : msg, want, "%s: %s", name, rc == 0 ? "items" :
	    "message");
}

/* The grammar of ini.h, case by case. */
static void
test_grammar(void)
{
	parse_is("", 0, "", "empty text");
	parse_is("# only\n\n   \t\n# comments\n", 0, "", "comments and blanks");
	parse_is("[storage]\na = /x\n", 0, "[storage]storage.a=/x|",
	    "a section and a key");
	parse_is("[s]\n  key\t=\tvalue with  blanks  \r\n", 0,
	    "[s]s.key=value with  blanks|", "blanks and CR trimmed, inner kept");
	parse_is("[s]\nk=\n", 0, "[s]s.k=|", "an empty value");
	parse_is("[s]\nk = a = b # not a comment", 0,
	    "[s]s.k=a = b # not a comment|", "value after the first '=', "
	    "literal, no final newline");
	parse_is("[a]\nx=1\n[b]\ny=2\n[a]\nz=3\n", 0,
	    "[a]a.x=1|[b]b.y=2|[a]a.z=3|", "sections, one repeated");
	parse_is("  [s_1-2]  \n", 0, "[s_1-2]", "section with blanks around");
	parse_is("x = 1\n", -1, "f.conf:1: key 'x' is outside any [section]",
	    "key before any section");
	parse_is("[s]\n\njunk\n", -1, "f.conf:3: expected [SECTION] or "
	    "KEY = VALUE, not 'junk'", "a line that is neither");
	parse_is("[s]\n = v\n", -1, "f.conf:2: a key is missing before '='",
	    "empty key");
	parse_is("[s]\na b = v\n", -1, "f.conf:2: key 'a b' holds a blank",
	    "key with a blank");
	parse_is("[S]\n", -1, "f.conf:1: bad section header '[S]': expected "
	    "[NAME], NAME of a-z, 0-9, '-' and '_'", "upper case section");
	parse_is("[ s ]\n", -1, "f.conf:1: bad section header '[ s ]': "
	    "expected [NAME], NAME of a-z, 0-9, '-' and '_'",
	    "blanks inside brackets");
	parse_is("[s] x\n", -1, "f.conf:1: bad section header '[s] x': "
	    "expected [NAME], NAME of a-z, 0-9, '-' and '_'",
	    "text after the bracket");
	parse_is("[]\n", -1, "f.conf:1: bad section header '[]': expected "
	    "[NAME], NAME of a-z, 0-9, '-' and '_'", "empty section name");
	parse_is("[s]\nrefuse = it\n", -1, "f.conf:2: refused it",
	    "the callback refuses, with the line");
	{
		char	 text[] = "[s]\na=1\0\n";

		got[0] = '\0';
		is_int(ini_parse("f.conf", text, sizeof text - 1, record, NULL,
		    msg, sizeof msg), -1, "a NUL byte is refused");
		is_str(msg, "f.conf:2: the line holds a NUL byte",
		    "a NUL byte: message");
	}
	{
		static char	 text[INI_LINE_MAX + 32];

		memcpy(text, "[s]\nk=", 6);
		memset(text + 6, 'x', INI_LINE_MAX);
		is_int(ini_parse("f.conf", text, strlen(text), record, NULL,
		    msg, sizeof msg), -1, "a line that is too long is refused");
		ok(strstr(msg, "f.conf:2: the line is longer than") != NULL,
		    "too long: message (%s)", msg);
	}
}

/* Write text to tmp/name and return its path (static). */
static const char *
conf_file(const char *name, const char *text)
{
	static char	 path[512];
	FILE		*fp;

	snprintf(path, sizeof path, "%s/%s", tmp, name);
	if ((fp = fopen(path, "w")) == NULL)
		return path;
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* storage_load() on a file holding text: its result and message (which
 * must start with the file's path and ":"). */
static void
load_is(const char *text, int want_rc, const char *want_msg,
    const char *name)
{
	const char	*path = conf_file("auraed.conf", text);
	char		 full[PATH_MAX + 1024];
	int		 rc;

	msg[0] = '\0';
	rc = storage_load(path, 0, msg, sizeof msg);
	is_int(rc, want_rc, "%s: result", name);
	if (want_msg != NULL) {
		snprintf(full, sizeof full, "%s:%s", path, want_msg);
		is_str(msg, full, "%s: message", name);
	}
}

/* The [storage] section and the configured volumes it makes. */
static void
test_config(void)
{
	struct volume	 v;
	char		 path[PATH_MAX];

	snprintf(path, sizeof path, "%s/state", tmp);
	mkdir(path, 0700);
	cfg.state_dir = strdup(path);
	cfg.config_path = "auraed.conf";
	load_is("# volumes\n[storage]\ndata = /srv/data/\nlogs=/var/log\n", 0,
	    NULL, "a good file");
	is_int(storage_nconfigured(), 2, "two volumes configured");
	ok(storage_find("data", &v) == 0 && v.source == VOLUME_CONFIG,
	    "data is found, configured");
	is_str(v.path, "/srv/data", "its trailing slash is dropped");
	ok(storage_find("nope", &v) < 0, "an unknown volume is not found");
	load_is("[storage]\nBad = /x\n", -1, "2: invalid volume name 'Bad': "
	    "it must be a DNS label (1-63 of a-z, 0-9 and '-', not starting "
	    "or ending with '-')", "a bad name");
	is_int(storage_nconfigured(), 2, "a bad file changes nothing");
	load_is("[storage]\n-x = /x\n", -1, NULL, "a name starting with '-'");
	load_is("[storage]\na = rel/dir\n", -1, "2: volume 'a': 'rel/dir' is "
	    "not an absolute path", "a relative path");
	load_is("[storage]\na =\n", -1, "2: volume 'a': '' is not an absolute "
	    "path", "an empty path");
	load_is("[storage]\na = //\n", -1, "2: volume 'a': the host's root "
	    "cannot be a volume", "the root");
	load_is("[storage]\na = /x\n\na = /y\n", -1, "4: volume 'a' is "
	    "configured twice", "a name twice");
	load_is("[network]\n", -1, "1: unknown section [network] (known: "
	    "[storage])", "an unknown section");
	load_is("[storage]\na = /x\n[other]\nb = /y\n", -1, "3: unknown "
	    "section [other] (known: [storage])", "an unknown section later");
	is_int(storage_nconfigured(), 2, "still the first file's volumes");
	load_is("", 0, NULL, "an empty file");
	is_int(storage_nconfigured(), 0, "no volume configured");
	snprintf(path, sizeof path, "%s/missing.conf", tmp);
	is_int(storage_load(path, 1, msg, sizeof msg), 0,
	    "a missing file is fine when it may be missing");
	is_int(storage_load(path, 0, msg, sizeof msg), -1,
	    "a missing file is an error when named");
	ok(strstr(msg, "missing.conf: No such file or directory") != NULL,
	    "which says so (%s)", msg);
	is_int(storage_load(tmp, 0, msg, sizeof msg), -1,
	    "a directory is no configuration file");
}

/* Volume names and mount paths. */
static void
test_names(void)
{
	char	 out[PATH_MAX];

	ok(storage_name_valid("data", msg, sizeof msg) == 0, "data is a name");
	ok(storage_name_valid("a-1", msg, sizeof msg) == 0, "a-1 is a name");
	ok(storage_name_valid("", msg, sizeof msg) < 0, "empty is not");
	ok(storage_name_valid("a/b", msg, sizeof msg) < 0, "a/b is not");
	ok(storage_name_valid("a-", msg, sizeof msg) < 0, "a- is not");
	ok(storage_name_valid(".trash-x-1", msg, sizeof msg) < 0,
	    "a trash name is not");
	ok(storage_name_valid("0123456789012345678901234567890123456789"
	    "012345678901234567890123", msg, sizeof msg) < 0, "64 bytes are "
	    "too many");
	ok(storage_path_clean("/srv//data/./x/", out, sizeof out, msg,
	    sizeof msg) == 0, "a messy path is cleaned");
	is_str(out, "/srv/data/x", "into /srv/data/x");
	ok(storage_path_clean("srv", out, sizeof out, msg, sizeof msg) < 0,
	    "a relative path is refused");
	ok(storage_path_clean("/a/../b", out, sizeof out, msg, sizeof msg) < 0,
	    "'..' is refused");
	is_str(msg, "mount path '/a/../b' must not hold '..'", "and says so");
	ok(storage_path_clean("//./", out, sizeof out, msg, sizeof msg) < 0,
	    "'/' is refused");
	ok(storage_path_clean("/abcdef", out, 6, msg, sizeof msg) < 0,
	    "a path too long is refused");
}

/* mkdir -p relative to tmp. */
static void
mk(const char *rel)
{
	char	 path[PATH_MAX], *p;

	snprintf(path, sizeof path, "%s/%s", tmp, rel);
	for (p = path + strlen(tmp) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(path, 0755);
}

/* Create the file tmp/rel. */
static void
touch(const char *rel)
{
	char	 path[PATH_MAX];
	int	 fd;

	snprintf(path, sizeof path, "%s/%s", tmp, rel);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) >= 0)
		close(fd);
}

/* Make the symbolic link tmp/rel to target; 1 when it was made. */
static int
link_at(const char *target, const char *rel)
{
	char	 path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", tmp, rel);
	return symlink(target, path) == 0;
}

/* Does tmp/rel exist (without following a last symlink)? */
static int
exists(const char *rel)
{
	char		 path[PATH_MAX];
	struct stat	 st;

	snprintf(path, sizeof path, "%s/%s", tmp, rel);
	return lstat(path, &st) == 0;
}

/* storage_rm_tree: everything below goes, nothing through a link. */
static void
test_rm_tree(void)
{
	char	 path[PATH_MAX];
	int	 fd, i, d;

	mk("outside/keep");
	touch("outside/file");
	mk("vol/a/b/c");
	touch("vol/a/b/c/f");
	touch("vol/a/g");
	mk("vol/empty");
	snprintf(path, sizeof path, "%s/outside", tmp);
	ok(link_at(path, "vol/abs") && link_at("../../outside", "vol/a/rel") &&
	    link_at("/", "vol/a/b/root"), "links to outside are made");
	snprintf(path, sizeof path, "%s/vol/a/fifo", tmp);
	ok(mkfifo(path, 0600) == 0, "a FIFO is made");
	/* A deep chain, made with descriptors (it is longer than PATH_MAX). */
	snprintf(path, sizeof path, "%s/vol", tmp);
	d = open(path, O_RDONLY | O_DIRECTORY);
	for (i = 0; i < 2000 && d >= 0; i++) {
		mkdirat(d, "deep-directory-level", 0755);
		fd = openat(d, "deep-directory-level", O_RDONLY | O_DIRECTORY);
		close(d);
		d = fd;
	}
	if (d >= 0) {
		fd = openat(d, "leaf", O_WRONLY | O_CREAT, 0644);
		close(fd);
		close(d);
	}
	ok(i == 2000, "a chain of 2000 directories is made");
	snprintf(path, sizeof path, "%s/vol", tmp);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	is_int(storage_rm_tree(fd), 0, "the tree is removed");
	close(fd);
	ok(exists("vol") && !exists("vol/a") && !exists("vol/abs") &&
	    !exists("vol/empty") && !exists("vol/deep-directory-level"),
	    "the top directory stays, empty");
	ok(exists("outside/keep") && exists("outside/file"),
	    "nothing a symbolic link pointed at is touched");
	ok(exists("outside"), "the directory beside it stays");
}

int
main(void)
{
	char	 cmd[300];

	snprintf(tmp, sizeof tmp, "%s/test-storage.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmp) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_grammar();
	test_config();
	test_names();
	test_rm_tree();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		diag("cannot remove %s", tmp);
	return done_testing();
}
