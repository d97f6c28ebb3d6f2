/*
 * export.h - wide exports of one questionnaire's responses (CSV UTF-8,
 * CSV GB18030 for Chinese Excel, XLSX) and the codebook as CSV.
 *
 * Columns: response_id, region_code, region_name, username,
 * account_org_name (the account's; hub/window also have a field org_name),
 * status, proxy, submitted_at, then form_export_columns() (codebook order,
 * field codes; multi/rank expand to <code>__<option>).
 * Exports stream (issue 13): responses are read EXPORT_CHUNK at a time by
 * key (and the answers of that chunk), inside one transaction so that every
 * chunk sees the same snapshot, merged in one pass and written as they come;
 * CSV leaves in 64 KiB pieces (converted to GB18030 piece by piece), XLSX is
 * written by libxlsxwriter in constant_memory mode to a temporary file and
 * sent from it in pieces, .sav rows are spooled to a temporary file (string
 * widths come first in the file) and then written through libreadstat
 * straight to the client. A worker's memory does not grow with the number
 * of responses.
 */
#ifndef SME_EXPORT_H
#define SME_EXPORT_H

#include <stddef.h>

struct db;
struct form;
struct buf;

/* EXPORT_SAV: an SPSS system file (libreadstat): one variable per column,
 * the Chinese question labels as variable labels, the option texts as value
 * labels, numbers as numeric variables, UTF-8. */
enum export_format { EXPORT_CSV, EXPORT_CSV_GB18030, EXPORT_XLSX, EXPORT_SAV };

struct export_filter {
	const char *region;   /* region code, NULL = every region */
	const char *status;   /* "submitted" or "draft", NULL = both */
	int label_row;        /* CSV: a second header row of Chinese labels, as the XLSX has */
};

/* Where an export goes: begin(ctx) once, after the first chunk was read and
 * before the first byte (the caller sends its headers then), then
 * write(ctx, bytes, n) for each piece. Each returns 0, or -1 to stop (the
 * client has gone). */
struct export_out {
	int  (*begin)(void *ctx);
	int  (*write)(void *ctx, const char *p, size_t n);
	void  *ctx;
};

/* Writes the export to out. tmpdir is where XLSX and .sav are assembled
 * (NULL: $TMPDIR or /tmp). *nrows gets the number of responses. Returns 0;
 * before begin was called: -1 on a database error, -2 when the file could
 * not be produced (logged; the caller can still answer with an error page);
 * -3 when it failed after begin (logged; the output is incomplete). */
int export_responses(struct db *db, const struct form *f, const struct export_filter *flt,
                     enum export_format fmt, const char *tmpdir, const struct export_out *out,
                     size_t *nrows);

/* The dictionary: code, section, label, type, options, unit, required,
 * rule - one row per field in codebook order, CSV UTF-8. */
void export_codebook_csv(const struct form *f, struct buf *out);

#endif
