-- 060_response_save.sql - writing a response in one round trip (issue 21,
-- item 2).
--
-- app_response_write: what every save and submit writes, inside the
--   caller's transaction (form_store.c response_write, STMT_RESPONSE_WRITE):
--   the response's row (its version + 1) and its paradata in one UPDATE,
--   then its answers replaced from a JSON array of [code, value] pairs.
--   These statements were three round trips of their own.
-- app_response_save: the whole save of a draft as one transaction of its
--   own (STMT_RESPONSE_SAVE): lock the row by its id (the caller read it,
--   unlocked, in the session check's round trip), compare its version
--   with the one the page was loaded with (NULL: none given) and, when it
--   matches and the response is not submitted, write as above and commit
--   - one fsync, at that COMMIT. Returns one row: 'saved' or 'stale' (the
--   version differs or the response is submitted: nothing was written and
--   the caller saves the long way, which tells the user), the save's
--   timestamp and the version now stored.
--   An error (a deadlock, a Galera certification failure at COMMIT)
--   rolls back and reaches the caller, which saves the long way
--   (db_transaction retries). The save is acknowledged only after COMMIT
--   has returned.
--
-- SQL SECURITY INVOKER: they run with the application user's own table
-- rights; smesurvey-setup grants EXECUTE on every app_* procedure. The
-- triggers of 005 (the maintained aggregates) fire as ever. Parameters
-- carry the tables' collation, so comparing them with columns mixes none.

DELIMITER //

CREATE PROCEDURE app_response_write(
  IN p_id BIGINT UNSIGNED,
  IN p_region VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_status VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_valid TINYINT,
  IN p_proxy BIGINT UNSIGNED,
  IN p_saved_at VARCHAR(19) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_net VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_device VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_session VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_ua VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_paper TINYINT,
  IN p_had_answers TINYINT,
  IN p_answers LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci)
SQL SECURITY INVOKER
BEGIN
  -- The paradata (issue 20) ride on the row's UPDATE; a response without
  -- a paradata row is updated alone. The active time is computed before
  -- last_at is set (assignments run left to right). A list of distinct
  -- ids (sessions, devices, networks, browsers) takes the request's
  -- unless it is empty, listed, or the list is full.
  UPDATE responses r LEFT JOIN paradata p ON p.form = r.form AND p.user_id = r.user_id
     SET r.region_code = p_region, r.status = p_status, r.valid = p_valid, r.proxy_user_id = p_proxy,
         r.version = r.version + 1, r.updated_at = p_saved_at,
         r.submitted_at = IF(p_status = 'submitted', p_saved_at, NULL),
         p.region_code = p_region,
         p.active_s = p.active_s + IF(p.last_at > NOW() - INTERVAL 300 SECOND,
                                      TIMESTAMPDIFF(SECOND, p.last_at, NOW()), 0),
         p.last_at = NOW(),
         p.first_saved_at = COALESCE(p.first_saved_at, NOW()), p.saves = p.saves + 1,
         p.submitted_at = IF(p_status = 'submitted', NOW(), NULL),
         p.submit_net = IF(p_status = 'submitted', p_net, NULL),
         p.submit_device = IF(p_status = 'submitted', p_device, NULL),
         p.sessions = IF(p_session = '' OR FIND_IN_SET(p_session, p.sessions) OR LENGTH(p.sessions) > 380,
                         p.sessions, CONCAT_WS(',', NULLIF(p.sessions, ''), p_session)),
         p.devices = IF(p_device = '' OR FIND_IN_SET(p_device, p.devices) OR LENGTH(p.devices) > 380,
                        p.devices, CONCAT_WS(',', NULLIF(p.devices, ''), p_device)),
         p.nets = IF(p_net = '' OR FIND_IN_SET(p_net, p.nets) OR LENGTH(p.nets) > 380,
                     p.nets, CONCAT_WS(',', NULLIF(p.nets, ''), p_net)),
         p.uas = IF(p_ua = '' OR FIND_IN_SET(p_ua, p.uas) OR LENGTH(p.uas) > 380,
                    p.uas, CONCAT_WS(',', NULLIF(p.uas, ''), p_ua)),
         p.by_own = p.by_own OR p_paper = 0, p.by_paper = p.by_paper OR p_paper = 1
   WHERE r.id = p_id;
  -- A response never written (version 0) has no answers; skipping the
  -- DELETE spares its gap lock, which made concurrent first saves
  -- deadlock on the INSERT (issue 9).
  IF p_had_answers THEN
    DELETE FROM answers WHERE response_id = p_id;
  END IF;
  INSERT INTO answers (response_id, code, value)
    SELECT p_id, j.code, j.value
      FROM JSON_TABLE(p_answers, '$[*]' COLUMNS (
             code VARCHAR(64) PATH '$[0]' ERROR ON EMPTY ERROR ON ERROR,
             value LONGTEXT PATH '$[1]' ERROR ON EMPTY ERROR ON ERROR)) j;
END //

CREATE PROCEDURE app_response_save(
  IN p_id BIGINT UNSIGNED,
  IN p_expect INT UNSIGNED,
  IN p_region VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_valid TINYINT,
  IN p_proxy BIGINT UNSIGNED,
  IN p_net VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_device VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_session VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_ua VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_paper TINYINT,
  IN p_answers LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci)
SQL SECURITY INVOKER
BEGIN
  DECLARE v INT UNSIGNED;
  DECLARE st VARCHAR(16);
  DECLARE at VARCHAR(19);
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  START TRANSACTION;
  -- The lock by primary key: no gap lock. The timestamp is this read's
  -- clock, so what the page shows is what is stored.
  SELECT version, status, DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s') INTO v, st, at
    FROM responses WHERE id = p_id FOR UPDATE;
  IF v IS NULL OR v <> COALESCE(p_expect, v) OR st = 'submitted' THEN
    ROLLBACK;
    SELECT 'stale', at, v;
  ELSE
    CALL app_response_write(p_id, p_region, 'draft', p_valid, p_proxy, at, p_net, p_device, p_session,
                            p_ua, p_paper, v > 0, p_answers);
    COMMIT;
    SELECT 'saved', at, v + 1;
  END IF;
END //

DELIMITER ;
