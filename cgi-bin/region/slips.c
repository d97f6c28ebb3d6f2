/*
 * region/slips.c - invitation slips: the funnel, printing and revoking codes.
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
#include "strata.h"
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
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "邀请单（二维码）");
	h_notice(r, notice);
	h_raw(r, "<p>为抽中的服务资源单位和中小企业生成一次性邀请码，并下载可打印的 A4 邀请单（每页 8 张，"
	      "沿裁切线裁开）。每张邀请单有二维码、邀请码和网址，受邀单位扫码即可注册并填写调查表。</p>"
	      "<p>每个单位的邀请码是固定的：重新打印的邀请单与此前打印的邀请码相同，已发出的邀请单继续有效；"
	      "已注册的单位不再生成邀请单。邀请单遗失或被他人获取时，可在下方邀请进度表中对该单位"
	      "“作废并换发”邀请码（原邀请单随即失效）。</p>");
	h_table_begin(r, NULL, NULL, cols, NELEMS(cols));
	for (size_t i = 0; i < rows->nrows; i++)
		h_printf(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
		         stratum_category_of(dbrows_get(rows, i, 0)), dbrows_get(rows, i, 1),
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
		         stratum_category_of(stratum_code(st)));
	h_raw(r, "</select></p>"
	      "<p><label><input type=\"radio\" name=\"scope\" value=\"new\" checked> 仅从未打印过邀请单的单位</label> "
	      "<label><input type=\"radio\" name=\"scope\" value=\"all\"> 所有尚未注册的单位（重印，邀请码不变）</label></p>"
	      "<p><button type=\"submit\">生成邀请码并下载 PDF</button></p></fieldset></form>");
	struct funnel_page pg = {
		r->arg[KEY_AFTER].present ? r->arg[KEY_AFTER].id : 0,
		r->arg[KEY_STRATUM].present ? stratum_codes[r->arg[KEY_STRATUM].n] : "",
		r->arg[KEY_Q].present ? r->arg[KEY_Q].s : "",
	};
	if (slips_funnel_table(r, r->user->region_code, &pg) < 0)
		h_raw(r, "<p class=\"error\">邀请进度暂时无法显示，请稍后刷新。</p>");
	page_end(r);
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

/* Issues the codes in a transaction of its own, committed before the
 * document is rendered, so that rendering 10,000 slips holds no row locks
 * (issue 13). Codes are derived (codes.h): should rendering fail, printing
 * again gives the very same codes, so nothing issued here is lost or
 * differs. The number of units (0: none to print; *units NULL), or -1
 * with the reason in *err. */
struct issue_tx {
	struct req *r;
	const struct deadlines *due;
	const char *stratum;
	unsigned long long unit_id;
	int only_new;
	struct issued *units;
	long n;
	enum codes_err err;
};

/* db_transaction's body: a retry frees what an attempt had issued. */
static int issue_body(struct db *db, void *ctx, int attempt)
{
	struct issue_tx *x = ctx;
	if (attempt > 1 && x->n > 0)
		issued_free(x->units, (size_t)x->n);
	x->units = NULL;
	x->n = codes_issue(db, x->r->conf->code_secret, x->due, x->r->user->region_code, x->stratum,
	                   x->unit_id, x->only_new, &x->units, &x->err);
	return x->n < 0 ? -1 : x->n == 0 ? 1 : 0;
}

static long issue_codes(struct req *r, const struct deadlines *due, const char *stratum,
                        unsigned long long unit_id, int only_new, struct issued **units, enum codes_err *err)
{
	struct issue_tx x = { r, due, stratum, unit_id, only_new, NULL, 0, CODES_DB };
	int rc = db_transaction(r->db, issue_body, &x);
	*err = rc < 0 && x.err == CODES_OK ? CODES_DB : x.err;
	if (rc != 0) {
		if (x.n == 0)
			issued_free(x.units, 0);
		*units = NULL;
		return rc < 0 ? -1 : 0;
	}
	*units = x.units;
	return x.n;
}

struct revoke_tx {
	struct req *r;
	unsigned long long id;
	enum codes_err err;
};

/* 1 (rolled back) when there is no such printed, unregistered unit. */
static int revoke_body(struct db *db, void *ctx, int attempt)
{
	struct revoke_tx *x = ctx;
	(void)attempt;
	int rc = codes_revoke(db, x->r->conf->code_secret, x->r->user->region_code, x->id, &x->err);
	return rc < 0 ? -1 : rc == 0 ? 1 : 0;
}

/* The headers of the slips' PDF: one unit's, or the stratum's. */
static void slips_headers(struct req *r, const char *stratum, unsigned long long unit_id, int only_new)
{
	struct buf d = { 0 };
	resp_header(r, "Content-Type", "application/pdf");
	/* Says what was printed (issue 23 item 10): the units never printed
	 * ("new") or every unregistered one, of one stratum or of every one
	 * (then no stratum part, never "all", which read as "every slip"). */
	if (unit_id)
		buf_printf(&d, "slip-%llu.pdf", unit_id);
	else
		buf_printf(&d, "slips-%s%s%s-%s.pdf", r->user->region_code,
		           stratum && strcmp(stratum, "all") ? "-" : "", stratum && strcmp(stratum, "all") ? stratum : "",
		           only_new ? "new" : "unregistered");
	resp_attachment(r, d.data);
	buf_free(&d);
}

/* Prints the slips of the units (unit_id 0: of the stratum) as a PDF;
 * a unit printed before gets the same code again. */
