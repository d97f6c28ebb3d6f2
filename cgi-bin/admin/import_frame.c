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

/* Reads and checks the file as the region's upload page does. EXIT_DONE
 * with fp filled (free it), or the exit status (message printed). */
static int read_frame(const char *path, const char *kind, struct frame_parse *fp, const char **charset)
{
	char err[512], *raw = NULL;
	size_t rawn = 0;
	struct frame_table t;

	if (file_read_bounded(path, FRAME_UPLOAD_MAX, &raw, &rawn, err, sizeof err) < 0) {
		fprintf(stderr, PROG ": %s (at most 2 MiB / 最大 2 MB)\n", err);
		return EXIT_FAILED;
	}
	int rc = frame_upload_table(raw, rawn, &t, charset, err, sizeof err);
	free(raw);
	if (rc < 0) {
		fprintf(stderr, PROG ": %s: save the file as XLSX, XLS, or CSV in UTF-8 or GB18030 (%s): nothing written\n",
		        path, err);
		return EXIT_REJECTED;
	}
	rc = frame_parse_table(&t, kind, NULL, fp);
	frame_table_free(&t);
	printf("%s: %s, %zu data row%s\n", path, *charset, fp->ntotal, fp->ntotal == 1 ? "" : "s");
	for (size_t i = 0; i < fp->ncols; i++)
		printf("  column %zu '%s' -> %s\n", i + 1, fp->header[i], ffield_code(fp->map[i]));
	print_problems(fp);
	if (rc < 0)
		printf("rejected: %s (nothing written)\n", fp->fatal);
	else if (rc > 0)
		printf("%zu row%s cannot be imported: nothing written (有 %zu 行不能导入，未导入)\n", fp->nbad,
		       fp->nbad == 1 ? "" : "s", fp->nbad);
	if (rc != 0) {
		frame_parse_free(fp);
		return EXIT_REJECTED;
	}
	return EXIT_DONE;
}

/* One transaction: the frame row, its units, the confirmation, the audit.
 * EXIT_DONE, EXIT_REJECTED (a sample came meanwhile) or EXIT_FAILED. */
static int store_frame(struct db *db, const char *region, const char *kind, const char *path, const char *charset,
                       const struct frame_parse *fp, char ids[24], char sum[65])
{
	unsigned long long id = 0;
	char *fn = frame_clean_filename(path);
	int rc, ret = EXIT_FAILED;

	units_checksum(fp->units, fp->nunits, sum);
	if (db_begin(db) < 0)
		goto out;
	if (db_exec(db, STMT_FRAME_INSERT_PENDING,
	            DB_ARGS(A_STR(region), A_STR(kind), A_STR(fn), A_STR(charset), A_NULL), NULL, &id) < 0)
		goto rollback;
	snprintf(ids, 24, "%llu", id);
	rc = frame_store(db, region, kind, ids, fp, sum);
	if (rc == 1) {
		fprintf(stderr, PROG ": import-frame: region %s got a %s sample meanwhile (已经抽样，样本框不能再替换): "
		        "nothing written\n", region, kind);
		ret = EXIT_REJECTED;
		goto rollback;
	}
	struct buf d = { 0 };
	buf_printf(&d, "file=%s charset=%s region=%s kind=%s frame=%s units=%zu checksum=%s", fn, charset,
	           region, kind, ids, fp->nunits, sum);
	if (rc == 0)
		rc = cli_audit(db, "frame-confirm", d.data);
	buf_free(&d);
	if (rc < 0 || db_commit(db) < 0)
		goto rollback;
	ret = EXIT_DONE;
	goto out;
rollback:
	db_rollback(db);
out:
	if (ret == EXIT_FAILED)
		fprintf(stderr, PROG ": import-frame: database error: nothing written\n");
	free(fn);
	return ret;
}

int cmd_import_frame(struct ctx *x, int argc, char **argv)
{
	const char *region, *kind, *charset = "";
	char sum[65], ids[24], *old = NULL, *sid = NULL;
	struct frame_parse fp;
	int ret = EXIT_FAILED, rc;
	struct db *db;

	if (argc != 4 || !(kind = kind_arg(argv[2]))) {
		command_usage(stderr, find_command("import-frame"));
		return EXIT_FAILED;
	}
	region = argv[1];
	if (!(db = ctx_db(x)))
		return EXIT_FAILED;
	if ((rc = region_known(db, "import-frame", region)) <= 0)
		return rc < 0 ? EXIT_FAILED : EXIT_REJECTED;
	if (db_query_str(db, STMT_SAMPLE_ID, DB_ARGS(A_STR(region), A_STR(kind)), &sid) < 0 ||
	    db_query_str(db, STMT_FRAME_CONFIRMED_ID, DB_ARGS(A_STR(region), A_STR(kind)), &old) < 0) {
		fprintf(stderr, PROG ": import-frame: database error: nothing written\n");
		goto out;
	}
	if (sid) {
		fprintf(stderr, PROG ": import-frame: region %s already has a %s sample (sample %s); its frame "
		        "can no longer be replaced (已经抽样，样本框不能再替换): nothing written\n", region, kind, sid);
		ret = EXIT_REJECTED;
		goto out;
	}
	if ((ret = read_frame(argv[3], kind, &fp, &charset)) != EXIT_DONE)
		goto out;
	ret = store_frame(db, region, kind, argv[3], charset, &fp, ids, sum);
	if (ret == EXIT_DONE) {
		printf("region %s, %s: frame %s confirmed with %zu units (", region, kind, ids, fp.nunits);
		print_counts(kind, fp.count);
		printf(")%s%s\nchecksum %s\n", old ? "; replaces frame " : "", old ? old : "", sum);
		printf("imported (已导入并确认样本框)\n");
	}
	frame_parse_free(&fp);
out:
	free(old);
	free(sid);
	return ret;
}
