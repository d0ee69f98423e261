-- 010: a selection lets through the guardians and parents of the students it sends (on by default:
-- without it, an import of the chosen schools deleted every guardian). Selections saved before keep
-- what they meant: guardians off, until the registrar turns them on in the wizard.

ALTER TABLE selections ADD COLUMN guardians INTEGER NOT NULL DEFAULT 1;
UPDATE selections SET guardians = 0;
