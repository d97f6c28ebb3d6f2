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
 *
 * Deadline policy: after the deadline (config, or a per-region override)
 * both save and submit are refused and the form is shown read-only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "conf.h"
#include "form.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "util.h"

#ifndef FORM_NAME
#error "compile with -DFORM_NAME='\"sme\"' (see the Makefile)"
#endif

#define BASE "/form/" FORM_NAME

static const struct form *F;

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

static void status_line(struct req *r, const struct response *resp, const char *deadline)
{
	h_raw(r, "<p class=\"form-status\">");
	if (resp->status == RS_SUBMITTED)
		h_printf(r, "状态：已提交（%s）", resp->submitted_at);
	else if (resp->id)
		h_printf(r, "状态：草稿（最后保存于 %s）", resp->updated_at);
	else
		h_raw(r, "状态：尚未填写");
	if (*deadline)
		h_printf(r, "　截止时间：%s", deadline);
	h_printf(r, "　<a href=\"%s/print\">打印本表</a></p>", BASE);
}

static void blank_page(struct req *r)
{
	struct fview v = { .f = F, .mode = FV_BLANK };
	begin(r);
	h_raw(r, "<p class=\"no-print\">这是空白调查表，可打印后填写。</p>");
	form_render(r, &v);
	page_end(r);
}

static int load(struct req *r, struct response *resp, char deadline[20])
{
	if (response_load(r->db, F, r->user->id, resp) < 0 ||
	    form_deadline(r->db, r->conf, F, r->user->region_code, deadline) < 0) {
		response_free(resp);
		page_error(r, 503, "系统繁忙，请稍后再试。");
		return -1;
	}
	return 0;
}

static void print_page(struct req *r)
{
	struct response resp;
	char deadline[20];
	struct fview v = { .f = F, .mode = FV_READONLY };

	if (load(r, &resp, deadline) < 0)
		return;
	v.vals = &resp.a;
	begin(r);
	status_line(r, &resp, deadline);
	h_raw(r, "<p class=\"no-print\">请使用浏览器的“打印”功能（Ctrl+P）打印或另存为 PDF。</p>");
	form_render(r, &v);
	page_end(r);
	response_free(&resp);
}

/* The editable form (or read-only view), with optional notice and check
 * results. vals are what the user typed when re-showing a failed post. */
static void show(struct req *r, const struct response *resp, const char *deadline,
                 const struct answers *vals, const struct fcheck *chk,
                 const char *notice, int notice_is_error)
{
	struct fview v = { .f = F, .vals = vals ? vals : &resp->a, .chk = chk,
	                   .action = BASE, .version = (long)resp->version };
	int closed = deadline_passed(deadline);

	v.mode = resp->status == RS_SUBMITTED || closed ? FV_READONLY : FV_EDIT;
	begin(r);
	status_line(r, resp, deadline);
	if (notice)
		h_printf(r, "<p class=\"%s\" role=\"%s\">%s</p>", notice_is_error ? "error" : "notice",
		         notice_is_error ? "alert" : "status", notice);
	if (resp->status == RS_SUBMITTED)
		h_raw(r, "<p class=\"notice\">本表已提交，不能再修改。如需更正，请联系本地区中小企业主管部门或评估机构。</p>");
	else if (closed)
		h_printf(r, "<p class=\"error\">填报已于 %s 截止，不能再保存或提交。</p>", deadline);
	form_render(r, &v);
	page_end(r);
}

static void get_form(struct req *r)
{
	struct response resp;
	char deadline[20];
	const char *notice = NULL;

	if (load(r, &resp, deadline) < 0)
		return;
	if (req_param(r, "submitted") && resp.status == RS_SUBMITTED)
		notice = "提交成功，感谢您的支持！";
	else if (req_param(r, "saved"))
		notice = "草稿已保存。";
	show(r, &resp, deadline, NULL, NULL, notice, 0);
	response_free(&resp);
}

