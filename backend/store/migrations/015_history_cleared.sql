-- 015: clearing the history leaves one run of its own kind, direction 'history', saying who cleared it
-- and when. The CHECK is edited in place as in 011: rebuilding runs would cascade-delete run_records.
-- The table created and dropped after RESET changes the schema cookie, so every other connection
-- reloads the schema with the new CHECK.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'direction IN (''import'', ''export'', ''sync'')', 'direction IN (''import'', ''export'', ''sync'', ''history'')')
WHERE type = 'table' AND name = 'runs' AND sql NOT LIKE '%''history'')%';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_015 (x);
DROP TABLE schema_cookie_015;
