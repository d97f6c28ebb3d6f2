/*
 * draw.c - the reproducible stratified draw; draw.h specifies the algorithm.
 */
#include "draw.h"
#include "aggr.h"
#include "db.h"
#include "log.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void units_free(struct unit *u, size_t n)
{
	for (size_t i = 0; u && i < n; i++) {
		free(u[i].name);
		free(u[i].platform);
		free(u[i].contact);
		free(u[i].phone);
		free(u[i].email);
		free(u[i].org_code);
		free(u[i].address);
		free(u[i].zip);
	}
	free(u);
}

uint64_t draw_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t draw_next(uint64_t *state)
{
	*state += UINT64_C(0x9e3779b97f4a7c15);
	return draw_mix64(*state);
}

uint64_t draw_uniform(uint64_t *state, uint64_t m)
{
	/* (2^64 - m) mod m == 2^64 mod m: values below it would bias v % m. */
	uint64_t t = (0 - m) % m, v;
	do
		v = draw_next(state);
	while (v < t);
	return v % m;
}

uint64_t draw_stratum_state(uint64_t seed, int stratum)
{
	uint64_t tag = 0;
	const char *c = stratum_code(stratum);
	for (size_t i = 0; c[i] && i < 8; i++)
		tag |= (uint64_t)(unsigned char)c[i] << (8 * i);
	return draw_mix64(seed ^ tag);
}

int seed_parse(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t nd = 0;
	if (!s)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++, nd++) {
		int d;
		if (*s >= '0' && *s <= '9')      d = *s - '0';
		else if (*s >= 'a' && *s <= 'f') d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F') d = *s - 'A' + 10;
		else break;
		if (nd >= 16)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (nd == 0 || *s)
		return -1;
	*out = v;
	return 0;
}

void seed_format(uint64_t seed, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)seed);
}

int seed_random(uint64_t *out)
{
	unsigned char b[8];
	if (random_bytes(b, sizeof b) < 0)
		return -1;
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	*out = v;
	return 0;
}

static int by_line(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;
	return x->line < y->line ? -1 : x->line > y->line;
}

void units_sort(struct unit *u, size_t n)
{
	if (n > 1)
		qsort(u, n, sizeof *u, by_line);
}

void units_checksum(const struct unit *u, size_t n, char out[65])
{
	struct buf b = { 0 };
	unsigned char h[32];
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%lu\t%s\t%s\t%s\t%s\t%s\t%s\n", u[i].line, stratum_code(u[i].stratum),
		           u[i].name ? u[i].name : "", u[i].platform ? u[i].platform : "",
		           u[i].contact ? u[i].contact : "", u[i].phone ? u[i].phone : "",
		           u[i].email ? u[i].email : "");
	sha256(b.data ? b.data : "", b.len, h);
	hex_encode(h, sizeof h, out);
	buf_free(&b);
}

