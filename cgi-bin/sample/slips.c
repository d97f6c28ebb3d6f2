/*
 * slips.c - QR invitation slips (cairo: PDF for print, PNG for one slip on
 * screen) and the invitation funnel of a region.
 *
 * Geometry is in millimetres (the cairo CTM is scaled once). A4 with a
 * 10 mm margin holds 2 x 4 slips of 95 x 69.25 mm. The QR symbol is a
 * small image (one pixel per module, unsmoothed) with a 4-module quiet zone
 * in a 36 mm box: 0.88 mm modules for version 4 (33 modules).
 */
#include "slips.h"
#include "auth.h"
#include "codes.h"
#include "conf.h"
#include "db.h"
#include "draw.h"
#include "html.h"
#include "http.h"
#include "lazylib.h"     /* cairo and libqrencode, loaded with the first slips */
#include "log.h"
#include "util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define PT_PER_MM (72.0 / 25.4)
#define FS(pt)    ((pt) * 25.4 / 72.0)     /* font size in points -> mm */
#define PAGE_W    210.0
#define PAGE_H    297.0
#define MARGIN    10.0
#define COLS      2
#define ROWS      4
#define SLIP_W    ((PAGE_W - 2 * MARGIN) / COLS)
#define SLIP_H    ((PAGE_H - 2 * MARGIN) / ROWS)
#define PAD       4.0
#define QR_BOX    36.0
#define INV_PT    6.5
#define INV_LINES 8

/* Shortened from the preambles of 附件4 and 附件5 of the notice. */
static const char *const invite_text[2] = {
	"为改善服务环境，推动中小企业公共服务平台网络建设，我们委托有关机构开展此次问卷调查。"
	"您所填写的内容将作为对本地区中小企业服务环境的一次客观调查，对贵机构所提供的所有信息"
	"我们将予以保密使用。请扫描右侧二维码注册，在线填写《服务资源单位调查表》。衷心感谢您的支持！",
	"为改善中小企业服务环境，我们正在全国推动建设中小企业公共服务平台网络，委托有关机构开展"
	"此次问卷调查，了解平台网络对中小企业服务环境的改善情况。对贵企业所提供的所有信息我们将"
	"予以保密使用。请扫描右侧二维码注册，在线填写《中小企业调查表》。衷心感谢您的支持！",
};

struct lines {
	char  **v;
	size_t  n;
};

struct render {
	cairo_t *cr;
	cairo_font_face_t *sans, *bold, *mono;
	const struct slip_info *si;
	struct lines inv[2];          /* invitation text, wrapped once per form */
	char due[2][40];              /* deadline as 2013年11月25日 24:00 */
	/* What is the same on every slip of a form (header, invitation text,
	 * deadline, phone) and on every page (cut marks), drawn once into
	 * recording surfaces: cairo's PDF surface writes a recording surface
	 * used as a source once, as a Form XObject, and every further use is
	 * one "Do" - no text, glyph positions or compression per slip. */
	cairo_surface_t *head[2], *body[2], *marks;
	double head_y[2];             /* baseline of the header, from the slip's top */
};

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void lines_push(struct lines *l, const char *s, size_t n, int ellipsis)
{
	struct buf b = { 0 };
	buf_put(&b, s, n);
	if (ellipsis)
		buf_puts(&b, "…");
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = buf_steal(&b);
}

static size_t cp_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
	for (size_t i = 1; i < n; i++)
		if (s[i] == '\0')
			return i;
	return n;
}

/* Closing punctuation may hang past the right edge rather than start a line. */
static int closing_punct(const char *s)
{
	static const char *const p[] = { "，", "。", "、", "；", "：", "？", "！", "）", "》", "」", "”" };
	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
		if (strncmp(s, p[i], strlen(p[i])) == 0)
			return 1;
	return 0;
}

