/*
 * nav.h - the site navigation every program's pages show (page_begin()).
 * It names the questionnaires' pages, so it lives with the forms, not in
 * the core; each program hands it to app_run() in its struct app, after
 * site_nav_load() has filled it from the form catalog.
 */
#ifndef SME_NAV_H
#define SME_NAV_H

#include <stddef.h>

#include "html.h"

/* Fixed capacity: unused entries have no roles and never show. */
extern struct nav_item site_nav[];
extern const size_t site_nav_len;

/* Fills site_nav: the site's pages, with each role's own questionnaire and
 * a region's proxy entries taken from the form catalog (catalog.h). */
void site_nav_load(void);

#endif
