/*
 * progress.c - counts of accounts, drafts and submissions per region and form.
 */
#include "progress.h"
#include "catalog.h"
#include "db.h"
#include "html.h"
#include "http.h"

#include <stdlib.h>
#include <string.h>

/* The columns are the forms of the catalog, in its order. */
static int form_index(const char *f)
{
	const struct form_info *fi = catalog_get(f);
	return fi ? (int)(fi - catalog_at(0)) : -1;
}

int progress_table(struct req *r, const char *region_code)
{
	struct dbrows *rows;
	size_t nforms = catalog_count();
	/* One grouped query; regions without accounts still get a row. */
	if (db_query(r->db, STMT_PROGRESS,
	    DB_ARGS(A_STR(region_code), A_STR(region_code)), &rows) < 0)
		return -1;

	h_raw(r, "<div class=\"table-wrap\"><table class=\"progress\"><caption>各问卷填报进度"
	      "（已提交 / 草稿 / 账户数）</caption><thead><tr><th scope=\"col\">地区</th>");
	for (size_t i = 0; i < nforms; i++)
		h_printf(r, "<th scope=\"col\">%s</th>", catalog_at(i)->label);
	h_raw(r, "</tr></thead><tbody>");
	for (size_t i = 0; i < rows->nrows; ) {
		const char *code = dbrows_get(rows, i, 0);
		long long cnt[CATALOG_MAX_FORMS][3];
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
		for (size_t f = 0; f < nforms; f++)
			h_printf(r, "<td><span class=\"done\">%lld</span> / %lld / %lld</td>",
			         cnt[f][0], cnt[f][1], cnt[f][2]);
		h_raw(r, "</tr>");
		i = j;
	}
	h_raw(r, "</tbody></table></div>");
	dbrows_free(rows);
	return 0;
}
