/*
 * smesurvey-form-<name> - one questionnaire. The same source is compiled
 * once per form with -DFORM_NAME='"sme"' etc.; everything form-specific
 * comes from the codebook through the form engine (forms/form.h).
 *
 *   GET  /form/<name>          own response: editable form, or read-only
 *                              once submitted / after the deadline
 *   POST /form/<name>          action=save (draft, never blocked by checks)
 *                              action=submit (only when every check passes)
 *   GET  /form/<name>/print    own response, printable
 *   GET  /form/<name>/blank    blank printable questionnaire (anonymous OK)
 *   GET  /form/<name>/file     own uploaded file (forms with a file field:
 *                              the self-evaluation report), as an attachment
 *
 * Proxy entry (resource and sme forms only): a region account enters a
 * paper questionnaire for an account of its own region with ?for=<user id>
 * on every URL above (the form posts back to the same URL, so it is kept);
 * the response then records proxy_user_id = the region user (the last
 * saver). GET /form/<name>/proxy lists every sampled unit of the region's
 * sample for this form (selected or replacing), registered or not, and the
 * other accounts of that role to pick from. A unit that never registered
 * gets its account first (GET/POST /form/<name>/proxy/unit?unit=N, with a
 * confirmation): bound to the unit, as registering with its code would, and
 * marked sample_units.paper_by, so that its code then says the form was
 * entered on paper (issue 10). Any other role using for=, or a region
 * naming an account outside its region, gets 403.
 *
 * Deadline policy: after the deadline (config, or a per-region override)
 * both save and submit are refused and the form is shown read-only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "aggr.h"
#include "app.h"
#include "auth.h"
#include "codes.h"
#include "conf.h"
#include "db.h"
#include "deadline.h"
#include "flags.h"
#include "form.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "nav.h"
#include "params.h"
#include "paradata.h"
#include "signin.h"
#include "prefill.h"
#include "util.h"

#ifndef FORM_NAME
#error "compile with -DFORM_NAME='\"sme\"' (see the Makefile)"
#endif

#define BASE "/form/" FORM_NAME

/* The credentials of the re-login form (issue 9): never carried on. */
#define RELOGIN_USER "relogin_user"
#define RELOGIN_PASS "relogin_password"

static const struct form *F;

/* Typed page parameters: their slots in r->arg[] (the page table below). */
enum key {
	KEY_FOR, KEY_UNIT, KEY_SUBMITTED, KEY_SAVED, KEY_RELOGIN_OTHER,      /* GET */
	KEY_ACTION, KEY_VERSION, KEY_CONFIRM, KEY_LOST_FILE, KEY_FIELDS,      /* POST */
	KEY_RELOGIN_USER, KEY_RELOGIN_PASS, KEY_OWNER,
	KEY_Q                                                                 /* the paper-entry search */
};
/* action= of a save or submit, by index. */
static const char *const form_actions[] = { "save", "submit", NULL };
enum { ACTION_SAVE, ACTION_SUBMIT };

/* Whose response a request works on: the user's own, or (proxy entry) an
 * account of the region user's own region. */
struct target {
	unsigned long long id;
	char region[17];
	char org_name[256];
	int  proxy;          /* 1 when a region user enters for the account */
};

static int proxiable(void)
{
	return F->info->proxy;
}

/* path + "?for=N" (proxy) + extra query ("saved=1"), into b. */
static void target_url(struct buf *b, const struct target *t, const char *suffix, const char *extra)
{
	buf_printf(b, "%s%s", BASE, suffix);
	if (t->proxy)
		buf_printf(b, "?for=%llu", t->id);
	if (extra)
		buf_printf(b, "%s%s", t->proxy ? "&" : "?", extra);
}

static void redirect_to(struct req *r, const struct target *t, const char *extra)
{
	struct buf b;
	buf_init(&b);
	target_url(&b, t, "", extra);
	resp_redirect(r, b.data);
	buf_free(&b);
}

static void page_title(struct buf *b)
{
	buf_printf(b, "%s", F->title);
}

static void begin(struct req *r)
{
	struct buf t;
	buf_init(&t);
	page_title(&t);
	page_begin(r, t.data);
	buf_free(&t);
}

static void status_line(struct req *r, const struct target *t, const struct response *resp,
                        const char *deadline)
{
	struct buf u;
	if (t->proxy)
		h_printf(r, "<p class=\"notice proxy-banner\" role=\"note\">代为录入：%s"
		         "　<a href=\"%s/proxy\">返回名单</a></p>", t->org_name, BASE);
	h_raw(r, "<p class=\"form-status\">");
	if (resp->status == RS_SUBMITTED)
		h_printf(r, "状态：已提交（%s）", resp->submitted_at);
	else if (resp->id)
		h_printf(r, "状态：草稿（最后保存于 %s）", resp->updated_at);
	else
		h_raw(r, "状态：尚未填写");
	if (*deadline)
		h_printf(r, "　截止时间：%s", deadline);
	buf_init(&u);
	target_url(&u, t, "/print", NULL);
	h_printf(r, "　<a href=\"%s\">打印本表</a>", u.data);
	buf_reset(&u);
	target_url(&u, t, "/file", NULL);
	for (size_t i = 0; i < F->nfields; i++)
		if (F->fields[i].type == FT_FILE && resp->a.v[i])
			h_printf(r, "　<a href=\"%s\">下载已上传的文件</a>", u.data);
	buf_free(&u);
	h_raw(r, "</p>");
}

static void blank_page(struct req *r)
{
	struct fview v = { .f = F, .mode = FV_BLANK };
	begin(r);
	h_raw(r, "<p class=\"no-print\">这是空白调查表，可打印后填写。</p>");
	form_render(r, &v);
	page_end(r);
}

static int load(struct req *r, const struct target *t, struct response *resp, char deadline[DEADLINE_LEN])
{
	if (response_load(r->db, F, t->id, resp) < 0 ||
	    deadline_get(r->db, r->conf, F->name, t->region, deadline) < 0) {
		response_free(resp);
		page_error(r, 503, MSG_BUSY);
		return -1;
	}
	return 0;
}

static void print_page(struct req *r, const struct target *t)
{
	struct response resp;
	char deadline[DEADLINE_LEN];
	struct fview v = { .f = F, .mode = FV_READONLY };

	if (load(r, t, &resp, deadline) < 0)
		return;
	v.vals = &resp.a;
	begin(r);
	status_line(r, t, &resp, deadline);
	h_raw(r, "<p class=\"no-print\">请使用浏览器的“打印”功能（Ctrl+P）打印或另存为 PDF。</p>");
	form_render(r, &v);
	page_end(r);
	response_free(&resp);
}

/* The editable form (or read-only view), with optional notice and check
 * results. vals are what the user typed when re-showing a failed post. */
