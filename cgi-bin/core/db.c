/*
 * db.c - prepared-statement access to MariaDB: the statements of the table
 * (stmts.h, stmts.c), prepared lazily per connection into an array indexed by
 * enum stmt, checked against the request's role, and one transparent
 * reconnect after the server went away.
 */
#include "db.h"
#include "conf.h"
#include "dbjson.h"
#include "log.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>
#include <errmsg.h>
#include <openssl/ssl.h>

#define DB_MAX_ARGS    96   /* the aggregates' 8-row upserts bind 72 */
#define DB_CARRIED_MAX 16   /* results one page's statement may carry */

/* A result a page's statement carried (db_carry): its statement, the
 * arguments it was computed for (as text; NULL for SQL NULL) and its rows. */
struct carried {
	enum stmt      q;
	size_t         nargs;
	char         **args;
	struct dbrows *rows;
};

struct db {
	const struct conf *conf;
	MYSQL             *my;
	MYSQL_STMT        *prepared[STMT__MAX];   /* NULL until first use on this connection */
	enum role          role;                  /* of the current request */
	int                in_tx;
	int                desync;                /* a result broken off mid-read: see db_in_step */
	unsigned           last_errno;
	unsigned long      round_trips;           /* statements sent since db_round_trips_reset */
	unsigned long      prepares;              /* of which prepares */
	struct carried     carried[DB_CARRIED_MAX]; /* this request's, db_carry */
	size_t             ncarried;
};

static void db_drop(struct db *db)
{
	for (size_t i = 0; i < STMT__MAX; i++)
		if (db->prepared[i]) {
			mysql_stmt_close(db->prepared[i]);
			db->prepared[i] = NULL;
		}
	if (db->my)
		mysql_close(db->my);
	db->my = NULL;
	db->in_tx = 0;
	db->desync = 0;
}

/* The connection never uses TLS (a unix socket, or a node on the private
 * network: no MYSQL_OPT_SSL_* is set), yet Connector/C starts OpenSSL on
 * its first mysql_init, which loads every error string and the system's
 * openssl.cnf: about 0.9 MB of libcrypto resident in every worker (issue
 * 21 item 3; scripts/bench-rss). OpenSSL takes a "no" to each of them once
 * and for all, so saying it first keeps them out. */
static void tls_unused(void)
{
	static int said;
	if (!said)
		OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_SSL_STRINGS | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
		                 OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
	said = 1;
}

