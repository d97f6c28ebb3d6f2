-- smesurvey schema, migration 020: the evaluation agency's role (issue 19).
--
-- agency (评估机构): reads everything the ministry reads, works in its own
-- workspace (/agency: document review, approved targets, visits, dossiers)
-- and, like admin and viewer, belongs to no region.
ALTER TABLE users
  MODIFY role ENUM('admin','viewer','region','hub','window','resource','sme','agency') NOT NULL;
