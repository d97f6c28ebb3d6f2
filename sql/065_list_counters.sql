-- smesurvey schema, migration 065: counters and keys for the large lists
-- (issue 21, item 4: every page under 100 ms at a million SMEs).
--
-- /admin/accounts counted its accounts and /admin/samples each sample's
-- units with COUNT(*) over users and sample_units (1.9 s at a million SMEs).
-- Two more maintained counters, kept by triggers like those of migration 005
-- (every statement that adds, moves or deletes a row updates them in its own
-- transaction), recomputed by `smesurvey-admin rebuild-aggregates`:
--
-- agg_accounts: accounts per region ('' for none) and role, disabled ones
--   included (the account list shows them).
-- agg_sample_units: per sample, its units and those with an account.
--
-- And the keys the lists page by (never OFFSET) and count with: the account list in id
-- order, filtered by role alone (users (role, id)); a region's filters
-- already have k_region_role (region_code, role, id) and k_region_id.

CREATE TABLE IF NOT EXISTS agg_accounts (
  region_code VARCHAR(16) NOT NULL,
  role        VARCHAR(16) NOT NULL,
  n           BIGINT      NOT NULL DEFAULT 0,
  PRIMARY KEY (region_code, role)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS agg_sample_units (
  sample_id   BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  units       BIGINT NOT NULL DEFAULT 0,
  registered  BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE INDEX IF NOT EXISTS k_role_id ON users (role, id);

-- /region/sample (0.7-0.9 s for a region of 25,000 SMEs): the strata's
-- counts read every unit's row for its status, and the replacement log every
-- unit of the sample for its replaces_id; these two indexes answer both from
-- the index alone (the replaced units, a handful, by range).
CREATE INDEX IF NOT EXISTS k_sample_status ON sample_units (sample_id, stratum, role, status);
CREATE INDEX IF NOT EXISTS k_sample_replaces ON sample_units (sample_id, replaces_id);

DELETE FROM agg_accounts;
INSERT INTO agg_accounts (region_code, role, n)
  SELECT COALESCE(region_code, ''), role, COUNT(*) FROM users GROUP BY COALESCE(region_code, ''), role;
DELETE FROM agg_sample_units;
INSERT INTO agg_sample_units (sample_id, units, registered)
  SELECT sample_id, COUNT(*), SUM(user_id IS NOT NULL) FROM sample_units GROUP BY sample_id;

DELIMITER //

CREATE PROCEDURE agg_accounts_add(IN p_region VARCHAR(16), IN p_role VARCHAR(16), IN p_sign INT)
BEGIN
  INSERT INTO agg_accounts (region_code, role, n) VALUES (COALESCE(p_region, ''), p_role, p_sign)
    ON DUPLICATE KEY UPDATE n = n + VALUES(n);
END //

CREATE PROCEDURE agg_sample_units_add(IN p_sample BIGINT UNSIGNED, IN p_user BIGINT UNSIGNED, IN p_sign INT)
BEGIN
  INSERT INTO agg_sample_units (sample_id, units, registered)
    VALUES (p_sample, p_sign, p_sign * (p_user IS NOT NULL))
    ON DUPLICATE KEY UPDATE units = units + VALUES(units), registered = registered + VALUES(registered);
END //

CREATE TRIGGER agg_accounts_ins AFTER INSERT ON users FOR EACH ROW
BEGIN
  CALL agg_accounts_add(NEW.region_code, NEW.role, 1);
END //
CREATE TRIGGER agg_accounts_upd AFTER UPDATE ON users FOR EACH ROW
BEGIN
  IF NOT (OLD.region_code <=> NEW.region_code AND OLD.role = NEW.role) THEN
    CALL agg_accounts_add(OLD.region_code, OLD.role, -1);
    CALL agg_accounts_add(NEW.region_code, NEW.role, 1);
  END IF;
END //
CREATE TRIGGER agg_accounts_del AFTER DELETE ON users FOR EACH ROW
BEGIN
  CALL agg_accounts_add(OLD.region_code, OLD.role, -1);
END //

CREATE TRIGGER agg_sample_units_ins AFTER INSERT ON sample_units FOR EACH ROW
BEGIN
  CALL agg_sample_units_add(NEW.sample_id, NEW.user_id, 1);
END //
CREATE TRIGGER agg_sample_units_upd AFTER UPDATE ON sample_units FOR EACH ROW
BEGIN
  IF NOT (OLD.sample_id = NEW.sample_id AND OLD.user_id <=> NEW.user_id) THEN
    CALL agg_sample_units_add(OLD.sample_id, OLD.user_id, -1);
    CALL agg_sample_units_add(NEW.sample_id, NEW.user_id, 1);
  END IF;
END //
CREATE TRIGGER agg_sample_units_del AFTER DELETE ON sample_units FOR EACH ROW
BEGIN
  CALL agg_sample_units_add(OLD.sample_id, OLD.user_id, -1);
END //

DELIMITER ;
