/*
 * indicators.c - parsing and computing the evaluation indicators (see
 * indicators.h and ../shared/indicators/README.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "form_int.h"
#include "indicators.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Formula lexer                                                       */

enum tok { T_END, T_WORD, T_NUM, T_LP, T_RP, T_COMMA, T_PLUS, T_EQ, T_BAR, T_ERR };

#define WORD_MAX 64   /* longest code or keyword; longer is an error */

struct lex {
	const char *p;
	enum tok    t;
	char        text[WORD_MAX];
};

static void next(struct lex *lx)
{
	size_t n = 0;
	while (*lx->p == ' ')
		lx->p++;
	lx->text[0] = 0;
	switch (*lx->p) {
	case 0:   lx->t = T_END; return;
	case '(': lx->t = T_LP; lx->p++; return;
	case ')': lx->t = T_RP; lx->p++; return;
	case ',': lx->t = T_COMMA; lx->p++; return;
	case '+': lx->t = T_PLUS; lx->p++; return;
	case '=': lx->t = T_EQ; lx->p++; return;
	case '|': lx->t = T_BAR; lx->p++; return;
	}
	if ((*lx->p >= 'a' && *lx->p <= 'z') || (*lx->p >= '0' && *lx->p <= '9')) {
		int digits = 1;
		while ((*lx->p >= 'a' && *lx->p <= 'z') || (*lx->p >= '0' && *lx->p <= '9') || *lx->p == '_') {
			if (n + 1 >= sizeof lx->text) {
				lx->t = T_ERR;
				return;
			}
			digits &= *lx->p >= '0' && *lx->p <= '9';
			lx->text[n++] = *lx->p++;
		}
		lx->text[n] = 0;
		lx->t = digits ? T_NUM : T_WORD;
		return;
	}
	lx->t = T_ERR;
}

/* ------------------------------------------------------------------ */
/* Parser                                                              */

struct pctx {
	struct lex lx;
	char      *err;
	size_t     errsz;
};

static int fail(struct pctx *c, const char *what)
{
	if (c->lx.t == T_END)
		snprintf(c->err, c->errsz, "%s at the end of the formula", what);
	else
		snprintf(c->err, c->errsz, "%s near \"%s\"", what, c->lx.p);
	return -1;
}

static int expect(struct pctx *c, enum tok t, const char *what)
{
	if (c->lx.t != t)
		return fail(c, what);
	next(&c->lx);
	return 0;
}

static int word(struct pctx *c, char out[WORD_MAX], const char *what)
{
	if (c->lx.t != T_WORD)
		return fail(c, what);
	memcpy(out, c->lx.text, WORD_MAX);
	next(&c->lx);
	return 0;
}

static int add_field(struct pctx *c, struct ind_term *t, const char *code)
{
	int fi = form_field_index(t->form, code);
	if (fi < 0) {
		snprintf(c->err, c->errsz, "%s has no field %s", t->form->name, code);
		return -1;
	}
	t->fields = xrealloc(t->fields, (t->nfields + 1) * sizeof *t->fields);
	t->fields[t->nfields++] = fi;
	return 0;
}

static int is_number_type(enum ftype t)
{
	return t == FT_INT || t == FT_DECIMAL || t == FT_PERCENT;
}

/* codes := CODE ('+' CODE)*, each a field of the term's form; numeric
 * for sum/mean, free text for texts. */
static int parse_codes(struct pctx *c, struct ind_term *t)
{
	for (;;) {
		char code[WORD_MAX];
		const struct field *fd;
		if (word(c, code, "a field code expected") < 0 || add_field(c, t, code) < 0)
			return -1;
		fd = &t->form->fields[t->fields[t->nfields - 1]];
		if ((t->agg == IA_SUM || t->agg == IA_MEAN) && !is_number_type(fd->type)) {
			snprintf(c->err, c->errsz, "%s is not a number field", code);
			return -1;
		}
		if (t->agg == IA_TEXTS && fd->type != FT_TEXT && fd->type != FT_TEXTAREA &&
		    fd->type != FT_OTHER_TEXT) {
			snprintf(c->err, c->errsz, "%s is not a text field", code);
			return -1;
		}
		if (c->lx.t != T_PLUS)
			return 0;
		next(&c->lx);
	}
}

