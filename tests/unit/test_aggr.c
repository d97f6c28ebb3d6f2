/*
 * test_aggr.c - the one function that turns a response's effective answers
 * into aggregate deltas (eval/aggr.h): what one SME response adds (the
 * response itself, answered counts, options, rank positions, numeric sums
 * and values, the indicators' accumulators), that taking it out again
 * cancels exactly, that responses under the same key merge, and that the
 * caller's effective answers (form_drop_inapplicable) decide what counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggr.h"
#include "form.h"
#include "indicators.h"
#include "indview.h"
#include "tap.h"

static const struct aggr_row *find(const struct aggr_delta *d, enum aggr_kind k, const char *code,
                                   const char *opt)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].kind == k && !strcmp(d->v[i].code, code) && !strcmp(d->v[i].opt, opt))
			return &d->v[i];
	return NULL;
}

static void sme_answers(const struct form *f, struct answers *a, const char *aware)
{
	answers_init(a, f);
	answers_set(a, (size_t)form_field_index(f, "q1_staff"), "12");
	answers_set(a, (size_t)form_field_index(f, "q2_aware"), aware);
	answers_set(a, (size_t)form_field_index(f, "q2_channel"), "2,6");
	answers_set(a, (size_t)form_field_index(f, "q4_rank"), "3,1");
	answers_set(a, (size_t)form_field_index(f, "q11_free"), "1");
}

static void test_one_response(const struct form *f, const struct indset *set)
{
	struct answers a;
	struct aggr_delta d;
	const struct aggr_row *r;

	sme_answers(f, &a, "1");
	aggr_delta_init(&d);
	aggr_delta(&d, f, "110000", 1, &a, set, 1);
	aggr_delta_compact(&d);
	r = find(&d, AK_FIELD, "", "");
	ok(r && r->n == 1 && !strcmp(r->form, "sme") && !strcmp(r->region, "110000") && r->in_sample == 1,
	   "the response itself: n 1 under its form, region and in_sample");
	r = find(&d, AK_FIELD, "q2_aware", "");
	ok(r && r->n == 1, "single: answered 1");
	ok((r = find(&d, AK_FIELD, "q2_aware", "1")) && r->n == 1, "single: the chosen option 1");
	ok(!find(&d, AK_FIELD, "q2_aware", "2"), "single: no row for an option not chosen");
	ok(find(&d, AK_FIELD, "q2_channel", "2") && find(&d, AK_FIELD, "q2_channel", "6") &&
	   !find(&d, AK_FIELD, "q2_channel", "1"), "multi: one row per chosen option");
	r = find(&d, AK_FIELD, "q4_rank", "3");
	ok(r && r->n == 1 && r->first == 1 && r->rsum == 1, "rank: option ranked first (first 1, position 1)");
	r = find(&d, AK_FIELD, "q4_rank", "1");
	ok(r && r->n == 1 && r->first == 0 && r->rsum == 2, "rank: option ranked second (position 2)");
	r = find(&d, AK_FIELD, "q1_staff", "");
	ok(r && r->n == 1 && r->sum == 12 * FNUM_SCALE, "number: answered 1, sum 12 (scaled)");
	r = find(&d, AK_VALUE, "q1_staff", "");
	ok(r && r->n == 1 && r->value == 12 * FNUM_SCALE, "number: its value counted once for min/max");
	r = find(&d, AK_IND, "e2_sme_aware", "a");
	ok(r && r->n == 1 && r->first == 1, "indicator share(sme, q2_aware = 1): n 1, k 1");
	r = find(&d, AK_IND, "e3_free", "a");
	ok(r && r->n == 1 && r->first == 1, "indicator share(sme, q11_free = 1): n 1, k 1");
	ok(!find(&d, AK_IND, "e1_hub_count", "a"), "no rows for another form's indicators");

	/* Out again under the same key: everything cancels. */
	aggr_delta(&d, f, "110000", 1, &a, set, -1);
	aggr_delta_compact(&d);
	is_int(d.n, 0, "a response counted and taken out again leaves nothing");

	/* Moving between keys (e.g. out of the sample): -1 here, +1 there. */
	aggr_delta(&d, f, "110000", 1, &a, set, -1);
	aggr_delta(&d, f, "110000", 0, &a, set, 1);
	aggr_delta_compact(&d);
	{
		int lost = 0, gained = 0;
		for (size_t i = 0; i < d.n; i++) {
			lost |= d.v[i].kind == AK_FIELD && !*d.v[i].code && d.v[i].in_sample == 1 && d.v[i].n == -1;
			gained |= d.v[i].kind == AK_FIELD && !*d.v[i].code && d.v[i].in_sample == 0 && d.v[i].n == 1;
		}
		ok(lost, "moving keys: the sample key loses it ...");
		ok(gained, "... and the other key gains it");
	}
	aggr_delta_free(&d);
	answers_free(&a);
}

static void test_merge_and_effective(const struct form *f, const struct indset *set)
{
	struct answers a, b;
	struct aggr_delta d;
	const struct aggr_row *r;

	sme_answers(f, &a, "1");
	sme_answers(f, &b, "2");
	/* q11_free applies only if q2_aware=1: the effective answers of b
	 * drop it, and so it is not counted. */
	form_drop_inapplicable(f, &b);
	aggr_delta_init(&d);
	aggr_delta(&d, f, "310000", 0, &a, set, 1);
	aggr_delta(&d, f, "310000", 0, &b, set, 1);
	aggr_delta_compact(&d);
	ok((r = find(&d, AK_FIELD, "", "")) && r->n == 2, "two responses under one key merge: n 2");
	ok((r = find(&d, AK_FIELD, "q1_staff", "")) && r->n == 2 && r->sum == 24 * FNUM_SCALE,
	   "number: n 2, sum 24");
	ok((r = find(&d, AK_VALUE, "q1_staff", "")) && r->n == 2, "the same value twice: one row, n 2");
	ok((r = find(&d, AK_FIELD, "q11_free", "")) && r->n == 1, "an inapplicable answer is not counted");
	ok((r = find(&d, AK_IND, "e2_sme_aware", "a")) && r->n == 2 && r->first == 1, "share: n 2, k 1");
	aggr_delta_free(&d);

	/* Without indicators (set NULL) only the field rows. */
	aggr_delta_init(&d);
	aggr_delta(&d, f, "", 0, &a, NULL, 1);
	{
		int ind = 0;
		for (size_t i = 0; i < d.n; i++)
			ind |= d.v[i].kind == AK_IND;
		ok(!ind && d.n > 0, "no indicator set: field rows only");
	}
	aggr_delta_free(&d);
	answers_free(&a);
	answers_free(&b);
}

int main(void)
{
	char err[256] = "";
	const struct form *f;
	if (forms_load(err, sizeof err) < 0 || indicators_load(err, sizeof err) < 0) {
		printf("1..0 # SKIP codebook: %s\n", err);
		return 1;
	}
	f = form_get("sme");
	test_one_response(f, indicators());
	test_merge_and_effective(f, indicators());
	forms_free();
	return done_testing();
}
