/* test-linkclamp.c - symlink targets kept inside an exported root. */
#include <string.h>

#include "linkclamp.h"
#include "tap.h"

/* The clamped target, or "ERR". */
static const char *
clamp(const char *t, unsigned depth)
{
	static char	 out[256];

	return link_clamp(t, depth, out, sizeof out) < 0 ? "ERR" : out;
}

int
main(void)
{
	char	 small[4];

	is_str(clamp("a.txt", 0), "a.txt", "a plain name is kept");
	is_str(clamp("../x", 1), "../x", "a climb that stays inside is kept");
	is_str(clamp("./a/../b", 0), "./a/../b", "kept as written");
	is_str(clamp("/etc/shadow", 0), "etc/shadow", "absolute, at the top");
	is_str(clamp("/etc/shadow", 2), "../../etc/shadow",
	    "absolute, two levels down");
	is_str(clamp("/", 1), "..", "the root itself");
	is_str(clamp("/", 0), ".", "the root from the top");
	is_str(clamp("../../../etc", 1), "../etc",
	    "too many .. stop at the root");
	is_str(clamp("../../x/../../y", 1), "../y", "clamped in the middle");
	is_str(clamp("..", 0), ".", ".. at the top is the top");
	is_str(clamp("/a/../../b", 3), "../../../b", "absolute with ..");
	is_str(clamp("//etc//x/", 0), "etc/x", "slashes normalised");
	ok(link_clamp("/abcdef", 0, small, sizeof small) < 0,
	    "too long is an error");
	return done_testing();
}
