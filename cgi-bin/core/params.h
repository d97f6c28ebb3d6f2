/*
 * params.h - the request parameters several pages read, each declared once
 * here: its name, type and bounds (issue 17). A page's parameter list
 * (page.h) names them with its own slot in r->arg[], e.g. P_AFTER(KEY_AFTER);
 * where a missing or malformed value is refused, the page says with which
 * status and message, since that depends on what the page is about.
 */
#ifndef SME_PARAMS_H
#define SME_PARAMS_H

#include "auth.h"   /* PASSWORD_MAX */
#include "page.h"

#define REGION_CODE_MAX 16     /* regions.code is VARCHAR(16) */
#define FORM_NAME_MAX   16     /* a questionnaire's name (catalog.h) */
#define REASON_MAX      800    /* a reason typed for the audit log */

/* List filters: a malformed value is not applied. */
#define P_REGION(k)  { k, "region", PT_STR, 0, 0, REGION_CODE_MAX, NULL, 0, NULL, 0 }
#define P_FORM(k)    { k, "form", PT_STR, 0, 0, FORM_NAME_MAX, NULL, 0, NULL, 0 }
/* The keys of the seek pager (html.h): the rows after (older) or before
 * (newer) the one named. */
#define P_AFTER(k)   { k, "after", PT_ID, 0, 0, 0, NULL, 0, NULL, 0 }
#define P_BEFORE(k)  { k, "before", PT_ID, 0, 0, 0, NULL, 0, NULL, 0 }
/* A region code the page needs, or one under another name; flags may be
 * P_REQUIRED. */
#define P_REGION_CODE(k, name, flags, st, msg) \
	{ k, name, PT_STR, flags, 0, REGION_CODE_MAX, NULL, st, msg, 0 }

/* The second step of an irreversible action (confirm=1) and its reason. */
#define P_CONFIRM(k) { k, "confirm", PT_ENUM, 0, 0, 0, page_one, 0, NULL, 0 }
#define P_REASON(k)  { k, "reason", PT_STR, 0, 0, REASON_MAX, NULL, 0, NULL, 0 }
/* An uploaded file, bounded by the body's own limits. */
#define P_FILE(k)    { k, "file", PT_FILE, 0, 0, 0, NULL, 0, NULL, 0 }
/* A password as typed (login, registration, change, re-login). */
#define P_PASSWORD(k, name) { k, name, PT_STR, 0, 0, PASSWORD_MAX, NULL, 0, NULL, 0 }

/* The record a page is about (id=, unit=): a missing or malformed id
 * answers st with msg. */
#define P_ID_OF(k, name, st, msg) { k, name, PT_ID, P_REQUIRED, 0, 0, NULL, st, msg, 0 }
/* A notice after a redirect (saved=1, done=1): sent or not. */
#define P_FLAG(k, name) { k, name, PT_FLAG, 0, 0, 0, NULL, 0, NULL, 0 }
/* Free text of at most max bytes; a longer value counts as absent. */
#define P_TEXT(k, name, max) { k, name, PT_STR, 0, 0, max, NULL, 0, NULL, 0 }

#endif
