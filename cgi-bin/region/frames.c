/*
 * region/frames.c - sample frames: upload, column mapping, checks, confirm.
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
#include "valid.h"

#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "region.h"

/* ================================================================
 * Sample frames and the draw (issue 4 part A)
 * ================================================================ */

#define PREVIEW_ROWS       10

const char *const kinds[3] = { "resource", "sme", NULL };

/* A sample kind is the form its units fill; its label is the catalog's. */
const char *kind_label(const char *k)
{
	const struct form_info *fi = catalog_get(k);
	return fi ? fi->label : k;
}

const char *kind_of(const char *k)
{
	for (int i = 0; k && i < 2; i++)
		if (strcmp(k, kinds[i]) == 0)
			return kinds[i];
	return NULL;
}

const char *kind_arg(const struct req *r)
{
	return r->arg[KEY_KIND].present ? kinds[r->arg[KEY_KIND].n] : NULL;
}

int quota(const struct req *r, int st)
{
	return st == ST_HUB ? r->conf->sample_hub : st == ST_WINDOW ? r->conf->sample_window
	                                                          : r->conf->sample_sme;
}

/* 1 when region/kind already has a sample (its frame is then frozen), 0 not, -1 error. */
int sample_exists(struct req *r, const char *kind)
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
	const struct arg *h = &r->arg[KEY_HEADER_ROW], *shown = &r->arg[KEY_SHOWN_HEADER_ROW];
	const struct arg *map = &r->arg[KEY_MAP], *pv = &r->arg[KEY_PV], *ps = &r->arg[KEY_PS];
	memset(c, 0, sizeof *c);
	c->o.header_row = h->present ? (unsigned)h->n : 0;
	if (!shown->s || !h->s || strcmp(shown->s, h->s) == 0) {
		for (size_t n = 0; n < map->nlist; n++)
			c->map[n] = ffield_parse(map->list[n]);
		c->o.map = c->map;
		c->o.nmap = map->nlist;
	}
	size_t k = 0;
	for (; k < pv->nlist && k < ps->nlist; k++) {
		c->pmap[k].value = pv->list[k];
		c->pmap[k].stratum = stratum_parse(ps->list[k]);
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
const struct param *upload_param(const struct req *r, const char **why)
{
	const struct param *f = r->arg[KEY_FILE].file;
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

void show_errors(struct req *r, const struct frame_parse *fp)
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
void frame_strata(struct req *r, const char *frame_id, size_t count[ST_COUNT])
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

void strata_counts(struct req *r, const char *kind, const size_t count[ST_COUNT])
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
	char *fn = upload_filename(f->filename, "样本框文件");
	pending_drop(r, kind);
	struct buf path = { 0 };
	if (db_exec(r->db, STMT_FRAME_INSERT_PENDING,
	            DB_ARGS(A_STR(r->user->region_code), A_STR(kind), A_STR(fn), A_STR(charset),
	                    A_INT(r->user->id)), NULL, &id) < 0) {
		page_error(r, 503, MSG_BUSY);
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
struct store_tx {
	const char *region, *kind, *id, *sum;
	const struct frame_parse *fp;
};

static int store_body(struct db *db, void *ctx, int attempt)
{
	const struct store_tx *x = ctx;
	(void)attempt;
	return frame_store(db, x->region, x->kind, x->id, x->fp, x->sum);
}

static int frames_store(struct req *r, const char *kind, const char *id, const struct frame_parse *fp,
                        const char *sum)
{
	struct store_tx x = { r->user->region_code, kind, id, sum, fp };
	return db_transaction(r->db, store_body, &x) == 0 ? 0 : -1;
}

static void frames_confirm(struct req *r, const char *kind, int preview_only)
{
	struct frame_choice *choice = xmalloc(sizeof *choice);
	const struct frame_opts *opts = read_choice(r, choice);
	const char *shown = r->arg[KEY_SHOWN_COUNTS].s;
	const char *id = r->arg[KEY_FRAME_ID].present ? r->arg[KEY_FRAME_ID].s : NULL;
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

void frames_get(struct req *r)
{
	frames_page(r, NULL, NULL, NULL);
}

void frames_post(struct req *r)
{
	const char *kind = kinds[r->arg[KEY_KIND].n];    /* both required (frames_params) */
	enum frame_action action = (enum frame_action)r->arg[KEY_ACTION].n;
	int locked = sample_exists(r, kind);
	if (locked < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (locked && action != FA_DISCARD) {
		resp_status(r, 409);
		frames_page(r, NULL, NULL, "已经抽样，样本框不能再替换。");
		return;
	}
	switch (action) {
	case FA_UPLOAD:
		frames_upload(r, kind);
		break;
	case FA_PREVIEW:
	case FA_CONFIRM:
		frames_confirm(r, kind, action == FA_PREVIEW);
		break;
	case FA_DISCARD:
		pending_drop(r, kind);
		resp_redirect(r, "/region/frames");
		break;
	}
}
