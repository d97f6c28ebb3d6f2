/*
 * smesurvey-region - pages of the provincial SME authority (地区项目责任主体).
 *
 *   GET /region            home: deadlines and the region's progress
 *   GET /region/progress   progress per account of the region
 *   GET/POST /region/frames   sample frames: upload, column mapping, checks, confirm
 *   GET/POST /region/sample   the draw (or the region's own list), replacements
 *   GET /region/sample.csv?kind=resource|sme   the sample list (UTF-8 CSV)
 *   GET /region/slips            choose a stratum; funnel per sampled unit
 *   POST /region/slips           issue new codes and answer with an A4 PDF
 *   GET /region/slips/one?unit=  confirmation for one unit's slip
 *   POST /region/slips/one       issue a new code for that unit; PNG slip
 *   GET /region/followups[/print|.csv]   units still to call: list, call sheet, CSV
 *   GET/POST /region/followups/unit?unit=|account=   a unit's calls; record one
 *   GET /region/accounts         the region's respondent accounts
 *   GET/POST /region/accounts/reset?id=   reset one to a one-time password
 *
 * Every query is restricted to r->user->region_code: a region only ever
 * sees its own frames and samples.
 */
#include "accounts.h"
#include "aggr.h"
#include "app.h"
#include "auth.h"
#include "codes.h"
#include "conf.h"
#include "db.h"
#include "deadlines.h"
#include "deadline.h"
#include "fileio.h"
#include "html.h"
#include "http.h"
#include "progress.h"
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

/* stratum= of the large lists, in enum stratum's order (draw.h). */
static const char *const strata[] = { "hub", "window", "sme", NULL };

/* Typed page parameters: their slots in r->arg[] (the page table below). */
enum key { KEY_KIND, KEY_UNIT, KEY_ID, KEY_REASON, KEY_FORM, KEY_Q, KEY_AFTER, KEY_STRATUM, KEY_AFTER_ID };

static void region_title(struct req *r, const char *suffix)
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

static void home(struct req *r)
{
	region_title(r, " · 地区项目责任主体工作台");
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

static void progress(struct req *r)
{
	static const char *const cols[] = { "用户名", "单位名称", "问卷", "状态", "最后保存", "提交时间" };
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
		page_error(r, 503, "系统繁忙，请稍后再试。");
		return;
	}
	region_title(r, " · 填报明细");
	h_raw(r, "<form method=\"get\" action=\"/region/progress\" class=\"filters\"><label for=\"form\">问卷</label> "
	      "<select id=\"form\" name=\"form\"><option value=\"\">全部</option>");
	for (size_t k = 0; catalog_at(k); k++)
		h_printf(r, "<option value=\"%s\"%s>%s</option>", catalog_at(k)->name,
		         strcmp(form, catalog_at(k)->name) ? "" : " selected", catalog_at(k)->doc);
	h_printf(r, "</select> <label for=\"q\">用户名或单位名称</label> <input id=\"q\" type=\"search\" name=\"q\" "
	         "value=\"%s\" maxlength=\"60\"> <button type=\"submit\">查找</button></form>", q);
	/* The form's name from the catalog, never its code (issue 10). */
	size_t n = rows->nrows > PROGRESS_PAGE ? PROGRESS_PAGE : rows->nrows;
	h_table_begin(r, "progress-detail", NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < n; i++) {
		const struct form_info *fi = catalog_get(dbrows_get(rows, i, 3));
		h_printf(r, "<tr data-account=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
		         dbrows_get(rows, i, 0), dbrows_get(rows, i, 1), dbrows_get(rows, i, 2),
		         fi ? fi->doc : dbrows_get(rows, i, 3), dbrows_get(rows, i, 4),
		         dbrows_get(rows, i, 5) ? dbrows_get(rows, i, 5) : "—",
		         dbrows_get(rows, i, 6) ? dbrows_get(rows, i, 6) : "—");
	}
	if (n == 0)
		h_printf(r, "<tr><td colspan=\"6\">%s</td></tr>", *form || *q || after ? "没有符合条件的账户。" : "本地区尚无账户。");
	h_table_end(r);
	buf_puts(&fq, "/region/progress?form=");
	url_encode(&fq, form);
	buf_puts(&fq, "&q=");
	url_encode(&fq, q);
	{
		struct buf next = { 0 };
		if (rows->nrows > PROGRESS_PAGE)
			buf_printf(&next, "%s&after=%s", fq.data, dbrows_get(rows, n - 1, 0));
		h_seek_pager(r, "翻页", "", after ? fq.data : NULL, next.data);
		buf_free(&next);
	}
	buf_free(&fq);
	dbrows_free(rows);
	page_end(r);
}

/* ================================================================
 * Sample frames and the draw (issue 4 part A)
 * ================================================================ */

#define PREVIEW_ROWS       10
#define RESERVE_SHOWN      100   /* reserves listed per stratum; all in the CSV */

static const char *const kinds[3] = { "resource", "sme", NULL };

/* A sample kind is the form its units fill; its label is the catalog's. */
static const char *kind_label(const char *k)
{
	const struct form_info *fi = catalog_get(k);
	return fi ? fi->label : k;
}

static const char *kind_of(const char *k)
{
	for (int i = 0; k && i < 2; i++)
		if (strcmp(k, kinds[i]) == 0)
			return kinds[i];
	return NULL;
}

#define SME_SIZE_MAX 10000   /* largest SME sample a region may ask for */

static int quota(const struct req *r, int st)
{
	return st == ST_HUB ? r->conf->sample_hub : st == ST_WINDOW ? r->conf->sample_window
	                                                          : r->conf->sample_sme;
}

/* 1 when region/kind already has a sample (its frame is then frozen), 0 not, -1 error. */
static int sample_exists(struct req *r, const char *kind)
{
	char *id = NULL;
	if (db_query_str(r->db, STMT_SAMPLE_ID,
	                 DB_ARGS(A_STR(r->user->region_code), A_STR(kind)), &id) < 0)
		return -1;
	int e = id != NULL;
	free(id);
	return e;
}

static void pending_path(const struct req *r, const char *id, struct buf *b)
{
	buf_printf(b, "%s/frame-%s.csv", r->conf->upload_dir, id);
}

/* Deletes the region's pending frame of a kind (row and stored file). */
static void pending_drop(struct req *r, const char *kind)
{
	struct dbrows *rows;
	if (db_query(r->db, STMT_FRAMES_PENDING,
	             DB_ARGS(A_STR(r->user->region_code), A_STR(kind)), &rows) < 0)
		return;
	for (size_t i = 0; i < rows->nrows; i++) {
		struct buf p = { 0 };
		pending_path(r, dbrows_get(rows, i, 0), &p);
		unlink(p.data);
		buf_free(&p);
		db_exec(r->db, STMT_FRAME_DELETE_PENDING,
		        DB_ARGS(A_STR(dbrows_get(rows, i, 0))), NULL, NULL);
	}
	dbrows_free(rows);
}

/* The region's choices in a frame preview, as posted. */
struct frame_choice {
	struct frame_opts   o;
	int                 map[FRAME_MAX_COLS];
	struct platform_map pmap[FRAME_MAX_PLATFORMS];
};

/* Reads header_row, the column mapping map0..mapN (only when made for the
 * same heading row: shown_header_row) and the platform values pv0..pvN
 * with their strata ps0..psN from the request into c. */
static const struct frame_opts *read_choice(const struct req *r, struct frame_choice *c)
{
	const char *h = req_param(r, "header_row"), *shown = req_param(r, "shown_header_row");
	memset(c, 0, sizeof *c);
	c->o.header_row = h ? (unsigned)strtoul(h, NULL, 10) : 0;
	if (c->o.header_row > FRAME_HEAD_SCAN)
		c->o.header_row = 0;
	if (!shown || !h || strcmp(shown, h) == 0) {
		size_t n = 0;
		for (; n < FRAME_MAX_COLS; n++) {
			char key[16];
			snprintf(key, sizeof key, "map%zu", n);
			const char *v = req_param(r, key);
			if (!v)
				break;
			c->map[n] = ffield_parse(v);
		}
		c->o.map = c->map;
		c->o.nmap = n;
	}
	size_t k = 0;
	for (; k < FRAME_MAX_PLATFORMS; k++) {
		char key[16];
		snprintf(key, sizeof key, "pv%zu", k);
		const char *v = req_param(r, key);
		snprintf(key, sizeof key, "ps%zu", k);
		const char *st = req_param(r, key);
		if (!v || !st)
			break;
		c->pmap[k].value = v;
		c->pmap[k].stratum = stratum_parse(st);
	}
	c->o.pmap = c->pmap;
	c->o.npmap = k;
	return &c->o;
}

/* "hub/window/sme" counts, to notice a mapping changed after the preview. */
static void counts_text(const struct frame_parse *fp, char out[64])
{
	snprintf(out, 64, "%zu/%zu/%zu", fp->count[ST_HUB], fp->count[ST_WINDOW], fp->count[ST_SME]);
}

/* Fetches the uploaded file param; answers with an error message in *why. */
static const struct param *upload_param(const struct req *r, const char **why)
{
	const struct param *f = req_param_p(r, "file");
	if (!f || !f->filename || f->len == 0) {
		*why = "请选择要上传的 Excel（.xlsx）或 CSV 文件。";
		return NULL;
	}
	if (f->len > FRAME_UPLOAD_MAX) {
		*why = "文件过大（最大 2 MB）。请拆分或删去多余的列后重试。";
		return NULL;
	}
	return f;
}

static void show_errors(struct req *r, const struct frame_parse *fp)
{
	if (fp->fatal[0]) {
		h_printf(r, "<p class=\"error\" role=\"alert\">无法使用此文件：%s</p>", fp->fatal);
		return;
	}
	if (!fp->nerrs_total)
		return;
	h_printf(r, "<div class=\"error\" role=\"alert\"><p>有 %zu 处错误，请修改文件后重新上传：</p><ul class=\"errors\">",
	         fp->nerrs_total);
	for (size_t i = 0; i < fp->nerrs; i++)
		h_printf(r, "<li>第 %lu 行：%s</li>", fp->errs[i].line, fp->errs[i].msg);
	if (fp->nerrs_total > fp->nerrs)
		h_printf(r, "<li>……另有 %zu 处错误未列出</li>", fp->nerrs_total - fp->nerrs);
	h_raw(r, "</ul></div>");
}

/* Units per stratum of a stored frame into count (left as is on error). */
static void frame_strata(struct req *r, const char *frame_id, size_t count[ST_COUNT])
{
	struct dbrows *cnt;
	if (db_query(r->db, STMT_FRAME_STRATUM_COUNTS,
	             DB_ARGS(A_STR(frame_id)), &cnt) < 0)
		return;
	for (size_t i = 0; i < cnt->nrows; i++) {
		int st = stratum_parse(dbrows_get(cnt, i, 0));
		if (st >= 0)
			count[st] = (size_t)dbrows_int(cnt, i, 1);
	}
	dbrows_free(cnt);
}

