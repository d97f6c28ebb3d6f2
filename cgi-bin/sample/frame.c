/*
 * frame.c - sample-frame CSV parsing and checks (see frame.h).
 */
#include "frame.h"
#include "valid.h"
#include "csv.h"
#include "db.h"
#include "fileio.h"
#include "util.h"
#include "xlsx.h"
#include "xls.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longest accepted value per field, in characters (the columns allow more). */
static const size_t ff_max[FF_COUNT] = { 0, 100, 100, 32, 32, 100, 20, 200, 6 };

int ffield_guess(const char *h)
{
	return fwords_heading(h);
}

/* Trimmed copy: ASCII blanks and the ideographic space U+3000 at both ends;
 * control characters inside become spaces, so the canonical list (tab and
 * newline separated) stays unambiguous. */
static char *clean(const char *s)
{
	size_t n = strlen(s);
	for (;;) {
		if (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		else if (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0)
			n -= 3;
		else
			break;
	}
	while (n) {
		if (*s == ' ' || *s == '\t') {
			s++;
			n--;
		} else if (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0) {
			s += 3;
			n -= 3;
		} else {
			break;
		}
	}
	char *c = xstrndup(s, n);
	for (unsigned char *p = (unsigned char *)c; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return c;
}

static void add_err(struct frame_parse *fp, unsigned long line, int kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_err(struct frame_parse *fp, unsigned long line, int kind, const char *fmt, ...)
{
	fp->nerrs_total++;
	fp->nkind[kind]++;
	if (fp->nerrs >= FRAME_MAX_ERRS)
		return;
	struct frame_err *e = &fp->errs[fp->nerrs++];
	va_list ap;
	e->line = line;
	e->kind = kind;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

/* The stratum a platform value is guessed to stand for (frame.h). */
static int platform_guess(const char *p)
{
	return strstr(p, "枢纽") || strcasecmp(p, "hub") == 0 ? ST_HUB : ST_WINDOW;
}

/* 统一社会信用代码 (18) or 组织机构代码 (9, often written XXXXXXXX-X):
 * letters, digits and dashes, 8 to 20 of them. */
static int org_code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 8 || n > 20)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

static int err_by_line(const void *a, const void *b)
{
	const struct frame_err *x = a, *y = b;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int by_name(const void *a, const void *b)
{
	const struct unit *x = *(const struct unit *const *)a, *y = *(const struct unit *const *)b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->line < y->line ? -1 : x->line > y->line);
}

/* Checks one field's length; returns 1 when fine. A name that fails
 * leaves the row out; another field is left empty. */
static int len_ok(struct frame_parse *fp, unsigned long line, int f, const char *v)
{
	int kind = f == FF_NAME || f == FF_PLATFORM ? FP_ROW : FP_VALUE;
	const char *then = kind == FP_ROW ? "，本行不导入" : "，导入时留空";
	if (!utf8_valid(v, strlen(v))) {
		add_err(fp, line, kind, "%s不是有效的文字%s", ffield_label(f), then);
		return 0;
	}
	if (utf8_len(v) > ff_max[f]) {
		add_err(fp, line, kind, "%s过长（最多 %zu 个字）%s", ffield_label(f), ff_max[f], then);
		return 0;
	}
	return 1;
}

/* Digits of s[0..n) into d (at most dsz - 1), their groups' lengths into
 * g (at most 8). Returns the number of groups, -1 when too many. */
static int digit_groups(const char *s, size_t n, char *d, size_t dsz, size_t g[8])
{
	int ng = 0;
	size_t nd = 0, run = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] >= '0' && s[i] <= '9') {
			if (nd + 1 < dsz)
				d[nd++] = s[i];
			run++;
			continue;
		}
		if (run) {
			if (ng == 8)
				return -1;
			g[ng++] = run;
			run = 0;
		}
	}
	d[nd] = '\0';
	return ng;
}

