/*
 * smesurvey-agency - the evaluation agency's workspace (评估机构工作台,
 * issue 19): the two evaluation methods of the notice that are not
 * questionnaires (三、查阅资料 and 五、实地走访调查) and each region's
 * evaluation dossier. The agency reads the ministry's pages (/admin, as a
 * member of RB_ADMINS) and works here.
 *
 *   GET /agency            the workspace: every region, what is done there
 *
 * The domain code lives in cgi-bin/eval/ (review, targets, visits,
 * dossier); this file is the page table.
 */
#include "msg.h"
#include "app.h"
#include "auth.h"
#include "db.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "nav.h"
#include "util.h"

#include <stdio.h>

#define AGENCY RB(ROLE_AGENCY)

/* The regions, each a row of the agency's work in it. */
static void workspace(struct req *r)
{
	static const char *const cols[] = { "地区代码", "地区" };
	struct dbrows *rows;

	if (db_query(r->db, STMT_REGION_LIST, DB_NOARGS, &rows) < 0) {
		page_error(r, 503, MSG_BUSY);
		return;
	}
	page_begin(r, "评估机构工作台");
	h_raw(r, "<p>评估方式（通知二）：查阅资料、问卷调查和实地走访调查。问卷调查的结果见"
	      "<a href=\"/admin\">全国进度</a>和<a href=\"/admin/indicators\">评估指标</a>；"
	      "本工作台记录查阅资料和实地走访调查，并汇总每个地区的评估材料。</p>");
	h_dbtable(r, "各地区", cols, NELEMS(cols), rows, "尚无地区。");
	dbrows_free(rows);
	page_end(r);
}

enum page { PAGE_WORKSPACE, PAGE__MAX };

static const struct pagedef pages[PAGE__MAX] = {
	[PAGE_WORKSPACE] = { "/agency", M_GET, AGENCY, PAGE_SLASH, NULL, workspace, NULL },
};

int main(int argc, char **argv)
{
	log_init("smesurvey-agency");
	site_nav_load();
	const struct app app = { "smesurvey-agency", pages, PAGE__MAX, site_nav, site_nav_len };
	return app_run(&app, argc, argv);
}