/* Breaks text (current font) into lines no wider than width; at most
 * maxlines, the last one cut with an ellipsis when the text is longer.
 * Linear in the text: every character is measured once. Returns 1 when
 * the text was cut. */
static int wrap(cairo_t *cr, const char *text, double width, size_t maxlines, struct lines *out)
{
	const char *s = text, *line = text;
	double w = 0;
	int hung = 0;
	out->v = NULL;
	out->n = 0;
	while (*s) {
		size_t k = cp_len(s);
		char ch[5] = { 0 };
		cairo_text_extents_t e;
		memcpy(ch, s, k);
		cairo_text_extents(cr, ch, &e);
		if (w + e.x_advance > width && s > line && !(closing_punct(s) && !hung)) {
			if (out->n + 1 >= maxlines) {
				/* Drop the last character to make room for the ellipsis. */
				const char *end = line, *prev = line;
				while (end < s) {
					prev = end;
					end += cp_len(end);
				}
				lines_push(out, line, (size_t)(prev - line), 1);
				return 1;
			}
			lines_push(out, line, (size_t)(s - line), 0);
			line = s;
			w = 0;
			hung = 0;
		} else if (w + e.x_advance > width) {
			hung = 1;
		}
		w += e.x_advance;
		s += k;
	}
	if (s > line)
		lines_push(out, line, (size_t)(s - line), 0);
	return 0;
}

static void text_at(cairo_t *cr, double x, double y, const char *s)
{
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s);
}

/* 'YYYY-MM-DD HH:MM:SS' -> 'YYYY年MM月DD日'; other input is copied. */
static void due_label(const char *d, char out[40])
{
	int y, m, dd;
	if (d && sscanf(d, "%4d-%2d-%2d", &y, &m, &dd) == 3)
		snprintf(out, 40, "%d年%d月%d日", y, m, dd);
	else
		snprintf(out, 40, "%s", d ? d : "");
}

/* A recording surface in the page's units (mm), bounded by ext, for ink
 * drawn once and painted on many slips (struct render). Metrics unhinted,
 * as on the PDF surface, so text measures and lands the same. */
static cairo_t *record_begin(double x, double y, double w, double h)
{
	cairo_rectangle_t ext = { x, y, w, h };
	cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
	cairo_t *cr = cairo_create(s);
	cairo_surface_destroy(s);
	cairo_font_options_t *o = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(o, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(o, CAIRO_HINT_STYLE_NONE);
	cairo_set_font_options(cr, o);
	cairo_font_options_destroy(o);
	return cr;
}

static cairo_surface_t *record_end(cairo_t *cr)
{
	cairo_surface_t *s = cairo_surface_reference(cairo_get_target(cr));
	cairo_destroy(cr);
	return s;
}

static void paint_recording(cairo_t *cr, cairo_surface_t *rec, double x, double y)
{
	cairo_set_source_surface(cr, rec, x, y);
	cairo_paint(cr);
}

/* The QR symbol as a 1-bit image, one pixel per module, scaled into the box
 * (inside a 4-module quiet zone, which is the white paper) without
 * smoothing, and painted black through it as a stencil: cairo's PDF
 * surface writes an A1 mask under a solid colour as an /ImageMask with
 * /Interpolate false, so every module prints as a sharp square and a slip
 * costs ~200 bytes of image. Drawing the modules as vector rectangles made
 * printing 10,000 slips spend most of its time formatting coordinates. */
static int draw_qr(cairo_t *cr, const QRcode *q, double x, double y, double box)
{
	int w = q->width;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_A1, w, w);
	if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(img);
		return -1;
	}
	cairo_surface_flush(img);
	unsigned char *px = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	memset(px, 0, (size_t)stride * (size_t)w);
	/* A1 packs 32 pixels per native-endian word, the first pixel in the
	 * least significant bit on a little-endian machine, the most on a
	 * big-endian one. */
	const uint32_t one = 1;
	int little = *(const unsigned char *)&one == 1;
	const unsigned char *m = q->data;
	for (int row = 0; row < w; row++) {
		uint32_t *line = (uint32_t *)(void *)(px + (size_t)row * (size_t)stride);
		for (int col = 0; col < w; col++, m++)
			if (*m & 1)
				line[col >> 5] |= little ? 1u << (col & 31) : 0x80000000u >> (col & 31);
	}
	cairo_surface_mark_dirty(img);
	int side = w + 8;
	cairo_pattern_t *pat = cairo_pattern_create_for_surface(img);
	cairo_matrix_t mx;
	/* Pattern space is the image's pixels: from user space (mm), move to
	 * the box's first module and scale modules to pixels. */
	cairo_matrix_init_scale(&mx, side / box, side / box);
	cairo_matrix_translate(&mx, -(x + 4 * box / side), -(y + 4 * box / side));
	cairo_pattern_set_matrix(pat, &mx);
	cairo_pattern_set_filter(pat, CAIRO_FILTER_NEAREST);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_mask(cr, pat);
	cairo_pattern_destroy(pat);
	cairo_surface_destroy(img);
	return 0;
}

