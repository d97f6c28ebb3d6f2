/*
 * test_csv.c - the CSV reader (csv_next) and charset conversion (text_to_utf8).
 */
#include "csv.h"
#include "tap.h"
#include "util.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parses all of s; returns the number of records, or -1 on error. Records
 * are flattened into out as "f1|f2;" per record, lines into lines[]. */
static int parse(const char *s, size_t n, const struct csv_limits *lim,
                 struct buf *out, unsigned long *lines, size_t maxlines, char *err, size_t errlen)
{
	struct csv c;
	struct csv_row row = {0};
	int rc, count = 0;

	buf_reset(out);
	csv_init(&c, s, n, lim);
	while ((rc = csv_next(&c, &row)) > 0) {
		for (size_t i = 0; i < row.nfields; i++) {
			if (i)
				buf_putc(out, '|');
			buf_put(out, row.fields[i], row.lens[i]);
		}
		buf_putc(out, ';');
		if ((size_t)count < maxlines)
			lines[count] = row.line;
		count++;
	}
	snprintf(err, errlen, "%s", rc < 0 ? c.err : "");
	csv_row_free(&row);
	return rc < 0 ? -1 : count;
}

#define P(s) parse((s), sizeof(s) - 1, NULL, &out, lines, 16, err, sizeof err)

static void test_basic(void)
{
	struct buf out = {0};
	unsigned long lines[16];
	char err[200];

	is_int(P("a,b,c\n1,2,3\n"), 2, "two simple records");
	is_str(out.data, "a|b|c;1|2|3;", "simple fields");

	is_int(P("a,b\r\n1,2\r\n"), 2, "CRLF records");
	is_str(out.data, "a|b;1|2;", "CRLF stripped");

	is_int(P("a,b\r1,2"), 2, "lone CR ends a record; no final newline");
	is_str(out.data, "a|b;1|2;", "CR and missing final newline");

	is_int(P("\xEF\xBB\xBFuser,role\nx,y\n"), 2, "BOM file");
	is_str(out.data, "user|role;x|y;", "BOM stripped from first field");

	is_int(P("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"), 1, "quoted fields");
	is_str(out.data, "a,b|say \"hi\"|;", "embedded comma, doubled quotes, empty quoted");

	is_int(P("h1,h2\n\"line1\nline2\",x\nnext,y\n"), 3, "embedded newline");
	is_str(out.data, "h1|h2;line1\nline2|x;next|y;", "newline kept inside quotes");

	is_int(P("h\n\"a\r\nb\"\nc\n"), 3, "embedded CRLF");
	is_str(out.data, "h;a\r\nb;c;", "CRLF kept verbatim inside quotes");
	is_int(lines[2], 4, "line numbers count lines inside quoted fields");

	is_int(P("a,,c,\n,\n"), 2, "empty fields");
	is_str(out.data, "a||c|;|;", "empty fields incl. trailing");

	is_int(P("a\n\n\r\n\nb\n"), 2, "blank lines skipped");
	is_str(out.data, "a;b;", "blank lines are not records");
	is_int(lines[0], 1, "first record line 1");
	is_int(lines[1], 5, "record after blank lines has its physical line");

	is_int(P(""), 0, "empty input: no records");
	is_int(P("\xEF\xBB\xBF"), 0, "BOM only: no records");

	is_int(P("名称,地区\n北京市中小企业服务中心,110000\n"), 2, "UTF-8 Chinese");
	is_str(out.data, "名称|地区;北京市中小企业服务中心|110000;", "UTF-8 bytes kept");

	buf_free(&out);
}

static void test_errors(void)
{
	struct buf out = {0};
	unsigned long lines[16];
	char err[200];

	is_int(P("a,b\n1,\"2\n3,4\n"), -1, "unterminated quote");
	is_str(err, "line 2: unterminated quoted field", "reported at the line where the quote opened");

	is_int(P("a\nx\"y\n"), -1, "quote in unquoted field");
	ok(strncmp(err, "line 2: quote inside unquoted field 1", 37) == 0, "quote error with line and field");

	is_int(P("a\n\"x\"y,z\n"), -1, "text after closing quote");
	ok(strncmp(err, "line 2: unexpected text after closing quote", 43) == 0, "after-quote error line 2");

	is_int(P("a\nb\0c\n"), -1, "NUL byte rejected");
	is_str(err, "line 2: NUL byte in text", "NUL byte line");

	is_int(P("h\n\"multi\nline\"\n\"bad\n"), -1, "error after a multi-line field");
	is_str(err, "line 4: unterminated quoted field", "line numbers continue after embedded newlines");

	/* Calling again after an error keeps failing. */
	{
		struct csv c;
		struct csv_row row = {0};
		csv_init(&c, "\"x", 2, NULL);
		is_int(csv_next(&c, &row), -1, "error");
		is_int(csv_next(&c, &row), -1, "still an error");
		is_int(c.err_line, 1, "err_line set");
		csv_row_free(&row);
	}
	buf_free(&out);
}

