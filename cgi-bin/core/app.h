/*
 * app.h - the FastCGI accept loop every program runs.
 *
 * app_run() loads the config, opens the database, then for each request:
 * decodes input (bounded by max_body), loads the session and dispatches
 * from the program's page table (page.h): 404 / 405 / login redirect / 403
 * and refused parameters are answered here, so a handler runs only for a
 * known path and method, an allowed role and valid typed parameters. The
 * buffered response is sent afterwards; handlers never touch FastCGI.
 */
#ifndef SME_APP_H
#define SME_APP_H

#include <stddef.h>
#include "page.h"

struct nav_item;

struct app {
	const char            *name;     /* program name for the log */
	const struct pagedef  *pages;
	size_t                 npages;
	const struct nav_item *nav;      /* the site navigation (html.h) */
	size_t                 nnav;
};

/* argv: `PROGRAM --version` prints the name and version, `PROGRAM
 * --routes` the page table (one "METHOD PATH ROLES FLAGS PARAMS" line per
 * path and method), and return 0 without starting (any other argument is
 * refused: a FastCGI program takes its settings from SMESURVEY_CONF). */
int app_run(const struct app *app, int argc, char **argv);

#endif
