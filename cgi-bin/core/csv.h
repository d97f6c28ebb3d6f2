/*
 * csv.h - a bounded RFC 4180 CSV reader over an in-memory UTF-8 text, and
 * charset detection/conversion for uploaded or imported text files.
 *
 * Accepted: fields separated by ',', optionally enclosed in '"' with '""'
 * as an escaped quote; records ended by CRLF, LF or a lone CR (old Mac
 * Excel); a leading UTF-8 BOM is skipped; a blank line is skipped (it is not
 * a record of one empty field); a missing final line break is fine.
 * Rejected with a line number: a quote inside an unquoted field, text after
 * a closing quote, an unterminated quoted field, NUL bytes, and anything
 * over the limits.
 *
 *   struct csv c;
 *   struct csv_row row = {0};
 *   int rc;
 *   csv_init(&c, text, len, NULL);
 *   while ((rc = csv_next(&c, &row)) > 0)
 *           use(row.line, row.fields[0], ...);
 *   if (rc < 0) report(c.err);               // "line 7: unterminated ..."
 *   csv_row_free(&row);
 */
#ifndef SME_CSV_H
#define SME_CSV_H

#include <stddef.h>

/* Defaults used when csv_init() gets NULL limits. */
#define CSV_MAX_BYTES      (10u * 1024u * 1024u)   /* whole input */
#define CSV_MAX_FIELDS     64u                     /* per record */
#define CSV_MAX_FIELD_LEN  4096u                   /* bytes per field */
#define CSV_MAX_RECORDS    100000u                 /* records, header included */

struct csv_limits {
	size_t max_bytes;
	size_t max_fields;
	size_t max_field_len;
	size_t max_records;
};

struct csv_row {
	char        **fields;   /* nfields NUL-terminated strings (into mem) */
	size_t       *lens;     /* byte length of each field */
	size_t        nfields;
	unsigned long line;     /* physical line (1-based) where the record starts */
	/* private */
	char         *mem;
	size_t        memcap;
	size_t        fcap;
};

struct csv {
	const char       *p, *end;
	unsigned long     line;       /* current physical line */
	size_t            nrecords;
	struct csv_limits lim;
	int               failed;
	unsigned long     err_line;   /* line of the error, 0 when none */
	char              err[160];   /* "line N: reason" after csv_next() < 0 */
};

/* data need not be NUL-terminated and must outlive c. lim NULL = defaults. */
void csv_init(struct csv *c, const char *data, size_t n, const struct csv_limits *lim);
/* Reads the next record into row (reusing its memory). Returns 1 for a
 * record, 0 at the end of input, -1 on error (c->err; later calls return -1). */
int  csv_next(struct csv *c, struct csv_row *row);
void csv_row_free(struct csv_row *row);

/* Reads a regular file of at most max bytes into a malloc'd, NUL-terminated
 * buffer. Returns 0, or -1 with a reason in err (English, with the path). */
int  file_read_bounded(const char *path, size_t max, char **out, size_t *outn,
                       char *err, size_t errlen);

/* Converts text that is UTF-8 or GB18030 (Chinese Excel's "CSV" default)
 * to UTF-8. Valid UTF-8 is taken as is (so pure ASCII is "UTF-8"); anything
 * else must convert cleanly from GB18030. Text containing NUL bytes (e.g.
 * UTF-16) is refused. On success *out is a malloc'd NUL-terminated copy,
 * *outn its length and *charset_detected "UTF-8" or "GB18030"; returns 0.
 * Returns -1 when the text is neither (*out = NULL, *charset_detected
 * points to a short English reason). */
int  text_to_utf8(const char *in, size_t n, char **out, size_t *outn,
                  const char **charset_detected);

/* ---- Writing: the one CSV writer (exports, sample lists). ----
 * RFC 4180 cells, rows ended by CRLF. A cell a spreadsheet would run as a
 * formula - one starting with = + - @ TAB or CR that is not a plain number
 * such as -12.5 - is neutralised with a leading apostrophe inside quotes.
 * CSV_QUOTE_MINIMAL quotes only cells that need it, CSV_QUOTE_ALL every one. */
struct buf;
enum csv_quote { CSV_QUOTE_MINIMAL, CSV_QUOTE_ALL };
void csv_put_cell(struct buf *b, const char *s, enum csv_quote q);   /* NULL = "" */
void csv_put_row(struct buf *b, const char *const *cells, size_t n, enum csv_quote q);
/* UTF-8 text (a CSV written above) as GB18030, for Chinese Excel. 0, or -1
 * when the text cannot be converted (out is then undefined). */
int  csv_to_gb18030(const struct buf *in, struct buf *out);
/* A plain decimal number: optional '-', digits, optional '.digits'. */
int  csv_is_number(const char *s);

#endif
