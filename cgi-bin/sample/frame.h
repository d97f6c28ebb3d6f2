/*
 * frame.h - reading a sample frame (or a region's own sampled list) from a
 * CSV file: column mapping, per-row checks, strata.
 *
 * kind "resource": service-resource units; the platform column (组织平台)
 * decides the stratum: "枢纽平台" / "地区枢纽平台" / "hub" -> hub, any other
 * non-empty value (the window platform's name) -> window.
 * kind "sme": every row is stratum sme; the platform column is optional.
 *
 * Rows are checked one by one (name present and unique, lengths, phone and
 * e-mail format); problems are collected with their line numbers so that a
 * region sees every mistake at once. Whole-file problems (CSV syntax,
 * missing or doubled columns, too many rows) go to fatal.
 */
#ifndef SME_FRAME_H
#define SME_FRAME_H

#include <stddef.h>
#include "draw.h"

#define FRAME_UPLOAD_MAX (2u * 1024u * 1024u)  /* the file as uploaded */
#define FRAME_MAX_BYTES  (4u * 1024u * 1024u)  /* converted text */
#define FRAME_MAX_UNITS  20000u                /* data rows */
#define FRAME_MAX_COLS   16u
#define FRAME_MAX_ERRS   500u                  /* kept; the total is counted */

enum ffield { FF_IGNORE = 0, FF_NAME, FF_PLATFORM, FF_CONTACT, FF_PHONE, FF_EMAIL, FF_COUNT };

const char *ffield_code(int f);        /* "ignore" "name" ... */
const char *ffield_label(int f);       /* Chinese */
int         ffield_parse(const char *s);   /* -1 when unknown */
/* Guess the field of a header cell (Chinese or English names). */
int         ffield_guess(const char *header);

struct frame_err {
	unsigned long line;
	char          msg[240];
};

struct frame_parse {
	size_t            ncols;
	char             *header[FRAME_MAX_COLS];
	int               map[FRAME_MAX_COLS];
	struct unit      *units;           /* sorted by line */
	size_t            nunits;
	size_t            count[ST_COUNT];
	struct frame_err *errs;            /* sorted by line, at most FRAME_MAX_ERRS */
	size_t            nerrs, nerrs_total;
	char              fatal[240];      /* non-empty: the file cannot be used */
};

/* Parses UTF-8 text. map (ncols entries) overrides the guessed mapping when
 * non-NULL; nmap may differ from the file's column count (extra ignored,
 * missing guessed). Returns 0 when usable (no fatal, no row errors), 1 when
 * rows have errors, -1 fatal. Always fill fp; free with frame_parse_free. */
int  frame_parse(const char *text, size_t n, const char *kind, const int *map, size_t nmap,
                 struct frame_parse *fp);
void frame_parse_free(struct frame_parse *fp);

/* The file name as stored in frames.filename: base name, valid UTF-8, at
 * most 200 bytes, control characters replaced by '_'. Malloc'd. */
char *frame_clean_filename(const char *fn);

/* Inside an open transaction: makes the pending frame frame_id of
 * region/kind the region's confirmed frame of that kind, with fp's units
 * and checksum sum, replacing an older confirmed frame. Locks the frame row
 * and the (absent) sample so that a concurrent draw or confirm waits.
 * Returns 0; 1 when frame_id is no longer pending or region/kind already has
 * a sample (nothing written); -1 on a database error. The caller commits, or
 * rolls back on non-zero. Shared by /region/frames and smesurvey-admin. */
int  frame_store(struct db *db, const char *region, const char *kind, const char *frame_id,
                 const struct frame_parse *fp, const char *sum);

/* Field checks, exposed for the unit tests: 1 valid, 0 not. */
int  frame_phone_ok(const char *s);
int  frame_email_ok(const char *s);

#endif
