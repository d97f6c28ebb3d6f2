/*
 * admin.c - smesurvey-admin, the command-line administration tool.
 *
 *   smesurvey-admin [--conf FILE] COMMAND [ARGS...]
 *
 * Each subcommand is one entry in commands[] below; the database is opened
 * lazily (ctx_db) so that commands which do not need it stay usable
 * without a configured server. Exit codes are shared by all commands:
 * 0 success, 1 input rejected (nothing changed), 2 usage, I/O or DB error.
 */
#include "auth.h"
#include "catalog.h"
#include "conf.h"
#include "csv.h"
#include "aggr.h"
#include "form.h"
#include "indview.h"
#include "db.h"
#include "flags.h"
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

#define PROG "smesurvey-admin"

enum { EXIT_DONE = 0, EXIT_REJECTED = 1, EXIT_FAILED = 2 };

struct ctx {
	const char  *conf_path;   /* --conf, or NULL for $SMESURVEY_CONF */
	struct conf  conf;
	int          conf_loaded;
	struct db   *db;
};

struct command {
	const char *name;
	int       (*run)(struct ctx *x, int argc, char **argv);   /* argv[0] = name */
	const char *args;
	const char *summary;
	const char *help;         /* extra lines for `COMMAND --help` */
};

static int cmd_import_accounts(struct ctx *x, int argc, char **argv);
static int cmd_help(struct ctx *x, int argc, char **argv);
static int cmd_redraw(struct ctx *x, int argc, char **argv);
static int cmd_import_frame(struct ctx *x, int argc, char **argv);
static int cmd_draw(struct ctx *x, int argc, char **argv);
static int cmd_check(struct ctx *x, int argc, char **argv);
static int cmd_purge(struct ctx *x, int argc, char **argv);
static int cmd_reset_sample(struct ctx *x, int argc, char **argv);
static int cmd_create_admin(struct ctx *x, int argc, char **argv);
static int cmd_reset_password(struct ctx *x, int argc, char **argv);
static int cmd_rebuild_aggregates(struct ctx *x, int argc, char **argv);
static int cmd_dump_aggregates(struct ctx *x, int argc, char **argv);
static int cmd_rebuild_flags(struct ctx *x, int argc, char **argv);

