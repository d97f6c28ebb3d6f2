-- smesurvey schema, migration 004: invitation codes that can be printed again,
-- optional frame columns
-- (issue 10).
--
-- A unit's code is derived from the installation's code_secret (config), the
-- unit id and code_issue (HMAC-SHA256, cgi-bin/sample/codes.h); only its
-- SHA-256 is stored, as before. code_issue NULL: no derived code yet (never
-- printed, or printed before this migration with a random code, which the
-- next print replaces). Revoking a code increments code_issue; the hash of
-- every revoked code is kept in revoked_codes, so that an old slip gets
-- "revoked, contact the region" rather than "invalid".

ALTER TABLE sample_units
  ADD COLUMN code_issue INT UNSIGNED NULL AFTER code_lookup;

CREATE TABLE revoked_codes (
  code_lookup  BINARY(32)      NOT NULL PRIMARY KEY,  -- SHA-256 of the revoked code
  unit_id      BIGINT UNSIGNED NULL,                  -- the unit (gone after a sample reset)
  region_code  VARCHAR(16)     NOT NULL,
  reason       VARCHAR(32)     NOT NULL,              -- 'revoke', 'replace', 'reset', 'legacy'
  revoked_at   DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY k_region (region_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Optional columns of a frame (issue 10), kept for mailing the slips: the
-- unified social credit code or organisation code, address and postcode.
-- They are not part of the frame's canonical list (draw.h): the draw does
-- not depend on them.
ALTER TABLE frame_units
  ADD COLUMN org_code VARCHAR(32)  NOT NULL DEFAULT '' AFTER email,
  ADD COLUMN address  VARCHAR(255) NOT NULL DEFAULT '' AFTER org_code,
  ADD COLUMN zip      VARCHAR(16)  NOT NULL DEFAULT '' AFTER address;
ALTER TABLE sample_units
  ADD COLUMN org_code VARCHAR(32)  NOT NULL DEFAULT '' AFTER email,
  ADD COLUMN address  VARCHAR(255) NOT NULL DEFAULT '' AFTER org_code,
  ADD COLUMN zip      VARCHAR(16)  NOT NULL DEFAULT '' AFTER address;

-- Paper questionnaires of sampled units that never registered (issue 10):
-- the region user who created the unit's account to enter its paper form.
ALTER TABLE sample_units
  ADD COLUMN paper_by BIGINT UNSIGNED NULL AFTER registered_at;
