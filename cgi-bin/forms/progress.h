/*
 * progress.h - the response-progress table shared by the region and the
 * administrator pages (one query, one renderer).
 */
#ifndef SME_PROGRESS_H
#define SME_PROGRESS_H

struct req;

/* Renders progress per region and questionnaire. region_code NULL: every
 * region (administrators); otherwise only that region. Returns 0 or -1. */
int progress_table(struct req *r, const char *region_code);

/* Progress against the notice's requirements, one row per region (or only
 * region_code): the self-evaluation report (submitted, when), the hub and
 * window questionnaires (x of y accounts), each sample stratum against its
 * quota (sampled, slips printed, QR opened, registered, submitted), days
 * left to each deadline, and a status per requirement - met / on track /
 * behind, written out so that it reads without colour - with totals and a
 * small SVG bar of the SMEs' submissions. sort: "region" (default),
 * "behind" (most requirements behind first) or "sme" (lowest SME share
 * first). Every cell carries data-k/data-* attributes for scripts and
 * tests. Returns 0 or -1 (nothing useful rendered). */
int quota_table(struct req *r, const char *region_code, const char *sort);

#endif
