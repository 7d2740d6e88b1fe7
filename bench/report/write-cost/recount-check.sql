-- Cells (summary and board) that differ from a recount from the views: 0 when the rollup is right.
WITH fresh AS (
  SELECT g.grain, kind, unit_code, g.day, deadline, sum(held) held, sum(received) received, sum(completed) completed,
         sum(on_time) on_time, sum(cancelled) cancelled, sum(handling_days) handling_days, sum(open_lead) open_lead,
         sum(assist_received) assist_received, sum(assist_completed) assist_completed, sum(open_assist) open_assist,
         sum(ext_asked) ext_asked, sum(ext_approved) ext_approved, sum(urges) urges, sum(declines) declines
    FROM task.report_part_source p
   CROSS JOIN LATERAL (VALUES ('D', p.day), ('M', date_trunc('month', p.day)::date)) g (grain, day)
   GROUP BY 1, 2, 3, 4, 5),
board_fresh AS (SELECT unit_code, status, deadline, feedback_cycle, report_on, sum(n) AS n
                  FROM task.board_part_source GROUP BY 1, 2, 3, 4, 5)
SELECT (SELECT count(*) FROM fresh s FULL JOIN task.report_cell k ON k.grain = s.grain AND k.kind = s.kind
          AND k.unit_code IS NOT DISTINCT FROM s.unit_code AND k.day = s.day AND k.deadline = s.deadline
         WHERE (coalesce(s.held, 0), coalesce(s.received, 0), coalesce(s.completed, 0), coalesce(s.on_time, 0),
                coalesce(s.cancelled, 0), coalesce(s.handling_days, 0), coalesce(s.open_lead, 0),
                coalesce(s.assist_received, 0), coalesce(s.assist_completed, 0), coalesce(s.open_assist, 0),
                coalesce(s.ext_asked, 0), coalesce(s.ext_approved, 0), coalesce(s.urges, 0), coalesce(s.declines, 0))
               IS DISTINCT FROM
               (coalesce(k.held, 0), coalesce(k.received, 0), coalesce(k.completed, 0), coalesce(k.on_time, 0),
                coalesce(k.cancelled, 0), coalesce(k.handling_days, 0), coalesce(k.open_lead, 0),
                coalesce(k.assist_received, 0), coalesce(k.assist_completed, 0), coalesce(k.open_assist, 0),
                coalesce(k.ext_asked, 0), coalesce(k.ext_approved, 0), coalesce(k.urges, 0), coalesce(k.declines, 0)))
       + (SELECT count(*) FROM board_fresh f FULL JOIN task.board_cell k ON k.unit_code = f.unit_code AND k.status = f.status
            AND k.deadline IS NOT DISTINCT FROM f.deadline AND k.feedback_cycle IS NOT DISTINCT FROM f.feedback_cycle
            AND k.report_on IS NOT DISTINCT FROM f.report_on
           WHERE coalesce(f.n, 0) <> coalesce(k.n, 0)) AS cells_differing_from_a_recount;