static QRcode *qr_encode(const char *url)
{
	QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (q == NULL)
		log_err("QRcode_encodeString failed for a %zu-byte URL", strlen(url));
	else if (q->version > 4)
		log_warn("QR version %d for a %zu-byte URL: shorten base_url", q->version, strlen(url));
	return q;
}

static void slip_url(struct buf *b, const struct slip_info *si, const struct issued *u)
{
	buf_reset(b);
	buf_printf(b, "%s/register?code=%s", si->base_url, u->code);
}

static int draw_slip(struct render *R, double x0, double y0, const struct issued *u, const QRcode *q)
{
	cairo_t *cr = R->cr;
	const struct slip_info *si = R->si;
	int sme = strcmp(u->form, "sme") == 0;
	double lx = x0 + PAD;
	double qx = x0 + SLIP_W - PAD - QR_BOX, qy = y0 + PAD + 5;
	double lw = qx - 1.5 - lx, y;
	struct lines l;
	struct buf b = { 0 };

	/* Header: region and questionnaire, with its rule (recorded once). */
	paint_recording(cr, R->head[sme], x0, y0);
	y = y0 + R->head_y[sme];

	/* Addressee: long names get a smaller size and a third line. */
	static const struct { double pt; size_t lines; } fit[] = { { 8, 2 }, { 7, 3 }, { 6, 3 } };
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_font_face(cr, R->bold);
	buf_printf(&b, "致：%s", u->name);
	double pt = 8;
	for (size_t f = 0; f < sizeof fit / sizeof fit[0]; f++) {
		pt = fit[f].pt;
		cairo_set_font_size(cr, FS(pt));
		if (!wrap(cr, b.data, lw, fit[f].lines, &l) || f + 1 == sizeof fit / sizeof fit[0])
			break;
		lines_free(&l);
	}
	y += 1.6 + FS(pt) * 1.3;
	for (size_t i = 0; i < l.n; i++, y += FS(pt) * 1.3)
		text_at(cr, lx, y, l.v[i]);
	lines_free(&l);

	/* Invitation text, deadline, help phone (recorded once per form). */
	y += 0.6;
	paint_recording(cr, R->body[sme], lx, y);

	/* QR code, then the code and the URL in text for typing. */
	slip_url(&b, si, u);
	int rc = draw_qr(cr, q, qx, qy, QR_BOX);
	char grouped[CODE_GROUPED + 1];
	code_group(u->code, grouped);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_font_face(cr, R->mono);
	double yb = y0 + SLIP_H - PAD;
	cairo_set_font_size(cr, FS(6.5));
	struct buf t = { 0 };
	buf_printf(&t, "网址：%s", b.data);
	text_at(cr, lx, yb, t.data);
	cairo_set_font_size(cr, FS(10));
	buf_reset(&t);
	buf_printf(&t, "邀请码：%s", grouped);
	text_at(cr, lx, yb - FS(6.5) * 1.5, t.data);
	explicit_bzero(grouped, sizeof grouped);
	explicit_bzero(t.data, t.len);
	explicit_bzero(b.data, b.len);
	buf_free(&t);
	buf_free(&b);
	return rc;
}