static const struct command commands[] = {
	{ "import-accounts", cmd_import_accounts, "[--dry-run] FILE.csv",
	  "create accounts (with their old passwords) from a CSV file",
	  "The file is UTF-8 or GB18030 (Excel's Chinese default), at most 10 MiB,\n"
	  "with a header line. Columns, in any order, names case-insensitive:\n"
	  "  username          1..64 characters, no spaces, unique (also against the DB)\n"
	  "  password_hash     an existing crypt(3) hash: $1$ $5$ $6$ $2a$ $2b$ $2y$ $y$\n"
	  "                    or $argon2id$ (users keep their old passwords)\n"
	  "  initial_password  a clear-text password (12..128 characters), stored as argon2id\n"
	  "                    -- exactly one of password_hash / initial_password per row\n"
	  "  role              admin viewer region hub window resource sme\n"
	  "  region_code       required except for admin/viewer; must exist in regions\n"
	  "  org_name          optional, at most 255 characters\n"
	  "  contact, phone, email\n"
	  "                    optional: whom the region calls about this account's\n"
	  "                    questionnaire (follow-up lists); phone and email are\n"
	  "                    checked like the questionnaires' (7-30 characters of\n"
	  "                    digits + - ( ) / , space 转; name@domain.tld)\n"
	  "  form              optional; must match the role (region: selfeval,\n"
	  "                    hub: hub, window: window, resource: resource, sme: sme)\n"
	  "Usernames that already exist are rejected, never updated.\n"
	  "All rows are imported in one transaction: if any row is rejected, nothing\n"
	  "is imported. --dry-run runs every check (including the database ones) and\n"
	  "writes nothing. Exit: 0 imported (or dry run clean), 1 rows rejected,\n"
	  "2 usage, file, CSV syntax or database error." },
	{ "import-frame", cmd_import_frame, "REGION KIND FILE",
	  "import and confirm a region's sample frame (KIND: resource or sme)",
	  "The same checks as the region's upload page (/region/frames): an .xlsx\n"
	  "workbook (first sheet) or CSV in UTF-8 or GB18030 (detected), at most\n"
	  "2 MiB; the heading row may follow title rows; the columns are recognised by their\n"
	  "headers (名称/单位名称/企业名称/name, 组织平台/所属平台/platform, 联系人/contact,\n"
	  "电话/联系电话/phone, 邮箱/电子邮箱/email; others are ignored). Name is required,\n"
	  "and for resource the platform: a value containing 枢纽, or hub, puts a unit in\n"
	  "the hub stratum, any other value in the window stratum (the web page lets\n"
	  "the region assign each value). Every row error\n"
	  "is listed with its line number. The frame is confirmed at once and replaces\n"
	  "the region's previous frame of that kind; refused once the region has a\n"
	  "sample of that kind. One transaction, audited (frame-confirm).\n"
	  "Exit: 0 imported, 1 rejected (unknown region, sample exists, file errors;\n"
	  "nothing written), 2 usage, file or database error." },
	{ "draw", cmd_draw, "REGION KIND [--seed HEX] [--allow-short]",
	  "draw a region's sample from its confirmed frame (KIND: resource or sme)",
	  "The draw of /region/sample (algorithm in cgi-bin/sample/draw.h) with the\n"
	  "quotas of the configuration (sample_hub, sample_window, sample_sme). The\n"
	  "seed is 1..16 hex digits; without --seed a random one is used. Stores the\n"
	  "sample (method drawn, seed, frame checksum, algorithm version) and its\n"
	  "ordered reserve lists, then prints the seed and the selected units.\n"
	  "One transaction, audited (sample-draw); `redraw` verifies the result.\n"
	  "A stratum with fewer units than its quota is drawn completely (no\n"
	  "reserve) only with --allow-short; without it the draw is refused.\n"
	  "Exit: 0 drawn, 1 refused (unknown region, no confirmed frame, a sample\n"
	  "exists already, a short stratum; nothing written), 2 usage or database error." },
	{ "reset-sample", cmd_reset_sample, "REGION KIND [--reason TEXT]",
	  "delete a region's sample and confirmed frame so that it can draw again",
	  "The ministry's repair of a wrong sample (also /admin/samples). Deletes\n"
	  "the sample of KIND (resource or sme) with its units and reserve lists,\n"
	  "and the confirmed frame; the region then imports and draws again. Every\n"
	  "printed invitation code of the sample is revoked (its holder is told to\n"
	  "contact the region). When units have registered through their codes,\n"
	  "--reason is required; their accounts and answers stay, no longer bound\n"
	  "to the sample. One transaction, audited (sample-reset, with the reason).\n"
	  "Exit: 0 reset, 1 refused (unknown region, no sample, reason missing),\n"
	  "2 usage or database error." },
	{ "redraw", cmd_redraw, "REGION KIND",
	  "recompute a region's drawn sample and verify it (KIND: resource or sme)",
	  "Reloads the stored frame, checks its SHA-256 against the one stored with\n"
	  "the sample, re-runs the draw with the stored seed and algorithm version\n"
	  "(see cgi-bin/sample/draw.h) and compares every stratum's order, roles and\n"
	  "replacements with sample_units. Changes nothing.\n"
	  "Exit: 0 verified, 1 differences (listed) or not verifiable, 2 error." },
	{ "create-admin", cmd_create_admin, "USERNAME [--stdin]",
	  "create a ministry (admin) account with a one-time password",
	  "Prints exactly one line, `password: <one-time password>`, on standard\n"
	  "output; with --stdin the password is read from the first line of standard\n"
	  "input instead (12..128 characters) and nothing secret is printed. The\n"
	  "password must be changed at the first login. Audited (create-admin).\n"
	  "Exit: 0 created, 1 refused (the username exists or is not valid, the\n"
	  "password from stdin breaks the rules), 2 usage or database error." },
	{ "reset-password", cmd_reset_password, "USERNAME [--stdin]",
	  "set a one-time password for any account",
	  "Sets a generated one-time password and prints exactly one line,\n"
	  "`password: <one-time password>`, on standard output; with --stdin the\n"
	  "password is read from the first line of standard input (12..128\n"
	  "characters) and nothing secret is printed. The account's sessions end and\n"
	  "the password must be changed at the next login. Audited (password-reset).\n"
	  "Exit: 0 done, 1 refused (no such user, the password from stdin breaks\n"
	  "the rules), 2 usage or database error." },
	{ "help", cmd_help, "[COMMAND]", "show this help or a command's help", NULL },
	{ "check", cmd_check, "[--user NAME]",
	  "check that this installation can serve (exit 0) or say what is wrong",
	  "Checks, each printed as ok / FAIL with the reason:\n"
	  "  the configuration file is readable and complete; the declared time zone\n"
	  "  (time_zone) is stated; the database answers with the schema version\n"
	  "  these programs expect (the newest migration they were built with);\n"
	  "  upload_dir exists and is writable by the programs' user (--user, default\n"
	  "  smesurvey); both deadlines are set and not past (a past deadline refuses\n"
	  "  every save). Exit: 0 every check passed, 1 something failed." },
	{ "rebuild-aggregates", cmd_rebuild_aggregates, "[--if-stale]",
	  "recompute the maintained aggregates (progress, statistics, indicators)",
	  "Empties the aggregate tables of sql/005_aggregates.sql and computes them\n"
	  "again from the accounts, the sample units, the responses and their answers,\n"
	  "in one transaction with its audit row (pages wait for it, never see half).\n"
	  "Run it after loading data with SQL. With --if-stale it does nothing unless\n"
	  "the tallies were computed with another codebook, form catalog or indicator\n"
	  "set than these programs carry (sql/010_aggr_meta.sql; smesurvey-setup\n"
	  "migrate runs it so). Exit: 0 done or current, 2 database error (nothing\n"
	  "changed)." },
	{ "dump-aggregates", cmd_dump_aggregates, "",
	  "print the maintained aggregates as text (tab-separated, sorted)",
	  "Every non-zero row of every aggregate table, for comparing the maintained\n"
	  "values with rebuilt ones (tests/e2e/47-aggregates.t). Exit: 0 or 2." },
	{ "rebuild-flags", cmd_rebuild_flags, "",
	  "recompute the integrity flags of every submitted response",
	  "Empties the flags (sql/031_flags.sql) and runs the rules of\n"
	  "cgi-bin/eval/flags/rules.tsv over every submitted response in submit order,\n"
	  "as the submits do (README, \"Answers the evaluation can trust\"). The agency's\n"
	  "decisions are kept. Run it after loading rows or changing times with SQL.\n"
	  "One transaction, audited (flags-rebuild). Exit: 0 done, 2 database error." },
	{ "purge", cmd_purge, "[--dry-run] [--paradata]",
	  "delete what is no longer needed: expired sessions, old throttle rows, unused uploads",
	  "Sessions past the idle or absolute limit, login and invitation-code failures\n"
	  "older than a day, and uploaded files (upload_dir/<sha256>) that no answer\n"
	  "refers to any more and that are older than a day (a replaced report). Run\n"
	  "it daily from cron. --dry-run counts and deletes nothing. One audit row.\n"
	  "--paradata also deletes all paradata (how responses came about: times,\n"
	  "network and browser hashes, sign-ins per browser; README) once the\n"
	  "evaluation is closed; the flags and the agency's decisions stay.\n"
	  "Exit: 0 done, 2 database or file error." },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: " PROG " [--conf FILE] COMMAND [ARGS...]\n\n"
	           "The configuration file is --conf FILE, else $SMESURVEY_CONF, else\n"
	           "/etc/smesurvey/smesurvey.conf.\n\n"
	           "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-16s %-22s %s\n", commands[i].name, commands[i].args, commands[i].summary);
	fprintf(f, "\n`" PROG " COMMAND --help` shows a command's details.\n");
}

static void command_usage(FILE *f, const struct command *cmd)
{
	fprintf(f, "usage: " PROG " [--conf FILE] %s %s\n%s\n", cmd->name, cmd->args, cmd->summary);
	if (cmd->help)
		fprintf(f, "\n%s\n", cmd->help);
}

static int cmd_help(struct ctx *x, int argc, char **argv)
{
	(void)x;
	if (argc > 1) {
		const struct command *cmd = find_command(argv[1]);
		if (!cmd) {
			fprintf(stderr, PROG ": unknown command '%s'\n", argv[1]);
			return EXIT_FAILED;
		}
		command_usage(stdout, cmd);
		return EXIT_DONE;
	}
	usage(stdout);
	return EXIT_DONE;
}

/* Loads the configuration and connects on first use. */
static struct db *ctx_db(struct ctx *x)
{
	if (x->db)
		return x->db;
	if (!x->conf_loaded) {
		/* conf_load() falls back to $SMESURVEY_CONF, then /etc/smesurvey. */
		if (conf_load(&x->conf, x->conf_path) < 0 || deadline_conf_apply(&x->conf) < 0) {
			conf_free(&x->conf);
			fprintf(stderr, PROG ": cannot load the configuration "
			        "(--conf FILE, $SMESURVEY_CONF or /etc/smesurvey/smesurvey.conf)\n");
			return NULL;
		}
		x->conf_loaded = 1;
	}
	x->db = db_open(&x->conf);
	if (!x->db)
		fprintf(stderr, PROG ": cannot connect to the database\n");
	else
		db_set_role(x->db, ROLE_CLI);   /* the statements the tool may run */
	return x->db;
}

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
static int has_control(const char *s)
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

