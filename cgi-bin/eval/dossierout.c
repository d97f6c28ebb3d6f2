/*
 * dossierout.c - the dossier printed (PDF, with the indicator charts) and
 * exported (XLSX), and the national workbook (dossier.h).
 */
#include "dossier.h"
#include "auth.h"
#include "db.h"
#include "evalconf.h"
#include "form.h"
#include "html.h"
#include "integrity.h"
#include "http.h"
#include "msg.h"
#include "pdfdoc.h"
#include "util.h"
#include "visits.h"
#include "workspace.h"
#include "xlsxbook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing table of cells whose strings it owns. */
struct grid {
	char  **cells;
	size_t  n, cap, ncols;
};

static void put(struct grid *g, const char *s)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->cells = xrealloc(g->cells, g->cap * sizeof *g->cells);
	}
	g->cells[g->n++] = xstrdup(s ? s : "");
}

static void putf(struct grid *g, const char *fmt, double v)
{
	char s[64];
	snprintf(s, sizeof s, fmt, v);
	put(g, s);
}

static void grid_free(struct grid *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->cells[i]);
	free(g->cells);
	memset(g, 0, sizeof *g);
}

/* The header row; its length is the grid's width. */
static void grid_head(struct grid *g, const char *const *h, size_t n)
{
	g->ncols = n;
	for (size_t c = 0; c < n; c++)
		put(g, h[c]);
}

static size_t rows_of(const struct grid *g) { return g->ncols ? g->n / g->ncols : 0; }

static const char *rating_label(const char *code)
{
	const struct ev_item *it = ev_find(ev_scale(), code);
	return it ? it->label : "";
}

/* ------------------------------------------------------- the grids */

/* Every indicator without and with the excluded responses, then a row
 * that says how many were excluded (region and nation). */
static void grid_indicators(const struct dossier *d, struct grid *g)
{
	static const char *const h[] = { "代码", "内容", "指标", "本地区", "本地区（含排除的答卷）", "全国",
	                                 "全国（含排除的答卷）", "单位", "本地区n", "本地区n（含）", "全国n", "全国n（含）" };
	grid_head(g, h, NELEMS(h));
	for (size_t i = 0; i < d->ind.n; i++) {
		const struct ind_pair *p = &d->ind.v[i];
		put(g, p->ind->code);
		put(g, p->ind->content);
		put(g, p->ind->label);
		put(g, p->region_s);
		put(g, p->region_all_s);
		put(g, p->nation_s);
		put(g, p->nation_all_s);
		put(g, p->ind->unit);
		putf(g, "%.0f", (double)p->region.n);
		putf(g, "%.0f", (double)p->region_all.n);
		putf(g, "%.0f", (double)p->nation.n);
		putf(g, "%.0f", (double)p->nation_all.n);
	}
	put(g, IV_EXCLUDED_CODE), put(g, ""), put(g, "评估机构排除的答卷（“本地区”“全国”两列不含）");
	putf(g, "%.0f", (double)d->ind.excluded_region), put(g, "");
	putf(g, "%.0f", (double)d->ind.excluded_nation), put(g, ""), put(g, "份");
	for (size_t c = 0; c < 4; c++)
		put(g, "");
}

/* The integrity review per rule, the last row all rules. */
static void grid_flag_counts(const struct dossier *d, struct grid *g)
{
	static const char *const h[] = { "规则代码", "规则", "标记", "已接受", "已排除", "已请地区核实", "待审核" };
	const struct dbrows *fc = d->flagcounts;

	grid_head(g, h, NELEMS(h));
	for (size_t i = 0; i < fc->nrows; i++) {
		const char *rule = dbrows_get(fc, i, 0);
		put(g, rule ? rule : "all");
		put(g, rule ? integrity_rule_label(rule) : "合计（一份答卷可能被几条规则标记）");
		for (size_t k = DF_FLAGGED; k <= DF_PENDING; k++)
			put(g, dbrows_get(fc, i, k));
	}
}

/* The flagged responses (rows of STMT_FLAGREVIEW_QUEUE). */
static void grid_flagged(const struct dossier *d, struct grid *g)
{
	static const char *const h[] = { "答卷", "调查表", "单位", "提交时间", "标记规则", "审核结论", "说明" };
	const struct dbrows *fl = d->flagged;
	grid_head(g, h, NELEMS(h));
	for (size_t i = 0; i < fl->nrows && i < DOSSIER_MAX_FLAGGED; i++) {
		const struct form *f = form_get(dbrows_get(fl, i, 3));
		struct buf rules = { 0 };
		dossier_rules_text(dbrows_get(fl, i, 5), &rules);
		put(g, dbrows_get(fl, i, 0));
		put(g, f ? f->title : dbrows_get(fl, i, 3));
		put(g, dbrows_get(fl, i, 4));
		put(g, dbrows_get(fl, i, 7));
		put(g, rules.data);
		put(g, integrity_decision_label(dbrows_get(fl, i, 6)));
		put(g, dbrows_get(fl, i, 8));
		buf_free(&rules);
	}
}

