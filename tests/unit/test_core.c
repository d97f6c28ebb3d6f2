/*
 * test_core.c - unit tests of the shared core: form decoding, multipart,
 * cookies, HTML escaping, h_printf, UTF-8, hex, password hashing and policy.
 */
#include "auth.h"
#include "html.h"
#include "http.h"
#include "conf.h"
#include "paradata.h"
#include "util.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crypt.h>
#include <sodium.h>

static void test_urlencoded(void)
{
	struct param *ps = NULL;
	size_t n = 0;
	const char *q = "a=1&b=%E4%B8%AD+%E6%96%87&c=&d&a=2&e=%zz%4";
	ok(parse_urlencoded(q, strlen(q), &ps, &n, 100) == 0, "urlencoded parses");
	is_int(n, 6, "six fields");
	is_str(ps[0].name, "a", "first name");
	is_str(ps[1].value, "中 文", "percent and plus decoded");
	is_str(ps[2].value, "", "empty value");
	is_str(ps[3].name, "d", "name without '='");
	is_str(ps[4].value, "2", "repeated name kept in order");
	is_str(ps[5].value, "%zz%4", "stray percent kept literally");
	params_free(ps, n);

	ps = NULL, n = 0;
	ok(parse_urlencoded("a=1&b=2&c=3", 11, &ps, &n, 2) < 0, "field count is bounded");
	params_free(ps, n);

	ps = NULL, n = 0;
	ok(parse_urlencoded("a=%FF%FE", 8, &ps, &n, 10) < 0, "invalid UTF-8 rejected");
	is_str(ps[0].value, "", "invalid UTF-8 value blanked");
	params_free(ps, n);
}

