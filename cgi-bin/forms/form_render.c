/*
 * form_render.c - HTML for a form, from its codebook definition alone.
 *
 * Sections become headings (" > " levels -> h2..h5). A run of consecutive
 * fields of one section whose labels are "row / column" becomes a table
 * with <th scope> headers (two header levels when a part contains " > ").
 * Everything else is a labelled control. The same code renders the
 * editable form, the read-only view of a submitted response, and the
 * printable blank/filled questionnaire.
 *
 * CSS classes (htdocs/form.css): survey, intro, req-note, form-errors,
 * form-warnings, field, field-error, field-warn, cond, na (not applicable;
 * hidden by form.js), grid, table-wrap, unit, opts, opt, ro, val, blank,
 * checked, rank, actions, vh (visually hidden), toc (the section index),
 * sec (a section of the index), rh/rg/r2/corner (grid headers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "form.h"
#include "form_int.h"
#include "html.h"
#include "http.h"
#include "util.h"

struct rctx {
	struct req           *r;
	const struct fview   *v;
	const struct form    *f;
	const unsigned char  *appl;
	const unsigned char  *ruled;       /* ruled out by an answer: hidden even without script */
	const char           *numprefix;   /* "6." of a numbered question, pending */
};

static const char *val_of(const struct rctx *c, size_t i)
{
	const struct answers *a = c->v->vals;
	if (c->v->mode == FV_BLANK || !a || i >= a->n || !a->v[i])
		return "";
	return a->v[i];
}

/* Class of a conditional field's wrapper: "na" while its condition does not
 * hold (form.js hides it and keeps it current), "off" as well when an answer
 * already rules it out, so that it is hidden without script too (a field
 * whose parent is still unanswered stays visible there, with its condition
 * spelled out). */
static const char *na_class(const struct rctx *c, size_t i)
{
	if (!c->appl || c->appl[i])
		return "";
	return c->ruled && c->ruled[i] ? " na off" : " na";
}

static const char *err_of(const struct rctx *c, size_t i)
{
	return c->v->chk ? fcheck_error(c->v->chk, (int)i) : NULL;
}

static const char *warn_of(const struct rctx *c, size_t i)
{
	return c->v->chk ? fcheck_warning(c->v->chk, (int)i) : NULL;
}

/* Count " > "-separated parts of s. */
static size_t split_levels(const char *s, const char *sep, char **out, size_t max)
{
	size_t n = 0, sl = strlen(sep);
	while (n < max) {
		const char *e = strstr(s, sep);
		if (!e || n + 1 == max) {
			out[n++] = xstrdup(s);
			break;
		}
		out[n++] = xstrndup(s, (size_t)(e - s));
		s = e + sl;
	}
	return n;
}

static void free_levels(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
}

static int is_question_number(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || s[n - 1] != '.')
		return 0;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void put_display(struct req *r, const char *label)
{
	char *d = form_display_label(label);
	h_text(r, d);
	free(d);
}

/* Human wording of a field's `if` clauses, for readers without script
 * and for paper. */
static void put_condition(struct rctx *c, const struct field *fd, int id_for)
{
	int first = 1;
	if (!fd->has_if || c->v->mode == FV_READONLY)
		return;
	if (id_for >= 0)
		h_printf(c->r, "<p class=\"cond\" id=\"c-%s\">", fd->code);
	else
		h_raw(c->r, "<p class=\"cond\">");
	h_raw(c->r, "（");
	for (size_t k = 0; k < fd->nrules; k++) {
		const struct frule *rl = &fd->rules[k];
		const struct field *ref;
		char num[32];
		if (rl->kind > RK_IF_HAS)
			continue;
		ref = &c->f->fields[rl->ref];
		if (!first)
			h_raw(c->r, "，且");
		first = 0;
		h_raw(c->r, "「");
		put_display(c->r, ref->label);
		h_raw(c->r, "」");
		if (rl->kind == RK_IF_SET) {
			h_raw(c->r, "已填写");
		} else if (rl->kind == RK_IF_HAS) {
			h_printf(c->r, "选择了“%s”", form_option_label(ref, rl->opt));
		} else if (ref->type == FT_SINGLE) {
			fnum_format(rl->num, num);
			h_printf(c->r, "%s“%s”", rl->op == OP_NE ? "未选择" : "选择了",
			         form_option_label(ref, num) ? form_option_label(ref, num) : num);
		} else {
			static const char *const ops[] = { "不大于", "不小于", "小于", "大于", "等于", "不等于" };
			fnum_format(rl->num, num);
			h_printf(c->r, "%s %s", ops[rl->op], num);
		}
	}
	h_raw(c->r, "时填写）</p>");
}

static void put_data_if(struct rctx *c, const struct field *fd)
{
	struct buf b;
	if (!fd->has_if)
		return;
	buf_init(&b);
	for (size_t k = 0; k < fd->nrules; k++)
		if (fd->rules[k].kind <= RK_IF_HAS) {
			/* form.js expects the clause without its "if " keyword. */
			const char *src = fd->rules[k].src;
			if (!strncmp(src, "if ", 3))
				src += 3;
			if (b.len)
				buf_putc(&b, ';');
			buf_puts(&b, src);
		}
	h_printf(c->r, " data-if=\"%s\"", b.data ? b.data : "");
	buf_free(&b);
}

/* Required fields, for toc.js's live counts. */
static void put_data_req(struct rctx *c, const struct field *fd)
{
	if (fd->required && c->v->mode == FV_EDIT)
		h_raw(c->r, " data-req=\"1\"");
}

