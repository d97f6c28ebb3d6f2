-- smesurvey schema, migration 031: flags of the integrity rules (issue 20,
-- item 2; cgi-bin/eval/flags.c, rules in cgi-bin/eval/flags/rules.tsv).
--
-- Maintained like the aggregates: a submit computes its response's flags
-- in its own transaction (and adds the symmetric flag to the other
-- responses involved: the other near-duplicate, the earlier submissions of
-- a burst, the other accounts behind a browser or a phone number);
-- `smesurvey-admin rebuild-flags` recomputes all of them in submit order
-- with the same function. No page scans the responses: the checks use the
-- indexes below (signature bands, contacts) and those of the paradata
-- (network, region, time; browser).

CREATE TABLE flags (
  response_id BIGINT UNSIGNED NOT NULL,
  rule        VARCHAR(16)     NOT NULL,
  region_code VARCHAR(16)     NOT NULL DEFAULT '',
  form        VARCHAR(16)     NOT NULL,
  figures     VARCHAR(500)    NOT NULL DEFAULT '',   -- why, in Chinese, with the numbers
  others      VARCHAR(255)    NOT NULL DEFAULT '',   -- ids of the other responses involved
  at          DATETIME        NOT NULL,
  PRIMARY KEY (response_id, rule),
  KEY k_region (region_code, form, rule)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- MinHash signature bands of a submitted response's answers ("code=value"
-- pairs): responses sharing a band are the near-duplicate candidates,
-- found by index, then compared answer by answer.
CREATE TABLE flag_sigs (
  response_id BIGINT UNSIGNED NOT NULL,
  region_code VARCHAR(16)     NOT NULL DEFAULT '',
  form        VARCHAR(16)     NOT NULL,
  band        TINYINT UNSIGNED NOT NULL,
  h           BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (response_id, band),
  KEY k_band (region_code, form, band, h)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;

-- The phone numbers (digits only) and e-mail addresses (lower case) a
-- submitted response gives.
CREATE TABLE flag_contacts (
  kind        CHAR(1)         NOT NULL,     -- 'p' phone, 'e' e-mail
  value       VARCHAR(255)    NOT NULL,
  response_id BIGINT UNSIGNED NOT NULL,
  user_id     BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (kind, value, response_id),
  KEY k_response (response_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
