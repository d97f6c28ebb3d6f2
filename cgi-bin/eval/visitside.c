/*
 * visitside.c - the visited side of the agency's visits (visits.h): the
 * region sees its notified visits and confirms them, a visited hub or
 * window sees the visits it is an object of. Never the findings.
 */
#include "visits.h"
#include "auth.h"
#include "db.h"
#include "html.h"
#include "http.h"
#include "msg.h"
#include "util.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The schedules and teams of every visit shown (STMT_REGION_VISITS_OBJECTS
 * and _TEAM, or the unit's): one query each, not one per visit; the
 * visit's id is column 0, the columns of STMT_VISIT_OBJECTS and
 * STMT_VISIT_TEAM follow. */
struct visit_details {
	struct dbrows *objs, *team;
};

static int visit_details_load(struct req *r, enum stmt objs, enum stmt team, const struct dbarg *arg,
                              struct visit_details *d)
{
	d->objs = d->team = NULL;
	if (db_query(r->db, objs, arg, 1, &d->objs) < 0)
		return -1;
	if (db_query(r->db, team, arg, 1, &d->team) < 0) {
		dbrows_free(d->objs);
		d->objs = NULL;
		return -1;
	}
	return 0;
}

static void visit_details_free(struct visit_details *d)
{
	dbrows_free(d->objs);
	dbrows_free(d->team);
}

/* The schedule and team of one visit, as the visited side reads them. */
static void visit_details(struct req *r, const char *id, const struct visit_details *d)
{
	size_t n = 0;

	h_raw(r, "<ul class=\"schedule\">");
	for (size_t i = 0; i < d->objs->nrows; i++)
		if (!strcmp(dbrows_get(d->objs, i, 0), id))
			h_printf(r, "<li>%s：%s</li>", dbrows_get(d->objs, i, 2),
			         dbrows_int(d->objs, i, 1) ? dbrows_get(d->objs, i, 4) : "地区项目责任主体");
	h_raw(r, "</ul><p>评估机构走访人员：");
	for (size_t i = 0; i < d->team->nrows; i++)
		if (!strcmp(dbrows_get(d->team, i, 0), id))
			h_printf(r, "%s%s", n++ ? "、" : "",
			         *dbrows_get(d->team, i, 4) ? dbrows_get(d->team, i, 4) : dbrows_get(d->team, i, 3));
	h_raw(r, n ? "</p>" : "待定</p>");
}

/* Columns 1..7 of STMT_REGION_VISITS and STMT_UNIT_VISITS agree: dates,
 * state, cancel reason, contact, phone, what to prepare. */
static void visit_summary(struct req *r, const struct dbrows *v, size_t i, const struct visit_details *d)
{
	h_printf(r, "<h3>%s 至 %s · %s</h3>", dbrows_get(v, i, 1), dbrows_get(v, i, 2),
	         visit_state_label(dbrows_get(v, i, 3)));
	if (!strcmp(dbrows_get(v, i, 3), "cancelled"))
		h_printf(r, "<p>取消原因：%s</p>", dbrows_get(v, i, 4));
	if (d->objs)
		visit_details(r, dbrows_get(v, i, 0), d);
	h_printf(r, "<p>请准备：%s</p>", dbrows_get(v, i, 7));
	if (*dbrows_get(v, i, 5))
		h_printf(r, "<p>地区联系人：%s %s</p>", dbrows_get(v, i, 5), dbrows_get(v, i, 6));
}

int visits_region_section(struct req *r)
{
	struct dbrows *v;
	struct visit_details d;
	const struct dbarg region = A_STR(r->user->region_code);

	if (db_query(r->db, STMT_REGION_VISITS, &region, 1, &v) < 0)
		return -1;
	(void)visit_details_load(r, STMT_REGION_VISITS_OBJECTS, STMT_REGION_VISITS_TEAM, &region, &d);
	h_raw(r, "<section><h2>评估机构实地走访</h2>");
	if (r->arg[WK_OK].present)
		h_raw(r, "<p class=\"notice\" role=\"status\">已确认。</p>");
	for (size_t i = 0; i < v->nrows; i++) {
		h_printf(r, "<article class=\"visit\" id=\"visit-%s\">", dbrows_get(v, i, 0));
		visit_summary(r, v, i, &d);
		if (*dbrows_get(v, i, 8))
			h_printf(r, "<p>本地区已于 %s 确认。</p>", dbrows_get(v, i, 8));
		else if (!strcmp(dbrows_get(v, i, 3), "notified"))
			h_printf(r, "<form method=\"post\" action=\"/agency/region/confirm?id=%s\"><input type=\"hidden\" "
			         "name=\"csrf\" value=\"%s\"><button type=\"submit\">确认收到走访通知</button></form>",
			         dbrows_get(v, i, 0), r->csrf);
		h_raw(r, "</article>");
	}
	if (v->nrows == 0)
		h_raw(r, "<p>评估机构尚未通知本地区的走访安排。</p>");
	h_raw(r, "</section>");
	dbrows_free(v);
	visit_details_free(&d);
	return 0;
}

void visit_confirm_post(struct req *r)
{
	unsigned long long changed = 0;
	char detail[64];

	if (db_exec(r->db, STMT_VISIT_CONFIRM, DB_ARGS(A_INT(r->user->id), A_INT(r->arg[WK_ID].id),
	            A_STR(r->user->region_code)), &changed, NULL) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (changed == 0) {
		page_error(r, 404, "没有需要确认的这次走访。");
		return;
	}
	snprintf(detail, sizeof detail, "visit=%llu", r->arg[WK_ID].id);
	audit(r, "visit-confirm", detail);
	resp_redirect(r, "/agency/region?ok=1");
}

void visits_unit_page(struct req *r)
{
	struct dbrows *v;
	struct visit_details d;
	const struct dbarg unit = A_INT(r->user->id);

	if (db_query(r->db, STMT_UNIT_VISITS, &unit, 1, &v) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	(void)visit_details_load(r, STMT_UNIT_VISITS_OBJECTS, STMT_UNIT_VISITS_TEAM, &unit, &d);
	page_begin(r, "评估机构走访");
	h_raw(r, "<p>评估机构（中国国际工程咨询公司）实地走访本单位的安排（通知五）。</p>");
	for (size_t i = 0; i < v->nrows; i++) {
		h_printf(r, "<article class=\"visit\"><p>走访本单位的日期：%s</p>", dbrows_get(v, i, 8));
		visit_summary(r, v, i, &d);
		h_raw(r, "</article>");
	}
	if (v->nrows == 0)
		h_raw(r, "<p>目前没有走访本单位的安排。</p>");
	dbrows_free(v);
	visit_details_free(&d);
	page_end(r);
}
