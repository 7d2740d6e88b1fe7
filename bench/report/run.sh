#!/usr/bin/env bash
# report-service at scale: the summary of a year by unit and the warning board over HTTP (median of RUNS)
# against the same SQL run bare by psql (median of RUNS, same parameters), EXPLAIN (ANALYZE, BUFFERS) of
# each report query, and the overdue list as JSON, CSV and XLSX for periods of growing size with the
# report-service process's peak RSS and peak old-generation heap (jstat) while it streams, and the whole
# overdue list as CSV against COPY of the same statement and dd of the same bytes (CSV at disk speed).
#   bench/report/run.sh [ITEMS] [RUNS]        defaults: 100000 items, 5 runs
# Env: DUBAN_REP_BENCH_DB (duban_rep_bench; created, migrated and generated once, then reused: an
# existing database such as duban_bench_1m is only read), YEAR_FROM/YEAR_TO (the summary's year;
# default the last 365 days), EXPORTS (space-separated "from..to" periods of the overdue exports,
# default none), HEAP (report-service -Xmx, default 256m), WARM (whole-list CSV requests before it is timed, 10).
# Needs psql, jstat, a built report-service (./mvnw -B package -pl report-service -am -DskipTests) and the
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
psql_ -d "$DB" -Atc "SELECT 'items ' || count(*) FROM task.supervision_item UNION ALL SELECT 'assignments ' || count(*) FROM task.assignment UNION ALL SELECT 'summary cells ' || count(*) FROM task.report_cell UNION ALL SELECT 'board cells ' || count(*) FROM task.board_cell"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)  ($(date -u +%FT%TZ), $(nproc) cores)"

jar=report-service/target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "build report-service first" >&2; exit 1; }
port=$((20000 + RANDOM % 10000))
QUARKUS_HTTP_PORT=$port QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB?currentSchema=report" \
  DUBAN_JWT_PUBLIC_KEY_LOCATION="$PWD/dev/jwt/publicKey.pem" java -Xmx${HEAP:-256m} -jar "$jar" >/tmp/duban-report-bench.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break; sleep 1; done