/* One number of frame_phone_plausible (no / or , inside). */
static int one_phone_plausible(const char *s, size_t n)
{
	char d[64];
	size_t g[8];
	int ng = digit_groups(s, n, d, sizeof d, g);
	if (ng <= 0)
		return 0;
	const char *p = d;
	size_t nd = strlen(d);
	int intl = 0;
	if (nd > 11 && (s[0] == '+' || g[0] == 2) && strncmp(d, "86", 2) == 0) {
		p += 2;          /* +86 / 86 prefix */
		nd -= 2;
		intl = 1;
		if (g[0] == 2 && --ng)
			memmove(g, g + 1, (size_t)ng * sizeof *g);
		else if (g[0] > 2)
			g[0] -= 2;
	}
	/* After +86 an area code drops its 0: +86 10 1234 5678. */
	if (intl && !(p[0] == '1' && p[1] >= '3' && p[1] <= '9' && g[0] >= 3))
		return (ng == 1 && nd >= 9 && nd <= 11) ||
		       (ng >= 2 && g[0] >= 2 && g[0] <= 3 &&
		        ((g[1] >= 7 && g[1] <= 8) || (ng >= 3 && g[2] == 4 && g[1] + g[2] >= 7 && g[1] + g[2] <= 8)));
	if (p[0] == '1')   /* mobile, perhaps grouped 3-4-4, perhaps an extension after */
		return nd >= 11 && p[1] >= '3' && p[1] <= '9' && (nd == 11 || (ng >= 2 && g[ng - 1] <= 6));
	if (p[0] == '0')   /* area code + number (+ extension) */
		return (ng == 1 && nd >= 10 && nd <= 12) ||
		       (ng >= 2 && g[0] >= 3 && g[0] <= 4 &&
		        ((g[1] >= 7 && g[1] <= 8) || (ng >= 3 && g[2] == 4 && g[1] + g[2] >= 7 && g[1] + g[2] <= 8)));
	if (strncmp(p, "400", 3) == 0 || strncmp(p, "800", 3) == 0)
		return nd == 10;
	/* A local number: 7 or 8 digits, the last group of 4. */
	size_t local = 0;
	for (int i = 0; i < ng && i < 2; i++)
		local += g[i];
	return local >= 7 && local <= 8 && (ng == 1 || (ng == 2 && g[1] == 4) ||
	                                   (ng == 3 && g[1] == 4 && g[2] <= 6));
}

int frame_phone_plausible(const char *s)
{
	/* 转 and "ext" are separators of the extension. */
	const char *p = s;
	if (!*s)
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/,");
		if (!one_phone_plausible(p, n))
			return 0;
		p += n;
		if (*p)
			p++;
	}
	return 1;
}

/* 1 when a cell of row i is a recognised name heading. */
static int has_name_heading(const struct frame_table *t, size_t i)
{
	for (size_t k = 0; k < t->ncells[i]; k++) {
		char *h = clean(t->rows[i][k]);
		int f = ffield_guess(h);
		free(h);
		if (f == FF_NAME)
			return 1;
	}
	return 0;
}

/* The rows a heading may be in, for the preview's choice. */
static void keep_top_rows(const struct frame_table *t, struct frame_parse *fp)
{
	for (size_t i = 0; i < t->nrows && i < FRAME_HEAD_SCAN; i++) {
		struct buf b = { 0 };
		for (size_t k = 0; k < t->ncells[i] && b.len < 200; k++) {
			char *v = clean(t->rows[i][k]);
			if (k)
				buf_puts(&b, " | ");
			buf_puts(&b, v);
			free(v);
		}
		size_t len = b.len > 200 ? 200 : b.len;
		while (len && !utf8_valid(b.data ? b.data : "", len))
			len--;
		fp->top[fp->ntop].line = t->line[i];
		fp->top[fp->ntop].text = xstrndup(b.data ? b.data : "", len);
		fp->ntop++;
		buf_free(&b);
	}
}

/* The entry of a platform value, added when new; NULL when there are
 * more than FRAME_MAX_PLATFORMS. */
