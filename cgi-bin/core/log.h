/*
 * log.h - one line per event on stderr (spawn-fcgi/systemd capture it),
 * prefixed with program name and the current request id.
 */
#ifndef SME_LOG_H
#define SME_LOG_H

void log_init(const char *progname);
void log_set_request_id(const char *id);    /* NULL clears it */
void log_err(const char *fmt, ...)  __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