static void strata_counts(struct req *r, const char *kind, const size_t count[ST_COUNT])
{
	if (strcmp(kind, "sme") == 0)
		h_printf(r, "<p class=\"strata\">中小企业：%zu 家（应抽 %d 家）。</p>", count[ST_SME], r->conf->sample_sme);
	else
		h_printf(r, "<p class=\"strata\">地区枢纽平台组织的服务资源单位：%zu 家（应抽 %d 家）；"
		         "窗口平台组织的：%zu 家（应抽 %d 家）。</p>",
		         count[ST_HUB], r->conf->sample_hub, count[ST_WINDOW], r->conf->sample_window);
}

/* The value mapping of a resource frame: every distinct platform value,
 * its units and the stratum it is assigned to (form fields pvN/psN). */
static void platform_mapping(struct req *r, const struct frame_parse *fp)
{
	if (fp->nplat == 0)
		return;
	h_raw(r, "<div class=\"table-wrap\"><table id=\"platform-map\"><caption>组织平台的取值：请指定每个取值是地区枢纽平台还是窗口平台"
	      "</caption><thead><tr><th scope=\"col\">组织平台（文件中的写法）</th><th scope=\"col\">单位数</th>"
	      "<th scope=\"col\">属于</th></tr></thead><tbody>");
	for (size_t i = 0; i < fp->nplat; i++) {
		const struct frame_platform *p = &fp->plat[i];
		h_printf(r, "<tr><td>%s<input type=\"hidden\" name=\"pv%zu\" value=\"%s\"></td><td>%zu</td>"
		         "<td><select name=\"ps%zu\" aria-label=\"%s 属于\">"
		         "<option value=\"hub\"%s>枢纽平台（地区枢纽平台）</option>"
		         "<option value=\"window\"%s>窗口平台</option></select>%s</td></tr>",
		         p->value, i, p->value, p->count, i, p->value,
		         p->stratum == ST_HUB ? " selected" : "", p->stratum == ST_WINDOW ? " selected" : "",
		         p->assigned ? "" : "（系统推测，请核对）");
	}
	h_raw(r, "</tbody></table></div>");
}

/* The preview of a pending frame: charset, mapping selects, checks, first rows. */
static void pending_preview(struct req *r, const char *kind, const struct dbrows *pf,
                            const struct frame_opts *opts)
{
	struct buf path = { 0 };
	char *text = NULL, err[256];
	size_t n = 0;
	const char *id = dbrows_get(pf, 0, 0);

	pending_path(r, id, &path);
	h_printf(r, "<section class=\"panel\" id=\"pending-%s\"><h3>待确认的上传：%s</h3>",
	         kind, dbrows_get(pf, 0, 1));
	if (file_read_bounded(path.data, FRAME_MAX_BYTES, &text, &n, err, sizeof err) < 0) {
		h_raw(r, "<p class=\"error\">上传的文件已无法读取，请重新上传。</p></section>");
		buf_free(&path);
		return;
	}
	struct frame_parse fp;
	char counts[64];
	int rc = frame_parse(text, n, kind, opts, &fp);
	counts_text(&fp, counts);
	h_printf(r, "<p>检测到的文件编码：<strong>%s</strong>；表头在第 %lu 行；数据行：%zu。</p>",
	         dbrows_get(pf, 0, 2), fp.header_line, fp.nunits);
	if (rc >= 0) {
		strata_counts(r, kind, fp.count);
		for (int st = 0; st < ST_COUNT; st++)
			if (kind_has_stratum(kind, st) && fp.count[st] < (size_t)quota(r, st))
				h_printf(r, "<p class=\"error\">注意：%s只有 %zu 家，少于应抽的 %d 家。"
				         "如组织平台的取值对应有误，请在下表中改正后重新检查。</p>",
				         stratum_label(st), fp.count[st], quota(r, st));
	}
	show_errors(r, &fp);

	h_raw(r, "<form method=\"post\" action=\"/region/frames\">");
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"kind\" value=\"%s\"><input type=\"hidden\" name=\"id\" value=\"%s\">"
	         "<input type=\"hidden\" name=\"shown_header_row\" value=\"%u\">"
	         "<input type=\"hidden\" name=\"shown_counts\" value=\"%s\">",
	         kind, id, fp.header_row, counts);
	/* The heading row: a title row above the headings is common. */
	h_raw(r, "<p><label for=\"header_row\">表头所在的行</label><select id=\"header_row\" name=\"header_row\">");
	for (size_t i = 0; i < fp.ntop; i++)
		h_printf(r, "<option value=\"%zu\"%s>第 %lu 行：%s</option>", i + 1,
		         fp.header_row == i + 1 ? " selected" : "", fp.top[i].line, fp.top[i].text);
	h_raw(r, "</select></p>");
	h_raw(r, "<div class=\"table-wrap\"><table><caption>列对应关系</caption><thead><tr>"
	      "<th scope=\"col\">列</th><th scope=\"col\">表头</th><th scope=\"col\">导入为</th></tr></thead><tbody>");
	for (size_t i = 0; i < fp.ncols; i++) {
		h_printf(r, "<tr><td>%zu</td><td>%s</td><td><select name=\"map%zu\" aria-label=\"第 %zu 列导入为\">",
		         i + 1, fp.header[i], i, i + 1);
		for (int f = 0; f < FF_COUNT; f++)
			h_printf(r, "<option value=\"%s\"%s>%s</option>", ffield_code(f),
			         fp.map[i] == f ? " selected" : "", ffield_label(f));
		h_raw(r, "</select></td></tr>");
	}
	h_raw(r, "</tbody></table></div>");
	if (!fp.fatal[0] && strcmp(kind, "resource") == 0)
		platform_mapping(r, &fp);
	if (fp.nunits && !fp.fatal[0]) {
		h_raw(r, "<div class=\"table-wrap\"><table><caption>前几行预览</caption><thead><tr><th scope=\"col\">行</th>"
		      "<th scope=\"col\">层</th><th scope=\"col\">名称</th><th scope=\"col\">组织平台</th>"
		      "<th scope=\"col\">联系人</th><th scope=\"col\">电话</th><th scope=\"col\">邮箱</th>"
		      "<th scope=\"col\">统一社会信用代码</th><th scope=\"col\">地址</th><th scope=\"col\">邮编</th></tr></thead><tbody>");
		for (size_t i = 0; i < fp.nunits && i < PREVIEW_ROWS; i++) {
			const struct unit *u = &fp.units[i];
			h_printf(r, "<tr><td>%lu</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
			         "<td>%s</td><td>%s</td><td>%s</td></tr>",
			         u->line, stratum_label(u->stratum), u->name, u->platform, u->contact, u->phone, u->email,
			         u->org_code, u->address, u->zip);
		}
		h_raw(r, "</tbody></table></div>");
	}
	h_raw(r, "<p><button type=\"submit\" name=\"action\" value=\"preview\">按所选对应关系重新检查</button> ");
	if (rc == 0)
		h_raw(r, "<button type=\"submit\" name=\"action\" value=\"confirm\">确认导入</button> ");
	h_raw(r, "<button type=\"submit\" name=\"action\" value=\"discard\">放弃此次上传</button></p></form></section>");
	frame_parse_free(&fp);
	free(text);
	buf_free(&path);
}

/* One kind's section of the frames page: the confirmed frame, then (until
 * the sample is drawn) the pending upload with map, and the upload form. */
static void frame_section(struct req *r, const char *kind, const struct frame_opts *opts)
{
	struct dbrows *cf = NULL, *pf = NULL;
	int locked = sample_exists(r, kind);
	h_printf(r, "<section id=\"%s\"><h2>%s样本框</h2>", kind, kind_label(kind));
	if (locked < 0 ||
	    db_query(r->db, STMT_FRAME_CONFIRMED,
	             DB_ARGS(A_STR(r->user->region_code), A_STR(kind)), &cf) < 0 ||
	    db_query(r->db, STMT_FRAME_PENDING_LATEST,
	             DB_ARGS(A_STR(r->user->region_code), A_STR(kind)), &pf) < 0) {
		h_raw(r, "<p class=\"error\">暂时无法读取，请稍后刷新。</p></section>");
		dbrows_free(cf);
		return;
	}
	if (cf->nrows) {
		size_t count[ST_COUNT] = { 0 };
		frame_strata(r, dbrows_get(cf, 0, 0), count);
		h_printf(r, "<p class=\"notice\">已确认的样本框：%s（%s），共 %s 家，%s 上传。校验值（SHA-256）："
		         "<code class=\"checksum\">%s</code></p>",
		         dbrows_get(cf, 0, 1), dbrows_get(cf, 0, 2), dbrows_get(cf, 0, 3),
		         dbrows_get(cf, 0, 5), dbrows_get(cf, 0, 4));
		strata_counts(r, kind, count);
	} else {
		h_raw(r, "<p>尚未导入样本框。</p>");
	}
	if (locked) {
		h_raw(r, "<p>已经抽样，样本框不能再替换。请到<a href=\"/region/sample\">抽样</a>页面查看样本。</p>");
	} else {
		if (pf->nrows)
			pending_preview(r, kind, pf, opts);
		h_raw(r, "<form method=\"post\" action=\"/region/frames\" enctype=\"multipart/form-data\">");
		h_csrf_field(r);
		h_printf(r, "<input type=\"hidden\" name=\"kind\" value=\"%s\"><input type=\"hidden\" name=\"action\" value=\"upload\">"
		         "<p><label>%s样本框文件（Excel .xlsx 或 CSV，最大 2 MB）：<input type=\"file\" name=\"file\" accept=\".xlsx,.csv,text/csv\" required></label> "
		         "<button type=\"submit\">上传并检查</button></p></form>",
		         kind, kind_label(kind));
	}
	h_raw(r, "</section>");
	dbrows_free(cf);
	dbrows_free(pf);
}

/* The frames page. For one kind, an explicit mapping (from a preview POST)
 * may replace the guessed one. */