static void put_describedby(struct rctx *c, size_t i, int with_cond)
{
	const struct field *fd = &c->f->fields[i];
	struct buf b;
	buf_init(&b);
	if (err_of(c, i))
		buf_printf(&b, "e-%s", fd->code);
	if (warn_of(c, i))
		buf_printf(&b, "%sn-%s", b.len ? " " : "", fd->code);
	if (with_cond && fd->has_if)
		buf_printf(&b, "%sc-%s", b.len ? " " : "", fd->code);
	if (b.len)
		h_printf(c->r, " aria-describedby=\"%s\"", b.data);
	if (err_of(c, i))
		h_raw(c->r, " aria-invalid=\"true\"");
	buf_free(&b);
}

static void put_messages(struct rctx *c, size_t i)
{
	const struct field *fd = &c->f->fields[i];
	if (err_of(c, i))
		h_printf(c->r, "<p class=\"field-error\" id=\"e-%s\">%s</p>", fd->code, err_of(c, i));
	if (warn_of(c, i))
		h_printf(c->r, "<p class=\"field-warn\" id=\"n-%s\">%s</p>", fd->code, warn_of(c, i));
}

static void put_label_text(struct rctx *c, const struct field *fd)
{
	if (c->numprefix) {
		h_printf(c->r, "%s ", c->numprefix);
		c->numprefix = NULL;
	}
	put_display(c->r, fd->label);
	if (fd->required && c->v->mode == FV_EDIT)
		h_raw(c->r, "<span class=\"req\" aria-hidden=\"true\">*</span>");
}

static const char *inputmode(enum ftype t)
{
	switch (t) {
	case FT_INT: case FT_ZIP: return "numeric";
	case FT_DECIMAL: case FT_PERCENT: return "decimal";
	case FT_EMAIL: return "email";
	case FT_PHONE: return "tel";
	default: return NULL;
	}
}

static int is_number_type(enum ftype t)
{
	return t == FT_INT || t == FT_DECIMAL || t == FT_PERCENT;
}

/* The messages of htdocs/numcheck.js for each number type, as attributes
 * of the <form>: data-num-msg-D and data-num-frac-D, D the decimals the
 * type keeps (form_number_decimals; 0, 4 and 2 tell the three apart). */
static void put_number_messages(struct req *r)
{
	static const enum ftype types[] = { FT_INT, FT_DECIMAL, FT_PERCENT };
	for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
		int d = form_number_decimals(types[k]);
		h_printf(r, " data-num-msg-%d=\"%s\" data-num-frac-%d=\"%s\"", d,
		         form_number_message(types[k], FN_NOT_NUMBER), d, form_number_message(types[k], FN_TOO_PRECISE));
	}
}

/* One single-line input (also used inside grid cells). */
static void put_input(struct rctx *c, size_t i, const char *aria_label, int with_cond)
{
	const struct field *fd = &c->f->fields[i];
	const char *im = inputmode(fd->type);
	const char *v = val_of(c, i);

	if (fd->type == FT_SINGLE) {
		/* Only inside grids: a compact <select>. */
		h_printf(c->r, "<select id=\"f-%s\" name=\"%s\"", fd->code, fd->code);
		if (aria_label)
			h_printf(c->r, " aria-label=\"%s\"", aria_label);
		put_describedby(c, i, with_cond);
		h_raw(c->r, "><option value=\"\">请选择</option>");
		for (size_t k = 0; k < fd->nopts; k++)
			h_option_of(c->r, fd->opts[k].code, fd->opts[k].label, v);
		h_raw(c->r, "</select>");
		return;
	}
	h_printf(c->r, "<input type=\"%s\" id=\"f-%s\" name=\"%s\" value=\"%s\"",
	         fd->type == FT_PHONE ? "tel" : "text", fd->code, fd->code, v);
	if (im)
		h_printf(c->r, " inputmode=\"%s\"", im);
	if (is_number_type(fd->type))
		/* The decimals the server keeps, for the check while typing
		 * (htdocs/numcheck.js; its messages are on the <form> once per
		 * number type: form_open). */
		h_printf(c->r, " class=\"num\" maxlength=\"20\" data-num=\"%d\"", form_number_decimals(fd->type));
	if (fd->type == FT_PERCENT)
		h_raw(c->r, " data-num-pct=\"1\"");   /* "45%" is accepted (form_check.c) */
	else if (is_number_type(fd->type))
		;                                      /* its maxlength is above */
	else if (fd->type == FT_DATE)
		h_raw(c->r, " placeholder=\"YYYY-MM-DD\" maxlength=\"10\"");
	else if (fd->type == FT_ZIP)
		h_raw(c->r, " maxlength=\"6\" autocomplete=\"postal-code\"");
	else
		h_raw(c->r, " maxlength=\"200\"");
	if (fd->type == FT_ORG_NAME)
		h_raw(c->r, " autocomplete=\"organization\"");
	else if (fd->type == FT_EMAIL)
		h_raw(c->r, " autocomplete=\"email\"");
	else if (fd->type == FT_PHONE)
		h_raw(c->r, " autocomplete=\"tel\"");
	if (aria_label)
		h_printf(c->r, " aria-label=\"%s\"", aria_label);
	if (fd->required)
		h_raw(c->r, " aria-required=\"true\"");
	put_describedby(c, i, with_cond);
	h_raw(c->r, ">");
}

