#!/usr/bin/env bash
# End-to-end event lag (issue 10: "commit in task-service to applied in notification-service, p99
# under 2 s while items are created at full speed"). Starts both packaged services as processes
# (heap bounded, relay on with its settings from the environment), then bench/notification/EventLag.java
# creates and dispatches items through task-service's API with CLIENTS clients for SECONDS seconds,
# waits until every event written meanwhile is applied, and prints events/s and the lag of each event
# (outbox_event.created_at -> processed_event.applied_at): p50, p99, max, and the CPU time each
# service used (per 1,000 events), after a warm-up of DUBAN_BENCH_WARMUP (20) seconds of the same load.
# Needs the packaged services (./mvnw -B -o package -DskipTests -pl task-service,notification-service -am),
# psql, curl, and a PostgreSQL superuser `postgres` without a password at PGHOST:PGPORT.
#
#   bench/event-lag.sh [SECONDS] [CLIENTS]          # default 30 s, 8 clients
#   DUBAN_RELAY_BATCH_SIZE=... DUBAN_RELAY_INTERVAL=... bench/event-lag.sh   # relay settings to compare
#   DUBAN_BENCH_JFR=/tmp/jfr bench/event-lag.sh     # a JFR profile of each service: /tmp/jfr/<service>.jfr
set -euo pipefail
SECONDS_=${1:-30}
CLIENTS=${2:-8}
WARMUP=${DUBAN_BENCH_WARMUP:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DB=${DUBAN_BENCH_DB:-duban_bench_lag}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
TASK_PORT=${DUBAN_TASK_PORT:-18381}
NOTIFICATION_PORT=${DUBAN_NOTIFICATION_PORT:-18382}
RUN=${DUBAN_RUN_DIR:-$ROOT/bench/target/event-lag}
APPS=${DUBAN_BENCH_APPS:-$ROOT}   # where <module>/target/quarkus-app is (a copy, to keep building meanwhile)
PGJAR=${PGJAR:-$(ls ~/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar | grep -v sources | sort -V | tail -1)}
mkdir -p "$RUN"
psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
psql -h "$PGHOST" -p "$PGPORT" -U postgres -d "$DB" -v ON_ERROR_STOP=1 -qtA -f "$ROOT/db/init-roles.sql" >/dev/null

pids=()
# On exit the services are stopped and waited for, so that a next run finds the database free.
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait "${pids[@]}" 2>/dev/null || true' EXIT
start() {  # module port [env...]
  local svc=$1 port=$2; shift 2
  env QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB?currentSchema=${svc%-service}" \
    DUBAN_JWT_PUBLIC_KEY_LOCATION="$ROOT/dev/jwt/publicKey.pem" "$@" \
    java -Xmx256m ${DUBAN_BENCH_JFR:+-XX:StartFlightRecording=filename=$DUBAN_BENCH_JFR/$svc.jfr,settings=profile,dumponexit=true} \
    -jar "$APPS/$svc/target/quarkus-app/quarkus-run.jar" >"$RUN/$svc.log" 2>&1 &
  pids+=($!)
  until curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null; do sleep 0.5; done
}
# task-service first: notification-service reads the calendar from it at start-up. Started the other way
# round, its first read failed, it planned on Monday-Friday, and the refresh ~30 s later replanned every
# assignment in the middle of the measured phase (a stall of 3-5 s in half the runs, not the relay's).
start task-service "$TASK_PORT" DUBAN_RELAY_NOTIFICATION_URL="http://127.0.0.1:$NOTIFICATION_PORT" \
  DUBAN_RELAY_SIGNING_KEY_LOCATION="$ROOT/dev/jwt/privateKey.pem"
start notification-service "$NOTIFICATION_PORT" DUBAN_CALENDAR_SOURCE_URL="http://127.0.0.1:$TASK_PORT" \
  DUBAN_DIRECTORY_URL="http://127.0.0.1:$TASK_PORT" DUBAN_JWT_PRIVATE_KEY_LOCATION="$ROOT/dev/jwt/privateKey.pem" \
  DUBAN_SMTP_PORT=1
task_pid=${pids[0]}
notification_pid=${pids[1]}

ADMIN=$(java "$ROOT/dev/DubanDev.java" token admin admin)
SUP=$(java "$ROOT/dev/DubanDev.java" token liu.yang supervisor DCS)
for u in BENCHL:时延测试牵头单位 BENCHA:时延测试协办单位; do
  curl -sS --fail-with-body -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"code\":\"${u%%:*}\",\"name\":\"${u#*:}\",\"contactEmail\":\"${u%%:*}@example.gov.cn\"}" \
    "http://127.0.0.1:$TASK_PORT/api/v1/units" >/dev/null
done

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); relay: batch ${DUBAN_RELAY_BATCH_SIZE:-default} interval ${DUBAN_RELAY_INTERVAL:-default}"
out=$(java -Xmx128m -cp "$PGJAR" "$ROOT/bench/notification/EventLag.java" "http://127.0.0.1:$TASK_PORT" "$SUP" \
  "jdbc:postgresql://$PGHOST:$PGPORT/$DB?user=postgres" "$SECONDS_" "$CLIENTS" "$WARMUP" "$notification_pid,$task_pid" BENCHL BENCHA)
echo "$out" | sed -e "s/pid $notification_pid/notification-service/" -e "s/pid $task_pid/task-service (creation included)/"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
