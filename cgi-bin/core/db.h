/*
 * db.h - MariaDB access through prepared statements only.
 *
 * Callers name a statement of the one statement table (enum stmt in
 * stmts.h, the SQL in stmts.c); no SQL text is written anywhere else. Each statement is prepared lazily, once per connection,
 * and kept prepared in an array indexed by the enum. The handle knows the role of the current
 * request (db_set_role: ROLE_NONE until the session is checked, ROLE_CLI in
 * smesurvey-admin) and refuses a statement whose role mask excludes it.
 * All result columns are fetched as strings. When the server has gone away
 * (restart, wait_timeout) and no transaction is open, the connection is
 * re-established and the statement retried once.
 *
 * No function returns with a transaction open: it either runs its own
 * from begin to commit, or documents "inside an open transaction" and
 * leaves begin and commit/rollback to its caller.
 *
 *   struct dbrows *rows;
 *   if (db_query(db, STMT_REGION_NAME, DB_ARGS(A_STR(code)), &rows) == 0) {
 *           for (size_t i = 0; i < rows->nrows; i++)
 *                   use(dbrows_get(rows, i, 0));
 *           dbrows_free(rows);
 *   }
 */
#ifndef SME_DB_H
#define SME_DB_H

#include <stddef.h>

#include "role.h"
#include "stmts.h"   /* enum stmt */

struct conf;
struct db;

enum dbarg_type { DBA_NULL, DBA_STR, DBA_INT, DBA_BLOB };

struct dbarg {
	enum dbarg_type type;
	const char     *s;     /* DBA_STR (NUL-terminated; NULL binds SQL NULL) / DBA_BLOB */
	size_t          len;   /* DBA_BLOB only */
	long long       i;     /* DBA_INT */
};

#define A_STR(x)     ((struct dbarg){ .type = DBA_STR, .s = (x) })
#define A_INT(x)     ((struct dbarg){ .type = DBA_INT, .i = (long long)(x) })
#define A_BLOB(p, n) ((struct dbarg){ .type = DBA_BLOB, .s = (const char *)(p), .len = (n) })
#define A_NULL       ((struct dbarg){ .type = DBA_NULL })
/* Expands to "array, count" for db_exec/db_query. */
#define DB_ARGS(...) ((const struct dbarg[]){ __VA_ARGS__ }), \
	(sizeof((const struct dbarg[]){ __VA_ARGS__ }) / sizeof(struct dbarg))
#define DB_NOARGS    NULL, 0

struct dbrows {
	size_t   nrows;
	size_t   ncols;
	char   **cells;   /* nrows * ncols; NULL for SQL NULL */
	size_t  *lens;    /* byte length of each cell */
	char    *arena;   /* every cell's bytes, one allocation (db.c) */
	size_t   arena_len;
};

/* Connects using c; returns NULL (logged) when the server is unreachable.
 * The handle reconnects by itself later, so a worker can start before the DB. */
struct db  *db_open(const struct conf *c);
void        db_close(struct db *db);

/* The role whose statements may run from now on (stmts[].roles). */
void db_set_role(struct db *db, enum role role);

/* What a statement came to, as a value (issue 17, item 6): callers name
 * the outcome they expect instead of comparing MariaDB's error numbers.
 * Every failure is negative, so "< 0" still reads "failed". */
enum db_rc {
	DB_OK        = 0,
	DB_ERROR     = -1,  /* anything else: logged once, with the SQL */
	DB_DUPLICATE = -2,  /* a unique key holds the value already (1062) */
	DB_CONFLICT  = -3,  /* deadlock or lock-wait timeout (1213, 1205): the
	                       transaction may be run again (db_transaction does) */
	DB_NO_PARENT = -4   /* a foreign key names a row that is not there (1452) */
};

/* Both return DB_OK or a failure; DB_ERROR also when the current role may
 * not run q or the arguments do not match the statement's declared
 * parameters (stmt_params, logged, nothing sent). */
enum db_rc db_exec(struct db *db, enum stmt q, const struct dbarg *args, size_t nargs,
                   unsigned long long *affected, unsigned long long *insert_id);
