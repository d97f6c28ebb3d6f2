/*
 * test_stmts.c - the statement table (cgi-bin/core/stmts.c) is complete and
 * well-formed, and the database handle enforces its role masks.
 */
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "stmts.h"
#include "tap.h"

#include <errmsg.h>
#include <stdio.h>
#include <string.h>

static size_t placeholders(const char *sql)
{
	size_t n = 0;
	for (; *sql; sql++)
		n += *sql == '?';
	return n;
}

static void test_complete(void)
{
	const unsigned known = (RB(ROLE_CLI) << 1) - 1;   /* ROLE_NONE .. ROLE_CLI */
	int missing = 0, nomask = 0, unknown = 0, dup = 0;
	char msg[160];

	for (int q = 0; q < STMT__MAX; q++) {
		if (stmts[q].sql == NULL || stmts[q].sql[0] == '\0') {
			snprintf(msg, sizeof msg, "statement %d has no SQL", q);
			diag(msg);
			missing++;
			continue;
		}
		if (stmts[q].roles == 0) {
			snprintf(msg, sizeof msg, "statement %d has no role allowed", q);
			diag(msg);
			nomask++;
		}
		if (stmts[q].roles & ~known)
			unknown++;
		for (int k = 0; k < q; k++)
			if (stmts[k].sql && strcmp(stmts[k].sql, stmts[q].sql) == 0) {
				snprintf(msg, sizeof msg, "statements %d and %d have the same SQL", k, q);
				diag(msg);
				dup++;
			}
	}
	ok(STMT__MAX > 0, "the table has statements");
	is_int(missing, 0, "every enum stmt value has SQL");
	is_int(nomask, 0, "every statement has a non-zero role mask");
	is_int(unknown, 0, "masks name only roles that exist (ROLE_NONE .. ROLE_CLI)");
	is_int(dup, 0, "no statement is in the table twice");
}

static void test_variants(void)
{
	/* One INSERT for all answers of a save (issue 13, item 5): the
	 * response id and the JSON array of [code, value] pairs. */
	is_int((long long)placeholders(stmts[STMT_ANSWERS_INSERT_JSON].sql), 2,
	       "the answers' JSON INSERT takes the response id and one JSON array");
}

/* Without a server: a refused statement fails before any connection
 * attempt (db_errno 0); an allowed one gets as far as connecting. */
static void test_role_check(void)
{
	struct conf c = { .db_socket = "/nonexistent/smesurvey-test.sock", .db_host = "",
	                  .db_name = "x", .db_user = "x", .db_password = "" };
	char *s = NULL;
	/* The expected connection errors and refusals are logged to stderr. */
	fflush(stderr);
	FILE *quiet = freopen("/dev/null", "w", stderr);
	struct db *db = db_open(&c);

	ok(db != NULL, "db_open returns a handle without a server");
	db_set_role(db, ROLE_HUB);
	is_int(db_query_str(db, STMT_USER_LIST, DB_NOARGS, &s), -1, "hub may not list accounts");
	is_int(db_errno(db), 0, "refused before connecting");
	db_set_role(db, ROLE_ADMIN);
	is_int(db_query_str(db, STMT_USER_LIST, DB_NOARGS, &s), -1, "admin: allowed, but no server");
	ok(db_errno(db) == CR_CONNECTION_ERROR || db_errno(db) == CR_CONN_HOST_ERROR,
	   "admin's statement got as far as connecting");
	db_set_role(db, ROLE_NONE);
	is_int(db_exec(db, STMT_RESPONSE_REOPEN, DB_ARGS(A_INT(1)), NULL, NULL), -1,
	       "anonymous may not reopen a response");
	is_int(db_errno(db), 0, "refused before connecting");
	db_set_role(db, ROLE_CLI);
	is_int(db_exec(db, STMT_AUDIT_INSERT, DB_ARGS(A_NULL, A_STR(""), A_STR("a"), A_STR("d")), NULL, NULL),
	       -1, "the command-line tool writes its own audit statement only");
	is_int(db_errno(db), 0, "refused before connecting");
	db_close(db);
	ok(quiet != NULL, "stderr silenced for the expected errors");
	ok(s == NULL, "nothing returned");
}

int main(void)
{
	test_complete();
	test_variants();
	test_role_check();
	return done_testing();
}
