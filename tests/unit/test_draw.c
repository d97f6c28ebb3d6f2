/*
 * test_draw.c - the reproducible draw (cgi-bin/sample/draw.c) and frame
 * parsing (cgi-bin/sample/frame.c). The fixed expectations below were
 * computed once from the algorithm in draw.h; they must never change for
 * DRAW_ALGO_VERSION "srswor-splitmix64-fy/1", or stored samples would no
 * longer verify.
 */
#include "tap.h"
#include "draw.h"
#include "frame.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct unit *make_frame(size_t nhub, size_t nwin, size_t nsme, size_t *n)
{
	struct unit *u = xcalloc(nhub + nwin + nsme, sizeof *u);
	char name[64];
	size_t k = 0;
	/* Interleave strata and put lines out of order, as a real file might. */
	for (size_t i = 0; i < nhub + nwin + nsme; i++) {
		int st = i < nhub ? ST_HUB : i < nhub + nwin ? ST_WINDOW : ST_SME;
		snprintf(name, sizeof name, "unit-%zu", i + 1);
		u[k].line = (unsigned long)(2 + (i * 7) % (nhub + nwin + nsme));
		u[k].stratum = st;
		u[k].name = xstrdup(name);
		u[k].platform = xstrdup(st == ST_HUB ? "枢纽平台" : st == ST_WINDOW ? "窗口甲" : "");
		u[k].contact = xstrdup("张三");
		u[k].phone = xstrdup("010-12345678");
		u[k].email = xstrdup("a@b.cn");
		k++;
	}
	*n = k;
	units_sort(u, k);
	return u;
}

/* Order of a draw as "line,line,...|line,..." per stratum. */
static char *draw_string(uint64_t seed, const struct unit *u, size_t n)
{
	size_t *order = xcalloc(n ? n : 1, sizeof *order), start[ST_COUNT], cnt[ST_COUNT];
	struct buf b = { 0 };
	draw_all(seed, u, n, order, start, cnt);
	for (int s = 0; s < ST_COUNT; s++) {
		if (s)
			buf_putc(&b, '|');
		for (size_t k = 0; k < cnt[s]; k++)
			buf_printf(&b, "%s%lu", k ? "," : "", u[order[start[s] + k]].line);
	}
	free(order);
	if (!b.data)
		buf_puts(&b, "");
	return buf_steal(&b);
}

static void test_prng(void)
{
	/* SplitMix64 reference values for state 0 (Vigna's splitmix64.c). */
	uint64_t st = 0;
	ok(draw_next(&st) == UINT64_C(0xe220a8397b1dcdaf), "splitmix64 first output for seed 0");
	ok(draw_next(&st) == UINT64_C(0x6e789e6aa1b965f4), "splitmix64 second output");
	ok(draw_next(&st) == UINT64_C(0x06c45d188009454f), "splitmix64 third output");

	st = 42;
	int inrange = 1, seen[7] = { 0 };
	for (int i = 0; i < 7000; i++) {
		uint64_t v = draw_uniform(&st, 7);
		if (v >= 7)
			inrange = 0;
		else
			seen[v]++;
	}
	ok(inrange, "uniform(7) stays in [0,7)");
	int spread = 1;
	for (int i = 0; i < 7; i++)
		if (seen[i] < 850 || seen[i] > 1150)
			spread = 0;
	ok(spread, "uniform(7) hits every value about equally often");
	st = 5;
	ok(draw_uniform(&st, 1) == 0, "uniform(1) is 0");

	ok(draw_stratum_state(1, ST_HUB) != draw_stratum_state(1, ST_WINDOW), "strata get different streams");
}

