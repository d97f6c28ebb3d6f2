/*
 * admin/admin.h - what the files of smesurvey-admin share: the context
 * every command runs in, the exit codes, the command table's entry type
 * and the commands themselves (main.c holds the table). Internal.
 */
#ifndef SMESURVEY_ADMIN_H
#define SMESURVEY_ADMIN_H

#include "conf.h"
#include "db.h"
#include "draw.h"
#include "util.h"

#include <stdio.h>

#define PROG "smesurvey-admin"

enum { EXIT_DONE = 0, EXIT_REJECTED = 1, EXIT_FAILED = 2 };

struct ctx {
	const char  *conf_path;   /* --conf, or NULL for $SMESURVEY_CONF */
	struct conf  conf;
	int          conf_loaded;
	struct db   *db;
};

struct command {
	const char *name;
	int       (*run)(struct ctx *x, int argc, char **argv);   /* argv[0] = name */
	const char *args;
	const char *summary;
	const char *help;         /* extra lines for `COMMAND --help` */
};

int cmd_import_accounts(struct ctx *x, int argc, char **argv);
int cmd_help(struct ctx *x, int argc, char **argv);
int cmd_redraw(struct ctx *x, int argc, char **argv);
int cmd_import_frame(struct ctx *x, int argc, char **argv);
int cmd_import_regions(struct ctx *x, int argc, char **argv);
int cmd_draw(struct ctx *x, int argc, char **argv);
int cmd_check(struct ctx *x, int argc, char **argv);
int cmd_purge(struct ctx *x, int argc, char **argv);
int cmd_reset_sample(struct ctx *x, int argc, char **argv);
int cmd_create_admin(struct ctx *x, int argc, char **argv);
int cmd_reset_password(struct ctx *x, int argc, char **argv);
int cmd_rebuild_aggregates(struct ctx *x, int argc, char **argv);
int cmd_dump_aggregates(struct ctx *x, int argc, char **argv);
int cmd_rebuild_flags(struct ctx *x, int argc, char **argv);
int cmd_rebuild_packed_answers(struct ctx *x, int argc, char **argv);
int cmd_bind_account(struct ctx *x, int argc, char **argv);

/* main.c: the command table and the lazily opened database. */
const struct command *find_command(const char *name);
void command_usage(FILE *f, const struct command *cmd);
struct db *ctx_db(struct ctx *x);

/* cli.c: shared argument handling and the audit row of a command. */
const char *kind_arg(const char *s);
int region_known(struct db *db, const char *cmd, const char *code);
int option_value(int argc, char **argv, int *i, const char *name, const char **out);
int take_positional(const char *arg, const char *pos[2], size_t *npos);
int cli_audit(struct db *db, const char *action, const char *detail);
/* cli_audit as the audit writer of a draw or reset (sample/draw.h). */
extern const struct sample_audit cli_sample_audit;
void print_counts(const char *kind, const size_t count[ST_COUNT]);

/* import_accounts.c: checks and text helpers other commands reuse. */
int has_control(const char *s);
const char *check_username(const char *u);
const char *operator_name(void);
void put_sanitized(struct buf *b, const char *s, size_t max);

#endif
