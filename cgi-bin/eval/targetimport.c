/*
 * targetimport.c - the pages of the approved targets (targets.h): the
 * overview with the import form, the import itself, one region's table.
 */
#include "targets.h"
#include "auth.h"
#include "db.h"
#include "form.h"
#include "form_int.h"
#include "html.h"
#include "http.h"
#include "msg.h"
#include "util.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TGT_MAX_ERRS 50        /* import errors listed */
#define TGT_MAX_ROWS 200       /* regions in one import */
#define TGT_MAX_COLS 64

/* What a header column holds. */
enum colkind { COL_IGNORED, COL_REGION, COL_APPROVED, COL_ACTUAL };
struct col { enum colkind kind; size_t target; };

/* One region's row, values formatted for the database (NULL: empty). */
struct trow {
	const char *region;
	char        approved[TGT_MAX_COLS][32], actual[TGT_MAX_COLS][32];
	int         has_approved[TGT_MAX_COLS], has_actual[TGT_MAX_COLS];
};

struct import {
	struct col  cols[TGT_MAX_COLS];
	size_t      ncols;
	struct trow *rows;
	size_t      nrows;
	struct buf  errs;     /* <li> items */
	size_t      nerrs;
};

static void import_err(struct import *im, unsigned long line, const char *fmt, const char *arg)
{
	if (++im->nerrs > TGT_MAX_ERRS)
		return;
	buf_printf(&im->errs, "<li>第 %lu 行：", line);
	{
		struct buf m = { 0 };
		buf_printf(&m, fmt, arg ? arg : "");
		html_escape(&im->errs, m.data, m.len);
		buf_free(&m);
	}
	buf_puts(&im->errs, "</li>");
}

/* The header row: every column known, region_code and every target there. */
static void read_header(struct import *im, char **cells, size_t n, unsigned long line)
{
	size_t nt;
	const struct target *tv = targets(&nt);
	int seen_region = 0;

	im->ncols = n < TGT_MAX_COLS ? n : TGT_MAX_COLS;
	for (size_t c = 0; c < im->ncols; c++) {
		char name[64];
		snprintf(name, sizeof name, "%s", cells[c]);
		im->cols[c].kind = COL_IGNORED;
		if (!strcmp(name, "region_code")) {
			im->cols[c].kind = COL_REGION;
			seen_region = 1;
		}
		for (size_t t = 0; t < nt && im->cols[c].kind == COL_IGNORED; t++) {
			size_t k = strlen(tv[t].code);
			if (!strcmp(name, tv[t].code))
				im->cols[c] = (struct col){ COL_APPROVED, t };
			else if (!tv[t].form && !strncmp(name, tv[t].code, k) && !strcmp(name + k, "_actual"))
				im->cols[c] = (struct col){ COL_ACTUAL, t };
		}
		if (im->cols[c].kind == COL_IGNORED && *name)
			import_err(im, line, "表头“%s”不是导入说明中的列名", name);
	}
	if (!seen_region)
		import_err(im, line, "表头缺少 region_code 列%s", NULL);
}

/* A non-negative number with at most two decimals, into out. */
static const char *number_cell(const char *s, char out[32], int *has)
{
	fnum v;
	*has = 0;
	if (!*s)
		return NULL;
	if (fnum_parse(s, 2, &v) != FN_OK || v < 0)
		return "“%s”不是不小于 0、最多两位小数的数";
	fnum_format(v, out);
	*has = 1;
	return NULL;
}

static void read_row(struct req *r, struct import *im, char **cells, size_t n, unsigned long line)
{
	struct trow *row = &im->rows[im->nrows];
	char *name = NULL;

	memset(row, 0, sizeof *row);
	for (size_t c = 0; c < im->ncols && c < n; c++) {
		const char *why = NULL;
		if (im->cols[c].kind == COL_REGION)
			row->region = cells[c];
		else if (im->cols[c].kind == COL_APPROVED)
			why = number_cell(cells[c], row->approved[im->cols[c].target], &row->has_approved[im->cols[c].target]);
		else if (im->cols[c].kind == COL_ACTUAL)
			why = number_cell(cells[c], row->actual[im->cols[c].target], &row->has_actual[im->cols[c].target]);
		if (why)
			import_err(im, line, why, cells[c]);
	}
	if (!row->region || !*row->region) {
		import_err(im, line, "缺少地区代码%s", NULL);
		return;
	}
	if (db_query_str(r->db, STMT_REGION_NAME, DB_ARGS(A_STR(row->region)), &name) < 0 || !name)
		import_err(im, line, "地区代码“%s”不存在", row->region);
	free(name);
	for (size_t i = 0; i < im->nrows; i++)
		if (!strcmp(im->rows[i].region, row->region))
			import_err(im, line, "地区代码“%s”在文件中出现了不止一次", row->region);
	im->nrows++;
}