static void frames_page(struct req *r, const char *map_kind, const struct frame_opts *opts,
                        const char *msg)
{
	region_title(r, " · 样本框");
	if (msg)
		h_printf(r, "<p class=\"error\" role=\"alert\">%s</p>", msg);
	h_raw(r, "<p>请分别上传服务资源单位和中小企业的样本框：Excel 文件（.xlsx，读取第一个工作表），"
	      "或 CSV 文件（UTF-8 或 Excel 默认的 GB18030 编码均可）。表格上方可以有标题行，上传后可选择表头所在的行。"
	      "服务资源单位需包含“名称”和“组织平台”两列（组织平台可填写平台的名称，上传后逐一指定每个平台是地区枢纽平台还是窗口平台）；"
	      "中小企业需包含“名称”列；“联系人”“电话”“邮箱”“统一社会信用代码/组织机构代码”“地址”“邮编”列可选。"
	      "上传后先检查、确认列和平台的对应关系及各层数量，确认后才导入。抽样之后样本框不能再替换。</p>");
	for (int k = 0; k < 2; k++) {
		int same = map_kind && strcmp(map_kind, kinds[k]) == 0;
		frame_section(r, kinds[k], same ? opts : NULL);
	}
	page_end(r);
}

static void frames_upload(struct req *r, const char *kind)
{
	const char *why = NULL, *charset;
	const struct param *f = upload_param(r, &why);
	char *text = NULL;
	size_t n;
	unsigned long long id = 0;

	if (!f) {
		resp_status(r, 400);
		frames_page(r, NULL, NULL, why);
		return;
	}
	char why2[300];
	if (frame_upload_text(f->value, f->len, &text, &n, &charset, why2, sizeof why2) < 0) {
		resp_status(r, 400);
		frames_page(r, NULL, NULL, why2);
		return;
	}
	char *fn = frame_clean_filename(f->filename);
	pending_drop(r, kind);
	struct buf path = { 0 };
	if (db_exec(r->db, STMT_FRAME_INSERT_PENDING,
	            DB_ARGS(A_STR(r->user->region_code), A_STR(kind), A_STR(fn), A_STR(charset),
	                    A_INT(r->user->id)), NULL, &id) < 0) {
		page_error(r, 503, "系统繁忙，请稍后再试。");
		goto out;
	}
	char ids[24];
	snprintf(ids, sizeof ids, "%llu", id);
	pending_path(r, ids, &path);
	if (file_write_durable(path.data, text, n, 0600) < 0) {
		db_exec(r->db, STMT_FRAME_DELETE, DB_ARGS(A_INT(id)), NULL, NULL);
		page_error(r, 503, "上传的文件无法保存，请稍后再试。");
		goto out;
	}
	struct buf loc = { 0 };
	buf_printf(&loc, "/region/frames#pending-%s", kind);
	resp_redirect(r, loc.data);
	buf_free(&loc);
out:
	buf_free(&path);
	free(fn);
	free(text);
}

/* Inserts the checked units into the pending frame and makes it the
 * region's confirmed frame of this kind (replacing an older one). */
static int frames_store(struct req *r, const char *kind, const char *id, const struct frame_parse *fp,
                        const char *sum)
{
	if (db_begin(r->db) < 0)
		return -1;
	if (frame_store(r->db, r->user->region_code, kind, id, fp, sum) != 0 || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return -1;
	}
	return 0;
}

static void frames_confirm(struct req *r, const char *kind, int preview_only)
{
	struct frame_choice *choice = xmalloc(sizeof *choice);
	const struct frame_opts *opts = read_choice(r, choice);
	const char *shown = req_param(r, "shown_counts");
	const char *id = req_param(r, "id");
	char *ok_id = NULL;

	if (!id || db_query_str(r->db, STMT_FRAME_PENDING_CHECK,
	                        DB_ARGS(A_STR(id), A_STR(r->user->region_code), A_STR(kind)), &ok_id) < 0 || !ok_id) {
		resp_status(r, 404);
		frames_page(r, NULL, NULL, "待确认的上传不存在（可能已确认或被替换），请刷新页面。");
		free(choice);
		return;
	}
	if (preview_only) {
		free(ok_id);
		frames_page(r, kind, opts, NULL);
		free(choice);
		return;
	}
	struct buf path = { 0 };
	char *text = NULL, err[256], sum[65], counts[64];
	size_t n;
	struct frame_parse fp;
	int rc, parsed = 0;
	pending_path(r, ok_id, &path);
	if (file_read_bounded(path.data, FRAME_MAX_BYTES, &text, &n, err, sizeof err) < 0) {
		resp_status(r, 410);
		frames_page(r, NULL, NULL, "上传的文件已无法读取，请重新上传。");
		goto out;
	}
	rc = frame_parse(text, n, kind, opts, &fp);
	parsed = 1;
	if (rc != 0) {
		resp_status(r, 422);
		frames_page(r, kind, opts, "文件有错误，未导入。");
		goto out;
	}
	/* The counts against the quotas were shown before confirming: a
	 * mapping changed since needs another look. */
	counts_text(&fp, counts);
	if (shown && strcmp(shown, counts) != 0) {
		resp_status(r, 409);
		frames_page(r, kind, opts, "对应关系已更改，各层数量随之变化：请核对下方的数量后再确认导入。");
		goto out;
	}
	units_checksum(fp.units, fp.nunits, sum);
	if (frames_store(r, kind, ok_id, &fp, sum) < 0) {
		page_error(r, 503, "导入失败，请稍后再试。");
		goto out;
	}
	unlink(path.data);
	{
		struct buf d = { 0 };
		buf_printf(&d, "region=%s kind=%s frame=%s units=%zu checksum=%s header_row=%lu strata=%s",
		           r->user->region_code, kind, ok_id, fp.nunits, sum, fp.header_line, counts);
		audit(r, "frame-confirm", d.data);
		buf_free(&d);
	}
	resp_redirect(r, strcmp(kind, "sme") == 0 ? "/region/frames#sme" : "/region/frames#resource");
out:
	if (parsed)
		frame_parse_free(&fp);
	free(text);
	free(ok_id);
	free(choice);
	buf_free(&path);
}

static void frames_get(struct req *r)
{
	frames_page(r, NULL, NULL, NULL);
}

static void frames_post(struct req *r)
{
	if (csrf_check(r) != 0) {
		page_error(r, 403, "页面已过期，请刷新后重试。");
		return;
	}
	const char *kind = kind_of(req_param(r, "kind"));
	const char *action = req_param(r, "action");
	if (!kind || !action) {
		page_error(r, 400, "请求不完整。");
		return;
	}
	int locked = sample_exists(r, kind);
	if (locked < 0) {
		page_error(r, 503, "系统繁忙，请稍后再试。");
		return;
	}
	if (locked && strcmp(action, "discard") != 0) {
		resp_status(r, 409);
		frames_page(r, NULL, NULL, "已经抽样，样本框不能再替换。");
		return;
	}
	if (strcmp(action, "upload") == 0)
		frames_upload(r, kind);
	else if (strcmp(action, "preview") == 0)
		frames_confirm(r, kind, 1);
	else if (strcmp(action, "confirm") == 0)
		frames_confirm(r, kind, 0);
	else if (strcmp(action, "discard") == 0) {
		pending_drop(r, kind);
		resp_redirect(r, "/region/frames");
	} else
		page_error(r, 400, "请求不完整。");
}

/* ---------------------------------------------------------------- samples */

static const char *unit_status_label(const char *role, const char *status)
{
	if (strcmp(status, "replaced") == 0)
		return "已替换";
	if (strcmp(status, "unused") == 0)
		return "未使用";
	return strcmp(role, "selected") == 0 ? "入样" : "备选";
}

static int kind_has(const char *kind, int st)
{
	return strcmp(kind, "sme") == 0 ? st == ST_SME : st != ST_SME;
}

static void units_table_head(struct req *r, const char *caption, int with_action)
{
	h_printf(r, "<div class=\"table-wrap\"><table><caption>%s</caption><thead><tr><th scope=\"col\">顺位</th>"
	         "<th scope=\"col\">名称</th><th scope=\"col\">组织平台</th><th scope=\"col\">联系人</th>"
	         "<th scope=\"col\">电话</th><th scope=\"col\">邮箱</th><th scope=\"col\">统一社会信用代码</th>"
	         "<th scope=\"col\">地址</th><th scope=\"col\">邮编</th><th scope=\"col\">状态</th>", caption);
	if (with_action)
		h_raw(r, "<th scope=\"col\">替换</th>");
	h_raw(r, "</tr></thead><tbody>");
}

#define SAMPLE_PAGE 100   /* selected units per stratum and page */

/* A page of a stratum's units of one role from the key (position, id) on,
 * at most limit, searched by name. */
static int units_page(struct req *r, const char *sid, int st, const char *role, long long pos,
                      const char *id, const char *q, long limit, struct dbrows **out)
{
	return db_query(r->db, STMT_SAMPLE_UNITS_PAGE,
	                DB_ARGS(A_STR(sid), A_STR(stratum_code(st)), A_STR(role), A_INT(pos), A_INT(pos),
	                        A_STR(id), A_STR(q), A_STR(q), A_INT(limit)), out);
}

/* The pager of one stratum: back to its first page, on from its last row. */
static void stratum_pager(struct req *r, const char *kind, int st, const char *q, int first,
                          const struct dbrows *last, size_t n)
{
	struct buf link = { 0 }, top = { 0 }, next = { 0 }, label = { 0 };
	if (first && !last)
		return;
	buf_printf(&link, "/region/sample?stratum=%s&q=", stratum_code(st));
	url_encode(&link, q);
	buf_printf(&top, "%s#%s-%s", link.data, kind, stratum_code(st));
	if (last)
		buf_printf(&next, "%s&after=%s&after_id=%s#%s-%s", link.data, dbrows_get(last, n - 1, 3),
		           dbrows_get(last, n - 1, 0), kind, stratum_code(st));
	buf_printf(&label, "%s分页", stratum_label(st));
	h_seek_pager(r, label.data, "", first ? NULL : top.data, next.data);
	buf_free(&link);
	buf_free(&top);
	buf_free(&next);
	buf_free(&label);
}

/* One stratum of the sample page: counts, a page of its selected units
 * from the key on (the page that holds `done`, the unit that just came in,
 * when it is of this stratum), its first reserves. */
