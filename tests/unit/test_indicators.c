/*
 * test_indicators.c - the evaluation indicators: the project's copy of
 * indicators.tsv parses against the codebook, bad rows are refused with
 * their line, and every aggregate computes what the shared README says
 * (value, n, undefined, rounding) on hand-made responses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "indicators.h"
#include "tap.h"
#include "util.h"

/* The project's copy, as embedded into the programs (Makefile). */
extern const char indicators_tsv[];
#define HEAD "code\tcontent\trequirement\tlabel\tunit\tformula\n"

static void test_project_file(void)
{
	const char *tsv = indicators_tsv;
	char err[256] = "";
	struct indset set;
	size_t texts = 0, per_content[4] = { 0 };

	is_int(indset_parse(&set, tsv, err, sizeof err), 0, "all indicators parse against the codebook");
	if (*err)
		diag(err);
	is_int(set.n, 40, "40 indicators");
	for (size_t i = 0; i < set.n; i++) {
		texts += set.v[i].a.agg == IA_TEXTS;
		for (size_t k = 0; k < 4; k++)
			per_content[k] += !strcmp(set.v[i].content, (const char *[]){ "一", "二", "三", "四" }[k]);
	}
	ok(per_content[0] && per_content[1] && per_content[2] && per_content[3], "all four contents are covered");
	is_int(texts, per_content[3], "content 四 is the text indicators");
	{
		const struct indicator *g = indset_get(&set, "e3_hub_served_growth");
		ok(g && g->combine == IC_GROWTH && g->a.agg == IA_SUM && g->b.agg == IA_SUM, "growth(sum, sum) parsed");
		ok(g && indicator_sample_sensitive(indset_get(&set, "e2_sme_aware")) &&
		   !indicator_sample_sensitive(g), "sample filter concerns sme/resource indicators only");
	}
	{
		char *d = ind_describe(indset_get(&set, "e2_sme_fast"));
		ok(d && strstr(d, "附件5") && strstr(d, "“1小时内”或“4小时内”或“24小时内”"), "formula in words");
		if (d)
			diag(d);
		free(d);
	}
	indset_free(&set);

	/* A row added to the data is an indicator: no code names them. */
	{
		struct buf b;
		buf_init(&b);
		buf_puts(&b, tsv);
		buf_puts(&b, "x_new\t二\t有保证\t新指标\t%\tshare(sme, q13_complaint = 1)\n");
		is_int(indset_parse(&set, b.data, err, sizeof err), 0, "a row added to the TSV parses");
		is_int(set.n, 41, "... and is the 41st indicator");
		ok(indset_get(&set, "x_new") != NULL, "... found by its code");
		indset_free(&set);
		buf_free(&b);
	}
}

static void test_bad_rows(void)
{
	static const struct { const char *row, *want; } bad[] = {
		{ "a\t一\t-\tA\t份\tcount(nosuch)", "unknown form \"nosuch\"" },
		{ "a\t一\t-\tA\t份\tsum(hub, s1_nosuch_y2010)", "hub has no field s1_nosuch_y2010" },
		{ "a\t一\t-\tA\t份\tsum(hub, s10_1_problems)", "s10_1_problems is not a number field" },
		{ "a\t一\t-\tA\t%\tshare(sme, q2_aware = 7)", "q2_aware has no option 7" },
		{ "a\t一\t-\tA\t%\tshare(sme, q2_channel = 1)", "q2_channel is not a single choice" },
		{ "a\t一\t-\tA\t份\tcount(sme) x", "unexpected text" },
		{ "a\t一\t-\tA\t份\tmedian(sme, q1_staff)", "unknown aggregate \"median\"" },
		{ "a\t一\t-\tA\t%\trate(region, submitted)", "unknown stratum \"region\"" },
		{ "a\t一\t-\tA\t%\trate(sme, opened)", "unknown state \"opened\"" },
		{ "a\t五\t-\tA\t份\tcount(sme)", "content must be" },
		{ "a\t一\t好用\tA\t份\tcount(sme)", "unknown requirement" },
		{ "a\t一\t-\tA\t个\tcount(sme)", "unknown unit" },
		{ "A\t一\t-\tA\t份\tcount(sme)", "bad code" },
		{ "a\t一\t-\tA\t%\tratio(texts(hub, s10_1_problems), count(hub))", "texts() has no value" },
		{ "a\t一\t-\tA\t份\tcount(sme", ") expected" },
		{ "a\t一\t-\tA\t份", "6 tab-separated columns" },
	};
	for (size_t i = 0; i < NELEMS(bad); i++) {
		struct buf b;
		struct indset set;
		char err[256] = "", name[160];
		buf_init(&b);
		buf_printf(&b, HEAD "ok1\t一\t-\tA\t份\tcount(sme)\n%s\n", bad[i].row);
		snprintf(name, sizeof name, "refused: %s", bad[i].want);
		ok(indset_parse(&set, b.data, err, sizeof err) < 0 && strstr(err, bad[i].want) &&
		   strstr(err, "line 3"), name);
		if (!strstr(err, bad[i].want))
			diag(err);
		buf_free(&b);
	}
	{
		struct indset set;
		char err[256] = "";
		ok(indset_parse(&set, HEAD "a\t一\t-\tA\t份\tcount(sme)\na\t一\t-\tB\t份\tcount(hub)\n", err,
		                sizeof err) < 0 && strstr(err, "duplicate code a"), "refused: duplicate code");
	}
}

