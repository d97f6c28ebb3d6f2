-- smesurvey schema, migration 021: the agency's document review (issue 19,
-- item 2; notice 三、查阅资料).
--
-- unit_documents: what a construction unit (hub or window account) handed
-- in - its 2013 Q3 construction status report and work summary and the
-- other documents of cgi-bin/eval/review/documents.tsv (kind) - uploaded by
-- the unit itself or by the agency on its behalf (uploaded_by). The file is
-- stored like a questionnaire's upload (forms/form_file.c): `file` is
-- "sha256:<hex>:<name>", the bytes live in the upload store. Rows are never
-- changed: a newer upload of the same kind supersedes the older one, and
-- every row stays as the record of what was received when.
CREATE TABLE unit_documents (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  unit_id      BIGINT UNSIGNED NOT NULL,            -- users.id of the hub/window
  kind         VARCHAR(32)  NOT NULL,               -- documents.tsv code
  file         VARCHAR(400) NOT NULL,
  bytes        BIGINT UNSIGNED NOT NULL,
  uploaded_by  BIGINT UNSIGNED NOT NULL,
  uploaded_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY k_unit (unit_id, id),
  CONSTRAINT fk_udoc_unit FOREIGN KEY (unit_id) REFERENCES users(id),
  CONSTRAINT fk_udoc_by FOREIGN KEY (uploaded_by) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The agency's review of one construction unit, append-only: each save is a
-- new version (1, 2, ...), so the history keeps every change - who, when,
-- and what it was before (the previous version). The current review is the
-- highest version. checklist: the documents.tsv codes found present,
-- comma-separated; rating1..4: a scale.tsv code per evaluation content
-- 一..四, '' when not rated.
CREATE TABLE unit_reviews (
  unit_id      BIGINT UNSIGNED NOT NULL,
  version      INT UNSIGNED NOT NULL,
  checklist    VARCHAR(512) NOT NULL DEFAULT '',
  findings     TEXT         NOT NULL,
  rating1      VARCHAR(8)   NOT NULL DEFAULT '',
  rating2      VARCHAR(8)   NOT NULL DEFAULT '',
  rating3      VARCHAR(8)   NOT NULL DEFAULT '',
  rating4      VARCHAR(8)   NOT NULL DEFAULT '',
  reviewer_id  BIGINT UNSIGNED NOT NULL,
  saved_at     DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (unit_id, version),
  CONSTRAINT fk_urev_unit FOREIGN KEY (unit_id) REFERENCES users(id),
  CONSTRAINT fk_urev_by FOREIGN KEY (reviewer_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
