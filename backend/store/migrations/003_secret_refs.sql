-- 003: each connection's secrets live in the keychain (or the encrypted secrets file) under a random
-- reference, never in the workspace. Random, not the row id, so two workspaces never share secrets.
ALTER TABLE connections ADD COLUMN secret_ref TEXT NOT NULL DEFAULT '';
UPDATE connections SET secret_ref = lower(hex(randomblob(16))) WHERE secret_ref = '';
