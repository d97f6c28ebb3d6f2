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
/* The evaluation agency's workspace (issue 19), and the construction units
 * (hub, window) whose documents it reviews. */
#define R_AGENCY      RB(ROLE_AGENCY)
#define R_UNITS       (RB(ROLE_HUB) | RB(ROLE_WINDOW))
#define R_ANYONE      (R_ANON | R_SIGNED_IN)

/* The units that get invitations: active and selected, or a reserve that
 * has taken a replaced unit's place. Alias su. */
#define INVITED_SQL " su.status = 'active' AND (su.role = 'selected' OR su.replaces_id IS NOT NULL) "

/* The aggregates' key bit 1 (issue 20): a response the evaluation agency
 * excluded is counted under in_sample + 2. Alias r (responses). */
#define EXCLUDED_BIT " + 2 * EXISTS (SELECT 1 FROM flag_reviews fr WHERE fr.response_id = r.id" \
                     " AND fr.decision = 'excluded')"

/* Who reviews flagged responses and decides (issue 20): the ministry's
 * administrators and the evaluation agency. */
#define R_REVIEW      (RB(ROLE_ADMIN) | RB(ROLE_AGENCY))

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

/* Paradata (issue 20): adds a request's id (session, device, network,
 * browser family) to a comma-separated list of distinct ids unless it is
 * empty, listed, or the list is full (three arguments: the id thrice). */
#define PD_ADD(col) " " col " = IF(? = '' OR FIND_IN_SET(?, " col ") OR LENGTH(" col ") > 380, " col "," \
                    " CONCAT_WS(',', NULLIF(" col ", ''), ?))"
/* The active time: the gap since the last save, autosave or keep-alive,
 * when it is at most 5 minutes (a longer one is a pause, not counted). */
#define PD_ACTIVE(t) " " t "active_s = " t "active_s + IF(" t "last_at > NOW() - INTERVAL 300 SECOND," \
                     " TIMESTAMPDIFF(SECOND, " t "last_at, NOW()), 0), " t "last_at = NOW()"

/* The rows of the signature bands' insert (eval/flags.c: FLAG_BANDS = 12). */
#define FLAG_SIG1 "(?, ?, ?, ?, ?)"
#define FLAG_SIG4 FLAG_SIG1 ", " FLAG_SIG1 ", " FLAG_SIG1 ", " FLAG_SIG1

/* The columns of the /admin/responses list (adminweb.c responses_list). */
#define RESPONSE_LIST_COLS "p.id, COALESCE(p.region_code, ''), COALESCE(g.name, ''), u.org_name, u.username," \
	" p.form, p.status, p.proxy_user_id IS NOT NULL, DATE_FORMAT(p.updated_at, '%Y-%m-%d %H:%i:%s')," \
	" COALESCE(DATE_FORMAT(p.submitted_at, '%Y-%m-%d %H:%i:%s'), '')"


/* ---- Pages in one round trip (issue 21, item 1) ----
 * A page's statement checks the session (SESSION_COLS, the columns of
 * STMT_SESSION_GET, with the session as alias ses and its user as usr) and
 * carries, in the same row, the results of the statements the page's code
 * runs (stmt_carries[] below; db_carry in db.c hands them out): for each,
 * the arguments it was computed for (JSON_ARRAY) and its rows (JSON). The
 * statements it carries are written once, as macros taking the SQL of
 * each argument: "?" in their own entry, usr.region_code or a column of
 * the page's constants (k, a derived table of placeholders) in the page's.
 * Placeholders: the page's constants first, the token hash last. A
 * statement whose rows always come (LEFT JOINs from its key, as
 * RESPONSE_OF_USER) may instead be the page's own rows
 * (stmt_carried_rows[]): the session's columns repeat on each. */
#define SESSION_COLS "usr.id, usr.username, usr.role, COALESCE(usr.region_code, ''), usr.org_name, usr.form," \
	" usr.disabled, TIMESTAMPDIFF(SECOND, ses.created_at, NOW()), TIMESTAMPDIFF(SECOND, ses.last_seen, NOW())," \
	" usr.must_change_pw"
#define SESSION_JOIN " JOIN sessions ses JOIN users usr ON usr.id = ses.user_id WHERE ses.token_hash = ?"
/* The same without page constants. */
#define SESSION_FROM " FROM sessions ses JOIN users usr ON usr.id = ses.user_id WHERE ses.token_hash = ?"
/* A carried statement of at most one row (an aggregate, or a lookup by
 * unique keys). Prefer it to PF_ROWS where it fits: JSON_ARRAYAGG
 * aggregates through a temporary table, on disk when a row's JSON may be
 * long (more than 512 characters of columns, or TEXT). */
#define PF_ONE(ARGS, COLS, FROM) ", JSON_ARRAY(" ARGS "), (SELECT JSON_ARRAY(JSON_ARRAY(" COLS "))" FROM ")"
/* Of any number of rows, in ORDER (" ORDER BY ...", or ""). */
#define PF_ROWS(ARGS, COLS, FROM, ORDER) ", JSON_ARRAY(" ARGS "), (SELECT JSON_ARRAYAGG(JSON_ARRAY(" COLS ")" \
	ORDER ")" FROM ")"
/* A grouped statement (columns aliased c0, c1, ...), whole, as a derived
 * table: it may not refer to the session's columns (MariaDB lets no
 * derived table see outside it), only to placeholders. */
#define PF_GROUPED(ARGS, TCOLS, SQL) ", JSON_ARRAY(" ARGS "), (SELECT JSON_ARRAYAGG(JSON_ARRAY(" TCOLS "))" \
	" FROM (" SQL ") t)"

/* The statements pages carry, by their arguments. */
#define REGION_NAME_FROM(CODE) " FROM regions WHERE code = " CODE
#define FLAG_REGION_COLS "COUNT(DISTINCT f.response_id), COUNT(DISTINCT IF(fr.decision = 'asked', f.response_id, NULL))"
#define FLAG_REGION_FROM(CODE) " FROM flags f LEFT JOIN flag_reviews fr ON fr.response_id = f.response_id" \
	" WHERE f.region_code = " CODE " AND (fr.decision IS NULL OR fr.decision <> 'accepted')"
#define CHECKLIST_COLS(RC, CU1, CU2, REP) \
	"(SELECT COUNT(*) FROM frames WHERE region_code = " RC " AND status = 'confirmed')," \
	" (SELECT COUNT(*) FROM samples WHERE region_code = " RC ")," \
	" (SELECT COUNT(*) FROM sample_units su WHERE su.region_code = " RC " AND" INVITED_SQL ")," \
	" (SELECT COUNT(*) FROM sample_units su WHERE su.region_code = " RC " AND" INVITED_SQL \
	"  AND (su.slip_printed_at IS NOT NULL OR su.user_id IS NOT NULL))," \
	" (SELECT COUNT(*) FROM users WHERE region_code = " RC " AND role IN (" CU1 ", " CU2 ") AND disabled = 0)," \
	" (SELECT COUNT(*) FROM responses p JOIN users u ON u.id = p.user_id WHERE u.region_code = " RC \
	"  AND u.role IN (" CU1 ", " CU2 ") AND u.disabled = 0 AND p.form = u.form AND p.status = 'submitted')," \
	" (SELECT COUNT(*) FROM responses p WHERE p.region_code = " RC " AND p.form = " REP \
	"  AND p.status = 'submitted')"
#define CHECKLIST_ARGS(RC, CU1, CU2, REP) RC ", " RC ", " RC ", " RC ", " RC ", " CU1 ", " CU2 ", " RC ", " \
	CU1 ", " CU2 ", " RC ", " REP
#define OVERRIDES_COLS "region_code, form, DATE_FORMAT(due, '%Y-%m-%d %H:%i:%s')"
#define OVERRIDES_FROM " FROM deadline_overrides"
#define AGGR_PROGRESS_COLS(REP, ROLE) "g.code, g.name, a.form, a.accounts, a.drafts, a.submitted," \
	" CASE WHEN a.form = " REP " THEN (SELECT DATE_FORMAT(MAX(p.submitted_at), '%Y-%m-%d %H:%i')" \
	"  FROM users u JOIN responses p ON p.user_id = u.id AND p.form = u.form" \
	"  WHERE u.region_code = g.code AND u.role = " ROLE " AND u.form = a.form AND u.disabled = 0" \
	"  AND p.status = 'submitted') END"
#define AGGR_PROGRESS_FROM(RC) " FROM regions g LEFT JOIN agg_progress a ON a.region_code = g.code" \
	" WHERE (" RC " IS NULL OR g.code = " RC ")"
#define AGGR_PROGRESS_ORDER " ORDER BY g.code, a.form"
#define AGGR_QUOTA_COLS "region_code, stratum, sampled, printed, opened, registered, submitted"
#define AGGR_QUOTA_FROM(RC) " FROM agg_quota WHERE (" RC " IS NULL OR region_code = " RC ")"
#define AGGR_META_FROM " FROM agg_meta WHERE id = 1"
#define FLAGGED_SHARE_SQL(FORM) "SELECT f.region_code AS c0, COUNT(DISTINCT f.response_id) AS c1 FROM flags f" \
	" WHERE f.form = " FORM " GROUP BY f.region_code"

#define RESPONSE_OF_USER_COLS "r.id, r.status, r.valid, r.version, DATE_FORMAT(r.updated_at, '%Y-%m-%d %H:%i:%s')," \
	" DATE_FORMAT(r.submitted_at, '%Y-%m-%d %H:%i:%s'), r.proxy_user_id, a.code, a.value, p.opened_at IS NOT NULL"
#define RESPONSE_OF_USER_JOINS(F, U) " LEFT JOIN responses r ON r.form = " F " AND r.user_id = " U \
	" LEFT JOIN answers a ON a.response_id = r.id LEFT JOIN paradata p ON p.form = " F " AND p.user_id = " U
/* The same columns without the answers (code and value NULL): one row. */
#define RESPONSE_ROW_OF_USER_COLS "r.id, r.status, r.valid, r.version, DATE_FORMAT(r.updated_at, '%Y-%m-%d %H:%i:%s')," \
	" DATE_FORMAT(r.submitted_at, '%Y-%m-%d %H:%i:%s'), r.proxy_user_id, NULL, NULL, p.opened_at IS NOT NULL"
#define RESPONSE_ROW_OF_USER_JOINS(F, U) " LEFT JOIN responses r ON r.form = " F " AND r.user_id = " U \
	" LEFT JOIN paradata p ON p.form = " F " AND p.user_id = " U
#define PROXY_TARGET_COLS "role, IFNULL(region_code, ''), org_name, disabled"
#define PROXY_TARGET_FROM(ID) " FROM users WHERE id = " ID
#define PREFILL_COLS "u.org_name, su.name, su.contact, su.phone, su.email, su.address, su.zip"
#define PREFILL_FROM(ID) " FROM users u LEFT JOIN sample_units su ON su.user_id = u.id WHERE u.id = " ID

/* A questionnaire (form-main.c: the form and its print view): constants
 * k.form (the program's form) and k.target (for=, the account a region
 * enters a paper form for; NULL: the user's own). */
#define FORM_TARGET "COALESCE(k.target, usr.id)"
/* The response and its answers are the statement's own rows (its answers'
 * TEXT would make JSON_ARRAYAGG build an on-disk temporary table). */
#define PAGE_FORM_SQL "SELECT " SESSION_COLS \
	PF_ONE("k.target", PROXY_TARGET_COLS, PROXY_TARGET_FROM("k.target")) \
	PF_ROWS("", OVERRIDES_COLS, OVERRIDES_FROM, "") \
	PF_ONE(FORM_TARGET, PREFILL_COLS, PREFILL_FROM(FORM_TARGET)) \
	", JSON_ARRAY(k.form, " FORM_TARGET "), " RESPONSE_OF_USER_COLS \
	" FROM (SELECT ? AS form, ? AS target) k JOIN sessions ses JOIN users usr ON usr.id = ses.user_id" \
	RESPONSE_OF_USER_JOINS("k.form", FORM_TARGET) " WHERE ses.token_hash = ?"
/* The form's POST (a save, autosave or submit; form-main.c): what a save
 * reads before its one CALL (save_fast) - the proxy target, the deadlines
 * and the response's row without its answers (RESPONSE_ROW_OF_USER): the
 * save replaces them all and needs none, and the 27-150 answer rows, each
 * with the session's columns repeated, were half of the worker's
 * instructions of a save (issue 21 item 2). The long way (a submit, a
 * form with files, a stale version) reads the answers under its lock. */