/* One connection attempt: sock (a unix socket) or host:port. */
static int db_connect_to(struct db *db, const char *sock, const char *host, unsigned port)
{
	const struct conf *c = db->conf;
	unsigned timeout = 2;
	tls_unused();
	db->my = mysql_init(NULL);
	if (db->my == NULL) {
		log_err("mysql_init failed");
		return -1;
	}
	mysql_options(db->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(db->my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	if (!mysql_real_connect(db->my, sock ? NULL : host, c->db_user, c->db_password,
	                        c->db_name, sock ? 0 : port, sock, 0)) {
		db->last_errno = mysql_errno(db->my);
		log_err("cannot connect to MariaDB (%s%s%u): %s", sock ? sock : host, sock ? "" : ":",
		        sock ? 0 : port, mysql_error(db->my));
		mysql_close(db->my);
		db->my = NULL;
		return -1;
	}
	return 0;
}

/* The configured node first, then each db_failover entry in order
 * ("/path.sock" or "host:port", comma-separated): on a Galera cluster any
 * node takes any statement, so a host whose node died goes on with the
 * next (issue 22). Every new connection starts again from the first. */
static int db_connect(struct db *db)
{
	const struct conf *c = db->conf;
	if (db_connect_to(db, c->db_socket[0] ? c->db_socket : NULL, c->db_host, c->db_port) == 0)
		return 0;
	char list[1024], *save = NULL;
	snprintf(list, sizeof list, "%s", c->db_failover ? c->db_failover : "");
	for (char *e = strtok_r(list, ", ", &save); e; e = strtok_r(NULL, ", ", &save)) {
		char *colon = strrchr(e, ':');
		if (e[0] == '/') {
			if (db_connect_to(db, e, NULL, 0) == 0)
				return 0;
		} else if (colon) {
			*colon = '\0';
			if (db_connect_to(db, NULL, e, (unsigned)atoi(colon + 1)) == 0)
				return 0;
		}
	}
	return -1;
}

static void carried_free(struct db *db)
{
	for (size_t i = 0; i < db->ncarried; i++) {
		struct carried *c = &db->carried[i];
		for (size_t k = 0; k < c->nargs; k++)
			free(c->args[k]);
		free(c->args);
		dbrows_free(c->rows);
	}
	db->ncarried = 0;
}

struct db *db_open(const struct conf *c)
{
	struct db *db = xcalloc(1, sizeof *db);
	db->conf = c;
	db->role = ROLE_NONE;
	db_connect(db);     /* failure is retried on first use */
	return db;
}

void db_close(struct db *db)
{
	if (db == NULL)
		return;
	carried_free(db);
	db_drop(db);
	free(db);
}

void db_set_role(struct db *db, enum role role)
{
	db->role = role;
}

unsigned long db_round_trips(const struct db *db, unsigned long *prepares)
{
	if (prepares)
		*prepares = db->prepares;
	return db->round_trips;
}

void db_round_trips_reset(struct db *db)
{
	db->round_trips = 0;
	db->prepares = 0;
	carried_free(db);
}

unsigned db_errno(const struct db *db)
{
	return db->last_errno;
}

/* MariaDB's error number as the outcome callers read (enum db_rc). */
static enum db_rc rc_of(unsigned e)
{
	switch (e) {
	case 0:    return DB_OK;
	case 1062: return DB_DUPLICATE;      /* ER_DUP_ENTRY */
	case 1205:                           /* ER_LOCK_WAIT_TIMEOUT */
	case 1213: return DB_CONFLICT;       /* ER_LOCK_DEADLOCK */
	case 1452: return DB_NO_PARENT;      /* ER_NO_REFERENCED_ROW_2 */
	default:   return DB_ERROR;
	}
}

enum db_rc db_last(const struct db *db)
{
	return rc_of(db->last_errno);
}

int db_args_fit(enum stmt q, const struct dbarg *args, size_t nargs, char *why, size_t whysz)
{
	static const char letter[] = { [DBA_STR] = 's', [DBA_INT] = 'i', [DBA_BLOB] = 'b' };
	const char *want = (unsigned)q < STMT__MAX ? stmt_params[q] : NULL;

	if (want == NULL) {
		snprintf(why, whysz, "statement %d has no declared parameters", (int)q);
		return -1;
	}
	if (strlen(want) != nargs) {
		snprintf(why, whysz, "statement %d takes %zu arguments, given %zu", (int)q, strlen(want), nargs);
		return -1;
	}
	for (size_t i = 0; i < nargs; i++)
		if (args[i].type != DBA_NULL && letter[args[i].type] != want[i]) {
			snprintf(why, whysz, "statement %d: argument %zu is '%c', declared '%c'", (int)q, i + 1,
			         letter[args[i].type], want[i]);
			return -1;
		}
	return 0;
}

/* Errors after which a fresh connection may succeed. */
static int is_conn_lost(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	       e == 4031 /* ER_CLIENT_INTERACTION_TIMEOUT */ || e == 1927 /* ER_CONNECTION_KILLED */ ||
	       e == CR_CONN_HOST_ERROR || e == CR_CONNECTION_ERROR;
}

/* A result broken off while its rows were read (mysql_stmt_store_result
 * failing, as a Galera brute-force abort does: 1213 in the middle of a
 * SELECT) leaves the connection out of step, and the next command on it
 * waited forever: a submit hung 300 s in 27-concurrent-saves.t through the
 * cluster. Such a connection is never used again. Inside a transaction
 * every further statement fails as the conflict it was (the body gives up,
 * db_transaction rolls back by dropping the connection - the server rolls
 * the transaction back - and retries on a fresh one); outside one, the
 * connection is dropped and the next statement opens a new one. Returns 0
 * when the connection may be used. */
static int db_in_step(struct db *db)
{
	if (!db->desync)
		return 0;
	if (db->in_tx) {
		db->last_errno = 1213;
		return -1;
	}
	db_drop(db);
	return 0;
}

static MYSQL_STMT *stmt_get(struct db *db, enum stmt q)
{
	if (db->prepared[q])
		return db->prepared[q];
	const char *sql = stmts[q].sql;
	MYSQL_STMT *st = mysql_stmt_init(db->my);
	if (st == NULL)
		return NULL;
	db->round_trips++;   /* the prepare is a round trip of its own */
	db->prepares++;
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		db->last_errno = mysql_stmt_errno(st);
		log_err("prepare failed (%u %s): %s", db->last_errno, mysql_stmt_error(st), sql);
		mysql_stmt_close(st);
		return NULL;
	}
	db->prepared[q] = st;
	return st;
}


/* The allow-list: may the current role run q? Logs a refusal. */
static int stmt_allowed(struct db *db, enum stmt q)
{
	if ((unsigned)q >= STMT__MAX) {
		log_err("unknown statement %d", (int)q);
		return 0;
	}
	if (!(stmts[q].roles & RB(db->role))) {
		/* role: enum role (role.h); 0 is anonymous, ROLE_CLI the command-line tool */
		log_err("statement %d refused for role %d: %s", (int)q, (int)db->role, stmts[q].sql);
		return 0;
	}
	return 1;
}

/* Binds args and executes; on success *out is the executed statement. */
static int stmt_run(struct db *db, enum stmt q, const struct dbarg *args, size_t nargs,
                    MYSQL_STMT **out)
{
	char why[160];
	db->last_errno = 0;
	if (db_in_step(db) < 0 || !stmt_allowed(db, q))
		return -1;
	const char *sql = stmts[q].sql;
	if (nargs > DB_MAX_ARGS || db_args_fit(q, args, nargs, why, sizeof why) < 0) {
		log_err("%s: %s", nargs > DB_MAX_ARGS ? "too many parameters" : why, sql);
		return -1;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		if (db->my == NULL && db_connect(db) < 0)
			return -1;
		MYSQL_STMT *st = stmt_get(db, q);
		if (st == NULL) {
			unsigned e = db->last_errno ? db->last_errno : mysql_errno(db->my);
			db->last_errno = e;
			if (is_conn_lost(e) && attempt == 0 && !db->in_tx) {
				db_drop(db);
				continue;
			}
			return -1;
		}
		MYSQL_BIND bind[DB_MAX_ARGS];
		long long ints[DB_MAX_ARGS];
		char nulls[DB_MAX_ARGS];
		memset(bind, 0, sizeof bind[0] * (nargs ? nargs : 1));
		for (size_t i = 0; i < nargs; i++) {
			const struct dbarg *a = &args[i];
			nulls[i] = 0;
			switch (a->type) {
			case DBA_INT:
				ints[i] = a->i;
				bind[i].buffer_type = MYSQL_TYPE_LONGLONG;
				bind[i].buffer = &ints[i];
				break;
			case DBA_STR:
			case DBA_BLOB:
				bind[i].buffer_type = a->type == DBA_STR ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
				bind[i].buffer = (void *)a->s;
				bind[i].buffer_length = a->s == NULL ? 0 :
					a->type == DBA_STR ? strlen(a->s) : a->len;
				nulls[i] = a->s == NULL;
				bind[i].is_null = &nulls[i];
				break;
			case DBA_NULL:
				bind[i].buffer_type = MYSQL_TYPE_NULL;
				break;
			}
		}
		db->round_trips++;
		if ((nargs && mysql_stmt_bind_param(st, bind) != 0) || mysql_stmt_execute(st) != 0) {
			unsigned e = mysql_stmt_errno(st);
			db->last_errno = e;
			if (is_conn_lost(e) && attempt == 0 && !db->in_tx) {
				log_warn("database connection lost (%u), reconnecting", e);
				db_drop(db);
				continue;
			}
			/* Duplicate keys are an expected outcome for some callers. */
			if (e == 1062)
				log_info("duplicate key: %s", mysql_stmt_error(st));
			else
				log_err("execute failed (%u %s): %s", e, mysql_stmt_error(st), sql);
			if (is_conn_lost(e))
				db_drop(db);
			return -1;
		}
		db->last_errno = 0;
		*out = st;
		return 0;
	}
	return -1;
}

/* A CALL (sql/060_response_save.sql) ends with a status result after its
 * rows: read and drop whatever follows the first result, or the
 * connection would be out of step for the next statement. */
static void drain_results(MYSQL_STMT *st)
{
	while (mysql_stmt_more_results(st) && mysql_stmt_next_result(st) == 0)
		if (mysql_stmt_field_count(st) > 0 && mysql_stmt_store_result(st) == 0)
			mysql_stmt_free_result(st);
}

enum db_rc db_exec(struct db *db, enum stmt q, const struct dbarg *args, size_t nargs,
                   unsigned long long *affected, unsigned long long *insert_id)
{
	MYSQL_STMT *st;
	if (stmt_run(db, q, args, nargs, &st) < 0)
		return db->last_errno ? rc_of(db->last_errno) : DB_ERROR;
	if (affected)
		*affected = mysql_stmt_affected_rows(st);
	if (insert_id)
		*insert_id = mysql_stmt_insert_id(st);
	mysql_stmt_free_result(st);
	drain_results(st);
	return DB_OK;
}

/* The cells of a result live in one arena (rows->arena), not one
 * allocation each (issue 21 item 5: an export reads millions of cells).
 * While fetching, cells[] holds each cell's offset into the arena plus one
 * (0 for NULL), as the arena moves when it grows; cells_fix() turns the
 * offsets into pointers once every row is in. */
static char *arena_reserve(struct dbrows *rows, size_t *cap, size_t need)
{
	if (rows->arena_len + need > *cap) {
		size_t c = *cap ? *cap : 4096;
		while (c < rows->arena_len + need)
			c *= 2;
		rows->arena = xrealloc(rows->arena, c);
		*cap = c;
	}
	return rows->arena + rows->arena_len;
}

static void cells_fix(struct dbrows *rows)
{
	for (size_t i = 0; i < rows->nrows * rows->ncols; i++) {
		uintptr_t off = (uintptr_t)rows->cells[i];
		rows->cells[i] = off ? rows->arena + (off - 1) : NULL;
	}
}

/* One fetched row's cells into the arena (a truncated value, longer than
 * its column's max_length said, fetched whole). */
static void row_to_arena(MYSQL_STMT *st, struct dbrows *rows, size_t *cap, size_t r,
                         MYSQL_BIND *bind, const unsigned long *lens, const my_bool *isnull)
{
	for (unsigned c = 0; c < rows->ncols; c++) {
		size_t i = r * rows->ncols + c;
		if (isnull[c])
			continue;
		char *cell = arena_reserve(rows, cap, lens[c] + 1);
		if (lens[c] <= bind[c].buffer_length) {
			memcpy(cell, bind[c].buffer, lens[c]);
		} else {
			MYSQL_BIND one = bind[c];
			one.buffer = cell;
			one.buffer_length = lens[c];
			mysql_stmt_fetch_column(st, &one, c, 0);
		}
		cell[lens[c]] = '\0';
		rows->cells[i] = (char *)(uintptr_t)(rows->arena_len + 1);
		rows->lens[i] = lens[c];
		rows->arena_len += lens[c] + 1;
	}
}

static int fetch_rows(struct db *db, MYSQL_STMT *st, struct dbrows *rows)
{
	unsigned ncols = mysql_stmt_field_count(st);
	rows->ncols = ncols;
	if (ncols == 0)
		return 0;
	my_bool upd = 1;
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &upd);
	if (mysql_stmt_store_result(st) != 0) {
		db->last_errno = mysql_stmt_errno(st);
		db->desync = 1;
		log_err("store_result failed: %s", mysql_stmt_error(st));
		return -1;
	}
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	MYSQL_FIELD *fields = mysql_fetch_fields(meta);
	MYSQL_BIND *bind = xcalloc(ncols, sizeof *bind);
	unsigned long *lens = xcalloc(ncols, sizeof *lens);
	my_bool *isnull = xcalloc(ncols, sizeof *isnull);
	/* One buffer for the row, sliced per column. */
	size_t rowcap = 0, cap = 0;
	for (unsigned c = 0; c < ncols; c++)
		rowcap += fields[c].max_length + 1 < 32 ? 32 : fields[c].max_length + 1;
	char *rowbuf = xmalloc(rowcap), *p = rowbuf;
	for (unsigned c = 0; c < ncols; c++) {
		size_t w = fields[c].max_length + 1 < 32 ? 32 : fields[c].max_length + 1;
		bind[c].buffer_type = MYSQL_TYPE_STRING;   /* numbers as text: 32 leaves room */
		bind[c].buffer = p;
		bind[c].buffer_length = w;
		bind[c].length = &lens[c];
		bind[c].is_null = &isnull[c];
		p += w;
	}
	int rc = 0;
	size_t nrows = (size_t)mysql_stmt_num_rows(st), ncells = nrows * ncols;
	rows->cells = xcalloc(ncells ? ncells : 1, sizeof *rows->cells);
	rows->lens = xcalloc(ncells ? ncells : 1, sizeof *rows->lens);
	if (mysql_stmt_bind_result(st, bind) != 0) {
		log_err("bind_result failed: %s", mysql_stmt_error(st));
		rc = -1;
	}
	for (size_t r = 0; rc == 0 && r < nrows; r++) {
		int f = mysql_stmt_fetch(st);
		if (f == MYSQL_NO_DATA)
			break;
		if (f == 1) {
			log_err("fetch failed: %s", mysql_stmt_error(st));
			rc = -1;
			break;
		}
		row_to_arena(st, rows, &cap, r, bind, lens, isnull);
		rows->nrows = r + 1;
	}
	cells_fix(rows);
	free(rowbuf);
	free(bind);
	free(lens);
	free(isnull);
	mysql_free_result(meta);
	mysql_stmt_free_result(st);
	drain_results(st);
	return rc;
}

