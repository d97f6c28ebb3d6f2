/*
 * auditview.c - the audit log in the users' language (auditview.h).
 */
#include "auditview.h"
#include "catalog.h"
#include "html.h"
#include "role.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *code, *label; } actions[] = {
	{ "login", "登录" }, { "login-failed", "登录失败" }, { "login-throttled", "登录受限" },
	{ "password-change", "修改密码" }, { "password-reset", "重置密码" }, { "account-create", "创建账户" },
	{ "create-admin", "创建管理员账户" }, { "import-accounts", "导入账户" },
	{ "account_disable", "停用账户" }, { "account_enable", "启用账户" },
	{ "register", "凭邀请码注册" }, { "register-self", "自行注册" },
	{ "form_submit", "提交问卷" }, { "response_reopen", "退回修改" }, { "paper-account", "为纸质表建立账户" },
	{ "flag-review", "可信度审核结论" }, { "flags-rebuild", "重算可信度标记" },
	{ "deadline_set", "设置截止时间" }, { "deadline_remove", "取消延期" },
	{ "export", "导出" }, { "frame-confirm", "确认样本框" }, { "sample-upload", "上传抽样名单" },
	{ "sample-draw", "抽样" }, { "sample-replace", "替换样本单位" }, { "sample-reset", "重置样本" },
	{ "slips-print", "打印邀请单" }, { "slip-one", "打印单个邀请单" }, { "code-revoke", "作废邀请码" },
	{ "followup", "记录电话跟进" }, { "aggregates-rebuild", "重新统计汇总数据" }, { "purge", "清理过期数据" },
	{ "region-import", "导入地区" }, { "region-phone", "修改咨询电话" },
	{ "host-agreement-adopt", "确认多台服务器的共同配置" }, { "account-bind", "账户绑定抽中单位" },
	/* The evaluation agency's workspace (eval/). */
	{ "targets-import", "导入批复目标" }, { "unit-review-save", "保存单位评审" },
	{ "unit-document-upload", "上传单位材料" }, { "visit-create", "安排走访" }, { "visit-save", "保存走访安排" },
	{ "visit-confirm", "地区确认走访" }, { "visit-state", "更改走访状态" }, { "symposium-create", "安排座谈会" },
	{ "symposium-invite", "邀请参会单位" }, { "symposium-attendance", "记录出席和纪要" },
	{ "symposium-file", "上传座谈会材料" },
};

const char *audit_action_label(const char *code)
{
	for (size_t i = 0; i < NELEMS(actions); i++)
		if (code && !strcmp(code, actions[i].code))
			return actions[i].label;
	return NULL;
}

const char *audit_action_at(size_t i)
{
	return i < NELEMS(actions) ? actions[i].code : NULL;
}

/* The keys of the details; a key not listed shows as written. */
static const struct { const char *key, *label; } keys[] = {
	{ "form", "调查表" }, { "region", "地区" }, { "status", "状态" }, { "format", "格式" }, { "rows", "行数" },
	{ "unit", "单位编号" }, { "account", "账户编号" }, { "username", "用户名" }, { "user", "用户" },
	{ "kind", "类别" }, { "stratum", "抽样层" }, { "n", "份数" }, { "sample", "样本编号" },
	{ "seed", "随机种子" }, { "algo", "算法版本" }, { "frame", "样本框编号" }, { "checksum", "校验值" },
	{ "quota", "应抽数（枢纽/窗口/中小企业）" }, { "units", "单位数" }, { "registered", "已注册" },
	{ "codes_revoked", "作废邀请码" }, { "frames", "删除样本框" }, { "reason", "原因" }, { "outcome", "结果" },
	{ "note", "备注" }, { "method", "方式" }, { "charset", "编码" }, { "header_row", "标题行" },
	{ "strata", "各层单位数" }, { "short-confirmed", "确认不足的层" }, { "file", "文件" },
	{ "accounts", "账户数" }, { "operator", "操作系统用户" }, { "paper", "纸质表代录" },
	{ "name", "单位名称" }, { "reserve", "递补单位编号" }, { "reserve_name", "递补单位名称" },
	{ "position", "顺位" }, { "response", "答卷编号" }, { "id", "编号" }, { "deadline", "截止时间" },
	{ "sessions", "过期会话" }, { "login_failures", "登录失败记录" }, { "code_failures", "邀请码错误记录" },
	{ "uploads", "无用的上传文件" }, { "submitted", "已提交答卷" }, { "password_hash", "旧系统密码" },
	{ "initial_password", "初始密码" }, { "counted", "统计的已提交答卷" }, { "due", "截止时间" },
	{ "for", "代录的账户编号" }, { "checked", "检查的已提交答卷" }, { "help_phone", "咨询电话" }, { "was", "原值" },
	{ "paradata", "过期的填报过程记录" }, { "reg_paradata", "过期的注册过程记录" },
	{ "device_accounts", "过期的设备登录记录" }, { "decision", "审核结论" }, { "role", "角色" },
	{ "skipped", "跳过的行" }, { "bytes", "字节数" }, { "sha256", "SHA-256 摘要" }, { "regions", "地区数" },
	{ "visit", "走访编号" }, { "symposium", "座谈会编号" }, { "invited", "邀请单位数" }, { "came", "出席单位数" },
	{ "team", "走访组人数" }, { "objects", "走访对象数" }, { "state", "状态" }, { "version", "版本" },
	{ "checklist", "已具备的材料" }, { "ratings", "评分" },
};

