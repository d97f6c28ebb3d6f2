/*
 * admin/check.c - check: the installation's health.
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
#include "hostcheck.h"
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

/* ================================================================
 * check, purge (operations)
 * ================================================================ */

static int check_line(int ok, const char *what, const char *detail)
{
	printf("%-5s %s%s%s\n", ok ? "ok" : "FAIL", what, *detail ? ": " : "", detail);
	return ok ? 0 : 1;
}

/* Writable for user: as its owner, its group or anybody (no ACLs here). */
static int dir_writable_by(const char *dir, const struct passwd *pw, char *why, size_t n)
{
	struct stat st;
	if (stat(dir, &st) < 0) {
		snprintf(why, n, "%s: %s", dir, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, n, "%s is not a folder", dir);
		return 0;
	}
	if ((st.st_uid == pw->pw_uid && (st.st_mode & S_IWUSR) && (st.st_mode & S_IXUSR)) ||
	    (st.st_gid == pw->pw_gid && (st.st_mode & S_IWGRP) && (st.st_mode & S_IXGRP)) ||
	    ((st.st_mode & S_IWOTH) && (st.st_mode & S_IXOTH))) {
		snprintf(why, n, "%s (owner %u, mode %04o)", dir, (unsigned)st.st_uid,
		         (unsigned)(st.st_mode & 07777));
		return 1;
	}
	snprintf(why, n, "%s is not writable by %s (owner %u, mode %04o)", dir, pw->pw_name,
	         (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
	return 0;
}

static int check_deadline(const char *key, const char *value)
{
	char msg[160];
	if (!value || !*value)
		return check_line(0, key, "not set: the questionnaires would never close; set this round's deadline");
	if (deadline_passed(value)) {
		snprintf(msg, sizeof msg, "%s has passed: every save would be refused", value);
		return check_line(0, key, msg);
	}
	return check_line(1, key, value);
}

/* The hosts of a cluster agree on code_secret and the upload folder
 * (core/hostcheck.h); with adopt this host's become the agreed ones first. */
static int check_agreement(struct ctx *x, struct db *db, int adopt)
{
	char host[512], name[256] = "", why[1024];
	int bad = 0;

	gethostname(name, sizeof name - 1);
	snprintf(host, sizeof host, "%.200s:%.300s", name, x->conf_path ? x->conf_path :
	         getenv("SMESURVEY_CONF") ? getenv("SMESURVEY_CONF") : "/etc/smesurvey/smesurvey.conf");
	if (adopt) {
		if (hostcheck_adopt(db, &x->conf, host, why, sizeof why) < 0 ||
		    cli_audit(db, "host-agreement-adopt", host) < 0)
			return check_line(0, "host agreement", why);
		bad += check_line(1, "host agreement", why);
	}
	bad += check_line(hostcheck_secret(db, &x->conf, host, why, sizeof why) == 1, "code_secret", why);
	bad += check_line(hostcheck_uploads(db, &x->conf, host, why, sizeof why) == 1,
	                  "shared upload folder", why);
	return bad;
}

int cmd_check(struct ctx *x, int argc, char **argv)
{
	const char *user = "smesurvey";
	const struct passwd *pw;
	struct db *db;
	char *version = NULL, why[512];
	int bad = 0, adopt = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--user") == 0 && i + 1 < argc) {
			user = argv[++i];
		} else if (strcmp(argv[i], "--adopt") == 0) {
			adopt = 1;
		} else {
			fprintf(stderr, PROG ": check: unknown argument '%s'\n", argv[i]);
			return EXIT_FAILED;
		}
	}
	if (!(db = ctx_db(x))) {
		check_line(0, "configuration and database", "see the message above");
		return EXIT_REJECTED;
	}
	bad += check_line(1, "configuration", x->conf_path ? x->conf_path :
	                  getenv("SMESURVEY_CONF") ? getenv("SMESURVEY_CONF") : "/etc/smesurvey/smesurvey.conf");
	snprintf(why, sizeof why, "%s (deadlines are compared in this zone, whatever the host's)",
	         x->conf.time_zone && *x->conf.time_zone ? x->conf.time_zone : "the host's local zone");
	bad += check_line(x->conf.time_zone && *x->conf.time_zone, "time zone", why);
	if (db_query_str(db, STMT_SCHEMA_VERSION, DB_NOARGS, &version) < 0) {
		bad += check_line(0, "database", "no answer (see the message above)");
	} else {
		/* Migration names sort in order (NNN_): the database must have at
		 * least the newest one these programs were built with. */
		int cmp = version ? strcmp(version, SMESURVEY_SCHEMA) : -1;
		snprintf(why, sizeof why, "%s, expected %s%s", version ? version : "none", SMESURVEY_SCHEMA,
		         cmp > 0 ? " (newer migrations applied)" :
		         cmp < 0 ? ": run smesurvey-setup migrate" : "");
		bad += check_line(cmp >= 0, "database schema", why);
	}
	free(version);
	{
		/* Only meaningful once the schema has agg_meta (010). */
		int stale = aggr_stale(db);
		bad += check_line(stale == 0, "aggregates",
		                  stale < 0 ? "cannot be read (run smesurvey-setup migrate)" :
		                  stale ? "computed with another codebook or indicator set: run "
		                          "smesurvey-admin rebuild-aggregates" :
		                          "computed with these programs' codebook and indicators");
	}
	if (!(pw = getpwnam(user))) {
		snprintf(why, sizeof why, "no user %s (--user NAME)", user);
		bad += check_line(0, "upload folder", why);
	} else {
		int ok = dir_writable_by(x->conf.upload_dir, pw, why, sizeof why);
		bad += check_line(ok, "upload folder", why);
	}
	bad += check_agreement(x, db, adopt);
	bad += check_deadline("deadline_survey", x->conf.deadline_survey);
	bad += check_deadline("deadline_selfeval", x->conf.deadline_selfeval);
	printf("%s\n", bad ? "some checks failed" : "all checks passed");
	return bad ? EXIT_REJECTED : EXIT_DONE;
}

/* Names of stored uploads: 64 lower-case hex digits (form_store_upload). */
