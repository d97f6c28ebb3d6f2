/*
 * deadlines.h - the questionnaires' deadlines as the pages show them
 * (landing page, region home, national progress). They are read with
 * deadlines_for_region() (core/deadline.c), the same function the forms
 * enforce, so a national or regional override is what every page shows
 * (issue 17, defect 1): never the configured dates directly.
 */
#ifndef SME_PAGES_DEADLINES_H
#define SME_PAGES_DEADLINES_H

struct req;

/* <ul class="deadlines">: one item per date, naming the questionnaires
 * that close then, for region_code (NULL or "": the national deadlines).
 * Returns 0, or -1 on a database error (nothing written then). */
int h_deadline_list(struct req *r, const char *region_code);

#endif
