/* test-textcmd.c - the text command grammar and the text form of values
 * (common/textcmd.c), and the inline-mode rendering (daemon/inline.c). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/inline.h"
#include "tap.h"
#include "textcmd.h"

static char	 err[256];

/* Parse line; return the params as compact JSON (malloc'd) and set
 * *method, or NULL on error (err holds the message). */
static char *
parse(const char *line, char **method)
{
	cJSON	*params;
	char	*s;

	err[0] = '\0';
	if (textcmd_parse(line, method, &params, err, sizeof err) < 0) {
		ok(*method == NULL && params == NULL && err[0] != '\0',
		    "error leaves nothing allocated and says why: %s", err);
		return NULL;
	}
	ok(*method != NULL && cJSON_IsObject(params),
	    "parse gives a method and an object");
	s = cJSON_PrintUnformatted(params);
	cJSON_Delete(params);
	return s;
}

/* Parse line and compare method and params. */
static void
parse_is(const char *line, const char *want_method, const char *want_json,
    const char *name)
{
	char	*method = NULL, *json;

	json = parse(line, &method);
	is_str(method, want_method, "%s: method", name);
	is_str(json, want_json, "%s: params", name);
	free(method);
	free(json);
}

/* Parse line, which must fail with a message containing want. */
static void
parse_fails(const char *line, const char *want, const char *name)
{
	char	*method = NULL, *json;

	json = parse(line, &method);
	ok(json == NULL && strstr(err, want) != NULL, "%s: fails with '%s' "
	    "(%s)", name, want, err);
	free(method);
	free(json);
}

/* Word typing, quoting and escapes. */
static void
test_values(void)
{
	parse_is("aurae.version", "aurae.version", "{}", "method alone");
	parse_is("  cells.list \t ", "cells.list", "{}", "blanks around");
	parse_is("help", "aurae.methods", "{}", "help is aurae.methods");
	parse_is("help x=1", "aurae.methods", "{\"x\":1}", "help with params");
	parse_is("m name=web n=42 neg=-7 zero=0", "m",
	    "{\"name\":\"web\",\"n\":42,\"neg\":-7,\"zero\":0}",
	    "bare integers are numbers");
	parse_is("m t=true f=false z=null", "m",
	    "{\"t\":true,\"f\":false,\"z\":null}", "true, false, null");
	parse_is("m a=1.5 b=0x10 c=12ab d=- e=+5 f=True", "m",
	    "{\"a\":\"1.5\",\"b\":\"0x10\",\"c\":\"12ab\",\"d\":\"-\","
	    "\"e\":\"+5\",\"f\":\"True\"}", "other words stay strings");
	parse_is("m big=4294967296 bigger=9007199254740993", "m",
	    "{\"big\":4294967296,\"bigger\":\"9007199254740993\"}",
	    "integers beyond 2^53 stay strings");
	{
		char	*method = NULL;
		cJSON	*o = NULL, *v;

		textcmd_parse("m n=9007199254740992 m=-9007199254740992",
		    &method, &o, err, sizeof err);
		v = cJSON_GetObjectItemCaseSensitive(o, "n");
		ok(cJSON_IsNumber(v) && v->valuedouble == 9007199254740992.0,
		    "2^53 is still a number");
		v = cJSON_GetObjectItemCaseSensitive(o, "m");
		ok(cJSON_IsNumber(v) && v->valuedouble == -9007199254740992.0,
		    "-2^53 is still a number");
		cJSON_Delete(o);
		free(method);
	}
	parse_is("m huge=99999999999999999999999", "m",
	    "{\"huge\":\"99999999999999999999999\"}",
	    "overflow stays a string");
	parse_is("m s=\"42\" t=\"true\" n=\"null\"", "m",
	    "{\"s\":\"42\",\"t\":\"true\",\"n\":\"null\"}",
	    "quoted words stay strings");
	parse_is("m e= q=\"\"", "m", "{\"e\":\"\",\"q\":\"\"}",
	    "empty values are empty strings");
	parse_is("m msg=\"hello  world\" x=a\"b c\"d", "m",
	    "{\"msg\":\"hello  world\",\"x\":\"ab cd\"}",
	    "quotes group words, also mid-word");
	parse_is("m s=\"a\\\"b\\\\c\\nd\\te\"", "m",
	    "{\"s\":\"a\\\"b\\\\c\\nd\\te\"}", "escapes inside quotes");
	parse_is("m s=a\\nb", "m", "{\"s\":\"a\\\\nb\"}",
	    "a backslash outside quotes is literal");
	parse_is("m \"my key\"=v", "m", "{\"my key\":\"v\"}", "quoted key");
	parse_is("m\tk=v\tl=w", "m", "{\"k\":\"v\",\"l\":\"w\"}",
	    "tabs separate words");
	parse_is("m a=b=c", "m", "{\"a\":\"b=c\"}", "the first = splits");
}

