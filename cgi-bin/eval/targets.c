/*
 * targets.c - approved targets per region: the vocabulary (targets.tsv),
 * the import, and completion = actual / approved (targets.h).
 */
#include "targets.h"
#include "auth.h"
#include "db.h"
#include "form.h"
#include "form_int.h"
#include "html.h"
#include "http.h"
#include "util.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TGT_MAX      32        /* targets in targets.tsv */
#define TGT_MAX_ERRS 50        /* import errors listed */
#define TGT_MAX_ROWS 200       /* regions in one import */

static struct target tv[TGT_MAX];
static size_t tn;

const struct target *targets(size_t *n)
{
	*n = tn;
	return tv;
}

/* "FORM:F1+F2" into t; NULL, or why not. */
static const char *parse_actual(struct target *t, char *spec)
{
	char *colon = strchr(spec, ':'), *save = NULL;

	if (!strcmp(spec, "reported"))
		return NULL;
	if (!colon)
		return "actual must be reported or FORM:FIELD+FIELD";
	*colon = 0;
	if (!(t->form = form_get(spec)))
		return "unknown form";
	for (char *f = strtok_r(colon + 1, "+", &save); f; f = strtok_r(NULL, "+", &save)) {
		int i = form_field_index(t->form, f);
		if (i < 0 || (t->form->fields[i].type != FT_INT && t->form->fields[i].type != FT_DECIMAL))
			return "not a numeric field of the form";
		t->fields = xrealloc(t->fields, (t->nfields + 1) * sizeof *t->fields);
		t->fields[t->nfields++] = i;
	}
	return t->nfields ? NULL : "no field";
}

