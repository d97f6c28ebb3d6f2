/*
 * adminparam.c - the filters of the ministry's pages (adminparam.h).
 */
#include "adminparam.h"
#include "form.h"
#include "http.h"

#include <string.h>

const char *param_region(const struct req *r)
{
	const char *v = r->arg[AP_REGION].present ? r->arg[AP_REGION].s : NULL;
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
	const char *v = r->arg[AP_STATUS].present ? r->arg[AP_STATUS].s : NULL;
	if (!v || !*v)
		return def_submitted ? "submitted" : NULL;
	if (!strcmp(v, "submitted") || !strcmp(v, "draft"))
		return v;
	return NULL;   /* "all" */
}

const struct form *param_form(const struct req *r)
{
	const char *v = r->arg[AP_FORM].present ? r->arg[AP_FORM].s : NULL;
	return v && *v ? form_get(v) : NULL;
}
