/*
 * followup.h - follow-up lists of a region (issue 11, item 4).
 *
 * Every invited sampled unit (selected, or a reserve that replaced one) and
 * every construction unit (hub, window accounts) of a region that has not
 * submitted its questionnaire, with contact name and phone (from the frame,
 * or as given at registration), its state (未注册 / 已注册未提交 / 草稿),
 * days since its slip was printed and its link opened, and the last
 * follow-up call. The same list as an HTML page (paged by unit id, never
 * OFFSET), an A4 call sheet with blank columns for notes, and a CSV for an
 * SMS gateway or a mail merge (UTF-8 with BOM or GB18030; the invitation
 * link of a printed, unregistered unit - never a password).
 *
 * A region records a call per unit (已致电 / 未接通 / 承诺提交 / 拒绝, with a
 * note; table followups, audit row "followup") and sees the history; a
 * refusal of a selected unit offers the existing reserve replacement
 * (/region/sample/replace, its confirmation page). The region pages
 * (region/, /region/followups...) and the ministry's read-only view of any
 * region (adminweb.c, /admin/followups...?region=) share these handlers;
 * base is the pages' path prefix.
 */
#ifndef SME_FOLLOWUP_H
#define SME_FOLLOWUP_H

#include "page.h"   /* struct pspec */

struct req;
struct dbarg;

/* Slots in r->arg[] of the parameter lists below (used only by these pages). */
enum fu_key {
	FU_KEY_KIND, FU_KEY_STATUS, FU_KEY_Q, FU_KEY_AFTER, FU_KEY_REGION, FU_KEY_FORMAT,
	FU_KEY_UNIT, FU_KEY_ACCOUNT, FU_KEY_OUTCOME, FU_KEY_NOTE, FU_KEY_SAVED
};

/* kind, status, q, after, region, format: filters and the page key. */
extern const struct pspec followup_list_params[];
/* unit= or account=, region, saved: one unit's history (and record form). */
extern const struct pspec followup_unit_params[];
/* unit= or account=, outcome, note: the POST recording a call. */
extern const struct pspec followup_record_params[];

/* GET base: the list, paged; print: the A4 call sheet. */
void followup_list(struct req *r, const char *base, int print);
/* GET base.csv */
void followup_csv(struct req *r);
/* GET base/unit: a unit's details and history; the record form for a region. */
void followup_unit(struct req *r, const char *base);
/* POST base/unit (region only): records a call, then back to the unit. */
void followup_record(struct req *r, const char *base);

/* The constants of the lists' statement (STMT_PAGE_FOLLOWUPS) and of a
 * unit's (STMT_PAGE_FOLLOWUP_UNIT), for the page tables (pagedef.session_args). */
int followup_list_session_args(const struct req *r, struct dbarg *out);
int followup_unit_session_args(const struct req *r, struct dbarg *out);

/* A call's outcome (called, no_answer, will_submit, refused) in Chinese;
 * an unknown code as it is. */
const char *followup_outcome_label(const char *code);

#endif
