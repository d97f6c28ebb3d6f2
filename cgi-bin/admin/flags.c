/*
 * admin/flags.c - rebuild-flags: the integrity flags recomputed (issue 20).
 */
#include "admin.h"
#include "db.h"
#include "flags.h"

#include <stdio.h>

int cmd_rebuild_flags(struct ctx *x, int argc, char **argv)
{
	struct db *db;
	long long n = 0;
	char detail[64];
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, PROG ": rebuild-flags takes no arguments\n");
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	if (flags_rebuild(db, &n) < 0) {
		fprintf(stderr, PROG ": rebuild-flags failed; nothing changed\n");
		return EXIT_FAILED;
	}
	snprintf(detail, sizeof detail, "checked=%lld", n);
	if (cli_audit(db, "flags-rebuild", detail) < 0)
		return EXIT_FAILED;
	printf("flags rebuilt: %s\n", detail);
	return EXIT_DONE;
}
