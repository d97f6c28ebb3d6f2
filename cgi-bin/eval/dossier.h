/*
 * dossier.h - a region's evaluation dossier (issue 19 item 6): side by
 * side, the region's indicators and the nation's, progress against the
 * quotas, the document reviews and ratings, approved targets against what
 * was done, the visits and symposiums with their findings, and the points
 * still open. One page, one PDF, one XLSX per region; nationally one XLSX
 * with a sheet each for visits, reviews, ratings and targets and a table
 * of all regions' ratings per content.
 */
#ifndef SME_DOSSIER_H
#define SME_DOSSIER_H

#include <stddef.h>

#include "indview.h"
#include "targets.h"

struct req;
struct dbrows;

#define DOSSIER_MAX_TARGETS 32

struct dossier {
	char               region[17], name[65];
	struct ind_pair   *ind;            /* every indicator but the texts */
	size_t             nind;
	struct dbrows     *strata;         /* STMT_DOSSIER_STRATA */
	struct dbrows     *forms;          /* STMT_DOSSIER_FORMS */
	struct dbrows     *reviews;        /* STMT_REVIEW_UNITS of the region */
	struct dbrows     *visits;         /* STMT_VISITS_LIST of the region */
	struct dbrows     *syms;           /* STMT_DOSSIER_SYMPOSIUMS of the region */
	struct target_row  targets[DOSSIER_MAX_TARGETS];
	size_t             ntargets;
	char             **open;           /* the open points, in words */
	size_t             nopen;
};

/* 0, 1 when there is no such region, -1 on a database error. */
int  dossier_load(struct req *r, const char *region, struct dossier *d);
void dossier_free(struct dossier *d);
/* The label of a stratum and its quota from the configuration. */
const char *dossier_stratum(const struct req *r, const char *stratum, int *quota);

void dossier_page(struct req *r);         /* GET /agency/dossier?region= */
void dossier_pdf(struct req *r);          /* GET /agency/dossier.pdf?region= */
void dossier_xlsx(struct req *r);         /* GET /agency/dossier.xlsx?region= */
void national_xlsx(struct req *r);        /* GET /agency/national.xlsx */

#endif