/* Does the text of a carried argument equal a (typed) argument? */
static int arg_same(const char *have, const struct dbarg *a)
{
	char n[24];
	switch (a->type) {
	case DBA_NULL:
		return have == NULL;
	case DBA_STR:
		return a->s == NULL ? have == NULL : have != NULL && strcmp(have, a->s) == 0;
	case DBA_INT:
		snprintf(n, sizeof n, "%lld", a->i);
		return have != NULL && strcmp(have, n) == 0;
	case DBA_BLOB:
		break;           /* never carried */
	}
	return 0;
}

/* A result of nrows x ncols laid out as fetch_rows lays one out: every
 * cell's bytes (and a NUL each) in one arena of `bytes`, so that
 * dbrows_free, which frees the arena and not the cells, frees it whole. */
static struct dbrows *rows_new(size_t nrows, size_t ncols, size_t bytes)
{
	struct dbrows *r = xcalloc(1, sizeof *r);
	size_t n = nrows * ncols;
	r->nrows = nrows;
	r->ncols = ncols;
	r->cells = xcalloc(n ? n : 1, sizeof *r->cells);
	r->lens = xcalloc(n ? n : 1, sizeof *r->lens);
	r->arena = xmalloc(bytes ? bytes : 1);
	return r;
}

/* Cell i of r := len bytes of v (NULL: SQL NULL), at the arena's end. */
static void rows_put(struct dbrows *r, size_t i, const char *v, size_t len)
{
	r->lens[i] = v ? len : 0;
	if (v == NULL)
		return;
	r->cells[i] = r->arena + r->arena_len;
	memcpy(r->cells[i], v, len);
	r->cells[i][len] = '\0';
	r->arena_len += len + 1;
}