static void test_bounds(void)
{
	struct buf out = {0};
	unsigned long lines[16];
	char err[200];
	struct csv_limits lim = { .max_bytes = 32, .max_fields = 3, .max_field_len = 5, .max_records = 3 };

	is_int(parse("a,b,c\n", 6, &lim, &out, lines, 16, err, sizeof err), 1, "3 fields allowed");
	is_int(parse("a,b,c,d\n", 8, &lim, &out, lines, 16, err, sizeof err), -1, "4 fields refused");
	is_str(err, "line 1: more than 3 fields", "field count message");

	is_int(parse("12345\n", 6, &lim, &out, lines, 16, err, sizeof err), 1, "5-byte field allowed");
	is_int(parse("x\n123456\n", 9, &lim, &out, lines, 16, err, sizeof err), -1, "6-byte field refused");
	is_str(err, "line 2: field 1 longer than 5 bytes", "field length message");
	is_int(parse("x\n\"12\"\"345\"\n", 12, &lim, &out, lines, 16, err, sizeof err), -1,
	       "length counts decoded bytes of quoted fields");

	is_int(parse("1\n2\n3\n", 6, &lim, &out, lines, 16, err, sizeof err), 3, "3 records allowed");
	is_int(parse("1\n2\n3\n4\n", 8, &lim, &out, lines, 16, err, sizeof err), -1, "4 records refused");
	is_str(err, "line 4: more than 3 records", "record count message");

	{
		char big[40];
		memset(big, 'a', sizeof big);
		is_int(parse(big, sizeof big, &lim, &out, lines, 16, err, sizeof err), -1, "input over max_bytes");
		is_str(err, "file too large (40 bytes, at most 32)", "size message");
	}

	/* Default limits: a field of 4096 bytes passes, 4097 does not. */
	{
		size_t n = CSV_MAX_FIELD_LEN + 1;
		char *s = xmalloc(n + 2);
		memset(s, 'x', n);
		s[n] = '\n';
		is_int(parse(s, n - 1, NULL, &out, lines, 16, err, sizeof err), 1, "default field max ok");
		is_int(parse(s, n + 1, NULL, &out, lines, 16, err, sizeof err), -1, "default field max + 1 refused");
		free(s);
	}
	/* Many fields make the row arrays and buffer grow. */
	{
		struct buf s = {0};
		for (int i = 0; i < 60; i++)
			buf_printf(&s, "%s\"field %d, with comma\"", i ? "," : "", i);
		is_int(parse(s.data, s.len, NULL, &out, lines, 16, err, sizeof err), 1, "60 fields grow arrays");
		ok(strstr(out.data, "|field 59, with comma;") != NULL, "last of 60 fields intact");
		buf_free(&s);
	}
	buf_free(&out);
}

/* Encodes UTF-8 s into GB18030 with iconv (the test's own sample). */
static char *to_gb18030(const char *s, size_t *outn)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t inleft = strlen(s), outleft = inleft * 2 + 8;
	char *out = xmalloc(outleft), *ip = (char *)s, *op = out;

	if (cd == (iconv_t)-1) {
		free(out);
		return NULL;
	}
	if (iconv(cd, &ip, &inleft, &op, &outleft) == (size_t)-1) {
		iconv_close(cd);
		free(out);
		return NULL;
	}
	iconv_close(cd);
	*outn = (size_t)(op - out);
	return out;
}

