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
#include "params.h"
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




static const struct pspec csv_params[] = {
	{ KEY_KIND, "kind", PT_ENUM, P_REQUIRED, 0, 0, kinds, 404, MSG_NOT_FOUND, 0 },
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
	/* Without the responses the agency excluded (issue 20); the page says how many. */
	if (indview_render(r, r->user->region_code, IV_DROP_EXCLUDED, NULL) < 0) {
		r->body.len = mark;
		r->body.data[mark] = 0;
		h_raw(r, "<p class=\"error\">指标暂时无法计算，请稍后刷新。</p>");
	}
	page_end(r);
}

static const struct pspec unit_params[] = {
	P_ID_OF(KEY_UNIT, "unit", 404, MSG_NO_UNIT),
	P_FLAG(KEY_REVOKED, "revoked"),
	P_CONFIRM(KEY_CONFIRM),
	{ 0 },
};

static const char *const frame_actions[] = { "upload", "preview", "confirm", "discard", "confirm-valid", NULL };
static const char *const sample_actions[] = { "draw", "upload", "replace", NULL };

/* POST /region/frames: the upload, then the preview's choices (heading
 * row, column mapping map0.., platform values pv0.. and their strata
 * ps0..), confirmed against the counts shown. Malformed choices fall back
 * to none; the frame's own checks report the rest. */
static const struct pspec frames_params[] = {
	{ KEY_KIND, "kind", PT_ENUM, P_REQUIRED, 0, 0, kinds, 400, MSG_INCOMPLETE, 0 },
	{ KEY_ACTION, "action", PT_ENUM, P_REQUIRED, 0, 0, frame_actions, 400, MSG_INCOMPLETE, 0 },
	P_FILE(KEY_FILE),
	{ KEY_HEADER_ROW, "header_row", PT_INT, 0, 0, FRAME_HEAD_SCAN, NULL, 0, NULL, 0 },
	P_TEXT(KEY_SHOWN_HEADER_ROW, "shown_header_row", 8),
	{ KEY_MAP, "map", PT_STR, P_INDEXED, 0, 32, NULL, 0, NULL, FRAME_MAX_COLS },
	{ KEY_PV, "pv", PT_STR, P_INDEXED, 0, 1024, NULL, 0, NULL, FRAME_MAX_PLATFORMS },
	{ KEY_PS, "ps", PT_STR, P_INDEXED, 0, 16, NULL, 0, NULL, FRAME_MAX_PLATFORMS },
	P_TEXT(KEY_SHOWN_COUNTS, "shown_counts", 64),
	{ KEY_FRAME_ID, "id", PT_ID, 0, 0, 0, NULL, 0, NULL, 0 },
	{ 0 },
};

/* POST /region/sample: draw (sme_n, seed, confirm_short), the region's
 * own list (file) or a replacement (unit, reason). */
static const struct pspec sample_params[] = {
	{ KEY_ACTION, "action", PT_ENUM, P_REQUIRED, 0, 0, sample_actions, 400, MSG_INCOMPLETE, 0 },
	{ KEY_KIND, "kind", PT_ENUM, 0, 0, 0, kinds, 0, NULL, 0 },
	P_FILE(KEY_FILE),
	{ KEY_SME_N, "sme_n", PT_INT, 0, 1, SME_SIZE_MAX, NULL, 0, NULL, 0 },
	P_TEXT(KEY_SEED, "seed", 64),
	{ KEY_CONFIRM, "confirm_short", PT_ENUM, 0, 0, 0, page_one, 0, NULL, 0 },
	P_CONFIRM(KEY_DRAW_CONFIRMED),
	{ KEY_UNIT, "unit", PT_ID, 0, 0, 0, NULL, 0, NULL, 0 },
	P_REASON(KEY_REASON),
	{ 0 },
};

/* POST /region/slips: which units (stratum, scope=all for a reprint). */
static const struct pspec slips_params[] = {
	P_TEXT(KEY_STRATUM, "stratum", 16),
	{ KEY_SCOPE, "scope", PT_ENUM, 0, 0, 0, page_all, 0, NULL, 0 },
	{ 0 },
};

/* The replacement's confirmation page, its reason filled in when it comes
 * from a refusal on the follow-up list. */
static const struct pspec replace_params[] = {
	P_ID_OF(KEY_UNIT, "unit", 404, MSG_NO_UNIT),
	P_REASON(KEY_REASON),
	{ 0 },
};

/* Filters and the page key of the large lists (issue 13 item 3): progress,
 * the sample's strata, the slips funnel. Malformed values fall back to
 * none. */
static const struct pspec list_params[] = {
	P_FORM(KEY_FORM),
	P_TEXT(KEY_Q, "q", 180),
	P_AFTER(KEY_AFTER),
	{ KEY_STRATUM, "stratum", PT_ENUM, 0, 0, 0, stratum_codes, 0, NULL, 0 },
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
	P_ID_OF(KEY_ID, "id", 404, MSG_NO_ACCOUNT),
	{ 0 },
};

