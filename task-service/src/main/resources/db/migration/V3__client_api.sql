-- What client-grade access needs: a change feed of each unit's assignments for mobile polling,
-- idempotent intake, and the calling system's own id on items.

-- Every change to an assignment a unit can see, written by triggers so that no code path can forget
-- it. `xid` orders changes by transaction: a delta returns everything from transactions the previous
-- read could not yet see (its snapshot's xmin), so a change committed late is never skipped.
CREATE TABLE assignment_change (
    seq           bigserial   PRIMARY KEY,
    unit_code     varchar(32) NOT NULL,
    assignment_id uuid        NOT NULL,
    item_id       uuid        NOT NULL,
    xid           xid8        NOT NULL DEFAULT pg_current_xact_id(),
    changed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assignment_change_unit_seq_idx ON assignment_change (unit_code, seq);
CREATE INDEX assignment_change_unit_xid_idx ON assignment_change (unit_code, xid);
CREATE INDEX assignment_change_time_idx ON assignment_change (changed_at);

CREATE FUNCTION record_assignment_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> 'PLANNED' THEN
        INSERT INTO assignment_change (unit_code, assignment_id, item_id) VALUES (NEW.unit_code, NEW.id, NEW.item_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER assignment_changed AFTER INSERT OR UPDATE ON assignment
    FOR EACH ROW EXECUTE FUNCTION record_assignment_change();

-- A change to the item (title, deadline, status, ...) changes every unit's view of it.
CREATE FUNCTION record_item_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO assignment_change (unit_code, assignment_id, item_id)
        SELECT a.unit_code, a.id, a.item_id FROM assignment a WHERE a.item_id = NEW.id AND a.status <> 'PLANNED';
    RETURN NULL;
END
$$;
CREATE TRIGGER item_changed AFTER UPDATE ON supervision_item
    FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version) EXECUTE FUNCTION record_item_change();

-- Idempotency-Key of item creation, per caller: the first response, replayed to retries.
CREATE TABLE idempotency_key (
    caller       varchar(64)  NOT NULL,
    key          varchar(200) NOT NULL,
    request_hash varchar(64)  NOT NULL,
    status       int          NOT NULL,
    location     varchar(500),
    etag         varchar(40),
    body         text         NOT NULL,
    created_at   timestamptz  NOT NULL,
    PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_key_time_idx ON idempotency_key (created_at);

ALTER TABLE supervision_item ADD COLUMN external_system varchar(64);
ALTER TABLE supervision_item ADD COLUMN external_ref varchar(128);
CREATE UNIQUE INDEX item_external_ref_uk ON supervision_item (external_system, external_ref)
    WHERE external_ref IS NOT NULL;
