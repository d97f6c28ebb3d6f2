-- smesurvey schema, migration 004: invitation codes that can be printed again
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