/* Bytes an arena needs for the cells [first, first + ncols) of each row
 * of r (lengths plus a NUL each). */
static size_t cols_bytes(const struct dbrows *r, size_t first, size_t ncols)
{
	size_t bytes = 0;
	for (size_t row = 0; row < r->nrows; row++)
		for (size_t k = 0; k < ncols; k++)
			bytes += r->lens[row * r->ncols + first + k] + 1;
	return bytes;
}

/* The columns [first, first + ncols) of every row of r, in an arena of
 * their own (a carried result handed out, or a page's own rows). */
static struct dbrows *rows_cols(const struct dbrows *r, size_t first, size_t ncols)
{
	struct dbrows *c = rows_new(r->nrows, ncols, cols_bytes(r, first, ncols));
	for (size_t row = 0; row < r->nrows; row++)
		for (size_t k = 0; k < ncols; k++) {
			size_t from = row * r->ncols + first + k;
			rows_put(c, row * ncols + k, r->cells[from], r->lens[from]);
		}
	return c;
}

/* 1 with a copy of the rows in *out when this request's page statement
 * carried q for exactly these arguments (and the role may run q), else 0. */
static int carried_take(struct db *db, enum stmt q, const struct dbarg *args, size_t nargs,
                        struct dbrows **out)
{
	for (size_t i = 0; i < db->ncarried; i++) {
		const struct carried *c = &db->carried[i];
		size_t k = 0;
		if (c->q != q || c->nargs != nargs)
			continue;
		while (k < nargs && arg_same(c->args[k], &args[k]))
			k++;
		if (k < nargs)
			continue;
		if (!stmt_allowed(db, q))
			return 0;
		*out = rows_cols(c->rows, 0, c->rows->ncols);
		return 1;
	}
	return 0;
}

