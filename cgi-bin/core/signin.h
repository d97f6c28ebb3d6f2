/*
 * signin.h - a login form's attempt, the same for the login page and the
 * re-login of a form whose session lapsed: checked, audited, recorded.
 */
#ifndef SME_SIGNIN_H
#define SME_SIGNIN_H

#include "auth.h"

struct req;

/* auth_login(), its audit row (audit_login) and, when it succeeds, the
 * browser's sign-in (pd_record_signin). The outcome. */
enum login_result signin(struct req *r, const char *username, const char *password);
/* A failed attempt's HTTP status and message for the form again
 * (401 wrong, 429 throttled with Retry-After set, 503 database). */
int signin_refusal(struct req *r, enum login_result res, const char **message);

#endif
