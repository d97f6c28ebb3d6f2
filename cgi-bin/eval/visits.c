/*
 * visits.c - the agency's pages of its site visits (visits.h): the list
 * and a new visit, one visit's plan (dates, team, objects, contact, what
 * to prepare, findings) and its state changes.
 */
#include "visits.h"
#include "symposium.h"
#include "auth.h"
#include "db.h"
#include "form.h"
#include "form_int.h"
#include "html.h"
#include "http.h"
#include "msg.h"
#include "page.h"
#include "util.h"
#include "valid.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREPARE_MAX  5000    /* characters */
#define FINDINGS_MAX 20000
#define TEAM_MAX     32
#define OBJ_MAX      128

const char visit_prepare_default[] =
	"请准备项目文档资料供查阅：项目批复文件和实施方案、2013年三季度建设情况和工作小结、"
	"投资完成和资金到位情况、互联互通情况说明；介绍项目建设和实际运营情况。";

const char *visit_state_label(const char *state)
{
	static const char *const map[][2] = { { "planned", "计划中" }, { "notified", "已通知" },
	                                      { "done", "已完成" }, { "cancelled", "已取消" } };
	for (size_t i = 0; i < NELEMS(map); i++)
		if (state && !strcmp(state, map[i][0]))
			return map[i][1];
	return "";
}

/* A full date YYYY-MM-DD into its day number; -1 when not one. */
static long day_of(const char *s)
{
	fnum v;
	return s && strlen(s) == 10 && fdate_parse(s, &v) == 0 ? (long)(v / FNUM_SCALE) : -1;
}

/* ------------------------------------------------------------- list */

void visits_list(struct req *r)
{
	static const char *const cols[] = { "地区", "日期", "状态", "走访对象", "地区确认" };
	const char *region = r->arg[WK_REGION].present ? r->arg[WK_REGION].s : NULL;
	struct dbrows *rows, *regions;

	if (db_query(r->db, STMT_VISITS_LIST, DB_ARGS(A_STR(region), A_STR(region)), &rows) < 0)
		goto busy;
	if (db_query(r->db, STMT_REGION_LIST, DB_NOARGS, &regions) < 0) {
		dbrows_free(rows);
		goto busy;
	}
	page_begin(r, "实地走访");
	h_raw(r, "<p>通知五：2013年11月至12月，走访地区项目责任主体、地区枢纽平台和部分窗口平台，"
	      "查阅项目文档资料，了解项目建设和实际运营情况；在走访的平台召开座谈会。</p>");
	h_table_begin(r, "visits", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < rows->nrows; i++)
		h_printf(r, "<tr><td><a href=\"/agency/visits/visit?id=%s\">%s</a></td><td>%s 至 %s</td><td>%s</td>"
		         "<td>%s</td><td>%s</td></tr>", dbrows_get(rows, i, 0), dbrows_get(rows, i, 2),
		         dbrows_get(rows, i, 3), dbrows_get(rows, i, 4), visit_state_label(dbrows_get(rows, i, 5)),
		         dbrows_get(rows, i, 7), *dbrows_get(rows, i, 6) ? dbrows_get(rows, i, 6) : "—");
	if (rows->nrows == 0)
		h_printf(r, "<tr><td colspan=\"%zu\">尚未安排走访。</td></tr>", NELEMS(cols));
	h_table_end(r);
	h_raw(r, "<section><h2>安排走访</h2><form method=\"post\" action=\"/agency/visits\" class=\"filters\">");
	h_csrf_field(r);
	h_raw(r, "<label>地区 <select name=\"region\">");
	for (size_t i = 0; i < regions->nrows; i++)
		h_printf(r, "<option value=\"%s\">%s</option>", dbrows_get(regions, i, 0), dbrows_get(regions, i, 1));
	h_raw(r, "</select></label> <label>开始 <input type=\"date\" name=\"starts_on\" required></label> "
	      "<label>结束 <input type=\"date\" name=\"ends_on\" required></label> "
	      "<button type=\"submit\">安排</button></form></section>");
	dbrows_free(rows);
	dbrows_free(regions);
	page_end(r);
	return;
busy:
	page_error(r, 503, MSG_BUSY);
}

static void visit_redirect(struct req *r, unsigned long long id, const char *what)
{
	char to[80];
	snprintf(to, sizeof to, "/agency/visits/visit?id=%llu&ok=%s", id, what);
	resp_redirect(r, to);
}

