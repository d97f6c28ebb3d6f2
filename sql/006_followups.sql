-- smesurvey schema, migration 006: follow-up calls of a region (issue 11, item 4).
--
-- A region calls the sampled units and construction units that have not
-- registered or submitted, and records each call: called / no answer / will
-- submit / refused, with a note. The history is append-only; the last row
-- of a unit is shown on the follow-up list. unit_id is a sample_units row
-- (a sampled service organisation or SME), user_id a construction unit's
-- account (hub, window); exactly one of them is set. No foreign keys: a
-- ministry reset of the sample deletes its units, the calls stay on record.

CREATE TABLE IF NOT EXISTS followups (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  region_code  VARCHAR(16)     NOT NULL,
  unit_id      BIGINT UNSIGNED NULL,
  user_id      BIGINT UNSIGNED NULL,
  outcome      ENUM('called','no_answer','will_submit','refused') NOT NULL,
  note         VARCHAR(500)    NOT NULL DEFAULT '',
  by_user      BIGINT UNSIGNED NULL,                 -- the region user who recorded it
  at           DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY k_unit (unit_id, id),
  KEY k_user (user_id, id),
  KEY k_region (region_code, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The follow-up list, the slips funnel and the progress page of a region
-- page by id within the region (seek paging, issue 13 item 3):
-- WHERE region_code = ? AND id > ? ORDER BY id LIMIT n.
CREATE INDEX IF NOT EXISTS k_region_id ON sample_units (region_code, id);
CREATE INDEX IF NOT EXISTS k_region_id ON users (region_code, id);
