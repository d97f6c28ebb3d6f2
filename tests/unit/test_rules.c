/*
 * test_rules.c - the one implementation of each domain rule: the form
 * catalog (forms.tsv), deadlines, phone and email, the CSV writer, durable
 * writes and magic bytes, upload types from the codebook's ext: rule, and
 * the typed password results.
 */
#include "auth.h"
#include "catalog.h"
#include "conf.h"
#include "csv.h"
#include "deadline.h"
#include "fileio.h"
#include "frame.h"
#include "form.h"
#include "form_int.h"
#include "tap.h"
#include "util.h"
#include "valid.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CAT_HEAD "name\tannex\trole\tdeadline\tproxy\tsampled\tlabel\tdoc\tmenu\tproxy_menu\ttitle\tintro\n"

static void test_catalog(void)
{
	char err[256] = "";
	is_int(catalog_load(err, sizeof err), 0, "the embedded forms.tsv parses");
	is_int((long long)catalog_count(), 5, "five forms (附件1-5)");
	const struct form_info *fi = catalog_get("sme");
	ok(fi && fi->role == ROLE_SME && fi->proxy && fi->sampled && fi->deadline == DK_SURVEY,
	   "sme: filled by sme, proxy entry, sampled, survey deadline");
	is_str(fi ? fi->annex : NULL, "附件5", "sme is 附件5");
	is_str(fi ? fi->path : NULL, "/form/sme", "sme path");
	fi = catalog_get("selfeval");
	ok(fi && fi->role == ROLE_REGION && !fi->proxy && fi->deadline == DK_SELFEVAL,
	   "selfeval: region, no proxy, selfeval deadline");
	ok(catalog_for_role(ROLE_HUB) == catalog_get("hub"), "the hub role fills the hub form");
	ok(catalog_for_role(ROLE_ADMIN) == NULL, "administrators fill no form");
	is_str(role_home(ROLE_WINDOW), "/form/window", "a respondent's home is its form");
	is_str(role_home(ROLE_REGION), "/region", "a region's home is its page");
	for (size_t i = 0; catalog_at(i); i++) {
		char want[16];
		snprintf(want, sizeof want, "附件%zu", i + 1);
		is_str(catalog_at(i)->annex, want, "annexes number the rows");
	}

	static const struct { const char *row, *why; } bad[] = {
		{ "Sme\t附件1\tsme\tdeadline_survey\tn\tn\tL\tD\tM\t\tT\t\n", "upper-case name" },
		{ "sme\t附件2\tsme\tdeadline_survey\tn\tn\tL\tD\tM\t\tT\t\n", "annex out of order" },
		{ "sme\t附件1\tadmin\tdeadline_survey\tn\tn\tL\tD\tM\t\tT\t\n", "not a respondent role" },
		{ "sme\t附件1\tsme\tsoon\tn\tn\tL\tD\tM\t\tT\t\n", "unknown deadline kind" },
		{ "sme\t附件1\tsme\tdeadline_survey\tyes\tn\tL\tD\tM\t\tT\t\n", "proxy not y/n" },
		{ "sme\t附件1\tsme\tdeadline_survey\ty\tn\tL\tD\tM\t\tT\t\n", "proxy without proxy_menu" },
		{ "sme\t附件1\tsme\tdeadline_survey\tn\tn\tL\tD\tM\tX\tT\t\n", "proxy_menu without proxy" },
		{ "sme\t附件1\tregion\tdeadline_survey\ty\tn\tL\tD\tM\tX\tT\t\n", "a region form with proxy entry" },
		{ "sme\t附件1\tsme\tdeadline_survey\tn\tn\t\tD\tM\t\tT\t\n", "empty label" },
		{ "sme\t附件1\tsme\tdeadline_survey\tn\tn\tL\tD\tM\t\tT\n", "too few columns" },
		{ "sme\t附件1\tsme\tdeadline_survey\tn\tn\tL\tD\tM\t\tT\t\t\n", "too many columns" },
		{ "sme\t附件1\tsme\tdeadline_survey\tn\tn\tL\tD\tM\t\tT\t\n"
		  "sme\t附件2\thub\tdeadline_survey\tn\tn\tL\tD\tM\t\tT\t\n", "duplicate name" },
		{ "sme\t附件1\tsme\tdeadline_survey\tn\tn\tL\tD\tM\t\tT\t\n"
		  "smf\t附件2\tsme\tdeadline_survey\tn\tn\tL\tD\tM\t\tT\t\n", "two forms for one role" },
	};
	for (size_t i = 0; i < NELEMS(bad); i++) {
		struct buf b;
		buf_init(&b);
		buf_printf(&b, "%s%s", CAT_HEAD, bad[i].row);
		is_int(catalog_parse(b.data, err, sizeof err), -1, bad[i].why);
		buf_free(&b);
	}
	is_int(catalog_parse("name\tannex\n", err, sizeof err), -1, "bad header");
	is_int(catalog_parse(CAT_HEAD, err, sizeof err), -1, "no forms");
	is_int(catalog_parse(CAT_HEAD "sme\t附件1\tsme\tdeadline_survey\ty\ty\t中小企业\t中小企业调查表\t中小企业调查表\t代录\t标题\t\n",
	                     err, sizeof err), 0, "a one-form catalog parses");
	is_int((long long)catalog_count(), 1, "... and replaces the catalog");
	catalog_free();
	is_int((long long)catalog_count(), 5, "after a free, the embedded catalog is loaded on first use");
}

