/*
 * admin/aggregates.c - rebuild-aggregates and dump-aggregates.
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

/* The tables emptied and filled, and the audit row; ctx is the detail
 * (64 bytes) the audit row and the report share. */
static int rebuild_body(struct db *db, void *ctx, int attempt)
{
	char *detail = ctx;
	long long counted = 0;
	(void)attempt;
	if (aggr_rebuild(db, &counted) < 0)
		return -1;
	snprintf(detail, 64, "submitted responses counted=%lld", counted);
	return cli_audit(db, "aggregates-rebuild", detail) < 0 ? -1 : 0;
}

int cmd_rebuild_aggregates(struct ctx *x, int argc, char **argv)
{
	struct db *db;
	char detail[64];
	int if_stale = argc == 2 && !strcmp(argv[1], "--if-stale");

	if (argc != 1 && !if_stale) {
		fprintf(stderr, PROG ": rebuild-aggregates takes only --if-stale\n");
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	if (if_stale) {
		int stale = aggr_stale(db);
		if (stale < 0)
			return EXIT_FAILED;
		if (!stale) {
			printf("aggregates are current\n");
			return EXIT_DONE;
		}
	}
	/* One transaction: the tables, emptied and filled, and the audit row. */
	if (db_transaction(db, rebuild_body, detail) != 0) {
		fprintf(stderr, PROG ": rebuild-aggregates failed; nothing changed\n");
		return EXIT_FAILED;
	}
	printf("aggregates rebuilt: %s\n", detail);
	return EXIT_DONE;
}

int cmd_dump_aggregates(struct ctx *x, int argc, char **argv)
{
	static const struct { const char *name; enum stmt q; } tables[] = {
		{ "agg_progress", STMT_AGGR_DUMP_PROGRESS }, { "agg_quota", STMT_AGGR_DUMP_QUOTA },
		{ "agg_counted", STMT_AGGR_DUMP_COUNTED }, { "agg_fields", STMT_AGGR_DUMP_FIELDS },
		{ "agg_values", STMT_AGGR_DUMP_VALUES }, { "agg_ind", STMT_AGGR_DUMP_IND },
	};
	struct db *db;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, PROG ": dump-aggregates takes no arguments\n");
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		struct dbrows *rows;
		if (db_query(db, tables[t].q, DB_NOARGS, &rows) < 0)
			return EXIT_FAILED;
		for (size_t i = 0; i < rows->nrows; i++) {
			printf("%s", tables[t].name);
			for (size_t c = 0; c < rows->ncols; c++)
				printf("\t%s", dbrows_get(rows, i, c) ? dbrows_get(rows, i, c) : "NULL");
			printf("\n");
		}
		dbrows_free(rows);
	}
	return EXIT_DONE;
}
