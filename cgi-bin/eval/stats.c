/*
 * stats.c - per-form statistics of the submitted responses (see stats.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "form.h"
#include "form_int.h"
#include "html.h"
#include "http.h"
#include "stats.h"
#include "util.h"

static int is_choice(enum ftype t)
{
	return t == FT_SINGLE || t == FT_MULTI || t == FT_RANK;
}

static int is_numeric(enum ftype t)
{
	return t == FT_INT || t == FT_DECIMAL || t == FT_PERCENT;
}

/* Sums of scaled numbers: 10^16 per value leaves a long long only a few
 * hundred values of head-room, so totals are kept in 128 bits. */
__extension__ typedef __int128 acc_t;
__extension__ typedef unsigned __int128 uacc_t;

/* Per-field tallies of one form's submitted responses. */
struct tally {
	long long **cnt;       /* choice fields: respondents per option */
	long long **first;     /* rank fields: respondents who put the option first */
	long long **rsum;      /* rank fields: sum of the option's positions */
	long long  *answered;  /* respondents who answered the field */
	acc_t      *sum;       /* numeric fields: scaled sum */
	fnum       *min, *max;
};

/* "12.3400" -> "12.34", "5.0000" -> "5", NULL -> "". */
static void trim_number(char *out, size_t n, const char *s)
{
	size_t l;
	snprintf(out, n, "%s", s ? s : "");
	if (!strchr(out, '.'))
		return;
	l = strlen(out);
	while (l > 0 && out[l - 1] == '0')
		out[--l] = 0;
	if (l > 0 && out[l - 1] == '.')
		out[--l] = 0;
}

/* count / total as a percentage with one decimal, rounded half up. */
static void percent(char *out, size_t n, long long count, long long total)
{
	long long t;
	if (total <= 0) {
		snprintf(out, n, "-");
		return;
	}
	t = (count * 1000 + total / 2) / total;
	snprintf(out, n, "%lld.%lld%%", t / 10, t % 10);
}

static void field_heading(struct req *r, const struct field *fd, const char *extra)
{
	char *label = form_display_label(fd->label);
	h_printf(r, "<th scope=\"rowgroup\" colspan=\"6\"><code>%s</code> %s%s</th>", fd->code,
	         label, extra);
	free(label);
}

static int render_regions(struct req *r, const struct form *f, const char *region,
                          long long *total)
{
	struct dbrows *rows;
	if (db_query(r->db, STMT_AGGR_STATS_REGIONS,
	    DB_ARGS(A_STR(f->name), A_STR(region), A_STR(region)), &rows) < 0)
		return -1;
	*total = 0;
	h_raw(r, "<div class=\"table-wrap\"><table class=\"stats-regions\"><caption>各地区已提交份数"
	      "</caption><thead><tr><th scope=\"col\">地区代码</th><th scope=\"col\">地区</th>"
	      "<th scope=\"col\">已提交</th></tr></thead><tbody>");
	for (size_t i = 0; i < rows->nrows; i++) {
		h_printf(r, "<tr data-region=\"%s\"><td>%s</td><td>%s</td><td class=\"num\">%lld</td></tr>",
		         dbrows_get(rows, i, 0), dbrows_get(rows, i, 0), dbrows_get(rows, i, 1),
		         dbrows_int(rows, i, 2));
		*total += dbrows_int(rows, i, 2);
	}
	h_printf(r, "</tbody><tfoot><tr data-region=\"\"><th scope=\"row\" colspan=\"2\">合计</th>"
	         "<td class=\"num\" id=\"stats-total\">%lld</td></tr></tfoot></table></div>", *total);
	dbrows_free(rows);
	return 0;
}

static void tally_init(struct tally *t, const struct form *f)
{
	size_t n = f->nfields ? f->nfields : 1;
	t->cnt = xcalloc(n, sizeof *t->cnt);
	t->answered = xcalloc(n, sizeof *t->answered);
	t->sum = xcalloc(n, sizeof *t->sum);
	t->min = xcalloc(n, sizeof *t->min);
	t->max = xcalloc(n, sizeof *t->max);
	t->first = xcalloc(n, sizeof *t->first);
	t->rsum = xcalloc(n, sizeof *t->rsum);
	for (size_t i = 0; i < f->nfields; i++) {
		size_t no = f->fields[i].nopts ? f->fields[i].nopts : 1;
		if (is_choice(f->fields[i].type))
			t->cnt[i] = xcalloc(no, sizeof **t->cnt);
		if (f->fields[i].type == FT_RANK) {
			t->first[i] = xcalloc(no, sizeof **t->first);
			t->rsum[i] = xcalloc(no, sizeof **t->rsum);
		}
	}
}

