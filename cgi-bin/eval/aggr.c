/*
 * aggr.c - the maintained aggregates of the submitted answers (see aggr.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggr.h"
#include "catalog.h"
#include "codebook.h"
#include "db.h"
#include "form.h"
#include "form_int.h"
#include "indicators.h"
#include "indview.h"
#include "log.h"
#include "util.h"

__extension__ typedef __int128 i128;

void aggr_delta_init(struct aggr_delta *d)
{
	memset(d, 0, sizeof *d);
}

void aggr_delta_free(struct aggr_delta *d)
{
	free(d->v);
	memset(d, 0, sizeof *d);
}

static struct aggr_row *push(struct aggr_delta *d, enum aggr_kind kind, const struct form *f,
                             const char *region, int in_sample, const char *code, const char *opt)
{
	struct aggr_row *r;
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->v = xrealloc(d->v, d->cap * sizeof *d->v);
	}
	r = &d->v[d->n++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	snprintf(r->form, sizeof r->form, "%s", f->name);
	snprintf(r->region, sizeof r->region, "%s", region);
	r->in_sample = in_sample;   /* bit 0 sample, bit 1 excluded (sql/032_flag_reviews.sql) */
	snprintf(r->code, sizeof r->code, "%s", code);
	snprintf(r->opt, sizeof r->opt, "%s", opt);
	return r;
}

static int is_choice(enum ftype t)
{
	return t == FT_SINGLE || t == FT_MULTI || t == FT_RANK;
}

static int is_numeric(enum ftype t)
{
	return t == FT_INT || t == FT_DECIMAL || t == FT_PERCENT;
}

static void field_rows(struct aggr_delta *d, const struct form *f, const char *region, int in_sample,
                       const struct answers *eff, int sign)
{
	for (size_t i = 0; i < f->nfields && i < eff->n; i++) {
		const struct field *fd = &f->fields[i];
		const char *v = eff->v[i];
		fnum x;
		if (!v)
			continue;
		if (is_choice(fd->type)) {
			push(d, AK_FIELD, f, region, in_sample, fd->code, "")->n = sign;
			for (size_t k = 0; k < fd->nopts; k++) {
				int pos = fd->type == FT_SINGLE ? !strcmp(v, fd->opts[k].code)
				                                : form_value_has(v, fd->opts[k].code);
				struct aggr_row *r;
				if (pos <= 0)
					continue;
				r = push(d, AK_FIELD, f, region, in_sample, fd->code, fd->opts[k].code);
				r->n = sign;
				if (fd->type == FT_RANK) {
					r->first = sign * (pos == 1);
					r->rsum = sign * pos;
				}
			}
		} else if (is_numeric(fd->type) && fnum_parse(v, 4, &x) == 0) {
			/* Stored numbers were validated; anything else is skipped. */
			struct aggr_row *r = push(d, AK_FIELD, f, region, in_sample, fd->code, "");
			r->n = sign;
			r->sum = (i128)sign * x;
			r = push(d, AK_VALUE, f, region, in_sample, fd->code, "");
			r->value = x;
			r->n = sign;
		}
	}
}

/* The indicators' accumulators of this one response: the same tally the
 * pages used to build from every response (ind_tally_response). */
static void ind_rows(struct aggr_delta *d, const struct form *f, const char *region, int in_sample,
                     const struct answers *eff, const struct indset *set, int sign)
{
	struct ind_tally t;
	ind_tally_init(&t, set);
	ind_tally_response(&t, f, eff);
	for (size_t i = 0; i < set->n; i++)
		for (int b = 0; b < 2; b++) {
			const struct ind_acc *acc = b ? &t.b[i] : &t.a[i];
			struct aggr_row *r;
			if (!acc->n && !acc->k && !acc->sum)
				continue;
			r = push(d, AK_IND, f, region, in_sample, set->v[i].code, b ? "b" : "a");
			r->n = sign * acc->n;
			r->first = sign * acc->k;
			r->sum = sign * acc->sum;
		}
	ind_tally_free(&t);
}

