/*
 * progress.c - counts of accounts, drafts and submissions per region and form.
 */
#include "progress.h"
#include "strata.h"
#include "catalog.h"
#include "db.h"
#include "html.h"
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "auth.h"
#include "deadline.h"
#include "util.h"

/* The columns are the forms of the catalog, in its order. */
static int form_index(const char *f)
{
	const struct form_info *fi = catalog_get(f);
	return fi ? (int)(fi - catalog_at(0)) : -1;
}

/* The per-form table from STMT_AGGR_PROGRESS's rows (one grouped query; regions
 * without accounts still get a row). */
static void render_progress(struct req *r, const struct dbrows *rows)
{
	size_t nforms = catalog_count();

	h_raw(r, "<div class=\"table-wrap\"><table class=\"progress\"><caption>各问卷填报进度"
	      "（已提交 / 草稿 / 账户数）</caption><thead><tr><th scope=\"col\">地区</th>");
	for (size_t i = 0; i < nforms; i++)
		h_printf(r, "<th scope=\"col\">%s</th>", catalog_at(i)->label);
	h_raw(r, "</tr></thead><tbody>");
	for (size_t i = 0; i < rows->nrows; ) {
		const char *code = dbrows_get(rows, i, 0);
		long long cnt[CATALOG_MAX_FORMS][3];
		memset(cnt, 0, sizeof cnt);
		size_t j = i;
		for (; j < rows->nrows && strcmp(dbrows_get(rows, j, 0), code) == 0; j++) {
			int f = form_index(dbrows_get(rows, j, 2));
			if (f < 0)
				continue;
			cnt[f][0] = dbrows_int(rows, j, 5);
			cnt[f][1] = dbrows_int(rows, j, 4);
			cnt[f][2] = dbrows_int(rows, j, 3);
		}
		h_printf(r, "<tr><th scope=\"row\">%s %s</th>", code, dbrows_get(rows, i, 1));
		for (size_t f = 0; f < nforms; f++)
			h_printf(r, "<td><span class=\"done\">%lld</span> / %lld / %lld</td>",
			         cnt[f][0], cnt[f][1], cnt[f][2]);
		h_raw(r, "</tr>");
		i = j;
	}
	h_raw(r, "</tbody></table></div>");
}

/* ------------------------------------------------------------------ */
/* Progress against the notice's quotas                                */

enum qstatus { Q_MET, Q_ON_TRACK, Q_BEHIND };
static const char *const QSTATUS_CODE[] = { "met", "on-track", "behind" };
/* Symbol and word: the status reads without colour. */
static const char *const QSTATUS_TEXT[] = { "✔ 已完成", "… 进行中", "✖ 落后" };

/* The sample strata (strata.h), in frame order, and their quotas. */
static const char *const QS_KEY[ST_COUNT] = { "res_hub", "res_window", "sme" };   /* data-k */
/* Counts of a stratum: sampled, slips printed, QR opened, registered, submitted. */
enum { QC_SAMPLED, QC_PRINTED, QC_OPENED, QC_REGISTERED, QC_SUBMITTED, QC__MAX };

struct qrow {
	const char  *code, *name;
	const char  *report_at;                  /* the self-evaluation's submission, or NULL */
	long long    report, hub_acc, hub_sub, win_acc, win_sub;
	long long    st[ST_COUNT][QC__MAX];
	long         days_survey, days_report;
	enum qstatus status[2 + ST_COUNT + 1];    /* report, hub, window units, strata */
	int          behind;
};

static enum qstatus status_of(int done, int possible, long days)
{
	if (done)
		return Q_MET;
	return possible && days >= 0 ? Q_ON_TRACK : Q_BEHIND;
}

