-- smesurvey schema, migration 012: contact facts of imported accounts
-- (issue 11, item 4).
--
-- A sampled unit's contact comes from the frame and its registration
-- (sample_units); construction units (hub, window) have only the account the
-- old reporting system exported. import-accounts takes optional contact,
-- phone and email columns, so a region's follow-up list and call sheet can
-- name whom to call there too.
ALTER TABLE users
  ADD COLUMN contact VARCHAR(64)  NOT NULL DEFAULT '' AFTER org_name,
  ADD COLUMN phone   VARCHAR(32)  NOT NULL DEFAULT '' AFTER contact,
  ADD COLUMN email   VARCHAR(255) NOT NULL DEFAULT '' AFTER phone;
