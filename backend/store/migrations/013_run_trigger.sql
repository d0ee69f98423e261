-- 013: who started a run: "schedule" for a scheduled integration run (the window's scheduler or
-- `schedule run-due`), empty for the operator named on the run.
ALTER TABLE runs ADD COLUMN trigger TEXT NOT NULL DEFAULT '';
