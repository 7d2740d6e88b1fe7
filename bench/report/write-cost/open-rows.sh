#!/usr/bin/env bash
# Write cost of V16's open rows (task.open_row, kept at each commit with the cells): the same command
# scripts as run.sh (a progress report, an extension request) on two copies of one generated database
# migrated to V16:
#   cells  report_rollup_refresh recounts the cells only (the write path before V16),
#   rows   as migrated: the cells and the item's open rows.
#   DUBAN_BENCH_DB=duban_bench_100k bench/report/write-cost/open-rows.sh [SECONDS] [CLIENTS] [ROUNDS]
# The base is left as it is; the copies are <base>_cells and <base>_rows. Rounds alternate them, so the
# machine's load falls on both alike. Afterwards it checks the open rows of <base>_rows against the rows
# the views give (0 = right).
cd "$(dirname "$0")"
. ./common.sh
copies cells rows
p -d "${BASE}_cells" <<'SQL'
SET ROLE duban_task_owner;
CREATE OR REPLACE FUNCTION task.report_rollup_refresh(items uuid[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = task, pg_temp SET jit = off
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    PERFORM task.report_rollup_refresh_cells(items);
END
$$;
SQL
rounds cells rows
echo "rows: $(p -d "${BASE}_rows" -Atc "SELECT (SELECT count(*) FROM (TABLE task.open_row_source EXCEPT ALL TABLE task.open_row) d)
  + (SELECT count(*) FROM (TABLE task.open_row EXCEPT ALL TABLE task.open_row_source) d)") open rows differing from the views"
