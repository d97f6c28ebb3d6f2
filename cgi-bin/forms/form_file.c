/*
 * form_file.c - serving a stored upload back to a browser (the respondent's
 * own file on the form pages; administrators' pages call the same function).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "conf.h"
#include "fileio.h"
#include "form_int.h"
#include "form.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "util.h"

void form_ext_text(const struct field *fd, struct buf *out)
{
	const struct frule *r = form_ext_rule(fd);
	for (size_t e = 0; r && e < r->next; e++) {
		if (e)
			buf_puts(out, e + 1 == r->next ? " 或 " : "、");
		for (const char *c = r->ext[e]; *c; c++)
			buf_putc(out, (char)toupper((unsigned char)*c));
	}
}

int form_send_upload(struct req *r, const char *value)
{
	const char *hex, *name;
	char path[4096];
	struct stat st;
	int fd;
	size_t got = 0;
	char *data = NULL;

	if (!value || form_file_value(value, &hex, &name) < 0) {
		page_error(r, 404, MSG_NO_UPLOAD);
		return -1;
	}
	/* hex is checked to be 64 hex digits, so the path stays in upload_dir. */
	if ((size_t)snprintf(path, sizeof path, "%s/%.64s", r->conf->upload_dir, hex) >= sizeof path) {
		page_error(r, 500, "系统错误。");
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		log_err("upload %s: %s", path, strerror(errno));
		page_error(r, 404, MSG_NO_UPLOAD);
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (unsigned long long)st.st_size > (1ULL << 30))
		goto unreadable;
	data = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != (size_t)st.st_size) {
		log_err("upload %s: short read", path);
		goto unreadable;
	}
	close(fd);
	buf_reset(&r->body);
	buf_put(&r->body, data, got);
	free(data);
	resp_header(r, "Content-Type", upload_content_type((const unsigned char *)r->body.data, got, name));
	resp_attachment(r, name);
	return 0;
unreadable:
	close(fd);
	free(data);
	page_error(r, 500, MSG_FILE_UNREADABLE);
	return -1;
}
