/*
 * draw.h - the reproducible stratified random draw (notice 四(二): per
 * region 5 service-resource units from the hub stratum, 10 from the window
 * stratum, and at least 100 SMEs), and its verification.
 *
 * ALGORITHM "srswor-splitmix64-fy/1" (DRAW_ALGO_VERSION). Anyone can re-run it
 * from the stored frame, seed and version; `smesurvey-admin redraw` does.
 *
 *  1. Seed: an unsigned 64-bit integer, written as 16 lowercase hex digits.
 *  2. Canonical unit list of a frame: its units sorted by line number in the
 *     uploaded file (ascending). Each unit is serialised as
 *       line "\t" stratum "\t" name "\t" platform "\t" contact "\t" phone "\t" email "\n"
 *     (line in decimal, stratum "hub" / "window" / "sme", text fields UTF-8
 *     as stored; they never contain tabs or line breaks). The frame checksum
 *     is SHA-256 over the concatenation, in lowercase hex.
 *  3. Strata are drawn independently. For stratum s the generator state is
 *       x = mix(seed XOR tag(s))
 *     where tag(s) is the stratum code's ASCII bytes read as a little-endian
 *     integer ("hub" = 0x627568, "window" = 0x776f646e6977, "sme" = 0x656d73)
 *     and mix() is the SplitMix64 finaliser:
 *       z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
 *       z = (z ^ (z >> 27)) * 0x94d049bb133111eb
 *       z =  z ^ (z >> 31)                          (all arithmetic mod 2^64)
 *  4. Generator (SplitMix64): next() = { x += 0x9e3779b97f4a7c15; return mix(x) }.
 *  5. Uniform integer in [0, m): t = (2^64 - m) mod m; draw v = next() until
 *     v >= t; return v mod m (rejection removes modulo bias).
 *  6. The stratum's units in canonical order form the array a[0..n-1].
 *     Forward Fisher-Yates: for i = 0 .. n-2: j = i + uniform(n - i); swap
 *     a[i], a[j]. Position of a[k] is k+1.
 *  7. With quota q: positions 1..min(q, n) are the selected units; the rest,
 *     in order, are the ordered reserve list. A stratum with fewer than q
 *     units is drawn completely (every unit selected, no reserve) - but only
 *     when the caller confirms it (allow_short; issue 10: a frame whose
 *     platform column was misread must not become a short sample silently).
 *  8. Replacing a selected unit promotes the reserve with the lowest
 *     position; positions never change, so the draw stays verifiable.
 */
#ifndef SME_DRAW_H
#define SME_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "strata.h"

struct db;
struct buf;

#define DRAW_ALGO_VERSION "srswor-splitmix64-fy/1"

/* enum stratum and its codes and names: the one table, eval/strata.h. */

/* One unit of a frame (or of an uploaded sample list). */
struct unit {
	unsigned long      line;
	int                stratum;
	char              *name, *platform, *contact, *phone, *email;
	/* Optional (issue 10), kept for mailing; not in the canonical list:
	 * NULL or "" when absent. */
	char              *org_code, *address, *zip;
	unsigned long long id;        /* frame_units.id when loaded from the DB */
};
void units_free(struct unit *u, size_t n);

/* The SplitMix64 mix function and generator step (steps 3, 4). */
uint64_t draw_mix64(uint64_t z);
uint64_t draw_next(uint64_t *state);
/* Uniform integer in [0, m), m >= 1 (step 5). */
uint64_t draw_uniform(uint64_t *state, uint64_t m);
/* Initial generator state for a stratum (step 3). */
uint64_t draw_stratum_state(uint64_t seed, int stratum);

/* Seeds: 1..16 hex digits (surrounding blanks allowed). 0 or -1. */
int  seed_parse(const char *s, uint64_t *out);
void seed_format(uint64_t seed, char out[17]);
/* A fresh random seed from getrandom(2). 0 or -1. */
int  seed_random(uint64_t *out);

/* Sorts units canonically (by line), then writes the checksum (step 2). */
void units_sort(struct unit *u, size_t n);
void units_checksum(const struct unit *u, size_t n, char out[65]);

/* Permutes idx[0..n-1] (indices of one stratum's units in canonical order)
 * with the stratum's generator (step 6). */
void draw_permute(uint64_t seed, int stratum, size_t *idx, size_t n);

/* Draws every stratum of canonically sorted units: order[] receives unit
 * indices stratum by stratum (hub, window, sme), each stratum in position
 * order; start[s] and cnt[s] locate stratum s in order[]. order has n slots. */
void draw_all(uint64_t seed, const struct unit *u, size_t n, size_t *order,
              size_t start[ST_COUNT], size_t cnt[ST_COUNT]);

/* Loads a frame's units from frame_units in canonical order (ids set).
 * Returns 0 or -1; free with units_free(*u, *n). */
int  frame_units_load(struct db *db, const char *frame_id, struct unit **u, size_t *n);

