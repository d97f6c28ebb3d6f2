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

/* The schedule and team of one visit, as the visited side reads them. */
static void visit_details(struct req *r, unsigned long long id)
{
	struct dbrows *objs, *team;

	if (db_query(r->db, STMT_VISIT_OBJECTS, DB_ARGS(A_INT(id)), &objs) < 0)
		return;
	if (db_query(r->db, STMT_VISIT_TEAM, DB_ARGS(A_INT(id)), &team) < 0) {
		dbrows_free(objs);
		return;
	}
	h_raw(r, "<ul class=\"schedule\">");
	for (size_t i = 0; i < objs->nrows; i++)
		h_printf(r, "<li>%s：%s</li>", dbrows_get(objs, i, 1),
		         dbrows_int(objs, i, 0) ? dbrows_get(objs, i, 3) : "地区项目责任主体");
	h_raw(r, "</ul><p>评估机构走访人员：");
	for (size_t i = 0; i < team->nrows; i++)
		h_printf(r, "%s%s", i ? "、" : "", *dbrows_get(team, i, 3) ? dbrows_get(team, i, 3) : dbrows_get(team, i, 2));
	h_raw(r, team->nrows ? "</p>" : "待定</p>");
	dbrows_free(objs);
	dbrows_free(team);
}

/* Columns 1..7 of STMT_REGION_VISITS and STMT_UNIT_VISITS agree: dates,
 * state, cancel reason, contact, phone, what to prepare. */
static void visit_summary(struct req *r, const struct dbrows *v, size_t i)
{
	h_printf(r, "<h3>%s 至 %s · %s</h3>", dbrows_get(v, i, 1), dbrows_get(v, i, 2),
	         visit_state_label(dbrows_get(v, i, 3)));
	if (!strcmp(dbrows_get(v, i, 3), "cancelled"))
		h_printf(r, "<p>取消原因：%s</p>", dbrows_get(v, i, 4));
	visit_details(r, strtoull(dbrows_get(v, i, 0), NULL, 10));
	h_printf(r, "<p>请准备：%s</p>", dbrows_get(v, i, 7));
	if (*dbrows_get(v, i, 5))
		h_printf(r, "<p>地区联系人：%s %s</p>", dbrows_get(v, i, 5), dbrows_get(v, i, 6));
}

int visits_region_section(struct req *r)
{
	struct dbrows *v;

	if (db_query(r->db, STMT_REGION_VISITS, DB_ARGS(A_STR(r->user->region_code)), &v) < 0)
		return -1;
	h_raw(r, "<section><h2>评估机构实地走访</h2>");
	if (r->arg[WK_OK].present)
		h_raw(r, "<p class=\"notice\" role=\"status\">已确认。</p>");
	for (size_t i = 0; i < v->nrows; i++) {
		h_printf(r, "<article class=\"visit\" id=\"visit-%s\">", dbrows_get(v, i, 0));
		visit_summary(r, v, i);
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

	if (db_query(r->db, STMT_UNIT_VISITS, DB_ARGS(A_INT(r->user->id)), &v) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "评估机构走访");
	h_raw(r, "<p>评估机构（中国国际工程咨询公司）实地走访本单位的安排（通知五）。</p>");
	for (size_t i = 0; i < v->nrows; i++) {
		h_printf(r, "<article class=\"visit\"><p>走访本单位的日期：%s</p>", dbrows_get(v, i, 8));
		visit_summary(r, v, i);
		h_raw(r, "</article>");
	}
	if (v->nrows == 0)
		h_raw(r, "<p>目前没有走访本单位的安排。</p>");
	dbrows_free(v);
	page_end(r);
}
