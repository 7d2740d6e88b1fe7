-- Reminders, escalation, urges and the in-app inbox (issue 10, part 2). Assignments are keyed by
-- (item_id, unit_code) and nothing here refers to the event intake's tables (V1): the schedule keeps
-- the little it needs of each assignment itself, from the events it observes.

-- The reminder policy: one row, absent until an admin first changes the defaults.
CREATE TABLE reminder_policy (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL,
    document jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL
);

-- What the schedule knows of one assignment, to plan from and to write notices with.
CREATE TABLE reminder_assignment (
    item_id uuid NOT NULL,
    unit_code text NOT NULL,
    item_number text NOT NULL,
    title text NOT NULL,
    priority text NOT NULL,
    item_status text NOT NULL,
    item_deadline date NOT NULL,
    role text NOT NULL,
    status text NOT NULL,
    deadline date NOT NULL,
    feedback_cycle text NOT NULL,
    dispatched_at timestamptz NOT NULL,
    accepted_at timestamptz,
    last_progress_at timestamptz,
    urge_count integer NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (item_id, unit_code)
);

-- The schedule: one row per (assignment, rule, step, day). The unique key is what makes "never
-- twice" a fact of the database: a replan deletes only rows still PLANNED and inserts with ON
-- CONFLICT DO NOTHING, so a reminder once SENT can never be planned, let alone sent, again.
CREATE TABLE planned_reminder (
    id bigserial PRIMARY KEY,
    item_id uuid NOT NULL,
    unit_code text NOT NULL,
    rule text NOT NULL,
    step integer NOT NULL,
    day date NOT NULL,
    status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'SENT', 'EXPIRED')),
    planned_at timestamptz NOT NULL,
    sent_at timestamptz,
    notification_id uuid,
    CONSTRAINT planned_reminder_once UNIQUE (item_id, unit_code, rule, step, day)
);
-- The tick's one query: the earliest PLANNED rows; none due costs one index probe.
CREATE INDEX planned_reminder_due ON planned_reminder (day, id) WHERE status = 'PLANNED';

-- The in-app inbox (站内信). audience: UNIT (the unit's handlers), UNIT_HEAD (its head), LEADER
-- (the item's responsible leader), OFFICE (the supervision office). xid: the transaction that last
-- wrote the row, for changedSince (the shared feed token); the trigger keeps it on every update.
CREATE TABLE notification (
    id uuid PRIMARY KEY,
    kind text NOT NULL,
    audience text NOT NULL,
    unit_code text NOT NULL,
    username text,
    item_id uuid NOT NULL,
    item_number text NOT NULL,
    title text NOT NULL,
    deadline date,
    subject text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL,
    reminder_id bigint UNIQUE,
    source_event_id uuid UNIQUE,
    ack_required boolean NOT NULL DEFAULT false,
    acked_at timestamptz,
    acked_by text,
    version bigint NOT NULL DEFAULT 1,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX notification_unit ON notification (unit_code, created_at DESC);
CREATE INDEX notification_audience ON notification (audience, created_at DESC);
CREATE INDEX notification_user ON notification (username, created_at DESC) WHERE username IS NOT NULL;
CREATE INDEX notification_open_urges ON notification (created_at) WHERE kind = 'URGE' AND acked_at IS NULL;

-- Read marks are per person: a supervisor opening a unit's notice does not mark it read for the unit.
CREATE TABLE notification_read (
    notification_id uuid NOT NULL REFERENCES notification (id),
    username text NOT NULL,
    read_at timestamptz NOT NULL,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (notification_id, username)
);
CREATE INDEX notification_read_user ON notification_read (username);

CREATE FUNCTION notification_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.xid := pg_current_xact_id();
    NEW.version := OLD.version + 1;
    RETURN NEW;
END $$;
CREATE TRIGGER notification_touch BEFORE UPDATE ON notification
    FOR EACH ROW EXECUTE FUNCTION notification_touch();
