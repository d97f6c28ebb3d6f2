/*
 * unitreview.c - the agency's review of a construction unit (review.h):
 * the list of units, one unit's documents and review form, the save (a
 * new version, refused when somebody saved meanwhile) and the history.
 */
#include "review.h"
#include "auth.h"
#include "db.h"
#include "evalconf.h"
#include "html.h"
#include "http.h"
#include "msg.h"
#include "util.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FINDINGS_MAX 20000    /* characters of the findings text */
#define NRATINGS     4        /* rating1..rating4 of unit_reviews: contents 一..四 */

/* A review as shown or posted: the version it was read at, the fields,
 * and a message per field when a post was refused. */
struct rv {
	long long   version;
	char        checklist[512];    /* documents.tsv codes, comma-separated */
	const char *findings;
	const char *rating[NRATINGS];
	const char *err_checklist, *err_findings, *err_rating[NRATINGS];
};

static const char *rating_label(const char *code)
{
	const struct ev_item *it = ev_find(ev_scale(), code);
	return it ? it->label : "未评";
}

/* 1 when code is one of the comma-separated list. */
static int in_list(const char *list, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, code, n) && (p[n] == ',' || p[n] == 0))
			return 1;
	return 0;
}

/* ------------------------------------------------------------- list */

void review_list(struct req *r)
{
	static const char *const cols[] = { "地区", "单位", "类型", "材料", "评审", "一", "二", "三", "四", "保存时间" };
	const char *region = r->arg[WK_REGION].present ? r->arg[WK_REGION].s : NULL;
	struct dbrows *rows;

	if (db_query(r->db, STMT_REVIEW_UNITS, DB_ARGS(A_STR(role_code(ROLE_HUB)), A_STR(role_code(ROLE_WINDOW)), A_STR(region), A_STR(region)), &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "查阅资料 · 项目承建单位评审");
	h_raw(r, "<p>通知三：查阅项目承建单位提交的材料，特别是“2013年三季度建设情况和工作小结”，"
	      "按评估内容一至四给出评分。</p>");
	h_table_begin(r, "reviews", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < rows->nrows; i++) {
		h_printf(r, "<tr><td>%s</td><td><a href=\"/agency/reviews/unit?unit=%s\">%s</a></td><td>%s</td>"
		         "<td>%s</td><td>%s</td>", dbrows_get(rows, i, 2), dbrows_get(rows, i, 0),
		         dbrows_get(rows, i, 5), ws_unit_kind(dbrows_get(rows, i, 3)), dbrows_get(rows, i, 6),
		         dbrows_int(rows, i, 7) ? "已评审" : "未评审");
		for (size_t k = 0; k < NRATINGS; k++)
			h_printf(r, "<td>%s</td>", rating_label(dbrows_get(rows, i, 8 + k)));
		h_printf(r, "<td>%s</td></tr>", dbrows_get(rows, i, 12));
	}
	if (rows->nrows == 0)
		h_printf(r, "<tr><td colspan=\"%zu\">没有项目承建单位。</td></tr>", NELEMS(cols));
	h_table_end(r);
	dbrows_free(rows);
	page_end(r);
}

/* ------------------------------------------------------------- form */

static void checklist_field(struct req *r, const struct rv *v)
{
	const struct ev_list *docs = ev_documents();

	h_raw(r, v->err_checklist ? "<fieldset class=\"field\" aria-describedby=\"e-checklist\">"
	      : "<fieldset class=\"field\">");
	h_raw(r, "<legend>材料清单（勾选已具备的材料）</legend>");
	for (size_t i = 0; i < docs->n; i++)
		h_printf(r, "<label><input type=\"checkbox\" name=\"checklist\" value=\"%s\"%s> %s</label> ",
		         docs->v[i].code, in_list(v->checklist, docs->v[i].code) ? " checked" : "",
		         docs->v[i].label);
	if (v->err_checklist)
		h_printf(r, "<p class=\"field-error\" id=\"e-checklist\">%s</p>", v->err_checklist);
	h_raw(r, "</fieldset>");
}

static void rating_field(struct req *r, const struct rv *v, size_t k)
{
	const struct ev_list *sc = ev_scale();
	const struct ev_item *content = &ev_contents()->v[k];
	const char *cur = v->rating[k] ? v->rating[k] : "";

	h_printf(r, "<p class=\"field\"><label for=\"rating%zu\">评估内容%s：%s</label> "
	         "<select id=\"rating%zu\" name=\"rating%zu\"", k + 1, content->code, content->label, k + 1, k + 1);
	h_raw(r, v->err_rating[k] ? " aria-invalid=\"true\">" : ">");
	h_raw(r, "<option value=\"\">未评</option>");
	for (size_t i = 0; i < sc->n; i++)
		h_printf(r, "<option value=\"%s\"%s>%s（%s）</option>", sc->v[i].code,
		         !strcmp(cur, sc->v[i].code) ? " selected" : "", sc->v[i].label, sc->v[i].note);
	h_raw(r, "</select>");
	if (v->err_rating[k])
		h_printf(r, "<span class=\"field-error\" id=\"e-rating%zu\">%s</span>", k + 1, v->err_rating[k]);
	h_raw(r, "</p>");
}

static void review_form(struct req *r, const struct ws_unit *u, const struct rv *v)
{
	h_printf(r, "<section><h2>评审意见</h2><form method=\"post\" action=\"/agency/reviews/unit?unit=%llu\">",
	         u->id);
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"version\" value=\"%lld\">", v->version);
	checklist_field(r, v);
	h_printf(r, "<p class=\"field\"><label for=\"findings\">查阅意见（不超过 %d 字）</label>"
	         "<textarea id=\"findings\" name=\"findings\" rows=\"8\" maxlength=\"%d\"", FINDINGS_MAX,
	         FINDINGS_MAX);
	h_raw(r, v->err_findings ? " aria-invalid=\"true\">" : ">");
	h_printf(r, "%s</textarea>", v->findings ? v->findings : "");
	if (v->err_findings)
		h_printf(r, "<span class=\"field-error\" id=\"e-findings\">%s</span>", v->err_findings);
	h_raw(r, "</p>");
	for (size_t k = 0; k < NRATINGS; k++)
		rating_field(r, v, k);
	h_printf(r, "<p><button type=\"submit\">保存评审（第 %lld 版）</button> "
	         "<a href=\"/agency/reviews/history?unit=%llu\">修改记录</a></p></form></section>",
	         v->version + 1, u->id);
}

