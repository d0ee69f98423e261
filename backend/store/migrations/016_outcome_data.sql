-- 016: a run's per-record outcomes are stored as data, so reports, the window and future translations
-- build their sentences from the same columns: reason is a code (what happened and why), before and
-- after are a changed field's values. message keeps only words from outside that no code can carry (a
-- server's reply, a reader's finding). Rows logged before this version have only their message.
ALTER TABLE run_records ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE run_records ADD COLUMN "before" TEXT NOT NULL DEFAULT '';
ALTER TABLE run_records ADD COLUMN "after" TEXT NOT NULL DEFAULT '';
