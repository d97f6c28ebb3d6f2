/*
 * frame.h - reading a sample frame (or a region's own sampled list) from a
 * table (CSV text, or the rows of an XLSX sheet, xlsx.h, or of an old XLS
 * sheet, xls.h): the heading row, column mapping, platform values, per-row
 * checks, strata.
 *
 * The heading row is the first of the first FRAME_HEAD_SCAN rows with a
 * recognised name heading (a title row above the headings is skipped), or
 * the row the region chose, or the one it chose last time (frame_memo);
 * rows above it are ignored. Headings are recognised through the synonym
 * list words/headings.tsv (fwords.c), which also holds the footer markers
 * (填表人, 审核人, 日期, ...: such a row after the headings is skipped and
 * listed) and the placeholders read as empty (暂无, 无, —, ...).
 * kind "resource": service-resource units; the platform column (组织平台)
 * decides the stratum through the value mapping: each distinct value is
 * assigned to hub or window by the region (frame_opts.pmap); a value it did
 * not assign is guessed: "枢纽平台" / "地区枢纽平台" / "hub" or any value
 * containing "枢纽" -> hub, any other non-empty value -> window.
 * kind "sme": every row is stratum sme; the platform column is optional.
 * Optional columns 统一社会信用代码/组织机构代码, 地址, 邮编 are kept.
 *
 * Rows are checked one by one and every problem is listed with its row
 * number (the Excel row, or CSV line), so that a region sees every mistake
 * at once. A problem is one of (enum frame_problem): the row cannot be
 * imported (no name, no platform, a name already in an earlier row - both
 * rows named); a value is left empty (a malformed e-mail, code, zip or a
 * phone that is no phone); a value is kept but should be checked (an
 * implausible phone such as 6888-123); a footer row skipped. Rows that
 * cannot be imported are left out of units: the region may import the
 * others. Whole-file problems (CSV syntax, bounds, missing or doubled
 * columns) go to fatal.
 */
#ifndef SME_FRAME_H
#define SME_FRAME_H

#include <stddef.h>
#include "draw.h"
#include "table.h"

#define FRAME_UPLOAD_MAX (2u * 1024u * 1024u)  /* the file as uploaded */
#define FRAME_MAX_ERRS   500u                  /* kept; the total is counted */
#define FRAME_HEAD_SCAN  10u                   /* rows searched for the headings */
#define FRAME_MAX_PLATFORMS 500u               /* distinct platform values listed */

enum ffield { FF_IGNORE = 0, FF_NAME, FF_PLATFORM, FF_CONTACT, FF_PHONE, FF_EMAIL,
              FF_ORGCODE, FF_ADDRESS, FF_ZIP, FF_COUNT };

const char *ffield_code(int f);        /* "ignore" "name" ... */
const char *ffield_label(int f);       /* Chinese */
int         ffield_parse(const char *s);   /* -1 when unknown */
/* Guess the field of a header cell (the synonym list, fwords_heading). */
int         ffield_guess(const char *header);

/* The word list (fwords.c): a heading's field (FF_IGNORE when unknown); 1
 * when a row's first non-empty cell marks a footer; 1 when a value stands
 * for nothing. fwords_norm: the compared form (no blanks or '*', ASCII
 * lower case), malloc'd. fwords_count: the list's entries (loads it). */
int    fwords_heading(const char *cell);
int    fwords_footer(const char *cell);
int    fwords_empty(const char *value);
char  *fwords_norm(const char *s);
size_t fwords_count(void);

enum frame_problem {
	FP_ROW,      /* the row is not imported */
	FP_VALUE,    /* the value is left empty, the row imported */
	FP_CHECK,    /* the value is kept; the region should check it */
	FP_FOOTER,   /* a footer row, skipped */
	FP_COUNT
};

struct frame_err {
	unsigned long line;
	int           kind;        /* enum frame_problem */
	char          msg[240];
};

/* A platform value and the stratum it stands for (ST_HUB or ST_WINDOW). */
struct platform_map {
	const char *value;
	int         stratum;
};

/* The mapping a region chose last time for a kind (remembered per region
 * and kind, offered again on the next upload): its heading row and the
 * field of each heading text. */
struct frame_memo {
	unsigned    header_row;
	size_t      n;
	const char *head[FRAME_MAX_COLS];
	int         field[FRAME_MAX_COLS];
};

/* What the region chose in the preview; every member may be 0/NULL
 * (guessed). map (nmap entries) overrides the guessed column mapping; nmap
 * may differ from the column count (extra ignored, missing guessed).
 * memo, when no row or map is chosen, is tried before guessing. */
struct frame_opts {
	unsigned                   header_row;   /* 1-based row of the headings; 0 = guess */
	const int                 *map;
	size_t                     nmap;
	const struct platform_map *pmap;
	size_t                     npmap;
	const struct frame_memo   *memo;
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
	int               memo_used;       /* the remembered mapping was applied */
	struct unit      *units;           /* the importable rows, sorted by line */
	size_t            nunits;          /* (a stored preview: the first few) */
	size_t            ntotal;          /* importable rows */
	size_t            nbad;            /* rows left out (FP_ROW) */
	size_t            count[ST_COUNT];
	struct frame_err *errs;            /* sorted by line, at most FRAME_MAX_ERRS */
	size_t            nerrs, nerrs_total;
	size_t            nkind[FP_COUNT]; /* problems of each kind, all counted */
	char              fatal[240];      /* non-empty: the file cannot be used */
};

