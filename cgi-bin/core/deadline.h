/*
 * deadline.h - the one rule for when a questionnaire closes.
 *
 * The deadline of (form, region) is the region's extension in
 * deadline_overrides if there is one, else the national deadline set on the
 * admin page (deadline_overrides with region_code ''), else the configured
 * deadline of the form's kind (the catalog says survey or selfeval: conf deadline_survey /
 * deadline_selfeval). Deadlines are wall-clock times 'YYYY-MM-DD HH:MM:SS'
 * in one declared time zone, conf time_zone (default Asia/Shanghai; "": the server's local
 * zone), and are compared with this process's clock in that zone only, never
 * with the database's NOW(). A bare date means the end of that day; ""
 * means no deadline.
 */
#ifndef SME_DEADLINE_H
#define SME_DEADLINE_H

#include <stddef.h>
#include <time.h>
#include "catalog.h"

struct db;
struct conf;

#define DEADLINE_LEN 20   /* 'YYYY-MM-DD HH:MM:SS' + NUL */

/* Applies the configuration's deadline settings once after conf_load: the
 * declared time_zone becomes the process's TZ (so localtime is that zone),
 * and both configured deadlines are checked and normalised. 0, or -1
 * (logged) for an unknown zone or a malformed deadline. */
int  deadline_conf_apply(struct conf *c);

/* The configured deadline of form (no database). */
void deadline_default(const struct conf *c, const char *form, char out[DEADLINE_LEN]);
/* The deadline of form for region_code (NULL/"": the national one). One query.
 * Returns 0, or -1 on a database error. */
int  deadline_get(struct db *db, const struct conf *c, const char *form,
                  const char *region_code, char out[DEADLINE_LEN]);
/* Per-request reading (issue 13, item 5): after deadline_request_begin()
 * (app.c, at the start of each request) deadline_get and
 * deadlines_for_region read every override once, with one query, and
 * answer the rest of the request from that; deadline_forget() drops what
 * was read (after a change of the overrides). Without it (the CLI) each
 * call queries. */
void deadline_request_begin(void);
void deadline_forget(void);

/* The deadlines of every form for one region, read with one query (a page
 * that needs several computes them once per request). */
struct deadlines {
	size_t n;
	struct {
		const char *form;
		char        at[DEADLINE_LEN];
	} v[CATALOG_MAX_FORMS];
};
int  deadlines_for_region(struct db *db, const struct conf *c, const char *region_code,
                          struct deadlines *out);
/* The deadline of form in d ("" when form is unknown). */
const char *deadlines_of(const struct deadlines *d, const char *form);

/* Normalises 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (a 'T' accepted for the
 * space, seconds optional) into out. Returns 0, or -1 when malformed.
 * "" stays "" (no deadline). */
int  deadline_normalise(const char *in, char out[DEADLINE_LEN]);
/* 1 when now is past deadline ("" never passes). */
int  deadline_passed_at(const char *deadline, time_t now);
int  deadline_passed(const char *deadline);
/* Whole days from now until the deadline (a started day counts, so it is
 * rounded up: 1 while less than a day is left); < 0 once it has passed;
 * DEADLINE_NONE when there is no deadline. */
#define DEADLINE_NONE 999999L
long deadline_days_left(const char *deadline, time_t now);

#endif
