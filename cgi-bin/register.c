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
#include "entry.h"
#include "form.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "nav.h"
#include "params.h"
#include "paradata.h"
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

/* A declared parameter's value as sent, or NULL when it was not. */
static const char *arg_s(const struct req *r, unsigned key)
{
	return r->arg[key].present ? r->arg[key].s : NULL;
}

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
	int over = n && atoll(n) >= FAIL_MAX && !r->conf->relax_throttles;
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

/* ---- Problems with what was typed (issue 23 item 1) ----
 *
 * Every check runs, and every problem is listed at once: at the top (each a
 * link to its field) and at the field itself. The page that comes back
 * keeps every choice and every typed value, the passwords and the password
 * mode included, and the generated password it showed: a page that reset the
 * mode to the generated password made people register with it unawares. */
enum reg_field { RF_CONTACT, RF_PHONE, RF_EMAIL, RF_FORM, RF_REGION, RF_ORG,
                 RF_PW_MODE, RF_PASSWORD, RF_PASSWORD2, RF__MAX };

/* The id of each field's input (the target of the summary's links). */
static const char *const rf_id[RF__MAX] = {
	[RF_CONTACT] = "contact", [RF_PHONE] = "phone", [RF_EMAIL] = "email",
	[RF_FORM] = "form-0", [RF_REGION] = "region", [RF_ORG] = "org_name",
	[RF_PW_MODE] = "pw-gen", [RF_PASSWORD] = "password", [RF_PASSWORD2] = "password2",
};

struct reg_errors {
	const char *msg[RF__MAX];     /* the first problem found per field */
	int n;
};

static void reg_error(struct reg_errors *e, enum reg_field f, const char *msg)
{
	if (e->msg[f])
		return;
	e->msg[f] = msg;
	e->n++;
}

/* The list at the top of the form: every problem, each linked to its field. */
static void put_error_list(struct req *r, const struct reg_errors *e)
{
	if (!e || e->n == 0)
		return;
	h_printf(r, "<div class=\"errors\" role=\"alert\" id=\"reg-errors\"><p>请修改以下 %d 处后再提交：</p><ul>", e->n);
	for (int f = 0; f < RF__MAX; f++)
		if (e->msg[f])
			h_printf(r, "<li><a href=\"#%s\">%s</a></li>", rf_id[f], e->msg[f]);
	h_raw(r, "</ul></div>");
}

/* aria attributes of a field's input: invalid, described by its message. */
static void put_invalid(struct req *r, const struct reg_errors *e, enum reg_field f)
{
	if (e && e->msg[f])
		h_printf(r, " aria-invalid=\"true\" aria-describedby=\"err-%s\"", rf_id[f]);
}

/* The message at the field itself. */
static void put_field_error(struct req *r, const struct reg_errors *e, enum reg_field f)
{
	if (e && e->msg[f])
		h_printf(r, "<p class=\"error field-error\" id=\"err-%s\">%s</p>", rf_id[f], e->msg[f]);
}

/* One labelled input of a registration form, with its message. */
static void put_input(struct req *r, const struct reg_errors *e, enum reg_field f,
                      const char *label, const char *attrs, const char *value)
{
	h_printf(r, "<p><label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" ",
	         rf_id[f], label, rf_id[f], rf_id[f]);
	h_raw(r, attrs);
	h_printf(r, " value=\"%s\"", value ? value : "");
	put_invalid(r, e, f);
	h_raw(r, ">");
	put_field_error(r, e, f);
	h_raw(r, "</p>");
}

/* Password part shared by both registration forms: the mode the user chose
 * (the generated password by default) and what was typed. gen is the
 * generated password, the same on every page of one registration. */
