/*
 * indview.c - the evaluation indicators computed for every scope and shown
 * (see indview.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "form.h"
#include "html.h"
#include "http.h"
#include "indicators.h"
#include "indview.h"
#include "log.h"
#include "util.h"
#include "xlsxw.h"
#include "csv.h"

#include <errno.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* The notice's 一、评估的主要内容, (一) to (四), shortened for headings. */
static const struct { const char *numeral, *title; } CONTENTS[] = {
	{ "一", "项目建设目标、建设内容、投资进度、资金到位、互联互通和预期效果完成情况" },
	{ "二", "对照平台网络建设要求取得的阶段性成果" },
	{ "三", "地区中小企业服务能力、服务环境改善情况（找得到、用得起、有保证）" },
	{ "四", "主要做法、体会，存在的主要困难和问题，下一步工作思路和建议" },
};

struct scope {
	char            *code;      /* "" for the nation */
	char            *name;
	struct ind_tally t;
	struct ind_tally all;       /* with the excluded responses (VL_BOTH only) */
	long long        excluded;  /* submitted responses the agency excluded (issue 20) */
};

struct text {
	size_t ind;
	char  *region, *org, *code, *text;
};

struct view {
	const struct indset *set;
	struct scope        *sc;    /* sc[0]: the nation */
	size_t               nsc;
	struct text         *tx;
	size_t               ntx;
	int                  opts;  /* IV_SAMPLE_ONLY | IV_DROP_EXCLUDED */
	int                  load;  /* VL_TEXTS | VL_BOTH */
};

/* What view_load reads besides the indicators: the text answers (a
 * region's page), and a second tally per scope that keeps the excluded
 * responses (the dossier shows both). */
enum { VL_TEXTS = 1, VL_BOTH = 2 };

static struct scope *scope_of(struct view *v, const char *region)
{
	for (size_t i = 1; i < v->nsc; i++)
		if (!strcmp(v->sc[i].code, region))
			return &v->sc[i];
	return NULL;
}

static void view_free(struct view *v)
{
	for (size_t i = 0; i < v->nsc; i++) {
		free(v->sc[i].code);
		free(v->sc[i].name);
		ind_tally_free(&v->sc[i].t);
		if (v->load & VL_BOTH)
			ind_tally_free(&v->sc[i].all);
	}
	free(v->sc);
	for (size_t i = 0; i < v->ntx; i++) {
		free(v->tx[i].region);
		free(v->tx[i].org);
		free(v->tx[i].code);
		free(v->tx[i].text);
	}
	free(v->tx);
}

static void scope_init(struct view *v, struct scope *sc, const char *code, const char *name)
{
	sc->code = xstrdup(code);
	sc->name = xstrdup(name);
	ind_tally_init(&sc->t, v->set);
	if (v->load & VL_BOTH)
		ind_tally_init(&sc->all, v->set);
}

/* The scopes: the nation, then every region (only_region: just that one). */
static int scopes_load(struct req *r, struct view *v, const char *only_region)
{
	struct dbrows *rows;
	if (db_query(r->db, STMT_REGION_LIST, DB_NOARGS, &rows) < 0)
		return -1;
	v->sc = xcalloc(rows->nrows + 1, sizeof *v->sc);
	scope_init(v, &v->sc[0], "", "全国");
	v->nsc = 1;
	for (size_t i = 0; i < rows->nrows; i++) {
		if (only_region && strcmp(only_region, dbrows_get(rows, i, 0)))
			continue;
		scope_init(v, &v->sc[v->nsc++], dbrows_get(rows, i, 0), dbrows_get(rows, i, 1));
	}
	dbrows_free(rows);
	return 0;
}