static void stratum_section(struct req *r, const char *kind, const char *sid, int st, long long active,
                            long long reserves, const char *q, const struct dbrows *came)
{
	struct dbrows *u = NULL, *res = NULL;
	long long pos = 0;
	char after_id[24] = "0";
	unsigned long long done = r->arg[KEY_UNIT].present ? r->arg[KEY_UNIT].id : 0;

	h_printf(r, "<h3 id=\"%s-%s\">%s：入样 %lld 家，备选 %lld 家（应抽 %d 家）</h3>", kind, stratum_code(st),
	         stratum_label(st), active, reserves, quota(r, st));
	if (active < quota(r, st))
		h_printf(r, "<p class=\"error\">注意：%s入样单位少于应抽数量（少 %lld 家）。</p>",
		         stratum_label(st), (long long)quota(r, st) - active);
	if (came && stratum_parse(dbrows_get(came, 0, 0)) == st) {
		pos = dbrows_int(came, 0, 1) - 1;   /* the unit that came in heads its page */
		snprintf(after_id, sizeof after_id, "%s", "18446744073709551615");
	} else if (r->arg[KEY_STRATUM].present && r->arg[KEY_STRATUM].n == st && r->arg[KEY_AFTER].present) {
		pos = (long long)r->arg[KEY_AFTER].id;
		snprintf(after_id, sizeof after_id, "%llu", r->arg[KEY_AFTER_ID].present ? r->arg[KEY_AFTER_ID].id : 0ULL);
	}
	if (units_page(r, sid, st, "selected", pos, after_id, q, SAMPLE_PAGE + 1, &u) < 0 ||
	    units_page(r, sid, st, "reserve", 0, "0", q, RESERVE_SHOWN + 1, &res) < 0) {
		dbrows_free(u);
		h_raw(r, "<p class=\"error\">样本暂时无法显示，请稍后刷新。</p>");
		return;
	}
	size_t n = u->nrows > SAMPLE_PAGE ? SAMPLE_PAGE : u->nrows;
	units_table_head(r, "入样单位", 1);
	for (size_t i = 0; i < n; i++) {
		const char *status = dbrows_get(u, i, 4);
		h_printf(r, "<tr id=\"unit-%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
		         "<td>%s</td><td>%s</td><td>%s</td><td>%s",
		         dbrows_get(u, i, 0), dbrows_get(u, i, 3), dbrows_get(u, i, 5), dbrows_get(u, i, 6), dbrows_get(u, i, 7),
		         dbrows_get(u, i, 8), dbrows_get(u, i, 9), dbrows_get(u, i, 12), dbrows_get(u, i, 13),
		         dbrows_get(u, i, 14), unit_status_label("selected", status));
		if (strcmp(status, "replaced") == 0)
			h_printf(r, "（原因：%s）", dbrows_get(u, i, 11));
		if (dbrows_get(u, i, 10))
			h_raw(r, "（替补）");
		/* The confirmation of a replacement, at the unit that came in. */
		if (came && done == (unsigned long long)dbrows_int(u, i, 0) && dbrows_get(came, 0, 2))
			h_printf(r, "<p class=\"notice\" role=\"status\">已替换：本单位（备选第 %s 位）替补“%s”，原因：%s。"
			         "请为本单位打印邀请单。</p>", dbrows_get(u, i, 3), dbrows_get(came, 0, 2),
			         dbrows_get(came, 0, 3));
		h_raw(r, "</td><td>");
		if (strcmp(status, "active") == 0 && reserves > 0)
			h_printf(r, "<a href=\"/region/sample/replace?unit=%s\">用备选替换…</a>", dbrows_get(u, i, 0));
		h_raw(r, "</td></tr>");
	}
	h_raw(r, "</tbody></table></div>");
	stratum_pager(r, kind, st, q, pos == 0, u->nrows > SAMPLE_PAGE ? u : NULL, n);
	if (res->nrows) {
		size_t shown = res->nrows > RESERVE_SHOWN ? RESERVE_SHOWN : res->nrows;
		units_table_head(r, "备选单位（按顺位依次递补）", 0);
		for (size_t i = 0; i < shown; i++)
			h_printf(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
			         "<td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
			         dbrows_get(res, i, 3), dbrows_get(res, i, 5), dbrows_get(res, i, 6), dbrows_get(res, i, 7),
			         dbrows_get(res, i, 8), dbrows_get(res, i, 9), dbrows_get(res, i, 12), dbrows_get(res, i, 13),
			         dbrows_get(res, i, 14), unit_status_label("reserve", dbrows_get(res, i, 4)));
		h_raw(r, "</tbody></table></div>");
		if (res->nrows > RESERVE_SHOWN)
			h_printf(r, "<p>只列出前 %d 家备选单位，完整名单见 CSV。</p>", RESERVE_SHOWN);
	}
	dbrows_free(u);
	dbrows_free(res);
}

/* Replacement log: each promoted reserve names the unit it replaced. */
static void replacement_log(struct req *r, const char *sid)
{
	struct dbrows *g;
	if (db_query(r->db, STMT_SAMPLE_REPLACEMENTS, DB_ARGS(A_STR(sid)), &g) < 0)
		return;
	if (g->nrows) {
		h_raw(r, "<h3>替换记录</h3><ul class=\"replace-log\">");
		for (size_t i = 0; i < g->nrows; i++)
			h_printf(r, "<li>%s（%s 第 %s 位）由备选 %s（第 %s 位）替换，原因：%s</li>",
			         dbrows_get(g, i, 0), stratum_label(stratum_parse(dbrows_get(g, i, 1))),
			         dbrows_get(g, i, 2), dbrows_get(g, i, 3), dbrows_get(g, i, 4), dbrows_get(g, i, 5));
		h_raw(r, "</ul>");
	}
	dbrows_free(g);
}

static void sample_show(struct req *r, const char *kind, const struct dbrows *s)
{
	struct dbrows *c = NULL, *came = NULL;
	const char *sid = dbrows_get(s, 0, 0);
	int drawn = strcmp(dbrows_get(s, 0, 1), "drawn") == 0;
	const char *q = r->arg[KEY_Q].present ? r->arg[KEY_Q].s : "";
	long long sel[ST_COUNT] = { 0 }, res[ST_COUNT] = { 0 };
	char done[24];

	snprintf(done, sizeof done, "%llu", r->arg[KEY_UNIT].present ? r->arg[KEY_UNIT].id : 0ULL);
	if (db_query(r->db, STMT_SAMPLE_STRATA_COUNTS, DB_ARGS(A_STR(sid)), &c) < 0 ||
	    db_query(r->db, STMT_SAMPLE_UNIT_CAME_IN, DB_ARGS(A_STR(done), A_STR(sid)), &came) < 0) {
		dbrows_free(c);
		h_raw(r, "<p class=\"error\">样本暂时无法显示，请稍后刷新。</p>");
		return;
	}
	for (size_t i = 0; i < c->nrows; i++) {
		int st = stratum_parse(dbrows_get(c, i, 0));
		if (st >= 0) {
			sel[st] = dbrows_int(c, i, 1);
			res[st] = dbrows_int(c, i, 2);
		}
	}
	dbrows_free(c);
	if (came->nrows == 0) {
		dbrows_free(came);
		came = NULL;
	}
	h_printf(r, "<p>%s，%s。<a href=\"/region/sample.csv?kind=%s\">下载样本名单（CSV）</a></p>",
	         drawn ? "系统随机抽取" : "地区上传抽样名单", dbrows_get(s, 0, 5), kind);
	/* The details for the evaluation agency's check, out of the way. */
	h_raw(r, "<details class=\"sample-meta\"><summary>抽样技术信息（随机种子、算法、校验值，供评估机构复核）</summary><dl>");
	if (drawn)
		h_printf(r, "<dt>随机种子</dt><dd><code class=\"seed\">%s</code></dd><dt>算法</dt><dd><code>%s</code></dd>",
		         dbrows_get(s, 0, 3), dbrows_get(s, 0, 4));
	h_printf(r, "<dt>%s校验值（SHA-256）</dt><dd><code class=\"checksum\">%s</code></dd></dl></details>",
	         drawn ? "样本框" : "名单", dbrows_get(s, 0, 2));
	/* The strata as tabs (links to their sections), each with its counts. */
	h_raw(r, "<nav class=\"strata-tabs\" aria-label=\"各层\"><ul>");
	for (int st = 0; st < ST_COUNT; st++)
		if (kind_has(kind, st))
			h_printf(r, "<li><a href=\"#%s-%s\">%s（入样 %lld / 应抽 %d）</a></li>", kind, stratum_code(st),
			         stratum_label(st), sel[st], quota(r, st));
	h_raw(r, "</ul></nav>");
	h_printf(r, "<form method=\"get\" action=\"/region/sample#%s\" class=\"filters\"><label>查找单位 "
	         "<input type=\"search\" name=\"q\" value=\"%s\" maxlength=\"60\"></label> <button type=\"submit\">查找</button>",
	         kind, q);
	if (*q)
		h_raw(r, " <a href=\"/region/sample\">显示全部</a>");
	h_raw(r, "</form>");
	for (int st = 0; st < ST_COUNT; st++)
		if (kind_has(kind, st))
			stratum_section(r, kind, sid, st, sel[st], res[st], q, came);
	replacement_log(r, sid);
	dbrows_free(came);
}

static void sample_forms(struct req *r, const char *kind)
{
	struct dbrows *cf = NULL;
	if (db_query(r->db, STMT_FRAME_CONFIRMED_SUMMARY,
	             DB_ARGS(A_STR(r->user->region_code), A_STR(kind)), &cf) < 0) {
		h_raw(r, "<p class=\"error\">暂时无法读取，请稍后刷新。</p>");
		return;
	}
	if (cf->nrows == 0) {
		h_raw(r, "<p>尚未抽样。请先在<a href=\"/region/frames\">样本框</a>页面导入样本框，或在下方上传本地区已抽取的名单。</p>");
	} else {
		size_t count[ST_COUNT] = { 0 };
		uint64_t seed = 0;
		char hex[17];
		frame_strata(r, dbrows_get(cf, 0, 0), count);
		h_printf(r, "<p>样本框共 %s 家，校验值 <code class=\"checksum\">%s</code>。</p>",
		         dbrows_get(cf, 0, 1), dbrows_get(cf, 0, 2));
		strata_counts(r, kind, count);
		int is_short = 0;
		for (int st = 0; st < ST_COUNT; st++)
			if (kind_has(kind, st) && count[st] < (size_t)quota(r, st)) {
				h_printf(r, "<p class=\"error\">注意：%s只有 %zu 家，少于应抽的 %d 家。</p>",
				         stratum_label(st), count[st], quota(r, st));
				is_short = 1;
			}
		seed_random(&seed);
		seed_format(seed, hex);
		h_raw(r, "<form method=\"post\" action=\"/region/sample\">");
		h_csrf_field(r);
		h_printf(r, "<input type=\"hidden\" name=\"action\" value=\"draw\"><input type=\"hidden\" name=\"kind\" value=\"%s\">", kind);
		if (strcmp(kind, "sme") == 0)
			h_printf(r, "<p><label>中小企业抽样数量（不少于 %d 家）：<input type=\"number\" name=\"sme_n\" value=\"%d\" "
			         "min=\"%d\" max=\"%d\" required></label></p>", r->conf->sample_sme, r->conf->sample_sme,
			         r->conf->sample_sme, SME_SIZE_MAX);
		/* A short frame is drawn only when the region says it knows the
		 * consequence (issue 10). */
		if (is_short)
			h_raw(r, "<p class=\"confirm-short\"><label><input type=\"checkbox\" name=\"confirm_short\" value=\"1\" required> "
			      "我已核对样本框：不足的层将全部入样、没有备选单位，抽样结果不能再更改（只能由工业和信息化部重置）。"
			      "仍按此样本框抽样。</label></p>");
		h_printf(r, "<p><label>随机种子（16 位十六进制，可改为其他值）：<input type=\"text\" name=\"seed\" value=\"%s\" "
		         "pattern=\"[0-9a-fA-F]{1,16}\" maxlength=\"18\" required></label> "
		         "<button type=\"submit\">随机抽样</button></p>"
		         "<p>抽样使用分层简单随机抽样（不放回）；相同的样本框和种子总能得到相同的样本，评估机构可据此复核。"
		         "抽样后样本框不能再替换。</p></form>", hex);
	}
	dbrows_free(cf);
	h_raw(r, "<form method=\"post\" action=\"/region/sample\" enctype=\"multipart/form-data\">");
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"action\" value=\"upload\"><input type=\"hidden\" name=\"kind\" value=\"%s\">"
	         "<p><label>或上传本地区自行抽取的%s名单（Excel .xlsx 或 CSV，列同样本框）：<input type=\"file\" name=\"file\" accept=\".xlsx,.csv,text/csv\" required></label> "
	         "<button type=\"submit\">上传抽样名单</button></p></form>", kind, kind_label(kind));
}

