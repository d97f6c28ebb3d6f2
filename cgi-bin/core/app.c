/*
 * app.c - the FastCGI accept loop shared by every program.
 */
#include "msg.h"
#include "app.h"
#include "catalog.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "deadline.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "paradata.h"
#include "util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <sodium.h>

/* Upper bound on decoded fields in one request (the largest form has ~160
 * fields plus multi-select pairs). */
#define MAX_PARAMS 4000

static const char *env(FCGX_Request *fr, const char *name)
{
	const char *v = FCGX_GetParam(name, fr->envp);
	return v ? v : "";
}

/* Bodies above this are spooled to a temporary file and parsed from a
 * read-only mapping, so that a file part too large to keep (skipped by
 * parse_multipart) never sits in the worker's heap. */
#define BODY_SPOOL_OVER (1024L * 1024)

/* Decodes body[0..len) by the request's content type. */
static void decode_body(struct req *r, const char *body, size_t len)
{
	if (strncasecmp(r->content_type, "application/x-www-form-urlencoded", 33) == 0) {
		if (parse_urlencoded(body, len, &r->params, &r->nparams, MAX_PARAMS) < 0)
			r->body_status = BODY_MALFORMED;
	} else if (strncasecmp(r->content_type, "multipart/form-data", 19) == 0) {
		r->body_status = parse_multipart(body, len, r->content_type, &r->params,
		                                 &r->nparams, MAX_PARAMS, (size_t)r->conf->max_upload);
	} else {
		r->body_status = BODY_BAD_TYPE;
	}
}

/* A large body: copied to a temporary file in 64 KiB chunks, then mapped. */
static void read_body_spooled(struct req *r, FCGX_Request *fr, long len)
{
	char chunk[65536];
	long left = len;
	FILE *f = tmpfile();
	void *map;

	if (f == NULL) {
		log_err("cannot spool a request body");
		r->body_status = BODY_MALFORMED;
		return;
	}
	while (left > 0) {
		int want = left < (long)sizeof chunk ? (int)left : (int)sizeof chunk;
		int got = FCGX_GetStr(chunk, want, fr->in);
		if (got <= 0 || fwrite(chunk, 1, (size_t)got, f) != (size_t)got)
			break;
		left -= got;
	}
	if (left != 0 || fflush(f) != 0) {
		r->body_status = BODY_MALFORMED;
		fclose(f);
		return;
	}
	map = mmap(NULL, (size_t)len, PROT_READ, MAP_PRIVATE, fileno(f), 0);
	if (map == MAP_FAILED) {
		log_err("cannot map a spooled request body");
		r->body_status = BODY_MALFORMED;
	} else {
		decode_body(r, map, (size_t)len);
		munmap(map, (size_t)len);
	}
	fclose(f);
}

/* Reads and decodes the body; sets r->body_status. max_body is the hard
 * cap for absurd bodies; it sits well above max_upload, so that a single
 * oversized file is refused at its field (parse_multipart skips it) and
 * every other answer of the request is kept (issue 9). */
static void read_body(struct req *r, FCGX_Request *fr)
{
	long long len;
	switch (parse_content_length(env(fr, "CONTENT_LENGTH"), r->conf->max_body, &len)) {
	case -1:
		r->body_status = BODY_MALFORMED;
		return;
	case 1:
		r->body_status = BODY_TOO_LARGE;
		return;
	}
	if (len == 0)
		return;
	if (len > BODY_SPOOL_OVER) {
		read_body_spooled(r, fr, len);
		return;
	}
	char *body = xmalloc((size_t)len + 1);
	int got = FCGX_GetStr(body, (int)len, fr->in);
	if (got != len) {
		r->body_status = BODY_MALFORMED;
		free(body);
		return;
	}
	body[len] = '\0';
	decode_body(r, body, (size_t)len);
	free(body);
}

