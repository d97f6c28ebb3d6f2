/*
 * adminparam.h - the filters of the ministry's pages (form, region, status),
 * read the same way by smesurvey-adminweb and smesurvey-export.
 */
#ifndef SME_ADMINPARAM_H
#define SME_ADMINPARAM_H

struct req;
struct form;

/* A region code as stored (letters and digits, at most 16), NULL when
 * absent, empty or malformed. */
const char *param_region(const struct req *r);
/* "submitted" (the default when def_submitted), "draft" or NULL for both. */
const char *param_status(const struct req *r, int def_submitted);
/* The questionnaire named by "form", NULL when absent or unknown. */
const struct form *param_form(const struct req *r);

#endif
