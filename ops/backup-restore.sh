#!/usr/bin/env bash
# Backs up the Duban database's service schemas, and restores such a backup into an empty database.
# See ops/README.md for the procedure (and for Kubernetes, where CloudNativePG backs up instead).
#
#   ops/backup-restore.sh backup  --db duban          --file duban.dump
#   ops/backup-restore.sh restore --db duban_restored --file duban.dump [--create]
#   ops/backup-restore.sh list    --file duban.dump
#
# The server and the administrator come from the usual libpq variables (PGHOST, PGPORT, PGUSER,
# PGPASSWORD or ~/.pgpass); both steps run as a superuser (restore sets each object's owner).
# PG_BIN names the PostgreSQL client binaries (default: /usr/lib/postgresql/15/bin if present,
# else whatever is on PATH); they must be of the server's major version or newer.
set -euo pipefail

SCHEMAS=(task reporting notification report)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INIT_ROLES="${DUBAN_INIT_ROLES:-$ROOT/db/init-roles.sql}"

if [[ -z "${PG_BIN:-}" ]]; then
  if [[ -x /usr/lib/postgresql/15/bin/pg_dump ]]; then PG_BIN=/usr/lib/postgresql/15/bin; else PG_BIN="$(dirname "$(command -v pg_dump)")"; fi
fi

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "backup-restore: $*" >&2; exit 1; }

command="${1:-}"; [[ -n "$command" ]] || usage; shift
db=""; file=""; create=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --db) db="$2"; shift 2 ;;
    --file) file="$2"; shift 2 ;;
    --create) create=true; shift ;;
    *) usage ;;
  esac
done
[[ -n "$file" ]] || usage

psql_q() { PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

case "$command" in
  backup)
    [[ -n "$db" ]] || usage
    args=()
    for s in "${SCHEMAS[@]}"; do args+=(--schema="$s"); done
    # Custom format (compressed, restorable selectively); the schemas with their owners, grants,
    # default privileges, Flyway histories and data, in one consistent snapshot.
    "$PG_BIN/pg_dump" --format=custom --file="$file" "${args[@]}" --dbname="$db"
    echo "backup-restore: ${SCHEMAS[*]} of $db written to $file ($(du -h "$file" | cut -f1))"
    ;;
  restore)
    [[ -n "$db" ]] || usage
    [[ -r "$file" ]] || die "cannot read $file"
    if $create; then
      psql_q --dbname=postgres -c "CREATE DATABASE \"$db\""
    fi
    # Only into an empty database: a restore never mixes with data that is there already.
    tables=$(psql_q --dbname="$db" -At -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('task', 'reporting', 'notification', 'report') AND c.relkind IN ('r', 'v', 'S', 'p')")
    [[ "$tables" == "0" ]] || die "$db is not empty ($tables tables, views or sequences in the Duban schemas); restore into a new database"
    # The roles (cluster-wide; production sets their passwords) and the schemas, as on any new database.
    psql_q --dbname="$db" -f "$INIT_ROLES"
    # --clean --if-exists replaces the empty schemas the role script made by the backup's; one
    # transaction: all or nothing.
    "$PG_BIN/pg_restore" --clean --if-exists --single-transaction --exit-on-error --dbname="$db" "$file"
    for s in task notification report; do
      v=$(psql_q --dbname="$db" -At -c "SELECT max(version::int) FROM $s.${s}_schema_history WHERE success")
      echo "backup-restore: schema $s restored at migration V$v"
    done
    ;;
  list)
    "$PG_BIN/pg_restore" --list "$file"
    ;;
  *) usage ;;
esac
