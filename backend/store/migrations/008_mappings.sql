-- 008: field mappings (SPEC §6) and what a target that takes records one at a time (an API) knows
-- each record by.

-- Per target connection and entity: the target fields and how each is filled, the JSON of
-- mapping.Mapping. No row: the entity's default mapping.
CREATE TABLE mappings (
    connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    entity        TEXT NOT NULL,
    mapping       TEXT NOT NULL,
    saved_at      TEXT NOT NULL,
    operator      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (connection_id, entity)
) WITHOUT ROWID;

-- The key an API knows a delivered record by (the mapping's key field when it was created), so
-- updates and deletions reach it even after the mapping or the record changed; NULL for files.
-- For such targets sent.vals holds the JSON object delivered.
ALTER TABLE sent ADD COLUMN target_key TEXT;
