/*
 * region/home.c - the region's home (its checklist and deadlines) and the
 * progress of its accounts.
 */
#include "msg.h"
#include "accounts.h"
#include "aggr.h"
#include "app.h"
#include "auth.h"
#include "codes.h"
#include "conf.h"
#include "db.h"
#include "deadline.h"
#include "deadlines.h"
#include "fileio.h"
#include "html.h"
#include "http.h"
#include "progress.h"
#include "integrity.h"
#include "catalog.h"
#include "csv.h"
#include "draw.h"
#include "form.h"
#include "followup.h"
#include "frame.h"
#include "indview.h"
#include "slips.h"
#include "log.h"
#include "nav.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "region.h"

void region_title(struct req *r, const char *suffix)
{
	char *name = NULL;
	db_query_str(r->db, STMT_REGION_NAME,
	             DB_ARGS(A_STR(r->user->region_code)), &name);
	struct buf t = { 0 };
	buf_printf(&t, "%s%s", name ? name : r->user->region_code, suffix);
	page_begin(r, t.data);
	buf_free(&t);
	free(name);
}

/* One step of the home checklist: done, partly done (n of m) or not yet. */
static void check_step(struct req *r, const char *what, const char *href, const char *link,
                       long long done, long long of)
{
	const char *cls = of > 0 && done >= of ? "done" : done > 0 ? "partial" : "todo";
	h_printf(r, "<li class=\"%s\"><strong>%s</strong>：", cls, what);
	if (of > 0 && done >= of)
		h_raw(r, "已完成");
	else if (done > 0)
		h_printf(r, "%lld / %lld", done, of);
	else
		h_raw(r, "未开始");
	h_printf(r, " <a href=\"%s\">%s</a></li>", href, link);
}

/* What the region has to do, in order, with each step's state and link. */
static void checklist(struct req *r)
{
	struct dbrows *c = NULL;
	const char *rc = r->user->region_code, *hub = role_code(ROLE_HUB), *win = role_code(ROLE_WINDOW);
	const struct form_info *own = catalog_for_role(ROLE_REGION);
	if (db_query(r->db, STMT_REGION_CHECKLIST,
	             DB_ARGS(A_STR(rc), A_STR(rc), A_STR(rc), A_STR(rc), A_STR(rc), A_STR(hub), A_STR(win), A_STR(rc),
	                     A_STR(hub), A_STR(win), A_STR(rc), A_STR(own ? own->name : "")), &c) < 0 ||
	    c->nrows != 1) {
		if (c)
			dbrows_free(c);
		h_raw(r, "<p class=\"error\">工作清单暂时无法显示，请稍后刷新。</p>");
		return;
	}
	h_raw(r, "<h2>工作清单</h2><ol class=\"checklist\">");
	check_step(r, "导入样本框（服务资源单位、中小企业）", "/region/frames", "样本框", dbrows_int(c, 0, 0), 2);
	check_step(r, "抽样", "/region/sample", "抽样", dbrows_int(c, 0, 1), 2);
	check_step(r, "打印邀请单并送达抽中单位", "/region/slips", "邀请单", dbrows_int(c, 0, 3),
	           dbrows_int(c, 0, 2));
	check_step(r, "项目承建单位（枢纽平台、窗口平台）提交调查表", "/region/progress", "填报进度",
	           dbrows_int(c, 0, 5), dbrows_int(c, 0, 4));
	check_step(r, "提交自评估报告", own ? own->path : "/region", "自评估报告", dbrows_int(c, 0, 6), 1);
	h_raw(r, "</ol>");
	dbrows_free(c);
}

int home_session_args(const struct req *r, struct dbarg *out)
{
	const struct form_info *own = catalog_for_role(ROLE_REGION);
	(void)r;
	out[0] = A_STR(role_code(ROLE_HUB));
	out[1] = A_STR(role_code(ROLE_WINDOW));
	out[2] = A_STR(own ? own->name : "");
	out[3] = A_STR(role_code(ROLE_REGION));
	return 4;
}

/* One round trip (issue 21): the session's statement carried every query
 * below (STMT_PAGE_REGION_HOME). */