static void show(struct req *r, const struct target *t, const struct response *resp,
                 const char *deadline, const struct answers *vals, const struct fcheck *chk,
                 const char *notice, int notice_is_error)
{
	struct buf action;
	struct fview v = { .f = F, .vals = vals ? vals : &resp->a, .chk = chk,
	                   .version = (long)resp->version };
	int closed = deadline_passed(deadline);

	buf_init(&action);
	target_url(&action, t, "", NULL);
	v.action = action.data;
	v.owner = r->user->id;
	v.saved_note = notice && !notice_is_error && !strncmp(notice, "草稿已保存", strlen("草稿已保存")) ? notice : NULL;
	v.mode = resp->status == RS_SUBMITTED || closed ? FV_READONLY : FV_EDIT;
	begin(r);
	status_line(r, t, resp, deadline);
	if (notice)
		h_printf(r, "<p class=\"%s\" role=\"%s\">%s</p>", notice_is_error ? "error" : "notice",
		         notice_is_error ? "alert" : "status", notice);
	/* A region entering a paper form is itself 本地区主管部门: it is
	 * sent to the evaluation agency's help desk. */
	if (resp->status == RS_SUBMITTED && t->proxy) {
		h_raw(r, "<p class=\"notice\">本表已提交，不能再修改。如需更正，请联系评估机构");
		if (*r->conf->help_line) {
			h_raw(r, "（");
			h_tel(r, r->conf->help_line);
			h_raw(r, "）");
		}
		h_raw(r, "。</p>");
	} else if (resp->status == RS_SUBMITTED)
		/* What happens next (issue 9). Only the ministry reopens a
		 * submitted form (/admin/responses/reopen). */
		h_printf(r, "<div class=\"notice next-steps\"><p>本表已提交，不能再修改。</p>"
		         "<p>接下来：评估机构将汇总审核各地区的调查结果，本地区中小企业主管部门可以查看本表的提交情况，"
		         "您不需要再做其他操作。</p>"
		         "<p>如需更正，请联系本地区中小企业主管部门；提交后的调查表只能由工业和信息化部（评估机构）"
		         "应主管部门的要求重新开放%s%s%s。</p></div>",
		         *deadline ? "，且须在填报截止时间 " : "", deadline, *deadline ? " 之前" : "");
	else if (closed)
		h_printf(r, "<p class=\"error\">填报已于 %s 截止，不能再保存或提交。</p>", deadline);
	form_render(r, &v);
	page_end(r);
	buf_free(&action);
}

/* The outcomes of a save and what the user reads about each: one table.
 * %zu in a message is the number of problems to fix. */
enum save_outcome {
	SO_SAVED,            /* draft saved, nothing to fix (shown after the redirect) */
	SO_SUBMITTED,        /* submitted (shown after the redirect) */
	SO_SAVED_ERRORS,     /* draft saved, problems left before a submit */
	SO_SAVED_WARNINGS,   /* draft saved, only soft checks to look at */
	SO_NOT_SUBMITTED,    /* submit with problems: kept as a draft */
	SO_CONFIRM,          /* submit without confirm=1: saved as a draft, the confirmation step */
	SO_LOCKED,           /* already submitted: nothing saved */
	SO_CLOSED,           /* past the deadline: nothing saved */
	SO_CONFLICT,         /* saved elsewhere since this page was opened */
	SO_BUSY,             /* database error before anything was written */
	SO_FAILED,           /* database error while saving */
	SO_COUNT
};
static const struct {
	int         is_error;
	const char *msg;
} outcomes[SO_COUNT] = {
	[SO_SAVED]          = { 0, "草稿已保存。" },
	[SO_SUBMITTED]      = { 0, "提交成功，感谢您的支持！" },
	[SO_SAVED_ERRORS]   = { 0, "草稿已保存。有 %zu 处填写格式不正确，请修改（尚未填写的项目可以以后再填）。" },
	[SO_SAVED_WARNINGS] = { 0, "草稿已保存。有几处数据请核对（不影响提交）。" },
	[SO_CONFIRM]        = { 0, "请确认提交。" },
	[SO_NOT_SUBMITTED]  = { 1, "未能提交：有 %zu 处需要修改。已填写的内容已保存为草稿。" },
	[SO_LOCKED]         = { 1, "本表已提交，本次修改未保存。" },
	[SO_CLOSED]         = { 1, "填报已截止，本次修改未保存。" },
	[SO_CONFLICT]       = { 1, "本表在您打开后已在其他窗口或由他人保存过，本次内容未保存。请核对下方内容，"
	                           "再次保存将覆盖另一次保存的内容。" },
	[SO_BUSY]           = { 1, MSG_BUSY },
	[SO_FAILED]         = { 1, "保存失败，请稍后再试。您填写的内容尚未保存，请不要关闭本页面，稍后点“后退”再提交。" },
};

/* "草稿已保存。..." becomes "草稿已保存（HH:MM）。...": the time of the
 * save the user just made, from the row (the database's clock). */
static void with_saved_time(char *msg, size_t size, const struct response *resp)
{
	static const char prefix[] = "草稿已保存";
	char rest[400];
	if (strncmp(msg, prefix, sizeof prefix - 1) || strlen(resp->updated_at) < 16)
		return;
	/* Built in a buffer: the time goes after the prefix, the rest follows. */
	struct buf b = { 0 };
	snprintf(rest, sizeof rest, "%s", msg + sizeof prefix - 1);
	buf_printf(&b, "%s（%.5s）%s", prefix, resp->updated_at + 11, rest);
	snprintf(msg, size, "%.*s", (int)(size - 1), b.data);
	buf_free(&b);
}

/* The form again with the outcome's message (nerr fills its %zu). */
static void show_outcome(struct req *r, const struct target *t, const struct response *resp,
                         const char *deadline, const struct answers *vals,
                         const struct fcheck *chk, enum save_outcome o, size_t nerr)
{
	char msg[400];
	if (strstr(outcomes[o].msg, "%zu"))
		snprintf(msg, sizeof msg, outcomes[o].msg, nerr);
	else
		snprintf(msg, sizeof msg, "%s", outcomes[o].msg);
	with_saved_time(msg, sizeof msg, resp);
	show(r, t, resp, deadline, vals, chk, msg, outcomes[o].is_error);
}

static void get_form(struct req *r, const struct target *t)
{
	struct response resp;
	char deadline[DEADLINE_LEN];
	const char *notice = NULL;
	char saved[100];

	if (load(r, t, &resp, deadline) < 0)
		return;
	/* The first opening of the form (paradata, issue 20): written once. */
	if (!resp.opened &&
	    db_exec(r->db, STMT_PARADATA_OPEN, DB_ARGS(A_STR(F->name), A_INT(t->id),
	            *t->region ? A_STR(t->region) : A_NULL), NULL, NULL) < 0)
		log_err("paradata: the opening of %s by user %llu was not recorded", F->name, t->id);
	/* Known facts fill the fields of a form opened for the first time
	 * (issue 9); they are stored by the first save like anything typed.
	 * Once a draft is written (version > 0) an empty field is the
	 * respondent's answer, never filled again (issue 17, defect 2). */
	if (resp.version == 0 && !deadline_passed(deadline) &&
	    form_prefill(r->db, F, t->id, &resp.a) < 0)
		log_err("prefill for user %llu failed; the form is shown without it", t->id);
	if (r->arg[KEY_SUBMITTED].present && resp.status == RS_SUBMITTED)
		notice = outcomes[SO_SUBMITTED].msg;
	else if (r->arg[KEY_SAVED].present) {
		snprintf(saved, sizeof saved, "%s", outcomes[SO_SAVED].msg);
		with_saved_time(saved, sizeof saved, &resp);
		notice = saved;
	}
	else if (r->arg[KEY_RELOGIN_OTHER].present)
		notice = "您重新登录的账户不是原来填写本表的账户，原来页面上填写的内容没有保存到本账户。";
	show(r, t, &resp, deadline, NULL, NULL, notice, 0);
	response_free(&resp);
}

/* After the deadline nothing is written; the stored form is shown with
 * why (an unlocked read: it only decides the message). */
static void post_closed(struct req *r, const struct target *t, const char *deadline)
{
	struct response resp;
	if (response_load(r->db, F, t->id, &resp) < 0) {
		response_free(&resp);
		page_error(r, 503, outcomes[SO_BUSY].msg);
		return;
	}
	show_outcome(r, t, &resp, deadline, NULL, NULL,
	             resp.status == RS_SUBMITTED ? SO_LOCKED : SO_CLOSED, 0);
	response_free(&resp);
}

/* Was the file of field code chosen before a re-login, which cannot carry
 * files (the re-login form posts lost_file=<code> for it)? */
static int lost_file(const struct req *r, const char *code)
{
	const struct arg *a = &r->arg[KEY_LOST_FILE];
	for (size_t i = 0; i < a->nlist; i++)
		if (!strcmp(a->list[i], code))
			return 1;
	return 0;
}

/* Collects the posted answers into raw: files already uploaded (in the
 * locked row) stay unless a new file replaces them. Upload problems go to
 * upload_err[field]. */
