#!/usr/bin/env bash
# One start of a packaged service to its first 200 on /q/health/ready: wall time, CPU time, RSS.
# Compare CPU time between variants on a busy machine (bench/results.md, "Start-up").
# usage: startup.sh <java> <jar-dir> <port> <label> [jvm opts...]
# Starts the jar, polls /q/health/ready until 200, prints ms to first 200 and the log's "started in".
# The database (DUBAN_BENCH_DB, default duban_startup) must exist with db/init-roles.sql run on it;
# the schema is the service's (task, notification, report: from the jar's path).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAVA=$1; DIR=$(cd "$2" && pwd); PORT=$3; LABEL=$4; shift 4
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://${PGHOST:-127.0.0.1}:${PGPORT:-5432}/${DUBAN_BENCH_DB:-duban_startup}?currentSchema=$(basename "$(dirname "$(dirname "$DIR")")" | sed 's/-service$//')"
export QUARKUS_HTTP_PORT=$PORT
export DUBAN_JWT_PUBLIC_KEY_LOCATION=$ROOT/dev/jwt/publicKey.pem
LOG=${TMPDIR:-/tmp}/startup-$LABEL.log
start=$(date +%s%N)
( cd $DIR && exec $JAVA "$@" -jar quarkus-run.jar ) > $LOG 2>&1 &
pid=$!
until curl -sf -o /dev/null http://127.0.0.1:$PORT/q/health/ready; do
  if ! kill -0 $pid 2>/dev/null; then echo "$LABEL died"; tail -20 $LOG; exit 1; fi
  sleep 0.02
done
end=$(date +%s%N)
cpu=$(awk '{print ($14+$15)*10}' /proc/$pid/stat)
sleep 1
rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
kill -TERM $pid; wait $pid 2>/dev/null
echo "$LABEL first-200 $(( (end-start)/1000000 )) ms; cpu ${cpu} ms; $(grep -o 'started in [0-9.]*s' $LOG); rss ${rss} kB"
