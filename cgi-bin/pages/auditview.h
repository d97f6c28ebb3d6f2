/*
 * auditview.h - the audit log in the users' language (issue 23 item 9):
 * each action's Chinese name, and a detail line "key=value ..." written out
 * as "名称：值；..." with codes (forms, regions "all", kinds, strata,
 * statuses, outcomes, formats) named. The log keeps the codes; only the
 * page translates.
 */
#ifndef SME_AUDITVIEW_H
#define SME_AUDITVIEW_H

#include <stddef.h>

struct req;

/* The Chinese name of an action, or NULL for an unknown code. */
const char *audit_action_label(const char *code);
/* The known actions in display order (for the filter): code i, or NULL
 * past the end; its name through audit_action_label(). */
const char *audit_action_at(size_t i);
/* Names a value of a key the caller knows about (NULL: not one of its). */
typedef const char *(*audit_namer)(const char *key, const char *value);
/* The detail, translated and escaped; extra names what this layer cannot
 * (the follow-up outcomes of the sample layer), or is NULL. */
void h_audit_detail(struct req *r, const char *detail, audit_namer extra);

#endif
