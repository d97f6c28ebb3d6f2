/*
 * paradata.c - see paradata.h.
 */
#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "conf.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "paradata.h"
#include "util.h"

#define DEVICE_MAX_AGE (400L * 24 * 3600)   /* the longest a browser keeps a cookie */

/* The HMAC key: HMAC(paradata_secret, label), or HMAC(code_secret, label)
 * when there is no paradata_secret. 0 when there is neither. */
static int pd_key(const char *s, unsigned char key[32])
{
	static const char label[] = "smesurvey-paradata/1";
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)s, strlen(s));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)label, sizeof label - 1);
	crypto_auth_hmacsha256_final(&st, key);
	return 1;
}

/* The HMAC state keyed for c's secret, into *out; 0 when there is no
 * secret. Every save hashes its network (and browser) with it: the state
 * is derived once per worker and secret, not twice per hash (four
 * SHA-256 compressions less, ~15,000 instructions of a save's ~350,000). */
static int pd_keyed(const struct conf *c, crypto_auth_hmacsha256_state *out)
{
	static char secret[256];
	static crypto_auth_hmacsha256_state keyed;
	const char *s = NULL;
	if (c && c->paradata_secret && *c->paradata_secret)
		s = c->paradata_secret;
	else if (c && c->code_secret && *c->code_secret)
		s = c->code_secret;
	if (!s)
		return 0;
	if (strlen(s) >= sizeof secret || strcmp(s, secret) != 0) {
		unsigned char key[32];
		pd_key(s, key);
		crypto_auth_hmacsha256_init(&keyed, key, sizeof key);
		sodium_memzero(key, sizeof key);
		snprintf(secret, sizeof secret, "%s", strlen(s) < sizeof secret ? s : "");
	}
	*out = keyed;
	return 1;
}

/* 16 hex digits of HMAC(key, domain || data). */
static void pd_mac(const struct conf *c, const char *domain, const void *data, size_t n,
                   char out[PD_ID_LEN])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	out[0] = '\0';
	if (!pd_keyed(c, &st))
		return;
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)domain, strlen(domain));
	crypto_auth_hmacsha256_update(&st, data, n);
	crypto_auth_hmacsha256_final(&st, mac);
	hex_encode(mac, 8, out);
	sodium_memzero(&st, sizeof st);
}

void pd_net_hash(const struct conf *c, const char *addr, char out[PD_ID_LEN])
{
	unsigned char a[16], prefix[7];
	out[0] = '\0';
	if (inet_pton(AF_INET, addr, a) == 1) {
		prefix[0] = 4;
		memcpy(prefix + 1, a, 3);
		pd_mac(c, "net/1:", prefix, 4, out);
	} else if (inet_pton(AF_INET6, addr, a) == 1) {
		static const unsigned char mapped[12] = { 0,0,0,0,0,0,0,0,0,0,0xff,0xff };
		if (!memcmp(a, mapped, 12)) {
			prefix[0] = 4;
			memcpy(prefix + 1, a + 12, 3);
			pd_mac(c, "net/1:", prefix, 4, out);
			return;
		}
		prefix[0] = 6;
		memcpy(prefix + 1, a, 6);
		pd_mac(c, "net/1:", prefix, 7, out);
	}
}

const char *pd_ua_family(const char *ua, char out[17])
{
	/* First match wins: the embedding browsers name the engine too. */
	static const struct { const char *token, *family; } fam[] = {
		{ "MicroMessenger", "wechat" }, { "QQBrowser", "qq" }, { "UCBrowser", "uc" },
		{ "Edg/", "edge" }, { "OPR/", "opera" }, { "HeadlessChrome", "headless" },
		{ "Chrome/", "chrome" }, { "Chromium/", "chrome" }, { "Firefox/", "firefox" },
		{ "MSIE ", "ie" }, { "Trident/", "ie" }, { "Safari/", "safari" },
		{ "curl/", "tool" }, { "python", "tool" }, { "Wget", "tool" }, { "libwww", "tool" },
	};
	const char *f = "other";
	for (size_t i = 0; ua && i < sizeof fam / sizeof fam[0]; i++)
		if (strstr(ua, fam[i].token)) {
			f = fam[i].family;
			break;
		}
	snprintf(out, 17, "%s%s", f, ua && strstr(ua, "Mobile") ? "-m" : "");
	return out;
}

void pd_of_request(const struct req *r, struct pdreq *pd)
{
	memset(pd, 0, sizeof *pd);
	pd_net_hash(r->conf, r->remote_addr, pd->net);
	if (r->device_cookie[0])
		pd_mac(r->conf, "dev/1:", r->device_cookie, strlen(r->device_cookie), pd->device);
	if (r->user) {
		char hex[65];
		hex_encode(r->user->session_hash, 4, hex);
		memcpy(pd->session, hex, 8);
		pd->session[8] = '\0';
	}
	pd_ua_family(r->user_agent, pd->ua);
}

void pd_device_ensure(struct req *r)
{
	unsigned char raw[16];
	if (r->device_cookie[0] || random_bytes(raw, sizeof raw) < 0)
		return;
	hex_encode(raw, sizeof raw, r->device_cookie);
	resp_cookie(r, DEVICE_COOKIE, r->device_cookie, DEVICE_MAX_AGE);
}

void pd_device_read(struct req *r)
{
	const char *c = req_cookie(r, DEVICE_COOKIE);
	unsigned char raw[16];
	r->device_cookie[0] = '\0';
	/* Only a value of our own shape: a cookie is client input. */
	if (c && strlen(c) == 32 && hex_decode(c, raw, sizeof raw) == 0)
		memcpy(r->device_cookie, c, 33);
}

void pd_record_signin(struct req *r, unsigned long long uid)
{
	struct pdreq pd;
	pd_device_ensure(r);
	pd_of_request(r, &pd);
	if (!pd.device[0])
		return;
	if (db_exec(r->db, STMT_DEVICE_ACCOUNT, DB_ARGS(A_STR(pd.device), A_INT(uid)), NULL, NULL) < 0)
		log_err("paradata: the browser of user %llu's sign-in was not recorded", uid);
}

int pd_record_registration(struct req *r, unsigned long long uid, const char *region,
                           const char *form, int with_code)
{
	struct pdreq pd;
	pd_of_request(r, &pd);
	return db_exec(r->db, STMT_REG_PARADATA_INSERT,
	               DB_ARGS(A_INT(uid), region && *region ? A_STR(region) : A_NULL, A_STR(form),
	                       A_STR(pd.net), A_STR(pd.device), A_STR(pd.ua), A_INT(with_code ? 1 : 0)),
	               NULL, NULL);
}
