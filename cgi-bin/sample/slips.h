/*
 * slips.h - QR invitation slips and the invitation funnel (issue 4).
 *
 *   GET  /region/slips            choose a stratum; funnel per sampled unit
 *   POST /region/slips            issue new codes and answer with an A4 PDF,
 *                                 8 slips (2 x 4) per page with cut marks
 *   GET  /region/slips/one?unit=  confirmation for one unit's slip
 *   POST /region/slips/one        issue a new code for that unit; PNG slip
 *
 * Codes exist in clear only while the response is produced (codes.h), so
 * every print issues new codes for the not yet registered units printed, and
 * their old slips stop working. Registered units get no slip.
 */
#ifndef SME_SLIPS_H
#define SME_SLIPS_H

#include <stddef.h>
#include <stdio.h>

struct req;
struct buf;
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
/* One slip as a 300 dpi PNG appended to out. Returns 0 or -1. */
int slips_png(struct buf *out, const struct slip_info *si, const struct issued *unit);

/* The handler for /region/slips and /region/slips/one (role region; the
 * caller has checked auth_require(RB(ROLE_REGION))). */
void region_slips_page(struct req *r);

/* Per-unit funnel of a region: slip printed, code opened, registered, draft
 * started, submitted. Returns 0 or -1. */
int slips_funnel_table(struct req *r, const char *region_code);

#endif
