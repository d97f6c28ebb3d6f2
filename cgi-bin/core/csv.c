/*
 * csv.c - bounded RFC 4180 reader and UTF-8/GB18030 text conversion.
 */
#include "csv.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void csv_fail(struct csv *c, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void csv_fail(struct csv *c, unsigned long line, const char *fmt, ...)
{
	char why[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	c->failed = 1;
	c->err_line = line;
	if (line)
		snprintf(c->err, sizeof c->err, "line %lu: %s", line, why);
	else
		snprintf(c->err, sizeof c->err, "%s", why);
}

void csv_init(struct csv *c, const char *data, size_t n, const struct csv_limits *lim)
{
	memset(c, 0, sizeof *c);
	c->p = data;
	c->end = data + n;
	c->line = 1;
	if (lim)
		c->lim = *lim;
	if (!c->lim.max_bytes)     c->lim.max_bytes = CSV_MAX_BYTES;
	if (!c->lim.max_fields)    c->lim.max_fields = CSV_MAX_FIELDS;
	if (!c->lim.max_field_len) c->lim.max_field_len = CSV_MAX_FIELD_LEN;
	if (!c->lim.max_records)   c->lim.max_records = CSV_MAX_RECORDS;

	if (n > c->lim.max_bytes) {
		csv_fail(c, 0, "file too large (%zu bytes, at most %zu)", n, c->lim.max_bytes);
		return;
	}
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
}

/* Appends one byte of the current field; mem always keeps room for the
 * terminating NUL. Returns -1 when the field is over the limit. */
static int field_put(struct csv *c, struct csv_row *row, size_t *used, size_t *len, char ch)
{
	if (*len >= c->lim.max_field_len) {
		csv_fail(c, row->line, "field %zu longer than %zu bytes",
		         row->nfields + 1, c->lim.max_field_len);
		return -1;
	}
	if (*used + 2 > row->memcap) {
		size_t ncap = row->memcap ? row->memcap * 2 : 256;
		row->mem = xrealloc(row->mem, ncap);
		row->memcap = ncap;
	}
	row->mem[(*used)++] = ch;
	(*len)++;
	return 0;
}

/* Consumes one line break at c->p, if any. */
static void eat_eol(struct csv *c)
{
	if (c->p < c->end && *c->p == '\r') {
		c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		c->line++;
	} else if (c->p < c->end && *c->p == '\n') {
		c->p++;
		c->line++;
	}
}

static int is_eol(char ch)
{
	return ch == '\n' || ch == '\r';
}

/* A quoted field at c->p (on its opening quote) into the row's memory.
 * 0, or -1 after csv_fail. */
static int read_quoted(struct csv *c, struct csv_row *row, size_t *used, size_t *len)
{
	unsigned long qline = c->line;

	c->p++;
	for (;;) {
		char ch;

		if (c->p >= c->end) {
			csv_fail(c, qline, "unterminated quoted field");
			return -1;
		}
		ch = *c->p;
		if (ch == '"') {
			if (c->p + 1 < c->end && c->p[1] == '"') {
				c->p += 2;
				if (field_put(c, row, used, len, '"') < 0)
					return -1;
				continue;
			}
			c->p++;
			break;
		}
		if (ch == '\0') {
			csv_fail(c, c->line, "NUL byte in text");
			return -1;
		}
		/* Line breaks inside quotes are data, but still count
		 * as physical lines for later error messages. */
		if (ch == '\n' || (ch == '\r' && !(c->p + 1 < c->end && c->p[1] == '\n')))
			c->line++;
		c->p++;
		if (field_put(c, row, used, len, ch) < 0)
			return -1;
	}
	if (c->p < c->end && *c->p != ',' && !is_eol(*c->p)) {
		csv_fail(c, c->line, "unexpected text after closing quote in field %zu",
		         row->nfields + 1);
		return -1;
	}
	return 0;
}

/* An unquoted field at c->p, up to the next comma or line break. 0 or -1. */
static int read_plain(struct csv *c, struct csv_row *row, size_t *used, size_t *len)
{
	while (c->p < c->end && *c->p != ',' && !is_eol(*c->p)) {
		if (*c->p == '"') {
			csv_fail(c, c->line, "quote inside unquoted field %zu "
			         "(enclose the field in quotes and double the quote)",
			         row->nfields + 1);
			return -1;
		}
		if (*c->p == '\0') {
			csv_fail(c, c->line, "NUL byte in text");
			return -1;
		}
		if (field_put(c, row, used, len, *c->p) < 0)
			return -1;
		c->p++;
	}
	return 0;
}

/* Room for one more field in the row's arrays. 0, or -1 past the limit. */
static int field_slot(struct csv *c, struct csv_row *row)
{
	if (row->nfields >= c->lim.max_fields) {
		csv_fail(c, row->line, "more than %zu fields", c->lim.max_fields);
		return -1;
	}
	if (row->nfields == row->fcap) {
		size_t ncap = row->fcap ? row->fcap * 2 : 16;
		row->fields = xrealloc(row->fields, ncap * sizeof *row->fields);
		row->lens = xrealloc(row->lens, ncap * sizeof *row->lens);
		row->fcap = ncap;
	}
	return 0;
}

/* Terminates the field of len bytes that ends at *used. */
static void field_end(struct csv_row *row, size_t *used, size_t len)
{
	/* field_put() always left room for this, except for an empty field. */
	if (*used + 1 > row->memcap) {
		size_t ncap = row->memcap ? row->memcap * 2 : 256;
		row->mem = xrealloc(row->mem, ncap);
		row->memcap = ncap;
	}
	row->mem[(*used)++] = '\0';
	row->lens[row->nfields++] = len;
}

int csv_next(struct csv *c, struct csv_row *row)
{
	size_t used = 0;

	if (c->failed)
		return -1;
	while (c->p < c->end && is_eol(*c->p))
		eat_eol(c);                       /* blank lines are not records */
	if (c->p >= c->end)
		return 0;
	if (c->nrecords >= c->lim.max_records) {
		csv_fail(c, c->line, "more than %zu records", c->lim.max_records);
		return -1;
	}
	c->nrecords++;
	row->nfields = 0;
	row->line = c->line;

	for (;;) {
		size_t len = 0;

		if (field_slot(c, row) < 0)
			return -1;
		if (c->p < c->end && *c->p == '"' ? read_quoted(c, row, &used, &len) < 0
		                                  : read_plain(c, row, &used, &len) < 0)
			return -1;
		field_end(row, &used, len);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		eat_eol(c);
		break;
	}

	/* mem may have moved while growing: set the pointers only now. */
	size_t off = 0;
	for (size_t i = 0; i < row->nfields; i++) {
		row->fields[i] = row->mem + off;
		off += row->lens[i] + 1;
	}
	return 1;
}

void csv_row_free(struct csv_row *row)
{
	free(row->fields);
	free(row->lens);
	free(row->mem);
	memset(row, 0, sizeof *row);
}

int file_read_bounded(const char *path, size_t max, char **out, size_t *outn,
                      char *err, size_t errlen)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0, cap;
	int fd;

	*out = NULL;
	*outn = 0;
	/* O_NONBLOCK: a FIFO must not hang us before the S_ISREG check. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if ((uintmax_t)st.st_size > max) {
		snprintf(err, errlen, "%s: file too large (%jd bytes, at most %zu)",
		         path, (intmax_t)st.st_size, max);
		close(fd);
		return -1;
	}
	cap = (size_t)st.st_size + 1;
	data = xmalloc(cap + 1);
	for (;;) {
		ssize_t r;

		if (len == cap) {
			/* The file grew since fstat: keep reading, still bounded. */
			if (cap > max) {
				snprintf(err, errlen, "%s: file too large (at most %zu bytes)", path, max);
				goto fail;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			data = xrealloc(data, cap + 1);
		}
		r = read(fd, data + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > max) {
		snprintf(err, errlen, "%s: file too large (at most %zu bytes)", path, max);
		goto fail;
	}
	close(fd);
	data[len] = '\0';
	*out = data;
	*outn = len;
	return 0;
fail:
	close(fd);
	free(data);
	return -1;
}

