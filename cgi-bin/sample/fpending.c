/*
 * fpending.c - a pending frame upload as stored (frame.h): its parsed
 * table and the preview of its checks (frame_tables, sql/040), and the
 * mapping a region chose last for a kind (frame_mappings).
 */
#include "frame.h"
#include "db.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int frame_pending_add(struct db *db, const struct frame_pending_new *n, const struct frame_table *t,
                      const struct frame_parse *fp, unsigned long long *id)
{
	struct buf cells = { 0 }, preview = { 0 };
	int rc = -1;

	if (db_exec(db, STMT_FRAME_INSERT_PENDING,
	            DB_ARGS(A_STR(n->region), A_STR(n->kind), A_STR(n->filename), A_STR(n->charset),
	                    n->user_id ? A_INT(n->user_id) : A_NULL), NULL, id) < 0)
		goto out;
	frame_table_encode(t, &cells);
	frame_preview_encode(fp, &preview);
	if (db_exec(db, STMT_FRAME_TABLE_INSERT,
	            DB_ARGS(A_INT(*id), A_INT(t->nrows), A_INT(t->ncells_total), A_INT(t->nbytes),
	                    A_BLOB(cells.data ? cells.data : "", cells.len),
	                    A_BLOB(preview.data ? preview.data : "", preview.len)), NULL, NULL) < 0)
		goto out;
	rc = 0;
out:
	buf_free(&cells);
	buf_free(&preview);
	return rc;
}

/* The one cell of a row read by q for id in region: 0 (*out malloc'd,
 * *outn), 1 when there is none, -1 on a database error. */
static int stored_blob(struct db *db, enum stmt q, const char *region, const char *id, char **out, size_t *outn)
{
	struct dbrows *rows;
	if (db_query(db, q, DB_ARGS(A_STR(id), A_STR(region)), &rows) < 0)
		return -1;
	int rc = 1;
	if (rows->nrows && dbrows_get(rows, 0, 0)) {
		*outn = rows->lens[0];
		*out = xstrndup(dbrows_get(rows, 0, 0), *outn);
		rc = 0;
	}
	dbrows_free(rows);
	return rc;
}

int frame_pending_cells(struct db *db, const char *region, const char *id, struct frame_table *t,
                        char *err, size_t errsz)
{
	char *text = NULL;
	size_t n = 0;
	memset(t, 0, sizeof *t);
	int rc = stored_blob(db, STMT_FRAME_TABLE_CELLS, region, id, &text, &n);
	if (rc == 0 && frame_table_decode(text, n, t, err, errsz) < 0)
		rc = 1;
	free(text);
	return rc;
}

int frame_pending_preview(struct db *db, const char *region, const char *id, struct frame_parse *fp)
{
	char *text = NULL;
	size_t n = 0;
	memset(fp, 0, sizeof *fp);
	int rc = stored_blob(db, STMT_FRAME_TABLE_PREVIEW, region, id, &text, &n);
	if (rc == 0 && frame_preview_decode(text, n, fp) < 0) {
		frame_parse_free(fp);
		rc = 1;
	}
	free(text);
	return rc;
}

int frame_pending_set_preview(struct db *db, const char *id, const struct frame_parse *fp)
{
	struct buf b = { 0 };
	frame_preview_encode(fp, &b);
	int rc = db_exec(db, STMT_FRAME_TABLE_PREVIEW_SET,
	                 DB_ARGS(A_BLOB(b.data ? b.data : "", b.len), A_STR(id)), NULL, NULL);
	buf_free(&b);
	return rc;
}

/* ------------------------------------------------ the remembered mapping */

int frame_memo_save(struct db *db, const char *region, const char *kind, const struct frame_parse *fp)
{
	struct buf cols = { 0 }, plats = { 0 };
	for (size_t i = 0; i < fp->ncols; i++) {
		if (!fp->header[i][0])
			continue;
		frame_field_encode(&cols, fp->header[i]);
		buf_printf(&cols, "\t%s\n", ffield_code(fp->map[i]));
	}
	for (size_t i = 0; i < fp->nplat; i++) {
		if (!fp->plat[i].assigned)
			continue;
		frame_field_encode(&plats, fp->plat[i].value);
		buf_printf(&plats, "\t%s\n", stratum_code(fp->plat[i].stratum));
	}
	int rc = db_exec(db, STMT_FRAME_MAPPING_SAVE,
	                 DB_ARGS(A_STR(region), A_STR(kind), A_INT(fp->header_row),
	                         A_STR(cols.data ? cols.data : ""), A_STR(plats.data ? plats.data : "")),
	                 NULL, NULL);
	buf_free(&cols);
	buf_free(&plats);
	return rc;
}

/* Splits text (owned, changed in place) into lines of two fields;
 * calls add for each. */
static void memo_lines(char *text, struct frame_memo_store *m, void (*add)(struct frame_memo_store *, char **))
{
	char *p = text, *f[4];
	while (p && *p) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (frame_record_split(p, f, 2) == 2)
			add(m, f);
		p = nl ? nl + 1 : NULL;
	}
}

static void add_col(struct frame_memo_store *m, char **f)
{
	int field = ffield_parse(f[1]);
	if (m->memo.n < FRAME_MAX_COLS && field >= 0) {
		m->memo.head[m->memo.n] = f[0];
		m->memo.field[m->memo.n++] = field;
	}
}

static void add_plat(struct frame_memo_store *m, char **f)
{
	int st = stratum_parse(f[1]);
	if (m->npmap < FRAME_MAX_PLATFORMS && (st == ST_HUB || st == ST_WINDOW)) {
		m->pmap[m->npmap].value = f[0];
		m->pmap[m->npmap++].stratum = st;
	}
}

int frame_memo_load(struct db *db, const char *region, const char *kind, struct frame_memo_store *m)
{
	struct dbrows *rows;
	memset(m, 0, sizeof *m);
	if (db_query(db, STMT_FRAME_MAPPING_GET, DB_ARGS(A_STR(region), A_STR(kind)), &rows) < 0)
		return -1;
	if (rows->nrows) {
		m->memo.header_row = (unsigned)dbrows_int(rows, 0, 0);
		m->cols = xstrdup(dbrows_get(rows, 0, 1) ? dbrows_get(rows, 0, 1) : "");
		m->plats = xstrdup(dbrows_get(rows, 0, 2) ? dbrows_get(rows, 0, 2) : "");
		memo_lines(m->cols, m, add_col);
		memo_lines(m->plats, m, add_plat);
	}
	dbrows_free(rows);
	return 0;
}

void frame_memo_opts(const struct frame_memo_store *m, struct frame_opts *o)
{
	memset(o, 0, sizeof *o);
	if (m->memo.header_row)
		o->memo = &m->memo;
	o->pmap = m->pmap;
	o->npmap = m->npmap;
}

void frame_memo_free(struct frame_memo_store *m)
{
	free(m->cols);
	free(m->plats);
	memset(m, 0, sizeof *m);
}
