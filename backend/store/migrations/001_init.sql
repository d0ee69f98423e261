-- 001: the first workspace schema: connections, the staged snapshot of each source, the roster in the
-- OneRoster 1.2 model with provenance, and the history of runs with their per-record outcomes.

CREATE TABLE connections (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('source', 'target', 'both')),
    settings   TEXT NOT NULL DEFAULT '{}', -- JSON object; secrets are never stored here
    created_at TEXT NOT NULL
);

-- The last fetch of a source: a private copy of what was read, so an import applies exactly what the
-- user reviewed even if the source changes in between.
CREATE TABLE snapshots (
    connection_id INTEGER PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
    fetched_at    TEXT NOT NULL,
    path          TEXT NOT NULL,
    report        TEXT NOT NULL -- JSON validation report: version, modes, counts, findings
);

CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    connection_id   INTEGER REFERENCES connections (id) ON DELETE SET NULL,
    connection_name TEXT NOT NULL,
    direction       TEXT NOT NULL CHECK (direction IN ('import', 'export', 'sync')),
    mode            TEXT NOT NULL CHECK (mode IN ('full', 'selective', 'ids')),
    operator        TEXT NOT NULL,
    pid             INTEGER NOT NULL DEFAULT 0, -- the process running it, to tell a live run from one cut off by a crash
    status          TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'held', 'cancelled', 'interrupted')),
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    counts          TEXT NOT NULL DEFAULT '{}', -- JSON: entity -> {created, updated, deleted, unchanged, failed}
    message         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_connection ON runs (connection_id, id);

-- One row per record a run updated, deleted, skipped or failed on. Created records are counted on the run
-- and found through origins.created_run; unchanged records are only counted.
CREATE TABLE run_records (
    run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    entity     TEXT NOT NULL,
    sourced_id TEXT NOT NULL,
    action     TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
    field      TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX run_records_run ON run_records (run_id);

-- Provenance: which connection and source sourcedId each roster record came from, with the content
-- hash last applied (0 once the record was marked tobedeleted), so unchanged records are not rewritten
-- and records missing from a new bulk file can be found; created_run is the run that first brought the
-- record in (so a first import of 600,000 records needs no log row for each).
CREATE TABLE origins (
    connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    entity        TEXT NOT NULL,
    source_id     TEXT NOT NULL, -- the roster record has the same sourcedId
    hash          INTEGER NOT NULL,
    created_run   INTEGER NOT NULL,
    PRIMARY KEY (connection_id, entity, source_id)
) WITHOUT ROWID;

-- The roster: one table per OneRoster entity, columns named and ordered as in the 1.2 CSV binding.
-- A blank value is stored as NULL (cheaper to write than an empty string); extension columns
-- (metadata.*) are kept as a JSON object in metadata. Rows are appended to rowid tables and only the
-- small sourcedId index takes inserts in file order, which is faster than keeping whole rows sorted
-- by sourcedId when an export lists, say, enrollments class by class.

CREATE TABLE roster_orgs (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "name" TEXT,
    "type" TEXT,
    "identifier" TEXT,
    "parentSourcedId" TEXT,
    metadata TEXT
);

CREATE TABLE roster_academicSessions (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "title" TEXT,
    "type" TEXT,
    "startDate" TEXT,
    "endDate" TEXT,
    "parentSourcedId" TEXT,
    "schoolYear" TEXT,
    metadata TEXT
);

CREATE TABLE roster_courses (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "schoolYearSourcedId" TEXT,
    "title" TEXT,
    "courseCode" TEXT,
    "grades" TEXT,
    "orgSourcedId" TEXT,
    "subjects" TEXT,
    "subjectCodes" TEXT,
    metadata TEXT
);

CREATE TABLE roster_classes (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "title" TEXT,
    "grades" TEXT,
    "courseSourcedId" TEXT,
    "classCode" TEXT,
    "classType" TEXT,
    "location" TEXT,
    "schoolSourcedId" TEXT,
    "termSourcedIds" TEXT,
    "subjects" TEXT,
    "subjectCodes" TEXT,
    "periods" TEXT,
    metadata TEXT
);

CREATE TABLE roster_users (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "enabledUser" TEXT,
    "username" TEXT,
    "userIds" TEXT,
    "givenName" TEXT,
    "familyName" TEXT,
    "middleName" TEXT,
    "identifier" TEXT,
    "email" TEXT,
    "sms" TEXT,
    "phone" TEXT,
    "agentSourcedIds" TEXT,
    "grades" TEXT,
    "password" TEXT,
    "userMasterIdentifier" TEXT,
    "preferredGivenName" TEXT,
    "preferredMiddleName" TEXT,
    "preferredFamilyName" TEXT,
    "primaryOrgSourcedId" TEXT,
    "pronouns" TEXT,
    metadata TEXT
);

CREATE TABLE roster_roles (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "userSourcedId" TEXT,
    "roleType" TEXT,
    "role" TEXT,
    "beginDate" TEXT,
    "endDate" TEXT,
    "orgSourcedId" TEXT,
    "userProfileSourcedId" TEXT,
    metadata TEXT
);

CREATE TABLE roster_demographics (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "birthDate" TEXT,
    "sex" TEXT,
    "americanIndianOrAlaskaNative" TEXT,
    "asian" TEXT,
    "blackOrAfricanAmerican" TEXT,
    "nativeHawaiianOrOtherPacificIslander" TEXT,
    "white" TEXT,
    "demographicRaceTwoOrMoreRaces" TEXT,
    "hispanicOrLatinoEthnicity" TEXT,
    "countryOfBirthCode" TEXT,
    "stateOfBirthAbbreviation" TEXT,
    "cityOfBirth" TEXT,
    "publicSchoolResidenceStatus" TEXT,
    metadata TEXT
);

CREATE TABLE roster_enrollments (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "classSourcedId" TEXT,
    "schoolSourcedId" TEXT,
    "userSourcedId" TEXT,
    "role" TEXT,
    "primary" TEXT,
    "beginDate" TEXT,
    "endDate" TEXT,
    metadata TEXT
);