static const char *parse_target(char **col)
{
	struct target *t = &tv[tn];

	if (tn == TGT_MAX)
		return "too many targets";
	if (!*col[0] || strspn(col[0], "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(col[0]) ||
	    strlen(col[0]) > 24)
		return "bad code";
	for (size_t i = 0; i < tn; i++)
		if (!strcmp(tv[i].code, col[0]))
			return "duplicate code";
	if (!*col[1] || !*col[2])
		return "empty label or unit";
	memset(t, 0, sizeof *t);
	const char *why = parse_actual(t, col[3]);
	if (why) {
		free(t->fields);
		return why;
	}
	t->code = xstrdup(col[0]);
	t->label = xstrdup(col[1]);
	t->unit = xstrdup(col[2]);
	tn++;
	return NULL;
}

/* Forgets the parsed targets (a new parse replaces them). */
static void targets_clear(void)
{
	for (size_t i = 0; i < tn; i++) {
		free(tv[i].code);
		free(tv[i].label);
		free(tv[i].unit);
		free(tv[i].fields);
	}
	tn = 0;
}

int targets_parse(const char *tsv, char *err, size_t errsz)
{
	char *copy = xstrdup(tsv), *line, *save = NULL, *col[4];
	size_t lineno = 0;
	int rc = 0;

	targets_clear();
	for (line = strtok_r(copy, "\n", &save); line && rc == 0; line = strtok_r(NULL, "\n", &save)) {
		const char *why = NULL;
		line[strcspn(line, "\r")] = 0;
		if (++lineno == 1)
			why = strcmp(line, "code\tlabel\tunit\tactual") ? "header must be code, label, unit, actual" : NULL;
		else if (tsv_split(line, col, 4) < 0)
			why = "4 tab-separated columns expected";
		else
			why = parse_target(col);
		if (why) {
			seterr(err, errsz, "targets.tsv line %zu: %s", lineno, why);
			rc = -1;
		}
	}
	if (rc == 0 && tn == 0) {
		seterr(err, errsz, "targets.tsv: no rows");
		rc = -1;
	}
	free(copy);
	return rc;
}

int targets_load(char *err, size_t errsz)
{
	extern const char review_targets_tsv[];
	return tn ? 0 : targets_parse(review_targets_tsv, err, errsz);
}

/* ------------------------------------------------------ completion */

/* The region's submitted answers of form into a; 1 when there are none. */
static int submitted_answers(struct req *r, const struct form *f, const char *region, struct answers *a)
{
	char *id = NULL;
	int rc;

	if (db_query_str(r->db, STMT_REGION_FORM_SUBMITTED, DB_ARGS(A_STR(f->name), A_STR(region)), &id) < 0)
		return -1;
	if (!id)
		return 1;
	rc = response_load_answers(r->db, f, strtoull(id, NULL, 10), a);
	free(id);
	return rc;
}

/* The sum of the target's fields in a; 0 when none is answered. */
static int answers_sum(const struct target *t, const struct answers *a, double *out)
{
	int any = 0;
	*out = 0;
	for (size_t k = 0; k < t->nfields; k++) {
		const char *v = answers_get(a, t->form, t->form->fields[t->fields[k]].code);
		fnum x;
		if (v && *v && fnum_parse(v, 4, &x) == FN_OK) {
			*out += (double)x / FNUM_SCALE;
			any = 1;
		}
	}
	return any;
}

/* The actual figure of a form-based target. */
static void actual_from_form(struct req *r, const char *region, struct target_row *row)
{
	struct answers a;
	if (submitted_answers(r, row->t->form, region, &a) == 0) {
		row->has_actual = answers_sum(row->t, &a, &row->actual);
		answers_free(&a);
	}
	row->source = "自评估报告";
}

int targets_rows(struct req *r, const char *region, struct target_row *rows)
{
	struct dbrows *db;

	if (db_query(r->db, STMT_TARGETS_OF_REGION, DB_ARGS(A_STR(region)), &db) < 0)
		return -1;
	for (size_t i = 0; i < tn; i++) {
		struct target_row *row = &rows[i];
		memset(row, 0, sizeof *row);
		row->t = &tv[i];
		for (size_t k = 0; k < db->nrows; k++) {
			if (strcmp(dbrows_get(db, k, 0), tv[i].code))
				continue;
			if ((row->has_approved = dbrows_get(db, k, 1) != NULL))
				row->approved = strtod(dbrows_get(db, k, 1), NULL);
			if (!tv[i].form && (row->has_actual = dbrows_get(db, k, 2) != NULL))
				row->actual = strtod(dbrows_get(db, k, 2), NULL);
		}
		if (tv[i].form)
			actual_from_form(r, region, row);
		else
			row->source = "三季度建设情况";
		if (row->has_approved && row->has_actual && row->approved > 0)
			row->completion = row->actual / row->approved * 100;
	}
	dbrows_free(db);
	return 0;
}

static void cell_number(struct req *r, int has, double v, const char *suffix)
{
	if (has)
		h_printf(r, "<td class=\"num\">%.2f%s</td>", v, suffix);
	else
		h_raw(r, "<td class=\"num\">—</td>");
}

int targets_table(struct req *r, const char *region)
{
	static const char *const cols[] = { "批复目标", "单位", "批复", "完成", "完成数来源", "完成率" };
	struct target_row rows[TGT_MAX];

	if (targets_rows(r, region, rows) < 0)
		return -1;
	h_table_begin(r, "targets", "批复目标完成情况（完成 ÷ 批复）", cols, NELEMS(cols));
	for (size_t i = 0; i < tn; i++) {
		h_printf(r, "<tr id=\"t-%s\"><th scope=\"row\">%s</th><td>%s</td>", tv[i].code, tv[i].label, tv[i].unit);
		cell_number(r, rows[i].has_approved, rows[i].approved, "");
		cell_number(r, rows[i].has_actual, rows[i].actual, "");
		h_printf(r, "<td>%s</td>", rows[i].source);
		cell_number(r, rows[i].has_approved && rows[i].has_actual && rows[i].approved > 0,
		            rows[i].completion, "%");
		h_raw(r, "</tr>");
	}
	h_table_end(r);
	return 0;
}
