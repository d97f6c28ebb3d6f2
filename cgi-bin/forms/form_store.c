/*
 * form_store.c - responses/answers storage and deadlines (uploads: form_upload.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "db.h"
#include "fileio.h"
#include "form.h"
#include "form_int.h"
#include "http.h"
#include "log.h"
#include "paradata.h"
#include "util.h"
#include "valid.h"

/* ------------------------------------------------------------------ */
/* Responses                                                           */

static void copy_str(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

/* Sets the answers of rows (code in column cc, value in cc + 1; a NULL
 * code is no answer) into a, initialised for f. */
static void answers_from_rows(const struct form *f, const struct dbrows *rows, size_t cc,
                              struct answers *a)
{
	answers_init(a, f);
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *code = dbrows_get(rows, i, cc);
		/* Codes of retired fields are ignored. */
		int fi = code ? form_field_index(f, code) : -1;
		if (fi >= 0)
			answers_set(a, (size_t)fi, dbrows_get(rows, i, cc + 1));
	}
	form_drop_inapplicable(f, a);
}

int response_load_answers(struct db *db, const struct form *f, unsigned long long response_id,
                          struct answers *a)
{
	struct dbrows *rows;
	answers_init(a, f);
	if (db_query(db, STMT_ANSWERS_OF_RESPONSE, DB_ARGS(A_INT(response_id)), &rows) < 0)
		return -1;
	answers_free(a);
	answers_from_rows(f, rows, 0, a);
	dbrows_free(rows);
	return 0;
}

/* Fills r's own columns from row 0 of rows (the columns of
 * STMT_RESPONSE_OF_USER, which STMT_RESPONSE_LOCK starts with). */
static void fill_response_row(const struct dbrows *rows, struct response *r)
{
	r->id = (unsigned long long)dbrows_int(rows, 0, 0);
	r->status = dbrows_get(rows, 0, 1) && !strcmp(dbrows_get(rows, 0, 1), "submitted")
	            ? RS_SUBMITTED : RS_DRAFT;
	r->valid = (int)dbrows_int(rows, 0, 2);
	r->version = (unsigned)dbrows_int(rows, 0, 3);
	copy_str(r->updated_at, sizeof r->updated_at, dbrows_get(rows, 0, 4));
	copy_str(r->submitted_at, sizeof r->submitted_at, dbrows_get(rows, 0, 5));
	r->proxy_user_id = (unsigned long long)dbrows_int(rows, 0, 6);
}

/* One query q (STMT_RESPONSE_OF_USER or its columns without answers):
 * the row and its answers (columns 7 and 8). */
static int response_read(struct db *db, enum stmt q, const struct form *f, unsigned long long user_id,
                         struct response *r)
{
	struct dbrows *rows;
	memset(r, 0, sizeof *r);
	if (db_query(db, q, DB_ARGS(A_STR(f->name), A_INT(user_id)), &rows) < 0) {
		answers_init(&r->a, f);
		return -1;
	}
	/* One row at least; r.id NULL when the response does not exist yet. */
	if (rows->nrows && dbrows_get(rows, 0, 0))
		fill_response_row(rows, r);
	r->opened = rows->nrows && dbrows_int(rows, 0, 9) != 0;
	answers_from_rows(f, rows, 7, &r->a);
	dbrows_free(rows);
	return 0;
}

int response_load(struct db *db, const struct form *f, unsigned long long user_id,
                  struct response *r)
{
	return response_read(db, STMT_RESPONSE_OF_USER, f, user_id, r);
}

int response_load_row(struct db *db, const struct form *f, unsigned long long user_id,
                      struct response *r)
{
	return response_read(db, STMT_RESPONSE_ROW_OF_USER, f, user_id, r);
}

/* The locking read of the save: the row, its answers and the database's
 * clock (the save's timestamp). Sets *absent when there is no row. */
static int lock_row(struct db *db, const struct form *f, unsigned long long user_id,
                    struct response *r, int *absent)
{
	struct dbrows *rows;
	int rc = 0;
	if (db_query(db, STMT_RESPONSE_LOCK, DB_ARGS(A_STR(f->name), A_INT(user_id)), &rows) < 0)
		return -1;
	*absent = rows->nrows == 0;
	if (!*absent) {
		copy_str(r->saved_at, sizeof r->saved_at, dbrows_get(rows, 0, 7));
		fill_response_row(rows, r);
		/* The answers are read apart, without a lock: a locking read of
		 * answers would gap-lock them, which made concurrent first saves
		 * deadlock (issue 9). */
		if (response_load_answers(db, f, r->id, &r->a) < 0) {
			answers_free(&r->a);
			answers_init(&r->a, f);
			rc = -1;
		}
	}
	dbrows_free(rows);
	return rc;
}

int response_lock(struct db *db, const struct form *f, unsigned long long user_id,
                  const char *region_code, struct response *r)
{
	struct dbarg region = region_code && *region_code ? A_STR(region_code) : A_NULL;
	int absent;

	memset(r, 0, sizeof *r);
	if (lock_row(db, f, user_id, r, &absent) < 0)
		goto fail;
	if (!absent)
		return 0;
	/* First save. The locking read of the absent row took only a gap lock
	 * (REPEATABLE READ), and two first saves holding it would deadlock on
	 * their inserts: release it, insert the row (a concurrent first save
	 * then waits for this one, or this one for it), and lock the row that
	 * now exists - it may be another request's, already submitted. The new
	 * row (version 0) goes with the transaction on any error. */
	if (db_tx_restart(db) < 0 ||
	    db_exec(db, STMT_RESPONSE_CREATE,
	            DB_ARGS(A_STR(f->name), A_INT(user_id), region), NULL, NULL) < 0 ||
	    /* Its paradata row (issue 20), unless the first GET made it. */
	    db_exec(db, STMT_PARADATA_CREATE,
	            DB_ARGS(A_STR(f->name), A_INT(user_id), region), NULL, NULL) < 0 ||
	    lock_row(db, f, user_id, r, &absent) < 0 || absent)
		goto fail;
	return 0;
fail:
	answers_free(&r->a);
	answers_init(&r->a, f);
	return -1;
}

