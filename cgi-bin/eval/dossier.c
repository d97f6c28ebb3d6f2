/*
 * dossier.c - a region's evaluation dossier: what it holds and its page
 * (dossier.h); dossierout.c prints and exports it.
 */
#include "dossier.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "evalconf.h"
#include "form.h"
#include "html.h"
#include "http.h"
#include "integrity.h"
#include "msg.h"
#include "symposium.h"
#include "util.h"
#include "visits.h"
#include "workspace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *dossier_stratum(const struct req *r, const char *stratum, int *quota)
{
	*quota = !strcmp(stratum, "hub") ? r->conf->sample_hub : !strcmp(stratum, "window") ? r->conf->sample_window
	                                                                                   : r->conf->sample_sme;
	return sym_stratum_label(stratum);
}

static void open_point(struct dossier *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void open_point(struct dossier *d, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;
	char tmp[512];

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	buf_puts(&b, tmp);
	d->open = xrealloc(d->open, (d->nopen + 1) * sizeof *d->open);
	d->open[d->nopen++] = buf_steal(&b);
}

/* What remains to be done or looked at: samples short of their quotas,
 * units not reviewed or not rated, targets missing or short, visits not
 * done or not confirmed, symposiums without minutes. */
static void open_points(const struct req *r, struct dossier *d)
{
	for (size_t i = 0; i < d->strata->nrows; i++) {
		int quota;
		const char *label = dossier_stratum(r, dbrows_get(d->strata, i, 0), &quota);
		if (dbrows_int(d->strata, i, 3) < quota)
			open_point(d, "%s已提交 %lld 家，少于配额 %d 家", label, dbrows_int(d->strata, i, 3), quota);
	}
	for (size_t i = 0; i < d->reviews->nrows; i++) {
		if (!dbrows_int(d->reviews, i, 7))
			open_point(d, "%s尚未评审", dbrows_get(d->reviews, i, 5));
		else
			for (size_t k = 0; k < 4; k++)
				if (!*dbrows_get(d->reviews, i, 8 + k))
					open_point(d, "%s的评估内容%s尚未评分", dbrows_get(d->reviews, i, 5), ev_contents()->v[k].code);
	}
	for (size_t i = 0; i < d->ntargets; i++) {
		const struct target_row *t = &d->targets[i];
		if (!t->has_approved)
			open_point(d, "批复目标“%s”尚未导入", t->t->label);
		else if (!t->has_actual)
			open_point(d, "“%s”尚无完成数（%s）", t->t->label, t->source);
		else if (t->completion < 100)
			open_point(d, "“%s”完成 %.2f%%，未达到批复", t->t->label, t->completion);
	}
	int done = 0;
	for (size_t i = 0; i < d->visits->nrows; i++) {
		done |= !strcmp(dbrows_get(d->visits, i, 5), "done");
		if (!strcmp(dbrows_get(d->visits, i, 5), "notified") && !*dbrows_get(d->visits, i, 6))
			open_point(d, "走访（%s）地区尚未确认", dbrows_get(d->visits, i, 3));
	}
	if (!done)
		open_point(d, "尚未完成实地走访");
	for (size_t i = 0; i < d->syms->nrows; i++)
		if (!*dbrows_get(d->syms, i, 5))
			open_point(d, "座谈会（%s，%s）尚无纪要", dbrows_get(d->syms, i, 1), dbrows_get(d->syms, i, 2));
	if (dossier_flags(d, DF_PENDING))
		open_point(d, "%lld 份被标记的答卷尚待审核", dossier_flags(d, DF_PENDING));
	if (dossier_flags(d, DF_ASKED))
		open_point(d, "%lld 份答卷已请地区核实", dossier_flags(d, DF_ASKED));
}

long long dossier_flags(const struct dossier *d, int kind)
{
	/* The rollup row (rule NULL) is the last. */
	size_t n = d->flagcounts ? d->flagcounts->nrows : 0;
	return n && !dbrows_get(d->flagcounts, n - 1, 0) ? dbrows_int(d->flagcounts, n - 1, (size_t)kind) : 0;
}

int dossier_load(struct req *r, const char *region, struct dossier *d)
{
	char *name = NULL;
	size_t nt;

	memset(d, 0, sizeof *d);
	if (db_query_str(r->db, STMT_REGION_NAME, DB_ARGS(A_STR(region)), &name) < 0)
		return -1;
	if (!name)
		return 1;
	snprintf(d->region, sizeof d->region, "%s", region);
	snprintf(d->name, sizeof d->name, "%s", name);
	free(name);
	targets(&nt);
	d->ntargets = nt < DOSSIER_MAX_TARGETS ? nt : DOSSIER_MAX_TARGETS;
	if (indview_pairs(r, region, &d->ind) < 0 ||
	    db_query(r->db, STMT_DOSSIER_STRATA, DB_ARGS(A_STR(region)), &d->strata) < 0 ||
	    db_query(r->db, STMT_DOSSIER_FORMS, DB_ARGS(A_STR(region)), &d->forms) < 0 ||
	    db_query(r->db, STMT_REVIEW_UNITS, DB_ARGS(A_STR(role_code(ROLE_HUB)), A_STR(role_code(ROLE_WINDOW)), A_STR(region), A_STR(region)), &d->reviews) < 0 ||
	    db_query(r->db, STMT_VISITS_LIST, DB_ARGS(A_STR(region), A_STR(region)), &d->visits) < 0 ||
	    db_query(r->db, STMT_DOSSIER_SYMPOSIUMS, DB_ARGS(A_STR(region), A_STR(region)), &d->syms) < 0 ||
	    db_query(r->db, STMT_DOSSIER_FLAG_COUNTS, DB_ARGS(A_STR(region)), &d->flagcounts) < 0 ||
	    db_query(r->db, STMT_FLAGREVIEW_QUEUE, DB_ARGS(A_STR(region), A_STR(region), A_NULL, A_NULL, A_INT(0), A_NULL,
	             A_NULL, A_INT(DOSSIER_MAX_FLAGGED + 1)), &d->flagged) < 0 ||
	    targets_rows(r, region, d->targets) < 0) {
		dossier_free(d);
		return -1;
	}
	open_points(r, d);
	return 0;
}

void dossier_free(struct dossier *d)
{
	struct dbrows **rows[] = { &d->strata, &d->forms, &d->reviews, &d->visits, &d->syms, &d->flagcounts,
	                           &d->flagged };
	for (size_t i = 0; i < NELEMS(rows); i++)
		if (*rows[i])
			dbrows_free(*rows[i]);
	for (size_t i = 0; i < d->nopen; i++)
		free(d->open[i]);
	free(d->open);
	free(d->ind.v);
	memset(d, 0, sizeof *d);
}

void dossier_excluded_note(const struct dossier *d, char *out, size_t n)
{
	snprintf(out, n, "评估机构在可信度审核中排除的答卷：本地区 %lld 份，全国 %lld 份。“本地区”“全国”两列不含这些答卷"
	         "（与评估指标页相同），“含排除的答卷”两列计入这些答卷。", d->ind.excluded_region, d->ind.excluded_nation);
}

void dossier_rules_text(const char *list, struct buf *out)
{
	char *copy = xstrdup(list ? list : ""), *save = NULL;
	for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save))
		buf_printf(out, "%s%s", out->len ? "、" : "", integrity_rule_label(c));
	free(copy);
}

