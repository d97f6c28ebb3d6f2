/*
 * auth.c - roles, password hashing, sessions, CSRF and login throttling.
 */
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "symcode.h"
#include "util.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#define SID_COOKIE   "sid"
#define TOKEN_BYTES  32

/* Argon2id parameters: OWASP ASVS V2.4 minimum (19 MiB, t=2, p=1). */
#define PW_OPSLIMIT  2
#define PW_MEMLIMIT  (19u * 1024 * 1024)

/* Failed logins (issue 9). Blocking counts one account's failures from one
 * client (r->client_key: the address, or its /64), so strangers elsewhere
 * can never lock the account; a client failing for many accounts is
 * blocked too. Across all clients an account's failures only slow the
 * answer to a wrong password down (login_delay_ms). */
#define MAX_FAIL_USER_CLIENT 10    /* one account, one client, 15 minutes */
#define MAX_FAIL_PER_IP      300   /* one client, any accounts, an hour */
#define SLOW_AFTER           20    /* one account, all clients, 15 minutes */
#define SLOW_STEP_MS         10

/* home NULL: a respondent, whose home is the questionnaire named like its
 * role (role_home()). */
static const struct {
	const char *code, *label, *home;
} roles[ROLE_COUNT] = {
	[ROLE_NONE]     = { "", "访客", "/" },
	[ROLE_ADMIN]    = { "admin", "管理员", "/admin" },
	[ROLE_VIEWER]   = { "viewer", "只读管理员", "/admin" },
	[ROLE_REGION]   = { "region", "地区项目责任主体", "/region" },
	[ROLE_HUB]      = { "hub", "地区枢纽平台", NULL },
	[ROLE_WINDOW]   = { "window", "窗口平台", NULL },
	[ROLE_RESOURCE] = { "resource", "服务资源单位", NULL },
	[ROLE_SME]      = { "sme", "中小企业", NULL },
	[ROLE_AGENCY]   = { "agency", "评估机构", "/agency" },
};

const char *role_code(enum role r)  { return r < ROLE_COUNT ? roles[r].code : ""; }
const char *role_label(enum role r) { return r < ROLE_COUNT ? roles[r].label : ""; }

const char *role_home(enum role r)
{
	static char form_home[ROLE_COUNT][32];
	if (r >= ROLE_COUNT)
		return "/";
	if (roles[r].home)
		return roles[r].home;
	if (form_home[r][0] == '\0')
		snprintf(form_home[r], sizeof form_home[r], "/form/%s", roles[r].code);
	return form_home[r];
}

enum role role_parse(const char *s)
{
	for (int i = ROLE_ADMIN; s && i < ROLE_COUNT; i++)
		if (strcmp(s, roles[i].code) == 0)
			return (enum role)i;
	return ROLE_NONE;
}

/* ---- passwords ---- */

int password_hash(const char *pw, char out[PW_HASH_MAX])
{
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPSLIMIT, PW_MEMLIMIT,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0) {
		log_err("argon2id hashing failed (out of memory?)");
		return -1;
	}
	return 0;
}

