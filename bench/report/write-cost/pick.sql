-- The items the write benchmarks change: one open assignment of each item in handling (numbered 1..n).
DROP TABLE IF EXISTS public.bench_pick;
CREATE TABLE public.bench_pick AS
SELECT row_number() OVER (ORDER BY a.item_id)::int AS n, a.item_id, a.id AS assignment_id, a.unit_code
  FROM (SELECT DISTINCT ON (a.item_id) a.* FROM task.assignment a
          JOIN task.supervision_item i ON i.id = a.item_id
         WHERE i.status = 'ACTIVE' AND a.status IN ('IN_PROGRESS', 'PENDING_ACCEPTANCE') AND a.role = 'LEAD'
           AND NOT EXISTS (SELECT 1 FROM task.extension_request e WHERE e.assignment_id = a.id AND e.status = 'PENDING')
         ORDER BY a.item_id, a.id) a;
CREATE UNIQUE INDEX ON public.bench_pick (n);
SELECT count(*) AS picked FROM public.bench_pick;
