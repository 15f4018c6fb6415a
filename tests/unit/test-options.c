/* test-options.c - table-driven option parsing (common/options.c) and the
 * completion candidates computed from the tables (common/complete.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "complete.h"
#include "options.h"
#include "tap.h"

static int		 verbose, force, quiet, cb_calls, cb_fail;
static const char	*output, *host, *hostname, *cb_arg;
static void		*cb_ctx;
static long		 number;
static struct strlist	 env;

/* Callback option: records its argument and context. */
static int
record_cb(const struct option_def *o, const char *arg, void *ctx)
{
	(void)o;
	cb_calls++;
	cb_arg = arg;
	cb_ctx = ctx;
	return cb_fail ? -1 : 0;
}

static const struct option_def opts[] = {
	{ OPT_FLAG, 'v', "verbose", &verbose, NULL, "be verbose" },
	{ OPT_FLAG, 'f', "force", &force, NULL, "do it anyway" },
	{ OPT_COUNT, 'q', "quiet", &quiet, NULL, "say less" },
	{ OPT_STRING, 'o', "output", &output, "FORMAT", "output format",
	    "table json jsonl" },
	{ OPT_STRING, 'H', "host", &host, "HOST", "node to talk to" },
	{ OPT_STRING, 0, "hostname", &hostname, "NAME", "set a hostname" },
	{ OPT_INT, 'n', "number", &number, "N", "how many", NULL, NULL,
	    1, 100 },
	{ OPT_LIST, 'e', "env", &env, "K=V", "environment" },
	{ OPT_CALLBACK, 'c', "call", NULL, "ARG", "call back", NULL,
	    record_cb },
	{ OPT_CALLBACK, 0, "toggle", NULL, NULL, "call back, no argument",
	    NULL, record_cb },
	{ OPT_END }
};

static const struct option_def single[] = {
	{ OPT_STRING, 0, "only", &output, "X", "the only long option" },
	{ OPT_END }
};

static char	 errbuf[1024];

/* Reset every option variable. */
static void
reset(void)
{
	verbose = force = quiet = cb_calls = cb_fail = 0;
	output = host = hostname = cb_arg = NULL;
	cb_ctx = NULL;
	number = 0;
	strlist_free(&env);
}

#define ARGV(...)	((char *[]){ "prog", __VA_ARGS__, NULL })

/* Parse argv (NULL-terminated) with stderr captured into errbuf. */
static int
parse_with(const struct option_def *table, char **argv, int flags)
{
	FILE	*tmp;
	int	 argc, saved, r;
	size_t	 n;

	for (argc = 0; argv[argc] != NULL; argc++)
		;
	fflush(stderr);
	tmp = tmpfile();
	saved = dup(2);
	dup2(fileno(tmp), 2);
	r = options_parse(table, argc, argv, flags, &errbuf, "prog");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(errbuf, 1, sizeof errbuf - 1, tmp);
	errbuf[n] = '\0';
	fclose(tmp);
	return r;
}

/* Parse with the main table, after resetting the variables. */
static int
parse(char **argv, int flags)
{
	reset();
	return parse_with(opts, argv, flags);
}