/* Short marks on the page edges along every cut line, small crosses where
 * the cuts meet inside the sheet. */
static void cut_marks(cairo_t *cr)
{
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	cairo_set_line_width(cr, 0.15);
	for (int c = 0; c <= COLS; c++) {
		double x = MARGIN + c * SLIP_W;
		cairo_move_to(cr, x, 2);
		cairo_line_to(cr, x, MARGIN - 2);
		cairo_move_to(cr, x, PAGE_H - MARGIN + 2);
		cairo_line_to(cr, x, PAGE_H - 2);
	}
	for (int rw = 0; rw <= ROWS; rw++) {
		double y = MARGIN + rw * SLIP_H;
		cairo_move_to(cr, 2, y);
		cairo_line_to(cr, MARGIN - 2, y);
		cairo_move_to(cr, PAGE_W - MARGIN + 2, y);
		cairo_line_to(cr, PAGE_W - 2, y);
	}
	for (int c = 1; c < COLS; c++)
		for (int rw = 1; rw < ROWS; rw++) {
			double x = MARGIN + c * SLIP_W, y = MARGIN + rw * SLIP_H;
			cairo_move_to(cr, x - 1.5, y);
			cairo_line_to(cr, x + 1.5, y);
			cairo_move_to(cr, x, y - 1.5);
			cairo_line_to(cr, x, y + 1.5);
		}
	cairo_stroke(cr);
}

/* The header of a form's slips, from the slip's top left corner: region
 * and questionnaire in one line, and a rule under it. */
static cairo_surface_t *record_head(struct render *R, int sme)
{
	cairo_t *cr = record_begin(0, 0, SLIP_W, SLIP_H);
	double fullw = SLIP_W - 2 * PAD, y = PAD + FS(9) * 0.9;
	struct lines l;
	struct buf b = { 0 };
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_font_face(cr, R->bold);
	cairo_set_font_size(cr, FS(9));
	buf_printf(&b, "%s · %s调查邀请", R->si->region_name, sme ? "中小企业" : "服务资源单位");
	(void)wrap(cr, b.data, fullw, 1, &l);
	if (l.n)
		text_at(cr, PAD, y, l.v[0]);
	lines_free(&l);
	buf_free(&b);
	cairo_set_line_width(cr, 0.2);
	cairo_move_to(cr, PAD, y + 1.6);
	cairo_line_to(cr, PAD + fullw, y + 1.6);
	cairo_stroke(cr);
	R->head_y[sme] = y;
	return record_end(cr);
}

/* The invitation text, deadline and help phone of a form's slips, from the
 * first line's baseline at the left edge of the text. */
static cairo_surface_t *record_body(struct render *R, int sme)
{
	cairo_t *cr = record_begin(-PAD, -SLIP_H, SLIP_W, 2 * SLIP_H);
	double y = 0;
	struct buf b = { 0 };
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_font_face(cr, R->sans);
	cairo_set_font_size(cr, FS(INV_PT));
	const struct lines *inv = &R->inv[sme];
	for (size_t i = 0; i < inv->n; i++, y += FS(INV_PT) * 1.4)
		text_at(cr, 0, y, inv->v[i]);
	cairo_set_font_size(cr, FS(7));
	y += 0.8;
	buf_printf(&b, "请于%s前完成填写", R->due[sme]);
	text_at(cr, 0, y, b.data);
	if (R->si->help_phone && *R->si->help_phone) {
		y += FS(7) * 1.4;
		buf_reset(&b);
		buf_printf(&b, "咨询电话：%s", R->si->help_phone);
		text_at(cr, 0, y, b.data);
	}
	buf_free(&b);
	return record_end(cr);
}

