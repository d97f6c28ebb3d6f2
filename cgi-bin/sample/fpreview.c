/*
 * fpreview.c - the stored form of a frame's checks (frame.h): what the
 * frames page shows of a pending upload, kept beside its table so that a
 * view reads one small row and parses nothing (issue 18 gap 1).
 *
 * One record per line, fields separated by tabs and escaped as the stored
 * table is (frame_field_encode), the first field naming the record:
 *   H  header_row header_line ncols ntotal nbad memo_used nerrs_total
 *      nkind[0..FP_COUNT) count[0..ST_COUNT)
 *   F  fatal          T  line text          C  heading field
 *   P  value count stratum assigned         E  line kind message
 *   U  line stratum name platform contact phone email org_code address zip
 * Only the first FRAME_PREVIEW_UNITS units are kept.
 */
#include "frame.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void rec(struct buf *b, char tag, size_t n, const char *const *f)
{
	buf_putc(b, tag);
	for (size_t i = 0; i < n; i++) {
		buf_putc(b, '\t');
		frame_field_encode(b, f[i] ? f[i] : "");
	}
	buf_putc(b, '\n');
}

static void head_rec(const struct frame_parse *fp, struct buf *b)
{
	buf_printf(b, "H\t%u\t%lu\t%zu\t%zu\t%zu\t%d\t%zu", fp->header_row, fp->header_line, fp->ncols,
	           fp->ntotal, fp->nbad, fp->memo_used, fp->nerrs_total);
	for (int k = 0; k < FP_COUNT; k++)
		buf_printf(b, "\t%zu", fp->nkind[k]);
	for (int s = 0; s < ST_COUNT; s++)
		buf_printf(b, "\t%zu", fp->count[s]);
	buf_putc(b, '\n');
}

void frame_preview_encode(const struct frame_parse *fp, struct buf *b)
{
	char n1[24], n2[24], n3[24];
	head_rec(fp, b);
	rec(b, 'F', 1, (const char *[]){ fp->fatal });
	for (size_t i = 0; i < fp->ntop; i++) {
		snprintf(n1, sizeof n1, "%lu", fp->top[i].line);
		rec(b, 'T', 2, (const char *[]){ n1, fp->top[i].text });
	}
	for (size_t i = 0; i < fp->ncols; i++)
		rec(b, 'C', 2, (const char *[]){ fp->header[i], ffield_code(fp->map[i]) });
	for (size_t i = 0; i < fp->nplat; i++) {
		const struct frame_platform *p = &fp->plat[i];
		snprintf(n1, sizeof n1, "%zu", p->count);
		rec(b, 'P', 4, (const char *[]){ p->value, n1, stratum_code(p->stratum), p->assigned ? "1" : "0" });
	}
	for (size_t i = 0; i < fp->nerrs; i++) {
		snprintf(n1, sizeof n1, "%lu", fp->errs[i].line);
		snprintf(n2, sizeof n2, "%d", fp->errs[i].kind);
		rec(b, 'E', 3, (const char *[]){ n1, n2, fp->errs[i].msg });
	}
	for (size_t i = 0; i < fp->nunits && i < FRAME_PREVIEW_UNITS; i++) {
		const struct unit *u = &fp->units[i];
		snprintf(n3, sizeof n3, "%lu", u->line);
		rec(b, 'U', 10, (const char *[]){ n3, stratum_code(u->stratum), u->name, u->platform, u->contact,
		                                  u->phone, u->email, u->org_code, u->address, u->zip });
	}
}

static size_t num(const char *s)
{
	return (size_t)strtoull(s, NULL, 10);
}

static int decode_head(struct frame_parse *fp, char **f, size_t n)
{
	if (n != 8 + FP_COUNT + ST_COUNT)
		return -1;
	fp->header_row = (unsigned)num(f[1]);
	fp->header_line = num(f[2]);
	fp->ncols = num(f[3]);
	fp->ntotal = num(f[4]);
	fp->nbad = num(f[5]);
	fp->memo_used = (int)num(f[6]);
	fp->nerrs_total = num(f[7]);
	for (int k = 0; k < FP_COUNT; k++)
		fp->nkind[k] = num(f[8 + k]);
	for (int s = 0; s < ST_COUNT; s++)
		fp->count[s] = num(f[8 + FP_COUNT + s]);
	fp->ncols = 0;          /* counted again from the C records */
	return 0;
}

