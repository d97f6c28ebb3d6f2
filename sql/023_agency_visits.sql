-- smesurvey schema, migration 023: the agency's site visits (issue 19,
-- item 4; notice 五、实地走访调查, November-December 2013).
--
-- A visit to one region: dates, the agency's team (agency accounts), the
-- objects (the region's authority and construction units, each on a day),
-- the contact on the region's side, what to prepare, and a state:
-- planned -> notified -> done, or cancelled (with a reason) from planned or
-- notified. The region sees a visit once it is notified and confirms it
-- (confirmed_at); findings are the agency's and never shown to the region
-- or the units. version guards the edit form (a stale form is refused).
CREATE TABLE visits (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  region_code    VARCHAR(16)  NOT NULL,
  starts_on      DATE         NOT NULL,
  ends_on        DATE         NOT NULL,
  state          ENUM('planned','notified','done','cancelled') NOT NULL DEFAULT 'planned',
  cancel_reason  VARCHAR(500) NOT NULL DEFAULT '',
  contact        VARCHAR(64)  NOT NULL DEFAULT '',
  phone          VARCHAR(32)  NOT NULL DEFAULT '',
  prepare        TEXT         NOT NULL,            -- what the region is asked to prepare
  findings       TEXT         NOT NULL,            -- the agency's, after the visit
  confirmed_at   DATETIME     NULL,
  confirmed_by   BIGINT UNSIGNED NULL,
  created_by     BIGINT UNSIGNED NOT NULL,
  created_at     DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  version        INT UNSIGNED NOT NULL DEFAULT 1,
  KEY k_region (region_code, starts_on),
  CONSTRAINT fk_visit_region FOREIGN KEY (region_code) REFERENCES regions(code),
  CONSTRAINT fk_visit_by FOREIGN KEY (created_by) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The agency's team of a visit.
CREATE TABLE visit_team (
  visit_id  BIGINT UNSIGNED NOT NULL,
  user_id   BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (visit_id, user_id),
  CONSTRAINT fk_vteam_visit FOREIGN KEY (visit_id) REFERENCES visits(id) ON DELETE CASCADE,
  CONSTRAINT fk_vteam_user FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB;

-- Who is visited, on which day: the region's authority (unit_id NULL) or
-- one of its construction units (a hub or window account).
CREATE TABLE visit_objects (
  id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  visit_id  BIGINT UNSIGNED NOT NULL,
  unit_id   BIGINT UNSIGNED NULL,
  day       DATE         NOT NULL,
  UNIQUE KEY uk_visit_unit (visit_id, unit_id),
  CONSTRAINT fk_vobj_visit FOREIGN KEY (visit_id) REFERENCES visits(id) ON DELETE CASCADE,
  CONSTRAINT fk_vobj_unit FOREIGN KEY (unit_id) REFERENCES users(id)
) ENGINE=InnoDB;
