/*
 * fileio.h - durable file writes and file-type detection by magic bytes,
 * one implementation each (uploads, pending sample frames).
 */
#ifndef SME_FILEIO_H
#define SME_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

/* Writes data to path so that after a crash path holds either nothing (or
 * its old content) or all of data: a temporary file in the same directory,
 * fsync, rename over path, then fsync of the directory so the rename itself
 * is on disk. mode applies to the new file. Returns 0, or -1 (logged). */
int file_write_durable(const char *path, const void *data, size_t n, mode_t mode);

/* What the first bytes say a file is. */
enum file_magic {
	FM_UNKNOWN = 0,
	FM_PDF,        /* %PDF- */
	FM_OLE2,       /* OLE2 compound file: .doc, WPS Office's .wps, .xls */
	FM_ZIP         /* zip container: .docx, .xlsx */
};
enum file_magic file_magic(const void *p, size_t n);

/* Whether the zip container data[0..n) has an entry of that name (read
 * with libzip, from the central directory only; nothing is inflated): an
 * Office Open XML file is a zip of a known main part, xl/workbook.xml for a
 * workbook, word/document.xml for a Word document, so the signature alone
 * cannot tell a renamed .docx from an .xlsx. 1 yes, 0 no (or not a zip). */
int zip_has_entry(const void *data, size_t n, const char *name);

#endif
