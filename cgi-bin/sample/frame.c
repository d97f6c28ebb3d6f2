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

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const ff_codes[FF_COUNT] = { "ignore", "name", "platform", "contact", "phone", "email",
                                                "org_code", "address", "zip" };
static const char *const ff_labels[FF_COUNT] = { "（不导入）", "名称", "组织平台", "联系人", "电话", "邮箱",
                                                 "统一社会信用代码", "地址", "邮编" };
/* Longest accepted value per field, in characters (the columns allow more). */
static const size_t ff_max[FF_COUNT] = { 0, 100, 100, 32, 32, 100, 20, 200, 6 };

const char *ffield_code(int f)  { return f >= 0 && f < FF_COUNT ? ff_codes[f] : ""; }
const char *ffield_label(int f) { return f >= 0 && f < FF_COUNT ? ff_labels[f] : ""; }

int ffield_parse(const char *s)
{
	for (int i = 0; s && i < FF_COUNT; i++)
		if (strcmp(s, ff_codes[i]) == 0)
			return i;
	return -1;
}

int ffield_guess(const char *h)
{
	static const struct { const char *text; int f; } names[] = {
		{ "名称", FF_NAME }, { "单位名称", FF_NAME }, { "企业名称", FF_NAME },
		{ "机构名称", FF_NAME }, { "name", FF_NAME },
		{ "组织平台", FF_PLATFORM }, { "所属平台", FF_PLATFORM }, { "平台", FF_PLATFORM },
		{ "platform", FF_PLATFORM },
		{ "联系人", FF_CONTACT }, { "contact", FF_CONTACT },
		{ "电话", FF_PHONE }, { "联系电话", FF_PHONE }, { "手机", FF_PHONE }, { "phone", FF_PHONE },
		{ "邮箱", FF_EMAIL }, { "电子邮箱", FF_EMAIL }, { "电子邮件", FF_EMAIL },
		{ "email", FF_EMAIL }, { "e-mail", FF_EMAIL },
		{ "统一社会信用代码", FF_ORGCODE }, { "组织机构代码", FF_ORGCODE }, { "信用代码", FF_ORGCODE },
		{ "统一社会信用代码/组织机构代码", FF_ORGCODE }, { "org_code", FF_ORGCODE },
		{ "地址", FF_ADDRESS }, { "通讯地址", FF_ADDRESS }, { "单位地址", FF_ADDRESS },
		{ "联系地址", FF_ADDRESS }, { "address", FF_ADDRESS },
		{ "邮编", FF_ZIP }, { "邮政编码", FF_ZIP }, { "zip", FF_ZIP },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(h, names[i].text) == 0)
			return names[i].f;
	return FF_IGNORE;
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

/* The rules themselves are valid.h's, shared with forms and registration. */
int frame_phone_ok(const char *s)
{
	return phone_valid(s);
}

int frame_email_ok(const char *s)
{
	return email_valid(s);
}

static void add_err(struct frame_parse *fp, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_err(struct frame_parse *fp, unsigned long line, const char *fmt, ...)
{
	fp->nerrs_total++;
	if (fp->nerrs >= FRAME_MAX_ERRS)
		return;
	struct frame_err *e = &fp->errs[fp->nerrs++];
	va_list ap;
	e->line = line;
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

/* Checks one field's length; returns 1 when fine. */
static int len_ok(struct frame_parse *fp, unsigned long line, int f, const char *v)
{
	if (!utf8_valid(v, strlen(v))) {
		add_err(fp, line, "%s不是有效的文字", ff_labels[f]);
		return 0;
	}
	if (utf8_len(v) > ff_max[f]) {
		add_err(fp, line, "%s过长（最多 %zu 个字）", ff_labels[f], ff_max[f]);
		return 0;
	}
	return 1;
}

int frame_table_csv(const char *text, size_t n, struct frame_table *t, char *err, size_t errsz)
{
	struct csv c;
	struct csv_row row = { 0 };
	/* The heading row may come after a few title rows. */
	struct csv_limits lim = { FRAME_MAX_BYTES, FRAME_MAX_COLS, 1024, FRAME_MAX_UNITS + FRAME_HEAD_SCAN };
	int rc;

	memset(t, 0, sizeof *t);
	csv_init(&c, text, n, &lim);
	while ((rc = csv_next(&c, &row)) > 0) {
		char **cells = xcalloc(row.nfields ? row.nfields : 1, sizeof *cells);
		for (size_t i = 0; i < row.nfields; i++)
			cells[i] = xstrdup(row.fields[i]);
		frame_table_add(t, row.line, cells, row.nfields);
	}
	csv_row_free(&row);
	if (rc < 0) {
		snprintf(err, errsz, "第 %lu 行 CSV 格式错误（%s）", c.err_line, c.err);
		frame_table_free(t);
		return -1;
	}
	return 0;
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

/* The heading row (chosen, or the first with a name heading, or row 1),
 * its columns and their fields, checked: each field from one column only,
 * name (and for resources, platform) present. The heading row's index, or
 * -1 with fp->fatal set. */
static long frame_head(const struct frame_table *t, int is_sme, const struct frame_opts *o,
                       struct frame_parse *fp)
{
	size_t head = 0;

	if (o && o->header_row >= 1 && o->header_row <= fp->ntop) {
		head = o->header_row - 1;
	} else {
		for (size_t i = 0; i < fp->ntop; i++)
			if (has_name_heading(t, i)) {
				head = i;
				break;
			}
	}
	fp->header_row = (unsigned)head + 1;
	fp->header_line = t->line[head];
	if (t->nrows - head - 1 > FRAME_MAX_UNITS) {
		snprintf(fp->fatal, sizeof fp->fatal, "数据行过多（最多 %u 行）", FRAME_MAX_UNITS);
		return -1;
	}
	fp->ncols = t->ncells[head] < FRAME_MAX_COLS ? t->ncells[head] : FRAME_MAX_COLS;
	for (size_t i = 0; i < fp->ncols; i++) {
		fp->header[i] = clean(t->rows[head][i]);
		fp->map[i] = (o && o->map && i < o->nmap && o->map[i] >= 0 && o->map[i] < FF_COUNT) ? o->map[i]
		             : ffield_guess(fp->header[i]);
	}
	for (size_t i = 0; i < fp->ncols; i++)
		for (size_t j = i + 1; j < fp->ncols; j++)
			if (fp->map[i] != FF_IGNORE && fp->map[i] == fp->map[j]) {
				snprintf(fp->fatal, sizeof fp->fatal, "第 %zu 列和第 %zu 列都对应“%s”，请只保留一列",
				         i + 1, j + 1, ff_labels[fp->map[i]]);
				return -1;
			}
	int has[FF_COUNT] = { 0 };
	for (size_t i = 0; i < fp->ncols; i++)
		has[fp->map[i]] = 1;
	if (!has[FF_NAME] || (!is_sme && !has[FF_PLATFORM])) {
		snprintf(fp->fatal, sizeof fp->fatal, "缺少“%s”列，请在下方选择表头所在的行，或指定哪一列是%s",
		         !has[FF_NAME] ? "名称" : "组织平台", !has[FF_NAME] ? "名称" : "组织平台");
		return -1;
	}
	return (long)head;
}

/* The format checks of one row's values (v[]: by field), each problem an
 * error of its line. */
static void check_row_values(struct frame_parse *fp, unsigned long line, char **v)
{
	if (v[FF_PHONE][0] && !frame_phone_ok(v[FF_PHONE]))
		add_err(fp, line, "电话“%.60s”格式不正确（" PHONE_RULE_TEXT "）", v[FF_PHONE]);
	if (v[FF_EMAIL][0] && !frame_email_ok(v[FF_EMAIL]))
		add_err(fp, line, "邮箱“%.60s”格式不正确", v[FF_EMAIL]);
	if (v[FF_ORGCODE][0] && !org_code_ok(v[FF_ORGCODE]))
		add_err(fp, line, "统一社会信用代码/组织机构代码“%.40s”格式不正确（8 到 20 位字母、数字或“-”）",
		        v[FF_ORGCODE]);
	for (char *c = v[FF_ORGCODE]; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	if (v[FF_ZIP][0] && !postcode_valid(v[FF_ZIP]))
		add_err(fp, line, "邮编“%.20s”应为 6 位数字", v[FF_ZIP]);
}

/* Appends the unit of one row's values (taking them over). */
static void add_unit(struct frame_parse *fp, size_t *cap, unsigned long line, int st, char **v)
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
	fp->count[st]++;
}

/* One data row into a unit (rows with errors are kept so duplicates are
 * still found); a row with no text at all (a blank line in Excel) is no
 * unit. 0, or -1 with fp->fatal set (too many platforms). */
static int frame_row(struct frame_parse *fp, const struct frame_opts *o, int is_sme, char **cells, size_t ncells,
                     unsigned long line, size_t *cap)
{
	char *v[FF_COUNT] = { 0 };
	size_t nonempty = 0;
	int st = ST_SME;

	for (size_t i = 0; i < ncells; i++)
		nonempty += cells[i][strspn(cells[i], " \t")] != '\0';
	if (nonempty == 0)
		return 0;
	for (size_t i = 0; i < fp->ncols && i < ncells; i++)
		if (fp->map[i] != FF_IGNORE)
			v[fp->map[i]] = clean(cells[i]);
	for (int f = 1; f < FF_COUNT; f++)
		if (!v[f])
			v[f] = xstrdup("");
	for (size_t i = fp->ncols; i < ncells; i++)
		if (cells[i][0]) {
			add_err(fp, line, "比表头多出数据列");
			break;
		}
	for (int f = 1; f < FF_COUNT; f++)
		len_ok(fp, line, f, v[f]);
	if (!v[FF_NAME][0])
		add_err(fp, line, "名称为空");
	if (!is_sme) {
		struct frame_platform *pl = NULL;
		if (!v[FF_PLATFORM][0])
			add_err(fp, line, "组织平台为空（填写组织该单位的枢纽平台或窗口平台的名称）");
		else if (!(pl = platform_of(fp, o, v[FF_PLATFORM]))) {
			snprintf(fp->fatal, sizeof fp->fatal, "组织平台一列的不同取值超过 %u 个，请检查该列",
			         FRAME_MAX_PLATFORMS);
			for (int f = 1; f < FF_COUNT; f++)
				free(v[f]);
			return -1;
		}
		st = pl ? pl->stratum : ST_WINDOW;
		if (pl)
			pl->count++;
	}
	check_row_values(fp, line, v);
	add_unit(fp, cap, line, st, v);
	return 0;
}

/* Duplicate names: sort pointers by name, compare neighbours. */
static void find_duplicates(struct frame_parse *fp)
{
	struct unit **p = xcalloc(fp->nunits, sizeof *p);
	for (size_t i = 0; i < fp->nunits; i++)
		p[i] = &fp->units[i];
	qsort(p, fp->nunits, sizeof *p, by_name);
	for (size_t i = 1; i < fp->nunits; i++)
		if (p[i]->name[0] && strcmp(p[i]->name, p[i - 1]->name) == 0) {
			size_t first = i - 1;
			while (first > 0 && strcmp(p[first - 1]->name, p[i]->name) == 0)
				first--;
			add_err(fp, p[i]->line, "名称“%.80s”与第 %lu 行重复", p[i]->name, p[first]->line);
		}
	free(p);
}

int frame_parse_table(const struct frame_table *t, const char *kind, const struct frame_opts *o,
                      struct frame_parse *fp)
{
	int is_sme = strcmp(kind, "sme") == 0;
	size_t cap = 0;
	long head;

	memset(fp, 0, sizeof *fp);
	fp->errs = xcalloc(FRAME_MAX_ERRS, sizeof *fp->errs);
	fp->plat = xcalloc(FRAME_MAX_PLATFORMS, sizeof *fp->plat);
	keep_top_rows(t, fp);
	if (t->nrows == 0) {
		snprintf(fp->fatal, sizeof fp->fatal, "文件是空的");
		return -1;
	}
	if ((head = frame_head(t, is_sme, o, fp)) < 0)
		return -1;
	for (size_t r = (size_t)head + 1; r < t->nrows; r++)
		if (frame_row(fp, o, is_sme, t->rows[r], t->ncells[r], t->line[r], &cap) < 0)
			return -1;
	if (fp->nunits == 0) {
		snprintf(fp->fatal, sizeof fp->fatal, "文件中没有数据行（表头在第 %lu 行；如不对，请在下方选择表头所在的行）",
		         fp->header_line);
		return -1;
	}
	find_duplicates(fp);
	qsort(fp->errs, fp->nerrs, sizeof *fp->errs, err_by_line);
	return fp->nerrs_total ? 1 : 0;
}

int frame_parse(const char *text, size_t n, const char *kind, const struct frame_opts *opts,
                struct frame_parse *fp)
{
	struct frame_table t;
	char err[240];
	int rd = file_magic(text, n) == FM_ZIP ? xlsx_read_table(text, n, &t, err, sizeof err)
	                                       : frame_table_csv(text, n, &t, err, sizeof err);
	if (rd < 0) {
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
	if (m == FM_ZIP) {
		struct frame_table t;
		char err[200];
		if (xlsx_read_table(in, n, &t, err, sizeof err) < 0) {
			snprintf(why, whysz, "无法读取此 Excel 文件：%s。", err);
			return -1;
		}
		frame_table_free(&t);
		*out = xmalloc(n + 1);
		memcpy(*out, in, n);
		(*out)[n] = '\0';
		*outn = n;
		*charset = "XLSX";
		return 0;
	}
	if (m == FM_OLE2) {
		snprintf(why, whysz, "这是旧版 Excel（.xls）文件：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后重新上传。");
		return -1;
	}
	if (text_to_utf8(in, n, out, outn, charset) < 0) {
		snprintf(why, whysz, "无法识别文件内容：请保存为 Excel（.xlsx）或 CSV（UTF-8 或 GB18030 编码）后重新上传。");
		return -1;
	}
	return 0;
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