/* Dotted keys and KEY:=JSON. */
static void
test_structure(void)
{
	parse_is("cells.create name=web memory.max=64M memory.high=32M "
	    "cpu.weight=100", "cells.create", "{\"name\":\"web\",\"memory\":"
	    "{\"max\":\"64M\",\"high\":\"32M\"},\"cpu\":{\"weight\":100}}",
	    "dotted keys make nested objects");
	parse_is("m a.b.c=1", "m", "{\"a\":{\"b\":{\"c\":1}}}", "three levels");
	parse_is("m list:=[1,true,null] obj:={} n:=1.5 s:=\"q\" t:=true",
	    "m", "{\"list\":[1,true,null],\"obj\":{},\"n\":1.5,\"s\":\"q\","
	    "\"t\":true}", "KEY:=JSON");
	parse_is("m argv:=[\"sh\", \"-c\", \"echo hi\"] n=1", "m",
	    "{\"argv\":[\"sh\",\"-c\",\"echo hi\"],\"n\":1}",
	    "KEY:=JSON is raw JSON: blanks inside it are its own");
	parse_is("m o:={\"a b\": {\"c\": \"x]}\\\" y\"}}\tp=2", "m",
	    "{\"o\":{\"a b\":{\"c\":\"x]}\\\" y\"}},\"p\":2}",
	    "KEY:=JSON: brackets and escaped quotes inside strings");
	parse_is("m env.PATH:=\"/bin\"", "m", "{\"env\":{\"PATH\":\"/bin\"}}",
	    "dotted KEY:=JSON");
	parse_is("m s=\"a:=b\" u=x:=y", "m", "{\"s\":\"a:=b\",\"u\":\"x:=y\"}",
	    ":= inside a value is text");
	parse_fails("m a=1 a=2", "given twice", "duplicate key");
	parse_fails("m a.b=1 a.b=2", "given twice", "duplicate dotted key");
	parse_fails("m a=1 a.b=2", "malformed", "a scalar cannot hold a key");
	parse_fails("m a.b=1 a=2", "given twice", "an object is not replaced");
	parse_fails("m .a=1", "malformed", "leading dot");
	parse_fails("m a.=1", "malformed", "trailing dot");
	parse_fails("m a..b=1", "malformed", "empty part");
	parse_fails("m a:={", "invalid JSON", "KEY:= with bad JSON");
	parse_fails("m a:={ b=1", "invalid JSON", "KEY:= unclosed object");
	parse_fails("m a:=[1]x", "invalid JSON", "KEY:= with trailing bytes");
	parse_fails("m a:=1 2", "KEY=VALUE", "KEY:= ends at a blank");
	parse_fails("m a:=", "invalid JSON", "KEY:= with nothing");
	parse_fails("m :=1", "malformed", "KEY:= without a key");
}

/* Grammar errors. */
static void
test_errors(void)
{
	char	 line[4096];
	size_t	 n;
	int	 i;

	parse_fails("", "empty", "empty line");
	parse_fails(" \t ", "empty", "blank line");
	parse_fails("m word", "KEY=VALUE", "a word without =");
	parse_fails("m =v", "KEY=VALUE", "= without a key");
	parse_fails("m a=\"abc", "unterminated quote", "unterminated quote");
	parse_fails("\"m", "unterminated quote", "unterminated method quote");
	parse_fails("m a=\"\\q\"", "unknown escape", "unknown escape");
	parse_fails("m a=\"abc\\", "unknown escape", "backslash at the end");

	n = (size_t)snprintf(line, sizeof line, "m");
	for (i = 0; i < 257; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, " k%d=1", i);
	parse_fails(line, "more than 256", "257 parameters");
	line[strlen(line) - 7] = '\0';	/* drop " k256=1" */
	{
		char	*method = NULL, *json;

		json = parse(line, &method);
		ok(json != NULL, "256 parameters are fine");
		free(json);
		free(method);
	}
}

/* textcmd_parse_words: argv-style KEY=VALUE words. */
static void
test_words(void)
{
	char	*words[] = { "name=web", "memory.max=64M", "n=3",
	    "j:=[true]", "q=\"x\"" };
	char	*bad[] = { "ok=1", "oops" };
	cJSON	*o = NULL;
	char	*s;

	is_int(textcmd_parse_words(words, 5, &o, err, sizeof err), 0,
	    "parse_words succeeds");
	s = cJSON_PrintUnformatted(o);
	is_str(s, "{\"name\":\"web\",\"memory\":{\"max\":\"64M\"},\"n\":3,"
	    "\"j\":[true],\"q\":\"\\\"x\\\"\"}",
	    "parse_words: types, nesting, JSON; quotes are literal");
	free(s);
	cJSON_Delete(o);
	ok(strcmp(words[1], "memory.max=64M") == 0, "the words are not "
	    "modified");
	o = NULL;
	is_int(textcmd_parse_words(bad, 2, &o, err, sizeof err), -1,
	    "parse_words fails on a word without =");
	ok(o == NULL && strstr(err, "oops") != NULL, "and names it: %s", err);
	is_int(textcmd_parse_words(NULL, 0, &o, err, sizeof err), 0,
	    "no words");
	s = cJSON_PrintUnformatted(o);
	is_str(s, "{}", "no words: empty object");
	free(s);
	cJSON_Delete(o);
}

