/*
 * followup.c - follow-up lists of a region (issue 11, item 4); see followup.h.
 */
#include "msg.h"
#include "followup.h"
#include "auth.h"
#include "codes.h"
#include "conf.h"
#include "csv.h"
#include "db.h"
#include "html.h"
#include "http.h"
#include "params.h"
#include "strata.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_ROWS   100    /* rows of the list page (~70 KB of HTML) */
#define PRINT_ROWS  200    /* rows of one call sheet */
#define CSV_CHUNK   1000   /* units fetched per query for the CSV */
#define NOTE_MAX    500    /* characters of a note (followups.note) */

/* kind=: the construction units, or one stratum of the sample. */
static const char *const kinds[] = { "construction", "hub", "window", "sme", NULL };
/* status=: the unit's state; labels in the same order. */
static const char *const states[] = { "unreg", "nostart", "draft", NULL };
static const char *const state_labels[] = { "未注册", "已注册未提交", "草稿" };
static const char *const formats[] = { "utf8", "gb18030", NULL };
/* The outcome of a call (followups.outcome); labels in the same order. */
static const char *const outcomes[] = { "called", "no_answer", "will_submit", "refused", NULL };
static const char *const outcome_labels[] = { "已致电", "未接通", "承诺提交", "拒绝" };

const struct pspec followup_list_params[] = {
	{ FU_KEY_KIND, "kind", PT_ENUM, 0, 0, 0, kinds, 0, NULL, 0 },
	{ FU_KEY_STATUS, "status", PT_ENUM, 0, 0, 0, states, 0, NULL, 0 },
	P_TEXT(FU_KEY_Q, "q", 64),
	P_AFTER(FU_KEY_AFTER),
	P_REGION_CODE(FU_KEY_REGION, "region", 0, 404, MSG_NO_REGION),
	{ FU_KEY_FORMAT, "format", PT_ENUM, 0, 0, 0, formats, 0, NULL, 0 },
	{ 0 },
};

const struct pspec followup_unit_params[] = {
	{ FU_KEY_UNIT, "unit", PT_ID, 0, 0, 0, NULL, 404, MSG_NO_UNIT, 0 },
	{ FU_KEY_ACCOUNT, "account", PT_ID, 0, 0, 0, NULL, 404, MSG_NO_UNIT, 0 },
	{ FU_KEY_SAVED, "saved", PT_INT, 0, 0, 1, NULL, 0, NULL, 0 },
	{ 0 },
};

const struct pspec followup_record_params[] = {
	{ FU_KEY_UNIT, "unit", PT_ID, 0, 0, 0, NULL, 404, MSG_NO_UNIT, 0 },
	{ FU_KEY_ACCOUNT, "account", PT_ID, 0, 0, 0, NULL, 404, MSG_NO_UNIT, 0 },
	{ FU_KEY_OUTCOME, "outcome", PT_ENUM, 0, 0, 0, outcomes, 0, NULL, 0 },
	{ FU_KEY_NOTE, "note", PT_STR, 0, 0, 4 * NOTE_MAX, NULL, 400, MSG_NOTE_TOO_LONG, 0 },
	{ 0 },
};

static const char *state_label(const char *s)
{
	for (size_t i = 0; states[i]; i++)
		if (s && strcmp(s, states[i]) == 0)
			return state_labels[i];
	return s ? s : "";
}

const char *followup_outcome_label(const char *s)
{
	for (size_t i = 0; outcomes[i]; i++)
		if (s && strcmp(s, outcomes[i]) == 0)
			return outcome_labels[i];
	return s ? s : "";
}

static const char *arg_enum(const struct req *r, unsigned key, const char *const *values)
{
	return r->arg[key].present ? values[r->arg[key].n] : "";
}

/* The ministry's way in: one link per region. */
static void region_chooser(struct req *r, const char *base)
{
	struct dbrows *g;
	if (db_query(r->db, STMT_REGION_LIST, DB_NOARGS, &g) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "各地区跟进名单");
	h_raw(r, "<p>选择地区，查看其尚未注册或尚未提交调查表的单位及跟进记录。</p><ul class=\"regions\">");
	for (size_t i = 0; i < g->nrows; i++) {
		struct buf u = { 0 };
		buf_printf(&u, "%s?region=", base);
		url_encode(&u, dbrows_get(g, i, 0));
		h_printf(r, "<li><a href=\"%s\">%s %s</a></li>", u.data, dbrows_get(g, i, 0), dbrows_get(g, i, 1));
		buf_free(&u);
	}
	h_raw(r, "</ul>");
	dbrows_free(g);
	page_end(r);
}

