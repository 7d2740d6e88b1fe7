-- A tamper-evident timeline. Each entry carries the SHA-256 of its content and of the previous
-- entry's hash for the same item, so that changing, removing or reordering an entry behind the
-- application's back breaks the chain from there on; the item keeps the newest hash (timeline_head),
-- so that removing the last entries shows too. GET /tasks/{id}/timeline/verify checks it.

ALTER TABLE timeline_entry ADD COLUMN prev_hash char(64);
ALTER TABLE timeline_entry ADD COLUMN hash char(64);
ALTER TABLE supervision_item ADD COLUMN timeline_head char(64);

-- The one definition of an entry's hash. Fields are joined by U+001F and a missing value is U+001E:
-- neither can occur in stored text (the API refuses control characters), so no two different entries
-- read the same. Timestamps in UTC with microseconds, JSON as PostgreSQL's normalised jsonb text.
CREATE FUNCTION timeline_entry_hash(prev char(64), e timeline_entry) RETURNS char(64)
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws(chr(31),
        coalesce(prev, chr(30)), e.id::text, e.item_id::text,
        to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.actor, e.actor_role, e.action, coalesce(e.unit_code, chr(30)),
        coalesce(e.before::text, chr(30)), coalesce(e.after::text, chr(30)), coalesce(e.note, chr(30))), 'UTF8')), 'hex')
$$;

-- Existing entries, chained in the order they were written. The append-only trigger is set aside
-- for this one backfill, by the schema's owner.
ALTER TABLE timeline_entry DISABLE TRIGGER timeline_append_only;
DO $$
DECLARE
    r timeline_entry;
    prev char(64);
    current_item uuid;
BEGIN
    FOR r IN SELECT * FROM timeline_entry ORDER BY item_id, id LOOP
        IF current_item IS DISTINCT FROM r.item_id THEN
            IF current_item IS NOT NULL THEN
                UPDATE supervision_item SET timeline_head = prev WHERE id = current_item;
            END IF;
            prev := NULL;
            current_item := r.item_id;
        END IF;
        UPDATE timeline_entry SET prev_hash = prev, hash = timeline_entry_hash(prev, r) WHERE id = r.id;
        prev := timeline_entry_hash(prev, r);
    END LOOP;
    IF current_item IS NOT NULL THEN
        UPDATE supervision_item SET timeline_head = prev WHERE id = current_item;
    END IF;
END
$$;
ALTER TABLE timeline_entry ENABLE TRIGGER timeline_append_only;
ALTER TABLE timeline_entry ALTER COLUMN hash SET NOT NULL;

-- Every new entry links to the item's newest one, and becomes the item's head. Writers of an item's
-- timeline hold the item's row lock, so the newest entry is well defined; the unique index makes a
-- fork (two entries after the same one) impossible even for a writer that forgot the lock.
CREATE FUNCTION timeline_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT t.hash INTO NEW.prev_hash FROM timeline_entry t WHERE t.item_id = NEW.item_id ORDER BY t.id DESC LIMIT 1;
    NEW.hash := timeline_entry_hash(NEW.prev_hash, NEW);
    UPDATE supervision_item SET timeline_head = NEW.hash WHERE id = NEW.item_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER timeline_chained BEFORE INSERT ON timeline_entry
    FOR EACH ROW EXECUTE FUNCTION timeline_chain();
CREATE UNIQUE INDEX timeline_chain_uk ON timeline_entry (item_id, coalesce(prev_hash, ''));
