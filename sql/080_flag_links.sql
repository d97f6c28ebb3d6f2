-- smesurvey schema, migration 080: who found a flag on another response
-- (issue 20 item 2, cgi-bin/eval/flags.c).
--
-- A submit that finds other responses involved (the earlier near-duplicate,
-- the earlier submissions of a burst, the other accounts behind a browser or
-- a phone number) used to append its id to each other's flags.others. Fifty
-- submissions of one burst then all rewrote the same fifty rows: under
-- Galera every pair certified against each other and some gave up after
-- DB_TX_ATTEMPTS (tests/e2e/27-concurrent-saves.t through the cluster). Now
-- the other's flag row is created once (INSERT IGNORE: an existing row is
-- not written, so it is in no write set) and each finding is a row of its
-- own here, a key no other submit writes. The review page lists a flag's
-- others as flags.others (what the response found itself) and these rows
-- (who found it).

CREATE TABLE flag_links (
  response_id BIGINT UNSIGNED NOT NULL,    -- the response flagged
  rule        VARCHAR(16)     NOT NULL,
  finder_id   BIGINT UNSIGNED NOT NULL,    -- the submitted response that found it
  PRIMARY KEY (response_id, rule, finder_id),
  KEY k_finder (finder_id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;