static void sample_page(struct req *r, const char *msg, const struct frame_parse *errs)
{
	region_title(r, " · 抽样");
	if (msg)
		h_printf(r, "<p class=\"error\" role=\"alert\">%s</p>", msg);
	if (errs)
		show_errors(r, errs);
	h_printf(r, "<p>按照通知要求，每个地区随机抽取 %d 家服务资源单位（其中从地区枢纽平台抽取 %d 家，窗口平台抽取 %d 家）"
	         "和不少于 %d 家的中小企业。</p>", r->conf->sample_hub + r->conf->sample_window,
	         r->conf->sample_hub, r->conf->sample_window, r->conf->sample_sme);
	for (int k = 0; k < 2; k++) {
		const char *kind = kinds[k];
		struct dbrows *s;
		h_printf(r, "<section id=\"%s\"><h2>%s样本</h2>", kind, kind_label(kind));
		if (db_query(r->db, STMT_SAMPLE_GET,
		             DB_ARGS(A_STR(r->user->region_code), A_STR(kind)), &s) < 0) {
			h_raw(r, "<p class=\"error\">暂时无法读取，请稍后刷新。</p></section>");
			continue;
		}
		if (s->nrows)
			sample_show(r, kind, s);
		else
			sample_forms(r, kind);
		dbrows_free(s);
		h_raw(r, "</section>");
	}
	page_end(r);
}

/* The SME sample size the region asked for: at least the configured
 * sample_sme (the notice: 不少于100家), at most SME_SIZE_MAX. -1 when bad. */
static int sme_size(const struct req *r)
{
	const char *v = req_param(r, "sme_n");
	if (v == NULL || *v == '\0')
		return r->conf->sample_sme;
	char *end;
	long n = strtol(v, &end, 10);
	return *end == '\0' && n >= r->conf->sample_sme && n <= SME_SIZE_MAX ? (int)n : -1;
}

/* The consequence of drawing a frame short of its quotas, in words. */
static void short_message(struct buf *b, const char *kind, const struct drawn *dr)
{
	buf_puts(b, "样本框不足：");
	for (int st = 0; st < ST_COUNT; st++)
		if (kind_has_stratum(kind, st) && dr->cnt[st] < dr->quota[st])
			buf_printf(b, "%s只有 %zu 家，少于应抽的 %zu 家；", stratum_label(st), dr->cnt[st], dr->quota[st]);
	buf_puts(b, "若按此抽样，不足的层将全部入样、没有备选单位，抽样结果不能再更改（只能由工业和信息化部重置）。"
	         "如组织平台一列填写有误，请重新导入样本框；确需按此抽样，请勾选确认后再抽样。");
}

static void sample_draw(struct req *r, const char *kind)
{
	uint64_t seed;
	struct drawn dr = { 0 };
	const int n_sme = sme_size(r);
	const int q[ST_COUNT] = { quota(r, ST_HUB), quota(r, ST_WINDOW), n_sme };
	const char *confirm = req_param(r, "confirm_short");
	const int allow_short = confirm && strcmp(confirm, "1") == 0;

	if (seed_parse(req_param(r, "seed"), &seed) < 0) {
		resp_status(r, 400);
		sample_page(r, "随机种子应为 1-16 位十六进制数字（0-9、a-f）。", NULL);
		return;
	}
	if (n_sme < 0) {
		resp_status(r, 400);
		struct buf m = { 0 };
		buf_printf(&m, "中小企业抽样数量应为 %d 至 %d 之间的整数。", r->conf->sample_sme, SME_SIZE_MAX);
		sample_page(r, m.data, NULL);
		buf_free(&m);
		return;
	}
	/* One transaction: the draw and its audit row. */
	enum draw_result rc = db_begin(r->db) < 0 ? DRAW_DB_ERROR :
	         sample_draw_store(r->db, r->user->region_code, kind, seed, q, allow_short, r->user->id, &dr);
	if (rc == DRAW_OK) {
		struct buf d = { 0 };
		buf_printf(&d, "region=%s kind=%s sample=%llu seed=%s algo=%s frame=%s checksum=%s quota=%d/%d/%d",
		           r->user->region_code, kind, dr.sample_id, dr.seed, DRAW_ALGO_VERSION, dr.frame_id, dr.checksum,
		           q[ST_HUB], q[ST_WINDOW], q[ST_SME]);
		for (int st = 0; st < ST_COUNT; st++)
			if (kind_has_stratum(kind, st) && dr.cnt[st] < dr.quota[st])
				buf_printf(&d, " short-confirmed=%s:%zu/%zu", stratum_code(st), dr.cnt[st], dr.quota[st]);
		audit(r, "sample-draw", d.data);
		buf_free(&d);
		if (db_commit(r->db) < 0)
			rc = DRAW_DB_ERROR;
	}
	if (rc != DRAW_OK)
		db_rollback(r->db);
	switch (rc) {
	case DRAW_OK:
		resp_redirect(r, strcmp(kind, "sme") == 0 ? "/region/sample#sme" : "/region/sample#resource");
		break;
	case DRAW_EXISTS:
	case DRAW_FRAME_REPLACED:
	case DRAW_NO_FRAME:
		resp_status(r, 409);
		sample_page(r, rc == DRAW_EXISTS ? "已经抽样，不能重复抽取。" :
		            rc == DRAW_FRAME_REPLACED ? "样本框刚刚被替换，请确认后重新抽样。" :
		            "请先导入并确认样本框。", NULL);
		break;
	case DRAW_SHORT: {
		struct buf m = { 0 };
		short_message(&m, kind, &dr);
		resp_status(r, 409);
		sample_page(r, m.data, NULL);
		buf_free(&m);
		break;
	}
	case DRAW_CHECKSUM:
		page_error(r, 500, "样本框校验失败，请联系评估机构。");
		break;
	case DRAW_DB_ERROR:
		page_error(r, 503, "抽样未能保存，请稍后再试。");
		break;
	}
	drawn_free(&dr);
}

/* The region's own sampled list (notice: "通过系统上传抽样名单"). */
static void sample_upload(struct req *r, const char *kind)
{
	const char *why = NULL, *charset;
	const struct param *f = upload_param(r, &why);
	char *text = NULL, sum[65];
	size_t n;
	struct frame_parse fp;
	unsigned long long sid = 0;

	if (!f) {
		resp_status(r, 400);
		sample_page(r, why, NULL);
		return;
	}
	char why2[300];
	if (frame_upload_text(f->value, f->len, &text, &n, &charset, why2, sizeof why2) < 0) {
		resp_status(r, 400);
		sample_page(r, why2, NULL);
		return;
	}
	if (frame_parse(text, n, kind, NULL, &fp) != 0) {
		resp_status(r, 422);
		sample_page(r, "抽样名单有错误，未导入。", &fp);
		goto out;
	}
	units_checksum(fp.units, fp.nunits, sum);
	if (db_begin(r->db) < 0) {
		page_error(r, 503, "系统繁忙，请稍后再试。");
		goto out;
	}
	int rc = sample_insert(r->db, r->user->region_code, kind, "uploaded", NULL, sum, "", "", r->user->id, &sid);
	size_t pos[ST_COUNT] = { 0 };
	for (size_t i = 0; rc == 0 && i < fp.nunits; i++)
		rc = sample_unit_insert(r->db, sid, r->user->region_code, kind, &fp.units[i], "selected",
		                        ++pos[fp.units[i].stratum]);
	if (rc != 0 || db_commit(r->db) < 0) {
		db_rollback(r->db);
		if (rc == 1) {
			resp_status(r, 409);
			sample_page(r, "已经有样本，不能再上传名单。", NULL);
		} else {
			page_error(r, 503, "名单未能保存，请稍后再试。");
		}
		goto out;
	}
	{
		struct buf d = { 0 };
		buf_printf(&d, "region=%s kind=%s sample=%llu method=uploaded units=%zu charset=%s checksum=%s",
		           r->user->region_code, kind, sid, fp.nunits, charset, sum);
		audit(r, "sample-upload", d.data);
		buf_free(&d);
	}
	resp_redirect(r, strcmp(kind, "sme") == 0 ? "/region/sample#sme" : "/region/sample#resource");
out:
	frame_parse_free(&fp);
	free(text);
}