static void collect(struct req *r, const struct response *resp, struct answers *raw,
                    const char **upload_err)
{
	answers_init(raw, F);
	for (size_t i = 0; i < F->nfields; i++)
		if (F->fields[i].type == FT_FILE)
			answers_set(raw, i, resp->a.v[i]);
	form_collect(F, r->params, r->nparams, raw);
	for (size_t i = 0; i < F->nfields; i++) {
		const struct param *p;
		char *val = NULL;
		if (F->fields[i].type != FT_FILE)
			continue;
		if (lost_file(r, F->fields[i].code)) {
			upload_err[i] = "登录超时后，之前选择的文件无法保留，请在此重新选择文件。";
			continue;
		}
		p = form_file_part(F, r->params, r->nparams, i);
		if (!p || !p->filename || !*p->filename)
			continue;
		upload_err[i] = form_store_upload(r->conf, &F->fields[i], p, &val);
		if (val) {
			answers_set(raw, i, val);
			free(val);
		}
	}
}

/* The transaction of a save or submit (db_transaction's body). */
struct save_tx {
	struct req *r;
	const struct target *t;
	int submit;                   /* action=submit */
	int confirmed;                /* confirm=1: the confirmation step was passed */
	long expect;                  /* the version the page was loaded with, or -1 */
	struct response resp;
	struct answers raw, clean;
	struct fcheck chk;
	size_t nerr;
	int collected;                /* raw, clean, chk hold the posted answers */
	enum save_outcome o;
	struct pdreq pd;              /* the request's paradata (issue 20) */
};

/* The start of every writing transaction on a response (save, submit,
 * autosave): its row read once, under the lock; a retried attempt starts
 * afresh. -1 on a database error, 1 when it is already submitted (nothing
 * may be written), 0 to go on. */
static int lock_for_write(struct db *db, const struct target *t, struct response *resp, int attempt)
{
	if (attempt > 1)
		response_free(resp);
	memset(resp, 0, sizeof *resp);
	if (response_lock(db, F, t->id, t->region, resp) < 0)
		return -1;
	return resp->status == RS_SUBMITTED;
}

/* What was posted, collected against x->resp (its stored files) and
 * checked into x->raw, x->clean, x->chk and x->nerr. */
static void collect_checked(struct save_tx *x)
{
	const char **upload_err = xcalloc(F->nfields, sizeof *upload_err);
	collect(x->r, &x->resp, &x->raw, upload_err);
	x->nerr = form_validate(F, &x->raw, &x->clean, &x->chk);
	for (size_t i = 0; i < F->nfields; i++)
		if (upload_err[i]) {
			fcheck_replace(&x->chk, (int)i, upload_err[i]);
			x->nerr = x->chk.nerrors;
		}
	free(upload_err);
	/* A draft reports only what is malformed, never what is still
	 * unanswered (issue 9); nerr keeps counting everything, for the
	 * response's valid flag. */
	if (!x->submit)
		fcheck_keep_format(&x->chk);
	x->collected = 1;
}

/* The outcome of a draft written. */
static enum save_outcome draft_saved(const struct save_tx *x)
{
	return x->chk.nerrors ? SO_SAVED_ERRORS : x->chk.nwarnings ? SO_SAVED_WARNINGS : SO_SAVED;
}

/* x as it was before save_fast (nothing collected, no row). */
static void save_undo(struct save_tx *x)
{
	if (x->collected) {
		fcheck_free(&x->chk);
		answers_free(&x->clean);
		answers_free(&x->raw);
		x->collected = 0;
	}
	response_free(&x->resp);
	memset(&x->resp, 0, sizeof x->resp);
}

/* The save of a draft in one round trip after the session check (issue 21
 * item 2): the row as read without a lock and without its answers (carried
 * by the session check, STMT_PAGE_FORM_POST), what was posted collected and checked (without files,
 * nothing of it depends on the stored answers), then one CALL that locks
 * the row, compares its version with the page's, writes and commits
 * (response_save_draft). 0 when saved (x->o set); 1 when it does not
 * apply - a submit, a form with files (stored under the row's lock), a
 * first save, a submitted response or a version other than the page's,
 * as read or under the lock - or the server failed: x is then as before,
 * and the caller saves the long way (save_body), which decides each such
 * case. */
static int save_fast(struct save_tx *x)
{
	struct req *r = x->r;
	if (x->submit || F->has_file)
		return 1;
	if (response_load_row(r->db, F, x->t->id, &x->resp) < 0 || x->resp.id == 0 ||
	    x->resp.status == RS_SUBMITTED || (x->expect >= 0 && (long)x->resp.version != x->expect)) {
		save_undo(x);
		return 1;
	}
	collect_checked(x);
	if (response_save_draft(r->db, F, &x->resp, x->expect, x->t->region, x->t->proxy ? r->user->id : 0,
	                        &x->pd, &x->clean, x->nerr == 0) != 0) {
		save_undo(x);
		return 1;
	}
	x->o = draft_saved(x);
	return 0;
}

static int save_body(struct db *db, void *ctx, int attempt)
{
	struct save_tx *x = ctx;
	int rc = lock_for_write(db, x->t, &x->resp, attempt);
	if (rc) {
		if (rc > 0)
			x->o = SO_LOCKED;
		return rc;
	}
	if (!x->collected)
		collect_checked(x);
	/* A submit with errors is kept as a draft, so nothing typed is lost. */
	if (x->expect >= 0 && (long)x->resp.version != x->expect) {
		x->o = SO_CONFLICT;
		return 1;
	}
	/* A submit is final only after the confirmation step; before it the
	 * answers are kept as a draft (files included, which the confirmation
	 * page cannot carry). */
	int final = x->submit && x->confirmed && x->nerr == 0;
	if (response_write(db, F, &x->resp, x->t->region, x->t->proxy ? x->r->user->id : 0, &x->pd,
	                   &x->clean, final, x->nerr == 0) < 0)
		return -1;
	/* A submit computes its integrity flags (issue 20) and counts the
	 * response in the aggregates, in this transaction. The aggregates come
	 * last: their rows are the region's hot counters, and every submit of
	 * the region waits for the lock on them until this one commits. */
	if (final && (flags_on_submit(db, F, x->resp.id, x->t->region, &x->clean) < 0 ||
	              aggr_sync_answers(db, x->resp.id, &x->clean) < 0))
		return -1;
	if (x->submit)
		x->o = x->nerr ? SO_NOT_SUBMITTED : x->confirmed ? SO_SUBMITTED : SO_CONFIRM;
	else
		x->o = draft_saved(x);
	return 0;
}

/* Hidden copies of the posted answers (body fields only: the query stays
 * in the action URL), for a page that posts them on: the re-login form and
 * the submit confirmation. Never the page's own fields (skip[], CSRF token,
 * credentials). A chosen file cannot be carried: lost_files 1 marks it
 * (lost_file=<code>) and says so; 0 leaves it out (already stored). */