static void password_fields(struct req *r, const char *gen, const struct reg_errors *e)
{
	int own = r->arg[KEY_PW_MODE].present && r->arg[KEY_PW_MODE].n == PW_MODE_OWN;
	h_raw(r, "<fieldset><legend>设置密码</legend>");
	put_field_error(r, e, RF_PW_MODE);
	h_printf(r, "<p><label><input type=\"radio\" id=\"pw-gen\" name=\"pw_mode\" value=\"gen\"%s> 使用系统生成的密码："
	         "<strong class=\"generated-password\">%s</strong>（请立即记下）</label>"
	         "<input type=\"hidden\" name=\"gen\" value=\"%s\"></p>"
	         "<p><label><input type=\"radio\" id=\"pw-own\" name=\"pw_mode\" value=\"own\"%s> 自行设置密码</label></p>",
	         own ? "" : " checked", gen, gen, own ? " checked" : "");
	put_input(r, e, RF_PASSWORD, "密码（12 至 128 个字符）",
	          "type=\"password\" maxlength=\"128\" autocomplete=\"new-password\"", arg_s(r, KEY_PASSWORD));
	put_input(r, e, RF_PASSWORD2, "再次输入密码",
	          "type=\"password\" maxlength=\"128\" autocomplete=\"new-password\"", arg_s(r, KEY_PASSWORD2));
	h_raw(r, "</fieldset>");
}

/* A posted generated password (of the generated shape), or a new one. */
static int new_password(struct req *r, char out[CODE_GROUPED + 1])
{
	const char *g = arg_s(r, KEY_GEN);
	char n[CODE_LEN + 1];
	if (g && strlen(g) == CODE_GROUPED && code_normalise(g, n) == 0) {
		memcpy(out, g, CODE_GROUPED + 1);
		return 0;
	}
	return password_generate(out);
}

static void unit_form(struct req *r, const struct unit *u, const struct reg_errors *e)
{
	char gen[CODE_GROUPED + 1];
	const struct form_info *fi = catalog_get(u->form);
	auth_anon_csrf(r);
	if (new_password(r, gen) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "注册");
	put_error_list(r, e);
	h_printf(r, "<dl class=\"unit\"><dt>单位名称</dt><dd class=\"org-name\">%s</dd>"
	         "<dt>地区</dt><dd>%s</dd><dt>调查表</dt><dd>%s（%s）</dd>"
	         "<dt>您的用户名</dt><dd><strong class=\"username\">%s</strong>（登录时使用，请记下）</dd></dl>",
	         u->name, u->region_name, fi ? fi->doc : "", fi ? fi->annex : "", u->username);
	h_raw(r, "<form method=\"post\" action=\"/register\" novalidate>");
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"action\" value=\"code\">"
	         "<input type=\"hidden\" name=\"code\" value=\"%s\">", u->code);
	h_raw(r, "<fieldset><legend>联系人</legend>");
	put_input(r, e, RF_CONTACT, "联系人姓名", "maxlength=\"64\" autocomplete=\"name\" required",
	          arg_s(r, KEY_CONTACT));
	put_input(r, e, RF_PHONE, "联系电话", "type=\"tel\" maxlength=\"30\" autocomplete=\"tel\" required",
	          arg_s(r, KEY_PHONE));
	put_input(r, e, RF_EMAIL, "电子邮箱（选填）", "type=\"email\" maxlength=\"254\" autocomplete=\"email\"",
	          arg_s(r, KEY_EMAIL));
	h_raw(r, "</fieldset>");
	password_fields(r, gen, e);
	h_raw(r, "<p><button type=\"submit\">注册并开始填写</button></p></form>");
	page_end(r);
}