static void sample_replace(struct req *r)
{
	const char *unit = req_param(r, "unit"), *reason = req_param(r, "reason");
	struct dbrows *cur = NULL, *next = NULL;
	const char *msg = NULL;

	if (!unit || !reason || !*reason || !utf8_valid(reason, strlen(reason)) || utf8_len(reason) > 200) {
		resp_status(r, 400);
		sample_page(r, "请填写替换原因（最多 200 字）。", NULL);
		return;
	}
	if (db_begin(r->db) < 0)
		goto fail;
	/* The region check is in the query: another region's unit is "not found". */
	if (db_query(r->db, STMT_SAMPLE_UNIT_LOCK,
	             DB_ARGS(A_STR(unit), A_STR(r->user->region_code)), &cur) < 0)
		goto fail;
	if (cur->nrows == 0) {
		msg = "要替换的单位不存在。";
	} else if (strcmp(dbrows_get(cur, 0, 3), "selected") || strcmp(dbrows_get(cur, 0, 4), "active")) {
		msg = "只有在样的入样单位可以替换。";
	} else if (db_query(r->db, STMT_SAMPLE_NEXT_RESERVE,
	                    DB_ARGS(A_STR(dbrows_get(cur, 0, 1)), A_STR(dbrows_get(cur, 0, 2))), &next) < 0) {
		goto fail;
	} else if (next->nrows == 0) {
		msg = "该层已没有备选单位，无法替换。";
	}
	if (msg) {
		db_rollback(r->db);
		resp_status(r, cur->nrows == 0 ? 404 : 409);
		sample_page(r, msg, NULL);
		goto out;
	}
	/* The replaced unit's invitation code stops working at once; its slip
	 * is answered "revoked" (revoked_codes). */
	if (db_exec(r->db, STMT_CODE_REVOKED_INSERT,
	            DB_ARGS(A_STR("replace"), A_INT(parse_id(unit))), NULL, NULL) < 0 ||
	    db_exec(r->db, STMT_SAMPLE_UNIT_REPLACE,
	            DB_ARGS(A_STR(reason), A_STR(unit)), NULL, NULL) < 0 ||
	    db_exec(r->db, STMT_SAMPLE_UNIT_PROMOTE,
	            DB_ARGS(A_STR(unit), A_STR(dbrows_get(next, 0, 0))), NULL, NULL) < 0 ||
	    /* Their accounts' answers move in or out of "sample only". */
	    aggr_sync_units(r->db, STMT_AGGR_UNIT_RESPONSES, unit) < 0 ||
	    aggr_sync_units(r->db, STMT_AGGR_UNIT_RESPONSES, dbrows_get(next, 0, 0)) < 0 ||
	    db_commit(r->db) < 0)
		goto fail;
	{
		struct buf d = { 0 };
		buf_printf(&d, "region=%s unit=%s \"%s\" replaced by reserve %s \"%s\" (position %s); reason: %s",
		           r->user->region_code, unit, dbrows_get(cur, 0, 5), dbrows_get(next, 0, 0),
		           dbrows_get(next, 0, 1), dbrows_get(next, 0, 2), reason);
		if (d.len > 1000)
			d.data[d.len = 1000] = '\0';   /* audit_log.detail is VARCHAR(1024) */
		while (d.len && !utf8_valid(d.data, d.len))
			d.data[--d.len] = '\0';
		audit(r, "sample-replace", d.data);
		/* Back to the unit that came in, with the confirmation there. */
		buf_reset(&d);
		buf_printf(&d, "/region/sample?done=%s#unit-%s", dbrows_get(next, 0, 0), dbrows_get(next, 0, 0));
		resp_redirect(r, d.data);
		buf_free(&d);
	}
	goto out;
fail:
	db_rollback(r->db);
	page_error(r, 503, "替换未能保存，请稍后再试。");
out:
	dbrows_free(cur);
	dbrows_free(next);
}

static void sample_get(struct req *r)
{
	sample_page(r, NULL, NULL);
}

/* GET /region/sample/replace?unit=N: the unit, the reserve that will take
 * its place, the reason; the replacement itself is the POST of
 * /region/sample (action=replace). */
static void sample_replace_get(struct req *r)
{
	struct dbrows *cur = NULL, *next = NULL;
	char ids[24];
	snprintf(ids, sizeof ids, "%llu", r->arg[KEY_UNIT].id);
	if (db_query(r->db, STMT_SAMPLE_UNIT_SHOW, DB_ARGS(A_STR(ids), A_STR(r->user->region_code)), &cur) < 0) {
		page_error(r, 503, "系统繁忙，请稍后再试。");
		return;
	}
	if (cur->nrows == 0 || strcmp(dbrows_get(cur, 0, 3), "selected") || strcmp(dbrows_get(cur, 0, 4), "active")) {
		dbrows_free(cur);
		page_error(r, 404, "没有找到可替换的入样单位。");
		return;
	}
	if (db_query(r->db, STMT_SAMPLE_NEXT_RESERVE_SHOW,
	             DB_ARGS(A_STR(dbrows_get(cur, 0, 1)), A_STR(dbrows_get(cur, 0, 2))), &next) < 0) {
		dbrows_free(cur);
		page_error(r, 503, "系统繁忙，请稍后再试。");
		return;
	}
	region_title(r, " · 替换入样单位");
	h_printf(r, "<p>要替换的单位：<strong>%s</strong>（%s）</p>", dbrows_get(cur, 0, 5),
	         stratum_label(stratum_parse(dbrows_get(cur, 0, 2))));
	if (next->nrows == 0) {
		h_raw(r, "<p class=\"error\">该层已没有备选单位，无法替换。</p>");
	} else {
		h_printf(r, "<p>将由备选名单第 %s 位的<strong>%s</strong>递补。替换后原单位的邀请码立即失效，不能撤销。</p>",
		         dbrows_get(next, 0, 2), dbrows_get(next, 0, 1));
		h_raw(r, "<form method=\"post\" action=\"/region/sample\">");
		h_csrf_field(r);
		h_printf(r, "<input type=\"hidden\" name=\"action\" value=\"replace\"><input type=\"hidden\" name=\"unit\" value=\"%s\">"
		         "<p><label for=\"reason\">替换原因（必填，最多 200 字）</label>"
		         "<input id=\"reason\" type=\"text\" name=\"reason\" maxlength=\"200\" required value=\"%s\"></p>"
		         "<p><button type=\"submit\">确认替换</button> <a href=\"/region/sample#unit-%s\">取消</a></p></form>",
		         ids, r->arg[KEY_REASON].present ? r->arg[KEY_REASON].s : "", ids);
	}
	dbrows_free(cur);
	dbrows_free(next);
	page_end(r);
}

static void sample_post(struct req *r)
{
	if (csrf_check(r) != 0) {
		page_error(r, 403, "页面已过期，请刷新后重试。");
		return;
	}
	const char *action = req_param(r, "action");
	const char *kind = kind_of(req_param(r, "kind"));
	if (action && strcmp(action, "replace") == 0)
		sample_replace(r);
	else if (action && kind && strcmp(action, "draw") == 0)
		sample_draw(r, kind);
	else if (action && kind && strcmp(action, "upload") == 0)
		sample_upload(r, kind);
	else
		page_error(r, 400, "请求不完整。");
}

static void sample_csv(struct req *r)
{
	const char *kind = kinds[r->arg[KEY_KIND].n];
	struct dbrows *u;
	if (db_query(r->db, STMT_SAMPLE_LIST_CSV,
	             DB_ARGS(A_STR(r->user->region_code), A_STR(kind)), &u) < 0) {
		page_error(r, 503, "系统繁忙，请稍后再试。");
		return;
	}
	if (u->nrows == 0) {
		dbrows_free(u);
		page_error(r, 404, "尚未抽样。");
		return;
	}
	struct buf fn = { 0 };
	buf_printf(&fn, "attachment; filename=\"sample-%s-%s.csv\"", r->user->region_code, kind);
	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_header(r, "Content-Disposition", fn.data);
	buf_free(&fn);
	/* The BOM makes Excel read the file as UTF-8. */
	buf_puts(&r->body, "\xef\xbb\xbf");
	buf_puts(&r->body, "层,角色,顺位,名称,组织平台,联系人,电话,邮箱,状态,替换原因,统一社会信用代码,地址,邮编\r\n");
	for (size_t i = 0; i < u->nrows; i++) {
		const char *cells[13];
		cells[0] = stratum_label(stratum_parse(dbrows_get(u, i, 0)));
		cells[1] = strcmp(dbrows_get(u, i, 1), "selected") == 0 ? "入样" : "备选";
		for (size_t c = 2; c <= 7; c++)
			cells[c] = dbrows_get(u, i, c);
		cells[8] = unit_status_label(dbrows_get(u, i, 1), dbrows_get(u, i, 8));
		cells[9] = dbrows_get(u, i, 9);
		for (size_t c = 10; c <= 12; c++)
			cells[c] = dbrows_get(u, i, c);
		/* The sample list has always quoted every cell. */
		csv_put_row(&r->body, cells, NELEMS(cells), CSV_QUOTE_ALL);
	}
	dbrows_free(u);
}

/* ------------------------------------------------------- invitation slips */

/* Region name and help phone for the slips; 0 or -1. */
static int load_region(struct req *r, char **name, char **phone)
{
	struct dbrows *rows;
	*name = *phone = NULL;
	if (db_query(r->db, STMT_REGION_CONTACT,
	             DB_ARGS(A_STR(r->user->region_code)), &rows) < 0)
		return -1;
	if (rows->nrows == 1) {
		*name = xstrdup(dbrows_get(rows, 0, 0));
		*phone = xstrdup(dbrows_get(rows, 0, 1));
	}
	dbrows_free(rows);
	return *name ? 0 : -1;
}

static void slips_home(struct req *r, const char *notice)
{
	static const char *const cols[] = { "类别", "抽中单位", "已打印", "已注册" };
	struct dbrows *rows;
	if (db_query(r->db, STMT_SLIP_FUNNEL,
	    DB_ARGS(A_STR(r->user->region_code)), &rows) < 0) {
		page_error(r, 503, "系统繁忙，请稍后再试。");
		return;
	}
	page_begin(r, "邀请单（二维码）");
	if (notice)
		h_printf(r, "<p class=\"notice\" role=\"status\">%s</p>", notice);
	h_raw(r, "<p>为抽中的服务资源单位和中小企业生成一次性邀请码，并下载可打印的 A4 邀请单（每页 8 张，"
	      "沿裁切线裁开）。每张邀请单有二维码、邀请码和网址，受邀单位扫码即可注册并填写调查表。</p>"
	      "<p>每个单位的邀请码是固定的：重新打印的邀请单与此前打印的邀请码相同，已发出的邀请单继续有效；"
	      "已注册的单位不再生成邀请单。邀请单遗失或被他人获取时，可在下方邀请进度表中对该单位"
	      "“作废并换发”邀请码（原邀请单随即失效）。</p>");
	h_table_begin(r, NULL, NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < rows->nrows; i++)
		h_printf(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
		         slips_category_label(dbrows_get(rows, i, 0)), dbrows_get(rows, i, 1),
		         dbrows_get(rows, i, 2), dbrows_get(rows, i, 3));
	if (rows->nrows == 0)
		h_raw(r, "<tr><td colspan=\"4\">尚无抽中单位：请先完成抽样。</td></tr>");
	h_table_end(r);
	dbrows_free(rows);

	h_raw(r, "<form method=\"post\" action=\"/region/slips\"><fieldset><legend>生成邀请码并下载邀请单（PDF）</legend>");
	h_csrf_field(r);
	h_raw(r, "<p><label for=\"stratum\">类别</label><select id=\"stratum\" name=\"stratum\">"
	      "<option value=\"all\">全部</option>");
	for (int st = 0; st < ST_COUNT; st++)
		h_printf(r, "<option value=\"%s\">%s</option>", stratum_code(st),
		         slips_category_label(stratum_code(st)));
	h_raw(r, "</select></p>"
	      "<p><label><input type=\"radio\" name=\"scope\" value=\"new\" checked> 仅从未打印过邀请单的单位</label> "
	      "<label><input type=\"radio\" name=\"scope\" value=\"all\"> 所有尚未注册的单位（重印，邀请码不变）</label></p>"
	      "<p><button type=\"submit\">生成邀请码并下载 PDF</button></p></fieldset></form>");
	struct funnel_page pg = {
		r->arg[KEY_AFTER].present ? r->arg[KEY_AFTER].id : 0,
		r->arg[KEY_STRATUM].present ? strata[r->arg[KEY_STRATUM].n] : "",
		r->arg[KEY_Q].present ? r->arg[KEY_Q].s : "",
	};
	if (slips_funnel_table(r, r->user->region_code, &pg) < 0)
		h_raw(r, "<p class=\"error\">邀请进度暂时无法显示，请稍后刷新。</p>");
	page_end(r);
}

