-- smesurvey schema, migration 032: the evaluation agency's decisions on
-- flagged responses (issue 20, items 3 and 4; cgi-bin/eval/integrity.c).
--
-- One row per decided response: accepted (the flags are explained), excluded
-- (left out of the indicators), asked (the region is asked, with a note).
-- No row: not decided yet. Every change is an audit row (flag-review) and
-- can be changed again or taken back (the row deleted).
--
-- An excluded response is counted in the answer aggregates under
-- in_sample + 2 (bit 1 = excluded; sql/005_aggregates.sql), so that every
-- indicator can be shown with or without the excluded responses from the
-- same maintained tallies: a decision moves the response between the two
-- keys in its own transaction (aggr_sync), like a reset of the sample.
CREATE TABLE flag_reviews (
  response_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  decision    ENUM('accepted','excluded','asked') NOT NULL,
  note        VARCHAR(500)    NOT NULL DEFAULT '',
  by_user     BIGINT UNSIGNED NULL,
  at          DATETIME        NOT NULL,
  KEY k_decision (decision)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
