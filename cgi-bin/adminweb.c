/*
 * smesurvey-adminweb - pages of the ministry and the evaluation agency.
 * admin may change things; viewer and agency see everything, and every POST
 * page is admin-only in the page table, so their POSTs are refused (403)
 * before any handler runs.
 *
 *   GET  /admin                     national overview: progress of every region
 *   GET  /admin/audit               the latest entries of the audit log
 *   GET  /admin/responses           responses, filtered (form, region, status), paged
 *   GET  /admin/responses/view?id=N one response, read-only
 *   POST /admin/responses/reopen    id: submitted -> draft (admin)
 *   GET  /admin/file?id=N&code=C    an uploaded file of a response
 *   GET  /admin/deadlines           configured deadlines and per-region overrides
 *   POST /admin/deadlines           action=set (form, region, due) | remove (admin)
 *   GET  /admin/export              export page
 *   (GET /admin/export/data is smesurvey-export's: cgi-bin/export.c)
 *   GET  /admin/export/codebook     form: the dictionary as CSV
 *   GET  /admin/stats               form, region: counts, shares, sums
 *   GET  /admin/accounts            accounts by role and region (admin only)
 *   POST /admin/accounts            id, action=disable|enable (admin only)
 *   GET  /admin/samples             every region's samples, with registrations
 *   GET/POST /admin/samples/reset   region, kind: reset a region's sample and
 *                                   frame (admin only; confirmed, reason when
 *                                   units registered; audited)
 *   GET/POST /admin/accounts/reset?id=   reset to a one-time password (admin only)
 */
#include "msg.h"
#include "accounts.h"
#include "adminparam.h"
#include "auditview.h"
#include "aggr.h"
#include "app.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "deadlines.h"
#include "catalog.h"
#include "csv.h"
#include "deadline.h"
#include "draw.h"
#include "export.h"
#include "followup.h"
#include "form.h"
#include "indview.h"
#include "flags.h"
#include "integrity.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "nav.h"
#include "params.h"
#include "regions.h"
#include "progress.h"
#include "stats.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SIZE 50

static const char *const status_labels[][2] = {
	{ "submitted", "已提交" },
	{ "draft", "草稿" },
};

/* ------------------------------------------------------------------ */
/* Input                                                               */

/* Typed page parameters: their slots in r->arg[] (the page table below). */
enum key { KEY_ID, KEY_CODE, KEY_ACTION, KEY_SAMPLE, KEY_FORMAT, KEY_ACTION_F, KEY_USER, KEY_FROM, KEY_TO,
           KEY_BEFORE, KEY_REGION, KEY_KIND, KEY_SORT, KEY_AFTER, KEY_REOPENED, KEY_DONE, KEY_ROLE, KEY_DUE,
           KEY_REASON, KEY_CONFIRM, KEY_STEP, KEY_PHONE, KEY_FORM, KEY_RULE,
           KEY_NOTE, KEY_DECISION };

static const char *status_label(const char *s)
{
	for (size_t i = 0; i < NELEMS(status_labels); i++)
		if (s && !strcmp(s, status_labels[i][0]))
			return status_labels[i][1];
	return s ? s : "";
}

static const char *form_short(const char *name)
{
	const struct form *f = name ? form_get(name) : NULL;
	return f ? f->annex : name ? name : "";
}

/* ------------------------------------------------------------------ */
/* Filter widgets                                                      */

static void select_form(struct req *r, const struct form *sel, int allow_all)
{
	h_raw(r, "<label>问卷 <select name=\"form\">");
	if (allow_all)
		h_raw(r, "<option value=\"\">全部</option>");
	for (size_t i = 0; form_at(i); i++) {
		const struct form *f = form_at(i);
		h_printf(r, "<option value=\"%s\"%s>%s %s</option>", f->name,
		         f == sel ? " selected" : "", f->annex, f->title);
	}
	h_raw(r, "</select></label> ");
}

/* The "region" select, regions from the database, under the given
 * label; when they cannot be read, a message in its place (the rest of
 * the form still works). */
static void select_region(struct req *r, const char *label, const char *sel, int allow_all)
{
	struct dbrows *rows;
	if (db_query(r->db, STMT_REGION_LIST, DB_NOARGS, &rows) < 0) {
		h_raw(r, "<p class=\"error\">地区列表暂时无法显示。</p>");
		return;
	}
	h_printf(r, "<label>%s <select name=\"region\">", label);
	if (allow_all)
		h_raw(r, "<option value=\"\">全部</option>");
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *code = dbrows_get(rows, i, 0);
		h_printf(r, "<option value=\"%s\"%s>%s %s</option>", code,
		         sel && !strcmp(sel, code) ? " selected" : "", code, dbrows_get(rows, i, 1));
	}
	h_raw(r, "</select></label> ");
	dbrows_free(rows);
}

static void select_status(struct req *r, const char *sel)
{
	h_raw(r, "<label>状态 <select name=\"status\">");
	h_printf(r, "<option value=\"all\"%s>全部</option>", !sel ? " selected" : "");
	for (size_t i = 0; i < NELEMS(status_labels); i++)
		h_option_of(r, status_labels[i][0], status_labels[i][1], sel);
	h_raw(r, "</select></label> ");
}

/* ------------------------------------------------------------------ */
/* Paged lists                                                         */

/* The number a COUNT(*) query returns; -1 on error. */
static long long query_count(struct req *r, enum stmt q, const struct dbarg *args, size_t nargs)
{
	char *s = NULL;
	long long n;
	if (db_query_str(r->db, q, args, nargs, &s) < 0)
		return -1;
	n = s ? atoll(s) : 0;
	free(s);
	return n;
}

/* ------------------------------------------------------------------ */
/* Overview and audit                                                  */

/* The constants of the national progress statement (STMT_PAGE_NATIONAL):
 * the SMEs' form (for the flagged share), then k.rep (the regions' form),
 * k.role (their role) and k.flagged (the SMEs' form again). */
static int overview_session_args(const struct req *r, struct dbarg *out)
{
	const struct form_info *rep = catalog_for_role(ROLE_REGION), *sme = catalog_for_role(ROLE_SME);
	(void)r;
	out[0] = A_STR(sme ? sme->name : "");
	out[1] = A_STR(rep ? rep->name : "");
	out[2] = A_STR(role_code(ROLE_REGION));
	out[3] = out[0];
	return 4;
}

/* One round trip (issue 21): the session's statement carried every query
 * below (STMT_PAGE_NATIONAL). */
static void overview(struct req *r)
{
	page_begin(r, "全国填报进度");
	/* After an upgrade with a new codebook or indicator set, until the
	 * operator's rebuild (which smesurvey-setup migrate runs). */
	if (aggr_stale(r->db) == 1)
		h_raw(r, "<p class=\"error\" role=\"status\">统计汇总是按旧版问卷或指标定义计算的，"
		      "统计和指标数字可能不准。请运维人员运行 <code>smesurvey-admin rebuild-aggregates</code>。</p>");
	/* The national deadlines as the forms enforce them (overrides included). */
	if (h_deadline_list(r, NULL) < 0)
		h_raw(r, "<p class=\"error\">截止时间暂时无法显示，请稍后刷新。</p>");
	h_raw(r, "<p>各地区的延期见<a href=\"/admin/deadlines\">截止时间</a>。</p>");
	if (progress_tables(r, NULL, r->arg[KEY_SORT].present ? r->arg[KEY_SORT].s : NULL) < 0)
		h_raw(r, "<p class=\"error\">进度暂时无法显示，请稍后刷新。</p>");
	page_end(r);
}

/* The codes of the audit details that other layers name: the follow-up
 * outcomes (sample) and the integrity review's decisions (eval). */
static const char *audit_outcome(const char *key, const char *value)
{
	if (!strcmp(key, "decision"))
		return integrity_decision_label(value);
	return strcmp(key, "outcome") ? NULL : followup_outcome_label(value);
}

#define AUDIT_PAGE 50

/* GET /admin/audit: newest first, filterable by action, user, region and
 * date; paged by key (before=<id>), so a page costs the same anywhere in a
 * long log. */
