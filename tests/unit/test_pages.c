/*
 * test_pages.c - unit tests of the page table (core/page.c): path and
 * method lookup with the 404 / 405 distinction and the Allow header, the
 * one typed parameter parser (id, int, string, enum, flag, file; lists and
 * numbered families; required; lenient), the start-up check of a table
 * (PAGE_CSRF on every POST) and CONTENT_LENGTH (issue 17, item 4).
 */
#include "auth.h"
#include "http.h"
#include "page.h"
#include "util.h"
#include "tap.h"

#include <string.h>

static void h_a(struct req *r) { (void)r; }
static void h_b(struct req *r) { (void)r; }

enum key { KEY_ID, KEY_N, KEY_S, KEY_E, KEY_F, KEY_L, KEY_M };

static const char *const colours[] = { "red", "green", NULL };

static const struct pspec strict[] = {
	{ KEY_ID, "id", PT_ID, P_REQUIRED, 0, 0, NULL, 404, "no such thing", 0 },
	{ KEY_N, "n", PT_INT, 0, -5, 100, NULL, 400, "bad n", 0 },
	{ KEY_S, "s", PT_STR, 0, 0, 4, NULL, 400, "bad s", 0 },
	{ KEY_E, "e", PT_ENUM, 0, 0, 0, colours, 400, "bad e", 0 },
	{ 0 },
};

static const struct pspec families[] = {
	{ KEY_F, "done", PT_FLAG, 0, 0, 0, NULL, 0, NULL, 0 },
	{ KEY_L, "lost", PT_STR, P_LIST, 0, 8, NULL, 400, "bad lost", 3 },
	{ KEY_M, "map", PT_INT, P_INDEXED, 0, 9, NULL, 400, "bad map", 4 },
	{ 0 },
};

static const struct pspec lenient[] = {
	{ KEY_N, "page", PT_INT, 0, 1, 99, NULL, 0, NULL, 0 },
	{ 0 },
};

static const struct pagedef pages[] = {
	{ "/x",      M_GET,  PUBLIC, PAGE_SLASH, NULL, h_a, NULL, NULL, STMT_SESSION_GET, NULL },
	{ "/x",      M_POST, RB(ROLE_ADMIN), PAGE_SLASH, strict, h_b, NULL, NULL, STMT_SESSION_GET, NULL },
	{ "/x/only", M_POST, PUBLIC, 0, NULL, h_b, NULL, NULL, STMT_SESSION_GET, NULL },
	{ NULL,      M_GET,  PUBLIC, 0, NULL, h_b, NULL, NULL, STMT_SESSION_GET, NULL },   /* disabled */
};

static const struct pspec twice[] = {
	{ KEY_N, "a", PT_STR, 0, 0, 4, NULL, 0, NULL, 0 },
	{ KEY_N, "b", PT_STR, 0, 0, 4, NULL, 0, NULL, 0 },
	{ 0 },
};
#define NPAGES (sizeof pages / sizeof pages[0])

static void test_find(void)
{
	unsigned allow;
	char hdr[32];
	is_int(page_method("GET"), M_GET, "GET");
	is_int(page_method("HEAD"), M_GET, "HEAD answers like GET");
	is_int(page_method("POST"), M_POST, "POST");
	is_int(page_method("DELETE"), 0, "DELETE is no method of a page");

	ok(page_find(pages, NPAGES, "/x", M_GET, &allow) == &pages[0], "GET /x");
	ok(page_find(pages, NPAGES, "/x/", M_POST, &allow) == &pages[1], "POST /x/ (PAGE_SLASH)");
	ok(page_find(pages, NPAGES, "/x//", M_GET, &allow) == NULL && allow == 0, "/x// unknown");
	ok(page_find(pages, NPAGES, "/xy", M_GET, &allow) == NULL && allow == 0, "/xy unknown: 404");
	ok(page_find(pages, NPAGES, "/x/only/", M_POST, &allow) == NULL && allow == 0,
	   "no trailing slash without PAGE_SLASH");
	ok(page_find(pages, NPAGES, "/x/only", M_GET, &allow) == NULL && allow == M_POST,
	   "GET of a POST-only path: 405");
	page_allow_header(allow, hdr, sizeof hdr);
	is_str(hdr, "POST", "Allow: POST");
	ok(page_find(pages, NPAGES, "/x", 0, &allow) == NULL && allow == (M_GET | M_POST),
	   "DELETE /x: 405");
	page_allow_header(allow, hdr, sizeof hdr);
	is_str(hdr, "GET, HEAD, POST", "Allow: GET, HEAD, POST");
	page_allow_header(M_GET, hdr, sizeof hdr);
	is_str(hdr, "GET, HEAD", "Allow: GET, HEAD");
}

/* Runs the parser over a query string; returns the refused spec's name. */
static const char *parse(struct req *r, const char *query, const struct pspec *ps)
{
	params_free(r->params, r->nparams);
	r->params = NULL;
	r->nparams = 0;
	parse_urlencoded(query, strlen(query), &r->params, &r->nparams, 100);
	const struct pspec *bad = page_parse_args(r, ps);
	return bad ? bad->name : NULL;
}