static void grid_progress(const struct req *r, const struct dossier *d, struct grid *g)
{
	static const char *const h[] = { "样本", "配额", "邀请", "注册", "提交" };
	grid_head(g, h, NELEMS(h));
	for (size_t i = 0; i < d->strata->nrows; i++) {
		int quota;
		put(g, dossier_stratum(r, dbrows_get(d->strata, i, 0), &quota));
		putf(g, "%.0f", quota);
		for (size_t k = 1; k <= 3; k++)
			put(g, dbrows_get(d->strata, i, k));
	}
}

/* Reviews of units (rows of STMT_REVIEW_UNITS); region: a column for it. */
static void grid_reviews(const struct dbrows *rv, struct grid *g, int region)
{
	static const char *const h[] = { "地区", "单位", "类型", "材料数", "评审版本", "一", "二", "三", "四", "保存时间",
	                                 "查阅意见" };
	g->ncols = NELEMS(h) - !region;
	for (size_t c = !region; c < NELEMS(h); c++)
		put(g, h[c]);
	for (size_t i = 0; i < rv->nrows; i++) {
		if (region)
			put(g, dbrows_get(rv, i, 2));
		put(g, dbrows_get(rv, i, 5));
		put(g, ws_unit_kind(dbrows_get(rv, i, 3)));
		put(g, dbrows_get(rv, i, 6));
		put(g, dbrows_get(rv, i, 7));
		for (size_t k = 0; k < 4; k++)
			put(g, rating_label(dbrows_get(rv, i, 8 + k)));
		put(g, dbrows_get(rv, i, 12));
		put(g, dbrows_get(rv, i, 13));
	}
}

static void grid_targets_head(struct grid *g, int region)
{
	static const char *const h[] = { "地区", "批复目标", "单位", "批复", "完成", "完成数来源", "完成率%" };
	g->ncols = NELEMS(h) - !region;
	for (size_t c = !region; c < NELEMS(h); c++)
		put(g, h[c]);
}

static void grid_targets(const struct target_row *t, size_t n, struct grid *g, const char *region)
{
	for (size_t i = 0; i < n; i++) {
		if (region)
			put(g, region);
		put(g, t[i].t->label);
		put(g, t[i].t->unit);
		t[i].has_approved ? putf(g, "%.2f", t[i].approved) : put(g, "");
		t[i].has_actual ? putf(g, "%.2f", t[i].actual) : put(g, "");
		put(g, t[i].source);
		t[i].has_approved && t[i].has_actual && t[i].approved > 0 ? putf(g, "%.2f", t[i].completion) : put(g, "");
	}
}

/* Visits (rows of STMT_VISITS_LIST); region: a column for it. */
static void grid_visits(const struct dbrows *v, struct grid *g, int region)
{
	static const char *const h[] = { "地区", "开始", "结束", "状态", "走访对象数", "地区确认", "取消原因", "走访发现" };
	g->ncols = NELEMS(h) - !region;
	for (size_t c = !region; c < NELEMS(h); c++)
		put(g, h[c]);
	for (size_t i = 0; i < v->nrows; i++) {
		if (region)
			put(g, dbrows_get(v, i, 2));
		put(g, dbrows_get(v, i, 3));
		put(g, dbrows_get(v, i, 4));
		put(g, visit_state_label(dbrows_get(v, i, 5)));
		put(g, dbrows_get(v, i, 7));
		put(g, dbrows_get(v, i, 6));
		put(g, dbrows_get(v, i, 8));
		put(g, dbrows_get(v, i, 9));
	}
}

static void grid_symposiums(const struct dbrows *s, struct grid *g)
{
	static const char *const h[] = { "日期", "召开单位", "邀请", "到会", "纪要" };
	grid_head(g, h, NELEMS(h));
	for (size_t i = 0; i < s->nrows; i++)
		for (size_t k = 1; k <= 5; k++)
			put(g, dbrows_get(s, i, k));
}

static void grid_open(const struct dossier *d, struct grid *g)
{
	g->ncols = 1;
	put(g, "待办事项");
	for (size_t i = 0; i < d->nopen; i++)
		put(g, d->open[i]);
}

