/*
 * smesurvey-register - registration of service-resource organisations and
 * SMEs (issue 4), with the one-time invitation code printed on their slip.
 *
 *   GET  /register?code=CODE   check the code; valid: registration form
 *   GET  /register             type a code, or register without one
 *   POST /register             action=code: create the account bound to the
 *                              sampled unit, log in, go to the questionnaire
 *                              action=self: account not bound to the sample
 *
 * Wrong codes are throttled per client address (code_failures): after
 * FAIL_MAX failures in FAIL_WINDOW_MIN minutes, wrong codes answer 429. A
 * valid code is never refused: 80-bit codes need no guessing limit, the
 * limit only sheds load, and many units may share one address (NAT).
 * A code already used shows the account's username (never a password) and
 * whom to ask for a new password.
 */
#include "msg.h"
#include "app.h"
#include "auth.h"
#include "catalog.h"
#include "codes.h"
#include "conf.h"
#include "db.h"
#include "deadline.h"
#include "form.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "nav.h"
#include "util.h"
#include "valid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL_WINDOW_MIN   10
#define FAIL_MAX          30
#define SELF_MAX_PER_HOUR 20

/* Typed page parameters: their slots in r->arg[] (the page table below). */
enum key {
	KEY_ACTION, KEY_CODE, KEY_CONTACT, KEY_PHONE, KEY_EMAIL, KEY_FORM, KEY_REGION, KEY_ORG,
	KEY_PW_MODE, KEY_GEN, KEY_PASSWORD, KEY_PASSWORD2
};
static const char *const register_actions[] = { "code", "self", NULL };
enum { ACTION_CODE, ACTION_SELF };
static const char *const pw_modes[] = { "gen", "own", NULL };
enum { PW_MODE_GEN, PW_MODE_OWN };

enum lookup { LK_OK, LK_UNKNOWN, LK_EXPIRED, LK_REGISTERED, LK_PAPER, LK_REVOKED, LK_THROTTLED, LK_ERROR };

struct unit {
	unsigned long long id;
	char code[CODE_LEN + 1];      /* normalised */
	char region_code[17];
	char region_name[65];
	char help_phone[65];
	char form[17];
	char name[256];
	char username[80];            /* the account name it will get */
	char registered_as[65];       /* the account it got, when registered */
};

/* A form people can register for: drawn from sample frames (the catalog). */
static const struct form_info *sampled_form(const char *name)
{
	const struct form_info *fi = catalog_get(name);
	return fi && fi->sampled ? fi : NULL;
}

static int throttled(struct req *r)
{
	char *n = NULL;
	if (db_query_str(r->db, STMT_CODE_FAILURES_COUNT,
	                 DB_ARGS(A_STR(r->client_key)), &n) < 0)
		return -1;
	int over = n && atoll(n) >= FAIL_MAX;
	free(n);
	return over;
}

static void record_failure(struct req *r)
{
	unsigned char dice = 0;
	db_exec(r->db, STMT_CODE_FAILURE_INSERT,
	        DB_ARGS(A_STR(r->client_key)), NULL, NULL);
	/* Now and then forget old failures, so the table stays small. */
	if (random_bytes(&dice, 1) == 0 && dice < 4)
		db_exec(r->db, STMT_CODE_FAILURES_PURGE,
		        DB_NOARGS, NULL, NULL);
}

/* A code that is not (or no longer) anybody's: counted against the client;
 * past the limit the answer is 429 instead of 404. */
static enum lookup wrong_code(struct req *r)
{
	int t = throttled(r);
	if (t < 0)
		return LK_ERROR;
	if (t)
		return LK_THROTTLED;   /* already counted enough: the table stays small */
	record_failure(r);
	return LK_UNKNOWN;
}

/* A code no unit has now: one revoked (reissued, replaced unit, sample
 * reset) is told so, with the region to contact; any other is a failure. */
