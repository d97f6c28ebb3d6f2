/*
 * integrity.c - the agency's review of flagged responses (issue 20, item 3).
 * See integrity.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggr.h"
#include "auth.h"
#include "db.h"
#include "flags.h"
#include "form.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "msg.h"
#include "integrity.h"
#include "util.h"

#define QUEUE_PAGE 100

const char *const integrity_decision_codes[] = { "none", "accepted", "excluded", "asked", NULL };
static const char *const decision_labels[ID__MAX] = {
	[ID_NONE] = "待审核", [ID_ACCEPTED] = "已接受（标记有合理解释）",
	[ID_EXCLUDED] = "已排除（不计入评估指标）", [ID_ASKED] = "已请地区核实",
};

const char *integrity_decision_label(const char *code)
{
	for (int i = 1; i < ID__MAX; i++)
		if (!strcmp(code, integrity_decision_codes[i]))
			return decision_labels[i];
	return decision_labels[ID_NONE];
}

const char *integrity_rule_label(const char *code)
{
	const struct flag_rule *rule = flag_rule(code);
	return rule ? rule->label : code;
}

static const char *form_title(const char *name)
{
	const struct form *f = form_get(name);
	return f ? f->title : name;
}

/* The rules' codes as "label、label". */
static void rules_text(struct req *r, const char *list)
{
	char *copy = xstrdup(list ? list : ""), *save = NULL;
	int first = 1;
	for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save), first = 0)
		h_printf(r, "%s<span class=\"rule\" data-rule=\"%s\">%s</span>", first ? "" : "<br>", c, integrity_rule_label(c));
	free(copy);
}

static void queue_filters(struct req *r, const char *region, const char *form, const char *rule)
{
	h_printf(r, "<form method=\"get\" action=\"/admin/integrity\" class=\"filters\">"
	         "<label>地区代码 <input name=\"region\" size=\"8\" value=\"%s\"></label> "
	         "<label>调查表 <select name=\"form\"><option value=\"\">全部</option>", region ? region : "");
	for (size_t i = 0; form_at(i); i++)
		h_option_of(r, form_at(i)->name, form_at(i)->title, form);
	h_raw(r, "</select></label> <label>规则 <select name=\"rule\"><option value=\"\">全部</option>");
	for (size_t i = 0; flag_rule_at(i); i++)
		h_option_of(r, flag_rule_at(i)->code, flag_rule_at(i)->label, rule);
	h_raw(r, "</select></label> <button type=\"submit\">筛选</button></form>");
}

