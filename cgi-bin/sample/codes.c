/*
 * codes.c - invitation codes: derivation, hashing, issuing, revoking (the
 * symbols themselves: core/symcode.c).
 */
#include "codes.h"
#include "conf.h"
#include "deadline.h"
#include "db.h"
#include "log.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

void code_derive(const char *secret, unsigned long long unit_id, unsigned issue,
                 char out[CODE_LEN + 1])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char msg[64];
	int n = snprintf(msg, sizeof msg, "smesurvey-code/1:%llu:%u", unit_id, issue);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, (unsigned long long)n);
	crypto_auth_hmacsha256_final(&st, mac);
	code_from_bytes(mac, out);   /* the first 80 bits */
	sodium_memzero(mac, sizeof mac);
	sodium_memzero(&st, sizeof st);
}

void code_hash(const char code[CODE_LEN + 1], unsigned char out[32])
{
	sha256(code, strlen(code), out);
}

void issued_free(struct issued *v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].form);
		free(v[i].stratum);
		explicit_bzero(v[i].code, sizeof v[i].code);
	}
	free(v);
}

static int secret_usable(const char *secret)
{
	return secret && strlen(secret) >= CODE_SECRET_MIN;
}

/* Derives the unit's code at issue number *issue and stores its hash; a
 * clash with another unit's code (practically impossible) moves on to the
 * next issue number. expires: the code's expiry for a print (sets
 * slip_printed_at), NULL for a revocation (the unit counts as not printed). */
static int store_derived(struct db *db, const char *secret, unsigned long long unit_id,
                         unsigned *issue, char code[CODE_LEN + 1], const char *expires)
{
	for (int attempt = 0; attempt < 3; attempt++, (*issue)++) {
		unsigned char h[32];
		code_derive(secret, unit_id, *issue, code);
		code_hash(code, h);
		enum db_rc rc = expires ?
			db_exec(db, STMT_UNIT_SET_CODE,
			        DB_ARGS(A_BLOB(h, 32), A_INT(*issue), *expires ? A_STR(expires) : A_NULL,
			                A_INT(unit_id)), NULL, NULL) :
			db_exec(db, STMT_UNIT_REISSUE_CODE,
			        DB_ARGS(A_BLOB(h, 32), A_INT(*issue), A_INT(unit_id)), NULL, NULL);
		if (rc == DB_OK)
			return 0;
		if (rc != DB_DUPLICATE)
			return -1;
	}
	return -1;
}

/* The code of one row of STMT_UNITS_TO_ISSUE_LOCK (id, name, form, stratum,
 * code_lookup, code_issue), stored for printing. */
static int issue_one(struct db *db, const char *secret, const char *expires,
                     const struct dbrows *rows, size_t i, struct issued *u, enum codes_err *err)
{
	const char *stored = dbrows_get(rows, i, 4);
	if (dbrows_get(rows, i, 5) == NULL) {
		unsigned issue = 0;
		/* A random code of an earlier print cannot be printed again: it is
		 * replaced by the derived one, its slip answered "revoked". */
		if (stored && db_exec(db, STMT_CODE_REVOKED_INSERT,
		                      DB_ARGS(A_STR("legacy"), A_INT(u->unit_id)), NULL, NULL) < 0)
			return -1;
		return store_derived(db, secret, u->unit_id, &issue, u->code, expires);
	}
	unsigned char h[32];
	code_derive(secret, u->unit_id, (unsigned)dbrows_int(rows, i, 5), u->code);
	code_hash(u->code, h);
	if (stored == NULL || rows->lens[i * rows->ncols + 4] != 32 || !ct_equal(stored, h, 32)) {
		log_err("unit %llu: its stored invitation code is not the one code_secret gives;"
		        " was code_secret changed? nothing reissued", u->unit_id);
		*err = CODES_SECRET_CHANGED;
		return -1;
	}
	return db_exec(db, STMT_UNIT_SET_CODE,
	               DB_ARGS(A_BLOB(h, 32), A_INT(dbrows_int(rows, i, 5)),
	                       *expires ? A_STR(expires) : A_NULL, A_INT(u->unit_id)), NULL, NULL);
}

long codes_issue(struct db *db, const char *secret, const struct deadlines *due,
                 const char *region_code, const char *stratum, unsigned long long unit_id,
                 int only_new, struct issued **out, enum codes_err *err)
{
	struct dbrows *rows = NULL;
	struct issued *v = NULL;
	size_t n = 0;

	*out = NULL;
	*err = CODES_DB;
	if (!secret_usable(secret)) {
		log_err("code_secret is not set (at least %d characters): no slip printed", CODE_SECRET_MIN);
		*err = CODES_NO_SECRET;
		return -1;
	}
	if (stratum == NULL || strcmp(stratum, "all") == 0)
		stratum = "";
	/* FOR UPDATE: two prints at once see the same issue numbers. */
	if (db_query(db, STMT_UNITS_TO_ISSUE_LOCK,
	             DB_ARGS(A_STR(region_code), A_STR(stratum), A_STR(stratum), A_INT(unit_id),
	                     A_INT(unit_id), A_INT(only_new ? 1 : 0)), &rows) < 0)
		goto fail;
	v = xcalloc(rows->nrows ? rows->nrows : 1, sizeof *v);
	for (size_t i = 0; i < rows->nrows; i++) {
		struct issued *u = &v[n];
		u->unit_id = (unsigned long long)dbrows_int(rows, i, 0);
		u->name = xstrdup(dbrows_get(rows, i, 1));
		u->form = xstrdup(dbrows_get(rows, i, 2));
		u->stratum = xstrdup(dbrows_get(rows, i, 3));
		n++;
		if (issue_one(db, secret, deadlines_of(due, u->form), rows, i, u, err) < 0)
			goto fail;
	}
	dbrows_free(rows);
	*out = v;
	*err = CODES_OK;
	return (long)n;
fail:
	dbrows_free(rows);
	issued_free(v, n);
	return -1;
}

int codes_revoke(struct db *db, const char *secret, const char *region_code,
                 unsigned long long unit_id, enum codes_err *err)
{
	struct dbrows *rows = NULL;
	char code[CODE_LEN + 1];
	*err = CODES_DB;
	if (!secret_usable(secret)) {
		log_err("code_secret is not set (at least %d characters): no code revoked", CODE_SECRET_MIN);
		*err = CODES_NO_SECRET;
		return -1;
	}
	if (db_query(db, STMT_UNIT_TO_REVOKE_LOCK, DB_ARGS(A_INT(unit_id), A_STR(region_code)), &rows) < 0)
		return -1;
	if (rows->nrows == 0) {
		dbrows_free(rows);
		*err = CODES_OK;
		return 0;
	}
	unsigned issue = dbrows_get(rows, 0, 1) ? (unsigned)dbrows_int(rows, 0, 1) + 1 : 0;
	dbrows_free(rows);
	if (db_exec(db, STMT_CODE_REVOKED_INSERT, DB_ARGS(A_STR("revoke"), A_INT(unit_id)), NULL, NULL) < 0 ||
	    store_derived(db, secret, unit_id, &issue, code, NULL) < 0)
		return -1;
	explicit_bzero(code, sizeof code);
	*err = CODES_OK;
	return 1;
}
