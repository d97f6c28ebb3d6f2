/*
 * frame.c - sample-frame CSV parsing and checks (see frame.h).
 */
#include "frame.h"
#include "valid.h"
#include "csv.h"
#include "db.h"
#include "util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const ff_codes[FF_COUNT] = { "ignore", "name", "platform", "contact", "phone", "email" };
static const char *const ff_labels[FF_COUNT] = { "（不导入）", "名称", "组织平台", "联系人", "电话", "邮箱" };
/* Longest accepted value per field, in characters (the columns allow more). */
static const size_t ff_max[FF_COUNT] = { 0, 100, 100, 32, 32, 100 };

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

static int is_hub(const char *p)
{
	return strcmp(p, "枢纽平台") == 0 || strcmp(p, "地区枢纽平台") == 0 || strcasecmp(p, "hub") == 0;
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

int frame_parse(const char *text, size_t n, const char *kind, const int *map, size_t nmap,
                struct frame_parse *fp)
{
	struct csv c;
	struct csv_row row = { 0 };
	struct csv_limits lim = { FRAME_MAX_BYTES, FRAME_MAX_COLS, 1024, FRAME_MAX_UNITS + 1 };
	int is_sme = strcmp(kind, "sme") == 0, rc;
	size_t cap = 0;

	memset(fp, 0, sizeof *fp);
	fp->errs = xcalloc(FRAME_MAX_ERRS, sizeof *fp->errs);
	csv_init(&c, text, n, &lim);

	rc = csv_next(&c, &row);
	if (rc <= 0) {
		if (rc < 0)
			snprintf(fp->fatal, sizeof fp->fatal, "第 %lu 行 CSV 格式错误（%s）", c.err_line, c.err);
		else
			snprintf(fp->fatal, sizeof fp->fatal, "文件是空的");
		goto out;
	}
	fp->ncols = row.nfields;
	for (size_t i = 0; i < fp->ncols; i++) {
		fp->header[i] = clean(row.fields[i]);
		fp->map[i] = (map && i < nmap && map[i] >= 0 && map[i] < FF_COUNT) ? map[i]
		             : ffield_guess(fp->header[i]);
	}
	/* Each field from one column only; name (and for resource, platform) required. */
	for (size_t i = 0; i < fp->ncols; i++)
		for (size_t j = i + 1; j < fp->ncols; j++)
			if (fp->map[i] != FF_IGNORE && fp->map[i] == fp->map[j]) {
				snprintf(fp->fatal, sizeof fp->fatal, "第 %zu 列和第 %zu 列都对应“%s”，请只保留一列",
				         i + 1, j + 1, ff_labels[fp->map[i]]);
				goto out;
			}
	int has[FF_COUNT] = { 0 };
	for (size_t i = 0; i < fp->ncols; i++)
		has[fp->map[i]] = 1;
	if (!has[FF_NAME] || (!is_sme && !has[FF_PLATFORM])) {
		snprintf(fp->fatal, sizeof fp->fatal, "缺少“%s”列，请在下方指定哪一列是%s",
		         !has[FF_NAME] ? "名称" : "组织平台", !has[FF_NAME] ? "名称" : "组织平台");
		goto out;
	}

	while ((rc = csv_next(&c, &row)) > 0) {
		char *v[FF_COUNT] = { 0 };
		int good = 1;
		for (size_t i = 0; i < fp->ncols && i < row.nfields; i++)
			if (fp->map[i] != FF_IGNORE)
				v[fp->map[i]] = clean(row.fields[i]);
		for (int f = 1; f < FF_COUNT; f++)
			if (!v[f])
				v[f] = xstrdup("");
		for (size_t i = fp->ncols; i < row.nfields; i++)
			if (row.fields[i][0]) {
				add_err(fp, row.line, "比表头多出数据列");
				good = 0;
				break;
			}
		for (int f = 1; f < FF_COUNT; f++)
			if (!len_ok(fp, row.line, f, v[f]))
				good = 0;
		if (!v[FF_NAME][0]) {
			add_err(fp, row.line, "名称为空");
			good = 0;
		}
		int st = ST_SME;
		if (!is_sme) {
			if (!v[FF_PLATFORM][0]) {
				add_err(fp, row.line, "组织平台为空（地区枢纽平台填“枢纽平台”，否则填窗口平台名称）");
				good = 0;
			}
			st = is_hub(v[FF_PLATFORM]) ? ST_HUB : ST_WINDOW;
		}
		if (v[FF_PHONE][0] && !frame_phone_ok(v[FF_PHONE])) {
			add_err(fp, row.line, "电话“%.60s”格式不正确（" PHONE_RULE_TEXT "）", v[FF_PHONE]);
			good = 0;
		}
		if (v[FF_EMAIL][0] && !frame_email_ok(v[FF_EMAIL])) {
			add_err(fp, row.line, "邮箱“%.60s”格式不正确", v[FF_EMAIL]);
			good = 0;
		}
		(void)good;   /* rows with errors are kept so duplicates are still found */
		if (fp->nunits == cap) {
			cap = cap ? cap * 2 : 64;
			fp->units = xrealloc(fp->units, cap * sizeof *fp->units);
		}
		struct unit *u = &fp->units[fp->nunits++];
		memset(u, 0, sizeof *u);
		u->line = row.line;
		u->stratum = st;
		u->name = v[FF_NAME];
		u->platform = v[FF_PLATFORM];
		u->contact = v[FF_CONTACT];
		u->phone = v[FF_PHONE];
		u->email = v[FF_EMAIL];
		fp->count[st]++;
	}
	if (rc < 0) {
		snprintf(fp->fatal, sizeof fp->fatal, "第 %lu 行 CSV 格式错误（%s）", c.err_line, c.err);
		goto out;
	}
	if (fp->nunits == 0) {
		snprintf(fp->fatal, sizeof fp->fatal, "文件中没有数据行");
		goto out;
	}
	/* Duplicate names: sort pointers by name, compare neighbours. */
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
	qsort(fp->errs, fp->nerrs, sizeof *fp->errs, err_by_line);
out:
	csv_row_free(&row);
	if (fp->fatal[0])
		return -1;
	return fp->nerrs_total ? 1 : 0;
}

void frame_parse_free(struct frame_parse *fp)
{
	for (size_t i = 0; i < fp->ncols; i++)
		free(fp->header[i]);
	units_free(fp->units, fp->nunits);
	free(fp->errs);
	memset(fp, 0, sizeof *fp);
}

char *frame_clean_filename(const char *fn)
{
	const char *b = fn;
	for (const char *p = fn; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	size_t n = strlen(b);
	if (n > 200)
		n = 200;
	while (n > 0 && !utf8_valid(b, n))
		n--;
	char *s = xstrndup(b, n);
	for (unsigned char *p = (unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '_';
	return s;
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
		                    A_STR(u->platform), A_STR(u->contact), A_STR(u->phone), A_STR(u->email)),
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
