/*
 * admin/main.c - smesurvey-admin, the command-line administration tool.
 *
 *   smesurvey-admin [--conf FILE] COMMAND [ARGS...]
 *
 * Each subcommand is one entry in commands[] below; the database is opened
 * lazily (ctx_db) so that commands which do not need it stay usable
 * without a configured server. Exit codes are shared by all commands:
 * 0 success, 1 input rejected (nothing changed), 2 usage, I/O or DB error.
 */
#include "auth.h"
#include "catalog.h"
#include "conf.h"
#include "csv.h"
#include "aggr.h"
#include "form.h"
#include "indview.h"
#include "db.h"
#include "flags.h"
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

static const struct command commands[] = {
	{ "import-accounts", cmd_import_accounts, "[--dry-run] FILE.csv",
	  "create accounts (with their old passwords) from a CSV file",
	  "The file is UTF-8 or GB18030 (Excel's Chinese default), at most 10 MiB,\n"
	  "with a header line. Columns, in any order, names case-insensitive:\n"
	  "  username          1..64 characters, no spaces, unique (also against the DB)\n"
	  "  password_hash     an existing crypt(3) hash: $1$ $5$ $6$ $2a$ $2b$ $2y$ $y$\n"
	  "                    or $argon2id$ (users keep their old passwords)\n"
	  "  initial_password  a clear-text password (12..128 characters), stored as argon2id\n"
	  "                    -- exactly one of password_hash / initial_password per row\n"
	  "  role              admin viewer agency region hub window resource sme\n"
	  "  region_code       required except for admin/viewer/agency; must exist in regions\n"
	  "  org_name          optional, at most 255 characters\n"
	  "  contact, phone, email\n"
	  "                    optional: whom the region calls about this account's\n"
	  "                    questionnaire (follow-up lists); phone and email are\n"
	  "                    checked like the questionnaires' (7-30 characters of\n"
	  "                    digits + - ( ) / , space 转; name@domain.tld)\n"
	  "  form              optional; must match the role (region: selfeval,\n"
	  "                    hub: hub, window: window, resource: resource, sme: sme)\n"
	  "Usernames that already exist are rejected, never updated.\n"
	  "All rows are imported in one transaction: if any row is rejected, nothing\n"
	  "is imported. --dry-run runs every check (including the database ones) and\n"
	  "writes nothing. Exit: 0 imported (or dry run clean), 1 rows rejected,\n"
	  "2 usage, file, CSV syntax or database error." },
	{ "import-regions", cmd_import_regions, "[--dry-run] FILE.csv",
	  "add or change the regions (code, name, help-line phone) listed in a CSV file",
	  "The file is UTF-8 or GB18030, at most 1 MiB and 200 regions, with a header\n"
	  "line. Columns, in any order, names case-insensitive:\n"
	  "  code        (代码, 地区代码, 行政区划代码) six digits per GB/T 2260 whose\n"
	  "              first two name a province-level division (66: 兵团)\n"
	  "  name        (名称, 地区, 地区名称) 1..64 characters\n"
	  "  help_phone  (咨询电话, 联系电话, 电话) optional: the number respondents\n"
	  "              are told to call (forgotten passwords, revoked codes); an\n"
	  "              empty cell keeps the stored number\n"
	  "A region already there is updated (name, phone); regions not in the file\n"
	  "are left as they are. All lines in one transaction: if any is rejected,\n"
	  "nothing is written. Each created or changed region is audited\n"
	  "(region-import, with the old values). The ministry edits a phone later on\n"
	  "/admin/regions. --dry-run checks everything and writes nothing.\n"
	  "Exit: 0 imported, 1 lines rejected, 2 usage, file or database error." },
	{ "import-frame", cmd_import_frame, "REGION KIND FILE",
	  "import and confirm a region's sample frame (KIND: resource or sme)",
	  "The same checks as the region's upload page (/region/frames): an .xlsx\n"
	  "or old .xls workbook (first sheet) or CSV in UTF-8 or GB18030 (detected),\n"
	  "at most 2 MiB; the heading row may follow title rows, footer rows (填表人,\n"
	  "审核人, 日期, ...) are skipped; the columns are recognised by their headers\n"
	  "(the synonyms of cgi-bin/sample/words/headings.tsv: 名称, 服务机构名称, name,\n"
	  "组织平台, 法定代表人/联系人, 联系电话, 电子邮箱, ...; others are ignored). Name is required,\n"
	  "and for resource the platform: a value containing 枢纽, or hub, puts a unit in\n"
	  "the hub stratum, any other value in the window stratum (the web page lets\n"
	  "the region assign each value). Every row error\n"
	  "is listed with its line number. The frame is confirmed at once and replaces\n"
	  "the region's previous frame of that kind; refused once the region has a\n"
	  "sample of that kind. One transaction, audited (frame-confirm).\n"
	  "Exit: 0 imported, 1 rejected (unknown region, sample exists, file errors;\n"
	  "nothing written), 2 usage, file or database error." },
	{ "draw", cmd_draw, "REGION KIND [--seed HEX] [--allow-short]",
	  "draw a region's sample from its confirmed frame (KIND: resource or sme)",
	  "The draw of /region/sample (algorithm in cgi-bin/sample/draw.h) with the\n"
	  "quotas of the configuration (sample_hub, sample_window, sample_sme). The\n"
	  "seed is 1..16 hex digits; without --seed a random one is used. Stores the\n"
	  "sample (method drawn, seed, frame checksum, algorithm version) and its\n"
	  "ordered reserve lists, then prints the seed and the selected units.\n"
	  "One transaction, audited (sample-draw); `redraw` verifies the result.\n"
	  "A stratum with fewer units than its quota is drawn completely (no\n"
	  "reserve) only with --allow-short; without it the draw is refused.\n"
	  "Exit: 0 drawn, 1 refused (unknown region, no confirmed frame, a sample\n"
	  "exists already, a short stratum; nothing written), 2 usage or database error." },
	{ "reset-sample", cmd_reset_sample, "REGION KIND [--reason TEXT]",
	  "delete a region's sample and confirmed frame so that it can draw again",
	  "The ministry's repair of a wrong sample (also /admin/samples). Deletes\n"
	  "the sample of KIND (resource or sme) with its units and reserve lists,\n"
	  "and the confirmed frame; the region then imports and draws again. Every\n"
	  "printed invitation code of the sample is revoked (its holder is told to\n"
	  "contact the region). When units have registered through their codes,\n"
	  "--reason is required; their accounts and answers stay, no longer bound\n"
	  "to the sample. One transaction, audited (sample-reset, with the reason).\n"
	  "Exit: 0 reset, 1 refused (unknown region, no sample, reason missing),\n"
	  "2 usage or database error." },
	{ "redraw", cmd_redraw, "REGION KIND",
	  "recompute a region's drawn sample and verify it (KIND: resource or sme)",
	  "Reloads the stored frame, checks its SHA-256 against the one stored with\n"
	  "the sample, re-runs the draw with the stored seed and algorithm version\n"
	  "(see cgi-bin/sample/draw.h) and compares every stratum's order, roles and\n"
	  "replacements with sample_units. Changes nothing.\n"
	  "Exit: 0 verified, 1 differences (listed) or not verifiable, 2 error." },
	{ "bind-account", cmd_bind_account, "USERNAME [UNIT]",
	  "bind a resource or SME account to a selected unit of its region's sample",
	  "For an account that did not register through an invitation code (one\n"
	  "imported with import-accounts, the demo accounts): it takes the sample\n"
	  "unit UNIT (its id), or the first free selected unit of its region and\n"
	  "form, as if it had registered with the unit's code (registered now; slip\n"
	  "printed and code opened, unless recorded already), and the unit's name\n"
	  "as its organisation name. Its answers are counted with the sample from\n"
	  "then on. One transaction, audited (account-bind).\n"
	  "Exit: 0 bound, 1 refused (no such account, not a resource or SME account,\n"
	  "bound already, no free selected unit), 2 usage or database error." },
	{ "create-admin", cmd_create_admin, "USERNAME [--stdin]",
	  "create a ministry (admin) account with a one-time password",
	  "Prints exactly one line, `password: <one-time password>`, on standard\n"
	  "output; with --stdin the password is read from the first line of standard\n"
	  "input instead (12..128 characters) and nothing secret is printed. The\n"
	  "password must be changed at the first login. Audited (create-admin).\n"
	  "Exit: 0 created, 1 refused (the username exists or is not valid, the\n"
	  "password from stdin breaks the rules), 2 usage or database error." },
	{ "reset-password", cmd_reset_password, "USERNAME [--stdin]",
	  "set a one-time password for any account",
	  "Sets a generated one-time password and prints exactly one line,\n"
	  "`password: <one-time password>`, on standard output; with --stdin the\n"
	  "password is read from the first line of standard input (12..128\n"
	  "characters) and nothing secret is printed. The account's sessions end and\n"
	  "the password must be changed at the next login. Audited (password-reset).\n"
	  "Exit: 0 done, 1 refused (no such user, the password from stdin breaks\n"
	  "the rules), 2 usage or database error." },
	{ "help", cmd_help, "[COMMAND]", "show this help or a command's help", NULL },
	{ "check", cmd_check, "[--user NAME] [--adopt]",
	  "check that this installation can serve (exit 0) or say what is wrong",
	  "Checks, each printed as ok / FAIL with the reason:\n"
	  "  the configuration file is readable and complete; the declared time zone\n"
	  "  (time_zone) is stated; the database answers with the schema version\n"
	  "  these programs expect (the newest migration they were built with);\n"
	  "  upload_dir exists and is writable by the programs' user (--user, default\n"
	  "  smesurvey); the hosts of a cluster agree (the first host to check records\n"
	  "  a fingerprint of code_secret and a probe file in upload_dir; another host\n"
	  "  fails when its secret differs or its upload_dir lacks the probe, i.e. is\n"
	  "  not the shared folder; --adopt makes this host's secret and folder the\n"
	  "  agreed ones, audited); both deadlines are set and not past (a past\n"
	  "  deadline refuses every save). Exit: 0 every check passed, 1 something failed." },
	{ "rebuild-aggregates", cmd_rebuild_aggregates, "[--if-stale]",
	  "recompute the maintained aggregates (progress, statistics, indicators)",
	  "Empties the aggregate tables of sql/005_aggregates.sql and computes them\n"
	  "again from the accounts, the sample units, the responses and their answers,\n"
	  "in one transaction with its audit row (pages wait for it, never see half).\n"
	  "Run it after loading data with SQL. With --if-stale it does nothing unless\n"
	  "the tallies were computed with another codebook, form catalog or indicator\n"
	  "set than these programs carry (sql/010_aggr_meta.sql; smesurvey-setup\n"
	  "migrate runs it so). Exit: 0 done or current, 2 database error (nothing\n"
	  "changed)." },
	{ "dump-aggregates", cmd_dump_aggregates, "",
	  "print the maintained aggregates as text (tab-separated, sorted)",
	  "Every non-zero row of every aggregate table, for comparing the maintained\n"
	  "values with rebuilt ones (tests/e2e/47-aggregates.t). Exit: 0 or 2." },
	{ "rebuild-flags", cmd_rebuild_flags, "",
	  "recompute the integrity flags of every submitted response",
	  "Empties the flags (sql/031_flags.sql) and runs the rules of\n"
	  "cgi-bin/eval/flags/rules.tsv over every submitted response in submit order,\n"
	  "as the submits do (README, \"Answers the evaluation can trust\"). The agency's\n"
	  "decisions are kept. Run it after loading rows or changing times with SQL.\n"
	  "One transaction, audited (flags-rebuild). Exit: 0 done, 2 database error." },
	{ "rebuild-packed-answers", cmd_rebuild_packed_answers, "",
	  "pack the answers of every submitted response again (the exports read them)",
	  "A submit packs its answers into one row (sql/085_response_packed.sql), which\n"
	  "the data export reads instead of its answer rows; a pack older than the\n"
	  "response is ignored. This packs every submitted response again, 2,000 at a\n"
	  "time (each batch a statement of its own: the site keeps running), and drops\n"
	  "the packs of drafts and of older versions. Run it after loading or changing\n"
	  "answers with SQL. Audited (answers-repack). Exit: 0 done, 2 database error." },
	{ "purge", cmd_purge, "[--dry-run] [--paradata]",
	  "delete what is no longer needed: expired sessions, old throttle rows, unused uploads",
	  "Sessions past the idle or absolute limit, login and invitation-code failures\n"
	  "older than a day, and uploaded files (upload_dir/<sha256>) that no answer\n"
	  "refers to any more and that are older than a day (a replaced report). Run\n"
	  "it daily from cron. --dry-run counts and deletes nothing. One audit row.\n"
	  "--paradata also deletes all paradata (how responses came about: times,\n"
	  "network and browser hashes, sign-ins per browser; README) once the\n"
	  "evaluation is closed; the flags and the agency's decisions stay.\n"
	  "Exit: 0 done, 2 database or file error." },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: " PROG " [--conf FILE] COMMAND [ARGS...]\n\n"
	           "The configuration file is --conf FILE, else $SMESURVEY_CONF, else\n"
	           "/etc/smesurvey/smesurvey.conf.\n\n"
	           "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-16s %-22s %s\n", commands[i].name, commands[i].args, commands[i].summary);
	fprintf(f, "\n`" PROG " COMMAND --help` shows a command's details.\n");
}