/* A carried result's rows from its JSON (dbjson.h), or NULL. */
static struct dbrows *rows_of_json(const char *json)
{
	struct jrows j;
	size_t n, bytes = 0;
	if (json_rows(json, 0, &j) < 0)
		return NULL;
	n = j.nrows * j.ncols;
	for (size_t i = 0; i < n; i++)
		bytes += j.cells[i] ? strlen(j.cells[i]) + 1 : 0;
	struct dbrows *r = rows_new(j.nrows, j.ncols, bytes);
	for (size_t i = 0; i < n; i++)
		rows_put(r, i, j.cells[i], j.cells[i] ? strlen(j.cells[i]) : 0);
	jrows_free(&j);
	return r;
}

/* The arguments (JSON) at column col of rows' first row, and rows itself
 * (the page's own rows), kept as what q returned. */
static int carry_own_rows(struct db *db, enum stmt q, const struct dbrows *rows, size_t col)
{
	size_t n = strlen(stmt_params[q]);
	struct carried c = { q, n, xcalloc(n ? n : 1, sizeof(char *)), NULL };
	if (db->ncarried == DB_CARRIED_MAX || json_row(dbrows_get(rows, 0, col), c.args, n) < 0) {
		free(c.args);
		return -1;
	}
	c.rows = rows_cols(rows, col + 1, rows->ncols > col + 1 ? rows->ncols - col - 1 : 0);
	db->carried[db->ncarried++] = c;
	return 0;
}

