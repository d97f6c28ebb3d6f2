/*
 * region/sample.c - the draw (or the region's own list), replacements and
 * the sample list as CSV.
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

#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "region.h"

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
		/* What the seed is for, in words (issue 23 item 10). */
		h_printf(r, "<p><label for=\"seed-%s\">随机种子（决定抽中哪些单位的随机数起点；系统已随机生成，一般无需修改）</label>"
		         "<input type=\"text\" id=\"seed-%s\" name=\"seed\" value=\"%s\" pattern=\"[0-9a-fA-F]{1,16}\" maxlength=\"18\""
		         " required aria-describedby=\"seed-why-%s\"></p>"
		         "<p id=\"seed-why-%s\" class=\"hint\">抽样使用分层简单随机抽样（不放回）。系统会记录这个种子：评估机构用同一样本框和同一种子"
		         "可以重现完全相同的抽样结果，以此复核抽样是否公正。填写其他 1-16 位十六进制数（0-9、a-f）也可以。</p>"
		         "<p><button type=\"submit\">随机抽样…</button>（下一步确认后才抽样）</p></form>",
		         kind, kind, hex, kind, kind);
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
	h_alert(r, msg);
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
	const struct arg *a = &r->arg[KEY_SME_N];    /* 1..SME_SIZE_MAX, or malformed */
	if (a->s == NULL || *a->s == '\0')
		return r->conf->sample_sme;
	return a->present && a->n >= r->conf->sample_sme ? (int)a->n : -1;
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

/* The draw cannot be undone by the region (issue 23 item 10): a page that
 * says what it is about to do and posts the same choices again with
 * confirm=1, or goes back. */
static void draw_confirm_page(struct req *r, const char *kind, uint64_t seed, int n_sme, int allow_short)
{
	char hex[17];
	seed_format(seed, hex);
	region_title(r, " · 确认抽样");
	h_printf(r, "<form method=\"post\" action=\"/region/sample\" class=\"panel\">"
	         "<h2>确认抽取%s样本</h2><ul>", kind_label(kind));
	if (strcmp(kind, "sme") == 0)
		h_printf(r, "<li>中小企业抽样数量：%d 家</li>", n_sme);
	else
		h_printf(r, "<li>枢纽平台组织的服务资源单位 %d 家，窗口平台组织的 %d 家</li>", quota(r, ST_HUB), quota(r, ST_WINDOW));
	h_printf(r, "<li>随机种子：<code class=\"seed\">%s</code>（评估机构用它和样本框重现并复核抽样结果）</li></ul>"
	         "<p class=\"error\">抽样后，样本和样本框都不能再更改；如有错误，只能由工业和信息化部重置。</p>", hex);
	h_csrf_field(r);
	h_printf(r, "<input type=\"hidden\" name=\"action\" value=\"draw\"><input type=\"hidden\" name=\"kind\" value=\"%s\">"
	         "<input type=\"hidden\" name=\"seed\" value=\"%s\"><input type=\"hidden\" name=\"sme_n\" value=\"%d\">"
	         "<input type=\"hidden\" name=\"confirm\" value=\"1\">", kind, hex, n_sme);
	if (allow_short)
		h_raw(r, "<input type=\"hidden\" name=\"confirm_short\" value=\"1\">");
	h_raw(r, "<p><button type=\"submit\">确认抽样</button> <a href=\"/region/sample\">返回修改</a></p></form>");
	page_end(r);
}