#define PAGE_FORM_POST_SQL "SELECT " SESSION_COLS \
	PF_ONE("k.target", PROXY_TARGET_COLS, PROXY_TARGET_FROM("k.target")) \
	PF_ROWS("", OVERRIDES_COLS, OVERRIDES_FROM, "") \
	", JSON_ARRAY(k.form, " FORM_TARGET "), " RESPONSE_ROW_OF_USER_COLS \
	" FROM (SELECT ? AS form, ? AS target) k JOIN sessions ses JOIN users usr ON usr.id = ses.user_id" \
	RESPONSE_ROW_OF_USER_JOINS("k.form", FORM_TARGET) " WHERE ses.token_hash = ?"

/* Any page of a region's that names the region (region/home.c
 * region_title, the follow-ups): the region's name. */
#define PAGE_REGION_NAMED_SQL "SELECT " SESSION_COLS \
	PF_ONE("usr.region_code", "name", REGION_NAME_FROM("usr.region_code")) SESSION_FROM
/* Any national page that offers a choice of regions: the regions. */
#define REGION_LIST_COLS "code, name"
#define REGION_LIST_FROM " FROM regions"
#define REGION_LIST_ORDER " ORDER BY code"
#define PAGE_REGIONS_SQL "SELECT " SESSION_COLS \
	PF_ROWS("", REGION_LIST_COLS, REGION_LIST_FROM, REGION_LIST_ORDER) SESSION_FROM

/* The deadlines (/admin/deadlines): the regions' overrides, every
 * override, the regions. */
#define OVERRIDE_LIST_COLS "o.form, o.region_code, COALESCE(g.name, ''), DATE_FORMAT(o.due, '%Y-%m-%d %H:%i:%s')"
#define OVERRIDE_LIST_FROM " FROM deadline_overrides o LEFT JOIN regions g ON g.code = o.region_code" \
	" WHERE o.region_code <> ''"
#define OVERRIDE_LIST_ORDER " ORDER BY o.form, o.region_code"
#define PAGE_DEADLINES_SQL "SELECT " SESSION_COLS \
	PF_ROWS("", OVERRIDE_LIST_COLS, OVERRIDE_LIST_FROM, OVERRIDE_LIST_ORDER) \
	PF_ROWS("", OVERRIDES_COLS, OVERRIDES_FROM, "") \
	PF_ROWS("", REGION_LIST_COLS, REGION_LIST_FROM, REGION_LIST_ORDER) SESSION_FROM

/* The region's home (region/home.c): constants k.cu1, k.cu2 (the two
 * roles of construction units), k.rep (the region's own form), k.role
 * (the region's role). */
#define PAGE_REGION_HOME_SQL "SELECT " SESSION_COLS \
	PF_ONE("usr.region_code", "name", REGION_NAME_FROM("usr.region_code")) \
	PF_ONE("usr.region_code", FLAG_REGION_COLS, FLAG_REGION_FROM("usr.region_code")) \
	PF_ONE(CHECKLIST_ARGS("usr.region_code", "k.cu1", "k.cu2", "k.rep"), \
	       CHECKLIST_COLS("usr.region_code", "k.cu1", "k.cu2", "k.rep"), "") \
	PF_ROWS("", OVERRIDES_COLS, OVERRIDES_FROM, "") \
	PF_ROWS("k.rep, k.role, usr.region_code, usr.region_code", AGGR_PROGRESS_COLS("k.rep", "k.role"), \
	        AGGR_PROGRESS_FROM("usr.region_code"), AGGR_PROGRESS_ORDER) \
	PF_ROWS("usr.region_code, usr.region_code", AGGR_QUOTA_COLS, AGGR_QUOTA_FROM("usr.region_code"), "") \
	" FROM (SELECT ? AS cu1, ? AS cu2, ? AS rep, ? AS role) k" SESSION_JOIN
/* National progress (/admin, /admin/progress): constants k.rep (the
 * regions' form), k.role (their role), k.flagged (the form whose flagged
 * share is shown). The flagged share's form is also a placeholder of its
 * own (PF_GROUPED). */
#define PAGE_NATIONAL_SQL "SELECT " SESSION_COLS \
	PF_ONE("", "definitions", AGGR_META_FROM) \
	PF_ROWS("", OVERRIDES_COLS, OVERRIDES_FROM, "") \
	PF_ROWS("k.rep, k.role, NULL, NULL", AGGR_PROGRESS_COLS("k.rep", "k.role"), AGGR_PROGRESS_FROM("NULL"), \
	        AGGR_PROGRESS_ORDER) \
	PF_ROWS("NULL, NULL", AGGR_QUOTA_COLS, AGGR_QUOTA_FROM("NULL"), "") \
	PF_GROUPED("k.flagged", "t.c0, t.c1", FLAGGED_SHARE_SQL("?")) \
	" FROM (SELECT ? AS rep, ? AS role, ? AS flagged) k" SESSION_JOIN

/* ---- Pages in two round trips (issue 21 item 1): the session check
 * carries the page's small statements; the page's one list that reads a
 * page of rows by key (LIMIT) stays a query of its own, which an
 * aggregate over all the rows would not be. */
/* A grouped statement as PF_GROUPED, its rows in ORDER (of t's columns). */
#define PF_GROUPED_ORDER(ARGS, TCOLS, SQL, ORDER) ", JSON_ARRAY(" ARGS "), (SELECT JSON_ARRAYAGG(JSON_ARRAY(" \
	TCOLS ") ORDER BY " ORDER ") FROM (" SQL ") t)"
/* The account list's total (/admin/accounts): constants k.rcode (the
 * role filter), k.region. */
#define USER_COUNT_COLS "COALESCE(SUM(n), 0)"
#define USER_COUNT_FROM(RC, G) " FROM agg_accounts WHERE (" RC " IS NULL OR role = " RC ")" \
	" AND (" G " IS NULL OR region_code = " G ")"
#define PAGE_ACCOUNTS_SQL "SELECT " SESSION_COLS \
	PF_ROWS("", REGION_LIST_COLS, REGION_LIST_FROM, REGION_LIST_ORDER) \
	PF_ONE("k.rcode, k.rcode, k.region, k.region", USER_COUNT_COLS, USER_COUNT_FROM("k.rcode", "k.region")) \
	" FROM (SELECT ? AS rcode, ? AS region) k" SESSION_JOIN
/* The response list's total (/admin/responses): k.status, k.form, k.region. */
#define RESPONSE_COUNT_COLS(ST) "COALESCE(SUM(CASE WHEN " ST " IS NULL THEN drafts + submitted" \
	" WHEN " ST " = 'draft' THEN drafts ELSE submitted END), 0)"
#define RESPONSE_COUNT_FROM(F, G) " FROM agg_progress WHERE (" F " IS NULL OR form = " F ")" \
	" AND (" G " IS NULL OR region_code = " G ")"
#define PAGE_RESPONSES_SQL "SELECT " SESSION_COLS \
	PF_ROWS("", REGION_LIST_COLS, REGION_LIST_FROM, REGION_LIST_ORDER) \
	PF_ONE("k.status, k.status, k.form, k.form, k.region, k.region", RESPONSE_COUNT_COLS("k.status"), \
	       RESPONSE_COUNT_FROM("k.form", "k.region")) \
	" FROM (SELECT ? AS status, ? AS form, ? AS region) k" SESSION_JOIN
/* One response (/admin/responses/view): k.id. */
#define RESPONSE_GET_COLS "p.form, p.status, COALESCE(p.region_code, ''), COALESCE(g.name, ''), u.org_name," \
	" u.username, p.proxy_user_id IS NOT NULL, DATE_FORMAT(p.updated_at, '%Y-%m-%d %H:%i:%s')," \
	" COALESCE(DATE_FORMAT(p.submitted_at, '%Y-%m-%d %H:%i:%s'), '')"
#define RESPONSE_GET_FROM(ID) " FROM responses p JOIN users u ON u.id = p.user_id" \
	" LEFT JOIN regions g ON g.code = p.region_code WHERE p.id = " ID
#define PAGE_RESPONSE_SQL "SELECT " SESSION_COLS \
	PF_ONE("k.id", RESPONSE_GET_COLS, RESPONSE_GET_FROM("k.id")) " FROM (SELECT ? AS id) k" SESSION_JOIN
/* The statistics (/admin/stats): the regions' submitted counts, grouped
 * (its placeholders: form, region, region), and the regions. */
#define STATS_REGIONS_SQL(F, G) "SELECT f.region_code AS c0, COALESCE(g.name, '') AS c1, SUM(f.n) AS c2" \
	" FROM agg_fields f LEFT JOIN regions g ON g.code = f.region_code" \
	" WHERE f.form = " F " AND f.code = '' AND f.opt = '' AND (" G " IS NULL OR f.region_code = " G ")" \
	" GROUP BY f.region_code, g.name HAVING SUM(f.n) > 0"
#define PAGE_STATS_SQL "SELECT " SESSION_COLS \
	PF_ROWS("", REGION_LIST_COLS, REGION_LIST_FROM, REGION_LIST_ORDER) \
	PF_GROUPED_ORDER("k.form, k.region, k.region", "t.c0, t.c1, t.c2", STATS_REGIONS_SQL("?", "?"), "t.c0") \
	" FROM (SELECT ? AS form, ? AS region) k" SESSION_JOIN

/* The follow-up lists (/region/followups*, /admin/followups*): the
 * region's name and its construction units (a few per region; the sampled
 * units are read a page at a time by key, on their own). Constants
 * k.region (region=, NULL: the user's own), k.cu1, k.cu2 (the roles of
 * construction units), k.state, k.q (the filters), k.want (0: the
 * filters leave construction units out, none are read). */
#define FOLLOWUP_ACCOUNTS_COLS "u.id, u.role, u.org_name, u.username," \
	" CASE WHEN p.status IS NULL THEN 'nostart' ELSE 'draft' END, u.last_login_at," \
	" f.outcome, f.at, f.note, u.contact, u.phone"
#define FOLLOWUP_ACCOUNTS_FROM(G, CU1, CU2, ST, Q) " FROM users u LEFT JOIN responses p ON p.user_id = u.id AND p.form = u.form" \
	" LEFT JOIN followups f ON f.id = (SELECT MAX(f2.id) FROM followups f2 WHERE f2.user_id = u.id)" \
	" WHERE u.region_code = " G " AND u.role IN (" CU1 ", " CU2 ") AND u.disabled = 0" \
	" AND (p.status IS NULL OR p.status <> 'submitted')" \
	" AND (" ST " = '' OR (CASE WHEN p.status IS NULL THEN 'nostart' ELSE 'draft' END) = " ST ")" \
	" AND (" Q " = '' OR u.org_name LIKE CONCAT('%', " Q ", '%'))"
#define FOLLOWUP_ACCOUNTS_ORDER " ORDER BY u.role, u.id"
#define FU_REGION "COALESCE(k.region, usr.region_code)"
#define FU_ACCOUNTS_REGION "IF(k.want, " FU_REGION ", NULL)"
#define PAGE_FOLLOWUPS_SQL "SELECT " SESSION_COLS \
	PF_ONE(FU_REGION, "name", REGION_NAME_FROM(FU_REGION)) \
	PF_ROWS(FU_ACCOUNTS_REGION ", k.cu1, k.cu2, k.state, k.state, k.q, k.q", FOLLOWUP_ACCOUNTS_COLS, \
	        FOLLOWUP_ACCOUNTS_FROM(FU_ACCOUNTS_REGION, "k.cu1", "k.cu2", "k.state", "k.q"), FOLLOWUP_ACCOUNTS_ORDER) \
	" FROM (SELECT ? AS region, ? AS cu1, ? AS cu2, ? AS state, ? AS q, ? AS want) k" SESSION_JOIN

/* A unit's or a construction account's follow-up page (.../followups/unit):
 * k.unit, k.account (one of them NULL), k.cu1, k.cu2. */
#define FOLLOWUP_UNIT_COLS "su.id, su.region_code, su.stratum, su.name, su.contact, su.phone, su.role, su.status," \
	FU_STATE_SQL ", p.status"
#define FOLLOWUP_UNIT_FROM(ID) " FROM sample_units su LEFT JOIN responses p ON p.user_id = su.user_id" \
	" AND p.form = su.form WHERE su.id = " ID
#define FOLLOWUP_ACCOUNT_COLS "u.id, COALESCE(u.region_code, ''), u.role, u.org_name, u.username," \
	" CASE WHEN p.status IS NULL THEN 'nostart' ELSE 'draft' END, p.status, u.contact, u.phone"
