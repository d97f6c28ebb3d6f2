/*
 * admin/import_frame.c - import-frame: a region's sample frame from the
 * command line.
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

/* Every problem of the file with its row, by what happens to the row. */
static void print_problems(const struct frame_parse *fp)
{
	static const char *const what[FP_COUNT] = {
		[FP_ROW] = "not imported", [FP_VALUE] = "left empty", [FP_CHECK] = "to check", [FP_FOOTER] = "footer, skipped",
	};
	for (size_t i = 0; i < fp->nerrs; i++)
		printf("line %lu: %s [%s]\n", fp->errs[i].line, fp->errs[i].msg, what[fp->errs[i].kind]);
	if (fp->nerrs_total > fp->nerrs)
		printf("... and %zu more\n", fp->nerrs_total - fp->nerrs);
}

/* What the file holds and how its columns were read; for a file that
 * cannot be imported, why. EXIT_DONE when it can be, else EXIT_REJECTED. */
static int report_parse(const char *path, const char *charset, const struct frame_parse *fp, int rc)
{
	printf("%s: %s, %zu data row%s\n", path, charset, fp->ntotal, fp->ntotal == 1 ? "" : "s");
	for (size_t i = 0; i < fp->ncols; i++)
		printf("  column %zu '%s' -> %s\n", i + 1, fp->header[i], ffield_code(fp->map[i]));
	print_problems(fp);
	if (rc < 0) {
		printf("rejected: %s (nothing written)\n", fp->fatal);
		return EXIT_REJECTED;
	}
	if (rc > 0) {
		printf("%zu row%s cannot be imported: nothing written (有 %zu 行不能导入，未导入)\n", fp->nbad,
		       fp->nbad == 1 ? "" : "s", fp->nbad);
		return EXIT_REJECTED;
	}
	return EXIT_DONE;
}

/* A parsed frame on its way into the database (one transaction). */
struct frame_tx {
	const char               *region, *kind, *fn, *charset, *sum;
	const struct frame_parse *fp;
	char                      ids[24];     /* the new frame's id */
};

/* The frame row, its units, the confirmation and the audit. 0, 1 when the
 * region got a sample meanwhile (rolled back), or -1. */
static int frame_tx_body(struct db *db, void *ctx, int attempt)
{
	struct frame_tx *t = ctx;
	unsigned long long id = 0;
	struct buf d = { 0 };
	int rc;

	(void)attempt;
	if (db_exec(db, STMT_FRAME_INSERT_PENDING,
	            DB_ARGS(A_STR(t->region), A_STR(t->kind), A_STR(t->fn), A_STR(t->charset), A_NULL), NULL, &id) < 0)
		return -1;
	snprintf(t->ids, sizeof t->ids, "%llu", id);
	rc = frame_store(db, t->region, t->kind, t->ids, t->fp, t->sum);
	if (rc != 0)
		return rc;
	buf_printf(&d, "file=%s charset=%s region=%s kind=%s frame=%s units=%zu checksum=%s", t->fn, t->charset,
	           t->region, t->kind, t->ids, t->fp->nunits, t->sum);
	rc = cli_audit(db, "frame-confirm", d.data);
	buf_free(&d);
	return rc < 0 ? -1 : 0;
}

/* The region may take a frame of this kind: it exists and has no sample
 * yet. EXIT_DONE, EXIT_REJECTED (said why) or EXIT_FAILED; *old gets the
 * frame it replaces (NULL: none). */
static int frame_allowed(struct db *db, const char *region, const char *kind, char **old)
{
	char *sid = NULL;
	int rc = region_known(db, "import-frame", region);

	if (rc <= 0)
		return rc < 0 ? EXIT_FAILED : EXIT_REJECTED;
	if (db_query_str(db, STMT_SAMPLE_ID, DB_ARGS(A_STR(region), A_STR(kind)), &sid) < 0 ||
	    db_query_str(db, STMT_FRAME_CONFIRMED_ID, DB_ARGS(A_STR(region), A_STR(kind)), old) < 0) {
		free(sid);
		fprintf(stderr, PROG ": import-frame: database error: nothing written\n");
		return EXIT_FAILED;
	}
	if (sid) {
		fprintf(stderr, PROG ": import-frame: region %s already has a %s sample (sample %s); its frame "
		        "can no longer be replaced (已经抽样，样本框不能再替换): nothing written\n", region, kind, sid);
		free(sid);
		return EXIT_REJECTED;
	}
	return EXIT_DONE;
}

int cmd_import_frame(struct ctx *x, int argc, char **argv)
{
	const char *region, *kind, *path, *charset = "";
	char err[512], sum[65], *raw = NULL, *text = NULL, *fn = NULL, *old = NULL;
	size_t rawn = 0, textn = 0;
	struct frame_parse fp;
	int parsed = 0, ret = EXIT_FAILED, rc;
	struct db *db;

	if (argc != 4 || !(kind = kind_arg(argv[2]))) {
		command_usage(stderr, find_command("import-frame"));
		return EXIT_FAILED;
	}
	region = argv[1];
	path = argv[3];
	if (file_read_bounded(path, FRAME_UPLOAD_MAX, &raw, &rawn, err, sizeof err) < 0) {
		fprintf(stderr, PROG ": %s (at most 2 MiB / 最大 2 MB)\n", err);
		return EXIT_FAILED;
	}
	if (!(db = ctx_db(x)) || (ret = frame_allowed(db, region, kind, &old)) != EXIT_DONE)
		goto out;
	if (frame_upload_text(raw, rawn, &text, &textn, &charset, err, sizeof err) < 0) {
		fprintf(stderr, PROG ": %s: save the file as XLSX, XLS, or CSV in UTF-8 or GB18030 (%s): nothing written\n",
		        path, err);
		ret = EXIT_REJECTED;
		goto out;
	}
	rc = frame_parse(text, textn, kind, NULL, &fp);
	parsed = 1;
	if ((ret = report_parse(path, charset, &fp, rc)) != EXIT_DONE)
		goto out;
	units_checksum(fp.units, fp.nunits, sum);
	fn = upload_filename(path, "样本框文件");

	struct frame_tx t = { region, kind, fn, charset, sum, &fp, "" };
	rc = db_transaction(db, frame_tx_body, &t);
	if (rc > 0) {
		fprintf(stderr, PROG ": import-frame: region %s got a %s sample meanwhile (已经抽样，样本框不能再替换): "
		        "nothing written\n", region, kind);
		ret = EXIT_REJECTED;
	} else if (rc < 0) {
		fprintf(stderr, PROG ": import-frame: database error: nothing written\n");
		ret = EXIT_FAILED;
	} else {
		printf("region %s, %s: frame %s confirmed with %zu units (", region, kind, t.ids, fp.nunits);
		print_counts(kind, fp.count);
		printf(")%s%s\nchecksum %s\n", old ? "; replaces frame " : "", old ? old : "", sum);
		printf("imported (已导入并确认样本框)\n");
	}
out:
	if (parsed)
		frame_parse_free(&fp);
	free(raw);
	free(text);
	free(fn);
	free(old);
	return ret;
}