TOKEN=$(java dev/DubanDev.java token bench.supervisor supervisor DCS)
BASE="http://127.0.0.1:$port/api/v1/reports"
YEAR_FROM=${YEAR_FROM:-$(date -d '-1 year' +%F)}; YEAR_TO=${YEAR_TO:-$(date +%F)}
AS_OF=$(date -u +%FT%TZ)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { # name, accept, url
  local name=$1 accept=$2 url=$3
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H "Accept: $accept" "$url" # warm-up
  t=$(for _ in $(seq "$RUNS"); do
        curl -sf -o /tmp/duban-report-bench.out -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" -H "Accept: $accept" "$url"
      done | median)
  printf '%-40s median %6.0f ms  (%s bytes)\n' "$name" "$(echo "$t * 1000" | bc)" "$(stat -c %s /tmp/duban-report-bench.out)"
}
ms_of() { echo "$1 * 1000" | bc | xargs printf '%.0f'; }
# HTTP vs bare SQL, in one run: the summary of the year by unit and the board.
timed "baseline: GET /q/health/live" application/json "http://127.0.0.1:$port/q/health/live"  # the HTTP stack alone
SUMMARY_URL="$BASE/summary?from=$YEAR_FROM&to=$YEAR_TO&groupBy=unit&asOf=$AS_OF"
timed "summary $YEAR_FROM..$YEAR_TO by unit (JSON)" application/json "$SUMMARY_URL"
http_summary=$t
timed "warning board (JSON)" application/json "$BASE/warning-board"
http_board=$t
board=$(curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/warning-board")
TODAY=$(echo "$board" | grep -o '"today":"[0-9-]*"' | cut -d'"' -f4)
HORIZON=$(echo "$board" | grep -o '"yellowHorizon":"[0-9-]*"' | cut -d'"' -f4)
FM=$(if [ "$(date -d "$YEAR_FROM" +%d)" = 01 ]; then echo "$YEAR_FROM"; else date -d "$(date -d "$YEAR_FROM" +%Y-%m-01) +1 month" +%F; fi)
TM=$(date -d "$(date -d "$YEAR_TO +1 day" +%Y-%m-01)" +%F); [[ "$TM" < "$FM" ]] && TM=$FM
HE=$(date -d "$YEAR_TO +1 day" +%F); [[ "$FM" < "$HE" ]] && HE=$FM
# A ragged month whose daily cells all lie in the period is read from its monthly cell (SummaryReport.CellRanges).
no_days() { [ "$(psql_ -d "$DB" -Atc "SELECT NOT EXISTS (SELECT 1 FROM task.report_cell WHERE grain = 'D' AND $1)")" = t ]; }
MS=$(date -d "$YEAR_FROM" +%Y-%m-01); TE=$(date -d "$(date -d "$YEAR_TO +1 day" +%Y-%m-01)" +%F)
if [[ "$FM" > "$YEAR_FROM" && ! "$FM" > "$YEAR_TO" ]] && no_days "day >= '$MS' AND day < '$YEAR_FROM'"; then FM=$MS; HE=$YEAR_FROM; fi
if [[ ! "$TE" < "$FM" && ! "$TE" > "$YEAR_TO" ]] && no_days "day > '$YEAR_TO' AND day < date '$TE' + interval '1 month'"; then
  TM=$(date -d "$TE +1 month" +%F)
fi
PSQL_VARS=(-v as_of="$AS_OF" -v from="$YEAR_FROM" -v to="$YEAR_TO" -v fm="$FM" -v tm="$TM" -v he="$HE" -v today="$TODAY" -v horizon="$HORIZON"
  -v weekly="$(date -d "$TODAY -1 week" +%F)" -v biweekly="$(date -d "$TODAY -2 weeks" +%F)" -v monthly="$(date -d "$TODAY -1 month" +%F)")
bare() { # name, sql file: median of RUNS `\timing` in one psql session as duban_report (jit off, as report-service)
  { echo "SET jit = off;";echo '\timing on'
    for _ in $(seq $((RUNS + 1))); do echo '\o /dev/null'; cat "bench/report/sql/$2.sql"; echo '\o'; done; } \
    | psql -h 127.0.0.1 -U duban_report -d "$DB" -q "${PSQL_VARS[@]}" 2>&1 | grep '^Time:' | tail -n +2 | awk '{print $2/1000}' | median
}
t=$(bare summary summary_cells); bare_summary=$t
printf '%-40s median %6.0f ms  (psql, same statement)\n' "summary, bare SQL" "$(ms_of "$t")"
t=$(bare board board_cells); bare_board=$t
printf '%-40s median %6.0f ms  (psql, same statement)\n' "warning board, bare SQL" "$(ms_of "$t")"
echo "ratio HTTP / bare: summary $(echo "scale=2; $http_summary / $bare_summary" | bc), board $(echo "scale=2; $http_board / $bare_board" | bc)"
timed "overdue list, first page (JSON)" application/json "$BASE/overdue?limit=100"
curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/overdue?limit=1" | grep -o '"total":[0-9]*'

# Exports: rows, time, peak RSS and peak old generation of report-service while each streams.
peak() { # sample the process while $1 (a pid) runs
  local rss=0 old=0 r o
  while kill -0 "$1" 2>/dev/null; do
    r=$(ps -o rss= -p $pid); [ "${r:-0}" -gt $rss ] && rss=$r
    o=$(jstat -gc $pid 2>/dev/null | awk 'NR==2 {printf "%d", $8}'); [ "${o:-0}" -gt $old ] && old=$o
    sleep 0.1
  done
  echo "$((rss / 1024)) MB RSS, $((old / 1024)) MB old gen"
}
for fmt in text/csv application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; do  # warm-up (class loading)
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H "Accept: $fmt" "$BASE/overdue?unit=U001" || true
done
for period in ${EXPORTS:-}; do
  q="from=${period%..*}&to=${period#*..}"
  rows=$(curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/overdue?limit=1&$q" | grep -o '"total":[0-9]*' | cut -d: -f2)
  for fmt in text/csv application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; do
    curl -sf -o /tmp/duban-report-bench.out -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" -H "Accept: $fmt" "$BASE/overdue?$q" \
      > /tmp/duban-report-bench.time &
    mem=$(peak $!)
    printf '%-12s %-5s %6s rows  %6.0f ms  %9s bytes  %s\n' "$period" "${fmt##*[./-]}" "$rows" "$(ms_of "$(cat /tmp/duban-report-bench.time)")" \
      "$(stat -c %s /tmp/duban-report-bench.out)" "$mem"
  done
done
# CSV at disk speed: the whole overdue list as CSV over HTTP, against the same rows written to a file by
# PostgreSQL itself (COPY of the bare statement, sql/overdue_rows.sql, through psql) and against the disk
# (dd of the CSV's bytes with fsync). Median of RUNS each.
# The service's JIT warms on the whole list first (WARM requests, default 10; the first request after a start
# takes 4x the warm one), as psql's COPY has nothing to warm.
for _ in $(seq "${WARM:-10}"); do
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H "Accept: text/csv" "$BASE/overdue"
done
as_of_now=$(date -u +%FT%TZ)
copy_sql="COPY ($(grep -v '^[[:space:]]*--' bench/report/sql/overdue_rows.sql | sed "s/:'as_of'/'$as_of_now'/g; s/;[[:space:]]*\$//")) TO STDOUT WITH (FORMAT csv, HEADER)"
t=$(for _ in $(seq "$RUNS"); do
      curl -sf -o /tmp/duban-report-bench.csv -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" -H "Accept: text/csv" "$BASE/overdue"
    done | median)
csv_bytes=$(stat -c %s /tmp/duban-report-bench.csv)
csv_rows=$(($(wc -l < /tmp/duban-report-bench.csv) - 1))
printf '%-40s median %6.0f ms  %8d rows  %9d bytes  %6.1f MB/s\n' "overdue CSV, all rows (HTTP)" "$(ms_of "$t")" "$csv_rows" \
  "$csv_bytes" "$(echo "$csv_bytes / $t / 1000000" | bc -l)"
http_csv=$t
t=$(for _ in $(seq "$RUNS"); do
      s=$(date +%s.%N); PGOPTIONS="$PGOPTIONS -c jit=off" psql -h 127.0.0.1 -U duban_report -d "$DB" -Atq -c "$copy_sql" > /tmp/duban-report-bench.copy
      echo "$(date +%s.%N) - $s" | bc
    done | median)
printf '%-40s median %6.0f ms  %8d rows  %9d bytes\n' "same rows, COPY to a file (psql)" "$(ms_of "$t")" \
  "$(($(wc -l < /tmp/duban-report-bench.copy) - 1))" "$(stat -c %s /tmp/duban-report-bench.copy)"
copy_csv=$t
t=$(for _ in $(seq "$RUNS"); do
      s=$(date +%s.%N); dd if=/tmp/duban-report-bench.csv of=/tmp/duban-report-bench.dd bs=1M conv=fsync 2>/dev/null
      echo "$(date +%s.%N) - $s" | bc
    done | median)
printf '%-40s median %6.0f ms  %6.1f MB/s\n' "same bytes, dd to disk with fsync" "$(ms_of "$t")" "$(echo "$csv_bytes / $t / 1000000" | bc -l)"
echo "ratio HTTP CSV / COPY: $(echo "scale=2; $http_csv / $copy_csv" | bc), HTTP CSV / dd: $(echo "scale=2; $http_csv / $t" | bc)"
rm -f /tmp/duban-report-bench.csv /tmp/duban-report-bench.copy /tmp/duban-report-bench.dd
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)  ($(date -u +%FT%TZ))"

plan() { # title, sql file[, suffix replacing the final semicolon]
  echo "--- EXPLAIN (ANALYZE, BUFFERS): $1 ---"
  { echo "SET jit = off;"; echo "EXPLAIN (ANALYZE, BUFFERS)"; sed "s/;[[:space:]]*\$/${3:-;}/" "bench/report/sql/$2.sql"; } \
    | psql -h 127.0.0.1 -U duban_report -d "$DB" -q "${PSQL_VARS[@]}"
}
plan "the summary of $YEAR_FROM..$YEAR_TO by unit (SummaryReport.fromCells)" summary_cells
plan "the warning board (WarningBoard.board)" board_cells
plan "the overdue list, first page of 100 (ReportRows.page: the export statement, one row more to know a next page follows)" overdue_rows " LIMIT 101;"
