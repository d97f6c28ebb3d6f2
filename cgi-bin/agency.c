/*
 * smesurvey-agency - the evaluation agency's workspace (评估机构工作台,
 * issue 19): the two evaluation methods of the notice that are not
 * questionnaires (三、查阅资料 and 五、实地走访调查) and each region's
 * evaluation dossier. The agency reads the ministry's pages (/admin, as a
 * member of RB_ADMINS) and works here.
 *
 *   GET /agency                      the workspace: every region
 *   GET /agency/reviews?region=      construction units and their reviews
 *   GET/POST /agency/reviews/unit?unit=   a unit's documents and review
 *   POST /agency/reviews/upload?unit=     upload a document on its behalf
 *   GET /agency/reviews/history?unit=     every version of a review
 *   GET /agency/documents/file?id=   a document (agency; a unit its own)
 *   GET/POST /agency/targets         approved targets: regions, import (CSV/XLSX)
 *   GET /agency/targets/region?region=   a region's targets and completion
 *   GET/POST /agency/visits          site visits; a new one
 *   GET/POST /agency/visits/visit?id=    a visit's plan (team, objects, dates ...)
 *   POST /agency/visits/state?id=    notify, done, cancel (asked first)
 *   GET /agency/visits/notice.pdf?id=    the A4 visit notice
 *   POST /agency/symposiums?id=<visit>   a symposium at a visited unit
 *   GET /agency/symposiums/symposium?id= invitations, attendance, minutes, files
 *   POST /agency/symposiums/{invite,attendance,upload}?id=
 *   GET /agency/symposiums/{invitations,attendance}.pdf?id=  the two lists
 *   GET /agency/symposiums/file?id=  a file of the minutes
 *   GET /agency/dossier[.pdf|.xlsx]?region=   a region's evaluation dossier
 *   GET /agency/national.xlsx        visits, reviews, ratings, targets of all regions
 *
 * The region and the construction units see their side of the agency's
 * work here too, on routes open to their roles (the domain stays in one
 * program; the region and form programs are not touched):
 *
 *   GET /agency/region               region: its visits, its units' document receipts
 *   POST /agency/region/confirm?id=  region: confirm a notified visit
 *   GET/POST /agency/unit/documents  hub, window: own documents, upload
 *   GET /agency/unit/visits          hub, window: the visits to it
 *
 * The domain code lives in cgi-bin/eval/ (evalconf, review, unitreview,
 * targets, targetimport); this file is the page table, and the one glue
 * the evaluation layer may not hold itself: reading an uploaded CSV or
 * XLSX table with the sample layer's readers (eval does not include
 * sample/).
 */
#include "msg.h"
#include "app.h"
#include "auth.h"
#include "csv.h"
#include "db.h"
#include "dossier.h"
#include "evalconf.h"
#include "fileio.h"
#include "flags.h"
#include "form.h"
#include "frame.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "nav.h"
#include "params.h"
#include "review.h"
#include "symposium.h"
#include "targets.h"
#include "util.h"
#include "visits.h"
#include "workspace.h"
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>

#define AGENCY RB(ROLE_AGENCY)
#define UNITS  (RB(ROLE_HUB) | RB(ROLE_WINDOW))
#define REGION RB(ROLE_REGION)