int db_carry(struct db *db, enum stmt page, const struct dbrows *row, size_t col)
{
	const enum stmt *list = (unsigned)page < STMT__MAX ? stmt_carries[page] : NULL;
	int rc = 0;
	if (row->nrows == 0)
		return 0;
	for (size_t i = 0; list && list[i] != STMT__MAX; i++, col += 2) {
		enum stmt q = list[i];
		size_t n = strlen(stmt_params[q]);
		struct carried c = { q, n, xcalloc(n ? n : 1, sizeof(char *)), NULL };
		int args_ok = db->ncarried < DB_CARRIED_MAX && json_row(dbrows_get(row, 0, col), c.args, n) == 0;
		if (args_ok && (c.rows = rows_of_json(dbrows_get(row, 0, col + 1))) != NULL) {
			db->carried[db->ncarried++] = c;
			continue;
		}
		/* Nothing is lost: the page's own query of q goes to the server. */
		log_err("statement %d: what it carried for statement %d is unreadable", (int)page, (int)q);
		for (size_t k = 0; args_ok && k < n; k++)
			free(c.args[k]);
		free(c.args);
		rc = -1;
	}
	if (stmt_carried_rows[page] != STMT_SESSION_GET && carry_own_rows(db, stmt_carried_rows[page], row, col) < 0) {
		log_err("statement %d: its own rows are unreadable", (int)page);
		rc = -1;
	}
	return rc;
}

enum db_rc db_query(struct db *db, enum stmt q, const struct dbarg *args, size_t nargs,
                    struct dbrows **out)
{
	MYSQL_STMT *st;
	*out = NULL;
	if (db->ncarried && carried_take(db, q, args, nargs, out))
		return DB_OK;
	if (stmt_run(db, q, args, nargs, &st) < 0)
		return db->last_errno ? rc_of(db->last_errno) : DB_ERROR;
	struct dbrows *rows = xcalloc(1, sizeof *rows);
	if (fetch_rows(db, st, rows) < 0) {
		dbrows_free(rows);
		mysql_stmt_free_result(st);
		return db->last_errno ? rc_of(db->last_errno) : DB_ERROR;
	}
	*out = rows;
	return DB_OK;
}