/* Short and long spellings. */
static void
test_spellings(void)
{
	char	**av;

	is_int(parse(ARGV("-vf"), 0), 0, "-vf: no operands");
	ok(verbose && force, "-vf sets both flags");
	is_str(errbuf, "", "-vf: nothing on stderr");

	parse(ARGV("-oxml"), 0);
	is_str(output, "xml", "-oxml");
	parse(ARGV("-o", "json"), 0);
	is_str(output, "json", "-o json");
	parse(ARGV("-vo", "json"), 0);
	ok(verbose && output && strcmp(output, "json") == 0, "-vo json");
	parse(ARGV("-vojson"), 0);
	ok(verbose && output && strcmp(output, "json") == 0 && !force,
	    "-vojson: the rest of the cluster is the argument");
	parse(ARGV("--output=jsonl"), 0);
	is_str(output, "jsonl", "--output=jsonl");
	parse(ARGV("--output", "jsonl"), 0);
	is_str(output, "jsonl", "--output jsonl");
	parse(ARGV("--output="), 0);
	is_str(output, "", "--output= gives an empty argument");
	parse(ARGV("-o", "-v"), 0);
	ok(output && strcmp(output, "-v") == 0 && !verbose,
	    "-o -v: the argument may start with a dash");

	parse(ARGV("--verb"), 0);
	ok(verbose, "--verb: unambiguous prefix of --verbose");
	parse(ARGV("--hostn", "x"), 0);
	is_str(hostname, "x", "--hostn: unambiguous prefix of --hostname");
	parse(ARGV("--host", "h1"), 0);
	ok(host && strcmp(host, "h1") == 0 && hostname == NULL,
	    "--host: exact match wins over --hostname");
	parse(ARGV("--tog"), 0);
	ok(cb_calls == 1 && cb_arg == NULL, "--tog: callback without "
	    "argument");
	parse(ARGV("-c", "arg"), 0);
	ok(cb_calls == 1 && cb_arg && strcmp(cb_arg, "arg") == 0 &&
	    cb_ctx == &errbuf, "-c arg: callback gets the argument and ctx");
	parse(ARGV("-qqq", "--quiet"), 0);
	is_int(quiet, 4, "OPT_COUNT: -qqq --quiet counts 4");

	av = ARGV("-e", "a=1", "--env", "b=2", "-ec=3", "--env=d=4", "op");
	is_int(parse(av, 0), 1, "OPT_LIST: one operand left");
	ok(env.n == 4 && strcmp(env.v[0], "a=1") == 0 &&
	    strcmp(env.v[1], "b=2") == 0 && strcmp(env.v[2], "c=3") == 0 &&
	    strcmp(env.v[3], "d=4") == 0, "OPT_LIST accumulates in order");
	reset();
}

/* Errors: each returns OPTIONS_ERROR with one message line. */
static void
test_errors(void)
{
	is_int(parse(ARGV("--ho", "x"), 0), OPTIONS_ERROR,
	    "--ho: ambiguous prefix is an error");
	ok(strstr(errbuf, "ambiguous") != NULL && strstr(errbuf, "--ho"),
	    "the message says ambiguous: %s", errbuf);
	is_int(parse(ARGV("--bogus"), 0), OPTIONS_ERROR, "--bogus: error");
	is_str(errbuf, "prog: unknown option '--bogus'\n",
	    "unknown long option message");
	is_int(parse(ARGV("-vx"), 0), OPTIONS_ERROR, "-vx: error");
	is_str(errbuf, "prog: unknown option '-x'\n",
	    "unknown short option message");
	is_int(parse(ARGV("-o"), 0), OPTIONS_ERROR, "-o without argument");
	ok(strstr(errbuf, "needs an argument") != NULL, "message: %s", errbuf);
	is_int(parse(ARGV("--output"), 0), OPTIONS_ERROR,
	    "--output without argument");
	ok(strstr(errbuf, "needs an argument") != NULL, "message: %s", errbuf);
	is_int(parse(ARGV("--verbose=1"), 0), OPTIONS_ERROR,
	    "--verbose=1: a flag takes no argument");
	ok(strstr(errbuf, "takes no argument") != NULL, "message: %s", errbuf);
	is_int(parse(ARGV("--=x"), 0), OPTIONS_ERROR, "--=x is an error");
	reset();
	is_int(parse_with(single, ARGV("--=x"), 0), OPTIONS_ERROR,
	    "--=x is an error even with one long option");
	is_int(parse_with(single, ARGV("--o", "v"), 0), 0,
	    "--o: prefix of the only option");

	is_int(parse(ARGV("-n", "5"), 0), 0, "OPT_INT: -n 5");
	is_int(number, 5, "OPT_INT value");
	parse(ARGV("--number=100"), 0);
	is_int(number, 100, "OPT_INT: the maximum is accepted");
	parse(ARGV("-n1"), 0);
	is_int(number, 1, "OPT_INT: the minimum is accepted");
	is_int(parse(ARGV("-n", "0"), 0), OPTIONS_ERROR,
	    "OPT_INT below the minimum");
	is_str(errbuf, "prog: option '-n' needs a number from 1 to 100, "
	    "not '0'\n", "range message");
	is_int(parse(ARGV("--number", "101"), 0), OPTIONS_ERROR,
	    "OPT_INT above the maximum");
	ok(strstr(errbuf, "'--number'") != NULL, "the message names the "
	    "spelling used: %s", errbuf);
	is_int(parse(ARGV("-n", "abc"), 0), OPTIONS_ERROR, "OPT_INT: abc");
	is_int(parse(ARGV("-n", "5x"), 0), OPTIONS_ERROR, "OPT_INT: 5x");
	is_int(parse(ARGV("--number="), 0), OPTIONS_ERROR, "OPT_INT: empty");
	is_int(parse(ARGV("-n", "99999999999999999999999"), 0),
	    OPTIONS_ERROR, "OPT_INT: overflow");
	is_int(parse(ARGV("-n", "-5"), 0), OPTIONS_ERROR, "OPT_INT: -5");
	reset();
	cb_fail = 1;
	is_int(parse_with(opts, ARGV("-c", "x"), 0), OPTIONS_ERROR,
	    "a failing callback is an error");
	reset();
}

