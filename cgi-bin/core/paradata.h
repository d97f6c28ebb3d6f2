/*
 * paradata.h - what a request says about how an answer came about (issue 20,
 * item 1), reduced to keyed hashes: never an address, never a cookie.
 *
 * - network: HMAC-SHA256(paradata key, "net/1:" prefix) of the client's
 *   IPv4 /24 or IPv6 /48 (an IPv4-mapped IPv6 address counts as IPv4), as
 *   16 hex digits; the same office, hotel or mobile carrier's gateway gives
 *   the same hash, and nobody can go back from it to the address.
 * - device: a random first-party cookie (DEVICE_COOKIE, 128 bits, 400
 *   days) set by the login and registration pages; stored as
 *   HMAC("dev/1:" cookie), 16 hex digits, so a database dump cannot be
 *   replayed as the cookie.
 * - session: the first 8 hex digits of the session token's SHA-256.
 * - browser family: "chrome", "wechat", ... from the User-Agent, "-m" on a
 *   phone.
 *
 * The key is paradata_secret from the configuration; without one it is
 * derived from code_secret (HMAC(code_secret, "smesurvey-paradata/1")), so
 * an installation configured before issue 20 still hashes; with neither,
 * nothing is recorded (empty strings).
 */
#ifndef SME_PARADATA_H
#define SME_PARADATA_H

#include <stddef.h>

struct req;
struct conf;

#define DEVICE_COOKIE "dev"
#define PD_ID_LEN 17   /* 16 hex digits + NUL */

struct pdreq {
	char net[PD_ID_LEN];
	char device[PD_ID_LEN];    /* "" when the browser has no device cookie */
	char session[9];           /* "" when anonymous */
	char ua[17];
};

/* The request's paradata (r->device_cookie, r->remote_addr, the session). */
void pd_of_request(const struct req *r, struct pdreq *pd);
/* Reads the device cookie into r->device_cookie (the accept loop). */
void pd_device_read(struct req *r);
/* Gives the browser a device cookie unless it has one (the login and
 * registration pages call it on every request). */
void pd_device_ensure(struct req *r);
/* A sign-in (login, registration, re-login) from the request's browser:
 * gives it a device cookie if it has none, and device_accounts gets
 * (device, uid), best effort (logged). The sign-in pages call it after a
 * successful auth_login()/auth_login_user(). */
void pd_record_signin(struct req *r, unsigned long long uid);
/* The redemption of an invitation code (with_code) or a registration
 * without one: reg_paradata. Inside the caller's transaction; 0 or -1. */
int  pd_record_registration(struct req *r, unsigned long long uid, const char *region,
                            const char *form, int with_code);
/* The keyed hash of the network of addr into out ("" when no key or a
 * malformed address). Exposed for the unit tests. */
void pd_net_hash(const struct conf *c, const char *addr, char out[PD_ID_LEN]);
/* The browser family of a User-Agent header ("other" when unknown). */
const char *pd_ua_family(const char *ua, char out[17]);

#endif
