/*
 * test_forms.c - the form engine: codebook parsing, normalisation,
 * validation, collection from a POST and the wide export.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "http.h"
#include "tap.h"
#include "util.h"

/* Validate f with the given code/value pairs (NULL-terminated list). */
static size_t run(const struct form *f, const char *const *kv, struct answers *clean,
                  struct fcheck *chk)
{
	struct answers raw;
	size_t n;
	answers_init(&raw, f);
	for (size_t i = 0; kv[i]; i += 2) {
		int fi = form_field_index(f, kv[i]);
		if (fi < 0) {
			printf("# unknown code %s\n", kv[i]);
			continue;
		}
		answers_set(&raw, (size_t)fi, kv[i + 1]);
	}
	n = form_validate(f, &raw, clean, chk);
	answers_free(&raw);
	return n;
}

static const char *err_of(const struct form *f, const struct fcheck *chk, const char *code)
{
	return fcheck_error(chk, form_field_index(f, code));
}

static const char *warn_of(const struct form *f, const struct fcheck *chk, const char *code)
{
	return fcheck_warning(chk, form_field_index(f, code));
}

static int applicable(const struct form *f, const struct fcheck *chk, const char *code)
{
	return chk->applicable[form_field_index(f, code)];
}

/* One field of a synthetic form: accept/reject of a single value. */
static const char *TYPES_TSV =
	"code\tsection\tlabel\ttype\toptions\tunit\trequired\trule\n"
	"t_text\tA\t文本\ttext\t\t\tn\t\n"
	"t_area\tA\t多行\ttextarea\t\t\tn\t\n"
	"t_org\tA\t单位名称\torg_name\t\t\tn\t\n"
	"t_int\tA\t人数\tint\t\t人\tn\t>=0\n"
	"t_dec\tA\t金额\tdecimal\t\t万元\tn\t\n"
	"t_pct\tA\t比例\tpercent\t\t%\tn\t0..100\n"
	"t_date\tA\t日期\tdate\t\t\tn\t<= 2013-11-30; >= 1900-01-01\n"
	"t_mail\tA\t邮箱\temail\t\t\tn\temail\n"
	"t_tel\tA\t电 话\tphone\t\t\tn\tphone\n"
	"t_zip\tA\t邮编\tzip\t\t\tn\tdigits6\n"
	"t_one\tA\t单选\tsingle\t1=甲 | 2=乙 | 3=丙\t\tn\t\n"
	"t_many\tA\t多选\tmulti\t1=甲 | 2=乙 | 3=丙 | 9=其他\t\tn\tcount 1..2\n"
	"t_rank\tA\t排序\trank\t1=甲 | 2=乙 | 3=丙 | 4=丁\t\tn\tcount 1..3\n"
	"t_other\tA\t其他 (请注明)\tother_text\t\t\ty\tif t_many has 9\n"
	"t_file\tA\t文件\tfile\t\t\tn\text:pdf,docx\n"
	"t_req\tA\t必填\ttext\t\t\ty\t\n";

static int accepts(const struct form *f, const char *code, const char *value)
{
	const char *kv[] = { "t_req", "x", code, value, NULL };
	struct answers clean;
	struct fcheck chk;
	size_t n = run(f, kv, &clean, &chk);
	answers_free(&clean);
	fcheck_free(&chk);
	return n == 0;
}

static char *clean_of(const struct form *f, const char *code, const char *value)
{
	const char *kv[] = { code, value, NULL };
	struct answers clean;
	struct fcheck chk;
	char *v;
	run(f, kv, &clean, &chk);
	v = clean.v[form_field_index(f, code)] ? xstrdup(clean.v[form_field_index(f, code)]) : NULL;
	answers_free(&clean);
	fcheck_free(&chk);
	return v;
}

