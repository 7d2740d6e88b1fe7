-- An extension asked and approved in one transaction (the statements of the two commands): the
-- request, its decision, the assignment's new deadline, the timeline, the item's version. Per
-- statement, the rollup recounts the item three times (request insert, its update, the deadline).
\set r random(1, :npick)
BEGIN;
SELECT item_id AS item, assignment_id AS asg, unit_code AS unit FROM public.bench_pick WHERE n = :r
\gset
SELECT id, version FROM supervision_item WHERE id = ':item' FOR NO KEY UPDATE;
SELECT id, status, deadline FROM assignment WHERE item_id = ':item';
INSERT INTO extension_request (id, item_id, assignment_id, unit_code, current_deadline, requested_deadline, reason, status, requested_by, requested_at) SELECT gen_random_uuid(), ':item', ':asg', ':unit', deadline, deadline + 1, '现场施工受雨季影响', 'PENDING', 'pgbench', now() FROM assignment WHERE id = ':asg' RETURNING id AS ext
\gset
UPDATE extension_request SET status = 'APPROVED', decided_by = 'pgbench', decided_at = now() WHERE id = ':ext';
UPDATE assignment SET deadline = deadline + 1, updated_at = now() WHERE id = ':asg';
INSERT INTO timeline_entry (item_id, occurred_at, actor, actor_role, action, unit_code, before, after, note, prev_hash, hash) VALUES (':item', now(), 'pgbench', 'supervisor', 'APPROVE', ':unit', NULL, NULL, NULL, NULL, '');
UPDATE supervision_item SET version = version + 1, updated_at = now() WHERE id = ':item';
COMMIT;