/* The region whose list is asked for: a region's own (another region's
 * code answers 403); the ministry names one with region= (without it:
 * the region chooser when chooser_base is given, else 404). NULL once an
 * answer has been written. */
static const char *target_region(struct req *r, const char *chooser_base)
{
	const char *asked = r->arg[FU_KEY_REGION].present ? r->arg[FU_KEY_REGION].s : NULL;
	char *name = NULL;

	if (r->user->role == ROLE_REGION) {
		if (asked && strcmp(asked, r->user->region_code)) {
			page_error(r, 403, "只能查看本地区的跟进名单。");
			return NULL;
		}
		return r->user->region_code;
	}
	if (!asked && chooser_base) {
		region_chooser(r, chooser_base);
		return NULL;
	}
	if (!asked) {
		page_error(r, 404, "请先选择地区。");
		return NULL;
	}
	if (db_query_str(r->db, STMT_REGION_NAME, DB_ARGS(A_STR(asked)), &name) < 0) {
		page_error(r, 503, MSG_BUSY);
		return NULL;
	}
	if (!name) {
		page_error(r, 404, MSG_NO_REGION);
		return NULL;
	}
	free(name);
	return asked;
}

/* The list's filters as a query string (without after=), for links. */
static void filter_query(const struct req *r, struct buf *b)
{
	const char *kind = arg_enum(r, FU_KEY_KIND, kinds), *st = arg_enum(r, FU_KEY_STATUS, states);
	const char *q = r->arg[FU_KEY_Q].present ? r->arg[FU_KEY_Q].s : "";
	buf_puts(b, "?kind=");
	url_encode(b, kind);
	buf_puts(b, "&status=");
	url_encode(b, st);
	buf_puts(b, "&q=");
	url_encode(b, q);
	if (r->user->role != ROLE_REGION) {
		buf_puts(b, "&region=");
		url_encode(b, r->arg[FU_KEY_REGION].s);
	}
}

/* The units of one page: ids above after, at most limit rows. */
static int query_units(struct req *r, const char *region, unsigned long long after, long limit,
                       struct dbrows **out)
{
	const char *kind = arg_enum(r, FU_KEY_KIND, kinds), *st = arg_enum(r, FU_KEY_STATUS, states);
	const char *q = r->arg[FU_KEY_Q].present ? r->arg[FU_KEY_Q].s : "";
	const char *stratum = strcmp(kind, "construction") ? kind : "";
	return db_query(r->db, STMT_FOLLOWUP_UNITS,
	                DB_ARGS(A_STR(region), A_INT(after), A_STR(stratum), A_STR(stratum), A_STR(st),
	                        A_STR(st), A_STR(q), A_STR(q), A_INT(limit)), out);
}

static int query_accounts(struct req *r, const char *region, struct dbrows **out)
{
	const char *st = arg_enum(r, FU_KEY_STATUS, states);
	const char *q = r->arg[FU_KEY_Q].present ? r->arg[FU_KEY_Q].s : "";
	return db_query(r->db, STMT_FOLLOWUP_ACCOUNTS,
	                DB_ARGS(A_STR(region), A_STR(role_code(ROLE_HUB)), A_STR(role_code(ROLE_WINDOW)),
	                        A_STR(st), A_STR(st), A_STR(q), A_STR(q)), out);
}

/* Which parts the filters select: construction units (never "unregistered":
 * their accounts exist) and sampled units (not when kind=construction). */
static int wants_accounts(const struct req *r)
{
	const char *kind = arg_enum(r, FU_KEY_KIND, kinds), *st = arg_enum(r, FU_KEY_STATUS, states);
	return (!*kind || strcmp(kind, "construction") == 0) && strcmp(st, "unreg") != 0;
}

static int wants_units(const struct req *r)
{
	return strcmp(arg_enum(r, FU_KEY_KIND, kinds), "construction") != 0;
}

/* k.region (region=; NULL: the user's own), the construction roles, the
 * filters, and whether the first page reads construction units at all
 * (query_accounts above, for the list and the CSV). */
int followup_list_session_args(const struct req *r, struct dbarg *out)
{
	int first = !r->arg[FU_KEY_AFTER].present || r->arg[FU_KEY_AFTER].id == 0;
	out[0] = A_STR(r->arg[FU_KEY_REGION].present ? r->arg[FU_KEY_REGION].s : NULL);
	out[1] = A_STR(role_code(ROLE_HUB));
	out[2] = A_STR(role_code(ROLE_WINDOW));
	out[3] = A_STR(arg_enum(r, FU_KEY_STATUS, states));
	out[4] = A_STR(r->arg[FU_KEY_Q].present ? r->arg[FU_KEY_Q].s : "");
	out[5] = A_INT(first && wants_accounts(r));
	return 6;
}