/* Codes that stand for something with a name. */
static const struct { const char *value, *label; } values[] = {
	{ "all", "全部" }, { "resource", "服务资源单位" }, { "sme", "中小企业" },
	{ "hub", "枢纽平台组织" }, { "window", "窗口平台组织" }, { "submitted", "已提交" }, { "draft", "草稿" },
	{ "csv", "CSV" }, { "gb18030", "CSV（GB18030）" }, { "xlsx", "Excel" }, { "sav", "SPSS" },
	{ "drawn", "随机抽取" }, { "uploaded", "地区上传" }, { "1", "是" },
};

static const char *key_label(const char *k, size_t n)
{
	for (size_t i = 0; i < NELEMS(keys); i++)
		if (strlen(keys[i].key) == n && !strncmp(keys[i].key, k, n))
			return keys[i].label;
	return NULL;
}

/* A value's name: the caller's, the form's, a code's, or NULL. */
static const char *value_label(const char *key, const char *v, audit_namer extra)
{
	const struct form_info *fi;
	const char *named = extra ? extra(key, v) : NULL;
	if (named)
		return named;
	if (!strcmp(key, "form") && (fi = catalog_get(v)))
		return fi->doc;
	if (!strcmp(key, "role") && role_parse(v) != ROLE_NONE)
		return role_label(role_parse(v));
	if (!strcmp(key, "region") || !strcmp(key, "kind") || !strcmp(key, "stratum") || !strcmp(key, "status") ||
	    !strcmp(key, "format") || !strcmp(key, "method") || !strcmp(key, "paper"))
		for (size_t i = 0; i < NELEMS(values); i++)
			if (!strcmp(values[i].value, v))
				return values[i].label;
	return NULL;
}

/* Where the next " key=" starts in s (a key is [a-z_-]+), or NULL: a value
 * (a reason, a name) may hold spaces. */
static const char *next_pair(const char *s)
{
	for (const char *p = strchr(s, ' '); p; p = strchr(p + 1, ' ')) {
		size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_-");
		if (n && p[1 + n] == '=')
			return p;
	}
	return NULL;
}

static void put_pair(struct req *r, const char *k, size_t kn, const char *v, size_t vn, int first,
                     audit_namer extra)
{
	const char *kl = key_label(k, kn);
	char key[64], *val = xstrndup(v, vn);
	snprintf(key, sizeof key, "%.*s", (int)(kn < 63 ? kn : 63), k);
	const char *vl = value_label(key, val, extra);
	h_raw(r, first ? "" : "；");
	if (kl)
		h_printf(r, "%s：", kl);
	else
		h_printf(r, "%s：", key);
	h_text(r, vl ? vl : val);
	free(val);
}

void h_audit_detail(struct req *r, const char *detail, audit_namer extra)
{
	const char *p = detail ? detail : "";
	int first = 1;
	/* A command-line action starts with the word "cli". */
	if (!strncmp(p, "cli ", 4)) {
		h_raw(r, "命令行操作");
		p += 4;
		first = 0;
	}
	while (*p) {
		const char *eq = strchr(p, '='), *end = next_pair(p);
		size_t kn = eq ? strspn(p, "abcdefghijklmnopqrstuvwxyz_-") : 0;
		if (!eq || kn == 0 || p + kn != eq) {
			/* Not key=value (an older row, or a bare name): as written. */
			h_raw(r, first ? "" : "；");
			h_text(r, p);
			return;
		}
		const char *v = eq + 1, *vend = end ? end : v + strlen(v);
		put_pair(r, p, kn, v, (size_t)(vend - v), first, extra);
		first = 0;
		p = end ? end + 1 : vend;
	}
}