/* The page of one unit: documents, upload on its behalf, the review. */
static void unit_page(struct req *r, const struct ws_unit *u, const struct rv *v, const char *upload_err)
{
	char action[64];

	page_begin(r, "查阅资料 · 单位评审");
	h_printf(r, "<p>%s · %s · %s（%s）</p>", u->region_name, ws_unit_kind(u->role), u->org, u->username);
	if (r->arg[WK_OK].present)
		h_raw(r, "<p class=\"notice\" role=\"status\">已保存。</p>");
	if (review_docs_table(r, u->id, 1) < 0)
		h_raw(r, "<p class=\"error\">材料列表暂时无法显示，请稍后刷新。</p>");
	h_raw(r, upload_err ? "<details open>" : "<details>");
	h_raw(r, "<summary>代为上传收到的材料</summary>");
	snprintf(action, sizeof action, "/agency/reviews/upload?unit=%llu", u->id);
	review_upload_form(r, action, NULL, upload_err);
	h_raw(r, "</details>");
	review_form(r, u, v);
	page_end(r);
}

/* The current version into v (version 0 and empty fields when none);
 * *rows keeps the strings v points to. 0 or -1. */
static int current_review(struct req *r, unsigned long long unit, struct rv *v, struct dbrows **rows)
{
	memset(v, 0, sizeof *v);
	if (db_query(r->db, STMT_REVIEW_VERSIONS, DB_ARGS(A_INT(unit), A_INT(1)), rows) < 0)
		return -1;
	if ((*rows)->nrows == 0)
		return 0;
	v->version = dbrows_int(*rows, 0, 0);
	snprintf(v->checklist, sizeof v->checklist, "%s", dbrows_get(*rows, 0, 1));
	v->findings = dbrows_get(*rows, 0, 2);
	for (size_t k = 0; k < NRATINGS; k++)
		v->rating[k] = dbrows_get(*rows, 0, 3 + k);
	return 0;
}