static int add_option(struct pctx *c, struct ind_term *t, const struct field *fd)
{
	if (c->lx.t != T_NUM)
		return fail(c, "an option code expected");
	if (!form_option_label(fd, c->lx.text)) {
		snprintf(c->err, c->errsz, "%s has no option %s", fd->code, c->lx.text);
		return -1;
	}
	t->opts = xrealloc(t->opts, (t->nopts + 1) * sizeof *t->opts);
	t->opts[t->nopts++] = xstrdup(c->lx.text);
	next(&c->lx);
	return 0;
}

/* cond := CODE '=' N | CODE in N(|N)* | CODE has N | CODE any */
static int parse_cond(struct pctx *c, struct ind_term *t)
{
	char code[WORD_MAX], kw[WORD_MAX];
	const struct field *fd;

	if (word(c, code, "a field code expected") < 0 || add_field(c, t, code) < 0)
		return -1;
	fd = &t->form->fields[t->fields[0]];
	if (c->lx.t == T_EQ) {
		next(&c->lx);
		t->cond = ICOND_EQ;
	} else if (word(c, kw, "= in has or any expected") < 0) {
		return -1;
	} else if (!strcmp(kw, "in")) {
		t->cond = ICOND_IN;
	} else if (!strcmp(kw, "has")) {
		t->cond = ICOND_HAS;
	} else if (!strcmp(kw, "any")) {
		t->cond = ICOND_ANY;
	} else {
		snprintf(c->err, c->errsz, "unknown condition \"%s\"", kw);
		return -1;
	}
	if ((t->cond == ICOND_EQ || t->cond == ICOND_IN) && fd->type != FT_SINGLE) {
		snprintf(c->err, c->errsz, "%s is not a single choice", code);
		return -1;
	}
	if ((t->cond == ICOND_HAS || t->cond == ICOND_ANY) && fd->type != FT_MULTI && fd->type != FT_RANK) {
		snprintf(c->err, c->errsz, "%s is not a multiple choice", code);
		return -1;
	}
	if (t->cond == ICOND_ANY)
		return 0;
	if (add_option(c, t, fd) < 0)
		return -1;
	while (t->cond == ICOND_IN && c->lx.t == T_BAR) {
		next(&c->lx);
		if (add_option(c, t, fd) < 0)
			return -1;
	}
	return 0;
}

static const struct { const char *name; enum ind_agg agg; } AGGS[] = {
	{ "count", IA_COUNT }, { "share", IA_SHARE }, { "sum", IA_SUM }, { "mean", IA_MEAN },
	{ "items", IA_ITEMS }, { "rate", IA_RATE }, { "texts", IA_TEXTS },
};

