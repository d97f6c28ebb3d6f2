/*
 * smesurvey-region - pages of the provincial SME authority (地区项目责任主体).
 *
 *   GET /region            home: deadlines and the region's progress
 *   GET /region/progress   progress per account of the region
 */
#include "app.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "html.h"
#include "http.h"
#include "progress.h"

#include <stdlib.h>
#include <string.h>

static void region_title(struct req *r, const char *suffix)
{
	char *name = NULL;
	db_query_str(r->db, "SELECT name FROM regions WHERE code = ?",
	             DB_ARGS(A_STR(r->user->region_code)), &name);
	struct buf t = { 0 };
	buf_printf(&t, "%s%s", name ? name : r->user->region_code, suffix);
	page_begin(r, t.data);
	buf_free(&t);
	free(name);
}

static void home(struct req *r)
{
	region_title(r, " · 地区项目责任主体工作台");
	h_printf(r, "<p>请于 %s 前提交<a href=\"/form/selfeval\">自评估报告</a>；"
	         "项目承建单位、服务资源单位和中小企业的调查表截止时间为 %s。</p>",
	         r->conf->deadline_selfeval, r->conf->deadline_survey);
	if (progress_table(r, r->user->region_code) < 0)
		h_raw(r, "<p class=\"error\">进度暂时无法显示，请稍后刷新。</p>");
	h_raw(r, "<p><a href=\"/region/progress\">查看各单位填报明细</a></p>");
	page_end(r);
}

static const char *status_label(const char *s)
{
	if (s == NULL)
		return "未开始";
	return strcmp(s, "submitted") == 0 ? "已提交" : "草稿";
}

static void progress(struct req *r)
{
	struct dbrows *rows;
	if (db_query(r->db,
	    "SELECT u.username, u.org_name, u.form, p.status, p.updated_at, p.submitted_at"
	    " FROM users u LEFT JOIN responses p ON p.user_id = u.id AND p.form = u.form"
	    " WHERE u.region_code = ? AND u.form <> '' ORDER BY u.form, u.username",
	    DB_ARGS(A_STR(r->user->region_code)), &rows) < 0) {
		page_error(r, 503, "系统繁忙，请稍后再试。");
		return;
	}
	region_title(r, " · 填报明细");
	h_raw(r, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">用户名</th>"
	      "<th scope=\"col\">单位名称</th><th scope=\"col\">问卷</th><th scope=\"col\">状态</th>"
	      "<th scope=\"col\">最后保存</th><th scope=\"col\">提交时间</th></tr></thead><tbody>");
	for (size_t i = 0; i < rows->nrows; i++)
		h_printf(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
		         dbrows_get(rows, i, 0), dbrows_get(rows, i, 1), dbrows_get(rows, i, 2),
		         status_label(dbrows_get(rows, i, 3)), dbrows_get(rows, i, 4),
		         dbrows_get(rows, i, 5));
	h_raw(r, "</tbody></table></div>");
	dbrows_free(rows);
	page_end(r);
}

static void handle(struct req *r)
{
	if (auth_require(r, RB(ROLE_REGION)) < 0)
		return;
	if (strcmp(r->path, "/region") == 0 || strcmp(r->path, "/region/") == 0)
		home(r);
	else if (strcmp(r->path, "/region/progress") == 0)
		progress(r);
	else
		page_error(r, 404, "您访问的页面不存在。");
}

int main(void)
{
	return app_run("smesurvey-region", handle);
}
