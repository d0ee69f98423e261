-- 011: integrations (SPEC §1): an import, export or sync over one connection, with its entity tasks,
-- schedule, conflict policy and state. Every existing connection gets the integration(s) its role
-- implies, manual and enabled, so nothing changes for an existing workspace.

-- A run refused because its integration was already running is recorded as skipped. The CHECK is
-- edited in place (SQLite's documented writable_schema procedure): rebuilding runs would cascade-delete
-- run_records, foreign keys being on. RESET reloads this connection's schema; the CREATE TABLE and
-- ALTER TABLE below change the schema cookie, so every other connection reloads it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''held'', ''cancelled'', ''interrupted'')', '''held'', ''cancelled'', ''interrupted'', ''skipped'')')
WHERE type = 'table' AND name = 'runs' AND sql NOT LIKE '%''skipped'')%';
PRAGMA writable_schema = RESET;

CREATE TABLE integrations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: runs keep the id of one removed
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    type          TEXT NOT NULL CHECK (type IN ('import', 'export', 'sync')),
    connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    entities      TEXT NOT NULL DEFAULT '[]', -- JSON array of entity tasks; empty = all
    schedule      TEXT NOT NULL DEFAULT 'manual', -- canonical schedule text (backend/schedule)
    conflict      TEXT NOT NULL DEFAULT 'workspace' CHECK (conflict IN ('workspace', 'external', 'newest', 'ask')),
    enabled       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    -- The schedule counts due slots after this: the slot last run, or when the schedule was set.
    due_from      TEXT NOT NULL,
    -- The run lock: held while lock_token is set and process lock_pid is alive.
    lock_token    TEXT NOT NULL DEFAULT '',
    lock_pid      INTEGER NOT NULL DEFAULT 0,
    lock_since    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX integrations_connection ON integrations (connection_id);

-- The integration a run was of (NULL for runs before 011 and runs of the connections' own buttons).
ALTER TABLE runs ADD COLUMN integration_id INTEGER;
CREATE INDEX runs_integration ON runs (integration_id, id);

INSERT INTO integrations (name, type, connection_id, created_at, due_from)
SELECT 'Import from ' || name, 'import', id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM connections WHERE role IN ('source', 'both') ORDER BY id;
INSERT INTO integrations (name, type, connection_id, created_at, due_from)
SELECT 'Export to ' || name, 'export', id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM connections WHERE role IN ('target', 'both') ORDER BY id;
