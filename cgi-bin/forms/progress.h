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

#endif