void integrity_queue_page(struct req *r, const char *region, const char *form, const char *rule,
                  unsigned long long after)
{
	static const char *const cols[] = { "答卷", "地区", "调查表", "单位", "提交时间", "标记规则", "审核结论" };
	struct dbrows *rows;
	struct dbarg rg = region ? A_STR(region) : A_NULL, fm = form ? A_STR(form) : A_NULL,
	             ru = rule ? A_STR(rule) : A_NULL;
	if (db_query(r->db, STMT_FLAGREVIEW_QUEUE, DB_ARGS(rg, rg, fm, fm, A_INT(after), ru, ru, A_INT(QUEUE_PAGE + 1)),
	             &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "答卷可信度审核");
	h_raw(r, "<p>以下答卷被可信度规则标记（规则见系统说明）。请逐份查看原因，作出结论：接受、排除（不计入评估指标）"
	      "或请地区核实。结论可以修改或撤销，每次操作都记入审计日志。</p>");
	queue_filters(r, region, form, rule);
	h_table_begin(r, "review-queue", NULL, cols, NELEMS(cols));
	size_t n = rows->nrows > QUEUE_PAGE ? QUEUE_PAGE : rows->nrows;
	for (size_t i = 0; i < n; i++) {
		h_printf(r, "<tr data-id=\"%s\"><td><a href=\"/admin/integrity/response?id=%s\">%s</a></td>"
		         "<td>%s %s</td><td>%s</td><td>%s</td><td>%s</td><td>", dbrows_get(rows, i, 0),
		         dbrows_get(rows, i, 0), dbrows_get(rows, i, 0), dbrows_get(rows, i, 1), dbrows_get(rows, i, 2),
		         form_title(dbrows_get(rows, i, 3)), dbrows_get(rows, i, 4), dbrows_get(rows, i, 7));
		rules_text(r, dbrows_get(rows, i, 5));
		h_printf(r, "</td><td class=\"decision\">%s</td></tr>", integrity_decision_label(dbrows_get(rows, i, 6)));
	}
	if (!n)
		h_printf(r, "<tr><td colspan=\"%zu\">没有被标记的答卷。</td></tr>", NELEMS(cols));
	h_table_end(r);
	if (rows->nrows > QUEUE_PAGE) {
		struct buf next = { 0 };
		buf_printf(&next, "/admin/integrity?after=%s", dbrows_get(rows, n - 1, 0));
		if (region)
			buf_printf(&next, "&region=%s", region);
		if (form)
			buf_printf(&next, "&form=%s", form);
		if (rule)
			buf_printf(&next, "&rule=%s", rule);
		h_seek_pager(r, "待审核答卷", "", after ? "/admin/integrity" : NULL, next.data);
		buf_free(&next);
	}
	dbrows_free(rows);
	page_end(r);
}

/* The paradata in one table (nothing here reaches a respondent or region). */
static void paradata_table(struct req *r, unsigned long long id)
{
	static const char *const labels[] = { "首次打开", "首次保存", "提交", "有效作答时间（秒）", "保存次数",
	                                      "会话数", "浏览器数", "网络数", "浏览器类型", "提交网络", "本账户填写",
	                                      "地区代为录入（纸质表）" };
	struct dbrows *rows;
	if (db_query(r->db, STMT_PARADATA_OF_RESPONSE, DB_ARGS(A_INT(id)), &rows) < 0)
		return;
	h_raw(r, "<h2>作答过程</h2>");
	if (!rows->nrows) {
		h_raw(r, "<p>没有作答过程数据（迁移前提交，或已清除）。</p>");
		dbrows_free(rows);
		return;
	}
	h_raw(r, "<table class=\"paradata\"><tbody>");
	for (size_t c = 0; c < NELEMS(labels); c++) {
		const char *v = dbrows_get(rows, 0, c) ? dbrows_get(rows, 0, c) : "";
		/* Lists of hashes are shown by their size; the hashes mean nothing to a reader. */
		if (c >= 5 && c <= 7) {
			size_t n = *v ? 1 : 0;
			for (const char *p = v; *p; p++)
				n += *p == ',';
			h_printf(r, "<tr><th scope=\"row\">%s</th><td>%zu</td></tr>", labels[c], n);
		} else if (c >= 10) {
			h_printf(r, "<tr><th scope=\"row\">%s</th><td>%s</td></tr>", labels[c], strcmp(v, "1") ? "否" : "是");
		} else {
			h_printf(r, "<tr><th scope=\"row\">%s</th><td>%s</td></tr>", labels[c], v);
		}
	}
	h_raw(r, "</tbody></table>");
	dbrows_free(rows);
}

/* A value as the reader knows it: the option's label for a single choice. */
static const char *shown(const struct field *fd, const char *v)
{
	const char *l = v && fd->type == FT_SINGLE ? form_option_label(fd, v) : NULL;
	return l ? l : v ? v : "";
}

/* This response beside another of the same form, field by field. */
static void side_by_side(struct req *r, const struct form *f, unsigned long long id, unsigned long long other)
{
	struct answers a, b;
	size_t same = 0, both = 0;
	if (response_load_answers(r->db, f, id, &a) < 0)
		return;
	if (response_load_answers(r->db, f, other, &b) < 0) {
		answers_free(&a);
		return;
	}
	h_printf(r, "<h3>与答卷 <a href=\"/admin/integrity/response?id=%llu\">%llu</a> 对照</h3>"
	         "<div class=\"table-wrap\"><table class=\"side-by-side\"><thead><tr><th scope=\"col\">题目</th>"
	         "<th scope=\"col\">本答卷 %llu</th><th scope=\"col\">答卷 %llu</th></tr></thead><tbody>",
	         other, other, id, other);
	for (size_t i = 0; i < f->nfields; i++) {
		const char *x = a.v[i], *y = b.v[i];
		int eq = x && y && !strcmp(x, y);
		if (!x && !y)
			continue;
		both += x && y;
		same += eq;
		char *label = form_display_label(f->fields[i].label);
		h_printf(r, "<tr class=\"%s\"><th scope=\"row\">%s</th><td>%s</td><td>%s</td></tr>", eq ? "same" : "diff",
		         label, shown(&f->fields[i], x), shown(&f->fields[i], y));
		free(label);
	}
	h_printf(r, "</tbody></table></div><p>共同作答 %zu 项，其中相同 %zu 项（标为相同的行底色较深）。</p>", both, same);
	answers_free(&a);
	answers_free(&b);
}

/* Whether the token id (inside list, which strtok_r is cutting up) occurs
 * among the tokens before it. */
static int id_listed_before(const char *list, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = list; p < id; p += strlen(p) + 1)
		if (strlen(p) == n && !memcmp(p, id, n))
			return 1;
	return 0;
}

