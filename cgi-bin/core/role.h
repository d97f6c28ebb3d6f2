/*
 * role.h - the roles, and role masks (RB bits). Its own header because both
 * auth (sessions, pages) and db (the statements each role may run) use
 * them, and auth uses db: neither may include the other's header.
 */
#ifndef SME_ROLE_H
#define SME_ROLE_H

enum role {
	ROLE_NONE = 0,    /* anonymous visitor (no session) */
	ROLE_ADMIN,       /* ministry */
	ROLE_VIEWER,      /* read-only administrator */
	ROLE_REGION,      /* provincial SME authority */
	ROLE_HUB,         /* regional hub platform */
	ROLE_WINDOW,      /* window platform */
	ROLE_RESOURCE,    /* service-resource organisation */
	ROLE_SME,
	ROLE_AGENCY,      /* evaluation agency (评估机构): reads as the ministry,
	                   * works in its own workspace (/agency) */
	ROLE_COUNT,
	/* Pseudo-role, never stored in users.role: the command-line tool
	 * smesurvey-admin, which sets it (db_set_role); statement masks name it. */
	ROLE_CLI = ROLE_COUNT
};
#define RB(role)      (1u << (role))
/* The national roles: they read every region's pages, indicators, exports
 * and responses; only ROLE_ADMIN changes accounts, samples and deadlines.
 * They belong to no region. */
#define RB_ADMINS     (RB(ROLE_ADMIN) | RB(ROLE_VIEWER) | RB(ROLE_AGENCY))
#define ROLE_NATIONAL(r) ((RB(r) & RB_ADMINS) != 0)

#endif
