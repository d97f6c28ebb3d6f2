/*
 * bench/ceiling.c - the ceilings `make bench` measures the product's pages
 * against (issue 13, item 6), in the same run behind the same nginx with the
 * same number of workers. One libfcgi responder, three modes (argv[1]):
 *
 *   hello   a 4 KiB page and nothing else
 *   select  the same plus one prepared primary-key SELECT (users.id = 1)
 *   insert  the same plus one prepared INSERT, autocommit, durable as the
 *           stack runs InnoDB (flush at every commit), into bench_ceiling,
 *           a table scripts/bench creates for the run and drops after
 *
 * It is a measuring instrument, not part of the product: its two SQL
 * statements are its own (scripts/check-sql checks cgi-bin/ only), and it
 * reads only the database settings of $SMESURVEY_CONF (core/conf.h).
 */
#include "conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <mysql.h>

enum mode { HELLO, SELECT, INSERT };

#define PAGE_BYTES 4096

static MYSQL *connect_db(const struct conf *c)
{
	MYSQL *my = mysql_init(NULL);
	const char *sock = c->db_socket[0] ? c->db_socket : NULL;
	if (!my)
		return NULL;
	mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (!mysql_real_connect(my, sock ? NULL : c->db_host, c->db_user, c->db_password, c->db_name,
	                        sock ? 0 : c->db_port, sock, 0)) {
		fprintf(stderr, "ceiling: cannot connect: %s\n", mysql_error(my));
		mysql_close(my);
		return NULL;
	}
	return my;
}

static MYSQL_STMT *prepare(MYSQL *my, const char *sql)
{
	MYSQL_STMT *st = mysql_stmt_init(my);
	if (st && mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		fprintf(stderr, "ceiling: prepare: %s\n", mysql_stmt_error(st));
		mysql_stmt_close(st);
		return NULL;
	}
	return st;
}

/* One primary-key row: its username into name. */
static int run_select(MYSQL_STMT *st, char *name, size_t namesz)
{
	long long id = 1;
	unsigned long len = 0;
	MYSQL_BIND in = { 0 }, out = { 0 };
	int rc = -1;
	in.buffer_type = MYSQL_TYPE_LONGLONG;
	in.buffer = &id;
	out.buffer_type = MYSQL_TYPE_STRING;
	out.buffer = name;
	out.buffer_length = namesz - 1;
	out.length = &len;
	if (mysql_stmt_bind_param(st, &in) == 0 && mysql_stmt_execute(st) == 0 &&
	    mysql_stmt_store_result(st) == 0 && mysql_stmt_bind_result(st, &out) == 0) {
		int f = mysql_stmt_fetch(st);
		if (f == 0 || f == MYSQL_DATA_TRUNCATED) {
			name[len < namesz - 1 ? len : namesz - 1] = '\0';
			rc = 0;
		}
	}
	mysql_stmt_free_result(st);
	return rc;
}

static int run_insert(MYSQL_STMT *st)
{
	static const char v[] = "ceiling";
	MYSQL_BIND in = { 0 };
	in.buffer_type = MYSQL_TYPE_STRING;
	in.buffer = (void *)v;
	in.buffer_length = sizeof v - 1;
	return mysql_stmt_bind_param(st, &in) == 0 && mysql_stmt_execute(st) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	static struct conf conf;
	enum mode mode = argc > 1 && !strcmp(argv[1], "select") ? SELECT :
	                 argc > 1 && !strcmp(argv[1], "insert") ? INSERT : HELLO;
	MYSQL *my = NULL;
	MYSQL_STMT *st = NULL;
	char page[PAGE_BYTES + 1], name[128] = "";
	FCGX_Request fr;

	if (mode != HELLO) {
		if (conf_load(&conf, NULL) < 0 || !(my = connect_db(&conf)))
			return 1;
		st = prepare(my, mode == SELECT ? "SELECT username FROM users WHERE id = ?"
		                                : "INSERT INTO bench_ceiling (v) VALUES (?)");
		if (!st)
			return 1;
	}
	if (FCGX_Init() != 0)
		return 1;
	FCGX_InitRequest(&fr, 0, 0);
	while (FCGX_Accept_r(&fr) >= 0) {
		int ok = mode == SELECT ? run_select(st, name, sizeof name) == 0 :
		         mode == INSERT ? run_insert(st) == 0 : 1;
		int n = snprintf(page, sizeof page, "<!doctype html><title>ceiling</title><p>%s %s</p>",
		                 ok ? "ok" : "error", name);
		memset(page + n, ' ', PAGE_BYTES - (size_t)n);
		page[PAGE_BYTES] = '\0';
		FCGX_FPrintF(fr.out, "Status: %s\r\nContent-Type: text/html; charset=utf-8\r\n"
		             "Cache-Control: no-store\r\nContent-Length: %d\r\n\r\n",
		             ok ? "200 OK" : "503 Service Unavailable", PAGE_BYTES);
		FCGX_PutStr(page, PAGE_BYTES, fr.out);
		FCGX_Finish_r(&fr);
	}
	if (st)
		mysql_stmt_close(st);
	if (my)
		mysql_close(my);
	return 0;
}
