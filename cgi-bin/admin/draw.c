/*
 * admin/draw.c - draw and redraw (the replay that verifies a draw).
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

/* Says why nothing was drawn, if so; the command's exit code. */
static int draw_outcome(enum draw_result dres, const char *region, const char *kind, const struct drawn *dr)
{
	switch (dres) {
	case DRAW_OK:
		break;
	case DRAW_EXISTS:
		fprintf(stderr, PROG ": draw: region %s already has a %s sample (已经抽样，不能重复抽取): nothing drawn\n",
		        region, kind);
		break;
	case DRAW_FRAME_REPLACED:
		fprintf(stderr, PROG ": draw: region %s's %s frame was replaced during the draw: nothing drawn, "
		        "run draw again\n", region, kind);
		break;
	case DRAW_NO_FRAME:
		fprintf(stderr, PROG ": draw: region %s has no confirmed %s frame; import one first with "
		        "`" PROG " import-frame %s %s FILE.csv` (请先导入并确认样本框): nothing drawn\n",
		        region, kind, region, kind);
		break;
	case DRAW_CHECKSUM:
		fprintf(stderr, PROG ": draw: frame %s of region %s: the stored checksum does not match its units "
		        "(样本框校验失败): nothing drawn\n", dr->frame_id, region);
		break;
	case DRAW_SHORT:
		for (int st = 0; st < ST_COUNT; st++)
			if (kind_has_stratum(kind, st) && dr->cnt[st] < dr->quota[st])
				fprintf(stderr, PROG ": draw: %s stratum has %zu units, fewer than its quota of %zu"
				        " (样本框不足)\n", stratum_code(st), dr->cnt[st], dr->quota[st]);
		fprintf(stderr, PROG ": draw: nothing drawn; check the frame, or draw it completely with"
		        " --allow-short (short strata get no reserve)\n");
		break;
	case DRAW_DB_ERROR:
		fprintf(stderr, PROG ": draw: database error: nothing drawn\n");
		break;
	}
	return dres == DRAW_OK ? EXIT_DONE :
	      dres == DRAW_EXISTS || dres == DRAW_FRAME_REPLACED || dres == DRAW_NO_FRAME ||
	      dres == DRAW_SHORT ? EXIT_REJECTED :
	      EXIT_FAILED;
}

/* The drawn sample: per stratum the selected units in order. */
static void print_drawn(const char *region, const char *kind, const struct drawn *dr)
{
	printf("region %s, %s: sample %llu drawn from frame %s (%zu units, checksum %s)\n", region, kind,
	       dr->sample_id, dr->frame_id, dr->n, dr->checksum);
	printf("algorithm %s\nseed %s\n", DRAW_ALGO_VERSION, dr->seed);
	for (int st = 0; st < ST_COUNT; st++) {
		size_t sel;
		if ((st == ST_SME) != (strcmp(kind, "sme") == 0))
			continue;
		sel = dr->cnt[st] < dr->quota[st] ? dr->cnt[st] : dr->quota[st];
		printf("%s: %zu selected of %zu, %zu in reserve", stratum_code(st), sel, dr->cnt[st], dr->cnt[st] - sel);
		if (dr->cnt[st] < dr->quota[st])
			printf(" - fewer units than the quota of %zu: all selected (不足 %zu 家)", dr->quota[st], dr->quota[st]);
		printf("\n");
		for (size_t k = 0; k < sel; k++) {
			const struct unit *u = &dr->u[dr->order[dr->start[st] + k]];
			printf("  %s %3zu  line %-5lu %s%s%s\n", stratum_code(st), k + 1, u->line, u->name,
			       st == ST_WINDOW && *u->platform ? " / " : "", st == ST_WINDOW ? u->platform : "");
		}
	}
	printf("drawn (已抽样)\n");
}

int cmd_draw(struct ctx *x, int argc, char **argv)
{
	const char *pos[2] = { NULL, NULL }, *seed_s = NULL, *kind;
	size_t npos = 0;
	uint64_t seed;
	struct drawn dr = { 0 };
	struct db *db;
	int rc, ret, allow_short = 0;

	for (int i = 1; i < argc; i++) {
		if (option_value(argc, argv, &i, "--seed", &seed_s))
			continue;
		if (strcmp(argv[i], "--allow-short") == 0)
			allow_short = 1;
		else if (!take_positional(argv[i], pos, &npos))
			break;
	}
	if (npos != 2 || !(kind = kind_arg(pos[1]))) {
		command_usage(stderr, find_command("draw"));
		return EXIT_FAILED;
	}
	if (seed_s && seed_parse(seed_s, &seed) < 0) {
		fprintf(stderr, PROG ": draw: the seed must be 1..16 hexadecimal digits (随机种子应为 1-16 位十六进制数字)\n");
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	if ((rc = region_known(db, "draw", pos[0])) <= 0)
		return rc < 0 ? EXIT_FAILED : EXIT_REJECTED;
	if (!seed_s && seed_random(&seed) < 0) {
		fprintf(stderr, PROG ": draw: no random seed (getrandom failed)\n");
		return EXIT_FAILED;
	}

	const int q[ST_COUNT] = { x->conf.sample_hub, x->conf.sample_window, x->conf.sample_sme };
	/* One transaction: the draw and its audit row. */
	enum draw_result dres = sample_draw_tx(db, pos[0], kind, seed, q, allow_short, 0, &dr, &cli_sample_audit);
	ret = draw_outcome(dres, pos[0], kind, &dr);
	if (dres == DRAW_OK)
		print_drawn(pos[0], kind, &dr);
	drawn_free(&dr);
	return ret;
}


/* ================================================================
 * redraw
 * ================================================================ */

int cmd_redraw(struct ctx *x, int argc, char **argv)
{
	struct buf out = { 0 };
	struct db *db;
	int rc;

	if (argc != 3 || (strcmp(argv[2], "resource") != 0 && strcmp(argv[2], "sme") != 0)) {
		command_usage(stderr, find_command("redraw"));
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	rc = sample_verify(db, argv[1], argv[2], &out);
	fputs(out.data ? out.data : "", rc < 0 ? stderr : stdout);
	buf_free(&out);
	if (rc < 0) {
		fprintf(stderr, PROG ": redraw: database error\n");
		return EXIT_FAILED;
	}
	puts(rc == 0 ? "verified" : "NOT verified");
	return rc == 0 ? EXIT_DONE : EXIT_REJECTED;
}
