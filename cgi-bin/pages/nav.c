/*
 * nav.c - the links of the site header, by role.
 */
#include "nav.h"
#include "auth.h"
#include "catalog.h"
#include "html.h"
#include "util.h"

#include <stdio.h>

/* NAV_FORMS and NAV_PROXY mark where the form catalog's links go: the
 * role's own questionnaire, and the forms a region may enter for others. */
enum nav_slot { NAV_PAGE, NAV_FORMS, NAV_PROXY };
static const struct {
	enum nav_slot   slot;
	struct nav_item item;
} site_pages[] = {
	{ NAV_PAGE, { RB(ROLE_AGENCY), "/agency", "评估工作台" } },
	{ NAV_PAGE, { RB_ADMINS, "/admin", "全国进度" } },
	{ NAV_PAGE, { RB_ADMINS, "/admin/responses", "答卷" } },
	{ NAV_PAGE, { RB_ADMINS, "/admin/stats", "统计" } },
	{ NAV_PAGE, { RB_ADMINS, "/admin/indicators", "评估指标" } },
	{ NAV_PAGE, { RB_ADMINS, "/admin/export", "导出" } },
	{ NAV_PAGE, { RB_ADMINS, "/admin/deadlines", "截止时间" } },
	{ NAV_PAGE, { RB(ROLE_ADMIN), "/admin/accounts", "账户" } },
	{ NAV_PAGE, { RB_ADMINS, "/admin/samples", "样本" } },
	{ NAV_PAGE, { RB_ADMINS, "/admin/regions", "地区" } },
	{ NAV_PAGE, { RB_ADMINS, "/admin/audit", "操作日志" } },
	{ NAV_PAGE, { RB(ROLE_REGION), "/region", "本地区首页" } },
	{ NAV_FORMS, { 0, NULL, NULL } },
	{ NAV_PAGE, { RB(ROLE_REGION), "/region/progress", "填报进度" } },
	{ NAV_PAGE, { RB(ROLE_REGION), "/region/frames", "样本框" } },
	{ NAV_PAGE, { RB(ROLE_REGION), "/region/sample", "抽样" } },
	{ NAV_PAGE, { RB(ROLE_REGION), "/region/slips", "邀请单" } },
	{ NAV_PAGE, { RB(ROLE_REGION), "/region/followups", "跟进名单" } },
	{ NAV_PAGE, { RB(ROLE_REGION), "/region/indicators", "评估指标" } },
	{ NAV_PROXY, { 0, NULL, NULL } },
};

#define NAV_MAX (NELEMS(site_pages) + 2 * CATALOG_MAX_FORMS)
struct nav_item site_nav[NAV_MAX];
const size_t site_nav_len = NAV_MAX;

/* The proxy pages live at /form/<name>/proxy; the strings stay for the
 * life of the process. */
static char proxy_paths[CATALOG_MAX_FORMS][32];

void site_nav_load(void)
{
	size_t n = 0;

	for (size_t i = 0; i < NELEMS(site_pages); i++) {
		if (site_pages[i].slot == NAV_PAGE) {
			site_nav[n++] = site_pages[i].item;
			continue;
		}
		for (size_t k = 0; catalog_at(k) && k < CATALOG_MAX_FORMS; k++) {
			const struct form_info *fi = catalog_at(k);
			if (site_pages[i].slot == NAV_FORMS) {
				site_nav[n++] = (struct nav_item){ RB(fi->role), fi->path, fi->menu };
			} else if (fi->proxy) {
				snprintf(proxy_paths[k], sizeof proxy_paths[k], "%s/proxy", fi->path);
				site_nav[n++] = (struct nav_item){ RB(ROLE_REGION), proxy_paths[k], fi->proxy_menu };
			}
		}
	}
}
