/*
 * admin/purge.c - purge: expired sessions, old throttle rows, unused uploads.
 */
#include "auth.h"
#include "catalog.h"
#include "conf.h"
#include "csv.h"
#include "aggr.h"
#include "form.h"
#include "indview.h"
#include "db.h"
#include "deadline.h"
#include "draw.h"
#include "frame.h"
#include "log.h"
#include "util.h"
#include "valid.h"

#include <crypt.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <ctype.h>
#include <pwd.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "admin.h"

static int is_upload_name(const char *s)
{
	size_t n = strlen(s);
	return n == 64 && strspn(s, "0123456789abcdef") == n;
}

/* Deletes upload files no answer refers to, older than a day. */
static int purge_uploads(struct db *db, const char *dir, int dry, long *count)
{
	struct dbrows *refs;
	DIR *d;
	struct dirent *e;
	time_t now = time(NULL);

	*count = 0;
	if (db_query(db, STMT_UPLOADS_REFERENCED, DB_NOARGS, &refs) < 0)
		return -1;
	if (!(d = opendir(dir))) {
		fprintf(stderr, PROG ": purge: %s: %s\n", dir, strerror(errno));
		dbrows_free(refs);
		return -1;
	}
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		int used = 0;
		if (!is_upload_name(e->d_name))
			continue;
		for (size_t i = 0; i < refs->nrows && !used; i++)
			used = dbrows_get(refs, i, 0) && strcmp(dbrows_get(refs, i, 0), e->d_name) == 0;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		/* A day's grace: a file stored by a save whose answers are not
		 * committed yet is unreferenced for a moment. */
		if (used || lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || now - st.st_mtime < 86400)
			continue;
		if (!dry && unlink(path) < 0) {
			fprintf(stderr, PROG ": purge: %s: %s\n", path, strerror(errno));
			continue;
		}
		(*count)++;
	}
	closedir(d);
	dbrows_free(refs);
	return 0;
}

int cmd_purge(struct ctx *x, int argc, char **argv)
{
	struct db *db;
	unsigned long long sessions = 0, logins = 0, codes = 0;
	long files = 0;
	int dry = 0;
	struct buf d = { 0 };

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0) {
			dry = 1;
		} else {
			fprintf(stderr, PROG ": purge: unknown argument '%s'\n", argv[i]);
			return EXIT_FAILED;
		}
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	if (!dry) {
		if (db_exec(db, STMT_SESSIONS_PURGE,
		            DB_ARGS(A_INT(x->conf.session_idle_min), A_INT(x->conf.session_abs_min)),
		            &sessions, NULL) < 0 ||
		    db_exec(db, STMT_LOGIN_FAILURES_PURGE, DB_NOARGS, &logins, NULL) < 0 ||
		    db_exec(db, STMT_CODE_FAILURES_PURGE, DB_NOARGS, &codes, NULL) < 0)
			return EXIT_FAILED;
	}
	if (purge_uploads(db, x->conf.upload_dir, dry, &files) < 0)
		return EXIT_FAILED;
	buf_printf(&d, "sessions=%llu login_failures=%llu code_failures=%llu uploads=%ld%s",
	           sessions, logins, codes, files, dry ? " (dry run)" : "");
	printf("purged: %s\n", d.data);
	if (!dry && cli_audit(db, "purge", d.data) < 0) {
		buf_free(&d);
		return EXIT_FAILED;
	}
	buf_free(&d);
	return EXIT_DONE;
}
