-- 006: one roster fed by many sources (SPEC §1, §7). A roster record's sourcedId is its own identity:
-- given when the record first appears (its first origin's id unless another record has that id
-- already) and never changed, so every target keeps seeing the same id. Origins link each source's
-- (connection, entity, sourcedId) to that record.

-- Reconciliation order of sources: for each field the roster keeps the value of the first origin,
-- in this order, that supplies one. New connections go last.
ALTER TABLE connections ADD COLUMN precedence INTEGER NOT NULL DEFAULT 0;
UPDATE connections SET precedence = id;

-- record: the roster record's sourcedId when it differs from source_id (NULL: the same), as for a
-- record of an `ids = own` source whose id another record has.
-- vals: the origin's own values, a JSON object {"v": [column values in 1.2 order, references in roster
-- ids], "m": {extension column: value}}, kept for every origin of a record two or more sources supply
-- (NULL while one source alone does: the roster row holds its values), so the roster can be worked out
-- again from its origins when one of them changes or goes.
ALTER TABLE origins ADD COLUMN record TEXT;
ALTER TABLE origins ADD COLUMN vals TEXT;
-- Partial indexes: a first import, where every origin has record and vals NULL, writes no entry.
CREATE INDEX origins_record ON origins (entity, record) WHERE record IS NOT NULL;
-- origins_shared: the origins that keep values of their own ('' means the same as the roster row's,
-- for records two sources joined with the same content: nothing to reconcile, no entry to write).
CREATE INDEX origins_shared ON origins (entity, COALESCE(record, source_id)) WHERE vals <> '';

-- Before this migration two sources sending the same sourcedId shared one roster row, the last import
-- writing over the other. Each such origin now keeps the row's values as its own, so the record is
-- reconciled from here on; each source's next import puts its own values in place.
UPDATE origins SET vals = (SELECT json_object('v', json_array(COALESCE(r."sourcedId", ''), COALESCE(r."status", ''), COALESCE(r."dateLastModified", ''), COALESCE(r."name", ''), COALESCE(r."type", ''), COALESCE(r."identifier", ''), COALESCE(r."parentSourcedId", '')), 'm', json(COALESCE(r.metadata, '{}')))
    FROM roster_orgs r WHERE r."sourcedId" = origins.source_id)
WHERE entity = 'orgs' AND source_id IN (SELECT source_id FROM origins WHERE entity = 'orgs' GROUP BY source_id HAVING COUNT(*) > 1);
UPDATE origins SET vals = (SELECT json_object('v', json_array(COALESCE(r."sourcedId", ''), COALESCE(r."status", ''), COALESCE(r."dateLastModified", ''), COALESCE(r."title", ''), COALESCE(r."type", ''), COALESCE(r."startDate", ''), COALESCE(r."endDate", ''), COALESCE(r."parentSourcedId", ''), COALESCE(r."schoolYear", '')), 'm', json(COALESCE(r.metadata, '{}')))
    FROM roster_academicSessions r WHERE r."sourcedId" = origins.source_id)
WHERE entity = 'academicSessions' AND source_id IN (SELECT source_id FROM origins WHERE entity = 'academicSessions' GROUP BY source_id HAVING COUNT(*) > 1);
UPDATE origins SET vals = (SELECT json_object('v', json_array(COALESCE(r."sourcedId", ''), COALESCE(r."status", ''), COALESCE(r."dateLastModified", ''), COALESCE(r."schoolYearSourcedId", ''), COALESCE(r."title", ''), COALESCE(r."courseCode", ''), COALESCE(r."grades", ''), COALESCE(r."orgSourcedId", ''), COALESCE(r."subjects", ''), COALESCE(r."subjectCodes", '')), 'm', json(COALESCE(r.metadata, '{}')))
    FROM roster_courses r WHERE r."sourcedId" = origins.source_id)
