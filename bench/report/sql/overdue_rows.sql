-- ReportRows.rows for the overdue list as report-service sends it while the items stand at the as-of
-- time (Figures.standsAt; always for as-of now): Figures.held's rows from the open assignments (V16),
-- all rows (the exports; run.sh adds LIMIT 101 for the JSON first page of 100, whose statement also
-- selects h.assignment_id for the cursor); psql variable as_of.
WITH q AS (
  SELECT CAST(:'as_of' AS timestamptz) AS as_of, (CAST(:'as_of' AS timestamptz) AT TIME ZONE o.zone)::date AS as_of_day, o.zone
    FROM reporting.office o),
held AS (
  SELECT o.assignment_id, o.item_id, o.unit_code, o.role, o.status, o.item_number AS number, o.title,
         o.source_type, o.priority, o.category, o.responsible_leader, o.dispatched_on, o.deadline,
         o.last_progress_at, o.last_progress_percent, o.urges, o.last_urged_at,
         true AS received, false AS completed, false AS cancelled, true AS overdue, q.as_of, q.as_of_day
    FROM q CROSS JOIN reporting.open_assignments o
   WHERE o.role = 'LEAD' AND o.deadline < (SELECT q.as_of_day FROM q))
SELECT h.item_id, h.number, h.title, h.unit_code, u.name AS unit_name, h.role, h.status,
 h.responsible_leader, h.source_type, h.priority, h.category, h.dispatched_on, h.deadline,
 (SELECT wb.working_index - wa.working_index FROM reporting.working_day wa, reporting.working_day wb WHERE wa.day = h.deadline AND wb.day = h.as_of_day) AS working_days_overdue,
 (extract(epoch FROM CASE WHEN h.last_progress_at > h.as_of THEN p.reported_at ELSE h.last_progress_at END) * 1000000)::int8 AS reported_us,
 CASE WHEN h.last_progress_at > h.as_of THEN p.percent ELSE h.last_progress_percent END AS percent,
 CASE WHEN h.last_urged_at > h.as_of THEN (SELECT count(*) FROM reporting.urges g WHERE g.item_id = h.item_id
     AND g.unit_code = h.unit_code AND g.assignment_id = h.assignment_id AND g.urged_at <= h.as_of) ELSE h.urges END AS urges
 FROM held h
 LEFT JOIN reporting.units u ON u.unit_code = h.unit_code
 LEFT JOIN LATERAL (SELECT r.reported_at, r.percent FROM reporting.progress_reports r
     WHERE h.last_progress_at > h.as_of AND r.assignment_id = h.assignment_id AND r.reported_at <= h.as_of
     ORDER BY r.reported_at DESC LIMIT 1) p ON true
 WHERE h.role = 'LEAD' AND h.overdue
 ORDER BY h.deadline, h.number, h.unit_code, h.assignment_id;