int text_to_utf8(const char *in, size_t n, char **out, size_t *outn,
                 const char **charset_detected)
{
	iconv_t cd;
	char *buf, *ip, *op;
	size_t inleft, outleft, cap;

	*out = NULL;
	*outn = 0;
	if (memchr(in, '\0', n)) {
		*charset_detected = "contains NUL bytes (UTF-16?); save as UTF-8 or GB18030 text";
		return -1;
	}
	if (utf8_valid(in, n)) {
		*out = xstrndup(in, n);
		*outn = n;
		*charset_detected = "UTF-8";
		return 0;
	}
	if (n > SIZE_MAX / 4) {
		*charset_detected = "text too large";
		return -1;
	}
	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		*charset_detected = "GB18030 conversion is not available (glibc gconv modules missing?)";
		return -1;
	}
	/* A GB18030 character of 1, 2 or 4 bytes becomes at most 1, 3 or 4
	 * bytes of UTF-8, so 3n/2 always fits; E2BIG is handled anyway. */
	cap = n + n / 2 + 8;
	buf = xmalloc(cap + 1);
	ip = (char *)in;            /* iconv's prototype is not const-correct */
	inleft = n;
	op = buf;
	outleft = cap;
	while (inleft > 0) {
		if (iconv(cd, &ip, &inleft, &op, &outleft) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(op - buf);
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
			op = buf + used;
			outleft = cap - used;
			continue;
		}
		/* EILSEQ (invalid sequence) or EINVAL (truncated at the end). */
		iconv_close(cd);
		free(buf);
		*charset_detected = "neither valid UTF-8 nor valid GB18030";
		return -1;
	}
	if (iconv(cd, NULL, NULL, &op, &outleft) == (size_t)-1) {
		iconv_close(cd);
		free(buf);
		*charset_detected = "neither valid UTF-8 nor valid GB18030";
		return -1;
	}
	iconv_close(cd);
	*op = '\0';
	*outn = (size_t)(op - buf);
	/* Defensive: the converter's output must itself be clean UTF-8. */
	if (!utf8_valid(buf, *outn) || memchr(buf, '\0', *outn)) {
		free(buf);
		*outn = 0;
		*charset_detected = "GB18030 conversion produced invalid UTF-8";
		return -1;
	}
	*out = buf;
	*charset_detected = "GB18030";
	return 0;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