static int decode_unit(struct frame_parse *fp, char **f)
{
	if (fp->nunits == FRAME_PREVIEW_UNITS)
		return -1;
	struct unit *u = &fp->units[fp->nunits++];
	memset(u, 0, sizeof *u);
	u->line = num(f[1]);
	u->stratum = stratum_parse(f[2]);
	if (u->stratum < 0)
		u->stratum = ST_SME;
	char **dst[8] = { &u->name, &u->platform, &u->contact, &u->phone, &u->email, &u->org_code,
	                  &u->address, &u->zip };
	for (int i = 0; i < 8; i++)
		*dst[i] = xstrdup(f[3 + i]);
	return 0;
}

static int decode_plat(struct frame_parse *fp, char **f)
{
	if (fp->nplat == FRAME_MAX_PLATFORMS)
		return -1;
	struct frame_platform *p = &fp->plat[fp->nplat++];
	p->value = xstrdup(f[1]);
	p->count = num(f[2]);
	p->stratum = stratum_parse(f[3]) == ST_HUB ? ST_HUB : ST_WINDOW;
	p->assigned = f[4][0] == '1';
	return 0;
}

static int decode_err(struct frame_parse *fp, char **f)
{
	if (fp->nerrs == FRAME_MAX_ERRS)
		return -1;
	struct frame_err *e = &fp->errs[fp->nerrs++];
	e->line = num(f[1]);
	e->kind = (int)num(f[2]) < FP_COUNT ? (int)num(f[2]) : FP_ROW;
	snprintf(e->msg, sizeof e->msg, "%s", f[3]);
	return 0;
}

/* One record into fp. 0, or -1 when malformed. */
static int decode_rec(struct frame_parse *fp, char **f, size_t n)
{
	switch (f[0][0] && !f[0][1] ? f[0][0] : '?') {
	case 'H': return decode_head(fp, f, n);
	case 'F': if (n != 2) return -1;
		snprintf(fp->fatal, sizeof fp->fatal, "%s", f[1]);
		return 0;
	case 'T': if (n != 3 || fp->ntop == FRAME_HEAD_SCAN) return -1;
		fp->top[fp->ntop].line = num(f[1]);
		fp->top[fp->ntop++].text = xstrdup(f[2]);
		return 0;
	case 'C': if (n != 3 || fp->ncols == FRAME_MAX_COLS) return -1;
		fp->header[fp->ncols] = xstrdup(f[1]);
		fp->map[fp->ncols++] = ffield_parse(f[2]) < 0 ? FF_IGNORE : ffield_parse(f[2]);
		return 0;
	case 'P': return n == 5 ? decode_plat(fp, f) : -1;
	case 'E': return n == 4 ? decode_err(fp, f) : -1;
	case 'U': return n == 11 ? decode_unit(fp, f) : -1;
	default:  return -1;
	}
}

int frame_preview_decode(const char *text, size_t n, struct frame_parse *fp)
{
	char *copy = xstrndup(text, n), *p = copy, *f[20];
	int rc = 0;

	memset(fp, 0, sizeof *fp);
	fp->errs = xcalloc(FRAME_MAX_ERRS, sizeof *fp->errs);
	fp->plat = xcalloc(FRAME_MAX_PLATFORMS, sizeof *fp->plat);
	fp->units = xcalloc(FRAME_PREVIEW_UNITS, sizeof *fp->units);
	while (rc == 0 && *p) {
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		size_t nf = frame_record_split(p, f, 16);
		rc = nf > 16 ? -1 : decode_rec(fp, f, nf);
		p = nl + 1;
	}
	free(copy);
	if (rc == 0 && *p)
		rc = -1;
	return rc;
}