static void carry_hidden(struct req *r, const char *const *skip, int lost_files)
{
	struct param *qs = NULL;
	size_t nq = 0;
	parse_urlencoded(r->query, strlen(r->query), &qs, &nq, 4000);
	params_free(qs, nq);
	for (size_t i = nq; i < r->nparams; i++) {
		const struct param *p = &r->params[i];
		int own = 0;
		for (size_t k = 0; skip[k]; k++)
			if (!strcmp(p->name, skip[k]))
				own = 1;
		if (own)
			continue;
		if (p->filename) {
			int fi = form_field_index(F, p->name);
			if (!lost_files || !*p->filename || fi < 0)
				continue;
			h_printf(r, "<input type=\"hidden\" name=\"lost_file\" value=\"%s\">", p->name);
			h_printf(r, "<p class=\"error\" id=\"lost-%s\">“%s”中选择的文件（%s）无法随重新登录保留，"
			         "登录后请在该栏重新选择文件。</p>", p->name, F->fields[fi].label, p->filename);
			continue;
		}
		h_printf(r, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", p->name, p->value);
	}
}

/* The confirmation step of a submit (works without script): the answers
 * are saved as a draft already; this page lists the optional questions
 * left unanswered and posts the same answers again with confirm=1. */
#define CONFIRM_LIST_MAX 60
static void confirm_page(struct req *r, const struct target *t, const struct response *resp,
                         const struct answers *clean, const struct fcheck *chk)
{
	static const char *const skip[] = { "csrf", "version", "action", "confirm", "owner", "lost_file",
	                                    RELOGIN_USER, RELOGIN_PASS, NULL };
	struct buf url;
	size_t nopen = 0;

	for (size_t i = 0; i < F->nfields; i++)
		if (chk->applicable[i] && !F->fields[i].required && (!clean->v[i] || !*clean->v[i]))
			nopen++;
	begin(r);
	h_raw(r, "<section class=\"confirm-submit\" aria-labelledby=\"confirm-h\">"
	      "<h2 id=\"confirm-h\">确认提交</h2>"
	      "<p class=\"notice\" role=\"status\">您填写的内容已保存为草稿，尚未提交。</p>"
	      "<p><strong>提交后本表不能再修改</strong>（如需更正，请联系本地区中小企业主管部门，由工业和信息化部（评估机构）重新开放）。"
	      "请确认已全部填写完毕。</p>");
	if (nopen) {
		size_t shown = 0;
		h_printf(r, "<p>以下 %zu 个选填问题尚未填写（可以不填）：</p><ul class=\"open-questions\">", nopen);
		for (size_t i = 0; i < F->nfields && shown < CONFIRM_LIST_MAX; i++) {
			if (!chk->applicable[i] || F->fields[i].required || (clean->v[i] && *clean->v[i]))
				continue;
			char *label = form_display_label(F->fields[i].label);
			h_printf(r, "<li>%s</li>", label);
			free(label);
			shown++;
		}
		h_raw(r, "</ul>");
		if (nopen > shown)
			h_printf(r, "<p>……等共 %zu 项。</p>", nopen);
	} else {
		h_raw(r, "<p>所有问题均已填写。</p>");
	}
	buf_init(&url);
	target_url(&url, t, "", NULL);
	h_printf(r, "<form method=\"post\" action=\"%s\"%s>", url.data,
	         F->has_file ? " enctype=\"multipart/form-data\"" : "");
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"version\" value=\"%u\">"
	         "<input type=\"hidden\" name=\"owner\" value=\"%llu\">"
	         "<input type=\"hidden\" name=\"confirm\" value=\"1\">", resp->version, r->user->id);
	carry_hidden(r, skip, 0);
	h_printf(r, "<div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"submit\">确认提交</button> "
	         "<a href=\"%s\">返回修改</a></div></form></section>", url.data);
	buf_free(&url);
	page_end(r);
}

/* A save or submit whose CSRF token has been checked: post_form(), or the
 * re-login that carried the answers (relogin_post()). */
static void post_form_checked(struct req *r, const struct target *t)
{
	struct response resp;
	char deadline[DEADLINE_LEN];
	const struct arg *ver = &r->arg[KEY_VERSION];
	int submit;
	long expect = ver->present ? (long)ver->n : -1;
	struct answers raw, clean;
	struct fcheck chk;
	size_t nerr;
	enum save_outcome o;

	if (!r->arg[KEY_ACTION].present) {
		page_error(r, 400, MSG_BAD_ACTION);
		return;
	}
	submit = r->arg[KEY_ACTION].n == ACTION_SUBMIT;
	if (deadline_get(r->db, r->conf, F->name, t->region, deadline) < 0) {
		page_error(r, 503, outcomes[SO_BUSY].msg);
		return;
	}
	if (deadline_passed(deadline)) {
		post_closed(r, t, deadline);
		return;
	}

	/* One transaction; the row is read once, locked (submit-once). The
	 * uploads are stored while it is held: only this account's row
	 * waits, and a submitted form stores none. A deadlock or lock-wait
	 * timeout runs it again (db_transaction); what was posted is
	 * collected, stored and validated once. */
	struct save_tx x = { .r = r, .t = t, .submit = submit, .expect = expect,
	                     .confirmed = r->arg[KEY_CONFIRM].present };
	pd_of_request(r, &x.pd);
	int rc = save_fast(&x) == 0 ? 0 : db_transaction(r->db, save_body, &x);
	resp = x.resp;
	if (!x.collected) {
		if (rc > 0)
			show_outcome(r, t, &resp, deadline, NULL, NULL, x.o, 0);
		else
			page_error(r, 503, outcomes[SO_BUSY].msg);
		response_free(&resp);
		return;
	}
	raw = x.raw;
	clean = x.clean;
	chk = x.chk;
	nerr = submit ? x.nerr : x.chk.nerrors;   /* a draft counts only format problems */
	o = rc < 0 ? SO_FAILED : x.o;

	if (o == SO_FAILED) {
		page_error(r, 503, outcomes[o].msg);
	} else if (o == SO_SUBMITTED) {
		char detail[64];
		if (t->proxy)
			snprintf(detail, sizeof detail, "form=%s for=%llu", F->name, t->id);
		else
			snprintf(detail, sizeof detail, "form=%s", F->name);
		audit(r, "form_submit", detail);
		redirect_to(r, t, "submitted=1");
	} else if (o == SO_SAVED) {
		redirect_to(r, t, "saved=1");
	} else if (o == SO_CONFIRM) {
		confirm_page(r, t, &resp, &clean, &chk);
	} else {
		/* The conflict shows what this tab posted with the stored
		 * version, so that a second save knowingly replaces the other. */
		show_outcome(r, t, &resp, deadline, &raw, &chk, o, nerr);
	}
	fcheck_free(&chk);
	answers_free(&clean);
	answers_free(&raw);
	response_free(&resp);
}

static void post_form(struct req *r, const struct target *t)
{
	post_form_checked(r, t);    /* PAGE_CSRF: the dispatcher checked the token */
}

/* Fill t from the request: the user's own response, or with for=<id> an
 * account of the region user's own region (proxy entry). Returns 0, or -1
 * after answering (403 / 503). */