#define FOLLOWUP_ACCOUNT_FROM(ID, CU1, CU2) " FROM users u LEFT JOIN responses p ON p.user_id = u.id" \
	" AND p.form = u.form WHERE u.id = " ID " AND u.role IN (" CU1 ", " CU2 ")"
#define PAGE_FOLLOWUP_UNIT_SQL "SELECT " SESSION_COLS \
	PF_ONE("k.unit", FOLLOWUP_UNIT_COLS, FOLLOWUP_UNIT_FROM("k.unit")) \
	PF_ONE("k.account, k.cu1, k.cu2", FOLLOWUP_ACCOUNT_COLS, FOLLOWUP_ACCOUNT_FROM("k.account", "k.cu1", "k.cu2")) \
	" FROM (SELECT ? AS unit, ? AS account, ? AS cu1, ? AS cu2) k" SESSION_JOIN

/* The paper-entry list (/form/NAME/proxy): the accounts of the form's
 * role that no sampled unit holds (the sampled units, up to 20,000, are
 * read on their own). Constants k.form, k.role, k.q (the search). */
#define PROXY_LIST_COLS "u.id, u.username, u.org_name, IFNULL(s.status, ''), IFNULL(s.proxy_user_id, 0)"
#define PROXY_LIST_FROM(F, ROLE, G, Q) " FROM users u LEFT JOIN responses s ON s.user_id = u.id AND s.form = " F \
	" WHERE u.role = " ROLE " AND u.region_code = " G " AND u.disabled = 0" \
	/* accounts of sampled units are listed with their unit (STMT_PROXY_UNITS) */ \
	" AND NOT EXISTS (SELECT 1 FROM sample_units su WHERE su.user_id = u.id AND" INVITED_SQL ")" \
	" AND (" Q " = '' OR u.org_name LIKE CONCAT('%', " Q ", '%') OR u.username LIKE CONCAT('%', " Q ", '%'))"
#define PROXY_LIST_ORDER " ORDER BY u.org_name, u.id LIMIT 5000"
#define PAGE_PROXY_SQL "SELECT " SESSION_COLS \
	PF_ROWS("k.form, k.role, usr.region_code, k.q, k.q, k.q", PROXY_LIST_COLS, \
	        PROXY_LIST_FROM("k.form", "k.role", "usr.region_code", "k.q"), PROXY_LIST_ORDER) \
	" FROM (SELECT ? AS form, ? AS role, ? AS q) k" SESSION_JOIN

/* A unit's replacement page (/region/sample/replace): the region's name,
 * the unit (of the region's sample) and the reserve that would take its
 * place (of the unit's sample and stratum). Constant k.unit. */
#define SAMPLE_UNIT_SHOW_COLS "su.id, su.sample_id, su.stratum, su.role, su.status, su.name"
#define SAMPLE_UNIT_SHOW_FROM(ID, G) " FROM sample_units su JOIN samples s ON s.id = su.sample_id" \
	" WHERE su.id = " ID " AND s.region_code = " G
#define NEXT_RESERVE_COLS "id, name, position"
#define NEXT_RESERVE_FROM(S, ST) " FROM sample_units WHERE sample_id = " S " AND stratum = " ST \
	" AND role = 'reserve' AND status = 'active' ORDER BY position LIMIT 1"
#define REPLACED_UNIT(COL) "(SELECT su." COL SAMPLE_UNIT_SHOW_FROM("k.unit", "usr.region_code") ")"
#define PAGE_SAMPLE_REPLACE_SQL "SELECT " SESSION_COLS \
	PF_ONE("usr.region_code", "name", REGION_NAME_FROM("usr.region_code")) \
	PF_ONE("k.unit, usr.region_code", SAMPLE_UNIT_SHOW_COLS, SAMPLE_UNIT_SHOW_FROM("k.unit", "usr.region_code")) \
	PF_ONE(REPLACED_UNIT("sample_id") ", " REPLACED_UNIT("stratum"), NEXT_RESERVE_COLS, \
	       NEXT_RESERVE_FROM(REPLACED_UNIT("sample_id"), REPLACED_UNIT("stratum"))) \
	" FROM (SELECT ? AS unit) k" SESSION_JOIN

/* The slips page (/region/slips): the strata's quota and the invitation
 * funnel's counts (the units are read a page at a time by key, on their own). */
#define SLIP_FUNNEL_COLS "stratum, sampled, printed, registered"
#define SLIP_FUNNEL_FROM(G) " FROM agg_quota WHERE region_code = " G " AND sampled > 0"
#define SLIP_FUNNEL_ORDER " ORDER BY stratum"
#define SLIP_COUNTS_COLS "COUNT(*), SUM(su.slip_printed_at IS NOT NULL), SUM(su.code_opened_at IS NOT NULL)," \
	" SUM(su.registered_at IS NOT NULL), SUM(p.status IS NOT NULL), SUM(p.submitted_at IS NOT NULL)"
#define SLIP_COUNTS_FROM(G) " FROM sample_units su LEFT JOIN responses p ON p.user_id = su.user_id" \
	" AND p.form = su.form WHERE su.region_code = " G " AND" INVITED_SQL
#define PAGE_SLIPS_SQL "SELECT " SESSION_COLS \
	PF_ROWS("usr.region_code", SLIP_FUNNEL_COLS, SLIP_FUNNEL_FROM("usr.region_code"), SLIP_FUNNEL_ORDER) \
	PF_ONE("usr.region_code", SLIP_COUNTS_COLS, SLIP_COUNTS_FROM("usr.region_code")) SESSION_FROM

/* The visited side of the agency's visits (eval/visitside.c): a region's
 * (/agency/region) or a unit's (/agency/unit/visits) notified visits, and
 * the schedule and team of all of them at once (the visit's id first),
 * instead of a query per visit. */
#define REGION_VISITS_COLS "id, DATE_FORMAT(starts_on, '%Y-%m-%d'), DATE_FORMAT(ends_on, '%Y-%m-%d'), state," \
	" cancel_reason, contact, phone, prepare, COALESCE(DATE_FORMAT(confirmed_at, '%Y-%m-%d %H:%i'), '')"
#define REGION_VISITS_FROM(G) " FROM visits WHERE region_code = " G " AND state <> 'planned'"
#define REGION_VISITS_ORDER " ORDER BY starts_on, id"
#define UNIT_VISITS_COLS "v.id, DATE_FORMAT(v.starts_on, '%Y-%m-%d'), DATE_FORMAT(v.ends_on, '%Y-%m-%d'), v.state," \
	" v.cancel_reason, v.contact, v.phone, v.prepare, DATE_FORMAT(o.day, '%Y-%m-%d')"
#define UNIT_VISITS_FROM(U) " FROM visit_objects o JOIN visits v ON v.id = o.visit_id" \
	" WHERE o.unit_id = " U " AND v.state <> 'planned'"
#define UNIT_VISITS_ORDER " ORDER BY v.starts_on, v.id"
/* The visits whose details are shown: of a region, or those a unit is an
 * object of; not planned ones. */
#define VISITS_SHOWN_OF_REGION(G) "(SELECT id FROM visits WHERE region_code = " G " AND state <> 'planned')"
#define VISITS_SHOWN_OF_UNIT(U) "(SELECT v.id FROM visit_objects o JOIN visits v ON v.id = o.visit_id" \
	" WHERE o.unit_id = " U " AND v.state <> 'planned')"
#define VISIT_OBJECTS_COLS "COALESCE(o.unit_id, 0), DATE_FORMAT(o.day, '%Y-%m-%d'), COALESCE(u.role, '')," \
	" COALESCE(u.org_name, ''), COALESCE(u.username, '')"
#define VISIT_OBJECTS_FROM " FROM visit_objects o LEFT JOIN users u ON u.id = o.unit_id"
#define VISIT_OBJECTS_ORDER "o.day, o.unit_id IS NOT NULL, u.role, u.username"
#define VISIT_TEAM_COLS "u.id, u.username, u.org_name, u.contact, u.phone"
#define VISIT_TEAM_FROM " FROM visit_team t JOIN users u ON u.id = t.user_id"
#define VISIT_TEAM_ORDER "u.username"
#define VISITS_OBJECTS_COLS "o.visit_id, " VISIT_OBJECTS_COLS
#define VISITS_OBJECTS_FROM(SHOWN) VISIT_OBJECTS_FROM " WHERE o.visit_id IN " SHOWN
#define VISITS_OBJECTS_ORDER " ORDER BY o.visit_id, " VISIT_OBJECTS_ORDER
#define VISITS_TEAM_COLS "t.visit_id, " VISIT_TEAM_COLS
#define VISITS_TEAM_FROM(SHOWN) VISIT_TEAM_FROM " WHERE t.visit_id IN " SHOWN
#define VISITS_TEAM_ORDER " ORDER BY t.visit_id, " VISIT_TEAM_ORDER
#define PAGE_REGION_VISITS_SQL "SELECT " SESSION_COLS \
	PF_ROWS("usr.region_code", REGION_VISITS_COLS, REGION_VISITS_FROM("usr.region_code"), REGION_VISITS_ORDER) \
	PF_ROWS("usr.region_code", VISITS_OBJECTS_COLS, \
	        VISITS_OBJECTS_FROM(VISITS_SHOWN_OF_REGION("usr.region_code")), VISITS_OBJECTS_ORDER) \
	PF_ROWS("usr.region_code", VISITS_TEAM_COLS, \
	        VISITS_TEAM_FROM(VISITS_SHOWN_OF_REGION("usr.region_code")), VISITS_TEAM_ORDER) SESSION_FROM
#define PAGE_UNIT_VISITS_SQL "SELECT " SESSION_COLS \
	PF_ROWS("usr.id", UNIT_VISITS_COLS, UNIT_VISITS_FROM("usr.id"), UNIT_VISITS_ORDER) \
	PF_ROWS("usr.id", VISITS_OBJECTS_COLS, VISITS_OBJECTS_FROM(VISITS_SHOWN_OF_UNIT("usr.id")), \
	        VISITS_OBJECTS_ORDER) \
	PF_ROWS("usr.id", VISITS_TEAM_COLS, VISITS_TEAM_FROM(VISITS_SHOWN_OF_UNIT("usr.id")), VISITS_TEAM_ORDER) \
	SESSION_FROM
/* A unit's documents page (/agency/unit/documents): the unit (its own
 * account; constants k.cu1, k.cu2, the roles of construction units). */
#define UNIT_OF_COLS "u.id, u.username, u.role, u.region_code, u.org_name, g.name"
#define UNIT_OF_FROM(ID, CU1, CU2) " FROM users u JOIN regions g ON g.code = u.region_code" \
	" WHERE u.id = " ID " AND u.role IN (" CU1 ", " CU2 ")"
#define PAGE_UNIT_DOCS_SQL "SELECT " SESSION_COLS \
	PF_ONE("usr.id, k.cu1, k.cu2", UNIT_OF_COLS, UNIT_OF_FROM("usr.id", "k.cu1", "k.cu2")) \
	" FROM (SELECT ? AS cu1, ? AS cu2) k" SESSION_JOIN

/* The indicator pages and their exports (/admin/indicators*,
 * /region/indicators; eval/indview.c): the regions, the excluded responses
 * per region and the sample's counts (the indicators' aggregates, agg_ind,
 * are read on their own; a region's page also reads the texts of each
 * form, a query per form). */
#define EXCLUDED_BY_REGION_SQL "SELECT COALESCE(r.region_code, '') AS c0, COUNT(*) AS c1 FROM flag_reviews fr" \
	" JOIN responses r ON r.id = fr.response_id WHERE fr.decision = 'excluded' AND r.status = 'submitted'" \
	" GROUP BY r.region_code"
#define AGGR_QUOTA_ALL_COLS "region_code, stratum, sampled, registered, submitted"
#define AGGR_QUOTA_ALL_FROM " FROM agg_quota"
#define PAGE_INDICATORS_SQL "SELECT " SESSION_COLS \
	PF_ROWS("", REGION_LIST_COLS, REGION_LIST_FROM, REGION_LIST_ORDER) \
	PF_GROUPED_ORDER("", "t.c0, t.c1", EXCLUDED_BY_REGION_SQL, "t.c0") \
	PF_ROWS("", AGGR_QUOTA_ALL_COLS, AGGR_QUOTA_ALL_FROM, "") SESSION_FROM

/* The frames page (/region/frames, region/frames.c): for each kind (k.kind1,
 * k.kind2), whether it has a sample, its confirmed frame, the latest pending
 * upload and the confirmed frame's units per stratum. The per-stratum
 * counts without a derived table of the session's region (none may see
 * it): one row per stratum code of the given three (placeholders, in the
 * ENUM's order, as GROUP BY returns them) that the frame has. */