static int parse_agg(struct pctx *c, const char *name, struct ind_term *t)
{
	char arg[WORD_MAX];
	size_t i;

	for (i = 0; i < NELEMS(AGGS) && strcmp(AGGS[i].name, name); i++)
		;
	if (i == NELEMS(AGGS)) {
		snprintf(c->err, c->errsz, "unknown aggregate \"%s\"", name);
		return -1;
	}
	t->agg = AGGS[i].agg;
	if (expect(c, T_LP, "( expected") < 0 || word(c, arg, "a form or stratum expected") < 0)
		return -1;
	if (t->agg == IA_RATE) {
		char state[WORD_MAX];
		for (i = 0; i < ST_COUNT && strcmp(stratum_codes[i], arg); i++)
			;
		if (i == ST_COUNT) {
			snprintf(c->err, c->errsz, "unknown stratum \"%s\" (hub, window, sme)", arg);
			return -1;
		}
		t->stratum = (enum stratum)i;
		if (expect(c, T_COMMA, ", expected") < 0 || word(c, state, "a state expected") < 0)
			return -1;
		if (!strcmp(state, "registered"))
			t->state = IST_REGISTERED;
		else if (!strcmp(state, "submitted"))
			t->state = IST_SUBMITTED;
		else {
			snprintf(c->err, c->errsz, "unknown state \"%s\" (registered, submitted)", state);
			return -1;
		}
		return expect(c, T_RP, ") expected");
	}
	if (!(t->form = form_get(arg))) {
		snprintf(c->err, c->errsz, "unknown form \"%s\"", arg);
		return -1;
	}
	if (t->agg == IA_COUNT)
		return expect(c, T_RP, ") expected");
	if (expect(c, T_COMMA, ", expected") < 0)
		return -1;
	if (t->agg == IA_SHARE) {
		if (parse_cond(c, t) < 0)
			return -1;
	} else if (t->agg == IA_ITEMS) {
		if (word(c, arg, "a field code expected") < 0 || add_field(c, t, arg) < 0)
			return -1;
		if (t->form->fields[t->fields[0]].type != FT_MULTI) {
			snprintf(c->err, c->errsz, "%s is not a multiple choice", arg);
			return -1;
		}
	} else if (parse_codes(c, t) < 0) {
		return -1;
	}
	return expect(c, T_RP, ") expected");
}

static void term_free(struct ind_term *t)
{
	for (size_t i = 0; i < t->nopts; i++)
		free(t->opts[i]);
	free(t->opts);
	free(t->fields);
	memset(t, 0, sizeof *t);
}

static int parse_formula(struct indicator *ind, char *err, size_t errsz)
{
	struct pctx c = { .err = err, .errsz = errsz };
	char name[WORD_MAX];

	c.lx.p = ind->formula;
	next(&c.lx);
	if (word(&c, name, "an aggregate expected") < 0)
		return -1;
	if (!strcmp(name, "ratio") || !strcmp(name, "growth")) {
		char inner[WORD_MAX];
		ind->combine = !strcmp(name, "ratio") ? IC_RATIO : IC_GROWTH;
		if (expect(&c, T_LP, "( expected") < 0 ||
		    word(&c, inner, "an aggregate expected") < 0 || parse_agg(&c, inner, &ind->a) < 0 ||
		    expect(&c, T_COMMA, ", expected") < 0 ||
		    word(&c, inner, "an aggregate expected") < 0 || parse_agg(&c, inner, &ind->b) < 0 ||
		    expect(&c, T_RP, ") expected") < 0)
			return -1;
		if (ind->a.agg == IA_TEXTS || ind->b.agg == IA_TEXTS) {
			snprintf(err, errsz, "texts() has no value to divide");
			return -1;
		}
		ind->paired = (ind->a.agg == IA_SUM || ind->a.agg == IA_MEAN) &&
		              (ind->b.agg == IA_SUM || ind->b.agg == IA_MEAN) && ind->a.form == ind->b.form;
	} else if (parse_agg(&c, name, &ind->a) < 0) {
		return -1;
	}
	if (c.lx.t != T_END)
		return fail(&c, "unexpected text");
	return 0;
}

/* ------------------------------------------------------------------ */
/* The file                                                            */

static const char *const CONTENTS[] = { "一", "二", "三", "四" };
static const char *const REQUIREMENTS[] = {
	"-", "信息畅通", "功能完善", "服务协同", "资源共享", "供需对接便捷", "社会影响力",
	"找得到", "用得起", "有保证",
};
static const char *const UNITS[] = { "%", "份", "项", "家", "户", "条" };