static void sample_draw(struct req *r, const char *kind)
{
	uint64_t seed;
	struct drawn dr = { 0 };
	const int n_sme = sme_size(r);
	const int q[ST_COUNT] = { quota(r, ST_HUB), quota(r, ST_WINDOW), n_sme };
	const int allow_short = r->arg[KEY_CONFIRM].present;

	if (seed_parse(r->arg[KEY_SEED].s, &seed) < 0) {
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
	if (!r->arg[KEY_DRAW_CONFIRMED].present) {
		draw_confirm_page(r, kind, seed, n_sme, allow_short);
		return;
	}
	/* One transaction: the draw and its audit row. */
	const struct sample_audit au = { audit_tx, r };
	enum draw_result rc = sample_draw_tx(r->db, r->user->region_code, kind, seed, q, allow_short,
	                                     r->user->id, &dr, &au);
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

/* The list stored as the region's sample: 1 when it has one already. */
struct list_tx {
	struct req *r;
	const char *kind, *sum;
	const struct frame_parse *fp;
	unsigned long long sid;
};

static int list_body(struct db *db, void *ctx, int attempt)
{
	struct list_tx *x = ctx;
	size_t pos[ST_COUNT] = { 0 };
	const char *region = x->r->user->region_code;
	(void)attempt;
	int rc = sample_insert(db, region, x->kind, "uploaded", NULL, x->sum, "", "", x->r->user->id, &x->sid);
	for (size_t i = 0; rc == 0 && i < x->fp->nunits; i++)
		rc = sample_unit_insert(db, x->sid, region, x->kind, &x->fp->units[i], "selected",
		                        ++pos[x->fp->units[i].stratum]);
	return rc;
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
	struct list_tx x = { r, kind, sum, &fp, 0 };
	int rc = db_transaction(r->db, list_body, &x);
	sid = x.sid;
	if (rc != 0) {
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

/* The replacement under the unit's row lock: the replaced unit's code
 * revoked, the unit out, the next reserve in, both units' answers moved in
 * or out of "sample only". > 0 with x->msg and x->status when refused. */
struct replace_tx {
	struct req *r;
	const char *unit, *reason, *msg;
	int status;
	struct dbrows *cur, *next;
};

static int replace_body(struct db *db, void *ctx, int attempt)
{
	struct replace_tx *x = ctx;
	(void)attempt;
	dbrows_free(x->cur);
	dbrows_free(x->next);
	x->cur = x->next = NULL;
	/* The region check is in the query: another region's unit is "not found". */
	if (db_query(db, STMT_SAMPLE_UNIT_LOCK, DB_ARGS(A_STR(x->unit), A_STR(x->r->user->region_code)),
	             &x->cur) < 0)
		return -1;
	if (x->cur->nrows == 0)
		x->msg = "要替换的单位不存在。";
	else if (strcmp(dbrows_get(x->cur, 0, 3), "selected") || strcmp(dbrows_get(x->cur, 0, 4), "active"))
		x->msg = "只有在样的入样单位可以替换。";
	else if (db_query(db, STMT_SAMPLE_NEXT_RESERVE,
	                  DB_ARGS(A_STR(dbrows_get(x->cur, 0, 1)), A_STR(dbrows_get(x->cur, 0, 2))), &x->next) < 0)
		return -1;
	else if (x->next->nrows == 0)
		x->msg = "该层已没有备选单位，无法替换。";
	if (x->msg) {
		x->status = x->cur->nrows == 0 ? 404 : 409;
		return 1;
	}
	const char *in = dbrows_get(x->next, 0, 0);
	/* The replaced unit's invitation code stops working at once; its slip
	 * is answered "revoked" (revoked_codes). */
	if (db_exec(db, STMT_CODE_REVOKED_INSERT, DB_ARGS(A_STR("replace"), A_INT(parse_id(x->unit))), NULL, NULL) < 0 ||
	    db_exec(db, STMT_SAMPLE_UNIT_REPLACE, DB_ARGS(A_STR(x->reason), A_STR(x->unit)), NULL, NULL) < 0 ||
	    db_exec(db, STMT_SAMPLE_UNIT_PROMOTE, DB_ARGS(A_STR(x->unit), A_STR(in)), NULL, NULL) < 0 ||
	    /* Their accounts' answers move in or out of "sample only". */
	    aggr_sync_units(db, STMT_AGGR_UNIT_RESPONSES, x->unit) < 0 ||
	    aggr_sync_units(db, STMT_AGGR_UNIT_RESPONSES, in) < 0)
		return -1;
	return 0;
}

/* Audit row and the redirect back to the unit that came in. */
static void replace_done(struct req *r, const struct replace_tx *x)
{
	struct buf d = { 0 };
	/* key=value, the reason last (it may hold spaces): /admin/audit
	 * writes it out in Chinese (pages/auditview.c). */
	buf_printf(&d, "region=%s unit=%s name=%s reserve=%s reserve_name=%s position=%s reason=%s",
	           r->user->region_code, x->unit, dbrows_get(x->cur, 0, 5), dbrows_get(x->next, 0, 0),
	           dbrows_get(x->next, 0, 1), dbrows_get(x->next, 0, 2), x->reason);
	if (d.len > 1000)
		d.data[d.len = 1000] = '\0';   /* audit_log.detail is VARCHAR(1024) */
	while (d.len && !utf8_valid(d.data, d.len))
		d.data[--d.len] = '\0';
	audit(r, "sample-replace", d.data);
	buf_reset(&d);
	buf_printf(&d, "/region/sample?done=%s#unit-%s", dbrows_get(x->next, 0, 0), dbrows_get(x->next, 0, 0));
	resp_redirect(r, d.data);
	buf_free(&d);
}

static void sample_replace(struct req *r)
{
	const char *reason = r->arg[KEY_REASON].s;
	struct replace_tx x = { .r = r, .unit = r->arg[KEY_UNIT].present ? r->arg[KEY_UNIT].s : NULL,
	                        .reason = reason };
	int rc;

	if (!x.unit || !reason || !*reason || utf8_len(reason) > 200) {
		resp_status(r, 400);
		sample_page(r, "请填写替换原因（最多 200 字）。", NULL);
		return;
	}
	rc = db_transaction(r->db, replace_body, &x);
	if (rc < 0) {
		page_error(r, 503, "替换未能保存，请稍后再试。");
	} else if (rc > 0) {
		resp_status(r, x.status);
		sample_page(r, x.msg, NULL);
	} else {
		replace_done(r, &x);
	}
	dbrows_free(x.cur);
	dbrows_free(x.next);
}

void sample_get(struct req *r)
{
	sample_page(r, NULL, NULL);
}

/* The constant of the replacement page's statement
 * (STMT_PAGE_SAMPLE_REPLACE): k.unit. */
int sample_replace_session_args(const struct req *r, struct dbarg *out)
{
	out[0] = A_INT(r->arg[KEY_UNIT].id);
	return 1;
}

/* GET /region/sample/replace?unit=N: the unit, the reserve that will take
 * its place, the reason; the replacement itself is the POST of
 * /region/sample (action=replace). */
void sample_replace_get(struct req *r)
{
	struct dbrows *cur = NULL, *next = NULL;
	char ids[24];
	snprintf(ids, sizeof ids, "%llu", r->arg[KEY_UNIT].id);
	if (db_query(r->db, STMT_SAMPLE_UNIT_SHOW, DB_ARGS(A_STR(ids), A_STR(r->user->region_code)), &cur) < 0) {
		page_error(r, 503, MSG_BUSY);
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
		page_error(r, 503, MSG_BUSY);
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

void sample_post(struct req *r)
{
	const char *kind = kind_arg(r);
	enum sample_action action = (enum sample_action)r->arg[KEY_ACTION].n;   /* required */
	if (action == SA_REPLACE)
		sample_replace(r);
	else if (kind && action == SA_DRAW)
		sample_draw(r, kind);
	else if (kind && action == SA_UPLOAD)
		sample_upload(r, kind);
	else
		page_error(r, 400, MSG_INCOMPLETE);
}

void sample_csv(struct req *r)
{
	const char *kind = kinds[r->arg[KEY_KIND].n];
	struct dbrows *u;
	if (db_query(r->db, STMT_SAMPLE_LIST_CSV,
	             DB_ARGS(A_STR(r->user->region_code), A_STR(kind)), &u) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (u->nrows == 0) {
		dbrows_free(u);
		page_error(r, 404, "尚未抽样。");
		return;
	}
	struct buf fn = { 0 };
	buf_printf(&fn, "sample-%s-%s.csv", r->user->region_code, kind);
	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_attachment(r, fn.data);
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