/* Does the face have a glyph for a common Chinese character? */
static int face_has_cjk(cairo_t *cr, cairo_font_face_t *f)
{
	cairo_glyph_t *g = NULL;
	int ng = 0, ok = 0;
	cairo_set_font_face(cr, f);
	cairo_set_font_size(cr, 3);
	if (cairo_scaled_font_text_to_glyphs(cairo_get_scaled_font(cr), 0, 0, "邀请", -1,
	                                     &g, &ng, NULL, NULL, NULL) == CAIRO_STATUS_SUCCESS)
		ok = ng == 2 && g[0].index != 0 && g[1].index != 0;
	cairo_glyph_free(g);
	return ok;
}

/* Picks installed CJK fonts through fontconfig (toy font API). */
static int render_init(struct render *R, cairo_t *cr, const struct slip_info *si)
{
	static const char *const fams[] = { "Noto Sans CJK SC", "WenQuanYi Micro Hei",
	                                    "Droid Sans Fallback", "sans-serif" };
	memset(R, 0, sizeof *R);
	R->cr = cr;
	R->si = si;
	const char *fam = NULL;
	for (size_t i = 0; i < sizeof fams / sizeof fams[0] && !fam; i++) {
		cairo_font_face_t *f = cairo_toy_font_face_create(fams[i], CAIRO_FONT_SLANT_NORMAL,
		                                                  CAIRO_FONT_WEIGHT_NORMAL);
		if (face_has_cjk(cr, f)) {
			fam = fams[i];
			R->sans = f;
		} else {
			cairo_font_face_destroy(f);
		}
	}
	if (fam == NULL) {
		log_err("no font with Chinese glyphs found (install fonts-noto-cjk)");
		return -1;
	}
	R->bold = cairo_toy_font_face_create(fam, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	R->mono = cairo_toy_font_face_create("Noto Sans Mono CJK SC", CAIRO_FONT_SLANT_NORMAL,
	                                     CAIRO_FONT_WEIGHT_NORMAL);
	if (!face_has_cjk(cr, R->mono)) {
		cairo_font_face_destroy(R->mono);
		R->mono = cairo_font_face_reference(R->sans);
	}
	due_label(si->deadline_resource, R->due[0]);
	due_label(si->deadline_sme, R->due[1]);
	cairo_set_font_face(cr, R->sans);
	cairo_set_font_size(cr, FS(INV_PT));
	double lw = SLIP_W - 2 * PAD - QR_BOX - 1.5;
	for (int k = 0; k < 2; k++)
		(void)wrap(cr, invite_text[k], lw, INV_LINES, &R->inv[k]);
	for (int k = 0; k < 2; k++) {
		R->head[k] = record_head(R, k);
		R->body[k] = record_body(R, k);
	}
	cairo_t *m = record_begin(0, 0, PAGE_W, PAGE_H);
	cut_marks(m);
	R->marks = record_end(m);
	return 0;
}

static void render_free(struct render *R)
{
	if (R->sans)
		cairo_font_face_destroy(R->sans);
	if (R->bold)
		cairo_font_face_destroy(R->bold);
	if (R->mono)
		cairo_font_face_destroy(R->mono);
	lines_free(&R->inv[0]);
	lines_free(&R->inv[1]);
	for (int k = 0; k < 2; k++) {
		cairo_surface_destroy(R->head[k]);
		cairo_surface_destroy(R->body[k]);
	}
	cairo_surface_destroy(R->marks);
}

/* QR symbols encoded ahead on a second thread. Choosing a symbol's mask
 * (libqrencode tries all eight and scores each) was ~40 % of printing
 * 10,000 slips; it needs nothing from cairo, so it runs on the other core
 * while this one draws, at most QR_AHEAD symbols in front of it. Without a
 * thread (pthread_create failed) the symbols are encoded in line. */
#define QR_AHEAD 64

struct qr_ahead {
	const struct slip_info *si;
	const struct issued    *units;
	size_t                  n;
	QRcode                **q;        /* ring of QR_AHEAD slots, by unit index */
	size_t                  made;     /* symbols [0, made) are encoded */
	size_t                  taken;    /* symbols [0, taken) were taken */
	int                     stop;     /* the drawing gave up: stop encoding */
	int                     threaded;
	pthread_t               th;
	pthread_mutex_t         mu;
	pthread_cond_t          cv;
};

static QRcode *qr_encode_unit(const struct slip_info *si, const struct issued *u)
{
	struct buf url = { 0 };
	slip_url(&url, si, u);
	QRcode *q = qr_encode(url.data);
	explicit_bzero(url.data, url.len);
	buf_free(&url);
	return q;
}

static void *qr_ahead_run(void *arg)
{
	struct qr_ahead *A = arg;
	for (size_t i = 0; i < A->n; i++) {
		pthread_mutex_lock(&A->mu);
		while (!A->stop && i - A->taken >= QR_AHEAD)
			pthread_cond_wait(&A->cv, &A->mu);
		int stop = A->stop;
		pthread_mutex_unlock(&A->mu);
		if (stop)
			break;
		QRcode *q = qr_encode_unit(A->si, &A->units[i]);
		pthread_mutex_lock(&A->mu);
		A->q[i % QR_AHEAD] = q;
		A->made = i + 1;
		pthread_cond_broadcast(&A->cv);
		pthread_mutex_unlock(&A->mu);
	}
	return NULL;
}

static void qr_ahead_start(struct qr_ahead *A, const struct slip_info *si, const struct issued *units, size_t n)
{
	memset(A, 0, sizeof *A);
	A->si = si;
	A->units = units;
	A->n = n;
	A->q = xcalloc(QR_AHEAD, sizeof *A->q);
	pthread_mutex_init(&A->mu, NULL);
	pthread_cond_init(&A->cv, NULL);
	/* One slip is not worth a thread. */
	A->threaded = n > 1 && pthread_create(&A->th, NULL, qr_ahead_run, A) == 0;
}

/* The symbol of unit i (taken in order, once); NULL when it failed (logged).
 * The caller frees it. */
static QRcode *qr_ahead_take(struct qr_ahead *A, size_t i)
{
	if (!A->threaded)
		return qr_encode_unit(A->si, &A->units[i]);
	pthread_mutex_lock(&A->mu);
	while (A->made <= i)
		pthread_cond_wait(&A->cv, &A->mu);
	QRcode *q = A->q[i % QR_AHEAD];
	A->q[i % QR_AHEAD] = NULL;
	A->taken = i + 1;
	pthread_cond_broadcast(&A->cv);
	pthread_mutex_unlock(&A->mu);
	return q;
}

static void qr_ahead_finish(struct qr_ahead *A)
{
	if (A->threaded) {
		pthread_mutex_lock(&A->mu);
		A->stop = 1;
		pthread_cond_broadcast(&A->cv);
		pthread_mutex_unlock(&A->mu);
		pthread_join(A->th, NULL);
	}
	for (size_t k = 0; k < QR_AHEAD; k++)
		QRcode_free(A->q[k]);
	free(A->q);
	pthread_mutex_destroy(&A->mu);
	pthread_cond_destroy(&A->cv);
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int slips_pdf(FILE *out, const struct slip_info *si, const struct issued *units, size_t n)
{
	if (lazylib_load() < 0)
		return -1;
	/* The surface writes each finished page out, so memory stays flat
	 * however many slips there are. */
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_file, out, PAGE_W * PT_PER_MM,
	                                                         PAGE_H * PT_PER_MM);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "平台网络评估调查邀请单");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "smesurvey");
	cairo_t *cr = cairo_create(s);
	struct render R;
	int rc = -1;
	cairo_scale(cr, PT_PER_MM, PT_PER_MM);
	if (render_init(&R, cr, si) == 0) {
		struct qr_ahead A;
		qr_ahead_start(&A, si, units, n);
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++) {
			size_t k = i % (COLS * ROWS);
			if (k == 0)
				paint_recording(cr, R.marks, 0, 0);
			double x = MARGIN + (double)(k % COLS) * SLIP_W, y = MARGIN + (double)(k / COLS) * SLIP_H;
			QRcode *q = qr_ahead_take(&A, i);
			rc = q ? draw_slip(&R, x, y, &units[i], q) : -1;
			QRcode_free(q);
			if (k == COLS * ROWS - 1 || i + 1 == n)
				cairo_show_page(cr);
		}
		qr_ahead_finish(&A);
	}
	render_free(&R);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		log_err("cairo: %s", cairo_status_to_string(cairo_status(cr)));
		rc = -1;
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		log_err("cairo pdf: %s", cairo_status_to_string(cairo_surface_status(s)));
		rc = -1;
	}
	cairo_surface_destroy(s);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The invitation funnel                                              */