#define SAMPLE_ID_FROM(G, K) " FROM samples WHERE region_code = " G " AND kind = " K
#define FRAME_CONFIRMED_COLS "id, filename, charset, nunits, checksum, uploaded_at"
#define FRAME_CONFIRMED_FROM(G, K) " FROM frames WHERE region_code = " G " AND kind = " K " AND status = 'confirmed'"
#define FRAME_PENDING_LATEST_COLS "id, filename, charset"
#define FRAME_PENDING_LATEST_FROM(G, K) " FROM frames WHERE region_code = " G " AND kind = " K \
	" AND status = 'pending' ORDER BY id DESC LIMIT 1"
#define CONFIRMED_FRAME(K) "(SELECT MIN(id)" FRAME_CONFIRMED_FROM("usr.region_code", K) ")"
#define FRAME_STRATUM_COUNT(K) "(SELECT COUNT(*) FROM frame_units fu WHERE fu.frame_id = " CONFIRMED_FRAME(K) \
	" AND fu.stratum = st.code)"
#define FRAME_STRATA_OF(K) ", JSON_ARRAY(" CONFIRMED_FRAME(K) "), (SELECT JSON_ARRAYAGG(JSON_ARRAY(st.code, " \
	FRAME_STRATUM_COUNT(K) ")) FROM (SELECT ? AS code UNION ALL SELECT ? UNION ALL SELECT ?) st" \
	" WHERE " FRAME_STRATUM_COUNT(K) " > 0)"
#define FRAMES_OF(K) \
	PF_ONE("usr.region_code, " K, "id", SAMPLE_ID_FROM("usr.region_code", K)) \
	PF_ROWS("usr.region_code, " K, FRAME_CONFIRMED_COLS, FRAME_CONFIRMED_FROM("usr.region_code", K), "") \
	PF_ONE("usr.region_code, " K, FRAME_PENDING_LATEST_COLS, FRAME_PENDING_LATEST_FROM("usr.region_code", K)) \
	FRAME_STRATA_OF(K)
#define PAGE_FRAMES_SQL "SELECT " SESSION_COLS \
	PF_ONE("usr.region_code", "name", REGION_NAME_FROM("usr.region_code")) \
	FRAMES_OF("k.kind1") FRAMES_OF("k.kind2") " FROM (SELECT ? AS kind1, ? AS kind2) k" SESSION_JOIN

