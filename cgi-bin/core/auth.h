/*
 * auth.h - roles, passwords, sessions and CSRF.
 *
 * Sessions: a 256-bit random token in the "sid" cookie; the database keeps
 * only SHA-256(token). Idle and absolute timeouts come from the config; the
 * last-seen time is written at most once a minute, so page views do not write.
 * CSRF: for a session, the token is SHA-256("csrf:" || token), so it needs no
 * storage; anonymous forms (login, register, re-login) carry a token bound
 * to a short-lived pre-session cookie and its issue time by an HMAC under a
 * server key (auth_anon_csrf).
 */
#ifndef SME_AUTH_H
#define SME_AUTH_H

#include <stddef.h>

#include "role.h"
#include "stmts.h"

/* The longest password taken (auth_login refuses a longer one; the
 * pages bound the field to it, params.h). */
#define PASSWORD_MAX 1024

struct req;
struct db;
struct dbarg;

struct user {
	unsigned long long id;
	char      username[65];
	enum role role;
	char      region_code[17];     /* "" when none */
	char      org_name[256];
	char      form[17];
	int       must_change_pw;      /* somebody else set the password: /password first */
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

/* Passwords the system generates (registration, one-time passwords) have
 * the shape of symcode.h: XXXX-XXXX-XXXX-XXXX of CODE_ALPHABET. They are
 * typed forgivingly: for a password that normalises to 16 symbols of that
 * alphabet, case, spaces and dashes do not matter. Other passwords are
 * compared exactly. */
#define PW_GENERATED_MAX 20               /* CODE_GROUPED + NUL */
int  password_generate(char out[PW_GENERATED_MAX]);
/* password_verify() of what was typed, then of its generated-shape
 * spelling when that differs. */
int  password_verify_typed(const char *typed, const char *stored, int *rehash);

/* One-time passwords: a password set for somebody else (a region's or the
 * ministry's reset, smesurvey-admin reset-password / create-admin). Sets
 * the password (pw, or a generated one when pw is NULL: written to out),
 * sets must_change_pw, ends every session of uid and writes the audit row
 * `action` with detail (actor_id 0: the command line, whose audit row has
 * no user). Inside an open transaction; PW_OK, a password_check() result
 * for a given pw, or PW_BUSY (the caller rolls back). */
enum pw_result password_set_onetime_tx(struct db *db, unsigned long long actor_id, const char *ip,
                                       unsigned long long uid, const char *action,
                                       const char *detail, const char *pw,
                                       char out[PW_GENERATED_MAX]);
/* The same in its own transaction. */
enum pw_result password_set_onetime(struct db *db, unsigned long long actor_id, const char *ip,
                                    unsigned long long uid, const char *action,
                                    const char *detail, const char *pw,
                                    char out[PW_GENERATED_MAX]);
/* May `by` reset the password of an account of role `role` in region
 * `region`? The ministry (admin) any account but its own; a region the
 * respondent accounts (hub, window, resource, sme) of its own region. */
int  password_reset_allowed(const struct user *by, enum role role, const char *region);

/* Reads the session cookie; fills r->user and r->csrf. Returns 0 (also
 * when anonymous), -1 on database error. q is STMT_SESSION_GET, or the
 * statement of the page about to be served (issue 21): it begins with the
 * same columns, takes extra[0..nextra) (at most AUTH_PAGE_ARGS) and then
 * the token hash, and carries the page's data (db_carry), kept only when
 * the user's role may run q. */
#define AUTH_PAGE_ARGS 8
int  auth_load_session(struct req *r, enum stmt q, const struct dbarg *extra, size_t nextra);
/* For anonymous pages with forms: makes sure r->csrf is set from (or into)
 * the pre-session cookie. */
void auth_anon_csrf(struct req *r);
/* On POST whose session has lapsed (idle or absolute timeout, so r->user
 * is NULL): 0 when the "csrf" field is the one the lapsed session's cookie
 * token still derives. It proves the post came from a page this site
 * rendered for that browser's session (the re-login of a form post). */
int  csrf_check_lapsed(const struct req *r);
/* On POST: 0 when the "csrf" field matches r->csrf (a session), or, for
 * an anonymous request, is a token auth_anon_csrf() issued for this
 * browser's pre-session within the last two hours, posted (as far as the
 * browser's Sec-Fetch-Site says) from this very origin. */
int  csrf_check(const struct req *r);
/* May the request's user open a page for the roles in mask (page.h's
 * PUBLIC, ANY_USER or RB() bits)? Answers nothing: the caller renders the
 * login redirect or the 403 page. */
enum auth_status { AUTH_OK, AUTH_LOGIN, AUTH_FORBIDDEN };
enum auth_status auth_require(const struct req *r, unsigned mask);

/* How long the answer to a wrong password waits when the account has had
 * account_failures failures (from all clients) in 15 minutes: nothing up
 * to 20, then 10 ms more per failure, at most max_ms
 * (conf login_slowdown_max_ms). */
unsigned login_delay_ms(long long account_failures, unsigned max_ms);

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
/* The same inside a transaction that must fail with it: req is the
 * struct req; 0, or -1 (the caller rolls back). The shape of a
 * struct sample_audit writer (sample/draw.h). */
int  audit_tx(struct db *db, void *req, const char *action, const char *detail);
/* Every login attempt leaves an audit row: who (as typed, so a failure for
 * an unknown name is traceable too), from where (the row's ip) and how it
 * ended (login, login-failed, login-throttled). LOGIN_ERROR writes nothing
 * (the database error is logged already). */
void audit_login(struct req *r, const char *username, enum login_result res);

#endif
