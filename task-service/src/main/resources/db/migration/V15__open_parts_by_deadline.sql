-- The open assignments by deadline, for report-service's overdue lists (issue 11: the overdue XLSX of
-- 10,000 rows at 1,000,000 items). task.report_part (V14) holds, per item and unit, the deadline of
-- its open held assignments ('infinity' once none is open), kept at every write's commit; the lists
-- started from every open item of the period and read each one's assignments to find the few whose
-- deadline had passed. With this index they start from the parts whose deadline is before the as-of
-- date, which is exact whenever no part of the period holds an event after the as-of time (the rule
-- the summary's cells follow; report-service checks it and otherwise reads the views as before).
CREATE INDEX report_part_open_deadline_idx ON task.report_part (deadline)
 WHERE kind = 'H' AND deadline < 'infinity';

-- For report-service (reporting contract: a new view; columns documented in task-service/README.md).
CREATE VIEW reporting.open_parts AS
SELECT p.item_id, p.unit_code, p.deadline, p.open_lead, p.open_assist, p.max_event_at
  FROM task.report_part p
 WHERE p.kind = 'H' AND p.deadline < 'infinity';
GRANT SELECT ON reporting.open_parts TO duban_report;
