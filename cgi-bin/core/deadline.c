/*
 * deadline.c - when a questionnaire closes (deadline.h).
 */
#include "deadline.h"
#include "catalog.h"
#include "conf.h"
#include "db.h"
#include "log.h"
#include "util.h"

#include <ctype.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int days_in_month(unsigned y, unsigned m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* Two digits at s (already checked to be digits). */
static unsigned dig2(const char *s)
{
	return (unsigned)(s[0] - '0') * 10 + (unsigned)(s[1] - '0');
}

int deadline_normalise(const char *s, char out[DEADLINE_LEN])
{
	unsigned y, mo, d, h = 23, mi = 59, sec = 59;
	size_t n = s ? strlen(s) : 0;

	out[0] = 0;
	if (s && n == 0)
		return 0;
	/* 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS]' or the browser's
	 * datetime-local 'YYYY-MM-DDTHH:MM[:SS]'. */
	if (n != 10 && n != 16 && n != 19)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int digit = c >= '0' && c <= '9';
		if ((i == 4 || i == 7) ? c != '-' : i == 10 ? (c != ' ' && c != 'T') :
		    (i == 13 || i == 16) ? c != ':' : !digit)
			return -1;
	}
	y = dig2(s) * 100 + dig2(s + 2);
	mo = dig2(s + 5);
	d = dig2(s + 8);
	if (n >= 16) {
		h = dig2(s + 11);
		mi = dig2(s + 14);
		sec = n == 19 ? dig2(s + 17) : 0;
	}
	if (y < 2000 || y > 2099 || mo < 1 || mo > 12 || d < 1 ||
	    d > (unsigned)days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
		return -1;
	snprintf(out, DEADLINE_LEN, "%04u-%02u-%02u %02u:%02u:%02u", y % 10000, mo % 100, d % 100,
	         h % 100, mi % 100, sec % 100);
	return 0;
}

void deadline_default(const struct conf *c, const char *form, char out[DEADLINE_LEN])
{
	const struct form_info *fi = catalog_get(form);
	const char *v = fi && fi->deadline == DK_SELFEVAL ? c->deadline_selfeval : c->deadline_survey;
	/* conf_load has normalised both; copy as is if a caller built its own. */
	if (deadline_normalise(v ? v : "", out) < 0)
		snprintf(out, DEADLINE_LEN, "%s", v);
}

/* A zone name: letters, digits, '_', '+', '-' and '/', no "..", that exists
 * in the system's zone database (glibc silently falls back to UTC). */
static int zone_ok(const char *tz)
{
	char path[512];
	if (strlen(tz) > 64 || strstr(tz, "..") || *tz == '/')
		return 0;
	for (const char *p = tz; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_+-/", *p))
			return 0;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	return access(path, R_OK) == 0;
}

int deadline_conf_apply(struct conf *c)
{
	char due[DEADLINE_LEN];
	char **keys[] = { &c->deadline_survey, &c->deadline_selfeval };
	int rc = 0;

	if (*c->time_zone) {
		if (!zone_ok(c->time_zone)) {
			log_err("config: unknown time_zone '%s'", c->time_zone);
			rc = -1;
		} else {
			setenv("TZ", c->time_zone, 1);
			tzset();
		}
	}
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (deadline_normalise(*keys[i], due) < 0) {
			log_err("config: deadline '%s' is not 'YYYY-MM-DD HH:MM:SS'", *keys[i]);
			rc = -1;
			continue;
		}
		free(*keys[i]);
		*keys[i] = xstrdup(due);
	}
	return rc;
}

/* The overrides this request has read (rows of STMT_DEADLINE_OVERRIDES_ALL:
 * region_code, form, due), when reading per request is on. */
static struct {
	int            on;
	struct dbrows *rows;
} seen;

void deadline_forget(void)
{
	dbrows_free(seen.rows);
	seen.rows = NULL;
}

void deadline_request_begin(void)
{
	deadline_forget();
	seen.on = 1;
}

/* Loads every override once per request; 0, or -1 on a database error. */
static int overrides_read(struct db *db)
{
	if (seen.rows)
		return 0;
	return db_query(db, STMT_DEADLINE_OVERRIDES_ALL, DB_NOARGS, &seen.rows);
}

/* Copies into out the override of form (NULL: each form of d) for region
 * (exact match); national rows are region "". */