static int resolve_target(struct req *r, struct target *t)
{
	const char *for_id = r->arg[KEY_FOR].s;
	struct dbrows *rows;
	unsigned long long id = r->arg[KEY_FOR].id;   /* valid whenever for= is sent */

	memset(t, 0, sizeof *t);
	if (!for_id) {
		t->id = r->user->id;
		snprintf(t->region, sizeof t->region, "%s", r->user->region_code);
		snprintf(t->org_name, sizeof t->org_name, "%s", r->user->org_name);
		return 0;
	}
	if (r->user->role != ROLE_REGION || !proxiable() || !*r->user->region_code) {
		page_error(r, 403, "您的账户不能代为录入此调查表。");
		return -1;
	}
	if (db_query(r->db, STMT_PROXY_TARGET,
	             DB_ARGS(A_INT(id)), &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return -1;
	}
	/* Unknown, disabled, another role or another region: one answer for
	 * all, so account ids of other regions cannot be probed. */
	if (rows->nrows != 1 || role_parse(dbrows_get(rows, 0, 0)) != F->role ||
	    strcmp(dbrows_get(rows, 0, 1), r->user->region_code) || dbrows_int(rows, 0, 3)) {
		dbrows_free(rows);
		page_error(r, 403, "无权为该账户代为录入（只能为本地区的账户录入）。");
		return -1;
	}
	t->id = id;
	t->proxy = 1;
	snprintf(t->region, sizeof t->region, "%s", dbrows_get(rows, 0, 1));
	snprintf(t->org_name, sizeof t->org_name, "%s", dbrows_get(rows, 0, 2));
	dbrows_free(rows);
	return 0;
}

/* A response's state as the proxy lists show it. */
static const char *state_label(const char *st)
{
	return !strcmp(st, "submitted") ? "已提交" : *st ? "草稿" : "尚未填写";
}

/* The sampled units of the region for this form (columns of
 * STMT_PROXY_UNITS): with an account, a link to enter for it; without one,
 * a link to create it first. */
static void proxy_units(struct req *r, const struct dbrows *u)
{
	h_raw(r, "<h3>本地区样本中的单位</h3><div class=\"table-wrap\"><table class=\"grid\" id=\"proxy-units\"><thead><tr>"
	      "<th scope=\"col\">单位名称</th><th scope=\"col\">账户</th><th scope=\"col\">状态</th>"
	      "<th scope=\"col\">操作</th></tr></thead><tbody>");
	for (size_t i = 0; i < u->nrows; i++) {
		unsigned long long uid = (unsigned long long)dbrows_int(u, i, 3);
		const char *st = dbrows_get(u, i, 5);
		h_printf(r, "<tr data-unit=\"%s\"><th scope=\"row\">%s</th>", dbrows_get(u, i, 0), dbrows_get(u, i, 1));
		if (uid == 0) {
			h_printf(r, "<td>未注册</td><td>尚未填写</td><td><a href=\"%s/proxy/unit?unit=%s\">录入纸质表</a></td></tr>",
			         BASE, dbrows_get(u, i, 0));
		} else if (dbrows_int(u, i, 7)) {
			h_printf(r, "<td>%s</td><td>%s（账户已停用）</td><td></td></tr>", dbrows_get(u, i, 4), state_label(st));
		} else {
			h_printf(r, "<td>%s</td><td>%s%s</td><td><a href=\"%s?for=%llu\">%s</a></td></tr>",
			         dbrows_get(u, i, 4), state_label(st), dbrows_int(u, i, 6) ? "（代录）" : "",
			         BASE, uid, !strcmp(st, "submitted") ? "查看" : "代为录入");
		}
	}
	if (u->nrows == 0)
		h_raw(r, r->arg[KEY_Q].present && *r->arg[KEY_Q].s ? "<tr><td colspan=\"4\">没有找到名称或用户名包含该内容的抽中单位。</td></tr>"
		      : "<tr><td colspan=\"4\">本地区尚无此类抽中单位（请先完成抽样）。</td></tr>");
	h_raw(r, "</tbody></table></div>");
}

/* The constants of the paper-entry list's statement (STMT_PAGE_PROXY):
 * k.form, k.role (this form's), k.q (the search). */
static int proxy_session_args(const struct req *r, struct dbarg *out)
{
	out[0] = A_STR(F->name);
	out[1] = A_STR(role_code(F->role));
	out[2] = A_STR(r->arg[KEY_Q].present ? r->arg[KEY_Q].s : "");
	return 3;
}

/* GET /form/<name>/proxy: every sampled unit of the region for this form,
 * then the other accounts of this form's role, to enter paper
 * questionnaires for. */
static void proxy_page(struct req *r)
{
	struct dbrows *rows = NULL, *units = NULL;

	if (!proxiable() || !*r->user->region_code) {
		page_error(r, 403, MSG_FORBIDDEN);
		return;
	}

	const char *q = r->arg[KEY_Q].present ? r->arg[KEY_Q].s : "";
	if (db_query(r->db, STMT_PROXY_UNITS,
	             DB_ARGS(A_STR(r->user->region_code), A_STR(F->name), A_STR(q), A_STR(q), A_STR(q)), &units) < 0 ||
	    db_query(r->db, STMT_PROXY_LIST,
	             DB_ARGS(A_STR(F->name), A_STR(role_code(F->role)), A_STR(r->user->region_code),
	                     A_STR(q), A_STR(q), A_STR(q)), &rows) < 0) {
		dbrows_free(units);
		page_error(r, 503, MSG_BUSY);
		return;
	}
	begin(r);
	h_printf(r, "<h2>代为录入纸质调查表（%s）</h2>"
	         "<p>请选择填写了纸质调查表的单位，按纸质表内容录入；录入记录会标明由本地区代为录入。"
	         "尚未注册的抽中单位，系统会先为其建立账户（与用邀请码注册相同），其邀请码随即显示为已由本地区代录。</p>",
	         F->annex);
	/* A region has 100 SMEs or more: find the one whose paper form is at
	 * hand by its name (issue 23 item 10). */
	h_printf(r, "<form method=\"get\" action=\"%s/proxy\" class=\"search\" role=\"search\"><p>", BASE);
	h_search_field(r, "proxy-q", "查找单位（名称或用户名的一部分）", q, 100, BASE "/proxy");
	h_raw(r, "</p></form>");
	proxy_units(r, units);
	if (rows->nrows) {
		h_printf(r, "<h3>其他%s账户（不在样本中）</h3>", role_label(F->role));
		h_raw(r, "<div class=\"table-wrap\"><table class=\"grid\"><thead><tr><th scope=\"col\">单位名称</th>"
		      "<th scope=\"col\">账户</th><th scope=\"col\">状态</th><th scope=\"col\">操作</th></tr></thead><tbody>");
		for (size_t i = 0; i < rows->nrows; i++) {
			const char *st = dbrows_get(rows, i, 3);
			int submitted = !strcmp(st, "submitted");
			h_printf(r, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s%s</td>"
			         "<td><a href=\"%s?for=%s\">%s</a></td></tr>",
			         dbrows_get(rows, i, 2), dbrows_get(rows, i, 1), state_label(st),
			         dbrows_int(rows, i, 4) ? "（代录）" : "",
			         BASE, dbrows_get(rows, i, 0), submitted ? "查看" : "代为录入");
		}
		h_raw(r, "</tbody></table></div>");
	}
	page_end(r);
	dbrows_free(units);
	dbrows_free(rows);
}

/* The sampled unit of /proxy/unit, locked when inside a transaction: id,
 * name, stratum, user id. NULL after an error page (404 for another
 * region's unit, a reserve or an unknown one). */
static struct dbrows *proxy_unit(struct req *r)
{
	struct dbrows *u;
	if (!proxiable() || !*r->user->region_code) {
		page_error(r, 403, MSG_FORBIDDEN);
		return NULL;
	}
	if (db_query(r->db, STMT_PROXY_UNIT_LOCK,
	             DB_ARGS(A_INT(r->arg[KEY_UNIT].id), A_STR(r->user->region_code), A_STR(F->name)), &u) < 0) {
		page_error(r, 503, MSG_BUSY);
		return NULL;
	}
	if (u->nrows == 0) {
		dbrows_free(u);
		page_error(r, 404, MSG_PROXY_NO_UNIT);
		return NULL;
	}
	return u;
}

/* GET /form/<name>/proxy/unit?unit=N: what entering a paper form for a
 * unit that never registered does, and the button. */
static void proxy_unit_get(struct req *r)
{
	struct dbrows *u = proxy_unit(r);
	if (!u)
		return;
	unsigned long long uid = (unsigned long long)dbrows_int(u, 0, 3);
	if (uid) {
		dbrows_free(u);
		struct buf b = { 0 };
		buf_printf(&b, "%s?for=%llu", BASE, uid);
		resp_redirect(r, b.data);
		buf_free(&b);
		return;
	}
	begin(r);
	h_printf(r, "<h2>录入纸质调查表：%s</h2>", dbrows_get(u, 0, 1));
	h_raw(r, "<p>该单位尚未用邀请码注册。录入纸质表前，系统会为其建立账户并与该抽中单位绑定（与用邀请码注册相同），"
	      "此后该单位的邀请码会显示调查表已由本地区根据纸质表代为录入，不能再用来注册。</p>");
	h_printf(r, "<form method=\"post\" action=\"%s/proxy/unit\"><input type=\"hidden\" name=\"unit\" value=\"%s\">",
	         BASE, dbrows_get(u, 0, 0));
	h_csrf_field(r);
	h_printf(r, "<p><button type=\"submit\">建立账户并录入纸质表</button> <a href=\"%s/proxy\">返回名单</a></p></form>", BASE);
	dbrows_free(u);
	page_end(r);
}

/* POST /form/<name>/proxy/unit: the unit's account, bound to it, then the
 * form for it. One transaction with the audit row. */
struct paper_tx {
	struct req *r;
	const char *hash;
	unsigned long long uid;       /* the unit's account, made or found */
	int found;
};

/* Creates the account the code would have created for unit row u (id,
 * name, stratum, user id) and binds it; 0 or -1. */
static int paper_account(struct db *db, struct paper_tx *x, const struct dbrows *u)
{
	struct req *r = x->r;
	char username[96];
	unsigned long long aff = 0;
	enum db_rc rc = DB_DUPLICATE;
	/* The name registering with the code would have given. */
	for (int attempt = 0; attempt < 3 && rc == DB_DUPLICATE; attempt++) {
		snprintf(username, sizeof username, "%s-%s-%s%s", F->name, r->user->region_code,
		         dbrows_get(u, 0, 0), attempt == 0 ? "" : attempt == 1 ? "-p" : "-p2");
		rc = db_exec(db, STMT_USER_INSERT,
		             DB_ARGS(A_STR(username), A_STR(x->hash), A_STR(role_code(F->role)),
		                     A_STR(r->user->region_code), A_STR(dbrows_get(u, 0, 1)), A_STR(F->name)),
		             NULL, &x->uid);
	}
	if (rc != DB_OK ||
	    db_exec(db, STMT_UNIT_BIND_PAPER,
	            DB_ARGS(A_INT(x->uid), A_INT(r->user->id), A_STR(dbrows_get(u, 0, 0))), &aff, NULL) < 0 ||
	    aff != 1)
		return -1;
	struct buf d = { 0 };
	buf_printf(&d, "unit=%s username=%s paper=1", dbrows_get(u, 0, 0), username);
	int arc = audit_tx(db, r, "paper-account", d.data);
	buf_free(&d);
	return arc;
}

/* Locks the unit (this region's, of this form); 1 when there is none. */
static int paper_body(struct db *db, void *ctx, int attempt)
{
	struct paper_tx *x = ctx;
	struct dbrows *u;
	int rc;
	(void)attempt;
	x->uid = 0;
	if (db_query(db, STMT_PROXY_UNIT_LOCK, DB_ARGS(A_INT(x->r->arg[KEY_UNIT].id),
	             A_STR(x->r->user->region_code), A_STR(F->name)), &u) < 0)
		return -1;
	x->found = u->nrows > 0;
	x->uid = x->found ? (unsigned long long)dbrows_int(u, 0, 3) : 0;
	rc = !x->found ? 1 : x->uid ? 0 : paper_account(db, x, u);
	dbrows_free(u);
	return rc;
}

static void proxy_unit_post(struct req *r)
{
	char pw[CODE_LEN + 1], hash[PW_HASH_MAX];
	struct paper_tx x = { .r = r, .hash = hash };

	if (!proxiable() || !*r->user->region_code) {
		page_error(r, 403, MSG_FORBIDDEN);
		return;
	}
	/* Nobody knows this password: the account is for the paper form; the
	 * ministry can give the unit a password later (reset-password). */
	if (code_generate(pw) < 0 || password_hash(pw, hash) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	explicit_bzero(pw, sizeof pw);
	int rc = db_transaction(r->db, paper_body, &x);
	explicit_bzero(hash, sizeof hash);
	if (rc < 0) {
		page_error(r, 503, MSG_ACCOUNT_FAILED);
		return;
	}
	if (rc > 0) {
		page_error(r, 404, MSG_PROXY_NO_UNIT);
		return;
	}
	struct buf b = { 0 };
	buf_printf(&b, "%s?for=%llu", BASE, x.uid);
	resp_redirect(r, b.data);
	buf_free(&b);
}

/* GET /form/<name>/file: the target's uploaded file (first file field). */
static void file_page(struct req *r, const struct target *t)
{
	struct response resp;
	const char *v = NULL;

	if (response_load(r->db, F, t->id, &resp) < 0) {
		response_free(&resp);
		page_error(r, 503, MSG_BUSY);
		return;
	}
	for (size_t i = 0; i < F->nfields && !v; i++)
		if (F->fields[i].type == FT_FILE)
			v = resp.a.v[i];
	if (!v)
		page_error(r, 404, "尚未上传文件。");
	else
		form_send_upload(r, v);
	response_free(&resp);
}

/* Whose response the request works on (resolve_target()); a region user
 * without for= is sent to pick an account first. 0 to go on, -1 answered. */
static int target_of(struct req *r, struct target *t)
{
	if (resolve_target(r, t) < 0)
		return -1;
	if (r->user->role != F->role && !t->proxy) {
		if (r->is_post)
			page_error(r, 400, MSG_PROXY_CHOOSE_UNIT);
		else
			resp_redirect(r, BASE "/proxy");
		return -1;
	}
	return 0;
}

static void on_form_get(struct req *r)
{
	struct target t;
	if (target_of(r, &t) == 0)
		get_form(r, &t);
}

static void on_form_relogin(struct req *r);

static void on_form_post(struct req *r)
{
	struct target t;
	if (!r->user) {
		on_form_relogin(r);
		return;
	}
	if (target_of(r, &t) == 0)
		post_form(r, &t);
}

static void on_print(struct req *r)
{
	struct target t;
	if (target_of(r, &t) == 0)
		print_page(r, &t);
}

static void on_file(struct req *r)
{
	struct target t;
	if (target_of(r, &t) == 0)
		file_page(r, &t);
}

/* for=<user id>: proxy entry by a region (resolve_target() checks whom);
 * the notices after a redirect. */
/* The constants of the form's statement (STMT_PAGE_FORM): k.form and
 * k.target (for=, or NULL). One round trip for the form and its print
 * view (issue 21): it carries the response, the deadlines and the facts
 * the prefill uses, of the user's own response or of for='s. */
static int form_session_args(const struct req *r, struct dbarg *out)
{
	out[0] = A_STR(FORM_NAME);
	out[1] = r->arg[KEY_FOR].present ? A_INT(r->arg[KEY_FOR].id) : A_NULL;
	return 2;
}

static const struct pspec target_params[] = {
	{ KEY_FOR, "for", PT_ID, 0, 0, 0, NULL, 403, MSG_PROXY_NOT_ALLOWED, 0 },
	P_FLAG(KEY_SUBMITTED, "submitted"),
	P_FLAG(KEY_SAVED, "saved"),
	P_FLAG(KEY_RELOGIN_OTHER, "relogin_other"),
	{ 0 },
};

/* A save or submit (the answers themselves are the codebook's fields,
 * read by form_collect), the autosave's list of changed fields, and the
 * re-login's credentials and owner. Malformed values count as absent and
 * are answered by the handler (a bad action: 400; no version: no
 * conflict check). */
static const struct pspec post_params[] = {
	{ KEY_FOR, "for", PT_ID, 0, 0, 0, NULL, 403, MSG_PROXY_NOT_ALLOWED, 0 },
	{ KEY_ACTION, "action", PT_ENUM, 0, 0, 0, form_actions, 0, NULL, 0 },
	{ KEY_VERSION, "version", PT_INT, 0, 0, 999999999, NULL, 0, NULL, 0 },
	P_CONFIRM(KEY_CONFIRM),
	{ KEY_LOST_FILE, "lost_file", PT_STR, P_LIST, 0, 64, NULL, 0, NULL, 64 },
	P_TEXT(KEY_FIELDS, "fields", 65536),
	{ KEY_RELOGIN_USER, RELOGIN_USER, PT_STR, 0, 0, 256, NULL, 0, NULL, 0 },
	P_PASSWORD(KEY_RELOGIN_PASS, RELOGIN_PASS),
	{ KEY_OWNER, "owner", PT_ID, 0, 0, 0, NULL, 0, NULL, 0 },
	{ 0 },
};

/* The paper-entry list's search (issue 23 item 10): a name or username. */
static const struct pspec proxy_params[] = {
	P_TEXT(KEY_Q, "q", 100),
	{ 0 },
};

static const struct pspec unit_params[] = {
	P_ID_OF(KEY_UNIT, "unit", 404, MSG_NO_UNIT),
	{ 0 },
};

/* ---- Autosave (issue 9): a partial draft from form.js ----
 *
 * POST /form/<name>/autosave (urlencoded, CSRF-checked) carries only the
 * fields changed since the last save, named in fields=code,code,... (so
 * that a field emptied, or a multi with every box cleared, is saved as
 * empty). Every other stored answer, files included, stays as it is: the
 * posted fields are merged into the stored answers under the row lock and
 * the whole is validated and written as a draft, like a save. No version
 * check: only the changed fields are written; the answer gives the new
 * version for the page's hidden field. The answer is JSON: ok, saved_at
 * (HH:MM), version, or ok false with a Chinese message that form.js shows
 * next to the save button (401 session lapsed, 403 CSRF or not one's own
 * response, 409 submitted or past the deadline, 503). */

/* {"ok":false,"error":msg} with status; msg is a literal without quotes. */
static void json_error(struct req *r, int status, const char *msg)
{
	resp_status(r, status);
	resp_header(r, "Content-Type", "application/json; charset=utf-8");
	buf_printf(&r->body, "{\"ok\":false,\"error\":\"%s\"}", msg);
}

/* The codes named in fields=, as field indexes flagged in want[]. */
static void autosave_fields(const struct req *r, unsigned char *want)
{
	const char *list = r->arg[KEY_FIELDS].s;
	while (list && *list) {
		size_t n = strcspn(list, ",");
		char code[80];
		if (n < sizeof code) {
			memcpy(code, list, n);
			code[n] = '\0';
			int fi = form_field_index(F, code);
			if (fi >= 0 && F->fields[fi].type != FT_FILE)
				want[fi] = 1;
		}
		list += n + (list[n] == ',');
	}
}

struct autosave_tx {
	struct req *r;
	const struct target *t;
	const unsigned char *want;
	struct response resp;
	int locked;                   /* 1: already submitted */
	struct pdreq pd;              /* the request's paradata (issue 20) */
};

static int autosave_body(struct db *db, void *ctx, int attempt)
{
	struct autosave_tx *x = ctx;
	struct answers posted, merged, clean;
	struct fcheck chk;
	size_t nerr;
	int rc = lock_for_write(db, x->t, &x->resp, attempt);

	if (rc) {
		if (rc > 0)
			x->locked = 1;
		return rc;
	}
	/* The first autosave writes the draft (version 0: never written):
	 * the prefilled values the page showed belong to it, or a reload
	 * would lose them (get_form prefills only a form never written). */
	if (x->resp.version == 0 && form_prefill(db, F, x->t->id, &x->resp.a) < 0)
		return -1;
	answers_init(&posted, F);
	answers_init(&merged, F);
	form_collect(F, x->r->params, x->r->nparams, &posted);
	for (size_t i = 0; i < F->nfields; i++)
		answers_set(&merged, i, x->want[i] ? posted.v[i] : x->resp.a.v[i]);
	nerr = form_validate(F, &merged, &clean, &chk);
	rc = response_write(db, F, &x->resp, x->t->region, x->t->proxy ? x->r->user->id : 0, &x->pd,
	                    &clean, 0, nerr == 0);
	fcheck_free(&chk);
	answers_free(&clean);
	answers_free(&merged);
	answers_free(&posted);
	return rc < 0 ? -1 : 0;
}

static void autosave(struct req *r, const struct target *t)
{
	char deadline[DEADLINE_LEN];
	unsigned char *want;

	if (deadline_get(r->db, r->conf, F->name, t->region, deadline) < 0) {
		json_error(r, 503, MSG_AUTOSAVE_FAILED);
		return;
	}
	if (deadline_passed(deadline)) {
		json_error(r, 409, "填报已截止，不能再保存。");
		return;
	}
	want = xcalloc(F->nfields, 1);
	autosave_fields(r, want);
	struct autosave_tx x = { .r = r, .t = t, .want = want };
	pd_of_request(r, &x.pd);
	int rc = db_transaction(r->db, autosave_body, &x);
	free(want);
	if (rc < 0)
		json_error(r, 503, MSG_AUTOSAVE_FAILED);
	else if (x.locked)
		json_error(r, 409, "本表已提交，不能再修改。");
	else {
		/* saved_at is "YYYY-MM-DD HH:MM:SS" (the database's clock). */
		resp_header(r, "Content-Type", "application/json; charset=utf-8");
		buf_printf(&r->body, "{\"ok\":true,\"saved_at\":\"%.5s\",\"version\":%u}",
		           strlen(x.resp.saved_at) >= 16 ? x.resp.saved_at + 11 : "", x.resp.version);
	}
	response_free(&x.resp);
}

/* PAGE_CSRF refused an autosave: JSON, which form.js shows. */
static void autosave_refused(struct req *r)
{
	json_error(r, 403, "页面已过期，请刷新页面后再填写。");
}

static void on_autosave(struct req *r)
{
	struct target t;
	if (!r->user) {
		json_error(r, 401, "登录已超时，请点“保存草稿”，按提示重新登录后即可保存。");
		return;
	}
	if (resolve_target(r, &t) < 0)
		return;
	if (r->user->role != F->role && !t.proxy) {
		json_error(r, 400, MSG_PROXY_CHOOSE_UNIT);
		return;
	}
	autosave(r, &t);
}

/* GET /form/<name>/alive: the session check, which refreshes the
 * session's last-seen time, and the paradata's active time (issue 20): form.js calls it on activity (typing,
 * scrolling) at most every few minutes, so that a person reading or copying
 * figures for a long time is not logged out while the page is open. */
static void on_alive(struct req *r)
{
	/* The respondent's own form only: a keep-alive carries no for=, and
	 * the paradata's active time is the form's, not the region user's. */
	if (r->user->role == F->role) {
		struct pdreq pd;
		pd_of_request(r, &pd);
		if (db_exec(r->db, STMT_PARADATA_ALIVE,
		            DB_ARGS(A_STR(pd.session), A_STR(pd.session), A_STR(pd.session),
		                    A_STR(pd.device), A_STR(pd.device), A_STR(pd.device),
		                    A_STR(pd.net), A_STR(pd.net), A_STR(pd.net),
		                    A_STR(pd.ua), A_STR(pd.ua), A_STR(pd.ua),
		                    A_STR(F->name), A_INT(r->user->id)), NULL, NULL) < 0)
			log_err("paradata: keep-alive of user %llu not recorded", r->user->id);
	}
	resp_status(r, 204);
	r->no_body = 1;
}

/* ---- Re-login of a form post whose session has lapsed (issue 9) ----
 *
 * A save or submit that arrives after the idle or absolute timeout is not
 * redirected to /login (which would lose it): the answer is a login form
 * (200) that carries every posted answer back to the browser in hidden
 * fields - nothing of it is stored or logged here - with the action, the
 * version and the owner (the user the form was rendered for), under a fresh
 * anonymous CSRF token. Files cannot be carried: each chosen file is named
 * with a request to choose it again (lost_file=<code>, shown at the field
 * after the save). Its POST logs in (the same throttling and audit as
 * /login) and then saves or submits exactly as a live session would. When
 * another user logs in than the owner, the answers are dropped: they must
 * never land in somebody else's response (a shared computer). */


/* The roles of the form rows (the form's role, plus region for proxy entry). */
static unsigned fillers_mask;

/* The re-login page, carrying the posted answers; error: why the last
 * attempt failed (NULL the first time). */
static void relogin_page(struct req *r, int status, const char *error)
{
	static const char *const relogin_skip[] = { "csrf", RELOGIN_USER, RELOGIN_PASS, NULL };
	const struct arg *action = &r->arg[KEY_ACTION];

	auth_anon_csrf(r);
	resp_status(r, status);
	page_begin(r, "登录已超时");
	h_raw(r, "<section class=\"relogin\">");
	if (error)
		h_printf(r, "<p class=\"error\" role=\"alert\" id=\"relogin-error\">%s</p>", error);
	h_printf(r, "<p>您较长时间没有操作，登录已超时。刚才填写的内容<strong>尚未保存</strong>，"
	         "已暂存在本页面中（未保存在服务器上）。请重新登录，登录后将自动%s。</p>",
	         action->present && action->n == ACTION_SUBMIT ? "提交本表" : "保存草稿");
	h_printf(r, "<form class=\"login\" method=\"post\" action=\"%s%s%s\" novalidate>",
	         r->path, *r->query ? "?" : "", r->query);
	h_csrf_field(r);
	carry_hidden(r, relogin_skip, 1);
	h_printf(r, "<p><label for=\"relogin-user\">用户名</label>"
	         "<input id=\"relogin-user\" name=\"" RELOGIN_USER "\" autocomplete=\"username\" required%s></p>"
	         "<p><label for=\"relogin-pass\">密码</label>"
	         "<input id=\"relogin-pass\" type=\"password\" name=\"" RELOGIN_PASS "\" "
	         "autocomplete=\"current-password\" required%s></p>",
	         error ? " aria-describedby=\"relogin-error\"" : "",
	         error ? " aria-describedby=\"relogin-error\"" : "");
	h_raw(r, "<p><button type=\"submit\">登录并继续</button></p></form>"
	      "<p>请用原来填写本表的账户登录；用其他账户登录时，以上内容不会保存。"
	      "<a href=\"/forgot\">忘记用户名或密码？</a></p></section>");
	page_end(r);
}

/* The re-login form's POST: log in, then the save or submit. */
static void relogin_post(struct req *r)
{
	const char *u = r->arg[KEY_RELOGIN_USER].s, *p = r->arg[KEY_RELOGIN_PASS].s;
	struct target t;

	/* No session: the re-login form carries the anonymous token, which
	 * the dispatcher checked (r->origin_anon). */
	auth_anon_csrf(r);
	if (!r->origin_anon) {
		relogin_page(r, 403, MSG_STALE_LOGIN);
		return;
	}
	if (!u || !p || !*u || !*p) {
		relogin_page(r, 422, MSG_LOGIN_EMPTY);
		return;
	}
	enum login_result res = signin(r, u, p);
	if (res != LOGIN_OK) {
		const char *msg;
		int status = signin_refusal(r, res, &msg);
		relogin_page(r, status, msg);
		return;
	}
	/* Logged in: from here on the answers go nowhere but to the owner's
	 * own form. Another account gets its own home, nothing applied. */
	if (!(fillers_mask & RB(r->user->role))) {
		resp_redirect(r, role_home(r->user->role));
		return;
	}
	if (!r->arg[KEY_OWNER].present || r->arg[KEY_OWNER].id != r->user->id) {
		resp_redirect(r, BASE "?relogin_other=1");
		return;
	}
	if (target_of(r, &t) == 0)
		post_form_checked(r, &t);
}

/* A form POST without a live session (PAGE_RELOGIN). */
static void on_form_relogin(struct req *r)
{
	if (r->arg[KEY_RELOGIN_USER].s) {
		relogin_post(r);
		return;
	}
	/* Did the lapsed post come from a page of this site? The token of the
	 * lapsed session's cookie proves it; when the cookie is gone (logged
	 * out in another tab), the browser's Sec-Fetch-Site must say
	 * same-origin (r->origin_lapsed, set by the dispatcher). A cross-site
	 * post gets the plain login redirect: it must not be able to put its
	 * answers into a form that a victim then logs in to. */
	if (!r->origin_lapsed) {
		struct buf b = { 0 };
		buf_puts(&b, "/login?next=");
		url_encode(&b, BASE);
		resp_redirect(r, b.data);
		buf_free(&b);
		return;
	}
	relogin_page(r, 200, NULL);
}

enum page {
	PAGE_FORM_GET,
	PAGE_FORM_POST,
	PAGE_AUTOSAVE,
	PAGE_ALIVE,
	PAGE_PRINT,
	PAGE_FILE,
	PAGE_PROXY,
	PAGE_PROXY_UNIT_GET,
	PAGE_PROXY_UNIT_POST,
	PAGE_BLANK,
	PAGE__MAX
};

/* The roles that fill this questionnaire come from the codebook: main()
 * replaces FILLERS by the form's role, plus region for the forms a region
 * may enter on paper. FILLERS itself is no role's bit, so a row main()
 * missed opens for nobody. */
#define FILLERS RB(ROLE_COUNT)

static struct pagedef pages[PAGE__MAX] = {
	[PAGE_FORM_GET]  = { BASE,           M_GET,  FILLERS, PAGE_SLASH, target_params, on_form_get, NULL,
	                     .session = STMT_PAGE_FORM, .session_args = form_session_args },
	/* PAGE_RELOGIN: a post whose session lapsed reaches on_form_post. */
	/* The save reads the row in the session check's round trip (save_fast). */
	[PAGE_FORM_POST] = { BASE,           M_POST, FILLERS, PAGE_SLASH | PAGE_RELOGIN | PAGE_CSRF, post_params,
	                     on_form_post, NULL, .session = STMT_PAGE_FORM_POST, .session_args = form_session_args },
	/* Autosave answers JSON, also to a lapsed session (401). */
	[PAGE_AUTOSAVE]  = { BASE "/autosave", M_POST, FILLERS, PAGE_RELOGIN | PAGE_CSRF, post_params, on_autosave,
	                     NULL, autosave_refused },
	[PAGE_ALIVE]     = { BASE "/alive",  M_GET,  FILLERS, 0, NULL, on_alive, NULL },
	[PAGE_PRINT]     = { BASE "/print",  M_GET,  FILLERS, 0, target_params, on_print, NULL,
	                     .session = STMT_PAGE_FORM, .session_args = form_session_args },
	/* Only forms with a file field (main() disables it for the others). */
	[PAGE_FILE]      = { BASE "/file",   M_GET,  FILLERS, 0, target_params, on_file, NULL },
	[PAGE_PROXY]     = { BASE "/proxy",  M_GET,  RB(ROLE_REGION), 0, proxy_params, proxy_page, NULL,
	                     .session = STMT_PAGE_PROXY, .session_args = proxy_session_args },
	[PAGE_PROXY_UNIT_GET]  = { BASE "/proxy/unit", M_GET,  RB(ROLE_REGION), 0, unit_params, proxy_unit_get, NULL },
	[PAGE_PROXY_UNIT_POST] = { BASE "/proxy/unit", M_POST, RB(ROLE_REGION), PAGE_CSRF, unit_params, proxy_unit_post, NULL },
	[PAGE_BLANK]     = { BASE "/blank",  M_GET,  PUBLIC, 0, NULL, blank_page, NULL },
};

int main(int argc, char **argv)
{
	char err[256];

	/* A codebook that does not parse must stop the program at start-up,
	 * not surface as a broken page later. */
	log_init("smesurvey-form-" FORM_NAME);
	if (forms_load(err, sizeof err) < 0 || prefill_load(err, sizeof err) < 0 ||
	    flag_rules_load(err, sizeof err) < 0) {
		log_err("codebook: %s", err);
		return 1;
	}
	F = form_get(FORM_NAME);
	if (!F) {
		log_err("no codebook for form %s", FORM_NAME);
		return 1;
	}
	fillers_mask = RB(F->role) | (proxiable() ? RB(ROLE_REGION) : 0);
	for (size_t i = 0; i < PAGE__MAX; i++)
		if (pages[i].roles == FILLERS)
			pages[i].roles = fillers_mask;
	if (!F->has_file)
		pages[PAGE_FILE].path = NULL;
	site_nav_load();
	const struct app app = { "smesurvey-form-" FORM_NAME, pages, PAGE__MAX, site_nav, site_nav_len };
	return app_run(&app, argc, argv);
}