/* ------------------------------------------------------------- send */

static void send_file(struct req *r, const struct buf *b, const char *ctype, const char *name)
{
	resp_header(r, "Content-Type", ctype);
	resp_header(r, "X-Content-Type-Options", "nosniff");
	resp_attachment(r, name);
	buf_reset(&r->body);
	buf_put(&r->body, b->data, b->len);
}

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static int load_or_answer(struct req *r, struct dossier *d)
{
	int rc = dossier_load(r, r->arg[WK_REGION].s, d);
	if (rc != 0)
		page_error(r, rc > 0 ? 404 : 503, rc > 0 ? MSG_NO_REGION : MSG_BUSY);
	return rc;
}

void dossier_xlsx(struct req *r)
{
	struct dossier d;
	struct grid g[9] = { 0 };
	struct buf out = { 0 };
	char name[64];

	if (load_or_answer(r, &d) != 0)
		return;
	grid_indicators(&d, &g[0]);
	grid_progress(r, &d, &g[1]);
	grid_reviews(d.reviews, &g[2], 0);
	grid_targets_head(&g[3], 0);
	grid_targets(d.targets, d.ntargets, &g[3], NULL);
	grid_visits(d.visits, &g[4], 0);
	grid_symposiums(d.syms, &g[5]);
	grid_open(&d, &g[6]);
	grid_flag_counts(&d, &g[7]);
	grid_flagged(&d, &g[8]);
	const struct xsheet sheets[] = {
		{ "评估指标", (const char *const *)g[0].cells, rows_of(&g[0]), g[0].ncols, "000111101111" },
		{ "填报进度", (const char *const *)g[1].cells, rows_of(&g[1]), g[1].ncols, "01111" },
		{ "评审和评分", (const char *const *)g[2].cells, rows_of(&g[2]), g[2].ncols, "0011000000" },
		{ "批复目标", (const char *const *)g[3].cells, rows_of(&g[3]), g[3].ncols, "001101" },
		{ "实地走访", (const char *const *)g[4].cells, rows_of(&g[4]), g[4].ncols, "0000100" },
		{ "座谈会", (const char *const *)g[5].cells, rows_of(&g[5]), g[5].ncols, "00110" },
		{ "待办事项", (const char *const *)g[6].cells, rows_of(&g[6]), g[6].ncols, NULL },
		{ "可信度审核", (const char *const *)g[7].cells, rows_of(&g[7]), g[7].ncols, "0011111" },
		{ "被标记的答卷", (const char *const *)g[8].cells, rows_of(&g[8]), g[8].ncols, "1000000" },
	};
	if (xlsx_book(sheets, NELEMS(sheets), &out) < 0) {
		page_error(r, 503, WS_MSG_NO_XLSX);
	} else {
		snprintf(name, sizeof name, "地区评估材料-%s.xlsx", d.region);
		send_file(r, &out, XLSX_TYPE, name);
	}
	for (size_t i = 0; i < NELEMS(g); i++)
		grid_free(&g[i]);
	buf_free(&out);
	dossier_free(&d);
}

/* ------------------------------------------------------------- PDF */

static void pdf_grid(struct pdfdoc *p, const struct grid *g, const double *w)
{
	pdf_table(p, w, g->ncols, (const char *const *)g->cells, rows_of(g), 0);
}

/* A bar pair per indicator: the region (dark) and the nation (grey),
 * scaled to 100 for percentages, else to the larger of the two. */
static void pdf_charts(struct pdfdoc *p, const struct dossier *d)
{
	for (size_t i = 0; i < d->ind.n; i++) {
		const struct ind_pair *x = &d->ind.v[i];
		double a = x->region.defined ? x->region.value : 0, b = x->nation.defined ? x->nation.value : 0;
		double max = !strcmp(x->ind->unit, "%") ? 100 : (a > b ? a : b);
		char label[300], va[80], vb[80];
		snprintf(label, sizeof label, "%s、%s", x->ind->content, x->ind->label);
		snprintf(va, sizeof va, "本地区 %s", *x->region_s ? x->region_s : "—");
		snprintf(vb, sizeof vb, "全国 %s", *x->nation_s ? x->nation_s : "—");
		pdf_bar(p, label, max > 0 ? a / max : 0, va, max > 0 ? b / max : 0, vb);
	}
}

/* Section 六: the integrity review's counts, per rule, and the flagged
 * responses (the first DOSSIER_MAX_FLAGGED). */