static enum lookup revoked(struct req *r, const unsigned char h[32], struct unit *u)
{
	struct dbrows *rows;
	if (db_query(r->db, STMT_CODE_REVOKED_LOOKUP, DB_ARGS(A_BLOB(h, 32)), &rows) < 0)
		return LK_ERROR;
	if (rows->nrows == 0) {
		dbrows_free(rows);
		return wrong_code(r);
	}
	snprintf(u->region_name, sizeof u->region_name, "%s", dbrows_get(rows, 0, 0));
	snprintf(u->help_phone, sizeof u->help_phone, "%s", dbrows_get(rows, 0, 1));
	dbrows_free(rows);
	return LK_REVOKED;
}

/* Checks a typed or scanned code. lock: inside a transaction, lock the row. */
static enum lookup lookup(struct req *r, const char *raw, struct unit *u, int lock)
{
	unsigned char h[32];
	struct dbrows *rows;
	memset(u, 0, sizeof *u);
	if (code_normalise(raw, u->code) < 0)
		return wrong_code(r);
	code_hash(u->code, h);
	int rc = lock ?
		db_query(r->db, STMT_UNIT_BY_CODE_LOCK, DB_ARGS(A_BLOB(h, 32)), &rows) :
		db_query(r->db, STMT_UNIT_BY_CODE, DB_ARGS(A_BLOB(h, 32)), &rows);
	if (rc < 0)
		return LK_ERROR;
	if (rows->nrows == 0) {
		dbrows_free(rows);
		return revoked(r, h, u);
	}
	u->id = (unsigned long long)dbrows_int(rows, 0, 0);
	snprintf(u->region_code, sizeof u->region_code, "%s", dbrows_get(rows, 0, 1));
	snprintf(u->region_name, sizeof u->region_name, "%s", dbrows_get(rows, 0, 2));
	snprintf(u->help_phone, sizeof u->help_phone, "%s", dbrows_get(rows, 0, 3));
	snprintf(u->form, sizeof u->form, "%s", dbrows_get(rows, 0, 4));
	snprintf(u->name, sizeof u->name, "%s", dbrows_get(rows, 0, 5));
	snprintf(u->username, sizeof u->username, "%s-%s-%llu", u->form, u->region_code, u->id);
	snprintf(u->registered_as, sizeof u->registered_as, "%s", dbrows_get(rows, 0, 10));
	int registered = dbrows_int(rows, 0, 6) != 0, invited = dbrows_int(rows, 0, 8) != 0,
	    paper = dbrows_int(rows, 0, 9) != 0;
	dbrows_free(rows);
	if (registered)
		return paper ? LK_PAPER : LK_REGISTERED;
	if (!invited)
		return LK_REVOKED;
	/* The region's deadline now decides, not the one printed on the slip
	 * (code_expires): an extension keeps a code alive, and a deadline
	 * brought forward closes registration before any account is made. */
	char due[DEADLINE_LEN];
	if (deadline_get(r->db, r->conf, u->form, u->region_code, due) < 0)
		return LK_ERROR;
	if (deadline_passed(due))
		return LK_EXPIRED;
	return LK_OK;
}

static void code_entry_form(struct req *r, const char *typed)
{
	h_raw(r, "<form method=\"get\" action=\"/register\" class=\"code-entry\">"
	      "<p><label for=\"code\">邀请码（邀请单上的 16 位字母和数字）</label>");
	h_printf(r, "<input id=\"code\" name=\"code\" maxlength=\"64\" autocomplete=\"off\""
	         " autocapitalize=\"characters\" spellcheck=\"false\" placeholder=\"XXXX-XXXX-XXXX-XXXX\""
	         " value=\"%s\" required></p>", typed ? typed : "");
	h_raw(r, "<p><button type=\"submit\">下一步</button></p></form>");
}

/* Password part shared by both registration forms; gen is shown once. */
static void password_fields(struct req *r, const char *gen)
{
	h_printf(r, "<fieldset><legend>设置密码</legend>"
	         "<p><label><input type=\"radio\" name=\"pw_mode\" value=\"gen\" checked> 使用系统生成的密码："
	         "<strong class=\"generated-password\">%s</strong>（仅显示这一次，请立即记下）</label>"
	         "<input type=\"hidden\" name=\"gen\" value=\"%s\"></p>"
	         "<p><label><input type=\"radio\" name=\"pw_mode\" value=\"own\"> 自行设置密码</label></p>"
	         "<p><label for=\"password\">密码（12 至 128 个字符）</label><input id=\"password\" name=\"password\""
	         " type=\"password\" maxlength=\"128\" autocomplete=\"new-password\"></p>"
	         "<p><label for=\"password2\">再次输入密码</label><input id=\"password2\" name=\"password2\""
	         " type=\"password\" maxlength=\"128\" autocomplete=\"new-password\"></p></fieldset>", gen, gen);
}

