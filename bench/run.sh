#!/usr/bin/env bash
# Benchmarks the polling and list endpoints of a running task-service (start it with ../run-local.sh).
#   bench/run.sh [ITEMS] [SECONDS] [THREADS]      defaults: 200 items, 10 s per case, 2 threads
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${DUBAN_BENCH_URL:-http://localhost:8081}
UNIT=${DUBAN_BENCH_UNIT:-BENCH}
curl -sf "$BASE/q/health/ready" >/dev/null || { echo "task-service is not running at $BASE (./run-local.sh)" >&2; exit 1; }
token() { java dev/DubanDev.java token "$@"; }
java bench/FeedBench.java "$BASE" "$(token admin admin)" "$(token bench.supervisor supervisor DCS)" \
  "$(token bench.handler handler "$UNIT")" "$UNIT" "${1:-200}" "${2:-10}" "${3:-2}"