void dossier_flags_summary(const struct dossier *d, char *out, size_t n)
{
	snprintf(out, n, "本地区被可信度规则标记的答卷 %lld 份：已接受 %lld 份，已排除 %lld 份，已请地区核实 %lld 份，"
	         "尚待审核 %lld 份。", dossier_flags(d, DF_FLAGGED), dossier_flags(d, DF_ACCEPTED),
	         dossier_flags(d, DF_EXCLUDED), dossier_flags(d, DF_ASKED), dossier_flags(d, DF_PENDING));
}

/* ------------------------------------------------------------- page */

/* The value cell of one column (data-col names it for the tests). */
static void value_cell(struct req *r, const char *col, const char *v)
{
	h_printf(r, "<td class=\"num\" data-col=\"%s\">%s</td>", col, *v ? v : "—");
}

static void page_indicators(struct req *r, const struct dossier *d)
{
	static const char *const cols[] = { "内容", "指标", "本地区", "本地区（含排除的答卷）", "全国",
	                                    "全国（含排除的答卷）", "单位", "本地区 n", "本地区 n（含排除的答卷）" };
	h_raw(r, "<section><h2>一、评估指标（本地区与全国）</h2>");
	char note[512];
	dossier_excluded_note(d, note, sizeof note);
	h_printf(r, "<p class=\"notice excluded-note\" data-excluded=\"%lld\" data-excluded-nation=\"%lld\">%s</p>",
	         d->ind.excluded_region, d->ind.excluded_nation, note);
	h_table_begin(r, "dossier-indicators", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < d->ind.n; i++) {
		const struct ind_pair *p = &d->ind.v[i];
		h_printf(r, "<tr id=\"i-%s\"><td>%s</td><td>%s</td>", p->ind->code, p->ind->content, p->ind->label);
		value_cell(r, "region", p->region_s);
		value_cell(r, "region-all", p->region_all_s);
		value_cell(r, "nation", p->nation_s);
		value_cell(r, "nation-all", p->nation_all_s);
		h_printf(r, "<td>%s</td><td class=\"num\" data-col=\"n\">%lld</td><td class=\"num\" data-col=\"n-all\">%lld</td>"
		         "</tr>", p->ind->unit, p->region.n, p->region_all.n);
	}
	h_table_end(r);
	h_printf(r, "<p><a href=\"/admin/indicators?region=%s\">指标图表和文字答案</a></p></section>", d->region);
}