static struct frame_platform *platform_of(struct frame_parse *fp, const struct frame_opts *o, const char *v)
{
	for (size_t i = 0; i < fp->nplat; i++)
		if (strcmp(fp->plat[i].value, v) == 0)
			return &fp->plat[i];
	if (fp->nplat == FRAME_MAX_PLATFORMS)
		return NULL;
	struct frame_platform *p = &fp->plat[fp->nplat++];
	p->value = xstrdup(v);
	p->stratum = platform_guess(v);
	for (size_t i = 0; o && i < o->npmap; i++)
		if (o->pmap[i].value && strcmp(o->pmap[i].value, v) == 0 &&
		    (o->pmap[i].stratum == ST_HUB || o->pmap[i].stratum == ST_WINDOW)) {
			p->stratum = o->pmap[i].stratum;
			p->assigned = 1;
			break;
		}
	return p;
}

/* The heading row (index into t): chosen, or the remembered one when it
 * still holds one of the remembered headings, or the first with a name
 * heading, or row 1. */
static size_t choose_head(const struct frame_table *t, const struct frame_opts *o, struct frame_parse *fp)
{
	if (o && o->header_row >= 1 && o->header_row <= fp->ntop)
		return o->header_row - 1;
	const struct frame_memo *m = o ? o->memo : NULL;
	if (m && m->header_row >= 1 && m->header_row <= fp->ntop) {
		size_t r = m->header_row - 1;
		for (size_t k = 0; k < t->ncells[r]; k++)
			for (size_t j = 0; j < m->n; j++) {
				char *h = clean(t->rows[r][k]);
				int same = strcmp(h, m->head[j]) == 0 && m->field[j] == FF_NAME;
				free(h);
				if (same) {
					fp->memo_used = 1;
					return r;
				}
			}
	}
	for (size_t i = 0; i < fp->ntop; i++)
		if (has_name_heading(t, i))
			return i;
	return 0;
}

/* The field of column i: chosen, remembered for its heading text, or
 * guessed from the synonym list. */
static int column_field(const struct frame_opts *o, size_t i, const char *head, struct frame_parse *fp)
{
	if (o && o->map && i < o->nmap && o->map[i] >= 0 && o->map[i] < FF_COUNT)
		return o->map[i];
	for (size_t j = 0; o && o->memo && j < o->memo->n; j++)
		if (strcmp(o->memo->head[j], head) == 0 && o->memo->field[j] >= 0 && o->memo->field[j] < FF_COUNT) {
			fp->memo_used = 1;
			return o->memo->field[j];
		}
	return ffield_guess(head);
}

/* The headings and the mapping of the columns; a missing or doubled field
 * is fatal. 0 or -1. */
static int map_columns(const struct frame_table *t, size_t head, const struct frame_opts *o, int is_sme,
                       struct frame_parse *fp)
{
	fp->ncols = t->ncells[head] < FRAME_MAX_COLS ? t->ncells[head] : FRAME_MAX_COLS;
	for (size_t i = 0; i < fp->ncols; i++) {
		fp->header[i] = clean(t->rows[head][i]);
		fp->map[i] = column_field(o, i, fp->header[i], fp);
	}
	for (size_t i = 0; i < fp->ncols; i++)
		for (size_t j = i + 1; j < fp->ncols; j++)
			if (fp->map[i] != FF_IGNORE && fp->map[i] == fp->map[j]) {
				snprintf(fp->fatal, sizeof fp->fatal, "第 %zu 列和第 %zu 列都对应“%s”，请只保留一列",
				         i + 1, j + 1, ffield_label(fp->map[i]));
				return -1;
			}
	int has[FF_COUNT] = { 0 };
	for (size_t i = 0; i < fp->ncols; i++)
		has[fp->map[i]] = 1;
	if (!has[FF_NAME] || (!is_sme && !has[FF_PLATFORM])) {
		const char *what = !has[FF_NAME] ? "名称" : "组织平台";
		snprintf(fp->fatal, sizeof fp->fatal, "缺少“%s”列，请在下方选择表头所在的行，或指定哪一列是%s", what, what);
		return -1;
	}
	return 0;
}