static const char *construction_label(const char *role)
{
	return role_label(role_parse(role));
}

/* "N 天前<verb>" with the date under it, or none. */
static void age_cell(struct req *r, const char *at, const char *days, const char *none, const char *verb)
{
	if (!at) {
		h_printf(r, "<td>%s</td>", none);
		return;
	}
	if (days && strcmp(days, "0") == 0)
		h_printf(r, "<td>今天%s<br><small>", verb);
	else
		h_printf(r, "<td>%s 天前%s<br><small>", days ? days : "", verb);
	h_textn(r, at, strlen(at) < 10 ? strlen(at) : 10);
	h_raw(r, "</small></td>");
}

static void last_cell(struct req *r, const char *outcome, const char *at, const char *note)
{
	if (!outcome) {
		h_raw(r, "<td>—</td>");
		return;
	}
	h_printf(r, "<td><strong>%s</strong> <small>", followup_outcome_label(outcome));
	h_textn(r, at ? at : "", at && strlen(at) >= 16 ? 16 : (at ? strlen(at) : 0));
	h_printf(r, "</small>%s%s</td>", note && *note ? "<br>" : "", note ? note : "");
}

/* The invitation link of an unregistered unit whose slip was printed: its
 * code derived again (codes.h) and checked against the stored hash, so a
 * changed code_secret gives no link rather than a wrong one. 1 when made. */
static int invitation_link(const struct req *r, const struct dbrows *u, size_t i, struct buf *out)
{
	const char *issue = dbrows_get(u, i, 11), *lookup = dbrows_get(u, i, 12);
	const char *secret = r->conf->code_secret;
	char code[CODE_LEN + 1];
	unsigned char h[32];

	if (strcmp(dbrows_get(u, i, 5), "unreg") || !dbrows_get(u, i, 6) || !issue || !lookup ||
	    u->lens[i * u->ncols + 12] != 32 || !secret || !*secret)
		return 0;
	code_derive(secret, strtoull(dbrows_get(u, i, 0), NULL, 10), (unsigned)strtoul(issue, NULL, 10), code);
	code_hash(code, h);
	if (!ct_equal(h, lookup, 32))
		return 0;
	/* A code opens the unit's account to whoever holds it: only the region
	 * and the ministry's admin get it; the read-only viewer (and any role
	 * added later) sees that a slip exists, never the code (issue 18). */
	if (r->user->role != ROLE_REGION && r->user->role != ROLE_ADMIN)
		buf_puts(out, "（邀请码已隐藏：仅地区和部管理员可见）");
	else
		buf_printf(out, "%s/register?code=%s", r->conf->base_url, code);
	explicit_bzero(code, sizeof code);
	return 1;
}

static void filter_form(struct req *r, const char *base)
{
	static const char *const kind_labels[] = { "项目承建单位", "服务资源单位（地区枢纽平台）",
	                                           "服务资源单位（窗口平台）", "中小企业" };
	h_printf(r, "<form method=\"get\" action=\"%s\" class=\"filters no-print\"><fieldset><legend>筛选</legend>", base);
	if (r->user->role != ROLE_REGION)
		h_printf(r, "<input type=\"hidden\" name=\"region\" value=\"%s\">", r->arg[FU_KEY_REGION].s);
	h_raw(r, "<label for=\"kind\">类别</label> <select id=\"kind\" name=\"kind\"><option value=\"\">全部</option>");
	for (size_t i = 0; kinds[i]; i++)
		h_option(r, kinds[i], kind_labels[i],
		         r->arg[FU_KEY_KIND].present && (size_t)r->arg[FU_KEY_KIND].n == i);
	h_raw(r, "</select> <label for=\"status\">状态</label> <select id=\"status\" name=\"status\">"
	      "<option value=\"\">全部</option>");
	for (size_t i = 0; states[i]; i++)
		h_option(r, states[i], state_labels[i],
		         r->arg[FU_KEY_STATUS].present && (size_t)r->arg[FU_KEY_STATUS].n == i);
	h_printf(r, "</select> <label for=\"q\">单位名称</label> <input id=\"q\" name=\"q\" value=\"%s\" maxlength=\"64\"> "
	         "<button type=\"submit\">筛选</button></fieldset></form>",
	         r->arg[FU_KEY_Q].present ? r->arg[FU_KEY_Q].s : "");
}

