#!/usr/bin/env bash
# One psql session: EXPLAIN (ANALYZE, BUFFERS) as duban_report before, apply V12 in the same transaction, after; then ROLLBACK.
# The queries (bench/report/views/*.sql) are report-service's SQL as Figures/WarningBoard/ReportRows build it,
# parameters inlined: as-of now(), the summary's year 2025-11-27..2026-11-27, the board's dates of 2026-11-27.
#   bench/report/views/session.sh > out.txt     (DUBAN_REP_BENCH_DB, default duban_rep_bench; changes nothing)
set -euo pipefail
V12=$(dirname "$0")/../../../task-service/src/main/resources/db/migration/V12__reporting_views_set_based.sql
plain() { echo "\\echo ==== plain $1 ($2), 3 runs"; echo "SET ROLE duban_report; \\timing on"; for _ in 1 2 3; do echo "SELECT count(*) FROM ("; sed 's/;[[:space:]]*$//' "$(dirname "$0")/$1.sql"; echo ") z;"; done; echo "\\timing off"; echo "RESET ROLE;"; }
ex() { echo "\\echo ==== $1 ($2)"; echo "SET ROLE duban_report; EXPLAIN (ANALYZE, BUFFERS)"; cat "$(dirname "$0")/$1.sql"; echo "RESET ROLE;"; }
{
  echo "SET jit = off; BEGIN;"
  echo "CREATE TEMP TABLE before_rows AS SELECT * FROM reporting.assignments;"
  for q in summary_core board overdue_count overdue_page; do ex $q before; plain $q before; done
  cat "$V12"
  echo "ANALYZE task.assignment; ANALYZE task.progress_report; ANALYZE task.timeline_entry;"
  echo "\\echo ==== rows differing between V6 and V12 (both ways)"
  echo "SELECT (SELECT count(*) FROM (SELECT * FROM before_rows EXCEPT ALL SELECT * FROM reporting.assignments) x) AS only_v6, (SELECT count(*) FROM (SELECT * FROM reporting.assignments EXCEPT ALL SELECT * FROM before_rows) y) AS only_v12;"
  for q in summary_core board overdue_count overdue_page; do ex $q after; plain $q after; done
  echo "ROLLBACK;"
} | psql -h 127.0.0.1 -U postgres -d "${DUBAN_REP_BENCH_DB:-duban_rep_bench}" -v ON_ERROR_STOP=1
