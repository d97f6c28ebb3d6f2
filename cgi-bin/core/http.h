/*
 * http.h - one FastCGI request: decoded input (query string, urlencoded or
 * multipart body, cookies) and the buffered response (status, headers, body).
 * Nothing is written to the client until the handler returns, so a handler
 * can still switch to an error page half-way - except for a streamed
 * download (resp_stream_begin).
 */
#ifndef SME_HTTP_H
#define SME_HTTP_H

#include <stddef.h>
#include <stdio.h>
#include "util.h"

struct conf;
struct db;
struct user;
struct nav_item;

/* A decoded form field. For a multipart file part, filename is non-NULL
 * (possibly "") and value/len hold the file's bytes. */
struct param {
	char   *name;
	char   *value;        /* always NUL-terminated (files may contain NULs; use len) */
	size_t  len;
	char   *filename;
	char   *ctype;        /* part Content-Type, multipart only */
	int     too_large;    /* a file part over max_file: skipped, value "" */
};

enum body_status { BODY_OK = 0, BODY_TOO_LARGE, BODY_MALFORMED, BODY_BAD_TYPE };

#define REQ_MAX_ARGS 40
/* A CSRF token: 64 hex digits (a session's), or an anonymous form's
 * "<issued>.<64 hex digits>" (auth.h). */
#define CSRF_MAX 96

/* A typed page parameter, parsed before the handler runs (page.h). */
struct arg {
	int                present;   /* 1 when sent and valid */
	const char        *s;         /* the value as given, NULL when absent */
	unsigned long long id;        /* PT_ID */
	long long          n;         /* PT_INT value, PT_ENUM index */
	const struct param *file;     /* PT_FILE: the part */
	const char       **list;      /* P_LIST / P_INDEXED: the values as given */
	size_t             nlist;
};

struct req {
	void       *fcgi;          /* FCGX_Request *, NULL in unit tests */
	const struct conf *conf;
	struct db  *db;

	/* Request line and environment (never NULL; "" when absent). */
	const char *method;
	const char *path;          /* DOCUMENT_URI without query, e.g. /form/sme/print */
	const char *query;
	const char *remote_addr;
	char        client_key[52];  /* throttling key: the address, or its /64 for IPv6 */
	const char *content_type;
	const char *https;         /* "on" when served over TLS */
	const char *fetch_site;    /* Sec-Fetch-Site request header ("" when absent) */
	const char *user_agent;    /* User-Agent ("" when absent): paradata's browser family */
	char        device_cookie[33];  /* the browser's device cookie (paradata.h), "" when none */
	int         is_post;
	char        id[17];        /* request id for logs */

	struct param *params;      /* query parameters first, then body */
	size_t        nparams;
	struct param *cookies;
	size_t        ncookies;
	enum body_status body_status;
	struct arg    arg[REQ_MAX_ARGS];  /* the page's typed parameters (page.h) */
	const char   *csrf_sent;   /* the posted "csrf" field (page_parse_args), NULL when none */
	/* A POST without a live session on a PAGE_RELOGIN page (page.h): the
	 * dispatcher checks its token as it does every POST's, but leaves the
	 * answer to the handler, which may only act on what is proven here. */
	int           origin_anon;    /* the anonymous pre-session's token (a re-login form) */
	int           origin_lapsed;  /* the lapsed session's token, or Sec-Fetch-Site same-origin */

	/* Set by auth_load_session(); NULL when anonymous. */
	struct user *user;
	char         csrf[CSRF_MAX];  /* token expected in POSTs and put in forms */
	const struct nav_item *nav;  /* the site navigation page_begin() shows */
	size_t       nnav;

	/* Response. */
	int          status;
	struct buf   headers;
	struct buf   body;
	int          no_body;      /* HEAD */
	FILE        *body_file;    /* set by resp_spool(): body sent from this file */
	int          streamed;     /* resp_stream_begin() sent the head already */
};

/* The key that per-client throttles count under: an IPv4 address as is, an
 * IPv6 address reduced to its /64 (one subscriber usually owns a whole /64,
 * so counting single addresses would let it rotate past every limit). */
void client_key(const char *addr, char out[52]);

/* Parse the three input kinds; used by the accept loop and unit tests. */
int  parse_urlencoded(const char *s, size_t n, struct param **ps, size_t *np, size_t max_params);
int  parse_cookies(const char *s, struct param **ps, size_t *np);
/* Returns BODY_OK or BODY_MALFORMED. A file part over max_file is kept
 * as a param with too_large set and an empty value (its bytes skipped). */
enum body_status parse_multipart(const char *body, size_t n, const char *content_type,
                                 struct param **ps, size_t *np, size_t max_params,
                                 size_t max_file);
void params_free(struct param *ps, size_t n);
/* Percent-decoding of one component ('+' = space). Returns decoded length. */
size_t url_decode(char *s, size_t n);
/* Percent-encode s for use inside a URL query value. */
void url_encode(struct buf *b, const char *s);

/* The raw readers of decoded parameters: for the page parser
 * (core/page.c) only - pages declare their parameters (page.h). */
const char *req_param(const struct req *r, const char *name);       /* first value or NULL */
const struct param *req_param_p(const struct req *r, const char *name);
/* Collects every value of a repeated field; returns the count (<= max). */
size_t      req_param_all(const struct req *r, const char *name, const char **out, size_t max);
const char *req_cookie(const struct req *r, const char *name);
/* The first query or form field (not a file) whose value holds a NUL byte,
 * which a C string would silently cut there; NULL when none. */
const struct param *req_param_with_nul(const struct req *r);
/* CONTENT_LENGTH: "" is 0; otherwise 1..18 decimal digits and nothing
 * else. 0 and *len set, -1 when malformed (a sign, a space, too many
 * digits for any body: no overflow is possible), 1 when over max. */
int parse_content_length(const char *s, long long max, long long *len);

/* For large generated documents: returns a temporary file that becomes the
 * response body (sent in chunks after the handler returns, then closed), so
 * a worker never holds the whole document in memory. NULL on failure. */
FILE *resp_spool(struct req *r);
/* For downloads too large to hold (exports): resp_stream_begin sends the
 * status and headers set so far at once (no Content-Length: the web server
 * sends the body chunked); resp_stream_write sends body bytes as they come
 * (beginning first when needed). After that the handler cannot switch to an
 * error page any more. Both return 0, or -1 when the client has gone. */
int  resp_stream_begin(struct req *r);
int  resp_stream_write(struct req *r, const void *p, size_t n);
void resp_status(struct req *r, int code);
const char *resp_status_text(int code);     /* reason phrase */
void resp_header(struct req *r, const char *name, const char *value);
/* Content-Disposition: attachment with an ASCII fallback name (anything
 * else becomes '_') and the real UTF-8 name as RFC 5987 filename*. */
void resp_attachment(struct req *r, const char *filename);
/* 1 when path is a same-site path: starts with one '/', no control
 * characters, no backslash (browsers strip the former and read the latter
 * as '/', which would turn "/\t/host" into "//host"). */
int  local_path_ok(const char *path);
/* 303 See Other to a local path (local_path_ok(), else "/"). */
void resp_redirect(struct req *r, const char *path);
/* max_age < 0: session cookie; 0: delete. HttpOnly, SameSite=Lax, Path=/,
 * Secure when the config or the request says HTTPS. */
void resp_cookie(struct req *r, const char *name, const char *value, long max_age);

/* Does the path equal prefix or continue it after a '/'? On success *rest
 * points just past the prefix ("" or "/..."). */
int  path_match(const char *path, const char *prefix, const char **rest);

#endif
