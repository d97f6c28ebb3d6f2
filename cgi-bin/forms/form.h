/*
 * form.h - the form engine. Each questionnaire is defined once, as data: the
 * codebook TSV embedded in the binaries (codebook.h). forms_load() parses all
 * of them at start-up into the structures below; that single definition then
 * drives collection from a POST, validation, storage, rendering (editable,
 * read-only, printable, blank) and the wide export.
 *
 * Numbers are kept exact as scaled integers (fnum = value * FNUM_SCALE):
 * decimals have at most 4 fractional digits, percentages at most 2.
 * Dates compare as day numbers (a partial date is its first day).
 */
#ifndef SME_FORM_H
#define SME_FORM_H

#include <stddef.h>
#include "auth.h"
#include "catalog.h"

struct req;
struct db;
struct conf;
struct param;

typedef long long fnum;
#define FNUM_SCALE 10000LL

enum ftype {
	FT_TEXT, FT_TEXTAREA, FT_ORG_NAME, FT_INT, FT_DECIMAL, FT_PERCENT, FT_DATE,
	FT_EMAIL, FT_PHONE, FT_ZIP, FT_SINGLE, FT_MULTI, FT_RANK, FT_OTHER_TEXT,
	FT_FILE, FT_COUNT
};

enum fop { OP_LE, OP_GE, OP_LT, OP_GT, OP_EQ, OP_NE };

enum rule_kind {
	RK_IF_SET,    /* if CODE */
	RK_IF_CMP,    /* if CODE<op>N */
	RK_IF_HAS,    /* if CODE has N */
	RK_CMP,       /* [EXPR] <op> EXPR; lhs.n == 0 means "this field" */
	RK_RANGE,     /* A..B */
	RK_DIGITS6, RK_EMAIL, RK_PHONE,
	RK_COUNT,     /* count A..B */
	RK_EXT        /* ext:x,y */
};

struct fterm {
	int  field;            /* field index, or -1 for a constant */
	fnum num;              /* constant (dates: day number * FNUM_SCALE) */
};

struct fexpr {
	struct fterm *t;
	size_t        n;
};

struct frule {
	enum rule_kind kind;
	int            warn;   /* soft check: a warning, never blocks */
	enum fop       op;
	int            ref;    /* RK_IF_*: referenced field */
	fnum           num;    /* RK_IF_CMP: N */
	char          *opt;    /* RK_IF_HAS: option code */
	struct fexpr   lhs, rhs;
	fnum           lo, hi; /* RK_RANGE (scaled), RK_COUNT (plain) */
	char         **ext;    /* RK_EXT: lower-case extensions */
	size_t         next;
	char          *src;    /* the clause as written (data-if, messages) */
};

struct foption {
	char *code;
	char *label;
};

struct field {
	char           *code;
	char           *section;
	char           *label;
	enum ftype      type;
	struct foption *opts;
	size_t          nopts;
	char           *unit;     /* "" when none */
	int             required;
	struct frule   *rules;
	size_t          nrules;
	int             has_if;   /* at least one RK_IF_* clause */
};

struct form {
	const struct form_info *info;  /* the form's facts (catalog.h) */
	const char   *name;       /* info->name */
	const char   *annex;      /* "附件1" ... */
	const char   *title;      /* seed title, e.g. 中小企业公共服务平台网络 中小企业调查表 */
	const char   *intro;      /* seed preamble, "" when none */
	enum role     role;       /* the role that fills it */
	struct field *fields;
	size_t        nfields;
	int           has_file;
};

/* Parse every embedded codebook. A rule that does not parse, an unknown
 * reference or a duplicate code is a hard error: returns -1 after writing
 * the reason into err (and log_err when logging is available). */
int  forms_load(char *err, size_t errsz);
void forms_free(void);
const struct form  *form_get(const char *name);        /* NULL when unknown */
const struct form  *form_at(size_t i);                 /* codebook order; NULL past the end */
/* Parse one TSV (used by forms_load and unit tests). Returns 0 or -1. */
int  form_parse(struct form *f, const char *tsv, char *err, size_t errsz);
void form_free(struct form *f);

int   form_field_index(const struct form *f, const char *code);   /* -1 when absent */
const struct field *form_field(const struct form *f, const char *code);
const char *form_option_label(const struct field *fd, const char *code); /* NULL when absent */
const char *ftype_name(enum ftype t);
/* The label for display: spaces between two CJK characters (line-wrap
 * artefacts of the seed) removed. Caller frees. */
char *form_display_label(const char *label);

/* ---- Values: one string per field, in codebook order (NULL = empty). ---- */
struct answers {
	size_t  n;
	char  **v;
	int     borrowed;   /* v[] points into someone else's memory (the export) */
};
void answers_init(struct answers *a, const struct form *f);
/* Answers that point at the caller's strings, which must outlive them
 * (the export's fetched rows): answers_set stores the pointer, answers_free
 * and answers_clear free none of them. */
void answers_init_borrowed(struct answers *a, const struct form *f);
void answers_clear(struct answers *a);   /* every answer unset, kept for reuse */
void answers_free(struct answers *a);
void answers_set(struct answers *a, size_t i, const char *s);  /* copies; NULL/"" clears */
const char *answers_get(const struct answers *a, const struct form *f, const char *code);

