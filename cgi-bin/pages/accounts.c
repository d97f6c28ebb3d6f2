/*
 * accounts.c - account pages shared by the region and the ministry:
 * resetting a password to a one-time password. See accounts.h.
 */
#include "msg.h"
#include "accounts.h"
#include "auth.h"
#include "db.h"
#include "html.h"
#include "http.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The account a reset is about. */
struct target {
	unsigned long long id;
	char username[65];
	enum role role;
	char region[17];
	char org[256];
};

/* Loads account id and checks that r->user may reset it. Answers the error
 * page itself and returns -1 when not. */
static int target_load(struct req *r, unsigned long long id, struct target *t)
{
	struct dbrows *rows;
	if (db_query(r->db, STMT_USER_FOR_RESET, DB_ARGS(A_INT(id)), &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return -1;
	}
	if (rows->nrows == 0) {
		dbrows_free(rows);
		page_error(r, 404, MSG_NO_ACCOUNT);
		return -1;
	}
	t->id = id;
	snprintf(t->username, sizeof t->username, "%s", dbrows_get(rows, 0, 1));
	t->role = role_parse(dbrows_get(rows, 0, 2));
	snprintf(t->region, sizeof t->region, "%s", dbrows_get(rows, 0, 3));
	snprintf(t->org, sizeof t->org, "%s", dbrows_get(rows, 0, 4));
	dbrows_free(rows);
	if (id == r->user->id) {
		page_error(r, 400, "自己的密码请在“修改密码”页面修改。");
		return -1;
	}
	if (!password_reset_allowed(r->user, t->role, t->region)) {
		page_error(r, 403, "您只能重置本地区填报单位账户的密码。");
		return -1;
	}
	return 0;
}

static void target_list(struct req *r, const struct target *t)
{
	h_printf(r, "<dl class=\"account\"><dt>用户名</dt><dd class=\"username\">%s</dd>"
	         "<dt>单位名称</dt><dd>%s</dd><dt>角色</dt><dd>%s</dd></dl>",
	         t->username, t->org[0] ? t->org : "—", role_label(t->role));
}

void account_reset_confirm(struct req *r, unsigned key, const char *path, const char *back)
{
	struct target t;
	if (target_load(r, r->arg[key].id, &t) < 0)
		return;
	page_begin(r, "重置密码");
	target_list(r, &t);
	h_raw(r, "<p>重置后，该账户的原密码立即失效，已登录的设备全部退出。系统会生成一个一次性密码，"
	      "只显示这一次：请通过电话等可靠方式告知对方。对方用一次性密码登录后必须立即设置自己的新密码。"
	      "已保存的调查表内容不受影响。</p>");
	h_printf(r, "<form method=\"post\" action=\"%s\">", path);
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"id\" value=\"%llu\">"
	         "<p><button type=\"submit\">确认重置密码</button> <a href=\"%s\">取消</a></p></form>",
	         t.id, back);
	page_end(r);
}

void account_reset_post(struct req *r, unsigned key, const char *back)
{
	struct target t;
	char pw[PW_GENERATED_MAX], detail[160];
	if (target_load(r, r->arg[key].id, &t) < 0)
		return;
	snprintf(detail, sizeof detail, "user=%s role=%s", t.username, role_code(t.role));
	if (password_set_onetime(r->db, r->user->id, r->remote_addr, t.id, "password-reset",
	                         detail, NULL, pw) != PW_OK) {
		page_error(r, 503, "操作失败，请稍后再试。密码没有改变。");
		return;
	}
	/* Shown this once; every page is sent with Cache-Control: no-store
	 * (app.c), so the browser does not keep it either. */
	page_begin(r, "密码已重置");
	target_list(r, &t);
	h_printf(r, "<p class=\"notice\" role=\"status\">密码已重置。一次性密码："
	         "<strong class=\"onetime-password\">%s</strong></p>"
	         "<p>此密码只显示这一次，请立即告知对方（输入时不区分大小写，短横线可省略）。"
	         "对方登录后必须设置自己的新密码。</p><p><a href=\"%s\">返回</a></p>", pw, back);
	explicit_bzero(pw, sizeof pw);
	page_end(r);
}

void region_accounts_page(struct req *r, const char *list_path, const char *reset_path, const char *q,
                          unsigned long long after)
{
	static const char *const cols[] = { "用户名", "单位名称", "角色", "状态", "最近登录", "操作" };
	struct dbrows *rows;
	if (db_query(r->db, STMT_REGION_ACCOUNTS,
	    DB_ARGS(A_STR(r->user->region_code), A_INT(after), A_STR(q), A_STR(q), A_STR(q), A_INT(ACCOUNTS_PAGE + 1)),
	    &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	size_t n = rows->nrows > ACCOUNTS_PAGE ? ACCOUNTS_PAGE : rows->nrows;
	page_begin(r, "本地区账户");
	h_raw(r, "<p>填报单位忘记密码时，可在此为其重置：系统生成一次性密码，对方登录后须立即设置新密码。"
	      "忘记用户名的单位，可在此查到其用户名。</p>");
	h_printf(r, "<form method=\"get\" action=\"%s\" class=\"filters\">", list_path);
	h_search_field(r, "q", "用户名或单位名称", q, 60, list_path);
	h_raw(r, "</form>");
	h_table_begin(r, "accounts", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < n; i++) {
		h_printf(r, "<tr data-username=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
		         "<td><a href=\"%s?id=%s\">重置密码</a></td></tr>",
		         dbrows_get(rows, i, 1), dbrows_get(rows, i, 1), dbrows_get(rows, i, 3),
		         role_label(role_parse(dbrows_get(rows, i, 2))),
		         dbrows_int(rows, i, 4) ? "已停用" :
		         dbrows_int(rows, i, 6) ? "待设置新密码" : "正常",
		         dbrows_get(rows, i, 5), reset_path, dbrows_get(rows, i, 0));
	}
	if (n == 0)
		h_printf(r, "<tr><td colspan=\"6\">%s</td></tr>",
		         *q || after ? MSG_NO_ACCOUNTS_MATCH : "本地区还没有填报单位账户。");
	h_table_end(r);
	{
		struct buf base = { 0 };
		const char *const keep[] = { "q", q, NULL };
		url_with_params(&base, list_path, keep);
		h_after_pager(r, "账户翻页", "", base.data, !after,
		              rows->nrows > ACCOUNTS_PAGE ? dbrows_get(rows, n - 1, 0) : NULL);
		buf_free(&base);
	}
	dbrows_free(rows);
	page_end(r);
}