/* The region's help line, a tel: link in a paragraph, when it has one. */
static void help_phone(struct req *r, const char *before, const struct unit *u)
{
	if (!u->help_phone[0])
		return;
	h_printf(r, "<p>%s", before);
	h_tel(r, u->help_phone);
	h_raw(r, "</p>");
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
		         "<p>忘记密码：请联系%s项目责任主体", u->registered_as, u->region_name);
		if (u->help_phone[0]) {
			h_raw(r, "（电话 ");
			h_tel(r, u->help_phone);
			h_raw(r, "）");
		}
		h_raw(r, "，说明单位名称和用户名，对方会为您重置一个一次性密码。<a href=\"/forgot\">更多帮助</a></p>");
		page_end(r);
		return;
	case LK_PAPER:
		resp_status(r, 409);
		page_begin(r, "注册");
		h_printf(r, "<p class=\"notice\" role=\"alert\">该单位的调查表已由%s中小企业主管部门根据纸质调查表代为录入，"
		         "无需再注册填写。如需更正，请与%s中小企业主管部门联系。</p>",
		         u->region_name[0] ? u->region_name : "本地区", u->region_name[0] ? u->region_name : "本地区");
		help_phone(r, "咨询电话：", u);
		page_end(r);
		return;
	case LK_EXPIRED:
		resp_status(r, 410);
		page_begin(r, "注册");
		h_raw(r, "<p class=\"error\" role=\"alert\">邀请码已过期：调查已截止。</p>");
		help_phone(r, "如有疑问，请致电：", u);
		page_end(r);
		return;
	case LK_REVOKED:
		resp_status(r, 410);
		page_begin(r, "注册");
		h_printf(r, "<p class=\"error\" role=\"alert\">此邀请码已失效（已作废或换发）。"
		         "请与%s中小企业主管部门联系，领取新的邀请单。</p>",
		         u->region_name[0] ? u->region_name : "本地区");
		help_phone(r, "咨询电话：", u);
		page_end(r);
		return;
	case LK_UNKNOWN:
	default:
		resp_status(r, 404);
		page_begin(r, "注册");
		h_raw(r, "<p class=\"error\" role=\"alert\" id=\"code-error\">邀请码无效。请核对邀请单上的邀请码"
		      "（不区分大小写，可不输入“-”），重新输入。</p>");
		h_code_entry(r, typed);
		page_end(r);
		return;
	}
}

