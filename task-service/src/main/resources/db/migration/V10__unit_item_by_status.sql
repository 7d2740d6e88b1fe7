-- A unit's items of some statuses (the items in handling, which warning filters and most handler
-- lists ask for) are a small part of all its items: read them by status first, not by walking the
-- unit's whole history in deadline order.
CREATE INDEX unit_item_status_deadline_idx ON unit_item (unit_code, item_status, deadline, item_id);

-- The office's list sorted by last change walks an index like every other sort.
CREATE INDEX item_updated_idx ON supervision_item (updated_at, id);
