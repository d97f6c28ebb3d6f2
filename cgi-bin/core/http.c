/*
 * http.c - request decoding (query string, urlencoded and multipart bodies,
 * cookies) and response building. Everything is bounded: the caller caps
 * the body size, these functions cap the number of fields.
 */
#include "http.h"
#include "conf.h"
#include "util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hexdig(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

void url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

size_t url_decode(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			s[o++] = ' ';
		} else if (s[i] == '%' && i + 2 < n + 0 && hexdig(s[i + 1]) >= 0 && hexdig(s[i + 2]) >= 0) {
			s[o++] = (char)(hexdig(s[i + 1]) << 4 | hexdig(s[i + 2]));
			i += 2;
		} else {
			s[o++] = s[i];   /* a stray '%' is kept literally */
		}
	}
	s[o] = '\0';
	return o;
}

static struct param *param_add(struct param **ps, size_t *np)
{
	/* Grow in powers of two; the caller bounds *np. */
	if ((*np & (*np - 1)) == 0 || *np == 0) {
		size_t cap = *np ? *np * 2 : 8;
		*ps = xrealloc(*ps, cap * sizeof **ps);
	}
	struct param *p = &(*ps)[(*np)++];
	memset(p, 0, sizeof *p);
	return p;
}

void params_free(struct param *ps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(ps[i].name);
		free(ps[i].value);
		free(ps[i].filename);
		free(ps[i].ctype);
	}
	free(ps);
}

/* Decoded text must be UTF-8: anything else is replaced by nothing so that
 * invalid bytes never reach the database or the page. Returns 0 when valid. */
static int keep_utf8(char *s, size_t *len)
{
	if (utf8_valid(s, *len))
		return 0;
	*len = 0;
	s[0] = '\0';
	return -1;
}

int parse_urlencoded(const char *s, size_t n, struct param **ps, size_t *np, size_t max_params)
{
	size_t i = 0;
	int bad = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != '&')
			j++;
		if (j > i) {
			if (*np >= max_params)
				return -1;
			const char *eq = memchr(s + i, '=', j - i);
			size_t klen = eq ? (size_t)(eq - (s + i)) : j - i;
			struct param *p = param_add(ps, np);
			p->name = xstrndup(s + i, klen);
			url_decode(p->name, klen);
			size_t vlen = eq ? j - i - klen - 1 : 0;
			p->value = xstrndup(eq ? eq + 1 : "", vlen);
			p->len = url_decode(p->value, vlen);
			size_t nl = strlen(p->name);
			bad |= keep_utf8(p->name, &nl);
			bad |= keep_utf8(p->value, &p->len);
		}
		i = j + 1;
	}
	return bad ? -1 : 0;
}

int parse_cookies(const char *s, struct param **ps, size_t *np)
{
	while (s && *s) {
		while (*s == ' ' || *s == ';')
			s++;
		const char *end = strchr(s, ';');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		const char *eq = memchr(s, '=', n);
		if (eq && *np < 64) {
			struct param *p = param_add(ps, np);
			p->name = xstrndup(s, (size_t)(eq - s));
			p->value = xstrndup(eq + 1, n - (size_t)(eq - s) - 1);
			p->len = strlen(p->value);
		}
		s = end;
	}
	return 0;
}

/* Finds a parameter like name="value" (or name=value) in a header line. */
static char *header_attr(const char *h, size_t hn, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i + nl < hn; i++) {
		if ((i == 0 || h[i - 1] == ' ' || h[i - 1] == ';') &&
		    strncasecmp(h + i, name, nl) == 0 && h[i + nl] == '=') {
			const char *v = h + i + nl + 1, *end = h + hn;
			if (v < end && *v == '"') {
				const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));
				if (q == NULL)
					return NULL;
				return xstrndup(v + 1, (size_t)(q - v - 1));
			}
			const char *e = v;
			while (e < end && *e != ';' && *e != ' ')
				e++;
			return xstrndup(v, (size_t)(e - v));
		}
	}
	return NULL;
}

/* The next delimiter at or after data, preceded by CRLF; NULL if none. */
static const char *next_delimiter(const char *data, const char *end, const struct buf *delim)
{
	for (const char *q = data; q < end; ) {
		const char *hit = memmem(q, (size_t)(end - q), delim->data, delim->len);
		if (hit == NULL)
			return NULL;
		if (hit - data >= 2 && hit[-2] == '\r' && hit[-1] == '\n')
			return hit;
		q = hit + 1;
	}
	return NULL;
}

/* The part's field name, file name and type from its headers [h, hend);
 * each malloc'd or NULL when absent. */
static void part_headers(const char *h, const char *hend, char **name, char **filename, char **ctype)
{
	while (h < hend) {
		const char *eol = memmem(h, (size_t)(hend - h), "\r\n", 2);
		if (eol == NULL)
			eol = hend;
		size_t hl = (size_t)(eol - h);
		if (hl > 20 && strncasecmp(h, "Content-Disposition:", 20) == 0) {
			free(*name);
			free(*filename);
			*name = header_attr(h, hl, "name");
			*filename = header_attr(h, hl, "filename");
		} else if (hl > 13 && strncasecmp(h, "Content-Type:", 13) == 0) {
			const char *v = h + 13;
			while (*v == ' ')
				v++;
			free(*ctype);
			*ctype = xstrndup(v, (size_t)(eol - v));
		}
		h = eol + 2;
	}
}