/* Full-width ASCII (U+FF01..U+FF5E) and U+3000 folded to ASCII, then
 * surrounding white space trimmed. Caller frees. */
char *form_fold(const char *s);
char *form_trim(const char *s);

/* How form_collect() keeps a NUL byte of a posted value (see there). */
#define FORM_NUL_MARK "\xC0\x80"
/* Collect the fields of f from request parameters: single/text by name,
 * multi from repeated name=code pairs (stored ascending "1,3,9"), rank from
 * name_1..name_n (stored in rank order "3,1,2", gaps closed). File fields
 * are not touched here (see form_store_upload). */
void form_collect(const struct form *f, const struct param *ps, size_t np,
                  struct answers *out);
/* The file part posted for file field i of f (the first part of that name
 * with a file name), or NULL: the codebook declares the form's fields, so
 * the engine reads them, not the page table. */
const struct param *form_file_part(const struct form *f, const struct param *ps, size_t np, size_t i);

/* ---- Validation ---- */
struct fissue {
	int   field;
	int   warn;
	int   format;  /* 1: the value itself is malformed (a letter in a number,
	                * a bad date, email, phone, 6 digits, range, file type);
	                * 0: required, or a check across answers */
	char *msg;     /* Chinese */
};
struct fcheck {
	struct fissue  *items;
	size_t          n, cap;
	size_t          nerrors, nwarnings;
	unsigned char  *applicable;   /* per field */
	unsigned char  *ruled_out;    /* per field: not applicable because of an answer
	                               * given (not merely an unanswered parent) */
};
/* Normalise raw into clean (folded + trimmed; values of fields that are not
 * applicable are dropped as stale) and check every rule. Returns the number
 * of errors (warnings do not count). */
size_t form_validate(const struct form *f, const struct answers *raw,
                     struct answers *clean, struct fcheck *chk);
/* Clear the stored values of fields that are not applicable under the
 * current codebook (their `if` does not hold). Every reader of stored
 * answers (response loads, exports, statistics) goes through this, so a
 * value kept from an earlier revision is never shown, exported or counted.
 * Returns the number of values cleared. */
size_t form_drop_inapplicable(const struct form *f, struct answers *a);
void   fcheck_free(struct fcheck *chk);
/* Keep only the format issues (fissue.format): what a draft save reports,
 * so that a partial draft is not answered with every unanswered required
 * question (issue 9). The counts follow. */
void   fcheck_keep_format(struct fcheck *chk);
const char *fcheck_error(const struct fcheck *chk, int field);  /* first error or NULL */
/* Replace the errors of one field by msg (copied), e.g. a rejected upload. */
void   fcheck_replace(struct fcheck *chk, int field, const char *msg);
const char *fcheck_warning(const struct fcheck *chk, int field);

/* ---- Uploads ---- */
/* Check p (a multipart file part) against fd's ext: rule, the file's magic
 * bytes and conf->max_upload, then store it as upload_dir/<sha256 hex>.
 * On success *value is "sha256:<hex>:<original file name>" (caller frees)
 * and NULL is returned; otherwise a Chinese message. */
const char *form_store_upload(const struct conf *c, const struct field *fd,
                              const struct param *p, char **value);
/* The extensions fd's ext: rule allows, for people: "PDF、DOC、DOCX 或 WPS". */
struct buf;
void form_ext_text(const struct field *fd, struct buf *out);
/* Split a stored file value; returns 0 and points into v, or -1. */
int form_file_value(const char *v, const char **hex, const char **filename);
/* Answer r with the stored upload of a file value ("sha256:<hex>:<name>"):
 * Content-Type detected from the bytes, Content-Disposition attachment with
 * the original name (RFC 5987 filename*); X-Content-Type-Options: nosniff
 * comes from the web server, as on every response (never twice).
 * The caller checks access first. Returns 0, or -1 after an error page
 * (404 when the value is empty/invalid or the file is missing). */
int form_send_upload(struct req *r, const char *value);

/* ---- Storage ---- */
enum rstatus { RS_NONE = 0, RS_DRAFT, RS_SUBMITTED };
struct response {
	unsigned long long id;        /* 0 when not yet saved */
	enum rstatus status;
	int          valid;
	unsigned     version;
	char         updated_at[20];
	char         submitted_at[20];
	char         saved_at[20];    /* response_lock: the database's clock */
	unsigned long long proxy_user_id;
	int          opened;          /* response_load: the form was opened before (paradata) */
	struct answers a;
};
/* Load the response of (form, user); r->id == 0 when none. Returns 0 or -1. */
int  response_load(struct db *db, const struct form *f, unsigned long long user_id,
                   struct response *r);
/* The same without its answers (r->a empty): what a save reads before it
 * replaces them all (the POST's page statement carries it). */
int  response_load_row(struct db *db, const struct form *f, unsigned long long user_id,
                       struct response *r);
/* Answers of a response by id (for the admin pages). Returns 0 or -1. */
int  response_load_answers(struct db *db, const struct form *f, unsigned long long response_id,
                           struct answers *a);
