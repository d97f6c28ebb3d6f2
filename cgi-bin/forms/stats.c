/*
 * stats.c - per-form statistics from SQL aggregates (see stats.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "form.h"
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

/* The choice query names its fields in a fixed IN list of IN_MAX
 * placeholders (one prepared statement for every form; unused ones are
 * NULL), run once per IN_MAX choice fields. FIND_IN_SET over a code list
 * was 15 times slower on 360,000 answers. */
#define IN_MAX 32
#define Q4  "?,?,?,?"
#define Q32 Q4 "," Q4 "," Q4 "," Q4 "," Q4 "," Q4 "," Q4 "," Q4

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
	h_printf(r, "<th scope=\"rowgroup\" colspan=\"3\"><code>%s</code> %s%s</th>", fd->code,
	         label, extra);
	free(label);
}

static int render_regions(struct req *r, const struct form *f, const char *region,
                          long long *total)
{
	struct dbrows *rows;
	if (db_query(r->db,
	    "SELECT COALESCE(p.region_code, ''), COALESCE(g.name, ''), COUNT(*)"
	    " FROM responses p LEFT JOIN regions g ON g.code = p.region_code"
	    " WHERE p.form = ? AND p.status = 'submitted' AND (? IS NULL OR p.region_code = ?)"
	    " GROUP BY p.region_code, g.name ORDER BY p.region_code",
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

/* Adds the per-option counts of the choice fields in codes[0..n) to
 * cnt/answered. Returns 0 or -1. */
static int count_choices(struct req *r, const struct form *f, const char *region,
                         const char *const *codes, size_t n, long long **cnt, long long *answered)
{
	struct dbarg args[3 + IN_MAX];
	struct dbrows *rows;

	args[0] = A_STR(f->name);
	args[1] = A_STR(region);
	args[2] = A_STR(region);
	for (size_t i = 0; i < IN_MAX; i++)
		args[3 + i] = i < n ? A_STR(codes[i]) : A_NULL;
	/* One row per distinct (question, stored value): for a multi the value
	 * is a set like "1,3", split below. */
	if (db_query(r->db,
	    "SELECT a.code, a.value, COUNT(*) FROM answers a JOIN responses p ON p.id = a.response_id"
	    " WHERE p.form = ? AND p.status = 'submitted' AND (? IS NULL OR p.region_code = ?)"
	    " AND a.code IN (" Q32 ") GROUP BY a.code, a.value",
	    args, sizeof args / sizeof args[0], &rows) < 0)
		return -1;
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *code = dbrows_get(rows, i, 0), *v = dbrows_get(rows, i, 1);
		long long c = dbrows_int(rows, i, 2);
		int fi = form_field_index(f, code ? code : "");
		const struct field *fd;
		if (fi < 0 || !v)
			continue;
		fd = &f->fields[fi];
		if (!cnt[fi])
			cnt[fi] = xcalloc(fd->nopts ? fd->nopts : 1, sizeof **cnt);
		answered[fi] += c;
		for (size_t k = 0; k < fd->nopts; k++)
			if (fd->type == FT_SINGLE ? !strcmp(v, fd->opts[k].code)
			                          : form_value_has(v, fd->opts[k].code) > 0)
				cnt[fi][k] += c;
	}
	dbrows_free(rows);
	return 0;
}

static int render_choices(struct req *r, const struct form *f, const char *region)
{
	size_t nf = f->nfields ? f->nfields : 1, n = 0;
	long long **cnt = xcalloc(nf, sizeof *cnt);
	long long *answered = xcalloc(nf, sizeof *answered);
	const char *codes[IN_MAX];
	char pct[32];
	int any = 0, rc = 0;

	for (size_t i = 0; i <= f->nfields && rc == 0; i++) {
		if (i < f->nfields && is_choice(f->fields[i].type))
			codes[n++] = f->fields[i].code;
		if (n > 0 && (n == IN_MAX || i == f->nfields)) {
			rc = count_choices(r, f, region, codes, n, cnt, answered);
			n = 0;
		}
	}
	if (rc < 0)
		goto out;

	h_raw(r, "<div class=\"table-wrap\"><table class=\"stats-choices\"><caption>选择题：各选项人数及占"
	      "答题人数的比例（多选题比例之和可超过 100%）</caption><thead><tr><th scope=\"col\">选项</th>"
	      "<th scope=\"col\">人数</th><th scope=\"col\">比例</th></tr></thead>");
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		char extra[96];
		if (!is_choice(fd->type))
			continue;
		any = 1;
		snprintf(extra, sizeof extra, "（%s，答题 %lld 人）",
		         fd->type == FT_SINGLE ? "单选" : fd->type == FT_MULTI ? "多选" : "排序",
		         answered[i]);
		h_printf(r, "<tbody><tr data-code=\"%s\" data-answered=\"%lld\">", fd->code, answered[i]);
		field_heading(r, fd, extra);
		h_raw(r, "</tr>");
		for (size_t k = 0; k < fd->nopts; k++) {
			long long c = cnt[i] ? cnt[i][k] : 0;
			char *label = form_display_label(fd->opts[k].label);
			percent(pct, sizeof pct, c, answered[i]);
			h_printf(r, "<tr data-code=\"%s\" data-opt=\"%s\"><td>%s. %s</td>"
			         "<td class=\"num\">%lld</td><td class=\"num\">%s</td></tr>",
			         fd->code, fd->opts[k].code, fd->opts[k].code, label, c, pct);
			free(label);
		}
		h_raw(r, "</tbody>");
	}
	if (!any)
		h_raw(r, "<tbody><tr><td colspan=\"3\">本表没有选择题。</td></tr></tbody>");
	h_raw(r, "</table></div>");
out:
	for (size_t i = 0; i < f->nfields; i++)
		free(cnt[i]);
	free(cnt);
	free(answered);
	return rc;
}


static int render_numbers(struct req *r, const struct form *f, const char *region)
{
	struct dbrows *rows;
	int *at = xcalloc(f->nfields ? f->nfields : 1, sizeof *at);
	int any = 0;

	/* Every short answer of the form is aggregated in one pass and only the
	 * numeric fields' rows are used: filtering by code in SQL cost more
	 * than the aggregates. Stored numbers are validated, so their casts
	 * are exact; other values cast with a warning and are dropped below. */
	if (db_query(r->db,
	    "SELECT a.code, COUNT(*), SUM(CAST(a.value AS DECIMAL(30,4))),"
	    " ROUND(AVG(CAST(a.value AS DECIMAL(30,4))), 4),"
	    " MIN(CAST(a.value AS DECIMAL(30,4))), MAX(CAST(a.value AS DECIMAL(30,4)))"
	    " FROM answers a JOIN responses p ON p.id = a.response_id"
	    " WHERE p.form = ? AND p.status = 'submitted' AND (? IS NULL OR p.region_code = ?)"
	    " AND CHAR_LENGTH(a.value) <= 40 GROUP BY a.code",
	    DB_ARGS(A_STR(f->name), A_STR(region), A_STR(region)), &rows) < 0) {
		free(at);
		return -1;
	}
	/* at[i] = 1 + row of field i, 0 when nobody answered it. */
	for (size_t i = 0; i < rows->nrows; i++) {
		int fi = form_field_index(f, dbrows_get(rows, i, 0) ? dbrows_get(rows, i, 0) : "");
		if (fi >= 0 && is_numeric(f->fields[fi].type))
			at[fi] = (int)i + 1;
	}
	h_raw(r, "<div class=\"table-wrap\"><table class=\"stats-numbers\"><caption>数值题</caption>"
	      "<thead><tr><th scope=\"col\">代码</th><th scope=\"col\">题目</th><th scope=\"col\">单位</th>"
	      "<th scope=\"col\">n</th><th scope=\"col\">合计</th><th scope=\"col\">平均</th>"
	      "<th scope=\"col\">最小</th><th scope=\"col\">最大</th></tr></thead><tbody>");
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		char v[4][64];
		char *label;
		if (!is_numeric(fd->type))
			continue;
		any = 1;
		for (int k = 0; k < 4; k++)
			trim_number(v[k], sizeof v[k],
			            at[i] ? dbrows_get(rows, (size_t)at[i] - 1, 2 + (size_t)k) : NULL);
		label = form_display_label(fd->label);
		h_printf(r, "<tr data-code=\"%s\"><td><code>%s</code></td><td>%s</td><td>%s</td>"
		         "<td class=\"num\" data-k=\"n\">%lld</td><td class=\"num\" data-k=\"sum\">%s</td>"
		         "<td class=\"num\" data-k=\"mean\">%s</td><td class=\"num\" data-k=\"min\">%s</td>"
		         "<td class=\"num\" data-k=\"max\">%s</td></tr>",
		         fd->code, fd->code, label, fd->unit,
		         at[i] ? dbrows_int(rows, (size_t)at[i] - 1, 1) : 0LL, v[0], v[1], v[2], v[3]);
		free(label);
	}
	if (!any)
		h_raw(r, "<tr><td colspan=\"8\">本表没有数值题。</td></tr>");
	h_raw(r, "</tbody></table></div>");
	dbrows_free(rows);
	free(at);
	return 0;
}

int stats_render(struct req *r, const struct form *f, const char *region)
{
	long long total = 0;
	size_t mark = r->body.len;

	if (render_regions(r, f, region, &total) < 0 || render_choices(r, f, region) < 0 ||
	    render_numbers(r, f, region) < 0) {
		/* Drop the half-rendered tables. */
		r->body.len = mark;
		if (r->body.data)
			r->body.data[mark] = 0;
		return -1;
	}
	return 0;
}
