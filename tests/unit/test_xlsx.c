/*
 * test_xlsx.c - the XLSX frame reader (sample/xlsx.c, issue 10): workbooks
 * written by an independent writer (libxlsxwriter, the export's library)
 * with shared strings, inline strings (constant-memory mode), numbers, a
 * title row and gaps; a frame read from XLSX parses like its CSV; broken
 * and hostile input (not a zip, a zip without a workbook, a DOCTYPE, a
 * part inflating past the limit, a value beyond the last column) is refused
 * with a message; and random corruptions of a valid workbook never crash
 * (run under ASan/UBSan by `make test`).
 */
#include "frame.h"
#include "util.h"
#include "xlsx.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

static char tmpl[] = "/tmp/test_xlsx_XXXXXX";

/* ok() with a formatted name. */
static char okname[300];
#define okf(cond, ...) do { int c_ = !!(cond); snprintf(okname, sizeof okname, __VA_ARGS__); \
                              ok(c_, okname); } while (0)

/* Reads a whole file. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	char chunk[8192];
	size_t got;
	if (!f)
		return NULL;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, got);
	fclose(f);
	*n = b.len;
	return buf_steal(&b);
}

/* A frame workbook: a title row, a blank row, the headings in row 3, then
 * two hub and three window units; row 6 left out; a zip code as number. */
static char *frame_workbook(int constant_memory, size_t *n)
{
	char path[64];
	snprintf(path, sizeof path, "%s/frame%d.xlsx", tmpl, constant_memory);
	lxw_workbook_options opt = { .constant_memory = (uint8_t)constant_memory, .tmpdir = tmpl };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "名单");
	static const char *const head[] = { "单位名称", "所属平台", "统一社会信用代码", "地址", "邮编" };
	worksheet_write_string(ws, 0, 0, "浙江省服务资源单位名单", NULL);
	for (lxw_col_t c = 0; c < 5; c++)
		worksheet_write_string(ws, 2, c, head[c], NULL);
	static const char *const names[] = { "甲机构", "乙机构", "丙机构", "丁机构", "戊机构" };
	lxw_row_t rows[] = { 3, 4, 6, 7, 8 };
	for (int i = 0; i < 5; i++) {
		worksheet_write_string(ws, rows[i], 0, names[i], NULL);
		worksheet_write_string(ws, rows[i], 1, i < 2 ? "浙江省中小企业公共服务平台" : "杭州市窗口平台", NULL);
		if (i == 0)
			worksheet_write_string(ws, rows[i], 2, "91330000123456789X", NULL);
		worksheet_write_string(ws, rows[i], 3, "杭州市 & <西湖区>", NULL);
		worksheet_write_number(ws, rows[i], 4, 310000 + i, NULL);
	}
	workbook_add_worksheet(wb, "第二张表");
	ok(workbook_close(wb) == LXW_NO_ERROR, "libxlsxwriter wrote the workbook");
	char *data = slurp(path, n);
	unlink(path);
	return data;
}

static void test_read(int constant_memory)
{
	size_t n = 0;
	char *data = frame_workbook(constant_memory, &n);
	struct frame_table t;
	char err[200] = "";
	const char *mode = constant_memory ? "inline strings" : "shared strings";
	int rc = xlsx_read_table(data, n, &t, err, sizeof err);
	okf(rc == 0, "%s: workbook read (%s)", mode, err);
	is_int((long long)t.nrows, 7, "title, headings and five units; empty rows skipped");
	ok(t.nrows == 7 && t.line[0] == 1 && t.line[1] == 3 && t.line[4] == 7,
	   "rows keep the numbers Excel shows (1, 3, ..., 7)");
	okf(t.nrows == 7 && strcmp(t.rows[0][0], "浙江省服务资源单位名单") == 0, "%s: text of the title", mode);
	ok(t.nrows == 7 && t.ncells[1] == 5 && strcmp(t.rows[1][2], "统一社会信用代码") == 0, "headings read");
	ok(t.nrows == 7 && strcmp(t.rows[2][3], "杭州市 & <西湖区>") == 0, "markup characters come back as text");
	ok(t.nrows == 7 && strcmp(t.rows[2][4], "310000") == 0, "a number as Excel stores it");
	ok(t.nrows == 7 && strcmp(t.rows[3][2], "") == 0, "an empty cell in the middle is \"\"");
	frame_table_free(&t);

	/* The same frame through the frame parser, with the value mapping. */
	struct frame_parse fp;
	struct platform_map pm[] = { { "浙江省中小企业公共服务平台", ST_HUB } };
	struct frame_opts o = { .pmap = pm, .npmap = 1 };
	rc = frame_parse(data, n, "resource", &o, &fp);
	is_int(rc, 0, "the XLSX frame parses");
	is_int(fp.header_row, 2, "heading row found below the title (second non-empty row)");
	is_int((long long)fp.count[ST_HUB], 2, "two hub units");
	is_int((long long)fp.count[ST_WINDOW], 3, "three window units");
	ok(fp.nunits == 5 && fp.units[2].line == 7, "row errors would name Excel's row numbers");
	ok(fp.nunits == 5 && strcmp(fp.units[0].org_code, "91330000123456789X") == 0, "optional column kept");
	frame_parse_free(&fp);
	free(data);
}