/* 1 when the row has no text at all (a blank line in Excel: no unit). */
static int row_blank(char **cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cells[i][strspn(cells[i], " \t")] != '\0')
			return 0;
	return 1;
}

/* 1 when the row is a footer (填表人…, 日期…), listed as skipped. */
static int row_footer(struct frame_parse *fp, unsigned long line, char **cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *v = clean(cells[i]);
		if (!v[0]) {
			free(v);
			continue;
		}
		int foot = fwords_footer(v);
		if (foot)
			add_err(fp, line, FP_FOOTER, "表尾“%.60s”，已跳过", v);
		free(v);
		return foot;
	}
	return 0;
}

/* The row's values by field (all malloc'd; "" when absent or a
 * placeholder such as 暂无). */
static void row_values(const struct frame_parse *fp, char **cells, size_t n, char *v[FF_COUNT])
{
	memset(v, 0, FF_COUNT * sizeof *v);
	for (size_t i = 0; i < fp->ncols && i < n; i++)
		if (fp->map[i] != FF_IGNORE)
			v[fp->map[i]] = clean(cells[i]);
	for (int f = 1; f < FF_COUNT; f++) {
		if (v[f] && fwords_empty(v[f]))
			v[f][0] = '\0';
		if (!v[f])
			v[f] = xstrdup("");
	}
}

/* Empties v[f] when bad, with a problem (FP_VALUE) naming why. */
static void drop_value(struct frame_parse *fp, unsigned long line, char *v, int bad, const char *why)
{
	if (!bad || !v[0])
		return;
	add_err(fp, line, FP_VALUE, "%s，导入时留空", why);
	v[0] = '\0';
}

/* The optional fields' checks: a bad value is left empty, an implausible
 * phone kept and flagged. */
