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
	/* One CALL writes a response, all answers in one JSON array (issue
	 * 13 item 5, issue 21 item 2; sql/060_response_save.sql), and the
	 * number of posted answers, so that unchanged answers are not
	 * written again (sql/081_response_save_unchanged.sql). */
	is_int((long long)placeholders(stmts[STMT_RESPONSE_WRITE].sql), 14,
	       "the write of a response is one CALL of 14 arguments, the answers one JSON array");
	is_int((long long)placeholders(stmts[STMT_RESPONSE_SAVE].sql), 12,
	       "the save of a draft is one CALL of 12 arguments");
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
	is_int(db_query_str(db, STMT_USER_LIST, DB_NOARGS, &s), DB_ERROR, "admin without the arguments: refused");
	is_int(db_errno(db), 0, "refused before connecting");
	is_int(db_query_str(db, STMT_USER_LIST, DB_ARGS(A_NULL, A_NULL, A_STR("110000"), A_STR("110000"),
	                                                A_INT(10), A_INT(0)), &s),
	       DB_ERROR, "admin: allowed, but no server");
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

/* Quote-aware: a '?' inside a string literal of the SQL is no parameter. */
static size_t parameters(const char *sql)
{
	size_t n = 0;
	char quote = 0;
	for (; *sql; sql++) {
		if (quote) {
			if (*sql == '\\' && sql[1])
				sql++;
			else if (*sql == quote)
				quote = 0;
		} else if (*sql == '\'' || *sql == '"') {
			quote = *sql;
		} else {
			n += *sql == '?';
		}
	}
	return n;
}

/* Each statement declares one letter (s, i, b) per placeholder
 * (core/stmt_params.c), and db_args_fit holds calls to it (issue 17). */
static void test_params(void)
{
	int missing = 0, count = 0, letters = 0;
	char msg[200];
	for (int q = 0; q < STMT__MAX; q++) {
		const char *p = stmt_params[q];
		if (p == NULL) {
			snprintf(msg, sizeof msg, "statement %d declares no parameters", q);
			diag(msg);
			missing++;
			continue;
		}
		if (strlen(p) != parameters(stmts[q].sql)) {
			snprintf(msg, sizeof msg, "statement %d declares %zu parameters, its SQL has %zu", q,
			         strlen(p), parameters(stmts[q].sql));
			diag(msg);
			count++;
		}
		letters += strspn(p, "sib") != strlen(p);
	}
	is_int(missing, 0, "every statement declares its parameters");
	is_int(count, 0, "... as many as its SQL has placeholders");
	is_int(letters, 0, "... each s, i or b");

	char why[160];
	is_int(db_args_fit(STMT_RESPONSE_REOPEN, DB_ARGS(A_INT(7)), why, sizeof why), 0, "fits: one integer");
	is_int(db_args_fit(STMT_RESPONSE_REOPEN, DB_ARGS(A_NULL), why, sizeof why), 0, "fits: NULL for any type");
	is_int(db_args_fit(STMT_RESPONSE_REOPEN, DB_ARGS(A_STR("7")), why, sizeof why), -1,
	       "refused: a string for an integer");
	is_int(db_args_fit(STMT_RESPONSE_REOPEN, DB_NOARGS, why, sizeof why), -1, "refused: too few");
	is_int(db_args_fit(STMT_RESPONSE_REOPEN, DB_ARGS(A_INT(1), A_INT(2)), why, sizeof why), -1,
	       "refused: too many");
	ok(strstr(why, "takes 1 arguments, given 2") != NULL, "the reason names the counts");
}

/* Pages in one round trip (issue 21): a page's statement runs before the
 * session is known, and what it carries are queries of the table. */
static void test_carries(void)
{
	int pages = 0, bad = 0;
	for (int q = 0; q < STMT__MAX; q++) {
		const enum stmt *c = stmt_carries[q];
		if (c == NULL)
			continue;
		pages++;
		bad += !(stmts[q].roles & RB(ROLE_NONE)) || strncmp(stmts[q].sql, "SELECT ", 7) != 0;
		bad += stmt_params[q][strlen(stmt_params[q]) - 1] != 'b';   /* the token hash, last */
		for (size_t i = 0; c[i] != STMT__MAX; i++)
			bad += c[i] >= STMT__MAX || stmt_carries[c[i]] != NULL || strncmp(stmts[c[i]].sql, "SELECT ", 7) != 0 ||
			       strchr(stmt_params[c[i]], 'b') != NULL;
	}
	ok(pages >= 3, "pages carry their data in the session check");
	is_int(bad, 0, "each runs before the session, ends with the token hash, carries SELECTs without bytes");
}

int main(void)
{
	test_carries();
	test_complete();
	test_params();
	test_variants();
	test_role_check();
	return done_testing();
}
