-- WarningBoard.board as report-service sends it (all units); psql variables today, horizon (from the board's JSON),
-- weekly, biweekly, monthly (the feedback cutoffs: today minus 1 week, 2 weeks, 1 month).
SELECT unit_code, coalesce(sum(n) FILTER (WHERE level = 'RED'), 0),
 coalesce(sum(n) FILTER (WHERE level = 'YELLOW'), 0), coalesce(sum(n) FILTER (WHERE level = 'GREEN'), 0)
 FROM (SELECT c.unit_code, c.n, CASE WHEN c.status = 'SUBMITTED' THEN 'GREEN'
 WHEN c.deadline < CAST(:'today' AS date) THEN 'RED' WHEN c.deadline <= CAST(:'horizon' AS date) THEN 'YELLOW'
 WHEN c.status = 'IN_PROGRESS' AND (false OR (c.feedback_cycle = 'WEEKLY' AND c.report_on < CAST(:'weekly' AS date))
   OR (c.feedback_cycle = 'BIWEEKLY' AND c.report_on < CAST(:'biweekly' AS date))
   OR (c.feedback_cycle = 'MONTHLY' AND c.report_on < CAST(:'monthly' AS date))) THEN 'YELLOW' ELSE 'GREEN' END AS level
 FROM reporting.board_cells c WHERE c.n <> 0) l GROUP BY unit_code HAVING sum(n) > 0 ORDER BY unit_code;