static void post_form(struct req *r)
{
	struct response resp;
	char deadline[20];
	const char *action = req_param(r, "action");
	const char *ver = req_param(r, "version");
	int submit;
	long expect = -1;
	struct answers raw, clean;
	struct fcheck chk;
	enum save_result sr;
	size_t nerr;

	if (csrf_check(r) != 0) {
		page_error(r, 403, "页面已过期或来源无效，请刷新页面后重试。");
		return;
	}
	if (!action || (strcmp(action, "save") && strcmp(action, "submit"))) {
		page_error(r, 400, "无效的操作。");
		return;
	}
	submit = !strcmp(action, "submit");
	if (ver && *ver && strlen(ver) < 10 && strspn(ver, "0123456789") == strlen(ver))
		expect = atol(ver);
	if (load(r, &resp, deadline) < 0)
		return;
	if (resp.status == RS_SUBMITTED) {
		show(r, &resp, deadline, NULL, NULL, "本表已提交，本次修改未保存。", 1);
		response_free(&resp);
		return;
	}
	if (deadline_passed(deadline)) {
		show(r, &resp, deadline, NULL, NULL, "填报已截止，本次修改未保存。", 1);
		response_free(&resp);
		return;
	}

	/* Files already uploaded stay unless a new file replaces them. */
	answers_init(&raw, F);
	for (size_t i = 0; i < F->nfields; i++)
		if (F->fields[i].type == FT_FILE)
			answers_set(&raw, i, resp.a.v[i]);
	form_collect(F, r->params, r->nparams, &raw);
	const char **upload_err = xcalloc(F->nfields, sizeof *upload_err);
	for (size_t i = 0; i < F->nfields; i++) {
		const struct param *p;
		char *val = NULL;
		if (F->fields[i].type != FT_FILE)
			continue;
		p = req_param_p(r, F->fields[i].code);
		if (!p || !p->filename || !*p->filename)
			continue;
		upload_err[i] = form_store_upload(r->conf, &F->fields[i], p, &val);
		if (val) {
			answers_set(&raw, i, val);
			free(val);
		}
	}
	nerr = form_validate(F, &raw, &clean, &chk);
	for (size_t i = 0; i < F->nfields; i++)
		if (upload_err[i]) {
			fcheck_replace(&chk, (int)i, upload_err[i]);
			nerr = chk.nerrors;
		}
	free(upload_err);

	/* A submit with errors is kept as a draft, so nothing typed is lost. */
	sr = response_save(r->db, F, r->user->id, r->user->region_code, 0, &clean,
	                   submit && nerr == 0, nerr == 0, expect);
	if (sr == SAVE_ERROR) {
		page_error(r, 503, "保存失败，请稍后再试。您填写的内容尚未保存，请不要关闭本页面，稍后点“后退”再提交。");
	} else if (sr == SAVE_LOCKED) {
		show(r, &resp, deadline, NULL, NULL, "本表已提交，本次修改未保存。", 1);
	} else if (sr == SAVE_CONFLICT) {
		/* Show what this tab posted with the stored version, so that a
		 * second save knowingly replaces the other one. */
		show(r, &resp, deadline, &raw, &chk,
		     "本表在您打开后已在其他窗口或由他人保存过，本次内容未保存。请核对下方内容，"
		     "再次保存将覆盖另一次保存的内容。", 1);
	} else {
		struct response now;
		if (submit && nerr == 0) {
			audit(r, "form_submit", F->name);
			resp_redirect(r, BASE "?submitted=1");
		} else if (!submit && chk.n == 0) {
			resp_redirect(r, BASE "?saved=1");
		} else if (response_load(r->db, F, r->user->id, &now) == 0) {
			char msg[160];
			if (submit)
				snprintf(msg, sizeof msg, "未能提交：有 %zu 处需要修改。已填写的内容已保存为草稿。", nerr);
			else if (nerr)
				snprintf(msg, sizeof msg, "草稿已保存。提交前还有 %zu 处需要修改。", nerr);
			else
				snprintf(msg, sizeof msg, "草稿已保存。有几处数据请核对（不影响提交）。");
			show(r, &now, deadline, &raw, &chk, msg, submit);
			response_free(&now);
		} else {
			response_free(&now);
			page_error(r, 503, "系统繁忙，请稍后再试。");
		}
	}
	fcheck_free(&chk);
	answers_free(&clean);
	answers_free(&raw);
	response_free(&resp);
}

static void handle(struct req *r)
{
	const char *rest;

	if (!path_match(r->path, BASE, &rest)) {
		page_error(r, 404, "页面不存在。");
		return;
	}
	if (!strcmp(rest, "/blank")) {
		if (r->is_post)
			page_error(r, 405, "不支持的请求方式。");
		else
			blank_page(r);
		return;
	}
	if (strcmp(rest, "") && strcmp(rest, "/") && strcmp(rest, "/print")) {
		page_error(r, 404, "页面不存在。");
		return;
	}
	/* Only the role that fills this questionnaire may open it. */
	if (auth_require(r, RB(F->role)) < 0)
		return;
	if (!strcmp(rest, "/print")) {
		if (r->is_post)
			page_error(r, 405, "不支持的请求方式。");
		else
			print_page(r);
	} else if (r->is_post) {
		post_form(r);
	} else {
		get_form(r);
	}
}

int main(void)
{
	char err[256];

	/* A codebook that does not parse must stop the program at start-up,
	 * not surface as a broken page later. */
	log_init("smesurvey-form-" FORM_NAME);
	if (forms_load(err, sizeof err) < 0) {
		log_err("codebook: %s", err);
		return 1;
	}
	F = form_get(FORM_NAME);
	if (!F) {
		log_err("no codebook for form %s", FORM_NAME);
		return 1;
	}
	return app_run("smesurvey-form-" FORM_NAME, handle);
}
