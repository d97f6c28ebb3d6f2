-- smesurvey schema, migration 040: frame uploads parsed once (issue 18 gap 1)
-- and the last mapping per region and kind (issue 23 item 6).
--
-- A pending upload is read once, when it arrives, into a table of text cells
-- within the frame's bounds (cgi-bin/sample/frame.h); the table and the
-- outcome of its checks for the region's current choice (the preview) are
-- kept here, so that a view of /region/frames reads one small row and a new
-- choice re-checks the stored cells without reading the file again. The row
-- goes with its frame (cascade) and is deleted once the frame is confirmed.

CREATE TABLE frame_tables (
  frame_id  BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  nrows     INT UNSIGNED NOT NULL,
  ncells    INT UNSIGNED NOT NULL,
  nbytes    INT UNSIGNED NOT NULL,                 -- text of all cells
  cells     LONGBLOB     NOT NULL,                 -- frame_table_encode
  preview   MEDIUMBLOB   NOT NULL,                 -- frame_preview_encode
  CONSTRAINT fk_frame_tables_frame FOREIGN KEY (frame_id) REFERENCES frames(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The heading row, the field of each heading text and the stratum of each
-- platform value a region chose last for a kind, offered on its next upload.
CREATE TABLE frame_mappings (
  region_code  VARCHAR(16) NOT NULL,
  kind         ENUM('resource','sme') NOT NULL,
  header_row   INT UNSIGNED NOT NULL,
  col_map      MEDIUMTEXT  NOT NULL,               -- heading<TAB>field lines, escaped
  platform_map MEDIUMTEXT  NOT NULL,               -- value<TAB>stratum lines, escaped
  updated_at   DATETIME    NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (region_code, kind),
  CONSTRAINT fk_frame_mappings_region FOREIGN KEY (region_code) REFERENCES regions(code) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Pending uploads of before this migration were files, re-read per view;
-- they are dropped (the region uploads again; confirmed frames are kept).
DELETE FROM frames WHERE status = 'pending';