static void accounts_table(struct req *r, const char *base, const struct dbrows *a, int print, int can_record)
{
	static const char *const cols[] = { "类别", "单位名称", "联系人", "电话", "用户名", "状态", "最后登录",
	                                    "最近跟进", "跟进" };
	static const char *const pcols[] = { "类别", "单位名称", "联系人", "电话", "用户名", "状态", "最近跟进",
	                                     "通话结果", "备注" };
	h_raw(r, "<h2 id=\"construction\">项目承建单位</h2>");
	h_table_begin(r, print ? "callsheet" : "followups", NULL, print ? pcols : cols, 9);
	for (size_t i = 0; i < a->nrows; i++) {
		/* Contact and phone: the import-accounts columns (sql/012). */
		h_printf(r, "<tr data-account=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>",
		         dbrows_get(a, i, 0), construction_label(dbrows_get(a, i, 1)), dbrows_get(a, i, 2),
		         *dbrows_get(a, i, 9) ? dbrows_get(a, i, 9) : "—",
		         *dbrows_get(a, i, 10) ? dbrows_get(a, i, 10) : "—",
		         dbrows_get(a, i, 3), state_label(dbrows_get(a, i, 4)));
		if (!print)
			h_printf(r, "<td>%s</td>", dbrows_get(a, i, 5) ? dbrows_get(a, i, 5) : "从未登录");
		last_cell(r, dbrows_get(a, i, 6), dbrows_get(a, i, 7), dbrows_get(a, i, 8));
		if (print)
			h_raw(r, "<td class=\"blank\"></td><td class=\"blank\"></td></tr>");
		else
			h_printf(r, "<td><a href=\"%s/unit?account=%s\">%s</a></td></tr>", base, dbrows_get(a, i, 0),
			         can_record ? "记录跟进" : "跟进记录");
	}
	if (a->nrows == 0)
		h_raw(r, "<tr><td colspan=\"9\">没有需要跟进的项目承建单位。</td></tr>");
	h_table_end(r);
}

static void units_table(struct req *r, const char *base, const struct dbrows *u, size_t n, int print,
                        int can_record)
{
	static const char *const cols[] = { "类别", "单位名称", "联系人", "电话", "状态", "邀请单",
	                                    "邀请链接", "最近跟进", "跟进" };
	static const char *const pcols[] = { "类别", "单位名称", "联系人", "电话", "状态", "邀请单",
	                                     "最近跟进", "通话结果", "备注" };
	h_raw(r, "<h2 id=\"units\">抽中单位</h2>");
	h_table_begin(r, print ? "callsheet" : "followups", NULL, print ? pcols : cols, 9);
	for (size_t i = 0; i < n; i++) {
		const char *id = dbrows_get(u, i, 0);
		h_printf(r, "<tr data-unit=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>", id,
		         stratum_category_of(dbrows_get(u, i, 1)), dbrows_get(u, i, 2), dbrows_get(u, i, 3),
		         dbrows_get(u, i, 4), state_label(dbrows_get(u, i, 5)));
		age_cell(r, dbrows_get(u, i, 6), dbrows_get(u, i, 7), "未打印", "打印");
		if (!print)
			age_cell(r, dbrows_get(u, i, 8), dbrows_get(u, i, 9), "未打开", "打开");
		last_cell(r, dbrows_get(u, i, 14), dbrows_get(u, i, 15), dbrows_get(u, i, 16));
		if (print) {
			h_raw(r, "<td class=\"blank\"></td><td class=\"blank\"></td></tr>");
			continue;
		}
		h_printf(r, "<td><a href=\"%s/unit?unit=%s\">%s</a>", base, id, can_record ? "记录跟进" : "跟进记录");
		/* A selected unit that refused: the existing replacement, confirmed there. */
		if (can_record && dbrows_get(u, i, 14) && strcmp(dbrows_get(u, i, 14), "refused") == 0 &&
		    strcmp(dbrows_get(u, i, 10), "selected") == 0)
			h_printf(r, "<br><a href=\"%s/unit?unit=%s#replace\">以备选单位替换…</a>", base, id);
		h_raw(r, "</td></tr>");
	}
	if (n == 0)
		h_raw(r, "<tr><td colspan=\"9\">没有符合条件的需要跟进的抽中单位。</td></tr>");
	h_table_end(r);
}

