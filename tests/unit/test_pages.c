/*
 * test_pages.c - unit tests of the page table (core/page.c): path and
 * method lookup with the 404 / 405 distinction and the Allow header, and the
 * one typed parameter parser (id, int, string, enum; required; lenient).
 */
#include "auth.h"
#include "http.h"
#include "page.h"
#include "util.h"
#include "tap.h"

#include <string.h>

static void h_a(struct req *r) { (void)r; }
static void h_b(struct req *r) { (void)r; }

enum key { KEY_ID, KEY_N, KEY_S, KEY_E };

static const char *const colours[] = { "red", "green", NULL };

static const struct pspec strict[] = {
	{ KEY_ID, "id", PT_ID, P_REQUIRED, 0, 0, NULL, 404, "no such thing" },
	{ KEY_N, "n", PT_INT, 0, -5, 100, NULL, 400, "bad n" },
	{ KEY_S, "s", PT_STR, 0, 0, 4, NULL, 400, "bad s" },
	{ KEY_E, "e", PT_ENUM, 0, 0, 0, colours, 400, "bad e" },
	{ 0 },
};

static const struct pspec lenient[] = {
	{ KEY_N, "page", PT_INT, 0, 1, 99, NULL, 0, NULL },
	{ 0 },
};

static const struct pagedef pages[] = {
	{ "/x",      M_GET,  PUBLIC, PAGE_SLASH, NULL, h_a, NULL },
	{ "/x",      M_POST, RB(ROLE_ADMIN), PAGE_SLASH, strict, h_b, NULL },
	{ "/x/only", M_POST, PUBLIC, 0, NULL, h_b, NULL },
	{ NULL,      M_GET,  PUBLIC, 0, NULL, h_b, NULL },   /* disabled */
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

int main(void)
{
	test_find();
	test_args();
	return done_testing();
}
