/*
 * form_check.c - normalisation and validation of one response against its
 * codebook definition (types, required, `if` applicability, comparisons,
 * ranges, named checks, soft `warn:` checks).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "form.h"
#include "form_int.h"
#include "valid.h"
#include "util.h"

enum vstate { V_EMPTY, V_OK, V_BAD };

struct vctx {
	const struct form *f;
	char          **norm;     /* normalised values, before applicability */
	unsigned char  *appl;     /* 0 unknown, 1 applicable, 2 not applicable */
	unsigned char  *ruled;    /* not applicable because of an answer given (may be NULL) */
	enum vstate    *st;
	fnum           *num;      /* numeric value when st == V_OK and numeric */
	struct fcheck  *chk;
};

static void add_issue_kind(struct fcheck *chk, int field, int warn, int format, char *msg)
{
	if (chk->n == chk->cap) {
		chk->cap = chk->cap ? chk->cap * 2 : 16;
		chk->items = xrealloc(chk->items, chk->cap * sizeof *chk->items);
	}
	chk->items[chk->n].field = field;
	chk->items[chk->n].warn = warn;
	chk->items[chk->n].msg = msg;
	chk->items[chk->n].format = format;
	chk->n++;
	if (warn)
		chk->nwarnings++;
	else
		chk->nerrors++;
}

/* A problem of the value itself (format) or of the answers together. */
static void add_issue(struct fcheck *chk, int field, int warn, char *msg)
{
	add_issue_kind(chk, field, warn, 0, msg);
}

static void add_format_issue(struct fcheck *chk, int field, char *msg)
{
	add_issue_kind(chk, field, 0, 1, msg);
}

void fcheck_keep_format(struct fcheck *chk)
{
	size_t k = 0;
	for (size_t i = 0; i < chk->n; i++) {
		if (!chk->items[i].format) {
			if (chk->items[i].warn)
				chk->nwarnings--;
			else
				chk->nerrors--;
			free(chk->items[i].msg);
			continue;
		}
		chk->items[k++] = chk->items[i];
	}
	chk->n = k;
}

void fcheck_free(struct fcheck *chk)
{
	for (size_t i = 0; i < chk->n; i++)
		free(chk->items[i].msg);
	free(chk->items);
	free(chk->applicable);
	free(chk->ruled_out);
	memset(chk, 0, sizeof *chk);
}

static const char *find_issue(const struct fcheck *chk, int field, int warn)
{
	if (!chk)
		return NULL;
	for (size_t i = 0; i < chk->n; i++)
		if (chk->items[i].field == field && chk->items[i].warn == warn)
			return chk->items[i].msg;
	return NULL;
}

const char *fcheck_error(const struct fcheck *chk, int field)
{
	return find_issue(chk, field, 0);
}

void fcheck_replace(struct fcheck *chk, int field, const char *msg)
{
	size_t k = 0;
	for (size_t i = 0; i < chk->n; i++) {
		if (chk->items[i].field == field && !chk->items[i].warn) {
			free(chk->items[i].msg);
			chk->nerrors--;
			continue;
		}
		chk->items[k++] = chk->items[i];
	}
	chk->n = k;
	add_format_issue(chk, field, xstrdup(msg));
}

const char *fcheck_warning(const struct fcheck *chk, int field)
{
	return find_issue(chk, field, 1);
}

/* ------------------------------------------------------------------ */

static int is_free_text(enum ftype t)
{
	return t == FT_TEXT || t == FT_TEXTAREA || t == FT_ORG_NAME || t == FT_OTHER_TEXT;
}

/* Numeric value of a field for comparisons and `if CODE<op>N`: numbers,
 * dates, and single-choice option codes (which are numbers). */
static int value_number(const struct field *fd, const char *v, fnum *out)
{
	switch (fd->type) {
	case FT_INT:     return fnum_parse(v, 0, out) == FN_OK ? 0 : -1;
	case FT_DECIMAL: return fnum_parse(v, 4, out) == FN_OK ? 0 : -1;
	case FT_PERCENT: return fnum_parse(v, 2, out) == FN_OK ? 0 : -1;
	case FT_DATE:    return fdate_parse(v, out);
	case FT_SINGLE:  return fnum_parse(v, 0, out) == FN_OK ? 0 : -1;
	default:         return -1;
	}
}

