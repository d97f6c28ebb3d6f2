/*
 * pdfdoc.h - flowing A4 documents in Chinese for the agency's workspace
 * (visit notice, invitation list, attendance sheet, dossier): a title,
 * headings, wrapped paragraphs and ruled tables whose rows break across
 * pages (the header row repeated), a page number at the foot. cairo's PDF
 * surface with a CJK font found through fontconfig (fonts-noto-cjk), so
 * the fonts are embedded as subsets, as on the invitation slips.
 */
#ifndef SME_PDFDOC_H
#define SME_PDFDOC_H

#include <stddef.h>

struct buf;
struct pdfdoc;

/* A new document; NULL when no font with Chinese glyphs is installed. */
struct pdfdoc *pdf_begin(const char *title);
void pdf_title(struct pdfdoc *d, const char *s);      /* large, bold, centred */
void pdf_heading(struct pdfdoc *d, const char *s);    /* bold, a little space above */
void pdf_para(struct pdfdoc *d, const char *s);       /* wrapped body text ('\n' breaks) */
void pdf_space(struct pdfdoc *d, double mm);
/* A ruled table: cells row-major (nrows x ncols; NULL prints nothing), the
 * first row a bold header repeated on each page; widths in millimetres;
 * min_row_mm: at least this high (room to sign in). */
void pdf_table(struct pdfdoc *d, const double *widths, size_t ncols, const char *const *cells, size_t nrows,
               double min_row_mm);
/* Draws a horizontal bar of value / max (0..1) after a label, for charts. */
void pdf_bar(struct pdfdoc *d, const char *label, double frac, const char *value, double frac2,
             const char *value2);
/* Finishes the document into out (appended). 0, or -1 (nothing usable). */
int  pdf_end(struct pdfdoc *d, struct buf *out);

#endif
