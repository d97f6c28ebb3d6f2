/*
 * util.h - small helpers shared by every program: a growable byte buffer,
 * secure random bytes, hex, SHA-256 and constant-time comparison.
 */
#ifndef SME_UTIL_H
#define SME_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Number of elements of an array (not a pointer). */
#define NELEMS(a) (sizeof (a) / sizeof (a)[0])

/* Growable, always NUL-terminated byte buffer. Zero-initialise before use. */
struct buf {
	char   *data;
	size_t  len;
	size_t  cap;
};

void  buf_init(struct buf *b);
void  buf_free(struct buf *b);
void  buf_reset(struct buf *b);               /* len = 0, keeps memory */
void  buf_put(struct buf *b, const void *p, size_t n);
void  buf_puts(struct buf *b, const char *s);
void  buf_putc(struct buf *b, char c);
void  buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *buf_steal(struct buf *b);               /* returns data (caller frees), resets b */
/* Appends s (UTF-8) as a JSON string, quotes included: " and \ escaped,
 * control characters as \u00XX, everything else as it is. */
void  buf_json_str(struct buf *b, const char *s);

/* Aborts the process on allocation failure: a worker that cannot allocate
 * a few KiB is better restarted by the process manager than limping on. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Formats a message into a caller's error buffer (err may be NULL). */
void  seterr(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fill p with n bytes from getrandom(2). Returns 0, or -1 on failure. */
int   random_bytes(void *p, size_t n);
/* Hex-encode n bytes into out (2n+1 bytes). */
void  hex_encode(const unsigned char *p, size_t n, char *out);
/* Decode exactly 2n hex chars into n bytes. Returns 0 or -1. */
int   hex_decode(const char *hex, unsigned char *out, size_t n);
void  sha256(const void *p, size_t n, unsigned char out[32]);
/* Constant-time equality of two equal-length byte strings. */
int   ct_equal(const void *a, const void *b, size_t n);

/* UTF-8 validity check (rejects overlongs and surrogates). */
int   utf8_valid(const char *s, size_t n);
/* Number of code points of a valid UTF-8 string. */
size_t utf8_len(const char *s);
/* The length of s cut to at most max bytes without splitting a UTF-8
 * character: the one truncation of user text (cells, labels, log details). */
size_t utf8_prefix(const char *s, size_t max);

#endif
