/*
 * xlsx.h - the first worksheet of an Office Open XML workbook (.xlsx, as
 * Excel and WPS save them) as rows of text cells, for sample frames
 * (issue 10: regions keep their lists in Excel).
 *
 * The zip container is read with libzip and the XML parts with expat (both
 * Debian packages); nothing here parses zip or XML by hand. Parts read:
 * xl/workbook.xml (the first <sheet>), xl/_rels/workbook.xml.rels (its
 * file), xl/sharedStrings.xml (text cells, t="s") and the sheet itself.
 * Cells: shared strings, inline strings (t="inlineStr"), formula results
 * as cached (t="str", numbers), booleans as 1/0; phonetic runs (<rPh>) are
 * left out. Rows keep their numbers (the row numbers Excel shows), so row
 * errors name the row the region sees; empty rows are skipped.
 *
 * Bounded: each part at most XLSX_MAX_PART bytes uncompressed (counted
 * while inflating, so a zip bomb stops early), at most XLSX_MAX_STRINGS
 * shared strings, XLSX_MAX_CELL bytes per cell, elements nested at most
 * FRAME_MAX_DEPTH deep, and the table the bounds of every frame (frame.h:
 * rows, cells, total text, checked row by row, so 20,000 rows of cells all
 * pointing to one long shared string stop at the first few MB). A DOCTYPE
 * stops the parse (no entity tricks).
 */
#ifndef SME_XLSX_H
#define SME_XLSX_H

#include <stddef.h>

struct frame_table;

#define XLSX_MAX_PART    (32u * 1024u * 1024u)
#define XLSX_MAX_STRINGS 200000u
#define XLSX_MAX_CELL    1024u

/* Reads the first worksheet of the workbook in data[0..n) into t (rows in
 * order; cells as UTF-8, "" where empty). Returns 0, or -1 with a message
 * for the region (Chinese) in err and t empty. */
int xlsx_read_table(const void *data, size_t n, struct frame_table *t, char *err, size_t errsz);

#endif
