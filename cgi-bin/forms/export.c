/*
 * export.c - wide exports (CSV, GB18030 CSV, XLSX) and the codebook CSV.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readstat.h>
#include <xlsxwriter.h>

#include "catalog.h"
#include "csv.h"
#include "db.h"
#include "export.h"
#include "form.h"
#include "form_int.h"
#include "log.h"
#include "util.h"
#include "xlsxw.h"

/* Leading columns, before the codebook's. The account's organisation is
 * "account_org_name" because hub and window have a codebook field org_name,
 * and a duplicate column name breaks statistics packages. */
static const char *const lead_cols[] = {
	"response_id", "region_code", "region_name", "username", "account_org_name",
	"status", "proxy", "submitted_at", "in_sample", "stratum", "replaces",
};
static const char *const lead_labels[] = {
	"答卷编号", "地区代码", "地区", "用户名", "账户单位名称", "状态", "代为录入", "提交时间",
	"样本单位", "抽样层", "替补单位",
};
#define NLEAD_ALL (sizeof lead_cols / sizeof lead_cols[0])
/* The last three (sample membership) only for forms whose respondents are
 * drawn from the sample (the catalog's "sampled"). */
#define NLEAD_BASE (NLEAD_ALL - 3)
enum { COL_ID = 0, COL_PROXY = 6, COL_SUBMITTED_AT = 7, COL_IN_SAMPLE = 8, COL_REPLACES = 10 };
/* STMT_EXPORT_RESPONSES's column after the lead ones: the packed answers. */
#define COL_PACKED NLEAD_ALL

/* Responses read per chunk, and the bytes gathered before a write. */
#define EXPORT_CHUNK 500
#define EXPORT_FLUSH (64 * 1024)

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

/* *hint: where the previous lookup hit. A pack lists its answers in the
 * byte order of their codes (STMT_RESPONSE_PACK), the order of ix, so the
 * next code is the next entry unless answers are missing between them. */
static int code_lookup_next(const struct code_ix *ix, size_t n, const char *code, size_t *hint)
{
	size_t h = *hint + 1;
	if (h < n && strcmp(ix[h].code, code) == 0) {
		*hint = h;
		return (int)ix[h].i;
	}
	struct code_ix key = { code, 0 };
	const struct code_ix *hit = bsearch(&key, ix, n, sizeof *ix, code_ix_cmp);
	if (!hit)
		return -1;
	*hint = (size_t)(hit - ix);
	return (int)hit->i;
}


/* ------------------------------------------------------------------ */
/* Sinks: CSV into a buffer, or one XLSX worksheet.                    */

enum col_kind { CK_TEXT, CK_NUMBER, CK_DATE, CK_DATETIME };

struct sink {
	enum export_format fmt;
	struct buf        *csv;
	struct xw          xw;        /* XLSX: the workbook (core/xlsxw.h) */
	unsigned char     *kind;      /* per column: enum col_kind (XLSX) */
	lxw_row_t          row;
};

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
		if (header) {
			xw_string(&s->xw, s->row, (lxw_col_t)c, v, s->xw.bold);
		} else if (s->kind[c] == CK_NUMBER && csv_is_number(v)) {
			xw_number(&s->xw, s->row, (lxw_col_t)c, strtod(v, NULL));
		} else if (s->kind[c] == CK_DATE || s->kind[c] == CK_DATETIME) {
			/* A full date (and time) is a date cell; a partial one
			 * (YYYY-MM, YYYY) stays text, as typed. */
			lxw_datetime d = { 0 };
			int got = sscanf(v, "%d-%d-%d %d:%d:%lf", &d.year, &d.month, &d.day, &d.hour, &d.min, &d.sec);
			if (got == 3 || got == 6)
				xw_datetime(&s->xw, s->row, (lxw_col_t)c, &d, got == 3 ? s->xw.date : s->xw.datetime);
			else
				xw_string(&s->xw, s->row, (lxw_col_t)c, v, NULL);
		} else {
			xw_string(&s->xw, s->row, (lxw_col_t)c, v, NULL);
		}
	}
	s->row++;
}

/* What each column holds, following form_export_columns()'s layout: option
 * codes, multi flags, rank positions and numbers are numbers; dates dates. */