void visits_create(struct req *r)
{
	const char *region = ws_arg(r, WK_REGION), *s = ws_arg(r, WK_STARTS), *e = ws_arg(r, WK_ENDS);
	char *name = NULL, detail[96];
	unsigned long long id = 0;

	if (!region || strlen(region) > 16 || db_query_str(r->db, STMT_REGION_NAME, DB_ARGS(A_STR(region)), &name) < 0 ||
	    !name) {
		page_error(r, 400, "请选择地区。");
		return;
	}
	free(name);
	if (day_of(s) < 0 || day_of(e) < day_of(s)) {
		page_error(r, 400, "请填写走访的开始和结束日期（结束不早于开始），然后重试。");
		return;
	}
	if (db_exec(r->db, STMT_VISIT_INSERT, DB_ARGS(A_STR(region), A_STR(s), A_STR(e), A_STR(visit_prepare_default),
	            A_INT(r->user->id)), NULL, &id) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	snprintf(detail, sizeof detail, "visit=%llu region=%s %s..%s", id, region, s, e);
	audit(r, "visit-create", detail);
	visit_redirect(r, id, "created");
}

/* ------------------------------------------------------------- plan */

/* A visit's plan as shown or posted, with a message per refused field. */
struct vform {
	long long          version;
	const char        *starts, *ends, *contact, *phone, *prepare, *findings;
	unsigned long long team[TEAM_MAX];
	size_t             nteam;
	unsigned long long obj[OBJ_MAX];      /* 0: the region's authority */
	const char        *day[OBJ_MAX];
	size_t             nobj;
	const char        *err_dates, *err_contact, *err_phone, *err_prepare, *err_findings, *err_objects;
};

static int in_team(const struct vform *f, unsigned long long id)
{
	for (size_t i = 0; i < f->nteam; i++)
		if (f->team[i] == id)
			return 1;
	return 0;
}

static const char *obj_day(const struct vform *f, unsigned long long unit)
{
	for (size_t i = 0; i < f->nobj; i++)
		if (f->obj[i] == unit)
			return f->day[i];
	return NULL;
}

static void field_error(struct req *r, const char *id, const char *msg)
{
	if (msg)
		h_printf(r, "<span class=\"field-error\" id=\"e-%s\">%s</span>", id, msg);
}

/* Row k of the objects: a checkbox (obj = k), the unit (unit<k>; 0: the
 * region's authority) and its day (day<k>). */
static void object_row(struct req *r, const struct vform *f, size_t k, unsigned long long unit, const char *label)
{
	const char *day = obj_day(f, unit);
	h_printf(r, "<tr><td><label><input type=\"checkbox\" name=\"obj\" value=\"%zu\"%s> %s</label>"
	         "<input type=\"hidden\" name=\"unit%zu\" value=\"%llu\"></td>"
	         "<td><input type=\"date\" name=\"day%zu\" value=\"%s\" aria-label=\"%s 走访日期\"></td></tr>",
	         k, day ? " checked" : "", label, k, unit, k, day ? day : "", label);
}

static int plan_objects(struct req *r, const char *region, const struct vform *f)
{
	struct dbrows *units;
	if (db_query(r->db, STMT_REGION_UNITS, DB_ARGS(A_STR(region), A_STR(role_code(ROLE_HUB)), A_STR(role_code(ROLE_WINDOW))), &units) < 0)
		return -1;
	h_raw(r, "<fieldset><legend>走访对象和日期</legend><table class=\"objects\"><tbody>");
	object_row(r, f, 0, 0, "地区项目责任主体");
	for (size_t i = 0; i < units->nrows; i++) {
		char label[320];
		snprintf(label, sizeof label, "%s：%s", ws_unit_kind(dbrows_get(units, i, 1)), dbrows_get(units, i, 2));
		object_row(r, f, i + 1, strtoull(dbrows_get(units, i, 0), NULL, 10), label);
	}
	h_raw(r, "</tbody></table>");
	field_error(r, "objects", f->err_objects);
	h_raw(r, "</fieldset>");
	dbrows_free(units);
	return 0;
}

static int plan_team(struct req *r, const struct vform *f)
{
	struct dbrows *acc;
	if (db_query(r->db, STMT_AGENCY_ACCOUNTS, DB_NOARGS, &acc) < 0)
		return -1;
	h_raw(r, "<fieldset><legend>评估机构走访人员</legend>");
	for (size_t i = 0; i < acc->nrows; i++) {
		unsigned long long id = strtoull(dbrows_get(acc, i, 0), NULL, 10);
		h_printf(r, "<label><input type=\"checkbox\" name=\"team\" value=\"%llu\"%s> %s（%s）</label> ", id,
		         in_team(f, id) ? " checked" : "", *dbrows_get(acc, i, 3) ? dbrows_get(acc, i, 3) : dbrows_get(acc, i, 2),
		         dbrows_get(acc, i, 1));
	}
	h_raw(r, "</fieldset>");
	dbrows_free(acc);
	return 0;
}

static void text_input(struct req *r, const char *name, const char *label, const char *value, const char *err,
                       const char *type)
{
	h_printf(r, "<p class=\"field\"><label for=\"%s\">%s</label> <input type=\"%s\" id=\"%s\" name=\"%s\" value=\"%s\"",
	         name, label, type, name, name, value ? value : "");
	h_raw(r, err ? " aria-invalid=\"true\">" : ">");
	field_error(r, name, err);
	h_raw(r, "</p>");
}

static void textarea(struct req *r, const char *name, const char *label, const char *value, const char *err)
{
	h_printf(r, "<p class=\"field\"><label for=\"%s\">%s</label><textarea id=\"%s\" name=\"%s\" rows=\"5\"", name,
	         label, name, name);
	h_raw(r, err ? " aria-invalid=\"true\">" : ">");
	h_printf(r, "%s</textarea>", value ? value : "");
	field_error(r, name, err);
	h_raw(r, "</p>");
}

/* The plan form of a visit (v: its row, for region and id). */
static int plan_form(struct req *r, const struct dbrows *v, const struct vform *f)
{
	h_printf(r, "<section><h2>走访安排</h2><form method=\"post\" action=\"/agency/visits/visit?id=%s\">",
	         dbrows_get(v, 0, VC_ID));
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"version\" value=\"%lld\">", f->version);
	text_input(r, "starts_on", "开始日期", f->starts, f->err_dates, "date");
	text_input(r, "ends_on", "结束日期", f->ends, NULL, "date");
	if (plan_team(r, f) < 0 || plan_objects(r, dbrows_get(v, 0, VC_REGION), f) < 0)
		return -1;
	text_input(r, "contact", "地区联系人", f->contact, f->err_contact, "text");
	text_input(r, "phone", "联系电话", f->phone, f->err_phone, "tel");
	textarea(r, "prepare", "请地区准备的材料（印在走访通知上）", f->prepare, f->err_prepare);
	textarea(r, "findings", "走访发现（仅评估机构可见）", f->findings, f->err_findings);
	h_raw(r, "<p><button type=\"submit\">保存走访安排</button></p></form></section>");
	return 0;
}

