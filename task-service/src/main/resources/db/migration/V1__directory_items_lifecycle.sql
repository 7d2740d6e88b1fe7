-- task-service schema: directory, supervision items and their lifecycle, timeline, outbox.

CREATE TABLE unit (
    code          varchar(32)  PRIMARY KEY,
    name          varchar(100) NOT NULL,
    short_name    varchar(50),
    parent_code   varchar(32) REFERENCES unit (code),
    contact_email varchar(254),
    phone         varchar(32),
    active        boolean      NOT NULL DEFAULT true,
    created_at    timestamptz  NOT NULL
);
CREATE UNIQUE INDEX unit_name_uk ON unit (name);

CREATE TABLE person (
    id         uuid PRIMARY KEY,
    username   varchar(64)  NOT NULL UNIQUE,
    name       varchar(50)  NOT NULL,
    unit_code  varchar(32)  NOT NULL REFERENCES unit (code),
    role       varchar(16)  NOT NULL,
    title      varchar(50),
    email      varchar(254),
    phone      varchar(32),
    created_at timestamptz  NOT NULL
);
CREATE INDEX person_unit_idx ON person (unit_code);

-- Per-year counter behind the human-readable item number (DB-2026-0042).
CREATE TABLE item_number_counter (
    year int PRIMARY KEY,
    last int NOT NULL
);

CREATE TABLE supervision_item (
    id                 uuid PRIMARY KEY,
    number             varchar(20)   NOT NULL UNIQUE,
    title              varchar(200)  NOT NULL,
    description        varchar(5000),
    source_type        varchar(32)   NOT NULL,
    source_ref         varchar(100),
    priority           varchar(16)   NOT NULL,
    category           varchar(50),
    responsible_leader varchar(50),
    deadline           date          NOT NULL,
    original_deadline  date          NOT NULL,
    feedback_cycle     varchar(16)   NOT NULL,
    status             varchar(16)   NOT NULL,
    lead_unit_code     varchar(32)   NOT NULL REFERENCES unit (code),
    rating             varchar(16),
    completed_on_time  boolean,
    created_by         varchar(64)   NOT NULL,
    created_at         timestamptz   NOT NULL,
    updated_at         timestamptz   NOT NULL,
    dispatched_at      timestamptz,
    completed_at       timestamptz,
    cancelled_at       timestamptz,
    version            bigint        NOT NULL
);
CREATE INDEX item_created_idx ON supervision_item (created_at DESC, id DESC);
CREATE INDEX item_deadline_idx ON supervision_item (deadline, id);
CREATE INDEX item_status_idx ON supervision_item (status);

CREATE TABLE assignment (
    id                uuid PRIMARY KEY,
    item_id           uuid         NOT NULL REFERENCES supervision_item (id),
    unit_code         varchar(32)  NOT NULL REFERENCES unit (code),
    role              varchar(8)   NOT NULL,
    status            varchar(24)  NOT NULL,
    deadline          date         NOT NULL,
    original_deadline date         NOT NULL,
    progress_percent  int          NOT NULL DEFAULT 0,
    last_progress_at  timestamptz,
    urge_count        int          NOT NULL DEFAULT 0,
    decline_reason    varchar(1000),
    reassigned_to     varchar(32),
    reassigned_from   varchar(32),
    accepted_at       timestamptz,
    submitted_at      timestamptz,
    completed_at      timestamptz,
    created_at        timestamptz  NOT NULL,
    updated_at        timestamptz  NOT NULL
);
CREATE INDEX assignment_item_idx ON assignment (item_id);
CREATE INDEX assignment_unit_idx ON assignment (unit_code, status);
-- A unit holds at most one live assignment on an item; closed ones (reassigned away) stay as history.
CREATE UNIQUE INDEX assignment_live_uk ON assignment (item_id, unit_code)
    WHERE status NOT IN ('REASSIGNED');

CREATE TABLE progress_report (
    id            uuid PRIMARY KEY,
    item_id       uuid          NOT NULL REFERENCES supervision_item (id),
    assignment_id uuid          NOT NULL REFERENCES assignment (id),
    unit_code     varchar(32)   NOT NULL,
    content       varchar(5000) NOT NULL,
    percent       int           NOT NULL CHECK (percent BETWEEN 0 AND 100),
    next_steps    varchar(2000),
    help_needed   varchar(2000),
    reported_by   varchar(64)   NOT NULL,
    reported_at   timestamptz   NOT NULL
);
CREATE INDEX progress_item_idx ON progress_report (item_id, reported_at);

CREATE TABLE extension_request (
    id                 uuid PRIMARY KEY,
    item_id            uuid          NOT NULL REFERENCES supervision_item (id),
    assignment_id      uuid          NOT NULL REFERENCES assignment (id),
    unit_code          varchar(32)   NOT NULL,
    current_deadline   date          NOT NULL,
    requested_deadline date          NOT NULL,
    reason             varchar(2000) NOT NULL,
    status             varchar(16)   NOT NULL,
    requested_by       varchar(64)   NOT NULL,
    requested_at       timestamptz   NOT NULL,
    decided_by         varchar(64),
    decided_at         timestamptz,
    decision_comment   varchar(2000)
);
CREATE INDEX extension_item_idx ON extension_request (item_id);
CREATE UNIQUE INDEX extension_one_pending_uk ON extension_request (assignment_id) WHERE status = 'PENDING';

CREATE TABLE instruction (
    id         uuid PRIMARY KEY,
    item_id    uuid          NOT NULL REFERENCES supervision_item (id),
    content    varchar(2000) NOT NULL,
    leader     varchar(64)   NOT NULL,
    created_at timestamptz   NOT NULL
);
CREATE INDEX instruction_item_idx ON instruction (item_id);

-- Append-only: the application only inserts; the trigger refuses edits even from SQL consoles.
CREATE TABLE timeline_entry (
    id          bigserial PRIMARY KEY,
    item_id     uuid         NOT NULL REFERENCES supervision_item (id),
    occurred_at timestamptz  NOT NULL,
    actor       varchar(64)  NOT NULL,
    actor_role  varchar(16)  NOT NULL,
    action      varchar(32)  NOT NULL,
    unit_code   varchar(32),
    before      jsonb,
    after       jsonb,
    note        varchar(2000)
);
CREATE INDEX timeline_item_idx ON timeline_entry (item_id, id);

CREATE FUNCTION timeline_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'timeline_entry is append-only';
END
$$;
CREATE TRIGGER timeline_append_only BEFORE UPDATE OR DELETE ON timeline_entry
    FOR EACH ROW EXECUTE FUNCTION timeline_is_append_only();

-- Transactional outbox: written in the same transaction as the change it describes.
CREATE TABLE outbox_event (
    id           uuid PRIMARY KEY,
    type         varchar(32)  NOT NULL,
    item_id      uuid         NOT NULL,
    unit_code    varchar(32),
    payload      jsonb        NOT NULL,
    created_at   timestamptz  NOT NULL,
    published_at timestamptz
);
CREATE INDEX outbox_unpublished_idx ON outbox_event (created_at) WHERE published_at IS NULL;
CREATE INDEX outbox_item_idx ON outbox_event (item_id);
