/*
 * xlsxbook.h - a workbook of simple sheets (the agency's dossier and
 * national exports): each sheet a bold, frozen header row with an
 * autofilter and rows of cells; columns marked numeric hold numbers (a
 * cell that is empty stays empty), the others text. Written by
 * libxlsxwriter into a temporary file under $TMPDIR, read back, removed.
 */
#ifndef SME_XLSXBOOK_H
#define SME_XLSXBOOK_H

#include <stddef.h>

struct buf;

struct xsheet {
	const char         *name;      /* at most 31 characters */
	const char *const  *cells;     /* nrows x ncols, row-major, the header first; NULL = empty */
	size_t              nrows, ncols;
	const char         *numeric;   /* ncols flags ('1' numeric), NULL: all text */
};

/* 0, or -1 (logged). The bytes are appended to out. */
int xlsx_book(const struct xsheet *sheets, size_t n, struct buf *out);

#endif