static void filename_part(struct buf *b, const char *s)
{
	for (; *s; s++)
		if ((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
			buf_putc(b, *s);
}

/* What the region is told when codes cannot be printed or revoked. */
static const char *codes_err_text(enum codes_err err)
{
	switch (err) {
	case CODES_NO_SECRET:
		return "系统尚未配置邀请码密钥（code_secret），暂时无法生成邀请单，请联系系统管理员。";
	case CODES_SECRET_CHANGED:
		return "系统的邀请码密钥（code_secret）已被更改，已打印的邀请码无法再次打印（原邀请码仍然有效）。请联系系统管理员。";
	default:
		return "系统繁忙，邀请码未能生成，请稍后再试。";
	}
}

/* A monotonic clock in seconds, for the timings in the log. */
static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Prints the slips of the units (unit_id 0: of the stratum) as a PDF;
 * a unit printed before gets the same code again. */
static void issue_and_send(struct req *r, const char *stratum, unsigned long long unit_id, int only_new)
{
	struct issued *units = NULL;
	char *rname = NULL, *phone = NULL;
	struct deadlines due;
	/* The region's deadlines, read once for the slips and the codes. */
	if (load_region(r, &rname, &phone) < 0 ||
	    deadlines_for_region(r->db, r->conf, r->user->region_code, &due) < 0) {
		free(rname);
		free(phone);
		page_error(r, 503, "系统繁忙，请稍后再试。");
		return;
	}
	/* The codes are issued and committed before the document is rendered,
	 * so that rendering 10,000 slips holds no row locks (issue 13). Codes
	 * are derived (codes.h): should rendering fail, printing again gives
	 * the very same codes, so nothing issued here is lost or differs. */
	enum codes_err err = CODES_DB;
	double t0 = now_seconds();
	long n = db_begin(r->db) < 0 ? -1 :
	         codes_issue(r->db, r->conf->code_secret, &due, r->user->region_code, stratum, unit_id,
	                     only_new, &units, &err);
	if (n > 0 && db_commit(r->db) < 0) {
		issued_free(units, (size_t)n);
		units = NULL;
		n = -1;
		err = CODES_DB;
	}
	if (n < 0) {
		db_rollback(r->db);
		free(rname);
		free(phone);
		page_error(r, 503, codes_err_text(err));
		return;
	}
	if (n == 0) {
		db_rollback(r->db);
		issued_free(units, 0);
		free(rname);
		free(phone);
		if (unit_id) {
			page_error(r, 404, "没有找到该单位，或该单位已注册、不在本地区的抽中名单中。");
		} else {
			resp_status(r, 422);
			slips_home(r, "没有需要生成邀请单的单位（可能均已注册或已打印过）。");
		}
		return;
	}
	struct slip_info si = { .region_name = rname, .help_phone = phone, .base_url = r->conf->base_url,
	                        .deadline_resource = deadlines_of(&due, "resource"),
	                        .deadline_sme = deadlines_of(&due, "sme") };
	/* The PDF (10,000 slips are ~35 MB) is spooled to a temporary file and
	 * sent after the commit; page_error() below discards it. The one-slip
	 * PNG is small and goes into the body buffer. */
	buf_reset(&r->body);
	double t1 = now_seconds();
	FILE *f = resp_spool(r);
	int rc = f ? slips_pdf(f, &si, units, (size_t)n) : -1;
	if (rc < 0) {
		issued_free(units, (size_t)n);
		free(rname);
		free(phone);
		page_error(r, 503, "邀请单未能生成，请稍后再试。邀请码已生成并保持不变："
		           "请选择“所有尚未注册的单位（重印，邀请码不变）”重新打印。");
		return;
	}
	log_info("slips: %ld codes issued in %.2f s, PDF rendered in %.2f s", n, t1 - t0,
	         now_seconds() - t1);
	struct buf d = { 0 };
	buf_printf(&d, "stratum=%s unit=%llu n=%ld", stratum ? stratum : "all", unit_id, n);
	audit(r, unit_id ? "slip-one" : "slips-print", d.data);
	buf_reset(&d);
	resp_header(r, "Content-Type", "application/pdf");
	if (unit_id) {
		buf_printf(&d, "attachment; filename=\"slip-%llu.pdf\"", unit_id);
	} else {
		buf_puts(&d, "attachment; filename=\"slips-");
		filename_part(&d, r->user->region_code);
		buf_putc(&d, '-');
		filename_part(&d, stratum ? stratum : "all");
		buf_puts(&d, ".pdf\"");
	}
	resp_header(r, "Content-Disposition", d.data);
	buf_free(&d);
	issued_free(units, (size_t)n);
	free(rname);
	free(phone);
}

/* Only a region account bound to a region prints slips. */
static int slips_allowed(struct req *r)
{
	if (r->user->region_code[0])
		return 1;
	page_error(r, 403, "您的账户无权访问此页面。");
	return 0;
}

/* A slip page's POST: slips allowed for this region, and the CSRF token
 * matches. 1 to go on, 0 when answered. */
static int slips_post_allowed(struct req *r)
{
	if (!slips_allowed(r))
		return 0;
	if (csrf_check(r) < 0) {
		page_error(r, 403, "页面已过期或请求来源无效，请刷新后重试。");
		return 0;
	}
	return 1;
}

static void slip_one_post(struct req *r)
{
	if (!slips_post_allowed(r))
		return;
	issue_and_send(r, NULL, r->arg[KEY_UNIT].id, 0);
}

/* One unit of this region's sample for the slip pages, or NULL after an
 * error page (slips not allowed yet, database error). */
static struct dbrows *slip_unit(struct req *r, unsigned long long id)
{
	struct dbrows *rows;
	if (!slips_allowed(r))
		return NULL;
	if (db_query(r->db, STMT_SLIP_UNIT, DB_ARGS(A_INT(id), A_STR(r->user->region_code)), &rows) < 0) {
		page_error(r, 503, "系统繁忙，请稍后再试。");
		return NULL;
	}
	return rows;
}

static void slip_one_get(struct req *r)
{
	unsigned long long id = r->arg[KEY_UNIT].id;
	struct dbrows *rows;
	if (!(rows = slip_unit(r, id)))
		return;
	if (rows->nrows == 0) {
		dbrows_free(rows);
		page_error(r, 404, "没有找到该单位，或该单位已注册、不在本地区的抽中名单中。");
		return;
	}
	page_begin(r, "单张邀请单");
	if (req_param(r, "revoked"))
		h_raw(r, "<p class=\"notice\" role=\"status\">原邀请码已作废，已换发新的邀请码。请下载新的邀请单并送达该单位。</p>");
	h_printf(r, "<p>单位：<strong>%s</strong>（%s）</p>", dbrows_get(rows, 0, 0),
	         slips_category_label(dbrows_get(rows, 0, 1)));
	if (dbrows_get(rows, 0, 2))
		h_printf(r, "<p class=\"notice\">该单位的邀请单已于 %s 打印过；再次打印的邀请单与原邀请单的邀请码相同。</p>",
		         dbrows_get(rows, 0, 2));
	h_printf(r, "<form method=\"post\" action=\"/region/slips/one\"><input type=\"hidden\" name=\"unit\" value=\"%llu\">", id);
	h_csrf_field(r);
	h_raw(r, "<p><button type=\"submit\">下载该单位的邀请单（PDF，一页）</button></p></form>");
	if (dbrows_get(rows, 0, 2))
		h_printf(r, "<p>邀请单遗失或被他人获取？<a href=\"/region/slips/revoke?unit=%llu\">作废并换发该单位的邀请码</a></p>", id);
	h_raw(r, "<p><a href=\"/region/slips\">返回邀请单</a></p>");
	dbrows_free(rows);
	page_end(r);
}

/* Revoking a code is per unit and confirmed: the holder of the old slip
 * is then told to contact the region. */
static void slip_revoke_get(struct req *r)
{
	unsigned long long id = r->arg[KEY_UNIT].id;
	struct dbrows *rows;
	if (!(rows = slip_unit(r, id)))
		return;
	if (rows->nrows == 0 || dbrows_get(rows, 0, 2) == NULL) {
		dbrows_free(rows);
		page_error(r, 404, "没有找到该单位，或该单位尚未打印邀请单、已注册、不在本地区的抽中名单中。");
		return;
	}
	page_begin(r, "作废并换发邀请码");
	h_printf(r, "<p>单位：<strong>%s</strong>（%s），邀请单打印于 %s。</p>", dbrows_get(rows, 0, 0),
	         slips_category_label(dbrows_get(rows, 0, 1)), dbrows_get(rows, 0, 2));
	h_raw(r, "<p class=\"notice\"><strong>此操作不可撤销：</strong>该单位已打印的邀请单将立即失效，"
	      "持原邀请单扫码或输入邀请码时会被告知邀请码已作废、请与本地区主管部门联系。"
	      "换发的新邀请码须重新打印邀请单并送达该单位。仅在邀请单遗失或被他人获取时使用。</p>");
	h_printf(r, "<form method=\"post\" action=\"/region/slips/revoke\"><input type=\"hidden\" name=\"unit\" value=\"%llu\">", id);
	h_csrf_field(r);
	h_raw(r, "<p><label><input type=\"checkbox\" name=\"confirm\" value=\"1\" required> "
	      "我确认作废该单位原邀请单上的邀请码</label></p>"
	      "<p><button type=\"submit\">作废并换发邀请码</button> <a href=\"/region/slips\">取消</a></p></form>");
	dbrows_free(rows);
	page_end(r);
}

static void slip_revoke_post(struct req *r)
{
	unsigned long long id = r->arg[KEY_UNIT].id;
	const char *confirm = req_param(r, "confirm");
	enum codes_err err = CODES_DB;
	if (!slips_post_allowed(r))
		return;
	if (confirm == NULL || strcmp(confirm, "1") != 0) {
		resp_status(r, 422);
		page_begin(r, "作废并换发邀请码");
		h_printf(r, "<p class=\"error\" role=\"alert\">请勾选确认后再作废邀请码。邀请码未作废。</p>"
		         "<p><a href=\"/region/slips/revoke?unit=%llu\">返回</a></p>", id);
		page_end(r);
		return;
	}
	int rc = db_begin(r->db) < 0 ? -1 : codes_revoke(r->db, r->conf->code_secret, r->user->region_code, id, &err);
	if (rc <= 0) {
		db_rollback(r->db);
		if (rc == 0)
			page_error(r, 404, "没有找到该单位，或该单位尚未打印邀请单、已注册、不在本地区的抽中名单中。");
		else
			page_error(r, 503, codes_err_text(err));
		return;
	}
	if (db_commit(r->db) < 0) {
		db_rollback(r->db);
		page_error(r, 503, "系统繁忙，邀请码未作废，请稍后再试。");
		return;
	}
	struct buf d = { 0 };
	buf_printf(&d, "unit=%llu", id);
	audit(r, "code-revoke", d.data);
	buf_reset(&d);
	buf_printf(&d, "/region/slips/one?unit=%llu&revoked=1", id);
	resp_redirect(r, d.data);
	buf_free(&d);
}

static void slips_get(struct req *r)
{
	if (slips_allowed(r))
		slips_home(r, NULL);
}

static void slips_post(struct req *r)
{
	if (!slips_post_allowed(r))
		return;
	const char *st = req_param(r, "stratum"), *scope = req_param(r, "scope");
	if (st == NULL || *st == '\0')
		st = "all";
	if (strcmp(st, "all") != 0 && stratum_parse(st) < 0) {
		resp_status(r, 422);
		slips_home(r, "请选择有效的类别。");
		return;
	}
	/* Units never printed unless a reprint of all is asked for. */
	issue_and_send(r, st, 0, !(scope && strcmp(scope, "all") == 0));
}

/* ------------------------------------------------------------ page table */

static const struct pspec csv_params[] = {
	{ KEY_KIND, "kind", PT_ENUM, P_REQUIRED, 0, 0, kinds, 404, "您访问的页面不存在。", 0 },
	{ 0 },
};

/* The evaluation indicators of the region beside the national ones. */
static void indicators_page(struct req *r)
{
	size_t mark;
	page_begin(r, "评估指标");
	h_raw(r, "<p>本地区的评估指标与全国数值对照（只计已提交的答卷）。每个数值下为计算所用的答卷（或单位）数 n，"
	      "“—”表示无法计算，n 小于 5 时标注“样本不足”。</p>");
	mark = r->body.len;
	if (indview_render(r, r->user->region_code, 0, NULL) < 0) {
		r->body.len = mark;
		r->body.data[mark] = 0;
		h_raw(r, "<p class=\"error\">指标暂时无法计算，请稍后刷新。</p>");
	}
	page_end(r);
}

static const struct pspec unit_params[] = {
	{ KEY_UNIT, "unit", PT_ID, P_REQUIRED, 0, 0, NULL, 404, "没有找到该单位。", 0 },
	{ 0 },
};

/* The replacement's confirmation page, its reason filled in when it comes
 * from a refusal on the follow-up list. */
static const struct pspec replace_params[] = {
	{ KEY_UNIT, "unit", PT_ID, P_REQUIRED, 0, 0, NULL, 404, "没有找到该单位。", 0 },
	{ KEY_REASON, "reason", PT_STR, 0, 0, 600, NULL, 0, NULL, 0 },
	{ 0 },
};

/* Filters and the page key of the large lists (issue 13 item 3): progress,
 * the sample's strata, the slips funnel. Malformed values fall back to
 * none. */
static const struct pspec list_params[] = {
	{ KEY_FORM, "form", PT_STR, 0, 0, 16, NULL, 0, NULL, 0 },
	{ KEY_Q, "q", PT_STR, 0, 0, 180, NULL, 0, NULL, 0 },
	{ KEY_AFTER, "after", PT_ID, 0, 0, 0, NULL, 0, NULL, 0 },
	{ KEY_STRATUM, "stratum", PT_ENUM, 0, 0, 0, strata, 0, NULL, 0 },
	{ KEY_AFTER_ID, "after_id", PT_ID, 0, 0, 0, NULL, 0, NULL, 0 },
	{ KEY_UNIT, "done", PT_ID, 0, 0, 0, NULL, 0, NULL, 0 },
	{ 0 },
};

/* Follow-up lists (sample/followup.c), shared with the ministry's view. */
static void followups_get(struct req *r)
{
	followup_list(r, "/region/followups", 0);
}

static void followups_print(struct req *r)
{
	followup_list(r, "/region/followups", 1);
}

static void followups_unit_get(struct req *r)
{
	followup_unit(r, "/region/followups");
}

static void followups_unit_post(struct req *r)
{
	followup_record(r, "/region/followups");
}

/* Password resets of the region's respondent accounts (forms/accounts.c). */
static const struct pspec account_params[] = {
	{ KEY_ID, "id", PT_ID, P_REQUIRED, 0, 0, NULL, 404, "没有这个账户。", 0 },
	{ 0 },
};

static void accounts_get(struct req *r)
{
	region_accounts_page(r, "/region/accounts/reset");
}

static void account_reset_get(struct req *r)
{
	account_reset_confirm(r, KEY_ID, "/region/accounts/reset", "/region/accounts");
}

static void account_reset_done(struct req *r)
{
	account_reset_post(r, KEY_ID, "/region/accounts");
}

enum page {
	PAGE_HOME,
	PAGE_PROGRESS,
	PAGE_FRAMES_GET,
	PAGE_FRAMES_POST,
	PAGE_SAMPLE_GET,
	PAGE_SAMPLE_POST,
	PAGE_SAMPLE_CSV,
	PAGE_SAMPLE_REPLACE_GET,
	PAGE_SLIPS_GET,
	PAGE_SLIPS_POST,
	PAGE_SLIP_ONE_GET,
	PAGE_SLIP_ONE_POST,
	PAGE_INDICATORS,
	PAGE_SLIP_REVOKE_GET,
	PAGE_SLIP_REVOKE_POST,
	PAGE_ACCOUNTS,
	PAGE_ACCOUNT_RESET_GET,
	PAGE_ACCOUNT_RESET_POST,
	PAGE_FOLLOWUPS,
	PAGE_FOLLOWUPS_PRINT,
	PAGE_FOLLOWUPS_CSV,
	PAGE_FOLLOWUP_UNIT_GET,
	PAGE_FOLLOWUP_UNIT_POST,
	PAGE__MAX
};

/* Every page is the region role's own. */
#define REGION RB(ROLE_REGION)

static const struct pagedef pages[PAGE__MAX] = {
	[PAGE_HOME]          = { "/region",            M_GET,  REGION, PAGE_SLASH, NULL, home, NULL },
	[PAGE_PROGRESS]      = { "/region/progress",   M_GET,  REGION, 0, list_params, progress, NULL },
	[PAGE_FRAMES_GET]    = { "/region/frames",     M_GET,  REGION, 0, NULL, frames_get, NULL },
	[PAGE_FRAMES_POST]   = { "/region/frames",     M_POST, REGION, PAGE_CSRF, NULL, frames_post, NULL },
	[PAGE_SAMPLE_GET]    = { "/region/sample",     M_GET,  REGION, 0, list_params, sample_get, NULL },
	[PAGE_SAMPLE_POST]   = { "/region/sample",     M_POST, REGION, PAGE_CSRF, NULL, sample_post, NULL },
	[PAGE_SAMPLE_CSV]    = { "/region/sample.csv", M_GET,  REGION, 0, csv_params, sample_csv, NULL },
	[PAGE_SAMPLE_REPLACE_GET] = { "/region/sample/replace", M_GET, REGION, 0, replace_params, sample_replace_get, NULL },
	[PAGE_SLIPS_GET]     = { "/region/slips",      M_GET,  REGION, PAGE_SLASH, list_params, slips_get, NULL },
	[PAGE_SLIPS_POST]    = { "/region/slips",      M_POST, REGION, PAGE_SLASH | PAGE_CSRF, NULL, slips_post, NULL },
	[PAGE_SLIP_ONE_GET]  = { "/region/slips/one",  M_GET,  REGION, 0, unit_params, slip_one_get, NULL },
	[PAGE_SLIP_ONE_POST] = { "/region/slips/one",  M_POST, REGION, PAGE_CSRF, unit_params, slip_one_post, NULL },
	[PAGE_INDICATORS]    = { "/region/indicators", M_GET,  REGION, 0, NULL, indicators_page, NULL },
	[PAGE_SLIP_REVOKE_GET]  = { "/region/slips/revoke", M_GET,  REGION, 0, unit_params, slip_revoke_get, NULL },
	[PAGE_SLIP_REVOKE_POST] = { "/region/slips/revoke", M_POST, REGION, PAGE_CSRF, unit_params, slip_revoke_post, NULL },
	[PAGE_ACCOUNTS]      = { "/region/accounts",   M_GET,  REGION, 0, NULL, accounts_get, NULL },
	[PAGE_ACCOUNT_RESET_GET]  = { "/region/accounts/reset", M_GET,  REGION, 0, account_params, account_reset_get, NULL },
	[PAGE_ACCOUNT_RESET_POST] = { "/region/accounts/reset", M_POST, REGION, PAGE_CSRF, account_params, account_reset_done, NULL },
	[PAGE_FOLLOWUPS]       = { "/region/followups",       M_GET, REGION, 0, followup_list_params, followups_get, NULL },
	[PAGE_FOLLOWUPS_PRINT] = { "/region/followups/print", M_GET, REGION, 0, followup_list_params, followups_print, NULL },
	[PAGE_FOLLOWUPS_CSV]   = { "/region/followups.csv",   M_GET, REGION, 0, followup_list_params, followup_csv, NULL },
	[PAGE_FOLLOWUP_UNIT_GET]  = { "/region/followups/unit", M_GET,  REGION, 0, followup_unit_params, followups_unit_get, NULL },
	[PAGE_FOLLOWUP_UNIT_POST] = { "/region/followups/unit", M_POST, REGION, PAGE_CSRF, followup_record_params, followups_unit_post, NULL },
};

int main(int argc, char **argv)
{
	char err[256];
	/* The indicators name codebook fields: both are checked at start-up. */
	if (argc == 1 && (forms_load(err, sizeof err) < 0 || indicators_load(err, sizeof err) < 0)) {
		fprintf(stderr, "smesurvey-region: codebook or indicators: %s\n", err);
		return 1;
	}
	site_nav_load();
	const struct app app = { "smesurvey-region", pages, PAGE__MAX, site_nav, site_nav_len };
	return app_run(&app, argc, argv);
}
