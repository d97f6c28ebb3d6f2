/*
 * hostcheck.h - what the application hosts of one installation must agree
 * on (issue 22, item 1): the code_secret invitation codes are derived from
 * and the upload folder. `smesurvey-admin check` calls these; the first
 * host to run it records its values in host_agreement (sql/050), every
 * later one is compared with them.
 *
 * Session and CSRF tokens need no shared secret: a session is a random
 * token whose hash is stored in MariaDB, and the CSRF token is derived from
 * it (auth.c), so any host checks them alike.
 */
#ifndef SME_HOSTCHECK_H
#define SME_HOSTCHECK_H

#include <stddef.h>

struct conf;
struct db;

/* 1 when this host's code_secret has the recorded fingerprint (recording
 * it when none is), 0 when it differs (why says so), -1 database error. */
int hostcheck_secret(struct db *db, const struct conf *c, const char *host, char *why, size_t n);

/* 1 when upload_dir holds the probe file the first host wrote into the
 * shared folder (writing and recording one when none is), 0 when it does
 * not (another folder: why says so), -1 database or file error. */
int hostcheck_uploads(struct db *db, const struct conf *c, const char *host, char *why, size_t n);

/* Records this host's fingerprint and a new probe file as the ones every
 * host must agree with (after moving the files or changing the secret on
 * purpose, on every host). 0 or -1 (why says why). */
int hostcheck_adopt(struct db *db, const struct conf *c, const char *host, char *why, size_t n);

#endif