/* The stored plan of visit v into f; *team and *objs keep its strings. */
static int stored_plan(struct req *r, const struct dbrows *v, struct vform *f, struct dbrows **team,
                       struct dbrows **objs)
{
	unsigned long long id = strtoull(dbrows_get(v, 0, VC_ID), NULL, 10);

	memset(f, 0, sizeof *f);
	f->version = dbrows_int(v, 0, VC_VERSION);
	f->starts = dbrows_get(v, 0, VC_STARTS);
	f->ends = dbrows_get(v, 0, VC_ENDS);
	f->contact = dbrows_get(v, 0, VC_CONTACT);
	f->phone = dbrows_get(v, 0, VC_PHONE);
	f->prepare = dbrows_get(v, 0, VC_PREPARE);
	f->findings = dbrows_get(v, 0, VC_FINDINGS);
	if (db_query(r->db, STMT_VISIT_TEAM, DB_ARGS(A_INT(id)), team) < 0)
		return -1;
	if (db_query(r->db, STMT_VISIT_OBJECTS, DB_ARGS(A_INT(id)), objs) < 0) {
		dbrows_free(*team);
		return -1;
	}
	for (size_t i = 0; i < (*team)->nrows && f->nteam < TEAM_MAX; i++)
		f->team[f->nteam++] = strtoull(dbrows_get(*team, i, 0), NULL, 10);
	for (size_t i = 0; i < (*objs)->nrows && f->nobj < OBJ_MAX; i++) {
		f->obj[f->nobj] = strtoull(dbrows_get(*objs, i, 0), NULL, 10);
		f->day[f->nobj++] = dbrows_get(*objs, i, 1);
	}
	return 0;
}