static void test_args(void)
{
	struct req r;
	memset(&r, 0, sizeof r);

	is_str(parse(&r, "id=42&n=-5&s=abcd&e=green", strict), NULL, "all valid");
	ok(r.arg[KEY_ID].present && r.arg[KEY_ID].id == 42, "id parsed");
	is_int(r.arg[KEY_N].n, -5, "int at its minimum");
	is_str(r.arg[KEY_S].s, "abcd", "string kept");
	is_int(r.arg[KEY_E].n, 1, "enum index");

	is_str(parse(&r, "n=1", strict), "id", "required id missing");
	is_str(parse(&r, "id=", strict), "id", "empty id refused");
	is_str(parse(&r, "id=0", strict), "id", "id 0 refused");
	is_str(parse(&r, "id=12a", strict), "id", "id with a letter refused");
	is_str(parse(&r, "id=-1", strict), "id", "negative id refused");
	is_str(parse(&r, "id=9223372036854775807", strict), NULL, "largest BIGINT id");
	is_str(parse(&r, "id=9223372036854775808", strict), "id", "id above BIGINT refused");
	is_str(parse(&r, "id=12345678901234567890", strict), "id", "20 digits refused");
	is_int(parse_id("0042"), 42, "parse_id: leading zeros");
	is_int(parse_id(NULL), 0, "parse_id: NULL");

	is_str(parse(&r, "id=1&n=101", strict), "n", "int above max");
	is_str(parse(&r, "id=1&n=-6", strict), "n", "int below min");
	is_str(parse(&r, "id=1&n=", strict), "n", "empty int refused");
	is_str(parse(&r, "id=1", strict), NULL, "optional params absent");
	ok(!r.arg[KEY_N].present && r.arg[KEY_N].s == NULL, "absent: not present, no value");
	is_str(parse(&r, "id=1&s=", strict), NULL, "empty string is a string");
	is_str(parse(&r, "id=1&s=abcde", strict), "s", "string too long");
	is_str(parse(&r, "id=1&e=blue", strict), "e", "enum: unknown value");

	is_str(parse(&r, "page=abc", lenient), NULL, "lenient: a bad value is not an error");
	ok(!r.arg[KEY_N].present && strcmp(r.arg[KEY_N].s, "abc") == 0, "lenient: absent, raw kept");
	is_str(parse(&r, "page=7", lenient), NULL, "lenient: a good value");
	ok(r.arg[KEY_N].present && r.arg[KEY_N].n == 7, "lenient: parsed");
	params_free(r.params, r.nparams);
}

static void test_families(void)
{
	struct req r;
	memset(&r, 0, sizeof r);
	is_str(parse(&r, "done=1&lost=a&lost=bb&map0=3&map1=0&map3=9", families), NULL, "flag, list, numbered");
	ok(r.arg[KEY_F].present, "flag present");
	is_int((long long)r.arg[KEY_L].nlist, 2, "list: both values");
	is_str(r.arg[KEY_L].list[1], "bb", "list: in order");
	is_int((long long)r.arg[KEY_M].nlist, 2, "numbered: up to the first gap");
	is_str(r.arg[KEY_M].list[0], "3", "numbered: map0 first");
	is_str(parse(&r, "lost=a&lost=b&lost=c&lost=d", families), NULL, "list: more than maxn");
	is_int((long long)r.arg[KEY_L].nlist, 3, "list: at most maxn taken");
	is_str(parse(&r, "map0=10", families), "map", "numbered: each value checked by its type");
	is_str(parse(&r, "lost=abcdefghi", families), "lost", "list: each value bounded");
	is_str(parse(&r, "", families), NULL, "nothing sent");
	ok(!r.arg[KEY_F].present && r.arg[KEY_L].nlist == 0, "... nothing present");
	page_args_free(&r);
	params_free(r.params, r.nparams);
}

static void test_table_check(void)
{
	char err[200];
	static const struct pagedef good[] = {
		{ "/a", M_GET, PUBLIC, 0, strict, h_a, NULL, NULL, STMT_SESSION_GET, NULL },
		{ "/a", M_POST, PUBLIC, PAGE_CSRF, families, h_b, NULL, NULL, STMT_SESSION_GET, NULL },
	};
	static const struct pagedef no_csrf[] = {
		{ "/a", M_POST, PUBLIC, 0, NULL, h_b, NULL, NULL, STMT_SESSION_GET, NULL },
	};
	static const struct pagedef slot_twice[] = {
		{ "/a", M_GET, PUBLIC, 0, twice, h_a, NULL, NULL, STMT_SESSION_GET, NULL },
	};
	is_int(page_table_check(good, 2, err, sizeof err), 0, "a table with PAGE_CSRF on its POST row");
	is_int(page_table_check(no_csrf, 1, err, sizeof err), -1, "a POST row without PAGE_CSRF is refused");
	ok(strstr(err, "/a") && strstr(err, "PAGE_CSRF"), "... naming the page");
	is_int(page_table_check(slot_twice, 1, err, sizeof err), -1, "two parameters in one slot refused");
	is_int(page_table_check(pages, NPAGES, err, sizeof err), -1, "this file's own table lacks PAGE_CSRF");
}

static void test_content_length(void)
{
	long long n;
	is_int(parse_content_length("", 100, &n), 0, "no CONTENT_LENGTH: 0");
	is_int(n, 0, "... length 0");
	is_int(parse_content_length("42", 100, &n), 0, "42");
	is_int(n, 42, "... 42");
	is_int(parse_content_length("101", 100, &n), 1, "over the limit");
	is_int(parse_content_length("-1", 100, &n), -1, "a sign is malformed");
	is_int(parse_content_length(" 4", 100, &n), -1, "a space is malformed");
	is_int(parse_content_length("4x", 100, &n), -1, "trailing junk is malformed");
	is_int(parse_content_length("999999999999999999", 100, &n), 1, "18 digits: too large, no overflow");
	is_int(parse_content_length("9999999999999999999999", 100, &n), -1, "more digits than any body: malformed");
}

int main(void)
{
	test_find();
	test_args();
	test_families();
	test_table_check();
	test_content_length();
	return done_testing();
}