static const char *mark(const char *v)
{
	return v && *v ? v : "—";
}

/* The funnel's steps: how many of the n drawn units reached each. */
static void funnel_steps(struct req *r, size_t n, const size_t cnt[5])
{
	static const char *const steps[5] = { "已打印邀请单", "已打开邀请链接", "已注册",
	                                      "已开始填写", "已提交" };
	static const char *const cols[] = { "环节", "单位数", "占抽中单位" };
	h_raw(r, "<h2 id=\"funnel\">邀请进度</h2>");
	h_table_begin(r, "funnel", NULL, cols, NELEMS(cols));
	/* Shares of nothing are no shares: "—" until units are drawn. */
	if (n)
		h_printf(r, "<tr><th scope=\"row\">抽中单位</th><td>%zu</td><td>100%%</td></tr>", n);
	else
		h_raw(r, "<tr><th scope=\"row\">抽中单位</th><td>0</td><td>—</td></tr>");
	for (int k = 0; k < 5; k++) {
		if (n)
			h_printf(r, "<tr><th scope=\"row\">%s</th><td>%zu</td><td>%zu%%</td></tr>", steps[k],
			         cnt[k], cnt[k] * 100 / n);
		else
			h_printf(r, "<tr><th scope=\"row\">%s</th><td>0</td><td>—</td></tr>", steps[k]);
	}
	h_table_end(r);
}