/* Sends a body spooled to a temporary file (resp_spool) in 64 KiB chunks. */
static void send_spooled(struct req *r, FCGX_Request *fr)
{
	char chunk[65536];
	long size;
	if (fflush(r->body_file) != 0 || (size = ftell(r->body_file)) < 0 ||
	    fseek(r->body_file, 0, SEEK_SET) != 0) {
		log_err("cannot read back the spooled response");
		size = 0;
	}
	FCGX_FPrintF(fr->out, "Content-Length: %ld\r\n\r\n", size);
	while (size > 0 && !r->no_body) {
		size_t want = size < (long)sizeof chunk ? (size_t)size : sizeof chunk;
		size_t got = fread(chunk, 1, want, r->body_file);
		if (got == 0)
			break;
		if (FCGX_PutStr(chunk, (int)got, fr->out) < 0)
			break;    /* client gone */
		size -= (long)got;
	}
}

/* The status line and headers, without the blank line that ends them. */
static void send_head(struct req *r, FCGX_Request *fr)
{
	if (r->status == 0)
		r->status = 200;
	FCGX_FPrintF(fr->out, "Status: %d %s\r\n", r->status, resp_status_text(r->status));
	if (strstr(r->headers.data ? r->headers.data : "", "Content-Type:") == NULL)
		FCGX_PutS("Content-Type: text/html; charset=utf-8\r\n", fr->out);
	/* Pages carry personal data: keep them out of shared caches. */
	FCGX_PutS("Cache-Control: no-store\r\n", fr->out);
	if (r->headers.len)
		FCGX_PutStr(r->headers.data, (int)r->headers.len, fr->out);
}

int resp_stream_begin(struct req *r)
{
	FCGX_Request *fr = r->fcgi;
	if (r->streamed)
		return 0;
	r->streamed = 1;
	if (!fr)
		return 0;     /* unit tests: the body gathers in r->body */
	send_head(r, fr);
	/* No Content-Length: the web server sends the body chunked. */
	FCGX_PutS("\r\n", fr->out);
	return FCGX_FFlush(fr->out) < 0 ? -1 : 0;
}

int resp_stream_write(struct req *r, const void *p, size_t n)
{
	FCGX_Request *fr = r->fcgi;
	if (!r->streamed && resp_stream_begin(r) < 0)
		return -1;
	if (r->no_body || n == 0)
		return 0;
	if (!fr) {
		buf_put(&r->body, p, n);
		return 0;
	}
	while (n > 0) {
		int part = n > 1 << 20 ? 1 << 20 : (int)n;
		if (FCGX_PutStr(p, part, fr->out) < 0)
			return -1;    /* client gone */
		p = (const char *)p + part;
		n -= (size_t)part;
	}
	return 0;
}

static void send_response(struct req *r, FCGX_Request *fr)
{
	if (r->streamed)
		return;       /* sent already (resp_stream_begin) */
	send_head(r, fr);
	if (r->body_file) {
		send_spooled(r, fr);
		return;
	}
	FCGX_FPrintF(fr->out, "Content-Length: %lu\r\n\r\n", (unsigned long)r->body.len);
	if (r->body.len && !r->no_body)
		FCGX_PutStr(r->body.data, (int)r->body.len, fr->out);
}

/* count_round_trips = 1 (a measuring aid, issue 13 item 5): the statements
 * this request sent to MariaDB, as a response header and in the log. */
static void report_round_trips(struct req *r)
{
	if (!r->conf->count_round_trips)
		return;
	unsigned long prep, n = db_round_trips(r->db, &prep);
	char v[24], p[24];
	snprintf(v, sizeof v, "%lu", n);
	snprintf(p, sizeof p, "%lu", prep);
	if (!r->streamed) {
		resp_header(r, "X-DB-Round-Trips", v);
		/* A worker's first use of a statement: gone on the next request. */
		resp_header(r, "X-DB-Prepares", p);
	}
	log_info("db round trips: %lu, prepares among them %lu (%s %s)", n, prep, r->method, r->path);
}

static void req_free(struct req *r)
{
	page_args_free(r);
	params_free(r->params, r->nparams);
	params_free(r->cookies, r->ncookies);
	free(r->user);
	if (r->body_file)
		fclose(r->body_file);
	buf_free(&r->headers);
	buf_free(&r->body);
}