/* A zip holding the given parts (name, text pairs, NULL-terminated). */
static char *make_zip(const char *const *parts, size_t *n)
{
	char path[64];
	int zerr = 0;
	snprintf(path, sizeof path, "%s/made.zip", tmpl);
	unlink(path);
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	for (size_t i = 0; z && parts[i]; i += 2) {
		zip_source_t *s = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
		zip_file_add(z, parts[i], s, ZIP_FL_OVERWRITE);
	}
	if (z)
		zip_close(z);
	char *data = slurp(path, n);
	unlink(path);
	return data;
}

static const char wb_xml[] =
	"<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

static void test_refused(void)
{
	struct frame_table t;
	char err[200];
	size_t n;

	okf(xlsx_read_table("名称,平台\n", 14, &t, err, sizeof err) < 0 && strstr(err, "不是有效的"),
	   "not a zip: refused (%s)", err);

	const char *const nowb[] = { "hello.txt", "hi", NULL };
	char *z = make_zip(nowb, &n);
	okf(xlsx_read_table(z, n, &t, err, sizeof err) < 0 && strstr(err, "workbook.xml"),
	   "a zip without a workbook: refused (%s)", err);
	free(z);

	const char *const doctype[] = { "xl/workbook.xml", wb_xml, "xl/worksheets/sheet1.xml",
		"<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>&a;</t></is></c>"
		"</row></sheetData></worksheet>", NULL };
	z = make_zip(doctype, &n);
	okf(xlsx_read_table(z, n, &t, err, sizeof err) < 0 && strstr(err, "XML"),
	   "a DOCTYPE stops the parse (%s)", err);
	free(z);

	const char *const farcol[] = { "xl/workbook.xml", wb_xml, "xl/worksheets/sheet1.xml",
		"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>名称</t></is></c>"
		"<c r=\"ZZ1\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData></worksheet>", NULL };
	z = make_zip(farcol, &n);
	okf(xlsx_read_table(z, n, &t, err, sizeof err) < 0 && strstr(err, "多余的列"),
	   "a value beyond the last column: refused (%s)", err);
	free(z);

	const char *const badref[] = { "xl/workbook.xml", wb_xml, "xl/worksheets/sheet1.xml",
		"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row></sheetData></worksheet>", NULL };
	z = make_zip(badref, &n);
	okf(xlsx_read_table(z, n, &t, err, sizeof err) < 0 && strstr(err, "引用无效"),
	   "a shared-string index out of range: refused (%s)", err);
	free(z);

	/* No relations part, no shared strings: the default sheet path. */
	const char *const minimal[] = { "xl/workbook.xml", wb_xml, "xl/worksheets/sheet1.xml",
		"<x:worksheet xmlns:x=\"urn:x\"><x:sheetData><x:row><x:c t=\"inlineStr\"><x:is><x:r><x:t>名</x:t></x:r>"
		"<x:r><x:t>称</x:t></x:r><x:rPh><x:t>mingcheng</x:t></x:rPh></x:is></x:c><x:c t=\"b\"><x:v>1</x:v></x:c>"
		"<x:c><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>", NULL };
	z = make_zip(minimal, &n);
	int rc = xlsx_read_table(z, n, &t, err, sizeof err);
	ok(rc == 0 && t.nrows == 1 && t.ncells[0] == 3, "prefixed names, no rels, no shared strings: read");
	ok(rc == 0 && strcmp(t.rows[0][0], "名称") == 0, "rich-text runs joined, phonetic run left out");
	ok(rc == 0 && strcmp(t.rows[0][2], "2") == 0, "a formula's cached value, not the formula");
	if (rc == 0)
		frame_table_free(&t);
	free(z);

	/* A part that inflates past the limit stops while inflating. */
	size_t big = XLSX_MAX_PART + 1024;
	char *huge = xmalloc(big + 1);
	memset(huge, ' ', big);
	huge[big] = '\0';
	memcpy(huge, "<worksheet>", 11);
	const char *const bomb[] = { "xl/workbook.xml", wb_xml, "xl/worksheets/sheet1.xml", huge, NULL };
	z = make_zip(bomb, &n);
	okf(n < 1024 * 1024, "the bomb is small when compressed (%zu bytes)", n);
	okf(xlsx_read_table(z, n, &t, err, sizeof err) < 0 && strstr(err, "过大"),
	   "a part inflating past %u MB: refused (%s)", XLSX_MAX_PART / (1024u * 1024u), err);
	free(z);
	free(huge);
}

/* Random corruptions of a valid workbook: refused or read, never a crash. */
static void test_fuzz(void)
{
	size_t n = 0;
	char *good = frame_workbook(0, &n);
	unsigned seed = 10;
	int read = 0, refused = 0;
	for (int round = 0; round < 300; round++) {
		char *m = xmalloc(n);
		memcpy(m, good, n);
		int flips = 1 + round % 8;
		for (int k = 0; k < flips; k++) {
			seed = seed * 1103515245u + 12345u;
			m[(seed >> 8) % n] ^= (char)(1u << ((seed >> 4) % 8));
		}
		struct frame_table t;
		char err[200];
		if (xlsx_read_table(m, round % 50 == 49 ? n / 2 : n, &t, err, sizeof err) == 0) {
			read++;
			frame_table_free(&t);
		} else {
			refused++;
		}
		free(m);
	}
	okf(read + refused == 300, "300 corrupted workbooks: %d read, %d refused, no crash", read, refused);
	free(good);
}

int main(void)
{
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	test_read(0);
	test_read(1);
	test_refused();
	test_fuzz();
	rmdir(tmpl);
	return done_testing();
}
