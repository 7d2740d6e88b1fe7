#!/usr/bin/env bash
# Builds and starts the whole Duban suite against the local PostgreSQL (127.0.0.1:5432), loads the
# demo district office, and prints a bearer token for a demo user of each role. Ctrl-C stops it all.
#
#   ./run-local.sh            build, start, seed, print tokens, wait
#   ./run-local.sh --no-build start from the last build
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGADMIN=${PGADMIN:-postgres}
export PGOPTIONS='-c client_min_messages=warning'
DB=${DUBAN_DB:-duban}
RUN_DIR="$ROOT/.run"
mkdir -p "$RUN_DIR"

say() { printf '\033[1m%s\033[0m\n' "$*"; }

# 1. PostgreSQL: start the machine's cluster if it is down, then the database, roles and schemas.
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
  say "PostgreSQL 未运行，正在启动…"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
fi
psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGADMIN" -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$DB'" \
  | grep -q 1 || psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGADMIN" -d postgres -c "CREATE DATABASE $DB"
psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGADMIN" -d "$DB" -v ON_ERROR_STOP=1 -f db/init-roles.sql

# 2. Build (tests are the other command: ./mvnw verify).
if [ "${1:-}" != "--no-build" ]; then
  say "构建中（首次运行需下载依赖，约几分钟）…"
  ./mvnw -B -q package -DskipTests -pl task-service,notification-service,report-service -am
fi

# 3. Start the three services; each gets its own log in .run/.
pids=()
stop() { [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
export DUBAN_JWT_PUBLIC_KEY_LOCATION="$ROOT/dev/jwt/publicKey.pem"
start() {
  local svc=$1 port=$2
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB?currentSchema=${svc%-service}" \
    java -jar "$svc/target/quarkus-app/quarkus-run.jar" >"$RUN_DIR/$svc.log" 2>&1 &
  pids+=($!)
  echo "$svc  http://localhost:$port  (日志 .run/$svc.log)"
}
start task-service 8081
start notification-service 8082
start report-service 8083

for port in 8081 8082 8083; do
  for i in $(seq 90); do
    if curl -sf "http://localhost:$port/q/health/ready" >/dev/null; then break; fi
    if [ "$i" = 90 ]; then echo "端口 $port 的服务未能启动，见 .run/ 下的日志" >&2; exit 1; fi
    sleep 1
  done
done

# 4. Demo data through the API, then tokens for a demo user of each role.
java dev/DubanDev.java seed http://localhost:8081
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
  curl -s -H "Authorization: Bearer \$TOKEN" http://localhost:8081/api/v1/tasks
接口文档：http://localhost:8081/q/swagger-ui   按 Ctrl-C 停止全部服务。
MSG
wait
