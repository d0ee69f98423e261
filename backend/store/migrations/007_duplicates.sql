-- 007: duplicate people (SPEC §7): the workspace's domains of uniqueness, the pairs a scan found with
-- their evidence, the registrar's decisions on them, and what a merge changed so it can be undone.

-- One row: the domains as JSON (dedupe.Config; NULL: the defaults) and whether every import ends
-- with a scan.
CREATE TABLE duplicate_settings (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    domains      TEXT,
    after_import INTEGER NOT NULL DEFAULT 1
);
INSERT INTO duplicate_settings (id) VALUES (1);

-- A pair of roster users (left < right by sourcedId) a domain claimed. Pending pairs are the review
-- queue and are found again by each scan; decided ones are remembered and never proposed again.
CREATE TABLE duplicate_pairs (
    id          INTEGER PRIMARY KEY,
    "left"      TEXT NOT NULL,
    "right"     TEXT NOT NULL,
    domain      TEXT NOT NULL,
    unattended  INTEGER NOT NULL DEFAULT 0,
    score       REAL NOT NULL,
    evidence    TEXT NOT NULL DEFAULT '[]', -- JSON: dedupe.Evidence per compared field
    school      TEXT NOT NULL DEFAULT '',   -- the left record's primary school, for the queue's filter
    status      TEXT NOT NULL CHECK (status IN ('pending', 'merged', 'ignored', 'new')),
    found_at    TEXT NOT NULL,
    decided_run INTEGER,                    -- the run that recorded the decision
    UNIQUE ("left", "right")
);
CREATE INDEX duplicate_pairs_status ON duplicate_pairs (status, score DESC);

-- A secondary user merged into a primary: deleted (its origins now supply the primary, so its source
-- sending it again updates the primary) or ignored (kept, redundant: never counted or sent, its
-- references go to the primary). undo is what the merge changed, as JSON, to put it back.
CREATE TABLE merges (
    secondary TEXT PRIMARY KEY,
    "primary" TEXT NOT NULL,
    outcome   TEXT NOT NULL CHECK (outcome IN ('delete', 'ignore')),
    pair      INTEGER NOT NULL REFERENCES duplicate_pairs (id) ON DELETE CASCADE,
    run       INTEGER NOT NULL,
    undo      TEXT NOT NULL DEFAULT '{}'
) WITHOUT ROWID;
CREATE INDEX merges_primary ON merges ("primary");

-- Values a registrar chose for a merged record where its sources would give another: they stay
-- until the merge is undone, whatever the sources send.
CREATE TABLE pins (
    entity TEXT NOT NULL,
    record TEXT NOT NULL,
    field  TEXT NOT NULL, -- a column name, or metadata.NAME
    value  TEXT NOT NULL,
    pair   INTEGER NOT NULL REFERENCES duplicate_pairs (id) ON DELETE CASCADE,
    PRIMARY KEY (entity, record, field)
) WITHOUT ROWID;
