/*
 * smesurvey-home - landing page, login, logout and change of password.
 *
 *   GET  /            landing page (login form when anonymous)
 *   GET  /login       login form;  POST /login   sign in
 *   GET  /logout      confirmation; POST /logout  sign out
 *   GET  /password    change-password form; POST /password
 *   GET  /forgot      whom to ask for a forgotten username or password
 *   GET  /account     the signed-in account's login note, to print; after a
 *                     registration (new=code|self) the page that confirms it
 */
#include "msg.h"
#include "app.h"
#include "auth.h"
#include "catalog.h"
#include "conf.h"
#include "db.h"
#include "deadlines.h"
#include "entry.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "nav.h"
#include "params.h"
#include "paradata.h"
#include "signin.h"
#include "util.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* Typed page parameters: their slots in r->arg[]. */
enum key { KEY_NEXT, KEY_USERNAME, KEY_PASSWORD, KEY_OLD_PW, KEY_NEW_PW, KEY_NEW_PW2, KEY_NEW };

/* Where to go after login: a local path from ?next=, else the role's home. */
static const char *after_login(const struct req *r)
{
	const char *next = r->arg[KEY_NEXT].present ? r->arg[KEY_NEXT].s : NULL;
	if (next && local_path_ok(next) && strlen(next) < 1024 &&
	    strncmp(next, "/login", 6) != 0 && strncmp(next, "/logout", 7) != 0)
		return next;
	return role_home(r->user ? r->user->role : ROLE_NONE);
}

static void login_form(struct req *r, const char *username, const char *error)
{
	auth_anon_csrf(r);
	h_raw(r, "<form class=\"login\" method=\"post\" action=\"/login\" novalidate>");
	h_csrf_field(r);
	const char *next = r->arg[KEY_NEXT].present ? r->arg[KEY_NEXT].s : NULL;
	if (next)
		h_printf(r, "<input type=\"hidden\" name=\"next\" value=\"%s\">", next);
	if (error)
		h_printf(r, "<p class=\"error\" role=\"alert\" id=\"login-error\">%s</p>", error);
	h_printf(r, "<p><label for=\"username\">用户名</label>"
	         "<input id=\"username\" name=\"username\" autocomplete=\"username\" required"
	         " maxlength=\"64\" value=\"%s\"%s></p>"
	         "<p><label for=\"password\">密码</label>"
	         "<input id=\"password\" name=\"password\" type=\"password\" required"
	         " autocomplete=\"current-password\" maxlength=\"128\"%s></p>"
	         "<p><button type=\"submit\">登录</button></p></form>"
	         "<p class=\"forgot\"><a href=\"/forgot\">忘记用户名或密码？</a></p>",
	         username ? username : "",
	         error ? " aria-describedby=\"login-error\"" : "",
	         error ? " aria-describedby=\"login-error\"" : "");
}

static void landing(struct req *r)
{
	page_begin(r, "首批中小企业公共服务平台网络项目评估");
	h_raw(r, "<section class=\"intro\"><p>根据《工业和信息化部办公厅关于开展首批中小企业公共服务平台网络"
	      "项目评估工作的通知》（工信厅企业函〔2013〕782号），本系统用于地区项目责任主体提交自评估报告，"
	      "项目承建单位、服务资源单位和中小企业在线填写调查问卷。</p>");
	/* The deadlines the forms enforce: the user's region's, else the national ones. */
	if (h_deadline_list(r, r->user ? r->user->region_code : NULL) < 0)
		h_raw(r, "<p class=\"error\">截止时间暂时无法显示，请稍后刷新。</p>");
	h_raw(r, "</section>");
	if (r->user) {
		h_printf(r, "<p class=\"welcome\">您已登录为 %s（%s）。<a class=\"button\" href=\"%s\">进入工作台</a></p>",
		         r->user->org_name[0] ? r->user->org_name : r->user->username,
		         role_label(r->user->role), role_home(r->user->role));
	} else {
		h_raw(r, "<section class=\"panel\"><h2>登录</h2>"
		      "<p>地区项目责任主体和项目承建单位请使用原平台网络项目信息报送系统的用户名和密码登录；"
		      "服务资源单位和中小企业请扫描邀请单上的二维码注册。</p>");
		login_form(r, NULL, NULL);
		h_raw(r, "</section><section class=\"panel\"><h2>收到邀请单？</h2>"
		      "<p>服务资源单位和中小企业：输入邀请单上的邀请码注册（也可以用手机扫描邀请单上的二维码）。</p>");
		h_code_entry(r, NULL);
		h_raw(r, "</section>");
	}
	h_raw(r, "<section class=\"panel\"><h2>空白调查表（可打印）</h2><ul>");
	for (size_t i = 0; catalog_at(i); i++)
		h_printf(r, "<li><a href=\"%s/blank\">%s %s</a></li>",
		         catalog_at(i)->path, catalog_at(i)->annex, catalog_at(i)->doc);
	h_raw(r, "</ul></section>");
	page_end(r);
}

