/*
 * stmts.h - every SQL statement of smesurvey, named by one enum.
 *
 * kcgi/openradtool style: enum stmt names a statement; stmts[] holds its
 * SQL and the roles allowed to run it. db_exec/db_query take the enum,
 * prepare each statement lazily once per connection and keep it prepared
 * (an array indexed by the enum), and refuse a statement whose role mask
 * excludes the role of the current request (db_set_role).
 *
 * Why in cgi-bin/core: the table is the database layer's data (db.c
 * prepares from it, db.h's interface takes its names) and names no
 * questionnaire - its SQL is generic over the form column, as
 * tests/build/10-core.t checks - so it needs no module of its own. It
 * includes only role.h, so the core's include graph stays acyclic.
 * No SQL text may appear anywhere else (scripts/check-sql fails `make test`
 * otherwise); a statement with fixed variants (the multi-row INSERTs of
 * answers) has one entry per variant.
 */
#ifndef SME_STMTS_H
#define SME_STMTS_H

enum stmt {
	/* Sessions and sign-in */
	STMT_SESSION_GET,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DELETE,
	STMT_SESSION_INSERT,
	STMT_SESSIONS_DELETE_STALE,
	STMT_SESSIONS_DELETE_OTHERS,
	STMT_LOGIN_FAILURES_USER,
	STMT_LOGIN_FAILURES_IP,
	STMT_LOGIN_FAILURE_INSERT,
	STMT_USER_FOR_LOGIN,
	STMT_USER_REHASH,
	STMT_USER_LOGGED_IN,
	STMT_USER_PW_HASH,
	STMT_USER_CHANGE_PW,
	STMT_AUDIT_INSERT,
	/* Accounts */
	STMT_USER_INSERT,
	STMT_USER_EXISTS,
	STMT_USER_LIST,
	STMT_USER_COUNT,
	STMT_USER_NAME,
	STMT_USER_SET_DISABLED,
	STMT_SESSIONS_DELETE_USER,
	STMT_AUDIT_INSERT_CLI,
	STMT_AUDIT_PAGE,
	/* Operations (smesurvey-admin check, purge; /healthz) */
	STMT_HEALTH,
	STMT_SCHEMA_VERSION,
	STMT_SESSIONS_PURGE,
	STMT_LOGIN_FAILURES_PURGE,
	STMT_UPLOADS_REFERENCED,
	/* Regions and progress */
	STMT_REGION_CODES,
	STMT_REGION_LIST,
	STMT_REGION_NAME,
	STMT_REGION_EXISTS,
	STMT_REGION_CONTACT,
	STMT_PROGRESS,
	STMT_REGION_PROGRESS,
	STMT_QUOTA_SAMPLE,
	/* Deadlines */
	STMT_DEADLINE_OVERRIDE_GET,
	STMT_DEADLINE_OVERRIDES_OF_REGION,
	STMT_DEADLINE_OVERRIDE_LIST,
	STMT_DEADLINE_OVERRIDE_SET,
	STMT_DEADLINE_OVERRIDE_DELETE,
	/* Responses and answers */
	STMT_RESPONSE_OF_USER,
	STMT_ANSWERS_OF_RESPONSE,
	STMT_RESPONSE_CREATE,
	STMT_RESPONSE_LOCK,
	STMT_RESPONSE_UPDATE,
	STMT_ANSWERS_DELETE,
	STMT_ANSWERS_INSERT_1,
	STMT_ANSWERS_INSERT_2,
	STMT_ANSWERS_INSERT_4,
	STMT_ANSWERS_INSERT_8,
	STMT_ANSWERS_INSERT_16,
	STMT_PROXY_TARGET,
	STMT_PROXY_LIST,
	/* Administration: responses, export, statistics */
	STMT_RESPONSE_COUNT,
	STMT_RESPONSE_LIST,
	STMT_RESPONSE_GET,
	STMT_ANSWER_GET,
	STMT_RESPONSE_REOPEN,
	STMT_EXPORT_RESPONSES,
	STMT_EXPORT_ANSWERS,
	STMT_STATS_REGIONS,
	STMT_STATS_ANSWERS,
	STMT_INDICATOR_ANSWERS,
	STMT_INDICATOR_UNITS,
	/* Sample frames */
	STMT_FRAME_INSERT_PENDING,
	STMT_FRAMES_PENDING,
	STMT_FRAME_PENDING_LATEST,
	STMT_FRAME_PENDING_CHECK,
	STMT_FRAME_DELETE_PENDING,
	STMT_FRAME_DELETE,
	STMT_FRAME_CONFIRMED,
	STMT_FRAME_CONFIRMED_SUMMARY,
	STMT_FRAME_CONFIRMED_ID,
	STMT_FRAME_STRATUM_COUNTS,
	STMT_FRAME_STATUS_LOCK,
	STMT_SAMPLE_ID_LOCK,
	STMT_FRAME_DELETE_CONFIRMED,
	STMT_FRAME_UNIT_INSERT,
	STMT_FRAME_CONFIRM,
	/* Samples */
	STMT_SAMPLE_ID,
	STMT_SAMPLE_GET,
	STMT_SAMPLE_UNITS_SHOW,
	STMT_SAMPLE_LIST_CSV,
	STMT_FRAME_CONFIRMED_CHECKSUM,
	STMT_FRAME_CONFIRMED_SHARE_LOCK,
	STMT_FRAME_UNITS,
	STMT_SAMPLE_INSERT,
	STMT_SAMPLE_UNIT_INSERT,
	STMT_SAMPLE_FOR_VERIFY,
	STMT_SAMPLE_UNITS_VERIFY,
	STMT_SAMPLE_UNIT_LOCK,
	STMT_SAMPLE_NEXT_RESERVE,
	STMT_SAMPLE_UNIT_REPLACE,
	STMT_SAMPLE_UNIT_PROMOTE,
	/* Invitation codes and slips */
	STMT_UNITS_TO_ISSUE_LOCK,
	STMT_UNIT_SET_CODE,
	STMT_SLIP_UNITS,
	STMT_SLIP_FUNNEL,
	STMT_SLIP_UNIT,
	/* Registration */
	STMT_CODE_FAILURES_COUNT,
	STMT_CODE_FAILURE_INSERT,
	STMT_CODE_FAILURES_PURGE,
	STMT_UNIT_BY_CODE,
	STMT_UNIT_BY_CODE_LOCK,
	STMT_UNIT_OPENED,
	STMT_UNIT_REGISTER,
	STMT_SELF_REGISTRATIONS_COUNT,
	STMT__MAX
};

struct stmt_def {
	const char *sql;
	unsigned    roles;   /* RB() bits of enum role (auth.h) allowed to run it */
};

extern const struct stmt_def stmts[STMT__MAX];

#endif
