#!/usr/bin/env bash
# Records the query plans (EXPLAIN ANALYZE, BUFFERS, as auto_explain logs them) of every query the
# list and feed scenarios send, on a generated database, into bench/plans/<DB>/<scenario>.txt.
#   bench/plans.sh DB [extra bench/run.sh options, e.g. --only=sup-red,sup-q1]
# How: turns auto_explain on for that database only (ALTER DATABASE ... SET, reset on exit), starts
# task-service on it through the harness in plan mode (one warm request, then one request per
# scenario inside a marked time window), and cuts the server log (PG_LOG, default Debian's) by those
# windows. Needs a superuser (postgres) and read access to the server log: the local machine's.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=$1; shift
LOG=${PG_LOG:-/var/log/postgresql/postgresql-15-main.log}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
psql_() { psql -q -h "$PGHOST" -p "$PGPORT" -U postgres -d "$DB" -v ON_ERROR_STOP=1 "$@"; }
reset() {
  psql_ -c "ALTER DATABASE \"$DB\" RESET session_preload_libraries" -c "ALTER DATABASE \"$DB\" RESET auto_explain.log_min_duration" \
        -c "ALTER DATABASE \"$DB\" RESET auto_explain.log_analyze" -c "ALTER DATABASE \"$DB\" RESET auto_explain.log_buffers"
}
trap reset EXIT
psql_ -c "ALTER DATABASE \"$DB\" SET session_preload_libraries = 'auto_explain'" \
      -c "ALTER DATABASE \"$DB\" SET auto_explain.log_min_duration = 0" \
      -c "ALTER DATABASE \"$DB\" SET auto_explain.log_analyze = on" \
      -c "ALTER DATABASE \"$DB\" SET auto_explain.log_buffers = on"
offset=$(stat -c %s "$LOG")
marks=bench/target/plans/$DB.marks.tsv
DUBAN_BENCH_NO_BUILD=${DUBAN_BENCH_NO_BUILD:-} bench/run.sh --database="$DB" --services=task-service --pgbench=false \
  --results=none --plan-marks="$marks" "$@"
out=bench/plans/$DB
mkdir -p "$out"
tail -c +$((offset + 1)) "$LOG" | python3 bench/plans-cut.py "$DB" "$marks" "$out"
echo "plans in $out"
