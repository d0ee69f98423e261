-- 019: a stamp of the workspace's origins. A plan keeps a copy of the origins it read beside the
-- workspace (origincopy.go), which the next plan or import reads instead of the table while the stamp
-- is the one the copy was made under. Every transaction that writes origins sets a new random stamp as
-- it commits (Apply.Commit, Undo.Commit, retire), and so must a migration that changes them.
CREATE TABLE origins_stamp (
    only  INTEGER PRIMARY KEY CHECK (only = 1),
    stamp BLOB NOT NULL
);
INSERT INTO origins_stamp VALUES (1, randomblob(16));
