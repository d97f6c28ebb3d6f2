/*
 * adminparam.c - the filters of the ministry's pages (adminparam.h).
 */
#include "adminparam.h"
#include "form.h"
#include "http.h"

#include <string.h>

const char *param_region(const struct req *r)
{
	const char *v = req_param(r, "region");
	size_t n;
	if (!v || !*v)
		return NULL;
	n = strlen(v);
	if (n > 16)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      (v[i] >= 'a' && v[i] <= 'z') || v[i] == '-' || v[i] == '_'))
			return NULL;
	return v;
}

const char *param_status(const struct req *r, int def_submitted)
{
	const char *v = req_param(r, "status");
	if (!v || !*v)
		return def_submitted ? "submitted" : NULL;
	if (!strcmp(v, "submitted") || !strcmp(v, "draft"))
		return v;
	return NULL;   /* "all" */
}

const struct form *param_form(const struct req *r)
{
	const char *v = req_param(r, "form");
	return v && *v && strlen(v) < 17 ? form_get(v) : NULL;
}