/* Read-only text of a scalar value. */
static void put_value_text(struct rctx *c, size_t i)
{
	const struct field *fd = &c->f->fields[i];
	const char *v = val_of(c, i);
	const char *hex, *name;

	if (!*v) {
		h_raw(c->r, "<span class=\"blank\"></span>");
		return;
	}
	if (fd->type == FT_SINGLE) {
		const char *l = form_option_label(fd, v);
		h_text(c->r, l ? l : v);
	} else if (fd->type == FT_FILE) {
		h_text(c->r, form_file_value(v, &hex, &name) == 0 ? name : v);
	} else if (fd->type == FT_TEXTAREA) {
		/* Paragraphs, escaped line by line. */
		for (const char *p = v; *p;) {
			size_t n = strcspn(p, "\n");
			h_raw(c->r, "<span class=\"line\">");
			h_textn(c->r, p, n);
			h_raw(c->r, "</span>");
			p += n;
			if (*p)
				p++;
		}
	} else {
		h_text(c->r, v);
	}
}

static void put_options(struct rctx *c, size_t i)
{
	const struct field *fd = &c->f->fields[i];
	const char *v = val_of(c, i);
	int multi = fd->type == FT_MULTI;

	if (c->v->mode != FV_EDIT) {
		h_raw(c->r, "<ul class=\"opts ro\">");
		for (size_t k = 0; k < fd->nopts; k++) {
			int on = form_value_has(v, fd->opts[k].code) > 0;
			/* h_printf escapes %s: markup goes through h_raw. */
			h_raw(c->r, on ? "<li class=\"checked\">" : "<li>");
			h_printf(c->r, "<span aria-hidden=\"true\">%s</span><span class=\"vh\">%s</span>"
			         "(%s) %s</li>", on ? "☑" : "☐",
			         on ? "已选：" : "未选：", fd->opts[k].code, fd->opts[k].label);
		}
		h_raw(c->r, "</ul>");
		return;
	}
	h_raw(c->r, "<div class=\"opts\">");
	for (size_t k = 0; k < fd->nopts; k++) {
		int on = multi ? form_value_has(v, fd->opts[k].code) > 0 : !strcmp(v, fd->opts[k].code);
		if (k == 0)
			h_printf(c->r, "<label class=\"opt\"><input type=\"%s\" id=\"f-%s\" name=\"%s\" value=\"%s\"%s",
			         multi ? "checkbox" : "radio", fd->code, fd->code, fd->opts[k].code,
			         on ? " checked" : "");
		else
			h_printf(c->r, "<label class=\"opt\"><input type=\"%s\" id=\"f-%s-%s\" name=\"%s\" value=\"%s\"%s",
			         multi ? "checkbox" : "radio", fd->code, fd->opts[k].code, fd->code,
			         fd->opts[k].code, on ? " checked" : "");
		/* Each option points at the group's error message. */
		put_describedby(c, i, 1);
		h_printf(c->r, "> %s</label>", fd->opts[k].label);
	}
	h_raw(c->r, "</div>");
}

static void put_rank(struct rctx *c, size_t i)
{
	const struct field *fd = &c->f->fields[i];
	const char *v = val_of(c, i);

	if (c->v->mode != FV_EDIT) {
		h_raw(c->r, "<ol class=\"rank ro\">");
		for (size_t pos = 1; pos <= fd->nopts; pos++) {
			const char *code = NULL;
			for (size_t k = 0; k < fd->nopts; k++)
				if (form_value_has(v, fd->opts[k].code) == (int)pos)
					code = fd->opts[k].code;
			h_printf(c->r, "<li>第 %zu 位：", pos);
			if (code)
				h_printf(c->r, "(%s) %s", code, form_option_label(fd, code));
			else
				h_raw(c->r, "<span class=\"blank\"></span>");
			h_raw(c->r, "</li>");
		}
		h_raw(c->r, "</ol><ul class=\"opts ro\">");
		for (size_t k = 0; k < fd->nopts; k++)
			h_printf(c->r, "<li>(%s) %s</li>", fd->opts[k].code, fd->opts[k].label);
		h_raw(c->r, "</ul>");
		return;
	}
	h_raw(c->r, "<div class=\"rank\">");
	for (size_t pos = 1; pos <= fd->nopts; pos++) {
		/* The value at this position (after a failed check: as typed). */
		const char *p = v;
		size_t n = 0;
		char cur[16] = "";
		for (size_t k = 1; *p; k++) {
			n = strcspn(p, ",");
			if (k == pos && n < sizeof cur) {
				memcpy(cur, p, n);
				cur[n] = 0;
			}
			p += n;
			if (*p)
				p++;
		}
		if (pos == 1)
			h_printf(c->r, "<label for=\"f-%s\">第 %zu 位</label><select id=\"f-%s\" name=\"%s_1\"",
			         fd->code, pos, fd->code, fd->code);
		else
			h_printf(c->r, "<label for=\"f-%s_%zu\">第 %zu 位</label><select id=\"f-%s_%zu\" name=\"%s_%zu\"",
			         fd->code, pos, pos, fd->code, pos, fd->code, pos);
		if (pos == 1)
			put_describedby(c, i, 1);
		h_raw(c->r, "><option value=\"\">（不选）</option>");
		for (size_t k = 0; k < fd->nopts; k++)
			h_printf(c->r, "<option value=\"%s\"%s>(%s) %s</option>", fd->opts[k].code,
			         strcmp(cur, fd->opts[k].code) ? "" : " selected", fd->opts[k].code,
			         fd->opts[k].label);
		h_raw(c->r, "</select>");
	}
	h_raw(c->r, "</div>");
}