void review_unit_get(struct req *r)
{
	struct ws_unit u;
	struct rv v;
	struct dbrows *rows = NULL;

	if (ws_unit_of_request(r, &u) < 0)
		return;
	if (current_review(r, u.id, &v, &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	unit_page(r, &u, &v, NULL);
	dbrows_free(rows);
}

/* ------------------------------------------------------------- save */

/* Reads and checks the posted review into v; the number of refused fields. */
static int posted_review(struct req *r, struct rv *v)
{
	const struct arg *cl = &r->arg[WK_CHECKLIST];
	int bad = 0;

	memset(v, 0, sizeof *v);
	v->version = r->arg[WK_VERSION].n;
	for (size_t i = 0; cl->present && i < cl->nlist; i++) {
		const char *code = cl->list[i];
		if (!ev_find(ev_documents(), code))
			v->err_checklist = "材料清单中没有这一项";
		else if (!in_list(v->checklist, code) && strlen(v->checklist) + strlen(code) + 2 < sizeof v->checklist)
			snprintf(v->checklist + strlen(v->checklist), sizeof v->checklist - strlen(v->checklist),
			         "%s%s", *v->checklist ? "," : "", code);
	}
	bad += v->err_checklist != NULL;
	v->findings = ws_arg(r, WK_FINDINGS) ? ws_arg(r, WK_FINDINGS) : "";
	if (!utf8_valid(v->findings, strlen(v->findings)) || utf8_len(v->findings) > FINDINGS_MAX) {
		v->err_findings = "查阅意见不能超过 20000 字";
		bad++;
	}
	for (size_t k = 0; k < NRATINGS; k++) {
		v->rating[k] = ws_arg(r, (enum ws_key)(WK_R1 + k)) ? ws_arg(r, (enum ws_key)(WK_R1 + k)) : "";
		if (*v->rating[k] && !ev_find(ev_scale(), v->rating[k])) {
			v->err_rating[k] = "评分须为评分标准中的一项，或选“未评”";
			v->rating[k] = "";
			bad++;
		}
	}
	return bad;
}

static void audit_review(struct req *r, const struct ws_unit *u, const struct rv *v)
{
	char detail[900];   /* the checklist alone may have 511 bytes */
	snprintf(detail, sizeof detail, "unit=%s version=%lld checklist=%s ratings=%s/%s/%s/%s", u->username,
	         v->version + 1, v->checklist, *v->rating[0] ? v->rating[0] : "-", *v->rating[1] ? v->rating[1] : "-",
	         *v->rating[2] ? v->rating[2] : "-", *v->rating[3] ? v->rating[3] : "-");
	audit(r, "unit-review-save", detail);
}

/* Back to the unit's page, saying it was saved. */
static void unit_saved(struct req *r, const struct ws_unit *u)
{
	char to[80];
	snprintf(to, sizeof to, "/agency/reviews/unit?unit=%llu&ok=1", u->id);
	resp_redirect(r, to);
}

void review_unit_post(struct req *r)
{
	struct ws_unit u;
	struct rv v;
	enum db_rc rc;

	if (ws_unit_of_request(r, &u) < 0)
		return;
	if (posted_review(r, &v) > 0) {
		resp_status(r, 422);
		unit_page(r, &u, &v, NULL);
		return;
	}
	rc = db_exec(r->db, STMT_REVIEW_INSERT, DB_ARGS(A_INT(u.id), A_INT(v.version + 1), A_STR(v.checklist),
	             A_STR(v.findings), A_STR(v.rating[0]), A_STR(v.rating[1]), A_STR(v.rating[2]),
	             A_STR(v.rating[3]), A_INT(r->user->id)), NULL, NULL);
	if (rc == DB_DUPLICATE) {
		page_error(r, 409, "这份评审刚被他人保存过新版本。您填写的内容未保存，请返回复制后刷新页面再改。");
		return;
	}
	if (rc != DB_OK) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	audit_review(r, &u, &v);
	unit_saved(r, &u);
}

void review_upload_post(struct req *r)
{
	struct ws_unit u;
	struct rv v;
	struct dbrows *rows = NULL;
	const char *err, *kind_err;

	if (ws_unit_of_request(r, &u) < 0)
		return;
	err = review_store_document(r, &u, &kind_err);
	if (!err && !kind_err) {
		unit_saved(r, &u);
		return;
	}
	if (current_review(r, u.id, &v, &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	resp_status(r, 422);
	unit_page(r, &u, &v, err ? err : kind_err);
	dbrows_free(rows);
}

/* ---------------------------------------------------------- history */

/* The checklist's labels, "、"-separated ("无" when empty). */
static void checklist_text(struct buf *b, const char *list)
{
	const struct ev_list *docs = ev_documents();
	size_t n = 0;
	for (size_t i = 0; i < docs->n; i++)
		if (in_list(list, docs->v[i].code))
			buf_printf(b, "%s%s", n++ ? "、" : "", docs->v[i].label);
	if (!n)
		buf_puts(b, "无");
}

/* One field of a version: its value, and what it was before when it
 * changed (prev NULL: the first version, nothing before). */
static void history_item(struct req *r, const char *name, const char *now, const char *before)
{
	if (before && !strcmp(now, before))
		return;
	h_printf(r, "<li>%s：<span class=\"now\">%s</span>", name, now);
	if (before)
		h_printf(r, "（修改前：<del>%s</del>）", before);
	h_raw(r, "</li>");
}

static void history_row(struct req *r, const struct dbrows *rows, size_t i)
{
	int first = i + 1 == rows->nrows;
	struct buf now = { 0 }, before = { 0 };

	h_printf(r, "<tr><td>第 %s 版</td><td>%s</td><td>%s</td><td><ul>", dbrows_get(rows, i, 0),
	         dbrows_get(rows, i, 8), dbrows_get(rows, i, 7));
	checklist_text(&now, dbrows_get(rows, i, 1));
	if (!first)
		checklist_text(&before, dbrows_get(rows, i + 1, 1));
	history_item(r, "材料清单", now.data, first ? NULL : before.data);
	history_item(r, "查阅意见", dbrows_get(rows, i, 2), first ? NULL : dbrows_get(rows, i + 1, 2));
	for (size_t k = 0; k < NRATINGS; k++) {
		char name[64];
		snprintf(name, sizeof name, "评估内容%s评分", ev_contents()->v[k].code);
		history_item(r, name, rating_label(dbrows_get(rows, i, 3 + k)),
		             first ? NULL : rating_label(dbrows_get(rows, i + 1, 3 + k)));
	}
	h_raw(r, "</ul></td></tr>");
	buf_free(&now);
	buf_free(&before);
}

void review_history(struct req *r)
{
	static const char *const cols[] = { "版本", "保存时间", "评审人", "内容（与上一版相比的修改）" };
	struct ws_unit u;
	struct dbrows *rows;

	if (ws_unit_of_request(r, &u) < 0)
		return;
	if (db_query(r->db, STMT_REVIEW_VERSIONS, DB_ARGS(A_INT(u.id), A_INT(100000)), &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "查阅资料 · 评审修改记录");
	h_printf(r, "<p>%s · %s（%s）。每次保存都留下一版，修改前的内容保留在这里。"
	         "<a href=\"/agency/reviews/unit?unit=%llu\">返回评审</a></p>", u.region_name, u.org,
	         u.username, u.id);
	h_table_begin(r, "history", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < rows->nrows; i++)
		history_row(r, rows, i);
	if (rows->nrows == 0)
		h_printf(r, "<tr><td colspan=\"%zu\">尚未评审。</td></tr>", NELEMS(cols));
	h_table_end(r);
	dbrows_free(rows);
	page_end(r);
}
