-- 014: what goes through (the selection and its hold thresholds) and the field mappings belong to
-- the integration (SPEC §1), no longer to its connection. Each connection's setup is copied to every
-- integration on it (a connection that is both gives its import and its export each a copy), so
-- nothing changes for an existing workspace. What a target was sent (sent) stays the connection's:
-- it is what the target holds. Nothing refers to these tables, so they are rebuilt; runs are not
-- touched.

CREATE TABLE integration_selections (
    integration_id      INTEGER PRIMARY KEY REFERENCES integrations (id) ON DELETE CASCADE,
    orgs_all            INTEGER NOT NULL,
    classes_all         INTEGER NOT NULL,
    statuses            TEXT NOT NULL, -- comma-separated: active,inactive,deleted,blank
    without_enrollments INTEGER NOT NULL,
    hold_delete         REAL NOT NULL,
    hold_change         REAL NOT NULL,
    guardians           INTEGER NOT NULL DEFAULT 1
);
INSERT INTO integration_selections (integration_id, orgs_all, classes_all, statuses, without_enrollments, hold_delete, hold_change, guardians)
SELECT i.id, s.orgs_all, s.classes_all, s.statuses, s.without_enrollments, s.hold_delete, s.hold_change, s.guardians
FROM selections s JOIN integrations i ON i.connection_id = s.connection_id;
DROP TABLE selections;
ALTER TABLE integration_selections RENAME TO selections;

-- The orgs and classes a selection picks one by one (when not "all").
CREATE TABLE integration_selection_ids (
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    entity         TEXT NOT NULL CHECK (entity IN ('orgs', 'classes')),
    sourced_id     TEXT NOT NULL,
    PRIMARY KEY (integration_id, entity, sourced_id)
) WITHOUT ROWID;
INSERT INTO integration_selection_ids (integration_id, entity, sourced_id)
SELECT i.id, s.entity, s.sourced_id FROM selection_ids s JOIN integrations i ON i.connection_id = s.connection_id;
DROP TABLE selection_ids;
ALTER TABLE integration_selection_ids RENAME TO selection_ids;

-- Per integration and entity: the target fields and how each is filled, the JSON of
-- mapping.Mapping. No row: the entity's default mapping.
CREATE TABLE integration_mappings (
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    entity         TEXT NOT NULL,
    mapping        TEXT NOT NULL,
    saved_at       TEXT NOT NULL,
    operator       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (integration_id, entity)
) WITHOUT ROWID;
INSERT INTO integration_mappings (integration_id, entity, mapping, saved_at, operator)
SELECT i.id, m.entity, m.mapping, m.saved_at, m.operator FROM mappings m JOIN integrations i ON i.connection_id = m.connection_id;
DROP TABLE mappings;
ALTER TABLE integration_mappings RENAME TO mappings;
