/*
 * progress.h - the progress tables shared by the region and the
 * administrator pages.
 */
#ifndef SME_PROGRESS_H
#define SME_PROGRESS_H

struct req;

/* Renders two tables from one progress query; region_code NULL: every
 * region (administrators), else only that region.
 *
 * First, progress against the notice's requirements, one row per region:
 * the self-evaluation report (submitted, when), the hub and window
 * questionnaires (x of y accounts), each sample stratum against its quota
 * (sampled, slips printed, QR opened, registered, submitted), days left to
 * each deadline, and a status per requirement - met / on track / behind,
 * written out so that it reads without colour - with totals (whose quota
 * is the sum of the regions' quotas) and a small SVG bar of the SMEs'
 * submissions (coloured by style.css: .bar, .bar-bg). sort: "region" (default), "behind" (most
 * requirements behind first) or "sme" (lowest SME share first). Every cell
 * carries data-k/data-* attributes for scripts and tests.
 *
 * Then the accounts, drafts and submissions per questionnaire.
 * Returns 0 or -1 (nothing useful rendered). */
int progress_tables(struct req *r, const char *region_code, const char *sort);

#endif