static void render_field(struct rctx *c, size_t i)
{
	const struct field *fd = &c->f->fields[i];
	int group = fd->type == FT_SINGLE || fd->type == FT_MULTI || fd->type == FT_RANK;
	int edit = c->v->mode == FV_EDIT;

	h_printf(c->r, "<div class=\"field%s%s\" id=\"w-%s\"", err_of(c, i) ? " has-error" : "",
	         na_class(c, i), fd->code);
	put_data_if(c, fd);
	put_data_req(c, fd);
	h_raw(c->r, ">");
	if (group) {
		/* aria-required is not allowed on a group: "required" is part of
		 * the legend's text for screen readers (the * is aria-hidden). */
		h_raw(c->r, "<fieldset><legend>");
		put_label_text(c, fd);
		if (edit && fd->required)
			h_raw(c->r, "<span class=\"vh\">（必填）</span>");
		if (fd->type == FT_RANK)
			h_raw(c->r, "<span class=\"hint\">（按优先次序选择）</span>");
		h_raw(c->r, "</legend>");
		put_condition(c, fd, 1);
		put_messages(c, i);
		if (fd->type == FT_RANK)
			put_rank(c, i);
		else
			put_options(c, i);
		h_raw(c->r, "</fieldset>");
	} else if (!edit) {
		h_raw(c->r, "<p class=\"ro\"><span class=\"lbl\">");
		put_label_text(c, fd);
		h_raw(c->r, "：</span><span class=\"val\">");
		put_value_text(c, i);
		if (*fd->unit)
			h_printf(c->r, " <span class=\"unit\">%s</span>", fd->unit);
		h_raw(c->r, "</span></p>");
		put_condition(c, fd, -1);
	} else {
		h_printf(c->r, "<label for=\"f-%s\">", fd->code);
		put_label_text(c, fd);
		if (*fd->unit)
			h_printf(c->r, "<span class=\"unit\">（%s）</span>", fd->unit);
		h_raw(c->r, "</label>");
		put_condition(c, fd, 1);
		put_messages(c, i);
		if (fd->type == FT_TEXTAREA) {
			h_printf(c->r, "<textarea id=\"f-%s\" name=\"%s\" rows=\"8\" maxlength=\"20000\"",
			         fd->code, fd->code);
			if (fd->required)
				h_raw(c->r, " aria-required=\"true\"");
			put_describedby(c, i, 1);
			h_printf(c->r, ">%s</textarea>", val_of(c, i));
		} else if (fd->type == FT_FILE) {
			const char *hex, *name;
			if (form_file_value(val_of(c, i), &hex, &name) == 0)
				h_printf(c->r, "<p class=\"uploaded\">已上传：%s（重新选择文件将替换它）</p>", name);
			/* Accepted types: the codebook's ext: rule. */
			const struct frule *er = form_ext_rule(fd);
			struct buf acc;
			buf_init(&acc);
			for (size_t e = 0; er && e < er->next; e++)
				buf_printf(&acc, "%s.%s", e ? "," : "", er->ext[e]);
			h_printf(c->r, "<input type=\"file\" id=\"f-%s\" name=\"%s\" accept=\"%s\"",
			         fd->code, fd->code, acc.data ? acc.data : "");
			put_describedby(c, i, 1);
			h_raw(c->r, ">");
			if (c->r->conf && c->r->conf->max_upload > 0) {
				buf_reset(&acc);
				form_ext_text(fd, &acc);
				h_printf(c->r, "<p class=\"hint\">%s 文件，不超过 %ld MB。</p>",
				         acc.data ? acc.data : "", c->r->conf->max_upload / (1024 * 1024));
			}
			buf_free(&acc);
		} else {
			put_input(c, i, NULL, 1);
		}
	}
	h_raw(c->r, "</div>\n");
}

/* ------------------------------------------------------------------ */
/* Grids                                                               */

static int gridable(enum ftype t)
{
	return t != FT_TEXTAREA && t != FT_MULTI && t != FT_RANK && t != FT_FILE;
}

struct grid {
	char  **rows, **cols;
	size_t  nrows, ncols;
	int    *cell;          /* nrows * ncols field index or -1 */
};

static size_t intern(char ***list, size_t *n, const char *s, size_t len)
{
	for (size_t k = 0; k < *n; k++)
		if (strlen((*list)[k]) == len && !memcmp((*list)[k], s, len))
			return k;
	*list = xrealloc(*list, (*n + 1) * sizeof **list);
	(*list)[*n] = xstrndup(s, len);
	return (*n)++;
}

static void grid_free(struct grid *g)
{
	for (size_t k = 0; k < g->nrows; k++)
		free(g->rows[k]);
	for (size_t k = 0; k < g->ncols; k++)
		free(g->cols[k]);
	free(g->rows);
	free(g->cols);
	free(g->cell);
}

/* Header cells of one level: level 0 merges equal neighbours; a part
 * with a single level spans both header levels. */
static void put_col_headers(struct rctx *c, const struct grid *g, int two, int level, int rowhdr_cols)
{
	h_raw(c->r, "<tr>");
	if (level == 0)
		h_printf(c->r, "<td class=\"corner\" colspan=\"%d\" rowspan=\"%d\"></td>", rowhdr_cols, two ? 2 : 1);
	for (size_t k = 0; k < g->ncols;) {
		char *lv[2], *lv2[2];
		size_t n = split_levels(g->cols[k], " > ", lv, 2), span = 1;
		if (level == 0) {
			while (n == 2 && k + span < g->ncols) {
				size_t m = split_levels(g->cols[k + span], " > ", lv2, 2);
				int same = m == 2 && !strcmp(lv2[0], lv[0]);
				free_levels(lv2, m);
				if (!same)
					break;
				span++;
			}
			h_raw(c->r, "<th scope=\"col");
			if (span > 1)
				h_printf(c->r, "group\" colspan=\"%zu", span);
			if (two && n == 1)
				h_raw(c->r, "\" rowspan=\"2");
			h_raw(c->r, "\">");
			put_display(c->r, lv[0]);
			h_raw(c->r, "</th>");
		} else if (n == 2) {
			h_raw(c->r, "<th scope=\"col\">");
			put_display(c->r, lv[1]);
			h_raw(c->r, "</th>");
		}
		free_levels(lv, n);
		k += span;
	}
	h_raw(c->r, "</tr>");
}