/* The visit of ?id=, or NULL after answering 404 or 503. */
static struct dbrows *load_visit(struct req *r)
{
	struct dbrows *v;
	if (db_query(r->db, STMT_VISIT_GET, DB_ARGS(A_INT(r->arg[WK_ID].id)), &v) < 0) {
		page_error(r, 503, MSG_BUSY);
		return NULL;
	}
	if (v->nrows == 0) {
		dbrows_free(v);
		page_error(r, 404, WS_MSG_NO_VISIT);
		return NULL;
	}
	return v;
}

/* The buttons of the state changes open from the visit's state. */
static void state_actions(struct req *r, const struct dbrows *v)
{
	const char *st = dbrows_get(v, 0, VC_STATE), *id = dbrows_get(v, 0, VC_ID);
	static const struct { const char *from, *action, *label; } acts[] = {
		{ "planned", "notify", "已发出走访通知" }, { "notified", "done", "走访已完成" },
		{ "planned", "cancel", "取消走访" }, { "notified", "cancel", "取消走访" },
	};
	h_printf(r, "<section><h2>状态：%s</h2>", visit_state_label(st));
	if (!strcmp(st, "cancelled"))
		h_printf(r, "<p>取消原因：%s</p>", dbrows_get(v, 0, VC_CANCEL_REASON));
	if (*dbrows_get(v, 0, VC_CONFIRMED))
		h_printf(r, "<p>地区已于 %s 确认。</p>", dbrows_get(v, 0, VC_CONFIRMED));
	for (size_t i = 0; i < NELEMS(acts); i++)
		if (!strcmp(st, acts[i].from))
			h_printf(r, "<form method=\"post\" action=\"/agency/visits/state?id=%s\" class=\"inline\">"
			         "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"action\" "
			         "value=\"%s\"><button type=\"submit\">%s…</button></form> ", id, r->csrf, acts[i].action,
			         acts[i].label);
	h_printf(r, "<p><a href=\"/agency/visits/notice.pdf?id=%s\">走访通知（PDF）</a></p></section>", id);
}

static void visit_body(struct req *r, const struct dbrows *v, const struct vform *f)
{
	page_begin(r, "实地走访");
	h_printf(r, "<p>%s · %s 至 %s · <a href=\"/agency/visits\">全部走访</a></p>", dbrows_get(v, 0, VC_REGION_NAME),
	         dbrows_get(v, 0, VC_STARTS), dbrows_get(v, 0, VC_ENDS));
	if (r->arg[WK_OK].present)
		h_raw(r, "<p class=\"notice\" role=\"status\">已保存。</p>");
	state_actions(r, v);
	if (plan_form(r, v, f) < 0)
		h_raw(r, "<p class=\"error\">走访安排暂时无法显示，请稍后刷新。</p>");
	visit_symposiums_section(r, v);
	page_end(r);
}

void visit_page(struct req *r)
{
	struct dbrows *v = load_visit(r), *team = NULL, *objs = NULL;
	struct vform f;

	if (!v)
		return;
	if (stored_plan(r, v, &f, &team, &objs) < 0) {
		page_error(r, 503, MSG_BUSY);
	} else {
		visit_body(r, v, &f);
		dbrows_free(team);
		dbrows_free(objs);
	}
	dbrows_free(v);
}

/* ------------------------------------------------------------- save */

static const char *long_text(const char *s, size_t max)
{
	return s && (!utf8_valid(s, strlen(s)) || utf8_len(s) > max) ? "内容太长" : NULL;
}