static int new_password(char out[CODE_GROUPED + 1])
{
	return password_generate(out);
}

static void unit_form(struct req *r, const struct unit *u, const char *error)
{
	char gen[CODE_GROUPED + 1];
	const struct form_info *fi = catalog_get(u->form);
	auth_anon_csrf(r);
	if (new_password(gen) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	const char *contact = r->arg[KEY_CONTACT].s, *phone = r->arg[KEY_PHONE].s, *email = r->arg[KEY_EMAIL].s;
	page_begin(r, "注册");
	if (error)
		h_printf(r, "<p class=\"error\" role=\"alert\">%s</p>", error);
	h_printf(r, "<dl class=\"unit\"><dt>单位名称</dt><dd class=\"org-name\">%s</dd>"
	         "<dt>地区</dt><dd>%s</dd><dt>调查表</dt><dd>%s（%s）</dd>"
	         "<dt>您的用户名</dt><dd><strong class=\"username\">%s</strong>（登录时使用，请记下）</dd></dl>",
	         u->name, u->region_name, fi ? fi->doc : "", fi ? fi->annex : "", u->username);
	h_raw(r, "<form method=\"post\" action=\"/register\" novalidate>");
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"action\" value=\"code\">"
	         "<input type=\"hidden\" name=\"code\" value=\"%s\">", u->code);
	h_printf(r, "<fieldset><legend>联系人</legend>"
	         "<p><label for=\"contact\">联系人姓名</label><input id=\"contact\" name=\"contact\""
	         " maxlength=\"64\" autocomplete=\"name\" required value=\"%s\"></p>"
	         "<p><label for=\"phone\">联系电话</label><input id=\"phone\" name=\"phone\" type=\"tel\""
	         " maxlength=\"30\" autocomplete=\"tel\" required value=\"%s\"></p>"
	         "<p><label for=\"email\">电子邮箱（选填）</label><input id=\"email\" name=\"email\" type=\"email\""
	         " maxlength=\"254\" autocomplete=\"email\" value=\"%s\"></p></fieldset>",
	         contact ? contact : "", phone ? phone : "", email ? email : "");
	password_fields(r, gen);
	h_raw(r, "<p><button type=\"submit\">注册并开始填写</button></p></form>");
	page_end(r);
}

