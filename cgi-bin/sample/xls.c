/*
 * xls.c - the first worksheet of an .xls workbook as a frame table, read
 * by FreeXL in a limited child process (see xls.h).
 */
#include "xls.h"
#include "table.h"
#include "xlsx.h"
#include "util.h"

#include <errno.h>
#include <freexl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* The text of a cell into tmp (or pointing into FreeXL's memory); "" when
 * empty. */
static const char *cell_text(const FreeXL_CellValue *v, char *tmp, size_t tmpsz)
{
	switch (v->type) {
	case FREEXL_CELL_INT:
		snprintf(tmp, tmpsz, "%d", v->value.int_value);
		return tmp;
	case FREEXL_CELL_DOUBLE:
		/* A phone or a code typed as a number is an integer: no exponent. */
		if (fabs(v->value.double_value) < 1e15 && v->value.double_value == floor(v->value.double_value))
			snprintf(tmp, tmpsz, "%.0f", v->value.double_value);
		else
			snprintf(tmp, tmpsz, "%.15g", v->value.double_value);
		return tmp;
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:
	case FREEXL_CELL_TIME:
		return v->value.text_value ? v->value.text_value : "";
	default:
		return "";
	}
}

/* Row r (0-based) of the active sheet into t, when it has any text.
 * 0, or -1 with err. */
static int read_row(const void *h, unsigned r, unsigned cols, struct frame_table *t, char *err, size_t errsz)
{
	char *cells[FRAME_ROW_CELLS] = { 0 }, tmp[64];
	size_t n = 0;
	for (unsigned c = 0; c < cols; c++) {
		FreeXL_CellValue v;
		if (freexl_get_cell_value(h, r, (unsigned short)c, &v) != FREEXL_OK)
			continue;
		const char *s = cell_text(&v, tmp, sizeof tmp);
		if (!*s)
			continue;
		if (c >= FRAME_ROW_CELLS || strlen(s) > XLSX_MAX_CELL || !utf8_valid(s, strlen(s))) {
			if (c >= FRAME_ROW_CELLS)
				snprintf(err, errsz, "第 %u 行在第 %u 列之后还有内容，请删去多余的列", r + 1, FRAME_ROW_CELLS);
			else
				snprintf(err, errsz, "第 %u 行有单元格内容过长（最多 %u 字节）或无效的文字", r + 1, XLSX_MAX_CELL);
			for (size_t k = 0; k < n; k++)
				free(cells[k]);
			return -1;
		}
		for (; n < c; n++)
			cells[n] = xstrdup("");
		cells[n++] = xstrdup(s);
	}
	if (n == 0)
		return 0;                  /* an empty row is no row */
	char **row = xcalloc(n, sizeof *row);
	memcpy(row, cells, n * sizeof *row);
	if (frame_table_add(t, r + 1, row, n) < 0) {
		frame_over_msg(t->over, err, errsz);
		return -1;
	}
	return 0;
}

int xls_read_file(const char *path, struct frame_table *t, char *err, size_t errsz)
{
	const void *h = NULL;
	unsigned rows = 0, info = 0;
	unsigned short cols = 0;
	int rc = -1;

	memset(t, 0, sizeof *t);
	if (freexl_open(path, &h) != FREEXL_OK) {
		snprintf(err, errsz, "不是有效的 Excel（.xls）文件，或文件已损坏");
		goto out;
	}
	if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info == FREEXL_BIFF_OBFUSCATED) {
		snprintf(err, errsz, "文件设置了密码，请取消密码后重新上传");
		goto out;
	}
	if (freexl_select_active_worksheet(h, 0) != FREEXL_OK ||
	    freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
		snprintf(err, errsz, "无法读取 Excel 文件的第一个工作表");
		goto out;
	}
	for (unsigned r = 0; r < rows; r++)
		if (read_row(h, r, cols, t, err, errsz) < 0)
			goto out;
	rc = 0;
out:
	if (h)
		freexl_close(h);
	if (rc < 0)
		frame_table_free(t);
	return rc;
}

/* Writes all of b to fd. */
static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* The child: limits, FreeXL, the table (or "!message") down the pipe. */
static void child_run(const char *path, int fd)
{
	struct rlimit cpu = { XLS_CHILD_CPU, XLS_CHILD_CPU + 1 };
	setrlimit(RLIMIT_CPU, &cpu);
#if !defined(__SANITIZE_ADDRESS__)
	/* The worker's own address space plus XLS_CHILD_MEM (ASan reserves
	 * terabytes of shadow, so its builds keep only the CPU limit). */
	long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	rlim_t as = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + XLS_CHILD_MEM;
	struct rlimit mem = { as, as };
	setrlimit(RLIMIT_AS, &mem);
#endif
	struct frame_table t;
	char err[240];
	struct buf b = { 0 };
	if (xls_read_file(path, &t, err, sizeof err) < 0) {
		buf_putc(&b, '!');
		buf_puts(&b, err);
	} else {
		buf_putc(&b, '=');
		frame_table_encode(&t, &b);
	}
	write_all(fd, b.data, b.len);
	_exit(0);
}

/* Everything the child writes, at most cap bytes (more: -1). */
static int read_all(int fd, struct buf *b, size_t cap)
{
	char chunk[65536];
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -1 : 0;
		if (b->len + (size_t)got > cap)
			return -1;
		buf_put(b, chunk, (size_t)got);
	}
}

/* The child's answer into t, or its refusal into err. */
static int child_answer(const struct buf *b, int status, struct frame_table *t, char *err, size_t errsz)
{
	if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL)) {
		snprintf(err, errsz, "Excel（.xls）文件过于复杂，%d 秒内未能读完（上限），请另存为 .xlsx 或 CSV 后重新上传",
		         XLS_CHILD_CPU);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || b->len == 0) {
		snprintf(err, errsz, "无法读取此 Excel（.xls）文件（文件可能已损坏或超出 %lu MB 内存上限），"
		         "请另存为 .xlsx 或 CSV 后重新上传", XLS_CHILD_MEM / (1024ul * 1024ul));
		return -1;
	}
	if (b->data[0] == '!') {
		snprintf(err, errsz, "%.*s", (int)(b->len - 1), b->data + 1);
		return -1;
	}
	return frame_table_decode(b->data + 1, b->len - 1, t, err, errsz);
}

/* A temporary copy of data (FreeXL reads files only); path filled. */
static int temp_copy(const void *data, size_t n, char *path, size_t pathsz)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, pathsz, "%s/smesurvey-xls-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	write_all(fd, data, n);
	close(fd);
	return 0;
}

int xls_read_table(const void *data, size_t n, struct frame_table *t, char *err, size_t errsz)
{
	char path[4096];
	int p[2] = { -1, -1 }, status = 0, rc = -1;
	struct buf b = { 0 };
	pid_t pid = -1;

	memset(t, 0, sizeof *t);
	snprintf(err, errsz, "暂时无法读取 Excel（.xls）文件，请稍后再试");
	if (temp_copy(data, n, path, sizeof path) < 0)
		return -1;
	if (pipe(p) < 0 || (pid = fork()) < 0)
		goto out;
	if (pid == 0) {
		close(p[0]);
		child_run(path, p[1]);
	}
	close(p[1]);
	p[1] = -1;
	/* The encoded table is at most the bounds plus escapes and numbers. */
	if (read_all(p[0], &b, 2u * FRAME_MAX_BYTES + 16u * FRAME_MAX_CELLS) < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	rc = child_answer(&b, status, t, err, errsz);
	if (rc == 0)
		err[0] = '\0';
out:
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	unlink(path);
	buf_free(&b);
	return rc;
}
