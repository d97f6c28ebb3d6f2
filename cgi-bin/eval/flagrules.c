/*
 * flagrules.c - the integrity rules' table (flags/rules.tsv), parsed and
 * checked at start-up; rating grids of a form. See flags.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"
#include "util.h"

/* What each rule code takes: its parameters, their defaults and ranges. */
static const struct {
	const char *code;
	struct { const char *name; double min, max; } p[FLAG_PARAMS_MAX];
} kinds[FK__MAX] = {
	[FK_FAST]     = { "fast",     { { "sec_per_field", 0.1, 600 }, { "min_fields", 1, 10000 } } },
	[FK_STRAIGHT] = { "straight", { { "min_items", 5, 1000 } } },
	[FK_NEARDUP]  = { "neardup",  { { "share", 0.5, 1 }, { "min_common", 20, 10000 } } },
	[FK_BURST]    = { "burst",    { { "n", 2, 10000 }, { "window_min", 1, 1440 } } },
	[FK_BROWSER]  = { "browser",  { { "accounts", 2, 1000 } } },
	[FK_CONTACT]  = { "contact",  { { "max_units", 1, 1000 } } },
};

static struct flag_rule *rules;
static size_t nrules;

const struct flag_rule *flag_rule_at(size_t i)
{
	return i < nrules ? &rules[i] : NULL;
}

const struct flag_rule *flag_rule(const char *code)
{
	for (size_t i = 0; i < nrules; i++)
		if (!strcmp(rules[i].code, code))
			return &rules[i];
	return NULL;
}

static int form_bit(const char *name)
{
	for (size_t i = 0; form_at(i); i++)
		if (!strcmp(form_at(i)->name, name))
			return (int)i;
	return -1;
}

int flag_rule_applies(const struct flag_rule *rule, const struct form *f)
{
	int b = form_bit(f->name);
	return b >= 0 && (rule->forms >> b) & 1u;
}

/* "sme,resource" into a mask of form_at() bits. */
static int parse_forms(char *s, unsigned *mask, char *err, size_t errsz, int line)
{
	*mask = 0;
	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		int b = form_bit(tok);
		if (b < 0 || b >= 32) {
			seterr(err, errsz, "rules.tsv line %d: unknown form '%s'", line, tok);
			return -1;
		}
		*mask |= 1u << b;
	}
	if (!*mask) {
		seterr(err, errsz, "rules.tsv line %d: no form", line);
		return -1;
	}
	return 0;
}

/* "a=1;b=2" into r->p in the kind's order; every parameter is required. */
static int parse_params(char *s, struct flag_rule *r, char *err, size_t errsz, int line)
{
	int seen[FLAG_PARAMS_MAX] = { 0 };
	for (char *tok = strtok(s, ";"); tok; tok = strtok(NULL, ";")) {
		char *eq = strchr(tok, '='), *end;
		int k = -1;
		if (eq)
			*eq = '\0';
		for (int i = 0; i < FLAG_PARAMS_MAX && eq; i++)
			if (kinds[r->kind].p[i].name && !strcmp(kinds[r->kind].p[i].name, tok))
				k = i;
		double v = eq ? strtod(eq + 1, &end) : 0;
		if (k < 0 || end == eq + 1 || *end || v < kinds[r->kind].p[k].min || v > kinds[r->kind].p[k].max) {
			seterr(err, errsz, "rules.tsv line %d: bad parameter '%s'", line, tok);
			return -1;
		}
		r->p[k] = v;
		seen[k] = 1;
	}
	for (int i = 0; i < FLAG_PARAMS_MAX; i++)
		if (kinds[r->kind].p[i].name && !seen[i]) {
			seterr(err, errsz, "rules.tsv line %d: parameter %s missing", line, kinds[r->kind].p[i].name);
			return -1;
		}
	return 0;
}

/* A straight-lining rule needs a rating grid on each of its forms. */
static int check_grids(const struct flag_rule *r, char *err, size_t errsz, int line)
{
	size_t first, len;
	for (size_t i = 0; r->kind == FK_STRAIGHT && form_at(i); i++)
		if ((r->forms >> i) & 1u && flag_grids(form_at(i), (size_t)r->p[0], &first, &len, 1) == 0) {
			seterr(err, errsz, "rules.tsv line %d: form %s has no rating grid of %g items",
			       line, form_at(i)->name, r->p[0]);
			return -1;
		}
	return 0;
}

