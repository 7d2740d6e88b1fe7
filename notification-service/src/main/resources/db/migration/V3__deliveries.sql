-- Deliveries (issue 10, part 3): webhook subscriptions of other systems, and the delivery queue that
-- is also the delivery log. No foreign keys into the other parts' tables: a delivery names its
-- notice, event and item by id only.

CREATE TABLE subscription (
    id          uuid PRIMARY KEY,
    url         text        NOT NULL,
    -- The event types (io.duban.common.events.EventType names) the subscriber wants; '*' is every type.
    event_types text[]      NOT NULL,
    -- Kept as given: the service needs it to sign each POST. Never returned by the API.
    secret      text        NOT NULL,
    description text,
    active      boolean     NOT NULL DEFAULT true,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE delivery (
    id              uuid PRIMARY KEY,
    channel         text        NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'WEBHOOK')),
    -- The notice's kind (DEADLINE_REMINDER, URGE, ...) or the event's type for a webhook.
    kind            text        NOT NULL,
    notification_id uuid,
    event_id        uuid,
    subscription_id uuid,
    item_id         uuid,
    -- Whom the notice is for: the unit, and the person when it is for one person. The address is
    -- looked up in the directory when the delivery is first attempted.
    unit_code       text,
    username        text,
    -- The e-mail address, phone number or URL; null until the directory has been asked.
    recipient       text,
    subject         text,
    body            text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'SKIPPED')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    CHECK ((status = 'PENDING') = (next_attempt_at IS NOT NULL)),
    CHECK (channel <> 'WEBHOOK' OR (event_id IS NOT NULL AND subscription_id IS NOT NULL AND recipient IS NOT NULL))
);

-- The worker's claim: the due rows only, oldest first.
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status = 'PENDING';
-- The log, newest first, and its usual filters.
CREATE INDEX delivery_log ON delivery (created_at DESC, id DESC);
CREATE INDEX delivery_by_status ON delivery (status, created_at DESC, id DESC);
CREATE INDEX delivery_by_item ON delivery (item_id) WHERE item_id IS NOT NULL;
CREATE INDEX delivery_by_notification ON delivery (notification_id) WHERE notification_id IS NOT NULL;
-- One copy per notice, channel and address; one POST per event and subscription, however often the
-- event is applied.
CREATE UNIQUE INDEX delivery_once_per_address ON delivery (notification_id, channel, recipient)
    WHERE notification_id IS NOT NULL AND recipient IS NOT NULL;
CREATE UNIQUE INDEX delivery_once_per_event ON delivery (subscription_id, event_id) WHERE channel = 'WEBHOOK';
