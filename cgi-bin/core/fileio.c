/*
 * fileio.c - durable writes and magic bytes (fileio.h).
 */
#include "fileio.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Writes all n bytes to fd, retrying on EINTR. Returns 0 or -1. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* fsync of the directory holding path, so that a rename into it survives
 * a crash. */
static int sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd, rc;

	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if ((size_t)(slash - path) >= sizeof dir)
		return -1;
	else
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int file_write_durable(const char *path, const void *data, size_t n, mode_t mode)
{
	char tmp[4200];
	int fd, closed;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid()) >= sizeof tmp) {
		log_err("write %s: path too long", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		log_err("cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_all(fd, data, n) < 0 || fsync(fd) < 0) {
		log_err("write %s: %s", tmp, strerror(errno));
		goto fail;
	}
	closed = close(fd);
	fd = -1;
	if (closed < 0) {
		log_err("close %s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		log_err("rename %s: %s", tmp, strerror(errno));
		goto fail;
	}
	/* Renamed: the file is in place, only its directory entry may not
	 * be on disk yet; nothing to take back. */
	if (sync_dir(path) < 0) {
		log_err("sync directory of %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);     /* a half-written file never stays */
	return -1;
}

enum file_magic file_magic(const void *data, size_t n)
{
	static const unsigned char ole2[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	const unsigned char *p = data;

	if (n >= 5 && !memcmp(p, "%PDF-", 5))
		return FM_PDF;
	if (n >= 8 && !memcmp(p, ole2, 8))
		return FM_OLE2;
	if (n >= 4 && !memcmp(p, "PK\x03\x04", 4))
		return FM_ZIP;
	return FM_UNKNOWN;
}
