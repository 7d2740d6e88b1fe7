"""Cuts auto_explain plans out of a PostgreSQL log (stdin) by the harness's time windows.

usage: tail -c +N server.log | python3 plans-cut.py DB MARKS_TSV OUT_DIR
Writes OUT_DIR/<scenario>.txt (every plan logged for DB in the scenario's window but the health
check's) and OUT_DIR/README.md (each scenario's request, status and total execution time).
"""
import datetime
import re
import sys

db, marks_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
entry = re.compile(r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) UTC \[\d+\] (\S*)@(\S*) LOG:  duration: ([0-9.]+) ms  plan:')
start = re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} ')
# The health check's statement, and only it (the feed's own statement holds `SELECT 1 FROM`).
health = re.compile(r'Query Text: select 1\s*\n', re.I)
plans = []  # (epoch ms, duration ms, text)
current = None
for line in sys.stdin:
    m = entry.match(line)
    if m or start.match(line):
        if current:
            plans.append(current)
        current = None
        if m and m.group(3) == db:
            t = datetime.datetime.strptime(m.group(1), '%Y-%m-%d %H:%M:%S.%f').replace(tzinfo=datetime.timezone.utc)
            current = [t.timestamp() * 1000, float(m.group(4)), line]
    elif current:
        current[2] += line
if current:
    plans.append(current)

index = ['# Query plans: ' + db, '',
         'auto_explain (ANALYZE, BUFFERS) of every statement task-service ran for one request of each scenario, '
         'after one warm-up request; written by `bench/plans.sh ' + db + '`.', '',
         '| scenario | status | statements | SQL ms (sum) | request |', '|---|--:|--:|--:|---|']
for row in open(marks_file, encoding='utf-8'):
    name, frm, to, status, what = row.rstrip('\n').split('\t', 4)
    mine = [p for p in plans if float(frm) <= p[0] <= float(to) + 50 and not health.search(p[2])]
    with open(f'{out}/{name}.txt', 'w', encoding='utf-8') as f:
        f.write(f'-- {name}: {what} (status {status})\n\n')
        for p in mine:
            f.write(p[2].rstrip('\n') + '\n\n')
    index.append(f'| [{name}]({name}.txt) | {status} | {len(mine)} | {sum(p[1] for p in mine):.1f} | {what} |')
with open(f'{out}/README.md', 'w', encoding='utf-8') as f:
    f.write('\n'.join(index) + '\n')
print('\n'.join(index))
