/*
 * export.h - wide exports of one questionnaire's responses (CSV UTF-8,
 * CSV GB18030 for Chinese Excel, XLSX) and the codebook as CSV.
 *
 * Columns: response_id, region_code, region_name, username,
 * account_org_name (the account's; hub/window also have a field org_name),
 * status, proxy, submitted_at, then form_export_columns() (codebook order,
 * field codes; multi/rank expand to <code>__<option>).
 * Answers are read with one query ordered by response id and merged with
 * the responses in one pass, so memory grows linearly with the data.
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
};

/* Writes the export into out. tmpdir is where XLSX is assembled (NULL:
 * $TMPDIR or /tmp). *nrows gets the number of responses. Returns 0, -1 on
 * a database error, -2 when the file could not be produced (logged). */
int export_responses(struct db *db, const struct form *f, const struct export_filter *flt,
                     enum export_format fmt, const char *tmpdir, struct buf *out,
                     size_t *nrows);

/* The dictionary: code, section, label, type, options, unit, required,
 * rule - one row per field in codebook order, CSV UTF-8. */
void export_codebook_csv(const struct form *f, struct buf *out);

#endif
