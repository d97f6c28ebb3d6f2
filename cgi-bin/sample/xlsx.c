/*
 * xlsx.c - the first worksheet of an .xlsx workbook as a frame table
 * (see xlsx.h): libzip for the container, expat for the XML parts.
 */
#include "xlsx.h"
#include "table.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <zip.h>

/* What every part's handlers share: the parser, the first problem, and
 * the part's own handlers, called through depth_start/depth_end. */
struct xctx {
	XML_Parser               p;
	char                     err[200];
	unsigned                 depth;
	XML_StartElementHandler  start;
	XML_EndElementHandler    end;
};

static void xstop(struct xctx *x, const char *msg)
{
	if (!x->err[0])
		snprintf(x->err, sizeof x->err, "%s", msg);
	XML_StopParser(x->p, XML_FALSE);
}

/* The local part of a (possibly prefixed) XML name. */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *lname)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), lname) == 0)
			return atts[i + 1];
	return NULL;
}

/* No DOCTYPE in any OOXML part: refusing it rules out entity tricks. */
static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	xstop(ud, "文件中含有不允许的 XML 声明");
}

/* Every part's elements nest at most FRAME_MAX_DEPTH deep: a file of
 * millions of nested elements stops at the first few (expat would keep a
 * stack for all of them). ud is the part's struct, which starts with its
 * xctx. */
static void XMLCALL depth_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xctx *x = ud;
	if (++x->depth > FRAME_MAX_DEPTH) {
		char m[160];
		frame_over_msg(FRAME_OVER_DEPTH, m, sizeof m);
		xstop(x, m);
		return;
	}
	if (x->start)
		x->start(ud, name, atts);
}

static void XMLCALL depth_end(void *ud, const XML_Char *name)
{
	struct xctx *x = ud;
	x->depth--;
	if (x->end)
		x->end(ud, name);
}

/* A parser for a part whose handlers get ud (starting with x). */
static void xctx_open(struct xctx *x, void *ud, XML_StartElementHandler start, XML_EndElementHandler end,
                      XML_CharacterDataHandler text)
{
	x->p = XML_ParserCreate("UTF-8");
	x->err[0] = '\0';
	x->depth = 0;
	x->start = start;
	x->end = end;
	XML_SetUserData(x->p, ud);
	XML_SetElementHandler(x->p, depth_start, depth_end);
	if (text)
		XML_SetCharacterDataHandler(x->p, text);
}

/* Streams the part called name through x->p (handlers set by the caller).
 * Returns 0, 1 when the part is absent and not required, -1 with err set. */
static int parse_part(zip_t *za, const char *name, struct xctx *x, int required, char *err, size_t errsz)
{
	zip_int64_t idx = zip_name_locate(za, name, 0);
	if (idx < 0) {
		if (!required)
			return 1;
		snprintf(err, errsz, "不是有效的 Excel（.xlsx）文件：缺少 %s", name);
		return -1;
	}
	zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
	if (!zf) {
		snprintf(err, errsz, "无法读取 Excel 文件（可能已加密或损坏）");
		return -1;
	}
	XML_SetStartDoctypeDeclHandler(x->p, no_doctype);
	char chunk[16384];
	zip_int64_t got;
	size_t total = 0;
	int rc = 0;
	/* Inflated bytes are counted as they come: a zip bomb stops here. */
	while ((got = zip_fread(zf, chunk, sizeof chunk)) > 0) {
		total += (size_t)got;
		if (total > XLSX_MAX_PART) {
			snprintf(err, errsz, "Excel 文件内容过大（解压后超过 %u MB）", XLSX_MAX_PART / (1024u * 1024u));
			rc = -1;
			break;
		}
		if (XML_Parse(x->p, chunk, (int)got, 0) == XML_STATUS_ERROR) {
			rc = -2;
			break;
		}
	}
	if (rc == 0 && got < 0) {
		snprintf(err, errsz, "无法读取 Excel 文件（已损坏）");
		rc = -1;
	}
	if (rc == 0 && XML_Parse(x->p, "", 0, 1) == XML_STATUS_ERROR)
		rc = -2;
	if (rc == -2) {
		if (x->err[0])
			snprintf(err, errsz, "%s", x->err);
		else
			snprintf(err, errsz, "Excel 文件的 %s 无法解析（第 %lu 行：%s）", name,
			         (unsigned long)XML_GetCurrentLineNumber(x->p),
			         XML_ErrorString(XML_GetErrorCode(x->p)));
		rc = -1;
	}
	zip_fclose(zf);
	return rc;
}

/* ------------------------------------------------ workbook and relations */

struct first_sheet {
	struct xctx x;
	char        rid[128];     /* r:id of the first <sheet> */
	char        target[256];  /* its Target in the relations */
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct first_sheet *s = ud;
	const char *id;
	if (!s->rid[0] && strcmp(local(name), "sheet") == 0 && (id = attr(atts, "id")))
		snprintf(s->rid, sizeof s->rid, "%s", id);
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct first_sheet *s = ud;
	const char *id, *target;
	if (!s->target[0] && strcmp(local(name), "Relationship") == 0 && (id = attr(atts, "Id")) &&
	    strcmp(id, s->rid) == 0 && (target = attr(atts, "Target")))
		snprintf(s->target, sizeof s->target, "%s", target);
}