/* The posted plan into f; the number of refused fields. */
static int posted_plan(struct req *r, struct vform *f)
{
	const struct arg *obj = &r->arg[WK_OBJ], *team = &r->arg[WK_TEAM];
	const struct arg *units = &r->arg[WK_OBJ_UNIT], *days = &r->arg[WK_OBJ_DAY];
	long s, e;

	memset(f, 0, sizeof *f);
	f->version = r->arg[WK_VERSION].n;
	f->starts = ws_arg(r, WK_STARTS);
	f->ends = ws_arg(r, WK_ENDS);
	f->contact = ws_arg(r, WK_CONTACT);
	f->phone = ws_arg(r, WK_PHONE);
	f->prepare = ws_arg(r, WK_PREPARE);
	f->findings = ws_arg(r, WK_FINDINGS);
	s = day_of(f->starts);
	e = day_of(f->ends);
	if (s < 0 || e < s)
		f->err_dates = "请填写有效的开始和结束日期（结束不早于开始）";
	for (size_t i = 0; team->present && i < team->nlist && f->nteam < TEAM_MAX; i++)
		f->team[f->nteam++] = parse_id(team->list[i]);
	for (size_t i = 0; obj->present && i < obj->nlist && f->nobj < OBJ_MAX; i++) {
		size_t k = strtoul(obj->list[i], NULL, 10);
		if (!units->present || k >= units->nlist || k >= (days->present ? days->nlist : 0)) {
			f->err_objects = "走访对象不完整，请刷新后重试";
			continue;
		}
		f->obj[f->nobj] = strtoull(units->list[k], NULL, 10);
		f->day[f->nobj] = days->list[k];
		long d = day_of(f->day[f->nobj++]);
		if (d < 0 || (!f->err_dates && (d < s || d > e)))
			f->err_objects = "每个走访对象都要填写走访期间内的日期";
	}
	f->err_contact = long_text(f->contact, 64);
	if (f->phone && *f->phone && !phone_valid(f->phone))
		f->err_phone = "电话号码格式不对（例如 010-68205319）";
	f->err_prepare = long_text(f->prepare, PREPARE_MAX);
	f->err_findings = long_text(f->findings, FINDINGS_MAX);
	return !!f->err_dates + !!f->err_objects + !!f->err_contact + !!f->err_phone + !!f->err_prepare +
	       !!f->err_findings;
}

struct plan_ctx {
	unsigned long long  id;
	const struct vform *f;
};

/* The plan's transaction: the visit (1 when its version moved meanwhile,
 * rolled back), then its team and objects replaced. */
static int plan_body(struct db *db, void *ctx, int attempt)
{
	const struct plan_ctx *p = ctx;
	const struct vform *f = p->f;
	unsigned long long changed = 0;

	(void)attempt;
	if (db_exec(db, STMT_VISIT_UPDATE, DB_ARGS(A_STR(f->starts), A_STR(f->ends), A_STR(f->contact ? f->contact : ""),
	            A_STR(f->phone ? f->phone : ""), A_STR(f->prepare ? f->prepare : ""),
	            A_STR(f->findings ? f->findings : ""), A_INT(p->id), A_INT(f->version)), &changed, NULL) < 0)
		return -1;
	if (changed == 0)
		return 1;
	if (db_exec(db, STMT_VISIT_TEAM_CLEAR, DB_ARGS(A_INT(p->id)), NULL, NULL) < 0 ||
	    db_exec(db, STMT_VISIT_OBJECTS_CLEAR, DB_ARGS(A_INT(p->id)), NULL, NULL) < 0)
		return -1;
	for (size_t i = 0; i < f->nteam; i++)
		if (db_exec(db, STMT_VISIT_TEAM_ADD, DB_ARGS(A_INT(p->id), A_INT(f->team[i])), NULL, NULL) < 0)
			return -1;
	for (size_t i = 0; i < f->nobj; i++)
		if (f->obj[i] ? db_exec(db, STMT_VISIT_OBJECT_UNIT, DB_ARGS(A_STR(f->day[i]), A_STR(role_code(ROLE_HUB)), A_STR(role_code(ROLE_WINDOW)), A_INT(p->id),
		                        A_INT(f->obj[i])), NULL, NULL) < 0
		              : db_exec(db, STMT_VISIT_OBJECT_AUTHORITY, DB_ARGS(A_INT(p->id), A_STR(f->day[i])), NULL, NULL) < 0)
			return -1;
	return 0;
}

static int write_plan(struct req *r, unsigned long long id, const struct vform *f)
{
	struct plan_ctx p = { id, f };
	return db_transaction(r->db, plan_body, &p);
}

void visit_save(struct req *r)
{
	struct dbrows *v;
	struct vform f;
	int rc;
	char detail[96];

	if (!(v = load_visit(r)))
		return;
	if (posted_plan(r, &f) > 0) {
		resp_status(r, 422);
		visit_body(r, v, &f);
	} else if ((rc = write_plan(r, r->arg[WK_ID].id, &f)) == 1) {
		page_error(r, 409, "这次走访刚被他人修改过。您填写的内容未保存，请返回复制后刷新页面再改。");
	} else if (rc < 0) {
		page_error(r, 503, MSG_BUSY);
	} else {
		snprintf(detail, sizeof detail, "visit=%llu team=%zu objects=%zu", r->arg[WK_ID].id, f.nteam, f.nobj);
		audit(r, "visit-save", detail);
		visit_redirect(r, r->arg[WK_ID].id, "saved");
	}
	dbrows_free(v);
}
