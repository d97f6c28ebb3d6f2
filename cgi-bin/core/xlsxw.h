/*
 * xlsxw.h - the one way a workbook is written (data exports, indicators):
 * libxlsxwriter in constant-memory mode into a temporary file, every write
 * checked. The first failed write is logged and remembered, and xw_close
 * then fails, so a damaged file is never sent. Text longer than a cell may
 * hold (32,767 bytes here) is cut on a UTF-8 boundary.
 */
#ifndef SME_XLSXW_H
#define SME_XLSXW_H

#include <stddef.h>
#include <xlsxwriter.h>

#define XW_STR_MAX 32767

struct xw {
	lxw_workbook  *wb;
	lxw_worksheet *ws;                 /* the sheet being written */
	lxw_format    *bold, *date, *datetime;
	const char    *what;               /* for the log: "export", "indicators" */
	char           path[4096];
	int            failed;
};

/* A new workbook in a temporary file under tmpdir (NULL or "": $TMPDIR,
 * else /tmp) with its first sheet. 0, or -1 (logged, nothing left). */
int  xw_open(struct xw *x, const char *what, const char *tmpdir, const char *sheet);
/* Another sheet, written from then on (constant memory: the earlier
 * sheets are finished). 0 or -1. */
int  xw_sheet(struct xw *x, const char *name);
void xw_string(struct xw *x, lxw_row_t row, lxw_col_t col, const char *v, lxw_format *fmt);
void xw_number(struct xw *x, lxw_row_t row, lxw_col_t col, double v);
void xw_datetime(struct xw *x, lxw_row_t row, lxw_col_t col, const lxw_datetime *d, lxw_format *fmt);
/* Freeze panes, autofilter, column widths: their errors count too. */
void xw_check(struct xw *x, lxw_error e, const char *op);
/* Finishes the file: 0 when it and every write succeeded, else -1. The
 * file stays at x->path for xw_send; xw_discard removes it. */
int  xw_close(struct xw *x);
/* Sends the finished file through write(ctx, data, len) (< 0: stop) in
 * chunks, never the whole file in memory. 0 or -1. */
int  xw_send(struct xw *x, int (*write)(void *ctx, const char *data, size_t len), void *ctx);
/* Closes the workbook if still open and removes the file. */
void xw_discard(struct xw *x);

#endif
