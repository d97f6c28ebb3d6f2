-- smesurvey schema, migration 005: maintained aggregates (issue 13, item 1).
--
-- The progress, statistics and indicator pages read these small tables
-- instead of scanning every response, so their cost does not grow with the
-- number of responses. `smesurvey-admin rebuild-aggregates` recomputes all
-- of them from users, sample_units, responses and answers (and must be run
-- after data is bulk-loaded with SQL, or after the codebook or the
-- indicators change).
--
-- Two kinds:
-- * Counters of accounts, responses and sample units (agg_progress,
--   agg_quota) are kept by the triggers below: every statement that adds,
--   disables or deletes an account, moves a response between draft and
--   submitted or changes a sample unit updates them in its own transaction,
--   whatever program runs it. (A cascaded delete fires no trigger: the
--   sample units of a sample are deleted explicitly before the sample.)
-- * Tallies of the submitted answers (agg_fields, agg_values, agg_ind) need
--   the codebook (effective answers, form_drop_inapplicable) and the
--   indicator formulas, so C keeps them: cgi-bin/eval/aggr.c turns one
--   response's effective answers into deltas, used by the live paths and by
--   the rebuild alike. agg_counted records how each counted (submitted)
--   response is counted, so that it is taken out with the same key.

-- Per region and questionnaire (the account's region and form, enabled
-- accounts only): accounts, their drafts and their submissions.
CREATE TABLE agg_progress (
  region_code VARCHAR(16) NOT NULL,
  form        VARCHAR(16) NOT NULL,
  accounts    BIGINT      NOT NULL DEFAULT 0,
  drafts      BIGINT      NOT NULL DEFAULT 0,
  submitted   BIGINT      NOT NULL DEFAULT 0,
  PRIMARY KEY (region_code, form)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Per region and stratum, the invited sample units (INVITED_SQL in
-- core/stmts.c) and how far they got.
CREATE TABLE agg_quota (
  region_code VARCHAR(16) NOT NULL,
  stratum     ENUM('hub','window','sme') NOT NULL,
  sampled     BIGINT NOT NULL DEFAULT 0,
  printed     BIGINT NOT NULL DEFAULT 0,
  opened      BIGINT NOT NULL DEFAULT 0,
  registered  BIGINT NOT NULL DEFAULT 0,
  submitted   BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (region_code, stratum)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The submitted responses counted in the answer tallies, with the key they
-- were counted under (the response's region, '' for none, and whether its
-- account came through an invitation code of the sample).
CREATE TABLE agg_counted (
  response_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  form        VARCHAR(16) NOT NULL,
  region_code VARCHAR(16) NOT NULL,
  in_sample   TINYINT(1)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Per form, region, in_sample, field and option: code '' is the number of
-- submitted responses; for a choice field, opt '' the respondents who
-- answered it and opt N those who chose option N (rank fields: first = put
-- it first, rsum = sum of its positions); for a number field, opt '' the
-- respondents who answered and sum the sum of their values (scaled by
-- FNUM_SCALE, cgi-bin/forms/form.h).
CREATE TABLE agg_fields (
  form        VARCHAR(16) NOT NULL,
  region_code VARCHAR(16) NOT NULL,
  in_sample   TINYINT(1)  NOT NULL,
  code        VARCHAR(64) NOT NULL,
  opt         VARCHAR(32) NOT NULL,
  n           BIGINT      NOT NULL DEFAULT 0,
  first       BIGINT      NOT NULL DEFAULT 0,
  rsum        BIGINT      NOT NULL DEFAULT 0,
  sum         DECIMAL(38,0) NOT NULL DEFAULT 0,
  vmin        DECIMAL(30,0) NULL,                -- number fields, opt '': smallest and
  vmax        DECIMAL(30,0) NULL,                -- largest value given (from agg_values)
  PRIMARY KEY (form, region_code, in_sample, code, opt)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- How many respondents gave each value of a number field (scaled), so that
-- the minimum and maximum survive a response taken out: after each change
-- agg_fields.vmin/vmax are set from here (one index entry each; rows that
-- reach 0 are deleted).
CREATE TABLE agg_values (
  form        VARCHAR(16) NOT NULL,
  region_code VARCHAR(16) NOT NULL,
  in_sample   TINYINT(1)  NOT NULL,
  code        VARCHAR(64) NOT NULL,
  value       DECIMAL(30,0) NOT NULL,
  n           BIGINT      NOT NULL DEFAULT 0,
  PRIMARY KEY (form, region_code, in_sample, code, value)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The indicators' accumulators (struct ind_acc, cgi-bin/eval/indicators.h)
-- per region and in_sample: term 'a' or 'b' (ratio/growth).
CREATE TABLE agg_ind (
  region_code VARCHAR(16) NOT NULL,
  in_sample   TINYINT(1)  NOT NULL,
  ind         VARCHAR(64) NOT NULL,
  term        CHAR(1)     NOT NULL,
  n           BIGINT      NOT NULL DEFAULT 0,
  k           BIGINT      NOT NULL DEFAULT 0,
  sum         DECIMAL(38,0) NOT NULL DEFAULT 0,
  PRIMARY KEY (region_code, in_sample, ind, term)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DELIMITER //

-- An enabled account's share of agg_progress (sign +1 or -1).
CREATE PROCEDURE agg_progress_account(IN p_region VARCHAR(16), IN p_form VARCHAR(16),
                                      IN p_user BIGINT UNSIGNED, IN p_sign INT)
BEGIN
  DECLARE st VARCHAR(16);
  IF p_region IS NOT NULL AND p_form <> '' THEN
    SET st = (SELECT status FROM responses WHERE form = p_form AND user_id = p_user);
    INSERT INTO agg_progress (region_code, form, accounts, drafts, submitted)
      VALUES (p_region, p_form, p_sign, p_sign * (st <=> 'draft'), p_sign * (st <=> 'submitted'))
      ON DUPLICATE KEY UPDATE accounts = accounts + VALUES(accounts),
        drafts = drafts + VALUES(drafts), submitted = submitted + VALUES(submitted);
  END IF;
END //

-- A response's share of agg_progress and agg_quota.
CREATE PROCEDURE agg_progress_response(IN p_form VARCHAR(16), IN p_user BIGINT UNSIGNED,
                                       IN p_status VARCHAR(16), IN p_sign INT)
BEGIN
  DECLARE reg VARCHAR(16);
  DECLARE st VARCHAR(16);
  SET reg = (SELECT region_code FROM users WHERE id = p_user AND form = p_form AND disabled = 0);
  IF reg IS NOT NULL THEN
    INSERT INTO agg_progress (region_code, form, drafts, submitted)
      VALUES (reg, p_form, p_sign * (p_status = 'draft'), p_sign * (p_status = 'submitted'))
      ON DUPLICATE KEY UPDATE drafts = drafts + VALUES(drafts), submitted = submitted + VALUES(submitted);
  END IF;
  IF p_status = 'submitted' THEN
    SET st = (SELECT su.stratum FROM sample_units su
      WHERE su.user_id = p_user AND su.form = p_form AND su.status = 'active'
        AND (su.role = 'selected' OR su.replaces_id IS NOT NULL) LIMIT 1);
    SET reg = (SELECT su.region_code FROM sample_units su WHERE su.user_id = p_user LIMIT 1);
    IF st IS NOT NULL THEN
      INSERT INTO agg_quota (region_code, stratum, submitted) VALUES (reg, st, p_sign)
        ON DUPLICATE KEY UPDATE submitted = submitted + VALUES(submitted);
    END IF;
  END IF;
END //

-- A sample unit's share of agg_quota.
CREATE PROCEDURE agg_quota_unit(IN p_region VARCHAR(16), IN p_stratum VARCHAR(8), IN p_form VARCHAR(16),
                                IN p_status VARCHAR(16), IN p_role VARCHAR(16), IN p_replaces BIGINT UNSIGNED,
                                IN p_printed DATETIME, IN p_opened DATETIME, IN p_user BIGINT UNSIGNED,
                                IN p_sign INT)
BEGIN
  IF p_status = 'active' AND (p_role = 'selected' OR p_replaces IS NOT NULL) THEN
    INSERT INTO agg_quota (region_code, stratum, sampled, printed, opened, registered, submitted)
      VALUES (p_region, p_stratum, p_sign, p_sign * (p_printed IS NOT NULL), p_sign * (p_opened IS NOT NULL),
              p_sign * (p_user IS NOT NULL),
              p_sign * EXISTS (SELECT 1 FROM responses p WHERE p.user_id = p_user AND p.form = p_form
                               AND p.status = 'submitted'))
      ON DUPLICATE KEY UPDATE sampled = sampled + VALUES(sampled), printed = printed + VALUES(printed),
        opened = opened + VALUES(opened), registered = registered + VALUES(registered),
        submitted = submitted + VALUES(submitted);
  END IF;
END //

CREATE TRIGGER agg_users_ins AFTER INSERT ON users FOR EACH ROW
BEGIN
  IF NEW.disabled = 0 THEN CALL agg_progress_account(NEW.region_code, NEW.form, NEW.id, 1); END IF;
END //
CREATE TRIGGER agg_users_upd AFTER UPDATE ON users FOR EACH ROW
BEGIN
  IF NOT (OLD.region_code <=> NEW.region_code AND OLD.form = NEW.form AND OLD.disabled = NEW.disabled
          AND OLD.id = NEW.id) THEN
    IF OLD.disabled = 0 THEN CALL agg_progress_account(OLD.region_code, OLD.form, OLD.id, -1); END IF;
    IF NEW.disabled = 0 THEN CALL agg_progress_account(NEW.region_code, NEW.form, NEW.id, 1); END IF;
  END IF;
END //
CREATE TRIGGER agg_users_del AFTER DELETE ON users FOR EACH ROW
BEGIN
  IF OLD.disabled = 0 THEN CALL agg_progress_account(OLD.region_code, OLD.form, OLD.id, -1); END IF;
END //

CREATE TRIGGER agg_responses_ins AFTER INSERT ON responses FOR EACH ROW
BEGIN
  CALL agg_progress_response(NEW.form, NEW.user_id, NEW.status, 1);
END //
CREATE TRIGGER agg_responses_upd AFTER UPDATE ON responses FOR EACH ROW
BEGIN
  IF NOT (OLD.status = NEW.status AND OLD.form = NEW.form AND OLD.user_id = NEW.user_id) THEN
    CALL agg_progress_response(OLD.form, OLD.user_id, OLD.status, -1);
    CALL agg_progress_response(NEW.form, NEW.user_id, NEW.status, 1);
  END IF;
END //
CREATE TRIGGER agg_responses_del AFTER DELETE ON responses FOR EACH ROW
BEGIN
  CALL agg_progress_response(OLD.form, OLD.user_id, OLD.status, -1);
END //

CREATE TRIGGER agg_units_ins AFTER INSERT ON sample_units FOR EACH ROW
BEGIN
  CALL agg_quota_unit(NEW.region_code, NEW.stratum, NEW.form, NEW.status, NEW.role, NEW.replaces_id,
                      NEW.slip_printed_at, NEW.code_opened_at, NEW.user_id, 1);
END //
CREATE TRIGGER agg_units_upd AFTER UPDATE ON sample_units FOR EACH ROW
BEGIN
  CALL agg_quota_unit(OLD.region_code, OLD.stratum, OLD.form, OLD.status, OLD.role, OLD.replaces_id,
                      OLD.slip_printed_at, OLD.code_opened_at, OLD.user_id, -1);
  CALL agg_quota_unit(NEW.region_code, NEW.stratum, NEW.form, NEW.status, NEW.role, NEW.replaces_id,
                      NEW.slip_printed_at, NEW.code_opened_at, NEW.user_id, 1);
END //
CREATE TRIGGER agg_units_del AFTER DELETE ON sample_units FOR EACH ROW
BEGIN
  CALL agg_quota_unit(OLD.region_code, OLD.stratum, OLD.form, OLD.status, OLD.role, OLD.replaces_id,
                      OLD.slip_printed_at, OLD.code_opened_at, OLD.user_id, -1);
END //

DELIMITER ;
