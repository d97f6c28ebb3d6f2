/*
 * test_codes.c - invitation codes: format, alphabet, encoding, normalisation
 * (case, dashes, spaces, full-width), use of the entropy source, hashing;
 * and that slips render (PDF pages, PNG) without the database.
 */
#include "codes.h"
#include "slips.h"
#include "util.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

#include <cairo.h>

static size_t random_calls, random_bytes_asked;

static int counting_random(void *p, size_t n)
{
	random_calls++;
	random_bytes_asked += n;
	return random_bytes(p, n);
}

static int failing_random(void *p, size_t n)
{
	(void)p;
	(void)n;
	return -1;
}

static void test_alphabet(void)
{
	const char *a = CODE_ALPHABET;
	is_int((long long)strlen(a), 32, "alphabet has 32 symbols (5 bits each)");
	ok(strpbrk(a, "0O1I") == NULL, "alphabet has no 0, O, 1 or I");
	int dup = 0;
	for (size_t i = 0; i < 32; i++)
		if (strchr(a + i + 1, a[i]))
			dup = 1;
	ok(!dup, "alphabet symbols are distinct");
	is_int(CODE_LEN * 5, 80, "16 symbols carry 80 bits");
}

static void test_encoding(void)
{
	unsigned char raw[CODE_RAW_BYTES];
	char c[CODE_LEN + 1], g[CODE_GROUPED + 1];

	memset(raw, 0, sizeof raw);
	code_from_bytes(raw, c);
	is_str(c, "2222222222222222", "all-zero bytes give the first symbol everywhere");
	memset(raw, 0xFF, sizeof raw);
	code_from_bytes(raw, c);
	is_str(c, "ZZZZZZZZZZZZZZZZ", "all-one bytes give the last symbol everywhere");
	/* 0x08 0x86 0x42 ...: 00001 00010 00011 00100 00101 ... */
	static const unsigned char seq[CODE_RAW_BYTES] = { 0x08, 0x86, 0x42, 0x98, 0xE8,
	                                                   0x4A, 0x96, 0xC6, 0xB9, 0xF0 };
	code_from_bytes(seq, c);
	is_str(c, "3456789ABCDEFGHJ", "bits are read 5 at a time, most significant first");
	code_group(c, g);
	is_str(g, "3456-789A-BCDE-FGHJ", "grouped as XXXX-XXXX-XXXX-XXXX");
}

static void test_generate(void)
{
	char c[CODE_LEN + 1];
	size_t freq[32] = { 0 };
	int all_valid = 1, distinct = 1;
	enum { N = 2000 };
	char (*seen)[CODE_LEN + 1] = xcalloc(N, sizeof *seen);

	random_calls = random_bytes_asked = 0;
	codes_random = counting_random;
	for (size_t i = 0; i < N; i++) {
		if (code_generate(c) < 0) {
			all_valid = 0;
			break;
		}
		if (strlen(c) != CODE_LEN || strspn(c, CODE_ALPHABET) != CODE_LEN)
			all_valid = 0;
		for (size_t k = 0; k < CODE_LEN; k++)
			freq[strchr(CODE_ALPHABET, c[k]) - CODE_ALPHABET]++;
		memcpy(seen[i], c, sizeof c);
	}
	codes_random = random_bytes;
	ok(all_valid, "2000 generated codes: 16 symbols of the alphabet each");
	is_int((long long)random_calls, N, "one call to the entropy source per code");
	is_int((long long)random_bytes_asked, N * CODE_RAW_BYTES, "10 random bytes (80 bits) per code");
	for (size_t i = 0; i < N && distinct; i++)
		for (size_t j = i + 1; j < N; j++)
			if (memcmp(seen[i], seen[j], CODE_LEN) == 0) {
				distinct = 0;
				break;
			}
	ok(distinct, "2000 codes are all distinct");
	/* 32000 symbols, 1000 expected per symbol; 6 sigma is about 190. */
	size_t lo = freq[0], hi = freq[0];
	for (size_t k = 1; k < 32; k++) {
		if (freq[k] < lo)
			lo = freq[k];
		if (freq[k] > hi)
			hi = freq[k];
	}
	ok(lo > 800 && hi < 1200, "every symbol about equally frequent");
	free(seen);

	codes_random = failing_random;
	ok(code_generate(c) < 0, "no code when the entropy source fails");
	codes_random = random_bytes;
}