/* PAGE_CSRF: the posted token must be the session's (or, for a visitor
 * not logged in, the anonymous cookie's). A post whose session lapsed on a
 * PAGE_RELOGIN page always reaches its handler, with what proves its
 * origin in r->origin_anon and r->origin_lapsed: the handler answers a
 * re-login form or the login redirect, but never checks a token itself.
 * 1 when the handler may run; else the refusal is answered here. */
static int csrf_passed(struct req *r, const struct pagedef *pg)
{
	if (!r->is_post || !(pg->flags & PAGE_CSRF))
		return 1;
	if (!r->user && (pg->flags & PAGE_RELOGIN)) {
		r->origin_anon = csrf_check(r) == 0;
		r->origin_lapsed = csrf_check_lapsed(r) == 0 || !strcmp(r->fetch_site, "same-origin");
		return 1;
	}
	if (!r->user)
		auth_anon_csrf(r);
	if (csrf_check(r) == 0)
		return 1;
	if (pg->csrf_refused)
		pg->csrf_refused(r);
	else
		page_error(r, 403, MSG_STALE_PAGE);
	return 0;
}

/* The page table decides everything a handler need not: unknown path,
 * method, role, malformed parameters, a POST's CSRF token. */
static void dispatch(struct req *r, const struct app *app)
{
	unsigned allow;
	/* Somebody else set this password (a one-time password): nothing but
	 * changing it, or logging out, until it is the user's own. */
	if (r->user && r->user->must_change_pw &&
	    strcmp(r->path, "/password") != 0 && strcmp(r->path, "/logout") != 0) {
		resp_redirect(r, "/password");
		return;
	}
	const struct pagedef *pg = page_find(app->pages, app->npages, r->path,
	                                  page_method(r->method), &allow);
	if (pg == NULL) {
		if (allow == 0) {
			page_error(r, 404, MSG_NOT_FOUND);
		} else {
			char methods[32];
			page_allow_header(allow, methods, sizeof methods);
			page_error(r, 405, "不支持的请求方式。");
			resp_header(r, "Allow", methods);
		}
		return;
	}
	switch (auth_require(r, pg->roles)) {
	case AUTH_OK:
		break;
	case AUTH_LOGIN: {
		if (r->is_post && (pg->flags & PAGE_RELOGIN))
			break;
		/* The query string goes along (issue 23 item 10): without it a
		 * page such as /admin/file?id=&code= answers 页面不存在 after the
		 * login. It is encoded once more, so next= decodes to it as sent. */
		struct buf b = { 0 }, next = { 0 };
		buf_puts(&next, r->path);
		if (r->query && *r->query && strlen(r->query) < 512) {
			buf_putc(&next, '?');
			buf_puts(&next, r->query);
		}
		buf_puts(&b, "/login?next=");
		url_encode(&b, next.data);
		resp_redirect(r, b.data);
		buf_free(&next);
		buf_free(&b);
		return;
	}
	case AUTH_FORBIDDEN:
		page_error(r, 403, pg->deny ? pg->deny : MSG_FORBIDDEN);
		return;
	}
	/* A NUL byte would cut a value short without a word (issue 18). The
	 * questionnaires (PAGE_RELOGIN rows) refuse it at the field instead. */
	if (!(pg->flags & PAGE_RELOGIN) && req_param_with_nul(r)) {
		page_error(r, 400, "提交的内容中含有空字符（NUL，编码为 0 的字符），未作处理。请删除该字符后重试。");
		return;
	}
	const struct pspec *bad = page_parse_args(r, pg->params);
	if (!csrf_passed(r, pg))
		return;
	if (bad) {
		page_error(r, bad->status ? bad->status : 400,
		           bad->message ? bad->message : MSG_BAD_BODY);
		return;
	}
	pg->handler(r);
}

/* The session, checked by the statement of the page about to be served
 * when it has one (and the parameters parse): its data then come in the
 * same round trip (issue 21). Else the session alone. */