static void pdf_integrity(struct pdfdoc *p, const struct dossier *d)
{
	static const double w_rules[] = { 22, 58, 18, 18, 18, 22, 18 }, w_flag[] = { 14, 24, 32, 24, 34, 22, 24 };
	struct grid g = { 0 };
	char s[512];

	dossier_flags_summary(d, s, sizeof s);
	pdf_para(p, s);
	grid_flag_counts(d, &g), pdf_grid(p, &g, w_rules), grid_free(&g);
	grid_flagged(d, &g), pdf_grid(p, &g, w_flag), grid_free(&g);
	snprintf(s, sizeof s, DOSSIER_MSG_FIRST_FLAGGED, DOSSIER_MAX_FLAGGED);
	if (d->flagged->nrows > DOSSIER_MAX_FLAGGED)
		pdf_para(p, s);
}

static void pdf_body(struct req *r, struct pdfdoc *p, const struct dossier *d)
{
	static const double w_ind[] = { 22, 7, 35, 14, 14, 14, 14, 8, 11, 11, 11, 11 }, w_prog[] = { 70, 25, 25, 25, 25 },
	                    w_rev[] = { 40, 20, 10, 10, 10, 10, 10, 10, 10, 20, 30 },
	                    w_tgt[] = { 45, 15, 25, 25, 30, 30 }, w_vis[] = { 20, 20, 15, 12, 25, 30, 48 },
	                    w_sym[] = { 22, 45, 12, 12, 79 };
	struct grid g = { 0 };
	char note[512];

	pdf_heading(p, "一、评估指标（本地区与全国）");
	dossier_excluded_note(d, note, sizeof note);
	pdf_para(p, note);
	grid_indicators(d, &g), pdf_grid(p, &g, w_ind), grid_free(&g);
	pdf_heading(p, "评估指标图（深色：本地区；浅色：全国；均不含排除的答卷）");
	pdf_charts(p, d);
	pdf_heading(p, "二、填报进度（对照配额）");
	grid_progress(r, d, &g), pdf_grid(p, &g, w_prog), grid_free(&g);
	pdf_heading(p, "三、查阅资料：评审和评分");
	grid_reviews(d->reviews, &g, 0);
	pdf_table(p, w_rev + 1, g.ncols, (const char *const *)g.cells, rows_of(&g), 0), grid_free(&g);
	pdf_heading(p, "四、批复目标完成情况");
	grid_targets_head(&g, 0), grid_targets(d->targets, d->ntargets, &g, NULL), pdf_grid(p, &g, w_tgt), grid_free(&g);
	pdf_heading(p, "五、实地走访和座谈会");
	grid_visits(d->visits, &g, 0), pdf_grid(p, &g, w_vis), grid_free(&g);
	grid_symposiums(d->syms, &g), pdf_grid(p, &g, w_sym), grid_free(&g);
	pdf_heading(p, "六、答卷可信度审核");
	pdf_integrity(p, d);
	pdf_heading(p, "七、待办事项");
	for (size_t i = 0; i < d->nopen; i++)
		pdf_para(p, d->open[i]);
	if (!d->nopen)
		pdf_para(p, "无");
}

void dossier_pdf(struct req *r)
{
	struct dossier d;
	struct pdfdoc *p;
	struct buf out = { 0 }, head = { 0 };
	char name[64];

	if (load_or_answer(r, &d) != 0)
		return;
	if (!(p = pdf_begin("地区评估材料"))) {
		page_error(r, 503, WS_MSG_NO_PDF);
		dossier_free(&d);
		return;
	}
	pdf_title(p, "首批中小企业公共服务平台网络项目评估");
	buf_printf(&head, "%s评估材料", d.name);
	pdf_title(p, head.data);
	pdf_para(p, "评估机构：中国国际工程咨询公司。依据工信厅企业函〔2013〕782号，汇总查阅资料、问卷调查和实地走访调查的结果。");
	pdf_body(r, p, &d);
	if (pdf_end(p, &out) < 0) {
		page_error(r, 503, WS_MSG_NO_PDF);
	} else {
		snprintf(name, sizeof name, "地区评估材料-%s.pdf", d.region);
		send_file(r, &out, "application/pdf", name);
	}
	buf_free(&out);
	buf_free(&head);
	dossier_free(&d);
}

/* --------------------------------------------------------- national */