/* The grid of fields [from, to): rows and columns from their labels
 * ("row / column", either may have two levels "a > b"). */
static void grid_build(struct rctx *c, size_t from, size_t to, struct grid *g, int *col_two, int *row_two)
{
	for (size_t i = from; i < to; i++) {
		const char *l = c->f->fields[i].label, *sl = strstr(l, " / ");
		intern(&g->rows, &g->nrows, l, (size_t)(sl - l));
		intern(&g->cols, &g->ncols, sl + 3, strlen(sl + 3));
	}
	g->cell = xmalloc(g->nrows * g->ncols * sizeof *g->cell);
	for (size_t k = 0; k < g->nrows * g->ncols; k++)
		g->cell[k] = -1;
	for (size_t i = from; i < to; i++) {
		const char *l = c->f->fields[i].label, *sl = strstr(l, " / ");
		size_t ri = intern(&g->rows, &g->nrows, l, (size_t)(sl - l));
		size_t ci = intern(&g->cols, &g->ncols, sl + 3, strlen(sl + 3));
		g->cell[ri * g->ncols + ci] = (int)i;
	}
	*col_two = *row_two = 0;
	for (size_t k = 0; k < g->ncols; k++)
		if (strstr(g->cols[k], " > "))
			*col_two = 1;
	for (size_t k = 0; k < g->nrows; k++)
		if (strstr(g->rows[k], " > "))
			*row_two = 1;
}

/* The question number and the unit line, as the seed prints them above
 * its tables. */
static void grid_caption(struct rctx *c, size_t from, size_t to)
{
	struct buf units;
	buf_init(&units);
	for (size_t i = from; i < to; i++) {
		const char *u = c->f->fields[i].unit;
		if (*u && !strstr(units.data ? units.data : "", u))
			buf_printf(&units, "%s%s", units.len ? "、" : "", u);
	}
	if (c->numprefix) {
		h_printf(c->r, "<p class=\"qno\">%s</p>", c->numprefix);
		c->numprefix = NULL;
	}
	if (units.len)
		h_printf(c->r, "<p class=\"unit-line\">单位：%s</p>", units.data);
	buf_free(&units);
}

/* The unit all fields of row ri share (NULL: none; *same 0 when they
 * differ), which then goes into the row's header. */
static const char *grid_row_unit(const struct rctx *c, const struct grid *g, size_t ri, int *same)
{
	const char *rowunit = NULL;
	*same = 1;
	for (size_t ci = 0; ci < g->ncols; ci++) {
		int fi = g->cell[ri * g->ncols + ci];
		if (fi < 0)
			continue;
		if (!rowunit)
			rowunit = c->f->fields[fi].unit;
		else if (strcmp(rowunit, c->f->fields[fi].unit))
			*same = 0;
	}
	return rowunit;
}

/* How many rows from ri on share the outer level lv0 (a rowgroup), or 0
 * when row ri - 1 already began the group. */
static size_t grid_group_span(const struct grid *g, size_t ri, const char *lv0)
{
	char *prev[2];
	size_t m, span = 1;
	if (ri > 0) {
		m = split_levels(g->rows[ri - 1], " > ", prev, 2);
		int cont = m == 2 && !strcmp(prev[0], lv0);
		free_levels(prev, m);
		if (cont)
			return 0;
	}
	while (ri + span < g->nrows) {
		m = split_levels(g->rows[ri + span], " > ", prev, 2);
		int same = m == 2 && !strcmp(prev[0], lv0);
		free_levels(prev, m);
		if (!same)
			break;
		span++;
	}
	return span;
}

/* Row ri's header cell(s), the shared unit included. */
static void grid_row_header(struct rctx *c, const struct grid *g, size_t ri, int row_two, const char *rowunit,
                            int same_unit)
{
	char *lv[2];
	size_t n = split_levels(g->rows[ri], " > ", lv, 2);

	if (row_two && n == 2) {
		size_t span = grid_group_span(g, ri, lv[0]);
		if (span) {
			h_printf(c->r, "<th scope=\"rowgroup\" class=\"rh rg\" rowspan=\"%zu\">", span);
			put_display(c->r, lv[0]);
			h_raw(c->r, "</th>");
		}
		h_raw(c->r, "<th scope=\"row\" class=\"rh r2\">");
		put_display(c->r, lv[1]);
	} else {
		h_raw(c->r, row_two ? "<th scope=\"row\" class=\"rh\" colspan=\"2\">" : "<th scope=\"row\" class=\"rh\">");
		put_display(c->r, g->rows[ri]);
	}
	if (same_unit && rowunit && *rowunit)
		h_printf(c->r, "<span class=\"unit\">（%s）</span>", rowunit);
	h_raw(c->r, "</th>");
	free_levels(lv, n);
}

/* One cell: field fi's input (or value), its unit unless the row's header
 * has it, and its messages. */
