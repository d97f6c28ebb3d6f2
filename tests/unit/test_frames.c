/*
 * test_frames.c - frames as offices and attackers send them (issue 18 gap
 * 1, issue 23 item 6): the one bound of a parsed frame (an 86 KB .xlsx of
 * 64 x 20,000 cells all pointing to one 1,024-byte shared string; a 21 KB
 * .xlsx of 3 million nested elements; both refused with a message naming
 * the limit, without swelling the process); the stored form of a table;
 * the heading synonyms, footers and placeholders; plausible phones; the
 * remembered mapping; and old .xls workbooks written by an independent
 * writer (Perl's Spreadsheet::WriteExcel, Debian
 * libspreadsheet-writeexcel-perl) read through FreeXL in its child.
 */
#include "csv.h"
#include "frame.h"
#include "util.h"
#include "xls.h"
#include "xlsx.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <zip.h>

static char okname[1024];
#define okf(cond, ...) do { int c_ = !!(cond); snprintf(okname, sizeof okname, __VA_ARGS__); \
                              ok(c_, okname); } while (0)

static char tmpdir[] = "/tmp/test_frames_XXXXXX";

/* A whole file (the core's bounded reader). */
static char *slurp(const char *path, size_t *n)
{
	char *data = NULL, err[300];
	return file_read_bounded(path, 64u * 1024u * 1024u, &data, n, err, sizeof err) == 0 ? data : NULL;
}

/* A workbook whose first sheet is sheet (sst: the shared strings part or
 * NULL), zipped with the best compression; returned in memory. */
static char *workbook(const char *sheet, size_t sheetn, const char *sst, size_t *n)
{
	char path[128];
	snprintf(path, sizeof path, "%s/wb.xlsx", tmpdir);
	int zerr;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	static const char wb[] = "<workbook><sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId1\" "
	                         "xmlns:r=\"r\"/></sheets></workbook>";
	static const char rels[] = "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
	                           "</Relationships>";
	zip_file_add(z, "xl/workbook.xml", zip_source_buffer(z, wb, strlen(wb), 0), 0);
	zip_file_add(z, "xl/_rels/workbook.xml.rels", zip_source_buffer(z, rels, strlen(rels), 0), 0);
	if (sst)
		zip_file_add(z, "xl/sharedStrings.xml", zip_source_buffer(z, sst, strlen(sst), 0), 0);
	zip_int64_t i = zip_file_add(z, "xl/worksheets/sheet1.xml", zip_source_buffer(z, sheet, sheetn, 0), 0);
	zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_DEFLATE, 9);
	zip_close(z);
	char *data = slurp(path, n);
	unlink(path);
	return data;
}

static long maxrss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

/* data is refused by the frame reader with a message containing want,
 * the process growing by less than mb MB meanwhile. */
static void refused(const char *data, size_t n, const char *what, const char *want, long mb)
{
	long before = maxrss_mb();
	struct frame_table t;
	char err[300] = "";
	int rc = frame_table_read(data, n, &t, err, sizeof err);
	okf(rc == -1, "%s: refused", what);
	okf(strstr(err, want) != NULL, "... the refusal names the limit: %s", err);
	okf(maxrss_mb() - before < mb, "... the process grew by %ld MB only", maxrss_mb() - before);
}

/* Issue 18 gap 1: 64 columns x 20,000 rows, every cell the one shared
 * string of 1,024 bytes (1.3 GB of cell text once expanded). */
static void test_shared_string_bomb(void)
{
	struct buf sheet = { 0 }, sst = { 0 };
	buf_puts(&sst, "<sst><si><t>");
	for (int i = 0; i < 1024; i++)
		buf_putc(&sst, 'x');
	buf_puts(&sst, "</t></si></sst>");
	buf_puts(&sheet, "<worksheet><sheetData>");
	for (int r = 1; r <= 20000; r++) {
		buf_printf(&sheet, "<row r=\"%d\">", r);
		for (int c = 0; c < 64; c++)
			buf_puts(&sheet, "<c t=\"s\"><v>0</v></c>");
		buf_puts(&sheet, "</row>");
	}
	buf_puts(&sheet, "</sheetData></worksheet>");
	size_t n;
	char *data = workbook(sheet.data, sheet.len, sst.data, &n);
	okf(n < 200 * 1024, "the shared-string workbook is small (%zu bytes)", n);
	refused(data, n, "64 x 20,000 cells of one 1,024-byte shared string", "单元格文字合计超过 4 MB（上限）", 150);
	struct frame_parse fp;
	int rc = frame_parse(data, n, "sme", NULL, &fp);
	ok(rc == -1 && strstr(fp.fatal, "上限"), "frame_parse: fatal, with the same message");
	frame_parse_free(&fp);
	free(data);
	buf_free(&sheet);
	buf_free(&sst);
}

