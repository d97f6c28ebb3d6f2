-- smesurvey schema, migration 024: symposiums (座谈会) of a visit (issue 19,
-- item 5; notice 五（二）): at a visited hub or window, with service
-- organisations and SMEs of the region's own sample.
CREATE TABLE symposiums (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  visit_id    BIGINT UNSIGNED NOT NULL,
  host_id     BIGINT UNSIGNED NOT NULL,             -- the hub or window account it is held at
  day         DATE         NOT NULL,
  place       VARCHAR(200) NOT NULL DEFAULT '',
  minutes     TEXT         NOT NULL,
  created_by  BIGINT UNSIGNED NOT NULL,
  created_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY k_visit (visit_id),
  CONSTRAINT fk_sym_visit FOREIGN KEY (visit_id) REFERENCES visits(id),
  CONSTRAINT fk_sym_host FOREIGN KEY (host_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The invited participants: units of the region's sample, copied as they
-- were when invited (name, stratum, contact), so the record survives a reset
-- of the sample (no foreign key to sample_units on purpose). attended: NULL
-- until the attendance is recorded, then 1 or 0.
CREATE TABLE symposium_participants (
  symposium_id    BIGINT UNSIGNED NOT NULL,
  sample_unit_id  BIGINT UNSIGNED NOT NULL,
  stratum         VARCHAR(8)   NOT NULL,
  name            VARCHAR(255) NOT NULL,
  contact         VARCHAR(64)  NOT NULL DEFAULT '',
  phone           VARCHAR(64)  NOT NULL DEFAULT '',
  attended        TINYINT(1)   NULL,
  PRIMARY KEY (symposium_id, sample_unit_id),
  CONSTRAINT fk_sympart_sym FOREIGN KEY (symposium_id) REFERENCES symposiums(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Files of the minutes (scans, photos as PDF, ...), stored like the units'
-- documents ("sha256:<hex>:<name>", forms/form_file.c).
CREATE TABLE symposium_files (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  symposium_id  BIGINT UNSIGNED NOT NULL,
  file          VARCHAR(400) NOT NULL,
  bytes         BIGINT UNSIGNED NOT NULL,
  uploaded_by   BIGINT UNSIGNED NOT NULL,
  uploaded_at   DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY k_sym (symposium_id),
  CONSTRAINT fk_symfile_sym FOREIGN KEY (symposium_id) REFERENCES symposiums(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
