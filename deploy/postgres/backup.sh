#!/usr/bin/env bash
# 备份枢纽数据库 · Back up the hub's PostgreSQL database.
#
#   deploy/postgres/backup.sh [DIR]
#
# Writes DIR/whp-<UTC time>.dump with pg_dump's custom format (compressed; restore.sh restores
# it, whole or table by table), checks that pg_restore can read it, then keeps the newest
# WHP_BACKUP_KEEP dumps (default 14) and deletes older ones. A dump is written under a temporary
# name and renamed only when complete, so a crash never leaves a truncated dump that looks good.
#
# Environment:
#   DATABASE_URL          the database to dump (default postgres://postgres@127.0.0.1:5432/whp);
#                         sslmode/sslrootcert in it are honoured by libpq
#   DATABASE_SSL          disable|require|verify-full (as the services; passed as PGSSLMODE)
#   DATABASE_SSL_CA_FILE  CA of the server (passed as PGSSLROOTCERT)
#   WHP_BACKUP_DIR        where dumps go when DIR is not given (default /var/backups/whp)
#   WHP_BACKUP_KEEP       how many dumps to keep (default 14)
#   WHP_BACKUP_PREFIX     file name prefix (default whp; e.g. whp_registry for the registry's DB)
#
# The schema registry's database (whp_registry) should be backed up too, with its own prefix:
# the schema ids inside every Kafka message refer to it.
set -euo pipefail

die() { printf '[backup] 错误 / error: %s\n' "$*" >&2; exit 1; }

url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/whp}
dir=${1:-${WHP_BACKUP_DIR:-/var/backups/whp}}
keep=${WHP_BACKUP_KEEP:-14}
prefix=${WHP_BACKUP_PREFIX:-whp}
[[ $keep =~ ^[1-9][0-9]*$ ]] || die "WHP_BACKUP_KEEP 应为正整数，实际为 \"$keep\""
[[ $prefix =~ ^[A-Za-z0-9_-]+$ ]] || die "WHP_BACKUP_PREFIX 只能包含字母、数字、_ 和 -，实际为 \"$prefix\""
case "${DATABASE_SSL:-}" in
  '') ;;
  disable | require | verify-full) export PGSSLMODE=$DATABASE_SSL ;;
  *) die "DATABASE_SSL 应为 disable|require|verify-full，实际为 \"$DATABASE_SSL\"" ;;
esac
if [ -n "${DATABASE_SSL_CA_FILE:-}" ]; then export PGSSLROOTCERT=$DATABASE_SSL_CA_FILE; fi
command -v pg_dump >/dev/null || die "找不到 pg_dump（Debian: apt-get install postgresql-client）"

mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%S.%3NZ) # milliseconds: two runs in one second get two files
file="$dir/$prefix-$stamp.dump"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

started=$(date +%s)
pg_dump --dbname="$url" --format=custom --compress=6 --file="$partial" || die "pg_dump 失败，未生成备份"
pg_restore --list "$partial" >/dev/null || die "备份文件无法读取：$partial"
mv "$partial" "$file"
trap - EXIT
printf '[backup] 已备份 %s (%s bytes, %ss)\n' "$file" "$(stat -c %s "$file")" "$(($(date +%s) - started))" >&2

# Retention: the newest $keep dumps of this prefix stay (names sort by time).
mapfile -t dumps < <(find "$dir" -maxdepth 1 -type f -name "$prefix-*.dump" -printf '%f\n' | sort -r)
for old in "${dumps[@]:$keep}"; do
  rm -f -- "$dir/$old"
  printf '[backup] 已删除过期备份 %s\n' "$dir/$old" >&2
done
echo "$file"
