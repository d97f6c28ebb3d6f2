/*
 * test_dbjson.c - the JSON that pages' statements carry (core/dbjson.c)
 * reads back into the cells a query of its own would have returned.
 */
#include "dbjson.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static const char *cell(const struct jrows *r, size_t row, size_t col)
{
	return row < r->nrows && col < r->ncols ? r->cells[row * r->ncols + col] : "(none)";
}

static void test_rows(void)
{
	struct jrows j, *r = &j;
	is_int(json_rows("[[1, \"a\\\"b\\\\c\", null], [2.50, \"x\\ny\\u4e2d\\ud83d\\ude00\", true]]", 0, r), 0,
	       "two rows read");
	is_int((long long)r->nrows, 2, "... two rows");
	is_int((long long)r->ncols, 3, "... three columns, from the first row");
	is_str(cell(r, 0, 0), "1", "a number as written");
	is_str(cell(r, 0, 1), "a\"b\\c", "quote and backslash unescaped");
	ok(cell(r, 0, 2) == NULL, "null is SQL NULL");
	is_str(cell(r, 1, 0), "2.50", "a decimal keeps its digits");
	is_str(cell(r, 1, 1), "x\ny\xe4\xb8\xad\xf0\x9f\x98\x80", "newline, \\u and a surrogate pair as UTF-8");
	is_str(cell(r, 1, 2), "1", "true is 1 (a comparison's text)");
	is_int((long long)strlen(cell(r, 1, 1)), 10, "the cell is its bytes");
	jrows_free(r);

	is_int(json_rows(NULL, 0, r), 0, "NULL (no rows aggregated) reads");
	is_int((long long)r->nrows, 0, "... as no rows");
	jrows_free(r);
	is_int(json_rows("[]", 2, r), 0, "[] reads as no rows");
	jrows_free(r);
	is_int(json_rows("[[\"\xe5\x8c\x97\xe4\xba\xac\"]]", 1, r), 0, "UTF-8 as is");
	is_str(cell(r, 0, 0), "\xe5\x8c\x97\xe4\xba\xac", "... unchanged");
	jrows_free(r);
}

static void test_refused(void)
{
	static const char *const bad[] = {
		"[[1, 2], [3]]", "[[1, 2]] x", "[[\"open]]", "[[{\"a\": 1}]]", "[[[1]]]", "[1, 2]",
		"[[\"\\x\"]]", "[[\"\\ud83d\"]]", "[[1,]]", "[[1] [2]]",
	};
	char name[80];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct jrows r;
		snprintf(name, sizeof name, "refused: %s", bad[i]);
		ok(json_rows(bad[i], 0, &r) == -1 && r.cells == NULL && r.nrows == 0, name);
	}
}

static void test_row(void)
{
	char *v[3];
	is_int(json_row("[\"110000\", null, 7]", v, 3), 0, "arguments read");
	is_str(v[0], "110000", "... a string");
	ok(v[1] == NULL, "... NULL");
	is_str(v[2], "7", "... a number");
	for (int i = 0; i < 3; i++)
		free(v[i]);
	is_int(json_row("[]", v, 0), 0, "no arguments");
	is_int(json_row("[1, 2]", v, 3), -1, "too few refused");
	is_int(json_row("[1, 2, 3, 4]", v, 3), -1, "too many refused");
	is_int(json_row(NULL, v, 1), -1, "NULL refused");
}

int main(void)
{
	test_rows();
	test_refused();
	test_row();
	return done_testing();
}
