-- ReportRows.rows for the overdue list (Figures.held with the open items' predicate, standing) as report-service sends it,
-- all rows (the exports; run.sh adds LIMIT 100 for the JSON first page); psql variable as_of.
WITH q AS (
  SELECT CAST(:'as_of' AS timestamptz) AS as_of, (CAST(:'as_of' AS timestamptz) AT TIME ZONE o.zone)::date AS as_of_day, o.zone
    FROM reporting.office o),
it AS MATERIALIZED (
  SELECT i.item_id, i.number, i.title, i.source_type, i.priority, i.category, i.responsible_leader, i.rating,
         i.dispatched_on, i.completed_at, i.completed_on, i.cancelled_at, i.feedback_cycle
    FROM reporting.items i
   WHERE i.dispatched_at IS NOT NULL AND (i.completed_at IS NULL OR i.completed_at > CAST(:'as_of' AS timestamptz))
     AND (i.cancelled_at IS NULL OR i.cancelled_at > CAST(:'as_of' AS timestamptz))
     -- While no monthly cell holds an event after the as-of time (Figures.standsAt), only the items with an
     -- open assignment past its deadline (V15); without this line, the query as it runs otherwise.
     AND i.item_id IN (SELECT p.item_id FROM reporting.open_parts p WHERE p.deadline < (SELECT q.as_of_day FROM q))),
raw AS (
  SELECT a.assignment_id, a.item_id, a.unit_code, a.role, a.status, a.dispatched_at,
         it.number, it.title, it.source_type, it.priority, it.category, it.responsible_leader, it.rating,
         it.dispatched_on, it.completed_at, it.completed_on, it.cancelled_at, it.feedback_cycle,
         coalesce((SELECT e.current_deadline FROM reporting.extension_requests e
                    WHERE e.item_id = a.item_id AND e.assignment_id = a.assignment_id
                      AND e.status = 'APPROVED' AND e.decided_at > q.as_of
                    ORDER BY e.decided_at LIMIT 1), a.deadline) AS deadline,
         q.as_of, q.as_of_day
    FROM q CROSS JOIN it
   CROSS JOIN LATERAL (SELECT x.assignment_id, x.item_id, x.unit_code, x.role, x.status, x.dispatched_at,
                              x.deadline, x.reassigned_at, x.declined, x.declined_at
                         FROM reporting.assignments x WHERE x.item_id = it.item_id OFFSET 0) a
   WHERE a.dispatched_at <= q.as_of
     AND (a.reassigned_at IS NULL OR a.reassigned_at > q.as_of)
     AND NOT (a.declined AND a.declined_at <= q.as_of)),
held AS (
  SELECT r.*,
         r.cancelled_at IS NOT NULL AND r.cancelled_at <= r.as_of AS cancelled,
         (r.cancelled_at IS NULL OR r.cancelled_at > r.as_of) AS received,
         (r.cancelled_at IS NULL OR r.cancelled_at > r.as_of) AND coalesce(r.completed_at <= r.as_of, false) AS completed,
         (r.cancelled_at IS NULL OR r.cancelled_at > r.as_of)
           AND (r.completed_at IS NULL OR r.completed_at > r.as_of) AND r.deadline < r.as_of_day AS overdue
    FROM raw r)
SELECT h.item_id, h.number, h.title, h.unit_code, u.name AS unit_name, h.role, h.status,
 h.responsible_leader, h.source_type, h.priority, h.category, h.dispatched_on, h.deadline,
 (SELECT wb.working_index - wa.working_index FROM reporting.working_day wa, reporting.working_day wb WHERE wa.day = h.deadline AND wb.day = h.as_of_day) AS working_days_overdue,
 p.reported_at, p.percent,
 (SELECT count(*) FROM reporting.urges g WHERE g.item_id = h.item_id AND g.unit_code = h.unit_code
     AND g.assignment_id = h.assignment_id AND g.urged_at <= h.as_of) AS urges,
 (SELECT q.as_of_day FROM q) AS as_of_day
 FROM held h
 LEFT JOIN reporting.units u ON u.unit_code = h.unit_code
 LEFT JOIN LATERAL (SELECT r.reported_at, r.percent FROM reporting.progress_reports r
     WHERE r.assignment_id = h.assignment_id AND r.reported_at <= h.as_of
     ORDER BY r.reported_at DESC LIMIT 1) p ON true
 WHERE h.role = 'LEAD' AND h.overdue
 ORDER BY h.deadline, h.number, h.unit_code, h.assignment_id;