/* Issue 18 gap 1: 3 million nested elements in a 21 KB file. */
static void test_nesting_bomb(void)
{
	struct buf sheet = { 0 };
	buf_puts(&sheet, "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is>");
	for (int i = 0; i < 3000000; i++)
		buf_put(&sheet, "<a>", 3);
	for (int i = 0; i < 3000000; i++)
		buf_put(&sheet, "</a>", 4);
	buf_puts(&sheet, "</is></c></row></sheetData></worksheet>");
	size_t n;
	char *data = workbook(sheet.data, sheet.len, NULL, &n);
	okf(n < 64 * 1024, "the nested workbook is small (%zu bytes)", n);
	refused(data, n, "3 million nested elements", "嵌套超过 32 层（上限）", 50);
	free(data);
	buf_free(&sheet);
}

static void test_bounds_and_codec(void)
{
	struct frame_table t = { 0 };
	for (unsigned i = 0; i < FRAME_MAX_ROWS; i++) {
		char **c = xcalloc(1, sizeof *c);
		c[0] = xstrdup("x");
		frame_table_add(&t, i + 1, c, 1);
	}
	char **c = xcalloc(1, sizeof *c);
	c[0] = xstrdup("one too many");
	is_int(frame_table_add(&t, 0, c, 1), -1, "a row beyond FRAME_MAX_ROWS is refused");
	is_int(t.over, FRAME_OVER_ROWS, "... naming the rows bound");
	frame_table_free(&t);

	const char *csv = "名称,备注\n\"甲\t公司\",\"两行\n文字 \\ 反斜杠\"\n乙,\n";
	char err[300];
	ok(frame_table_csv(csv, strlen(csv), &t, err, sizeof err) == 0, "CSV read");
	struct buf b = { 0 };
	frame_table_encode(&t, &b);
	struct frame_table u;
	ok(frame_table_decode(b.data, b.len, &u, err, sizeof err) == 0, "its stored form decodes");
	ok(u.nrows == 3 && u.line[1] == 2 && u.line[2] == 4 && strcmp(u.rows[1][0], "甲\t公司") == 0 &&
	   strcmp(u.rows[1][1], "两行\n文字 \\ 反斜杠") == 0 && u.ncells[2] == 2 && u.rows[2][1][0] == '\0',
	   "... to the same rows, line numbers, tabs, line breaks and backslashes");
	is_int(u.nbytes, t.nbytes, "... and the same text size");
	frame_table_free(&u);
	ok(frame_table_decode("x\tbad\n", 6, &u, err, sizeof err) < 0, "a damaged stored form is refused");
	buf_free(&b);
	frame_table_free(&t);
}

static void test_words(void)
{
	ok(fwords_count() > 50, "the word list loads");
	is_int(fwords_heading("服务机构名称"), FF_NAME, "服务机构名称 is the name");
	is_int(fwords_heading("法定代表人/联系人"), FF_CONTACT, "法定代表人/联系人 is the contact");
	is_int(fwords_heading(" *单位 名称："), FF_NAME, "blanks, * and a colon do not hide 单位名称");
	is_int(fwords_heading("E-Mail"), FF_EMAIL, "ASCII case ignored");
	is_int(fwords_heading("备注"), FF_IGNORE, "备注 is no field");
	ok(fwords_footer("填表人：张三"), "填表人：… is a footer");
	ok(fwords_footer("日期：2013年10月8日"), "日期：… is a footer");
	ok(fwords_footer("审核人:李四"), "审核人… is a footer");
	ok(!fwords_footer("注册会计师事务所"), "a name starting with 注 is no footer");
	ok(fwords_empty("暂无") && fwords_empty("无") && fwords_empty("—") && fwords_empty(" / "),
	   "暂无, 无, — and / stand for nothing");
	ok(!fwords_empty("无锡市中小企业服务中心"), "a name starting with 无 is a value");
}