static int load_session(struct req *r, const struct app *app)
{
	unsigned allow;
	struct dbarg extra[AUTH_PAGE_ARGS];
	int n = 0;
	const struct pagedef *pg = r->body_status != BODY_OK ? NULL :
		page_find(app->pages, app->npages, r->path, page_method(r->method), &allow);
	if (pg == NULL || pg->session == STMT_SESSION_GET || page_parse_args(r, pg->params) != NULL)
		return auth_load_session(r, STMT_SESSION_GET, NULL, 0);
	if (pg->session_args && (n = pg->session_args(r, extra)) < 0)
		return auth_load_session(r, STMT_SESSION_GET, NULL, 0);
	return auth_load_session(r, pg->session, extra, (size_t)n);
}

static void serve_one(FCGX_Request *fr, const struct conf *conf, struct db *db, const struct app *app)
{
	struct req r;
	memset(&r, 0, sizeof r);
	r.fcgi = fr;
	r.conf = conf;
	r.db = db;
	db_set_role(db, ROLE_NONE);   /* anonymous until auth_load_session() says otherwise */
	db_round_trips_reset(db);
	deadline_request_begin();    /* overrides read at most once per request */
	r.method = env(fr, "REQUEST_METHOD");
	r.query = env(fr, "QUERY_STRING");
	r.remote_addr = env(fr, "REMOTE_ADDR");
	client_key(r.remote_addr, r.client_key);
	r.content_type = env(fr, "CONTENT_TYPE");
	r.https = env(fr, "HTTPS");
	r.fetch_site = env(fr, "HTTP_SEC_FETCH_SITE");
	r.user_agent = env(fr, "HTTP_USER_AGENT");
	r.is_post = strcmp(r.method, "POST") == 0;
	r.no_body = strcmp(r.method, "HEAD") == 0;

	/* nginx passes the decoded, normalised DOCUMENT_URI; Apache does not,
	 * so fall back to REQUEST_URI without its query. */
	char *path = NULL;
	const char *doc = env(fr, "DOCUMENT_URI");
	if (*doc) {
		path = xstrdup(doc);
	} else {
		const char *uri = env(fr, "REQUEST_URI");
		path = xstrndup(uri, strcspn(uri, "?"));
		url_decode(path, strlen(path));
	}
	r.path = path;
	r.nav = app->nav;
	r.nnav = app->nnav;

	unsigned char rid[8];
	random_bytes(rid, sizeof rid);
	hex_encode(rid, sizeof rid, r.id);
	log_set_request_id(r.id);

	parse_urlencoded(r.query, strlen(r.query), &r.params, &r.nparams, MAX_PARAMS);
	parse_cookies(env(fr, "HTTP_COOKIE"), &r.cookies, &r.ncookies);
	pd_device_read(&r);
	if (r.is_post)
		read_body(&r, fr);

	if (load_session(&r, app) < 0) {
		page_error(&r, 503, MSG_BUSY);
	} else if (r.body_status == BODY_TOO_LARGE) {
		page_error(&r, 413, "提交的内容过大，请缩小上传文件后重试。");
	} else if (r.body_status != BODY_OK) {
		page_error(&r, 400, MSG_BAD_BODY);
	} else {
		dispatch(&r, app);
	}
	report_round_trips(&r);
	send_response(&r, fr);
	req_free(&r);
	free(path);
	log_set_request_id(NULL);
}

/* SIGTERM: an idle worker (blocked in accept) exits at once; a busy one
 * finishes its request first, so nothing accepted is cut off half-way. */
static volatile sig_atomic_t worker_busy, stop_requested;

static void on_term(int sig)
{
	(void)sig;
	if (!worker_busy)
		_exit(0);
	stop_requested = 1;
}