static void test_seed(void)
{
	uint64_t v = 0;
	char hex[17];
	ok(seed_parse("00c0ffee00000001", &v) == 0 && v == UINT64_C(0x00c0ffee00000001), "seed parses 16 hex digits");
	ok(seed_parse(" 0xABC ", &v) == 0 && v == 0xabc, "seed accepts 0x prefix, upper case, blanks");
	ok(seed_parse("", &v) < 0, "empty seed rejected");
	ok(seed_parse("12345678901234567", &v) < 0, "17 digits rejected");
	ok(seed_parse("12g", &v) < 0, "non-hex rejected");
	ok(seed_parse(NULL, &v) < 0, "NULL seed rejected");
	seed_format(UINT64_C(0xabc), hex);
	is_str(hex, "0000000000000abc", "seed formats as 16 lowercase hex digits");
	uint64_t a = 0, b = 0;
	ok(seed_random(&a) == 0 && seed_random(&b) == 0 && a != b, "random seeds differ");
}

static void test_draw_fixed(void)
{
	size_t n;
	struct unit *u = make_frame(4, 6, 5, &n);
	char *s = draw_string(UINT64_C(0x00c0ffee00000001), u, n);
	is_str(s, "9,16,2,8|6,15,5,13,14,7|4,3,10,12,11", "fixed draw of a 15-unit frame for seed 00c0ffee00000001");
	char *again = draw_string(UINT64_C(0x00c0ffee00000001), u, n);
	is_str(again, s, "same seed, same draw");
	char *other = draw_string(UINT64_C(0x00c0ffee00000002), u, n);
	ok(strcmp(other, s) != 0, "different seed, different draw");
	char sum[65];
	units_checksum(u, n, sum);
	is_str(sum, "8b5bb3167f5d1e8549792ff721eceef309787afbf5779117781b906022449959", "canonical checksum of the 15-unit frame");
	free(s);
	free(again);
	free(other);
	units_free(u, n);
}

static void test_draw_properties(void)
{
	size_t n;
	struct unit *u = make_frame(8, 25, 150, &n);
	size_t *order = xcalloc(n, sizeof *order), start[ST_COUNT], cnt[ST_COUNT];
	int strata_ok = 1, dup = 0;
	char *seen = xcalloc(n, 1);
	draw_all(UINT64_C(0x1234), u, n, order, start, cnt);
	is_int(cnt[ST_HUB], 8, "hub stratum complete");
	is_int(cnt[ST_WINDOW], 25, "window stratum complete");
	is_int(cnt[ST_SME], 150, "sme stratum complete");
	for (int s = 0; s < ST_COUNT; s++)
		for (size_t k = 0; k < cnt[s]; k++) {
			size_t i = order[start[s] + k];
			if (u[i].stratum != s)
				strata_ok = 0;
			if (seen[i]++)
				dup = 1;
		}
	ok(strata_ok, "every drawn unit belongs to its stratum");
	ok(!dup, "no unit drawn twice (a permutation)");

	/* Over many seeds each of the 8 hub units is selected (first 5
	 * positions) about 5/8 of the time: 2500 of 4000, sd ~31. */
	size_t *hits = xcalloc(n, sizeof *hits);
	for (uint64_t seed = 0; seed < 4000; seed++) {
		draw_all(seed, u, n, order, start, cnt);
		for (size_t k = 0; k < 5; k++)
			hits[order[start[ST_HUB] + k]]++;
	}
	int fair = 1;
	for (size_t i = 0; i < n; i++)
		if (u[i].stratum == ST_HUB && (hits[i] < 2350 || hits[i] > 2650))
			fair = 0;
	ok(fair, "each hub unit selected about 5/8 of the time over 4000 seeds");
	free(hits);

	/* Sorting the input differently gives the same draw (canonical order). */
	char *a = draw_string(99, u, n);
	struct unit tmp = u[0];
	u[0] = u[n - 1];
	u[n - 1] = tmp;
	units_sort(u, n);
	char *b = draw_string(99, u, n);
	is_str(b, a, "draw depends on canonical (line) order only");
	free(a);
	free(b);
	free(seen);
	free(order);
	units_free(u, n);

	size_t z = 0;
	char *e = draw_string(1, NULL, z);
	is_str(e, "||", "empty frame draws nothing");
	free(e);
}

