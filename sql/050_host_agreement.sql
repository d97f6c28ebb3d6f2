-- smesurvey schema, migration 050: what every application host must agree
-- on (issue 22, item 1).
--
-- With two or more hosts behind a load balancer, a host configured with
-- another code_secret would print invitation codes the others reject, and a
-- host whose upload_dir is a local folder instead of the shared one would
-- store files the others cannot serve. `smesurvey-admin check` records the
-- first host's values here (a SHA-256 fingerprint of the secret, never the
-- secret; the name of a probe file it wrote into upload_dir) and fails on a
-- host that disagrees, which then refuses to start (scripts/cluster,
-- INSTALL "More than one host").
CREATE TABLE host_agreement (
  name    VARCHAR(32)  NOT NULL PRIMARY KEY,
  value   VARCHAR(128) NOT NULL,
  set_by  VARCHAR(255) NOT NULL DEFAULT '',
  set_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=ascii;