static void tally_free(struct tally *t, const struct form *f)
{
	for (size_t i = 0; i < f->nfields; i++) {
		free(t->cnt[i]);
		free(t->first[i]);
		free(t->rsum[i]);
	}
	free(t->cnt);
	free(t->first);
	free(t->rsum);
	free(t->answered);
	free(t->sum);
	free(t->min);
	free(t->max);
}

/* A decimal integer (a DECIMAL(38,0) column as text) in 128 bits. */
static acc_t parse_acc(const char *s)
{
	acc_t v = 0;
	int neg = s && *s == '-';
	for (s += s && (*s == '-' || *s == '+'); s && *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return neg ? -v : v;
}

/* Reads the tallies of f's submitted responses (of one region, or all)
 * from the maintained aggregates (forms/aggr.h: agg_fields),
 * which count each response's effective answers once, when it is
 * submitted. The cost does not grow with the number of responses.
 * Returns 0 or -1. */
static int tally_responses(struct req *r, const struct form *f, const char *region,
                           struct tally *t)
{
	struct dbrows *rows;

	if (db_query(r->db, STMT_AGGR_STATS_FIELDS,
	    DB_ARGS(A_STR(f->name), A_STR(region), A_STR(region)), &rows) < 0)
		return -1;
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *opt = dbrows_get(rows, i, 1) ? dbrows_get(rows, i, 1) : "";
		int fi = form_field_index(f, dbrows_get(rows, i, 0) ? dbrows_get(rows, i, 0) : "");
		const struct field *fd;
		if (fi < 0)
			continue;
		fd = &f->fields[fi];
		if (!*opt) {
			t->answered[fi] = dbrows_int(rows, i, 2);
			if (is_numeric(fd->type)) {
				t->sum[fi] = parse_acc(dbrows_get(rows, i, 5));
				t->min[fi] = (fnum)parse_acc(dbrows_get(rows, i, 6));
				t->max[fi] = (fnum)parse_acc(dbrows_get(rows, i, 7));
			}
			continue;
		}
		if (!is_choice(fd->type))
			continue;
		for (size_t k = 0; k < fd->nopts; k++)
			if (!strcmp(fd->opts[k].code, opt)) {
				t->cnt[fi][k] = dbrows_int(rows, i, 2);
				if (fd->type == FT_RANK) {
					t->first[fi][k] = dbrows_int(rows, i, 3);
					t->rsum[fi][k] = dbrows_int(rows, i, 4);
				}
			}
	}
	dbrows_free(rows);
	return 0;
}

