-- notification-service: what it knows of task-service's items, learnt from events only (never from
-- task-service's tables), and which events it has applied.

-- Every applied event, by id. Written in the transaction that applies the event, together with its
-- effects: a redelivered event finds its row and changes nothing.
CREATE TABLE processed_event (
    event_id    uuid         PRIMARY KEY,
    type        varchar(32)  NOT NULL,
    item_id     uuid         NOT NULL,
    unit_code   varchar(64),
    occurred_at timestamptz  NOT NULL,
    applied_at  timestamptz  NOT NULL
);
CREATE INDEX processed_event_item_idx ON processed_event (item_id);
-- Applied events may be purged by age later; the index keeps that cheap.
CREATE INDEX processed_event_applied_idx ON processed_event (applied_at);

-- The service's own copy of each unit's assignment (io.duban.notification.tracking.TrackedAssignment).
CREATE TABLE tracked_assignment (
    item_id          uuid          NOT NULL,
    unit_code        varchar(64)   NOT NULL,
    item_number      varchar(64)   NOT NULL,
    title            text          NOT NULL,
    priority         varchar(16)   NOT NULL,
    item_status      varchar(24)   NOT NULL,
    item_deadline    date          NOT NULL,
    role             varchar(8)    NOT NULL,
    status           varchar(24)   NOT NULL,
    deadline         date          NOT NULL,
    feedback_cycle   varchar(16)   NOT NULL,
    dispatched_at    timestamptz   NOT NULL,
    accepted_at      timestamptz,
    last_progress_at timestamptz,
    urge_count       integer       NOT NULL DEFAULT 0,
    -- The event that last changed this copy.
    last_event_id    uuid          NOT NULL,
    updated_at       timestamptz   NOT NULL,
    PRIMARY KEY (item_id, unit_code)
);
CREATE INDEX tracked_assignment_unit_idx ON tracked_assignment (unit_code, status);
CREATE INDEX tracked_assignment_open_deadline_idx ON tracked_assignment (deadline)
    WHERE status IN ('PENDING_ACCEPTANCE', 'IN_PROGRESS', 'SUBMITTED');
