/*
 * adminparam.h - the filters of the ministry's pages (form, region, status),
 * read the same way by smesurvey-adminweb and smesurvey-export.
 */
#ifndef SME_ADMINPARAM_H
#define SME_ADMINPARAM_H

#include "http.h"    /* REQ_MAX_ARGS */
#include "params.h"  /* the shared rows; page.h */

struct form;

/* The filters' slots in r->arg[]: the last ones, so that they never meet
 * a program's own keys (page_table_check refuses a slot used twice). */
enum { AP_REGION = REQ_MAX_ARGS - 4, AP_STATUS, AP_FORM, AP_PAGE };

/* The filters' rows, for the parameter list of every page that reads
 * them (malformed values count as absent: a filter not applied). */
#define AP_FILTERS \
	P_REGION(AP_REGION), \
	P_TEXT(AP_STATUS, "status", 16), \
	P_FORM(AP_FORM), \
	{ AP_PAGE, "page", PT_INT, 0, 1, 999999, NULL, 0, NULL, 0 }

/* A region code as stored (letters and digits, at most 16), NULL when
 * absent, empty or malformed. */
const char *param_region(const struct req *r);
/* "submitted" (the default when def_submitted), "draft" or NULL for both. */
const char *param_status(const struct req *r, int def_submitted);
/* The questionnaire named by "form", NULL when absent or unknown. */
const struct form *param_form(const struct req *r);

#endif