static unsigned char *column_kinds(const struct form *f, size_t nlead, size_t ncols)
{
	unsigned char *k = xcalloc(ncols, 1);
	size_t c = nlead;
	k[COL_ID] = k[COL_PROXY] = CK_NUMBER;
	k[COL_SUBMITTED_AT] = CK_DATETIME;
	if (nlead > COL_IN_SAMPLE)
		k[COL_IN_SAMPLE] = k[COL_REPLACES] = CK_NUMBER;
	for (size_t i = 0; i < f->nfields && c < ncols; i++) {
		const struct field *fd = &f->fields[i];
		if (fd->type == FT_MULTI || fd->type == FT_RANK) {
			for (size_t o = 0; o < fd->nopts && c < ncols; o++)
				k[c++] = CK_NUMBER;
		} else {
			k[c++] = fd->type == FT_INT || fd->type == FT_DECIMAL || fd->type == FT_PERCENT ||
			         fd->type == FT_SINGLE ? CK_NUMBER : fd->type == FT_DATE ? CK_DATE : CK_TEXT;
		}
	}
	return k;
}

/* ------------------------------------------------------------------ */
/* GB18030                                                             */

/* ------------------------------------------------------------------ */
/* XLSX                                                                */

/* The value labels analysts need beside the data: one row per field with
 * its code, label, type, unit and options. Written after the data sheet
 * (constant_memory mode writes each sheet's rows in order, sheet by sheet). */
static void xlsx_codebook_sheet(struct sink *s, const struct form *f)
{
	static const char *const head[] = { "code", "label", "type", "unit", "options" };
	struct xw *x = &s->xw;
	if (xw_sheet(x, "codebook") < 0)
		return;
	for (lxw_col_t c = 0; c < 5; c++)
		xw_string(x, 0, c, head[c], x->bold);
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		lxw_row_t row = (lxw_row_t)i + 1;
		struct buf opts;
		char *label = form_display_label(fd->label);
		buf_init(&opts);
		buf_puts(&opts, "");
		for (size_t k = 0; k < fd->nopts; k++)
			buf_printf(&opts, "%s%s=%s", k ? " | " : "", fd->opts[k].code, fd->opts[k].label);
		xw_string(x, row, 0, fd->code, NULL);
		xw_string(x, row, 1, label, NULL);
		xw_string(x, row, 2, ftype_name(fd->type), NULL);
		if (*fd->unit)
			xw_string(x, row, 3, fd->unit, NULL);
		if (opts.len)
			xw_string(x, row, 4, opts.data, NULL);
		buf_free(&opts);
		free(label);
	}
	worksheet_freeze_panes(x->ws, 1, 0);
}

/* Closes the workbook and sends it: 0, or -1 (nothing more sent). */
static int xlsx_finish(struct sink *s, const struct export_out *out)
{
	int rc = xw_close(&s->xw) == 0 ? xw_send(&s->xw, out->write, out->ctx) : -1;
	xw_discard(&s->xw);
	return rc;
}

/* ------------------------------------------------------------------ */
/* SPSS (.sav)                                                         */

/* Which field (and option of a multi/rank) each column shows; -1 for the
 * leading columns. Same layout as form_export_columns(). */
static void column_fields(const struct form *f, size_t nlead, size_t ncols, int *field, int *opt)
{
	size_t c = 0;
	for (; c < nlead && c < ncols; c++)
		field[c] = opt[c] = -1;
	for (size_t i = 0; i < f->nfields && c < ncols; i++) {
		const struct field *fd = &f->fields[i];
		size_t n = fd->type == FT_MULTI || fd->type == FT_RANK ? fd->nopts : 1;
		for (size_t k = 0; k < n && c < ncols; k++, c++) {
			field[c] = (int)i;
			opt[c] = n > 1 || fd->type == FT_MULTI || fd->type == FT_RANK ? (int)k : -1;
		}
	}
}

static ssize_t sav_send(const void *data, size_t len, void *ctx)
{
	const struct export_out *out = ctx;
	return out->write(out->ctx, data, len) < 0 ? -1 : (ssize_t)len;
}

