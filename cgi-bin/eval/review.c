/*
 * review.c - the agency's document review (issue 19 item 2; the notice's
 * 三、查阅资料): construction units hand in their documents (documents.tsv),
 * the agency reviews each unit (checklist, findings, a rating per content
 * on scale.tsv), every save a new version; the region sees receipts only.
 *
 * Files are checked and stored by the form engine's upload functions
 * (forms/form_file.c: form_store_upload, form_send_upload), so they live
 * wherever the questionnaires' uploads live.
 */
#include "review.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "evalconf.h"
#include "form.h"
#include "html.h"
#include "http.h"
#include "msg.h"
#include "util.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FINDINGS_MAX 20000    /* characters of the findings text */
#define NCONTENTS    4        /* rating1..rating4 of unit_reviews */

/* The file types a unit's document may have, checked by their bytes. */
static char *doc_exts[] = { "pdf", "doc", "docx", "xls", "xlsx" };
static struct frule doc_rule = { .kind = RK_EXT, .ext = doc_exts, .next = NELEMS(doc_exts) };
static const struct field doc_field = { .code = "document", .label = "材料文件", .type = FT_FILE,
                                        .rules = &doc_rule, .nrules = 1 };

const char *ws_store_file(struct req *r, const struct param *p, char **value)
{
	return form_store_upload(r->conf, &doc_field, p, value);
}

/* ------------------------------------------------------------ units */

int ws_unit_load(struct req *r, unsigned long long id, struct ws_unit *u)
{
	struct dbrows *rows;

	memset(u, 0, sizeof *u);
	if (db_query(r->db, STMT_UNIT_OF, DB_ARGS(A_INT(id), A_STR(role_code(ROLE_HUB)), A_STR(role_code(ROLE_WINDOW))), &rows) < 0)
		return -1;
	if (rows->nrows == 0) {
		dbrows_free(rows);
		return 1;
	}
	u->id = id;
	snprintf(u->username, sizeof u->username, "%s", dbrows_get(rows, 0, 1));
	snprintf(u->role, sizeof u->role, "%s", dbrows_get(rows, 0, 2));
	snprintf(u->region, sizeof u->region, "%s", dbrows_get(rows, 0, 3));
	snprintf(u->org, sizeof u->org, "%s", dbrows_get(rows, 0, 4) ? dbrows_get(rows, 0, 4) : "");
	snprintf(u->region_name, sizeof u->region_name, "%s", dbrows_get(rows, 0, 5));
	dbrows_free(rows);
	return 0;
}

const char *ws_arg(const struct req *r, enum ws_key k)
{
	return r->arg[k].present ? r->arg[k].s : NULL;
}

const char *ws_unit_kind(const char *role)
{
	return role && !strcmp(role, "hub") ? "地区枢纽平台" : "窗口平台";
}

int ws_unit_of_request(struct req *r, struct ws_unit *u)
{
	unsigned long long id = r->user->role == ROLE_AGENCY ? r->arg[WK_UNIT].id : r->user->id;
	int rc = id ? ws_unit_load(r, id, u) : 1;

	if (rc < 0)
		page_error(r, 503, MSG_BUSY);
	else if (rc > 0)
		page_error(r, 404, WS_MSG_NO_UNIT);
	return rc ? -1 : 0;
}

const char *review_doc_label(const char *kind)
{
	const struct ev_item *it = ev_find(ev_documents(), kind);
	return it ? it->label : kind;
}

/* -------------------------------------------------------- documents */

int review_docs_table(struct req *r, unsigned long long unit, int links)
{
	static const char *const cols[] = { "材料", "文件", "大小", "上传时间", "上传者" };
	struct dbrows *rows;
	const char *hex, *name;

	if (db_query(r->db, STMT_UNIT_DOCS, DB_ARGS(A_INT(unit)), &rows) < 0)
		return -1;
	h_table_begin(r, "documents", "已上传的材料（最新的在前，同类材料以最新一份为准）", cols, NELEMS(cols));
	for (size_t i = 0; i < rows->nrows; i++) {
		if (form_file_value(dbrows_get(rows, i, 2), &hex, &name) < 0)
			name = "";
		h_printf(r, "<tr><td>%s</td><td>", review_doc_label(dbrows_get(rows, i, 1)));
		if (links)
			h_printf(r, "<a href=\"/agency/documents/file?id=%s\">%s</a>", dbrows_get(rows, i, 0), name);
		else
			h_text(r, name);
		h_printf(r, "</td><td>%lld KB</td><td>%s</td><td>%s</td></tr>",
		         (dbrows_int(rows, i, 3) + 1023) / 1024, dbrows_get(rows, i, 4),
		         !strcmp(dbrows_get(rows, i, 5), "agency") ? "评估机构代传" : "本单位");
	}
	if (rows->nrows == 0)
		h_printf(r, "<tr><td colspan=\"%zu\">尚未上传材料。</td></tr>", NELEMS(cols));
	h_table_end(r);
	dbrows_free(rows);
	return 0;
}