/* The flags: rule, figures, the others (links; the first near-duplicate
 * side by side). */
static void flags_list(struct req *r, const struct form *f, unsigned long long id)
{
	struct dbrows *rows;
	unsigned long long dup = 0;
	if (db_query(r->db, STMT_FLAGREVIEW_FLAGS_OF, DB_ARGS(A_INT(id)), &rows) < 0)
		return;
	h_raw(r, "<h2>标记原因</h2><ul class=\"flags\">");
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *others = dbrows_get(rows, i, 2) ? dbrows_get(rows, i, 2) : "";
		h_printf(r, "<li data-rule=\"%s\"><strong>%s</strong>：%s", dbrows_get(rows, i, 0),
		         integrity_rule_label(dbrows_get(rows, i, 0)), dbrows_get(rows, i, 1));
		if (*others) {
			char *copy = xstrdup(others), *save = NULL;
			h_raw(r, "<br>涉及的其他答卷：");
			/* Its own findings, then who found it: an id may be in both. */
			for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save))
				if (!id_listed_before(copy, o))
					h_printf(r, "<a class=\"other\" href=\"/admin/integrity/response?id=%s\">%s</a> ", o, o);
			if (!dup && !strcmp(dbrows_get(rows, i, 0), "neardup"))
				dup = strtoull(others, NULL, 10);
			free(copy);
		}
		h_raw(r, "</li>");
	}
	h_raw(r, "</ul>");
	dbrows_free(rows);
	if (dup && f)
		side_by_side(r, f, id, dup);
}

static void decision_form(struct req *r, unsigned long long id, const char *decision, const char *note,
                          const char *error)
{
	h_printf(r, "<h2>审核结论</h2><form method=\"post\" action=\"/admin/integrity/response?id=%llu\">", id);
	if (error)
		h_printf(r, "<p class=\"error\" role=\"alert\" id=\"note-error\">%s</p>", error);
	h_csrf_field(r);
	h_raw(r, "<fieldset><legend>结论</legend>");
	for (int i = 0; i < ID__MAX; i++)
		h_printf(r, "<label><input type=\"radio\" name=\"decision\" value=\"%s\"%s> %s</label><br>",
		         integrity_decision_codes[i],
		         !strcmp(decision, i ? integrity_decision_codes[i] : "") ? " checked" : "",
		         i ? decision_labels[i] : "撤销结论（回到待审核）");
	h_printf(r, "</fieldset><p><label for=\"note\">说明（请地区核实时必填，至多 500 字）</label><br>"
	         "<textarea id=\"note\" name=\"note\" rows=\"3\" cols=\"60\" maxlength=\"500\">%s</textarea></p>"
	         "<p><button type=\"submit\">保存结论</button></p></form>", note);
}