struct write_ctx {
	struct req          *r;
	const struct import *im;
};

/* The body of the import's transaction: each region's rows replaced. */
static int import_body(struct db *db, void *ctx, int attempt)
{
	const struct write_ctx *w = ctx;
	size_t nt;
	const struct target *tv = targets(&nt);

	(void)attempt;
	for (size_t i = 0; i < w->im->nrows; i++) {
		const struct trow *row = &w->im->rows[i];
		if (db_exec(db, STMT_TARGETS_DELETE_REGION, DB_ARGS(A_STR(row->region)), NULL, NULL) < 0)
			return -1;
		for (size_t t = 0; t < nt; t++)
			if (db_exec(db, STMT_TARGET_INSERT, DB_ARGS(A_STR(row->region), A_STR(tv[t].code),
			            row->has_approved[t] ? A_STR(row->approved[t]) : A_NULL,
			            row->has_actual[t] ? A_STR(row->actual[t]) : A_NULL, A_INT(w->r->user->id)), NULL, NULL) < 0)
				return -1;
	}
	return 0;
}

/* Replaces the targets of every region in the file, in one transaction. */
static int import_write(struct req *r, const struct import *im)
{
	struct write_ctx w = { r, im };
	return db_transaction(r->db, import_body, &w);
}

/* The import's explanation: the header, what each column means. */
static void header_help(struct req *r)
{
	size_t nt;
	const struct target *tv = targets(&nt);

	h_raw(r, "<details><summary>导入文件的格式</summary><p>CSV（UTF-8 或 GB18030）或 Excel（.xlsx 或 .xls，第一个工作表），"
	      "第一行为表头，每个地区一行；数值不小于 0，最多两位小数，可留空。表头：</p><p><code>region_code");
	for (size_t t = 0; t < nt; t++) {
		h_printf(r, ",%s", tv[t].code);
		if (!tv[t].form)
			h_printf(r, ",%s_actual", tv[t].code);
	}
	h_raw(r, "</code>（列的顺序不限）</p><ul><li><code>region_code</code>：地区代码，如 110000</li>");
	for (size_t t = 0; t < nt; t++) {
		h_printf(r, "<li><code>%s</code>：批复的%s（%s）", tv[t].code, tv[t].label, tv[t].unit);
		if (!tv[t].form)
			h_printf(r, "；<code>%s_actual</code>：截至 2013 年 9 月底已完成的%s（三季度建设情况）", tv[t].code,
			         tv[t].label);
		else
			h_raw(r, "；完成数取自地区的自评估报告");
		h_raw(r, "</li>");
	}
	h_raw(r, "</ul></details>");
}

static void import_form(struct req *r, const char *err)
{
	h_raw(r, "<section><h2>导入批复目标</h2><form method=\"post\" action=\"/agency/targets\" "
	      "enctype=\"multipart/form-data\">");
	h_csrf_field(r);
	h_raw(r, "<p class=\"field\"><label for=\"file\">文件（CSV、XLSX 或 XLS）</label> "
	      "<input type=\"file\" id=\"file\" name=\"file\" accept=\".csv,.xlsx,.xls\"");
	h_raw(r, err ? " aria-invalid=\"true\" aria-describedby=\"e-file\"></p>" : "></p>");
	if (err)
		h_printf(r, "<div class=\"field-error\" id=\"e-file\">%s</div>", err);
	h_raw(r, "<p>文件中各地区原有的批复目标将被替换。</p><p><button type=\"submit\">导入</button></p></form>");
	header_help(r);
	h_raw(r, "</section>");
}

