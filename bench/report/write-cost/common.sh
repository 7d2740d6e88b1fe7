# Shared by run.sh and open-rows.sh (sourced from this directory): their arguments, psql, the copies of
# the base database and the alternating pgbench rounds over them.
set -euo pipefail
BASE=${DUBAN_BENCH_DB:-duban_bench}
SECONDS_=${1:-20}
CLIENTS=${2:-2}
ROUNDS=${3:-2}
p() { psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres "$@"; }

# copies VARIANT...: <base>_<variant> made from the base, each with public.bench_pick.
copies() {
  for v in "$@"; do
    p -d postgres -c "DROP DATABASE IF EXISTS ${BASE}_$v" -c "CREATE DATABASE ${BASE}_$v TEMPLATE $BASE"
    p -d "${BASE}_$v" -f pick.sql >/dev/null
  done
}

# rounds VARIANT...: ROUNDS rounds of the progress and extension scripts on each copy in turn.
rounds() {
  local npick out
  npick=$(p -d "${BASE}_$1" -Atc "SELECT count(*) FROM public.bench_pick")
  echo "base $BASE, $npick items in handling picked, ${SECONDS_}s x $CLIENTS clients x $ROUNDS rounds; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  for round in $(seq "$ROUNDS"); do
    for script in progress extension; do
      for v in "$@"; do
        out=$(PGOPTIONS='-c search_path=task' pgbench -n -h 127.0.0.1 -U postgres -c "$CLIENTS" -j "$CLIENTS" -T "$SECONDS_" \
                -D npick="$npick" -f "$script.pgbench.sql" "${BASE}_$v" 2>&1) || { echo "$out"; exit 1; }
        echo "round $round $script $v: $(grep -o 'latency average = [0-9.]* ms' <<<"$out"), $(grep -o 'tps = [0-9.]*' <<<"$out"), $(grep -o 'failed transactions: [0-9]*' <<<"$out" || true); load $(cut -d' ' -f1 /proc/loadavg)"
      done
    done
  done
}
