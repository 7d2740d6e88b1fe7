#!/usr/bin/env bash
# report-service at scale: the summary of a year by unit, the warning board, the overdue list as CSV
# and XLSX, each timed over HTTP (median of RUNS), with EXPLAIN ANALYZE of the summary's core query.
#   bench/report/run.sh [ITEMS] [RUNS]        defaults: 100000 items, 5 runs
# Env: DUBAN_REP_BENCH_DB (duban_rep_bench; created, migrated and generated once, then reused).
# Needs psql, a built report-service (./mvnw -B package -pl report-service -am -DskipTests) and the
# generator (bench/datagen/generate.sql). Migrates task-service's schema with its migration files.
set -euo pipefail
cd "$(dirname "$0")/../.."
DB=${DUBAN_REP_BENCH_DB:-duban_rep_bench}
ITEMS=${1:-100000}
RUNS=${2:-5}
export PGOPTIONS='-c client_min_messages=warning'
psql_() { psql -q -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 "$@"; }
if ! psql_ -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  psql_ -d postgres -c "CREATE DATABASE $DB"
  psql_ -d "$DB" -f db/init-roles.sql
  for f in $(ls task-service/src/main/resources/db/migration/V*.sql | sort -V); do
    sed 's/\${runtime_role}/duban_task/g' "$f" \
      | PGOPTIONS="$PGOPTIONS -c search_path=task" psql -q -h 127.0.0.1 -U duban_task_owner -d "$DB" -v ON_ERROR_STOP=1
  done
  echo "generating $ITEMS items into $DB ..."
  start=$(date +%s)
  psql_ -d "$DB" -v items="$ITEMS" -v units=200 -v people=5000 -f bench/datagen/generate.sql >/dev/null
  echo "generated in $(( $(date +%s) - start )) s"
fi
psql_ -d "$DB" -Atc "SELECT 'items ' || count(*) FROM task.supervision_item UNION ALL SELECT 'assignments ' || count(*) FROM task.assignment"

jar=report-service/target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "build report-service first" >&2; exit 1; }
port=$((20000 + RANDOM % 10000))
QUARKUS_HTTP_PORT=$port QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB?currentSchema=report" \
  DUBAN_JWT_PUBLIC_KEY_LOCATION="$PWD/dev/jwt/publicKey.pem" java -Xmx256m -jar "$jar" >/tmp/duban-report-bench.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break; sleep 1; done
TOKEN=$(java dev/DubanDev.java token bench.supervisor supervisor DCS)
BASE="http://127.0.0.1:$port/api/v1/reports"
YEAR_FROM=$(date -d '-1 year' +%F); YEAR_TO=$(date +%F)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { # name, accept, url
  local name=$1 accept=$2 url=$3 t
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H "Accept: $accept" "$url" # warm-up
  t=$(for _ in $(seq "$RUNS"); do
        curl -sf -o /tmp/duban-report-bench.out -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" -H "Accept: $accept" "$url"
      done | median)
  printf '%-40s median %6.0f ms  (%s bytes)\n' "$name" "$(echo "$t * 1000" | bc)" "$(stat -c %s /tmp/duban-report-bench.out)"
}
timed "summary, a year by unit (JSON)" application/json "$BASE/summary?from=$YEAR_FROM&to=$YEAR_TO&groupBy=unit"
timed "warning board (JSON)" application/json "$BASE/warning-board"
timed "overdue list, first page (JSON)" application/json "$BASE/overdue?limit=100"
timed "overdue list (CSV, all rows)" text/csv "$BASE/overdue"
timed "overdue list (XLSX, all rows)" application/vnd.openxmlformats-officedocument.spreadsheetml.sheet "$BASE/overdue"
echo "overdue rows: $(($(wc -l </tmp/duban-report-bench.out 2>/dev/null || echo 1) - 1)) (CSV lines - header, last file is XLSX: see JSON total)"
curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/overdue?limit=1" | grep -o '"total":[0-9]*'

echo "--- EXPLAIN ANALYZE: the held assignments of a year (the summary's core) ---"
psql -h 127.0.0.1 -U duban_report -d "$DB" <<SQL
EXPLAIN (ANALYZE, TIMING OFF)
WITH q AS (SELECT now() AS as_of, (now() AT TIME ZONE o.zone)::date AS as_of_day FROM reporting.office o),
it AS MATERIALIZED (SELECT i.item_id, i.dispatched_on, i.completed_at, i.completed_on, i.cancelled_at FROM reporting.items i
     WHERE i.dispatched_at >= ('$YEAR_FROM'::date::timestamp AT TIME ZONE 'Asia/Shanghai')
       AND i.dispatched_at < (('$YEAR_TO'::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')),
raw AS (SELECT a.unit_code, a.role, it.completed_at, it.cancelled_at, a.deadline, q.as_of, q.as_of_day
    FROM q CROSS JOIN it CROSS JOIN LATERAL (SELECT x.unit_code, x.role, x.deadline, x.dispatched_at, x.reassigned_at, x.declined, x.declined_at
                                                FROM reporting.assignments x WHERE x.item_id = it.item_id OFFSET 0) a
   WHERE a.dispatched_at <= q.as_of AND (a.reassigned_at IS NULL OR a.reassigned_at > q.as_of) AND NOT (a.declined AND a.declined_at <= q.as_of))
SELECT unit_code, count(*) FILTER (WHERE role = 'LEAD' AND (cancelled_at IS NULL OR cancelled_at > as_of)) AS received,
       count(*) FILTER (WHERE role = 'LEAD' AND completed_at <= as_of) AS completed,
       count(*) FILTER (WHERE role = 'LEAD' AND completed_at IS NULL AND deadline < as_of_day) AS overdue
  FROM raw GROUP BY unit_code;
SQL