static void test_deadlines(void)
{
	char out[DEADLINE_LEN];
	struct conf c;

	is_int(deadline_normalise("2013-11-25", out), 0, "bare date accepted");
	is_str(out, "2013-11-25 23:59:59", "... as the end of that day");
	is_int(deadline_normalise("2013-12-10T08:30", out), 0, "datetime-local accepted");
	is_str(out, "2013-12-10 08:30:00", "... seconds added");
	is_int(deadline_normalise("2013-12-10 08:30:15", out), 0, "full form accepted");
	is_str(out, "2013-12-10 08:30:15", "... unchanged");
	is_int(deadline_normalise("", out), 0, "empty: no deadline");
	is_str(out, "", "... stays empty");
	is_int(deadline_normalise("2013-02-29", out), -1, "no 29 February in 2013");
	is_int(deadline_normalise("2016-02-29", out), 0, "29 February 2016");
	is_int(deadline_normalise("2013-11-25 24:00:00", out), -1, "hour 24 refused");
	is_int(deadline_normalise("2013/11/25", out), -1, "slashes refused");
	is_int(deadline_normalise(NULL, out), -1, "NULL refused");

	/* 2013-11-25 12:00:00 in the process's zone. */
	struct tm tm = { .tm_year = 113, .tm_mon = 10, .tm_mday = 25, .tm_hour = 12, .tm_isdst = -1 };
	time_t noon = mktime(&tm);
	ok(!deadline_passed_at("2013-11-25", noon), "a bare date is open until the end of the day");
	ok(deadline_passed_at("2013-11-25 11:59:59", noon), "a second before noon has passed");
	ok(!deadline_passed_at("2013-11-25 12:00:00", noon), "the deadline second itself is still open");
	ok(!deadline_passed_at("", noon), "no deadline never passes");
	ok(!deadline_passed_at(NULL, noon), "NULL never passes");

	memset(&c, 0, sizeof c);
	c.deadline_survey = "2013-11-25 23:59:59";
	c.deadline_selfeval = "2013-11-30";
	deadline_default(&c, "sme", out);
	is_str(out, "2013-11-25 23:59:59", "sme: the survey deadline");
	deadline_default(&c, "resource", out);
	is_str(out, "2013-11-25 23:59:59", "resource: the survey deadline");
	deadline_default(&c, "selfeval", out);
	is_str(out, "2013-11-30 23:59:59", "selfeval: its own deadline, normalised");
	is_int(deadline_get(NULL, &c, "hub", "110000", out), 0, "without a database: the default");
	is_str(out, "2013-11-25 23:59:59", "... the survey deadline");

	struct deadlines d;
	is_int(deadlines_for_region(NULL, &c, NULL, &d), 0, "all forms' defaults at once");
	is_str(deadlines_of(&d, "selfeval"), "2013-11-30 23:59:59", "... selfeval");
	is_str(deadlines_of(&d, "sme"), "2013-11-25 23:59:59", "... sme");
	is_str(deadlines_of(&d, "nosuch"), "", "... unknown form: none");
}