static void qrow_status(struct qrow *q, const int quota[ST_COUNT])
{
	q->status[0] = status_of(q->report > 0, 1, q->days_report);
	q->status[1] = status_of(q->hub_acc > 0 && q->hub_sub >= q->hub_acc, q->hub_acc > 0, q->days_survey);
	q->status[2] = status_of(q->win_acc > 0 && q->win_sub >= q->win_acc, q->win_acc > 0, q->days_survey);
	for (int s = 0; s < ST_COUNT; s++) {
		const long long *c = q->st[s];
		/* A stratum short of its quota is behind whatever its answers. */
		q->status[3 + s] = status_of(c[QC_SAMPLED] >= quota[s] && c[QC_SUBMITTED] >= c[QC_SAMPLED],
		                             c[QC_SAMPLED] >= quota[s], q->days_survey);
	}
	q->behind = 0;
	for (size_t k = 0; k < NELEMS(q->status); k++)
		q->behind += q->status[k] == Q_BEHIND;
}

static const char *sort_key;

static double sme_share(const struct qrow *q)
{
	const long long *c = q->st[ST_SME];
	return c[QC_SAMPLED] ? (double)c[QC_SUBMITTED] / (double)c[QC_SAMPLED] : 0;
}

static int qrow_cmp(const void *a, const void *b)
{
	const struct qrow *x = a, *y = b;
	if (!strcmp(sort_key, "behind") && x->behind != y->behind)
		return y->behind - x->behind;
	if (!strcmp(sort_key, "sme") && sme_share(x) != sme_share(y))
		return sme_share(x) < sme_share(y) ? -1 : 1;
	return strcmp(x->code, y->code);
}

static void put_status(struct req *r, enum qstatus s)
{
	h_printf(r, "<br><span class=\"st st-%s\" data-status=\"%s\">%s</span>", QSTATUS_CODE[s],
	         QSTATUS_CODE[s], QSTATUS_TEXT[s]);
}

static void put_days(struct req *r, long d)
{
	if (d == DEADLINE_NONE)
		h_raw(r, "未设");
	else if (d < 0)
		h_raw(r, "已截止");
	else
		h_printf(r, "%ld 天", d);
}

static void put_row(struct req *r, const struct qrow *q, const int quota[ST_COUNT], int total)
{
	const long long *sme = q->st[ST_SME];
	double w = sme[QC_SAMPLED] ? 80.0 * (double)sme[QC_SUBMITTED] / (double)sme[QC_SAMPLED] : 0;

	if (total)
		h_raw(r, "<tr data-region=\"\" class=\"total\"><th scope=\"row\">合计</th>");
	else
		h_printf(r, "<tr data-region=\"%s\" data-behind=\"%d\"><th scope=\"row\">%s %s</th>",
		         q->code, q->behind, q->code, q->name);
	h_printf(r, "<td data-k=\"report\" data-n=\"%lld\">", q->report);
	if (total)
		h_printf(r, "%lld 份", q->report);
	else if (q->report)
		h_printf(r, "已提交<br><small>%s</small>", q->report_at ? q->report_at : "");
	else
		h_raw(r, "未提交");
	if (!total)
		put_status(r, q->status[0]);
	h_printf(r, "</td><td data-k=\"hub\" data-sub=\"%lld\" data-acc=\"%lld\">%lld / %lld",
	         q->hub_sub, q->hub_acc, q->hub_sub, q->hub_acc);
	if (!total)
		put_status(r, q->status[1]);
	h_printf(r, "</td><td data-k=\"window\" data-sub=\"%lld\" data-acc=\"%lld\">%lld / %lld",
	         q->win_sub, q->win_acc, q->win_sub, q->win_acc);
	if (!total)
		put_status(r, q->status[2]);
	h_raw(r, "</td>");
	for (int s = 0; s < ST_COUNT; s++) {
		const long long *c = q->st[s];
		h_printf(r, "<td data-k=\"%s\" data-sampled=\"%lld\" data-printed=\"%lld\" data-opened=\"%lld\""
		         " data-registered=\"%lld\" data-submitted=\"%lld\">抽中 %lld%s%d",
		         QS_KEY[s], c[QC_SAMPLED], c[QC_PRINTED], c[QC_OPENED], c[QC_REGISTERED], c[QC_SUBMITTED],
		         c[QC_SAMPLED], s == ST_SME ? "（不少于 " : " / ", quota[s]);
		h_printf(r, "%s<br><small>打印 %lld · 扫码 %lld · 注册 %lld · 提交 %lld</small>",
		         s == ST_SME ? "）" : "", c[QC_PRINTED], c[QC_OPENED], c[QC_REGISTERED], c[QC_SUBMITTED]);
		if (!total)
			put_status(r, q->status[3 + s]);
		h_raw(r, "</td>");
	}
	h_raw(r, "<td data-k=\"days\">");
	if (!total) {
		h_raw(r, "调查表 ");
		put_days(r, q->days_survey);
		h_raw(r, "<br>自评估 ");
		put_days(r, q->days_report);
	}
	h_printf(r, "</td><td><svg role=\"img\" width=\"84\" height=\"12\" viewBox=\"0 0 84 12\">"
	         "<title>中小企业已提交 %lld / %lld</title><rect x=\"0\" y=\"1\" width=\"80\" height=\"10\""
	         " class=\"bar-bg\"/><rect x=\"0\" y=\"1\" width=\"%.1f\" height=\"10\" class=\"bar\"/></svg></td></tr>",
	         sme[QC_SUBMITTED], sme[QC_SAMPLED], w);
}