void command_usage(FILE *f, const struct command *cmd)
{
	fprintf(f, "usage: " PROG " [--conf FILE] %s %s\n%s\n", cmd->name, cmd->args, cmd->summary);
	if (cmd->help)
		fprintf(f, "\n%s\n", cmd->help);
}

int cmd_help(struct ctx *x, int argc, char **argv)
{
	(void)x;
	if (argc > 1) {
		const struct command *cmd = find_command(argv[1]);
		if (!cmd) {
			fprintf(stderr, PROG ": unknown command '%s'\n", argv[1]);
			return EXIT_FAILED;
		}
		command_usage(stdout, cmd);
		return EXIT_DONE;
	}
	usage(stdout);
	return EXIT_DONE;
}

/* Loads the configuration and connects on first use. */
struct db *ctx_db(struct ctx *x)
{
	if (x->db)
		return x->db;
	if (!x->conf_loaded) {
		/* conf_load() falls back to $SMESURVEY_CONF, then /etc/smesurvey. */
		if (conf_load(&x->conf, x->conf_path) < 0 || deadline_conf_apply(&x->conf) < 0) {
			conf_free(&x->conf);
			fprintf(stderr, PROG ": cannot load the configuration "
			        "(--conf FILE, $SMESURVEY_CONF or /etc/smesurvey/smesurvey.conf)\n");
			return NULL;
		}
		x->conf_loaded = 1;
	}
	x->db = db_open(&x->conf);
	if (!x->db)
		fprintf(stderr, PROG ": cannot connect to the database\n");
	else
		db_set_role(x->db, ROLE_CLI);   /* the statements the tool may run */
	return x->db;
}


