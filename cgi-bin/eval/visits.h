/*
 * visits.h - the agency's site visits (issue 19 item 4; notice 五、实地
 * 走访调查): per region a visit with dates, the agency's team, the objects
 * (the region's authority, its hub, chosen windows, each on a day), the
 * contact on the region's side and what to prepare; states planned ->
 * notified -> done, or cancelled with a reason (each change asked first and
 * audited); a printable A4 visit notice (PDF). The region sees its visits
 * once notified and confirms them; a visited hub or window sees its own.
 * Findings stay the agency's.
 */
#ifndef SME_VISITS_H
#define SME_VISITS_H

struct req;

/* A visit as STMT_VISIT_GET reads it (its column order). */
enum visit_col {
	VC_ID, VC_REGION, VC_REGION_NAME, VC_STARTS, VC_ENDS, VC_STATE, VC_CANCEL_REASON, VC_CONTACT,
	VC_PHONE, VC_PREPARE, VC_FINDINGS, VC_CONFIRMED, VC_VERSION, VC__COUNT
};

/* "计划中" ... for a visits.state. */
const char *visit_state_label(const char *state);

/* ---- the agency's pages (visits.c) ---- */
void visits_list(struct req *r);          /* GET /agency/visits?region= */
void visits_create(struct req *r);        /* POST /agency/visits */
void visit_page(struct req *r);           /* GET /agency/visits/visit?id= */
void visit_save(struct req *r);           /* POST /agency/visits/visit?id= */
/* The values of its action parameter (PT_ENUM): notify, done, cancel. */
extern const char *const visit_state_actions[];
void visit_state_post(struct req *r);     /* POST /agency/visits/state?id= (confirm first) */
void visit_notice_pdf(struct req *r);     /* GET /agency/visits/notice.pdf?id= */

/* ---- the visited side (visitside.c) ---- */
/* The region's visits (no findings) with a confirm button for a notified
 * one; 0 or -1 (database error, nothing written). */
int  visits_region_section(struct req *r);
void visit_confirm_post(struct req *r);   /* POST /agency/region/confirm?id= (region) */
void visits_unit_page(struct req *r);     /* GET /agency/unit/visits (hub, window) */

/* The symposiums section of a visit's page (symposium.c); v: the visit. */
struct dbrows;
void visit_symposiums_section(struct req *r, const struct dbrows *v);

/* The default of "what to prepare": the project documents the notice names. */
extern const char visit_prepare_default[];

#endif