static void add_texts(struct view *v, const struct form *f, const struct answers *a,
                      const char *region, const char *org)
{
	for (size_t i = 0; i < v->set->n; i++) {
		const struct ind_term *t = &v->set->v[i].a;
		if (t->agg != IA_TEXTS || t->form != f)
			continue;
		for (size_t k = 0; k < t->nfields; k++) {
			const char *s = a->v[t->fields[k]];
			if (!s)
				continue;
			v->tx = xrealloc(v->tx, (v->ntx + 1) * sizeof *v->tx);
			v->tx[v->ntx++] = (struct text){ i, xstrdup(region), xstrdup(org),
			                                 xstrdup(f->fields[t->fields[k]].code), xstrdup(s) };
		}
	}
}

/* One response is complete: list its texts (the counts come from the
 * maintained aggregates, aggr_load). */
static void flush(struct view *v, const struct form *f, struct answers *a, const char *region,
                  const char *org, int skip)
{
	struct scope *s;
	if (skip)
		return;
	(void)s;
	form_drop_inapplicable(f, a);
	add_texts(v, f, a, region, org);
}

/* The text answers of f's submitted responses, read in response order
 * from after the response id after on, at most limit responses, of region
 * ('' for all). IV_SAMPLE_ONLY: a response of the sampled kinds (service
 * organisations, SMEs) counts only when its account came through an
 * invitation code of the sample. Returns the number of responses read (the
 * last one's id in *last), or -1. */
static long tally_form(struct req *r, struct view *v, const struct form *f, int opts, const char *region_only,
                       unsigned long long after, long limit, unsigned long long *last)
{
	struct dbrows *rows;
	struct answers a;
	unsigned long long cur = 0;
	const char *region = "", *org = "";
	int skip = 0, sampled = f->role == ROLE_RESOURCE || f->role == ROLE_SME;
	long n = 0;

	if (db_query(r->db, STMT_INDICATOR_ANSWERS,
	    DB_ARGS(A_STR(f->name), A_STR(region_only), A_STR(region_only), A_INT(after), A_INT(limit)), &rows) < 0)
		return -1;
	answers_init_borrowed(&a, f);
	for (size_t i = 0; i < rows->nrows; i++) {
		unsigned long long id = (unsigned long long)dbrows_int(rows, i, 0);
		int fi;
		if (id != cur) {
			if (cur)
				flush(v, f, &a, region, org, skip);
			answers_clear(&a);
			cur = id;
			n++;
			region = dbrows_get(rows, i, 1) ? dbrows_get(rows, i, 1) : "";
			org = dbrows_get(rows, i, 2) ? dbrows_get(rows, i, 2) : "";
			skip = ((opts & IV_SAMPLE_ONLY) && sampled && !dbrows_int(rows, i, 3)) ||
			       ((opts & IV_DROP_EXCLUDED) && dbrows_int(rows, i, 6));
		}
		fi = form_field_index(f, dbrows_get(rows, i, 4) ? dbrows_get(rows, i, 4) : "");
		if (fi >= 0)
			answers_set(&a, (size_t)fi, dbrows_get(rows, i, 5));
	}
	if (cur)
		flush(v, f, &a, region, org, skip);
	answers_free(&a);
	dbrows_free(rows);
	if (last)
		*last = cur;
	return n;
}

/* Unknown codes count as SMEs, as they always have. */
static enum stratum stratum_of(const char *s)
{
	int st = stratum_parse(s);
	return st < 0 ? ST_SME : (enum stratum)st;
}

/* One aggregate row into the nation's tally and its region's: into t
 * unless the view drops the excluded responses and the row is of them,
 * and into all (VL_BOTH) whatever it is. */
static void tally_row(struct view *v, struct scope *sc, size_t k, int b, int excluded, const long long nk[2],
                      ind_sum sum)
{
	struct scope *to[2] = { &v->sc[0], sc };
	for (size_t j = 0; j < 2 && to[j]; j++) {
		if (!(excluded && (v->opts & IV_DROP_EXCLUDED)))
			ind_tally_add(&to[j]->t, k, b, nk[0], nk[1], sum);
		if (v->load & VL_BOTH)
			ind_tally_add(&to[j]->all, k, b, nk[0], nk[1], sum);
	}
}

