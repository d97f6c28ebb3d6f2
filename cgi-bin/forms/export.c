/*
 * export.c - wide exports (CSV, GB18030 CSV, XLSX) and the codebook CSV.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "csv.h"
#include "db.h"
#include "export.h"
#include "form.h"
#include "log.h"
#include "util.h"

/* Leading columns, before the codebook's. The account's organisation is
 * "account_org_name" because hub and window have a codebook field org_name,
 * and a duplicate column name breaks statistics packages. */
static const char *const lead_cols[] = {
	"response_id", "region_code", "region_name", "username", "account_org_name",
	"status", "proxy", "submitted_at",
};
#define NLEAD (sizeof lead_cols / sizeof lead_cols[0])

/* Largest export file read back from disk (XLSX). */
#define EXPORT_MAX_FILE (512L * 1024 * 1024)
/* Characters in one XLSX cell (Excel's limit). */
#define XLSX_STR_MAX 32767

/* ------------------------------------------------------------------ */
/* Cells                                                               */

/* Appends a copy of v ("" for NULL), keeping strv's growth contract. */
static void strv_add(struct strv *s, const char *v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = xstrdup(v ? v : "");
}

/* ------------------------------------------------------------------ */
/* Code -> field index, sorted once per export (bsearch per answer).    */

struct code_ix {
	const char *code;
	size_t      i;
};

static int code_ix_cmp(const void *a, const void *b)
{
	return strcmp(((const struct code_ix *)a)->code, ((const struct code_ix *)b)->code);
}

static struct code_ix *code_index(const struct form *f)
{
	struct code_ix *ix = xcalloc(f->nfields ? f->nfields : 1, sizeof *ix);
	for (size_t i = 0; i < f->nfields; i++) {
		ix[i].code = f->fields[i].code;
		ix[i].i = i;
	}
	qsort(ix, f->nfields, sizeof *ix, code_ix_cmp);
	return ix;
}

static int code_lookup(const struct code_ix *ix, size_t n, const char *code)
{
	struct code_ix key = { code, 0 };
	const struct code_ix *hit = bsearch(&key, ix, n, sizeof *ix, code_ix_cmp);
	return hit ? (int)hit->i : -1;
}

/* ------------------------------------------------------------------ */
/* Sinks: CSV into a buffer, or one XLSX worksheet.                    */

struct sink {
	enum export_format fmt;
	struct buf        *csv;
	lxw_workbook      *wb;
	lxw_worksheet     *ws;
	unsigned char     *numeric;   /* per column: write as a number in XLSX */
	lxw_row_t          row;
	int                failed;
};

static void xlsx_string(struct sink *s, lxw_col_t c, const char *v)
{
	lxw_error e = worksheet_write_string(s->ws, s->row, c, v, NULL);
	if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
		/* A cell holds at most 32767 characters: cut on a UTF-8 boundary. */
		size_t n = XLSX_STR_MAX;
		char *cut;
		while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
			n--;
		cut = xstrndup(v, n);
		e = worksheet_write_string(s->ws, s->row, c, cut, NULL);
		free(cut);
	}
	if (e != LXW_NO_ERROR && !s->failed) {
		log_err("export: xlsx cell (%u,%u): %s", (unsigned)s->row, (unsigned)c,
		        lxw_strerror(e));
		s->failed = 1;
	}
}

static void sink_row(struct sink *s, const char *const *cells, size_t n, int header)
{
	if (s->fmt != EXPORT_XLSX) {
		csv_put_row(s->csv, cells, n, CSV_QUOTE_MINIMAL);
		return;
	}
	for (size_t c = 0; c < n; c++) {
		const char *v = cells[c] ? cells[c] : "";
		if (!*v)
			continue;
		if (!header && s->numeric[c] && csv_is_number(v))
			worksheet_write_number(s->ws, s->row, (lxw_col_t)c, strtod(v, NULL), NULL);
		else
			xlsx_string(s, (lxw_col_t)c, v);
	}
	s->row++;
}

