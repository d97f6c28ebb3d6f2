/*
 * regions.c - the ministry's regions and their help-line phones (regions.h).
 */
#include "regions.h"
#include "auth.h"
#include "db.h"
#include "html.h"
#include "msg.h"
#include "http.h"
#include "role.h"
#include "util.h"
#include "valid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void regions_list(struct req *r, unsigned saved_key, const char *edit_path)
{
	struct dbrows *rows;
	const char *saved = r->arg[saved_key].s;
	int can_edit = r->user->role == ROLE_ADMIN;

	if (db_query(r->db, STMT_REGION_HELP_LINES, DB_NOARGS, &rows) < 0) {
		page_error(r, 503, "暂时无法读取，请稍后刷新。");
		return;
	}
	page_begin(r, "地区与咨询电话");
	if (saved && *saved)
		h_printf(r, "<p class=\"notice\" role=\"status\">已保存地区 %s 的咨询电话。</p>", saved);
	h_raw(r, "<p>地区由 <code>smesurvey-admin import-regions</code> 导入（行政区划代码、名称、咨询电话）。"
	      "咨询电话会告知忘记密码或持作废邀请单的单位，请填写有人接听的号码。</p>");
	h_raw(r, "<div class=\"table-wrap\"><table><caption>地区</caption><thead><tr><th scope=\"col\">代码</th>"
	      "<th scope=\"col\">名称</th><th scope=\"col\">咨询电话</th>");
	if (can_edit)
		h_raw(r, "<th scope=\"col\">操作</th>");
	h_raw(r, "</tr></thead><tbody>");
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *code = dbrows_get(rows, i, 0), *phone = dbrows_get(rows, i, 2);
		h_printf(r, "<tr id=\"r-%s\"><td>%s</td><td>%s</td><td>%s</td>", code, code, dbrows_get(rows, i, 1),
		         phone && *phone ? phone : "（未填写）");
		if (can_edit)
			h_printf(r, "<td><a href=\"%s?code=%s\">修改咨询电话</a></td>", edit_path, code);
		h_raw(r, "</tr>");
	}
	h_raw(r, "</tbody></table></div>");
	dbrows_free(rows);
	page_end(r);
}

/* The region's name and stored phone (malloc'd), or NULL with the page
 * answered (404, 503). */
static struct dbrows *region_load(struct req *r, const char *code)
{
	struct dbrows *rows;
	/* Codes are letters and digits: one that is not names no region (and
	 * never reaches the redirect's location). */
	if (!*code || strspn(code, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != strlen(code)) {
		page_error(r, 404, MSG_NO_REGION);
		return NULL;
	}
	if (db_query(r->db, STMT_REGION_CONTACT, DB_ARGS(A_STR(code)), &rows) < 0) {
		page_error(r, 503, "暂时无法读取，请稍后再试。");
		return NULL;
	}
	if (!rows->nrows) {
		dbrows_free(rows);
		page_error(r, 404, MSG_NO_REGION);
		return NULL;
	}
	return rows;
}

/* The form, with value typed (or stored) and an error at the field. */
static void phone_form(struct req *r, const char *code, const struct dbrows *g, const char *value,
                       const char *err, const char *path, const char *back)
{
	page_begin(r, "修改咨询电话");
	h_printf(r, "<p>地区：<strong>%s %s</strong>；现在的咨询电话：%s。</p>", code, dbrows_get(g, 0, 0),
	         dbrows_get(g, 0, 1)[0] ? dbrows_get(g, 0, 1) : "（未填写）");
	h_printf(r, "<form method=\"post\" action=\"%s\">", path);
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"code\" value=\"%s\"><input type=\"hidden\" name=\"step\" value=\"check\">"
	         "<p><label for=\"help_phone\">新的咨询电话</label><input id=\"help_phone\" name=\"help_phone\" type=\"tel\""
	         " maxlength=\"30\" required value=\"%s\"", code, value);
	/* Markup, not data: h_raw (h_printf escapes its strings). */
	h_raw(r, err ? " aria-invalid=\"true\" aria-describedby=\"help_phone-error\">" : ">");
	if (err)
		h_printf(r, "<span class=\"field-error\" id=\"help_phone-error\">%s</span>", err);
	h_printf(r, "</p><p><button type=\"submit\">下一步：核对</button> <a href=\"%s\">取消</a></p></form>", back);
	page_end(r);
}

