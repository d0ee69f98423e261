-- 005: what each connection lets through (SPEC §5) and its safety-hold thresholds, and what each
-- target was last sent, so a delta export sends only what changed and a plan can show field changes.

CREATE TABLE selections (
    connection_id       INTEGER PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
    orgs_all            INTEGER NOT NULL,
    classes_all         INTEGER NOT NULL,
    statuses            TEXT NOT NULL, -- comma-separated: active,inactive,deleted,blank
    without_enrollments INTEGER NOT NULL,
    hold_delete         REAL NOT NULL,
    hold_change         REAL NOT NULL
);

-- The orgs and classes a selection picks one by one (when not "all").
CREATE TABLE selection_ids (
    connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    entity        TEXT NOT NULL CHECK (entity IN ('orgs', 'classes')),
    sourced_id    TEXT NOT NULL,
    PRIMARY KEY (connection_id, entity, sourced_id)
) WITHOUT ROWID;

-- The records a target was last sent: content hash and values (a JSON array in column order), so the
-- next delta export finds what changed and its plan shows each field's before → after.
CREATE TABLE sent (
    connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    entity        TEXT NOT NULL,
    sourced_id    TEXT NOT NULL,
    hash          INTEGER NOT NULL,
    vals          TEXT NOT NULL,
    created_run   INTEGER NOT NULL, -- the export that first sent it (creates are counted, not logged)
    PRIMARY KEY (connection_id, entity, sourced_id)
) WITHOUT ROWID;