void review_upload_form(struct req *r, const char *action, const char *kind, const char *err)
{
	const struct ev_list *docs = ev_documents();
	struct buf types = { 0 };

	form_ext_text(&doc_field, &types);
	h_printf(r, "<form method=\"post\" action=\"%s\" enctype=\"multipart/form-data\" class=\"upload\">",
	         action);
	h_csrf_field(r);
	h_raw(r, "<p class=\"field\"><label for=\"kind\">材料</label> <select id=\"kind\" name=\"kind\">");
	for (size_t i = 0; i < docs->n; i++)
		h_option_of(r, docs->v[i].code, docs->v[i].label, kind);
	h_printf(r, "</select></p><p class=\"field\"><label for=\"file\">文件（%s，不超过 %ld MB）</label> "
	         "<input type=\"file\" id=\"file\" name=\"file\"", types.data, r->conf->max_upload / (1024 * 1024));
	h_raw(r, err ? " aria-invalid=\"true\" aria-describedby=\"e-file\"></p>" : "></p>");
	if (err)
		h_printf(r, "<p class=\"field-error\" id=\"e-file\">%s</p>", err);
	h_raw(r, "<p><button type=\"submit\">上传</button></p></form>");
	buf_free(&types);
}

const char *review_store_document(struct req *r, const struct ws_unit *u, const char **kind_err)
{
	const char *kind = ws_arg(r, WK_KIND);
	const char *why;
	char *value = NULL, detail[160];
	const struct param *p = r->arg[WK_FILE].present ? r->arg[WK_FILE].file : NULL;

	*kind_err = NULL;
	if (!ev_find(ev_documents(), kind)) {
		*kind_err = "请选择材料类别";
		return NULL;
	}
	if ((why = ws_store_file(r, p, &value)) != NULL)
		return why;
	if (db_exec(r->db, STMT_UNIT_DOC_INSERT, DB_ARGS(A_INT(u->id), A_STR(kind), A_STR(value),
	            A_INT(p->len), A_INT(r->user->id)), NULL, NULL) < 0) {
		free(value);
		return "文件保存失败，请稍后重试";
	}
	snprintf(detail, sizeof detail, "unit=%s kind=%s bytes=%zu sha256=%.16s", u->username, kind, p->len,
	         value + 7);
	audit(r, "unit-document-upload", detail);
	free(value);
	return NULL;
}

void review_unit_docs_get(struct req *r)
{
	struct ws_unit u;

	if (ws_unit_of_request(r, &u) < 0)
		return;
	page_begin(r, "上报材料");
	h_raw(r, "<p>请上传本单位向原项目信息报送系统提交的材料，特别是“2013年三季度建设情况和工作小结”"
	      "（通知三、查阅资料）。评估机构据此查阅资料；本地区项目责任主体只能看到材料已收到。</p>");
	if (r->arg[WK_OK].present)
		h_raw(r, "<p class=\"notice\" role=\"status\">材料已上传。</p>");
	if (review_docs_table(r, u.id, 1) < 0)
		h_raw(r, "<p class=\"error\">材料列表暂时无法显示，请稍后刷新。</p>");
	review_upload_form(r, "/agency/unit/documents", NULL, NULL);
	page_end(r);
}

void review_unit_docs_post(struct req *r)
{
	struct ws_unit u;
	const char *err, *kind_err;

	if (ws_unit_of_request(r, &u) < 0)
		return;
	err = review_store_document(r, &u, &kind_err);
	if (!err && !kind_err) {
		resp_redirect(r, "/agency/unit/documents?ok=1");
		return;
	}
	resp_status(r, 422);
	page_begin(r, "上报材料");
	h_printf(r, "<p class=\"error\" role=\"alert\">%s</p>", err ? err : kind_err);
	review_docs_table(r, u.id, 1);
	review_upload_form(r, "/agency/unit/documents", ws_arg(r, WK_KIND), err ? err : kind_err);
	page_end(r);
}

void review_doc_file(struct req *r)
{
	struct dbrows *rows;

	if (db_query(r->db, STMT_UNIT_DOC_GET, DB_ARGS(A_INT(r->arg[WK_ID].id)), &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (rows->nrows == 0 ||
	    (r->user->role != ROLE_AGENCY && (unsigned long long)dbrows_int(rows, 0, 0) != r->user->id))
		page_error(r, 404, MSG_NO_UPLOAD);
	else
		form_send_upload(r, dbrows_get(rows, 0, 1));
	dbrows_free(rows);
}

int review_receipts_section(struct req *r)
{
	static const char *const cols[] = { "单位", "类型", "材料", "收到时间", "方式" };
	struct dbrows *rows;

	if (db_query(r->db, STMT_REGION_RECEIPTS, DB_ARGS(A_STR(r->user->region_code)), &rows) < 0)
		return -1;
	h_raw(r, "<section><h2>项目承建单位材料接收情况</h2>");
	h_table_begin(r, "receipts", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < rows->nrows; i++)
		h_printf(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
		         dbrows_get(rows, i, 0), ws_unit_kind(dbrows_get(rows, i, 1)),
		         review_doc_label(dbrows_get(rows, i, 2)), dbrows_get(rows, i, 3),
		         dbrows_int(rows, i, 4) ? "本单位上传" : "评估机构代传");
	if (rows->nrows == 0)
		h_printf(r, "<tr><td colspan=\"%zu\">评估机构尚未收到本地区项目承建单位的材料。</td></tr>",
		         NELEMS(cols));
	h_table_end(r);
	h_raw(r, "</section>");
	dbrows_free(rows);
	return 0;
}