const struct stmt_def stmts[STMT__MAX] = {
	/* Sessions and sign-in (core/auth.c). auth_load_session() runs before the request has a role. */
	[STMT_SESSION_GET] = {
		"SELECT " SESSION_COLS SESSION_FROM,
		R_ANON },
	/* Pages in one round trip (above): run before the session is known
	 * (R_ANON), they return nothing without it; what they carry is kept
	 * only for the roles named here (auth.c session_load). */
	[STMT_PAGE_REGION_HOME] = { PAGE_REGION_HOME_SQL, R_ANON | R_REGION },
	[STMT_PAGE_NATIONAL] = { PAGE_NATIONAL_SQL, R_ANON | R_ADMINS },
	[STMT_PAGE_FORM] = { PAGE_FORM_SQL, R_ANON | R_RESPONDENTS },
	[STMT_PAGE_FORM_POST] = { PAGE_FORM_POST_SQL, R_ANON | R_RESPONDENTS },
	[STMT_PAGE_REGION_NAMED] = { PAGE_REGION_NAMED_SQL, R_ANON | R_REGION },
	[STMT_PAGE_REGIONS] = { PAGE_REGIONS_SQL, R_ANON | R_ADMINS },
	[STMT_PAGE_DEADLINES] = { PAGE_DEADLINES_SQL, R_ANON | R_ADMINS },
	[STMT_PAGE_ACCOUNTS] = { PAGE_ACCOUNTS_SQL, R_ANON | R_ADMIN },
	[STMT_PAGE_RESPONSES] = { PAGE_RESPONSES_SQL, R_ANON | R_ADMINS },
	[STMT_PAGE_RESPONSE] = { PAGE_RESPONSE_SQL, R_ANON | R_ADMINS },
	[STMT_PAGE_STATS] = { PAGE_STATS_SQL, R_ANON | R_ADMINS },
	[STMT_PAGE_FOLLOWUPS] = { PAGE_FOLLOWUPS_SQL, R_ANON | R_REGION | R_ADMINS },
	[STMT_PAGE_FOLLOWUP_UNIT] = { PAGE_FOLLOWUP_UNIT_SQL, R_ANON | R_REGION | R_ADMINS },
	[STMT_PAGE_PROXY] = { PAGE_PROXY_SQL, R_ANON | R_REGION },
	[STMT_PAGE_SAMPLE_REPLACE] = { PAGE_SAMPLE_REPLACE_SQL, R_ANON | R_REGION },
	[STMT_PAGE_SLIPS] = { PAGE_SLIPS_SQL, R_ANON | R_REGION },
	[STMT_PAGE_REGION_VISITS] = { PAGE_REGION_VISITS_SQL, R_ANON | R_REGION },
	[STMT_PAGE_UNIT_VISITS] = { PAGE_UNIT_VISITS_SQL, R_ANON | R_UNITS },
	[STMT_PAGE_UNIT_DOCS] = { PAGE_UNIT_DOCS_SQL, R_ANON | R_UNITS },
	[STMT_PAGE_INDICATORS] = { PAGE_INDICATORS_SQL, R_ANON | R_ADMINS | R_REGION },
	[STMT_PAGE_FRAMES] = { PAGE_FRAMES_SQL, R_ANON | R_REGION },
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
	/* The account list (/admin/accounts) in id order, a page at a time by
	 * key (issue 21 item 4): after an id, or before one (nearest first,
	 * shown reversed); users (role, id), k_region_role and k_region_id
	 * serve each filter. */
	[STMT_USER_LIST] = {
		"SELECT u.id, u.username, u.role, COALESCE(u.region_code, ''), COALESCE(g.name, ''),"
		" u.org_name, u.form, u.disabled, COALESCE(DATE_FORMAT(u.last_login_at, '%Y-%m-%d %H:%i'), '')"
		" FROM users u LEFT JOIN regions g ON g.code = u.region_code"
		" WHERE (? IS NULL OR u.role = ?) AND (? IS NULL OR u.region_code = ?)"
		" AND u.id > ? ORDER BY u.id LIMIT ?",
		R_ADMIN },
	[STMT_USER_LIST_BEFORE] = {
		"SELECT u.id, u.username, u.role, COALESCE(u.region_code, ''), COALESCE(g.name, ''),"
		" u.org_name, u.form, u.disabled, COALESCE(DATE_FORMAT(u.last_login_at, '%Y-%m-%d %H:%i'), '')"
		" FROM users u LEFT JOIN regions g ON g.code = u.region_code"
		" WHERE (? IS NULL OR u.role = ?) AND (? IS NULL OR u.region_code = ?)"
		" AND u.id < ? ORDER BY u.id DESC LIMIT ?",
		R_ADMIN },
	/* From the maintained counter (sql/065_list_counters.sql), not COUNT(*). */
	[STMT_USER_COUNT] = {
		"SELECT " USER_COUNT_COLS USER_COUNT_FROM("?", "?"),
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
	/* A region's respondent accounts, a page at a time by key (issue 21
	 * item 4; k_region_id), searched by username or organisation. */
	[STMT_REGION_ACCOUNTS] = {
		"SELECT id, username, role, org_name, disabled,"
		" COALESCE(DATE_FORMAT(last_login_at, '%Y-%m-%d %H:%i'), ''), must_change_pw"
		" FROM users WHERE region_code = ? AND role NOT IN ('admin', 'viewer', 'region') AND id > ?"
		" AND (? = '' OR username LIKE CONCAT('%', ?, '%') OR org_name LIKE CONCAT('%', ?, '%'))"
		" ORDER BY id LIMIT ?",
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
		"SELECT DISTINCT SUBSTRING(value, 8, 64) FROM answers WHERE value LIKE 'sha256:%'"
		" UNION SELECT SUBSTRING(file, 8, 64) FROM unit_documents"
		" UNION SELECT SUBSTRING(file, 8, 64) FROM symposium_files",
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
		"SELECT " REGION_LIST_COLS REGION_LIST_FROM REGION_LIST_ORDER,
		R_ANYONE },
	[STMT_REGION_NAME] = {
		"SELECT name" REGION_NAME_FROM("?"),
		R_ANYONE | R_CLI },
	[STMT_REGION_EXISTS] = {
		"SELECT code FROM regions WHERE code = ?",
		R_ADMIN },
	/* Also the regions as data the ministry keeps (issue 23 item 7):
	 * import-regions and the help-phone page (pages/regions.c); and
	 * every signed-in account's login note (home.c /account). */
	[STMT_REGION_CONTACT] = {
		"SELECT name, help_phone FROM regions WHERE code = ?",
		R_SIGNED_IN | R_CLI },
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
		"SELECT " OVERRIDES_COLS OVERRIDES_FROM,
		R_ANYONE },
	[STMT_DEADLINE_OVERRIDE_LIST] = {
		"SELECT " OVERRIDE_LIST_COLS OVERRIDE_LIST_FROM OVERRIDE_LIST_ORDER,
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
	/* Always one row at least (k): column 9 says whether the form was
	 * opened before (paradata, issue 20), also before its first save. */
	[STMT_RESPONSE_OF_USER] = {
		"SELECT " RESPONSE_OF_USER_COLS " FROM (SELECT ? AS f, ? AS u) k" RESPONSE_OF_USER_JOINS("k.f", "k.u"),
		R_RESPONDENTS },
	/* The row alone, in the same columns (answers NULL): a save's read. */
	[STMT_RESPONSE_ROW_OF_USER] = {
		"SELECT " RESPONSE_ROW_OF_USER_COLS " FROM (SELECT ? AS f, ? AS u) k"
		RESPONSE_ROW_OF_USER_JOINS("k.f", "k.u"),
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
	/* Writing a response (issue 21 item 2): stored procedures of
	 * sql/060_response_save.sql, one round trip each. The write inside the
	 * caller's transaction (the response's row and paradata, its answers
	 * replaced from a JSON array of [code, value] pairs): id, region,
	 * status, valid, proxy, saved_at, network, device, session, browser,
	 * paper, had answers, answers, their number (sql/081: answers equal to
	 * the stored ones are not written). */
	[STMT_RESPONSE_WRITE] = {
		"CALL app_response_write(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		R_RESPONDENTS },
	/* The save of a draft as a transaction of its own, when the row still
	 * has the version read: id, version, region, valid, proxy, network,
	 * device, session, browser, paper, answers, their number ->
	 * ('saved' | 'stale', the save's time). */
	[STMT_RESPONSE_SAVE] = {
		"CALL app_response_save(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		R_RESPONDENTS },
	[STMT_PROXY_TARGET] = {
		"SELECT " PROXY_TARGET_COLS PROXY_TARGET_FROM("?"),
		R_REGION },
	[STMT_PROXY_LIST] = {
		"SELECT " PROXY_LIST_COLS PROXY_LIST_FROM("?", "?", "?", "?") PROXY_LIST_ORDER,
		R_REGION },
	/* Every invited unit of the region's sample for a form, registered or
	 * not (paper questionnaires, issue 10). */
	[STMT_PROXY_UNITS] = {
		"SELECT su.id, su.name, su.stratum, IFNULL(su.user_id, 0), IFNULL(u.username, ''),"
		" IFNULL(p.status, ''), IFNULL(p.proxy_user_id, 0), IFNULL(u.disabled, 0)"
		" FROM sample_units su LEFT JOIN users u ON u.id = su.user_id"
		" LEFT JOIN responses p ON p.user_id = su.user_id AND p.form = su.form"
		" WHERE su.region_code = ? AND su.form = ? AND" INVITED_SQL
		" AND (? = '' OR su.name LIKE CONCAT('%', ?, '%') OR u.username LIKE CONCAT('%', ?, '%'))"
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
		"SELECT " RESPONSE_GET_COLS RESPONSE_GET_FROM("?"),
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
		/* Values in the users' language (issue 23 item 9). */
		" IF(r.status = 'submitted', '已提交', '草稿'), IF(r.proxy_user_id IS NULL, '0', '1'),"
		" COALESCE(DATE_FORMAT(r.submitted_at, '%Y-%m-%d %H:%i:%s'), ''),"
		/* The account's sample unit, if it came through an invitation code:
		 * in_sample, stratum, replaces (a reserve that replaced one). One
		 * join, not three lookups per row: sample_units.user_id is unique
		 * (uk_user), so there is at most one such unit. */
		" IF(su.id IS NULL, '0', '1'), COALESCE(su.stratum, ''),"
		" IF(su.replaces_id IS NOT NULL, '1', '0'),"
		/* The response's answers packed at submit (sql/085), NULL when
		 * there is no pack of its current version. */
		" pk.answers"
		" FROM responses r JOIN users u ON u.id = r.user_id"
		" LEFT JOIN regions g ON g.code = r.region_code"
		" LEFT JOIN sample_units su ON su.user_id = r.user_id AND" INVITED_SQL
		" LEFT JOIN response_packed pk ON pk.response_id = r.id AND pk.version = r.version"
		" WHERE r.form = ? AND (? IS NULL OR r.region_code = ?) AND (? IS NULL OR r.status = ?)"
		/* Streaming exports (issue 13): a chunk at a time by key, after
		 * the last id sent, inside one snapshot (forms/export.c). */
		" AND r.id > ? ORDER BY r.id LIMIT ?",
		R_ADMINS },
	/* The answers of one chunk: responses first..last id of the filter. */
	[STMT_EXPORT_ANSWERS] = {
		"SELECT a.response_id, a.code, a.value FROM responses r"
		/* Only those without a current pack (their answers came packed).
		 * A join, not NOT EXISTS: as a prepared statement the server
		 * materialised that subquery, a scan of every pack per chunk. */
		" LEFT JOIN response_packed pk ON pk.response_id = r.id AND pk.version = r.version"
		" JOIN answers a ON a.response_id = r.id"
		" WHERE r.form = ? AND (? IS NULL OR r.region_code = ?) AND (? IS NULL OR r.status = ?)"
		" AND r.id BETWEEN ? AND ? AND pk.response_id IS NULL ORDER BY r.id",
		R_ADMINS },
	/* Packed answers (sql/085, issue 21 item 5): each answer as its code,
	 * a TAB, the value's length in bytes, ':', the value, a newline, in
	 * the byte order of the codes (the exporter's lookup order). The
	 * SET STATEMENT lifts GROUP_CONCAT's 1 MB default for this statement
	 * only, so a pack is never cut short. */
#define PACK_SQL "COALESCE(GROUP_CONCAT(a.code, '\t', LENGTH(a.value), ':', a.value, '\n'" \
	" ORDER BY a.code COLLATE utf8mb4_bin SEPARATOR ''), '')"
#define PACK_SET "SET STATEMENT group_concat_max_len = 4294967295 FOR "
	/* A submitted response's pack, in its submit's transaction, after its
	 * answers were written (the version is the one just written). */
	[STMT_RESPONSE_PACK] = {
		PACK_SET "REPLACE INTO response_packed (response_id, version, answers)"
		" SELECT r.id, r.version, " PACK_SQL
		" FROM responses r LEFT JOIN answers a ON a.response_id = r.id"
		" WHERE r.id = ? AND r.status = 'submitted' GROUP BY r.id, r.version",
		R_RESPONDENTS },
	/* smesurvey-admin rebuild-packed-answers: the submitted responses after
	 * an id, at most limit of them: the last id of that batch; the
	 * submitted responses of an id range (after, last] packed again (a
	 * range, so a response submitted meanwhile cannot push one out); the
	 * packs of drafts and older versions dropped. */
	[STMT_RESPONSES_PACK_BATCH] = {
		PACK_SET "REPLACE INTO response_packed (response_id, version, answers)"
		" SELECT r.id, r.version, " PACK_SQL
		" FROM responses r LEFT JOIN answers a ON a.response_id = r.id"
		" WHERE r.status = 'submitted' AND r.id > ? AND r.id <= ? GROUP BY r.id, r.version",
		R_CLI },
	[STMT_RESPONSES_PACK_LAST] = {
		"SELECT COALESCE(MAX(id), 0) FROM"
		" (SELECT id FROM responses WHERE status = 'submitted' AND id > ? ORDER BY id LIMIT ?) r",
		R_CLI },
	[STMT_RESPONSES_PACK_DROP_STALE] = {
		"DELETE pk FROM response_packed pk JOIN responses r ON r.id = pk.response_id"
		" WHERE pk.version <> r.version OR r.status <> 'submitted'",
		R_CLI },
#undef PACK_SQL
#undef PACK_SET

	/* Sample frames (region/frames.c, sample/frame.c; frame_store() is shared with smesurvey-admin) */
	/* Every submitted answer of a form with its response's region, the
	 * account's organisation and whether the account came through an
	 * invitation code of the sample (the indicators' "sample only"). */
	/* The answers of a form's submitted responses from after a response id
	 * on, at most limit responses, of one region ('' for all): the text
	 * answers of content 四 (eval/indview.c), a page at a time (issue 21
	 * item 4) or a region's few, never every response of the nation. */
	[STMT_INDICATOR_ANSWERS] = {
		"SELECT r.id, COALESCE(r.region_code, ''), u.org_name,"
		" EXISTS (SELECT 1 FROM sample_units su WHERE su.user_id = r.user_id AND" INVITED_SQL "),"
		" a.code, a.value,"
		" EXISTS (SELECT 1 FROM flag_reviews fr WHERE fr.response_id = r.id AND fr.decision = 'excluded')"
		" FROM (SELECT id, region_code, user_id FROM responses WHERE form = ? AND status = 'submitted'"
		" AND (? = '' OR region_code = ?) AND id > ? ORDER BY id LIMIT ?) r"
		" JOIN users u ON u.id = r.user_id JOIN answers a ON a.response_id = r.id ORDER BY r.id",
		R_ADMINS | R_REGION },
	[STMT_FRAME_INSERT_PENDING] = {
		"INSERT INTO frames (region_code, kind, status, filename, charset, uploaded_by)"
		" VALUES (?, ?, 'pending', ?, ?, ?)",
		R_REGION | R_CLI },
	[STMT_FRAMES_PENDING] = {
		"SELECT id FROM frames WHERE region_code = ? AND kind = ? AND status = 'pending'",
		R_REGION },
	[STMT_FRAME_PENDING_LATEST] = {
		"SELECT " FRAME_PENDING_LATEST_COLS FRAME_PENDING_LATEST_FROM("?", "?"),
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
		"SELECT " FRAME_CONFIRMED_COLS FRAME_CONFIRMED_FROM("?", "?"),
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
		"SELECT id" SAMPLE_ID_FROM("?", "?"),
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
		/* the replacements by range (k_sample_replaces), not every unit */
		" WHERE n.sample_id = ? AND n.replaces_id IS NOT NULL ORDER BY n.id LIMIT 200",
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
		"SELECT " CHECKLIST_COLS("?", "?", "?", "?"),
		R_REGION },
	/* The same two without locks, for the replacement's confirmation page. */
	[STMT_SAMPLE_UNIT_SHOW] = {
		"SELECT " SAMPLE_UNIT_SHOW_COLS SAMPLE_UNIT_SHOW_FROM("?", "?"),
		R_REGION },
	[STMT_SAMPLE_NEXT_RESERVE_SHOW] = {
		"SELECT " NEXT_RESERVE_COLS NEXT_RESERVE_FROM("?", "?"),
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
	/* /admin/samples: every region and kind, with its sample or without
	 * one - never drawn, or reset and not drawn again (issue 23 item 10:
	 * a reset region must not vanish from the list). */
	[STMT_ADMIN_SAMPLES_ALL] = {
		/* Units and registrations from the maintained counter
		 * (sql/065_list_counters.sql), not a count over sample_units;
		 * one row per region and kind (uk_region_kind). */
		"SELECT g.code, g.name, k.kind, s.method, s.created_at, COALESCE(a.units, 0),"
		" COALESCE(a.registered, 0), s.id IS NOT NULL"
		/* the two sample kinds come as arguments: the core names no form */
		" FROM regions g CROSS JOIN (SELECT ? AS kind UNION ALL SELECT ?) k"
		" LEFT JOIN samples s ON s.region_code = g.code AND s.kind = k.kind"
		" LEFT JOIN agg_sample_units a ON a.sample_id = s.id"
		" ORDER BY g.code, k.kind",
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
		"SELECT " SLIP_COUNTS_COLS SLIP_COUNTS_FROM("?"),
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
		"SELECT " FOLLOWUP_ACCOUNTS_COLS FOLLOWUP_ACCOUNTS_FROM("?", "?", "?", "?", "?") FOLLOWUP_ACCOUNTS_ORDER,
		R_REGION | R_ADMINS },
	/* One unit and one construction account, with their region (the
	 * caller compares it: another region's unit is 403). */
	[STMT_FOLLOWUP_UNIT_GET] = {
		"SELECT " FOLLOWUP_UNIT_COLS FOLLOWUP_UNIT_FROM("?"),
		R_REGION | R_ADMINS },
	[STMT_FOLLOWUP_ACCOUNT_GET] = {
		"SELECT " FOLLOWUP_ACCOUNT_COLS FOLLOWUP_ACCOUNT_FROM("?", "?", "?"),
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
	/* The invited units per stratum, printed and registered: the maintained
	 * counters (agg_quota counts exactly INVITED_SQL's units), not a scan of
	 * the region's units (issue 21 item 4). */
	[STMT_SLIP_FUNNEL] = {
		"SELECT " SLIP_FUNNEL_COLS SLIP_FUNNEL_FROM("?") SLIP_FUNNEL_ORDER,
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
		" EXISTS (SELECT 1 FROM sample_units su WHERE su.user_id = r.user_id AND" INVITED_SQL ")" EXCLUDED_BIT
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
		"SELECT " AGGR_PROGRESS_COLS("?", "?") AGGR_PROGRESS_FROM("?") AGGR_PROGRESS_ORDER,
		R_ADMINS | R_REGION },
	[STMT_AGGR_QUOTA] = {
		"SELECT " AGGR_QUOTA_COLS AGGR_QUOTA_FROM("?"),
		R_ADMINS | R_REGION },
	[STMT_AGGR_STATS_REGIONS] = {
		STATS_REGIONS_SQL("?", "?") " ORDER BY f.region_code",
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
		"SELECT " AGGR_QUOTA_ALL_COLS AGGR_QUOTA_ALL_FROM,
		R_ADMINS | R_REGION },
	/* smesurvey-admin rebuild-aggregates: everything again from the data. */
	[STMT_AGGR_CLEAR_PROGRESS] = { "DELETE FROM agg_progress", R_CLI },
	[STMT_AGGR_CLEAR_QUOTA]    = { "DELETE FROM agg_quota", R_CLI },
	[STMT_AGGR_CLEAR_COUNTED]  = { "DELETE FROM agg_counted", R_CLI },
	[STMT_AGGR_CLEAR_FIELDS]   = { "DELETE FROM agg_fields", R_CLI },
	[STMT_AGGR_CLEAR_VALUES]   = { "DELETE FROM agg_values", R_CLI },
	[STMT_AGGR_CLEAR_IND]      = { "DELETE FROM agg_ind", R_CLI },
	[STMT_AGGR_CLEAR_ACCOUNTS] = { "DELETE FROM agg_accounts", R_CLI },
	[STMT_AGGR_CLEAR_SAMPLE_UNITS] = { "DELETE FROM agg_sample_units", R_CLI },
	/* The list counters of sql/065_list_counters.sql. */
	[STMT_AGGR_REBUILD_ACCOUNTS] = {
		"INSERT INTO agg_accounts (region_code, role, n)"
		" SELECT COALESCE(region_code, ''), role, COUNT(*) FROM users GROUP BY COALESCE(region_code, ''), role",
		R_CLI },
	[STMT_AGGR_REBUILD_SAMPLE_UNITS] = {
		"INSERT INTO agg_sample_units (sample_id, units, registered)"
		" SELECT sample_id, COUNT(*), SUM(user_id IS NOT NULL) FROM sample_units GROUP BY sample_id",
		R_CLI },
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
		" EXISTS (SELECT 1 FROM sample_units su WHERE su.user_id = r.user_id AND" INVITED_SQL ")" EXCLUDED_BIT
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
		"SELECT definitions" AGGR_META_FROM,
		R_ADMINS | R_CLI },
	[STMT_AGGR_META_SET] = {
		"UPDATE agg_meta SET definitions = ?, rebuilt_at = NOW() WHERE id = 1",
		R_CLI },
	/* ---- Seek paging of /admin/responses (issue 13 item 1) ---- */
	/* The list's total from the maintained counters (enabled accounts'
	 * responses, by the account's region), not a count of every row. */
	[STMT_RESPONSE_COUNT_AGGR] = {
		"SELECT " RESPONSE_COUNT_COLS("?") RESPONSE_COUNT_FROM("?", "?"),
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
		"SELECT " PREFILL_COLS PREFILL_FROM("?"),
		R_RESPONDENTS },

	/* Paradata (issue 20, item 1). The row of a response, made with it
	 * (first save) or by the first GET of the form. */
	[STMT_PARADATA_CREATE] = {
		"INSERT IGNORE INTO paradata (form, user_id, region_code) VALUES (?, ?, ?)",
		R_RESPONDENTS },
	[STMT_PARADATA_OPEN] = {
		"INSERT INTO paradata (form, user_id, region_code, opened_at, last_at) VALUES (?, ?, ?, NOW(), NOW())"
		" ON DUPLICATE KEY UPDATE opened_at = COALESCE(opened_at, NOW())",
		R_RESPONDENTS },
	/* Keep-alive of the own form (form.js): session, device, network, browser, form, user. */
	[STMT_PARADATA_ALIVE] = {
		"UPDATE paradata SET" PD_ACTIVE("") "," PD_ADD("sessions") "," PD_ADD("devices") ","
		PD_ADD("nets") "," PD_ADD("uas") " WHERE form = ? AND user_id = ?",
		R_RESPONDENTS },
	/* Login and registration: which accounts a browser signed in to. */
	[STMT_DEVICE_ACCOUNT] = {
		"INSERT IGNORE INTO device_accounts (device, user_id, first_at) VALUES (?, ?, NOW())",
		R_ANYONE },
	[STMT_REG_PARADATA_INSERT] = {
		"INSERT IGNORE INTO reg_paradata (user_id, region_code, form, at, net, device, ua, with_code)"
		" VALUES (?, ?, ?, NOW(), ?, ?, ?, ?)",
		R_ANYONE },
	[STMT_PARADATA_PURGE] = {
		"DELETE FROM paradata",
		R_CLI },
	[STMT_REG_PARADATA_PURGE] = {
		"DELETE FROM reg_paradata",
		R_CLI },
	[STMT_DEVICE_ACCOUNTS_PURGE] = {
		"DELETE FROM device_accounts",
		R_CLI },
	/* The paradata of a response for the agency (eval/flags.c, review). */
	[STMT_PARADATA_OF_RESPONSE] = {
		"SELECT DATE_FORMAT(p.opened_at, '%Y-%m-%d %H:%i:%s'),"
		" DATE_FORMAT(p.first_saved_at, '%Y-%m-%d %H:%i:%s'),"
		" DATE_FORMAT(p.submitted_at, '%Y-%m-%d %H:%i:%s'), p.active_s, p.saves,"
		" p.sessions, p.devices, p.nets, p.uas, COALESCE(p.submit_net, ''), p.by_own, p.by_paper"
		" FROM responses r JOIN paradata p ON p.form = r.form AND p.user_id = r.user_id WHERE r.id = ?",
		R_ADMINS | R_CLI | R_RESPONDENTS },

	/* Integrity flags (issue 20, item 2; eval/flags.c). Run in a submit's
	 * transaction (whoever submits, the region's paper entry included) and
	 * by smesurvey-admin rebuild-flags. */
	[STMT_FLAGS_DELETE_OWN] = {
		"DELETE FROM flags WHERE response_id = ?",
		R_AGGR },
	[STMT_FLAG_PUT] = {
		"INSERT INTO flags (response_id, rule, region_code, form, figures, others, at)"
		" VALUES (?, ?, ?, ?, ?, ?, NOW())"
		" ON DUPLICATE KEY UPDATE figures = VALUES(figures), others = VALUES(others)",
		R_AGGR },
	/* The symmetric flags on other submitted responses: rule, a JSON array
	 * of [id, figures] (eval/flags.c others_put). An existing flag of the
	 * rule is left as it is (INSERT IGNORE writes nothing then, so the
	 * concurrent submits of one burst do not conflict on it; sql/080). */
	[STMT_FLAG_ADD_OTHERS] = {
		"INSERT IGNORE INTO flags (response_id, rule, region_code, form, figures, others, at)"
		" SELECT r.id, ?, COALESCE(r.region_code, ''), r.form, j.figures, '', NOW()"
		" FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$[0]' ERROR ON EMPTY ERROR ON ERROR,"
		" figures VARCHAR(500) PATH '$[1]' ERROR ON EMPTY ERROR ON ERROR)) j"
		" JOIN responses r ON r.id = j.id WHERE r.status = 'submitted'",
		R_AGGR },
	/* Who found them: the rule, the finder's id, the same JSON array (a row
	 * per finding, a key no other submit writes). */
	[STMT_FLAG_LINKS_ADD] = {
		"INSERT IGNORE INTO flag_links (response_id, rule, finder_id)"
		" SELECT r.id, ?, ? FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$[0]'"
		" ERROR ON EMPTY ERROR ON ERROR)) j JOIN responses r ON r.id = j.id WHERE r.status = 'submitted'",
		R_AGGR },
	/* A response's findings, before its flags are computed again (the
	 * findings about it stay: they are the others' and still hold). */
	[STMT_FLAG_LINKS_DELETE_OWN] = {
		"DELETE FROM flag_links WHERE finder_id = ?",
		R_AGGR },
	[STMT_FLAG_FACTS] = {
		"SELECT r.user_id, COALESCE(p.active_s, -1), COALESCE(p.by_paper, 0), COALESCE(p.submit_net, ''),"
		" DATE_FORMAT(COALESCE(p.submitted_at, r.submitted_at), '%Y-%m-%d %H:%i:%s')"
		" FROM responses r LEFT JOIN paradata p ON p.form = r.form AND p.user_id = r.user_id WHERE r.id = ?",
		R_AGGR },
	/* Submissions of a region from a network in the window before a time
	 * (index k_burst): region, network, time, minutes, time. */
	[STMT_FLAG_BURST_SUBMITS] = {
		"SELECT r.id FROM paradata p JOIN responses r ON r.form = p.form AND r.user_id = p.user_id"
		" WHERE p.region_code = ? AND p.submit_net = ? AND p.submitted_at BETWEEN ? - INTERVAL ? MINUTE AND ?"
		" AND r.status = 'submitted' ORDER BY p.submitted_at LIMIT 200",
		R_AGGR },
	/* Registrations of the account's region from its registration's
	 * network in the window before it: minutes, user. */
	[STMT_FLAG_BURST_REGS] = {
		"SELECT COUNT(*) FROM reg_paradata me JOIN reg_paradata g ON g.region_code = me.region_code"
		" AND g.net = me.net AND g.at BETWEEN me.at - INTERVAL ? MINUTE AND me.at"
		" WHERE me.user_id = ? AND me.net <> ''",
		R_AGGR },
	/* The other accounts signed in from the browsers this account signed
	 * in from: their role and submitted responses. */
	[STMT_FLAG_BROWSER] = {
		"SELECT DISTINCT da2.user_id, u.role, COALESCE(r.id, 0) FROM device_accounts da"
		" JOIN device_accounts da2 ON da2.device = da.device AND da2.user_id <> da.user_id"
		" JOIN users u ON u.id = da2.user_id"
		" LEFT JOIN responses r ON r.user_id = u.id AND r.status = 'submitted'"
		" WHERE da.user_id = ? LIMIT 200",
		R_AGGR },
	[STMT_FLAG_SIGS_DELETE] = {
		"DELETE FROM flag_sigs WHERE response_id = ?",
		R_AGGR },
	[STMT_FLAG_SIGS_INSERT] = {
		"INSERT INTO flag_sigs (response_id, region_code, form, band, h) VALUES"
		" " FLAG_SIG4 ", " FLAG_SIG4 ", " FLAG_SIG4,
		R_AGGR },
	/* Near-duplicate candidates (a signature band in common, same region
	 * and form) compared answer by answer: id, equal answers, answered
	 * fields in common. */
	/* At most the 20 newest candidates, so that a region of thousands of
	 * alike responses costs a submit no more than a few (arguments: the
	 * response twice). */
	[STMT_FLAG_SIMILAR] = {
		"SELECT b.response_id, SUM(a.value = b.value), COUNT(*) FROM (SELECT DISTINCT s2.response_id"
		" FROM flag_sigs s1 JOIN flag_sigs s2 ON s2.region_code = s1.region_code AND s2.form = s1.form"
		" AND s2.band = s1.band AND s2.h = s1.h AND s2.response_id <> s1.response_id WHERE s1.response_id = ?"
		" ORDER BY s2.response_id DESC LIMIT 20) c"
		" JOIN answers b ON b.response_id = c.response_id JOIN answers a ON a.response_id = ? AND a.code = b.code"
		" GROUP BY b.response_id",
		R_AGGR },
	[STMT_FLAG_CONTACTS_DELETE] = {
		"DELETE FROM flag_contacts WHERE response_id = ?",
		R_AGGR },
	[STMT_FLAG_CONTACT_INSERT] = {
		"INSERT IGNORE INTO flag_contacts (kind, value, response_id, user_id) VALUES (?, ?, ?, ?)",
		R_AGGR },
	[STMT_FLAG_CONTACT_OTHERS] = {
		"SELECT DISTINCT response_id FROM flag_contacts WHERE kind = ? AND value = ? AND user_id <> ? LIMIT 50",
		R_AGGR },
	[STMT_FLAGS_CLEAR] = {
		"DELETE FROM flags",
		R_CLI },
	[STMT_FLAG_LINKS_CLEAR] = {
		"DELETE FROM flag_links",
		R_CLI },
	[STMT_FLAG_SIGS_CLEAR] = {
		"DELETE FROM flag_sigs",
		R_CLI },
	[STMT_FLAG_CONTACTS_CLEAR] = {
		"DELETE FROM flag_contacts",
		R_CLI },
	/* Every submitted response in submit order (the rebuild). */
	[STMT_FLAG_REBUILD_LIST] = {
		"SELECT r.id, r.form, COALESCE(r.region_code, '') FROM responses r"
		" LEFT JOIN paradata p ON p.form = r.form AND p.user_id = r.user_id"
		" WHERE r.status = 'submitted' ORDER BY COALESCE(p.submitted_at, r.submitted_at), r.id",
		R_CLI },
	/* How many submitted responses the agency excluded, per region (the
	 * indicator views say so; issue 20 item 4). */
	[STMT_FLAG_EXCLUDED_BY_REGION] = {
		EXCLUDED_BY_REGION_SQL,
		R_ADMINS | R_REGION },

	/* The agency's review (issue 20, item 3; eval/integrity.c): the queue of
	 * flagged responses, by id after a key: region, form, rule (each NULL
	 * for all), after, limit. */
	[STMT_FLAGREVIEW_QUEUE] = {
		"SELECT f.response_id, f.region_code, COALESCE(g.name, ''), f.form, u.org_name,"
		" GROUP_CONCAT(f.rule ORDER BY f.rule), COALESCE(MAX(fr.decision), ''),"
		" COALESCE(DATE_FORMAT(MAX(r.submitted_at), '%Y-%m-%d %H:%i'), ''), COALESCE(MAX(fr.note), '')"
		" FROM flags f JOIN responses r ON r.id = f.response_id JOIN users u ON u.id = r.user_id"
		" LEFT JOIN regions g ON g.code = f.region_code LEFT JOIN flag_reviews fr ON fr.response_id = f.response_id"
		" WHERE (? IS NULL OR f.region_code = ?) AND (? IS NULL OR f.form = ?) AND f.response_id > ?"
		" AND (? IS NULL OR EXISTS (SELECT 1 FROM flags f2 WHERE f2.response_id = f.response_id AND f2.rule = ?))"
		" GROUP BY f.response_id, f.region_code, g.name, f.form, u.org_name ORDER BY f.response_id LIMIT ?",
		R_REVIEW },
	[STMT_FLAGREVIEW_FLAGS_OF] = {
		"SELECT f.rule, f.figures, CONCAT_WS(',', NULLIF(f.others, ''),"
		" (SELECT GROUP_CONCAT(l.finder_id ORDER BY l.finder_id) FROM flag_links l"
		" WHERE l.response_id = f.response_id AND l.rule = f.rule))"
		" FROM flags f WHERE f.response_id = ? ORDER BY f.rule",
		R_REVIEW },
	[STMT_FLAGREVIEW_RESPONSE] = {
		"SELECT r.form, COALESCE(r.region_code, ''), COALESCE(g.name, ''), u.org_name, u.username, r.status,"
		" COALESCE(fr.decision, ''), COALESCE(fr.note, ''), COALESCE(DATE_FORMAT(fr.at, '%Y-%m-%d %H:%i'), ''),"
		" COALESCE(bu.username, '')"
		" FROM responses r JOIN users u ON u.id = r.user_id LEFT JOIN regions g ON g.code = r.region_code"
		" LEFT JOIN flag_reviews fr ON fr.response_id = r.id LEFT JOIN users bu ON bu.id = fr.by_user"
		" WHERE r.id = ?",
		R_REVIEW },
	/* A decision locks the flagged response's row (then aggr_sync). */
	[STMT_FLAGREVIEW_LOCK] = {
		"SELECT r.id FROM responses r WHERE r.id = ? AND EXISTS (SELECT 1 FROM flags f WHERE f.response_id = r.id)"
		" FOR UPDATE",
		R_REVIEW },
	[STMT_FLAGREVIEW_SET] = {
		"INSERT INTO flag_reviews (response_id, decision, note, by_user, at) VALUES (?, ?, ?, ?, NOW())"
		" ON DUPLICATE KEY UPDATE decision = VALUES(decision), note = VALUES(note), by_user = VALUES(by_user),"
		" at = NOW()",
		R_REVIEW },
	[STMT_FLAGREVIEW_DELETE] = {
		"DELETE FROM flag_reviews WHERE response_id = ?",
		R_REVIEW },
	/* What a region sees: its responses under review (flagged, not
	 * accepted), and of them those asked of it. */
	[STMT_FLAGREVIEW_REGION_COUNT] = {
		"SELECT " FLAG_REGION_COLS FLAG_REGION_FROM("?"),
		R_REGION | R_ADMINS },
	/* Flagged submitted responses of a form per region (national progress). */
	[STMT_FLAGREVIEW_FLAGGED_SHARE] = {
		FLAGGED_SHARE_SQL("?"),
		R_ADMINS },
	/* ---- The agency's document review (issue 19 item 2, eval/review.c) ----
	 * A construction unit: its account, when it is one. The two roles of
	 * construction units are parameters here (the callers pass role_code(ROLE_HUB) and role_code(ROLE_WINDOW)). */
	[STMT_UNIT_OF] = {
		"SELECT " UNIT_OF_COLS UNIT_OF_FROM("?", "?", "?"),
		R_AGENCY | R_UNITS },
	/* A unit's documents, newest first; the handler passes the unit's own
	 * id for a unit (r->user->id), any unit's for the agency. */
	[STMT_UNIT_DOCS] = {
		"SELECT d.id, d.kind, d.file, d.bytes, DATE_FORMAT(d.uploaded_at, '%Y-%m-%d %H:%i'),"
		" b.role, b.org_name FROM unit_documents d JOIN users b ON b.id = d.uploaded_by"
		" WHERE d.unit_id = ? ORDER BY d.id DESC LIMIT 500",
		R_AGENCY | R_UNITS },
	[STMT_UNIT_DOC_INSERT] = {
		"INSERT INTO unit_documents (unit_id, kind, file, bytes, uploaded_by) VALUES (?, ?, ?, ?, ?)",
		R_AGENCY | R_UNITS },
	[STMT_UNIT_DOC_GET] = {
		"SELECT unit_id, file FROM unit_documents WHERE id = ?",
		R_AGENCY | R_UNITS },
	/* A region's receipts: that its units' documents arrived, no file. */
	[STMT_REGION_RECEIPTS] = {
		"SELECT u.org_name, u.role, d.kind, DATE_FORMAT(d.uploaded_at, '%Y-%m-%d %H:%i'),"
		" d.uploaded_by = d.unit_id FROM unit_documents d JOIN users u ON u.id = d.unit_id"
		" WHERE u.region_code = ? ORDER BY u.role, u.username, d.id LIMIT 2000",
		R_REGION },
	/* Every construction unit (of one region, or all: NULL) with its
	 * document count and current review. */
	[STMT_REVIEW_UNITS] = {
		"SELECT u.id, u.region_code, g.name, u.role, u.username, u.org_name,"
		" (SELECT COUNT(*) FROM unit_documents d WHERE d.unit_id = u.id),"
		" COALESCE(rv.version, 0), rv.rating1, rv.rating2, rv.rating3, rv.rating4,"
		" DATE_FORMAT(rv.saved_at, '%Y-%m-%d %H:%i'), COALESCE(rv.findings, '')"
		" FROM users u JOIN regions g ON g.code = u.region_code"
		" LEFT JOIN unit_reviews rv ON rv.unit_id = u.id"
		" AND rv.version = (SELECT MAX(x.version) FROM unit_reviews x WHERE x.unit_id = u.id)"
		" WHERE u.role IN (?, ?) AND (? IS NULL OR u.region_code = ?)"
		" ORDER BY u.region_code, u.role, u.username LIMIT 5000",
		R_AGENCY },
	/* A unit's review versions, newest first (LIMIT 1: the current one). */
	[STMT_REVIEW_VERSIONS] = {
		"SELECT rv.version, rv.checklist, rv.findings, rv.rating1, rv.rating2, rv.rating3, rv.rating4,"
		" u.username, DATE_FORMAT(rv.saved_at, '%Y-%m-%d %H:%i:%s')"
		" FROM unit_reviews rv JOIN users u ON u.id = rv.reviewer_id"
		" WHERE rv.unit_id = ? ORDER BY rv.version DESC LIMIT ?",
		R_AGENCY },
	/* A new version; the primary key refuses a version saved meanwhile. */
	[STMT_REVIEW_INSERT] = {
		"INSERT INTO unit_reviews (unit_id, version, checklist, findings, rating1, rating2, rating3,"
		" rating4, reviewer_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		R_AGENCY },
	/* ---- Approved targets (issue 19 item 3, eval/targets.c) ---- */
	[STMT_TARGETS_OF_REGION] = {
		"SELECT code, approved, reported FROM region_targets WHERE region_code = ?",
		R_AGENCY },
	[STMT_TARGETS_SUMMARY] = {
		"SELECT g.code, g.name, COUNT(t.approved), COALESCE(DATE_FORMAT(MAX(t.imported_at), '%Y-%m-%d %H:%i'), '')"
		" FROM regions g LEFT JOIN region_targets t ON t.region_code = g.code GROUP BY g.code, g.name"
		" ORDER BY g.code",
		R_AGENCY },
	[STMT_TARGETS_DELETE_REGION] = {
		"DELETE FROM region_targets WHERE region_code = ?",
		R_AGENCY },
	[STMT_TARGET_INSERT] = {
		"INSERT INTO region_targets (region_code, code, approved, reported, imported_by) VALUES (?, ?, ?, ?, ?)",
		R_AGENCY },
	/* A region's submitted questionnaire of a form (the self-evaluation). */
	[STMT_REGION_FORM_SUBMITTED] = {
		"SELECT id FROM responses WHERE form = ? AND region_code = ? AND status = 'submitted'"
		" ORDER BY id DESC LIMIT 1",
		R_AGENCY },
	/* ---- Site visits (issue 19 item 4, eval/visits.c) ---- */
	[STMT_VISIT_INSERT] = {
		"INSERT INTO visits (region_code, starts_on, ends_on, prepare, findings, created_by)"
		" VALUES (?, ?, ?, ?, '', ?)",
		R_AGENCY },
	[STMT_VISITS_LIST] = {
		"SELECT v.id, v.region_code, g.name, DATE_FORMAT(v.starts_on, '%Y-%m-%d'), DATE_FORMAT(v.ends_on, '%Y-%m-%d'),"
		" v.state, COALESCE(DATE_FORMAT(v.confirmed_at, '%Y-%m-%d %H:%i'), ''),"
		" (SELECT COUNT(*) FROM visit_objects o WHERE o.visit_id = v.id), v.cancel_reason, v.findings"
		" FROM visits v JOIN regions g ON g.code = v.region_code"
		" WHERE (? IS NULL OR v.region_code = ?) ORDER BY v.starts_on DESC, v.id DESC LIMIT 1000",
		R_AGENCY },
	/* Columns in the order of struct visit (eval/visits.h). */
	[STMT_VISIT_GET] = {
		"SELECT v.id, v.region_code, g.name, DATE_FORMAT(v.starts_on, '%Y-%m-%d'), DATE_FORMAT(v.ends_on, '%Y-%m-%d'),"
		" v.state, v.cancel_reason, v.contact, v.phone, v.prepare, v.findings,"
		" COALESCE(DATE_FORMAT(v.confirmed_at, '%Y-%m-%d %H:%i'), ''), v.version"
		" FROM visits v JOIN regions g ON g.code = v.region_code WHERE v.id = ?",
		R_AGENCY },
	[STMT_VISIT_UPDATE] = {
		"UPDATE visits SET starts_on = ?, ends_on = ?, contact = ?, phone = ?, prepare = ?, findings = ?,"
		" version = version + 1 WHERE id = ? AND version = ?",
		R_AGENCY },
	/* A state change from one of two states (the same twice for one). */
	[STMT_VISIT_STATE] = {
		"UPDATE visits SET state = ?, cancel_reason = ?, version = version + 1"
		" WHERE id = ? AND state IN (?, ?)",
		R_AGENCY },
	[STMT_VISIT_TEAM_CLEAR] = {
		"DELETE FROM visit_team WHERE visit_id = ?",
		R_AGENCY },
	[STMT_VISIT_TEAM_ADD] = {
		"INSERT INTO visit_team (visit_id, user_id) SELECT ?, id FROM users WHERE id = ? AND role = 'agency'",
		R_AGENCY },
	/* The handler has checked the visit is the reader's (region, unit). */
	[STMT_VISIT_TEAM] = {
		"SELECT " VISIT_TEAM_COLS VISIT_TEAM_FROM " WHERE t.visit_id = ? ORDER BY " VISIT_TEAM_ORDER,
		R_AGENCY | R_REGION | R_UNITS },
	/* The teams of a region's or a unit's visits (eval/visitside.c). */
	[STMT_REGION_VISITS_TEAM] = {
		"SELECT " VISITS_TEAM_COLS VISITS_TEAM_FROM(VISITS_SHOWN_OF_REGION("?")) VISITS_TEAM_ORDER,
		R_REGION },
	[STMT_UNIT_VISITS_TEAM] = {
		"SELECT " VISITS_TEAM_COLS VISITS_TEAM_FROM(VISITS_SHOWN_OF_UNIT("?")) VISITS_TEAM_ORDER,
		R_UNITS },
	[STMT_AGENCY_ACCOUNTS] = {
		"SELECT id, username, org_name, contact FROM users WHERE role = 'agency' AND disabled = 0"
		" ORDER BY username LIMIT 500",
		R_AGENCY },
	[STMT_VISIT_OBJECTS_CLEAR] = {
		"DELETE FROM visit_objects WHERE visit_id = ?",
		R_AGENCY },
	[STMT_VISIT_OBJECT_AUTHORITY] = {
		"INSERT INTO visit_objects (visit_id, unit_id, day) VALUES (?, NULL, ?)",
		R_AGENCY },
	/* Only a construction unit of the visit's own region. */
	[STMT_VISIT_OBJECT_UNIT] = {
		"INSERT INTO visit_objects (visit_id, unit_id, day) SELECT v.id, u.id, ? FROM visits v"
		" JOIN users u ON u.region_code = v.region_code AND u.role IN (?, ?)"
		" WHERE v.id = ? AND u.id = ?",
		R_AGENCY },
	[STMT_VISIT_OBJECTS] = {
		"SELECT " VISIT_OBJECTS_COLS VISIT_OBJECTS_FROM " WHERE o.visit_id = ? ORDER BY " VISIT_OBJECTS_ORDER,
		R_AGENCY | R_REGION | R_UNITS },
	/* The schedules of a region's or a unit's visits (eval/visitside.c). */
	[STMT_REGION_VISITS_OBJECTS] = {
		"SELECT " VISITS_OBJECTS_COLS VISITS_OBJECTS_FROM(VISITS_SHOWN_OF_REGION("?")) VISITS_OBJECTS_ORDER,
		R_REGION },
	[STMT_UNIT_VISITS_OBJECTS] = {
		"SELECT " VISITS_OBJECTS_COLS VISITS_OBJECTS_FROM(VISITS_SHOWN_OF_UNIT("?")) VISITS_OBJECTS_ORDER,
		R_UNITS },
	[STMT_REGION_UNITS] = {
		"SELECT id, role, org_name, username FROM users WHERE region_code = ? AND role IN (?, ?)"
		" ORDER BY role, username LIMIT 500",
		R_AGENCY },
	/* A region's visits once notified: no findings. */
	[STMT_REGION_VISITS] = {
		"SELECT " REGION_VISITS_COLS REGION_VISITS_FROM("?") REGION_VISITS_ORDER,
		R_REGION },
	[STMT_VISIT_CONFIRM] = {
		"UPDATE visits SET confirmed_at = NOW(), confirmed_by = ? WHERE id = ? AND region_code = ?"
		" AND state = 'notified' AND confirmed_at IS NULL",
		R_REGION },
	/* The visits a construction unit is an object of, once notified. */
	[STMT_UNIT_VISITS] = {
		"SELECT " UNIT_VISITS_COLS UNIT_VISITS_FROM("?") UNIT_VISITS_ORDER,
		R_UNITS },
	/* ---- Symposiums (issue 19 item 5, eval/symposium.c) ---- */
	/* Only at a construction unit the visit goes to. */
	[STMT_SYMPOSIUM_INSERT] = {
		"INSERT INTO symposiums (visit_id, host_id, day, place, minutes, created_by)"
		" SELECT o.visit_id, o.unit_id, ?, ?, '', ? FROM visit_objects o WHERE o.visit_id = ? AND o.unit_id = ?",
		R_AGENCY },
	[STMT_SYMPOSIUMS_OF_VISIT] = {
		"SELECT s.id, DATE_FORMAT(s.day, '%Y-%m-%d'), u.org_name, s.place,"
		" (SELECT COUNT(*) FROM symposium_participants p WHERE p.symposium_id = s.id),"
		" (SELECT COUNT(*) FROM symposium_participants p WHERE p.symposium_id = s.id AND p.attended = 1),"
		" s.minutes <> ''"
		" FROM symposiums s JOIN users u ON u.id = s.host_id WHERE s.visit_id = ? ORDER BY s.day, s.id",
		R_AGENCY },
	[STMT_SYMPOSIUM_GET] = {
		"SELECT s.id, s.visit_id, v.region_code, g.name, DATE_FORMAT(s.day, '%Y-%m-%d'), u.org_name, u.role, s.place,"
		" s.minutes FROM symposiums s JOIN visits v ON v.id = s.visit_id JOIN regions g ON g.code = v.region_code"
		" JOIN users u ON u.id = s.host_id WHERE s.id = ?",
		R_AGENCY },
	[STMT_SYMPOSIUM_MINUTES] = {
		"UPDATE symposiums SET minutes = ? WHERE id = ?",
		R_AGENCY },
	/* The region's invited sample units, who submitted first offered first. */
	[STMT_SYMPOSIUM_CANDIDATES] = {
		"SELECT su.id, su.stratum, su.name, su.contact, su.phone,"
		" COALESCE(DATE_FORMAT(p.submitted_at, '%Y-%m-%d %H:%i'), '')"
		" FROM sample_units su LEFT JOIN responses p ON p.user_id = su.user_id AND p.form = su.form"
		" AND p.status = 'submitted' WHERE su.region_code = ? AND" INVITED_SQL
		" ORDER BY p.submitted_at IS NULL, p.submitted_at, su.registered_at IS NULL, su.stratum, su.position"
		" LIMIT 1000",
		R_AGENCY },
	[STMT_SYMPOSIUM_PARTICIPANTS] = {
		"SELECT sample_unit_id, stratum, name, contact, phone, COALESCE(attended, -1)"
		" FROM symposium_participants WHERE symposium_id = ? ORDER BY stratum, name",
		R_AGENCY },
	/* Only a unit of the symposium's region's sample, as invited. */
	[STMT_SYMPOSIUM_INVITE] = {
		"INSERT IGNORE INTO symposium_participants (symposium_id, sample_unit_id, stratum, name, contact, phone)"
		" SELECT s.id, su.id, su.stratum, su.name, su.contact, su.phone FROM symposiums s"
		" JOIN visits v ON v.id = s.visit_id JOIN sample_units su ON su.region_code = v.region_code"
		" WHERE s.id = ? AND su.id = ? AND" INVITED_SQL,
		R_AGENCY },
	/* The units kept or who came: their ids comma-separated (a symposium
	 * has a few dozen participants, so one statement, not one a unit). */
	[STMT_SYMPOSIUM_UNINVITE] = {
		"DELETE FROM symposium_participants WHERE symposium_id = ? AND FIND_IN_SET(sample_unit_id, ?) = 0",
		R_AGENCY },
	[STMT_SYMPOSIUM_ATTENDED] = {
		"UPDATE symposium_participants SET attended = FIND_IN_SET(sample_unit_id, ?) > 0 WHERE symposium_id = ?",
		R_AGENCY },
	[STMT_SYMPOSIUM_FILE_INSERT] = {
		"INSERT INTO symposium_files (symposium_id, file, bytes, uploaded_by) VALUES (?, ?, ?, ?)",
		R_AGENCY },
	[STMT_SYMPOSIUM_FILES] = {
		"SELECT id, file, bytes, DATE_FORMAT(uploaded_at, '%Y-%m-%d %H:%i') FROM symposium_files"
		" WHERE symposium_id = ? ORDER BY id",
		R_AGENCY },
	[STMT_SYMPOSIUM_FILE_GET] = {
		"SELECT file FROM symposium_files WHERE id = ?",
		R_AGENCY },
	/* ---- The region's dossier (issue 19 item 6, eval/dossier.c) ---- */
	[STMT_DOSSIER_SYMPOSIUMS] = {
		"SELECT s.id, DATE_FORMAT(s.day, '%Y-%m-%d'), u.org_name,"
		" (SELECT COUNT(*) FROM symposium_participants p WHERE p.symposium_id = s.id),"
		" (SELECT COUNT(*) FROM symposium_participants p WHERE p.symposium_id = s.id AND p.attended = 1),"
		" s.minutes, v.region_code FROM symposiums s JOIN visits v ON v.id = s.visit_id JOIN users u ON u.id = s.host_id"
		" WHERE (? IS NULL OR v.region_code = ?) ORDER BY v.region_code, s.day, s.id",
		R_AGENCY },
	/* Per stratum of the region's sample: invited, registered, submitted. */
	[STMT_DOSSIER_STRATA] = {
		"SELECT su.stratum, COUNT(*), SUM(su.user_id IS NOT NULL), SUM(p.status <=> 'submitted')"
		" FROM sample_units su LEFT JOIN responses p ON p.user_id = su.user_id AND p.form = su.form"
		" WHERE su.region_code = ? AND" INVITED_SQL "GROUP BY su.stratum ORDER BY su.stratum",
		R_AGENCY },
	/* The region's integrity review (issue 20) per rule, then (rule NULL,
	 * the rollup) for all rules: flagged responses, accepted, excluded,
	 * asked of the region, not decided. */
	[STMT_DOSSIER_FLAG_COUNTS] = {
		"SELECT f.rule, COUNT(DISTINCT f.response_id),"
		" COUNT(DISTINCT IF(fr.decision = 'accepted', f.response_id, NULL)),"
		" COUNT(DISTINCT IF(fr.decision = 'excluded', f.response_id, NULL)),"
		" COUNT(DISTINCT IF(fr.decision = 'asked', f.response_id, NULL)),"
		" COUNT(DISTINCT IF(fr.decision IS NULL, f.response_id, NULL))"
		" FROM flags f LEFT JOIN flag_reviews fr ON fr.response_id = f.response_id"
		" WHERE f.region_code = ? GROUP BY f.rule WITH ROLLUP",
		R_AGENCY },
	/* Per questionnaire of the region's accounts: accounts, submitted. */
	[STMT_DOSSIER_FORMS] = {
		"SELECT u.form, COUNT(*), SUM(p.status <=> 'submitted') FROM users u"
		" LEFT JOIN responses p ON p.user_id = u.id AND p.form = u.form"
		" WHERE u.region_code = ? AND u.form <> '' GROUP BY u.form ORDER BY u.form",
		R_AGENCY },
};

/* What each page's statement carries, in the order of its column pairs. */
const enum stmt *const stmt_carries[STMT__MAX] = {
	[STMT_PAGE_REGION_HOME] = (const enum stmt[]){ STMT_REGION_NAME, STMT_FLAGREVIEW_REGION_COUNT,
		STMT_REGION_CHECKLIST, STMT_DEADLINE_OVERRIDES_ALL, STMT_AGGR_PROGRESS, STMT_AGGR_QUOTA, STMT__MAX },
	[STMT_PAGE_NATIONAL] = (const enum stmt[]){ STMT_AGGR_META_GET, STMT_DEADLINE_OVERRIDES_ALL,
		STMT_AGGR_PROGRESS, STMT_AGGR_QUOTA, STMT_FLAGREVIEW_FLAGGED_SHARE, STMT__MAX },
	[STMT_PAGE_FORM] = (const enum stmt[]){ STMT_PROXY_TARGET, STMT_DEADLINE_OVERRIDES_ALL,
		STMT_PREFILL_FACTS, STMT__MAX },
	[STMT_PAGE_FORM_POST] = (const enum stmt[]){ STMT_PROXY_TARGET, STMT_DEADLINE_OVERRIDES_ALL, STMT__MAX },
	[STMT_PAGE_REGION_NAMED] = (const enum stmt[]){ STMT_REGION_NAME, STMT__MAX },
	[STMT_PAGE_REGIONS] = (const enum stmt[]){ STMT_REGION_LIST, STMT__MAX },
	[STMT_PAGE_DEADLINES] = (const enum stmt[]){ STMT_DEADLINE_OVERRIDE_LIST, STMT_DEADLINE_OVERRIDES_ALL,
		STMT_REGION_LIST, STMT__MAX },
	[STMT_PAGE_ACCOUNTS] = (const enum stmt[]){ STMT_REGION_LIST, STMT_USER_COUNT, STMT__MAX },
	[STMT_PAGE_RESPONSES] = (const enum stmt[]){ STMT_REGION_LIST, STMT_RESPONSE_COUNT_AGGR, STMT__MAX },
	[STMT_PAGE_RESPONSE] = (const enum stmt[]){ STMT_RESPONSE_GET, STMT__MAX },
	[STMT_PAGE_STATS] = (const enum stmt[]){ STMT_REGION_LIST, STMT_AGGR_STATS_REGIONS, STMT__MAX },
	[STMT_PAGE_FOLLOWUPS] = (const enum stmt[]){ STMT_REGION_NAME, STMT_FOLLOWUP_ACCOUNTS, STMT__MAX },
	[STMT_PAGE_FOLLOWUP_UNIT] = (const enum stmt[]){ STMT_FOLLOWUP_UNIT_GET, STMT_FOLLOWUP_ACCOUNT_GET, STMT__MAX },
	[STMT_PAGE_PROXY] = (const enum stmt[]){ STMT_PROXY_LIST, STMT__MAX },
	[STMT_PAGE_SAMPLE_REPLACE] = (const enum stmt[]){ STMT_REGION_NAME, STMT_SAMPLE_UNIT_SHOW,
		STMT_SAMPLE_NEXT_RESERVE_SHOW, STMT__MAX },
	[STMT_PAGE_SLIPS] = (const enum stmt[]){ STMT_SLIP_FUNNEL, STMT_SLIP_FUNNEL_COUNTS, STMT__MAX },
	[STMT_PAGE_REGION_VISITS] = (const enum stmt[]){ STMT_REGION_VISITS, STMT_REGION_VISITS_OBJECTS,
		STMT_REGION_VISITS_TEAM, STMT__MAX },
	[STMT_PAGE_UNIT_VISITS] = (const enum stmt[]){ STMT_UNIT_VISITS, STMT_UNIT_VISITS_OBJECTS,
		STMT_UNIT_VISITS_TEAM, STMT__MAX },
	[STMT_PAGE_UNIT_DOCS] = (const enum stmt[]){ STMT_UNIT_OF, STMT__MAX },
	[STMT_PAGE_INDICATORS] = (const enum stmt[]){ STMT_REGION_LIST, STMT_FLAG_EXCLUDED_BY_REGION,
		STMT_AGGR_QUOTA_ALL, STMT__MAX },
	[STMT_PAGE_FRAMES] = (const enum stmt[]){ STMT_REGION_NAME,
		STMT_SAMPLE_ID, STMT_FRAME_CONFIRMED, STMT_FRAME_PENDING_LATEST, STMT_FRAME_STRATUM_COUNTS,
		STMT_SAMPLE_ID, STMT_FRAME_CONFIRMED, STMT_FRAME_PENDING_LATEST, STMT_FRAME_STRATUM_COUNTS, STMT__MAX },
};

/* What a page's statement carries as its own rows (after the pairs: the
 * arguments, then that statement's columns). */
const enum stmt stmt_carried_rows[STMT__MAX] = {
	[STMT_PAGE_FORM] = STMT_RESPONSE_OF_USER,
	[STMT_PAGE_FORM_POST] = STMT_RESPONSE_ROW_OF_USER,
};
