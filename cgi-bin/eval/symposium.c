/*
 * symposium.c - the symposiums (座谈会) of a visit (issue 19 item 5; notice
 * 五（二）): held at a visited hub or window; participants only from the
 * region's own sample (those who submitted first offered first); the
 * invitation list and the attendance sheet as PDFs; afterwards who came,
 * the minutes and their files.
 */
#include "symposium.h"
#include "visits.h"
#include "auth.h"
#include "db.h"
#include "form.h"
#include "form_int.h"
#include "html.h"
#include "http.h"
#include "msg.h"
#include "page.h"
#include "util.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLACE_MAX   200

const char *sym_stratum_label(const char *stratum)
{
	return !strcmp(stratum, "sme") ? "中小企业" : !strcmp(stratum, "hub") ? "服务资源单位（枢纽平台组织）"
	                                                                     : "服务资源单位（窗口平台组织）";
}

void visit_symposiums_section(struct req *r, const struct dbrows *v)
{
	static const char *const cols[] = { "日期", "召开单位", "地点", "邀请", "到会", "纪要" };
	const char *id = dbrows_get(v, 0, VC_ID);
	struct dbrows *s, *objs;

	if (db_query(r->db, STMT_SYMPOSIUMS_OF_VISIT, DB_ARGS(A_INT(strtoull(id, NULL, 10))), &s) < 0)
		return;
	if (db_query(r->db, STMT_VISIT_OBJECTS, DB_ARGS(A_INT(strtoull(id, NULL, 10))), &objs) < 0) {
		dbrows_free(s);
		return;
	}
	h_raw(r, "<section><h2>座谈会</h2>");
	h_table_begin(r, "symposiums", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < s->nrows; i++)
		h_printf(r, "<tr><td><a href=\"/agency/symposiums/symposium?id=%s\">%s</a></td><td>%s</td><td>%s</td>"
		         "<td>%s</td><td>%s</td><td>%s</td></tr>", dbrows_get(s, i, 0), dbrows_get(s, i, 1),
		         dbrows_get(s, i, 2), dbrows_get(s, i, 3), dbrows_get(s, i, 4), dbrows_get(s, i, 5),
		         dbrows_int(s, i, 6) ? "已记录" : "—");
	if (s->nrows == 0)
		h_printf(r, "<tr><td colspan=\"%zu\">尚未安排座谈会。</td></tr>", NELEMS(cols));
	h_table_end(r);
	h_printf(r, "<form method=\"post\" action=\"/agency/symposiums?id=%s\" class=\"filters\">", id);
	h_csrf_field(r);
	h_raw(r, "<label>召开单位 <select name=\"host\">");
	for (size_t i = 0; i < objs->nrows; i++)
		if (dbrows_int(objs, i, 0))
			h_printf(r, "<option value=\"%s\">%s</option>", dbrows_get(objs, i, 0), dbrows_get(objs, i, 3));
	h_raw(r, "</select></label> <label>日期 <input type=\"date\" name=\"day\" required></label> "
	      "<label>地点 <input type=\"text\" name=\"place\" maxlength=\"200\"></label> "
	      "<button type=\"submit\">安排座谈会</button></form><p>座谈会在本次走访的地区枢纽平台或窗口平台召开"
	      "（先在走访安排中选定走访对象）。</p></section>");
	dbrows_free(s);
	dbrows_free(objs);
}

