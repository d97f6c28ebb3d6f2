/*
 * page.c - page-table lookup and the one typed parameter parser.
 */
#include "page.h"
#include "http.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* 0 when s is a valid value of p (filling a), -1 when not. */
static int parse_one(const struct pspec *p, const char *s, struct arg *a)
{
	switch (p->type) {
	case PT_ID:
		return (a->id = parse_id(s)) ? 0 : -1;
	case PT_INT:
		return parse_int(s, p->min, p->max, &a->n);
	case PT_STR:
		return (long long)strlen(s) <= p->max ? 0 : -1;
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

const struct pspec *page_parse_args(struct req *r, const struct pspec *ps)
{
	memset(r->arg, 0, sizeof r->arg);
	for (; ps && ps->name; ps++) {
		struct arg *a = &r->arg[ps->key];
		const char *s = req_param(r, ps->name);
		a->s = s;
		if (s == NULL) {
			if (ps->flags & P_REQUIRED)
				return ps;
			continue;
		}
		if (parse_one(ps, s, a) == 0)
			a->present = 1;
		else if (ps->status != 0)
			return ps;
	}
	return NULL;
}
