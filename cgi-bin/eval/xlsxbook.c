/*
 * xlsxbook.c - a workbook of simple sheets (xlsxbook.h).
 */
#include "xlsxbook.h"
#include "csv.h"
#include "log.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define BOOK_MAX (64u * 1024u * 1024u)   /* bound on the finished file read back */

static void write_sheet(lxw_workbook *wb, lxw_format *head, const struct xsheet *s)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, s->name);

	for (size_t r = 0; r < s->nrows; r++)
		for (size_t c = 0; c < s->ncols; c++) {
			const char *v = s->cells[r * s->ncols + c];
			if (!v || !*v)
				continue;
			if (r > 0 && s->numeric && s->numeric[c] == '1')
				worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, strtod(v, NULL), NULL);
			else
				worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, v, r ? NULL : head);
		}
	worksheet_freeze_panes(ws, 1, 0);
	if (s->nrows && s->ncols)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)(s->nrows - 1), (lxw_col_t)(s->ncols - 1));
	worksheet_set_column(ws, 0, (lxw_col_t)(s->ncols ? s->ncols - 1 : 0), 16, NULL);
}

int xlsx_book(const struct xsheet *sheets, size_t n, struct buf *out)
{
	const char *tmpdir = getenv("TMPDIR");
	char path[512], err[160];
	char *data = NULL;
	size_t len = 0;
	int fd, rc = -1;
	lxw_workbook *wb;
	lxw_error e;

	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	/* mkstemp reserves a unique name; the library then writes the file. */
	if ((size_t)snprintf(path, sizeof path, "%s/smesurvey-book-XXXXXX", tmpdir) >= sizeof path ||
	    (fd = mkstemp(path)) < 0) {
		log_err("xlsx: mkstemp in %s: %s", tmpdir, strerror(errno));
		return -1;
	}
	close(fd);
	if ((wb = workbook_new(path)) != NULL) {
		lxw_format *head = workbook_add_format(wb);
		format_set_bold(head);
		for (size_t i = 0; i < n; i++)
			write_sheet(wb, head, &sheets[i]);
		if ((e = workbook_close(wb)) != LXW_NO_ERROR)
			log_err("xlsx: %s", lxw_strerror(e));
		else if (file_read_bounded(path, BOOK_MAX, &data, &len, err, sizeof err) == 0)
			rc = 0;
		else
			log_err("xlsx: %s", err);
	}
	if (rc == 0)
		buf_put(out, data, len);
	unlink(path);
	free(data);
	return rc;
}