/* The sample's units (rate()'s counts): no response is excluded from them. */
static void tally_units(struct view *v, struct scope *sc, enum stratum s, long long n, long long reg,
                        long long sub)
{
	struct scope *to[2] = { &v->sc[0], sc };
	for (size_t j = 0; j < 2 && to[j]; j++) {
		ind_tally_units(&to[j]->t, s, n, reg, sub);
		if (v->load & VL_BOTH)
			ind_tally_units(&to[j]->all, s, n, reg, sub);
	}
}

/* The decimal sum of an aggregate row (a DECIMAL without fraction). */
static ind_sum sum_of(const char *p)
{
	ind_sum sum = 0;
	int neg = p && *p == '-';
	for (p += neg; p && *p >= '0' && *p <= '9'; p++)
		sum = sum * 10 + (*p - '0');
	return neg ? -sum : sum;
}

/* The indicators' accumulators from the maintained aggregates (agg_ind,
 * forms/aggr.h) and the sample's rate() counts (agg_quota): a few rows per
 * region and indicator, whatever the number of responses. */
static int aggr_load(struct req *r, struct view *v, int opts)
{
	struct dbrows *rows;
	if (db_query(r->db, STMT_AGGR_IND_ALL, DB_NOARGS, &rows) < 0)
		return -1;
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *region = dbrows_get(rows, i, 0) ? dbrows_get(rows, i, 0) : "";
		const char *code = dbrows_get(rows, i, 2) ? dbrows_get(rows, i, 2) : "";
		int b = dbrows_get(rows, i, 3) && !strcmp(dbrows_get(rows, i, 3), "b");
		const struct indicator *ind = indset_get(v->set, code);
		if (!ind)
			continue;   /* an indicator no longer defined: rebuild-aggregates drops it */
		/* sample only: a response of the sampled kinds counts only when its
		 * account came through an invitation code of the sample (key bit
		 * 0); bit 1: the agency excluded it (issue 20). */
		long long key = dbrows_int(rows, i, 1);
		if ((opts & IV_SAMPLE_ONLY) && !(key & 1) && ind_term_sampled(b ? &ind->b : &ind->a))
			continue;
		const long long nk[2] = { dbrows_int(rows, i, 4), dbrows_int(rows, i, 5) };
		tally_row(v, scope_of(v, region), (size_t)(ind - v->set->v), b, (key & 2) != 0, nk,
		          sum_of(dbrows_get(rows, i, 6)));
	}
	dbrows_free(rows);
	if (db_query(r->db, STMT_AGGR_QUOTA_ALL, DB_NOARGS, &rows) < 0)
		return -1;
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *st = dbrows_get(rows, i, 1) ? dbrows_get(rows, i, 1) : "";
		tally_units(v, scope_of(v, dbrows_get(rows, i, 0) ? dbrows_get(rows, i, 0) : ""), stratum_of(st),
		            dbrows_int(rows, i, 2), dbrows_int(rows, i, 3), dbrows_int(rows, i, 4));
	}
	dbrows_free(rows);
	return 0;
}

/* 1 when f has text answers to list (texts() indicators). */
static int has_texts(const struct indset *set, const struct form *f)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i].a.agg == IA_TEXTS && set->v[i].a.form == f)
			return 1;
	return 0;
}

/* The national tally always counts every region, even on a region's page. */
/* How many submitted responses the agency excluded, per scope (the few
 * decided ones, by their reviews). */
static int excluded_load(struct req *r, struct view *v)
{
	struct dbrows *rows;
	if (db_query(r->db, STMT_FLAG_EXCLUDED_BY_REGION, DB_NOARGS, &rows) < 0)
		return -1;
	for (size_t i = 0; i < rows->nrows; i++) {
		struct scope *sc = scope_of(v, dbrows_get(rows, i, 0) ? dbrows_get(rows, i, 0) : "");
		v->sc[0].excluded += dbrows_int(rows, i, 1);
		if (sc)
			sc->excluded += dbrows_int(rows, i, 1);
	}
	dbrows_free(rows);
	return 0;
}

