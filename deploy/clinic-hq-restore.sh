#!/usr/bin/env bash
# Restore an HQ dump into a NEW database and print what it holds, so it can be checked before use.
#
#   clinic-hq-restore.sh DUMP NEW_DATABASE [OWNER]
#
# The connection comes from the libpq variables (PGHOST, PGPORT, PGUSER, ...); run it as the postgres
# user (sudo -u postgres ...). It never touches an existing database: NEW_DATABASE must not exist. With
# OWNER (the server's role, clinic_hq), the new database and everything in it belong to that role. The
# restore runs in one transaction (--single-transaction): it is all there or not at all. Afterwards it
# prints every table's row count and the sync sequence, to compare with what you expect (for example
# the counts printed by the same query on the old database, if it still answers). Switching the server
# over to the new database is a separate, deliberate step: see docs/deployment.md.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 DUMP NEW_DATABASE [OWNER]" >&2
  exit 2
fi
dump="$1"
new_db="$2"
owner="${3:-}"
as_owner=()

pg_restore --list "$dump" >/dev/null
if [ -n "$owner" ]; then
  createdb --owner="$owner" "$new_db"
  as_owner=(--role="$owner")
else
  createdb "$new_db"
fi
if ! pg_restore --exit-on-error --single-transaction --no-owner ${as_owner[@]+"${as_owner[@]}"} \
    --dbname="$new_db" "$dump"; then
  echo "restore failed; the new database $new_db is left empty (drop it with: dropdb $new_db)" >&2
  exit 1
fi
psql --no-psqlrc --quiet --tuples-only --no-align --field-separator=' ' --dbname="$new_db" <<'SQL'
SELECT 'table ' || c.relname || ' ' ||
       (xpath('/row/n/text()',
              query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname = 'public'
 ORDER BY c.relname;
SELECT 'sequence ' || sequencename || ' ' || coalesce(last_value, 0) FROM pg_sequences WHERE schemaname = 'public'
 ORDER BY sequencename;
SQL
