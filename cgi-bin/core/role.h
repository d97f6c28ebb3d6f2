/*
 * role.h - the roles, and role masks (RB bits). Its own header because both
 * auth (sessions, pages) and db (the statements each role may run) use
 * them, and auth uses db: neither may include the other's header.
 */
#ifndef SME_ROLE_H
#define SME_ROLE_H

enum role {
	ROLE_NONE = 0,    /* anonymous visitor (no session) */
	ROLE_ADMIN,       /* ministry / evaluation agency */
	ROLE_VIEWER,      /* read-only administrator */
	ROLE_REGION,      /* provincial SME authority */
	ROLE_HUB,         /* regional hub platform */
	ROLE_WINDOW,      /* window platform */
	ROLE_RESOURCE,    /* service-resource organisation */
	ROLE_SME,
	ROLE_COUNT,
	/* Pseudo-role, never stored in users.role: the command-line tool
	 * smesurvey-admin, which sets it (db_set_role); statement masks name it. */
	ROLE_CLI = ROLE_COUNT
};
#define RB(role)      (1u << (role))
#define RB_ADMINS     (RB(ROLE_ADMIN) | RB(ROLE_VIEWER))

#endif