/* Which columns are numbers, following form_export_columns()'s layout. */
static unsigned char *numeric_columns(const struct form *f, size_t ncols)
{
	unsigned char *num = xcalloc(ncols, 1);
	size_t c = NLEAD;
	num[0] = 1;   /* response_id */
	num[6] = 1;   /* proxy */
	for (size_t i = 0; i < f->nfields && c < ncols; i++) {
		const struct field *fd = &f->fields[i];
		if (fd->type == FT_MULTI || fd->type == FT_RANK) {
			for (size_t k = 0; k < fd->nopts && c < ncols; k++)
				num[c++] = 1;
		} else {
			num[c++] = fd->type == FT_INT || fd->type == FT_DECIMAL ||
			           fd->type == FT_PERCENT;
		}
	}
	return num;
}

/* ------------------------------------------------------------------ */
/* GB18030                                                             */

static int to_gb18030(const struct buf *in, struct buf *out)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	char *ip, *op;
	size_t il, ol, cap;

	if (cd == (iconv_t)-1) {
		log_err("export: iconv_open GB18030: %s", strerror(errno));
		return -1;
	}
	/* GB18030 needs at most 4 bytes per code point, UTF-8 at least 1. */
	cap = in->len * 2 + 16;
	buf_reset(out);
	out->data = xrealloc(out->data, cap);
	out->cap = cap;
	ip = in->data ? in->data : (char *)"";
	il = in->len;
	op = out->data;
	ol = cap - 1;
	while (il > 0) {
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
			if (errno == E2BIG) {
				size_t used = (size_t)(op - out->data);
				cap *= 2;
				out->data = xrealloc(out->data, cap);
				out->cap = cap;
				op = out->data + used;
				ol = cap - used - 1;
				continue;
			}
			log_err("export: GB18030 conversion: %s", strerror(errno));
			iconv_close(cd);
			return -1;
		}
	}
	out->len = (size_t)(op - out->data);
	out->data[out->len] = 0;
	iconv_close(cd);
	return 0;
}

/* ------------------------------------------------------------------ */
/* XLSX                                                                */

static int xlsx_open(struct sink *s, const struct form *f, const char *tmpdir, char *path,
                     size_t pathsz)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE };
	int fd;

	if (!tmpdir || !*tmpdir)
		tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if ((size_t)snprintf(path, pathsz, "%s/smesurvey-export-XXXXXX", tmpdir) >= pathsz)
		return -1;
	/* mkstemp reserves a unique name; the library then rewrites the file. */
	fd = mkstemp(path);
	if (fd < 0) {
		log_err("export: mkstemp in %s: %s", tmpdir, strerror(errno));
		return -1;
	}
	close(fd);
	opt.tmpdir = (char *)tmpdir;
	s->wb = workbook_new_opt(path, &opt);
	if (!s->wb) {
		unlink(path);
		return -1;
	}
	s->ws = workbook_add_worksheet(s->wb, f->name);
	if (!s->ws) {
		workbook_close(s->wb);
		s->wb = NULL;
		unlink(path);
		return -1;
	}
	return 0;
}

