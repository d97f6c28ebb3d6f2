/*
 * dbjson.c - JSON rows back into cells (see dbjson.h).
 */
#include "dbjson.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
		           : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
		if (d == 16)
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

/* \uXXXX (a surrogate pair taking two) at p (after the 'u') as UTF-8. */
static const char *unicode_escape(const char *p, struct buf *b)
{
	unsigned cp, lo;
	if (hex4(p, &cp) < 0)
		return NULL;
	p += 4;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
			return NULL;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		p += 6;
	} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
		return NULL;
	}
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (char)(0xC0 | cp >> 6));
		buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		buf_putc(b, (char)(0xE0 | cp >> 12));
		buf_putc(b, (char)(0x80 | (cp >> 6 & 0x3F)));
		buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		buf_putc(b, (char)(0xF0 | cp >> 18));
		buf_putc(b, (char)(0x80 | (cp >> 12 & 0x3F)));
		buf_putc(b, (char)(0x80 | (cp >> 6 & 0x3F)));
		buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	}
	return p;
}

/* A string after its opening quote, unescaped into b; the position after
 * the closing quote, or NULL. */
static const char *string_value(const char *p, struct buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	for (;;) {
		char c = *p++;
		if (c == '"')
			return p;
		if (c == '\0')
			return NULL;
		if (c != '\\') {
			buf_putc(b, c);
			continue;
		}
		c = *p++;
		const char *e = c ? strchr(from, c) : NULL;
		if (e) {
			buf_putc(b, to[e - from]);
		} else if (c == 'u') {
			if ((p = unicode_escape(p, b)) == NULL)
				return NULL;
		} else {
			return NULL;
		}
	}
}

/* One scalar at p into *out (malloc'd; NULL for null); the position
 * after it, or NULL. */
static const char *scalar(const char *p, char **out)
{
	struct buf b = { 0 };
	*out = NULL;
	if (*p == '"') {
		if ((p = string_value(p + 1, &b)) == NULL) {
			buf_free(&b);
			return NULL;
		}
		*out = buf_steal(&b);
		return p;
	}
	if (strncmp(p, "null", 4) == 0)
		return p + 4;
	if (strncmp(p, "true", 4) == 0 || strncmp(p, "false", 5) == 0) {
		*out = xstrdup(*p == 't' ? "1" : "0");
		return p + (*p == 't' ? 4 : 5);
	}
	size_t n = strspn(p, "-+.0123456789eE");
	if (n == 0)
		return NULL;
	*out = xstrndup(p, n);
	return p + n;
}

/* "[v, v, ...]" at p into cells[0..max): exactly n values when n > 0,
 * else as many as there are (at most max, their number into *got). The
 * position after ']', or NULL (cells freed) when malformed. */
static const char *array_of(const char *p, char **cells, size_t n, size_t max, size_t *got)
{
	size_t k = 0;
	p = skip_ws(p);
	if (*p++ != '[')
		return NULL;
	p = skip_ws(p);
	if (*p == ']' && n == 0) {
		*got = 0;
		return p + 1;
	}
	for (;;) {
		char *v;
		if (k == (n ? n : max) || (p = scalar(skip_ws(p), &v)) == NULL)
			break;
		cells[k++] = v;
		p = skip_ws(p);
		if (*p == ']' && (n == 0 || k == n)) {
			*got = k;
			return p + 1;
		}
		if (*p++ != ',')
			break;
	}
	while (k > 0)
		free(cells[--k]);
	return NULL;
}

int json_row(const char *s, char **out, size_t n)
{
	size_t got;
	const char *end = s && n ? array_of(s, out, n, n, &got) : NULL;
	if (s && n == 0 && strcmp(skip_ws(s), "[]") == 0)
		return 0;
	if (end && *skip_ws(end) == '\0')
		return 0;
	if (end)
		for (size_t i = 0; i < n; i++)
			free(out[i]);
	return -1;
}

void jrows_free(struct jrows *r)
{
	for (size_t i = 0; r->cells && i < r->nrows * r->ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	memset(r, 0, sizeof *r);
}

/* The first row at p when the number of columns is not known: parsed
 * into a scratch array, then copied into r (ncols set). */
#define JSON_MAX_COLS 128
static const char *first_row(const char *p, struct jrows *r, size_t *cap)
{
	char *tmp[JSON_MAX_COLS];
	size_t got;
	if ((p = array_of(p, tmp, 0, JSON_MAX_COLS, &got)) == NULL)
		return NULL;
	if (got == 0)
		return NULL;     /* a row of no columns: not a result */
	r->ncols = got;
	*cap = 8;
	r->cells = xcalloc(*cap * got, sizeof *r->cells);
	memcpy(r->cells, tmp, got * sizeof *tmp);
	r->nrows = 1;
	return p;
}

int json_rows(const char *s, size_t ncols, struct jrows *out)
{
	struct jrows r = { NULL, 0, ncols };
	size_t cap = 0, got;
	const char *p = skip_ws(s ? s : "");
	*out = r;
	if (*p == '\0' || (p[0] == '[' && *skip_ws(p + 1) == ']'))
		return 0;
	if (*p++ != '[')
		return -1;
	for (;;) {
		if (r.ncols == 0) {
			if ((p = first_row(p, &r, &cap)) == NULL)
				goto fail;
		} else {
			if (r.nrows == cap) {
				cap = cap ? 2 * cap : 8;
				r.cells = xrealloc(r.cells, cap * r.ncols * sizeof *r.cells);
			}
			if ((p = array_of(p, r.cells + r.nrows * r.ncols, r.ncols, r.ncols, &got)) == NULL)
				goto fail;
			r.nrows++;
		}
		p = skip_ws(p);
		if (*p == ']' && *skip_ws(p + 1) == '\0')
			break;
		if (*p++ != ',')
			goto fail;
	}
	*out = r;
	return 0;
fail:
	jrows_free(&r);
	return -1;
}
