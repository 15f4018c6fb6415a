/* ini.c - a small, strict INI reader; the grammar is in ini.h. */
#include "ini.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Is c a blank for trimming (space, tab, carriage return)? */
static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trim blanks off both ends of s[0..*n) in place: returns the new start
 * and updates *n. */
static char *
trim(char *s, size_t *n)
{
	while (*n > 0 && is_blank(*s)) {
		s++;
		(*n)--;
	}
	while (*n > 0 && is_blank(s[*n - 1]))
		(*n)--;
	s[*n] = '\0';
	return s;
}

/* Is s (n bytes) a valid section name? */
static int
section_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > 63)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

/* One line (NUL-terminated, n bytes, no newline) of the file: a comment,
 * a section header or a key.  section (64 bytes) is the current section,
 * "" before the first.  Returns 0, or -1 with msg set (no prefix). */
static int
parse_line(char *line, size_t n, char *section, ini_cb cb, void *arg,
    char *msg, size_t len)
{
	char	*s, *eq, *key, *val;
	size_t	 kn, vn;

	s = trim(line, &n);
	if (n == 0 || *s == '#')
		return 0;
	if (*s == '[') {
		if (s[n - 1] != ']' || !section_ok(s + 1, n - 2)) {
			snprintf(msg, len, "bad section header '%.80s': expected "
			    "[NAME], NAME of a-z, 0-9, '-' and '_'", s);
			return -1;
		}
		memcpy(section, s + 1, n - 2);
		section[n - 2] = '\0';
		return cb(arg, section, NULL, NULL, msg, len);
	}
	if ((eq = strchr(s, '=')) == NULL) {
		snprintf(msg, len, "expected [SECTION] or KEY = VALUE, not "
		    "'%.80s'", s);
		return -1;
	}
	kn = (size_t)(eq - s);
	vn = n - kn - 1;
	key = trim(s, &kn);
	val = trim(eq + 1, &vn);
	if (kn == 0) {
		snprintf(msg, len, "a key is missing before '='");
		return -1;
	}
	if (strpbrk(key, " \t") != NULL) {
		snprintf(msg, len, "key '%.80s' holds a blank", key);
		return -1;
	}
	if (*section == '\0') {
		snprintf(msg, len, "key '%.80s' is outside any [section]", key);
		return -1;
	}
	return cb(arg, section, key, val, msg, len);
}

/* See ini.h. */
int
ini_parse(const char *name, const char *text, size_t len, ini_cb cb,
    void *arg, char *msg, size_t msglen)
{
	char		 line[INI_LINE_MAX + 1], section[64] = "", m[512];
	const char	*p = text, *end = text + len, *nl;
	size_t		 n;
	int		 lineno = 0;

	while (p < end) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		m[0] = '\0';
		if (memchr(p, '\0', n) != NULL) {
			snprintf(m, sizeof m, "the line holds a NUL byte");
			goto fail;
		}
		if (n > INI_LINE_MAX) {
			snprintf(m, sizeof m, "the line is longer than %d bytes",
			    INI_LINE_MAX);
			goto fail;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		if (parse_line(line, n, section, cb, arg, m, sizeof m) < 0)
			goto fail;
		p = nl + 1;
	}
	return 0;
fail:
	if (m[0] == '\0')
		snprintf(m, sizeof m, "refused");
	snprintf(msg, msglen, "%s:%d: %s", name, lineno, m);
	return -1;
}

/* See ini.h. */
int
ini_parse_file(const char *path, int missing_ok, ini_cb cb, void *arg,
    char *msg, size_t msglen)
{
	struct stat	 st;
	char		*text;
	ssize_t		 r;
	size_t		 n = 0;
	int		 fd, e, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		if (missing_ok && errno == ENOENT)
			return 1;
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		snprintf(msg, msglen, "%s: %s", path, strerror(e));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > INI_FILE_MAX) {
		close(fd);
		if (!S_ISREG(st.st_mode))
			snprintf(msg, msglen, "%s: not a regular file", path);
		else
			snprintf(msg, msglen, "%s: larger than %d bytes", path,
			    INI_FILE_MAX);
		return -1;
	}
	if ((text = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		snprintf(msg, msglen, "%s: %s", path, strerror(ENOMEM));
		return -1;
	}
	/* The size may change under us: read what is there, up to it. */
	while (n < (size_t)st.st_size && (r = read(fd, text + n,
	    (size_t)st.st_size - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			close(fd);
			free(text);
			snprintf(msg, msglen, "%s: %s", path, strerror(e));
			return -1;
		}
		n += (size_t)r;
	}
	close(fd);
	rc = ini_parse(path, text, n, cb, arg, msg, msglen);
	free(text);
	return rc;
}
