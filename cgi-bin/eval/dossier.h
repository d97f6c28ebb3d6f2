/*
 * dossier.h - a region's evaluation dossier (issue 19 item 6): side by
 * side, the region's indicators and the nation's, progress against the
 * quotas, the document reviews and ratings, approved targets against what
 * was done, the visits and symposiums with their findings, and the points
 * still open. One page, one PDF, one XLSX per region; nationally one XLSX
 * with a sheet each for visits, reviews, ratings and targets and a table
 * of all regions' ratings per content.
 *
 * Issue 20: every indicator without the responses the agency excluded in
 * its integrity review (as the indicator pages show them) and with them,
 * how many were excluded, and the region's review: flagged, accepted,
 * excluded, asked of the region, with the rules and the agency's notes
 * (the dossier is the agency's; the region never sees it).
 */
#ifndef SME_DOSSIER_H
#define SME_DOSSIER_H

#include <stddef.h>

#include "indview.h"
#include "targets.h"

struct req;
struct dbrows;

#define DOSSIER_MAX_TARGETS 32
#define DOSSIER_MAX_FLAGGED 200    /* flagged responses listed (the queue has them all) */
#define DOSSIER_MSG_FIRST_FLAGGED "仅列出前 %d 份被标记的答卷，全部见本地区的可信度审核列表。"

/* The columns of STMT_DOSSIER_FLAG_COUNTS after the rule. */
enum { DF_FLAGGED = 1, DF_ACCEPTED, DF_EXCLUDED, DF_ASKED, DF_PENDING };

struct dossier {
	char               region[17], name[65];
	struct ind_pairs   ind;            /* every indicator but the texts, without and with the excluded */
	struct dbrows     *strata;         /* STMT_DOSSIER_STRATA */
	struct dbrows     *forms;          /* STMT_DOSSIER_FORMS */
	struct dbrows     *reviews;        /* STMT_REVIEW_UNITS of the region */
	struct dbrows     *visits;         /* STMT_VISITS_LIST of the region */
	struct dbrows     *syms;           /* STMT_DOSSIER_SYMPOSIUMS of the region */
	struct dbrows     *flagcounts;     /* STMT_DOSSIER_FLAG_COUNTS: per rule, then all rules */
	struct dbrows     *flagged;        /* STMT_FLAGREVIEW_QUEUE of the region, DOSSIER_MAX_FLAGGED + 1 */
	struct target_row  targets[DOSSIER_MAX_TARGETS];
	size_t             ntargets;
	char             **open;           /* the open points, in words */
	size_t             nopen;
};

/* 0, 1 when there is no such region, -1 on a database error. */
int  dossier_load(struct req *r, const char *region, struct dossier *d);
void dossier_free(struct dossier *d);
/* The integrity review's count of kind DF_* over all rules (0 when none
 * was flagged). */
long long dossier_flags(const struct dossier *d, int kind);
/* The sentences that say how many responses were excluded from the
 * indicators, and the review's counts (page, PDF and XLSX say the same). */
void dossier_excluded_note(const struct dossier *d, char *out, size_t n);
void dossier_flags_summary(const struct dossier *d, char *out, size_t n);
/* A flag's rules ("neardup,contact") as their labels joined by "、" onto out. */
struct buf;
void dossier_rules_text(const char *list, struct buf *out);
/* The label of a stratum and its quota from the configuration. */
const char *dossier_stratum(const struct req *r, const char *stratum, int *quota);

void dossier_page(struct req *r);         /* GET /agency/dossier?region= */
void dossier_pdf(struct req *r);          /* GET /agency/dossier.pdf?region= */
void dossier_xlsx(struct req *r);         /* GET /agency/dossier.xlsx?region= */
void national_xlsx(struct req *r);        /* GET /agency/national.xlsx */

#endif
