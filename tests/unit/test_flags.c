/*
 * test_flags.c - the integrity rules' table is checked at start-up
 * (issue 20, item 2), and rating grids and straight-lining are found from
 * the codebook.
 */
#include "flags.h"
#include "form.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

#define HEAD "code\tlabel\tforms\tparams\n"

static int parses(const char *tsv, const char *want_err)
{
	char err[256] = "";
	int rc = flag_rules_parse(tsv, err, sizeof err);
	if (want_err)
		return rc < 0 && strstr(err, want_err) != NULL;
	return rc == 0;
}

int main(void)
{
	char err[256];
	ok(forms_load(err, sizeof err) == 0, "codebook loads");
	ok(flag_rules_load(err, sizeof err) == 0, "the shipped rules.tsv parses");
	ok(flag_rule("fast") && flag_rule("straight") && flag_rule("neardup") && flag_rule("burst") &&
	   flag_rule("browser") && flag_rule("contact"), "... with all six rules");
	ok(flag_rule_applies(flag_rule("fast"), form_get("sme")), "fast applies to the SME form");
	ok(!flag_rule_applies(flag_rule("straight"), form_get("sme")), "straight does not (no grid there)");

	ok(parses(HEAD "slow\tx\tsme\tn=1\n", "unknown or repeated rule"), "an unknown rule code stops");
	ok(parses(HEAD "fast\tx\tsme,nosuch\tsec_per_field=4;min_fields=10\n", "unknown form"), "an unknown form stops");
	ok(parses(HEAD "fast\tx\tsme\tsec_per_field=4;colour=2\n", "bad parameter"), "an unknown parameter stops");
	ok(parses(HEAD "fast\tx\tsme\tsec_per_field=4\n", "min_fields missing"), "a missing parameter stops");
	ok(parses(HEAD "neardup\tx\tsme\tshare=0.9;min_common=5\n", "bad parameter"),
	   "fewer than 20 fields in common is out of range");
	ok(parses(HEAD "straight\tx\tsme\tmin_items=5\n", "no rating grid"), "straight-lining on a form without a grid stops");
	ok(parses(HEAD "fast\t\tsme\tsec_per_field=4;min_fields=10\n", "no label"), "a rule without label stops");
	ok(parses(HEAD "burst\t集中\tsme\tn=8;window_min=60\nburst\t又\tsme\tn=8;window_min=60\n", "repeated"),
	   "a rule twice stops");

	const struct form *res = form_get("resource");
	size_t first[4], len[4];
	is_int(flag_grids(res, 5, first, len, 4), 1, "the resource form has one rating grid");
	is_str(res->fields[first[0]].code, "q18_1_sat", "... starting at q18_1_sat");
	struct answers a;
	answers_init(&a, res);
	for (int i = 1; i <= 10; i++) {
		char code[32];
		snprintf(code, sizeof code, "q18_%d_sat", i);
		answers_set(&a, (size_t)form_field_index(res, code), i <= 6 ? "3" : NULL);
	}
	ok(flag_straight(res, &a, first[0], len[0], 5), "6 items all 满意: straight-lining");
	answers_set(&a, (size_t)form_field_index(res, "q18_2_sat"), "2");
	ok(!flag_straight(res, &a, first[0], len[0], 5), "one item different: not");
	answers_set(&a, (size_t)form_field_index(res, "q18_2_sat"), NULL);
	answers_set(&a, (size_t)form_field_index(res, "q18_3_sat"), NULL);
	ok(!flag_straight(res, &a, first[0], len[0], 5), "only 4 answered: not");
	answers_free(&a);
	return done_testing();
}
