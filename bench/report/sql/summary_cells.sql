-- SummaryReport.fromCells as report-service sends it (groupBy=unit, no filter; the ranges of SummaryReport.CellRanges); psql variables as_of, from, to, fm and tm (the whole months [fm, tm)), he (the first
-- ragged end is [from, he)).
WITH q AS (SELECT (CAST(:'as_of' AS timestamptz) AT TIME ZONE o.zone)::date AS as_of_day FROM reporting.office o)
SELECT c.unit_code AS k, sum(c.received), sum(c.completed), sum(c.on_time), sum(c.completed) - sum(c.on_time),
 sum(c.received) - sum(c.completed), sum(c.open_lead) FILTER (WHERE c.deadline < q.as_of_day),
 sum(c.open_lead * (t.working_index - (SELECT d.working_index FROM reporting.working_day d WHERE d.day = c.deadline))) FILTER (WHERE c.deadline < q.as_of_day),
 sum(c.cancelled), sum(c.ext_asked), sum(c.ext_approved), sum(c.urges), sum(c.declines),
 sum(c.assist_received), sum(c.assist_completed), sum(c.handling_days),
 sum(c.open_assist) FILTER (WHERE c.deadline < q.as_of_day),
 sum(c.held) > 0 OR sum(c.ext_asked + c.urges + c.declines) > 0 AS shown, max(c.max_event_at) AS last_event
 FROM q CROSS JOIN reporting.summary_cells c
 LEFT JOIN reporting.working_day t ON t.day = q.as_of_day
 WHERE (c.grain = 'M' AND c.day >= CAST(:'fm' AS date) AND c.day < CAST(:'tm' AS date))
    OR (c.grain = 'D' AND c.day >= CAST(:'from' AS date) AND c.day < CAST(:'he' AS date))
    OR (c.grain = 'D' AND c.day >= CAST(:'tm' AS date) AND c.day <= CAST(:'to' AS date))
 GROUP BY 1 ORDER BY 1;