void symposium_create(struct req *r)
{
	const char *day = ws_arg(r, WK_DAY), *place = ws_arg(r, WK_PLACE) ? ws_arg(r, WK_PLACE) : "";
	unsigned long long host = r->arg[WK_HOST].present ? r->arg[WK_HOST].id : 0, changed = 0, id = 0;
	fnum d;
	char to[80];

	if (!day || strlen(day) != 10 || fdate_parse(day, &d) < 0 || utf8_len(place) > PLACE_MAX ||
	    !utf8_valid(place, strlen(place))) {
		page_error(r, 400, "请填写座谈会的日期（地点不超过 200 字），然后重试。");
		return;
	}
	if (db_exec(r->db, STMT_SYMPOSIUM_INSERT, DB_ARGS(A_STR(day), A_STR(place), A_INT(r->user->id),
	            A_INT(r->arg[WK_ID].id), A_INT(host)), &changed, &id) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (changed == 0) {
		page_error(r, 400, "座谈会只能在本次走访的地区枢纽平台或窗口平台召开。");
		return;
	}
	snprintf(to, sizeof to, "visit=%llu symposium=%llu", r->arg[WK_ID].id, id);
	audit(r, "symposium-create", to);
	snprintf(to, sizeof to, "/agency/symposiums/symposium?id=%llu", id);
	resp_redirect(r, to);
}

/* The symposium of ?id=, or NULL after answering 404/503. */
struct dbrows *symposium_load(struct req *r)
{
	struct dbrows *s;
	if (db_query(r->db, STMT_SYMPOSIUM_GET, DB_ARGS(A_INT(r->arg[WK_ID].id)), &s) < 0) {
		page_error(r, 503, MSG_BUSY);
		return NULL;
	}
	if (s->nrows == 0) {
		dbrows_free(s);
		page_error(r, 404, WS_MSG_NO_SYMPOSIUM);
		return NULL;
	}
	return s;
}

static int invited(const struct dbrows *parts, const char *unit)
{
	for (size_t i = 0; i < parts->nrows; i++)
		if (!strcmp(dbrows_get(parts, i, 0), unit))
			return 1;
	return 0;
}

/* The invitation form: the region's sample, submitted first. */
static int invite_form(struct req *r, const struct dbrows *s, const struct dbrows *parts, const char *err)
{
	static const char *const cols[] = { "邀请", "类型", "单位", "联系人", "电话", "问卷提交时间" };
	struct dbrows *c;

	if (db_query(r->db, STMT_SYMPOSIUM_CANDIDATES, DB_ARGS(A_STR(dbrows_get(s, 0, SC_REGION))), &c) < 0)
		return -1;
	h_printf(r, "<section><h2>邀请参会单位</h2><p>从本地区的样本中选择服务资源单位和中小企业，"
	         "先提交问卷的排在前面。</p><form method=\"post\" action=\"/agency/symposiums/invite?id=%s\">",
	         dbrows_get(s, 0, SC_ID));
	h_csrf_field(r);
	if (err)
		h_printf(r, "<p class=\"field-error\" id=\"e-units\" role=\"alert\">%s</p>", err);
	h_table_begin(r, "candidates", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < c->nrows; i++)
		h_printf(r, "<tr><td><input type=\"checkbox\" name=\"unit\" value=\"%s\" aria-label=\"邀请 %s\"%s></td>"
		         "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", dbrows_get(c, i, 0),
		         dbrows_get(c, i, 2), invited(parts, dbrows_get(c, i, 0)) ? " checked" : "",
		         sym_stratum_label(dbrows_get(c, i, 1)), dbrows_get(c, i, 2), dbrows_get(c, i, 3),
		         dbrows_get(c, i, 4), *dbrows_get(c, i, 5) ? dbrows_get(c, i, 5) : "未提交");
	if (c->nrows == 0)
		h_printf(r, "<tr><td colspan=\"%zu\">本地区尚无样本。</td></tr>", NELEMS(cols));
	h_table_end(r);
	h_raw(r, "<p><button type=\"submit\">保存邀请名单</button></p></form></section>");
	dbrows_free(c);
	return 0;
}

/* Who came, the minutes, their files. */
static int attendance_form(struct req *r, const struct dbrows *s, const struct dbrows *parts, const char *minutes,
                           const char *err)
{
	const char *id = dbrows_get(s, 0, SC_ID);

	h_printf(r, "<section><h2>到会情况和纪要</h2><p><a href=\"/agency/symposiums/invitations.pdf?id=%s\">"
	         "邀请名单（PDF）</a> · <a href=\"/agency/symposiums/attendance.pdf?id=%s\">签到表（PDF）</a></p>"
	         "<form method=\"post\" action=\"/agency/symposiums/attendance?id=%s\">", id, id, id);
	h_csrf_field(r);
	h_raw(r, "<fieldset><legend>到会的单位</legend>");
	for (size_t i = 0; i < parts->nrows; i++)
		h_printf(r, "<label><input type=\"checkbox\" name=\"came\" value=\"%s\"%s> %s</label> ",
		         dbrows_get(parts, i, 0), dbrows_int(parts, i, 5) == 1 ? " checked" : "", dbrows_get(parts, i, 2));
	if (parts->nrows == 0)
		h_raw(r, "<p>尚未邀请参会单位。</p>");
	h_raw(r, "</fieldset><p class=\"field\"><label for=\"minutes\">座谈会纪要</label>"
	      "<textarea id=\"minutes\" name=\"minutes\" rows=\"8\"");
	h_raw(r, err ? " aria-invalid=\"true\">" : ">");
	h_printf(r, "%s</textarea>", minutes ? minutes : "");
	if (err)
		h_printf(r, "<span class=\"field-error\" id=\"e-minutes\">%s</span>", err);
	h_raw(r, "</p><p><button type=\"submit\">保存到会情况和纪要</button></p></form></section>");
	return 0;
}

static int files_section(struct req *r, const struct dbrows *s, const char *err)
{
	struct dbrows *f;
	const char *hex, *name;

	if (db_query(r->db, STMT_SYMPOSIUM_FILES, DB_ARGS(A_INT(dbrows_int(s, 0, SC_ID))), &f) < 0)
		return -1;
	h_raw(r, "<section><h2>纪要附件</h2><ul>");
	for (size_t i = 0; i < f->nrows; i++) {
		if (form_file_value(dbrows_get(f, i, 1), &hex, &name) < 0)
			name = "";
		h_printf(r, "<li><a href=\"/agency/symposiums/file?id=%s\">%s</a>（%s）</li>", dbrows_get(f, i, 0), name,
		         dbrows_get(f, i, 3));
	}
	h_printf(r, "</ul><form method=\"post\" action=\"/agency/symposiums/upload?id=%s\" enctype=\"multipart/form-data\">",
	         dbrows_get(s, 0, SC_ID));
	h_csrf_field(r);
	h_raw(r, "<p class=\"field\"><label for=\"file\">文件（PDF、DOC、DOCX、XLS 或 XLSX）</label> "
	      "<input type=\"file\" id=\"file\" name=\"file\"");
	h_raw(r, err ? " aria-invalid=\"true\">" : ">");
	if (err)
		h_printf(r, "<span class=\"field-error\" id=\"e-file\">%s</span>", err);
	h_raw(r, "</p><p><button type=\"submit\">上传</button></p></form></section>");
	dbrows_free(f);
	return 0;
}

void symposium_body(struct req *r, const struct dbrows *s, const struct sym_errors *e)
{
	struct dbrows *parts;

	if (db_query(r->db, STMT_SYMPOSIUM_PARTICIPANTS, DB_ARGS(A_INT(dbrows_int(s, 0, SC_ID))), &parts) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "座谈会");
	h_printf(r, "<p>%s · %s · 在%s召开%s%s · <a href=\"/agency/visits/visit?id=%s\">返回走访</a></p>",
	         dbrows_get(s, 0, SC_REGION_NAME), dbrows_get(s, 0, SC_DAY), dbrows_get(s, 0, SC_HOST),
	         *dbrows_get(s, 0, SC_PLACE) ? "，地点：" : "", dbrows_get(s, 0, SC_PLACE), dbrows_get(s, 0, SC_VISIT));
	if (r->arg[WK_OK].present)
		h_raw(r, "<p class=\"notice\" role=\"status\">已保存。</p>");
	if (invite_form(r, s, parts, e ? e->units : NULL) < 0 ||
	    attendance_form(r, s, parts, e && e->minutes ? e->minutes_value : dbrows_get(s, 0, SC_MINUTES),
	                    e ? e->minutes : NULL) < 0 ||
	    files_section(r, s, e ? e->file : NULL) < 0)
		h_raw(r, "<p class=\"error\">部分内容暂时无法显示，请稍后刷新。</p>");
	page_end(r);
	dbrows_free(parts);
}

void symposium_page(struct req *r)
{
	struct dbrows *s = symposium_load(r);
	if (!s)
		return;
	symposium_body(r, s, NULL);
	dbrows_free(s);
}
