/*
 * region/frames.c - sample frames: upload, column mapping, checks, confirm.
 */
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
#include "msg.h"
#include "valid.h"
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

/* Deletes the region's pending frames of a kind (their stored tables go
 * with them). */
static void pending_drop(struct req *r, const char *kind)
{
	struct dbrows *rows;
	if (db_query(r->db, STMT_FRAMES_PENDING,
	             DB_ARGS(A_STR(r->user->region_code), A_STR(kind)), &rows) < 0)
		return;
	for (size_t i = 0; i < rows->nrows; i++)
		db_exec(r->db, STMT_FRAME_DELETE_PENDING,
		        DB_ARGS(A_STR(dbrows_get(rows, i, 0))), NULL, NULL);
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
		*why = "请选择要上传的 Excel（.xlsx 或 .xls）或 CSV 文件。";
		return NULL;
	}
	if (f->len > FRAME_UPLOAD_MAX) {
		*why = "文件过大（最大 2 MB）。请拆分或删去多余的列后重试。";
		return NULL;
	}
	return f;
}

/* The problems of one kind (enum frame_problem), under its heading. */
static void show_problems(struct req *r, const struct frame_parse *fp, int kind)
{
	static const char *const heads[FP_COUNT] = {
		[FP_ROW]    = "不能导入的行（%zu 行）：请修改文件后重新上传，或只导入其余无误的行",
		[FP_VALUE]  = "导入时留空的值（%zu 处）",
		[FP_CHECK]  = "请核对（%zu 处，已导入）",
		[FP_FOOTER] = "表尾，已跳过（%zu 行）",
	};
	static const char *const cls[FP_COUNT] = { "error", "notice", "notice", "notice" };
	size_t shown = 0;
	if (!fp->nkind[kind])
		return;
	h_printf(r, "<div class=\"%s problems\" id=\"problems-%d\"", cls[kind], kind);
	h_raw(r, kind == FP_ROW ? " role=\"alert\"><p>" : "><p>");   /* markup: h_printf would escape it */
	h_printf(r, heads[kind], fp->nkind[kind]);
	h_raw(r, "：</p><ul class=\"errors\">");
	for (size_t i = 0; i < fp->nerrs; i++)
		if (fp->errs[i].kind == kind) {
			h_printf(r, "<li>第 %lu 行：%s</li>", fp->errs[i].line, fp->errs[i].msg);
			shown++;
		}
	if (fp->nkind[kind] > shown)
		h_printf(r, "<li>……另有 %zu 处未列出</li>", fp->nkind[kind] - shown);
	h_raw(r, "</ul></div>");
}

/* A file's problems, each with its row number, grouped by what happens to
 * the row (frame.h). */