/* Inserts the samples row (created_by 0: NULL, e.g. the CLI); *sid gets its
 * id. 0, 1 when region/kind already has a sample (unique key), -1 error. */
int  sample_insert(struct db *db, const char *region, const char *kind, const char *method,
                   const char *frame_id, const char *sum, const char *seed, const char *algo,
                   unsigned long long created_by, unsigned long long *sid);
/* Inserts one sample_units row (role "selected" or "reserve"). 0 or -1. */
int  sample_unit_insert(struct db *db, unsigned long long sid, const char *region, const char *kind,
                        const struct unit *u, const char *role, size_t pos);

/* A draw as stored by sample_draw_store(). */
struct drawn {
	char               frame_id[24];
	char               checksum[65];   /* of the frame */
	char               seed[17];       /* seed_format() */
	unsigned long long sample_id;
	struct unit       *u;              /* the frame's units, canonical order */
	size_t             n;
	size_t            *order, start[ST_COUNT], cnt[ST_COUNT];   /* as draw_all() */
	size_t             quota[ST_COUNT];
};
void drawn_free(struct drawn *d);

/* Inside an open transaction: draws region/kind's sample from its confirmed
 * frame (checksum checked) with seed, selecting the first quota[s]
 * positions of stratum s, and stores it with method 'drawn', the seed, the
 * frame checksum and DRAW_ALGO_VERSION. Returns DRAW_OK (the caller writes
 * its audit row and commits), or another result for the caller to roll back.
 * d is filled as far as known; free it with drawn_free() in every case.
 * Shared by /region/sample and `smesurvey-admin draw`. */
enum draw_result {
	DRAW_OK,
	DRAW_EXISTS,            /* region/kind already has a sample */
	DRAW_FRAME_REPLACED,    /* the frame was replaced meanwhile */
	DRAW_NO_FRAME,          /* no confirmed frame */
	DRAW_CHECKSUM,          /* the frame's checksum does not match its units */
	DRAW_SHORT,             /* a stratum of kind has fewer units than its quota and
	                           allow_short is 0: nothing stored, d->cnt/quota tell */
	DRAW_DB_ERROR
};
enum draw_result sample_draw_store(struct db *db, const char *region, const char *kind, uint64_t seed,
                       const int quota[ST_COUNT], int allow_short, unsigned long long created_by,
                       struct drawn *d);

/* 1 when stratum s belongs to samples of kind ("resource": hub, window;
 * "sme": sme). */
int  kind_has_stratum(const char *kind, int s);

/* What sample_reset() found and did. */
struct reset_info {
	unsigned long long sample_id;
	long long          units;        /* sample_units rows deleted */
	long long          registered;   /* of them bound to an account */
	long long          codes;        /* of them with a printed code (now revoked) */
	unsigned long long frames;       /* confirmed frames deleted */
};
enum reset_result {
	RESET_OK,
	RESET_NONE,            /* region/kind has no sample */
	RESET_NEEDS_REASON,    /* units registered through its codes, no reason given */
	RESET_DB_ERROR
};
/* Inside an open transaction (the caller audits "sample-reset" and commits):
 * deletes region/kind's sample with its units and the confirmed frame, so
 * that the region can import and draw again. Allowed without a reason when
 * no unit has registered through its code; otherwise reason must be given
 * (the accounts and their answers stay, no longer bound to the sample).
 * Every printed code is revoked (revoked_codes, reason "reset"), so its
 * holder is told to contact the region. Shared by /admin/samples/reset
 * and `smesurvey-admin reset-sample`. */
enum reset_result sample_reset(struct db *db, const char *region, const char *kind,
                               const char *reason, struct reset_info *ri);

/* Who writes the audit row of a draw or a reset: the web pages' audit()
 * or the command line's; 0, or -1 to roll the whole back. */
struct sample_audit {
	int  (*write)(struct db *db, void *ctx, const char *action, const char *detail);
	void *ctx;
};
/* The draw (sample_draw_store) and its "sample-draw" audit row as one
 * transaction (db_transaction: retried after a lock conflict). DRAW_OK
 * committed; DRAW_DB_ERROR when the database failed; else rolled back. */
enum draw_result sample_draw_tx(struct db *db, const char *region, const char *kind, uint64_t seed,
                                const int quota[ST_COUNT], int allow_short,
                                unsigned long long created_by, struct drawn *d,
                                const struct sample_audit *au);
/* The reset (sample_reset) and its "sample-reset" audit row as one
 * transaction, as above. */
enum reset_result sample_reset_tx(struct db *db, const char *region, const char *kind,
                                  const char *reason, struct reset_info *ri,
                                  const struct sample_audit *au);

/* Recomputes the drawn sample of region/kind from its stored frame, seed
 * and algorithm version, and compares it with sample_units. Appends a
 * report (English, one line per finding) to out. Returns 0 verified,
 * 1 differences (or not verifiable), -1 database error. */
int  sample_verify(struct db *db, const char *region, const char *kind, struct buf *out);

#endif
