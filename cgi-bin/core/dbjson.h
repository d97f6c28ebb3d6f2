/*
 * dbjson.h - reading the JSON that MariaDB's JSON_ARRAY and JSON_ARRAYAGG
 * write, back into the cells of a result (issue 21, item 1).
 *
 * A page's statement carries the rows of several statements in one row,
 * each as a JSON array of arrays of scalars (stmts.c: PF_ROWS, PF_ONE);
 * these turn them into what a query of their own would have returned: a
 * string is unescaped, a number kept as MariaDB wrote it, null is SQL
 * NULL, true and false are "1" and "0" (as the text of a comparison).
 * Nothing else (objects, nesting deeper than a row) is accepted.
 */
#ifndef SME_DBJSON_H
#define SME_DBJSON_H

#include <stddef.h>

/* Rows read: nrows * ncols malloc'd cells (NULL for null), row by row. */
struct jrows {
	char  **cells;
	size_t  nrows, ncols;
};

/* "[[a, b], [c, d]]" (or NULL / "" / "[]": no rows) into *out with ncols
 * cells per row (each row must have exactly ncols; 0: as many as the first
 * row has, at most 128). 0, or -1 on anything malformed (nothing is then
 * left allocated). */
int  json_rows(const char *s, size_t ncols, struct jrows *out);
void jrows_free(struct jrows *r);

/* "[a, b, c]" into n malloc'd strings (NULL for null) in out[0..n); 0, or
 * -1 when malformed or not exactly n values (nothing is left allocated). */
int json_row(const char *s, char **out, size_t n);

#endif