static void issue_and_send(struct req *r, const char *stratum, unsigned long long unit_id, int only_new)
{
	struct issued *units = NULL;
	char *rname = NULL, *phone = NULL;
	struct deadlines due;
	enum codes_err err;
	long n = 0;

	/* The region's deadlines, read once for the slips and the codes. */
	if (load_region(r, &rname, &phone) < 0 ||
	    deadlines_for_region(r->db, r->conf, r->user->region_code, &due) < 0) {
		page_error(r, 503, MSG_BUSY);
		goto out;
	}
	double t0 = now_seconds();
	if ((n = issue_codes(r, &due, stratum, unit_id, only_new, &units, &err)) < 0) {
		page_error(r, 503, codes_err_text(err));
		goto out;
	}
	if (n == 0) {
		if (unit_id) {
			page_error(r, 404, MSG_UNIT_NOT_PRINTABLE);
		} else {
			resp_status(r, 422);
			slips_home(r, "没有需要生成邀请单的单位（可能均已注册或已打印过）。");
		}
		goto out;
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
	if (!f || slips_pdf(f, &si, units, (size_t)n) < 0) {
		page_error(r, 503, "邀请单未能生成，请稍后再试。邀请码已生成并保持不变："
		           "请选择“所有尚未注册的单位（重印，邀请码不变）”重新打印。");
		goto out;
	}
	log_info("slips: %ld codes issued in %.2f s, PDF rendered in %.2f s", n, t1 - t0,
	         now_seconds() - t1);
	struct buf d = { 0 };
	buf_printf(&d, "stratum=%s unit=%llu n=%ld", stratum ? stratum : "all", unit_id, n);
	audit(r, unit_id ? "slip-one" : "slips-print", d.data);
	buf_free(&d);
	slips_headers(r, stratum, unit_id, only_new);
out:
	if (units)
		issued_free(units, (size_t)n);
	free(rname);
	free(phone);
}

/* Only a region account bound to a region prints slips. */
static int slips_allowed(struct req *r)
{
	if (r->user->region_code[0])
		return 1;
	page_error(r, 403, MSG_FORBIDDEN);
	return 0;
}

/* A slip page's POST: slips allowed for this region, and the CSRF token
 * matches. 1 to go on, 0 when answered. */
void slip_one_post(struct req *r)
{
	if (!slips_allowed(r))
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
		page_error(r, 503, MSG_BUSY);
		return NULL;
	}
	return rows;
}

void slip_one_get(struct req *r)
{
	unsigned long long id = r->arg[KEY_UNIT].id;
	struct dbrows *rows;
	if (!(rows = slip_unit(r, id)))
		return;
	if (rows->nrows == 0) {
		dbrows_free(rows);
		page_error(r, 404, MSG_UNIT_NOT_PRINTABLE);
		return;
	}
	page_begin(r, "单张邀请单");
	if (r->arg[KEY_REVOKED].present)
		h_raw(r, "<p class=\"notice\" role=\"status\">原邀请码已作废，已换发新的邀请码。请下载新的邀请单并送达该单位。</p>");
	h_printf(r, "<p>单位：<strong>%s</strong>（%s）</p>", dbrows_get(rows, 0, 0),
	         stratum_category_of(dbrows_get(rows, 0, 1)));
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
void slip_revoke_get(struct req *r)
{
	unsigned long long id = r->arg[KEY_UNIT].id;
	struct dbrows *rows;
	if (!(rows = slip_unit(r, id)))
		return;
	if (rows->nrows == 0 || dbrows_get(rows, 0, 2) == NULL) {
		dbrows_free(rows);
		page_error(r, 404, MSG_UNIT_NOT_REVOCABLE);
		return;
	}
	page_begin(r, "作废并换发邀请码");
	h_printf(r, "<p>单位：<strong>%s</strong>（%s），邀请单打印于 %s。</p>", dbrows_get(rows, 0, 0),
	         stratum_category_of(dbrows_get(rows, 0, 1)), dbrows_get(rows, 0, 2));
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

void slip_revoke_post(struct req *r)
{
	unsigned long long id = r->arg[KEY_UNIT].id;
	enum codes_err err = CODES_DB;
	if (!slips_allowed(r))
		return;
	if (!r->arg[KEY_CONFIRM].present) {
		resp_status(r, 422);
		page_begin(r, "作废并换发邀请码");
		h_printf(r, "<p class=\"error\" role=\"alert\">请勾选确认后再作废邀请码。邀请码未作废。</p>"
		         "<p><a href=\"/region/slips/revoke?unit=%llu\">返回</a></p>", id);
		page_end(r);
		return;
	}
	struct revoke_tx x = { r, id, CODES_DB };
	int rc = db_transaction(r->db, revoke_body, &x);
	err = x.err;
	if (rc != 0) {
		if (rc > 0)
			page_error(r, 404, MSG_UNIT_NOT_REVOCABLE);
		else
			page_error(r, 503, err == CODES_DB ? "系统繁忙，邀请码未作废，请稍后再试。" : codes_err_text(err));
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

void slips_get(struct req *r)
{
	if (slips_allowed(r))
		slips_home(r, NULL);
}

void slips_post(struct req *r)
{
	if (!slips_allowed(r))
		return;
	const char *st = r->arg[KEY_STRATUM].s;
	if (st == NULL || *st == '\0')
		st = "all";
	if (strcmp(st, "all") != 0 && stratum_parse(st) < 0) {
		resp_status(r, 422);
		slips_home(r, "请选择有效的类别。");
		return;
	}
	/* Units never printed unless a reprint of all is asked for. */
	issue_and_send(r, st, 0, !r->arg[KEY_SCOPE].present);    /* scope=all: a reprint of all */
}

/* ------------------------------------------------------------ page table */
