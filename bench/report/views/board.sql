WITH open AS (
  SELECT a.assignment_id, a.item_id, a.item_number, i.title, a.unit_code, a.role, a.status, a.deadline,
         i.feedback_cycle, coalesce(a.last_progress_at, a.dispatched_at) AS report_clock
    FROM reporting.assignments a JOIN reporting.items i ON i.item_id = a.item_id
   WHERE i.status IN ('ACTIVE', 'PENDING_REVIEW')
     AND a.status IN ('PENDING_ACCEPTANCE', 'DECLINED', 'IN_PROGRESS', 'SUBMITTED')),
lit AS (SELECT o.*, CASE WHEN o.status = 'SUBMITTED' THEN 'GREEN'
 WHEN o.deadline < DATE '2026-11-27' THEN 'RED' WHEN o.deadline <= DATE '2026-12-02' THEN 'YELLOW'
 WHEN o.status = 'IN_PROGRESS' AND (false
   OR (o.feedback_cycle = 'WEEKLY' AND o.report_clock < TIMESTAMPTZ '2026-11-20 00:00+08')
   OR (o.feedback_cycle = 'BIWEEKLY' AND o.report_clock < TIMESTAMPTZ '2026-11-13 00:00+08')
   OR (o.feedback_cycle = 'MONTHLY' AND o.report_clock < TIMESTAMPTZ '2026-10-27 00:00+08')) THEN 'YELLOW' ELSE 'GREEN' END AS level FROM open o)
SELECT unit_code, count(*) FILTER (WHERE level = 'RED'), count(*) FILTER (WHERE level = 'YELLOW'), count(*) FILTER (WHERE level = 'GREEN')
  FROM lit GROUP BY unit_code ORDER BY unit_code;