/* A copy of s cut to at most max bytes on a UTF-8 boundary. */
static char *utf8_cut(const char *s, size_t max)
{
	return xstrndup(s, utf8_prefix(s, max));
}

#define SAV_STR_MAX   32767     /* SPSS's longest string */
#define SAV_LABEL_MAX 250       /* bytes of a variable label */

/* The rows of a .sav are spooled to a temporary file first, because string
 * widths must be declared before the first row: one cell is a 32-bit length
 * and its bytes, ncols cells a row. */
static int spool_row(FILE *fp, const char *const *row, size_t ncols, size_t *width)
{
	for (size_t c = 0; c < ncols; c++) {
		const char *v = row[c];
		uint32_t l = (uint32_t)strlen(v);
		if (l > width[c])
			width[c] = l > SAV_STR_MAX ? SAV_STR_MAX : l;
		if (fwrite(&l, sizeof l, 1, fp) != 1 || (l && fwrite(v, 1, l, fp) != l))
			return -1;
	}
	return 0;
}

/* Reads one spooled cell into *cell (grown as needed). */
static int unspool_cell(FILE *fp, char **cell, size_t *cap)
{
	uint32_t l;
	if (fread(&l, sizeof l, 1, fp) != 1)
		return -1;
	if ((size_t)l + 1 > *cap) {
		*cap = (size_t)l + 1;
		*cell = xrealloc(*cell, *cap);
	}
	if (l && fread(*cell, 1, l, fp) != l)
		return -1;
	(*cell)[l] = '\0';
	return 0;
}

/* SPSS keeps a date as seconds since 1582-10-14; fdate_parse() counts days
 * since 1970-01-01, which is 141,428 days later. */
#define SPSS_EPOCH_DAYS 141428.0

/* A date ("YYYY-MM-DD", or YYYY-MM / YYYY as typed: the first day of that
 * month or year) or a date-time ("YYYY-MM-DD HH:MM:SS") as an SPSS time;
 * -1 when it is neither. */
static int spss_time(const char *v, double *out)
{
	char day[11];
	fnum d;
	int h = 0, m = 0;
	double sec = 0;
	size_t n = strcspn(v, " ");
	if (n > 10)
		return -1;
	memcpy(day, v, n);
	day[n] = '\0';
	if (fdate_parse(day, &d) < 0 || (v[n] == ' ' && sscanf(v + n + 1, "%d:%d:%lf", &h, &m, &sec) != 3))
		return -1;
	*out = ((double)(d / FNUM_SCALE) + SPSS_EPOCH_DAYS) * 86400.0 + h * 3600.0 + m * 60.0 + sec;
	return 0;
}

/* A single choice that rates (its options say 满意): ordered. */
static int single_is_rating(const struct field *fd)
{
	for (size_t k = 0; k < fd->nopts; k++)
		if (strstr(fd->opts[k].label, "满意"))
			return 1;
	return 0;
}

/* The measure level SPSS shows (issue 23 item 9): scale for numbers and
 * dates, ordinal for rank positions and ratings, nominal for the rest
 * (codes, yes/no, texts, the response id). */
static readstat_measure_t sav_measure(const struct field *fd, unsigned char kind)
{
	if (kind == CK_DATE || kind == CK_DATETIME)
		return READSTAT_MEASURE_SCALE;
	if (!fd)
		return READSTAT_MEASURE_NOMINAL;
	switch (fd->type) {
	case FT_INT: case FT_DECIMAL: case FT_PERCENT:
		return READSTAT_MEASURE_SCALE;
	case FT_RANK:
		return READSTAT_MEASURE_ORDINAL;
	case FT_SINGLE:
		return single_is_rating(fd) ? READSTAT_MEASURE_ORDINAL : READSTAT_MEASURE_NOMINAL;
	default:
		return READSTAT_MEASURE_NOMINAL;
	}
}

/* A column's variable: numbers and dates as numbers (dates in SPSS's date
 * formats, issue 23 item 9), the rest as strings; its measure level. */
