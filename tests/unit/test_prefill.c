/*
 * test_prefill.c - the prefill mapping (forms/prefill/prefill.tsv) parses
 * against the codebook, bad rows are refused with their line, and facts
 * fill only empty values (first non-empty alternative wins).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "prefill.h"
#include "tap.h"

extern const char prefill_tsv[];
#define HEAD "form\tfield\tsource\n"

static void refused(const char *tsv, const char *want, const char *name)
{
	struct prefill_set s;
	char err[256] = "";
	is_int(prefill_parse(&s, tsv, err, sizeof err), -1, name);
	if (!strstr(err, want))
		diag(err);
	ok(strstr(err, want) != NULL, "... with its reason");
}

static void test_project_file(void)
{
	struct prefill_set s;
	char err[256] = "";
	int forms = 0;
	is_int(prefill_parse(&s, prefill_tsv, err, sizeof err), 0, "prefill.tsv parses against the codebook");
	if (*err)
		diag(err);
	for (size_t k = 0; k < s.n; k++)
		forms |= !strcmp(s.v[k].f->name, "sme") << 0 | !strcmp(s.v[k].f->name, "resource") << 1 |
		         !strcmp(s.v[k].f->name, "hub") << 2 | !strcmp(s.v[k].f->name, "window") << 3;
	is_int(forms, 15, "sme, resource, hub and window forms are prefilled");
	prefill_set_free(&s);
}

static void test_refused(void)
{
	refused("form\tcode\tsource\n", "line 1", "a wrong header");
	refused(HEAD "nosuch\tq1_name\tunit.name\n", "line 2: unknown form", "an unknown form");
	refused(HEAD "sme\tnosuch\tunit.name\n", "unknown field", "an unknown field");
	refused(HEAD "sme\tq1_name\tunit.nosuch\n", "unknown source", "an unknown source");
	refused(HEAD "sme\tq1_name\tunit.name|\n", "unknown source", "an empty alternative");
	refused(HEAD "sme\tq1_staff\tunit.name\n", "no free text", "a number field");
	refused(HEAD "sme\tq1_name\tunit.name\n\nsme\tq1_name\taccount.org_name\n", "line 4: field named twice",
	        "a field named twice");
	refused(HEAD "sme\tq1_name\n", "3 columns", "a missing column");
}

static void test_apply(void)
{
	const struct form *f = form_get("sme");
	struct prefill_set s;
	struct answers a;
	char err[256] = "";
	const char *facts[FACT__MAX] = { 0 };

	ok(prefill_parse(&s, HEAD "sme\tq1_name\tunit.name|account.org_name\nsme\tq1_contact\tunit.contact\n"
	                 "sme\tq1_tel\tunit.phone\nhub\torg_name\taccount.org_name\n", err, sizeof err) == 0,
	   "a small mapping parses");
	answers_init(&a, f);
	answers_set(&a, (size_t)form_field_index(f, "q1_contact"), "已填的人");
	facts[FACT_ACCOUNT_ORG_NAME] = "账户单位";
	facts[FACT_UNIT_NAME] = "";
	facts[FACT_UNIT_CONTACT] = "张三";
	facts[FACT_UNIT_PHONE] = "010-12345678";
	is_int(prefill_apply(&s, f, facts, &a), 2, "two empty fields filled");
	is_str(answers_get(&a, f, "q1_name"), "账户单位", "an empty unit name falls back to the account's");
	is_str(answers_get(&a, f, "q1_contact"), "已填的人", "a value already there is kept");
	is_str(answers_get(&a, f, "q1_tel"), "010-12345678", "the phone is filled");
	facts[FACT_ACCOUNT_ORG_NAME] = NULL;
	answers_free(&a);
	answers_init(&a, f);
	is_int(prefill_apply(&s, f, facts, &a), 2, "unknown (NULL) and empty facts fill nothing: only the 2 known ones");
	ok(answers_get(&a, f, "q1_name") == NULL || !*answers_get(&a, f, "q1_name"), "... no name then");
	answers_free(&a);
	prefill_set_free(&s);
}

int main(void)
{
	char err[256];
	if (forms_load(err, sizeof err) < 0) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	test_project_file();
	test_refused();
	test_apply();
	forms_free();
	return done_testing();
}