static void self_form(struct req *r, const struct reg_errors *e)
{
	struct dbrows *rows;
	char gen[CODE_GROUPED + 1];
	if (db_query(r->db, STMT_REGION_LIST, DB_NOARGS, &rows) < 0 ||
	    new_password(r, gen) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	auth_anon_csrf(r);
	const char *form = arg_s(r, KEY_FORM), *region = arg_s(r, KEY_REGION);
	h_raw(r, "<section class=\"panel\"><h2 id=\"self\">没有邀请码？自行注册</h2>"
	      "<p>未收到邀请单的服务资源单位和中小企业也可以注册填写，但不计入本地区的抽样名单。</p>");
	put_error_list(r, e);
	h_raw(r, "<form method=\"post\" action=\"/register\" novalidate>");
	h_csrf_field(r);
	h_raw(r, "<input type=\"hidden\" name=\"action\" value=\"self\">"
	      "<fieldset><legend>单位类型</legend>");
	put_field_error(r, e, RF_FORM);
	h_raw(r, "<p>");
	/* The SMEs are by far the most, so theirs is the default choice. */
	const struct form_info *chosen = sampled_form(form);
	if (!chosen)
		chosen = catalog_for_role(ROLE_SME);
	for (size_t i = 0, shown = 0; catalog_at(i); i++) {
		const struct form_info *fi = catalog_at(i);
		if (!fi->sampled)
			continue;
		h_printf(r, "%s<label><input type=\"radio\" id=\"form-%zu\" name=\"form\" value=\"%s\"%s> %s</label>",
		         shown ? " " : "", shown, fi->name, fi == chosen ? " checked" : "", fi->label);
		shown++;
	}
	h_raw(r, "</p></fieldset><p><label for=\"region\">所在地区</label><select id=\"region\" name=\"region\" required");
	put_invalid(r, e, RF_REGION);
	h_raw(r, "><option value=\"\">请选择</option>");
	for (size_t i = 0; i < rows->nrows; i++)
		h_option_of(r, dbrows_get(rows, i, 0), dbrows_get(rows, i, 1), region);
	dbrows_free(rows);
	h_raw(r, "</select>");
	put_field_error(r, e, RF_REGION);
	h_raw(r, "</p>");
	put_input(r, e, RF_ORG, "单位名称", "maxlength=\"100\" required", arg_s(r, KEY_ORG));
	password_fields(r, gen, e);
	h_raw(r, "<p><button type=\"submit\">注册并开始填写</button></p></form></section>");
}

static void start_page(struct req *r)
{
	page_begin(r, "注册");
	h_raw(r, "<section class=\"panel\"><h2>使用邀请码注册</h2><p>请扫描邀请单上的二维码，或输入邀请单上的邀请码。"
	      "已注册的单位请<a href=\"/login\">直接登录</a>。</p>");
	h_code_entry(r, NULL);
	h_raw(r, "</section>");
	self_form(r, NULL);
	page_end(r);
}

/* The chosen password, or NULL with every problem of the password part
 * noted in e. */
static const char *chosen_password(struct req *r, struct reg_errors *e)
{
	int mode = r->arg[KEY_PW_MODE].present ? (int)r->arg[KEY_PW_MODE].n : -1;
	const char *pw = arg_s(r, KEY_PASSWORD), *pw2 = arg_s(r, KEY_PASSWORD2);
	int typed = (pw && *pw) || (pw2 && *pw2);
	if (mode == PW_MODE_GEN) {
		const char *g = arg_s(r, KEY_GEN);
		char n[CODE_LEN + 1];
		/* Only a password of the generated shape is accepted this way. */
		if (!g || strlen(g) != CODE_GROUPED || code_normalise(g, n) < 0)
			reg_error(e, RF_PW_MODE, "生成的密码无效，请刷新页面后重试。");
		/* A typed password with the generated one chosen is a slip of the
		 * user's, not a choice: registering with the generated password
		 * would lock them out with the one they believe is theirs. */
		else if (typed)
			reg_error(e, RF_PW_MODE, "您填写了自己的密码，但选中的是“使用系统生成的密码”。"
			          "请选择“自行设置密码”，或清空下面的两个密码框。");
		return e->msg[RF_PW_MODE] ? NULL : g;
	}
	if (mode != PW_MODE_OWN) {
		reg_error(e, RF_PW_MODE, "请选择密码的设置方式。");
		return NULL;
	}
	const char *policy = NULL;
	if (!pw || !*pw)
		reg_error(e, RF_PASSWORD, "请设置密码。");
	else if ((policy = password_policy(pw)) != NULL)
		reg_error(e, RF_PASSWORD, policy);
	if (!pw2 || !*pw2)
		reg_error(e, RF_PASSWORD2, "请再次输入密码。");
	else if (!pw || strcmp(pw, pw2) != 0)
		reg_error(e, RF_PASSWORD2, "两次输入的密码不一致。");
	return e->msg[RF_PASSWORD] || e->msg[RF_PASSWORD2] ? NULL : pw;
}

/* The contact part: every problem noted in e. */
static void check_contact(struct req *r, struct reg_errors *e)
{
	const char *contact = arg_s(r, KEY_CONTACT), *phone = arg_s(r, KEY_PHONE),
	           *email = arg_s(r, KEY_EMAIL);
	if (!contact || !*contact || !utf8_valid(contact, strlen(contact)) || utf8_len(contact) > 64)
		reg_error(e, RF_CONTACT, "请填写联系人姓名（不超过 64 个字）。");
	switch (phone_check(phone)) {
	case PHONE_OK:
		break;
	case PHONE_BAD_CHAR:
		reg_error(e, RF_PHONE, "联系电话只能包含数字、空格、+ - ( ) / , 和“转”。");
		break;
	case PHONE_BAD_LENGTH:
		reg_error(e, RF_PHONE, "请填写有效的联系电话（" PHONE_RULE_TEXT "）。");
		break;
	}
	if (email && *email && !email_valid(email))
		reg_error(e, RF_EMAIL, "请填写有效的电子邮箱地址，或留空。");
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
	                    A_INT(x->u->id)), &aff, NULL) < 0 || aff != 1 ||
	    /* The code's redemption (paradata, issue 20), in this transaction. */
	    pd_record_registration(x->r, x->uid, x->u->region_code, x->u->form, 1) < 0)
		return -1;
	return 0;
}