void response_free(struct response *r)
{
	answers_free(&r->a);
}

/* Every non-empty value of clean as one JSON array of [code, value]
 * pairs, which the server unpacks (JSON_TABLE in sql/060_response_save.sql):
 * one argument whatever their number (issue 13, item 5). Returns their
 * number (the server compares them with the stored ones: sql/081). */
static size_t answers_json(const struct form *f, const struct answers *clean, struct buf *json)
{
	size_t n = f->nfields < clean->n ? f->nfields : clean->n, k = 0;
	buf_putc(json, '[');
	for (size_t i = 0; i < n; i++) {
		if (!clean->v[i] || !*clean->v[i])
			continue;
		buf_puts(json, k++ ? ",[" : "[");
		buf_json_str(json, f->fields[i].code);
		buf_putc(json, ',');
		buf_json_str(json, clean->v[i]);
		buf_putc(json, ']');
	}
	buf_putc(json, ']');
	return k;
}

/* r as written: what the server did, in memory. */
static void written(const struct answers *clean, struct response *r, unsigned long long proxy_user_id,
                    int submit, int valid)
{
	r->status = submit ? RS_SUBMITTED : RS_DRAFT;
	r->valid = valid ? 1 : 0;
	r->version++;
	r->proxy_user_id = proxy_user_id;
	copy_str(r->updated_at, sizeof r->updated_at, r->saved_at);
	copy_str(r->submitted_at, sizeof r->submitted_at, submit ? r->saved_at : "");
	for (size_t i = 0; i < r->a.n && i < clean->n; i++)
		answers_set(&r->a, i, clean->v[i]);
}

int response_write(struct db *db, const struct form *f, struct response *r,
                   const char *region_code, unsigned long long proxy_user_id,
                   const struct pdreq *pd, const struct answers *clean, int submit, int valid)
{
	static const struct pdreq none;
	struct dbarg region = region_code && *region_code ? A_STR(region_code) : A_NULL;
	struct dbarg proxy = proxy_user_id ? A_INT(proxy_user_id) : A_NULL;
	struct buf json = { 0 };
	size_t n;
	int rc;

	if (!pd)
		pd = &none;
	n = answers_json(f, clean, &json);
	/* The row, its paradata and the answers in one CALL (issue 21 item 2):
	 * the timestamps are the locking read's clock, so what the page shows
	 * is what is stored; a response never written (version 0) has no
	 * answers to delete. */
	rc = db_exec(db, STMT_RESPONSE_WRITE,
	             DB_ARGS(A_INT(r->id), region, A_STR(submit ? "submitted" : "draft"), A_INT(valid ? 1 : 0), proxy,
	                     A_STR(r->saved_at), A_STR(pd->net), A_STR(pd->device), A_STR(pd->session),
	                     A_STR(pd->ua), A_INT(proxy_user_id != 0), A_INT(r->version > 0), A_STR(json.data),
	                     A_INT(n)),
	             NULL, NULL) < 0 ? -1 : 0;
	buf_free(&json);
	if (rc == 0)
		written(clean, r, proxy_user_id, submit, valid);
	return rc;
}

int response_save_draft(struct db *db, const struct form *f, struct response *r, long expect,
                        const char *region_code, unsigned long long proxy_user_id,
                        const struct pdreq *pd, const struct answers *clean, int valid)
{
	struct dbarg region = region_code && *region_code ? A_STR(region_code) : A_NULL;
	struct dbarg proxy = proxy_user_id ? A_INT(proxy_user_id) : A_NULL;
	struct buf json = { 0 };
	size_t n;
	struct dbrows *rows = NULL;
	static const struct pdreq none;
	int rc = -1;

	if (!pd)
		pd = &none;
	n = answers_json(f, clean, &json);
	if (db_query(db, STMT_RESPONSE_SAVE,
	             DB_ARGS(A_INT(r->id), expect >= 0 ? A_INT(expect) : A_NULL, region, A_INT(valid ? 1 : 0), proxy,
	                     A_STR(pd->net),
	                     A_STR(pd->device), A_STR(pd->session), A_STR(pd->ua), A_INT(proxy_user_id != 0),
	                     A_STR(json.data), A_INT(n)), &rows) == DB_OK && rows->nrows == 1) {
		const char *outcome = dbrows_get(rows, 0, 0);
		rc = outcome && strcmp(outcome, "saved") == 0 ? 0 : 1;
		if (rc == 0) {
			/* Other saves may have come between the read and the lock:
			 * the version is the one the server wrote. */
			copy_str(r->saved_at, sizeof r->saved_at, dbrows_get(rows, 0, 1));
			r->version = (unsigned)dbrows_int(rows, 0, 2) - 1;
			written(clean, r, proxy_user_id, 0, valid);
		}
	}
	dbrows_free(rows);
	buf_free(&json);
	return rc;
}

int response_reopen(struct db *db, unsigned long long response_id)
{
	return db_exec(db, STMT_RESPONSE_REOPEN, DB_ARGS(A_INT(response_id)), NULL, NULL) < 0 ? -1 : 0;
}
