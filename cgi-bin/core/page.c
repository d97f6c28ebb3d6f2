/*
 * page.c - page-table lookup and the one typed parameter parser.
 */
#include "page.h"
#include "http.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const page_one[] = { "1", NULL };
const char *const page_all[] = { "all", NULL };

unsigned page_method(const char *method)
{
	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		return M_GET;
	if (strcmp(method, "POST") == 0)
		return M_POST;
	return 0;
}

static int path_is(const struct pagedef *p, const char *path)
{
	size_t n = strlen(p->path);
	if (strncmp(path, p->path, n) != 0)
		return 0;
	return path[n] == '\0' || ((p->flags & PAGE_SLASH) && strcmp(path + n, "/") == 0);
}

const struct pagedef *page_find(const struct pagedef *pages, size_t n, const char *path,
                             unsigned method, unsigned *allow)
{
	*allow = 0;
	for (size_t i = 0; i < n; i++) {
		if (pages[i].path == NULL || !path_is(&pages[i], path))
			continue;
		if (pages[i].methods & method)
			return &pages[i];
		*allow |= pages[i].methods;
	}
	return NULL;
}

void page_allow_header(unsigned mask, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s", mask & M_GET ? "GET, HEAD" : "",
	         (mask & M_GET) && (mask & M_POST) ? ", " : "", mask & M_POST ? "POST" : "");
}

unsigned long long parse_id(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 19 || strspn(s, "0123456789") != n)
		return 0;
	unsigned long long v = strtoull(s, NULL, 10);
	/* Ids are signed BIGINTs in the database. */
	return v > INT64_MAX ? 0 : v;
}

/* A decimal integer in [min, max] (optional leading '-'); 0 or -1. */
static int parse_int(const char *s, long long min, long long max, long long *out)
{
	const char *d = *s == '-' ? s + 1 : s;
	size_t n = strlen(d);
	if (n == 0 || n > 18 || strspn(d, "0123456789") != n)
		return -1;
	long long v = strtoll(s, NULL, 10);
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* 0 when s is a valid value of p (filling a), -1 when not. Strings are
 * bounded in bytes (the decoder has made them UTF-8 already). */
static int parse_one(const struct pspec *p, const char *s, struct arg *a)
{
	switch (p->type) {
	case PT_ID:
		return (a->id = parse_id(s)) ? 0 : -1;
	case PT_INT:
		return parse_int(s, p->min, p->max, &a->n);
	case PT_STR:
		return (long long)strlen(s) <= p->max ? 0 : -1;
	case PT_FLAG:
		return strlen(s) <= 16 ? 0 : -1;
	case PT_FILE:
		return 0;    /* checked as a part (parse_file) */
	case PT_ENUM:
		for (long long i = 0; p->values[i]; i++)
			if (strcmp(s, p->values[i]) == 0) {
				a->n = i;
				return 0;
			}
		return -1;
	}
	return -1;
}

/* PT_FILE: the part must be a file part, within max bytes when max > 0. */
static int parse_file(const struct req *r, const struct pspec *p, struct arg *a)
{
	const struct param *f = req_param_p(r, p->name);
	if (f == NULL)
		return 1;                           /* absent */
	a->s = f->filename ? f->filename : "";
	a->file = f;
	if (f->filename == NULL || (p->max > 0 && (long long)f->len > p->max))
		return -1;
	return 0;
}

/* P_LIST / P_INDEXED: the values into a->list; 1 when none was sent, -1
 * when one is refused by the type. */
static int parse_many(const struct req *r, const struct pspec *p, struct arg *a)
{
	struct arg one;
	char key[64];
	a->list = xcalloc(p->maxn ? p->maxn : 1, sizeof *a->list);
	if (p->flags & P_LIST) {
		a->nlist = req_param_all(r, p->name, a->list, p->maxn);
	} else {
		for (; a->nlist < p->maxn; a->nlist++) {
			snprintf(key, sizeof key, "%s%zu", p->name, a->nlist);
			if ((a->list[a->nlist] = req_param(r, key)) == NULL)
				break;
		}
	}
	if (a->nlist == 0)
		return 1;
	a->s = a->list[0];
	for (size_t i = 0; i < a->nlist; i++) {
		memset(&one, 0, sizeof one);
		if (parse_one(p, a->list[i], &one) < 0)
			return -1;
	}
	return 0;
}

/* One parameter: 0 valid, 1 absent, -1 refused by its type. */
static int parse_param(const struct req *r, const struct pspec *p, struct arg *a)
{
	if (p->type == PT_FILE)
		return parse_file(r, p, a);
	if (p->flags & (P_LIST | P_INDEXED))
		return parse_many(r, p, a);
	if ((a->s = req_param(r, p->name)) == NULL)
		return 1;
	return parse_one(p, a->s, a);
}

void page_args_free(struct req *r)
{
	for (size_t i = 0; i < REQ_MAX_ARGS; i++)
		free(r->arg[i].list);
	memset(r->arg, 0, sizeof r->arg);
}

const struct pspec *page_parse_args(struct req *r, const struct pspec *ps)
{
	page_args_free(r);
	r->csrf_sent = req_param(r, "csrf");
	for (; ps && ps->name; ps++) {
		int rc = parse_param(r, ps, &r->arg[ps->key]);
		if (rc == 0)
			r->arg[ps->key].present = 1;
		else if (rc > 0 ? (ps->flags & P_REQUIRED) != 0 : ps->status != 0)
			return ps;
	}
	return NULL;
}

/* The problems of one row's parameters, or NULL. */
static const char *params_problem(const struct pspec *ps, char *err, size_t errsz)
{
	unsigned char used[REQ_MAX_ARGS] = { 0 };
	for (; ps && ps->name; ps++) {
		const char *why = ps->key >= REQ_MAX_ARGS ? "slot beyond REQ_MAX_ARGS"
		                : used[ps->key] ? "slot used twice"
		                : ps->type == PT_ENUM && ps->values == NULL ? "enum without values"
		                : (ps->flags & (P_LIST | P_INDEXED)) && ps->maxn == 0 ? "list without maxn"
		                : (ps->flags & P_REQUIRED) && ps->status == 0 ? "required without a status"
		                : NULL;
		if (why) {
			snprintf(err, errsz, "parameter %s: %s", ps->name, why);
			return err;
		}
		used[ps->key] = 1;
	}
	return NULL;
}

int page_table_check(const struct pagedef *pages, size_t n, char *err, size_t errsz)
{
	char why[160];
	for (size_t i = 0; i < n; i++) {
		const struct pagedef *p = &pages[i];
		if (p->path == NULL)
			continue;
		if ((p->methods & M_POST) && !(p->flags & PAGE_CSRF)) {
			snprintf(err, errsz, "page %s: a POST row without PAGE_CSRF", p->path);
			return -1;
		}
		if (params_problem(p->params, why, sizeof why)) {
			snprintf(err, errsz, "page %s: %s", p->path, why);
			return -1;
		}
	}
	return 0;
}