/* One unit of the funnel list: where it stands and its slip's actions. */
static void funnel_unit_row(struct req *r, const struct dbrows *rows, size_t i)
{
	const char *st = dbrows_get(rows, i, 7);
	const char *reg = dbrows_get(rows, i, 5);
	h_printf(r, "<tr data-unit=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td>",
	         dbrows_get(rows, i, 0), stratum_category_of(dbrows_get(rows, i, 1)),
	         dbrows_get(rows, i, 2), mark(dbrows_get(rows, i, 3)), mark(dbrows_get(rows, i, 4)));
	int paper = dbrows_int(rows, i, 11) != 0, proxied = dbrows_int(rows, i, 10) != 0;
	if (reg)
		h_printf(r, "<td>%s（%s）%s</td>", reg, mark(dbrows_get(rows, i, 6)),
		         paper ? "<br>为录入纸质表建立" : "");
	else
		h_raw(r, "<td>—</td>");
	if (st && strcmp(st, "submitted") == 0)
		h_printf(r, "<td>已提交%s %s</td>", proxied ? "（纸质表，代为录入）" : "", dbrows_get(rows, i, 9));
	else if (st)
		h_printf(r, "<td>草稿（%s 开始）</td>", dbrows_get(rows, i, 8));
	else
		h_raw(r, "<td>未开始</td>");
	if (reg)
		h_raw(r, "<td></td></tr>");
	else if (dbrows_get(rows, i, 3))
		h_printf(r, "<td><a href=\"/region/slips/one?unit=%s\">重印</a> "
		         "<a href=\"/region/slips/revoke?unit=%s\">作废并换发</a></td></tr>",
		         dbrows_get(rows, i, 0), dbrows_get(rows, i, 0));
	else
		h_printf(r, "<td><a href=\"/region/slips/one?unit=%s\">打印</a></td></tr>",
		         dbrows_get(rows, i, 0));
}

