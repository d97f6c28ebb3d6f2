/*
 * nav.h - the site navigation every program's pages show (page_begin()).
 * It names the questionnaires' pages, so it lives with the forms, not in
 * the core; each program hands it to app_run() in its struct app.
 */
#ifndef SME_NAV_H
#define SME_NAV_H

#include <stddef.h>

#include "html.h"

extern const struct nav_item site_nav[];
extern const size_t site_nav_len;

#endif
