/*
 * admin/import_regions.c - import-regions: the regions of the evaluation
 * (code per GB/T 2260, name, help-line phone) from a CSV file the ministry
 * keeps (issue 23 item 7). A re-import updates names and phones; regions
 * not in the file are left as they are. All rows or none; each created or
 * changed region is audited (region-import).
 */
#include "csv.h"
#include "db.h"
#include "util.h"
#include "valid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "admin.h"

#define REGIONS_MAX      200     /* rows of the file */
#define REGION_NAME_MAX  64      /* characters (regions.name) */

enum { RC_CODE, RC_NAME, RC_PHONE, RC_NCOLS };

/* Heading names of each column, English and Chinese, case-insensitive. */
static const char *const col_names[RC_NCOLS][6] = {
	[RC_CODE]  = { "code", "region_code", "代码", "地区代码", "行政区划代码", NULL },
	[RC_NAME]  = { "name", "region_name", "名称", "地区", "地区名称", NULL },
	[RC_PHONE] = { "help_phone", "phone", "咨询电话", "联系电话", "电话", NULL },
};

struct region_row {
	unsigned long line;
	char         *f[RC_NCOLS];    /* trimmed; phone "" = keep the stored one */
};

struct regions {
	struct region_row rows[REGIONS_MAX];
	size_t            n;
	int               bad;        /* rows rejected (listed on stderr) */
};

/* GB/T 2260: six digits whose first two name a province-level division
 * (66: the Xinjiang Production and Construction Corps, as the ministry's
 * lists write it). */
static int region_code_ok(const char *c)
{
	static const char *const prov = "11121314152122233132333435363741424344454650515253546162636465667181" "82";
	if (strlen(c) != 6 || strspn(c, "0123456789") != 6)
		return 0;
	for (const char *p = prov; *p; p += 2)
		if (p[0] == c[0] && p[1] == c[1])
			return 1;
	return 0;
}

static int column_of(const char *heading)
{
	for (int k = 0; k < RC_NCOLS; k++)
		for (int i = 0; col_names[k][i]; i++)
			if (strcasecmp(heading, col_names[k][i]) == 0)
				return k;
	return -1;
}

static char *trim_dup(const char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	return xstrndup(s, n);
}

/* One data row's checks; 1 when fine (else reported on stderr). */
static int row_ok(const char *path, const struct regions *rs, const struct region_row *r)
{
	const char *why = NULL;
	if (!region_code_ok(r->f[RC_CODE]))
		why = "code must be a GB/T 2260 code of six digits (地区代码应为 6 位行政区划代码)";
	else if (!r->f[RC_NAME][0] || has_control(r->f[RC_NAME]) || utf8_len(r->f[RC_NAME]) > REGION_NAME_MAX)
		why = "name must be 1 to 64 characters (地区名称应为 1 到 64 个字)";
	else if (r->f[RC_PHONE][0] && !phone_valid(r->f[RC_PHONE]))
		why = "help_phone: " PHONE_RULE_TEXT " (咨询电话格式不正确)";
	for (size_t i = 0; !why && i < rs->n; i++)
		if (strcmp(rs->rows[i].f[RC_CODE], r->f[RC_CODE]) == 0)
			why = "the code is already in an earlier line (地区代码重复)";
	if (why)
		fprintf(stderr, PROG ": %s: line %lu: %s\n", path, r->line, why);
	return why == NULL;
}

/* The heading line: the column index of each field (-1 absent). 0 or -1. */
static int read_heading(const char *path, const struct csv_row *row, int idx[RC_NCOLS])
{
	for (int k = 0; k < RC_NCOLS; k++)
		idx[k] = -1;
	for (size_t i = 0; i < row->nfields; i++) {
		char *h = trim_dup(row->fields[i]);
		int k = column_of(h);
		if (k < 0 && h[0])
			fprintf(stderr, PROG ": %s: unknown column '%s' (expected code, name, help_phone)\n", path, h);
		free(h);
		if (k < 0 || idx[k] >= 0)
			return -1;
		idx[k] = (int)i;
	}
	if (idx[RC_CODE] < 0 || idx[RC_NAME] < 0) {
		fprintf(stderr, PROG ": %s: the header needs the columns code and name (标题行缺少必需的列)\n", path);
		return -1;
	}
	return 0;
}

