/*
 * lazylib.h - cairo and libqrencode, loaded on first use (issue 21 item 3).
 * cairo maps pixman, X11, xcb, freetype and fontconfig with it: about
 * 1.7 MB resident in every worker of a program linked with it, although
 * only the slips (sample/slips.c) and the agency's documents
 * (eval/pdfdoc.c) draw. So no program is linked with either library: the
 * two modules include this header after <cairo.h>, <cairo-pdf.h> and
 * <qrencode.h>, which turns each call into a call through a pointer, and
 * their entry points call lazylib_load() first, which fills the pointers
 * (dlopen, dlsym) on the first document a worker draws.
 *
 * A function a drawing module calls that is not in LAZYLIB_SYMS stays a
 * reference to the library itself, and the program does not link: the
 * list cannot fall behind the code unnoticed.
 */
#ifndef SME_LAZYLIB_H
#define SME_LAZYLIB_H

#include <cairo.h>
#include <cairo-pdf.h>
#include <qrencode.h>

#define LAZYLIB_SYMS(X) \
	X(QRcode_encodeString) \
	X(QRcode_free) \
	X(cairo_create) \
	X(cairo_destroy) \
	X(cairo_fill) \
	X(cairo_font_face_destroy) \
	X(cairo_font_face_reference) \
	X(cairo_font_options_create) \
	X(cairo_font_options_destroy) \
	X(cairo_font_options_set_hint_metrics) \
	X(cairo_font_options_set_hint_style) \
	X(cairo_get_scaled_font) \
	X(cairo_get_target) \
	X(cairo_glyph_free) \
	X(cairo_image_surface_create) \
	X(cairo_image_surface_get_data) \
	X(cairo_image_surface_get_stride) \
	X(cairo_line_to) \
	X(cairo_mask) \
	X(cairo_matrix_init_scale) \
	X(cairo_matrix_translate) \
	X(cairo_move_to) \
	X(cairo_paint) \
	X(cairo_pattern_create_for_surface) \
	X(cairo_pattern_destroy) \
	X(cairo_pattern_set_filter) \
	X(cairo_pattern_set_matrix) \
	X(cairo_pdf_surface_create_for_stream) \
	X(cairo_pdf_surface_set_metadata) \
	X(cairo_recording_surface_create) \
	X(cairo_rectangle) \
	X(cairo_scale) \
	X(cairo_scaled_font_text_to_glyphs) \
	X(cairo_set_font_face) \
	X(cairo_set_font_options) \
	X(cairo_set_font_size) \
	X(cairo_set_line_width) \
	X(cairo_set_source_rgb) \
	X(cairo_set_source_surface) \
	X(cairo_show_page) \
	X(cairo_show_text) \
	X(cairo_status) \
	X(cairo_status_to_string) \
	X(cairo_stroke) \
	X(cairo_surface_destroy) \
	X(cairo_surface_finish) \
	X(cairo_surface_flush) \
	X(cairo_surface_mark_dirty) \
	X(cairo_surface_reference) \
	X(cairo_surface_status) \
	X(cairo_text_extents) \
	X(cairo_toy_font_face_create)

/* One pointer per function, of the function's own type. */
struct lazylib {
#define LAZYLIB_MEMBER(n) __typeof__(n) *n;
	LAZYLIB_SYMS(LAZYLIB_MEMBER)
#undef LAZYLIB_MEMBER
};
extern struct lazylib lazylib;

/* 0 once every function is found (the first call loads them), -1
 * (logged, and on every later call) when a library or a function is
 * missing. */
int lazylib_load(void);

/* The calls, through the pointers (lazylib.c, which fills them, does not
 * want them). */
