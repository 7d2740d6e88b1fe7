-- Idempotency-Key of POST /api/v1/bulletins (SPEC.md, "API conventions"): the first response to each
-- key, per caller, bound to the path and the body, kept 48 hours (duban-common IdempotencyStore).
CREATE TABLE idempotency_key (
    caller       varchar(64)  NOT NULL,
    key          varchar(200) NOT NULL,
    target       varchar(500) NOT NULL,
    request_hash varchar(64)  NOT NULL,
    status       int          NOT NULL,
    location     varchar(500),
    etag         varchar(40),
    body         text         NOT NULL,
    created_at   timestamptz  NOT NULL,
    PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_key_time_idx ON idempotency_key (created_at);
