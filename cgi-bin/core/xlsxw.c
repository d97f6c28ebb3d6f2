/*
 * xlsxw.c - workbooks written with every write checked (xlsxw.h).
 */
#include "xlsxw.h"
#include "log.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XW_CHUNK (64 * 1024)

void xw_check(struct xw *x, lxw_error e, const char *op)
{
	if (e == LXW_NO_ERROR || x->failed)
		return;
	log_err("%s xlsx: %s: %s", x->what, op, lxw_strerror(e));
	x->failed = 1;
}

int xw_open(struct xw *x, const char *what, const char *tmpdir, const char *sheet)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE };
	int fd;

	memset(x, 0, sizeof *x);
	x->what = what;
	if (!tmpdir || !*tmpdir)
		tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if ((size_t)snprintf(x->path, sizeof x->path, "%s/smesurvey-%s-XXXXXX", tmpdir, what) >= sizeof x->path)
		return -1;
	/* mkstemp reserves a unique name; the library then rewrites the file. */
	if ((fd = mkstemp(x->path)) < 0) {
		log_err("%s xlsx: mkstemp in %s: %s", what, tmpdir, strerror(errno));
		x->path[0] = 0;
		return -1;
	}
	close(fd);
	opt.tmpdir = (char *)tmpdir;
	x->wb = workbook_new_opt(x->path, &opt);
	if (x->wb) {
		x->bold = workbook_add_format(x->wb);
		x->date = workbook_add_format(x->wb);
		x->datetime = workbook_add_format(x->wb);
	}
	if (!x->wb || !x->bold || !x->date || !x->datetime || xw_sheet(x, sheet) < 0) {
		log_err("%s xlsx: cannot create the workbook in %s", what, tmpdir);
		xw_discard(x);
		return -1;
	}
	format_set_bold(x->bold);
	format_set_num_format(x->date, "yyyy-mm-dd");
	format_set_num_format(x->datetime, "yyyy-mm-dd hh:mm:ss");
	return 0;
}

int xw_sheet(struct xw *x, const char *name)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	if (!ws) {
		x->failed = 1;
		return -1;
	}
	x->ws = ws;
	return 0;
}

void xw_string(struct xw *x, lxw_row_t row, lxw_col_t col, const char *v, lxw_format *fmt)
{
	if (strlen(v) > XW_STR_MAX) {
		char *cut = xstrndup(v, utf8_prefix(v, XW_STR_MAX));
		xw_check(x, worksheet_write_string(x->ws, row, col, cut, fmt), "cell");
		free(cut);
		return;
	}
	xw_check(x, worksheet_write_string(x->ws, row, col, v, fmt), "cell");
}

void xw_number(struct xw *x, lxw_row_t row, lxw_col_t col, double v)
{
	xw_check(x, worksheet_write_number(x->ws, row, col, v, NULL), "number");
}

void xw_datetime(struct xw *x, lxw_row_t row, lxw_col_t col, const lxw_datetime *d, lxw_format *fmt)
{
	xw_check(x, worksheet_write_datetime(x->ws, row, col, (lxw_datetime *)d, fmt), "date");
}

int xw_close(struct xw *x)
{
	lxw_error e = workbook_close(x->wb);
	x->wb = NULL;
	xw_check(x, e, "close");
	return x->failed ? -1 : 0;
}

int xw_send(struct xw *x, int (*write)(void *ctx, const char *data, size_t len), void *ctx)
{
	char chunk[XW_CHUNK];
	size_t got;
	int rc = 0;
	FILE *fp = fopen(x->path, "rb");
	if (!fp) {
		log_err("%s xlsx: cannot read back %s: %s", x->what, x->path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (got = fread(chunk, 1, sizeof chunk, fp)) > 0)
		rc = write(ctx, chunk, got) < 0 ? -1 : 0;
	if (ferror(fp)) {
		log_err("%s xlsx: reading %s: %s", x->what, x->path, strerror(errno));
		rc = -1;
	}
	fclose(fp);
	return rc;
}

void xw_discard(struct xw *x)
{
	if (x->wb)
		workbook_close(x->wb);
	x->wb = NULL;
	if (x->path[0])
		unlink(x->path);
	x->path[0] = 0;
}
