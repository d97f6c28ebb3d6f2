/*
 * test_xlsxw.c - the one workbook writer (core/xlsxw.c) and the one UTF-8
 * truncation (utf8_prefix): a write the library refuses fails the whole
 * workbook, an over-long cell is cut on a character boundary, and the file
 * is gone after xw_discard.
 */
#include "tap.h"
#include "util.h"
#include "xlsxw.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int collect(void *ctx, const char *data, size_t len)
{
	buf_put(ctx, data, len);
	return 0;
}

int main(void)
{
	struct xw x;
	struct buf out = { 0 };
	char dir[] = "/tmp/test-xlsxw-XXXXXX";

	ok(mkdtemp(dir) != NULL, "a temporary directory");

	/* utf8_prefix: bytes, never half a character. */
	is_int((long long)utf8_prefix("abc", 5), 3, "utf8_prefix: shorter than max: all of it");
	is_int((long long)utf8_prefix("abc", 3), 3, "utf8_prefix: exactly max");
	is_int((long long)utf8_prefix("中文", 4), 3, "utf8_prefix: 4 bytes of 中文 keep one character (3 bytes)");
	is_int((long long)utf8_prefix("中文", 2), 0, "utf8_prefix: less than one character: nothing");
	is_int((long long)utf8_prefix("a中", 3), 1, "utf8_prefix: a, then no half of 中");

	/* A good workbook, with a cell longer than a cell may hold. */
	ok(xw_open(&x, "test", dir, "data") == 0, "xw_open");
	size_t n = XW_STR_MAX + 10;
	char *big = malloc(n + 1);
	memset(big, 'a', n);
	memcpy(big + XW_STR_MAX - 1, "中", 3);   /* straddles the limit */
	big[n] = 0;
	xw_string(&x, 0, 0, "标题", x.bold);
	xw_number(&x, 1, 0, 42);
	xw_string(&x, 1, 1, big, NULL);
	ok(!x.failed, "an over-long cell is cut, not refused");
	ok(xw_close(&x) == 0, "xw_close: every write succeeded");
	ok(xw_send(&x, collect, &out) == 0 && out.len > 100 && memcmp(out.data, "PK", 2) == 0,
	   "xw_send: the file is a zip (xlsx)");
	char path[sizeof x.path];
	strcpy(path, x.path);
	xw_discard(&x);
	ok(access(path, F_OK) != 0, "xw_discard removes the file");
	free(big);

	/* Constant-memory mode writes rows in order: going back is refused by
	 * the library, and that refusal fails the workbook. */
	ok(xw_open(&x, "test", dir, "data") == 0, "xw_open again");
	xw_string(&x, 5, 0, "row 6", NULL);
	ok(!x.failed, "row 6 written");
	xw_string(&x, 2, 0, "row 3", NULL);
	ok(x.failed, "a write to an earlier row is caught");
	ok(xw_close(&x) == -1, "xw_close then fails: no damaged file is sent");
	xw_discard(&x);

	/* No directory to write in: nothing opened, nothing left. */
	ok(xw_open(&x, "test", "/nonexistent-dir-for-xlsxw", "data") == -1, "xw_open in a missing directory fails");
	buf_free(&out);
	rmdir(dir);
	return done_testing();
}
