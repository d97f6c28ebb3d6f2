/*
 * hostcheck.c - the hosts of a cluster agreeing on the secrets and the
 * upload folder (hostcheck.h). Each value is one row of host_agreement,
 * written by INSERT IGNORE, so of two hosts checking at once one records
 * and both compare with what was recorded.
 */
#include "hostcheck.h"
#include "conf.h"
#include "db.h"
#include "log.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROBE_HEX 32   /* hex digits of a probe's random name */

/* A SHA-256 fingerprint of the secrets every host must share: the codes'
 * and, when set, the paradata's (a network hashed on two hosts with two
 * keys would count as two networks). Stored and compared; the secrets never
 * are. The paradata part is left out when unset so that fingerprints
 * recorded before it existed still match. */
static void secret_fingerprint(const struct conf *c, char out[65])
{
	struct buf b = { 0 };
	unsigned char h[32];
	buf_printf(&b, "smesurvey code_secret fingerprint:%s", c->code_secret ? c->code_secret : "");
	if (c->paradata_secret && c->paradata_secret[0])
		buf_printf(&b, " paradata_secret:%s", c->paradata_secret);
	sha256(b.data, b.len, h);
	buf_free(&b);
	hex_encode(h, sizeof h, out);
}

/* The recorded row of name: value, set_by, set_at; *rows NULL-free on 0. */
static int agreement_get(struct db *db, const char *name, struct dbrows **rows)
{
	return db_query(db, STMT_AGREEMENT_GET, DB_ARGS(A_STR(name)), rows);
}

/* Records value unless a value is there; then reads what is recorded. */
static int agreement_settle(struct db *db, const char *name, const char *value, const char *host,
                            struct dbrows **rows)
{
	if (db_exec(db, STMT_AGREEMENT_RECORD, DB_ARGS(A_STR(name), A_STR(value), A_STR(host)),
	            NULL, NULL) < 0)
		return -1;
	if (agreement_get(db, name, rows) < 0)
		return -1;
	if ((*rows)->nrows == 1)
		return 0;
	dbrows_free(*rows);
	return -1;
}

int hostcheck_secret(struct db *db, const struct conf *c, const char *host, char *why, size_t n)
{
	char fp[65];
	struct dbrows *rows;
	secret_fingerprint(c, fp);
	if (agreement_settle(db, "code_secret", fp, host, &rows) < 0) {
		snprintf(why, n, "cannot read host_agreement (run smesurvey-setup migrate)");
		return -1;
	}
	int same = strcmp(dbrows_get(rows, 0, 0), fp) == 0;
	if (same)
		snprintf(why, n, "fingerprint %.12s... as recorded by %s", fp, dbrows_get(rows, 0, 1));
	else
		snprintf(why, n, "this host's code_secret or paradata_secret differs from the ones %s recorded on %s: "
		         "copy both from a running host's configuration (or, after changing it on "
		         "every host on purpose, run check --adopt)", dbrows_get(rows, 0, 1), dbrows_get(rows, 0, 2));
	dbrows_free(rows);
	return same;
}

static void probe_path(const char *dir, const char *value, char *path, size_t n)
{
	snprintf(path, n, "%s/.probe-%s", dir, value);
}

/* Writes the probe file named and filled by value. 0 or -1 (why). */
static int probe_write(const char *dir, const char *value, char *why, size_t n)
{
	char path[4096];
	probe_path(dir, value, path, sizeof path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(why, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	ssize_t w = write(fd, value, strlen(value));
	if (close(fd) < 0 || w != (ssize_t)strlen(value)) {
		snprintf(why, n, "%s: cannot write", path);
		unlink(path);
		return -1;
	}
	return 0;
}

/* 1 when dir holds the probe of value with value in it, else 0. */
static int probe_seen(const char *dir, const char *value)
{
	char path[4096], got[PROBE_HEX + 2] = { 0 };
	probe_path(dir, value, path, sizeof path);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	ssize_t r = read(fd, got, sizeof got - 1);
	close(fd);
	return r == (ssize_t)strlen(value) && memcmp(got, value, (size_t)r) == 0;
}

static int new_probe(char out[PROBE_HEX + 1])
{
	unsigned char raw[PROBE_HEX / 2];
	if (random_bytes(raw, sizeof raw) < 0)
		return -1;
	hex_encode(raw, sizeof raw, out);
	return 0;
}

int hostcheck_uploads(struct db *db, const struct conf *c, const char *host, char *why, size_t n)
{
	char mine[PROBE_HEX + 1], path[4096];
	struct dbrows *rows;
	if (agreement_get(db, "upload_probe", &rows) < 0) {
		snprintf(why, n, "cannot read host_agreement (run smesurvey-setup migrate)");
		return -1;
	}
	if (rows->nrows == 0) {
		dbrows_free(rows);
		if (new_probe(mine) < 0 || probe_write(c->upload_dir, mine, why, n) < 0)
			return -1;
		if (agreement_settle(db, "upload_probe", mine, host, &rows) < 0) {
			snprintf(why, n, "cannot record the upload probe");
			return -1;
		}
		/* Another host recorded its probe first: ours is not needed. */
		if (strcmp(dbrows_get(rows, 0, 0), mine) != 0) {
			probe_path(c->upload_dir, mine, path, sizeof path);
			unlink(path);
		}
	}
	int seen = probe_seen(c->upload_dir, dbrows_get(rows, 0, 0));
	if (seen)
		snprintf(why, n, "%s is the shared folder (it holds the probe %s wrote)", c->upload_dir,
		         dbrows_get(rows, 0, 1));
	else
		snprintf(why, n, "%s is not the folder the other hosts share: it lacks .probe-%s, which %s "
		         "wrote there on %s. Mount the shared folder at upload_dir (or, after moving the "
		         "files on purpose, run check --adopt)", c->upload_dir, dbrows_get(rows, 0, 0),
		         dbrows_get(rows, 0, 1), dbrows_get(rows, 0, 2));
	dbrows_free(rows);
	return seen;
}

int hostcheck_adopt(struct db *db, const struct conf *c, const char *host, char *why, size_t n)
{
	char fp[65], probe[PROBE_HEX + 1];
	secret_fingerprint(c, fp);
	if (new_probe(probe) < 0 || probe_write(c->upload_dir, probe, why, n) < 0)
		return -1;
	if (db_exec(db, STMT_AGREEMENT_REPLACE, DB_ARGS(A_STR("code_secret"), A_STR(fp), A_STR(host)),
	            NULL, NULL) < 0 ||
	    db_exec(db, STMT_AGREEMENT_REPLACE, DB_ARGS(A_STR("upload_probe"), A_STR(probe), A_STR(host)),
	            NULL, NULL) < 0) {
		snprintf(why, n, "cannot write host_agreement");
		return -1;
	}
	snprintf(why, n, "this host's code_secret fingerprint and upload folder %s are now the ones "
	         "every host must agree with", c->upload_dir);
	return 0;
}
