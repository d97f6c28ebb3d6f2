-- smesurvey schema, migration 085: the answers of a submitted response
-- packed in one row (issue 21 item 5, cgi-bin/forms/export.c).
--
-- An export of 100,000 responses read 2.4 million answer rows, and MariaDB
-- spent twice the export worker's time reading and sending them. A submit
-- (forms/form_store.c response_pack, in the submit's transaction, after its
-- answers are written) packs its answers here, one row per response, and
-- the export reads that row instead of the response's answer rows.
--
-- version is the response's version the pack was made from. Every write of
-- a response's answers (app_response_write, sql/060) bumps responses.version,
-- and so does a reopen, so a pack whose version differs is stale: the
-- export then reads the answer rows, as it does for drafts. A pack can
-- therefore be missing or stale, never wrong; `smesurvey-admin
-- rebuild-packed-answers` packs every submitted response again.
--
-- answers: for each answer, its code, a TAB, the value's length in bytes,
-- a colon, the value, a newline, in the byte order of the codes
-- (STMT_RESPONSE_PACK builds it from the
-- answer rows; export.c unpack_answers reads it). Bytes, not text: the
-- lengths count bytes.

CREATE TABLE response_packed (
  response_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  version     INT UNSIGNED    NOT NULL,
  answers     LONGBLOB        NOT NULL,
  CONSTRAINT fk_response_packed FOREIGN KEY (response_id) REFERENCES responses(id) ON DELETE CASCADE
) ENGINE=InnoDB;