static readstat_variable_t *sav_variable(readstat_writer_t *w, const char *name, const struct field *fd,
                                         unsigned char kind, size_t width)
{
	readstat_variable_t *var;
	if (kind == CK_NUMBER || kind == CK_DATE || kind == CK_DATETIME)
		var = readstat_add_variable(w, name, READSTAT_TYPE_DOUBLE, 0);
	else
		var = readstat_add_variable(w, name, READSTAT_TYPE_STRING, width ? width : 1);
	if (kind == CK_DATE)
		readstat_variable_set_format(var, "DATE11");
	else if (kind == CK_DATETIME)
		readstat_variable_set_format(var, "DATETIME20");
	readstat_variable_set_measure(var, sav_measure(fd, kind));
	return var;
}

/* The .sav's variables, one per column, with their labels and value
 * labels (yes/no, chosen, a single choice's options); var[] gets them. */
static void sav_variables(readstat_writer_t *w, const struct form *f, size_t nlead, const struct strv *cols,
                          const struct strv *labels, const unsigned char *kind, const size_t *width,
                          readstat_variable_t **var)
{
	size_t ncols = cols->n;
	int *field = xcalloc(ncols, sizeof *field), *opt = xcalloc(ncols, sizeof *opt);
	readstat_label_set_t **fset = xcalloc(f->nfields ? f->nfields : 1, sizeof *fset);
	readstat_label_set_t *yesno, *chosen;

	column_fields(f, nlead, ncols, field, opt);
	yesno = readstat_add_label_set(w, READSTAT_TYPE_DOUBLE, "yesno");
	readstat_label_double_value(yesno, 0, "否");
	readstat_label_double_value(yesno, 1, "是");
	chosen = readstat_add_label_set(w, READSTAT_TYPE_DOUBLE, "chosen");
	readstat_label_double_value(chosen, 0, "未选");
	readstat_label_double_value(chosen, 1, "选中");
	for (size_t c = 0; c < ncols; c++) {
		const struct field *fd = field[c] >= 0 ? &f->fields[field[c]] : NULL;
		char *label = utf8_cut(c < labels->n ? labels->v[c] : cols->v[c], SAV_LABEL_MAX);
		var[c] = sav_variable(w, cols->v[c], fd, kind[c], width[c]);
		readstat_variable_set_label(var[c], label);
		free(label);
		if (!fd && kind[c] == CK_NUMBER && c != COL_ID) {
			readstat_variable_set_label_set(var[c], yesno);          /* proxy, in_sample, replaces */
		} else if (fd && fd->type == FT_MULTI) {
			readstat_variable_set_label_set(var[c], chosen);
		} else if (fd && fd->type == FT_SINGLE) {
			if (!fset[field[c]]) {
				char name[80];
				snprintf(name, sizeof name, "v_%s", fd->code);
				fset[field[c]] = readstat_add_label_set(w, READSTAT_TYPE_DOUBLE, name);
				for (size_t k = 0; k < fd->nopts; k++)
					readstat_label_double_value(fset[field[c]], strtod(fd->opts[k].code, NULL),
					                            fd->opts[k].label);
			}
			readstat_variable_set_label_set(var[c], fset[field[c]]);
		}
	}
	free(field);
	free(opt);
	free(fset);
}

/* One spooled row into the .sav. READSTAT_OK, another error, or
 * READSTAT_ERROR_READ when the spool is short (logged). */
static readstat_error_t sav_write_row(readstat_writer_t *w, readstat_variable_t **var, const unsigned char *kind,
                                      size_t ncols, FILE *spool, char **v, size_t *cap)
{
	readstat_error_t e = readstat_begin_row(w);
	for (size_t c = 0; c < ncols && e == READSTAT_OK; c++) {
		if (unspool_cell(spool, v, cap) < 0) {
			log_err("export: sav: the spooled rows are short");
			return READSTAT_ERROR_READ;
		}
		double t;
		if (kind[c] == CK_DATE || kind[c] == CK_DATETIME) {
			e = **v && spss_time(*v, &t) == 0 ? readstat_insert_double_value(w, var[c], t)
			                                  : readstat_insert_missing_value(w, var[c]);
		} else if (kind[c] == CK_NUMBER) {
			e = **v && csv_is_number(*v) ? readstat_insert_double_value(w, var[c], strtod(*v, NULL))
			                             : readstat_insert_missing_value(w, var[c]);
		} else {
			if (strlen(*v) > SAV_STR_MAX) {
				char *cut = utf8_cut(*v, SAV_STR_MAX);
				free(*v);
				*v = cut;
				*cap = strlen(*v) + 1;
			}
			e = readstat_insert_string_value(w, var[c], *v);
		}
	}
	return e == READSTAT_OK ? readstat_end_row(w) : e;
}

