/*
 * evalconf.c - the review vocabulary (evalconf.h): contents, rating scale,
 * documents, as data.
 */
#include "evalconf.h"
#include "indicators.h"
#include "indview.h"
#include "targets.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ev_list_free(struct ev_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].code);
		free(l->v[i].label);
		free(l->v[i].note);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const struct ev_item *ev_find(const struct ev_list *l, const char *code)
{
	for (size_t i = 0; code && i < l->n; i++)
		if (!strcmp(l->v[i].code, code))
			return &l->v[i];
	return NULL;
}

/* A code is an identifier, or a single CJK numeral of the contents. */
static int code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return 0;
	if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n)
		return 1;
	return n == 3 && utf8_valid(s, n) && utf8_len(s) == 1;
}

static int add_row(struct ev_list *l, char **col, char *why, size_t whysz)
{
	if (!code_ok(col[0])) {
		snprintf(why, whysz, "bad code '%.40s'", col[0]);
		return -1;
	}
	if (ev_find(l, col[0])) {
		snprintf(why, whysz, "duplicate code %s", col[0]);
		return -1;
	}
	if (!*col[1] || !utf8_valid(col[1], strlen(col[1]))) {
		snprintf(why, whysz, "%s: empty or invalid label", col[0]);
		return -1;
	}
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = (struct ev_item){ xstrdup(col[0]), xstrdup(col[1]), xstrdup(col[2]) };
	return 0;
}

int ev_list_parse(struct ev_list *l, const char *tsv, const char *name, const char *third,
                  char *err, size_t errsz)
{
	char *copy = xstrdup(tsv), *line, *save = NULL, *col[3], head[64], why[96];
	size_t lineno = 0;
	int rc = 0;

	memset(l, 0, sizeof *l);
	snprintf(head, sizeof head, "code\tlabel\t%s", third);
	for (line = strtok_r(copy, "\n", &save); line && rc == 0; line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = 0;
		if (++lineno == 1) {
			if (strcmp(line, head)) {
				seterr(err, errsz, "%s line 1: header must be code, label, %s", name, third);
				rc = -1;
			}
			continue;
		}
		if (tsv_split(line, col, 3) < 0) {
			seterr(err, errsz, "%s line %zu: 3 tab-separated columns expected", name, lineno);
			rc = -1;
		} else if (add_row(l, col, why, sizeof why) < 0) {
			seterr(err, errsz, "%s line %zu: %s", name, lineno, why);
			rc = -1;
		}
	}
	if (rc == 0 && l->n == 0) {
		seterr(err, errsz, "%s: no rows", name);
		rc = -1;
	}
	free(copy);
	if (rc < 0)
		ev_list_free(l);
	return rc;
}

static struct ev_list contents, scale, documents;
static int loaded;

/* The contents are exactly those the indicators are grouped by. */
static int contents_match_indicators(char *err, size_t errsz)
{
	const struct indset *set = indicators();

	for (size_t i = 0; set && i < set->n; i++)
		if (!ev_find(&contents, set->v[i].content)) {
			seterr(err, errsz, "contents.tsv lacks content %s of indicator %s", set->v[i].content,
			       set->v[i].code);
			return -1;
		}
	if (contents.n != 4) {
		seterr(err, errsz, "contents.tsv: the notice has four evaluation contents, not %zu", contents.n);
		return -1;
	}
	return 0;
}

int evalconf_load(char *err, size_t errsz)
{
	extern const char review_contents_tsv[], review_scale_tsv[], review_documents_tsv[];

	if (loaded)
		return 0;
	if (indicators_load(err, errsz) < 0 ||
	    ev_list_parse(&contents, review_contents_tsv, "contents.tsv", "notice", err, errsz) < 0 ||
	    ev_list_parse(&scale, review_scale_tsv, "scale.tsv", "meaning", err, errsz) < 0 ||
	    ev_list_parse(&documents, review_documents_tsv, "documents.tsv", "note", err, errsz) < 0 ||
	    contents_match_indicators(err, errsz) < 0 || targets_load(err, errsz) < 0)
		return -1;
	loaded = 1;
	return 0;
}

const struct ev_list *ev_contents(void)  { return &contents; }
const struct ev_list *ev_scale(void)     { return &scale; }
const struct ev_list *ev_documents(void) { return &documents; }

void ev_scale_text(struct buf *out)
{
	for (size_t i = 0; i < scale.n; i++) {
		if (i)
			buf_puts(out, i + 1 == scale.n ? " 或 " : "、");
		buf_puts(out, scale.v[i].label);
	}
}