static void grid_cell(struct rctx *c, int fi, int same_unit)
{
	const struct field *fd;
	if (fi < 0) {
		h_raw(c->r, "<td class=\"none\"></td>");
		return;
	}
	fd = &c->f->fields[fi];
	h_printf(c->r, "<td><div class=\"cell%s%s\" id=\"w-%s\"", err_of(c, (size_t)fi) ? " has-error" : "",
	         na_class(c, (size_t)fi), fd->code);
	put_data_if(c, fd);
	put_data_req(c, fd);
	h_raw(c->r, ">");
	if (c->v->mode == FV_EDIT) {
		struct buf al;
		char *dl = form_display_label(fd->label);
		buf_init(&al);
		buf_puts(&al, dl);
		if (*fd->unit)
			buf_printf(&al, "（%s）", fd->unit);
		free(dl);
		put_input(c, (size_t)fi, al.data, 0);
		buf_free(&al);
		if (!same_unit && *fd->unit)
			h_printf(c->r, "<span class=\"unit\">%s</span>", fd->unit);
		put_messages(c, (size_t)fi);
	} else {
		put_value_text(c, (size_t)fi);
		if (!same_unit && *fd->unit && *val_of(c, (size_t)fi))
			h_printf(c->r, " <span class=\"unit\">%s</span>", fd->unit);
	}
	h_raw(c->r, "</div></td>");
}

static void render_grid(struct rctx *c, size_t from, size_t to)
{
	struct grid g = { 0 };
	int col_two, row_two;

	grid_build(c, from, to, &g, &col_two, &row_two);
	grid_caption(c, from, to);
	/* The row headers stay in view while the columns scroll sideways
	 * (form.css: sticky th.rh; with two row-header levels the outer one,
	 * th.rg, has a fixed width so that the inner one knows its offset). */
	h_printf(c->r, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"grid%s\">",
	         row_two ? " rows2" : "");
	h_raw(c->r, "<thead>");
	put_col_headers(c, &g, col_two, 0, row_two ? 2 : 1);
	if (col_two)
		put_col_headers(c, &g, col_two, 1, row_two ? 2 : 1);
	h_raw(c->r, "</thead><tbody>");
	for (size_t ri = 0; ri < g.nrows; ri++) {
		int same_unit;
		const char *rowunit = grid_row_unit(c, &g, ri, &same_unit);
		h_raw(c->r, "<tr>");
		grid_row_header(c, &g, ri, row_two, rowunit, same_unit);
		for (size_t ci = 0; ci < g.ncols; ci++)
			grid_cell(c, g.cell[ri * g.ncols + ci], same_unit);
		h_raw(c->r, "</tr>\n");
	}
	h_raw(c->r, "</tbody></table></div>\n");
	grid_free(&g);
}


/* ------------------------------------------------------------------ */
/* Section index (目录)                                                 */
/*
 * The index groups the fields by the first level of their section: a
 * heading ("一、机构基本情况") is one group; a run of bare question numbers
 * ("2.", "3.", ...) is one group "第 2–15 题"; fields under the form's
 * own title (单位名称 ...) are a group named by their labels. Each group
 * becomes a <div class="sec" id="sec-N"> around its fields, linked from the
 * index with its completion computed here from the shown answers, so that
 * it works without script (toc.js keeps the counts current while typing).
 */

enum sec_kind { SK_TITLE, SK_NUMBER, SK_HEADING };

struct tocsec {
	size_t  from, to;        /* fields [from, to) */
	char   *label;
	size_t  req, req_done;   /* applicable required fields, answered ones */
	size_t  all, all_done;   /* applicable fields, answered ones */
};

struct toc {
	struct tocsec *s;
	size_t         n;
};

/* The first level of a section ("一、机构基本情况" of "一、... > ..."),
 * as a length into sec. */
static size_t section_top(const char *sec)
{
	const char *e = strstr(sec, " > ");
	return e ? (size_t)(e - sec) : strlen(sec);
}

static enum sec_kind sec_kind_of(const struct form *f, const char *sec, size_t len)
{
	char *top = xstrndup(sec, len);
	enum sec_kind k = !strcmp(top, f->title) ? SK_TITLE :
	                  is_question_number(top) ? SK_NUMBER : SK_HEADING;
	free(top);
	return k;
}

/* The label of a finished group. */
static char *toc_label(const struct form *f, const struct tocsec *t, enum sec_kind k)
{
	struct buf b;
	buf_init(&b);
	if (k == SK_NUMBER) {
		int a = atoi(f->fields[t->from].section), z = atoi(f->fields[t->to - 1].section);
		if (a == z)
			buf_printf(&b, "第 %d 题", a);
		else
			buf_printf(&b, "第 %d–%d 题", a, z);
	} else if (k == SK_TITLE) {
		for (size_t i = t->from; i < t->to && i < t->from + 3; i++) {
			char *d = form_display_label(f->fields[i].label);
			buf_printf(&b, "%s%s", i > t->from ? "、" : "", d);
			free(d);
		}
		if (t->to - t->from > 3)
			buf_puts(&b, "等");
	} else {
		char *top = xstrndup(f->fields[t->from].section, section_top(f->fields[t->from].section));
		char *d = form_display_label(top);
		buf_puts(&b, d);
		free(d);
		free(top);
	}
	return b.data ? b.data : xstrdup("");
}