static void list_title(struct req *r, const char *region, const char *suffix)
{
	char *name = NULL;
	struct buf t = { 0 };
	db_query_str(r->db, STMT_REGION_NAME, DB_ARGS(A_STR(region)), &name);
	buf_printf(&t, "%s%s", name ? name : region, suffix);
	page_begin(r, t.data);
	buf_free(&t);
	free(name);
}

void followup_list(struct req *r, const char *base, int print)
{
	const char *region = target_region(r, base);
	struct dbrows *a = NULL, *u = NULL;
	unsigned long long after = r->arg[FU_KEY_AFTER].present ? r->arg[FU_KEY_AFTER].id : 0;
	long limit = print ? PRINT_ROWS : PAGE_ROWS;
	int can_record = r->user->role == ROLE_REGION;
	struct buf fq = { 0 };

	if (!region)
		return;
	/* The construction units (a few) head the first page only. */
	if ((after == 0 && wants_accounts(r) && query_accounts(r, region, &a) < 0) ||
	    (wants_units(r) && query_units(r, region, after, limit + 1, &u) < 0)) {
		dbrows_free(a);
		page_error(r, 503, MSG_BUSY);
		return;
	}
	filter_query(r, &fq);
	list_title(r, region, print ? " · 电话跟进表" : " · 跟进名单");
	if (print) {
		/* The site's CSP allows no inline handler: print.js binds the button. */
		h_raw(r, "<p class=\"no-print\"><button type=\"button\" data-print hidden>打印</button></p>"
		      "<script src=\"/static/print.js\" defer></script>"
		      "<p>尚未提交调查表的单位。通话后请在“通话结果”栏记下已致电、未接通、承诺提交或拒绝，"
		      "并回到跟进名单录入。</p>");
	} else {
		h_raw(r, "<p>尚未注册或尚未提交调查表的抽中单位（入样单位及递补的备选单位）和项目承建单位，"
		      "附联系人、电话（来自样本框或注册时填写）和邀请单情况。请逐一电话跟进，并记录跟进结果；"
		      "抽中单位明确拒绝参加的，可在记录后以备选单位替换。</p>");
		filter_form(r, base);
		h_printf(r, "<p class=\"no-print\"><a href=\"%s/print%s\">打印电话跟进表</a> · "
		         "<a href=\"%s.csv%s\">下载 CSV（UTF-8）</a> · <a href=\"%s.csv%s&amp;format=gb18030\">下载 CSV（GB18030）</a></p>",
		         base, fq.data, base, fq.data, base, fq.data);
	}
	if (a)
		accounts_table(r, base, a, print, can_record);
	if (u) {
		size_t n = u->nrows > (size_t)limit ? (size_t)limit : u->nrows;
		units_table(r, base, u, n, print, can_record);
		struct buf top = { 0 };
		buf_printf(&top, "%s%s%s", base, print ? "/print" : "", fq.data);
		h_after_pager(r, "翻页", "no-print", top.data, !after,
		              u->nrows > (size_t)limit ? dbrows_get(u, n - 1, 0) : NULL);
		buf_free(&top);
	}
	buf_free(&fq);
	dbrows_free(a);
	dbrows_free(u);
	page_end(r);
}

static void csv_unit_rows(struct req *r, const struct dbrows *u, size_t n, struct buf *out)
{
	struct buf link = { 0 };
	for (size_t i = 0; i < n; i++) {
		buf_reset(&link);
		invitation_link(r, u, i, &link);
		const char *cells[] = {
			dbrows_get(u, i, 2), dbrows_get(u, i, 3), dbrows_get(u, i, 4), state_label(dbrows_get(u, i, 5)),
			link.len ? link.data : "", stratum_category_of(dbrows_get(u, i, 1)), dbrows_get(u, i, 13),
			dbrows_get(u, i, 6), dbrows_get(u, i, 8), followup_outcome_label(dbrows_get(u, i, 14)),
			dbrows_get(u, i, 15), dbrows_get(u, i, 16),
		};
		csv_put_row(out, cells, NELEMS(cells), CSV_QUOTE_MINIMAL);
	}
	buf_free(&link);
}

