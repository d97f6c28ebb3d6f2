/*
 * admin/cli.c - what several commands share: options, positional
 * arguments, region codes and the audit row of a CLI command.
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
 * import-frame, draw: the region's frame upload and draw from the command
 * line, through the same code as /region/frames and /region/sample
 * (cgi-bin/sample/frame.c, draw.c).
 * ================================================================ */

const char *kind_arg(const char *s)
{
	return strcmp(s, "resource") == 0 ? "resource" : strcmp(s, "sme") == 0 ? "sme" : NULL;
}

/* 1 when the region exists, 0 not (said so on stderr), -1 database error. */
int region_known(struct db *db, const char *cmd, const char *code)
{
	char *name = NULL;

	if (strlen(code) > 16 || has_control(code)) {
		fprintf(stderr, PROG ": %s: invalid region code (地区代码无效): nothing written\n", cmd);
		return 0;
	}
	if (db_query_str(db, STMT_REGION_NAME, DB_ARGS(A_STR(code)), &name) < 0)
		return -1;
	if (!name) {
		fprintf(stderr, PROG ": %s: unknown region code '%s' (地区代码不存在): nothing written\n", cmd, code);
		return 0;
	}
	free(name);
	return 1;
}

/* The audit row of a CLI command (no user, no address). 0 or -1. */
/* "--name VALUE" or "--name=VALUE" at argv[*i], taken once: 1 (with *i
 * past a separate value), else 0 and nothing changes. */
int option_value(int argc, char **argv, int *i, const char *name, const char **out)
{
	size_t n = strlen(name);
	if (*out || strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*out = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] == '\0' && *i + 1 < argc) {
		*out = argv[++*i];
		return 1;
	}
	return 0;
}

/* REGION and KIND of draw / reset-sample: takes arg as the next of two
 * positional arguments. 0 (and *npos past 2, so the caller prints the
 * usage) for an unknown option or a third argument. */
int take_positional(const char *arg, const char *pos[2], size_t *npos)
{
	if (arg[0] == '-' || *npos >= 2) {
		*npos = 3;
		return 0;
	}
	pos[(*npos)++] = arg;
	return 1;
}

int cli_audit(struct db *db, const char *action, const char *detail)
{
	struct buf d = { 0 };
	int rc;

	buf_puts(&d, "cli operator=");
	put_sanitized(&d, operator_name(), 64);
	buf_printf(&d, " %s", detail);
	rc = db_exec(db, STMT_AUDIT_INSERT_CLI,
	             DB_ARGS(A_STR(action), A_STR(d.data)), NULL, NULL);
	buf_free(&d);
	return rc < 0 ? -1 : 0;
}

static int cli_audit_writer(struct db *db, void *ctx, const char *action, const char *detail)
{
	(void)ctx;
	return cli_audit(db, action, detail);
}

const struct sample_audit cli_sample_audit = { cli_audit_writer, NULL };

void print_counts(const char *kind, const size_t count[ST_COUNT])
{
	if (strcmp(kind, "sme") == 0)
		printf("sme %zu", count[ST_SME]);
	else
		printf("hub %zu, window %zu", count[ST_HUB], count[ST_WINDOW]);
}
