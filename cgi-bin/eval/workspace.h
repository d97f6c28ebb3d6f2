/*
 * workspace.h - what the pages of the agency's workspace (smesurvey-agency,
 * issue 19) share: the slots of their typed parameters (r->arg[], declared
 * in cgi-bin/agency.c's page table) and the construction unit a page is
 * about.
 */
#ifndef SME_WORKSPACE_H
#define SME_WORKSPACE_H

struct req;
struct param;

/* Parameter slots of every workspace page (agency.c's pspec lists). */
enum ws_key {
	WK_UNIT,      /* a construction unit: users.id of a hub or window */
	WK_REGION,    /* a region code (filters, the region of a page) */
	WK_ID,        /* a row id: a document, a visit, ... */
	WK_VERSION,   /* the review version a form was read at */
	WK_OK,        /* after a redirect: what was done */
	WK_KIND, WK_FILE,                             /* a document's kind and file */
	WK_CHECKLIST, WK_FINDINGS, WK_R1, WK_R2, WK_R3, WK_R4,   /* a review */
	WK_STARTS, WK_ENDS, WK_CONTACT, WK_PHONE, WK_PREPARE, WK_TEAM,  /* a visit's plan */
	WK_OBJ, WK_OBJ_UNIT, WK_OBJ_DAY,              /* its objects: rows chosen, unit and day per row */
	WK_ACTION, WK_REASON, WK_CONFIRM,             /* a state change */
	WK_HOST, WK_DAY, WK_PLACE, WK_UNITS, WK_CAME, WK_MINUTES,   /* a symposium */
	WK__MAX
};

/* What several pages of the workspace say (tests/build/40-once.t). */
#define WS_MSG_NO_UNIT      "没有这个项目承建单位。"
#define WS_MSG_NO_VISIT     "没有这次走访。"
#define WS_MSG_NO_SYMPOSIUM "没有这次座谈会。"
#define WS_MSG_REFRESH      "请求不完整，请刷新后重试。"
#define WS_MSG_NO_PDF       "暂时无法生成，请稍后再试。"
#define WS_MSG_NO_XLSX      "暂时无法导出，请稍后再试。"


/* A construction unit (hub or window account) as pages show it. */
struct ws_unit {
	unsigned long long id;
	char username[65];
	char role[8];          /* "hub" / "window" */
	char region[17];
	char org[256];
	char region_name[65];
};

/* Loads the unit id; 0, 1 when it is no construction unit (the caller
 * answers 404), -1 on a database error. */
int ws_unit_load(struct req *r, unsigned long long id, struct ws_unit *u);
/* The unit a request is about: its own account for a unit, ?unit= for
 * the agency. 0, or -1 after answering 404 or 503 itself. */
int ws_unit_of_request(struct req *r, struct ws_unit *u);
/* A declared parameter's value as sent, or NULL when absent. */
const char *ws_arg(const struct req *r, enum ws_key k);
/* Checks and stores an uploaded file of the workspace (PDF, DOC, DOCX, XLS
 * or XLSX by its bytes) with the form engine's upload store: NULL and
 * *value "sha256:<hex>:<name>" (caller frees), or the message for the field. */
const char *ws_store_file(struct req *r, const struct param *p, char **value);
/* "地区枢纽平台" / "窗口平台" for a users.role of a unit. */
const char *ws_unit_kind(const char *role);

#endif