static int cmp_holds(fnum a, enum fop op, fnum b)
{
	switch (op) {
	case OP_LE: return a <= b;
	case OP_GE: return a >= b;
	case OP_LT: return a < b;
	case OP_GT: return a > b;
	case OP_EQ: return a == b;
	case OP_NE: return a != b;
	}
	return 0;
}

static int applicable(struct vctx *c, size_t i);

/* Effective value: a field that is not applicable counts as empty, so a
 * hidden parent hides its children even if stale values were posted. */
static const char *effective(struct vctx *c, size_t i)
{
	return applicable(c, i) ? c->norm[i] : NULL;
}

static int applicable(struct vctx *c, size_t i)
{
	const struct field *fd = &c->f->fields[i];
	int yes = 1;

	if (c->appl[i])
		return c->appl[i] == 1;
	/* forms_load rejected cycles, so this recursion terminates. */
	for (size_t k = 0; k < fd->nrules && yes; k++) {
		const struct frule *r = &fd->rules[k];
		const char *v;
		fnum n;

		if (r->kind > RK_IF_HAS)
			continue;
		v = effective(c, (size_t)r->ref);
		if (!v) {
			yes = 0;
		} else if (r->kind == RK_IF_HAS) {
			yes = form_value_has(v, r->opt) > 0;
		} else if (r->kind == RK_IF_CMP) {
			yes = value_number(&c->f->fields[r->ref], v, &n) == 0 && cmp_holds(n, r->op, r->num);
		}
		/* An answer (or a parent ruled out in turn) settles the question;
		 * an unanswered parent leaves it open. */
		if (!yes && c->ruled && (v || c->ruled[r->ref]))
			c->ruled[i] = 1;
	}
	c->appl[i] = yes ? 1 : 2;
	return yes;
}

/* Stored values were normalised when they were saved, so applicability can
 * be decided on them directly. A value kept from an earlier codebook
 * revision for a field that has since become conditional (and whose
 * condition does not hold) is cleared, so that it is never shown, exported
 * or counted; the stored row itself is left alone. */
size_t form_drop_inapplicable(const struct form *f, struct answers *a)
{
	struct vctx c = { .f = f };
	size_t n = f->nfields < a->n ? f->nfields : a->n, dropped = 0;
	int any_if = 0;

	for (size_t i = 0; i < n && !any_if; i++)
		any_if = f->fields[i].has_if;
	if (!any_if)
		return 0;
	c.norm = a->v;
	c.appl = xcalloc(n ? n : 1, 1);
	for (size_t i = 0; i < n; i++)
		applicable(&c, i);
	/* Clear only after every decision: a field's applicability is decided
	 * on its parents' effective values, which applicable() derives itself. */
	for (size_t i = 0; i < n; i++)
		if (c.appl[i] == 2 && a->v[i]) {
			answers_set(a, i, NULL);
			dropped++;
		}
	free(c.appl);
	return dropped;
}

/* One wording per named check, for the type and the rule alike. */
#define MSG_EMAIL "请输入有效的电子邮箱地址"
#define MSG_PHONE "请输入有效的电话号码（" PHONE_RULE_TEXT "）"

static int has_ctl(const char *s, int allow_newlines)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && !(allow_newlines && (*p == '\n' || *p == '\r' || *p == '\t'))) || *p == 0x7f)
			return 1;
	return 0;
}

/* Check a code list ("1,3,9"): every code an option, no repeats, at most
 * nopts entries. Returns the count, or -1 invalid, -2 repeated. */
static int codes_check(const struct field *fd, const char *v, unsigned char *sel)
{
	int n = 0;
	memset(sel, 0, fd->nopts);
	for (const char *p = v; *p;) {
		size_t len = strcspn(p, ",");
		int oi = form_option_index(fd, p, len);
		if (oi < 0)
			return -1;
		if (sel[oi])
			return -2;
		sel[oi] = 1;
		n++;
		p += len;
		if (*p) {
			p++;
			if (!*p)
				return -1;
		}
	}
	return n;
}

