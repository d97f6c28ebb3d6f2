/*
 * pdfdoc.c - flowing A4 documents (pdfdoc.h).
 */
#include "pdfdoc.h"
#include "lazylib.h"     /* cairo, loaded with the first document */
#include "log.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W  210.0
#define PAGE_H  297.0
#define MARGIN  20.0
#define PT      (25.4 / 72.0)             /* one point in mm */
#define BODY_PT 10.5
#define LEAD    1.55                       /* line height / font size */

struct pdfdoc {
	cairo_surface_t   *s;
	cairo_t           *cr;
	cairo_font_face_t *sans, *bold;
	struct buf         bytes;
	double             y;                  /* top of the free space */
	int                page;
};

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_put(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* A font face that has a glyph for 中 (fontconfig falls back silently). */
static cairo_font_face_t *cjk_face(cairo_t *cr, cairo_font_weight_t w)
{
	static const char *const fams[] = { "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Droid Sans Fallback" };
	for (size_t i = 0; i < NELEMS(fams); i++) {
		cairo_font_face_t *f = cairo_toy_font_face_create(fams[i], CAIRO_FONT_SLANT_NORMAL, w);
		cairo_glyph_t *g = NULL;
		int ng = 0, ok;
		cairo_set_font_face(cr, f);
		cairo_scaled_font_text_to_glyphs(cairo_get_scaled_font(cr), 0, 0, "中", -1, &g, &ng, NULL, NULL, NULL);
		ok = ng == 1 && g[0].index != 0;
		cairo_glyph_free(g);
		if (ok)
			return f;
		cairo_font_face_destroy(f);
	}
	return NULL;
}

static void footer(struct pdfdoc *d)
{
	char s[32];
	cairo_text_extents_t e;
	snprintf(s, sizeof s, "第 %d 页", d->page);
	cairo_set_font_face(d->cr, d->sans);
	cairo_set_font_size(d->cr, 8 * PT);
	cairo_text_extents(d->cr, s, &e);
	cairo_move_to(d->cr, (PAGE_W - e.x_advance) / 2, PAGE_H - MARGIN / 2);
	cairo_show_text(d->cr, s);
}

static void new_page(struct pdfdoc *d)
{
	footer(d);
	cairo_show_page(d->cr);
	d->page++;
	d->y = MARGIN;
}

/* Makes room for h millimetres, starting a page when needed. */
static void need(struct pdfdoc *d, double h)
{
	if (d->y + h > PAGE_H - MARGIN)
		new_page(d);
}

struct pdfdoc *pdf_begin(const char *title)
{
	if (lazylib_load() < 0)
		return NULL;
	struct pdfdoc *d = xcalloc(1, sizeof *d);
	d->s = cairo_pdf_surface_create_for_stream(to_buf, &d->bytes, PAGE_W / PT, PAGE_H / PT);
	cairo_pdf_surface_set_metadata(d->s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(d->s, CAIRO_PDF_METADATA_CREATOR, "smesurvey");
	d->cr = cairo_create(d->s);
	cairo_scale(d->cr, 1 / PT, 1 / PT);     /* draw in millimetres */
	d->sans = cjk_face(d->cr, CAIRO_FONT_WEIGHT_NORMAL);
	d->bold = cjk_face(d->cr, CAIRO_FONT_WEIGHT_BOLD);
	if (!d->sans || !d->bold) {
		log_err("no font with Chinese glyphs found (install fonts-noto-cjk)");
		struct buf scratch = { 0 };
		pdf_end(d, &scratch);
		buf_free(&scratch);
		return NULL;
	}
	d->y = MARGIN;
	d->page = 1;
	return d;
}

/* Bytes of the UTF-8 character at s. */
static size_t char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	for (size_t i = 1; i < n; i++)
		if (!s[i])
			return i;
	return n;
}

/* Punctuation that must not begin a line: it stays on the line before.
 * Each is three bytes of UTF-8. */
static int no_line_start(const char *s)
{
	static const char closers[] = "，。、；：）”！？";
	for (size_t i = 0; i + 3 <= sizeof closers - 1; i += 3)
		if (!strncmp(s, closers + i, 3))
			return 1;
	return 0;
}

/* The byte lengths of the lines text breaks into at width (current font):
 * a new line at '\n' or before a character that would cross the width,
 * unless it is closing punctuation. Returns the number of lines (>= 1). */
static size_t break_lines(cairo_t *cr, const char *text, double width, size_t *len, size_t max)
{
	size_t n = 0, start = 0, i = 0;
	double w = 0;

	while (text[i] && n + 1 < max) {
		size_t k = char_len(text + i);
		char ch[5] = { 0 };
		cairo_text_extents_t e;
		if (text[i] == '\n') {
			len[n++] = i - start;
			start = i + 1;
			i++;
			w = 0;
			continue;
		}
		memcpy(ch, text + i, k);
		cairo_text_extents(cr, ch, &e);
		if (w + e.x_advance > width && i > start && !no_line_start(text + i)) {
			len[n++] = i - start;
			start = i;
			w = 0;
		}
		w += e.x_advance;
		i += k;
	}
	len[n++] = strlen(text + start);
	return n;
}

#define MAX_LINES 400

/* Writes lines of text from x at the current y (advanced), size pt. */
static void text_block(struct pdfdoc *d, const char *text, double x, double width, double pt)
{
	size_t len[MAX_LINES], n, off = 0;
	double lh = pt * PT * LEAD;

	cairo_set_font_size(d->cr, pt * PT);
	n = break_lines(d->cr, text, width, len, MAX_LINES);
	for (size_t i = 0; i < n; i++) {
		char *line = xstrndup(text + off, len[i]);
		need(d, lh);
		cairo_move_to(d->cr, x, d->y + pt * PT);
		cairo_show_text(d->cr, line);
		free(line);
		d->y += lh;
		off += len[i];
		if (text[off] == '\n')
			off++;
	}
}

void pdf_title(struct pdfdoc *d, const char *s)
{
	cairo_text_extents_t e;
	cairo_set_font_face(d->cr, d->bold);
	cairo_set_font_size(d->cr, 16 * PT);
	cairo_text_extents(d->cr, s, &e);
	need(d, 12);
	cairo_move_to(d->cr, (PAGE_W - e.x_advance) / 2, d->y + 16 * PT);
	cairo_show_text(d->cr, s);
	d->y += 12;
}

void pdf_heading(struct pdfdoc *d, const char *s)
{
	need(d, 14);
	d->y += 3;
	cairo_set_font_face(d->cr, d->bold);
	text_block(d, s, MARGIN, PAGE_W - 2 * MARGIN, 12);
	d->y += 1;
}

void pdf_para(struct pdfdoc *d, const char *s)
{
	cairo_set_font_face(d->cr, d->sans);
	text_block(d, s, MARGIN, PAGE_W - 2 * MARGIN, BODY_PT);
	d->y += 1.5;
}

void pdf_space(struct pdfdoc *d, double mm)
{
	d->y += mm;
}

#define CELL_PT  9.0
#define CELL_PAD 1.5

/* The height of a table row: its tallest cell, at least min_h. */
static double row_height(struct pdfdoc *d, const double *widths, size_t ncols, const char *const *cells,
                         double min_h)
{
	size_t len[MAX_LINES];
	double h = min_h, lh = CELL_PT * PT * LEAD;
	for (size_t c = 0; c < ncols; c++) {
		size_t n = cells[c] ? break_lines(d->cr, cells[c], widths[c] - 2 * CELL_PAD, len, MAX_LINES) : 1;
		if (n * lh + 2 * CELL_PAD > h)
			h = (double)n * lh + 2 * CELL_PAD;
	}
	return h;
}

static void draw_row(struct pdfdoc *d, const double *widths, size_t ncols, const char *const *cells, double h,
                     int header)
{
	double x = MARGIN, y0 = d->y;
	cairo_set_line_width(d->cr, 0.2);
	cairo_set_font_face(d->cr, header ? d->bold : d->sans);
	for (size_t c = 0; c < ncols; c++) {
		cairo_rectangle(d->cr, x, y0, widths[c], h);
		cairo_stroke(d->cr);
		if (cells[c]) {
			d->y = y0 + CELL_PAD;
			text_block(d, cells[c], x + CELL_PAD, widths[c] - 2 * CELL_PAD, CELL_PT);
		}
		x += widths[c];
	}
	d->y = y0 + h;
}

void pdf_table(struct pdfdoc *d, const double *widths, size_t ncols, const char *const *cells, size_t nrows,
               double min_row_mm)
{
	double hh;

	if (nrows == 0)
		return;
	cairo_set_font_size(d->cr, CELL_PT * PT);
	cairo_set_font_face(d->cr, d->bold);
	hh = row_height(d, widths, ncols, cells, 0);
	need(d, hh + min_row_mm + 2);
	draw_row(d, widths, ncols, cells, hh, 1);
	for (size_t r = 1; r < nrows; r++) {
		const char *const *row = cells + r * ncols;
		cairo_set_font_face(d->cr, d->sans);
		cairo_set_font_size(d->cr, CELL_PT * PT);
		double h = row_height(d, widths, ncols, row, min_row_mm);
		if (d->y + h > PAGE_H - MARGIN) {
			new_page(d);
			draw_row(d, widths, ncols, cells, hh, 1);
		}
		draw_row(d, widths, ncols, row, h, 0);
	}
	d->y += 3;
}

void pdf_bar(struct pdfdoc *d, const char *label, double frac, const char *value, double frac2,
             const char *value2)
{
	const double lw = 70, bw = 70, bh = 2.6;
	double y;

	need(d, 9);
	y = d->y;
	cairo_set_font_face(d->cr, d->sans);
	text_block(d, label, MARGIN, lw - 2, 8);
	d->y = y;
	for (int k = 0; k < 2; k++) {
		double f = k ? frac2 : frac;
		f = f < 0 ? 0 : f > 1 ? 1 : f;
		cairo_set_source_rgb(d->cr, k ? 0.6 : 0.15, k ? 0.6 : 0.35, k ? 0.6 : 0.65);
		cairo_rectangle(d->cr, MARGIN + lw, y + 0.5 + k * (bh + 0.6), bw * f, bh);
		cairo_fill(d->cr);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
		cairo_set_font_size(d->cr, 7 * PT);
		cairo_move_to(d->cr, MARGIN + lw + bw + 2, y + 0.5 + k * (bh + 0.6) + bh - 0.2);
		cairo_show_text(d->cr, k ? value2 : value);
	}
	d->y = y + 2 * bh + 3.5 > d->y ? y + 2 * bh + 3.5 : d->y;
}

int pdf_end(struct pdfdoc *d, struct buf *out)
{
	int rc = 0;
	if (d->sans && d->bold)
		footer(d);
	cairo_destroy(d->cr);
	cairo_surface_finish(d->s);
	rc = cairo_surface_status(d->s) == CAIRO_STATUS_SUCCESS ? 0 : -1;
	cairo_surface_destroy(d->s);
	if (d->sans)
		cairo_font_face_destroy(d->sans);
	if (d->bold)
		cairo_font_face_destroy(d->bold);
	if (rc == 0)
		buf_put(out, d->bytes.data, d->bytes.len);
	buf_free(&d->bytes);
	free(d);
	return rc;
}