static void test_phone_email(void)
{
	static const char *const good_phones[] = {
		"010-68460437", "(010)68205319转8", "010-68460437/13126779439", "13800138000, 010-12345678",
		"+86 10 6846 0437", "1234567",
	};
	static const char *const bad_phones[] = {
		"123456", "010-6846x437", "", "12-ab", "1234567890123456789012345678901",
		"------1", "010_68460437",
	};
	for (size_t i = 0; i < NELEMS(good_phones); i++)
		ok(phone_valid(good_phones[i]), good_phones[i]);
	for (size_t i = 0; i < NELEMS(bad_phones); i++)
		ok(!phone_valid(bad_phones[i]), bad_phones[i]);
	is_int(phone_check("010-6846x437"), PHONE_BAD_CHAR, "a letter is a bad character");
	is_int(phone_check("12345"), PHONE_BAD_LENGTH, "too few digits is a length problem");
	is_int(phone_check(NULL), PHONE_BAD_LENGTH, "NULL: nothing typed");
	ok(phone_valid("123456789012345678901234567890"), "30 characters accepted");
	ok(phone_valid("0755-8888 9999"), "a dash and a space");

	static const char *const good_mails[] = {
		"a.b@example.com.cn", "li.si+x@example.com.cn", "张三@例子.中国",
	};
	static const char *const bad_mails[] = {
		"a@b", "@b.cn", "a b@c.cn", "a@@b.cn", "a@b.cn.", "a@.b.cn", "a@b..cn", "a<b@c.cn",
		"a@-b.cn", "", "bad@", "\xff@b.cn",
	};
	for (size_t i = 0; i < NELEMS(good_mails); i++)
		ok(email_valid(good_mails[i]), good_mails[i]);
	for (size_t i = 0; i < NELEMS(bad_mails); i++)
		ok(!email_valid(bad_mails[i]), bad_mails[i]);
	ok(!email_valid(NULL), "NULL email refused");

	/* One postcode rule (zip fields, the digits6 check, frames' 邮编). */
	ok(postcode_valid("100081") && !postcode_valid("10008") && !postcode_valid("1000811") &&
	   !postcode_valid("10008a") && !postcode_valid("１０００８１") && !postcode_valid(""),
	   "postcode: exactly 6 ASCII digits");

	/* One upload-filename cleaner (answers' files, sample frames). */
	char *n = upload_filename("C:\\Users\\李\\报告.pdf", "upload.pdf");
	is_str(n, "报告.pdf", "upload name: the last path component");
	free(n);
	n = upload_filename("a\tb\001c.csv", "x");
	is_str(n, "abc.csv", "upload name: control characters dropped");
	free(n);
	n = upload_filename("dir/\xff\xfe.csv", "样本框文件");
	is_str(n, "样本框文件", "upload name: not UTF-8: the fallback");
	free(n);
	char longname[300];
	memset(longname, 'a', 199);
	strcpy(longname + 199, "中.pdf");
	n = upload_filename(longname, "x");
	is_int((long long)strlen(n), 199, "upload name: at most 200 bytes, never half a character");
	free(n);
}

static void test_csv_writer(void)
{
	struct buf b;
	static const char *const row[] = { "plain", "a,b", "say \"hi\"", "=1+1", "-12.5", "-x", "@SUM(A1)",
	                                   "+1", "\tx", "\rx", NULL, "多行\n文本" };
	buf_init(&b);
	csv_put_row(&b, row, NELEMS(row), CSV_QUOTE_MINIMAL);
	is_str(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"'=1+1\",-12.5,\"'-x\",\"'@SUM(A1)\","
	       "\"'+1\",\"'\tx\",\"'\rx\",,\"多行\n文本\"\r\n",
	       "minimal quoting; formulas neutralised, numbers kept");
	buf_reset(&b);
	static const char *const two[] = { "a", "=b" };
	csv_put_row(&b, two, 2, CSV_QUOTE_ALL);
	is_str(b.data, "\"a\",\"'=b\"\r\n", "every cell quoted, formula neutralised");
	ok(csv_is_number("-3") && csv_is_number("0.25") && !csv_is_number("1.") && !csv_is_number("-"),
	   "plain numbers");
	buf_free(&b);
}

