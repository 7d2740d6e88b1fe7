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
set -euo pipefail
cd "$(dirname "$0")"
BASE=${DUBAN_BENCH_DB:-duban_bench}
SECONDS_=${1:-20}
CLIENTS=${2:-2}
ROUNDS=${3:-2}
p() { psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres "$@"; }
for v in cells rows; do
  p -d postgres -c "DROP DATABASE IF EXISTS ${BASE}_$v" -c "CREATE DATABASE ${BASE}_$v TEMPLATE $BASE"
  p -d "${BASE}_$v" -f pick.sql >/dev/null
done
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
npick=$(p -d "${BASE}_rows" -Atc "SELECT count(*) FROM public.bench_pick")
echo "base $BASE, $npick items in handling picked, ${SECONDS_}s x $CLIENTS clients x $ROUNDS rounds; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$ROUNDS"); do
  for script in progress extension; do
    for v in cells rows; do
      out=$(PGOPTIONS='-c search_path=task' pgbench -n -h 127.0.0.1 -U postgres -c "$CLIENTS" -j "$CLIENTS" -T "$SECONDS_" \
              -D npick="$npick" -f "$script.pgbench.sql" "${BASE}_$v" 2>&1) || { echo "$out"; exit 1; }
      echo "round $round $script $v: $(grep -o 'latency average = [0-9.]* ms' <<<"$out"), $(grep -o 'tps = [0-9.]*' <<<"$out"), $(grep -o 'failed transactions: [0-9]*' <<<"$out" || true); load $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
echo "rows: $(p -d "${BASE}_rows" -Atc "SELECT (SELECT count(*) FROM (TABLE task.open_row_source EXCEPT ALL TABLE task.open_row) d)
  + (SELECT count(*) FROM (TABLE task.open_row EXCEPT ALL TABLE task.open_row_source) d)") open rows differing from the views"