static void test_frame_parse(void)
{
	struct frame_parse fp;
	const char *good =
		"名称,组织平台,联系人,电话,邮箱\n"
		"甲公司,枢纽平台,张三,010-12345678,a@b.cn\n"
		"乙公司,窗口平台一,李四,13800138000,\n"
		"  丙公司 ,hub,,,\n";
	int rc = frame_parse(good, strlen(good), "resource", NULL, &fp);
	is_int(rc, 0, "good resource frame parses");
	is_int(fp.nunits, 3, "three units");
	is_int(fp.count[ST_HUB], 2, "two hub units (枢纽平台, hub)");
	is_int(fp.count[ST_WINDOW], 1, "one window unit");
	is_str(fp.units[2].name, "丙公司", "names are trimmed");
	is_int(fp.map[0], FF_NAME, "header 名称 maps to name");
	is_int(fp.map[4], FF_EMAIL, "header 邮箱 maps to email");
	frame_parse_free(&fp);

	const char *bad =
		"name,platform,phone,email\n"
		"A,hub,123,x@y.cn\n"          /* line 2: phone too short */
		",hub,,\n"                     /* line 3: no name */
		"B,,,\n"                       /* line 4: no platform */
		"A,win,,bad@\n"                /* line 5: duplicate, bad email */
		"C,win,+86 (10) 1234-5678,c@d.org\n";
	rc = frame_parse(bad, strlen(bad), "resource", NULL, &fp);
	is_int(rc, 1, "frame with bad rows: rc 1");
	is_int(fp.nerrs_total, 5, "five row errors");
	ok(fp.nerrs == 5 && fp.errs[0].line == 2 && strstr(fp.errs[0].msg, "电话"), "line 2: phone");
	ok(fp.errs[1].line == 3 && strstr(fp.errs[1].msg, "名称为空"), "line 3: empty name");
	ok(fp.errs[2].line == 4 && strstr(fp.errs[2].msg, "组织平台为空"), "line 4: empty platform");
	int dupe = 0, mail = 0;
	for (size_t i = 0; i < fp.nerrs; i++) {
		if (fp.errs[i].line == 5 && strstr(fp.errs[i].msg, "与第 2 行重复"))
			dupe = 1;
		if (fp.errs[i].line == 5 && strstr(fp.errs[i].msg, "邮箱"))
			mail = 1;
	}
	ok(dupe, "line 5: duplicate of line 2");
	ok(mail, "line 5: bad email");
	is_int(fp.nbad, 3, "three rows cannot be imported (no name, no platform, the duplicate)");
	is_int(fp.nunits, 2, "the two others can");
	is_str(fp.units[0].phone, "", "the bad phone is imported empty");
	frame_parse_free(&fp);

	int map[2] = { FF_IGNORE, FF_IGNORE };
	struct frame_opts mo = { .map = map, .nmap = 2 };
	const char *nohead = "x,y\n1,2\n";
	rc = frame_parse(nohead, strlen(nohead), "sme", &mo, &fp);
	is_int(rc, -1, "no name column: fatal");
	ok(strstr(fp.fatal, "名称") != NULL, "fatal names the missing column");
	frame_parse_free(&fp);
	map[0] = FF_NAME;
	rc = frame_parse(nohead, strlen(nohead), "sme", &mo, &fp);
	is_int(rc, 0, "explicit mapping makes it usable");
	is_int(fp.count[ST_SME], 1, "sme stratum");
	is_str(fp.units[0].name, "1", "mapped column read");
	frame_parse_free(&fp);
	map[1] = FF_NAME;
	rc = frame_parse(nohead, strlen(nohead), "sme", &mo, &fp);
	is_int(rc, -1, "two columns mapped to name: fatal");
	frame_parse_free(&fp);

	const char *broken = "名称\n\"unterminated\n";
	rc = frame_parse(broken, strlen(broken), "sme", NULL, &fp);
	is_int(rc, -1, "CSV syntax error is fatal");
	ok(strstr(fp.fatal, "第 2 行") != NULL, "with its line number");
	frame_parse_free(&fp);
}

/* Issue 10: a title row above the headings, real platform names mapped to
 * hub/window, the optional columns. */
