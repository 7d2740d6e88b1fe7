-- reporting.assignments without per-row work that a query does not ask for (same columns, names,
-- types, order and meaning as V6).
-- V6 looked up the reassignment (LATERAL ... LIMIT 1), the decline time and the last progress report
-- (LATERAL ... LIMIT 1) for every assignment read, whether or not the query read those columns: a
-- year's summary at 100k items ran each ~100,000 times (bench/report/README.md). A LIMIT 1 lateral
-- cannot be dropped by the planner. Here every lookup is an aggregate without GROUP BY (exactly one
-- row per assignment), which the planner removes from a query that reads none of its columns (left
-- join to a relation provably unique), and the rare cases are gated by a condition on the assignment
-- itself (reassigned_to / decline_reason IS NOT NULL: a one-time filter, no index probe otherwise).
-- When a query does read them, each is an index lookup per assignment, as before.
-- Measured alternative, not taken: joins to subqueries grouped by assignment (DISTINCT ON / GROUP BY
-- item_id, id). They are removable too, and reach a single item by its id, but a query that reads the
-- last progress report (the warning board) then sorts every report of every assignment: 1.9 s
-- against 1.3 s for V6 at 100k items, where the board needs ~20,000 open assignments of 300,000.
-- Views are computed at every read, so nothing here can go stale as items change.

-- An item's DECLINE entries by unit: the decline lookup read timeline_action_idx (every DECLINE
-- entry since the dispatch, of all items) and filtered by item.
CREATE INDEX timeline_decline_idx ON task.timeline_entry (item_id, unit_code, occurred_at) WHERE action = 'DECLINE';

CREATE OR REPLACE VIEW reporting.assignments AS
SELECT a.id AS assignment_id, a.item_id, i.number AS item_number, a.unit_code, a.role, a.status,
       a.status NOT IN ('REASSIGNED', 'CANCELLED') AS held,
       a.deadline, a.original_deadline,
       a.dispatched_at, (a.dispatched_at AT TIME ZONE o.zone)::date AS dispatched_on,
       a.accepted_at, (a.accepted_at AT TIME ZONE o.zone)::date AS accepted_on,
       a.submitted_at, (a.submitted_at AT TIME ZONE o.zone)::date AS submitted_on,
       a.completed_at, (a.completed_at AT TIME ZONE o.zone)::date AS completed_on,
       a.urge_count,
       a.decline_reason IS NOT NULL AS declined,
       d.declined_at, (d.declined_at AT TIME ZONE o.zone)::date AS declined_on,
       a.decline_reason,
       a.reassigned_from, a.reassigned_to,
       s.dispatched_at AS reassigned_at, (s.dispatched_at AT TIME ZONE o.zone)::date AS reassigned_on,
       a.progress_percent,
       coalesce(p.reports, 0) AS progress_reports,
       p.report_id AS last_progress_report_id, p.percent AS last_progress_percent,
       p.reported_at AS last_progress_at, (p.reported_at AT TIME ZONE o.zone)::date AS last_progress_on
  FROM task.assignment a
  JOIN task.supervision_item i ON i.id = a.item_id
 CROSS JOIN task.office_setting o
  -- The assignment that took this one over (转办): the unit's first on the item after this one.
  LEFT JOIN LATERAL (SELECT (array_agg(b.dispatched_at ORDER BY b.created_at))[1] AS dispatched_at
                       FROM task.assignment b
                      WHERE a.reassigned_to IS NOT NULL
                        AND b.item_id = a.item_id AND b.unit_code = a.reassigned_to
                        AND b.reassigned_from = a.unit_code AND b.created_at >= a.created_at) s ON true
  -- When the unit declined (退回) this assignment: its DECLINE entry while it held it.
  LEFT JOIN LATERAL (SELECT max(t.occurred_at) AS declined_at
                       FROM task.timeline_entry t
                      WHERE a.decline_reason IS NOT NULL
                        AND t.item_id = a.item_id AND t.unit_code = a.unit_code AND t.action = 'DECLINE'
                        AND t.occurred_at >= a.dispatched_at
                        AND (s.dispatched_at IS NULL OR t.occurred_at <= s.dispatched_at)) d ON true
  -- The assignment's progress reports: how many, and the last one (latest reported_at, then id).
  LEFT JOIN LATERAL (SELECT count(*) AS reports,
                            (array_agg(r.id ORDER BY r.reported_at DESC, r.id DESC))[1] AS report_id,
                            (array_agg(r.percent ORDER BY r.reported_at DESC, r.id DESC))[1] AS percent,
                            max(r.reported_at) AS reported_at
                       FROM task.progress_report r
                      WHERE r.assignment_id = a.id) p ON true
 WHERE a.dispatched_at IS NOT NULL;

-- reporting.urges, the same way: the unit's assignment at the time of the urge was a LIMIT 1 lateral
-- run for every urge, also by the summary, which reads neither assignment_id nor role. As a one-row
-- aggregate it is dropped when unread, and an index lookup per urge when read, as before.
CREATE OR REPLACE VIEW reporting.urges AS
SELECT t.id AS urge_id, t.item_id, t.unit_code, b.assignment_id, b.role,
       t.occurred_at AS urged_at, (t.occurred_at AT TIME ZONE o.zone)::date AS urged_on,
       t.actor AS urged_by, t.note AS message, (t.after ->> 'urgeCount')::int AS urge_number
  FROM task.timeline_entry t
 CROSS JOIN task.office_setting o
  -- The unit's assignment at the time (a unit may hold an item twice, after a reassignment back).
  LEFT JOIN LATERAL (SELECT (array_agg(x.id ORDER BY x.dispatched_at DESC))[1] AS assignment_id,
                            ((array_agg(x.role ORDER BY x.dispatched_at DESC))[1])::varchar(8) AS role
                       FROM task.assignment x
                      WHERE x.item_id = t.item_id AND x.unit_code = t.unit_code AND x.dispatched_at <= t.occurred_at) b ON true
 WHERE t.action = 'URGE';