static void page_progress(struct req *r, const struct dossier *d)
{
	static const char *const cols[] = { "样本", "配额", "邀请", "注册", "提交" };
	h_raw(r, "<section><h2>二、填报进度（对照配额）</h2>");
	h_table_begin(r, "dossier-progress", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < d->strata->nrows; i++) {
		int quota;
		const char *label = dossier_stratum(r, dbrows_get(d->strata, i, 0), &quota);
		h_printf(r, "<tr><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td></tr>", label, quota,
		         dbrows_get(d->strata, i, 1), dbrows_get(d->strata, i, 2), dbrows_get(d->strata, i, 3));
	}
	for (size_t i = 0; i < d->forms->nrows; i++)
		h_printf(r, "<tr><td>%s问卷（账户）</td><td>—</td><td>%s</td><td>—</td><td>%s</td></tr>",
		         dbrows_get(d->forms, i, 0), dbrows_get(d->forms, i, 1), dbrows_get(d->forms, i, 2));
	h_table_end(r);
	h_raw(r, "</section>");
}

static void page_reviews(struct req *r, const struct dossier *d)
{
	static const char *const cols[] = { "单位", "类型", "材料", "一", "二", "三", "四", "查阅意见" };
	h_raw(r, "<section><h2>三、查阅资料：评审和评分</h2>");
	h_table_begin(r, "dossier-reviews", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < d->reviews->nrows; i++) {
		h_printf(r, "<tr><td>%s</td><td>%s</td><td>%s</td>", dbrows_get(d->reviews, i, 5),
		         ws_unit_kind(dbrows_get(d->reviews, i, 3)), dbrows_get(d->reviews, i, 6));
		for (size_t k = 0; k < 4; k++) {
			const struct ev_item *it = ev_find(ev_scale(), dbrows_get(d->reviews, i, 8 + k));
			h_printf(r, "<td>%s</td>", it ? it->label : "未评");
		}
		h_printf(r, "<td>%s</td></tr>", dbrows_get(d->reviews, i, 13));
	}
	h_table_end(r);
	h_raw(r, "</section>");
}

static void page_visits(struct req *r, const struct dossier *d)
{
	h_raw(r, "<section><h2>五、实地走访和座谈会</h2><ul>");
	for (size_t i = 0; i < d->visits->nrows; i++)
		h_printf(r, "<li>%s 至 %s（%s）：%s</li>", dbrows_get(d->visits, i, 3), dbrows_get(d->visits, i, 4),
		         visit_state_label(dbrows_get(d->visits, i, 5)),
		         *dbrows_get(d->visits, i, 9) ? dbrows_get(d->visits, i, 9) : "（无走访发现）");
	for (size_t i = 0; i < d->syms->nrows; i++)
		h_printf(r, "<li>座谈会 %s，%s，邀请 %s 家，到会 %s 家：%s</li>", dbrows_get(d->syms, i, 1),
		         dbrows_get(d->syms, i, 2), dbrows_get(d->syms, i, 3), dbrows_get(d->syms, i, 4),
		         *dbrows_get(d->syms, i, 5) ? dbrows_get(d->syms, i, 5) : "（无纪要）");
	h_raw(r, "</ul></section>");
}

/* The region's integrity review: the counts, per rule, and the flagged
 * responses with their rules, the decision and the agency's note. */