int main(int argc, char **argv)
{
	struct ctx x = {0};
	const struct command *cmd;
	int i = 1, ret;

	log_init(PROG);
	{
		char err[256];
		/* The aggregates (reset-sample, rebuild-aggregates) read answers
		 * through the codebook and the indicators. */
		if (catalog_load(err, sizeof err) < 0 || forms_load(err, sizeof err) < 0 ||
		    indicators_load(err, sizeof err) < 0 || flag_rules_load(err, sizeof err) < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			return EXIT_FAILED;
		}
	}
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--conf") == 0 && i + 1 < argc) {
			x.conf_path = argv[++i];
		} else if (strncmp(argv[i], "--conf=", 7) == 0 && argv[i][7]) {
			x.conf_path = argv[i] + 7;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return EXIT_DONE;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf(PROG " %s\n", SMESURVEY_VERSION);
			return EXIT_DONE;
		} else {
			fprintf(stderr, PROG ": unknown option '%s'\n", argv[i]);
			usage(stderr);
			return EXIT_FAILED;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_FAILED;
	}
	cmd = find_command(argv[i]);
	if (!cmd) {
		fprintf(stderr, PROG ": unknown command '%s'\n", argv[i]);
		usage(stderr);
		return EXIT_FAILED;
	}
	for (int k = i + 1; k < argc && strcmp(argv[k], "--") != 0; k++) {
		if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
			command_usage(stdout, cmd);
			return EXIT_DONE;
		}
	}

	ret = cmd->run(&x, argc - i, argv + i);
	if (x.db)
		db_close(x.db);
	if (x.conf_loaded)
		conf_free(&x.conf);
	return ret;
}
