/*
 * log.c - line-oriented logging to stderr.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char log_prog[64] = "smesurvey";
static char log_reqid[17];

void log_init(const char *progname)
{
	snprintf(log_prog, sizeof log_prog, "%s", progname);
}

void log_set_request_id(const char *id)
{
	snprintf(log_reqid, sizeof log_reqid, "%s", id ? id : "");
}

static void log_line(const char *level, const char *fmt, va_list ap)
{
	char msg[1024], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	vsnprintf(msg, sizeof msg, fmt, ap);
	/* Newlines in a message would forge log lines: flatten them. */
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(stderr, "%s %s[%d] %s%s%s%s: %s\n", stamp, log_prog, (int)getpid(),
	        log_reqid[0] ? "req=" : "", log_reqid, log_reqid[0] ? " " : "", level, msg);
}

void log_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("error", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("warn", fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("info", fmt, ap);
	va_end(ap);
}