static void test_charset(void)
{
	const char *cs;
	char *out;
	size_t outn, gbn;
	const char *utf8 = "username,org_name\nbj01,北京市中小企业服务中心\nhk,𠀀 rare ext-B €\n";
	char *gb;

	is_int(text_to_utf8("plain ascii", 11, &out, &outn, &cs), 0, "ASCII accepted");
	is_str(cs, "UTF-8", "ASCII is reported as UTF-8");
	is_str(out, "plain ascii", "ASCII copied");
	is_int(outn, 11, "ASCII length");
	free(out);

	is_int(text_to_utf8(utf8, strlen(utf8), &out, &outn, &cs), 0, "UTF-8 accepted");
	is_str(cs, "UTF-8", "UTF-8 detected");
	is_str(out, utf8, "UTF-8 unchanged");
	free(out);

	gb = to_gb18030(utf8, &gbn);
	ok(gb != NULL, "test sample encoded to GB18030");
	if (gb) {
		ok(!utf8_valid(gb, gbn), "GB18030 sample is not valid UTF-8");
		is_int(text_to_utf8(gb, gbn, &out, &outn, &cs), 0, "GB18030 accepted");
		is_str(cs, "GB18030", "GB18030 detected");
		is_str(out, utf8, "GB18030 converted back to the original UTF-8");
		is_int(outn, strlen(utf8), "converted length");
		free(out);

		/* A truncated multi-byte character at the end is an error. */
		is_int(text_to_utf8(gb, gbn - 2, &out, &outn, &cs), -1, "truncated GB18030 refused");
		ok(out == NULL, "no output on error");
		free(gb);
	}

	/* GB18030 text through the CSV reader: the usual Excel export path. */
	{
		const char *csv = "\"单位名称\",地区\r\n\"中小企业,服务\",110000\r\n";
		gb = to_gb18030(csv, &gbn);
		if (gb && text_to_utf8(gb, gbn, &out, &outn, &cs) == 0) {
			struct csv c;
			struct csv_row row = {0};
			csv_init(&c, out, outn, NULL);
			is_int(csv_next(&c, &row), 1, "GB18030 CSV header");
			is_str(row.fields[0], "单位名称", "header field converted");
			is_int(csv_next(&c, &row), 1, "GB18030 CSV record");
			is_str(row.fields[0], "中小企业,服务", "quoted Chinese field with comma");
			is_int(csv_next(&c, &row), 0, "end");
			csv_row_free(&row);
			free(out);
		} else {
			ok(0, "GB18030 CSV sample");
		}
		free(gb);
	}

	is_int(text_to_utf8("\x80\xff\xfe abc", 7, &out, &outn, &cs), -1, "invalid bytes refused");
	ok(out == NULL && outn == 0, "nothing returned for invalid bytes");
	ok(strstr(cs, "neither") != NULL, "reason given");

	is_int(text_to_utf8("u\0s\0e\0r\0", 8, &out, &outn, &cs), -1, "UTF-16-like NULs refused");
	ok(strstr(cs, "NUL") != NULL, "NUL reason");

	is_int(text_to_utf8("", 0, &out, &outn, &cs), 0, "empty text ok");
	is_int(outn, 0, "empty length");
	free(out);
}

static void test_file(void)
{
	char path[] = "/tmp/test_csv_XXXXXX";
	int fd = mkstemp(path);
	char err[256], *data;
	size_t n;

	ok(fd >= 0, "temp file");
	if (fd < 0)
		return;
	ok(write(fd, "a,b\n1,2\n", 8) == 8, "write sample");
	close(fd);

	is_int(file_read_bounded(path, 8, &data, &n, err, sizeof err), 0, "file at the limit read");
	is_int(n, 8, "length");
	is_str(data, "a,b\n1,2\n", "content NUL-terminated");
	free(data);

	is_int(file_read_bounded(path, 7, &data, &n, err, sizeof err), -1, "file over the limit refused");
	ok(strstr(err, "too large") != NULL, "size reason");
	ok(data == NULL, "no data on error");

	is_int(file_read_bounded("/tmp", 100, &data, &n, err, sizeof err), -1, "directory refused");
	ok(strstr(err, "not a regular file") != NULL, "directory reason");
	is_int(file_read_bounded("/nonexistent/x.csv", 100, &data, &n, err, sizeof err), -1, "missing file");
	unlink(path);
}

int main(void)
{
	test_basic();
	test_errors();
	test_bounds();
	test_charset();
	test_file();
	return done_testing();
}