/* SME answers: code/value pairs, NULL-terminated. */
static void add_sme(struct ind_tally *t, const char *const *kv)
{
	const struct form *f = form_get("sme");
	struct answers a;
	answers_init(&a, f);
	for (size_t i = 0; kv[i]; i += 2)
		answers_set(&a, (size_t)form_field_index(f, kv[i]), kv[i + 1]);
	form_drop_inapplicable(f, &a);
	ind_tally_response(t, f, &a);
	answers_free(&a);
}

static void value(const struct ind_tally *t, const char *code, char *out, size_t n, long long *nn)
{
	for (size_t i = 0; i < t->set->n; i++)
		if (!strcmp(t->set->v[i].code, code)) {
			struct ind_value v;
			ind_value_of(t, i, &v);
			ind_format(&t->set->v[i], &v, out, n);
			*nn = v.n;
			return;
		}
	snprintf(out, n, "?");
}

static void test_compute(void)
{
	static const char *tsv = HEAD
		"c\t一\t-\t份数\t份\tcount(sme)\n"
		"s\t二\t-\t知道\t%\tshare(sme, q2_aware = 1)\n"
		"i\t二\t-\t方式\t%\tshare(sme, q8_response in 1|2|3)\n"
		"h\t二\t-\t有\t%\tshare(sme, q5_services has 3)\n"
		"y\t二\t-\t任一\t%\tshare(sme, q5_services any)\n"
		"u\t一\t-\t人数\t家\tsum(sme, q1_staff)\n"
		"d\t一\t-\t资产\t家\tsum(sme, q1_assets + q1_revenue)\n"
		"m\t一\t-\t平均\t家\tmean(sme, q1_assets + q1_revenue)\n"
		"n\t一\t-\t项数\t项\titems(sme, q5_services)\n"
		"r\t一\t-\t比\t%\tratio(sum(sme, q1_assets), sum(sme, q1_revenue))\n"
		"g\t一\t-\t长\t%\tgrowth(sum(sme, q1_revenue), sum(sme, q1_assets))\n"
		"z\t一\t-\t零\t%\tratio(count(sme), sum(sme, q1_staff))\n"
		"t\t四\t-\t建议\t条\ttexts(sme, q15_suggestions)\n"
		"k\t一\t-\t注册\t%\trate(sme, registered)\n"
		"q\t一\t-\t回收\t%\trate(sme, submitted)\n"
		"w\t一\t-\t窗口\t%\trate(window, submitted)\n"
		"e\t一\t-\t无\t份\tcount(hub)\n";
	struct indset set;
	struct ind_tally t;
	char err[256] = "", v[64];
	long long n = 0;

	is_int(indset_parse(&set, tsv, err, sizeof err), 0, "test indicators parse");
	if (*err)
		diag(err);
	ind_tally_init(&t, &set);
	add_sme(&t, (const char *[]){ "q2_aware", "1", "q2_sought", "1", "q8_response", "2",
	                              "q5_services", "1,3,5", "q1_staff", "0", "q1_assets", "100.5",
	                              "q1_revenue", "200", "q15_suggestions", "多宣传", NULL });
	add_sme(&t, (const char *[]){ "q2_aware", "1", "q2_sought", "1", "q8_response", "5",
	                              "q5_services", "2", "q1_staff", "10", "q1_assets", "0.25", NULL });
	add_sme(&t, (const char *[]){ "q2_aware", "1", "q2_sought", "2", "q8_response", "1",
	                              "q1_revenue", "50", NULL });
	/* 不知道: Q5, Q8 and Q15 do not apply, so the stale values are not counted. */
	add_sme(&t, (const char *[]){ "q2_aware", "2", "q2_sought", "1", "q8_response", "1",
	                              "q5_services", "3", "q15_suggestions", "旧", "q1_staff", "5", NULL });

	value(&t, "c", v, sizeof v, &n);
	is_str(v, "4", "count: 4 submitted");
	is_int(n, 4, "count: n = 4");
	value(&t, "s", v, sizeof v, &n);
	is_str(v, "75.0", "share: 3 of 4 know the platform, one decimal");
	value(&t, "i", v, sizeof v, &n);
	is_str(v, "50.0", "share in: 1 of 2 answered fast (Q8 applies only to 知道 + sought)");
	is_int(n, 2, "share: n is the number that answered");
	value(&t, "h", v, sizeof v, &n);
	is_str(v, "50.0", "share has: 1 of 2 (the 不知道 row's stale Q5 not counted)");
	value(&t, "y", v, sizeof v, &n);
	is_str(v, "100.0", "share any: every answer has an option");
	value(&t, "u", v, sizeof v, &n);
	is_str(v, "15", "sum of an int field: as it is");
	is_int(n, 3, "sum: n = responses that answered");
	value(&t, "d", v, sizeof v, &n);
	is_str(v, "350.75", "sum of decimal fields: two decimals, unanswered add nothing");
	is_int(n, 3, "sum: n = responses that answered at least one");
	value(&t, "m", v, sizeof v, &n);
	is_str(v, "300.50", "mean: only the response that answered both");
	is_int(n, 1, "mean: n = 1");
	value(&t, "n", v, sizeof v, &n);
	is_str(v, "2.00", "items: (3 + 1) / 2 options");
	value(&t, "r", v, sizeof v, &n);
	is_str(v, "40.3", "ratio: 100 x 100.75 / 250");
	is_int(n, 2, "ratio: n is the smaller side's");
	value(&t, "g", v, sizeof v, &n);
	is_str(v, "148.1", "growth: 100 x (250 / 100.75 - 1)");
	value(&t, "z", v, sizeof v, &n);
	is_str(v, "26.7", "ratio of count and sum");
	value(&t, "t", v, sizeof v, &n);
	is_str(v, "", "texts: no value");
	is_int(n, 1, "texts: n = 1 text (the stale one not counted)");
	value(&t, "e", v, sizeof v, &n);
	/* A count is never undefined (indicators README): 0, n 0. */
	is_str(v, "0", "count with no response: 0, not undefined");
	is_int(n, 0, "... n = 0");
	value(&t, "k", v, sizeof v, &n);
	is_str(v, "", "rate without units: undefined");

	ind_tally_unit(&t, ST_SME, 1, 1);
	ind_tally_unit(&t, ST_SME, 1, 0);
	ind_tally_unit(&t, ST_SME, 0, 0);
	ind_tally_unit(&t, ST_WINDOW, 1, 1);
	value(&t, "k", v, sizeof v, &n);
	is_str(v, "66.7", "rate registered: 2 of 3 SME units");
	is_int(n, 3, "rate: n = selected units of the stratum");
	value(&t, "q", v, sizeof v, &n);
	is_str(v, "33.3", "rate submitted: 1 of 3");
	value(&t, "w", v, sizeof v, &n);
	is_str(v, "100.0", "rate by stratum: window counted apart");
	ind_tally_free(&t);

	/* Division by zero is undefined, never 0. */
	ind_tally_init(&t, &set);
	add_sme(&t, (const char *[]){ "q2_aware", "2", "q2_sought", "2", "q1_staff", "0", "q1_assets", "5", NULL });
	value(&t, "z", v, sizeof v, &n);
	is_str(v, "", "ratio over a zero sum: undefined");
	value(&t, "r", v, sizeof v, &n);
	is_str(v, "", "ratio whose divisor nobody answered: undefined");
	ind_tally_free(&t);
	indset_free(&set);
}

int main(void)
{
	char err[256] = "";
	if (forms_load(err, sizeof err) < 0) {
		printf("1..0 # SKIP codebook: %s\n", err);
		return 1;
	}
	test_project_file();
	test_bad_rows();
	test_compute();
	forms_free();
	return done_testing();
}
