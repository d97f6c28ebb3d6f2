/*
 * page.h - the page table a program dispatches from (kcgi's disps[] style).
 *
 * Each program declares pages[PAGE__MAX], one row per (path, methods): the
 * roles allowed, the typed parameters it takes and its handler. The accept
 * loop (app.h) finds the row (404, or 405 with an Allow header), checks the
 * role (login redirect or 403), parses the row's parameters into r->arg[]
 * (a bad value answers with the parameter's own status and message), checks
 * a POST's CSRF token (PAGE_CSRF) and only then calls the handler, so
 * handlers start from valid input.
 *
 * Every request parameter a page reads is declared in its row (struct
 * pspec) and read from r->arg[]: page_parse_args is the one reader of the
 * decoded parameters (tests/build/40-params-db.t fails on req_param()
 * anywhere else). The questionnaires' answers are the form engine's
 * (form_collect reads the fields the codebook declares).
 */
#ifndef SME_PAGE_H
#define SME_PAGE_H

#include <stddef.h>

#include "stmts.h"

struct req;
struct dbarg;
typedef void (*page_handler)(struct req *r);

/* Methods a row answers. M_GET also answers HEAD (sent without the body). */
#define M_GET  (1u << 0)
#define M_POST (1u << 1)

/* Roles: a mask of RB(role) bits (auth.h). PUBLIC: anyone, also anonymous;
 * any other mask needs a logged-in user whose role is in it. */
#define PUBLIC   0u
#define ANY_USER (~0u)

/* Page flags. */
#define PAGE_SLASH (1u << 0)    /* also answers path + "/" */
/* A POST without a live session (never logged in, or the idle/absolute
 * timeout passed) still reaches the handler, with r->user NULL, instead of
 * the login redirect that would lose what was posted: the questionnaires
 * answer with a re-login form that carries the answers (issue 9). The
 * handler must check r->user itself; GETs keep the login redirect. */
#define PAGE_RELOGIN (1u << 1)
/* A POST must carry the CSRF token of the visitor's session (or of the
 * anonymous cookie on public pages): the dispatcher compares it before the
 * handler runs and answers 403 (or calls the row's csrf_refused) when it
 * does not match, so no handler can forget it. Every M_POST row must carry
 * it: page_table_check refuses a table without, and the program does not
 * start. With PAGE_RELOGIN and no live session the handler runs anyway
 * and reads what the dispatcher proved (r->origin_anon, r->origin_lapsed). */
#define PAGE_CSRF (1u << 2)

/* Parameter types. Every value is also kept as given in arg.s. */
enum ptype {
	PT_ID,      /* a positive decimal id (1..19 digits, at most INT64_MAX) -> arg.id */
	PT_INT,     /* a decimal integer in [min, max] -> arg.n */
	PT_STR,     /* any string of at most max bytes */
	PT_ENUM,    /* one of values[] (NULL-terminated) -> arg.n = its index */
	PT_FLAG,    /* sent or not ("saved=1" after a redirect): any value of at
	               most 16 bytes -> present */
	PT_FILE     /* a multipart file part (filename may be "") -> arg.file;
	               max bounds its bytes (0: the body's own limits) */
};

#define P_REQUIRED (1u << 0)    /* absent (not sent at all) is an error too */
/* Repeated: every value sent under the name (at most maxn), each checked
 * by the type, -> arg.list[0 .. arg.nlist); arg.s is the first. */
#define P_LIST     (1u << 1)
/* Numbered: name0, name1, ... up to the first one not sent (at most maxn),
 * each checked by the type, -> arg.list (the column mapping map0..mapN). */
#define P_INDEXED  (1u << 2)

/* One typed parameter (query or body field) of a page, parsed into
 * r->arg[key] (struct arg, http.h). A value that is sent
 * but malformed (an empty value too, except for PT_STR), or absent when
 * required, answers `status` with `message` before the handler runs.
 * status 0 (never with P_REQUIRED) means a malformed value is treated as
 * absent: filters and page numbers that fall back to a default. */
struct pspec {
	unsigned           key;       /* slot in r->arg[] (the program's enum) */
	const char        *name;      /* NULL ends a list */
	enum ptype         type;
	unsigned           flags;     /* P_REQUIRED */
	long long          min, max;  /* PT_INT bounds; PT_STR: max = longest length */
	const char *const *values;    /* PT_ENUM */
	int                status;
	const char        *message;
	unsigned           maxn;      /* P_LIST / P_INDEXED: most values taken */
};

struct pagedef {
	const char         *path;     /* exact request path; NULL: row disabled */
	unsigned            methods;  /* M_GET | M_POST */
	unsigned            roles;    /* PUBLIC, ANY_USER or RB() bits */
	unsigned            flags;    /* PAGE_SLASH */
	const struct pspec *params;   /* NULL-name-terminated list, or NULL */
	page_handler        handler;
	const char         *deny;     /* 403 message for other roles (NULL: the default) */
	/* PAGE_CSRF refused: answers instead of the default 403 page (the
	 * login form again with the typed username; JSON for a script). */
	page_handler        csrf_refused;
	/* The statement that checks the session and
	 * fetches the page's data in the same round trip (stmts.c, "Pages in
	 * one round trip"); STMT_SESSION_GET (0, the default): the session
	 * alone, and the page asks for its data itself. */
	enum stmt           session;
	/* Its arguments after the token hash, from the parsed parameters and
	 * constants (at most AUTH_PAGE_ARGS); NULL: none. Returns how many,
	 * or -1 when the page's statement cannot serve this request (the
	 * session is then checked alone). */
	int (*session_args)(const struct req *r, struct dbarg *out);
};

/* The request's method as M_GET / M_POST bits (0 for any other method). */
unsigned page_method(const char *method);

/* The row for path and method, or NULL; then *allow holds the methods the
 * path does answer (0: unknown path -> 404, else -> 405). */
const struct pagedef *page_find(const struct pagedef *pages, size_t n, const char *path,
                             unsigned method, unsigned *allow);

/* "GET, HEAD, POST" style list of the methods in mask, into out. */
void page_allow_header(unsigned mask, char *out, size_t size);

/* Parses ps[] from the request's parameters into r->arg[] (cleared first;
 * the lists of an earlier parse freed) and the posted CSRF token into
 * r->csrf_sent. Returns NULL, or the first parameter whose value is refused. */
const struct pspec *page_parse_args(struct req *r, const struct pspec *ps);
/* Frees what page_parse_args allocated (the lists); the accept loop calls
 * it with the request. */
void page_args_free(struct req *r);
/* 0 when the table is well formed: every POST row carries PAGE_CSRF, every
 * parameter has a slot below REQ_MAX_ARGS used once per row, an enum has
 * values, a list a maxn, a required parameter a status. Else -1 with the
 * first problem in err. app_run refuses to start a program whose table
 * fails. */
int page_table_check(const struct pagedef *pages, size_t n, char *err, size_t errsz);

/* Values of the common one-value enums: a confirmation box (confirm=1)
 * and a choice of everything (scope=all). */
extern const char *const page_one[];
extern const char *const page_all[];

/* Parses one PT_ID value: 0 when s is not 1..19 decimal digits <= INT64_MAX
 * or is 0. Shared by every id a page or form takes. */
unsigned long long parse_id(const char *s);

#endif