/* Shows why a code cannot be used. */
static void code_problem(struct req *r, enum lookup lk, const struct unit *u, const char *typed)
{
	switch (lk) {
	case LK_THROTTLED:
		resp_status(r, 429);
		resp_header(r, "Retry-After", "600");
		page_begin(r, "注册");
		h_raw(r, "<p class=\"error\" role=\"alert\">邀请码错误次数过多，请 10 分钟后再试。</p>");
		page_end(r);
		return;
	case LK_ERROR:
		page_error(r, 503, MSG_BUSY);
		return;
	case LK_REGISTERED:
		resp_status(r, 409);
		page_begin(r, "注册");
		/* The username, never the password: a slip may pass through many
		 * hands, and the username alone does not let anyone in. */
		h_printf(r, "<p class=\"notice\" role=\"alert\">此邀请码已注册，请直接登录。用户名：<strong class=\"username\">%s</strong>"
		         "</p><p><a class=\"button\" href=\"/login\">登录</a></p>"
		         "<p>忘记密码：请联系%s项目责任主体%s%s%s，说明单位名称和用户名，对方会为您重置一个一次性密码。"
		         "<a href=\"/forgot\">更多帮助</a></p>",
		         u->registered_as, u->region_name, u->help_phone[0] ? "（电话 " : "",
		         u->help_phone, u->help_phone[0] ? "）" : "");
		page_end(r);
		return;
	case LK_PAPER:
		resp_status(r, 409);
		page_begin(r, "注册");
		h_printf(r, "<p class=\"notice\" role=\"alert\">该单位的调查表已由%s中小企业主管部门根据纸质调查表代为录入，"
		         "无需再注册填写。如需更正，请与%s中小企业主管部门联系。</p>",
		         u->region_name[0] ? u->region_name : "本地区", u->region_name[0] ? u->region_name : "本地区");
		if (u->help_phone[0])
			h_printf(r, "<p>咨询电话：%s</p>", u->help_phone);
		page_end(r);
		return;
	case LK_EXPIRED:
		resp_status(r, 410);
		page_begin(r, "注册");
		h_raw(r, "<p class=\"error\" role=\"alert\">邀请码已过期：调查已截止。</p>");
		if (u->help_phone[0])
			h_printf(r, "<p>如有疑问，请致电 %s。</p>", u->help_phone);
		page_end(r);
		return;
	case LK_REVOKED:
		resp_status(r, 410);
		page_begin(r, "注册");
		h_printf(r, "<p class=\"error\" role=\"alert\">此邀请码已失效（已作废或换发）。"
		         "请与%s中小企业主管部门联系，领取新的邀请单。</p>",
		         u->region_name[0] ? u->region_name : "本地区");
		if (u->help_phone[0])
			h_printf(r, "<p>咨询电话：%s</p>", u->help_phone);
		page_end(r);
		return;
	case LK_UNKNOWN:
	default:
		resp_status(r, 404);
		page_begin(r, "注册");
		h_raw(r, "<p class=\"error\" role=\"alert\" id=\"code-error\">邀请码无效。请核对邀请单上的邀请码"
		      "（不区分大小写，可不输入“-”），重新输入。</p>");
		code_entry_form(r, typed);
		page_end(r);
		return;
	}
}