static int is_legacy_crypt(const char *h)
{
	static const char *prefixes[] = { "$1$", "$5$", "$6$", "$2a$", "$2b$", "$2y$", "$y$", "$gy$", "$7$" };
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(h, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

int password_verify(const char *pw, const char *stored, int *rehash)
{
	*rehash = 0;
	if (strncmp(stored, "$argon2", 7) == 0) {
		if (crypto_pwhash_str_verify(stored, pw, strlen(pw)) != 0)
			return 0;
		*rehash = crypto_pwhash_str_needs_rehash(stored, PW_OPSLIMIT, PW_MEMLIMIT) != 0 ||
		          strncmp(stored, "$argon2id$", 10) != 0;
		return 1;
	}
	if (!is_legacy_crypt(stored))
		return 0;
	/* crypt_data is ~32 KiB: keep it off the stack of a FastCGI worker. */
	struct crypt_data *cd = xcalloc(1, sizeof *cd);
	const char *h = crypt_r(pw, stored, cd);
	int ok = h != NULL && h[0] != '*' && strlen(h) == strlen(stored) &&
	         ct_equal(h, stored, strlen(stored));
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	*rehash = ok;
	return ok;
}

int password_generate(char out[PW_GENERATED_MAX])
{
	char c[CODE_LEN + 1];
	if (code_generate(c) < 0)
		return -1;
	code_group(c, out);
	explicit_bzero(c, sizeof c);
	return 0;
}

int password_verify_typed(const char *typed, const char *stored, int *rehash)
{
	if (password_verify(typed, stored, rehash))
		return 1;
	/* Generated passwords are stored as XXXX-XXXX-XXXX-XXXX; "abcd efgh..."
	 * or without dashes is the same password. Only input of exactly that
	 * alphabet and length gets the second, forgiving try. */
	char n[CODE_LEN + 1], g[CODE_GROUPED + 1];
	int ok = 0;
	if (code_normalise(typed, n) == 0) {
		code_group(n, g);
		if (strcmp(g, typed) != 0)
			ok = password_verify(g, stored, rehash);
		explicit_bzero(g, sizeof g);
	}
	explicit_bzero(n, sizeof n);
	return ok;
}

static const char *const pw_messages[PW_RESULT_COUNT] = {
	[PW_OK]        = NULL,
	[PW_BAD_CHARS] = "密码含有无效字符",
	[PW_TOO_SHORT] = "密码至少需要 12 个字符",
	[PW_TOO_LONG]  = "密码不能超过 128 个字符",
	[PW_SAME]      = "新密码不能与原密码相同",
	[PW_WRONG_OLD] = "原密码不正确",
	[PW_THROTTLED] = "原密码错误次数过多，请 15 分钟后再试",
	[PW_BUSY]      = "系统繁忙，请稍后再试",
};

const char *pw_message(enum pw_result res)
{
	return (unsigned)res < PW_RESULT_COUNT ? pw_messages[res] : pw_messages[PW_BUSY];
}

enum pw_result password_check(const char *pw)
{
	size_t n = strlen(pw);
	if (!utf8_valid(pw, n))
		return PW_BAD_CHARS;
	size_t chars = utf8_len(pw);
	if (chars < 12)
		return PW_TOO_SHORT;
	if (chars > 128)
		return PW_TOO_LONG;
	return PW_OK;
}

const char *password_policy(const char *pw)
{
	return pw_message(password_check(pw));
}

/* ---- sessions ---- */

static void csrf_from_token(const unsigned char token[TOKEN_BYTES], char out[65])
{
	unsigned char in[5 + TOKEN_BYTES], h[32];
	memcpy(in, "csrf:", 5);
	memcpy(in + 5, token, TOKEN_BYTES);
	sha256(in, sizeof in, h);
	hex_encode(h, 32, out);
}

/* Runs *q (STMT_SESSION_GET, or a page's statement that begins with the
 * same columns) for the page's arguments extra and the token hash. A
 * page's statement that fails is logged and the session checked alone
 * (*q = STMT_SESSION_GET): the page then asks for its data itself. */
static int session_query(struct req *r, enum stmt *q, const unsigned char hash[32],
                         const struct dbarg *extra, size_t nextra, struct dbrows **rows)
{
	struct dbarg args[AUTH_PAGE_ARGS + 1];
	size_t n = nextra < AUTH_PAGE_ARGS ? nextra : AUTH_PAGE_ARGS;
	/* The page's arguments first, the hash last (stmts.c, "Pages in one
	 * round trip"). */
	for (size_t i = 0; i < n; i++)
		args[i] = extra[i];
	args[n] = A_BLOB(hash, 32);
	if (db_query(r->db, *q, args, n + 1, rows) == DB_OK)
		return 0;
	if (*q == STMT_SESSION_GET)
		return -1;
	log_warn("page statement %d failed: the session is checked alone", (int)*q);
	*q = STMT_SESSION_GET;
	return db_query(r->db, *q, DB_ARGS(A_BLOB(hash, 32)), rows) < 0 ? -1 : 0;
}

/* The user of a session row (the STMT_SESSION_GET columns). */
static struct user *session_user(const struct dbrows *rows, const unsigned char hash[32])
{
	struct user *u = xcalloc(1, sizeof *u);
	u->id = (unsigned long long)dbrows_int(rows, 0, 0);
	snprintf(u->username, sizeof u->username, "%s", dbrows_get(rows, 0, 1));
	u->role = role_parse(dbrows_get(rows, 0, 2));
	snprintf(u->region_code, sizeof u->region_code, "%s", dbrows_get(rows, 0, 3));
	snprintf(u->org_name, sizeof u->org_name, "%s", dbrows_get(rows, 0, 4));
	snprintf(u->form, sizeof u->form, "%s", dbrows_get(rows, 0, 5));
	u->must_change_pw = dbrows_int(rows, 0, 9) != 0;
	memcpy(u->session_hash, hash, 32);
	return u;
}

/* Looks the session up by its token hash and fills r->user and r->csrf;
 * what a page's statement q carried besides is kept for the page
 * (db_carry) when the user's role may run q. Expired or unknown sessions
 * leave the request anonymous. */
static int session_load(struct req *r, const unsigned char token[TOKEN_BYTES],
                        const unsigned char hash[32], enum stmt q,
                        const struct dbarg *extra, size_t nextra)
{
	struct dbrows *rows;
	if (session_query(r, &q, hash, extra, nextra, &rows) < 0)
		return -1;
	if (rows->nrows == 0) {
		dbrows_free(rows);
		resp_cookie(r, SID_COOKIE, "", 0);   /* stale cookie: drop it */
		return 0;
	}
	long long age = dbrows_int(rows, 0, 7), idle = dbrows_int(rows, 0, 8);
	int disabled = dbrows_int(rows, 0, 6) != 0;
	if (disabled || age > r->conf->session_abs_min * 60LL || idle > r->conf->session_idle_min * 60LL) {
		dbrows_free(rows);
		db_exec(r->db, STMT_SESSION_DELETE,
		        DB_ARGS(A_BLOB(hash, 32)), NULL, NULL);
		resp_cookie(r, SID_COOKIE, "", 0);
		return 0;
	}
	struct user *u = session_user(rows, hash);
	r->user = u;
	csrf_from_token(token, r->csrf);
	/* From here on, the database runs only what this role may run. */
	db_set_role(r->db, u->role);
	if (q != STMT_SESSION_GET && (stmts[q].roles & RB(u->role)))
		db_carry(r->db, q, rows, STMT_SESSION_NCOLS);
	dbrows_free(rows);

	/* Page views do not write: refresh last_seen at most once a minute. */
	if (idle >= 60)
		db_exec(r->db, STMT_SESSION_TOUCH,
		        DB_ARGS(A_BLOB(hash, 32)), NULL, NULL);
	return 0;
}

int auth_load_session(struct req *r, enum stmt q, const struct dbarg *extra, size_t nextra)
{
	const char *sid = req_cookie(r, SID_COOKIE);
	unsigned char token[TOKEN_BYTES], hash[32];
	r->user = NULL;
	r->csrf[0] = '\0';
	if (sid == NULL || strlen(sid) != 2 * TOKEN_BYTES || hex_decode(sid, token, TOKEN_BYTES) < 0)
		return 0;
	sha256(token, TOKEN_BYTES, hash);
	return session_load(r, token, hash, q, extra, nextra);
}

/* Anonymous forms (login, registration, the re-login page) carry a token
 * bound by an HMAC under a server key to a pre-session id (a random value
 * in a short-lived cookie) and to the time it was issued (issue 18). A
 * value planted in that cookie from elsewhere (a sibling subdomain, plain
 * HTTP) no longer pairs with a token of the planter's making: the token
 * must come from this server and expires. What keeps a planted pre-session
 * out altogether: the __Host- cookie over HTTPS and the browser's
 * Sec-Fetch-Site (anon_token_check). */
#define PRESESSION_TTL 7200     /* seconds a pre-session and its tokens live */

static const char *anon_cookie_name(const struct req *r)
{
	/* __Host-: a browser takes it only over HTTPS, from this very host
	 * (no Domain) and for Path=/, so no sibling subdomain can set it. */
	return (r->conf && r->conf->secure_cookies) || strcmp(r->https, "on") == 0
	       ? "__Host-pcsrf" : "pcsrf";
}

/* The HMAC key: the configuration's secrets, hashed under a label of its
 * own (so the invitation codes' use of code_secret is a different key). */
static void anon_key(const struct conf *c, unsigned char key[32])
{
	static const char label[] = "smesurvey-anon-csrf-key/1";
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)label, sizeof label);
	crypto_hash_sha256_update(&st, (const unsigned char *)c->code_secret, strlen(c->code_secret) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)c->db_password, strlen(c->db_password));
	crypto_hash_sha256_final(&st, key);
}