WHERE entity = 'courses' AND source_id IN (SELECT source_id FROM origins WHERE entity = 'courses' GROUP BY source_id HAVING COUNT(*) > 1);
UPDATE origins SET vals = (SELECT json_object('v', json_array(COALESCE(r."sourcedId", ''), COALESCE(r."status", ''), COALESCE(r."dateLastModified", ''), COALESCE(r."title", ''), COALESCE(r."grades", ''), COALESCE(r."courseSourcedId", ''), COALESCE(r."classCode", ''), COALESCE(r."classType", ''), COALESCE(r."location", ''), COALESCE(r."schoolSourcedId", ''), COALESCE(r."termSourcedIds", ''), COALESCE(r."subjects", ''), COALESCE(r."subjectCodes", ''), COALESCE(r."periods", '')), 'm', json(COALESCE(r.metadata, '{}')))
    FROM roster_classes r WHERE r."sourcedId" = origins.source_id)
WHERE entity = 'classes' AND source_id IN (SELECT source_id FROM origins WHERE entity = 'classes' GROUP BY source_id HAVING COUNT(*) > 1);
UPDATE origins SET vals = (SELECT json_object('v', json_array(COALESCE(r."sourcedId", ''), COALESCE(r."status", ''), COALESCE(r."dateLastModified", ''), COALESCE(r."enabledUser", ''), COALESCE(r."username", ''), COALESCE(r."userIds", ''), COALESCE(r."givenName", ''), COALESCE(r."familyName", ''), COALESCE(r."middleName", ''), COALESCE(r."identifier", ''), COALESCE(r."email", ''), COALESCE(r."sms", ''), COALESCE(r."phone", ''), COALESCE(r."agentSourcedIds", ''), COALESCE(r."grades", ''), COALESCE(r."password", ''), COALESCE(r."userMasterIdentifier", ''), COALESCE(r."preferredGivenName", ''), COALESCE(r."preferredMiddleName", ''), COALESCE(r."preferredFamilyName", ''), COALESCE(r."primaryOrgSourcedId", ''), COALESCE(r."pronouns", '')), 'm', json(COALESCE(r.metadata, '{}')))
    FROM roster_users r WHERE r."sourcedId" = origins.source_id)
WHERE entity = 'users' AND source_id IN (SELECT source_id FROM origins WHERE entity = 'users' GROUP BY source_id HAVING COUNT(*) > 1);
UPDATE origins SET vals = (SELECT json_object('v', json_array(COALESCE(r."sourcedId", ''), COALESCE(r."status", ''), COALESCE(r."dateLastModified", ''), COALESCE(r."userSourcedId", ''), COALESCE(r."roleType", ''), COALESCE(r."role", ''), COALESCE(r."beginDate", ''), COALESCE(r."endDate", ''), COALESCE(r."orgSourcedId", ''), COALESCE(r."userProfileSourcedId", '')), 'm', json(COALESCE(r.metadata, '{}')))
    FROM roster_roles r WHERE r."sourcedId" = origins.source_id)
WHERE entity = 'roles' AND source_id IN (SELECT source_id FROM origins WHERE entity = 'roles' GROUP BY source_id HAVING COUNT(*) > 1);
UPDATE origins SET vals = (SELECT json_object('v', json_array(COALESCE(r."sourcedId", ''), COALESCE(r."status", ''), COALESCE(r."dateLastModified", ''), COALESCE(r."birthDate", ''), COALESCE(r."sex", ''), COALESCE(r."americanIndianOrAlaskaNative", ''), COALESCE(r."asian", ''), COALESCE(r."blackOrAfricanAmerican", ''), COALESCE(r."nativeHawaiianOrOtherPacificIslander", ''), COALESCE(r."white", ''), COALESCE(r."demographicRaceTwoOrMoreRaces", ''), COALESCE(r."hispanicOrLatinoEthnicity", ''), COALESCE(r."countryOfBirthCode", ''), COALESCE(r."stateOfBirthAbbreviation", ''), COALESCE(r."cityOfBirth", ''), COALESCE(r."publicSchoolResidenceStatus", '')), 'm', json(COALESCE(r.metadata, '{}')))
    FROM roster_demographics r WHERE r."sourcedId" = origins.source_id)