/* Type check; returns NULL or a static Chinese message. May rewrite
 * *norm into its canonical form (multi order). */
static const char *type_check(const struct field *fd, char **norm, fnum *num)
{
	const char *v = *norm;
	enum fnum_result fr;
	int rc;

	switch (fd->type) {
	case FT_TEXT:
	case FT_ORG_NAME:
	case FT_OTHER_TEXT:
		if (strlen(v) > FORM_MAX_TEXT || utf8_len(v) > FORM_MAX_TEXT_CHARS)
			return "内容过长（最多 200 字）";
		if (has_ctl(v, 0))
			return "包含无效字符";
		return NULL;
	case FT_TEXTAREA:
		if (strlen(v) > FORM_MAX_TEXTAREA || utf8_len(v) > FORM_MAX_TEXTAREA_CHARS)
			return "内容过长（最多 20000 字）";
		if (has_ctl(v, 1))
			return "包含无效字符";
		return NULL;
	case FT_INT:
		fr = fnum_parse(v, 0, num);
		return fr == FN_OK ? NULL : fr == FN_TOO_BIG ? "数值过大" : "请输入整数";
	case FT_DECIMAL:
		fr = fnum_parse(v, 4, num);
		return fr == FN_OK ? NULL : fr == FN_TOO_BIG ? "数值过大" : fr == FN_TOO_PRECISE ? "最多保留 4 位小数"
		       : "请输入数字（如 123.45，不加千位分隔符）";
	case FT_PERCENT:
		fr = fnum_parse(v, 2, num);
		return fr == FN_OK ? NULL : fr == FN_TOO_PRECISE ? "最多保留 2 位小数" : "请输入 0 到 100 之间的数字";
	case FT_DATE:
		return fdate_parse(v, num) == 0 ? NULL
		       : "请按 YYYY-MM-DD 格式填写日期（只知道年月时可填 YYYY-MM）";
	case FT_EMAIL:
		return email_valid(v) ? NULL : MSG_EMAIL;
	case FT_PHONE:
		return phone_valid(v) ? NULL : MSG_PHONE;
	case FT_ZIP:
		return postcode_valid(v) ? NULL : "邮编应为 6 位数字";
	case FT_SINGLE:
		if (form_option_index(fd, v, strlen(v)) < 0)
			return "请从列表中选择";
		if (fnum_parse(v, 0, num) != FN_OK)
			*num = 0;
		return NULL;
	case FT_MULTI:
	case FT_RANK: {
		unsigned char *sel = xcalloc(fd->nopts + 1, 1);
		rc = codes_check(fd, v, sel);
		if (rc >= 0 && fd->type == FT_MULTI) {
			/* Canonical storage: ascending option order. */
			struct buf b;
			buf_init(&b);
			for (size_t k = 0; k < fd->nopts; k++)
				if (sel[k]) {
					if (b.len)
						buf_putc(&b, ',');
					buf_puts(&b, fd->opts[k].code);
				}
			free(*norm);
			*norm = buf_steal(&b);
		}
		free(sel);
		*num = rc;
		if (rc == -2)
			return fd->type == FT_RANK ? "排序中不能重复选择同一项" : "选项重复";
		return rc < 0 ? "包含无效的选项" : NULL;
	}
	case FT_FILE: {
		const char *hex, *name;
		return form_file_value(v, &hex, &name) == 0 ? NULL : "文件信息无效，请重新上传";
	}
	case FT_COUNT:
		break;
	}
	return "无效的字段类型";
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + (unsigned)era * 400 + (*m <= 2));
}

static void put_value(struct buf *b, fnum v, int is_date)
{
	char s[32];
	if (is_date) {
		int y, m, d;
		civil_from_days((long)(v / FNUM_SCALE), &y, &m, &d);
		buf_printf(b, "%04d-%02d-%02d", y, m, d);
	} else {
		fnum_format(v, s);
		buf_puts(b, s);
	}
}

