/* test-cgroup.c - the cgroup v2 backend against a fake cgroupfs in a
 * temporary directory: validation, normalisation, the files written, the
 * read-back, and refusals of v1-only knobs.  (The v1 backend is tested for
 * real by tests/t100-cells.bats on hybrid hosts.) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../daemon/auraed.h"
#include "../../daemon/cgroup.h"
#include "tap.h"

struct auraed_config cfg;

static char	root[256];

/* Create an empty control file, as the kernel would. */
static void
touch(const char *rel, const char *file, const char *content)
{
	char	 p[512];
	FILE	*fp;

	snprintf(p, sizeof p, "%s/%s/%s", root, rel, file);
	if ((fp = fopen(p, "w")) != NULL) {
		fputs(content, fp);
		fclose(fp);
	}
}

/* Read a control file of the fake tree. */
static const char *
slurp(const char *rel, const char *file)
{
	static char	 b[256];
	char		 p[512];
	int		 fd;
	ssize_t		 n;

	snprintf(p, sizeof p, "%s/%s/%s", root, rel, file);
	b[0] = '\0';
	if ((fd = open(p, O_RDONLY)) < 0)
		return "(missing)";
	n = read(fd, b, sizeof b - 1);
	close(fd);
	b[n > 0 ? n : 0] = '\0';
	return b;
}

/* Set a limit, returning the code; msg receives the message. */
static int
set(const char *name, const char *value, char *msg)
{
	return cgroup_set_limit("aurae/c", name, value, msg, 256);
}

int
main(void)
{
	static const char *const files[] = { "cpu.weight", "cpu.max",
	    "cpuset.cpus", "cpuset.mems", "memory.min", "memory.low",
	    "memory.high", "memory.max", "memory.swap.max", "pids.max",
	    "cgroup.procs", "cgroup.freeze", "cgroup.events" };
	char	 msg[256], out[600], cmd[300];
	size_t	 i;

	snprintf(root, sizeof root, "/tmp/test-cgroup.XXXXXX");
	if (mkdtemp(root) == NULL)
		return 1;
	ok(cgroup_init(root, "aurae", 0) == 0, "init on a fake v2 root");
	ok(access(strcat(strcpy(out, root), "/aurae"), F_OK) == 0,
	    "the parent cgroup is created");
	ok(strstr(cgroup_describe(), "v2") != NULL, "layout says v2: %s",
	    cgroup_describe());
	ok(cgroup_create("aurae/c", msg, sizeof msg) == 0, "create a cell");
	ok(cgroup_exists("aurae/c"), "it exists");
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		touch("aurae/c", files[i], "");

	is_int(set("memory.max", "64M", msg), 0, "memory.max=64M");
	is_str(slurp("aurae/c", "memory.max"), "67108864", "written in bytes");
	is_int(set("memory.high", "1G", msg), 0, "memory.high=1G");
	is_str(slurp("aurae/c", "memory.high"), "1073741824", "1G is 2^30");
	is_int(set("memory.low", "512k", msg), 0, "lower-case suffix");
	is_str(slurp("aurae/c", "memory.low"), "524288", "512k");
	is_int(set("memory.min", "0", msg), 0, "memory.min=0");
	is_int(set("memory.swap.max", "max", msg), 0, "swap max");
	is_str(slurp("aurae/c", "memory.swap.max"), "max", "max kept");
	is_int(set("memory.max", "-5", msg), -1, "negative bytes refused");
	ok(strstr(msg, "byte count") != NULL, "message: %s", msg);
	is_int(set("memory.max", "99999999999T", msg), -1, "absurd refused");
	is_int(set("memory.max", "12Q", msg), -1, "bad suffix refused");
	is_str(slurp("aurae/c", "memory.max"), "67108864",
	    "a refused value changes nothing");

	is_int(set("cpu.weight", "100", msg), 0, "cpu.weight=100");
	is_str(slurp("aurae/c", "cpu.weight"), "100",
	    "the weight is written as given, not rescaled");
	is_int(set("cpu.weight", "0", msg), -1, "weight 0 refused");
	is_int(set("cpu.weight", "10001", msg), -1, "weight 10001 refused");
	is_int(set("cpu.shares", "512", msg), -2,
	    "cpu.shares is refused on v2 (UNIMPLEMENTED)");
	ok(strstr(msg, "cpu.weight") != NULL, "message names the v2 knob: %s",
	    msg);
	is_int(set("cpu.max", "50000 100000", msg), 0, "cpu.max quota period");
	is_str(slurp("aurae/c", "cpu.max"), "50000 100000", "written as is");
	is_int(set("cpu.max", "25%", msg), 0, "cpu.max as a percentage");
	is_str(slurp("aurae/c", "cpu.max"), "25000 100000", "25%% of a CPU");
	is_int(set("cpu.max", "max", msg), 0, "cpu.max max");
	is_str(slurp("aurae/c", "cpu.max"), "max 100000", "default period");
	is_int(set("cpu.max", "10", msg), -1, "quota below 1000us refused");
	is_int(set("cpu.max", "5000 999", msg), -1, "period below 1ms refused");

	is_int(set("cpuset.cpus", "0-1,3", msg), 0, "cpu list");
	is_str(slurp("aurae/c", "cpuset.cpus"), "0-1,3", "written");
	is_int(set("cpuset.cpus", "zero", msg), -1, "bad cpu list refused");

	is_int(set("pids.max", "50", msg), 0, "pids.max=50");
	is_int(set("pids.max", "max", msg), 0, "pids.max=max");
	is_int(set("pids.max", "0", msg), -1, "pids.max=0 refused");
	is_int(set("nosuch.limit", "1", msg), -1, "unknown limit refused");
	ok(strstr(msg, "unknown limit") != NULL, "message: %s", msg);

	ok(cgroup_get_limit("aurae/c", "memory.high", out, sizeof out) == 0 &&
	    strcmp(out, "1073741824") == 0, "read back memory.high");
	ok(cgroup_get_limit("aurae/c", "cpu.shares", out, sizeof out) < 0,
	    "no v1 knob to read back on v2");

	ok(cgroup_freeze("aurae/c", 1) == 0, "freeze");
	is_str(slurp("aurae/c", "cgroup.freeze"), "1", "cgroup.freeze=1");
	ok(cgroup_freeze("aurae/c", 0) == 0, "thaw");
	is_str(slurp("aurae/c", "cgroup.freeze"), "0", "cgroup.freeze=0");

	touch("aurae/c", "cgroup.events", "populated 1\nfrozen 0\n");
	ok(cgroup_populated("aurae/c"), "populated from cgroup.events");
	touch("aurae/c", "cgroup.events", "populated 0\nfrozen 0\n");
	ok(!cgroup_populated("aurae/c"), "empty from cgroup.events");
	ok(cgroup_add_pid("aurae/c", 1234) == 0, "add a pid");
	is_str(slurp("aurae/c", "cgroup.procs"), "1234", "into cgroup.procs");

	/* A fake tree's control files are plain files: empty it first. */
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(out, sizeof out, "%s/aurae/c/%s", root, files[i]);
		unlink(out);
	}
	ok(cgroup_destroy("aurae/c") == 0, "destroy");
	ok(!cgroup_exists("aurae/c"), "gone");
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		diag("could not remove %s", root);
	return done_testing();
}
