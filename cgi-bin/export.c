/*
 * smesurvey-export - the ministry's data exports (issue 13), a program of
 * its own with its own workers, so that an export of a million responses
 * never holds up the other admin pages (smesurvey-adminweb).
 *
 *   GET /admin/export/data   form, format=csv|gb18030|xlsx|sav, region, status
 *
 * The export streams (forms/export.h): the headers leave as soon as the
 * first chunk of rows has been read, the file follows piece by piece. After
 * every export the worker hands freed memory back to the system
 * (malloc_trim), so it returns to its baseline.
 */
#include "msg.h"
#include "adminparam.h"
#include "app.h"
#include "auth.h"
#include "export.h"
#include "form.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "nav.h"
#include "params.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

/* The export page's choice: format name, content type, file extension. */
static const struct {
	const char         *name;
	enum export_format  fmt;
	const char         *ctype;
	const char         *ext;
} formats[] = {
	{ "csv",     EXPORT_CSV,         "text/csv; charset=utf-8",   "csv" },
	{ "gb18030", EXPORT_CSV_GB18030, "text/csv; charset=gb18030", "csv" },
	{ "xlsx",    EXPORT_XLSX,
	  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx" },
	{ "sav",     EXPORT_SAV,         "application/x-spss-sav",    "sav" },
};

struct download {
	struct req *r;
	const char *ctype;
	const char *fname;
};

/* The headers, once the first rows are in hand. */
static int download_begin(void *ctx)
{
	struct download *d = ctx;
	resp_header(d->r, "Content-Type", d->ctype);
	resp_attachment(d->r, d->fname);
	/* nginx would otherwise buffer a large body to disk before sending. */
	resp_header(d->r, "X-Accel-Buffering", "no");
	return resp_stream_begin(d->r);
}

static int download_write(void *ctx, const char *p, size_t n)
{
	struct download *d = ctx;
	return resp_stream_write(d->r, p, n);
}

enum key { KEY_FORMAT, KEY_LABELS };

static void export_data(struct req *r)
{
	const struct form *f = param_form(r);
	const char *fmt_s = r->arg[KEY_FORMAT].present ? r->arg[KEY_FORMAT].s : NULL;
	/* labels=1: a second header row of Chinese labels in a CSV (issue 23 item 9). */
	struct export_filter flt = { .region = param_region(r), .status = param_status(r, 1),
	                             .label_row = r->arg[KEY_LABELS].present && r->arg[KEY_LABELS].n == 1 };
	size_t k, n = 0;
	char fname[96], detail[160];
	int rc;

	if (!f) {
		page_error(r, 400, MSG_CHOOSE_FORM);
		return;
	}
	if (!fmt_s || !*fmt_s)
		fmt_s = "csv";
	for (k = 0; k < sizeof formats / sizeof formats[0]; k++)
		if (!strcmp(fmt_s, formats[k].name))
			break;
	if (k == sizeof formats / sizeof formats[0]) {
		page_error(r, 400, "不支持的导出格式。");
		return;
	}
	snprintf(fname, sizeof fname, "%s-%s-%s%s.%s", f->name, flt.region ? flt.region : "all",
	         flt.status ? flt.status : "all", formats[k].fmt == EXPORT_CSV_GB18030 ? "-gb18030" : "",
	         formats[k].ext);
	struct download d = { r, formats[k].ctype, fname };
	const struct export_out out = { download_begin, download_write, &d };
	rc = export_responses(r->db, f, &flt, formats[k].fmt, NULL, &out, &n);
	if (rc == -1 || rc == -2) {
		page_error(r, 503, "导出失败，请稍后再试。");
	} else {
		/* rc == -3: cut off after the headers (logged); audited as such. */
		snprintf(detail, sizeof detail, "form=%s region=%s status=%s format=%s rows=%zu%s", f->name,
		         flt.region ? flt.region : "all", flt.status ? flt.status : "all", fmt_s, n,
		         rc < 0 ? " incomplete" : "");
		audit(r, "export", detail);
	}
	/* The chunks, the workbook and the library's buffers were freed:
	 * give the pages back, so an idle export worker stays small. */
	malloc_trim(0);
}

enum page { PAGE_EXPORT_DATA, PAGE__MAX };

/* The filters (adminparam.h) and format= (checked against formats[]). */
static const struct pspec export_params[] = {
	AP_FILTERS,
	P_TEXT(KEY_FORMAT, "format", 16),
	{ KEY_LABELS, "labels", PT_INT, 0, 0, 1, NULL, 0, NULL, 0 },
	{ 0 },
};

static const struct pagedef pages[PAGE__MAX] = {
	[PAGE_EXPORT_DATA] = { "/admin/export/data", M_GET, RB_ADMINS, 0, export_params, export_data, NULL },
};

int main(int argc, char **argv)
{
	char err[256];

	log_init("smesurvey-export");
	if (forms_load(err, sizeof err) < 0) {
		log_err("codebook: %s", err);
		return 1;
	}
	site_nav_load();
	const struct app app = { "smesurvey-export", pages, PAGE__MAX, site_nav, site_nav_len };
	return app_run(&app, argc, argv);
}