/* Shows the login form again with a message, keeping the typed username. */
static void login_again(struct req *r, int status, const char *username, const char *message)
{
	resp_status(r, status);
	page_begin(r, "登录");
	login_form(r, username, message);
	page_end(r);
}

static void login_get(struct req *r)
{
	pd_device_ensure(r);   /* the browser's device cookie (paradata, issue 20) */
	if (r->user)
		resp_redirect(r, after_login(r));
	else
		login_again(r, 200, NULL, NULL);
}

/* PAGE_CSRF refused a login: the form again, with the typed username. */
static void login_refused(struct req *r)
{
	login_again(r, 403, r->arg[KEY_USERNAME].s, MSG_STALE_LOGIN);
}

static void login_post(struct req *r)
{
	const char *u = r->arg[KEY_USERNAME].s, *p = r->arg[KEY_PASSWORD].s;
	pd_device_ensure(r);   /* the browser's device cookie (paradata, issue 20) */
	if (u == NULL || p == NULL || *u == '\0' || *p == '\0') {
		login_again(r, 422, u, MSG_LOGIN_EMPTY);
		return;
	}
	enum login_result res = signin(r, u, p);
	if (res == LOGIN_OK) {
		/* A one-time password: the user's own one first (app.c keeps
		 * every other page away until then). */
		resp_redirect(r, r->user->must_change_pw ? "/password" : after_login(r));
		return;
	}
	const char *msg;
	int status = signin_refusal(r, res, &msg);
	/* The form again with what was typed; the link to the reset below it. */
	login_again(r, status, u, msg);
}

static void logout_get(struct req *r)
{
	page_begin(r, "退出登录");
	if (r->user) {
		h_raw(r, "<form method=\"post\" action=\"/logout\">");
		h_csrf_field(r);
		h_raw(r, "<p>确定要退出登录吗？</p><p><button type=\"submit\">退出</button></p></form>");
	} else {
		h_raw(r, "<p>您尚未登录。<a href=\"/login\">登录</a></p>");
	}
	page_end(r);
}

static void logout_post(struct req *r)
{
	auth_logout(r);
	resp_redirect(r, "/login");
}

/* PAGE_CSRF refused a logout: without a session there is nothing to end
 * (a page left open past the timeout), so it is done; with one, 403. */
static void logout_refused(struct req *r)
{
	if (r->user == NULL)
		logout_post(r);
	else
		page_error(r, 403, MSG_STALE_PAGE);
}

static void password_form(struct req *r, const char *error, const char *field)
{
	h_raw(r, "<form method=\"post\" action=\"/password\" novalidate>");
	h_csrf_field(r);
	if (error)
		h_printf(r, "<p class=\"error\" role=\"alert\" id=\"pw-error\">%s</p>", error);
	if (r->user->must_change_pw)
		h_raw(r, "<p class=\"notice\" role=\"status\">您的密码是由他人设置的一次性密码。"
		      "请先设置您自己的新密码，然后才能继续使用系统。</p>");
	static const struct { const char *name, *label, *ac; } f[] = {
		{ "old_password", "原密码（一次性密码也填在这里）", "current-password" },
		{ "new_password", "新密码（12 至 128 个字符）", "new-password" },
		{ "new_password2", "再次输入新密码", "new-password" },
	};
	for (size_t i = 0; i < 3; i++)
		h_printf(r, "<p><label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" type=\"password\""
		         " autocomplete=\"%s\" maxlength=\"128\" required%s></p>",
		         f[i].name, f[i].label, f[i].name, f[i].name, f[i].ac,
		         field && strcmp(field, f[i].name) == 0 ?
		         " aria-invalid=\"true\" aria-describedby=\"pw-error\"" : "");
	h_raw(r, "<p><button type=\"submit\">修改密码</button></p></form>");
	if (r->user->must_change_pw)
		h_raw(r, "<p><a href=\"/logout\">退出登录</a></p>");
}

static void password_get(struct req *r)
{
	page_begin(r, "修改密码");
	password_form(r, NULL, NULL);
	page_end(r);
}