static void put_label(struct buf *b, const struct field *fd)
{
	char *l = form_display_label(fd->label);
	buf_printf(b, "「%s」", l);
	free(l);
}

static void put_expr(struct buf *b, const struct form *f, const struct fexpr *e, int is_date)
{
	for (size_t k = 0; k < e->n; k++) {
		if (k)
			buf_puts(b, " + ");
		if (e->t[k].field >= 0)
			put_label(b, &f->fields[e->t[k].field]);
		else
			put_value(b, e->t[k].num, is_date);
	}
	if (e->n > 1)
		buf_puts(b, " 之和");
}

static const char *op_phrase(enum fop op, int is_date, int warn)
{
	static const char *const plain[] = { "不能大于", "不能小于", "应小于", "应大于", "应等于", "不能等于" };
	static const char *const date[] = { "不能晚于", "不能早于", "应早于", "应晚于", "应为", "不能为" };
	static const char *const soft[] = { "通常不大于", "通常不小于", "通常小于", "通常大于", "通常等于", "通常不等于" };
	return warn ? soft[op] : is_date ? date[op] : plain[op];
}

static int expr_has_field(const struct fexpr *e)
{
	for (size_t k = 0; k < e->n; k++)
		if (e->t[k].field >= 0)
			return 1;
	return 0;
}

static char *cmp_message(const struct vctx *c, const struct field *fd, const struct frule *r,
                         fnum lhs, fnum rhs)
{
	struct buf b;
	int is_date = fd->type == FT_DATE;

	buf_init(&b);
	if (r->lhs.n == 0 && !expr_has_field(&r->rhs) && r->op == OP_GE && rhs == 0 && !is_date) {
		buf_puts(&b, r->warn ? "通常不为负数" : "不能为负数");
		return buf_steal(&b);
	}
	if (r->lhs.n) {
		put_expr(&b, c->f, &r->lhs, is_date);
		buf_puts(&b, " ");
	}
	buf_puts(&b, op_phrase(r->op, is_date, r->warn));
	buf_puts(&b, " ");
	put_expr(&b, c->f, &r->rhs, is_date);
	/* Show the computed side that involves other fields. */
	if (r->lhs.n && expr_has_field(&r->lhs)) {
		buf_puts(&b, "（目前为 ");
		put_value(&b, lhs, is_date);
		buf_puts(&b, "）");
	} else if (expr_has_field(&r->rhs)) {
		buf_puts(&b, "（");
		buf_puts(&b, r->rhs.n > 1 ? "合计" : "该项");
		buf_puts(&b, "目前为 ");
		put_value(&b, rhs, is_date);
		buf_puts(&b, "）");
	}
	return buf_steal(&b);
}

/* Evaluate an expression; returns 1 ok, 0 skip (a referenced field is
 * invalid), and counts the referenced fields that are non-empty. */
static int eval_expr(struct vctx *c, const struct fexpr *e, fnum *out, int *nrefs, int *nset)
{
	fnum sum = 0;
	for (size_t k = 0; k < e->n; k++) {
		int fi = e->t[k].field;
		if (fi < 0) {
			sum += e->t[k].num;
			continue;
		}
		(*nrefs)++;
		if (!effective(c, (size_t)fi))
			continue;   /* empty counts as 0 */
		if (c->st[fi] != V_OK)
			return 0;
		(*nset)++;
		sum += c->num[fi];
	}
	*out = sum;
	return 1;
}

/* The message of a comparison that does not hold, or NULL. */
static char *cmp_rule_message(struct vctx *c, size_t i, const struct frule *r)
{
	fnum lhs = c->num[i], rhs = 0;
	int nrefs = 0, nset = 0;
	if (r->lhs.n && !eval_expr(c, &r->lhs, &lhs, &nrefs, &nset))
		return NULL;
	if (!eval_expr(c, &r->rhs, &rhs, &nrefs, &nset))
		return NULL;
	/* Comparisons with other fields wait until one of them is filled. */
	if (nrefs > 0 && nset == 0)
		return NULL;
	return cmp_holds(lhs, r->op, rhs) ? NULL : cmp_message(c, &c->f->fields[i], r, lhs, rhs);
}

