/*
 * nav.c - the links of the site header, by role.
 */
#include "nav.h"
#include "auth.h"
#include "html.h"
#include "util.h"

const struct nav_item site_nav[] = {
	{ RB_ADMINS, "/admin", "全国进度" },
	{ RB_ADMINS, "/admin/responses", "答卷" },
	{ RB_ADMINS, "/admin/stats", "统计" },
	{ RB_ADMINS, "/admin/export", "导出" },
	{ RB_ADMINS, "/admin/deadlines", "截止时间" },
	{ RB(ROLE_ADMIN), "/admin/accounts", "账户" },
	{ RB_ADMINS, "/admin/audit", "操作日志" },
	{ RB(ROLE_REGION), "/region", "本地区首页" },
	{ RB(ROLE_REGION), "/form/selfeval", "自评估报告" },
	{ RB(ROLE_REGION), "/region/progress", "填报进度" },
	{ RB(ROLE_REGION), "/region/frames", "样本框" },
	{ RB(ROLE_REGION), "/region/sample", "抽样" },
	{ RB(ROLE_REGION), "/region/slips", "邀请单" },
	{ RB(ROLE_REGION), "/form/sme/proxy", "代录企业问卷" },
	{ RB(ROLE_REGION), "/form/resource/proxy", "代录机构问卷" },
	{ RB(ROLE_HUB), "/form/hub", "地区枢纽平台调查表" },
	{ RB(ROLE_WINDOW), "/form/window", "窗口平台调查表" },
	{ RB(ROLE_RESOURCE), "/form/resource", "服务资源单位调查表" },
	{ RB(ROLE_SME), "/form/sme", "中小企业调查表" },
};

const size_t site_nav_len = NELEMS(site_nav);