/* Reads an upload (XLSX, XLS or CSV text converted to UTF-8) into t: the
 * one entry point for every format, for the pages and the fuzzers. 0, or
 * -1 with a message for the region (Chinese) in err and t empty. */
int  frame_table_read(const char *data, size_t n, struct frame_table *t, char *err, size_t errsz);

/* Parses a table with opts (NULL: guess everything). Returns 0 when every
 * row can be imported (values left empty, checks and footers allowed), 1
 * when some rows cannot (nbad; the others are in units), -1 fatal. Always
 * fills fp; free with frame_parse_free. */
int  frame_parse_table(const struct frame_table *t, const char *kind, const struct frame_opts *opts,
                       struct frame_parse *fp);
/* The same for an upload as stored: an XLSX workbook (zip magic bytes,
 * xlsx.h), an XLS workbook (OLE2, xls.h) or CSV text already converted to
 * UTF-8 (frame_table_read). */
int  frame_parse(const char *text, size_t n, const char *kind, const struct frame_opts *opts,
                 struct frame_parse *fp);
void frame_parse_free(struct frame_parse *fp);

/* The checks' outcome as stored beside a pending upload's table, so a
 * view of the frames page parses nothing (fpreview.c): everything the
 * preview shows, with the first FRAME_PREVIEW_UNITS units (ntotal keeps
 * their number). decode fills fp as frame_parse_table does (free with
 * frame_parse_free); 0, or -1 when the text is damaged. */
#define FRAME_PREVIEW_UNITS 10
void frame_preview_encode(const struct frame_parse *fp, struct buf *b);
int  frame_preview_decode(const char *text, size_t n, struct frame_parse *fp);

/* An uploaded frame file as it is stored and parsed: an XLSX or XLS
 * workbook as is (*charset "XLSX" or "XLS", checked readable), CSV text
 * converted to UTF-8 (*charset "UTF-8" or "GB18030"). Returns 0 with *out
 * malloc'd, or -1 with a message for the region (Chinese) in why. */
int  frame_upload_text(const char *in, size_t n, char **out, size_t *outn, const char **charset,
                       char *why, size_t whysz);

/* The same read into a table at once (the upload is parsed once: the
 * table is what is stored). 0, or -1 with a message in why, t empty. */
int  frame_upload_table(const char *in, size_t n, struct frame_table *t, const char **charset,
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

/* ---- A pending upload as stored (fpending.c, sql/040): parsed once on
 * arrival; its table and the preview of its checks kept in frame_tables. */
struct frame_pending_new {
	const char *region, *kind, *filename, *charset;
	long long   user_id;          /* 0: none (the command line) */
};
/* Inserts the pending frame row, its table and preview; *id its id. The
 * caller holds the transaction. 0 or -1. */
int  frame_pending_add(struct db *db, const struct frame_pending_new *n, const struct frame_table *t,
                       const struct frame_parse *fp, unsigned long long *id);
/* The table / the preview of region's pending frame id: 0, 1 when there is
 * none (or it is damaged), -1 on a database error. */
int  frame_pending_cells(struct db *db, const char *region, const char *id, struct frame_table *t,
                         char *err, size_t errsz);
int  frame_pending_preview(struct db *db, const char *region, const char *id, struct frame_parse *fp);
/* Replaces the stored preview after a new choice. 0 or -1. */
int  frame_pending_set_preview(struct db *db, const char *id, const struct frame_parse *fp);

/* The mapping a region chose last for a kind, with the texts it points to. */
struct frame_memo_store {
	struct frame_memo   memo;           /* header_row 0: nothing remembered */
	struct platform_map pmap[FRAME_MAX_PLATFORMS];
	size_t              npmap;
	char               *cols, *plats;   /* owned */
};
/* Remembers fp's heading row, the field of each heading and the platform
 * values the region assigned. 0 or -1. */
int  frame_memo_save(struct db *db, const char *region, const char *kind, const struct frame_parse *fp);
int  frame_memo_load(struct db *db, const char *region, const char *kind, struct frame_memo_store *m);
/* Options that offer the remembered mapping (o points into m). */
void frame_memo_opts(const struct frame_memo_store *m, struct frame_opts *o);
void frame_memo_free(struct frame_memo_store *m);

/* A phone number as written in China: a mobile (11 digits, 1[3-9]...), a
 * number with its area code (0xx[x]-xxxxxxx[x]), 400/800, or a local
 * number of 7-8 digits whose last group has 4 (688-1234, 6888-1234; not
 * 6888-123); extensions after 转, ext or a dash; several numbers split by
 * / or ,. 1 plausible, 0 not. */
int  frame_phone_plausible(const char *s);
#define FRAME_PHONE_RULE "手机 11 位；固定电话带区号，或 7 到 8 位本地号码"

#endif