/* Writes the spooled rows (spool, nrows of ncols cells) as one .sav to out. */
static int sav_write(const struct form *f, size_t nlead, const struct strv *cols,
                     const struct strv *labels, const unsigned char *kind, const size_t *width,
                     FILE *spool, size_t nrows, const struct export_out *out)
{
	size_t ncols = cols->n, cap = 256;
	readstat_variable_t **var = xcalloc(ncols, sizeof *var);
	readstat_writer_t *w = readstat_writer_init();
	readstat_error_t e = READSTAT_OK;
	char *v = xmalloc(cap);
	int rc = -1;

	readstat_set_data_writer(w, sav_send);
	readstat_writer_set_file_label(w, f->title);
	sav_variables(w, f, nlead, cols, labels, kind, width, var);
	if (fflush(spool) != 0 || fseek(spool, 0, SEEK_SET) != 0) {
		log_err("export: sav: cannot read back the spooled rows");
		goto out;
	}
	e = readstat_begin_writing_sav(w, (void *)out, (long)nrows);
	for (size_t r = 0; r < nrows && e == READSTAT_OK; r++)
		e = sav_write_row(w, var, kind, ncols, spool, &v, &cap);
	if (e == READSTAT_OK)
		e = readstat_end_writing(w);
	if (e != READSTAT_OK)
		log_err("export: sav: %s", readstat_error_message(e));
	else
		rc = 0;
out:
	readstat_writer_free(w);
	free(v);
	free(var);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Responses, a chunk at a time                                         */

/* One export in progress. */
struct exporter {
	struct db                  *db;
	const struct form          *f;
	const struct export_filter *flt;
	const struct export_out    *out;
	int                         started;   /* out->begin called */
	struct code_ix             *ix;
	size_t                      nlead, ncols;
	/* One row's cells, reused for every row (no copy per cell): they point
	 * into the chunk's rows, the response's answers or num (multi and
	 * rank columns' numbers). */
	const char                **cells;
	char                      (*num)[FORM_CELL_NUM];
	/* The response's answers, pointing into the chunk's fetched answers
	 * (no copy per answer), reused for every row. */
	struct answers              av;
};

/* Called with every row: ncols cells, never NULL. */
typedef int (*row_fn)(struct exporter *x, const char *const *row, void *arg);

/* The answers of responses from (inclusive) in ans, merged into av. Both
 * lists are ordered by response id; *a advances through ans. */
static void merge_answers(struct exporter *x, const struct dbrows *ans, size_t *a,
                          unsigned long long id, struct answers *av)
{
	size_t hint = (size_t)-1;
	while (*a < ans->nrows && (unsigned long long)dbrows_int(ans, *a, 0) < id)
		(*a)++;
	for (; *a < ans->nrows && (unsigned long long)dbrows_int(ans, *a, 0) == id; (*a)++) {
		int fi = code_lookup_next(x->ix, x->f->nfields, dbrows_get(ans, *a, 1), &hint);
		if (fi >= 0)
			answers_set(av, (size_t)fi, dbrows_get(ans, *a, 2));
	}
}

/* The answers of a pack (sql/085: code TAB length ':' value NL, each) into
 * av, NUL-terminated in place (over the TAB and the NL), so av borrows
 * them as it borrows fetched cells. 0, or -1 when the pack is malformed. */
static int unpack_answers(struct exporter *x, char *p, size_t len, struct answers *av)
{
	char *end = p + len;
	size_t hint = (size_t)-1;
	while (p < end) {
		char *tab = memchr(p, '\t', (size_t)(end - p)), *v;
		size_t vlen = 0;
		if (!tab)
			return -1;
		*tab = '\0';
		for (v = tab + 1; v < end && *v >= '0' && *v <= '9'; v++)
			vlen = vlen * 10 + (size_t)(*v - '0');
		if (v == end || *v != ':' || vlen >= (size_t)(end - v - 1) || v[1 + vlen] != '\n')
			return -1;
		v[1 + vlen] = '\0';
		int fi = code_lookup_next(x->ix, x->f->nfields, p, &hint);
		if (fi >= 0)
			answers_set(av, (size_t)fi, v + 1);
		p = v + 2 + vlen;
	}
	return 0;
}

/* The answer rows of a chunk's responses without a pack (drafts, and
 * submitted responses changed since their pack was made); NULL in *ans
 * when every response of the chunk came packed. */
static int chunk_answers(struct exporter *x, const struct dbrows *meta, struct dbrows **ans)
{
	const struct export_filter *flt = x->flt;
	size_t n = meta->nrows, m = 0;
	*ans = NULL;
	while (m < n && meta->cells[m * meta->ncols + COL_PACKED])
		m++;
	if (m == n)
		return 0;
	return db_query(x->db, STMT_EXPORT_ANSWERS,
	    DB_ARGS(A_STR(x->f->name), A_STR(flt->region), A_STR(flt->region),
	            A_STR(flt->status), A_STR(flt->status), A_INT(dbrows_int(meta, 0, 0)),
	            A_INT(dbrows_int(meta, n - 1, 0))), ans) < 0 ? -1 : 0;
}

/* One response's answers into x->av: from its pack, or its answer rows
 * (*a advances through them). -1 when its pack is malformed (logged). */
static int row_answers(struct exporter *x, struct dbrows *meta, size_t m, const struct dbrows *ans, size_t *a)
{
	char *pack = meta->cells[m * meta->ncols + COL_PACKED];
	answers_clear(&x->av);
	if (pack) {
		if (unpack_answers(x, pack, meta->lens[m * meta->ncols + COL_PACKED], &x->av) < 0) {
			log_err("export: the packed answers of response %lld are malformed", dbrows_int(meta, m, 0));
			return -1;
		}
	} else if (ans) {
		merge_answers(x, ans, a, (unsigned long long)dbrows_int(meta, m, 0), &x->av);
	}
	form_drop_inapplicable(x->f, &x->av);
	return 0;
}

/* Calls fn with every exported row, reading EXPORT_CHUNK responses (and
 * their answers) at a time by key, so the worker holds one chunk whatever
 * the number of responses. Inside the caller's transaction (one snapshot).
 * out->begin runs once the first chunk has been read. Returns the number of
 * rows, or -1 (a database error, or fn stopped). */
static long each_row(struct exporter *x, row_fn fn, void *arg)
{
	const struct export_filter *flt = x->flt;
	unsigned long long after = 0;
	long n = 0;

	for (;;) {
		struct dbrows *meta = NULL, *ans = NULL;
		size_t a = 0, nmeta;
		int stop = 0;

		if (db_query(x->db, STMT_EXPORT_RESPONSES,
		    DB_ARGS(A_STR(x->f->name), A_STR(flt->region), A_STR(flt->region),
		            A_STR(flt->status), A_STR(flt->status), A_INT(after), A_INT(EXPORT_CHUNK)),
		    &meta) < 0)
			return -1;
		nmeta = meta->nrows;
		if (!x->started) {
			if (x->out->begin && x->out->begin(x->out->ctx) < 0) {
				dbrows_free(meta);
				return -1;
			}
			x->started = 1;
		}
		if (nmeta == 0) {
			dbrows_free(meta);
			return n;
		}
		if (chunk_answers(x, meta, &ans) < 0) {
			dbrows_free(meta);
			return -1;
		}
		for (size_t m = 0; m < nmeta && !stop; m++) {
			if (row_answers(x, meta, m, ans, &a) < 0) {
				stop = 1;
				break;
			}
			for (size_t c = 0; c < x->nlead; c++) {
				const char *v = dbrows_get(meta, m, c);
				x->cells[c] = v ? v : "";
			}
			(void)form_export_cells(x->f, &x->av, x->cells + x->nlead, x->num + x->nlead);
			stop = fn(x, x->cells, arg) < 0;
			n++;
		}
		after = (unsigned long long)dbrows_int(meta, nmeta - 1, 0);
		dbrows_free(meta);
		dbrows_free(ans);
		if (stop)
			return -1;
		if (nmeta < EXPORT_CHUNK)
			return n;
	}
}

/* CSV: rows gather in a buffer that is sent (converted to GB18030 when
 * asked, a whole number of rows at a time) whenever it passes EXPORT_FLUSH. */
struct csv_state {
	struct sink  *s;
	size_t        ncols;
	int           gb18030;
	struct buf    conv;
};

static int csv_flush(struct exporter *x, struct csv_state *cs)
{
	struct buf *b = cs->s->csv;
	int rc = 0;
	if (!b->len)
		return 0;
	if (cs->gb18030) {
		if (csv_to_gb18030(b, &cs->conv) < 0) {
			log_err("export: the CSV cannot be converted to GB18030");
			rc = -1;
		} else {
			rc = x->out->write(x->out->ctx, cs->conv.data, cs->conv.len);
		}
	} else {
		rc = x->out->write(x->out->ctx, b->data, b->len);
	}
	buf_reset(b);
	return rc;
}

static int csv_row(struct exporter *x, const char *const *row, void *arg)
{
	struct csv_state *cs = arg;
	sink_row(cs->s, row, cs->ncols, 0);
	return cs->s->csv->len >= EXPORT_FLUSH ? csv_flush(x, cs) : 0;
}

static int xlsx_row(struct exporter *x, const char *const *row, void *arg)
{
	struct sink *s = arg;
	sink_row(s, row, x->ncols, 0);
	return s->xw.failed ? -1 : 0;
}

struct sav_state {
	FILE   *spool;
	size_t  ncols;
	size_t *width;
};

static int sav_row(struct exporter *x, const char *const *row, void *arg)
{
	struct sav_state *ss = arg;
	(void)x;
	if (spool_row(ss->spool, row, ss->ncols, ss->width) < 0) {
		log_err("export: sav: cannot spool a row: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* A temporary file in tmpdir, already unlinked (gone when closed). */
static FILE *temp_file(const char *tmpdir)
{
	char path[4096];
	int fd;
	FILE *fp;
	if ((size_t)snprintf(path, sizeof path, "%s/smesurvey-export-XXXXXX", tmpdir) >= sizeof path)
		return NULL;
	fd = mkstemp(path);
	if (fd < 0) {
		log_err("export: mkstemp in %s: %s", tmpdir, strerror(errno));
		return NULL;
	}
	unlink(path);
	fp = fdopen(fd, "w+b");
	if (!fp)
		close(fd);
	return fp;
}

/* The lead columns and the form's, codes in cols and labels in labels;
 * sets up x for rows of that many cells, which it returns. */
static size_t export_columns(struct exporter *x, struct strv *cols, struct strv *labels)
{
	for (size_t i = 0; i < x->nlead; i++) {
		strv_add(cols, lead_cols[i]);
		strv_add(labels, lead_labels[i]);
	}
	form_export_columns(x->f, cols);
	form_export_labels(x->f, labels);
	x->ncols = cols->n;
	x->ix = code_index(x->f);
	x->cells = xcalloc(x->ncols, sizeof *x->cells);
	x->num = xcalloc(x->ncols, sizeof *x->num);
	answers_init_borrowed(&x->av, x->f);
	return x->ncols;
}

/* Every row into the sink of s->fmt (.sav: into the spool, widths in
 * width). Returns the number of rows, or -1. */
static long export_rows(struct exporter *x, struct sink *s, const struct strv *cols, const struct strv *labels,
                        FILE *spool, size_t *width, struct buf *csvbuf)
{
	size_t ncols = x->ncols;
	long n;

	if (s->fmt == EXPORT_XLSX) {
		/* Codes (what statistics packages key on), then their labels. */
		sink_row(s, (const char *const *)cols->v, ncols, 1);
		sink_row(s, (const char *const *)labels->v, labels->n < ncols ? labels->n : ncols, 1);
		worksheet_freeze_panes(s->xw.ws, 2, 1);
		return each_row(x, xlsx_row, s);
	}
	if (s->fmt == EXPORT_SAV) {
		struct sav_state ss = { spool, ncols, width };
		return each_row(x, sav_row, &ss);
	}
	struct csv_state cs = { s, ncols, s->fmt == EXPORT_CSV_GB18030, { 0 } };
	s->csv = csvbuf;
	/* Excel on a Chinese Windows reads a UTF-8 file without a BOM as
	 * GBK; the GB18030 file (converted from this one) gets none. */
	if (s->fmt == EXPORT_CSV)
		buf_puts(s->csv, "\xEF\xBB\xBF");
	sink_row(s, (const char *const *)cols->v, ncols, 1);
	/* Asked for (issue 23 item 9): the labels under the codes, as in the
	 * XLSX; a statistics package wants the codes alone. */
	if (x->flt->label_row)
		sink_row(s, (const char *const *)labels->v, labels->n < ncols ? labels->n : ncols, 1);
	n = each_row(x, csv_row, &cs);
	if (n >= 0 && csv_flush(x, &cs) < 0)
		n = -1;
	buf_free(&cs.conv);
	return n;
}

/* The rows read in one transaction, so every chunk reads the same
 * snapshot (plain reads take no locks: nothing to retry). */
struct rows_tx {
	struct exporter *x;
	struct sink *s;
	const struct strv *cols, *labels;
	FILE *spool;
	size_t *width;
	struct buf *csvbuf;
	long n;
};

static int rows_body(struct db *db, void *ctx, int attempt)
{
	struct rows_tx *t = ctx;
	(void)db;
	(void)attempt;
	t->n = export_rows(t->x, t->s, t->cols, t->labels, t->spool, t->width, t->csvbuf);
	return t->n < 0 ? -1 : 0;
}

int export_responses(struct db *db, const struct form *f, const struct export_filter *flt,
                     enum export_format fmt, const char *tmpdir, const struct export_out *out,
                     size_t *nrows)
{
	const struct form_info *info = catalog_get(f->name);
	struct exporter x = { .db = db, .f = f, .flt = flt, .out = out };
	struct strv cols = { 0 }, labels = { 0 };
	struct sink s = { .fmt = fmt };
	struct buf csvbuf;
	size_t ncols, *width = NULL;
	FILE *spool = NULL;
	long n = -1;
	int rc = -1, db_failed = 0;

	*nrows = 0;
	if (!tmpdir || !*tmpdir)
		tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	buf_init(&csvbuf);
	x.nlead = info && info->sampled ? NLEAD_ALL : NLEAD_BASE;
	ncols = export_columns(&x, &cols, &labels);
	s.kind = column_kinds(f, x.nlead, ncols);

	if (fmt == EXPORT_XLSX && xw_open(&s.xw, "export", tmpdir, f->name) < 0)
		goto out;
	if (fmt == EXPORT_SAV && !(spool = temp_file(tmpdir)))
		goto out;
	/* One snapshot for every chunk, so rows and answers agree. */
	if (fmt == EXPORT_SAV)
		width = xcalloc(ncols, sizeof *width);
	struct rows_tx t = { &x, &s, &cols, &labels, spool, width, &csvbuf, -1 };
	db_failed = db_transaction(db, rows_body, &t) < 0 && db_last(db) != DB_OK;
	if ((n = t.n) < 0)
		goto out;
	*nrows = (size_t)n;

	if (fmt == EXPORT_SAV) {
		if (sav_write(f, x.nlead, &cols, &labels, s.kind, width, spool, (size_t)n, out) < 0)
			goto out;
	} else if (fmt == EXPORT_XLSX) {
		xw_check(&s.xw, worksheet_autofilter(s.xw.ws, 1, 0, s.row > 2 ? s.row - 1 : 1, (lxw_col_t)(ncols - 1)),
		         "autofilter");
		xlsx_codebook_sheet(&s, f);
		if (xlsx_finish(&s, out) < 0)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0 && !x.started)
		rc = n < 0 && db_failed ? -1 : -2;
	else if (rc < 0)
		rc = -3;
	if (fmt == EXPORT_XLSX)
		xw_discard(&s.xw);
	if (spool)
		fclose(spool);
	free(width);
	free(s.kind);
	free(x.ix);
	free(x.cells);
	free(x.num);
	answers_free(&x.av);
	strv_free(&cols);
	strv_free(&labels);
	buf_free(&csvbuf);
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
