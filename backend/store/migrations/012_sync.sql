-- 012: two-way sync (SPEC §4). The baseline is what both sides of a sync connection held after its last
-- sync, per record: the three-way comparison tells from it which side changed a field since. Conflicts
-- found under the policy "ask" wait here until a registrar chooses a side; the next sync applies the
-- choice.

-- Values as the roster's export of the connection has them: reconcile.Values JSON (columns in 1.2
-- order, extension columns apart); hash is their content hash, to skip rewriting an unchanged baseline.
CREATE TABLE sync_baseline (
    connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    entity        TEXT NOT NULL,
    sourced_id    TEXT NOT NULL,
    vals          TEXT NOT NULL,
    hash          INTEGER NOT NULL,
    PRIMARY KEY (connection_id, entity, sourced_id)
) WITHOUT ROWID;

-- field is a column name, or '' for a record deleted on one side and changed on the other. A side's
-- value is NULL where the record is missing (deleted) on that side. resolution is the side chosen
-- (NULL while waiting); applied_run the sync that applied it.
CREATE TABLE sync_conflicts (
    id            INTEGER PRIMARY KEY,
    connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    entity        TEXT NOT NULL,
    sourced_id    TEXT NOT NULL,
    field         TEXT NOT NULL,
    baseline      TEXT,
    workspace     TEXT,
    external      TEXT,
    found_run     INTEGER REFERENCES runs (id) ON DELETE SET NULL,
    found_at      TEXT NOT NULL,
    resolution    TEXT CHECK (resolution IN ('workspace', 'external')),
    resolved_at   TEXT,
    resolved_by   TEXT NOT NULL DEFAULT '',
    applied_run   INTEGER REFERENCES runs (id) ON DELETE SET NULL
);
-- One open conflict (not yet applied) per connection, record and field.
CREATE UNIQUE INDEX sync_conflicts_open ON sync_conflicts (connection_id, entity, sourced_id, field) WHERE applied_run IS NULL;
