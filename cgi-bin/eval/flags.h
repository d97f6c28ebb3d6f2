/*
 * flags.h - the integrity rules (issue 20, item 2): flags on submitted
 * responses that look filled in on the respondents' behalf.
 *
 * The rules are data, cgi-bin/eval/flags/rules.tsv (code, Chinese label,
 * the forms it applies to, parameters "name=value;..."), embedded and
 * parsed at start-up: an unknown rule code, form or parameter, a value out
 * of range, a straight-lining rule on a form without a rating grid stops
 * the program (like the codebook and the indicators). What each code
 * checks is in C (flags.c) and README; the TSV says where and how strictly.
 *
 * Flags are kept in table `flags` (sql/031_flags.sql) and maintained like
 * the aggregates: flags_on_submit() runs in the submit's transaction, and
 * `smesurvey-admin rebuild-flags` runs the same function over every
 * submitted response in submit order.
 */
#ifndef SME_FLAGS_H
#define SME_FLAGS_H

#include <stddef.h>
#include "form.h"

struct db;

enum flag_kind { FK_FAST, FK_STRAIGHT, FK_NEARDUP, FK_BURST, FK_BROWSER, FK_CONTACT, FK__MAX };

#define FLAG_PARAMS_MAX 2

struct flag_rule {
	enum flag_kind kind;
	const char    *code;           /* the kind's code, as in the TSV */
	char          *label;          /* Chinese */
	unsigned       forms;          /* bit i: form_at(i) */
	double         p[FLAG_PARAMS_MAX];   /* parameters in the kind's order */
};

/* Parses the embedded rules (forms_load() first). 0, or -1 with err. */
int  flag_rules_load(char *err, size_t errsz);
/* Parses tsv into the rule table (the unit tests feed their own). */
int  flag_rules_parse(const char *tsv, char *err, size_t errsz);
/* The rule of a code, NULL when none; the rules in TSV order. */
const struct flag_rule *flag_rule(const char *code);
const struct flag_rule *flag_rule_at(size_t i);
/* Does rule apply to form f? */
int  flag_rule_applies(const struct flag_rule *rule, const struct form *f);

/* A rating grid: >= min items (single choice, the same options) whose
 * labels share the column after " / " ("1 / 满意度评价", "2 / 满意度评价"...).
 * Writes up to max grids' first field index and length; returns the count. */
size_t flag_grids(const struct form *f, size_t min_items, size_t *first, size_t *len, size_t max);
/* Are all answered items of the grid at first..first+len-1 the same option,
 * with at least min items answered? */
int  flag_straight(const struct form *f, const struct answers *a, size_t first, size_t len, size_t min);

/* Computes the flags of submitted response rid (form f, region, its
 * effective answers) and adds the symmetric flags to the others involved.
 * Inside the caller's transaction; 0 or -1. */
int  flags_on_submit(struct db *db, const struct form *f, unsigned long long rid,
                     const char *region, const struct answers *eff);
/* Recomputes every flag (smesurvey-admin rebuild-flags), one transaction;
 * *n = responses checked. 0 or -1. */
int  flags_rebuild(struct db *db, long long *n);

#endif