static void install_term_handler(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

/* The roles of a page row as "public", "any" or "admin,viewer". */
static void print_roles(unsigned roles)
{
	if (roles == PUBLIC) {
		fputs("public", stdout);
		return;
	}
	if (roles == ANY_USER) {
		fputs("any", stdout);
		return;
	}
	const char *sep = "";
	for (int ro = ROLE_NONE + 1; ro < ROLE_COUNT; ro++)
		if (roles & RB(ro)) {
			printf("%s%s", sep, role_code((enum role)ro));
			sep = ",";
		}
}

/* A page row's flags as "slash,relogin,csrf", or "-". */
static void print_flags(unsigned flags)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ PAGE_SLASH, "slash" }, { PAGE_RELOGIN, "relogin" }, { PAGE_CSRF, "csrf" },
	};
	const char *sep = "";
	if (!(flags & (PAGE_SLASH | PAGE_RELOGIN | PAGE_CSRF)))
		fputs("-", stdout);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (flags & names[i].bit) {
			printf("%s%s", sep, names[i].name);
			sep = ",";
		}
}

/* The names of a page row's typed parameters, "a,b", or "-". */
static void print_params(const struct pspec *ps)
{
	const char *sep = "";
	if (ps == NULL || ps->name == NULL)
		fputs("-", stdout);
	for (; ps && ps->name; ps++) {
		printf("%s%s", sep, ps->name);
		sep = ",";
	}
}

/* `PROGRAM --routes`: the page table, one line per path and method
 * ("METHOD PATH ROLES FLAGS PARAMS", tab-separated; FLAGS "-" or a comma
 * list of slash, relogin, csrf; PARAMS the typed parameters' names or "-"), so
 * that tests walk exactly the routes the program serves
 * (tests/access/matrix.tsv, scripts/sqlmap). HEAD is implied by GET. */
static void print_routes(const struct app *app)
{
	static const unsigned methods[] = { M_GET, M_POST };
	static const char *const names[] = { "GET", "POST" };
	for (size_t i = 0; i < app->npages; i++) {
		const struct pagedef *pg = &app->pages[i];
		if (pg->path == NULL)
			continue;
		for (size_t m = 0; m < 2; m++) {
			if (!(pg->methods & methods[m]))
				continue;
			printf("%s\t%s\t", names[m], pg->path);
			print_roles(pg->roles);
			putchar('\t');
			print_flags(pg->flags);
			putchar('\t');
			print_params(pg->params);
			putchar('\n');
		}
	}
}

int app_run(const struct app *app, int argc, char **argv)
{
	static struct conf conf;
	if (argc > 1) {
		if (argc == 2 && strcmp(argv[1], "--version") == 0) {
			printf("%s %s\n", app->name, SMESURVEY_VERSION);
			return 0;
		}
		if (argc == 2 && strcmp(argv[1], "--routes") == 0) {
			print_routes(app);
			return 0;
		}
		fprintf(stderr, "usage: %s [--version | --routes] (a FastCGI program: settings come from "
		        "SMESURVEY_CONF)\n", app->name);
		return 2;
	}
	log_init(app->name);
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0) {
		log_err("libsodium initialisation failed");
		return 1;
	}
	if (conf_load(&conf, NULL) < 0 || deadline_conf_apply(&conf) < 0)
		return 1;
	/* A POST row without PAGE_CSRF or a malformed parameter list stops
	 * the program before it serves anything. */
	char err[256];
	if (page_table_check(app->pages, app->npages, err, sizeof err) < 0) {
		log_err("%s", err);
		return 1;
	}
	/* The form catalog drives navigation and role homes: a malformed one
	 * stops the program at start-up. */
	if (catalog_load(err, sizeof err) < 0) {
		log_err("%s", err);
		return 1;
	}
	struct db *db = db_open(&conf);
	if (FCGX_Init() != 0) {
		log_err("FCGX_Init failed");
		return 1;
	}
	FCGX_Request fr;
	FCGX_InitRequest(&fr, 0, 0);
	/* After FCGX_Init, which installs libfcgi's own (accept-restarting) handlers. */
	install_term_handler();
	log_info("ready");
	while (!stop_requested && FCGX_Accept_r(&fr) >= 0) {
		worker_busy = 1;
		serve_one(&fr, &conf, db, app);
		FCGX_Finish_r(&fr);
		worker_busy = 0;
	}
	log_info("stopping");
	db_close(db);
	conf_free(&conf);
	return 0;
}
