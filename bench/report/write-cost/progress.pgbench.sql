-- A progress report, as task-service's command writes it: item lock, the report, the assignment,
-- the timeline, the item's version. Per statement, the rollup recounts the item once (the report's
-- insert; the assignment's progress columns are not watched).
\set r random(1, :npick)
BEGIN;
SELECT item_id AS item, assignment_id AS asg, unit_code AS unit FROM public.bench_pick WHERE n = :r
\gset
SELECT id, version FROM supervision_item WHERE id = ':item' FOR NO KEY UPDATE;
SELECT id, status, deadline FROM assignment WHERE item_id = ':item';
INSERT INTO progress_report (id, item_id, assignment_id, unit_code, content, percent, reported_by, reported_at) VALUES (gen_random_uuid(), ':item', ':asg', ':unit', '本周完成外立面施工，下周验收', 60, 'pgbench', now());
UPDATE assignment SET progress_percent = 60, last_progress_at = now(), updated_at = now() WHERE id = ':asg';
INSERT INTO timeline_entry (item_id, occurred_at, actor, actor_role, action, unit_code, before, after, note, prev_hash, hash) VALUES (':item', now(), 'pgbench', 'unit', 'PROGRESS', ':unit', NULL, NULL, NULL, NULL, '');
UPDATE supervision_item SET version = version + 1, updated_at = now() WHERE id = ':item';
COMMIT;
