-- smesurvey schema, migration 003: getting back in (issue 9).
--
-- must_change_pw is set when somebody else set the account's password: a
-- one-time password from a region's or the ministry's reset, or an account
-- created by smesurvey-admin create-admin. The next login then leads to
-- /password, and every other page redirects there until it is changed.
-- Idempotent: running it twice changes nothing.

ALTER TABLE users ADD COLUMN IF NOT EXISTS must_change_pw TINYINT(1) NOT NULL DEFAULT 0 AFTER pw_hash;

-- Failures of one account from one client (blocking) and of one account
-- from all clients (slow-down) are counted over a short window.
CREATE INDEX IF NOT EXISTS k_user_ip_at ON login_failures (username, ip, at);