/* The indicators of the nation and region (NULL: every region; "": the
 * nation alone). load VL_TEXTS: also the text answers of that region's responses
 * (a region's page: a few dozen responses); the national lists of texts
 * are paged on their own (indview_texts). */
#define REGION_TEXTS_MAX 100000
static int view_load(struct req *r, struct view *v, const char *region, int opts, int load)
{
	memset(v, 0, sizeof *v);
	v->set = indicators();
	v->opts = opts;
	v->load = load;
	if (!v->set || scopes_load(r, v, region) < 0 || excluded_load(r, v) < 0)
		return -1;
	for (size_t i = 0; (load & VL_TEXTS) && region && *region && form_at(i); i++)
		if (has_texts(v->set, form_at(i)) &&
		    tally_form(r, v, form_at(i), opts, region, 0, REGION_TEXTS_MAX, NULL) < 0)
			return -1;
	return aggr_load(r, v, opts);
}

/* What the excluded responses did to this view, in words (issue 20). */
static void excluded_note(struct req *r, const struct view *v, const char *region)
{
	long long n = region && v->nsc > 1 ? v->sc[1].excluded : v->sc[0].excluded;
	if (v->opts & IV_DROP_EXCLUDED)
		h_printf(r, "<p class=\"notice excluded-note\" data-excluded=\"%lld\">评估机构审核后排除的答卷：%lld 份，"
		         "本页指标<strong>不含</strong>这些答卷%s。</p>", n, n,
		         region ? "" : "（全国合计，各地区见表头）");
	else
		h_printf(r, "<p class=\"notice excluded-note\" data-excluded=\"%lld\">评估机构审核后排除的答卷：%lld 份，"
		         "本页指标<strong>包含</strong>这些答卷。</p>", n, n);
}

/* ------------------------------------------------------------------ */
/* HTML                                                                */

static void put_value(struct req *r, const struct indicator *ind, const struct ind_value *val,
                      const char *scope)
{
	char s[64];
	ind_format(ind, val, s, sizeof s);
	h_printf(r, "<td class=\"num\" data-scope=\"%s\" data-value=\"%s\" data-n=\"%lld\">", scope, s, val->n);
	if (ind->a.agg == IA_TEXTS)
		h_printf(r, "%lld 条", val->n);
	else if (!val->defined)
		h_raw(r, "<span title=\"无法计算（n = 0 或除数为 0）\">—</span>");
	else
		h_printf(r, "%s%s", s, strcmp(ind->unit, "%") ? "" : "%");
	if (ind->a.agg != IA_TEXTS)
		h_printf(r, "<br><small>n = %lld</small>", val->n);
	if (val->n > 0 && val->n < IND_MIN_N)
		h_raw(r, "<br><small class=\"few\">样本不足</small>");
	h_raw(r, "</td>");
}

/* The text answers of indicator i as list items (of region when set);
 * returns how many. */
static size_t text_items(struct req *r, const struct view *v, size_t i, const char *region)
{
	size_t shown = 0;
	for (size_t k = 0; k < v->ntx; k++) {
		const struct text *t = &v->tx[k];
		const struct scope *s = NULL;
		if (t->ind != i || (region && *region && strcmp(region, t->region)))
			continue;
		for (size_t j = 1; j < v->nsc && !s; j++)
			if (!strcmp(v->sc[j].code, t->region))
				s = &v->sc[j];
		h_printf(r, "<li><strong>%s</strong>（%s，%s）：%s</li>", t->org, s ? s->name : t->region,
		         t->code, t->text);
		shown++;
	}
	return shown;
}