static void accounts_get(struct req *r)
{
	region_accounts_page(r, "/region/accounts", "/region/accounts/reset",
	                     r->arg[KEY_Q].present ? r->arg[KEY_Q].s : "",
	                     r->arg[KEY_AFTER].present ? r->arg[KEY_AFTER].id : 0);
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
	[PAGE_HOME]          = { "/region",            M_GET,  REGION, PAGE_SLASH, NULL, home, NULL,
	                         .session = STMT_PAGE_REGION_HOME, .session_args = home_session_args },
	[PAGE_PROGRESS]      = { "/region/progress",   M_GET,  REGION, 0, list_params, progress, NULL,
	                         .session = STMT_PAGE_REGION_NAMED },
	[PAGE_FRAMES_GET]    = { "/region/frames",     M_GET,  REGION, 0, NULL, frames_get, NULL,
	                         .session = STMT_PAGE_FRAMES, .session_args = frames_session_args },
	[PAGE_FRAMES_POST]   = { "/region/frames",     M_POST, REGION, PAGE_CSRF, frames_params, frames_post, NULL },
	[PAGE_SAMPLE_GET]    = { "/region/sample",     M_GET,  REGION, 0, list_params, sample_get, NULL,
	                         .session = STMT_PAGE_REGION_NAMED },
	[PAGE_SAMPLE_POST]   = { "/region/sample",     M_POST, REGION, PAGE_CSRF, sample_params, sample_post, NULL },
	[PAGE_SAMPLE_CSV]    = { "/region/sample.csv", M_GET,  REGION, 0, csv_params, sample_csv, NULL },
	[PAGE_SAMPLE_REPLACE_GET] = { "/region/sample/replace", M_GET, REGION, 0, replace_params, sample_replace_get, NULL,
	                         .session = STMT_PAGE_SAMPLE_REPLACE, .session_args = sample_replace_session_args },
	[PAGE_SLIPS_GET]     = { "/region/slips",      M_GET,  REGION, PAGE_SLASH, list_params, slips_get, NULL,
	                         .session = STMT_PAGE_SLIPS },
	[PAGE_SLIPS_POST]    = { "/region/slips",      M_POST, REGION, PAGE_SLASH | PAGE_CSRF, slips_params, slips_post, NULL },
	[PAGE_SLIP_ONE_GET]  = { "/region/slips/one",  M_GET,  REGION, 0, unit_params, slip_one_get, NULL },
	[PAGE_SLIP_ONE_POST] = { "/region/slips/one",  M_POST, REGION, PAGE_CSRF, unit_params, slip_one_post, NULL },
	[PAGE_INDICATORS]    = { "/region/indicators", M_GET,  REGION, 0, NULL, indicators_page, NULL,
	                         .session = STMT_PAGE_INDICATORS },
	[PAGE_SLIP_REVOKE_GET]  = { "/region/slips/revoke", M_GET,  REGION, 0, unit_params, slip_revoke_get, NULL },
	[PAGE_SLIP_REVOKE_POST] = { "/region/slips/revoke", M_POST, REGION, PAGE_CSRF, unit_params, slip_revoke_post, NULL },
	[PAGE_ACCOUNTS]      = { "/region/accounts",   M_GET,  REGION, 0, list_params, accounts_get, NULL },
	[PAGE_ACCOUNT_RESET_GET]  = { "/region/accounts/reset", M_GET,  REGION, 0, account_params, account_reset_get, NULL },
	[PAGE_ACCOUNT_RESET_POST] = { "/region/accounts/reset", M_POST, REGION, PAGE_CSRF, account_params, account_reset_done, NULL },
	[PAGE_FOLLOWUPS]       = { "/region/followups",       M_GET, REGION, 0, followup_list_params, followups_get, NULL,
	                         .session = STMT_PAGE_FOLLOWUPS, .session_args = followup_list_session_args },
	[PAGE_FOLLOWUPS_PRINT] = { "/region/followups/print", M_GET, REGION, 0, followup_list_params, followups_print, NULL,
	                         .session = STMT_PAGE_FOLLOWUPS, .session_args = followup_list_session_args },
	[PAGE_FOLLOWUPS_CSV]   = { "/region/followups.csv",   M_GET, REGION, 0, followup_list_params, followup_csv, NULL,
	                         .session = STMT_PAGE_FOLLOWUPS, .session_args = followup_list_session_args },
	[PAGE_FOLLOWUP_UNIT_GET]  = { "/region/followups/unit", M_GET,  REGION, 0, followup_unit_params, followups_unit_get, NULL,
	                         .session = STMT_PAGE_FOLLOWUP_UNIT, .session_args = followup_unit_session_args },
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