/* Fills rows[] (one per region) from the progress rows and the sample query. */
static int quota_rows(struct req *r, const char *region_code, const struct dbrows *prog,
                      struct dbrows **samp, struct qrow **out, size_t *n)
{
	const struct form_info *rep = catalog_for_role(ROLE_REGION), *hub = catalog_for_role(ROLE_HUB),
	                       *win = catalog_for_role(ROLE_WINDOW);
	struct qrow *q = NULL;
	size_t nq = 0;

	if (db_query(r->db, STMT_AGGR_QUOTA, DB_ARGS(A_STR(region_code), A_STR(region_code)), samp) < 0)
		return -1;
	q = xcalloc(prog->nrows + 1, sizeof *q);
	for (size_t i = 0; i < prog->nrows; i++) {
		const char *code = dbrows_get(prog, i, 0), *form = dbrows_get(prog, i, 2);
		if (!nq || strcmp(q[nq - 1].code, code)) {
			q[nq].code = code;
			q[nq].name = dbrows_get(prog, i, 1);
			nq++;
		}
		struct qrow *row = &q[nq - 1];
		long long acc = dbrows_int(prog, i, 3), sub = dbrows_int(prog, i, 5);
		if (!form)
			continue;
		if (rep && !strcmp(form, rep->name)) {
			row->report = sub;
			row->report_at = dbrows_get(prog, i, 6);
		} else if (hub && !strcmp(form, hub->name)) {
			row->hub_acc = acc;
			row->hub_sub = sub;
		} else if (win && !strcmp(form, win->name)) {
			row->win_acc = acc;
			row->win_sub = sub;
		}
	}
	for (size_t i = 0; i < (*samp)->nrows; i++) {
		const char *code = dbrows_get(*samp, i, 0), *st = dbrows_get(*samp, i, 1);
		for (size_t k = 0; k < nq; k++) {
			if (strcmp(q[k].code, code))
				continue;
			for (int s = 0; s < ST_COUNT; s++)
				if (st && !strcmp(st, stratum_code(s)))
					for (int c = 0; c < QC__MAX; c++)
						q[k].st[s][c] = dbrows_int(*samp, i, 2 + (size_t)c);
		}
	}
	*out = q;
	*n = nq;
	return 0;
}