static void put_texts(struct req *r, const struct view *v, size_t i, const char *region)
{
	h_printf(r, "<details class=\"texts\" data-code=\"%s\"><summary>查看文字回答</summary><ul>", v->set->v[i].code);
	if (!text_items(r, v, i, region))
		h_raw(r, "<li>没有文字回答。</li>");
	h_raw(r, "</ul></details>");
}

/* The URL of an indicator's own page of texts, with the view's options. */
static void texts_url(struct buf *b, const char *path, const char *code, const char *region, int opts)
{
	const char *const keep[] = { "ind", code, "region", region ? region : "",
	                             "sample", opts & IV_SAMPLE_ONLY ? "1" : "0",
	                             "excluded", opts & IV_DROP_EXCLUDED ? "drop" : "keep", NULL };
	url_with_params(b, path, keep);
}

static void texts_link(struct req *r, const char *path, const char *code, const char *region, int opts)
{
	struct buf u = { 0 };
	texts_url(&u, path, code, region, opts);
	h_printf(r, "<p class=\"texts\" data-code=\"%s\"><a href=\"%s\">查看文字回答</a></p>", code, u.data);
	buf_free(&u);
}

int indview_texts(struct req *r, const char *path, const char *code, const char *region, int opts,
                  unsigned long long after)
{
	struct view v;
	const struct indicator *ind;
	unsigned long long last = 0;
	long n = -1;

	memset(&v, 0, sizeof v);
	v.set = indicators();
	v.opts = opts;
	if (!v.set || !(ind = indset_get(v.set, code)) || ind->a.agg != IA_TEXTS)
		return 1;
	if (scopes_load(r, &v, NULL) == 0)
		n = tally_form(r, &v, ind->a.form, opts, region ? region : "", after, TEXTS_PAGE, &last);
	if (n < 0) {
		view_free(&v);
		return -1;
	}
	h_printf(r, "<h2>%s</h2><ul class=\"texts\" data-code=\"%s\">", ind->label, code);
	if (!text_items(r, &v, (size_t)(ind - v.set->v), NULL))
		h_raw(r, after ? "<li>本页没有文字回答。</li>" : "<li>没有文字回答。</li>");
	h_raw(r, "</ul>");
	{
		struct buf top = { 0 }, next = { 0 };
		texts_url(&top, path, code, region, opts);
		if (n == TEXTS_PAGE)
			buf_printf(&next, "%s&after=%llu", top.data, last);
		h_seek_pager(r, "文字回答翻页", "", after ? top.data : NULL, next.data);
		buf_free(&top);
		buf_free(&next);
	}
	view_free(&v);
	return 0;
}

int indview_render(struct req *r, const char *region, int opts, const char *texts_path)
{
	struct view v;
	if (!region)
		region = "";   /* the nation alone (every region: the CSV and XLSX) */
	if (view_load(r, &v, region, opts, texts_path == NULL ? VL_TEXTS : 0) < 0) {
		view_free(&v);
		return -1;
	}
	excluded_note(r, &v, region);
	for (size_t c = 0; c < NELEMS(CONTENTS); c++) {
		h_printf(r, "<section class=\"content\"><h2>（%s）%s</h2>"
		         "<div class=\"table-wrap\"><table class=\"indicators\"><thead><tr>"
		         "<th scope=\"col\">指标</th>", CONTENTS[c].numeral, CONTENTS[c].title);
		for (size_t k = 0; k < v.nsc; k++)
			h_printf(r, "<th scope=\"col\">%s</th>", v.sc[k].name);
		h_raw(r, "</tr></thead><tbody>");
		for (size_t i = 0; i < v.set->n; i++) {
			const struct indicator *ind = &v.set->v[i];
			char *words;
			if (strcmp(ind->content, CONTENTS[c].numeral))
				continue;
			words = ind_describe(ind);
			h_printf(r, "<tr data-code=\"%s\"><th scope=\"row\">%s", ind->code, ind->label);
			if (strcmp(ind->requirement, "-"))
				h_printf(r, " <span class=\"req-word\">%s</span>", ind->requirement);
			h_printf(r, "<details><summary>定义</summary><p>%s</p><p><code>%s</code></p></details>",
			         words, ind->formula);
			if (ind->a.agg == IA_TEXTS && !texts_path)
				put_texts(r, &v, i, region);
			else if (ind->a.agg == IA_TEXTS)
				texts_link(r, texts_path, ind->code, region, opts);
			h_raw(r, "</th>");
			free(words);
			for (size_t k = 0; k < v.nsc; k++) {
				struct ind_value val;
				ind_value_of(&v.sc[k].t, i, &val);
				put_value(r, ind, &val, k ? v.sc[k].code : "all");
			}
			h_raw(r, "</tr>");
		}
		h_raw(r, "</tbody></table></div></section>");
	}
	view_free(&v);
	return 0;
}

