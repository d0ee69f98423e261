-- 004: when the data a connection's last successful import applied was fetched, so a later fetch can
-- ask an API source for the records changed since then.
ALTER TABLE connections ADD COLUMN applied_at TEXT NOT NULL DEFAULT '';
