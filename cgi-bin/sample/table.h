/*
 * table.h - a table as rows of text cells, the form in which a sample frame
 * arrives from CSV (table.c), XLSX (xlsx.c) or XLS (xls.c) before its
 * columns are mapped (frame.h), and the one bound every reader goes
 * through. Its own module so that the readers depend on it and the frame
 * on them, without a circle.
 */
#ifndef SME_TABLE_H
#define SME_TABLE_H

#include <stddef.h>

struct buf;

#define FRAME_MAX_UNITS  20000u                /* data rows */
/* The one bound of a parsed frame, whatever its format (CSV, XLSX, XLS):
 * checked as each row is added to the table (frame_table_add), so a file
 * whose cells all point to one long shared string stops early. */
#define FRAME_MAX_BYTES  (4u * 1024u * 1024u)  /* text of all cells (and CSV text) */
#define FRAME_MAX_CELLS  400000u               /* cells, empty ones included */
#define FRAME_MAX_ROWS   (FRAME_MAX_UNITS + 100u)  /* title, headings, footers */
#define FRAME_ROW_CELLS  64u                   /* cells of one row */
#define FRAME_MAX_DEPTH  32u                   /* XML element nesting (.xlsx) */
#define FRAME_MAX_COLS   FRAME_ROW_CELLS       /* columns a heading row maps (all of a row) */

/* A table as rows of cells (UTF-8), as read from CSV, XLSX or XLS
 * (table.c). */
enum { FRAME_OVER_NONE, FRAME_OVER_ROWS, FRAME_OVER_CELLS, FRAME_OVER_BYTES, FRAME_OVER_DEPTH };
struct frame_table {
	size_t          nrows, cap;
	char         ***rows;       /* rows[i][0..ncells[i]) */
	size_t         *ncells;
	unsigned long  *line;       /* line (CSV) or row number (XLSX, XLS) of each */
	size_t          ncells_total, nbytes;
	int             over;       /* FRAME_OVER_*: the bound a row broke */
};
void frame_table_free(struct frame_table *t);
/* Appends a row (takes ownership of cells[0..n), malloc'd strings, and of
 * the array). Returns 0, or -1 when the row would break a bound (rows,
 * cells, bytes): the row is freed, t->over says which, and every later
 * call fails too. */
int  frame_table_add(struct frame_table *t, unsigned long line, char **cells, size_t n);
/* The refusal for a broken bound (FRAME_OVER_*), naming the limit. */
void frame_over_msg(int over, char *err, size_t errsz);
/* Reads CSV text into t within the frame limits. Returns 0, or -1 with a
 * message (Chinese) in err. */
int  frame_table_csv(const char *text, size_t n, struct frame_table *t, char *err, size_t errsz);
/* The table's stored form: one line per row, its number and its cells
 * separated by tabs, with \\ \t \n \r escaped. decode applies the same
 * bounds as every reader. */
void frame_table_encode(const struct frame_table *t, struct buf *b);
int  frame_table_decode(const char *text, size_t n, struct frame_table *t, char *err, size_t errsz);
/* The codec's pieces, shared with the stored preview (fpreview.c): a field
 * escaped onto b; a line split in place into at most max fields
 * (unescaped), returning their number (max + 1: too many). */
void   frame_field_encode(struct buf *b, const char *s);
size_t frame_record_split(char *line, char **f, size_t max);

#endif
