/*
 * codes.h - one-time invitation codes for sampled units (issue 4).
 *
 * A code is 16 symbols of a 32-symbol alphabet without 0/O/1/I (80 bits
 * from getrandom), shown as XXXX-XXXX-XXXX-XXXX. The database keeps only
 * SHA-256 of the normalised code in sample_units.code_lookup, so a code can
 * be shown only at the moment it is generated: printing slips (again)
 * issues new codes and the old ones of those units stop working.
 * Input is normalised before hashing: full-width ASCII is folded, letters
 * upper-cased, spaces and dashes of any width removed.
 */
#ifndef SME_CODES_H
#define SME_CODES_H

#include <stddef.h>

struct db;
struct conf;
struct deadlines;

#define CODE_ALPHABET  "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#define CODE_LEN       16                 /* symbols */
#define CODE_RAW_BYTES 10                 /* 16 * 5 bits */
#define CODE_GROUPED   (CODE_LEN + 3)     /* with dashes, without NUL */

/* The randomness source; tests may point it elsewhere. Default random_bytes. */
extern int (*codes_random)(void *p, size_t n);

/* Encode 10 raw bytes as 16 symbols (out: 17 bytes, NUL-terminated). */
void code_from_bytes(const unsigned char raw[CODE_RAW_BYTES], char out[CODE_LEN + 1]);
/* A fresh random code (17 bytes). Returns 0, or -1 when getrandom fails. */
int  code_generate(char out[CODE_LEN + 1]);
/* XXXX-XXXX-XXXX-XXXX (20 bytes with NUL). */
void code_group(const char code[CODE_LEN + 1], char out[CODE_GROUPED + 1]);
/* Normalise user input; 0 with out filled when the result is exactly 16
 * alphabet symbols, -1 otherwise. Input longer than 256 bytes is refused. */
int  code_normalise(const char *in, char out[CODE_LEN + 1]);
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

/* Inside an open transaction: issues new codes for the invited, not yet
 * registered units of region_code: stratum NULL/"all" or hub|window|sme;
 * unit_id non-zero for that single unit; only_new skips units already
 * printed. Sets code_lookup, code_expires (the unit's form's deadline in
 * due, the region's deadlines), slip_printed_at. *out is malloc'd (free with
 * issued_free). Returns the number of units - the caller renders the slips,
 * then commits (or rolls back, so that a failed rendering leaves the old
 * codes valid) - or -1 on error (the caller rolls back). */
long codes_issue(struct db *db, const struct deadlines *due, const char *region_code,
                 const char *stratum, unsigned long long unit_id, int only_new,
                 struct issued **out);
void issued_free(struct issued *v, size_t n);

#endif