/* Render one value with textcmd_cell; the JSON is parsed first. */
static void
cell_is(const char *json, const char *want, const char *name)
{
	struct buf	 b = BUF_INIT;
	cJSON		*v = json ? cJSON_Parse(json) : NULL;

	textcmd_cell(&b, v);
	buf_append(&b, "", 1);
	is_str(buf_head(&b), want, "cell %s", name);
	buf_free(&b);
	cJSON_Delete(v);
}

/* The text form of values. */
static void
test_cell(void)
{
	cJSON		*v;
	struct buf	 b = BUF_INIT;

	cell_is("\"plain\"", "plain", "plain string");
	cell_is("\"a\\tb\\nc\\\\d\"", "a\\tb\\nc\\\\d",
	    "tab, newline and backslash escaped");
	cell_is("\"\"", "", "empty string");
	cell_is("null", "-", "null is -");
	cell_is(NULL, "-", "a missing value is -");
	cell_is("true", "true", "true");
	cell_is("false", "false", "false");
	cell_is("42", "42", "integer");
	cell_is("-7", "-7", "negative integer");
	cell_is("1.5", "1.5", "fraction");
	cell_is("1e300", "1e+300", "huge number");
	cell_is("-1e300", "-1e+300", "huge negative number");
	cell_is("9007199254740993", "9007199254740992", "2^53+1 (a double)");
	cell_is("[1,\"a\"]", "[1,\"a\"]", "array as compact JSON");
	cell_is("{\"k\": [null]}", "{\"k\":[null]}", "object as compact JSON");

	v = cJSON_CreateNumber(1.0 / 0.0);
	textcmd_cell(&b, v);
	buf_append(&b, "", 1);
	is_str(buf_head(&b), "null", "infinity renders as JSON does");
	buf_free(&b);
	cJSON_Delete(v);
}

/* Render a JSON result the way the inline mode does. */
static void
format_is(const char *json, const char *want, const char *name)
{
	struct buf	 b = BUF_INIT;
	cJSON		*v = cJSON_Parse(json);

	inline_format(&b, v);
	buf_append(&b, "", 1);
	is_str(buf_head(&b), want, "format %s", name);
	buf_free(&b);
	cJSON_Delete(v);
}

/* Inline rendering of results. */
static void
test_format(void)
{
	struct buf	 b = BUF_INIT;

	format_is("[{\"name\":\"web\",\"pid\":12},{\"name\":\"db\","
	    "\"pid\":null}]", "# name\tpid\nweb\t12\ndb\t-\n",
	    "array of objects: header then rows");
	format_is("[{\"a\":1,\"b\":2},{\"b\":3,\"c\":4}]",
	    "# a\tb\n1\t2\n-\t3\n", "columns come from the first row");
	format_is("[{\"s\":\"x\\ty\"}]", "# s\nx\\ty\n",
	    "cells are escaped");
	format_is("[{\"o\":{\"k\":1},\"l\":[1,2]}]", "# o\tl\n{\"k\":1}\t"
	    "[1,2]\n", "nested values as compact JSON");
	format_is("[\"a\",2,null]", "a\n2\n-\n", "array of scalars");
	format_is("[]", "", "empty array");
	format_is("{\"server\":\"auraed\",\"protocol\":1,\"x\":null}",
	    "server\tauraed\nprotocol\t1\nx\t-\n", "object: key, tab, value");
	format_is("{}", "", "empty object");
	format_is("{\"cells\":[{\"name\":\"web\"}]}", "# name\nweb\n",
	    "{\"x\":[...]}: the single array is the answer");
	format_is("{\"ids\":[1,2]}", "1\n2\n", "single array of scalars");
	format_is("{\"ids\":[]}", "", "single empty array");
	format_is("{\"ids\":[1],\"n\":1}", "ids\t[1]\nn\t1\n",
	    "two members: no unwrapping");
	format_is("{\"o\":{\"k\":1}}", "o\t{\"k\":1}\n",
	    "single member that is not an array");
	format_is("\"text\"", "text\n", "string scalar");
	format_is("5", "5\n", "number scalar");
	format_is("true", "true\n", "boolean scalar");
	format_is("null", "", "null: no rows");

	inline_format(&b, NULL);
	is_int(buf_used(&b), 0, "NULL result: no rows");
	buf_free(&b);
}

/* Run every group. */
int
main(void)
{
	test_values();
	test_structure();
	test_errors();
	test_words();
	test_cell();
	test_format();
	return done_testing();
}