static void toc_build(const struct rctx *c, struct toc *toc)
{
	const struct form *f = c->f;
	enum sec_kind prev = SK_TITLE;
	toc->s = NULL;
	toc->n = 0;
	for (size_t i = 0; i < f->nfields; i++) {
		const char *sec = f->fields[i].section;
		size_t len = section_top(sec);
		enum sec_kind k = sec_kind_of(f, sec, len);
		struct tocsec *t = toc->n ? &toc->s[toc->n - 1] : NULL;
		const char *psec = i ? f->fields[i - 1].section : NULL;
		int same = t && k == prev &&
		           (k != SK_HEADING || (section_top(psec) == len && !strncmp(psec, sec, len)));
		int answered, applicable = !c->appl || c->appl[i];

		if (!same) {
			if (t)
				t->label = toc_label(f, t, prev);
			toc->s = xrealloc(toc->s, (toc->n + 1) * sizeof *toc->s);
			t = &toc->s[toc->n++];
			memset(t, 0, sizeof *t);
			t->from = i;
		}
		t->to = i + 1;
		prev = k;
		if (!applicable)
			continue;
		answered = *val_of(c, i) != 0;
		t->all++;
		t->all_done += answered;
		if (f->fields[i].required) {
			t->req++;
			t->req_done += answered;
		}
	}
	if (toc->n)
		toc->s[toc->n - 1].label = toc_label(f, &toc->s[toc->n - 1], prev);
}

static void toc_free(struct toc *toc)
{
	for (size_t k = 0; k < toc->n; k++)
		free(toc->s[k].label);
	free(toc->s);
}

/* "已答 x / y" of the required fields; a group without any: of all its
 * fields, marked 选填. */
static void put_toc_count(struct req *r, const struct tocsec *t)
{
	if (t->req)
		h_printf(r, "已答 %zu / %zu", t->req_done, t->req);
	else
		h_printf(r, "选填，已答 %zu / %zu", t->all_done, t->all);
}

static void put_toc(struct rctx *c, const struct toc *toc)
{
	size_t req = 0, done = 0;
	for (size_t k = 0; k < toc->n; k++) {
		req += toc->s[k].req;
		done += toc->s[k].req_done;
	}
	/* Open by default, so that it is there without script; toc.js folds
	 * it on a phone. */
	h_raw(c->r, "<nav class=\"toc\" aria-label=\"本表目录\"><details id=\"toc\" open>"
	      "<summary><span class=\"toc-h\">目录</span> ");
	h_printf(c->r, "<span class=\"toc-total\">必答题已答 %zu / %zu</span></summary><ol>", done, req);
	for (size_t k = 0; k < toc->n; k++) {
		const struct tocsec *t = &toc->s[k];
		int complete = t->req ? t->req_done == t->req : t->all_done == t->all && t->all;
		h_printf(c->r, "<li class=\"%s\" data-sec=\"%zu\"><a href=\"#sec-%zu\" title=\"%s\">%s</a> "
		         "<span class=\"toc-n\">", complete ? "done" : "", k + 1, k + 1, t->label, t->label);
		put_toc_count(c->r, t);
		h_raw(c->r, "</span></li>");
	}
	h_raw(c->r, "</ol></details></nav>\n<script src=\"/static/toc.js\" defer></script>"
	      "<script src=\"/static/grid.js\" defer></script>\n");
}
/* ------------------------------------------------------------------ */

/* The list items linking to the fields of the errors (warn 0) or the
 * warnings (warn 1) of the check. */
static void put_summary_items(struct rctx *c, int warn)
{
	const struct fcheck *chk = c->v->chk;
	for (size_t k = 0; k < chk->n; k++) {
		const struct field *fd;
		if ((chk->items[k].warn != 0) != warn)
			continue;
		fd = &c->f->fields[chk->items[k].field];
		h_printf(c->r, "<li><a href=\"#f-%s\">", fd->code);
		put_display(c->r, fd->label);
		h_printf(c->r, "：%s</a></li>", chk->items[k].msg);
	}
}

static void put_summary(struct rctx *c)
{
	const struct fcheck *chk = c->v->chk;
	if (!chk || c->v->mode != FV_EDIT)
		return;
	if (chk->nerrors) {
		h_printf(c->r, "<div class=\"form-errors\" role=\"alert\" tabindex=\"-1\" id=\"form-errors\">"
		         "<h2>有 %zu 处需要修改</h2><ul>", chk->nerrors);
		put_summary_items(c, 0);
		h_raw(c->r, "</ul></div>\n");
	}
	if (chk->nwarnings) {
		h_printf(c->r, "<div class=\"form-warnings\" role=\"status\"><h2>有 %zu 处请核对"
		         "（不影响提交）</h2><ul>", chk->nwarnings);
		put_summary_items(c, 1);
		h_raw(c->r, "</ul></div>\n");
	}
}

/* The form's head: its annex, intro, summary and index, and for editing
 * the <form> with its hidden fields (toc gets the index groups). */
static void form_open(struct rctx *c, struct toc *toc)
{
	struct req *r = c->r;
	const struct fview *v = c->v;

	h_printf(r, "<link rel=\"stylesheet\" href=\"/static/form.css\">"
	         "<p class=\"annex\">%s</p>", v->f->annex);
	if (*v->f->intro)
		h_printf(r, "<p class=\"intro\">%s</p>", v->f->intro);
	put_summary(c);
	if (v->mode == FV_EDIT) {
		toc_build(c, toc);
		put_toc(c, toc);
	}
	if (v->mode == FV_EDIT) {
		h_printf(r, "<form class=\"survey\" method=\"post\" action=\"%s\" novalidate",
		         v->action ? v->action : "");
		put_number_messages(r);
		h_raw(r, v->f->has_file ? " enctype=\"multipart/form-data\">" : ">");
		h_csrf_field(r);
		h_printf(r, "<input type=\"hidden\" name=\"version\" value=\"%ld\">", v->version);
		if (v->owner)
			h_printf(r, "<input type=\"hidden\" name=\"owner\" value=\"%llu\">", v->owner);
		h_raw(r, "<p class=\"req-note\">带 <span class=\"req\">*</span> 的为必填项。"
		      "可随时“保存草稿”，全部填完后点“提交”。</p>\n");
	} else {
		h_printf(r, "<div class=\"survey %s\">", v->mode == FV_BLANK ? "blank-form" : "ro-form");
	}
}

