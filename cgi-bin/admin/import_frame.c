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

int cmd_import_frame(struct ctx *x, int argc, char **argv)
{
	const char *region, *kind, *path, *charset = "";
	char err[512], sum[65], ids[24], *raw = NULL, *text = NULL, *fn = NULL, *old = NULL, *sid = NULL;
	size_t rawn = 0, textn = 0;
	struct frame_parse fp;
	int parsed = 0, ret = EXIT_FAILED, rc;
	unsigned long long id = 0;
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
	if (!(db = ctx_db(x)))
		goto out;
	if ((rc = region_known(db, "import-frame", region)) <= 0) {
		ret = rc < 0 ? EXIT_FAILED : EXIT_REJECTED;
		goto out;
	}
	if (db_query_str(db, STMT_SAMPLE_ID,
	                 DB_ARGS(A_STR(region), A_STR(kind)), &sid) < 0 ||
	    db_query_str(db, STMT_FRAME_CONFIRMED_ID,
	                 DB_ARGS(A_STR(region), A_STR(kind)), &old) < 0)
		goto dberr;
	if (sid) {
		fprintf(stderr, PROG ": import-frame: region %s already has a %s sample (sample %s); its frame "
		        "can no longer be replaced (已经抽样，样本框不能再替换): nothing written\n", region, kind, sid);
		ret = EXIT_REJECTED;
		goto out;
	}
	if (frame_upload_text(raw, rawn, &text, &textn, &charset, err, sizeof err) < 0) {
		fprintf(stderr, PROG ": %s: save the file as XLSX, or CSV in UTF-8 or GB18030 (%s): nothing written\n",
		        path, err);
		ret = EXIT_REJECTED;
		goto out;
	}
	rc = frame_parse(text, textn, kind, NULL, &fp);
	parsed = 1;
	printf("%s: %s, %zu data row%s\n", path, charset, fp.nunits, fp.nunits == 1 ? "" : "s");
	for (size_t i = 0; i < fp.ncols; i++)
		printf("  column %zu '%s' -> %s\n", i + 1, fp.header[i], ffield_code(fp.map[i]));
	if (rc < 0) {
		printf("rejected: %s (nothing written)\n", fp.fatal);
		ret = EXIT_REJECTED;
		goto out;
	}
	if (rc > 0) {
		for (size_t i = 0; i < fp.nerrs; i++)
			printf("line %lu: %s\n", fp.errs[i].line, fp.errs[i].msg);
		if (fp.nerrs_total > fp.nerrs)
			printf("... and %zu more\n", fp.nerrs_total - fp.nerrs);
		printf("%zu error%s: nothing written (有 %zu 处错误，未导入)\n", fp.nerrs_total,
		       fp.nerrs_total == 1 ? "" : "s", fp.nerrs_total);
		ret = EXIT_REJECTED;
		goto out;
	}
	units_checksum(fp.units, fp.nunits, sum);
	fn = frame_clean_filename(path);

	/* One transaction: the frame row, its units, the confirmation, the audit. */
	if (db_begin(db) < 0)
		goto dberr;
	if (db_exec(db, STMT_FRAME_INSERT_PENDING,
	            DB_ARGS(A_STR(region), A_STR(kind), A_STR(fn), A_STR(charset), A_NULL), NULL, &id) < 0)
		goto rollback;
	snprintf(ids, sizeof ids, "%llu", id);
	rc = frame_store(db, region, kind, ids, &fp, sum);
	if (rc == 1) {
		db_rollback(db);
		fprintf(stderr, PROG ": import-frame: region %s got a %s sample meanwhile (已经抽样，样本框不能再替换): "
		        "nothing written\n", region, kind);
		ret = EXIT_REJECTED;
		goto out;
	}
	if (rc < 0)
		goto rollback;
	{
		struct buf d = { 0 };
		buf_printf(&d, "file=%s charset=%s region=%s kind=%s frame=%s units=%zu checksum=%s", fn, charset,
		           region, kind, ids, fp.nunits, sum);
		rc = cli_audit(db, "frame-confirm", d.data);
		buf_free(&d);
	}
	if (rc < 0 || db_commit(db) < 0)
		goto rollback;
	printf("region %s, %s: frame %s confirmed with %zu units (", region, kind, ids, fp.nunits);
	print_counts(kind, fp.count);
	printf(")%s%s\nchecksum %s\n", old ? "; replaces frame " : "", old ? old : "", sum);
	printf("imported (已导入并确认样本框)\n");
	ret = EXIT_DONE;
	goto out;
rollback:
	db_rollback(db);
dberr:
	fprintf(stderr, PROG ": import-frame: database error: nothing written\n");
	ret = EXIT_FAILED;
out:
	if (parsed)
		frame_parse_free(&fp);
	free(raw);
	free(text);
	free(fn);
	free(old);
	free(sid);
	return ret;
}
