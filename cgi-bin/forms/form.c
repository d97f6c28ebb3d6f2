/*
 * form.c - codebook parsing, values, normalisation, collection and export.
 * Validation is in form_check.c, storage in form_store.c, HTML in
 * form_render.c.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "codebook.h"
#include "form.h"
#include "form_int.h"
#include "http.h"
#include "util.h"

/* The file types an ext: rule may name (form_int.h): the codebook parser
 * checks the rules against them, the store and the download use them. */
static const struct upload_type upload_types[] = {
	{ "pdf",  FM_PDF,  "application/pdf", NULL, NULL },
	{ "doc",  FM_OLE2, "application/msword", NULL, NULL },
	{ "wps",  FM_OLE2, "application/vnd.ms-works", NULL, NULL },
	{ "docx", FM_ZIP,  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	  "word/document.xml", "Word 文档" },
	/* Spreadsheets: the construction units' documents (eval/review.c). */
	{ "xls",  FM_OLE2, "application/vnd.ms-excel", NULL, NULL },
	{ "xlsx", FM_ZIP,  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	  "xl/workbook.xml", "Excel 工作簿" },
};

const struct upload_type *upload_type_of(const char *ext)
{
	for (size_t i = 0; ext && i < NELEMS(upload_types); i++)
		if (!strcmp(upload_types[i].ext, ext))
			return &upload_types[i];
	return NULL;
}

/* The type is decided by the stored bytes, never by the name the uploader
 * chose; the name only tells apart the types sharing their magic bytes
 * (.doc and .wps are both OLE2). form_store_upload only accepted these. */
const char *upload_content_type(const unsigned char *p, size_t n, const char *filename)
{
	enum file_magic m = file_magic(p, n);
	const char *dot = strrchr(filename, '.');
	const struct upload_type *first = NULL;

	if (m == FM_UNKNOWN)
		return "application/octet-stream";
	for (size_t i = 0; i < NELEMS(upload_types); i++) {
		if (upload_types[i].magic != m)
			continue;
		if (dot && !strcasecmp(dot + 1, upload_types[i].ext))
			return upload_types[i].content_type;
		if (!first)
			first = &upload_types[i];
	}
	return first->content_type;
}

const struct frule *form_ext_rule(const struct field *fd)
{
	for (size_t k = 0; k < fd->nrules; k++)
		if (fd->rules[k].kind == RK_EXT)
			return &fd->rules[k];
	return NULL;
}

/* The forms and their facts (annex, title, role, ...) are data: the form
 * catalog (catalog.h, forms.tsv next to the codebook). */
#define NFORMS CATALOG_MAX_FORMS
static struct form forms[NFORMS];
static size_t nforms;
static int forms_loaded;

static const char *const type_names[FT_COUNT] = {
	"text", "textarea", "org_name", "int", "decimal", "percent", "date",
	"email", "phone", "zip", "single", "multi", "rank", "other_text", "file"
};

const char *ftype_name(enum ftype t)
{
	return (unsigned)t < FT_COUNT ? type_names[t] : "?";
}

/* ------------------------------------------------------------------ */
/* Numbers and dates                                                   */

/* Reads the run of decimal digits at *s into *v, advancing *s. Returns the
 * number of digits (0: none), or -1 as soon as there are more than max. */
static int take_digits(const char **s, int max, long long *v)
{
	int n = 0;
	while (isdigit((unsigned char)**s)) {
		if (++n > max)
			return -1;
		*v = *v * 10 + (*(*s)++ - '0');
	}
	return n;
}

enum fnum_result fnum_parse(const char *s, int maxfrac, fnum *out)
{
	int neg = 0, ndig, nfrac = 0;
	long long ip = 0, fp = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if ((ndig = take_digits(&s, FNUM_MAX_DIGITS, &ip)) == 0)
		return FN_NOT_NUMBER;
	if (ndig < 0)
		return FN_TOO_BIG;
	if (*s == '.') {
		s++;
		if ((nfrac = take_digits(&s, maxfrac, &fp)) == 0)
			return FN_NOT_NUMBER;
		if (nfrac < 0)
			return FN_TOO_PRECISE;
	}
	if (*s)
		return FN_NOT_NUMBER;
	for (int k = nfrac; k < 4; k++)
		fp *= 10;
	*out = (ip * FNUM_SCALE + fp) * (neg ? -1 : 1);
	return FN_OK;
}

void fnum_format(fnum v, char out[32])
{
	unsigned long long a = v < 0 ? (unsigned long long)(-v) : (unsigned long long)v;
	unsigned long long ip = a / FNUM_SCALE, fp = a % FNUM_SCALE;
	int n = snprintf(out, 32, "%s%llu", v < 0 ? "-" : "", ip);
	if (fp) {
		char frac[8];
		snprintf(frac, sizeof frac, "%04llu", fp);
		for (int k = 3; k > 0 && frac[k] == '0'; k--)
			frac[k] = 0;
		snprintf(out + n, (size_t)(32 - n), ".%s", frac);
	}
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * well-known civil-from-days inverse, written out from the formula). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

