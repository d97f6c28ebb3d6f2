/*
 * table.h - a table as rows of text cells, the form in which a sample
 * frame arrives from CSV (frame.c) or XLSX (xlsx.c) before its columns
 * are mapped. Its own module so that the readers depend on it and the
 * frame on them, without a circle.
 */
#ifndef SME_TABLE_H
#define SME_TABLE_H

#include <stddef.h>

/* A table as rows of cells (UTF-8), as read from CSV or XLSX. */
struct frame_table {
	size_t          nrows, cap;
	char         ***rows;       /* rows[i][0..ncells[i]) */
	size_t         *ncells;
	unsigned long  *line;       /* line (CSV) or row number (XLSX) of each */
};
void frame_table_free(struct frame_table *t);
/* Appends a row (takes ownership of cells[0..n), malloc'd strings, and of
 * the array). */
void frame_table_add(struct frame_table *t, unsigned long line, char **cells, size_t n);

#endif