/* The columns of indicators.csv and .xlsx (shared README, "Export"). */
static const char *const export_head[] = {
	"region_code", "region_name", "indicator", "content", "label", "value", "unit", "n",
};

/* The number excluded, as one row per scope (indicator IV_EXCLUDED_CODE)
 * after the indicators, whenever the agency excluded any response. */
static void excluded_cells(const struct view *v, size_t k, const char *cells[8], char n[32])
{
	snprintf(n, 32, "%lld", v->sc[k].excluded);
	cells[0] = k ? v->sc[k].code : "all";
	cells[1] = v->sc[k].name;
	cells[2] = IV_EXCLUDED_CODE;
	cells[3] = "";
	cells[4] = v->opts & IV_DROP_EXCLUDED ? "评估机构排除的答卷（以上指标不含）" : "评估机构排除的答卷（以上指标包含）";
	cells[5] = n;
	cells[6] = "份";
	cells[7] = n;
}

static void excluded_rows(const struct view *v, struct buf *out)
{
	for (size_t k = 0; v->sc[0].excluded && k < v->nsc; k++) {
		char n[32];
		const char *cells[8];
		excluded_cells(v, k, cells, n);
		csv_put_row(out, cells, 8, CSV_QUOTE_MINIMAL);
	}
}

int indview_csv(struct req *r, const char *region, int opts, struct buf *out)
{
	struct view v;
	if (view_load(r, &v, region, opts, 0) < 0) {
		view_free(&v);
		return -1;
	}
	csv_put_row(out, export_head, NELEMS(export_head), CSV_QUOTE_MINIMAL);
	for (size_t k = 0; k < v.nsc; k++)
		for (size_t i = 0; i < v.set->n; i++) {
			const struct indicator *ind = &v.set->v[i];
			struct ind_value val;
			char value[64], n[32];
			const char *cells[8];
			if (ind->a.agg == IA_TEXTS)
				continue;
			ind_value_of(&v.sc[k].t, i, &val);
			ind_format(ind, &val, value, sizeof value);
			snprintf(n, sizeof n, "%lld", val.n);
			cells[0] = k ? v.sc[k].code : "all";
			cells[1] = v.sc[k].name;
			cells[2] = ind->code;
			cells[3] = ind->content;
			cells[4] = ind->label;
			cells[5] = value;
			cells[6] = ind->unit;
			cells[7] = n;
			csv_put_row(out, cells, 8, CSV_QUOTE_MINIMAL);
		}
	excluded_rows(&v, out);
	view_free(&v);
	return 0;
}

/* Writes the rows of v into the workbook x: text columns as text, value
 * (rounded as in the CSV, empty when undefined) and n as numbers, a
 * frozen header and an autofilter. */
