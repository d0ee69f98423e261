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
CREATE INDEX origins_shared ON origins (entity, COALESCE(record, source_id)) WHERE vals IS NOT NULL;