int csv_is_number(const char *s)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == 0;
}

void csv_put_cell(struct buf *b, const char *s, enum csv_quote q)
{
	int formula;

	if (!s)
		s = "";
	formula = (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r') &&
	          !csv_is_number(s);
	if (q == CSV_QUOTE_MINIMAL && !formula && !strpbrk(s, ",\"\r\n")) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

void csv_put_row(struct buf *b, const char *const *cells, size_t n, enum csv_quote q)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		csv_put_cell(b, cells[i], q);
	}
	buf_puts(b, "\r\n");
}

int csv_to_gb18030(const struct buf *in, struct buf *out)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	char *ip, *op;
	size_t il, ol, cap;

	if (cd == (iconv_t)-1) {
		/* glibc always has GB18030: a failure here is a broken system. */
		return -1;
	}
	/* GB18030 needs at most 4 bytes per code point, UTF-8 at least 1. */
	cap = in->len * 2 + 16;
	buf_reset(out);
	out->data = xrealloc(out->data, cap);
	out->cap = cap;
	ip = in->data ? in->data : (char *)"";
	il = in->len;
	op = out->data;
	ol = cap - 1;
	while (il > 0) {
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
			if (errno == E2BIG) {
				size_t used = (size_t)(op - out->data);
				cap *= 2;
				out->data = xrealloc(out->data, cap);
				out->cap = cap;
				op = out->data + used;
				ol = cap - used - 1;
				continue;
			}
			iconv_close(cd);
			return -1;
		}
	}
	out->len = (size_t)(op - out->data);
	out->data[out->len] = 0;
	iconv_close(cd);
	return 0;
}