static int one_of(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

static int code_ok(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static void indicator_free(struct indicator *ind)
{
	free(ind->code);
	free(ind->content);
	free(ind->requirement);
	free(ind->label);
	free(ind->unit);
	free(ind->formula);
	term_free(&ind->a);
	term_free(&ind->b);
}

/* Splits line (modified in place) at tabs into exactly n columns. */
static int parse_row(struct indicator *ind, char **col, char *why, size_t whysz)
{
	memset(ind, 0, sizeof *ind);
	ind->code = xstrdup(col[0]);
	ind->content = xstrdup(col[1]);
	ind->requirement = xstrdup(col[2]);
	ind->label = xstrdup(col[3]);
	ind->unit = xstrdup(col[4]);
	ind->formula = xstrdup(col[5]);
	if (!code_ok(col[0]))
		snprintf(why, whysz, "bad code \"%s\"", col[0]);
	else if (!one_of(col[1], CONTENTS, NELEMS(CONTENTS)))
		snprintf(why, whysz, "content must be 一 二 三 or 四");
	else if (!one_of(col[2], REQUIREMENTS, NELEMS(REQUIREMENTS)))
		snprintf(why, whysz, "unknown requirement \"%s\"", col[2]);
	else if (!*col[3])
		snprintf(why, whysz, "empty label");
	else if (!one_of(col[4], UNITS, NELEMS(UNITS)))
		snprintf(why, whysz, "unknown unit \"%s\"", col[4]);
	else if (parse_formula(ind, why, whysz) == 0)
		return 0;
	return -1;
}

int indset_parse(struct indset *set, const char *tsv, char *err, size_t errsz)
{
	char *copy = xstrdup(tsv), *line, *save = NULL;
	size_t lineno = 0;
	int rc = 0;

	memset(set, 0, sizeof *set);
	for (line = strtok_r(copy, "\n", &save); line && rc == 0; line = strtok_r(NULL, "\n", &save)) {
		char *col[6], why[256] = "";
		struct indicator ind;
		lineno++;
		if (lineno == 1) {
			if (strcmp(line, "code\tcontent\trequirement\tlabel\tunit\tformula")) {
				snprintf(err, errsz, "indicators line 1: unexpected header");
				rc = -1;
			}
			continue;
		}
		if (tsv_split(line, col, 6) < 0) {
			snprintf(err, errsz, "indicators line %zu: 6 tab-separated columns expected", lineno);
			rc = -1;
			break;
		}
		if (parse_row(&ind, col, why, sizeof why) < 0) {
			snprintf(err, errsz, "indicators line %zu (%s): %s", lineno, col[0], why);
			indicator_free(&ind);
			rc = -1;
			break;
		}
		if (indset_get(set, ind.code)) {
			snprintf(err, errsz, "indicators line %zu: duplicate code %s", lineno, ind.code);
			indicator_free(&ind);
			rc = -1;
			break;
		}
		set->v = xrealloc(set->v, (set->n + 1) * sizeof *set->v);
		set->v[set->n++] = ind;
	}
	if (rc == 0 && lineno == 0) {
		snprintf(err, errsz, "indicators: empty file");
		rc = -1;
	}
	free(copy);
	if (rc < 0)
		indset_free(set);
	return rc;
}

void indset_free(struct indset *set)
{
	for (size_t i = 0; i < set->n; i++)
		indicator_free(&set->v[i]);
	free(set->v);
	memset(set, 0, sizeof *set);
}

const struct indicator *indset_get(const struct indset *set, const char *code)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->v[i].code, code))
			return &set->v[i];
	return NULL;
}

/* The sample filter concerns the forms filled by sampled, self-registering
 * respondents (service organisations and SMEs) and the sample itself. */
static int term_sample_sensitive(const struct ind_term *t)
{
	return t->agg == IA_RATE ||
	       (t->form && (t->form->role == ROLE_RESOURCE || t->form->role == ROLE_SME));
}

int indicator_sample_sensitive(const struct indicator *ind)
{
	return term_sample_sensitive(&ind->a) || (ind->combine != IC_NONE && term_sample_sensitive(&ind->b));
}