void region_phone_form(struct req *r, unsigned code_key, const char *path, const char *back)
{
	const char *code = r->arg[code_key].s;
	struct dbrows *g = region_load(r, code);
	if (!g)
		return;
	phone_form(r, code, g, dbrows_get(g, 0, 1), NULL, path, back);
	dbrows_free(g);
}

/* The confirmation: old and new number, saved only by the second post. */
static void phone_confirm(struct req *r, const char *code, const struct dbrows *g, const char *phone,
                          const char *path, const char *back)
{
	page_begin(r, "确认修改咨询电话");
	h_printf(r, "<p>将地区 <strong>%s %s</strong> 的咨询电话由“%s”改为“<strong>%s</strong>”。"
	         "修改后，忘记密码或持作废邀请单的单位会被告知拨打新号码。</p>",
	         code, dbrows_get(g, 0, 0), dbrows_get(g, 0, 1), phone);
	h_printf(r, "<form method=\"post\" action=\"%s\">", path);
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"code\" value=\"%s\"><input type=\"hidden\" name=\"help_phone\" value=\"%s\">"
	         "<p><button type=\"submit\" name=\"step\" value=\"save\">确认修改</button> "
	         "<button type=\"submit\" name=\"step\" value=\"edit\">返回修改</button> <a href=\"%s\">取消</a></p></form>",
	         code, phone, back);
	page_end(r);
}

/* The phone and its audit row, in one transaction. */
struct phone_tx {
	struct req *r;
	const char *code, *old, *phone;
};

static int phone_body(struct db *db, void *ctx, int attempt)
{
	const struct phone_tx *x = ctx;
	(void)attempt;
	if (db_exec(db, STMT_REGION_PHONE_SET, DB_ARGS(A_STR(x->phone), A_STR(x->code)), NULL, NULL) < 0)
		return -1;
	struct buf d = { 0 };
	buf_printf(&d, "region=%s help_phone=%s was=%s", x->code, x->phone, x->old);
	audit(x->r, "region-phone", d.data);
	buf_free(&d);
	return 0;
}

/* Stores the phone with its audit row. 0 or -1. */
static int phone_save(struct req *r, const char *code, const char *old, const char *phone)
{
	struct phone_tx x = { r, code, old, phone };
	return db_transaction(r->db, phone_body, &x) == 0 ? 0 : -1;
}

void region_phone_post(struct req *r, const unsigned keys[3], const char *path, const char *back)
{
	const char *code = r->arg[keys[0]].s;
	const char *step = r->arg[keys[1]].present ? r->arg[keys[1]].s : NULL;
	const char *phone = r->arg[keys[2]].present ? r->arg[keys[2]].s : NULL;
	/* The token was checked by the page table (PAGE_CSRF). */
	struct dbrows *g = region_load(r, code);
	if (!g)
		return;
	if (!phone)
		phone = "";
	if (!step || strcmp(step, "edit") == 0) {
		phone_form(r, code, g, phone, NULL, path, back);
	} else if (!phone_valid(phone)) {
		resp_status(r, 422);
		phone_form(r, code, g, utf8_valid(phone, strlen(phone)) ? phone : "",
		           "咨询电话格式不正确（" PHONE_RULE_TEXT "）。未保存。", path, back);
	} else if (strcmp(step, "save") != 0) {
		phone_confirm(r, code, g, phone, path, back);
	} else if (phone_save(r, code, dbrows_get(g, 0, 1), phone) < 0) {
		page_error(r, 503, "保存失败，请稍后再试。咨询电话没有改变。");
	} else {
		struct buf loc = { 0 };
		buf_printf(&loc, "%s?saved=%s", back, code);
		resp_redirect(r, loc.data);
		buf_free(&loc);
	}
	dbrows_free(g);
}