void show_errors(struct req *r, const struct frame_parse *fp)
{
	if (fp->fatal[0]) {
		h_printf(r, "<p class=\"error\" role=\"alert\">无法使用此文件：%s</p>", fp->fatal);
		return;
	}
	for (int k = 0; k < FP_COUNT; k++)
		show_problems(r, fp, k);
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

/* What a pending upload holds: charset, heading row, rows, the counts
 * against the quotas and the problems. */
static void preview_summary(struct req *r, const char *kind, const char *charset, const struct frame_parse *fp)
{
	h_printf(r, "<p>检测到的文件编码：<strong>%s</strong>；表头在第 %lu 行；数据行：%zu。</p>",
	         charset, fp->header_line, fp->ntotal);
	if (fp->memo_used)
		h_raw(r, "<p class=\"notice\">已按本地区上次选择的表头行、列和组织平台的对应关系预填，请核对。</p>");
	if (!fp->fatal[0]) {
		strata_counts(r, kind, fp->count);
		for (int st = 0; st < ST_COUNT; st++)
			if (kind_has_stratum(kind, st) && fp->count[st] < (size_t)quota(r, st))
				h_printf(r, "<p class=\"error\">注意：%s只有 %zu 家，少于应抽的 %d 家。"
				         "如组织平台的取值对应有误，请在下表中改正后重新检查。</p>",
				         stratum_label(st), fp->count[st], quota(r, st));
	}
	show_errors(r, fp);
}

/* The heading-row choice and the column mapping (form fields). */
static void preview_mapping(struct req *r, const struct frame_parse *fp)
{
	/* The heading row: a title row above the headings is common. */
	h_raw(r, "<p><label for=\"header_row\">表头所在的行</label><select id=\"header_row\" name=\"header_row\">");
	for (size_t i = 0; i < fp->ntop; i++)
		h_printf(r, "<option value=\"%zu\"%s>第 %lu 行：%s</option>", i + 1,
		         fp->header_row == i + 1 ? " selected" : "", fp->top[i].line, fp->top[i].text);
	h_raw(r, "</select></p>");
	h_raw(r, "<div class=\"table-wrap\"><table><caption>列对应关系</caption><thead><tr>"
	      "<th scope=\"col\">列</th><th scope=\"col\">表头</th><th scope=\"col\">导入为</th></tr></thead><tbody>");
	for (size_t i = 0; i < fp->ncols; i++) {
		h_printf(r, "<tr><td>%zu</td><td>%s</td><td><select name=\"map%zu\" aria-label=\"第 %zu 列导入为\">",
		         i + 1, fp->header[i], i, i + 1);
		for (int f = 0; f < FF_COUNT; f++)
			h_option(r, ffield_code(f), ffield_label(f), fp->map[i] == f);
		h_raw(r, "</select></td></tr>");
	}
	h_raw(r, "</tbody></table></div>");
}

/* The first importable rows as they will be stored. */
static void preview_units(struct req *r, const struct frame_parse *fp)
{
	if (!fp->nunits || fp->fatal[0])
		return;
	h_raw(r, "<div class=\"table-wrap\"><table><caption>前几行预览</caption><thead><tr><th scope=\"col\">行</th>"
	      "<th scope=\"col\">层</th><th scope=\"col\">名称</th><th scope=\"col\">组织平台</th>"
	      "<th scope=\"col\">联系人</th><th scope=\"col\">电话</th><th scope=\"col\">邮箱</th>"
	      "<th scope=\"col\">统一社会信用代码</th><th scope=\"col\">地址</th><th scope=\"col\">邮编</th></tr></thead><tbody>");
	for (size_t i = 0; i < fp->nunits && i < PREVIEW_ROWS; i++) {
		const struct unit *u = &fp->units[i];
		h_printf(r, "<tr><td>%lu</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
		         "<td>%s</td><td>%s</td><td>%s</td></tr>",
		         u->line, stratum_label(u->stratum), u->name, u->platform, u->contact, u->phone, u->email,
		         u->org_code, u->address, u->zip);
	}
	h_raw(r, "</tbody></table></div>");
}

/* The preview of a pending frame, read from its stored checks (nothing is
 * parsed here: issue 18 gap 1). */
static void pending_preview(struct req *r, const char *kind, const struct dbrows *pf)
{
	const char *id = dbrows_get(pf, 0, 0);
	struct frame_parse fp;
	char counts[64];

	h_printf(r, "<section class=\"panel\" id=\"pending-%s\"><h3>待确认的上传：%s</h3>", kind, dbrows_get(pf, 0, 1));
	if (frame_pending_preview(r->db, r->user->region_code, id, &fp) != 0) {
		h_raw(r, "<p class=\"error\">上传的文件已无法读取，请重新上传。</p></section>");
		return;
	}
	counts_text(&fp, counts);
	preview_summary(r, kind, dbrows_get(pf, 0, 2), &fp);
	h_raw(r, "<form method=\"post\" action=\"/region/frames\">");
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"kind\" value=\"%s\"><input type=\"hidden\" name=\"id\" value=\"%s\">"
	         "<input type=\"hidden\" name=\"shown_header_row\" value=\"%u\">"
	         "<input type=\"hidden\" name=\"shown_counts\" value=\"%s\">",
	         kind, id, fp.header_row, counts);
	preview_mapping(r, &fp);
	if (!fp.fatal[0] && strcmp(kind, "resource") == 0)
		platform_mapping(r, &fp);
	preview_units(r, &fp);
	h_raw(r, "<p><button type=\"submit\" name=\"action\" value=\"preview\">按所选对应关系重新检查</button> ");
	if (!fp.fatal[0] && fp.nbad == 0)
		h_raw(r, "<button type=\"submit\" name=\"action\" value=\"confirm\">确认导入</button> ");
	else if (!fp.fatal[0])
		h_printf(r, "<button type=\"submit\" name=\"action\" value=\"confirm-valid\">只导入无误的 %zu 行"
		         "（不导入上列 %zu 行）</button> ", fp.ntotal, fp.nbad);
	h_raw(r, "<button type=\"submit\" name=\"action\" value=\"discard\">放弃此次上传</button></p></form></section>");
	frame_parse_free(&fp);
}