void followup_csv(struct req *r)
{
	static const char *const head[] = { "单位名称", "联系人", "电话", "状态", "邀请链接", "类别", "用户名",
	                                    "邀请单打印时间", "邀请链接打开时间", "最近跟进", "最近跟进时间", "跟进备注" };
	const char *region = target_region(r, NULL);
	int gb = r->arg[FU_KEY_FORMAT].present && r->arg[FU_KEY_FORMAT].n == 1;
	struct dbrows *a = NULL, *u = NULL;
	struct buf out = { 0 }, conv = { 0 };
	char fname[96];

	if (!region)
		return;
	if (!gb)
		buf_puts(&out, "\xef\xbb\xbf");   /* Excel reads UTF-8 only with a BOM */
	csv_put_row(&out, head, NELEMS(head), CSV_QUOTE_MINIMAL);
	if (wants_accounts(r)) {
		if (query_accounts(r, region, &a) < 0)
			goto fail;
		for (size_t i = 0; i < a->nrows; i++) {
			const char *cells[] = {
				dbrows_get(a, i, 2), dbrows_get(a, i, 9), dbrows_get(a, i, 10),
				state_label(dbrows_get(a, i, 4)), "",
				construction_label(dbrows_get(a, i, 1)), dbrows_get(a, i, 3), "", "",
				followup_outcome_label(dbrows_get(a, i, 6)), dbrows_get(a, i, 7), dbrows_get(a, i, 8),
			};
			csv_put_row(&out, cells, NELEMS(cells), CSV_QUOTE_MINIMAL);
		}
	}
	/* The units in chunks by key, so no single result holds the region. */
	for (unsigned long long after = 0; wants_units(r);) {
		if (query_units(r, region, after, CSV_CHUNK, &u) < 0)
			goto fail;
		csv_unit_rows(r, u, u->nrows, &out);
		if (u->nrows < CSV_CHUNK)
			break;
		after = strtoull(dbrows_get(u, u->nrows - 1, 0), NULL, 10);
		dbrows_free(u);
		u = NULL;
	}
	snprintf(fname, sizeof fname, "followups-%s%s.csv", region, gb ? "-gb18030" : "");
	if (gb) {
		if (csv_to_gb18030(&out, &conv) < 0) {
			page_error(r, 500, "部分内容无法转换为 GB18030，请下载 UTF-8 版本。");
			goto out;
		}
		buf_free(&out);
		out = conv;
		buf_init(&conv);
	}
	resp_header(r, "Content-Type", gb ? "text/csv; charset=gb18030" : "text/csv; charset=utf-8");
	resp_attachment(r, fname);
	buf_free(&r->body);
	r->body = out;   /* hand the bytes over without a copy */
	buf_init(&out);
	goto out;
fail:
	page_error(r, 503, MSG_BUSY);
out:
	buf_free(&out);
	buf_free(&conv);
	dbrows_free(a);
	dbrows_free(u);
}

/* ------------------------------------------------------------ one unit */

struct target {
	int            is_unit;
	char           id[24];
	struct dbrows *row;   /* STMT_FOLLOWUP_UNIT_GET or _ACCOUNT_GET */
};

/* k.unit, k.account (load_target below), the construction roles. */
int followup_unit_session_args(const struct req *r, struct dbarg *out)
{
	int unit = r->arg[FU_KEY_UNIT].present;
	out[0] = unit ? A_INT(r->arg[FU_KEY_UNIT].id) : A_NULL;
	out[1] = !unit && r->arg[FU_KEY_ACCOUNT].present ? A_INT(r->arg[FU_KEY_ACCOUNT].id) : A_NULL;
	out[2] = A_STR(role_code(ROLE_HUB));
	out[3] = A_STR(role_code(ROLE_WINDOW));
	return 4;
}

/* The unit or construction account of unit= / account=: 404 when there is
 * none, 403 when it belongs to another region and the user is a region.
 * 0, or -1 once an answer has been written. */
static int load_target(struct req *r, struct target *t)
{
	memset(t, 0, sizeof *t);
	if (r->arg[FU_KEY_UNIT].present) {
		t->is_unit = 1;
		snprintf(t->id, sizeof t->id, "%llu", r->arg[FU_KEY_UNIT].id);
	} else if (r->arg[FU_KEY_ACCOUNT].present) {
		snprintf(t->id, sizeof t->id, "%llu", r->arg[FU_KEY_ACCOUNT].id);
	} else {
		page_error(r, 404, MSG_NO_UNIT);
		return -1;
	}
	if ((t->is_unit ? db_query(r->db, STMT_FOLLOWUP_UNIT_GET, DB_ARGS(A_STR(t->id)), &t->row)
	                : db_query(r->db, STMT_FOLLOWUP_ACCOUNT_GET,
	                           DB_ARGS(A_STR(t->id), A_STR(role_code(ROLE_HUB)), A_STR(role_code(ROLE_WINDOW))),
	                           &t->row)) < 0) {
		page_error(r, 503, MSG_BUSY);
		return -1;
	}
	int status = 404;
	const char *msg = MSG_NO_UNIT;
	if (t->row->nrows == 0)
		goto refuse;
	if (r->user->role == ROLE_REGION && strcmp(dbrows_get(t->row, 0, 1), r->user->region_code)) {
		status = 403;
		msg = "这不是本地区的单位。";
		goto refuse;
	}
	return 0;
refuse:
	dbrows_free(t->row);
	t->row = NULL;
	page_error(r, status, msg);
	return -1;
}

