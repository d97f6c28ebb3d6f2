/*
 * valid.c - contact-detail rules (valid.h).
 */
#include "valid.h"
#include "util.h"

#include <string.h>

#define ZHUAN "\xE8\xBD\xAC"   /* 转 (extension), UTF-8 */

enum phone_check phone_check(const char *s)
{
	size_t chars = 0, digits = 0;

	if (!s)
		return PHONE_BAD_LENGTH;
	while (*s) {
		if (*s >= '0' && *s <= '9') {
			digits++;
			s++;
		} else if (strchr("+-()/, ", *s)) {
			s++;
		} else if (!strncmp(s, ZHUAN, 3)) {
			s += 3;
		} else {
			return PHONE_BAD_CHAR;
		}
		chars++;
	}
	return chars >= 7 && chars <= 30 && digits >= 7 ? PHONE_OK : PHONE_BAD_LENGTH;
}

int phone_valid(const char *s)
{
	return phone_check(s) == PHONE_OK;
}

int email_valid(const char *s)
{
	const char *at, *dom;
	size_t n;

	if (!s || (n = strlen(s)) > 254 || !utf8_valid(s, n))
		return 0;
	at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("<>\"'", *p))
			return 0;
	dom = at + 1;
	n = strlen(dom);
	return n >= 3 && strchr(dom, '.') && dom[0] != '.' && dom[n - 1] != '.' &&
	       dom[0] != '-' && !strstr(dom, "..");
}

int postcode_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return 0;
	return n == 6;
}

char *upload_filename(const char *name, const char *fallback)
{
	const char *base = name;
	struct buf b;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	buf_init(&b);
	for (const unsigned char *p = (const unsigned char *)base; *p; p++)
		if (*p >= 0x20 && *p != 0x7f)
			buf_putc(&b, (char)*p);
	if (b.len > 200) {
		b.len = utf8_prefix(b.data, 200);
		b.data[b.len] = 0;
	}
	if (!b.len || !utf8_valid(b.data, b.len)) {
		buf_reset(&b);
		buf_puts(&b, fallback);
	}
	return buf_steal(&b);
}
