/*
 * admin/bind_account.c - bind-account: an existing resource or SME account
 * takes a selected unit of its region's sample, as if it had registered
 * with the unit's invitation code (accounts imported from an earlier
 * system, the demo data of scripts/stack).
 */
#include "admin.h"
#include "aggr.h"
#include "auth.h"
#include "db.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The binding in progress (one transaction, repeatable). */
struct bind {
	const char        *username;
	unsigned long long unit_wanted;   /* 0: the first free selected unit */
	unsigned long long user_id, unit_id;
	char               why[320];      /* a refusal, for stderr */
	char               unit_name[256];
};

/* The account, if it may be bound: 0, 1 refused (b->why), -1. */
static int bind_account_row(struct db *db, struct bind *b, char region[17], char form[17])
{
	struct dbrows *u = NULL, *bound = NULL;
	int rc = -1;

	if (db_query(db, STMT_CLI_BIND_ACCOUNT, DB_ARGS(A_STR(b->username)), &u) < 0)
		return -1;
	if (u->nrows != 1) {
		snprintf(b->why, sizeof b->why, "no account '%.64s' (账户不存在)", b->username);
		rc = 1;
		goto out;
	}
	enum role role = role_parse(dbrows_get(u, 0, 1));
	if (role != ROLE_RESOURCE && role != ROLE_SME) {
		snprintf(b->why, sizeof b->why, "'%.64s' is a %s account; only resource and sme accounts belong to "
		         "a sample unit (只有服务资源单位和中小企业账户对应抽中单位)", b->username, role_code(role));
		rc = 1;
		goto out;
	}
	b->user_id = (unsigned long long)dbrows_int(u, 0, 0);
	snprintf(region, 17, "%s", dbrows_get(u, 0, 2));
	snprintf(form, 17, "%s", dbrows_get(u, 0, 3));
	if (db_query(db, STMT_CLI_BOUND_UNIT, DB_ARGS(A_INT(b->user_id)), &bound) < 0)
		goto out;
	if (bound->nrows) {
		snprintf(b->why, sizeof b->why, "'%.64s' is bound to unit %s already (该账户已对应抽中单位)",
		         b->username, dbrows_get(bound, 0, 0));
		rc = 1;
		goto out;
	}
	rc = 0;
out:
	dbrows_free(u);
	dbrows_free(bound);
	return rc;
}

/* Picks the unit, binds it, names the account after it, recounts its
 * responses in the aggregates and writes the audit row. */
static int bind_body(struct db *db, void *ctx, int attempt)
{
	struct bind *b = ctx;
	struct dbrows *pick = NULL;
	char region[17], form[17], ids[24], detail[200];
	unsigned long long affected = 0;
	int rc;

	(void)attempt;
	if ((rc = bind_account_row(db, b, region, form)) != 0)
		return rc;
	if (db_query(db, STMT_CLI_BIND_PICK, DB_ARGS(A_STR(region), A_STR(form), A_INT(b->unit_wanted),
	                                            A_INT(b->unit_wanted)), &pick) < 0)
		return -1;
	if (pick->nrows != 1) {
		if (b->unit_wanted)
			snprintf(b->why, sizeof b->why, "unit %llu is not a free selected %s unit of region %s "
			         "(该单位不是本地区未被占用的抽中单位)", b->unit_wanted, form, region);
		else
			snprintf(b->why, sizeof b->why, "no free selected %s unit in region %s "
			         "(本地区没有未被占用的抽中单位)", form, region);
		dbrows_free(pick);
		return 1;
	}
	b->unit_id = (unsigned long long)dbrows_int(pick, 0, 0);
	snprintf(b->unit_name, sizeof b->unit_name, "%s", dbrows_get(pick, 0, 1));
	dbrows_free(pick);
	snprintf(ids, sizeof ids, "%llu", b->unit_id);
	snprintf(detail, sizeof detail, "user=%.64s unit=%llu region=%s", b->username, b->unit_id, region);
	if (db_exec(db, STMT_CLI_BIND_UNIT, DB_ARGS(A_INT(b->user_id), A_INT(b->unit_id)), &affected, NULL) < 0 ||
	    affected != 1 ||
	    db_exec(db, STMT_CLI_BIND_ORG_NAME, DB_ARGS(A_STR(b->unit_name), A_INT(b->user_id)), NULL, NULL) < 0 ||
	    aggr_sync_units(db, STMT_AGGR_UNIT_RESPONSES, ids) < 0 ||
	    cli_audit(db, "account-bind", detail) < 0)
		return -1;
	return 0;
}

int cmd_bind_account(struct ctx *x, int argc, char **argv)
{
	struct bind b = { 0 };
	struct db *db;
	char *end;
	int rc;

	if (argc < 2 || argc > 3 || argv[1][0] == '-') {
		command_usage(stderr, find_command("bind-account"));
		return EXIT_FAILED;
	}
	b.username = argv[1];
	if (argc == 3) {
		b.unit_wanted = strtoull(argv[2], &end, 10);
		if (!*argv[2] || *end || b.unit_wanted == 0) {
			command_usage(stderr, find_command("bind-account"));
			return EXIT_FAILED;
		}
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	rc = db_transaction(db, bind_body, &b);
	if (rc > 0) {
		fprintf(stderr, PROG ": bind-account: %s: nothing changed\n", b.why);
		return EXIT_REJECTED;
	}
	if (rc < 0) {
		fprintf(stderr, PROG ": bind-account: database error: nothing changed\n");
		return EXIT_FAILED;
	}
	printf("%s bound to unit %llu (%s)\n", b.username, b.unit_id, b.unit_name);
	return EXIT_DONE;
}
