#!/usr/bin/env bash
# Generates a city's data for the benchmarks in a database of its own (default duban_bench):
# creates it with the roles and schemas of db/init-roles.sql, lets the packaged task-service migrate
# it, then fills it with bench/datagen/generate.sql.
#   bench/datagen.sh [ITEMS] [OPEN_FRACTION]     defaults: 1000000 items, the realistic mix (0)
# Env: DUBAN_BENCH_DB (duban_bench), PGHOST/PGPORT (127.0.0.1:5432), DUBAN_BENCH_UNITS (200),
#      DUBAN_BENCH_PEOPLE (5000). Needs psql and a built task-service (./mvnw -B package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${DUBAN_BENCH_DB:-duban_bench}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
ITEMS=${1:-1000000}
OPEN=${2:-0}
psql_() { psql -q -h "$PGHOST" -p "$PGPORT" -U postgres "$@"; }
export PGOPTIONS='-c client_min_messages=warning'
psql_ -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 || psql_ -d postgres -c "CREATE DATABASE $DB"
psql_ -d "$DB" -v ON_ERROR_STOP=1 -f db/init-roles.sql
jar=task-service/target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "build task-service first: ./mvnw -B package -DskipTests" >&2; exit 1; }
port=$((20000 + RANDOM % 10000))
QUARKUS_HTTP_PORT=$port QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB?currentSchema=task" \
  DUBAN_JWT_PUBLIC_KEY_LOCATION="$PWD/dev/jwt/publicKey.pem" java -Xmx256m -jar "$jar" >/tmp/duban-datagen-migrate.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 90); do curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break; sleep 1; done
kill $pid; wait $pid 2>/dev/null || true
trap - EXIT
echo "generating $ITEMS items into $DB ..."
start=$(date +%s)
psql_ -d "$DB" -v items="$ITEMS" -v open="$OPEN" -v units="${DUBAN_BENCH_UNITS:-200}" \
  -v people="${DUBAN_BENCH_PEOPLE:-5000}" -f bench/datagen/generate.sql
echo "done in $(( $(date +%s) - start )) s"
