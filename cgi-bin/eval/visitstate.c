/*
 * visitstate.c - a visit's state changes (asked first, audited) and its
 * printable notice (visits.h).
 */
#include "visits.h"
#include "auth.h"
#include "db.h"
#include "html.h"
#include "http.h"
#include "msg.h"
#include "pdfdoc.h"
#include "util.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REASON_MAX 500

/* The state changes, in the order of visit_state_actions: from which
 * states, to which, what to ask, and whether a reason is asked for. */
enum { VS_NOTIFY, VS_DONE, VS_CANCEL, VS__COUNT };
const char *const visit_state_actions[VS__COUNT + 1] = {
	[VS_NOTIFY] = "notify", [VS_DONE] = "done", [VS_CANCEL] = "cancel", NULL
};
static const struct transition {
	const char *from1, *from2, *to, *label, *question;
	int         with_reason;
} transitions[VS__COUNT] = {
	[VS_NOTIFY] = { "planned", "planned", "notified", "已发出走访通知",
	                "确认已将走访通知发给地区？地区随后在系统中看到这次走访并确认。", 0 },
	[VS_DONE]   = { "notified", "notified", "done", "走访已完成", "确认这次走访已经完成？", 0 },
	[VS_CANCEL] = { "planned", "notified", "cancelled", "取消走访",
	                "确认取消这次走访？取消后不能恢复，地区会看到取消原因；需要时请重新安排。", 1 },
};

/* The confirmation page: the question, the reason when cancelling. */
static void ask(struct req *r, const struct transition *t, const char *reason, const char *err)
{
	if (err)
		resp_status(r, 422);
	page_begin(r, t->label);
	h_printf(r, "<p>%s</p><form method=\"post\" action=\"/agency/visits/state?id=%llu\">", t->question,
	         r->arg[WK_ID].id);
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"action\" value=\"%s\"><input type=\"hidden\" name=\"confirm\" value=\"1\">",
	         visit_state_actions[t - transitions]);
	if (t->with_reason) {
		h_raw(r, "<p class=\"field\"><label for=\"reason\">取消原因（必填）</label><textarea id=\"reason\" name=\"reason\" rows=\"3\"");
		h_raw(r, err ? " aria-invalid=\"true\" aria-describedby=\"e-reason\">" : ">");
		h_printf(r, "%s</textarea>", reason ? reason : "");
		if (err)
			h_printf(r, "<span class=\"field-error\" id=\"e-reason\">%s</span>", err);
		h_raw(r, "</p>");
	}
	h_printf(r, "<p><button type=\"submit\">%s</button> <a href=\"/agency/visits/visit?id=%llu\">返回</a></p></form>",
	         t->label, r->arg[WK_ID].id);
	page_end(r);
}

