/*
 * sympost.c - what changes a symposium (invitations, attendance and
 * minutes, files) and its two printed lists (symposium.h).
 */
#include "symposium.h"
#include "auth.h"
#include "db.h"
#include "form.h"
#include "html.h"
#include "http.h"
#include "msg.h"
#include "page.h"
#include "pdfdoc.h"
#include "util.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINUTES_MAX 20000
#define PART_MAX    1000

/* A change's answer: the symposium's page again with e (422) when it was
 * refused (e not NULL), the busy page when the database failed (failed),
 * else the audit row (action, detail after symposium=<id>) and back to the
 * page. Frees s. */
static void answer(struct req *r, struct dbrows *s, const struct sym_errors *e, int failed,
                   const char *action, const char *detail)
{
	char d[160], to[80];
	if (e) {
		resp_status(r, 422);
		symposium_body(r, s, e);
	} else if (failed) {
		page_error(r, 503, MSG_BUSY);
	} else {
		snprintf(d, sizeof d, "symposium=%llu %s", r->arg[WK_ID].id, detail);
		audit(r, action, d);
		snprintf(to, sizeof to, "/agency/symposiums/symposium?id=%llu&ok=1", r->arg[WK_ID].id);
		resp_redirect(r, to);
	}
	dbrows_free(s);
}

/* The posted unit ids as "12,40,41" for FIND_IN_SET (each a PT_ID);
 * none leaves b empty (NULL data). */
static void id_list(struct buf *b, const char *const *units, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%llu", i ? "," : "", parse_id(units[i]));
}

/* A change to the participants: the symposium, the units posted, and for
 * the attendance the minutes. */
struct part_ctx {
	unsigned long long  id;
	const char *const  *units;
	size_t              n;
	const char         *minutes;
};

/* The invitation list replaced by units[]; 1 (rolled back) when one is
 * not of the region's sample. */
static int invite_body(struct db *db, void *ctx, int attempt)
{
	const struct part_ctx *c = ctx;
	unsigned long long added;
	struct dbrows *parts;
	struct buf ids = { 0 };
	int rc = 0;

	(void)attempt;
	if (db_query(db, STMT_SYMPOSIUM_PARTICIPANTS, DB_ARGS(A_INT(c->id)), &parts) < 0)
		return -1;
	id_list(&ids, c->units, c->n);
	if (db_exec(db, STMT_SYMPOSIUM_UNINVITE, DB_ARGS(A_INT(c->id), A_STR(ids.data ? ids.data : "")), NULL, NULL) < 0)
		rc = -1;
	buf_free(&ids);
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		int was = 0;
		for (size_t k = 0; k < parts->nrows && !was; k++)
			was = (unsigned long long)dbrows_int(parts, k, 0) == parse_id(c->units[i]);
		if (was)
			continue;
		if (db_exec(db, STMT_SYMPOSIUM_INVITE, DB_ARGS(A_INT(c->id), A_INT(parse_id(c->units[i]))), &added, NULL) < 0)
			rc = -1;
		else if (added == 0)
			rc = 1;
	}
	dbrows_free(parts);
	return rc;
}

void symposium_invite(struct req *r)
{
	const struct arg *a = &r->arg[WK_UNITS];
	const char *const *units = a->present ? a->list : NULL;
	size_t n = a->present ? a->nlist : 0;
	static const struct sym_errors not_sample = { .units = "只能从本地区的样本中选择参会单位，名单未保存" };
	struct dbrows *s = symposium_load(r);
	char detail[32];

	if (!s)
		return;
	struct part_ctx c = { r->arg[WK_ID].id, units, n, NULL };
	int rc = db_transaction(r->db, invite_body, &c);
	snprintf(detail, sizeof detail, "invited=%zu", n);
	answer(r, s, rc == 1 ? &not_sample : NULL, rc < 0, "symposium-invite", detail);
}

/* Who came (the posted units) and the minutes. */
static int attendance_body(struct db *db, void *ctx, int attempt)
{
	const struct part_ctx *c = ctx;
	struct buf ids = { 0 };
	int rc = 0;

	(void)attempt;
	id_list(&ids, c->units, c->n);
	if (db_exec(db, STMT_SYMPOSIUM_ATTENDED, DB_ARGS(A_STR(ids.data ? ids.data : ""), A_INT(c->id)), NULL, NULL) < 0)
		rc = -1;
	buf_free(&ids);
	if (rc == 0 && db_exec(db, STMT_SYMPOSIUM_MINUTES, DB_ARGS(A_STR(c->minutes), A_INT(c->id)), NULL, NULL) < 0)
		rc = -1;
	return rc;
}

void symposium_attendance(struct req *r)
{
	const struct arg *a = &r->arg[WK_CAME];
	const char *const *came = a->present ? a->list : NULL, *minutes = ws_arg(r, WK_MINUTES);
	size_t n = a->present ? a->nlist : 0;
	struct dbrows *s = symposium_load(r);
	char detail[32];

	if (!s)
		return;
	if (!minutes)
		minutes = "";
	if (!utf8_valid(minutes, strlen(minutes)) || utf8_len(minutes) > MINUTES_MAX) {
		struct sym_errors e = { .minutes = "纪要不能超过 20000 字", .minutes_value = minutes };
		answer(r, s, &e, 0, NULL, NULL);
		return;
	}
	int rc = db_transaction(r->db, attendance_body, &(struct part_ctx){ r->arg[WK_ID].id, came, n, minutes });
	snprintf(detail, sizeof detail, "came=%zu", n);
	answer(r, s, NULL, rc < 0, "symposium-attendance", detail);
}