static void test_normalise(void)
{
	char n[CODE_LEN + 1];
	ok(code_normalise("ABCD-EFGH-JKLM-NPQR", n) == 0, "grouped code accepted");
	is_str(n, "ABCDEFGHJKLMNPQR", "dashes removed");
	ok(code_normalise("abcd efgh jklm npqr", n) == 0 && strcmp(n, "ABCDEFGHJKLMNPQR") == 0,
	   "lower case and spaces");
	ok(code_normalise(" abcdefghjklmnpqr\n", n) == 0 && strcmp(n, "ABCDEFGHJKLMNPQR") == 0,
	   "surrounding white space");
	/* Full-width letters, full-width hyphen-minus, ideographic space, em dash. */
	ok(code_normalise("ＡＢＣＤ－ｅｆｇｈ\u3000ＪＫＬＭ\u2014ｎｐｑｒ", n) == 0 &&
	   strcmp(n, "ABCDEFGHJKLMNPQR") == 0, "full-width letters, dashes and spaces folded");
	ok(code_normalise("２３４５６７８９ＡＢＣＤＥＦＧＨ", n) == 0 && strcmp(n, "23456789ABCDEFGH") == 0,
	   "full-width digits folded");
	ok(code_normalise("ABCD-EFGH-JKLM-NPQ", n) < 0, "15 symbols refused");
	ok(code_normalise("ABCD-EFGH-JKLM-NPQRS", n) < 0, "17 symbols refused");
	ok(code_normalise("ABCD-EFGH-JKLM-NPQ0", n) < 0, "0 is not in the alphabet");
	ok(code_normalise("ABCD-EFGH-JKLM-NPQO", n) < 0, "O is not in the alphabet");
	ok(code_normalise("ABCD-EFGH-JKLM-NPQ1", n) < 0, "1 is not in the alphabet");
	ok(code_normalise("ABCD-EFGH-JKLM-NPQI", n) < 0, "I is not in the alphabet");
	ok(code_normalise("ABCD-EFGH-JKLM-NPQ中", n) < 0, "Chinese characters refused");
	ok(code_normalise("ABCD-EFGH-JKLM-NPQ\xff", n) < 0, "invalid UTF-8 refused");
	ok(code_normalise("", n) < 0 && code_normalise(NULL, n) < 0, "empty and NULL refused");
	char big[400];
	memset(big, '-', sizeof big - 17);
	strcpy(big + sizeof big - 17, "ABCDEFGHJKLMNPQR");
	ok(code_normalise(big, n) < 0, "over-long input refused before parsing");

	char c[CODE_LEN + 1], g[CODE_GROUPED + 1];
	code_generate(c);
	code_group(c, g);
	ok(code_normalise(g, n) == 0 && strcmp(n, c) == 0, "a grouped generated code round-trips");
}

/* The derived codes (issue 10); vectors from an independent HMAC-SHA256
 * (Perl Digest::SHA) of "smesurvey-code/1:<unit>:<issue>". */
static void test_derive(void)
{
	const char *secret = "0123456789abcdef0123456789abcdef";
	char a[CODE_LEN + 1], b[CODE_LEN + 1];
	code_derive(secret, 42, 0, a);
	is_str(a, "RPTLYG7NGL5RDDPQ", "unit 42, issue 0: the code of the reference HMAC");
	code_derive(secret, 42, 0, b);
	is_str(b, a, "deriving again gives the same code (a reprint)");
	code_derive(secret, 42, 1, b);
	is_str(b, "L9YERS9KHQAZ5NTF", "the next issue number gives another code (a revocation)");
	code_derive(secret, 43, 0, b);
	ok(strcmp(a, b) != 0, "another unit has another code");
	code_derive("0123456789abcdef0123456789abcdeF", 42, 0, b);
	ok(strcmp(a, b) != 0, "another secret gives another code");
	ok(strspn(a, CODE_ALPHABET) == CODE_LEN, "a derived code uses the alphabet");
}

