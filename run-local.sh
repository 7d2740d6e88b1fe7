#!/usr/bin/env bash
# Builds and starts the whole Duban suite, loads the demo district office, and prints a bearer token
# for a demo user of each role. Ctrl-C stops it all. Needs Java 17 (and curl); nothing else.
#
#   ./run-local.sh            build, start, seed, print tokens, wait
#   ./run-local.sh --no-build start from the last build
#
# PostgreSQL, in this order (duban-local-postgres decides, and says which it uses):
#   1. the server PGHOST/PGPORT name (superuser PGADMIN, default postgres, trust authentication);
#   2. the one answering on 127.0.0.1:5432 that lets postgres in without a password;
#   3. else an embedded PostgreSQL (real server binaries from Maven Central): data in .run/pgdata, so
#      the demo data survives a restart, port 15432 if free, stopped when this script stops.
# In each, the database duban gets one role and one schema per service (db/init-roles.sql).
#
# Other settings: DUBAN_PG_PROBE_ADDRESS (the address of step 2, host:port; "none" skips it),
# DUBAN_EMBEDDED_PG_PORT (default 15432; 0 = any free port), DUBAN_DB (default duban),
# DUBAN_RUN_DIR (default .run: logs, embedded data), DUBAN_TASK_PORT / DUBAN_NOTIFICATION_PORT /
# DUBAN_REPORT_PORT (default 8081 / 8082 / 8083), DUBAN_JAVA_OPTS (each service's JVM options; default
# the heap bound the Dockerfile sets, so that a service keeps to a known share of the machine).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
DB=${DUBAN_DB:-duban}
RUN_DIR=${DUBAN_RUN_DIR:-$ROOT/.run}
TASK_PORT=${DUBAN_TASK_PORT:-8081}
NOTIFICATION_PORT=${DUBAN_NOTIFICATION_PORT:-8082}
REPORT_PORT=${DUBAN_REPORT_PORT:-8083}
mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
SHOWN_RUN_DIR=${RUN_DIR#"$ROOT"/}

say() { printf '\033[1m%s\033[0m\n' "$*"; }

# Ctrl-C, kill or an error stops the services first, then the embedded PostgreSQL (if this script
# started one), so that no service loses its database while it still runs. Only jobs that still run
# are signalled: the PID of one that has ended may belong to someone else's process by now.
pids=()
pg_pid=
smtp_pid=
running() { case " $(jobs -pr | tr '\n' ' ') " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
stop() {
  local pid
  for pid in ${pids[@]+"${pids[@]}"}; do
    if running "$pid"; then kill "$pid" 2>/dev/null || true; fi
  done
  for pid in ${pids[@]+"${pids[@]}"}; do wait "$pid" 2>/dev/null || true; done
  pids=()
  # The local SMTP sink after the services (they may still send at shutdown), before PostgreSQL.
  if [ -n "$smtp_pid" ] && running "$smtp_pid"; then
    kill "$smtp_pid" 2>/dev/null || true
    wait "$smtp_pid" 2>/dev/null || true
  fi
  smtp_pid=
  if [ -n "$pg_pid" ] && running "$pg_pid"; then
    kill "$pg_pid" 2>/dev/null || true
    wait "$pg_pid" 2>/dev/null || true
  fi
  pg_pid=
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. Build (tests are the other command: ./mvnw -B verify).
# The build packages each service twice: the fast-jar (target/quarkus-app) and the aot-jar layout for the
# JDK's ahead-of-time cache (target/quarkus-aot). On Java 25 or newer (DUBAN_JAVA, e.g. a JDK 25's
# bin/java; else the java on the PATH) the services run the aot-jar: the first run after a build records
# each service's cache, written when the suite stops; later runs start from it in about half the time
# (bench/results.md, "Java 25 and its AOT cache as the product's runtime"). Older Javas run the fast-jar.
JAVA=${DUBAN_JAVA:-java}
JAVA_MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
AOT=
if [ "${JAVA_MAJOR%%.*}" -ge 25 ] 2>/dev/null; then AOT=1; fi
if [ "${1:-}" != "--no-build" ]; then
  say "构建中（首次运行需下载依赖，约几分钟）…"
  ./mvnw -B -q package -DskipTests -pl duban-local-postgres,task-service,notification-service,report-service -am
fi

# 2. PostgreSQL: the configured one, the machine's, or an embedded one; then the database, roles and
# schemas. The tool writes where the server is to postgres.env; with an embedded server it keeps
# running (and stops the server when this script ends, however it ends).
TOOL_CP="duban-local-postgres/target/classes:$(cat duban-local-postgres/target/classpath.txt)"
rm -f "$RUN_DIR/postgres.env"
java -cp "$TOOL_CP" io.duban.postgres.Main run --database "$DB" --port "${DUBAN_EMBEDDED_PG_PORT:-15432}" \
  --data "$RUN_DIR/pgdata" --log "$RUN_DIR/postgres.log" --state "$RUN_DIR/postgres.env" --watch-pid $$ &
pg_pid=$!
until [ -s "$RUN_DIR/postgres.env" ]; do
  if ! kill -0 "$pg_pid" 2>/dev/null; then
    status=0
    wait "$pg_pid" || status=$?
    pg_pid=
    [ -s "$RUN_DIR/postgres.env" ] && break
    echo "没有可用的 PostgreSQL（退出码 $status），见上面的说明" >&2
    exit 1
  fi
  sleep 0.2
done
# shellcheck disable=SC1091
. "$RUN_DIR/postgres.env"
if [ "$DUBAN_PG_SOURCE" != embedded ] && [ -n "$pg_pid" ]; then
  wait "$pg_pid" || true  # it has said which server to use and ends
  pg_pid=
fi

# 3. Start the three services; each gets its own log in the run folder.
export DUBAN_JWT_PUBLIC_KEY_LOCATION="$ROOT/dev/jwt/publicKey.pem"
# Without a bound a JVM takes a quarter of the machine's memory and keeps it; the same bound as in the
# containers (the Dockerfile's JDK_JAVA_OPTIONS; ComposeFileTest keeps the two equal).
JAVA_OPTS=${DUBAN_JAVA_OPTS:-"-Xmx160m -Xmn32m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED"}
start() {
  local svc=$1 port=$2
  if curl -s -o /dev/null "http://localhost:$port/"; then
    echo "端口 $port 已被占用（另一个 Duban 还在运行？），可用 DUBAN_TASK_PORT 等换端口" >&2
    exit 1
  fi
  local app=$svc/target/quarkus-app cache=() note=
  if [ -n "$AOT" ] && [ -f "$svc/target/quarkus-aot/quarkus-run.jar" ]; then
    app=$svc/target/quarkus-aot
    if [ "$app/app.aot" -nt "$app/quarkus-run.jar" ]; then
      cache=("-XX:AOTCache=$app/app.aot"); note="；从 AOT 缓存启动"
    else
      rm -f "$app/app.aot"
      cache=("-XX:AOTCacheOutput=$app/app.aot"); note="；本次运行录制 AOT 缓存，停止时写入"
    fi
  fi
  # No load balancer to tell before stopping: no pre-shutdown delay (ops/README.md), Ctrl-C stops at once.
  # shellcheck disable=SC2086
  QUARKUS_SHUTDOWN_DELAY=${QUARKUS_SHUTDOWN_DELAY:-0s} \
  QUARKUS_HTTP_PORT=$port \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$DUBAN_PG_HOST:$DUBAN_PG_PORT/$DB?currentSchema=${svc%-service}" \
    "$JAVA" $JAVA_OPTS ${cache[@]+"${cache[@]}"} -jar "$app/quarkus-run.jar" >"$RUN_DIR/$svc.log" 2>&1 &
  pids+=($!)
  echo "$svc  http://localhost:$port  (日志 $SHOWN_RUN_DIR/$svc.log$note)"
}
# --- delivery (issue 10, part 3): e-mail without a real mail server ---
# A local SMTP sink (dev/SmtpSink.java) takes every e-mail notification-service sends and writes it
# to $RUN_DIR/mail/ (.eml as sent, .txt readable). DUBAN_SMTP_SINK_PORT (default 2525; 0 = any free
# port). notification-service reads the directory (contacts) from task-service with a service token
# it signs with the dev key.
SMTP_PORT=${DUBAN_SMTP_SINK_PORT:-2525}
mkdir -p "$RUN_DIR/mail"
rm -f "$RUN_DIR/smtp-sink.log"
# stop() ends it with the services; it also ends by itself if this script dies (it watches this PID).
java -Xmx64m dev/SmtpSink.java "$SMTP_PORT" "$RUN_DIR/mail" $$ >"$RUN_DIR/smtp-sink.log" 2>&1 &
smtp_pid=$!
for i in $(seq 120); do
  grep -q "SMTP sink on" "$RUN_DIR/smtp-sink.log" 2>/dev/null && break
  if ! kill -0 "$smtp_pid" 2>/dev/null || [ "$i" = 120 ]; then
    echo "本地邮件收件箱未能启动，见 $SHOWN_RUN_DIR/smtp-sink.log" >&2; exit 1
  fi
  sleep 0.5
done
SMTP_PORT=$(sed -n 's/^SMTP sink on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$RUN_DIR/smtp-sink.log")
export DUBAN_SMTP_HOST=127.0.0.1 DUBAN_SMTP_PORT="$SMTP_PORT" DUBAN_SMTP_START_TLS=DISABLED
export DUBAN_DIRECTORY_URL="http://localhost:$TASK_PORT" DUBAN_JWT_PRIVATE_KEY_LOCATION="$ROOT/dev/jwt/privateKey.pem"
echo "本地邮件收件箱 smtp://127.0.0.1:$SMTP_PORT  (邮件见 $SHOWN_RUN_DIR/mail/)"
# --- end delivery ---
# notification-service reads the working-day calendar from task-service too, with the same
# self-signed service token as the directory.
export DUBAN_CALENDAR_SOURCE_URL="http://localhost:$TASK_PORT"
# The outbox relay (issue 10, part "relay"): task-service sends its events to notification-service,
# signing its short-lived service tokens with the dev key pair (local runs only).
DUBAN_RELAY_NOTIFICATION_URL="http://localhost:$NOTIFICATION_PORT" \
DUBAN_RELAY_SIGNING_KEY_LOCATION="$ROOT/dev/jwt/privateKey.pem" \
  start task-service "$TASK_PORT"
start notification-service "$NOTIFICATION_PORT"
start report-service "$REPORT_PORT"

ports=("$TASK_PORT" "$NOTIFICATION_PORT" "$REPORT_PORT")
names=(task-service notification-service report-service)
for n in 0 1 2; do
  for i in $(seq 90); do
    if curl -sf "http://localhost:${ports[$n]}/q/health/ready" >/dev/null; then break; fi
    if ! running "${pids[$n]}"; then
      echo "${names[$n]} 已退出，见 $SHOWN_RUN_DIR/${names[$n]}.log" >&2; exit 1
    fi
    if [ "$i" = 90 ]; then echo "${names[$n]} 未能在 90 秒内启动，见 $SHOWN_RUN_DIR/${names[$n]}.log" >&2; exit 1; fi
    sleep 1
  done
done

# 4. Demo data through the API, then tokens for a demo user of each role.
java dev/DubanDev.java seed "http://localhost:$TASK_PORT"
say "Duban 已启动。演示用户的访问令牌（12 小时有效）："
for who in "admin admin" "liu.yang supervisor DCS" "wang.qiang leader" "zhang.wei handler FGW" "chen.jing handler ZJJ"; do
  # shellcheck disable=SC2086
  set -- $who
  printf '\n%s（%s%s）:\n' "$1" "$2" "${3:+, 单位 $3}"
  java dev/DubanDev.java token "$@"
done
cat <<MSG

试一试：
  TOKEN=\$(java dev/DubanDev.java token liu.yang supervisor DCS)
  curl -s -H "Authorization: Bearer \$TOKEN" http://localhost:$TASK_PORT/api/v1/tasks
接口文档：http://localhost:$TASK_PORT/q/swagger-ui   按 Ctrl-C 停止全部服务。
MSG
wait