/* Operands, "--", stopping and help. */
static void
test_operands(void)
{
	char	**av;

	av = ARGV("a", "-v", "b", "--output=j", "c");
	is_int(parse(av, 0), 3, "operands among options: 3");
	ok(strcmp(av[1], "a") == 0 && strcmp(av[2], "b") == 0 &&
	    strcmp(av[3], "c") == 0, "operands moved to argv[1..3] in order");
	ok(av[4] == NULL, "argv[n+1] is NULL");
	ok(verbose && output && strcmp(output, "j") == 0,
	    "options among operands are applied");

	av = ARGV("-v", "--", "-f", "x");
	is_int(parse(av, 0), 2, "-- ends the options");
	ok(strcmp(av[1], "-f") == 0 && strcmp(av[2], "x") == 0 &&
	    av[3] == NULL && !force, "words after -- are operands");

	av = ARGV("a", "--", "-v", "b");
	is_int(parse(av, 0), 3, "operand, --, more");
	ok(strcmp(av[1], "a") == 0 && strcmp(av[2], "-v") == 0 &&
	    strcmp(av[3], "b") == 0 && av[4] == NULL && !verbose,
	    "operands before and after -- keep their order");

	av = ARGV("-", "-v");
	is_int(parse(av, 0), 1, "a lone - is an operand");
	ok(strcmp(av[1], "-") == 0 && av[2] == NULL && verbose, "- kept");

	av = ARGV("-v", "cmd", "-f", "--x", "y");
	is_int(parse(av, OPTIONS_STOP_AT_NONOPT), 4,
	    "STOP_AT_NONOPT: the command line is left alone");
	ok(verbose && !force && strcmp(av[1], "cmd") == 0 &&
	    strcmp(av[2], "-f") == 0 && strcmp(av[3], "--x") == 0 &&
	    strcmp(av[4], "y") == 0 && av[5] == NULL,
	    "STOP_AT_NONOPT: options before the command only");
	is_str(errbuf, "", "STOP_AT_NONOPT: no complaint about --x");
	av = ARGV("-v", "--", "-f");
	is_int(parse(av, OPTIONS_STOP_AT_NONOPT), 1, "STOP_AT_NONOPT and --");
	ok(strcmp(av[1], "-f") == 0 && av[2] == NULL, "-- dropped");

	av = ARGV("-v");
	is_int(parse(av, 0), 0, "no operands");
	ok(av[1] == NULL, "argv[1] is NULL");

	is_int(parse(ARGV("--help"), 0), OPTIONS_HELP, "--help");
	is_int(parse(ARGV("-h"), 0), OPTIONS_HELP, "-h");
	is_int(parse(ARGV("-vh"), 0), OPTIONS_HELP, "-vh");
	is_int(parse(ARGV("a", "--help", "--bogus"), 0), OPTIONS_HELP,
	    "--help before a bad option");
	is_int(parse(ARGV("--", "--help"), 0), 1, "--help after -- is an "
	    "operand");
	reset();
}

