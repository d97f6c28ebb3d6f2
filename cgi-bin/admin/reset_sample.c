/*
 * admin/reset_sample.c - reset-sample.
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
 * reset-sample: the ministry's repair of a wrong sample (sample_reset in
 * cgi-bin/sample/draw.c, also /admin/samples/reset)
 * ================================================================ */

#define RESET_REASON_MAX 200   /* characters */

int cmd_reset_sample(struct ctx *x, int argc, char **argv)
{
	const char *pos[2] = { NULL, NULL }, *reason = NULL, *kind;
	size_t npos = 0;
	struct reset_info ri;
	struct db *db;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (option_value(argc, argv, &i, "--reason", &reason))
			continue;
		if (!take_positional(argv[i], pos, &npos))
			break;
	}
	if (npos != 2 || !(kind = kind_arg(pos[1]))) {
		command_usage(stderr, find_command("reset-sample"));
		return EXIT_FAILED;
	}
	if (reason && (!utf8_valid(reason, strlen(reason)) || has_control(reason) ||
	               utf8_len(reason) > RESET_REASON_MAX)) {
		fprintf(stderr, PROG ": reset-sample: the reason must be at most %d characters of text"
		        " (原因最多 %d 字)\n", RESET_REASON_MAX, RESET_REASON_MAX);
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	if ((rc = region_known(db, "reset-sample", pos[0])) <= 0)
		return rc < 0 ? EXIT_FAILED : EXIT_REJECTED;
	/* One transaction: the reset and its audit row (the reason was
	 * checked above: text, at most 200 characters). */
	enum reset_result res = sample_reset_tx(db, pos[0], kind, reason, &ri, &cli_sample_audit);
	switch (res) {
	case RESET_OK:
		printf("region %s, %s: sample %llu reset: %lld units deleted (%lld registered, now unbound),"
		       " %lld invitation codes revoked, %llu confirmed frame deleted\n"
		       "reset (已重置，地区可重新导入样本框并抽样)\n",
		       pos[0], kind, ri.sample_id, ri.units, ri.registered, ri.codes, ri.frames);
		return EXIT_DONE;
	case RESET_NONE:
		fprintf(stderr, PROG ": reset-sample: region %s has no %s sample (尚未抽样): nothing changed\n",
		        pos[0], kind);
		return EXIT_REJECTED;
	case RESET_NEEDS_REASON:
		fprintf(stderr, PROG ": reset-sample: %lld units of region %s's %s sample registered through their"
		        " codes; give --reason TEXT (已有单位注册，须说明原因): nothing changed\n",
		        ri.registered, pos[0], kind);
		return EXIT_REJECTED;
	case RESET_DB_ERROR:
	default:
		fprintf(stderr, PROG ": reset-sample: database error: nothing changed\n");
		return EXIT_FAILED;
	}
}
