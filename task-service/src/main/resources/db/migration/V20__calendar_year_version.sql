-- A year of the calendar is a resource of its own (GET|PUT /api/v1/calendar/{year}): its version is its
-- ETag, and a PUT with If-Match replaces only the year its sender read (SPEC.md, "API conventions").
ALTER TABLE calendar_year ADD COLUMN version bigint NOT NULL DEFAULT 0;