void aggr_delta(struct aggr_delta *d, const struct form *f, const char *region, int in_sample,
                const struct answers *eff, const struct indset *set, int sign)
{
	push(d, AK_FIELD, f, region, in_sample, "", "")->n = sign;   /* the response itself */
	field_rows(d, f, region, in_sample, eff, sign);
	/* The indicators count responses that have answers (a submitted
	 * response always has some; the pages have always read them joined
	 * with their answers). */
	int any = 0;
	for (size_t i = 0; i < eff->n && !any; i++)
		any = eff->v[i] != NULL;
	if (set && any)
		ind_rows(d, f, region, in_sample, eff, set, sign);
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct aggr_row *a = pa, *b = pb;
	int c;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	/* agg_ind has no form column: its rows of different forms are one. */
	if (a->kind != AK_IND && (c = strcmp(a->form, b->form)))
		return c;
	if ((c = strcmp(a->region, b->region)))
		return c;
	if (a->in_sample != b->in_sample)
		return a->in_sample - b->in_sample;
	if ((c = strcmp(a->code, b->code)))
		return c;
	if ((c = strcmp(a->opt, b->opt)))
		return c;
	return a->value < b->value ? -1 : a->value > b->value;
}

void aggr_delta_compact(struct aggr_delta *d)
{
	size_t out = 0;
	if (!d->n)
		return;
	qsort(d->v, d->n, sizeof *d->v, row_cmp);
	for (size_t i = 0; i < d->n; i++) {
		if (out && row_cmp(&d->v[out - 1], &d->v[i]) == 0) {
			struct aggr_row *r = &d->v[out - 1];
			r->n += d->v[i].n;
			r->first += d->v[i].first;
			r->rsum += d->v[i].rsum;
			r->sum += d->v[i].sum;
		} else {
			d->v[out++] = d->v[i];
		}
	}
	/* Rows that came to nothing are dropped. */
	d->n = 0;
	for (size_t i = 0; i < out; i++)
		if (d->v[i].n || d->v[i].first || d->v[i].rsum || d->v[i].sum)
			d->v[d->n++] = d->v[i];
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static void i128_text(char *out, size_t n, i128 v)
{
	char digits[48];
	size_t k = 0, j = 0;
	__extension__ unsigned __int128 u = v < 0 ? (unsigned __int128)(-(v + 1)) + 1 : (unsigned __int128)v;
	do {
		digits[k++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u && k < sizeof digits);
	if (n < k + 2)
		return;
	if (v < 0)
		out[j++] = '-';
	while (k)
		out[j++] = digits[--k];
	out[j] = 0;
}

#define BATCH 8
/* Text of the numbers of one batch (the statements bind strings). */
struct numtext { char s[4][48]; };

/* A column of a row as the ADD statements bind it (C_END ends a list). */
enum col { C_END, C_FORM, C_REGION, C_IN_SAMPLE, C_CODE, C_OPT, C_N, C_FIRST, C_RSUM, C_SUM, C_VALUE };

/* Each kind's ADD statements (one row, BATCH rows) and the columns each
 * row binds, in the statements' order (core/stmts.c). */
static const struct add_stmt {
	enum stmt one, eight;
	unsigned char cols[9];
} add_stmts[] = {
	[AK_FIELD] = { STMT_AGGR_FIELDS_ADD_1, STMT_AGGR_FIELDS_ADD_8,
	               { C_FORM, C_REGION, C_IN_SAMPLE, C_CODE, C_OPT, C_N, C_FIRST, C_RSUM, C_SUM } },
	[AK_VALUE] = { STMT_AGGR_VALUES_ADD_1, STMT_AGGR_VALUES_ADD_8,
	               { C_FORM, C_REGION, C_IN_SAMPLE, C_CODE, C_VALUE, C_N } },
	[AK_IND]   = { STMT_AGGR_IND_ADD_1, STMT_AGGR_IND_ADD_8,
	               { C_REGION, C_IN_SAMPLE, C_CODE, C_OPT, C_N, C_FIRST, C_SUM } },
};

/* Column c of row r; the row's numbers as text are in nt. */
static struct dbarg col_arg(const struct aggr_row *r, enum col c, const struct numtext *nt)
{
	switch (c) {
	case C_FORM:      return A_STR(r->form);
	case C_REGION:    return A_STR(r->region);
	case C_IN_SAMPLE: return A_INT(r->in_sample);
	case C_CODE:      return A_STR(r->code);
	case C_OPT:       return A_STR(r->opt);
	case C_N:         return A_INT(r->n);
	case C_FIRST:     return A_INT(r->first);
	case C_RSUM:      return A_INT(r->rsum);
	case C_SUM:       return A_STR(nt->s[0]);
	case C_VALUE:     return A_STR(nt->s[1]);
	case C_END:       break;
	}
	return A_NULL;
}

/* Adds rows[0..k) (one kind; k is 1 or BATCH) with one statement. */
static int write_batch(struct db *db, const struct aggr_row *rows, size_t k)
{
	const struct add_stmt *st = &add_stmts[rows[0].kind];
	struct dbarg args[9 * BATCH];
	struct numtext nt[BATCH];
	size_t a = 0;
	for (size_t i = 0; i < k; i++) {
		i128_text(nt[i].s[0], sizeof nt[i].s[0], rows[i].sum);
		i128_text(nt[i].s[1], sizeof nt[i].s[1], rows[i].value);
		for (size_t c = 0; c < sizeof st->cols && st->cols[c] != C_END; c++)
			args[a++] = col_arg(&rows[i], (enum col)st->cols[c], &nt[i]);
	}
	return db_exec(db, k == BATCH ? st->eight : st->one, args, a, NULL, NULL);
}

/* Adds every row of d (compacted) to the tables; values that dropped to
 * nobody are pruned. */
static int apply(struct db *db, const struct aggr_delta *d)
{
	size_t i = 0;
	int prune = 0;
	while (i < d->n) {
		size_t k = 1;
		while (i + k < d->n && k < BATCH && d->v[i + k].kind == d->v[i].kind)
			k++;
		if (k < BATCH)
			k = 1;   /* the rest of a kind one by one: two statements per table */
		if (write_batch(db, &d->v[i], k) < 0)
			return -1;
		for (size_t j = i; j < i + k; j++)
			prune |= d->v[j].kind == AK_VALUE && d->v[j].n < 0;
		i += k;
	}
	for (i = 0; prune && i < d->n; i++)
		if (d->v[i].kind == AK_VALUE && d->v[i].n < 0 &&
		    (i == 0 || d->v[i - 1].kind != AK_VALUE || strcmp(d->v[i - 1].form, d->v[i].form) ||
		     strcmp(d->v[i - 1].region, d->v[i].region)) &&
		    db_exec(db, STMT_AGGR_VALUES_PRUNE, DB_ARGS(A_STR(d->v[i].form), A_STR(d->v[i].region)),
		            NULL, NULL) < 0)
			return -1;
	/* The minimum and maximum of each key whose values moved. */
	for (i = 0; i < d->n; i++)
		if (d->v[i].kind == AK_VALUE &&
		    (i == 0 || d->v[i - 1].kind != AK_VALUE || strcmp(d->v[i - 1].form, d->v[i].form) ||
		     strcmp(d->v[i - 1].region, d->v[i].region) || d->v[i - 1].in_sample != d->v[i].in_sample) &&
		    db_exec(db, STMT_AGGR_FIELDS_MINMAX,
		            DB_ARGS(A_STR(d->v[i].form), A_STR(d->v[i].region), A_INT(d->v[i].in_sample)),
		            NULL, NULL) < 0)
			return -1;
	return 0;
}

static const struct indset *indicator_set(void)
{
	char err[256];
	if (!indicators() && indicators_load(err, sizeof err) < 0)
		log_err("aggregates: indicators do not parse: %s", err);
	return indicators();
}

int aggr_sync(struct db *db, unsigned long long id)
{
	return aggr_sync_answers(db, id, NULL);
}

int aggr_sync_answers(struct db *db, unsigned long long id, const struct answers *stored)
{
	struct dbrows *old = NULL, *cur = NULL;
	const struct form *f = NULL;
	struct answers a;
	struct aggr_delta d;
	int rc = -1;

	aggr_delta_init(&d);
	memset(&a, 0, sizeof a);
	if (db_query(db, STMT_AGGR_COUNTED_GET, DB_ARGS(A_INT(id)), &old) < 0 ||
	    db_query(db, STMT_AGGR_RESPONSE_KEY, DB_ARGS(A_INT(id)), &cur) < 0)
		goto done;
	rc = 0;
	if (!old->nrows && !cur->nrows)
		goto done;
	if (old->nrows && cur->nrows && !strcmp(dbrows_get(old, 0, 0), dbrows_get(cur, 0, 0)) &&
	    !strcmp(dbrows_get(old, 0, 1), dbrows_get(cur, 0, 1)) &&
	    dbrows_int(old, 0, 2) == dbrows_int(cur, 0, 2))
		goto done;   /* counted as it is */
	rc = -1;
	f = form_get(dbrows_get(cur->nrows ? cur : old, 0, 0));
	if (!f) {
		log_err("aggregates: response %llu has an unknown form", id);
		goto done;
	}
	answers_free(&a);
	if (stored && stored->n == f->nfields) {
		/* The answers just written: their effective ones, as a load gives. */
		answers_init(&a, f);
		for (size_t i = 0; i < f->nfields; i++)
			answers_set(&a, i, stored->v[i]);
		form_drop_inapplicable(f, &a);
	} else if (response_load_answers(db, f, id, &a) < 0) {   /* effective answers */
		goto done;
	}
	if (old->nrows)
		aggr_delta(&d, f, dbrows_get(old, 0, 1), (int)dbrows_int(old, 0, 2), &a, indicator_set(), -1);
	if (cur->nrows)
		aggr_delta(&d, f, dbrows_get(cur, 0, 1), (int)dbrows_int(cur, 0, 2), &a, indicator_set(), 1);
	aggr_delta_compact(&d);
	if (apply(db, &d) < 0 ||
	    (old->nrows && db_exec(db, STMT_AGGR_COUNTED_DELETE, DB_ARGS(A_INT(id)), NULL, NULL) < 0) ||
	    (cur->nrows && db_exec(db, STMT_AGGR_COUNTED_INSERT,
	                           DB_ARGS(A_INT(id), A_STR(f->name), A_STR(dbrows_get(cur, 0, 1)),
	                                   A_INT(dbrows_int(cur, 0, 2))), NULL, NULL) < 0))
		goto done;
	rc = 0;
done:
	answers_free(&a);
	aggr_delta_free(&d);
	dbrows_free(old);
	dbrows_free(cur);
	return rc;
}

int aggr_sync_ids(struct db *db, const struct dbrows *ids)
{
	for (size_t i = 0; i < ids->nrows; i++)
		if (aggr_sync(db, (unsigned long long)dbrows_int(ids, i, 0)) < 0)
			return -1;
	return 0;
}

int aggr_sync_units(struct db *db, enum stmt q, const char *id)
{
	struct dbrows *ids;
	int rc;
	if (db_query(db, q, DB_ARGS(A_STR(id)), &ids) < 0)
		return -1;
	rc = aggr_sync_ids(db, ids);
	dbrows_free(ids);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Rebuild                                                             */

#define REBUILD_PAGE 500

/* Counts the responses of one page (rows of STMT_AGGR_REBUILD_RESPONSES)
 * into acc. */
static int rebuild_page(struct db *db, const struct dbrows *page, struct aggr_delta *acc)
{
	struct dbrows *ans;
	size_t j = 0;
	unsigned long long lo = (unsigned long long)dbrows_int(page, 0, 0),
	                   hi = (unsigned long long)dbrows_int(page, page->nrows - 1, 0);

	if (db_query(db, STMT_AGGR_REBUILD_ANSWERS, DB_ARGS(A_INT(lo), A_INT(hi)), &ans) < 0)
		return -1;
	for (size_t i = 0; i < page->nrows; i++) {
		unsigned long long id = (unsigned long long)dbrows_int(page, i, 0);
		const struct form *f = form_get(dbrows_get(page, i, 1));
		struct answers a;
		if (!f) {
			/* A form this build does not know is left uncounted, as before. */
			while (j < ans->nrows && (unsigned long long)dbrows_int(ans, j, 0) <= id)
				j++;
			continue;
		}
		answers_init(&a, f);
		for (; j < ans->nrows && (unsigned long long)dbrows_int(ans, j, 0) <= id; j++) {
			int fi;
			if ((unsigned long long)dbrows_int(ans, j, 0) != id)
				continue;
			fi = form_field_index(f, dbrows_get(ans, j, 1) ? dbrows_get(ans, j, 1) : "");
			if (fi >= 0)
				answers_set(&a, (size_t)fi, dbrows_get(ans, j, 2));
		}
		form_drop_inapplicable(f, &a);
		aggr_delta(acc, f, dbrows_get(page, i, 2), (int)dbrows_int(page, i, 3), &a, indicator_set(), 1);
		answers_free(&a);
		if (db_exec(db, STMT_AGGR_COUNTED_INSERT,
		            DB_ARGS(A_INT(id), A_STR(f->name), A_STR(dbrows_get(page, i, 2)),
		                    A_INT(dbrows_int(page, i, 3))), NULL, NULL) < 0) {
			dbrows_free(ans);
			return -1;
		}
	}
	dbrows_free(ans);
	aggr_delta_compact(acc);
	return 0;
}

/* Bump when aggr_delta() counts differently, so that stored tallies of
 * the old way are rebuilt like those of an old codebook. */
#define AGGR_FORMAT "aggr-2"   /* 2: ratio/growth of sums paired (issue 23 item 4) */

void aggr_definitions(char hex[65])
{
	extern const char indicators_tsv[];
	struct buf b;
	unsigned char md[32];

	/* Every input of aggr_delta() that is data: the codebook files, the
	 * form catalog (which form a role fills) and the indicator formulas. */
	buf_init(&b);
	buf_puts(&b, AGGR_FORMAT);
	for (size_t i = 0; i < codebook_nfiles; i++) {
		buf_printf(&b, "\n--%s\n", codebook_files[i].name);
		buf_puts(&b, codebook_files[i].tsv);
	}
	buf_puts(&b, "\n--catalog\n");
	buf_puts(&b, form_catalog_tsv);
	buf_puts(&b, "\n--indicators\n");
	buf_puts(&b, indicators_tsv);
	sha256(b.data ? b.data : "", b.len, md);
	buf_free(&b);
	for (size_t i = 0; i < sizeof md; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

int aggr_stale(struct db *db)
{
	char want[65], *have = NULL;
	int stale;

	if (db_query_str(db, STMT_AGGR_META_GET, DB_NOARGS, &have) < 0)
		return -1;
	aggr_definitions(want);
	stale = !have || strcmp(have, want) != 0;
	free(have);
	return stale;
}

int aggr_rebuild(struct db *db, long long *counted)
{
	static const enum stmt clear[] = {
		STMT_AGGR_CLEAR_PROGRESS, STMT_AGGR_CLEAR_QUOTA, STMT_AGGR_CLEAR_COUNTED,
		STMT_AGGR_CLEAR_FIELDS, STMT_AGGR_CLEAR_VALUES, STMT_AGGR_CLEAR_IND,
		STMT_AGGR_REBUILD_PROGRESS, STMT_AGGR_REBUILD_QUOTA,
		STMT_AGGR_CLEAR_ACCOUNTS, STMT_AGGR_CLEAR_SAMPLE_UNITS,
		STMT_AGGR_REBUILD_ACCOUNTS, STMT_AGGR_REBUILD_SAMPLE_UNITS,
	};
	struct aggr_delta acc;
	unsigned long long last = 0;
	int rc = -1;

	*counted = 0;
	for (size_t i = 0; i < NELEMS(clear); i++)
		if (db_exec(db, clear[i], DB_NOARGS, NULL, NULL) < 0)
			return -1;
	aggr_delta_init(&acc);
	for (;;) {
		struct dbrows *page;
		if (db_query(db, STMT_AGGR_REBUILD_RESPONSES, DB_ARGS(A_INT(last), A_INT(REBUILD_PAGE)), &page) < 0)
			goto done;
		if (!page->nrows) {
			dbrows_free(page);
			break;
		}
		if (rebuild_page(db, page, &acc) < 0) {
			dbrows_free(page);
			goto done;
		}
		*counted += (long long)page->nrows;
		last = (unsigned long long)dbrows_int(page, page->nrows - 1, 0);
		dbrows_free(page);
	}
	if ((rc = apply(db, &acc)) == 0) {
		char defs[65];
		aggr_definitions(defs);
		rc = db_exec(db, STMT_AGGR_META_SET, DB_ARGS(A_STR(defs)), NULL, NULL) < 0 ? -1 : 0;
	}
done:
	aggr_delta_free(&acc);
	return rc;
}

/* The reopened response leaves the aggregates in the same transaction. */
static int reopen_body(struct db *db, void *ctx, int attempt)
{
	unsigned long long id = *(unsigned long long *)ctx;
	(void)attempt;
	return response_reopen(db, id) < 0 || aggr_sync(db, id) < 0 ? -1 : 0;
}

int aggr_response_reopen(struct db *db, unsigned long long response_id)
{
	return db_transaction(db, reopen_body, &response_id);
}
