-- smesurvey schema, migration 010: which definitions the answer aggregates
-- were computed with (issue 13).
--
-- agg_fields, agg_values and agg_ind (migration 005) are tallies of the
-- effective answers, so they depend on the codebook, the form catalog and
-- the indicator formulas built into the programs. The rebuild
-- (smesurvey-admin rebuild-aggregates) records a fingerprint of those
-- definitions here; when the programs are upgraded with a new codebook
-- revision or new indicators, the fingerprint no longer matches: `check`
-- says so, the admin pages warn, and `smesurvey-setup migrate` (and the
-- private stack) run `rebuild-aggregates --if-stale`. An empty fingerprint
-- (an installation upgraded from before 005) is stale too, so existing
-- answers are counted once after the upgrade.
CREATE TABLE agg_meta (
  id          TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  definitions CHAR(64) NOT NULL DEFAULT '',
  rebuilt_at  DATETIME NULL
) ENGINE=InnoDB DEFAULT CHARSET=ascii;

INSERT INTO agg_meta (id) VALUES (1);