/* One kind's section of the frames page: the confirmed frame, then (until
 * the sample is drawn) the pending upload with map, and the upload form. */
static void frame_section(struct req *r, const char *kind)
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
			pending_preview(r, kind, pf);
		h_raw(r, "<form method=\"post\" action=\"/region/frames\" enctype=\"multipart/form-data\">");
		h_csrf_field(r);
		h_printf(r, "<input type=\"hidden\" name=\"kind\" value=\"%s\"><input type=\"hidden\" name=\"action\" value=\"upload\">"
		         "<p><label>%s样本框文件（Excel .xlsx、.xls 或 CSV，最大 2 MB）：<input type=\"file\" name=\"file\" "
		         "accept=\".xlsx,.xls,.csv,text/csv\" required></label> "
		         "<button type=\"submit\">上传并检查</button></p></form>",
		         kind, kind_label(kind));
	}
	h_raw(r, "</section>");
	dbrows_free(cf);
	dbrows_free(pf);
}

/* The frames page's statement (STMT_PAGE_FRAMES): the stratum codes
 * (hub, window, sme) for each kind's counts, then k.kind1, k.kind2. */
int frames_session_args(const struct req *r, struct dbarg *out)
{
	(void)r;
	for (int i = 0; i < 2 * ST_COUNT; i++)
		out[i] = A_STR(stratum_codes[i % ST_COUNT]);
	out[2 * ST_COUNT] = A_STR(kinds[0]);
	out[2 * ST_COUNT + 1] = A_STR(kinds[1]);
	return 2 * ST_COUNT + 2;
}

/* The frames page. */
static void frames_page(struct req *r, const char *msg)
{
	region_title(r, " · 样本框");
	h_alert(r, msg);
	h_raw(r, "<p>请分别上传服务资源单位和中小企业的样本框：Excel 文件（.xlsx 或旧版 .xls，读取第一个工作表），"
	      "或 CSV 文件（UTF-8 或 Excel 默认的 GB18030 编码均可）。表格上方可以有标题行，下方可以有填表人、审核人、日期等表尾行；"
	      "上传后可选择表头所在的行，下次上传时沿用本次的选择。"
	      "服务资源单位需包含“名称”和“组织平台”两列（组织平台可填写平台的名称，上传后逐一指定每个平台是地区枢纽平台还是窗口平台）；"
	      "中小企业需包含“名称”列；“联系人”“电话”“邮箱”“统一社会信用代码/组织机构代码”“地址”“邮编”列可选。"
	      "“暂无”“无”“—”等视为空白。有问题的行会逐行列出（行号即 Excel 中的行号），可以修改后重新上传，也可以只导入其余无误的行。"
	      "上传后先检查、确认列和平台的对应关系及各层数量，确认后才导入。抽样之后样本框不能再替换。</p>");
	for (int k = 0; k < 2; k++)
		frame_section(r, kinds[k]);
	page_end(r);
}

