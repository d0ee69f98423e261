-- 017: operators (SPEC §8): who may do what in this workspace. The operator is the computer's account
-- name; names compare without regard to case, as Windows account names do. A workspace with none
-- gets its first, Full, when a Rosterdesk of this version opens it (workspace.Open).
CREATE TABLE operators (
    name     TEXT PRIMARY KEY COLLATE NOCASE,
    role     TEXT NOT NULL CHECK (role IN ('full', 'limited', 'read-only')),
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL -- '' for the first operator, added by opening the workspace
);