static int parse_line(char *line, struct flag_rule *r, char *err, size_t errsz, int n)
{
	char *col[4];
	size_t k = 0;
	for (char *p = line; k < 4; k++) {
		col[k] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (k != 3 || strchr(col[3], '\t')) {
		seterr(err, errsz, "rules.tsv line %d: want 4 columns", n);
		return -1;
	}
	r->kind = FK__MAX;
	for (int i = 0; i < FK__MAX; i++)
		if (!strcmp(kinds[i].code, col[0]))
			r->kind = (enum flag_kind)i;
	if (r->kind == FK__MAX || flag_rule(col[0])) {
		seterr(err, errsz, "rules.tsv line %d: unknown or repeated rule '%s'", n, col[0]);
		return -1;
	}
	if (!*col[1] || !utf8_valid(col[1], strlen(col[1]))) {
		seterr(err, errsz, "rules.tsv line %d: no label", n);
		return -1;
	}
	r->code = kinds[r->kind].code;
	r->label = xstrdup(col[1]);
	if (parse_forms(col[2], &r->forms, err, errsz, n) < 0 || parse_params(col[3], r, err, errsz, n) < 0)
		return -1;
	return check_grids(r, err, errsz, n);
}

int flag_rules_parse(const char *tsv, char *err, size_t errsz)
{
	char *copy = xstrdup(tsv), *save = NULL;
	int n = 0, rc = 0;
	for (size_t i = 0; i < nrules; i++)
		free(rules[i].label);
	free(rules);
	rules = NULL;
	nrules = 0;
	for (char *line = strtok_r(copy, "\n", &save); line && rc == 0; line = strtok_r(NULL, "\n", &save)) {
		if (++n == 1)
			continue;                  /* the heading row */
		rules = xrealloc(rules, (nrules + 1) * sizeof *rules);
		memset(&rules[nrules], 0, sizeof rules[nrules]);
		rc = parse_line(line, &rules[nrules], err, errsz, n);
		nrules++;
	}
	free(copy);
	return rc;
}

int flag_rules_load(char *err, size_t errsz)
{
	extern const char flag_rules_tsv[];
	return nrules ? 0 : flag_rules_parse(flag_rules_tsv, err, errsz);
}

/* The column of a grid label "row / column", or NULL. */
static const char *grid_column(const struct field *fd)
{
	const char *s = fd->type == FT_SINGLE ? strstr(fd->label, " / ") : NULL;
	return s ? s + 3 : NULL;
}

static int same_options(const struct field *a, const struct field *b)
{
	if (a->nopts != b->nopts)
		return 0;
	for (size_t i = 0; i < a->nopts; i++)
		if (strcmp(a->opts[i].code, b->opts[i].code))
			return 0;
	return 1;
}

size_t flag_grids(const struct form *f, size_t min_items, size_t *first, size_t *len, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < f->nfields && n < max; i++) {
		const char *col = grid_column(&f->fields[i]);
		size_t items = 1, j = i + 1;
		if (!col)
			continue;
		/* Other columns of the grid (a name per row) may sit between. */
		for (; j < f->nfields; j++) {
			const char *c2 = strstr(f->fields[j].label, " / ");
			if (!c2)
				break;
			if (grid_column(&f->fields[j]) && !strcmp(grid_column(&f->fields[j]), col) &&
			    same_options(&f->fields[i], &f->fields[j]))
				items++;
		}
		if (items >= min_items) {
			first[n] = i;
			len[n++] = j - i;
		}
		i = j - 1;
	}
	return n;
}

int flag_straight(const struct form *f, const struct answers *a, size_t first, size_t len, size_t min)
{
	const char *col = grid_column(&f->fields[first]), *v0 = NULL;
	size_t answered = 0;
	for (size_t i = first; i < first + len; i++) {
		const char *c = grid_column(&f->fields[i]), *v = a->v[i];
		if (!c || strcmp(c, col) || !v || !*v)
			continue;
		if (v0 && strcmp(v, v0))
			return 0;
		v0 = v;
		answered++;
	}
	return answered >= min;
}
