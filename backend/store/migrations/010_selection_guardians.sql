-- 010: a selection lets through the guardians and parents of the students it sends (on by default:
-- without it, an import of the chosen schools deleted every guardian).

ALTER TABLE selections ADD COLUMN guardians INTEGER NOT NULL DEFAULT 1;