/* The message of a range or count outside its bounds, or NULL. */
static char *bounds_rule_message(const struct vctx *c, size_t i, const struct frule *r)
{
	const struct field *fd = &c->f->fields[i];
	struct buf b;

	if (c->num[i] >= r->lo && c->num[i] <= r->hi)
		return NULL;
	buf_init(&b);
	if (r->kind == RK_COUNT) {
		buf_printf(&b, "%s %lld 到 %lld 项", fd->type == FT_RANK ? "请排列" : "请选择", r->lo, r->hi);
		return buf_steal(&b);
	}
	buf_puts(&b, fd->type == FT_PERCENT ? "百分比应在 " : "应在 ");
	put_value(&b, r->lo, 0);
	buf_puts(&b, " 到 ");
	put_value(&b, r->hi, 0);
	buf_puts(&b, " 之间");
	return buf_steal(&b);
}

/* The message of a stored file whose name has none of the types, or NULL. */
static char *ext_rule_message(const char *v, const struct frule *r)
{
	const char *hex, *name, *dot;
	struct buf b;

	if (form_file_value(v, &hex, &name) == 0 && (dot = strrchr(name, '.')))
		for (size_t e = 0; e < r->next; e++)
			if (!strcasecmp(dot + 1, r->ext[e]))
				return NULL;
	buf_init(&b);
	buf_puts(&b, "文件类型应为 ");
	for (size_t e = 0; e < r->next; e++)
		buf_printf(&b, "%s%s", e ? "、" : "", r->ext[e]);
	return buf_steal(&b);
}

/* The message of field i's rule r when its value breaks it, or NULL. */
static char *rule_message(struct vctx *c, size_t i, const struct frule *r)
{
	const char *v = c->norm[i];

	switch (r->kind) {
	case RK_IF_SET:
	case RK_IF_CMP:
	case RK_IF_HAS:
		return NULL;
	case RK_CMP:
		return cmp_rule_message(c, i, r);
	case RK_RANGE:
	case RK_COUNT:
		return bounds_rule_message(c, i, r);
	case RK_DIGITS6:
		return postcode_valid(v) ? NULL : xstrdup("应为 6 位数字");
	case RK_EMAIL:
		return email_valid(v) ? NULL : xstrdup(MSG_EMAIL);
	case RK_PHONE:
		return phone_valid(v) ? NULL : xstrdup(MSG_PHONE);
	case RK_EXT:
		return ext_rule_message(v, r);
	}
	return NULL;
}

static void run_rules(struct vctx *c, size_t i)
{
	const struct field *fd = &c->f->fields[i];

	for (size_t k = 0; k < fd->nrules; k++) {
		const struct frule *r = &fd->rules[k];
		char *msg = rule_message(c, i, r);
		struct buf b;

		if (msg && r->warn) {
			/* A soft check says so in front of the rule's wording. */
			buf_init(&b);
			buf_printf(&b, "请核对：%s", msg);
			free(msg);
			msg = buf_steal(&b);
		}
		/* Range, 6 digits, email, phone, file type: the value itself. */
		if (msg)
			add_issue_kind(c->chk, (int)i, r->warn, r->kind == RK_RANGE || r->kind == RK_DIGITS6 ||
			               r->kind == RK_EMAIL || r->kind == RK_PHONE || r->kind == RK_EXT, msg);
	}
}

static const char *required_message(enum ftype t)
{
	switch (t) {
	case FT_SINGLE: return "请选择一项";
	case FT_MULTI:  return "请至少选择一项";
	case FT_RANK:   return "请至少排列一项";
	case FT_FILE:   return "请上传文件";
	default:        return "请填写此项";
	}
}

/* 1. Normalise raw into norm (NULL: empty); bad_utf8[i] marks a value
 * that is not UTF-8. Free text keeps its full-width punctuation (it is
 * the respondent's Chinese prose or a registered name) and is only
 * trimmed; everything else is folded to ASCII first. */