static void xlsx_rows(const struct view *v, struct xw *x)
{
	lxw_row_t row = 0;

	for (lxw_col_t c = 0; c < NELEMS(export_head); c++)
		xw_string(x, 0, c, export_head[c], x->bold);
	for (size_t k = 0; k < v->nsc; k++)
		for (size_t i = 0; i < v->set->n; i++) {
			const struct indicator *ind = &v->set->v[i];
			struct ind_value val;
			char value[64];
			if (ind->a.agg == IA_TEXTS)
				continue;
			ind_value_of(&v->sc[k].t, i, &val);
			ind_format(ind, &val, value, sizeof value);
			row++;
			xw_string(x, row, 0, k ? v->sc[k].code : "all", NULL);
			xw_string(x, row, 1, v->sc[k].name, NULL);
			xw_string(x, row, 2, ind->code, NULL);
			xw_string(x, row, 3, ind->content, NULL);
			xw_string(x, row, 4, ind->label, NULL);
			/* The number the CSV shows, so both files agree to the digit. */
			if (*value)
				xw_number(x, row, 5, strtod(value, NULL));
			xw_string(x, row, 6, ind->unit, NULL);
			xw_number(x, row, 7, (double)val.n);
		}
	for (size_t k = 0; v->sc[0].excluded && k < v->nsc; k++) {
		char n[32];
		const char *cells[8];
		excluded_cells(v, k, cells, n);
		row++;
		for (lxw_col_t c = 0; c < 8; c++)
			if (c == 5 || c == 7)
				xw_number(x, row, c, (double)v->sc[k].excluded);
			else
				xw_string(x, row, c, cells[c], NULL);
	}
	worksheet_freeze_panes(x->ws, 1, 0);
	xw_check(x, worksheet_autofilter(x->ws, 0, 0, row, (lxw_col_t)(NELEMS(export_head) - 1)), "autofilter");
	xw_check(x, worksheet_set_column(x->ws, 1, 1, 16, NULL), "column");
	xw_check(x, worksheet_set_column(x->ws, 4, 4, 40, NULL), "column");
}

/* Appends a piece of the finished file to the buffer (xw_send). */
static int put_piece(void *ctx, const char *data, size_t len)
{
	buf_put(ctx, data, len);
	return 0;
}

int indview_xlsx(struct req *r, const char *region, int opts, struct buf *out)
{
	struct view v;
	struct xw x;
	int rc = -1;

	if (view_load(r, &v, region, opts, 0) == 0 && xw_open(&x, "indicators", NULL, "indicators") == 0) {
		xlsx_rows(&v, &x);
		if (xw_close(&x) == 0 && xw_send(&x, put_piece, out) == 0)
			rc = 0;
		xw_discard(&x);
	}
	view_free(&v);
	return rc;
}

int indview_pairs(struct req *r, const char *region, struct ind_pairs *out)
{
	struct view v;
	struct scope *sc;

	memset(out, 0, sizeof *out);
	if (view_load(r, &v, region, IV_DROP_EXCLUDED, VL_BOTH) < 0 || !(sc = scope_of(&v, region))) {
		view_free(&v);
		return -1;
	}
	out->v = xcalloc(v.set->n ? v.set->n : 1, sizeof *out->v);
	out->excluded_region = sc->excluded;
	out->excluded_nation = v.sc[0].excluded;
	for (size_t i = 0; i < v.set->n; i++) {
		struct ind_pair *p = &out->v[out->n];
		if (v.set->v[i].a.agg == IA_TEXTS)
			continue;
		p->ind = &v.set->v[i];
		ind_value_of(&v.sc[0].t, i, &p->nation);
		ind_value_of(&sc->t, i, &p->region);
		ind_value_of(&v.sc[0].all, i, &p->nation_all);
		ind_value_of(&sc->all, i, &p->region_all);
		ind_format(p->ind, &p->nation, p->nation_s, sizeof p->nation_s);
		ind_format(p->ind, &p->region, p->region_s, sizeof p->region_s);
		ind_format(p->ind, &p->nation_all, p->nation_all_s, sizeof p->nation_all_s);
		ind_format(p->ind, &p->region_all, p->region_all_s, sizeof p->region_all_s);
		out->n++;
	}
	view_free(&v);
	return 0;
}