int fdate_parse(const char *s, fnum *out)
{
	unsigned y = 0, m = 1, d = 1;
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		if (!(isdigit((unsigned char)s[i]) || (s[i] == '-' && (i == 4 || i == 7))))
			return -1;
	if (n != 4 && n != 7 && n != 10)
		return -1;
	y = (unsigned)atoi(s);
	if (n >= 7) {
		if (s[4] != '-')
			return -1;
		m = (unsigned)atoi(s + 5);
	}
	if (n == 10) {
		if (s[7] != '-')
			return -1;
		d = (unsigned)atoi(s + 8);
	}
	if (y < 1800 || y > 2100 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	*out = (fnum)days_from_civil((long)y, m, d) * FNUM_SCALE;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rule parsing                                                        */

enum tok { T_END, T_ID, T_NUM, T_DATE, T_OP, T_PLUS, T_DOTDOT, T_ERR };

struct lexer {
	const char *p;
	enum tok    t;
	char        text[80];
	fnum        num;
	enum fop    op;
};

/* Copies the n bytes at p as the token's text; 0, or -1 when too long. */
static int lex_text(struct lexer *lx, const char *p, size_t n)
{
	if (n >= sizeof lx->text)
		return -1;
	memcpy(lx->text, p, n);
	lx->text[n] = 0;
	return 0;
}

static void lex_next(struct lexer *lx)
{
	const char *p = lx->p;
	size_t n = 0;

	while (*p == ' ')
		p++;
	lx->text[0] = 0;
	if (!*p) {
		lx->t = T_END;
	} else if (islower((unsigned char)*p)) {
		while (islower((unsigned char)p[n]) || isdigit((unsigned char)p[n]) || p[n] == '_')
			n++;
		lx->t = lex_text(lx, p, n) == 0 ? T_ID : T_ERR;
		p += n;
	} else if (isdigit((unsigned char)*p) || (*p == '-' && isdigit((unsigned char)p[1]))) {
		/* A date is exactly dddd-dd-dd; otherwise a number, whose '.'
		 * must be followed by a digit so that "0..100" splits. */
		if (isdigit((unsigned char)p[0]) && strlen(p) >= 10 && p[4] == '-' && p[7] == '-' &&
		    isdigit((unsigned char)p[5]) && isdigit((unsigned char)p[8]) &&
		    !isdigit((unsigned char)p[10])) {
			memcpy(lx->text, p, 10);
			lx->text[10] = 0;
			p += 10;
			lx->t = fdate_parse(lx->text, &lx->num) == 0 ? T_DATE : T_ERR;
		} else {
			if (*p == '-')
				n++;
			while (isdigit((unsigned char)p[n]) ||
			       (p[n] == '.' && isdigit((unsigned char)p[n + 1])))
				n++;
			lx->t = lex_text(lx, p, n) == 0 && fnum_parse(lx->text, 4, &lx->num) == FN_OK ? T_NUM : T_ERR;
			p += n;
		}
	} else if (*p == '+') {
		lx->t = T_PLUS;
		p++;
	} else if (p[0] == '.' && p[1] == '.') {
		lx->t = T_DOTDOT;
		p += 2;
	} else if (*p == '<' || *p == '>' || *p == '=' || *p == '!') {
		int two = p[1] == '=';
		lx->t = T_OP;
		if (*p == '<')
			lx->op = two ? OP_LE : OP_LT;
		else if (*p == '>')
			lx->op = two ? OP_GE : OP_GT;
		else if (*p == '=')
			lx->op = OP_EQ, two = 0;
		else if (two)
			lx->op = OP_NE;
		else
			lx->t = T_ERR;
		p += 1 + two;
	} else {
		lx->t = T_ERR;
	}
	lx->p = p;
}

static int is_numeric_type(enum ftype t)
{
	return t == FT_INT || t == FT_DECIMAL || t == FT_PERCENT || t == FT_DATE;
}

/* term [+ term ...]; stops at the first token that is not a term or '+'. */
static int parse_expr(struct lexer *lx, const struct form *f, struct fexpr *e,
                      char *err, size_t errsz)
{
	for (;;) {
		struct fterm t = { -1, 0 };
		if (lx->t == T_ID) {
			t.field = form_field_index(f, lx->text);
			if (t.field < 0) {
				seterr(err, errsz, "unknown field '%s'", lx->text);
				return -1;
			}
			if (!is_numeric_type(f->fields[t.field].type)) {
				seterr(err, errsz, "field '%s' is not numeric", lx->text);
				return -1;
			}
		} else if (lx->t == T_NUM || lx->t == T_DATE) {
			t.num = lx->num;
		} else {
			seterr(err, errsz, "expected a term");
			return -1;
		}
		e->t = xrealloc(e->t, (e->n + 1) * sizeof *e->t);
		e->t[e->n++] = t;
		lex_next(lx);
		if (lx->t != T_PLUS)
			return 0;
		lex_next(lx);
	}
}

/* ext:pdf,doc - the upload types a file field takes. 0 or -1. */
static int parse_ext(const char *p, const struct field *self, struct frule *r, char *err, size_t errsz)
{
	if (self->type != FT_FILE) {
		seterr(err, errsz, "ext: on a non-file field");
		return -1;
	}
	r->kind = RK_EXT;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 0 || n > 8) {
			seterr(err, errsz, "bad extension list");
			return -1;
		}
		r->ext = xrealloc(r->ext, (r->next + 1) * sizeof *r->ext);
		r->ext[r->next] = xstrndup(p, n);
		for (char *c = r->ext[r->next]; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		/* Only types whose content can be checked (upload_types above). */
		if (!upload_type_of(r->ext[r->next++])) {
			seterr(err, errsz, "ext: unknown upload type");
			return -1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	if (!r->next) {
		seterr(err, errsz, "empty extension list");
		return -1;
	}
	return 0;
}

/* count A..B - how many options of a multi or rank field. 0 or -1. */
static int parse_count(const char *s, const struct field *self, struct frule *r, char *err, size_t errsz)
{
	struct lexer lx = { .p = s + 6 };

	if (self->type != FT_MULTI && self->type != FT_RANK) {
		seterr(err, errsz, "count on a field that is not multi/rank");
		return -1;
	}
	lex_next(&lx);
	if (lx.t != T_NUM) goto bad;
	r->lo = lx.num / FNUM_SCALE;
	lex_next(&lx);
	if (lx.t != T_DOTDOT) goto bad;
	lex_next(&lx);
	if (lx.t != T_NUM) goto bad;
	r->hi = lx.num / FNUM_SCALE;
	lex_next(&lx);
	if (lx.t != T_END || r->lo > r->hi) goto bad;
	r->kind = RK_COUNT;
	return 0;
bad:
	seterr(err, errsz, "cannot parse check '%s'", s);
	return -1;
}

static int parse_check(const char *s, const struct form *f, const struct field *self,
                       struct frule *r, char *err, size_t errsz)
{
	struct lexer lx = { .p = s };
	int numeric_self = is_numeric_type(self->type);

	if (!strcmp(s, "digits6") || !strcmp(s, "email") || !strcmp(s, "phone")) {
		r->kind = s[0] == 'd' ? RK_DIGITS6 : s[0] == 'e' ? RK_EMAIL : RK_PHONE;
		return 0;
	}
	if (!strncmp(s, "ext:", 4))
		return parse_ext(s + 4, self, r, err, errsz);
	if (!strncmp(s, "count ", 6))
		return parse_count(s, self, r, err, errsz);
	lex_next(&lx);
	if (lx.t == T_OP) {
		/* <op> EXPR: compares this field. */
		if (!numeric_self) {
			seterr(err, errsz, "comparison on a non-numeric field");
			return -1;
		}
		r->kind = RK_CMP;
		r->op = lx.op;
		lex_next(&lx);
		if (parse_expr(&lx, f, &r->rhs, err, errsz) < 0)
			return -1;
		if (lx.t != T_END) goto bad;
		return 0;
	}
	if (lx.t == T_NUM) {
		/* A..B, or an expression starting with a constant. */
		struct lexer save = lx;
		fnum a = lx.num;
		lex_next(&lx);
		if (lx.t == T_DOTDOT) {
			lex_next(&lx);
			if (lx.t != T_NUM) goto bad;
			r->lo = a;
			r->hi = lx.num;
			lex_next(&lx);
			if (lx.t != T_END || r->lo > r->hi) goto bad;
			if (!numeric_self) {
				seterr(err, errsz, "range on a non-numeric field");
				return -1;
			}
			r->kind = RK_RANGE;
			return 0;
		}
		lx = save;
	}
	/* EXPR <op> EXPR */
	if (!numeric_self) {
		seterr(err, errsz, "comparison on a non-numeric field");
		return -1;
	}
	if (parse_expr(&lx, f, &r->lhs, err, errsz) < 0)
		return -1;
	if (lx.t != T_OP) goto bad;
	r->op = lx.op;
	lex_next(&lx);
	if (parse_expr(&lx, f, &r->rhs, err, errsz) < 0)
		return -1;
	if (lx.t != T_END) goto bad;
	r->kind = RK_CMP;
	return 0;
bad:
	seterr(err, errsz, "cannot parse check '%s'", s);
	return -1;
}

static int parse_if(const char *s, const struct form *f, struct frule *r, char *err, size_t errsz)
{
	struct lexer lx = { .p = s };
	const struct field *ref;

	lex_next(&lx);
	if (lx.t != T_ID || (r->ref = form_field_index(f, lx.text)) < 0) {
		seterr(err, errsz, "if: unknown field in '%s'", s);
		return -1;
	}
	ref = &f->fields[r->ref];
	lex_next(&lx);
	if (lx.t == T_END) {
		r->kind = RK_IF_SET;
		return 0;
	}
	if (lx.t == T_ID && !strcmp(lx.text, "has")) {
		lex_next(&lx);
		if (lx.t != T_NUM || ref->type != FT_MULTI)
			goto bad;
		r->opt = xstrdup(lx.text);
		if (!form_option_label(ref, r->opt)) {
			seterr(err, errsz, "if: '%s' is not an option of %s", r->opt, ref->code);
			return -1;
		}
		lex_next(&lx);
		if (lx.t != T_END)
			goto bad;
		r->kind = RK_IF_HAS;
		return 0;
	}
	if (lx.t != T_OP)
		goto bad;
	r->op = lx.op;
	lex_next(&lx);
	if (lx.t != T_NUM)
		goto bad;
	r->num = lx.num;
	if (ref->type == FT_SINGLE && !form_option_label(ref, lx.text)) {
		seterr(err, errsz, "if: '%s' is not an option of %s", lx.text, ref->code);
		return -1;
	}
	if (ref->type != FT_SINGLE && !is_numeric_type(ref->type))
		goto bad;
	lex_next(&lx);
	if (lx.t != T_END)
		goto bad;
	r->kind = RK_IF_CMP;
	return 0;
bad:
	seterr(err, errsz, "cannot parse condition 'if %s'", s);
	return -1;
}

static int parse_rules(const struct form *f, struct field *fd, const char *src,
                       char *err, size_t errsz)
{
	const char *p = src;
	char clause[512];

	while (*p) {
		const char *end = strstr(p, "; ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		struct frule *r;
		int rc;

		if (n == 0 || n >= sizeof clause) {
			seterr(err, errsz, "%s: empty or overlong rule clause", fd->code);
			return -1;
		}
		memcpy(clause, p, n);
		clause[n] = 0;
		fd->rules = xrealloc(fd->rules, (fd->nrules + 1) * sizeof *fd->rules);
		r = &fd->rules[fd->nrules++];
		memset(r, 0, sizeof *r);
		r->src = xstrdup(clause);
		if (!strncmp(clause, "if ", 3)) {
			rc = parse_if(clause + 3, f, r, err, errsz);
			fd->has_if = 1;
		} else if (!strncmp(clause, "warn: ", 6)) {
			r->warn = 1;
			rc = parse_check(clause + 6, f, fd, r, err, errsz);
		} else {
			rc = parse_check(clause, f, fd, r, err, errsz);
		}
		if (rc < 0) {
			/* Prefix the field code to the message. */
			char tmp[256];
			snprintf(tmp, sizeof tmp, "%s", err ? err : "");
			seterr(err, errsz, "%s: %s", fd->code, tmp);
			return -1;
		}
		p += n;
		if (*p)
			p += 2;
	}
	return 0;
}

static int parse_options(struct field *fd, const char *s, char *err, size_t errsz)
{
	const char *p = s;
	while (*p) {
		const char *end = strstr(p, " | ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		struct foption *o;

		if (!eq || eq == p) {
			seterr(err, errsz, "%s: bad option list", fd->code);
			return -1;
		}
		for (const char *c = p; c < eq; c++)
			if (!isdigit((unsigned char)*c)) {
				seterr(err, errsz, "%s: option code must be a number", fd->code);
				return -1;
			}
		fd->opts = xrealloc(fd->opts, (fd->nopts + 1) * sizeof *fd->opts);
		o = &fd->opts[fd->nopts++];
		o->code = xstrndup(p, (size_t)(eq - p));
		o->label = xstrndup(eq + 1, n - (size_t)(eq - p) - 1);
		for (size_t k = 0; k + 1 < fd->nopts; k++)
			if (!strcmp(fd->opts[k].code, o->code)) {
				seterr(err, errsz, "%s: duplicate option %s", fd->code, o->code);
				return -1;
			}
		p += n;
		if (*p)
			p += 3;
	}
	return 0;
}

static int valid_code(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
			return 0;
	return 1;
}

/* Split one TSV line into exactly 8 columns (in place). */
static int split_cols(char *line, char *cols[8])
{
	int n = 0;
	cols[n++] = line;
	for (char *p = line; *p; p++)
		if (*p == '\t') {
			if (n == 8)
				return -1;
			*p = 0;
			cols[n++] = p + 1;
		}
	return n == 8 ? 0 : -1;
}

/* Detects a cycle through `if` references (which would make applicability
 * undefined) by depth-first search; state: 0 new, 1 on stack, 2 done. */
static int if_cycle(const struct form *f, size_t i, unsigned char *state)
{
	if (state[i] == 1)
		return 1;
	if (state[i] == 2)
		return 0;
	state[i] = 1;
	for (size_t k = 0; k < f->fields[i].nrules; k++) {
		const struct frule *r = &f->fields[i].rules[k];
		if (r->kind <= RK_IF_HAS && if_cycle(f, (size_t)r->ref, state))
			return 1;
	}
	state[i] = 2;
	return 0;
}

/* One codebook line's field (cols: the 8 columns), appended to f; its rule
 * text is kept in (*rulesrc)[i] for parse_all_rules. 0 or -1. */
static int parse_field(struct form *f, char *cols[8], size_t lineno, char ***rulesrc, char *err, size_t errsz)
{
	struct field *fd;
	size_t t;

	if (!valid_code(cols[0]) || strstr(cols[0], "__") || strlen(cols[0]) > 60) {
		seterr(err, errsz, "%s line %zu: bad code '%s'", f->name, lineno, cols[0]);
		return -1;
	}
	if (form_field_index(f, cols[0]) >= 0) {
		seterr(err, errsz, "%s: duplicate code %s", f->name, cols[0]);
		return -1;
	}
	for (t = 0; t < FT_COUNT; t++)
		if (!strcmp(cols[3], type_names[t]))
			break;
	if (t == FT_COUNT) {
		seterr(err, errsz, "%s: %s: unknown type '%s'", f->name, cols[0], cols[3]);
		return -1;
	}
	f->fields = xrealloc(f->fields, (f->nfields + 1) * sizeof *f->fields);
	*rulesrc = xrealloc(*rulesrc, (f->nfields + 1) * sizeof **rulesrc);
	fd = &f->fields[f->nfields];
	memset(fd, 0, sizeof *fd);
	(*rulesrc)[f->nfields] = xstrdup(cols[7]);
	f->nfields++;
	fd->code = xstrdup(cols[0]);
	fd->section = xstrdup(cols[1]);
	fd->label = xstrdup(cols[2]);
	fd->type = (enum ftype)t;
	fd->unit = xstrdup(cols[5]);
	if (strcmp(cols[6], "y") && strcmp(cols[6], "n")) {
		seterr(err, errsz, "%s: %s: required must be y or n", f->name, fd->code);
		return -1;
	}
	fd->required = cols[6][0] == 'y';
	if (fd->type == FT_FILE)
		f->has_file = 1;
	if (fd->type == FT_SINGLE || fd->type == FT_MULTI || fd->type == FT_RANK) {
		if (!*cols[4]) {
			seterr(err, errsz, "%s: %s: options missing", f->name, fd->code);
			return -1;
		}
		if (parse_options(fd, cols[4], err, errsz) < 0)
			return -1;
	} else if (*cols[4]) {
		seterr(err, errsz, "%s: %s: options on a %s field", f->name, fd->code, cols[3]);
		return -1;
	}
	return 0;
}

/* The rules of every field, once all fields are known; then the checks
 * that span fields (an ext: per file field, no cycle of ifs). 0 or -1. */
static int parse_all_rules(struct form *f, char **rulesrc, char *err, size_t errsz)
{
	/* Rules last: they may refer to any field of the form. */
	for (size_t i = 0; i < f->nfields; i++) {
		if (parse_rules(f, &f->fields[i], rulesrc[i], err, errsz) < 0)
			return -1;
		/* The ext: rule is the one list of accepted upload types. */
		if (f->fields[i].type == FT_FILE && !form_ext_rule(&f->fields[i])) {
			seterr(err, errsz, "%s: %s: file field without ext:", f->name, f->fields[i].code);
			return -1;
		}
	}
	unsigned char *state = xcalloc(f->nfields ? f->nfields : 1, 1);
	int cyc = 0;
	for (size_t i = 0; i < f->nfields && !cyc; i++)
		cyc = if_cycle(f, i, state);
	free(state);
	if (cyc) {
		seterr(err, errsz, "%s: cycle in if-conditions", f->name);
		return -1;
	}
	return 0;
}

int form_parse(struct form *f, const char *tsv, char *err, size_t errsz)
{
	char *copy = xstrdup(tsv), *line, *save = NULL;
	char **rulesrc = NULL;
	size_t lineno = 0;
	int rc = -1;

	f->fields = NULL;
	f->nfields = 0;
	f->has_file = 0;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *cols[8];

		lineno++;
		if (lineno == 1) {
			if (strncmp(line, "code\tsection\tlabel\ttype\toptions\tunit\trequired\trule", 50)) {
				seterr(err, errsz, "%s: bad header", f->name);
				goto out;
			}
			continue;
		}
		if (split_cols(line, cols) < 0) {
			seterr(err, errsz, "%s line %zu: expected 8 columns", f->name, lineno);
			goto out;
		}
		if (parse_field(f, cols, lineno, &rulesrc, err, errsz) < 0)
			goto out;
	}
	if (parse_all_rules(f, rulesrc, err, errsz) < 0)
		goto out;
	if (!f->nfields) {
		seterr(err, errsz, "%s: no fields", f->name);
		goto out;
	}
	rc = 0;
out:
	if (rulesrc)
		for (size_t i = 0; i < f->nfields; i++)
			free(rulesrc[i]);
	free(rulesrc);
	free(copy);
	return rc;
}

static void expr_free(struct fexpr *e)
{
	free(e->t);
	e->t = NULL;
	e->n = 0;
}

void form_free(struct form *f)
{
	for (size_t i = 0; i < f->nfields; i++) {
		struct field *fd = &f->fields[i];
		free(fd->code);
		free(fd->section);
		free(fd->label);
		free(fd->unit);
		for (size_t k = 0; k < fd->nopts; k++) {
			free(fd->opts[k].code);
			free(fd->opts[k].label);
		}
		free(fd->opts);
		for (size_t k = 0; k < fd->nrules; k++) {
			struct frule *r = &fd->rules[k];
			free(r->opt);
			free(r->src);
			expr_free(&r->lhs);
			expr_free(&r->rhs);
			for (size_t e = 0; e < r->next; e++)
				free(r->ext[e]);
			free(r->ext);
		}
		free(fd->rules);
	}
	free(f->fields);
	f->fields = NULL;
	f->nfields = 0;
}

int forms_load(char *err, size_t errsz)
{
	if (forms_loaded)
		return 0;
	if (catalog_load(err, errsz) < 0)
		return -1;
	for (nforms = 0; nforms < catalog_count(); nforms++) {
		const struct form_info *fi = catalog_at(nforms);
		struct form *f = &forms[nforms];
		const char *tsv = NULL;
		for (size_t k = 0; k < codebook_nfiles; k++)
			if (!strcmp(codebook_files[k].name, fi->name))
				tsv = codebook_files[k].tsv;
		f->info = fi;
		f->name = fi->name;
		f->annex = fi->annex;
		f->title = fi->title;
		f->intro = fi->intro;
		f->role = fi->role;
		if (!tsv) {
			seterr(err, errsz, "codebook %s.tsv not embedded", fi->name);
			goto fail;
		}
		if (form_parse(f, tsv, err, errsz) < 0) {
			nforms++;    /* what it parsed of this form is freed too */
			goto fail;
		}
	}
	forms_loaded = 1;
	return 0;
fail:
	forms_free();
	return -1;
}

void forms_free(void)
{
	for (size_t i = 0; i < nforms; i++)
		form_free(&forms[i]);
	nforms = 0;
	forms_loaded = 0;
}

const struct form *form_get(const char *name)
{
	if (!forms_loaded || !name)
		return NULL;
	for (size_t i = 0; i < nforms; i++)
		if (!strcmp(forms[i].name, name))
			return &forms[i];
	return NULL;
}

const struct form *form_at(size_t i)
{
	return forms_loaded && i < nforms ? &forms[i] : NULL;
}

int form_field_index(const struct form *f, const char *code)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (!strcmp(f->fields[i].code, code))
			return (int)i;
	return -1;
}

const struct field *form_field(const struct form *f, const char *code)
{
	int i = form_field_index(f, code);
	return i < 0 ? NULL : &f->fields[i];
}

const char *form_option_label(const struct field *fd, const char *code)
{
	if (!code)
		return NULL;
	for (size_t k = 0; k < fd->nopts; k++)
		if (!strcmp(fd->opts[k].code, code))
			return fd->opts[k].label;
	return NULL;
}

int form_option_index(const struct field *fd, const char *code, size_t n)
{
	for (size_t k = 0; k < fd->nopts; k++)
		if (strlen(fd->opts[k].code) == n && !memcmp(fd->opts[k].code, code, n))
			return (int)k;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Text helpers                                                        */

/* Decode one UTF-8 sequence (input already known valid or not: invalid
 * bytes decode as themselves, length 1). */
static unsigned utf8_cp(const unsigned char *s, size_t *len)
{
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		*len = 2;
		return ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
	}
	if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*len = 3;
		return ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	}
	if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		*len = 4;
		return ((unsigned)(s[0] & 0x07) << 18) | ((unsigned)(s[1] & 0x3F) << 12) |
		       ((unsigned)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	}
	*len = 1;
	return s[0];
}

char *form_fold(const char *s)
{
	struct buf b;
	const unsigned char *p = (const unsigned char *)s;
	char *out;

	buf_init(&b);
	while (*p) {
		size_t n;
		unsigned cp = utf8_cp(p, &n);
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			buf_putc(&b, (char)(cp - 0xFF01 + 0x21));
		else if (cp == 0x3000)
			buf_putc(&b, ' ');
		else
			buf_put(&b, p, n);
		p += n;
	}
	out = form_trim(b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static int is_space_at(const unsigned char *p, size_t *n)
{
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\v' || *p == '\f') {
		*n = 1;
		return 1;
	}
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {   /* U+3000 */
		*n = 3;
		return 1;
	}
	return 0;
}

char *form_trim(const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end;
	size_t n;

	while (*p && is_space_at(p, &n))
		p += n;
	end = p + strlen((const char *)p);
	/* Trailing: step back over ASCII space and U+3000. */
	for (;;) {
		if (end > p && strchr(" \t\r\n\v\f", end[-1])) {
			end--;
		} else if (end - p >= 3 && end[-3] == 0xE3 && end[-2] == 0x80 && end[-1] == 0x80) {
			end -= 3;
		} else {
			break;
		}
	}
	return xstrndup((const char *)p, (size_t)(end - p));
}

static int is_cjk(unsigned cp)
{
	return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFF00 && cp <= 0xFFEF);
}

char *form_display_label(const char *label)
{
	struct buf b;
	const unsigned char *p = (const unsigned char *)label;
	unsigned prev = 0;

	buf_init(&b);
	while (*p) {
		size_t n, m;
		unsigned cp = utf8_cp(p, &n);
		if (cp == ' ' && is_cjk(prev)) {
			/* Drop a run of spaces between two CJK characters. */
			const unsigned char *q = p;
			while (*q == ' ')
				q++;
			if (*q && is_cjk(utf8_cp(q, &m))) {
				p = q;
				continue;
			}
		}
		buf_put(&b, p, n);
		prev = cp;
		p += n;
	}
	if (!b.data)
		return xstrdup("");
	return buf_steal(&b);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

void answers_init(struct answers *a, const struct form *f)
{
	a->n = f->nfields;
	a->borrowed = 0;
	a->v = xcalloc(a->n ? a->n : 1, sizeof *a->v);
}

void answers_init_borrowed(struct answers *a, const struct form *f)
{
	answers_init(a, f);
	a->borrowed = 1;
}

void answers_clear(struct answers *a)
{
	for (size_t i = 0; i < a->n; i++) {
		if (!a->borrowed)
			free(a->v[i]);
		a->v[i] = NULL;
	}
}

void answers_free(struct answers *a)
{
	if (!a->v)
		return;
	answers_clear(a);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

void answers_set(struct answers *a, size_t i, const char *s)
{
	if (i >= a->n)
		return;
	if (a->borrowed) {
		a->v[i] = s && *s ? (char *)s : NULL;   /* never written through */
		return;
	}
	free(a->v[i]);
	a->v[i] = s && *s ? xstrdup(s) : NULL;
}

const char *answers_get(const struct answers *a, const struct form *f, const char *code)
{
	int i = form_field_index(f, code);
	return i < 0 || (size_t)i >= a->n ? NULL : a->v[i];
}

/* ------------------------------------------------------------------ */
/* Collection from a POST                                              */

/* Sets answer i to a posted value. A NUL byte inside it would silently end
 * the C string (abc%00def stored as abc): it is kept as the two bytes C0 80
 * instead (NUL's "modified UTF-8" spelling, never valid UTF-8), which
 * form_check() refuses at the field with its own message (issue 18). */
static void answers_set_posted(struct answers *out, size_t i, const struct param *p)
{
	if (p == NULL || strlen(p->value) == p->len) {
		answers_set(out, i, p ? p->value : NULL);
		return;
	}
	struct buf b;
	buf_init(&b);
	for (size_t k = 0; k < p->len; k++) {
		if (p->value[k])
			buf_putc(&b, p->value[k]);
		else
			buf_puts(&b, FORM_NUL_MARK);
	}
	answers_set(out, i, b.data);
	buf_free(&b);
}

const struct param *form_file_part(const struct form *f, const struct param *ps, size_t np, size_t i)
{
	for (size_t k = 0; i < f->nfields && k < np; k++)
		if (ps[k].filename && !strcmp(ps[k].name, f->fields[i].code))
			return &ps[k];
	return NULL;
}

void form_collect(const struct form *f, const struct param *ps, size_t np, struct answers *out)
{
	for (size_t i = 0; i < f->nfields && i < out->n; i++) {
		const struct field *fd = &f->fields[i];
		struct buf b;

		if (fd->type == FT_FILE)
			continue;
		buf_init(&b);
		if (fd->type == FT_MULTI) {
			/* Ascending option order; unknown codes are kept at the
			 * end so that validation reports them. */
			unsigned char *sel = xcalloc(fd->nopts + 1, 1);
			size_t nposted = 0;
			for (size_t k = 0; k < np; k++) {
				int oi;
				if (ps[k].filename || strcmp(ps[k].name, fd->code) || !*ps[k].value)
					continue;
				if (++nposted > FORM_MAX_CHOICES)
					break;
				oi = form_option_index(fd, ps[k].value, ps[k].len);
				if (oi >= 0) {
					sel[oi] = 1;
				} else if (ps[k].len <= 16) {
					if (b.len)
						buf_putc(&b, ',');
					buf_puts(&b, "?");   /* marks an invalid code */
				}
			}
			{
				struct buf o;
				buf_init(&o);
				for (size_t k = 0; k < fd->nopts; k++)
					if (sel[k]) {
						if (o.len)
							buf_putc(&o, ',');
						buf_puts(&o, fd->opts[k].code);
					}
				if (b.len) {
					if (o.len)
						buf_putc(&o, ',');
					buf_put(&o, b.data, b.len);
				}
				answers_set(out, i, o.data);
				buf_free(&o);
			}
			free(sel);
		} else if (fd->type == FT_RANK) {
			/* code_1..code_n, each holding the option at that
			 * position; empty positions are closed up. */
			for (size_t pos = 1; pos <= fd->nopts; pos++) {
				char name[80];
				const char *v = NULL;
				snprintf(name, sizeof name, "%s_%zu", fd->code, pos);
				for (size_t k = 0; k < np; k++)
					if (!ps[k].filename && !strcmp(ps[k].name, name)) {
						v = ps[k].value;
						break;
					}
				if (!v || !*v)
					continue;
				if (b.len)
					buf_putc(&b, ',');
				buf_puts(&b, form_option_index(fd, v, strlen(v)) >= 0 ? v : "?");
			}
			answers_set(out, i, b.data);
		} else {
			const struct param *v = NULL;
			for (size_t k = 0; k < np; k++)
				if (!ps[k].filename && !strcmp(ps[k].name, fd->code)) {
					v = &ps[k];
					break;
				}
			answers_set_posted(out, i, v);
		}
		buf_free(&b);
	}
}

/* ------------------------------------------------------------------ */
/* Stored file values: "sha256:<64 hex>:<original name>"                */

int form_file_value(const char *v, const char **hex, const char **filename)
{
	if (!v || strncmp(v, "sha256:", 7))
		return -1;
	for (int i = 0; i < 64; i++) {
		char ch = v[7 + i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return -1;
	}
	if (v[71] != ':' || !v[72])
		return -1;
	*hex = v + 7;
	*filename = v + 72;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Export                                                              */

static void strv_push(struct strv *s, char *v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = v;
}

void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

int form_value_has(const char *value, const char *code)
{
	size_t cl = strlen(code);
	int pos = 1;
	if (!value || !*value)
		return 0;
	for (const char *p = value; *p; pos++) {
		size_t n = strcspn(p, ",");
		if (n == cl && !memcmp(p, code, n))
			return pos;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

void form_export_columns(const struct form *f, struct strv *out)
{
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		if (fd->type == FT_MULTI || fd->type == FT_RANK) {
			for (size_t k = 0; k < fd->nopts; k++) {
				struct buf b;
				buf_init(&b);
				buf_printf(&b, "%s__%s", fd->code, fd->opts[k].code);
				strv_push(out, buf_steal(&b));
			}
		} else {
			strv_push(out, xstrdup(fd->code));
		}
	}
}

void form_export_labels(const struct form *f, struct strv *out)
{
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		char *label = form_display_label(fd->label);
		if (fd->type == FT_MULTI || fd->type == FT_RANK) {
			for (size_t k = 0; k < fd->nopts; k++) {
				struct buf b;
				buf_init(&b);
				buf_printf(&b, "%s：%s", label, fd->opts[k].label);
				strv_push(out, buf_steal(&b));
			}
		} else {
			strv_push(out, xstrdup(label));
		}
		free(label);
	}
}

/* v in decimal into out (FORM_CELL_NUM bytes hold any unsigned int): the
 * export writes one per option of every multi and rank question, and
 * snprintf was a tenth of a CSV export's time. */
static void cell_uint(char *out, unsigned v)
{
	char tmp[FORM_CELL_NUM];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

size_t form_export_cells(const struct form *f, const struct answers *a, const char **cells,
                         char (*num)[FORM_CELL_NUM])
{
	size_t c = 0;
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		const char *v = i < a->n && a->v[i] ? a->v[i] : "";
		if (fd->type == FT_MULTI || fd->type == FT_RANK) {
			for (size_t k = 0; k < fd->nopts; k++, c++) {
				int pos = form_value_has(v, fd->opts[k].code);
				num[c][0] = 0;
				/* An unanswered question stays blank, not 0. */
				if (*v)
					cell_uint(num[c], fd->type == FT_MULTI ? (pos ? 1u : 0u) : (unsigned)pos);
				if (fd->type == FT_RANK && !pos)
					num[c][0] = 0;
				cells[c] = num[c];
			}
		} else {
			cells[c++] = v;
		}
	}
	return c;
}

size_t form_export_ncells(const struct form *f)
{
	size_t c = 0;
	for (size_t i = 0; i < f->nfields; i++)
		c += f->fields[i].type == FT_MULTI || f->fields[i].type == FT_RANK ? f->fields[i].nopts : 1;
	return c;
}

void form_export_row(const struct form *f, const struct answers *a, struct strv *out)
{
	size_t n = form_export_ncells(f);
	const char **cells = xcalloc(n ? n : 1, sizeof *cells);
	char (*num)[FORM_CELL_NUM] = xcalloc(n ? n : 1, sizeof *num);
	n = form_export_cells(f, a, cells, num);
	for (size_t c = 0; c < n; c++)
		strv_push(out, xstrdup(cells[c]));
	free(num);
	free(cells);
}