static int render_quota(struct req *r, const char *region_code, const char *sort,
                        const struct dbrows *prog)
{
	static const struct { const char *key, *label; } sorts[] = {
		{ "region", "按地区代码" }, { "behind", "落后项多的在前" }, { "sme", "中小企业提交率低的在前" },
	};
	const int quota[ST_COUNT] = { r->conf->sample_hub, r->conf->sample_window, r->conf->sample_sme };
	struct dbrows *samp = NULL;
	struct qrow *q = NULL, tot;
	size_t n = 0;
	time_t now = time(NULL);
	const struct form_info *rep = catalog_for_role(ROLE_REGION), *hub = catalog_for_role(ROLE_HUB);

	if (quota_rows(r, region_code, prog, &samp, &q, &n) < 0)
		return -1;
	memset(&tot, 0, sizeof tot);
	for (size_t i = 0; i < n; i++) {
		struct deadlines due;
		if (deadlines_for_region(r->db, r->conf, q[i].code, &due) < 0) {
			free(q);
			dbrows_free(samp);
			return -1;
		}
		q[i].days_survey = deadline_days_left(hub ? deadlines_of(&due, hub->name) : "", now);
		q[i].days_report = deadline_days_left(rep ? deadlines_of(&due, rep->name) : "", now);
		qrow_status(&q[i], quota);
		tot.report += q[i].report;
		tot.hub_acc += q[i].hub_acc;
		tot.hub_sub += q[i].hub_sub;
		tot.win_acc += q[i].win_acc;
		tot.win_sub += q[i].win_sub;
		for (int s = 0; s < ST_COUNT; s++)
			for (int c = 0; c < QC__MAX; c++)
				tot.st[s][c] += q[i].st[s][c];
	}
	sort_key = "region";
	for (size_t k = 0; k < NELEMS(sorts); k++)
		if (sort && !strcmp(sort, sorts[k].key))
			sort_key = sorts[k].key;
	qsort(q, n, sizeof *q, qrow_cmp);

	if (!region_code) {
		h_raw(r, "<p class=\"sort no-print\">排序：");
		for (size_t k = 0; k < NELEMS(sorts); k++)
			h_printf(r, strcmp(sort_key, sorts[k].key) ? "<a href=\"?sort=%s\">%s</a> " :
			         "<strong data-sort=\"%s\">%s</strong> ", sorts[k].key, sorts[k].label);
		h_raw(r, "</p>");
	}
	h_raw(r, "<div class=\"table-wrap\"><table class=\"quota\"><caption>对照通知要求的进度"
	      "（✔ 已完成 · … 进行中 · ✖ 落后）</caption><thead><tr><th scope=\"col\">地区</th>"
	      "<th scope=\"col\">自评估报告</th><th scope=\"col\">枢纽平台调查表</th>"
	      "<th scope=\"col\">窗口平台调查表</th>");
	for (int s = 0; s < ST_COUNT; s++)
		h_printf(r, "<th scope=\"col\">%s</th>", stratum_category(s));
	h_raw(r, "<th scope=\"col\">剩余天数</th><th scope=\"col\">中小企业提交</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++)
		put_row(r, &q[i], quota, 0);
	h_raw(r, "</tbody>");
	if (!region_code) {
		h_raw(r, "<tfoot>");
		put_row(r, &tot, quota, 1);
		h_raw(r, "</tfoot>");
	}
	h_raw(r, "</table></div>");
	free(q);
	dbrows_free(samp);
	return 0;
}

int progress_tables(struct req *r, const char *region_code, const char *sort)
{
	struct dbrows *prog;
	int rc;
	const struct form_info *rep = catalog_for_role(ROLE_REGION);

	/* The maintained counters (sql/005_aggregates.sql): the cost does not
	 * grow with the number of accounts or responses. */
	if (db_query(r->db, STMT_AGGR_PROGRESS,
	             DB_ARGS(A_STR(rep ? rep->name : ""), A_STR(role_code(ROLE_REGION)),
	                     A_STR(region_code), A_STR(region_code)), &prog) < 0)
		return -1;
	rc = render_quota(r, region_code, sort, prog);
	if (rc == 0)
		render_progress(r, prog);
	dbrows_free(prog);
	return rc;
}