static void overrides_apply(const char *region, const char *form, char out[DEADLINE_LEN],
                            struct deadlines *d)
{
	for (size_t r = 0; r < seen.rows->nrows; r++) {
		const char *rc = dbrows_get(seen.rows, r, 0), *fm = dbrows_get(seen.rows, r, 1),
		           *due = dbrows_get(seen.rows, r, 2);
		if (!rc || !fm || !due || strcmp(rc, region) != 0)
			continue;
		if (form && !strcmp(fm, form))
			snprintf(out, DEADLINE_LEN, "%s", due);
		for (size_t i = 0; d && i < d->n; i++)
			if (!strcmp(d->v[i].form, fm))
				snprintf(d->v[i].at, DEADLINE_LEN, "%s", due);
	}
}

int deadline_get(struct db *db, const struct conf *c, const char *form,
                 const char *region_code, char out[DEADLINE_LEN])
{
	char *due = NULL;

	deadline_default(c, form, out);
	if (!db)
		return 0;
	if (seen.on) {
		if (overrides_read(db) < 0)
			return -1;
		/* The national row first: the region's own, applied after, wins. */
		overrides_apply("", form, out, NULL);
		if (region_code && *region_code)
			overrides_apply(region_code, form, out, NULL);
		return 0;
	}
	/* No region: the national deadline (region_code ''). */
	if (db_query_str(db, STMT_DEADLINE_OVERRIDE_GET,
	                 DB_ARGS(A_STR(form), A_STR(region_code ? region_code : "")), &due) < 0)
		return -1;
	if (due)
		snprintf(out, DEADLINE_LEN, "%s", due);
	free(due);
	return 0;
}

int deadlines_for_region(struct db *db, const struct conf *c, const char *region_code,
                         struct deadlines *out)
{
	struct dbrows *rows;

	out->n = 0;
	for (size_t i = 0; catalog_at(i) && i < CATALOG_MAX_FORMS; i++) {
		out->v[i].form = catalog_at(i)->name;
		deadline_default(c, out->v[i].form, out->v[i].at);
		out->n++;
	}
	if (!db)
		return 0;
	if (seen.on) {
		if (overrides_read(db) < 0)
			return -1;
		overrides_apply("", NULL, NULL, out);
		if (region_code && *region_code)
			overrides_apply(region_code, NULL, NULL, out);
		return 0;
	}
	if (db_query(db, STMT_DEADLINE_OVERRIDES_OF_REGION,
	             DB_ARGS(A_STR(region_code ? region_code : "")), &rows) < 0)
		return -1;
	for (size_t r = 0; r < rows->nrows; r++)
		for (size_t i = 0; i < out->n; i++)
			if (dbrows_get(rows, r, 0) && dbrows_get(rows, r, 1) &&
			    !strcmp(out->v[i].form, dbrows_get(rows, r, 0)))
				snprintf(out->v[i].at, DEADLINE_LEN, "%s", dbrows_get(rows, r, 1));
	dbrows_free(rows);
	return 0;
}

const char *deadlines_of(const struct deadlines *d, const char *form)
{
	for (size_t i = 0; form && i < d->n; i++)
		if (!strcmp(d->v[i].form, form))
			return d->v[i].at;
	return "";
}

int deadline_passed_at(const char *deadline, time_t now)
{
	char at[DEADLINE_LEN], clock[32];
	struct tm tm;

	if (!deadline || !*deadline)
		return 0;
	if (deadline_normalise(deadline, at) < 0)
		snprintf(at, sizeof at, "%s", deadline);
	/* The process runs in the declared zone (conf time_zone sets TZ). */
	localtime_r(&now, &tm);
	strftime(clock, sizeof clock, "%Y-%m-%d %H:%M:%S", &tm);
	return strcmp(clock, at) > 0;
}

long deadline_days_left(const char *deadline, time_t now)
{
	char at[DEADLINE_LEN];
	struct tm tm;
	time_t t;

	if (!deadline || !*deadline || deadline_normalise(deadline, at) < 0)
		return DEADLINE_NONE;
	memset(&tm, 0, sizeof tm);
	if (sscanf(at, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
	           &tm.tm_min, &tm.tm_sec) != 6)
		return DEADLINE_NONE;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	/* mktime reads the wall clock in the declared zone (TZ, see above). */
	if ((t = mktime(&tm)) == (time_t)-1)
		return DEADLINE_NONE;
	if (t < now)
		return -1 - (long)((now - t) / 86400);
	return (long)((t - now + 86399) / 86400);
}

int deadline_passed(const char *deadline)
{
	return deadline_passed_at(deadline, time(NULL));
}