enum body_status parse_multipart(const char *body, size_t n, const char *content_type,
                                 struct param **ps, size_t *np, size_t max_params,
                                 size_t max_file)
{
	char *b = header_attr(content_type, strlen(content_type), "boundary");
	if (b == NULL || *b == '\0' || strlen(b) > 200) {
		free(b);
		return BODY_MALFORMED;
	}
	struct buf delim = { 0 };
	buf_puts(&delim, "--");
	buf_puts(&delim, b);
	free(b);

	enum body_status st = BODY_MALFORMED;
	const char *end = body + n;
	/* The body starts with the first delimiter (a preamble is allowed). */
	const char *p = memmem(body, n, delim.data, delim.len);
	if (p == NULL)
		goto out;
	p += delim.len;
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
			st = BODY_OK;          /* closing delimiter */
			break;
		}
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			break;
		p += 2;
		const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (hend == NULL || hend - p > 4096)
			break;
		const char *data = hend + 4, *next = next_delimiter(data, end, &delim);
		if (next == NULL)
			break;
		size_t dlen = (size_t)(next - 2 - data);

		char *name = NULL, *filename = NULL, *ctype = NULL;
		part_headers(p, hend, &name, &filename, &ctype);
		if (name == NULL || *np >= max_params) {
			free(name);
			free(filename);
			free(ctype);
			goto out;
		}
		struct param *prm = param_add(ps, np);
		prm->name = name;
		prm->filename = filename;
		prm->ctype = ctype;
		/* A file over max_file is skipped, not copied: the part stays
		 * (too_large, empty value) so that its field can say why, and
		 * every other field of the request is still read. */
		if (filename && dlen > max_file) {
			prm->too_large = 1;
			dlen = 0;
		}
		prm->value = xstrndup(data, dlen);
		prm->len = dlen;
		if (filename == NULL && keep_utf8(prm->value, &prm->len) < 0)
			goto out;
		p = next + delim.len;
	}
out:
	buf_free(&delim);
	return st;
}

void client_key(const char *addr, char out[52])
{
	unsigned char a[16];
	if (strchr(addr, ':') && !strchr(addr, '.') && inet_pton(AF_INET6, addr, a) == 1) {
		char p[INET6_ADDRSTRLEN];
		memset(a + 8, 0, 8);
		inet_ntop(AF_INET6, a, p, sizeof p);
		snprintf(out, 52, "%s/64", p);
	} else {
		snprintf(out, 52, "%s", addr);
	}
}

const struct param *req_param_p(const struct req *r, const char *name)
{
	for (size_t i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].name, name) == 0)
			return &r->params[i];
	return NULL;
}

int parse_content_length(const char *s, long long max, long long *len)
{
	size_t n = strlen(s);
	*len = 0;
	if (n == 0)
		return 0;
	/* 18 digits stay below LLONG_MAX, so the sum cannot overflow. */
	if (n > 18 || strspn(s, "0123456789") != n)
		return -1;
	long long v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	*len = v;
	return v > max ? 1 : 0;
}

const char *req_param(const struct req *r, const char *name)
{
	const struct param *p = req_param_p(r, name);
	return p ? p->value : NULL;
}

size_t req_param_all(const struct req *r, const char *name, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nparams && n < max; i++)
		if (strcmp(r->params[i].name, name) == 0)
			out[n++] = r->params[i].value;
	return n;
}

const char *req_cookie(const struct req *r, const char *name)
{
	for (size_t i = 0; i < r->ncookies; i++)
		if (strcmp(r->cookies[i].name, name) == 0)
			return r->cookies[i].value;
	return NULL;
}

const char *resp_status_text(int code)
{
	switch (code) {
	case 200: return "OK";
	case 204: return "No Content";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default:  return "Status";
	}
}

FILE *resp_spool(struct req *r)
{
	if (r->body_file == NULL)
		r->body_file = tmpfile();
	return r->body_file;
}

void resp_status(struct req *r, int code)
{
	r->status = code;
}


void resp_header(struct req *r, const char *name, const char *value)
{
	/* Header values come from the program, but never let CR/LF through. */
	buf_puts(&r->headers, name);
	buf_puts(&r->headers, ": ");
	for (const char *v = value; *v; v++)
		if (*v != '\r' && *v != '\n')
			buf_putc(&r->headers, *v);
	buf_puts(&r->headers, "\r\n");
}

void resp_attachment(struct req *r, const char *filename)
{
	struct buf b = { 0 };
	buf_puts(&b, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)filename; *p; p++)
		buf_putc(&b, (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != '%' &&
		              *p != ';') ? (char)*p : '_');
	buf_puts(&b, "\"; filename*=UTF-8''");
	url_encode(&b, filename);
	resp_header(r, "Content-Disposition", b.data);
	buf_free(&b);
}

int local_path_ok(const char *path)
{
	/* Browsers drop tab, CR and LF inside a URL and read '\\' as '/', so
	 * "/\t/evil.example" or "/\\evil.example" would leave the site: any
	 * control character or backslash makes the path unacceptable. */
	if (path == NULL || path[0] != '/' || path[1] == '/')
		return 0;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	return 1;
}

void resp_redirect(struct req *r, const char *path)
{
	/* Only local redirects: an open redirect would help phishing. */
	if (!local_path_ok(path))
		path = "/";
	r->status = 303;
	resp_header(r, "Location", path);
}

void resp_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	struct buf c = { 0 };
	buf_printf(&c, "%s=%s; Path=/; HttpOnly; SameSite=Lax", name, value);
	if (max_age >= 0)
		buf_printf(&c, "; Max-Age=%ld", max_age);
	if ((r->conf && r->conf->secure_cookies) || strcmp(r->https, "on") == 0)
		buf_puts(&c, "; Secure");
	resp_header(r, "Set-Cookie", c.data);
	buf_free(&c);
}

int path_match(const char *path, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	if (strncmp(path, prefix, n) != 0 || (path[n] != '\0' && path[n] != '/'))
		return 0;
	if (rest)
		*rest = path + n;
	return 1;
}
