/*
 * form_upload.c - an uploaded file checked (type by content, a workbook's
 * or document's main part) and stored by content. A file of its own so
 * that only the programs that take uploads (the questionnaires) link
 * libzip (tests/build/45-links.t); form_store.o is linked by the programs
 * that read responses too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "db.h"
#include "fileio.h"
#include "form.h"
#include "form_int.h"
#include "http.h"
#include "log.h"
#include "paradata.h"
#include "util.h"
#include "valid.h"

/* ------------------------------------------------------------------ */
/* Uploads                                                             */

/* Stores data as dir/<hex> (content-addressed, so the same bytes stored
 * before are already there). Returns 0 or -1 (logged). */
static int store_blob(const char *dir, const char *hex, const void *data, size_t n)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, hex) >= sizeof path)
		return -1;
	if (access(path, F_OK) == 0)
		return 0;
	return file_write_durable(path, data, n, 0640);
}

/* "<why>，请上传 PDF、DOC、DOCX 或 WPS 文件" from the field's ext: rule. */
static const char *types_message(const struct field *fd, const char *why, char *msg, size_t n)
{
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "%s，请上传 ", why);
	form_ext_text(fd, &b);
	buf_puts(&b, " 文件");
	snprintf(msg, n, "%s", b.data);
	buf_free(&b);
	return msg;
}

const char *form_store_upload(const struct conf *c, const struct field *fd,
                              const struct param *p, char **value)
{
	static char msg[320];
	const char *dot;
	char ext[16], hex[65];
	unsigned char digest[32];
	const struct frule *extrule;
	const struct upload_type *type;
	int allowed = 0;
	char *name;
	struct buf b;

	*value = NULL;
	if (!p || !p->filename || !*p->filename)
		return "请选择要上传的文件";
	if (p->len == 0 && !p->too_large)
		return "上传的文件是空的";
	if (p->too_large || (c->max_upload > 0 && p->len > (size_t)c->max_upload)) {
		snprintf(msg, sizeof msg, "文件过大（不能超过 %ld MB）", c->max_upload / (1024 * 1024));
		return msg;
	}
	dot = strrchr(p->filename, '.');
	extrule = form_ext_rule(fd);
	if (!dot || strlen(dot + 1) == 0 || strlen(dot + 1) >= sizeof ext)
		return types_message(fd, "无法识别文件类型", msg, sizeof msg);
	for (size_t i = 0; dot[1 + i]; i++)
		ext[i] = (char)((dot[1 + i] >= 'A' && dot[1 + i] <= 'Z') ? dot[1 + i] + 32 : dot[1 + i]);
	ext[strlen(dot + 1)] = 0;
	/* The codebook's ext: rule is the one list of accepted types. */
	for (size_t e = 0; extrule && e < extrule->next; e++)
		if (!strcmp(ext, extrule->ext[e]))
			allowed = 1;
	if (!allowed)
		return types_message(fd, "不接受这种文件类型", msg, sizeof msg);
	type = upload_type_of(ext);
	if (!type || file_magic(p->value, p->len) != type->magic)
		return "文件内容与扩展名不符，请上传有效的文档";
	/* A zip is an .xlsx or a .docx only with its main part: a renamed
	 * .docx, or any zip, is not stored as a workbook. */
	if (type->member && !zip_has_entry(p->value, p->len, type->member)) {
		snprintf(msg, sizeof msg, "文件内容与扩展名不符：扩展名是 .%s，但文件不是 %s（可能是改了扩展名的其他文档或压缩包），"
		         "请上传有效的文档", ext, type->label);
		return msg;
	}
	sha256(p->value, p->len, digest);
	hex_encode(digest, 32, hex);
	if (store_blob(c->upload_dir, hex, p->value, p->len) < 0)
		return "文件保存失败，请稍后重试";
	buf_init(&b);
	buf_printf(&b, "upload.%s", ext);
	name = upload_filename(p->filename, b.data);
	buf_reset(&b);
	buf_printf(&b, "sha256:%s:%s", hex, name);
	free(name);
	*value = buf_steal(&b);
	return NULL;
}