/* The new pending frame replaces the older ones, in one transaction. */
struct upload_tx {
	struct req                     *r;
	const char                     *kind;
	const struct frame_pending_new *n;
	const struct frame_table       *t;
	const struct frame_parse       *fp;
	unsigned long long              id;
};

static int upload_body(struct db *db, void *ctx, int attempt)
{
	struct upload_tx *x = ctx;
	(void)attempt;
	pending_drop(x->r, x->kind);
	return frame_pending_add(db, x->n, x->t, x->fp, &x->id) < 0 ? -1 : 0;
}

/* Reads the upload once into a table within the frame's bounds, checks it
 * with the region's remembered mapping, and stores table and checks as the
 * region's pending frame of kind (replacing an older pending one). */
static void frames_upload(struct req *r, const char *kind)
{
	const char *why = NULL, *charset = "";
	const struct param *f = upload_param(r, &why);
	struct frame_table t;
	struct frame_memo_store memo;
	struct frame_opts o;
	struct frame_parse fp;
	char why2[300];

	if (!f || frame_upload_table(f->value, f->len, &t, &charset, why2, sizeof why2) < 0) {
		resp_status(r, 400);
		frames_page(r, f ? why2 : why);
		return;
	}
	if (frame_memo_load(r->db, r->user->region_code, kind, &memo) < 0) {
		frame_table_free(&t);
		page_error(r, 503, MSG_BUSY);
		return;
	}
	frame_memo_opts(&memo, &o);
	frame_parse_table(&t, kind, &o, &fp);
	char *fn = upload_filename(f->filename, "样本框文件");
	struct frame_pending_new n = { r->user->region_code, kind, fn, charset, r->user->id };
	struct upload_tx x = { r, kind, &n, &t, &fp, 0 };
	if (db_transaction(r->db, upload_body, &x) != 0) {
		page_error(r, 503, "上传的文件无法保存，请稍后再试。");
		goto out;
	}
	resp_redirect(r, strcmp(kind, "sme") == 0 ? "/region/frames#pending-sme" : "/region/frames#pending-resource");
out:
	free(fn);
	frame_parse_free(&fp);
	frame_memo_free(&memo);
	frame_table_free(&t);
}

/* Inserts the checked units into the pending frame and makes it the
 * region's confirmed frame of this kind (replacing an older one); its
 * stored table is no longer needed. */
struct store_tx {
	const char *region, *kind, *id, *sum;
	const struct frame_parse *fp;
};

static int store_body(struct db *db, void *ctx, int attempt)
{
	const struct store_tx *x = ctx;
	(void)attempt;
	int rc = frame_store(db, x->region, x->kind, x->id, x->fp, x->sum);
	if (rc == 0 && db_exec(db, STMT_FRAME_TABLE_DELETE, DB_ARGS(A_STR(x->id)), NULL, NULL) < 0)
		rc = -1;
	return rc;
}

static int frames_store(struct req *r, const char *kind, const char *id, const struct frame_parse *fp,
                        const char *sum)
{
	struct store_tx x = { r->user->region_code, kind, id, sum, fp };
	return db_transaction(r->db, store_body, &x) == 0 ? 0 : -1;
}

/* Whether fp may be confirmed as asked: 0, or the status of the refusal
 * (page written). */
