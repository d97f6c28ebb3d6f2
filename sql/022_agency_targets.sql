-- smesurvey schema, migration 022: the approved targets of each region
-- (issue 19, item 3; notice 一（一）: 批复的项目建设目标、建设内容、投资进度、
-- 资金到位). The agency imports them per region (CSV or XLSX); the targets
-- are data, cgi-bin/eval/review/targets.tsv (code). approved: the figure of
-- the approval; reported: what the region reported as done by the end of
-- September 2013 (2013年三季度建设情况), for the targets whose actual
-- figure is not in the self-evaluation. NULL when the file left it empty.
-- A new import of a region replaces its rows (audited).
CREATE TABLE region_targets (
  region_code  VARCHAR(16)   NOT NULL,
  code         VARCHAR(32)   NOT NULL,
  approved     DECIMAL(16,2) NULL,
  reported     DECIMAL(16,2) NULL,
  imported_by  BIGINT UNSIGNED NOT NULL,
  imported_at  DATETIME      NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (region_code, code),
  CONSTRAINT fk_rtarget_region FOREIGN KEY (region_code) REFERENCES regions(code),
  CONSTRAINT fk_rtarget_by FOREIGN KEY (imported_by) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