static void test_multipart(void)
{
	const char *ct = "multipart/form-data; boundary=XyZ";
	const char body[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"q1_name\"\r\n\r\n测试公司\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"report_file\"; filename=\"r.pdf\"\r\n"
		"Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n\0bin\r\n"
		"--XyZ--\r\n";
	struct param *ps = NULL;
	size_t n = 0;
	ok(parse_multipart(body, sizeof body - 1, ct, &ps, &n, 10, 1000) == BODY_OK, "multipart parses");
	is_int(n, 2, "two parts");
	is_str(ps[0].name, "q1_name", "text part name");
	is_str(ps[0].value, "测试公司", "text part value");
	ok(ps[0].filename == NULL, "text part has no filename");
	is_str(ps[1].filename, "r.pdf", "file name");
	is_str(ps[1].ctype, "application/pdf", "part content type");
	is_int(ps[1].len, 14, "binary length kept (CRLF and NUL inside)");
	ok(memcmp(ps[1].value, "%PDF-1.4\r\n\0bin", 14) == 0, "binary content kept");
	params_free(ps, n);

	ps = NULL, n = 0;
	/* Issue 9: a file over the cap is skipped, not the request refused. */
	ok(parse_multipart(body, sizeof body - 1, ct, &ps, &n, 10, 10) == BODY_OK,
	   "file over the cap: the request still parses");
	is_int(n, 2, "both parts kept");
	is_str(ps[0].value, "测试公司", "the other field is read");
	ok(ps[1].too_large && ps[1].len == 0 && !strcmp(ps[1].filename, "r.pdf"),
	   "the oversized file part is marked too_large, its bytes skipped");
	ok(!ps[0].too_large, "a text part is never too_large");
	params_free(ps, n);

	const char *bad[] = {
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end",
		"garbage without boundary",
		"--XyZ\r\nno header end",
		"--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ps = NULL, n = 0;
		ok(parse_multipart(bad[i], strlen(bad[i]), ct, &ps, &n, 10, 1000) == BODY_MALFORMED,
		   "malformed multipart rejected");
		params_free(ps, n);
	}
	ps = NULL, n = 0;
	ok(parse_multipart(body, sizeof body - 1, "multipart/form-data", &ps, &n, 10, 1000) == BODY_MALFORMED,
	   "missing boundary rejected");
	params_free(ps, n);
	ps = NULL, n = 0;
	ok(parse_multipart(body, sizeof body - 1, "multipart/form-data; boundary=\"XyZ\"", &ps, &n, 10, 1000) == BODY_OK,
	   "quoted boundary accepted");
	params_free(ps, n);
}

static void test_cookies(void)
{
	struct param *ps = NULL;
	size_t n = 0;
	parse_cookies("sid=abc; pcsrf=def;x=1", &ps, &n);
	is_int(n, 3, "three cookies");
	is_str(ps[0].value, "abc", "first cookie");
	is_str(ps[1].name, "pcsrf", "second cookie name");
	is_str(ps[2].value, "1", "cookie without space");
	params_free(ps, n);
}

static void test_escaping(void)
{
	struct buf b = { 0 };
	html_escape(&b, "<a href=\"x\">'&'</a>", 19);
	is_str(b.data, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;", "html_escape");
	buf_reset(&b);
	/* A posted NUL kept as C0 80 (forms/form.h FORM_NUL_MARK) shows as U+FFFD;
	 * a lone C0 and the last byte stay as they are. */
	html_escape(&b, "a\xC0\x80" "b\xC0" "x\xC0", 7);
	is_str(b.data, "a\xEF\xBF\xBD" "b\xC0" "x\xC0", "html_escape: C0 80 as U+FFFD");
	buf_reset(&b);
	url_encode(&b, "/form/sme?a=b c&中");
	is_str(b.data, "%2Fform%2Fsme%3Fa%3Db%20c%26%E4%B8%AD", "url_encode");
	buf_reset(&b);
	buf_json_str(&b, "中\"a\\b\n\x01z");
	is_str(b.data, "\"中\\\"a\\\\b\\u000a\\u0001z\"", "buf_json_str escapes quote, backslash, controls");
	buf_reset(&b);
	buf_json_str(&b, "");
	is_str(b.data, "\"\"", "buf_json_str of an empty string");
	buf_free(&b);

	struct req r;
	memset(&r, 0, sizeof r);
	h_printf(&r, "<p title=\"%s\">%d %u %lld %zu %s%%</p>", "\"><script>", -5, 7u, 1LL << 40,
	         (size_t)3, (const char *)NULL);
	is_str(r.body.data, "<p title=\"&quot;&gt;&lt;script&gt;\">-5 7 1099511627776 3 %</p>",
	       "h_printf escapes %s and formats numbers");
	buf_free(&r.body);
	memset(&r, 0, sizeof r);
	h_printf(&r, "<rect width=\"%.1f\" x=\"%.2f\" y=\"%d\"/>", 12.345, 0.5, 3);
	is_str(r.body.data, "<rect width=\"12.3\" x=\"0.50\" y=\"3\"/>", "h_printf %.Nf (chart coordinates)");
	buf_free(&r.body);
}

static void test_misc(void)
{
	ok(utf8_valid("中文abc", strlen("中文abc")), "valid UTF-8");
	ok(!utf8_valid("\xC0\xAF", 2), "overlong rejected");
	ok(!utf8_valid("\xED\xA0\x80", 3), "surrogate rejected");
	ok(!utf8_valid("\xE4\xB8", 2), "truncated rejected");
	is_int(utf8_len("中文ab"), 4, "utf8_len counts code points");

	unsigned char raw[4] = { 0xde, 0xad, 0xbe, 0xef }, back[4];
	char hex[9];
	hex_encode(raw, 4, hex);
	is_str(hex, "deadbeef", "hex_encode");
	ok(hex_decode(hex, back, 4) == 0 && memcmp(raw, back, 4) == 0, "hex round trip");
	ok(hex_decode("zz00aabb", back, 4) < 0, "bad hex rejected");

	unsigned char h[32];
	char hh[65];
	sha256("abc", 3, h);
	hex_encode(h, 32, hh);
	is_str(hh, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256");

	char key[52];
	client_key("192.0.2.7", key);
	is_str(key, "192.0.2.7", "IPv4 address is its own throttling key");
	client_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd", key);
	is_str(key, "2001:db8:1:2::/64", "IPv6 address counts under its /64");
	client_key("2001:db8:1:2::9", key);
	is_str(key, "2001:db8:1:2::/64", "another address of the same /64 shares the key");
	client_key("::ffff:192.0.2.7", key);
	is_str(key, "::ffff:192.0.2.7", "IPv4-mapped address kept whole");
	client_key("not-an-address", key);
	is_str(key, "not-an-address", "anything else kept as is");

	const char *rest;
	ok(path_match("/form/sme/print", "/form/sme", &rest) && strcmp(rest, "/print") == 0, "path_match prefix");
	ok(!path_match("/form/smex", "/form/sme", NULL), "path_match needs a boundary");
}

/* Browsers strip tab/CR/LF from URLs and read '\\' as '/': a Location of
 * "/\t/evil.example" would be "//evil.example", another site. */
static void test_redirects(void)
{
	static const struct { const char *path, *want; } cases[] = {
		{ "/region/progress", "/region/progress" },
		{ "/region/frames#pending-sme", "/region/frames#pending-sme" },
		{ "//evil.example/", "/" },
		{ "/\\evil.example/", "/" },
		{ "/\t/evil.example/", "/" },
		{ "/\n/evil.example/", "/" },
		{ "/\r\n/evil.example/", "/" },
		{ "/x\\..\\", "/" },
		{ "https://evil.example/", "/" },
		{ "", "/" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct req r;
		char want[128];
		memset(&r, 0, sizeof r);
		resp_redirect(&r, cases[i].path);
		snprintf(want, sizeof want, "Location: %s\r\n", cases[i].want);
		is_str(r.headers.data, want, "resp_redirect keeps only same-site paths");
		buf_free(&r.headers);
	}
	ok(local_path_ok("/a/b?c=d"), "local_path_ok: a plain path");
	ok(!local_path_ok("/\t/evil.example"), "local_path_ok: a tab is refused");
	ok(!local_path_ok(NULL), "local_path_ok: NULL");
}

static void test_passwords(void)
{
	char h[PW_HASH_MAX];
	int rehash;
	ok(password_hash("correct horse battery", h) == 0, "argon2id hash made");
	ok(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0, "argon2id parameters m=19MiB t=2 p=1");
	ok(password_verify("correct horse battery", h, &rehash) == 1 && rehash == 0, "argon2id verifies");
	ok(password_verify("wrong horse battery", h, &rehash) == 0, "wrong password fails");

	/* Legacy hashes as the old reporting system stored them. */
	struct crypt_data cd;
	const char *salts[] = { "$1$abcdefgh$", "$5$saltsalt$", "$6$saltsalt$", "$2b$05$abcdefghijklmnopqrstuu" };
	for (size_t i = 0; i < sizeof salts / sizeof salts[0]; i++) {
		memset(&cd, 0, sizeof cd);
		const char *legacy = crypt_r("legacy-password-1", salts[i], &cd);
		char copy[256];
		snprintf(copy, sizeof copy, "%s", legacy ? legacy : "*");
		ok(password_verify("legacy-password-1", copy, &rehash) == 1 && rehash == 1,
		   "legacy crypt verifies and asks for rehash");
		ok(password_verify("legacy-password-2", copy, &rehash) == 0, "legacy crypt rejects wrong password");
	}
	ok(password_verify("x", "plaintext", &rehash) == 0, "unknown hash format never verifies");
	ok(password_verify("", "", &rehash) == 0, "empty hash never verifies");

	ok(password_policy("short") != NULL, "short password refused");
	ok(password_policy("十二个汉字的密码也可以用吗") == NULL, "12 CJK characters accepted");
	char longpw[200];
	memset(longpw, 'a', 129);
	longpw[129] = '\0';
	ok(password_policy(longpw) != NULL, "129 characters refused");
	longpw[128] = '\0';
	ok(password_policy(longpw) == NULL, "128 characters accepted");

	is_int(role_parse("window"), ROLE_WINDOW, "role_parse");
	is_int(role_parse("root"), ROLE_NONE, "unknown role");
	is_str(role_home(ROLE_SME), "/form/sme", "role home");
}

/* Paradata (issue 20): networks are /24 or /48, keyed, never the address. */
static void test_paradata(void)
{
	struct conf c = { 0 };
	char a[PD_ID_LEN], b[PD_ID_LEN], k[PD_ID_LEN], ua[17];
	c.paradata_secret = "0123456789abcdef0123456789abcdef";
	pd_net_hash(&c, "10.1.2.3", a);
	pd_net_hash(&c, "10.1.2.250", b);
	ok(strlen(a) == 16 && strspn(a, "0123456789abcdef") == 16, "a network is 16 hex digits");
	is_str(a, b, "the same /24 is the same network");
	pd_net_hash(&c, "10.1.3.3", b);
	ok(strcmp(a, b) != 0, "another /24 is another network");
	pd_net_hash(&c, "::ffff:10.1.2.9", b);
	is_str(b, a, "an IPv4-mapped address counts as its IPv4 /24");
	pd_net_hash(&c, "2001:db8:1:ffff::1", a);
	pd_net_hash(&c, "2001:db8:1:2::99", b);
	is_str(a, b, "the same IPv6 /48 is the same network");
	pd_net_hash(&c, "2001:db8:2::1", b);
	ok(strcmp(a, b) != 0, "another /48 is another network");
	pd_net_hash(&c, "10.1.2.3", a);
	c.paradata_secret = "another-secret-another-secret-0000";
	pd_net_hash(&c, "10.1.2.3", k);
	ok(strcmp(a, k) != 0, "the hash depends on the key");
	c.paradata_secret = NULL;
	pd_net_hash(&c, "10.1.2.3", k);
	is_str(k, "", "no key: nothing recorded");
	pd_net_hash(&c, "garbage", k);
	is_str(k, "", "a malformed address: nothing");
	is_str(pd_ua_family("Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
	                    " MicroMessenger/8.0", ua), "wechat-m", "WeChat on a phone");
	is_str(pd_ua_family("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0", ua),
	       "edge", "Edge names Chrome too");
	is_str(pd_ua_family("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15", ua),
	       "safari", "Safari");
	is_str(pd_ua_family("", ua), "other", "no User-Agent");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_urlencoded();
	test_multipart();
	test_cookies();
	test_escaping();
	test_misc();
	test_redirects();
	test_passwords();
	test_paradata();
	return done_testing();
}