/* ------------------------------------------------------------------ */
/* Tallies                                                             */

void ind_tally_init(struct ind_tally *t, const struct indset *set)
{
	t->set = set;
	t->a = xcalloc(set->n ? set->n : 1, sizeof *t->a);
	t->b = xcalloc(set->n ? set->n : 1, sizeof *t->b);
}

void ind_tally_free(struct ind_tally *t)
{
	free(t->a);
	free(t->b);
	memset(t, 0, sizeof *t);
}

static int cond_holds(const struct ind_term *t, const char *v)
{
	switch (t->cond) {
	case ICOND_ANY:
		return 1;   /* answered means at least one option */
	case ICOND_HAS:
		return form_value_has(v, t->opts[0]) > 0;
	case ICOND_EQ:
	case ICOND_IN:
		for (size_t k = 0; k < t->nopts; k++)
			if (!strcmp(v, t->opts[k]))
				return 1;
		return 0;
	}
	return 0;
}

static size_t count_options(const char *v)
{
	size_t n = 1;
	for (; *v; v++)
		n += *v == ',';
	return n;
}

/* The numbers of a sum or mean term in one response: 1 with their sum when
 * the response counts (sum: at least one code answered; mean: all). */
static int numbers_count(const struct ind_term *t, const struct answers *a, ind_sum *sum)
{
	size_t answered = 0;
	*sum = 0;
	for (size_t i = 0; i < t->nfields; i++) {
		fnum x;
		const char *v = a->v[t->fields[i]];
		if (v && fnum_parse(v, 4, &x) == 0) {
			answered++;
			*sum += x;
		}
	}
	return t->agg == IA_SUM ? answered > 0 : answered == t->nfields;
}

static void term_add(const struct ind_term *t, struct ind_acc *acc, const struct form *f,
                     const struct answers *a)
{
	ind_sum sum = 0;

	if (t->agg == IA_RATE || t->form != f)
		return;
	switch (t->agg) {
	case IA_COUNT:
		acc->n++;
		acc->k++;
		return;
	case IA_SHARE: {
		const char *v = a->v[t->fields[0]];
		if (v) {
			acc->n++;
			acc->k += cond_holds(t, v);
		}
		return;
	}
	case IA_ITEMS: {
		const char *v = a->v[t->fields[0]];
		if (v) {
			acc->n++;
			acc->sum += (ind_sum)count_options(v);
		}
		return;
	}
	case IA_TEXTS:
		/* n is the number of texts (README): each answered code is one. */
		for (size_t i = 0; i < t->nfields; i++)
			if (a->v[t->fields[i]]) {
				acc->k++;
				acc->n++;
			}
		return;
	case IA_SUM:
	case IA_MEAN:
		if (numbers_count(t, a, &sum)) {
			acc->n++;
			acc->sum += sum;
		}
		return;
	case IA_RATE:
		return;
	}
}

/* A paired indicator: the response counts on both sides or on neither. */
static void pair_add(const struct indicator *ind, struct ind_acc *acc_a, struct ind_acc *acc_b,
                     const struct form *f, const struct answers *a)
{
	ind_sum sa, sb;
	if (ind->a.form != f || !numbers_count(&ind->a, a, &sa) || !numbers_count(&ind->b, a, &sb))
		return;
	acc_a->n++;
	acc_a->sum += sa;
	acc_b->n++;
	acc_b->sum += sb;
}

void ind_tally_response(struct ind_tally *t, const struct form *f, const struct answers *a)
{
	for (size_t i = 0; i < t->set->n; i++) {
		const struct indicator *ind = &t->set->v[i];
		if (ind->paired) {
			pair_add(ind, &t->a[i], &t->b[i], f, a);
			continue;
		}
		term_add(&ind->a, &t->a[i], f, a);
		if (ind->combine != IC_NONE)
			term_add(&ind->b, &t->b[i], f, a);
	}
}