static int confirm_refused(struct req *r, enum frame_action act, const struct frame_parse *fp, int rc)
{
	const char *shown = r->arg[KEY_SHOWN_COUNTS].s;
	char counts[64], msg[300];
	if (rc < 0) {
		resp_status(r, 422);
		frames_page(r, "文件有错误，未导入。");
		return 422;
	}
	if (rc == 1 && act != FA_CONFIRM_VALID) {
		snprintf(msg, sizeof msg, "有 %zu 行不能导入，未导入：请修改文件后重新上传，或选择“只导入无误的行”。", fp->nbad);
		resp_status(r, 422);
		frames_page(r, msg);
		return 422;
	}
	/* The counts against the quotas were shown before confirming: a
	 * mapping changed since needs another look. */
	counts_text(fp, counts);
	if (shown && strcmp(shown, counts) != 0) {
		resp_status(r, 409);
		frames_page(r, "对应关系已更改，各层数量随之变化：请核对下方的数量后再确认导入。");
		return 409;
	}
	return 0;
}

/* Confirms fp as the region's frame: stored, remembered, audited. */
static void confirm_store(struct req *r, const char *kind, const char *id, const struct frame_parse *fp)
{
	char sum[65], counts[64];
	units_checksum(fp->units, fp->nunits, sum);
	if (frames_store(r, kind, id, fp, sum) < 0) {
		page_error(r, 503, "导入失败，请稍后再试。");
		return;
	}
	frame_memo_save(r->db, r->user->region_code, kind, fp);
	counts_text(fp, counts);
	struct buf d = { 0 };
	buf_printf(&d, "region=%s kind=%s frame=%s units=%zu skipped=%zu checksum=%s header_row=%lu strata=%s",
	           r->user->region_code, kind, id, fp->nunits, fp->nbad, sum, fp->header_line, counts);
	audit(r, "frame-confirm", d.data);
	buf_free(&d);
	resp_redirect(r, strcmp(kind, "sme") == 0 ? "/region/frames#sme" : "/region/frames#resource");
}

/* A new choice (preview) or the confirmation: the stored table is checked
 * again with the posted choice, never the file (issue 18 gap 1). */
static void frames_confirm(struct req *r, const char *kind, enum frame_action act)
{
	struct frame_choice *choice = xmalloc(sizeof *choice);
	const struct frame_opts *opts = read_choice(r, choice);
	const char *id = r->arg[KEY_FRAME_ID].present ? r->arg[KEY_FRAME_ID].s : NULL;
	char *ok_id = NULL, err[256];
	struct frame_table t;
	struct frame_parse fp;

	if (!id || db_query_str(r->db, STMT_FRAME_PENDING_CHECK,
	                        DB_ARGS(A_STR(id), A_STR(r->user->region_code), A_STR(kind)), &ok_id) < 0 || !ok_id) {
		resp_status(r, 404);
		frames_page(r, "待确认的上传不存在（可能已确认或被替换），请刷新页面。");
		goto out;
	}
	if (frame_pending_cells(r->db, r->user->region_code, ok_id, &t, err, sizeof err) != 0) {
		resp_status(r, 410);
		frames_page(r, "上传的文件已无法读取，请重新上传。");
		goto out;
	}
	int rc = frame_parse_table(&t, kind, opts, &fp);
	frame_table_free(&t);
	/* The page shows the checks of the latest choice. */
	frame_pending_set_preview(r->db, ok_id, &fp);
	if (!fp.fatal[0])
		frame_memo_save(r->db, r->user->region_code, kind, &fp);
	if (act == FA_PREVIEW)
		frames_page(r, NULL);
	else if (confirm_refused(r, act, &fp, rc) == 0)
		confirm_store(r, kind, ok_id, &fp);
	frame_parse_free(&fp);
out:
	free(ok_id);
	free(choice);
}

void frames_get(struct req *r)
{
	frames_page(r, NULL);
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
		frames_page(r, "已经抽样，样本框不能再替换。");
		return;
	}
	switch (action) {
	case FA_UPLOAD:
		frames_upload(r, kind);
		break;
	case FA_PREVIEW:
	case FA_CONFIRM:
	case FA_CONFIRM_VALID:
		frames_confirm(r, kind, action);
		break;
	case FA_DISCARD:
		pending_drop(r, kind);
		resp_redirect(r, "/region/frames");
		break;
	}
}
