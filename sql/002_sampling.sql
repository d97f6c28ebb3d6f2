-- smesurvey schema, migration 002: sample frames, samples, invitation codes.
--
-- A region uploads frames (lists of service-resource organisations and of
-- SMEs), draws a stratified sample from them (or uploads its own sampled
-- list), and every sampled unit gets a one-time invitation code printed on a
-- QR slip. kind: 'resource' (strata 'hub' and 'window') or 'sme' (stratum 'sme').

CREATE TABLE frames (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  region_code  VARCHAR(16)  NOT NULL,
  kind         ENUM('resource','sme') NOT NULL,
  status       ENUM('pending','confirmed') NOT NULL DEFAULT 'pending',
  filename     VARCHAR(255) NOT NULL DEFAULT '',
  charset      VARCHAR(16)  NOT NULL DEFAULT '',     -- 'UTF-8' or 'GB18030' as detected
  checksum     CHAR(64)     NOT NULL DEFAULT '',     -- SHA-256 of the canonical unit list
  nunits       INT UNSIGNED NOT NULL DEFAULT 0,
  uploaded_by  BIGINT UNSIGNED NULL,
  uploaded_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY k_region_kind (region_code, kind, status),
  CONSTRAINT fk_frames_region FOREIGN KEY (region_code) REFERENCES regions(code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE frame_units (
  id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  frame_id  BIGINT UNSIGNED NOT NULL,
  line_no   INT UNSIGNED NOT NULL,                    -- line in the uploaded file
  stratum   ENUM('hub','window','sme') NOT NULL,
  name      VARCHAR(255) NOT NULL,
  platform  VARCHAR(255) NOT NULL DEFAULT '',         -- organising window platform
  contact   VARCHAR(64)  NOT NULL DEFAULT '',
  phone     VARCHAR(64)  NOT NULL DEFAULT '',
  email     VARCHAR(255) NOT NULL DEFAULT '',
  KEY k_frame (frame_id, stratum),
  CONSTRAINT fk_frame_units_frame FOREIGN KEY (frame_id) REFERENCES frames(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One sample per region and kind: drawn (reproducible from seed + frame
-- checksum + algorithm version) or uploaded by the region.
CREATE TABLE samples (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  region_code     VARCHAR(16)  NOT NULL,
  kind            ENUM('resource','sme') NOT NULL,
  method          ENUM('drawn','uploaded') NOT NULL,
  frame_id        BIGINT UNSIGNED NULL,
  frame_checksum  CHAR(64)     NOT NULL DEFAULT '',
  seed            VARCHAR(64)  NOT NULL DEFAULT '',
  algo_version    VARCHAR(32)  NOT NULL DEFAULT '',
  created_by      BIGINT UNSIGNED NULL,
  created_at      DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uk_region_kind (region_code, kind),
  CONSTRAINT fk_samples_region FOREIGN KEY (region_code) REFERENCES regions(code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Sampled units and their ordered reserve lists, with the invitation funnel.
-- Drafts and submissions are read from responses through user_id.
CREATE TABLE sample_units (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sample_id       BIGINT UNSIGNED NOT NULL,
  region_code     VARCHAR(16)  NOT NULL,
  form            VARCHAR(16)  NOT NULL,                -- 'resource' or 'sme'
  stratum         ENUM('hub','window','sme') NOT NULL,
  frame_unit_id   BIGINT UNSIGNED NULL,
  name            VARCHAR(255) NOT NULL,
  platform        VARCHAR(255) NOT NULL DEFAULT '',
  contact         VARCHAR(64)  NOT NULL DEFAULT '',
  phone           VARCHAR(64)  NOT NULL DEFAULT '',
  email           VARCHAR(255) NOT NULL DEFAULT '',
  role            ENUM('selected','reserve') NOT NULL,
  position        INT UNSIGNED NOT NULL,                -- order within stratum and role
  status          ENUM('active','replaced','unused') NOT NULL DEFAULT 'active',
  replaces_id     BIGINT UNSIGNED NULL,                 -- the unit this reserve replaced
  replace_reason  VARCHAR(255) NOT NULL DEFAULT '',
  code_lookup     BINARY(32)   NULL,                    -- SHA-256 of the normalised code
  code_expires    DATETIME     NULL,
  user_id         BIGINT UNSIGNED NULL,                 -- the account registered with the code
  slip_printed_at DATETIME     NULL,
  code_opened_at  DATETIME     NULL,
  registered_at   DATETIME     NULL,
  UNIQUE KEY uk_code (code_lookup),
  UNIQUE KEY uk_user (user_id),
  KEY k_sample (sample_id, stratum, role, position),
  KEY k_region (region_code, form),
  CONSTRAINT fk_sample_units_sample FOREIGN KEY (sample_id) REFERENCES samples(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed invitation-code look-ups, for throttling guesses per client address.
CREATE TABLE code_failures (
  id   BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ip   VARCHAR(45) NOT NULL,
  at   DATETIME    NOT NULL,
  KEY k_ip_at (ip, at)
) ENGINE=InnoDB;
