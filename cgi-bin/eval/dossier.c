/*
 * dossier.c - a region's evaluation dossier: what it holds and its page
 * (dossier.h); dossierout.c prints and exports it.
 */
#include "dossier.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "evalconf.h"
#include "html.h"
#include "http.h"
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
	if (indview_pairs(r, region, &d->ind, &d->nind) < 0 ||
	    db_query(r->db, STMT_DOSSIER_STRATA, DB_ARGS(A_STR(region)), &d->strata) < 0 ||
	    db_query(r->db, STMT_DOSSIER_FORMS, DB_ARGS(A_STR(region)), &d->forms) < 0 ||
	    db_query(r->db, STMT_REVIEW_UNITS, DB_ARGS(A_STR(role_code(ROLE_HUB)), A_STR(role_code(ROLE_WINDOW)), A_STR(region), A_STR(region)), &d->reviews) < 0 ||
	    db_query(r->db, STMT_VISITS_LIST, DB_ARGS(A_STR(region), A_STR(region)), &d->visits) < 0 ||
	    db_query(r->db, STMT_DOSSIER_SYMPOSIUMS, DB_ARGS(A_STR(region), A_STR(region)), &d->syms) < 0 ||
	    targets_rows(r, region, d->targets) < 0) {
		dossier_free(d);
		return -1;
	}
	open_points(r, d);
	return 0;
}

void dossier_free(struct dossier *d)
{
	struct dbrows **rows[] = { &d->strata, &d->forms, &d->reviews, &d->visits, &d->syms };
	for (size_t i = 0; i < NELEMS(rows); i++)
		if (*rows[i])
			dbrows_free(*rows[i]);
	for (size_t i = 0; i < d->nopen; i++)
		free(d->open[i]);
	free(d->open);
	free(d->ind);
	memset(d, 0, sizeof *d);
}

/* ------------------------------------------------------------- page */

static void page_indicators(struct req *r, const struct dossier *d)
{
	static const char *const cols[] = { "内容", "指标", "本地区", "全国", "单位", "本地区 n" };
	h_raw(r, "<section><h2>一、评估指标（本地区与全国）</h2>");
	h_table_begin(r, "dossier-indicators", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < d->nind; i++)
		h_printf(r, "<tr id=\"i-%s\"><td>%s</td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
		         "<td>%s</td><td class=\"num\">%lld</td></tr>", d->ind[i].ind->code, d->ind[i].ind->content,
		         d->ind[i].ind->label, *d->ind[i].region_s ? d->ind[i].region_s : "—",
		         *d->ind[i].nation_s ? d->ind[i].nation_s : "—", d->ind[i].ind->unit, d->ind[i].region.n);
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
	h_raw(r, "<section><h2>六、待办事项</h2><ul class=\"open-points\">");
	for (size_t i = 0; i < d.nopen; i++)
		h_printf(r, "<li>%s</li>", d.open[i]);
	h_raw(r, d.nopen ? "</ul></section>" : "<li>无</li></ul></section>");
	dossier_free(&d);
	page_end(r);
}
