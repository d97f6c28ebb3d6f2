/*
 * frame.h - reading a sample frame (or a region's own sampled list) from a
 * table (CSV text, or the rows of an XLSX sheet, xlsx.h): the heading row,
 * column mapping, platform values, per-row checks, strata.
 *
 * The heading row is the first of the first FRAME_HEAD_SCAN rows with a
 * recognised name heading (a title row above the headings is skipped), or
 * the row the region chose; rows above it are ignored.
 * kind "resource": service-resource units; the platform column (组织平台)
 * decides the stratum through the value mapping: each distinct value is
 * assigned to hub or window by the region (frame_opts.pmap); a value it did
 * not assign is guessed: "枢纽平台" / "地区枢纽平台" / "hub" or any value
 * containing "枢纽" -> hub, any other non-empty value -> window.
 * kind "sme": every row is stratum sme; the platform column is optional.
 * Optional columns 统一社会信用代码/组织机构代码, 地址, 邮编 are kept.
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
#include "table.h"

#define FRAME_UPLOAD_MAX (2u * 1024u * 1024u)  /* the file as uploaded */
#define FRAME_MAX_BYTES  (4u * 1024u * 1024u)  /* converted text */
#define FRAME_MAX_UNITS  20000u                /* data rows */
#define FRAME_MAX_COLS   16u
#define FRAME_MAX_ERRS   500u                  /* kept; the total is counted */
#define FRAME_HEAD_SCAN  10u                   /* rows searched for the headings */
#define FRAME_MAX_PLATFORMS 500u               /* distinct platform values listed */

enum ffield { FF_IGNORE = 0, FF_NAME, FF_PLATFORM, FF_CONTACT, FF_PHONE, FF_EMAIL,
              FF_ORGCODE, FF_ADDRESS, FF_ZIP, FF_COUNT };

const char *ffield_code(int f);        /* "ignore" "name" ... */
const char *ffield_label(int f);       /* Chinese */
int         ffield_parse(const char *s);   /* -1 when unknown */
/* Guess the field of a header cell (Chinese or English names). */
int         ffield_guess(const char *header);

struct frame_err {
	unsigned long line;
	char          msg[240];
};

/* A platform value and the stratum it stands for (ST_HUB or ST_WINDOW). */
struct platform_map {
	const char *value;
	int         stratum;
};

/* What the region chose in the preview; every member may be 0/NULL
 * (guessed). map (nmap entries) overrides the guessed column mapping; nmap
 * may differ from the column count (extra ignored, missing guessed). */
struct frame_opts {
	unsigned                   header_row;   /* 1-based row of the headings; 0 = guess */
	const int                 *map;
	size_t                     nmap;
	const struct platform_map *pmap;
	size_t                     npmap;
};

/* A distinct platform value of a resource frame. */
struct frame_platform {
	char  *value;
	size_t count;
	int    stratum;     /* as assigned (or guessed) */
	int    assigned;    /* 1 when frame_opts.pmap named it */
};

/* A row above the data, for the heading-row choice. */
struct frame_toprow {
	unsigned long line;
	char         *text;   /* its cells joined by " | ", at most ~200 bytes */
};

struct frame_parse {
	unsigned          header_row;      /* 1-based index into the table's rows */
	unsigned long     header_line;     /* its line (CSV) or row number (XLSX) */
	struct frame_toprow top[FRAME_HEAD_SCAN];
	size_t            ntop;
	struct frame_platform *plat;       /* resource: distinct values, first seen first */
	size_t            nplat;
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

/* Reads CSV text into t within the frame limits. Returns 0, or -1 with a
 * message (Chinese) in err. */
int  frame_table_csv(const char *text, size_t n, struct frame_table *t, char *err, size_t errsz);

/* Parses a table with opts (NULL: guess everything). Returns 0 when usable
 * (no fatal, no row errors), 1 when rows have errors, -1 fatal. Always
 * fills fp; free with frame_parse_free. */
int  frame_parse_table(const struct frame_table *t, const char *kind, const struct frame_opts *opts,
                       struct frame_parse *fp);
/* The same for an upload as stored: an XLSX workbook (zip magic bytes,
 * xlsx.h) or CSV text already converted to UTF-8. */
int  frame_parse(const char *text, size_t n, const char *kind, const struct frame_opts *opts,
                 struct frame_parse *fp);
void frame_parse_free(struct frame_parse *fp);

/* An uploaded frame file as it is stored and parsed: an XLSX workbook as
 * is (*charset "XLSX", checked readable), CSV text converted to UTF-8
 * (*charset "UTF-8" or "GB18030"). Returns 0 with *out malloc'd, or -1
 * with a message for the region (Chinese) in why. */
int  frame_upload_text(const char *in, size_t n, char **out, size_t *outn, const char **charset,
                       char *why, size_t whysz);

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