/* Per unit: region, unit, kind and its rating per content. */
static void grid_ratings(const struct dbrows *rv, struct grid *g)
{
	static const char *const h[] = { "地区", "单位", "类型", "一", "二", "三", "四" };
	grid_head(g, h, NELEMS(h));
	for (size_t i = 0; i < rv->nrows; i++) {
		put(g, dbrows_get(rv, i, 2));
		put(g, dbrows_get(rv, i, 5));
		put(g, ws_unit_kind(dbrows_get(rv, i, 3)));
		for (size_t k = 0; k < 4; k++)
			put(g, rating_label(dbrows_get(rv, i, 8 + k)));
	}
}

/* Per region and content, how many units got each rating ("好 1、较好 2"). */
static void grid_region_ratings(const struct dbrows *regions, const struct dbrows *rv, struct grid *g)
{
	const struct ev_list *sc = ev_scale();
	g->ncols = 6;
	put(g, "地区代码"), put(g, "地区");
	for (size_t k = 0; k < 4; k++) {
		char h[32];
		snprintf(h, sizeof h, "评估内容%s", ev_contents()->v[k].code);
		put(g, h);
	}
	for (size_t i = 0; i < regions->nrows; i++) {
		put(g, dbrows_get(regions, i, 0)), put(g, dbrows_get(regions, i, 1));
		for (size_t k = 0; k < 4; k++) {
			struct buf b = { 0 };
			for (size_t s = 0; s < sc->n; s++) {
				int n = 0;
				for (size_t u = 0; u < rv->nrows; u++)
					n += !strcmp(dbrows_get(rv, u, 1), dbrows_get(regions, i, 0)) &&
					     !strcmp(dbrows_get(rv, u, 8 + k) ? dbrows_get(rv, u, 8 + k) : "", sc->v[s].code);
				if (n)
					buf_printf(&b, "%s%s %d", b.len ? "、" : "", sc->v[s].label, n);
			}
			put(g, b.len ? b.data : "");
			buf_free(&b);
		}
	}
}

static int grid_all_targets(struct req *r, const struct dbrows *regions, struct grid *g)
{
	struct target_row t[DOSSIER_MAX_TARGETS];
	size_t nt;
	targets(&nt);
	grid_targets_head(g, 1);
	for (size_t i = 0; i < regions->nrows; i++) {
		if (targets_rows(r, dbrows_get(regions, i, 0), t) < 0)
			return -1;
		grid_targets(t, nt < DOSSIER_MAX_TARGETS ? nt : DOSSIER_MAX_TARGETS, g, dbrows_get(regions, i, 1));
	}
	return 0;
}

void national_xlsx(struct req *r)
{
	struct dbrows *regions = NULL, *rv = NULL, *vis = NULL;
	struct grid g[5] = { 0 };
	struct buf out = { 0 };

	if (db_query(r->db, STMT_REGION_LIST, DB_NOARGS, &regions) < 0 ||
	    db_query(r->db, STMT_REVIEW_UNITS, DB_ARGS(A_STR(role_code(ROLE_HUB)), A_STR(role_code(ROLE_WINDOW)), A_NULL, A_NULL), &rv) < 0 ||
	    db_query(r->db, STMT_VISITS_LIST, DB_ARGS(A_NULL, A_NULL), &vis) < 0) {
		page_error(r, 503, MSG_BUSY);
		goto out;
	}
	grid_visits(vis, &g[0], 1);
	grid_reviews(rv, &g[1], 1);
	grid_ratings(rv, &g[2]);
	if (grid_all_targets(r, regions, &g[3]) < 0) {
		page_error(r, 503, MSG_BUSY);
		goto out;
	}
	grid_region_ratings(regions, rv, &g[4]);
	const struct xsheet sheets[] = {
		{ "实地走访", (const char *const *)g[0].cells, rows_of(&g[0]), g[0].ncols, "00000100" },
		{ "评审", (const char *const *)g[1].cells, rows_of(&g[1]), g[1].ncols, "00011000000" },
		{ "评分", (const char *const *)g[2].cells, rows_of(&g[2]), g[2].ncols, NULL },
		{ "批复目标", (const char *const *)g[3].cells, rows_of(&g[3]), g[3].ncols, "0001101" },
		{ "各地区评分", (const char *const *)g[4].cells, rows_of(&g[4]), g[4].ncols, NULL },
	};
	if (xlsx_book(sheets, NELEMS(sheets), &out) < 0)
		page_error(r, 503, WS_MSG_NO_XLSX);
	else
		send_file(r, &out, XLSX_TYPE, "全国评估材料.xlsx");
out:
	for (size_t i = 0; i < NELEMS(g); i++)
		grid_free(&g[i]);
	buf_free(&out);
	if (regions)
		dbrows_free(regions);
	if (rv)
		dbrows_free(rv);
	if (vis)
		dbrows_free(vis);
}