/* Run complete_words() and return what it printed (malloc'd). */
static char *
complete(const struct option_def *global, const struct complete_cmd *cmds,
    const char *operands, char **words, complete_dynamic_fn dyn)
{
	char	*out = NULL;
	size_t	 len = 0;
	FILE	*fp;
	int	 n;

	for (n = 0; words[n] != NULL; n++)
		;
	fp = open_memstream(&out, &len);
	complete_words(fp, global, cmds, operands, n, words, dyn);
	fclose(fp);
	return out;
}

/* Dynamic hints: "@cell" offers two cell names. */
static int
dyn_cells(FILE *fp, const char *hint, const char *prefix)
{
	static const char *const cells[] = { "web", "db", "worker", NULL };
	int	 i;

	if (strcmp(hint, "@node") == 0) {
		fprintf(fp, "node1\n");
		return 0;
	}
	if (strcmp(hint, "@cell") != 0)
		return -1;
	for (i = 0; cells[i] != NULL; i++)
		if (strncmp(cells[i], prefix, strlen(prefix)) == 0)
			fprintf(fp, "%s\n", cells[i]);
	return 0;
}

static int	 all;
static const char *from;

static const struct option_def gopts[] = {
	{ OPT_STRING, 'H', "host", &host, "HOST", "node", "@node" },
	{ OPT_STRING, 'o', "output", &output, "FORMAT", "format",
	    "table json jsonl" },
	{ OPT_FLAG, 'v', "verbose", &verbose, NULL, "verbose" },
	{ OPT_END }
};

static const struct option_def ls_opts[] = {
	{ OPT_FLAG, 'a', "all", &all, NULL, "all" },
	{ OPT_STRING, 0, "from", &from, "FILE", "read from", "@file" },
	{ OPT_STRING, 'C', "dir", &from, "DIR", "change dir", "@dir" },
	{ OPT_END }
};

static const struct option_def no_opts[] = {
	{ OPT_END }
};

static const struct complete_cmd cmds[] = {
	{ "ls", ls_opts, "@cell" },
	{ "logs", no_opts, "@cell" },
	{ "exec", no_opts, "@file" },
	{ "_hidden", no_opts, NULL },
	{ NULL, NULL, NULL }
};

#define WORDS(...)	((char *[]){ __VA_ARGS__, NULL })

/* One completion case. */
static void
comp_is(char **words, const char *want, const char *name)
{
	char	*got = complete(gopts, cmds, NULL, words, dyn_cells);

	is_str(got, want, "complete %s", name);
	free(got);
}

