-- smesurvey schema, migration 095: agg_quota.reached, the invited units
-- whose slip was printed or whose account exists (issue 21: the region's
-- home in one cheap statement).
--
-- The region's checklist ("打印邀请单并送达抽中单位", n of m) counted the
-- region's invited units, and those printed or registered, with two COUNT(*)
-- over sample_units on every /region request: a full read of the region's
-- units (25,000 rows at a million SMEs; on the demo data, where every unit
-- is in one region, a scan of the table). The first count is
-- SUM(agg_quota.sampled); the second needs a counter of its own, since a
-- unit may be registered without a printed slip and printed without an
-- account: kept by the same procedure as the other columns.

ALTER TABLE agg_quota ADD COLUMN IF NOT EXISTS reached BIGINT NOT NULL DEFAULT 0 AFTER printed;

UPDATE agg_quota q SET reached = (SELECT COUNT(*) FROM sample_units su
  WHERE su.region_code = q.region_code AND su.stratum = q.stratum
    AND su.status = 'active' AND (su.role = 'selected' OR su.replaces_id IS NOT NULL)
    AND (su.slip_printed_at IS NOT NULL OR su.user_id IS NOT NULL));

DROP PROCEDURE IF EXISTS agg_quota_unit;

DELIMITER //

-- A sample unit's share of agg_quota (migration 005, with reached).
CREATE PROCEDURE agg_quota_unit(IN p_region VARCHAR(16), IN p_stratum VARCHAR(8), IN p_form VARCHAR(16),
                                IN p_status VARCHAR(16), IN p_role VARCHAR(16), IN p_replaces BIGINT UNSIGNED,
                                IN p_printed DATETIME, IN p_opened DATETIME, IN p_user BIGINT UNSIGNED,
                                IN p_sign INT)
BEGIN
  IF p_status = 'active' AND (p_role = 'selected' OR p_replaces IS NOT NULL) THEN
    INSERT INTO agg_quota (region_code, stratum, sampled, printed, reached, opened, registered, submitted)
      VALUES (p_region, p_stratum, p_sign, p_sign * (p_printed IS NOT NULL),
              p_sign * (p_printed IS NOT NULL OR p_user IS NOT NULL), p_sign * (p_opened IS NOT NULL),
              p_sign * (p_user IS NOT NULL),
              p_sign * EXISTS (SELECT 1 FROM responses p WHERE p.user_id = p_user AND p.form = p_form
                               AND p.status = 'submitted'))
      ON DUPLICATE KEY UPDATE sampled = sampled + VALUES(sampled), printed = printed + VALUES(printed),
        reached = reached + VALUES(reached), opened = opened + VALUES(opened),
        registered = registered + VALUES(registered), submitted = submitted + VALUES(submitted);
  END IF;
END //

DELIMITER ;
