/*
 * targets.h - the approved targets of each region (issue 19 item 3; notice
 * 一（一）: 批复的项目建设目标、建设内容、投资进度、资金到位), and their
 * completion: actual / approved.
 *
 * The targets are data, cgi-bin/eval/review/targets.tsv (code, label,
 * unit, actual), embedded and checked at start-up against the codebook.
 * actual says where the done figure comes from:
 *   FORM:F1+F2...  the sum of numeric fields of the region's submitted
 *                  questionnaire FORM (the self-evaluation), e.g.
 *                  selfeval:p1_2_1_win_comp_count+p1_2_1_win_ind_count
 *   reported       a column <code>_actual of the import: what the region
 *                  reported done by 2013-09-30 (三季度建设情况)
 *
 * The import file (CSV UTF-8/GB18030, XLSX or XLS, first sheet; read by the
 * program through the sample frames' readers) has a header
 * row: region_code, one column per target code (approved), and <code>_actual
 * for the reported ones; one row per region; a cell may be empty. All rows
 * or none: any error names its line and nothing is written.
 */
#ifndef SME_TARGETS_H
#define SME_TARGETS_H

#include <stddef.h>

struct req;
struct form;

struct target {
	char              *code, *label, *unit;
	const struct form *form;     /* NULL: reported in the import */
	int               *fields;   /* field indexes of form, summed */
	size_t             nfields;
};

/* Parses the embedded targets.tsv (forms_load first). 0, or -1 with the
 * line and reason in err. */
int  targets_load(char *err, size_t errsz);
int  targets_parse(const char *tsv, char *err, size_t errsz);   /* unit tests */
const struct target *targets(size_t *n);

/* An uploaded table, as the program read it (CSV, XLSX or XLS: the readers
 * belong to the sample layer, which the evaluation does not include). */
struct tgt_rows {
	size_t          nrows;
	char         ***rows;       /* rows[i][0..ncells[i]) */
	const size_t   *ncells;
	const unsigned long *line;  /* line or row number of each */
};

/* GET /agency/targets: the regions' targets, the import form and its header. */
void targets_page(struct req *r);
/* POST /agency/targets: import rows (NULL when the file could not be read:
 * read_err says why, at the file field). */
void targets_import(struct req *r, const struct tgt_rows *rows, const char *read_err);
/* GET /agency/targets/region?region=: approved, self-evaluation, reported,
 * completion per target. */
void targets_region_page(struct req *r);
/* The same table for region into the current page (the dossier); 0 or -1. */
int  targets_table(struct req *r, const char *region);

/* One target's figures for a region (the dossier's exports). has_*: 0 when
 * the figure is missing; completion in percent. */
struct target_row {
	const struct target *t;
	int    has_approved, has_actual;
	double approved, actual, completion;
	const char *source;          /* "自评估报告" / "三季度建设情况" */
};
/* Fills rows[0..n) for region (n = targets()'s count). 0 or -1. */
int  targets_rows(struct req *r, const char *region, struct target_row *rows);

#endif
