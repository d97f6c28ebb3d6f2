/*
 * table.c - a frame table (rows of text cells, table.h) whatever the file
 * format: the one bound every reader goes through (frame_table_add), the
 * CSV reader, and the text form the table is stored in and sent through a
 * pipe as (frame_table_encode/decode).
 */
#include "table.h"
#include "csv.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void frame_table_free(struct frame_table *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t k = 0; k < t->ncells[i]; k++)
			free(t->rows[i][k]);
		free(t->rows[i]);
	}
	free(t->rows);
	free(t->ncells);
	free(t->line);
	memset(t, 0, sizeof *t);
}

static void free_cells(char **cells, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(cells[k]);
	free(cells);
}

/* Which bound the row would break, FRAME_OVER_NONE when none. */
static int over_bound(const struct frame_table *t, char *const *cells, size_t n)
{
	size_t bytes = 0;
	if (t->nrows >= FRAME_MAX_ROWS)
		return FRAME_OVER_ROWS;
	if (n > FRAME_MAX_CELLS - t->ncells_total)
		return FRAME_OVER_CELLS;
	for (size_t k = 0; k < n; k++)
		bytes += strlen(cells[k]);
	if (bytes > FRAME_MAX_BYTES - t->nbytes)
		return FRAME_OVER_BYTES;
	return FRAME_OVER_NONE;
}

int frame_table_add(struct frame_table *t, unsigned long line, char **cells, size_t n)
{
	if (t->over || (t->over = over_bound(t, cells, n)) != FRAME_OVER_NONE) {
		free_cells(cells, n);
		return -1;
	}
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
		t->ncells = xrealloc(t->ncells, t->cap * sizeof *t->ncells);
		t->line = xrealloc(t->line, t->cap * sizeof *t->line);
	}
	for (size_t k = 0; k < n; k++)
		t->nbytes += strlen(cells[k]);
	t->ncells_total += n;
	t->rows[t->nrows] = cells;
	t->ncells[t->nrows] = n;
	t->line[t->nrows] = line;
	t->nrows++;
	return 0;
}

void frame_over_msg(int over, char *err, size_t errsz)
{
	switch (over) {
	case FRAME_OVER_ROWS:
		snprintf(err, errsz, "表格过大：超过 %u 行（上限）。请只保留样本框的标题、表头和数据行后重新上传。",
		         FRAME_MAX_ROWS);
		break;
	case FRAME_OVER_CELLS:
		snprintf(err, errsz, "表格过大：超过 %u 个单元格（上限）。请只保留样本框所需的行和列后重新上传。",
		         FRAME_MAX_CELLS);
		break;
	case FRAME_OVER_DEPTH:
		snprintf(err, errsz, "文件结构嵌套超过 %u 层（上限），不是正常的表格文件。", FRAME_MAX_DEPTH);
		break;
	default:
		snprintf(err, errsz, "表格过大：单元格文字合计超过 %u MB（上限）。请只保留样本框所需的行和列后重新上传。",
		         FRAME_MAX_BYTES / (1024u * 1024u));
		break;
	}
}

int frame_table_csv(const char *text, size_t n, struct frame_table *t, char *err, size_t errsz)
{
	struct csv c;
	struct csv_row row = { 0 };
	struct csv_limits lim = { FRAME_MAX_BYTES, FRAME_ROW_CELLS, 1024, FRAME_MAX_ROWS };
	int rc;

	memset(t, 0, sizeof *t);
	csv_init(&c, text, n, &lim);
	while ((rc = csv_next(&c, &row)) > 0) {
		char **cells = xcalloc(row.nfields ? row.nfields : 1, sizeof *cells);
		for (size_t i = 0; i < row.nfields; i++)
			cells[i] = xstrdup(row.fields[i]);
		if (frame_table_add(t, row.line, cells, row.nfields) < 0)
			break;
	}
	csv_row_free(&row);
	if (t->over) {
		frame_over_msg(t->over, err, errsz);
		goto fail;
	}
	if (rc < 0) {
		snprintf(err, errsz, "第 %lu 行 CSV 格式错误（%s）", c.err_line, c.err);
		goto fail;
	}
	return 0;
fail:
	frame_table_free(t);
	return -1;
}

/* ---------------------------------------------------- the stored form */

void frame_field_encode(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': buf_puts(b, "\\\\"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		default:   buf_putc(b, *s); break;
		}
	}
}

void frame_table_encode(const struct frame_table *t, struct buf *b)
{
	for (size_t i = 0; i < t->nrows; i++) {
		buf_printf(b, "%lu", t->line[i]);
		for (size_t k = 0; k < t->ncells[i]; k++) {
			buf_putc(b, '\t');
			frame_field_encode(b, t->rows[i][k]);
		}
		buf_putc(b, '\n');
	}
}

size_t frame_record_split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *w = line;
	f[n++] = w;
	for (char *p = line; *p; p++) {
		if (*p == '\t') {
			*w++ = '\0';
			if (n == max)
				return n + 1;     /* one more than allowed: the caller refuses */
			f[n++] = w;
		} else if (*p == '\\' && p[1]) {
			p++;
			*w++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return n;
}

/* One encoded row into t. 0, or -1 (malformed or over a bound). */
static int decode_row(char *line, struct frame_table *t)
{
	char *f[FRAME_ROW_CELLS + 2];
	size_t n = frame_record_split(line, f, FRAME_ROW_CELLS + 1);
	char *end;
	unsigned long no = strtoul(f[0], &end, 10);
	if (n > FRAME_ROW_CELLS + 1 || end == f[0] || *end)
		return -1;
	char **cells = xcalloc(n, sizeof *cells);
	for (size_t k = 1; k < n; k++)
		cells[k - 1] = xstrdup(f[k]);
	return frame_table_add(t, no, cells, n - 1);
}

int frame_table_decode(const char *text, size_t n, struct frame_table *t, char *err, size_t errsz)
{
	char *copy = xstrndup(text, n), *p = copy;
	int rc = 0;

	memset(t, 0, sizeof *t);
	while (rc == 0 && *p) {
		char *nl = strchr(p, '\n');
		if (!nl) {
			rc = -1;
			break;
		}
		*nl = '\0';
		rc = decode_row(p, t);
		p = nl + 1;
	}
	free(copy);
	if (rc < 0) {
		if (t->over)
			frame_over_msg(t->over, err, errsz);
		else
			snprintf(err, errsz, "表格数据已损坏，请重新上传。");
		frame_table_free(t);
	}
	return rc;
}