static int xlsx_finish(struct sink *s, const char *path, struct buf *out)
{
	lxw_error e = workbook_close(s->wb);
	char *data = NULL, err[256];
	size_t n = 0;
	int rc = -1;

	s->wb = NULL;
	if (e != LXW_NO_ERROR) {
		log_err("export: xlsx: %s", lxw_strerror(e));
	} else if (file_read_bounded(path, EXPORT_MAX_FILE, &data, &n, err, sizeof err) < 0) {
		log_err("export: %s", err);
	} else {
		buf_reset(out);
		buf_put(out, data, n);
		free(data);
		rc = 0;
	}
	unlink(path);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Responses                                                           */

int export_responses(struct db *db, const struct form *f, const struct export_filter *flt,
                     enum export_format fmt, const char *tmpdir, struct buf *out,
                     size_t *nrows)
{
	struct dbrows *meta = NULL, *ans = NULL;
	struct strv cols = { 0 };
	struct sink s = { .fmt = fmt };
	struct buf utf8;
	struct code_ix *ix = NULL;
	char path[4096];
	size_t ncols, a = 0;
	int rc = -1;

	*nrows = 0;
	buf_init(&utf8);
	/* One snapshot for both reads, so rows and answers agree. */
	if (db_begin(db) < 0)
		return -1;
	if (db_query(db, STMT_EXPORT_RESPONSES,
	    DB_ARGS(A_STR(f->name), A_STR(flt->region), A_STR(flt->region),
	            A_STR(flt->status), A_STR(flt->status)), &meta) < 0 ||
	    db_query(db, STMT_EXPORT_ANSWERS,
	    DB_ARGS(A_STR(f->name), A_STR(flt->region), A_STR(flt->region),
	            A_STR(flt->status), A_STR(flt->status)), &ans) < 0) {
		db_rollback(db);
		goto out;
	}
	db_commit(db);

	for (size_t i = 0; i < NLEAD; i++)
		strv_add(&cols, lead_cols[i]);
	form_export_columns(f, &cols);
	ncols = cols.n;

	rc = -2;
	if (fmt == EXPORT_XLSX) {
		s.numeric = numeric_columns(f, ncols);
		if (xlsx_open(&s, f, tmpdir, path, sizeof path) < 0)
			goto out;
	} else {
		s.csv = fmt == EXPORT_CSV ? out : &utf8;
		buf_reset(s.csv);
	}
	sink_row(&s, (const char *const *)cols.v, ncols, 1);

	ix = code_index(f);
	for (size_t m = 0; m < meta->nrows; m++) {
		unsigned long long id = (unsigned long long)dbrows_int(meta, m, 0);
		struct answers av;
		struct strv row = { 0 };

		answers_init(&av, f);
		/* Both lists are ordered by response id: advance the answers. */
		while (a < ans->nrows && (unsigned long long)dbrows_int(ans, a, 0) < id)
			a++;
		for (; a < ans->nrows && (unsigned long long)dbrows_int(ans, a, 0) == id; a++) {
			int fi = code_lookup(ix, f->nfields, dbrows_get(ans, a, 1));
			if (fi >= 0)
				answers_set(&av, (size_t)fi, dbrows_get(ans, a, 2));
		}
		form_drop_inapplicable(f, &av);
		for (size_t c = 0; c < NLEAD; c++)
			strv_add(&row, dbrows_get(meta, m, c));
		form_export_row(f, &av, &row);
		sink_row(&s, (const char *const *)row.v, row.n < ncols ? row.n : ncols, 0);
		strv_free(&row);
		answers_free(&av);
		(*nrows)++;
	}

	if (fmt == EXPORT_XLSX) {
		int bad = s.failed;
		if (xlsx_finish(&s, path, out) < 0 || bad)
			goto out;
	} else if (fmt == EXPORT_CSV_GB18030) {
		if (to_gb18030(&utf8, out) < 0)
			goto out;
	}
	rc = 0;
out:
	if (s.wb) {
		workbook_close(s.wb);
		unlink(path);
	}
	free(s.numeric);
	free(ix);
	strv_free(&cols);
	buf_free(&utf8);
	if (meta)
		dbrows_free(meta);
	if (ans)
		dbrows_free(ans);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Codebook                                                            */

void export_codebook_csv(const struct form *f, struct buf *out)
{
	static const char *const head[] = {
		"code", "section", "label", "type", "options", "unit", "required", "rule",
	};
	csv_put_row(out, head, sizeof head / sizeof head[0], CSV_QUOTE_MINIMAL);
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		struct buf opts, rule;
		const char *cells[8];

		buf_init(&opts);
		buf_init(&rule);
		buf_puts(&opts, "");
		buf_puts(&rule, "");
		for (size_t k = 0; k < fd->nopts; k++)
			buf_printf(&opts, "%s%s=%s", k ? " | " : "", fd->opts[k].code, fd->opts[k].label);
		for (size_t k = 0; k < fd->nrules; k++)
			buf_printf(&rule, "%s%s", k ? "; " : "", fd->rules[k].src ? fd->rules[k].src : "");
		cells[0] = fd->code;
		cells[1] = fd->section;
		cells[2] = fd->label;
		cells[3] = ftype_name(fd->type);
		cells[4] = opts.data;
		cells[5] = fd->unit;
		cells[6] = fd->required ? "y" : "n";
		cells[7] = rule.data;
		csv_put_row(out, cells, 8, CSV_QUOTE_MINIMAL);
		buf_free(&opts);
		buf_free(&rule);
	}
}
