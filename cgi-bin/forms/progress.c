/*
 * progress.c - counts of accounts, drafts and submissions per region and form.
 */
#include "progress.h"
#include "db.h"
#include "html.h"
#include "http.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *form, *label;
} forms[] = {
	{ "selfeval", "自评估报告" },
	{ "hub", "地区枢纽平台" },
	{ "window", "窗口平台" },
	{ "resource", "服务资源单位" },
	{ "sme", "中小企业" },
};
#define NFORMS (sizeof forms / sizeof forms[0])

static int form_index(const char *f)
{
	for (size_t i = 0; i < NFORMS; i++)
		if (f && strcmp(f, forms[i].form) == 0)
			return (int)i;
	return -1;
}

int progress_table(struct req *r, const char *region_code)
{
	struct dbrows *rows;
	/* One grouped query; regions without accounts still get a row. */
	if (db_query(r->db, STMT_PROGRESS,
	    DB_ARGS(A_STR(region_code), A_STR(region_code)), &rows) < 0)
		return -1;

	h_raw(r, "<div class=\"table-wrap\"><table class=\"progress\"><caption>各问卷填报进度"
	      "（已提交 / 草稿 / 账户数）</caption><thead><tr><th scope=\"col\">地区</th>");
	for (size_t i = 0; i < NFORMS; i++)
		h_printf(r, "<th scope=\"col\">%s</th>", forms[i].label);
	h_raw(r, "</tr></thead><tbody>");
	for (size_t i = 0; i < rows->nrows; ) {
		const char *code = dbrows_get(rows, i, 0);
		long long cnt[NFORMS][3];
		memset(cnt, 0, sizeof cnt);
		size_t j = i;
		for (; j < rows->nrows && strcmp(dbrows_get(rows, j, 0), code) == 0; j++) {
			int f = form_index(dbrows_get(rows, j, 2));
			if (f < 0)
				continue;
			cnt[f][0] = dbrows_int(rows, j, 5);
			cnt[f][1] = dbrows_int(rows, j, 4);
			cnt[f][2] = dbrows_int(rows, j, 3);
		}
		h_printf(r, "<tr><th scope=\"row\">%s %s</th>", code, dbrows_get(rows, i, 1));
		for (size_t f = 0; f < NFORMS; f++)
			h_printf(r, "<td><span class=\"done\">%lld</span> / %lld / %lld</td>",
			         cnt[f][0], cnt[f][1], cnt[f][2]);
		h_raw(r, "</tr>");
		i = j;
	}
	h_raw(r, "</tbody></table></div>");
	dbrows_free(rows);
	return 0;
}