static void password_post(struct req *r)
{
	const char *old_pw = r->arg[KEY_OLD_PW].s, *pw = r->arg[KEY_NEW_PW].s, *pw2 = r->arg[KEY_NEW_PW2].s;
	const char *err = NULL, *field = NULL;
	if (!old_pw || !pw || !pw2 || !*old_pw) {
		err = "请填写原密码和新密码。";
		field = "old_password";
	} else if (strcmp(pw, pw2) != 0) {
		err = "两次输入的新密码不一致。";
		field = "new_password2";
	} else {
		enum pw_result res = auth_change_password(r, old_pw, pw);
		err = pw_message(res);
		/* Which input the message belongs to. */
		field = res == PW_WRONG_OLD || res == PW_THROTTLED ? "old_password" : "new_password";
	}
	page_begin(r, "修改密码");
	if (err) {
		resp_status(r, 422);
		password_form(r, err, field);
	} else {
		h_printf(r, "<p class=\"notice\" role=\"status\">密码已修改，其他设备上的登录已失效。</p>"
		         "<p><a href=\"%s\">返回工作台</a></p>", role_home(r->user->role));
	}
	page_end(r);
}


/* GET /healthz, for load balancers and monitoring: 200 "ok" when this
 * program reaches the database, else 503. Plain text, no session. */
static void health(struct req *r)
{
	char *one = NULL;
	int up = db_query_str(r->db, STMT_HEALTH, DB_NOARGS, &one) == 0 && one != NULL;
	free(one);
	resp_status(r, up ? 200 : 503);
	resp_header(r, "Content-Type", "text/plain; charset=utf-8");
	buf_puts(&r->body, up ? "ok\n" : "database unreachable\n");
}

/* Whom to ask: respondents their region (help line from the regions
 * table), regions the ministry. Open to everybody. */
static void forgot_get(struct req *r)
{
	struct dbrows *rows = NULL;
	page_begin(r, "忘记用户名或密码");
	h_raw(r, "<section class=\"panel\"><h2>忘记用户名</h2>"
	      "<p>服务资源单位和中小企业：请再次扫描邀请单上的二维码（或在<a href=\"/register\">注册页面</a>"
	      "输入邀请码），页面会显示您的用户名。</p>"
	      "<p>地区枢纽平台和窗口平台：用户名与原平台网络项目信息报送系统相同；如仍不清楚，请联系所在地区的项目责任主体。</p>"
	      "</section>"
	      "<section class=\"panel\"><h2>忘记密码</h2>"
	      "<p>出于安全考虑，密码无法找回，只能重置。请致电您所在地区的项目责任主体（电话见下表），"
	      "说明单位名称和用户名；对方核实后会为您设置一个一次性密码。用一次性密码登录后，"
	      "系统会要求您立即设置自己的新密码。已保存的调查表草稿不会丢失。</p>"
	      "<p>地区项目责任主体忘记密码，请联系工业和信息化部中小企业司评估工作联系人重置。</p>");
	if (db_query(r->db, STMT_REGION_HELP_LINES, DB_NOARGS, &rows) < 0) {
		h_raw(r, "<p class=\"error\" role=\"alert\">暂时无法显示各地区的联系电话，请稍后刷新本页。</p>");
	} else {
		h_raw(r, "<table class=\"help-lines\"><caption>各地区项目责任主体联系电话</caption>"
		      "<thead><tr><th scope=\"col\">地区</th><th scope=\"col\">联系电话</th></tr></thead><tbody>");
		for (size_t i = 0; i < rows->nrows; i++) {
			const char *phone = dbrows_get(rows, i, 2);
			h_printf(r, "<tr><td>%s</td><td>", dbrows_get(rows, i, 1));
			if (phone && *phone)
				h_tel(r, phone);
			else
				h_raw(r, "（未登记，请联系省级中小企业主管部门）");
			h_raw(r, "</td></tr>");
		}
		h_raw(r, "</tbody></table>");
		dbrows_free(rows);
	}
	h_raw(r, "<p><a href=\"/login\">返回登录</a></p></section>");
	page_end(r);
}

/* The signed-in account's region and its help line, into the note. */
static void note_region(struct req *r)
{
	struct dbrows *rows = NULL;
	if (!r->user->region_code[0] ||
	    db_query(r->db, STMT_REGION_CONTACT, DB_ARGS(A_STR(r->user->region_code)), &rows) < 0)
		return;
	if (rows->nrows) {
		const char *phone = dbrows_get(rows, 0, 1);
		h_printf(r, "<dt>地区</dt><dd>%s</dd>", dbrows_get(rows, 0, 0));
		if (phone && *phone && r->user->role != ROLE_REGION) {
			h_raw(r, "<dt>忘记密码时联系</dt><dd>本地区项目责任主体，电话 ");
			h_tel(r, phone);
			h_raw(r, "</dd>");
		}
	}
	dbrows_free(rows);
}

