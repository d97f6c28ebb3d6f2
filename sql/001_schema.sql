-- smesurvey schema, migration 001: regions, accounts, sessions, responses.
-- Applied once by scripts/stack (tracked in schema_migrations). InnoDB, utf8mb4.

CREATE TABLE regions (
  code        VARCHAR(16)  NOT NULL PRIMARY KEY,   -- e.g. GB/T 2260 province code '110000'
  name        VARCHAR(64)  NOT NULL,
  help_phone  VARCHAR(64)  NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per login. role: admin (ministry / evaluation agency), viewer (read-only admin),
-- region (provincial authority), hub / window (construction units), resource / sme (respondents).
CREATE TABLE users (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username      VARCHAR(64)  NOT NULL,
  pw_hash       VARCHAR(255) NOT NULL,               -- $argon2id$... or legacy crypt(3) string
  role          ENUM('admin','viewer','region','hub','window','resource','sme') NOT NULL,
  region_code   VARCHAR(16)  NULL,
  org_name      VARCHAR(255) NOT NULL DEFAULT '',
  form          VARCHAR(16)  NOT NULL DEFAULT '',     -- questionnaire this account fills
  disabled      TINYINT(1)   NOT NULL DEFAULT 0,
  created_at    DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  pw_changed_at DATETIME     NULL,
  last_login_at DATETIME     NULL,
  UNIQUE KEY uk_username (username),
  KEY k_region_role (region_code, role),
  CONSTRAINT fk_users_region FOREIGN KEY (region_code) REFERENCES regions(code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Server-side sessions: only the SHA-256 of the 256-bit cookie token is stored.
CREATE TABLE sessions (
  token_hash  BINARY(32)      NOT NULL PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  created_at  DATETIME        NOT NULL,
  last_seen   DATETIME        NOT NULL,
  ip          VARCHAR(45)     NOT NULL DEFAULT '',
  KEY k_user (user_id),
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- Failed logins, for throttling per account and per client address.
CREATE TABLE login_failures (
  id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username  VARCHAR(64)  NOT NULL,
  ip        VARCHAR(45)  NOT NULL,
  at        DATETIME     NOT NULL,
  KEY k_user_at (username, at),
  KEY k_ip_at (ip, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE audit_log (
  id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at        DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  user_id   BIGINT UNSIGNED NULL,
  ip        VARCHAR(45)  NOT NULL DEFAULT '',
  action    VARCHAR(64)  NOT NULL,
  detail    VARCHAR(1024) NOT NULL DEFAULT '',
  KEY k_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One response per (form, respondent account). Answers are stored by codebook field code.
CREATE TABLE responses (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  form          VARCHAR(16)  NOT NULL,
  user_id       BIGINT UNSIGNED NOT NULL,
  region_code   VARCHAR(16)  NULL,
  status        ENUM('draft','submitted') NOT NULL DEFAULT 'draft',
  valid         TINYINT(1)   NOT NULL DEFAULT 0,   -- draft passed full validation when saved
  proxy_user_id BIGINT UNSIGNED NULL,              -- set when a region entered a paper form
  version       INT UNSIGNED NOT NULL DEFAULT 0,   -- bumped on every save
  created_at    DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at    DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  submitted_at  DATETIME     NULL,
  UNIQUE KEY uk_form_user (form, user_id),
  KEY k_region_form (region_code, form, status),
  CONSTRAINT fk_responses_user FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE answers (
  response_id BIGINT UNSIGNED NOT NULL,
  code        VARCHAR(64)  NOT NULL,
  value       TEXT         NOT NULL,
  PRIMARY KEY (response_id, code),
  CONSTRAINT fk_answers_response FOREIGN KEY (response_id) REFERENCES responses(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Per-region deadline extensions granted by administrators (defaults come from the config file).
CREATE TABLE deadline_overrides (
  form        VARCHAR(16)  NOT NULL,
  region_code VARCHAR(16)  NOT NULL,
  due         DATETIME     NOT NULL,
  PRIMARY KEY (form, region_code)
) ENGINE=InnoDB;