/* The regions, each a row of the agency's work in it. */
static void workspace(struct req *r)
{
	static const char *const cols[] = { "地区代码", "地区", "评估材料" };
	struct dbrows *rows;

	if (db_query(r->db, STMT_REGION_LIST, DB_NOARGS, &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "评估机构工作台");
	h_raw(r, "<p>评估方式（通知二）：查阅资料、问卷调查和实地走访调查。问卷调查的结果见"
	      "<a href=\"/admin\">全国进度</a>和<a href=\"/admin/indicators\">评估指标</a>；"
	      "本工作台记录<a href=\"/agency/reviews\">查阅资料</a>和实地走访调查，"
	      "并汇总每个地区的评估材料。</p>");
	h_table_begin(r, "regions", "各地区", cols, NELEMS(cols));
	for (size_t i = 0; i < rows->nrows; i++)
		h_printf(r, "<tr><td>%s</td><td>%s</td><td><a href=\"/agency/dossier?region=%s\">评估材料</a> · "
		         "<a href=\"/agency/visits?region=%s\">走访</a> · <a href=\"/agency/reviews?region=%s\">查阅资料</a> · "
		         "<a href=\"/agency/targets/region?region=%s\">批复目标</a></td></tr>", dbrows_get(rows, i, 0),
		         dbrows_get(rows, i, 1), dbrows_get(rows, i, 0), dbrows_get(rows, i, 0), dbrows_get(rows, i, 0),
		         dbrows_get(rows, i, 0));
	h_table_end(r);
	h_raw(r, "<p><a href=\"/agency/national.xlsx\">全国评估材料（XLSX：走访、评审、评分、批复目标、各地区评分）</a></p>");
	dbrows_free(rows);
	page_end(r);
}

/* The region's view of the agency's work in it. */
static void region_page(struct req *r)
{
	page_begin(r, "评估机构走访与材料");
	h_raw(r, "<p>评估机构（中国国际工程咨询公司）通过查阅资料和实地走访调查开展评估（通知三、五）。"
	      "这里是评估机构对本地区的走访安排，以及评估机构收到的本地区项目承建单位材料。</p>");
	if (visits_region_section(r) < 0)
		h_raw(r, "<p class=\"error\">走访安排暂时无法显示，请稍后刷新。</p>");
	if (review_receipts_section(r) < 0)
		h_raw(r, "<p class=\"error\">材料接收情况暂时无法显示，请稍后刷新。</p>");
	page_end(r);
}

/* The uploaded "file" as a table, read as the sample frames are: XLSX or
 * XLS (first sheet; .xls by FreeXL in a limited child) or CSV in UTF-8 or
 * GB18030. 0, or -1 with the reason (Chinese) in err. */
static int upload_table(struct req *r, struct frame_table *t, char *err, size_t errsz)
{
	const struct param *p = r->arg[WK_FILE].present ? r->arg[WK_FILE].file : NULL;
	const char *charset;

	if (!p || !p->filename || !*p->filename || p->len == 0 || p->too_large) {
		snprintf(err, errsz, p && p->too_large ? "文件过大" : "请选择要导入的文件");
		return -1;
	}
	return frame_upload_table(p->value, p->len, t, &charset, err, errsz);
}

static void targets_post(struct req *r)
{
	struct frame_table t = { 0 };
	char err[240];

	if (upload_table(r, &t, err, sizeof err) < 0) {
		targets_import(r, NULL, err);
		return;
	}
	const struct tgt_rows rows = { t.nrows, t.rows, t.ncells, t.line };
	targets_import(r, &rows, NULL);
	frame_table_free(&t);
}

/* The posted fields of the workspace's forms (what the handlers read). */
#define P_KIND     P_TEXT(WK_KIND, "kind", 64)
#define P_UNIT     P_ID_OF(WK_UNIT, "unit", 404, WS_MSG_NO_UNIT)
#define P_VISIT    P_ID_OF(WK_ID, "id", 404, WS_MSG_NO_VISIT)
#define P_SYM      P_ID_OF(WK_ID, "id", 404, WS_MSG_NO_SYMPOSIUM)
/* ok=1: the notice after a redirect. */
#define P_OK       { WK_OK, "ok", PT_INT, 0, 1, 1, NULL, 0, NULL, 0 }
#define P_VERSION  { WK_VERSION, "version", PT_INT, P_REQUIRED, 0, 100000000, NULL, 400, WS_MSG_REFRESH, 0 }

static const struct pspec unit_docs_post[] = { P_KIND, P_FILE(WK_FILE), { 0 } };
static const struct pspec review_upload_params[] = { P_UNIT, P_KIND, P_FILE(WK_FILE), { 0 } };
static const struct pspec review_post_params[] = {
	P_UNIT, P_VERSION,
	{ WK_CHECKLIST, "checklist", PT_STR, P_LIST, 0, 64, NULL, 0, NULL, 32 },
	P_TEXT(WK_FINDINGS, "findings", 100000),
	P_TEXT(WK_R1, "rating1", 1000), P_TEXT(WK_R2, "rating2", 1000),
	P_TEXT(WK_R3, "rating3", 1000), P_TEXT(WK_R4, "rating4", 1000),
	{ 0 }
};
static const struct pspec targets_post_params[] = { P_FILE(WK_FILE), { 0 } };
static const struct pspec visit_create_params[] = {
	P_REGION(WK_REGION), P_TEXT(WK_STARTS, "starts_on", 64), P_TEXT(WK_ENDS, "ends_on", 64), { 0 }
};
static const struct pspec visit_save_params[] = {
	P_VISIT, P_VERSION,
	P_TEXT(WK_STARTS, "starts_on", 64), P_TEXT(WK_ENDS, "ends_on", 64),
	P_TEXT(WK_CONTACT, "contact", 1000), P_TEXT(WK_PHONE, "phone", 200),
	P_TEXT(WK_PREPARE, "prepare", 30000), P_TEXT(WK_FINDINGS, "findings", 100000),
	{ WK_TEAM, "team", PT_ID, P_LIST, 0, 0, NULL, 0, NULL, 32 },
	{ WK_OBJ, "obj", PT_INT, P_LIST, 0, 500, NULL, 0, NULL, 128 },
	{ WK_OBJ_UNIT, "unit", PT_INT, P_INDEXED, 0, 9000000000000000000LL, NULL, 0, NULL, 500 },
	{ WK_OBJ_DAY, "day", PT_STR, P_INDEXED, 0, 64, NULL, 0, NULL, 500 },
	{ 0 }
};
static const struct pspec visit_state_params[] = {
	P_VISIT, { WK_ACTION, "action", PT_ENUM, P_REQUIRED, 0, 0, visit_state_actions, 400, MSG_INCOMPLETE, 0 },
	P_TEXT(WK_REASON, "reason", 5000),
	P_FLAG(WK_CONFIRM, "confirm"),
	{ 0 }
};
static const struct pspec sym_create_params[] = {
	P_VISIT, { WK_HOST, "host", PT_ID, 0, 0, 0, NULL, 0, NULL, 0 },
	P_TEXT(WK_DAY, "day", 64), P_TEXT(WK_PLACE, "place", 2000), { 0 }
};
static const struct pspec sym_invite_params[] = {
	P_SYM, { WK_UNITS, "unit", PT_ID, P_LIST, 0, 0, NULL, 400, "参会单位无效，请刷新后重试。", 1000 }, { 0 }
};
static const struct pspec sym_attendance_params[] = {
	P_SYM, { WK_CAME, "came", PT_ID, P_LIST, 0, 0, NULL, 0, NULL, 1000 }, P_TEXT(WK_MINUTES, "minutes", 100000), { 0 }
};
static const struct pspec sym_upload_params[] = { P_SYM, P_FILE(WK_FILE), { 0 } };

static const struct pspec unit_params[] = {
	P_ID_OF(WK_UNIT, "unit", 404, WS_MSG_NO_UNIT),
	P_OK,
	{ 0 }
};
static const struct pspec region_filter[] = {
	P_REGION(WK_REGION),
	{ 0 }
};
static const struct pspec doc_params[] = {
	P_ID_OF(WK_ID, "id", 404, MSG_NO_UPLOAD),
	{ 0 }
};
static const struct pspec visit_params[] = {
	P_ID_OF(WK_ID, "id", 404, WS_MSG_NO_VISIT),
	P_TEXT(WK_OK, "ok", 16),
	{ 0 }
};
static const struct pspec sym_params[] = {
	P_ID_OF(WK_ID, "id", 404, WS_MSG_NO_SYMPOSIUM),
	P_OK,
	{ 0 }
};
static const struct pspec region_param[] = {
	P_REGION_CODE(WK_REGION, "region", P_REQUIRED, 404, MSG_NO_REGION),
	{ 0 }
};
static const struct pspec imported_param[] = {
	{ WK_OK, "ok", PT_INT, 0, 1, 1000, NULL, 0, NULL, 0 },
	{ 0 }
};
static const struct pspec ok_param[] = {
	P_OK,
	{ 0 }
};

enum page {
	PAGE_WORKSPACE,
	PAGE_REVIEWS,
	PAGE_REVIEW_UNIT_GET,
	PAGE_REVIEW_UNIT_POST,
	PAGE_REVIEW_UPLOAD,
	PAGE_REVIEW_HISTORY,
	PAGE_DOC_FILE,
	PAGE_REGION,
	PAGE_UNIT_DOCS_GET,
	PAGE_UNIT_DOCS_POST,
	PAGE_TARGETS_GET,
	PAGE_TARGETS_POST,
	PAGE_TARGETS_REGION,
	PAGE_VISITS_GET,
	PAGE_VISITS_POST,
	PAGE_VISIT_GET,
	PAGE_VISIT_POST,
	PAGE_VISIT_STATE,
	PAGE_VISIT_NOTICE,
	PAGE_REGION_CONFIRM,
	PAGE_UNIT_VISITS,
	PAGE_SYM_CREATE,
	PAGE_SYM_GET,
	PAGE_SYM_INVITE,
	PAGE_SYM_ATTENDANCE,
	PAGE_SYM_UPLOAD,
	PAGE_SYM_FILE,
	PAGE_SYM_INVITATIONS,
	PAGE_SYM_SHEET,
	PAGE_DOSSIER,
	PAGE_DOSSIER_PDF,
	PAGE_DOSSIER_XLSX,
	PAGE_NATIONAL_XLSX,
	PAGE__MAX
};

/* The constants of a unit's documents page (STMT_PAGE_UNIT_DOCS): the
 * roles of construction units (ws_unit_load). */
static int unit_docs_session_args(const struct req *r, struct dbarg *out)
{
	(void)r;
	out[0] = A_STR(role_code(ROLE_HUB));
	out[1] = A_STR(role_code(ROLE_WINDOW));
	return 2;
}

static const struct pagedef pages[PAGE__MAX] = {
	[PAGE_WORKSPACE]        = { "/agency", M_GET, AGENCY, PAGE_SLASH, NULL, workspace, NULL,
	                         .session = STMT_PAGE_REGIONS },
	[PAGE_REVIEWS]          = { "/agency/reviews", M_GET, AGENCY, 0, region_filter, review_list, NULL },
	[PAGE_REVIEW_UNIT_GET]  = { "/agency/reviews/unit", M_GET, AGENCY, 0, unit_params, review_unit_get, NULL },
	[PAGE_REVIEW_UNIT_POST] = { "/agency/reviews/unit", M_POST, AGENCY, PAGE_CSRF, review_post_params, review_unit_post, NULL },
	[PAGE_REVIEW_UPLOAD]    = { "/agency/reviews/upload", M_POST, AGENCY, PAGE_CSRF, review_upload_params, review_upload_post, NULL },
	[PAGE_REVIEW_HISTORY]   = { "/agency/reviews/history", M_GET, AGENCY, 0, unit_params, review_history, NULL },
	[PAGE_DOC_FILE]         = { "/agency/documents/file", M_GET, AGENCY | UNITS, 0, doc_params, review_doc_file, NULL },
	[PAGE_REGION]           = { "/agency/region", M_GET, REGION, 0, ok_param, region_page, NULL,
	                         .session = STMT_PAGE_REGION_VISITS },
	[PAGE_UNIT_DOCS_GET]    = { "/agency/unit/documents", M_GET, UNITS, 0, ok_param, review_unit_docs_get, NULL,
	                         .session = STMT_PAGE_UNIT_DOCS, .session_args = unit_docs_session_args },
	[PAGE_UNIT_DOCS_POST]   = { "/agency/unit/documents", M_POST, UNITS, PAGE_CSRF, unit_docs_post, review_unit_docs_post, NULL },
	[PAGE_TARGETS_GET]      = { "/agency/targets", M_GET, AGENCY, 0, imported_param, targets_page, NULL },
	[PAGE_TARGETS_POST]     = { "/agency/targets", M_POST, AGENCY, PAGE_CSRF, targets_post_params, targets_post, NULL },
	[PAGE_TARGETS_REGION]   = { "/agency/targets/region", M_GET, AGENCY, 0, region_param, targets_region_page, NULL },
	[PAGE_VISITS_GET]       = { "/agency/visits", M_GET, AGENCY, 0, region_filter, visits_list, NULL,
	                         .session = STMT_PAGE_REGIONS },
	[PAGE_VISITS_POST]      = { "/agency/visits", M_POST, AGENCY, PAGE_CSRF, visit_create_params, visits_create, NULL },
	[PAGE_VISIT_GET]        = { "/agency/visits/visit", M_GET, AGENCY, 0, visit_params, visit_page, NULL },
	[PAGE_VISIT_POST]       = { "/agency/visits/visit", M_POST, AGENCY, PAGE_CSRF, visit_save_params, visit_save, NULL },
	[PAGE_VISIT_STATE]      = { "/agency/visits/state", M_POST, AGENCY, PAGE_CSRF, visit_state_params, visit_state_post, NULL },
	[PAGE_VISIT_NOTICE]     = { "/agency/visits/notice.pdf", M_GET, AGENCY, 0, visit_params, visit_notice_pdf, NULL },
	[PAGE_REGION_CONFIRM]   = { "/agency/region/confirm", M_POST, REGION, PAGE_CSRF, visit_params, visit_confirm_post, NULL },
	[PAGE_UNIT_VISITS]      = { "/agency/unit/visits", M_GET, UNITS, 0, NULL, visits_unit_page, NULL,
	                         .session = STMT_PAGE_UNIT_VISITS },
	[PAGE_SYM_CREATE]       = { "/agency/symposiums", M_POST, AGENCY, PAGE_CSRF, sym_create_params, symposium_create, NULL },
	[PAGE_SYM_GET]          = { "/agency/symposiums/symposium", M_GET, AGENCY, 0, sym_params, symposium_page, NULL },
	[PAGE_SYM_INVITE]       = { "/agency/symposiums/invite", M_POST, AGENCY, PAGE_CSRF, sym_invite_params, symposium_invite, NULL },
	[PAGE_SYM_ATTENDANCE]   = { "/agency/symposiums/attendance", M_POST, AGENCY, PAGE_CSRF, sym_attendance_params, symposium_attendance, NULL },
	[PAGE_SYM_UPLOAD]       = { "/agency/symposiums/upload", M_POST, AGENCY, PAGE_CSRF, sym_upload_params, symposium_upload, NULL },
	[PAGE_SYM_FILE]         = { "/agency/symposiums/file", M_GET, AGENCY, 0, doc_params, symposium_file, NULL },
	[PAGE_SYM_INVITATIONS]  = { "/agency/symposiums/invitations.pdf", M_GET, AGENCY, 0, sym_params, symposium_invitations_pdf, NULL },
	[PAGE_SYM_SHEET]        = { "/agency/symposiums/attendance.pdf", M_GET, AGENCY, 0, sym_params, symposium_attendance_pdf, NULL },
	[PAGE_DOSSIER]          = { "/agency/dossier", M_GET, AGENCY, 0, region_param, dossier_page, NULL },
	[PAGE_DOSSIER_PDF]      = { "/agency/dossier.pdf", M_GET, AGENCY, 0, region_param, dossier_pdf, NULL },
	[PAGE_DOSSIER_XLSX]     = { "/agency/dossier.xlsx", M_GET, AGENCY, 0, region_param, dossier_xlsx, NULL },
	[PAGE_NATIONAL_XLSX]    = { "/agency/national.xlsx", M_GET, AGENCY, 0, NULL, national_xlsx, NULL },
};

int main(int argc, char **argv)
{
	char err[256];

	log_init("smesurvey-agency");
	/* The review vocabulary is checked against the indicators, which are
	 * checked against the codebook: a bad file stops the program. The
	 * integrity rules name the flags in the dossier. */
	if (forms_load(err, sizeof err) < 0 || evalconf_load(err, sizeof err) < 0 ||
	    flag_rules_load(err, sizeof err) < 0) {
		log_err("codebook, indicators, review vocabulary or integrity rules: %s", err);
		return 1;
	}
	site_nav_load();
	const struct app app = { "smesurvey-agency", pages, PAGE__MAX, site_nav, site_nav_len };
	return app_run(&app, argc, argv);
}
