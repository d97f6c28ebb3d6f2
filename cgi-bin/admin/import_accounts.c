/*
 * admin/import_accounts.c - import-accounts: accounts with their old passwords
 * from a CSV file.
 */
#include "auth.h"
#include "catalog.h"
#include "conf.h"
#include "csv.h"
#include "aggr.h"
#include "form.h"
#include "indview.h"
#include "db.h"
#include "deadline.h"
#include "draw.h"
#include "frame.h"
#include "log.h"
#include "util.h"
#include "valid.h"

#include <crypt.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <ctype.h>
#include <pwd.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "admin.h"

/* ================================================================
 * import-accounts
 * ================================================================ */

enum col { C_USERNAME, C_PWHASH, C_INITPW, C_ROLE, C_REGION, C_ORG, C_FORM,
           C_CONTACT, C_PHONE, C_EMAIL, C_NCOLS };
static const char *const col_names[C_NCOLS] = {
	"username", "password_hash", "initial_password", "role", "region_code", "org_name", "form",
	"contact", "phone", "email",
};

/* Account files are small; these bounds are generous but keep a mistaken
 * file (a database dump, a spreadsheet of answers) from eating memory. */
#define IMPORT_MAX_ROWS     50000u
#define IMPORT_MAX_FIELDS   32u
#define IMPORT_MAX_FIELD    2048u

struct acct {
	unsigned long line;
	char       *username, *pw_hash, *init_pw, *region, *org, *form;
	char       *contact, *phone, *email;
	enum role   role;
	struct buf  why;          /* rejection reasons, "; "-separated; empty = accepted */
};

struct import {
	struct acct *rows;
	size_t       n, cap;
	size_t       nrejected;
};

static void reject(struct acct *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void reject(struct acct *a, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (a->why.len)
		buf_puts(&a->why, "; ");
	buf_puts(&a->why, msg);
}

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static void import_free(struct import *im)
{
	for (size_t i = 0; i < im->n; i++) {
		struct acct *a = &im->rows[i];
		free(a->username);
		free(a->pw_hash);
		wipe_free(a->init_pw);
		free(a->region);
		free(a->org);
		free(a->form);
		free(a->contact);
		free(a->phone);
		free(a->email);
		buf_free(&a->why);
	}
	free(im->rows);
	memset(im, 0, sizeof *im);
}

/* Copy of s without leading/trailing ASCII blanks (Excel users pad cells). */
static char *trimmed(const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

static void ascii_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Control characters (C0, DEL, C1) make text unprintable in reports and pages. */
int has_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 1;
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return 1;
	}
	return 0;
}

const char *check_username(const char *u)
{
	const unsigned char *p = (const unsigned char *)u;

	if (!*u)
		return "username is empty (用户名为空)";
	if (utf8_len(u) > 64)
		return "username longer than 64 characters (用户名过长)";
	for (; *p; p++) {
		if (*p <= 0x20 || *p == 0x7f)
			return "username contains spaces or control characters (用户名含空格或控制字符)";
		/* U+0080..U+009F, NO-BREAK SPACE, IDEOGRAPHIC SPACE, BOM */
		if ((p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0xA0) ||
		    (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) ||
		    (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF))
			return "username contains spaces or control characters (用户名含空格或控制字符)";
	}
	return NULL;
}