static void page_integrity(struct req *r, const struct dossier *d)
{
	static const char *const rcols[] = { "规则", "标记", "已接受", "已排除", "已请地区核实", "待审核" };
	static const char *const fcols[] = { "答卷", "调查表", "单位", "提交时间", "标记规则", "审核结论", "说明" };
	char sum[512];
	size_t n = d->flagged->nrows > DOSSIER_MAX_FLAGGED ? DOSSIER_MAX_FLAGGED : d->flagged->nrows;

	dossier_flags_summary(d, sum, sizeof sum);
	h_printf(r, "<section id=\"integrity\"><h2>六、答卷可信度审核</h2><p class=\"integrity-counts\" data-flagged=\"%lld\""
	         " data-accepted=\"%lld\" data-excluded=\"%lld\" data-asked=\"%lld\" data-pending=\"%lld\">%s</p>",
	         dossier_flags(d, DF_FLAGGED), dossier_flags(d, DF_ACCEPTED), dossier_flags(d, DF_EXCLUDED),
	         dossier_flags(d, DF_ASKED), dossier_flags(d, DF_PENDING), sum);
	h_table_begin(r, "dossier-flag-rules", NULL, rcols, NELEMS(rcols));
	for (size_t i = 0; i + 1 < d->flagcounts->nrows; i++) {
		h_printf(r, "<tr data-rule=\"%s\"><td>%s</td>", dbrows_get(d->flagcounts, i, 0),
		         integrity_rule_label(dbrows_get(d->flagcounts, i, 0)));
		for (size_t k = DF_FLAGGED; k <= DF_PENDING; k++)
			h_printf(r, "<td class=\"num\">%s</td>", dbrows_get(d->flagcounts, i, k));
		h_raw(r, "</tr>");
	}
	h_table_end(r);
	h_table_begin(r, "dossier-flagged", NULL, fcols, NELEMS(fcols));
	for (size_t i = 0; i < n; i++) {
		const struct form *f = form_get(dbrows_get(d->flagged, i, 3));
		h_printf(r, "<tr data-id=\"%s\"><td><a href=\"/admin/integrity/response?id=%s\">%s</a></td><td>%s</td>"
		         "<td>%s</td><td>%s</td><td>", dbrows_get(d->flagged, i, 0), dbrows_get(d->flagged, i, 0),
		         dbrows_get(d->flagged, i, 0), f ? f->title : dbrows_get(d->flagged, i, 3),
		         dbrows_get(d->flagged, i, 4), dbrows_get(d->flagged, i, 7));
		struct buf rules = { 0 };
		dossier_rules_text(dbrows_get(d->flagged, i, 5), &rules);
		h_printf(r, "%s</td><td>%s</td><td>%s</td></tr>", rules.data ? rules.data : "",
		         integrity_decision_label(dbrows_get(d->flagged, i, 6)), dbrows_get(d->flagged, i, 8));
		buf_free(&rules);
	}
	h_table_end(r);
	if (d->flagged->nrows > n)
		h_printf(r, "<p>" DOSSIER_MSG_FIRST_FLAGGED "</p>", DOSSIER_MAX_FLAGGED);
	h_printf(r, "<p><a href=\"/admin/integrity?region=%s\">本地区的可信度审核列表</a></p></section>", d->region);
}

void dossier_page(struct req *r)
{
	struct dossier d;
	int rc = dossier_load(r, r->arg[WK_REGION].s, &d);

	if (rc != 0) {
		page_error(r, rc > 0 ? 404 : 503, rc > 0 ? MSG_NO_REGION : MSG_BUSY);
		return;
	}
	page_begin(r, "地区评估材料");
	h_printf(r, "<p>%s（%s） · <a href=\"/agency/dossier.pdf?region=%s\">PDF</a> · "
	         "<a href=\"/agency/dossier.xlsx?region=%s\">XLSX</a></p>", d.name, d.region, d.region, d.region);
	page_indicators(r, &d);
	page_progress(r, &d);
	page_reviews(r, &d);
	h_raw(r, "<section><h2>四、批复目标完成情况</h2>");
	targets_table(r, d.region);
	h_raw(r, "</section>");
	page_visits(r, &d);
	page_integrity(r, &d);
	h_raw(r, "<section><h2>七、待办事项</h2><ul class=\"open-points\">");
	for (size_t i = 0; i < d.nopen; i++)
		h_printf(r, "<li>%s</li>", d.open[i]);
	h_raw(r, d.nopen ? "</ul></section>" : "<li>无</li></ul></section>");
	dossier_free(&d);
	page_end(r);
}