static void test_phones(void)
{
	static const char *const good[] = { "13800138000", "138 0013 8000", "+86 138-0013-8000", "010-12345678",
	                                    "(010)6888-1234", "0571-88881234转123", "+86 10 1234 5678", "6888-1234",
	                                    "68881234", "400-800-1234", "010-12345678/13800138000" };
	static const char *const bad[] = { "6888-123", "12345678", "010-123", "1380013800", "0000000",
	                                   "13800138000/123" };
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		okf(frame_phone_plausible(good[i]), "plausible: %s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		okf(!frame_phone_plausible(bad[i]), "implausible: %s", bad[i]);
}

/* A real office sheet: title, headings by synonym, duplicates, a
 * placeholder, a bad phone, an empty row, footer rows. */
static void test_office_sheet(void)
{
	const char *f =
		"某省中小企业名单（2013年）,,,\n"
		"服务机构名称,法定代表人/联系人,联系电话,电子邮箱\n"
		"甲公司,张三,13800138000,a@b.cn\n"
		"乙公司,暂无,6888-123,—\n"
		",,,\n"
		"甲公司,李四,010-12345678,\n"
		"丙公司,王五,见附件,\n"
		"填表人：赵六,,,\n"
		"审核人：钱七,日期：2013年10月8日,,\n";
	struct frame_parse fp;
	int rc = frame_parse(f, strlen(f), "sme", NULL, &fp);
	is_int(rc, 1, "some rows cannot be imported: rc 1");
	is_int(fp.header_row, 2, "the heading row is found by its synonyms");
	is_int(fp.map[1], FF_CONTACT, "法定代表人/联系人 mapped to the contact");
	is_int(fp.nunits, 3, "three units can be imported (甲, 乙, 丙)");
	is_int(fp.nbad, 1, "one cannot (the second 甲公司)");
	is_int(fp.nkind[FP_FOOTER], 2, "two footer rows skipped");
	is_str(fp.units[1].contact, "", "暂无 read as empty");
	is_str(fp.units[1].email, "", "— read as empty");
	is_str(fp.units[1].phone, "6888-123", "an implausible phone is kept");
	is_str(fp.units[2].phone, "", "a phone that is no phone is left empty");
	int dup = 0, check = 0, foot = 0;
	for (size_t i = 0; i < fp.nerrs; i++) {
		const struct frame_err *e = &fp.errs[i];
		dup |= e->line == 6 && e->kind == FP_ROW && strstr(e->msg, "与第 3 行重复") != NULL;
		check |= e->line == 4 && e->kind == FP_CHECK && strstr(e->msg, "6888-123") != NULL;
		foot |= e->line == 9 && e->kind == FP_FOOTER && strstr(e->msg, "审核人") != NULL;
	}
	ok(dup, "the duplicate names its first row (Excel row 6 with row 3)");
	ok(check, "the implausible phone is flagged on row 4");
	ok(foot, "the footer on row 9 is listed as skipped");
	frame_parse_free(&fp);

	/* A wide office sheet: the name in column 18 of 20, as CSV (the
	 * same column bound as XLSX and XLS). */
	struct buf wide = { 0 };
	for (int c = 1; c <= 20; c++)
		buf_printf(&wide, "%s%s", c > 1 ? "," : "", c == 18 ? "企业名称" : c == 19 ? "联系电话" : "栏目");
	buf_puts(&wide, "\n");
	for (int c = 1; c <= 20; c++)
		buf_printf(&wide, "%s%s", c > 1 ? "," : "", c == 18 ? "宽表企业" : c == 19 ? "13800138000" : "x");
	buf_puts(&wide, "\n");
	rc = frame_parse(wide.data, wide.len, "sme", NULL, &fp);
	ok(rc == 0 && fp.ncols == 20 && fp.map[17] == FF_NAME && fp.nunits == 1 &&
	   strcmp(fp.units[0].phone, "13800138000") == 0, "a CSV of 20 columns: the name in column 18 found");
	frame_parse_free(&fp);
	buf_free(&wide);

	/* The remembered mapping: headings nobody could guess. */
	const char *odd = "说明行,,\n甲栏,乙栏,丙栏\n一号单位,x,13800138000\n";
	struct frame_memo memo = { .header_row = 2, .n = 2, .head = { "甲栏", "丙栏" }, .field = { FF_NAME, FF_PHONE } };
	struct frame_opts o = { .memo = &memo };
	rc = frame_parse(odd, strlen(odd), "sme", &o, &fp);
	is_int(rc, 0, "the remembered mapping makes an odd sheet usable");
	ok(fp.memo_used && fp.header_row == 2 && fp.map[0] == FF_NAME && fp.map[1] == FF_IGNORE &&
	   fp.map[2] == FF_PHONE, "... its heading row and columns applied");
	frame_parse_free(&fp);
}

/* An .xls written by Spreadsheet::WriteExcel from script (perl). */
static char *write_xls(const char *script, size_t *n)
{
	char path[128], cmd[8192];
	snprintf(path, sizeof path, "%s/t.xls", tmpdir);
	snprintf(cmd, sizeof cmd, "perl -MSpreadsheet::WriteExcel -e 'my $wb = Spreadsheet::WriteExcel->new(\"%s\"); "
	         "my $ws = $wb->add_worksheet(\"名单\"); %s; $wb->add_worksheet(\"第二张\"); $wb->close;'",
	         path, script);
	if (system(cmd) != 0)
		return NULL;
	char *data = slurp(path, n);
	unlink(path);
	return data;
}

static void test_xls(void)
{
	size_t n = 0;
	char *data = write_xls("use utf8; "
	                       "$ws->write(0, 0, \"某省服务资源单位名单\"); "
	                       "$ws->write_row(2, 0, [\"单位名称\", \"所属平台\", \"联系电话\", \"邮编\"]); "
	                       "$ws->write_row(3, 0, [\"甲机构\", \"枢纽平台\", 13800138000, 310000]); "
	                       "$ws->write_row(4, 0, [\"乙机构\", \"杭州市窗口平台\", \"0571-88881234\"]); "
	                       "$ws->write_row(6, 0, [\"丙机构\", \"杭州市窗口平台\"]); "
	                       "$ws->write(8, 0, \"填表人：张三\")", &n);
	ok(data != NULL, "Spreadsheet::WriteExcel wrote an .xls");
	struct frame_table t;
	char err[300] = "";
	int rc = xls_read_table(data, n, &t, err, sizeof err);
	okf(rc == 0, "the .xls is read %s", err);
	ok(t.nrows == 6 && t.line[0] == 1 && t.line[1] == 3 && t.line[4] == 7 && t.line[5] == 9,
	   "rows keep their Excel numbers; empty rows are skipped");
	ok(rc == 0 && strcmp(t.rows[2][2], "13800138000") == 0 && strcmp(t.rows[2][3], "310000") == 0,
	   "numbers read as digits, without an exponent");
	ok(rc == 0 && strcmp(t.rows[3][1], "杭州市窗口平台") == 0, "Chinese text read as UTF-8");
	frame_table_free(&t);
	struct frame_parse fp;
	rc = frame_parse(data, n, "resource", NULL, &fp);
	ok(rc == 0 && fp.header_row == 2 && fp.nunits == 3 && fp.nkind[FP_FOOTER] == 1,
	   "frame_parse: headings, three units and the footer, as for CSV and XLSX");
	frame_parse_free(&fp);

	/* Broken copies never take the worker down (the child may crash). */
	int refused = 0, read = 0;
	srand(23);
	for (int i = 0; i < 40; i++) {
		char *bad = xmalloc(n);
		memcpy(bad, data, n);
		for (int k = 0; k < 8; k++)
			bad[512 + (size_t)rand() % (n - 512)] = (char)rand();
		if (xls_read_table(bad, n, &t, err, sizeof err) == 0) {
			read++;
			frame_table_free(&t);
		} else {
			refused += err[0] != '\0';
		}
		free(bad);
	}
	okf(read + refused == 40, "40 corrupted .xls: %d read, %d refused with a message", read, refused);
	free(data);

	/* Many cells of one long shared string: the frame's bound. */
	data = write_xls("my $s = \"y\" x 1000; for my $r (0..199) { $ws->write($r, $_, $s) for 0..40 }", &n);
	rc = data ? xls_read_table(data, n, &t, err, sizeof err) : 0;
	okf(rc == -1 && strstr(err, "上限"), "8,200 cells of one 1,000-byte string in an .xls: refused (%s)", err);
	free(data);
}

int main(void)
{
	if (!mkdtemp(tmpdir))
		return 1;
	test_shared_string_bomb();
	test_nesting_bomb();
	test_bounds_and_codec();
	test_words();
	test_phones();
	test_office_sheet();
	test_xls();
	rmdir(tmpdir);
	return done_testing();
}
