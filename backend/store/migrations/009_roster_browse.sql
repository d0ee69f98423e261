-- The roster browser's Users show each user's role and school, taken from its roles: this index
-- finds a user's roles and answers both without reading the roles table (sorting 135,000 users by
-- school reads it once per user).
CREATE INDEX roster_roles_user ON roster_roles ("userSourcedId", "roleType", "role", "orgSourcedId");
