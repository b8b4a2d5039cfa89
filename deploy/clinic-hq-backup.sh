#!/usr/bin/env bash
# Back up the HQ PostgreSQL database: one pg_dump in custom format, checked, kept for N days.
#
#   clinic-hq-backup.sh [DATABASE]
#
# DATABASE is a database name or a libpq URL (default: $PGDATABASE, else clinic_hq). The connection
# comes from the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSFILE); run by
# clinic-hq-backup.service as the postgres user over the local socket, no password is needed.
#   CLINIC_HQ_BACKUP_DIR        where dumps go (default /var/backups/clinic-hq)
#   CLINIC_HQ_BACKUP_KEEP_DAYS  dumps older than this are deleted after a good dump (default 14)
#
# A dump is written under a temporary name, read back with pg_restore --list (a truncated or damaged
# archive fails there), and only then renamed to clinic_hq-YYYYmmddTHHMMSSZ.dump; old dumps are deleted
# only after a new one succeeded. Prints the path of the new dump.
set -euo pipefail

db="${1:-${PGDATABASE:-clinic_hq}}"
dir="${CLINIC_HQ_BACKUP_DIR:-/var/backups/clinic-hq}"
keep="${CLINIC_HQ_BACKUP_KEEP_DAYS:-14}"

mkdir -p "$dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
final="$dir/clinic_hq-$stamp.dump"
part="$final.part"
trap 'rm -f "$part"' EXIT

pg_dump --format=custom --compress=6 --no-owner --file="$part" --dbname="$db"
pg_restore --list "$part" >/dev/null
mv "$part" "$final"
sync "$final" 2>/dev/null || sync

find "$dir" -maxdepth 1 -name 'clinic_hq-*.dump' -mtime +"$keep" -print -delete >&2
echo "$final"
