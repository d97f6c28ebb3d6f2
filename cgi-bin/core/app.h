/*
 * app.h - the FastCGI accept loop every program runs.
 *
 * app_run() loads the config, opens the database, then for each request:
 * decodes input (bounded by max_body), loads the session, calls handler,
 * and sends the buffered response. Handlers never touch FastCGI directly.
 */
#ifndef SME_APP_H
#define SME_APP_H

struct req;
typedef void (*app_handler)(struct req *r);

int app_run(const char *progname, app_handler handler);

#endif