/* "<issued>.<hex HMAC-SHA256(key, presession ":" issued)>" into out. */
static void anon_token(const struct req *r, const char *presession, long long issued, char out[CSRF_MAX])
{
	unsigned char key[32], mac[crypto_auth_hmacsha256_BYTES];
	char msg[96];
	int n = snprintf(msg, sizeof msg, "%s:%lld", presession, issued);
	anon_key(r->conf, key);
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (unsigned long long)n, key);
	sodium_memzero(key, sizeof key);
	int k = snprintf(out, CSRF_MAX, "%lld.", issued);
	hex_encode(mac, sizeof mac, out + k);
}

/* The pre-session id of the request's cookie (64 hex digits), or NULL. */
static const char *anon_presession(const struct req *r)
{
	const char *c = req_cookie(r, anon_cookie_name(r));
	unsigned char raw[TOKEN_BYTES];
	if (c == NULL || strlen(c) != 2 * TOKEN_BYTES || hex_decode(c, raw, TOKEN_BYTES) < 0)
		return NULL;
	return c;
}

void auth_anon_csrf(struct req *r)
{
	char fresh[2 * TOKEN_BYTES + 1];
	const char *pre = anon_presession(r);
	if (r->csrf[0])
		return;
	if (pre == NULL) {
		/* A cookie, not a database row: anonymous visitors cost no writes. */
		unsigned char raw[TOKEN_BYTES];
		if (random_bytes(raw, sizeof raw) < 0)
			return;
		hex_encode(raw, sizeof raw, fresh);
		pre = fresh;
	}
	/* Set again with each form: it lives PRESESSION_TTL from the last one. */
	resp_cookie(r, anon_cookie_name(r), pre, PRESESSION_TTL);
	anon_token(r, pre, (long long)time(NULL), r->csrf);
}

