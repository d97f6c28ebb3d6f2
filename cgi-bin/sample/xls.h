/*
 * xls.h - the first worksheet of an old Excel workbook (.xls, BIFF, Excel
 * 97-2003 and what WPS saves by default) as rows of text cells, for sample
 * frames (issue 23 item 6), through the same heading detection, mapping and
 * bounds as CSV and XLSX (frame.h).
 *
 * Read with FreeXL (Debian libfreexl-dev). FreeXL is not made for hostile
 * files: it allocates a worksheet's whole declared grid (up to 65,536 x 256
 * cells) and copies a shared string into every cell that uses it, and a
 * date cell costs time proportional to its value. So it runs in a child
 * process under limits (XLS_CHILD_MEM more address space than the worker
 * has, XLS_CHILD_CPU seconds of CPU); the child sends the table back as
 * text (frame_table_encode) and the worker reads it back through the
 * frame's bounds. A child that breaks a limit or crashes is a refusal with
 * a message, never a stuck or swollen worker.
 *
 * Cells: text as is (UTF-8), integers as digits, other numbers without a
 * needless exponent (13800138000, not 1.38e+10), dates as YYYY-MM-DD. Rows
 * keep their Excel numbers; empty rows are skipped.
 */
#ifndef SME_XLS_H
#define SME_XLS_H

#include <stddef.h>

struct frame_table;

#define XLS_CHILD_MEM (256ul * 1024ul * 1024ul)
#define XLS_CHILD_CPU 5

/* Reads the first worksheet of the workbook data[0..n) into t (in a
 * limited child). Returns 0, or -1 with a message for the region
 * (Chinese) in err and t empty. */
int xls_read_table(const void *data, size_t n, struct frame_table *t, char *err, size_t errsz);

/* The same in this process, from a file, without the child's limits: what
 * the child runs, and what a fuzzing harness under its own limits calls. */
int xls_read_file(const char *path, struct frame_table *t, char *err, size_t errsz);

#endif
