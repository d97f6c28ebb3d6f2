/*
 * symcode.c - codes of the 32-symbol alphabet: generation, grouping,
 * normalisation of what people type. See symcode.h.
 */
#include "symcode.h"
#include "log.h"
#include "util.h"

#include <string.h>

int (*codes_random)(void *p, size_t n) = random_bytes;

void code_from_bytes(const unsigned char raw[CODE_RAW_BYTES], char out[CODE_LEN + 1])
{
	/* 80 bits, read 5 at a time from the most significant end. */
	unsigned acc = 0, bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < CODE_RAW_BYTES; i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = CODE_ALPHABET[(acc >> bits) & 31u];
		}
		acc &= (1u << bits) - 1;
	}
	out[o] = '\0';
}

int code_generate(char out[CODE_LEN + 1])
{
	unsigned char raw[CODE_RAW_BYTES];
	if (codes_random(raw, sizeof raw) < 0) {
		log_err("random source failed: no invitation code generated");
		return -1;
	}
	code_from_bytes(raw, out);
	explicit_bzero(raw, sizeof raw);
	return 0;
}

void code_group(const char code[CODE_LEN + 1], char out[CODE_GROUPED + 1])
{
	size_t o = 0;
	for (size_t i = 0; i < CODE_LEN; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = code[i];
	}
	out[o] = '\0';
}

/* Decodes one UTF-8 sequence; returns its length, or 0 when invalid. */
static size_t utf8_cp(const unsigned char *s, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	if (n == 0)
		return 0;
	unsigned v = s[0] & (0x7Fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3Fu);
	}
	*cp = v;
	return n;
}

/* Spaces and dashes people type or paste between the groups. */
static int is_separator(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == '-' || cp == '_' ||
	       cp == 0xA0 || cp == 0x3000 ||                    /* no-break, ideographic space */
	       (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || /* hyphens, dashes, minus */
	       cp == 0xFE58 || cp == 0xFE63 || cp == 0x30FC;     /* small dashes, katakana bar */
}

int code_normalise(const char *in, char out[CODE_LEN + 1])
{
	size_t n = 0;
	out[0] = '\0';
	if (in == NULL || strlen(in) > 256)
		return -1;
	const unsigned char *s = (const unsigned char *)in;
	while (*s) {
		unsigned cp;
		size_t k = utf8_cp(s, &cp);
		if (k == 0)
			return -1;
		s += k;
		if (cp >= 0xFF01 && cp <= 0xFF5E)      /* full-width ASCII */
			cp -= 0xFEE0;
		if (is_separator(cp))
			continue;
		if (cp >= 'a' && cp <= 'z')
			cp -= 'a' - 'A';
		if (cp > 0x7F || cp == 0 || strchr(CODE_ALPHABET, (int)cp) == NULL || n == CODE_LEN)
			return -1;
		out[n++] = (char)cp;
	}
	out[n] = '\0';
	return n == CODE_LEN ? 0 : -1;
}