void visit_state_post(struct req *r)
{
	/* The page table checked the action (PT_ENUM, required). */
	const struct transition *t = &transitions[r->arg[WK_ACTION].n];
	const char *reason = ws_arg(r, WK_REASON);
	unsigned long long changed = 0;
	char detail[700], to[80];

	if (!r->arg[WK_CONFIRM].present) {
		ask(r, t, NULL, NULL);
		return;
	}
	if (t->with_reason && (!reason || !*reason || !utf8_valid(reason, strlen(reason)) ||
	                                    utf8_len(reason) > REASON_MAX)) {
		ask(r, t, reason, reason && *reason ? "取消原因不能超过 500 字" : "请填写取消原因");
		return;
	}
	if (db_exec(r->db, STMT_VISIT_STATE, DB_ARGS(A_STR(t->to), A_STR(t->with_reason ? reason : ""),
	            A_INT(r->arg[WK_ID].id), A_STR(t->from1), A_STR(t->from2)), &changed, NULL) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (changed == 0) {
		page_error(r, 409, "这次走访的状态已经变了，不能再这样修改。请返回查看。");
		return;
	}
	snprintf(detail, sizeof detail, "visit=%llu state=%s%s%.600s", r->arg[WK_ID].id, t->to,
	         t->with_reason ? " reason=" : "", t->with_reason ? reason : "");
	audit(r, "visit-state", detail);
	snprintf(to, sizeof to, "/agency/visits/visit?id=%llu&ok=state", r->arg[WK_ID].id);
	resp_redirect(r, to);
}

/* ------------------------------------------------------------ notice */

/* The schedule table: day, whom, kind. */
static void notice_schedule(struct pdfdoc *d, const struct dbrows *objs)
{
	static const double w[] = { 35, 95, 40 };
	const char **cells = xcalloc((objs->nrows + 1) * 3, sizeof *cells);
	cells[0] = "日期";
	cells[1] = "走访对象";
	cells[2] = "类型";
	for (size_t i = 0; i < objs->nrows; i++) {
		int authority = dbrows_int(objs, i, 0) == 0;
		cells[(i + 1) * 3] = dbrows_get(objs, i, 1);
		cells[(i + 1) * 3 + 1] = authority ? "地区项目责任主体" : dbrows_get(objs, i, 3);
		cells[(i + 1) * 3 + 2] = authority ? "地区项目责任主体" : ws_unit_kind(dbrows_get(objs, i, 2));
	}
	pdf_table(d, w, 3, cells, objs->nrows + 1, 0);
	free(cells);
}

static void notice_team(struct pdfdoc *d, const struct dbrows *team)
{
	struct buf b = { 0 };
	for (size_t i = 0; i < team->nrows; i++)
		buf_printf(&b, "%s%s%s%s", i ? "；" : "",
		           *dbrows_get(team, i, 3) ? dbrows_get(team, i, 3) : dbrows_get(team, i, 2),
		           *dbrows_get(team, i, 4) ? "，电话 " : "", dbrows_get(team, i, 4));
	pdf_para(d, team->nrows ? b.data : "（待定）");
	buf_free(&b);
}

static int notice_render(const struct dbrows *v, const struct dbrows *team, const struct dbrows *objs,
                         struct buf *out)
{
	struct pdfdoc *d = pdf_begin("实地走访调查通知");
	struct buf p = { 0 };
	if (!d)
		return -1;
	pdf_title(d, "首批中小企业公共服务平台网络项目评估");
	pdf_title(d, "实地走访调查通知");
	buf_printf(&p, "%s中小企业主管部门：\n根据《工业和信息化部办公厅关于开展首批中小企业公共服务平台网络项目评估工作的通知》"
	           "（工信厅企业函〔2013〕782号）第五条，评估机构（中国国际工程咨询公司）定于 %s 至 %s "
	           "对贵地区进行实地走访调查，查阅相关项目文档资料，了解项目建设和实际运营情况，并在走访的地区枢纽平台"
	           "和部分窗口平台召开服务资源单位和中小企业座谈会。请做好准备并在系统中确认。",
	           dbrows_get(v, 0, VC_REGION_NAME), dbrows_get(v, 0, VC_STARTS), dbrows_get(v, 0, VC_ENDS));
	pdf_para(d, p.data);
	pdf_heading(d, "一、日程");
	notice_schedule(d, objs);
	pdf_heading(d, "二、请准备的材料");
	pdf_para(d, dbrows_get(v, 0, VC_PREPARE));
	pdf_heading(d, "三、评估机构走访人员");
	notice_team(d, team);
	pdf_heading(d, "四、地区联系人");
	buf_reset(&p);
	buf_printf(&p, "%s%s%s", *dbrows_get(v, 0, VC_CONTACT) ? dbrows_get(v, 0, VC_CONTACT) : "（请在系统中确认时告知）",
	           *dbrows_get(v, 0, VC_PHONE) ? "，电话 " : "", dbrows_get(v, 0, VC_PHONE));
	pdf_para(d, p.data);
	pdf_space(d, 8);
	pdf_para(d, "评估机构：中国国际工程咨询公司\n联系人：邓军　联系电话：010-68460437");
	buf_free(&p);
	return pdf_end(d, out);
}

void visit_notice_pdf(struct req *r)
{
	struct dbrows *v, *team = NULL, *objs = NULL;
	struct buf pdf = { 0 };
	char name[64];

	if (db_query(r->db, STMT_VISIT_GET, DB_ARGS(A_INT(r->arg[WK_ID].id)), &v) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (v->nrows == 0) {
		page_error(r, 404, WS_MSG_NO_VISIT);
	} else if (db_query(r->db, STMT_VISIT_TEAM, DB_ARGS(A_INT(r->arg[WK_ID].id)), &team) < 0 ||
	           db_query(r->db, STMT_VISIT_OBJECTS, DB_ARGS(A_INT(r->arg[WK_ID].id)), &objs) < 0 ||
	           notice_render(v, team, objs, &pdf) < 0) {
		page_error(r, 503, "走访通知暂时无法生成，请稍后再试。");
	} else {
		snprintf(name, sizeof name, "走访通知-%s-%s.pdf", dbrows_get(v, 0, VC_REGION), dbrows_get(v, 0, VC_STARTS));
		resp_header(r, "Content-Type", "application/pdf");
		resp_attachment(r, name);
		buf_reset(&r->body);
		buf_put(&r->body, pdf.data, pdf.len);
	}
	if (team)
		dbrows_free(team);
	if (objs)
		dbrows_free(objs);
	dbrows_free(v);
	buf_free(&pdf);
}