/* The headings of section levels d..n-1 (lv) that begin here. */
static void section_headings(struct rctx *c, char **lv, size_t d, size_t n)
{
	for (size_t k = d; k < n; k++) {
		int h = k < 3 ? (int)k + 2 : 5;
		if (k == 0 && !strcmp(lv[k], c->f->title))
			continue;   /* form-level fields sit under the page title */
		if (is_question_number(lv[k])) {
			/* "6." alone is no heading: it numbers the first part. */
			c->numprefix = lv[k];
			continue;
		}
		h_printf(c->r, "<h%d>", h);
		put_display(c->r, lv[k]);
		h_printf(c->r, "</h%d>\n", h);
	}
}

/* The form's foot: the buttons, or the end of the read-only view. */
static void form_close(struct req *r, const struct fview *v)
{
	if (v->mode == FV_EDIT) {
		h_raw(r, "<div class=\"actions\">"
		      "<button type=\"submit\" name=\"action\" value=\"save\" class=\"secondary\">保存草稿</button> "
		      "<button type=\"submit\" name=\"action\" value=\"submit\">提交</button>");
		if (v->saved_note)
			h_printf(r, " <span class=\"save-note\">%s</span>", v->saved_note);
		h_raw(r, "</div></form>\n<script src=\"/static/form.js\" defer></script>"
		      "<script src=\"/static/numcheck.js\" defer></script>\n");
	} else {
		h_raw(r, "</div>\n");
	}
}

static void render_view(struct req *r, const struct fview *v)
{
	struct rctx c = { .r = r, .v = v, .f = v->f };
	struct fcheck own = { 0 };
	struct answers clean = { 0 };
	char *prev[8];
	size_t nprev = 0;
	struct toc toc = { 0 };
	size_t sec = 0;        /* the index group the loop is in, 1-based */

	/* Applicability of the shown values decides which conditional fields
	 * start hidden (form.js keeps it current while typing). */
	if (v->chk && v->chk->applicable) {
		c.appl = v->chk->applicable;
		c.ruled = v->chk->ruled_out;
	} else if (v->vals && v->mode != FV_BLANK) {
		form_validate(v->f, v->vals, &clean, &own);
		c.appl = own.applicable;
		c.ruled = own.ruled_out;
	}

	form_open(&c, &toc);
	for (size_t i = 0; i < v->f->nfields;) {
		const struct field *fd = &v->f->fields[i];
		char *lv[8];
		size_t n = split_levels(fd->section, " > ", lv, 8), d = 0;
		size_t j;

		while (d < n && d < nprev && !strcmp(lv[d], prev[d]))
			d++;
		/* Index groups end and start at section boundaries, so grids
		 * never straddle them. */
		if (sec < toc.n && i == toc.s[sec].from) {
			if (sec)
				h_raw(r, "</div>\n");
			h_printf(r, "<div class=\"sec\" id=\"sec-%zu\">", sec + 1);
			sec++;
		}
		section_headings(&c, lv, d, n);
		/* prev keeps lv alive, so numprefix may point into it. */
		free_levels(prev, nprev);
		memcpy(prev, lv, n * sizeof *lv);
		nprev = n;

		/* A run of "row / column" cells of this section is a grid. */
		for (j = i; j < v->f->nfields && !strcmp(v->f->fields[j].section, fd->section) &&
		            strstr(v->f->fields[j].label, " / ") && gridable(v->f->fields[j].type); j++)
			;
		if (j - i >= 2) {
			render_grid(&c, i, j);
			i = j;
		} else {
			render_field(&c, i);
			i++;
		}
	}
	free_levels(prev, nprev);
	if (sec)
		h_raw(r, "</div>\n");
	toc_free(&toc);

	form_close(r, v);
	if (own.applicable) {
		fcheck_free(&own);
		answers_free(&clean);
	}
}

/* A blank form without check results depends on nothing of the request
 * (no answers, no CSRF token, only the form and the process's settings),
 * so a worker renders it once per form and copies it from then on: the
 * grids, labels and escaping cost more than the rest of its request
 * (issue 21, item 3). Keyed by form and settings, which live as long as
 * the process. */
#define BLANK_CACHE_MAX 16
static struct blank_html {
	const struct form *f;
	const struct conf *conf;
	struct buf         html;
} blank_cache[BLANK_CACHE_MAX];

static const struct buf *blank_cached(const struct fview *v, const struct conf *conf)
{
	size_t k;
	for (k = 0; k < BLANK_CACHE_MAX && blank_cache[k].f; k++)
		if (blank_cache[k].f == v->f && blank_cache[k].conf == conf)
			return &blank_cache[k].html;
	if (k == BLANK_CACHE_MAX)
		return NULL;
	struct req tmp = { .conf = conf };
	render_view(&tmp, v);
	blank_cache[k].f = v->f;
	blank_cache[k].conf = conf;
	blank_cache[k].html = tmp.body;
	return &blank_cache[k].html;
}

void form_render(struct req *r, const struct fview *v)
{
	const struct buf *b = v->mode == FV_BLANK && !v->chk ? blank_cached(v, r->conf) : NULL;
	if (b) {
		buf_put(&r->body, b->data, b->len);
		return;
	}
	render_view(r, v);
}
