#!/usr/bin/env bash
# The benchmark harness of issue 9: every scenario beside its ceilings in one run; prints a table and
# appends it to bench/results.md with the date, machine and commit. See bench/README.md.
#
#   bench/run.sh --database=duban_bench_10k     start the packaged services on that database (timed), then run
#   bench/run.sh [--url=http://127.0.0.1:8081]  run against a running task-service (./run-local.sh)
#
# Common options: --seconds=10 --fixed-seconds=5 --warmup=2 --threads=8 --unit=U077 --only=poll-304,create
# --seed=N (create items through the API when the unit has fewer) --results=none --label=TEXT.
# The services' JVM options come from DUBAN_BENCH_JVM_OPTS (default -Xmx160m -Xmn32m -XX:+UseSerialGC
# -XX:TrimNativeHeapInterval=5000, the product's; see the Dockerfile).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${DUBAN_BENCH_NO_BUILD:-}" != 1 ]; then
  ./mvnw -o -B -q package -DskipTests -pl bench
fi
exec java -Xmx512m -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.duban.bench.Bench "$@"
