/*
 * codes.h - one-time invitation codes for sampled units (issue 4).
 *
 * A code is 16 symbols of a 32-symbol alphabet without 0/O/1/I (80 bits),
 * shown as XXXX-XXXX-XXXX-XXXX. A unit's code is derived, not drawn
 * (issue 10): the first 80 bits of
 *     HMAC-SHA256(code_secret, "smesurvey-code/1:" unit_id ":" code_issue)
 * with code_secret from the configuration (one per installation) and
 * code_issue the unit's issue number (0 for its first code). So printing a
 * slip again prints the same code, while the database still keeps only
 * SHA-256 of the normalised code in sample_units.code_lookup (a database dump
 * without the configuration reveals no code). Revoking a unit's code
 * (codes_revoke) increments code_issue and keeps the old hash in
 * revoked_codes, so that its old slip is answered "revoked, contact the
 * region" rather than "invalid".
 * Input is normalised before hashing: full-width ASCII is folded, letters
 * upper-cased, spaces and dashes of any width removed.
 */
#ifndef SME_CODES_H
#define SME_CODES_H

#include <stddef.h>

#include "symcode.h"   /* the alphabet, generation, grouping, normalisation */

struct db;
struct conf;
struct deadlines;

/* The code of unit_id at issue number issue under secret (17 bytes). */
void code_derive(const char *secret, unsigned long long unit_id, unsigned issue,
                 char out[CODE_LEN + 1]);
/* SHA-256 of the normalised code: the only thing stored. */
void code_hash(const char code[CODE_LEN + 1], unsigned char out[32]);

/* A unit whose new code was just issued. */
struct issued {
	unsigned long long unit_id;
	char *name;
	char *form;           /* "resource" or "sme" */
	char *stratum;        /* "hub" "window" "sme" */
	char  code[CODE_LEN + 1];
};

/* Why codes_issue failed. */
enum codes_err { CODES_OK, CODES_DB, CODES_NO_SECRET, CODES_SECRET_CHANGED };

/* Inside an open transaction: the codes of the invited, not yet registered
 * units of region_code, for printing: stratum NULL/"all" or hub|window|sme;
 * unit_id non-zero for that single unit; only_new skips units already
 * printed. A unit printed before keeps its code. A unit without a derived
 * code gets the one of issue 0 (a random code from before migration 004 is
 * revoked then). Sets code_lookup, code_issue, code_expires (the unit's
 * form's deadline in due, the region's deadlines), slip_printed_at. *out is
 * malloc'd (free with issued_free). Returns the number of units - the caller
 * renders the slips, then commits (or rolls back) - or -1 with *err set (the
 * caller rolls back); CODES_SECRET_CHANGED: a stored code is not the one the
 * configured secret gives (the secret was changed), nothing is reissued. */
long codes_issue(struct db *db, const char *secret, const struct deadlines *due,
                 const char *region_code, const char *stratum, unsigned long long unit_id,
                 int only_new, struct issued **out, enum codes_err *err);

/* Inside an open transaction: revokes the code of one invited, printed, not
 * yet registered unit of region_code and derives its next one (code_issue +
 * 1; the old hash goes to revoked_codes with reason "revoke"); the unit
 * counts as never printed again. Returns 1 done, 0 no such unit (or not
 * printed, or registered), -1 error (*err set). */
int codes_revoke(struct db *db, const char *secret, const char *region_code,
                 unsigned long long unit_id, enum codes_err *err);
void issued_free(struct issued *v, size_t n);

#endif
