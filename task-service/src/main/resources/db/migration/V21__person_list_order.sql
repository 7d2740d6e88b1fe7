-- GET /people pages by (unit_code, username): one index serves the list of all people, the list of one
-- unit's (ordered by username) and the cursor's position, so a page costs its rows, not the directory.
CREATE INDEX person_unit_username_idx ON person (unit_code, username);
DROP INDEX person_unit_idx;