/* GET /account (issue 23 item 8): what a person needs to log in again -
 * username, organisation, region, where to log in, whom to ask - as a note
 * to print or copy. Never a password: it is not stored in a readable form.
 * A registration ends here (new=code|self), so the username is shown again
 * right after the account was made. */
static const char *const account_new[] = { "code", "self", NULL };
static const struct pspec account_params[] = {
	{ KEY_NEW, "new", PT_ENUM, 0, 0, 0, account_new, 0, NULL, 0 },
	{ 0 },
};

static void account_get(struct req *r)
{
	int fresh = r->arg[KEY_NEW].present;
	page_begin(r, fresh ? "注册成功" : "登录信息");
	if (fresh)
		h_printf(r, "<p class=\"notice\" role=\"status\">注册成功，您已登录。%s请记下或打印下面的登录信息，以后登录时使用。</p>",
		         r->arg[KEY_NEW].n == 1 ? "（自行注册，不属于本地区的抽样名单。）" : "");
	h_printf(r, "<section class=\"panel login-note\"><h2>登录信息</h2><dl class=\"note\">"
	         "<dt>用户名</dt><dd><strong class=\"username\">%s</strong></dd>"
	         "<dt>单位</dt><dd>%s</dd>", r->user->username, r->user->org_name);
	note_region(r);
	h_printf(r, "<dt>登录网址</dt><dd>%s/login</dd>"
	         "<dt>密码</dt><dd>注册时自行设置或由系统生成的密码（系统不保存可读的密码，无法查看；忘记时只能重置）</dd></dl>"
	         "</section><p class=\"no-print\"><button type=\"button\" class=\"secondary\" data-print hidden>打印登录信息</button> "
	         "<a class=\"button\" href=\"%s\">%s</a></p>"
	         "<script src=\"/static/print.js\" defer></script>",
	         r->conf->base_url, role_home(r->user->role), fresh ? "开始填写调查表" : "进入工作台");
	page_end(r);
}

enum page {
	PAGE_LANDING,
	PAGE_LOGIN_GET,
	PAGE_LOGIN_POST,
	PAGE_LOGOUT_GET,
	PAGE_LOGOUT_POST,
	PAGE_PASSWORD_GET,
	PAGE_PASSWORD_POST,
	PAGE_HEALTH,
	PAGE_FORGOT,
	PAGE_ACCOUNT,
	PAGE__MAX
};

/* next=: where to go after the login (after_login() checks it is local).
 * Credentials are bounded; what they say is auth's business. */
static const struct pspec login_params[] = {
	/* a path with its query string (issue 23 item 10) */
	P_TEXT(KEY_NEXT, "next", 1023),
	P_TEXT(KEY_USERNAME, "username", 256),
	P_PASSWORD(KEY_PASSWORD, "password"),
	{ 0 },
};

static const struct pspec password_params[] = {
	P_PASSWORD(KEY_OLD_PW, "old_password"),
	P_PASSWORD(KEY_NEW_PW, "new_password"),
	P_PASSWORD(KEY_NEW_PW2, "new_password2"),
	{ 0 },
};

static const struct pagedef pages[PAGE__MAX] = {
	[PAGE_LANDING]       = { "/",         M_GET,  PUBLIC,   0, login_params, landing, NULL },
	[PAGE_LOGIN_GET]     = { "/login",    M_GET,  PUBLIC,   0, login_params, login_get, NULL },
	[PAGE_LOGIN_POST]    = { "/login",    M_POST, PUBLIC, PAGE_CSRF, login_params, login_post, NULL, login_refused },
	[PAGE_LOGOUT_GET]    = { "/logout",   M_GET,  PUBLIC,   0, NULL, logout_get, NULL },
	[PAGE_LOGOUT_POST]   = { "/logout",   M_POST, PUBLIC, PAGE_CSRF, NULL, logout_post, NULL, logout_refused },
	[PAGE_PASSWORD_GET]  = { "/password", M_GET,  ANY_USER, 0, NULL, password_get, NULL },
	[PAGE_PASSWORD_POST] = { "/password", M_POST, ANY_USER, PAGE_CSRF, password_params, password_post, NULL },
	[PAGE_HEALTH]        = { "/healthz",  M_GET,  PUBLIC,   0, NULL, health, NULL },
	[PAGE_FORGOT]        = { "/forgot",   M_GET,  PUBLIC,   0, NULL, forgot_get, NULL },
	[PAGE_ACCOUNT]       = { "/account",  M_GET,  ANY_USER, 0, account_params, account_get, NULL },
};

int main(int argc, char **argv)
{
	site_nav_load();
	const struct app app = { "smesurvey-home", pages, PAGE__MAX, site_nav, site_nav_len };
	return app_run(&app, argc, argv);
}