#ifndef LAZYLIB_LOADER
#define QRcode_encodeString                      (*lazylib.QRcode_encodeString)
#define QRcode_free                              (*lazylib.QRcode_free)
#define cairo_create                             (*lazylib.cairo_create)
#define cairo_destroy                            (*lazylib.cairo_destroy)
#define cairo_fill                               (*lazylib.cairo_fill)
#define cairo_font_face_destroy                  (*lazylib.cairo_font_face_destroy)
#define cairo_font_face_reference                (*lazylib.cairo_font_face_reference)
#define cairo_font_options_create                (*lazylib.cairo_font_options_create)
#define cairo_font_options_destroy               (*lazylib.cairo_font_options_destroy)
#define cairo_font_options_set_hint_metrics      (*lazylib.cairo_font_options_set_hint_metrics)
#define cairo_font_options_set_hint_style        (*lazylib.cairo_font_options_set_hint_style)
#define cairo_get_scaled_font                    (*lazylib.cairo_get_scaled_font)
#define cairo_get_target                         (*lazylib.cairo_get_target)
#define cairo_glyph_free                         (*lazylib.cairo_glyph_free)
#define cairo_image_surface_create               (*lazylib.cairo_image_surface_create)
#define cairo_image_surface_get_data             (*lazylib.cairo_image_surface_get_data)
#define cairo_image_surface_get_stride           (*lazylib.cairo_image_surface_get_stride)
#define cairo_line_to                            (*lazylib.cairo_line_to)
#define cairo_mask                               (*lazylib.cairo_mask)
#define cairo_matrix_init_scale                  (*lazylib.cairo_matrix_init_scale)
#define cairo_matrix_translate                   (*lazylib.cairo_matrix_translate)
#define cairo_move_to                            (*lazylib.cairo_move_to)
#define cairo_paint                              (*lazylib.cairo_paint)
#define cairo_pattern_create_for_surface         (*lazylib.cairo_pattern_create_for_surface)
#define cairo_pattern_destroy                    (*lazylib.cairo_pattern_destroy)
#define cairo_pattern_set_filter                 (*lazylib.cairo_pattern_set_filter)
#define cairo_pattern_set_matrix                 (*lazylib.cairo_pattern_set_matrix)
#define cairo_pdf_surface_create_for_stream      (*lazylib.cairo_pdf_surface_create_for_stream)
#define cairo_pdf_surface_set_metadata           (*lazylib.cairo_pdf_surface_set_metadata)
#define cairo_recording_surface_create           (*lazylib.cairo_recording_surface_create)
#define cairo_rectangle                          (*lazylib.cairo_rectangle)
#define cairo_scale                              (*lazylib.cairo_scale)
#define cairo_scaled_font_text_to_glyphs         (*lazylib.cairo_scaled_font_text_to_glyphs)
#define cairo_set_font_face                      (*lazylib.cairo_set_font_face)
#define cairo_set_font_options                   (*lazylib.cairo_set_font_options)
#define cairo_set_font_size                      (*lazylib.cairo_set_font_size)
#define cairo_set_line_width                     (*lazylib.cairo_set_line_width)
#define cairo_set_source_rgb                     (*lazylib.cairo_set_source_rgb)
#define cairo_set_source_surface                 (*lazylib.cairo_set_source_surface)
#define cairo_show_page                          (*lazylib.cairo_show_page)
#define cairo_show_text                          (*lazylib.cairo_show_text)
#define cairo_status                             (*lazylib.cairo_status)
#define cairo_status_to_string                   (*lazylib.cairo_status_to_string)
#define cairo_stroke                             (*lazylib.cairo_stroke)
#define cairo_surface_destroy                    (*lazylib.cairo_surface_destroy)
#define cairo_surface_finish                     (*lazylib.cairo_surface_finish)
#define cairo_surface_flush                      (*lazylib.cairo_surface_flush)
#define cairo_surface_mark_dirty                 (*lazylib.cairo_surface_mark_dirty)
#define cairo_surface_reference                  (*lazylib.cairo_surface_reference)
#define cairo_surface_status                     (*lazylib.cairo_surface_status)
#define cairo_text_extents                       (*lazylib.cairo_text_extents)
#define cairo_toy_font_face_create               (*lazylib.cairo_toy_font_face_create)
#endif

#endif
