-- Administrators manage the directory (SPEC.md, roles: "admin: manage units, people"): units and people
-- are changed with If-Match on a version, and a person who has left is deactivated, not deleted
-- (the timeline and the reports keep naming them).
ALTER TABLE unit ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE person ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE person ADD COLUMN active boolean NOT NULL DEFAULT true;
