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

/* create-admin and reset-password: the account (created, or found by
 * name), its one-time password and the audit row in one transaction. */
struct onetime_tx {
	const char *cmd, *action, *user;   /* the command's name; the audit action */
	int         create, from_stdin;
	char        given[256], out[PW_GENERATED_MAX];
	enum { OT_DONE, OT_EXISTS, OT_NO_USER, OT_REFUSED } outcome;
	enum pw_result res;
};

/* The account's id: inserted (create-admin) or looked up. 0 with *uid set,
 * 1 with the outcome set, -1 on a database error. */
static int onetime_account(struct db *db, struct onetime_tx *x, unsigned long long *uid)
{
	char *id = NULL;
	if (x->create) {
		enum db_rc rc = db_exec(db, STMT_USER_INSERT_ONETIME,
		                        DB_ARGS(A_STR(x->user), A_STR("admin"), A_NULL, A_STR(""), A_STR("")),
		                        NULL, uid);
		if (rc == DB_DUPLICATE)
			x->outcome = OT_EXISTS;
		return rc == DB_OK ? 0 : rc == DB_DUPLICATE ? 1 : -1;
	}
	if (db_query_str(db, STMT_USER_ID_BY_NAME, DB_ARGS(A_STR(x->user)), &id) < 0)
		return -1;
	if (id == NULL) {
		x->outcome = OT_NO_USER;
		return 1;
	}
	*uid = strtoull(id, NULL, 10);
	free(id);
	return 0;
}

static int onetime_body(struct db *db, void *ctx, int attempt)
{
	struct onetime_tx *x = ctx;
	struct buf d = { 0 };
	unsigned long long uid = 0;
	int rc;

	(void)attempt;
	if ((rc = onetime_account(db, x, &uid)) != 0)
		return rc;
	buf_puts(&d, "cli operator=");
	put_sanitized(&d, operator_name(), 64);
	buf_puts(&d, " user=");
	put_sanitized(&d, x->user, 64);
	buf_puts(&d, x->from_stdin ? " password=stdin" : " password=generated");
	x->res = password_set_onetime_tx(db, 0, "", uid, x->action, d.data, x->from_stdin ? x->given : NULL,
	                                 x->out);
	buf_free(&d);
	if (x->res == PW_OK)
		return 0;
	x->outcome = OT_REFUSED;
	return x->res == PW_BUSY ? -1 : 1;
}

/* Runs the transaction and reports; the exit code. */
static int onetime_run(struct ctx *c, struct onetime_tx *x)
{
	struct db *db;
	int rc, ret = EXIT_REJECTED;

	if (x->from_stdin && password_from_stdin(x->given, sizeof x->given) < 0) {
		fprintf(stderr, PROG ": %s: no password on standard input\n", x->cmd);
		return EXIT_REJECTED;
	}
	if ((db = ctx_db(c)) == NULL)
		return EXIT_FAILED;
	rc = db_transaction(db, onetime_body, x);
	explicit_bzero(x->given, sizeof x->given);
	if (rc < 0) {
		fprintf(stderr, PROG ": %s: database error\n", x->cmd);
		ret = EXIT_FAILED;
	} else if (rc > 0 && x->outcome == OT_EXISTS) {
		fprintf(stderr, PROG ": %s: the username %s exists already (用户名已存在)\n", x->cmd, x->user);
	} else if (rc > 0 && x->outcome == OT_NO_USER) {
		fprintf(stderr, PROG ": %s: no user %s (用户不存在)\n", x->cmd, x->user);
	} else if (rc > 0) {
		fprintf(stderr, PROG ": %s: the password is not acceptable: %s\n", x->cmd, pw_message(x->res));
	} else {
		if (!x->from_stdin)
			printf("password: %s\n", x->out);
		ret = EXIT_DONE;
	}
	explicit_bzero(x->out, sizeof x->out);
	return ret;
}

int cmd_create_admin(struct ctx *x, int argc, char **argv)
{
	struct onetime_tx t = { .cmd = "create-admin", .action = "create-admin", .create = 1 };
	const char *why;
	if (onetime_args(argc, argv, &t.user, &t.from_stdin) < 0)
		return EXIT_FAILED;
	if ((why = check_username(t.user)) != NULL) {
		fprintf(stderr, PROG ": create-admin: %s\n", why);
		return EXIT_REJECTED;
	}
	return onetime_run(x, &t);
}

int cmd_reset_password(struct ctx *x, int argc, char **argv)
{
	struct onetime_tx t = { .cmd = "reset-password", .action = "password-reset" };
	if (onetime_args(argc, argv, &t.user, &t.from_stdin) < 0)
		return EXIT_FAILED;
	return onetime_run(x, &t);
}