/* The zip path of the first worksheet into path. 0 or -1 (err). */
static int sheet_path(zip_t *za, char *path, size_t pathsz, char *err, size_t errsz)
{
	struct first_sheet s = { 0 };
	int rc;

	xctx_open(&s.x, &s, wb_start, NULL, NULL);
	rc = parse_part(za, "xl/workbook.xml", &s.x, 1, err, errsz);
	XML_ParserFree(s.x.p);
	if (rc < 0)
		return -1;
	if (s.rid[0]) {
		xctx_open(&s.x, &s, rels_start, NULL, NULL);
		rc = parse_part(za, "xl/_rels/workbook.xml.rels", &s.x, 0, err, errsz);
		XML_ParserFree(s.x.p);
		if (rc < 0)
			return -1;
	}
	/* Targets are relative to xl/ (or absolute in the package). */
	if (!s.target[0] || strstr(s.target, ".."))
		snprintf(path, pathsz, "xl/worksheets/sheet1.xml");
	else if (s.target[0] == '/')
		snprintf(path, pathsz, "%s", s.target + 1);
	else
		snprintf(path, pathsz, "xl/%s", s.target);
	return 0;
}

/* ------------------------------------------------------ shared strings */

struct sst {
	struct xctx x;
	char      **v;
	size_t      n, cap;
	int         in_si, in_rph, in_t;
	struct buf  cur;
};

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sst *s = ud;
	const char *l = local(name);
	(void)atts;
	if (strcmp(l, "si") == 0) {
		s->in_si = 1;
		buf_reset(&s->cur);
	} else if (strcmp(l, "rPh") == 0) {
		s->in_rph++;
	} else if (strcmp(l, "t") == 0 && s->in_si && !s->in_rph) {
		s->in_t = 1;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct sst *s = ud;
	const char *l = local(name);
	if (strcmp(l, "t") == 0) {
		s->in_t = 0;
	} else if (strcmp(l, "rPh") == 0) {
		s->in_rph--;
	} else if (strcmp(l, "si") == 0 && s->in_si) {
		s->in_si = 0;
		if (s->n == XLSX_MAX_STRINGS) {
			xstop(&s->x, "Excel 文件中的文字过多");
			return;
		}
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 256;
			s->v = xrealloc(s->v, s->cap * sizeof *s->v);
		}
		s->v[s->n++] = xstrndup(s->cur.data ? s->cur.data : "", s->cur.len);
	}
}

static void XMLCALL sst_text(void *ud, const XML_Char *t, int len)
{
	struct sst *s = ud;
	if (!s->in_t)
		return;
	/* A longer string is kept cut; a cell using it is refused later. */
	if (s->cur.len <= XLSX_MAX_CELL)
		buf_put(&s->cur, t, (size_t)len);
}

static void sst_free(struct sst *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	buf_free(&s->cur);
}

/* ------------------------------------------------------------ the sheet */

struct sheet {
	struct xctx         x;
	const struct sst   *sst;
	struct frame_table *t;
	unsigned long       row;          /* number of the current row */
	char               *cell[FRAME_ROW_CELLS];
	size_t              ncell;        /* 1 + highest column with a value */
	long                col;          /* column of the current cell, -1 none */
	char                type[16];
	int                 in_row, in_v, in_is, in_t, in_rph;
	struct buf          cur;
};

/* "BC12" -> 54 (0-based column), -1 when there are no letters. */
static long column_of(const char *ref)
{
	long c = 0;
	size_t k = 0;
	for (; ref[k] >= 'A' && ref[k] <= 'Z'; k++) {
		c = c * 26 + (ref[k] - 'A' + 1);
		if (c > 16384)
			return -1;
	}
	return k ? c - 1 : -1;
}

static void row_clear(struct sheet *s)
{
	for (size_t i = 0; i < s->ncell; i++) {
		free(s->cell[i]);
		s->cell[i] = NULL;
	}
	s->ncell = 0;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sheet *s = ud;
	const char *l = local(name), *v;
	if (strcmp(l, "row") == 0) {
		v = attr(atts, "r");
		s->row = v ? strtoul(v, NULL, 10) : s->row + 1;
		s->in_row = 1;
		s->col = -1;
		row_clear(s);
	} else if (strcmp(l, "c") == 0 && s->in_row) {
		long prev = s->col;
		v = attr(atts, "r");
		s->col = v ? column_of(v) : prev + 1;
		if (s->col < 0)
			s->col = prev + 1;
		v = attr(atts, "t");
		snprintf(s->type, sizeof s->type, "%s", v ? v : "n");
		buf_reset(&s->cur);
	} else if (strcmp(l, "v") == 0) {
		s->in_v = 1;
	} else if (strcmp(l, "is") == 0) {
		s->in_is = 1;
	} else if (strcmp(l, "rPh") == 0) {
		s->in_rph++;
	} else if (strcmp(l, "t") == 0 && s->in_is && !s->in_rph) {
		s->in_t = 1;
	}
}