void home(struct req *r)
{
	region_title(r, " · 地区项目责任主体工作台");
	/* Only how many are under the agency's review (issue 20), never why. */
	integrity_region_notice(r, r->user->region_code);
	checklist(r);
	/* The region's deadlines as the forms enforce them (overrides included). */
	if (h_deadline_list(r, r->user->region_code) < 0)
		h_raw(r, "<p class=\"error\">截止时间暂时无法显示，请稍后刷新。</p>");
	if (progress_tables(r, r->user->region_code, NULL) < 0)
		h_raw(r, "<p class=\"error\">进度暂时无法显示，请稍后刷新。</p>");
	h_raw(r, "<p><a href=\"/region/progress\">查看各单位填报明细</a> · "
	      "<a href=\"/region/accounts\">本地区账户（重置密码）</a></p>");
	page_end(r);
}

/* Every account of the region with the state of its response; the status
 * label is chosen in the query so that the rows print as they come. Paged
 * by account id (a region may hold 25,000 SME accounts), filtered by form
 * and searched by username or name. */
#define PROGRESS_PAGE 200

/* A link that opens an account's response read-only (issue 23 item 10):
 * the region's own report, or a form the region may enter for others (its
 * print view with for=); "—" when there is none or the region may not. */
static void response_link(struct req *r, const struct form_info *fi, const char *account, int saved)
{
	unsigned long long id = parse_id(account);
	if (!fi || !saved || !id) {
		h_raw(r, "—");
		return;
	}
	if (id == r->user->id)
		h_printf(r, "<a href=\"%s/print\">查看</a>", fi->path);
	else if (fi->proxy)
		h_printf(r, "<a href=\"%s/print?for=%llu\">查看</a>", fi->path, id);
	else
		h_raw(r, "—");
}

void progress(struct req *r)
{
	static const char *const cols[] = { "用户名", "单位名称", "问卷", "状态", "最后保存", "提交时间", "答卷" };
	const char *form = r->arg[KEY_FORM].present ? r->arg[KEY_FORM].s : "";
	const char *q = r->arg[KEY_Q].present ? r->arg[KEY_Q].s : "";
	unsigned long long after = r->arg[KEY_AFTER].present ? r->arg[KEY_AFTER].id : 0;
	struct dbrows *rows;
	struct buf fq = { 0 };

	if (*form && !catalog_get(form))
		form = "";
	if (db_query(r->db, STMT_REGION_PROGRESS,
	    DB_ARGS(A_STR(r->user->region_code), A_INT(after), A_STR(form), A_STR(form), A_STR(q), A_STR(q), A_STR(q),
	            A_INT(PROGRESS_PAGE + 1)), &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	region_title(r, " · 填报明细");
	h_raw(r, "<form method=\"get\" action=\"/region/progress\" class=\"filters\"><label for=\"form\">问卷</label> "
	      "<select id=\"form\" name=\"form\"><option value=\"\">全部</option>");
	for (size_t k = 0; catalog_at(k); k++)
		h_option_of(r, catalog_at(k)->name, catalog_at(k)->doc, form);
	h_raw(r, "</select> ");
	h_search_field(r, "q", "用户名或单位名称", q, 60, NULL);
	h_raw(r, "</form>");
	/* The form's name from the catalog, never its code (issue 10). */
	size_t n = rows->nrows > PROGRESS_PAGE ? PROGRESS_PAGE : rows->nrows;
	h_table_begin(r, "progress-detail", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < n; i++) {
		const struct form_info *fi = catalog_get(dbrows_get(rows, i, 3));
		h_printf(r, "<tr data-account=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>",
		         dbrows_get(rows, i, 0), dbrows_get(rows, i, 1), dbrows_get(rows, i, 2),
		         fi ? fi->doc : dbrows_get(rows, i, 3), dbrows_get(rows, i, 4),
		         dbrows_get(rows, i, 5) ? dbrows_get(rows, i, 5) : "—",
		         dbrows_get(rows, i, 6) ? dbrows_get(rows, i, 6) : "—");
		response_link(r, fi, dbrows_get(rows, i, 0), dbrows_get(rows, i, 5) != NULL);
		h_raw(r, "</td></tr>");
	}
	if (n == 0)
		h_printf(r, "<tr><td colspan=\"7\">%s</td></tr>", *form || *q || after ? MSG_NO_ACCOUNTS_MATCH : "本地区尚无账户。");
	h_table_end(r);
	{
		const char *const keep[] = { "form", form, "q", q, NULL };
		url_with_params(&fq, "/region/progress", keep);
		h_after_pager(r, "翻页", "", fq.data, !after, rows->nrows > PROGRESS_PAGE ? dbrows_get(rows, n - 1, 0) : NULL);
	}
	buf_free(&fq);
	dbrows_free(rows);
	page_end(r);
}
