-- A unit sees an assignment once it has been dispatched to it, and from then on. A draft's planned
-- assignments stay invisible even when the draft is cancelled (PLANNED -> CANCELLED), so the feed
-- keys on dispatched_at rather than on the status.
CREATE OR REPLACE FUNCTION record_assignment_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.dispatched_at IS NOT NULL THEN
        INSERT INTO assignment_change (unit_code, assignment_id, item_id) VALUES (NEW.unit_code, NEW.id, NEW.item_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION record_item_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO assignment_change (unit_code, assignment_id, item_id)
        SELECT a.unit_code, a.id, a.item_id FROM assignment a WHERE a.item_id = NEW.id AND a.dispatched_at IS NOT NULL;
    RETURN NULL;
END
$$;

-- Requests left pending when their assignment ends (reassigned, item cancelled or completed) are
-- withdrawn rather than left waiting for a decision that can no longer be taken.
UPDATE extension_request e SET status = 'WITHDRAWN', decided_at = now(), decided_by = 'system',
       decision_comment = '事项已结束或已转办，申请自动撤回'
  FROM assignment a
 WHERE e.assignment_id = a.id AND e.status = 'PENDING' AND a.status IN ('REASSIGNED', 'CANCELLED', 'DONE');