static int crypt_chars(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!(ch == '.' || ch == '/' || (ch >= '0' && ch <= '9') ||
		      (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')))
			return 0;
	}
	return 1;
}

/* "$5$[rounds=N$]salt$hash": salt 0..16 characters, hash of hashlen. */
static int sha_crypt_ok(const char *s, size_t hashlen)
{
	const char *salt = s + 3, *d;

	if (strncmp(salt, "rounds=", 7) == 0) {
		char *end;
		unsigned long r = strtoul(salt + 7, &end, 10);
		if (end == salt + 7 || *end != '$' || r < 1000 || r > 999999999)
			return 0;
		salt = end + 1;
	}
	d = strchr(salt, '$');
	return d && d - salt <= 16 && crypt_chars(salt, (size_t)(d - salt)) &&
	       strlen(d + 1) == hashlen && crypt_chars(d + 1, hashlen);
}

/*
 * A stored hash must be one password_verify() can check: the legacy crypt(3)
 * families it passes to crypt_r, or libsodium's argon2id. The checks are
 * structural (running crypt_r per row would cost up to a second each for
 * bcrypt/yescrypt); crypt_checksalt() then asks libxcrypt whether the
 * method is known and enabled here.
 */
static const char *check_pw_hash(const char *h)
{
	static const char bad[] = "password_hash is not a crypt(3) hash this system can verify "
	                          "($1$ $5$ $6$ $2a$ $2b$ $2y$ $y$ $argon2id$) (密码哈希格式无效)";
	size_t n = strlen(h);
	int ok = 0;

	if (n > 255)
		return bad;
	if (strncmp(h, "$argon2id$", 10) == 0) {
		char tmp[crypto_pwhash_argon2id_STRBYTES] = {0};
		if (n >= sizeof tmp)
			return bad;
		memcpy(tmp, h, n);
		/* needs_rehash parses the whole string: -1 means malformed. */
		return crypto_pwhash_argon2id_str_needs_rehash(tmp,
			crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
			crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) == -1 ? bad : NULL;
	}
	if (strncmp(h, "$1$", 3) == 0) {
		const char *d = strchr(h + 3, '$');
		ok = d && d - (h + 3) <= 8 && crypt_chars(h + 3, (size_t)(d - (h + 3))) &&
		     strlen(d + 1) == 22 && crypt_chars(d + 1, 22);
	} else if (strncmp(h, "$5$", 3) == 0) {
		ok = sha_crypt_ok(h, 43);
	} else if (strncmp(h, "$6$", 3) == 0) {
		ok = sha_crypt_ok(h, 86);
	} else if (strncmp(h, "$2a$", 4) == 0 || strncmp(h, "$2b$", 4) == 0 ||
	           strncmp(h, "$2y$", 4) == 0) {
		/* $2b$NN$ + 22 salt + 31 hash characters, cost 04..31 */
		ok = n == 60 && h[4] >= '0' && h[4] <= '3' && h[5] >= '0' && h[5] <= '9' &&
		     (h[4] - '0') * 10 + (h[5] - '0') >= 4 && (h[4] - '0') * 10 + (h[5] - '0') <= 31 &&
		     h[6] == '$' && crypt_chars(h + 7, 53);
	} else if (strncmp(h, "$y$", 3) == 0) {
		/* $y$params$salt$hash, hash 43 characters */
		const char *d1 = strchr(h + 3, '$');
		const char *d2 = d1 ? strchr(d1 + 1, '$') : NULL;
		ok = d1 && d2 && d1 > h + 3 && d2 > d1 + 1 &&
		     crypt_chars(h + 3, (size_t)(d1 - (h + 3))) &&
		     crypt_chars(d1 + 1, (size_t)(d2 - (d1 + 1))) &&
		     strlen(d2 + 1) == 43 && crypt_chars(d2 + 1, 43);
	}
	if (!ok || crypt_checksalt(h) == CRYPT_SALT_INVALID)
		return bad;
	return NULL;
}

/* The questionnaire an account of role r fills ("" for administrators). */
static const char *form_for_role(enum role r)
{
	const struct form_info *fi = catalog_for_role(r);
	return fi ? fi->name : "";
}

static int cmp_str_ci(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* Sort key for duplicate detection: username (case-insensitively, like the
 * uk_username collation), then line. */
static const struct acct *sort_rows;
static int cmp_acct_user(const void *a, const void *b)
{
	const struct acct *x = &sort_rows[*(const size_t *)a], *y = &sort_rows[*(const size_t *)b];
	int c = strcasecmp(x->username, y->username);
	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Reads, converts and parses the file into im. Returns 0 or EXIT_FAILED
 * after printing why. */
/* The header line: which field holds each column (colidx[k], -1 when
 * absent). 0, or -1 after saying on stderr what is wrong. */
static int header_columns(const char *path, const struct csv_row *row, int colidx[C_NCOLS])
{
	for (int k = 0; k < C_NCOLS; k++)
		colidx[k] = -1;
	for (size_t i = 0; i < row->nfields; i++) {
		char *name = trimmed(row->fields[i]);
		int k;

		for (k = 0; k < C_NCOLS; k++)
			if (strcasecmp(name, col_names[k]) == 0)
				break;
		if (k == C_NCOLS && !*name) {
			free(name);             /* Excel's trailing empty columns */
			continue;
		}
		if (k == C_NCOLS || colidx[k] >= 0) {
			fprintf(stderr, PROG ": %s: line %lu: %s column '%s' (expected: username, "
			        "password_hash, initial_password, role, region_code, org_name, form, contact, phone, email)\n",
			        path, row->line, k == C_NCOLS ? "unknown" : "duplicate", name);
			free(name);
			return -1;
		}
		colidx[k] = (int)i;
		free(name);
	}
	if (colidx[C_USERNAME] < 0 || colidx[C_ROLE] < 0 ||
	    (colidx[C_PWHASH] < 0 && colidx[C_INITPW] < 0)) {
		fprintf(stderr, PROG ": %s: the header needs the columns username, role and "
		        "password_hash and/or initial_password (标题行缺少必需的列)\n", path);
		return -1;
	}

	return 0;
}

/* One data row into im (rejected rows too, with their reason); an empty
 * row is skipped. */
static void add_row(struct import *im, const struct csv_row *row, const int colidx[C_NCOLS])
{
	const char *f[C_NCOLS];
	int empty = 1, extra = 0;
	struct acct *a;

	for (size_t i = 0; i < row->nfields; i++) {
		const char *s = row->fields[i];
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s) {
			empty = 0;
			int known = 0;
			for (int k = 0; k < C_NCOLS; k++)
				known |= colidx[k] == (int)i;
			if (!known)
				extra = 1;
		}
	}
	if (empty)
		return;                 /* ",,,," rows Excel leaves behind */
	for (int k = 0; k < C_NCOLS; k++)
		f[k] = colidx[k] >= 0 && (size_t)colidx[k] < row->nfields ?
		       row->fields[colidx[k]] : "";

	if (im->n == im->cap) {
		im->cap = im->cap ? im->cap * 2 : 64;
		im->rows = xrealloc(im->rows, im->cap * sizeof *im->rows);
	}
	a = &im->rows[im->n++];
	memset(a, 0, sizeof *a);
	a->line = row->line;
	a->username = trimmed(f[C_USERNAME]);
	a->pw_hash = trimmed(f[C_PWHASH]);
	/* Not trimmed: spaces may be part of a password. */
	a->init_pw = xstrdup(f[C_INITPW]);
	a->region = trimmed(f[C_REGION]);
	a->org = trimmed(f[C_ORG]);
	a->form = trimmed(f[C_FORM]);
	ascii_lower(a->form);
	a->contact = trimmed(f[C_CONTACT]);
	a->phone = trimmed(f[C_PHONE]);
	a->email = trimmed(f[C_EMAIL]);
	{
		char *r = trimmed(f[C_ROLE]);
		ascii_lower(r);
		a->role = role_parse(r);
		if (a->role == ROLE_NONE)
			reject(a, "unknown role '%.32s' (expected admin viewer agency region hub window "
			       "resource sme) (角色无效)", r);
		free(r);
	}
	if (extra)
		reject(a, "text in a column without a header (多余的列)");
}

static int import_parse(const char *path, struct import *im, const char **charset)
{
	char err[512], *raw = NULL, *text = NULL;
	size_t rawn, textn;
	int colidx[C_NCOLS], rc, ret = EXIT_FAILED;
	struct csv c;
	struct csv_row row = {0};
	const struct csv_limits lim = {
		.max_bytes = CSV_MAX_BYTES, .max_fields = IMPORT_MAX_FIELDS,
		.max_field_len = IMPORT_MAX_FIELD, .max_records = IMPORT_MAX_ROWS + 1,
	};

	if (file_read_bounded(path, CSV_MAX_BYTES, &raw, &rawn, err, sizeof err) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return EXIT_FAILED;
	}
	if (text_to_utf8(raw, rawn, &text, &textn, charset) < 0) {
		fprintf(stderr, PROG ": %s: %s (文件编码无法识别)\n", path, *charset);
		goto out;
	}

	csv_init(&c, text, textn, &lim);
	rc = csv_next(&c, &row);
	if (rc <= 0) {
		fprintf(stderr, PROG ": %s: %s\n", path,
		        rc < 0 ? c.err : "empty file: a header line is required (缺少标题行)");
		goto out;
	}
	if (header_columns(path, &row, colidx) < 0)
		goto out;
	while ((rc = csv_next(&c, &row)) > 0)
		add_row(im, &row, colidx);
	if (rc < 0) {
		fprintf(stderr, PROG ": %s: %s (CSV 格式错误)\n", path, c.err);
		goto out;
	}
	ret = 0;
out:
	csv_row_free(&row);
	/* The file may hold clear-text initial passwords. */
	if (raw) {
		explicit_bzero(raw, rawn);
		free(raw);
	}
	if (text) {
		explicit_bzero(text, textn);
		free(text);
	}
	return ret;
}

/* Checks that need no database. */
static void import_check_rows(struct import *im)
{
	for (size_t i = 0; i < im->n; i++) {
		struct acct *a = &im->rows[i];
		const char *why = check_username(a->username);
		const char *want;

		if (why)
			reject(a, "%s", why);
		if (!!*a->pw_hash == !!*a->init_pw) {
			reject(a, "exactly one of password_hash and initial_password must be given "
			       "(密码哈希与初始密码须二选一)");
		} else if (*a->pw_hash) {
			if ((why = check_pw_hash(a->pw_hash)) != NULL)
				reject(a, "%s", why);
		} else if ((why = password_policy(a->init_pw)) != NULL) {
			reject(a, "initial_password must have 12..128 characters: %s", why);
		}
		if (a->role == ROLE_NONE)
			continue;
		if (ROLE_NATIONAL(a->role)) {
			if (*a->region)
				reject(a, "role %s takes no region_code (管理员账号不属于地区)", role_code(a->role));
		} else if (!*a->region) {
			reject(a, "region_code is required for role %s (缺少地区代码)", role_code(a->role));
		}
		want = form_for_role(a->role);
		if (*a->form && strcmp(a->form, want) != 0)
			reject(a, "form '%.32s' does not match role %s (expected '%s') (问卷类型与角色不符)",
			       a->form, role_code(a->role), want);
		if (has_control(a->org) || utf8_len(a->org) > 255)
			reject(a, "org_name longer than 255 characters or contains control characters "
			       "(单位名称无效)");
		if (has_control(a->contact) || utf8_len(a->contact) > 64)
			reject(a, "contact longer than 64 characters or contains control characters "
			       "(联系人无效)");
		if (*a->phone && !phone_valid(a->phone))
			reject(a, "phone '%.40s' is not a telephone number (电话号码格式不对)", a->phone);
		if (*a->email && (!email_valid(a->email) || strlen(a->email) > 255))
			reject(a, "email '%.60s' is not an e-mail address (电子邮箱格式不对)", a->email);
		if (has_control(a->region) || strlen(a->region) > 16)
			reject(a, "invalid region_code (地区代码无效)");
	}

	/* Duplicates within the file: every line of a group is rejected. */
	{
		size_t *idx = xcalloc(im->n ? im->n : 1, sizeof *idx);
		size_t m = 0;

		for (size_t i = 0; i < im->n; i++)
			if (*im->rows[i].username)
				idx[m++] = i;
		sort_rows = im->rows;
		qsort(idx, m, sizeof *idx, cmp_acct_user);
		for (size_t g = 0; g < m; ) {
			size_t e = g + 1;
			while (e < m && strcasecmp(im->rows[idx[g]].username, im->rows[idx[e]].username) == 0)
				e++;
			for (size_t k = g; e - g > 1 && k < e; k++) {
				struct acct *other = &im->rows[idx[k == g ? g + 1 : g]];
				reject(&im->rows[idx[k]], "duplicate username '%s' in the file (also on line %lu) "
				       "(文件内用户名重复)", im->rows[idx[k]].username, other->line);
			}
			g = e;
		}
		free(idx);
	}
}

/* Checks against the database: region codes exist, usernames are free.
 * Returns 0, or -1 on a database error. */
static int import_check_db(struct db *db, struct import *im)
{
	struct dbrows *regions;
	char **codes;

	if (db_query(db, STMT_REGION_CODES, DB_NOARGS, &regions) < 0)
		return -1;
	codes = xcalloc(regions->nrows ? regions->nrows : 1, sizeof *codes);
	for (size_t i = 0; i < regions->nrows; i++)
		codes[i] = regions->cells[i * regions->ncols];
	qsort(codes, regions->nrows, sizeof *codes, cmp_str_ci);

	for (size_t i = 0; i < im->n; i++) {
		struct acct *a = &im->rows[i];
		char *existing = NULL;
		const char *key = a->region;

		if (*a->region && !ROLE_NATIONAL(a->role) &&
		    !bsearch(&key, codes, regions->nrows, sizeof *codes, cmp_str_ci))
			reject(a, "unknown region code %.32s (地区代码不存在)", a->region);
		if (!*a->username || check_username(a->username))
			continue;
		if (db_query_str(db, STMT_USER_EXISTS,
		                 DB_ARGS(A_STR(a->username)), &existing) < 0) {
			free(codes);
			dbrows_free(regions);
			return -1;
		}
		if (existing)
			reject(a, "username already exists (已存在)%s%s",
			       strcmp(existing, a->username) ? ": " : "",
			       strcmp(existing, a->username) ? existing : "");
		free(existing);
	}
	free(codes);
	dbrows_free(regions);
	return 0;
}

/* Who ran the import, for the audit trail. */
const char *operator_name(void)
{
	const char *s = getenv("SUDO_USER");
	struct passwd *pw;

	if (s && *s)
		return s;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "?";
}

/* Printable-ASCII copy for the audit detail (file names need not be UTF-8). */
void put_sanitized(struct buf *b, const char *s, size_t max)
{
	for (size_t i = 0; s[i] && i < max; i++)
		buf_putc(b, s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
}

struct import_tx {
	struct import *im;
	const char *path, *charset;
	size_t nlegacy, ninit;
};

/* Inserts every account; 0, 1 when a row turned out to conflict since the
 * checks (marked rejected), -1 on other errors. */
static int import_rows(struct db *db, struct import *im, size_t per_role[ROLE_COUNT])
{
	for (size_t i = 0; i < im->n; i++) {
		struct acct *a = &im->rows[i];
		int hasregion = !ROLE_NATIONAL(a->role);
		enum db_rc rc = db_exec(db, STMT_USER_INSERT_IMPORT,
		            DB_ARGS(A_STR(a->username), A_STR(a->pw_hash), A_STR(role_code(a->role)),
		                    A_STR(hasregion ? a->region : NULL), A_STR(a->org),
		                    A_STR(form_for_role(a->role)), A_STR(a->contact), A_STR(a->phone),
		                    A_STR(a->email)), NULL, NULL);
		/* Another session created the user or deleted the region since
		 * the checks. */
		if (rc == DB_DUPLICATE)
			reject(a, "username already exists (已存在)");
		else if (rc == DB_NO_PARENT)
			reject(a, "unknown region code %.32s (地区代码不存在)", a->region);
		if (rc == DB_DUPLICATE || rc == DB_NO_PARENT)
			return 1;
		if (rc < 0)
			return -1;
		per_role[a->role]++;
	}
	return 0;
}

/* The accounts and the audit row (db_transaction's body). */
static int import_body(struct db *db, void *ctx, int attempt)
{
	struct import_tx *x = ctx;
	size_t per_role[ROLE_COUNT] = {0};
	struct buf detail = {0};
	const char *base = strrchr(x->path, '/');
	int rc;

	(void)attempt;
	if ((rc = import_rows(db, x->im, per_role)) != 0)
		return rc;
	buf_puts(&detail, "cli operator=");
	put_sanitized(&detail, operator_name(), 64);
	buf_puts(&detail, " file=");
	put_sanitized(&detail, base ? base + 1 : x->path, 200);
	buf_printf(&detail, " charset=%s accounts=%zu", x->charset, x->im->n);
	for (int r = ROLE_ADMIN; r < ROLE_COUNT; r++)
		if (per_role[r])
			buf_printf(&detail, " %s=%zu", role_code((enum role)r), per_role[r]);
	buf_printf(&detail, " password_hash=%zu initial_password=%zu", x->nlegacy, x->ninit);
	rc = db_exec(db, STMT_AUDIT_INSERT_CLI,
	             DB_ARGS(A_STR("import-accounts"), A_STR(detail.data)), NULL, NULL) < 0 ? -1 : 0;
	buf_free(&detail);
	return rc;
}

/* Hashes initial passwords and inserts everything plus the audit row in one
 * transaction. Returns 0 on commit, 1 when a row turned out to conflict
 * (marked rejected; rolled back), -1 on other errors (rolled back). */
static int import_write(struct db *db, struct import *im, const char *path, const char *charset)
{
	struct import_tx x = { im, path, charset, 0, 0 };

	for (size_t i = 0; i < im->n; i++) {
		struct acct *a = &im->rows[i];
		char h[PW_HASH_MAX];

		if (*a->pw_hash) {
			x.nlegacy++;
			continue;
		}
		if (password_hash(a->init_pw, h) < 0) {
			fprintf(stderr, PROG ": password hashing failed\n");
			return -1;
		}
		wipe_free(a->init_pw);
		a->init_pw = NULL;
		free(a->pw_hash);
		a->pw_hash = xstrdup(h);
		explicit_bzero(h, sizeof h);
		x.ninit++;
	}
	return db_transaction(db, import_body, &x);
}

static void import_report(const struct import *im)
{
	for (size_t i = 0; i < im->n; i++) {
		const struct acct *a = &im->rows[i];
		if (a->why.len)
			printf("line %lu: rejected: %s\n", a->line, a->why.data);
		else
			printf("line %lu: ok: %s, role %s%s%s\n", a->line, a->username, role_code(a->role),
			       ROLE_NATIONAL(a->role) ? "" : ", region ",
			       ROLE_NATIONAL(a->role) ? "" : a->region);
	}
}

static size_t count_rejected(const struct import *im)
{
	size_t n = 0;
	for (size_t i = 0; i < im->n; i++)
		n += im->rows[i].why.len > 0;
	return n;
}

int cmd_import_accounts(struct ctx *x, int argc, char **argv)
{
	struct import im = {0};
	const char *path = NULL, *charset = "";
	int dry = 0, ret = EXIT_FAILED, wr;
	size_t nrej;
	struct db *db;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0 || strcmp(argv[i], "-n") == 0) {
			dry = 1;
		} else if (strcmp(argv[i], "--") == 0 && i + 2 == argc && !path) {
			path = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, PROG ": import-accounts: unknown option '%s'\n", argv[i]);
			command_usage(stderr, find_command("import-accounts"));
			return EXIT_FAILED;
		} else if (!path) {
			path = argv[i];
		} else {
			fprintf(stderr, PROG ": import-accounts: only one file at a time\n");
			return EXIT_FAILED;
		}
	}
	if (!path) {
		command_usage(stderr, find_command("import-accounts"));
		return EXIT_FAILED;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, PROG ": libsodium initialisation failed\n");
		return EXIT_FAILED;
	}

	if (import_parse(path, &im, &charset) != 0)
		goto out;
	printf("%s: %s, %zu account row%s%s\n", path, charset, im.n, im.n == 1 ? "" : "s",
	       dry ? " (dry run: nothing will be written / 试运行)" : "");
	if (im.n == 0) {
		printf("no accounts in the file: nothing imported (未导入任何账号)\n");
		ret = EXIT_REJECTED;
		goto out;
	}
	import_check_rows(&im);
	if (!(db = ctx_db(x)))
		goto out;
	if (import_check_db(db, &im) < 0) {
		fprintf(stderr, PROG ": database error: nothing imported\n");
		goto out;
	}

	nrej = count_rejected(&im);
	if (nrej == 0 && !dry) {
		wr = import_write(db, &im, path, charset);
		if (wr < 0) {
			fprintf(stderr, PROG ": database error: nothing imported\n");
			goto out;
		}
		nrej = count_rejected(&im);
	}
	import_report(&im);
	if (nrej) {
		printf("%zu of %zu row%s rejected: nothing imported (%zu 行被拒绝，未导入任何账号)\n",
		       nrej, im.n, im.n == 1 ? "" : "s", nrej);
		ret = EXIT_REJECTED;
	} else if (dry) {
		printf("dry run: %zu account%s would be imported; nothing written "
		       "(试运行：可导入 %zu 个账号，未写入)\n", im.n, im.n == 1 ? "" : "s", im.n);
		ret = EXIT_DONE;
	} else {
		printf("imported %zu account%s (已导入 %zu 个账号)\n", im.n, im.n == 1 ? "" : "s", im.n);
		ret = EXIT_DONE;
	}
out:
	import_free(&im);
	return ret;
}