/* 0 when t is a token this server issued for the request's pre-session
 * less than PRESESSION_TTL ago, and the browser (when it says) posts from
 * this very origin: a sibling subdomain is "same-site", not "same-origin". */
static int anon_token_check(const struct req *r, const char *t)
{
	const char *pre = anon_presession(r), *dot = t ? strchr(t, '.') : NULL;
	char want[CSRF_MAX], *end;
	if (*r->fetch_site && strcmp(r->fetch_site, "same-origin") != 0)
		return -1;
	if (pre == NULL || dot == NULL || t[0] < '1' || t[0] > '9')
		return -1;
	long long issued = strtoll(t, &end, 10), now = (long long)time(NULL);
	if (end != dot || issued > now + 60 || now - issued > PRESESSION_TTL)
		return -1;
	anon_token(r, pre, issued, want);
	size_t n = strlen(want);
	return strlen(t) == n && ct_equal(t, want, n) ? 0 : -1;
}

int csrf_check_lapsed(const struct req *r)
{
	const char *sid = req_cookie(r, SID_COOKIE), *t = r->csrf_sent;
	unsigned char token[TOKEN_BYTES];
	char want[65];
	if (sid == NULL || t == NULL || strlen(sid) != 2 * TOKEN_BYTES ||
	    hex_decode(sid, token, TOKEN_BYTES) < 0)
		return -1;
	csrf_from_token(token, want);
	explicit_bzero(token, sizeof token);
	return strlen(t) == 64 && ct_equal(t, want, 64) ? 0 : -1;
}

int csrf_check(const struct req *r)
{
	const char *t = r->csrf_sent;
	if (r->user == NULL)
		return anon_token_check(r, t);
	size_t n = strlen(r->csrf);
	if (t == NULL || n == 0 || strlen(t) != n || !ct_equal(t, r->csrf, n))
		return -1;
	return 0;
}

enum auth_status auth_require(const struct req *r, unsigned mask)
{
	if (mask == 0)
		return AUTH_OK;          /* a public page */
	if (r->user == NULL)
		return AUTH_LOGIN;
	return mask & RB(r->user->role) ? AUTH_OK : AUTH_FORBIDDEN;
}

unsigned login_delay_ms(long long account_failures, unsigned max_ms)
{
	if (account_failures <= SLOW_AFTER)
		return 0;
	long long d = (account_failures - SLOW_AFTER) * SLOW_STEP_MS;
	return d > (long long)max_ms ? max_ms : (unsigned)d;
}