static void target_facts(struct req *r, const struct target *t)
{
	const struct dbrows *w = t->row;
	h_raw(r, "<dl class=\"facts\">");
	if (t->is_unit) {
		const char *p = dbrows_get(w, 0, 9);
		h_printf(r, "<dt>类别</dt><dd>%s%s</dd><dt>单位名称</dt><dd>%s</dd><dt>联系人</dt><dd>%s</dd>"
		         "<dt>电话</dt><dd>%s</dd><dt>状态</dt><dd>%s</dd>",
		         stratum_category_of(dbrows_get(w, 0, 2)),
		         strcmp(dbrows_get(w, 0, 6), "selected") ? "（备选递补）" : "",
		         dbrows_get(w, 0, 3), *dbrows_get(w, 0, 4) ? dbrows_get(w, 0, 4) : "—",
		         *dbrows_get(w, 0, 5) ? dbrows_get(w, 0, 5) : "—",
		         p && strcmp(p, "submitted") == 0 ? "已提交" :
		         strcmp(dbrows_get(w, 0, 7), "active") ? "已被替换" : state_label(dbrows_get(w, 0, 8)));
	} else {
		const char *p = dbrows_get(w, 0, 6);
		h_printf(r, "<dt>类别</dt><dd>项目承建单位（%s）</dd><dt>单位名称</dt><dd>%s</dd><dt>联系人</dt><dd>%s</dd>"
		         "<dt>电话</dt><dd>%s</dd><dt>用户名</dt><dd>%s</dd><dt>状态</dt><dd>%s</dd>",
		         construction_label(dbrows_get(w, 0, 2)), dbrows_get(w, 0, 3),
		         *dbrows_get(w, 0, 7) ? dbrows_get(w, 0, 7) : "—", *dbrows_get(w, 0, 8) ? dbrows_get(w, 0, 8) : "—",
		         dbrows_get(w, 0, 4), p && strcmp(p, "submitted") == 0 ? "已提交" : state_label(dbrows_get(w, 0, 5)));
	}
	h_raw(r, "</dl>");
}

/* The unit page: facts, the refusal's replacement offer, the record form
 * (a region), the history. err: a message next to the outcome field. */