enum db_rc db_query_str(struct db *db, enum stmt q, const struct dbarg *args, size_t nargs,
                        char **out)
{
	struct dbrows *rows;
	enum db_rc rc;
	*out = NULL;
	if ((rc = db_query(db, q, args, nargs, &rows)) < 0)
		return rc;
	const char *v = rows->nrows && rows->ncols ? dbrows_get(rows, 0, 0) : NULL;
	if (v)
		*out = xstrdup(v);
	dbrows_free(rows);
	return DB_OK;
}

const char *dbrows_get(const struct dbrows *r, size_t row, size_t col)
{
	if (row >= r->nrows || col >= r->ncols)
		return NULL;
	return r->cells[row * r->ncols + col];
}

long long dbrows_int(const struct dbrows *r, size_t row, size_t col)
{
	const char *v = dbrows_get(r, row, col);
	return v ? strtoll(v, NULL, 10) : 0;
}

void dbrows_free(struct dbrows *r)
{
	if (r == NULL)
		return;
	free(r->arena);
	free(r->cells);
	free(r->lens);
	free(r);
}

/* Transaction control uses fixed literals (no data), so plain queries are fine. */
static int tx_query(struct db *db, const char *sql, int may_retry)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (db_in_step(db) < 0 || (db->my == NULL && db_connect(db) < 0))
			return -1;
		db->round_trips++;
		if (mysql_real_query(db->my, sql, strlen(sql)) == 0)
			return 0;
		unsigned e = mysql_errno(db->my);
		db->last_errno = e;
		if (is_conn_lost(e)) {
			db_drop(db);
			if (may_retry && attempt == 0)
				continue;
		}
		log_err("%s failed (%u)", sql, e);
		return -1;
	}
	return -1;
}

static int db_begin(struct db *db)
{
	if (tx_query(db, "START TRANSACTION", 1) < 0)
		return -1;
	db->in_tx = 1;
	return 0;
}

static int db_commit(struct db *db)
{
	int rc = tx_query(db, "COMMIT", 0);
	db->in_tx = 0;
	return rc;
}

static int db_rollback(struct db *db)
{
	if (db->desync) {
		db_drop(db);           /* the server rolls back (db_in_step) */
		return 0;
	}
	int rc = db->my ? tx_query(db, "ROLLBACK", 0) : -1;
	db->in_tx = 0;
	return rc;
}

int db_tx_restart(struct db *db)
{
	if (!db->in_tx)
		return -1;     /* only inside db_transaction's body */
	return db_rollback(db) < 0 || db_begin(db) < 0 ? -1 : 0;
}

/* Before attempt n (2, 3, ...): a random pause in [b, 2b) with b = 5 ms
 * doubled per attempt up to 320 ms (5, 10, 20, ... 320, 320 ...), so that
 * the transactions that collided do not collide again in step and a storm
 * (fifty submits of one region at once through two Galera nodes, whose
 * certification failures all arrive at COMMIT) thins out instead of
 * retrying in lockstep; the ten attempts of DB_TX_ATTEMPTS wait 1.3-2.6 s in
 * all. */
static void retry_pause(int n)
{
	unsigned char b = 0;
	random_bytes(&b, 1);
	long base = 5L << (n - 2 < 6 ? n - 2 : 6);
	long ms = base + base * b / 256;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

int db_transaction(struct db *db, db_tx_body body, void *ctx)
{
	for (int attempt = 1; ; attempt++) {
		db->last_errno = 0;
		int rc = db_begin(db);
		if (rc == 0) {
			rc = body(db, ctx, attempt);
			if (rc == 0) {
				if (db_commit(db) == 0)
					return 0;
				rc = -1;
			}
		}
		int conflict = rc < 0 && rc_of(db->last_errno) == DB_CONFLICT;
		unsigned e = db->last_errno;
		db_rollback(db);
		if (rc > 0)
			return rc;
		if (!conflict || attempt == DB_TX_ATTEMPTS) {
			if (conflict)
				log_err("transaction gave up after %d lock conflicts", attempt);
			return -1;
		}
		log_warn("lock conflict (%u), transaction retried (attempt %d)", e, attempt + 1);
		retry_pause(attempt + 1);
	}
}