static void test_hash(void)
{
	unsigned char h1[32], h2[32], h3[32], ref[32];
	char n[CODE_LEN + 1], hex[65];
	code_normalise("abcd-efgh-jklm-npqr", n);
	code_hash(n, h1);
	code_normalise("ＡＢＣＤ ＥＦＧＨ ＪＫＬＭ ＮＰＱＲ", n);
	code_hash(n, h2);
	ok(memcmp(h1, h2, 32) == 0, "every spelling of a code has the same lookup hash");
	sha256("ABCDEFGHJKLMNPQR", 16, ref);
	ok(memcmp(h1, ref, 32) == 0, "lookup hash is SHA-256 of the normalised code");
	hex_encode(h1, 32, hex);
	is_str(hex, "7cf629bb82226bfb6356859edb341b8f36a74d8997c4fe385dbef6dc85c5c4bb",
	       "stable lookup hash (independent SHA-256)");
	code_normalise("ABCD-EFGH-JKLM-NPQS", n);
	code_hash(n, h3);
	ok(memcmp(h1, h3, 32) != 0, "a different code has a different hash");
}

/* LeakSanitizer noise that is not ours (unused without ASan): fontconfig
 * keeps its configuration until exit, and cairo 1.16 loses 768 bytes per
 * CFF (CJK) font subset embedded in a PDF - reproduced with a 10-line
 * program using cairo alone. Allocations of this code stay checked. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\nleak:libcairo.so\n";
}

static size_t count(const char *hay, size_t n, const char *needle)
{
	size_t c = 0, k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			c++;
	return c;
}

static void test_render(void)
{
	struct issued u[9];
	struct slip_info si = { "测试省", "010-12345678", "http://127.0.0.1:8080",
	                        "2013-11-25 23:59:59", "2013-11-25 23:59:59" };
	memset(u, 0, sizeof u);
	for (size_t i = 0; i < 9; i++) {
		u[i].name = i == 3 ? "一个名称非常非常长的服务资源单位，长到两行都放不下，需要缩小字号或者截断显示的有限责任公司"
		                   : "测试企业有限公司";
		u[i].form = i % 2 ? "resource" : "sme";
		u[i].stratum = i % 2 ? "window" : "sme";
		code_generate(u[i].code);
	}
	struct buf b = { 0 };
	char *mem = NULL;
	size_t memlen = 0;
	FILE *f = open_memstream(&mem, &memlen);
	ok(slips_pdf(f, &si, u, 9) == 0, "9 slips render as PDF");
	fclose(f);
	buf_put(&b, mem, memlen);
	free(mem);
	ok(b.len > 1000 && memcmp(b.data, "%PDF-", 5) == 0, "output is a PDF");
	is_int((long long)count(b.data, b.len, "/Type /Page\n") + (long long)count(b.data, b.len, "/Type /Page "),
	       2, "8 slips per page: 2 pages");
	/* Issue 13: a QR is a 1-bit stencil per slip, printed unsmoothed; the
	 * ink every slip of a form shares (header, invitation text) and the cut
	 * marks are written once each, as Form XObjects. */
	is_int((long long)count(b.data, b.len, "/ImageMask true"), 9, "one QR image mask per slip");
	is_int((long long)count(b.data, b.len, "/Interpolate false"), 9, "... none smoothed");
	is_int((long long)count(b.data, b.len, "/Subtype /Form"), 5,
	       "header and text once per form, cut marks once: 5 Form XObjects");
	buf_free(&b);
	f = open_memstream(&mem, &memlen);
	ok(slips_pdf(f, &si, u, 0) == 0, "no slips render");
	fclose(f);
	ok(memlen > 5 && memcmp(mem, "%PDF-", 5) == 0, "no slips: still a valid PDF");
	free(mem);
	buf_free(&b);
	f = open_memstream(&mem, &memlen);
	ok(slips_pdf(f, &si, &u[3], 1) == 0, "one slip renders as PDF");
	fclose(f);
	buf_put(&b, mem, memlen);
	free(mem);
	is_int((long long)count(b.data, b.len, "/Type /Page\n") + (long long)count(b.data, b.len, "/Type /Page "),
	       1, "one slip: one page");
	buf_free(&b);
}

int main(void)
{
	test_alphabet();
	test_encoding();
	test_generate();
	test_normalise();
	test_hash();
	test_derive();
	test_render();
	/* cairo keeps font caches for the life of the process; drop them so
	 * that LeakSanitizer reports only real leaks. */
	cairo_debug_reset_static_data();
	return done_testing();
}