void response_free(struct response *r);

/* A save is one transaction owned by the caller, the body of a
 * db_transaction (db.h):
 *
 *   response_lock(db, f, user, region, &r);   the one read of the row, under
 *                                             the lock that decides submit-once
 *   ... r.status == RS_SUBMITTED: refuse (body returns > 0);
 *       r.version: conflict check; collect and validate ...
 *   response_write(db, f, &r, ...);           body returns 0: committed
 *
 * response_lock must be the first statement of the transaction: for a first
 * save it inserts the row (version 0) and restarts the transaction to do so
 * (db_tx_restart).
 * Both return 0, or -1 on a database error (roll back). */
int  response_lock(struct db *db, const struct form *f, unsigned long long user_id,
                   const char *region_code, struct response *r);
/* Upserts status, valid, version+1 and the save's timestamps, and replaces
 * the answers by the non-empty values of clean; r is updated to match.
 * pd (may be NULL) goes into the response's paradata row in the same
 * statement (issue 20): active time, session, device, network, browser,
 * who typed it (proxy_user_id: the region's paper entry).
 * The engine knows nothing of the evaluation: a caller that submits counts
 * the response in the aggregates itself, in the same transaction
 * (aggr_sync_answers in eval/aggr.h). */
struct pdreq;
int  response_write(struct db *db, const struct form *f, struct response *r,
                    const char *region_code, unsigned long long proxy_user_id,
                    const struct pdreq *pd, const struct answers *clean, int submit, int valid);
/* The save of a draft in one round trip (issue 21 item 2), outside any
 * transaction: r as read without a lock (response_load; r->id != 0), for
 * a form whose answers do not depend on the stored ones (no files). The
 * server locks the row and, when its version is expect (-1: any) and it
 * is not submitted, writes what response_write would (status draft) and
 * commits (STMT_RESPONSE_SAVE). 0 saved (r updated to match: the version
 * written, r->saved_at the save's time); 1 when the version differs or the
 * response is submitted, nothing written; -1 on a database error (rolled
 * back by the server; a lock conflict too). After 1 or -1 the caller saves
 * the long way (response_lock, response_write in a db_transaction), which
 * answers each case. */
int  response_save_draft(struct db *db, const struct form *f, struct response *r, long expect,
                         const char *region_code, unsigned long long proxy_user_id,
                         const struct pdreq *pd, const struct answers *clean, int valid);
/* Admin: back to draft so the respondent can edit again, inside the
 * caller's transaction (aggr_response_reopen also takes it out of the
 * aggregates). Returns 0 or -1. */
int  response_reopen(struct db *db, unsigned long long response_id);
/* Packs the answers of a submitted response into one row (sql/085), which
 * the export reads instead of its answer rows (issue 21 item 5). Call it in
 * the submit's transaction, after response_write. 0, or -1. */
int  response_pack(struct db *db, unsigned long long response_id);

/* ---- Rendering ---- */
enum fview_mode { FV_EDIT, FV_READONLY, FV_BLANK };
struct fview {
	const struct form    *f;
	const struct answers *vals;     /* shown values (raw after a failed check); may be NULL */
	const struct fcheck  *chk;      /* may be NULL */
	enum fview_mode       mode;
	const char           *action;   /* form action path (FV_EDIT) */
	long                  version;  /* echoed as hidden field (FV_EDIT) */
	/* The user the page was rendered for (FV_EDIT, hidden field "owner"):
	 * after a re-login (session timed out) the answers are applied only
	 * when the same user logs in again. 0: none. */
	unsigned long long    owner;
	/* A save confirmation repeated next to the buttons (FV_EDIT), where a
	 * phone user's eyes are after pressing 保存草稿; NULL: none. */
	const char           *saved_note;
};
/* The form body (intro, error summary, sections, buttons); the caller
 * wraps it in page_begin/page_end. */
void form_render(struct req *r, const struct fview *v);

/* ---- Export / statistics ---- */
struct strv {
	char  **v;
	size_t  n, cap;
};
void strv_free(struct strv *s);
/* Wide export columns in codebook order: one per field, except multi and
 * rank which expand to <code>__<option> (multi: 0/1, rank: position). */
void form_export_columns(const struct form *f, struct strv *out);
void form_export_row(const struct form *f, const struct answers *a, struct strv *out);
/* The same cells without allocating (exports write a row per response):
 * cells[c] points into a's values, or into num[c] for the numbers of multi
 * and rank columns. Both arrays hold form_export_ncells(f) entries; valid
 * while a is. Returns the number of cells. */
#define FORM_CELL_NUM 16
size_t form_export_ncells(const struct form *f);
size_t form_export_cells(const struct form *f, const struct answers *a, const char **cells,
                         char (*num)[FORM_CELL_NUM]);
/* The columns' Chinese labels in the same layout (multi/rank: label：option). */
void form_export_labels(const struct form *f, struct strv *out);
/* Is option code selected in a stored multi/rank value? Rank: returns the
 * 1-based position; multi: 1; 0 when absent. */
int  form_value_has(const char *value, const char *code);

#endif
