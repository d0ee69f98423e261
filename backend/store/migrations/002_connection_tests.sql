-- 002: the outcome of each connection's last Test connection, shown on its dashboard card.
ALTER TABLE connections ADD COLUMN last_test_at TEXT NOT NULL DEFAULT '';
ALTER TABLE connections ADD COLUMN last_test_ok INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connections ADD COLUMN last_test_message TEXT NOT NULL DEFAULT '';
