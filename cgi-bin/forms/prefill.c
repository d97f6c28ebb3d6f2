/*
 * prefill.c - known facts fill the matching empty fields of a draft (see
 * prefill.h). The mapping is data (prefill/prefill.tsv); this file only
 * knows the facts the database can give.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "form.h"
#include "prefill.h"
#include "util.h"

extern const char prefill_tsv[];   /* prefill/prefill.tsv (Makefile, embed.sh) */

static const char *const fact_names[FACT__MAX] = {
	[FACT_ACCOUNT_ORG_NAME] = "account.org_name",
	[FACT_UNIT_NAME]        = "unit.name",
	[FACT_UNIT_CONTACT]     = "unit.contact",
	[FACT_UNIT_PHONE]       = "unit.phone",
	[FACT_UNIT_EMAIL]       = "unit.email",
	[FACT_UNIT_ADDRESS]     = "unit.address",
	[FACT_UNIT_ZIP]         = "unit.zip",
};

static struct prefill_set SET;

static int fact_parse(const char *s, size_t n, enum fact *out)
{
	for (int k = 0; k < FACT__MAX; k++)
		if (strlen(fact_names[k]) == n && !memcmp(fact_names[k], s, n)) {
			*out = (enum fact)k;
			return 0;
		}
	return -1;
}

/* Facts are free text: a field that takes options, numbers or a file
 * cannot take one. */
static int takes_text(enum ftype t)
{
	return t == FT_TEXT || t == FT_ORG_NAME || t == FT_EMAIL || t == FT_PHONE ||
	       t == FT_ZIP || t == FT_TEXTAREA;
}

/* One data line "form\tfield\tsource" into rl; NULL or the reason. */
static const char *parse_line(const struct prefill_set *s, char *line, struct prefill_rule *rl)
{
	char *form = line, *field, *src, *tab;

	if (!(tab = strchr(form, '\t')))
		return "expected 3 columns: form, field, source";
	*tab = 0;
	field = tab + 1;
	if (!(tab = strchr(field, '\t')))
		return "expected 3 columns: form, field, source";
	*tab = 0;
	src = tab + 1;
	if (strchr(src, '\t'))
		return "expected 3 columns: form, field, source";
	if (!(rl->f = form_get(form)))
		return "unknown form";
	if ((rl->field = form_field_index(rl->f, field)) < 0)
		return "unknown field";
	if (!takes_text(rl->f->fields[rl->field].type))
		return "the field takes no free text";
	for (size_t k = 0; k < s->n; k++)
		if (s->v[k].f == rl->f && s->v[k].field == rl->field)
			return "field named twice";
	rl->nsrc = 0;
	for (const char *p = src;;) {
		size_t n = strcspn(p, "|");
		if (rl->nsrc == PREFILL_MAX_ALT)
			return "too many alternatives";
		if (fact_parse(p, n, &rl->src[rl->nsrc++]) < 0)
			return "unknown source (account.org_name, unit.name, unit.contact, unit.phone,"
			       " unit.email, unit.address, unit.zip)";
		p += n;
		if (!*p)
			break;
		p++;
	}
	return NULL;
}

int prefill_parse(struct prefill_set *s, const char *tsv, char *err, size_t errsz)
{
	char *copy = xstrdup(tsv), *line = copy, *next;
	size_t lineno = 0;

	s->v = NULL;
	s->n = 0;
	for (; line && *line; line = next) {
		struct prefill_rule rl;
		const char *why;
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (++lineno == 1) {
			if (strcmp(line, "form\tfield\tsource")) {
				snprintf(err, errsz, "prefill.tsv line 1: expected the header form, field, source");
				goto fail;
			}
			continue;
		}
		if (!*line || *line == '#')
			continue;
		if ((why = parse_line(s, line, &rl))) {
			snprintf(err, errsz, "prefill.tsv line %zu: %s", lineno, why);
			goto fail;
		}
		s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
		s->v[s->n++] = rl;
	}
	free(copy);
	return 0;
fail:
	free(copy);
	prefill_set_free(s);
	return -1;
}

void prefill_set_free(struct prefill_set *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int prefill_load(char *err, size_t errsz)
{
	prefill_set_free(&SET);
	return prefill_parse(&SET, prefill_tsv, err, errsz);
}

int prefill_apply(const struct prefill_set *s, const struct form *f,
                  const char *const facts[FACT__MAX], struct answers *a)
{
	int filled = 0;
	for (size_t k = 0; k < s->n; k++) {
		const struct prefill_rule *rl = &s->v[k];
		if (rl->f != f || (size_t)rl->field >= a->n || a->v[rl->field])
			continue;
		for (size_t j = 0; j < rl->nsrc; j++) {
			const char *v = facts[rl->src[j]];
			if (v && *v) {
				answers_set(a, (size_t)rl->field, v);
				filled++;
				break;
			}
		}
	}
	return filled;
}

int form_prefill(struct db *db, const struct form *f, unsigned long long user_id, struct answers *a)
{
	struct dbrows *rows = NULL;
	const char *facts[FACT__MAX] = { 0 };
	int n, any = 0;

	/* Only a rule whose field is still empty can fill anything: a draft
	 * that has them all costs no query (issue 13, item 5). */
	for (size_t k = 0; k < SET.n; k++)
		any |= SET.v[k].f == f && (size_t)SET.v[k].field < a->n && !a->v[SET.v[k].field];
	if (!any)
		return 0;
	if (db_query(db, STMT_PREFILL_FACTS, DB_ARGS(A_INT(user_id)), &rows) < 0)
		return -1;
	if (rows->nrows == 1)
		for (int c = 0; c < FACT__MAX; c++)
			facts[c] = dbrows_get(rows, 0, (size_t)c);
	n = prefill_apply(&SET, f, facts, a);
	dbrows_free(rows);
	return n;
}
