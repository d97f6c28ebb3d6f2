-- smesurvey schema, migration 030: how each response came about (paradata,
-- issue 20, item 1). Never shown to respondents; read by the evaluation
-- agency's integrity rules (cgi-bin/eval/flags.c) and removed altogether by
-- `smesurvey-admin purge --paradata` once the evaluation is closed.
--
-- Nothing here is an address or a cookie: a network is the keyed hash
-- (HMAC-SHA256 with paradata_secret, 16 hex digits) of the client's IPv4
-- /24 or IPv6 /48, a browser the keyed hash of its random device cookie,
-- a session the first 8 hex digits of its token's SHA-256.

-- One row per questionnaire and account (one response), written by the
-- save's own UPDATE (a join, no extra statement), by the first GET of the
-- form (opened_at) and by the keep-alive (active time).
-- The lists hold distinct ids separated by commas, at most ~23 each.
CREATE TABLE paradata (
  form           VARCHAR(16)     NOT NULL,
  user_id        BIGINT UNSIGNED NOT NULL,
  region_code    VARCHAR(16)     NULL,
  opened_at      DATETIME        NULL,     -- first GET of the form
  first_saved_at DATETIME        NULL,
  submitted_at   DATETIME        NULL,
  last_at        DATETIME        NULL,     -- last save, autosave or keep-alive
  active_s       INT UNSIGNED    NOT NULL DEFAULT 0,  -- sum of gaps <= 300 s between them
  saves          INT UNSIGNED    NOT NULL DEFAULT 0,  -- saves and autosaves
  sessions       VARCHAR(400)    NOT NULL DEFAULT '',
  devices        VARCHAR(400)    NOT NULL DEFAULT '',
  nets           VARCHAR(400)    NOT NULL DEFAULT '',
  uas            VARCHAR(200)    NOT NULL DEFAULT '',  -- browser families
  submit_net     CHAR(16)        NULL,     -- the network of the submit
  submit_device  CHAR(16)        NULL,
  by_own         TINYINT(1)      NOT NULL DEFAULT 0,   -- saved through the account itself
  by_paper       TINYINT(1)      NOT NULL DEFAULT 0,   -- saved by the region's paper entry
  PRIMARY KEY (form, user_id),
  KEY k_burst (region_code, submit_net, submitted_at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;

-- The redemption of an invitation code (or a registration without one).
CREATE TABLE reg_paradata (
  user_id      BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  region_code  VARCHAR(16)     NULL,
  form         VARCHAR(16)     NOT NULL DEFAULT '',
  at           DATETIME        NOT NULL,
  net          CHAR(16)        NOT NULL DEFAULT '',
  device       CHAR(16)        NOT NULL DEFAULT '',
  ua           VARCHAR(16)     NOT NULL DEFAULT '',
  with_code    TINYINT(1)      NOT NULL DEFAULT 0,
  KEY k_burst (region_code, net, at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;

-- Which accounts signed in (login, registration) from which browser: the
-- shared-browser rule looks a response's devices up here.
CREATE TABLE device_accounts (
  device       CHAR(16)        NOT NULL,
  user_id      BIGINT UNSIGNED NOT NULL,
  first_at     DATETIME        NOT NULL,
  PRIMARY KEY (device, user_id),
  KEY k_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;