/* Reads and checks the file into rs. EXIT_DONE, or the exit status. */
static int regions_read(const char *path, struct regions *rs)
{
	char err[512], *raw = NULL, *text = NULL;
	size_t rawn = 0, textn = 0;
	const char *charset;
	int idx[RC_NCOLS], rc, ret = EXIT_FAILED;
	struct csv c;
	struct csv_row row = { 0 };
	const struct csv_limits lim = { 1024 * 1024, 16, 256, REGIONS_MAX + 1 };

	if (file_read_bounded(path, 1024 * 1024, &raw, &rawn, err, sizeof err) < 0 ||
	    text_to_utf8(raw, rawn, &text, &textn, &charset) < 0) {
		fprintf(stderr, PROG ": %s: %s\n", path, raw ? "neither UTF-8 nor GB18030 (文件编码无法识别)" : err);
		goto out;
	}
	csv_init(&c, text, textn, &lim);
	if (csv_next(&c, &row) <= 0 || read_heading(path, &row, idx) < 0)
		goto out;
	while ((rc = csv_next(&c, &row)) > 0) {
		struct region_row *r = &rs->rows[rs->n];
		r->line = row.line;
		for (int k = 0; k < RC_NCOLS; k++)
			r->f[k] = trim_dup(idx[k] >= 0 && (size_t)idx[k] < row.nfields ? row.fields[idx[k]] : "");
		int blank = !r->f[RC_CODE][0] && !r->f[RC_NAME][0] && !r->f[RC_PHONE][0];
		if (!blank && row_ok(path, rs, r)) {
			rs->n++;
			continue;
		}
		rs->bad += !blank;
		for (int k = 0; k < RC_NCOLS; k++)
			free(r->f[k]);
	}
	if (rc < 0)
		fprintf(stderr, PROG ": %s: %s\n", path, c.err);
	else
		ret = rs->bad ? EXIT_REJECTED : EXIT_DONE;
out:
	csv_row_free(&row);
	free(raw);
	free(text);
	return ret;
}

static void regions_free(struct regions *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		for (int k = 0; k < RC_NCOLS; k++)
			free(rs->rows[i].f[k]);
}

/* Creates or updates one region, with its audit row. *what: "created",
 * "updated" or "unchanged". 0 or -1. */
static int region_write(struct db *db, const struct region_row *r, const char **what)
{
	struct dbrows *old;
	if (db_query(db, STMT_REGION_CONTACT, DB_ARGS(A_STR(r->f[RC_CODE])), &old) < 0)
		return -1;
	const char *oname = old->nrows ? dbrows_get(old, 0, 0) : NULL, *ophone = old->nrows ? dbrows_get(old, 0, 1) : "";
	const char *phone = r->f[RC_PHONE][0] ? r->f[RC_PHONE] : ophone;
	int rc = 0;
	*what = !oname ? "created" : strcmp(oname, r->f[RC_NAME]) || strcmp(ophone, phone) ? "updated" : "unchanged";
	if (strcmp(*what, "unchanged") != 0) {
		struct buf d = { 0 };
		buf_printf(&d, "region=%s name=%s help_phone=%s %s", r->f[RC_CODE], r->f[RC_NAME], phone, *what);
		if (oname)
			buf_printf(&d, " was name=%s help_phone=%s", oname, ophone);
		rc = db_exec(db, STMT_REGION_UPSERT, DB_ARGS(A_STR(r->f[RC_CODE]), A_STR(r->f[RC_NAME]), A_STR(phone)),
		             NULL, NULL) < 0 || cli_audit(db, "region-import", d.data) < 0 ? -1 : 0;
		buf_free(&d);
	}
	dbrows_free(old);
	return rc;
}

/* The rows on their way into the database, and what became of them. */
struct regions_tx {
	const struct regions *rs;
	int                   dry_run;
	size_t                n[3];          /* created, updated, unchanged */
};

static const char *const whats[3] = { "created", "updated", "unchanged" };

/* Every row; a dry run rolls back (1). Counted afresh on each attempt. */
static int regions_body(struct db *db, void *ctx, int attempt)
{
	struct regions_tx *x = ctx;
	(void)attempt;
	memset(x->n, 0, sizeof x->n);
	for (size_t i = 0; i < x->rs->n; i++) {
		const char *what;
		if (region_write(db, &x->rs->rows[i], &what) < 0)
			return -1;
		for (int k = 0; k < 3; k++)
			x->n[k] += strcmp(what, whats[k]) == 0;
	}
	return x->dry_run ? 1 : 0;
}

/* All rows in one transaction; a summary printed. EXIT_DONE or EXIT_FAILED. */
static int regions_write(struct db *db, const struct regions *rs, int dry_run)
{
	struct regions_tx x = { rs, dry_run, { 0 } };
	int rc = db_transaction(db, regions_body, &x);
	if (rc < 0) {
		fprintf(stderr, PROG ": import-regions: database error: nothing written\n");
		return EXIT_FAILED;
	}
	printf("%zu region%s: %zu created, %zu updated, %zu unchanged%s\n", rs->n, rs->n == 1 ? "" : "s",
	       x.n[0], x.n[1], x.n[2], dry_run ? " (dry run: nothing written / 试运行，未写入)" : " (已导入)");
	return EXIT_DONE;
}

int cmd_import_regions(struct ctx *x, int argc, char **argv)
{
	int dry_run = argc == 3 && strcmp(argv[1], "--dry-run") == 0;
	const char *path = argc == 2 ? argv[1] : dry_run ? argv[2] : NULL;
	struct regions *rs;
	struct db *db;
	int ret;

	if (!path || path[0] == '-') {
		command_usage(stderr, find_command("import-regions"));
		return EXIT_FAILED;
	}
	rs = xcalloc(1, sizeof *rs);
	ret = regions_read(path, rs);
	if (ret == EXIT_REJECTED)
		fprintf(stderr, PROG ": import-regions: %d line%s rejected: nothing written (有错误，未导入)\n", rs->bad,
		        rs->bad == 1 ? "" : "s");
	else if (ret == EXIT_DONE)
		ret = (db = ctx_db(x)) ? regions_write(db, rs, dry_run) : EXIT_FAILED;
	regions_free(rs);
	free(rs);
	return ret;
}
