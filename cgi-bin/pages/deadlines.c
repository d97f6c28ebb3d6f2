/*
 * deadlines.c - the questionnaires' deadlines as the pages show them.
 */
#include "deadlines.h"
#include "catalog.h"
#include "deadline.h"
#include "html.h"
#include "http.h"

#include <string.h>
#include <time.h>

int h_deadline_list(struct req *r, const char *region_code)
{
	struct deadlines d;
	unsigned char done[CATALOG_MAX_FORMS] = { 0 };
	time_t now = time(NULL);

	if (deadlines_for_region(r->db, r->conf, region_code, &d) < 0)
		return -1;
	h_raw(r, "<ul class=\"deadlines\">");
	/* Forms that close at the same time share one item, in catalog order. */
	for (size_t i = 0; i < d.n; i++) {
		if (done[i])
			continue;
		h_raw(r, "<li>");
		for (size_t j = i; j < d.n; j++) {
			if (done[j] || strcmp(d.v[j].at, d.v[i].at) != 0)
				continue;
			done[j] = 1;
			h_printf(r, "%s%s", j == i ? "" : "、", catalog_get(d.v[j].form)->menu);
		}
		if (!*d.v[i].at)
			h_raw(r, "不设截止时间</li>");
		else
			h_printf(r, "截止时间：%s%s</li>", d.v[i].at,
			         deadline_passed_at(d.v[i].at, now) ? "（已截止）" : "");
	}
	h_raw(r, "</ul>");
	return 0;
}