/* Candidates for commands, options, option arguments and operands. */
static void
test_complete(void)
{
	char	*got;

	comp_is(WORDS(""), "ls\nlogs\nexec\n", "'': visible commands");
	comp_is(WORDS("l"), "ls\nlogs\n", "'l': commands by prefix");
	comp_is(WORDS("_"), "", "'_': hidden commands are not offered");
	comp_is(WORDS("--o"), "--output\n", "'--o': a global option");
	comp_is(WORDS("-"), "--host\n-H\n--output\n-o\n--verbose\n-v\n"
	    "--help\n", "'-': every global option");
	comp_is(WORDS("-o", ""), "table\njson\njsonl\n",
	    "'-o ': the option's word list");
	comp_is(WORDS("--output", "js"), "json\njsonl\n",
	    "'--output js': word list by prefix");
	comp_is(WORDS("-o", "json", "l"), "ls\nlogs\n",
	    "'-o json l': the option argument is skipped");
	comp_is(WORDS("-vo", "json", "l"), "ls\nlogs\n",
	    "'-vo json l': a cluster's argument is skipped");
	comp_is(WORDS("-ojson", "l"), "ls\nlogs\n",
	    "'-ojson l': an attached argument takes no word");
	comp_is(WORDS("--output=json", "l"), "ls\nlogs\n",
	    "'--output=json l': nothing to skip");
	comp_is(WORDS("-H", ""), "node1\n", "'-H ': dynamic hint");
	comp_is(WORDS("-vH", ""), "node1\n", "'-vH ': cluster ending in "
	    "an option with argument");
	comp_is(WORDS("ls", "--host=n1", ""), "web\ndb\nworker\n",
	    "'ls --host=n1 ': the argument is attached");
	comp_is(WORDS("ls", "-Hn1", ""), "web\ndb\nworker\n",
	    "'ls -Hn1 ': the argument is attached");
	comp_is(WORDS("ls", "-"), "--all\n-a\n--from\n--dir\n-C\n"
	    "--host\n-H\n--output\n-o\n--verbose\n-v\n--help\n",
	    "'ls -': command options, then global ones, then --help once");
	comp_is(WORDS("ls", "--a"), "--all\n", "'ls --a'");
	comp_is(WORDS("ls", ""), "web\ndb\nworker\n",
	    "'ls ': operands through the dynamic hint");
	comp_is(WORDS("ls", "-a", "w"), "web\nworker\n",
	    "'ls -a w': after a flag");
	comp_is(WORDS("ls", "--from", ""), "@file\n",
	    "'ls --from ': @file passes through");
	comp_is(WORDS("ls", "-C", "x"), "@dir\n", "'ls -C x': @dir");
	comp_is(WORDS("ls", "-o", ""), "table\njson\njsonl\n",
	    "'ls -o ': a global option after the command");
	comp_is(WORDS("exec", ""), "@file\n", "'exec ': @file operands");
	comp_is(WORDS("exec", "--", "-"), "@file\n",
	    "'exec -- -': after -- a dash word is an operand");
	comp_is(WORDS("ls", "--", "-o", ""), "web\ndb\nworker\n",
	    "'ls -- -o ': no option arguments after --");
	comp_is(WORDS("bogus", ""), "", "unknown command: nothing");
	comp_is(WORDS("ls", "--bogus", "w"), "web\nworker\n",
	    "an unknown option is skipped");

	got = complete(ls_opts, NULL, "@file", WORDS("x", ""), NULL);
	is_str(got, "@file\n", "no subcommands: the tool's operand hint");
	free(got);
	got = complete(ls_opts, NULL, "@cell", WORDS(""), NULL);
	is_str(got, "", "a dynamic hint without a callback: nothing");
	free(got);
	got = complete(ls_opts, NULL, "a b c", WORDS("--dir", "d", "b"),
	    NULL);
	is_str(got, "b\n", "no subcommands: word list after an option");
	free(got);
}

/* The help text comes from the same table. */
static void
test_usage(void)
{
	char	*out = NULL;
	size_t	 len = 0;
	FILE	*fp = open_memstream(&out, &len);

	options_usage(fp, "prog [OPTION]... NAME", opts);
	fclose(fp);
	ok(strncmp(out, "usage: prog [OPTION]... NAME\n\n", 30) == 0,
	    "usage line first");
	ok(strstr(out, "\n    -v, --verbose ") != NULL, "a flag's line");
	ok(strstr(out, "\n    -o, --output FORMAT ") != NULL &&
	    strstr(out, "output format\n") != NULL, "an option with argument");
	ok(strstr(out, "\n        --hostname NAME ") != NULL,
	    "a long-only option is indented");
	ok(strstr(out, "\n    -h, --help ") != NULL, "--help is listed");
	free(out);
}

/* Run every group. */
int
main(void)
{
	test_spellings();
	test_errors();
	test_operands();
	test_complete();
	test_usage();
	strlist_free(&env);
	return done_testing();
}