/* The units, a page at a time by id, with a filter by category and name;
 * rows holds up to FUNNEL_PAGE + 1 (one more: there is a next page). */
static void funnel_units(struct req *r, const struct funnel_page *pg, const struct dbrows *rows)
{
	static const char *const unit_cols[] = { "类别", "单位名称", "打印邀请单", "打开链接",
	                                         "注册（用户名）", "填写状态", "单张邀请单" };
	h_raw(r, "<form method=\"get\" action=\"/region/slips#funnel-list\" class=\"filters\" id=\"funnel-list\">"
	      "<label for=\"fstratum\">类别</label> <select id=\"fstratum\" name=\"stratum\"><option value=\"\">全部</option>");
	for (int st = 0; st < ST_COUNT; st++)
		h_option_of(r, stratum_code(st), stratum_category(st), pg->stratum);
	h_printf(r, "</select> <label for=\"fq\">单位名称</label> <input id=\"fq\" type=\"search\" name=\"q\" value=\"%s\" "
	         "maxlength=\"60\"> <button type=\"submit\">查找</button></form>", pg->q);
	size_t shown = rows->nrows > FUNNEL_PAGE ? FUNNEL_PAGE : rows->nrows;
	h_table_begin(r, "funnel-units", NULL, unit_cols, NELEMS(unit_cols));
	for (size_t i = 0; i < shown; i++)
		funnel_unit_row(r, rows, i);
	if (shown == 0)
		h_raw(r, "<tr><td colspan=\"7\">没有符合条件的单位。</td></tr>");
	h_table_end(r);

	struct buf link = { 0 }, top = { 0 }, next = { 0 };
	buf_puts(&link, "/region/slips?stratum=");
	url_encode(&link, pg->stratum);
	buf_puts(&link, "&q=");
	url_encode(&link, pg->q);
	buf_printf(&top, "%s#funnel-list", link.data);
	if (rows->nrows > FUNNEL_PAGE)
		buf_printf(&next, "%s&after=%s#funnel-list", link.data, dbrows_get(rows, shown - 1, 0));
	h_seek_pager(r, "邀请进度翻页", "", pg->after ? top.data : NULL, next.data);
	buf_free(&link);
	buf_free(&top);
	buf_free(&next);
}

int slips_funnel_table(struct req *r, const char *region_code, const struct funnel_page *pg)
{
	struct dbrows *rows, *c;
	if (db_query(r->db, STMT_SLIP_FUNNEL_COUNTS, DB_ARGS(A_STR(region_code)), &c) < 0)
		return -1;
	if (db_query(r->db, STMT_SLIP_UNITS,
	    DB_ARGS(A_STR(region_code), A_INT(pg->after), A_STR(pg->stratum), A_STR(pg->stratum), A_STR(pg->q),
	            A_STR(pg->q), A_INT(FUNNEL_PAGE + 1)), &rows) < 0) {
		dbrows_free(c);
		return -1;
	}
	size_t n = c->nrows ? (size_t)dbrows_int(c, 0, 0) : 0, cnt[5] = { 0 };
	for (int k = 0; k < 5 && c->nrows; k++)
		cnt[k] = (size_t)dbrows_int(c, 0, 1 + (size_t)k);
	dbrows_free(c);
	funnel_steps(r, n, cnt);
	if (n == 0)
		h_raw(r, "<p>本地区尚无抽中单位。</p>");
	else
		funnel_units(r, pg, rows);
	dbrows_free(rows);
	return 0;
}