static void unit_page(struct req *r, const char *base, const struct target *t, const char *err, const char *note)
{
	struct dbrows *h = NULL;
	int can_record = r->user->role == ROLE_REGION;
	const char *key = t->is_unit ? "unit" : "account";

	if (db_query(r->db, t->is_unit ? STMT_FOLLOWUP_HISTORY_UNIT : STMT_FOLLOWUP_HISTORY_ACCOUNT,
	             DB_ARGS(A_STR(t->id)), &h) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "跟进记录");
	if (r->arg[FU_KEY_SAVED].present && r->arg[FU_KEY_SAVED].n == 1)
		h_raw(r, "<p class=\"notice\" role=\"status\">跟进记录已保存。</p>");
	target_facts(r, t);
	/* A selected, active unit whose last call was a refusal: the reserve
	 * replacement of /region/sample, behind its own confirmation page. */
	if (can_record && t->is_unit && h->nrows && strcmp(dbrows_get(h, 0, 1), "refused") == 0 &&
	    strcmp(dbrows_get(t->row, 0, 6), "selected") == 0 && strcmp(dbrows_get(t->row, 0, 7), "active") == 0) {
		struct buf u = { 0 };
		buf_printf(&u, "/region/sample/replace?unit=%s&reason=", t->id);
		url_encode(&u, "拒绝参加（电话跟进记录）");
		h_printf(r, "<section id=\"replace\" class=\"notice\"><p>该单位已拒绝参加调查。可由本层备选名单中的下一家单位递补："
		         "<a href=\"%s\">以备选单位替换…</a>（下一页确认后才会替换；替换后原单位的邀请码立即失效）。</p></section>",
		         u.data);
		buf_free(&u);
	}
	if (can_record) {
		h_printf(r, "<form method=\"post\" action=\"%s/unit\"><fieldset><legend>记录一次跟进</legend>", base);
		h_csrf_field(r);
		h_printf(r, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", key, t->id);
		h_printf(r, "<fieldset%s><legend>结果</legend>", err ? " aria-invalid=\"true\"" : "");
		for (size_t i = 0; outcomes[i]; i++)
			h_printf(r, "<label><input type=\"radio\" name=\"outcome\" value=\"%s\" required> %s</label> ",
			         outcomes[i], outcome_labels[i]);
		h_alert(r, err);
		h_printf(r, "</fieldset><p><label for=\"note\">备注（可选，最多 500 字）</label>"
		         "<textarea id=\"note\" name=\"note\" maxlength=\"500\" rows=\"3\">%s</textarea></p>"
		         "<p><button type=\"submit\">保存跟进记录</button></p></fieldset></form>", note ? note : "");
	}
	static const char *const cols[] = { "时间", "结果", "备注", "记录人" };
	h_raw(r, "<h2>跟进历史</h2>");
	h_table_begin(r, "followup-history", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < h->nrows; i++)
		h_printf(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", dbrows_get(h, i, 0),
		         followup_outcome_label(dbrows_get(h, i, 1)), dbrows_get(h, i, 2), dbrows_get(h, i, 3));
	if (h->nrows == 0)
		h_raw(r, "<tr><td colspan=\"4\">尚无跟进记录。</td></tr>");
	h_table_end(r);
	h_printf(r, "<p><a href=\"%s", base);
	if (r->user->role != ROLE_REGION) {
		h_raw(r, "?region=");
		h_text(r, dbrows_get(t->row, 0, 1));
	}
	h_raw(r, "\">返回跟进名单</a></p>");
	dbrows_free(h);
	page_end(r);
}

void followup_unit(struct req *r, const char *base)
{
	struct target t;
	if (load_target(r, &t) < 0)
		return;
	unit_page(r, base, &t, NULL, NULL);
	dbrows_free(t.row);
}

/* The call and its audit row, one transaction. */
struct record_tx {
	struct req *r;
	const struct target *t;
	const char *outcome, *note, *detail;
};

static int record_body(struct db *db, void *ctx, int attempt)
{
	const struct record_tx *x = ctx;
	const struct target *t = x->t;
	(void)attempt;
	if (db_exec(db, STMT_FOLLOWUP_INSERT,
	            DB_ARGS(A_STR(x->r->user->region_code), t->is_unit ? A_STR(t->id) : A_NULL,
	                    t->is_unit ? A_NULL : A_STR(t->id), A_STR(x->outcome), A_STR(x->note),
	                    A_INT(x->r->user->id)), NULL, NULL) < 0)
		return -1;
	return audit_tx(db, x->r, "followup", x->detail);
}

void followup_record(struct req *r, const char *base)
{
	struct target t;
	const char *note = r->arg[FU_KEY_NOTE].present ? r->arg[FU_KEY_NOTE].s : "";
	const char *outcome;
	struct buf d = { 0 };

	if (load_target(r, &t) < 0)
		return;
	if (!r->arg[FU_KEY_OUTCOME].present || !utf8_valid(note, strlen(note)) || utf8_len(note) > NOTE_MAX) {
		resp_status(r, 400);
		unit_page(r, base, &t, !r->arg[FU_KEY_OUTCOME].present ? "请选择跟进结果。" : MSG_NOTE_TOO_LONG,
		          note);
		goto out;
	}
	outcome = outcomes[r->arg[FU_KEY_OUTCOME].n];
	buf_printf(&d, "region=%s %s=%s outcome=%s note=%s", r->user->region_code, t.is_unit ? "unit" : "account",
	           t.id, outcome, note);
	if (d.len > 1000)
		d.data[d.len = 1000] = '\0';   /* audit_log.detail is VARCHAR(1024) */
	while (d.len && !utf8_valid(d.data, d.len))
		d.data[--d.len] = '\0';
	struct record_tx x = { r, &t, outcome, note, d.data };
	if (db_transaction(r->db, record_body, &x) != 0) {
		page_error(r, 503, MSG_FOLLOWUP_FAILED);
		goto out;
	}
	buf_reset(&d);
	buf_printf(&d, "%s/unit?%s=%s&saved=1", base, t.is_unit ? "unit" : "account", t.id);
	resp_redirect(r, d.data);
out:
	buf_free(&d);
	dbrows_free(t.row);
}