static const char *check_username(const char *u)
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
	for (int k = 0; k < C_NCOLS; k++)
		colidx[k] = -1;
	for (size_t i = 0; i < row.nfields; i++) {
		char *name = trimmed(row.fields[i]);
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
			        path, row.line, k == C_NCOLS ? "unknown" : "duplicate", name);
			free(name);
			goto out;
		}
		colidx[k] = (int)i;
		free(name);
	}
	if (colidx[C_USERNAME] < 0 || colidx[C_ROLE] < 0 ||
	    (colidx[C_PWHASH] < 0 && colidx[C_INITPW] < 0)) {
		fprintf(stderr, PROG ": %s: the header needs the columns username, role and "
		        "password_hash and/or initial_password (标题行缺少必需的列)\n", path);
		goto out;
	}

	while ((rc = csv_next(&c, &row)) > 0) {
		const char *f[C_NCOLS];
		int empty = 1, extra = 0;
		struct acct *a;

		for (size_t i = 0; i < row.nfields; i++) {
			const char *s = row.fields[i];
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
			continue;               /* ",,,," rows Excel leaves behind */
		for (int k = 0; k < C_NCOLS; k++)
			f[k] = colidx[k] >= 0 && (size_t)colidx[k] < row.nfields ?
			       row.fields[colidx[k]] : "";

		if (im->n == im->cap) {
			im->cap = im->cap ? im->cap * 2 : 64;
			im->rows = xrealloc(im->rows, im->cap * sizeof *im->rows);
		}
		a = &im->rows[im->n++];
		memset(a, 0, sizeof *a);
		a->line = row.line;
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
				reject(a, "unknown role '%.32s' (expected admin viewer region hub window "
				       "resource sme) (角色无效)", r);
			free(r);
		}
		if (extra)
			reject(a, "text in a column without a header (多余的列)");
	}
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
		if (a->role == ROLE_ADMIN || a->role == ROLE_VIEWER) {
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

		if (*a->region && a->role != ROLE_ADMIN && a->role != ROLE_VIEWER &&
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
static const char *operator_name(void)
{
	const char *s = getenv("SUDO_USER");
	struct passwd *pw;

	if (s && *s)
		return s;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "?";
}

/* Printable-ASCII copy for the audit detail (file names need not be UTF-8). */
static void put_sanitized(struct buf *b, const char *s, size_t max)
{
	for (size_t i = 0; s[i] && i < max; i++)
		buf_putc(b, s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
}

/* Hashes initial passwords and inserts everything plus the audit row in one
 * transaction. Returns 0 on commit, 1 when a row turned out to conflict
 * (marked rejected; rolled back), -1 on other errors (rolled back). */
static int import_write(struct db *db, struct import *im, const char *path, const char *charset)
{
	size_t per_role[ROLE_COUNT] = {0}, nlegacy = 0, ninit = 0;
	struct buf detail = {0};
	const char *base = strrchr(path, '/');
	int ret = -1;

	for (size_t i = 0; i < im->n; i++) {
		struct acct *a = &im->rows[i];
		char h[PW_HASH_MAX];

		if (*a->pw_hash) {
			nlegacy++;
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
		ninit++;
	}

	if (db_begin(db) < 0)
		return -1;
	for (size_t i = 0; i < im->n; i++) {
		struct acct *a = &im->rows[i];
		int hasregion = a->role != ROLE_ADMIN && a->role != ROLE_VIEWER;

		if (db_exec(db, STMT_USER_INSERT_IMPORT,
		            DB_ARGS(A_STR(a->username), A_STR(a->pw_hash), A_STR(role_code(a->role)),
		                    A_STR(hasregion ? a->region : NULL), A_STR(a->org),
		                    A_STR(form_for_role(a->role)), A_STR(a->contact), A_STR(a->phone),
		                    A_STR(a->email)), NULL, NULL) < 0) {
			/* Another session created the user (1062) or deleted the
			 * region (1452) since the checks. */
			unsigned e = db_errno(db);
			if (e == 1062 || e == 1452) {
				if (e == 1062)
					reject(a, "username already exists (已存在)");
				else
					reject(a, "unknown region code %.32s (地区代码不存在)", a->region);
				ret = 1;
			}
			goto rollback;
		}
		per_role[a->role]++;
	}

	buf_puts(&detail, "cli operator=");
	put_sanitized(&detail, operator_name(), 64);
	buf_puts(&detail, " file=");
	put_sanitized(&detail, base ? base + 1 : path, 200);
	buf_printf(&detail, " charset=%s accounts=%zu", charset, im->n);
	for (int r = ROLE_ADMIN; r < ROLE_COUNT; r++)
		if (per_role[r])
			buf_printf(&detail, " %s=%zu", role_code((enum role)r), per_role[r]);
	buf_printf(&detail, " password_hash=%zu initial_password=%zu", nlegacy, ninit);
	if (db_exec(db, STMT_AUDIT_INSERT_CLI,
	            DB_ARGS(A_STR("import-accounts"), A_STR(detail.data)), NULL, NULL) < 0)
		goto rollback;
	if (db_commit(db) < 0)
		goto rollback;
	buf_free(&detail);
	return 0;
rollback:
	db_rollback(db);
	buf_free(&detail);
	return ret;
}

static void import_report(const struct import *im)
{
	for (size_t i = 0; i < im->n; i++) {
		const struct acct *a = &im->rows[i];
		if (a->why.len)
			printf("line %lu: rejected: %s\n", a->line, a->why.data);
		else
			printf("line %lu: ok: %s, role %s%s%s\n", a->line, a->username, role_code(a->role),
			       a->role == ROLE_ADMIN || a->role == ROLE_VIEWER ? "" : ", region ",
			       a->role == ROLE_ADMIN || a->role == ROLE_VIEWER ? "" : a->region);
	}
}

static size_t count_rejected(const struct import *im)
{
	size_t n = 0;
	for (size_t i = 0; i < im->n; i++)
		n += im->rows[i].why.len > 0;
	return n;
}

static int cmd_import_accounts(struct ctx *x, int argc, char **argv)
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

/* ================================================================
 * import-frame, draw: the region's frame upload and draw from the command
 * line, through the same code as /region/frames and /region/sample
 * (cgi-bin/sample/frame.c, draw.c).
 * ================================================================ */

static const char *kind_arg(const char *s)
{
	return strcmp(s, "resource") == 0 ? "resource" : strcmp(s, "sme") == 0 ? "sme" : NULL;
}

/* 1 when the region exists, 0 not (said so on stderr), -1 database error. */
static int region_known(struct db *db, const char *cmd, const char *code)
{
	char *name = NULL;

	if (strlen(code) > 16 || has_control(code)) {
		fprintf(stderr, PROG ": %s: invalid region code (地区代码无效): nothing written\n", cmd);
		return 0;
	}
	if (db_query_str(db, STMT_REGION_NAME, DB_ARGS(A_STR(code)), &name) < 0)
		return -1;
	if (!name) {
		fprintf(stderr, PROG ": %s: unknown region code '%s' (地区代码不存在): nothing written\n", cmd, code);
		return 0;
	}
	free(name);
	return 1;
}

/* The audit row of a CLI command (no user, no address). 0 or -1. */
/* "--name VALUE" or "--name=VALUE" at argv[*i], taken once: 1 (with *i
 * past a separate value), else 0 and nothing changes. */
static int option_value(int argc, char **argv, int *i, const char *name, const char **out)
{
	size_t n = strlen(name);
	if (*out || strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*out = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] == '\0' && *i + 1 < argc) {
		*out = argv[++*i];
		return 1;
	}
	return 0;
}

/* REGION and KIND of draw / reset-sample: takes arg as the next of two
 * positional arguments. 0 (and *npos past 2, so the caller prints the
 * usage) for an unknown option or a third argument. */
static int take_positional(const char *arg, const char *pos[2], size_t *npos)
{
	if (arg[0] == '-' || *npos >= 2) {
		*npos = 3;
		return 0;
	}
	pos[(*npos)++] = arg;
	return 1;
}

static int cli_audit(struct db *db, const char *action, const char *detail)
{
	struct buf d = { 0 };
	int rc;

	buf_puts(&d, "cli operator=");
	put_sanitized(&d, operator_name(), 64);
	buf_printf(&d, " %s", detail);
	rc = db_exec(db, STMT_AUDIT_INSERT_CLI,
	             DB_ARGS(A_STR(action), A_STR(d.data)), NULL, NULL);
	buf_free(&d);
	return rc < 0 ? -1 : 0;
}

static void print_counts(const char *kind, const size_t count[ST_COUNT])
{
	if (strcmp(kind, "sme") == 0)
		printf("sme %zu", count[ST_SME]);
	else
		printf("hub %zu, window %zu", count[ST_HUB], count[ST_WINDOW]);
}

static int cmd_import_frame(struct ctx *x, int argc, char **argv)
{
	const char *region, *kind, *path, *charset = "";
	char err[512], sum[65], ids[24], *raw = NULL, *text = NULL, *fn = NULL, *old = NULL, *sid = NULL;
	size_t rawn = 0, textn = 0;
	struct frame_parse fp;
	int parsed = 0, ret = EXIT_FAILED, rc;
	unsigned long long id = 0;
	struct db *db;

	if (argc != 4 || !(kind = kind_arg(argv[2]))) {
		command_usage(stderr, find_command("import-frame"));
		return EXIT_FAILED;
	}
	region = argv[1];
	path = argv[3];
	if (file_read_bounded(path, FRAME_UPLOAD_MAX, &raw, &rawn, err, sizeof err) < 0) {
		fprintf(stderr, PROG ": %s (at most 2 MiB / 最大 2 MB)\n", err);
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		goto out;
	if ((rc = region_known(db, "import-frame", region)) <= 0) {
		ret = rc < 0 ? EXIT_FAILED : EXIT_REJECTED;
		goto out;
	}
	if (db_query_str(db, STMT_SAMPLE_ID,
	                 DB_ARGS(A_STR(region), A_STR(kind)), &sid) < 0 ||
	    db_query_str(db, STMT_FRAME_CONFIRMED_ID,
	                 DB_ARGS(A_STR(region), A_STR(kind)), &old) < 0)
		goto dberr;
	if (sid) {
		fprintf(stderr, PROG ": import-frame: region %s already has a %s sample (sample %s); its frame "
		        "can no longer be replaced (已经抽样，样本框不能再替换): nothing written\n", region, kind, sid);
		ret = EXIT_REJECTED;
		goto out;
	}
	if (frame_upload_text(raw, rawn, &text, &textn, &charset, err, sizeof err) < 0) {
		fprintf(stderr, PROG ": %s: save the file as XLSX, or CSV in UTF-8 or GB18030 (%s): nothing written\n",
		        path, err);
		ret = EXIT_REJECTED;
		goto out;
	}
	rc = frame_parse(text, textn, kind, NULL, &fp);
	parsed = 1;
	printf("%s: %s, %zu data row%s\n", path, charset, fp.nunits, fp.nunits == 1 ? "" : "s");
	for (size_t i = 0; i < fp.ncols; i++)
		printf("  column %zu '%s' -> %s\n", i + 1, fp.header[i], ffield_code(fp.map[i]));
	if (rc < 0) {
		printf("rejected: %s (nothing written)\n", fp.fatal);
		ret = EXIT_REJECTED;
		goto out;
	}
	if (rc > 0) {
		for (size_t i = 0; i < fp.nerrs; i++)
			printf("line %lu: %s\n", fp.errs[i].line, fp.errs[i].msg);
		if (fp.nerrs_total > fp.nerrs)
			printf("... and %zu more\n", fp.nerrs_total - fp.nerrs);
		printf("%zu error%s: nothing written (有 %zu 处错误，未导入)\n", fp.nerrs_total,
		       fp.nerrs_total == 1 ? "" : "s", fp.nerrs_total);
		ret = EXIT_REJECTED;
		goto out;
	}
	units_checksum(fp.units, fp.nunits, sum);
	fn = frame_clean_filename(path);

	/* One transaction: the frame row, its units, the confirmation, the audit. */
	if (db_begin(db) < 0)
		goto dberr;
	if (db_exec(db, STMT_FRAME_INSERT_PENDING,
	            DB_ARGS(A_STR(region), A_STR(kind), A_STR(fn), A_STR(charset), A_NULL), NULL, &id) < 0)
		goto rollback;
	snprintf(ids, sizeof ids, "%llu", id);
	rc = frame_store(db, region, kind, ids, &fp, sum);
	if (rc == 1) {
		db_rollback(db);
		fprintf(stderr, PROG ": import-frame: region %s got a %s sample meanwhile (已经抽样，样本框不能再替换): "
		        "nothing written\n", region, kind);
		ret = EXIT_REJECTED;
		goto out;
	}
	if (rc < 0)
		goto rollback;
	{
		struct buf d = { 0 };
		buf_printf(&d, "file=%s charset=%s region=%s kind=%s frame=%s units=%zu checksum=%s", fn, charset,
		           region, kind, ids, fp.nunits, sum);
		rc = cli_audit(db, "frame-confirm", d.data);
		buf_free(&d);
	}
	if (rc < 0 || db_commit(db) < 0)
		goto rollback;
	printf("region %s, %s: frame %s confirmed with %zu units (", region, kind, ids, fp.nunits);
	print_counts(kind, fp.count);
	printf(")%s%s\nchecksum %s\n", old ? "; replaces frame " : "", old ? old : "", sum);
	printf("imported (已导入并确认样本框)\n");
	ret = EXIT_DONE;
	goto out;
rollback:
	db_rollback(db);
dberr:
	fprintf(stderr, PROG ": import-frame: database error: nothing written\n");
	ret = EXIT_FAILED;
out:
	if (parsed)
		frame_parse_free(&fp);
	free(raw);
	free(text);
	free(fn);
	free(old);
	free(sid);
	return ret;
}

static int cmd_draw(struct ctx *x, int argc, char **argv)
{
	const char *pos[2] = { NULL, NULL }, *seed_s = NULL, *kind;
	size_t npos = 0;
	uint64_t seed;
	struct drawn dr = { 0 };
	struct db *db;
	int rc, ret, allow_short = 0;

	for (int i = 1; i < argc; i++) {
		if (option_value(argc, argv, &i, "--seed", &seed_s))
			continue;
		if (strcmp(argv[i], "--allow-short") == 0)
			allow_short = 1;
		else if (!take_positional(argv[i], pos, &npos))
			break;
	}
	if (npos != 2 || !(kind = kind_arg(pos[1]))) {
		command_usage(stderr, find_command("draw"));
		return EXIT_FAILED;
	}
	if (seed_s && seed_parse(seed_s, &seed) < 0) {
		fprintf(stderr, PROG ": draw: the seed must be 1..16 hexadecimal digits (随机种子应为 1-16 位十六进制数字)\n");
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	if ((rc = region_known(db, "draw", pos[0])) <= 0)
		return rc < 0 ? EXIT_FAILED : EXIT_REJECTED;
	if (!seed_s && seed_random(&seed) < 0) {
		fprintf(stderr, PROG ": draw: no random seed (getrandom failed)\n");
		return EXIT_FAILED;
	}

	const int q[ST_COUNT] = { x->conf.sample_hub, x->conf.sample_window, x->conf.sample_sme };
	/* One transaction: the draw and its audit row. */
	enum draw_result dres = db_begin(db) < 0 ? DRAW_DB_ERROR
	                      : sample_draw_store(db, pos[0], kind, seed, q, allow_short, 0, &dr);
	if (dres == DRAW_OK) {
		struct buf d = { 0 };
		buf_printf(&d, "region=%s kind=%s sample=%llu seed=%s algo=%s frame=%s checksum=%s quota=%d/%d/%d",
		           pos[0], kind, dr.sample_id, dr.seed, DRAW_ALGO_VERSION, dr.frame_id, dr.checksum,
		           q[ST_HUB], q[ST_WINDOW], q[ST_SME]);
		if (cli_audit(db, "sample-draw", d.data) < 0 || db_commit(db) < 0)
			dres = DRAW_DB_ERROR;
		buf_free(&d);
	}
	if (dres != DRAW_OK)
		db_rollback(db);
	switch (dres) {
	case DRAW_OK:
		break;
	case DRAW_EXISTS:
		fprintf(stderr, PROG ": draw: region %s already has a %s sample (已经抽样，不能重复抽取): nothing drawn\n",
		        pos[0], kind);
		break;
	case DRAW_FRAME_REPLACED:
		fprintf(stderr, PROG ": draw: region %s's %s frame was replaced during the draw: nothing drawn, "
		        "run draw again\n", pos[0], kind);
		break;
	case DRAW_NO_FRAME:
		fprintf(stderr, PROG ": draw: region %s has no confirmed %s frame; import one first with "
		        "`" PROG " import-frame %s %s FILE.csv` (请先导入并确认样本框): nothing drawn\n",
		        pos[0], kind, pos[0], kind);
		break;
	case DRAW_CHECKSUM:
		fprintf(stderr, PROG ": draw: frame %s of region %s: the stored checksum does not match its units "
		        "(样本框校验失败): nothing drawn\n", dr.frame_id, pos[0]);
		break;
	case DRAW_SHORT:
		for (int st = 0; st < ST_COUNT; st++)
			if (kind_has_stratum(kind, st) && dr.cnt[st] < dr.quota[st])
				fprintf(stderr, PROG ": draw: %s stratum has %zu units, fewer than its quota of %zu"
				        " (样本框不足)\n", stratum_code(st), dr.cnt[st], dr.quota[st]);
		fprintf(stderr, PROG ": draw: nothing drawn; check the frame, or draw it completely with"
		        " --allow-short (short strata get no reserve)\n");
		break;
	case DRAW_DB_ERROR:
		fprintf(stderr, PROG ": draw: database error: nothing drawn\n");
		break;
	}
	ret = dres == DRAW_OK ? EXIT_DONE :
	      dres == DRAW_EXISTS || dres == DRAW_FRAME_REPLACED || dres == DRAW_NO_FRAME ||
	      dres == DRAW_SHORT ? EXIT_REJECTED :
	      EXIT_FAILED;
	if (dres != DRAW_OK)
		goto out;

	printf("region %s, %s: sample %llu drawn from frame %s (%zu units, checksum %s)\n", pos[0], kind,
	       dr.sample_id, dr.frame_id, dr.n, dr.checksum);
	printf("algorithm %s\nseed %s\n", DRAW_ALGO_VERSION, dr.seed);
	for (int st = 0; st < ST_COUNT; st++) {
		size_t sel;
		if ((st == ST_SME) != (strcmp(kind, "sme") == 0))
			continue;
		sel = dr.cnt[st] < dr.quota[st] ? dr.cnt[st] : dr.quota[st];
		printf("%s: %zu selected of %zu, %zu in reserve", stratum_code(st), sel, dr.cnt[st], dr.cnt[st] - sel);
		if (dr.cnt[st] < dr.quota[st])
			printf(" - fewer units than the quota of %zu: all selected (不足 %zu 家)", dr.quota[st], dr.quota[st]);
		printf("\n");
		for (size_t k = 0; k < sel; k++) {
			const struct unit *u = &dr.u[dr.order[dr.start[st] + k]];
			printf("  %s %3zu  line %-5lu %s%s%s\n", stratum_code(st), k + 1, u->line, u->name,
			       st == ST_WINDOW && *u->platform ? " / " : "", st == ST_WINDOW ? u->platform : "");
		}
	}
	printf("drawn (已抽样)\n");
out:
	drawn_free(&dr);
	return ret;
}

/* ================================================================
 * reset-sample: the ministry's repair of a wrong sample (sample_reset in
 * cgi-bin/sample/draw.c, also /admin/samples/reset)
 * ================================================================ */

#define RESET_REASON_MAX 200   /* characters */

static int cmd_reset_sample(struct ctx *x, int argc, char **argv)
{
	const char *pos[2] = { NULL, NULL }, *reason = NULL, *kind;
	size_t npos = 0;
	struct reset_info ri;
	struct db *db;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (option_value(argc, argv, &i, "--reason", &reason))
			continue;
		if (!take_positional(argv[i], pos, &npos))
			break;
	}
	if (npos != 2 || !(kind = kind_arg(pos[1]))) {
		command_usage(stderr, find_command("reset-sample"));
		return EXIT_FAILED;
	}
	if (reason && (!utf8_valid(reason, strlen(reason)) || has_control(reason) ||
	               utf8_len(reason) > RESET_REASON_MAX)) {
		fprintf(stderr, PROG ": reset-sample: the reason must be at most %d characters of text"
		        " (原因最多 %d 字)\n", RESET_REASON_MAX, RESET_REASON_MAX);
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	if ((rc = region_known(db, "reset-sample", pos[0])) <= 0)
		return rc < 0 ? EXIT_FAILED : EXIT_REJECTED;
	/* One transaction: the reset and its audit row. */
	enum reset_result res = db_begin(db) < 0 ? RESET_DB_ERROR : sample_reset(db, pos[0], kind, reason, &ri);
	if (res == RESET_OK) {
		struct buf d = { 0 };
		buf_printf(&d, "region=%s kind=%s sample=%llu units=%lld registered=%lld codes_revoked=%lld frames=%llu reason=",
		           pos[0], kind, ri.sample_id, ri.units, ri.registered, ri.codes, ri.frames);
		buf_puts(&d, reason ? reason : "");   /* checked above: text, at most 200 characters */
		if (cli_audit(db, "sample-reset", d.data) < 0 || db_commit(db) < 0)
			res = RESET_DB_ERROR;
		buf_free(&d);
	}
	if (res != RESET_OK)
		db_rollback(db);
	switch (res) {
	case RESET_OK:
		printf("region %s, %s: sample %llu reset: %lld units deleted (%lld registered, now unbound),"
		       " %lld invitation codes revoked, %llu confirmed frame deleted\n"
		       "reset (已重置，地区可重新导入样本框并抽样)\n",
		       pos[0], kind, ri.sample_id, ri.units, ri.registered, ri.codes, ri.frames);
		return EXIT_DONE;
	case RESET_NONE:
		fprintf(stderr, PROG ": reset-sample: region %s has no %s sample (尚未抽样): nothing changed\n",
		        pos[0], kind);
		return EXIT_REJECTED;
	case RESET_NEEDS_REASON:
		fprintf(stderr, PROG ": reset-sample: %lld units of region %s's %s sample registered through their"
		        " codes; give --reason TEXT (已有单位注册，须说明原因): nothing changed\n",
		        ri.registered, pos[0], kind);
		return EXIT_REJECTED;
	case RESET_DB_ERROR:
	default:
		fprintf(stderr, PROG ": reset-sample: database error: nothing changed\n");
		return EXIT_FAILED;
	}
}

/* ================================================================
 * create-admin, reset-password: one-time passwords (auth.h)
 * ================================================================ */

/* USERNAME [--stdin] of both commands. 0, or -1 after the usage message. */
static int onetime_args(int argc, char **argv, const char **user, int *from_stdin)
{
	*user = NULL;
	*from_stdin = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--stdin") == 0)
			*from_stdin = 1;
		else if (argv[i][0] != '-' && *user == NULL)
			*user = argv[i];
		else
			goto usage;
	}
	if (*user)
		return 0;
usage:
	command_usage(stderr, find_command(argv[0]));
	return -1;
}

/* The first line of standard input, without its line end, into buf
 * (size bytes); 0 or -1. */
static int password_from_stdin(char *buf, size_t size)
{
	if (fgets(buf, (int)size, stdin) == NULL)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/* Sets the one-time password (given or generated) inside the open
 * transaction and prints it; the caller commits. */
static int onetime_finish(struct db *db, unsigned long long uid, const char *action,
                          const char *user, int from_stdin)
{
	char given[256] = "", out[PW_GENERATED_MAX] = "";
	struct buf d = { 0 };
	int ret = EXIT_FAILED;
	if (from_stdin && password_from_stdin(given, sizeof given) < 0) {
		fprintf(stderr, PROG ": %s: no password on standard input\n", action);
		db_rollback(db);
		return EXIT_REJECTED;
	}
	buf_puts(&d, "cli operator=");
	put_sanitized(&d, operator_name(), 64);
	buf_puts(&d, " user=");
	put_sanitized(&d, user, 64);
	buf_puts(&d, from_stdin ? " password=stdin" : " password=generated");
	enum pw_result res = password_set_onetime_tx(db, 0, "", uid, action, d.data,
	                                             from_stdin ? given : NULL, out);
	explicit_bzero(given, sizeof given);
	buf_free(&d);
	if (res != PW_OK) {
		db_rollback(db);
		if (res == PW_BUSY) {
			fprintf(stderr, PROG ": %s: database error\n", action);
			return EXIT_FAILED;
		}
		fprintf(stderr, PROG ": %s: the password is not acceptable: %s\n", action, pw_message(res));
		return EXIT_REJECTED;
	}
	if (db_commit(db) < 0) {
		db_rollback(db);
		fprintf(stderr, PROG ": %s: database error\n", action);
	} else {
		if (!from_stdin)
			printf("password: %s\n", out);
		ret = EXIT_DONE;
	}
	explicit_bzero(out, sizeof out);
	return ret;
}

static int cmd_create_admin(struct ctx *x, int argc, char **argv)
{
	const char *user, *why;
	int from_stdin;
	unsigned long long uid = 0;
	struct db *db;
	if (onetime_args(argc, argv, &user, &from_stdin) < 0)
		return EXIT_FAILED;
	if ((why = check_username(user)) != NULL) {
		fprintf(stderr, PROG ": create-admin: %s\n", why);
		return EXIT_REJECTED;
	}
	if ((db = ctx_db(x)) == NULL)
		return EXIT_FAILED;
	if (db_begin(db) < 0)
		return EXIT_FAILED;
	if (db_exec(db, STMT_USER_INSERT_ONETIME,
	            DB_ARGS(A_STR(user), A_STR("admin"), A_NULL, A_STR(""), A_STR("")),
	            NULL, &uid) < 0) {
		int dup = db_errno(db) == 1062;
		db_rollback(db);
		if (dup) {
			fprintf(stderr, PROG ": create-admin: the username %s exists already (用户名已存在)\n", user);
			return EXIT_REJECTED;
		}
		fprintf(stderr, PROG ": create-admin: database error\n");
		return EXIT_FAILED;
	}
	return onetime_finish(db, uid, "create-admin", user, from_stdin);
}

static int cmd_reset_password(struct ctx *x, int argc, char **argv)
{
	const char *user;
	int from_stdin;
	char *id = NULL;
	struct db *db;
	if (onetime_args(argc, argv, &user, &from_stdin) < 0)
		return EXIT_FAILED;
	if ((db = ctx_db(x)) == NULL)
		return EXIT_FAILED;
	if (db_begin(db) < 0)
		return EXIT_FAILED;
	if (db_query_str(db, STMT_USER_ID_BY_NAME, DB_ARGS(A_STR(user)), &id) < 0) {
		db_rollback(db);
		fprintf(stderr, PROG ": reset-password: database error\n");
		return EXIT_FAILED;
	}
	if (id == NULL) {
		db_rollback(db);
		fprintf(stderr, PROG ": reset-password: no user %s (用户不存在)\n", user);
		return EXIT_REJECTED;
	}
	unsigned long long uid = strtoull(id, NULL, 10);
	free(id);
	return onetime_finish(db, uid, "password-reset", user, from_stdin);
}

/* ================================================================ */

/* ================================================================
 * check, purge (operations)
 * ================================================================ */

static int check_line(int ok, const char *what, const char *detail)
{
	printf("%-5s %s%s%s\n", ok ? "ok" : "FAIL", what, *detail ? ": " : "", detail);
	return ok ? 0 : 1;
}

/* Writable for user: as its owner, its group or anybody (no ACLs here). */
static int dir_writable_by(const char *dir, const struct passwd *pw, char *why, size_t n)
{
	struct stat st;
	if (stat(dir, &st) < 0) {
		snprintf(why, n, "%s: %s", dir, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, n, "%s is not a folder", dir);
		return 0;
	}
	if ((st.st_uid == pw->pw_uid && (st.st_mode & S_IWUSR) && (st.st_mode & S_IXUSR)) ||
	    (st.st_gid == pw->pw_gid && (st.st_mode & S_IWGRP) && (st.st_mode & S_IXGRP)) ||
	    ((st.st_mode & S_IWOTH) && (st.st_mode & S_IXOTH))) {
		snprintf(why, n, "%s (owner %u, mode %04o)", dir, (unsigned)st.st_uid,
		         (unsigned)(st.st_mode & 07777));
		return 1;
	}
	snprintf(why, n, "%s is not writable by %s (owner %u, mode %04o)", dir, pw->pw_name,
	         (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
	return 0;
}

static int check_deadline(const char *key, const char *value)
{
	char msg[160];
	if (!value || !*value)
		return check_line(0, key, "not set: the questionnaires would never close; set this round's deadline");
	if (deadline_passed(value)) {
		snprintf(msg, sizeof msg, "%s has passed: every save would be refused", value);
		return check_line(0, key, msg);
	}
	return check_line(1, key, value);
}

static int cmd_check(struct ctx *x, int argc, char **argv)
{
	const char *user = "smesurvey";
	const struct passwd *pw;
	struct db *db;
	char *version = NULL, why[512];
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--user") == 0 && i + 1 < argc) {
			user = argv[++i];
		} else {
			fprintf(stderr, PROG ": check: unknown argument '%s'\n", argv[i]);
			return EXIT_FAILED;
		}
	}
	if (!(db = ctx_db(x))) {
		check_line(0, "configuration and database", "see the message above");
		return EXIT_REJECTED;
	}
	bad += check_line(1, "configuration", x->conf_path ? x->conf_path :
	                  getenv("SMESURVEY_CONF") ? getenv("SMESURVEY_CONF") : "/etc/smesurvey/smesurvey.conf");
	snprintf(why, sizeof why, "%s (deadlines are compared in this zone, whatever the host's)",
	         x->conf.time_zone && *x->conf.time_zone ? x->conf.time_zone : "the host's local zone");
	bad += check_line(x->conf.time_zone && *x->conf.time_zone, "time zone", why);
	if (db_query_str(db, STMT_SCHEMA_VERSION, DB_NOARGS, &version) < 0) {
		bad += check_line(0, "database", "no answer (see the message above)");
	} else {
		/* Migration names sort in order (NNN_): the database must have at
		 * least the newest one these programs were built with. */
		int cmp = version ? strcmp(version, SMESURVEY_SCHEMA) : -1;
		snprintf(why, sizeof why, "%s, expected %s%s", version ? version : "none", SMESURVEY_SCHEMA,
		         cmp > 0 ? " (newer migrations applied)" :
		         cmp < 0 ? ": run smesurvey-setup migrate" : "");
		bad += check_line(cmp >= 0, "database schema", why);
	}
	free(version);
	{
		/* Only meaningful once the schema has agg_meta (010). */
		int stale = aggr_stale(db);
		bad += check_line(stale == 0, "aggregates",
		                  stale < 0 ? "cannot be read (run smesurvey-setup migrate)" :
		                  stale ? "computed with another codebook or indicator set: run "
		                          "smesurvey-admin rebuild-aggregates" :
		                          "computed with these programs' codebook and indicators");
	}
	if (!(pw = getpwnam(user))) {
		snprintf(why, sizeof why, "no user %s (--user NAME)", user);
		bad += check_line(0, "upload folder", why);
	} else {
		int ok = dir_writable_by(x->conf.upload_dir, pw, why, sizeof why);
		bad += check_line(ok, "upload folder", why);
	}
	bad += check_deadline("deadline_survey", x->conf.deadline_survey);
	bad += check_deadline("deadline_selfeval", x->conf.deadline_selfeval);
	printf("%s\n", bad ? "some checks failed" : "all checks passed");
	return bad ? EXIT_REJECTED : EXIT_DONE;
}

/* Names of stored uploads: 64 lower-case hex digits (form_store_upload). */
static int is_upload_name(const char *s)
{
	size_t n = strlen(s);
	return n == 64 && strspn(s, "0123456789abcdef") == n;
}

/* Deletes upload files no answer refers to, older than a day. */
static int purge_uploads(struct db *db, const char *dir, int dry, long *count)
{
	struct dbrows *refs;
	DIR *d;
	struct dirent *e;
	time_t now = time(NULL);

	*count = 0;
	if (db_query(db, STMT_UPLOADS_REFERENCED, DB_NOARGS, &refs) < 0)
		return -1;
	if (!(d = opendir(dir))) {
		fprintf(stderr, PROG ": purge: %s: %s\n", dir, strerror(errno));
		dbrows_free(refs);
		return -1;
	}
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		int used = 0;
		if (!is_upload_name(e->d_name))
			continue;
		for (size_t i = 0; i < refs->nrows && !used; i++)
			used = dbrows_get(refs, i, 0) && strcmp(dbrows_get(refs, i, 0), e->d_name) == 0;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		/* A day's grace: a file stored by a save whose answers are not
		 * committed yet is unreferenced for a moment. */
		if (used || lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || now - st.st_mtime < 86400)
			continue;
		if (!dry && unlink(path) < 0) {
			fprintf(stderr, PROG ": purge: %s: %s\n", path, strerror(errno));
			continue;
		}
		(*count)++;
	}
	closedir(d);
	dbrows_free(refs);
	return 0;
}

/* Every paradata row (issue 20), in one transaction: counts into n[3]. */
static int purge_paradata(struct db *db, unsigned long long n[3])
{
	if (db_begin(db) < 0)
		return -1;
	if (db_exec(db, STMT_PARADATA_PURGE, DB_NOARGS, &n[0], NULL) < 0 ||
	    db_exec(db, STMT_REG_PARADATA_PURGE, DB_NOARGS, &n[1], NULL) < 0 ||
	    db_exec(db, STMT_DEVICE_ACCOUNTS_PURGE, DB_NOARGS, &n[2], NULL) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

static int cmd_purge(struct ctx *x, int argc, char **argv)
{
	struct db *db;
	unsigned long long sessions = 0, logins = 0, codes = 0;
	long files = 0;
	int dry = 0, paradata = 0;
	unsigned long long pd[3] = { 0, 0, 0 };
	struct buf d = { 0 };

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0) {
			dry = 1;
		} else if (strcmp(argv[i], "--paradata") == 0) {
			paradata = 1;
		} else {
			fprintf(stderr, PROG ": purge: unknown argument '%s'\n", argv[i]);
			return EXIT_FAILED;
		}
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	if (!dry) {
		if (db_exec(db, STMT_SESSIONS_PURGE,
		            DB_ARGS(A_INT(x->conf.session_idle_min), A_INT(x->conf.session_abs_min)),
		            &sessions, NULL) < 0 ||
		    db_exec(db, STMT_LOGIN_FAILURES_PURGE, DB_NOARGS, &logins, NULL) < 0 ||
		    db_exec(db, STMT_CODE_FAILURES_PURGE, DB_NOARGS, &codes, NULL) < 0 ||
		    (paradata && purge_paradata(db, pd) < 0))
			return EXIT_FAILED;
	}
	if (purge_uploads(db, x->conf.upload_dir, dry, &files) < 0)
		return EXIT_FAILED;
	buf_printf(&d, "sessions=%llu login_failures=%llu code_failures=%llu uploads=%ld",
	           sessions, logins, codes, files);
	if (paradata)
		buf_printf(&d, " paradata=%llu reg_paradata=%llu device_accounts=%llu", pd[0], pd[1], pd[2]);
	buf_puts(&d, dry ? " (dry run)" : "");
	printf("purged: %s\n", d.data);
	if (!dry && cli_audit(db, "purge", d.data) < 0) {
		buf_free(&d);
		return EXIT_FAILED;
	}
	buf_free(&d);
	return EXIT_DONE;
}

static int cmd_rebuild_aggregates(struct ctx *x, int argc, char **argv)
{
	struct db *db;
	long long counted = 0;
	char detail[64];
	int if_stale = argc == 2 && !strcmp(argv[1], "--if-stale");

	if (argc != 1 && !if_stale) {
		fprintf(stderr, PROG ": rebuild-aggregates takes only --if-stale\n");
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	if (if_stale) {
		int stale = aggr_stale(db);
		if (stale < 0)
			return EXIT_FAILED;
		if (!stale) {
			printf("aggregates are current\n");
			return EXIT_DONE;
		}
	}
	/* One transaction: the tables, emptied and filled, and the audit row. */
	if (db_begin(db) < 0)
		return EXIT_FAILED;
	snprintf(detail, sizeof detail, "submitted responses counted=%lld", counted);
	if (aggr_rebuild(db, &counted) < 0 ||
	    (snprintf(detail, sizeof detail, "submitted responses counted=%lld", counted),
	     cli_audit(db, "aggregates-rebuild", detail) < 0) || db_commit(db) < 0) {
		db_rollback(db);
		fprintf(stderr, PROG ": rebuild-aggregates failed; nothing changed\n");
		return EXIT_FAILED;
	}
	printf("aggregates rebuilt: %s\n", detail);
	return EXIT_DONE;
}

static int cmd_rebuild_flags(struct ctx *x, int argc, char **argv)
{
	struct db *db;
	long long n = 0;
	char detail[64];
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, PROG ": rebuild-flags takes no arguments\n");
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	if (flags_rebuild(db, &n) < 0) {
		fprintf(stderr, PROG ": rebuild-flags failed; nothing changed\n");
		return EXIT_FAILED;
	}
	snprintf(detail, sizeof detail, "submitted responses checked=%lld", n);
	if (cli_audit(db, "flags-rebuild", detail) < 0)
		return EXIT_FAILED;
	printf("flags rebuilt: %s\n", detail);
	return EXIT_DONE;
}

static int cmd_dump_aggregates(struct ctx *x, int argc, char **argv)
{
	static const struct { const char *name; enum stmt q; } tables[] = {
		{ "agg_progress", STMT_AGGR_DUMP_PROGRESS }, { "agg_quota", STMT_AGGR_DUMP_QUOTA },
		{ "agg_counted", STMT_AGGR_DUMP_COUNTED }, { "agg_fields", STMT_AGGR_DUMP_FIELDS },
		{ "agg_values", STMT_AGGR_DUMP_VALUES }, { "agg_ind", STMT_AGGR_DUMP_IND },
	};
	struct db *db;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, PROG ": dump-aggregates takes no arguments\n");
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		struct dbrows *rows;
		if (db_query(db, tables[t].q, DB_NOARGS, &rows) < 0)
			return EXIT_FAILED;
		for (size_t i = 0; i < rows->nrows; i++) {
			printf("%s", tables[t].name);
			for (size_t c = 0; c < rows->ncols; c++)
				printf("\t%s", dbrows_get(rows, i, c) ? dbrows_get(rows, i, c) : "NULL");
			printf("\n");
		}
		dbrows_free(rows);
	}
	return EXIT_DONE;
}

int main(int argc, char **argv)
{
	struct ctx x = {0};
	const struct command *cmd;
	int i = 1, ret;

	log_init(PROG);
	{
		char err[256];
		/* The aggregates (reset-sample, rebuild-aggregates) read answers
		 * through the codebook and the indicators. */
		if (catalog_load(err, sizeof err) < 0 || forms_load(err, sizeof err) < 0 ||
		    indicators_load(err, sizeof err) < 0 || flag_rules_load(err, sizeof err) < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			return EXIT_FAILED;
		}
	}
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--conf") == 0 && i + 1 < argc) {
			x.conf_path = argv[++i];
		} else if (strncmp(argv[i], "--conf=", 7) == 0 && argv[i][7]) {
			x.conf_path = argv[i] + 7;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return EXIT_DONE;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf(PROG " %s\n", SMESURVEY_VERSION);
			return EXIT_DONE;
		} else {
			fprintf(stderr, PROG ": unknown option '%s'\n", argv[i]);
			usage(stderr);
			return EXIT_FAILED;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_FAILED;
	}
	cmd = find_command(argv[i]);
	if (!cmd) {
		fprintf(stderr, PROG ": unknown command '%s'\n", argv[i]);
		usage(stderr);
		return EXIT_FAILED;
	}
	for (int k = i + 1; k < argc && strcmp(argv[k], "--") != 0; k++) {
		if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
			command_usage(stdout, cmd);
			return EXIT_DONE;
		}
	}

	ret = cmd->run(&x, argc - i, argv + i);
	if (x.db)
		db_close(x.db);
	if (x.conf_loaded)
		conf_free(&x.conf);
	return ret;
}

/* ================================================================
 * redraw
 * ================================================================ */

static int cmd_redraw(struct ctx *x, int argc, char **argv)
{
	struct buf out = { 0 };
	struct db *db;
	int rc;

	if (argc != 3 || (strcmp(argv[2], "resource") != 0 && strcmp(argv[2], "sme") != 0)) {
		command_usage(stderr, find_command("redraw"));
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	rc = sample_verify(db, argv[1], argv[2], &out);
	fputs(out.data ? out.data : "", rc < 0 ? stderr : stdout);
	buf_free(&out);
	if (rc < 0) {
		fprintf(stderr, PROG ": redraw: database error\n");
		return EXIT_FAILED;
	}
	puts(rc == 0 ? "verified" : "NOT verified");
	return rc == 0 ? EXIT_DONE : EXIT_REJECTED;
}