static void unit_add(const struct ind_term *t, struct ind_acc *acc, enum stratum s,
                     int registered, int submitted)
{
	if (t->agg != IA_RATE || t->stratum != s)
		return;
	acc->n++;
	acc->k += t->state == IST_REGISTERED ? (registered || submitted) : submitted;
}

void ind_tally_unit(struct ind_tally *t, enum stratum s, int registered, int submitted)
{
	for (size_t i = 0; i < t->set->n; i++) {
		const struct indicator *ind = &t->set->v[i];
		unit_add(&ind->a, &t->a[i], s, registered, submitted);
		if (ind->combine != IC_NONE)
			unit_add(&ind->b, &t->b[i], s, registered, submitted);
	}
}

void ind_tally_add(struct ind_tally *t, size_t i, int b, long long n, long long k, ind_sum sum)
{
	struct ind_acc *acc = b ? &t->b[i] : &t->a[i];
	acc->n += n;
	acc->k += k;
	acc->sum += sum;
}

static void units_add(const struct ind_term *t, struct ind_acc *acc, enum stratum s, long long n,
                      long long registered, long long submitted)
{
	if (t->agg != IA_RATE || t->stratum != s)
		return;
	acc->n += n;
	/* A submitted unit has registered (it has an account). */
	acc->k += t->state == IST_REGISTERED ? registered : submitted;
}

void ind_tally_units(struct ind_tally *t, enum stratum s, long long n, long long registered,
                     long long submitted)
{
	for (size_t i = 0; i < t->set->n; i++) {
		const struct indicator *ind = &t->set->v[i];
		units_add(&ind->a, &t->a[i], s, n, registered, submitted);
		if (ind->combine != IC_NONE)
			units_add(&ind->b, &t->b[i], s, n, registered, submitted);
	}
}

