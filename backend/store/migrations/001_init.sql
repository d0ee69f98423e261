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
    source_id     TEXT NOT NULL,
    roster_id     TEXT NOT NULL,
    hash          INTEGER NOT NULL,
    created_run   INTEGER NOT NULL,
    PRIMARY KEY (connection_id, entity, source_id)
) WITHOUT ROWID;

-- The roster: one table per OneRoster entity, columns named and ordered as in the 1.2 CSV binding.
-- Extension columns (metadata.*) are kept as a JSON object in metadata.

CREATE TABLE roster_orgs (
    "sourcedId" TEXT PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT '',
    "dateLastModified" TEXT NOT NULL DEFAULT '',
    "name" TEXT NOT NULL DEFAULT '',
    "type" TEXT NOT NULL DEFAULT '',
    "identifier" TEXT NOT NULL DEFAULT '',
    "parentSourcedId" TEXT NOT NULL DEFAULT '',
    metadata TEXT
) WITHOUT ROWID;

CREATE TABLE roster_academicSessions (
    "sourcedId" TEXT PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT '',
    "dateLastModified" TEXT NOT NULL DEFAULT '',
    "title" TEXT NOT NULL DEFAULT '',
    "type" TEXT NOT NULL DEFAULT '',
    "startDate" TEXT NOT NULL DEFAULT '',
    "endDate" TEXT NOT NULL DEFAULT '',
    "parentSourcedId" TEXT NOT NULL DEFAULT '',
    "schoolYear" TEXT NOT NULL DEFAULT '',
    metadata TEXT
) WITHOUT ROWID;

CREATE TABLE roster_courses (
    "sourcedId" TEXT PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT '',
    "dateLastModified" TEXT NOT NULL DEFAULT '',
    "schoolYearSourcedId" TEXT NOT NULL DEFAULT '',
    "title" TEXT NOT NULL DEFAULT '',
    "courseCode" TEXT NOT NULL DEFAULT '',
    "grades" TEXT NOT NULL DEFAULT '',
    "orgSourcedId" TEXT NOT NULL DEFAULT '',
    "subjects" TEXT NOT NULL DEFAULT '',
    "subjectCodes" TEXT NOT NULL DEFAULT '',
    metadata TEXT
) WITHOUT ROWID;

CREATE TABLE roster_classes (
    "sourcedId" TEXT PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT '',
    "dateLastModified" TEXT NOT NULL DEFAULT '',
    "title" TEXT NOT NULL DEFAULT '',
    "grades" TEXT NOT NULL DEFAULT '',
    "courseSourcedId" TEXT NOT NULL DEFAULT '',
    "classCode" TEXT NOT NULL DEFAULT '',
    "classType" TEXT NOT NULL DEFAULT '',
    "location" TEXT NOT NULL DEFAULT '',
    "schoolSourcedId" TEXT NOT NULL DEFAULT '',
    "termSourcedIds" TEXT NOT NULL DEFAULT '',
    "subjects" TEXT NOT NULL DEFAULT '',
    "subjectCodes" TEXT NOT NULL DEFAULT '',
    "periods" TEXT NOT NULL DEFAULT '',
    metadata TEXT
) WITHOUT ROWID;

CREATE TABLE roster_users (
    "sourcedId" TEXT PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT '',
    "dateLastModified" TEXT NOT NULL DEFAULT '',
    "enabledUser" TEXT NOT NULL DEFAULT '',
    "username" TEXT NOT NULL DEFAULT '',
    "userIds" TEXT NOT NULL DEFAULT '',
    "givenName" TEXT NOT NULL DEFAULT '',
    "familyName" TEXT NOT NULL DEFAULT '',
    "middleName" TEXT NOT NULL DEFAULT '',
    "identifier" TEXT NOT NULL DEFAULT '',
    "email" TEXT NOT NULL DEFAULT '',
    "sms" TEXT NOT NULL DEFAULT '',
    "phone" TEXT NOT NULL DEFAULT '',
    "agentSourcedIds" TEXT NOT NULL DEFAULT '',
    "grades" TEXT NOT NULL DEFAULT '',
    "password" TEXT NOT NULL DEFAULT '',
    "userMasterIdentifier" TEXT NOT NULL DEFAULT '',
    "preferredGivenName" TEXT NOT NULL DEFAULT '',
    "preferredMiddleName" TEXT NOT NULL DEFAULT '',
    "preferredFamilyName" TEXT NOT NULL DEFAULT '',
    "primaryOrgSourcedId" TEXT NOT NULL DEFAULT '',
    "pronouns" TEXT NOT NULL DEFAULT '',
    metadata TEXT
) WITHOUT ROWID;

CREATE TABLE roster_roles (
    "sourcedId" TEXT PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT '',
    "dateLastModified" TEXT NOT NULL DEFAULT '',
    "userSourcedId" TEXT NOT NULL DEFAULT '',
    "roleType" TEXT NOT NULL DEFAULT '',
    "role" TEXT NOT NULL DEFAULT '',
    "beginDate" TEXT NOT NULL DEFAULT '',
    "endDate" TEXT NOT NULL DEFAULT '',
    "orgSourcedId" TEXT NOT NULL DEFAULT '',
    "userProfileSourcedId" TEXT NOT NULL DEFAULT '',
    metadata TEXT
) WITHOUT ROWID;

CREATE TABLE roster_demographics (
    "sourcedId" TEXT PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT '',
    "dateLastModified" TEXT NOT NULL DEFAULT '',
    "birthDate" TEXT NOT NULL DEFAULT '',
    "sex" TEXT NOT NULL DEFAULT '',
    "americanIndianOrAlaskaNative" TEXT NOT NULL DEFAULT '',
    "asian" TEXT NOT NULL DEFAULT '',
    "blackOrAfricanAmerican" TEXT NOT NULL DEFAULT '',
    "nativeHawaiianOrOtherPacificIslander" TEXT NOT NULL DEFAULT '',
    "white" TEXT NOT NULL DEFAULT '',
    "demographicRaceTwoOrMoreRaces" TEXT NOT NULL DEFAULT '',
    "hispanicOrLatinoEthnicity" TEXT NOT NULL DEFAULT '',
    "countryOfBirthCode" TEXT NOT NULL DEFAULT '',
    "stateOfBirthAbbreviation" TEXT NOT NULL DEFAULT '',
    "cityOfBirth" TEXT NOT NULL DEFAULT '',
    "publicSchoolResidenceStatus" TEXT NOT NULL DEFAULT '',
    metadata TEXT
) WITHOUT ROWID;

CREATE TABLE roster_enrollments (
    "sourcedId" TEXT PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT '',
    "dateLastModified" TEXT NOT NULL DEFAULT '',
    "classSourcedId" TEXT NOT NULL DEFAULT '',
    "schoolSourcedId" TEXT NOT NULL DEFAULT '',
    "userSourcedId" TEXT NOT NULL DEFAULT '',
    "role" TEXT NOT NULL DEFAULT '',
    "primary" TEXT NOT NULL DEFAULT '',
    "beginDate" TEXT NOT NULL DEFAULT '',
    "endDate" TEXT NOT NULL DEFAULT '',
    metadata TEXT
) WITHOUT ROWID;

