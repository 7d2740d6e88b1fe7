#!/usr/bin/env bash
# Write cost of V14's rollup: the same command scripts on three copies of one generated database:
#   none  the rollup's triggers dropped (what the writes cost without the cells),
#   stmt  the cells recounted after every statement (V14 as first written, i.e. the database as
#         generated with that version; pass such a base),
#   stmtg stmt with the refresh's plans kept (plan_cache_mode = force_generic_plan, as V14 now has),
#   tx    the cells recounted once per item at commit (V14 now: its functions applied to a copy).
#   DUBAN_BENCH_DB=duban_hrep2_10k bench/report/write-cost/run.sh [SECONDS] [CLIENTS] [ROUNDS]
# The base is left as it is; the copies are <base>_none, _stmt, _stmtg, _tx. Rounds alternate them, so
# the machine's load falls on all of them alike. After the runs it checks the cells of stmt, stmtg and tx
# against a recount from the views (recount-check.sql: 0 = right).
cd "$(dirname "$0")"
. ./common.sh
V14=../../../task-service/src/main/resources/db/migration/V14__summary_rollup.sql
copies none stmt stmtg tx
p -d "${BASE}_none" -f no-triggers.sql
p -d "${BASE}_stmtg" -c "ALTER FUNCTION task.report_rollup_refresh(uuid[]) SET plan_cache_mode = force_generic_plan"
# V14's at-commit pieces: the refresh (with its lock), report_dirty and its deferred trigger, the statement trigger.
python3 - "$V14" > /tmp/write-cost-at-commit.$$.sql <<'PY'
import re, sys
s = open(sys.argv[1]).read()
def cut(a, b):
    i = s.index(a); return s[i:s.index(b, i)]
out = cut("CREATE FUNCTION task.report_rollup_refresh", "-- Everything from scratch")
out += cut("CREATE UNLOGGED TABLE task.report_dirty", "CREATE TRIGGER report_rollup_ins AFTER INSERT ON task.supervision_item")
print("SET ROLE duban_task_owner;  -- what Flyway runs as: the functions and the table are the owner's\n" + out.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION").replace("${runtime_role}", "duban_task"))
PY
p -d "${BASE}_tx" -f /tmp/write-cost-at-commit.$$.sql
rm -f /tmp/write-cost-at-commit.$$.sql
rounds none stmt stmtg tx
for v in stmt stmtg tx; do
  echo "$v: $(p -d "${BASE}_$v" -Atf recount-check.sql) cells differing from a recount"
done