static void test_frame_import_choices(void)
{
	struct frame_parse fp;
	const char *f =
		"浙江省服务资源单位名单（2013年）,,,,,\n"
		",,,,,\n"
		"单位名称,所属平台,统一社会信用代码,地址,邮编,备注\n"
		"甲机构,浙江省中小企业公共服务平台,91330000123456789x,杭州市西湖区1号,310000,\n"
		"乙机构,杭州市窗口平台,,杭州市,310001,\n"
		"丙机构,宁波市窗口平台,12345678-9,,,\n"
		",,,,,\n"
		"丁机构,浙江省中小企业公共服务平台,bad code!,,3100,\n";
	int rc = frame_parse(f, strlen(f), "resource", NULL, &fp);
	is_int(fp.header_row, 3, "the heading row is found below a title row and a blank row");
	is_int(fp.ntop, 8, "the first rows are kept for the heading-row choice");
	ok(strstr(fp.top[0].text, "名单") != NULL, "... with their text");
	is_int(fp.map[2], FF_ORGCODE, "统一社会信用代码 recognised");
	is_int(fp.map[3], FF_ADDRESS, "地址 recognised");
	is_int(fp.map[4], FF_ZIP, "邮编 recognised");
	is_int(fp.nunits, 4, "four units (the blank row is skipped)");
	is_int(rc, 0, "a bad code and zip do not keep the row out");
	ok(fp.nerrs == 2 && fp.errs[0].line == 8 && strstr(fp.errs[0].msg, "统一社会信用代码") &&
	   fp.errs[0].kind == FP_VALUE, "bad code on line 8, left empty");
	ok(fp.nerrs == 2 && strstr(fp.errs[1].msg, "邮编") && fp.errs[1].kind == FP_VALUE, "bad zip on line 8, left empty");
	ok(fp.units[3].org_code[0] == '\0' && fp.units[3].zip[0] == '\0', "... and imported empty");
	is_int(fp.nplat, 3, "three distinct platform values");
	is_str(fp.plat[0].value, "浙江省中小企业公共服务平台", "first seen first");
	is_int(fp.plat[0].count, 2, "... with its unit count");
	is_int(fp.plat[0].stratum, ST_WINDOW, "a hub named by its name is not guessed as hub");
	is_int(fp.plat[0].assigned, 0, "... and marked as a guess");
	is_str(fp.units[0].org_code, "91330000123456789X", "org code kept, upper-cased");
	is_str(fp.units[0].address, "杭州市西湖区1号", "address kept");
	is_str(fp.units[0].zip, "310000", "zip kept");
	frame_parse_free(&fp);

	struct platform_map pm[] = { { "浙江省中小企业公共服务平台", ST_HUB } };
	struct frame_opts o = { .pmap = pm, .npmap = 1 };
	rc = frame_parse(f, strlen(f), "resource", &o, &fp);
	is_int(fp.count[ST_HUB], 2, "mapped: the hub's units are in the hub stratum");
	is_int(fp.count[ST_WINDOW], 2, "... the others in the window stratum");
	is_int(fp.plat[0].assigned, 1, "... the value is marked assigned");
	is_str(fp.units[0].platform, "浙江省中小企业公共服务平台", "the platform's name is kept as written");
	frame_parse_free(&fp);

	struct frame_opts h1 = { .header_row = 1 };
	rc = frame_parse(f, strlen(f), "resource", &h1, &fp);
	is_int(rc, -1, "the title row chosen as headings: no name column");
	ok(strstr(fp.fatal, "表头所在的行") != NULL, "... the message points to the heading-row choice");
	frame_parse_free(&fp);

	const char *g = "名称,组织平台\n甲,地区枢纽平台\n乙,某某枢纽平台\n丙,窗口\n";
	rc = frame_parse(g, strlen(g), "resource", NULL, &fp);
	is_int(fp.count[ST_HUB], 2, "values naming 枢纽 are guessed as hub");
	frame_parse_free(&fp);
}

int main(void)
{
	test_prng();
	test_seed();
	test_draw_fixed();
	test_draw_properties();
	test_frame_parse();
	test_frame_import_choices();
	return done_testing();
}
