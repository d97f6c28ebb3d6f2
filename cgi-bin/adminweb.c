/*
 * smesurvey-adminweb - pages of the ministry and the evaluation agency.
 *
 *   GET /admin           national overview: progress of every region
 *   GET /admin/audit     the latest entries of the audit log
 */
#include "app.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "html.h"
#include "http.h"
#include "progress.h"

#include <string.h>

static void overview(struct req *r)
{
	page_begin(r, "全国填报进度");
	h_printf(r, "<p>调查表截止时间：%s；自评估报告截止时间：%s。</p>",
	         r->conf->deadline_survey, r->conf->deadline_selfeval);
	if (progress_table(r, NULL) < 0)
		h_raw(r, "<p class=\"error\">进度暂时无法显示，请稍后刷新。</p>");
	page_end(r);
}

static void audit_page(struct req *r)
{
	struct dbrows *rows;
	if (db_query(r->db,
	    "SELECT a.at, COALESCE(u.username, ''), a.ip, a.action, a.detail FROM audit_log a"
	    " LEFT JOIN users u ON u.id = a.user_id ORDER BY a.id DESC LIMIT 200",
	    DB_NOARGS, &rows) < 0) {
		page_error(r, 503, "系统繁忙，请稍后再试。");
		return;
	}
	page_begin(r, "操作日志");
	h_raw(r, "<div class=\"table-wrap\"><table><caption>最近 200 条</caption><thead><tr>"
	      "<th scope=\"col\">时间</th><th scope=\"col\">用户</th><th scope=\"col\">地址</th>"
	      "<th scope=\"col\">操作</th><th scope=\"col\">说明</th></tr></thead><tbody>");
	for (size_t i = 0; i < rows->nrows; i++)
		h_printf(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
		         dbrows_get(rows, i, 0), dbrows_get(rows, i, 1), dbrows_get(rows, i, 2),
		         dbrows_get(rows, i, 3), dbrows_get(rows, i, 4));
	h_raw(r, "</tbody></table></div>");
	dbrows_free(rows);
	page_end(r);
}

static void handle(struct req *r)
{
	if (auth_require(r, RB_ADMINS) < 0)
		return;
	if (strcmp(r->path, "/admin") == 0 || strcmp(r->path, "/admin/") == 0 ||
	    strcmp(r->path, "/admin/progress") == 0)
		overview(r);
	else if (strcmp(r->path, "/admin/audit") == 0)
		audit_page(r);
	else
		page_error(r, 404, "您访问的页面不存在。");
}

int main(void)
{
	return app_run("smesurvey-adminweb", handle);
}
