/*
 * stmts.c - the statement table: the SQL of every enum stmt and the roles
 * (RB() bits of enum role, role.h) that may run it. See stmts.h.
 *
 * Masks are as narrow as the pages allow. The role is that of the request
 * (core/app.c, core/auth.c): ROLE_NONE (anonymous) until the session has
 * been checked, so the session lookup runs as R_ANON; a login or
 * registration ends the old session (ROLE_NONE again), creates the new one
 * as R_ANON, and then runs as the new user; pages open to everybody
 * (login, registration), also to visitors already signed in, run as
 * whoever visits them (R_ANYONE); smesurvey-admin runs as ROLE_CLI.
 */
#include "stmts.h"
#include "role.h"

#define R_ANON        RB(ROLE_NONE)
#define R_CLI         RB(ROLE_CLI)
#define R_ADMIN       RB(ROLE_ADMIN)
#define R_ADMINS      RB_ADMINS
#define R_REGION      RB(ROLE_REGION)
/* Whoever fills a questionnaire: the five respondent roles (the region
 * fills selfeval and enters paper resource/sme forms by proxy). */
#define R_RESPONDENTS (RB(ROLE_REGION) | RB(ROLE_HUB) | RB(ROLE_WINDOW) | \
                       RB(ROLE_RESOURCE) | RB(ROLE_SME))
#define R_SIGNED_IN   (R_ADMINS | R_RESPONDENTS)
#define R_ANYONE      (R_ANON | R_SIGNED_IN)

/* The units that get invitations: active and selected, or a reserve that
 * has taken a replaced unit's place. Alias su. */
#define INVITED_SQL " su.status = 'active' AND (su.role = 'selected' OR su.replaces_id IS NOT NULL) "

/* A sampled unit's state on the follow-up list (sample/followup.c);
 * aliases su (sample_units) and p (its response). */
#define FU_STATE_SQL " (CASE WHEN su.user_id IS NULL THEN 'unreg' WHEN p.status IS NULL THEN 'nostart'" \
                     " ELSE 'draft' END) "

/* Columns of the sample_units query of the /region/sample page. */
#define SU_COLS "id, stratum, role, position, status, name, platform, contact, phone, email, replaces_id," \
                " replace_reason, org_code, address, zip"

/* Maintained aggregates (issue 13 item 1): who moves a submitted response
 * (respondents, a region entering paper or changing its sample, the
 * administrators reopening or resetting, smesurvey-admin), and the rows of
 * their multi-row upserts. */
#define R_AGGR        (R_SIGNED_IN | R_CLI)
#define AGG_F1 "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define AGG_F2 AGG_F1 ", " AGG_F1
#define AGG_F4 AGG_F2 ", " AGG_F2
#define AGG_F8 AGG_F4 ", " AGG_F4
#define AGG_FIELDS_UPSERT " ON DUPLICATE KEY UPDATE n = n + VALUES(n), first = first + VALUES(first)," \
                          " rsum = rsum + VALUES(rsum), sum = sum + VALUES(sum)"
#define AGG_V1 "(?, ?, ?, ?, ?, ?)"
#define AGG_V2 AGG_V1 ", " AGG_V1
#define AGG_V4 AGG_V2 ", " AGG_V2
#define AGG_V8 AGG_V4 ", " AGG_V4
#define AGG_I1 "(?, ?, ?, ?, ?, ?, ?)"
#define AGG_I2 AGG_I1 ", " AGG_I1
#define AGG_I4 AGG_I2 ", " AGG_I2
#define AGG_I8 AGG_I4 ", " AGG_I4
#define AGG_IND_UPSERT " ON DUPLICATE KEY UPDATE n = n + VALUES(n), k = k + VALUES(k), sum = sum + VALUES(sum)"

/* The columns of the /admin/responses list (adminweb.c responses_list). */
#define RESPONSE_LIST_COLS "p.id, COALESCE(p.region_code, ''), COALESCE(g.name, ''), u.org_name, u.username," \
	" p.form, p.status, p.proxy_user_id IS NOT NULL, DATE_FORMAT(p.updated_at, '%Y-%m-%d %H:%i:%s')," \
	" COALESCE(DATE_FORMAT(p.submitted_at, '%Y-%m-%d %H:%i:%s'), '')"