/* Every region with the number of targets it has and when they came. */
static void targets_overview(struct req *r, const char *err, const char *errs_html)
{
	static const char *const cols[] = { "地区", "批复目标", "导入时间" };
	struct dbrows *rows;

	if (db_query(r->db, STMT_TARGETS_SUMMARY, DB_NOARGS, &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "批复目标");
	h_raw(r, "<p>评估内容一：对照批复的项目建设目标、建设内容、投资进度、资金到位，计算完成率（完成 ÷ 批复）。</p>");
	if (r->arg[WK_OK].present)
		h_printf(r, "<p class=\"notice\" role=\"status\">已导入 %lld 个地区的批复目标。</p>", r->arg[WK_OK].n);
	if (errs_html)
		h_raw(r, errs_html);
	import_form(r, err);
	h_table_begin(r, "target-regions", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < rows->nrows; i++)
		h_printf(r, "<tr><td><a href=\"/agency/targets/region?region=%s\">%s</a></td><td>%s</td><td>%s</td></tr>",
		         dbrows_get(rows, i, 0), dbrows_get(rows, i, 1),
		         dbrows_int(rows, i, 2) ? dbrows_get(rows, i, 2) : "未导入", dbrows_get(rows, i, 3));
	h_table_end(r);
	dbrows_free(rows);
	page_end(r);
}

void targets_page(struct req *r)
{
	targets_overview(r, NULL, NULL);
}

static void import_refused(struct req *r, const char *err, const struct import *im)
{
	struct buf b = { 0 };
	resp_status(r, 422);
	if (im && im->nerrs) {
		buf_printf(&b, "<div class=\"error\" role=\"alert\"><p>有 %zu 处错误，没有导入任何数据。"
		           "请修改文件后重新导入：</p><ul class=\"errors\">", im->nerrs);
		buf_put(&b, im->errs.data, im->errs.len);
		buf_puts(&b, im->nerrs > TGT_MAX_ERRS ? "<li>……</li></ul></div>" : "</ul></div>");
	}
	targets_overview(r, err ? err : "文件有错误，见上", b.len ? b.data : NULL);
	buf_free(&b);
}

void targets_import(struct req *r, const struct tgt_rows *t, const char *read_err)
{
	struct import im = { 0 };
	char detail[96], to[64];

	if (!t || t->nrows == 0) {
		import_refused(r, read_err ? read_err : "文件是空的", NULL);
		return;
	}
	if (t->nrows - 1 > TGT_MAX_ROWS) {
		import_refused(r, "一个文件最多 200 个地区", NULL);
		return;
	}
	im.rows = xcalloc(t->nrows, sizeof *im.rows);
	read_header(&im, t->rows[0], t->ncells[0], t->line[0]);
	int header_ok = im.nerrs == 0;
	/* A bad header makes every row's reading doubtful: rows only after a good one. */
	for (size_t i = 1; header_ok && i < t->nrows; i++)
		read_row(r, &im, t->rows[i], t->ncells[i], t->line[i]);
	if (im.nerrs || !im.nrows) {
		import_refused(r, im.nrows || im.nerrs ? NULL : "文件中没有地区的数据", &im);
	} else if (import_write(r, &im) < 0) {
		page_error(r, 503, "批复目标未能导入，请稍后再试。");
	} else {
		snprintf(detail, sizeof detail, "regions=%zu", im.nrows);
		audit(r, "targets-import", detail);
		snprintf(to, sizeof to, "/agency/targets?ok=%zu", im.nrows);
		resp_redirect(r, to);
	}
	free(im.rows);
	buf_free(&im.errs);
}

void targets_region_page(struct req *r)
{
	const char *region = r->arg[WK_REGION].s;
	char *name = NULL;

	if (db_query_str(r->db, STMT_REGION_NAME, DB_ARGS(A_STR(region)), &name) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (!name) {
		page_error(r, 404, MSG_NO_REGION);
		return;
	}
	page_begin(r, "批复目标完成情况");
	h_printf(r, "<p>%s（%s）。完成数：窗口平台和服务机构取自地区的自评估报告（已提交的），"
	         "投资和资金取自导入的三季度建设情况。</p>", name, region);
	if (targets_table(r, region) < 0)
		h_raw(r, "<p class=\"error\">批复目标暂时无法显示，请稍后刷新。</p>");
	h_raw(r, "<p><a href=\"/agency/targets\">返回批复目标</a></p>");
	free(name);
	page_end(r);
}