enum db_rc db_query(struct db *db, enum stmt q, const struct dbarg *args, size_t nargs,
                    struct dbrows **out);
/* Convenience: first column of first row into a malloc'd string (*out = NULL
 * when there is no row). Returns DB_OK or a failure. */
enum db_rc db_query_str(struct db *db, enum stmt q, const struct dbarg *args, size_t nargs,
                        char **out);
/* The outcome of the last statement (DB_OK when it succeeded). */
enum db_rc db_last(const struct db *db);
/* 0 when args fit stmt_params[q] (count and types; A_NULL fits any type),
 * else -1 with the reason in why. db_exec/db_query refuse a misfit; the
 * unit tests check the table itself. */
int  db_args_fit(enum stmt q, const struct dbarg *args, size_t nargs, char *why, size_t whysz);

const char *dbrows_get(const struct dbrows *r, size_t row, size_t col);
long long   dbrows_int(const struct dbrows *r, size_t row, size_t col);  /* 0 for NULL */
void        dbrows_free(struct dbrows *r);

/* Transactions: only through db_transaction (begin, commit and rollback
 * are db.c's own; tests/build/40-params-db.t fails on them anywhere else),
 * so every one is retried alike. */
/* Runs body inside a transaction of its own: begin, body, commit. When a
 * statement of the body (or the commit) fails with a deadlock (1213) or a
 * lock-wait timeout (1205), the transaction is rolled back and run again
 * from the start, after a short random wait (jitter, growing with each
 * attempt), at most DB_TX_ATTEMPTS times in all; only then is the error
 * reported. So body must do nothing that cannot be repeated, or keep
 * such work in ctx across attempts (attempt is 1 on the first run).
 * body returns 0 to commit, > 0 to roll back without error (an outcome the
 * caller reads from ctx), < 0 on error. Returns 0 committed, the body's
 * positive value (rolled back), or -1 (rolled back). */
/* 10: on a Galera cluster a certification conflict (two nodes committing
 * the same counter row, issue 22) also arrives as 1213; 50 submits of one
 * region in the same second through two nodes exhausted 5 attempts for a
 * few of them (tests/e2e/27-concurrent-saves.t under make test-cluster). */
#define DB_TX_ATTEMPTS 10
typedef int (*db_tx_body)(struct db *db, void *ctx, int attempt);
int  db_transaction(struct db *db, db_tx_body body, void *ctx);
/* Inside a db_transaction body only: rolls back what the body did so far
 * and starts the transaction again (response_lock: a first save releases
 * the gap lock of its locking read before inserting). 0 or -1. */
int  db_tx_restart(struct db *db);

/* One round trip per page (issue 21, item 1). A page's statement
 * (stmts.c: its session check and what the page shows) carries the
 * results of other statements of the table (stmt_carries[page]), each as
 * two JSON columns from column col on: the arguments it was computed for
 * and its rows. db_carry keeps them for the request; db_query of one of
 * those statements with exactly those arguments then answers from them
 * without a round trip (any other arguments go to the server as ever), so
 * the page's code reads its data as it always did. A statement carried as
 * the page's own rows (stmt_carried_rows) is kept likewise. Kept until
 * db_round_trips_reset (the next request). 0, or -1 when something carried
 * was unreadable (logged; that statement is then simply run). */
int  db_carry(struct db *db, enum stmt page, const struct dbrows *row, size_t col);

/* Statements sent to the server (executes, prepares, BEGIN/COMMIT/ROLLBACK)
 * since the last reset, *prepares (when not NULL) of them prepares (once
 * per statement and connection): app.c resets it per request and, with
 * count_round_trips = 1, reports it (X-DB-Round-Trips, issue 13 item 5). */
unsigned long db_round_trips(const struct db *db, unsigned long *prepares);
void          db_round_trips_reset(struct db *db);

/* MariaDB error number of the last failed call, for the unit tests of
 * the handle itself; callers use the enum db_rc values. */
unsigned db_errno(const struct db *db);

#endif
