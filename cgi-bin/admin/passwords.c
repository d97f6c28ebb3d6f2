/*
 * admin/passwords.c - create-admin and reset-password.
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

/* ================================================================
 * create-admin, reset-password: one-time passwords (auth.h)
 * ================================================================ */

/* USERNAME [--stdin] of both commands. 0, or -1 after the usage message. */
static int onetime_args(int argc, char **argv, const char **user, int *from_stdin)
{
	*user = NULL;
	*from_stdin = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--stdin") == 0)
			*from_stdin = 1;
		else if (argv[i][0] != '-' && *user == NULL)
			*user = argv[i];
		else
			goto usage;
	}
	if (*user)
		return 0;
usage:
	command_usage(stderr, find_command(argv[0]));
	return -1;
}

/* The first line of standard input, without its line end, into buf
 * (size bytes); 0 or -1. */
static int password_from_stdin(char *buf, size_t size)
{
	if (fgets(buf, (int)size, stdin) == NULL)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/* Sets the one-time password (given or generated) inside the open
 * transaction and prints it; the caller commits. */
static int onetime_finish(struct db *db, unsigned long long uid, const char *action,
                          const char *user, int from_stdin)
{
	char given[256] = "", out[PW_GENERATED_MAX] = "";
	struct buf d = { 0 };
	int ret = EXIT_FAILED;
	if (from_stdin && password_from_stdin(given, sizeof given) < 0) {
		fprintf(stderr, PROG ": %s: no password on standard input\n", action);
		db_rollback(db);
		return EXIT_REJECTED;
	}
	buf_puts(&d, "cli operator=");
	put_sanitized(&d, operator_name(), 64);
	buf_puts(&d, " user=");
	put_sanitized(&d, user, 64);
	buf_puts(&d, from_stdin ? " password=stdin" : " password=generated");
	enum pw_result res = password_set_onetime_tx(db, 0, "", uid, action, d.data,
	                                             from_stdin ? given : NULL, out);
	explicit_bzero(given, sizeof given);
	buf_free(&d);
	if (res != PW_OK) {
		db_rollback(db);
		if (res == PW_BUSY) {
			fprintf(stderr, PROG ": %s: database error\n", action);
			return EXIT_FAILED;
		}
		fprintf(stderr, PROG ": %s: the password is not acceptable: %s\n", action, pw_message(res));
		return EXIT_REJECTED;
	}
	if (db_commit(db) < 0) {
		db_rollback(db);
		fprintf(stderr, PROG ": %s: database error\n", action);
	} else {
		if (!from_stdin)
			printf("password: %s\n", out);
		ret = EXIT_DONE;
	}
	explicit_bzero(out, sizeof out);
	return ret;
}

int cmd_create_admin(struct ctx *x, int argc, char **argv)
{
	const char *user, *why;
	int from_stdin;
	unsigned long long uid = 0;
	struct db *db;
	if (onetime_args(argc, argv, &user, &from_stdin) < 0)
		return EXIT_FAILED;
	if ((why = check_username(user)) != NULL) {
		fprintf(stderr, PROG ": create-admin: %s\n", why);
		return EXIT_REJECTED;
	}
	if ((db = ctx_db(x)) == NULL)
		return EXIT_FAILED;
	if (db_begin(db) < 0)
		return EXIT_FAILED;
	if (db_exec(db, STMT_USER_INSERT_ONETIME,
	            DB_ARGS(A_STR(user), A_STR("admin"), A_NULL, A_STR(""), A_STR("")),
	            NULL, &uid) < 0) {
		int dup = db_errno(db) == 1062;
		db_rollback(db);
		if (dup) {
			fprintf(stderr, PROG ": create-admin: the username %s exists already (用户名已存在)\n", user);
			return EXIT_REJECTED;
		}
		fprintf(stderr, PROG ": create-admin: database error\n");
		return EXIT_FAILED;
	}
	return onetime_finish(db, uid, "create-admin", user, from_stdin);
}

int cmd_reset_password(struct ctx *x, int argc, char **argv)
{
	const char *user;
	int from_stdin;
	char *id = NULL;
	struct db *db;
	if (onetime_args(argc, argv, &user, &from_stdin) < 0)
		return EXIT_FAILED;
	if ((db = ctx_db(x)) == NULL)
		return EXIT_FAILED;
	if (db_begin(db) < 0)
		return EXIT_FAILED;
	if (db_query_str(db, STMT_USER_ID_BY_NAME, DB_ARGS(A_STR(user)), &id) < 0) {
		db_rollback(db);
		fprintf(stderr, PROG ": reset-password: database error\n");
		return EXIT_FAILED;
	}
	if (id == NULL) {
		db_rollback(db);
		fprintf(stderr, PROG ": reset-password: no user %s (用户不存在)\n", user);
		return EXIT_REJECTED;
	}
	unsigned long long uid = strtoull(id, NULL, 10);
	free(id);
	return onetime_finish(db, uid, "password-reset", user, from_stdin);
}