void draw_permute(uint64_t seed, int stratum, size_t *idx, size_t n)
{
	uint64_t st = draw_stratum_state(seed, stratum);
	for (size_t i = 0; i + 1 < n; i++) {
		size_t j = i + (size_t)draw_uniform(&st, (uint64_t)(n - i));
		size_t t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
}

void draw_all(uint64_t seed, const struct unit *u, size_t n, size_t *order,
              size_t start[ST_COUNT], size_t cnt[ST_COUNT])
{
	size_t k = 0;
	for (int s = 0; s < ST_COUNT; s++) {
		start[s] = k;
		for (size_t i = 0; i < n; i++)
			if (u[i].stratum == s)
				order[k++] = i;
		cnt[s] = k - start[s];
		draw_permute(seed, s, order + start[s], cnt[s]);
	}
}

/* ----------------------------------------------------------------- storing */

int sample_insert(struct db *db, const char *region, const char *kind, const char *method,
                  const char *frame_id, const char *sum, const char *seed, const char *algo,
                  unsigned long long created_by, unsigned long long *sid)
{
	enum db_rc rc = db_exec(db, STMT_SAMPLE_INSERT,
	                        DB_ARGS(A_STR(region), A_STR(kind), A_STR(method),
	                                frame_id ? A_STR(frame_id) : A_NULL, A_STR(sum), A_STR(seed),
	                                A_STR(algo), created_by ? A_INT(created_by) : A_NULL), NULL, sid);
	return rc == DB_OK ? 0 : rc == DB_DUPLICATE ? 1 : -1;
}

int sample_unit_insert(struct db *db, unsigned long long sid, const char *region, const char *kind,
                       const struct unit *u, const char *role, size_t pos)
{
	return db_exec(db, STMT_SAMPLE_UNIT_INSERT,
	               DB_ARGS(A_INT(sid), A_STR(region), A_STR(kind), A_STR(stratum_code(u->stratum)),
	                       u->id ? A_INT(u->id) : A_NULL, A_STR(u->name), A_STR(u->platform), A_STR(u->contact),
	                       A_STR(u->phone), A_STR(u->email), A_STR(u->org_code ? u->org_code : ""),
	                       A_STR(u->address ? u->address : ""), A_STR(u->zip ? u->zip : ""),
	                       A_STR(role), A_INT(pos)),
	               NULL, NULL) < 0 ? -1 : 0;
}

void drawn_free(struct drawn *d)
{
	units_free(d->u, d->n);
	free(d->order);
	memset(d, 0, sizeof *d);
}

int kind_has_stratum(const char *kind, int s)
{
	return strcmp(kind, "sme") == 0 ? s == ST_SME : s == ST_HUB || s == ST_WINDOW;
}

enum draw_result sample_draw_store(struct db *db, const char *region, const char *kind, uint64_t seed,
                                   const int quota[ST_COUNT], int allow_short,
                                   unsigned long long created_by, struct drawn *d)
{
	struct dbrows *cf = NULL;
	char *still = NULL;
	enum draw_result res = DRAW_DB_ERROR;
	int rc;

	memset(d, 0, sizeof *d);
	seed_format(seed, d->seed);
	for (int s = 0; s < ST_COUNT; s++)
		d->quota[s] = quota[s] > 0 ? (size_t)quota[s] : 0;
	if (db_query(db, STMT_FRAME_CONFIRMED_CHECKSUM,
	             DB_ARGS(A_STR(region), A_STR(kind)), &cf) < 0)
		return DRAW_DB_ERROR;
	if (cf->nrows == 0) {
		res = DRAW_NO_FRAME;
		goto out;
	}
	snprintf(d->frame_id, sizeof d->frame_id, "%s", dbrows_get(cf, 0, 0));
	if (frame_units_load(db, d->frame_id, &d->u, &d->n) < 0)
		goto out;
	units_checksum(d->u, d->n, d->checksum);
	if (strcmp(d->checksum, dbrows_get(cf, 0, 1)) != 0) {
		log_err("frame %s: checksum mismatch (stored %s, computed %s)", d->frame_id,
		        dbrows_get(cf, 0, 1), d->checksum);
		res = DRAW_CHECKSUM;
		goto out;
	}
	d->order = xcalloc(d->n ? d->n : 1, sizeof *d->order);
	draw_all(seed, d->u, d->n, d->order, d->start, d->cnt);
	for (int s = 0; !allow_short && s < ST_COUNT; s++)
		if (kind_has_stratum(kind, s) && d->cnt[s] < d->quota[s]) {
			res = DRAW_SHORT;
			goto out;
		}
	/* The frame must still be the confirmed one (a replacement may have
	 * been confirmed meanwhile); the shared lock holds it until commit. */
	if (db_query_str(db, STMT_FRAME_CONFIRMED_SHARE_LOCK, DB_ARGS(A_STR(d->frame_id)), &still) < 0) {
		res = DRAW_DB_ERROR;
	} else if (!still) {
		res = DRAW_FRAME_REPLACED;
	} else {
		rc = sample_insert(db, region, kind, "drawn", d->frame_id, d->checksum, d->seed,
		                   DRAW_ALGO_VERSION, created_by, &d->sample_id);
		for (int s = 0; rc == 0 && s < ST_COUNT; s++)
			for (size_t k = 0; rc == 0 && k < d->cnt[s]; k++)
				rc = sample_unit_insert(db, d->sample_id, region, kind,
				                        &d->u[d->order[d->start[s] + k]],
				                        k < d->quota[s] ? "selected" : "reserve", k + 1);
		res = rc == 0 ? DRAW_OK : rc == 1 ? DRAW_EXISTS : DRAW_DB_ERROR;
	}
out:
	free(still);
	dbrows_free(cf);
	return res;
}

/* ------------------------------------------------------------ reset */

enum reset_result sample_reset(struct db *db, const char *region, const char *kind,
                               const char *reason, struct reset_info *ri)
{
	struct dbrows *rows = NULL;
	memset(ri, 0, sizeof *ri);
	if (db_query(db, STMT_SAMPLE_RESET_LOCK, DB_ARGS(A_STR(region), A_STR(kind)), &rows) < 0)
		return RESET_DB_ERROR;
	if (rows->nrows == 0) {
		dbrows_free(rows);
		return RESET_NONE;
	}
	ri->sample_id = (unsigned long long)dbrows_int(rows, 0, 0);
	ri->units = dbrows_int(rows, 0, 1);
	ri->registered = dbrows_int(rows, 0, 2);
	ri->codes = dbrows_int(rows, 0, 3);
	dbrows_free(rows);
	if (ri->registered > 0 && (reason == NULL || *reason == '\0'))
		return RESET_NEEDS_REASON;
	/* Codes first (they live on the units), then the sample (its units
	 * go with it, ON DELETE CASCADE), then the frame (and its units). */
	/* The units are deleted by statement, not by the cascade, so that the
	 * quota counters' triggers see them; the answers of their accounts
	 * leave "sample only" (sql/005_aggregates.sql, forms/aggr.h). */
	if (db_query(db, STMT_AGGR_SAMPLE_RESPONSES, DB_ARGS(A_INT(ri->sample_id)), &rows) < 0)
		return RESET_DB_ERROR;
	if (db_exec(db, STMT_SAMPLE_RESET_REVOKE, DB_ARGS(A_INT(ri->sample_id)), NULL, NULL) < 0 ||
	    db_exec(db, STMT_AGGR_SAMPLE_UNITS_DELETE, DB_ARGS(A_INT(ri->sample_id)), NULL, NULL) < 0 ||
	    db_exec(db, STMT_SAMPLE_DELETE, DB_ARGS(A_INT(ri->sample_id)), NULL, NULL) < 0 ||
	    db_exec(db, STMT_FRAME_DELETE_CONFIRMED, DB_ARGS(A_STR(region), A_STR(kind)), &ri->frames, NULL) < 0 ||
	    aggr_sync_ids(db, rows) < 0) {
		dbrows_free(rows);
		return RESET_DB_ERROR;
	}
	dbrows_free(rows);
	return RESET_OK;
}

/* ------------------------------------------------------------ verification */

int frame_units_load(struct db *db, const char *frame_id, struct unit **out, size_t *nout)
{
	struct dbrows *fr;
	*out = NULL;
	*nout = 0;
	if (db_query(db, STMT_FRAME_UNITS,
	             DB_ARGS(A_STR(frame_id)), &fr) < 0)
		return -1;
	size_t n = fr->nrows;
	struct unit *u = xcalloc(n ? n : 1, sizeof *u);
	for (size_t i = 0; i < n; i++) {
		u[i].id = (unsigned long long)dbrows_int(fr, i, 0);
		u[i].line = (unsigned long)dbrows_int(fr, i, 1);
		u[i].stratum = stratum_parse(dbrows_get(fr, i, 2));
		u[i].name = xstrdup(dbrows_get(fr, i, 3));
		u[i].platform = xstrdup(dbrows_get(fr, i, 4));
		u[i].contact = xstrdup(dbrows_get(fr, i, 5));
		u[i].phone = xstrdup(dbrows_get(fr, i, 6));
		u[i].email = xstrdup(dbrows_get(fr, i, 7));
		u[i].org_code = xstrdup(dbrows_get(fr, i, 8));
		u[i].address = xstrdup(dbrows_get(fr, i, 9));
		u[i].zip = xstrdup(dbrows_get(fr, i, 10));
	}
	dbrows_free(fr);
	units_sort(u, n);
	*out = u;
	*nout = n;
	return 0;
}

/* One stratum's stored units (rows of sr) against the recomputed draw
 * (order[0..cnt): indexes into u), each difference said in out.
 * 1 when any, else 0. */
static int verify_stratum(const struct dbrows *sr, int s, const struct unit *u, const size_t *order, size_t cnt,
                          struct buf *out)
{
	int bad = 0;
	size_t got = 0, q = 0, promoted = 0;
	int in_selected = 1;
	for (size_t i = 0; i < sr->nrows; i++) {
		if (stratum_parse(dbrows_get(sr, i, 1)) != s)
			continue;
		unsigned long long fid = (unsigned long long)dbrows_int(sr, i, 0);
		long long pos = dbrows_int(sr, i, 3);
		int selected = strcmp(dbrows_get(sr, i, 2), "selected") == 0;
		int is_replacement = dbrows_get(sr, i, 4) != NULL;
		if (pos != (long long)got + 1) {
			buf_printf(out, "%s: position %lld found where %zu was expected\n",
			           stratum_code(s), pos, got + 1);
			bad = 1;
		}
		if (got >= cnt) {
			buf_printf(out, "%s position %lld: '%s' is not in the recomputed draw\n",
			           stratum_code(s), pos, dbrows_get(sr, i, 5));
			bad = 1;
		} else if (u[order[got]].id != fid) {
			buf_printf(out, "%s position %lld: stored '%s', recomputed '%s' (line %lu)\n",
			           stratum_code(s), pos, dbrows_get(sr, i, 5),
			           u[order[got]].name, u[order[got]].line);
			bad = 1;
		}
		/* Originally selected units come first; promoted reserves
		 * (replaces_id set) must be consumed in position order. */
		if (selected && !is_replacement) {
			if (!in_selected) {
				buf_printf(out, "%s position %lld: selected after the reserve list began\n",
				           stratum_code(s), pos);
				bad = 1;
			}
			q++;
		} else {
			if (in_selected)
				in_selected = 0;
			if (selected) {
				if (promoted != got - q) {
					buf_printf(out, "%s position %lld: reserve promoted out of order\n",
					           stratum_code(s), pos);
					bad = 1;
				}
				promoted++;
			}
		}
		got++;
	}
	if (got != cnt) {
		buf_printf(out, "%s: %zu units stored, %zu in the frame\n", stratum_code(s), got, cnt);
		bad = 1;
	}
	if (cnt)
		buf_printf(out, "%s: %zu selected, %zu reserve, %zu promoted from reserve\n",
		           stratum_code(s), q, got - q - promoted, promoted);
	return bad;
}

static int verify_rows(struct db *db, const char *sample_id, const char *frame_id, uint64_t seed,
                       const char *stored_sum, struct buf *out)
{
	struct dbrows *sr = NULL;
	struct unit *u = NULL;
	size_t n = 0, *order = NULL, start[ST_COUNT], cnt[ST_COUNT];
	int bad = 0, rc = -1;
	char sum[65];

	if (frame_units_load(db, frame_id, &u, &n) < 0)
		goto done;
	units_sort(u, n);
	units_checksum(u, n, sum);
	if (strcmp(sum, stored_sum) != 0) {
		buf_printf(out, "frame checksum differs: stored %s, frame now %s\n", stored_sum, sum);
		bad = 1;
	} else {
		buf_printf(out, "frame checksum %s (%zu units) matches\n", sum, n);
	}
	order = xcalloc(n ? n : 1, sizeof *order);
	draw_all(seed, u, n, order, start, cnt);

	if (db_query(db, STMT_SAMPLE_UNITS_VERIFY,
	             DB_ARGS(A_STR(sample_id)), &sr) < 0)
		goto done;
	for (int s = 0; s < ST_COUNT; s++)
		bad |= verify_stratum(sr, s, u, order + start[s], cnt[s], out);
	rc = bad;
done:
	dbrows_free(sr);
	units_free(u, n);
	free(order);
	return rc;
}

int sample_verify(struct db *db, const char *region, const char *kind, struct buf *out)
{
	struct dbrows *s = NULL;
	uint64_t seed;
	int rc = -1;

	if (db_query(db, STMT_SAMPLE_FOR_VERIFY,
	             DB_ARGS(A_STR(region), A_STR(kind)), &s) < 0)
		return -1;
	if (s->nrows == 0) {
		buf_printf(out, "no sample for region %s, kind %s\n", region, kind);
		rc = 1;
	} else if (strcmp(dbrows_get(s, 0, 1), "drawn") != 0) {
		buf_printf(out, "the sample was uploaded by the region, not drawn: nothing to recompute\n");
		rc = 1;
	} else if (strcmp(dbrows_get(s, 0, 5), DRAW_ALGO_VERSION) != 0) {
		buf_printf(out, "algorithm version '%s' is not supported (this program: %s)\n",
		           dbrows_get(s, 0, 5), DRAW_ALGO_VERSION);
		rc = 1;
	} else if (seed_parse(dbrows_get(s, 0, 4), &seed) < 0 || dbrows_get(s, 0, 2) == NULL) {
		buf_printf(out, "stored seed or frame is missing\n");
		rc = 1;
	} else {
		buf_printf(out, "sample %s: seed %s, algorithm %s\n", dbrows_get(s, 0, 0),
		           dbrows_get(s, 0, 4), DRAW_ALGO_VERSION);
		rc = verify_rows(db, dbrows_get(s, 0, 0), dbrows_get(s, 0, 2), seed,
		                 dbrows_get(s, 0, 3), out);
	}
	dbrows_free(s);
	return rc;
}

/* ------------------------------------------- the transactions with audit */

struct draw_tx {
	const char *region, *kind;
	uint64_t seed;
	const int *quota;
	int allow_short;
	unsigned long long by;
	struct drawn *d;
	const struct sample_audit *au;
	enum draw_result res;
};

static int draw_body(struct db *db, void *ctx, int attempt)
{
	struct draw_tx *x = ctx;
	struct buf b = { 0 };
	int rc;

	if (attempt > 1)
		drawn_free(x->d);    /* a retry draws again from the start */
	x->res = sample_draw_store(db, x->region, x->kind, x->seed, x->quota, x->allow_short, x->by, x->d);
	if (x->res != DRAW_OK)
		return x->res == DRAW_DB_ERROR ? -1 : 1;
	buf_printf(&b, "region=%s kind=%s sample=%llu seed=%s algo=%s frame=%s checksum=%s quota=%d/%d/%d",
	           x->region, x->kind, x->d->sample_id, x->d->seed, DRAW_ALGO_VERSION, x->d->frame_id,
	           x->d->checksum, x->quota[ST_HUB], x->quota[ST_WINDOW], x->quota[ST_SME]);
	for (int st = 0; st < ST_COUNT; st++)
		if (kind_has_stratum(x->kind, st) && x->d->cnt[st] < x->d->quota[st])
			buf_printf(&b, " short-confirmed=%s:%zu/%zu", stratum_code(st), x->d->cnt[st], x->d->quota[st]);
	rc = x->au->write(db, x->au->ctx, "sample-draw", b.data);
	buf_free(&b);
	return rc < 0 ? -1 : 0;
}

enum draw_result sample_draw_tx(struct db *db, const char *region, const char *kind, uint64_t seed,
                                const int quota[ST_COUNT], int allow_short,
                                unsigned long long created_by, struct drawn *d,
                                const struct sample_audit *au)
{
	struct draw_tx x = { region, kind, seed, quota, allow_short, created_by, d, au, DRAW_DB_ERROR };
	int rc = db_transaction(db, draw_body, &x);
	return rc < 0 ? DRAW_DB_ERROR : x.res;
}

struct reset_tx {
	const char *region, *kind, *reason;
	struct reset_info *ri;
	const struct sample_audit *au;
	enum reset_result res;
};

static int reset_body(struct db *db, void *ctx, int attempt)
{
	struct reset_tx *x = ctx;
	struct buf b = { 0 };
	int rc;

	(void)attempt;
	x->res = sample_reset(db, x->region, x->kind, x->reason, x->ri);
	if (x->res != RESET_OK)
		return x->res == RESET_DB_ERROR ? -1 : 1;
	buf_printf(&b, "region=%s kind=%s sample=%llu units=%lld registered=%lld codes_revoked=%lld frames=%llu"
	           " reason=%s", x->region, x->kind, x->ri->sample_id, x->ri->units, x->ri->registered,
	           x->ri->codes, x->ri->frames, x->reason ? x->reason : "");
	rc = x->au->write(db, x->au->ctx, "sample-reset", b.data);
	buf_free(&b);
	return rc < 0 ? -1 : 0;
}

enum reset_result sample_reset_tx(struct db *db, const char *region, const char *kind,
                                  const char *reason, struct reset_info *ri,
                                  const struct sample_audit *au)
{
	struct reset_tx x = { region, kind, reason, ri, au, RESET_DB_ERROR };
	int rc = db_transaction(db, reset_body, &x);
	return rc < 0 ? RESET_DB_ERROR : x.res;
}