/* A scaled number as decimal text, trailing zeros dropped ("12.34", "5"). */
static void format_scaled(char *out, size_t n, acc_t v)
{
	char digits[48];
	size_t k = 0;
	int neg = v < 0;
	uacc_t u = neg ? (uacc_t)(-(v + 1)) + 1 : (uacc_t)v;
	do {
		digits[k++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u && k < sizeof digits);
	while (k < 5)
		digits[k++] = '0';
	{
		char tmp[64];
		size_t j = 0;
		if (neg)
			tmp[j++] = '-';
		while (k > 4)
			tmp[j++] = digits[--k];
		tmp[j++] = '.';
		while (k > 0)
			tmp[j++] = digits[--k];
		tmp[j] = 0;
		trim_number(out, n, tmp);
	}
}

/* sum / count rounded half away from zero to the 4 decimals of the scale. */
static acc_t mean_of(acc_t sum, long long count)
{
	acc_t q = sum / count, rem = sum % count;
	if ((rem < 0 ? -rem : rem) * 2 >= count)
		q += sum < 0 ? -1 : 1;
	return q;
}

static void render_choices(struct req *r, const struct form *f, const struct tally *t)
{
	char pct[32];
	int any = 0;

	static const char *const cols[] = { "选项", "人数", "比例", "图示", "首选", "平均名次" };
	/* A <tbody> a question: its heading row, then its options. */
	h_table_head(r, "stats-choices", "选择题：各选项人数及占答题人数的比例（多选题比例之和可超过 100%；"
	             "排序题另列首选人数和平均名次）", cols, NELEMS(cols));
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		char extra[96];
		if (!is_choice(fd->type))
			continue;
		any = 1;
		snprintf(extra, sizeof extra, "（%s，答题 %lld 人）",
		         fd->type == FT_SINGLE ? "单选" : fd->type == FT_MULTI ? "多选" : "排序",
		         t->answered[i]);
		h_printf(r, "<tbody><tr data-code=\"%s\" data-answered=\"%lld\">", fd->code, t->answered[i]);
		field_heading(r, fd, extra);
		h_raw(r, "</tr>");
		for (size_t k = 0; k < fd->nopts; k++) {
			long long c = t->cnt[i][k];
			char *label = form_display_label(fd->opts[k].label);
			percent(pct, sizeof pct, c, t->answered[i]);
			/* The bar is the share drawn (the table stays the text). */
			double w = t->answered[i] ? 100.0 * (double)c / (double)t->answered[i] : 0;
			h_printf(r, "<tr data-code=\"%s\" data-opt=\"%s\"><td>%s. %s</td>"
			         "<td class=\"num\">%lld</td><td class=\"num\">%s</td>"
			         "<td><svg width=\"104\" height=\"12\" viewBox=\"0 0 104 12\" aria-hidden=\"true\">"
			         "<rect x=\"0\" y=\"1\" width=\"%.1f\" height=\"10\" class=\"bar\"/></svg></td>",
			         fd->code, fd->opts[k].code, fd->opts[k].code, label, c, pct, w);
			if (fd->type == FT_RANK && c > 0)
				h_printf(r, "<td class=\"num\" data-k=\"first\">%lld</td>"
				         "<td class=\"num\" data-k=\"meanrank\">%.2f</td></tr>",
				         t->first[i][k], (double)t->rsum[i][k] / (double)c);
			else if (fd->type == FT_RANK)
				h_raw(r, "<td class=\"num\" data-k=\"first\">0</td><td class=\"num\" data-k=\"meanrank\">—</td></tr>");
			else
				h_raw(r, "<td></td><td></td></tr>");
			free(label);
		}
		h_raw(r, "</tbody>");
	}
	if (!any)
		h_raw(r, "<tbody><tr><td colspan=\"6\">本表没有选择题。</td></tr></tbody>");
	h_raw(r, "</table></div>");
}

static void render_numbers(struct req *r, const struct form *f, const struct tally *t)
{
	int any = 0;

	static const char *const cols[] = { "代码", "题目", "单位", "n", "合计", "平均", "最小", "最大" };
	h_table_begin(r, "stats-numbers", "数值题", cols, NELEMS(cols));
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		char v[4][64] = { "", "", "", "" };
		char *label;
		if (!is_numeric(fd->type))
			continue;
		any = 1;
		if (t->answered[i]) {
			format_scaled(v[0], sizeof v[0], t->sum[i]);
			format_scaled(v[1], sizeof v[1], mean_of(t->sum[i], t->answered[i]));
			format_scaled(v[2], sizeof v[2], t->min[i]);
			format_scaled(v[3], sizeof v[3], t->max[i]);
		}
		label = form_display_label(fd->label);
		h_printf(r, "<tr data-code=\"%s\"><td><code>%s</code></td><td>%s</td><td>%s</td>"
		         "<td class=\"num\" data-k=\"n\">%lld</td><td class=\"num\" data-k=\"sum\">%s</td>"
		         "<td class=\"num\" data-k=\"mean\">%s</td><td class=\"num\" data-k=\"min\">%s</td>"
		         "<td class=\"num\" data-k=\"max\">%s</td></tr>",
		         fd->code, fd->code, label, fd->unit, t->answered[i], v[0], v[1], v[2], v[3]);
		free(label);
	}
	if (!any)
		h_raw(r, "<tr><td colspan=\"8\">本表没有数值题。</td></tr>");
	h_table_end(r);
}

int stats_render(struct req *r, const struct form *f, const char *region)
{
	long long total = 0;
	size_t mark = r->body.len;
	struct tally t;
	int rc;

	tally_init(&t, f);
	rc = render_regions(r, f, region, &total) < 0 || tally_responses(r, f, region, &t) < 0 ? -1 : 0;
	if (rc == 0) {
		render_choices(r, f, &t);
		render_numbers(r, f, &t);
	}
	tally_free(&t, f);
	if (rc < 0) {
		/* Drop the half-rendered tables. */
		r->body.len = mark;
		if (r->body.data)
			r->body.data[mark] = 0;
		return -1;
	}
	return 0;
}