static void test_files(void)
{
	char dir[] = "/tmp/test_rules.XXXXXX", path[128];
	static const unsigned char ole2[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };

	is_int(file_magic("%PDF-1.7", 8), FM_PDF, "PDF magic");
	is_int(file_magic(ole2, 8), FM_OLE2, "OLE2 magic");
	is_int(file_magic("PK\x03\x04rest", 8), FM_ZIP, "zip magic");
	is_int(file_magic("<html>", 6), FM_UNKNOWN, "HTML is no document");
	is_int(file_magic("%PD", 3), FM_UNKNOWN, "too short");

	ok(mkdtemp(dir) != NULL, "temporary directory");
	snprintf(path, sizeof path, "%s/f", dir);
	is_int(file_write_durable(path, "hello", 5, 0600), 0, "durable write");
	is_int(file_write_durable(path, "bye", 3, 0600), 0, "durable rewrite replaces");
	{
		char got[16] = "";
		struct stat st;
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, got, sizeof got - 1) : -1;
		if (fd >= 0)
			close(fd);
		is_int(n, 3, "the whole new content");
		is_str(got, "bye", "... and only it");
		ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600");
	}
	snprintf(path, sizeof path, "%s/missing/f", dir);
	is_int(file_write_durable(path, "x", 1, 0600), -1, "a missing directory is an error");
	snprintf(path, sizeof path, "%s/f", dir);
	unlink(path);
	rmdir(dir);
}

static void test_upload_types(void)
{
	struct form f = { .name = "up" };
	char err[256] = "";
	const char *head = "code\tsection\tlabel\ttype\toptions\tunit\trequired\trule\n";
	struct buf b, t;

	buf_init(&b);
	buf_printf(&b, "%sf\tS\t文件\tfile\t\t\tn\text:PDF,docx\n", head);
	is_int(form_parse(&f, b.data, err, sizeof err), 0, "ext: with known types parses");
	buf_init(&t);
	form_ext_text(&f.fields[0], &t);
	is_str(t.data, "PDF 或 DOCX", "the types as users read them, from ext:");
	ok(form_ext_rule(&f.fields[0]) && !strcmp(form_ext_rule(&f.fields[0])->ext[0], "pdf"),
	   "extensions lower-cased");
	buf_free(&t);
	form_free(&f);

	buf_reset(&b);
	buf_printf(&b, "%sf\tS\t文件\tfile\t\t\tn\t\n", head);
	is_int(form_parse(&f, b.data, err, sizeof err), -1, "a file field needs ext:");
	form_free(&f);
	buf_reset(&b);
	buf_printf(&b, "%sf\tS\t文件\tfile\t\t\tn\text:exe\n", head);
	is_int(form_parse(&f, b.data, err, sizeof err), -1, "ext: naming an unchecked type refused");
	form_free(&f);
	buf_free(&b);

	ok(upload_type_of("wps") && upload_type_of("wps")->magic == FM_OLE2, "wps is OLE2");
	ok(upload_type_of("docx") && upload_type_of("docx")->magic == FM_ZIP, "docx is a zip");
	ok(upload_type_of("exe") == NULL, "exe is unknown");
}

static void test_password_results(void)
{
	is_int(password_check("short"), PW_TOO_SHORT, "short");
	is_int(password_check("\xff\xfe long enough bytes"), PW_BAD_CHARS, "invalid UTF-8");
	is_int(password_check("十二个汉字的密码也可以用吗"), PW_OK, "12 CJK characters");
	ok(pw_message(PW_OK) == NULL, "no message for success");
	for (int i = 1; i < PW_RESULT_COUNT; i++)
		ok(pw_message((enum pw_result)i) && *pw_message((enum pw_result)i), "every failure has a message");
	is_str(password_policy("short"), pw_message(PW_TOO_SHORT), "password_policy reads the table");
}

int main(void)
{
	test_catalog();
	test_deadlines();
	test_phone_email();
	test_csv_writer();
	test_files();
	test_upload_types();
	test_password_results();
	return done_testing();
}