WHERE entity = 'demographics' AND source_id IN (SELECT source_id FROM origins WHERE entity = 'demographics' GROUP BY source_id HAVING COUNT(*) > 1);
UPDATE origins SET vals = (SELECT json_object('v', json_array(COALESCE(r."sourcedId", ''), COALESCE(r."status", ''), COALESCE(r."dateLastModified", ''), COALESCE(r."classSourcedId", ''), COALESCE(r."schoolSourcedId", ''), COALESCE(r."userSourcedId", ''), COALESCE(r."role", ''), COALESCE(r."primary", ''), COALESCE(r."beginDate", ''), COALESCE(r."endDate", '')), 'm', json(COALESCE(r.metadata, '{}')))
    FROM roster_enrollments r WHERE r."sourcedId" = origins.source_id)
WHERE entity = 'enrollments' AND source_id IN (SELECT source_id FROM origins WHERE entity = 'enrollments' GROUP BY source_id HAVING COUNT(*) > 1);

-- The ids removed sources gave roster records (own: whether that source's ids were its own), so that a
-- record a removed source supplied is still met by id as its ids said: a later feed of the same system
-- (shared ids) meets it, even under a roster id that differs from its own; no source meets by id a
-- record only sources with ids of their own supplied.
CREATE TABLE retired (
    entity    TEXT NOT NULL,
    record    TEXT NOT NULL,
    source_id TEXT NOT NULL,
    own       INTEGER NOT NULL,
    PRIMARY KEY (entity, record, source_id)
) WITHOUT ROWID;

-- Records whose sources were removed before this migration (their origins went with them) are met by
-- id as records of sources with shared ids were.
INSERT INTO retired (entity, record, source_id, own) SELECT 'orgs', id, id, 0 FROM (SELECT "sourcedId" AS id FROM roster_orgs EXCEPT SELECT COALESCE(record, source_id) FROM origins WHERE entity = 'orgs');
INSERT INTO retired (entity, record, source_id, own) SELECT 'academicSessions', id, id, 0 FROM (SELECT "sourcedId" AS id FROM roster_academicSessions EXCEPT SELECT COALESCE(record, source_id) FROM origins WHERE entity = 'academicSessions');
INSERT INTO retired (entity, record, source_id, own) SELECT 'courses', id, id, 0 FROM (SELECT "sourcedId" AS id FROM roster_courses EXCEPT SELECT COALESCE(record, source_id) FROM origins WHERE entity = 'courses');
INSERT INTO retired (entity, record, source_id, own) SELECT 'classes', id, id, 0 FROM (SELECT "sourcedId" AS id FROM roster_classes EXCEPT SELECT COALESCE(record, source_id) FROM origins WHERE entity = 'classes');
INSERT INTO retired (entity, record, source_id, own) SELECT 'users', id, id, 0 FROM (SELECT "sourcedId" AS id FROM roster_users EXCEPT SELECT COALESCE(record, source_id) FROM origins WHERE entity = 'users');
INSERT INTO retired (entity, record, source_id, own) SELECT 'roles', id, id, 0 FROM (SELECT "sourcedId" AS id FROM roster_roles EXCEPT SELECT COALESCE(record, source_id) FROM origins WHERE entity = 'roles');
INSERT INTO retired (entity, record, source_id, own) SELECT 'demographics', id, id, 0 FROM (SELECT "sourcedId" AS id FROM roster_demographics EXCEPT SELECT COALESCE(record, source_id) FROM origins WHERE entity = 'demographics');
INSERT INTO retired (entity, record, source_id, own) SELECT 'enrollments', id, id, 0 FROM (SELECT "sourcedId" AS id FROM roster_enrollments EXCEPT SELECT COALESCE(record, source_id) FROM origins WHERE entity = 'enrollments');
