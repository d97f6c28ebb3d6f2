/*
 * auth.h - roles, passwords, sessions and CSRF.
 *
 * Sessions: a 256-bit random token in the "sid" cookie; the database keeps
 * only SHA-256(token). Idle and absolute timeouts come from the config; the
 * last-seen time is written at most once a minute, so page views do not write.
 * CSRF: for a session, the token is SHA-256("csrf:" || token), so it needs no
 * storage; anonymous forms (login, register) use a double-submit cookie.
 */
#ifndef SME_AUTH_H
#define SME_AUTH_H

#include <stddef.h>

#include "role.h"

struct req;
struct db;

struct user {
	unsigned long long id;
	char      username[65];
	enum role role;
	char      region_code[17];     /* "" when none */
	char      org_name[256];
	char      form[17];
	unsigned char session_hash[32];  /* SHA-256 of this session's token */
};

const char *role_code(enum role r);          /* "admin" ... */
const char *role_label(enum role r);         /* Chinese label */
enum role   role_parse(const char *s);       /* ROLE_NONE when unknown */
const char *role_home(enum role r);          /* path of the role's home page */

/* Passwords. New hashes are argon2id (m=19 MiB, t=2, p=1). Verification
 * also accepts legacy crypt(3) hashes ($1$ $5$ $6$ $2b$ $y$) via crypt_r;
 * *rehash is set when the stored hash should be replaced. */
#define PW_HASH_MAX 128
int  password_hash(const char *pw, char out[PW_HASH_MAX]);
int  password_verify(const char *pw, const char *stored, int *rehash);
/* Outcomes of password rules and changes; pw_message() is the one table of
 * what users read about each. */
enum pw_result {
	PW_OK,
	PW_BAD_CHARS,       /* not UTF-8 */
	PW_TOO_SHORT,       /* fewer than 12 characters */
	PW_TOO_LONG,        /* more than 128 characters */
	PW_SAME,            /* the new password is the old one */
	PW_WRONG_OLD,       /* the old password does not match */
	PW_THROTTLED,       /* too many wrong old passwords */
	PW_BUSY,            /* database or hashing error */
	PW_RESULT_COUNT
};
const char *pw_message(enum pw_result res);   /* NULL for PW_OK */
enum pw_result password_check(const char *pw);  /* 12..128 characters of UTF-8 */
/* NULL when acceptable, else pw_message(password_check(pw)). */
const char *password_policy(const char *pw);

/* Reads the session cookie; fills r->user and r->csrf. Returns 0 (also
 * when anonymous), -1 on database error. */
int  auth_load_session(struct req *r);
/* For anonymous pages with forms: makes sure r->csrf is set from (or into)
 * the pre-session cookie. */
void auth_anon_csrf(struct req *r);
/* On POST: 0 when the "csrf" field matches r->csrf. */
int  csrf_check(const struct req *r);
/* May the request's user open a page for the roles in mask (page.h's
 * PUBLIC, ANY_USER or RB() bits)? Answers nothing: the caller renders the
 * login redirect or the 403 page. */
enum auth_status { AUTH_OK, AUTH_LOGIN, AUTH_FORBIDDEN };
enum auth_status auth_require(const struct req *r, unsigned mask);

/* Login outcome codes. */
enum login_result { LOGIN_OK, LOGIN_BAD, LOGIN_THROTTLED, LOGIN_ERROR };
enum login_result auth_login(struct req *r, const char *username, const char *password);
void auth_logout(struct req *r);
/* Starts a fresh session for uid (no password check: the caller has just
 * created or verified the account, e.g. registration). 0 or -1. */
int  auth_login_user(struct req *r, unsigned long long uid);
/* Change password of r->user after checking the old one. */
enum pw_result auth_change_password(struct req *r, const char *old_pw, const char *new_pw);

/* Audit trail (best effort, logged on failure). */
void audit(struct req *r, const char *action, const char *detail);

#endif
