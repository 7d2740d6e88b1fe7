-- GET /api/v1/subscriptions/{id} answers an ETag (SPEC.md, "API conventions"): the subscription's version,
-- counted up when it is stopped.
ALTER TABLE subscription ADD COLUMN version bigint NOT NULL DEFAULT 0;