static void audit_page(struct req *r)
{
	static const char *const cols[] = { "时间", "用户", "地区", "地址", "操作", "说明" };
	const char *action = r->arg[KEY_ACTION_F].present ? r->arg[KEY_ACTION_F].s : NULL;
	const char *user = r->arg[KEY_USER].present && *r->arg[KEY_USER].s ? r->arg[KEY_USER].s : NULL;
	const char *region = param_region(r);
	const char *from = r->arg[KEY_FROM].present && *r->arg[KEY_FROM].s ? r->arg[KEY_FROM].s : NULL;
	const char *to = r->arg[KEY_TO].present && *r->arg[KEY_TO].s ? r->arg[KEY_TO].s : NULL;
	unsigned long long before = r->arg[KEY_BEFORE].present ? r->arg[KEY_BEFORE].id : 0;
	char dfrom[DEADLINE_LEN] = "", dto[DEADLINE_LEN] = "";
	struct dbrows *rows;

	if (action && !audit_action_label(action))
		action = NULL;
	/* Dates as YYYY-MM-DD (the deadline parser's rules); a bad one is ignored. */
	if (from && (deadline_normalise(from, dfrom) < 0 || strlen(from) != 10))
		dfrom[0] = 0;
	if (to && (deadline_normalise(to, dto) < 0 || strlen(to) != 10))
		dto[0] = 0;
	dfrom[dfrom[0] ? 10 : 0] = 0;
	dto[dto[0] ? 10 : 0] = 0;
	if (db_query(r->db, STMT_AUDIT_PAGE,
	    DB_ARGS(A_STR(action), A_STR(action), A_STR(user), A_STR(user), A_STR(region), A_STR(region),
	            A_STR(dfrom[0] ? dfrom : NULL), A_STR(dfrom[0] ? dfrom : NULL),
	            A_STR(dto[0] ? dto : NULL), A_STR(dto[0] ? dto : NULL), A_INT(before), A_INT(before),
	            A_INT(AUDIT_PAGE + 1)), &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "操作日志");
	h_raw(r, "<form method=\"get\" action=\"/admin/audit\" class=\"filters no-print\"><label>操作 "
	      "<select name=\"action\"><option value=\"\">全部</option>");
	for (size_t i = 0; audit_action_at(i); i++)
		h_option_of(r, audit_action_at(i), audit_action_label(audit_action_at(i)), action);
	h_printf(r, "</select></label> <label>用户名 <input name=\"user\" value=\"%s\" maxlength=\"64\"></label> ",
	         user ? user : "");
	select_region(r, "地区", region, 1);
	h_printf(r, " <label>从 <input type=\"date\" name=\"from\" value=\"%s\"></label>"
	         " <label>到 <input type=\"date\" name=\"to\" value=\"%s\"></label>"
	         " <button type=\"submit\">查看</button></form>", dfrom, dto);
	h_table_begin(r, "audit", "操作日志（最新的在前）", cols, NELEMS(cols));
	size_t shown = rows->nrows > AUDIT_PAGE ? AUDIT_PAGE : rows->nrows;
	for (size_t i = 0; i < shown; i++) {
		const char *code = dbrows_get(rows, i, 5);
		const char *label = audit_action_label(code);
		/* In the users' language; the stored codes stay in data-* (issue 23 item 9). */
		h_printf(r, "<tr data-id=\"%s\" data-action=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
		         "<td>%s</td><td data-detail=\"%s\">", dbrows_get(rows, i, 0), code, dbrows_get(rows, i, 1),
		         dbrows_get(rows, i, 2), dbrows_get(rows, i, 3), dbrows_get(rows, i, 4), label ? label : code,
		         dbrows_get(rows, i, 6));
		h_audit_detail(r, dbrows_get(rows, i, 6), audit_outcome);
		h_raw(r, "</td></tr>");
	}
	if (shown == 0)
		h_raw(r, "<tr><td colspan=\"6\">没有符合条件的记录。</td></tr>");
	h_table_end(r);
	if (rows->nrows > AUDIT_PAGE) {
		/* The next page starts below the last id shown, filters kept. */
		struct buf next = { 0 };
		buf_printf(&next, "/admin/audit?before=%s&action=", dbrows_get(rows, shown - 1, 0));
		url_encode(&next, action ? action : "");
		buf_puts(&next, "&user=");
		url_encode(&next, user ? user : "");
		buf_puts(&next, "&region=");
		url_encode(&next, region ? region : "");
		buf_printf(&next, "&from=%s&to=%s", dfrom, dto);
		h_printf(r, "<nav class=\"pager\" aria-label=\"分页\"><a href=\"%s\" rel=\"next\">更早的记录</a></nav>",
		         next.data);
		buf_free(&next);
	}
	dbrows_free(rows);
	page_end(r);
}

/* ------------------------------------------------------------------ */
/* Responses                                                           */

/* A page key of the response list (after=/before=): a response id. */
static const char *param_key(const struct req *r, enum key k)
{
	return r->arg[k].present ? r->arg[k].s : NULL;
}

/* The constants of the response list's statement (STMT_PAGE_RESPONSES):
 * k.status, k.form, k.region, the filters the list is counted for. */
static int responses_session_args(const struct req *r, struct dbarg *out)
{
	const struct form *f = param_form(r);
	out[0] = A_STR(param_status(r, 0));
	out[1] = A_STR(f ? f->name : NULL);
	out[2] = A_STR(param_region(r));
	return 3;
}

/* Newest first, paged by key (issue 13): after=<id> shows the page below
 * that response, before=<id> the page above it; each page is one indexed
 * range read of PAGE_SIZE + 1 rows wherever it is, and the total comes
 * from the maintained counters. */
static void responses_list(struct req *r)
{
	const struct form *f = param_form(r);
	const char *region = param_region(r);
	const char *status = param_status(r, 0);
	const char *fname = f ? f->name : NULL;
	const char *after = param_key(r, KEY_AFTER), *before = after ? NULL : param_key(r, KEY_BEFORE);
	static const char *const cols[] = { "编号", "地区", "单位", "用户名", "问卷", "状态",
	                                    "代填", "最后保存", "提交时间" };
	struct dbrows *rows = NULL;
	long long total;
	size_t n, first, step;
	int more, older, newer;

	if ((total = query_count(r, STMT_RESPONSE_COUNT_AGGR,
	    DB_ARGS(A_STR(status), A_STR(status), A_STR(fname), A_STR(fname), A_STR(region), A_STR(region)))) < 0 ||
	    (before ? db_query(r->db, STMT_RESPONSE_PAGE_NEWER,
	                       DB_ARGS(A_STR(fname), A_STR(fname), A_STR(region), A_STR(region),
	                               A_STR(status), A_STR(status), A_STR(before), A_INT(PAGE_SIZE + 1)), &rows)
	            : db_query(r->db, STMT_RESPONSE_PAGE_OLDER,
	                       DB_ARGS(A_STR(fname), A_STR(fname), A_STR(region), A_STR(region),
	                               A_STR(status), A_STR(status), A_STR(after), A_STR(after),
	                               A_INT(PAGE_SIZE + 1)), &rows)) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	more = rows->nrows > PAGE_SIZE;
	n = more ? PAGE_SIZE : rows->nrows;
	/* Rows above a key came nearest first: show them reversed. */
	first = before ? n - 1 : 0;
	step = before ? (size_t)-1 : 1;
	older = before ? 1 : more;
	newer = before ? more : after != NULL;

	page_begin(r, "答卷");
	h_raw(r, "<form method=\"get\" action=\"/admin/responses\" class=\"filters\">");
	select_form(r, f, 1);
	select_region(r, "地区", region, 1);
	select_status(r, status);
	h_raw(r, "<button type=\"submit\">筛选</button></form>");
	h_printf(r, "<p>共 <span id=\"total\">%lld</span> 份（按最后创建排列，新的在前）。</p>", total);
	h_table_begin(r, "responses", NULL, cols, NELEMS(cols));
	for (size_t k = 0, i = first; k < n; k++, i += step)
		h_printf(r, "<tr data-id=\"%s\"><td><a href=\"/admin/responses/view?id=%s\">%s</a></td>"
		         "<td>%s %s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
		         "<td>%s</td><td>%s</td></tr>",
		         dbrows_get(rows, i, 0), dbrows_get(rows, i, 0), dbrows_get(rows, i, 0),
		         dbrows_get(rows, i, 1), dbrows_get(rows, i, 2), dbrows_get(rows, i, 3),
		         dbrows_get(rows, i, 4), form_short(dbrows_get(rows, i, 5)),
		         status_label(dbrows_get(rows, i, 6)),
		         dbrows_int(rows, i, 7) ? "是" : "", dbrows_get(rows, i, 8),
		         dbrows_get(rows, i, 9));
	if (n == 0)
		h_raw(r, "<tr><td colspan=\"9\">没有符合条件的答卷。</td></tr>");
	h_table_end(r);

	/* Page links keep the filters; the keys are the first and last shown. */
	if (n > 0 && (older || newer)) {
		struct buf base = { 0 }, prev = { 0 }, next = { 0 };
		const char *const keep[] = { "form", fname, "region", region, "status", status ? status : "all", NULL };
		url_with_params(&base, "/admin/responses", keep);
		if (newer)
			buf_printf(&prev, "%s&before=%s", base.data, dbrows_get(rows, first, 0));
		if (older)
			buf_printf(&next, "%s&after=%s", base.data, dbrows_get(rows, before ? 0 : n - 1, 0));
		h_key_pager(r, "分页", "", NULL, prev.data, next.data);
		buf_free(&base);
		buf_free(&prev);
		buf_free(&next);
	}
	dbrows_free(rows);
	page_end(r);
}

/* The response row for id: form, status, region, region name, org,
 * username, proxy flag, updated, submitted. NULL after an error page. */
static struct dbrows *response_meta(struct req *r, unsigned long long id)
{
	struct dbrows *rows;
	if (db_query(r->db, STMT_RESPONSE_GET,
	    DB_ARGS(A_INT(id)), &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return NULL;
	}
	if (rows->nrows == 0 || !form_get(dbrows_get(rows, 0, 0))) {
		dbrows_free(rows);
		page_error(r, 404, MSG_NO_RESPONSE);
		return NULL;
	}
	return rows;
}

/* The constant of one response's statement (STMT_PAGE_RESPONSE): k.id. */
static int response_session_args(const struct req *r, struct dbarg *out)
{
	out[0] = A_INT(r->arg[KEY_ID].id);
	return 1;
}

static void response_view(struct req *r)
{
	unsigned long long id = r->arg[KEY_ID].id;
	struct dbrows *m;
	const struct form *f;
	struct answers a;
	struct fview v = { .mode = FV_READONLY };
	int submitted;

	if (!(m = response_meta(r, id)))
		return;
	f = form_get(dbrows_get(m, 0, 0));
	if (response_load_answers(r->db, f, id, &a) < 0) {
		answers_free(&a);
		dbrows_free(m);
		page_error(r, 503, MSG_BUSY);
		return;
	}
	submitted = !strcmp(dbrows_get(m, 0, 1), "submitted");
	page_begin(r, f->title);
	if (r->arg[KEY_REOPENED].present)
		h_raw(r, "<p class=\"notice\" role=\"status\">已重新开放，填报人可以修改后再次提交。</p>");
	h_printf(r, "<dl class=\"response-meta\"><dt>编号</dt><dd>%llu</dd><dt>地区</dt><dd>%s %s</dd>"
	         "<dt>单位</dt><dd>%s</dd><dt>用户名</dt><dd>%s</dd><dt>状态</dt><dd id=\"status\">%s</dd>"
	         "<dt>代填</dt><dd>%s</dd><dt>最后保存</dt><dd>%s</dd><dt>提交时间</dt><dd>%s</dd></dl>",
	         id, dbrows_get(m, 0, 2), dbrows_get(m, 0, 3), dbrows_get(m, 0, 4),
	         dbrows_get(m, 0, 5), status_label(dbrows_get(m, 0, 1)),
	         dbrows_int(m, 0, 6) ? "是（地区代为录入）" : "否", dbrows_get(m, 0, 7),
	         dbrows_get(m, 0, 8));
	/* Uploaded documents: the read-only renderer shows only their names. */
	for (size_t i = 0; i < f->nfields; i++) {
		const char *hex, *name;
		if (f->fields[i].type != FT_FILE || form_file_value(a.v[i], &hex, &name) < 0)
			continue;
		h_printf(r, "<p class=\"no-print\">附件：<a href=\"/admin/file?id=%llu&amp;code=%s\">%s</a></p>",
		         id, f->fields[i].code, name);
	}
	if (submitted && r->user->role == ROLE_ADMIN) {
		h_raw(r, "<form method=\"post\" action=\"/admin/responses/reopen\" class=\"no-print\">");
		h_csrf_field(r);
		h_printf(r, "<input type=\"hidden\" name=\"id\" value=\"%llu\">"
		         "<button type=\"submit\">重新开放</button> "
		         "<span class=\"hint\">退回为草稿，填报人可以修改后再次提交。</span></form>", id);
	}
	v.f = f;
	v.vals = &a;
	form_render(r, &v);
	page_end(r);
	answers_free(&a);
	dbrows_free(m);
}

static void response_reopen_post(struct req *r)
{
	unsigned long long id = r->arg[KEY_ID].id;
	struct dbrows *m;
	char detail[160], loc[64];

	if (!(m = response_meta(r, id)))
		return;
	if (strcmp(dbrows_get(m, 0, 1), "submitted")) {
		dbrows_free(m);
		page_error(r, 409, "这份答卷尚未提交，无需重新开放。");
		return;
	}
	if (aggr_response_reopen(r->db, id) < 0) {
		dbrows_free(m);
		page_error(r, 503, MSG_ACTION_FAILED);
		return;
	}
	snprintf(detail, sizeof detail, "response=%llu form=%s user=%s", id, dbrows_get(m, 0, 0),
	         dbrows_get(m, 0, 5));
	audit(r, "response_reopen", detail);
	dbrows_free(m);
	snprintf(loc, sizeof loc, "/admin/responses/view?id=%llu&reopened=1", id);
	resp_redirect(r, loc);
}

/* ------------------------------------------------------------------ */
/* Uploaded files                                                      */

static void file_download(struct req *r)
{
	unsigned long long id = r->arg[KEY_ID].id;
	const char *code = r->arg[KEY_CODE].s;
	const struct field *fd;
	struct dbrows *m;
	char *value = NULL;

	if (!(m = response_meta(r, id)))
		return;
	fd = form_field(form_get(dbrows_get(m, 0, 0)), code);
	dbrows_free(m);
	/* Only a file field of this response's own form. */
	if (!fd || fd->type != FT_FILE) {
		page_error(r, 404, MSG_NO_FILE);
		return;
	}
	if (db_query_str(r->db, STMT_ANSWER_GET,
	                 DB_ARGS(A_INT(id), A_STR(code)), &value) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	form_send_upload(r, value);
	free(value);
}

/* ------------------------------------------------------------------ */
/* Deadlines                                                           */

/* The deadline of each form for all regions, and where it was set. */
static void national_deadlines(struct req *r, const struct deadlines *national, int admin)
{
	static const char *const default_cols[] = { "问卷", "截止时间" };
	h_table_begin(r, "deadline-defaults", "全国统一截止时间", default_cols, NELEMS(default_cols));
	for (size_t i = 0; form_at(i); i++) {
		char conf_due[DEADLINE_LEN];
		const char *due = deadlines_of(national, form_at(i)->name);
		deadline_default(r->conf, form_at(i)->name, conf_due);
		int set_here = strcmp(due, conf_due) != 0;
		h_printf(r, "<tr data-form=\"%s\" data-national=\"%s\"><td>%s %s</td><td>%s%s",
		         form_at(i)->name, due, form_at(i)->annex, form_at(i)->title, due[0] ? due : "未设置",
		         set_here ? "（在本页设置）" : "（配置文件）");
		if (admin && set_here) {
			h_raw(r, " <form method=\"post\" action=\"/admin/deadlines\" class=\"inline\">");
			h_csrf_field(r);
			h_printf(r, "<input type=\"hidden\" name=\"action\" value=\"remove-national\">"
			         "<input type=\"hidden\" name=\"form\" value=\"%s\">"
			         "<button type=\"submit\">恢复配置文件的时间</button></form>", form_at(i)->name);
		}
		h_raw(r, "</td></tr>");
	}
	h_table_end(r);
}

/* The regions' own deadlines (rows: form, region, name, due). */
static void region_deadlines(struct req *r, const struct dbrows *rows, int admin)
{
	static const char *const override_cols[] = { "问卷", "地区", "截止时间", "操作" };
	size_t ncols = admin ? 4 : 3;   /* only the administrator gets the 操作 column */
	h_table_begin(r, "deadline-overrides", "按地区延期", override_cols, ncols);
	for (size_t i = 0; i < rows->nrows; i++) {
		h_printf(r, "<tr data-form=\"%s\" data-region=\"%s\"><td>%s</td><td>%s %s</td><td>%s</td>",
		         dbrows_get(rows, i, 0), dbrows_get(rows, i, 1), form_short(dbrows_get(rows, i, 0)),
		         dbrows_get(rows, i, 1), dbrows_get(rows, i, 2), dbrows_get(rows, i, 3));
		if (admin) {
			h_raw(r, "<td><form method=\"post\" action=\"/admin/deadlines\" class=\"inline\">");
			h_csrf_field(r);
			h_printf(r, "<input type=\"hidden\" name=\"action\" value=\"remove\">"
			         "<input type=\"hidden\" name=\"form\" value=\"%s\">"
			         "<input type=\"hidden\" name=\"region\" value=\"%s\">"
			         "<button type=\"submit\">取消延期</button></form></td>",
			         dbrows_get(rows, i, 0), dbrows_get(rows, i, 1));
		}
		h_raw(r, "</tr>");
	}
	if (rows->nrows == 0)
		h_printf(r, "<tr><td colspan=\"%zu\">没有按地区设置的截止时间。</td></tr>", ncols);
	h_table_end(r);
}

/* The administrator's forms: a national deadline, a region's. */
static void deadline_forms(struct req *r)
{
	h_raw(r, "<h2>设置全国统一截止时间</h2><form method=\"post\" action=\"/admin/deadlines\">");
	h_csrf_field(r);
	h_raw(r, "<input type=\"hidden\" name=\"action\" value=\"set-national\">");
	select_form(r, NULL, 0);
	h_raw(r, "<label>截止时间 <input name=\"due\" placeholder=\"2013-12-10 23:59:59\" "
	      "maxlength=\"19\" required></label> <button type=\"submit\">保存</button>"
	      "<p class=\"hint\">适用于没有单独延期的所有地区；只能设为将来的时间。</p></form>");
	h_raw(r, "<h2>设置某地区的截止时间</h2><form method=\"post\" action=\"/admin/deadlines\">");
	h_csrf_field(r);
	h_raw(r, "<input type=\"hidden\" name=\"action\" value=\"set\">");
	select_form(r, NULL, 0);
	select_region(r, "地区", NULL, 0);
	h_raw(r, "<label>截止时间 <input name=\"due\" placeholder=\"2013-12-10 23:59:59\" "
	      "maxlength=\"19\" required></label> <button type=\"submit\">保存</button>"
	      "<p class=\"hint\">格式：年-月-日 时:分:秒（服务器本地时间）；只写日期表示当天 23:59:59。</p></form>");
}

static void deadlines_page(struct req *r, const char *msg, int is_error)
{
	struct dbrows *rows;
	int admin = r->user->role == ROLE_ADMIN;

	if (db_query(r->db, STMT_DEADLINE_OVERRIDE_LIST, DB_NOARGS, &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (msg)
		resp_status(r, is_error ? 400 : 200);
	page_begin(r, "截止时间");
	if (msg)
		h_printf(r, "<p class=\"%s\" role=\"%s\">%s</p>", is_error ? "error" : "notice",
		         is_error ? "alert" : "status", msg);
	struct deadlines national;
	if (deadlines_for_region(r->db, r->conf, NULL, &national) < 0) {
		dbrows_free(rows);
		page_error(r, 503, MSG_BUSY);
		return;
	}
	national_deadlines(r, &national, admin);
	region_deadlines(r, rows, admin);
	dbrows_free(rows);
	if (admin)
		deadline_forms(r);
	page_end(r);
}

/* action= of POST /admin/deadlines. */
static const char *const deadline_actions[] = { "set", "remove", "set-national", "remove-national", NULL };

static void deadlines_post(struct req *r)
{
	const char *action = r->arg[KEY_ACTION_F].present ? deadline_actions[r->arg[KEY_ACTION_F].n] : NULL;
	const struct form *f = param_form(r);
	const char *region = param_region(r);
	char due[DEADLINE_LEN], detail[160];
	char *exists = NULL;
	unsigned long long affected = 0;

	int national = action && (!strcmp(action, "set-national") || !strcmp(action, "remove-national"));
	if (national) {
		region = "";    /* deadline_overrides' national row */
	} else if (!action || (strcmp(action, "set") && strcmp(action, "remove")) || !f || !region) {
		deadlines_page(r, "请选择问卷和地区。", 1);
		return;
	}
	if (!f) {
		deadlines_page(r, MSG_CHOOSE_FORM, 1);
		return;
	}
	if (!national && db_query_str(r->db, STMT_REGION_EXISTS, DB_ARGS(A_STR(region)),
	                              &exists) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (!national && !exists) {
		deadlines_page(r, MSG_NO_REGION, 1);
		return;
	}
	free(exists);
	if (!strcmp(action, "remove") || !strcmp(action, "remove-national")) {
		if (db_exec(r->db, STMT_DEADLINE_OVERRIDE_DELETE,
		            DB_ARGS(A_STR(f->name), A_STR(region)), &affected, NULL) < 0) {
			page_error(r, 503, MSG_ACTION_FAILED);
			return;
		}
		deadline_forget();   /* this request read them before the change */
		snprintf(detail, sizeof detail, "form=%s region=%s", f->name, national ? "all" : region);
		if (affected)
			audit(r, "deadline_remove", detail);
		resp_redirect(r, "/admin/deadlines");
		return;
	}
	const char *typed = r->arg[KEY_DUE].s;
	if (!typed || !*typed || deadline_normalise(typed, due) < 0) {
		deadlines_page(r, "截止时间格式不正确，请按“2013-12-10 23:59:59”的格式填写。", 1);
		return;
	}
	/* An extension is a time to come: a past one would close the forms at
	 * once (the questionnaires already open stay as they are). */
	if (deadline_passed(due)) {
		char msg[160];
		snprintf(msg, sizeof msg, "截止时间 %s 已经过去，不能设为过去的时间。", due);
		deadlines_page(r, msg, 1);
		return;
	}
	if (db_exec(r->db, STMT_DEADLINE_OVERRIDE_SET,
	            DB_ARGS(A_STR(f->name), A_STR(region), A_STR(due)), NULL, NULL) < 0) {
		page_error(r, 503, MSG_ACTION_FAILED);
		return;
	}
	deadline_forget();
	snprintf(detail, sizeof detail, "form=%s region=%s due=%s", f->name, national ? "all" : region, due);
	audit(r, "deadline_set", detail);
	resp_redirect(r, "/admin/deadlines");
}

/* ------------------------------------------------------------------ */
/* Export                                                              */

static void export_page(struct req *r)
{
	page_begin(r, "数据导出");
	h_raw(r, "<p>宽表导出：每份答卷一行，列名为代码表中的字段代码，列顺序与代码表一致；"
	      "多选题和排序题按选项展开为“代码__选项”列（多选 0/1，排序为名次）。</p>"
	      "<form method=\"get\" action=\"/admin/export/data\">");
	select_form(r, NULL, 0);
	select_region(r, "地区", NULL, 1);
	select_status(r, "submitted");
	h_raw(r, "<label>格式 <select name=\"format\">"
	      "<option value=\"xlsx\">Excel（.xlsx）</option>"
	      "<option value=\"gb18030\">CSV（GB18030，适合中文 Excel 直接打开）</option>"
	      "<option value=\"csv\">CSV（UTF-8，适合统计软件）</option>"
	      "<option value=\"sav\">SPSS（.sav，含题目和选项标签）</option>"
	      "</select></label> <label class=\"opt\"><input type=\"checkbox\" name=\"labels\" value=\"1\">"
	      " CSV 第二行加中文标题（如 Excel 文件）</label> <button type=\"submit\">导出</button></form>"
	      "<h2>代码表</h2><ul>");
	for (size_t i = 0; form_at(i); i++)
		h_printf(r, "<li><a href=\"/admin/export/codebook?form=%s\">%s %s</a>（CSV，UTF-8）</li>",
		         form_at(i)->name, form_at(i)->annex, form_at(i)->title);
	h_raw(r, "</ul>");
	page_end(r);
}

static void send_download(struct req *r, struct buf *data, const char *ctype, const char *fname)
{
	resp_header(r, "Content-Type", ctype);
	resp_attachment(r, fname);
	buf_free(&r->body);
	r->body = *data;   /* hand the bytes over without a copy */
	buf_init(data);
}

/* /admin/export/data is served by smesurvey-export (cgi-bin/export.c), its
 * own program and workers, so that a long export never holds up these pages. */

static void export_codebook(struct req *r)
{
	const struct form *f = param_form(r);
	struct buf out;
	char fname[64];

	if (!f) {
		page_error(r, 400, MSG_CHOOSE_FORM);
		return;
	}
	buf_init(&out);
	export_codebook_csv(f, &out);
	snprintf(fname, sizeof fname, "codebook-%s.csv", f->name);
	send_download(r, &out, "text/csv; charset=utf-8", fname);
}

/* ------------------------------------------------------------------ */
/* Statistics                                                          */

/* The statistics' statement (STMT_PAGE_STATS): the regions' counts'
 * placeholders (form, region, region), then k.form, k.region. */
static int stats_session_args(const struct req *r, struct dbarg *out)
{
	const struct form *f = param_form(r) ? param_form(r) : form_at(0);
	out[0] = out[3] = A_STR(f->name);
	out[1] = out[2] = out[4] = A_STR(param_region(r));
	return 5;
}

static void stats_page(struct req *r)
{
	const struct form *f = param_form(r);
	const char *region = param_region(r);

	if (!f)
		f = form_at(0);
	page_begin(r, "统计");
	h_raw(r, "<form method=\"get\" action=\"/admin/stats\" class=\"filters\">");
	select_form(r, f, 0);
	select_region(r, "地区", region, 1);
	h_raw(r, "<button type=\"submit\">查看</button></form>");
	h_printf(r, "<h2>%s %s（仅统计已提交的答卷）</h2>", f->annex, f->title);
	if (stats_render(r, f, region) < 0)
		h_raw(r, "<p class=\"error\">统计暂时无法显示，请稍后刷新。</p>");
	page_end(r);
}

/* ------------------------------------------------------------------ */
/* Evaluation indicators                                               */

/* The indicator views' options (indview.h): sample=1, and excluded=keep
 * to count the responses the agency excluded (dropped by default). */
static int indicator_opts(const struct req *r)
{
	int sample = r->arg[KEY_SAMPLE].present && r->arg[KEY_SAMPLE].n == 1;
	int keep = r->arg[KEY_KIND].present && r->arg[KEY_KIND].n == 1;
	return (sample ? IV_SAMPLE_ONLY : 0) | (keep ? 0 : IV_DROP_EXCLUDED);
}

static void indicators_page(struct req *r)
{
	int opts = indicator_opts(r), sample = opts & IV_SAMPLE_ONLY;
	const char *excl = opts & IV_DROP_EXCLUDED ? "drop" : "keep";
	const char *region = param_region(r);
	size_t mark;

	page_begin(r, "评估指标");
	h_raw(r, "<p>按通知“评估的主要内容”分组，只计已提交的答卷；每个数值下为计算所用的答卷（或单位）数 n，"
	      "“—”表示无法计算，n 小于 5 时标注“样本不足”。</p>"
	      "<form method=\"get\" action=\"/admin/indicators\" class=\"filters no-print\">"
	      "<label>服务资源单位和中小企业 <select name=\"sample\">");
	h_printf(r, "<option value=\"0\"%s>全部已提交答卷</option><option value=\"1\"%s>只计样本单位"
	         "（凭抽中单位的邀请码注册）</option></select></label> ", sample ? "" : " selected",
	         sample ? " selected" : "");
	h_printf(r, "<label>评估机构排除的答卷 <select name=\"excluded\"><option value=\"drop\"%s>不计入</option>"
	         "<option value=\"keep\"%s>计入（全部已提交答卷）</option></select></label> ",
	         *excl == 'd' ? " selected" : "", *excl == 'k' ? " selected" : "");
	select_region(r, "与全国对照的地区", region, 1);
	h_printf(r, " <button type=\"submit\">查看</button> 下载：<a href=\"/admin/indicators.csv?sample=%d&amp;excluded=%s\">"
	         "CSV（UTF-8）</a> <a href=\"/admin/indicators.csv?sample=%d&amp;excluded=%s&amp;format=gb18030\">"
	         "CSV（GB18030）</a> <a href=\"/admin/indicators.xlsx?sample=%d&amp;excluded=%s\">Excel（XLSX）</a></form>",
	         sample, excl, sample, excl, sample, excl);
	/* The nation beside one chosen region, the texts of content 四 on their
	 * own paged page (issue 21 item 4: under 200 KB whatever the number of
	 * regions; every region's values are in the CSV and XLSX). */
	mark = r->body.len;
	if (indview_render(r, region ? region : "", opts, "/admin/indicators/texts") < 0) {
		r->body.len = mark;
		r->body.data[mark] = 0;
		h_raw(r, "<p class=\"error\">指标暂时无法计算，请稍后刷新。</p>");
	}
	page_end(r);
}

/* GET /admin/indicators/texts: the text answers of one indicator of
 * content 四 (ind=, the first when absent), of a region or all, paged by
 * response (after=). */
static void indicator_texts_page(struct req *r)
{
	const struct indset *set = indicators();
	const char *code = r->arg[KEY_CODE].present ? r->arg[KEY_CODE].s : NULL;
	const char *region = param_region(r);
	int opts = indicator_opts(r), rc;
	size_t mark;

	for (size_t i = 0; set && !code && i < set->n; i++)
		if (set->v[i].a.agg == IA_TEXTS)
			code = set->v[i].code;
	page_begin(r, "评估指标 · 文字回答");
	h_raw(r, "<p><a href=\"/admin/indicators\">返回评估指标</a></p><nav class=\"texts-index\" aria-label=\"文字回答\"><ul>");
	for (size_t i = 0; set && i < set->n; i++)
		if (set->v[i].a.agg == IA_TEXTS)
			h_printf(r, "<li><a href=\"/admin/indicators/texts?ind=%s\"%s>%s</a></li>", set->v[i].code,
			         code && !strcmp(code, set->v[i].code) ? " aria-current=\"page\"" : "", set->v[i].label);
	h_printf(r, "</ul></nav><form method=\"get\" action=\"/admin/indicators/texts\" class=\"filters no-print\">"
	         "<input type=\"hidden\" name=\"ind\" value=\"%s\">", code ? code : "");
	select_region(r, "地区", region, 1);
	h_raw(r, " <button type=\"submit\">查看</button></form>");
	mark = r->body.len;
	rc = code ? indview_texts(r, "/admin/indicators/texts", code, region, opts,
	                          r->arg[KEY_AFTER].present ? r->arg[KEY_AFTER].id : 0) : 1;
	if (rc != 0) {
		r->body.len = mark;
		r->body.data[mark] = 0;
		h_raw(r, rc < 0 ? "<p class=\"error\">文字回答暂时无法显示，请稍后刷新。</p>" : "<p class=\"error\">没有这个指标的文字回答。</p>");
	}
	page_end(r);
}

static void indicators_csv(struct req *r)
{
	int opts = indicator_opts(r), sample = opts & IV_SAMPLE_ONLY;
	int gb = r->arg[KEY_FORMAT].present && r->arg[KEY_FORMAT].n == 1;
	struct buf out, conv;
	char name[48];
	buf_init(&out);
	/* UTF-8 with a BOM, as Chinese Excel wants it (shared README, Export);
	 * or GB18030, which needs none. */
	if (!gb)
		buf_puts(&out, "\xEF\xBB\xBF");
	if (indview_csv(r, NULL, opts, &out) < 0) {
		buf_free(&out);
		page_error(r, 503, MSG_BUSY);
		return;
	}
	snprintf(name, sizeof name, "indicators%s%s.csv", sample ? "-sample" : "", gb ? "-gb18030" : "");
	if (gb) {
		buf_init(&conv);
		if (csv_to_gb18030(&out, &conv) < 0) {
			buf_free(&out);
			buf_free(&conv);
			page_error(r, 500, "导出失败。");
			return;
		}
		buf_free(&out);
		send_download(r, &conv, "text/csv; charset=gb18030", name);
		return;
	}
	send_download(r, &out, "text/csv; charset=utf-8", name);
}

/* GET /admin/indicators.xlsx: the rows of indicators.csv as a workbook. */
static void indicators_xlsx(struct req *r)
{
	int opts = indicator_opts(r), sample = opts & IV_SAMPLE_ONLY;
	struct buf out;
	buf_init(&out);
	if (indview_xlsx(r, NULL, opts, &out) < 0) {
		buf_free(&out);
		page_error(r, 503, MSG_BUSY);
		return;
	}
	send_download(r, &out, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	              sample ? "indicators-sample.xlsx" : "indicators.xlsx");
}

/* ------------------------------------------------------------------ */
/* The integrity review (issue 20, eval/review.c)                      */

static void on_integrity_queue(struct req *r)
{
	const char *region = param_region(r), *form = r->arg[KEY_FORM].s, *rule = r->arg[KEY_RULE].s;
	integrity_queue_page(r, region, form && form_get(form) ? form : NULL, rule && flag_rule(rule) ? rule : NULL,
	             r->arg[KEY_AFTER].present ? r->arg[KEY_AFTER].id : 0);
}

static void on_integrity_response(struct req *r)
{
	integrity_response_page(r, r->arg[KEY_ID].id);
}

/* POST: the CSRF token was checked by the page table (PAGE_CSRF). */
static void on_integrity_decide(struct req *r)
{
	integrity_decide(r, r->arg[KEY_ID].id, (enum integrity_decision)r->arg[KEY_DECISION].n, r->arg[KEY_NOTE].s);
}

/* ------------------------------------------------------------------ */
/* Accounts (admin only)                                               */

/* One account row of the list, with its disable/enable and reset actions. */
static void account_row(struct req *r, const struct dbrows *rows, size_t i)
{
	int disabled = dbrows_int(rows, i, 7) != 0;
	unsigned long long uid = (unsigned long long)dbrows_int(rows, i, 0);
	h_printf(r, "<tr data-id=\"%llu\" data-username=\"%s\"><td>%s</td><td>%s</td><td>%s %s</td><td>%s</td>"
	         "<td>%s</td><td class=\"state\">%s</td><td>%s</td><td>",
	         uid, dbrows_get(rows, i, 1), dbrows_get(rows, i, 1),
	         role_label(role_parse(dbrows_get(rows, i, 2))), dbrows_get(rows, i, 3),
	         dbrows_get(rows, i, 4), dbrows_get(rows, i, 5), form_short(dbrows_get(rows, i, 6)),
	         disabled ? "已停用" : "正常", dbrows_get(rows, i, 8));
	if (uid != r->user->id) {
		h_raw(r, "<form method=\"post\" action=\"/admin/accounts\" class=\"inline\">");
		h_csrf_field(r);
		h_printf(r, "<input type=\"hidden\" name=\"id\" value=\"%llu\">"
		         "<input type=\"hidden\" name=\"action\" value=\"%s\">"
		         "<button type=\"submit\">%s</button></form>",
		         uid, disabled ? "enable" : "disable", disabled ? "启用" : "停用");
		h_printf(r, " <a href=\"/admin/accounts/reset?id=%llu\">重置密码</a>", uid);
	}
	h_raw(r, "</td></tr>");
}

/* The list's pager: keys are the ids of the first and last row shown. */
static void accounts_pager(struct req *r, const char *rcode, const char *region, const struct dbrows *rows,
                           size_t first, size_t last, int newer, int older)
{
	struct buf base = { 0 }, top = { 0 }, prev = { 0 }, next = { 0 };
	const char *const keep[] = { "role", rcode, "region", region, NULL };
	url_with_params(&base, "/admin/accounts", keep);
	if (newer) {
		buf_puts(&top, base.data);
		buf_printf(&prev, "%s&before=%s", base.data, dbrows_get(rows, first, 0));
	}
	if (older)
		buf_printf(&next, "%s&after=%s", base.data, dbrows_get(rows, last, 0));
	h_key_pager(r, "账户翻页", "", top.data, prev.data, next.data);
	buf_free(&base);
	buf_free(&top);
	buf_free(&prev);
	buf_free(&next);
}

/* The role filter of the account list as its code, or NULL (all). */
static const char *accounts_role(const struct req *r)
{
	const char *role_s = r->arg[KEY_ROLE].present ? r->arg[KEY_ROLE].s : NULL;
	enum role role = role_s ? role_parse(role_s) : ROLE_NONE;
	return role != ROLE_NONE ? role_code(role) : NULL;
}

/* The constants of the account list's statement (STMT_PAGE_ACCOUNTS):
 * k.rcode and k.region, the filters the list is counted for. */
static int accounts_session_args(const struct req *r, struct dbarg *out)
{
	out[0] = A_STR(accounts_role(r));
	out[1] = A_STR(param_region(r));
	return 2;
}

/* Accounts in id order, PAGE_SIZE at a time by key (issue 21 item 4):
 * after=<id> the page below that account, before=<id> the page above it;
 * the total from the maintained counter agg_accounts. */
static void accounts_page(struct req *r, const char *msg)
{
	const char *rcode = accounts_role(r);
	enum role role = rcode ? role_parse(rcode) : ROLE_NONE;
	const char *region = param_region(r);
	unsigned long long after = r->arg[KEY_AFTER].present ? r->arg[KEY_AFTER].id : 0;
	unsigned long long before = !after && r->arg[KEY_BEFORE].present ? r->arg[KEY_BEFORE].id : 0;
	static const char *const cols[] = { "用户名", "角色", "地区", "单位", "问卷", "状态",
	                                    "最近登录", "操作" };
	struct dbrows *rows;
	long long total;

	if ((total = query_count(r, STMT_USER_COUNT,
	    DB_ARGS(A_STR(rcode), A_STR(rcode), A_STR(region), A_STR(region)))) < 0 ||
	    db_query(r->db, before ? STMT_USER_LIST_BEFORE : STMT_USER_LIST,
	    DB_ARGS(A_STR(rcode), A_STR(rcode), A_STR(region), A_STR(region), A_INT(before ? before : after),
	            A_INT(PAGE_SIZE + 1)), &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	int more = rows->nrows > PAGE_SIZE;
	size_t n = more ? PAGE_SIZE : rows->nrows;
	/* Rows above a key came nearest first: shown reversed. */
	size_t first = before ? n - 1 : 0, step = before ? (size_t)-1 : 1;

	page_begin(r, "账户");
	h_notice(r, msg);
	h_raw(r, "<form method=\"get\" action=\"/admin/accounts\" class=\"filters\"><label>角色 "
	      "<select name=\"role\"><option value=\"\">全部</option>");
	for (int k = ROLE_ADMIN; k < ROLE_COUNT; k++)
		h_option(r, role_code((enum role)k), role_label((enum role)k), role == (enum role)k);
	h_raw(r, "</select></label> ");
	select_region(r, "地区", region, 1);
	h_raw(r, "<button type=\"submit\">筛选</button></form>");
	h_printf(r, "<p>共 <span id=\"total\">%lld</span> 个账户（按创建先后排列）。停用后该账户立即退出登录，"
	         "且不能再登录。</p>", total);
	h_table_begin(r, "accounts", NULL, cols, NELEMS(cols));
	for (size_t k = 0, i = first; k < n; k++, i += step)
		account_row(r, rows, i);
	if (n == 0)
		h_raw(r, "<tr><td colspan=\"8\">" MSG_NO_ACCOUNTS_MATCH "</td></tr>");
	h_table_end(r);
	if (n > 0)
		accounts_pager(r, rcode, region, rows, first, before ? 0 : n - 1,
		               before ? more : after != 0, before ? 1 : more);
	dbrows_free(rows);
	page_end(r);
}

static void accounts_post(struct req *r)
{
	unsigned long long id = r->arg[KEY_ID].id;
	int disable = r->arg[KEY_ACTION].n == 0;     /* account_actions[] */
	char *username = NULL;
	char detail[128];

	if (id == r->user->id) {
		page_error(r, 400, "不能停用自己的账户。");
		return;
	}
	if (db_query_str(r->db, STMT_USER_NAME, DB_ARGS(A_INT(id)),
	                 &username) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (!username) {
		page_error(r, 404, MSG_NO_ACCOUNT);
		return;
	}
	if (db_exec(r->db, STMT_USER_SET_DISABLED,
	            DB_ARGS(A_INT(disable), A_INT(id)), NULL, NULL) < 0 ||
	    /* Sessions also die at their next request; end them now anyway. */
	    (disable && db_exec(r->db, STMT_SESSIONS_DELETE_USER, DB_ARGS(A_INT(id)),
	                        NULL, NULL) < 0)) {
		free(username);
		page_error(r, 503, MSG_ACTION_FAILED);
		return;
	}
	snprintf(detail, sizeof detail, "user=%s", username);
	audit(r, disable ? "account_disable" : "account_enable", detail);
	free(username);
	resp_redirect(r, "/admin/accounts?done=1");
}

/* ------------------------------------------------------------------ */
/* Samples: the ministry's reset of a wrong sample (issue 10)          */

static const char *const sample_kinds[] = { "resource", "sme", NULL };

static const char *sample_kind_label(const char *kind)
{
	return strcmp(kind, "sme") == 0 ? "中小企业" : "服务资源单位";
}

static void samples_page(struct req *r)
{
	static const char *const cols[] = { "地区", "样本", "方式", "抽样时间", "单位数", "已注册", "操作" };
	struct dbrows *rows;
	if (db_query(r->db, STMT_ADMIN_SAMPLES_ALL, DB_ARGS(A_STR(sample_kinds[0]), A_STR(sample_kinds[1])), &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "各地区样本");
	if (r->arg[KEY_DONE].present)
		h_raw(r, "<p class=\"notice\" role=\"status\">样本已重置，该地区可以重新导入样本框并抽样。</p>");
	h_raw(r, "<p>地区的样本抽错（例如样本框的组织平台一列填写有误）时，管理员可以重置该地区的样本和样本框，"
	      "地区随后重新导入样本框并抽样。已打印的邀请码随即作废；已有单位通过邀请码注册的，须填写原因。</p>");
	h_table_begin(r, "samples", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *kind = dbrows_get(rows, i, 2);
		int has = dbrows_int(rows, i, 7) != 0;
		h_printf(r, "<tr data-region=\"%s\" data-kind=\"%s\" data-sampled=\"%d\"><td>%s %s</td><td>%s</td>",
		         dbrows_get(rows, i, 0), kind, has, dbrows_get(rows, i, 0), dbrows_get(rows, i, 1),
		         sample_kind_label(kind));
		if (has)
			h_printf(r, "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>",
			         strcmp(dbrows_get(rows, i, 3), "drawn") == 0 ? "随机抽取" : "地区上传",
			         dbrows_get(rows, i, 4), dbrows_get(rows, i, 5), dbrows_get(rows, i, 6));
		else
			h_raw(r, "<td colspan=\"4\">未抽样（尚未抽样，或已重置、待地区重新抽样）</td><td>");
		{
			struct buf u = { 0 };
			buf_puts(&u, "/admin/followups?region=");
			url_encode(&u, dbrows_get(rows, i, 0));
			h_printf(r, "<a href=\"%s\">跟进名单</a> ", u.data);
			buf_free(&u);
		}
		if (r->user->role == ROLE_ADMIN && has) {
			struct buf u = { 0 };
			buf_puts(&u, "/admin/samples/reset?region=");
			url_encode(&u, dbrows_get(rows, i, 0));
			buf_printf(&u, "&kind=%s", kind);
			h_printf(r, "<a href=\"%s\">重置…</a>", u.data);
			buf_free(&u);
		}
		h_raw(r, "</td></tr>");
	}
	if (rows->nrows == 0)
		h_raw(r, "<tr><td colspan=\"7\">尚无地区。</td></tr>");
	h_table_end(r);
	dbrows_free(rows);
	page_end(r);
}

/* A region's follow-up list, read-only (sample/followup.c). */
static void followups_get(struct req *r)
{
	followup_list(r, "/admin/followups", 0);
}

static void followups_print(struct req *r)
{
	followup_list(r, "/admin/followups", 1);
}

static void followups_unit_get(struct req *r)
{
	followup_unit(r, "/admin/followups");
}

/* The sample row of region/kind for the reset pages; NULL after an error page. */
static struct dbrows *sample_of(struct req *r, const char *region, const char *kind)
{
	struct dbrows *rows;
	if (db_query(r->db, STMT_ADMIN_SAMPLES,
	             DB_ARGS(A_STR(region), A_STR(region), A_STR(kind), A_STR(kind)), &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return NULL;
	}
	if (rows->nrows == 0) {
		dbrows_free(rows);
		page_error(r, 404, MSG_NO_SAMPLE_KIND);
		return NULL;
	}
	return rows;
}

static void sample_reset_form(struct req *r, const char *msg)
{
	const char *region = r->arg[KEY_REGION].s, *kind = sample_kinds[r->arg[KEY_KIND].n];
	struct dbrows *rows = sample_of(r, region, kind);
	if (!rows)
		return;
	long long registered = dbrows_int(rows, 0, 6);
	page_begin(r, "重置地区样本");
	h_alert(r, msg);
	h_printf(r, "<p>地区：<strong>%s %s</strong>，%s样本（%s抽样，%s 家单位，其中 %lld 家已通过邀请码注册）。</p>",
	         dbrows_get(rows, 0, 0), dbrows_get(rows, 0, 1), sample_kind_label(kind), dbrows_get(rows, 0, 4),
	         dbrows_get(rows, 0, 5), registered);
	h_raw(r, "<p class=\"notice\"><strong>此操作不可撤销：</strong>该地区这类样本的入样单位、备选名单和已确认的样本框将被删除，"
	      "已打印的邀请码全部作废（持邀请单者会被告知与本地区主管部门联系）。地区随后须重新导入样本框、抽样并打印邀请单。");
	if (registered > 0)
		h_raw(r, "已注册单位的账户和已填写的答卷保留，但不再属于样本。");
	h_raw(r, "</p><form method=\"post\" action=\"/admin/samples/reset\">");
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"region\" value=\"%s\"><input type=\"hidden\" name=\"kind\" value=\"%s\">",
	         region, kind);
	h_printf(r, "<p><label for=\"reason\">原因%s</label><input id=\"reason\" name=\"reason\" maxlength=\"200\"%s></p>",
	         registered > 0 ? "（已有单位注册，必填）" : "（选填）", registered > 0 ? " required" : "");
	h_raw(r, "<p><label><input type=\"checkbox\" name=\"confirm\" value=\"1\" required> 我确认重置该地区的样本和样本框</label></p>"
	      "<p><button type=\"submit\">重置样本</button> <a href=\"/admin/samples\">取消</a></p></form>");
	dbrows_free(rows);
	page_end(r);
}

static void sample_reset_get(struct req *r)
{
	sample_reset_form(r, NULL);
}

static void sample_reset_post(struct req *r)
{
	const char *region = r->arg[KEY_REGION].s, *kind = sample_kinds[r->arg[KEY_KIND].n];
	const char *reason = r->arg[KEY_REASON].s;
	struct reset_info ri;

	if (reason == NULL)
		reason = "";
	if (!r->arg[KEY_CONFIRM].present) {
		resp_status(r, 422);
		sample_reset_form(r, "请勾选确认后再重置。样本未重置。");
		return;
	}
	if (utf8_len(reason) > 200) {
		resp_status(r, 422);
		sample_reset_form(r, "原因最多 200 字。样本未重置。");
		return;
	}
	/* One transaction: the reset and its audit row. */
	const struct sample_audit au = { audit_tx, r };
	enum reset_result res = sample_reset_tx(r->db, region, kind, reason, &ri, &au);
	switch (res) {
	case RESET_OK:
		resp_redirect(r, "/admin/samples?done=1");
		break;
	case RESET_NONE:
		page_error(r, 404, MSG_NO_SAMPLE_KIND);
		break;
	case RESET_NEEDS_REASON:
		resp_status(r, 422);
		sample_reset_form(r, "已有单位通过邀请码注册，请填写重置原因。样本未重置。");
		break;
	default:
		page_error(r, 503, "重置未能完成，请稍后再试。");
		break;
	}
}

/* ------------------------------------------------------------------ */

static void deadlines_get(struct req *r)
{
	deadlines_page(r, NULL, 0);
}

static void accounts_get(struct req *r)
{
	accounts_page(r, r->arg[KEY_DONE].present ? "已保存。" : NULL);
}

static void account_reset_get(struct req *r)
{
	account_reset_confirm(r, KEY_ID, "/admin/accounts/reset", "/admin/accounts");
}

static void account_reset_done(struct req *r)
{
	account_reset_post(r, KEY_ID, "/admin/accounts");
}

static const char *const account_actions[] = { "disable", "enable", NULL };

/* The filters (adminparam.h) of the lists, statistics and exports. */
static const struct pspec filter_params[] = {
	AP_FILTERS,
	{ 0 },
};

static const struct pspec overview_params[] = {
	P_TEXT(KEY_SORT, "sort", 16),
	{ 0 },
};

/* The response list pages by key: after= older, before= newer. */
static const struct pspec responses_params[] = {
	AP_FILTERS,
	P_AFTER(KEY_AFTER),
	P_BEFORE(KEY_BEFORE),
	{ 0 },
};

/* POST /admin/deadlines: set or remove a region's or the national
 * deadline of a form; a missing choice is answered on the page. */
static const struct pspec deadline_params[] = {
	AP_FILTERS,
	{ KEY_ACTION_F, "action", PT_ENUM, 0, 0, 0, deadline_actions, 0, NULL, 0 },
	P_TEXT(KEY_DUE, "due", 32),
	{ 0 },
};

static const struct pspec accounts_params[] = {
	AP_FILTERS,
	P_TEXT(KEY_ROLE, "role", 15),
	P_FLAG(KEY_DONE, "done"),
	P_AFTER(KEY_AFTER),
	P_BEFORE(KEY_BEFORE),
	{ 0 },
};

static const struct pspec done_params[] = {
	P_FLAG(KEY_DONE, "done"),
	{ 0 },
};

static const struct pspec view_params[] = {
	P_ID_OF(KEY_ID, "id", 404, MSG_NO_RESPONSE),
	P_FLAG(KEY_REOPENED, "reopened"),
	{ 0 },
};
static const struct pspec reopen_params[] = {
	P_ID_OF(KEY_ID, "id", 400, "无效的答卷编号。"),
	{ 0 },
};
static const struct pspec file_params[] = {
	P_ID_OF(KEY_ID, "id", 404, MSG_NO_FILE),
	{ KEY_CODE, "code", PT_STR, P_REQUIRED, 0, 64, NULL, 404, MSG_NO_FILE, 0 },
	{ 0 },
};
static const struct pspec account_reset_params[] = {
	P_ID_OF(KEY_ID, "id", 404, MSG_NO_ACCOUNT),
	{ 0 },
};
static const struct pspec account_params[] = {
	P_ID_OF(KEY_ID, "id", 400, MSG_BAD_ACTION),
	{ KEY_ACTION, "action", PT_ENUM, P_REQUIRED, 0, 0, account_actions, 400, MSG_BAD_ACTION, 0 },
	{ 0 },
};

/* The audit log's filters; a malformed value is simply not applied. */
static const struct pspec audit_params[] = {
	AP_FILTERS,
	P_TEXT(KEY_ACTION_F, "action", 32),
	P_TEXT(KEY_USER, "user", 64),
	P_TEXT(KEY_FROM, "from", 10),
	P_TEXT(KEY_TO, "to", 10),
	P_BEFORE(KEY_BEFORE),
	{ 0 },
};

/* sample=1: resource/SME indicators from the sample's accounts only. */
static const char *const sample_values[] = { "0", "1", NULL };
static const char *const csv_formats[] = { "csv", "gb18030", NULL };
/* excluded=keep: count the responses the agency excluded (issue 20). */
static const char *const excluded_values[] = { "drop", "keep", NULL };
static const struct pspec indicator_params[] = {
	AP_FILTERS,
	{ KEY_SAMPLE, "sample", PT_ENUM, 0, 0, 0, sample_values, 0, NULL, 0 },
	{ KEY_FORMAT, "format", PT_ENUM, 0, 0, 0, csv_formats, 0, NULL, 0 },
	{ KEY_KIND, "excluded", PT_ENUM, 0, 0, 0, excluded_values, 0, NULL, 0 },
	{ 0 },
};
static const struct pspec indicator_texts_params[] = {
	AP_FILTERS,
	{ KEY_SAMPLE, "sample", PT_ENUM, 0, 0, 0, sample_values, 0, NULL, 0 },
	{ KEY_KIND, "excluded", PT_ENUM, 0, 0, 0, excluded_values, 0, NULL, 0 },
	{ KEY_CODE, "ind", PT_STR, 0, 0, 64, NULL, 0, NULL, 0 },
	P_AFTER(KEY_AFTER),
	{ 0 },
};

/* The agency's review (issue 20): filters of the queue (a malformed value
 * is not applied), a response, a decision. */
static const struct pspec integrity_params[] = {
	P_REGION(KEY_REGION),
	P_FORM(KEY_FORM),
	P_TEXT(KEY_RULE, "rule", 16),
	P_AFTER(KEY_AFTER),
	{ 0 },
};
static const struct pspec integrity_response_params[] = {
	P_ID_OF(KEY_ID, "id", 404, MSG_NO_RESPONSE),
	{ 0 },
};
static const struct pspec integrity_decide_params[] = {
	P_ID_OF(KEY_ID, "id", 404, MSG_NO_RESPONSE),
	{ KEY_DECISION, "decision", PT_ENUM, P_REQUIRED, 0, 0, integrity_decision_codes, 422, "请选择审核结论。", 0 },
	{ KEY_NOTE, "note", PT_STR, 0, 0, 2000, NULL, 422, MSG_NOTE_TOO_LONG, 0 },
	{ 0 },
};

/* The regions and their help-line phones (pages/regions.c). */
static const struct pspec regions_params[] = {
	P_REGION_CODE(KEY_REGION, "saved", 0, 0, NULL),
	{ 0 },
};
static const struct pspec region_phone_params[] = {
	P_REGION_CODE(KEY_REGION, "code", P_REQUIRED, 404, MSG_NO_REGION),
	P_TEXT(KEY_STEP, "step", 8),
	P_TEXT(KEY_PHONE, "help_phone", 64),
	{ 0 },
};

static void regions_get(struct req *r)
{
	regions_list(r, KEY_REGION, "/admin/regions/phone");
}

static void region_phone_get(struct req *r)
{
	region_phone_form(r, KEY_REGION, "/admin/regions/phone", "/admin/regions");
}

static void region_phone_done(struct req *r)
{
	static const unsigned keys[3] = { KEY_REGION, KEY_STEP, KEY_PHONE };
	region_phone_post(r, keys, "/admin/regions/phone", "/admin/regions");
}

static const struct pspec reset_params[] = {
	P_REGION_CODE(KEY_REGION, "region", P_REQUIRED, 404, MSG_NO_SAMPLE_KIND),
	{ KEY_KIND, "kind", PT_ENUM, P_REQUIRED, 0, 0, sample_kinds, 404, MSG_NO_SAMPLE_KIND, 0 },
	P_REASON(KEY_REASON),
	P_CONFIRM(KEY_CONFIRM),
	{ 0 },
};

enum page {
	PAGE_OVERVIEW,
	PAGE_PROGRESS,
	PAGE_AUDIT,
	PAGE_RESPONSES,
	PAGE_RESPONSE_VIEW,
	PAGE_RESPONSE_REOPEN,
	PAGE_FILE,
	PAGE_DEADLINES_GET,
	PAGE_DEADLINES_POST,
	PAGE_EXPORT,
	PAGE_EXPORT_CODEBOOK,
	PAGE_STATS,
	PAGE_INDICATORS,
	PAGE_INDICATORS_CSV,
	PAGE_INDICATOR_TEXTS,
	PAGE_ACCOUNTS_GET,
	PAGE_ACCOUNTS_POST,
	PAGE_SAMPLES,
	PAGE_SAMPLE_RESET_GET,
	PAGE_SAMPLE_RESET_POST,
	PAGE_ACCOUNT_RESET_GET,
	PAGE_ACCOUNT_RESET_POST,
	PAGE_INDICATORS_XLSX,
	PAGE_FOLLOWUPS,
	PAGE_FOLLOWUPS_PRINT,
	PAGE_FOLLOWUPS_CSV,
	PAGE_FOLLOWUP_UNIT,
	PAGE_REGIONS,
	PAGE_REGION_PHONE_GET,
	PAGE_REGION_PHONE_POST,
	PAGE_INTEGRITY,
	PAGE_INTEGRITY_RESPONSE_GET,
	PAGE_INTEGRITY_RESPONSE_POST,
	PAGE__MAX
};

/* ADMINS: admin, the read-only viewer and the evaluation agency (which
 * works in its own program, smesurvey-agency). ADMIN_ONLY: admin alone,
 * which is every page that changes something (the others get READ_ONLY). */
#define ADMINS     RB_ADMINS
#define ADMIN_ONLY RB(ROLE_ADMIN)
#define READ_ONLY  "只有管理员（工业和信息化部）可以修改此项数据。"
/* The integrity review (issue 20): the ministry and the evaluation agency. */
#define REVIEWERS  (RB(ROLE_ADMIN) | RB(ROLE_AGENCY))

static const struct pagedef pages[PAGE__MAX] = {
	[PAGE_OVERVIEW]        = { "/admin",                  M_GET,  ADMINS, PAGE_SLASH, overview_params, overview, NULL,
	                           .session = STMT_PAGE_NATIONAL, .session_args = overview_session_args },
	[PAGE_PROGRESS]        = { "/admin/progress",         M_GET,  ADMINS, 0, overview_params, overview, NULL,
	                           .session = STMT_PAGE_NATIONAL, .session_args = overview_session_args },
	[PAGE_AUDIT]           = { "/admin/audit",            M_GET,  ADMINS, 0, audit_params, audit_page, NULL,
	                         .session = STMT_PAGE_REGIONS },
	[PAGE_RESPONSES]       = { "/admin/responses",        M_GET,  ADMINS, 0, responses_params, responses_list, NULL,
	                         .session = STMT_PAGE_RESPONSES, .session_args = responses_session_args },
	[PAGE_RESPONSE_VIEW]   = { "/admin/responses/view",   M_GET,  ADMINS, 0, view_params, response_view, NULL,
	                         .session = STMT_PAGE_RESPONSE, .session_args = response_session_args },
	[PAGE_RESPONSE_REOPEN] = { "/admin/responses/reopen", M_POST, ADMIN_ONLY, PAGE_CSRF, reopen_params, response_reopen_post, READ_ONLY },
	[PAGE_FILE]            = { "/admin/file",             M_GET,  ADMINS, 0, file_params, file_download, NULL },
	[PAGE_DEADLINES_GET]   = { "/admin/deadlines",        M_GET,  ADMINS, 0, NULL, deadlines_get, NULL,
	                         .session = STMT_PAGE_DEADLINES },
	[PAGE_DEADLINES_POST]  = { "/admin/deadlines",        M_POST, ADMIN_ONLY, PAGE_CSRF, deadline_params, deadlines_post, READ_ONLY },
	[PAGE_EXPORT]          = { "/admin/export",           M_GET,  ADMINS, 0, filter_params, export_page, NULL,
	                         .session = STMT_PAGE_REGIONS },
	[PAGE_EXPORT_CODEBOOK] = { "/admin/export/codebook",  M_GET,  ADMINS, 0, filter_params, export_codebook, NULL },
	[PAGE_STATS]           = { "/admin/stats",            M_GET,  ADMINS, 0, filter_params, stats_page, NULL,
	                         .session = STMT_PAGE_STATS, .session_args = stats_session_args },
	[PAGE_INDICATORS]      = { "/admin/indicators",       M_GET,  ADMINS, 0, indicator_params, indicators_page, NULL,
	                         .session = STMT_PAGE_INDICATORS },
	[PAGE_INDICATORS_CSV]  = { "/admin/indicators.csv",   M_GET,  ADMINS, 0, indicator_params, indicators_csv, NULL,
	                         .session = STMT_PAGE_INDICATORS },
	[PAGE_INDICATOR_TEXTS] = { "/admin/indicators/texts", M_GET,  ADMINS, 0, indicator_texts_params, indicator_texts_page, NULL,
	                         .session = STMT_PAGE_REGIONS },
	[PAGE_INDICATORS_XLSX] = { "/admin/indicators.xlsx",  M_GET,  ADMINS, 0, indicator_params, indicators_xlsx, NULL,
	                         .session = STMT_PAGE_INDICATORS },
	[PAGE_ACCOUNTS_GET]    = { "/admin/accounts",         M_GET,  ADMIN_ONLY, 0, accounts_params, accounts_get, NULL,
	                         .session = STMT_PAGE_ACCOUNTS, .session_args = accounts_session_args },
	[PAGE_ACCOUNTS_POST]   = { "/admin/accounts",         M_POST, ADMIN_ONLY, PAGE_CSRF, account_params, accounts_post, READ_ONLY },
	[PAGE_SAMPLES]         = { "/admin/samples",          M_GET,  ADMINS, 0, done_params, samples_page, NULL },
	[PAGE_SAMPLE_RESET_GET]  = { "/admin/samples/reset",  M_GET,  ADMIN_ONLY, 0, reset_params, sample_reset_get, READ_ONLY },
	[PAGE_SAMPLE_RESET_POST] = { "/admin/samples/reset",  M_POST, ADMIN_ONLY, PAGE_CSRF, reset_params, sample_reset_post, READ_ONLY },
	[PAGE_ACCOUNT_RESET_GET]  = { "/admin/accounts/reset", M_GET,  ADMIN_ONLY, 0, account_reset_params, account_reset_get, READ_ONLY },
	[PAGE_ACCOUNT_RESET_POST] = { "/admin/accounts/reset", M_POST, ADMIN_ONLY, PAGE_CSRF, account_reset_params, account_reset_done, READ_ONLY },
	[PAGE_FOLLOWUPS]        = { "/admin/followups",        M_GET, ADMINS, 0, followup_list_params, followups_get, NULL,
	                         .session = STMT_PAGE_FOLLOWUPS, .session_args = followup_list_session_args },
	[PAGE_FOLLOWUPS_PRINT]  = { "/admin/followups/print",  M_GET, ADMINS, 0, followup_list_params, followups_print, NULL,
	                         .session = STMT_PAGE_REGIONS },
	[PAGE_FOLLOWUPS_CSV]    = { "/admin/followups.csv",    M_GET, ADMINS, 0, followup_list_params, followup_csv, NULL,
	                         .session = STMT_PAGE_FOLLOWUPS, .session_args = followup_list_session_args },
	[PAGE_FOLLOWUP_UNIT]    = { "/admin/followups/unit",   M_GET, ADMINS, 0, followup_unit_params, followups_unit_get, NULL,
	                         .session = STMT_PAGE_FOLLOWUP_UNIT, .session_args = followup_unit_session_args },
	[PAGE_REGIONS]          = { "/admin/regions",          M_GET, ADMINS, 0, regions_params, regions_get, NULL },
	[PAGE_REGION_PHONE_GET]  = { "/admin/regions/phone",   M_GET,  ADMIN_ONLY, 0, region_phone_params, region_phone_get, READ_ONLY },
	[PAGE_REGION_PHONE_POST] = { "/admin/regions/phone",   M_POST, ADMIN_ONLY, PAGE_CSRF, region_phone_params, region_phone_done, READ_ONLY },
	[PAGE_INTEGRITY]        = { "/admin/integrity",        M_GET, REVIEWERS, 0, integrity_params, on_integrity_queue, NULL },
	[PAGE_INTEGRITY_RESPONSE_GET]  = { "/admin/integrity/response", M_GET, REVIEWERS, 0, integrity_response_params,
	                                   on_integrity_response, NULL },
	[PAGE_INTEGRITY_RESPONSE_POST] = { "/admin/integrity/response", M_POST, REVIEWERS, PAGE_CSRF, integrity_decide_params,
	                                   on_integrity_decide, NULL },
};

int main(int argc, char **argv)
{
	char err[256];

	log_init("smesurvey-adminweb");
	/* The response views, exports and statistics are driven by the codebook. */
	if (forms_load(err, sizeof err) < 0 || indicators_load(err, sizeof err) < 0 ||
	    flag_rules_load(err, sizeof err) < 0) {
		log_err("codebook or indicators: %s", err);
		return 1;
	}
	site_nav_load();
	const struct app app = { "smesurvey-adminweb", pages, PAGE__MAX, site_nav, site_nav_len };
	return app_run(&app, argc, argv);
}