const struct stmt_def stmts[STMT__MAX] = {
	/* Sessions and sign-in (core/auth.c). auth_load_session() runs before the request has a role. */
	[STMT_SESSION_GET] = {
		"SELECT u.id, u.username, u.role, COALESCE(u.region_code, ''), u.org_name, u.form,"
		" u.disabled, TIMESTAMPDIFF(SECOND, s.created_at, NOW()),"
		" TIMESTAMPDIFF(SECOND, s.last_seen, NOW()), u.must_change_pw"
		" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
		R_ANON },
	[STMT_SESSION_TOUCH] = {
		"UPDATE sessions SET last_seen = NOW() WHERE token_hash = ?",
		R_SIGNED_IN },
	[STMT_SESSION_DELETE] = {
		"DELETE FROM sessions WHERE token_hash = ?",
		R_ANYONE },
	[STMT_SESSION_INSERT] = {
		"INSERT INTO sessions (token_hash, user_id, created_at, last_seen, ip)"
		" VALUES (?, ?, NOW(), NOW(), ?)",
		R_ANON },
	[STMT_SESSIONS_DELETE_STALE] = {
		"DELETE FROM sessions WHERE user_id = ? AND"
		" (last_seen < NOW() - INTERVAL ? MINUTE OR created_at < NOW() - INTERVAL ? MINUTE)",
		R_SIGNED_IN },
	[STMT_SESSIONS_DELETE_OTHERS] = {
		"DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?",
		R_SIGNED_IN },
	[STMT_LOGIN_FAILURES_USER] = {
		"SELECT COUNT(*) FROM login_failures"
		" WHERE username = ? AND at > NOW() - INTERVAL 15 MINUTE",
		R_ANYONE },
	/* Blocking counts one account's failures from one client only, so
	 * strangers elsewhere cannot lock the account (issue 9). */
	[STMT_LOGIN_FAILURES_USER_CLIENT] = {
		"SELECT COUNT(*) FROM login_failures"
		" WHERE username = ? AND ip = ? AND at > NOW() - INTERVAL 15 MINUTE",
		R_ANYONE },
	[STMT_LOGIN_FAILURES_IP] = {
		"SELECT COUNT(*) FROM login_failures"
		" WHERE ip = ? AND at > NOW() - INTERVAL 1 HOUR",
		R_ANYONE },
	[STMT_LOGIN_FAILURE_INSERT] = {
		"INSERT INTO login_failures (username, ip, at) VALUES (?, ?, NOW())",
		R_ANYONE },
	[STMT_USER_FOR_LOGIN] = {
		"SELECT id, pw_hash, disabled, username FROM users WHERE username = ?",
		R_ANYONE },
	[STMT_USER_REHASH] = {
		"UPDATE users SET pw_hash = ? WHERE id = ?",
		R_ANYONE },
	[STMT_USER_LOGGED_IN] = {
		"UPDATE users SET last_login_at = NOW() WHERE id = ?",
		R_SIGNED_IN },
	[STMT_USER_PW_HASH] = {
		"SELECT pw_hash FROM users WHERE id = ?",
		R_SIGNED_IN },
	[STMT_USER_CHANGE_PW] = {
		"UPDATE users SET pw_hash = ?, must_change_pw = 0, pw_changed_at = NOW() WHERE id = ?",
		R_SIGNED_IN },
	/* Anonymous too: a failed login is audited. */
	[STMT_AUDIT_INSERT] = {
		"INSERT INTO audit_log (user_id, ip, action, detail) VALUES (?, ?, ?, ?)",
		R_ANYONE },

	/* Accounts */
	[STMT_USER_INSERT] = {
		"INSERT INTO users (username, pw_hash, role, region_code, org_name, form) "
		"VALUES (?, ?, ?, ?, ?, ?)",
		R_ANYONE | R_CLI },
	/* import-accounts: with the contact facts of sql/012_contacts.sql. */
	[STMT_USER_INSERT_IMPORT] = {
		"INSERT INTO users (username, pw_hash, role, region_code, org_name, form, contact, phone, email) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		R_CLI },
	[STMT_USER_EXISTS] = {
		"SELECT username FROM users WHERE username = ?",
		R_CLI },
	[STMT_USER_LIST] = {
		"SELECT u.id, u.username, u.role, COALESCE(u.region_code, ''), COALESCE(g.name, ''),"
		" u.org_name, u.form, u.disabled, COALESCE(DATE_FORMAT(u.last_login_at, '%Y-%m-%d %H:%i'), '')"
		" FROM users u LEFT JOIN regions g ON g.code = u.region_code"
		" WHERE (? IS NULL OR u.role = ?) AND (? IS NULL OR u.region_code = ?)"
		" ORDER BY u.region_code, u.role, u.username LIMIT ? OFFSET ?",
		R_ADMIN },
	[STMT_USER_COUNT] = {
		"SELECT COUNT(*) FROM users WHERE (? IS NULL OR role = ?) AND (? IS NULL OR region_code = ?)",
		R_ADMIN },
	[STMT_USER_NAME] = {
		"SELECT username FROM users WHERE id = ?",
		R_ADMIN },
	[STMT_USER_SET_DISABLED] = {
		"UPDATE users SET disabled = ? WHERE id = ?",
		R_ADMIN },
	[STMT_SESSIONS_DELETE_USER] = {
		"DELETE FROM sessions WHERE user_id = ?",
		R_ADMIN | R_REGION | R_CLI },
	/* One-time passwords (auth.c password_set_onetime): who may reset
	 * whom is decided from this row (auth.c password_reset_allowed). */
	[STMT_USER_FOR_RESET] = {
		"SELECT id, username, role, COALESCE(region_code, ''), org_name FROM users WHERE id = ?",
		R_ADMIN | R_REGION },
	[STMT_USER_ID_BY_NAME] = {
		"SELECT id FROM users WHERE username = ?",
		R_CLI },
	[STMT_USER_SET_ONETIME_PW] = {
		"UPDATE users SET pw_hash = ?, must_change_pw = 1, pw_changed_at = NOW() WHERE id = ?",
		R_ADMIN | R_REGION | R_CLI },
	[STMT_USER_INSERT_ONETIME] = {
		"INSERT INTO users (username, pw_hash, must_change_pw, role, region_code, org_name, form)"
		" VALUES (?, '!', 1, ?, ?, ?, ?)",
		R_CLI },
	[STMT_REGION_ACCOUNTS] = {
		"SELECT id, username, role, org_name, disabled,"
		" COALESCE(DATE_FORMAT(last_login_at, '%Y-%m-%d %H:%i'), ''), must_change_pw"
		" FROM users WHERE region_code = ? AND role NOT IN ('admin', 'viewer', 'region')"
		" ORDER BY role, username LIMIT 5000",   /* the ENUM's order: hub first */
		R_REGION },
	[STMT_AUDIT_INSERT_CLI] = {
		"INSERT INTO audit_log (user_id, ip, action, detail) VALUES (NULL, '', ?, ?)",
		R_CLI },
	/* Newest first, by key: ids below `before` (0: from the newest). */
	[STMT_AUDIT_PAGE] = {
		"SELECT a.id, DATE_FORMAT(a.at, '%Y-%m-%d %H:%i:%s'), COALESCE(u.username, ''),"
		" COALESCE(u.region_code, ''), a.ip, a.action, a.detail"
		" FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
		" WHERE (? IS NULL OR a.action = ?) AND (? IS NULL OR u.username = ?)"
		" AND (? IS NULL OR u.region_code = ?) AND (? IS NULL OR a.at >= ?)"
		" AND (? IS NULL OR a.at < ? + INTERVAL 1 DAY) AND (? = 0 OR a.id < ?)"
		" ORDER BY a.id DESC LIMIT ?",
		R_ADMINS },

	/* Regions and progress */
	[STMT_HEALTH] = {
		"SELECT 1",
		R_ANYONE },
	[STMT_SCHEMA_VERSION] = {
		"SELECT MAX(version) FROM schema_migrations WHERE version REGEXP '^[0-9]{3}_'",
		R_CLI },
	[STMT_SESSIONS_PURGE] = {
		"DELETE FROM sessions WHERE last_seen < NOW() - INTERVAL ? MINUTE"
		" OR created_at < NOW() - INTERVAL ? MINUTE",
		R_CLI },
	[STMT_LOGIN_FAILURES_PURGE] = {
		"DELETE FROM login_failures WHERE at < NOW() - INTERVAL 1 DAY",
		R_CLI },
	/* The content hashes that answers refer to ("sha256:<hex>:<name>"). */
	[STMT_UPLOADS_REFERENCED] = {
		"SELECT DISTINCT SUBSTRING(value, 8, 64) FROM answers WHERE value LIKE 'sha256:%'",
		R_CLI },
	[STMT_AGREEMENT_RECORD] = {
		"INSERT IGNORE INTO host_agreement (name, value, set_by) VALUES (?, ?, ?)",
		R_CLI },
	[STMT_AGREEMENT_GET] = {
		"SELECT value, set_by, DATE_FORMAT(set_at, '%Y-%m-%d %H:%i') FROM host_agreement WHERE name = ?",
		R_CLI },
	[STMT_AGREEMENT_REPLACE] = {
		"REPLACE INTO host_agreement (name, value, set_by) VALUES (?, ?, ?)",
		R_CLI },
	[STMT_REGION_CODES] = {
		"SELECT code FROM regions",
		R_CLI },
	[STMT_REGION_LIST] = {
		"SELECT code, name FROM regions ORDER BY code",
		R_ANYONE },
	[STMT_REGION_NAME] = {
		"SELECT name FROM regions WHERE code = ?",
		R_ANYONE | R_CLI },
	[STMT_REGION_EXISTS] = {
		"SELECT code FROM regions WHERE code = ?",
		R_ADMIN },
	/* Also the regions as data the ministry keeps (issue 23 item 7):
	 * import-regions and the help-phone page (pages/regions.c). */
	[STMT_REGION_CONTACT] = {
		"SELECT name, help_phone FROM regions WHERE code = ?",
		R_REGION | R_ADMINS | R_CLI },
	[STMT_REGION_UPSERT] = {
		"INSERT INTO regions (code, name, help_phone) VALUES (?, ?, ?)"
		" ON DUPLICATE KEY UPDATE name = VALUES(name), help_phone = VALUES(help_phone)",
		R_CLI },
	[STMT_REGION_PHONE_SET] = {
		"UPDATE regions SET help_phone = ? WHERE code = ?",
		R_ADMIN },
	/* Whom a respondent asks for a new password (home.c /forgot). */
	[STMT_REGION_HELP_LINES] = {
		"SELECT code, name, help_phone FROM regions ORDER BY code",
		R_ANYONE },
	/* The region's accounts, paged by id (issue 13 item 3): ids above the
	 * key, one form or all (''), a name or username search (''). */
	[STMT_REGION_PROGRESS] = {
		"SELECT u.id, u.username, u.org_name, u.form,"
		" CASE WHEN p.status IS NULL THEN '未开始' WHEN p.status = 'submitted' THEN '已提交' ELSE '草稿' END,"
		" p.updated_at, p.submitted_at"
		" FROM users u LEFT JOIN responses p ON p.user_id = u.id AND p.form = u.form"
		" WHERE u.region_code = ? AND u.form <> '' AND u.id > ? AND (? = '' OR u.form = ?)"
		" AND (? = '' OR u.username LIKE CONCAT('%', ?, '%') OR u.org_name LIKE CONCAT('%', ?, '%'))"
		" ORDER BY u.id LIMIT ?",
		R_REGION },

	/* Deadlines */
	/* A region's own deadline, else the national one (region_code ''). */
	[STMT_DEADLINE_OVERRIDE_GET] = {
		"SELECT DATE_FORMAT(due, '%Y-%m-%d %H:%i:%s') FROM deadline_overrides "
		"WHERE form = ? AND region_code IN (?, '') ORDER BY region_code = '' LIMIT 1",
		R_ANYONE },
	/* National rows first: a region's own rows, read later, win. */
	[STMT_DEADLINE_OVERRIDES_OF_REGION] = {
		"SELECT form, DATE_FORMAT(due, '%Y-%m-%d %H:%i:%s') FROM deadline_overrides "
		"WHERE region_code IN (?, '') ORDER BY region_code = '' DESC",
		R_ANYONE },
	/* Round trips (issue 13, item 5): every override at once, read at
	 * most once per request (deadline.c); the table holds a few rows per
	 * region at most. */
	[STMT_DEADLINE_OVERRIDES_ALL] = {
		"SELECT region_code, form, DATE_FORMAT(due, '%Y-%m-%d %H:%i:%s') FROM deadline_overrides",
		R_ANYONE },
	[STMT_DEADLINE_OVERRIDE_LIST] = {
		"SELECT o.form, o.region_code, COALESCE(g.name, ''), DATE_FORMAT(o.due, '%Y-%m-%d %H:%i:%s')"
		" FROM deadline_overrides o LEFT JOIN regions g ON g.code = o.region_code"
		" WHERE o.region_code <> '' ORDER BY o.form, o.region_code",
		R_ADMINS },
	[STMT_DEADLINE_OVERRIDE_SET] = {
		"INSERT INTO deadline_overrides (form, region_code, due) VALUES (?, ?, ?)"
		" ON DUPLICATE KEY UPDATE due = VALUES(due)",
		R_ADMIN },
	[STMT_DEADLINE_OVERRIDE_DELETE] = {
		"DELETE FROM deadline_overrides WHERE form = ? AND region_code = ?",
		R_ADMIN },

	/* Responses and answers (forms/form_store.c, the form programs) */
	/* The row and its answers in one round trip (issue 13, item 5): the
	 * response's columns repeat on each answer row; a response without
	 * answers gives one row with code NULL. */
	[STMT_RESPONSE_OF_USER] = {
		"SELECT r.id, r.status, r.valid, r.version, "
		"DATE_FORMAT(r.updated_at, '%Y-%m-%d %H:%i:%s'), "
		"DATE_FORMAT(r.submitted_at, '%Y-%m-%d %H:%i:%s'), r.proxy_user_id, "
		"a.code, a.value "
		"FROM responses r LEFT JOIN answers a ON a.response_id = r.id "
		"WHERE r.form = ? AND r.user_id = ?",
		R_RESPONDENTS },
	[STMT_ANSWERS_OF_RESPONSE] = {
		"SELECT code, value FROM answers WHERE response_id = ?",
		R_RESPONDENTS | R_ADMINS | R_CLI },   /* R_CLI: the aggregates (forms/aggr.c) */
	[STMT_RESPONSE_CREATE] = {
		"INSERT INTO responses (form, user_id, region_code, status, valid, version, "
		"created_at, updated_at) VALUES (?, ?, ?, 'draft', 0, 0, NOW(), NOW()) "
		"ON DUPLICATE KEY UPDATE id = id",
		R_RESPONDENTS },
	/* The columns of STMT_RESPONSE_OF_USER, then the clock that stamps the
	 * save (what the page shows is what is stored). */
	[STMT_RESPONSE_LOCK] = {
		"SELECT id, status, valid, version, "
		"DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s'), "
		"DATE_FORMAT(submitted_at, '%Y-%m-%d %H:%i:%s'), proxy_user_id, "
		"DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s') "
		"FROM responses WHERE form = ? AND user_id = ? FOR UPDATE",
		R_RESPONDENTS },
	[STMT_RESPONSE_UPDATE] = {
		"UPDATE responses SET region_code = ?, status = ?, valid = ?, proxy_user_id = ?, "
		"version = version + 1, updated_at = ?, "
		"submitted_at = IF(? = 'submitted', ?, NULL) WHERE id = ?",
		R_RESPONDENTS },
	[STMT_ANSWERS_DELETE] = {
		"DELETE FROM answers WHERE response_id = ?",
		R_RESPONDENTS },
	/* Every answer of a save in one statement (issue 13, item 5): a JSON
	 * array of [code, value] pairs (form_store.c), unpacked by JSON_TABLE. */
	[STMT_ANSWERS_INSERT_JSON] = {
		"INSERT INTO answers (response_id, code, value) SELECT ?, j.code, j.value "
		"FROM JSON_TABLE(?, '$[*]' COLUMNS ("
		"code VARCHAR(64) PATH '$[0]' ERROR ON EMPTY ERROR ON ERROR, "
		"value LONGTEXT PATH '$[1]' ERROR ON EMPTY ERROR ON ERROR)) j",
		R_RESPONDENTS },
	[STMT_PROXY_TARGET] = {
		"SELECT role, IFNULL(region_code, ''), org_name, disabled FROM users WHERE id = ?",
		R_REGION },
	[STMT_PROXY_LIST] = {
		"SELECT u.id, u.username, u.org_name, IFNULL(s.status, ''), IFNULL(s.proxy_user_id, 0) "
		"FROM users u LEFT JOIN responses s ON s.user_id = u.id AND s.form = ? "
		"WHERE u.role = ? AND u.region_code = ? AND u.disabled = 0 "
		/* accounts of sampled units are listed with their unit (below) */
		"AND NOT EXISTS (SELECT 1 FROM sample_units su WHERE su.user_id = u.id AND" INVITED_SQL ") "
		"ORDER BY u.org_name, u.id LIMIT 5000",
		R_REGION },
	/* Every invited unit of the region's sample for a form, registered or
	 * not (paper questionnaires, issue 10). */
	[STMT_PROXY_UNITS] = {
		"SELECT su.id, su.name, su.stratum, IFNULL(su.user_id, 0), IFNULL(u.username, ''),"
		" IFNULL(p.status, ''), IFNULL(p.proxy_user_id, 0), IFNULL(u.disabled, 0)"
		" FROM sample_units su LEFT JOIN users u ON u.id = su.user_id"
		" LEFT JOIN responses p ON p.user_id = su.user_id AND p.form = su.form"
		" WHERE su.region_code = ? AND su.form = ? AND" INVITED_SQL
		" ORDER BY su.stratum, su.position, su.id LIMIT 20000",
		R_REGION },
	[STMT_PROXY_UNIT_LOCK] = {
		"SELECT su.id, su.name, su.stratum, IFNULL(su.user_id, 0) FROM sample_units su"
		" WHERE su.id = ? AND su.region_code = ? AND su.form = ? AND" INVITED_SQL "FOR UPDATE",
		R_REGION },
	[STMT_UNIT_BIND_PAPER] = {
		"UPDATE sample_units SET user_id = ?, registered_at = NOW(), paper_by = ?"
		" WHERE id = ? AND user_id IS NULL",
		R_REGION },
	/* smesurvey-admin bind-account: an existing account takes a selected
	 * unit of its region and form, as if registered with its code. */
	[STMT_CLI_BIND_ACCOUNT] = {
		"SELECT id, role, IFNULL(region_code, ''), IFNULL(form, '') FROM users WHERE username = ?",
		R_CLI },
	[STMT_CLI_BOUND_UNIT] = {
		"SELECT id FROM sample_units WHERE user_id = ? LIMIT 1",
		R_CLI },
	[STMT_CLI_BIND_PICK] = {
		"SELECT id, name FROM sample_units WHERE region_code = ? AND form = ? AND role = 'selected'"
		" AND status = 'active' AND user_id IS NULL AND (? = 0 OR id = ?)"
		" ORDER BY stratum, position, id LIMIT 1 FOR UPDATE",
		R_CLI },
	[STMT_CLI_BIND_UNIT] = {
		"UPDATE sample_units SET user_id = ?, registered_at = NOW(),"
		" slip_printed_at = COALESCE(slip_printed_at, NOW()), code_opened_at = COALESCE(code_opened_at, NOW())"
		" WHERE id = ? AND user_id IS NULL",
		R_CLI },
	[STMT_CLI_BIND_ORG_NAME] = {
		"UPDATE users SET org_name = ? WHERE id = ?",
		R_CLI },

	/* Administration: responses, export, statistics */
	[STMT_RESPONSE_GET] = {
		"SELECT p.form, p.status, COALESCE(p.region_code, ''), COALESCE(g.name, ''), u.org_name,"
		" u.username, p.proxy_user_id IS NOT NULL, DATE_FORMAT(p.updated_at, '%Y-%m-%d %H:%i:%s'),"
		" COALESCE(DATE_FORMAT(p.submitted_at, '%Y-%m-%d %H:%i:%s'), '')"
		" FROM responses p JOIN users u ON u.id = p.user_id"
		" LEFT JOIN regions g ON g.code = p.region_code WHERE p.id = ?",
		R_ADMINS },
	[STMT_ANSWER_GET] = {
		"SELECT value FROM answers WHERE response_id = ? AND code = ?",
		R_ADMINS },
	[STMT_RESPONSE_REOPEN] = {
		"UPDATE responses SET status = 'draft', submitted_at = NULL, "
		"version = version + 1, updated_at = NOW() WHERE id = ?",
		R_ADMIN },
	[STMT_EXPORT_RESPONSES] = {
		"SELECT r.id, COALESCE(r.region_code, ''), COALESCE(g.name, ''), u.username, u.org_name,"
		" r.status, IF(r.proxy_user_id IS NULL, '0', '1'),"
		" COALESCE(DATE_FORMAT(r.submitted_at, '%Y-%m-%d %H:%i:%s'), ''),"
		/* The account's sample unit, if it came through an invitation code:
		 * in_sample, stratum, replaces (a reserve that replaced one). One
		 * join, not three lookups per row: sample_units.user_id is unique
		 * (uk_user), so there is at most one such unit. */
		" IF(su.id IS NULL, '0', '1'), COALESCE(su.stratum, ''),"
		" IF(su.replaces_id IS NOT NULL, '1', '0')"
		" FROM responses r JOIN users u ON u.id = r.user_id"
		" LEFT JOIN regions g ON g.code = r.region_code"
		" LEFT JOIN sample_units su ON su.user_id = r.user_id AND" INVITED_SQL
		" WHERE r.form = ? AND (? IS NULL OR r.region_code = ?) AND (? IS NULL OR r.status = ?)"
		/* Streaming exports (issue 13): a chunk at a time by key, after
		 * the last id sent, inside one snapshot (forms/export.c). */
		" AND r.id > ? ORDER BY r.id LIMIT ?",
		R_ADMINS },
	/* The answers of one chunk: responses first..last id of the filter. */
	[STMT_EXPORT_ANSWERS] = {
		"SELECT a.response_id, a.code, a.value FROM responses r"
		" JOIN answers a ON a.response_id = r.id"
		" WHERE r.form = ? AND (? IS NULL OR r.region_code = ?) AND (? IS NULL OR r.status = ?)"
		" AND r.id BETWEEN ? AND ? ORDER BY r.id",
		R_ADMINS },

	/* Sample frames (region/frames.c, sample/frame.c; frame_store() is shared with smesurvey-admin) */
	/* Every submitted answer of a form with its response's region, the
	 * account's organisation and whether the account came through an
	 * invitation code of the sample (the indicators' "sample only"). */
	[STMT_INDICATOR_ANSWERS] = {
		"SELECT r.id, COALESCE(r.region_code, ''), u.org_name,"
		" EXISTS (SELECT 1 FROM sample_units su WHERE su.user_id = r.user_id AND" INVITED_SQL "),"
		" a.code, a.value"
		" FROM responses r JOIN users u ON u.id = r.user_id JOIN answers a ON a.response_id = r.id"
		" WHERE r.form = ? AND r.status = 'submitted' ORDER BY r.id",
		R_ADMINS | R_REGION },
	[STMT_FRAME_INSERT_PENDING] = {
		"INSERT INTO frames (region_code, kind, status, filename, charset, uploaded_by)"
		" VALUES (?, ?, 'pending', ?, ?, ?)",
		R_REGION | R_CLI },
	[STMT_FRAMES_PENDING] = {
		"SELECT id FROM frames WHERE region_code = ? AND kind = ? AND status = 'pending'",
		R_REGION },
	[STMT_FRAME_PENDING_LATEST] = {
		"SELECT id, filename, charset FROM frames"
		" WHERE region_code = ? AND kind = ? AND status = 'pending' ORDER BY id DESC LIMIT 1",
		R_REGION },
	[STMT_FRAME_PENDING_CHECK] = {
		"SELECT id FROM frames WHERE id = ? AND region_code = ? AND kind = ?"
		" AND status = 'pending'",
		R_REGION },
	[STMT_FRAME_DELETE_PENDING] = {
		"DELETE FROM frames WHERE id = ? AND status = 'pending'",
		R_REGION },
	[STMT_FRAME_DELETE] = {
		"DELETE FROM frames WHERE id = ?",
		R_REGION },
	[STMT_FRAME_CONFIRMED] = {
		"SELECT id, filename, charset, nunits, checksum, uploaded_at FROM frames"
		" WHERE region_code = ? AND kind = ? AND status = 'confirmed'",
		R_REGION },
	[STMT_FRAME_CONFIRMED_SUMMARY] = {
		"SELECT id, nunits, checksum FROM frames WHERE region_code = ? AND kind = ? AND status = 'confirmed'",
		R_REGION },
	[STMT_FRAME_CONFIRMED_ID] = {
		"SELECT id FROM frames WHERE region_code = ? AND kind = ? AND status = 'confirmed'",
		R_CLI },
	[STMT_FRAME_STRATUM_COUNTS] = {
		"SELECT stratum, COUNT(*) FROM frame_units WHERE frame_id = ? GROUP BY stratum",
		R_REGION },
	[STMT_FRAME_STATUS_LOCK] = {
		"SELECT status FROM frames WHERE id = ? AND region_code = ? AND kind = ? FOR UPDATE",
		R_REGION | R_CLI },
	[STMT_SAMPLE_ID_LOCK] = {
		"SELECT id FROM samples WHERE region_code = ? AND kind = ? FOR UPDATE",
		R_REGION | R_CLI },
	[STMT_FRAME_DELETE_CONFIRMED] = {
		"DELETE FROM frames WHERE region_code = ? AND kind = ? AND status = 'confirmed'",
		R_REGION | R_ADMIN | R_CLI },
	[STMT_FRAME_UNIT_INSERT] = {
		"INSERT INTO frame_units (frame_id, line_no, stratum, name, platform, contact, phone, email,"
		" org_code, address, zip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		R_REGION | R_CLI },
	[STMT_FRAME_CONFIRM] = {
		"UPDATE frames SET status = 'confirmed', checksum = ?, nunits = ? WHERE id = ?",
		R_REGION | R_CLI },

	/* Samples (region/sample.c, sample/draw.c; the draw is shared with smesurvey-admin) */
	/* A pending upload's parsed table and preview (sample/fpending.c);
	 * read only through the region's own pending frame. */
	[STMT_FRAME_TABLE_INSERT] = {
		"INSERT INTO frame_tables (frame_id, nrows, ncells, nbytes, cells, preview) VALUES (?, ?, ?, ?, ?, ?)",
		R_REGION },
	[STMT_FRAME_TABLE_CELLS] = {
		"SELECT t.cells FROM frame_tables t JOIN frames f ON f.id = t.frame_id"
		" WHERE t.frame_id = ? AND f.region_code = ? AND f.status = 'pending'",
		R_REGION },
	[STMT_FRAME_TABLE_PREVIEW] = {
		"SELECT t.preview FROM frame_tables t JOIN frames f ON f.id = t.frame_id"
		" WHERE t.frame_id = ? AND f.region_code = ? AND f.status = 'pending'",
		R_REGION },
	[STMT_FRAME_TABLE_PREVIEW_SET] = {
		"UPDATE frame_tables SET preview = ? WHERE frame_id = ?",
		R_REGION },
	[STMT_FRAME_TABLE_DELETE] = {
		"DELETE FROM frame_tables WHERE frame_id = ?",
		R_REGION },
	[STMT_FRAME_MAPPING_GET] = {
		"SELECT header_row, col_map, platform_map FROM frame_mappings WHERE region_code = ? AND kind = ?",
		R_REGION },
	[STMT_FRAME_MAPPING_SAVE] = {
		"INSERT INTO frame_mappings (region_code, kind, header_row, col_map, platform_map) VALUES (?, ?, ?, ?, ?)"
		" ON DUPLICATE KEY UPDATE header_row = VALUES(header_row), col_map = VALUES(col_map),"
		" platform_map = VALUES(platform_map)",
		R_REGION },
	[STMT_SAMPLE_ID] = {
		"SELECT id FROM samples WHERE region_code = ? AND kind = ?",
		R_REGION | R_CLI },
	[STMT_SAMPLE_GET] = {
		"SELECT id, method, frame_checksum, seed, algo_version, created_at FROM samples"
		" WHERE region_code = ? AND kind = ?",
		R_REGION },
	/* The sample page by stratum (issue 13 item 3): counts per stratum; one
	 * page of a stratum's selected units or reserves by position (the
	 * k_sample index), searched by name (''); the replacements made; the
	 * unit that just came in, for the page that shows it. */
	[STMT_SAMPLE_STRATA_COUNTS] = {
		"SELECT stratum, SUM(role = 'selected' AND status = 'active'), SUM(role = 'reserve' AND status = 'active')"
		" FROM sample_units WHERE sample_id = ? GROUP BY stratum",
		R_REGION },
	[STMT_SAMPLE_UNITS_PAGE] = {
		"SELECT " SU_COLS " FROM sample_units WHERE sample_id = ? AND stratum = ? AND role = ?"
		" AND (position > ? OR (position = ? AND id > ?))"
		" AND (? = '' OR name LIKE CONCAT('%', ?, '%')) ORDER BY position, id LIMIT ?",
		R_REGION },
	[STMT_SAMPLE_REPLACEMENTS] = {
		"SELECT o.name, o.stratum, o.position, n.name, n.position, o.replace_reason"
		" FROM sample_units n JOIN sample_units o ON o.id = n.replaces_id"
		" WHERE n.sample_id = ? ORDER BY n.id LIMIT 200",
		R_REGION },
	[STMT_SAMPLE_UNIT_CAME_IN] = {
		"SELECT n.stratum, n.position, o.name, o.replace_reason FROM sample_units n"
		" LEFT JOIN sample_units o ON o.id = n.replaces_id WHERE n.id = ? AND n.sample_id = ?",
		R_REGION },
	[STMT_SAMPLE_LIST_CSV] = {
		"SELECT su.stratum, su.role, su.position, su.name, su.platform, su.contact, su.phone,"
		" su.email, su.status, su.replace_reason, su.org_code, su.address, su.zip"
		" FROM sample_units su JOIN samples s ON s.id = su.sample_id"
		" WHERE s.region_code = ? AND s.kind = ? ORDER BY su.stratum, su.position",
		R_REGION },
	[STMT_FRAME_CONFIRMED_CHECKSUM] = {
		"SELECT id, checksum FROM frames WHERE region_code = ? AND kind = ? AND status = 'confirmed'",
		R_REGION | R_CLI },
	[STMT_FRAME_CONFIRMED_SHARE_LOCK] = {
		"SELECT id FROM frames WHERE id = ? AND status = 'confirmed' LOCK IN SHARE MODE",
		R_REGION | R_CLI },
	[STMT_FRAME_UNITS] = {
		"SELECT id, line_no, stratum, name, platform, contact, phone, email, org_code, address, zip"
		" FROM frame_units WHERE frame_id = ? ORDER BY line_no",
		R_REGION | R_CLI },
	[STMT_SAMPLE_INSERT] = {
		"INSERT INTO samples (region_code, kind, method, frame_id, frame_checksum, seed,"
		" algo_version, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		R_REGION | R_CLI },
	[STMT_SAMPLE_UNIT_INSERT] = {
		"INSERT INTO sample_units (sample_id, region_code, form, stratum, frame_unit_id, name,"
		" platform, contact, phone, email, org_code, address, zip, role, position)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		R_REGION | R_CLI },
	[STMT_SAMPLE_FOR_VERIFY] = {
		"SELECT id, method, frame_id, frame_checksum, seed, algo_version"
		" FROM samples WHERE region_code = ? AND kind = ?",
		R_CLI },
	[STMT_SAMPLE_UNITS_VERIFY] = {
		"SELECT frame_unit_id, stratum, role, position, replaces_id, name"
		" FROM sample_units WHERE sample_id = ? ORDER BY stratum, position",
		R_CLI },
	[STMT_SAMPLE_UNIT_LOCK] = {
		"SELECT su.id, su.sample_id, su.stratum, su.role, su.status, su.name FROM sample_units su"
		" JOIN samples s ON s.id = su.sample_id WHERE su.id = ? AND s.region_code = ? FOR UPDATE",
		R_REGION },
	/* The region home's checklist (issue 10): confirmed frames, samples,
	 * invited units and those printed, construction-unit accounts (the two
	 * roles given) and their submissions, the region's own form (given)
	 * submitted. */
	[STMT_REGION_CHECKLIST] = {
		"SELECT (SELECT COUNT(*) FROM frames WHERE region_code = ? AND status = 'confirmed'),"
		" (SELECT COUNT(*) FROM samples WHERE region_code = ?),"
		" (SELECT COUNT(*) FROM sample_units su WHERE su.region_code = ? AND" INVITED_SQL "),"
		" (SELECT COUNT(*) FROM sample_units su WHERE su.region_code = ? AND" INVITED_SQL
		"  AND (su.slip_printed_at IS NOT NULL OR su.user_id IS NOT NULL)),"
		" (SELECT COUNT(*) FROM users WHERE region_code = ? AND role IN (?, ?) AND disabled = 0),"
		" (SELECT COUNT(*) FROM responses p JOIN users u ON u.id = p.user_id WHERE u.region_code = ?"
		"  AND u.role IN (?, ?) AND u.disabled = 0 AND p.form = u.form AND p.status = 'submitted'),"
		" (SELECT COUNT(*) FROM responses p WHERE p.region_code = ? AND p.form = ?"
		"  AND p.status = 'submitted')",
		R_REGION },
	/* The same two without locks, for the replacement's confirmation page. */
	[STMT_SAMPLE_UNIT_SHOW] = {
		"SELECT su.id, su.sample_id, su.stratum, su.role, su.status, su.name FROM sample_units su"
		" JOIN samples s ON s.id = su.sample_id WHERE su.id = ? AND s.region_code = ?",
		R_REGION },
	[STMT_SAMPLE_NEXT_RESERVE_SHOW] = {
		"SELECT id, name, position FROM sample_units WHERE sample_id = ? AND stratum = ?"
		" AND role = 'reserve' AND status = 'active' ORDER BY position LIMIT 1",
		R_REGION },
	[STMT_SAMPLE_NEXT_RESERVE] = {
		"SELECT id, name, position FROM sample_units WHERE sample_id = ? AND stratum = ?"
		" AND role = 'reserve' AND status = 'active' ORDER BY position LIMIT 1 FOR UPDATE",
		R_REGION },
	[STMT_SAMPLE_UNIT_REPLACE] = {
		"UPDATE sample_units SET status = 'replaced', replace_reason = ?, code_lookup = NULL,"
		" code_expires = NULL WHERE id = ?",
		R_REGION },
	[STMT_SAMPLE_UNIT_PROMOTE] = {
		"UPDATE sample_units SET role = 'selected', replaces_id = ? WHERE id = ?",
		R_REGION },

	/* The ministry's reset of a region's sample (sample/draw.c sample_reset) */
	[STMT_SAMPLE_RESET_LOCK] = {
		"SELECT s.id, COUNT(su.id), IFNULL(SUM(su.user_id IS NOT NULL), 0),"
		" IFNULL(SUM(su.code_lookup IS NOT NULL), 0)"
		" FROM samples s LEFT JOIN sample_units su ON su.sample_id = s.id"
		" WHERE s.region_code = ? AND s.kind = ? GROUP BY s.id FOR UPDATE",
		R_ADMIN | R_CLI },
	[STMT_SAMPLE_RESET_REVOKE] = {
		"INSERT IGNORE INTO revoked_codes (code_lookup, unit_id, region_code, reason)"
		" SELECT code_lookup, id, region_code, 'reset' FROM sample_units"
		" WHERE sample_id = ? AND code_lookup IS NOT NULL",
		R_ADMIN | R_CLI },
	[STMT_SAMPLE_DELETE] = {
		"DELETE FROM samples WHERE id = ?",
		R_ADMIN | R_CLI },
	[STMT_ADMIN_SAMPLES] = {
		"SELECT s.region_code, g.name, s.kind, s.method, s.created_at, COUNT(su.id),"
		" IFNULL(SUM(su.user_id IS NOT NULL), 0)"
		" FROM samples s JOIN regions g ON g.code = s.region_code"
		" LEFT JOIN sample_units su ON su.sample_id = s.id"
		" WHERE (? = '' OR s.region_code = ?) AND (? = '' OR s.kind = ?)"
		" GROUP BY s.id ORDER BY s.region_code, s.kind",
		R_ADMINS },

	/* Invitation codes and slips (sample/codes.c, sample/slips.c) */
	[STMT_UNITS_TO_ISSUE_LOCK] = {
		"SELECT su.id, su.name, su.form, su.stratum, su.code_lookup, su.code_issue FROM sample_units su"
		" WHERE su.region_code = ? AND" INVITED_SQL "AND su.user_id IS NULL"
		" AND (? = '' OR su.stratum = ?) AND (? = 0 OR su.id = ?)"
		" AND (? = 0 OR su.slip_printed_at IS NULL)"
		" ORDER BY su.stratum, su.position, su.id FOR UPDATE",
		R_REGION },
	[STMT_UNIT_SET_CODE] = {
		"UPDATE sample_units SET code_lookup = ?, code_issue = ?, code_expires = ?,"
		" slip_printed_at = NOW() WHERE id = ?",
		R_REGION },
	[STMT_UNIT_REISSUE_CODE] = {
		"UPDATE sample_units SET code_lookup = ?, code_issue = ?, slip_printed_at = NULL,"
		" code_opened_at = NULL WHERE id = ?",
		R_REGION },
	[STMT_UNIT_TO_REVOKE_LOCK] = {
		"SELECT su.id, su.code_issue FROM sample_units su WHERE su.id = ? AND su.region_code = ?"
		" AND" INVITED_SQL "AND su.user_id IS NULL AND su.code_lookup IS NOT NULL FOR UPDATE",
		R_REGION },
	/* Keeps the hash of a unit's code before it is revoked, replaced or reset. */
	[STMT_CODE_REVOKED_INSERT] = {
		"INSERT IGNORE INTO revoked_codes (code_lookup, unit_id, region_code, reason)"
		" SELECT code_lookup, id, region_code, ? FROM sample_units"
		" WHERE id = ? AND code_lookup IS NOT NULL",
		R_REGION },
	[STMT_SLIP_UNITS] = {
		"SELECT su.id, su.stratum, su.name, su.slip_printed_at, su.code_opened_at,"
		" su.registered_at, u.username, p.status, p.created_at, p.submitted_at,"
		" p.proxy_user_id IS NOT NULL, su.paper_by IS NOT NULL"
		" FROM sample_units su LEFT JOIN users u ON u.id = su.user_id"
		" LEFT JOIN responses p ON p.user_id = su.user_id AND p.form = su.form"
		" WHERE su.region_code = ? AND su.id > ? AND" INVITED_SQL
		" AND (? = '' OR su.stratum = ?) AND (? = '' OR su.name LIKE CONCAT('%', ?, '%'))"
		" ORDER BY su.id LIMIT ?",
		R_REGION },
	/* The funnel's counts over all invited units of the region, apart from
	 * the paged list of units above (issue 13 item 3). */
	[STMT_SLIP_FUNNEL_COUNTS] = {
		"SELECT COUNT(*), SUM(su.slip_printed_at IS NOT NULL), SUM(su.code_opened_at IS NOT NULL),"
		" SUM(su.registered_at IS NOT NULL), SUM(p.status IS NOT NULL), SUM(p.submitted_at IS NOT NULL)"
		" FROM sample_units su LEFT JOIN responses p ON p.user_id = su.user_id AND p.form = su.form"
		" WHERE su.region_code = ? AND" INVITED_SQL,
		R_REGION },
	/* Follow-up lists (issue 11 item 4, sample/followup.c). A unit is on
	 * the list while it is invited and its response is not submitted; its
	 * state: 'unreg' (no account), 'nostart' (account, no response),
	 * 'draft'. Paged by key (su.id > ?), the last follow-up by the
	 * (unit_id, id) index. Filters: stratum, state, name ('' = any). */
	[STMT_FOLLOWUP_UNITS] = {
		"SELECT su.id, su.stratum, su.name, su.contact, su.phone," FU_STATE_SQL ","
		" su.slip_printed_at, TIMESTAMPDIFF(DAY, su.slip_printed_at, NOW()),"
		" su.code_opened_at, TIMESTAMPDIFF(DAY, su.code_opened_at, NOW()),"
		" su.role, su.code_issue, su.code_lookup, u.username, f.outcome, f.at, f.note"
		" FROM sample_units su LEFT JOIN users u ON u.id = su.user_id"
		" LEFT JOIN responses p ON p.user_id = su.user_id AND p.form = su.form"
		" LEFT JOIN followups f ON f.id = (SELECT MAX(f2.id) FROM followups f2 WHERE f2.unit_id = su.id)"
		" WHERE su.region_code = ? AND su.id > ? AND" INVITED_SQL
		" AND (p.status IS NULL OR p.status <> 'submitted')"
		" AND (? = '' OR su.stratum = ?) AND (? = '' OR" FU_STATE_SQL "= ?)"
		" AND (? = '' OR su.name LIKE CONCAT('%', ?, '%'))"
		" ORDER BY su.id LIMIT ?",
		R_REGION | R_ADMINS },
	/* Construction units: the region's accounts of the two roles given
	 * (hub, window) without a submitted response; a few per region. */
	[STMT_FOLLOWUP_ACCOUNTS] = {
		"SELECT u.id, u.role, u.org_name, u.username,"
		" CASE WHEN p.status IS NULL THEN 'nostart' ELSE 'draft' END, u.last_login_at,"
		" f.outcome, f.at, f.note, u.contact, u.phone"
		" FROM users u LEFT JOIN responses p ON p.user_id = u.id AND p.form = u.form"
		" LEFT JOIN followups f ON f.id = (SELECT MAX(f2.id) FROM followups f2 WHERE f2.user_id = u.id)"
		" WHERE u.region_code = ? AND u.role IN (?, ?) AND u.disabled = 0"
		" AND (p.status IS NULL OR p.status <> 'submitted')"
		" AND (? = '' OR (CASE WHEN p.status IS NULL THEN 'nostart' ELSE 'draft' END) = ?)"
		" AND (? = '' OR u.org_name LIKE CONCAT('%', ?, '%'))"
		" ORDER BY u.role, u.id",
		R_REGION | R_ADMINS },
	/* One unit and one construction account, with their region (the
	 * caller compares it: another region's unit is 403). */
	[STMT_FOLLOWUP_UNIT_GET] = {
		"SELECT su.id, su.region_code, su.stratum, su.name, su.contact, su.phone, su.role, su.status,"
		FU_STATE_SQL ", p.status"
		" FROM sample_units su LEFT JOIN responses p ON p.user_id = su.user_id AND p.form = su.form"
		" WHERE su.id = ?",
		R_REGION | R_ADMINS },
	[STMT_FOLLOWUP_ACCOUNT_GET] = {
		"SELECT u.id, COALESCE(u.region_code, ''), u.role, u.org_name, u.username,"
		" CASE WHEN p.status IS NULL THEN 'nostart' ELSE 'draft' END, p.status, u.contact, u.phone"
		" FROM users u LEFT JOIN responses p ON p.user_id = u.id AND p.form = u.form"
		" WHERE u.id = ? AND u.role IN (?, ?)",
		R_REGION | R_ADMINS },
	[STMT_FOLLOWUP_INSERT] = {
		"INSERT INTO followups (region_code, unit_id, user_id, outcome, note, by_user)"
		" VALUES (?, ?, ?, ?, ?, ?)",
		R_REGION },
	[STMT_FOLLOWUP_HISTORY_UNIT] = {
		"SELECT f.at, f.outcome, f.note, u.username FROM followups f LEFT JOIN users u ON u.id = f.by_user"
		" WHERE f.unit_id = ? ORDER BY f.id DESC LIMIT 200",
		R_REGION | R_ADMINS },
	[STMT_FOLLOWUP_HISTORY_ACCOUNT] = {
		"SELECT f.at, f.outcome, f.note, u.username FROM followups f LEFT JOIN users u ON u.id = f.by_user"
		" WHERE f.user_id = ? ORDER BY f.id DESC LIMIT 200",
		R_REGION | R_ADMINS },
	[STMT_SLIP_FUNNEL] = {
		"SELECT su.stratum, COUNT(*), SUM(su.slip_printed_at IS NOT NULL), SUM(su.user_id IS NOT NULL)"
		" FROM sample_units su WHERE su.region_code = ? AND" INVITED_SQL
		" GROUP BY su.stratum ORDER BY su.stratum",
		R_REGION },
	[STMT_SLIP_UNIT] = {
		"SELECT su.name, su.stratum, su.slip_printed_at FROM sample_units su"
		" WHERE su.id = ? AND su.region_code = ? AND su.user_id IS NULL AND" INVITED_SQL,
		R_REGION },

	/* Registration (register.c): a page open to everybody */
	[STMT_CODE_FAILURES_COUNT] = {
		"SELECT COUNT(*) FROM code_failures WHERE ip = ?"
		" AND at > NOW() - INTERVAL 10 MINUTE",
		R_ANYONE },
	[STMT_CODE_FAILURE_INSERT] = {
		"INSERT INTO code_failures (ip, at) VALUES (?, NOW())",
		R_ANYONE },
	[STMT_CODE_FAILURES_PURGE] = {
		"DELETE FROM code_failures WHERE at < NOW() - INTERVAL 1 DAY",
		R_ANYONE | R_CLI },
	[STMT_UNIT_BY_CODE] = {
		"SELECT su.id, su.region_code, g.name, g.help_phone, su.form, su.name,"
		" su.user_id IS NOT NULL, IFNULL(DATE_FORMAT(su.code_expires, '%Y-%m-%d %H:%i:%s'), ''),"
		" (" INVITED_SQL "), su.paper_by IS NOT NULL, COALESCE(u.username, '')"
		" FROM sample_units su JOIN regions g ON g.code = su.region_code"
		" LEFT JOIN users u ON u.id = su.user_id"
		" WHERE su.code_lookup = ?",
		R_ANYONE },
	[STMT_UNIT_BY_CODE_LOCK] = {
		"SELECT su.id, su.region_code, g.name, g.help_phone, su.form, su.name,"
		" su.user_id IS NOT NULL, IFNULL(DATE_FORMAT(su.code_expires, '%Y-%m-%d %H:%i:%s'), ''),"
		" (" INVITED_SQL "), su.paper_by IS NOT NULL, COALESCE(u.username, '')"
		" FROM sample_units su JOIN regions g ON g.code = su.region_code"
		" LEFT JOIN users u ON u.id = su.user_id"
		" WHERE su.code_lookup = ? FOR UPDATE",
		R_ANYONE },
	[STMT_CODE_REVOKED_LOOKUP] = {
		"SELECT g.name, g.help_phone FROM revoked_codes rc JOIN regions g ON g.code = rc.region_code"
		" WHERE rc.code_lookup = ?",
		R_ANYONE },
	[STMT_UNIT_OPENED] = {
		"UPDATE sample_units SET code_opened_at = NOW() WHERE id = ? AND code_opened_at IS NULL",
		R_ANYONE },
	[STMT_UNIT_REGISTER] = {
		"UPDATE sample_units SET user_id = ?, registered_at = NOW(),"
		" code_opened_at = COALESCE(code_opened_at, NOW()), contact = ?, phone = ?, email = ?"
		" WHERE id = ? AND user_id IS NULL",
		R_ANYONE },
	[STMT_SELF_REGISTRATIONS_COUNT] = {
		"SELECT COUNT(*) FROM audit_log WHERE action = 'register-self'"
		" AND ip = ? AND at > NOW() - INTERVAL 1 HOUR",
		R_ANYONE },

	/* ---- Maintained aggregates (issue 13 item 1; forms/aggr.c) ---- */
	/* The key a submitted response is counted under: its region ('' for
	 * none) and whether its account came through an invitation code. */
	[STMT_AGGR_RESPONSE_KEY] = {
		"SELECT r.form, COALESCE(r.region_code, ''),"
		" EXISTS (SELECT 1 FROM sample_units su WHERE su.user_id = r.user_id AND" INVITED_SQL ")"
		" FROM responses r WHERE r.id = ? AND r.status = 'submitted'",
		R_AGGR },
	[STMT_AGGR_COUNTED_GET] = {
		"SELECT form, region_code, in_sample FROM agg_counted WHERE response_id = ? FOR UPDATE",
		R_AGGR },
	[STMT_AGGR_COUNTED_INSERT] = {
		"INSERT INTO agg_counted (response_id, form, region_code, in_sample) VALUES (?, ?, ?, ?)",
		R_AGGR },
	[STMT_AGGR_COUNTED_DELETE] = {
		"DELETE FROM agg_counted WHERE response_id = ?",
		R_AGGR },
	[STMT_AGGR_FIELDS_ADD_1] = {
		"INSERT INTO agg_fields (form, region_code, in_sample, code, opt, n, first, rsum, sum) VALUES "
		AGG_F1 AGG_FIELDS_UPSERT,
		R_AGGR },
	[STMT_AGGR_FIELDS_ADD_8] = {
		"INSERT INTO agg_fields (form, region_code, in_sample, code, opt, n, first, rsum, sum) VALUES "
		AGG_F8 AGG_FIELDS_UPSERT,
		R_AGGR },
	[STMT_AGGR_VALUES_ADD_1] = {
		"INSERT INTO agg_values (form, region_code, in_sample, code, value, n) VALUES "
		AGG_V1 " ON DUPLICATE KEY UPDATE n = n + VALUES(n)",
		R_AGGR },
	[STMT_AGGR_VALUES_ADD_8] = {
		"INSERT INTO agg_values (form, region_code, in_sample, code, value, n) VALUES "
		AGG_V8 " ON DUPLICATE KEY UPDATE n = n + VALUES(n)",
		R_AGGR },
	/* Values nobody gives any more go, so MIN/MAX read one entry. */
	[STMT_AGGR_VALUES_PRUNE] = {
		"DELETE FROM agg_values WHERE form = ? AND region_code = ? AND n = 0",
		R_AGGR },
	/* The smallest and largest value of every number field of one key,
	 * from agg_values (two index dives a field). */
	[STMT_AGGR_FIELDS_MINMAX] = {
		"UPDATE agg_fields f SET"
		" vmin = (SELECT MIN(v.value) FROM agg_values v WHERE v.form = f.form AND v.region_code = f.region_code"
		" AND v.in_sample = f.in_sample AND v.code = f.code),"
		" vmax = (SELECT MAX(v.value) FROM agg_values v WHERE v.form = f.form AND v.region_code = f.region_code"
		" AND v.in_sample = f.in_sample AND v.code = f.code)"
		" WHERE f.form = ? AND f.region_code = ? AND f.in_sample = ? AND f.opt = '' AND f.code <> ''",
		R_AGGR },
	[STMT_AGGR_IND_ADD_1] = {
		"INSERT INTO agg_ind (region_code, in_sample, ind, term, n, k, sum) VALUES "
		AGG_I1 AGG_IND_UPSERT,
		R_AGGR },
	[STMT_AGGR_IND_ADD_8] = {
		"INSERT INTO agg_ind (region_code, in_sample, ind, term, n, k, sum) VALUES "
		AGG_I8 AGG_IND_UPSERT,
		R_AGGR },
	/* The responses whose in_sample a change of sample units may move. */
	[STMT_AGGR_SAMPLE_RESPONSES] = {
		"SELECT p.id FROM sample_units su JOIN responses p ON p.user_id = su.user_id AND p.form = su.form"
		" WHERE su.sample_id = ?",
		R_ADMIN | R_CLI },
	[STMT_AGGR_UNIT_RESPONSES] = {
		"SELECT p.id FROM sample_units su JOIN responses p ON p.user_id = su.user_id AND p.form = su.form"
		" WHERE su.id = ?",
		R_REGION | R_CLI },
	/* Deleted one by one (not by the samples' ON DELETE CASCADE) so that
	 * the triggers of sql/005_aggregates.sql see them. */
	[STMT_AGGR_SAMPLE_UNITS_DELETE] = {
		"DELETE FROM sample_units WHERE sample_id = ?",
		R_ADMIN | R_CLI },
	/* Progress per region and form; the self-evaluation report's
	 * submission time only for its form (few rows: the region accounts). */
	[STMT_AGGR_PROGRESS] = {
		"SELECT g.code, g.name, a.form, a.accounts, a.drafts, a.submitted,"
		" CASE WHEN a.form = ? THEN (SELECT DATE_FORMAT(MAX(p.submitted_at), '%Y-%m-%d %H:%i')"
		"  FROM users u JOIN responses p ON p.user_id = u.id AND p.form = u.form"
		"  WHERE u.region_code = g.code AND u.role = ? AND u.form = a.form AND u.disabled = 0"
		"  AND p.status = 'submitted') END"
		" FROM regions g LEFT JOIN agg_progress a ON a.region_code = g.code"
		" WHERE (? IS NULL OR g.code = ?) ORDER BY g.code, a.form",
		R_ADMINS | R_REGION },
	[STMT_AGGR_QUOTA] = {
		"SELECT region_code, stratum, sampled, printed, opened, registered, submitted FROM agg_quota"
		" WHERE (? IS NULL OR region_code = ?)",
		R_ADMINS | R_REGION },
	[STMT_AGGR_STATS_REGIONS] = {
		"SELECT f.region_code, COALESCE(g.name, ''), SUM(f.n) FROM agg_fields f"
		" LEFT JOIN regions g ON g.code = f.region_code"
		" WHERE f.form = ? AND f.code = '' AND f.opt = '' AND (? IS NULL OR f.region_code = ?)"
		" GROUP BY f.region_code, g.name HAVING SUM(f.n) > 0 ORDER BY f.region_code",
		R_ADMINS },
	[STMT_AGGR_STATS_FIELDS] = {
		"SELECT code, opt, SUM(n), SUM(first), SUM(rsum), CAST(SUM(sum) AS CHAR),"
		" CAST(MIN(vmin) AS CHAR), CAST(MAX(vmax) AS CHAR) FROM agg_fields"
		" WHERE form = ? AND (? IS NULL OR region_code = ?) GROUP BY code, opt",
		R_ADMINS },
	[STMT_AGGR_IND_ALL] = {
		"SELECT region_code, in_sample, ind, term, n, k, CAST(sum AS CHAR) FROM agg_ind",
		R_ADMINS | R_REGION },
	[STMT_AGGR_QUOTA_ALL] = {
		"SELECT region_code, stratum, sampled, registered, submitted FROM agg_quota",
		R_ADMINS | R_REGION },
	/* smesurvey-admin rebuild-aggregates: everything again from the data. */
	[STMT_AGGR_CLEAR_PROGRESS] = { "DELETE FROM agg_progress", R_CLI },
	[STMT_AGGR_CLEAR_QUOTA]    = { "DELETE FROM agg_quota", R_CLI },
	[STMT_AGGR_CLEAR_COUNTED]  = { "DELETE FROM agg_counted", R_CLI },
	[STMT_AGGR_CLEAR_FIELDS]   = { "DELETE FROM agg_fields", R_CLI },
	[STMT_AGGR_CLEAR_VALUES]   = { "DELETE FROM agg_values", R_CLI },
	[STMT_AGGR_CLEAR_IND]      = { "DELETE FROM agg_ind", R_CLI },
	[STMT_AGGR_REBUILD_PROGRESS] = {
		"INSERT INTO agg_progress (region_code, form, accounts, drafts, submitted)"
		" SELECT u.region_code, u.form, COUNT(*), SUM(p.status <=> 'draft'), SUM(p.status <=> 'submitted')"
		" FROM users u LEFT JOIN responses p ON p.user_id = u.id AND p.form = u.form"
		" WHERE u.region_code IS NOT NULL AND u.form <> '' AND u.disabled = 0"
		" GROUP BY u.region_code, u.form",
		R_CLI },
	[STMT_AGGR_REBUILD_QUOTA] = {
		"INSERT INTO agg_quota (region_code, stratum, sampled, printed, opened, registered, submitted)"
		" SELECT su.region_code, su.stratum, COUNT(*), SUM(su.slip_printed_at IS NOT NULL),"
		" SUM(su.code_opened_at IS NOT NULL), SUM(su.user_id IS NOT NULL),"
		" SUM(EXISTS (SELECT 1 FROM responses p WHERE p.user_id = su.user_id AND p.form = su.form"
		" AND p.status = 'submitted'))"
		" FROM sample_units su WHERE" INVITED_SQL "GROUP BY su.region_code, su.stratum",
		R_CLI },
	/* A page of submitted responses in id order, with their key. */
	[STMT_AGGR_REBUILD_RESPONSES] = {
		"SELECT r.id, r.form, COALESCE(r.region_code, ''),"
		" EXISTS (SELECT 1 FROM sample_units su WHERE su.user_id = r.user_id AND" INVITED_SQL ")"
		" FROM responses r WHERE r.status = 'submitted' AND r.id > ? ORDER BY r.id LIMIT ?",
		R_CLI },
	[STMT_AGGR_REBUILD_ANSWERS] = {
		"SELECT a.response_id, a.code, a.value FROM answers a JOIN responses r ON r.id = a.response_id"
		" WHERE a.response_id BETWEEN ? AND ? AND r.status = 'submitted' ORDER BY a.response_id",
		R_CLI },
	/* smesurvey-admin dump-aggregates (the e2e test compares dumps). */
	[STMT_AGGR_DUMP_PROGRESS] = {
		"SELECT region_code, form, accounts, drafts, submitted FROM agg_progress"
		" WHERE accounts <> 0 OR drafts <> 0 OR submitted <> 0 ORDER BY region_code, form",
		R_CLI },
	[STMT_AGGR_DUMP_QUOTA] = {
		"SELECT region_code, stratum, sampled, printed, opened, registered, submitted FROM agg_quota"
		" WHERE sampled <> 0 OR printed <> 0 OR opened <> 0 OR registered <> 0 OR submitted <> 0"
		" ORDER BY region_code, stratum",
		R_CLI },
	[STMT_AGGR_DUMP_COUNTED] = {
		"SELECT response_id, form, region_code, in_sample FROM agg_counted ORDER BY response_id",
		R_CLI },
	[STMT_AGGR_DUMP_FIELDS] = {
		"SELECT form, region_code, in_sample, code, opt, n, first, rsum, sum, vmin, vmax FROM agg_fields"
		" WHERE n <> 0 OR first <> 0 OR rsum <> 0 OR sum <> 0"
		" ORDER BY form, region_code, in_sample, code, opt",
		R_CLI },
	[STMT_AGGR_DUMP_VALUES] = {
		"SELECT form, region_code, in_sample, code, value, n FROM agg_values WHERE n <> 0"
		" ORDER BY form, region_code, in_sample, code, value",
		R_CLI },
	[STMT_AGGR_DUMP_IND] = {
		"SELECT region_code, in_sample, ind, term, n, k, sum FROM agg_ind"
		" WHERE n <> 0 OR k <> 0 OR sum <> 0 ORDER BY region_code, in_sample, ind, term",
		R_CLI },
	/* The fingerprint of the definitions the answer tallies were computed
	 * with (sql/010_aggr_meta.sql; aggr_stale, aggr_rebuild). */
	[STMT_AGGR_META_GET] = {
		"SELECT definitions FROM agg_meta WHERE id = 1",
		R_ADMINS | R_CLI },
	[STMT_AGGR_META_SET] = {
		"UPDATE agg_meta SET definitions = ?, rebuilt_at = NOW() WHERE id = 1",
		R_CLI },
	/* ---- Seek paging of /admin/responses (issue 13 item 1) ---- */
	/* The list's total from the maintained counters (enabled accounts'
	 * responses, by the account's region), not a count of every row. */
	[STMT_RESPONSE_COUNT_AGGR] = {
		"SELECT COALESCE(SUM(CASE WHEN ? IS NULL THEN drafts + submitted WHEN ? = 'draft' THEN drafts"
		" ELSE submitted END), 0) FROM agg_progress"
		" WHERE (? IS NULL OR form = ?) AND (? IS NULL OR region_code = ?)",
		R_ADMINS },
	/* Newest first: a page is the rows below a key (NULL: from the top),
	 * one more than shown to know whether there is a next page. */
	[STMT_RESPONSE_PAGE_OLDER] = {
		"SELECT " RESPONSE_LIST_COLS " FROM responses p JOIN users u ON u.id = p.user_id"
		" LEFT JOIN regions g ON g.code = p.region_code"
		" WHERE (? IS NULL OR p.form = ?) AND (? IS NULL OR p.region_code = ?)"
		" AND (? IS NULL OR p.status = ?) AND (? IS NULL OR p.id < ?) ORDER BY p.id DESC LIMIT ?",
		R_ADMINS },
	/* The previous page: the rows above a key, nearest first (shown reversed). */
	[STMT_RESPONSE_PAGE_NEWER] = {
		"SELECT " RESPONSE_LIST_COLS " FROM responses p JOIN users u ON u.id = p.user_id"
		" LEFT JOIN regions g ON g.code = p.region_code"
		" WHERE (? IS NULL OR p.form = ?) AND (? IS NULL OR p.region_code = ?)"
		" AND (? IS NULL OR p.status = ?) AND p.id > ? ORDER BY p.id ASC LIMIT ?",
		R_ADMINS },
	/* Prefill (issue 9): the columns in the order of enum fact
	 * (forms/prefill.h); the unit is the one the account registered for. */
	[STMT_PREFILL_FACTS] = {
		"SELECT u.org_name, su.name, su.contact, su.phone, su.email, su.address, su.zip"
		" FROM users u LEFT JOIN sample_units su ON su.user_id = u.id WHERE u.id = ?",
		R_RESPONDENTS },
};
