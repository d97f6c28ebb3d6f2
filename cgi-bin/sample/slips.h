/*
 * slips.h - QR invitation slips and the invitation funnel (issue 4).
 *
 * The pages that print them (/region/slips, /region/slips/one) are in
 * region/slips.c: A4 PDFs of 8 slips (2 x 4) per page with cut marks, or one
 * unit's slip as a one-page PDF.
 *
 * A unit's code is derived from the installation's secret (codes.h), so a
 * slip printed again carries the same code. Registered units get no slip.
 */
#ifndef SME_SLIPS_H
#define SME_SLIPS_H

#include <stddef.h>
#include <stdio.h>

struct req;
struct issued;

/* Everything a slip shows besides the unit itself. */
struct slip_info {
	const char *region_name;
	const char *help_phone;
	const char *base_url;          /* no trailing slash */
	const char *deadline_resource; /* 'YYYY-MM-DD HH:MM:SS' */
	const char *deadline_sme;
};

/* Renders the slips of units[0..n) as an A4 PDF written to out page by page.
 * Returns 0, or -1 (logged). */
int slips_pdf(FILE *out, const struct slip_info *si, const struct issued *units, size_t n);

/* Which units the funnel's unit list shows: ids above after (the page
 * key), one stratum ("" = all), names containing q ("" = all). */
struct funnel_page {
	unsigned long long after;
	const char        *stratum;
	const char        *q;
};
#define FUNNEL_PAGE 100   /* units per page of the funnel's list */

/* Per-unit funnel of a region: slip printed, code opened, registered, draft
 * started, submitted - counts over every invited unit, then one page of
 * the units (pg), with a search form and the link to the next page.
 * Returns 0 or -1. */
int slips_funnel_table(struct req *r, const char *region_code, const struct funnel_page *pg);

#endif