/* The page; error and the posted decision and note when a post is refused. */
static void response_page(struct req *r, unsigned long long id, const char *error, const char *decision,
                          const char *note)
{
	struct dbrows *m;
	if (db_query(r->db, STMT_FLAGREVIEW_RESPONSE, DB_ARGS(A_INT(id)), &m) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (!m->nrows) {
		dbrows_free(m);
		page_error(r, 404, MSG_NO_RESPONSE);
		return;
	}
	const struct form *f = form_get(dbrows_get(m, 0, 0));
	char title[64];
	snprintf(title, sizeof title, "答卷 %llu 的可信度审核", id);
	page_begin(r, title);
	h_printf(r, "<p><a href=\"/admin/integrity\">返回审核列表</a>　<a href=\"/admin/responses/view?id=%llu\">查看答卷</a></p>"
	         "<p>%s %s　%s　%s（%s）　状态：%s</p><p class=\"decision\">当前结论：%s", id,
	         dbrows_get(m, 0, 1), dbrows_get(m, 0, 2), form_title(dbrows_get(m, 0, 0)), dbrows_get(m, 0, 3),
	         dbrows_get(m, 0, 4), strcmp(dbrows_get(m, 0, 5), "submitted") ? "草稿" : "已提交",
	         integrity_decision_label(dbrows_get(m, 0, 6)));
	if (*dbrows_get(m, 0, 6))
		h_printf(r, "（%s，%s）%s%s", dbrows_get(m, 0, 9), dbrows_get(m, 0, 8),
		         *dbrows_get(m, 0, 7) ? "：" : "", dbrows_get(m, 0, 7));
	h_raw(r, "</p>");
	flags_list(r, f, id);
	paradata_table(r, id);
	decision_form(r, id, decision ? decision : dbrows_get(m, 0, 6), note ? note : dbrows_get(m, 0, 7), error);
	dbrows_free(m);
	page_end(r);
}

void integrity_response_page(struct req *r, unsigned long long id)
{
	response_page(r, id, NULL, NULL, NULL);
}

/* What a note may be: UTF-8, at most 500 characters, no control
 * characters but line breaks. NULL when fine, else the message. */
static const char *note_problem(const char *note, enum integrity_decision d)
{
	if (!utf8_valid(note, strlen(note)) || utf8_len(note) > 500)
		return MSG_NOTE_TOO_LONG;
	for (const unsigned char *p = (const unsigned char *)note; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\r')
			return "说明中有无法保存的控制字符，请删除后再保存。";
	if (d == ID_ASKED && !*note)
		return "请地区核实时，请写明需要地区核实的内容。";
	return NULL;
}

struct decide_tx {
	unsigned long long id, by;
	enum integrity_decision d;
	const char *note;
	int found;
};

static int decide_body(struct db *db, void *ctx, int attempt)
{
	struct decide_tx *x = ctx;
	struct dbrows *rows;
	(void)attempt;
	if (db_query(db, STMT_FLAGREVIEW_LOCK, DB_ARGS(A_INT(x->id)), &rows) < 0)
		return -1;
	x->found = rows->nrows > 0;
	dbrows_free(rows);
	if (!x->found)
		return 1;
	if (x->d == ID_NONE ? db_exec(db, STMT_FLAGREVIEW_DELETE, DB_ARGS(A_INT(x->id)), NULL, NULL) < 0 :
	    db_exec(db, STMT_FLAGREVIEW_SET, DB_ARGS(A_INT(x->id), A_STR(integrity_decision_codes[x->d]), A_STR(x->note),
	            A_INT(x->by)), NULL, NULL) < 0)
		return -1;
	/* In or out of the indicators, in this transaction. */
	return aggr_sync(db, x->id) < 0 ? -1 : 0;
}

void integrity_decide(struct req *r, unsigned long long id, enum integrity_decision d, const char *note)
{
	const char *problem = note_problem(note ? note : "", d);
	struct decide_tx x = { .id = id, .by = r->user->id, .d = d, .note = note ? note : "" };
	char loc[80];
	if (problem) {
		resp_status(r, 422);
		response_page(r, id, problem, integrity_decision_codes[d], x.note);
		return;
	}
	int rc = db_transaction(r->db, decide_body, &x);
	if (rc < 0) {
		page_error(r, 503, "保存失败，请稍后再试。");
		return;
	}
	if (!x.found) {
		page_error(r, 404, "这份答卷没有被标记，无需审核。");
		return;
	}
	struct buf d2 = { 0 };
	buf_printf(&d2, "response=%llu decision=%s note=%.200s", id, integrity_decision_codes[d], x.note);
	audit(r, "flag-review", d2.data);
	buf_free(&d2);
	snprintf(loc, sizeof loc, "/admin/integrity/response?id=%llu&saved=1", id);
	resp_redirect(r, loc);
}

void integrity_region_notice(struct req *r, const char *region)
{
	struct dbrows *rows;
	if (db_query(r->db, STMT_FLAGREVIEW_REGION_COUNT, DB_ARGS(A_STR(region)), &rows) < 0)
		return;
	long long n = rows->nrows ? dbrows_int(rows, 0, 0) : 0, asked = rows->nrows ? dbrows_int(rows, 0, 1) : 0;
	dbrows_free(rows);
	if (!n)
		return;
	h_printf(r, "<p class=\"notice under-review\" data-under-review=\"%lld\">本地区有 %lld 份答卷正在接受评估机构的"
	         "可信度审核", n, n);
	if (asked)
		h_printf(r, "，其中 %lld 份评估机构请本地区核实，评估机构将与本地区联系", asked);
	h_raw(r, "。</p>");
}
