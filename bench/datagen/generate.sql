-- Duban data generator: a city's task-service data in seconds, straight into a migrated database.
--   psql -v items=1000000 -v units=200 -v people=5000 -v open=0 -v seed=0.42 -f generate.sql
-- Run as a superuser (bench/datagen.sh does it all, on a database of its own). Replaces every item,
-- unit and person; keeps the calendar. Set-based inserts with triggers off (replica mode); what the
-- triggers would have written (the feed's change log, the timeline chain) is written here instead.
--
-- The mix: items dispatched evenly over the last three years; the older, the likelier completed
-- (open: 90% in the last 30 days, 30% in the 60 before, 3% beyond; or `open` for every item when it
-- is above 0); 3% cancelled, 0.5% drafts; priority 70/25/5; feedback none/weekly/biweekly/monthly
-- 50/30/10/10; one lead unit and 0-4 assist units (3 assignments an item on average); extensions on
-- 12% (8% approved); about 10 timeline entries and 2 progress reports an item.
--
-- Nothing happens after now(): a completion, cancellation, dispatch, urge or extension that the mix
-- would place in the future is put at now() (reports as of now would otherwise see, say, a COMPLETED
-- item whose completion has not happened yet).
--
-- Generated timelines link by hash (prev_hash is the previous entry's hash) but their hashes are not
-- computed over their content: GET /timeline/verify reports them as CONTENT breaks. The chain of
-- anything written through the API afterwards is real.
\set ON_ERROR_STOP on
\if :{?items} \else \set items 1000000 \endif
\if :{?units} \else \set units 200 \endif
\if :{?people} \else \set people 5000 \endif
\if :{?open} \else \set open 0 \endif
\if :{?seed} \else \set seed 0.42 \endif

\timing on
BEGIN;
SET LOCAL session_replication_role = replica;
SET LOCAL search_path = task;
SET LOCAL work_mem = '256MB';
SELECT setseed(:seed);

TRUNCATE unit_item, assignment_change, outbox_event, timeline_entry, progress_report, extension_request, instruction,
         assignment, supervision_item, item_number_counter, idempotency_key, person, unit;

INSERT INTO unit (code, name, short_name, contact_email, phone, active, created_at)
SELECT 'U' || lpad(n::text, 3, '0'), '第' || n || '承办单位', '单位' || n, 'u' || n || '@example.gov.cn', '010-' || (60000000 + n),
       true, now() - interval '4 years'
  FROM generate_series(1, :units) n;
INSERT INTO unit (code, name, short_name, active, created_at) VALUES ('DCS', '区政府督查室', '督查室', true, now() - interval '4 years');

INSERT INTO person (id, username, name, unit_code, role, title, email, created_at)
SELECT gen_random_uuid(), 'p' || n, '人员' || n, 'U' || lpad((1 + (n - 1) % :units)::text, 3, '0'),
       CASE WHEN n % 25 = 0 THEN 'LEADER' ELSE 'HANDLER' END, '科员', 'p' || n || '@example.gov.cn', now() - interval '4 years'
  FROM generate_series(1, :people) n;

-- Items, with their fate decided once (r_* are uniform randoms).
CREATE TEMP TABLE gen_item ON COMMIT DROP AS
SELECT n, gen_random_uuid() AS id, created_at, lead_idx, r_status, r_fate, r_prio, r_cycle, r_src, r_ext, r_late, assists,
       least(created_at + make_interval(hours => (r_disp * 48)::int), now()) AS dispatched_at,
       (created_at + make_interval(days => 5 + (r_days * 55)::int))::date AS deadline
  FROM (SELECT n, now() - make_interval(secs => (random() * 3 * 365 * 86400)::int) AS created_at,
               1 + (random() * (:units - 1))::int AS lead_idx, random() AS r_status, random() AS r_fate, random() AS r_prio,
               random() AS r_cycle, random() AS r_src, random() AS r_ext, random() AS r_late, random() AS r_disp,
               random() AS r_days, floor(random() * 5)::int AS assists
          FROM generate_series(1, :items) n) g;

ALTER TABLE gen_item ADD COLUMN p_open float8, ADD COLUMN status text;
UPDATE gen_item SET p_open = CASE WHEN :open > 0 THEN :open
                                  WHEN created_at > now() - interval '30 days' THEN 0.9
                                  WHEN created_at > now() - interval '90 days' THEN 0.3 ELSE 0.03 END;
UPDATE gen_item SET status = CASE
    WHEN r_fate < 0.005 AND created_at > now() - interval '30 days' THEN 'DRAFT'
    WHEN r_fate > 0.97 THEN 'CANCELLED'
    WHEN r_status < 0.1 * p_open THEN 'PENDING_REVIEW'
    WHEN r_status < p_open THEN 'ACTIVE'
    ELSE 'COMPLETED' END;

INSERT INTO supervision_item (id, number, title, description, source_type, source_ref, priority, category, responsible_leader,
        deadline, original_deadline, feedback_cycle, status, lead_unit_code, rating, completed_on_time, created_by, created_at,
        updated_at, dispatched_at, completed_at, cancelled_at, version, deadline_working_days, deadline_calendar_complete)
SELECT id,
       'DB-' || extract(year FROM created_at)::int || '-' || lpad((row_number() OVER (PARTITION BY extract(year FROM created_at) ORDER BY created_at, n))::text, 6, '0'),
       (ARRAY['城东', '城西', '滨河', '高新', '新城', '老城', '港区', '北部', '南湖', '东山'])[1 + n % 10]
         || (ARRAY['老旧小区改造', '背街小巷整治', '河道清淤', '学校扩建', '养老服务', '停车难治理', '营商环境优化',
                   '垃圾分类', '安全生产检查', '防汛准备', '道路修缮', '菜市场提升', '公厕改造', '社区医院建设',
                   '企业用工', '农民工工资', '噪音投诉', '供暖保障', '电动车充电', '绿化提升'])[1 + (n / 10) % 20]
         || (ARRAY['的批示', '专项工作', '议定事项', '督办件', '群众诉求', '代表建议', '委员提案', '整改任务'])[1 + floor(r_src * 8)::int]
         || '（' || n || '）',
       '请承办单位按期办结并反馈。',
       (ARRAY['LEADER_INSTRUCTION', 'MEETING_DECISION', 'SUPERIOR_ASSIGNMENT', 'WORK_REPORT', 'PROPOSAL', 'PROPOSAL', 'PUBLIC_APPEAL'])[1 + floor(r_src * 7)::int],
       '区府办〔' || extract(year FROM created_at)::int || '〕' || (n % 500) || '号',
       CASE WHEN r_prio < 0.7 THEN 'NORMAL' WHEN r_prio < 0.95 THEN 'URGENT' ELSE 'CRITICAL' END,
       (ARRAY['城市建设', '民生保障', '营商环境', '生态环境', '安全生产'])[1 + (n % 5)],
       (ARRAY['王副区长', '李副区长', '张区长'])[1 + (n % 3)],
       deadline + CASE WHEN r_ext < 0.08 THEN 10 + (r_ext * 250)::int ELSE 0 END, deadline,
       CASE WHEN r_cycle < 0.5 THEN 'NONE' WHEN r_cycle < 0.8 THEN 'WEEKLY' WHEN r_cycle < 0.9 THEN 'BIWEEKLY' ELSE 'MONTHLY' END,
       status, 'U' || lpad(lead_idx::text, 3, '0'),
       CASE WHEN status = 'COMPLETED' THEN (ARRAY['EXCELLENT', 'GOOD', 'GOOD', 'FAIR', 'POOR'])[1 + floor(r_late * 5)::int] END,
       CASE WHEN status = 'COMPLETED' THEN r_late < 0.85 END,
       'p25', created_at, created_at + interval '1 hour',
       CASE WHEN status <> 'DRAFT' THEN dispatched_at END,
       CASE WHEN status = 'COMPLETED' THEN least((deadline + CASE WHEN r_late < 0.85 THEN -(r_late * 10)::int ELSE (r_late * 20)::int END)::timestamptz + interval '15 hours', now()) END,
       CASE WHEN status = 'CANCELLED' THEN least(dispatched_at + interval '3 days', now()) END,
       3, NULL, true
  FROM gen_item;

INSERT INTO item_number_counter (year, last)
SELECT extract(year FROM created_at)::int, count(*) FROM gen_item GROUP BY 1;

-- Assignments: the lead unit, then 0-4 assist units spread over the others.
INSERT INTO assignment (id, item_id, unit_code, role, status, deadline, original_deadline, progress_percent, last_progress_at,
        urge_count, accepted_at, submitted_at, completed_at, created_at, updated_at, dispatched_at)
SELECT gen_random_uuid(), i.id, 'U' || lpad((1 + (i.lead_idx - 1 + k * 37) % :units)::text, 3, '0'),
       CASE WHEN k = 0 THEN 'LEAD' ELSE 'ASSIST' END,
       CASE i.status WHEN 'DRAFT' THEN 'PLANNED' WHEN 'CANCELLED' THEN 'CANCELLED' WHEN 'COMPLETED' THEN 'DONE'
                     WHEN 'PENDING_REVIEW' THEN 'SUBMITTED'
                     ELSE CASE WHEN r < 0.15 THEN 'PENDING_ACCEPTANCE' WHEN r < 0.85 THEN 'IN_PROGRESS' WHEN r < 0.97 THEN 'SUBMITTED' ELSE 'DECLINED' END END,
       s.deadline, s.original_deadline, CASE WHEN i.status = 'COMPLETED' THEN 100 ELSE (r * 90)::int END,
       CASE WHEN r > 0.3 AND i.status <> 'DRAFT' THEN i.dispatched_at + (now() - i.dispatched_at) * r END,
       CASE WHEN r > 0.9 AND i.status <> 'DRAFT' THEN 1 + (r * 10)::int % 3 ELSE 0 END,
       CASE WHEN i.status NOT IN ('DRAFT') THEN least(i.dispatched_at + interval '1 day', now()) END,
       CASE WHEN i.status IN ('PENDING_REVIEW', 'COMPLETED') THEN s.completed_at - interval '1 day' END,
       s.completed_at, i.created_at, coalesce(s.completed_at, s.cancelled_at, i.dispatched_at, i.created_at),
       CASE WHEN i.status <> 'DRAFT' THEN i.dispatched_at END
  FROM gen_item i
  JOIN supervision_item s ON s.id = i.id
  CROSS JOIN LATERAL generate_series(0, i.assists) k
  CROSS JOIN LATERAL (SELECT random() AS r, k AS correlated) rr;
UPDATE assignment a SET deadline = s.deadline FROM supervision_item s
 WHERE a.item_id = s.id AND a.role = 'LEAD' AND s.deadline <> s.original_deadline;

-- Extension requests: approved where the item's deadline moved, else pending or rejected on some.
INSERT INTO extension_request (id, item_id, assignment_id, unit_code, current_deadline, requested_deadline, reason, status,
        requested_by, requested_at, decided_by, decided_at, decision_comment)
SELECT gen_random_uuid(), a.item_id, a.id, a.unit_code, s.original_deadline,
       CASE WHEN s.deadline <> s.original_deadline THEN s.deadline ELSE s.original_deadline + 15 END,
       '涉及多个部门协调，申请延期', CASE WHEN s.deadline <> s.original_deadline THEN 'APPROVED'
            WHEN i.r_ext < 0.11 AND a.status IN ('IN_PROGRESS') THEN 'PENDING' ELSE 'REJECTED' END,
       'p1', least(s.dispatched_at + interval '5 days', now()),
       CASE WHEN s.deadline <> s.original_deadline OR i.r_ext >= 0.11 THEN 'p25' END,
       CASE WHEN s.deadline <> s.original_deadline OR i.r_ext >= 0.11 THEN least(s.dispatched_at + interval '6 days', now()) END, NULL
  FROM gen_item i JOIN supervision_item s ON s.id = i.id JOIN assignment a ON a.item_id = i.id AND a.role = 'LEAD'
 WHERE i.r_ext < 0.12 AND s.dispatched_at IS NOT NULL;

-- Progress reports: about two per dispatched assignment of an item with periodic feedback.
INSERT INTO progress_report (id, item_id, assignment_id, unit_code, content, percent, reported_by, reported_at)
SELECT gen_random_uuid(), a.item_id, a.id, a.unit_code, '本阶段工作进展情况：已按计划推进。', least(100, 20 * k),
       'p' || (1 + k), a.dispatched_at + (coalesce(a.last_progress_at, now()) - a.dispatched_at) * (k / 4.0)
  FROM assignment a JOIN supervision_item s ON s.id = a.item_id
 CROSS JOIN LATERAL generate_series(1, CASE WHEN s.feedback_cycle = 'NONE' THEN 1 ELSE 2 END) k
 WHERE a.dispatched_at IS NOT NULL AND a.last_progress_at IS NOT NULL;

-- The timeline: registration, dispatch, each unit's acceptance and reports, urges, the close.
INSERT INTO timeline_entry (item_id, occurred_at, actor, actor_role, action, unit_code, before, after, note, hash, prev_hash)
SELECT item_id, occurred_at, actor, actor_role, action, unit_code, before, after, note, h,
       lag(h) OVER (PARTITION BY item_id ORDER BY rn)
  FROM (SELECT t.*, encode(sha256(convert_to(t.item_id::text || ':' || t.rn, 'UTF8')), 'hex') AS h
          FROM (SELECT u.*, row_number() OVER (ORDER BY u.item_id, u.ord, u.occurred_at) AS rn FROM (
    SELECT s.id AS item_id, s.created_at AS occurred_at, 'p25' AS actor, 'supervisor' AS actor_role, 'CREATE' AS action,
           NULL AS unit_code, NULL::jsonb AS before, jsonb_build_object('status', 'DRAFT', 'title', s.title) AS after, NULL AS note, 1 AS ord
      FROM supervision_item s
    UNION ALL
    SELECT s.id, s.dispatched_at, 'p25', 'supervisor', 'DISPATCH', NULL, '{"status":"DRAFT"}', '{"status":"ACTIVE"}', NULL, 2
      FROM supervision_item s WHERE s.dispatched_at IS NOT NULL
    UNION ALL
    SELECT a.item_id, a.accepted_at, 'p' || (1 + abs(hashtext(a.unit_code)) % 5000), 'handler', 'ACCEPT', a.unit_code,
           '{"status":"PENDING_ACCEPTANCE"}', '{"status":"IN_PROGRESS"}', NULL, 3
      FROM assignment a WHERE a.accepted_at IS NOT NULL AND a.status <> 'PENDING_ACCEPTANCE'
    UNION ALL
    SELECT p.item_id, p.reported_at, p.reported_by, 'handler', 'REPORT_PROGRESS', p.unit_code, NULL,
           jsonb_build_object('percent', p.percent), p.content, 4
      FROM progress_report p
    UNION ALL
    SELECT a.item_id, least(a.dispatched_at + interval '20 days', now()), 'p25', 'supervisor', 'URGE', a.unit_code, NULL,
           jsonb_build_object('urgeCount', a.urge_count), '请加快办理', 5
      FROM assignment a WHERE a.urge_count > 0 AND a.dispatched_at IS NOT NULL
    UNION ALL
    SELECT s.id, coalesce(s.completed_at, s.cancelled_at), 'p25', 'supervisor',
           CASE s.status WHEN 'COMPLETED' THEN 'APPROVE' ELSE 'CANCEL' END, NULL, NULL,
           jsonb_build_object('status', s.status), NULL, 6
      FROM supervision_item s WHERE s.status IN ('COMPLETED', 'CANCELLED')
          ) u) t) chained
 ORDER BY rn;
-- (The hashes above are stand-ins: unique, linked in order, not computed over the content.)
UPDATE supervision_item s SET timeline_head = h.hash
  FROM (SELECT DISTINCT ON (item_id) item_id, hash FROM timeline_entry ORDER BY item_id, id DESC) h
 WHERE h.item_id = s.id;

-- Each unit's standing on its items (V9's unit_item), as its triggers would have kept it.
INSERT INTO unit_item (unit_code, item_id, received, assignment_status, item_status, deadline, created_at, number, updated_at)
SELECT a.unit_code, a.item_id, a.dispatched_at IS NOT NULL, a.status, i.status, i.deadline, i.created_at, i.number,
       i.updated_at
  FROM assignment a JOIN supervision_item i ON i.id = a.item_id
 WHERE a.status <> 'REASSIGNED';

-- The summary's pre-aggregated cells (V14) and the open rows (V16), which their triggers would have
-- kept. Statistics first: without them the planner takes the million fresh rows for a few and the
-- rebuild ran for more than half an hour at 1,000,000 items instead of minutes.
ANALYZE;
SELECT task.report_rollup_rebuild();

-- The feed's change log within its retention: what the triggers would have logged for recent changes.
INSERT INTO assignment_change (unit_code, assignment_id, item_id, changed_at)
SELECT a.unit_code, a.id, a.item_id, a.updated_at
  FROM assignment a CROSS JOIN LATERAL generate_series(1, 1 + (abs(hashtext(a.id::text)) % 3))
 WHERE a.dispatched_at IS NOT NULL AND a.updated_at > now() - interval '30 days';

COMMIT;
VACUUM ANALYZE;

SELECT (SELECT count(*) FROM task.supervision_item) AS items,
       (SELECT count(*) FROM task.supervision_item WHERE status IN ('ACTIVE', 'PENDING_REVIEW')) AS in_handling,
       (SELECT count(*) FROM task.assignment) AS assignments,
       (SELECT count(*) FROM task.timeline_entry) AS timeline,
       (SELECT count(*) FROM task.progress_report) AS reports,
       (SELECT count(*) FROM task.assignment_change) AS changes;