static void self_form(struct req *r, const char *error)
{
	struct dbrows *rows;
	char gen[CODE_GROUPED + 1];
	if (db_query(r->db, STMT_REGION_LIST, DB_NOARGS, &rows) < 0 ||
	    new_password(gen) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	auth_anon_csrf(r);
	const char *form = r->arg[KEY_FORM].s, *region = r->arg[KEY_REGION].s, *org = r->arg[KEY_ORG].s;
	h_raw(r, "<section class=\"panel\"><h2 id=\"self\">没有邀请码？自行注册</h2>"
	      "<p>未收到邀请单的服务资源单位和中小企业也可以注册填写，但不计入本地区的抽样名单。</p>");
	if (error)
		h_printf(r, "<p class=\"error\" role=\"alert\">%s</p>", error);
	h_raw(r, "<form method=\"post\" action=\"/register\" novalidate>");
	h_csrf_field(r);
	h_raw(r, "<input type=\"hidden\" name=\"action\" value=\"self\">"
	      "<fieldset><legend>单位类型</legend><p>");
	/* The SMEs are by far the most, so theirs is the default choice. */
	const struct form_info *chosen = sampled_form(form);
	if (!chosen)
		chosen = catalog_for_role(ROLE_SME);
	for (size_t i = 0, shown = 0; catalog_at(i); i++) {
		const struct form_info *fi = catalog_at(i);
		if (!fi->sampled)
			continue;
		h_printf(r, "%s<label><input type=\"radio\" name=\"form\" value=\"%s\"%s> %s</label>",
		         shown++ ? " " : "", fi->name, fi == chosen ? " checked" : "", fi->label);
	}
	h_raw(r, "</p></fieldset>"
	      "<p><label for=\"region\">所在地区</label><select id=\"region\" name=\"region\" required>"
	      "<option value=\"\">请选择</option>");
	for (size_t i = 0; i < rows->nrows; i++)
		h_printf(r, "<option value=\"%s\"%s>%s</option>", dbrows_get(rows, i, 0),
		         region && strcmp(region, dbrows_get(rows, i, 0)) == 0 ? " selected" : "",
		         dbrows_get(rows, i, 1));
	dbrows_free(rows);
	h_printf(r, "</select></p><p><label for=\"org_name\">单位名称</label><input id=\"org_name\""
	         " name=\"org_name\" maxlength=\"100\" required value=\"%s\"></p>", org ? org : "");
	password_fields(r, gen);
	h_raw(r, "<p><button type=\"submit\">注册并开始填写</button></p></form></section>");
}

static void start_page(struct req *r)
{
	page_begin(r, "注册");
	h_raw(r, "<section class=\"panel\"><h2>使用邀请码注册</h2><p>请扫描邀请单上的二维码，或输入邀请单上的邀请码。"
	      "已注册的单位请<a href=\"/login\">直接登录</a>。</p>");
	code_entry_form(r, NULL);
	h_raw(r, "</section>");
	self_form(r, NULL);
	page_end(r);
}

/* The password chosen in the form, or NULL with *err set. */
static const char *chosen_password(struct req *r, const char **err)
{
	if (r->arg[KEY_PW_MODE].present && r->arg[KEY_PW_MODE].n == PW_MODE_GEN) {
		const char *g = r->arg[KEY_GEN].s;
		char n[CODE_LEN + 1];
		/* Only a password of the generated shape is accepted this way. */
		if (!g || strlen(g) != CODE_GROUPED || code_normalise(g, n) < 0) {
			*err = "生成的密码无效，请刷新页面后重试。";
			return NULL;
		}
		return g;
	}
	const char *pw = r->arg[KEY_PASSWORD].s, *pw2 = r->arg[KEY_PASSWORD2].s;
	if (!pw || !*pw) {
		*err = "请设置密码。";
		return NULL;
	}
	if (!pw2 || strcmp(pw, pw2) != 0) {
		*err = "两次输入的密码不一致。";
		return NULL;
	}
	if ((*err = password_policy(pw)) != NULL)
		return NULL;
	return pw;
}

static const char *check_contact(const char *contact, const char *phone, const char *email)
{
	if (!contact || !*contact || !utf8_valid(contact, strlen(contact)) || utf8_len(contact) > 64)
		return "请填写联系人姓名（不超过 64 个字）。";
	switch (phone_check(phone)) {
	case PHONE_OK:
		break;
	case PHONE_BAD_CHAR:
		return "联系电话只能包含数字、空格、+ - ( ) / , 和“转”。";
	case PHONE_BAD_LENGTH:
		return "请填写有效的联系电话（" PHONE_RULE_TEXT "）。";
	}
	if (email && *email && !email_valid(email))
		return "请填写有效的电子邮箱地址，或留空。";
	return NULL;
}

/* The registration with a code, under the unit's row lock: the account
 * (the unit's username, or with a random suffix when an imported account
 * has it) bound to the unit with the contact typed. 1 with lk when the
 * code no longer registers. */
struct unit_tx {
	struct req *r;
	struct unit *u;
	const char *hash, *contact, *phone, *email;
	enum lookup lk;
	unsigned long long uid;
	char username[96];
	char code[CODE_LEN + 1];
};

static int unit_body(struct db *db, void *ctx, int attempt)
{
	struct unit_tx *x = ctx;
	unsigned long long aff = 0;
	enum db_rc rc = DB_DUPLICATE;
	(void)attempt;
	if ((x->lk = lookup(x->r, x->code, x->u, 1)) != LK_OK)
		return x->lk == LK_ERROR ? -1 : 1;
	snprintf(x->username, sizeof x->username, "%s", x->u->username);
	for (int k = 0; k < 4 && rc == DB_DUPLICATE; k++) {
		char c[CODE_LEN + 1];
		/* Taken by an imported account: add a random suffix. */
		if (k && code_generate(c) < 0)
			return -1;
		if (k)
			snprintf(x->username, sizeof x->username, "%s-%.3s", x->u->username, c);
		rc = db_exec(db, STMT_USER_INSERT,
		             DB_ARGS(A_STR(x->username), A_STR(x->hash), A_STR(x->u->form), A_STR(x->u->region_code),
		                     A_STR(x->u->name), A_STR(x->u->form)), NULL, &x->uid);
	}
	if (rc != DB_OK ||
	    db_exec(db, STMT_UNIT_REGISTER,
	            DB_ARGS(A_INT(x->uid), A_STR(x->contact), A_STR(x->phone), A_STR(x->email ? x->email : ""),
	                    A_INT(x->u->id)), &aff, NULL) < 0 || aff != 1)
		return -1;
	return 0;
}

static void register_unit(struct req *r)
{
	struct unit u;
	const char *typed = r->arg[KEY_CODE].s;
	const char *contact = r->arg[KEY_CONTACT].s, *phone = r->arg[KEY_PHONE].s, *email = r->arg[KEY_EMAIL].s;
	enum lookup lk = lookup(r, typed ? typed : "", &u, 0);
	if (lk != LK_OK) {
		code_problem(r, lk, &u, typed);
		return;
	}
	const char *err = check_contact(contact, phone, email), *pw = NULL;
	if (err == NULL)
		pw = chosen_password(r, &err);
	if (err) {
		resp_status(r, 422);
		unit_form(r, &u, err);
		return;
	}
	char hash[PW_HASH_MAX];
	if (password_hash(pw, hash) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	/* Re-check under the row lock: one code registers one account. */
	struct unit_tx x = { .r = r, .u = &u, .hash = hash, .contact = contact, .phone = phone, .email = email };
	memcpy(x.code, u.code, sizeof x.code);   /* lookup() clears u first */
	int rc = db_transaction(r->db, unit_body, &x);
	explicit_bzero(hash, sizeof hash);
	if (rc > 0) {
		code_problem(r, x.lk, &u, typed);
		return;
	}
	if (rc < 0) {
		page_error(r, 503, MSG_REGISTER_FAILED);
		return;
	}
	unsigned long long uid = x.uid;
	const char *username = x.username;
	if (auth_login_user(r, uid) < 0) {
		page_error(r, 503, MSG_REGISTER_NO_LOGIN);
		return;
	}
	struct buf d = { 0 };
	buf_printf(&d, "unit=%llu username=%s", u.id, username);
	audit(r, "register", d.data);
	buf_free(&d);
	if (strcmp(username, u.username) == 0) {
		resp_redirect(r, role_home(role_parse(u.form)));
		return;
	}
	page_begin(r, "注册成功");
	h_printf(r, "<p class=\"notice\" role=\"status\">注册成功。您的用户名是 <strong class=\"username\">%s</strong>，"
	         "请记下。</p><p><a class=\"button\" href=\"%s\">开始填写调查表</a></p>",
	         username, role_home(role_parse(u.form)));
	page_end(r);
}

static void register_self(struct req *r)
{
	const char *form = r->arg[KEY_FORM].s, *region = r->arg[KEY_REGION].s, *org = r->arg[KEY_ORG].s;
	const char *err = NULL, *pw = NULL;
	char *rname = NULL, *n = NULL;
	if (db_query_str(r->db, STMT_SELF_REGISTRATIONS_COUNT,
	                 DB_ARGS(A_STR(r->remote_addr)), &n) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	int over = n && atoll(n) >= SELF_MAX_PER_HOUR;
	free(n);
	if (over) {
		page_error(r, 429, "本网络地址注册次数过多，请一小时后再试。");
		return;
	}
	if (!sampled_form(form))
		err = "请选择单位类型。";
	else if (!region || !*region || strlen(region) > 16 ||
	         db_query_str(r->db, STMT_REGION_NAME,
	                      DB_ARGS(A_STR(region)), &rname) < 0 || rname == NULL)
		err = "请选择所在地区。";
	else if (!org || !*org || !utf8_valid(org, strlen(org)) || utf8_len(org) > 100 ||
	         strpbrk(org, "\r\n\t"))
		err = "请填写单位名称（不超过 100 个字）。";
	else
		pw = chosen_password(r, &err);
	free(rname);
	if (err) {
		resp_status(r, 422);
		page_begin(r, "注册");
		self_form(r, err);
		page_end(r);
		return;
	}
	char hash[PW_HASH_MAX], username[80];
	unsigned long long uid = 0;
	if (password_hash(pw, hash) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	enum db_rc rc = DB_DUPLICATE;
	for (int attempt = 0; attempt < 4 && rc == DB_DUPLICATE; attempt++) {
		char c[CODE_LEN + 1];
		if (code_generate(c) < 0)
			break;
		for (char *p = c; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		snprintf(username, sizeof username, "%s-%s-%.5s", form, region, c);
		rc = db_exec(r->db, STMT_USER_INSERT,
		             DB_ARGS(A_STR(username), A_STR(hash), A_STR(form), A_STR(region), A_STR(org),
		                     A_STR(form)), NULL, &uid);
	}
	if (rc != DB_OK)
		uid = 0;
	explicit_bzero(hash, sizeof hash);
	if (uid == 0) {
		page_error(r, 503, MSG_REGISTER_FAILED);
		return;
	}
	if (auth_login_user(r, uid) < 0) {
		page_error(r, 503, MSG_REGISTER_NO_LOGIN);
		return;
	}
	audit(r, "register-self", username);
	page_begin(r, "注册成功");
	h_printf(r, "<p class=\"notice\" role=\"status\">注册成功（自行注册，不属于本地区的抽样名单）。"
	         "您的用户名是 <strong class=\"username\">%s</strong>，请记下。</p>"
	         "<p><a class=\"button\" href=\"%s\">开始填写调查表</a></p>",
	         username, role_home(role_parse(form)));
	page_end(r);
}

static void register_get(struct req *r)
{
	const char *code = r->arg[KEY_CODE].s;
	struct unit u;
	if (code == NULL || *code == '\0') {
		start_page(r);
		return;
	}
	enum lookup lk = lookup(r, code, &u, 0);
	if (lk != LK_OK) {
		code_problem(r, lk, &u, code);
		return;
	}
	db_exec(r->db, STMT_UNIT_OPENED,
	        DB_ARGS(A_INT(u.id)), NULL, NULL);
	unit_form(r, &u, NULL);
}

static void register_post(struct req *r)
{
	if (r->arg[KEY_ACTION].n == ACTION_CODE)    /* required: register_params */
		register_unit(r);
	else
		register_self(r);
}

/* The code (as typed: lookup() normalises it), the contact typed at
 * registration, the self-registration's choices and the password. Lengths
 * are bounded here; what a value must be is checked where it is shown
 * again at its field (check_contact, chosen_password), keeping the rest. */
static const struct pspec register_params[] = {
	{ KEY_ACTION, "action", PT_ENUM, P_REQUIRED, 0, 0, register_actions, 400, MSG_BAD_ACTION, 0 },
	{ KEY_CODE, "code", PT_STR, 0, 0, 64, NULL, 0, NULL, 0 },
	{ KEY_CONTACT, "contact", PT_STR, 0, 0, 512, NULL, 0, NULL, 0 },
	{ KEY_PHONE, "phone", PT_STR, 0, 0, 128, NULL, 0, NULL, 0 },
	{ KEY_EMAIL, "email", PT_STR, 0, 0, 254, NULL, 0, NULL, 0 },
	{ KEY_FORM, "form", PT_STR, 0, 0, 16, NULL, 0, NULL, 0 },
	{ KEY_REGION, "region", PT_STR, 0, 0, 16, NULL, 0, NULL, 0 },
	{ KEY_ORG, "org_name", PT_STR, 0, 0, 1024, NULL, 0, NULL, 0 },
	{ KEY_PW_MODE, "pw_mode", PT_ENUM, 0, 0, 0, pw_modes, 0, NULL, 0 },
	{ KEY_GEN, "gen", PT_STR, 0, 0, 64, NULL, 0, NULL, 0 },
	{ KEY_PASSWORD, "password", PT_STR, 0, 0, 1024, NULL, 0, NULL, 0 },
	{ KEY_PASSWORD2, "password2", PT_STR, 0, 0, 1024, NULL, 0, NULL, 0 },
	{ 0 },
};

static const struct pspec code_params[] = {
	{ KEY_CODE, "code", PT_STR, 0, 0, 64, NULL, 0, NULL, 0 },
	{ 0 },
};

enum page { PAGE_REGISTER_GET, PAGE_REGISTER_POST, PAGE__MAX };

static const struct pagedef pages[PAGE__MAX] = {
	[PAGE_REGISTER_GET]  = { "/register", M_GET,  PUBLIC, 0, code_params, register_get, NULL },
	[PAGE_REGISTER_POST] = { "/register", M_POST, PUBLIC, PAGE_CSRF, register_params, register_post, NULL },
};

int main(int argc, char **argv)
{
	site_nav_load();
	const struct app app = { "smesurvey-register", pages, PAGE__MAX, site_nav, site_nav_len };
	return app_run(&app, argc, argv);
}
