-- Every POST that creates takes an Idempotency-Key now (SPEC.md, "API conventions"), not only item
-- creation: a key is bound to the path it was sent to, so that one key cannot stand for two requests.
-- Keys stored before were all POST /api/v1/tasks.
ALTER TABLE idempotency_key ADD COLUMN target varchar(500) NOT NULL DEFAULT '/api/v1/tasks';
ALTER TABLE idempotency_key ALTER COLUMN target DROP DEFAULT;