static void test_types(void)
{
	struct form f = { .name = "types" };
	char err[256] = "";
	char *s;
	char big[700];

	is_int(form_parse(&f, TYPES_TSV, err, sizeof err), 0, "synthetic form parses");
	if (err[0])
		diag(err);

	ok(accepts(&f, "t_text", "普通文本"), "text accepts");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	ok(!accepts(&f, "t_text", big), "text rejects over-long");
	ok(!accepts(&f, "t_text", "a\001b"), "text rejects control characters");
	ok(accepts(&f, "t_area", "第一行\n第二行"), "textarea accepts newlines");
	ok(accepts(&f, "t_org", "北京某某（集团）有限公司"), "org_name accepts");
	s = clean_of(&f, "t_org", "  北京（集团）有限公司　");
	is_str(s, "北京（集团）有限公司", "org_name: trimmed, full-width brackets kept");
	free(s);

	ok(accepts(&f, "t_int", "12"), "int accepts 12");
	ok(accepts(&f, "t_int", "０"), "int accepts full-width 0");
	ok(!accepts(&f, "t_int", "1.5"), "int rejects 1.5");
	ok(!accepts(&f, "t_int", "1,000"), "int rejects thousands separator");
	ok(!accepts(&f, "t_int", "+5"), "int rejects leading +");
	ok(!accepts(&f, "t_int", "-3"), "int >=0 rejects -3");
	ok(!accepts(&f, "t_int", "abc"), "int rejects letters");
	ok(!accepts(&f, "t_int", "1234567890123"), "int rejects 13 digits");

	ok(accepts(&f, "t_dec", "123.4567"), "decimal accepts 4 decimals");
	ok(accepts(&f, "t_dec", "-12.5"), "decimal without >=0 accepts negative (profit)");
	ok(!accepts(&f, "t_dec", "1.23456"), "decimal rejects 5 decimals");
	ok(!accepts(&f, "t_dec", "1."), "decimal rejects trailing dot");
	s = clean_of(&f, "t_dec", "１２３．５");
	is_str(s, "123.5", "decimal: full-width digits and dot folded");
	free(s);

	ok(accepts(&f, "t_pct", "99.99"), "percent accepts 99.99");
	ok(accepts(&f, "t_pct", "100"), "percent accepts 100");
	ok(accepts(&f, "t_pct", "45%"), "percent accepts a trailing %");
	ok(!accepts(&f, "t_pct", "100.01"), "percent rejects 100.01");
	ok(!accepts(&f, "t_pct", "0.123"), "percent rejects 3 decimals");
	ok(!accepts(&f, "t_pct", "-1"), "percent rejects -1");
	{
		const char *kv[] = { "t_pct", "150", NULL };
		struct answers clean;
		struct fcheck chk;
		run(&f, kv, &clean, &chk);
		is_str(err_of(&f, &chk, "t_pct"), "百分比应在 0 到 100 之间", "percent range message");
		answers_free(&clean);
		fcheck_free(&chk);
	}

	ok(accepts(&f, "t_date", "2008-02-29"), "date accepts leap day");
	ok(accepts(&f, "t_date", "2008-05"), "date accepts YYYY-MM");
	ok(accepts(&f, "t_date", "2008"), "date accepts YYYY");
	ok(accepts(&f, "t_date", "２０１３－１１－３０"), "date accepts full-width boundary");
	ok(!accepts(&f, "t_date", "2013-12-01"), "date <= 2013-11-30 rejects 2013-12-01");
	ok(!accepts(&f, "t_date", "2013-12"), "partial date compares as its first day");
	ok(!accepts(&f, "t_date", "2007-02-29"), "date rejects 2007-02-29");
	ok(!accepts(&f, "t_date", "2008/05/01"), "date rejects slashes");
	ok(!accepts(&f, "t_date", "1899-12-31"), "date rejects out-of-range year");
	{
		const char *kv[] = { "t_date", "2014-01-01", NULL };
		struct answers clean;
		struct fcheck chk;
		run(&f, kv, &clean, &chk);
		is_str(err_of(&f, &chk, "t_date"), "不能晚于 2013-11-30", "date comparison message");
		answers_free(&clean);
		fcheck_free(&chk);
	}

	ok(accepts(&f, "t_mail", "a.b@example.com.cn"), "email accepts");
	ok(accepts(&f, "t_mail", "ａ＠ｂ．ｃｎ"), "email accepts full-width folded");
	ok(!accepts(&f, "t_mail", "a@b"), "email rejects domain without dot");
	ok(!accepts(&f, "t_mail", "@b.cn"), "email rejects empty local part");
	ok(!accepts(&f, "t_mail", "a b@c.cn"), "email rejects spaces");
	ok(!accepts(&f, "t_mail", "a@@b.cn"), "email rejects two @");

	ok(accepts(&f, "t_tel", "010-68460437"), "phone accepts");
	ok(accepts(&f, "t_tel", "（０１０）６８２０５３１９转８"), "phone accepts full-width and 转");
	ok(accepts(&f, "t_tel", "010-68460437/13126779439"), "phone accepts two numbers");
	ok(!accepts(&f, "t_tel", "12345"), "phone rejects 5 digits");
	ok(!accepts(&f, "t_tel", "010-6846x437"), "phone rejects letters");

	ok(accepts(&f, "t_zip", "100804"), "zip accepts");
	ok(accepts(&f, "t_zip", "１００８０４"), "zip accepts full-width");
	ok(!accepts(&f, "t_zip", "10080"), "zip rejects 5 digits");
	ok(!accepts(&f, "t_zip", "1008045"), "zip rejects 7 digits");

	ok(accepts(&f, "t_one", "2"), "single accepts an option");
	ok(!accepts(&f, "t_one", "4"), "single rejects an unknown option");

	ok(accepts(&f, "t_many", "1,3"), "multi accepts two");
	ok(!accepts(&f, "t_many", "1,2,3"), "multi count 1..2 rejects three");
	ok(!accepts(&f, "t_many", "1,1"), "multi rejects repeats");
	ok(!accepts(&f, "t_many", "1,5"), "multi rejects unknown option");
	s = clean_of(&f, "t_many", "3,1");
	is_str(s, "1,3", "multi stored ascending");
	free(s);

	ok(accepts(&f, "t_rank", "3,1"), "rank accepts");
	ok(!accepts(&f, "t_rank", "3,1,2,4"), "rank count 1..3 rejects four");
	ok(!accepts(&f, "t_rank", "3,3"), "rank rejects repeats");
	s = clean_of(&f, "t_rank", "3,1,2");
	is_str(s, "3,1,2", "rank stored in rank order");
	free(s);

	ok(accepts(&f, "t_file", "sha256:" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" ":报告.PDF"),
	   "file accepts a stored pdf value (extension case-insensitive)");
	ok(!accepts(&f, "t_file", "sha256:" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" ":报告.doc"),
	   "file rejects an extension outside ext:");
	ok(!accepts(&f, "t_file", "whatever.pdf"), "file rejects a malformed value");

	/* other_text: required only when option 9 is chosen. */
	{
		const char *kv[] = { "t_req", "x", "t_many", "9", NULL };
		struct answers clean;
		struct fcheck chk;
		run(&f, kv, &clean, &chk);
		is_str(err_of(&f, &chk, "t_other"), "请填写此项", "other_text required when its option is chosen");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	{
		const char *kv[] = { "t_req", "x", "t_many", "1", "t_other", "陈旧", NULL };
		struct answers clean;
		struct fcheck chk;
		is_int(run(&f, kv, &clean, &chk), 0, "other_text not applicable without option 9");
		ok(clean.v[form_field_index(&f, "t_other")] == NULL, "stale other_text dropped");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	{
		const char *kv[] = { "t_req", "　 ", NULL };
		struct answers clean;
		struct fcheck chk;
		run(&f, kv, &clean, &chk);
		is_str(err_of(&f, &chk, "t_req"), "请填写此项", "white space only counts as empty");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	{
		const char *kv[] = { "t_req", "x", "t_text", "\xff\xfe", NULL };
		struct answers clean;
		struct fcheck chk;
		run(&f, kv, &clean, &chk);
		is_str(err_of(&f, &chk, "t_text"), "包含无效字符", "invalid UTF-8 reported");
		ok(clean.v[form_field_index(&f, "t_text")] == NULL, "invalid UTF-8 never stored");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	form_free(&f);
}

static void test_parse_errors(void)
{
	static const struct { const char *rule, *why; } bad[] = {
		{ ">= nosuch", "unknown field" },
		{ "if nosuch", "unknown if field" },
		{ "<=> 3", "bad operator" },
		{ "0..", "incomplete range" },
		{ "5..1", "inverted range" },
		{ "count 1..2", "count on a non-multi" },
		{ "ext:pdf", "ext on a non-file" },
		{ "if a has 9", "has on a non-multi" },
		{ "if a=x", "if with a non-number" },
		{ ">= a +", "dangling plus" },
		{ "foo", "unknown check" },
		{ ">=0;>=1", "clause separator without space" },
		{ "if b", "if cycle (b refers back to a)" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct buf b;
		struct form f = { .name = "bad" };
		char err[256] = "";
		buf_init(&b);
		buf_puts(&b, "code\tsection\tlabel\ttype\toptions\tunit\trequired\trule\n");
		buf_printf(&b, "a\tS\tA\tint\t\t人\ty\t%s\n", bad[i].rule);
		buf_puts(&b, "b\tS\tB\tint\t\t人\ty\tif a\n");
		is_int(form_parse(&f, b.data, err, sizeof err), -1, bad[i].why);
		form_free(&f);
		buf_free(&b);
	}
	{
		struct form f = { .name = "bad" };
		char err[256] = "";
		is_int(form_parse(&f, "code\tsection\tlabel\ttype\toptions\tunit\trequired\trule\n"
		                      "a\tS\tA\tbogus\t\t\ty\t\n", err, sizeof err), -1, "unknown type");
		form_free(&f);
		is_int(form_parse(&f, "code\tsection\tlabel\ttype\toptions\tunit\trequired\trule\n"
		                      "a\tS\tA\ttext\t\t\ty\t\na\tS\tA\ttext\t\t\ty\t\n", err, sizeof err),
		       -1, "duplicate code");
		form_free(&f);
		is_int(form_parse(&f, "code\tsection\tlabel\ttype\toptions\tunit\trequired\trule\n"
		                      "a__b\tS\tA\ttext\t\t\ty\t\n", err, sizeof err), -1, "__ in a code");
		form_free(&f);
		is_int(form_parse(&f, "code\tsection\tlabel\ttype\toptions\tunit\trequired\trule\n"
		                      "a\tS\tA\tsingle\t\t\ty\t\n", err, sizeof err), -1, "single without options");
		form_free(&f);
		is_int(form_parse(&f, "code\tsection\tlabel\ttype\toptions\tunit\trequired\trule\n"
		                      "a\tS\tA\ttext\tS\n", err, sizeof err), -1, "too few columns");
		form_free(&f);
	}
}

static void test_codebooks(void)
{
	static const struct { const char *name; size_t rows; enum role role; } want[] = {
		{ "selfeval", 46, ROLE_REGION }, { "hub", 154, ROLE_HUB }, { "window", 153, ROLE_WINDOW },
		{ "resource", 50, ROLE_RESOURCE }, { "sme", 27, ROLE_SME },
	};
	char err[256] = "";
	int rc = forms_load(err, sizeof err);
	is_int(rc, 0, "all five codebooks parse (every rule)");
	if (rc)
		diag(err);
	for (size_t i = 0; i < 5; i++) {
		const struct form *f = form_get(want[i].name);
		char name[64];
		snprintf(name, sizeof name, "%s has %zu rows", want[i].name, want[i].rows);
		ok(f && f->nfields == want[i].rows, name);
		snprintf(name, sizeof name, "%s role", want[i].name);
		ok(f && f->role == want[i].role, name);
	}
	ok(form_get("nosuch") == NULL, "unknown form is NULL");
	ok(form_get("selfeval")->has_file, "selfeval has a file field");
	is_str(form_option_label(form_field(form_get("sme"), "q8_response"), "5"), "没有响应",
	       "option label lookup");
	{
		char *l = form_display_label("设施、设 备租赁及 维护费 / 2013 年");
		is_str(l, "设施、设备租赁及维护费 / 2013 年", "display label collapses CJK line-wrap spaces");
		free(l);
	}
	{
		char *s = form_fold("　（０１０）ＡＢｃ＠１２３　");
		is_str(s, "(010)ABc@123", "fold full-width ASCII and U+3000, trim");
		free(s);
	}
}

static void test_resource(void)
{
	const struct form *f = form_get("resource");
	struct answers clean;
	struct fcheck chk;
	/* A complete, consistent 附件4 response. */
	const char *base[] = {
		"q1_name", "某服务机构", "q1_addr", "北京市", "q1_zip", "100000", "q1_contact", "张三",
		"q1_tel", "010-12345678", "q2_org_type", "1", "q3_staff", "2", "q4_qualified", "2",
		"q5_aware", "1", "q6_coop", "2", "q7_agreement", "2", "q9_free_share", "1",
		"q9_subsidy", "2", "q10_impact", "2", "q11_volume_share", "1", "q12_income_share", "1",
		"q13_free_cost_share", "1", "q14_brand", "2", "q15_referred", "2", "q16_clients", "1",
		"q17_repeat", "1", "q19_continue", "1", "q19_yes_reasons", "1,2", NULL
	};
	size_t n = run(f, base, &clean, &chk);
	is_int(n, 0, "complete resource response has no errors");
	for (size_t i = 0; i < chk.n; i++)
		diag(chk.items[i].msg);
	ok(!applicable(f, &chk, "q6_services"), "Q6 services hidden when q6_coop=2");
	ok(!applicable(f, &chk, "q8_terms"), "Q8 hidden without agreement");
	ok(!applicable(f, &chk, "q16_integrity"), "Q16 integrity hidden when 没有 clients");
	ok(!applicable(f, &chk, "q18_1_name"), "Q18 hidden without agreement");
	ok(!applicable(f, &chk, "q19_no_reasons"), "Q19 no-reasons hidden when continue=1");
	ok(applicable(f, &chk, "q19_yes_reasons"), "Q19 yes-reasons shown when continue=1");
	answers_free(&clean);
	fcheck_free(&chk);

	{
		const char *kv[64];
		size_t k = 0;
		for (; base[k]; k++)
			kv[k] = base[k];
		/* Switch on Q6, Q7 (agreement), Q16 and Q19=2 without answering the follow-ups. */
		kv[k++] = "q6_coop"; kv[k++] = "1";
		kv[k++] = "q7_agreement"; kv[k++] = "1";
		kv[k++] = "q16_clients"; kv[k++] = "2";
		kv[k++] = "q19_continue"; kv[k++] = "2";
		kv[k++] = "q19_no_reasons"; kv[k++] = "1,4";
		kv[k] = NULL;
		/* Later pairs override earlier ones in run(). */
		n = run(f, kv, &clean, &chk);
		is_str(err_of(f, &chk, "q6_services"), "请至少选择一项", "Q6 services required when coop=1");
		is_str(err_of(f, &chk, "q8_terms"), "请选择一项", "Q8 required when agreement=1");
		is_str(err_of(f, &chk, "q16_integrity"), "请选择一项", "Q16 integrity required when clients!=1");
		is_str(err_of(f, &chk, "q18_1_name"), "请填写此项", "Q18 row 1 required when agreement=1");
		ok(err_of(f, &chk, "q18_2_name") == NULL, "Q18 row 2 optional");
		ok(!applicable(f, &chk, "q18_2_name"), "Q18 row 2 waits for row 1");
		is_str(err_of(f, &chk, "q19_no_other"), "请填写此项", "Q19 其他 text required when option 4");
		ok(!applicable(f, &chk, "q19_yes_reasons"), "Q19 yes-reasons hidden when continue=2");
		ok(clean.v[form_field_index(f, "q19_yes_reasons")] == NULL, "stale Q19 yes-reasons dropped");
		is_int(n, 5, "exactly five errors");
		answers_free(&clean);
		fcheck_free(&chk);

		kv[k++] = "q18_1_name"; kv[k++] = "某枢纽平台";
		kv[k++] = "q18_2_name"; kv[k++] = "某窗口平台";
		kv[k++] = "q18_2_sat"; kv[k++] = "3";
		kv[k] = NULL;
		run(f, kv, &clean, &chk);
		is_str(err_of(f, &chk, "q18_1_sat"), "请选择一项", "Q18 sat required when its row has a name");
		ok(err_of(f, &chk, "q18_2_sat") == NULL, "Q18 row 2 complete");
		ok(applicable(f, &chk, "q18_3_name") && !applicable(f, &chk, "q18_3_sat"),
		   "Q18 row 3 name open, sat closed");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	{
		/* A hidden parent hides its children even with stale values. */
		const char *kv[] = { "q7_agreement", "2", "q18_1_name", "旧值", "q18_1_sat", "2",
		                     "q18_2_name", "旧值", NULL };
		run(f, kv, &clean, &chk);
		ok(!applicable(f, &chk, "q18_1_sat") && !applicable(f, &chk, "q18_2_name"),
		   "children of a hidden field are hidden too");
		ok(clean.v[form_field_index(f, "q18_1_name")] == NULL &&
		   clean.v[form_field_index(f, "q18_1_sat")] == NULL, "their stale values are dropped");
		answers_free(&clean);
		fcheck_free(&chk);
	}
}

static void test_hub(void)
{
	const struct form *f = form_get("hub");
	struct answers clean;
	struct fcheck chk;
	{
		const char *kv[] = { "s1_assets_y2010", "100", "s1_assets_svc_y2010", "100.0001", NULL };
		run(f, kv, &clean, &chk);
		ok(err_of(f, &chk, "s1_assets_svc_y2010") != NULL, "其中 > total rejected");
		if (err_of(f, &chk, "s1_assets_svc_y2010"))
			is_str(err_of(f, &chk, "s1_assets_svc_y2010"),
			       "不能大于 「资产总额 / 2010 年」（该项目前为 100）", "其中 message names the total");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	{
		const char *kv[] = { "s1_assets_svc_y2012", "50", NULL };
		run(f, kv, &clean, &chk);
		ok(err_of(f, &chk, "s1_assets_svc_y2012") == NULL, "其中 check skipped while the total is empty");
		is_str(err_of(f, &chk, "s1_assets_y2012"), "请填写此项", "but the 2012 total is required");
		ok(err_of(f, &chk, "s1_assets_y2010") == NULL, "the 2010 total is optional (revision 2)");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	{
		const char *kv[] = { "s1_area_y2010", "100", "s1_area_own_y2010", "60", "s1_area_rent_y2010", "50", NULL };
		run(f, kv, &clean, &chk);
		ok(err_of(f, &chk, "s1_area_y2010") != NULL, "total < sum of 其中 rejected");
		if (err_of(f, &chk, "s1_area_y2010"))
			is_str(err_of(f, &chk, "s1_area_y2010"),
			       "不能小于 「其中: 自有 / 2010 年」 + 「租用 / 2010 年」 之和（合计目前为 110）",
			       "sum message");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	{
		const char *kv[] = { "s1_area_y2010", "110", "s1_area_own_y2010", "60", "s1_area_rent_y2010", "50",
		                     "s1_profit_y2010", "-20.5", NULL };
		run(f, kv, &clean, &chk);
		ok(!err_of(f, &chk, "s1_area_y2010") && !err_of(f, &chk, "s1_area_own_y2010"), "total = sum accepted");
		ok(!err_of(f, &chk, "s1_profit_y2010"), "negative profit accepted");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	{
		const char *kv[] = { "s4_income_2013q3", "100", "s4_income_2013f", "90",
		                     "s8_online_coverage_2013q3", "101", NULL };
		run(f, kv, &clean, &chk);
		ok(err_of(f, &chk, "s4_income_2013f") == NULL, "forecast below 1-9 is not an error");
		ok(warn_of(f, &chk, "s4_income_2013f") != NULL, "forecast below 1-9 is a warning");
		if (warn_of(f, &chk, "s4_income_2013f"))
			ok(strncmp(warn_of(f, &chk, "s4_income_2013f"), "请核对", strlen("请核对")) == 0,
			   "warning wording");
		is_str(err_of(f, &chk, "s8_online_coverage_2013q3"), "百分比应在 0 到 100 之间", "coverage percent range");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	{
		const char *kv[] = { "s9_ents_info_2013q3", "0", "s9_ents_tech_2013q3", "5", NULL };
		run(f, kv, &clean, &chk);
		ok(!applicable(f, &chk, "s9_sat_info_2013q3"), "满意度 hidden when 企业数 = 0");
		ok(applicable(f, &chk, "s9_sat_tech_2013q3"), "满意度 shown when 企业数 > 0");
		ok(!applicable(f, &chk, "s9_sat_legal_2013q3"), "满意度 hidden when 企业数 empty");
		ok(err_of(f, &chk, "s9_sat_tech_2013q3") == NULL, "满意度 optional even when shown (revision 2)");
		fcheck_replace(&chk, form_field_index(f, "s9_sat_tech_2013q3"), "上传失败");
		is_str(err_of(f, &chk, "s9_sat_tech_2013q3"), "上传失败", "fcheck_replace replaces a field's errors");
		answers_free(&clean);
		fcheck_free(&chk);
	}
}

static void test_selfeval_sme(void)
{
	const struct form *f = form_get("selfeval");
	struct answers clean;
	struct fcheck chk;
	{
		const char *kv[] = { "p1_2_1_win_comp_count", "5", "p1_2_1_win_comp_public", "2",
		                     "p1_2_1_win_comp_assoc", "2", "p2_9_online_pct", "60", "p2_9_offline_pct", "50",
		                     "p2_9_active_pct", "30", "p2_9_passive_pct", "60", NULL };
		run(f, kv, &clean, &chk);
		ok(err_of(f, &chk, "p1_2_1_win_comp_count") != NULL, "count = sum of 性质 rejected when unequal");
		is_str(err_of(f, &chk, "p1_2_1_win_comp_loc"), "请填写此项", "所在地区 required when count > 0");
		ok(!applicable(f, &chk, "p1_2_1_win_ind_loc"), "所在地区 hidden when count empty");
		ok(err_of(f, &chk, "p2_9_offline_pct") != NULL, "online + offline > 100 rejected");
		if (err_of(f, &chk, "p2_9_offline_pct"))
			is_str(err_of(f, &chk, "p2_9_offline_pct"),
			       "「线上线下服务所占比例 / 线上」 + 「线上线下服务所占比例 / 线下」 之和 不能大于 100（目前为 110）",
			       "general comparison message");
		ok(warn_of(f, &chk, "p2_9_passive_pct") != NULL && !err_of(f, &chk, "p2_9_passive_pct"),
		   "active + passive != 100 only warns");
		ok(!err_of(f, &chk, "p2_9_joint_pct"), "optional percent may stay empty");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	f = form_get("sme");
	{
		const char *kv[] = { "q1_founded", "2014-01-01", "q4_rank", "", NULL };
		run(f, kv, &clean, &chk);
		ok(err_of(f, &chk, "q1_founded") != NULL, "founded after 2013-11-30 rejected");
		is_str(err_of(f, &chk, "q4_rank"), "请至少排列一项", "rank required");
		ok(err_of(f, &chk, "q2_channel") == NULL, "optional multi may be empty");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	{
		const char *kv[] = { "q1_founded", "2001-06", "q4_rank", "3,1,2,4", NULL };
		run(f, kv, &clean, &chk);
		ok(err_of(f, &chk, "q1_founded") == NULL, "partial date accepted");
		ok(err_of(f, &chk, "q4_rank") == NULL, "rank of all four accepted (count 1..4)");
		answers_free(&clean);
		fcheck_free(&chk);
	}
}

/* Codebook revision 2: skip logic spares respondents impossible questions,
 * and stored values that no longer apply are dropped on every read. */
static void test_revision2(void)
{
	const struct form *f = form_get("sme");
	struct answers clean, a;
	struct fcheck chk;
	static const char *const after_q2[] = {
		"q2_channel", "q3_change", "q4_used", "q5_services", "q6_times", "q7_help", "q8_response",
		"q9_hotline", "q10_quality", "q11_free", "q12_price", "q13_complaint", "q14_assured",
		"q15_suggestions",
	};
	{
		const char *kv[] = { "q1_name", "测试企业", "q1_addr", "北京", "q1_zip", "100000", "q1_contact", "张三",
		                     "q1_tel", "010-12345678", "q1_founded", "2001", "q1_staff", "5",
		                     "q2_aware", "2", "q2_sought", "2", "q4_rank", "1",
		                     "q6_times", "3", "q15_suggestions", "旧值", NULL };
		size_t n = run(f, kv, &clean, &chk);
		is_int(n, 0, "SME that does not know the platform submits without Q2 channel, Q3, Q4 used, Q5-Q15");
		for (size_t i = 0; i < sizeof after_q2 / sizeof *after_q2; i++) {
			char name[96];
			snprintf(name, sizeof name, "%s not applicable and ruled out by 不知道", after_q2[i]);
			ok(!applicable(f, &chk, after_q2[i]) &&
			   chk.ruled_out[form_field_index(f, after_q2[i])], name);
		}
		ok(answers_get(&clean, f, "q6_times") == NULL, "posted value of a ruled-out field not kept");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	{
		const char *kv[] = { "q2_sought", "1", NULL };
		run(f, kv, &clean, &chk);
		ok(!applicable(f, &chk, "q6_times") && !chk.ruled_out[form_field_index(f, "q6_times")],
		   "Q6 hidden but not ruled out while Q2 is unanswered");
		ok(applicable(f, &chk, "q3_change"), "Q3 applies when the SME sought services");
		ok(!applicable(f, &chk, "q8_response") && !chk.ruled_out[form_field_index(f, "q8_response")],
		   "Q8 needs both conditions; open while Q2 is unanswered");
		ok(err_of(f, &chk, "q8_response") == NULL && err_of(f, &chk, "q9_hotline") == NULL,
		   "Q8/Q9 are optional");
		answers_free(&clean);
		fcheck_free(&chk);
	}
	/* Stored answers of an earlier revision: read back without what no
	 * longer applies. */
	answers_init(&a, f);
	answers_set(&a, (size_t)form_field_index(f, "q2_aware"), "2");
	answers_set(&a, (size_t)form_field_index(f, "q2_sought"), "2");
	answers_set(&a, (size_t)form_field_index(f, "q3_change"), "1");
	answers_set(&a, (size_t)form_field_index(f, "q6_times"), "3");
	answers_set(&a, (size_t)form_field_index(f, "q10_quality"), "2");
	answers_set(&a, (size_t)form_field_index(f, "q4_rank"), "2,1");
	is_int(form_drop_inapplicable(f, &a), 3, "three stale values dropped");
	ok(!answers_get(&a, f, "q3_change") && !answers_get(&a, f, "q6_times") &&
	   !answers_get(&a, f, "q10_quality"), "Q3, Q6, Q10 cleared");
	is_str(answers_get(&a, f, "q4_rank"), "2,1", "unconditional Q4 ranking kept");
	is_str(answers_get(&a, f, "q2_aware"), "2", "the condition itself kept");
	answers_set(&a, (size_t)form_field_index(f, "q2_aware"), "1");
	answers_set(&a, (size_t)form_field_index(f, "q6_times"), "3");
	is_int(form_drop_inapplicable(f, &a), 0, "nothing dropped when Q2 = 知道");
	is_str(answers_get(&a, f, "q6_times"), "3", "Q6 kept");
	answers_free(&a);

	f = form_get("resource");
	{
		const char *kv[] = { "q5_aware", "2", "q6_coop", "2", "q16_clients", "1",
		                     "q9_free_share", "1", "q19_continue", "2", "q19_no_reasons", "4", NULL };
		static const char *const off[] = {
			"q6_services", "q9_free_share", "q10_impact", "q11_volume_share", "q12_income_share",
			"q14_brand", "q16_integrity", "q17_repeat", "q19_continue", "q19_no_reasons",
			"q19_no_other", "q20_improve",
		};
		run(f, kv, &clean, &chk);
		for (size_t i = 0; i < sizeof off / sizeof *off; i++) {
			char name[96];
			snprintf(name, sizeof name, "resource %s not applicable", off[i]);
			ok(!applicable(f, &chk, off[i]) && !err_of(f, &chk, off[i]), name);
		}
		ok(applicable(f, &chk, "q9_subsidy") && applicable(f, &chk, "q13_free_cost_share"),
		   "Q9 subsidy and Q13 stay unconditional");
		answers_free(&clean);
		fcheck_free(&chk);
	}
}

static struct param P(const char *name, const char *value)
{
	struct param p = { (char *)name, (char *)value, strlen(value), NULL, NULL, 0 };
	return p;
}

static void test_collect_export(void)
{
	const struct form *f = form_get("sme");
	struct param ps[] = {
		P("q1_name", "某企业"), P("q2_channel", "9"), P("q2_channel", "1"), P("q2_channel", "4"),
		P("q4_rank_1", "3"), P("q4_rank_2", ""), P("q4_rank_3", "1"), P("q5_services", "99"),
		P("q6_times", "2"), P("csrf", "x"),
	};
	struct answers a;
	struct strv cols = { 0 }, row = { 0 };

	answers_init(&a, f);
	form_collect(f, ps, sizeof ps / sizeof ps[0], &a);
	is_str(answers_get(&a, f, "q1_name"), "某企业", "collect text");
	is_str(answers_get(&a, f, "q2_channel"), "1,4,9", "collect multi ascending");
	is_str(answers_get(&a, f, "q4_rank"), "3,1", "collect rank, gap closed");
	is_str(answers_get(&a, f, "q5_services"), "?", "unknown multi code kept for validation");
	is_str(answers_get(&a, f, "q6_times"), "2", "collect single");
	ok(answers_get(&a, f, "q7_help") == NULL, "absent field empty");
	answers_set(&a, (size_t)form_field_index(f, "q5_services"), NULL);

	form_export_columns(f, &cols);
	form_export_row(f, &a, &row);
	is_int(cols.n, row.n, "export row matches columns");
	is_int(cols.n, 27 - 4 + 9 + 4 + 8 + 9, "export column count (multi/rank expanded)");
	for (size_t i = 0; i < cols.n; i++) {
		if (!strcmp(cols.v[i], "q2_channel__4"))
			is_str(row.v[i], "1", "multi column selected");
		if (!strcmp(cols.v[i], "q2_channel__2"))
			is_str(row.v[i], "0", "multi column not selected");
		if (!strcmp(cols.v[i], "q4_rank__1"))
			is_str(row.v[i], "2", "rank column holds the position");
		if (!strcmp(cols.v[i], "q4_rank__2"))
			is_str(row.v[i], "", "unranked option blank");
		if (!strcmp(cols.v[i], "q5_services__1"))
			is_str(row.v[i], "", "unanswered multi blank");
	}
	is_str(cols.v[0], "q1_name", "export order = codebook order");
	strv_free(&cols);
	strv_free(&row);
	answers_free(&a);
}

int main(void)
{
	test_types();
	test_parse_errors();
	test_codebooks();
	test_resource();
	test_hub();
	test_selfeval_sme();
	test_collect_export();
	test_revision2();
	forms_free();
	return done_testing();
}
