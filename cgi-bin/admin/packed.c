/*
 * admin/packed.c - rebuild-packed-answers: every submitted response's
 * answers packed again for the exports (sql/085, issue 21 item 5).
 */
#include "admin.h"
#include "db.h"

#include <stdio.h>

/* Responses packed per statement: small enough that a batch holds its
 * locks briefly, large enough that a million take a few hundred trips. */
#define PACK_BATCH 2000

/* Packs the submitted responses after *after, at most PACK_BATCH of them;
 * *after becomes the last id packed (0: none left). 0, or -1. */
static int pack_batch(struct db *db, long long *after, unsigned long long *packed)
{
	struct dbrows *rows = NULL;
	long long last;
	unsigned long long n = 0;

	if (db_query(db, STMT_RESPONSES_PACK_LAST, DB_ARGS(A_INT(*after), A_INT(PACK_BATCH)), &rows) != DB_OK)
		return -1;
	last = rows->nrows ? dbrows_int(rows, 0, 0) : 0;
	dbrows_free(rows);
	if (last > 0 && db_exec(db, STMT_RESPONSES_PACK_BATCH, DB_ARGS(A_INT(*after), A_INT(last)), &n, NULL) != DB_OK)
		return -1;
	/* REPLACE counts a replaced row twice; the count is only reported. */
	*packed += n;
	*after = last;
	return 0;
}

int cmd_rebuild_packed_answers(struct ctx *x, int argc, char **argv)
{
	struct db *db;
	long long after = 0;
	unsigned long long packed = 0, dropped = 0;
	char detail[96];
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, PROG ": rebuild-packed-answers takes no arguments\n");
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	do {
		if (pack_batch(db, &after, &packed) < 0) {
			fprintf(stderr, PROG ": rebuild-packed-answers failed; the packs written so far stay\n");
			return EXIT_FAILED;
		}
	} while (after > 0);
	if (db_exec(db, STMT_RESPONSES_PACK_DROP_STALE, NULL, 0, &dropped, NULL) != DB_OK) {
		fprintf(stderr, PROG ": rebuild-packed-answers: cannot drop the stale packs\n");
		return EXIT_FAILED;
	}
	snprintf(detail, sizeof detail, "packed=%llu dropped=%llu", packed, dropped);
	if (cli_audit(db, "answers-repack", detail) < 0)
		return EXIT_FAILED;
	printf("packed answers rebuilt: %s\n", detail);
	return EXIT_DONE;
}