/* The new account signs in at once, from this browser (paradata, issue
 * 20). -1 when the error page has been sent. */
static int sign_in_new(struct req *r, unsigned long long uid)
{
	if (auth_login_user(r, uid) < 0) {
		page_error(r, 503, MSG_REGISTER_NO_LOGIN);
		return -1;
	}
	pd_record_signin(r, uid);
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
	struct reg_errors e = { 0 };
	check_contact(r, &e);
	const char *pw = chosen_password(r, &e);
	if (e.n) {
		resp_status(r, 422);
		unit_form(r, &u, &e);
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
	if (sign_in_new(r, uid) < 0)
		return;
	struct buf d = { 0 };
	buf_printf(&d, "unit=%llu username=%s", u.id, username);
	audit(r, "register", d.data);
	buf_free(&d);
	/* The username is shown again, with a note to print (issue 23 item 8). */
	resp_redirect(r, "/account?new=code");
}

static void register_self(struct req *r)
{
	const char *form = arg_s(r, KEY_FORM), *region = arg_s(r, KEY_REGION),
	           *org = arg_s(r, KEY_ORG);
	struct reg_errors e = { 0 };
	char *rname = NULL, *n = NULL;
	if (db_query_str(r->db, STMT_SELF_REGISTRATIONS_COUNT,
	                 DB_ARGS(A_STR(r->remote_addr)), &n) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	int over = n && atoll(n) >= SELF_MAX_PER_HOUR && !r->conf->relax_throttles;
	free(n);
	if (over) {
		page_error(r, 429, "本网络地址注册次数过多，请一小时后再试。");
		return;
	}
	if (!sampled_form(form))
		reg_error(&e, RF_FORM, "请选择单位类型。");
	if (!region || !*region || strlen(region) > 16 ||
	    db_query_str(r->db, STMT_REGION_NAME, DB_ARGS(A_STR(region)), &rname) < 0 || rname == NULL)
		reg_error(&e, RF_REGION, "请选择所在地区。");
	free(rname);
	if (!org || !*org || !utf8_valid(org, strlen(org)) || utf8_len(org) > 100 ||
	    strpbrk(org, "\r\n\t"))
		reg_error(&e, RF_ORG, "请填写单位名称（不超过 100 个字）。");
	const char *pw = chosen_password(r, &e);
	if (e.n) {
		resp_status(r, 422);
		page_begin(r, "注册");
		self_form(r, &e);
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
	if (pd_record_registration(r, uid, region, form, 0) < 0)
		log_err("paradata: registration of user %llu not recorded", uid);
	if (sign_in_new(r, uid) < 0)
		return;
	audit(r, "register-self", username);
	resp_redirect(r, "/account?new=self");
}

static void register_get(struct req *r)
{
	const char *code = r->arg[KEY_CODE].s;
	struct unit u;
	pd_device_ensure(r);   /* the browser's device cookie (paradata, issue 20) */
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
	pd_device_ensure(r);
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
	P_TEXT(KEY_CODE, "code", 64),
	P_TEXT(KEY_CONTACT, "contact", 512),
	P_TEXT(KEY_PHONE, "phone", 128),
	P_TEXT(KEY_EMAIL, "email", 254),
	P_FORM(KEY_FORM),
	P_REGION(KEY_REGION),
	P_TEXT(KEY_ORG, "org_name", 1024),
	{ KEY_PW_MODE, "pw_mode", PT_ENUM, 0, 0, 0, pw_modes, 0, NULL, 0 },
	P_TEXT(KEY_GEN, "gen", 64),
	P_PASSWORD(KEY_PASSWORD, "password"),
	P_PASSWORD(KEY_PASSWORD2, "password2"),
	{ 0 },
};

static const struct pspec code_params[] = {
	P_TEXT(KEY_CODE, "code", 64),
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