static void normalise(const struct form *f, const struct answers *raw, char **norm, unsigned char *bad_utf8)
{
	size_t n = f->nfields;
	for (size_t i = 0; i < n; i++) {
		const char *v = i < raw->n ? raw->v[i] : NULL;
		char *s;
		if (!v || !*v)
			continue;
		if (!utf8_valid(v, strlen(v))) {
			bad_utf8[i] = 1;
			continue;
		}
		s = is_free_text(f->fields[i].type) ? form_trim(v) : form_fold(v);
		if (f->fields[i].type == FT_PERCENT && *s && s[strlen(s) - 1] == '%') {
			/* "45%" is what people type into a percent box. */
			char *t;
			s[strlen(s) - 1] = 0;
			t = form_trim(s);
			free(s);
			s = t;
		}
		if (*s)
			norm[i] = s;
		else
			free(s);
	}
}

/* 3. Field i: applicable, required, its type and rules; what may be stored
 * goes into clean. */
static void check_field(struct vctx *c, size_t i, int bad_utf8, struct answers *clean)
{
	const struct field *fd = &c->f->fields[i];
	int app = applicable(c, i);
	c->chk->applicable[i] = (unsigned char)app;
	if (!app)
		return;   /* stale values of hidden fields are dropped */
	if (bad_utf8) {
		add_format_issue(c->chk, (int)i, xstrdup("包含无效字符"));
		return;
	}
	if (!c->norm[i]) {
		if (fd->required)
			add_issue(c->chk, (int)i, 0, xstrdup(required_message(fd->type)));
		return;
	}
	if (c->st[i] == V_BAD) {
		char *tmp = xstrdup(c->norm[i]);
		fnum dummy;
		add_format_issue(c->chk, (int)i, xstrdup(type_check(fd, &tmp, &dummy)));
		free(tmp);
	} else {
		run_rules(c, i);
	}
	/* Drafts may be saved with errors; keep what fits the column.
	 * Single/multi values with unknown codes (form_collect marks them
	 * "?") cannot come from the form and are never stored. */
	if ((fd->type == FT_SINGLE || fd->type == FT_MULTI) && c->st[i] == V_BAD)
		return;
	if (strlen(c->norm[i]) <= FORM_MAX_TEXTAREA)
		answers_set(clean, i, c->norm[i]);
}

size_t form_validate(const struct form *f, const struct answers *raw,
                     struct answers *clean, struct fcheck *chk)
{
	struct vctx c;
	size_t n = f->nfields;
	unsigned char *bad_utf8 = xcalloc(n ? n : 1, 1);

	memset(chk, 0, sizeof *chk);
	chk->applicable = xcalloc(n ? n : 1, 1);
	chk->ruled_out = xcalloc(n ? n : 1, 1);
	answers_init(clean, f);
	c.f = f;
	c.chk = chk;
	c.norm = xcalloc(n ? n : 1, sizeof *c.norm);
	c.appl = xcalloc(n ? n : 1, 1);
	c.ruled = chk->ruled_out;
	c.st = xcalloc(n ? n : 1, sizeof *c.st);
	c.num = xcalloc(n ? n : 1, sizeof *c.num);

	normalise(f, raw, c.norm, bad_utf8);
	/* 2. Types, for every field with a value (others' checks need them). */
	for (size_t i = 0; i < n; i++) {
		if (!c.norm[i]) {
			c.st[i] = bad_utf8[i] ? V_BAD : V_EMPTY;
			continue;
		}
		c.st[i] = type_check(&f->fields[i], &c.norm[i], &c.num[i]) ? V_BAD : V_OK;
	}
	/* 3. Applicability, required, checks. */
	for (size_t i = 0; i < n; i++)
		check_field(&c, i, bad_utf8[i], clean);
	for (size_t i = 0; i < n; i++)
		free(c.norm[i]);
	free(c.norm);
	free(c.appl);
	free(c.st);
	free(c.num);
	free(bad_utf8);
	return chk->nerrors;
}