/* A wrong password is answered late when the account is under attack from
 * anywhere: the attacker waits, the account's owner is never refused. */
static void slow_down_failure(struct req *r, const char *username)
{
	char *n = NULL;
	if (db_query_str(r->db, STMT_LOGIN_FAILURES_USER, DB_ARGS(A_STR(username)), &n) < 0)
		return;
	unsigned ms = login_delay_ms(n ? atoll(n) : 0, r->conf->relax_throttles ? 0
	                             : (unsigned)r->conf->login_slowdown_max_ms);
	free(n);
	if (ms) {
		struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
}

static int login_throttled(struct req *r, const char *username)
{
	char *n = NULL;
	int over = 0;
	if (r->conf->relax_throttles)
		return 0;
	if (db_query_str(r->db, STMT_LOGIN_FAILURES_USER_CLIENT,
	                 DB_ARGS(A_STR(username), A_STR(r->client_key)), &n) < 0)
		return -1;
	over = n && atoll(n) >= MAX_FAIL_USER_CLIENT;
	free(n);
	if (over)
		return 1;
	if (db_query_str(r->db, STMT_LOGIN_FAILURES_IP,
	                 DB_ARGS(A_STR(r->client_key)), &n) < 0)
		return -1;
	over = n && atoll(n) >= MAX_FAIL_PER_IP;
	free(n);
	return over;
}

static void record_failure(struct req *r, const char *username)
{
	db_exec(r->db, STMT_LOGIN_FAILURE_INSERT,
	        DB_ARGS(A_STR(username), A_STR(r->client_key)), NULL, NULL);
	slow_down_failure(r, username);
}

/* Verifying against a fixed hash when the user does not exist keeps the
 * response time of unknown and known usernames alike. */
static void burn_verify_time(const char *pw)
{
	static char dummy[PW_HASH_MAX];
	int rehash;
	if (dummy[0] == '\0' && password_hash("smesurvey-dummy-password", dummy) < 0)
		return;
	password_verify(pw, dummy, &rehash);
}

static int session_create(struct req *r, unsigned long long uid)
{
	unsigned char token[TOKEN_BYTES], hash[32];
	char hex[2 * TOKEN_BYTES + 1];
	if (random_bytes(token, sizeof token) < 0)
		return -1;
	sha256(token, sizeof token, hash);
	if (db_exec(r->db, STMT_SESSION_INSERT,
	            DB_ARGS(A_BLOB(hash, sizeof hash), A_INT(uid), A_STR(r->remote_addr)),
	            NULL, NULL) < 0)
		return -1;
	hex_encode(token, sizeof token, hex);
	resp_cookie(r, SID_COOKIE, hex, -1);
	return session_load(r, token, hash, STMT_SESSION_GET, NULL, 0);
}

enum login_result auth_login(struct req *r, const char *username, const char *password)
{
	if (strlen(username) > 64 || strlen(password) > PASSWORD_MAX)
		return LOGIN_BAD;
	struct dbrows *rows;
	if (db_query(r->db, STMT_USER_FOR_LOGIN,
	             DB_ARGS(A_STR(username)), &rows) < 0)
		return LOGIN_ERROR;
	/* Failures are counted under the account's stored name, so spellings
	 * that find the same account ("Admin", "ADMIN", trailing spaces under
	 * the case-insensitive collation) share one budget whatever the
	 * collation of login_failures. */
	char key[65];
	snprintf(key, sizeof key, "%s",
	         rows->nrows == 1 && dbrows_get(rows, 0, 3) ? dbrows_get(rows, 0, 3) : username);
	int t = login_throttled(r, key);
	if (t != 0) {
		dbrows_free(rows);
		if (t < 0)
			return LOGIN_ERROR;
		log_warn("login throttled for user '%s' from %s", key, r->remote_addr);
		return LOGIN_THROTTLED;
	}
	int rehash = 0, ok = 0;
	unsigned long long uid = 0;
	if (rows->nrows == 1 && dbrows_int(rows, 0, 2) == 0) {
		uid = (unsigned long long)dbrows_int(rows, 0, 0);
		ok = password_verify_typed(password, dbrows_get(rows, 0, 1), &rehash);
	} else {
		burn_verify_time(password);
	}
	dbrows_free(rows);
	if (!ok) {
		record_failure(r, key);
		return LOGIN_BAD;
	}
	if (rehash) {
		/* Legacy or weaker hash: upgrade now that we know the password. */
		char h[PW_HASH_MAX];
		if (password_hash(password, h) == 0)
			db_exec(r->db, STMT_USER_REHASH,
			        DB_ARGS(A_STR(h), A_INT(uid)), NULL, NULL);
	}
	/* A fresh token at every login defeats session fixation; drop the old one. */
	auth_logout(r);
	if (session_create(r, uid) < 0)
		return LOGIN_ERROR;
	db_exec(r->db, STMT_USER_LOGGED_IN,
	        DB_ARGS(A_INT(uid)), NULL, NULL);
	db_exec(r->db, STMT_SESSIONS_DELETE_STALE,
	        DB_ARGS(A_INT(uid), A_INT(r->conf->session_idle_min), A_INT(r->conf->session_abs_min)),
	        NULL, NULL);
	return LOGIN_OK;
}

int auth_login_user(struct req *r, unsigned long long uid)
{
	auth_logout(r);
	if (session_create(r, uid) < 0)
		return -1;
	db_exec(r->db, STMT_USER_LOGGED_IN,
	        DB_ARGS(A_INT(uid)), NULL, NULL);
	return 0;
}

void auth_logout(struct req *r)
{
	const char *sid = req_cookie(r, SID_COOKIE);
	unsigned char token[TOKEN_BYTES], hash[32];
	if (sid && strlen(sid) == 2 * TOKEN_BYTES && hex_decode(sid, token, TOKEN_BYTES) == 0) {
		sha256(token, TOKEN_BYTES, hash);
		db_exec(r->db, STMT_SESSION_DELETE,
		        DB_ARGS(A_BLOB(hash, sizeof hash)), NULL, NULL);
	}
	resp_cookie(r, SID_COOKIE, "", 0);
	free(r->user);
	r->user = NULL;
	r->csrf[0] = '\0';
	db_set_role(r->db, ROLE_NONE);
}

enum pw_result auth_change_password(struct req *r, const char *old_pw, const char *new_pw)
{
	char *stored = NULL;
	int rehash;
	/* Wrong old passwords spend the account's login-failure budget, so a
	 * stolen session cannot be used to guess the password at full speed. */
	int t = login_throttled(r, r->user->username);
	if (t < 0)
		return PW_BUSY;
	if (t > 0)
		return PW_THROTTLED;
	if (db_query_str(r->db, STMT_USER_PW_HASH,
	                 DB_ARGS(A_INT(r->user->id)), &stored) < 0 || stored == NULL) {
		free(stored);
		return PW_BUSY;
	}
	int ok = password_verify_typed(old_pw, stored, &rehash);
	free(stored);
	if (!ok) {
		record_failure(r, r->user->username);
		return PW_WRONG_OLD;
	}
	enum pw_result why = password_check(new_pw);
	if (why != PW_OK)
		return why;
	if (strcmp(old_pw, new_pw) == 0)
		return PW_SAME;
	char h[PW_HASH_MAX];
	if (password_hash(new_pw, h) < 0)
		return PW_BUSY;
	if (db_exec(r->db, STMT_USER_CHANGE_PW,
	            DB_ARGS(A_STR(h), A_INT(r->user->id)), NULL, NULL) < 0)
		return PW_BUSY;
	/* Other sessions of this account may belong to whoever knew the old password. */
	db_exec(r->db, STMT_SESSIONS_DELETE_OTHERS,
	        DB_ARGS(A_INT(r->user->id), A_BLOB(r->user->session_hash, 32)), NULL, NULL);
	audit(r, "password-change", "");
	return PW_OK;
}

int password_reset_allowed(const struct user *by, enum role role, const char *region)
{
	if (by == NULL)
		return 0;
	switch (by->role) {
	case ROLE_ADMIN:
		return 1;
	case ROLE_REGION:
		return (role == ROLE_HUB || role == ROLE_WINDOW || role == ROLE_RESOURCE ||
		        role == ROLE_SME) && region && by->region_code[0] &&
		       strcmp(region, by->region_code) == 0;
	default:
		return 0;
	}
}

enum pw_result password_set_onetime_tx(struct db *db, unsigned long long actor_id, const char *ip,
                                       unsigned long long uid, const char *action,
                                       const char *detail, const char *pw,
                                       char out[PW_GENERATED_MAX])
{
	char gen[PW_GENERATED_MAX], h[PW_HASH_MAX];
	enum pw_result res = PW_BUSY;
	if (out)
		out[0] = '\0';
	if (pw == NULL) {
		if (password_generate(gen) < 0)
			return PW_BUSY;
		pw = gen;
	} else if ((res = password_check(pw)) != PW_OK) {
		return res;
	}
	res = PW_BUSY;
	if (password_hash(pw, h) < 0)
		goto done;
	if (db_exec(db, STMT_USER_SET_ONETIME_PW, DB_ARGS(A_STR(h), A_INT(uid)), NULL, NULL) < 0 ||
	    db_exec(db, STMT_SESSIONS_DELETE_USER, DB_ARGS(A_INT(uid)), NULL, NULL) < 0)
		goto done;
	int rc = actor_id ?
		db_exec(db, STMT_AUDIT_INSERT, DB_ARGS(A_INT(actor_id), A_STR(ip ? ip : ""),
		        A_STR(action), A_STR(detail)), NULL, NULL) :
		db_exec(db, STMT_AUDIT_INSERT_CLI, DB_ARGS(A_STR(action), A_STR(detail)), NULL, NULL);
	if (rc < 0)
		goto done;
	if (out && pw == gen)
		memcpy(out, gen, sizeof gen);
	res = PW_OK;
done:
	explicit_bzero(gen, sizeof gen);
	explicit_bzero(h, sizeof h);
	return res;
}

struct onetime_tx {
	unsigned long long actor_id, uid;
	const char *ip, *action, *detail, *pw;
	char *out;
	enum pw_result res;
};

/* A refused password rolls back without error; a database failure is an
 * error (retried by db_transaction when it was a lock conflict). */
static int onetime_body(struct db *db, void *ctx, int attempt)
{
	struct onetime_tx *x = ctx;
	(void)attempt;
	x->res = password_set_onetime_tx(db, x->actor_id, x->ip, x->uid, x->action, x->detail, x->pw, x->out);
	return x->res == PW_OK ? 0 : x->res == PW_BUSY ? -1 : 1;
}

enum pw_result password_set_onetime(struct db *db, unsigned long long actor_id, const char *ip,
                                    unsigned long long uid, const char *action,
                                    const char *detail, const char *pw,
                                    char out[PW_GENERATED_MAX])
{
	struct onetime_tx x = { actor_id, uid, ip, action, detail, pw, out, PW_BUSY };
	int rc = db_transaction(db, onetime_body, &x);
	if (rc != 0 && out)
		explicit_bzero(out, PW_GENERATED_MAX);
	return rc == 0 ? PW_OK : rc > 0 ? x.res : PW_BUSY;
}

void audit(struct req *r, const char *action, const char *detail)
{
	if (audit_tx(r->db, r, action, detail) < 0)
		log_err("audit failed: %s %s", action, detail);
}

int audit_tx(struct db *db, void *req, const char *action, const char *detail)
{
	const struct req *r = req;
	return db_exec(db, STMT_AUDIT_INSERT,
	               DB_ARGS(r->user ? A_INT(r->user->id) : A_NULL, A_STR(r->remote_addr),
	                       A_STR(action), A_STR(detail)), NULL, NULL) < 0 ? -1 : 0;
}

void audit_login(struct req *r, const char *username, enum login_result res)
{
	static const char *const action[] = {
		[LOGIN_OK] = "login", [LOGIN_BAD] = "login-failed", [LOGIN_THROTTLED] = "login-throttled",
	};
	struct buf d = { 0 };
	if (res == LOGIN_ERROR)
		return;
	buf_puts(&d, "username=");
	/* The name as typed (the request is valid UTF-8), at most 64 bytes cut
	 * at a character boundary, control characters replaced. */
	size_t n = utf8_prefix(username, 64);
	for (size_t i = 0; i < n; i++)
		buf_putc(&d, (unsigned char)username[i] < 0x20 || username[i] == 0x7f ? '?' : username[i]);
	audit(r, action[res], d.data);
	buf_free(&d);
}
