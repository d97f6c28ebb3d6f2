/*
 * strata.c - the table of the sample's strata (strata.h).
 */
#include "strata.h"

#include <string.h>

const char *const stratum_codes[ST_COUNT + 1] = { "hub", "window", "sme", NULL };

static const struct {
	const char *label, *category;
} names[ST_COUNT] = {
	[ST_HUB]    = { "地区枢纽平台", "服务资源单位（枢纽平台组织）" },
	[ST_WINDOW] = { "窗口平台",     "服务资源单位（窗口平台组织）" },
	[ST_SME]    = { "中小企业",     "中小企业" },
};

const char *stratum_code(int s)     { return s >= 0 && s < ST_COUNT ? stratum_codes[s] : ""; }
const char *stratum_label(int s)    { return s >= 0 && s < ST_COUNT ? names[s].label : ""; }
const char *stratum_category(int s) { return s >= 0 && s < ST_COUNT ? names[s].category : ""; }

int stratum_parse(const char *s)
{
	for (int i = 0; s && i < ST_COUNT; i++)
		if (strcmp(s, stratum_codes[i]) == 0)
			return i;
	return -1;
}

const char *stratum_category_of(const char *code)
{
	int st = stratum_parse(code);
	return st < 0 ? "全部" : stratum_category(st);
}
