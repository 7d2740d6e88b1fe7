#!/usr/bin/env bash
# Outbox relay throughput (issue 10, part "relay"): N events wait in task-service's outbox, each of an
# item of its own (copies of one real ITEM_DISPATCHED with fresh event and item ids), then task-service
# starts with the default relay settings and notification-service applies them. Prints events applied
# per second, first to last applied_at. Needs the packaged services (./mvnw -B package -DskipTests -pl
# task-service,notification-service -am), psql, curl, and a PostgreSQL superuser `postgres` without a
# password at PGHOST:PGPORT (default 127.0.0.1:5432).
#
#   bench/relay-throughput.sh [N]          # default 5000
set -euo pipefail
N=${1:-5000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DB=${DUBAN_BENCH_DB:-duban_bench_relay}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
TASK_PORT=${DUBAN_TASK_PORT:-18281}
NOTIFICATION_PORT=${DUBAN_NOTIFICATION_PORT:-18282}
RUN=${DUBAN_RUN_DIR:-$ROOT/bench/target/relay}
mkdir -p "$RUN"
sql() { psql -h "$PGHOST" -p "$PGPORT" -U postgres -d "$DB" -v ON_ERROR_STOP=1 -qtA "$@"; }

psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qtA -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" \
  | grep -q 1 || psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -q -c "CREATE DATABASE $DB"
sql -f "$ROOT/db/init-roles.sql" >/dev/null

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
start() {  # module port clean [env...]
  local svc=$1 port=$2 clean=$3; shift 3
  env QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB?currentSchema=${svc%-service}" \
    QUARKUS_FLYWAY_CLEAN_AT_START="$clean" QUARKUS_FLYWAY_CLEAN_DISABLED=false \
    DUBAN_JWT_PUBLIC_KEY_LOCATION="$ROOT/dev/jwt/publicKey.pem" "$@" \
    java -Xmx256m -jar "$ROOT/$svc/target/quarkus-app/quarkus-run.jar" >>"$RUN/$svc.log" 2>&1 &
  pids+=($!)
  until curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null; do sleep 0.5; done
}

start notification-service "$NOTIFICATION_PORT" true
start task-service "$TASK_PORT" true DUBAN_RELAY_ENABLED=false
task_pid=${pids[1]}

ADMIN=$(java "$ROOT/dev/DubanDev.java" token admin admin)
SUP=$(java "$ROOT/dev/DubanDev.java" token liu.yang supervisor DCS)
curl -sS --fail-with-body -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"code":"BENCHR","name":"转发测试单位","contactEmail":"benchr@example.gov.cn"}' \
  "http://127.0.0.1:$TASK_PORT/api/v1/units" >/dev/null
id=$(curl -sS --fail-with-body -H "Authorization: Bearer $SUP" -H 'Content-Type: application/json' \
  -d "{\"title\":\"转发吞吐量测试\",\"sourceType\":\"LEADER_INSTRUCTION\",\"priority\":\"NORMAL\",\"deadline\":\"$(date -d '+30 days' +%F)\",\"leadUnit\":\"BENCHR\",\"assistUnits\":[],\"feedbackCycle\":\"NONE\"}" \
  "http://127.0.0.1:$TASK_PORT/api/v1/tasks" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
curl -sS --fail-with-body -X POST -H "Authorization: Bearer $SUP" "http://127.0.0.1:$TASK_PORT/api/v1/tasks/$id/dispatch" >/dev/null

sql -c "INSERT INTO task.outbox_event (id, type, item_id, unit_code, payload, created_at)
  SELECT e, o.type, i, o.unit_code,
         jsonb_set(jsonb_set(o.payload, '{eventId}', to_jsonb(e::text)), '{itemId}', to_jsonb(i::text)), now()
  FROM (SELECT gen_random_uuid() AS e, gen_random_uuid() AS i FROM generate_series(1, $N)) g,
       task.outbox_event o WHERE o.item_id = '$id'"
kill "$task_pid"; wait "$task_pid" 2>/dev/null || true
start task-service "$TASK_PORT" false DUBAN_RELAY_NOTIFICATION_URL="http://127.0.0.1:$NOTIFICATION_PORT" \
  DUBAN_RELAY_SIGNING_KEY_LOCATION="$ROOT/dev/jwt/privateKey.pem"
total=$((N + 1))
until [ "$(sql -c 'SELECT count(*) FROM notification.processed_event')" -ge "$total" ]; do sleep 1; done
sql -F ' ' -c "SELECT count(*), round(extract(epoch FROM max(applied_at) - min(applied_at))::numeric, 2),
  round(count(*) / nullif(extract(epoch FROM max(applied_at) - min(applied_at)), 0))
  FROM notification.processed_event" | awk '{print $1 " events applied in " $2 " s: " $3 " events/s"}'
