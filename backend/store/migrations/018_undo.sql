-- 018: undoing an import run (issue 16 item 7). An undo is a run of its own, mode 'undo', naming the
-- run it undid in undo_of; a run is undone when a succeeded run names it. The CHECK is edited in
-- place as in 011 and 015: rebuilding runs would cascade-delete run_records.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'mode IN (''full'', ''selective'', ''ids'')', 'mode IN (''full'', ''selective'', ''ids'', ''undo'')')
WHERE type = 'table' AND name = 'runs' AND sql NOT LIKE '%''undo'')%';
PRAGMA writable_schema = RESET;
-- The ALTER TABLE changes the schema cookie, so every other connection reloads the new CHECK.
ALTER TABLE runs ADD COLUMN undo_of INTEGER;
CREATE INDEX runs_undo_of ON runs (undo_of) WHERE undo_of IS NOT NULL;
-- The origins a run joined to records another source brought in (created_run -run): an undo looks
-- for later joins of its records here. Few origins are joins, so the index stays small and a first
-- import of a district writes no entry.
CREATE INDEX origins_joined ON origins (created_run) WHERE created_run < 0;