void symposium_upload(struct req *r)
{
	const struct param *p = r->arg[WK_FILE].present ? r->arg[WK_FILE].file : NULL;
	struct dbrows *s = symposium_load(r);
	char *value = NULL, detail[64];
	const char *why;

	if (!s)
		return;
	if ((why = ws_store_file(r, p, &value)) != NULL) {
		answer(r, s, &(struct sym_errors){ .file = why }, 0, NULL, NULL);
		return;
	}
	int failed = db_exec(r->db, STMT_SYMPOSIUM_FILE_INSERT, DB_ARGS(A_INT(r->arg[WK_ID].id), A_STR(value),
	                     A_INT(p->len), A_INT(r->user->id)), NULL, NULL) < 0;
	snprintf(detail, sizeof detail, "bytes=%zu sha256=%.16s", p->len, value + 7);
	answer(r, s, NULL, failed, "symposium-file", detail);
	free(value);
}

void symposium_file(struct req *r)
{
	char *value = NULL;
	if (db_query_str(r->db, STMT_SYMPOSIUM_FILE_GET, DB_ARGS(A_INT(r->arg[WK_ID].id)), &value) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	if (!value)
		page_error(r, 404, MSG_NO_UPLOAD);
	else
		form_send_upload(r, value);
	free(value);
}

/* ------------------------------------------------------------- PDFs */

/* One of the two lists: a title, the symposium, a table per participant;
 * sign: the attendance sheet (a column to sign, rows high enough). */
static void list_pdf(struct req *r, int sign)
{
	static const double w_inv[] = { 10, 60, 40, 25, 35 }, w_sign[] = { 10, 55, 30, 22, 28, 25 };
	struct dbrows *s = symposium_load(r), *parts = NULL;
	struct buf head = { 0 }, pdf = { 0 };
	struct pdfdoc *d = NULL;
	size_t nc = sign ? 6 : 5;
	char num[PART_MAX][8], name[80];
	const char **cells = NULL;

	if (!s)
		return;
	if (db_query(r->db, STMT_SYMPOSIUM_PARTICIPANTS, DB_ARGS(A_INT(r->arg[WK_ID].id)), &parts) < 0 ||
	    !(d = pdf_begin(sign ? "座谈会签到表" : "座谈会邀请名单"))) {
		page_error(r, 503, WS_MSG_NO_PDF);
		goto out;
	}
	cells = xcalloc((parts->nrows + 1) * nc, sizeof *cells);
	const char *hdr[] = { "序号", "单位", "类型", "联系人", "电话", "签到" };
	memcpy(cells, hdr, nc * sizeof *cells);
	for (size_t i = 0; i < parts->nrows && i + 1 < PART_MAX; i++) {
		const char **row = cells + (i + 1) * nc;
		snprintf(num[i], sizeof num[i], "%zu", i + 1);
		row[0] = num[i];
		row[1] = dbrows_get(parts, i, 2);
		row[2] = sym_stratum_label(dbrows_get(parts, i, 1));
		row[3] = dbrows_get(parts, i, 3);
		row[4] = dbrows_get(parts, i, 4);
	}
	pdf_title(d, "首批中小企业公共服务平台网络项目评估");
	pdf_title(d, sign ? "服务资源单位和中小企业座谈会签到表" : "服务资源单位和中小企业座谈会邀请名单");
	buf_printf(&head, "地区：%s　　日期：%s　　召开单位：%s%s%s", dbrows_get(s, 0, SC_REGION_NAME),
	           dbrows_get(s, 0, SC_DAY), dbrows_get(s, 0, SC_HOST), *dbrows_get(s, 0, SC_PLACE) ? "　　地点：" : "",
	           dbrows_get(s, 0, SC_PLACE));
	pdf_para(d, head.data);
	pdf_table(d, sign ? w_sign : w_inv, nc, cells, parts->nrows + 1, sign ? 10 : 0);
	if (pdf_end(d, &pdf) < 0) {
		page_error(r, 503, WS_MSG_NO_PDF);
		goto out;
	}
	snprintf(name, sizeof name, "座谈会%s-%s.pdf", sign ? "签到表" : "邀请名单", dbrows_get(s, 0, SC_DAY));
	resp_header(r, "Content-Type", "application/pdf");
	resp_attachment(r, name);
	buf_reset(&r->body);
	buf_put(&r->body, pdf.data, pdf.len);
out:
	free(cells);
	if (parts)
		dbrows_free(parts);
	dbrows_free(s);
	buf_free(&head);
	buf_free(&pdf);
}

void symposium_invitations_pdf(struct req *r) { list_pdf(r, 0); }
void symposium_attendance_pdf(struct req *r)  { list_pdf(r, 1); }