int ind_term_sampled(const struct ind_term *t)
{
	return term_sample_sensitive(t);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

static void term_value(const struct ind_term *t, const struct ind_acc *acc, struct ind_value *out)
{
	out->n = acc->n;
	/* A count is never undefined: no submitted response counts 0, n 0
	 * (indicators README); every other aggregate needs n > 0. */
	out->defined = acc->n > 0 || t->agg == IA_COUNT;
	out->value = 0;
	if (!out->defined)
		return;
	switch (t->agg) {
	case IA_COUNT: out->value = (double)acc->k; break;
	case IA_SHARE:
	case IA_RATE:  out->value = 100.0 * (double)acc->k / (double)acc->n; break;
	case IA_SUM:   out->value = (double)acc->sum / (double)FNUM_SCALE; break;
	case IA_MEAN:  out->value = (double)acc->sum / (double)FNUM_SCALE / (double)acc->n; break;
	case IA_ITEMS: out->value = (double)acc->sum / (double)acc->n; break;
	case IA_TEXTS: out->defined = 0; break;
	}
}

void ind_value_of(const struct ind_tally *t, size_t i, struct ind_value *out)
{
	const struct indicator *ind = &t->set->v[i];
	struct ind_value a, b;

	term_value(&ind->a, &t->a[i], &a);
	if (ind->combine == IC_NONE) {
		*out = a;
		return;
	}
	term_value(&ind->b, &t->b[i], &b);
	out->n = a.n < b.n ? a.n : b.n;
	out->defined = a.defined && b.defined && b.value != 0;
	out->value = !out->defined ? 0
	           : ind->combine == IC_RATIO ? 100.0 * a.value / b.value
	           : 100.0 * (a.value / b.value - 1.0);
}

static int term_is_decimal(const struct ind_term *t)
{
	for (size_t i = 0; i < t->nfields; i++)
		if (t->form->fields[t->fields[i]].type != FT_INT)
			return 1;
	return 0;
}

void ind_format(const struct indicator *ind, const struct ind_value *v, char *out, size_t n)
{
	int decimals;
	if (!v->defined) {
		snprintf(out, n, "%s", "");
		return;
	}
	if (ind->combine != IC_NONE || !strcmp(ind->unit, "%"))
		decimals = 1;
	else if (ind->a.agg == IA_MEAN || ind->a.agg == IA_ITEMS)
		decimals = 2;
	else if (ind->a.agg == IA_SUM && term_is_decimal(&ind->a))
		decimals = 2;
	else
		decimals = 0;
	/* printf rounds half to even on the binary value; adding a tiny
	 * epsilon of the last digit rounds decimal halves up as people do. */
	snprintf(out, n, "%.*f", decimals,
	         v->value + (v->value < 0 ? -1 : 1) * 1e-9);
	if (!strcmp(out, "-0") || !strcmp(out, "-0.0") || !strcmp(out, "-0.00"))
		memmove(out, out + 1, strlen(out));
}

/* ------------------------------------------------------------------ */
/* The formula in words                                                */

static void put_fields(struct buf *b, const struct ind_term *t, const char *sep)
{
	for (size_t i = 0; i < t->nfields; i++) {
		char *l = form_display_label(t->form->fields[t->fields[i]].label);
		buf_printf(b, "%s「%s」", i ? sep : "", l);
		free(l);
	}
}

static void describe_term(struct buf *b, const struct ind_term *t)
{
	if (t->agg == IA_RATE) {
		buf_printf(b, "%s样本单位中已%s的比例", stratum_category(t->stratum),
		           t->state == IST_REGISTERED ? "注册" : "提交问卷");
		return;
	}
	buf_printf(b, "已提交的%s", t->form->annex);
	switch (t->agg) {
	case IA_COUNT:
		buf_puts(b, "份数");
		break;
	case IA_SHARE: {
		const struct field *fd = &t->form->fields[t->fields[0]];
		buf_puts(b, "中，回答了");
		put_fields(b, t, "");
		if (t->cond == ICOND_ANY) {
			buf_puts(b, "的比例");
			break;
		}
		buf_puts(b, "的答卷里选择");
		for (size_t k = 0; k < t->nopts; k++)
			buf_printf(b, "%s“%s”", k ? "或" : "", form_option_label(fd, t->opts[k]));
		buf_puts(b, "的比例");
		break;
	}
	case IA_SUM:
		buf_puts(b, "中");
		put_fields(b, t, "、");
		buf_puts(b, "的合计");
		break;
	case IA_MEAN:
		buf_puts(b, "中");
		put_fields(b, t, " + ");
		buf_puts(b, "的平均值（只计全部作答的答卷）");
		break;
	case IA_ITEMS:
		buf_puts(b, "中");
		put_fields(b, t, "");
		buf_puts(b, "平均选择的项数");
		break;
	case IA_TEXTS:
		buf_puts(b, "中");
		put_fields(b, t, "、");
		buf_puts(b, "的文字回答");
		break;
	case IA_RATE:
		break;
	}
}

char *ind_describe(const struct indicator *ind)
{
	struct buf b;
	buf_init(&b);
	if (ind->combine == IC_NONE) {
		describe_term(&b, &ind->a);
	} else {
		buf_puts(&b, ind->combine == IC_RATIO ? "（" : "（（");
		describe_term(&b, &ind->a);
		buf_puts(&b, "）÷（");
		describe_term(&b, &ind->b);
		buf_puts(&b, ind->combine == IC_RATIO ? "）× 100" : "）− 1）× 100");
		if (ind->paired)
			buf_puts(&b, "；只计两项都填报的答卷");
	}
	return buf_steal(&b);
}

static struct indset SET;
static int           loaded;

int indicators_load(char *err, size_t errsz)
{
	extern const char indicators_tsv[];
	if (loaded)
		return 0;
	if (indset_parse(&SET, indicators_tsv, err, errsz) < 0)
		return -1;
	loaded = 1;
	return 0;
}

const struct indset *indicators(void)
{
	return loaded ? &SET : NULL;
}
