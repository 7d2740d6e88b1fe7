-- What keeps lists and the mobile feed fast at a city's scale (a million items, 200 units).

-- 1. unit_item: one row per unit and item the unit holds a (not reassigned-away) assignment on, with
-- the item's sort keys copied beside it, so that a unit's page of its items is one index range scan,
-- however many items the city has. Kept by triggers: no code path can forget it.
--   received: the assignment was dispatched to the unit. This is the visibility rule of
--             io.duban.task.service.ItemAccess.seenThrough (a unit sees an item once an assignment
--             was dispatched to it, and until it is reassigned away), in SQL;
--   assignment_status: the unit's assignment's status (the supervisor's ?unit= filter skips CANCELLED).
CREATE TABLE unit_item (
    unit_code         varchar(32) NOT NULL,
    item_id           uuid        NOT NULL,
    received          boolean     NOT NULL,
    assignment_status varchar(24) NOT NULL,
    item_status       varchar(16) NOT NULL,
    deadline          date        NOT NULL,
    created_at        timestamptz NOT NULL,
    number            varchar(20) NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (unit_code, item_id)
);
CREATE INDEX unit_item_deadline_idx ON unit_item (unit_code, deadline, item_id);
CREATE INDEX unit_item_created_idx ON unit_item (unit_code, created_at, item_id);
CREATE INDEX unit_item_number_idx ON unit_item (unit_code, number, item_id);
CREATE INDEX unit_item_updated_idx ON unit_item (unit_code, updated_at, item_id);
CREATE INDEX unit_item_item_idx ON unit_item (item_id);

CREATE FUNCTION keep_unit_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND (TG_OP = 'DELETE' OR OLD.unit_code <> NEW.unit_code
                                          OR NEW.status = 'REASSIGNED') THEN
        DELETE FROM unit_item WHERE unit_code = OLD.unit_code AND item_id = OLD.item_id
            AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.item_id = OLD.item_id AND a.unit_code = OLD.unit_code
                                                         AND a.status <> 'REASSIGNED');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status <> 'REASSIGNED' THEN
        INSERT INTO unit_item (unit_code, item_id, received, assignment_status, item_status, deadline, created_at,
                               number, updated_at)
        SELECT NEW.unit_code, NEW.item_id, NEW.dispatched_at IS NOT NULL, NEW.status, i.status, i.deadline,
               i.created_at, i.number, i.updated_at
          FROM supervision_item i WHERE i.id = NEW.item_id
        ON CONFLICT (unit_code, item_id) DO UPDATE
            SET received = EXCLUDED.received, assignment_status = EXCLUDED.assignment_status;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER assignment_unit_item AFTER INSERT OR UPDATE OR DELETE ON assignment
    FOR EACH ROW EXECUTE FUNCTION keep_unit_item();

CREATE FUNCTION keep_unit_item_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE unit_item SET item_status = NEW.status, deadline = NEW.deadline, number = NEW.number,
                         created_at = NEW.created_at, updated_at = NEW.updated_at
     WHERE item_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER item_unit_item AFTER UPDATE ON supervision_item
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.deadline IS DISTINCT FROM NEW.deadline
                       OR OLD.updated_at IS DISTINCT FROM NEW.updated_at OR OLD.number IS DISTINCT FROM NEW.number)
    EXECUTE FUNCTION keep_unit_item_keys();

INSERT INTO unit_item (unit_code, item_id, received, assignment_status, item_status, deadline, created_at, number, updated_at)
SELECT a.unit_code, a.item_id, a.dispatched_at IS NOT NULL, a.status, i.status, i.deadline, i.created_at, i.number,
       i.updated_at
  FROM assignment a JOIN supervision_item i ON i.id = a.item_id
 WHERE a.status <> 'REASSIGNED';

-- 2. Title search by bigrams (二元分词): every pair of neighbouring characters of the lower-cased
-- title, indexed with GIN, so that a search of two or more characters (Chinese included, whatever the
-- database's locale) finds its candidates through the index; LIKE then checks them exactly.
CREATE FUNCTION title_bigrams(t text) RETURNS varchar[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(lower(t), n, 2))::varchar[], '{}')
      FROM generate_series(1, greatest(char_length(t) - 1, 0)) n
$$;
ALTER TABLE supervision_item ADD COLUMN title_grams varchar[] GENERATED ALWAYS AS (title_bigrams(title)) STORED;
CREATE INDEX item_title_grams_idx ON supervision_item USING gin (title_grams);

-- 3. The feed tells listeners which unit's list changed, at commit (LISTEN duban_feed): task-service
-- instances keep each unit's feed fingerprint in memory until then, so an unchanged poll costs no query.
CREATE OR REPLACE FUNCTION record_assignment_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.dispatched_at IS NOT NULL THEN
        INSERT INTO assignment_change (unit_code, assignment_id, item_id) VALUES (NEW.unit_code, NEW.id, NEW.item_id);
        PERFORM pg_notify('duban_feed', NEW.unit_code);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION record_item_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    u text;
BEGIN
    FOR u IN INSERT INTO assignment_change (unit_code, assignment_id, item_id)
             SELECT a.unit_code, a.id, a.item_id FROM assignment a
              WHERE a.item_id = NEW.id AND a.dispatched_at IS NOT NULL
             RETURNING unit_code LOOP
        PERFORM pg_notify('duban_feed', u);
    END LOOP;
    RETURN NULL;
END
$$;