/* The value of the cell just ended into the row. */
static void cell_end(struct sheet *s)
{
	const char *text = s->cur.data ? s->cur.data : "";
	if (s->cur.len > XLSX_MAX_CELL) {
		char m[120];
		snprintf(m, sizeof m, "第 %lu 行有单元格内容过长（最多 %u 字节）", s->row, XLSX_MAX_CELL);
		xstop(&s->x, m);
		return;
	}
	if (strcmp(s->type, "s") == 0 && s->cur.len) {
		char *end;
		unsigned long i = strtoul(text, &end, 10);
		if (*end || i >= s->sst->n) {
			xstop(&s->x, "Excel 文件中的文字引用无效（文件可能已损坏）");
			return;
		}
		text = s->sst->v[i];
		if (strlen(text) > XLSX_MAX_CELL) {
			char m[120];
			snprintf(m, sizeof m, "第 %lu 行有单元格内容过长（最多 %u 字节）", s->row, XLSX_MAX_CELL);
			xstop(&s->x, m);
			return;
		}
	}
	if (!*text || s->col < 0)
		return;
	if (s->col >= (long)FRAME_ROW_CELLS) {
		char m[120];
		snprintf(m, sizeof m, "第 %lu 行在第 %u 列之后还有内容，请删去多余的列", s->row, FRAME_ROW_CELLS);
		xstop(&s->x, m);
		return;
	}
	free(s->cell[s->col]);
	s->cell[s->col] = xstrdup(text);
	if ((size_t)s->col + 1 > s->ncell)
		s->ncell = (size_t)s->col + 1;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	struct sheet *s = ud;
	const char *l = local(name);
	if (strcmp(l, "v") == 0) {
		s->in_v = 0;
	} else if (strcmp(l, "t") == 0) {
		s->in_t = 0;
	} else if (strcmp(l, "rPh") == 0) {
		s->in_rph--;
	} else if (strcmp(l, "is") == 0) {
		s->in_is = 0;
	} else if (strcmp(l, "c") == 0 && s->in_row) {
		cell_end(s);
	} else if (strcmp(l, "row") == 0 && s->in_row) {
		s->in_row = 0;
		if (s->ncell == 0)
			return;                      /* an empty row is no row */
		char **cells = xcalloc(s->ncell, sizeof *cells);
		for (size_t i = 0; i < s->ncell; i++) {
			cells[i] = s->cell[i] ? s->cell[i] : xstrdup("");
			s->cell[i] = NULL;
		}
		size_t n = s->ncell;
		s->ncell = 0;
		/* The frame's bounds, row by row: the amplification stops here. */
		if (frame_table_add(s->t, s->row, cells, n) < 0) {
			char m[200];
			frame_over_msg(s->t->over, m, sizeof m);
			xstop(&s->x, m);
		}
	}
}

static void XMLCALL sheet_text(void *ud, const XML_Char *t, int len)
{
	struct sheet *s = ud;
	if ((s->in_v || s->in_t) && s->cur.len <= XLSX_MAX_CELL)
		buf_put(&s->cur, t, (size_t)len);
}

/* ------------------------------------------------------------------ */

int xlsx_read_table(const void *data, size_t n, struct frame_table *t, char *err, size_t errsz)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za = NULL;
	struct sst sst = { 0 };
	struct sheet sh = { 0 };
	char path[300];
	int rc = -1;

	memset(t, 0, sizeof *t);
	zip_error_init(&ze);
	src = zip_source_buffer_create(data, n, 0, &ze);
	if (src)
		za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!za) {
		if (src)
			zip_source_free(src);
		snprintf(err, errsz, "不是有效的 Excel（.xlsx）文件");
		zip_error_fini(&ze);
		return -1;
	}
	if (sheet_path(za, path, sizeof path, err, errsz) < 0)
		goto out;

	xctx_open(&sst.x, &sst, sst_start, sst_end, sst_text);
	int r1 = parse_part(za, "xl/sharedStrings.xml", &sst.x, 0, err, errsz);
	XML_ParserFree(sst.x.p);
	if (r1 < 0)
		goto out;

	sh.sst = &sst;
	sh.t = t;
	sh.col = -1;
	xctx_open(&sh.x, &sh, sheet_start, sheet_end, sheet_text);
	int r2 = parse_part(za, path, &sh.x, 1, err, errsz);
	XML_ParserFree(sh.x.p);
	row_clear(&sh);
	buf_free(&sh.cur);
	if (r2 < 0)
		goto out;
	for (size_t i = 0; i < t->nrows; i++)
		for (size_t k = 0; k < t->ncells[i]; k++)
			if (!utf8_valid(t->rows[i][k], strlen(t->rows[i][k]))) {
				snprintf(err, errsz, "第 %lu 行有无效的文字", t->line[i]);
				goto out;
			}
	rc = 0;
out:
	if (rc < 0)
		frame_table_free(t);
	sst_free(&sst);
	zip_discard(za);
	zip_error_fini(&ze);
	return rc;
}