static void check_optional(struct frame_parse *fp, unsigned long line, char *v[FF_COUNT])
{
	char why[200];
	for (int f = FF_CONTACT; f < FF_COUNT; f++)
		if (!len_ok(fp, line, f, v[f]))
			v[f][0] = '\0';
	snprintf(why, sizeof why, "电话“%.60s”格式不正确（" PHONE_RULE_TEXT "）", v[FF_PHONE]);
	drop_value(fp, line, v[FF_PHONE], !phone_valid(v[FF_PHONE]), why);
	if (v[FF_PHONE][0] && !frame_phone_plausible(v[FF_PHONE]))
		add_err(fp, line, FP_CHECK, "电话“%.60s”不像有效的号码（" FRAME_PHONE_RULE "），已导入，请核对",
		        v[FF_PHONE]);
	snprintf(why, sizeof why, "邮箱“%.60s”格式不正确", v[FF_EMAIL]);
	drop_value(fp, line, v[FF_EMAIL], !email_valid(v[FF_EMAIL]), why);
	snprintf(why, sizeof why, "统一社会信用代码/组织机构代码“%.40s”格式不正确（8 到 20 位字母、数字或“-”）",
	         v[FF_ORGCODE]);
	drop_value(fp, line, v[FF_ORGCODE], !org_code_ok(v[FF_ORGCODE]), why);
	for (char *c = v[FF_ORGCODE]; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	snprintf(why, sizeof why, "邮编“%.20s”应为 6 位数字", v[FF_ZIP]);
	drop_value(fp, line, v[FF_ZIP], !postcode_valid(v[FF_ZIP]), why);
}

/* The stratum of a row; *bad set when the row cannot be imported. -1 when
 * the platform values overflow (fatal set). */
static int row_stratum(struct frame_parse *fp, const struct frame_opts *o, int is_sme, unsigned long line,
                       char *v[FF_COUNT], int *bad)
{
	if (!len_ok(fp, line, FF_NAME, v[FF_NAME]))
		*bad = 1;
	else if (!v[FF_NAME][0]) {
		add_err(fp, line, FP_ROW, "名称为空，本行不导入");
		*bad = 1;
	}
	if (is_sme)
		return ST_SME;
	struct frame_platform *pl = NULL;
	if (!len_ok(fp, line, FF_PLATFORM, v[FF_PLATFORM])) {
		*bad = 1;
	} else if (!v[FF_PLATFORM][0]) {
		add_err(fp, line, FP_ROW, "组织平台为空（填写组织该单位的枢纽平台或窗口平台的名称），本行不导入");
		*bad = 1;
	} else if (!(pl = platform_of(fp, o, v[FF_PLATFORM]))) {
		snprintf(fp->fatal, sizeof fp->fatal, "组织平台一列的不同取值超过 %u 个，请检查该列", FRAME_MAX_PLATFORMS);
		return -1;
	}
	if (pl && !*bad)
		pl->count++;
	return pl ? pl->stratum : ST_WINDOW;
}

/* Appends a unit (taking v's strings). */
static void add_unit(struct frame_parse *fp, size_t *cap, unsigned long line, int st, char *v[FF_COUNT])
{
	if (fp->nunits == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		fp->units = xrealloc(fp->units, *cap * sizeof *fp->units);
	}
	struct unit *u = &fp->units[fp->nunits++];
	memset(u, 0, sizeof *u);
	u->line = line;
	u->stratum = st;
	u->name = v[FF_NAME];
	u->platform = v[FF_PLATFORM];
	u->contact = v[FF_CONTACT];
	u->phone = v[FF_PHONE];
	u->email = v[FF_EMAIL];
	u->org_code = v[FF_ORGCODE];
	u->address = v[FF_ADDRESS];
	u->zip = v[FF_ZIP];
}

/* Every data row below the headings into fp->units, bad[] marking the rows
 * that cannot be imported. 0, or -1 fatal. */
static int read_rows(const struct frame_table *t, size_t head, const struct frame_opts *o, int is_sme,
                     struct frame_parse *fp, unsigned char **bad)
{
	size_t cap = 0;
	for (size_t r = head + 1; r < t->nrows; r++) {
		char *v[FF_COUNT], **cells = t->rows[r];
		size_t ncells = t->ncells[r];
		unsigned long line = t->line[r];
		int isbad = 0;
		if (row_blank(cells, ncells) || row_footer(fp, line, cells, ncells))
			continue;
		row_values(fp, cells, ncells, v);
		for (size_t i = fp->ncols; i < ncells; i++)
			if (cells[i][0]) {
				add_err(fp, line, FP_VALUE, "比表头多出数据列，多出的内容未导入");
				break;
			}
		check_optional(fp, line, v);
		int st = row_stratum(fp, o, is_sme, line, v, &isbad);
		size_t before = cap;
		add_unit(fp, &cap, line, st < 0 ? ST_WINDOW : st, v);
		if (cap != before)
			*bad = xrealloc(*bad, cap);
		(*bad)[fp->nunits - 1] = (unsigned char)isbad;
		if (st < 0)
			return -1;
	}
	return 0;
}

/* A name already in an earlier row: the later rows are left out, both
 * rows named. Pointers sorted by name, neighbours compared. */
static void mark_duplicates(struct frame_parse *fp, unsigned char *bad)
{
	struct unit **p = xcalloc(fp->nunits ? fp->nunits : 1, sizeof *p);
	for (size_t i = 0; i < fp->nunits; i++)
		p[i] = &fp->units[i];
	qsort(p, fp->nunits, sizeof *p, by_name);
	for (size_t i = 1; i < fp->nunits; i++) {
		if (!p[i]->name[0] || strcmp(p[i]->name, p[i - 1]->name) != 0)
			continue;
		size_t first = i - 1;
		while (first > 0 && strcmp(p[first - 1]->name, p[i]->name) == 0)
			first--;
		add_err(fp, p[i]->line, FP_ROW, "名称“%.80s”与第 %lu 行重复：只导入第 %lu 行，本行不导入",
		        p[i]->name, p[first]->line, p[first]->line);
		bad[p[i] - fp->units] = 1;
	}
	free(p);
}

/* Leaves out the rows marked bad; counts the strata of the others. */
static void drop_bad(struct frame_parse *fp, const unsigned char *bad)
{
	size_t w = 0;
	for (size_t i = 0; i < fp->nunits; i++) {
		if (bad[i]) {
			struct unit *gone = xmalloc(sizeof *gone);   /* units_free frees its array */
			*gone = fp->units[i];
			units_free(gone, 1);
			fp->nbad++;
			continue;
		}
		fp->units[w++] = fp->units[i];
		fp->count[fp->units[w - 1].stratum]++;
	}
	fp->nunits = w;
}

int frame_parse_table(const struct frame_table *t, const char *kind, const struct frame_opts *o,
                      struct frame_parse *fp)
{
	int is_sme = strcmp(kind, "sme") == 0;
	unsigned char *bad = NULL;

	memset(fp, 0, sizeof *fp);
	fp->errs = xcalloc(FRAME_MAX_ERRS, sizeof *fp->errs);
	fp->plat = xcalloc(FRAME_MAX_PLATFORMS, sizeof *fp->plat);
	keep_top_rows(t, fp);
	if (t->nrows == 0) {
		snprintf(fp->fatal, sizeof fp->fatal, "文件是空的");
		goto out;
	}
	size_t head = choose_head(t, o, fp);
	fp->header_row = (unsigned)head + 1;
	fp->header_line = t->line[head];
	if (map_columns(t, head, o, is_sme, fp) < 0 || read_rows(t, head, o, is_sme, fp, &bad) < 0)
		goto out;
	mark_duplicates(fp, bad);
	drop_bad(fp, bad);
	fp->ntotal = fp->nunits;
	if (fp->nunits == 0) {
		snprintf(fp->fatal, sizeof fp->fatal, "文件中没有可导入的数据行（表头在第 %lu 行；如不对，请在下方选择表头所在的行）",
		         fp->header_line);
		goto out;
	}
	if (fp->nunits > FRAME_MAX_UNITS) {
		snprintf(fp->fatal, sizeof fp->fatal, "数据行过多（最多 %u 行）", FRAME_MAX_UNITS);
		goto out;
	}
	qsort(fp->errs, fp->nerrs, sizeof *fp->errs, err_by_line);
out:
	free(bad);
	if (fp->fatal[0])
		return -1;
	return fp->nbad ? 1 : 0;
}

int frame_table_read(const char *data, size_t n, struct frame_table *t, char *err, size_t errsz)
{
	switch (file_magic(data, n)) {
	case FM_ZIP:
		return xlsx_read_table(data, n, t, err, errsz);
	case FM_OLE2:
		return xls_read_table(data, n, t, err, errsz);
	default:
		return frame_table_csv(data, n, t, err, errsz);
	}
}

int frame_parse(const char *text, size_t n, const char *kind, const struct frame_opts *opts,
                struct frame_parse *fp)
{
	struct frame_table t;
	char err[240];
	if (frame_table_read(text, n, &t, err, sizeof err) < 0) {
		memset(fp, 0, sizeof *fp);
		fp->errs = xcalloc(FRAME_MAX_ERRS, sizeof *fp->errs);
		fp->plat = xcalloc(FRAME_MAX_PLATFORMS, sizeof *fp->plat);
		snprintf(fp->fatal, sizeof fp->fatal, "%s", err);
		return -1;
	}
	int rc = frame_parse_table(&t, kind, opts, fp);
	frame_table_free(&t);
	return rc;
}

void frame_parse_free(struct frame_parse *fp)
{
	for (size_t i = 0; i < fp->ncols; i++)
		free(fp->header[i]);
	for (size_t i = 0; i < fp->ntop; i++)
		free(fp->top[i].text);
	for (size_t i = 0; i < fp->nplat; i++)
		free(fp->plat[i].value);
	free(fp->plat);
	units_free(fp->units, fp->nunits);
	free(fp->errs);
	memset(fp, 0, sizeof *fp);
}

int frame_upload_text(const char *in, size_t n, char **out, size_t *outn, const char **charset,
                      char *why, size_t whysz)
{
	enum file_magic m = file_magic(in, n);
	*out = NULL;
	*outn = 0;
	/* A zip without a workbook (a .docx renamed, any zip) is refused here,
	 * before anything is kept, in words the uploader understands. */
	if (m == FM_ZIP && !zip_has_entry(in, n, "xl/workbook.xml")) {
		snprintf(why, whysz, "这个文件不是 Excel 工作簿：其中没有工作表（可能是 Word 文档或其他压缩包）。"
		         "请上传 Excel（.xlsx 或 .xls）或 CSV 文件。");
		return -1;
	}
	if (m == FM_ZIP || m == FM_OLE2) {
		/* Read (and refused when unreadable) by frame_parse. */
		*out = xmalloc(n + 1);
		memcpy(*out, in, n);
		(*out)[n] = '\0';
		*outn = n;
		*charset = m == FM_ZIP ? "XLSX" : "XLS";
		return 0;
	}
	if (text_to_utf8(in, n, out, outn, charset) < 0) {
		snprintf(why, whysz, "无法识别文件内容：请保存为 Excel（.xlsx 或 .xls）或 CSV（UTF-8 或 GB18030 编码）后重新上传。");
		return -1;
	}
	return 0;
}

int frame_upload_table(const char *in, size_t n, struct frame_table *t, const char **charset,
                       char *why, size_t whysz)
{
	char *text = NULL, err[240];
	size_t tn = 0;
	memset(t, 0, sizeof *t);
	if (frame_upload_text(in, n, &text, &tn, charset, why, whysz) < 0)
		return -1;
	int rc = frame_table_read(text, tn, t, err, sizeof err);
	if (rc < 0) {
		enum file_magic m = file_magic(text, tn);
		int excel = m == FM_ZIP || m == FM_OLE2;
		snprintf(why, whysz, "%s%s", excel ? "无法读取此 Excel 文件：" : "", err);
	}
	free(text);
	return rc;
}

int frame_store(struct db *db, const char *region, const char *kind, const char *frame_id,
                const struct frame_parse *fp, const char *sum)
{
	char *st = NULL, *sid = NULL;
	int rc = -1;

	/* Locks the pending row: a second confirm of the same upload waits here. */
	if (db_query_str(db, STMT_FRAME_STATUS_LOCK,
	                 DB_ARGS(A_STR(frame_id), A_STR(region), A_STR(kind)), &st) < 0)
		goto out;
	if (!st || strcmp(st, "pending") != 0) {
		rc = 1;
		goto out;
	}
	/* A locking read of the (absent) sample keeps a concurrent draw from
	 * committing a sample of the frame deleted below. */
	if (db_query_str(db, STMT_SAMPLE_ID_LOCK,
	                 DB_ARGS(A_STR(region), A_STR(kind)), &sid) < 0)
		goto out;
	if (sid) {
		rc = 1;
		goto out;
	}
	if (db_exec(db, STMT_FRAME_DELETE_CONFIRMED,
	            DB_ARGS(A_STR(region), A_STR(kind)), NULL, NULL) < 0)
		goto out;
	for (size_t i = 0; i < fp->nunits; i++) {
		const struct unit *u = &fp->units[i];
		if (db_exec(db, STMT_FRAME_UNIT_INSERT,
		            DB_ARGS(A_STR(frame_id), A_INT(u->line), A_STR(stratum_code(u->stratum)), A_STR(u->name),
		                    A_STR(u->platform), A_STR(u->contact), A_STR(u->phone), A_STR(u->email),
		                    A_STR(u->org_code ? u->org_code : ""), A_STR(u->address ? u->address : ""),
		                    A_STR(u->zip ? u->zip : "")),
		            NULL, NULL) < 0)
			goto out;
	}
	if (db_exec(db, STMT_FRAME_CONFIRM,
	            DB_ARGS(A_STR(sum), A_INT(fp->nunits), A_STR(frame_id)), NULL, NULL) < 0)
		goto out;
	rc = 0;
out:
	free(st);
	free(sid);
	return rc;
}
