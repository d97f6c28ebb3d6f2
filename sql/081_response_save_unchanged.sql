-- smesurvey schema, migration 081: a save writes no answers it did not
-- change (issue 21 item 2: the save at >= 0.5 x a durable INSERT; issue 20:
-- saving within 10 % of before the paradata).
--
-- app_response_write and app_response_save (migration 060) as before, with
-- one more argument, p_count: how many answers are posted. The write
-- compares the stored answers with the posted ones under the row's lock
-- first and replaces them only when they differ. Every save before replaced all of them - n DELETEs and
-- n INSERTs (27 for the SME questionnaire, up to 154), each with its undo
-- record, redo and later purge - and most saves change few or none: a
-- re-save, an autosave after a keep-alive, the submit after its
-- confirmation step (which saved the same answers as a draft). Measured in
-- BENCHMARKS.md ("The save's cost") and doc/round-trips.md.

DROP PROCEDURE IF EXISTS app_response_save;
DROP PROCEDURE IF EXISTS app_response_write;

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
  IN p_answers LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_count INT UNSIGNED)
SQL SECURITY INVOKER
BEGIN
  DECLARE stored, same INT UNSIGNED DEFAULT 0;
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
  -- The stored answers, counted, and those equal to a posted one (same
  -- code, same bytes: the collation would call 'a' and 'A ' equal), read
  -- with the locks the DELETE below takes anyway. When both counts are
  -- p_count, the number posted (distinct codes), the stored answers are
  -- the posted ones and none is written: no 2 x n row writes, undo
  -- records and purge for a save that changed no answer (a re-save, an
  -- autosave, the submit after its confirmation step). Two index reads
  -- per answer, no temporary table (GROUP_CONCAT of the TEXT values made
  -- one on disk per save).
  IF p_had_answers THEN
    SELECT COUNT(*) INTO stored FROM answers WHERE response_id = p_id FOR UPDATE;
    IF stored = p_count THEN
      SELECT COUNT(*) INTO same
        FROM JSON_TABLE(p_answers, '$[*]' COLUMNS (
               code VARCHAR(64) PATH '$[0]' ERROR ON EMPTY ERROR ON ERROR,
               value LONGTEXT PATH '$[1]' ERROR ON EMPTY ERROR ON ERROR)) j
        JOIN answers a ON a.response_id = p_id AND a.code = j.code
                      AND CAST(a.value AS BINARY) = CAST(j.value AS BINARY)
        FOR UPDATE;
    END IF;
  END IF;
  IF NOT (p_had_answers AND stored = p_count AND same = p_count) THEN
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
  END IF;
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
  IN p_answers LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
  IN p_count INT UNSIGNED)
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
                            p_ua, p_paper, v > 0, p_answers, p_count);
    COMMIT;
    SELECT 'saved', at, v + 1;
  END IF;
END //

DELIMITER ;
